import { expect } from "chai";
import { signPermit } from "../../src/sdk/payments.js";
import type { ContractTransactionResponse } from "ethers";
import {
  E18,
  EPOCH,
  PRICE,
  WINDOW,
  activateAfterWindow,
  attributionTree,
  deployRewards,
  ethers,
  networkHelpers,
  syntheticPath,
} from "../helpers/rewards.js";

/** Exact gas pins (production profile, receipt gasUsed). Set GAS_REPORT=1 to print the figures.
 * The budgets are asserted on every operation they name. The model registry is the mock, packed as the
 * real one (a root model's `paymentTerms` reads one cold slot); the benchmark measures the same
 * operations on the real registry. */
const PINS = {
  payRootModel: 74_323,
  payRootModelMaxApproval: 71_086,
  payFirstInEpoch: 96_872,
  payFirstOfEpochOverall: 106_122,
  payDerivativeDepth3: 106_808, // Paid reports the royalty net of the remainder that goes to the pool
  payWithPermit: 85_843,
  commitAttribution: 78_914,
  commitSettlementFirst: 81_085,
  commitSettlement: 81_085,
  activateSettlement: 47_757,
  claim1MFreshAccount: 102_618,
  claim1MHolder: 85_482,
  claim1MRepeat: 68_382,
  claimDirect: 126_761,
  claimDirectBatch10: 531_421,
  withdrawOwner: 95_659,
  withdrawTreasury: 98_069,
};
const BUDGET = { pay: 75_000, claim: 88_000, commit: 80_000, activate: 50_000 };

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  return Number(receipt!.gasUsed);
}

function pin(name: keyof typeof PINS, used: number, budget?: number) {
  if (process.env.GAS_REPORT) console.log(`      gas ${name}: ${used}`);
  if (budget !== undefined && PINS[name] !== 0)
    expect(used, `${name}: ${used} gas over the budget ${budget}`).to.be.at.most(budget);
  if (PINS[name] !== 0)
    expect(used, `${name}: was pinned at ${PINS[name]}, now ${used}`).to.equal(PINS[name]);
}

async function fixture() {
  const f = await deployRewards();
  const { models, distributor, payer, owner } = f;
  await models.setModel(2, owner.address, 0, PRICE);
  // Steady state: both pools of epoch 0 non-zero, payer approved.
  await distributor.connect(payer).pay(1, 1, PRICE * 1n);
  await distributor.connect(payer).pay(2, 1, PRICE * 1n);
  return f;
}

describe("Rewards gas @gas", function () {
  it("pins pay: identical for 10 and 10,000,000 contributors, first payment of an epoch, lineage of 3", async function () {
    const { token, registry, distributor, models, operator, payer, owner, alice, bob } =
      await networkHelpers.loadFixture(fixture);
    // Model 1: commitment of a real 10-leaf tree; model 2: a root standing for 10,000,000 contributors
    // (payment never reads either: contributors only appear in the root and the total weight).
    const signers = await ethers.getSigners();
    const ten = attributionTree(signers.slice(0, 10).map((s, i) => [s.address, BigInt(i + 1)]));
    await networkHelpers.time.increase(EPOCH);
    await registry.connect(operator).commitAttribution(1, 0, ten.root, 55, 1, "ipfs://ten");
    await registry
      .connect(operator)
      .commitAttribution(2, 0, ethers.id("ten-million"), 10_000_000n * 1000n, 1, "ipfs://big");
    const first1 = await gasOf(distributor.connect(payer).pay(1, 3, PRICE * 3n));
    const first2 = await gasOf(distributor.connect(payer).pay(2, 3, PRICE * 3n));
    // First payment of the epoch for the model (its previous pool moves to a fresh pair slot) ...
    pin("payFirstInEpoch", first2);
    // ... and the very first payment of the epoch overall (also refreshes the cached clock).
    pin("payFirstOfEpochOverall", first1);
    const g10 = await gasOf(distributor.connect(payer).pay(1, 3, PRICE * 3n));
    const g10m = await gasOf(distributor.connect(payer).pay(2, 3, PRICE * 3n));
    expect(g10m, "pay gas depends on the contributor count").to.equal(g10);
    expect(first1).to.be.greaterThan(g10);
    // Within the 75,000 budget with a finite allowance, although OpenToken's transferFrom alone is
    // ~24,500 (5 cold slots incl. two ERC20Votes delegate reads, 3 writes).
    pin("payRootModel", g10, BUDGET.pay);
    // With an unlimited approval the token skips the allowance write.
    await token.connect(payer).approve(await distributor.getAddress(), ethers.MaxUint256);
    pin("payRootModelMaxApproval", await gasOf(distributor.connect(payer).pay(1, 3, PRICE * 3n)), BUDGET.pay);

    // Lineage 5 -> 4 -> 3 -> 1: three ancestors share the royalty.
    await models.setModel(3, alice.address, 1, PRICE);
    await models.setModel(4, bob.address, 3, PRICE);
    await models.setModel(5, owner.address, 4, PRICE);
    await distributor.connect(payer).pay(5, 1, PRICE * 1n);
    pin("payDerivativeDepth3", await gasOf(distributor.connect(payer).pay(5, 1, PRICE * 1n)));
  });

  it("pins payWithPermit", async function () {
    const { token, distributor, admin } = await networkHelpers.loadFixture(fixture);
    const app = new ethers.Wallet(ethers.id("gas app key"), ethers.provider);
    await admin.sendTransaction({ to: app.address, value: E18 });
    await token.transfer(app.address, 1000n * E18);
    const amount = PRICE * 3n;
    // A fixed deadline (2100-01-01): with one from the clock the signature's bytes, and so the
    // calldata's zero-byte count, changed from run to run (the pin moved by 12 gas).
    const deadline = 4_102_444_800n;
    const distributorAddress = await distributor.getAddress();
    const sign = (nonce: bigint) => signPermit(token, app, distributorAddress, amount, deadline, nonce);
    let sig = await sign(0n);
    await distributor.connect(app).payWithPermit(1, 3, amount, deadline, sig.v, sig.r, sig.s);
    sig = await sign(1n);
    pin(
      "payWithPermit",
      await gasOf(distributor.connect(app).payWithPermit(1, 3, amount, deadline, sig.v, sig.r, sig.s)),
    );
  });

  it("pins commitAttribution and commitSettlement (independent of contributor count)", async function () {
    const { registry, distributor, operator, settler } = await networkHelpers.loadFixture(fixture);
    await networkHelpers.time.increase(EPOCH);
    const uri = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
    pin(
      "commitAttribution",
      // Two fresh slots are 42,100 of it (the second written with one store), the operator state
      // (role and bond copy in one slot), clock and status reads 6,300; the 66-byte URI is in both
      // calldata and the event. Staking adds no call here (see test/gas/StakingGas.test.ts).
      await gasOf(registry.connect(operator).commitAttribution(1, 0, ethers.id("root"), 10n ** 24n, 1, uri)),
      BUDGET.commit,
    );
    await networkHelpers.time.increase(WINDOW);
    await distributor.finalize(1, 0);
    // Without staking the bond check reads the registry's copy and then the distributor's staking
    // slot: 2,100 more than production's bonded operator, whose check stops at the copy. The
    // budget is asserted on that path (test/gas/DisputesGas.test.ts, commitSettlementBonded).
    pin(
      "commitSettlementFirst",
      await gasOf(
        distributor
          .connect(settler)
          .commitSettlement(ethers.id("s1"), 1000n, await distributor.finalizeSeq(), uri),
      ),
    );
    await activateAfterWindow(distributor);
    pin(
      "commitSettlement",
      await gasOf(
        distributor
          .connect(settler)
          .commitSettlement(ethers.id("s2"), 2000n, await distributor.finalizeSeq(), uri),
      ),
    );
    await networkHelpers.time.increase(await distributor.disputeWindow());
    // Activation replacing an earlier root: the pending record (created at commit) rewritten, the
    // old one cleared (refund), the live root, the total and the queue slot rewritten.
    pin("activateSettlement", await gasOf(distributor.activateSettlement()), BUDGET.activate);
  });

  it("pins claim at 1,000,000 leaves (depth-20 path) under settlements covering 11 model-epochs", async function () {
    const { registry, distributor, token, operator, settler, payer, alice } =
      await networkHelpers.loadFixture(fixture);
    // Finalise 10 model-epochs of pools, then settle them all in one root.
    for (let e = 1; e <= 10; e++) {
      await networkHelpers.time.increase(EPOCH);
      await distributor.connect(payer).pay(1, 10, ethers.MaxUint256);
    }
    await networkHelpers.time.increase(EPOCH);
    for (let e = 0; e <= 10; e++)
      await registry.connect(operator).commitAttribution(1, e, ethers.id(`r${e}`), 1, 1, "u");
    await networkHelpers.time.increase(WINDOW);
    for (let e = 0; e <= 10; e++) await distributor.finalize(1, e);
    const fresh = ethers.getAddress(ethers.id("fresh account").slice(0, 42));
    const holder = alice.address;
    await token.transfer(holder, E18);

    // A leaf in the middle of a 1,000,000-leaf settlement: a real next account (20 non-zero bytes)
    // and a prefix sum of about 500,000 OPEN (the amounts before it).
    const next = ethers.getAddress(ethers.id("next account").slice(0, 42));
    const prefix = 499_999n * E18 + 123_456_789n;
    const a = syntheticPath(fresh, E18, 20, next, prefix);
    await distributor.connect(settler).commitSettlement(a.root, E18, await distributor.finalizeSeq(), "u");
    await activateAfterWindow(distributor);
    // First claim of an account without OPEN: two fresh slots (claimed[account], its token balance).
    pin("claim1MFreshAccount", await gasOf(distributor.claim(fresh, E18, next, prefix, a.proof)));

    const b = syntheticPath(holder, E18, 20, next, prefix);
    await distributor
      .connect(settler)
      .commitSettlement(b.root, 2n * E18, await distributor.finalizeSeq(), "u");
    await activateAfterWindow(distributor);
    // The first write of claimed[account] is 20,000 of it; the live settlement record (root check
    // and solvency bound in one slot) 5,000, OPEN's transfer about 20,000, calldata about 11,900
    // (the link and the prefix sum of the richer leaf, see README).
    pin("claim1MHolder", await gasOf(distributor.claim(holder, E18, next, prefix, b.proof)), BUDGET.claim);

    const c = syntheticPath(holder, 3n * E18, 20, next, prefix);
    await distributor
      .connect(settler)
      .commitSettlement(c.root, 4n * E18, await distributor.finalizeSeq(), "u");
    await activateAfterWindow(distributor);
    pin(
      "claim1MRepeat",
      await gasOf(distributor.claim(holder, 3n * E18, next, prefix, c.proof)),
      BUDGET.claim,
    );
  });

  it("pins claimDirect, a batch of 10 epochs, and withdrawals", async function () {
    const { registry, distributor, operator, payer, owner, admin, alice, bob, treasury } =
      await networkHelpers.loadFixture(fixture);
    for (let e = 1; e <= 10; e++) {
      await networkHelpers.time.increase(EPOCH);
      await distributor.connect(payer).pay(1, 10, ethers.MaxUint256);
    }
    await networkHelpers.time.increase(EPOCH);
    const tree = attributionTree([
      [alice.address, 3n],
      [bob.address, 1n],
    ]);
    for (let e = 0; e <= 10; e++)
      await registry.connect(operator).commitAttribution(1, e, tree.root, 4, 1, "u");
    await networkHelpers.time.increase(WINDOW);
    const proofA = tree.getProof([alice.address, 3n]);
    const proofB = tree.getProof([bob.address, 1n]);
    await distributor.claimDirect(alice.address, 1, 0, 3, proofA);
    pin("claimDirect", await gasOf(distributor.claimDirect(bob.address, 1, 0, 1, proofB)));
    const batch = Array.from({ length: 10 }, (_, i) => ({
      modelId: 1,
      epoch: i + 1,
      weight: 3,
      proof: proofA,
    }));
    pin("claimDirectBatch10", await gasOf(distributor.claimDirectBatch(alice.address, batch)));
    pin("withdrawOwner", await gasOf(distributor.connect(owner).withdrawOwnerEarnings(1, owner.address)));
    pin("withdrawTreasury", await gasOf(distributor.connect(admin).withdrawTreasury(treasury.address)));
  });
});

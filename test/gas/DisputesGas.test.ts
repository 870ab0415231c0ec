import { expect } from "chai";
import type { ContractTransactionResponse } from "ethers";
import {
  E18,
  EPOCH,
  WINDOW,
  attributionTree,
  ethers,
  networkHelpers,
  syntheticPath,
} from "../helpers/rewards.js";
import { wiredFixture } from "../helpers/staking.js";

/** Exact gas pins of settlement disputes (production profile, receipt gasUsed), with issue 17's
 * budgets. Set GAS_REPORT=1 to print the figures. Both disputes succeed: the pending root is
 * rejected and the operator slashed through staking (the slash is part of the figure). */
const PINS = {
  commitSettlementBonded: 78_992,
  activateSettlement: 47_757,
  dispute10: 412_774,
  disputeOmission: 226_467,
};
const BUDGET = {
  commitSettlementBonded: 80_000,
  activateSettlement: 50_000,
  dispute10: 600_000,
  disputeOmission: 250_000,
};
const PAIRS = 10;
const LEAVES = 1_000;

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  return Number(receipt!.gasUsed);
}

function pin(name: keyof typeof PINS, used: number) {
  if (process.env.GAS_REPORT) console.log(`      gas ${name}: ${used}`);
  expect(used, `${name}: ${used} gas over the budget ${BUDGET[name]}`).to.be.at.most(BUDGET[name]);
  if (PINS[name] !== 0)
    expect(used, `${name}: was pinned at ${PINS[name]}, now ${used}`).to.equal(PINS[name]);
}

/** Staking and disputes wired; model 1 paid in 10 epochs, each committed with a 1,000-leaf
 * attribution tree that gives alice weight 7 (of 1,000 x 7) and finalised. */
async function fixture() {
  const f = await wiredFixture();
  const { distributor, registry, staking, operator, payer, alice } = f;
  const disputes = await ethers.deployContract("SettlementDisputes", [await distributor.getAddress()]);
  await distributor.setSettlementDisputes(await disputes.getAddress());
  await staking.grantRole(await staking.SLASHER_ROLE(), await disputes.getAddress());
  await distributor.grantRole(await distributor.SETTLEMENT_OPERATOR_ROLE(), operator.address);
  const entries: [string, bigint][] = [[alice.address, 7n]];
  for (let i = 1; i < LEAVES; i++)
    entries.push([ethers.getAddress(ethers.id(`contributor ${i}`).slice(0, 42)), 7n]);
  const tree = attributionTree(entries);
  const first = await registry.currentEpoch();
  for (let i = 0; i < PAIRS; i++) {
    await distributor.connect(payer).pay(1, 10, ethers.MaxUint256);
    await networkHelpers.time.increase(EPOCH);
  }
  for (let i = 0; i < PAIRS; i++)
    await registry
      .connect(operator)
      .commitAttribution(1, first + BigInt(i), tree.root, 7n * BigInt(LEAVES), 1, "u");
  await networkHelpers.time.increase(WINDOW);
  for (let i = 0; i < PAIRS; i++) await distributor.finalize(1, first + BigInt(i));
  const pairs = Array.from({ length: PAIRS }, (_, i) => ({
    modelId: 1n,
    epoch: first + BigInt(i),
    weight: 7n,
    proof: tree.getProof([alice.address, 7n]),
  }));
  return { ...f, disputes, pairs };
}

describe("Gas: settlement disputes @gas", function () {
  it("pins commitSettlement of a bonded operator (production: staking wired) and activation", async function () {
    const { distributor, operator } = await networkHelpers.loadFixture(fixture);
    const uri = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
    await distributor
      .connect(operator)
      .commitSettlement(ethers.id("s1"), E18, await distributor.finalizeSeq(), uri);
    await networkHelpers.time.increase(await distributor.disputeWindow());
    await distributor.activateSettlement();
    // A root replacing a live one: role, pause and pools reads, the bond copy in the attribution
    // registry (one cold call), the new pending record (a new slot), the queue and pending-root
    // slots rewritten, the 66-byte URI in calldata and the event.
    pin(
      "commitSettlementBonded",
      await gasOf(
        distributor
          .connect(operator)
          .commitSettlement(ethers.id("s2"), 2n * E18, await distributor.finalizeSeq(), uri),
      ),
    );
    await networkHelpers.time.increase(await distributor.disputeWindow());
    pin("activateSettlement", await gasOf(distributor.activateSettlement()));
  });

  it("pins an underpayment dispute with 10 pair proofs against 1,000-leaf attribution trees", async function () {
    const { distributor, disputes, operator, challenger, alice, pairs } =
      await networkHelpers.loadFixture(fixture);
    // A depth-20 path: a leaf of a 1,000,000-leaf settlement.
    const next = ethers.getAddress(ethers.id("next").slice(0, 42));
    const prefix = 499_999n * E18;
    // alice's leaf pays her 1 wei, below what her 10 pairs give her.
    const path = syntheticPath(alice.address, 1n, 20, next, prefix);
    await distributor
      .connect(operator)
      .commitSettlement(path.root, 2n * E18, await distributor.finalizeSeq(), "u");
    const leaf = {
      account: alice.address,
      cumulativeAmount: 1n,
      nextAccount: next,
      prefixBefore: prefix,
      proof: path.proof,
    };
    pin("dispute10", await gasOf(disputes.connect(challenger).disputeUnderpayment(leaf, pairs)));
  });

  it("pins an omission dispute at 1,000,000 settlement leaves", async function () {
    const { distributor, disputes, operator, challenger, alice, pairs } =
      await networkHelpers.loadFixture(fixture);
    // The neighbour leaf whose gap holds alice: account just below hers, link just above.
    const below = ethers.getAddress(ethers.toBeHex(BigInt(alice.address) - 1n, 20));
    const above = ethers.getAddress(ethers.toBeHex(BigInt(alice.address) + 1n, 20));
    const prefix = 499_999n * E18;
    const path = syntheticPath(below, E18, 20, above, prefix);
    await distributor
      .connect(operator)
      .commitSettlement(path.root, 2n * E18, await distributor.finalizeSeq(), "u");
    const neighbour = {
      account: below,
      cumulativeAmount: E18,
      nextAccount: above,
      prefixBefore: prefix,
      proof: path.proof,
    };
    pin(
      "disputeOmission",
      await gasOf(disputes.connect(challenger).disputeOmission(neighbour, alice.address, [pairs[0]!])),
    );
  });
});

import { expect } from "chai";
import { signPermit } from "../../src/sdk/payments.js";
import type { DatanetRegistry } from "../../typechain-types/index.js";
import * as R from "../fixtures/registries.js";
import {
  PRICE,
  attributionTree,
  deployRewards,
  ethers,
  networkHelpers,
  settlementTree,
  activateAfterWindow,
} from "../helpers/rewards.js";

/**
 * The threat classes of SECURITY.md section 6, one describe each: what an attacker tries, and
 * that it changes nothing it should not. Rewards scenarios run on the rewards connection,
 * registry scenarios on the registries fixture's own connection.
 */

const { loadFixture, time } = networkHelpers;
const EPOCH = 86_400n;

/** Model 1 paid in epoch 0, committed with (alice 3, bob 1), finalised and settled. */
async function settledFixture() {
  const f = await deployRewards();
  const { registry, distributor, operator, settler, payer, alice, bob } = f;
  await distributor.connect(payer).pay(1, 10, ethers.MaxUint256);
  const pool = await distributor.epochPool(1, 0);
  const attribution = attributionTree([
    [alice.address, 3n],
    [bob.address, 1n],
  ]);
  await time.increase(EPOCH);
  await registry.connect(operator).commitAttribution(1, 0, attribution.root, 4, 1, "u");
  await time.increase(await registry.challengeWindow());
  await distributor.finalize(1, 0);
  const owed: [string, bigint][] = [
    [alice.address, (pool * 3n) / 4n],
    [bob.address, pool / 4n],
  ];
  const settlement = settlementTree(owed);
  await distributor
    .connect(settler)
    .commitSettlement(settlement.root, pool, await distributor.finalizeSeq(), "u");
  await activateAfterWindow(distributor);
  return { ...f, pool, attribution, settlement, owed };
}

/** Two registries on one chain, datanet 1 open in both. */
async function twoRegistriesFixture() {
  const base = await R.deployRegistriesFixture();
  const other = (await R.ethers.deployContract("DatanetRegistry")) as unknown as DatanetRegistry;
  for (const d of [base.datanets, other]) {
    await d.connect(base.datanetOwner).createDatanet("ipfs://d", R.Licence.ALL, R.Policy.Open);
  }
  return { ...base, other };
}

describe("Security review: threat classes", function () {
  describe("reentrancy", function () {
    it("should refuse a foreign token's re-entry into governance functions during recoverForeignToken", async function () {
      const { distributor, token, admin, stranger } = await loadFixture(settledFixture);
      const hostile = await ethers.deployContract("HostileToken", [1_000n]);
      await hostile.transfer(await distributor.getAddress(), 7n);
      const payload = distributor.interface.encodeFunctionData("withdrawTreasury", [
        await hostile.getAddress(),
      ]);
      await hostile.configure(1, await distributor.getAddress(), payload);
      const openBefore = await token.balanceOf(await distributor.getAddress());
      const booksBefore = await distributor.books();
      await distributor.connect(admin).recoverForeignToken(await hostile.getAddress(), stranger.address);
      expect(await hostile.reentrySucceeded()).to.equal(false);
      expect((await hostile.reentryRevertData()).slice(0, 10)).to.equal(
        distributor.interface.getError("AccessControlUnauthorizedAccount")!.selector,
      );
      expect(await token.balanceOf(await distributor.getAddress())).to.equal(openBefore);
      expect(await distributor.books()).to.deep.equal(booksBefore);
      expect(await hostile.balanceOf(stranger.address)).to.equal(7n);
    });

    it("should pay a claim made by re-entry once only: the ledger is written before any transfer", async function () {
      const { distributor, token, admin, stranger, alice, settlement, owed } =
        await loadFixture(settledFixture);
      const hostile = await ethers.deployContract("HostileToken", [1_000n]);
      await hostile.transfer(await distributor.getAddress(), 7n);
      const [account, amount] = owed[0];
      const claimData = distributor.interface.encodeFunctionData("claim", [
        ...settlement.claimArgs(account, amount),
      ]);
      await hostile.configure(1, await distributor.getAddress(), claimData);
      const aliceBefore = await token.balanceOf(alice.address);
      await distributor.connect(admin).recoverForeignToken(await hostile.getAddress(), stranger.address);
      expect(await hostile.reentrySucceeded()).to.equal(true); // claims are permissionless ...
      expect(await token.balanceOf(alice.address)).to.equal(aliceBefore + amount); // ... and pay the leaf
      await expect(distributor.claim(...settlement.claimArgs(account, amount)))
        .to.be.revertedWithCustomError(distributor, "NothingToClaim")
        .withArgs(account, amount, amount);
    });
  });

  describe("SafeERC20", function () {
    it("should revert SafeERC20FailedOperation when a foreign token's transfer returns false, moving nothing", async function () {
      const { distributor, admin, stranger } = await loadFixture(settledFixture);
      const hostile = await ethers.deployContract("HostileToken", [1_000n]);
      await hostile.transfer(await distributor.getAddress(), 7n);
      await hostile.configure(2, ethers.ZeroAddress, "0x");
      await expect(
        distributor.connect(admin).recoverForeignToken(await hostile.getAddress(), stranger.address),
      )
        .to.be.revertedWithCustomError(distributor, "SafeERC20FailedOperation")
        .withArgs(await hostile.getAddress());
      expect(await hostile.balanceOf(await distributor.getAddress())).to.equal(7n);
    });
  });

  describe("signature replay across chains and contracts", function () {
    it("should refuse a contribution signature made for another registry on the same chain", async function () {
      const { datanets, other, alice, relayer } = await R.networkHelpers.loadFixture(twoRegistriesFixture);
      const input = R.contributionInput("replayed");
      const deadline = BigInt(await R.networkHelpers.time.latest()) + 3_600n;
      const signature = await R.signSubmission(datanets, alice, 1n, input, 0n, deadline);
      await datanets
        .connect(relayer)
        .submitContributionWithSignature(1n, alice.address, input, 0n, deadline, signature);
      await expect(
        other
          .connect(relayer)
          .submitContributionWithSignature(1n, alice.address, input, 0n, deadline, signature),
      )
        .to.be.revertedWithCustomError(other, "InvalidSignature")
        .withArgs(alice.address);
      expect(await other.nonces(alice.address)).to.equal(0n);
    });

    it("should refuse a contribution signature made for another chain id", async function () {
      const { datanets, alice, relayer } = await R.networkHelpers.loadFixture(twoRegistriesFixture);
      const input = R.contributionInput("other-chain");
      const deadline = BigInt(await R.networkHelpers.time.latest()) + 3_600n;
      const { chainId } = await R.ethers.provider.getNetwork();
      const signature = await R.signSubmission(
        datanets,
        alice,
        1n,
        input,
        0n,
        deadline,
        alice.address,
        chainId + 1n,
      );
      await expect(
        datanets
          .connect(relayer)
          .submitContributionWithSignature(1n, alice.address, input, 0n, deadline, signature),
      )
        .to.be.revertedWithCustomError(datanets, "InvalidSignature")
        .withArgs(alice.address);
    });

    it("should refuse a payment permit signed for another spender", async function () {
      const { distributor, token, admin, stranger } = await loadFixture(settledFixture);
      const app = ethers.Wallet.createRandom().connect(ethers.provider);
      await admin.sendTransaction({ to: app.address, value: 10n ** 18n });
      await token.transfer(app.address, 10n * PRICE);
      const deadline = BigInt(await time.latest()) + 3600n;
      const sig = await signPermit(token, app, stranger.address, PRICE, deadline);
      await expect(distributor.connect(app).payWithPermit(1, 1, PRICE, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(distributor, "PermitFailed")
        .withArgs(app.address, 0n, PRICE);
      expect(await token.nonces(app.address)).to.equal(0n);
    });
  });

  describe("rounding direction", function () {
    it("should round direct claims down, never above the pool, and keep the dust claimable", async function () {
      const { registry, distributor, models, operator, payer, owner, alice, bob, carol } =
        await loadFixture(deployRewards);
      await models.setModel(2, owner.address, 0, 11n); // a pool that 3 equal weights do not divide
      await distributor.connect(payer).pay(2, 1, ethers.MaxUint256);
      const pool = await distributor.epochPool(2, 0);
      expect(pool % 3n).to.not.equal(0n);
      const tree = attributionTree([
        [alice.address, 1n],
        [bob.address, 1n],
        [carol.address, 1n],
      ]);
      await time.increase(EPOCH);
      await registry.connect(operator).commitAttribution(2, 0, tree.root, 3, 1, "u");
      await time.increase(await registry.challengeWindow());
      for (const [i, who] of [alice, bob, carol].entries()) {
        await expect(distributor.claimDirect(who.address, 2, 0, 1, tree.getProof(i)))
          .to.emit(distributor, "DirectClaimed")
          .withArgs(who.address, 2, 0, 1, pool / 3n);
      }
      const b = await distributor.books();
      expect(b.totalClaimed).to.equal((pool / 3n) * 3n);
      expect(b.claimable).to.equal(pool % 3n);
    });
  });

  describe("front-running", function () {
    it("should pay the leaf's account whoever sends the claim, so a front-runner gains nothing", async function () {
      const { distributor, token, stranger, alice, settlement, owed } = await loadFixture(settledFixture);
      const [account, amount] = owed[0];
      const strangerBefore = await token.balanceOf(stranger.address);
      const aliceBefore = await token.balanceOf(alice.address);
      await distributor.connect(stranger).claim(...settlement.claimArgs(account, amount));
      expect(await token.balanceOf(stranger.address)).to.equal(strangerBefore);
      expect(await token.balanceOf(alice.address)).to.equal(aliceBefore + amount);
    });

    it("should refuse commitments from anyone but the operators, so none can be front-run", async function () {
      const { registry, distributor, stranger } = await loadFixture(settledFixture);
      await time.increase(EPOCH);
      await expect(registry.connect(stranger).commitAttribution(1, 1, ethers.id("r"), 1, 1, "u"))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, await registry.ATTRIBUTION_OPERATOR_ROLE());
      await expect(
        distributor
          .connect(stranger)
          .commitSettlement(ethers.id("s"), 1, await distributor.finalizeSeq(), "u"),
      )
        .to.be.revertedWithCustomError(distributor, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, await distributor.SETTLEMENT_OPERATOR_ROLE());
    });
  });

  describe("griefing", function () {
    it("should take dust payments into the books exactly and refuse zero units", async function () {
      const { distributor, models, owner, payer } = await loadFixture(deployRewards);
      await models.setModel(2, owner.address, 0, 1n);
      for (let i = 0; i < 5; i++) await distributor.connect(payer).pay(2, 1, ethers.MaxUint256);
      const b = await distributor.books();
      expect(b.paidIn).to.equal(5n);
      expect(b.treasuryAccrued + b.stakerReserve + b.ownersAccrued + b.poolsPending).to.equal(5n);
      await expect(distributor.connect(payer).pay(2, 0, ethers.MaxUint256)).to.be.revertedWithCustomError(
        distributor,
        "ZeroUnits",
      );
    });

    it("should not make curating dearer when spam contributions pile up", async function () {
      const { datanets, curator, alice, stranger } = await R.networkHelpers.loadFixture(R.registriesFixture);
      const gasOfAccept = async (label: string) => {
        const input = R.contributionInput(label);
        await datanets.connect(alice).submitContribution(1n, input);
        const tx = await datanets
          .connect(curator)
          .acceptContribution(1n, R.contributionIdOf(1n, alice.address, input.contentHash));
        return (await tx.wait())!.gasUsed;
      };
      const before = await gasOfAccept("honest-1");
      const spam = Array.from({ length: 50 }, (_, i) => R.contributionInput(`spam-${i}`));
      await datanets.connect(stranger).submitContributions(1n, spam);
      expect(await gasOfAccept("honest-2")).to.equal(before);
    });
  });

  describe("unbounded loops", function () {
    it("should walk at most MAX_LINEAGE_DEPTH ancestors: a model 10 deep pays like one 3 deep", async function () {
      const { distributor, models, owner, payer } = await loadFixture(deployRewards);
      for (let id = 2; id <= 11; id++) await models.setModel(id, owner.address, id - 1, PRICE);
      const gasOfPay = async (id: number) =>
        (await (await distributor.connect(payer).pay(id, 1, ethers.MaxUint256)).wait())!.gasUsed;
      await gasOfPay(4);
      await gasOfPay(11);
      expect(await distributor.MAX_LINEAGE_DEPTH()).to.equal(3n);
      expect(await gasOfPay(11)).to.equal(await gasOfPay(4));
    });

    it("should refuse more than MAX_TRAINING_INPUTS training inputs", async function () {
      const { models, modelOwner } = await R.networkHelpers.loadFixture(R.registriesFixture);
      const max = await models.MAX_TRAINING_INPUTS();
      const inputs = Array.from({ length: Number(max) + 1 }, (_, i) => ({
        datanetId: BigInt(i + 1),
        versionNumber: 1n,
        weightBps: 1n,
      }));
      await expect(
        models.connect(modelOwner).registerModel({
          metadataURI: "ipfs://m",
          artifactHash: R.contentHash("too-many"),
          baseModelId: 0n,
          declaredUses: R.Licence.RESEARCH,
          pricePerUnit: 1n,
          trainingInputs: inputs,
        }),
      )
        .to.be.revertedWithCustomError(models, "InvalidTrainingInputCount")
        .withArgs(max + 1n);
    });
  });
});

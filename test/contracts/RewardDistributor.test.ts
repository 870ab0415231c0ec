import { expect } from "chai";
import { signPermit } from "../../src/sdk/payments.js";
import {
  E18,
  EPOCH,
  PRICE,
  ROLL_DELAY,
  WINDOW,
  DEFAULT_SPLIT,
  attributionTree,
  deployRewards,
  ethers,
  networkHelpers,
  settlementTree,
  activateAfterWindow,
} from "../helpers/rewards.js";

const Status = { None: 0n, Pending: 1n, Challenged: 2n, Final: 3n, Voided: 4n };

/** 10 units of model 1 paid in epoch 0 (amount 20 OPEN: treasury 1, owner 5 + royalty 1, staker 1, pool 12). */
async function paidFixture() {
  const f = await deployRewards();
  await f.distributor.connect(f.payer).pay(1, 10, ethers.MaxUint256);
  return f;
}

/** Epoch 0 of model 1 committed with alice 3 / bob 1 (total 4) and final. */
async function finalFixture() {
  const f = await paidFixture();
  const tree = attributionTree([
    [f.alice.address, 3n],
    [f.bob.address, 1n],
  ]);
  await networkHelpers.time.increase(EPOCH);
  await f.registry.connect(f.operator).commitAttribution(1, 0, tree.root, 4, 1, "ipfs://t");
  await networkHelpers.time.increase(WINDOW);
  return { ...f, tree };
}

const POOL = 12n * E18;

describe("RewardDistributor", function () {
  describe("constructor and views", function () {
    it("should expose its wiring and parameters", async function () {
      const { distributor, token, models, registry } = await networkHelpers.loadFixture(deployRewards);
      expect(await distributor.token()).to.equal(await token.getAddress());
      expect(await distributor.models()).to.equal(await models.getAddress());
      expect(await distributor.attribution()).to.equal(await registry.getAddress());
      expect(await distributor.rollForwardDelay()).to.equal(ROLL_DELAY);
      expect(await distributor.finalizeSeq()).to.equal(0n);
    });

    it("should revert when an address is zero or the token supply is above 2^96 - 1", async function () {
      const { distributor, token, models, registry, admin } = await networkHelpers.loadFixture(deployRewards);
      const t = await token.getAddress();
      const m = await models.getAddress();
      const r = await registry.getAddress();
      const factory = await ethers.getContractFactory("RewardDistributor");
      await expect(
        factory.deploy(t, m, r, ethers.ZeroAddress, DEFAULT_SPLIT, ROLL_DELAY),
      ).to.be.revertedWithCustomError(distributor, "ZeroAddress");
      const big = await ethers.deployContract("OpenToken", ["Big", "BIG", admin.address, 2n ** 96n]);
      await expect(factory.deploy(await big.getAddress(), m, r, admin.address, DEFAULT_SPLIT, ROLL_DELAY))
        .to.be.revertedWithCustomError(distributor, "TokenSupplyTooLarge")
        .withArgs(2n ** 96n);
      const regFactory = await ethers.getContractFactory("AttributionRegistry");
      await expect(
        regFactory.deploy(
          ethers.ZeroAddress,
          ethers.ZeroAddress,
          admin.address,
          admin.address,
          EPOCH,
          WINDOW,
          1,
        ),
      ).to.be.revertedWithCustomError(registry, "ZeroAddress");
      await expect(
        regFactory.deploy(t, ethers.ZeroAddress, ethers.ZeroAddress, admin.address, EPOCH, WINDOW, 1),
      ).to.be.revertedWithCustomError(registry, "ZeroAddress");
    });
  });

  describe("pay", function () {
    it("should split the payment, emit Paid and pull the tokens", async function () {
      const { distributor, token, payer } = await networkHelpers.loadFixture(deployRewards);
      await expect(distributor.connect(payer).pay(1, 10, ethers.MaxUint256))
        .to.emit(distributor, "Paid")
        .withArgs(1, 0, payer.address, 20n * E18, 2n * E18, 6n * E18, 0);
      expect(await token.balanceOf(await distributor.getAddress())).to.equal(20n * E18);
      expect(await distributor.epochPool(1, 0)).to.equal(POOL);
      expect(await distributor.ownerEarnings(1)).to.equal(6n * E18);
      const b = await distributor.books();
      expect(b.paidIn).to.equal(20n * E18);
      expect(b.treasuryAccrued).to.equal(E18);
      expect(b.stakerReserve).to.equal(E18);
      expect(b.ownersAccrued).to.equal(6n * E18);
      expect(b.poolsPending).to.equal(POOL);
    });

    it("should round every share down and give the remainder to the contributors", async function () {
      const { distributor, models, owner, payer } = await networkHelpers.loadFixture(deployRewards);
      // 199 * 1: protocol floor(19.9) = 19, owner floor(49.75) = 49, royalty floor(9.95) = 9 -> pool 122
      await models.setModel(2, owner.address, 0, 199);
      await distributor.connect(payer).pay(2, 1, ethers.MaxUint256);
      expect(await distributor.epochPool(2, 0)).to.equal(199n - 19n - 49n - 9n);
      expect(await distributor.ownerEarnings(2)).to.equal(58n);
    });

    it("should share the royalty equally along the lineage, three ancestors deep", async function () {
      const { distributor, models, owner, alice, bob, carol, payer } =
        await networkHelpers.loadFixture(deployRewards);
      await models.setModel(2, alice.address, 1, PRICE);
      await models.setModel(3, bob.address, 2, PRICE);
      await models.setModel(4, carol.address, 3, PRICE);
      await models.setModel(5, owner.address, 4, 1003); // royalty floor(1003*5%) = 50: 16 each, 2 left
      await expect(distributor.connect(payer).pay(5, 1, ethers.MaxUint256))
        .to.emit(distributor, "RoyaltyAccrued")
        .withArgs(4, 5, 16)
        .and.to.emit(distributor, "RoyaltyAccrued")
        .withArgs(2, 5, 16);
      expect(await distributor.ownerEarnings(4)).to.equal(16n);
      expect(await distributor.ownerEarnings(3)).to.equal(16n);
      expect(await distributor.ownerEarnings(2)).to.equal(16n);
      expect(await distributor.ownerEarnings(1)).to.equal(0n); // beyond the depth
      expect(await distributor.epochPool(5, 0)).to.equal(1003n - 50n - 250n - 50n - 50n + 2n);
    });

    it("should stop the royalty at the root of a short lineage", async function () {
      const { distributor, models, alice, payer } = await networkHelpers.loadFixture(deployRewards);
      await models.setModel(2, alice.address, 1, 1000); // royalty 50, all to model 1
      await distributor.connect(payer).pay(2, 1, ethers.MaxUint256);
      expect(await distributor.ownerEarnings(1)).to.equal(50n);
      expect(await distributor.ownerEarnings(2)).to.equal(250n);
    });

    it("should revert when the model is retired", async function () {
      const { distributor, models, payer } = await networkHelpers.loadFixture(deployRewards);
      await models.setRetired(1, true);
      await expect(distributor.connect(payer).pay(1, 1, ethers.MaxUint256))
        .to.be.revertedWithCustomError(distributor, "ModelRetired")
        .withArgs(1);
    });

    it("should revert when the model is unknown", async function () {
      const { distributor, models, payer } = await networkHelpers.loadFixture(deployRewards);
      await expect(distributor.connect(payer).pay(42, 1, ethers.MaxUint256))
        .to.be.revertedWithCustomError(models, "UnknownModel")
        .withArgs(42);
    });

    it("should revert when units or price are zero, or the amount is too large", async function () {
      const { distributor, models, owner, payer } = await networkHelpers.loadFixture(deployRewards);
      await expect(distributor.connect(payer).pay(1, 0, ethers.MaxUint256)).to.be.revertedWithCustomError(
        distributor,
        "ZeroUnits",
      );
      await models.setModel(2, owner.address, 0, 0);
      await expect(distributor.connect(payer).pay(2, 1, ethers.MaxUint256))
        .to.be.revertedWithCustomError(distributor, "ZeroPrice")
        .withArgs(2);
      await expect(
        distributor.connect(payer).pay(1, 2n ** 96n, ethers.MaxUint256),
      ).to.be.revertedWithCustomError(distributor, "PaymentTooLarge");
    });

    it("should revert when the payer has not approved", async function () {
      const { distributor, token, stranger } = await networkHelpers.loadFixture(deployRewards);
      await expect(distributor.connect(stranger).pay(1, 1, ethers.MaxUint256)).to.be.revertedWithCustomError(
        token,
        "ERC20InsufficientAllowance",
      );
    });
  });

  describe("payWithPermit", function () {
    async function permitFixture() {
      const f = await deployRewards();
      const app = ethers.Wallet.createRandom().connect(ethers.provider);
      await f.admin.sendTransaction({ to: app.address, value: E18 });
      await f.token.transfer(app.address, 100n * E18);
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      const distributorAddress = await f.distributor.getAddress();
      const sign = (value: bigint, signer = app) =>
        signPermit(f.token, signer, distributorAddress, value, deadline);
      return { ...f, app, deadline, sign };
    }

    it("should pay with a permit in the same call", async function () {
      const { distributor, app, deadline, sign } = await networkHelpers.loadFixture(permitFixture);
      const sig = await sign(3n * PRICE);
      await expect(distributor.connect(app).payWithPermit(1, 3, 3n * PRICE, deadline, sig.v, sig.r, sig.s))
        .to.emit(distributor, "Paid")
        .withArgs(1, 0, app.address, 3n * PRICE, (3n * PRICE) / 10n, (3n * PRICE * 3n) / 10n, 0);
    });

    it("should proceed when the permit was front-run and the allowance suffices", async function () {
      const { distributor, token, app, deadline, sign, stranger } =
        await networkHelpers.loadFixture(permitFixture);
      const sig = await sign(3n * PRICE);
      await token
        .connect(stranger)
        .permit(app.address, await distributor.getAddress(), 3n * PRICE, deadline, sig.v, sig.r, sig.s);
      await expect(
        distributor.connect(app).payWithPermit(1, 3, 3n * PRICE, deadline, sig.v, sig.r, sig.s),
      ).to.emit(distributor, "Paid");
    });

    it("should revert when the permit signature is wrong", async function () {
      const { distributor, app, deadline, sign } = await networkHelpers.loadFixture(permitFixture);
      const other = ethers.Wallet.createRandom().connect(ethers.provider);
      const sig = await sign(3n * PRICE, other as unknown as typeof app);
      await expect(distributor.connect(app).payWithPermit(1, 3, 3n * PRICE, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(distributor, "PermitFailed")
        .withArgs(app.address, 0, 3n * PRICE);
    });
  });

  describe("withdrawOwnerEarnings", function () {
    it("should pay the current owner's earnings to the recipient", async function () {
      const { distributor, token, owner, carol } = await networkHelpers.loadFixture(paidFixture);
      await expect(distributor.connect(owner).withdrawOwnerEarnings(1, carol.address))
        .to.emit(distributor, "OwnerEarningsWithdrawn")
        .withArgs(1, owner.address, carol.address, 6n * E18);
      expect(await token.balanceOf(carol.address)).to.equal(6n * E18);
      expect((await distributor.books()).ownersWithdrawn).to.equal(6n * E18);
      await expect(
        distributor.connect(owner).withdrawOwnerEarnings(1, carol.address),
      ).to.be.revertedWithCustomError(distributor, "NothingToPay");
    });

    it("should revert when the caller does not own the model", async function () {
      const { distributor, stranger, owner } = await networkHelpers.loadFixture(paidFixture);
      await expect(distributor.connect(stranger).withdrawOwnerEarnings(1, stranger.address))
        .to.be.revertedWithCustomError(distributor, "NotModelOwner")
        .withArgs(1, stranger.address, owner.address);
    });

    it("should revert when the recipient is zero", async function () {
      const { distributor, owner } = await networkHelpers.loadFixture(paidFixture);
      await expect(
        distributor.connect(owner).withdrawOwnerEarnings(1, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(distributor, "ZeroAddress");
    });
  });

  describe("withdrawTreasury", function () {
    it("should pay the accrued treasury share", async function () {
      const { distributor, token, admin, treasury } = await networkHelpers.loadFixture(paidFixture);
      await expect(distributor.connect(admin).withdrawTreasury(treasury.address))
        .to.emit(distributor, "TreasuryWithdrawn")
        .withArgs(treasury.address, E18);
      expect(await token.balanceOf(treasury.address)).to.equal(E18);
      await expect(
        distributor.connect(admin).withdrawTreasury(treasury.address),
      ).to.be.revertedWithCustomError(distributor, "NothingToPay");
    });

    it("should revert when the recipient is zero", async function () {
      const { distributor, admin } = await networkHelpers.loadFixture(paidFixture);
      await expect(
        distributor.connect(admin).withdrawTreasury(ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(distributor, "ZeroAddress");
    });

    it("should revert when the caller is not governance", async function () {
      const { distributor, stranger } = await networkHelpers.loadFixture(paidFixture);
      await expect(
        distributor.connect(stranger).withdrawTreasury(stranger.address),
      ).to.be.revertedWithCustomError(distributor, "AccessControlUnauthorizedAccount");
    });
  });

  describe("finalize", function () {
    it("should finalise a final pair with the next sequence number", async function () {
      const { distributor } = await networkHelpers.loadFixture(finalFixture);
      await expect(distributor.finalize(1, 0)).to.emit(distributor, "Finalized").withArgs(1, 0, 1, POOL);
      expect(await distributor.totalFinalizedPools()).to.equal(POOL);
      expect((await distributor.pair(1, 0)).finalizeSeq).to.equal(1n);
      const b = await distributor.books();
      expect([b.claimable, b.poolsPending]).to.deep.equal([POOL, 0n]);
      await expect(distributor.finalize(1, 0))
        .to.be.revertedWithCustomError(distributor, "AlreadyFinalized")
        .withArgs(1, 0);
    });

    it("should revert when the commitment is not final yet", async function () {
      const { distributor, registry, operator } = await networkHelpers.loadFixture(paidFixture);
      await networkHelpers.time.increase(EPOCH);
      await registry.connect(operator).commitAttribution(1, 0, ethers.id("r"), 1, 1, "u");
      await expect(distributor.finalize(1, 0))
        .to.be.revertedWithCustomError(registry, "NotFinal")
        .withArgs(1, 0, Status.Pending);
    });
  });

  describe("claimDirect", function () {
    it("should pay floor(pool * weight / total) to the leaf's account, whoever calls", async function () {
      const { distributor, token, alice, stranger, tree } = await networkHelpers.loadFixture(finalFixture);
      const proof = tree.getProof([alice.address, 3n]);
      await expect(distributor.connect(stranger).claimDirect(alice.address, 1, 0, 3, proof))
        .to.emit(distributor, "DirectClaimed")
        .withArgs(alice.address, 1, 0, 3, 9n * E18);
      expect(await token.balanceOf(alice.address)).to.equal(9n * E18);
      expect(await distributor.claimed(alice.address)).to.equal(9n * E18);
      expect(await distributor.directClaimed(alice.address, 1, 0)).to.equal(true);
      expect((await distributor.pair(1, 0)).finalizeSeq).to.equal(1n); // finalised implicitly
    });

    it("should pay nothing against a final commitment of a model that was never paid", async function () {
      const { distributor, registry, operator, alice } = await networkHelpers.loadFixture(paidFixture);
      const tree = attributionTree([
        [alice.address, 1n],
        [operator.address, 1n],
      ]);
      await networkHelpers.time.increase(EPOCH);
      await registry.connect(operator).commitAttribution(99, 0, tree.root, 2, 1, "u");
      await networkHelpers.time.increase(WINDOW);
      await expect(
        distributor.claimDirect(alice.address, 99, 0, 1, tree.getProof([alice.address, 1n])),
      ).to.be.revertedWithCustomError(distributor, "NothingToPay");
      expect((await distributor.pair(99, 0)).pool).to.equal(0n);
    });

    it("should revert when the share rounds to zero or the leaves exceed the pool", async function () {
      const { distributor, registry, operator, payer, alice, bob } =
        await networkHelpers.loadFixture(paidFixture);
      const e1 = (await registry.currentEpoch()) + 1n;
      await networkHelpers.time.increase(EPOCH);
      await distributor.connect(payer).pay(1, 10, ethers.MaxUint256);
      await networkHelpers.time.increase(EPOCH);
      const tiny = attributionTree([
        [alice.address, 1n],
        [bob.address, 10n ** 30n],
      ]);
      const over = attributionTree([
        [alice.address, 3n],
        [bob.address, 3n],
      ]);
      await registry.connect(operator).commitAttribution(1, 0, tiny.root, 10n ** 30n + 1n, 1, "u");
      await registry.connect(operator).commitAttribution(1, e1, over.root, 4, 1, "u"); // leaves sum above the total
      await networkHelpers.time.increase(WINDOW);
      await expect(
        distributor.claimDirect(alice.address, 1, 0, 1, tiny.getProof([alice.address, 1n])),
      ).to.be.revertedWithCustomError(distributor, "NothingToPay");
      await distributor.claimDirect(alice.address, 1, e1, 3, over.getProof([alice.address, 3n]));
      await expect(distributor.claimDirect(bob.address, 1, e1, 3, over.getProof([bob.address, 3n])))
        .to.be.revertedWithCustomError(distributor, "PoolExceeded")
        .withArgs(1, e1);
      await expect(distributor.claimDirectBatch(alice.address, [])).to.be.revertedWithCustomError(
        distributor,
        "NothingToPay",
      );
    });

    it("should revert on a second claim", async function () {
      const { distributor, alice, tree } = await networkHelpers.loadFixture(finalFixture);
      const proof = tree.getProof([alice.address, 3n]);
      await distributor.claimDirect(alice.address, 1, 0, 3, proof);
      await expect(distributor.claimDirect(alice.address, 1, 0, 3, proof))
        .to.be.revertedWithCustomError(distributor, "AlreadyClaimed")
        .withArgs(alice.address, 1, 0);
    });

    it("should revert when the proof is for another account", async function () {
      const { distributor, alice, bob, tree } = await networkHelpers.loadFixture(finalFixture);
      await expect(
        distributor.claimDirect(bob.address, 1, 0, 3, tree.getProof([alice.address, 3n])),
      ).to.be.revertedWithCustomError(distributor, "InvalidProof");
    });

    it("should revert when the weight is above the total", async function () {
      const { distributor, alice, tree } = await networkHelpers.loadFixture(finalFixture);
      await expect(distributor.claimDirect(alice.address, 1, 0, 5, tree.getProof([alice.address, 3n])))
        .to.be.revertedWithCustomError(distributor, "InvalidWeight")
        .withArgs(5, 4);
    });

    it("should revert before finality", async function () {
      const { distributor, registry, operator, alice } = await networkHelpers.loadFixture(paidFixture);
      const tree = attributionTree([[alice.address, 1n]]);
      await networkHelpers.time.increase(EPOCH);
      await registry.connect(operator).commitAttribution(1, 0, tree.root, 1, 1, "u");
      await expect(distributor.claimDirect(alice.address, 1, 0, 1, []))
        .to.be.revertedWithCustomError(registry, "NotFinal")
        .withArgs(1, 0, Status.Pending);
    });

    it("should revert when the commitment is frozen by a challenge", async function () {
      const { distributor, registry, operator, challenger, alice } =
        await networkHelpers.loadFixture(paidFixture);
      const tree = attributionTree([[alice.address, 1n]]);
      await networkHelpers.time.increase(EPOCH);
      await registry.connect(operator).commitAttribution(1, 0, tree.root, 1, 1, "u");
      await registry.connect(challenger).challenge(1, 0, "why");
      await networkHelpers.time.increase(WINDOW);
      await expect(distributor.claimDirect(alice.address, 1, 0, 1, []))
        .to.be.revertedWithCustomError(registry, "NotFinal")
        .withArgs(1, 0, Status.Challenged);
    });

    it("should revert when the pair is covered by a settlement (no double payment)", async function () {
      const { distributor, settler, alice, tree } = await networkHelpers.loadFixture(finalFixture);
      await distributor.finalize(1, 0);
      await distributor
        .connect(settler)
        .commitSettlement(ethers.id("s"), POOL, await distributor.finalizeSeq(), "u");
      await activateAfterWindow(distributor);
      await expect(distributor.claimDirect(alice.address, 1, 0, 3, tree.getProof([alice.address, 3n])))
        .to.be.revertedWithCustomError(distributor, "CoveredBySettlement")
        .withArgs(1, 0, 1, 1);
    });
  });

  describe("claimDirectBatch", function () {
    it("should pay several epochs in one transfer", async function () {
      const { distributor, registry, token, operator, payer, alice, bob } =
        await networkHelpers.loadFixture(paidFixture);
      await networkHelpers.time.increase(EPOCH);
      await distributor.connect(payer).pay(1, 10, ethers.MaxUint256);
      await networkHelpers.time.increase(EPOCH);
      const tree = attributionTree([
        [alice.address, 3n],
        [bob.address, 1n],
      ]);
      await registry.connect(operator).commitAttribution(1, 0, tree.root, 4, 1, "u");
      await registry.connect(operator).commitAttribution(1, 1, tree.root, 4, 1, "u");
      await networkHelpers.time.increase(WINDOW);
      const proof = tree.getProof([alice.address, 3n]);
      const items = [0, 1].map((epoch) => ({ modelId: 1, epoch, weight: 3, proof }));
      await expect(distributor.claimDirectBatch(alice.address, items)).to.changeTokenBalance(
        ethers,
        token,
        alice,
        18n * E18,
      );
    });
  });

  describe("commitSettlement", function () {
    it("should record the root, its total and the coverage", async function () {
      const { distributor, settler } = await networkHelpers.loadFixture(finalFixture);
      await distributor.finalize(1, 0);
      const root = ethers.id("s");
      await expect(
        distributor
          .connect(settler)
          .commitSettlement(root, POOL, await distributor.finalizeSeq(), "ipfs://s"),
      )
        .to.emit(distributor, "SettlementCommitted")
        .withArgs(
          1,
          root,
          POOL,
          1,
          "ipfs://s",
          settler.address,
          (await networkHelpers.time.latest()) + 1 + 3_600,
        );
      await activateAfterWindow(distributor);
      const s = await distributor.latestSettlement();
      expect([s.root, s.total, s.coveredThroughSeq, s.id]).to.deep.equal([root, POOL, 1n, 1n]);
    });

    it("should revert when the total is above the finalised pools", async function () {
      const { distributor, settler } = await networkHelpers.loadFixture(finalFixture);
      await distributor.finalize(1, 0);
      await expect(
        distributor
          .connect(settler)
          .commitSettlement(ethers.id("s"), POOL + 1n, await distributor.finalizeSeq(), "u"),
      )
        .to.be.revertedWithCustomError(distributor, "SettlementAboveFinalized")
        .withArgs(POOL + 1n, POOL);
    });

    it("should revert when the total decreases or the root is zero", async function () {
      const { distributor, settler } = await networkHelpers.loadFixture(finalFixture);
      await distributor.finalize(1, 0);
      await distributor
        .connect(settler)
        .commitSettlement(ethers.id("s"), 10, await distributor.finalizeSeq(), "u");
      await activateAfterWindow(distributor);
      await expect(
        distributor
          .connect(settler)
          .commitSettlement(ethers.id("t"), 9, await distributor.finalizeSeq(), "u"),
      )
        .to.be.revertedWithCustomError(distributor, "SettlementTotalDecreased")
        .withArgs(9, 10);
      await expect(
        distributor
          .connect(settler)
          .commitSettlement(ethers.ZeroHash, 10, await distributor.finalizeSeq(), "u"),
      ).to.be.revertedWithCustomError(distributor, "ZeroRoot");
    });

    it("should revert on the reserved root that marks no settlement, and change nothing", async function () {
      const { distributor, settler } = await networkHelpers.loadFixture(finalFixture);
      await distributor.finalize(1, 0);
      const reserved = ethers.toBeHex(1, 32);
      await expect(
        distributor.connect(settler).commitSettlement(reserved, 10, await distributor.finalizeSeq(), "u"),
      ).to.be.revertedWithCustomError(distributor, "ReservedRoot");
      const s = await distributor.latestSettlement();
      expect([s.root, s.total, s.coveredThroughSeq, s.id]).to.deep.equal([ethers.ZeroHash, 0n, 0n, 0n]);
      expect((await distributor.books()).claimable).to.equal(POOL);
    });

    it("should refuse the live root posted again, keeping its claims and numbering", async function () {
      const { distributor, settler, alice, bob } = await networkHelpers.loadFixture(finalFixture);
      await distributor.finalize(1, 0);
      const s = settlementTree([
        [alice.address, 9n * E18],
        [bob.address, 3n * E18],
      ]);
      await distributor
        .connect(settler)
        .commitSettlement(s.root, 12n * E18, await distributor.finalizeSeq(), "u");
      await activateAfterWindow(distributor);
      await distributor.claim(...s.claimArgs(alice.address, 9n * E18));
      await expect(
        distributor
          .connect(settler)
          .commitSettlement(s.root, 12n * E18, await distributor.finalizeSeq(), "u"),
      )
        .to.be.revertedWithCustomError(distributor, "RootInUse")
        .withArgs(s.root);
      expect((await distributor.latestSettlement()).id).to.equal(1n);
      await expect(distributor.claim(...s.claimArgs(bob.address, 3n * E18)))
        .to.emit(distributor, "Claimed")
        .withArgs(bob.address, 3n * E18, 3n * E18);
      const b = await distributor.books();
      expect([b.totalClaimed, b.claimable]).to.deep.equal([12n * E18, POOL - 12n * E18]);
    });

    it("should revert when the caller is not a settlement operator", async function () {
      const { distributor, stranger } = await networkHelpers.loadFixture(finalFixture);
      await expect(
        distributor
          .connect(stranger)
          .commitSettlement(ethers.id("s"), 0, await distributor.finalizeSeq(), "u"),
      ).to.be.revertedWithCustomError(distributor, "AccessControlUnauthorizedAccount");
    });
  });

  /** Pair (1, 0) finalised and settled: alice is owed 9 OPEN, bob 3. */
  async function settledFixture() {
    const f = await finalFixture();
    await f.distributor.finalize(1, 0);
    const s = settlementTree([
      [f.alice.address, 9n * E18],
      [f.bob.address, 3n * E18],
    ]);
    await f.distributor
      .connect(f.settler)
      .commitSettlement(s.root, POOL, await f.distributor.finalizeSeq(), "u");
    await activateAfterWindow(f.distributor);
    return { ...f, s };
  }

  describe("claim", function () {
    it("should pay cumulative minus claimed to the leaf's account, whoever calls", async function () {
      const { distributor, token, alice, stranger, s } = await networkHelpers.loadFixture(settledFixture);
      await expect(distributor.connect(stranger).claim(...s.claimArgs(alice.address, 9n * E18)))
        .to.emit(distributor, "Claimed")
        .withArgs(alice.address, 9n * E18, 9n * E18);
      expect(await token.balanceOf(alice.address)).to.equal(9n * E18);
      expect(await distributor.claimable(alice.address, 9n * E18)).to.equal(0n);
    });

    it("should pay only the rest after a direct claim included in a later settlement", async function () {
      const { distributor, registry, token, operator, settler, payer, alice, bob, tree, s } =
        await networkHelpers.loadFixture(settledFixture);
      // Epoch 1 of model 1: claimed directly by alice (uncovered), then settled cumulatively.
      const e = await registry.currentEpoch();
      await distributor.connect(payer).pay(1, 10, ethers.MaxUint256);
      await networkHelpers.time.increase(EPOCH);
      await registry.connect(operator).commitAttribution(1, e, tree.root, 4, 1, "u");
      await networkHelpers.time.increase(WINDOW);
      await distributor.claimDirect(alice.address, 1, e, 3, tree.getProof([alice.address, 3n]));
      const s2 = settlementTree([
        [alice.address, 18n * E18],
        [bob.address, 6n * E18],
      ]);
      await distributor
        .connect(settler)
        .commitSettlement(s2.root, 2n * POOL, await distributor.finalizeSeq(), "u");
      await activateAfterWindow(distributor);
      await expect(distributor.claim(...s2.claimArgs(alice.address, 18n * E18))).to.changeTokenBalance(
        ethers,
        token,
        alice,
        9n * E18,
      );
      expect(await distributor.claimed(alice.address)).to.equal(18n * E18);
      void s;
    });

    it("should revert on a second claim", async function () {
      const { distributor, alice, s } = await networkHelpers.loadFixture(settledFixture);
      await distributor.claim(...s.claimArgs(alice.address, 9n * E18));
      await expect(distributor.claim(...s.claimArgs(alice.address, 9n * E18)))
        .to.be.revertedWithCustomError(distributor, "NothingToClaim")
        .withArgs(alice.address, 9n * E18, 9n * E18);
    });

    it("should revert when the proof is for another account", async function () {
      const { distributor, alice, carol, s } = await networkHelpers.loadFixture(settledFixture);
      await expect(
        distributor.claim(...s.claimArgs(carol.address, 9n * E18, alice.address)),
      ).to.be.revertedWithCustomError(distributor, "InvalidProof");
    });

    it("should never pay claims above the finalised pools (a settlement that drops an account)", async function () {
      const { distributor, settler, alice, bob } = await networkHelpers.loadFixture(settledFixture);
      const one = settlementTree([
        [alice.address, POOL],
        [bob.address, 0n],
      ]);
      await distributor
        .connect(settler)
        .commitSettlement(one.root, POOL, await distributor.finalizeSeq(), "u");
      await activateAfterWindow(distributor);
      await distributor.claim(...one.claimArgs(alice.address, POOL));
      const other = settlementTree([
        [bob.address, POOL],
        [alice.address, 0n],
      ]);
      await distributor
        .connect(settler)
        .commitSettlement(other.root, POOL, await distributor.finalizeSeq(), "u");
      await activateAfterWindow(distributor);
      await expect(distributor.claim(...other.claimArgs(bob.address, POOL)))
        .to.be.revertedWithCustomError(distributor, "ClaimsAboveFinalized")
        .withArgs(2n * POOL, POOL);
    });

    it("should refuse a proof against a superseded root", async function () {
      const { distributor, settler, bob, s } = await networkHelpers.loadFixture(settledFixture);
      const next = settlementTree([[bob.address, 4n * E18]]);
      await distributor
        .connect(settler)
        .commitSettlement(next.root, POOL, await distributor.finalizeSeq(), "u");
      await activateAfterWindow(distributor);
      await expect(distributor.claim(...s.claimArgs(bob.address, 3n * E18))).to.be.revertedWithCustomError(
        distributor,
        "InvalidProof",
      );
      await expect(distributor.claim(...next.claimArgs(bob.address, 4n * E18)))
        .to.emit(distributor, "Claimed")
        .withArgs(bob.address, 4n * E18, 4n * E18);
    });

    it("should revert when there is no settlement", async function () {
      const { distributor, alice } = await networkHelpers.loadFixture(finalFixture);
      await expect(distributor.claim(alice.address, 1, alice.address, 0, [])).to.be.revertedWithCustomError(
        distributor,
        "NoSettlement",
      );
    });
  });

  describe("claimMany", function () {
    it("should pay several accounts", async function () {
      const { s, ...f } = await networkHelpers.loadFixture(settledFixture);
      const claims = [s.claimItem(f.alice.address), s.claimItem(f.bob.address)];
      await expect(f.distributor.claimMany(claims)).to.changeTokenBalances(
        ethers,
        f.token,
        [f.alice, f.bob],
        [9n * E18, 3n * E18],
      );
      expect((await f.distributor.books()).claimable).to.equal(0n);
    });

    it("should revert when a claim proves another root, and pay nobody", async function () {
      const { s, ...f } = await networkHelpers.loadFixture(settledFixture);
      const stale = settlementTree([[f.bob.address, 3n * E18]]);
      const claims = [s.claimItem(f.alice.address), stale.claimItem(f.bob.address)];
      await expect(f.distributor.claimMany(claims)).to.be.revertedWithCustomError(
        f.distributor,
        "InvalidProof",
      );
      expect(await f.distributor.claimed(f.alice.address)).to.equal(0n);
    });

    it("should pay nothing and change nothing for an empty batch", async function () {
      const f = await networkHelpers.loadFixture(finalFixture);
      await f.distributor.finalize(1, 0);
      const before = await f.distributor.books();
      expect(await f.distributor.claimMany.staticCall([])).to.equal(0n);
      await f.distributor.claimMany([]);
      expect(await f.distributor.books()).to.deep.equal(before);
    });
  });

  describe("rollForward", function () {
    it("should move an unattributed pool into the model's current epoch after the delay", async function () {
      const { distributor } = await networkHelpers.loadFixture(paidFixture);
      await networkHelpers.time.increase(EPOCH + ROLL_DELAY);
      const current = 1n + ROLL_DELAY / EPOCH;
      await expect(distributor.rollForward(1, 0))
        .to.emit(distributor, "RolledForward")
        .withArgs(1, 0, current, POOL);
      expect(await distributor.epochPool(1, 0)).to.equal(0n);
      expect(await distributor.epochPool(1, current)).to.equal(POOL);
      expect((await distributor.books()).rolledForward).to.equal(POOL);
      await expect(distributor.rollForward(1, 0)).to.be.revertedWithCustomError(distributor, "NothingToPay");
    });

    it("should roll a voided commitment's pool", async function () {
      const { distributor, registry, operator, challenger, admin } =
        await networkHelpers.loadFixture(paidFixture);
      await networkHelpers.time.increase(EPOCH);
      await registry.connect(operator).commitAttribution(1, 0, ethers.id("r"), 1, 1, "u");
      await registry.connect(challenger).challenge(1, 0, "why");
      await registry.connect(admin).resolveChallenge(1, 0, false);
      await networkHelpers.time.increase(ROLL_DELAY);
      await expect(distributor.rollForward(1, 0)).to.emit(distributor, "RolledForward");
    });

    it("should revert before the delay, for a final pair and for the current epoch", async function () {
      const { distributor, registry, operator } = await networkHelpers.loadFixture(paidFixture);
      await expect(distributor.rollForward(1, 0)).to.be.revertedWithCustomError(distributor, "NotRollable");
      await networkHelpers.time.increase(EPOCH);
      await expect(distributor.rollForward(1, 0)).to.be.revertedWithCustomError(distributor, "NotRollable");
      await registry.connect(operator).commitAttribution(1, 0, ethers.id("r"), 1, 1, "u");
      await networkHelpers.time.increase(ROLL_DELAY);
      await expect(distributor.rollForward(1, 0)).to.be.revertedWithCustomError(distributor, "NotRollable");
    });
  });

  describe("setFeeSplit / setRollForwardDelay", function () {
    it("should change the split within the caps", async function () {
      const { distributor, admin } = await networkHelpers.loadFixture(deployRewards);
      const split = { treasuryBps: 1000, ownerBps: 5000, royaltyBps: 1000, stakerBps: 1000 };
      await expect(distributor.connect(admin).setFeeSplit(split))
        .to.emit(distributor, "FeeSplitChanged")
        .withArgs([1000, 5000, 1000, 1000]);
      expect(await distributor.feeSplit()).to.deep.equal([1000n, 5000n, 1000n, 1000n]);
      await expect(distributor.connect(admin).setRollForwardDelay(3600))
        .to.emit(distributor, "RollForwardDelayChanged")
        .withArgs(3600);
    });

    it("should divide the protocol share accrued so far under the old split", async function () {
      const { distributor, admin, payer } = await networkHelpers.loadFixture(paidFixture);
      await distributor
        .connect(admin)
        .setFeeSplit({ treasuryBps: 1000, ownerBps: 2500, royaltyBps: 500, stakerBps: 0 });
      await distributor.connect(payer).pay(1, 10, ethers.MaxUint256);
      const b = await distributor.books();
      expect([b.treasuryAccrued, b.stakerReserve]).to.deep.equal([3n * E18, E18]);
      expect(b.paidIn).to.equal(
        b.treasuryAccrued + b.ownersAccrued + b.stakerReserve + b.totalClaimed + b.claimable + b.poolsPending,
      );
    });

    it("should revert when a share is above its cap or the delay out of range", async function () {
      const { distributor, admin } = await networkHelpers.loadFixture(deployRewards);
      await expect(
        distributor
          .connect(admin)
          .setFeeSplit({ treasuryBps: 1001, ownerBps: 0, royaltyBps: 0, stakerBps: 0 }),
      ).to.be.revertedWithCustomError(distributor, "FeeSplitAboveCap");
      await expect(distributor.connect(admin).setRollForwardDelay(60)).to.be.revertedWithCustomError(
        distributor,
        "RollForwardDelayOutOfRange",
      );
    });

    it("should revert when the caller is not governance", async function () {
      const { distributor, stranger } = await networkHelpers.loadFixture(deployRewards);
      await expect(
        distributor
          .connect(stranger)
          .setFeeSplit({ treasuryBps: 0, ownerBps: 0, royaltyBps: 0, stakerBps: 0 }),
      ).to.be.revertedWithCustomError(distributor, "AccessControlUnauthorizedAccount");
    });
  });

  describe("recoverForeignToken", function () {
    it("should send out a foreign token and refuse OPEN", async function () {
      const { distributor, token, admin, stranger } = await networkHelpers.loadFixture(paidFixture);
      const foreign = await ethers.deployContract("OpenToken", ["Other", "OTH", admin.address, 1000n]);
      await foreign.transfer(await distributor.getAddress(), 7n);
      await expect(
        distributor.connect(admin).recoverForeignToken(await foreign.getAddress(), stranger.address),
      )
        .to.emit(distributor, "ForeignTokenRecovered")
        .withArgs(await foreign.getAddress(), stranger.address, 7n);
      expect(await foreign.balanceOf(stranger.address)).to.equal(7n);
      await expect(
        distributor.connect(admin).recoverForeignToken(await token.getAddress(), stranger.address),
      ).to.be.revertedWithCustomError(distributor, "NotForeignToken");
      await expect(
        distributor.connect(admin).recoverForeignToken(await foreign.getAddress(), ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(distributor, "ZeroAddress");
    });
  });

  describe("books", function () {
    it("should balance exactly: paidIn == treasury + owners + stakers + claimed + claimable + pending", async function () {
      const { distributor, token, alice, tree, payer } = await networkHelpers.loadFixture(finalFixture);
      await distributor.connect(payer).pay(1, 7, ethers.MaxUint256);
      await distributor.claimDirect(alice.address, 1, 0, 3, tree.getProof([alice.address, 3n]));
      const b = await distributor.books();
      expect(b.paidIn).to.equal(
        b.treasuryAccrued + b.ownersAccrued + b.stakerReserve + b.totalClaimed + b.claimable + b.poolsPending,
      );
      const owed =
        b.treasuryAccrued -
        b.treasuryWithdrawn +
        b.ownersAccrued -
        b.ownersWithdrawn +
        b.stakerReserve +
        b.claimable +
        b.poolsPending;
      expect(await token.balanceOf(await distributor.getAddress())).to.equal(owed);
    });
  });
});

import { expect } from "chai";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { SETTLEMENT_LEAF_ENCODING, SETTLEMENT_LEAF_TAG } from "../../src/merkle/index.js";
import { SETTLEMENT_LAST_LINK, SETTLEMENT_SENTINEL } from "../../src/settlement/tree.js";
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
  settlementTree,
} from "../helpers/rewards.js";
import { deployStakingOf, wiredFixture } from "../helpers/staking.js";

const Fault = {
  None: 0n,
  Underpaid: 1n,
  Omitted: 2n,
  BrokenLink: 3n,
  BadSentinel: 4n,
  AboveTotal: 5n,
  TotalMismatch: 6n,
  DuplicateAccount: 7n,
  LeafInsideGap: 8n,
  BrokenPrefix: 9n,
};
/** Per pair: 10 units paid, a pool of 12 OPEN; alice weight 3 of 4 (9 OPEN), bob 1 (3 OPEN). */
const POOL = 12n * E18;
const HOUR = 3_600n;

interface RawLeaf {
  account: string;
  cumulativeAmount: bigint;
  nextAccount: string;
  prefixBefore: bigint;
}

/** A settlement tree of arbitrary (possibly broken) leaves, for hostile operators. */
function rawTree(leaves: RawLeaf[]) {
  const rows = leaves.map((l) => [
    SETTLEMENT_LEAF_TAG,
    l.account,
    l.cumulativeAmount.toString(),
    l.nextAccount,
    l.prefixBefore.toString(),
  ]);
  const tree = StandardMerkleTree.of(rows, [...SETTLEMENT_LEAF_ENCODING]);
  return { root: tree.root, proven: (i: number) => ({ ...leaves[i]!, proof: tree.getProof(i) }) };
}

/**
 * Staking wired, the settlement disputes contract deployed and wired (rejections, SLASHER_ROLE);
 * the bonded attribution operator is also the settlement operator; pairs (1, e) and (2, e) are
 * final and finalised (pools 12 OPEN each), attribution tree alice 3 / bob 1 for both.
 */
async function disputesFixture() {
  const f = await wiredFixture();
  const { distributor, registry, staking, models, operator, payer, owner, alice, bob } = f;
  const disputes = await ethers.deployContract("SettlementDisputes", [await distributor.getAddress()]);
  await distributor.setSettlementDisputes(await disputes.getAddress());
  await staking.grantRole(await staking.SLASHER_ROLE(), await disputes.getAddress());
  await distributor.grantRole(await distributor.SETTLEMENT_OPERATOR_ROLE(), operator.address);
  await models.setModel(2, owner.address, 0, PRICE);
  const e = await registry.currentEpoch();
  await distributor.connect(payer).pay(1, 10, ethers.MaxUint256);
  await distributor.connect(payer).pay(2, 10, ethers.MaxUint256);
  await networkHelpers.time.increase(EPOCH);
  const tree = attributionTree([
    [alice.address, 3n],
    [bob.address, 1n],
  ]);
  await registry.connect(operator).commitAttribution(1, e, tree.root, 4, 1, "ipfs://t1");
  await registry.connect(operator).commitAttribution(2, e, tree.root, 4, 1, "ipfs://t2");
  await networkHelpers.time.increase(WINDOW);
  await distributor.finalize(1, e);
  await distributor.finalize(2, e);
  const pairsOf = (who: string, weight: bigint) =>
    [1n, 2n].map((modelId) => ({ modelId, epoch: e, weight, proof: tree.getProof([who, weight]) }));
  return { ...f, disputes, e, tree, pairsOf };
}

/** `disputesFixture` with a root posted by the operator from `entries`. */
async function post(f: Awaited<ReturnType<typeof disputesFixture>>, root: string, total: bigint) {
  await f.distributor
    .connect(f.operator)
    .commitSettlement(root, total, await f.distributor.finalizeSeq(), "u");
}

/** Expects the pending root rejected with `fault`, the operator slashed and the disputer paid. */
async function expectRejected(
  f: Awaited<ReturnType<typeof disputesFixture>>,
  send: () => Promise<{ wait(): Promise<unknown> }>,
  root: string,
  fault: bigint,
  account: string,
) {
  const poolBefore = (await f.staking.pool(f.operator.address)).assets;
  const balanceBefore = await f.token.balanceOf(f.challenger.address);
  const live = await f.distributor.latestSettlement();
  const receipt = (await (await send()).wait()) as { logs: { topics: string[]; data: string }[] };
  const events = receipt.logs
    .map((l) => f.disputes.interface.parseLog(l))
    .filter((e) => e?.name === "SettlementDisputed");
  expect(events.length).to.equal(1);
  const a = events[0]!.args;
  const slashed = poolBefore - (await f.staking.pool(f.operator.address)).assets;
  const reward = (await f.token.balanceOf(f.challenger.address)) - balanceBefore;
  expect([a.root, a.operator, a.disputer, a.fault, a.account]).to.deep.equal([
    root,
    f.operator.address,
    f.challenger.address,
    fault,
    ethers.getAddress(account),
  ]);
  expect(slashed).to.be.greaterThan(0n); // slashBps of the pool, rounded up by staking
  expect([a.slashed, a.reward]).to.deep.equal([slashed, reward]);
  // challengerRewardBps of the slash, capped by what the operator's own bond loses (staking's rule).
  expect(reward).to.be.greaterThan(0n);
  expect(reward).to.be.at.most((slashed * (await f.staking.challengerRewardBps())) / 10_000n);
  // The pending root is gone, the live one untouched: claims never stop and nothing is lost.
  expect((await f.distributor.pendingSettlement()).activatesAt).to.equal(0n);
  expect(await f.distributor.latestSettlement()).to.deep.equal(live);
  await expect(f.distributor.activateSettlement()).to.be.revertedWithCustomError(
    f.distributor,
    "NoPendingSettlement",
  );
}

describe("SettlementQueue (pending settlement roots)", function () {
  describe("commitSettlement", function () {
    it("should leave the root pending for the dispute window and the live root claimable", async function () {
      const f = await networkHelpers.loadFixture(disputesFixture);
      const s1 = settlementTree([
        [f.alice.address, 9n * E18],
        [f.bob.address, 3n * E18],
      ]);
      await post(f, s1.root, 12n * E18);
      await activateAfterWindow(f.distributor);
      const s2 = settlementTree([
        [f.alice.address, 18n * E18],
        [f.bob.address, 6n * E18],
      ]);
      const seq = await f.distributor.finalizeSeq();
      const tx = f.distributor.connect(f.operator).commitSettlement(s2.root, 2n * POOL, seq, "ipfs://s2");
      await expect(tx)
        .to.emit(f.distributor, "SettlementCommitted")
        .withArgs(
          2,
          s2.root,
          2n * POOL,
          seq,
          "ipfs://s2",
          f.operator.address,
          (await networkHelpers.time.latest()) + 1 + 3600,
        );
      const p = await f.distributor.pendingSettlement();
      expect([p.root, p.total, p.coveredThroughSeq, p.operator, p.proposal]).to.deep.equal([
        s2.root,
        2n * POOL,
        seq,
        f.operator.address,
        2n,
      ]);
      expect((await f.distributor.latestSettlement()).root).to.equal(s1.root);
      // Claims never stop: the live root pays, the pending one refuses with its activation time.
      await expect(f.distributor.claim(...s1.claimArgs(f.alice.address, 9n * E18)))
        .to.emit(f.distributor, "Claimed")
        .withArgs(f.alice.address, 9n * E18, 9n * E18);
      await expect(f.distributor.claim(...s2.claimArgs(f.bob.address, 6n * E18)))
        .to.be.revertedWithCustomError(f.distributor, "SettlementNotLive")
        .withArgs(s2.root, p.activatesAt);
    });

    it("should revert while a root is pending, and when the coverage is not every finalised pair", async function () {
      const f = await networkHelpers.loadFixture(disputesFixture);
      const seq = await f.distributor.finalizeSeq();
      await expect(f.distributor.connect(f.operator).commitSettlement(ethers.id("a"), 0, seq - 1n, "u"))
        .to.be.revertedWithCustomError(f.distributor, "CoverageNotCurrent")
        .withArgs(seq - 1n, seq);
      await post(f, ethers.id("a"), 0n);
      const p = await f.distributor.pendingSettlement();
      await expect(f.distributor.connect(f.operator).commitSettlement(ethers.id("b"), 0, seq, "u"))
        .to.be.revertedWithCustomError(f.distributor, "SettlementAlreadyPending")
        .withArgs(ethers.id("a"), p.activatesAt);
    });

    it("should revert when the root is the live one", async function () {
      const f = await networkHelpers.loadFixture(disputesFixture);
      await post(f, ethers.id("a"), 0n);
      await activateAfterWindow(f.distributor);
      await expect(
        f.distributor
          .connect(f.operator)
          .commitSettlement(ethers.id("a"), 0, await f.distributor.finalizeSeq(), "u"),
      )
        .to.be.revertedWithCustomError(f.distributor, "RootInUse")
        .withArgs(ethers.id("a"));
    });

    it("should revert when the settlement operator is not bonded in staking (issue 16)", async function () {
      const f = await networkHelpers.loadFixture(disputesFixture);
      await expect(
        f.distributor
          .connect(f.settler)
          .commitSettlement(ethers.id("a"), 0, await f.distributor.finalizeSeq(), "u"),
      )
        .to.be.revertedWithCustomError(f.staking, "UnknownOperator")
        .withArgs(f.settler.address);
    });
  });

  describe("activateSettlement", function () {
    it("should make the pending root live after the window, for anyone, and retire the old root", async function () {
      const f = await networkHelpers.loadFixture(disputesFixture);
      const s = settlementTree([
        [f.alice.address, 18n * E18],
        [f.bob.address, 6n * E18],
      ]);
      await post(f, s.root, 2n * POOL);
      const p = await f.distributor.pendingSettlement();
      await expect(f.distributor.connect(f.stranger).activateSettlement())
        .to.be.revertedWithCustomError(f.distributor, "DisputeWindowOpen")
        .withArgs(p.activatesAt);
      await networkHelpers.time.increaseTo(p.activatesAt);
      await expect(f.distributor.connect(f.stranger).activateSettlement())
        .to.emit(f.distributor, "SettlementActivated")
        .withArgs(1, s.root, 2n * POOL, p.coveredThroughSeq);
      const live = await f.distributor.latestSettlement();
      expect([live.root, live.total, live.id]).to.deep.equal([s.root, 2n * POOL, 1n]);
      expect((await f.distributor.pendingSettlement()).root).to.equal(ethers.ZeroHash);
      await expect(f.distributor.claim(...s.claimArgs(f.bob.address, 6n * E18))).to.changeTokenBalance(
        ethers,
        f.token,
        f.bob,
        6n * E18,
      );
      expect((await f.distributor.books()).claimable).to.equal(2n * POOL - 6n * E18);
    });

    it("should revert when nothing is pending", async function () {
      const f = await networkHelpers.loadFixture(disputesFixture);
      await expect(f.distributor.activateSettlement()).to.be.revertedWithCustomError(
        f.distributor,
        "NoPendingSettlement",
      );
    });
  });

  describe("rejectPendingSettlement", function () {
    it("should revert for anyone but the disputes contract", async function () {
      const f = await networkHelpers.loadFixture(disputesFixture);
      await post(f, ethers.id("a"), 0n);
      await expect(f.distributor.connect(f.operator).rejectPendingSettlement(f.operator.address))
        .to.be.revertedWithCustomError(f.distributor, "NotSettlementDisputes")
        .withArgs(f.operator.address, await f.disputes.getAddress());
    });

    it("should revert NoPendingSettlement for the disputes contract when nothing is pending", async function () {
      // The disputes contract checks this itself; the distributor does not rely on it, since
      // governance may wire another disputes contract. Sent here as the wired contract's address.
      const f = await networkHelpers.loadFixture(disputesFixture);
      const disputes = await f.disputes.getAddress();
      await networkHelpers.impersonateAccount(disputes);
      await networkHelpers.setBalance(disputes, E18);
      const asDisputes = await ethers.getSigner(disputes);
      await expect(
        f.distributor.connect(asDisputes).rejectPendingSettlement(f.challenger.address),
      ).to.be.revertedWithCustomError(f.distributor, "NoPendingSettlement");
      await post(f, ethers.id("a"), 0n);
      await networkHelpers.time.increase((await f.distributor.disputeWindow()) + 1n);
      await expect(f.distributor.connect(asDisputes).rejectPendingSettlement(f.challenger.address))
        .to.be.revertedWithCustomError(f.distributor, "DisputeWindowClosed")
        .withArgs((await f.distributor.pendingSettlement()).activatesAt);
      await networkHelpers.stopImpersonatingAccount(disputes);
    });
  });

  describe("governance parameters", function () {
    it("should bound the dispute window and apply it to roots posted later", async function () {
      const f = await networkHelpers.loadFixture(disputesFixture);
      for (const bad of [HOUR - 1n, 7n * 24n * HOUR + 1n])
        await expect(f.distributor.setDisputeWindow(bad))
          .to.be.revertedWithCustomError(f.distributor, "DisputeWindowOutOfRange")
          .withArgs(bad);
      await expect(f.distributor.connect(f.stranger).setDisputeWindow(HOUR)).to.be.revertedWithCustomError(
        f.distributor,
        "AccessControlUnauthorizedAccount",
      );
      await expect(f.distributor.setDisputeWindow(7n * 24n * HOUR))
        .to.emit(f.distributor, "DisputeWindowChanged")
        .withArgs(7n * 24n * HOUR);
      expect(await f.distributor.disputeWindow()).to.equal(7n * 24n * HOUR);
      expect(await f.distributor.DEFAULT_DISPUTE_WINDOW()).to.equal(24n * HOUR);
    });

    it("should take only a contract as the disputes contract", async function () {
      const f = await networkHelpers.loadFixture(disputesFixture);
      await expect(f.distributor.setSettlementDisputes(f.stranger.address))
        .to.be.revertedWithCustomError(f.distributor, "SettlementDisputesNotContract")
        .withArgs(f.stranger.address);
      await expect(
        f.distributor.connect(f.stranger).setSettlementDisputes(await f.disputes.getAddress()),
      ).to.be.revertedWithCustomError(f.distributor, "AccessControlUnauthorizedAccount");
      await expect(f.distributor.setSettlementDisputes(await f.disputes.getAddress()))
        .to.emit(f.distributor, "SettlementDisputesChanged")
        .withArgs(await f.disputes.getAddress());
      expect(await f.distributor.settlementDisputes()).to.equal(await f.disputes.getAddress());
      expect(await f.disputes.distributor()).to.equal(await f.distributor.getAddress());
      expect(await f.disputes.attribution()).to.equal(await f.registry.getAddress());
    });
  });
});

describe("SettlementDisputes", function () {
  describe("hostile settlement operators", function () {
    it("should reject a root that pays the operator everything (omission of alice), slash it and pay the disputer", async function () {
      const f = await networkHelpers.loadFixture(disputesFixture);
      const s = settlementTree([[f.operator.address, 2n * POOL]]);
      await post(f, s.root, 2n * POOL);
      const sentinel = s.proven(SETTLEMENT_SENTINEL);
      const before = await f.token.balanceOf(f.challenger.address);
      // alice lies in the sentinel's gap or the operator's: whichever leaf precedes her.
      const neighbour =
        BigInt(f.alice.address) < BigInt(f.operator.address) ? sentinel : s.proven(f.operator.address);
      await expectRejected(
        f,
        () =>
          f.disputes
            .connect(f.challenger)
            .disputeOmission(neighbour, f.alice.address, f.pairsOf(f.alice.address, 3n)),
        s.root,
        Fault.Omitted,
        f.alice.address,
      );
      expect(await f.token.balanceOf(f.challenger.address)).to.be.greaterThan(before);
      // The previous (no) settlement stays: nobody was paid by the rejected root.
      expect((await f.distributor.latestSettlement()).id).to.equal(0n);
    });

    it("should reject a root that omits an account", async function () {
      const f = await networkHelpers.loadFixture(disputesFixture);
      const s = settlementTree([[f.alice.address, 18n * E18]]);
      await post(f, s.root, 18n * E18);
      const gap = s.leaves.find(
        (l) => BigInt(l.account) < BigInt(f.bob.address) && BigInt(f.bob.address) < BigInt(l.nextAccount),
      )!;
      await expectRejected(
        f,
        () =>
          f.disputes
            .connect(f.challenger)
            .disputeOmission(s.proven(gap.account), f.bob.address, f.pairsOf(f.bob.address, 1n)),
        s.root,
        Fault.Omitted,
        f.bob.address,
      );
    });

    it("should reject a root that underpays an account", async function () {
      const f = await networkHelpers.loadFixture(disputesFixture);
      const s = settlementTree([
        [f.alice.address, 18n * E18],
        [f.bob.address, 5n * E18],
        [f.operator.address, 1n * E18],
      ]);
      await post(f, s.root, 2n * POOL);
      await expectRejected(
        f,
        () =>
          f.disputes
            .connect(f.challenger)
            .disputeUnderpayment(s.proven(f.bob.address), f.pairsOf(f.bob.address, 1n)),
        s.root,
        Fault.Underpaid,
        f.bob.address,
      );
    });

    it("should reject a root that pays one account more by shorting another", async function () {
      const f = await networkHelpers.loadFixture(disputesFixture);
      const s = settlementTree([
        [f.alice.address, 20n * E18],
        [f.bob.address, 4n * E18],
      ]);
      await post(f, s.root, 2n * POOL);
      await expectRejected(
        f,
        () =>
          f.disputes
            .connect(f.challenger)
            .disputeUnderpayment(s.proven(f.bob.address), f.pairsOf(f.bob.address, 1n)),
        s.root,
        Fault.Underpaid,
        f.bob.address,
      );
    });
  });

  describe("broken leaf chains", function () {
    const A = "0x00000000000000000000000000000000000000a1";
    const B = "0x00000000000000000000000000000000000000b2";
    const C = "0x00000000000000000000000000000000000000c3";
    const leaf = (account: string, cumulativeAmount: bigint, nextAccount: string, prefixBefore: bigint) => ({
      account,
      cumulativeAmount,
      nextAccount,
      prefixBefore,
    });

    for (const [name, leaves, fault, total] of [
      [
        "BrokenLink: a leaf linking backwards",
        [leaf(B, 1n, A, 0n), leaf(A, 1n, C, 0n)],
        Fault.BrokenLink,
        2n,
      ],
      [
        "BadSentinel: account 0 with an amount",
        [leaf(SETTLEMENT_SENTINEL, 5n, A, 0n), leaf(A, 1n, C, 0n)],
        Fault.BadSentinel,
        6n,
      ],
      [
        "AboveTotal: prefix + amount above the total",
        [leaf(A, 10n, B, 0n), leaf(B, 1n, C, 0n)],
        Fault.AboveTotal,
        5n,
      ],
      [
        "TotalMismatch: the last leaf short of the total",
        [leaf(A, 1n, SETTLEMENT_LAST_LINK, 0n), leaf(B, 1n, C, 0n)],
        Fault.TotalMismatch,
        5n,
      ],
    ] as const) {
      it(`should reject on ${name}`, async function () {
        const f = await networkHelpers.loadFixture(disputesFixture);
        const t = rawTree([...leaves]);
        await post(f, t.root, total);
        await expectRejected(
          f,
          () => f.disputes.connect(f.challenger).disputeLeaf(t.proven(0)),
          t.root,
          fault,
          leaves[0]!.account,
        );
      });
    }

    for (const [name, leaves, fault] of [
      [
        "DuplicateAccount: two leaves of one account",
        [leaf(A, 1n, B, 0n), leaf(A, 2n, B, 0n)],
        Fault.DuplicateAccount,
      ],
      [
        "LeafInsideGap: a leaf between another and its link",
        [leaf(A, 1n, C, 0n), leaf(B, 1n, C, 1n)],
        Fault.LeafInsideGap,
      ],
      [
        "BrokenPrefix: a prefix that is not the predecessor's sum",
        [leaf(A, 1n, B, 0n), leaf(B, 1n, C, 5n)],
        Fault.BrokenPrefix,
      ],
      ["BrokenPrefix: given in reverse order", [leaf(B, 1n, C, 5n), leaf(A, 1n, B, 0n)], Fault.BrokenPrefix],
      [
        "BrokenPrefix: a predecessor whose sum overflows",
        [leaf(A, 1n, B, ethers.MaxUint256), leaf(B, 1n, C, 0n)],
        Fault.BrokenPrefix,
      ],
    ] as const) {
      it(`should reject on ${name}`, async function () {
        const f = await networkHelpers.loadFixture(disputesFixture);
        const t = rawTree([...leaves]);
        await post(f, t.root, 10n);
        const second = leaves[1]!.account;
        await expectRejected(
          f,
          () => f.disputes.connect(f.challenger).disputeLeaves(t.proven(0), t.proven(1)),
          t.root,
          fault,
          second,
        );
      });
    }

    it("should revert NoFaultFound for consistent leaves and for one leaf given twice", async function () {
      const f = await networkHelpers.loadFixture(disputesFixture);
      const s = settlementTree([
        [f.alice.address, 18n * E18],
        [f.bob.address, 6n * E18],
      ]);
      await post(f, s.root, 2n * POOL);
      for (const who of [SETTLEMENT_SENTINEL, f.alice.address, f.bob.address])
        await expect(f.disputes.disputeLeaf(s.proven(who))).to.be.revertedWithCustomError(
          f.disputes,
          "NoFaultFound",
        );
      const [first, second] = s.leaves.slice(1);
      await expect(
        f.disputes.disputeLeaves(s.proven(first!.account), s.proven(second!.account)),
      ).to.be.revertedWithCustomError(f.disputes, "NoFaultFound");
      await expect(
        f.disputes.disputeLeaves(s.proven(SETTLEMENT_SENTINEL), s.proven(second!.account)),
      ).to.be.revertedWithCustomError(f.disputes, "NoFaultFound");
      await expect(
        f.disputes.disputeLeaves(s.proven(first!.account), s.proven(first!.account)),
      ).to.be.revertedWithCustomError(f.disputes, "NoFaultFound");
    });
  });

  describe("disputes that prove nothing", function () {
    /** An honest root of every entitlement: alice 18, bob 6. */
    async function honestFixture() {
      const f = await disputesFixture();
      const s = settlementTree([
        [f.alice.address, 18n * E18],
        [f.bob.address, 6n * E18],
      ]);
      await post(f, s.root, 2n * POOL);
      return { ...f, s };
    }

    it("should revert NotUnderpaid for an honest leaf, and change nothing", async function () {
      const f = await networkHelpers.loadFixture(honestFixture);
      await expect(f.disputes.disputeUnderpayment(f.s.proven(f.bob.address), f.pairsOf(f.bob.address, 1n)))
        .to.be.revertedWithCustomError(f.disputes, "NotUnderpaid")
        .withArgs(f.bob.address, 6n * E18, 6n * E18);
      expect((await f.distributor.pendingSettlement()).root).to.equal(f.s.root);
      expect(await f.disputes.entitlementOf(f.bob.address, f.pairsOf(f.bob.address, 1n))).to.equal(6n * E18);
    });

    it("should revert on a leaf not in the pending root, or with no root pending", async function () {
      const f = await networkHelpers.loadFixture(honestFixture);
      const forged = { ...f.s.proven(f.bob.address), cumulativeAmount: 1n };
      await expect(f.disputes.disputeUnderpayment(forged, f.pairsOf(f.bob.address, 1n)))
        .to.be.revertedWithCustomError(f.disputes, "LeafNotInPendingRoot")
        .withArgs(f.bob.address);
      await expect(f.disputes.disputeLeaf(forged)).to.be.revertedWithCustomError(
        f.disputes,
        "LeafNotInPendingRoot",
      );
      await activateAfterWindow(f.distributor);
      await expect(f.disputes.disputeLeaf(f.s.proven(f.bob.address))).to.be.revertedWithCustomError(
        f.distributor,
        "NoPendingSettlement",
      );
    });

    it("should revert DisputeWindowClosed after the window, even for a true fault", async function () {
      const f = await networkHelpers.loadFixture(disputesFixture);
      const s = settlementTree([[f.alice.address, 18n * E18]]);
      await post(f, s.root, 18n * E18);
      const p = await f.distributor.pendingSettlement();
      await networkHelpers.time.increaseTo(p.activatesAt);
      const gap = s.leaves.find(
        (l) => BigInt(l.account) < BigInt(f.bob.address) && BigInt(f.bob.address) < BigInt(l.nextAccount),
      )!;
      await expect(
        f.disputes.disputeOmission(s.proven(gap.account), f.bob.address, f.pairsOf(f.bob.address, 1n)),
      )
        .to.be.revertedWithCustomError(f.distributor, "DisputeWindowClosed")
        .withArgs(p.activatesAt);
    });

    it("should revert on pairs given twice or out of order", async function () {
      const f = await networkHelpers.loadFixture(honestFixture);
      const [p1, p2] = f.pairsOf(f.bob.address, 1n);
      for (const pairs of [
        [p1!, p1!],
        [p2!, p1!],
      ])
        await expect(f.disputes.disputeUnderpayment(f.s.proven(f.bob.address), pairs))
          .to.be.revertedWithCustomError(f.disputes, "PairsNotAscending")
          .withArgs(1);
      const sameModel = [{ ...p1! }, { ...p1!, epoch: p1!.epoch - 1n }];
      await expect(f.disputes.disputeUnderpayment(f.s.proven(f.bob.address), sameModel))
        .to.be.revertedWithCustomError(f.disputes, "PairsNotAscending")
        .withArgs(1);
    });

    it("should revert on a pair the pending root does not cover", async function () {
      const f = await networkHelpers.loadFixture(honestFixture);
      const [p1] = f.pairsOf(f.bob.address, 1n);
      const unfinalised = { ...p1!, epoch: p1!.epoch + 1n };
      await expect(f.disputes.disputeUnderpayment(f.s.proven(f.bob.address), [unfinalised]))
        .to.be.revertedWithCustomError(f.disputes, "PairNotCovered")
        .withArgs(1, unfinalised.epoch, 0, await f.distributor.finalizeSeq());
    });

    it("should revert on a pair finalised after the pending root", async function () {
      const f = await networkHelpers.loadFixture(honestFixture);
      const e = await f.registry.currentEpoch();
      await f.distributor.connect(f.payer).pay(1, 10, ethers.MaxUint256);
      await networkHelpers.time.increase(EPOCH);
      await f.registry.connect(f.operator).commitAttribution(1, e, f.tree.root, 4, 1, "u");
      await networkHelpers.time.increase(WINDOW);
      // The window was 1 hour in the fixture; the pending root's window is still open only if longer.
      await f.distributor.finalize(1, e);
      const late = { modelId: 1n, epoch: e, weight: 1n, proof: f.tree.getProof([f.bob.address, 1n]) };
      const p = await f.distributor.pendingSettlement();
      await expect(f.disputes.entitlementOf(f.bob.address, [late]))
        .to.be.revertedWithCustomError(f.disputes, "PairNotCovered")
        .withArgs(1, e, p.coveredThroughSeq + 1n, p.coveredThroughSeq);
    });

    it("should revert on a zero or too large weight, and on a bad attribution proof", async function () {
      const f = await networkHelpers.loadFixture(honestFixture);
      const [p1] = f.pairsOf(f.bob.address, 1n);
      for (const weight of [0n, 5n])
        await expect(f.disputes.disputeUnderpayment(f.s.proven(f.bob.address), [{ ...p1!, weight }]))
          .to.be.revertedWithCustomError(f.disputes, "InvalidPairWeight")
          .withArgs(1, p1!.epoch, weight, 4);
      await expect(f.disputes.disputeUnderpayment(f.s.proven(f.bob.address), [{ ...p1!, weight: 2n }]))
        .to.be.revertedWithCustomError(f.disputes, "InvalidPairProof")
        .withArgs(1, p1!.epoch);
    });

    it("should revert NotInGap and NothingOwed for an omission that is none", async function () {
      const f = await networkHelpers.loadFixture(honestFixture);
      const sentinel = f.s.proven(SETTLEMENT_SENTINEL);
      const last = f.s.leaves.at(-1)!;
      // bob has a leaf: he is in no gap.
      const holder = f.s.leaves.find((l) => l.nextAccount === f.bob.address.toLowerCase())!;
      await expect(
        f.disputes.disputeOmission(f.s.proven(holder.account), f.bob.address, f.pairsOf(f.bob.address, 1n)),
      )
        .to.be.revertedWithCustomError(f.disputes, "NotInGap")
        .withArgs(f.bob.address, ethers.getAddress(holder.account), ethers.getAddress(holder.nextAccount));
      await expect(
        f.disputes.disputeOmission(sentinel, SETTLEMENT_SENTINEL, []),
      ).to.be.revertedWithCustomError(f.disputes, "NotInGap");
      // carol is in a gap but owed nothing.
      const carolGap = f.s.leaves.find(
        (l) => BigInt(l.account) < BigInt(f.carol.address) && BigInt(f.carol.address) < BigInt(l.nextAccount),
      )!;
      await expect(f.disputes.disputeOmission(f.s.proven(carolGap.account), f.carol.address, []))
        .to.be.revertedWithCustomError(f.disputes, "NothingOwed")
        .withArgs(f.carol.address);
      void last;
    });
  });

  describe("without staking", function () {
    it("should reject without slashing when staking is unset or the operator has no pool", async function () {
      const f = await networkHelpers.loadFixture(deployRewards);
      const disputes = await ethers.deployContract("SettlementDisputes", [await f.distributor.getAddress()]);
      await f.distributor.setSettlementDisputes(await disputes.getAddress());
      const s = rawTree([
        { account: f.alice.address, cumulativeAmount: 1n, nextAccount: f.alice.address, prefixBefore: 0n },
      ]);
      const seq = await f.distributor.finalizeSeq();
      await f.distributor.connect(f.settler).commitSettlement(s.root, 0, seq, "u");
      await expect(disputes.connect(f.challenger).disputeLeaf(s.proven(0)))
        .to.emit(disputes, "SettlementDisputed")
        .withArgs(s.root, f.settler.address, f.challenger.address, Fault.BrokenLink, f.alice.address, 0, 0);
      // Staking set after the commit: the operator has no pool there, the rejection still goes through.
      const staking = await deployStakingOf(await f.token.getAddress(), f.admin.address, f.treasury.address);
      await f.distributor.connect(f.settler).commitSettlement(s.root, 0, seq, "u");
      await f.distributor.setStaking(await staking.getAddress());
      await expect(disputes.connect(f.challenger).disputeLeaf(s.proven(0)))
        .to.emit(disputes, "SettlementDisputed")
        .withArgs(s.root, f.settler.address, f.challenger.address, Fault.BrokenLink, f.alice.address, 0, 0);
    });
  });

  describe("issue 13 finding 9: separate leaf domains", function () {
    it("should pay nothing from an attribution tree's root committed as a settlement (finding 9)", async function () {
      const f = await networkHelpers.loadFixture(disputesFixture);
      // The attribution root of (alice 3, bob 1) committed as a settlement root and made live.
      await post(f, f.tree.root, 4n);
      await activateAfterWindow(f.distributor);
      expect((await f.distributor.latestSettlement()).root).to.equal(f.tree.root);
      const proof = f.tree.getProof([f.alice.address, 3n]);
      // Whatever links a claimant adds, a two-word attribution leaf never hashes to a settlement leaf.
      for (const [next, prefix] of [
        [SETTLEMENT_LAST_LINK, 0n],
        [f.bob.address, 0n],
        [SETTLEMENT_SENTINEL, 3n],
      ] as const)
        await expect(
          f.distributor.claim(f.alice.address, 3n, next, prefix, proof),
        ).to.be.revertedWithCustomError(f.distributor, "InvalidProof");
      expect(await f.distributor.claimed(f.alice.address)).to.equal(0n);
    });
  });
});

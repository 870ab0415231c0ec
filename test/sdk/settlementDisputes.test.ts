/**
 * The pure settlement fraud-proof builder (src/settlement/disputes.ts): for each kind of wrong root
 * it names the fault and returns the exact SettlementDisputes call; an honest root, a missing or
 * foreign dump and a dust-only over-allocation are told apart.
 */
import { expect } from "chai";
import {
  ATTRIBUTION_LEAF_ENCODING,
  FastMerkleTree,
  SETTLEMENT_LEAF_ENCODING,
} from "../../src/merkle/index.js";
import {
  auditPendingSettlement,
  computeSettlement,
  leafFault,
  leavesFault,
  SETTLEMENT_LAST_LINK,
  settlementLeafRows,
  settlementLeaves,
  type CoveredPair,
  type SettlementLeaf,
} from "../../src/settlement/index.js";

const A = "0x1000000000000000000000000000000000000001";
const B = "0x2000000000000000000000000000000000000002";
const C = "0x3000000000000000000000000000000000000003";
const OP = "0x9000000000000000000000000000000000000009";

/** Two pairs: (1, 5) pool 100 weights A 1 B 2 (of 3); (2, 5) pool 7 weights A 1 C 1. */
function pairs(): CoveredPair[] {
  const raw = [
    {
      modelId: 1n,
      epoch: 5n,
      pool: 100n,
      finalizeSeq: 1n,
      entries: [
        [A, 1n],
        [B, 2n],
      ],
    },
    {
      modelId: 2n,
      epoch: 5n,
      pool: 7n,
      finalizeSeq: 2n,
      entries: [
        [A, 1n],
        [C, 1n],
      ],
    },
  ] as const;
  return raw.map((p) => {
    const entries = p.entries.map(([contributor, weight]) => ({
      contributor: contributor.toLowerCase(),
      weight,
    }));
    const tree = FastMerkleTree.of(
      entries.map((e) => [e.contributor, e.weight] as [string, bigint]),
      ATTRIBUTION_LEAF_ENCODING,
    );
    const totalWeight = entries.reduce((s, e) => s + e.weight, 0n);
    return {
      modelId: p.modelId,
      epoch: p.epoch,
      pool: p.pool,
      finalizeSeq: p.finalizeSeq,
      totalWeight,
      entries,
      root: tree.root,
    };
  });
}

function treeOf(leaves: SettlementLeaf[]) {
  return FastMerkleTree.of(settlementLeafRows(leaves), SETTLEMENT_LEAF_ENCODING);
}

/** No dump published. */
const NO_DUMP = Symbol("no dump");

/** Audits `leaves` posted with `total` (default: their sum) and `dump` (default: their own). */
function audit(leaves: SettlementLeaf[], total?: bigint, dump: unknown = treeOf(leaves).dump()) {
  const tree = treeOf(leaves);
  const sum = leaves.reduce((s, l) => s + l.cumulativeAmount, 0n);
  return auditPendingSettlement({
    pending: { root: tree.root, total: total ?? sum, coveredThroughSeq: 2n },
    pairs: pairs(),
    dump: dump === NO_DUMP ? undefined : dump,
    dumpError: dump === NO_DUMP ? "not published" : undefined,
  });
}

const honestAccounts = () =>
  computeSettlement(pairs()).accounts.map(({ account, cumulativeAmount }) => ({ account, cumulativeAmount }));

describe("settlement fraud proofs (auditPendingSettlement)", function () {
  it("should find the honest root honest, without needing its dump", function () {
    // A: 33 + 3, B: 66, C: 3.
    expect(honestAccounts().map((a) => a.cumulativeAmount)).to.deep.equal([36n, 66n, 3n]);
    const leaves = settlementLeaves(honestAccounts());
    expect(audit(leaves).verdict).to.equal("honest");
    expect(audit(leaves, undefined, NO_DUMP).verdict).to.equal("honest");
  });

  it("should prove an underpaid account with the fewest pairs that show it (disputeUnderpayment)", function () {
    const accounts = honestAccounts().map((a) =>
      a.account === A.toLowerCase() ? { ...a, cumulativeAmount: 35n } : a,
    );
    const r = audit(settlementLeaves(accounts));
    expect(r.verdict).to.equal("disputable");
    expect(r.dispute!.method).to.equal("disputeUnderpayment");
    expect(r.dispute!.account).to.equal(A.toLowerCase());
    const [leaf, proven] = r.dispute!.args as [
      SettlementLeaf & { proof: string[] },
      { modelId: bigint; weight: bigint }[],
    ];
    expect(leaf.cumulativeAmount).to.equal(35n);
    // 33 alone is not above 35; 33 + 3 is: both pairs, ascending.
    expect(proven.map((p) => [p.modelId, p.weight])).to.deep.equal([
      [1n, 1n],
      [2n, 1n],
    ]);
    expect(
      FastMerkleTree.verify(
        treeOf(settlementLeaves(accounts)).root,
        SETTLEMENT_LEAF_ENCODING,
        [
          "0x7d254bfb9a5ee12145dce8c66de0247bb00d7abf210392c73f9f940504c73d02",
          leaf.account,
          leaf.cumulativeAmount,
          leaf.nextAccount,
          leaf.prefixBefore,
        ],
        leaf.proof,
      ),
    ).to.equal(true);
  });

  it("should prove an omitted account from the leaf whose gap holds it (disputeOmission)", function () {
    const accounts = honestAccounts().filter((a) => a.account !== B.toLowerCase());
    const r = audit(settlementLeaves(accounts));
    expect(r.dispute!.method).to.equal("disputeOmission");
    const [neighbour, account, proven] = r.dispute!.args as [SettlementLeaf, string, { modelId: bigint }[]];
    expect([neighbour.account, neighbour.nextAccount, account]).to.deep.equal([
      A.toLowerCase(),
      C.toLowerCase(),
      B.toLowerCase(),
    ]);
    expect(proven.map((p) => p.modelId)).to.deep.equal([1n]);
  });

  it("should prove a root that pays the operator everything, and one that shifts an amount between two accounts", function () {
    const all = audit(settlementLeaves([{ account: OP, cumulativeAmount: 105n }]));
    expect(all.dispute!.fault).to.equal("Omitted");
    const shifted = honestAccounts().map((a) =>
      a.account === A.toLowerCase()
        ? { ...a, cumulativeAmount: 46n }
        : a.account === B.toLowerCase()
          ? { ...a, cumulativeAmount: 56n }
          : a,
    );
    const r = audit(settlementLeaves(shifted));
    expect([r.dispute!.fault, r.dispute!.account]).to.deep.equal(["Underpaid", B.toLowerCase()]);
  });

  it("should prove chain faults with one or two leaves first (BrokenPrefix, TotalMismatch, LeafInsideGap)", function () {
    const leaves = settlementLeaves(honestAccounts());
    const prefix = leaves.map((l, i) => (i === 2 ? { ...l, prefixBefore: l.prefixBefore + 1n } : l));
    expect(audit(prefix).dispute).to.include({ method: "disputeLeaves", fault: "BrokenPrefix" });
    const sum = leaves.reduce((s, l) => s + l.cumulativeAmount, 0n);
    expect(audit(leaves, sum + 1n).dispute).to.include({ method: "disputeLeaf", fault: "TotalMismatch" });
    const skip = leaves.map((l, i) => (i === 0 ? { ...l, nextAccount: C.toLowerCase() } : l));
    expect(audit(skip).dispute).to.include({ method: "disputeLeaves", fault: "LeafInsideGap" });
  });

  it("should report a wrong root whose dump is missing or belongs to another root as unavailable", function () {
    const wrong = settlementLeaves(honestAccounts().slice(1));
    expect(audit(wrong, undefined, NO_DUMP).verdict).to.equal("unavailable");
    const other = treeOf(settlementLeaves(honestAccounts())).dump();
    const r = audit(wrong, undefined, other);
    expect(r.verdict).to.equal("unavailable");
    expect(r.detail).to.contain("is the tree of");
    expect(audit(wrong, undefined, { tree: [], values: [] }).verdict).to.equal("unavailable");
  });

  it("should call an over-allocation of the rounding dust unprovable", function () {
    // Pools 107, entitlements 105: the 2 wei of dust paid to C.
    const accounts = honestAccounts().map((a) =>
      a.account === C.toLowerCase() ? { ...a, cumulativeAmount: 5n } : a,
    );
    const r = audit(settlementLeaves(accounts));
    expect(r.verdict).to.equal("unprovable");
    expect(r.detail).to.contain("within the rounding dust (at most 2 wei)");
  });

  it("leafFault and leavesFault should mirror SettlementChainLib", function () {
    const leaf = { account: A, cumulativeAmount: 5n, nextAccount: SETTLEMENT_LAST_LINK, prefixBefore: 0n };
    expect(leafFault(leaf, 5n)).to.equal("None");
    expect(leafFault(leaf, 6n)).to.equal("TotalMismatch");
    expect(leafFault(leaf, 4n)).to.equal("AboveTotal");
    expect(leafFault({ ...leaf, nextAccount: A }, 5n)).to.equal("BrokenLink");
    expect(leafFault({ ...leaf, account: "0x0000000000000000000000000000000000000000" }, 5n)).to.equal(
      "BadSentinel",
    );
    expect(leavesFault(leaf, leaf)).to.equal("None");
    expect(leavesFault(leaf, { ...leaf, cumulativeAmount: 4n })).to.equal("DuplicateAccount");
  });
});

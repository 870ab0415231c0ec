/**
 * Settlement fraud proofs, built off-chain without chain access: given a pending settlement root
 * (its root, total and coverage), the pairs it covers with their committed weight tables, and the
 * tree dump the operator published, finds a fault `SettlementDisputes` can prove on chain and
 * returns the exact arguments of the call that proves it (SECURITY.md section 5a). The watchtower
 * (`sdk/watchtower.ts`) sends it; a wallet or the explorer can send the same arguments.
 *
 * Faults are looked for from the cheapest proof to the dearest: one leaf breaking the chain rules
 * (`disputeLeaf`), two leaves contradicting each other (`disputeLeaves`), then an account paid less
 * than its entitlement (`disputeUnderpayment`) or left out (`disputeOmission`), with the fewest
 * (model, epoch) pairs that prove it. Over-allocation needs no proof of its own: beyond the rounding
 * dust it implies one of these (SECURITY.md, "Over-allocation, and the dust bound").
 */
import {
  ATTRIBUTION_LEAF_ENCODING,
  FastMerkleTree,
  SETTLEMENT_LEAF_ENCODING,
  type Hex,
} from "../merkle/index.js";
import { computeSettlement, type FinalizedPair, type PairEntitlement, type Settlement } from "./index.js";
import { SETTLEMENT_LAST_LINK, settlementTree, type SettlementLeaf } from "./tree.js";

/** `ISettlementDisputes.Fault`, in enum order (index = on-chain value). */
export const SETTLEMENT_FAULTS = [
  "None",
  "Underpaid",
  "Omitted",
  "BrokenLink",
  "BadSentinel",
  "AboveTotal",
  "TotalMismatch",
  "DuplicateAccount",
  "LeafInsideGap",
  "BrokenPrefix",
] as const;
/** A fault `SettlementDisputes` proves (or `None`). */
export type SettlementFault = (typeof SETTLEMENT_FAULTS)[number];

/** `ISettlementDisputes.ProvenLeaf`: a settlement leaf with its proof against the pending root. */
export interface ProvenSettlementLeaf extends SettlementLeaf {
  proof: Hex[];
}

/** `ISettlementDisputes.PairWeight`: an account's weight in one covered pair, proven against its Final root. */
export interface ProvenPairWeight {
  modelId: bigint;
  epoch: bigint;
  weight: bigint;
  proof: Hex[];
}

/** The exact call that proves a fault: `disputes[method](...args)`. */
export type SettlementDisputeCall =
  | {
      method: "disputeUnderpayment";
      fault: "Underpaid";
      account: string;
      args: [leaf: ProvenSettlementLeaf, pairs: ProvenPairWeight[]];
    }
  | {
      method: "disputeOmission";
      fault: "Omitted";
      account: string;
      args: [neighbour: ProvenSettlementLeaf, account: string, pairs: ProvenPairWeight[]];
    }
  | {
      method: "disputeLeaf";
      fault: "BrokenLink" | "BadSentinel" | "AboveTotal" | "TotalMismatch";
      account: string;
      args: [leaf: ProvenSettlementLeaf];
    }
  | {
      method: "disputeLeaves";
      fault: "DuplicateAccount" | "LeafInsideGap" | "BrokenPrefix";
      account: string;
      args: [a: ProvenSettlementLeaf, b: ProvenSettlementLeaf];
    };

/** The pending root as the chain states it (`pendingSettlement()` or its `SettlementCommitted` event). */
export interface PendingRoot {
  root: string;
  total: bigint;
  coveredThroughSeq: bigint;
}

/** A covered pair with its committed weight table; `root`, when given, is checked against the table. */
export type CoveredPair = FinalizedPair & { root?: string };

/** What {@link auditPendingSettlement} needs. */
export interface SettlementAuditInput {
  pending: PendingRoot;
  /** Every pair the root covers (finalizeSeq <= coveredThroughSeq), with its committed table. */
  pairs: readonly CoveredPair[];
  /** The operator's published dump (parsed JSON), or undefined when it could not be read. */
  dump?: unknown;
  /** Why the dump could not be read (for the report). */
  dumpError?: string;
}

/**
 * The verdict on a pending root:
 * - `honest`: the recomputed root and total equal the posted ones;
 * - `disputable`: a fault is provable, `dispute` is the call that proves it;
 * - `unavailable`: the root differs from the recomputation and its leaves cannot be read (no dump,
 *   or a dump that is not the tree of the posted root): the data-availability gap of SECURITY.md 5a;
 * - `unprovable`: the root differs, the dump matches it, and no fault is provable (an
 *   over-allocation within the rounding dust, or accounts hidden behind a link to a missing leaf).
 */
export type SettlementVerdict = "honest" | "disputable" | "unavailable" | "unprovable";

/** The audit of a pending root. */
export interface SettlementAudit {
  verdict: SettlementVerdict;
  /** One sentence: what is wrong (or that nothing is). */
  detail: string;
  /** The recomputed root (undefined when nobody is owed anything). */
  expectedRoot?: string;
  expectedTotal: bigint;
  /** The recomputed settlement. */
  settlement: Settlement;
  /** The call that proves the fault (verdict `disputable`). */
  dispute?: SettlementDisputeCall;
  /** Accounts owed something whose leaf cannot be shown (hidden behind a link to a missing leaf). */
  hidden: string[];
}

/** Raised for a dump that is not a settlement tree dump; the message says what is wrong. */
export class SettlementDumpError extends Error {
  override name = "SettlementDumpError";
}

/** A leaf of the dump, with its position in the dump's values. */
interface DumpLeaf extends SettlementLeaf {
  index: number;
}

type Tree = FastMerkleTree<typeof SETTLEMENT_LEAF_ENCODING>;

/**
 * Loads a settlement dump (OpenZeppelin standard-v1 with the settlement leaf encoding), checking
 * every node, and its decoded leaves.
 * @throws SettlementDumpError when it is not a well-formed settlement tree.
 */
export function loadSettlementDump(dump: unknown): { tree: Tree; leaves: DumpLeaf[] } {
  const d = dump as { format?: unknown; leafEncoding?: unknown; tree?: unknown; values?: unknown } | null;
  if (typeof d !== "object" || d === null || !Array.isArray(d.tree) || !Array.isArray(d.values))
    throw new SettlementDumpError("not a StandardMerkleTree dump (no tree and values)");
  if (JSON.stringify(d.leafEncoding) !== JSON.stringify(SETTLEMENT_LEAF_ENCODING))
    throw new SettlementDumpError(
      `its leafEncoding is ${JSON.stringify(d.leafEncoding)}, not the settlement leaf's ${JSON.stringify(SETTLEMENT_LEAF_ENCODING)}`,
    );
  let tree: Tree;
  try {
    tree = FastMerkleTree.load(
      d as Parameters<typeof FastMerkleTree.load<typeof SETTLEMENT_LEAF_ENCODING>>[0],
    );
  } catch (error) {
    throw new SettlementDumpError(`its tree does not hash up: ${(error as Error).message}`);
  }
  const leaves: DumpLeaf[] = [];
  for (let i = 0; i < tree.length; i++) {
    const [, account, amount, next, prefix] = tree.at(i)!;
    leaves.push({
      index: i,
      account: String(account).toLowerCase(),
      cumulativeAmount: BigInt(amount),
      nextAccount: String(next).toLowerCase(),
      prefixBefore: BigInt(prefix),
    });
  }
  return { tree, leaves };
}

const num = (address: string): bigint => BigInt(address);

/** `SettlementChainLib.leafFault`: the fault one leaf proves on its own. */
export function leafFault(leaf: SettlementLeaf, total: bigint): SettlementFault {
  if (num(leaf.nextAccount) <= num(leaf.account)) return "BrokenLink";
  if (num(leaf.account) === 0n && (leaf.cumulativeAmount !== 0n || leaf.prefixBefore !== 0n))
    return "BadSentinel";
  if (leaf.cumulativeAmount > total || leaf.prefixBefore > total - leaf.cumulativeAmount) return "AboveTotal";
  if (
    num(leaf.nextAccount) === num(SETTLEMENT_LAST_LINK) &&
    leaf.prefixBefore + leaf.cumulativeAmount !== total
  )
    return "TotalMismatch";
  return "None";
}

/** `SettlementChainLib.leavesFault`: the fault two leaves of one root prove together. */
export function leavesFault(a: SettlementLeaf, b: SettlementLeaf): SettlementFault {
  if (num(a.account) === num(b.account)) {
    const same =
      a.cumulativeAmount === b.cumulativeAmount &&
      num(a.nextAccount) === num(b.nextAccount) &&
      a.prefixBefore === b.prefixBefore;
    return same ? "None" : "DuplicateAccount";
  }
  const [lo, hi] = num(a.account) < num(b.account) ? [a, b] : [b, a];
  if (num(hi.account) < num(lo.nextAccount)) return "LeafInsideGap";
  if (num(lo.nextAccount) !== num(hi.account)) return "None";
  return hi.prefixBefore !== lo.prefixBefore + lo.cumulativeAmount ? "BrokenPrefix" : "None";
}

/** The attribution proofs of one account over the fewest pairs whose entitlements sum above `above`. */
function provePairs(
  account: string,
  owed: readonly PairEntitlement[],
  above: bigint,
  pairs: ReadonlyMap<string, CoveredPair>,
  trees: Map<string, FastMerkleTree<typeof ATTRIBUTION_LEAF_ENCODING>>,
): ProvenPairWeight[] {
  const chosen: PairEntitlement[] = [];
  let sum = 0n;
  for (const p of [...owed].sort((x, y) => (x.amount > y.amount ? -1 : x.amount < y.amount ? 1 : 0))) {
    chosen.push(p);
    sum += p.amount;
    if (sum > above) break;
  }
  chosen.sort((x, y) =>
    x.modelId !== y.modelId
      ? x.modelId < y.modelId
        ? -1
        : 1
      : x.epoch < y.epoch
        ? -1
        : x.epoch > y.epoch
          ? 1
          : 0,
  );
  return chosen.map(({ modelId, epoch }) => {
    const key = `${modelId}/${epoch}`;
    const pair = pairs.get(key)!;
    let tree = trees.get(key);
    if (!tree) {
      tree = FastMerkleTree.of(
        pair.entries.map((e) => [e.contributor, e.weight] as [string, bigint]),
        ATTRIBUTION_LEAF_ENCODING,
      );
      trees.set(key, tree);
    }
    const i = pair.entries.findIndex((e) => e.contributor.toLowerCase() === account);
    return { modelId, epoch, weight: pair.entries[i]!.weight, proof: tree.proof(i) };
  });
}

/** The leaf with its proof, as the contract takes it. */
function proven(tree: Tree, leaf: DumpLeaf): ProvenSettlementLeaf {
  const { index: _index, ...rest } = leaf;
  return { ...rest, proof: tree.proof(leaf.index) };
}

/**
 * Audits a pending settlement root against its recomputation from the covered pairs, and when it
 * is wrong, builds the fraud proof from the operator's dump. Pure: no chain, no file access.
 * @throws SettlementInputError when the pairs cannot be settled (a table above its total weight),
 * Error when a pair's table does not give its `root`.
 */
export function auditPendingSettlement(input: SettlementAuditInput): SettlementAudit {
  const { pending } = input;
  const byKey = new Map<string, CoveredPair>();
  for (const pair of input.pairs) {
    if (pair.finalizeSeq > pending.coveredThroughSeq) continue;
    byKey.set(`${pair.modelId}/${pair.epoch}`, pair);
  }
  const trees = new Map<string, FastMerkleTree<typeof ATTRIBUTION_LEAF_ENCODING>>();
  for (const [key, pair] of byKey) {
    if (pair.root === undefined || pair.entries.length === 0) continue;
    const tree = FastMerkleTree.of(
      pair.entries.map((e) => [e.contributor, e.weight] as [string, bigint]),
      ATTRIBUTION_LEAF_ENCODING,
    );
    if (tree.root !== pair.root.toLowerCase())
      throw new Error(
        `model ${pair.modelId} epoch ${pair.epoch}: the table's root ${tree.root} is not the committed ${pair.root}`,
      );
    trees.set(key, tree);
  }
  const settlement = computeSettlement([...byKey.values()]);
  const expectedRoot =
    settlement.accounts.length === 0 ? undefined : settlementTree(settlement).root.toLowerCase();
  const base = { expectedRoot, expectedTotal: settlement.total, settlement, hidden: [] as string[] };
  const postedRoot = pending.root.toLowerCase();
  if (expectedRoot === postedRoot && settlement.total === pending.total)
    return { ...base, verdict: "honest", detail: "the posted root and total equal the recomputation" };
  const differs =
    expectedRoot === undefined
      ? `nobody is owed anything by the covered pairs, yet root ${postedRoot} (total ${pending.total}) was posted`
      : `the recomputed root is ${expectedRoot} (total ${settlement.total}), the posted one ${postedRoot} (total ${pending.total})`;
  if (input.dump === undefined)
    return {
      ...base,
      verdict: "unavailable",
      detail: `${differs}; its dump cannot be read (${input.dumpError ?? "none given"}), so no leaf can be shown on chain`,
    };
  let loaded: ReturnType<typeof loadSettlementDump>;
  try {
    loaded = loadSettlementDump(input.dump);
  } catch (error) {
    return {
      ...base,
      verdict: "unavailable",
      detail: `${differs}; the published dump is not a settlement tree (${(error as Error).message}), so no leaf can be shown on chain`,
    };
  }
  const { tree, leaves } = loaded;
  if (tree.root !== postedRoot)
    return {
      ...base,
      verdict: "unavailable",
      detail: `${differs}; the published dump is the tree of ${tree.root}, not of the posted root, so no leaf can be shown on chain`,
    };
  const found = findFault(pending, settlement, tree, leaves, byKey, trees);
  if (found.dispute)
    return { ...base, verdict: "disputable", detail: `${differs}; ${found.detail}`, dispute: found.dispute };
  return {
    ...base,
    verdict: "unprovable",
    hidden: found.hidden,
    detail:
      found.hidden.length > 0
        ? `${differs}; ${found.hidden.length} account(s) owed something lie behind a link to an account with no leaf (${found.hidden.slice(0, 3).join(", ")}${found.hidden.length > 3 ? ", ..." : ""}): not provable leaf by leaf (SECURITY.md 5a)`
        : `${differs}; every account gets at least its entitlement and the leaf chain is sound: the difference is within the rounding dust (at most ${settlement.dust} wei), not provable`,
  };
}

/** The cheapest provable fault of a root whose dump matches it. */
function findFault(
  pending: PendingRoot,
  settlement: Settlement,
  tree: Tree,
  leaves: DumpLeaf[],
  pairs: ReadonlyMap<string, CoveredPair>,
  trees: Map<string, FastMerkleTree<typeof ATTRIBUTION_LEAF_ENCODING>>,
): { dispute?: SettlementDisputeCall; detail: string; hidden: string[] } {
  const none = { detail: "", hidden: [] as string[] };
  for (const leaf of leaves) {
    const fault = leafFault(leaf, pending.total);
    if (fault !== "None")
      return {
        ...none,
        detail: `leaf of ${leaf.account} proves ${fault}`,
        dispute: {
          method: "disputeLeaf",
          fault: fault as "BrokenLink",
          account: leaf.account,
          args: [proven(tree, leaf)],
        },
      };
  }
  const sorted = [...leaves].sort((a, b) =>
    num(a.account) < num(b.account) ? -1 : num(a.account) > num(b.account) ? 1 : 0,
  );
  const distinct: DumpLeaf[] = [];
  for (const leaf of sorted) {
    const prev = distinct.at(-1);
    if (prev && num(prev.account) === num(leaf.account)) {
      if (leavesFault(prev, leaf) === "DuplicateAccount")
        return {
          ...none,
          detail: `two different leaves of ${leaf.account} prove DuplicateAccount`,
          dispute: {
            method: "disputeLeaves",
            fault: "DuplicateAccount",
            account: leaf.account,
            args: [proven(tree, prev), proven(tree, leaf)],
          },
        };
      continue;
    }
    distinct.push(leaf);
  }
  for (let i = 1; i < distinct.length; i++) {
    const fault = leavesFault(distinct[i - 1]!, distinct[i]!);
    if (fault !== "None")
      return {
        ...none,
        detail: `the leaves of ${distinct[i - 1]!.account} and ${distinct[i]!.account} prove ${fault}`,
        dispute: {
          method: "disputeLeaves",
          fault: fault as "LeafInsideGap",
          account: distinct[i]!.account,
          args: [proven(tree, distinct[i - 1]!), proven(tree, distinct[i]!)],
        },
      };
  }
  const byAccount = new Map(distinct.map((l) => [l.account, l]));
  /** The leaf with the largest account below `account` (binary search over `distinct`). */
  const predecessor = (account: string): DumpLeaf | undefined => {
    const x = num(account);
    let lo = 0;
    let hi = distinct.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (num(distinct[mid]!.account) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : distinct[lo - 1];
  };
  let best: { dispute: SettlementDisputeCall; detail: string; size: number } | undefined;
  const hidden: string[] = [];
  for (const a of settlement.accounts) {
    const leaf = byAccount.get(a.account);
    if (leaf) {
      if (leaf.cumulativeAmount >= a.cumulativeAmount) continue;
      const proof = provePairs(a.account, a.pairs, leaf.cumulativeAmount, pairs, trees);
      if (best && best.size <= proof.length) continue;
      best = {
        size: proof.length,
        detail: `${a.account} is owed ${a.cumulativeAmount}, its leaf pays ${leaf.cumulativeAmount} (Underpaid, ${proof.length} pair proof(s))`,
        dispute: {
          method: "disputeUnderpayment",
          fault: "Underpaid",
          account: a.account,
          args: [proven(tree, leaf), proof],
        },
      };
      continue;
    }
    const gap = predecessor(a.account);
    if (!gap || num(a.account) >= num(gap.nextAccount)) {
      hidden.push(a.account);
      continue;
    }
    const proof = provePairs(a.account, a.pairs, 0n, pairs, trees);
    if (best && best.size <= proof.length) continue;
    best = {
      size: proof.length,
      detail: `${a.account} is owed ${a.cumulativeAmount} and has no leaf: it lies between ${gap.account} and its link ${gap.nextAccount} (Omitted)`,
      dispute: {
        method: "disputeOmission",
        fault: "Omitted",
        account: a.account,
        args: [proven(tree, gap), a.account, proof],
      },
    };
  }
  return best ? { dispute: best.dispute, detail: best.detail, hidden } : { ...none, hidden };
}

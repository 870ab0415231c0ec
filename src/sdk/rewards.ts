/**
 * Reward actions: finalize a (model, epoch) pool, compute and commit a settlement, and claim,
 * either from a settlement proof or directly against final commitments.
 */
import type { Provider, TransactionReceipt } from "ethers";
import { attributionTree } from "../attribution/tree.js";
import type { WeightTable } from "../attribution/weights.js";
import { computeSettlement, type FinalizedPair, type Settlement } from "../settlement/index.js";
import { readSettlementProof, type SettlementProof } from "../settlement/files.js";
import { accountIndex, settlementLeafAt, settlementTree, type SettlementTree } from "../settlement/tree.js";
import { readSuiteEvents } from "./read/events.js";
import { buildLedger, type Ledger } from "./read/ledger.js";
import { call, eventArgs, send } from "./send/index.js";
import type { Suite } from "./suite.js";

/** A settlement computed from the chain and the tables, not committed yet. */
export interface PreparedSettlement {
  settlement: Settlement;
  tree: SettlementTree;
  root: string;
}

/** A committed settlement, with the receipt of its commit. */
export interface CommittedSettlement extends PreparedSettlement {
  receipt: TransactionReceipt;
}

/** An amount claimed, with the receipt. */
export interface ClaimResult {
  amount: bigint;
  receipt: TransactionReceipt;
}

/** A distributor action on one (model, epoch): sends it, returns what its event says with the receipt. */
export type PairAction<T> = (
  suite: Suite,
  modelId: bigint,
  epoch: bigint,
) => Promise<T & { receipt: TransactionReceipt }>;

/** The {@link PairAction} that sends `distributor.<method>(modelId, epoch)` and reads `event` with `read`. */
function pairAction<T>(
  method: "finalize" | "rollForward",
  event: string,
  read: (args: Record<string, unknown>) => T,
): PairAction<T> {
  return async (suite, modelId, epoch) => {
    const receipt = await send(suite, call(suite.distributor, method, modelId, epoch));
    return { ...read(eventArgs(suite, receipt, event)[0]), receipt };
  };
}

/** Finalizes a (model, epoch) whose commitment is final: fixes its contributor pool. */
export const finalizePair: PairAction<{ finalizeSeq: bigint; pool: bigint }> = pairAction(
  "finalize",
  "Finalized",
  (ev) => ({ finalizeSeq: ev.finalizeSeq as bigint, pool: ev.pool as bigint }),
);

/**
 * The finalized pairs (from events) joined with their committed tables; a table whose root does
 * not match the chain's commitment is refused.
 */
export function finalizedPairs(ledger: Ledger, tables: readonly WeightTable[]): FinalizedPair[] {
  const byKey = new Map(tables.map((t) => [`${t.modelId}/${t.epoch}`, t]));
  return [...ledger.finalized.values()].map((f) => {
    const key = `${f.modelId}/${f.epoch}`;
    const table = byKey.get(key);
    const commitment = ledger.commitments.get(key);
    if (!table)
      throw new Error(
        `model ${f.modelId} epoch ${f.epoch} is finalized but no weight table was given for it`,
      );
    if (!commitment || attributionTree(table).root.toLowerCase() !== commitment.root) {
      throw new Error(
        `model ${f.modelId} epoch ${f.epoch}: the table's root differs from the committed root`,
      );
    }
    return { ...f, totalWeight: commitment.totalWeight, entries: table.entries };
  });
}

/** The settlement of every finalized pair of `ledger` and its tree (nothing sent). */
export function settlementOf(ledger: Ledger, tables: readonly WeightTable[]): PreparedSettlement {
  const settlement = computeSettlement(finalizedPairs(ledger, tables));
  const tree = settlementTree(settlement);
  return { settlement, tree, root: tree.root };
}

/** The settlement of every finalized pair, from chain events and the committed tables (nothing sent). */
export async function prepareSettlement(
  suite: Suite,
  provider: Provider,
  tables: readonly WeightTable[],
): Promise<PreparedSettlement> {
  return settlementOf(buildLedger(await readSuiteEvents(suite, provider)), tables);
}

/** Commits a prepared settlement; `uri` is where its tree dump is published. */
export async function commitSettlement(
  suite: Suite,
  prepared: PreparedSettlement,
  uri: string,
): Promise<CommittedSettlement> {
  const receipt = await send(
    suite,
    call(
      suite.distributor,
      "commitSettlement",
      prepared.root,
      prepared.settlement.total,
      prepared.settlement.coveredThroughSeq,
      uri,
    ),
  );
  return { ...prepared, receipt };
}

/**
 * Makes the pending settlement root live once its dispute window has passed (anyone may send it).
 * @throws Error saying when the window closes, or that nothing is pending.
 */
export async function activateSettlement(
  suite: Suite,
): Promise<{ id: bigint; root: string; receipt: TransactionReceipt }> {
  const pending = await suite.distributor.pendingSettlement();
  if (pending.activatesAt === 0n) throw new Error("no settlement root is pending: nothing to activate");
  const receipt = await send(suite, call(suite.distributor, "activateSettlement"));
  const args = eventArgs(suite, receipt, "SettlementActivated")[0];
  return { id: args.id as bigint, root: args.root as string, receipt };
}

/** Computes the settlement of every finalized pair from chain events and tables, and commits it. */
export async function settle(
  suite: Suite,
  provider: Provider,
  tables: readonly WeightTable[],
  uri: string,
): Promise<CommittedSettlement> {
  return commitSettlement(suite, await prepareSettlement(suite, provider, tables), uri);
}

/**
 * Claims an account's whole settlement entitlement from its proof file (`rewards settle` writes one
 * per account), given as a path or as an already read {@link SettlementProof}. Anyone may send it;
 * the tokens always go to the proof's account.
 * @throws SettlementInputError when the file is not a valid settlement proof.
 */
export async function claim(suite: Suite, proofFile: string | SettlementProof): Promise<ClaimResult> {
  const p = typeof proofFile === "string" ? await readSettlementProof(proofFile) : proofFile;
  const receipt = await send(
    suite,
    call(suite.distributor, "claim", p.account, p.cumulativeAmount, p.nextAccount, p.prefixBefore, p.proof),
  );
  return { amount: eventArgs(suite, receipt, "Claimed")[0].amount as bigint, receipt };
}

/** The proof of `account` in a settlement tree held in memory (what its proof file holds). */
export function settlementProof(tree: SettlementTree, account: string): SettlementProof {
  const i = accountIndex(tree, account);
  if (i < 0) throw new Error(`${account} is not in the settlement: nothing to claim with this root`);
  return { root: tree.root, ...settlementLeafAt(tree, i), proof: tree.proof(i) };
}

/** Claims one or several (model, epoch) pairs directly against final commitments. */
export async function claimDirect(
  suite: Suite,
  account: string,
  claims: { table: WeightTable }[],
): Promise<ClaimResult> {
  const items = claims.map(({ table }) => {
    const tree = attributionTree(table);
    const i = table.entries.findIndex((e) => e.contributor.toLowerCase() === account.toLowerCase());
    if (i < 0) throw new Error(`${account} has no weight in model ${table.modelId} epoch ${table.epoch}`);
    const weight = table.entries[i].weight;
    let at = -1;
    for (let j = 0; j < tree.length && at < 0; j++)
      if (String(tree.at(j)![0]).toLowerCase() === account.toLowerCase()) at = j;
    return { modelId: table.modelId, epoch: table.epoch, weight, proof: tree.proof(at) };
  });
  const receipt =
    items.length === 1
      ? await send(
          suite,
          call(
            suite.distributor,
            "claimDirect",
            account,
            items[0].modelId,
            items[0].epoch,
            items[0].weight,
            items[0].proof,
          ),
        )
      : await send(suite, call(suite.distributor, "claimDirectBatch", account, items));
  const amount = eventArgs(suite, receipt, "DirectClaimed").reduce((s, e) => s + (e.amount as bigint), 0n);
  return { amount, receipt };
}

/**
 * Rolls the unattributed pool of a (model, epoch) into the model's current epoch: allowed to
 * anyone once `rollForwardDelay` has passed since the operator's commit window started (the
 * epoch's end, or a later void of its commitment or end of a commit pause:
 * `attribution.commitWindowStart`) and nothing (or only a voided commitment) stands for it.
 */
export const rollForward: PairAction<{ amount: bigint; toEpoch: bigint }> = pairAction(
  "rollForward",
  "RolledForward",
  (ev) => ({ amount: ev.amount as bigint, toEpoch: ev.toEpoch as bigint }),
);

/**
 * The settlement watchtower: follows the settlement roots the operator posts (SettlementCommitted,
 * then SettlementActivated or SettlementRejected), recomputes the pending one from public data
 * with the verifier's reading of the committed tables, reads the operator's published dump, and
 * when the root is provably wrong sends the fraud proof (`settlement/disputes.ts`) to
 * `SettlementDisputes` inside the dispute window. A root whose dump is unavailable or is not the
 * tree of the posted root is reported (the data-availability gap of SECURITY.md 5a), never a crash.
 */
import type { Provider } from "ethers";
import { SettlementDisputes__factory, type SettlementDisputes } from "../../typechain-types/index.js";
import { ContractRevertError, decodeRevert, withDecodedErrors } from "../errors.js";
import {
  auditPendingSettlement,
  SETTLEMENT_FAULTS,
  type SettlementDisputeCall,
  type SettlementFault,
  type SettlementVerdict,
} from "../settlement/disputes.js";
import { SettlementInputError } from "../settlement/index.js";
import { classifyUri, type FetchText } from "../verifier/fetch.js";
import { checkCommitments } from "../verifier/commitments.js";
import { Recorder } from "../verifier/report.js";
import { coveredPairs } from "../verifier/settlements.js";
import { readUri } from "../verifier/tables.js";
import { readSuiteEvents, type SuiteEvent } from "./read/events.js";
import { checkOpenCommitments, type WeightSumReport } from "./attribution-watch.js";
import { buildLedger, type DisputeNode, type Ledger, type SettlementNode } from "./read/ledger.js";
import { call, send, type ContractCall } from "./send/index.js";
import type { Suite } from "./suite.js";

/** Raised when the watchtower cannot run at all (no disputes contract); the message says what to do. */
export class WatchtowerError extends Error {
  override name = "WatchtowerError";
}

/** Options of {@link checkPendingSettlement}. */
export interface WatchtowerOptions {
  /** The suite, connected to the account that sends disputes (a provider alone only reports). */
  suite: Suite;
  provider: Provider;
  /** Send the dispute when a fault is provable (default true); false only reports. */
  dispute?: boolean;
  /** Reads tables and dumps (default: files, local paths and http(s) under the network policy of verifier/fetch.ts). */
  fetchText?: FetchText;
  /** Settlement id (decimal) or root -> where its dump is, overriding the URI posted on chain. */
  dumps?: Readonly<Record<string, string>>;
  /** Events already read up to `toBlock` (the watch loop reads them incrementally). */
  events?: readonly SuiteEvent[];
  /** Check the chain as of this block (default: latest). */
  toBlock?: number;
}

/** A dispute the watchtower sent, as its events say. */
export interface SentDispute {
  tx: string;
  fault: SettlementFault;
  account: string;
  /** OPEN slashed from the operator's pool. */
  slashed: bigint;
  /** OPEN paid to the disputer. */
  reward: bigint;
  disputer: string;
}

/** The pending root as the watchtower judged it. */
export interface PendingSettlementReport {
  id: bigint;
  root: string;
  total: bigint;
  coveredThroughSeq: bigint;
  operator: string;
  activatesAt: bigint;
  uri: string;
  /** The audit's verdict, or `unverifiable` when a covered pair's table cannot be read or does not match its commitment. */
  verdict: SettlementVerdict | "unverifiable";
  detail: string;
  /** Recomputed root and total (absent when unverifiable). */
  expectedRoot?: string;
  expectedTotal?: bigint;
  /** The call that proves the fault (verdict `disputable`): the arguments of `SettlementDisputes.<method>`. */
  dispute?: SettlementDisputeCall;
  /** Sent: the rejected root's dispute. */
  disputed?: SentDispute;
  /** Why a provable fault was not disputed (window closed, reporting only, the call reverted). */
  notDisputed?: string;
  /** Accounts owed something that no leaf can show (verdict `unprovable`). */
  hidden?: string[];
}

/** One check of the settlement roots. */
export interface WatchReport {
  block: number;
  /** The chain's time at `block` (seconds). */
  now: bigint;
  /** The disputes contract judged against. */
  disputes: string;
  /** The pending root, if any. */
  pending?: PendingSettlementReport;
  /** Every posted root, in posting order. */
  roots: Pick<SettlementNode, "id" | "root" | "status" | "operator" | "activatesAt" | "total">[];
  /** Proven disputes so far. */
  disputed: DisputeNode[];
  /** Open attribution commitments whose published weights do not add up to their total (proven unless reporting only). */
  attribution: WeightSumReport[];
}

/** The settlement disputes contract the distributor accepts rejections from. */
export async function settlementDisputesOf(suite: Suite): Promise<SettlementDisputes> {
  const address = await suite.distributor.settlementDisputes();
  if (BigInt(address) === 0n)
    throw new WatchtowerError(
      "the distributor has no settlement disputes contract (settlementDisputes() is zero): governance must set one (setSettlementDisputes) before roots can be disputed",
    );
  return SettlementDisputes__factory.connect(address, suite.distributor.runner);
}

/** The dump URI of `node`: an override by id or root, else the posted URI. */
function dumpUri(
  node: SettlementNode,
  dumps: WatchtowerOptions["dumps"],
): { uri: string; override: boolean } {
  const override = dumps?.[node.id.toString()] ?? dumps?.[node.root];
  return override !== undefined ? { uri: override, override: true } : { uri: node.uri, override: false };
}

/** Reads and parses the dump; an error message instead when it cannot. */
async function readDump(
  node: SettlementNode,
  options: WatchtowerOptions,
): Promise<{ dump?: unknown; dumpError?: string }> {
  const { uri, override } = dumpUri(node, options.dumps);
  if (!override && classifyUri(uri) === "path" && !/[/\\]|\.json$/i.test(uri))
    return { dumpError: `its URI "${uri}" is not a location` };
  try {
    const text = await readUri(uri, options.fetchText);
    try {
      return { dump: JSON.parse(text) as unknown };
    } catch {
      return { dumpError: `${uri} is not JSON` };
    }
  } catch (error) {
    return { dumpError: `${uri}: ${(error as Error).message}` };
  }
}

/**
 * Judges the pending root against the recomputation (nothing sent).
 * @returns The report of the pending root, or undefined when none is pending.
 */
async function judgePending(
  suite: Suite,
  ledger: Ledger,
  options: WatchtowerOptions,
  block: number,
): Promise<PendingSettlementReport | undefined> {
  const p = await suite.distributor.pendingSettlement({ blockTag: block });
  if (p.activatesAt === 0n) return undefined;
  const root = p.root.toLowerCase();
  const node = ledger.settlements.find((s) => s.status === "pending" && s.root === root);
  const base = {
    id: node?.id ?? 0n,
    root,
    total: p.total,
    coveredThroughSeq: p.coveredThroughSeq,
    operator: p.operator.toLowerCase(),
    activatesAt: p.activatesAt,
    uri: node?.uri ?? "",
  };
  if (!node)
    return {
      ...base,
      verdict: "unverifiable",
      detail: `no SettlementCommitted event for pending root ${root} up to block ${block}`,
    };
  const recorder = new Recorder();
  const tables = await checkCommitments(ledger, recorder, { fetchTable: options.fetchText });
  const { pairs, missing } = coveredPairs(ledger, tables, p.coveredThroughSeq);
  if (missing.length > 0) {
    const why = recorder.mismatches.map((m) => m.message).join("; ");
    return {
      ...base,
      verdict: "unverifiable",
      detail: `cannot recompute it: no table matching its commitment for ${missing.join(", ")}${why ? ` (${why})` : ""}`,
    };
  }
  const { dump, dumpError } = await readDump(node, options);
  try {
    const audit = auditPendingSettlement({
      pending: { root, total: p.total, coveredThroughSeq: p.coveredThroughSeq },
      pairs,
      dump,
      dumpError,
    });
    return {
      ...base,
      verdict: audit.verdict,
      detail: audit.detail,
      expectedRoot: audit.expectedRoot,
      expectedTotal: audit.expectedTotal,
      ...(audit.dispute ? { dispute: audit.dispute } : {}),
      ...(audit.verdict === "unprovable" ? { hidden: audit.hidden } : {}),
    };
  } catch (error) {
    if (!(error instanceof SettlementInputError)) throw error;
    return { ...base, verdict: "unverifiable", detail: `cannot recompute it: ${error.message}` };
  }
}

type DisputeMethod = SettlementDisputeCall["method"];
type DisputeArgs<M extends DisputeMethod> = Extract<SettlementDisputeCall, { method: M }>["args"];

/** Each dispute method's call, its arguments checked against the contract's (TypeChain) signature. */
const DISPUTE_CALLS: { [M in DisputeMethod]: (c: SettlementDisputes, args: DisputeArgs<M>) => ContractCall } =
  {
    disputeUnderpayment: (c, args) => call(c, "disputeUnderpayment", ...args),
    disputeOmission: (c, args) => call(c, "disputeOmission", ...args),
    disputeLeaf: (c, args) => call(c, "disputeLeaf", ...args),
    disputeLeaves: (c, args) => call(c, "disputeLeaves", ...args),
  };

/** The prepared call of the engine's `dispute`. */
function disputeCall(contract: SettlementDisputes, dispute: SettlementDisputeCall): ContractCall {
  // TypeScript cannot pair a union's method with its own arguments: each entry above is checked.
  const prepare = DISPUTE_CALLS[dispute.method] as (
    c: SettlementDisputes,
    args: SettlementDisputeCall["args"],
  ) => ContractCall;
  return prepare(contract, dispute.args);
}

/** Sends `dispute` (after a static call, so a dispute that would revert costs nothing) and reads its event. */
export async function sendSettlementDispute(
  suite: Suite,
  disputes: SettlementDisputes,
  dispute: SettlementDisputeCall,
): Promise<SentDispute> {
  const contract = disputes.connect(suite.distributor.runner);
  const sources = [contract.interface, suite.distributor.interface, suite.staking.interface];
  const prepared = disputeCall(contract, dispute);
  // A dispute that would revert (the window closed, someone disputed first) costs nothing.
  await withDecodedErrors(prepared.staticCall(), ...sources);
  let receipt;
  try {
    receipt = await send(suite, prepared);
  } catch (error) {
    const revert = error instanceof ContractRevertError ? undefined : decodeRevert(error, ...sources);
    if (revert) throw new ContractRevertError(revert, error);
    throw error;
  }
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== (await contract.getAddress()).toLowerCase()) continue;
    const parsed = contract.interface.parseLog(log);
    if (parsed?.name !== "SettlementDisputed") continue;
    return {
      tx: receipt.hash,
      fault: SETTLEMENT_FAULTS[Number(parsed.args.fault)] ?? "None",
      account: String(parsed.args.account).toLowerCase(),
      slashed: parsed.args.slashed as bigint,
      reward: parsed.args.reward as bigint,
      disputer: String(parsed.args.disputer).toLowerCase(),
    };
  }
  throw new Error(`dispute ${receipt.hash} landed without a SettlementDisputed event`);
}

/**
 * One check: reads the roots from the chain, judges the pending one and, when a fault is provable,
 * the window is open and `dispute` is not false, disputes it.
 * @throws WatchtowerError when no disputes contract is set.
 */
export async function checkPendingSettlement(options: WatchtowerOptions): Promise<WatchReport> {
  const { suite, provider } = options;
  const disputes = await settlementDisputesOf(suite);
  const block = options.toBlock ?? (await provider.getBlockNumber());
  const events =
    options.events ?? (await readSuiteEvents(suite, provider, { toBlock: block, indexer: false }));
  const ledger = buildLedger(events);
  const now = BigInt((await provider.getBlock(block))!.timestamp);
  const pending = await judgePending(suite, ledger, options, block);
  if (pending?.dispute) {
    if (options.dispute === false) pending.notDisputed = "reporting only (--dry-run): nothing sent";
    else if (now >= pending.activatesAt)
      pending.notDisputed = `the dispute window closed at ${pending.activatesAt}: the root can no longer be disputed`;
    else {
      try {
        pending.disputed = await sendSettlementDispute(suite, disputes, pending.dispute);
      } catch (error) {
        if (error instanceof ContractRevertError)
          pending.notDisputed = `the dispute was not sent: ${error.message}`;
        else throw error;
      }
    }
  }
  const attribution = await checkAttribution(options, ledger, now, block);
  return {
    block,
    now,
    disputes: await disputes.getAddress(),
    pending,
    roots: rootsOf(ledger),
    disputed: ledger.disputes,
    attribution,
  };
}

/** The attribution check of one watch step (weight sums of open commitments). */
function checkAttribution(
  options: Pick<WatchtowerOptions, "suite" | "provider" | "dispute" | "fetchText">,
  ledger: Ledger,
  now: bigint,
  block: number,
): Promise<WeightSumReport[]> {
  const { suite, provider, fetchText } = options;
  return checkOpenCommitments({
    suite,
    provider,
    ledger,
    now,
    block,
    prove: options.dispute !== false,
    fetchText,
  });
}

/** Every posted root, in posting order. */
function rootsOf(ledger: Ledger): WatchReport["roots"] {
  return [...ledger.settlements, ...ledger.rejectedSettlements]
    .sort((a, b) => a.blockNumber - b.blockNumber)
    .map(({ id, root, status, operator, activatesAt, total }) => ({
      id,
      root,
      status,
      operator,
      activatesAt,
      total,
    }));
}

/** Options of {@link watchSettlements}. */
export interface WatchLoopOptions extends Omit<WatchtowerOptions, "events" | "toBlock"> {
  /** Time between checks in milliseconds (default 15,000). */
  intervalMs?: number;
  /** Stops the loop (checked between checks). */
  signal?: AbortSignal;
  /** Called with every check's report. */
  onReport: (report: WatchReport) => void | Promise<void>;
  /** Called when a check fails (a node or file error); the loop goes on. Default: rethrow and stop. */
  onError?: (error: unknown) => void | Promise<void>;
}

/**
 * Checks the settlement roots every `intervalMs` until `signal` aborts, reading new events
 * incrementally; a root judged honest or unprovable is not judged again, one whose dump or tables
 * were unavailable is (they may be published later).
 */
export async function watchSettlements(options: WatchLoopOptions): Promise<void> {
  const { suite, provider, signal } = options;
  const interval = options.intervalMs ?? 15_000;
  let events: SuiteEvent[] = [];
  let readTo = -1;
  /** Reports of roots judged honest or unprovable, by root and window: not judged again. */
  const judged = new Map<string, PendingSettlementReport>();
  while (!signal?.aborted) {
    try {
      const block = await provider.getBlockNumber();
      if (block > readTo) {
        events = [
          ...events,
          ...(await readSuiteEvents(suite, provider, {
            fromBlock: readTo + 1,
            toBlock: block,
            indexer: false,
          })),
        ];
        readTo = block;
      }
      const p = await suite.distributor.pendingSettlement({ blockTag: block });
      const key = `${p.root.toLowerCase()}/${p.activatesAt}`;
      const known = p.activatesAt === 0n ? undefined : judged.get(key);
      if (known) {
        const ledger = buildLedger(events);
        const now = BigInt((await provider.getBlock(block))!.timestamp);
        await options.onReport({
          block,
          now,
          disputes: await suite.distributor.settlementDisputes(),
          pending: known,
          roots: rootsOf(ledger),
          disputed: ledger.disputes,
          attribution: await checkAttribution(options, ledger, now, block),
        });
      } else {
        const report = await checkPendingSettlement({ ...options, events, toBlock: block });
        const verdict = report.pending?.verdict;
        if (report.pending && (verdict === "honest" || verdict === "unprovable"))
          judged.set(key, report.pending);
        await options.onReport(report);
      }
    } catch (error) {
      if (error instanceof WatchtowerError || !options.onError) throw error;
      await options.onError(error);
    }
    await sleep(interval, signal);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((done) => {
    if (signal?.aborted) return done();
    const timer = setTimeout(done, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        done();
      },
      { once: true },
    );
  });
}

/**
 * Writes that land at most once. Every transaction is fully populated before it leaves (explicit
 * nonce, gas limit, fees), so it can be re-sent byte for byte. When sending or waiting fails with
 * a transport error nothing is blindly re-sent: the node is asked whether it knows the
 * transaction (by hash when there is one, else by the account's nonce and a scan of the blocks
 * mined since for (from, nonce)); the SDK waits for its receipt if so, and re-sends the SAME
 * transaction (same nonce, same data) only when the node never saw it (e.g. it restarted and lost
 * its mempool). Two copies of one (from, nonce) can never both land, so the caller gets the one
 * receipt.
 */
import {
  BaseWallet,
  getAddress,
  toQuantity,
  Transaction,
  type BaseContract,
  type ContractTransaction,
  type Provider,
  type Signer,
  type TransactionReceipt,
  type TransactionRequest,
} from "ethers";
import {
  isTransient,
  sleep,
  transientReason,
  NodeUnreachableError,
  type Endpoint,
} from "../transport/retry.js";

/** A contract call not sent yet: `call(suite.datanets, "createDatanet", uri, licence, policy)`. */
export interface ContractCall {
  readonly kind: "contract-call";
  /** The contract it goes to; its runner (a signer) sends it. */
  readonly contract: BaseContract;
  /** `contract.method(args)` for messages. */
  readonly label: string;
  /** to + data (+ value) of the call. */
  populate(): Promise<ContractTransaction>;
  /** Runs the call without sending it (`eth_call` from the runner): rejects as the transaction would revert. */
  staticCall(): Promise<unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- matches every TypeChain method
type Populatable = { populateTransaction: (...args: any[]) => Promise<ContractTransaction> };
/** The names of a contract's methods that can be sent (TypeChain methods). */
export type WriteMethods<C> = { [K in keyof C]: C[K] extends Populatable ? K : never }[keyof C] & string;
type ArgsOf<C, K extends keyof C> = C[K] extends { populateTransaction: (...args: infer A) => unknown }
  ? A
  : never;

/** Prepares `contract.method(...args)` for `send` (typed by TypeChain). */
export function call<C extends BaseContract, K extends WriteMethods<C>>(
  contract: C,
  method: K,
  ...args: ArgsOf<C, K>
): ContractCall {
  const fn = contract[method] as unknown as {
    populateTransaction: (...a: unknown[]) => Promise<ContractTransaction>;
    staticCall: (...a: unknown[]) => Promise<unknown>;
  };
  return {
    kind: "contract-call",
    contract,
    label: `${method}`,
    populate: () => fn.populateTransaction(...(args as unknown[])),
    staticCall: () => fn.staticCall(...(args as unknown[])),
  };
}

/** Whether a value is a prepared {@link ContractCall}. */
export function isContractCall(value: unknown): value is ContractCall {
  return (
    typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "contract-call"
  );
}

/** The node's chain no longer holds what it held when the transaction was sent (a fresh node). */
export class NodeStateLostError extends Error {
  override name = "NodeStateLostError";
}

/** The nonce was consumed by a transaction other than ours: ours was not sent again. */
export class NonceTakenError extends Error {
  override name = "NonceTakenError";
}

/** A fully populated transaction: what goes out, identically, on every (re)send. */
export interface PreparedTransaction {
  from: string;
  to: string;
  data: string;
  value: bigint;
  nonce: number;
  gasLimit: bigint;
  chainId: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  gasPrice?: bigint;
}

/** Where a transaction stands: enough to find it again, in this process or a later one. */
export interface SentRecord {
  from: string;
  nonce: number;
  /** The chain head just before it was first sent: it cannot be in an earlier block. */
  startBlock: number;
  hash?: string;
}

/** How a send waits for its receipt and rides out an unreachable node (see `sendCall`). */
export interface SendOptions {
  /** How long to wait for the receipt in total (default 10 min). */
  timeoutMs?: number;
  /** How long the node may stay unreachable while waiting before giving up (default 60 s). */
  reconnectTimeoutMs?: number;
  /** How many times the same transaction may be re-sent to a node that lost it (default 3). */
  maxResends?: number;
  /** Called (and awaited) before the first send: the place to journal (from, nonce). */
  beforeSend?: (tx: PreparedTransaction, record: SentRecord) => Promise<void> | void;
  /** Called when the node turned out never to have seen the transaction and it is sent again. */
  onResend?: (tx: PreparedTransaction, attempt: number) => void;
  /** Describes the node in messages. */
  endpoint?: Endpoint;
}

interface RpcProvider extends Provider {
  send(method: string, params: unknown[]): Promise<unknown>;
}

function providerOf(signer: Signer): Provider {
  if (!signer.provider) throw new Error("the signer has no provider: connect it to a network first");
  return signer.provider;
}

/** Fills nonce, gas limit and fees (reads; a revert surfaces from the gas estimate, untouched). */
export async function prepareTransaction(
  signer: Signer,
  request: TransactionRequest,
): Promise<PreparedTransaction> {
  const provider = providerOf(signer);
  const from = getAddress(await signer.getAddress());
  if (typeof request.to !== "string")
    throw new Error(
      "sendOnce sends calls to a deployed contract (a `to` address); deploy contracts with Ignition",
    );
  const to = getAddress(request.to);
  const data = request.data ?? "0x";
  const value = BigInt(request.value ?? 0n);
  const gasLimit =
    request.gasLimit != null
      ? BigInt(request.gasLimit)
      : await provider.estimateGas({ from, to, data, value });
  const nonce = request.nonce ?? (await provider.getTransactionCount(from, "pending"));
  const { chainId } = await provider.getNetwork();
  const fees = await provider.getFeeData();
  const tx: PreparedTransaction = { from, to, data, value, nonce, gasLimit, chainId };
  if (fees.maxFeePerGas != null && fees.maxPriorityFeePerGas != null) {
    tx.maxFeePerGas = fees.maxFeePerGas;
    tx.maxPriorityFeePerGas = fees.maxPriorityFeePerGas;
  } else {
    tx.gasPrice = fees.gasPrice ?? undefined;
  }
  return tx;
}

/** The signed bytes when the signer signs locally (a wallet): its hash is known before it is sent. */
async function signLocally(signer: Signer, tx: PreparedTransaction): Promise<string | undefined> {
  if (!(signer instanceof BaseWallet)) return undefined;
  return signer.signTransaction({ ...tx, type: tx.maxFeePerGas !== undefined ? 2 : 0 });
}

/** Sends the prepared transaction once (the signed bytes when given); resolves with its hash. */
async function broadcast(signer: Signer, tx: PreparedTransaction, signed?: string): Promise<string> {
  const provider = providerOf(signer);
  if (signed !== undefined) return (await provider.broadcastTransaction(signed)).hash;
  const rpc = provider as RpcProvider;
  if (typeof rpc.send !== "function") return (await signer.sendTransaction({ ...tx })).hash;
  const q = (v: bigint | number | undefined) => (v === undefined ? undefined : toQuantity(v));
  const request = {
    from: tx.from,
    to: tx.to,
    data: tx.data,
    value: q(tx.value),
    nonce: q(tx.nonce),
    gas: q(tx.gasLimit),
    maxFeePerGas: q(tx.maxFeePerGas),
    maxPriorityFeePerGas: q(tx.maxPriorityFeePerGas),
    gasPrice: q(tx.gasPrice),
  };
  return (await rpc.send("eth_sendTransaction", [JSON.parse(JSON.stringify(request))])) as string;
}

/** The transaction of (from, nonce) mined in blocks `fromBlock..toBlock`, if any. */
export async function findByNonce(
  provider: Provider,
  from: string,
  nonce: number,
  fromBlock: number,
  toBlock: number,
): Promise<{ hash: string; to: string | null; data: string } | undefined> {
  const who = from.toLowerCase();
  for (let n = toBlock; n >= Math.max(0, fromBlock); n--) {
    const block = await provider.getBlock(n, true);
    for (const t of block?.prefetchedTransactions ?? [])
      if (t.from.toLowerCase() === who && t.nonce === nonce) return { hash: t.hash, to: t.to, data: t.data };
  }
  return undefined;
}

async function failIfReverted(provider: Provider, receipt: TransactionReceipt, tx?: PreparedTransaction) {
  if (receipt.status === 1) return receipt;
  // Replay it on the parent block to surface the contract's custom error.
  if (tx)
    await provider.call({
      from: tx.from,
      to: tx.to,
      data: tx.data,
      value: tx.value,
      blockTag: receipt.blockNumber - 1,
    });
  throw Object.assign(
    new Error(`transaction ${receipt.hash} reverted on chain (block ${receipt.blockNumber})`),
    {
      code: "CALL_EXCEPTION",
      receipt,
    },
  );
}

function describeTx(record: SentRecord): string {
  return `transaction of ${record.from} nonce ${record.nonce}${record.hash ? ` (${record.hash})` : ""}`;
}

/**
 * Waits until the transaction of `record` has a receipt, riding out transport failures and node
 * restarts; re-sends `tx` (identical) only when the node never saw it. Without `tx` (recovering a
 * journal entry) a transaction the node never saw resolves to `undefined` instead.
 */
export async function waitLanded(
  provider: Provider,
  record: SentRecord,
  options: SendOptions & {
    resend?: () => Promise<string>;
    tx?: PreparedTransaction;
    /** What the transaction sends (when recovering without `tx`): a different one at that nonce is not ours. */
    expect?: { to: string; data: string };
  } = {},
): Promise<TransactionReceipt | undefined> {
  const expected = options.tx ?? options.expect;
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  const reconnectMs = options.reconnectTimeoutMs ?? 60_000;
  const where = options.endpoint?.where ?? "the node";
  let unreachableSince: number | undefined;
  let lastReason = "";
  let resends = 0;
  let delay = 25;
  const pause = async () => {
    await sleep(delay);
    delay = Math.min(delay * 2, 1_000);
  };
  for (;;) {
    if (Date.now() > deadline)
      throw new Error(
        `${describeTx(record)} has no receipt after ${options.timeoutMs ?? 600_000} ms: it may still land; check before sending again`,
      );
    try {
      if (record.hash) {
        const receipt = await provider.getTransactionReceipt(record.hash);
        if (receipt) return await failIfReverted(provider, receipt, options.tx);
        if (await provider.getTransaction(record.hash)) {
          unreachableSince = undefined;
          await pause();
          continue;
        }
      }
      const head = await provider.getBlockNumber();
      const latest = await provider.getTransactionCount(record.from, "latest");
      const pending = await provider.getTransactionCount(record.from, "pending");
      unreachableSince = undefined;
      if (head < record.startBlock || latest < record.nonce)
        throw new NodeStateLostError(
          `${where} lost its chain state (head block ${head}, account nonce ${latest}; the ${describeTx(record)} was sent after block ${record.startBlock}): it restarted without persistence; redeploy the suite there and run again`,
        );
      if (latest > record.nonce) {
        const found = await findByNonce(provider, record.from, record.nonce, record.startBlock, head);
        const ours =
          found !== undefined &&
          (expected
            ? found.data === expected.data && found.to?.toLowerCase() === expected.to.toLowerCase()
            : record.hash === undefined || record.hash === found.hash);
        if (found && ours) {
          record.hash = found.hash;
          continue;
        }
        throw new NonceTakenError(
          `nonce ${record.nonce} of ${record.from} was used by ${found ? `another transaction ${found.hash}` : `a transaction mined before block ${record.startBlock}`}: ours was not sent again`,
        );
      }
      if (pending > record.nonce) {
        await pause();
        continue;
      }
      // latest == pending == nonce: the node has never seen it (or dropped it).
      if (!options.resend) return undefined;
      if (resends >= (options.maxResends ?? 3))
        throw new Error(
          `${where} dropped the ${describeTx(record)} ${resends + 1} times: not sending it again`,
        );
      resends++;
      if (options.tx) options.onResend?.(options.tx, resends);
      try {
        record.hash = await options.resend();
      } catch (error) {
        if (!isTransient(error)) throw error;
      }
    } catch (error) {
      const reason = transientReason(error);
      if (reason === undefined) throw error;
      unreachableSince ??= Date.now();
      lastReason = reason;
      if (Date.now() - unreachableSince > reconnectMs)
        throw new NodeUnreachableError(
          options.endpoint ?? { where },
          "waiting for a receipt",
          resends + 1,
          lastReason,
          {
            cause: error,
            message: `${where === "the node" ? "the node" : `node at ${where}`} unreachable for ${Math.round(reconnectMs / 1000)} s while waiting for the ${describeTx(record)} (${lastReason}): it may still land; check before sending it again`,
          },
        );
      await pause();
    }
  }
}

/**
 * Sends `request` from `signer` so that it lands at most once, and returns its receipt. A revert
 * in the gas estimate surfaces before anything is sent; a transport failure while sending or
 * waiting is resolved by asking the node what it knows (see the module comment).
 */
export async function sendOnce(
  signer: Signer,
  request: TransactionRequest,
  options: SendOptions = {},
): Promise<TransactionReceipt> {
  const provider = providerOf(signer);
  const tx = await prepareTransaction(signer, request);
  const record: SentRecord = { from: tx.from, nonce: tx.nonce, startBlock: await provider.getBlockNumber() };
  await options.beforeSend?.(tx, record);
  const signed = await signLocally(signer, tx);
  if (signed !== undefined) record.hash = Transaction.from(signed).hash!;
  try {
    record.hash = await broadcast(signer, tx, signed);
  } catch (error) {
    if (!isTransient(error)) throw error;
  }
  const receipt = await waitLanded(provider, record, {
    ...options,
    tx,
    resend: () => broadcast(signer, tx, signed),
  });
  return receipt!;
}

/** `sendOnce` for a prepared contract call, sent by the contract's runner. */
export async function sendCall(c: ContractCall, options: SendOptions = {}): Promise<TransactionReceipt> {
  const signer = c.contract.runner as Signer | null;
  if (!signer || typeof (signer as Signer).getAddress !== "function")
    throw new Error(
      `${c.label}: the contract is connected to a provider, not a signer: connect it to an account`,
    );
  return sendOnce(signer, await c.populate(), options);
}

/**
 * Where the indexer's logs come from, and how they are decoded.
 *
 * `LogSource` is the chain as the sync loop sees it (head, block hashes, raw logs of a range);
 * `RpcLogSource` reads it over JSON-RPC through the SDK's resilient provider (its retry policy for
 * a node that is down or drops requests), `SyntheticLogSource` (synthetic.ts) makes it up for the
 * bench. Decoding uses the contracts' own ABIs from TypeChain, so events and fields added to a
 * contract flow through without a change here.
 */
import { AbiCoder, type EventFragment, type JsonRpcProvider, type ParamType, type Result } from "ethers";
import { suiteInterfaces, type OptionalContractName, type SuiteAddresses } from "../sdk/suite.js";
import type { DecodedEvent, PlainValue } from "./mapping.js";

/** A log as `eth_getLogs` returns it (hex quantities). */
export interface RawLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  logIndex: string;
  transactionHash: string;
  removed?: boolean;
}

/** A block header as far as the indexer needs it. */
export interface BlockRef {
  number: number;
  hash: string;
  timestamp: number;
}

/** The chain, as the sync loop reads it. */
export interface LogSource {
  /** Where it is, for messages. */
  readonly where: string;
  chainId(): Promise<bigint>;
  head(): Promise<number>;
  /** The node's block at `number`, or undefined when it has none (the chain is shorter). */
  block(number: number): Promise<BlockRef | undefined>;
  /** Every log of `addresses` in `[from, to]`, in chain order. */
  logs(addresses: readonly string[], from: number, to: number): Promise<RawLog[]>;
}

/**
 * The indexed contracts, by the SDK's names (the token for its transfers: balances, money in and
 * out). The last two are optional: a deployment whose address book lacks them is indexed without.
 */
export const INDEXED_CONTRACTS = [
  "datanets",
  "models",
  "attribution",
  "distributor",
  "staking",
  "token",
  "settlementDisputes",
  "usageEscrow",
] as const;
export type IndexedContract = (typeof INDEXED_CONTRACTS)[number];
/** The indexed contracts every deployment has. */
export type CoreIndexedContract = Exclude<IndexedContract, OptionalContractName>;
/** Where the indexed contracts are (the optional ones when deployed). */
export type IndexedAddresses = Pick<SuiteAddresses, CoreIndexedContract> &
  Partial<Pick<SuiteAddresses, OptionalContractName>>;

/** The indexed contracts present in `addresses`, in the fixed order. */
export function presentContracts(addresses: IndexedAddresses): IndexedContract[] {
  return INDEXED_CONTRACTS.filter((name) => addresses[name] !== undefined);
}

function plain(type: ParamType, value: unknown): PlainValue {
  if (type.isArray()) {
    const child = type.arrayChildren;
    return (value as unknown[]).map((v) => plain(child, v));
  }
  if (type.isTuple()) {
    const out: Record<string, PlainValue> = {};
    type.components.forEach((component, i) => {
      out[component.name || String(i)] = plain(component, (value as Result)[i]);
    });
    return out;
  }
  if (typeof value === "bigint" || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return BigInt(value);
  return String(value);
}

/** One topic of an indexed argument: static types decoded, dynamic ones are a hash (kept as is). */
function decodeTopic(type: ParamType, topic: string): PlainValue {
  const t = type.type;
  if (t.startsWith("uint")) return BigInt(topic);
  if (t.startsWith("int")) return BigInt.asIntN(Number(t.slice(3) || 256), BigInt(topic));
  if (t === "address") return "0x" + topic.slice(26).toLowerCase();
  if (t === "bool") return BigInt(topic) !== 0n;
  if (/^bytes\d+$/.test(t)) return topic.slice(0, 2 + 2 * Number(t.slice(5))).toLowerCase();
  return topic.toLowerCase();
}

/** Words (32 bytes) a static type takes inline, or undefined for a dynamic type. */
function staticWords(type: ParamType): number | undefined {
  if (type.isTuple()) {
    let n = 0;
    for (const c of type.components) {
      const w = staticWords(c);
      if (w === undefined) return undefined;
      n += w;
    }
    return n;
  }
  if (type.isArray()) {
    if (type.arrayLength < 0) return undefined;
    const w = staticWords(type.arrayChildren);
    return w === undefined ? undefined : w * type.arrayLength;
  }
  return type.type === "string" || type.type === "bytes" ? undefined : 1;
}

/** Whether the hand-written reader below covers `type` (else AbiCoder decodes the event). */
function supported(type: ParamType): boolean {
  if (type.isTuple()) return type.components.every(supported);
  if (type.isArray()) return supported(type.arrayChildren);
  return /^(u?int\d*|address|bool|bytes\d*|string)$/.test(type.type);
}

/** Reads one value of `type` whose head is at word `at` of `hex` (no 0x), offsets relative to `base`. */
function readValue(type: ParamType, hex: string, base: number, at: number): PlainValue {
  const wordAt = (i: number) => hex.slice(i * 64, i * 64 + 64);
  if (staticWords(type) === undefined) {
    const start = base + Number(BigInt("0x" + wordAt(at))) / 32;
    if (type.isArray()) {
      const n = Number(BigInt("0x" + wordAt(start)));
      const out: PlainValue[] = [];
      const child = type.arrayChildren;
      const step = staticWords(child);
      for (let k = 0; k < n; k++)
        out.push(
          step === undefined
            ? readValue(child, hex, start + 1, start + 1 + k)
            : readValue(child, hex, start + 1, start + 1 + k * step),
        );
      return out;
    }
    if (type.isTuple()) return readTuple(type.components, hex, start, start);
    const length = Number(BigInt("0x" + wordAt(start)));
    const bytes = hex.slice((start + 1) * 64, (start + 1) * 64 + length * 2);
    return type.type === "string" ? Buffer.from(bytes, "hex").toString("utf8") : "0x" + bytes;
  }
  if (type.isTuple()) return readTuple(type.components, hex, base, at);
  if (type.isArray()) {
    const out: PlainValue[] = [];
    const step = staticWords(type.arrayChildren)!;
    for (let k = 0; k < type.arrayLength; k++)
      out.push(readValue(type.arrayChildren, hex, base, at + k * step));
    return out;
  }
  return decodeTopic(type, "0x" + wordAt(at));
}

function readTuple(
  types: readonly ParamType[],
  hex: string,
  base: number,
  at: number,
): Record<string, PlainValue> {
  const out: Record<string, PlainValue> = {};
  let head = at;
  types.forEach((t, i) => {
    out[t.name || String(i)] = readValue(t, hex, base, head);
    head += staticWords(t) ?? 1;
  });
  return out;
}

interface EventDecoding {
  contract: IndexedContract;
  event: EventFragment;
  /** Non-indexed inputs, in data order. */
  dataTypes: ParamType[];
  /** The hand-written reader covers every data type (else AbiCoder). */
  fast: boolean;
}

/**
 * Decodes raw logs of the suite's contracts; unknown topics are skipped (another contract's event).
 * Topics of static types are read directly and the data through one AbiCoder call per log (ethers'
 * `decodeEventLog` re-hashes the event signature on every call, the slowest part of a catch-up).
 */
export class SuiteDecoder {
  private readonly byTopic = new Map<string, EventDecoding>();
  private readonly coder = AbiCoder.defaultAbiCoder();
  readonly addresses: string[];

  constructor(addresses: IndexedAddresses) {
    const interfaces = suiteInterfaces();
    const present = presentContracts(addresses);
    this.addresses = present.map((name) => addresses[name]!.toLowerCase());
    for (const name of present) {
      interfaces[name].forEachEvent((event) => {
        this.byTopic.set(`${addresses[name]!.toLowerCase()}:${event.topicHash}`, {
          contract: name,
          event,
          dataTypes: event.inputs.filter((i) => !i.indexed),
          fast: event.inputs.filter((i) => !i.indexed).every(supported),
        });
      });
    }
  }

  decode(log: RawLog): DecodedEvent | undefined {
    const found = this.byTopic.get(`${log.address.toLowerCase()}:${log.topics[0]}`);
    if (!found) return undefined;
    const hexData = log.data.slice(2);
    let data: PlainValue[] | Result = [];
    if (found.fast) {
      if (hexData.length < 64 * found.dataTypes.length)
        throw new Error(
          `log ${log.transactionHash}:${log.logIndex} has too little data for ${found.event.name}`,
        );
      let head = 0;
      data = found.dataTypes.map((t) => {
        const v = readValue(t, hexData, 0, head);
        head += staticWords(t) ?? 1;
        return v;
      });
    } else if (found.dataTypes.length) data = this.coder.decode(found.dataTypes, log.data);
    const args: Record<string, PlainValue> = {};
    let topic = 1;
    let field = 0;
    found.event.inputs.forEach((input, i) => {
      const key = input.name || String(i);
      if (input.indexed) {
        const t = log.topics[topic++];
        if (t === undefined)
          throw new Error(`log ${log.transactionHash}:${log.logIndex} lacks topics for ${found.event.name}`);
        args[key] = decodeTopic(input, t);
      } else {
        const v = data[field++] as unknown;
        args[key] = found.fast ? (v as PlainValue) : plain(input, v);
      }
    });
    return {
      contract: found.contract,
      name: found.event.name,
      args,
      blockNumber: Number(log.blockNumber),
      blockHash: log.blockHash.toLowerCase(),
      logIndex: Number(log.logIndex),
      transactionHash: log.transactionHash.toLowerCase(),
    };
  }
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** A node's answer that says the range (or result) is too large: the range is split. */
export function isRangeTooLarge(error: unknown): boolean {
  const text = String((error as { message?: unknown })?.message ?? error);
  return /range|too many|limit exceeded|exceed|query returned more than|response size|block range/i.test(
    text,
  );
}

/**
 * The largest `eth_getLogs` answer the indexer reads into memory (`connectResilient`'s
 * `maxResponseBytes`): a larger one is refused and the range split, so a dense stretch of blocks
 * after sparse ones (which grew the range) never holds hundreds of MB of logs at once.
 */
export const MAX_LOGS_ANSWER_BYTES = 16 * 2 ** 20;

/** The chain over JSON-RPC (any node: hardhat node, anvil, a testnet's RPC). */
export class RpcLogSource implements LogSource {
  constructor(
    /** The node: an ethers JsonRpcProvider, or anything that sends a JSON-RPC call (an in-process chain). */
    private readonly provider: Pick<JsonRpcProvider, "send">,
    readonly where: string,
  ) {}

  async chainId(): Promise<bigint> {
    return BigInt((await this.provider.send("eth_chainId", [])) as string);
  }

  async head(): Promise<number> {
    return Number((await this.provider.send("eth_blockNumber", [])) as string);
  }

  async block(number: number): Promise<BlockRef | undefined> {
    const b = (await this.provider.send("eth_getBlockByNumber", [hex(number), false])) as {
      hash: string;
      timestamp: string;
    } | null;
    return b ? { number, hash: b.hash.toLowerCase(), timestamp: Number(b.timestamp) } : undefined;
  }

  async logs(addresses: readonly string[], from: number, to: number): Promise<RawLog[]> {
    return (await this.provider.send("eth_getLogs", [
      { address: addresses, fromBlock: hex(from), toBlock: hex(to) },
    ])) as RawLog[];
  }
}

/**
 * A made-up chain of suite events, served through the same `LogSource` interface as a node: the
 * bench feeds 1,000,000 events through the indexer's real decode -> map -> write path with it,
 * and tests use it for kill/resume and reorg cases that need no node. Logs are ABI-encoded with
 * the contracts' own interfaces (each event kind's data is encoded once, topics per log), so the
 * decoder cannot tell them from a node's.
 *
 * The stream: datanets and models first, then a repeating pattern of submissions, acceptances,
 * payments, versions, commitments, finalisations, settlements (posted, activated, disputed and
 * rejected), claims, the usage escrow's deposits, vouchers and withdrawals, and parameter changes. `reorg(from, seed)`
 * replaces every block from `from` on (new hashes, different payers), like a node's fork choice.
 */
import type { Interface } from "ethers";
import { suiteInterfaces } from "../sdk/suite.js";
import {
  type BlockRef,
  type IndexedAddresses,
  type IndexedContract,
  type LogSource,
  type RawLog,
} from "./source.js";

/** A 32-byte word (a topic) of `n`. */
export const word = (n: bigint | number) => "0x" + BigInt(n).toString(16).padStart(64, "0");
/** The topic of an address. */
export const addressWord = (a: string) => "0x" + a.slice(2).toLowerCase().padStart(64, "0");
/** A made-up address numbered `n`. */
export const fakeAddress = (n: number) => "0x" + n.toString(16).padStart(40, "0");

export interface SyntheticOptions {
  events: number;
  eventsPerBlock?: number;
  chainId?: bigint;
  /** Datanets and models created up front (default 20 each). */
  datanets?: number;
  /**
   * A stream of one's own instead of the repeating pattern: event `i`'s kind
   * (`"<contract>.<EventName>"`, one the source encodes) and its topics after the event's own.
   */
  eventAt?: (i: number) => { key: string; topics: string[] };
}

/** Made-up addresses of a suite, for the synthetic chain. */
export const SYNTHETIC_ADDRESSES: Required<IndexedAddresses> = {
  datanets: "0x00000000000000000000000000000000000d0001",
  models: "0x00000000000000000000000000000000000d0002",
  attribution: "0x00000000000000000000000000000000000d0003",
  distributor: "0x00000000000000000000000000000000000d0004",
  staking: "0x00000000000000000000000000000000000d0005",
  token: "0x00000000000000000000000000000000000d0006",
  settlementDisputes: "0x00000000000000000000000000000000000d0007",
  usageEscrow: "0x00000000000000000000000000000000000d0008",
};

interface Kind {
  contract: IndexedContract;
  topic: string;
  data: string;
}

export class SyntheticLogSource implements LogSource {
  readonly where = "synthetic chain";
  readonly eventsPerBlock: number;
  private readonly total: number;
  private readonly datanets: number;
  private readonly kinds = new Map<string, Kind>();
  private readonly interfaces: Record<IndexedContract, Interface>;
  /** Block number -> seed of the blocks replaced by `reorg`. */
  private readonly forks: [from: number, seed: number][] = [];
  /** Highest block the chain has now (grows with `extend`). */
  private visibleHead: number;
  /** Number of eth_getLogs-like calls served (tests count them). */
  calls = 0;
  /** When set, the next `logs` call throws this error once (fault injection). */
  failNext: Error | undefined;

  constructor(
    private readonly options: SyntheticOptions,
    private readonly addresses: IndexedAddresses = SYNTHETIC_ADDRESSES,
  ) {
    this.eventsPerBlock = options.eventsPerBlock ?? 100;
    this.total = options.events;
    this.datanets = options.datanets ?? 20;
    this.interfaces = suiteInterfaces();
    this.visibleHead = this.lastBlock;
    const values: Record<string, unknown[]> = {
      "datanets.DatanetCreated": [0n, fakeAddress(1), 15, 0, "ipfs://datanet/synthetic"],
      "datanets.ContributionSubmitted": [
        0n,
        word(0),
        fakeAddress(1),
        word(7),
        "ipfs://contribution/synthetic",
      ],
      "datanets.ContributionAccepted": [0n, word(0), fakeAddress(1)],
      "datanets.VersionPublished": [0n, 0n, fakeAddress(1), word(9), 10n, 0n, "ipfs://version/synthetic"],
      "models.ModelRegistered": [0n, fakeAddress(2), 0n, 2, 10n ** 18n, "ipfs://model/synthetic"],
      "models.ModelVersionAdded": [0n, 0n, word(3), [[1, 1, 10_000]]],
      "attribution.AttributionCommitted": [
        0n,
        0n,
        word(5),
        1_000_000n,
        1,
        "ipfs://table/synthetic",
        1_700_000_000n,
      ],
      "distributor.Paid": [0n, 0n, fakeAddress(3), 10n ** 18n, 10n ** 17n, 25n * 10n ** 16n, 5n * 10n ** 16n],
      "distributor.Finalized": [0n, 0n, 1n, 6n * 10n ** 17n],
      "distributor.SettlementCommitted": [
        0n,
        word(11),
        10n ** 20n,
        1n,
        "ipfs://settlement/synthetic",
        fakeAddress(5),
        1_700_000_000n,
      ],
      "distributor.Claimed": [fakeAddress(4), 10n ** 18n, 10n ** 18n],
      "distributor.SettlementActivated": [0n, word(11), 10n ** 20n, 1n],
      "distributor.SettlementRejected": [word(11), fakeAddress(5), fakeAddress(6), 1n],
      "distributor.DisputeWindowChanged": [7_200n],
      "settlementDisputes.SettlementDisputed": [
        word(11),
        fakeAddress(5),
        fakeAddress(6),
        2,
        fakeAddress(7),
        5n * 10n ** 18n,
        10n ** 18n,
      ],
      "usageEscrow.Deposited": [fakeAddress(3), fakeAddress(3), 10n ** 19n, 10n ** 19n],
      "usageEscrow.VoucherRedeemed": [fakeAddress(3), 0n, word(0), 40n, 4n, 4n * 10n ** 18n, 0n],
      "usageEscrow.WithdrawalRequested": [fakeAddress(3), 10n ** 18n, 1_700_000_600n],
      "usageEscrow.WithdrawalCancelled": [fakeAddress(3)],
      "usageEscrow.Withdrawn": [fakeAddress(3), fakeAddress(3), 10n ** 18n],
    };
    for (const [key, args] of Object.entries(values)) {
      const [contract, name] = key.split(".") as [IndexedContract, string];
      const iface = this.interfaces[contract];
      const event = iface.getEvent(name);
      if (!event) throw new Error(`the ${contract} ABI has no event ${name}: update the synthetic chain`);
      // Only non-indexed values land in data; placeholders for indexed ones are ignored there.
      const encoded = iface.encodeEventLog(event, args);
      this.kinds.set(key, { contract, topic: event.topicHash, data: encoded.data });
    }
  }

  get lastBlock(): number {
    return Math.ceil(this.total / this.eventsPerBlock);
  }

  /** Shows only blocks up to `head` (the chain "grows" as it is raised). */
  setHead(head: number): void {
    this.visibleHead = Math.min(head, this.lastBlock);
  }

  /** Replaces every block from `from` on with a fork of seed `seed` (> 0). */
  reorg(from: number, seed: number): void {
    this.forks.push([from, seed]);
  }

  private seedOf(block: number): number {
    let seed = 0;
    for (const [from, s] of this.forks) if (block >= from) seed = s;
    return seed;
  }

  async chainId(): Promise<bigint> {
    return this.options.chainId ?? 31_337n;
  }

  async head(): Promise<number> {
    return this.visibleHead;
  }

  async block(number: number): Promise<BlockRef | undefined> {
    if (number < 0 || number > this.visibleHead) return undefined;
    return { number, hash: this.hashOf(number), timestamp: 1_700_000_000 + number * 2 };
  }

  private hashOf(block: number): string {
    return word((BigInt(block) << 32n) | BigInt(this.seedOf(block)));
  }

  /** The kind and topics of global event `i` on a fork of seed `seed`. */
  private eventAt(i: number, seed: number): { key: string; topics: string[] } {
    if (this.options.eventAt) return this.options.eventAt(i);
    const d = this.datanets;
    const datanetOf = (k: number) => (k % d) + 1;
    if (i < d)
      return { key: "datanets.DatanetCreated", topics: [word(i + 1), addressWord(fakeAddress(0x100 + i))] };
    if (i < 3 * d) {
      const m = Math.floor((i - d) / 2) + 1;
      if ((i - d) % 2 === 0)
        return {
          key: "models.ModelRegistered",
          topics: [word(m), addressWord(fakeAddress(0x200 + m)), word(m > 1 ? m - 1 : 0)],
        };
      return { key: "models.ModelVersionAdded", topics: [word(m), word(1)] };
    }
    const j = i - 3 * d;
    const cycle = Math.floor(j / 20);
    const slot = j % 20;
    const model = (cycle % d) + 1;
    const epoch = Math.floor(cycle / 50);
    if (slot < 10) {
      const k = cycle * 10 + slot;
      return {
        key: "datanets.ContributionSubmitted",
        topics: [word(datanetOf(k)), word(k + 1), addressWord(fakeAddress(0x10000 + (k % 5_000)))],
      };
    }
    if (slot < 15) {
      const k = cycle * 10 + (slot - 10) * 2;
      return {
        key: "datanets.ContributionAccepted",
        topics: [word(datanetOf(k)), word(k + 1), addressWord(fakeAddress(0x100 + (datanetOf(k) - 1)))],
      };
    }
    if (slot < 18)
      return {
        key: "distributor.Paid",
        topics: [
          word(model),
          word(epoch),
          addressWord(fakeAddress(0x30000 + ((cycle * 3 + slot) % 1_000) + seed * 0x1000)),
        ],
      };
    if (slot === 18)
      return {
        key: "datanets.VersionPublished",
        topics: [word(datanetOf(cycle)), word(cycle + 1), addressWord(fakeAddress(1))],
      };
    // The last slot walks through the rest of the suite's events, 12 cycles a round: attribution,
    // settlement (posted, activated or disputed and rejected), claims, the usage escrow, governance.
    const payer = addressWord(fakeAddress(0x30000 + (cycle % 7) + seed * 0x1000));
    const round = Math.floor(cycle / 12);
    switch (cycle % 12) {
      case 0:
        return { key: "attribution.AttributionCommitted", topics: [word(model), word(cycle)] };
      case 1:
        return { key: "distributor.Finalized", topics: [word(model), word(cycle - 1)] };
      case 2:
        return {
          key: "distributor.SettlementCommitted",
          topics: [word(round + 1), addressWord(fakeAddress(5))],
        };
      case 6:
        // The next id, posted, then disputed and rejected (the id is taken again next round).
        return {
          key: "distributor.SettlementCommitted",
          topics: [word(round + 2), addressWord(fakeAddress(5))],
        };
      case 3:
        return { key: "distributor.SettlementActivated", topics: [word(round + 1)] };
      case 4:
        return { key: "usageEscrow.Deposited", topics: [payer, payer] };
      case 5:
        return { key: "usageEscrow.VoucherRedeemed", topics: [payer, word(model), word(cycle + seed)] };
      case 7:
        return {
          key: "settlementDisputes.SettlementDisputed",
          topics: [word(11), addressWord(fakeAddress(5)), addressWord(fakeAddress(6 + seed))],
        };
      case 8:
        return {
          key: "distributor.SettlementRejected",
          topics: [word(11), addressWord(fakeAddress(5)), addressWord(fakeAddress(6 + seed))],
        };
      case 9:
        return round % 2 === 0
          ? { key: "usageEscrow.WithdrawalRequested", topics: [payer] }
          : { key: "usageEscrow.WithdrawalCancelled", topics: [payer] };
      case 10:
        return round % 3 === 0
          ? { key: "distributor.DisputeWindowChanged", topics: [] }
          : { key: "usageEscrow.Withdrawn", topics: [payer, payer] };
      default:
        return { key: "distributor.Claimed", topics: [addressWord(fakeAddress(0x10000 + (cycle % 5_000)))] };
    }
  }

  async logs(addresses: readonly string[], from: number, to: number): Promise<RawLog[]> {
    this.calls++;
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    const wanted = new Set(addresses.map((a) => a.toLowerCase()));
    const out: RawLog[] = [];
    const last = Math.min(to, this.visibleHead);
    for (let b = Math.max(1, from); b <= last; b++) {
      const seed = this.seedOf(b);
      const hash = this.hashOf(b);
      const first = (b - 1) * this.eventsPerBlock;
      const end = Math.min(this.total, first + this.eventsPerBlock);
      for (let i = first; i < end; i++) {
        const { key, topics } = this.eventAt(i, seed);
        const kind = this.kinds.get(key)!;
        const address = this.addresses[kind.contract]?.toLowerCase();
        if (address === undefined || !wanted.has(address)) continue;
        out.push({
          address,
          topics: [kind.topic, ...topics],
          data: kind.data,
          blockNumber: "0x" + b.toString(16),
          blockHash: hash,
          logIndex: "0x" + (i - first).toString(16),
          transactionHash: word((BigInt(b) << 40n) | (BigInt(i - first) << 8n) | BigInt(seed)),
        });
      }
    }
    return out;
  }
}

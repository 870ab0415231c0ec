/**
 * Where the data comes from: the indexer's read API (lists, views, proofs) and the chain itself
 * through read-only JSON-RPC (the distributor's books and balances, version roots), both named by
 * config.json (`npm run explorer` serves it; a static build carries it).
 */
import { Contract, JsonRpcProvider, Network, type ContractRunner } from "ethers";
import { useEffect, useState } from "preact/hooks";
import { IAttributionRegistry__factory } from "../../typechain-types/factories/interfaces/IAttributionRegistry__factory.js";
import { IDatanetRegistry__factory } from "../../typechain-types/factories/interfaces/IDatanetRegistry__factory.js";
import { IOpenToken__factory } from "../../typechain-types/factories/interfaces/IOpenToken__factory.js";
import { IOperatorStaking__factory } from "../../typechain-types/factories/interfaces/IOperatorStaking__factory.js";
import { IRewardDistributor__factory } from "../../typechain-types/factories/interfaces/IRewardDistributor__factory.js";
import { ISettlementDisputes__factory } from "../../typechain-types/factories/interfaces/ISettlementDisputes__factory.js";
import { ISettlementQueue__factory } from "../../typechain-types/factories/interfaces/ISettlementQueue__factory.js";

export interface Config {
  indexer: string;
  rpc: string;
}

/** What GET /status of the indexer answers. */
export interface Status {
  schemaVersion: number;
  chainId: string;
  addresses: {
    datanets: string;
    models: string;
    attribution: string;
    distributor: string;
    staking: string;
    token: string;
    /** Absent when the deployment's address book names no disputes contract / escrow. */
    settlementDisputes?: string;
    usageEscrow?: string;
  };
  cursor: { number: number; hash: string; timestamp?: number } | null;
  events: number;
}

let config: Config | undefined;
let status: Status | undefined;
let provider: JsonRpcProvider | undefined;

const absolute = (url: string) => new URL(url, window.location.href).href.replace(/\/$/, "");

/** Reads config.json and the indexer's status once. */
export async function boot(): Promise<{ config: Config; status: Status }> {
  const res = await fetch("/config.json", { cache: "no-store" });
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  const c = (await res.json()) as Config;
  config = { indexer: absolute(c.indexer), rpc: absolute(c.rpc) };
  status = await api<Status>("/status");
  return { config, status };
}

export const chainStatus = (): Status => status!;

/** An answer of the API that is not 200: its one-line error. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** GET `path` of the indexer's API (path starts with /). */
export async function api<T>(path: string): Promise<T> {
  if (!config) throw new Error("the explorer is not configured yet");
  let res: Response;
  try {
    res = await fetch(config.indexer + path, { cache: "no-store" });
  } catch (error) {
    throw new ApiError(0, `the indexer at ${config.indexer} did not answer (${(error as Error).message})`);
  }
  const body = (await res.json().catch(() => ({ error: `HTTP ${res.status}` }))) as T & { error?: string };
  if (!res.ok) throw new ApiError(res.status, body.error ?? `HTTP ${res.status}`);
  return body;
}

/** The chain, read-only. */
export function chain(): JsonRpcProvider {
  if (!provider) {
    const network = Network.from(BigInt(chainStatus().chainId));
    provider = new JsonRpcProvider(config!.rpc, network, { staticNetwork: network, batchMaxCount: 1 });
  }
  return provider;
}

export const distributorOn = (runner: ContractRunner = chain()) =>
  new Contract(chainStatus().addresses.distributor, IRewardDistributor__factory.abi, runner);
export const datanetsOn = (runner: ContractRunner = chain()) =>
  new Contract(chainStatus().addresses.datanets, IDatanetRegistry__factory.abi, runner);
export const attributionOn = (runner: ContractRunner = chain()) =>
  new Contract(chainStatus().addresses.attribution, IAttributionRegistry__factory.abi, runner);
export const tokenAt = (address: string, runner: ContractRunner = chain()) =>
  new Contract(address, IOpenToken__factory.abi, runner);
export const stakingOn = (runner: ContractRunner = chain()) =>
  new Contract(chainStatus().addresses.staking, IOperatorStaking__factory.abi, runner);
/** The distributor's settlement queue (pending root, activation). */
export const settlementQueueOn = (runner: ContractRunner = chain()) =>
  new Contract(chainStatus().addresses.distributor, ISettlementQueue__factory.abi, runner);
/** The settlement disputes contract, when the index knows it. */
export const disputesOn = (runner: ContractRunner = chain()) => {
  const address = chainStatus().addresses.settlementDisputes;
  if (!address)
    throw new Error(
      "this index names no settlement disputes contract: re-index with an address book that lists Suite#SettlementDisputes",
    );
  return new Contract(address, ISettlementDisputes__factory.abi, runner);
};
export const tokenOn = (runner: ContractRunner = chain()) => tokenAt(chainStatus().addresses.token, runner);

/** The chain's time now: the latest block's timestamp (what the contracts compare deadlines with). */
export async function chainTime(): Promise<number> {
  const block = await chain().getBlock("latest");
  return block ? block.timestamp : Math.floor(Date.now() / 1000);
}

/** Loads `load()` when `key` changes; `reload()` loads it again. */
export function useLoad<T>(key: string, load: () => Promise<T>) {
  const [state, setState] = useState<{ key: string; data?: T; error?: string }>({ key });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => (s.key === key ? s : { key }));
    load().then(
      (data) => live && setState({ key, data }),
      (error: unknown) => live && setState({ key, error: (error as Error).message }),
    );
    return () => {
      live = false;
    };
  }, [key, tick]);
  const current = state.key === key ? state : { key };
  return { ...current, reload: () => setTick((t) => t + 1) };
}

/** GET `path` of the API as a hook. */
export const useApi = <T>(path: string) => useLoad<T>(path, () => api<T>(path));

/** A page of a list (`?limit=&after=`). */
export interface Page<T> {
  items: T[];
  next: string | null;
}

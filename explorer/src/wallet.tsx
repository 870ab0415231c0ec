/**
 * Wallet actions through an injected EIP-1193 provider (`window.ethereum`): connect, detect and
 * name a wrong network, send a transaction; a revert is decoded against the suite's interfaces
 * and OpenZeppelin's errors and explained in words (src/errors.ts).
 */
import { BrowserProvider, type Eip1193Provider, type JsonRpcSigner } from "ethers";
import { useEffect, useState } from "preact/hooks";
import { decodeRevert, explainRevert } from "../../src/errors.js";
import { IAttributionRegistry__factory } from "../../typechain-types/factories/interfaces/IAttributionRegistry__factory.js";
import { IDatanetRegistry__factory } from "../../typechain-types/factories/interfaces/IDatanetRegistry__factory.js";
import { IModelRegistry__factory } from "../../typechain-types/factories/interfaces/IModelRegistry__factory.js";
import { IOpenToken__factory } from "../../typechain-types/factories/interfaces/IOpenToken__factory.js";
import { IOperatorStaking__factory } from "../../typechain-types/factories/interfaces/IOperatorStaking__factory.js";
import { IRewardDistributor__factory } from "../../typechain-types/factories/interfaces/IRewardDistributor__factory.js";
import { ISettlementDisputes__factory } from "../../typechain-types/factories/interfaces/ISettlementDisputes__factory.js";
import { ISettlementQueue__factory } from "../../typechain-types/factories/interfaces/ISettlementQueue__factory.js";
import { chainStatus } from "./api.js";

declare global {
  interface Window {
    ethereum?: Eip1193Provider & {
      on?: (event: string, listener: (...args: unknown[]) => void) => void;
    };
  }
}

const NETWORKS: Record<string, string> = {
  "1": "Ethereum mainnet",
  "10": "OP Mainnet",
  "56": "BNB Smart Chain",
  "137": "Polygon",
  "8453": "Base",
  "17000": "Holesky",
  "42161": "Arbitrum One",
  "84532": "Base Sepolia",
  "11155111": "Sepolia",
  "11155420": "OP Sepolia",
  "31337": "Hardhat local chain",
  "1337": "local chain 1337",
};

/** A chain id in words: `Sepolia (chain 11155111)`. */
export const networkName = (chainId: string | bigint) =>
  `${NETWORKS[String(chainId)] ?? "an unknown network"} (chain ${chainId})`;

interface WalletState {
  account?: string;
  chainId?: string;
  error?: string;
}

let state: WalletState = {};
const listeners = new Set<(s: WalletState) => void>();
const set = (next: WalletState) => {
  state = next;
  for (const l of listeners) l(state);
};

export function useWallet(): WalletState {
  const [s, setS] = useState(state);
  useEffect(() => {
    listeners.add(setS);
    return () => void listeners.delete(setS);
  }, []);
  return s;
}

const rpcOf = () => {
  if (!window.ethereum)
    throw new Error("no wallet in this browser: install an EIP-1193 wallet (e.g. a browser extension)");
  return window.ethereum;
};

let watching = false;

/** Asks the wallet for an account. */
export async function connect(): Promise<void> {
  try {
    const eth = rpcOf();
    const accounts = (await eth.request({ method: "eth_requestAccounts" })) as string[];
    const chainId = BigInt((await eth.request({ method: "eth_chainId" })) as string).toString();
    set({ account: accounts[0]?.toLowerCase(), chainId });
    if (!watching && eth.on) {
      watching = true;
      eth.on("accountsChanged", (a) => set({ ...state, account: (a as string[])[0]?.toLowerCase() }));
      eth.on("chainChanged", (c) => set({ ...state, chainId: BigInt(c as string).toString() }));
    }
  } catch (error) {
    set({ ...state, error: explainError(error) });
  }
}

/** The wallet's network when it is not the explorer's chain, in words; undefined when it is. */
export function wrongNetwork(s: WalletState): string | undefined {
  const want = chainStatus().chainId;
  if (s.chainId === undefined || s.chainId === want) return undefined;
  return `your wallet is on ${networkName(s.chainId)}; this explorer shows ${networkName(want)}: switch networks in your wallet`;
}

/** Asks the wallet to switch to the explorer's chain (EIP-3326). */
export async function switchNetwork(): Promise<void> {
  try {
    const chainId = `0x${BigInt(chainStatus().chainId).toString(16)}`;
    await rpcOf().request({ method: "wallet_switchEthereumChain", params: [{ chainId }] });
    set({
      ...state,
      chainId: BigInt((await rpcOf().request({ method: "eth_chainId" })) as string).toString(),
    });
  } catch (error) {
    set({ ...state, error: explainError(error) });
  }
}

/** A signer for the connected account on the explorer's chain. */
export async function signer(): Promise<JsonRpcSigner> {
  if (!state.account) await connect();
  if (!state.account) throw new Error(state.error ?? "connect a wallet first");
  const provider = new BrowserProvider(rpcOf());
  const chainId = (await provider.getNetwork()).chainId.toString();
  if (chainId !== state.chainId) set({ ...state, chainId });
  const wrong = wrongNetwork({ ...state, chainId });
  if (wrong) throw new Error(wrong);
  return provider.getSigner(state.account);
}

const ERROR_SOURCES = [
  IRewardDistributor__factory,
  ISettlementQueue__factory,
  ISettlementDisputes__factory,
  IAttributionRegistry__factory,
  IModelRegistry__factory,
  IDatanetRegistry__factory,
  IOperatorStaking__factory,
  IOpenToken__factory,
];

/** An error of a wallet action in words: the decoded custom error and what to do, when it reverted. */
export function explainError(error: unknown): string {
  const revert = decodeRevert(error, ...ERROR_SOURCES);
  if (revert) return `reverted: ${explainRevert(revert)}`;
  const e = error as { code?: unknown; shortMessage?: string; message?: string; error?: { code?: unknown } };
  if (e?.code === "ACTION_REJECTED" || e?.code === 4001 || e?.error?.code === 4001)
    return "you rejected the request in your wallet";
  return (e?.shortMessage ?? e?.message ?? String(error)).split("\n")[0];
}

/** Wallet status and the connect button, for the header. */
export function WalletBadge() {
  const s = useWallet();
  if (!s.account)
    return (
      <span class="wallet">
        <button type="button" onClick={() => void connect()}>
          Connect wallet
        </button>
        {s.error ? <span class="error"> {s.error}</span> : null}
      </span>
    );
  const wrong = wrongNetwork(s);
  return (
    <span class="wallet">
      <a class="mono" href={`/accounts/${s.account}`} data-testid="wallet-account">
        {s.account.slice(0, 8)}…{s.account.slice(-6)}
      </a>
      {wrong ? (
        <>
          <span class="error" data-testid="wrong-network">
            {" "}
            {wrong}
          </span>{" "}
          <button type="button" onClick={() => void switchNetwork()}>
            Switch
          </button>
        </>
      ) : null}
    </span>
  );
}

/** A step the page refuses before asking the wallet: what is wrong and what to do, in one line. */
export class PreflightError extends Error {}

export interface ActionResult {
  ok: boolean;
  text: string;
  tx?: string;
  /** A progress line (approving, waiting for the wallet), not the outcome. */
  pending?: boolean;
}

/**
 * One wallet action's state: `run(fn)` marks it busy, shows `fn`'s progress lines (`say`), and
 * ends with its result, a pre-flight refusal or the decoded revert in words.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ActionResult>();
  const run = async (fn: (say: (text: string) => void) => Promise<ActionResult>) => {
    setBusy(true);
    setResult(undefined);
    try {
      setResult(await fn((text) => setResult({ ok: true, text, pending: true })));
    } catch (error) {
      setResult({ ok: false, text: error instanceof PreflightError ? error.message : explainError(error) });
    } finally {
      setBusy(false);
    }
  };
  return { busy, result, run };
}

/** Approves `spender` for `amount` of OPEN when the allowance is short (one more wallet prompt). */
export async function ensureAllowance(
  token: {
    allowance(o: string, s: string): Promise<bigint>;
    approve(s: string, a: bigint): Promise<{ wait(): Promise<unknown> }>;
  },
  owner: string,
  spender: string,
  amount: bigint,
  say: (text: string) => void,
  what: string,
): Promise<void> {
  if ((await token.allowance(owner, spender)) >= amount) return;
  say(`approving ${what}…`);
  await (await token.approve(spender, amount)).wait();
}

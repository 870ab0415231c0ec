/**
 * The files of a settlement, written once by `rewards settle` and read by every claim: the tree
 * dump (`settlement-<id>.json`, OpenZeppelin's standard-v1 format, the URI committed on chain) and
 * one self-contained proof file per account (`settlement-<id>-proofs/<account>.json`). Both are
 * streamed from the tree, so a million accounts are written without the JSON text in memory.
 */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  SETTLEMENT_LEAF_ENCODING,
  SETTLEMENT_LEAF_TAG,
  processProof,
  settlementLeaf,
  writeDump,
  writeProofFiles,
  type Hex,
} from "../merkle/index.js";
import { SettlementInputError } from "./index.js";
import type { SettlementTree } from "./tree.js";

/** Where a settlement's files were written, and how much. */
export interface SettlementFiles {
  /** The tree dump (`settlement-<id>.json`). */
  dump: string;
  /** The directory of per-account proof files (`settlement-<id>-proofs/`). */
  proofs: string;
  /** Accounts (= proof files). */
  accounts: number;
  /** Bytes written, dump and proofs together. */
  bytes: number;
}

/**
 * One account's settlement proof, checked: with it anyone can send
 * `claim(account, cumulativeAmount, nextAccount, prefixBefore, proof)`.
 */
export interface SettlementProof {
  root: Hex;
  account: string;
  cumulativeAmount: bigint;
  nextAccount: string;
  prefixBefore: bigint;
  proof: Hex[];
}

/** The proof file name of an account in a settlement's proofs directory. */
export function proofFileName(account: string): string {
  return `${account.toLowerCase()}.json`;
}

/**
 * Writes the dump and every account's proof file of settlement `id` into `dir` (created if missing).
 * @returns The paths written and their size.
 */
export async function writeSettlementFiles(
  tree: SettlementTree,
  dir: string,
  id: bigint | number,
): Promise<SettlementFiles> {
  await mkdir(dir, { recursive: true });
  const dump = join(dir, `settlement-${id}.json`);
  const proofs = join(dir, `settlement-${id}-proofs`);
  await mkdir(proofs, { recursive: true });
  const written = await writeDump(tree, dump);
  const files = await writeProofFiles(tree, proofs, (value) => proofFileName(value[1]));
  return { dump, proofs, accounts: files.entries, bytes: written.bytes + files.bytes };
}

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/**
 * Reads a settlement proof file
 * (`{ root, leafEncoding, value: [tag, account, cumulativeAmount, nextAccount, prefixBefore], proof }`)
 * and checks that its proof folds to its root, so a damaged or foreign file fails here, not on chain.
 * @param json The parsed file.
 * @param where The file's name, for messages.
 * @throws SettlementInputError saying what is wrong with the file.
 */
export function parseSettlementProof(json: unknown, where: string): SettlementProof {
  const refuse = (why: string): never => {
    throw new SettlementInputError(
      `${where} is not a settlement proof file (${why}): pass a settlement-<id>-proofs/<account>.json written by rewards settle`,
    );
  };
  if (typeof json !== "object" || json === null) return refuse("not a JSON object");
  const o = json as Record<string, unknown>;
  if (JSON.stringify(o.leafEncoding) !== JSON.stringify(SETTLEMENT_LEAF_ENCODING))
    return refuse(`leafEncoding is not ${JSON.stringify(SETTLEMENT_LEAF_ENCODING)}`);
  if (typeof o.root !== "string" || !BYTES32.test(o.root)) return refuse("root is not 32-byte hex");
  const value = o.value;
  if (!Array.isArray(value) || value.length !== 5)
    return refuse("value is not [tag, account, cumulativeAmount, nextAccount, prefixBefore]");
  const [tag, account, amount, next, prefix] = value as unknown[];
  if (String(tag).toLowerCase() !== SETTLEMENT_LEAF_TAG) return refuse("bad tag");
  if (typeof account !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(account)) return refuse("bad account");
  if (typeof amount !== "string" || !/^\d+$/.test(amount)) return refuse("bad cumulativeAmount");
  if (typeof next !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(next)) return refuse("bad nextAccount");
  if (typeof prefix !== "string" || !/^\d+$/.test(prefix)) return refuse("bad prefixBefore");
  if (!Array.isArray(o.proof) || !o.proof.every((p) => typeof p === "string" && BYTES32.test(p)))
    return refuse("proof is not a list of 32-byte hex");
  const proof = o.proof as Hex[];
  const cumulativeAmount = BigInt(amount);
  const prefixBefore = BigInt(prefix);
  const leaf = settlementLeaf(account, cumulativeAmount, next, prefixBefore);
  if (processProof(Buffer.from(leaf.slice(2), "hex"), proof) !== o.root.toLowerCase())
    return refuse("its proof does not lead to its root");
  return {
    root: o.root.toLowerCase() as Hex,
    account: account.toLowerCase(),
    cumulativeAmount,
    nextAccount: next.toLowerCase(),
    prefixBefore,
    proof,
  };
}

/**
 * Reads and checks a settlement proof file (see {@link parseSettlementProof}).
 * @throws SettlementInputError when the file is missing, not JSON, or not a valid proof.
 */
export async function readSettlementProof(path: string): Promise<SettlementProof> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new SettlementInputError(`proof file ${path} does not exist or cannot be read: check the path`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SettlementInputError(
      `proof file ${path} is not valid JSON: pass the file rewards settle wrote`,
    );
  }
  return parseSettlementProof(json, path);
}

/**
 * An account's proof built from a settlement's tree dump (OpenZeppelin's standard-v1 format, as
 * `rewards settle` writes and publishes it), checked like a proof file.
 * @param dump The parsed dump.
 * @param account The account to prove.
 * @param where Where the dump came from, for messages.
 * @throws SettlementInputError when the dump is malformed or does not list the account.
 */
export function proofFromDump(dump: unknown, account: string, where: string): SettlementProof {
  const d = dump as { tree?: unknown; values?: unknown } | null;
  if (!Array.isArray(d?.tree) || !Array.isArray(d.values) || d.tree.length === 0)
    throw new SettlementInputError(`${where} is not a settlement dump (no tree and values)`);
  const tree = d.tree as string[];
  const want = account.toLowerCase();
  const entry = (d.values as { value?: unknown[]; treeIndex?: unknown }[]).find(
    (v) => Array.isArray(v.value) && String(v.value[1]).toLowerCase() === want,
  );
  if (entry === undefined)
    throw new SettlementInputError(
      `${account} is not in the settlement at ${where}: nothing to claim from it`,
    );
  const proof: string[] = [];
  // Standard-v1 trees are complete binary trees in an array: node i's sibling is i+1 when i is odd,
  // i-1 when even, and its parent (i-1)/2.
  for (let i = Number(entry.treeIndex); i > 0; i = Math.floor((i - 1) / 2)) {
    const sibling = tree[i % 2 === 1 ? i + 1 : i - 1];
    if (sibling !== undefined) proof.push(sibling);
  }
  return parseSettlementProof(
    { root: tree[0], leafEncoding: SETTLEMENT_LEAF_ENCODING, value: entry.value, proof },
    where,
  );
}

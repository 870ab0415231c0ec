/**
 * Reading user inputs from files for the command line and the scripts: contribution content
 * (one file, a directory, or a manifest), model registration JSON, signed submissions. Every
 * failure is an {@link InputError} whose message is one line saying what to fix.
 */
import { readFile, readdir, stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { isAddress, isHexString, keccak256, parseUnits } from "ethers";
import { parseLicence } from "../sdk/constants.js";
import type { ContributionInput, SignedContribution } from "../sdk/datanets.js";
import type { ModelInput } from "../sdk/models.js";

/** A malformed or missing input; the message says what was wrong and what to do. */
export class InputError extends Error {
  override name = "InputError";
}

/** Default `kind` of a contribution (1 = text). */
export const DEFAULT_KIND = 1;

/** Reads a file, or throws an {@link InputError} naming it. */
export async function readInputFile(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch {
    throw new InputError(`${what} ${path} does not exist or cannot be read: check the path`);
  }
}

/** Reads and parses a JSON file, or throws an {@link InputError} naming it. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  const text = (await readInputFile(path, what)).toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(`${what} ${path} is not valid JSON (${(error as Error).message}): fix the file`);
  }
}

/** The contribution input of one file: content hash = keccak256 of its bytes, size = its length. */
export async function contributionFromFile(
  path: string,
  options: { uri?: string; kind?: number } = {},
): Promise<ContributionInput> {
  const bytes = await readInputFile(path, "contribution file");
  if (bytes.length === 0) throw new InputError(`contribution file ${path} is empty: nothing to contribute`);
  return {
    contentHash: keccak256(bytes),
    uri: options.uri ?? `file://${basename(path)}`,
    size: bytes.length,
    kind: options.kind ?? DEFAULT_KIND,
  };
}

/** Every regular file of a directory (recursively, sorted by path) as contribution inputs. */
export async function contributionsFromDirectory(
  dir: string,
  options: { uriPrefix?: string; kind?: number } = {},
): Promise<ContributionInput[]> {
  let info;
  try {
    info = await stat(dir);
  } catch {
    throw new InputError(`directory ${dir} does not exist: check the path`);
  }
  if (!info.isDirectory()) throw new InputError(`${dir} is not a directory: use --file for one file`);
  const files: string[] = [];
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const full = join(at, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) files.push(full);
    }
  };
  await walk(dir);
  files.sort();
  if (files.length === 0) throw new InputError(`directory ${dir} has no file to contribute`);
  const prefix = options.uriPrefix ?? "file://";
  return Promise.all(
    files.map((f) =>
      contributionFromFile(f, { uri: prefix + relative(dir, f).split("\\").join("/"), kind: options.kind }),
    ),
  );
}

const HASH_RE = /^0x[0-9a-fA-F]{64}$/;

function uint(value: unknown, where: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0 || n > max) {
    throw new InputError(`${where} must be an integer in [0, ${max}], got ${JSON.stringify(value)}`);
  }
  return n;
}

function bigUint(value: unknown, where: string): bigint {
  if (
    (typeof value === "string" && /^\d+$/.test(value)) ||
    (typeof value === "number" && Number.isSafeInteger(value) && value >= 0)
  ) {
    return BigInt(value);
  }
  throw new InputError(`${where} must be a non-negative integer, got ${JSON.stringify(value)}`);
}

function hash(value: unknown, where: string): string {
  if (typeof value !== "string" || !HASH_RE.test(value)) {
    throw new InputError(`${where} must be a 32-byte hex string (0x + 64 hex), got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * A manifest of contributions: a JSON array whose items are either `{ "file": "path", "uri"?, "kind"? }`
 * (paths relative to the manifest) or `{ "contentHash", "size", "uri", "kind"? }`.
 */
export async function contributionsFromManifest(path: string): Promise<ContributionInput[]> {
  const raw = await readJsonFile(path, "manifest");
  const list = Array.isArray(raw)
    ? raw
    : typeof raw === "object" &&
        raw !== null &&
        Array.isArray((raw as { contributions?: unknown }).contributions)
      ? (raw as { contributions: unknown[] }).contributions
      : undefined;
  if (!list)
    throw new InputError(
      `manifest ${path} must be a JSON array of contributions (or { "contributions": [...] })`,
    );
  if (list.length === 0) throw new InputError(`manifest ${path} lists no contribution`);
  const base = dirname(resolve(path));
  return Promise.all(
    list.map(async (item: unknown, i: number): Promise<ContributionInput> => {
      const where = `${path}[${i}]`;
      if (typeof item !== "object" || item === null) throw new InputError(`${where} must be an object`);
      const e = item as Record<string, unknown>;
      const kind = e.kind === undefined ? DEFAULT_KIND : uint(e.kind, `${where}.kind`, 255);
      if (e.uri !== undefined && typeof e.uri !== "string")
        throw new InputError(`${where}.uri must be a string`);
      if (typeof e.file === "string") {
        return contributionFromFile(resolve(base, e.file), { uri: e.uri as string | undefined, kind });
      }
      if (typeof e.uri !== "string")
        throw new InputError(`${where} needs "file", or "contentHash", "size" and "uri"`);
      return {
        contentHash: hash(e.contentHash, `${where}.contentHash`),
        uri: e.uri,
        size: BigInt(uint(e.size, `${where}.size`)),
        kind,
      };
    }),
  );
}

/** JSON shape of a signed submission (`datanet contribute --sign-only` writes it, `--relay` reads it). */
export interface SignedContributionJson {
  datanetId: string;
  contributor: string;
  input: { contentHash: string; uri: string; size: string; kind: number };
  nonce: string;
  deadline: string;
  signature: string;
}

export function signedContributionToJson(s: SignedContribution): SignedContributionJson {
  return {
    datanetId: s.datanetId.toString(),
    contributor: s.contributor,
    input: { ...s.input, size: BigInt(s.input.size).toString() },
    nonce: s.nonce.toString(),
    deadline: s.deadline.toString(),
    signature: s.signature,
  };
}

export function signedContributionFromJson(raw: unknown, where: string): SignedContribution {
  if (typeof raw !== "object" || raw === null) throw new InputError(`${where} must be a JSON object`);
  const j = raw as Record<string, unknown>;
  const input = j.input as Record<string, unknown> | undefined;
  if (typeof input !== "object" || input === null) throw new InputError(`${where}.input is missing`);
  if (typeof j.contributor !== "string" || !isAddress(j.contributor))
    throw new InputError(`${where}.contributor must be an address`);
  if (typeof j.signature !== "string" || !isHexString(j.signature, 65))
    throw new InputError(`${where}.signature must be a 65-byte hex signature`);
  if (typeof input.uri !== "string") throw new InputError(`${where}.input.uri must be a string`);
  return {
    datanetId: bigUint(j.datanetId, `${where}.datanetId`),
    contributor: j.contributor,
    input: {
      contentHash: hash(input.contentHash, `${where}.input.contentHash`),
      uri: input.uri,
      size: bigUint(input.size, `${where}.input.size`),
      kind: uint(input.kind, `${where}.input.kind`, 255),
    },
    nonce: bigUint(j.nonce, `${where}.nonce`),
    deadline: bigUint(j.deadline, `${where}.deadline`),
    signature: j.signature,
  };
}

/** Parses OPEN amounts written as decimals ("2", "0.5"; 18 decimals). */
export function parseOpen(text: string, where: string): bigint {
  if (!/^\d+(\.\d{1,18})?$/.test(text.trim())) {
    throw new InputError(`${where} must be an amount of OPEN like 2 or 0.5, got ${JSON.stringify(text)}`);
  }
  return parseUnits(text.trim(), 18);
}

/** Parses training inputs written as `datanet:version:bps[,datanet:version:bps...]`. */
export function parseTrainingInputs(text: string, where = "--inputs"): ModelInput["trainingInputs"] {
  const parts = text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new InputError(`${where} is empty: give datanet:version:bps[,...]`);
  return parts.map((p) => {
    const m = /^(\d+):(\d+):(\d+)$/.exec(p);
    if (!m) throw new InputError(`${where}: "${p}" is not datanet:version:bps (e.g. 1:1:7000)`);
    return {
      datanetId: BigInt(m[1]),
      versionNumber: BigInt(m[2]),
      weightBps: uint(m[3], `${where} weight`, 10_000),
    };
  });
}

function trainingInputsFromJson(raw: unknown, where: string): ModelInput["trainingInputs"] {
  if (!Array.isArray(raw) || raw.length === 0) throw new InputError(`${where} must be a non-empty array`);
  return raw.map((t: unknown, i: number) => {
    if (typeof t !== "object" || t === null) throw new InputError(`${where}[${i}] must be an object`);
    const e = t as Record<string, unknown>;
    return {
      datanetId: bigUint(e.datanetId, `${where}[${i}].datanetId`),
      versionNumber: bigUint(e.versionNumber, `${where}[${i}].versionNumber`),
      weightBps: uint(e.weightBps, `${where}[${i}].weightBps`, 10_000),
    };
  });
}

/**
 * A model registration file:
 * ```json
 * { "metadataURI": "ipfs://...", "artifactHash": "0x..64 hex" | "artifactFile": "weights.bin",
 *   "baseModelId": "0", "declaredUses": "commercialInference" | 2,
 *   "price": "2.5" (OPEN) | "pricePerUnit": "2500000000000000000" (wei),
 *   "trainingInputs": [{ "datanetId": "1", "versionNumber": "1", "weightBps": 10000 }] }
 * ```
 */
export async function modelInputFromFile(path: string): Promise<ModelInput> {
  const raw = await readJsonFile(path, "model file");
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new InputError(`model file ${path} must be a JSON object`);
  const j = raw as Record<string, unknown>;
  if (typeof j.metadataURI !== "string" || j.metadataURI === "")
    throw new InputError(`${path}: "metadataURI" (a string) is required`);
  let artifactHash: string;
  if (typeof j.artifactFile === "string") {
    artifactHash = keccak256(await readInputFile(resolve(dirname(path), j.artifactFile), "artifact file"));
  } else artifactHash = hash(j.artifactHash, `${path}: artifactHash`);
  let declaredUses: number;
  try {
    declaredUses =
      typeof j.declaredUses === "number" ? j.declaredUses : parseLicence(String(j.declaredUses ?? ""));
  } catch (error) {
    throw new InputError(`${path}: declaredUses: ${(error as Error).message}`);
  }
  if (declaredUses === 0)
    throw new InputError(`${path}: "declaredUses" is required (e.g. "commercialInference")`);
  let pricePerUnit: bigint;
  if (j.pricePerUnit !== undefined) pricePerUnit = bigUint(j.pricePerUnit, `${path}: pricePerUnit`);
  else if (typeof j.price === "string" || typeof j.price === "number")
    pricePerUnit = parseOpen(String(j.price), `${path}: price`);
  else throw new InputError(`${path}: give "price" (OPEN, e.g. "2.5") or "pricePerUnit" (wei)`);
  return {
    metadataURI: j.metadataURI,
    artifactHash,
    baseModelId: j.baseModelId === undefined ? 0n : bigUint(j.baseModelId, `${path}: baseModelId`),
    declaredUses,
    pricePerUnit,
    trainingInputs: trainingInputsFromJson(j.trainingInputs, `${path}: trainingInputs`),
  };
}

/**
 * A contributed directory taken as it is for attribution: every file is matched to the
 * contributions of the manifest by its content hash (keccak256 of its bytes, as the registry's
 * `contentHash`), whatever its name. The matched files are linked under `<contentHash>.txt` in a
 * staging directory, the layout the engine reads (docs/attribution.md); files that match no
 * contribution are named, and contributions with no file make the run fail in one line.
 */
import { mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { createKeccak } from "hash-wasm";
import { contentFileName, type ManifestEntry } from "../attribution/corpus.js";
import { filesUnder, InputError } from "./inputs.js";

/** A contributed directory matched to a manifest. */
export interface MatchedCorpus {
  /** Directory of `<contentHash>.txt` links to the matched files: give it to the engine. */
  dir: string;
  /** Matched files (relative to the contributed directory) by content hash. */
  files: Map<string, string>;
  /** Files (relative to the contributed directory) whose hash is no contribution of the manifest. */
  unmatched: string[];
  /** Removes the staging directory (the contributed files are left alone). */
  remove: () => Promise<void>;
}

/**
 * Hashes every file under `dir` and links those the manifest names into a staging directory.
 * Throws an {@link InputError} naming the first contributions that have no file.
 */
export async function matchCorpusDirectory(
  dir: string,
  manifest: readonly ManifestEntry[],
): Promise<MatchedCorpus> {
  const wanted = new Set(manifest.map((e) => e.contentHash.toLowerCase()));
  const hasher = await createKeccak(256);
  const files = new Map<string, string>();
  const unmatched: string[] = [];
  for (const path of await filesUnder(dir)) {
    const hash =
      "0x" +
      hasher
        .init()
        .update(await readFile(path))
        .digest("hex");
    const name = relative(dir, path);
    if (wanted.has(hash)) {
      if (!files.has(hash)) files.set(hash, name);
    } else unmatched.push(name);
  }
  const missing = manifest.filter((e) => !files.has(e.contentHash.toLowerCase()));
  if (missing.length > 0) {
    const shown = missing
      .slice(0, 3)
      .map((e) => `${e.contributionId} (content ${e.contentHash})`)
      .join(", ");
    throw new InputError(
      `${missing.length} of ${manifest.length} contributions have no file in ${dir} whose keccak256 is their content hash: ${shown}${missing.length > 3 ? ", ..." : ""}; fetch them from their URIs (ledger show --datanet <id>)`,
    );
  }
  const staged = await mkdtemp(join(tmpdir(), "openledger-corpus-"));
  for (const [hash, name] of files) await symlink(resolve(dir, name), join(staged, contentFileName(hash)));
  return { dir: staged, files, unmatched, remove: () => rm(staged, { recursive: true, force: true }) };
}

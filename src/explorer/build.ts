/**
 * The explorer's production build (Vite, explorer/vite.config.ts), made on demand: `npm run
 * explorer` builds when explorer/dist is missing or older than the app's sources.
 */
import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";

/** The app's folder (explorer/ at the project root). */
export const EXPLORER_DIR = resolve(import.meta.dirname, "../../explorer");
/** Where `vite build` writes the app. */
export const EXPLORER_DIST = join(EXPLORER_DIR, "dist");

/** Newest modification time under `path` (a file or a folder, recursively). */
async function newest(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const entry of await readdir(path)) latest = Math.max(latest, await newest(join(path, entry)));
  return latest;
}

/** Sources the bundle is made of besides explorer/src: the shared SDK modules it imports. */
const SHARED = [
  "../src/errors.ts",
  "../src/sdk/constants.ts",
  "../src/sdk/read/ledger.ts",
  "index.html",
  "vite.config.ts",
];

/** Whether explorer/dist is missing or older than a source of the app. */
export async function buildIsStale(): Promise<boolean> {
  const built = await newest(join(EXPLORER_DIST, "index.html"));
  if (built === 0) return true;
  const sources = Math.max(
    await newest(join(EXPLORER_DIR, "src")),
    ...(await Promise.all(SHARED.map((p) => newest(resolve(EXPLORER_DIR, p))))),
  );
  return sources > built;
}

/** Builds the app into explorer/dist with Vite when it is stale; resolves with whether it built. */
export async function ensureExplorerBuilt(log: (line: string) => void = () => undefined): Promise<boolean> {
  if (!(await buildIsStale())) return false;
  log("explorer: building the app (vite build)");
  const { build } = await import("vite");
  await build({ configFile: join(EXPLORER_DIR, "vite.config.ts"), logLevel: "warn" });
  return true;
}

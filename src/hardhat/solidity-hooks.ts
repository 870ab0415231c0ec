/**
 * The `build` Solidity hook of `plugin.ts`: runs as many solc jobs at once as the machine has
 * cores. Hardhat's default is one fewer (one on a 2-core machine), and the WebAssembly solc this
 * project uses is single-threaded, so a build of isolated jobs (the default profile compiles each
 * file in its own job, see hardhat.config.ts) left a core idle. `SOLC_JOBS=<n>` overrides it; an
 * explicit `concurrency` passed by a caller wins.
 */
import { availableParallelism } from "node:os";
import type { SolidityHooks } from "hardhat/types/hooks";

/** The number of solc jobs to run at once: SOLC_JOBS when it is a positive integer, else the cores. */
export function solcJobs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SOLC_JOBS;
  if (raw !== undefined && raw !== "") {
    const n = Number(raw);
    if (Number.isInteger(n) && n > 0) return n;
    throw new Error(
      `SOLC_JOBS=${raw} is not a positive integer: unset it or give the number of solc jobs to run at once`,
    );
  }
  return Math.max(availableParallelism(), 1);
}

export default async (): Promise<Partial<SolidityHooks>> => ({
  build: async (context, rootFilePaths, options, next) =>
    next(context, rootFilePaths, { ...options, concurrency: options?.concurrency ?? solcJobs() }),
});

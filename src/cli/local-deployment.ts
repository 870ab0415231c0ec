/**
 * A dev node forgets everything when it restarts, but Ignition's journal of its deployment
 * (`deploy/deployments/chain-<chainId>/`) stays on disk: Ignition would then skip the deployment
 * and every task would talk to addresses with no code. On a local network this module finds such
 * a journal and moves it aside (to `<dir>.stale-<time>`), so the next deployment starts fresh.
 */
import { existsSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";

/** Chain ids of local dev nodes (hardhat node, anvil, ganache). */
export const LOCAL_CHAIN_IDS = new Set([31337n, 1337n]);

/**
 * Moves the deployment journal aside when its recorded contracts have no code on this chain.
 * @param deploymentsDir `deploy/deployments`.
 * @param deploymentId The Ignition deployment id (`chain-<chainId>` by default).
 * @param getCode Reads the code at an address on the node.
 * @returns What was done, in one line, or undefined when the journal is absent or current.
 */
export async function dropStaleDeployment(
  deploymentsDir: string,
  deploymentId: string,
  getCode: (address: string) => Promise<string>,
): Promise<string | undefined> {
  const dir = join(deploymentsDir, deploymentId);
  const book = join(dir, "deployed_addresses.json");
  if (!existsSync(book)) return undefined;
  const addresses = Object.values(JSON.parse(readFileSync(book, "utf8")) as Record<string, string>);
  if (addresses.length === 0) return undefined;
  for (const address of addresses) if ((await getCode(address)) !== "0x") return undefined;
  const aside = `${dir}.stale-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  renameSync(dir, aside);
  return `the recorded deployment ${deploymentId} is not on this chain (the node was restarted?): moved it to ${aside} and deploying afresh`;
}

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { readOnlySuiteAt, type ReadOnlyNetwork, type SuiteLocation } from "../../src/cli/read-only.js";

export { checkAddress, checkTxHash, type SuiteLocation } from "../../src/cli/read-only.js";
export { toJson } from "../../src/cli/task.js";

/** The task's network as the read-only commands take it: its name, its http url, Hardhat's connection. */
export async function networkOf(hre: HardhatRuntimeEnvironment): Promise<ReadOnlyNetwork> {
  const name = hre.globalOptions.network ?? "default";
  const config = hre.config.networks[name];
  return {
    name,
    url: config?.type === "http" ? await config.url.get() : undefined,
    connection: () => hre.network.getOrCreate(),
  };
}

/** {@link readOnlySuiteAt} on the task's network. */
export async function readOnlySuite(args: SuiteLocation, hre: HardhatRuntimeEnvironment) {
  return readOnlySuiteAt(args, await networkOf(hre));
}

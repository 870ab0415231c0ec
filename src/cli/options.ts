/**
 * Task options shared by every group. Loaded with hardhat.config.ts, so it imports nothing of
 * the SDK: the SDK needs typechain-types, which only exist after the first compile.
 */
import { ArgumentType } from "hardhat/types/arguments";
import type { NewTaskDefinitionBuilder, TaskArguments } from "hardhat/types/tasks";

/** Options every task takes. */
export interface SuiteArgs {
  addresses: string | undefined;
  deployment: string | undefined;
  from: string | undefined;
  json: boolean;
}

/** Adds `--addresses`, `--deployment`, `--from` and `--json` to a task. */
export function withSuiteOptions<A extends TaskArguments>(builder: NewTaskDefinitionBuilder<A>) {
  return builder
    .addOption({
      name: "addresses",
      description: "JSON address book of the suite (default: Ignition's deploy/deployments/<deployment>)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "deployment",
      description: "Ignition deployment id to read addresses from (default: chain-<chainId>)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "from",
      description: "Account to send from: an address or index of the network's accounts (default: the first)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addFlag({ name: "json", description: "Print one JSON object on stdout (for scripts)" });
}

/** A string option that may be omitted. */
export const optional = <N extends string>(name: N, description: string) => ({
  name,
  description,
  type: ArgumentType.STRING_WITHOUT_DEFAULT as const,
  defaultValue: undefined,
});

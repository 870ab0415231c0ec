/**
 * Task options shared by every group. Loaded with hardhat.config.ts, so it imports nothing of
 * the SDK: the SDK needs typechain-types, which only exist after the first compile.
 */
import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type {
  LazyActionObject,
  NewTaskActionFunction,
  NewTaskDefinitionBuilder,
  TaskArguments,
  TaskDefinition,
} from "hardhat/types/tasks";

/** Options every task takes. */
export interface SuiteArgs {
  addresses: string | undefined;
  deployment: string | undefined;
  from: string | undefined;
  json: boolean;
}

/** String options a task declares with {@link optional}: undefined when not given. */
export type Options<K extends string> = { [P in K]: string | undefined };

/** Adds `--addresses` and `--deployment`, which say where the suite's addresses are, to a task. */
export function withLocationOptions<A extends TaskArguments>(builder: NewTaskDefinitionBuilder<A>) {
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
    });
}

/** Adds `--addresses`, `--deployment`, `--from` and `--json` to a task. */
export function withSuiteOptions<A extends TaskArguments>(builder: NewTaskDefinitionBuilder<A>) {
  return withLocationOptions(builder)
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

/**
 * `--publish-dir` (where a committed table or dump is also copied, under its keccak256) and
 * `--publish-url` (its base URL: the URI committed is `<base>/<keccak256>`).
 */
export const PUBLISH_OPTIONS = {
  publishDir:
    "Also copy the file to <dir>/<keccak256> (a directory a server publishes, e.g. indexer --files <dir>); with --publish-url",
  publishUrl:
    "Base URL of --publish-dir: the URI committed is <base>/<keccak256>, checked by whoever fetches it",
} as const;

/**
 * An option of a task table: a string option that may be omitted (just its description), one
 * with a default ({@link withDefault}) or a flag ({@link flag}).
 */
export type OptionSpec = string | { readonly description: string; readonly defaultValue: string } | Flag;

/** A flag of a task table: `--name`, false unless given. */
export interface Flag {
  readonly flag: string;
}

/** A flag: `--name`, false unless given. */
export const flag = (description: string): Flag => ({ flag: description });

/** A string option with a default value. */
export const withDefault = (description: string, defaultValue: string): OptionSpec => ({
  description,
  defaultValue,
});

/** The action module of a task, loaded when the task runs (tasks/actions/<name>.ts). */
export type ActionModule = () => Promise<{
  default: (args: never, hre: HardhatRuntimeEnvironment) => unknown;
}>;

/** One task as data: its name, help text, options in --help order, and its action module. */
export interface TaskSpec {
  /** Under a group, the action's name (`datanet create`: "create"); alone, the task's name. */
  readonly name: string;
  readonly description: string;
  readonly options?: Readonly<Record<string, OptionSpec>>;
  /**
   * The shared options it takes: `suite` (the default: its own options, then `--addresses
   * --deployment --from --json`), `location` (`--addresses --deployment` first) or `none`.
   */
  readonly shared?: "suite" | "location" | "none";
  readonly action: ActionModule;
}

/** The Hardhat task of one {@link TaskSpec}, under `group` when given. */
export function defineTask(spec: TaskSpec, group?: string): TaskDefinition {
  const id = group === undefined ? spec.name : [group, spec.name];
  let builder: NewTaskDefinitionBuilder<TaskArguments> = task(id, spec.description);
  const shared = spec.shared ?? "suite";
  if (shared === "location") builder = withLocationOptions(builder);
  for (const [name, option] of Object.entries(spec.options ?? {})) {
    if (typeof option === "string") builder = builder.addOption(optional(name, option));
    else if ("flag" in option) builder = builder.addFlag({ name, description: option.flag });
    else builder = builder.addOption({ name, ...option, type: ArgumentType.STRING });
  }
  if (shared === "suite") builder = withSuiteOptions(builder);
  // Every action module takes the arguments this table declares; Hardhat checks them at run time.
  const action = spec.action as unknown as LazyActionObject<NewTaskActionFunction>;
  return builder.setAction(action).build();
}

/** One task of a {@link TaskGroupSpec}: its action module is found by its name ({@link ActionLoader}). */
export type GroupTaskSpec = Omit<TaskSpec, "action">;

/**
 * Loads the action module of a group's task by its name (tasks/index.ts loads
 * `tasks/actions/<group>-<name>.ts`).
 */
export type ActionLoader = (name: string) => ReturnType<ActionModule>;

/** A task group as data: its help text and its tasks, in `npx hardhat <group>` order. */
export interface TaskGroupSpec {
  readonly description: string;
  readonly tasks: readonly GroupTaskSpec[];
}

/**
 * A task group: `npx hardhat <group>` lists its actions, each defined by {@link defineTask}; a
 * task runs the action module `load(name)` gives.
 */
export function taskGroup(group: string, spec: TaskGroupSpec, load: ActionLoader): TaskDefinition[] {
  return [
    emptyTask(group, spec.description).build(),
    ...spec.tasks.map((task) => defineTask({ ...task, action: () => load(task.name) }, group)),
  ];
}

/**
 * `<kind> transfer` and `<kind> accept`: the two steps of handing a datanet or a model to another
 * account (their action modules are the group's `<kind>-transfer` and `<kind>-accept`).
 */
export function ownershipTasks(kind: "datanet" | "model"): GroupTaskSpec[] {
  const id = { [kind]: `${kind === "datanet" ? "Datanet" : "Model"} id (required)` };
  return [
    {
      name: "transfer",
      description: `Offer your ${kind} to another account (step 1 of 2: they run ${kind} accept; --to <yourself> withdraws an offer)`,
      options: { ...id, to: "The new owner's address (required)" },
    },
    {
      name: "accept",
      description: `Take a ${kind} offered to you (step 2 of 2 of an ownership transfer)`,
      options: id,
    },
  ];
}

/**
 * `--indexer`: read the suite's events from this indexer's API instead of every log since block 0
 * (default `$OPENLEDGER_INDEXER`; unset: from the logs). See `withIndexer`.
 */
export const INDEXER_OPTIONS = {
  indexer:
    "Read the suite's events from this indexer's API (default: $OPENLEDGER_INDEXER; unset: from the logs)",
} as const;

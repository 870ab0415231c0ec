/**
 * Submit contributions to a datanet from a JSON file (thin over the SDK, like `datanet contribute`).
 * Safe to re-run: see USAGE below (also printed by `npx tsx scripts/contribute.ts --help`).
 */
import { resolve } from "node:path";
import { AbiCoder, keccak256, type TransactionReceipt } from "ethers";
import hre from "hardhat";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { createProgress } from "../src/cli/progress.js";
import { contributionIdOf } from "../src/sdk/constants.js";
import { call, send } from "../src/sdk/send/index.js";
import { assertDatanetExists } from "../src/cli/checks.js";
import { parseId, parseUint } from "../src/cli/args.js";
import { contributionsFromManifest, InputError, readJsonFile } from "../src/cli/inputs.js";
import { Journal, journalOfOldChain } from "../src/cli/journal.js";
import type { Suite } from "../src/sdk/suite.js";
import { runIfMain, scriptArgs, scriptOptionsFromEnv, type ScriptOptions } from "../src/cli/script.js";
import { connect, runTask, toJson } from "../src/cli/task.js";

export const USAGE = `Submit contributions to a datanet from a JSON file.

Usage:
  CONTRIBUTIONS_FILE=contributions.json npx hardhat run scripts/contribute.ts --network <net>

Environment:
  CONTRIBUTIONS_FILE  required: { "datanetId": "1", "contributions": [ ... ] } where each item is
                      { "file": "path/relative/to/the/json", "uri"?: "ipfs://...", "kind"?: 1 }
                      or { "contentHash": "0x..", "size": 123, "uri": "ipfs://..", "kind"?: 1 }
  ADDRESSES_FILE      optional address book (default: Ignition's deploy/deployments/chain-<id>)
  DEPLOYMENT_ID       optional Ignition deployment id
  FROM                optional sender: address or account index (default: the first account)
  BATCH_SIZE          optional contributions per transaction (default 100)
  JOURNAL_FILE        optional journal path (default: <CONTRIBUTIONS_FILE>.journal.jsonl)

Re-running after a crash or a lost node is safe: every batch is journaled (sender, nonce, data)
before it is sent and again (tx hash) once it has a receipt. A re-run first looks up on chain any
batch that was sent but not confirmed (by sender and nonce) and waits for it, then asks the chain
which of the sender's contributions already exist (contribution id =
keccak256(abi.encode(datanetId, contributor, contentHash)): another contributor's submission of
the same content does not count) and submits only the others. Nothing is sent twice and nothing is lost.

Prints one JSON object on stdout: datanetId, contributor, contributionIds (every item, in file
order), submitted (sent by this run), alreadyOnChain (skipped), transactions (all runs').`;

export interface ContributeOptions extends ScriptOptions {
  file: string | undefined;
  batchSize?: string;
}

function submittedIds(suite: Suite, receipt: TransactionReceipt): string[] {
  const target = String(suite.datanets.target).toLowerCase();
  const ids: string[] = [];
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== target) continue;
    const parsed = suite.datanets.interface.parseLog(log);
    if (parsed?.name === "ContributionSubmitted") ids.push(parsed.args.contributionId as string);
  }
  return ids;
}

/** Reads the file, checks the datanet, submits what is not on chain yet in batches; returns the ids. */
export async function main(options: ContributeOptions, runtime: HardhatRuntimeEnvironment = hre) {
  const args = scriptArgs(options);
  return runTask(args, async () => {
    if (options.file === undefined)
      throw new InputError("set CONTRIBUTIONS_FILE to the JSON file of contributions");
    const raw = (await readJsonFile(options.file, "contributions file")) as { datanetId?: unknown };
    const datanetId = parseId(
      raw?.datanetId === undefined ? undefined : String(raw.datanetId),
      `${options.file}: datanetId`,
    );
    const inputs = await contributionsFromManifest(options.file);
    const batchSize = Number(parseUint(options.batchSize ?? "100", "BATCH_SIZE"));
    const journalPath = resolve(options.journal ?? `${options.file}.journal.jsonl`);
    const ctx = await connect(args, runtime);
    await assertDatanetExists(ctx.suite, datanetId);
    const journal = Journal.open(journalPath);
    try {
      // 1. A batch a previous run sent but did not see confirmed: wait for it or learn it is gone.
      for (const entry of journal.unconfirmed()) {
        const receipt = await journal.recover(ctx.provider, entry);
        if (receipt)
          journal.append({
            key: entry.key,
            status: "done",
            hash: receipt.hash,
            blockNumber: receipt.blockNumber,
            result: submittedIds(ctx.suite, receipt),
          });
      }
      // 2. The chain says which contributions exist already.
      const ids = inputs.map((c) => contributionIdOf(datanetId, ctx.from, c.contentHash));
      const onChain = new Set<string>();
      for (const id of ids) {
        const record = await ctx.suite.datanets.contribution(datanetId, id);
        if (Number(record.status) !== 0) onChain.add(id);
      }
      const todo = inputs.filter((_c, i) => !onChain.has(ids[i]));
      // 3. The rest, in batches, each journaled before it leaves.
      const bar = createProgress("contributions", todo.length, { quiet: todo.length === 0 });
      const submitted: string[] = [];
      for (let i = 0; i < todo.length; i += batchSize) {
        const batch = todo.slice(i, i + batchSize).map((c) => ({ ...c, size: BigInt(c.size) }));
        const key = `submitContributions:${datanetId}:${keccak256(
          AbiCoder.defaultAbiCoder().encode(
            ["bytes32[]"],
            [batch.map((c) => contributionIdOf(datanetId, ctx.from, c.contentHash))],
          ),
        )}`;
        const { value } = await journal.step(
          key,
          ctx.provider,
          (o) => send(ctx.suite, call(ctx.suite.datanets, "submitContributions", datanetId, batch), o),
          (receipt) => submittedIds(ctx.suite, receipt),
        );
        submitted.push(...value);
        bar.tick(batch.length);
      }
      bar.done();
      const result = {
        datanetId,
        contributor: ctx.from,
        contributionIds: ids,
        submitted,
        alreadyOnChain: ids.filter((id) => onChain.has(id)),
        transactions: journal.completedSteps().map((e) => e.hash),
        journal: journalPath,
      };
      console.log(toJson(result));
      return result;
    } catch (error) {
      throw journalOfOldChain(error, journalPath);
    }
  });
}

await runIfMain(import.meta.url, USAGE, main, () => ({
  file: process.env.CONTRIBUTIONS_FILE,
  batchSize: process.env.BATCH_SIZE,
  ...scriptOptionsFromEnv(),
}));

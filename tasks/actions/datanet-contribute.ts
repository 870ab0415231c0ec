import { writeFile } from "node:fs/promises";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import {
  relayContribution,
  signContribution,
  submitContribution,
  type ContributionInput,
} from "../../src/sdk/datanets.js";
import { assertDatanetExists } from "../../src/cli/checks.js";
import { readClock, when } from "../../src/sdk/clock.js";
import { CONTRIBUTION_STATUS, contributionIdOf, statusName } from "../../src/sdk/constants.js";
import { parseId, parseUint } from "../../src/cli/args.js";
import {
  contributionFromFile,
  contributionsFromDirectory,
  contributionsFromManifest,
  readJsonFile,
  signedContributionFromJson,
  signedContributionToJson,
} from "../../src/cli/inputs.js";
import { CliError, connect, connectTo, note, output, runTask, submitInBatches } from "../../src/cli/task.js";
import type { Options, SuiteArgs } from "../../src/cli/options.js";

type Args = SuiteArgs &
  Options<"datanet" | "file" | "dir" | "manifest" | "uri" | "uriPrefix" | "out" | "relay"> & {
    kind: string;
    batchSize: string;
    signOnly: boolean;
    deadline: string;
  };

export default async function datanetContribute(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const sources = [args.file, args.dir, args.manifest, args.relay].filter((s) => s !== undefined);
    if (sources.length !== 1) throw new CliError("give exactly one of --file, --dir, --manifest or --relay");

    if (args.relay !== undefined) {
      const signed = signedContributionFromJson(
        await readJsonFile(args.relay, "signed submission"),
        args.relay,
      );
      const ctx = await connect(args, hre);
      await assertDatanetExists(ctx.suite, signed.datanetId);
      const clock = await readClock(ctx.suite, ctx.provider);
      if (signed.deadline < clock.now)
        throw new CliError(
          `the signature in ${args.relay} expired ${when(signed.deadline, clock.now)}: ask the contributor to sign again (datanet contribute --sign-only)`,
        );
      if ((await ctx.suite.datanets.nonces(signed.contributor)) !== signed.nonce)
        throw new CliError(
          `${args.relay} was already relayed (or the contributor has signed a newer submission since): nothing to relay`,
        );
      const { contributionId, receipt } = await relayContribution(ctx.suite, signed);
      const result = {
        datanetId: signed.datanetId,
        contributor: signed.contributor,
        contributionId,
        relayer: ctx.from,
        tx: receipt.hash,
      };
      return output(args, result, [
        `relayed contribution ${contributionId} of ${signed.contributor} to datanet ${signed.datanetId}; tx ${receipt.hash}`,
      ]);
    }

    const datanetId = parseId(args.datanet, "--datanet");
    const kind = Number(parseUint(args.kind, "--kind", { allowZero: true }));
    if (kind > 255) throw new CliError(`--kind must be 0-255, got ${kind}`);
    const batchSize = Number(parseUint(args.batchSize, "--batch-size"));
    if (args.signOnly && args.file === undefined)
      throw new CliError("--sign-only signs one --file submission");
    if (args.signOnly && args.out === undefined)
      throw new CliError("--sign-only needs --out <file.json> to write the signature to");
    const deadlineSeconds = parseUint(args.deadline, "--deadline");

    let inputs: ContributionInput[];
    if (args.file !== undefined) inputs = [await contributionFromFile(args.file, { uri: args.uri, kind })];
    else if (args.dir !== undefined)
      inputs = await contributionsFromDirectory(args.dir, { uriPrefix: args.uriPrefix, kind });
    else inputs = await contributionsFromManifest(args.manifest!);

    const ctx = await connectTo(args, hre, { datanet: datanetId });

    // Content already in the datanet (or twice in this set) would revert the whole batch: skip
    // it and say which.
    const skipped: { uri: string; contributionId: string; reason: string }[] = [];
    if (args.file === undefined) {
      const seen = new Map<string, string>();
      const fresh: ContributionInput[] = [];
      for (const input of inputs) {
        const contributionId = contributionIdOf(datanetId, ctx.from, input.contentHash);
        const first = seen.get(contributionId);
        if (first !== undefined) {
          skipped.push({ uri: input.uri, contributionId, reason: `same content as ${first}` });
          continue;
        }
        seen.set(contributionId, input.uri);
        const status = (await ctx.suite.datanets.contribution(datanetId, contributionId)).status;
        if (status !== 0n)
          skipped.push({
            uri: input.uri,
            contributionId,
            reason: `already in datanet ${datanetId} (${statusName(CONTRIBUTION_STATUS, status)})`,
          });
        else fresh.push(input);
      }
      for (const s of skipped) note(args, `skipped ${s.uri}: ${s.reason} (contribution ${s.contributionId})`);
      if (fresh.length === 0)
        throw new CliError(
          `every one of the ${inputs.length} contributions is already in datanet ${datanetId}: nothing to submit`,
        );
      inputs = fresh;
    }

    if (args.signOnly) {
      const now = BigInt((await ctx.provider.getBlock("latest"))!.timestamp);
      const signed = await signContribution(
        ctx.suite,
        ctx.signer,
        datanetId,
        inputs[0],
        now + deadlineSeconds,
      );
      await writeFile(args.out!, JSON.stringify(signedContributionToJson(signed), null, 2) + "\n");
      const result = {
        datanetId,
        contributor: ctx.from,
        contentHash: inputs[0].contentHash,
        signed: args.out,
      };
      return output(args, result, [
        `signed submission of ${inputs[0].contentHash} written to ${args.out}; relay it with --relay ${args.out}`,
      ]);
    }

    if (args.file !== undefined) {
      const { contributionId, receipt } = await submitContribution(ctx.suite, datanetId, inputs[0]);
      const result = {
        datanetId,
        contributor: ctx.from,
        contributionIds: [contributionId],
        transactions: [receipt.hash],
      };
      return output(args, result, [
        `contribution ${contributionId} submitted to datanet ${datanetId}; tx ${receipt.hash}`,
      ]);
    }

    note(
      args,
      `submitting ${inputs.length} contributions to datanet ${datanetId} in batches of ${batchSize}`,
    );
    const submitted = await submitInBatches(ctx, datanetId, inputs, batchSize, args.json);
    const { contributionIds, transactions } = submitted;
    const contributions = inputs.map((input, i) => ({
      uri: input.uri,
      contentHash: input.contentHash,
      contributionId: contributionIds[i],
    }));
    const result = { ...submitted, contributions, skipped };
    return output(args, result, [
      ...contributions.map((c) => `${c.uri} -> ${c.contributionId}`),
      ...skipped.map((s) => `${s.uri} skipped: ${s.reason}`),
      `${contributionIds.length} contributions submitted to datanet ${datanetId} in ${transactions.length} transactions${skipped.length > 0 ? `; ${skipped.length} skipped` : ""}`,
    ]);
  });
}

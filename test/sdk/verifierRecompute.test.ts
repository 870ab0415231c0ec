import { expect } from "chai";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { keccak256, toBeHex, zeroPadValue } from "ethers";
import { network } from "hardhat";
import {
  attributeOutputsFile,
  buildSpanIndex,
  contentFileName,
  weightTableFromJson,
  weightTableToJson,
  type ManifestEntry,
  type WeightTable,
} from "../../src/attribution/index.js";
import * as sdk from "../../src/sdk/index.js";
import { readSuiteEvents } from "../../src/sdk/read/events.js";
import { trainingManifest } from "../../src/sdk/read/manifest.js";
import type { Suite } from "../../src/sdk/suite.js";
import { formatMismatch, verifyLedger, type Mismatch, type VerifyResult } from "../../src/verifier/index.js";

import { demoFixture } from "../helpers/demo.js";

const { ethers, networkHelpers } = await network.getOrCreate();

const verify = (suite: Suite, extra: Partial<Parameters<typeof verifyLedger>[0]> = {}) =>
  verifyLedger({ suite, provider: ethers.provider, workers: 1, ...extra });
const explain = (result: VerifyResult) => result.mismatches.map(formatMismatch).join("\n");
const ofKind = (result: VerifyResult, kind: Mismatch["kind"], epoch?: bigint) =>
  result.mismatches.filter((m) => m.kind === kind && (epoch === undefined || m.epoch === epoch.toString()));
const verdictOf = (result: VerifyResult, modelId: bigint, epoch: bigint) =>
  result.attribution.find((v) => v.modelId === modelId.toString() && v.epoch === epoch.toString());

async function freshEndedEpoch(suite: Suite): Promise<bigint> {
  await networkHelpers.time.increase(await suite.attribution.epochLength());
  return (await suite.attribution.currentEpoch()) - 1n;
}

/** Publishes `table` next to the demo's files and commits its root for its (model, epoch). */
async function publishAndCommit(suite: Suite, dir: string, table: WeightTable): Promise<void> {
  const file = join(dir, `table-${table.modelId}-${table.epoch}.json`);
  await writeFile(file, weightTableToJson(table));
  await sdk.commitAttribution(suite, table, pathToFileURL(file).href);
}

describe("verifier: attribution recomputed (docs/attribution.md)", function () {
  this.timeout(180_000);

  async function spanTable(report: Awaited<ReturnType<typeof demoFixture>>["report"]): Promise<WeightTable> {
    const target = report.attribution.find((a) => a.method === "span-match")!;
    return weightTableFromJson(await readFile(target.table, "utf8"));
  }

  describe("verifyLedger", function () {
    it("should recompute every demo table from the fetched texts and published outputs", async function () {
      const { suite } = await networkHelpers.loadFixture(demoFixture);
      const result = await verify(suite);
      expect(result.mismatches, explain(result)).to.deep.equal([]);
      // Two epochs of both methods, and the third epoch's span attribution of the voucher-paid outputs.
      expect(result.attribution.map((v) => v.status)).to.deep.equal(["OK", "OK", "OK", "OK", "OK"]);
      expect(result.attribution.map((v) => v.methodId).sort()).to.deep.equal([257, 257, 257, 513, 513]);
      expect(result.unverifiable).to.deep.equal([]);
      expect(result.ok).to.equal(true);
    });

    it("should refuse a table giving the whole pool to 1,000 made-up addresses with no contribution", async function () {
      const { suite, report } = await networkHelpers.loadFixture(demoFixture);
      const source = await spanTable(report);
      const epoch = await freshEndedEpoch(suite);
      const entries = Array.from({ length: 1000 }, (_, i) => ({
        contributor: ("0x" + keccak256(zeroPadValue(toBeHex(i + 1), 32)).slice(26)).toLowerCase(),
        contributions: [],
        weight: 10n ** 15n,
      })).sort((a, b) => (a.contributor < b.contributor ? -1 : 1));
      await publishAndCommit(suite, report.outputDir, { ...source, epoch, totalWeight: 10n ** 18n, entries });
      const result = await verify(suite);
      expect(result.ok).to.equal(false);
      const unbacked = ofKind(result, "attribution-unbacked", epoch);
      expect(unbacked).to.have.length(1000);
      expect(unbacked[0].message).to.include("names no contribution");
      // The table matches its root and its total: only the consent check and the recomputation see it.
      expect(ofKind(result, "attribution-root", epoch)).to.deep.equal([]);
      expect(ofKind(result, "attribution-recompute", epoch).length).to.be.greaterThan(0);
      expect(verdictOf(result, source.modelId, epoch)?.status).to.equal("MISMATCH");
    });

    it("should name both contributors when weight is shifted from one real contributor to another", async function () {
      const { suite, report } = await networkHelpers.loadFixture(demoFixture);
      const source = await spanTable(report);
      expect(source.entries.length).to.be.at.least(2);
      const [from, to] = source.entries;
      const delta = from.weight / 2n;
      const shift = (e: (typeof source.entries)[number], d: bigint) => ({
        ...e,
        weight: e.weight + d,
        breakdown: e.breakdown!.map((b, i) => (i === 0 ? { ...b, weight: b.weight + d } : b)),
      });
      const epoch = await freshEndedEpoch(suite);
      const shifted: WeightTable = {
        ...source,
        epoch,
        entries: source.entries.map((e, i) => (i === 0 ? shift(e, -delta) : i === 1 ? shift(e, delta) : e)),
      };
      await publishAndCommit(suite, report.outputDir, shifted);
      const result = await verify(suite);
      const diff = ofKind(result, "attribution-recompute", epoch);
      expect(
        diff.map((m) => [m.account, m.expected, m.actual]),
        explain(result),
      ).to.deep.equal([
        [from.contributor, from.weight.toString(), (from.weight - delta).toString()],
        [to.contributor, to.weight.toString(), (to.weight + delta).toString()],
      ]);
      expect(diff[0].message).to.include("first difference");
      // Nothing else is wrong with it: its root, total, consent and breakdown all hold.
      expect(
        result.mismatches.filter((m) => m.epoch === epoch.toString() && m.kind !== "attribution-recompute"),
      ).to.deep.equal([]);
      expect(verdictOf(result, source.modelId, epoch)?.status).to.equal("MISMATCH");
    });

    it("should catch a contribution withdrawn before the trained version that is credited anyway", async function () {
      const { suite, report } = await networkHelpers.loadFixture(demoFixture);
      const source = await spanTable(report);
      const events = await readSuiteEvents(suite, ethers.provider);
      const withdrawn = events.find((e) => e.name === "ContributionWithdrawn")!;
      const submitted = events.find(
        (e) => e.name === "ContributionSubmitted" && e.args.contributionId === withdrawn.args.contributionId,
      )!;
      const contributor = String(submitted.args.contributor).toLowerCase();
      const contentHash = String(submitted.args.contentHash).toLowerCase();
      // An operator with a stale manifest: the model's corpus plus the withdrawn contribution.
      const { manifest, versions } = await trainingManifest(suite, events, source.modelId);
      expect(manifest.map((m) => m.contributionId)).to.not.include(
        String(withdrawn.args.contributionId).toLowerCase(),
      );
      const stale: ManifestEntry[] = [
        ...manifest,
        {
          contributionId: String(withdrawn.args.contributionId).toLowerCase(),
          contentHash,
          contributor,
          datanetId: String(withdrawn.args.datanetId),
          size: 1,
          versionNumber: versions.find((v) => v.datanetId === String(withdrawn.args.datanetId))!
            .versionNumber,
        },
      ];
      const corpusDir = join(report.outputDir, "corpus");
      const text = await readFile(join(corpusDir, contentFileName(contentHash)), "utf8");
      const outputs = join(report.outputDir, "outputs-withdrawn.jsonl");
      await writeFile(outputs, JSON.stringify({ id: "w0", text: `quoting: ${text}` }) + "\n");
      const epoch = await freshEndedEpoch(suite);
      const { table } = await attributeOutputsFile(
        await buildSpanIndex(corpusDir, stale, { quiet: true }),
        outputs,
        {
          modelId: source.modelId,
          epoch,
          workers: 1,
          progress: { quiet: true },
          outputsUri: pathToFileURL(outputs).href,
          versions,
        },
      );
      expect(table.entries.map((e) => e.contributor)).to.include(contributor);
      await publishAndCommit(suite, report.outputDir, table);
      const result = await verify(suite);
      const consent = ofKind(result, "attribution-consent", epoch);
      expect(consent, explain(result)).to.have.length(1);
      expect(consent[0].account).to.equal(contributor);
      expect(consent[0].message).to.include("withdrawn");
      // The recomputation over the model's real corpus gives that contributor nothing.
      const diff = ofKind(result, "attribution-recompute", epoch).find((m) => m.account === contributor);
      expect(diff?.expected).to.equal("0");
    });

    it("should report a table whose outputs cannot be fetched, or hash otherwise, as UNVERIFIABLE, never OK", async function () {
      const { suite, report } = await networkHelpers.loadFixture(demoFixture);
      const source = await spanTable(report);
      const missing = await freshEndedEpoch(suite);
      await publishAndCommit(suite, report.outputDir, {
        ...source,
        epoch: missing,
        inputs: {
          ...source.inputs!,
          outputs: {
            ...source.inputs!.outputs!,
            uri: pathToFileURL(join(report.outputDir, "gone.jsonl")).href,
          },
        },
      });
      const other = await freshEndedEpoch(suite);
      await publishAndCommit(suite, report.outputDir, {
        ...source,
        epoch: other,
        inputs: {
          ...source.inputs!,
          outputs: { ...source.inputs!.outputs!, contentHash: keccak256("0x01") },
        },
      });
      const result = await verify(suite);
      expect(result.mismatches, explain(result)).to.deep.equal([]);
      expect(result.ok).to.equal(false);
      expect(result.unverifiable.map((v) => [v.epoch, v.status])).to.deep.equal([
        [missing.toString(), "UNVERIFIABLE"],
        [other.toString(), "UNVERIFIABLE"],
      ]);
      expect(result.unverifiable[0].detail).to.include("cannot be read");
      expect(result.unverifiable[1].detail).to.include("hashes to");
    });

    it("should report a table committed under a method id with no specification as UNVERIFIABLE", async function () {
      const { suite, report } = await networkHelpers.loadFixture(demoFixture);
      const source = await spanTable(report);
      const epoch = await freshEndedEpoch(suite);
      const table = { ...source, epoch, specVersion: 0 };
      await publishAndCommit(suite, report.outputDir, table);
      expect((await suite.attribution.commitment(source.modelId, epoch)).methodId).to.equal(1n);
      const result = await verify(suite);
      expect(verdictOf(result, source.modelId, epoch)).to.include({ status: "UNVERIFIABLE", methodId: 1 });
      expect(verdictOf(result, source.modelId, epoch)?.detail).to.include("before any specification");
      expect(result.ok).to.equal(false);
    });

    it("should give the same verdicts and checks on 1 and 2 worker threads", async function () {
      const { suite } = await networkHelpers.loadFixture(demoFixture);
      const one = await verify(suite, { workers: 1 });
      const two = await verify(suite, { workers: 2 });
      expect(two.attribution).to.deep.equal(one.attribution);
      expect(two.checks).to.equal(one.checks);
    });

    it("should give the same verdicts from an index store, built on the first run and reopened on the next", async function () {
      const { suite, report } = await networkHelpers.loadFixture(demoFixture);
      const plain = await verify(suite);
      const indexDir = join(report.outputDir, "index-store");
      const first = await verify(suite, { indexDir });
      expect((await readdir(indexDir)).filter((d) => d.startsWith("0x"))).to.have.length(1);
      // The second run reopens the stored index: the texts are not even fetched.
      const second = await verify(suite, {
        indexDir,
        fetchContent: async (uri) => {
          if (uri.endsWith(".txt")) throw new Error("texts should not be fetched");
          return readFile(fileURLToPath(uri));
        },
      });
      expect(first.attribution).to.deep.equal(plain.attribution);
      expect(second.attribution).to.deep.equal(plain.attribution);
    });
  });
});

import { expect } from "chai";
import { readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { keccak256, toUtf8Bytes, type Signer } from "ethers";
import hre, { network } from "hardhat";
import { weightTableFromJson, weightTableToJson, type WeightTable } from "../../src/attribution/index.js";
import type { DemoReport } from "../../src/demo/story.js";
import {
  accountView,
  formatAccountView,
  formatPaymentView,
  ledgerView,
  paymentView,
} from "../../src/provenance/index.js";
import * as sdk from "../../src/sdk/index.js";
import { readSuiteEvents } from "../../src/sdk/read/events.js";
import { buildLedger } from "../../src/sdk/read/ledger.js";
import { computeSettlement } from "../../src/settlement/index.js";
import { connectSuite, saveAddresses, type Suite } from "../../src/sdk/suite.js";
import {
  fetchText,
  formatMismatch,
  isLoopbackHost,
  UriRefusedError,
  verifyLedger,
  type Mismatch,
  type VerifyResult,
} from "../../src/verifier/index.js";

import { demoFixture } from "../helpers/demo.js";

const { ethers, networkHelpers } = await network.getOrCreate();

const verify = (suite: Suite, extra: Partial<Parameters<typeof verifyLedger>[0]> = {}) =>
  verifyLedger({ suite, provider: ethers.provider, ...extra });

const explain = (result: VerifyResult) => result.mismatches.map(formatMismatch).join("\n");
const ofKind = (result: VerifyResult, kind: Mismatch["kind"]) =>
  result.mismatches.filter((m) => m.kind === kind);

/** Moves past the current epoch and returns an ended epoch no commitment uses yet. */
async function freshEndedEpoch(suite: Suite): Promise<bigint> {
  await networkHelpers.time.increase(await suite.attribution.epochLength());
  return (await suite.attribution.currentEpoch()) - 1n;
}

/** Runs a task and returns what it printed, and the exit code it set. */
async function runTask(
  id: string[],
  args: Record<string, unknown>,
): Promise<{ out: string; exitCode: number }> {
  const lines: string[] = [];
  const log = console.log;
  const before = process.exitCode;
  process.exitCode = undefined;
  console.log = (...parts: unknown[]) => void lines.push(parts.map(String).join(" "));
  try {
    await hre.tasks.getTask(id).run(args);
    return { out: lines.join("\n"), exitCode: Number(process.exitCode ?? 0) };
  } finally {
    console.log = log;
    process.exitCode = before;
  }
}

/** A new pair after the demo: paid, committed with a correct table, final and finalised. */
async function finalizeNewPair(suite: Suite, report: DemoReport, payer: Signer): Promise<WeightTable> {
  const source = await tableOf(report.attribution[1].table);
  await sdk.pay(suite, payer, source.modelId, 10n);
  const epoch = await freshEndedEpoch(suite);
  const table: WeightTable = { ...source, epoch };
  const file = join(report.outputDir, `new-pair-${epoch}.json`);
  await writeFile(file, weightTableToJson(table));
  await sdk.commitAttribution(suite, table, file);
  await networkHelpers.time.increase((await suite.attribution.challengeWindow()) + 1n);
  await sdk.finalizePair(suite, table.modelId, epoch);
  return table;
}

async function tableOf(path: string): Promise<WeightTable> {
  return weightTableFromJson(await readFile(path, "utf8"));
}

describe("verifier", function () {
  this.timeout(120_000);

  describe("verifyLedger", function () {
    it("should find the demo's chain consistent, tables and settlement dumps included", async function () {
      const { suite, report } = await networkHelpers.loadFixture(demoFixture);
      const plain = await verify(suite);
      expect(plain.mismatches, explain(plain)).to.deep.equal([]);
      expect(plain.ok).to.equal(true);
      // 4 commitments, 2 versions, 4 pools, 2 settlements, claims and the books at least.
      expect(plain.checks).to.be.greaterThan(50);
      // The demo commits each settlement with the file:// URI of its published dump, so every
      // leaf is compared without being told where the dumps are.
      expect(plain.notes).to.deep.equal([]);
      const withDumps = await verify(suite, {
        settlementDumps: Object.fromEntries(report.settlements.map((s) => [s.id, s.file])),
      });
      expect(withDumps.mismatches, explain(withDumps)).to.deep.equal([]);
      expect(withDumps.checks).to.equal(plain.checks);
    });

    it("the demo report (npm run demo -- --json) should carry staking: { pools, rewardsClaimed, slashes } (issue 16)", async function () {
      const { report } = await networkHelpers.loadFixture(demoFixture);
      const json = JSON.parse(JSON.stringify(report)) as { staking: Record<string, unknown[]> };
      expect(Object.keys(json.staking)).to.include.members(["pools", "rewardsClaimed", "slashes"]);
      expect(json.staking.pools).to.have.length.greaterThan(0);
      expect(json.staking.rewardsClaimed).to.have.length.greaterThan(0);
      expect(json.staking.slashes).to.have.length(1);
    });

    it("the demo report should carry the epoch paid by vouchers, its VoucherRedeemed and balanced escrow books", async function () {
      const { report } = await networkHelpers.loadFixture(demoFixture);
      expect(report.usage.inferences).to.equal(3);
      expect(report.usage.redemptions).to.have.length(1);
      expect(report.usage.redemptions[0].amount).to.equal(report.usage.charged);
      expect(BigInt(report.usage.charged)).to.be.greaterThan(0n);
      expect(report.usage.books.balanced).to.equal(true);
      expect(report.usage.distributorHoldsEscrow).to.equal(true);
      const { suite } = await networkHelpers.loadFixture(demoFixture);
      expect((await verify(suite)).paidOutputTables).to.equal(1);
      const paid = report.attribution.find(
        (a) => a.epoch === report.usage.epoch && a.modelId === report.usage.modelId,
      );
      expect((await tableOf(paid!.table)).inputs?.receipts?.escrow).to.equal(report.usage.escrow);
    });

    it("should report an attributed output whose receipt is not in a redeemed usage root, and a foreign escrow", async function () {
      const { suite, report } = await networkHelpers.loadFixture(demoFixture);
      const target = report.attribution.find(
        (a) => a.epoch === report.usage.epoch && a.modelId === report.usage.modelId,
      )!;
      const original = await readFile(target.table, "utf8");
      const table = weightTableFromJson(original);
      const receipts = table.inputs!.receipts!;
      const proofsPath = new URL(receipts.uri).pathname;
      const proofsText = await readFile(proofsPath, "utf8");
      const proofs = JSON.parse(proofsText) as { receipt: { outputHash: string } }[];
      try {
        // The published proofs lose the first output's receipt: that output is no longer shown paid.
        const fewer = Buffer.from(JSON.stringify(proofs.slice(1)));
        await writeFile(proofsPath, fewer);
        const withFewer = {
          ...table,
          inputs: { ...table.inputs!, receipts: { ...receipts, contentHash: keccak256(fewer), count: 2 } },
        };
        await writeFile(target.table, weightTableToJson(withFewer));
        const result = await verify(suite);
        const unpaid = ofKind(result, "unpaid-output");
        expect(unpaid, explain(result)).to.have.length(1);
        expect(unpaid[0]).to.include({
          modelId: target.modelId,
          epoch: target.epoch,
          actual: "no-receipt-proof",
        });
        expect(unpaid[0].message).to.contain(proofs[0].receipt.outputHash.toLowerCase());
        // The receipts point at a contract the distributor does not credit usage from.
        const foreign = {
          ...table,
          inputs: { ...table.inputs!, receipts: { ...receipts, escrow: suite.addresses.token } },
        };
        await writeFile(target.table, weightTableToJson(foreign));
        const other = await verify(suite);
        expect(ofKind(other, "paid-outputs-escrow"), explain(other)).to.have.length(1);
        expect(other.ok).to.equal(false);
      } finally {
        await writeFile(proofsPath, proofsText);
        await writeFile(target.table, original);
      }
      expect((await verify(suite)).ok).to.equal(true);
    });

    it("should name the model, epoch and contributor of a changed weight in a published table", async function () {
      const { suite, report } = await networkHelpers.loadFixture(demoFixture);
      const target = report.attribution.find((a) => a.method === "span-match")!;
      const original = await readFile(target.table, "utf8");
      const table = weightTableFromJson(original);
      const victim = table.entries[0];
      try {
        const tampered = {
          ...table,
          entries: table.entries.map((e, i) => (i === 0 ? { ...e, weight: e.weight + 12345n } : e)),
        };
        await writeFile(target.table, weightTableToJson(tampered));
        const result = await verify(suite);
        expect(result.ok).to.equal(false);
        const changed = ofKind(result, "attribution-weight");
        expect(changed, explain(result)).to.have.length(1);
        expect(changed[0]).to.include({
          modelId: target.modelId,
          epoch: target.epoch,
          account: victim.contributor,
          expected: victim.weight.toString(),
          actual: (victim.weight + 12345n).toString(),
        });
        expect(ofKind(result, "attribution-root")[0]).to.include({
          modelId: target.modelId,
          epoch: target.epoch,
        });
        // The located weight repairs the table: the settlements are still recomputed and agree.
        expect(ofKind(result, "settlement-unverifiable")).to.deep.equal([]);
        expect(ofKind(result, "settlement-root")).to.deep.equal([]);
      } finally {
        await writeFile(target.table, original);
      }
    });

    it("should report a table whose contributors changed and the settlements it makes unverifiable", async function () {
      const { suite, report } = await networkHelpers.loadFixture(demoFixture);
      const target = report.attribution[0];
      const original = await readFile(target.table, "utf8");
      try {
        const table = weightTableFromJson(original);
        const stranger = "0x000000000000000000000000000000000000dead";
        table.entries[0] = { ...table.entries[0], contributor: stranger };
        await writeFile(target.table, weightTableToJson(table));
        const result = await verify(suite);
        expect(ofKind(result, "attribution-root")[0]).to.include({
          modelId: target.modelId,
          epoch: target.epoch,
        });
        expect(ofKind(result, "settlement-unverifiable").length).to.be.greaterThan(0);
        expect(ofKind(result, "settlement-unverifiable")[0].message).to.include(
          `model ${target.modelId} epoch ${target.epoch}`,
        );
      } finally {
        await writeFile(target.table, original);
      }
    });

    it("should report a committed root that differs from its (valid) table, naming the model and epoch", async function () {
      const { suite, report } = await networkHelpers.loadFixture(demoFixture);
      const source = await tableOf(report.attribution[0].table);
      const epoch = await freshEndedEpoch(suite);
      const table: WeightTable = { ...source, epoch };
      const file = join(report.outputDir, `wrong-root-${epoch}.json`);
      await writeFile(file, weightTableToJson(table));
      await sdk.send(
        suite,
        suite.attribution.commitAttribution(
          table.modelId,
          epoch,
          keccak256(toUtf8Bytes("not the table's root")),
          table.totalWeight,
          1,
          `file://${file}`,
        ),
      );
      const result = await verify(suite);
      expect(result.ok).to.equal(false);
      expect(result.mismatches, explain(result)).to.have.length(1);
      expect(result.mismatches[0]).to.include({
        kind: "attribution-root",
        modelId: table.modelId.toString(),
        epoch: epoch.toString(),
        actual: sdk.attributionTree(table).root.toLowerCase(),
      });
    });

    it("should report a table that belongs to another (model, epoch) or declares another total", async function () {
      const { suite, report } = await networkHelpers.loadFixture(demoFixture);
      const source = await tableOf(report.attribution[0].table);
      const epoch = await freshEndedEpoch(suite);
      // Committed under `epoch` with the source table's own (valid) root, but the file says otherwise.
      await sdk.send(
        suite,
        suite.attribution.commitAttribution(
          source.modelId,
          epoch,
          sdk.attributionTree(source).root,
          source.totalWeight + 1n,
          1,
          report.attribution[0].table,
        ),
      );
      const result = await verify(suite);
      const kinds = result.mismatches.map((m) => m.kind);
      expect(kinds, explain(result)).to.include.members(["table-pair", "total-weight", "weight-sum"]);
      expect(ofKind(result, "table-pair")[0]).to.include({
        epoch: epoch.toString(),
        actual: `${source.modelId}/${source.epoch}`,
      });
    });

    it("should report a settlement whose root and total disagree with the recomputation", async function () {
      const { suite, report, signers } = await networkHelpers.loadFixture(demoFixture);
      // A new pair: paid, committed correctly, final, finalised; then a settlement that declares
      // one wei more than the previous total instead of the recomputed one.
      await finalizeNewPair(suite, report, signers[9]);
      const latest = await suite.distributor.latestSettlement();
      await sdk.send(
        suite,
        suite.distributor.commitSettlement(
          keccak256(toUtf8Bytes("bogus settlement")),
          latest.total + 1n,
          await suite.distributor.finalizeSeq(),
          "bogus",
        ),
      );
      const result = await verify(suite);
      expect(result.ok).to.equal(false);
      const id = (latest.id + 1n).toString();
      expect(ofKind(result, "settlement-total")[0], explain(result)).to.include({
        settlementId: id,
        actual: (latest.total + 1n).toString(),
      });
      expect(ofKind(result, "settlement-root")[0]).to.include({ settlementId: id });
      expect([...new Set(result.mismatches.map((m) => m.kind))].sort()).to.deep.equal([
        "settlement-root",
        "settlement-total",
      ]);
    });

    it("should read the dump a settlement publishes at its URI (file:// and loopback http)", async function () {
      const { suite, report, signers } = await networkHelpers.loadFixture(demoFixture);
      const added = await finalizeNewPair(suite, report, signers[9]);
      const tables = [...(await Promise.all(report.attribution.map((a) => tableOf(a.table)))), added];
      const ledger = buildLedger(await readSuiteEvents(suite, ethers.provider));
      const tree = sdk.settlementTree(computeSettlement(sdk.finalizedPairs(ledger, tables)));
      const file = join(report.outputDir, "settlement-3.json");
      await writeFile(file, JSON.stringify(tree.dump()));
      const total = computeSettlement(sdk.finalizedPairs(ledger, tables)).total;
      await sdk.send(
        suite,
        suite.distributor.commitSettlement(
          tree.root,
          total,
          await suite.distributor.finalizeSeq(),
          `file://${file}`,
        ),
      );
      const result = await verify(suite);
      expect(result.mismatches, explain(result)).to.deep.equal([]);
      expect(result.notes.join("\n")).to.not.match(/settlement 3/);
      // The same dump, forged and served over http on 127.0.0.1, is compared account by account.
      const forged = tree.dump();
      // values[0] is the sentinel (account 0); values[1] is a real account's leaf.
      const [tag, account, , next, prefix] = forged.values[1].value;
      forged.values[1].value = [tag, account, "1", next, prefix];
      const server = createServer((_req, res) => void res.end(JSON.stringify(forged)));
      await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
      try {
        const { port } = server.address() as AddressInfo;
        const viaHttp = await verify(suite, { settlementDumps: { "3": `http://localhost:${port}/s3.json` } });
        expect(
          viaHttp.mismatches.map((m) => m.kind),
          explain(viaHttp),
        ).to.deep.equal(["settlement-account"]);
        expect(viaHttp.mismatches[0]).to.include({ settlementId: "3", actual: "1" });
      } finally {
        await new Promise<void>((done) => server.close(() => done()));
      }
    });

    it("should compare a published settlement dump account by account", async function () {
      const { suite, report } = await networkHelpers.loadFixture(demoFixture);
      const last = report.settlements.at(-1)!;
      const dump = JSON.parse(await readFile(last.file, "utf8")) as {
        values: { value: [string, string, string, string, string] }[];
      };
      // values[0] is the sentinel; values[1] a real account's leaf.
      const [tag, account, amount, next, prefix] = dump.values[1].value;
      dump.values[1].value = [tag, account, (BigInt(amount) + 1n).toString(), next, prefix];
      const forged = join(report.outputDir, "forged-settlement.json");
      await writeFile(forged, JSON.stringify(dump));
      const result = await verify(suite, { settlementDumps: { [last.id]: forged } });
      expect(result.mismatches, explain(result)).to.have.length(1);
      expect(result.mismatches[0]).to.include({
        kind: "settlement-account",
        settlementId: last.id,
        account: account.toLowerCase(),
        expected: amount,
        actual: (BigInt(amount) + 1n).toString(),
      });
    });

    it("should report a datanet version whose root is not that of its accepted contributions", async function () {
      const { suite, report, signers } = await networkHelpers.loadFixture(demoFixture);
      const alice = connectSuite(suite.addresses, signers[1]);
      const d1 = BigInt(report.datanets[0].datanetId);
      await sdk.send(
        alice,
        alice.datanets.publishVersion(d1, keccak256(toUtf8Bytes("wrong version root")), 3n, 1n, "ipfs://v2"),
      );
      const result = await verify(suite);
      expect(result.mismatches, explain(result)).to.have.length(1);
      expect(result.mismatches[0]).to.include({
        kind: "version-root",
        datanetId: d1.toString(),
        versionNumber: "2",
      });
    });

    it("should count the royalty's rounding remainder in the pool, as the distributor and its Paid event do", async function () {
      const { suite, report, signers } = await networkHelpers.loadFixture(demoFixture);
      const m2 = report.models.find((m) => m.baseModelId !== "0")!;
      const dev = connectSuite(suite.addresses, signers[7]);
      // Lineage m3 -> m2 -> m1: the royalty is split between two ancestors.
      const { modelId: m3 } = await sdk.registerModel(dev, {
        metadataURI: "ipfs://model/grandchild",
        artifactHash: keccak256(toUtf8Bytes("grandchild")),
        baseModelId: BigInt(m2.modelId),
        declaredUses: sdk.parseLicence("commercialInference"),
        pricePerUnit: 21n,
        trainingInputs: m2.trainingInputs.map((x) => ({
          datanetId: BigInt(x.datanetId),
          versionNumber: BigInt(x.versionNumber),
          weightBps: x.weightBps,
        })),
      });
      const pendingBefore = (await suite.distributor.books()).poolsPending;
      const paid = await sdk.pay(suite, signers[9], m3, 20n); // 420 wei: royalty 21 = 2 x 10 + 1
      const pendingAfter = (await suite.distributor.books()).poolsPending;
      // The ancestors receive 2 x 10; the remainder of 1 goes to the pool, and the Paid event
      // reports only what the ancestors received, so its arithmetic gives the pool exactly.
      expect(paid.shares.royalty).to.equal(20n);
      expect(pendingAfter - pendingBefore).to.equal(paid.shares.contributors);
      const result = await verify(suite);
      expect(result.mismatches, explain(result)).to.deep.equal([]);
    });

    it("should read a table served over http on 127.0.0.1", async function () {
      const { suite, report } = await networkHelpers.loadFixture(demoFixture);
      const source = await tableOf(report.attribution[1].table);
      const epoch = await freshEndedEpoch(suite);
      const table: WeightTable = { ...source, epoch };
      const body = weightTableToJson(table);
      const requests: string[] = [];
      const server = createServer((req, res) => {
        requests.push(req.url ?? "");
        res.writeHead(200, { "content-type": "application/json" }).end(body);
      });
      await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
      try {
        const { port } = server.address() as AddressInfo;
        await sdk.commitAttribution(
          suite,
          table,
          `http://127.0.0.1:${port}/tables/m${table.modelId}-e${epoch}.json`,
        );
        const result = await verify(suite);
        expect(result.mismatches, explain(result)).to.deep.equal([]);
        expect(requests).to.include(`/tables/m${table.modelId}-e${epoch}.json`);
      } finally {
        await new Promise<void>((done) => server.close(() => done()));
      }
    });

    it("should refuse a table on a non-loopback host with a clear message, without connecting", async function () {
      const { suite, report } = await networkHelpers.loadFixture(demoFixture);
      const source = await tableOf(report.attribution[1].table);
      const epoch = await freshEndedEpoch(suite);
      await sdk.commitAttribution(suite, { ...source, epoch }, "http://tables.example.com/m2.json");
      const asked: string[] = [];
      const result = await verify(suite, {
        fetchTable: (uri) => {
          asked.push(uri);
          return fetchText(uri);
        },
      });
      expect(asked.length).to.be.greaterThan(0);
      expect(
        asked.filter((u) => u.includes("example.com")),
        "a custom fetcher must not see it",
      ).to.deep.equal([]);
      const refused = ofKind(result, "table-unavailable");
      expect(refused, explain(result)).to.have.length(1);
      expect(refused[0]).to.include({ modelId: source.modelId.toString(), epoch: epoch.toString() });
      expect(refused[0].message).to.match(/host "tables\.example\.com" is not a loopback address/);
    });
  });

  describe("fetchText", function () {
    it("should refuse plain http to public and disguised hosts, private hosts and other schemes", async function () {
      for (const uri of [
        "http://93.184.216.34/table.json",
        "https://10.1.2.3/table.json",
        "http://169.254.169.254/latest/meta-data",
        "http://127.0.0.1@example.org/table.json",
        "http://127.0.0.1.example.org/table.json",
        "ipfs://bafy/table.json",
      ]) {
        let error: unknown;
        try {
          await fetchText(uri);
        } catch (e) {
          error = e;
        }
        expect(error, uri).to.be.instanceOf(UriRefusedError);
      }
    });

    it("should know the loopback hosts", function () {
      for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "[::1]", "::1"])
        expect(isLoopbackHost(host), host).to.equal(true);
      for (const host of ["10.0.0.1", "0.0.0.0", "example.com", "127.0.0.1.nip.io", "::2"])
        expect(isLoopbackHost(host), host).to.equal(false);
    });
  });

  describe("provenance", function () {
    it("should tell what a contributor earned, from which models, and what it claimed", async function () {
      const { suite, report } = await networkHelpers.loadFixture(demoFixture);
      const earner = report.earnings.find(
        (e) => BigInt(e.claimed) > 0n && Object.keys(e.byModel).length > 1,
      )!;
      const view = await accountView(suite, ethers.provider, earner.account);
      expect(view.account).to.equal(earner.account);
      expect(view.contributions.length).to.equal(earner.contributions);
      expect(view.claimed.total).to.equal(earner.claimed);
      // Entitlements from the finalised pools and their tables, by model.
      for (const [modelId, amount] of Object.entries(earner.byModel)) {
        expect(view.byModel.find((m) => m.modelId === modelId)?.earned, `model ${modelId}`).to.equal(amount);
      }
      expect(BigInt(view.entitled)).to.equal(BigInt(view.claimed.total) + BigInt(view.unclaimed));
      const text = formatAccountView(view);
      expect(text).to.include(earner.account);
      for (const modelId of Object.keys(earner.byModel))
        expect(text).to.match(new RegExp(`model ${modelId}\\b`));
      // Each finalised pair's weight: digits grouped, with its share of the total in percent.
      const pair = view.byModel.flatMap((m) => m.pairs)[0]!;
      const basisPoints = (BigInt(pair.weight) * 10_000n) / BigInt(pair.totalWeight);
      const percent = `${basisPoints / 100n}.${String(basisPoints % 100n).padStart(2, "0")}`;
      expect(text).to.include(
        `weight ${BigInt(pair.weight).toLocaleString("en-US")}/${BigInt(pair.totalWeight).toLocaleString("en-US")} (${percent}%)`,
      );
      // Every share with exactly two decimals (36.50%, not 36.5%).
      for (const m of text.matchAll(/ \(([\d.]+)%\) /g)) expect(m[1]).to.match(/^\d+\.\d\d$/);
    });

    it("should tell where a payment went", async function () {
      const { suite, report } = await networkHelpers.loadFixture(demoFixture);
      const p = report.payments[0];
      const view = await paymentView(suite, ethers.provider, p.tx);
      expect(view.amount).to.equal(p.amount);
      expect(view.protocol).to.equal(p.protocol);
      const toContributors = view.contributors.reduce((s, c) => s + BigInt(c.amount), 0n);
      expect(toContributors <= BigInt(view.pool)).to.equal(true);
      expect(formatPaymentView(view)).to.include(p.tx);
      expect(view.vouchers).to.deep.equal([]);
      // The payment redeemed from vouchers names the app's payer and the usage root it carried.
      const byVoucher = report.payments.find(
        (x) => x.payer.toLowerCase() === report.usage.escrow.toLowerCase(),
      )!;
      const usage = await paymentView(suite, ethers.provider, byVoucher.tx);
      expect(usage.vouchers).to.deep.equal([
        {
          payer: report.usage.payer,
          usageRoot: report.usage.redemptions[0].usageRoot,
          units: report.usage.units,
          amount: report.usage.charged,
        },
      ]);
      expect(formatPaymentView(usage)).to.include("VoucherRedeemed");
      const whole = await ledgerView(suite, ethers.provider);
      expect(whole.payments).to.have.length(report.payments.length);
      expect(whole.models.map((m) => m.lineage)).to.deep.equal(report.models.map((m) => m.lineage));
    });
  });

  describe("ledger tasks", function () {
    it("should show a contributor's earnings by model through `ledger show --account`", async function () {
      const { addresses, report } = await networkHelpers.loadFixture(demoFixture);
      const book = join(report.outputDir, "addresses.json");
      await saveAddresses(book, addresses);
      const earner = report.earnings.find((e) => Object.keys(e.byModel).length > 1)!;
      const text = await runTask(["ledger", "show"], { account: earner.account, addresses: book });
      expect(text.out).to.include(`Account ${earner.account}`);
      for (const modelId of Object.keys(earner.byModel))
        expect(text.out).to.match(new RegExp(`model ${modelId}\\b`));
      const json = await runTask(["ledger", "show"], {
        account: earner.account,
        addresses: book,
        json: true,
      });
      const view = JSON.parse(json.out) as {
        byModel: { modelId: string; earned: string }[];
        claimed: { total: string };
      };
      expect(Object.fromEntries(view.byModel.map((m) => [m.modelId, m.earned]))).to.deep.equal(
        earner.byModel,
      );
      expect(view.claimed.total).to.equal(earner.claimed);
    });

    it("should refuse a malformed --account before reading the chain, in one line", async function () {
      const errors: string[] = [];
      const error = console.error;
      console.error = (...parts: unknown[]) => void errors.push(parts.map(String).join(" "));
      let ran: { exitCode: number };
      try {
        ran = await runTask(["ledger", "show"], { account: "0x1234", addresses: "/nonexistent.json" });
      } finally {
        console.error = error;
      }
      expect(ran.exitCode).to.equal(1);
      expect(errors).to.deep.equal([
        'Error: --account "0x1234" is not an address (0x followed by 40 hex digits)',
      ]);
    });

    it("should take --account as an index of the network's accounts, like --from", async function () {
      const { addresses, report } = await networkHelpers.loadFixture(demoFixture);
      const book = join(report.outputDir, "addresses.json");
      await saveAddresses(book, addresses);
      const third = await (await ethers.getSigners())[2].getAddress();
      const json = await runTask(["ledger", "show"], { account: "2", addresses: book, json: true });
      expect((JSON.parse(json.out) as { account: string }).account.toLowerCase()).to.equal(
        third.toLowerCase(),
      );
    });

    it("should print each mismatch on one line and set exit code 1 through `ledger verify`", async function () {
      const { addresses, report, suite } = await networkHelpers.loadFixture(demoFixture);
      const book = join(report.outputDir, "addresses.json");
      await saveAddresses(book, addresses);
      const clean = await runTask(["ledger", "verify"], { addresses: book });
      expect(clean.exitCode, clean.out).to.equal(0);
      expect(clean.out).to.match(/^OK: \d+ checks/m);
      const epoch = await freshEndedEpoch(suite);
      const source = await tableOf(report.attribution[0].table);
      const file = join(report.outputDir, `task-wrong-root-${epoch}.json`);
      await writeFile(file, weightTableToJson({ ...source, epoch }));
      await sdk.send(
        suite,
        suite.attribution.commitAttribution(
          source.modelId,
          epoch,
          keccak256(toUtf8Bytes("x")),
          source.totalWeight,
          1,
          file,
        ),
      );
      const bad = await runTask(["ledger", "verify"], { addresses: book });
      expect(bad.exitCode).to.equal(1);
      expect(bad.out).to.match(
        new RegExp(`^MISMATCH attribution-root \\[model=${source.modelId} epoch=${epoch}\\]`, "m"),
      );
      // Committed under method id 1 (no specification): its weights cannot be recomputed.
      expect(bad.out).to.match(
        new RegExp(
          `^UNVERIFIABLE \\[model=${source.modelId} epoch=${epoch} method=1\\]: .*before any specification`,
          "m",
        ),
      );
      const json = await runTask(["ledger", "verify"], { addresses: book, json: true });
      expect((JSON.parse(json.out) as VerifyResult).mismatches).to.have.length(1);
    });
  });
});

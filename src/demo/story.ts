/**
 * The whole story on one chain: deploy, two datanets with contributions (one relayed from a
 * signature, one rejected, one withdrawn), published versions, a model and a derivative trained
 * on them, inference payments over two epochs, attribution computed from real text and
 * committed, finalisation, settlement, claims on both paths, withdrawals; then the books.
 * Runs on any network whose accounts are unlocked and whose clock can be moved
 * (`evm_increaseTime`: Hardhat's in-process chain, `hardhat node`, anvil).
 */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Provider, Signer } from "ethers";
import { formatEther, keccak256, parseEther, toUtf8Bytes } from "ethers";
import {
  attributeOutputsFile,
  buildSpanIndex,
  datanetWeightTable,
  type ManifestEntry,
  type WeightTable,
  writeWeightTable,
} from "../attribution/index.js";
import * as sdk from "../sdk/index.js";
import { proofFileName, readSettlementProof, writeSettlementFiles } from "../settlement/files.js";
import { readSuiteEvents } from "../sdk/read/events.js";
import { buildLedger, lineageOf, owedFromBooks, tracePayment } from "../sdk/read/ledger.js";
import { connectSuite, withRunner, type Suite, type SuiteAddresses } from "../sdk/suite.js";
import { formatMismatch, verifyLedger } from "../verifier/index.js";

/** What the demo needs of the network connection. */
export interface DemoConnection {
  networkName: string;
  provider: Provider & { send(method: string, params: unknown[]): Promise<unknown> };
  signers: Signer[];
  addresses: SuiteAddresses;
  log?: (line: string) => void;
}

/** The report `--json` prints. */
export interface DemoReport {
  network: string;
  chainId: string;
  contracts: Record<string, string>;
  outputDir: string;
  datanets: {
    datanetId: string;
    owner: string;
    licence: number;
    contributions: { contributionId: string; contributor: string; status: string; uri: string }[];
    versions: { versionNumber: string; root: string; contributionCount: string }[];
  }[];
  models: {
    modelId: string;
    owner: string;
    baseModelId: string;
    lineage: string[];
    pricePerUnit: string;
    trainingInputs: { datanetId: string; versionNumber: string; weightBps: number }[];
  }[];
  payments: {
    tx: string;
    modelId: string;
    epoch: string;
    payer: string;
    amount: string;
    /** Treasury and staker reserve together. */
    protocol: string;
    owner: string;
    royalty: string;
    contributors: string;
    pool: string;
  }[];
  attribution: {
    modelId: string;
    epoch: string;
    method: string;
    root: string;
    totalWeight: string;
    table: string;
  }[];
  settlements: { id: string; root: string; total: string; file: string }[];
  claims: { account: string; path: string; amount: string; modelId?: string; epoch?: string }[];
  withdrawals: { kind: string; to: string; amount: string; modelId?: string }[];
  earnings: { account: string; contributions: number; claimed: string; byModel: Record<string, string> }[];
  books: {
    paidIn: string;
    distributed: string;
    owed: string;
    distributorBalance: string;
    balanced: boolean;
    solvent: boolean;
    onChain: Record<string, string>;
  };
  /** The verifier's run over the finished chain: every root, settlement and the books recomputed. */
  verification: { ok: boolean; checks: number; mismatches: string[] };
}

const TEXTS = {
  a: "the river delta floods each spring and the farmers plant rice in the rich silt that the water leaves behind on the plain",
  b: "a lighthouse keeper wrote down every ship that passed the rocky cape during the long winter storms of that year",
  c: "solar panels on the school roof now produce more power than the building uses so the surplus is sold back to the grid",
  d: "honey bees communicate the direction and distance of flowers to their hive mates through a waggle dance on the comb",
  e: "the old library catalogued its maps by hand and each card listed the surveyor the scale and the year of the survey",
  f: "volunteers counted migrating birds at dawn and sent their tallies to the regional observatory every evening",
  g: "this text repeats the lighthouse story but was rejected by the curator as a near duplicate of an earlier entry",
};

async function advance(provider: DemoConnection["provider"], seconds: bigint): Promise<void> {
  await provider.send("evm_increaseTime", [Number(seconds)]);
  await provider.send("evm_mine", []);
}

/** Plays the story and returns the report. Throws on any failed step. */
export async function runDemo(conn: DemoConnection): Promise<DemoReport> {
  const log = conn.log ?? (() => undefined);
  const [operator, alice, bob, c1, c2, c3, c4, dev1, dev2, app, relayer] = conn.signers;
  if (!relayer) throw new Error("the demo needs 11 unlocked accounts on this network");
  const provider = conn.provider;
  const { chainId } = await provider.getNetwork();
  const base = connectSuite(conn.addresses, operator);
  const as = (s: Signer): Suite => withRunner(base, s);
  const addr = (s: Signer) => s.getAddress();
  const outputDir = await mkdtemp(join(tmpdir(), "openledger-demo-"));
  const corpusDir = join(outputDir, "corpus");
  await mkdir(corpusDir, { recursive: true });

  // Money for the paying app.
  await sdk.send(base, base.token.transfer(await addr(app), parseEther("100000")));

  // ---- Datanets and contributions
  log("datanets: creating two datanets and submitting contributions");
  const everyUse = sdk.parseLicence("research,commercialInference,fineTuning,derivatives");
  const { datanetId: d1 } = await sdk.createDatanet(as(alice), {
    metadataURI: "ipfs://datanet/rivers-and-coasts",
    licence: everyUse,
  });
  const { datanetId: d2 } = await sdk.createDatanet(as(bob), {
    metadataURI: "ipfs://datanet/nature-notes",
    licence: everyUse,
  });
  const write = async (text: string) => {
    const bytes = toUtf8Bytes(text);
    const contentHash = keccak256(bytes);
    await writeFile(join(corpusDir, `${contentHash.toLowerCase()}.txt`), bytes);
    return {
      contentHash,
      uri: `ipfs://contribution/${contentHash.slice(2, 14)}`,
      size: bytes.length,
      kind: 1,
    };
  };
  const ids: Record<string, { datanetId: bigint; contributionId: string }> = {};
  ids.a = { datanetId: d1, ...(await sdk.submitContribution(as(c1), d1, await write(TEXTS.a))) };
  ids.b = { datanetId: d1, ...(await sdk.submitContribution(as(c2), d1, await write(TEXTS.b))) };
  const deadline = BigInt((await provider.getBlock("latest"))!.timestamp) + 3600n;
  const signed = await sdk.signContribution(base, c3, d1, await write(TEXTS.c), deadline);
  ids.c = { datanetId: d1, ...(await sdk.relayContribution(as(relayer), signed)) };
  ids.g = { datanetId: d1, ...(await sdk.submitContribution(as(c2), d1, await write(TEXTS.g))) };
  ids.d = { datanetId: d2, ...(await sdk.submitContribution(as(c3), d2, await write(TEXTS.d))) };
  const batch = await sdk.submitContributions(as(c4), d2, [await write(TEXTS.e), await write(TEXTS.f)]);
  ids.e = { datanetId: d2, contributionId: batch.contributionIds[0] };
  ids.f = { datanetId: d2, contributionId: batch.contributionIds[1] };

  log("datanets: curating (one rejected), one contribution withdrawn, versions published");
  for (const key of ["a", "b", "c"])
    await sdk.curate(as(alice), d1, ids[key].contributionId, { accept: true });
  await sdk.curate(as(alice), d1, ids.g.contributionId, { accept: false, reasonCode: 2 });
  for (const key of ["d", "e", "f"]) await sdk.curate(as(bob), d2, ids[key].contributionId, { accept: true });
  await sdk.withdrawContribution(as(c4), d2, ids.f.contributionId);
  const v1 = await sdk.publishVersion(as(alice), provider, d1, { uri: "ipfs://datanet/1/version/1" });
  const v2 = await sdk.publishVersion(as(bob), provider, d2, { uri: "ipfs://datanet/2/version/1" });

  // ---- Models
  log("models: registering a model and a derivative");
  const commercial = sdk.parseLicence("commercialInference");
  const { modelId: m1 } = await sdk.registerModel(as(dev1), {
    metadataURI: "ipfs://model/coast-7b",
    artifactHash: keccak256(toUtf8Bytes("coast-7b weights")),
    declaredUses: commercial,
    pricePerUnit: parseEther("2"),
    trainingInputs: [
      { datanetId: d1, versionNumber: v1.versionNumber, weightBps: 7000 },
      { datanetId: d2, versionNumber: v2.versionNumber, weightBps: 3000 },
    ],
  });
  const { modelId: m2 } = await sdk.registerModel(as(dev2), {
    metadataURI: "ipfs://model/coast-7b-nature-ft",
    artifactHash: keccak256(toUtf8Bytes("coast-7b-nature-ft weights")),
    baseModelId: m1,
    declaredUses: commercial,
    pricePerUnit: parseEther("3"),
    trainingInputs: [{ datanetId: d2, versionNumber: v2.versionNumber, weightBps: 10000 }],
  });

  // ---- Payments over two epochs
  const epochLength = await base.attribution.epochLength();
  const e0 = await base.attribution.currentEpoch();
  log(`payments: epoch ${e0}`);
  await sdk.pay(base, app, m1, 100n);
  const permitDeadline = BigInt((await provider.getBlock("latest"))!.timestamp) + 3600n;
  await sdk.payWithPermit(base, app, m2, 50n, permitDeadline);
  await advance(provider, epochLength);
  const e1 = await base.attribution.currentEpoch();
  log(`payments: epoch ${e1}`);
  await sdk.pay(base, app, m1, 30n);
  await sdk.pay(base, app, m2, 20n);
  await advance(provider, epochLength);

  // ---- Attribution: method 1 from inference outputs, method 2 from datanet weights
  log("attribution: indexing contributions, attributing outputs, committing roots");
  const ledger0 = buildLedger(await readSuiteEvents(base, provider));
  const manifestOf = (datanetIds: bigint[]): ManifestEntry[] =>
    datanetIds.flatMap((d) =>
      [...ledger0.datanets.get(d.toString())!.contributions.values()]
        .filter((c) => c.status === "Accepted")
        .map((c) => ({
          contributionId: c.contributionId,
          contentHash: c.contentHash,
          contributor: c.contributor,
          datanetId: d.toString(),
          size: Object.values(TEXTS).find((t) => keccak256(toUtf8Bytes(t)) === c.contentHash)!.length,
        })),
    );
  const index = await buildSpanIndex(corpusDir, manifestOf([d1, d2]), { quiet: true });
  const outputs = async (name: string, lines: string[]) => {
    const path = join(outputDir, `${name}.jsonl`);
    await writeFile(
      path,
      lines.map((text, i) => JSON.stringify({ id: `${name}-${i}`, text })).join("\n") + "\n",
    );
    return path;
  };
  const tables: WeightTable[] = [];
  const commitments: DemoReport["attribution"] = [];
  const commit = async (table: WeightTable) => {
    const file = join(outputDir, `attribution-model-${table.modelId}-epoch-${table.epoch}`);
    const { json } = await writeWeightTable(table, file);
    const { root } = await sdk.commitAttribution(base, table, `file://${json}`);
    tables.push(table);
    commitments.push({
      modelId: table.modelId.toString(),
      epoch: table.epoch.toString(),
      method: table.method,
      root,
      totalWeight: table.totalWeight.toString(),
      table: json,
    });
  };
  const span = async (modelId: bigint, epoch: bigint, lines: string[]) =>
    (
      await attributeOutputsFile(index, await outputs(`outputs-m${modelId}-e${epoch}`, lines), {
        modelId,
        epoch,
        progress: { quiet: true },
      })
    ).table;
  await commit(
    await span(m1, e0, [
      "answer: the river delta floods each spring and the farmers plant rice in the rich silt they say",
      "as noted, solar panels on the school roof now produce more power than the building uses today",
      "fact: honey bees communicate the direction and distance of flowers to their hive mates",
    ]),
  );
  const m2Weights = { [d2.toString()]: 10000 };
  await commit(datanetWeightTable(m2Weights, manifestOf([d2]), { modelId: m2, epoch: e0 }));
  await commit(
    await span(m1, e1, [
      "a lighthouse keeper wrote down every ship that passed the rocky cape during the long winter",
      "the old library catalogued its maps by hand and each card listed the surveyor and the scale",
    ]),
  );
  await commit(datanetWeightTable(m2Weights, manifestOf([d2]), { modelId: m2, epoch: e1 }));

  // ---- Finality, settlement, claims on both paths
  log("rewards: finalising epoch pairs, settling, claiming");
  await advance(provider, (await base.attribution.challengeWindow()) + 1n);
  await sdk.finalizePair(base, m1, e0);
  await sdk.finalizePair(base, m2, e0);
  const settlements: DemoReport["settlements"] = [];
  const settleNow = async () => {
    // Publish the tree dump and every account's proof file first, then commit the dump's
    // location: anyone can check every leaf, and every account can claim from its own file.
    const prepared = await sdk.prepareSettlement(base, provider, tables);
    const id = settlements.length + 1;
    const files = await writeSettlementFiles(prepared.tree, outputDir, id);
    const s = await sdk.commitSettlement(base, prepared, `file://${files.dump}`);
    settlements.push({
      id: String(id),
      root: s.root,
      total: s.settlement.total.toString(),
      file: files.dump,
    });
    return { ...s, proofOf: async (who: Signer) => join(files.proofs, proofFileName(await addr(who))) };
  };
  const s1 = await settleNow();
  for (const who of [c1, c3]) await sdk.claim(as(relayer), await s1.proofOf(who)); // anyone may claim for a contributor
  await sdk.finalizePair(base, m1, e1);
  await sdk.finalizePair(base, m2, e1);
  // The trust-minimised path: claim an uncovered pair directly against its commitment.
  const m2e1 = tables.find((t) => t.modelId === m2 && t.epoch === e1)!;
  await sdk.claimDirect(as(c4), await addr(c4), [{ table: m2e1 }]);
  const s2 = await settleNow();
  for (const who of [c1, c2, c3, c4]) {
    if (sdk.accountIndex(s2.tree, await addr(who)) < 0) continue;
    const proof = await readSettlementProof(await s2.proofOf(who));
    const owed = await base.distributor.claimable(await addr(who), proof.cumulativeAmount);
    if (owed > 0n) await sdk.claim(as(who), proof);
  }

  // ---- Withdrawals
  log("rewards: owners and the treasury withdraw");
  await sdk.withdrawOwnerEarnings(as(dev1), m1, await addr(dev1));
  await sdk.withdrawOwnerEarnings(as(dev2), m2, await addr(dev2));
  await sdk.withdrawTreasury(base, await addr(operator));

  return buildReport(conn, base, {
    chainId,
    outputDir,
    commitments,
    settlements,
    settlementAccounts: s2.settlement.accounts,
  });
}

async function buildReport(
  conn: DemoConnection,
  suite: Suite,
  extra: {
    chainId: bigint;
    outputDir: string;
    commitments: DemoReport["attribution"];
    settlements: DemoReport["settlements"];
    settlementAccounts: {
      account: string;
      cumulativeAmount: bigint;
      pairs: { modelId: bigint; amount: bigint }[];
    }[];
  },
): Promise<DemoReport> {
  const events = await readSuiteEvents(suite, conn.provider);
  const ledger = buildLedger(events);
  const books = await suite.distributor.books();
  const verified = await verifyLedger({ suite, provider: conn.provider, events });
  const balance = await suite.token.balanceOf(suite.addresses.distributor);
  const paidIn = ledger.payments.reduce((s, p) => s + p.amount, 0n);
  const distributed =
    ledger.withdrawals.reduce((s, w) => s + w.amount, 0n) + ledger.claims.reduce((s, c) => s + c.amount, 0n);
  const owed = owedFromBooks(books);
  const byModelOf = (account: string) => {
    const row = extra.settlementAccounts.find((a) => a.account === account);
    const out: Record<string, string> = {};
    for (const p of row?.pairs ?? [])
      out[p.modelId.toString()] = (BigInt(out[p.modelId.toString()] ?? "0") + p.amount).toString();
    return out;
  };
  const contributors = [
    ...new Set(
      [...ledger.datanets.values()].flatMap((d) => [...d.contributions.values()].map((c) => c.contributor)),
    ),
  ].sort();
  return {
    network: conn.networkName,
    chainId: extra.chainId.toString(),
    contracts: { ...suite.addresses },
    outputDir: extra.outputDir,
    datanets: [...ledger.datanets.values()].map((d) => ({
      datanetId: d.datanetId.toString(),
      owner: d.owner,
      licence: d.licence,
      contributions: [...d.contributions.values()].map((c) => ({
        contributionId: c.contributionId,
        contributor: c.contributor,
        status: c.status,
        uri: c.uri,
      })),
      versions: d.versions.map((v) => ({
        versionNumber: v.versionNumber.toString(),
        root: v.merkleRoot,
        contributionCount: v.contributionCount.toString(),
      })),
    })),
    models: [...ledger.models.values()].map((m) => ({
      modelId: m.modelId.toString(),
      owner: m.owner,
      baseModelId: m.baseModelId.toString(),
      lineage: lineageOf(ledger, m.modelId).map(String),
      pricePerUnit: m.pricePerUnit.toString(),
      trainingInputs: (m.versions.at(-1)?.trainingInputs ?? []).map((t) => ({
        datanetId: t.datanetId.toString(),
        versionNumber: t.versionNumber.toString(),
        weightBps: t.weightBps,
      })),
    })),
    payments: ledger.payments.map((p) => {
      const trace = tracePayment(ledger, p.transactionHash);
      return {
        tx: p.transactionHash,
        modelId: p.modelId.toString(),
        epoch: p.epoch.toString(),
        payer: p.payer,
        amount: p.amount.toString(),
        protocol: p.protocolShare.toString(),
        owner: p.ownerShare.toString(),
        royalty: p.royaltyShare.toString(),
        contributors: p.contributorShare.toString(),
        pool: trace?.finalized
          ? `finalized #${trace.finalized.finalizeSeq} (pool ${trace.finalized.pool})`
          : "pending",
      };
    }),
    attribution: extra.commitments,
    settlements: extra.settlements,
    claims: ledger.claims.map((c) => ({
      account: c.account,
      path: c.path,
      amount: c.amount.toString(),
      ...(c.modelId !== undefined ? { modelId: c.modelId.toString(), epoch: c.epoch!.toString() } : {}),
    })),
    withdrawals: ledger.withdrawals.map((w) => ({
      kind: w.kind,
      to: w.to,
      amount: w.amount.toString(),
      ...(w.modelId !== undefined ? { modelId: w.modelId.toString() } : {}),
    })),
    earnings: contributors.map((account) => {
      const claimed = ledger.claims.filter((c) => c.account === account).reduce((s, c) => s + c.amount, 0n);
      return {
        account,
        contributions: [...ledger.datanets.values()].reduce(
          (n, d) => n + [...d.contributions.values()].filter((c) => c.contributor === account).length,
          0,
        ),
        claimed: claimed.toString(),
        byModel: byModelOf(account),
      };
    }),
    books: {
      paidIn: paidIn.toString(),
      distributed: distributed.toString(),
      owed: owed.toString(),
      distributorBalance: balance.toString(),
      balanced: paidIn === distributed + owed && paidIn === books.paidIn,
      solvent: balance >= owed,
      onChain: Object.fromEntries(
        [
          "paidIn",
          "treasuryAccrued",
          "treasuryWithdrawn",
          "ownersAccrued",
          "ownersWithdrawn",
          "stakerReserve",
          "totalClaimed",
          "claimable",
          "poolsPending",
          "rolledForward",
        ].map((k) => [k, (books as unknown as Record<string, bigint>)[k].toString()]),
      ),
    },
    verification: {
      ok: verified.ok,
      checks: verified.checks,
      mismatches: verified.mismatches.map(formatMismatch),
    },
  };
}

/** The report as text for a terminal. */
export function formatReport(r: DemoReport): string {
  const o = (wei: string) => `${formatEther(wei)} OPEN`;
  const lines: string[] = [];
  lines.push(`OpenLedger demo on ${r.network} (chain id ${r.chainId})`, "");
  lines.push("Contracts:");
  for (const [k, v] of Object.entries(r.contracts)) lines.push(`  ${k.padEnd(12)} ${v}`);
  lines.push("", "Who contributed what:");
  for (const d of r.datanets) {
    lines.push(`  datanet ${d.datanetId} (owner ${d.owner}, licence bits ${d.licence})`);
    for (const c of d.contributions)
      lines.push(`    ${c.contributionId.slice(0, 10)}… by ${c.contributor}  ${c.status}`);
    for (const v of d.versions)
      lines.push(
        `    version ${v.versionNumber}: ${v.contributionCount} contributions, root ${v.root.slice(0, 10)}…`,
      );
  }
  lines.push("", "Models and lineage:");
  for (const m of r.models) {
    const inputs = m.trainingInputs
      .map((t) => `datanet ${t.datanetId} v${t.versionNumber} @ ${t.weightBps / 100}%`)
      .join(", ");
    lines.push(
      `  model ${m.modelId} (owner ${m.owner}, ${o(m.pricePerUnit)}/unit) base ${m.lineage.length ? m.lineage.join(" <- ") : "none"}; trained on ${inputs}`,
    );
  }
  lines.push("", "Payments and their split:");
  for (const p of r.payments) {
    lines.push(
      `  model ${p.modelId} epoch ${p.epoch}: ${o(p.amount)} -> protocol (treasury + stakers) ${o(p.protocol)}, owner ${o(p.owner)}, royalty ${o(p.royalty)}, contributors ${o(p.contributors)} [${p.pool}]`,
    );
  }
  lines.push("", "Attribution commitments:");
  for (const a of r.attribution)
    lines.push(
      `  model ${a.modelId} epoch ${a.epoch}: ${a.method}, root ${a.root.slice(0, 10)}…, table ${a.table}`,
    );
  lines.push("", "Contributor earnings:");
  for (const e of r.earnings) {
    const by = Object.entries(e.byModel)
      .map(([m, v]) => `model ${m}: ${o(v)}`)
      .join(", ");
    lines.push(
      `  ${e.account}: ${e.contributions} contribution(s), claimed ${o(e.claimed)}${by ? ` (${by})` : ""}`,
    );
  }
  lines.push("", "Claims:");
  for (const c of r.claims)
    lines.push(
      `  ${c.account} ${o(c.amount)} via ${c.path}${c.modelId ? ` (model ${c.modelId} epoch ${c.epoch})` : ""}`,
    );
  lines.push("", "Books:");
  lines.push(`  paid in      ${o(r.books.paidIn)}`);
  lines.push(`  distributed  ${o(r.books.distributed)}`);
  lines.push(`  still owed   ${o(r.books.owed)} (distributor holds ${o(r.books.distributorBalance)})`);
  lines.push(
    `  ${r.books.balanced && r.books.solvent ? "BALANCED: paid in = distributed + owed, and the distributor is solvent" : "NOT BALANCED"}`,
  );
  lines.push(
    `  verifier: ${r.verification.ok ? "OK" : "MISMATCHES"} (${r.verification.checks} checks recomputed from events and published tables)`,
  );
  for (const m of r.verification.mismatches) lines.push(`    ${m}`);
  lines.push("", `Tables, settlements and outputs: ${r.outputDir}`);
  return lines.join("\n");
}

/**
 * The whole story on one chain: deploy, two datanets with contributions (one relayed from a
 * signature, one rejected, one withdrawn), published versions, a model and a derivative trained
 * on them, inference payments over two epochs, attribution computed from real text and
 * committed, finalisation, settlement, claims on both paths, withdrawals; staking behind the
 * operator, a wrong commitment challenged, voided and slashed, the staker rewards distributed and
 * claimed; an epoch paid by usage vouchers (the example model server and client app), its outputs
 * attributed from the paid receipts; then the books of the distributor, the escrow and staking.
 * Runs on any network whose accounts are unlocked and whose clock can be moved
 * (`evm_increaseTime`: Hardhat's in-process chain, `hardhat node`, anvil).
 */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Provider, Signer } from "ethers";
import { keccak256, parseEther, toUtf8Bytes, Wallet } from "ethers";
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
import { buildLedger } from "../sdk/read/ledger.js";
import { connectSuite, withRunner, type Suite, type SuiteAddresses } from "../sdk/suite.js";
import { buildReport, type DemoReport } from "./report.js";
import { challengeAndSlash, delegateBehind, distributeAndClaim } from "./staking.js";
import { payEpochByVouchers, usageReport } from "./usage.js";

export { formatReport, type DemoReport } from "./report.js";

/** What the demo needs of the network connection. */
export interface DemoConnection {
  networkName: string;
  provider: Provider & { send(method: string, params: unknown[]): Promise<unknown> };
  signers: Signer[];
  addresses: SuiteAddresses;
  /** The UsageEscrow (deploy/modules/Local.ts deploys it beside the suite). */
  usageEscrow: string;
  log?: (line: string) => void;
}

/** The demo's contributions: short texts, `g` a near duplicate of `b` that the curator rejects. */
export const TEXTS = {
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

/** Accounts the story plays with: operator, two datanet owners, four contributors, two model developers, an app, a relayer. */
export const DEMO_ACCOUNTS = 11;

/** ETH each fresh account of {@link withFreshAccounts} gets for gas. */
const FRESH_ACCOUNT_ETH = parseEther("10");

/**
 * The node's signers, topped up to {@link DEMO_ACCOUNTS} with fresh random wallets funded with
 * ETH from the first (a dev node's default accounts: anvil has 10). Their keys live only in this
 * process: use it on dev chains only.
 */
export async function withFreshAccounts(signers: Signer[], provider: Provider): Promise<Signer[]> {
  const [funder] = signers;
  if (!funder)
    throw new Error(
      `the demo needs an unlocked account on this network to fund ${DEMO_ACCOUNTS} accounts from`,
    );
  const fresh: Signer[] = [];
  for (let i = signers.length; i < DEMO_ACCOUNTS; i++) {
    const wallet = Wallet.createRandom(provider);
    await (await funder.sendTransaction({ to: wallet.address, value: FRESH_ACCOUNT_ETH })).wait();
    fresh.push(wallet);
  }
  return [...signers, ...fresh];
}

/** Plays the story and returns the report. Throws on any failed step. */
export async function runDemo(conn: DemoConnection): Promise<DemoReport> {
  const log = conn.log ?? (() => undefined);
  const [operator, alice, bob, c1, c2, c3, c4, dev1, dev2, app, relayer] = conn.signers;
  if (!relayer)
    throw new Error(
      `the demo needs ${DEMO_ACCOUNTS} accounts on this network, it has ${conn.signers.length}: fund fresh ones with withFreshAccounts (the demo task does on dev nodes)`,
    );
  const provider = conn.provider;
  const { chainId } = await provider.getNetwork();
  const base = connectSuite(conn.addresses, operator);
  const as = (s: Signer): Suite => withRunner(base, s);
  const addr = (s: Signer) => s.getAddress();
  const outputDir = await mkdtemp(join(tmpdir(), "openledger-demo-"));
  const corpusDir = join(outputDir, "corpus");
  await mkdir(corpusDir, { recursive: true });

  // Money for the paying app, the stakers and the watcher who will challenge.
  await sdk.send(base, base.token.transfer(await addr(app), parseEther("100000")));
  const challengeBond = await base.attribution.challengeBond();
  await sdk.send(base, base.token.transfer(await addr(relayer), challengeBond));
  const stakes: [Signer, bigint][] = [
    [alice, parseEther("20000")],
    [bob, parseEther("10000")],
  ];
  for (const [who, amount] of stakes) await sdk.send(base, base.token.transfer(await addr(who), amount));

  // ---- Staking: the operator is bonded (deployment); stakers delegate behind it
  const operatorAddress = await addr(operator);
  log(`staking: two stakers delegate behind the attribution operator ${operatorAddress}`);
  await delegateBehind(base, operatorAddress, stakes);

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
    // Published where anyone (here: this machine) can fetch it; the verifier checks its hash.
    return {
      contentHash,
      uri: pathToFileURL(join(corpusDir, `${contentHash.toLowerCase()}.txt`)).href,
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

  // ---- An epoch paid by vouchers: the client app pays the model server one signature an inference
  const e2 = await base.attribution.currentEpoch();
  log(`usage: epoch ${e2} paid by vouchers (client app -> model server -> one redemption)`);
  const vouchers = await payEpochByVouchers({
    escrow: conn.usageEscrow,
    chainId,
    app,
    relayer,
    modelId: m1,
    epoch: e2,
    deposit: parseEther("500"),
    prompts: [
      "why does the river delta flood each spring",
      "what did the lighthouse keeper write down",
      "how do honey bees tell the hive where flowers are",
    ],
    corpus: [TEXTS.a, TEXTS.b, TEXTS.d],
    outputDir,
  });
  await advance(provider, epochLength);

  // ---- Attribution: method 1 from inference outputs, method 2 from datanet weights
  log("attribution: indexing contributions, attributing outputs, committing roots");
  const ledger0 = buildLedger(await readSuiteEvents(base, provider, { indexer: false }));
  const manifestOf = (datanetIds: bigint[]): ManifestEntry[] =>
    datanetIds.flatMap((d) =>
      [...ledger0.datanets.get(d.toString())!.contributions.values()]
        .filter((c) => c.status === "Accepted")
        .map((c) => ({
          contributionId: c.contributionId,
          contentHash: c.contentHash,
          contributor: c.contributor,
          datanetId: d.toString(),
          versionNumber: (d === d1 ? v1 : v2).versionNumber.toString(),
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
  const trained = [
    { datanetId: d1.toString(), versionNumber: v1.versionNumber.toString() },
    { datanetId: d2.toString(), versionNumber: v2.versionNumber.toString() },
  ];
  const span = async (modelId: bigint, epoch: bigint, lines: string[]) => {
    const path = await outputs(`outputs-m${modelId}-e${epoch}`, lines);
    // The outputs are published with the table (URI and keccak256), so anyone can recompute it.
    const run = await attributeOutputsFile(index, path, {
      modelId,
      epoch,
      progress: { quiet: true },
      workers: 1,
      outputsUri: pathToFileURL(path).href,
      versions: trained,
    });
    return run.table;
  };
  // A wrong commitment first: model 1's epoch attributed by datanet size, not by its outputs. A
  // watcher challenges it in its window, governance voids it, the operator's pool is slashed.
  log("attribution: a wrong commitment, challenged, voided by governance; the operator is slashed");
  const wrong = datanetWeightTable({ [d1.toString()]: 7000, [d2.toString()]: 3000 }, manifestOf([d1, d2]), {
    modelId: m1,
    epoch: e0,
    inputs: { versions: trained },
  });
  const wrongFile = join(outputDir, `wrong-attribution-model-${m1}-epoch-${e0}`);
  await sdk.commitAttribution(base, wrong, `file://${(await writeWeightTable(wrong, wrongFile)).json}`);
  await writeFile(
    `${wrongFile}.reason.txt`,
    "the committed table weights model 1's outputs by datanet size; the outputs match other contributions\n",
  );
  // The slash takes the operator's bond below the minimum: it tops up before committing again.
  const slashes = await challengeAndSlash(base, {
    operator,
    watcher: relayer,
    modelId: m1,
    epoch: e0,
    reasonUri: `file://${wrongFile}.reason.txt`,
  });
  await commit(
    await span(m1, e0, [
      "answer: the river delta floods each spring and the farmers plant rice in the rich silt they say",
      "as noted, solar panels on the school roof now produce more power than the building uses today",
      "fact: honey bees communicate the direction and distance of flowers to their hive mates",
    ]),
  );
  const m2Weights = { [d2.toString()]: 10000 };
  await commit(
    datanetWeightTable(m2Weights, manifestOf([d2]), {
      modelId: m2,
      epoch: e0,
      inputs: { versions: [trained[1]] },
    }),
  );
  await commit(
    await span(m1, e1, [
      "a lighthouse keeper wrote down every ship that passed the rocky cape during the long winter",
      "the old library catalogued its maps by hand and each card listed the surveyor and the scale",
    ]),
  );
  await commit(
    datanetWeightTable(m2Weights, manifestOf([d2]), {
      modelId: m2,
      epoch: e1,
      inputs: { versions: [trained[1]] },
    }),
  );
  // The voucher epoch: outputs taken from the paid receipts; the table names their proofs.
  const paid = await attributeOutputsFile(index, vouchers.outputsPath, {
    modelId: m1,
    epoch: e2,
    progress: { quiet: true },
    workers: 1,
    outputsUri: pathToFileURL(vouchers.outputsPath).href,
    versions: trained,
  });
  await commit({ ...paid.table, inputs: { ...paid.table.inputs!, receipts: vouchers.receipts } });

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
    // The root is pending for the dispute window (nobody disputes an honest root), then live.
    await advance(provider, (await base.distributor.disputeWindow()) + 1n);
    await sdk.activateSettlement(base);
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
  await sdk.finalizePair(base, m1, e2);
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

  // ---- Staker rewards: the distributor's staker reserve moves to the pools; stakers claim
  log("staking: staker rewards distributed to the pools and claimed");
  const rewardsClaimed = await distributeAndClaim(base, operatorAddress, [operator, alice, bob]);

  return buildReport(conn, base, {
    stakers: [operatorAddress, ...(await Promise.all(stakes.map(([who]) => addr(who))))],
    rewardsClaimed,
    slashes,
    chainId,
    outputDir,
    commitments,
    settlements,
    settlementAccounts: s2.settlement.accounts,
    usage: await usageReport(operator, vouchers.report),
  });
}

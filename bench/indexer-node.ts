/**
 * Indexer benchmark against a real node (issue 18): a `hardhat node` on 127.0.0.1 given
 * `contributions` submitted and accepted contributions (batches of 100) and `payments` payments,
 * then indexed from block 0 over JSON-RPC into SQLite and into PostgreSQL. Prints one JSON line:
 *   { embeddedEventsPerSecond, postgresEventsPerSecond, events, blocks, fillSeconds, peakRssMB, ... }
 *
 *   npx tsx bench/indexer-node.ts                                  # 100,000 contributions, 10,000 payments
 *   npx tsx bench/indexer-node.ts --contributions 5000 --payments 500
 *
 * The chain is the demo's (deployed and played by `hardhat demo`), plus one open datanet owned by
 * account 0 that receives the contributions from accounts 1-8, and payments to model 1 from
 * account 9. Transactions are sent without waiting for each receipt (a nonce manager per
 * account) with automine off, then mined into blocks, so the fill measures the node, not round
 * trips. Peak RSS is this process's (the node
 * and PostgreSQL are other processes). The load average is printed with the figures.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { JsonRpcProvider, NonceManager, type ContractTransactionResponse, type Signer } from "ethers";
import { openDatabase } from "../src/indexer/db.js";
import { RpcLogSource } from "../src/indexer/source.js";
import { Indexer } from "../src/indexer/sync.js";
import { createDatanet } from "../src/sdk/datanets.js";
import { connectSuite, loadAddresses, withRunner } from "../src/sdk/suite.js";
import { postgresUrl } from "../test/helpers/indexerDb.js";
import { ROOT, runHardhat, startHardhatNode } from "../test/helpers/localNode.js";

const { values: args } = parseArgs({
  options: {
    contributions: { type: "string", default: "100000" },
    payments: { type: "string", default: "10000" },
    port: { type: "string", default: process.env.INDEXER_NODE_BENCH_PORT ?? "8631" },
    quiet: { type: "boolean", default: false },
  },
});
const contributions = Number(args.contributions);
const payments = Number(args.payments);
const say = (line: string) => {
  if (!args.quiet) console.error(line);
};
const BATCH = 100;
/** Transactions in flight per account before waiting for their receipts. */
const WINDOW = 200;

const loadAverageBefore = loadavg().map((x) => Math.round(x * 10) / 10);
let peakRss = process.memoryUsage().rss;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);

const node = await startHardhatNode(Number(args.port));
const deploymentId = `bench-indexer-node-${process.pid}`;
const env = { LOCALHOST_RPC_URL: node.url };
const started = performance.now();
try {
  const demo = await runHardhat(
    ["demo", "--network", "localhost", "--deployment-id", deploymentId, "--json"],
    env,
  );
  if (demo.code !== 0) throw new Error(`the demo failed:\n${demo.output}`);
  const provider = new JsonRpcProvider(node.url, undefined, { cacheTimeout: -1 });
  const chainId = (await provider.getNetwork()).chainId;
  const addresses = await loadAddresses({ chainId, deploymentId, root: ROOT });
  const account = async (i: number): Promise<Signer> => new NonceManager(await provider.getSigner(i));
  const owner = await account(0);
  const suite = connectSuite(addresses, owner);
  const { datanetId } = await createDatanet(suite, { metadataURI: "ipfs://bench/datanet", licence: 31 });

  /**
   * Sends `count` transactions made by `make(k)`, WINDOW at a time, then mines blocks until every
   * one of them is in (automine is off: many transactions a block, as on a busy chain); resolves
   * with their receipts.
   */
  async function pump(count: number, make: (k: number) => Promise<ContractTransactionResponse>) {
    const receipts = [];
    for (let k = 0; k < count; k += WINDOW) {
      const sent = [];
      for (let j = k; j < Math.min(count, k + WINDOW); j++) sent.push(await make(j));
      for (const tx of sent) {
        let receipt = await provider.getTransactionReceipt(tx.hash);
        while (!receipt) {
          await provider.send("evm_mine", []);
          receipt = await provider.getTransactionReceipt(tx.hash);
        }
        if (receipt.status !== 1) throw new Error(`transaction ${tx.hash} reverted`);
        receipts.push(receipt);
      }
    }
    return receipts;
  }

  await (await suite.token.connect(await account(9)).approve(addresses.distributor, 2n ** 255n)).wait();
  await provider.send("evm_setAutomine", [false]);
  const fill = performance.now();
  const contributors = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(account));
  const batches = Math.ceil(contributions / BATCH);
  const ids: string[] = [];
  // Each contributor sends its share of the batches; accounts run side by side.
  await Promise.all(
    contributors.map(async (signer, c) => {
      const mine = [...Array(batches).keys()].filter((b) => b % contributors.length === c);
      const datanets = withRunner(suite, signer).datanets;
      const receipts = await pump(mine.length, (j) => {
        const b = mine[j];
        const n = Math.min(BATCH, contributions - b * BATCH);
        const inputs = [...Array(n).keys()].map((i) => ({
          contentHash: `0x${(b * BATCH + i + 1).toString(16).padStart(64, "0")}`,
          uri: `ipfs://bench/${b * BATCH + i}`,
          size: 1_000,
          kind: 0,
        }));
        // An explicit gas limit: estimating against a pending block of hundreds of transactions
        // re-executes them all for every send.
        return datanets.submitContributions(datanetId, inputs, { gasLimit: 6_000_000 });
      });
      for (const r of receipts)
        for (const log of r.logs) {
          const parsed = suite.datanets.interface.parseLog(log);
          if (parsed?.name === "ContributionSubmitted") ids.push(parsed.args.contributionId as string);
        }
    }),
  );
  say(`submitted ${ids.length} contributions in ${((performance.now() - fill) / 1000).toFixed(1)} s`);
  await pump(Math.ceil(ids.length / BATCH), (b) =>
    suite.datanets.acceptContributions(datanetId, ids.slice(b * BATCH, (b + 1) * BATCH), {
      gasLimit: 6_000_000,
    }),
  );
  say(`accepted them: ${((performance.now() - fill) / 1000).toFixed(1)} s`);
  const distributor = suite.distributor.connect(await account(9));
  await pump(payments, () => distributor.pay(1n, 1n, 2n ** 128n, { gasLimit: 300_000 }));
  const fillSeconds = (performance.now() - fill) / 1000;
  const head = await provider.getBlockNumber();
  say(`paid ${payments} times: chain at block ${head} after ${fillSeconds.toFixed(1)} s`);
  provider.destroy();

  const rates: Record<string, number> = {};
  let events = 0;
  const dir = mkdtempSync(join(tmpdir(), "bench-indexer-node-"));
  for (const [kind, url] of [
    ["sqlite", join(dir, "index.sqlite")],
    ["postgres", await freshPostgres()],
  ] as const) {
    const db = await openDatabase(url);
    const source = new RpcLogSource(
      new JsonRpcProvider(node.url, undefined, { staticNetwork: true }),
      node.url,
    );
    const indexer = await Indexer.open({ db, source, addresses, log: say, progressEveryMs: 10_000 });
    const stats = await indexer.catchUp();
    rates[kind] = Math.round(stats.events / stats.seconds);
    events = stats.events;
    say(`${kind}: ${stats.events} events from ${stats.blocks} blocks in ${stats.seconds.toFixed(1)} s`);
    await db.close();
  }
  rmSync(dir, { recursive: true, force: true });
  clearInterval(rssTimer);
  console.log(
    JSON.stringify({
      embeddedEventsPerSecond: rates.sqlite,
      postgresEventsPerSecond: rates.postgres,
      events,
      blocks: head,
      contributions,
      payments,
      fillSeconds: Math.round(fillSeconds),
      totalSeconds: Math.round((performance.now() - started) / 1000),
      peakRssMB: Math.round(peakRss / 2 ** 20),
      loadAverageBefore,
    }),
  );
} finally {
  clearInterval(rssTimer);
  await node.stop();
  rmSync(resolve(ROOT, "deploy/deployments", deploymentId), { recursive: true, force: true });
}

/** A fresh database in the throwaway PostgreSQL cluster (scripts/pg-test-cluster.sh). */
async function freshPostgres(): Promise<string> {
  const admin = await openDatabase(postgresUrl());
  const name = `bench_node_${process.pid}`;
  await admin.exec(`DROP DATABASE IF EXISTS ${name}`);
  await admin.exec(`CREATE DATABASE ${name}`);
  await admin.close();
  const url = new URL(postgresUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

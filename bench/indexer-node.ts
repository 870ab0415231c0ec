/**
 * Indexer benchmark against a real node (issue 18): a `hardhat node` on 127.0.0.1 given
 * `contributions` submitted and accepted contributions and `payments` payments through the suite's
 * contracts, then indexed from block 0 over JSON-RPC into SQLite (the embedded default) and into
 * PostgreSQL, then read through the API and `ledger show`. Prints one JSON line:
 *   { embeddedEventsPerSecond, postgresEventsPerSecond, summaryP95Ms, paymentsPageP95Ms, peakRssMB,
 *     ledgerShowMs, ledgerShowAllMs, events, blocks, fillSeconds, loadAverageBefore, ... }
 *
 *   npx tsx bench/indexer-node.ts                                  # 100,000 contributions, 10,000 payments
 *   npx tsx bench/indexer-node.ts --contributions 5000 --payments 500 --port 8747
 *
 * The fill: the demo (deployed and played by `hardhat demo`), one open datanet owned by account 0,
 * contributions from accounts 1-8 through `submitContributions` (batches of 100) accepted by
 * account 0 through `acceptContributions` (batches of 100), payments to model 1 through `pay` from
 * accounts 11-14. Every one is a real transaction through the deployed contracts, emitting the
 * events the indexer reads. To make that fast without changing what is indexed: automine is off
 * and blocks are mined by hand (`evm_mine`) while the transactions stream in, so hundreds go in a
 * block; each account's transactions are sent with explicit nonces as raw `eth_sendTransaction`
 * calls (JSON-RPC batches, no wait for each receipt, gas limits estimated once per kind); the
 * senders run side by side. The base fee is pinned before each block (full blocks would otherwise
 * raise it past what queued transactions offered). Nothing is assumed to have succeeded: the
 * events are counted afterwards (one per contribution submitted, one per acceptance, one per
 * payment) and a shortfall fails the run.
 *
 * Each catch-up runs in a child process (bench/indexer-catchup.ts), so peakRssMB is the indexer's
 * own peak (the larger of the two catch-ups), not this filler's. The API is measured over HTTP on
 * 127.0.0.1 against each index: contributor summaries of the 8 contributors (12,500 contributions
 * each at full size) and pages of model 1's payments; summaryP95Ms and paymentsPageP95Ms are the
 * SQLite index's, as in bench/indexer.ts, the PostgreSQL ones are printed beside them.
 * `ledger show --datanet <id> --indexer <api> --json` is timed end to end through the fast entry
 * that does not load Hardhat, `openledger ledger show` (bin/openledger.js run by this Node, with
 * OPENLEDGER_FAST_ONLY=1 so that it cannot hand the command to Hardhat): the process from spawn to
 * exit, median of 3, after one untimed run that builds its bundle when an input changed.
 * ledgerShowMs is the default command, which lists the datanet's first 1,000 contributions and
 * counts them all (it must say every contribution matched and 1,000 listed); ledgerShowAllMs is
 * the same with `--all` (it must list every one), median of 3. One run of `hardhat ledger show`
 * with the default options is timed beside it (printed, not in the JSON) and must print the same
 * bytes. PostgreSQL is the throwaway cluster of scripts/pg-test-cluster.sh
 * (PG_TEST_PORT, or PG_TEST_URL for a running one). The load average is printed with the figures.
 */
import { Agent } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { FetchRequest, type Interface, JsonRpcProvider, toBeHex, toQuantity, type Log } from "ethers";
import { startApi } from "../src/indexer/api.js";
import { openDatabase } from "../src/indexer/db.js";
import { createDatanet } from "../src/sdk/datanets.js";
import { connectSuite, loadAddresses, withRunner } from "../src/sdk/suite.js";
import { postgresUrl } from "../test/helpers/indexerDb.js";
import { runChild } from "./child.js";
import { p95, paymentPagePaths, timeGets } from "./timing.js";
import { ROOT, rpc, runHardhat, runOpenledger, startHardhatNode } from "../test/helpers/localNode.js";

const { values: args } = parseArgs({
  options: {
    contributions: { type: "string", default: "100000" },
    payments: { type: "string", default: "10000" },
    port: { type: "string", default: process.env.INDEXER_NODE_BENCH_PORT ?? "8631" },
    "api-port": { type: "string", default: process.env.INDEXER_NODE_BENCH_API_PORT ?? "8632" },
    quiet: { type: "boolean", default: false },
  },
});
const contributions = Number(args.contributions);
const payments = Number(args.payments);
if (
  !Number.isSafeInteger(contributions) ||
  contributions < 100 ||
  !Number.isSafeInteger(payments) ||
  payments < 1
) {
  console.error("indexer-node: --contributions must be a whole number >= 100 and --payments >= 1");
  process.exit(2);
}
const say = (line: string) => {
  if (!args.quiet) console.error(line);
};
const BATCH = 100;
/** Accounts of the node's 20: 0 owns the datanet, 1-8 contribute, 11-14 pay (9 and 10 are the demo's app and relayer). */
const CONTRIBUTORS = [1, 2, 3, 4, 5, 6, 7, 8];
const PAYERS = [11, 12, 13, 14];
/**
 * Sends in flight per account (ethers packs them into JSON-RPC batches of up to 100 calls or 1 MB):
 * at most 400 and about 1 MB of calldata, so a stream of 100-item batches keeps ~25 in flight (the
 * node drops the connection, EPIPE, when tens of MB of transactions are in flight at once).
 */
const IN_FLIGHT = 400;
const IN_FLIGHT_BYTES = 1_000_000;
/** Offered gas price; the base fee is pinned to BASE_FEE before every block, so all are includable. */
const GAS_PRICE = 2_000_000_000n;
const BASE_FEE = 1_000_000_000n;

/** What one account sends: the same `to` and gas limit, one transaction per calldata, in order. */
interface Stream {
  from: string;
  to: string;
  gas: bigint;
  data: string[];
}

/**
 * Sends streams of transactions with automine off and mines blocks by hand while they arrive,
 * until every account's mined nonce has caught up with what it sent.
 */
class Pump {
  blocks = 0;
  constructor(private readonly provider: JsonRpcProvider) {}

  async run(streams: Stream[]): Promise<void> {
    const target = new Map<string, number>();
    let sending = true;
    let failed: unknown;
    const senders = Promise.all(
      streams.map(async (s) => {
        let nonce = Number(await this.provider.send("eth_getTransactionCount", [s.from, "latest"]));
        target.set(s.from, nonce + s.data.length);
        const window = Math.max(
          1,
          Math.min(IN_FLIGHT, Math.floor(IN_FLIGHT_BYTES / (s.data[0]?.length ?? 1))),
        );
        for (let k = 0; k < s.data.length; k += window) {
          await Promise.all(
            s.data.slice(k, k + window).map((data) =>
              this.provider.send("eth_sendTransaction", [
                {
                  from: s.from,
                  to: s.to,
                  data,
                  gas: toQuantity(s.gas),
                  gasPrice: toQuantity(GAS_PRICE),
                  nonce: toQuantity(nonce++),
                },
              ]),
            ),
          );
        }
      }),
    ).then(
      () => (sending = false),
      (error: unknown) => {
        failed = error;
        sending = false;
      },
    );
    // The miner: a block whenever an account has sent more than is mined.
    for (;;) {
      if (failed !== undefined) throw new Error("a transaction could not be sent", { cause: failed });
      const behind = await Promise.all(
        [...target].map(
          async ([from, want]) =>
            Number(await this.provider.send("eth_getTransactionCount", [from, "latest"])) < want,
        ),
      );
      const busy = behind.some(Boolean);
      if (!busy && !sending) break;
      if (busy) {
        await this.provider.send("hardhat_setNextBlockBaseFeePerGas", [toQuantity(BASE_FEE)]);
        await this.provider.send("evm_mine", []);
        this.blocks++;
      } else await new Promise((r) => setTimeout(r, 20));
    }
    await senders;
    if (failed !== undefined) throw new Error("a transaction could not be sent", { cause: failed });
  }
}

const loadAverageBefore = loadavg().map((x) => Math.round(x * 100) / 100);
// A node left on the port (a killed run) would answer in place of the one started here.
if (
  await rpc(`http://127.0.0.1:${args.port}`, "eth_chainId").then(
    () => true,
    () => false,
  )
) {
  console.error(`indexer-node: something already answers on 127.0.0.1:${args.port}: stop it or pass --port`);
  process.exit(2);
}
const node = await startHardhatNode(Number(args.port));
const deploymentId = `bench-indexer-node-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), "bench-indexer-node-"));
const started = performance.now();
try {
  const demo = await runHardhat(
    ["demo", "--network", "localhost", "--deployment-id", deploymentId, "--json"],
    { LOCALHOST_RPC_URL: node.url },
  );
  if (demo.code !== 0) throw new Error(`the demo failed:\n${demo.output}`);
  say(`demo played: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // A connection a request, no keep-alive: under load the node closes idle keep-alive sockets just
  // as the next batch is written to them (ECONNRESET/EPIPE); a fresh connection has no such race.
  const connection = new FetchRequest(node.url);
  connection.getUrlFunc = FetchRequest.createGetUrlFunc({ agent: new Agent({ keepAlive: false }) });
  const provider = new JsonRpcProvider(connection, undefined, { staticNetwork: true, batchMaxCount: 100 });
  const chainId = (await provider.getNetwork()).chainId;
  const addresses = await loadAddresses({ chainId, deploymentId, root: ROOT });
  const accounts = (await provider.send("eth_accounts", [])) as string[];
  const owner = await provider.getSigner(accounts[0]);
  const suite = connectSuite(addresses, owner);

  // Set-up, mined one by one as usual: the datanet, the payers' tokens and allowances.
  const { datanetId } = await createDatanet(suite, { metadataURI: "ipfs://bench/datanet", licence: 31 });
  // What one unit of model 1 costs: a pay simulated from account 0 (which holds the rest of the supply).
  await (await suite.token.approve(addresses.distributor, 2n ** 255n)).wait();
  const price = await suite.distributor.pay.staticCall(1n, 1n, 2n ** 128n);
  const perPayer = price * BigInt(Math.ceil(payments / PAYERS.length) + 1);
  for (const p of PAYERS) {
    await (await suite.token.transfer(accounts[p], perPayer)).wait();
    const payer = withRunner(suite, await provider.getSigner(accounts[p]));
    await (await payer.token.approve(addresses.distributor, 2n ** 255n)).wait();
  }
  const fillFrom = (await provider.getBlockNumber()) + 1;

  const submitData = (b: number) =>
    suite.datanets.interface.encodeFunctionData("submitContributions", [
      datanetId,
      Array.from({ length: Math.min(BATCH, contributions - b * BATCH) }, (_, i) => ({
        contentHash: `0x${(b * BATCH + i + 1).toString(16).padStart(64, "0")}`,
        uri: `ipfs://bench/${b * BATCH + i}`,
        size: 1_000,
        kind: 0,
      })),
    ]);
  const payData = suite.distributor.interface.encodeFunctionData("pay", [1n, 1n, 2n ** 128n]);
  const acceptData = (ids: string[]) =>
    suite.datanets.interface.encodeFunctionData("acceptContributions", [datanetId, ids]);
  // Gas limits: estimated once per kind on the mined state (1.5x: later batches write to warmer
  // or colder slots), so no send re-executes a pending block of hundreds of transactions.
  const estimate = async (from: string, to: string, data: string) =>
    (BigInt(await provider.send("eth_estimateGas", [{ from, to, data }])) * 3n) / 2n;
  const gas = {
    submit: await estimate(accounts[CONTRIBUTORS[0]], addresses.datanets, submitData(0)),
    pay: await estimate(accounts[PAYERS[0]], addresses.distributor, payData),
  };

  await provider.send("evm_setAutomine", [false]);
  const chain = new Pump(provider);
  const fill = performance.now();
  const batches = Math.ceil(contributions / BATCH);
  // Contributions and payments stream in side by side, one sender per account.
  await chain.run([
    ...CONTRIBUTORS.map((a, c) => ({
      from: accounts[a],
      to: addresses.datanets,
      gas: gas.submit,
      data: Array.from({ length: batches }, (_, b) => b)
        .filter((b) => b % CONTRIBUTORS.length === c)
        .map(submitData),
    })),
    ...PAYERS.map((a, p) => ({
      from: accounts[a],
      to: addresses.distributor,
      gas: gas.pay,
      data: Array.from(
        { length: Math.floor(payments / PAYERS.length) + (p < payments % PAYERS.length ? 1 : 0) },
        () => payData,
      ),
    })),
  ]);
  const topic = (contract: "datanets" | "distributor", name: string) =>
    (suite[contract].interface as Interface).getEvent(name)!.topicHash;
  const submittedLogs = await logsOf(
    provider,
    addresses.datanets,
    topic("datanets", "ContributionSubmitted"),
    datanetId,
    fillFrom,
  );
  const paidLogs = await logsOf(provider, addresses.distributor, topic("distributor", "Paid"), 1n, fillFrom);
  if (submittedLogs.length !== contributions)
    throw new Error(
      `${submittedLogs.length} of ${contributions} contributions were submitted: a batch reverted`,
    );
  if (paidLogs.length !== payments)
    throw new Error(`${paidLogs.length} of ${payments} payments went through: one reverted`);
  say(
    `submitted ${contributions} contributions and made ${payments} payments in ${((performance.now() - fill) / 1000).toFixed(1)} s`,
  );
  const ids = submittedLogs.map((l) => l.topics[2]);
  gas.submit = await estimate(accounts[0], addresses.datanets, acceptData(ids.slice(0, BATCH)));
  await chain.run([
    {
      from: accounts[0],
      to: addresses.datanets,
      gas: gas.submit,
      data: Array.from({ length: batches }, (_, b) => acceptData(ids.slice(b * BATCH, (b + 1) * BATCH))),
    },
  ]);
  const acceptedLogs = await logsOf(
    provider,
    addresses.datanets,
    topic("datanets", "ContributionAccepted"),
    datanetId,
    fillFrom,
  );
  if (acceptedLogs.length !== contributions)
    throw new Error(
      `${acceptedLogs.length} of ${contributions} contributions were accepted: a batch reverted`,
    );
  await provider.send("evm_setAutomine", [true]);
  const fillSeconds = (performance.now() - fill) / 1000;
  const head = await provider.getBlockNumber();
  say(
    `accepted them: chain at block ${head} (${chain.blocks} blocks mined by the fill) after ${fillSeconds.toFixed(1)} s`,
  );
  provider.destroy();

  // ---------------------------------------------------------------- catch-up, API, ledger show
  const addressesFile = join(dir, "addresses.json");
  writeFileSync(addressesFile, JSON.stringify(addresses));
  const sqlitePath = join(dir, "index.sqlite");
  const pg = await freshPostgres();
  const runs: Record<string, Record<string, number>> = {};
  for (const [kind, url] of [
    ["sqlite", sqlitePath],
    ["postgres", pg.url],
  ] as const) {
    runs[kind] = await catchUpChild(node.url, addressesFile, url, kind);
  }
  const contributorAddresses = CONTRIBUTORS.map((a) => accounts[a]);
  const latency: Record<string, { summary: number; page: number }> = {};
  let ledgerShowMs = 0;
  let ledgerShowAllMs = 0;
  const ledgerShowRuns: number[] = [];
  const ledgerShowAllRuns: number[] = [];
  for (const [kind, url] of [
    ["sqlite", sqlitePath],
    ["postgres", pg.url],
  ] as const) {
    const db = await openDatabase(url);
    const api = await startApi(db, Number(args["api-port"]));
    try {
      const summary = await timeGets(
        api.url,
        Array.from(
          { length: 200 },
          (_, i) => `/contributors/${contributorAddresses[i % contributorAddresses.length]}`,
        ),
      );
      const pages = await paymentPagePaths(api.url, 1, 200);
      const page = await timeGets(api.url, pages);
      latency[kind] = { summary: p95(summary), page: p95(page) };
      say(
        `  ${kind} API: contributor summary p95 ${latency[kind].summary} ms, payments page p95 ${latency[kind].page} ms`,
      );
      if (kind === "sqlite") {
        const show = (entry: "openledger" | "hardhat", all: boolean) =>
          timeLedgerShow(entry, node.url, deploymentId, datanetId, api.url, all);
        const fast = await show("openledger", false);
        for (let i = 0; i < 3; i++) ledgerShowRuns.push((await show("openledger", false)).ms);
        ledgerShowMs = median(ledgerShowRuns);
        for (let i = 0; i < 3; i++) ledgerShowAllRuns.push((await show("openledger", true)).ms);
        ledgerShowAllMs = median(ledgerShowAllRuns);
        const viaHardhat = await show("hardhat", false);
        if (viaHardhat.output !== fast.output)
          throw new Error("openledger ledger show and hardhat ledger show printed different output");
        const ms = (runs: number[]) => runs.map((x) => Math.round(x)).join(", ");
        say(
          `  openledger ledger show --datanet ${datanetId} --indexer: ${ms(ledgerShowRuns)} ms, with --all ${ms(ledgerShowAllRuns)} ms (hardhat ledger show: ${Math.round(viaHardhat.ms)} ms, the same output; load ${loadavg()[0].toFixed(2)})`,
        );
      }
    } finally {
      await api.close();
      await db.close();
    }
  }
  await pg.drop();

  console.log(
    JSON.stringify({
      embeddedEventsPerSecond: runs.sqlite.eventsPerSecond,
      postgresEventsPerSecond: runs.postgres.eventsPerSecond,
      summaryP95Ms: latency.sqlite.summary,
      paymentsPageP95Ms: latency.sqlite.page,
      peakRssMB: Math.max(runs.sqlite.peakRssMB, runs.postgres.peakRssMB),
      ledgerShowMs: Math.round(ledgerShowMs),
      ledgerShowAllMs: Math.round(ledgerShowAllMs),
      postgresSummaryP95Ms: latency.postgres.summary,
      postgresPaymentsPageP95Ms: latency.postgres.page,
      embeddedPeakRssMB: runs.sqlite.peakRssMB,
      postgresPeakRssMB: runs.postgres.peakRssMB,
      events: runs.sqlite.events,
      blocks: head,
      contributions,
      payments,
      fillSeconds: Math.round(fillSeconds),
      totalSeconds: Math.round((performance.now() - started) / 1000),
      loadAverageBefore,
      loadAverageAfter: loadavg().map((x) => Math.round(x * 100) / 100),
    }),
  );
} finally {
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(resolve(ROOT, "deploy/deployments", deploymentId), { recursive: true, force: true });
}

/** Logs of the event `topic0` at `address` whose first indexed argument is `first`, from `fromBlock`. */
async function logsOf(
  provider: JsonRpcProvider,
  address: string,
  topic0: string,
  first: bigint,
  fromBlock: number,
): Promise<Log[]> {
  const head = await provider.getBlockNumber();
  const out: Log[] = [];
  for (let from = fromBlock; from <= head; from += 50) {
    out.push(
      ...(await provider.getLogs({
        address,
        topics: [topic0, toBeHex(first, 32)],
        fromBlock: from,
        toBlock: Math.min(head, from + 49),
      })),
    );
  }
  return out;
}

/** Runs bench/indexer-catchup.ts in a child process; resolves with its JSON line. */
async function catchUpChild(rpc: string, addressesFile: string, database: string, label: string) {
  const run = await runChild(
    [
      "bench/indexer-catchup.ts",
      ...["--rpc", rpc, "--addresses", addressesFile, "--database", database, "--label", label],
      ...(args.quiet ? ["--quiet"] : []),
    ],
    { cwd: ROOT },
  );
  return run as Record<string, number>;
}

/**
 * Wall time of `<entry> ledger show --datanet <id> --indexer <api> --json [--all]` from spawn to
 * exit (ms) and what it printed; `openledger` is bin/openledger.js with OPENLEDGER_FAST_ONLY=1.
 * Without `all` it must list the first 1,000 (the default bound) and count every contribution.
 */
async function timeLedgerShow(
  entry: "openledger" | "hardhat",
  rpc: string,
  deployment: string,
  datanetId: bigint,
  api: string,
  all: boolean,
): Promise<{ ms: number; output: string }> {
  const args = [
    "ledger",
    "show",
    "--network",
    "localhost",
    "--deployment",
    deployment,
    "--datanet",
    String(datanetId),
    "--indexer",
    api,
    "--json",
    ...(all ? ["--all"] : []),
  ];
  const t = performance.now();
  const run =
    entry === "openledger"
      ? await runOpenledger(args, { LOCALHOST_RPC_URL: rpc })
      : await runHardhat(args, { LOCALHOST_RPC_URL: rpc });
  const ms = performance.now() - t;
  if (run.code !== 0) throw new Error(`${entry} ledger show failed:\n${run.output.slice(-2000)}`);
  const view = JSON.parse(run.output.slice(run.output.indexOf("{"))) as {
    datanets: { contributions?: unknown[]; contributionsMatched?: number; contributionsNotListed?: number }[];
  };
  const [datanet] = view.datanets;
  const shown = datanet?.contributions?.length;
  const listed = all ? contributions : Math.min(contributions, 1_000);
  if (
    shown !== listed ||
    datanet.contributionsMatched !== contributions ||
    datanet.contributionsNotListed !== contributions - listed
  )
    throw new Error(
      `${entry} ledger show${all ? " --all" : ""} listed ${String(shown)} of ${String(datanet?.contributionsMatched)} matched (not listed: ${String(datanet?.contributionsNotListed)}); expected ${listed} of ${contributions}`,
    );
  return { ms, output: run.output };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** A fresh database in the throwaway PostgreSQL cluster (scripts/pg-test-cluster.sh). */
async function freshPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = await openDatabase(postgresUrl());
  const name = `bench_node_${process.pid}`;
  await admin.exec(`DROP DATABASE IF EXISTS ${name}`);
  await admin.exec(`CREATE DATABASE ${name}`);
  const url = new URL(postgresUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.exec(`DROP DATABASE IF EXISTS ${name}`);
      await admin.close();
    },
  };
}

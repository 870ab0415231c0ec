import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { id, type JsonRpcProvider } from "ethers";
import { handle, startApi } from "../../src/indexer/api.js";
import { openDatabase, type SqlDatabase } from "../../src/indexer/db.js";
import { isRangeTooLarge, MAX_LOGS_ANSWER_BYTES, RpcLogSource } from "../../src/indexer/source.js";
import { Indexer } from "../../src/indexer/sync.js";
import { readSuiteEvents } from "../../src/sdk/read/events.js";
import { buildLedger, type Ledger } from "../../src/sdk/read/ledger.js";
import { connectResilient } from "../../src/sdk/transport/provider.js";
import { compareEvents, INDEXER_ENV } from "../../src/sdk/read/indexer.js";
import { connectSuite, type SuiteAddresses } from "../../src/sdk/suite.js";
import { verifyIndex } from "../../src/verifier/index.js";
import {
  datanetLedgerView,
  filterContributions,
  ledgerView,
  limitContributions,
  type LedgerView,
} from "../../src/provenance/index.js";
import { SETTLEMENT_LEAF_ENCODING, SETTLEMENT_LEAF_TAG } from "../../src/merkle/index.js";
import { NodeUnreachableError } from "../../src/sdk/transport/retry.js";
import { FlakyProxy } from "../helpers/flakyProxy.js";
import { dumpIndex, fresh, freshSqlite } from "../helpers/indexerDb.js";
import {
  freePort,
  ROOT,
  rpc,
  runHardhat,
  runOpenledger,
  spawnHardhat,
  startHardhatNode,
  type LocalNode,
} from "../helpers/localNode.js";

/**
 * Ports of this suite (8641-8649 are the indexer's unless INDEXER_E2E_PORT moves the range): the
 * node and the CLI's API.
 */
const PORT_BASE = Number(process.env.INDEXER_E2E_PORT ?? 8641);
const NODE_PORT = PORT_BASE;
const API_PORT = PORT_BASE + 2;
const READ_API_PORT = PORT_BASE + 5;

describe("Indexer against a real hardhat node on 127.0.0.1", function () {
  this.timeout(600_000);
  let node: LocalNode;
  let provider: JsonRpcProvider;
  let addresses: SuiteAddresses;
  let ledger: Ledger;
  const deploymentId = `indexer-e2e-${process.pid}`;
  const env = () => ({ LOCALHOST_RPC_URL: node.url });
  const indexerCli = (database: string) => [
    "indexer",
    "--network",
    "localhost",
    "--deployment",
    deploymentId,
    "--database",
    database,
  ];
  const open: SqlDatabase[] = [];

  async function index(url: string, rpcUrl = node.url, confirmations = 0) {
    const db = await openDatabase(url);
    open.push(db);
    const p = rpcUrl === node.url ? provider : await connectResilient(rpcUrl);
    const indexer = await Indexer.open({
      db,
      source: new RpcLogSource(p, rpcUrl),
      addresses,
      confirmations,
      progressEveryMs: 0,
    });
    const stats = await indexer.catchUp();
    return { db, indexer, stats };
  }

  before(async function () {
    node = await startHardhatNode(NODE_PORT);
    const demo = await runHardhat(
      ["demo", "--network", "localhost", "--deployment-id", deploymentId, "--json"],
      env(),
    );
    expect(demo.code, demo.output).to.equal(0);
    const report = JSON.parse(demo.output.slice(demo.output.indexOf("{\n"))) as { contracts: SuiteAddresses };
    addresses = report.contracts;
    provider = await connectResilient(node.url);
    ledger = buildLedger(await readSuiteEvents(connectSuite(addresses, provider), provider));
  });

  afterEach(async function () {
    while (open.length) await open.pop()!.close();
  });

  after(async function () {
    provider?.destroy();
    await node?.stop();
    rmSync(resolve(ROOT, "deploy/deployments", deploymentId), { recursive: true, force: true });
  });

  for (const kind of ["sqlite", "postgres"] as const) {
    it(`catchUp into ${kind} should hold the same provenance graph as the SDK rebuilds from the logs`, async function () {
      const { db, stats } = await index(await fresh(kind));
      expect(stats.events).to.be.greaterThan(30);
      const count = async (sql: string) => Number((await db.all<{ n: number }>(sql))[0].n);
      const contributions = [...ledger.datanets.values()].flatMap((d) => [...d.contributions.values()]);
      expect(await count("SELECT COUNT(*) AS n FROM datanets")).to.equal(ledger.datanets.size);
      expect(await count("SELECT COUNT(*) AS n FROM contributions")).to.equal(contributions.length);
      for (const c of contributions) {
        const [row] = await db.all<{ status: string; contributor: string }>(
          "SELECT status, contributor FROM contributions WHERE datanet_id = ? AND contribution_id = ?",
          [Number(c.datanetId), c.contributionId],
        );
        expect(row, c.contributionId).to.deep.equal({ status: c.status, contributor: c.contributor });
      }
      expect(await count("SELECT COUNT(*) AS n FROM versions")).to.equal(
        [...ledger.datanets.values()].reduce((s, d) => s + d.versions.length, 0),
      );
      expect(await count("SELECT COUNT(*) AS n FROM models")).to.equal(ledger.models.size);
      expect(await count("SELECT COUNT(*) AS n FROM payments")).to.equal(ledger.payments.length);
      expect(await count("SELECT COUNT(*) AS n FROM royalties")).to.equal(ledger.royalties.length);
      // One row a commit (a voided commitment and its re-commit are two); the ledger keeps the
      // latest of each (model, epoch).
      expect(
        await count("SELECT COUNT(*) AS n FROM (SELECT DISTINCT model_id, epoch FROM commitments) AS pairs"),
      ).to.equal(ledger.commitments.size);
      expect(await count("SELECT COUNT(*) AS n FROM finalisations")).to.equal(ledger.finalized.size);
      expect(await count("SELECT COUNT(*) AS n FROM settlements")).to.equal(ledger.settlements.length);
      expect(await count("SELECT COUNT(*) AS n FROM claims")).to.equal(ledger.claims.length);
      expect(await count("SELECT COUNT(*) AS n FROM withdrawals")).to.equal(ledger.withdrawals.length);
      expect(await count("SELECT COUNT(*) AS n FROM roll_forwards")).to.equal(ledger.rolls.length);
      const paid = await db.all<{ amount: string; contributor_share: string }>(
        "SELECT amount, contributor_share FROM payments ORDER BY block_number, log_index",
      );
      expect(paid.map((p) => [p.amount, p.contributor_share])).to.deep.equal(
        ledger.payments.map((p) => [p.amount.toString(), p.contributorShare.toString()]),
      );
    });
  }

  for (const kind of ["sqlite", "postgres"] as const) {
    it(`the staking rows and OPEN transfers in ${kind} should give each pool's OPEN as pool(), every stake the SDK folds and balanceOf`, async function () {
      const { db } = await index(await fresh(kind));
      const suite = connectSuite(addresses, provider);
      const get = async <T>(path: string) => {
        const r = await handle(db, "GET", path);
        expect(r.code, `${path}: ${JSON.stringify(r.body)}`).to.equal(200);
        return r.body as T;
      };
      const operators =
        await get<{ operator: string; assets: string; listed: boolean; slashed: string }[]>(
          "/staking/operators",
        );
      expect(operators.map((o) => o.operator).sort()).to.deep.equal(
        [...ledger.staking.operators.keys()].sort(),
      );
      for (const o of operators) {
        const pool = await suite.staking.pool(o.operator);
        expect(o.assets, o.operator).to.equal(pool.assets.toString());
        expect(o.listed, o.operator).to.equal(pool.listed);
        const slashed = ledger.staking.slashes
          .filter((x) => x.operator === o.operator)
          .reduce((sum, x) => sum + x.slashed, 0n);
        expect(o.slashed).to.equal(slashed.toString());
      }
      expect(ledger.staking.slashes.length, "the demo slashes an operator").to.be.greaterThan(0);
      for (const [key, stake] of ledger.staking.stakes) {
        const [operator, account] = key.split("/");
        const view = await get<{
          positions: { operator: string; staked: string; withdrawn: string; rewardsClaimed: string }[];
        }>(`/staking/accounts/${account}`);
        const p = view.positions.find((x) => x.operator === operator)!;
        expect([p.staked, p.withdrawn, p.rewardsClaimed], key).to.deep.equal([
          stake.staked.toString(),
          stake.withdrawn.toString(),
          stake.rewardsClaimed.toString(),
        ]);
      }
      const totals = await get<{
        staking: Record<string, string>;
        stakersReleased: string;
        token: { supply: string };
      }>("/totals");
      expect(totals.staking.rewardsReceived).to.equal(ledger.staking.rewardsReceived.toString());
      expect(totals.staking.rewardsToPools).to.equal(ledger.staking.rewardsToPools.toString());
      expect(totals.staking.commissionClaimed).to.equal(ledger.staking.commissionClaimed.toString());
      expect(totals.stakersReleased).to.equal(ledger.staking.releasedByDistributor.toString());
      expect(totals.staking.inPools).to.equal((await suite.staking.totals()).staked.toString());
      expect(totals.token.supply).to.equal((await suite.token.totalSupply()).toString());
      const holders = await db.all<{ a: string }>(
        "SELECT to_address AS a FROM token_transfers UNION SELECT from_address AS a FROM token_transfers",
      );
      expect(holders.length).to.be.greaterThan(5);
      for (const { a } of holders) {
        if (a === "0x0000000000000000000000000000000000000000") continue;
        const b = await get<{ balance: string }>(`/token/balances/${a}`);
        expect(b.balance, a).to.equal((await suite.token.balanceOf(a)).toString());
      }
      // A contribution by its id alone, and by its content hash alone (the indexes of schema 2).
      const c = [...ledger.datanets.values()].flatMap((d) => [...d.contributions.values()])[0];
      for (const q of [`id=${c.contributionId}`, `content=${c.contentHash}`]) {
        const page = await get<{ items: { contributionId: string }[] }>(`/contributions?${q}`);
        expect(
          page.items.map((x) => x.contributionId),
          q,
        ).to.include(c.contributionId.toLowerCase());
      }
    });
  }

  it("GET /contributors/:address should sum the claims and give a proof that verifies against the latest settlement root", async function () {
    const { db } = await index(freshSqlite());
    const latest = ledger.settlements.at(-1)!;
    const contributors = [
      ...new Set(
        [...ledger.datanets.values()].flatMap((d) => [...d.contributions.values()].map((c) => c.contributor)),
      ),
    ];
    let proved = 0;
    for (const who of contributors) {
      const { code, body } = await handle(db, "GET", `/contributors/${who}`);
      expect(code).to.equal(200);
      const s = body as {
        earned: { total: string };
        usedBy: { modelId: number }[];
        claimable: {
          inSettlement: boolean;
          cumulativeAmount?: string;
          nextAccount?: string;
          prefixBefore?: string;
          amount: string;
          proof?: string[];
          settlementId: number;
        } | null;
      };
      const claimed = ledger.claims.filter((c) => c.account === who).reduce((t, c) => t + c.amount, 0n);
      expect(s.earned.total, who).to.equal(claimed.toString());
      expect(s.claimable!.settlementId).to.equal(Number(latest.id));
      if (s.claimable!.inSettlement) {
        expect(
          StandardMerkleTree.verify(
            latest.root,
            [...SETTLEMENT_LEAF_ENCODING],
            [
              SETTLEMENT_LEAF_TAG,
              who,
              s.claimable!.cumulativeAmount!,
              s.claimable!.nextAccount!,
              s.claimable!.prefixBefore!,
            ],
            s.claimable!.proof!,
          ),
        ).to.equal(true);
        const owed = await connectSuite(addresses, provider).distributor.claimable(
          who,
          BigInt(s.claimable!.cumulativeAmount!),
        );
        expect(s.claimable!.amount).to.equal(owed.toString());
        proved++;
      }
    }
    expect(proved).to.be.greaterThan(0);
    const accepted = [...ledger.datanets.values()]
      .flatMap((d) => [...d.contributions.values()])
      .find((c) => c.status === "Accepted")!;
    const { body } = await handle(db, "GET", `/contributors/${accepted.contributor}`);
    expect((body as { usedBy: unknown[] }).usedBy.length).to.be.greaterThan(0);
  });

  it("a reorg made with evm_snapshot/evm_revert should be undone: the index equals a fresh one of the new chain", async function () {
    const url = freshSqlite();
    const { db, indexer } = await index(url);
    const suite = connectSuite(addresses, await provider.getSigner(0));
    const snapshot = await rpc<string>(node.url, "evm_snapshot");
    await (await suite.datanets.createDatanet("ipfs://fork-a", 1, 0)).wait();
    await (await suite.datanets.createDatanet("ipfs://fork-a-2", 1, 0)).wait();
    await indexer.catchUp();
    const forkA = await db.all<{ metadata_uri: string }>(
      "SELECT metadata_uri FROM datanets WHERE metadata_uri LIKE 'ipfs://fork-%'",
    );
    expect(forkA.map((r) => r.metadata_uri)).to.deep.equal(["ipfs://fork-a", "ipfs://fork-a-2"]);
    await rpc(node.url, "evm_revert", [snapshot]);
    await (await suite.datanets.createDatanet("ipfs://fork-b", 1, 0)).wait();
    for (let i = 0; i < 3; i++) await rpc(node.url, "evm_mine");
    const lines: string[] = [];
    const again = await Indexer.open({
      db,
      source: new RpcLogSource(provider, node.url),
      addresses,
      progressEveryMs: 0,
      log: (l) => lines.push(l),
    });
    const stats = await again.catchUp();
    expect(stats.reorgs).to.equal(1);
    expect(lines.filter((l) => l.startsWith("reorg:"))).to.have.length(1);
    const forkB = await db.all<{ metadata_uri: string }>(
      "SELECT metadata_uri FROM datanets WHERE metadata_uri LIKE 'ipfs://fork-%'",
    );
    expect(forkB.map((r) => r.metadata_uri)).to.deep.equal(["ipfs://fork-b"]);
    const { db: freshDb } = await index(freshSqlite());
    expect(await dumpIndex(db)).to.deep.equal(await dumpIndex(freshDb));
  });

  it("a node that drops and refuses requests should be retried (the SDK's policy) to the same index, and one that stays down should fail in one line", async function () {
    const previous = process.env.RPC_RETRY_DELAY_MS;
    process.env.RPC_RETRY_DELAY_MS = "20";
    const proxy = await FlakyProxy.start(node.url);
    try {
      proxy.fail("eth_getLogs", "close", { times: 2 });
      proxy.fail("eth_getBlockByNumber", "http-503", { times: 2 });
      proxy.fail("eth_blockNumber", "drop-response", { times: 1 });
      const { db: flaky } = await index(freshSqlite(), proxy.url);
      expect(proxy.count("eth_getLogs", "close")).to.equal(2);
      expect(proxy.count("eth_getBlockByNumber", "http-503")).to.equal(2);
      const { db: direct } = await index(freshSqlite());
      expect(await dumpIndex(flaky)).to.deep.equal(await dumpIndex(direct));
      const p = await connectResilient(proxy.url);
      const db = await openDatabase(freshSqlite());
      open.push(db);
      const indexer = await Indexer.open({
        db,
        source: new RpcLogSource(p, proxy.url),
        addresses,
        progressEveryMs: 0,
      });
      await proxy.down();
      const error = await indexer.catchUp().then(
        () => undefined,
        (e: unknown) => e,
      );
      p.destroy();
      expect(error).to.be.instanceOf(NodeUnreachableError);
      expect((error as Error).message).to.match(
        /^node at http:\/\/127\.0\.0\.1:\d+ unreachable after 5 attempts \(eth_\w+: connection (refused|closed)\): /,
      );
      expect((error as Error).message).to.not.include("\n");
      expect((await indexer.cursor()).number).to.equal(-1);
    } finally {
      await proxy.down();
      if (previous === undefined) delete process.env.RPC_RETRY_DELAY_MS;
      else process.env.RPC_RETRY_DELAY_MS = previous;
    }
  });

  it("an eth_getLogs answer over maxResponseBytes should be refused in one line and its range split, to the same index", async function () {
    // An answer over the limit is refused with a message the indexer reads as "range too large".
    const small = await connectResilient(node.url, { maxResponseBytes: 2_048 });
    const refused = await small
      .send("eth_getLogs", [{ address: [addresses.datanets], fromBlock: "0x0", toBlock: "latest" }])
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(refused?.message).to.match(/over the response size limit of 2048 bytes: ask for less/);
    expect(isRangeTooLarge(refused)).to.equal(true);
    small.destroy();
    const limited = await connectResilient(node.url, { maxResponseBytes: MAX_LOGS_ANSWER_BYTES / 1024 });
    const source = new RpcLogSource(limited, node.url);
    const read = source.logs.bind(source);
    let refusals = 0;
    source.logs = async (...range) => {
      try {
        return await read(...range);
      } catch (error) {
        if (isRangeTooLarge(error)) refusals++;
        throw error;
      }
    };
    const db = await openDatabase(freshSqlite());
    open.push(db);
    const indexer = await Indexer.open({
      db,
      source,
      addresses,
      chunk: 10_000,
      progressEveryMs: 0,
    });
    await indexer.catchUp();
    limited.destroy();
    expect(refusals, "the whole chain in one answer is over 16 kB").to.be.greaterThan(0);
    const { db: direct } = await index(freshSqlite());
    // Every row the same; only `blocks` (the hash of each range's last block, kept for reorgs)
    // has more entries, one a range.
    const rows = async (d: SqlDatabase) => ({ ...(await dumpIndex(d)), blocks: [] });
    expect(await rows(db)).to.deep.equal(await rows(direct));
  });

  it("readSuiteEvents with an indexer configured should give the logs' events: the index up to its cursor, the rest from the logs", async function () {
    const { db, indexer } = await index(freshSqlite(), node.url, 3);
    const head = Number(await rpc<string>(node.url, "eth_blockNumber"));
    expect((await indexer.cursor()).number).to.equal(head - 3);
    const api = await startApi(db, READ_API_PORT);
    const previous = process.env[INDEXER_ENV];
    try {
      const suite = connectSuite(addresses, provider);
      const fromLogs = await readSuiteEvents(suite, provider, { indexer: false });
      const viaOption = await readSuiteEvents(suite, provider, { indexer: api.url });
      process.env[INDEXER_ENV] = api.url;
      const viaEnv = await readSuiteEvents(suite, provider);
      for (const events of [viaOption, viaEnv]) {
        expect(events.map((e) => `${e.blockNumber}.${e.logIndex}`)).to.deep.equal(
          fromLogs.map((e) => `${e.blockNumber}.${e.logIndex}`),
        );
        expect(compareEvents(fromLogs, events)).to.deep.equal([]);
        const a = buildLedger(events);
        const b = buildLedger(fromLogs);
        expect(a.payments).to.deep.equal(b.payments);
        expect(a.claims).to.deep.equal(b.claims);
        expect([...a.finalized.values()]).to.deep.equal([...b.finalized.values()]);
        expect([...a.models.values()]).to.deep.equal([...b.models.values()]);
      }
    } finally {
      if (previous === undefined) delete process.env[INDEXER_ENV];
      else process.env[INDEXER_ENV] = previous;
      await api.close();
    }
  });

  it("datanetLedgerView from an indexer (its tables, then the logs after its cursor) should equal ledger show --datanet from the logs, for every datanet and status", async function () {
    const suite = connectSuite(addresses, await provider.getSigner(0));
    const snapshot = await rpc<string>(node.url, "evm_snapshot");
    const input = (n: number) => ({
      contentHash: id(`tail-${n}`),
      uri: `ipfs://tail-${n}`,
      size: 1,
      kind: 0,
    });
    try {
      // A datanet with contributions the index holds, then changed after its cursor: one
      // accepted, one rejected, one more submitted, and a datanet the index never saw.
      await (await suite.datanets.createDatanet("ipfs://tail-datanet", 1, 0)).wait();
      const tailId = await suite.datanets.datanetCount();
      for (let n = 0; n < 3; n++) await (await suite.datanets.submitContribution(tailId, input(n))).wait();
      const { db } = await index(freshSqlite());
      const api = await startApi(db, READ_API_PORT);
      try {
        const me = await (await provider.getSigner(0)).getAddress();
        const idOf = (n: number) => suite.datanets.contributionIdOf(tailId, me, input(n).contentHash);
        await (await suite.datanets.acceptContribution(tailId, await idOf(0))).wait();
        await (await suite.datanets.rejectContribution(tailId, await idOf(1), 7)).wait();
        await (await suite.datanets.submitContribution(tailId, input(3))).wait();
        await (await suite.datanets.createDatanet("ipfs://tail-unindexed", 1, 0)).wait();
        await new Promise((r) => setTimeout(r, 300)); // ethers caches the block number for 250 ms
        const read = connectSuite(addresses, provider);
        const fromLogs = await ledgerView(read, provider);
        const datanetIds = fromLogs.datanets.map((d) => d.datanetId);
        expect(datanetIds)
          .to.include(String(tailId))
          .and.to.include(String(tailId + 1n));
        // Whole lists and bounded ones (the index sends the first, counts the rest).
        for (const datanetId of datanetIds)
          for (const status of [undefined, "Pending", "Accepted", "Rejected"] as const)
            for (const limit of [undefined, 1, 2]) {
              const filter = { datanetId, status };
              const viaIndex = await datanetLedgerView(read, provider, filter, { indexer: api.url, limit });
              expect(viaIndex, `datanet ${datanetId} ${status ?? ""} ${limit ?? "all"}`).to.deep.equal(
                limitContributions(filterContributions(fromLogs, filter), limit),
              );
            }
        const bounded = await datanetLedgerView(read, provider, { datanetId: String(tailId) }, { limit: 1 });
        expect(bounded.datanets[0]).to.include({ contributionsMatched: 4, contributionsNotListed: 3 });
        expect(bounded.datanets[0].contributions).to.have.length(1);
        const tail = (
          await datanetLedgerView(read, provider, { datanetId: String(tailId) }, { indexer: api.url })
        ).datanets[0];
        expect(tail.contributions.map((c) => c.status)).to.deep.equal([
          "Accepted",
          "Rejected",
          "Pending",
          "Pending",
        ]);
        // The CLI: the same JSON with and without --indexer.
        const command = (extra: string[]) => [
          "ledger",
          "show",
          "--network",
          "localhost",
          "--deployment",
          deploymentId,
          "--datanet",
          String(tailId),
          "--json",
          ...extra,
        ];
        const show = (extra: string[]) => runHardhat(command(extra), env());
        const [viaLogs, viaApi] = [await show([]), await show(["--indexer", api.url])];
        expect(viaLogs.code, viaLogs.output).to.equal(0);
        expect(viaApi.code, viaApi.output).to.equal(0);
        expect(viaApi.output).to.equal(viaLogs.output);
        // The fast entry (no Hardhat): the same bytes, from the logs and from the indexer.
        const fast = (extra: string[]) => runOpenledger(command(extra), env());
        for (const run of [await fast([]), await fast(["--indexer", api.url])]) {
          expect(run.code, run.output).to.equal(0);
          expect(run.output).to.equal(viaLogs.output);
        }
        // The human form and a status filter, through both entries.
        const text = ["--indexer", api.url, "--status", "pending"];
        const [hardhatText, fastText] = [await show(text), await fast(text)];
        expect(hardhatText.code, hardhatText.output).to.equal(0);
        expect(fastText.output).to.equal(hardhatText.output);
        // --limit: the first n listed, the rest counted; the same from the logs and the indexer
        // (read after the cursor: the whole datanet; a datanet the index holds: one page), through
        // both entries; --all lists every one.
        const indexed = fromLogs.datanets.find(
          (d) => d.contributions.length > 2 && d.datanetId !== String(tailId),
        );
        expect(indexed, "a datanet of more than two contributions the index holds").to.not.equal(undefined);
        for (const [datanetId, matched] of [
          [String(tailId), 4],
          [indexed!.datanetId, indexed!.contributions.length],
        ] as const) {
          const bound = (extra: string[]) => {
            const args = command(extra);
            args[args.indexOf("--datanet") + 1] = datanetId;
            return args;
          };
          const runs = [
            await runHardhat(bound(["--limit", "2"]), env()),
            await runHardhat(bound(["--limit", "2", "--indexer", api.url]), env()),
            await runOpenledger(bound(["--limit", "2"]), env()),
            await runOpenledger(bound(["--limit", "2", "--indexer", api.url]), env()),
          ];
          for (const run of runs) {
            expect(run.code, run.output).to.equal(0);
            expect(run.output).to.equal(runs[0].output);
          }
          const [listed] = (JSON.parse(runs[0].output) as LedgerView).datanets;
          expect(listed.contributions.map((c) => c.contributionId)).to.deep.equal(
            fromLogs.datanets
              .find((d) => d.datanetId === datanetId)!
              .contributions.slice(0, 2)
              .map((c) => c.contributionId),
          );
          expect(listed).to.include({ contributionsMatched: matched, contributionsNotListed: matched - 2 });
          const all = await runOpenledger(bound(["--all", "--indexer", api.url]), env());
          const [every] = (JSON.parse(all.output) as LedgerView).datanets;
          expect(every.contributions).to.have.length(matched);
          expect(every).to.include({ contributionsMatched: matched, contributionsNotListed: 0 });
        }
        const plain = (extra: string[]) =>
          command(["--indexer", api.url, ...extra]).filter((a) => a !== "--json");
        const human = plain(["--limit", "1"]);
        const [hardhatHuman, fastHuman] = [
          await runHardhat(human, env()).then((r) => r.output),
          await runOpenledger(human, env()).then((r) => r.output),
        ];
        expect(fastHuman).to.equal(hardhatHuman);
        expect(hardhatHuman).to.contain(
          "    ... 3 more contributions not listed (4 in all): --all lists every one, a larger --limit more\n",
        );
        // A bad --limit, and --all with --limit: one line and no view, through both entries.
        for (const [extra, error] of [
          [
            ["--limit", "0"],
            'Error: --limit "0" is not a number of contributions: give a whole number from 1, or --all to list every one',
          ],
          [
            ["--limit", "ten"],
            'Error: --limit "ten" is not a number of contributions: give a whole number from 1, or --all to list every one',
          ],
          [["--all", "--limit", "5"], "Error: give --all or --limit, not both"],
        ] as const)
          for (const run of [
            await runHardhat(plain([...extra]), env()),
            await runOpenledger(plain([...extra]), env()),
          ]) {
            expect(run.code, run.output).to.equal(1);
            expect(run.output.trim()).to.equal(error);
          }
        // The indexer down: one line, the same through both entries.
        const closed = `http://127.0.0.1:${await freePort()}`;
        const down = ["--indexer", closed];
        const [hardhatDown, fastDown] = [await show(down), await fast(down)];
        expect(hardhatDown.code).to.equal(1);
        expect(fastDown.code).to.equal(1);
        // stdout and stderr interleave as they come: the same lines, in either order.
        const sorted = (output: string) => output.split("\n").sort();
        expect(sorted(fastDown.output)).to.deep.equal(sorted(hardhatDown.output));
        expect(fastDown.output.split("\n").filter((l) => l.startsWith("Error: "))).to.deep.equal([
          `Error: indexer at ${closed} unreachable (ECONNREFUSED): start it (npm run indexer) or unset OPENLEDGER_INDEXER to read the logs`,
        ]);
      } finally {
        await api.close();
      }
    } finally {
      await rpc(node.url, "evm_revert", [snapshot]);
    }
  });

  it("verifyIndex should pass a faithful index and list each event the index lost or altered", async function () {
    const { db } = await index(freshSqlite());
    const api = await startApi(db, READ_API_PORT);
    try {
      const suite = connectSuite(addresses, provider);
      const good = await verifyIndex(suite, provider, api.url);
      expect(good.ok).to.equal(true);
      expect(good.events).to.be.greaterThan(30);
      const [paid] = await db.all<{ block_number: number; log_index: number; args: string }>(
        "SELECT block_number, log_index, args FROM events WHERE name = 'Paid' ORDER BY block_number LIMIT 1",
      );
      const [accepted] = await db.all<{ block_number: number; log_index: number }>(
        "SELECT block_number, log_index FROM events WHERE name = 'ContributionAccepted' ORDER BY block_number LIMIT 1",
      );
      const args = JSON.parse(paid.args) as Record<string, string>;
      await db.run("UPDATE events SET args = ? WHERE block_number = ? AND log_index = ?", [
        JSON.stringify({ ...args, amount: (BigInt(args.amount) + 1n).toString() }),
        paid.block_number,
        paid.log_index,
      ]);
      await db.run("DELETE FROM events WHERE block_number = ? AND log_index = ?", [
        accepted.block_number,
        accepted.log_index,
      ]);
      const bad = await verifyIndex(suite, provider, api.url);
      expect(bad.ok).to.equal(false);
      expect(bad.differences.map((d) => [d.kind, d.blockNumber, d.logIndex])).to.have.deep.members([
        ["different", paid.block_number, paid.log_index],
        ["missing", accepted.block_number, accepted.log_index],
      ]);
      expect(bad.differences.find((d) => d.kind === "different")!.detail).to.match(
        /^distributor\.Paid arguments differ/,
      );
    } finally {
      await api.close();
    }
  });

  it("npm run indexer (hardhat indexer) should catch up, serve the API on 127.0.0.1 and stop on SIGTERM", async function () {
    const database = freshSqlite();
    const child = spawnHardhat([...indexerCli(database), "--port", String(API_PORT)], env());
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    const deadline = Date.now() + 180_000;
    while (!/caught up at block \d+/.test(output)) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`indexer did not catch up:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(output).to.include(`api: listening on http://127.0.0.1:${API_PORT}`);
    const status = (await (await fetch(`http://127.0.0.1:${API_PORT}/status`)).json()) as {
      cursor: { number: number };
    };
    expect(status.cursor.number).to.equal(Number(await rpc<string>(node.url, "eth_blockNumber")));
    const payments = (await (await fetch(`http://127.0.0.1:${API_PORT}/payments?limit=1`)).json()) as {
      items: unknown[];
      next: string | null;
    };
    expect(payments.items).to.have.length(1);
    expect(payments.next).to.be.a("string");
    child.kill("SIGTERM");
    expect(await exited).to.equal(0);
  });

  it("npm run indexer with an unreachable database should exit 1 with one line", async function () {
    const run = await runHardhat([...indexerCli("postgres://postgres@127.0.0.1:1/none"), "--once"], env());
    expect(run.code).to.equal(1);
    const errors = run.output.split("\n").filter((l) => l.startsWith("Error"));
    expect(errors).to.deep.equal([
      "Error: database at postgres://postgres@127.0.0.1:1/none unreachable (connection refused): start it or fix --database",
    ]);
  });
});

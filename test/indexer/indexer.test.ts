import { expect } from "chai";
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { Interface } from "ethers";
import { corsHeaders, handle, parseCorsOrigins, startApi } from "../../src/indexer/api.js";
import { DatabaseUnreachableError, openDatabase, type SqlDatabase } from "../../src/indexer/db.js";
import { EVENT_ROWS, IndexerDataError } from "../../src/indexer/mapping.js";
import { contributionLines, datanetView } from "../../src/indexer/queries.js";
import {
  ensureSchema,
  MIGRATIONS,
  SCHEMA_VERSION,
  insertColumns,
  SchemaError,
  schemaSql,
  TABLE_BY_NAME,
} from "../../src/indexer/schema.js";
import { SuiteDecoder, type RawLog } from "../../src/indexer/source.js";
import { suiteInterfaces } from "../../src/sdk/suite.js";
import { amountSum, amountSumSql } from "../../src/indexer/sums.js";
import { Indexer } from "../../src/indexer/sync.js";
import { SYNTHETIC_ADDRESSES, SyntheticLogSource } from "../../src/indexer/synthetic.js";
import { dumpIndex, fresh, type DbKind } from "../helpers/indexerDb.js";

const ROOT = resolve(import.meta.dirname, "../..");
const EVENTS = 3_000;
const PER_BLOCK = 50;

async function indexAll(
  url: string,
  source: SyntheticLogSource,
  options: { confirmations?: number; log?: (l: string) => void; chunk?: number } = {},
) {
  const db = await openDatabase(url);
  const indexer = await Indexer.open({
    db,
    source,
    addresses: SYNTHETIC_ADDRESSES,
    progressEveryMs: 0,
    chunk: options.chunk ?? 7,
    confirmations: options.confirmations,
    log: options.log,
  });
  const stats = await indexer.catchUp();
  return { db, indexer, stats };
}

async function freshDump(kind: DbKind, source: SyntheticLogSource, confirmations = 0) {
  const { db } = await indexAll(await fresh(kind), source, { chunk: 10_000, confirmations });
  const dump = await dumpIndex(db);
  await db.close();
  return dump;
}

describe("EVENT_ROWS: attribution.WeightSumProven", function () {
  it("should map a weight-sum proof to a challenges row with commitment_stands false, which the derived commitment status reads as Voided", function () {
    const prover = "0x00000000000000000000000000000000000000aa";
    const rows = EVENT_ROWS["attribution.WeightSumProven"]({
      modelId: 3n,
      epoch: 7n,
      prover,
      weightSum: 150n,
      totalWeight: 100n,
      leafCount: 3n,
    });
    expect(rows).to.deep.equal([
      [
        "challenges",
        { model_id: 3, epoch: 7, kind: "weight-sum-proven", challenger: prover, commitment_stands: 0 },
      ],
    ]);
  });
});

describe("SuiteDecoder", function () {
  it("decode should give the same arguments as ethers' parseLog for every kind of synthetic log", async function () {
    const source = new SyntheticLogSource({ events: 2_000, eventsPerBlock: 100 });
    const decoder = new SuiteDecoder(SYNTHETIC_ADDRESSES);
    const logs = await source.logs(decoder.addresses, 0, 20);
    const interfaces = suiteInterfaces();
    const byAddress = new Map<string, Interface>(
      Object.entries(SYNTHETIC_ADDRESSES).map(([k, a]) => [
        a.toLowerCase(),
        interfaces[k as keyof typeof interfaces],
      ]),
    );
    const seen = new Set<string>();
    const norm = (v: unknown): unknown =>
      typeof v === "string" ? v.toLowerCase() : Array.isArray(v) ? v.map(norm) : v;
    for (const log of logs as RawLog[]) {
      const ours = decoder.decode(log)!;
      const theirs = byAddress.get(log.address)!.parseLog(log)!;
      seen.add(theirs.name);
      expect(ours.name).to.equal(theirs.name);
      theirs.fragment.inputs.forEach((input, i) => {
        const value = theirs.args[i] as unknown;
        const mine = ours.args[input.name];
        if (input.baseType === "array")
          expect(
            JSON.stringify(mine, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
          ).to.equal(
            JSON.stringify(
              (value as unknown[]).map((t) => (t as { toObject(): unknown }).toObject()),
              (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v),
            ),
          );
        else expect(norm(mine)).to.deep.equal(norm(typeof value === "number" ? BigInt(value) : value));
      });
    }
    expect(seen.size).to.be.greaterThanOrEqual(10);
  });
});

for (const kind of ["sqlite", "postgres"] as const) {
  describe(`Indexer on ${kind === "sqlite" ? "embedded SQLite" : "PostgreSQL"} (synthetic chain)`, function () {
    this.timeout(180_000);
    const dbs: SqlDatabase[] = [];
    afterEach(async function () {
      while (dbs.length) await dbs.pop()!.close();
    });

    it("catchUp should index every event into its tables and recompute the current status columns", async function () {
      const source = new SyntheticLogSource({ events: EVENTS, eventsPerBlock: PER_BLOCK });
      const { db, stats } = await indexAll(await fresh(kind), source);
      dbs.push(db);
      expect(stats.events).to.equal(EVENTS);
      expect(stats.toBlock).to.equal(source.lastBlock);
      const [{ n }] = await db.all<{ n: number }>("SELECT COUNT(*) AS n FROM events");
      expect(Number(n)).to.equal(EVENTS);
      const statuses = await db.all<{ status: string; n: number }>(
        "SELECT status, COUNT(*) AS n FROM contributions GROUP BY status ORDER BY status",
      );
      const accepted = await db.all<{ n: number }>(
        "SELECT COUNT(DISTINCT datanet_id || ':' || contribution_id) AS n FROM contribution_status WHERE status = 'Accepted'",
      );
      expect(statuses.find((s) => s.status === "Accepted")?.n).to.equal(accepted[0].n);
      expect(Number(statuses.find((s) => s.status === "Pending")?.n)).to.be.greaterThan(0);
      const [payments] = await db.all<{ n: number }>("SELECT COUNT(*) AS n FROM payments");
      const [paid] = await db.all<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE name = 'Paid'");
      expect(payments.n).to.equal(paid.n);
    });

    it("a sync resumed after a failed range should equal a fresh sync row for row", async function () {
      const source = new SyntheticLogSource({ events: EVENTS, eventsPerBlock: PER_BLOCK });
      const url = await fresh(kind);
      const first = await openDatabase(url);
      const indexer = await Indexer.open({
        db: first,
        source,
        addresses: SYNTHETIC_ADDRESSES,
        chunk: 5,
        maxChunk: 5,
        progressEveryMs: 0,
      });
      for (let i = 0; i < 4; i++) await indexer.step();
      // Blocks 20-24 were read ahead while 15-19 were written: the next step writes them and reads
      // 25-29 ahead, which fails; the step after it, which needs 25-29, surfaces the failure.
      source.failNext = new Error("node answered garbage");
      expect(await indexer.step()).to.deep.include({ from: 20, to: 24 });
      await indexer.step().then(
        () => expect.fail("the injected failure should surface"),
        (e: Error) => expect(e.message).to.equal("node answered garbage"),
      );
      expect((await indexer.cursor()).number).to.equal(24);
      await first.close();
      const { db } = await indexAll(url, source);
      dbs.push(db);
      expect(await dumpIndex(db)).to.deep.equal(await freshDump(kind, source));
    });

    it("a sync killed (SIGKILL) at any moment should resume to an index equal to a fresh one", async function () {
      const url = await fresh(kind);
      const events = 4_000;
      const perBlock = 40;
      for (const killAfter of [4]) {
        const child = spawn(
          process.execPath,
          [
            "--import",
            "tsx",
            resolve(ROOT, "test/helpers/indexerChild.ts"),
            url,
            String(events),
            String(perBlock),
          ],
          { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
        );
        let ranges = 0;
        let errors = "";
        child.stderr.on("data", (d: Buffer) => (errors += d.toString()));
        const exited = new Promise<void>((r) => child.once("exit", () => r()));
        await new Promise<void>((resolveKill, reject) => {
          child.stdout.on("data", (d: Buffer) => {
            ranges += (d.toString().match(/range/g) ?? []).length;
            if (ranges >= killAfter) {
              child.kill("SIGKILL");
              resolveKill();
            }
          });
          child.once("exit", (code) =>
            code === 0 ? resolveKill() : reject(new Error(`child exited ${code}: ${errors}`)),
          );
        });
        await exited;
      }
      const source = new SyntheticLogSource({ events, eventsPerBlock: perBlock });
      const db = await openDatabase(url);
      dbs.push(db);
      const before = await Indexer.open({ db, source, addresses: SYNTHETIC_ADDRESSES, progressEveryMs: 0 });
      const cursor = await before.cursor();
      expect(cursor.number).to.be.greaterThan(0).and.lessThan(source.lastBlock);
      // The killed process left whole ranges only: every indexed block is complete.
      const [{ n }] = await db.all<{ n: number }>("SELECT COUNT(*) AS n FROM events");
      expect(Number(n)).to.equal(cursor.number * perBlock);
      await before.catchUp();
      expect(await dumpIndex(db)).to.deep.equal(
        await freshDump(kind, new SyntheticLogSource({ events, eventsPerBlock: perBlock })),
      );
    });

    it("a reorg deeper than the confirmations should remove the replaced rows, say so in one line and re-index", async function () {
      const source = new SyntheticLogSource({ events: EVENTS, eventsPerBlock: PER_BLOCK });
      const lines: string[] = [];
      const { db, indexer } = await indexAll(await fresh(kind), source, {
        confirmations: 2,
        log: (l) => lines.push(l),
      });
      dbs.push(db);
      const head = source.lastBlock;
      expect((await indexer.cursor()).number).to.equal(head - 2);
      const before = await dumpIndex(db);
      source.reorg(head - 6, 7);
      const stats = await indexer.catchUp();
      expect(stats.reorgs).to.equal(1);
      const reorgLines = lines.filter((l) => l.startsWith("reorg:"));
      expect(reorgLines).to.have.length(1);
      expect(reorgLines[0]).to.match(/blocks 54\.\.58 \(depth 5, deeper than --confirmations 2/);
      expect(reorgLines[0]).to.not.include("\n");
      const after = await dumpIndex(db);
      expect(after).to.not.deep.equal(before);
      const forked = new SyntheticLogSource({ events: EVENTS, eventsPerBlock: PER_BLOCK });
      forked.reorg(head - 6, 7);
      expect(after).to.deep.equal(await freshDump(kind, forked, 2));
    });

    it("the confirmations parameter should leave the last blocks unindexed until they are that deep", async function () {
      const source = new SyntheticLogSource({ events: EVENTS, eventsPerBlock: PER_BLOCK });
      source.setHead(30);
      const { db, indexer } = await indexAll(await fresh(kind), source, { confirmations: 5 });
      dbs.push(db);
      expect((await indexer.cursor()).number).to.equal(25);
      const [{ max }] = await db.all<{ max: number }>("SELECT MAX(block_number) AS max FROM events");
      expect(Number(max)).to.equal(25);
      source.setHead(40);
      await indexer.catchUp();
      expect((await indexer.cursor()).number).to.equal(35);
    });

    it("an id beyond 2^53 should stop the sync with one line and write nothing of that range", async function () {
      const source = new SyntheticLogSource({ events: 100, eventsPerBlock: 50 });
      const decoder = new SuiteDecoder(SYNTHETIC_ADDRESSES);
      const huge = "0x" + (2n ** 60n).toString(16).padStart(64, "0");
      const original = source.logs.bind(source);
      source.logs = async (addresses, from, to) =>
        (await original(addresses, from, to)).map((l, i) =>
          i === 3 ? { ...l, topics: [l.topics[0], huge, ...l.topics.slice(2)] } : l,
        );
      expect(decoder.addresses).to.have.length(Object.keys(SYNTHETIC_ADDRESSES).length);
      const db = await openDatabase(await fresh(kind));
      dbs.push(db);
      const indexer = await Indexer.open({ db, source, addresses: SYNTHETIC_ADDRESSES, progressEveryMs: 0 });
      const error = await indexer.catchUp().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(IndexerDataError);
      expect((error as Error).message).to.match(
        /^datanetId 1152921504606846976 does not fit .*: this indexer cannot store it faithfully/,
      );
      const [{ n }] = await db.all<{ n: number }>("SELECT COUNT(*) AS n FROM events");
      expect(Number(n)).to.equal(0);
    });

    it("ensureSchema should refuse a newer schema, an older one it cannot migrate and another chain, each in one line", async function () {
      const url = await fresh(kind);
      const identity = { chainId: 31_337n, addresses: { datanets: "0x01" }, startBlock: 0 };
      const db = await openDatabase(url);
      dbs.push(db);
      await ensureSchema(db, identity);
      const refuse = async (re: RegExp, id = identity) => {
        const e = await ensureSchema(db, id).then(
          () => undefined,
          (x: unknown) => x,
        );
        expect(e).to.be.instanceOf(SchemaError);
        expect((e as Error).message)
          .to.match(re)
          .and.not.include("\n");
      };
      await refuse(
        /indexes another chain or deployment \(chain 31337, from block 0\) than this one \(chain 1,/,
        {
          ...identity,
          chainId: 1n,
        },
      );
      await db.run("UPDATE indexer_meta SET value = ? WHERE key = 'schema_version'", [
        String(SCHEMA_VERSION + 1),
      ]);
      await refuse(
        new RegExp(
          `holds indexer schema ${SCHEMA_VERSION + 1}, newer than this indexer's ${SCHEMA_VERSION}: upgrade`,
        ),
      );
      await db.run("UPDATE indexer_meta SET value = ? WHERE key = 'schema_version'", [
        String(SCHEMA_VERSION - 1),
      ]);
      await refuse(/cannot migrate it: re-index with --reset/);
    });

    it("ensureSchema should apply a registered migration from an older schema and record the new version", async function () {
      const db = await openDatabase(await fresh(kind));
      dbs.push(db);
      const identity = { chainId: 31_337n, addresses: {}, startBlock: 0 };
      await ensureSchema(db, identity);
      await db.run("UPDATE indexer_meta SET value = ? WHERE key = 'schema_version'", [
        String(SCHEMA_VERSION - 1),
      ]);
      MIGRATIONS[SCHEMA_VERSION - 1] = "CREATE TABLE migrated_marker (x INTEGER)";
      try {
        await ensureSchema(db, identity);
      } finally {
        delete MIGRATIONS[SCHEMA_VERSION - 1];
      }
      const [{ value }] = await db.all<{ value: string }>(
        "SELECT value FROM indexer_meta WHERE key = 'schema_version'",
      );
      expect(Number(value)).to.equal(SCHEMA_VERSION);
      expect(await db.all("SELECT * FROM migrated_marker")).to.deep.equal([]);
    });

    it("ensureSchema on an index of this schema version should create a secondary index it lacks (one added by a later release)", async function () {
      const db = await openDatabase(await fresh(kind));
      dbs.push(db);
      const identity = { chainId: 31_337n, addresses: {}, startBlock: 0 };
      await ensureSchema(db, identity);
      const name = "contributions_by_content_hash";
      const indexed = async () =>
        (
          await db.all(
            kind === "sqlite"
              ? "SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?"
              : "SELECT indexname AS name FROM pg_indexes WHERE indexname = ?",
            [name],
          )
        ).length;
      expect(await indexed()).to.equal(1);
      await db.exec(`DROP INDEX ${name}`);
      expect(await indexed()).to.equal(0);
      await ensureSchema(db, identity);
      expect(await indexed()).to.equal(1);
    });

    it("ensureSchema on an index of this schema version should drop the retired status indexes of contributions (their status changes are then HOT updates on PostgreSQL)", async function () {
      const db = await openDatabase(await fresh(kind));
      dbs.push(db);
      const identity = { chainId: 31_337n, addresses: {}, startBlock: 0 };
      await ensureSchema(db, identity);
      const retired = ["contributions_by_status", "contributions_by_contributor_status"];
      // An index written by the release before: it had them.
      await db.exec(
        "CREATE INDEX contributions_by_status ON contributions (status, block_number, log_index);" +
          "CREATE INDEX contributions_by_contributor_status ON contributions (contributor, status, block_number, log_index);",
      );
      const present = async () =>
        (
          await db.all<{ name: string }>(
            kind === "sqlite"
              ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contributions'"
              : "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'contributions'",
          )
        ).map((r) => r.name);
      expect(await present()).to.include.members(retired);
      await ensureSchema(db, identity);
      expect(await present()).to.not.include.members(retired);
      expect((await present()).filter((n) => n.includes("status"))).to.deep.equal([]);
      if (kind === "postgres") {
        const [{ options }] = await db.all<{ options: string }>(
          "SELECT array_to_string(reloptions, ',') AS options FROM pg_class WHERE relname = 'contributions'",
        );
        expect(options).to.equal("fillfactor=50");
      }
    });

    it("amountSumSql should sum decimal amounts exactly past 2^63 and up to uint256 per group", async function () {
      const db = await openDatabase(await fresh(kind));
      dbs.push(db);
      await db.exec("CREATE TABLE t (g BIGINT, amount TEXT)");
      const values: [number, bigint][] = [
        [1, 2n ** 256n - 1n],
        [1, 2n ** 256n - 1n],
        [1, 7n],
        [2, 9_223_372_036_854_775_807n],
        [2, 9_223_372_036_854_775_807n],
        [2, 10n ** 30n + 1n],
        [3, 0n],
      ];
      await db.insertMany(
        "t",
        ["g", "amount"],
        values.map(([g, a]) => [g, a.toString()]),
      );
      const rows = await db.all(`SELECT g, ${amountSumSql(db, "amount", "s")} FROM t GROUP BY g ORDER BY g`);
      const want = [1, 2, 3].map((g) => values.filter(([x]) => x === g).reduce((t, [, a]) => t + a, 0n));
      expect(rows.map((r) => amountSum(r, "s"))).to.deep.equal(want);
      expect(amountSum(undefined, "s")).to.equal(0n);
    });

    it("GET /totals should sum payments, their split, claims and token transfers past 2^53 wei exactly", async function () {
      const { db } = await indexAll(
        await fresh(kind),
        new SyntheticLogSource({ events: 600, eventsPerBlock: 50 }),
      );
      dbs.push(db);
      // Amounts whose sum a float cannot hold: 2^53 + 1 (odd, just past the last exact integer)
      // and 2^200 + 3 per row, so a JavaScript Number sum, or a 64-bit SQL one, would be wrong.
      const big = (2n ** 53n + 1n).toString();
      const huge = (2n ** 200n + 3n).toString();
      await db.run(
        "UPDATE payments SET amount = ?, protocol_share = ?, owner_share = ?, royalty_share = ?, contributor_share = ?",
        [huge, big, big, big, huge],
      );
      // Claims and transfers of the OPEN token of our own, after the synthetic blocks.
      await db.run("DELETE FROM claims");
      await db.run("DELETE FROM token_transfers");
      const ZERO = "0x0000000000000000000000000000000000000000";
      const who = "0x" + "ab".repeat(20);
      const at = (i: number) => [10_000_000 + i, 0, "0x" + i.toString(16).padStart(64, "0")];
      await db.insertMany(
        "claims",
        insertColumns(TABLE_BY_NAME.get("claims")!),
        [0, 1, 2].map((i) => [who, i === 2 ? "direct" : "settlement", big, big, null, null, null, ...at(i)]),
      );
      await db.insertMany(
        "token_transfers",
        insertColumns(TABLE_BY_NAME.get("token_transfers")!),
        [
          [ZERO, who, big],
          [ZERO, who, big],
          [ZERO, who, big],
          [who, ZERO, big],
        ].map((row, i) => [...row, ...at(10 + i)]),
      );
      const payments = BigInt(Number((await db.all("SELECT COUNT(*) AS n FROM payments"))[0].n));
      expect(payments > 1n, "the synthetic chain has payments").to.be.true;
      const { code, body } = await handle(db, "GET", "/totals");
      expect(code).to.equal(200);
      const totals = body as {
        paidIn: string;
        split: Record<"protocol" | "owner" | "royalty" | "contributors", string>;
        claimed: Record<"total" | "settlement" | "direct", string>;
        token: Record<"minted" | "burned" | "supply", string>;
      };
      expect(totals.paidIn).to.equal((payments * BigInt(huge)).toString());
      expect(totals.split).to.deep.equal({
        protocol: (payments * BigInt(big)).toString(),
        owner: (payments * BigInt(big)).toString(),
        royalty: (payments * BigInt(big)).toString(),
        contributors: (payments * BigInt(huge)).toString(),
      });
      expect(totals.claimed).to.deep.equal({
        total: (3n * BigInt(big)).toString(),
        settlement: (2n * BigInt(big)).toString(),
        direct: BigInt(big).toString(),
      });
      expect(totals.token).to.deep.equal({
        minted: (3n * BigInt(big)).toString(),
        burned: BigInt(big).toString(),
        supply: (2n * BigInt(big)).toString(),
      });
      const balance = (await handle(db, "GET", `/token/balances/${who}`)).body as { balance: string };
      expect(balance.balance).to.equal((2n * BigInt(big)).toString());
      // What summing the rows as JavaScript numbers gives: not the same.
      expect(String(Number(payments) * Number(big))).to.not.equal(totals.split.protocol);
    });

    describe("read API", function () {
      let db: SqlDatabase;
      before(async function () {
        const source = new SyntheticLogSource({ events: EVENTS, eventsPerBlock: PER_BLOCK });
        db = (await indexAll(await fresh(kind), source)).db;
      });
      after(async function () {
        await db.close();
      });
      const get = async (path: string) => handle(db, "GET", path);

      it("GET /payments?model= should page through a model's payments in chain order without gaps or repeats", async function () {
        const seen: string[] = [];
        let next: string | null = null;
        let pages = 0;
        do {
          const { code, body } = await get(`/payments?model=3&limit=7${next ? `&after=${next}` : ""}`);
          expect(code).to.equal(200);
          const page = body as {
            items: { modelId: number; blockNumber: number; logIndex: number }[];
            next: string | null;
          };
          for (const p of page.items) {
            expect(p.modelId).to.equal(3);
            seen.push(`${p.blockNumber}.${p.logIndex}`);
          }
          next = page.next;
          pages++;
        } while (next);
        const all = await db.all<{ b: number; l: number }>(
          "SELECT block_number AS b, log_index AS l FROM payments WHERE model_id = 3 ORDER BY block_number, log_index",
        );
        expect(seen).to.deep.equal(all.map((r) => `${r.b}.${r.l}`));
        expect(pages).to.equal(Math.ceil(all.length / 7) + (all.length % 7 === 0 ? 1 : 0));
      });

      it("GET with a bad parameter should answer 400 with one line naming it", async function () {
        for (const [path, re] of [
          ["/payments?limit=0", /^limit must be a whole number from 1 to 1000/],
          ["/payments?after=xyz", /^after "xyz" is not a page token/],
          ["/contributions?status=Maybe", /^status must be one of Pending, Accepted, Rejected, Withdrawn/],
          ["/claims?account=0x12", /^account must be an address/],
          ["/payments?epoch=-1", /^epoch must be a whole number/],
          ["/contributions?id=0x12", /^id must be a 32-byte hash/],
          ["/contributions?content=abc", /^content must be a 32-byte hash/],
          ["/search?q=%20", /^q is empty/],
        ] as const) {
          const { code, body } = await get(path);
          expect(code, path).to.equal(400);
          expect((body as { error: string }).error).to.match(re);
        }
      });

      it("GET of an unknown route or id should answer 404, and a write method 405", async function () {
        expect((await get("/nope")).code).to.equal(404);
        expect((await get("/models/999999")).code).to.equal(404);
        expect((await get("/datanets/424242")).code).to.equal(404);
        expect((await handle(db, "POST", "/status")).code).to.equal(405);
      });

      it("GET /totals should sum every payment exactly, and /search should name a model, a datanet, a transaction and an account", async function () {
        const { code, body } = await get("/totals");
        expect(code).to.equal(200);
        const totals = body as { paidIn: string; counts: { payments: number } };
        const rows = await db.all<{ amount: string }>("SELECT amount FROM payments");
        expect(totals.counts.payments).to.equal(rows.length);
        expect(totals.paidIn).to.equal(rows.reduce((t, r) => t + BigInt(r.amount), 0n).toString());
        const kinds = async (q: string) =>
          ((await get(`/search?q=${q}`)).body as { hits: { kind: string }[] }).hits.map((h) => h.kind);
        expect(await kinds("1")).to.deep.equal(["model", "datanet"]);
        const [tx] = await db.all<{ tx_hash: string }>("SELECT tx_hash FROM payments LIMIT 1");
        expect(await kinds(tx.tx_hash)).to.deep.equal(["transaction"]);
        expect(await kinds("0x" + "ab".repeat(20))).to.deep.equal(["account"]);
        expect(await kinds("0x" + "00".repeat(32))).to.deep.equal([]);
        expect((await get(`/tx/${tx.tx_hash}`)).code).to.equal(200);
        expect((await get(`/tx/0x${"00".repeat(32)}`)).code).to.equal(404);
      });

      it("GET /datanets/:id/contributions?form=ndjson should stream the datanet's head and every contribution as the pages and form=rows give them, then an end line; with status= and limit= the first of that status and the count of all; 404 for no such datanet, 400 for a bad limit or status", async function () {
        const [{ id }] = await db.all<{ id: number }>(
          "SELECT datanet_id AS id FROM contributions GROUP BY datanet_id ORDER BY COUNT(*) DESC LIMIT 1",
        );
        const items: Record<string, unknown>[] = [];
        let rowsForm: unknown[][] = [];
        let columns: string[] = [];
        for (let next: string | null = null, first = true; first || next; first = false) {
          const after = next ? `&after=${next}` : "";
          const page = (await get(`/datanets/${id}/contributions?limit=10000${after}`)).body as {
            items: Record<string, unknown>[];
            next: string | null;
          };
          const rows = (await get(`/datanets/${id}/contributions?form=rows&limit=10000${after}`)).body as {
            columns: string[];
            rows: unknown[][];
          };
          items.push(...page.items);
          rowsForm = [...rowsForm, ...rows.rows];
          columns = rows.columns;
          next = page.next;
        }
        expect(rowsForm.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])))).to.deep.equal(
          items,
        );
        // The streamed answer, in batches of 5,000 over HTTP and of 7 (many batch boundaries) direct.
        const api = await startApi(db, 0);
        try {
          const res = await fetch(`${api.url}/datanets/${id}/contributions?form=ndjson`);
          expect(res.status).to.equal(200);
          expect(res.headers.get("content-type")).to.match(/^application\/x-ndjson/);
          const direct = await contributionLines(db, id, {}, 7);
          let text = "";
          for await (const line of direct!) text += line;
          for (const [body, batch] of [
            [await res.text(), 5_000],
            [text, 7],
          ] as const) {
            const lines = body.split("\n");
            expect(lines.pop()).to.equal("");
            const head = JSON.parse(lines.shift()!) as {
              datanet: { datanetId: number };
              columns: string[];
              matched: number;
            };
            const end = JSON.parse(lines.pop()!) as { end: boolean; count: number };
            expect(head.datanet.datanetId).to.equal(id);
            expect(head.columns).to.deep.equal(columns);
            expect(head.matched).to.equal(rowsForm.length);
            expect(end).to.deep.equal({ end: true, count: rowsForm.length });
            expect(lines.length).to.equal(Math.ceil(rowsForm.length / batch));
            expect(lines.flatMap((l) => JSON.parse(l) as unknown[][])).to.deep.equal(rowsForm);
          }
          // status= and limit=: the first `limit` of that status, and how many have it in all.
          const statusAt = columns.indexOf("status");
          for (const status of ["Pending", "Accepted", undefined])
            for (const [limit, batch] of [
              [1, 7],
              [9, 7],
              [14, 7],
              [2, 5_000],
            ]) {
              const matching = rowsForm.filter((r) => status === undefined || r[statusAt] === status);
              let body = "";
              for await (const line of (await contributionLines(db, id, { limit, status }, batch))!)
                body += line;
              const lines = body.trimEnd().split("\n");
              const head = JSON.parse(lines.shift()!) as { matched: number };
              expect(head.matched, `${status} ${limit}`).to.equal(matching.length);
              expect(JSON.parse(lines.pop()!)).to.deep.equal({
                end: true,
                count: Math.min(limit, matching.length),
              });
              expect(lines.flatMap((l) => JSON.parse(l) as unknown[][])).to.deep.equal(
                matching.slice(0, limit),
              );
            }
          const limited = await fetch(
            `${api.url}/datanets/${id}/contributions?form=ndjson&status=Pending&limit=3`,
          );
          const limitedLines = (await limited.text()).trimEnd().split("\n");
          expect(JSON.parse(limitedLines.at(-1)!)).to.deep.equal({
            end: true,
            count: Math.min(3, rowsForm.filter((r) => r[statusAt] === "Pending").length),
          });
          for (const [query, error] of [
            ["limit=0", 'limit must be a whole number from 1 (got "0")'],
            ["limit=x", 'limit must be a whole number (got "x")'],
            [
              "status=pending",
              'status must be one of Pending, Accepted, Rejected, Withdrawn (got "pending")',
            ],
          ]) {
            const bad = await fetch(`${api.url}/datanets/${id}/contributions?form=ndjson&${query}`);
            expect(bad.status, query).to.equal(400);
            expect(((await bad.json()) as { error: string }).error).to.equal(error);
          }
          expect(await contributionLines(db, 424242)).to.equal(undefined);
          const missing = await fetch(`${api.url}/datanets/424242/contributions?form=ndjson`);
          expect(missing.status).to.equal(404);
          expect(((await missing.json()) as { error: string }).error).to.equal("nothing at /datanets/424242");
        } finally {
          await api.close();
        }
      });

      it("GET /contributions filters by datanet, contributor and status together", async function () {
        const { body } = await get("/contributions?datanet=1&status=Accepted&limit=1000");
        const items = (body as { items: { datanetId: number; status: string }[] }).items;
        expect(items.length).to.be.greaterThan(0);
        for (const c of items) expect([c.datanetId, c.status]).to.deep.equal([1, "Accepted"]);
        const [{ n }] = await db.all<{ n: number }>(
          "SELECT COUNT(*) AS n FROM contributions WHERE datanet_id = 1 AND status = 'Accepted'",
        );
        expect(items.length).to.equal(Number(n));
      });

      it("GET /models/:id/epochs should sum each epoch's payments in SQL exactly as bigint sums of the rows", async function () {
        const { code, body } = await get("/models/3/epochs");
        expect(code).to.equal(200);
        const epochs = body as { epoch: number; payments: number; amount: string; contributors: string }[];
        const rows = await db.all<{ epoch: number; amount: string; contributor_share: string }>(
          "SELECT epoch, amount, contributor_share FROM payments WHERE model_id = 3",
        );
        const want = new Map<number, { n: number; amount: bigint; contributors: bigint }>();
        for (const r of rows) {
          const w = want.get(Number(r.epoch)) ?? { n: 0, amount: 0n, contributors: 0n };
          want.set(Number(r.epoch), {
            n: w.n + 1,
            amount: w.amount + BigInt(r.amount),
            contributors: w.contributors + BigInt(r.contributor_share),
          });
        }
        const paid = epochs.filter((e) => e.payments > 0);
        expect(paid.map((e) => e.epoch)).to.deep.equal([...want.keys()].sort((a, b) => a - b));
        for (const e of paid) {
          const w = want.get(e.epoch)!;
          expect([e.payments, e.amount, e.contributors]).to.deep.equal([
            w.n,
            w.amount.toString(),
            w.contributors.toString(),
          ]);
        }
      });

      it("GET /settlements should give each posted root its status: activated, rejected by its dispute, or pending with its window", async function () {
        const all: {
          status: string;
          settlementId: number;
          rejection: { dispute: { fault: string } | null } | null;
          disputes: unknown[];
          windowEnded: boolean | null;
        }[] = [];
        let next: string | null = null;
        do {
          const { code, body } = await get(`/settlements?limit=50${next ? `&after=${next}` : ""}`);
          expect(code).to.equal(200);
          const page = body as { items: typeof all; next: string | null };
          all.push(...page.items);
          next = page.next;
        } while (next);
        const count = async (name: string) =>
          Number(
            (await db.all<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE name = ?", [name]))[0].n,
          );
        expect(all).to.have.length(await count("SettlementCommitted"));
        expect(all.filter((s) => s.status === "activated")).to.have.length(
          await count("SettlementActivated"),
        );
        const rejected = all.filter((s) => s.status === "rejected");
        expect(rejected).to.have.length(await count("SettlementRejected"));
        for (const s of rejected) {
          expect(s.rejection!.dispute!.fault).to.equal("Omitted");
          expect(s.disputes).to.have.length(1);
        }
        const pending = all.filter((s) => s.status === "pending");
        expect(pending.length).to.be.at.most(1);
        for (const s of pending) expect(s.windowEnded).to.be.a("boolean");
        const one = (await get(`/settlements/${rejected[0].settlementId}`)).body as {
          postings: { status: string }[];
        };
        expect(one.postings.map((p) => p.status)).to.include("rejected");
        expect((await get("/settlements/999999")).code).to.equal(404);
        const disputes = (await get("/settlements/disputes?limit=1000")).body as {
          items: { slashed: string; reward: string }[];
        };
        expect(disputes.items).to.have.length(await count("SettlementDisputed"));
        expect(disputes.items[0]).to.include({
          slashed: (5n * 10n ** 18n).toString(),
          reward: (10n ** 18n).toString(),
        });
        const window = (await get("/settlements/window")).body as { seconds: number }[];
        expect(window).to.have.length(await count("DisputeWindowChanged"));
        expect(window[0].seconds).to.equal(7_200);
      });

      it("GET /usage/payers/:address should give deposits minus vouchers minus withdrawals and the pending request", async function () {
        const payers = await db.all<{ payer: string }>(
          "SELECT DISTINCT payer FROM usage_deposits ORDER BY payer",
        );
        expect(payers.length).to.be.greaterThan(1);
        for (const { payer } of payers) {
          const { code, body } = await get(`/usage/payers/${payer}`);
          expect(code).to.equal(200);
          const v = body as {
            balance: string;
            pendingWithdrawal: { amount: string } | null;
            redeemed: { count: number };
            vouchers: { items: { usageRoot: string }[] };
          };
          const sumOf = async (sql: string) =>
            (await db.all<{ amount: string }>(sql, [payer])).reduce((t, r) => t + BigInt(r.amount), 0n);
          const balance =
            (await sumOf("SELECT amount FROM usage_deposits WHERE payer = ?")) -
            (await sumOf("SELECT amount FROM voucher_redemptions WHERE payer = ?")) -
            (await sumOf("SELECT amount FROM usage_withdrawals WHERE payer = ? AND kind = 'withdrawn'"));
          expect(v.balance).to.equal(balance.toString());
          const [last] = await db.all<{ kind: string }>(
            "SELECT kind FROM usage_withdrawals WHERE payer = ? ORDER BY block_number DESC, log_index DESC LIMIT 1",
            [payer],
          );
          expect(v.pendingWithdrawal !== null).to.equal(last?.kind === "requested");
          expect(v.vouchers.items).to.have.length(Math.min(v.redeemed.count, 100));
        }
        const usage = (await get("/usage/models/3")).body as {
          redemptions: number;
          escrow: string;
          perEpoch: unknown[];
        };
        const [{ n }] = await db.all<{ n: number }>(
          "SELECT COUNT(*) AS n FROM voucher_redemptions WHERE model_id = 3",
        );
        expect(usage.redemptions).to.equal(Number(n));
        expect(usage.escrow).to.equal(SYNTHETIC_ADDRESSES.usageEscrow.toLowerCase());
        const roots = (await get("/usage/vouchers?model=3&limit=1000")).body as {
          items: { modelId: number }[];
        };
        expect(roots.items).to.have.length(Number(n));
      });

      it("GET /models/:id should give versions with training inputs and the base chain", async function () {
        const { code, body } = await get("/models/4");
        expect(code).to.equal(200);
        const m = body as {
          lineage: number[];
          derivatives: number[];
          versions: { trainingInputs: unknown[] }[];
        };
        expect(m.lineage).to.deep.equal([3, 2, 1]);
        expect(m.derivatives).to.deep.equal([5]);
        expect(m.versions[0].trainingInputs).to.deep.equal([
          { datanetId: 1, datanetVersion: 1, weightBps: 10_000 },
        ]);
      });
    });
  });
}

describe("datanetView: curators", function () {
  it("currentCurators should list only the appointments made since the datanet's last ownership transfer", async function () {
    const db = await openDatabase(await fresh("sqlite"));
    try {
      await db.exec(schemaSql());
      const [owner, next, stale, kept, removed] = ["0x01", "0x02", "0x03", "0x04", "0x05"].map((a) =>
        a.padEnd(42, "0"),
      );
      const pos = (b: number, l: number) => [b, l, "0x" + "ab".repeat(32)];
      await db.run(
        "INSERT INTO datanets (datanet_id, creator, owner, licence, policy, metadata_uri, block_number, log_index, tx_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [1, owner, next, 31, 0, "ipfs://d", ...pos(1, 0)],
      );
      const curator = (account: string, appointed: number, b: number, l: number) =>
        db.run(
          "INSERT INTO curators (datanet_id, curator, appointed, block_number, log_index, tx_hash) VALUES (?, ?, ?, ?, ?, ?)",
          [1, account, appointed, ...pos(b, l)],
        );
      await curator(stale, 1, 2, 0); // the previous owner's appointment
      await curator(removed, 1, 2, 1);
      await db.run(
        "INSERT INTO ownership_transfers (registry, subject_id, previous_owner, new_owner, block_number, log_index, tx_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ["datanets", 1, owner, next, ...pos(3, 1)],
      );
      await db.run(
        "INSERT INTO ownership_transfers (registry, subject_id, previous_owner, new_owner, block_number, log_index, tx_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ["models", 1, owner, next, ...pos(4, 0)],
      );
      await curator(stale, 0, 3, 0); // before the transfer, same block
      await curator(kept, 1, 3, 2);
      await curator(removed, 1, 5, 0);
      await curator(removed, 0, 5, 1);
      const view = (await datanetView(db, 1)) as { curators: unknown[]; currentCurators: string[] };
      expect(view.curators).to.have.length(6);
      expect(view.currentCurators).to.deep.equal([kept]);
    } finally {
      await db.close();
    }
  });
});

describe("Indexer databases: unreachable", function () {
  it("openDatabase should fail in one line when PostgreSQL does not answer", async function () {
    const e = await openDatabase("postgres://postgres:secret@127.0.0.1:1/none").then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).to.be.instanceOf(DatabaseUnreachableError);
    expect((e as Error).message).to.equal(
      "database at postgres://postgres@127.0.0.1:1/none unreachable (connection refused): start it or fix --database",
    );
  });

  it("openDatabase should fail in one line when the SQLite file cannot be created", async function () {
    const e = await openDatabase("/etc/hostname/sub/index.sqlite").then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).to.be.instanceOf(DatabaseUnreachableError);
    expect((e as Error).message).to.match(
      /^cannot open the SQLite database \/etc\/hostname\/sub\/index\.sqlite \(.*\): check the path/,
    );
  });
});

describe("startApi: CORS for a static explorer on another origin", function () {
  let db: SqlDatabase;
  let api: { url: string; close(): Promise<void> };
  before(async function () {
    db = await openDatabase(":memory:");
    await ensureSchema(db, { chainId: 31_337n, addresses: {}, startBlock: 0 });
    api = await startApi(db, 0, () => undefined, {
      corsOrigins: parseCorsOrigins("https://explorer.example"),
    });
  });
  after(async function () {
    await api.close();
    await db.close();
  });

  it("a GET from an allowed origin should carry Access-Control-Allow-Origin, one from another origin none", async function () {
    const allowed = await fetch(`${api.url}/status`, { headers: { origin: "https://explorer.example" } });
    expect(allowed.status).to.equal(200);
    expect(allowed.headers.get("access-control-allow-origin")).to.equal("https://explorer.example");
    expect(allowed.headers.get("vary")).to.equal("Origin");
    const other = await fetch(`${api.url}/status`, { headers: { origin: "https://evil.example" } });
    expect(other.status).to.equal(200);
    expect(other.headers.get("access-control-allow-origin")).to.equal(null);
  });

  it("a preflight (OPTIONS) from an allowed origin should answer 204 with the allowed methods", async function () {
    const res = await fetch(`${api.url}/totals`, {
      method: "OPTIONS",
      headers: { origin: "https://explorer.example", "access-control-request-method": "GET" },
    });
    expect(res.status).to.equal(204);
    expect(res.headers.get("access-control-allow-methods")).to.equal("GET, HEAD, OPTIONS");
    const refused = await fetch(`${api.url}/totals`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(refused.headers.get("access-control-allow-origin")).to.equal(null);
  });

  it("corsHeaders with * should allow any origin, and no list none", function () {
    expect(corsHeaders(["*"], "http://127.0.0.1:5173")["access-control-allow-origin"]).to.equal("*");
    expect(corsHeaders([], "http://127.0.0.1:5173")).to.deep.equal({});
  });

  it("parseCorsOrigins should refuse a URL with a path or another scheme in one line", function () {
    for (const bad of ["https://explorer.example/app", "ftp://explorer.example", "explorer.example"])
      expect(() => parseCorsOrigins(bad)).to.throw(/is not an origin: give scheme:\/\/host\[:port\]/);
    expect(parseCorsOrigins("https://a.example, http://127.0.0.1:5173/")).to.deep.equal([
      "https://a.example",
      "http://127.0.0.1:5173",
    ]);
  });
});

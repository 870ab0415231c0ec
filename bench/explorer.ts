/**
 * Explorer benchmark (issue 19): how fast the heavy pages render in headless Chromium, and the
 * production bundle's size. Prints one JSON line:
 *   { contributorPageMs, modelPageMs, bundleKBGzip, ... }
 *
 *   npm run bench:explorer                       # 10,000 contributions of one account, 10,000 payments of one model
 *   npm run bench:explorer -- --items 1000       # smaller
 *
 * The index is built through the indexer's real decode -> map -> write path from a synthetic
 * stream (one datanet, one model trained on its version 1, `items` contributions submitted and
 * accepted by one account, version 1 published, `items` payments to the model over ten epochs).
 * The explorer's own server serves the production build (`vite build`) and the API on 127.0.0.1;
 * Debian's chromium (CHROMIUM_PATH, default /usr/bin/chromium) loads each page `runs` times in
 * a fresh context (no cache). A page's figure is the median time from navigation start until its
 * data is in the DOM and painted (the contributor's counts and earnings; the model's epoch
 * table): what a reader waits for, not only the header's first contentful paint (also printed).
 * The bundle figure is the gzip size of the built JavaScript and CSS.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { ensureExplorerBuilt, EXPLORER_DIST } from "../src/explorer/build.js";
import { startExplorerServer } from "../src/explorer/server.js";
import { openDatabase } from "../src/indexer/db.js";
import { Indexer } from "../src/indexer/sync.js";
import { launchChromium } from "../test/helpers/chromium.js";
import {
  addressWord,
  fakeAddress,
  SYNTHETIC_ADDRESSES,
  SyntheticLogSource,
  word,
} from "../src/indexer/synthetic.js";

const { values: args } = parseArgs({
  options: {
    items: { type: "string", default: "10000" },
    runs: { type: "string", default: "5" },
    // 0: any free port (a fixed default clashed with other servers on shared machines).
    port: { type: "string", default: process.env.EXPLORER_BENCH_PORT ?? "0" },
    quiet: { type: "boolean", default: false },
  },
});
const items = Number(args.items);
const runs = Number(args.runs);
const say = (line: string) => {
  if (!args.quiet) console.error(line);
};

const CONTRIBUTOR = fakeAddress(0xc0ffee);
const PAYER = fakeAddress(0xbeef);

/** One datanet, one model on its version 1, `items` accepted contributions of one account, `items` payments. */
function stream(i: number): { key: string; topics: string[] } {
  if (i === 0) return { key: "datanets.DatanetCreated", topics: [word(1), addressWord(fakeAddress(0x100))] };
  if (i === 1)
    return { key: "models.ModelRegistered", topics: [word(1), addressWord(fakeAddress(0x200)), word(0)] };
  if (i === 2) return { key: "models.ModelVersionAdded", topics: [word(1), word(1)] };
  let j = i - 3;
  if (j < 2 * items) {
    const k = Math.floor(j / 2);
    return j % 2 === 0
      ? {
          key: "datanets.ContributionSubmitted",
          topics: [word(1), word(k + 1), addressWord(CONTRIBUTOR)],
        }
      : {
          key: "datanets.ContributionAccepted",
          topics: [word(1), word(k + 1), addressWord(fakeAddress(0x100))],
        };
  }
  j -= 2 * items;
  if (j === 0)
    return { key: "datanets.VersionPublished", topics: [word(1), word(1), addressWord(fakeAddress(1))] };
  const epoch = Math.floor(((j - 1) * 10) / items);
  return { key: "distributor.Paid", topics: [word(1), word(epoch), addressWord(PAYER)] };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const loadAverageBefore = loadavg().map((x) => Math.round(x * 10) / 10);
const dir = mkdtempSync(join(tmpdir(), "bench-explorer-"));
const db = await openDatabase(join(dir, "index.sqlite"));
const events = 3 + 2 * items + 1 + items;
const indexer = await Indexer.open({
  db,
  source: new SyntheticLogSource({ events, eventsPerBlock: 100, eventAt: stream }),
  addresses: SYNTHETIC_ADDRESSES,
  log: say,
  progressEveryMs: 10_000,
});
const stats = await indexer.catchUp();
say(`indexed ${stats.events} events in ${stats.seconds.toFixed(1)} s`);

await ensureExplorerBuilt(say);
const assets = join(EXPLORER_DIST, "assets");
const bundleBytes = readdirSync(assets)
  .filter((f) => f.endsWith(".js") || f.endsWith(".css"))
  .reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0);

// The pages measured read only the index; the chain is never asked (a call would be a bug here).
const server = await startExplorerServer(db, Number(args.port), {
  distDir: EXPLORER_DIST,
  rpc: async (method) => {
    if (method === "eth_chainId") return "0x7a69";
    throw new Error(`the bench has no chain (asked ${method})`);
  },
});
const browser = await launchChromium();

/** Median ms from navigation start until `selector` is in the DOM and a frame has been painted after it. */
async function measure(path: string, selector: string) {
  const ready: number[] = [];
  const fcp: number[] = [];
  for (let r = 0; r < runs; r++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript((sel: string) => {
      const g = globalThis as unknown as {
        __ready?: number;
        document: { querySelector(s: string): unknown };
        MutationObserver: new (cb: () => void) => {
          observe(n: unknown, o: object): void;
          disconnect(): void;
        };
        requestAnimationFrame(cb: () => void): void;
        performance: { now(): number };
      };
      const observer = new g.MutationObserver(() => {
        if (g.__ready === undefined && g.document.querySelector(sel)) {
          observer.disconnect();
          g.requestAnimationFrame(() => g.requestAnimationFrame(() => (g.__ready = g.performance.now())));
        }
      });
      observer.observe(g.document, { childList: true, subtree: true });
    }, selector);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(server.url + path);
    await page
      .waitForFunction(() => (globalThis as unknown as { __ready?: number }).__ready !== undefined, null, {
        timeout: 60_000,
      })
      .catch(async (error: Error) => {
        throw new Error(
          `${path} did not show ${selector}: ${error.message.split("\n")[0]}; page says: ${await page.textContent("main")}; errors: ${errors.join("; ")}`,
        );
      });
    ready.push(await page.evaluate(() => (globalThis as unknown as { __ready: number }).__ready));
    fcp.push(
      await page.evaluate(
        () =>
          (
            globalThis as unknown as {
              performance: { getEntriesByName(n: string): { startTime: number }[] };
            }
          ).performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1,
      ),
    );
    await context.close();
  }
  return { ms: Math.round(median(ready)), fcpMs: Math.round(median(fcp)) };
}

const contributor = await measure(`/accounts/${CONTRIBUTOR}`, "[data-testid=earned]");
say(
  `contributor page (${items} contributions): ${contributor.ms} ms to data, first paint ${contributor.fcpMs} ms`,
);
const model = await measure("/models/1", "[data-testid=epochs]");
say(`model page (${items} payments): ${model.ms} ms to data, first paint ${model.fcpMs} ms`);

await browser.close();
await server.close();
await db.close();
rmSync(dir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    contributorPageMs: contributor.ms,
    modelPageMs: model.ms,
    bundleKBGzip: Math.round(bundleBytes / 102.4) / 10,
    contributorFirstPaintMs: contributor.fcpMs,
    modelFirstPaintMs: model.fcpMs,
    items,
    runs,
    loadAverageBefore,
  }),
);

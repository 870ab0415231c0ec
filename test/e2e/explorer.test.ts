/**
 * The explorer in a real browser: Debian's chromium (no browser download) driven by
 * playwright-core, against `npm run explorer` (the `explorer` task: indexer + app + API) over a
 * `hardhat node` holding the demo's data, plus one more paid, attributed and settled epoch so an
 * account has OPEN to claim. Every page is compared with what the SDK computes from the same
 * chain; screenshots of every page go to artifacts-explorer/ (gitignored).
 */
import { expect } from "chai";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildProcess } from "node:child_process";
import { formatEther, getAddress, JsonRpcProvider, type Signer } from "ethers";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { weightTableFromJson, writeWeightTable } from "../../src/attribution/table-io.js";
import type { WeightTable } from "../../src/attribution/weights.js";
import * as sdk from "../../src/sdk/index.js";
import { readSuiteEvents } from "../../src/sdk/read/events.js";
import { buildLedger, owedFromBooks, pairKey, type Ledger } from "../../src/sdk/read/ledger.js";
import { connectSuite, withRunner, type Suite, type SuiteAddresses } from "../../src/sdk/suite.js";
import { connectResilient } from "../../src/sdk/transport/provider.js";
import { writeSettlementFiles } from "../../src/settlement/files.js";
import { SETTLEMENT_LAST_LINK, SETTLEMENT_SENTINEL, settlementLeafAt } from "../../src/settlement/tree.js";
import { SETTLEMENT_LEAF_ENCODING, SETTLEMENT_LEAF_TAG } from "../../src/merkle/index.js";
import { signVoucher } from "../../src/usage/voucher.js";
import { launchChromium } from "../helpers/chromium.js";
import { createServer } from "node:http";
import { startApi } from "../../src/indexer/api.js";
import { openDatabase } from "../../src/indexer/db.js";
import { ROOT, runHardhat, spawnHardhat, startHardhatNode, type LocalNode } from "../helpers/localNode.js";

/** Ports of this suite (8700-8719 are the explorer's unless EXPLORER_E2E_PORT moves the range). */
const PORT_BASE = Number(process.env.EXPLORER_E2E_PORT ?? 8700);
const NODE_PORT = PORT_BASE;
const EXPLORER_PORT = PORT_BASE + 1;
/** A static page's origin for the CORS test (nothing listens there; the API only compares it). */
const STATIC_PORT = PORT_BASE + 2;
const SHOTS = resolve(ROOT, "artifacts-explorer");
const HOSTILE_SCRIPT_URI = "javascript:alert(1)";
const HOSTILE_HTML_URI = '<img src=x onerror="window.__pwned=1">';

/** The page's globals, as the in-page functions below use them (this file is type-checked without the DOM library). */
interface PageGlobals {
  document: { querySelector(selector: string): { textContent: string | null } | null };
  ethereum?: unknown;
  __pwned?: number;
  __walletRpc(
    method: string,
    params: unknown[],
  ): Promise<{ result?: unknown; error?: Record<string, unknown> }>;
}

const open = (amount: bigint) => `${formatEther(amount)} OPEN`;

describe("Explorer in headless Chromium against a hardhat node with the demo's data", function () {
  this.timeout(240_000);
  let node: LocalNode;
  let provider: JsonRpcProvider;
  let suite: Suite;
  let ledger: Ledger;
  let explorer: ChildProcess;
  let base: string;
  let browser: Browser;
  let claimant: { account: string; cumulative: bigint; owed: bigint };
  let hostileContributionIds: string[];
  let databasePath: string;
  let outputDir: string;
  const deploymentId = `explorer-e2e-${process.pid}`;
  const env = () => ({ LOCALHOST_RPC_URL: node.url });
  /** A node account; its provider caches nothing, so back-to-back transactions get fresh nonces. */
  let signers: JsonRpcProvider;
  const signer = (i: number): Promise<Signer> => signers.getSigner(i);

  /** One more epoch of model 2, paid, attributed, final and settled: OPEN left for `claimant` to claim. */
  async function settleOneMoreEpoch(outputDir: string) {
    const tables: WeightTable[] = [...ledger.commitments.values()].map((c) =>
      weightTableFromJson(readFileSync(fileURLToPath(c.uri), "utf8")),
    );
    const operator = withRunner(suite, await signer(0));
    const app = await signer(9);
    const template = tables.filter((t) => t.modelId === 2n).at(-1)!;
    const epoch = await suite.attribution.currentEpoch();
    await sdk.pay(operator, app, 2n, 40n);
    const advance = async (seconds: bigint) => {
      await provider.send("evm_increaseTime", [Number(seconds)]);
      await provider.send("evm_mine", []);
    };
    await advance(await suite.attribution.epochLength());
    const table: WeightTable = { ...template, epoch };
    const { json } = await writeWeightTable(table, join(outputDir, `attribution-model-2-epoch-${epoch}`));
    await sdk.commitAttribution(operator, table, `file://${json}`);
    await advance((await suite.attribution.challengeWindow()) + 1n);
    await sdk.finalizePair(operator, 2n, epoch);
    const prepared = await sdk.prepareSettlement(operator, provider, [...tables, table]);
    const files = await writeSettlementFiles(prepared.tree, outputDir, ledger.settlements.length + 1);
    await sdk.commitSettlement(operator, prepared, `file://${files.dump}`);
    // The root is pending for its dispute window: wait it out and make it live before claiming.
    await advance((await suite.distributor.disputeWindow()) + 1n);
    await sdk.activateSettlement(operator);
    for (const a of prepared.settlement.accounts) {
      const owed = await suite.distributor.claimable(a.account, a.cumulativeAmount);
      if (owed > 0n) return { account: a.account.toLowerCase(), cumulative: a.cumulativeAmount, owed };
    }
    throw new Error("the extra settlement left nobody anything to claim");
  }

  const advance = async (seconds: bigint) => {
    await provider.send("evm_increaseTime", [Number(seconds)]);
    await provider.send("evm_mine", []);
  };

  /**
   * Pays model 2 in the current epoch, ends it and commits a table for it (model 2's latest, plus
   * `extra` entries): the commitment is Pending, in its challenge window. Resolves with the epoch.
   */
  async function commitOneMoreEpoch(extra: WeightTable["entries"] = []): Promise<bigint> {
    const template = [...ledger.commitments.values()]
      .map((c) => weightTableFromJson(readFileSync(fileURLToPath(c.uri), "utf8")))
      .filter((t) => t.modelId === 2n)
      .at(-1)!;
    const operator = withRunner(suite, await signer(0));
    const epoch = await suite.attribution.currentEpoch();
    await sdk.pay(operator, await signer(9), 2n, 40n);
    await advance(await suite.attribution.epochLength());
    const entries = [...template.entries, ...extra];
    const table: WeightTable = {
      ...template,
      epoch,
      entries,
      totalWeight: entries.reduce((t, e) => t + e.weight, 0n),
    };
    const { json } = await writeWeightTable(table, join(outputDir, `attribution-model-2-epoch-${epoch}-e2e`));
    await sdk.commitAttribution(operator, table, `file://${json}`);
    return epoch;
  }

  /** Starts `npm run explorer` and resolves with its URL once it has caught up. */
  async function startExplorer(database: string): Promise<string> {
    explorer = spawnHardhat(
      [
        "explorer",
        "--network",
        "localhost",
        "--deployment",
        deploymentId,
        "--database",
        database,
        "--port",
        String(EXPLORER_PORT),
      ],
      env(),
    );
    let output = "";
    return new Promise((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`explorer did not start:\n${output}`)), 120_000);
      const onData = (d: Buffer) => {
        output += d.toString();
        const m = /explorer: (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
        if (m && /caught up at block/.test(output)) {
          clearTimeout(timer);
          resolveUrl(m[1]);
        }
      };
      explorer.stdout!.on("data", onData);
      explorer.stderr!.on("data", onData);
      explorer.once("exit", (code) => reject(new Error(`explorer exited (${code}):\n${output}`)));
    });
  }

  /** Waits until the index has caught up with the node's head. */
  async function indexCaughtUp() {
    // Asked of the node itself: ethers' getBlockNumber() may answer from a cache of the last
    // 250 ms, the head before the transaction just mined (a CI run failed on that race).
    const head = Number(await provider.send("eth_blockNumber", []));
    for (let i = 0; i < 80; i++) {
      const s = (await (await fetch(`${base}/api/status`)).json()) as { cursor: { number: number } | null };
      if ((s.cursor?.number ?? -1) >= head) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`the index did not reach block ${head}`);
  }

  /**
   * A browser context whose page has an injected EIP-1193 wallet backed by a node account (the
   * node signs for its unlocked accounts); `chainId` overrides what the wallet reports.
   */
  async function walletContext(account: string, chainId?: string): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await context.exposeFunction("__walletRpc", async (method: string, params: unknown[]) => {
      const res = await fetch(node.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      });
      return res.json();
    });
    await context.addInitScript(
      ({ account, chainId }) => {
        const w = globalThis as unknown as PageGlobals;
        w.ethereum = {
          async request({ method, params }: { method: string; params?: unknown[] }) {
            if (method === "eth_requestAccounts" || method === "eth_accounts") return [account];
            if (method === "eth_chainId" && chainId) return chainId;
            const r = await w.__walletRpc(method, params ?? []);
            if (r.error) {
              const e = new Error(String(r.error.message)) as Error & { code?: unknown; data?: unknown };
              e.code = r.error.code;
              e.data = r.error.data;
              throw e;
            }
            return r.result;
          },
          on() {},
        };
      },
      { account, chainId },
    );
    return context;
  }

  const pageErrors: string[] = [];
  const dialogs: string[] = [];
  let page: Page;

  /**
   * Clicks `button` and waits for the action's outcome under `selector` (class ok or error, not a
   * progress line) that is not the outcome shown before the click; resolves with its text.
   */
  async function outcome(p: Page, button: string, selector: string): Promise<string> {
    const before = await p.$(selector).then((e) => e?.textContent() ?? null);
    await p.click(button);
    for (let i = 0; i < 300; i++) {
      const el = await p.$(selector);
      const [cls, text] = el ? [await el.getAttribute("class"), await el.textContent()] : [null, null];
      if ((cls === "ok" || cls === "error") && text !== before) return text ?? "";
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(
      `${selector} showed no outcome in 60 s (it says: ${await p.textContent(selector).catch(() => "nothing")})`,
    );
  }

  /** Opens `path`, waits for the app to render it, saves a screenshot; resolves with the main text. */
  async function visit(p: Page, path: string, ready: string, shot: string): Promise<string> {
    await p.goto(base + path);
    await p.waitForSelector(ready, { timeout: 20_000 });
    await p.waitForFunction(
      () =>
        !(globalThis as unknown as PageGlobals).document
          .querySelector("main")
          ?.textContent?.includes("loading…"),
      null,
      {
        timeout: 20_000,
      },
    );
    await p.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
    return (await p.textContent("main")) ?? "";
  }

  before(async function () {
    // Fails at once, naming the package, where chromium is missing.
    await launchChromium().then((b) => b.close());
    mkdirSync(SHOTS, { recursive: true });
    node = await startHardhatNode(NODE_PORT);
    const demo = await runHardhat(
      ["demo", "--network", "localhost", "--deployment-id", deploymentId, "--json"],
      env(),
    );
    expect(demo.code, demo.output).to.equal(0);
    const report = JSON.parse(demo.output.slice(demo.output.indexOf("{\n"))) as {
      contracts: SuiteAddresses;
      outputDir: string;
    };
    provider = await connectResilient(node.url);
    signers = new JsonRpcProvider(node.url, undefined, { cacheTimeout: -1 });
    suite = connectSuite(report.contracts, provider);
    ledger = buildLedger(await readSuiteEvents(suite, provider, { indexer: false }));
    claimant = await settleOneMoreEpoch(report.outputDir);
    // Untrusted input: a contribution whose URI is a script URL, and one whose URI is markup.
    const stranger = withRunner(suite, await signer(12));
    hostileContributionIds = [];
    for (const [i, uri] of [HOSTILE_SCRIPT_URI, HOSTILE_HTML_URI].entries()) {
      const { contributionId } = await sdk.submitContribution(stranger, 1n, {
        contentHash: `0x${(i + 1).toString(16).padStart(64, "f")}`,
        uri,
        size: 10,
        kind: 0,
      });
      hostileContributionIds.push(contributionId.toLowerCase());
    }
    ledger = buildLedger(await readSuiteEvents(suite, provider, { indexer: false }));
    const dir = await mkdtemp(join(tmpdir(), "explorer-e2e-"));
    databasePath = join(dir, "index.sqlite");
    outputDir = report.outputDir;
    base = await startExplorer(databasePath);
    await indexCaughtUp();
    browser = await launchChromium();
    const context = await walletContext(claimant.account);
    page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });

  after(async function () {
    await browser?.close();
    if (explorer && explorer.exitCode === null) {
      const exited = new Promise((r) => explorer.once("exit", r));
      explorer.kill("SIGTERM");
      await exited;
    }
    provider?.destroy();
    signers?.destroy();
    await node?.stop();
    rmSync(resolve(ROOT, "deploy/deployments", deploymentId), { recursive: true, force: true });
  });

  afterEach(function () {
    expect(pageErrors, "uncaught errors in the page").to.deep.equal([]);
    expect(dialogs, "dialogs opened by page content").to.deep.equal([]);
  });

  it("npm run explorer should serve every answer with a Content-Security-Policy and refuse to forward sending methods", async function () {
    for (const path of ["/", "/models/1", "/api/status"]) {
      const res = await fetch(base + path);
      expect(res.status, path).to.equal(200);
      expect(res.headers.get("content-security-policy"), path).to.match(/script-src 'self'/);
      expect(res.headers.get("content-security-policy"), path).to.match(/default-src 'none'/);
    }
    const sent = (await (
      await fetch(`${base}/rpc`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "eth_sendTransaction", params: [{}] }),
      })
    ).json()) as { error?: { message: string } };
    expect(sent.error?.message).to.match(/not forwarded/);
  });

  it("/ and /books should show the books' identity and solvency with the numbers the SDK computes", async function () {
    const books = await suite.distributor.books();
    const paidIn = ledger.payments.reduce((s, p) => s + p.amount, 0n);
    const distributed =
      ledger.withdrawals.reduce((s, w) => s + w.amount, 0n) +
      ledger.claims.reduce((s, c) => s + c.amount, 0n) +
      ledger.staking.releasedByDistributor;
    const owed = owedFromBooks(books);
    const balance = await suite.token.balanceOf(suite.addresses.distributor);
    expect(paidIn).to.equal(distributed + owed);
    const overview = await visit(page, "/", "[data-testid=identity]", "overview");
    expect(overview).to.contain(
      `Balanced: paid in ${open(paidIn)} = distributed ${open(distributed)} + still owed ${open(owed)}`,
    );
    expect(overview).to.contain(`Solvent: the distributor holds ${open(balance)}, owes ${open(owed)}`);
    expect(overview).to.contain(`models${ledger.models.size}`);
    const text = await visit(page, "/books", "[data-testid=identity]", "books");
    expect(text).to.contain(`still owed (sum of the five above)${open(owed)}`);
    expect(text).to.contain(`poolsPending${open(books.poolsPending)}`);
    expect(text).to.contain(`claimable under settlements${open(books.claimable)}`);
  });

  it("/datanets/<id> should show the licence in words, the status counts and every version's root", async function () {
    for (const d of ledger.datanets.values()) {
      const text = await visit(
        page,
        `/datanets/${d.datanetId}`,
        "[data-testid=licence]",
        `datanet-${d.datanetId}`,
      );
      expect(await page.textContent("[data-testid=licence]")).to.equal(
        "allows research, commercial inference, fine-tuning, derivative models; does not allow redistribution of the data",
      );
      const counts = new Map<string, number>();
      for (const c of d.contributions.values()) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
      const shown = (await page.textContent("[data-testid=status-counts]"))!;
      for (const [status, n] of counts) expect(shown).to.contain(`${n} ${status}`);
      for (const v of d.versions) expect(text).to.contain(v.merkleRoot.toLowerCase());
      expect(text).to.contain("open: anyone may contribute");
    }
  });

  it("/contributions/<id> should verify the inclusion proof in the browser against the on-chain root", async function () {
    const d1 = ledger.datanets.get("1")!;
    const accepted = [...d1.contributions.values()].find((c) => c.status === "Accepted")!;
    const rejected = [...d1.contributions.values()].find((c) => c.status === "Rejected")!;
    const text = await visit(
      page,
      `/contributions/${accepted.contributionId}`,
      "[data-testid=proofs]",
      "contribution",
    );
    expect(text).to.contain(accepted.contentHash.toLowerCase());
    expect(await page.textContent("[data-testid=proof-1]")).to.match(/^verified: leaf/);
    await visit(
      page,
      `/contributions/${rejected.contributionId}`,
      "[data-testid=proofs]",
      "contribution-rejected",
    );
    expect(await page.textContent("[data-testid=proof-1]")).to.match(/^not in this version/);
  });

  it("/models/<id> and /models/<id>/epochs/<epoch> should show the price, lineage and payments per epoch the SDK sums", async function () {
    for (const m of ledger.models.values()) {
      const text = await visit(page, `/models/${m.modelId}`, "[data-testid=epochs]", `model-${m.modelId}`);
      expect(await page.textContent("[data-testid=price]")).to.equal(open(m.pricePerUnit));
      if (m.baseModelId !== 0n)
        expect(await page.textContent("[data-testid=lineage]")).to.contain(`model ${m.baseModelId}`);
      const epochs = new Map<bigint, { count: number; paid: bigint; pool: bigint }>();
      for (const p of ledger.payments.filter((x) => x.modelId === m.modelId)) {
        const e = epochs.get(p.epoch) ?? { count: 0, paid: 0n, pool: 0n };
        epochs.set(p.epoch, {
          count: e.count + 1,
          paid: e.paid + p.amount,
          pool: e.pool + p.contributorShare,
        });
      }
      const rows = (await page.locator("[data-testid=epochs] tbody tr").allTextContents()).join("\n");
      for (const [epoch, e] of epochs)
        expect(rows).to.contain(`epoch ${epoch}${e.count}${open(e.paid)}${open(e.pool)}`);
      expect(text).to.contain("Pay for inference");
    }
    const p = ledger.payments.find((x) => x.modelId === 2n)!;
    await visit(page, `/models/2/epochs/${p.epoch}`, "[data-testid=epoch-paid]", "epoch");
    const paid = ledger.payments.filter((x) => x.modelId === 2n && x.epoch === p.epoch);
    expect(await page.textContent("[data-testid=epoch-paid]")).to.equal(
      open(paid.reduce((s, x) => s + x.amount, 0n)),
    );
    expect(await page.textContent("[data-testid=commitment-state]")).to.match(/^final since /);
    // The committed table's top contributors, each leaf's proof checked in the browser.
    const table = weightTableFromJson(
      readFileSync(fileURLToPath(ledger.commitments.get(pairKey(2n, p.epoch))!.uri), "utf8"),
    );
    const heaviest = [...table.entries].sort((x, y) =>
      y.weight > x.weight ? 1 : y.weight < x.weight ? -1 : 0,
    )[0];
    await page.waitForSelector("[data-testid=attribution-top]");
    const top = await page.locator("[data-testid=attribution-top] tbody tr").allTextContents();
    expect(top).to.have.length(Math.min(20, table.entries.length));
    for (const row of top) expect(row).to.match(/verified$/);
    // The weight with its digits grouped, as the total weight above it.
    expect(top[0]).to.contain(heaviest.weight.toLocaleString("en-US"));
    await page.screenshot({ path: join(SHOTS, "epoch.png"), fullPage: true });
  });

  it("/tx/<hash> and search should find a payment by its hash, a model by id and an account by address", async function () {
    const p = ledger.payments[0];
    const text = await visit(page, `/tx/${p.transactionHash}`, "[data-testid=events]", "tx");
    expect(text).to.contain("Paid");
    expect(text).to.contain(`amount${open(p.amount)}`);
    await page.fill("input[name=q]", p.transactionHash);
    await page.press("input[name=q]", "Enter");
    await page.waitForURL(`**/tx/${p.transactionHash.toLowerCase()}`);
    await page.fill("input[name=q]", "2");
    await page.press("input[name=q]", "Enter");
    await page.waitForSelector("text=datanet 2");
    await page.screenshot({ path: join(SHOTS, "search.png"), fullPage: true });
    await page.fill("input[name=q]", [...ledger.datanets.get("1")!.contributions.values()][0].contentHash);
    await page.press("input[name=q]", "Enter");
    await page.waitForURL("**/contributions/0x*");
  });

  it("a hostile contribution URI should render as inert text, never as a link or markup", async function () {
    for (const id of hostileContributionIds) {
      await visit(page, `/contributions/${id}`, "[data-testid=proofs]", `hostile-${id.slice(2, 8)}`);
      const shown = await page.locator("main code.untrusted").allTextContents();
      expect(shown).to.include.oneOf([HOSTILE_SCRIPT_URI, HOSTILE_HTML_URI]);
      expect(await page.locator("main img").count()).to.equal(0);
      expect(await page.locator('a[href^="javascript:"]').count()).to.equal(0);
    }
    await visit(page, "/datanets/1", "[data-testid=licence]", "hostile-datanet");
    expect(await page.locator('a[href^="javascript:"]').count()).to.equal(0);
    expect(await page.locator("main img").count()).to.equal(0);
    for (const a of await page.locator("a.external").all())
      expect(await a.getAttribute("rel")).to.equal("noopener noreferrer");
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned)).to.equal(undefined);
  });

  it("/accounts/<address> should show what the SDK owes, claim it in one click and then show the claim", async function () {
    const claimed = ledger.claims
      .filter((c) => c.account === claimant.account)
      .reduce((s, c) => s + c.amount, 0n);
    await visit(page, `/accounts/${claimant.account}`, "[data-testid=claimable]", "account-before-claim");
    expect(await page.textContent("[data-testid=earned]")).to.equal(open(claimed));
    expect(await page.textContent("[data-testid=claimable]")).to.contain(
      `${open(claimant.owed)} claimable now`,
    );
    await page.click("text=Connect wallet");
    await page.waitForSelector("[data-testid=wallet-account]");
    const balanceBefore = await suite.token.balanceOf(claimant.account);
    expect(await outcome(page, "[data-testid=claim]", "[data-testid=claim-result]")).to.match(/^claimed /);
    await page.waitForFunction(
      (total) =>
        (globalThis as unknown as PageGlobals).document.querySelector("[data-testid=earned]")?.textContent ===
        total,
      open(claimed + claimant.owed),
      { timeout: 20_000 },
    );
    expect(await suite.token.balanceOf(claimant.account)).to.equal(balanceBefore + claimant.owed);
    expect(await page.textContent("[data-testid=claimable]")).to.match(/^nothing left to claim/);
    await page.screenshot({ path: join(SHOTS, "account-after-claim.png"), fullPage: true });
  });

  it("paying from an account without OPEN should show the decoded custom error in words", async function () {
    const poor = (await (await signer(14)).getAddress()).toLowerCase();
    expect(await suite.token.balanceOf(poor)).to.equal(0n);
    const context = await walletContext(poor);
    const p = await context.newPage();
    await visit(p, "/models/1", "[data-testid=pay]", "model-before-revert");
    await p.click("text=Connect wallet");
    await p.waitForSelector("[data-testid=wallet-account]");
    await p.click("[data-testid=pay]");
    await p.waitForSelector("[data-testid=pay-result].error", { timeout: 30_000 });
    const message = (await p.textContent("[data-testid=pay-result]"))!;
    expect(message).to.match(
      /^reverted: ERC20InsufficientBalance\(sender=0x[0-9a-fA-F]{40}, balance=0, needed=\d+\)/,
    );
    expect(message).to.contain("holds too little OPEN");
    await p.screenshot({ path: join(SHOTS, "revert.png"), fullPage: true });
    await context.close();
  });

  it("a wallet on another network should be named and refused", async function () {
    const context = await walletContext(claimant.account, "0xaa36a7");
    const p = await context.newPage();
    await visit(p, "/models/1", "[data-testid=pay]", "wrong-network");
    await p.click("text=Connect wallet");
    await p.waitForSelector("[data-testid=wrong-network]");
    expect(await p.textContent("[data-testid=wrong-network]")).to.contain(
      "your wallet is on Sepolia (chain 11155111); this explorer shows Hardhat local chain (chain 31337)",
    );
    await p.click("[data-testid=pay]");
    await p.waitForSelector("[data-testid=pay-result].error");
    expect(await p.textContent("[data-testid=pay-result]")).to.match(/^your wallet is on Sepolia/);
    await p.screenshot({ path: join(SHOTS, "wrong-network.png"), fullPage: true });
    await context.close();
  });

  it("the indexer API with --cors-origins should be readable from a page on that origin and refused to any other", async function () {
    const db = await openDatabase(databasePath);
    const staticPage = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!doctype html><title>a static explorer elsewhere</title>");
    });
    await new Promise<void>((r) => staticPage.listen(STATIC_PORT, "127.0.0.1", () => r()));
    const origin = `http://127.0.0.1:${STATIC_PORT}`;
    const allowing = await startApi(db, 0, () => undefined, { corsOrigins: [origin] });
    const closed = await startApi(db, 0);
    try {
      const p = await browser.newPage();
      await p.goto(`${origin}/`);
      const read = (url: string) =>
        p.evaluate(async (u) => {
          try {
            const r = await fetch(`${u}/status`);
            return ((await r.json()) as { chainId: string }).chainId;
          } catch (error) {
            return `refused: ${(error as Error).name}`;
          }
        }, url);
      expect(await read(allowing.url)).to.equal("31337");
      expect(await read(closed.url)).to.equal("refused: TypeError");
      await p.close();
    } finally {
      await allowing.close();
      await closed.close();
      await new Promise((r) => staticPage.close(r));
      await db.close();
    }
  });

  it("challenging a Pending commitment should refuse a reason that is not a URI, then approve the bond and challenge", async function () {
    const epoch = await commitOneMoreEpoch();
    await indexCaughtUp();
    const challenger = (await (await signer(9)).getAddress()).toLowerCase();
    const bond = await suite.attribution.challengeBond();
    expect(await suite.token.balanceOf(challenger)).to.be.greaterThanOrEqual(bond);
    const context = await walletContext(challenger);
    const p = await context.newPage();
    p.on("pageerror", (e) => pageErrors.push(e.message));
    await visit(p, `/models/2/epochs/${epoch}`, "[data-testid=challenge]", "challenge-before");
    await p.click("text=Connect wallet");
    await p.waitForSelector("[data-testid=wallet-account]");
    await p.fill("input[name=reason]", "javascript:alert(1)");
    expect(await outcome(p, "[data-testid=challenge]", "[data-testid=challenge-result]")).to.match(
      /^give the URI where your reason/,
    );
    expect(await suite.attribution.commitmentStatus(2n, epoch)).to.equal(1n);
    await p.fill("input[name=reason]", "ipfs://bafy-the-reason");
    expect(await outcome(p, "[data-testid=challenge]", "[data-testid=challenge-result]")).to.contain(
      `challenged with a ${open(bond)} bond`,
    );
    expect(await suite.attribution.commitmentStatus(2n, epoch)).to.equal(2n);
    await p.waitForSelector("[data-testid=commitment-state]:text-matches('^challenged')", {
      timeout: 20_000,
    });
    // The challenge in words, and the total weight with its digits grouped (not a raw integer).
    await p.waitForSelector("[data-testid=challenge-row]");
    expect(await p.textContent("[data-testid=challenge-row]")).to.match(/^challenged by 0x/);
    const total = (await suite.attribution.commitment(2n, epoch)).totalWeight;
    expect(await p.textContent("[data-testid=total-weight]")).to.match(
      new RegExp(`^${total.toLocaleString("en-US")}( |$)`),
    );
    await p.screenshot({ path: join(SHOTS, "challenge-after.png"), fullPage: true });
    await context.close();
  });

  it("/accounts/<address> should chart earnings per model and epoch and claim an unsettled epoch directly in one click", async function () {
    const fresh = (await (await signer(15)).getAddress()).toLowerCase();
    const epoch = await commitOneMoreEpoch([{ contributor: fresh, weight: 1_000_000n, contributions: [] }]);
    await advance((await suite.attribution.challengeWindow()) + 1n);
    await sdk.finalizePair(withRunner(suite, await signer(0)), 2n, epoch);
    await indexCaughtUp();
    const pair = await suite.distributor.pair(2n, epoch);
    const commitment = await suite.attribution.commitment(2n, epoch);
    const owed = (pair.pool * 1_000_000n) / commitment.totalWeight;
    expect(owed).to.be.greaterThan(0n);
    const context = await walletContext(fresh);
    const p = await context.newPage();
    p.on("pageerror", (e) => pageErrors.push(e.message));
    await visit(p, `/accounts/${fresh}`, "[data-testid=earnings-chart]", "account-earnings");
    expect(await p.locator("[data-testid=earnings] tbody tr").allTextContents()).to.deep.equal([
      `model 2 epoch ${epoch}${open(owed)}direct claim (not yet settled)`,
    ]);
    // One bar (the legend's swatch is an svg of its own, outside the chart).
    expect(await p.locator("[data-testid=earnings-chart] svg.chart rect").count()).to.equal(1);
    expect(await p.textContent("[data-testid=claimable]")).to.equal(
      `${open(owed)} claimable now (${open(owed)} directly from 1 epoch(s) no settlement covers yet)`,
    );
    await p.click("text=Connect wallet");
    await p.waitForSelector("[data-testid=wallet-account]");
    const before = await suite.token.balanceOf(fresh);
    expect(await outcome(p, "[data-testid=claim]", "[data-testid=claim-result]")).to.match(
      /^claimed .*\(1 direct claim\)/,
    );
    expect(await suite.token.balanceOf(fresh)).to.equal(before + owed);
    expect(await suite.distributor.directClaimed(fresh, 2n, epoch)).to.equal(true);
    await p.waitForSelector("[data-testid=earnings] td:text-is('claimed directly')", { timeout: 20_000 });
    await p.screenshot({ path: join(SHOTS, "account-direct-claim.png"), fullPage: true });
    await context.close();
  });

  it("staking from /accounts/<address> should check before sending, stake, request an unstake, withdraw after the delay and claim rewards", async function () {
    const staker = (await (await signer(9)).getAddress()).toLowerCase();
    const operator = [...ledger.staking.operators.values()].find((o) => o.listed)!.operator;
    const context = await walletContext(staker);
    const p = await context.newPage();
    p.on("pageerror", (e) => pageErrors.push(e.message));
    await visit(p, `/accounts/${staker}`, "[data-testid=stake]", "staking-before");
    await p.click("text=Connect wallet");
    await p.waitForSelector("[data-testid=wallet-account]");
    const balance = await suite.token.balanceOf(staker);
    // Pre-flight: more than the wallet holds, and an address with no pool, refused before the wallet.
    await p.fill("input[name=operator]", operator);
    await p.fill("input[name=stake-amount]", formatEther(balance + 1n));
    await p.click("[data-testid=stake]");
    await p.waitForSelector("[data-testid=stake-result].error");
    expect(await p.textContent("[data-testid=stake-result]")).to.match(
      /^you hold .* less than the .* to stake/,
    );
    await p.fill("input[name=operator]", "0x00000000000000000000000000000000000000a1");
    await p.fill("input[name=stake-amount]", "5");
    expect(await outcome(p, "[data-testid=stake]", "[data-testid=stake-result]")).to.match(/has no pool/);
    await p.fill("input[name=operator]", operator);
    expect(await outcome(p, "[data-testid=stake]", "[data-testid=stake-result]")).to.match(
      /^staked 5\.0 OPEN behind/,
    );
    const row = `[data-testid=positions] tr[data-operator="${operator}"]`;
    await p.waitForSelector(row, { timeout: 20_000 });
    const position = await suite.staking.position(operator, staker);
    expect(await p.textContent(`${row} [data-testid=staked]`)).to.equal(open(position.assets));
    const rows = (await (await fetch(`${base}/api/staking/stakes?account=${staker}`)).json()) as {
      items: { assets: string }[];
    };
    expect(rows.items.map((x) => x.assets)).to.include((5n * 10n ** 18n).toString());
    // The simulated call is the check: unstaking more than the stake shows the decoded custom error.
    await p.fill(`${row} input[name=unstake-amount]`, "1000000");
    expect(await outcome(p, `${row} [data-testid=unstake]`, `${row} [data-testid=unstake-result]`)).to.match(
      /^reverted: UnstakeExceedsStake\(operator=0x[0-9a-fA-F]{40}, account=0x[0-9a-fA-F]{40}, assets=1000000000000000000000000, available=\d+\)/,
    );
    await p.fill(`${row} input[name=unstake-amount]`, "2");
    expect(await outcome(p, `${row} [data-testid=unstake]`, `${row} [data-testid=unstake-result]`)).to.match(
      /^requested 2\.0 OPEN out of/,
    );
    // Reloaded after the request: the withdrawal is refused until the unbonding delay has passed.
    await p.waitForSelector(`${row} [data-testid=unbonding]:text-matches("withdrawable ")`, {
      timeout: 20_000,
    });
    expect(
      await outcome(p, `${row} [data-testid=withdraw]`, `${row} [data-testid=withdraw-result]`),
    ).to.match(/^still unbonding until /);
    await advance((await suite.staking.unbondingDelay()) + 1n);
    // Staker rewards: a payment's staker share released to staking and distributed to the pools.
    await sdk.pay(withRunner(suite, await signer(0)), await signer(9), 1n, 400n);
    await (await withRunner(suite, await signer(0)).staking.distribute()).wait();
    await indexCaughtUp();
    await visit(p, `/accounts/${staker}`, row, "staking-unbonded");
    const before = await suite.token.balanceOf(staker);
    const unbonding = (await suite.staking.position(operator, staker)).unbondingAssets;
    expect(
      await outcome(p, `${row} [data-testid=withdraw]`, `${row} [data-testid=withdraw-result]`),
    ).to.match(/^withdrew /);
    expect(await suite.token.balanceOf(staker)).to.equal(before + unbonding);
    await p.waitForSelector(`${row} [data-testid=pending-rewards]`, { timeout: 20_000 });
    const pending = (await suite.staking.position(operator, staker)).pendingRewards;
    expect(pending).to.be.greaterThan(0n);
    expect(
      await outcome(p, `${row} [data-testid=claim-rewards]`, `${row} [data-testid=claim-rewards-result]`),
    ).to.match(/^claimed .* of staking rewards/);
    const claims = (await (await fetch(`${base}/api/staking/claims?account=${staker}`)).json()) as {
      items: { amount: string }[];
    };
    expect(claims.items.at(-1)?.amount).to.equal(pending.toString());
    await p.screenshot({ path: join(SHOTS, "staking-after.png"), fullPage: true });
    await context.close();
  });

  it("usage vouchers should show on the payer's page (escrow balance, pending withdrawal, vouchers) and the model's (revenue per epoch, usage roots)", async function () {
    const book = JSON.parse(
      readFileSync(resolve(ROOT, "deploy/deployments", deploymentId, "deployed_addresses.json"), "utf8"),
    ) as Record<string, string>;
    const app = await signer(9);
    const payer = (await app.getAddress()).toLowerCase();
    const escrow = sdk.connectUsageEscrow(book["Suite#UsageEscrow"], app);
    await sdk.depositUsage(escrow, app, payer, 10n * 10n ** 18n);
    const price = (await suite.models.model(2n)).pricePerUnit;
    const voucher = {
      payer: getAddress(payer),
      modelId: 2n,
      cumulativeUnits: 3n,
      maxPricePerUnit: price,
      usageRoot: `0x${"5e".repeat(32)}`,
      expiry: BigInt((await provider.getBlock("latest"))!.timestamp + 3_600),
    };
    const domain = { chainId: (await provider.getNetwork()).chainId, escrow: await escrow.getAddress() };
    const signature = await signVoucher(app as never, domain, voucher);
    const { charged } = await sdk.redeemVouchers(escrow, await signer(0), [{ voucher, signature }]);
    expect(charged).to.equal(3n * price);
    await sdk.requestUsageWithdrawal(escrow, app, 10n ** 18n);
    await indexCaughtUp();
    const status = await sdk.usageStatus(escrow, payer);
    const context = await walletContext(payer);
    const p = await context.newPage();
    p.on("pageerror", (e) => pageErrors.push(e.message));
    await visit(p, `/accounts/${payer}`, "[data-testid=payer-usage]", "usage-payer");
    expect(await p.textContent("[data-testid=escrow-balance]")).to.equal(open(status.balance));
    expect(await p.textContent("[data-testid=pending-withdrawal]")).to.include(open(10n ** 18n));
    expect(await p.textContent("[data-testid=vouchers-redeemed]")).to.equal(
      `${open(charged)} in 1 redemption(s)`,
    );
    expect(await p.locator(`[data-testid=payer-usage] [title="${voucher.usageRoot}"]`).count()).to.equal(1);
    await visit(p, "/models/2", "[data-testid=model-usage]", "usage-model");
    expect(await p.textContent("[data-testid=voucher-revenue]")).to.equal(open(charged));
    const epoch = await suite.attribution.currentEpoch();
    const rows = await p.locator("[data-testid=voucher-epochs] tbody tr").allTextContents();
    expect(rows).to.have.length(1);
    expect(rows[0].startsWith(`epoch ${epoch}1${open(charged)}`), rows[0]).to.equal(true);
    expect(await p.locator(`[data-testid=model-usage] [title="${voucher.usageRoot}"]`).count()).to.equal(1);
    await context.close();
  });

  it("/settlements should show a pending root with its window, refuse a malformed fraud proof, decode a dispute's revert, then activate it past the window", async function () {
    // One more final epoch, so the new root covers more than the live one (a root is posted once).
    const epoch = await commitOneMoreEpoch();
    await advance((await suite.attribution.challengeWindow()) + 1n);
    await sdk.finalizePair(withRunner(suite, await signer(0)), 2n, epoch);
    ledger = buildLedger(await readSuiteEvents(suite, provider, { indexer: false }));
    const tables = [...ledger.commitments.values()].map((c) =>
      weightTableFromJson(readFileSync(fileURLToPath(c.uri), "utf8")),
    );
    const operator = withRunner(suite, await signer(0));
    const prepared = await sdk.prepareSettlement(operator, provider, tables);
    const files = await writeSettlementFiles(prepared.tree, outputDir, ledger.settlements.length + 10);
    await sdk.commitSettlement(operator, prepared, `file://${files.dump}`);
    await indexCaughtUp();
    const list = (await (await fetch(`${base}/api/settlements?limit=1000`)).json()) as {
      items: { settlementId: number; status: string }[];
    };
    const posted = list.items.at(-1)!;
    expect(posted.status).to.equal("pending");
    const context = await walletContext((await (await signer(3)).getAddress()).toLowerCase());
    const p = await context.newPage();
    p.on("pageerror", (e) => pageErrors.push(e.message));
    await visit(p, "/settlements", "[data-testid=settlements]", "settlements");
    expect(await p.locator("[data-testid=settlements] tr[data-status=pending]").count()).to.equal(1);
    expect(await p.locator("[data-testid=settlements] tr[data-status=activated]").count()).to.be.greaterThan(
      0,
    );
    await visit(p, `/settlements/${posted.settlementId}`, "[data-testid=dispute]", "settlement-pending");
    expect(await p.textContent("[data-testid=settlement-status]")).to.match(/^pending: disputable until /);
    expect(await p.locator("[data-testid=activate]").count()).to.equal(0);
    await p.click("text=Connect wallet");
    await p.waitForSelector("[data-testid=wallet-account]");
    // A file that is not a dispute call: refused before anything is simulated.
    const input = p.locator("input[name=dispute-file]");
    await input.setInputFiles({
      name: "bad.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify({ function: "disputeLeaf", args: [{ account: "0x12" }] })),
    });
    expect((await outcome(p, "[data-testid=dispute]", "[data-testid=dispute-result]")).trim()).to.equal(
      "bad.json: args.leaf.account must be an address (0x + 40 hex)",
    );
    // A well-formed proof of a leaf that breaks no rule: the simulation's revert, decoded.
    const index = prepared.tree.length - 1;
    const leaf = settlementLeafAt(prepared.tree, index);
    const file = {
      function: "disputeLeaf",
      root: prepared.root,
      args: [
        {
          account: leaf.account,
          cumulativeAmount: leaf.cumulativeAmount.toString(),
          nextAccount: leaf.nextAccount,
          prefixBefore: leaf.prefixBefore.toString(),
          proof: prepared.tree.proof(index),
        },
      ],
    };
    await input.setInputFiles({
      name: "proof.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(file)),
    });
    expect(await outcome(p, "[data-testid=dispute]", "[data-testid=dispute-result]")).to.match(
      /^reverted: .*NoFaultFound/,
    );
    await p.screenshot({ path: join(SHOTS, "settlement-dispute-revert.png"), fullPage: true });
    // Past the window: the dispute form gives way to Activate.
    await advance((await suite.distributor.disputeWindow()) + 1n);
    await visit(p, `/settlements/${posted.settlementId}`, "[data-testid=activate]", "settlement-activate");
    await p.click("text=Connect wallet");
    await p.waitForSelector("[data-testid=wallet-account]");
    expect(await p.textContent("[data-testid=settlement-status]")).to.match(
      /^pending: its dispute window ended at /,
    );
    expect(await outcome(p, "[data-testid=activate]", "[data-testid=activate-result]")).to.match(
      new RegExp(`^settlement #${posted.settlementId} activated`),
    );
    expect((await suite.distributor.pendingSettlement()).root).to.match(/^0x0+$/);
    await p.waitForSelector("[data-testid=settlement-status]:text-matches('^activated')", {
      timeout: 20_000,
    });
    await p.screenshot({ path: join(SHOTS, "settlement-activated.png"), fullPage: true });
    await context.close();
  });

  it("/settlements/<id> should reject a hostile root with a fraud proof from a file and then show the fault, the slash and the reward", async function () {
    // A root whose sentinel leaf carries an amount (BadSentinel), posted with a valid total and coverage.
    const operator = withRunner(suite, await signer(0));
    const live = await suite.distributor.pendingSettlement();
    expect(live.root).to.match(/^0x0+$/);
    ledger = buildLedger(await readSuiteEvents(suite, provider, { indexer: false }));
    const tables = [...ledger.commitments.values()].map((c) =>
      weightTableFromJson(readFileSync(fileURLToPath(c.uri), "utf8")),
    );
    const prepared = await sdk.prepareSettlement(operator, provider, tables);
    const someone = (await (await signer(16)).getAddress()).toLowerCase();
    const leaves = [
      { account: SETTLEMENT_SENTINEL, cumulativeAmount: 5n, nextAccount: someone, prefixBefore: 0n },
      { account: someone, cumulativeAmount: 1n, nextAccount: SETTLEMENT_LAST_LINK, prefixBefore: 5n },
    ];
    const tree = StandardMerkleTree.of(
      leaves.map((l) => [SETTLEMENT_LEAF_TAG, l.account, l.cumulativeAmount, l.nextAccount, l.prefixBefore]),
      [...SETTLEMENT_LEAF_ENCODING],
    );
    await (
      await suite.distributor
        .connect(await signer(0))
        .commitSettlement(
          tree.root,
          prepared.settlement.total,
          prepared.settlement.coveredThroughSeq,
          "ipfs://hostile-settlement",
        )
    ).wait();
    await indexCaughtUp();
    const posted = (
      (await (await fetch(`${base}/api/settlements?limit=1000`)).json()) as {
        items: { settlementId: number; root: string }[];
      }
    ).items.at(-1)!;
    expect(posted.root).to.equal(tree.root.toLowerCase());
    const disputer = (await (await signer(17)).getAddress()).toLowerCase();
    const before = await suite.token.balanceOf(disputer);
    const context = await walletContext(disputer);
    const p = await context.newPage();
    p.on("pageerror", (e) => pageErrors.push(e.message));
    await visit(p, `/settlements/${posted.settlementId}`, "[data-testid=dispute]", "settlement-hostile");
    await p.click("text=Connect wallet");
    await p.waitForSelector("[data-testid=wallet-account]");
    const proof = tree.getProof(0);
    await p.locator("input[name=dispute-file]").setInputFiles({
      name: "proof.json",
      mimeType: "application/json",
      // The watchtower's shape: "method" and extra keys (fault, account) are accepted.
      buffer: Buffer.from(
        JSON.stringify({
          method: "disputeLeaf",
          fault: "BadSentinel",
          account: SETTLEMENT_SENTINEL,
          root: tree.root,
          args: [{ ...leaves[0], cumulativeAmount: "5", prefixBefore: "0", proof }],
        }),
      ),
    });
    expect(await outcome(p, "[data-testid=dispute]", "[data-testid=dispute-result]")).to.match(
      /^dispute sent \(disputeLeaf\)/,
    );
    await p.waitForSelector("[data-testid=settlement-status]:text-matches('^rejected')", { timeout: 20_000 });
    expect(await p.textContent("[data-testid=settlement-status]")).to.match(
      /^rejected: dispute proved BadSentinel/,
    );
    const row = await p.locator("[data-testid=disputes] tbody tr").allTextContents();
    expect(row).to.have.length(1);
    const [event] = await suite.distributor.queryFilter(
      suite.distributor.filters.SettlementRejected(tree.root),
    );
    expect(event, "SettlementRejected on chain").to.not.equal(undefined);
    const reward = (await suite.token.balanceOf(disputer)) - before;
    expect(reward, "the disputer's reward").to.be.greaterThan(0n);
    expect(row[0]).to.include(open(reward));
    await p.screenshot({ path: join(SHOTS, "settlement-rejected.png"), fullPage: true });
    await visit(p, "/settlements", "[data-testid=settlements]", "settlements-after");
    expect(await p.locator("[data-testid=settlements] tr[data-status=rejected]").count()).to.equal(1);
    await context.close();
  });
});

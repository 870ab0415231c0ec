/**
 * The settlement watchtower end to end (issue 17): a `hardhat node` on 127.0.0.1:8611 with the demo
 * played on it, `npx hardhat settlement watch` running as its own process (account 12 disputes), and
 * a hostile settlement operator (the deployer, bonded in staking) posting wrong roots with their
 * dumps published. Each time the watchtower disputes inside the window, the root is rejected, the
 * live root stays, the operator is slashed and the disputer rewarded; at the end the honest root
 * goes live and every contributor claims exactly its entitlement: nobody lost anything.
 */
import { type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect } from "chai";
import { parseEther, type Signer } from "ethers";
import { network } from "hardhat";
import LocalModule from "../../deploy/modules/Local.js";
import { weightTableFromJson, weightTableToJson, type WeightTable } from "../../src/attribution/index.js";
import { runDemo, type DemoReport } from "../../src/demo/story.js";
import { FastMerkleTree, SETTLEMENT_LEAF_ENCODING } from "../../src/merkle/index.js";
import * as sdk from "../../src/sdk/index.js";
import { readSuiteEvents } from "../../src/sdk/read/events.js";
import { buildLedger } from "../../src/sdk/read/ledger.js";
import {
  connectSuite,
  saveAddresses,
  suiteAddressesOf,
  withRunner,
  type Suite,
} from "../../src/sdk/suite.js";
import { writeSettlementFiles } from "../../src/settlement/files.js";
import { settlementLeafRows, settlementLeaves } from "../../src/settlement/tree.js";
import { verifyLedger } from "../../src/verifier/index.js";
import {
  ROOT,
  rpc,
  runHardhat,
  spawnHardhat,
  startHardhatNode,
  type LocalNode,
} from "../helpers/localNode.js";

const PORT = 8611;
const DISPUTER = 12;

/** Polls `check` every 250 ms until it returns a value, or fails naming `what`. */
async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface Account {
  account: string;
  cumulativeAmount: bigint;
}

describe("Settlement watchtower (settlement watch) against hostile settlement operators", function () {
  this.timeout(600_000);
  let node: LocalNode;
  let conn: Awaited<ReturnType<typeof network.create>>;
  let suite: Suite;
  let signers: Signer[];
  let operator: string;
  let disputer: string;
  let report: DemoReport;
  let tables: WeightTable[];
  let honest: Account[];
  let honestTotal: bigint;
  let watcher: ChildProcess;
  let watcherOut = "";
  let book: string;
  const deploymentId = `watchtower-${process.pid}-${Date.now()}`;
  const work = mkdtempSync(join(tmpdir(), "openledger-watch-"));
  let posted = 0;

  /** The JSON reports the watchtower printed so far (one per line). */
  const reports = () =>
    watcherOut
      .split("\n")
      .slice(0, -1) // the last piece may be a line still being written
      .filter((l) => l.startsWith("{"))
      .map(
        (l) => JSON.parse(l) as { pending?: Record<string, unknown> & { disputed?: Record<string, string> } },
      );

  /** Posts `accounts` (sorted, linked, prefix-summed) as a settlement root with its dump published (or not yet). */
  async function post(accounts: Account[], publish = true) {
    const tree = FastMerkleTree.of(settlementLeafRows(settlementLeaves(accounts)), SETTLEMENT_LEAF_ENCODING);
    const total = accounts.reduce((s, a) => s + a.cumulativeAmount, 0n);
    posted++;
    const files = await writeSettlementFiles(tree, join(work, `root-${posted}`), posted);
    const uri = join(work, `published-${posted}.json`);
    if (publish) await writeFile(uri, await readFile(files.dump));
    await (
      await suite.distributor.commitSettlement(tree.root, total, await suite.distributor.finalizeSeq(), uri)
    ).wait();
    return { root: tree.root.toLowerCase(), total, dump: files.dump, uri };
  }

  /** What a dispute changes, read before the root is posted. */
  async function snapshot() {
    return {
      live: await suite.distributor.latestSettlement(),
      pool: (await suite.staking.pool(operator)).assets,
      balance: await suite.token.balanceOf(disputer),
    };
  }

  /** Waits for the watchtower's dispute of `root`; checks the rejection, the slash and the reward. */
  async function expectDisputed(
    root: string,
    fault: string,
    account: string,
    { live, pool, balance }: Awaited<ReturnType<typeof snapshot>>,
  ) {
    const disputed = await until(
      `the watchtower disputes ${root}`,
      async () => reports().find((r) => r.pending?.root === root && r.pending.disputed)?.pending?.disputed,
    );
    expect(disputed.fault).to.equal(fault);
    expect(disputed.account).to.equal(account.toLowerCase());
    expect(disputed.disputer).to.equal(disputer.toLowerCase());
    // Rejected: nothing pending, the live root untouched (claims never stopped).
    expect((await suite.distributor.pendingSettlement()).activatesAt).to.equal(0n);
    expect(await suite.distributor.latestSettlement()).to.deep.equal(live);
    // The operator slashed, the disputer paid the slash's challenger reward.
    const slashed = pool - (await suite.staking.pool(operator)).assets;
    const reward = (await suite.token.balanceOf(disputer)) - balance;
    expect(slashed).to.be.greaterThan(0n);
    expect(BigInt(disputed.slashed)).to.equal(slashed);
    expect(reward).to.be.greaterThan(0n);
    expect(BigInt(disputed.reward)).to.equal(reward);
    // The provenance graph knows the rejected root and its dispute.
    const ledger = buildLedger(await readSuiteEvents(suite, conn.ethers.provider, { indexer: false }));
    expect(ledger.rejectedSettlements.map((s) => s.root)).to.include(root);
    expect(ledger.disputes.find((d) => d.root === root)).to.include({
      disputer: disputer.toLowerCase(),
      operator: operator.toLowerCase(),
      slashed,
      reward,
    });
    // Bond again what the slash took, so that the operator can post the next root.
    await (await suite.token.approve(suite.addresses.staking, slashed)).wait();
    await (await suite.staking.stake(operator, slashed)).wait();
  }

  before(async function () {
    node = await startHardhatNode(PORT);
    conn = await network.create({ network: "localhost", override: { url: node.url } });
    const deployed = await conn.ignition.deploy(LocalModule, { displayUi: false, deploymentId });
    const addresses = await suiteAddressesOf(deployed);
    book = join(work, "addresses.json");
    await saveAddresses(book, addresses);
    signers = await conn.ethers.getSigners();
    report = await runDemo({
      networkName: "localhost",
      provider: conn.ethers.provider,
      signers,
      addresses,
      usageEscrow: await deployed.usageEscrow.getAddress(),
    });
    suite = connectSuite(addresses, signers[0]);
    operator = await signers[0].getAddress();
    disputer = await signers[DISPUTER].getAddress();
    tables = await Promise.all(
      report.attribution.map(async (a) => weightTableFromJson(await readFile(a.table, "utf8"))),
    );
    // A new pair after the demo's settlements: paid, committed, final and finalised, so the next
    // root has unsettled money to misallocate.
    const source = tables.at(-1)!;
    await sdk.pay(withRunner(suite, signers[9]), signers[9], source.modelId, 10n);
    await rpc(node.url, "evm_increaseTime", [Number(await suite.attribution.epochLength())]);
    await rpc(node.url, "evm_mine");
    const epoch = (await suite.attribution.currentEpoch()) - 1n;
    const table: WeightTable = { ...source, epoch };
    const file = join(work, `table-${epoch}.json`);
    await writeFile(file, weightTableToJson(table));
    await sdk.commitAttribution(suite, table, file);
    await rpc(node.url, "evm_increaseTime", [Number(await suite.attribution.challengeWindow()) + 1]);
    await rpc(node.url, "evm_mine");
    await sdk.finalizePair(suite, table.modelId, epoch);
    tables.push(table);
    const ledger = buildLedger(await readSuiteEvents(suite, conn.ethers.provider, { indexer: false }));
    const prepared = sdk.settlementOf(ledger, tables);
    honest = prepared.settlement.accounts.map(({ account, cumulativeAmount }) => ({
      account,
      cumulativeAmount,
    }));
    honestTotal = prepared.settlement.total;
    expect(honest.length).to.be.greaterThan(2);
    expect(honestTotal).to.be.greaterThan((await suite.distributor.latestSettlement()).total);
    // The operator bonds more than the minimum, so that each slash leaves it able to post again.
    await (await suite.token.approve(addresses.staking, parseEther("50000"))).wait();
    await (await suite.staking.stake(operator, parseEther("50000"))).wait();

    watcher = spawnHardhat(
      [
        "settlement",
        "watch",
        "--network",
        "localhost",
        "--addresses",
        book,
        "--from",
        String(DISPUTER),
        "--interval",
        "1",
        "--json",
      ],
      { LOCALHOST_RPC_URL: node.url },
    );
    watcher.stdout!.on("data", (d: Buffer) => (watcherOut += d.toString()));
    watcher.stderr!.on("data", (d: Buffer) => (watcherOut += d.toString()));
    await until("the watchtower reports its first check", async () => {
      if (watcher.exitCode !== null) throw new Error(`the watchtower exited:\n${watcherOut}`);
      return reports().length > 0 ? true : undefined;
    });
  });

  after(async function () {
    if (watcher && watcher.exitCode === null) {
      const exited = new Promise((r) => watcher.once("exit", r));
      process.kill(watcher.pid!, "SIGTERM");
      await exited;
    }
    await conn?.close();
    await node?.stop();
    rmSync(resolve(ROOT, "deploy/deployments", deploymentId), { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it("should dispute a root that pays the operator everything (Omitted), and keep the live root", async function () {
    const b = await snapshot();
    const { root } = await post([{ account: operator, cumulativeAmount: honestTotal }]);
    // Every contributor is omitted; the cheapest proof is one of them with one pair.
    const owed = honest.filter((a) => a.account !== operator.toLowerCase());
    const disputed = await until(
      "the dispute",
      async () => reports().find((r) => r.pending?.root === root && r.pending.disputed)?.pending?.disputed,
    );
    expect(owed.map((a) => a.account)).to.include(disputed.account);
    await expectDisputed(root, "Omitted", disputed.account, b);
  });

  it("should dispute a root that omits an account (Omitted)", async function () {
    const victim = honest[1]!;
    const b = await snapshot();
    const { root } = await post(
      honest
        .filter((a) => a !== victim)
        .map((a, i) =>
          i === 0 ? { ...a, cumulativeAmount: a.cumulativeAmount + victim.cumulativeAmount } : a,
        ),
    );
    await expectDisputed(root, "Omitted", victim.account, b);
  });

  it("should dispute a root that underpays an account by one wei (Underpaid)", async function () {
    const victim = honest[2]!;
    const b = await snapshot();
    const { root } = await post(
      honest.map((a) => (a === victim ? { ...a, cumulativeAmount: a.cumulativeAmount - 1n } : a)),
    );
    await expectDisputed(root, "Underpaid", victim.account, b);
  });

  it("should dispute a root that pays one account more by shorting another (Underpaid)", async function () {
    const [rich, poor] = [honest[0]!, honest.at(-1)!];
    const shift = poor.cumulativeAmount / 2n;
    const b = await snapshot();
    const { root } = await post(
      honest.map((a) =>
        a === rich
          ? { ...a, cumulativeAmount: a.cumulativeAmount + shift }
          : a === poor
            ? { ...a, cumulativeAmount: a.cumulativeAmount - shift }
            : a,
      ),
    );
    await expectDisputed(root, "Underpaid", poor.account, b);
  });

  it("should report a wrong root whose dump is not published, and dispute it once the dump appears", async function () {
    // honest[0]'s amount goes to honest[1]: the total stays, the root differs.
    const [victim, gainer] = [honest[0]!, honest[1]!];
    const accounts = honest
      .filter((a) => a !== victim)
      .map((a) =>
        a === gainer ? { ...a, cumulativeAmount: a.cumulativeAmount + victim.cumulativeAmount } : a,
      );
    const b = await snapshot();
    const { root, dump, uri } = await post(accounts, false);
    const unavailable = await until(
      "the watchtower reports the missing dump",
      async () =>
        reports().find((r) => r.pending?.root === root && r.pending.verdict === "unavailable")?.pending,
    );
    expect(String(unavailable.detail)).to.contain("its dump cannot be read");
    // The same from a one-shot check: exit code 1 and one line saying what is wrong.
    const once = await runHardhat(
      ["settlement", "watch", "--network", "localhost", "--addresses", book, "--once", "--dry-run"],
      { LOCALHOST_RPC_URL: node.url },
    );
    expect(once.code, once.output).to.equal(1);
    expect(once.output).to.contain("WRONG, DATA UNAVAILABLE");
    await writeFile(uri, await readFile(dump));
    await expectDisputed(root, "Omitted", victim.account, b);
  });

  it("settlement watch: should refuse a bad --interval or --dump, and a network without the suite, with one line", async function () {
    const env = { LOCALHOST_RPC_URL: node.url };
    const base = ["settlement", "watch", "--network", "localhost", "--addresses", book, "--once"];
    const lastLine = (output: string) => output.trim().split("\n").at(-1);
    const interval = await runHardhat([...base, "--interval", "0"], env);
    expect(interval.code).to.equal(1);
    expect(lastLine(interval.output)).to.equal('Error: --interval must be a positive integer, got "0"');
    const dump = await runHardhat([...base, "--dump", "two=x.json"], env);
    expect(dump.code).to.equal(1);
    expect(lastLine(dump.output)).to.equal(
      'Error: --dump "two=x.json" is not id=path (e.g. 2=./settlement-2.json)',
    );
    const inProcess = await runHardhat(["settlement", "watch", "--addresses", book, "--once"]);
    expect(inProcess.code).to.equal(1);
    expect(lastLine(inProcess.output)).to.match(/^Error: .*did you forget --network localhost\?$/);
  });

  it("the verifier should list the rejected roots and their disputes", async function () {
    const result = await verifyLedger({ suite, provider: conn.ethers.provider });
    const rejected = result.settlements.filter((s) => s.status === "rejected");
    expect(rejected).to.have.length(5);
    expect(rejected.every((s) => s.verdict === "rejected")).to.equal(true);
    expect(result.disputes).to.have.length(5);
    expect(result.disputes.every((d) => d.disputer === disputer.toLowerCase())).to.equal(true);
  });

  it("should leave the honest root alone; once live, every contributor claims exactly its entitlement", async function () {
    const { root } = await post(honest);
    const judged = await until(
      "the watchtower judges the honest root",
      async () => reports().find((r) => r.pending?.root === root)?.pending,
    );
    expect(judged.verdict).to.equal("honest");
    await rpc(node.url, "evm_increaseTime", [Number(await suite.distributor.disputeWindow()) + 1]);
    await rpc(node.url, "evm_mine");
    await (await suite.distributor.activateSettlement()).wait();
    expect((await suite.distributor.latestSettlement()).root.toLowerCase()).to.equal(root);
    const tree = FastMerkleTree.of(settlementLeafRows(settlementLeaves(honest)), SETTLEMENT_LEAF_ENCODING);
    for (const a of honest) {
      const proof = sdk.settlementProof(tree, a.account);
      // The demo's claims already took part of some accounts' amounts: the rest is claimable.
      if ((await suite.distributor.claimable(a.account, a.cumulativeAmount)) > 0n)
        await sdk.claim(suite, proof);
      expect(await suite.distributor.claimed(a.account)).to.equal(a.cumulativeAmount);
    }
    const verified = await verifyLedger({ suite, provider: conn.ethers.provider });
    expect(verified.settlements.at(-1)).to.include({ status: "activated", verdict: "match" });
  });
});

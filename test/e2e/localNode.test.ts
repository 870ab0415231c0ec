import { expect } from "chai";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import {
  ROOT,
  type LocalNode,
  rpc,
  runHardhat,
  spawnHardhat,
  startHardhatNode,
} from "../helpers/localNode.js";

const MODULE = "deploy/modules/Local.ts";
/** Contracts the module deploys (one creation transaction each). */
const EXPECTED_CONTRACTS = [
  "OpenToken#OpenToken",
  "Suite#DatanetRegistry",
  "Suite#ModelRegistry",
  "Suite#OperatorStaking",
  "Suite#AttributionRegistry",
  "Suite#RewardDistributor",
  "Suite#SettlementDisputes",
  "Suite#UsageEscrow",
];

interface RpcBlock {
  transactions: { to: string | null; hash: string }[];
}

/** Every contract-creation transaction on the node, across all blocks. */
async function creationTxs(url: string): Promise<string[]> {
  const latest = Number(await rpc<string>(url, "eth_blockNumber"));
  const hashes: string[] = [];
  for (let n = 0; n <= latest; n++) {
    const block = await rpc<RpcBlock>(url, "eth_getBlockByNumber", [`0x${n.toString(16)}`, true]);
    for (const tx of block.transactions) if (tx.to === null) hashes.push(tx.hash);
  }
  return hashes;
}

describe("Deployment over JSON-RPC to a real node on 127.0.0.1", function () {
  this.timeout(300_000);
  let node: LocalNode;
  const deploymentId = `e2e-${process.pid}-${Date.now()}`;
  const deploymentDir = resolve(ROOT, "deploy/deployments", deploymentId);

  before(async function () {
    node = await startHardhatNode();
  });

  after(async function () {
    await node?.stop();
    rmSync(deploymentDir, { recursive: true, force: true });
  });

  it("should resume a deployment killed after sending a transaction, deploying nothing twice", async function () {
    const env = { LOCALHOST_RPC_URL: node.url };
    // The default build profile, as the rest of the suite's tests: `ignition deploy` builds the
    // production profile unless told otherwise, and Hardhat keeps one compile-cache entry per
    // source file, so every production build here made the next test process compile again
    // (minutes of CPU under load, the deployer silent for 180 s).
    const args = [
      "ignition",
      "deploy",
      MODULE,
      "--network",
      "localhost",
      "--deployment-id",
      deploymentId,
      "--build-profile",
      "default",
    ];
    // Hold the transaction in the mempool so the deployer can be killed between send and receipt.
    await rpc(node.url, "evm_setAutomine", [false]);
    const first = spawnHardhat(args, env);
    // Read its output: unread, Ignition's progress display fills the pipe (64 KiB) while it waits
    // for receipts that never come, and the deployer blocks before it sends (seen under load).
    let firstOutput = "";
    first.stdout?.on("data", (d: Buffer) => (firstOutput += d.toString()));
    first.stderr?.on("data", (d: Buffer) => (firstOutput += d.toString()));
    const journal = resolve(deploymentDir, "journal.jsonl");
    // Kill once the deployer has sent transactions and sits waiting for their receipts (its
    // journal has stopped growing): the state a crash or a lost connection leaves behind.
    const deadline = Date.now() + 180_000;
    let last = "";
    let stableSince = Date.now();
    for (;;) {
      if (first.exitCode !== null)
        throw new Error(
          `deployer exited before sending (code ${first.exitCode}):\n${firstOutput.slice(-2000)}`,
        );
      if (Date.now() > deadline)
        throw new Error(`no transaction was sent within 180 s:\n${firstOutput.slice(-2000)}`);
      const text = existsSync(journal) ? readFileSync(journal, "utf8") : "";
      if (text !== last) {
        last = text;
        stableSince = Date.now();
      } else if (text.includes("TRANSACTION_SEND") && Date.now() - stableSince > 2_000) {
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const exited = new Promise((r) => first.once("exit", r));
    first.kill("SIGKILL");
    await exited;
    await rpc(node.url, "evm_setAutomine", [true]);
    await rpc(node.url, "evm_mine");

    const second = await runHardhat(args, env);
    expect(second.code, second.output).to.equal(0);

    const addresses = JSON.parse(
      readFileSync(resolve(deploymentDir, "deployed_addresses.json"), "utf8"),
    ) as Record<string, string>;
    expect(Object.keys(addresses).sort()).to.deep.equal([...EXPECTED_CONTRACTS].sort());
    expect(await creationTxs(node.url)).to.have.length(EXPECTED_CONTRACTS.length);

    // Re-running the finished deployment is a no-op: no new transaction.
    const blockBefore = await rpc<string>(node.url, "eth_blockNumber");
    const third = await runHardhat(args, env);
    expect(third.code, third.output).to.equal(0);
    expect(await rpc<string>(node.url, "eth_blockNumber")).to.equal(blockBefore);
  });

  it("should play the demo over JSON-RPC on the deployed suite and balance the books", async function () {
    const env = { LOCALHOST_RPC_URL: node.url };
    const creationsBefore = (await creationTxs(node.url)).length;
    const run = await runHardhat(
      ["demo", "--network", "localhost", "--json", "--deployment-id", deploymentId],
      env,
    );
    expect(run.code, run.output).to.equal(0);
    const report = JSON.parse(run.output.slice(run.output.indexOf("{"))) as {
      chainId: string;
      contracts: Record<string, string>;
      books: { balanced: boolean; solvent: boolean; paidIn: string };
      claims: { path: string }[];
    };
    expect(report.chainId).to.equal("31337");
    expect(report.books.balanced).to.equal(true);
    expect(report.books.solvent).to.equal(true);
    expect(BigInt(report.books.paidIn)).to.be.greaterThan(0n);
    expect(report.claims.map((c) => c.path)).to.include.members(["settlement", "direct"]);
    // The demo reused the deployment recorded by Ignition: no contract was deployed again.
    const addresses = JSON.parse(
      readFileSync(resolve(deploymentDir, "deployed_addresses.json"), "utf8"),
    ) as Record<string, string>;
    expect(report.contracts.distributor).to.equal(addresses["Suite#RewardDistributor"]);
    expect(await creationTxs(node.url)).to.have.length(creationsBefore);
  });
});

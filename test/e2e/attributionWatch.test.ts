/**
 * The watchtower proves a wrong attribution weight sum on chain (issue 17): a `hardhat node` with the
 * suite deployed, the attribution operator (the deployer, bonded in staking) commits a table whose
 * weights exceed the committed total; `ledger verify` reports it as provable, and
 * `npx hardhat settlement watch --once --json`, as its own process from account 12, proves it: the
 * commitment is voided, the operator slashed, the prover rewarded.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect } from "chai";
import type { Signer } from "ethers";
import { network } from "hardhat";
import LocalModule from "../../deploy/modules/Local.js";
import { commitAttribution } from "../../src/sdk/attribution.js";
import { connectSuite, saveAddresses, suiteAddressesOf, type Suite } from "../../src/sdk/suite.js";
import { verifyLedger } from "../../src/verifier/index.js";
import type { WeightTable } from "../../src/attribution/weights.js";
import { ROOT, rpc, runHardhat, startHardhatNode, type LocalNode } from "../helpers/localNode.js";

const PROVER = 12;
const VOIDED = 4n;

describe("Watchtower against an attribution table whose weights exceed the committed total", function () {
  this.timeout(600_000);
  let node: LocalNode;
  let conn: Awaited<ReturnType<typeof network.create>>;
  let suite: Suite;
  let signers: Signer[];
  let book: string;
  let table: WeightTable;
  const deploymentId = `attribution-watch-${process.pid}-${Date.now()}`;
  const work = mkdtempSync(join(tmpdir(), "openledger-attribution-watch-"));

  before(async function () {
    node = await startHardhatNode();
    conn = await network.create({ network: "localhost", override: { url: node.url } });
    const deployed = await conn.ignition.deploy(LocalModule, { displayUi: false, deploymentId });
    const addresses = await suiteAddressesOf(deployed);
    book = join(work, "addresses.json");
    await saveAddresses(book, addresses);
    signers = await conn.ethers.getSigners();
    suite = connectSuite(addresses, signers[0]);
    await rpc(node.url, "evm_increaseTime", [Number(await suite.attribution.epochLength())]);
    await rpc(node.url, "evm_mine");
    const epoch = (await suite.attribution.currentEpoch()) - 1n;
    const [a, b, c] = await Promise.all([1, 2, 3].map((i) => signers[i].getAddress()));
    // 70 + 50 + 30 = 150 under a committed total of 100: the pool would be first come, first served.
    table = {
      modelId: 1n,
      epoch,
      method: "datanet-size",
      minSpan: null,
      totalWeight: 100n,
      entries: [
        { contributor: a.toLowerCase(), contributions: [], weight: 70n },
        { contributor: b.toLowerCase(), contributions: [], weight: 50n },
        { contributor: c.toLowerCase(), contributions: [], weight: 30n },
      ],
    };
    const file = join(work, "table.json");
    const json = {
      modelId: "1",
      epoch: epoch.toString(),
      method: table.method,
      minSpan: null,
      totalWeight: "100",
      entries: table.entries.map((e) => ({
        contributor: e.contributor,
        contributions: [],
        weight: e.weight.toString(),
      })),
    };
    await writeFile(file, JSON.stringify(json));
    await commitAttribution(suite, table, file);
  });

  /** `settlement watch --once --json` as its own process, sending from account PROVER. */
  /** `attribution prove-sum` of model 1's epoch, sent from the default account. */
  const proveSum = (...extra: string[]) =>
    runHardhat(
      [
        "attribution",
        "prove-sum",
        "--model",
        "1",
        "--epoch",
        table.epoch.toString(),
        ...extra,
        "--network",
        "localhost",
        "--addresses",
        book,
      ],
      { LOCALHOST_RPC_URL: node.url },
    );
  const watchOnce = () =>
    runHardhat(
      [
        "settlement",
        "watch",
        "--once",
        "--json",
        "--network",
        "localhost",
        "--addresses",
        book,
        "--from",
        String(PROVER),
      ],
      { LOCALHOST_RPC_URL: node.url },
    );

  after(async function () {
    await conn?.close();
    await node?.stop();
    rmSync(resolve(ROOT, "deploy/deployments", deploymentId), { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it("ledger verify should report the weight sum as provable on chain", async function () {
    const result = await verifyLedger({ suite, provider: conn.ethers.provider });
    const m = result.mismatches.find((x) => x.kind === "weight-sum");
    expect(m, JSON.stringify(result.mismatches)).to.not.equal(undefined);
    expect(m!.message).to.contain("sum to 150, the committed total is 100");
    expect(m!.message).to.contain("attribution prove-sum --model 1");
  });

  it("attribution prove-sum --dry-run should find the committed table provable and send nothing", async function () {
    const run = await proveSum("--dry-run");
    expect(run.code, run.output).to.equal(0);
    expect(run.output).to.contain(
      "its 3 weights sum to 150, the committed total is 100: provable (dry run, nothing sent)",
    );
    expect(await suite.attribution.commitmentStatus(1n, table.epoch)).to.equal(1n);
  });

  it("settlement watch --once should prove it: commitment voided, operator slashed, prover rewarded", async function () {
    const operator = await signers[0].getAddress();
    const prover = await signers[PROVER].getAddress();
    const pool0 = (await suite.staking.pool(operator)).assets;
    const balance0 = await suite.token.balanceOf(prover);
    const run = await watchOnce();
    expect(run.code, run.output).to.equal(0);
    const report = JSON.parse(run.output.slice(run.output.indexOf("{"))) as {
      attribution: {
        modelId: string;
        epoch: string;
        weightSum: string;
        totalWeight: string;
        proven?: Record<string, string>;
      }[];
    };
    expect(report.attribution).to.have.length(1);
    const [a] = report.attribution;
    expect([a.modelId, a.epoch, a.weightSum, a.totalWeight]).to.deep.equal([
      "1",
      table.epoch.toString(),
      "150",
      "100",
    ]);
    expect(a.proven?.prover).to.equal(prover.toLowerCase());
    expect(await suite.attribution.commitmentStatus(1n, table.epoch)).to.equal(VOIDED);
    const slashed = pool0 - (await suite.staking.pool(operator)).assets;
    const reward = (await suite.token.balanceOf(prover)) - balance0;
    expect(slashed).to.be.greaterThan(0n);
    expect(BigInt(a.proven!.slashed)).to.equal(slashed);
    expect(reward).to.be.greaterThan(0n);
    expect(BigInt(a.proven!.reward)).to.equal(reward);
    // prove-sum now refuses with one line: the commitment is no longer open.
    const late = await proveSum();
    expect(late.code).to.not.equal(0);
    expect(late.output).to.contain("is Voided: only a Pending or Challenged commitment");
    // A second pass finds nothing open: the voided commitment is not proven again.
    const again = await watchOnce();
    expect(again.code, again.output).to.equal(0);
    expect(
      (JSON.parse(again.output.slice(again.output.indexOf("{"))) as { attribution: unknown[] }).attribution,
    ).to.deep.equal([]);
  });
});

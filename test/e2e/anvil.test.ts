/**
 * The suite on a node and a client no one here wrote: Foundry's anvil (from npm, its default 10
 * accounts) runs the whole demo through the command line, and Foundry's cast reads from and
 * sends to the deployed suite. anvil is bound to 127.0.0.1 on a free port and stopped by its pid.
 */
import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { getAddress, JsonRpcProvider, Wallet } from "ethers";
import { OpenToken__factory } from "../../typechain-types/index.js";
import {
  foundryBinary,
  freePort,
  ROOT,
  rpc,
  spawnHardhat,
  startAnvil,
  type LocalNode,
} from "../helpers/localNode.js";

const exec = promisify(execFile);

/** Runs `cast` against `url` and returns its trimmed stdout. */
async function cast(url: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec(foundryBinary("cast"), [...args, "--rpc-url", url]);
  return stdout.trim();
}

/** Runs a hardhat command to completion with stdout and stderr apart. */
async function hardhat(args: string[], env: Record<string, string>) {
  const child = spawnHardhat(args, env);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => child.on("exit", r));
  return { code, stdout, stderr };
}

describe("anvil and cast", function () {
  this.timeout(900_000);

  let node: LocalNode;
  const deploymentId = `anvil-test-${process.pid}`;
  let contracts: Record<string, string>;

  before(async function () {
    node = await startAnvil();
  });

  after(async function () {
    await node?.stop();
    await rm(join(ROOT, "deploy", "deployments", deploymentId), { recursive: true, force: true });
  });

  it("demo: should play the whole story on anvil's 10 default accounts, funding the eleventh", async function () {
    expect(await rpc<string[]>(node.url, "eth_accounts")).to.have.length(10);
    const ran = await hardhat(["demo", "--network", "localhost", "--json", "--deployment-id", deploymentId], {
      LOCALHOST_RPC_URL: node.url,
    });
    expect(ran.code, ran.stderr).to.equal(0);
    const report = JSON.parse(ran.stdout) as {
      contracts: Record<string, string>;
      books: { balanced: boolean; solvent: boolean };
      verification: { ok: boolean };
      claims: unknown[];
    };
    expect(report.books.balanced).to.equal(true);
    expect(report.books.solvent).to.equal(true);
    expect(report.verification.ok).to.equal(true);
    expect(report.claims.length).to.be.greaterThan(0);
    contracts = report.contracts;
  });

  it("cast: should read the deployed token and send a transfer that the suite's own reads see", async function () {
    const [deployer] = JSON.parse(await cast(node.url, "rpc", "eth_accounts")) as string[];
    expect(await cast(node.url, "call", contracts.token!, "symbol()(string)")).to.equal('"OPEN"');
    const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    try {
      const token = OpenToken__factory.connect(contracts.token!, provider);
      const held = await token.balanceOf(deployer!);
      const read = await cast(node.url, "call", contracts.token!, "balanceOf(address)(uint256)", deployer!);
      expect(BigInt(read.split(" ")[0]!)).to.equal(held);

      const to = Wallet.createRandom().address;
      const sent = JSON.parse(
        await cast(
          node.url,
          "send",
          contracts.token!,
          "transfer(address,uint256)",
          to,
          "12345",
          "--from",
          deployer!,
          "--unlocked",
          "--json",
        ),
      ) as { status: string; from: string };
      expect(sent.status).to.equal("0x1");
      expect(getAddress(sent.from)).to.equal(getAddress(deployer!));
      expect(await token.balanceOf(to)).to.equal(12345n);
      expect(await token.balanceOf(deployer!)).to.equal(held - 12345n);
    } finally {
      provider.destroy();
    }
  });

  it("demo: should stop with one line saying how to start a node when none answers", async function () {
    const port = await freePort();
    const ran = await hardhat(["demo", "--network", "localhost"], {
      LOCALHOST_RPC_URL: `http://127.0.0.1:${port}`,
    });
    const lines = ran.stderr.split("\n").filter((l) => l.trim() !== "" && !l.includes("nodedir"));
    expect(ran.code).to.equal(1);
    expect(lines, ran.stderr).to.have.length(1);
    expect(lines[0]).to.match(/^Error: node at http:\/\/127\.0\.0\.1:\d+ unreachable/);
    expect(lines[0]).to.contain("npx anvil");
  });
});

/**
 * Starting from a fresh clone on a machine whose own Node is older than the project's: the
 * README's node command must work with any `node` on PATH, and a deployment journal left by a
 * restarted dev node must be detected and moved aside.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { expect } from "chai";
import { network } from "hardhat";
import { dropStaleDeployment } from "../../src/cli/local-deployment.js";
import { runHardhat } from "../helpers/localNode.js";

const { ethers } = await network.getOrCreate();
const ROOT = resolve(import.meta.dirname, "..", "..");

describe("startup", function () {
  this.timeout(180_000);

  it("README node command: should serve JSON-RPC on 127.0.0.1 with the project's Node whatever node is on PATH", async function () {
    // PATH without the project's .bin: `node` is whatever the machine has (Node 20 on ours).
    const path = (process.env.PATH ?? "")
      .split(delimiter)
      .filter((p) => !p.includes("node_modules"))
      .join(delimiter);
    const port = 8655;
    const child = spawn(
      "./node_modules/.bin/node",
      ["./node_modules/.bin/hardhat", "node", "--hostname", "127.0.0.1", "--port", String(port)],
      { cwd: ROOT, env: { ...process.env, PATH: path }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    try {
      const deadline = Date.now() + 150_000;
      let chainId: string | undefined;
      while (chainId === undefined) {
        expect(child.exitCode, output).to.equal(null);
        expect(Date.now() < deadline, `no answer within 150 s:\n${output}`).to.equal(true);
        try {
          const r = await fetch(`http://127.0.0.1:${port}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
          });
          chainId = ((await r.json()) as { result: string }).result;
        } catch {
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      expect(BigInt(chainId)).to.equal(31337n);
      expect(output).to.not.contain("not supported");
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("ledger show and ledger verify: should fail in one line, no stack trace, when the node is down", async function () {
    for (const task of ["show", "verify"]) {
      const { code, output } = await runHardhat(["ledger", task, "--network", "localhost"], {
        LOCALHOST_RPC_URL: "http://127.0.0.1:8659",
      });
      const lines = output.split("\n").filter((l) => l.trim() !== "" && !l.includes("nodedir"));
      expect(code, output).to.equal(1);
      expect(lines, output).to.have.length(1);
      expect(lines[0]).to.match(/^Error: /);
      expect(output).to.not.contain("report it");
    }
  });

  describe("dropStaleDeployment", function () {
    async function journal(addresses: Record<string, string>) {
      const dir = await mkdtemp(join(tmpdir(), "openledger-deployments-"));
      await mkdir(join(dir, "chain-31337"));
      await writeFile(join(dir, "chain-31337", "deployed_addresses.json"), JSON.stringify(addresses));
      return dir;
    }
    const getCode = (a: string) => ethers.provider.getCode(a);

    it("should move aside a journal whose contracts have no code on this chain, saying so in one line", async function () {
      const [a] = await ethers.getSigners();
      const dir = await journal({ "OpenToken#OpenToken": a.address });
      const line = await dropStaleDeployment(dir, "chain-31337", getCode);
      expect(line).to.match(/^the recorded deployment chain-31337 is not on this chain .*deploying afresh$/);
      expect(existsSync(join(dir, "chain-31337"))).to.equal(false);
      expect((await readdir(dir)).some((f) => f.startsWith("chain-31337.stale-"))).to.equal(true);
    });

    it("should keep a journal whose contracts are on this chain, and do nothing without one", async function () {
      const token = await ethers.deployContract("OpenToken", [
        "OpenLedger",
        "OPEN",
        (await ethers.getSigners())[0].address,
        1n,
      ]);
      const dir = await journal({ "OpenToken#OpenToken": await token.getAddress() });
      expect(await dropStaleDeployment(dir, "chain-31337", getCode)).to.equal(undefined);
      expect(existsSync(join(dir, "chain-31337"))).to.equal(true);
      expect(await dropStaleDeployment(dir, "chain-1", getCode)).to.equal(undefined);
    });
  });
});

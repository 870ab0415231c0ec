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
import { fastCommand } from "../../src/cli/fast.js";
import { LOCALHOST_DEFAULT_URL } from "../../src/cli/networks.js";
import { freePort, OPENLEDGER_BIN, runHardhat, runOpenledger } from "../helpers/localNode.js";

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
    const port = await freePort();
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
    // A free port nothing listens on: the node is down.
    const port = await freePort();
    for (const task of ["show", "verify"]) {
      const { code, output } = await runHardhat(["ledger", task, "--network", "localhost"], {
        LOCALHOST_RPC_URL: `http://127.0.0.1:${port}`,
      });
      const lines = output.split("\n").filter((l) => l.trim() !== "" && !l.includes("nodedir"));
      expect(code, output).to.equal(1);
      expect(lines, output).to.have.length(1);
      expect(lines[0]).to.match(/^Error: /);
      expect(output).to.not.contain("report it");
    }
  });

  it("openledger ledger show: should fail in the same one line as hardhat ledger show when the node is down, without Hardhat", async function () {
    const port = await freePort();
    const env = { LOCALHOST_RPC_URL: `http://127.0.0.1:${port}` };
    const args = ["ledger", "show", "--network", "localhost", "--datanet", "1"];
    const [viaHardhat, fast] = [await runHardhat(args, env), await runOpenledger(args, env)];
    const lines = (output: string) =>
      output.split("\n").filter((l) => l.trim() !== "" && !l.includes("nodedir"));
    expect(fast.code, fast.output).to.equal(1);
    expect(lines(fast.output), fast.output).to.have.length(1);
    expect(lines(fast.output)[0]).to.match(/^Error: node at http:\/\/127\.0\.0\.1:\d+ unreachable/);
    expect(lines(fast.output)).to.deep.equal(lines(viaHardhat.output));
  });

  it("openledger: should hand what the fast path does not run to Hardhat (the same help, version and errors), and fail in one line with OPENLEDGER_FAST_ONLY=1", async function () {
    const handed = async (args: string[]) => {
      const run = await new Promise<{ code: number | null; output: string }>((done) => {
        const child = spawn(process.execPath, [OPENLEDGER_BIN, ...args], { cwd: ROOT });
        let output = "";
        child.stdout.on("data", (d: Buffer) => (output += d.toString()));
        child.stderr.on("data", (d: Buffer) => (output += d.toString()));
        child.on("exit", (code) => done({ code, output }));
      });
      const viaHardhat = await runHardhat(args);
      expect(run.code, run.output).to.equal(viaHardhat.code);
      expect(run.output).to.equal(viaHardhat.output);
    };
    await handed(["ledger", "show", "--help"]);
    await handed(["--version"]);
    const refused = await runOpenledger(["ledger", "show", "--network", "hardhat"]);
    expect(refused.code).to.equal(2);
    expect(refused.output.trim()).to.equal(
      "Error: openledger ledger show --network hardhat is not one the fast path runs (OPENLEDGER_FAST_ONLY=1): see docs/cli.md",
    );
  });

  describe("fastCommand", function () {
    const env = { LOCALHOST_RPC_URL: "http://127.0.0.1:9999" };
    const show = (...args: string[]) => fastCommand(["ledger", "show", ...args], ROOT, ROOT, env);

    it("should read ledger show's options on localhost as Hardhat reads them", function () {
      const command = show("--network", "localhost", "--datanet", "3", "--indexer", "http://x:1", "--json");
      expect(command).to.deep.equal({
        args: {
          addresses: undefined,
          deployment: undefined,
          indexer: "http://x:1",
          account: "",
          payment: "",
          status: "",
          datanet: "3",
          limit: "",
          all: false,
          json: true,
        },
        network: { name: "localhost", url: "http://127.0.0.1:9999" },
      });
      expect(show("--network", "localhost", "--limit", "5")?.args).to.include({ limit: "5", all: false });
      expect(show("--network", "localhost", "--all")?.args).to.include({ limit: "", all: true });
      expect(fastCommand(["ledger", "show", "--network", "localhost"], ROOT, ROOT, {})?.network.url).to.equal(
        LOCALHOST_DEFAULT_URL,
      );
      expect(
        fastCommand(["ledger", "show", "--network", "testnet"], ROOT, ROOT, { TESTNET_RPC_URL: "http://t" })
          ?.network,
      ).to.deep.equal({
        name: "testnet",
        url: "http://t",
      });
    });

    it("should leave to Hardhat what only Hardhat reads: help, unknown or repeated options, =, an account index, the in-process chain, a keystore url, a HARDHAT_* setting, another config", function () {
      for (const args of [
        ["--network", "localhost", "--help"],
        ["--network", "localhost", "--verbose"],
        ["--network", "localhost", "--datanet", "1", "--datanet", "2"],
        ["--network=localhost"],
        ["--network", "localhost", "--datanet"],
        ["--network", "localhost", "--account", "2"],
        ["--datanet", "1"],
        ["--network", "hardhat"],
        ["--network", "testnet"],
      ])
        expect(show(...args), args.join(" ")).to.equal(undefined);
      expect(fastCommand(["ledger", "verify", "--network", "localhost"], ROOT, ROOT, env)).to.equal(
        undefined,
      );
      expect(
        fastCommand(["ledger", "show", "--network", "localhost"], ROOT, ROOT, {
          ...env,
          HARDHAT_NETWORK: "x",
        }),
      ).to.equal(undefined);
      expect(fastCommand(["ledger", "show", "--network", "localhost"], ROOT, tmpdir(), env)).to.equal(
        undefined,
      );
    });
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

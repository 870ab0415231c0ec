import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";

/** The project root (where hardhat.config.ts lives). */
export const ROOT = resolve(import.meta.dirname, "../..");
const HARDHAT_BIN = resolve(ROOT, "node_modules/.bin/hardhat");
/** The fast entry of the command line (`npx openledger`). */
export const OPENLEDGER_BIN = resolve(ROOT, "bin/openledger.js");

/** Finds a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject()));
    });
  });
}

export interface LocalNode {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** POSTs one JSON-RPC call to `url` and returns its result. */
export async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/**
 * Starts `hardhat node` bound to 127.0.0.1 on a free port (the real process, not an npx
 * wrapper, so the recorded pid is the node's own) and waits until it answers JSON-RPC. Give
 * `fixedPort` to restart a node where a stopped one was.
 */
export async function startHardhatNode(fixedPort?: number): Promise<LocalNode> {
  const port = fixedPort ?? (await freePort());
  return startNodeProcess(
    "hardhat node",
    HARDHAT_BIN,
    ["node", "--hostname", "127.0.0.1", "--port", String(port)],
    port,
  );
}

/**
 * The binary of a Foundry tool from its npm platform package (`@foundry-rs/anvil-linux-amd64`
 * ...), run directly rather than through the package's Node wrapper so a recorded pid is the
 * tool's own.
 */
export function foundryBinary(tool: "anvil" | "cast"): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  return resolve(ROOT, "node_modules", "@foundry-rs", `${tool}-${process.platform}-${arch}`, "bin", tool);
}

/** Starts anvil (its default 10 accounts, chain 31337) on 127.0.0.1 at a free port. */
export async function startAnvil(): Promise<LocalNode> {
  const port = await freePort();
  return startNodeProcess(
    "anvil",
    foundryBinary("anvil"),
    ["--host", "127.0.0.1", "--port", String(port)],
    port,
  );
}

/** Spawns a node on 127.0.0.1:`port` and waits until it answers JSON-RPC; `stop` ends it by its pid. */
async function startNodeProcess(
  name: string,
  command: string,
  args: string[],
  port: number,
): Promise<LocalNode> {
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited early:\n${output}`);
    try {
      await rpc(url, "eth_chainId");
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`${name} did not answer on ${url} within 120 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      process.kill(child.pid!, "SIGTERM");
      const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a hardhat CLI command to completion; resolves with its output and exit code. */
export function runHardhat(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(HARDHAT_BIN, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("exit", (code) => resolveRun({ code, output }));
  });
}

/**
 * Runs `openledger <args>` (bin/openledger.js, the fast entry) to completion with the project's
 * Node; resolves with its output and exit code. The fast path must run it: with
 * OPENLEDGER_FAST_ONLY=1 a command it would hand to Hardhat fails instead, and no HARDHAT_*
 * setting of this process (which would send it to Hardhat) is passed on.
 */
export function runOpenledger(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("HARDHAT_")),
  );
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [OPENLEDGER_BIN, ...args], {
      cwd: ROOT,
      env: { ...inherited, OPENLEDGER_FAST_ONLY: "1", ...env },
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("exit", (code) => resolveRun({ code, output }));
  });
}

/** Spawns a hardhat CLI command and returns the process, for tests that kill it midway. */
export function spawnHardhat(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(HARDHAT_BIN, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: "pipe" });
}

/**
 * Runs Hardhat tasks in-process the way the shell would, capturing stdout, stderr and the exit
 * code; `fails` also checks that nothing was sent (the block number did not move).
 */
import { expect } from "chai";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { Provider } from "ethers";
import { join } from "node:path";
import type { NetworkConnection } from "hardhat/types/network";
import LocalModule from "../../deploy/modules/Local.js";
import { saveAddresses, suiteAddressesOf, type SuiteAddresses } from "../../src/sdk/suite.js";

/** Deploys the demo suite through Ignition and writes its address book to `<dir>/addresses.json`
 * (the usage escrow, which the `usage` tasks take with `--escrow`, is returned beside it). */
export async function deploySuiteBook(
  ignition: NetworkConnection["ignition"],
  dir: string,
): Promise<{ addresses: SuiteAddresses; book: string; usageEscrow: string }> {
  const deployed = await ignition.deploy(LocalModule, { displayUi: false });
  const addresses = await suiteAddressesOf(deployed);
  const book = join(dir, "addresses.json");
  await saveAddresses(book, addresses);
  return { addresses, book, usageEscrow: await deployed.usageEscrow.getAddress() };
}

export interface Ran {
  result: { success: boolean; value?: Record<string, unknown>; error?: string };
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
  json: Record<string, unknown> & { [k: string]: unknown };
}

/** `run` captures a task's output, `fails` expects a one-line refusal with nothing sent, `ok` success. */
export function taskRunner(
  hre: HardhatRuntimeEnvironment,
  provider: Provider,
  defaults: () => Record<string, unknown>,
) {
  async function run(id: string[], args: Record<string, unknown> = {}): Promise<Ran> {
    const out: string[] = [];
    const err: string[] = [];
    const [log, error] = [console.log, console.error];
    console.log = (...a: unknown[]) => void out.push(a.join(" "));
    console.error = (...a: unknown[]) => void err.push(a.join(" "));
    const before = process.exitCode;
    process.exitCode = undefined;
    let result: Ran["result"];
    let exitCode: number | undefined;
    try {
      result = (await hre.tasks.getTask(id).run({ ...defaults(), ...args })) as Ran["result"];
    } finally {
      console.log = log;
      console.error = error;
      exitCode = process.exitCode as number | undefined;
      process.exitCode = before;
    }
    const stdout = out.join("\n");
    let json = {};
    try {
      json = JSON.parse(stdout) as Record<string, unknown>;
    } catch {
      /* not JSON */
    }
    return { result, stdout, stderr: err.join("\n"), exitCode, json };
  }

  /** Runs a task that must fail before sending anything; returns its one-line error. */
  async function fails(id: string[], args: Record<string, unknown>): Promise<string> {
    const block = await provider.getBlockNumber();
    const ran = await run(id, args);
    expect(ran.result.success, ran.stdout).to.equal(false);
    expect(ran.exitCode).to.equal(1);
    expect(ran.stderr.split("\n")).to.have.length(1);
    expect(ran.stderr).to.match(/^Error: /);
    expect(await provider.getBlockNumber(), "a transaction was sent").to.equal(block);
    return ran.stderr;
  }

  async function ok(id: string[], args: Record<string, unknown>): Promise<Record<string, unknown>> {
    const ran = await run(id, args);
    expect(ran.result.success, ran.stderr).to.equal(true);
    expect(ran.exitCode).to.equal(undefined);
    return ran.json;
  }

  return { run, fails, ok };
}

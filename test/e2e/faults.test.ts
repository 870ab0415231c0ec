import { expect } from "chai";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { HDNodeWallet, keccak256, toUtf8Bytes, type Signer } from "ethers";
import { network } from "hardhat";
import SuiteModule from "../../deploy/modules/Suite.js";
import { call, send } from "../../src/sdk/send/index.js";
import {
  createDatanet,
  curate,
  publishVersion,
  setCurator,
  submitContribution,
} from "../../src/sdk/datanets.js";
import { ContractRevertError } from "../../src/errors.js";
import { connectSuite, saveAddresses, type Suite, type SuiteAddresses } from "../../src/sdk/suite.js";
import { connectResilient } from "../../src/sdk/transport/provider.js";
import { Journal } from "../../src/cli/journal.js";
import {
  backoffDelay,
  NodeUnreachableError,
  retryTransient,
  transientReason,
} from "../../src/sdk/transport/retry.js";
import { NodeStateLostError } from "../../src/sdk/send/writes.js";
import { FlakyProxy } from "../helpers/flakyProxy.js";
import {
  ROOT,
  rpc,
  runHardhat,
  spawnHardhat,
  startHardhatNode,
  type LocalNode,
} from "../helpers/localNode.js";

interface RpcTx {
  hash: string;
  from: string;
  to: string | null;
  nonce: string;
}

/** Every transaction of `from` on the node, across all blocks. */
async function txsOf(url: string, from: string): Promise<RpcTx[]> {
  const latest = Number(await rpc<string>(url, "eth_blockNumber"));
  const out: RpcTx[] = [];
  for (let n = 0; n <= latest; n++) {
    const block = await rpc<{ transactions: RpcTx[] }>(url, "eth_getBlockByNumber", [
      `0x${n.toString(16)}`,
      true,
    ]);
    for (const tx of block.transactions) if (tx.from.toLowerCase() === from.toLowerCase()) out.push(tx);
  }
  return out;
}

/** Polls `check` every 50 ms until it holds (or fails after `timeoutMs`). */
async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const count = async (url: string, address: string, tag: string) =>
  Number(await rpc<string>(url, "eth_getTransactionCount", [address, tag]));

/**
 * Runs a script with automine off, waits until its first transaction is in the node's mempool and
 * journaled, and kills it (SIGKILL, by pid) while it waits for the receipt; automine is back on
 * afterwards and the child is gone whatever happens.
 */
async function killAfterFirstSend(
  url: string,
  args: string[],
  env: Record<string, string>,
  from: string,
  journal: string,
): Promise<void> {
  const nonce = await count(url, from, "latest");
  await rpc(url, "evm_setAutomine", [false]);
  const child = spawnHardhat(args, env);
  const exited = new Promise((r) => child.once("exit", r));
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  try {
    await until(
      "the script's first transaction is sent",
      async () => {
        if (child.exitCode !== null) throw new Error(`the script exited early:\n${output}`);
        return (await count(url, from, "pending")) > nonce && existsSync(journal);
      },
      180_000,
    );
  } finally {
    if (child.exitCode === null) process.kill(child.pid!, "SIGKILL");
    await exited;
    await rpc(url, "evm_setAutomine", [true]);
  }
  expect(readFileSync(journal, "utf8")).to.contain('"status":"sent"').and.not.contain('"status":"done"');
}

describe("Fault tolerance: the SDK and the scripts against a node that drops requests or restarts", function () {
  this.timeout(240_000);
  let node: LocalNode;
  let proxy: FlakyProxy;
  let addresses: SuiteAddresses;
  let suite: Suite;
  let sender: Signer;
  let senderAddress: string;
  let flaky: Awaited<ReturnType<typeof network.create>> | undefined;
  const deploymentId = `faults-${process.pid}-${Date.now()}`;
  const work = mkdtempSync(join(tmpdir(), "openledger-faults-"));
  const retryDelay = process.env.RPC_RETRY_DELAY_MS;

  before(async function () {
    process.env.RPC_RETRY_DELAY_MS = "50"; // keeps the give-up test short; the policy is the same
    node = await startHardhatNode();
    proxy = await FlakyProxy.start(node.url);
    const direct = await network.create({ network: "localhost", override: { url: node.url } });
    const deployed = await direct.ignition.deploy(SuiteModule, { displayUi: false, deploymentId });
    addresses = {
      token: await deployed.token.getAddress(),
      datanets: await deployed.datanets.getAddress(),
      models: await deployed.models.getAddress(),
      attribution: await deployed.attribution.getAddress(),
      distributor: await deployed.distributor.getAddress(),
    };
    await direct.close();
    // The SDK's connection goes through the proxy, with a short timeout so a delayed answer fails fast.
    flaky = await network.create({
      network: "localhost",
      override: { url: proxy.url, timeout: 2_000 },
    });
    sender = (await flaky.ethers.getSigners())[1];
    senderAddress = await sender.getAddress();
    suite = connectSuite(addresses, sender);
  });

  beforeEach(function () {
    proxy.reset();
  });

  after(async function () {
    if (retryDelay === undefined) delete process.env.RPC_RETRY_DELAY_MS;
    else process.env.RPC_RETRY_DELAY_MS = retryDelay;
    await flaky?.close();
    await proxy?.down();
    await node?.stop();
    rmSync(resolve(ROOT, "deploy/deployments", deploymentId), { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  describe("reads", function () {
    it("should retry a read whose connection was closed, and return the answer", async function () {
      proxy.fail("eth_call", "close");
      expect(await suite.datanets.datanetCount()).to.equal(0n);
      expect(proxy.count("eth_call", "close")).to.equal(1);
      expect(proxy.count("eth_call", "forwarded")).to.equal(1);
    });

    it("should retry a read answered HTTP 503 or too late, and return the answer", async function () {
      proxy.fail("eth_getCode", "http-503");
      proxy.fail("eth_getCode", "delay", { delayMs: 3_000 });
      expect(await sender.provider!.getCode(addresses.datanets)).to.not.equal("0x");
      expect(proxy.count("eth_getCode", "http-503")).to.equal(1);
      expect(proxy.count("eth_getCode", "delay")).to.equal(1);
      expect(proxy.count("eth_getCode", "forwarded")).to.equal(1);
    });

    it("should retry a read answered HTTP 429 (Hardhat's own Retry-After handling), once", async function () {
      proxy.fail("eth_blockNumber", "http-429");
      expect(await sender.provider!.getBlockNumber()).to.be.greaterThan(0);
      expect(proxy.count("eth_blockNumber", "http-429")).to.equal(1);
      expect(proxy.count("eth_blockNumber", "forwarded")).to.equal(1);
    });

    it("should give up after 5 attempts with one line naming the node and what to do", async function () {
      await proxy.down();
      try {
        const error = await suite.datanets.datanetCount().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(NodeUnreachableError);
        const message = (error as Error).message;
        expect(message).to.equal(
          `node at ${proxy.url} unreachable after 5 attempts (eth_call: connection refused): start it or set LOCALHOST_RPC_URL`,
        );
        expect(message).to.not.contain("\n");
      } finally {
        await proxy.up();
      }
    });

    it("should not retry a reverting read: one eth_call, the custom error", async function () {
      const error = await suite.datanets.version(99n, 1n).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.not.equal(undefined);
      expect(suite.datanets.interface.parseError((error as { data: string }).data)?.name).to.equal(
        "UnknownDatanet",
      );
      expect(proxy.count("eth_call")).to.equal(1);
    });
  });

  describe("writes", function () {
    it("should not retry a reverting write: one gas estimate, nothing sent, the custom error", async function () {
      const nonceBefore = await count(node.url, senderAddress, "latest");
      const error = await submitContribution(suite, 99n, {
        contentHash: keccak256(toUtf8Bytes("x")),
        uri: "ipfs://x",
        size: 1,
        kind: 1,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(ContractRevertError);
      expect((error as ContractRevertError).revert.message).to.equal("UnknownDatanet(datanetId=99)");
      expect(proxy.count("eth_estimateGas")).to.equal(1);
      expect(proxy.count("eth_sendTransaction")).to.equal(0);
      expect(await count(node.url, senderAddress, "latest")).to.equal(nonceBefore);
    });

    it("should land exactly one transaction when the response to the send is lost, and return its receipt", async function () {
      proxy.fail("eth_sendTransaction", "drop-response");
      const nonce = await count(node.url, senderAddress, "latest");
      const { datanetId, receipt } = await createDatanet(suite, { metadataURI: "ipfs://a", licence: 1 });
      expect(datanetId).to.equal(1n);
      const atNonce = (await txsOf(node.url, senderAddress)).filter((t) => Number(t.nonce) === nonce);
      expect(atNonce.map((t) => t.hash)).to.deep.equal([receipt.hash]);
      // The node got it once; the SDK found it by (from, nonce) instead of sending it again.
      expect(proxy.count("eth_sendTransaction")).to.equal(1);
      expect(proxy.count("eth_sendTransaction", "drop-response")).to.equal(1);
    });

    it("should re-send the same transaction when the node never got it, landing it once", async function () {
      proxy.fail("eth_sendTransaction", "close");
      const nonce = await count(node.url, senderAddress, "latest");
      const receipt = await send(suite, call(suite.datanets, "createDatanet", "ipfs://b", 1, 0));
      const atNonce = (await txsOf(node.url, senderAddress)).filter((t) => Number(t.nonce) === nonce);
      expect(atNonce.map((t) => t.hash)).to.deep.equal([receipt.hash]);
      expect(proxy.count("eth_sendTransaction", "close")).to.equal(1);
      expect(proxy.count("eth_sendTransaction", "forwarded")).to.equal(1);
      expect(await suite.datanets.datanetCount()).to.equal(2n);
    });

    it("should re-send the identical transaction after the node dropped it from its mempool", async function () {
      const nonce = await count(node.url, senderAddress, "latest");
      await rpc(node.url, "evm_setAutomine", [false]);
      let sending: Promise<unknown> | undefined;
      try {
        sending = send(suite, call(suite.datanets, "createDatanet", "ipfs://c", 1, 0));
        sending.catch(() => undefined);
        await until(
          "the transaction is in the mempool",
          async () => (await count(node.url, senderAddress, "pending")) > nonce,
        );
        const hash = proxy.log.find((l) => l.method === "eth_sendTransaction")!.result as string;
        // What a node restarted with its chain but without its mempool knows: nothing of it.
        expect(await rpc<boolean>(node.url, "hardhat_dropTransaction", [hash])).to.equal(true);
        await rpc(node.url, "evm_setAutomine", [true]);
        await until("the SDK re-sent it", () => proxy.count("eth_sendTransaction") === 2);
        // A re-send that reached the mempool before automine was back on still needs a block.
        await until("it is mined", async () => {
          if (
            (await count(node.url, senderAddress, "pending")) >
            (await count(node.url, senderAddress, "latest"))
          )
            await rpc(node.url, "evm_mine");
          return (await count(node.url, senderAddress, "latest")) > nonce;
        });
        const receipt = (await sending) as { hash: string };
        // Same nonce, same data, same signature: the very same hash, mined once.
        expect(receipt.hash).to.equal(hash);
        const atNonce = (await txsOf(node.url, senderAddress)).filter((t) => Number(t.nonce) === nonce);
        expect(atNonce.map((t) => t.hash)).to.deep.equal([hash]);
      } finally {
        await rpc(node.url, "evm_setAutomine", [true]);
      }
    });
    it("should give up waiting after the reconnect timeout, saying the transaction may still land", async function () {
      const nonce = await count(node.url, senderAddress, "latest");
      await rpc(node.url, "evm_setAutomine", [false]);
      try {
        const sending = send(suite, call(suite.datanets, "createDatanet", "ipfs://e", 1, 0), {
          reconnectTimeoutMs: 1_000,
        }).then(
          () => undefined,
          (e: unknown) => e,
        );
        await until(
          "the transaction is in the mempool",
          async () => (await count(node.url, senderAddress, "pending")) > nonce,
        );
        await proxy.down();
        const error = await sending;
        expect(error).to.be.instanceOf(NodeUnreachableError);
        expect((error as Error).message).to.match(
          new RegExp(
            `unreachable for 1 s while waiting for the transaction of ${senderAddress} nonce ${nonce} \\(0x[0-9a-f]{64}\\) \\(connection refused\\): it may still land`,
          ),
        );
        expect(proxy.count("eth_sendTransaction")).to.equal(1);
      } finally {
        await proxy.up();
        await rpc(node.url, "evm_setAutomine", [true]);
        await rpc(node.url, "evm_mine");
      }
      // It did land, once.
      expect((await txsOf(node.url, senderAddress)).filter((t) => Number(t.nonce) === nonce)).to.have.length(
        1,
      );
    });
  });

  describe("a plain ethers provider (SDK outside Hardhat)", function () {
    const MNEMONIC = "test test test test test test test test test test test junk";

    it("should retry reads (closed connection, HTTP 503) and not a revert", async function () {
      const provider = await connectResilient(proxy.url);
      proxy.reset();
      proxy.fail("eth_getBalance", "close");
      proxy.fail("eth_blockNumber", "http-503");
      expect(await provider.getBalance(senderAddress)).to.be.greaterThan(0n);
      expect(await provider.getBlockNumber()).to.be.greaterThan(0);
      expect(proxy.count("eth_getBalance")).to.equal(2);
      expect(proxy.count("eth_blockNumber", "http-503")).to.equal(1);
      expect(proxy.count("eth_blockNumber", "forwarded")).to.be.greaterThanOrEqual(1);
      const reads = connectSuite(addresses, provider);
      const error = await reads.datanets.version(99n, 1n).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(reads.datanets.interface.parseError((error as { data: string }).data)?.name).to.equal(
        "UnknownDatanet",
      );
      expect(proxy.count("eth_call")).to.equal(1);
      provider.destroy();
    });

    it("should fail with one line when the node stays down", async function () {
      await proxy.down();
      try {
        const error = await connectResilient(proxy.url, { hint: "start it" }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(NodeUnreachableError);
        expect((error as Error).message).to.match(
          /^node at http:\/\/127\.0\.0\.1:\d+ unreachable after 5 attempts \(eth_chainId: connection refused\): start it$/,
        );
      } finally {
        await proxy.up();
      }
    });

    it("should land a locally signed transaction once when the response to eth_sendRawTransaction is lost", async function () {
      const provider = await connectResilient(proxy.url);
      const wallet = HDNodeWallet.fromPhrase(MNEMONIC, undefined, "m/44'/60'/0'/0/3").connect(provider);
      const nonce = await count(node.url, wallet.address, "latest");
      proxy.reset();
      proxy.fail("eth_sendRawTransaction", "drop-response");
      const viaWallet = connectSuite(addresses, wallet);
      const { receipt } = await createDatanet(viaWallet, { metadataURI: "ipfs://wallet", licence: 1 });
      const atNonce = (await txsOf(node.url, wallet.address)).filter((t) => Number(t.nonce) === nonce);
      expect(atNonce.map((t) => t.hash)).to.deep.equal([receipt.hash]);
      expect(proxy.count("eth_sendRawTransaction")).to.equal(1);
      provider.destroy();
    });
  });

  describe("scripts", function () {
    let datanetId: bigint;
    let contributionIds: string[] = [];
    it("should finish contribute.ts killed between send and receipt: every item on chain exactly once", async function () {
      const book = join(work, "addresses.json");
      await saveAddresses(book, addresses);
      const file = join(work, "contributions.json");
      const items = Array.from({ length: 5 }, (_, i) => ({
        contentHash: keccak256(toUtf8Bytes(`fault item ${i}`)),
        size: 10 + i,
        uri: `ipfs://item/${i}`,
      }));
      ({ datanetId } = await createDatanet(suite, { metadataURI: "ipfs://script", licence: 1 }));
      writeFileSync(file, JSON.stringify({ datanetId: String(datanetId), contributions: items }));
      const journal = `${file}.journal.jsonl`;
      const env = {
        LOCALHOST_RPC_URL: proxy.url,
        CONTRIBUTIONS_FILE: file,
        ADDRESSES_FILE: book,
        FROM: "2",
        BATCH_SIZE: "2",
      };
      const from = (await rpc<string[]>(node.url, "eth_accounts"))[2];
      const nonce = await count(node.url, from, "latest");
      const args = ["run", "scripts/contribute.ts", "--network", "localhost"];
      // Hold the first batch in the mempool and kill the script while it waits for the receipt.
      await killAfterFirstSend(node.url, args, env, from, journal);
      await rpc(node.url, "evm_mine"); // the first batch lands after its sender died

      const second = await runHardhat(args, env);
      expect(second.code, second.output).to.equal(0);
      const report = JSON.parse(second.output.slice(second.output.indexOf("{\n"))) as {
        contributionIds: string[];
        submitted: string[];
        alreadyOnChain: string[];
        transactions: string[];
      };
      expect(report.contributionIds).to.have.length(5);
      contributionIds = report.contributionIds;
      expect(report.alreadyOnChain).to.deep.equal(report.contributionIds.slice(0, 2));
      expect(report.submitted).to.deep.equal(report.contributionIds.slice(2));
      expect(report.transactions).to.have.length(3);
      // On chain: 3 batch transactions (2 + 2 + 1), each item submitted exactly once.
      const sent = await txsOf(node.url, from);
      expect(sent.map((t) => t.hash).sort()).to.deep.equal([...report.transactions].sort());
      const topic = suite.datanets.interface.getEvent("ContributionSubmitted").topicHash;
      const logs = await rpc<{ topics: string[]; data: string }[]>(node.url, "eth_getLogs", [
        { fromBlock: "0x0", toBlock: "latest", address: addresses.datanets, topics: [topic] },
      ]);
      const submittedIds = logs.map(
        (l) => suite.datanets.interface.parseLog(l)!.args.contributionId as string,
      );
      expect([...submittedIds].sort()).to.deep.equal([...report.contributionIds].sort());

      // A third run has nothing left to do and sends nothing.
      const blockBefore = await rpc<string>(node.url, "eth_blockNumber");
      const third = await runHardhat(args, env);
      expect(third.code, third.output).to.equal(0);
      expect(await rpc<string>(node.url, "eth_blockNumber")).to.equal(blockBefore);
    });

    it("should finish register-model.ts killed between send and receipt: one model, found by (from, nonce)", async function () {
      // A published version to train on: accept the contributions of the previous test.
      await setCurator(suite, datanetId, senderAddress);
      for (const id of contributionIds) await curate(suite, datanetId, id, { accept: true });
      await publishVersion(suite, sender.provider!, datanetId, { uri: "ipfs://version/1" });
      const book = join(work, "addresses.json");
      const file = join(work, "model.json");
      writeFileSync(
        file,
        JSON.stringify({
          metadataURI: "ipfs://model/faults",
          artifactHash: keccak256(toUtf8Bytes("model weights")),
          declaredUses: "research",
          pricePerUnit: "1000",
          trainingInputs: [{ datanetId: String(datanetId), versionNumber: "1", weightBps: 10000 }],
        }),
      );
      const journal = `${file}.journal.jsonl`;
      const env = { LOCALHOST_RPC_URL: proxy.url, MODEL_FILE: file, ADDRESSES_FILE: book, FROM: "4" };
      const from = (await rpc<string[]>(node.url, "eth_accounts"))[4];
      const args = ["run", "scripts/register-model.ts", "--network", "localhost"];
      const modelsBefore = await suite.models.modelCount();
      await killAfterFirstSend(node.url, args, env, from, journal);
      await rpc(node.url, "evm_mine"); // the registration lands after its sender died

      const second = await runHardhat(args, env);
      expect(second.code, second.output).to.equal(0);
      const report = JSON.parse(second.output.slice(second.output.indexOf("{\n"))) as {
        modelId: string;
        tx: string;
        resumed: boolean;
      };
      expect(report.resumed).to.equal(true);
      expect(BigInt(report.modelId)).to.equal(modelsBefore + 1n);
      expect(await suite.models.modelCount()).to.equal(modelsBefore + 1n);
      expect((await txsOf(node.url, from)).map((t) => t.hash)).to.deep.equal([report.tx]);

      // Run again: the recorded model, nothing sent.
      const blockBefore = await rpc<string>(node.url, "eth_blockNumber");
      const third = await runHardhat(args, env);
      expect(third.code, third.output).to.equal(0);
      expect(third.output).to.contain(`"modelId": "${report.modelId}"`);
      expect(await rpc<string>(node.url, "eth_blockNumber")).to.equal(blockBefore);
    });
  });

  describe("command line", function () {
    it("should exit 1 with one line naming the node when a task's node is down", async function () {
      await proxy.down();
      try {
        const run = await runHardhat(
          ["datanet", "create", "--uri", "ipfs://x", "--licence", "research", "--network", "localhost"],
          { LOCALHOST_RPC_URL: proxy.url },
        );
        expect(run.code).to.equal(1);
        const errors = run.output.split("\n").filter((l) => l.startsWith("Error: "));
        expect(errors).to.deep.equal([
          `Error: node at ${proxy.url} unreachable after 5 attempts (eth_chainId: connection refused): start it or set LOCALHOST_RPC_URL`,
        ]);
        expect(run.output).to.not.match(/^\s+at /m); // no stack trace
      } finally {
        await proxy.up();
      }
    });

    it("should document the journal and the resume in the scripts' --help", async function () {
      const help = await new Promise<string>((resolveHelp, reject) =>
        execFile(
          resolve(ROOT, "node_modules/.bin/tsx"),
          ["scripts/contribute.ts", "--help"],
          { cwd: ROOT },
          (e, out) => (e ? reject(e) : resolveHelp(out)),
        ),
      );
      expect(help).to.contain("JOURNAL_FILE").and.contain("Re-running after a crash or a lost node is safe");
    });
  });

  describe("a node restarted without its state", function () {
    it("should report the lost chain clearly and send nothing to the fresh node", async function () {
      const nonce = await count(node.url, senderAddress, "latest");
      await rpc(node.url, "evm_setAutomine", [false]);
      // Generous: a hardhat node can take long to start on a loaded machine.
      const sending = send(suite, call(suite.datanets, "createDatanet", "ipfs://d", 1, 0), {
        reconnectTimeoutMs: 180_000,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      await until(
        "the transaction is in the mempool",
        async () => (await count(node.url, senderAddress, "pending")) > nonce,
      );
      const port = Number(new URL(node.url).port);
      await node.stop();
      node = await startHardhatNode(port);
      const error = await sending;
      expect(error).to.be.instanceOf(NodeStateLostError);
      expect((error as Error).message).to.match(
        /lost its chain state .*: it restarted without persistence; redeploy/,
      );
      expect((error as Error).message).to.not.contain("\n");
      // Nothing was re-sent to the fresh chain.
      expect(await count(node.url, senderAddress, "pending")).to.equal(0);
      expect(Number(await rpc<string>(node.url, "eth_blockNumber"))).to.equal(0);
    });
  });
});

describe("Fault classification and journal (no node)", function () {
  describe("backoffDelay", function () {
    it("should double from the base delay and stop at the cap", function () {
      const policy = { attempts: 6, baseDelayMs: 250, maxDelayMs: 4_000 };
      expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy))).to.deep.equal([
        250, 500, 1_000, 2_000, 4_000, 4_000,
      ]);
    });
  });

  describe("transientReason", function () {
    it("should name transport failures", function () {
      expect(transientReason(Object.assign(new Error("x"), { code: "ECONNREFUSED" }))).to.equal(
        "connection refused",
      );
      expect(transientReason(new Error("wrapped", { cause: { code: "ECONNRESET" } }))).to.equal(
        "connection reset",
      );
      expect(
        transientReason({ code: "SERVER_ERROR", info: { responseStatus: "503 Service Unavailable" } }),
      ).to.equal("HTTP 503");
      expect(transientReason({ code: "TIMEOUT" })).to.equal("timed out");
      expect(transientReason({ number: 703, message: "HHE703: Cannot connect" })).to.equal(
        "connection refused",
      );
    });

    it("should not call a revert, bad input or a rejected transaction transient", function () {
      expect(transientReason({ code: "CALL_EXCEPTION", data: "0x" })).to.equal(undefined);
      expect(transientReason({ code: 3, message: "execution reverted", data: "0x8c5be1e5" })).to.equal(
        undefined,
      );
      expect(transientReason({ code: "INVALID_ARGUMENT" })).to.equal(undefined);
      expect(transientReason(new Error("nonce too low"))).to.equal(undefined);
      expect(transientReason({ code: "SERVER_ERROR", info: { responseStatus: "400 Bad Request" } })).to.equal(
        undefined,
      );
    });
  });

  describe("retryTransient", function () {
    const endpoint = { where: "http://127.0.0.1:1", hint: "start it" };
    const policy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 };

    it("should retry a transient failure and return the answer", async function () {
      let calls = 0;
      const value = await retryTransient(
        async () => {
          if (++calls < 3) throw Object.assign(new Error("reset"), { code: "ECONNRESET" });
          return 42;
        },
        { method: "eth_call", endpoint, policy },
      );
      expect([value, calls]).to.deep.equal([42, 3]);
    });

    it("should throw any other error after one attempt, untouched", async function () {
      let calls = 0;
      const revert = Object.assign(new Error("execution reverted"), { data: "0x1234" });
      const error = await retryTransient(
        () => {
          calls++;
          return Promise.reject(revert);
        },
        { method: "eth_call", endpoint, policy },
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect([error, calls]).to.deep.equal([revert, 1]);
    });
  });

  describe("Journal", function () {
    it("should ignore a torn last line and tell completed from unconfirmed steps", function () {
      const dir = mkdtempSync(join(tmpdir(), "openledger-journal-"));
      try {
        const path = join(dir, "j.jsonl");
        const sent = { from: "0x01", nonce: 1, startBlock: 5, to: "0x02", data: "0x" };
        writeFileSync(
          path,
          [
            JSON.stringify({ key: "a", status: "sent", ...sent }),
            JSON.stringify({ key: "a", status: "done", hash: "0xaa", blockNumber: 6, result: ["1"] }),
            JSON.stringify({ key: "b", status: "sent", ...sent, nonce: 2 }),
            '{"key":"c","status":"do',
          ].join("\n"),
        );
        const journal = Journal.open(path);
        expect(journal.completed("a")?.result).to.deep.equal(["1"]);
        expect(journal.unconfirmed().map((e) => [e.key, e.nonce])).to.deep.equal([["b", 2]]);
        expect(journal.completed("c")).to.equal(undefined);
        journal.append({ key: "b", status: "done", hash: "0xbb", blockNumber: 7 });
        expect(
          Journal.open(path)
            .completedSteps()
            .map((e) => e.hash),
        ).to.deep.equal(["0xaa", "0xbb"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

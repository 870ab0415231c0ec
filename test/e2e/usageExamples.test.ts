/**
 * The usage examples end to end: a hardhat node on 127.0.0.1:8621, the escrow and the reward
 * contracts deployed over JSON-RPC, the example model server (examples/usage/model-server.ts, its
 * own process on 127.0.0.1:8622) and the example client app (examples/usage/client-app.ts) paying it
 * by voucher; the server redeems and every served output is proven paid from the chain's logs.
 * Both processes and the node are stopped by their pids.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { expect } from "chai";
import { JsonRpcProvider, Wallet, ZeroAddress, parseEther, type JsonRpcSigner } from "ethers";
import {
  AttributionRegistry__factory,
  MockModelRegistry__factory,
  OpenToken__factory,
  RewardDistributor__factory,
  UsageEscrow__factory,
  type UsageEscrow,
} from "../../typechain-types/index.js";
import { readRedeemedVouchers } from "../../src/sdk/usage.js";
import { proofFromJson, type ReceiptProofJson } from "../../src/usage/http.js";
import { checkPaidOutputs } from "../../src/usage/paid-outputs.js";
import { textHash, verifyReceiptProof } from "../../src/usage/receipts.js";
import { ROOT, startHardhatNode, type LocalNode } from "../helpers/localNode.js";

const NODE_PORT = 8621;
const SERVER_PORT = 8622;
const SERVER = `http://127.0.0.1:${SERVER_PORT}`;
const PRICE = parseEther("2");

/** Runs an example under Node 22 with tsx's loader (one process: the pid is the example's own). */
function example(script: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", `examples/usage/${script}`, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function collect(child: ChildProcess): { text: () => string } {
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  return { text: () => out };
}

async function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  return new Promise((r) => child.once("exit", (code) => r(code)));
}

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(new URL(path, SERVER), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("usage examples: model server and client app over a hardhat node", function () {
  this.timeout(300_000);
  let node: LocalNode;
  let server: ChildProcess | undefined;
  let escrow: UsageEscrow;
  let provider: JsonRpcProvider;
  let payerKey: string;

  before(async function () {
    node = await startHardhatNode(NODE_PORT);
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    const admin: JsonRpcSigner = await provider.getSigner(0);
    const owner = await provider.getSigner(1);
    const a = await admin.getAddress();
    const token = await new OpenToken__factory(admin).deploy(
      "OpenLedger",
      "OPEN",
      a,
      parseEther("1000000000"),
    );
    const models = await new MockModelRegistry__factory(admin).deploy();
    const registry = await new AttributionRegistry__factory(admin).deploy(
      token,
      ZeroAddress,
      a,
      a,
      86_400n,
      86_400n,
      parseEther("100"),
    );
    const distributor = await new RewardDistributor__factory(admin).deploy(
      token,
      models,
      registry,
      a,
      { treasuryBps: 500, ownerBps: 2500, royaltyBps: 500, stakerBps: 500 },
      7n * 86_400n,
    );
    escrow = await new UsageEscrow__factory(admin).deploy(token, models, distributor, a, 2n * 86_400n);
    await (await distributor.grantRole(await distributor.USAGE_ESCROW_ROLE(), escrow)).wait();
    await (await models.setModel(1, await owner.getAddress(), 0, PRICE)).wait();
    // The app's payer: a fresh key with ETH for gas and OPEN to deposit.
    const payer = Wallet.createRandom();
    payerKey = payer.privateKey;
    await (await admin.sendTransaction({ to: payer.address, value: parseEther("1") })).wait();
    await (await token.transfer(payer.address, parseEther("1000"))).wait();
  });

  after(async function () {
    if (server && server.exitCode === null) {
      process.kill(server.pid!, "SIGTERM");
      await exited(server);
    }
    await node?.stop();
  });

  it("model-server: should refuse to start without an escrow, saying which variable to set", async function () {
    const child = example("model-server.ts", [], { USAGE_RPC_URL: node.url, USAGE_MODEL_ID: "1" });
    const out = collect(child);
    expect(await exited(child)).to.equal(2);
    expect(out.text()).to.contain("set USAGE_ESCROW");
  });

  it("client-app and model-server: should serve prompts paid by vouchers, redeem them and prove each output paid", async function () {
    server = example("model-server.ts", ["--port", String(SERVER_PORT)], {
      USAGE_RPC_URL: node.url,
      USAGE_ESCROW: await escrow.getAddress(),
      USAGE_MODEL_ID: "1",
    });
    const serverOut = collect(server);
    for (let i = 0; ; i++) {
      if (server.exitCode !== null) throw new Error(`the model server exited:\n${serverOut.text()}`);
      try {
        if ((await fetch(new URL("/status", SERVER))).ok) break;
      } catch {
        // not listening yet
      }
      if (i > 400) throw new Error(`the model server did not answer within 100 s:\n${serverOut.text()}`);
      await new Promise((r) => setTimeout(r, 250));
    }

    // An unfunded payer is refused before anything is served.
    const stranger = Wallet.createRandom().address;
    const refused = await post("/infer", { payer: stranger, prompt: "when does the river flood" });
    expect(refused.status).to.equal(402);
    expect(refused.json.error).to.contain("deposit more");

    const prompts = [
      "when does the river delta flood",
      "what did the lighthouse keeper write",
      "how do bees dance",
    ];
    const client = example("client-app.ts", prompts, {
      USAGE_SERVER: SERVER,
      USAGE_RPC_URL: node.url,
      USAGE_PAYER_KEY: payerKey,
      USAGE_DEPOSIT: parseEther("100").toString(),
    });
    const clientOut = collect(client);
    expect(await exited(client), clientOut.text()).to.equal(0);
    const lines = clientOut
      .text()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { output: string; cumulativeUnits: string; usageRoot: string });
    expect(lines).to.have.length(3);
    expect(lines[0].output).to.contain("river delta floods");
    expect(lines[2].output).to.contain("waggle dance");
    const payer = new Wallet(payerKey).address;
    const units = BigInt(lines[2].cumulativeUnits);

    // The server took one voucher an inference; nothing is charged until it redeems.
    expect(await escrow.balanceOf(payer)).to.equal(parseEther("100"));
    const redeemed = await post("/redeem", {});
    expect(redeemed.status, JSON.stringify(redeemed.json)).to.equal(200);
    expect(redeemed.json.vouchers).to.equal(1);
    expect(BigInt(redeemed.json.charged as string)).to.equal(units * PRICE);
    expect(await escrow.balanceOf(payer)).to.equal(parseEther("100") - units * PRICE);
    expect(await escrow.redeemedUnits(payer, 1n)).to.equal(units);

    // Every output the client was served is proven paid against the roots the chain logged.
    const roots = new Set((await readRedeemedVouchers(escrow)).map((r) => r.usageRoot));
    expect([...roots]).to.deep.equal([lines[2].usageRoot]);
    const proofs = [];
    for (const l of lines) {
      const res = await fetch(new URL(`/proof?payer=${payer}&output=${textHash(l.output)}`, SERVER));
      expect(res.status).to.equal(200);
      const proof = proofFromJson((await res.json()) as ReceiptProofJson);
      expect(verifyReceiptProof(proof)).to.equal(true);
      proofs.push(proof);
    }
    const ids = lines.map((l) => textHash(l.output));
    expect(checkPaidOutputs(ids, proofs, roots)).to.deep.equal([]);
    // An output never served has no proof.
    expect(checkPaidOutputs([textHash("never served")], proofs, roots)).to.deep.equal([
      { outputId: textHash("never served").toLowerCase(), problem: "no-receipt-proof" },
    ]);

    // A second redemption has nothing new to carry.
    expect((await post("/redeem", {})).json.vouchers).to.equal(0);
  });

  it("model-server: should refuse a second inference until the first is covered by a voucher", async function () {
    const payer = new Wallet(payerKey).address;
    // Topped up by someone else (a deposit may name any payer).
    const admin = await provider.getSigner(0);
    const token = OpenToken__factory.connect(await escrow.token(), admin);
    await (await token.approve(escrow, parseEther("100"))).wait();
    await (await escrow.connect(admin).deposit(payer, parseEther("100"))).wait();
    const first = await post("/infer", { payer, prompt: "tell me about rice" });
    expect(first.status).to.equal(200);
    const second = await post("/infer", { payer, prompt: "tell me about ships" });
    expect(second.status).to.equal(402);
    expect(second.json.error).to.contain("POST /voucher first");
    const forged = await post("/voucher", { voucher: first.json.voucher, signature: "0x" + "11".repeat(65) });
    expect(forged.status).to.equal(400);
    expect(forged.json.error).to.contain("the signature is not the payer's");
  });
});

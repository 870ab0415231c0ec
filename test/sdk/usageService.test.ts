/**
 * The pay-per-inference protocol without a chain: the model server's core (UsageService and its
 * HTTP front on an ephemeral 127.0.0.1 port) against the client app's core (UsageClient), with the
 * chain given as plain functions; and a lying server, which the client must refuse to pay.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { id } from "ethers";
import { UsageClient } from "../../src/usage/client.js";
import { startModelServer, voucherToJson, type RunningModelServer } from "../../src/usage/http.js";
import { makeReceipt, receiptToJson, UsageTree, verifyReceiptProof } from "../../src/usage/receipts.js";
import { nearestLineModel, UsageService, UsageServiceError, wordUnits } from "../../src/usage/service.js";
import { VoucherSigner, type UsageDomain } from "../../src/usage/voucher.js";

const DOMAIN: UsageDomain = { chainId: 31337n, escrow: "0x" + "ab".repeat(20) };
const PRICE = 2n;
/** The message `p` rejects with (fails the test when it resolves). */
async function rejection(p: Promise<unknown>): Promise<string> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "expected a rejection").to.be.instanceOf(Error);
  return (error as Error).message;
}

const CORPUS = ["the river delta floods each spring", "a lighthouse keeper wrote down every ship"];

function fixture(balance = 1_000n) {
  const state = { balance, redeemed: 0n, price: PRICE };
  const service = new UsageService({
    domain: DOMAIN,
    modelId: 1n,
    chain: {
      pricePerUnit: async () => state.price,
      balanceOf: async () => state.balance,
      redeemedUnits: async () => state.redeemed,
      now: async () => 1_000n,
    },
    answer: nearestLineModel(CORPUS),
  });
  const payer = new VoucherSigner(id("usage service payer"), DOMAIN);
  return { state, service, payer };
}

describe("usage service and client", function () {
  let running: RunningModelServer | undefined;
  let liar: Server | undefined;
  afterEach(async function () {
    await running?.close();
    running = undefined;
    if (liar) await new Promise<void>((r) => liar!.close(() => r()));
    liar = undefined;
  });

  it("UsageClient.infer should pay each inference with a voucher of its own receipts, which the server then redeems", async function () {
    const { service, payer } = fixture();
    const redeemed: bigint[] = [];
    running = await startModelServer({
      service,
      pricePerUnit: async () => PRICE,
      redeem: async (vs) => {
        redeemed.push(...vs.map((v) => v.voucher.cumulativeUnits));
        return { charged: vs[0].voucher.cumulativeUnits * PRICE, txHash: "0x01" };
      },
      port: 0,
    });
    const client = new UsageClient({ server: running.url, payer, modelId: 1n, maxPricePerUnit: 3n });
    const a = await client.infer("when does the river flood");
    const b = await client.infer("who wrote down every ship");
    expect(a.output).to.equal(`answer: ${CORPUS[0]}`);
    expect(b.output).to.equal(`answer: ${CORPUS[1]}`);
    // The app signs its own maximum price, not the server's.
    expect(b.voucher.voucher.maxPricePerUnit).to.equal(3n);
    expect(b.voucher.voucher.cumulativeUnits).to.equal(wordUnits(a.output) + wordUnits(b.output));
    expect(service.toRedeem()).to.have.length(1);
    const res = await fetch(new URL("/redeem", running.url), { method: "POST", body: "{}" });
    expect(((await res.json()) as { vouchers: number }).vouchers).to.equal(1);
    expect(redeemed).to.deep.equal([b.voucher.voucher.cumulativeUnits]);
    expect(service.toRedeem()).to.deep.equal([]);
    expect(service.redeemedRoots.has(b.voucher.voucher.usageRoot.toLowerCase())).to.equal(true);
    const proof = service.proveOutput(payer.address, a.receipt.outputHash);
    expect(proof.usageRoot).to.equal(b.voucher.voucher.usageRoot);
    expect(verifyReceiptProof(proof)).to.equal(true);
  });

  it("UsageService.acceptVoucher should refuse a voucher that does not cover exactly the receipts served", async function () {
    const { service, payer } = fixture();
    const served = await service.serve(payer.address, "when does the river flood");
    const short = { ...served.voucher, cumulativeUnits: served.voucher.cumulativeUnits + 1n };
    expect(
      await rejection(service.acceptVoucher({ voucher: short, signature: payer.sign(short) })),
    ).to.contain("sign the voucher the server sent");
    const other = new VoucherSigner(id("someone else"), DOMAIN);
    expect(
      await rejection(
        service.acceptVoucher({ voucher: served.voucher, signature: other.sign(served.voucher) }),
      ),
    ).to.contain("the signature is not the payer's");
    await service.acceptVoucher({ voucher: served.voucher, signature: payer.sign(served.voucher) });
    expect(service.status()[0].vouchedUnits).to.equal(served.voucher.cumulativeUnits);
  });

  it("UsageService.serve should refuse a bad payer, an empty prompt and a payer whose balance is short", async function () {
    const { service, payer, state } = fixture(1n);
    expect(await rejection(service.serve("not an address", "hi"))).to.contain("payer must be an address");
    expect(await rejection(service.serve(payer.address, " "))).to.contain("non-empty prompt");
    const refusal = await service.serve(payer.address, "river").catch((e: unknown) => e);
    expect(refusal).to.be.instanceOf(UsageServiceError);
    expect((refusal as UsageServiceError).status).to.equal(402);
    expect((refusal as UsageServiceError).message).to.contain("deposit more");
    state.balance = 1_000n;
    expect(() => service.proveOutput(payer.address, id("x"))).to.throw("no voucher of");
  });

  it("UsageClient.infer should refuse to sign for a server that returns another output, inflates units or raises the price", async function () {
    const payer = new VoucherSigner(id("usage service payer"), DOMAIN);
    let mode: "output" | "units" | "price" = "output";
    liar = createServer((_req, res) => {
      const output = "answer: the river delta floods each spring";
      const receipt = makeReceipt(
        "when does the river flood",
        mode === "output" ? "something else" : output,
        6n,
        1n,
      );
      const tree = new UsageTree([receipt]);
      const voucher = {
        payer: payer.address,
        modelId: 1n,
        cumulativeUnits: mode === "units" ? 60n : 6n,
        maxPricePerUnit: mode === "price" ? 99n : PRICE,
        usageRoot: tree.root,
        expiry: 10_000n,
      };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ output, receipt: receiptToJson(receipt), voucher: voucherToJson(voucher) }));
    });
    await new Promise<void>((r) => liar!.listen(0, "127.0.0.1", () => r()));
    const server = `http://127.0.0.1:${(liar.address() as AddressInfo).port}`;
    const client = new UsageClient({ server, payer, modelId: 1n, maxPricePerUnit: PRICE });
    expect(await rejection(client.infer("when does the river flood"))).to.contain(
      "not for the output returned",
    );
    mode = "units";
    expect(await rejection(client.infer("when does the river flood"))).to.contain(
      "does not match this app's receipts",
    );
    mode = "price";
    expect(await rejection(client.infer("when does the river flood"))).to.contain("above this app's maximum");
    expect(client.tree.receipts).to.have.length(0);
  });
});

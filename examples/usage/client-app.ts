/**
 * Example client app: pays a model server by voucher, one signature an inference, and prints each
 * output with its receipt; optionally deposits into the escrow first.
 *
 *   USAGE_PAYER_KEY=0x... npx tsx examples/usage/client-app.ts "a prompt" "another prompt"
 *
 * Environment: USAGE_SERVER (default http://127.0.0.1:8622), USAGE_PAYER_KEY (the payer's key: it
 * signs the vouchers), USAGE_MAX_PRICE (highest OPEN wei a unit; default the server's price),
 * USAGE_DEPOSIT (OPEN wei to deposit first, from the payer's own OPEN; needs USAGE_RPC_URL,
 * default http://127.0.0.1:8545). Prints one JSON line a paid inference.
 */
import { getAddress, JsonRpcProvider, Wallet } from "ethers";
import { connectUsageEscrow, depositUsage } from "../../src/sdk/usage.js";
import { UsageClient } from "../../src/usage/client.js";
import { receiptToJson } from "../../src/usage/receipts.js";
import { VoucherSigner } from "../../src/usage/voucher.js";

function fail(message: string): never {
  console.error(`client-app: ${message}`);
  process.exit(2);
}

interface ServerStatus {
  modelId: string;
  chainId: string;
  escrow: string;
  pricePerUnit: string;
}

async function main(): Promise<void> {
  const server = process.env.USAGE_SERVER ?? "http://127.0.0.1:8622";
  const key = process.env.USAGE_PAYER_KEY ?? "";
  if (!/^0x[0-9a-fA-F]{64}$/.test(key))
    fail("set USAGE_PAYER_KEY to the payer's private key (0x + 64 hex digits)");
  const prompts = process.argv.slice(2);
  if (prompts.length === 0) fail("give at least one prompt as an argument");
  const status = (await (await fetch(new URL("/status", server))).json()) as ServerStatus;
  const domain = { chainId: BigInt(status.chainId), escrow: getAddress(status.escrow) };
  const payer = new VoucherSigner(key, domain);
  const deposit = process.env.USAGE_DEPOSIT;
  if (deposit !== undefined) {
    if (!/^[1-9][0-9]*$/.test(deposit))
      fail(`USAGE_DEPOSIT must be OPEN wei (a positive integer), got ${deposit}`);
    const provider = new JsonRpcProvider(process.env.USAGE_RPC_URL ?? "http://127.0.0.1:8545", undefined, {
      cacheTimeout: -1, // no stale nonce between the approval and the deposit
    });
    const wallet = new Wallet(key, provider);
    const { chainId } = await provider.getNetwork();
    if (chainId !== domain.chainId)
      fail(`USAGE_RPC_URL is chain ${chainId}, the server redeems on ${domain.chainId}`);
    await depositUsage(connectUsageEscrow(domain.escrow, wallet), wallet, payer.address, BigInt(deposit));
  }
  const client = new UsageClient({
    server,
    payer,
    modelId: BigInt(status.modelId),
    maxPricePerUnit: BigInt(process.env.USAGE_MAX_PRICE ?? status.pricePerUnit),
  });
  for (const prompt of prompts) {
    const paid = await client.infer(prompt);
    console.log(
      JSON.stringify({
        prompt,
        output: paid.output,
        receipt: receiptToJson(paid.receipt),
        cumulativeUnits: paid.voucher.voucher.cumulativeUnits.toString(),
        usageRoot: paid.voucher.voucher.usageRoot,
      }),
    );
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));

/**
 * Example model server: answers inference requests over HTTP on 127.0.0.1, charges each by
 * voucher, keeps the receipts (the usage tree) and redeems the latest vouchers on POST /redeem.
 *
 *   USAGE_ESCROW=0x... USAGE_MODEL_ID=1 npx tsx examples/usage/model-server.ts [--port 8622]
 *
 * Environment: USAGE_RPC_URL (default http://127.0.0.1:8545), USAGE_ESCROW (the UsageEscrow),
 * USAGE_MODEL_ID, USAGE_PORT (or --port; default 8622), USAGE_REDEEMER_KEY (the key that sends
 * redemptions; default the node's first unlocked account, for dev nodes), USAGE_CORPUS (a text file,
 * one answer a line; default a few built-in lines).
 */
import { readFileSync } from "node:fs";
import { getAddress, isAddress, JsonRpcProvider, Wallet, type Signer } from "ethers";
import { connectUsageEscrow, escrowRedeemer, escrowUsageChain } from "../../src/sdk/usage.js";
import { startModelServer } from "../../src/usage/http.js";
import { nearestLineModel, UsageService } from "../../src/usage/service.js";

const BUILT_IN_CORPUS = [
  "the river delta floods each spring and the farmers plant rice in the rich silt",
  "a lighthouse keeper wrote down every ship that passed the rocky cape",
  "honey bees communicate the direction of flowers through a waggle dance",
];

function fail(message: string): never {
  console.error(`model-server: ${message}`);
  process.exit(2);
}

function portOf(): number {
  const i = process.argv.indexOf("--port");
  const text = i >= 0 ? process.argv[i + 1] : (process.env.USAGE_PORT ?? "8622");
  if (!/^[0-9]+$/.test(text ?? "") || Number(text) < 1 || Number(text) > 65535)
    fail(`the port must be 1..65535, got ${text}: pass --port or USAGE_PORT`);
  return Number(text);
}

async function main(): Promise<void> {
  const escrowAddress = process.env.USAGE_ESCROW ?? "";
  if (!isAddress(escrowAddress)) fail("set USAGE_ESCROW to the UsageEscrow's address");
  const modelText = process.env.USAGE_MODEL_ID ?? "";
  if (!/^[1-9][0-9]*$/.test(modelText)) fail("set USAGE_MODEL_ID to the model served (a positive integer)");
  const modelId = BigInt(modelText);
  const port = portOf();
  const provider = new JsonRpcProvider(process.env.USAGE_RPC_URL ?? "http://127.0.0.1:8545", undefined, {
    cacheTimeout: -1, // fresh balances, prices and nonces on every request
  });
  const { chainId } = await provider.getNetwork();
  const redeemer: Signer = process.env.USAGE_REDEEMER_KEY
    ? new Wallet(process.env.USAGE_REDEEMER_KEY, provider)
    : await provider.getSigner(0);
  const escrow = connectUsageEscrow(getAddress(escrowAddress), redeemer);
  if ((await provider.getCode(escrowAddress)) === "0x") fail(`no contract at USAGE_ESCROW ${escrowAddress}`);
  const chain = await escrowUsageChain(escrow, modelId);
  const corpus = process.env.USAGE_CORPUS
    ? readFileSync(process.env.USAGE_CORPUS, "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
    : BUILT_IN_CORPUS;
  const service = new UsageService({
    domain: { chainId, escrow: getAddress(escrowAddress) },
    modelId,
    chain,
    answer: nearestLineModel(corpus),
  });
  const running = await startModelServer({
    service,
    pricePerUnit: chain.pricePerUnit,
    redeem: escrowRedeemer(escrow, redeemer),
    port,
  });
  console.log(`model-server: model ${modelId} on ${running.url} (escrow ${escrowAddress}, chain ${chainId})`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));

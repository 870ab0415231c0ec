/**
 * The demo's epoch paid by vouchers: the app deposits into the usage escrow for its payer key, the
 * example model server's core (src/usage: service and HTTP front, on an ephemeral loopback port)
 * serves the client app's prompts, one voucher each, and redeems the latest; the receipts then
 * feed the epoch's attribution, whose table names the receipt proofs so the verifier can check
 * that every attributed output was paid.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { getAddress, Wallet, type Signer } from "ethers";
import { contentHashOf } from "../attribution/corpus.js";
import {
  connectUsageEscrow,
  depositUsage,
  escrowRedeemer,
  escrowUsageChain,
  readRedeemedVouchers,
} from "../sdk/usage.js";
import { UsageClient } from "../usage/client.js";
import { startModelServer } from "../usage/http.js";
import { receiptToJson, type InferenceReceipt } from "../usage/receipts.js";
import { nearestLineModel, UsageService } from "../usage/service.js";
import { VoucherSigner } from "../usage/voucher.js";
import { outputsFromReceipts } from "../usage/paid-outputs.js";
import type { TableInputs } from "../attribution/index.js";

/** What the report shows of the voucher epoch. */
export interface DemoUsageReport {
  escrow: string;
  payer: string;
  modelId: string;
  epoch: string;
  inferences: number;
  units: string;
  deposited: string;
  charged: string;
  redemptions: { usageRoot: string; cumulativeUnits: string; units: string; amount: string; block: number }[];
  /** The escrow's `books()`; balanced: deposited == redeemed + withdrawn + the payer's balance, and
   * redeemed == what the server charged. */
  books: { deposited: string; redeemed: string; withdrawn: string; balances: string; balanced: boolean };
}

/** The voucher epoch's outcome: the report and the attribution inputs its outputs give. */
export interface VoucherEpoch {
  report: Omit<DemoUsageReport, "books" | "redemptions">;
  /** The outputs file (JSONL, id = output hash) to attribute. */
  outputsPath: string;
  /** The published receipt proofs, for the table's `inputs.receipts`. */
  receipts: NonNullable<TableInputs["receipts"]>;
}

/** Plays the voucher epoch for `modelId` in the current epoch `epoch`. */
export async function payEpochByVouchers(opts: {
  escrow: string;
  chainId: bigint;
  app: Signer;
  relayer: Signer;
  modelId: bigint;
  epoch: bigint;
  deposit: bigint;
  prompts: string[];
  corpus: string[];
  outputDir: string;
}): Promise<VoucherEpoch> {
  const escrowAddress = getAddress(opts.escrow);
  const domain = { chainId: opts.chainId, escrow: escrowAddress };
  // The app's payer key lives in this process only: it signs vouchers, it needs no ETH.
  const payer = new VoucherSigner(Wallet.createRandom().privateKey, domain);
  await depositUsage(connectUsageEscrow(escrowAddress, opts.app), opts.app, payer.address, opts.deposit);
  const escrow = connectUsageEscrow(escrowAddress, opts.relayer);
  const chain = await escrowUsageChain(escrow, opts.modelId);
  const service = new UsageService({
    domain,
    modelId: opts.modelId,
    chain,
    answer: nearestLineModel(opts.corpus),
  });
  const server = await startModelServer({
    service,
    pricePerUnit: chain.pricePerUnit,
    redeem: escrowRedeemer(escrow, opts.relayer),
    port: 0,
  });
  const texts = new Map<string, string>();
  let redeemed: { charged: string };
  try {
    const client = new UsageClient({
      server: server.url,
      payer,
      modelId: opts.modelId,
      maxPricePerUnit: await chain.pricePerUnit(),
    });
    for (const prompt of opts.prompts) {
      const paid = await client.infer(prompt);
      texts.set(paid.receipt.outputHash.toLowerCase(), paid.output);
    }
    const res = await fetch(new URL("/redeem", server.url), { method: "POST", body: "{}" });
    redeemed = (await res.json()) as { charged: string };
    if (!res.ok) throw new Error(`the model server could not redeem: ${JSON.stringify(redeemed)}`);
    const receipts: InferenceReceipt[] = client.tree.receipts;
    const outputs = outputsFromReceipts(receipts, (h) => texts.get(h.toLowerCase()));
    const outputsPath = join(opts.outputDir, `outputs-m${opts.modelId}-e${opts.epoch}-paid.jsonl`);
    await writeFile(outputsPath, outputs.map((o) => JSON.stringify(o)).join("\n") + "\n");
    // Every receipt's proof into the root the server redeemed (the client's own tree).
    const proofs = receipts.map((_, i) => {
      const p = client.tree.prove(i);
      return { receipt: receiptToJson(p.receipt), usageRoot: p.usageRoot, proof: p.proof };
    });
    const proofsPath = join(opts.outputDir, `receipts-m${opts.modelId}-e${opts.epoch}.json`);
    const bytes = Buffer.from(JSON.stringify(proofs, null, 2) + "\n");
    await writeFile(proofsPath, bytes);
    return {
      report: {
        escrow: escrowAddress,
        payer: payer.address,
        modelId: opts.modelId.toString(),
        epoch: opts.epoch.toString(),
        inferences: receipts.length,
        units: client.tree.cumulativeUnits.toString(),
        deposited: opts.deposit.toString(),
        charged: redeemed.charged,
      },
      outputsPath,
      receipts: {
        uri: pathToFileURL(proofsPath).href,
        contentHash: await contentHashOf(bytes),
        count: proofs.length,
        escrow: escrowAddress,
      },
    };
  } finally {
    await server.close();
  }
}

/** The escrow's redemptions and books, read back from the chain for the report. */
export async function usageReport(runner: Signer, epoch: VoucherEpoch["report"]): Promise<DemoUsageReport> {
  const escrow = connectUsageEscrow(epoch.escrow, runner);
  const b = await escrow.books();
  // The demo's one payer holds every escrowed balance: its own balance, not the books' difference.
  const held = await escrow.balanceOf(epoch.payer);
  return {
    ...epoch,
    redemptions: (await readRedeemedVouchers(escrow)).map((r) => ({
      usageRoot: r.usageRoot,
      cumulativeUnits: r.cumulativeUnits.toString(),
      units: r.units.toString(),
      amount: r.amount.toString(),
      block: r.blockNumber,
    })),
    books: {
      deposited: b.deposited.toString(),
      redeemed: b.redeemed.toString(),
      withdrawn: b.withdrawn.toString(),
      balances: held.toString(),
      balanced: b.deposited === b.redeemed + b.withdrawn + held && b.redeemed === BigInt(epoch.charged),
    },
  };
}

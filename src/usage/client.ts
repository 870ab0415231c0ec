/**
 * A client app's side of pay-per-inference, without chain access: it asks a model server for an
 * inference, checks the receipt against what it asked and got, keeps its own usage tree, and signs
 * the voucher only when the server's voucher covers exactly its own receipts at a price it accepts.
 */
import { receiptFromJson, textHash, UsageTree, type InferenceReceipt } from "./receipts.js";
import type { InferResponse } from "./http.js";
import { voucherFromJson, voucherToJson } from "./http.js";
import type { SignedVoucher, Voucher } from "./voucher.js";

/** Signs vouchers for the payer (a {@link VoucherSigner}, or a wallet through `signVoucher`). */
export interface PayerSigner {
  readonly address: string;
  sign(v: Voucher): string | Promise<string>;
}

/** Options of a {@link UsageClient}. */
export interface UsageClientOptions {
  /** The model server, e.g. http://127.0.0.1:8622. */
  server: string;
  payer: PayerSigner;
  modelId: bigint;
  /** The highest price per unit the app accepts. */
  maxPricePerUnit: bigint;
  /** The most units one inference may be charged (default 10,000). */
  maxUnitsPerRequest?: bigint;
}

/** One paid inference. */
export interface PaidInference {
  output: string;
  receipt: InferenceReceipt;
  voucher: SignedVoucher;
}

/** Pays a model server by voucher, one signature an inference. */
export class UsageClient {
  /** Every receipt this app was served, in order (its usage tree with this model). */
  readonly tree = new UsageTree();
  private readonly opts: UsageClientOptions;

  constructor(opts: UsageClientOptions) {
    this.opts = opts;
  }

  /** Asks for an inference and pays for it with a voucher; throws a one-line message on any mismatch. */
  async infer(prompt: string): Promise<PaidInference> {
    const answer = (await this.post("/infer", { payer: this.opts.payer.address, prompt })) as InferResponse;
    const receipt = receiptFromJson(answer.receipt, "the server's receipt");
    const voucher = voucherFromJson(answer.voucher, "the server's voucher");
    if (receipt.requestHash !== textHash(prompt))
      throw new Error("the server's receipt is not for the prompt sent: do not sign, report the server");
    if (receipt.outputHash !== textHash(answer.output))
      throw new Error("the server's receipt is not for the output returned: do not sign, report the server");
    const limit = this.opts.maxUnitsPerRequest ?? 10_000n;
    if (receipt.units > limit)
      throw new Error(
        `the server charged ${receipt.units} units for one inference, above this app's ${limit}`,
      );
    const mine = new UsageTree([...this.tree.receipts, receipt]);
    if (
      voucher.payer.toLowerCase() !== this.opts.payer.address.toLowerCase() ||
      voucher.modelId !== this.opts.modelId ||
      voucher.cumulativeUnits !== mine.cumulativeUnits ||
      voucher.usageRoot !== mine.root
    )
      throw new Error(
        "the voucher asked for does not match this app's receipts: do not sign, report the server",
      );
    if (voucher.maxPricePerUnit > this.opts.maxPricePerUnit)
      throw new Error(
        `the server asks ${voucher.maxPricePerUnit} OPEN wei a unit, above this app's maximum ${this.opts.maxPricePerUnit}`,
      );
    // The app signs its own maximum, not the server's current price: a later price rise the app
    // did not accept cannot be charged.
    const toSign: Voucher = { ...voucher, maxPricePerUnit: this.opts.maxPricePerUnit };
    const signature = await this.opts.payer.sign(toSign);
    await this.post("/voucher", { voucher: voucherToJson(toSign), signature });
    this.tree.add(receipt);
    return { output: answer.output, receipt, voucher: { voucher: toSign, signature } };
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    const res = await fetch(new URL(path, this.opts.server), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { error?: string };
    if (!res.ok)
      throw new Error(`the model server refused ${path} (${res.status}): ${json.error ?? "no reason"}`);
    return json;
  }
}

/**
 * Links attribution to paid usage: the attribution engine takes its outputs from inference
 * receipts (an output's id is its output hash, so a commitment's table names the paid outputs it
 * attributed), and the verifier checks that every attributed output is a receipt of a redeemed
 * usage root.
 */
import type { InferenceOutput } from "../attribution/span-index.js";
import { textHash, verifyReceiptProof, type InferenceReceipt, type ReceiptProof } from "./receipts.js";

/**
 * The attribution engine's outputs for `receipts`: id = the receipt's output hash, text = the output
 * served. Throws a one-line message when a text is missing or does not hash to its receipt.
 */
export function outputsFromReceipts(
  receipts: readonly InferenceReceipt[],
  textOf: (outputHash: string) => string | undefined,
): InferenceOutput[] {
  const seen = new Set<string>();
  const out: InferenceOutput[] = [];
  for (const r of receipts) {
    const id = r.outputHash.toLowerCase();
    if (seen.has(id)) continue; // the same output served twice is attributed once
    seen.add(id);
    const text = textOf(r.outputHash);
    if (text === undefined)
      throw new Error(`no text for output ${r.outputHash}: add the served output to the outputs file`);
    if (textHash(text).toLowerCase() !== id)
      throw new Error(
        `the text given for output ${r.outputHash} does not hash to it: pass the output exactly as served`,
      );
    out.push({ id, text });
  }
  return out;
}

/** Why an attributed output is not shown to be paid. */
export type PaidOutputProblem = "no-receipt-proof" | "root-not-redeemed" | "proof-invalid";

/** An attributed output that is not shown to be paid for. */
export interface UnpaidOutput {
  outputId: string;
  problem: PaidOutputProblem;
}

/**
 * Checks that every attributed output id (an output hash) comes with a receipt proof into a usage
 * root some redeemed voucher carried. Returns the outputs that fail, empty when all are paid.
 */
export function checkPaidOutputs(
  attributedOutputIds: readonly string[],
  proofs: readonly ReceiptProof[],
  redeemedRoots: ReadonlySet<string>,
): UnpaidOutput[] {
  const roots = new Set([...redeemedRoots].map((r) => r.toLowerCase()));
  const byOutput = new Map<string, ReceiptProof[]>();
  for (const p of proofs) {
    const k = p.receipt.outputHash.toLowerCase();
    byOutput.set(k, [...(byOutput.get(k) ?? []), p]);
  }
  const out: UnpaidOutput[] = [];
  for (const raw of attributedOutputIds) {
    const id = raw.toLowerCase();
    const candidates = byOutput.get(id) ?? [];
    if (candidates.length === 0) {
      out.push({ outputId: id, problem: "no-receipt-proof" });
      continue;
    }
    const inRedeemed = candidates.filter((p) => roots.has(p.usageRoot.toLowerCase()));
    if (inRedeemed.length === 0) out.push({ outputId: id, problem: "root-not-redeemed" });
    else if (!inRedeemed.some(verifyReceiptProof)) out.push({ outputId: id, problem: "proof-invalid" });
  }
  return out;
}

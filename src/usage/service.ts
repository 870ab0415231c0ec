/**
 * The model server's side of pay-per-inference, without chain access: per payer, the receipts
 * served (the usage tree) and the latest voucher that covers them. A payer gets one inference on
 * credit: the next is served only once a voucher covers every receipt so far, so the server never
 * holds more than one unpaid inference per payer. The chain (prices, balances, redemption) is given
 * as functions, so the same core runs in the example HTTP server, the demo and tests.
 */
import { getAddress, isAddress } from "ethers";
import { makeReceipt, UsageTree, type InferenceReceipt, type ReceiptProof } from "./receipts.js";
import {
  VOUCHER_PROBLEM_MESSAGES,
  VoucherChecker,
  type SignedVoucher,
  type UsageDomain,
  type Voucher,
} from "./voucher.js";

/** What the service needs of the chain (read at each request: prices and balances move). */
export interface UsageChain {
  /** The model's price per unit now (OPEN wei). */
  pricePerUnit(): Promise<bigint>;
  /** The payer's escrow balance now. */
  balanceOf(payer: string): Promise<bigint>;
  /** Units of this model already redeemed for the payer. */
  redeemedUnits(payer: string): Promise<bigint>;
  /** Unix seconds now (the chain's clock: vouchers expire by it). */
  now(): Promise<bigint>;
}

/** A refusal a client can act on: an HTTP status and a one-line message saying what to do. */
export class UsageServiceError extends Error {
  override name = "UsageServiceError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What the server answers for one inference: the output, its receipt and the voucher to sign. */
export interface ServedInference {
  output: string;
  receipt: InferenceReceipt;
  /** The voucher that covers every receipt so far (the client checks it against its own tree). */
  voucher: Voucher;
}

/** One payer's state at the server. */
export interface PayerUsage {
  payer: string;
  receipts: number;
  cumulativeUnits: bigint;
  /** Cumulative units of the latest voucher held (0 for none). */
  vouchedUnits: bigint;
}

/** Options of a {@link UsageService}. */
export interface UsageServiceOptions {
  domain: UsageDomain;
  modelId: bigint;
  chain: UsageChain;
  /** The model: an output for a prompt. */
  answer(prompt: string): string;
  /** Units charged for an output (default: its words, at least 1). */
  unitsOf?(output: string): bigint;
  /** How long the voucher asked for stays redeemable (seconds, default 7 days). */
  voucherLifetime?: bigint;
}

interface PayerBook {
  tree: UsageTree;
  latest?: SignedVoucher;
  /** Usage root of the latest voucher redeemed (none yet: undefined). */
  redeemedRoot?: string;
}

/** Words of `output`, at least 1. */
export function wordUnits(output: string): bigint {
  return BigInt(Math.max(1, output.split(/\s+/).filter(Boolean).length));
}

/**
 * A toy model for examples and the demo: answers with the line of `corpus` that shares the most
 * words with the prompt (the first on a tie), prefixed "answer: ".
 */
export function nearestLineModel(corpus: readonly string[]): (prompt: string) => string {
  if (corpus.length === 0) throw new Error("the model needs at least one line of corpus");
  const words = (t: string) =>
    new Set(
      t
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter(Boolean),
    );
  const lines = corpus.map((text) => ({ text, words: words(text) }));
  return (prompt) => {
    const asked = words(prompt);
    let best = lines[0];
    let bestScore = -1;
    for (const l of lines) {
      let score = 0;
      for (const w of asked) if (l.words.has(w)) score++;
      if (score > bestScore) [best, bestScore] = [l, score];
    }
    return `answer: ${best.text}`;
  };
}

/** The model server's books of usage: serves, collects vouchers, hands out what to redeem. */
export class UsageService {
  readonly domain: UsageDomain;
  readonly modelId: bigint;
  private readonly opts: UsageServiceOptions;
  private readonly checker: VoucherChecker;
  private readonly payers = new Map<string, PayerBook>();
  /** Usage roots of every voucher redeemed through {@link markRedeemed}. */
  readonly redeemedRoots = new Set<string>();

  constructor(opts: UsageServiceOptions) {
    this.opts = opts;
    this.domain = opts.domain;
    this.modelId = opts.modelId;
    this.checker = new VoucherChecker(opts.domain);
  }

  /** Serves `prompt` to `payer`: refuses a payer with an unvouched receipt or too little balance. */
  async serve(payerText: string, prompt: string): Promise<ServedInference> {
    const payer = parsePayer(payerText);
    if (typeof prompt !== "string" || prompt.trim() === "")
      throw new UsageServiceError(400, "the request needs a non-empty prompt");
    const book = this.bookOf(payer);
    const vouched = book.latest?.voucher.cumulativeUnits ?? 0n;
    if (book.tree.cumulativeUnits > vouched)
      throw new UsageServiceError(
        402,
        `payer ${payer} has ${book.tree.cumulativeUnits - vouched} unit(s) served without a voucher: POST /voucher first`,
      );
    const output = this.opts.answer(prompt);
    const units = (this.opts.unitsOf ?? wordUnits)(output);
    const [price, balance, redeemed, now] = await Promise.all([
      this.opts.chain.pricePerUnit(),
      this.opts.chain.balanceOf(payer),
      this.opts.chain.redeemedUnits(payer),
      this.opts.chain.now(),
    ]);
    // Every unit served and not yet redeemed must be covered by the balance, this one included.
    const owed = (book.tree.cumulativeUnits - redeemed + units) * price;
    if (balance < owed)
      throw new UsageServiceError(
        402,
        `payer ${payer} has ${balance} OPEN wei in escrow, below the ${owed} its unredeemed usage would cost: deposit more`,
      );
    const receipt = makeReceipt(prompt, output, units, now);
    book.tree.add(receipt);
    return {
      output,
      receipt,
      voucher: {
        payer,
        modelId: this.modelId,
        cumulativeUnits: book.tree.cumulativeUnits,
        maxPricePerUnit: price,
        usageRoot: book.tree.root,
        expiry: now + (this.opts.voucherLifetime ?? 7n * 86_400n),
      },
    };
  }

  /** Takes a voucher: it must be the payer's, for this model and escrow, and cover exactly the receipts served. */
  async acceptVoucher(signed: SignedVoucher): Promise<void> {
    const payer = parsePayer(signed.voucher.payer);
    const book = this.payers.get(payer.toLowerCase());
    if (book === undefined)
      throw new UsageServiceError(400, `nothing was served to ${payer}: request an inference first`);
    const [price, now] = await Promise.all([this.opts.chain.pricePerUnit(), this.opts.chain.now()]);
    const problem = this.checker.problem(signed, {
      modelId: this.modelId,
      latestUnits: book.latest?.voucher.cumulativeUnits ?? 0n,
      pricePerUnit: price,
      now,
    });
    if (problem !== undefined) throw new UsageServiceError(400, VOUCHER_PROBLEM_MESSAGES[problem]);
    const v = signed.voucher;
    if (
      v.cumulativeUnits !== book.tree.cumulativeUnits ||
      v.usageRoot.toLowerCase() !== book.tree.root.toLowerCase()
    )
      throw new UsageServiceError(
        400,
        `the voucher covers ${v.cumulativeUnits} units under root ${v.usageRoot}, the receipts served are ${book.tree.cumulativeUnits} units under ${book.tree.root}: sign the voucher the server sent`,
      );
    book.latest = { voucher: { ...v, payer }, signature: signed.signature };
  }

  /** The latest voucher of each payer not yet marked redeemed: what a redemption should carry. */
  toRedeem(): SignedVoucher[] {
    const out: SignedVoucher[] = [];
    for (const book of this.payers.values())
      if (book.latest && book.latest.voucher.usageRoot !== book.redeemedRoot) out.push(book.latest);
    return out;
  }

  /** Records that these vouchers were redeemed on chain. */
  markRedeemed(vouchers: readonly SignedVoucher[]): void {
    for (const s of vouchers) {
      const book = this.payers.get(s.voucher.payer.toLowerCase());
      if (book) book.redeemedRoot = s.voucher.usageRoot;
      this.redeemedRoots.add(s.voucher.usageRoot.toLowerCase());
    }
  }

  /** Proof that the output with `outputHash` was served to `payer`, in the latest vouched root. */
  proveOutput(payerText: string, outputHash: string): ReceiptProof {
    const payer = parsePayer(payerText);
    const book = this.payers.get(payer.toLowerCase());
    if (book?.latest === undefined)
      throw new UsageServiceError(404, `no voucher of ${payer} is held: nothing of it is proven paid`);
    const vouched = new UsageTree(book.tree.receipts.slice(0, this.countCovered(book)));
    try {
      return vouched.proveOutput(outputHash);
    } catch (error) {
      throw new UsageServiceError(404, (error as Error).message);
    }
  }

  /** Every receipt covered by a held voucher, by payer (for the attribution engine and proofs). */
  vouchedReceipts(): { payer: string; receipts: InferenceReceipt[]; usageRoot: string }[] {
    const out = [];
    for (const book of this.payers.values()) {
      if (!book.latest) continue;
      out.push({
        payer: book.latest.voucher.payer,
        receipts: book.tree.receipts.slice(0, this.countCovered(book)),
        usageRoot: book.latest.voucher.usageRoot,
      });
    }
    return out;
  }

  /** Each payer's state. */
  status(): PayerUsage[] {
    return [...this.payers.entries()].map(([key, b]) => ({
      payer: b.latest?.voucher.payer ?? getAddress(key),
      receipts: b.tree.receipts.length,
      cumulativeUnits: b.tree.cumulativeUnits,
      vouchedUnits: b.latest?.voucher.cumulativeUnits ?? 0n,
    }));
  }

  private bookOf(payer: string): PayerBook {
    const key = payer.toLowerCase();
    let book = this.payers.get(key);
    if (!book) this.payers.set(key, (book = { tree: new UsageTree() }));
    return book;
  }

  /** How many receipts (from the first) the latest voucher covers. */
  private countCovered(book: PayerBook): number {
    const units = book.latest?.voucher.cumulativeUnits ?? 0n;
    let sum = 0n;
    let n = 0;
    while (n < book.tree.receipts.length && sum + book.tree.receipts[n].units <= units)
      sum += book.tree.receipts[n++].units;
    return n;
  }
}

function parsePayer(text: unknown): string {
  if (typeof text !== "string" || !isAddress(text))
    throw new UsageServiceError(400, `payer must be an address (0x + 40 hex digits), got ${String(text)}`);
  return getAddress(text);
}

import { keccak256, toUtf8Bytes } from "ethers";
import { FastMerkleTree } from "../merkle/tree.js";
import { standardLeafHash } from "../merkle/leaves.js";
import type { Hex } from "../merkle/encoding.js";

/**
 * One inference, as the model server records it and the payer's voucher commits to it:
 * the hash of the request, the hash of the output, the units charged, and when it was served.
 */
export interface InferenceReceipt {
  /** keccak256 of the request body (0x, 32 bytes). */
  requestHash: string;
  /** keccak256 of the output text (0x, 32 bytes); the attribution engine's outputs point at it. */
  outputHash: string;
  /** Units of inference charged for it (> 0). */
  units: bigint;
  /** Unix seconds when it was served. */
  time: bigint;
}

/** Leaf encoding of a receipt in the usage tree (OpenZeppelin StandardMerkleTree leaves). */
export const RECEIPT_LEAF_ENCODING = ["bytes32", "bytes32", "uint256", "uint256"] as const;

/** The usage-tree leaf of `r`: keccak256(keccak256(abi.encode(requestHash, outputHash, units, time))). */
export function receiptLeaf(r: InferenceReceipt): Hex {
  return standardLeafHash(RECEIPT_LEAF_ENCODING, [r.requestHash, r.outputHash, r.units, r.time]);
}

/** keccak256 of a text (UTF-8), as request and output hashes are taken. */
export function textHash(text: string): string {
  return keccak256(toUtf8Bytes(text));
}

/** Builds a receipt for a served request. */
export function makeReceipt(request: string, output: string, units: bigint, time: bigint): InferenceReceipt {
  if (units <= 0n) throw new Error(`a receipt needs units > 0, got ${units}`);
  if (time < 0n) throw new Error(`a receipt needs a time >= 0, got ${time}`);
  return { requestHash: textHash(request), outputHash: textHash(output), units, time };
}

/** A receipt and its inclusion proof in a usage root: proves that one inference was paid for. */
export interface ReceiptProof {
  receipt: InferenceReceipt;
  usageRoot: string;
  proof: string[];
}

/**
 * The usage tree of one (payer, model): every receipt so far, in serving order. Its root is the
 * voucher's `usageRoot` and its units total the voucher's `cumulativeUnits`, so a newer voucher's
 * root covers every earlier receipt.
 */
export class UsageTree {
  readonly receipts: InferenceReceipt[] = [];
  private units = 0n;
  private tree: FastMerkleTree<typeof RECEIPT_LEAF_ENCODING> | undefined;

  constructor(receipts: readonly InferenceReceipt[] = []) {
    for (const r of receipts) this.add(r);
  }

  /** Appends a receipt. */
  add(r: InferenceReceipt): void {
    if (r.units <= 0n) throw new Error(`a receipt needs units > 0, got ${r.units}`);
    this.receipts.push(r);
    this.units += r.units;
    this.tree = undefined;
  }

  /** Units of all receipts: the voucher's cumulative units. */
  get cumulativeUnits(): bigint {
    return this.units;
  }

  /** The Merkle root of all receipts (the voucher's usage root); zero bytes32 with no receipt. */
  get root(): string {
    if (this.receipts.length === 0) return "0x" + "00".repeat(32);
    return this.build().root;
  }

  /** The inclusion proof of the receipt with output hash `outputHash` (the first one, if repeated). */
  proveOutput(outputHash: string): ReceiptProof {
    const i = this.receipts.findIndex((r) => r.outputHash.toLowerCase() === outputHash.toLowerCase());
    if (i < 0)
      throw new Error(`no receipt has output hash ${outputHash}: was this output served to this payer?`);
    return this.prove(i);
  }

  /** The inclusion proof of receipt `index`. */
  prove(index: number): ReceiptProof {
    if (!Number.isInteger(index) || index < 0 || index >= this.receipts.length)
      throw new Error(`receipt index ${index} out of range: the tree has ${this.receipts.length} receipts`);
    const tree = this.build();
    return { receipt: this.receipts[index], usageRoot: tree.root, proof: tree.proof(index) };
  }

  private build(): FastMerkleTree<typeof RECEIPT_LEAF_ENCODING> {
    this.tree ??= FastMerkleTree.of(
      this.receipts.map((r) => [r.requestHash, r.outputHash, r.units, r.time] as const),
      RECEIPT_LEAF_ENCODING,
    );
    return this.tree;
  }
}

/** Whether `p.proof` proves `p.receipt` in `p.usageRoot`. */
export function verifyReceiptProof(p: ReceiptProof): boolean {
  const r = p.receipt;
  return FastMerkleTree.verify(
    p.usageRoot,
    RECEIPT_LEAF_ENCODING,
    [r.requestHash, r.outputHash, r.units, r.time],
    p.proof,
  );
}

/** JSON form of a receipt (bigints as decimal strings). */
export interface ReceiptJson {
  requestHash: string;
  outputHash: string;
  units: string;
  time: string;
}

/** Converts a receipt to JSON. */
export function receiptToJson(r: InferenceReceipt): ReceiptJson {
  return {
    requestHash: r.requestHash,
    outputHash: r.outputHash,
    units: r.units.toString(),
    time: r.time.toString(),
  };
}

/** Reads a receipt from JSON, with a one-line message for a bad field. */
export function receiptFromJson(j: unknown, where = "receipt"): InferenceReceipt {
  const o = (typeof j === "object" && j !== null ? j : {}) as Partial<Record<keyof ReceiptJson, unknown>>;
  for (const k of ["requestHash", "outputHash"] as const) {
    if (typeof o[k] !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(o[k] as string))
      throw new Error(`${where}.${k} must be 32 bytes of hex (0x + 64 digits)`);
  }
  for (const k of ["units", "time"] as const) {
    if (typeof o[k] !== "string" || !/^[0-9]+$/.test(o[k] as string))
      throw new Error(`${where}.${k} must be a decimal string`);
  }
  return {
    requestHash: o.requestHash as string,
    outputHash: o.outputHash as string,
    units: BigInt(o.units as string),
    time: BigInt(o.time as string),
  };
}

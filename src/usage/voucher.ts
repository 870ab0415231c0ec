import secp from "secp256k1";
import { TypedDataEncoder, getAddress, hexlify, type TypedDataDomain } from "ethers";
import { keccak256Bytes } from "../merkle/keccak.js";
import { eip712Struct } from "../eip712.js";

/** A usage voucher, as the payer signs it (EIP-712 type `Voucher` of the UsageEscrow). */
export interface Voucher {
  /** Whose escrow balance pays (an EOA or an ERC-1271 wallet). */
  payer: string;
  /** The model served. */
  modelId: bigint;
  /** All units served to this payer by this model so far. */
  cumulativeUnits: bigint;
  /** The highest price per unit (OPEN wei) the payer accepts. */
  maxPricePerUnit: bigint;
  /** Merkle root of the inference receipts so far (0x-prefixed, 32 bytes). */
  usageRoot: string;
  /** Last second at which the voucher can be redeemed (unix seconds). */
  expiry: bigint;
}

/** A voucher with its signature (65-byte ECDSA, or what the payer's ERC-1271 wallet accepts). */
export interface SignedVoucher {
  voucher: Voucher;
  signature: string;
}

/** Where a voucher is valid: the chain and the escrow contract (the EIP-712 domain). */
export interface UsageDomain {
  chainId: bigint;
  escrow: string;
}

/** The EIP-712 domain name and version of the UsageEscrow. */
export const USAGE_DOMAIN_NAME = "OpenLedger Usage";
export const USAGE_DOMAIN_VERSION = "1";

/** A voucher as EIP-712 signs it (VoucherLib.VOUCHER_TYPEHASH). */
export const VOUCHER = eip712Struct(
  "Voucher(address payer,uint256 modelId,uint256 cumulativeUnits,uint256 maxPricePerUnit,bytes32 usageRoot,uint256 expiry)",
);

/** The EIP-712 types of a voucher (for `signTypedData`). */
export const VOUCHER_TYPES = VOUCHER.types;
const UINT256_MAX = (1n << 256n) - 1n;

/** The ethers typed-data domain of `domain`. */
export function typedDataDomain(domain: UsageDomain): TypedDataDomain {
  return {
    name: USAGE_DOMAIN_NAME,
    version: USAGE_DOMAIN_VERSION,
    chainId: domain.chainId,
    verifyingContract: domain.escrow,
  };
}

/** Something that signs EIP-712 typed data (an ethers Signer or Wallet). */
export interface TypedDataSigner {
  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, { name: string; type: string }[]>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

/** Throws a one-line message unless every field of `v` is well formed. */
export function checkVoucherFields(v: Voucher): void {
  for (const k of ["modelId", "cumulativeUnits", "maxPricePerUnit", "expiry"] as const) {
    if (typeof v[k] !== "bigint" || v[k] < 0n || v[k] > UINT256_MAX)
      throw new Error(`voucher.${k} must be a uint256 bigint, got ${String(v[k])}`);
  }
  if (!/^0x[0-9a-fA-F]{64}$/.test(v.usageRoot))
    throw new Error(`voucher.usageRoot must be 32 bytes of hex (0x + 64 digits), got ${v.usageRoot}`);
  if (validPayers.has(v.payer)) return;
  try {
    getAddress(v.payer);
  } catch {
    throw new Error(`voucher.payer must be an address, got ${v.payer}`);
  }
  if (validPayers.size >= 100_000) validPayers.clear();
  validPayers.add(v.payer);
}

/** Payer strings already found well formed: a checksum costs a keccak, and a server sees the same few
 * payers on every request. Bounded, so a flood of new addresses cannot grow it without end. */
const validPayers = new Set<string>();

function word(out: Uint8Array, offset: number, value: bigint): void {
  for (let i = 31; i >= 0; i--) {
    out[offset + i] = Number(value & 0xffn);
    value >>= 8n;
  }
}

/**
 * Hashes vouchers of one domain fast (one precomputed domain separator, WebAssembly keccak); the
 * digest equals `UsageEscrow.voucherDigest` and ethers' `TypedDataEncoder.hash`.
 */
export class VoucherHasher {
  readonly domain: UsageDomain;
  private readonly prefix = new Uint8Array(66);
  private readonly struct = new Uint8Array(7 * 32);

  constructor(domain: UsageDomain) {
    this.domain = { chainId: domain.chainId, escrow: getAddress(domain.escrow) };
    const separator = TypedDataEncoder.hashDomain(typedDataDomain(this.domain));
    this.prefix[0] = 0x19;
    this.prefix[1] = 0x01;
    this.prefix.set(Buffer.from(separator.slice(2), "hex"), 2);
    this.struct.set(Buffer.from(VOUCHER.typeHash.slice(2), "hex"), 0);
  }

  /** The EIP-712 digest of `v` (32 bytes). */
  digest(v: Voucher): Uint8Array {
    const s = this.struct;
    s.fill(0, 32, 64);
    s.set(Buffer.from(v.payer.slice(2), "hex"), 44);
    word(s, 64, v.modelId);
    word(s, 96, v.cumulativeUnits);
    word(s, 128, v.maxPricePerUnit);
    s.set(Buffer.from(v.usageRoot.slice(2), "hex"), 160);
    word(s, 192, v.expiry);
    this.prefix.set(keccak256Bytes(s), 34);
    return keccak256Bytes(this.prefix);
  }
}

/** The EIP-712 digest of `v` in `domain` (0x hex). */
export function voucherDigest(domain: UsageDomain, v: Voucher): string {
  checkVoucherFields(v);
  return hexlify(new VoucherHasher(domain).digest(v));
}

/** Signs `v` with an ethers signer (EOA key, hardware wallet, or the key of an ERC-1271 wallet). */
export async function signVoucher(signer: TypedDataSigner, domain: UsageDomain, v: Voucher): Promise<string> {
  checkVoucherFields(v);
  return signer.signTypedData(typedDataDomain(domain), VOUCHER_TYPES, { ...v });
}

/** The address of an uncompressed secp256k1 public key (65 bytes, 0x04 prefix). */
function addressOf(publicKey: Uint8Array): string {
  return getAddress(
    "0x" +
      Buffer.from(keccak256Bytes(publicKey.subarray(1)))
        .subarray(12)
        .toString("hex"),
  );
}

/**
 * Signs vouchers of one payer key fast (native libsecp256k1, one precomputed domain,
 * WebAssembly keccak): for clients that sign a voucher per request. The signature equals
 * `signVoucher`'s (RFC 6979, low s).
 */
export class VoucherSigner {
  private readonly hasher: VoucherHasher;
  private readonly key: Uint8Array;
  /** The signer's address. */
  readonly address: string;

  /**
   * @param privateKey 0x-prefixed 32-byte private key.
   * @param domain The chain and escrow.
   */
  constructor(privateKey: string, domain: UsageDomain) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(privateKey))
      throw new Error("the private key must be 0x + 64 hex digits");
    this.key = Buffer.from(privateKey.slice(2), "hex");
    if (!secp.privateKeyVerify(this.key)) throw new Error("the private key is not a valid secp256k1 key");
    this.hasher = new VoucherHasher(domain);
    this.address = addressOf(secp.publicKeyCreate(this.key, false));
  }

  /** Signs `v` (65 bytes r || s || v, as 0x hex). */
  sign(v: Voucher): string {
    const { signature, recid } = secp.ecdsaSign(this.hasher.digest(v), this.key);
    return "0x" + Buffer.from(signature).toString("hex") + (27 + recid).toString(16);
  }
}

/** Why a voucher is not acceptable to a server (or `undefined` when it is). */
export type VoucherProblem =
  "wrong-signer" | "wrong-chain" | "expired" | "older-than-latest" | "price-above-max" | "malformed";

/** What a server checks a voucher against. */
export interface VoucherExpectation {
  /** The model the server serves. */
  modelId: bigint;
  /** The chain it redeems on (a voucher whose signature only verifies under another chain id is "wrong-chain"). */
  otherChainIds?: bigint[];
  /** Cumulative units of the latest voucher it holds from this payer (0 for none). */
  latestUnits: bigint;
  /** The model's current price per unit. */
  pricePerUnit: bigint;
  /** Unix seconds now. */
  now: bigint;
}

/**
 * Checks vouchers of one domain fast (native libsecp256k1): the first voucher of a payer
 * recovers its public key, later ones are verified against it. For EOA payers; an ERC-1271 payer is
 * checked on chain (`UsageEscrow.isValidVoucher`).
 */
export class VoucherChecker {
  private readonly hasher: VoucherHasher;
  private readonly keys = new Map<string, Uint8Array>();

  constructor(domain: UsageDomain) {
    this.hasher = new VoucherHasher(domain);
  }

  /** Whether `signed` carries a valid signature of its payer here. */
  signedByPayer(signed: SignedVoucher): boolean {
    const sig = parseSignature(signed.signature);
    if (sig === undefined) return false;
    const digest = this.hasher.digest(signed.voucher);
    const payer = signed.voucher.payer.toLowerCase();
    const known = this.keys.get(payer);
    if (known !== undefined) return secp.ecdsaVerify(sig.rs, digest, known);
    const pub = recoverPublicKey(digest, sig);
    if (pub === undefined || addressOf(pub).toLowerCase() !== payer) return false;
    this.keys.set(payer, pub);
    return true;
  }

  /**
   * The problem with `signed` for a server that expects `e`, or undefined when it is acceptable.
   */
  problem(signed: SignedVoucher, e: VoucherExpectation): VoucherProblem | undefined {
    const v = signed.voucher;
    try {
      checkVoucherFields(v);
    } catch {
      return "malformed";
    }
    if (v.modelId !== e.modelId) return "malformed";
    if (!this.signedByPayer(signed)) {
      for (const chainId of e.otherChainIds ?? []) {
        const other = new VoucherHasher({ chainId, escrow: this.hasher.domain.escrow });
        const s = recoverDigestSigner(other.digest(v), signed.signature);
        if (s !== undefined && s.toLowerCase() === v.payer.toLowerCase()) return "wrong-chain";
      }
      return "wrong-signer";
    }
    if (v.expiry < e.now) return "expired";
    if (v.cumulativeUnits <= e.latestUnits) return "older-than-latest";
    if (e.pricePerUnit > v.maxPricePerUnit) return "price-above-max";
    return undefined;
  }
}

/** One-line explanations of each problem, saying what to do. */
export const VOUCHER_PROBLEM_MESSAGES: Record<VoucherProblem, string> = {
  "wrong-signer": "the signature is not the payer's: sign the voucher with the payer's key",
  "wrong-chain": "the voucher was signed for another chain: sign it for this chain's escrow",
  expired: "the voucher expired: sign a new one with a later expiry",
  "older-than-latest": "the voucher does not add units to the latest one held: send a newer voucher",
  "price-above-max": "the model's price is above the voucher's maximum price: raise maxPricePerUnit",
  malformed: "the voucher is malformed or names another model: check its fields",
};

/** r || s and the recovery id of a 65-byte signature; undefined when malformed or high-s (which
 * the escrow, through OpenZeppelin's ECDSA, refuses). */
function parseSignature(signature: string): { rs: Uint8Array; recovery: 0 | 1 } | undefined {
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature)) return undefined;
  const bytes = Buffer.from(signature.slice(2), "hex");
  const v = bytes[64];
  const recovery = v >= 27 ? v - 27 : v;
  if (recovery !== 0 && recovery !== 1) return undefined;
  if (BigInt("0x" + signature.slice(66, 130)) > SECP256K1_HALF_N) return undefined;
  const rs = bytes.subarray(0, 64);
  const r = BigInt("0x" + signature.slice(2, 66));
  if (r === 0n || r >= SECP256K1_N || BigInt("0x" + signature.slice(66, 130)) === 0n) return undefined;
  return { rs, recovery };
}

function recoverDigestSigner(digest: Uint8Array, signature: string): string | undefined {
  const sig = parseSignature(signature);
  if (sig === undefined) return undefined;
  const pub = recoverPublicKey(digest, sig);
  return pub === undefined ? undefined : addressOf(pub);
}

/** The uncompressed public key that signed `digest`, or undefined when none does. */
function recoverPublicKey(
  digest: Uint8Array,
  sig: { rs: Uint8Array; recovery: 0 | 1 },
): Uint8Array | undefined {
  try {
    return secp.ecdsaRecover(sig.rs, sig.recovery, digest, false);
  } catch {
    return undefined; // libsecp256k1 throws when no point has this r
  }
}

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const SECP256K1_HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/** Recovers the signer of `signed` in `domain` with ethers' typed-data encoder (the reference path). */
export function recoverVoucherSigner(domain: UsageDomain, signed: SignedVoucher): string {
  checkVoucherFields(signed.voucher);
  const digest = TypedDataEncoder.hash(typedDataDomain(domain), VOUCHER_TYPES, { ...signed.voucher });
  const got = recoverDigestSigner(Buffer.from(digest.slice(2), "hex"), signed.signature);
  if (got === undefined)
    throw new Error("the voucher signature is malformed: expected 65 bytes r || s || v with low s");
  return got;
}

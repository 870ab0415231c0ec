import { expect } from "chai";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { TypedDataEncoder, Wallet, id } from "ethers";
import {
  UsageTree,
  makeReceipt,
  receiptFromJson,
  receiptLeaf,
  receiptToJson,
  verifyReceiptProof,
} from "../../src/usage/receipts.js";
import {
  VOUCHER_PROBLEM_MESSAGES,
  VOUCHER_TYPES,
  VoucherChecker,
  VoucherHasher,
  VoucherSigner,
  checkVoucherFields,
  recoverVoucherSigner,
  signVoucher,
  typedDataDomain,
  voucherDigest,
  type Voucher,
} from "../../src/usage/voucher.js";

const domain = { chainId: 31337n, escrow: "0x5FbDB2315678afecb367f032d93F642f64180aa3" };
const key = id("usage sdk test payer");
const wallet = new Wallet(key);

function voucher(over: Partial<Voucher> = {}): Voucher {
  return {
    payer: wallet.address,
    modelId: 7n,
    cumulativeUnits: 1_234n,
    maxPricePerUnit: 2n * 10n ** 18n,
    usageRoot: id("root"),
    expiry: 1_900_000_000n,
    ...over,
  };
}

const expectation = { modelId: 7n, latestUnits: 0n, pricePerUnit: 10n ** 18n, now: 1_800_000_000n };

describe("usage SDK: vouchers", function () {
  it("VoucherHasher.digest should equal ethers' EIP-712 hash for vouchers with edge values", function () {
    const h = new VoucherHasher(domain);
    for (const v of [
      voucher(),
      voucher({ modelId: 0n, cumulativeUnits: 2n ** 256n - 1n, maxPricePerUnit: 1n, expiry: 0n }),
      voucher({ payer: "0x000000000000000000000000000000000000dEaD", usageRoot: "0x" + "00".repeat(32) }),
    ]) {
      const want = TypedDataEncoder.hash(typedDataDomain(domain), VOUCHER_TYPES, { ...v });
      expect("0x" + Buffer.from(h.digest(v)).toString("hex")).to.equal(want);
      expect(voucherDigest(domain, v)).to.equal(want);
    }
  });

  it("VoucherSigner.sign should equal ethers' signTypedData and recover to the payer", async function () {
    const signer = new VoucherSigner(key, domain);
    expect(signer.address).to.equal(wallet.address);
    for (const units of [1n, 99n, 123_456_789n]) {
      const v = voucher({ cumulativeUnits: units });
      const sig = signer.sign(v);
      expect(sig).to.equal(await signVoucher(wallet, domain, v));
      expect(recoverVoucherSigner(domain, { voucher: v, signature: sig })).to.equal(wallet.address);
    }
  });

  it("VoucherSigner should refuse a malformed or invalid private key", function () {
    expect(() => new VoucherSigner("0x1234", domain)).to.throw("0x + 64 hex digits");
    expect(() => new VoucherSigner("0x" + "00".repeat(32), domain)).to.throw("not a valid secp256k1 key");
  });

  it("VoucherChecker.problem should accept a good voucher, twice for the cached key", function () {
    const signer = new VoucherSigner(key, domain);
    const checker = new VoucherChecker(domain);
    for (const units of [5n, 6n]) {
      const v = voucher({ cumulativeUnits: units });
      expect(checker.problem({ voucher: v, signature: signer.sign(v) }, expectation)).to.equal(undefined);
    }
  });

  it("VoucherChecker.problem should name each bad voucher: signer, chain, expiry, order, price, malformed", async function () {
    const signer = new VoucherSigner(key, domain);
    const checker = new VoucherChecker(domain);
    const good = voucher();
    const other = new VoucherSigner(id("someone else"), domain);
    expect(checker.problem({ voucher: good, signature: other.sign(good) }, expectation)).to.equal(
      "wrong-signer",
    );
    const foreign = new VoucherSigner(key, { ...domain, chainId: 1n });
    expect(
      checker.problem(
        { voucher: good, signature: foreign.sign(good) },
        { ...expectation, otherChainIds: [1n] },
      ),
    ).to.equal("wrong-chain");
    const expired = voucher({ expiry: expectation.now - 1n });
    expect(checker.problem({ voucher: expired, signature: signer.sign(expired) }, expectation)).to.equal(
      "expired",
    );
    expect(
      checker.problem(
        { voucher: good, signature: signer.sign(good) },
        { ...expectation, latestUnits: 1_234n },
      ),
    ).to.equal("older-than-latest");
    expect(
      checker.problem(
        { voucher: good, signature: signer.sign(good) },
        { ...expectation, pricePerUnit: 3n * 10n ** 18n },
      ),
    ).to.equal("price-above-max");
    expect(checker.problem({ voucher: good, signature: "0x12" }, expectation)).to.equal("wrong-signer");
    expect(checker.problem({ voucher: voucher({ modelId: 8n }), signature: "0x" }, expectation)).to.equal(
      "malformed",
    );
    expect(
      checker.problem({ voucher: voucher({ usageRoot: "0x12" }), signature: "0x" }, expectation),
    ).to.equal("malformed");
    // A high-s copy of a valid signature (which the escrow refuses) is refused here too.
    const sig = signer.sign(good);
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const highS = (n - BigInt("0x" + sig.slice(66, 130))).toString(16).padStart(64, "0");
    const v = sig.slice(130) === "1b" ? "1c" : "1b";
    expect(checker.signedByPayer({ voucher: good, signature: sig.slice(0, 66) + highS + v })).to.equal(false);
    for (const m of Object.values(VOUCHER_PROBLEM_MESSAGES)) expect(m).to.match(/: /);
  });

  it("checkVoucherFields should say which field is wrong", function () {
    expect(() => checkVoucherFields(voucher({ modelId: -1n }))).to.throw("voucher.modelId must be a uint256");
    expect(() => checkVoucherFields(voucher({ expiry: 2n ** 256n }))).to.throw("voucher.expiry");
    expect(() => checkVoucherFields(voucher({ usageRoot: "0xzz" }))).to.throw("voucher.usageRoot");
    expect(() => checkVoucherFields(voucher({ payer: "alice" }))).to.throw(
      "voucher.payer must be an address",
    );
    expect(() => recoverVoucherSigner(domain, { voucher: voucher(), signature: "0x00" })).to.throw(
      "malformed",
    );
  });
});

describe("usage SDK: receipts and the usage tree", function () {
  const receipts = Array.from({ length: 9 }, (_, i) =>
    makeReceipt(`request ${i}`, `output ${i}`, BigInt(i + 1), 1_700_000_000n + BigInt(i)),
  );

  it("UsageTree should total the units and match OpenZeppelin's StandardMerkleTree root", function () {
    const tree = new UsageTree(receipts);
    expect(tree.cumulativeUnits).to.equal(45n);
    const oz = StandardMerkleTree.of(
      receipts.map((r) => [r.requestHash, r.outputHash, r.units, r.time]),
      ["bytes32", "bytes32", "uint256", "uint256"],
    );
    expect(tree.root).to.equal(oz.root);
    expect(new UsageTree().root).to.equal("0x" + "00".repeat(32));
  });

  it("UsageTree.proveOutput should prove every served output and fail for another root or receipt", function () {
    const tree = new UsageTree(receipts.slice(0, 5));
    const before = tree.root;
    for (const r of receipts.slice(5)) tree.add(r);
    expect(tree.root).to.not.equal(before);
    for (const r of receipts) {
      const p = tree.proveOutput(r.outputHash);
      expect(verifyReceiptProof(p)).to.equal(true);
      expect(verifyReceiptProof({ ...p, usageRoot: before })).to.equal(false);
      expect(verifyReceiptProof({ ...p, receipt: { ...r, units: r.units + 1n } })).to.equal(false);
    }
    expect(receiptLeaf(receipts[0])).to.match(/^0x[0-9a-f]{64}$/);
    expect(() => tree.proveOutput(id("never served"))).to.throw("no receipt has output hash");
    expect(() => tree.prove(99)).to.throw("out of range");
  });

  it("makeReceipt, receiptToJson and receiptFromJson should round-trip and name bad fields", function () {
    const r = receipts[3];
    expect(receiptFromJson(JSON.parse(JSON.stringify(receiptToJson(r))))).to.deep.equal(r);
    expect(() => makeReceipt("a", "b", 0n, 1n)).to.throw("units > 0");
    expect(() => makeReceipt("a", "b", 1n, -1n)).to.throw("time >= 0");
    expect(() => new UsageTree([{ ...r, units: 0n }])).to.throw("units > 0");
    expect(() => receiptFromJson({ ...receiptToJson(r), outputHash: "x" }, "line 3")).to.throw(
      "line 3.outputHash",
    );
    expect(() => receiptFromJson({ ...receiptToJson(r), units: 5 })).to.throw(
      "receipt.units must be a decimal string",
    );
  });
});

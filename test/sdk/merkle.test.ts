import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { getAddress, hexlify } from "ethers";
import { network } from "hardhat";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ATTRIBUTION_LEAF_ENCODING,
  FastMerkleTree,
  type LeafType,
  type LeafValues,
  PROOFS_FORMAT,
  type ProofsDocument,
  SETTLEMENT_LEAF_ENCODING,
  SETTLEMENT_LEAF_TAG,
  VERSION_LEAF_ENCODING,
  attributionLeaf,
  proofFile,
  settlementLeaf,
  standardLeafHash,
  toChecksumAddress,
  versionLeaf,
  writeDump,
  writeProofFile,
  writeProofs,
} from "../../src/merkle/index.js";

const { ethers, networkHelpers } = await network.getOrCreate();

const SIZES = [1, 2, 3, 5, 17, 100, 1000];

function randomHex(bytes: number): string {
  return hexlify(randomBytes(bytes));
}

/** A random address, checksummed or lowercase, to exercise both input forms. */
function randomAddress(i: number): string {
  const lower = randomHex(20);
  return i % 2 === 0 ? getAddress(lower) : lower;
}

/** A random uint256: small, large, or at the edges. */
function randomAmount(i: number): bigint {
  if (i % 7 === 0) return 0n;
  if (i % 11 === 0) return 2n ** 256n - 1n;
  return BigInt(randomHex(1 + (i % 32)));
}

const kinds = {
  version: {
    encoding: VERSION_LEAF_ENCODING,
    make: (i: number): LeafValues<typeof VERSION_LEAF_ENCODING> => [
      randomHex(32),
      randomAddress(i),
      randomHex(32),
    ],
  },
  attribution: {
    encoding: ATTRIBUTION_LEAF_ENCODING,
    make: (i: number): LeafValues<typeof ATTRIBUTION_LEAF_ENCODING> => [randomAddress(i), randomAmount(i)],
  },
  settlement: {
    encoding: SETTLEMENT_LEAF_ENCODING,
    make: (i: number): LeafValues<typeof SETTLEMENT_LEAF_ENCODING> => [
      SETTLEMENT_LEAF_TAG,
      randomAddress(i),
      randomAmount(i),
      randomAddress(i + 7_919),
      randomAmount(i + 7_919),
    ],
  },
} as const;

/** The values as given to OpenZeppelin: JSON-safe (decimal strings for integers). */
function ozValues(values: readonly (readonly unknown[])[]): string[][] {
  return values.map((value) => value.map((v) => (typeof v === "bigint" ? v.toString() : String(v))));
}

function compareWithOpenZeppelin<E extends readonly LeafType[]>(values: LeafValues<E>[], encoding: E): void {
  const fast = FastMerkleTree.of(values, encoding);
  const oz = StandardMerkleTree.of(ozValues(values), [...encoding]);
  expect(fast.root).to.equal(oz.root);
  expect(fast.length).to.equal(oz.length);
  for (let i = 0; i < values.length; i++) {
    expect(fast.proof(i), `proof ${i}`).to.deep.equal(oz.getProof(i));
    expect(fast.leafHash(i)).to.equal(oz.leafHash(ozValues([values[i]])[0]));
  }
  expect(fast.dump()).to.deep.equal(oz.dump());
}

describe("merkle", function () {
  describe("FastMerkleTree vs StandardMerkleTree", function () {
    for (const [kind, { encoding, make }] of Object.entries(kinds)) {
      for (const size of SIZES) {
        it(`should match root, every proof and dump: ${kind} leaves, ${size} values`, function () {
          const values = Array.from({ length: size }, (_, i) => make(i)) as LeafValues<typeof encoding>[];
          compareWithOpenZeppelin(values, encoding);
        });
      }
    }

    it("should match with duplicate values (order and value look-up resolve like OpenZeppelin)", function () {
      const base = Array.from({ length: 9 }, (_, i) => kinds.settlement.make(i));
      const values = [...base, base[3], base[0], base[3]];
      compareWithOpenZeppelin(values, SETTLEMENT_LEAF_ENCODING);
      const fast = FastMerkleTree.of(values, SETTLEMENT_LEAF_ENCODING);
      const oz = StandardMerkleTree.of(ozValues(values), [...SETTLEMENT_LEAF_ENCODING]);
      expect(fast.proof(base[3])).to.deep.equal(oz.getProof(ozValues([base[3]])[0]));
      expect(fast.indexOf(base[3])).to.equal(11);
    });

    it("should load each other's dumps", function () {
      const values = Array.from({ length: 37 }, (_, i) => kinds.version.make(i));
      const fast = FastMerkleTree.of(values, VERSION_LEAF_ENCODING);
      const oz = StandardMerkleTree.of(ozValues(values), [...VERSION_LEAF_ENCODING]);
      expect(StandardMerkleTree.load(JSON.parse(JSON.stringify(fast.dump()))).root).to.equal(fast.root);
      const loaded = FastMerkleTree.load(oz.dump() as Parameters<typeof FastMerkleTree.load>[0]);
      expect(loaded.root).to.equal(fast.root);
      expect(loaded.proof(5)).to.deep.equal(fast.proof(5));
    });

    it("should refuse a dump whose nodes do not hash up", function () {
      const dump = FastMerkleTree.of(
        Array.from({ length: 4 }, (_, i) => kinds.settlement.make(i)),
        SETTLEMENT_LEAF_ENCODING,
      ).dump();
      dump.tree[1] = `0x${"00".repeat(32)}`;
      expect(() => FastMerkleTree.load(dump)).to.throw(TypeError);
    });

    it("should build the same tree on hashing threads as on one thread", function () {
      const values = Array.from({ length: 40_000 }, (_, i) => kinds.attribution.make(i));
      const serial = FastMerkleTree.of(values, ATTRIBUTION_LEAF_ENCODING, { threads: 1 });
      const parallel = FastMerkleTree.of(values, ATTRIBUTION_LEAF_ENCODING, { threads: 2 });
      expect(parallel.root).to.equal(serial.root);
      expect(parallel.nodeBytes().equals(serial.nodeBytes())).to.equal(true);
      expect(parallel.proof(39_999)).to.deep.equal(serial.proof(39_999));
    });
  });

  describe("proof, verify, entries", function () {
    const values = Array.from({ length: 50 }, (_, i) => kinds.settlement.make(i));
    const tree = FastMerkleTree.of(values, SETTLEMENT_LEAF_ENCODING);

    it("should give the same proof for an index and for its value", function () {
      expect(tree.proof(values[17])).to.deep.equal(tree.proof(17));
    });

    it("should verify its proofs and reject tampered ones", function () {
      const proof = tree.proof(3);
      expect(tree.verify(3, proof)).to.equal(true);
      expect(FastMerkleTree.verify(tree.root, SETTLEMENT_LEAF_ENCODING, values[3], proof)).to.equal(true);
      expect(tree.verify(4, proof)).to.equal(false);
      const [tag, account, amount, next, prefix] = values[3];
      expect(tree.verify([tag, account, BigInt(amount) + 1n, next, prefix], proof)).to.equal(false);
      expect(tree.verify(3, [...proof.slice(1)])).to.equal(false);
    });

    it("should list its entries in input order", function () {
      expect([...tree.entries()]).to.deep.equal(values.map((value, i) => [i, value]));
      expect(tree.at(7)).to.equal(values[7]);
    });

    it("should revert look-ups of values that are not in the tree or indices out of range", function () {
      expect(() => tree.proof([SETTLEMENT_LEAF_TAG, randomAddress(1), 1n, randomAddress(2), 0n])).to.throw(
        RangeError,
        "Leaf is not in tree",
      );
      expect(() => tree.proof(50)).to.throw(RangeError, "Index out of bounds");
      expect(() => tree.proof(-1)).to.throw(RangeError);
    });
  });

  describe("leaf encodings", function () {
    it("should match OpenZeppelin's standard leaf hash for each LeafLib leaf", function () {
      const [id, who, content] = kinds.version.make(0);
      expect(versionLeaf(id, who, content)).to.equal(
        StandardMerkleTree.of([[id, who, content]], [...VERSION_LEAF_ENCODING]).leafHash([id, who, content]),
      );
      expect(attributionLeaf(who, 5n)).to.equal(
        StandardMerkleTree.of([[who, "5"]], [...ATTRIBUTION_LEAF_ENCODING]).leafHash([who, "5"]),
      );
      expect(settlementLeaf(who, "0x10", who, 3n)).to.equal(
        standardLeafHash(SETTLEMENT_LEAF_ENCODING, [SETTLEMENT_LEAF_TAG, who, 16n, who, 3n]),
      );
      const row = [SETTLEMENT_LEAF_TAG, who, "16", who, "3"];
      expect(settlementLeaf(who, 16n, who, 3n)).to.equal(
        StandardMerkleTree.of([row], [...SETTLEMENT_LEAF_ENCODING]).leafHash(row),
      );
    });

    it("should encode other one-word types like abi.encode (bool, int, uint8, bytes4)", function () {
      const encoding = ["bool", "int256", "uint8", "bytes4"] as const;
      const values: LeafValues<typeof encoding>[] = [
        [true, -5n, 255, "0xdeadbeef"],
        [false, 2n ** 255n - 1n, 0, "0x00000001"],
        [true, -(2n ** 255n), 7, "0xffffffff"],
      ];
      const oz = StandardMerkleTree.of(
        values.map(([b, i, u, x]) => [b, i.toString(), u.toString(), x]),
        [...encoding],
      );
      expect(FastMerkleTree.of(values, encoding).root).to.equal(oz.root);
    });

    it("should reject malformed values before hashing anything", function () {
      const who = randomAddress(0);
      expect(() => settlementLeaf("0x1234", 1n, who, 0n)).to.throw(
        TypeError,
        "expected 0x followed by 40 hex digits",
      );
      const badChecksum = who.slice(0, -1) + (who.endsWith("a") ? "A" : who.endsWith("A") ? "a" : "G");
      expect(() => settlementLeaf(badChecksum, 1n, who, 0n)).to.throw(TypeError);
      expect(() => settlementLeaf(who, -1n, who, 0n)).to.throw(TypeError, "out of range");
      expect(() => settlementLeaf(who, 2n ** 256n, who, 0n)).to.throw(TypeError, "out of range");
      expect(() => settlementLeaf(who, 1.5, who, 0n)).to.throw(TypeError, "safe integers");
      expect(() => versionLeaf("0x12", who, randomHex(32))).to.throw(TypeError, "64 hex digits");
      expect(() => FastMerkleTree.of([], ATTRIBUTION_LEAF_ENCODING)).to.throw(RangeError);
      expect(() =>
        FastMerkleTree.of([[who, 1n]], ["string", "uint256"] as unknown as ["address", "uint256"]),
      ).to.throw(TypeError);
      expect(() =>
        FastMerkleTree.of(
          [
            [who, 1n],
            ["0xnope", 1n],
          ],
          ATTRIBUTION_LEAF_ENCODING,
        ),
      ).to.throw(TypeError, "Leaf 1");
    });

    it("should checksum addresses like ethers", function () {
      const lower = randomHex(20);
      expect(toChecksumAddress(lower)).to.equal(getAddress(lower));
    });
  });

  describe("proof files", function () {
    let dir: string;
    before(async function () {
      dir = await mkdtemp(join(tmpdir(), "openledger-merkle-"));
    });
    after(async function () {
      await rm(dir, { recursive: true, force: true });
    });

    const values = Array.from({ length: 300 }, (_, i) => kinds.attribution.make(i));
    const tree = FastMerkleTree.of(values, ATTRIBUTION_LEAF_ENCODING);

    it("should write one account's proof file that OpenZeppelin verifies", async function () {
      const path = join(dir, "one.json");
      await writeProofFile(path, tree, 42);
      const file = JSON.parse(await readFile(path, "utf8")) as ReturnType<typeof proofFile>;
      expect(file).to.deep.equal({
        root: tree.root,
        leafEncoding: ["address", "uint256"],
        value: [values[42][0], BigInt(values[42][1]).toString()],
        proof: tree.proof(42),
      });
      expect(StandardMerkleTree.verify(file.root, file.leafEncoding, file.value, file.proof)).to.equal(true);
    });

    it("should stream every proof into one file, each entry verifying", async function () {
      const path = join(dir, "all.json");
      const summary = await writeProofs(tree, path);
      const text = await readFile(path, "utf8");
      expect(summary).to.deep.equal({ entries: 300, bytes: Buffer.byteLength(text) });
      const doc = JSON.parse(text) as ProofsDocument<typeof ATTRIBUTION_LEAF_ENCODING>;
      expect(doc.format).to.equal(PROOFS_FORMAT);
      expect(doc.root).to.equal(tree.root);
      expect(doc.count).to.equal(300);
      expect(doc.entries.map((e) => e.index).sort((a, b) => a - b)).to.deep.equal(values.map((_, i) => i));
      for (const entry of doc.entries) {
        expect(entry.proof).to.deep.equal(tree.proof(entry.index));
        expect(entry.value).to.deep.equal(tree.jsonValue(entry.index));
        expect(StandardMerkleTree.verify(doc.root, doc.leafEncoding, entry.value, entry.proof)).to.equal(
          true,
        );
      }
    });

    it("should write the same proofs file from hashing threads as from one thread", async function () {
      const many = Array.from({ length: 40_000 }, (_, i) => kinds.settlement.make(i));
      const serial = FastMerkleTree.of(many, SETTLEMENT_LEAF_ENCODING, { threads: 1 });
      const parallel = FastMerkleTree.of(many, SETTLEMENT_LEAF_ENCODING, { threads: 2 });
      await writeProofs(serial, join(dir, "serial.json"));
      await writeProofs(parallel, join(dir, "parallel.json"));
      const text = await readFile(join(dir, "parallel.json"), "utf8");
      expect(text).to.equal(await readFile(join(dir, "serial.json"), "utf8"));
      const doc = JSON.parse(text) as ProofsDocument<typeof SETTLEMENT_LEAF_ENCODING>;
      expect(doc.entries.length).to.equal(40_000);
      for (const entry of doc.entries.filter((_, k) => k % 997 === 0)) {
        expect(StandardMerkleTree.verify(doc.root, doc.leafEncoding, entry.value, entry.proof)).to.equal(
          true,
        );
      }
    });

    it("should stream a dump that StandardMerkleTree.load accepts", async function () {
      const path = join(dir, "dump.json");
      await writeDump(tree, path);
      const dump = JSON.parse(await readFile(path, "utf8")) as ReturnType<typeof tree.dump>;
      expect(dump).to.deep.equal(tree.dump());
      expect(StandardMerkleTree.load(dump).root).to.equal(tree.root);
    });
  });

  describe("MerkleProofHarness (LeafLib + OpenZeppelin MerkleProof on chain)", function () {
    async function deployHarnessFixture() {
      return { harness: await ethers.deployContract("MerkleProofHarness") };
    }

    it("should compute the same leaves as the SDK", async function () {
      const { harness } = await networkHelpers.loadFixture(deployHarnessFixture);
      const [id, who, content] = kinds.version.make(1);
      expect(await harness.versionLeaf(id, who, content)).to.equal(versionLeaf(id, who, content));
      expect(await harness.attributionLeaf(who, 2n ** 256n - 1n)).to.equal(
        attributionLeaf(who, 2n ** 256n - 1n),
      );
      expect(await harness.settlementLeaf(who, 12345n, who, 678n)).to.equal(
        settlementLeaf(who, 12345n, who, 678n),
      );
    });

    it("should accept SDK proofs of every leaf kind and reject a wrong value", async function () {
      const { harness } = await networkHelpers.loadFixture(deployHarnessFixture);
      const version = FastMerkleTree.of(
        Array.from({ length: 100 }, (_, i) => kinds.version.make(i)),
        VERSION_LEAF_ENCODING,
      );
      const attribution = FastMerkleTree.of(
        Array.from({ length: 100 }, (_, i) => kinds.attribution.make(i)),
        ATTRIBUTION_LEAF_ENCODING,
      );
      const settlement = FastMerkleTree.of(
        Array.from({ length: 100 }, (_, i) => kinds.settlement.make(i)),
        SETTLEMENT_LEAF_ENCODING,
      );
      for (const i of [0, 1, 50, 99]) {
        const [id, who, content] = version.at(i)!;
        expect(await harness.verifyVersion(version.root, id, who, content, version.proof(i))).to.equal(true);
        const [a, w] = attribution.at(i)!;
        expect(await harness.verifyAttribution(attribution.root, a, w, attribution.proof(i))).to.equal(true);
        const [, s, amount, next, prefix] = settlement.at(i)!;
        expect(
          await harness.verifySettlement(settlement.root, s, amount, next, prefix, settlement.proof(i)),
        ).to.equal(true);
        expect(
          await harness.verifySettlement(
            settlement.root,
            s,
            BigInt(amount) ^ 1n,
            next,
            prefix,
            settlement.proof(i),
          ),
        ).to.equal(false);
      }
    });
  });
});

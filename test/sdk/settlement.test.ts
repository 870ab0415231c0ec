import { expect } from "chai";
import {
  computeSettlement,
  entitlement,
  SettlementInputError,
  settlementLeafValues,
  type FinalizedPair,
} from "../../src/settlement/index.js";

const A = "0x00000000000000000000000000000000000000aa";
const B = "0x00000000000000000000000000000000000000bb";
const C = "0x00000000000000000000000000000000000000cc";

describe("settlement", function () {
  describe("entitlement", function () {
    it("should round down, as the distributor's direct path does", function () {
      // 100 * 1 / 3 = 33.33.. -> 33
      expect(entitlement(100n, 1n, 3n)).to.equal(33n);
      expect(entitlement(100n, 3n, 3n)).to.equal(100n);
      expect(entitlement(0n, 1n, 3n)).to.equal(0n);
    });

    it("should refuse a weight above the total or a zero total", function () {
      expect(() => entitlement(1n, 4n, 3n)).to.throw(SettlementInputError, /outside 0\.\.totalWeight/);
      expect(() => entitlement(1n, 0n, 0n)).to.throw(SettlementInputError, /totalWeight must be > 0/);
    });
  });

  describe("computeSettlement", function () {
    const pairs: FinalizedPair[] = [
      // model 1 epoch 5: pool 1000 split 1:2 -> A 333, B 666, dust 1
      {
        modelId: 1n,
        epoch: 5n,
        pool: 1000n,
        finalizeSeq: 2n,
        totalWeight: 3n,
        entries: [
          { contributor: A, weight: 1n },
          { contributor: B, weight: 2n },
        ],
      },
      // model 2 epoch 4: pool 500 split 1:1 between B and C -> 250 each
      {
        modelId: 2n,
        epoch: 4n,
        pool: 500n,
        finalizeSeq: 1n,
        totalWeight: 10n,
        entries: [
          { contributor: B.toUpperCase().replace("0X", "0x"), weight: 5n },
          { contributor: C, weight: 5n },
        ],
      },
    ];

    it("should sum each account's entitlements over all pairs, rounding down per pair", function () {
      const s = computeSettlement(pairs);
      expect(s.accounts.map((a) => [a.account, a.cumulativeAmount])).to.deep.equal([
        [A, 333n],
        [B, 916n],
        [C, 250n],
      ]);
      expect(s.total).to.equal(1499n);
      expect(s.pools).to.equal(1500n);
      expect(s.dust).to.equal(1n);
      expect(s.coveredThroughSeq).to.equal(2n);
      expect(s.accounts[1].pairs).to.deep.equal([
        { modelId: 2n, epoch: 4n, amount: 250n },
        { modelId: 1n, epoch: 5n, amount: 666n },
      ]);
    });

    it("should give the same result whatever the order of the pairs", function () {
      expect(computeSettlement([...pairs].reverse())).to.deep.equal(computeSettlement(pairs));
    });

    it("should give tree values as decimal strings", function () {
      expect(settlementLeafValues(computeSettlement(pairs))).to.deep.equal([
        [A, "333"],
        [B, "916"],
        [C, "250"],
      ]);
    });

    it("should refuse a pair listed twice and a table above its committed total", function () {
      expect(() => computeSettlement([pairs[0], pairs[0]])).to.throw(
        SettlementInputError,
        /model 1 epoch 5 is listed twice/,
      );
      const over = { ...pairs[0], totalWeight: 2n };
      expect(() => computeSettlement([over])).to.throw(
        SettlementInputError,
        /sum to 3, above its committed totalWeight 2/,
      );
    });
  });
});

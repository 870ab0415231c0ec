import { expect } from "chai";
import type { ContractTransactionResponse } from "ethers";
import { multiproofOrder } from "../../src/attribution/weight-sum.js";
import { ethers, attributionTree } from "../helpers/rewards.js";
import { wiredFixture } from "../helpers/staking.js";

/** Exact gas pin of the on-chain weight-sum proof (production profile, receipt gasUsed), with the
 * budget chosen for it; the slash through staking is part of the figure. GAS_REPORT=1 prints the
 * figures, and the 100 and 10,000-leaf sizes that SECURITY.md quotes. */
const PINS = { proveWeightSum1000: 1_312_300 };
const BUDGET = { proveWeightSum1000: 1_350_000 };

/** Receipt gasUsed of a sent transaction. */
const gasOf = async (tx: Promise<ContractTransactionResponse>) => Number((await (await tx).wait())!.gasUsed);

/** Checks `used` against the budget, then the pin (0: not pinned yet). */
const pin = (name: keyof typeof PINS, used: number) => {
  if (process.env.GAS_REPORT) console.log(`      gas ${name}: ${used}`);
  expect(used <= BUDGET[name], `${name}: ${used} gas over the budget ${BUDGET[name]}`).to.equal(true);
  if (PINS[name] !== 0)
    expect(used, `${name}: was pinned at ${PINS[name]}, now ${used}`).to.equal(PINS[name]);
};

/** A tree of `n` leaves (weights 1..n, distinct contributors) committed for (1, epoch) with a
 * total one above their sum; returns the leaves in multiproof order. */
async function commitShort(f: Awaited<ReturnType<typeof wiredFixture>>, epoch: number, n: number) {
  const entries: [string, bigint][] = Array.from({ length: n }, (_, i) => [
    ethers.getAddress(ethers.id(`contributor ${epoch}/${i}`).slice(0, 42)),
    BigInt(i + 1),
  ]);
  const sum = (BigInt(n) * BigInt(n + 1)) / 2n;
  await f.registry
    .connect(f.operator)
    .commitAttribution(1, epoch, attributionTree(entries).root, sum + 1n, 1, "ipfs://t");
  const table = {
    modelId: 1n,
    epoch: BigInt(epoch),
    method: "span-match" as const,
    minSpan: null,
    totalWeight: sum + 1n,
    entries: entries.map(([contributor, weight]) => ({ contributor, contributions: [], weight })),
  };
  return multiproofOrder(table).map((l) => ({ contributor: l.contributor, weight: l.weight }));
}

describe("Attribution weight-sum proof gas @gas", function () {
  it("proveWeightSum of a 1,000-leaf tree (voids, slashes the operator through staking)", async function () {
    const f = await wiredFixture();
    const leaves = await commitShort(f, 0, 1_000);
    pin("proveWeightSum1000", await gasOf(f.registry.connect(f.stranger).proveWeightSum(1, 0, leaves)));
  });

  it("proveWeightSum of 100 and 10,000 leaves: linear, and 10,000 leaves fit the EIP-7825 cap of 2^24 gas a transaction", async function () {
    this.timeout(600_000);
    const used: Record<number, number> = {};
    for (const n of [100, 10_000]) {
      const f = await wiredFixture();
      const leaves = await commitShort(f, 0, n);
      used[n] = await gasOf(
        f.registry.connect(f.stranger).proveWeightSum(1, 0, leaves, { gasLimit: 16_777_216 }),
      );
      if (process.env.GAS_REPORT) console.log(`      gas proveWeightSum${n}: ${used[n]}`);
    }
    expect(used[10_000]).to.be.below(2 ** 24);
    // Linear up to memory's quadratic term: 100 times the leaves costs at most 110 times the gas.
    expect(used[10_000]).to.be.below(110 * used[100]);
  });
});

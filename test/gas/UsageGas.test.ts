import { expect } from "chai";
import { Wallet, id, type ContractTransactionResponse } from "ethers";
import { VoucherSigner } from "../../src/usage/voucher.js";
import { E18, networkHelpers } from "../helpers/rewards.js";
import { deployUsage, voucher } from "../helpers/usage.js";

/** Exact gas pins of the usage escrow (production profile, receipt gasUsed); GAS_REPORT=1 prints them.
 * Steady state: the payer's balance, its (payer, model) record and the model's pool of the epoch
 * already exist (a top-up; a voucher after an earlier one). */
const PINS = {
  depositTopUp: 57_993,
  depositFirst: 75_093, // creates the payer's balance slot (22,100 of it): above the 70,000 budget, which the top-up meets
  // Above the 90,000: the intrinsic 21,000 + calldata ~3,100, 12 cold storage reads, 8 writes,
  // the escrow -> distributor OPEN transfer (~19,500 with ERC20Votes) and the split as `pay` does it.
  // Batched redemption (below) is the way to redeem: 24,086 per voucher.
  redeemOne: 103_765,
  redeemFirst: 198_510, // the payer's first voucher of the model: creates its record and the model's first pool of the epoch
  redeemBatch100PerItem: 24_086,
  redeemBatch100MixedModelsPerItem: 39_454, // every voucher of another model: one payment per model, above 35,000
};
const BUDGET = { deposit: 70_000, batchItem: 35_000, perInferenceAt1000: 100 };

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  return Number((await (await tx).wait())!.gasUsed);
}

/** Pins `used` within `tolerance`: signatures and addresses (which depend on the fixtures run before
 * on the shared connection) change how many calldata bytes are zero (4 gas) or not (16 gas). */
function pin(name: keyof typeof PINS, used: number, budget?: number, tolerance = 0) {
  if (process.env.GAS_REPORT) console.log(`      gas ${name}: ${used}`);
  if (budget !== undefined)
    expect(used, `${name}: ${used} gas over the budget ${budget}`).to.be.at.most(budget);
  if (PINS[name] !== 0)
    expect(used, `${name}: was pinned at ${PINS[name]}, now ${used}`).to.be.within(
      PINS[name] - tolerance,
      PINS[name] + tolerance,
    );
}

/** 100 payers (deterministic keys), each funded and with one voucher of model 1 already redeemed. */
async function batchFixture() {
  const f = await deployUsage();
  const { escrow, models, owner, app, domain } = f;
  for (let m = 2; m <= 100; m++) await models.setModel(m, owner.address, 0, 2n * E18);
  const payers = Array.from({ length: 100 }, (_, i) => new VoucherSigner(id(`usage gas payer ${i}`), domain));
  for (const p of payers) await escrow.connect(app).deposit(p.address, 100n * E18);
  const first = payers.map((p) => {
    const v = voucher(p.address, { cumulativeUnits: 1n });
    return { voucher: v, signature: p.sign(v) };
  });
  await escrow.redeemBatch(first);
  return { ...f, payers };
}

describe("Usage gas @gas", function () {
  it("pins deposit: a top-up and a first deposit", async function () {
    const { escrow, app, alice } = await networkHelpers.loadFixture(deployUsage);
    pin("depositTopUp", await gasOf(escrow.connect(app).deposit(app.address, E18)), BUDGET.deposit);
    pin("depositFirst", await gasOf(escrow.connect(app).deposit(alice.address, E18)));
  });

  it("pins redeem of one voucher, and the gas per inference from 1 to 10,000 inferences per voucher", async function () {
    const { escrow, app, domain } = await networkHelpers.loadFixture(deployUsage);
    const signer = new VoucherSigner(id("usage gas single payer"), domain);
    await escrow.connect(app).deposit(signer.address, 100_000n * E18);
    const redeem = (units: bigint) => {
      const v = voucher(signer.address, { cumulativeUnits: units });
      return gasOf(escrow.redeem({ voucher: v, signature: signer.sign(v) }));
    };
    pin("redeemFirst", await redeem(1n), undefined, 48);
    let cumulative = 1n;
    const perInference: Record<string, number> = {};
    let first = 0;
    for (const n of [1n, 10n, 100n, 1_000n, 10_000n]) {
      cumulative += n;
      const used = await redeem(cumulative);
      // Only the calldata of the larger unit counts differs (a non-zero byte costs 16 gas).
      if (first === 0) pin("redeemOne", (first = used), undefined, 48);
      else expect(used - first, `redeem of ${cumulative} units`).to.be.within(0, 64);
      perInference[n.toString()] = used / Number(n);
    }
    if (process.env.GAS_REPORT)
      console.log(`      gas per inference, one voucher a transaction: ${JSON.stringify(perInference)}`);
    // In a batch (the way a model server redeems), 1,000 inferences per voucher cost the per-item gas / 1,000.
    expect(PINS.redeemBatch100PerItem / 1000).to.be.at.most(BUDGET.perInferenceAt1000);
  });

  it("pins redeemBatch of 100 payers of one model, and of 100 payers of 100 models", async function () {
    const { escrow, payers } = await networkHelpers.loadFixture(batchFixture);
    const batch = (units: bigint, mixed: boolean) =>
      payers.map((p, i) => {
        const v = voucher(p.address, { cumulativeUnits: units, modelId: mixed ? BigInt(i + 1) : 1n });
        return { voucher: v, signature: p.sign(v) };
      });
    pin(
      "redeemBatch100PerItem",
      Math.ceil((await gasOf(escrow.redeemBatch(batch(5n, false)))) / 100),
      BUDGET.batchItem,
      2,
    );
    // Payer i pays model i (i + 1): every record and every model's pool is touched cold.
    // Warm-up: each (payer i, model i + 1) record and model pool exists (payer 0's of model 1 already does).
    await escrow.redeemBatch(batch(1n, true).slice(1));
    pin(
      "redeemBatch100MixedModelsPerItem",
      Math.ceil((await gasOf(escrow.redeemBatch(batch(7n, true)))) / 100),
      undefined,
      2,
    );
  });
});

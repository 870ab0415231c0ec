import { expect } from "chai";
import {
  depositUsage,
  readRedeemedVouchers,
  redeemVouchers,
  requestUsageWithdrawal,
  usageStatus,
  withdrawUsage,
  connectUsageEscrow,
} from "../../src/sdk/usage.js";
import { checkPaidOutputs, outputsFromReceipts } from "../../src/usage/paid-outputs.js";
import { UsageTree, makeReceipt } from "../../src/usage/receipts.js";
import { E18, PRICE, networkHelpers } from "../helpers/rewards.js";
import { DEPOSIT, WITHDRAWAL_DELAY, deployUsage, signed, voucher } from "../helpers/usage.js";

/** Awaits `p` and asserts that it fails with a message containing `part`. */
async function rejects(p: Promise<unknown>, part: string): Promise<void> {
  let message: string | undefined;
  try {
    await p;
  } catch (error) {
    message = (error as Error).message;
  }
  expect(message, "should have failed").to.be.a("string");
  expect(message).to.contain(part);
}

describe("usage SDK: escrow actions", function () {
  it("depositUsage should approve when needed, deposit, and refuse more than the sender holds", async function () {
    const { escrow, token, app, alice } = await networkHelpers.loadFixture(deployUsage);
    await token.connect(app).transfer(alice.address, 10n * E18);
    const e = connectUsageEscrow(await escrow.getAddress(), alice);
    await depositUsage(e, alice, alice.address, 4n * E18);
    expect((await usageStatus(e, alice.address)).balance).to.equal(4n * E18);
    await rejects(depositUsage(e, alice, alice.address, 100n * E18), "less than the deposit");
    await rejects(depositUsage(e, alice, alice.address, 0n), "more than 0 OPEN");
  });

  it("requestUsageWithdrawal and withdrawUsage should check the balance and the delay before sending", async function () {
    const { escrow, app } = await networkHelpers.loadFixture(deployUsage);
    const e = connectUsageEscrow(await escrow.getAddress(), app);
    await rejects(withdrawUsage(e, app, app.address), "no withdrawal is pending");
    await rejects(requestUsageWithdrawal(e, app, DEPOSIT + 1n), "ask for at most the balance");
    await rejects(requestUsageWithdrawal(e, app, 0n), "more than 0 OPEN");
    await requestUsageWithdrawal(e, app, E18);
    const status = await usageStatus(e, app.address);
    expect(status.pendingWithdrawal).to.equal(E18);
    expect(status.withdrawalDelay).to.equal(WITHDRAWAL_DELAY);
    await rejects(withdrawUsage(e, app, app.address), "not ready until");
    await networkHelpers.time.increase(WITHDRAWAL_DELAY);
    await withdrawUsage(e, app, app.address);
    expect((await usageStatus(e, app.address)).balance).to.equal(DEPOSIT - E18);
  });

  it("redeemVouchers should redeem one or many, name a bad voucher before sending, and the logs give the roots", async function () {
    const { escrow, app, alice, bob, domain } = await networkHelpers.loadFixture(deployUsage);
    const e = connectUsageEscrow(await escrow.getAddress(), bob);
    await escrow.connect(app).deposit(alice.address, 10n * E18);
    const one = await signed(app, domain, voucher(app.address, { cumulativeUnits: 2n }));
    expect((await redeemVouchers(e, bob, [one])).charged).to.equal(2n * PRICE);
    const two = [
      await signed(app, domain, voucher(app.address, { cumulativeUnits: 3n })),
      await signed(alice, domain, voucher(alice.address, { cumulativeUnits: 1n })),
    ];
    expect((await redeemVouchers(e, bob, two)).charged).to.equal(2n * PRICE);
    await rejects(redeemVouchers(e, bob, [two[0]]), "voucher 0 (payer");
    const forged = await signed(bob, domain, voucher(app.address, { cumulativeUnits: 9n }));
    await rejects(redeemVouchers(e, bob, [forged]), "the signature is not the payer's");
    await rejects(redeemVouchers(e, bob, []), "no voucher to redeem");
    const logs = await readRedeemedVouchers(e);
    expect(logs.map((l) => [l.payer, l.units])).to.deep.equal([
      [app.address, 2n],
      [app.address, 1n],
      [alice.address, 1n],
    ]);
  });
});

describe("usage SDK: paid outputs", function () {
  const served = ["the cat sat", "on the mat", "the cat sat"];
  const receipts = served.map((t, i) => makeReceipt(`q${i}`, t, 1n, 1_700_000_000n + BigInt(i)));
  const texts = new Map(receipts.map((r, i) => [r.outputHash, served[i]]));

  it("outputsFromReceipts should key outputs by output hash, once each, and refuse a missing or wrong text", function () {
    const outputs = outputsFromReceipts(receipts, (h) => texts.get(h));
    expect(outputs.map((o) => o.text)).to.deep.equal(["the cat sat", "on the mat"]);
    expect(outputs[0].id).to.equal(receipts[0].outputHash.toLowerCase());
    expect(() => outputsFromReceipts(receipts, () => undefined)).to.throw("no text for output");
    expect(() => outputsFromReceipts(receipts, () => "something else")).to.throw("does not hash to it");
  });

  it("checkPaidOutputs should pass outputs proven in a redeemed root and name the others", function () {
    const tree = new UsageTree(receipts.slice(0, 2));
    const proofs = [tree.proveOutput(receipts[0].outputHash), tree.proveOutput(receipts[1].outputHash)];
    const redeemed = new Set([tree.root]);
    const ids = receipts.slice(0, 2).map((r) => r.outputHash);
    expect(checkPaidOutputs(ids, proofs, redeemed)).to.deep.equal([]);
    const stranger = makeReceipt("q9", "never paid", 1n, 1n).outputHash;
    expect(checkPaidOutputs([stranger], proofs, redeemed)).to.deep.equal([
      { outputId: stranger.toLowerCase(), problem: "no-receipt-proof" },
    ]);
    expect(checkPaidOutputs([ids[0]], proofs, new Set(["0x" + "11".repeat(32)]))).to.deep.equal([
      { outputId: ids[0].toLowerCase(), problem: "root-not-redeemed" },
    ]);
    const forged = [{ ...proofs[0], receipt: { ...proofs[0].receipt, units: 99n } }];
    expect(checkPaidOutputs([ids[0]], forged, redeemed)).to.deep.equal([
      { outputId: ids[0].toLowerCase(), problem: "proof-invalid" },
    ]);
  });
});

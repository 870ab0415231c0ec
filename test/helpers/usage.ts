import type { Signer } from "ethers";
import { signVoucher, type UsageDomain, type Voucher } from "../../src/usage/voucher.js";
import { E18, deployRewards, ethers } from "./rewards.js";

export const WITHDRAWAL_DELAY = 2n * 86_400n;
export const DEPOSIT = 1_000n * E18;
export const FAR = 2n ** 40n; // an expiry far in the future

/** The rewards suite plus a usage escrow holding USAGE_ESCROW_ROLE; `app` has deposited DEPOSIT. */
export async function deployUsage() {
  const f = await deployRewards();
  const { token, models, distributor, admin, payer } = f;
  const escrow = await ethers.deployContract("UsageEscrow", [
    await token.getAddress(),
    await models.getAddress(),
    await distributor.getAddress(),
    admin.address,
    WITHDRAWAL_DELAY,
  ]);
  await distributor.grantRole(await distributor.USAGE_ESCROW_ROLE(), await escrow.getAddress());
  const app = payer;
  await token.connect(app).approve(await escrow.getAddress(), ethers.MaxUint256);
  await escrow.connect(app).deposit(app.address, DEPOSIT);
  const { chainId } = await ethers.provider.getNetwork();
  const domain: UsageDomain = { chainId, escrow: await escrow.getAddress() };
  return { ...f, escrow, app, domain };
}

/** A voucher of `payer` for model 1 with defaults. */
export function voucher(payer: string, over: Partial<Voucher> = {}): Voucher {
  return {
    payer,
    modelId: 1n,
    cumulativeUnits: 10n,
    maxPricePerUnit: 2n * E18,
    usageRoot: ethers.id("receipts"),
    expiry: FAR,
    ...over,
  };
}

/** Signs `v` with `signer` in `domain`. */
export async function signed(signer: Signer, domain: UsageDomain, v: Voucher) {
  return { voucher: v, signature: await signVoucher(signer, domain, v) };
}

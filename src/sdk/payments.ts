/**
 * Payment actions: quote and pay for inference (with an approval, or in one transaction with an
 * EIP-2612 permit), and the withdrawals of model owners' earnings and the treasury.
 */
import { Signature, type Provider, type Signer, type TransactionReceipt } from "ethers";
import { eip712Struct } from "./constants.js";
import { call, eventArgs, send } from "./send/index.js";
import type { Suite } from "./suite.js";

/** What one payment paid and how the distributor split it. */
export interface PaymentResult {
  amount: bigint;
  epoch: bigint;
  /** `protocol` is the treasury and staker reserve together (divided by the distributor at checkpoints). */
  shares: { protocol: bigint; owner: bigint; royalty: bigint; contributors: bigint };
  receipt: TransactionReceipt;
}

/** An amount withdrawn, with the receipt. */
export interface Withdrawal {
  amount: bigint;
  receipt: TransactionReceipt;
}

/** An EIP-2612 permit (OpenZeppelin ERC20Permit's PERMIT_TYPEHASH). */
export const PERMIT = eip712Struct(
  "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)",
);

/** EIP-712 types of an EIP-2612 permit, for `signTypedData`. */
export const PERMIT_TYPES = PERMIT.types;

/** The token calls a permit signature needs (OpenToken satisfies it). */
export interface PermitToken {
  name(): Promise<string>;
  nonces(owner: string): Promise<bigint>;
  getAddress(): Promise<string>;
}

function paymentOf(suite: Suite, receipt: TransactionReceipt): PaymentResult {
  const paid = eventArgs(suite, receipt, "Paid")[0];
  const [amount, protocol, owner, royalty] = [
    paid.amount,
    paid.protocolShare,
    paid.ownerShare,
    paid.royaltyShare,
  ].map((v) => v as bigint);
  return {
    amount,
    epoch: paid.epoch as bigint,
    shares: { protocol, owner, royalty, contributors: amount - protocol - owner - royalty },
    receipt,
  };
}

/** Price of `units` of inference of a model, in OPEN. */
export async function quote(suite: Suite, modelId: bigint, units: bigint): Promise<bigint> {
  const terms = await suite.models.paymentTerms(modelId);
  return terms.pricePerUnit * units;
}

/**
 * Pays for inference, approving the distributor first when the allowance is short. `maxAmount`
 * (default: the price x units quoted now) bounds what the payment may take: a price raised before
 * it lands makes it revert `PaymentAboveMaximum` instead of taking more.
 */
export async function pay(
  suite: Suite,
  payer: Signer,
  modelId: bigint,
  units: bigint,
  maxAmount?: bigint,
): Promise<PaymentResult> {
  const amount = maxAmount ?? (await quote(suite, modelId, units));
  const payerAddress = await payer.getAddress();
  if ((await suite.token.allowance(payerAddress, suite.addresses.distributor)) < amount) {
    await send(suite, call(suite.token.connect(payer), "approve", suite.addresses.distributor, amount));
  }
  return paymentOf(
    suite,
    await send(suite, call(suite.distributor.connect(payer), "pay", modelId, units, amount)),
  );
}

/**
 * `owner`'s EIP-2612 permit for `spender` to take `value` until `deadline`, on the token's own
 * domain (its name, version "1", the signer's chain). `nonce` defaults to the owner's current one.
 */
export async function signPermit(
  token: PermitToken,
  owner: Signer,
  spender: string,
  value: bigint,
  deadline: bigint,
  nonce?: bigint,
): Promise<Signature> {
  const address = await owner.getAddress();
  const { chainId } = await (owner.provider as Provider).getNetwork();
  const signature = await owner.signTypedData(
    { name: await token.name(), version: "1", chainId, verifyingContract: await token.getAddress() },
    PERMIT_TYPES,
    { owner: address, spender, value, nonce: nonce ?? (await token.nonces(address)), deadline },
  );
  return Signature.from(signature);
}

/**
 * Pays for inference in one transaction with an EIP-2612 permit signed by the payer, of value
 * `maxAmount` (default: the price x units quoted now), which also bounds the payment.
 */
export async function payWithPermit(
  suite: Suite,
  payer: Signer,
  modelId: bigint,
  units: bigint,
  deadline: bigint,
  maxAmount?: bigint,
): Promise<PaymentResult> {
  const amount = maxAmount ?? (await quote(suite, modelId, units));
  const { v, r, s } = await signPermit(suite.token, payer, suite.addresses.distributor, amount, deadline);
  return paymentOf(
    suite,
    await send(
      suite,
      call(suite.distributor.connect(payer), "payWithPermit", modelId, units, amount, deadline, v, r, s),
    ),
  );
}

/** Withdraws a model owner's accrued earnings to `to` (the model's owner only). */
export async function withdrawOwnerEarnings(suite: Suite, modelId: bigint, to: string): Promise<Withdrawal> {
  const receipt = await send(suite, call(suite.distributor, "withdrawOwnerEarnings", modelId, to));
  return { amount: eventArgs(suite, receipt, "OwnerEarningsWithdrawn")[0].amount as bigint, receipt };
}

/** Withdraws the protocol treasury's accrued share to `to` (the treasury role only). */
export async function withdrawTreasury(suite: Suite, to: string): Promise<Withdrawal> {
  const receipt = await send(suite, call(suite.distributor, "withdrawTreasury", to));
  return { amount: eventArgs(suite, receipt, "TreasuryWithdrawn")[0].amount as bigint, receipt };
}

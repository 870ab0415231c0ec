/**
 * SDK actions of the usage escrow: deposit, withdraw, redeem and status, each checked before a
 * transaction is sent (a one-line message saying what is wrong and what to do), and the reading of
 * redeemed usage roots from the escrow's logs.
 */
import type { ContractRunner, Signer, TransactionReceipt } from "ethers";
import {
  IModelPaymentTerms__factory,
  OpenToken__factory,
  UsageEscrow__factory,
  type UsageEscrow,
} from "../../typechain-types/index.js";
import type { UsageChain } from "../usage/service.js";
import type { Redeemer } from "../usage/http.js";
import type { SignedVoucher, Voucher } from "../usage/voucher.js";

/** A usage action refused before sending: what was wrong and what to do, in one line. */
export class UsageInputError extends Error {
  override name = "UsageInputError";
}

/** Connects to a deployed UsageEscrow. */
export function connectUsageEscrow(address: string, runner: ContractRunner): UsageEscrow {
  return UsageEscrow__factory.connect(address, runner);
}

/** A payer's escrow account, as the CLI and servers read it. */
export interface UsageStatus {
  payer: string;
  balance: bigint;
  pendingWithdrawal: bigint;
  /** Unix seconds; 0 when nothing is pending. */
  withdrawableAt: bigint;
  withdrawalDelay: bigint;
}

/** The escrow account of `payer`. */
export async function usageStatus(escrow: UsageEscrow, payer: string): Promise<UsageStatus> {
  const [a, delay] = await Promise.all([escrow.account(payer), escrow.withdrawalDelay()]);
  return {
    payer,
    balance: a.balance,
    pendingWithdrawal: a.pendingWithdrawal,
    withdrawableAt: a.withdrawableAt,
    withdrawalDelay: delay,
  };
}

async function mined(
  tx: Promise<{ wait(): Promise<TransactionReceipt | null> }>,
): Promise<TransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new UsageInputError("the transaction was dropped: send it again");
  return receipt;
}

/**
 * Deposits `amount` OPEN of `from` to `payer`'s balance, approving the escrow first when the
 * allowance is short.
 */
export async function depositUsage(
  escrow: UsageEscrow,
  from: Signer,
  payer: string,
  amount: bigint,
): Promise<TransactionReceipt> {
  if (amount <= 0n) throw new UsageInputError("the deposit must be more than 0 OPEN");
  const token = OpenToken__factory.connect(await escrow.token(), from);
  const owner = await from.getAddress();
  const balance = await token.balanceOf(owner);
  if (balance < amount)
    throw new UsageInputError(
      `${owner} holds ${balance} OPEN wei, less than the deposit ${amount}: deposit less or fund it`,
    );
  const spender = await escrow.getAddress();
  if ((await token.allowance(owner, spender)) < amount) await mined(token.approve(spender, amount));
  return mined(escrow.connect(from).deposit(payer, amount));
}

/** Asks to withdraw `amount` of the signer's balance after the escrow's delay. */
export async function requestUsageWithdrawal(
  escrow: UsageEscrow,
  payer: Signer,
  amount: bigint,
): Promise<TransactionReceipt> {
  if (amount <= 0n) throw new UsageInputError("the withdrawal must be more than 0 OPEN");
  const balance = await escrow.balanceOf(await payer.getAddress());
  if (amount > balance)
    throw new UsageInputError(
      `the escrow balance is ${balance} OPEN wei, less than ${amount}: ask for at most the balance`,
    );
  return mined(escrow.connect(payer).requestWithdrawal(amount));
}

/** Executes the signer's pending withdrawal to `to`, once its delay has passed. */
export async function withdrawUsage(
  escrow: UsageEscrow,
  payer: Signer,
  to: string,
): Promise<TransactionReceipt> {
  const a = await escrow.account(await payer.getAddress());
  if (a.withdrawableAt === 0n)
    throw new UsageInputError(
      "no withdrawal is pending: ask for one first (usage withdraw --request AMOUNT)",
    );
  const block = await payer.provider?.getBlock("latest");
  if (block && BigInt(block.timestamp) < a.withdrawableAt)
    throw new UsageInputError(
      `the withdrawal is not ready until ${a.withdrawableAt} (unix seconds): wait for the delay`,
    );
  return mined(escrow.connect(payer).withdraw(to));
}

function asStruct(v: Voucher) {
  return { ...v };
}

/**
 * Redeems vouchers (any payers and models) in one transaction, after checking each with the
 * escrow's `quote` and `isValidVoucher` so that one bad voucher is named instead of reverting all.
 */
export async function redeemVouchers(
  escrow: UsageEscrow,
  relayer: Signer,
  vouchers: readonly SignedVoucher[],
): Promise<{ receipt: TransactionReceipt; charged: bigint }> {
  if (vouchers.length === 0) throw new UsageInputError("no voucher to redeem: pass at least one");
  for (const [i, s] of vouchers.entries()) {
    const where = `voucher ${i} (payer ${s.voucher.payer}, model ${s.voucher.modelId})`;
    if (!(await escrow.isValidVoucher(asStruct(s.voucher), s.signature)))
      throw new UsageInputError(
        `${where}: the signature is not the payer's on this chain and escrow: ask the payer for a new one`,
      );
    try {
      await escrow.quote(asStruct(s.voucher));
    } catch (error) {
      const data = (error as { data?: string }).data;
      const parsed = data ? escrow.interface.parseError(data) : null;
      throw new UsageInputError(
        `${where}: ${parsed ? parsed.name : "refused"}: it would revert the redemption`,
        {
          cause: error,
        },
      );
    }
  }
  const e = escrow.connect(relayer);
  const items = vouchers.map((s) => ({ voucher: asStruct(s.voucher), signature: s.signature }));
  const receipt = await mined(items.length === 1 ? e.redeem(items[0]) : e.redeemBatch(items));
  let charged = 0n;
  for (const log of receipt.logs) {
    const parsed = escrow.interface.parseLog(log);
    if (parsed?.name === "VoucherRedeemed") charged += parsed.args.amount as bigint;
  }
  return { receipt, charged };
}

/** One redemption as the escrow logged it. */
export interface RedeemedVoucher {
  payer: string;
  modelId: bigint;
  usageRoot: string;
  cumulativeUnits: bigint;
  units: bigint;
  amount: bigint;
  unpaidUnits: bigint;
  blockNumber: number;
}

/** Every `VoucherRedeemed` log of the escrow (from `fromBlock`), oldest first. */
export async function readRedeemedVouchers(escrow: UsageEscrow, fromBlock = 0): Promise<RedeemedVoucher[]> {
  const logs = await escrow.queryFilter(escrow.filters.VoucherRedeemed(), fromBlock);
  return logs.map((l) => ({
    payer: l.args.payer,
    modelId: l.args.modelId,
    usageRoot: l.args.usageRoot,
    cumulativeUnits: l.args.cumulativeUnits,
    units: l.args.units,
    amount: l.args.amount,
    unpaidUnits: l.args.unpaidUnits,
    blockNumber: l.blockNumber,
  }));
}

/**
 * The chain as a model server's {@link UsageChain} sees it for `modelId`: the registry's current
 * price (refusing a retired model), the escrow's balances and redeemed units, the latest block's time.
 */
export async function escrowUsageChain(escrow: UsageEscrow, modelId: bigint): Promise<UsageChain> {
  const runner = escrow.runner;
  const provider = runner?.provider;
  if (!runner || !provider) throw new UsageInputError("the escrow needs a provider: connect it to a network");
  const models = IModelPaymentTerms__factory.connect(await escrow.models(), runner);
  return {
    pricePerUnit: async () => {
      const terms = await models.paymentTerms(modelId);
      if (terms.retired) throw new UsageInputError(`model ${modelId} is retired: it cannot be paid for`);
      return terms.pricePerUnit;
    },
    balanceOf: (payer) => escrow.balanceOf(payer),
    redeemedUnits: (payer) => escrow.redeemedUnits(payer, modelId),
    now: async () => BigInt((await provider.getBlock("latest"))!.timestamp),
  };
}

/** A model server's {@link Redeemer}: `redeemVouchers` sent by `relayer`. */
export function escrowRedeemer(escrow: UsageEscrow, relayer: Signer): Redeemer {
  return async (vouchers) => {
    const { receipt, charged } = await redeemVouchers(escrow, relayer, vouchers);
    return { charged, txHash: receipt.hash };
  };
}

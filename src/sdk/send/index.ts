/**
 * The send path: every SDK action goes through `send`, which lands a transaction at most once
 * (`writes.ts`) and turns a revert into the contract's decoded custom error; `eventArgs` reads
 * what the receipt's events say. Nothing outside the action modules (datanets, models, payments,
 * attribution, rewards) and the command line imports this folder: the engines, the read side and
 * the verifier never send (test/sdk/imports.test.ts checks it).
 */
import type { BaseContract, ContractTransactionResponse, TransactionReceipt } from "ethers";
import type { TypedContractMethod } from "../../../typechain-types/common.js";
import { decodeRevert, ContractRevertError } from "../../errors.js";
import type { Suite, SuiteContractName } from "../suite.js";
import { isTransient } from "../transport/retry.js";
import {
  call,
  isContractCall,
  sendCall,
  waitLanded,
  type ContractCall,
  type SendOptions,
  type WriteMethods,
} from "./writes.js";

export {
  call,
  isContractCall,
  NodeStateLostError,
  NonceTakenError,
  type ContractCall,
  type SendOptions,
} from "./writes.js";

/**
 * Sends a transaction and waits for it; a revert surfaces as the contract's custom error.
 *
 * Give it a prepared call (`call(suite.datanets, "createDatanet", ...)`) and the transaction lands
 * at most once: it goes out with an explicit nonce, and a send or wait cut short by the node is
 * resolved by asking the node what it knows (see `writes.ts`) instead of sending again. A promise
 * of an already sent transaction (the older form, still accepted) gets the same recovery while
 * waiting for its receipt, but cannot be re-sent if the node lost it.
 * @returns The receipt of the landed transaction.
 * @throws ContractRevertError when the contract reverted (its custom error decoded).
 */
export async function send(
  suite: Suite,
  tx: ContractCall | Promise<ContractTransactionResponse>,
  options: SendOptions = {},
): Promise<TransactionReceipt> {
  try {
    if (isContractCall(tx)) return await sendCall(tx, options);
    const response = await tx;
    let receipt: TransactionReceipt | null | undefined;
    try {
      receipt = await response.wait();
    } catch (error) {
      if (!isTransient(error) || !response.provider) throw error;
      const head = await response.provider.getBlockNumber().catch(() => 0);
      receipt = await waitLanded(
        response.provider,
        {
          from: response.from,
          nonce: response.nonce,
          hash: response.hash,
          startBlock: Math.max(0, head - 256),
        },
        options,
      );
    }
    if (!receipt) throw new Error(`transaction ${response.hash} was dropped`);
    return receipt;
  } catch (error) {
    const decoded = decodeRevert(
      error,
      suite.token.interface,
      suite.datanets.interface,
      suite.models.interface,
      suite.attribution.interface,
      suite.distributor.interface,
      suite.staking.interface,
    );
    if (decoded) throw new ContractRevertError(decoded, error);
    throw error;
  }
}

/** The arguments of a TypeChain contract method, named as in the contract, without overrides. */
export type MethodArgs<M> = M extends TypedContractMethod<infer A, infer _R, infer _S> ? A : never;

/**
 * An SDK action that is one call of a suite contract: `action(suite, ...args)` sends
 * `suite[contract].method(...args)` with {@link send} and resolves with its receipt. Its
 * arguments are the contract method's, named and typed as TypeChain gives them.
 */
export function contractAction<N extends SuiteContractName, K extends WriteMethods<Suite[N]>>(
  contract: N,
  method: K,
): (suite: Suite, ...args: MethodArgs<Suite[N][K]>) => Promise<TransactionReceipt> {
  // TypeScript cannot follow Suite[N][K] through `call`'s generics: the signature above is the check.
  const untypedCall = call as (contract: BaseContract, method: string, ...args: unknown[]) => ContractCall;
  return (suite, ...args) => send(suite, untypedCall(suite[contract], method, ...args));
}

/** The named arguments of every `name` event a suite contract emitted in `receipt`, in log order. */
export function eventArgs(
  suite: Suite,
  receipt: TransactionReceipt,
  name: string,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const log of receipt.logs) {
    for (const c of [
      suite.datanets,
      suite.models,
      suite.attribution,
      suite.distributor,
      suite.staking,
      suite.token,
    ]) {
      if (log.address.toLowerCase() !== (c.target as string).toLowerCase()) continue;
      const parsed = c.interface.parseLog(log);
      if (parsed?.name === name) out.push(parsed.args.toObject(true) as Record<string, unknown>);
    }
  }
  return out;
}

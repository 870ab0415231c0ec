/**
 * OPEN token actions: move tokens, let a contract spend them, delegate votes. A new payer or
 * voter needs these before anything else; reading a balance needs no transaction.
 */
import type { TransactionReceipt } from "ethers";
import { call, send } from "./send/index.js";
import type { Suite } from "./suite.js";

/** What an account holds and has delegated. */
export interface TokenAccount {
  account: string;
  balance: bigint;
  votes: bigint;
  delegate: string;
  /** Allowance given to the reward distributor (what `infer pay` spends). */
  distributorAllowance: bigint;
}

/** Reads an account's balance, votes, delegate and its allowance to the reward distributor. */
export async function tokenAccount(suite: Suite, account: string): Promise<TokenAccount> {
  const [balance, votes, delegate, distributorAllowance] = await Promise.all([
    suite.token.balanceOf(account),
    suite.token.getVotes(account),
    suite.token.delegates(account),
    suite.token.allowance(account, suite.addresses.distributor),
  ]);
  return { account, balance, votes, delegate, distributorAllowance };
}

/** Sends `amount` OPEN wei to `to`. */
export async function transferTokens(suite: Suite, to: string, amount: bigint): Promise<TransactionReceipt> {
  return send(suite, call(suite.token, "transfer", to, amount));
}

/** Lets `spender` spend up to `amount` OPEN wei of the sender's (replaces the previous allowance). */
export async function approveTokens(
  suite: Suite,
  spender: string,
  amount: bigint,
): Promise<TransactionReceipt> {
  return send(suite, call(suite.token, "approve", spender, amount));
}

/** Delegates the sender's votes to `delegatee` (itself to vote with its own tokens). */
export async function delegateVotes(suite: Suite, delegatee: string): Promise<TransactionReceipt> {
  return send(suite, call(suite.token, "delegate", delegatee));
}

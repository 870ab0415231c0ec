/**
 * OPEN token actions: move tokens, let a contract spend them, delegate votes. A new payer or
 * voter needs these before anything else; reading a balance needs no transaction.
 */
import type { TransactionReceipt } from "ethers";
import { contractAction } from "./send/index.js";
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

/** Sends `value` OPEN wei to `to`: `(suite, to, value)`. */
export const transferTokens = contractAction("token", "transfer");

/**
 * Lets `spender` spend up to `value` OPEN wei of the sender's, `(suite, spender, value)`
 * (replaces the previous allowance).
 */
export const approveTokens = contractAction("token", "approve");

/** Delegates the sender's votes to `delegatee` (itself to vote with its own tokens): `(suite, delegatee)`. */
export const delegateVotes = contractAction("token", "delegate");

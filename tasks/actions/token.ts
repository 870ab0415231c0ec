/** `token balance|transfer|approve|delegate`: the OPEN token from the terminal. */
import { formatEther, ZeroAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { approveTokens, delegateVotes, tokenAccount, transferTokens } from "../../src/sdk/token.js";
import { parseAddress } from "../../src/cli/args.js";
import { parseOpen } from "../../src/cli/inputs.js";
import { CliError, connect, output, parseAccount, runTask, type TaskContext } from "../../src/cli/task.js";
import type { SuiteArgs } from "../../src/cli/options.js";

export interface TokenArgs extends SuiteArgs {
  account?: string;
  to?: string;
  spender?: string;
  amount?: string;
}

/** An OPEN amount ("2.5") named after its flag; zero only where `allowZero`. */
export function amountOf(text: string | undefined, option: string, { allowZero = false } = {}): bigint {
  if (text === undefined || text === "")
    throw new CliError(`${option} is required: an amount of OPEN, e.g. 2.5`);
  const wei = parseOpen(text, option);
  if (!allowZero && wei === 0n) throw new CliError(`${option} must be more than zero`);
  return wei;
}

/** `--account`/`--to`: an address or an index of the network's accounts (like `--from`). */
async function accountOf(ctx: TaskContext, text: string | undefined, option: string): Promise<string> {
  return text === undefined ? ctx.from : parseAccount(ctx, text, option);
}

export async function balance(args: TokenArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const ctx = await connect(args, hre);
    const a = await tokenAccount(ctx.suite, await accountOf(ctx, args.account, "--account"));
    const result = { ...a };
    return output(args, result, [
      `${a.account}: ${formatEther(a.balance)} OPEN, ${formatEther(a.votes)} votes (delegate ${a.delegate === ZeroAddress ? "none: run token delegate to vote" : a.delegate}), ${formatEther(a.distributorAllowance)} OPEN approved to the reward distributor`,
    ]);
  });
}

export async function transfer(args: TokenArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    if (args.to === undefined) throw new CliError("--to is required: an address or an account index");
    const amount = amountOf(args.amount, "--amount");
    const ctx = await connect(args, hre);
    const to = await accountOf(ctx, args.to, "--to");
    const held = await ctx.suite.token.balanceOf(ctx.from);
    if (held < amount)
      throw new CliError(
        `${ctx.from} holds ${formatEther(held)} OPEN, less than --amount ${formatEther(amount)}: send less or use --from with a funded account`,
      );
    const receipt = await transferTokens(ctx.suite, to, amount);
    const result = { from: ctx.from, to, amount, tx: receipt.hash };
    return output(args, result, [
      `${formatEther(amount)} OPEN sent from ${ctx.from} to ${to}; tx ${receipt.hash}`,
    ]);
  });
}

export async function approve(args: TokenArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const amount = amountOf(args.amount, "--amount", { allowZero: true });
    const ctx = await connect(args, hre);
    const spender =
      args.spender === undefined || args.spender === "distributor"
        ? ctx.suite.addresses.distributor
        : args.spender === "attribution"
          ? ctx.suite.addresses.attribution
          : parseAddress(args.spender, "--spender");
    const receipt = await approveTokens(ctx.suite, spender, amount);
    const result = { owner: ctx.from, spender, amount, tx: receipt.hash };
    return output(args, result, [
      `${spender} may now spend ${formatEther(amount)} OPEN of ${ctx.from}; tx ${receipt.hash}`,
    ]);
  });
}

export async function delegate(args: TokenArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const ctx = await connect(args, hre);
    const to = args.to === undefined ? ctx.from : await accountOf(ctx, args.to, "--to");
    if ((await ctx.suite.token.delegates(ctx.from)).toLowerCase() === to.toLowerCase())
      throw new CliError(`${ctx.from} already delegates its votes to ${to}: nothing to do`);
    const receipt = await delegateVotes(ctx.suite, to);
    const votes = await ctx.suite.token.getVotes(to);
    const result = { delegator: ctx.from, delegatee: to, votes, tx: receipt.hash };
    return output(args, result, [
      `${ctx.from} delegates its votes to ${to}, who now has ${formatEther(votes)} votes; tx ${receipt.hash}`,
    ]);
  });
}

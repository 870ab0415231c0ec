/**
 * Staking: every operator's pool as the index holds it (`/staking`), and on an account's page its
 * positions read live from the chain with the wallet actions stake, request unstake, withdraw and
 * claim rewards. Each action is checked before the wallet is asked (the page's own checks, then the
 * call simulated against the chain, whose revert is decoded into words), and the page shows the
 * result once the indexer has the transaction.
 */
import { getAddress, isAddress, parseEther } from "ethers";
import type { StakePosition } from "../../../src/sdk/staking.js";
import { useState } from "preact/hooks";
import {
  api,
  attributionOn,
  chainStatus,
  chainTime,
  stakingOn,
  tokenOn,
  useApi,
  useLoad,
  type Status,
} from "../api.js";
import { Address, Failure, Loading, TxLink, open, short, when, ListTable, ActionForm } from "../format.js";
import { ensureAllowance, PreflightError, signer, useAction, type ActionResult } from "../wallet.js";

/** GET /staking/operators. */
export interface OperatorRow {
  operator: string;
  poolId: number | null;
  listed: boolean;
  bonded: boolean;
  stakers: number;
  assets: string;
  slashed: string;
  commissionBps: number;
  rewards: { toStakers: string; commissionUnclaimed: string };
}

/** `IOperatorStaking.Position`, as ethers gives it (the SDK's shape without the two keys). */
type Position = Omit<StakePosition, "operator" | "account">;

/** Resolves once the index has reached `block` (it follows the head every second). */
export async function indexed(block: number): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const s = await api<Status>("/status");
    if ((s.cursor?.number ?? -1) >= block) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** An amount of OPEN typed by a person, or a one-line refusal. */
export function parseOpen(text: string, what: string): bigint {
  let amount: bigint;
  try {
    amount = parseEther(text.trim());
  } catch {
    throw new PreflightError(`${what} "${text}" is not an amount of OPEN: type a number such as 12.5`);
  }
  if (amount <= 0n) throw new PreflightError(`${what} must be above 0 OPEN`);
  return amount;
}

/** A contract method as ethers gives it: called, it sends the transaction; `staticCall` simulates it. */
export interface SendableMethod {
  (...args: never[]): Promise<{ hash: string; wait(): Promise<{ blockNumber: number } | null> }>;
  staticCall(...args: never[]): Promise<unknown>;
}

/** Sends `method(...args)` once its static call passed, waits for the receipt and for the index to have it. */
export async function sendChecked<M extends SendableMethod>(
  method: M,
  args: Parameters<M>,
  say: (text: string) => void,
): Promise<string> {
  // The call simulated against the chain first: a revert is decoded before the wallet is asked.
  await method.staticCall(...args);
  say("waiting for your wallet…");
  const tx = await method(...args);
  say("waiting for the transaction…");
  const receipt = await tx.wait();
  if (receipt) await indexed(receipt.blockNumber);
  return tx.hash;
}

export function ResultLine({ result, testid }: { result: ActionResult | undefined; testid: string }) {
  if (!result) return null;
  return (
    <p class={result.pending ? "muted" : result.ok ? "ok" : "error"} role="status" data-testid={testid}>
      {result.text} {result.tx ? <TxLink h={result.tx} /> : null}
    </p>
  );
}

/** `/staking`: every pool, from the index. */
export function StakingPage() {
  const r = useApi<OperatorRow[]>("/staking/operators");
  if (r.error) return <Failure error={r.error} />;
  if (!r.data) return <Loading />;
  return (
    <>
      <h1>Staking</h1>
      <p class="muted">
        Every operator (attribution or settlement) has one pool; OPEN holders stake behind it and share the
        staker part of every payment. A proven fault slashes the pool. Stake from your account page.
      </p>
      <OperatorTable operators={r.data} />
    </>
  );
}

function OperatorTable({ operators }: { operators: OperatorRow[] }) {
  if (operators.length === 0) return <p class="muted">no operator is listed yet</p>;
  return (
    <ListTable
      testid="operators"
      columns={[
        "operator",
        "pool",
        "state",
        "OPEN in pool",
        "stakers",
        "commission",
        "rewards to stakers",
        "slashed",
      ]}
    >
      {operators.map((o) => (
        <tr key={o.operator}>
          <td>
            <Address a={o.operator} />
          </td>
          <td>{o.poolId ?? "-"}</td>
          <td>
            {o.listed ? "listed" : "delisted"}
            {o.bonded ? ", bonded" : ", not bonded"}
          </td>
          <td>{open(o.assets)}</td>
          <td>{o.stakers}</td>
          <td>{o.commissionBps / 100}%</td>
          <td>{open(o.rewards.toStakers)}</td>
          <td>{BigInt(o.slashed) > 0n ? open(o.slashed) : "-"}</td>
        </tr>
      ))}
    </ListTable>
  );
}

interface StakingState {
  operators: OperatorRow[];
  positions: Map<string, Position>;
  balance: bigint;
  now: number;
}

/** The account's positions read from the chain, per operator the index knows. */
async function loadStaking(account: string): Promise<StakingState> {
  const operators = await api<OperatorRow[]>("/staking/operators");
  const staking = stakingOn();
  const positions = new Map<string, Position>();
  for (const o of operators)
    positions.set(o.operator, (await staking.position(o.operator, account)) as Position);
  return {
    operators,
    positions,
    balance: (await tokenOn().balanceOf(account)) as bigint,
    now: await chainTime(),
  };
}

/** An account's staking, with the wallet actions (only for the connected account's own page). */
export function AccountStaking({ account }: { account: string }) {
  // One key: a reload keeps the rows (and their actions' results) on screen until the new data is in.
  const r = useLoad(`staking/${account}`, () => loadStaking(account));
  const reload = r.reload;
  if (r.error) return <Failure error={r.error} />;
  if (!r.data) return <Loading />;
  const d = r.data;
  const held = [...d.positions].filter(
    ([, p]) => p.shares > 0n || p.unbondingShares > 0n || p.pendingRewards > 0n,
  );
  return (
    <div data-testid="staking">
      <p>
        OPEN in this wallet: <span data-testid="open-balance">{open(d.balance)}</span>
      </p>
      {held.length ? (
        <ListTable
          testid="positions"
          columns={["operator", "staked (bonded)", "rewards pending", "unbonding", "actions"]}
        >
          {held.map(([op, p]) => (
            <PositionRow key={op} account={account} operator={op} p={p} now={d.now} onDone={reload} />
          ))}
        </ListTable>
      ) : (
        <p class="muted">no stake behind any operator</p>
      )}
      <StakeForm account={account} operators={d.operators} balance={d.balance} onDone={reload} />
    </div>
  );
}

function StakeForm(props: {
  account: string;
  operators: OperatorRow[];
  balance: bigint;
  onDone: () => void;
}) {
  const listed = props.operators.filter((o) => o.listed);
  const [operator, setOperator] = useState(listed[0]?.operator ?? "");
  const [amount, setAmount] = useState("");
  const a = useAction();
  const stake = () =>
    a.run(async (say) => {
      if (!isAddress(operator.trim()))
        throw new PreflightError(`operator "${operator}" is not an address: pick one of the listed pools`);
      const op = getAddress(operator.trim());
      const assets = parseOpen(amount, "the stake");
      const pool = (await stakingOn().pool(op)) as { id: bigint; listed: boolean };
      if (pool.id === 0n)
        throw new PreflightError(`${short(op)} has no pool: pick one of the listed operators`);
      if (!pool.listed) throw new PreflightError(`${short(op)}'s pool is delisted: it takes no new stake`);
      if (props.balance < assets)
        throw new PreflightError(
          `you hold ${open(props.balance)}, less than the ${open(assets)} to stake: stake less or get OPEN first`,
        );
      const who = await signer();
      const me = await who.getAddress();
      if (me.toLowerCase() !== props.account)
        throw new PreflightError(`your wallet is ${short(me)}, not this account: open your own account page`);
      const staking = stakingOn(who);
      await ensureAllowance(
        tokenOn(who) as never,
        me,
        chainStatus().addresses.staking,
        assets,
        say,
        `${open(assets)} for staking`,
      );
      const hash = await sendChecked(staking.stake, [op, assets], say);
      props.onDone();
      return { ok: true, text: `staked ${open(assets)} behind ${short(op)}`, tx: hash };
    });
  return (
    <ActionForm onSubmit={stake}>
      <label>
        operator{" "}
        <input
          name="operator"
          class="mono"
          list="listed-operators"
          size={44}
          value={operator}
          onInput={(e) => setOperator((e.target as HTMLInputElement).value)}
        />
      </label>
      <datalist id="listed-operators">
        {listed.map((o) => (
          <option key={o.operator} value={o.operator} />
        ))}
      </datalist>{" "}
      <label>
        OPEN{" "}
        <input
          name="stake-amount"
          inputMode="decimal"
          size={10}
          value={amount}
          onInput={(e) => setAmount((e.target as HTMLInputElement).value)}
        />
      </label>{" "}
      <button type="submit" disabled={a.busy} data-testid="stake">
        Stake
      </button>
      <ResultLine result={a.result} testid="stake-result" />
    </ActionForm>
  );
}

function PositionRow(props: {
  account: string;
  operator: string;
  p: Position;
  now: number;
  onDone: () => void;
}) {
  const { p, operator } = props;
  const [amount, setAmount] = useState("");
  const unstake = useAction();
  const withdraw = useAction();
  const claim = useAction();
  const mine = async () => {
    const who = await signer();
    if ((await who.getAddress()).toLowerCase() !== props.account)
      throw new PreflightError("your wallet is not this account: open your own account page");
    return stakingOn(who);
  };
  const doUnstake = () =>
    unstake.run(async (say) => {
      const assets = parseOpen(amount, "the amount to unstake");
      const staking = await mine();
      // No check of our own against the position: the simulated call is the check, and its revert
      // (UnstakeExceedsStake with what is available) is shown in words.
      const hash = await sendChecked(staking.requestUnstake, [operator, assets], say);
      props.onDone();
      return { ok: true, text: `requested ${open(assets)} out of ${short(operator)}'s pool`, tx: hash };
    });
  const doWithdraw = () =>
    withdraw.run(async (say) => {
      if (p.unbondingShares === 0n)
        throw new PreflightError("nothing is unbonding in this pool: request an unstake first");
      const now = await chainTime();
      if (BigInt(now) < p.withdrawableAt)
        throw new PreflightError(
          `still unbonding until ${when(Number(p.withdrawableAt))}: withdraw after that (the chain's time is ${when(now)})`,
        );
      const staking = await mine();
      const hash = await sendChecked(staking.withdraw, [operator, props.account], say);
      props.onDone();
      return {
        ok: true,
        text: `withdrew ${open(p.unbondingAssets)} from ${short(operator)}'s pool`,
        tx: hash,
      };
    });
  const doClaim = () =>
    claim.run(async (say) => {
      if (p.pendingRewards === 0n) throw new PreflightError("no staking reward is pending in this pool");
      const staking = await mine();
      const hash = await sendChecked(staking.claimRewards, [operator, props.account], say);
      props.onDone();
      return { ok: true, text: `claimed ${open(p.pendingRewards)} of staking rewards`, tx: hash };
    });
  const unbondingText =
    p.unbondingShares > 0n
      ? `${open(p.unbondingAssets)}, ${BigInt(props.now) >= p.withdrawableAt ? "withdrawable now" : `withdrawable ${when(Number(p.withdrawableAt))}`}`
      : "-";
  return (
    <tr data-operator={operator}>
      <td>
        <Address a={operator} />
      </td>
      <td data-testid="staked">{open(p.assets)}</td>
      <td data-testid="pending-rewards">{open(p.pendingRewards)}</td>
      <td data-testid="unbonding">{unbondingText}</td>
      <td class="actions">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void doUnstake();
          }}
        >
          <input
            name="unstake-amount"
            inputMode="decimal"
            size={8}
            placeholder="OPEN"
            value={amount}
            onInput={(e) => setAmount((e.target as HTMLInputElement).value)}
          />{" "}
          <button type="submit" disabled={unstake.busy} data-testid="unstake">
            Request unstake
          </button>
        </form>
        <button
          type="button"
          disabled={withdraw.busy}
          onClick={() => void doWithdraw()}
          data-testid="withdraw"
        >
          Withdraw
        </button>{" "}
        <button
          type="button"
          disabled={claim.busy}
          onClick={() => void doClaim()}
          data-testid="claim-rewards"
        >
          Claim rewards
        </button>
        <ResultLine result={unstake.result} testid="unstake-result" />
        <ResultLine result={withdraw.result} testid="withdraw-result" />
        <ResultLine result={claim.result} testid="claim-rewards-result" />
      </td>
    </tr>
  );
}

/** A commitment's challenge: the reason's URI, the bond approved, then `challenge`. */
export function ChallengeForm(props: { modelId: string; epoch: string; open: boolean; onDone: () => void }) {
  const [reason, setReason] = useState("");
  const a = useAction();
  const go = () =>
    a.run(async (say) => {
      const uri = reason.trim();
      if (!/^(https?|ipfs):\/\/\S+$/.test(uri))
        throw new PreflightError(
          "give the URI where your reason is published (https://… or ipfs://…): governance reads it to resolve the challenge",
        );
      const registry = attributionOn();
      const [model, epoch] = [BigInt(props.modelId), BigInt(props.epoch)];
      const status = Number(await registry.commitmentStatus(model, epoch));
      if (status !== 1)
        throw new PreflightError(
          status === 3
            ? "this commitment is final: its challenge window has closed"
            : status === 2
              ? "this commitment is already challenged: governance is resolving it"
              : "this commitment cannot be challenged (it was voided or never made)",
        );
      const bond = (await registry.challengeBond()) as bigint;
      const who = await signer();
      const me = await who.getAddress();
      const balance = (await tokenOn().balanceOf(me)) as bigint;
      if (balance < bond)
        throw new PreflightError(
          `a challenge bonds ${open(bond)} and your wallet holds ${open(balance)}: get OPEN first`,
        );
      await ensureAllowance(
        tokenOn(who) as never,
        me,
        chainStatus().addresses.attribution,
        bond,
        say,
        `the ${open(bond)} bond`,
      );
      const signed = attributionOn(who);
      const hash = await sendChecked(signed.challenge, [model, epoch, uri], say);
      props.onDone();
      return { ok: true, text: `challenged with a ${open(bond)} bond`, tx: hash };
    });
  // Closed (final, challenged or voided): only the outcome of a challenge sent from this page.
  if (!props.open) return <ResultLine result={a.result} testid="challenge-result" />;
  return (
    <ActionForm onSubmit={go}>
      <label>
        reason URI{" "}
        <input
          name="reason"
          size={40}
          placeholder="https://… or ipfs://…"
          value={reason}
          onInput={(e) => setReason((e.target as HTMLInputElement).value)}
        />
      </label>{" "}
      <button type="submit" disabled={a.busy} data-testid="challenge">
        Challenge (bonds OPEN)
      </button>
      <ResultLine result={a.result} testid="challenge-result" />
    </ActionForm>
  );
}

/** GET /contributors/:address/earnings. */
export interface Earnings {
  settlementId: number | null;
  coveredThroughSeq: number;
  settledUnderLiveRoot: boolean;
  pairs: {
    modelId: number;
    epoch: number;
    amount: string;
    weight: string;
    covered: boolean;
    claimedDirectly: boolean;
    proof: string[] | null;
  }[];
  unreadable: { modelId: number; epoch: number; error: string }[];
}

const COLOURS = ["#0b5cad", "#146c2e", "#b36b00", "#7a2e9e", "#b3261e", "#00796b", "#5d4037"];

/** Earnings per epoch as stacked bars, one colour a model. */
export function EarningsChart({ earnings }: { earnings: Earnings }) {
  const pairs = earnings.pairs.filter((p) => BigInt(p.amount) > 0n);
  if (pairs.length === 0) return <p class="muted">no earnings from finalised epochs yet</p>;
  const epochs = [...new Set(pairs.map((p) => p.epoch))].sort((x, y) => x - y);
  const models = [...new Set(pairs.map((p) => p.modelId))].sort((x, y) => x - y);
  const perEpoch = epochs.map((e) =>
    pairs.filter((p) => p.epoch === e).reduce((t, p) => t + BigInt(p.amount), 0n),
  );
  const max = perEpoch.reduce((m, v) => (v > m ? v : m), 0n);
  const W = 44;
  const H = 120;
  return (
    <div data-testid="earnings-chart">
      <svg
        class="chart"
        viewBox={`0 0 ${epochs.length * W + 10} ${H + 30}`}
        preserveAspectRatio="xMinYMax meet"
        role="img"
        aria-label="earnings per model and epoch"
      >
        {epochs.map((e, i) => {
          let y = H;
          return (
            <g key={e}>
              {models.map((m, k) => {
                const p = pairs.find((x) => x.epoch === e && x.modelId === m);
                if (!p) return null;
                const h = Number((BigInt(p.amount) * BigInt(H * 100)) / max) / 100;
                y -= h;
                return (
                  <a key={m} href={`/models/${m}/epochs/${e}`}>
                    <rect x={i * W + 10} y={y} width={W - 12} height={h} fill={COLOURS[k % COLOURS.length]}>
                      <title>{`model ${m}, epoch ${e}: ${open(p.amount)}`}</title>
                    </rect>
                  </a>
                );
              })}
              <text x={i * W + 10 + (W - 12) / 2} y={H + 14} text-anchor="middle">
                {e}
              </text>
            </g>
          );
        })}
        <text x={10} y={H + 28}>
          epoch
        </text>
      </svg>
      <p class="legend">
        {models.map((m, k) => (
          <span key={m}>
            {/* An SVG swatch: the page's CSP allows no inline style attribute. */}
            <svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" fill={COLOURS[k % COLOURS.length]} />
            </svg>{" "}
            model {m}: {open(pairs.filter((p) => p.modelId === m).reduce((t, p) => t + BigInt(p.amount), 0n))}
          </span>
        ))}
      </p>
      <ListTable testid="earnings" columns={["model / epoch", "earned", "paid by"]}>
        {pairs.map((p) => (
          <tr key={`${p.modelId}/${p.epoch}`}>
            <td>
              <a href={`/models/${p.modelId}/epochs/${p.epoch}`}>
                model {p.modelId} epoch {p.epoch}
              </a>
            </td>
            <td>{open(p.amount)}</td>
            <td>
              {p.claimedDirectly
                ? "claimed directly"
                : p.covered
                  ? `settlement ${earnings.settlementId}`
                  : "direct claim (not yet settled)"}
            </td>
          </tr>
        ))}
      </ListTable>
    </div>
  );
}

/** The OPEN of the direct claims open to the account now (uncovered, unclaimed, with a proof). */
export function directClaims(earnings: Earnings) {
  if (earnings.settledUnderLiveRoot) return [];
  return earnings.pairs.filter((p) => !p.covered && !p.claimedDirectly && p.proof && BigInt(p.amount) > 0n);
}

export const sumOpen = (values: (string | bigint)[]) => values.reduce<bigint>((t, v) => t + BigInt(v), 0n);

/** An account (`/accounts/<address>`): contributions, models that used them, earnings, claimable now; claim in one click. */
import { ApiError, api, distributorOn, useApi, useLoad } from "../api.js";
import {
  Address,
  Facts,
  Failure,
  Loading,
  Section,
  TxLink,
  Uri,
  open,
  short,
  n,
  s,
  type Row,
  ListTable,
} from "../format.js";
import { signer, useAction } from "../wallet.js";
import { PayerUsageSection } from "./usage.js";
import {
  AccountStaking,
  directClaims,
  EarningsChart,
  ResultLine,
  sendChecked,
  sumOpen,
  type Earnings,
} from "./staking.js";
import { PagedList } from "./datanet.js";
import { SplitBar, SplitLegend } from "./model.js";

/** GET /contributors/:address. */
interface Summary {
  account: string;
  contributions: { counts: Record<string, number>; items: Row[]; next: string | null };
  earned: { total: string; settlement: string; direct: string; claims: Row[] };
  claimable: {
    settlementId: number;
    inSettlement?: boolean;
    cumulativeAmount?: string;
    nextAccount?: string;
    prefixBefore?: string;
    amount: string | null;
    proof?: string[];
    error?: string;
  } | null;
}

/**
 * Claim everything owed in one click: the settlement's leaf, or the direct claims of the finalised
 * pairs the settlement does not cover yet, whichever pays more now (one transaction). Both cannot
 * go together: a direct claim first lowers what the settlement then pays by as much (the next
 * settlement nets it), and a settlement claim first blocks direct claims until the next settlement
 * (`SettledUnderLiveRoot`); so the page takes the larger.
 */
function ClaimEverything({
  summary,
  earnings,
  onClaimed,
}: {
  summary: Summary;
  earnings: Earnings;
  onClaimed: () => void;
}) {
  const a = useAction();
  const c = summary.claimable;
  if (c?.error) return <Failure error={c.error} />;
  const owed = BigInt(c?.amount ?? "0");
  const direct = directClaims(earnings);
  const directTotal = sumOpen(direct.map((p) => p.amount));
  const useDirect = directTotal > owed;
  const total = useDirect ? directTotal : owed;
  const claim = () =>
    a.run(async (say) => {
      const who = await signer();
      const distributor = distributorOn(who);
      const hash = useDirect
        ? await sendChecked(distributor.claimDirectBatch, [summary.account, batch(direct)], say)
        : await sendChecked(
            distributor.claim,
            [
              summary.account,
              BigInt(c!.cumulativeAmount!),
              c!.nextAccount!,
              BigInt(c!.prefixBefore!),
              c!.proof!,
            ],
            say,
          );
      onClaimed();
      return {
        ok: true,
        text: `claimed ${open(total)} for ${short(summary.account)}${useDirect ? ` (${direct.length} direct claim${direct.length === 1 ? "" : "s"})` : ""}`,
        tx: hash,
      };
    });
  const parts: string[] = [];
  if (c && owed > 0n) parts.push(`${open(owed)} from settlement ${c.settlementId}`);
  if (directTotal > 0n)
    parts.push(`${open(directTotal)} directly from ${direct.length} epoch(s) no settlement covers yet`);
  const waiting = earnings.settledUnderLiveRoot
    ? earnings.pairs.filter((p) => !p.covered && !p.claimedDirectly && BigInt(p.amount) > 0n)
    : [];
  return (
    <div class="action">
      <p data-testid="claimable">
        {total > 0n
          ? `${open(total)} claimable now (${useDirect ? parts.at(-1) : parts[0]})`
          : !c
            ? "no settlement committed yet and no direct claim open: nothing to claim"
            : c.inSettlement
              ? `nothing left to claim from settlement ${c.settlementId} (cumulative ${open(c.cumulativeAmount!)}, all claimed)`
              : `not in settlement ${c.settlementId}: nothing to claim`}
      </p>
      {owed > 0n && directTotal > 0n ? (
        <p class="muted" data-testid="claim-alternative">
          {`the other way, ${useDirect ? parts[0] : parts[1]}, pays less now; what is not claimed now is paid by the next settlement`}
        </p>
      ) : null}
      {waiting.length ? (
        <p class="muted" data-testid="claim-waiting">
          {`${open(sumOpen(waiting.map((p) => p.amount)))} from ${waiting.length} epoch(s) waits for the next settlement (you claimed under the live one)`}
        </p>
      ) : null}
      {total > 0n ? (
        <button type="button" disabled={a.busy} onClick={() => void claim()} data-testid="claim">
          Claim {open(total)}
        </button>
      ) : null}
      <ResultLine result={a.result} testid="claim-result" />
    </div>
  );
}

const batch = (pairs: ReturnType<typeof directClaims>) =>
  pairs.map((p) => ({
    modelId: BigInt(p.modelId),
    epoch: BigInt(p.epoch),
    weight: BigInt(p.weight),
    proof: p.proof!,
  }));

/** The account's earnings and what it can claim now, both from the index. */
function Earned({ summary, onClaimed }: { summary: Summary; onClaimed: () => void }) {
  const e = useApi<Earnings>(`/contributors/${summary.account}/earnings`);
  if (e.error) return <Failure error={e.error} />;
  if (!e.data) return <Loading />;
  const reload = () => {
    e.reload();
    onClaimed();
  };
  return (
    <>
      <Section title="Claimable now">
        <ClaimEverything summary={summary} earnings={e.data} onClaimed={reload} />
      </Section>
      <Section title="Earnings per model and epoch">
        <EarningsChart earnings={e.data} />
        {e.data.unreadable.length ? (
          <p class="error">
            {e.data.unreadable.map((u) => `model ${u.modelId} epoch ${u.epoch}: ${u.error}`).join("; ")}
          </p>
        ) : null}
      </Section>
    </>
  );
}

function UsedBy({ account }: { account: string }) {
  const r = useApi<Row[]>(`/contributors/${account}/used-by`);
  if (r.error) return <Failure error={r.error} />;
  if (!r.data) return <Loading />;
  const byModel = new Map<number, Row[]>();
  for (const u of r.data) byModel.set(n(u.modelId), [...(byModel.get(n(u.modelId)) ?? []), u]);
  if (byModel.size === 0)
    return <p class="muted">no model was trained on a version holding these contributions</p>;
  return (
    <ul data-testid="used-by">
      {[...byModel.entries()].map(([m, rows]) => (
        <li key={m}>
          <a href={`/models/${m}`}>model {m}</a>:{" "}
          {rows
            .map(
              (u) =>
                `version ${n(u.modelVersion)} trained on datanet ${n(u.datanetId)} version ${n(u.datanetVersion)} (weight ${n(u.weightBps) / 100}%, ${n(u.contributions)} of yours)`,
            )
            .join("; ")}
        </li>
      ))}
    </ul>
  );
}

export function AccountPage({ address }: { address: string }) {
  const a = address.toLowerCase();
  // The summary without the heaviest part (which models used the contributions), loaded beside it.
  const r = useApi<Summary>(`/contributors/${a}?usedBy=false`);
  if (r.error) return <Failure error={r.error} />;
  if (!r.data) return <Loading />;
  const d = r.data;
  const counts = Object.entries(d.contributions.counts);
  return (
    <>
      <h1>
        Account <span class="mono">{a}</span>
      </h1>
      <Facts
        rows={[
          [
            "contributions",
            <span data-testid="contribution-counts">
              {counts.length ? counts.map(([k, v]) => `${v} ${k}`).join(", ") : "none"}
            </span>,
          ],
          ["earned (all claims)", <span data-testid="earned">{open(d.earned.total)}</span>],
          ["by settlement", open(d.earned.settlement)],
          ["by direct claims", open(d.earned.direct)],
        ]}
      />
      <Earned summary={d} onClaimed={r.reload} />
      <Section title="Staking">
        <AccountStaking account={a} />
      </Section>
      <Section title="Models that used these contributions">
        <UsedBy account={a} />
      </Section>
      <Section title="Usage vouchers (as a payer)">
        <PayerUsageSection address={a} />
      </Section>
      <Section title="Claims">
        {d.earned.claims.length ? (
          <ListTable testid="claims" columns={["path", "amount", "model / epoch", "transaction"]}>
            {d.earned.claims.map((c, i) => (
              <tr key={i}>
                <td>{s(c.path)}</td>
                <td>{open(s(c.amount))}</td>
                <td>
                  {c.modelId === null || c.modelId === undefined ? (
                    "-"
                  ) : (
                    <a href={`/models/${n(c.modelId)}/epochs/${n(c.epoch)}`}>
                      model {n(c.modelId)} epoch {n(c.epoch)}
                    </a>
                  )}
                </td>
                <td>
                  <TxLink h={s(c.txHash)} />
                </td>
              </tr>
            ))}
          </ListTable>
        ) : (
          <p class="muted">no claim yet</p>
        )}
      </Section>
      <Section title="Contributions">
        <PagedList
          path={`/contributions?contributor=${a}&limit=100`}
          empty="no contribution"
          head={["contribution", "datanet", "status", "URI"]}
          row={(c) => [
            <a class="mono" href={`/contributions/${s(c.contributionId)}`}>
              {short(s(c.contributionId))}
            </a>,
            <a href={`/datanets/${n(c.datanetId)}`}>datanet {n(c.datanetId)}</a>,
            <span class={`status ${s(c.status)}`}>{s(c.status)}</span>,
            <Uri uri={s(c.uri)} />,
          ]}
        />
      </Section>
      <Section title="Payments made">
        <PagedList
          path={`/payments?payer=${a}&limit=100`}
          empty="no payment made"
          head={["transaction", "model", "epoch", "amount"]}
          row={(p) => [
            <TxLink h={s(p.txHash)} />,
            <a href={`/models/${n(p.modelId)}`}>model {n(p.modelId)}</a>,
            n(p.epoch),
            open(s(p.amount)),
          ]}
        />
      </Section>
    </>
  );
}

/** `/tx/<hash>`: every event of the suite in the transaction, and a payment's split. */
export function TxPage({ hash }: { hash: string }) {
  const t = useApi<{ txHash: string; blockNumber: number; events: Row[] }>(`/tx/${hash.toLowerCase()}`);
  if (t.error) return <Failure error={t.error} />;
  if (!t.data) return <Loading />;
  return (
    <>
      <h1>
        Transaction <span class="mono">{short(t.data.txHash)}</span>
      </h1>
      <Facts
        rows={[
          ["hash", <code class="mono">{t.data.txHash}</code>],
          ["block", t.data.blockNumber],
          ["events of the suite", t.data.events.length],
        ]}
      />
      <PaymentOf hash={t.data.txHash} />
      <Section title="Events">
        <ListTable testid="events" columns={["#", "contract", "event", "arguments"]}>
          {t.data.events.map((e) => (
            <tr key={n(e.logIndex)}>
              <td>{n(e.logIndex)}</td>
              <td>{s(e.contract)}</td>
              <td>{s(e.name)}</td>
              <td>
                <Args args={e.args} />
              </td>
            </tr>
          ))}
        </ListTable>
      </Section>
    </>
  );
}

/** The payment a transaction made, if any: its split drawn, and the royalties it paid upstream. */
function PaymentOf({ hash }: { hash: string }) {
  const p = useLoad(`payment/${hash}`, () =>
    api<{ payments: Row[]; royalties: Row[] }>(`/payments/${hash}`).catch((e: unknown) => {
      if (e instanceof ApiError && e.code === 404) return null;
      throw e;
    }),
  );
  if (p.error) return <Failure error={p.error} />;
  if (!p.data) return null;
  return (
    <Section title="Payment">
      {p.data.payments.map((x) => (
        <div key={n(x.logIndex)}>
          <Facts
            rows={[
              [
                "model",
                <a href={`/models/${n(x.modelId)}/epochs/${n(x.epoch)}`}>
                  model {n(x.modelId)}, epoch {n(x.epoch)}
                </a>,
              ],
              ["payer", <Address a={s(x.payer)} full />],
              ["amount", open(s(x.amount))],
              ["treasury and stakers", open(s(x.protocolShare))],
              ["model owner", open(s(x.ownerShare))],
              ["upstream royalty", open(s(x.royaltyShare))],
              ["contributors' pool", open(s(x.contributorShare))],
              [
                "split",
                <SplitBar
                  parts={{
                    protocol: s(x.protocolShare),
                    owner: s(x.ownerShare),
                    royalty: s(x.royaltyShare),
                    contributors: s(x.contributorShare),
                  }}
                />,
              ],
            ]}
          />
          <SplitLegend />
        </div>
      ))}
      {p.data.royalties.length ? (
        <ul>
          {p.data.royalties.map((r) => (
            <li key={n(r.logIndex)}>
              royalty {open(s(r.amount))} to base{" "}
              <a href={`/models/${n(r.ancestorModelId)}`}>model {n(r.ancestorModelId)}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </Section>
  );
}

/** An event's arguments as text (addresses linked to their accounts). */
function Args({ args }: { args: unknown }) {
  if (args === null || typeof args !== "object") return <code class="untrusted">{s(args)}</code>;
  return (
    <dl class="args">
      {Object.entries(args as Record<string, unknown>).map(([k, v]) => (
        <>
          <dt key={`k${k}`}>{k}</dt>
          <dd key={`v${k}`}>
            {typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v) ? (
              <Address a={v} full />
            ) : (
              <code class="untrusted">{typeof v === "object" ? JSON.stringify(v) : s(v)}</code>
            )}
          </dd>
        </>
      ))}
    </dl>
  );
}

/** `/search?q=`: what the term names; one hit opens directly. */
export function SearchPage({ q, go }: { q: string; go: (path: string) => void }) {
  const r = useApi<{ hits: { kind: string; label: string; path: string }[] }>(
    `/search?q=${encodeURIComponent(q)}`,
  );
  if (r.error) return <Failure error={r.error} />;
  if (!r.data) return <Loading />;
  if (r.data.hits.length === 1) {
    queueMicrotask(() => go(r.data!.hits[0].path));
    return <Loading />;
  }
  return (
    <>
      <h1>Search</h1>
      {r.data.hits.length === 0 ? (
        <p data-testid="no-hits">
          Nothing in the index is named <code class="untrusted">{q}</code>. Search by an address (0x + 40 hex
          digits), a model or datanet id, a contribution id or content hash, or a transaction hash.
        </p>
      ) : (
        <ul>
          {r.data.hits.map((h) => (
            <li key={h.path}>
              <a href={h.path}>{h.label}</a>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

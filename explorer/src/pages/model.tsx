/** A model (`/models/<id>`) and one of its epochs (`/models/<id>/epochs/<epoch>`); pay for inference. */
import { useState } from "preact/hooks";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  ApiError,
  api,
  attributionOn,
  chainStatus,
  distributorOn,
  tokenAt,
  useApi,
  useLoad,
} from "../api.js";
import {
  Address,
  Facts,
  Failure,
  Hash,
  Loading,
  Section,
  TxLink,
  Uri,
  open,
  usesWords,
  challengeWords,
  grouped,
  totalWeightWords,
  when,
  n,
  s,
  type Row,
  ListTable,
  ActionForm,
  EpochCells,
} from "../format.js";
import { explainError, signer } from "../wallet.js";
import { PagedList } from "./datanet.js";
import { ChallengeForm } from "./staking.js";
import { ModelUsageSection } from "./usage.js";

interface Epoch {
  epoch: number;
  payments: number;
  amount: string;
  protocol: string;
  owner: string;
  royalty: string;
  contributors: string;
  commitment: Row | null;
  challenges: Row[];
  finalisation: Row | null;
}

const SHARES = [
  ["protocol", "treasury and stakers"],
  ["owner", "model owner"],
  ["royalty", "upstream royalty"],
  ["contributors", "contributors' pool"],
] as const;

/** One payment's split as a bar: each share's width is its part of the amount. */
export function SplitBar({ parts }: { parts: Record<(typeof SHARES)[number][0], string> }) {
  const total = SHARES.reduce((t, [k]) => t + BigInt(parts[k]), 0n);
  if (total === 0n) return <span class="muted">nothing paid</span>;
  let x = 0;
  return (
    <svg
      class="split"
      viewBox="0 0 100 6"
      preserveAspectRatio="none"
      role="img"
      aria-label="split of the payment"
    >
      {SHARES.map(([k, label]) => {
        const w = Number((BigInt(parts[k]) * 10_000n) / total) / 100;
        const rect = (
          <rect key={k} class={`share-${k}`} x={x} y={0} width={w} height={6}>
            <title>{`${label}: ${open(parts[k])}`}</title>
          </rect>
        );
        x += w;
        return rect;
      })}
    </svg>
  );
}

export const SplitLegend = () => (
  <p class="legend">
    {SHARES.map(([k, label]) => (
      <span key={k}>
        <span class={`swatch share-${k}`} /> {label}{" "}
      </span>
    ))}
  </p>
);

/** Payments per epoch as bars, each bar split into its shares. */
function EpochChart({ modelId, epochs }: { modelId: string; epochs: Epoch[] }) {
  const max = epochs.reduce((m, e) => (BigInt(e.amount) > m ? BigInt(e.amount) : m), 0n);
  if (max === 0n) return <p class="muted">no payment yet</p>;
  const W = 40;
  const H = 120;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${epochs.length * W + 10} ${H + 30}`}
      preserveAspectRatio="xMinYMax meet"
      role="img"
      aria-label="payments per epoch"
    >
      {epochs.map((e, i) => {
        let y = H;
        return (
          <a key={e.epoch} href={`/models/${modelId}/epochs/${e.epoch}`}>
            {SHARES.map(([k, label]) => {
              const h = Number((BigInt(e[k]) * BigInt(H * 100)) / max) / 100;
              y -= h;
              return (
                <rect key={k} class={`share-${k}`} x={i * W + 10} y={y} width={W - 12} height={h}>
                  <title>{`epoch ${e.epoch}, ${label}: ${open(e[k])}`}</title>
                </rect>
              );
            })}
            <text x={i * W + 10 + (W - 12) / 2} y={H + 14} text-anchor="middle">
              {e.epoch}
            </text>
          </a>
        );
      })}
      <text x={10} y={H + 28}>
        epoch
      </text>
    </svg>
  );
}

/** A commitment's state in words, against the chain time of the index. */
export function commitmentState(c: Row | null, challenges: Row[]): string {
  if (!c) return "nothing committed";
  const now = chainStatus().cursor?.timestamp ?? Math.floor(Date.now() / 1000);
  const status = s(c.status);
  const open = challenges.filter((h) => s(h.kind) === "challenged").length;
  const resolved = challenges.filter((h) => s(h.kind) !== "challenged");
  if (status === "Challenged")
    return `challenged (${open} challenge${open === 1 ? "" : "s"}), awaiting resolution`;
  if (status === "Voided") return "voided: it cannot pay out; its pool rolls forward";
  const after = resolved.length ? `; ${resolved.length} challenge(s) resolved, commitment stands` : "";
  return n(c.finalAt) <= now
    ? `final since ${when(n(c.finalAt))}${after}`
    : `in its challenge window until ${when(n(c.finalAt))}${after}`;
}

function PayForm({ modelId, price }: { modelId: string; price: string }) {
  const [units, setUnits] = useState("1");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string; tx?: string }>();
  const valid = /^\d+$/.test(units);
  const pay = async () => {
    setBusy(true);
    setResult(undefined);
    try {
      const who = await signer();
      const distributor = distributorOn(who);
      const amount = BigInt(price) * BigInt(units);
      const token = tokenAt((await distributorOn().token()) as string, who);
      const allowance = (await token.allowance(
        await who.getAddress(),
        chainStatus().addresses.distributor,
      )) as bigint;
      if (allowance < amount) {
        setResult({ ok: true, text: `approving ${open(amount)} for the distributor…` });
        await (await token.approve(chainStatus().addresses.distributor, amount)).wait();
      }
      // The price shown is the most this payment may take (maxAmount): a price raised in between
      // makes it revert (PaymentAboveMaximum) instead of charging more.
      const tx = await distributor.pay(BigInt(modelId), BigInt(units), amount);
      await tx.wait();
      setResult({ ok: true, text: `paid ${open(amount)} for ${units} unit(s)`, tx: tx.hash as string });
    } catch (error) {
      setResult({ ok: false, text: explainError(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <ActionForm onSubmit={pay}>
      <label>
        units{" "}
        <input
          name="units"
          inputMode="numeric"
          value={units}
          onInput={(e) => setUnits((e.target as HTMLInputElement).value.trim())}
        />
      </label>{" "}
      <span>= {valid ? open(BigInt(price) * BigInt(units)) : "?"}</span>{" "}
      <button type="submit" disabled={busy || !valid} data-testid="pay">
        Pay for inference
      </button>
      {result ? (
        <p class={result.ok ? "ok" : "error"} role="status" data-testid="pay-result">
          {result.text} {result.tx ? <TxLink h={result.tx} /> : null}
        </p>
      ) : null}
    </ActionForm>
  );
}

interface ModelView extends Row {
  versions: (Row & { trainingInputs: Row[] })[];
  lineage: number[];
  derivatives: number[];
}

function Lineage({ id, lineage, derivatives }: { id: string; lineage: number[]; derivatives: number[] }) {
  const chain = [...lineage].reverse();
  return (
    <div class="lineage" data-testid="lineage">
      {chain.map((m) => (
        <>
          <a class="node" href={`/models/${m}`}>
            model {m}
          </a>
          <span class="edge">→</span>
        </>
      ))}
      <span class="node self">model {id}</span>
      {derivatives.length ? (
        <>
          <span class="edge">→</span>
          <span class="fan">
            {derivatives.map((m) => (
              <a key={m} class="node" href={`/models/${m}`}>
                model {m}
              </a>
            ))}
          </span>
        </>
      ) : null}
    </div>
  );
}

export function ModelPage({ id }: { id: string }) {
  const m = useApi<ModelView>(`/models/${id}`);
  const epochs = useApi<Epoch[]>(`/models/${id}/epochs`);
  if (m.error) return <Failure error={m.error} />;
  if (!m.data) return <Loading />;
  const d = m.data;
  return (
    <>
      <h1>Model {id}</h1>
      <Facts
        rows={[
          ["owner", <Address a={s(d.owner)} full />],
          ["creator", <Address a={s(d.creator)} full />],
          ["price per unit", <span data-testid="price">{open(s(d.pricePerUnit))}</span>],
          ["declared uses", usesWords(n(d.declaredUses))],
          ["status", d.retired ? "retired: takes no payment" : "active"],
          ["metadata", <Uri uri={s(d.metadataUri)} />],
        ]}
      />
      <Section title="Lineage">
        <Lineage id={id} lineage={d.lineage} derivatives={d.derivatives} />
        <p class="muted">Base models to the left; a payment pays each base model its royalty.</p>
      </Section>
      <Section title="Versions and training inputs">
        {d.versions.length ? (
          <ListTable columns={["version", "artifact hash", "trained on"]}>
            {d.versions.map((v) => (
              <tr key={s(v.versionNumber)}>
                <td>{n(v.versionNumber)}</td>
                <td>
                  <Hash h={s(v.artifactHash)} />
                </td>
                <td>
                  {v.trainingInputs.map((t, i) => (
                    <div key={i}>
                      <a href={`/datanets/${n(t.datanetId)}`}>datanet {n(t.datanetId)}</a> version{" "}
                      {n(t.datanetVersion)}, weight {n(t.weightBps) / 100}%
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </ListTable>
        ) : (
          <p class="muted">no version registered</p>
        )}
      </Section>
      <Section title="Payments per epoch">
        {epochs.error ? <Failure error={epochs.error} /> : null}
        {epochs.data ? (
          <>
            <EpochChart modelId={id} epochs={epochs.data} />
            <SplitLegend />
            <ListTable
              testid="epochs"
              columns={["epoch", "payments", "paid", "contributors' pool", "attribution"]}
            >
              {epochs.data.map((e) => (
                <tr key={e.epoch}>
                  <EpochCells modelId={id} e={e} />
                  <td>
                    {commitmentState(e.commitment, e.challenges)}
                    {e.finalisation ? `; finalised, pool ${open(s(e.finalisation.pool))}` : ""}
                  </td>
                </tr>
              ))}
            </ListTable>
          </>
        ) : (
          <Loading />
        )}
      </Section>
      <Section title="Usage vouchers">
        <ModelUsageSection id={id} />
      </Section>
      <Section title="Pay for inference">
        {d.retired ? (
          <p class="muted">retired: takes no payment</p>
        ) : (
          <PayForm modelId={id} price={s(d.pricePerUnit)} />
        )}
      </Section>
      <Section title="Payments">
        <PaymentList path={`/payments?model=${id}&limit=100`} />
      </Section>
    </>
  );
}

function PaymentList({ path }: { path: string }) {
  return (
    <PagedList
      path={path}
      empty="no payment"
      head={["transaction", "epoch", "payer", "amount", "split"]}
      row={(p) => [
        <TxLink h={s(p.txHash)} />,
        n(p.epoch),
        <Address a={s(p.payer)} />,
        open(s(p.amount)),
        <SplitBar
          parts={{
            protocol: s(p.protocolShare),
            owner: s(p.ownerShare),
            royalty: s(p.royaltyShare),
            contributors: s(p.contributorShare),
          }}
        />,
      ]}
    />
  );
}

interface AttributionTable {
  root: string;
  uri: string;
  totalWeight: string;
  error?: string;
  method?: string;
  contributors?: number;
  top?: { contributor: string; weight: string; contributions: number; proof: string[] }[];
}

/** The committed table's top contributors, each leaf's proof verified here against the root on chain. */
async function verifiedTable(modelId: string, epoch: string) {
  const t = await api<AttributionTable>(`/models/${modelId}/epochs/${epoch}/attribution`).catch(
    (e: unknown) => {
      if (e instanceof ApiError && e.code === 404) return null;
      throw e;
    },
  );
  if (!t || t.error || !t.top) return { table: t, onChain: undefined, verified: [] as boolean[] };
  const onChain = ((await attributionOn().commitment(BigInt(modelId), BigInt(epoch))) as { root: string })
    .root;
  const verified = t.top.map((e) =>
    StandardMerkleTree.verify(onChain, ["address", "uint256"], [e.contributor, e.weight], e.proof),
  );
  return { table: t, onChain: onChain.toLowerCase(), verified };
}

function AttributionTop({ id, epoch }: { id: string; epoch: string }) {
  const r = useLoad(`attribution/${id}/${epoch}`, () => verifiedTable(id, epoch));
  if (r.error) return <Failure error={r.error} />;
  if (!r.data) return <Loading />;
  const t = r.data.table;
  if (!t) return null;
  if (t.error) return <Failure error={t.error} />;
  const total = BigInt(t.totalWeight);
  return (
    <>
      <p>
        {t.contributors} contributor{t.contributors === 1 ? "" : "s"} in the table ({t.method}); the top{" "}
        {t.top!.length}, each leaf (contributor, weight) checked in this browser against the root on chain:
      </p>
      <ListTable
        testid="attribution-top"
        columns={["contributor", "weight", "share", "contributions", "leaf proof"]}
      >
        {t.top!.map((e, i) => (
          <tr key={e.contributor}>
            <td>
              <Address a={e.contributor} />
            </td>
            <td>{grouped(e.weight)}</td>
            <td>{total > 0n ? `${Number((BigInt(e.weight) * 10_000n) / total) / 100}%` : "-"}</td>
            <td>{e.contributions}</td>
            <td>
              {r.data!.verified[i] ? (
                <span class="ok">verified</span>
              ) : (
                <span class="bad">FAILED against the on-chain root</span>
              )}
            </td>
          </tr>
        ))}
      </ListTable>
    </>
  );
}

export function EpochPage({ id, epoch }: { id: string; epoch: string }) {
  const epochs = useApi<Epoch[]>(`/models/${id}/epochs`);
  if (epochs.error) return <Failure error={epochs.error} />;
  if (!epochs.data) return <Loading />;
  const e = epochs.data.find((x) => x.epoch === Number(epoch));
  const c = e?.commitment ?? null;
  return (
    <>
      <h1>
        <a href={`/models/${id}`}>Model {id}</a>, epoch {epoch}
      </h1>
      {e ? (
        <>
          <Facts
            rows={[
              ["payments", e.payments],
              ["paid", <span data-testid="epoch-paid">{open(e.amount)}</span>],
              ["treasury and stakers", open(e.protocol)],
              ["model owner", open(e.owner)],
              ["upstream royalty", open(e.royalty)],
              ["contributors' pool", <span data-testid="epoch-pool">{open(e.contributors)}</span>],
              ["split", <SplitBar parts={e} />],
              [
                "finalised",
                e.finalisation
                  ? `yes, pool ${open(s(e.finalisation.pool))} (finalisation #${n(e.finalisation.finalizeSeq)})`
                  : "not yet",
              ],
            ]}
          />
          <SplitLegend />
          <Section title="Attribution">
            {c ? (
              <Facts
                rows={[
                  ["state", <span data-testid="commitment-state">{commitmentState(c, e.challenges)}</span>],
                  ["root", <Hash h={s(c.root)} />],
                  [
                    "total weight",
                    <span data-testid="total-weight">{totalWeightWords(s(c.totalWeight))}</span>,
                  ],
                  ["method", `0x${n(c.methodId).toString(16).padStart(4, "0")}`],
                  ["table", <Uri uri={s(c.uri)} />],
                  ["committed in", <TxLink h={s(c.txHash)} />],
                ]}
              />
            ) : (
              <p class="muted">nothing committed for this epoch</p>
            )}
            {c ? <AttributionTop id={id} epoch={epoch} /> : null}
            {c ? (
              <ChallengeForm
                modelId={id}
                epoch={epoch}
                open={s(c.status) === "Committed" && n(c.finalAt) > (chainStatus().cursor?.timestamp ?? 0)}
                onDone={epochs.reload}
              />
            ) : null}
            {e.challenges.length ? (
              <ul>
                {e.challenges.map((h, i) => (
                  <li key={i} data-testid="challenge-row">
                    {challengeWords(s(h.kind), h.commitmentStands)} by <Address a={s(h.challenger)} />
                    {h.bond ? `, bond ${open(s(h.bond))}` : ""} <TxLink h={s(h.txHash)} />
                  </li>
                ))}
              </ul>
            ) : null}
          </Section>
        </>
      ) : (
        <p class="muted">no payment or commitment in this epoch</p>
      )}
      <Section title="Payments">
        <PaymentList path={`/payments?model=${id}&epoch=${epoch}&limit=100`} />
      </Section>
    </>
  );
}

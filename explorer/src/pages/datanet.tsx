/** A datanet (`/datanets/<id>`) and a contribution (`/contributions/<id>`), with its inclusion proofs verified here. */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { useState } from "preact/hooks";
import { api, datanetsOn, useApi, useLoad, type Page } from "../api.js";
import {
  Address,
  Facts,
  Failure,
  Hash,
  Loading,
  Section,
  TxLink,
  Uri,
  licenceWords,
  policyWords,
  short,
  n,
  s,
  type Row,
  ListTable,
} from "../format.js";

/** Every page of a list, loaded on demand ("more"). */
function PagedList({
  path,
  head,
  row,
  empty,
}: {
  path: string;
  head: string[];
  row: (r: Row) => preact.ComponentChildren[];
  empty: string;
}) {
  const first = useApi<Page<Row>>(path);
  const [more, setMore] = useState<{ path: string; items: Row[]; next: string | null } | null>(null);
  const [error, setError] = useState<string>();
  if (first.error) return <Failure error={first.error} />;
  if (!first.data) return <Loading />;
  const extra = more?.path === path ? more : null;
  const items = [...first.data.items, ...(extra?.items ?? [])];
  const next = extra ? extra.next : first.data.next;
  const loadMore = () =>
    api<Page<Row>>(`${path}${path.includes("?") ? "&" : "?"}after=${next}`).then(
      (p) => setMore({ path, items: [...(extra?.items ?? []), ...p.items], next: p.next }),
      (e: unknown) => setError((e as Error).message),
    );
  if (items.length === 0) return <p class="muted">{empty}</p>;
  return (
    <>
      <ListTable columns={head}>
        {items.map((r, i) => (
          <tr key={i}>
            {row(r).map((cell, j) => (
              <td key={j}>{cell}</td>
            ))}
          </tr>
        ))}
      </ListTable>
      {error ? <Failure error={error} /> : null}
      {next ? (
        <button type="button" onClick={() => void loadMore()}>
          More
        </button>
      ) : null}
    </>
  );
}
export { PagedList };

export function DatanetPage({ id }: { id: string }) {
  const d = useApi<Row & { versions: Row[]; curators: Row[]; contributions: Record<string, number> }>(
    `/datanets/${id}`,
  );
  if (d.error) return <Failure error={d.error} />;
  if (!d.data) return <Loading />;
  const data = d.data;
  const current = new Map<string, boolean>();
  for (const c of data.curators) current.set(s(c.curator), Boolean(c.appointed));
  const curators = [...current.entries()].filter(([, on]) => on).map(([a]) => a);
  return (
    <>
      <h1>Datanet {id}</h1>
      <Facts
        rows={[
          ["owner", <Address a={s(data.owner)} full />],
          ["creator", <Address a={s(data.creator)} full />],
          ["licence", <span data-testid="licence">{licenceWords(n(data.licence))}</span>],
          ["policy", policyWords(n(data.policy))],
          ["metadata", <Uri uri={s(data.metadataUri)} />],
          [
            "contributions",
            <span data-testid="status-counts">
              {Object.entries(data.contributions)
                .map(([k, v]) => `${v} ${k}`)
                .join(", ") || "none"}
            </span>,
          ],
          ["created in", <TxLink h={s(data.txHash)} />],
        ]}
      />
      <Section title="Curators">
        {curators.length ? (
          <ul>
            {curators.map((a) => (
              <li key={a}>
                <Address a={a} full />
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">no curator: the owner curates</p>
        )}
      </Section>
      <Section title="Versions">
        {data.versions.length ? (
          <ListTable testid="versions" columns={["version", "Merkle root", "contributions", "parent", "URI"]}>
            {data.versions.map((v) => (
              <tr key={s(v.versionNumber)}>
                <td>{n(v.versionNumber)}</td>
                <td>
                  <Hash h={s(v.merkleRoot)} />
                </td>
                <td>{n(v.contributionCount)}</td>
                <td>{n(v.parentVersion) || "-"}</td>
                <td>
                  <Uri uri={s(v.uri)} />
                </td>
              </tr>
            ))}
          </ListTable>
        ) : (
          <p class="muted">no version published yet</p>
        )}
      </Section>
      <Section title="Contributions">
        <PagedList
          path={`/contributions?datanet=${id}&limit=100`}
          empty="no contribution yet"
          head={["contribution", "contributor", "status", "URI"]}
          row={(c) => [
            <a class="mono" href={`/contributions/${s(c.contributionId)}`}>
              {short(s(c.contributionId))}
            </a>,
            <Address a={s(c.contributor)} />,
            <span class={`status ${s(c.status)}`}>{s(c.status)}</span>,
            <Uri uri={s(c.uri)} />,
          ]}
        />
      </Section>
    </>
  );
}

interface VersionProof {
  versionNumber: number;
  root: string;
  contributionCount: number;
  included: boolean;
  leaf?: [string, string, string];
  proof?: string[];
}

/** Verifies each proof here, with OpenZeppelin's StandardMerkleTree, against the root read from the chain. */
async function verifiedProofs(datanetId: number, contributionId: string) {
  const proofs = await api<VersionProof[]>(`/contributions/${datanetId}/${contributionId}/proofs`);
  const registry = datanetsOn();
  return Promise.all(
    proofs.map(async (p) => {
      const onChain = ((await registry.version(datanetId, p.versionNumber)) as { merkleRoot: string })
        .merkleRoot;
      const verified =
        p.included && p.leaf && p.proof
          ? StandardMerkleTree.verify(onChain, ["bytes32", "address", "bytes32"], p.leaf, p.proof)
          : false;
      return { ...p, onChain: onChain.toLowerCase(), verified };
    }),
  );
}

function Proofs({ datanetId, contributionId }: { datanetId: number; contributionId: string }) {
  const r = useLoad(`proofs/${datanetId}/${contributionId}`, () => verifiedProofs(datanetId, contributionId));
  if (r.error) return <Failure error={r.error} />;
  if (!r.data) return <Loading />;
  if (r.data.length === 0) return <p class="muted">the datanet has published no version yet</p>;
  return (
    <ListTable
      testid="proofs"
      columns={["version", "included", "root on chain", "proof checked in this browser"]}
    >
      {r.data.map((p) => (
        <tr key={p.versionNumber}>
          <td>{p.versionNumber}</td>
          <td>{p.included ? "yes" : "no"}</td>
          <td>
            <Hash h={p.onChain} />
          </td>
          <td data-testid={`proof-${p.versionNumber}`}>
            {p.included ? (
              p.verified ? (
                <span class="ok">
                  verified: leaf (id, contributor, content hash) with {p.proof!.length} sibling hash
                  {p.proof!.length === 1 ? "" : "es"} gives the on-chain root
                </span>
              ) : (
                <span class="bad">FAILED: the proof does not give the on-chain root</span>
              )
            ) : (
              <span class="muted">not in this version (not accepted when it was published)</span>
            )}
          </td>
        </tr>
      ))}
    </ListTable>
  );
}

export function ContributionPage({ id }: { id: string }) {
  const found = useApi<Page<Row>>(`/contributions?id=${id}`);
  if (found.error) return <Failure error={found.error} />;
  if (!found.data) return <Loading />;
  const c = found.data.items[0];
  if (!c) return <Failure error={`no contribution ${id} in the index`} />;
  return <Contribution datanetId={n(c.datanetId)} id={id.toLowerCase()} />;
}

function Contribution({ datanetId, id }: { datanetId: number; id: string }) {
  const c = useApi<Row & { history: Row[] }>(`/contributions/${datanetId}/${id}`);
  if (c.error) return <Failure error={c.error} />;
  if (!c.data) return <Loading />;
  const data = c.data;
  return (
    <>
      <h1>Contribution</h1>
      <Facts
        rows={[
          ["id", <Hash h={s(data.contributionId)} />],
          ["datanet", <a href={`/datanets/${datanetId}`}>datanet {datanetId}</a>],
          ["contributor", <Address a={s(data.contributor)} full />],
          ["content hash", <Hash h={s(data.contentHash)} />],
          ["URI", <Uri uri={s(data.uri)} />],
          ["status", <span class={`status ${s(data.status)}`}>{s(data.status)}</span>],
          ["submitted in", <TxLink h={s(data.txHash)} />],
        ]}
      />
      <Section title="Status history">
        <ListTable columns={["status", "by", "reason code", "block", "transaction"]}>
          {data.history.map((h, i) => (
            <tr key={i}>
              <td>{s(h.status)}</td>
              <td>
                <Address a={s(h.actor)} />
              </td>
              <td>{h.reasonCode === null || h.reasonCode === undefined ? "-" : n(h.reasonCode)}</td>
              <td>{n(h.blockNumber)}</td>
              <td>
                <TxLink h={s(h.txHash)} />
              </td>
            </tr>
          ))}
        </ListTable>
      </Section>
      <Section title="Versions that include it">
        <Proofs datanetId={datanetId} contributionId={id} />
      </Section>
    </>
  );
}

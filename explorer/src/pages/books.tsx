/** The overview (`/`) and the books (`/books`): totals, the conservation identity with live numbers, solvency. */
import { networkName } from "../wallet.js";
import { api, chainStatus, distributorOn, tokenAt, useApi, useLoad, type Page } from "../api.js";
import { BOOKS_FIELDS, owedFromBooks } from "../../../src/sdk/read/ledger.js";
import { Address, Facts, Failure, Loading, Section, open, when } from "../format.js";

/** GET /totals. */
export interface Totals {
  counts: Record<string, number>;
  paidIn: string;
  split: { protocol: string; owner: string; royalty: string; contributors: string };
  finalisedPools: string;
  rolledForward: string;
  claimed: { total: string; settlement: string; direct: string };
  withdrawn: { total: string; owner: string; treasury: string; foreign: string };
  distributed: string;
}

type Books = Record<(typeof BOOKS_FIELDS)[number], bigint>;

/** The chain's side: the distributor's books() and its OPEN balance, read now. */
async function liveBooks() {
  const distributor = distributorOn();
  const raw = (await distributor.books()) as Record<string, bigint>;
  const books = Object.fromEntries(BOOKS_FIELDS.map((k) => [k, BigInt(raw[k])])) as Books;
  const token = (await distributor.token()) as string;
  const balance = (await tokenAt(token).balanceOf(chainStatus().addresses.distributor)) as bigint;
  const totals = await api<Totals>("/totals");
  const owed = owedFromBooks(books);
  const paidIn = BigInt(totals.paidIn);
  const distributed = BigInt(totals.distributed);
  return {
    books,
    token,
    balance,
    totals,
    owed,
    paidIn,
    distributed,
    balanced: paidIn === distributed + owed && paidIn === books.paidIn,
    solvent: balance >= owed,
  };
}

/** The identity paid in = distributed + still owed, with the numbers, and the solvency check. */
function Identity({ full }: { full: boolean }) {
  const { data, error, reload } = useLoad("books", liveBooks);
  if (error) return <Failure error={error} />;
  if (!data) return <Loading />;
  const b = data.books;
  return (
    <div class="books" data-testid="books">
      <p class={data.balanced ? "ok" : "bad"} data-testid="identity">
        {data.balanced ? "Balanced" : "NOT balanced"}: paid in {open(data.paidIn)} = distributed{" "}
        {open(data.distributed)} + still owed {open(data.owed)}
        {data.paidIn === b.paidIn ? "" : ` (the chain's books say paid in ${open(b.paidIn)})`}
      </p>
      <p class={data.solvent ? "ok" : "bad"} data-testid="solvency">
        {data.solvent ? "Solvent" : "INSOLVENT"}: the distributor holds {open(data.balance)}, owes{" "}
        {open(data.owed)}
        {data.solvent
          ? ` (surplus ${open(data.balance - data.owed)})`
          : ` (short ${open(data.owed - data.balance)})`}
      </p>
      {full ? (
        <>
          <Facts
            rows={[
              ["paid in (sum of payments, indexer)", open(data.paidIn)],
              ["paid in (books, chain)", open(b.paidIn)],
              ["claimed (settlement path)", open(data.totals.claimed.settlement)],
              ["claimed (direct path)", open(data.totals.claimed.direct)],
              ["withdrawn by model owners", open(data.totals.withdrawn.owner)],
              ["withdrawn by the treasury", open(data.totals.withdrawn.treasury)],
              ["distributed (claims + withdrawals)", open(data.distributed)],
              ["treasury accrued - withdrawn", open(b.treasuryAccrued - b.treasuryWithdrawn)],
              ["owners accrued - withdrawn", open(b.ownersAccrued - b.ownersWithdrawn)],
              ["staker reserve", open(b.stakerReserve)],
              ["claimable under settlements", open(b.claimable)],
              ["pools pending (not yet settled)", open(b.poolsPending)],
              ["still owed (sum of the five above)", open(data.owed)],
              ["distributor balance", open(data.balance)],
              ["rolled forward (moved between epochs, not owed twice)", open(b.rolledForward)],
            ]}
          />
          <h3>books() as the chain returns it</h3>
          <Facts rows={BOOKS_FIELDS.map((k) => [k, open(b[k])])} />
          <p class="muted">
            OPEN token <Address a={data.token} full />, distributor{" "}
            <Address a={chainStatus().addresses.distributor} full />.
          </p>
        </>
      ) : null}
      <button type="button" onClick={reload}>
        Read again
      </button>
    </div>
  );
}

export function BooksPage() {
  return (
    <>
      <h1>Books</h1>
      <p>
        Every OPEN paid for inference is either distributed (claimed by contributors, withdrawn by model
        owners and the treasury) or still owed by the distributor, and the distributor must hold at least what
        it owes. The numbers below are read live from the chain and the index.
      </p>
      <Identity full />
    </>
  );
}

interface Row {
  [k: string]: unknown;
}

export function Overview() {
  const totals = useApi<Totals>("/totals");
  const datanets = useApi<Page<Row>>("/datanets?limit=50");
  const models = useApi<Page<Row>>("/models?limit=50");
  const s = chainStatus();
  return (
    <>
      <h1>OpenLedger explorer</h1>
      <p>
        Every contribution, model, payment and claim of the suite on {networkName(s.chainId)}, indexed to
        block {s.cursor?.number ?? 0}
        {s.cursor?.timestamp ? ` (${when(s.cursor.timestamp)})` : ""}.
      </p>
      <Section title="Totals">
        {totals.error ? <Failure error={totals.error} /> : null}
        {totals.data ? (
          <Facts
            rows={[
              ["datanets", totals.data.counts.datanets],
              ["contributions", totals.data.counts.contributions],
              ["contributors", totals.data.counts.contributors],
              ["models", totals.data.counts.models],
              ["payments", totals.data.counts.payments],
              ["settlements", totals.data.counts.settlements],
              ["claims", totals.data.counts.claims],
              ["paid in", open(totals.data.paidIn)],
              ["to contributors' pools", open(totals.data.split.contributors)],
              ["claimed by contributors", open(totals.data.claimed.total)],
            ]}
          />
        ) : (
          <Loading />
        )}
      </Section>
      <Section title="Books">
        <Identity full={false} />
        <p>
          <a href="/books">The books in full</a>
        </p>
      </Section>
      <Section title="Datanets">
        {datanets.data ? (
          <ul>
            {datanets.data.items.map((d) => (
              <li key={String(d.datanetId)}>
                <a href={`/datanets/${Number(d.datanetId)}`}>datanet {Number(d.datanetId)}</a> owned by{" "}
                <Address a={String(d.owner)} />
              </li>
            ))}
          </ul>
        ) : (
          <Loading />
        )}
      </Section>
      <Section title="Models">
        {models.data ? (
          <ul>
            {models.data.items.map((m) => (
              <li key={String(m.modelId)}>
                <a href={`/models/${Number(m.modelId)}`}>model {Number(m.modelId)}</a> owned by{" "}
                <Address a={String(m.owner)} />, {open(String(m.pricePerUnit))} per unit
              </li>
            ))}
          </ul>
        ) : (
          <Loading />
        )}
      </Section>
    </>
  );
}

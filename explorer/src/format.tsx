/**
 * How chain data is shown. Everything read from the chain or the indexer is untrusted: it is
 * rendered as text nodes only (Preact escapes every string child; nothing here sets innerHTML),
 * and a URI becomes a link only when it is http, https or ipfs, opened with
 * rel="noopener noreferrer".
 */
import { formatUnits } from "ethers";
import type { ComponentChildren } from "preact";
import { LICENCE, POLICY, type LicenceName } from "../../src/sdk/constants.js";

/** An OPEN amount (18 decimals) from its decimal string: `12.5 OPEN`. */
export const open = (amount: string | bigint | null | undefined): string =>
  amount === null || amount === undefined ? "-" : `${formatUnits(BigInt(amount), 18)} OPEN`;

const LINKABLE = new Set(["http:", "https:", "ipfs:"]);

/** The URI as an href when it is http(s) or ipfs, otherwise undefined (rendered as text only). */
export function safeHref(uri: string | null | undefined): string | undefined {
  if (!uri) return undefined;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  return LINKABLE.has(url.protocol) ? url.href : undefined;
}

/** A URI from the chain: always its text; a link beside it only for http(s) and ipfs. */
export function Uri({ uri }: { uri: string | null | undefined }) {
  if (!uri) return <span class="muted">none</span>;
  const href = safeHref(uri);
  return (
    <span class="uri">
      <code class="untrusted">{uri}</code>{" "}
      {href ? (
        <a class="external" href={href} target="_blank" rel="noopener noreferrer">
          open
        </a>
      ) : (
        <span class="muted">(shown as text: only http, https and ipfs URIs are linked)</span>
      )}
    </span>
  );
}

const HEX40 = /^0x[0-9a-f]{40}$/i;
const HEX64 = /^0x[0-9a-f]{64}$/i;

export const short = (hex: string) => (hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-6)}` : hex);

export function Address({ a, full }: { a: string | null | undefined; full?: boolean }) {
  if (!a) return <span class="muted">none</span>;
  if (!HEX40.test(a)) return <code class="untrusted">{a}</code>;
  return (
    <a class="mono" href={`/accounts/${a.toLowerCase()}`} title={a}>
      {full ? a.toLowerCase() : short(a.toLowerCase())}
    </a>
  );
}

export function TxLink({ h }: { h: string | null | undefined }) {
  if (!h || !HEX64.test(h)) return <span class="muted">none</span>;
  return (
    <a class="mono" href={`/tx/${h.toLowerCase()}`} title={h}>
      {short(h)}
    </a>
  );
}

export const Hash = ({ h }: { h: string | null | undefined }) => <code class="mono hash">{h ?? "none"}</code>;

const USE_WORDS: Record<LicenceName, string> = {
  research: "research",
  commercialInference: "commercial inference",
  fineTuning: "fine-tuning",
  redistribution: "redistribution of the data",
  derivatives: "derivative models",
};

/** Declared-use bits in words: `commercial inference, fine-tuning` (or `none`). */
export function usesWords(bits: number | string): string {
  const n = Number(bits);
  const names = (Object.keys(LICENCE) as LicenceName[]).filter((k) => (n & LICENCE[k]) !== 0);
  return names.length ? names.map((k) => USE_WORDS[k]).join(", ") : "none";
}

/** Licence bits in words: what it allows and what it does not. */
export function licenceWords(bits: number | string): string {
  const n = Number(bits);
  const names = Object.keys(LICENCE) as LicenceName[];
  const allowed = names.filter((k) => (n & LICENCE[k]) !== 0).map((k) => USE_WORDS[k]);
  const denied = names.filter((k) => (n & LICENCE[k]) === 0).map((k) => USE_WORDS[k]);
  return `allows ${allowed.length ? allowed.join(", ") : "no use"}${denied.length ? `; does not allow ${denied.join(", ")}` : ""}`;
}

/** The contribution policy in words. */
export function policyWords(policy: number | string): string {
  const n = Number(policy);
  if (n === POLICY.open) return "open: anyone may contribute";
  if (n === POLICY.allowlist) return "allow-list: only accounts the owner listed may contribute";
  return `unknown policy ${n}`;
}

export const Section = ({ title, children }: { title: string; children: ComponentChildren }) => (
  <section>
    <h2>{title}</h2>
    {children}
  </section>
);

/** A two-column table of label / value rows. */
export const Facts = ({ rows }: { rows: [string, ComponentChildren][] }) => (
  <table class="facts">
    <tbody>
      {rows.map(([k, v]) => (
        <tr key={k}>
          <th scope="row">{k}</th>
          <td data-fact={k}>{v}</td>
        </tr>
      ))}
    </tbody>
  </table>
);

/** A `table.list`: its header row, one cell a column, then `children`, the body rows. */
export const ListTable = ({
  columns,
  testid,
  children,
}: {
  columns: readonly string[];
  testid?: string;
  children: ComponentChildren;
}) => (
  <table class="list" data-testid={testid}>
    <thead>
      <tr>
        {columns.map((c, i) => (
          <th key={i}>{c}</th>
        ))}
      </tr>
    </thead>
    <tbody>{children}</tbody>
  </table>
);

/** A `form.action` whose submit runs `onSubmit` in the page instead of navigating. */
export const ActionForm = ({
  onSubmit,
  children,
}: {
  onSubmit: () => Promise<unknown> | void;
  children: ComponentChildren;
}) => (
  <form
    class="action"
    onSubmit={(e) => {
      e.preventDefault();
      void onSubmit();
    }}
  >
    {children}
  </form>
);

/** An epoch's payments: what a model's per-epoch rows start with. */
export interface EpochPayments {
  epoch: number;
  payments: number;
  amount: string;
  contributors: string;
}

/** The first cells of a model's epoch row: the epoch (a link), its payments, what they paid, the contributors' pool. */
export const EpochCells = ({ modelId, e }: { modelId: string; e: EpochPayments }) => (
  <>
    <td>
      <a href={`/models/${modelId}/epochs/${e.epoch}`}>epoch {e.epoch}</a>
    </td>
    <td>{e.payments}</td>
    <td>{open(e.amount)}</td>
    <td>{open(e.contributors)}</td>
  </>
);

export const Loading = () => <p class="muted">loading…</p>;
export const Failure = ({ error }: { error: string }) => (
  <p class="error" role="alert">
    {error}
  </p>
);

/** Seconds since the epoch as an ISO time (UTC). */
export const when = (seconds: number | string | null | undefined) =>
  seconds === null || seconds === undefined
    ? "-"
    : new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z").replace("T", " ");

/** An API row as the pages read it. */
export type Row = Record<string, unknown>;
/** A row's numeric field. */
export const n = (v: unknown): number => Number(v);
/** A row's field as text (empty when absent). */
export const s = (v: unknown): string => String(v ?? "");

/** A large integer with its digits grouped by thousands: `1,000,000,000,000,000,000`. */
export function grouped(value: string | bigint | null | undefined): string {
  if (value === null || value === undefined || value === "") return "-";
  return BigInt(value).toLocaleString("en-US");
}

/** A commitment's total weight: grouped, with the fixed-point scale of the default (10^18 = 1). */
export function totalWeightWords(total: string | bigint | null | undefined): string {
  if (total === null || total === undefined || total === "") return "-";
  const t = BigInt(total);
  return t === 10n ** 18n ? `${grouped(t)} (10^18: each leaf's share is its weight / 10^18)` : grouped(t);
}

/** One challenge row's kind in words (the indexer's `challenges.kind` and `commitment_stands`). */
export function challengeWords(kind: string, commitmentStands: unknown): string {
  if (kind === "challenged") return "challenged";
  if (kind === "weight-sum-proven")
    return "proven on chain that the weights do not add up to the total (voided)";
  if (kind === "resolved")
    return commitmentStands === true ||
      commitmentStands === 1 ||
      commitmentStands === "1" ||
      commitmentStands === "true"
      ? "resolved: the commitment stands"
      : "resolved against the commitment (voided)";
  return kind;
}

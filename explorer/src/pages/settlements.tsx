/**
 * Settlement roots (`/settlements`, `/settlements/<id>`): each posted root with its status
 * (pending until its dispute window ends, activated, or rejected and by which dispute), the
 * disputes with the fault proven, the operator's slash and the disputer's reward; "Activate" for a
 * pending root past its window and "Dispute" with a fraud proof from a file.
 */
import { useState } from "preact/hooks";
import { chainStatus, chainTime, disputesOn, settlementQueueOn, useApi, useLoad } from "../api.js";
import { parseDisputeFile, DisputeFileError } from "../dispute.js";
import {
  Address,
  Failure,
  Hash,
  Loading,
  Section,
  TxLink,
  Uri,
  n,
  open,
  s,
  when,
  type Row,
  ListTable,
  ActionForm,
} from "../format.js";
import { PreflightError, signer, useAction } from "../wallet.js";
import { ResultLine, sendChecked } from "./staking.js";

/** A posted root as GET /settlements gives it. */
export interface Posting extends Row {
  status: "pending" | "activated" | "rejected";
  windowEnded: boolean | null;
  activation: Row | null;
  rejection: (Row & { dispute: Row | null }) | null;
  disputes: Row[];
}

const FAULT_WORDS: Record<string, string> = {
  Underpaid: "a leaf pays its account less than its entitlement",
  Omitted: "an account owed OPEN has no leaf",
  BrokenLink: "a leaf links to an account not above its own",
  BadSentinel: "the sentinel leaf carries an amount or a prefix",
  AboveTotal: "a leaf's prefix plus amount exceeds the total",
  TotalMismatch: "the last leaf does not add up to the total",
  DuplicateAccount: "two leaves of one account",
  LeafInsideGap: "a leaf between another leaf and its link",
  BrokenPrefix: "a leaf's prefix is not its predecessor's prefix plus amount",
};

/** A dispute's fault in words. */
export const faultWords = (fault: string) =>
  `${fault}${FAULT_WORDS[fault] ? ` (${FAULT_WORDS[fault]})` : ""}`;

/** A posting's status in words, with the window's end while pending. */
export function statusWords(p: Posting, now: number | undefined): string {
  if (p.status === "activated") return "activated: live, claims are proven against it";
  if (p.status === "rejected") {
    const d = p.rejection?.dispute;
    return `rejected${d ? `: dispute proved ${faultWords(s(d.fault))}` : ""}`;
  }
  const end = n(p.activatesAt);
  const ended = now !== undefined ? now >= end : p.windowEnded === true;
  return ended
    ? `pending: its dispute window ended at ${when(end)}; anyone may activate it`
    : `pending: disputable until ${when(end)}`;
}

function DisputeRows({ disputes }: { disputes: Row[] }) {
  if (disputes.length === 0) return <p class="muted">no dispute</p>;
  return (
    <ListTable
      testid="disputes"
      columns={["fault", "account", "disputer", "operator slashed", "disputer's reward", "tx"]}
    >
      {disputes.map((d, i) => (
        <tr key={i}>
          <td>{faultWords(s(d.fault))}</td>
          <td>
            <Address a={s(d.account)} />
          </td>
          <td>
            <Address a={s(d.disputer)} />
          </td>
          <td>{open(s(d.slashed))}</td>
          <td>{open(s(d.reward))}</td>
          <td>
            <TxLink h={s(d.txHash)} />
          </td>
        </tr>
      ))}
    </ListTable>
  );
}

/** `/settlements`: every posted root, newest first, with status. */
export function SettlementsPage() {
  const r = useApi<{ items: Posting[]; next: string | null }>("/settlements?limit=1000");
  const now = useLoad("chain-time", chainTime);
  if (r.error) return <Failure error={r.error} />;
  if (!r.data) return <Loading />;
  const items = [...r.data.items].reverse();
  return (
    <>
      <h1>Settlements</h1>
      <p class="muted">
        A posted settlement root is pending for its dispute window while the previous one stays live; anyone
        can prove on chain that it underpays, omits or over-allocates an account, which rejects it and slashes
        its operator. Past the window anyone can activate it.
      </p>
      {items.length === 0 ? (
        <p class="muted">no settlement posted yet</p>
      ) : (
        <ListTable
          testid="settlements"
          columns={["settlement", "status", "total", "operator", "disputes", "posted in"]}
        >
          {items.map((p) => (
            <tr key={`${s(p.blockNumber)}.${s(p.logIndex)}`} data-status={p.status}>
              <td>
                <a href={`/settlements/${n(p.settlementId)}`}>#{n(p.settlementId)}</a>
              </td>
              <td class={p.status === "rejected" ? "bad" : p.status === "activated" ? "ok" : ""}>
                {statusWords(p, now.data)}
              </td>
              <td>{open(s(p.total))}</td>
              <td>
                <Address a={s(p.operator)} />
              </td>
              <td>{p.disputes.length}</td>
              <td>
                <TxLink h={s(p.txHash)} />
              </td>
            </tr>
          ))}
        </ListTable>
      )}
      {r.data.next ? <p class="muted">showing the first 1,000 roots</p> : null}
    </>
  );
}

/** `/settlements/<id>`: every root posted under that number, with the actions a pending one takes. */
export function SettlementPage({ id }: { id: string }) {
  const r = useApi<{ settlementId: number; postings: Posting[] }>(`/settlements/${id}`);
  const now = useLoad(`chain-time/${id}`, chainTime);
  if (r.error) return <Failure error={r.error} />;
  if (!r.data) return <Loading />;
  return (
    <>
      <h1>Settlement #{id}</h1>
      {r.data.postings.length > 1 ? (
        <p class="muted">
          {r.data.postings.length} roots were posted under this number: a rejected root&apos;s number is taken
          by the next one posted.
        </p>
      ) : null}
      {r.data.postings.map((p, i) => {
        const last = i === r.data!.postings.length - 1;
        return (
          <Section key={i} title={`Root ${i + 1} of ${r.data!.postings.length}`}>
            <table class="facts">
              <tbody>
                <tr>
                  <th scope="row">status</th>
                  <td data-testid={last ? "settlement-status" : undefined}>{statusWords(p, now.data)}</td>
                </tr>
                <tr>
                  <th scope="row">root</th>
                  <td>
                    <Hash h={s(p.root)} />
                  </td>
                </tr>
                <tr>
                  <th scope="row">total</th>
                  <td>{open(s(p.total))}</td>
                </tr>
                <tr>
                  <th scope="row">covers finalisations up to</th>
                  <td>#{n(p.coveredThroughSeq)}</td>
                </tr>
                <tr>
                  <th scope="row">operator</th>
                  <td>
                    <Address a={s(p.operator)} full />
                  </td>
                </tr>
                <tr>
                  <th scope="row">dispute window ends</th>
                  <td>{when(n(p.activatesAt))}</td>
                </tr>
                <tr>
                  <th scope="row">table and proofs</th>
                  <td>
                    <Uri uri={s(p.uri)} />
                  </td>
                </tr>
                <tr>
                  <th scope="row">posted in</th>
                  <td>
                    <TxLink h={s(p.txHash)} />
                  </td>
                </tr>
                {p.activation ? (
                  <tr>
                    <th scope="row">activated in</th>
                    <td>
                      <TxLink h={s(p.activation.txHash)} />
                    </td>
                  </tr>
                ) : null}
                {p.rejection ? (
                  <tr>
                    <th scope="row">rejected in</th>
                    <td>
                      <TxLink h={s(p.rejection.txHash)} /> (disputer <Address a={s(p.rejection.disputer)} />)
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
            <h3>Disputes</h3>
            <DisputeRows disputes={p.disputes} />
            {last ? (
              <PendingActions posting={p} now={now.data} onDone={() => (r.reload(), now.reload())} />
            ) : null}
          </Section>
        );
      })}
    </>
  );
}

/**
 * Activate (past the window) or dispute (inside it) the pending root. Stays mounted once the root
 * is activated or rejected, to show the outcome of the action sent from here.
 */
function PendingActions({
  posting,
  now,
  onDone,
}: {
  posting: Posting;
  now: number | undefined;
  onDone: () => void;
}) {
  const activate = useAction();
  const dispute = useAction();
  const [file, setFile] = useState<{ name: string; text: string }>();
  const pending = posting.status === "pending";
  const ended = now !== undefined && now >= n(posting.activatesAt);

  /** The chain's pending root is this posting's (the index may lag), or a one-line refusal. */
  const checkPending = async () => {
    const pending = (await settlementQueueOn().pendingSettlement()) as { root: string; activatesAt: bigint };
    if (/^0x0+$/.test(pending.root))
      throw new PreflightError(
        "no settlement is pending on chain any more (activated or rejected): reload the page",
      );
    if (pending.root.toLowerCase() !== s(posting.root))
      throw new PreflightError(`the pending root on chain is ${pending.root}, not this one: reload the page`);
    return { activatesAt: Number(pending.activatesAt), time: await chainTime() };
  };

  const runActivate = () =>
    activate.run(async (say) => {
      const { activatesAt, time } = await checkPending();
      if (time < activatesAt)
        throw new PreflightError(
          `its dispute window is open until ${when(activatesAt)}: activate it after that`,
        );
      const queue = settlementQueueOn(await signer());
      const hash = await sendChecked(queue.activateSettlement, [], say);
      onDone();
      return { ok: true, text: `settlement #${n(posting.settlementId)} activated`, tx: hash };
    });

  const runDispute = () =>
    dispute.run(async (say) => {
      if (!file) throw new PreflightError("pick the dispute file (JSON) the proof builder wrote");
      let call;
      try {
        call = parseDisputeFile(file.text);
      } catch (error) {
        if (error instanceof DisputeFileError) throw new PreflightError(`${file.name}: ${error.message}`);
        throw error;
      }
      if (call.root && call.root !== s(posting.root))
        throw new PreflightError(
          `${file.name} proves against root ${call.root}, not this pending root: build the proof again against ${s(posting.root)}`,
        );
      const { activatesAt, time } = await checkPending();
      if (time >= activatesAt)
        throw new PreflightError(
          `its dispute window closed at ${when(activatesAt)}: it can no longer be disputed`,
        );
      const disputes = disputesOn(await signer());
      const fn = disputes.getFunction(call.function);
      const hash = await sendChecked(fn, call.args, say);
      onDone();
      return {
        ok: true,
        text: `dispute sent (${call.function}): the root is rejected and its operator slashed`,
        tx: hash,
      };
    });

  return (
    <div class="action-group">
      {pending ? <h3>Actions</h3> : null}
      {pending && ended ? (
        <p>
          <button
            type="button"
            disabled={activate.busy}
            onClick={() => void runActivate()}
            data-testid="activate"
          >
            Activate
          </button>{" "}
          <span class="muted">makes this root live (anyone may, now that its window has ended)</span>
        </p>
      ) : null}
      <ResultLine result={activate.result} testid="activate-result" />
      {pending && !ended && chainStatus().addresses.settlementDisputes ? (
        <ActionForm onSubmit={runDispute}>
          <label>
            fraud proof (JSON){" "}
            <input
              type="file"
              name="dispute-file"
              accept="application/json,.json"
              onChange={(e) => {
                const f = (e.target as HTMLInputElement).files?.[0];
                if (!f) return setFile(undefined);
                void f.text().then((text) => setFile({ name: f.name, text }));
              }}
            />
          </label>{" "}
          <button type="submit" disabled={dispute.busy} data-testid="dispute">
            Dispute
          </button>
          <p class="muted">
            The file names the dispute function and its arguments ({"{"}&quot;function&quot;:
            &quot;disputeLeaf&quot;, &quot;args&quot;: […]{"}"}); it is checked, then simulated against the
            chain before your wallet is asked.
          </p>
        </ActionForm>
      ) : null}
      <ResultLine result={dispute.result} testid="dispute-result" />
    </div>
  );
}

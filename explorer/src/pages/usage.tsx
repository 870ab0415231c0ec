/**
 * Usage vouchers on the account and model pages: a payer's escrow balance, pending withdrawal and
 * redeemed vouchers; a model's voucher revenue per epoch and the usage roots its vouchers committed.
 */
import {
  Address,
  Facts,
  Failure,
  Loading,
  TxLink,
  n,
  open,
  s,
  short,
  when,
  type Row,
  ListTable,
  EpochCells,
  type EpochPayments,
} from "../format.js";
import { useApi, type Page } from "../api.js";
import { PagedList } from "./datanet.js";

/** A usage root, shortened (the whole root on hover). */
const UsageRoot = ({ h }: { h: string }) => (
  <code class="mono" title={h}>
    {short(h)}
  </code>
);

interface PayerUsage {
  escrow: string | null;
  balance: string;
  balanceAfterLastDeposit: string | null;
  pendingWithdrawal: { amount: string; withdrawableAt: number; txHash: string } | null;
  deposited: { count: number; amount: string };
  redeemed: { count: number; amount: string };
  withdrawn: { count: number; amount: string };
  vouchers: Page<Row>;
}

/** The account as a payer of usage vouchers (nothing when it never used the escrow). */
export function PayerUsageSection({ address }: { address: string }) {
  const r = useApi<PayerUsage>(`/usage/payers/${address}`);
  if (r.error) return <Failure error={r.error} />;
  if (!r.data) return <Loading />;
  const d = r.data;
  if (d.deposited.count === 0 && d.redeemed.count === 0)
    return <p class="muted">no usage-voucher deposit or redemption by this account</p>;
  return (
    <div data-testid="payer-usage">
      <Facts
        rows={[
          ["escrow balance", <span data-testid="escrow-balance">{open(d.balance)}</span>],
          [
            "pending withdrawal",
            d.pendingWithdrawal ? (
              <span data-testid="pending-withdrawal">
                {open(d.pendingWithdrawal.amount)}, executable from {when(d.pendingWithdrawal.withdrawableAt)}{" "}
                <TxLink h={d.pendingWithdrawal.txHash} />
              </span>
            ) : (
              "none"
            ),
          ],
          ["deposited", `${open(d.deposited.amount)} in ${d.deposited.count} deposit(s)`],
          [
            "vouchers redeemed",
            <span data-testid="vouchers-redeemed">{`${open(d.redeemed.amount)} in ${d.redeemed.count} redemption(s)`}</span>,
          ],
          ["withdrawn", `${open(d.withdrawn.amount)} in ${d.withdrawn.count} withdrawal(s)`],
          ["escrow", <Address a={d.escrow} full />],
        ]}
      />
      <PagedList
        path={`/usage/vouchers?payer=${address}&limit=50`}
        head={["model", "usage root", "cumulative units", "units charged", "OPEN", "unpaid units", "tx"]}
        row={(v) => [
          <a href={`/models/${n(v.modelId)}`}>model {n(v.modelId)}</a>,
          <UsageRoot h={s(v.usageRoot)} />,
          s(v.cumulativeUnits),
          s(v.units),
          open(s(v.amount)),
          s(v.unpaidUnits),
          <TxLink h={s(v.txHash)} />,
        ]}
        empty="no voucher redeemed"
      />
    </div>
  );
}

interface ModelUsage {
  escrow: string | null;
  redemptions: number;
  payers: number;
  units: string;
  revenue: string;
  perEpoch: EpochPayments[];
}

/** A model's voucher revenue per epoch and its usage roots. */
export function ModelUsageSection({ id }: { id: string }) {
  const r = useApi<ModelUsage>(`/usage/models/${id}`);
  if (r.error) return <Failure error={r.error} />;
  if (!r.data) return <Loading />;
  const d = r.data;
  if (d.redemptions === 0) return <p class="muted">no usage voucher redeemed for this model</p>;
  return (
    <div data-testid="model-usage">
      <p>
        <span data-testid="voucher-revenue">{open(d.revenue)}</span> from {d.redemptions} redeemed voucher(s)
        of {d.payers} payer(s), {d.units} unit(s) of inference.
      </p>
      <ListTable
        testid="voucher-epochs"
        columns={["epoch", "voucher payments", "paid", "contributors' pool"]}
      >
        {d.perEpoch.map((e) => (
          <tr key={e.epoch}>
            <EpochCells modelId={id} e={e} />
          </tr>
        ))}
      </ListTable>
      <h3>Usage roots</h3>
      <p class="muted">Each voucher commits a root of the inference receipts it pays for.</p>
      <PagedList
        path={`/usage/vouchers?model=${id}&limit=50`}
        head={["payer", "usage root", "cumulative units", "OPEN", "tx"]}
        row={(v) => [
          <Address a={s(v.payer)} />,
          <UsageRoot h={s(v.usageRoot)} />,
          s(v.cumulativeUnits),
          open(s(v.amount)),
          <TxLink h={s(v.txHash)} />,
        ]}
        empty="no voucher redeemed"
      />
    </div>
  );
}

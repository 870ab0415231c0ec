/**
 * Paid outputs: a table whose outputs were taken from inference receipts names the published
 * receipt proofs and the usage escrow (`inputs.receipts`); the verifier checks that the escrow is
 * the one the distributor credits usage from, and that every output the table attributed (each id
 * of its published outputs file) is a receipt proven into a usage root that a `VoucherRedeemed` of
 * that escrow carried for that model, up to the block verified.
 */
import { getAddress, isAddress, type Provider } from "ethers";
import { contentHashOf } from "../attribution/corpus.js";
import type { WeightTable } from "../attribution/index.js";
import type { Suite } from "../sdk/suite.js";
import { UsageEscrow__factory } from "../../typechain-types/index.js";
import { receiptFromJson, type ReceiptProof } from "../usage/receipts.js";
import { checkPaidOutputs } from "../usage/paid-outputs.js";
import type { FetchBytes } from "./fetch.js";
import { s, where, type Recorder } from "./report.js";
import { readUriBytes } from "./tables.js";

/** What the check reads with. */
export interface PaidOutputsContext {
  suite: Suite;
  provider: Provider;
  block: number;
  fetchContent?: FetchBytes;
}

/** Checks the paid outputs of every table that names receipts; returns how many tables it checked. */
export async function checkPaidOutputTables(
  tables: Iterable<WeightTable>,
  r: Recorder,
  context: PaidOutputsContext,
): Promise<number> {
  let checked = 0;
  const roleOf = new Map<string, boolean>();
  for (const table of tables) {
    const receipts = table.inputs?.receipts;
    if (receipts === undefined) continue;
    checked++;
    const base = { modelId: s(table.modelId), epoch: s(table.epoch) };
    const fail = (
      kind: "paid-outputs-unavailable" | "paid-outputs-escrow",
      expected: string,
      message: string,
    ) =>
      r.assert(false, { kind, ...base, expected, actual: "not so", message: `${where(table)}: ${message}` });
    if (!isAddress(receipts.escrow)) {
      fail(
        "paid-outputs-escrow",
        "an escrow address",
        `inputs.receipts.escrow ${receipts.escrow} is not an address`,
      );
      continue;
    }
    const escrowAddress = getAddress(receipts.escrow);
    if (!roleOf.has(escrowAddress)) {
      const role = await context.suite.distributor.USAGE_ESCROW_ROLE();
      const held = await context.suite.distributor.hasRole(role, escrowAddress, { blockTag: context.block });
      roleOf.set(escrowAddress, held);
    }
    if (
      !r.assert(roleOf.get(escrowAddress)!, {
        kind: "paid-outputs-escrow",
        ...base,
        expected: "an escrow holding the distributor's USAGE_ESCROW_ROLE",
        actual: escrowAddress,
        message: `${where(table)}: the receipts name escrow ${escrowAddress}, which the distributor does not credit usage from`,
      })
    )
      continue;
    let proofs: ReceiptProof[];
    let ids: string[];
    try {
      proofs = parseProofs(await readChecked(receipts.uri, receipts.contentHash, context.fetchContent));
      const outputs = table.inputs?.outputs;
      if (outputs === undefined)
        throw new Error("the table names receipts but no published outputs (inputs.outputs)");
      ids = outputIds(await readChecked(outputs.uri, outputs.contentHash, context.fetchContent));
    } catch (error) {
      fail("paid-outputs-unavailable", `the receipts at ${receipts.uri}`, (error as Error).message);
      continue;
    }
    r.equal(s(receipts.count), s(proofs.length), {
      kind: "paid-outputs-unavailable",
      ...base,
      message: `${where(table)}: inputs.receipts.count differs from the proofs published`,
    });
    const escrow = UsageEscrow__factory.connect(escrowAddress, context.provider);
    const logs = await escrow.queryFilter(
      escrow.filters.VoucherRedeemed(undefined, table.modelId),
      0,
      context.block,
    );
    const roots = new Set(logs.map((l) => l.args.usageRoot.toLowerCase()));
    const unpaid = new Map(checkPaidOutputs(ids, proofs, roots).map((u) => [u.outputId, u.problem]));
    for (const id of ids) {
      const problem = unpaid.get(id.toLowerCase());
      r.assert(problem === undefined, {
        kind: "unpaid-output",
        ...base,
        expected: "a receipt proven into a redeemed usage root of this model",
        actual: problem ?? "",
        message: `${where(table)}: attributed output ${id} is not shown paid (${problem})`,
      });
    }
  }
  return checked;
}

async function readChecked(uri: string, contentHash: string, fetcher?: FetchBytes): Promise<Uint8Array> {
  const bytes = await readUriBytes(uri, fetcher);
  const actual = await contentHashOf(bytes);
  if (actual !== contentHash.toLowerCase())
    throw new Error(`${uri} hashes to ${actual}, not the ${contentHash} published for it`);
  return bytes;
}

function parseProofs(bytes: Uint8Array): ReceiptProof[] {
  const json = JSON.parse(Buffer.from(bytes).toString("utf8")) as unknown;
  if (!Array.isArray(json)) throw new Error("the receipt proofs file is not a JSON array");
  return json.map((p: { receipt?: unknown; usageRoot?: unknown; proof?: unknown }, i) => {
    if (typeof p.usageRoot !== "string" || !Array.isArray(p.proof))
      throw new Error(`receipt proof ${i} needs usageRoot and proof`);
    return {
      receipt: receiptFromJson(p.receipt, `proof ${i}.receipt`),
      usageRoot: p.usageRoot,
      proof: p.proof as string[],
    };
  });
}

function outputIds(bytes: Uint8Array): string[] {
  return Buffer.from(bytes)
    .toString("utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l, i) => {
      const id = (JSON.parse(l) as { id?: unknown }).id;
      if (typeof id !== "string") throw new Error(`line ${i + 1} of the outputs file has no string id`);
      return id;
    });
}

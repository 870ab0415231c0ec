/**
 * Reads the explorer's pages need beyond the lists of `queries.ts`: totals of the whole index, a
 * model's payments per epoch, one (model, epoch), the events of a transaction, a contribution's
 * inclusion proofs in every version of its datanet, and search. Same conventions as `queries.ts`:
 * amounts decimal strings (summed exactly in SQL, see sums.ts, never as floats), ids JSON numbers,
 * addresses and hashes lower-case.
 */
import { attributionTree } from "../attribution/tree.js";
import { weightTableFromJson } from "../attribution/table-io.js";
import { FastMerkleTree, VERSION_LEAF_ENCODING } from "../merkle/index.js";
import { fetchText } from "../verifier/fetch.js";
import type { SqlDatabase, SqlValue } from "./db.js";
import { LIVE_SETTLEMENT_SQL, rows } from "./queries.js";
import { stakingTotals } from "./staking.js";
import { amountSum, amountSumSql, sumColumns } from "./sums.js";

async function count(db: SqlDatabase, sql: string, params: SqlValue[] = []): Promise<number> {
  const [row] = await db.all<{ n: number }>(sql, params);
  return Number(row?.n ?? 0);
}

/**
 * Totals of the index: how many of each thing, and every amount that entered or left the
 * distributor (the index's side of the books; the chain's `books()` is the other side).
 */
export async function totals(db: SqlDatabase) {
  // Every amount is summed in SQL, exactly (sums.ts): one row per table, not one per payment.
  const payments = await sumColumns(db, "payments", [
    "amount",
    "protocol_share",
    "owner_share",
    "royalty_share",
    "contributor_share",
  ]);
  const claimsOn = async (path?: string) =>
    sumColumns(db, path === undefined ? "claims" : "claims WHERE path = ?", ["amount"], path ? [path] : []);
  const claims = await claimsOn();
  const withdrawnAs = async (kind?: string) =>
    (
      await sumColumns(
        db,
        kind === undefined ? "withdrawals" : "withdrawals WHERE kind = ?",
        ["amount"],
        kind ? [kind] : [],
      )
    ).sums.amount;
  const rolled = (await sumColumns(db, "roll_forwards", ["amount"])).sums.amount;
  const finalised = (await sumColumns(db, "finalisations", ["pool"])).sums.pool;
  const { stakersReleased: released, staking, token } = await stakingTotals(db);
  const claimed = claims.sums.amount;
  const withdrawn = await withdrawnAs();
  const foreign = await withdrawnAs("foreign");
  return {
    counts: {
      datanets: await count(db, "SELECT COUNT(*) AS n FROM datanets"),
      contributions: await count(db, "SELECT COUNT(*) AS n FROM contributions"),
      contributors: await count(db, "SELECT COUNT(DISTINCT contributor) AS n FROM contributions"),
      versions: await count(db, "SELECT COUNT(*) AS n FROM versions"),
      models: await count(db, "SELECT COUNT(*) AS n FROM models"),
      payments: payments.n,
      commitments: await count(db, "SELECT COUNT(*) AS n FROM commitments"),
      settlements: await count(db, "SELECT COUNT(*) AS n FROM settlements"),
      claims: claims.n,
      operators: await count(
        db,
        "SELECT COUNT(*) AS n FROM (SELECT operator FROM operator_listings UNION SELECT operator FROM stakes) AS o",
      ),
      tokenTransfers: token.transfers,
    },
    paidIn: payments.sums.amount.toString(),
    split: {
      protocol: payments.sums.protocol_share.toString(),
      owner: payments.sums.owner_share.toString(),
      royalty: payments.sums.royalty_share.toString(),
      contributors: payments.sums.contributor_share.toString(),
    },
    finalisedPools: finalised.toString(),
    rolledForward: rolled.toString(),
    claimed: {
      total: claimed.toString(),
      settlement: (await claimsOn("settlement")).sums.amount.toString(),
      direct: (await claimsOn("direct")).sums.amount.toString(),
    },
    withdrawn: {
      total: withdrawn.toString(),
      owner: (await withdrawnAs("owner")).toString(),
      treasury: (await withdrawnAs("treasury")).toString(),
      foreign: foreign.toString(),
    },
    stakersReleased: released.toString(),
    staking,
    token: { minted: token.minted, burned: token.burned, supply: token.supply },
    /** What left the distributor in OPEN: claims, owner and treasury withdrawals, and the staker reserve released to staking. */
    distributed: (claimed + withdrawn - foreign + released).toString(),
  };
}

/** A model's payments summed per epoch, with each epoch's commitment, challenge and finalisation state. */
export async function modelEpochs(db: SqlDatabase, modelId: number) {
  // Summed per epoch in SQL (one row per epoch, not one per payment): exact, see sums.ts.
  const columns: [string, string][] = [
    ["amount", "amount"],
    ["protocol_share", "protocol"],
    ["owner_share", "owner"],
    ["royalty_share", "royalty"],
    ["contributor_share", "contributors"],
  ];
  const sums = await db.all(
    `SELECT epoch, COUNT(*) AS n, ${columns.map(([c, a]) => amountSumSql(db, c, a)).join(", ")}
       FROM payments WHERE model_id = ? GROUP BY epoch ORDER BY epoch`,
    [modelId],
  );
  const history = (table: string) =>
    rows(db, `SELECT * FROM ${table} WHERE model_id = ? ORDER BY block_number, log_index`, [modelId]);
  const commitments = await history("commitments");
  const challenges = await history("challenges");
  const finalisations = await history("finalisations");
  const byEpoch = new Map(sums.map((r) => [Number(r.epoch), r]));
  const epochs = new Set<number>(byEpoch.keys());
  for (const c of commitments) epochs.add(Number(c.epoch));
  return [...epochs]
    .sort((a, b) => a - b)
    .map((epoch) => {
      const row = byEpoch.get(epoch);
      const total = (alias: string) => amountSum(row, alias).toString();
      return {
        epoch,
        payments: Number(row?.n ?? 0),
        amount: total("amount"),
        protocol: total("protocol"),
        owner: total("owner"),
        royalty: total("royalty"),
        contributors: total("contributors"),
        commitment: commitments.filter((c) => c.epoch === epoch).at(-1) ?? null,
        challenges: challenges.filter((c) => c.epoch === epoch),
        finalisation: finalisations.find((f) => f.epoch === epoch) ?? null,
      };
    });
}

/** Every decoded event of one transaction, in log order (404 when the index has none). */
export async function transactionView(db: SqlDatabase, txHash: string) {
  const events = await rows(db, "SELECT * FROM events WHERE tx_hash = ? ORDER BY log_index", [
    txHash.toLowerCase(),
  ]);
  if (events.length === 0) return undefined;
  return { txHash: txHash.toLowerCase(), blockNumber: events[0].blockNumber, events };
}

/**
 * A contribution's place in each version of its datanet: the version's members are the
 * contributions whose last status event before the version's VersionPublished is an acceptance
 * (what `versionMembership` of the SDK computes from the logs), the tree is rebuilt from them and
 * checked against the committed root, and for each version holding the contribution the leaf
 * and its proof are given, for the reader to verify against the root themselves.
 */
export async function contributionProofs(db: SqlDatabase, datanetId: number, contributionId: string) {
  const id = contributionId.toLowerCase();
  const versions = await db.all<{
    version_number: number;
    merkle_root: string;
    contribution_count: number;
    block_number: number;
    log_index: number;
  }>(
    "SELECT version_number, merkle_root, contribution_count, block_number, log_index FROM versions WHERE datanet_id = ? ORDER BY block_number, log_index",
    [datanetId],
  );
  if (versions.length === 0) return [];
  const contributions = await db.all<{ contribution_id: string; contributor: string; content_hash: string }>(
    "SELECT contribution_id, contributor, content_hash FROM contributions WHERE datanet_id = ?",
    [datanetId],
  );
  const byId = new Map(contributions.map((c) => [c.contribution_id, c]));
  const history = await db.all<{
    contribution_id: string;
    status: string;
    block_number: number;
    log_index: number;
  }>(
    "SELECT contribution_id, status, block_number, log_index FROM contribution_status WHERE datanet_id = ? ORDER BY block_number, log_index",
    [datanetId],
  );
  const out = [];
  const state = new Map<string, string>();
  let h = 0;
  for (const v of versions) {
    while (
      h < history.length &&
      (history[h].block_number < v.block_number ||
        (history[h].block_number === v.block_number && history[h].log_index < v.log_index))
    ) {
      state.set(history[h].contribution_id, history[h].status);
      h++;
    }
    const members = [...state.entries()]
      .filter(([, s]) => s === "Accepted")
      .map(([cid]) => byId.get(cid)!)
      .filter(Boolean)
      .sort((x, y) =>
        x.contribution_id < y.contribution_id ? -1 : x.contribution_id > y.contribution_id ? 1 : 0,
      );
    const base = {
      versionNumber: Number(v.version_number),
      root: v.merkle_root,
      contributionCount: Number(v.contribution_count),
    };
    const index = members.findIndex((m) => m.contribution_id === id);
    if (index < 0) {
      out.push({ ...base, included: false as const });
      continue;
    }
    const tree = FastMerkleTree.of(
      members.map((m) => [m.contribution_id, m.contributor, m.content_hash] as [string, string, string]),
      VERSION_LEAF_ENCODING,
    );
    const member = members[index];
    out.push({
      ...base,
      included: true as const,
      rebuiltRoot: tree.root,
      leaf: [member.contribution_id, member.contributor, member.content_hash],
      proof: tree.proof([member.contribution_id, member.contributor, member.content_hash]),
    });
  }
  return out;
}

/** What a search term names: accounts, models, datanets, contributions (by id or content hash), transactions. */
export async function search(db: SqlDatabase, term: string) {
  const q = term.trim().toLowerCase();
  const hits: { kind: string; id: string; label: string; path: string }[] = [];
  if (/^0x[0-9a-f]{40}$/.test(q)) {
    hits.push({ kind: "account", id: q, label: `account ${q}`, path: `/accounts/${q}` });
  } else if (/^\d+$/.test(q) && Number.isSafeInteger(Number(q))) {
    const n = Number(q);
    if (await count(db, "SELECT COUNT(*) AS n FROM models WHERE model_id = ?", [n]))
      hits.push({ kind: "model", id: q, label: `model ${n}`, path: `/models/${n}` });
    if (await count(db, "SELECT COUNT(*) AS n FROM datanets WHERE datanet_id = ?", [n]))
      hits.push({ kind: "datanet", id: q, label: `datanet ${n}`, path: `/datanets/${n}` });
  } else if (/^0x[0-9a-f]{64}$/.test(q)) {
    const byId = await db.all<{ contribution_id: string; datanet_id: number }>(
      "SELECT contribution_id, datanet_id FROM contributions WHERE contribution_id = ? OR content_hash = ?",
      [q, q],
    );
    for (const c of byId)
      hits.push({
        kind: "contribution",
        id: c.contribution_id,
        label: `contribution ${c.contribution_id} in datanet ${c.datanet_id}`,
        path: `/contributions/${c.contribution_id}`,
      });
    if (await count(db, "SELECT COUNT(*) AS n FROM events WHERE tx_hash = ?", [q]))
      hits.push({ kind: "transaction", id: q, label: `transaction ${q}`, path: `/tx/${q}` });
  }
  return { query: term, hits };
}

/**
 * The attribution table of a (model, epoch) commitment, read from its committed URI (like the
 * settlement dumps: file, a local path or http(s) under the reader's network policy) and
 * checked against the committed root: its top contributors by weight, each with the Merkle proof of their leaf
 * `[contributor, weight]`, so a reader can verify them against the root. When the table cannot be
 * read or does not match, `error` says why. Undefined when nothing was committed.
 */
export async function attributionView(db: SqlDatabase, modelId: number, epoch: number, top = 20) {
  const [c] = await db.all<{ root: string; uri: string; total_weight: string }>(
    "SELECT root, uri, total_weight FROM commitments WHERE model_id = ? AND epoch = ? ORDER BY block_number DESC, log_index DESC LIMIT 1",
    [modelId, epoch],
  );
  if (!c) return undefined;
  const base = { modelId, epoch, root: c.root, uri: c.uri, totalWeight: String(c.total_weight) };
  try {
    const table = weightTableFromJson(await fetchText(c.uri));
    const tree = attributionTree(table);
    if (tree.root.toLowerCase() !== c.root.toLowerCase())
      return { ...base, error: `the table at ${c.uri} has root ${tree.root}, not the committed ${c.root}` };
    const ranked = table.entries
      .map((e, index) => ({ e, index }))
      .sort((x, y) => (x.e.weight === y.e.weight ? x.index - y.index : x.e.weight > y.e.weight ? -1 : 1))
      .slice(0, top);
    return {
      ...base,
      method: table.method,
      contributors: table.entries.length,
      top: ranked.map(({ e, index }) => ({
        contributor: e.contributor,
        weight: e.weight.toString(),
        contributions: e.contributions.length,
        proof: tree.proof(index),
      })),
    };
  } catch (error) {
    return {
      ...base,
      error: `the table at ${c.uri} could not be read (${(error as Error).message.split("\n")[0]})`,
    };
  }
}

type LoadedTable = {
  table: ReturnType<typeof weightTableFromJson>;
  tree: ReturnType<typeof attributionTree>;
};

/** Committed tables read from their URIs and checked against their roots, by root (they never change). */
const tableCache = new Map<string, LoadedTable>();

async function committedTable(uri: string, root: string): Promise<LoadedTable> {
  const key = root.toLowerCase();
  const cached = tableCache.get(key);
  if (cached) return cached;
  const table = weightTableFromJson(await fetchText(uri));
  const tree = attributionTree(table);
  if (tree.root.toLowerCase() !== key)
    throw new Error(`the table at ${uri} has root ${tree.root}, not ${root}`);
  const loaded = { table, tree };
  tableCache.set(key, loaded);
  return loaded;
}

/**
 * What one account earned per (model, epoch): for every finalised pair whose committed table gives
 * it a weight, `floor(pool * weight / totalWeight)` (what a direct claim pays), whether the latest
 * settlement covers the pair, whether it was claimed directly, and for an uncovered unclaimed pair
 * the leaf's proof `claimDirect` takes. `settledUnderLiveRoot` says whether the account claimed
 * under the latest settlement (then direct claims wait for the next one: `SettledUnderLiveRoot`).
 * A table that cannot be read is listed in `unreadable` (its pair is then not counted).
 */
export async function accountEarnings(db: SqlDatabase, account: string) {
  const who = account.toLowerCase();
  const finalised = await db.all<{ model_id: number; epoch: number; finalize_seq: number; pool: string }>(
    "SELECT model_id, epoch, finalize_seq, pool FROM finalisations ORDER BY block_number, log_index",
  );
  const [latest] = await db.all<{
    settlement_id: number;
    covered_through_seq: number;
    block_number: number;
    log_index: number;
  }>(LIVE_SETTLEMENT_SQL);
  const claims = await db.all<{
    path: string;
    model_id: number | null;
    epoch: number | null;
    block_number: number;
    log_index: number;
  }>(
    "SELECT path, model_id, epoch, block_number, log_index FROM claims WHERE account = ? ORDER BY block_number, log_index",
    [who],
  );
  const directlyClaimed = new Set(
    claims.filter((c) => c.path === "direct").map((c) => `${Number(c.model_id)}/${Number(c.epoch)}`),
  );
  const settledUnderLiveRoot =
    latest !== undefined &&
    claims.some(
      (c) =>
        c.path === "settlement" &&
        (Number(c.block_number) > Number(latest.block_number) ||
          (Number(c.block_number) === Number(latest.block_number) &&
            Number(c.log_index) > Number(latest.log_index))),
    );
  const covered = Number(latest?.covered_through_seq ?? 0);
  const pairs = [];
  const unreadable: { modelId: number; epoch: number; error: string }[] = [];
  for (const f of finalised) {
    const [modelId, epoch] = [Number(f.model_id), Number(f.epoch)];
    // The commitment a pair was finalised against: the latest one committed for it.
    const [c] = await db.all<{ root: string; uri: string; total_weight: string }>(
      "SELECT root, uri, total_weight FROM commitments WHERE model_id = ? AND epoch = ? ORDER BY block_number DESC, log_index DESC LIMIT 1",
      [modelId, epoch],
    );
    if (!c) continue;
    let loaded: LoadedTable;
    try {
      loaded = await committedTable(c.uri, c.root);
    } catch (error) {
      unreadable.push({ modelId, epoch, error: (error as Error).message.split("\n")[0] });
      continue;
    }
    const index = loaded.table.entries.findIndex((e) => e.contributor.toLowerCase() === who);
    if (index < 0) continue;
    const weight = loaded.table.entries[index].weight;
    const total = BigInt(String(c.total_weight));
    const pool = BigInt(String(f.pool));
    const isCovered = Number(f.finalize_seq) <= covered;
    const claimedDirectly = directlyClaimed.has(`${modelId}/${epoch}`);
    pairs.push({
      modelId,
      epoch,
      finalizeSeq: Number(f.finalize_seq),
      pool: pool.toString(),
      weight: weight.toString(),
      totalWeight: total.toString(),
      amount: total === 0n ? "0" : ((pool * weight) / total).toString(),
      covered: isCovered,
      claimedDirectly,
      proof: isCovered || claimedDirectly ? null : loaded.tree.proof(index),
    });
  }
  return {
    account: who,
    settlementId: latest ? Number(latest.settlement_id) : null,
    coveredThroughSeq: covered,
    settledUnderLiveRoot,
    pairs,
    unreadable,
  };
}

/**
 * Every user action of the suite as one typed function: the demo, the Hardhat tasks and the
 * scripts are thin layers over these. Each waits for its transaction and returns what the
 * events say (ids, amounts) with the receipt.
 */
import {
  Signature,
  keccak256,
  type ContractTransactionResponse,
  type Provider,
  type Signer,
  type TransactionReceipt,
} from "ethers";
import {
  FastMerkleTree,
  VERSION_LEAF_ENCODING,
  ATTRIBUTION_LEAF_ENCODING,
  SETTLEMENT_LEAF_ENCODING,
} from "../merkle/index.js";
import type { WeightTable } from "../attribution/weights.js";
import { computeSettlement, type FinalizedPair, type Settlement } from "../settlement/index.js";
import { decodeRevert, ContractRevertError } from "../errors.js";
import { readSuiteEvents } from "./events.js";
import { acceptedContributions, buildLedger, type Ledger } from "./ledger.js";
import type { Suite } from "./suite.js";
import { isTransient } from "./transport.js";
import { call, isContractCall, sendCall, waitLanded, type ContractCall, type SendOptions } from "./writes.js";

export { call, type ContractCall, type SendOptions } from "./writes.js";

/** Licence / declared-use bits (contracts/libraries/LicenceLib.sol). */
export const LICENCE = {
  research: 1 << 0,
  commercialInference: 1 << 1,
  fineTuning: 1 << 2,
  redistribution: 1 << 3,
  derivatives: 1 << 4,
} as const;
export type LicenceName = keyof typeof LICENCE;

/** Parses "research,commercialInference" or a number into licence bits. */
export function parseLicence(text: string): number {
  if (/^\d+$/.test(text.trim())) return Number(text);
  let bits = 0;
  for (const part of text.split(/[,|+ ]+/).filter(Boolean)) {
    const bit = LICENCE[part as LicenceName];
    if (bit === undefined) {
      throw new Error(
        `unknown licence use "${part}": use any of ${Object.keys(LICENCE).join(", ")}, or a number`,
      );
    }
    bits |= bit;
  }
  return bits;
}

/** Attribution method ids committed on chain. */
export const METHOD_ID = { "span-match": 1, "datanet-size": 2 } as const;

/** Contribution policy of a datanet. */
export const POLICY = { open: 0, allowlist: 1 } as const;

/** What to submit for one contribution. */
export interface ContributionInput {
  contentHash: string;
  uri: string;
  size: bigint | number;
  kind: number;
}

/** keccak256 of a contribution's bytes: its content hash. */
export function contentHashOf(bytes: Uint8Array): string {
  return keccak256(bytes);
}

/**
 * Sends a transaction and waits for it; a revert surfaces as the contract's custom error.
 *
 * Give it a prepared call (`call(suite.datanets, "createDatanet", ...)`) and the transaction lands
 * at most once: it goes out with an explicit nonce, and a send or wait cut short by the node is
 * resolved by asking the node what it knows (see `writes.ts`) instead of sending again. A promise
 * of an already sent transaction (the older form, still accepted) gets the same recovery while
 * waiting for its receipt, but cannot be re-sent if the node lost it.
 */
export async function send(
  suite: Suite,
  tx: ContractCall | Promise<ContractTransactionResponse>,
  options: SendOptions = {},
): Promise<TransactionReceipt> {
  try {
    if (isContractCall(tx)) return await sendCall(tx, options);
    const response = await tx;
    let receipt: TransactionReceipt | null | undefined;
    try {
      receipt = await response.wait();
    } catch (error) {
      if (!isTransient(error) || !response.provider) throw error;
      const head = await response.provider.getBlockNumber().catch(() => 0);
      receipt = await waitLanded(
        response.provider,
        {
          from: response.from,
          nonce: response.nonce,
          hash: response.hash,
          startBlock: Math.max(0, head - 256),
        },
        options,
      );
    }
    if (!receipt) throw new Error(`transaction ${response.hash} was dropped`);
    return receipt;
  } catch (error) {
    const decoded = decodeRevert(
      error,
      suite.token.interface,
      suite.datanets.interface,
      suite.models.interface,
      suite.attribution.interface,
      suite.distributor.interface,
    );
    if (decoded) throw new ContractRevertError(decoded, error);
    throw error;
  }
}

function eventArgs(suite: Suite, receipt: TransactionReceipt, name: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const log of receipt.logs) {
    for (const c of [suite.datanets, suite.models, suite.attribution, suite.distributor, suite.token]) {
      if (log.address.toLowerCase() !== (c.target as string).toLowerCase()) continue;
      const parsed = c.interface.parseLog(log);
      if (parsed?.name === name) out.push(parsed.args.toObject(true) as Record<string, unknown>);
    }
  }
  return out;
}

// ----------------------------------------------------------------------------- datanets

export async function createDatanet(
  suite: Suite,
  params: { metadataURI: string; licence: number; policy?: number },
): Promise<{ datanetId: bigint; receipt: TransactionReceipt }> {
  const receipt = await send(
    suite,
    call(suite.datanets, "createDatanet", params.metadataURI, params.licence, params.policy ?? POLICY.open),
  );
  return { datanetId: eventArgs(suite, receipt, "DatanetCreated")[0].datanetId as bigint, receipt };
}

export async function setCurator(
  suite: Suite,
  datanetId: bigint,
  curator: string,
  appointed = true,
): Promise<TransactionReceipt> {
  return send(suite, call(suite.datanets, "setCurator", datanetId, curator, appointed));
}

export async function submitContribution(
  suite: Suite,
  datanetId: bigint,
  input: ContributionInput,
): Promise<{ contributionId: string; receipt: TransactionReceipt }> {
  const receipt = await send(
    suite,
    call(suite.datanets, "submitContribution", datanetId, { ...input, size: BigInt(input.size) }),
  );
  return {
    contributionId: eventArgs(suite, receipt, "ContributionSubmitted")[0].contributionId as string,
    receipt,
  };
}

/** Submits many contributions in batches of `batchSize`, reporting progress after each batch. */
export async function submitContributions(
  suite: Suite,
  datanetId: bigint,
  inputs: readonly ContributionInput[],
  options: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ contributionIds: string[]; receipts: TransactionReceipt[] }> {
  const batchSize = options.batchSize ?? 100;
  const contributionIds: string[] = [];
  const receipts: TransactionReceipt[] = [];
  for (let i = 0; i < inputs.length; i += batchSize) {
    const batch = inputs.slice(i, i + batchSize).map((c) => ({ ...c, size: BigInt(c.size) }));
    const receipt = await send(suite, call(suite.datanets, "submitContributions", datanetId, batch));
    receipts.push(receipt);
    for (const e of eventArgs(suite, receipt, "ContributionSubmitted"))
      contributionIds.push(e.contributionId as string);
    options.onProgress?.(Math.min(i + batchSize, inputs.length), inputs.length);
  }
  return { contributionIds, receipts };
}

/** EIP-712 domain name and version of the datanet registry. */
export const DATANET_EIP712_DOMAIN = { name: "OpenLedger Datanet Registry", version: "1" } as const;

/** EIP-712 types of a signed submission (DatanetRegistry.SUBMIT_CONTRIBUTION_TYPEHASH). */
export const SUBMIT_CONTRIBUTION_TYPES = {
  SubmitContribution: [
    { name: "datanetId", type: "uint256" },
    { name: "contributor", type: "address" },
    { name: "contentHash", type: "bytes32" },
    { name: "uri", type: "string" },
    { name: "size", type: "uint64" },
    { name: "kind", type: "uint8" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** A contributor's EIP-712 signature over a submission, for anyone to relay. */
export interface SignedContribution {
  datanetId: bigint;
  contributor: string;
  input: ContributionInput;
  nonce: bigint;
  deadline: bigint;
  signature: string;
}

/** Signs a submission as `contributor` (gasless for them): see `relayContribution`. */
export async function signContribution(
  suite: Suite,
  contributor: Signer,
  datanetId: bigint,
  input: ContributionInput,
  deadline: bigint,
): Promise<SignedContribution> {
  const address = await contributor.getAddress();
  const provider = contributor.provider as Provider;
  const { chainId } = await provider.getNetwork();
  const nonce = await suite.datanets.nonces(address);
  const signature = await contributor.signTypedData(
    { ...DATANET_EIP712_DOMAIN, chainId, verifyingContract: suite.addresses.datanets },
    SUBMIT_CONTRIBUTION_TYPES,
    { datanetId, contributor: address, ...input, size: BigInt(input.size), nonce, deadline },
  );
  return { datanetId, contributor: address, input, nonce, deadline, signature };
}

/** Relays a signed submission; the relayer pays the gas, the contributor is recorded. */
export async function relayContribution(
  suite: Suite,
  signed: SignedContribution,
): Promise<{ contributionId: string; receipt: TransactionReceipt }> {
  const receipt = await send(
    suite,
    call(
      suite.datanets,
      "submitContributionWithSignature",
      signed.datanetId,
      signed.contributor,
      { ...signed.input, size: BigInt(signed.input.size) },
      signed.nonce,
      signed.deadline,
      signed.signature,
    ),
  );
  return {
    contributionId: eventArgs(suite, receipt, "ContributionSubmitted")[0].contributionId as string,
    receipt,
  };
}

export async function curate(
  suite: Suite,
  datanetId: bigint,
  contributionId: string,
  decision: { accept: true } | { accept: false; reasonCode: number },
): Promise<TransactionReceipt> {
  return decision.accept
    ? send(suite, call(suite.datanets, "acceptContribution", datanetId, contributionId))
    : send(suite, call(suite.datanets, "rejectContribution", datanetId, contributionId, decision.reasonCode));
}

export async function withdrawContribution(
  suite: Suite,
  datanetId: bigint,
  contributionId: string,
): Promise<TransactionReceipt> {
  return send(suite, call(suite.datanets, "withdrawContribution", datanetId, contributionId));
}

/** The tree of a datanet's accepted, non-withdrawn contributions as the chain's events show them now. */
export function versionTree(ledger: Ledger, datanetId: bigint) {
  const members = acceptedContributions(ledger, datanetId);
  if (members.length === 0) throw new Error(`datanet ${datanetId} has no accepted contribution to publish`);
  const tree = FastMerkleTree.of(
    members.map((c) => [c.contributionId, c.contributor, c.contentHash] as [string, string, string]),
    VERSION_LEAF_ENCODING,
  );
  return { tree, members };
}

/** Builds the version tree from events and publishes it; `parentVersion` defaults to the latest. */
export async function publishVersion(
  suite: Suite,
  provider: Provider,
  datanetId: bigint,
  options: { uri: string; parentVersion?: bigint },
) {
  const ledger = buildLedger(await readSuiteEvents(suite, provider));
  const { tree, members } = versionTree(ledger, datanetId);
  const parent = options.parentVersion ?? BigInt((await suite.datanets.datanet(datanetId)).versionCount);
  const receipt = await send(
    suite,
    call(suite.datanets, "publishVersion", datanetId, tree.root, BigInt(members.length), parent, options.uri),
  );
  const versionNumber = eventArgs(suite, receipt, "VersionPublished")[0].versionNumber as bigint;
  return { versionNumber, root: tree.root, tree, members, receipt };
}

// ----------------------------------------------------------------------------- models

export interface TrainingInput {
  datanetId: bigint;
  versionNumber: bigint;
  weightBps: number;
}

export interface ModelInput {
  metadataURI: string;
  artifactHash: string;
  baseModelId?: bigint;
  declaredUses: number;
  pricePerUnit: bigint;
  trainingInputs: TrainingInput[];
}

export async function registerModel(
  suite: Suite,
  input: ModelInput,
): Promise<{ modelId: bigint; receipt: TransactionReceipt }> {
  const receipt = await send(
    suite,
    call(suite.models, "registerModel", { ...input, baseModelId: input.baseModelId ?? 0n }),
  );
  return { modelId: eventArgs(suite, receipt, "ModelRegistered")[0].modelId as bigint, receipt };
}

export async function addModelVersion(
  suite: Suite,
  modelId: bigint,
  artifactHash: string,
  trainingInputs: TrainingInput[],
): Promise<{ versionNumber: bigint; receipt: TransactionReceipt }> {
  const receipt = await send(suite, call(suite.models, "addVersion", modelId, artifactHash, trainingInputs));
  return {
    versionNumber: eventArgs(suite, receipt, "ModelVersionAdded")[0].versionNumber as bigint,
    receipt,
  };
}

export async function setModelPrice(
  suite: Suite,
  modelId: bigint,
  pricePerUnit: bigint,
): Promise<TransactionReceipt> {
  return send(suite, call(suite.models, "setPrice", modelId, pricePerUnit));
}

export async function retireModel(suite: Suite, modelId: bigint): Promise<TransactionReceipt> {
  return send(suite, call(suite.models, "retire", modelId));
}

// ----------------------------------------------------------------------------- inference payments

export interface PaymentResult {
  amount: bigint;
  epoch: bigint;
  /** `protocol` is the treasury and staker reserve together (divided by the distributor at checkpoints). */
  shares: { protocol: bigint; owner: bigint; royalty: bigint; contributors: bigint };
  receipt: TransactionReceipt;
}

function paymentOf(suite: Suite, receipt: TransactionReceipt): PaymentResult {
  const paid = eventArgs(suite, receipt, "Paid")[0];
  const [amount, protocol, owner, royalty] = [
    paid.amount,
    paid.protocolShare,
    paid.ownerShare,
    paid.royaltyShare,
  ].map((v) => v as bigint);
  return {
    amount,
    epoch: paid.epoch as bigint,
    shares: { protocol, owner, royalty, contributors: amount - protocol - owner - royalty },
    receipt,
  };
}

/** Price of `units` of inference of a model, in OPEN. */
export async function quote(suite: Suite, modelId: bigint, units: bigint): Promise<bigint> {
  const terms = await suite.models.paymentTerms(modelId);
  return terms.pricePerUnit * units;
}

/**
 * Pays for inference, approving the distributor first when the allowance is short. `maxAmount`
 * (default: the price x units quoted now) bounds what the payment may take: a price raised before
 * it lands makes it revert `PaymentAboveMaximum` instead of taking more.
 */
export async function pay(
  suite: Suite,
  payer: Signer,
  modelId: bigint,
  units: bigint,
  maxAmount?: bigint,
): Promise<PaymentResult> {
  const amount = maxAmount ?? (await quote(suite, modelId, units));
  const payerAddress = await payer.getAddress();
  if ((await suite.token.allowance(payerAddress, suite.addresses.distributor)) < amount) {
    await send(suite, call(suite.token.connect(payer), "approve", suite.addresses.distributor, amount));
  }
  return paymentOf(
    suite,
    await send(suite, call(suite.distributor.connect(payer), "pay", modelId, units, amount)),
  );
}

/** EIP-712 types of an EIP-2612 permit (OpenZeppelin ERC20Permit). */
export const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The token calls a permit signature needs (OpenToken satisfies it). */
export interface PermitToken {
  name(): Promise<string>;
  nonces(owner: string): Promise<bigint>;
  getAddress(): Promise<string>;
}

/**
 * `owner`'s EIP-2612 permit for `spender` to take `value` until `deadline`, on the token's own
 * domain (its name, version "1", the signer's chain). `nonce` defaults to the owner's current one.
 */
export async function signPermit(
  token: PermitToken,
  owner: Signer,
  spender: string,
  value: bigint,
  deadline: bigint,
  nonce?: bigint,
): Promise<Signature> {
  const address = await owner.getAddress();
  const { chainId } = await (owner.provider as Provider).getNetwork();
  const signature = await owner.signTypedData(
    { name: await token.name(), version: "1", chainId, verifyingContract: await token.getAddress() },
    PERMIT_TYPES,
    { owner: address, spender, value, nonce: nonce ?? (await token.nonces(address)), deadline },
  );
  return Signature.from(signature);
}

/**
 * Pays for inference in one transaction with an EIP-2612 permit signed by the payer, of value
 * `maxAmount` (default: the price x units quoted now), which also bounds the payment.
 */
export async function payWithPermit(
  suite: Suite,
  payer: Signer,
  modelId: bigint,
  units: bigint,
  deadline: bigint,
  maxAmount?: bigint,
): Promise<PaymentResult> {
  const amount = maxAmount ?? (await quote(suite, modelId, units));
  const { v, r, s } = await signPermit(suite.token, payer, suite.addresses.distributor, amount, deadline);
  return paymentOf(
    suite,
    await send(
      suite,
      call(suite.distributor.connect(payer), "payWithPermit", modelId, units, amount, deadline, v, r, s),
    ),
  );
}

export async function withdrawOwnerEarnings(suite: Suite, modelId: bigint, to: string) {
  const receipt = await send(suite, call(suite.distributor, "withdrawOwnerEarnings", modelId, to));
  return { amount: eventArgs(suite, receipt, "OwnerEarningsWithdrawn")[0].amount as bigint, receipt };
}

export async function withdrawTreasury(suite: Suite, to: string) {
  const receipt = await send(suite, call(suite.distributor, "withdrawTreasury", to));
  return { amount: eventArgs(suite, receipt, "TreasuryWithdrawn")[0].amount as bigint, receipt };
}

// ----------------------------------------------------------------------------- attribution

/** The attribution tree of a weight table (`[contributor, weight]` leaves). */
export function attributionTree(table: WeightTable) {
  if (table.entries.length === 0)
    throw new Error(`model ${table.modelId} epoch ${table.epoch}: the table is empty, nothing to commit`);
  return FastMerkleTree.of(
    table.entries.map((e) => [e.contributor, e.weight] as [string, bigint]),
    ATTRIBUTION_LEAF_ENCODING,
  );
}

/** Commits a weight table's root for its (model, epoch). */
export async function commitAttribution(suite: Suite, table: WeightTable, uri: string) {
  const tree = attributionTree(table);
  const receipt = await send(
    suite,
    call(
      suite.attribution,
      "commitAttribution",
      table.modelId,
      table.epoch,
      tree.root,
      table.totalWeight,
      METHOD_ID[table.method],
      uri,
    ),
  );
  return { root: tree.root, tree, receipt };
}

export async function finalizePair(suite: Suite, modelId: bigint, epoch: bigint) {
  const receipt = await send(suite, call(suite.distributor, "finalize", modelId, epoch));
  const ev = eventArgs(suite, receipt, "Finalized")[0];
  return { finalizeSeq: ev.finalizeSeq as bigint, pool: ev.pool as bigint, receipt };
}

// ----------------------------------------------------------------------------- settlement and claims

/**
 * The finalized pairs (from events) joined with their committed tables; a table whose root does
 * not match the chain's commitment is refused.
 */
export function finalizedPairs(ledger: Ledger, tables: readonly WeightTable[]): FinalizedPair[] {
  const byKey = new Map(tables.map((t) => [`${t.modelId}/${t.epoch}`, t]));
  return [...ledger.finalized.values()].map((f) => {
    const key = `${f.modelId}/${f.epoch}`;
    const table = byKey.get(key);
    const commitment = ledger.commitments.get(key);
    if (!table)
      throw new Error(
        `model ${f.modelId} epoch ${f.epoch} is finalized but no weight table was given for it`,
      );
    if (!commitment || attributionTree(table).root.toLowerCase() !== commitment.root) {
      throw new Error(
        `model ${f.modelId} epoch ${f.epoch}: the table's root differs from the committed root`,
      );
    }
    return { ...f, totalWeight: commitment.totalWeight, entries: table.entries };
  });
}

/** The settlement tree of a settlement. */
export function settlementTree(settlement: Settlement) {
  if (settlement.accounts.length === 0) throw new Error("nothing to settle: no finalized pair pays anyone");
  return FastMerkleTree.of(
    settlement.accounts.map((a) => [a.account, a.cumulativeAmount] as [string, bigint]),
    SETTLEMENT_LEAF_ENCODING,
  );
}

/** The settlement of every finalized pair, from chain events and the committed tables (nothing sent). */
export async function prepareSettlement(suite: Suite, provider: Provider, tables: readonly WeightTable[]) {
  const ledger = buildLedger(await readSuiteEvents(suite, provider));
  const settlement = computeSettlement(finalizedPairs(ledger, tables));
  const tree = settlementTree(settlement);
  return { settlement, tree, root: tree.root };
}

/** Commits a prepared settlement; `uri` is where its tree dump is published. */
export async function commitSettlement(
  suite: Suite,
  prepared: Awaited<ReturnType<typeof prepareSettlement>>,
  uri: string,
) {
  const receipt = await send(
    suite,
    call(
      suite.distributor,
      "commitSettlement",
      prepared.root,
      prepared.settlement.total,
      prepared.settlement.coveredThroughSeq,
      uri,
    ),
  );
  return { ...prepared, receipt };
}

/** Computes the settlement of every finalized pair from chain events and tables, and commits it. */
export async function settle(suite: Suite, provider: Provider, tables: readonly WeightTable[], uri: string) {
  return commitSettlement(suite, await prepareSettlement(suite, provider, tables), uri);
}

/** Position of `account`'s leaf in an `[address, uint256]` tree, -1 when absent. */
export function accountIndex(tree: FastMerkleTree<readonly ["address", "uint256"]>, account: string): number {
  const who = account.toLowerCase();
  for (let i = 0; i < tree.length; i++) if (String(tree.at(i)![0]).toLowerCase() === who) return i;
  return -1;
}

/** Claims an account's whole settlement entitlement (anyone may send it; tokens go to `account`). */
export async function claim(
  suite: Suite,
  tree: FastMerkleTree<typeof SETTLEMENT_LEAF_ENCODING>,
  account: string,
) {
  const found = accountIndex(tree, account);
  if (found < 0) throw new Error(`${account} is not in the settlement: nothing to claim with this root`);
  const [, cumulative] = tree.at(found)!;
  const receipt = await send(
    suite,
    call(suite.distributor, "claim", account, cumulative as bigint, tree.proof(found)),
  );
  return { amount: eventArgs(suite, receipt, "Claimed")[0].amount as bigint, receipt };
}

/** Claims one or several (model, epoch) pairs directly against final commitments. */
export async function claimDirect(suite: Suite, account: string, claims: { table: WeightTable }[]) {
  const items = claims.map(({ table }) => {
    const tree = attributionTree(table);
    const i = table.entries.findIndex((e) => e.contributor.toLowerCase() === account.toLowerCase());
    if (i < 0) throw new Error(`${account} has no weight in model ${table.modelId} epoch ${table.epoch}`);
    const weight = table.entries[i].weight;
    const at = accountIndex(tree, account);
    return { modelId: table.modelId, epoch: table.epoch, weight, proof: tree.proof(at) };
  });
  const receipt =
    items.length === 1
      ? await send(
          suite,
          call(
            suite.distributor,
            "claimDirect",
            account,
            items[0].modelId,
            items[0].epoch,
            items[0].weight,
            items[0].proof,
          ),
        )
      : await send(suite, call(suite.distributor, "claimDirectBatch", account, items));
  const amount = eventArgs(suite, receipt, "DirectClaimed").reduce((s, e) => s + (e.amount as bigint), 0n);
  return { amount, receipt };
}

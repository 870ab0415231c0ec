/**
 * Datanet actions: create a datanet, appoint curators, submit contributions (one, in batches, or
 * signed by the contributor and relayed by anyone), curate them, withdraw consent, and publish a
 * version (the Merkle root of the accepted contributions as the chain's events show them).
 */
import type { Provider, Signer, TransactionReceipt } from "ethers";
import { FastMerkleTree, VERSION_LEAF_ENCODING } from "../merkle/index.js";
import { POLICY, eip712Struct } from "./constants.js";
import { readSuiteEvents } from "./read/events.js";
import { acceptedContributions, buildLedger, type ContributionNode, type Ledger } from "./read/ledger.js";
import { call, contractAction, eventArgs, send, type ContractCall } from "./send/index.js";
import type { Suite } from "./suite.js";

/** What to submit for one contribution. */
export interface ContributionInput {
  contentHash: string;
  uri: string;
  size: bigint | number;
  kind: number;
}

/** EIP-712 domain name and version of the datanet registry. */
export const DATANET_EIP712_DOMAIN = { name: "OpenLedger Datanet Registry", version: "1" } as const;

/** The signed submission (DatanetRegistry.SUBMIT_CONTRIBUTION_TYPEHASH). */
export const SUBMIT_CONTRIBUTION = eip712Struct(
  "SubmitContribution(uint256 datanetId,address contributor,bytes32 contentHash,string uri,uint64 size,uint8 kind,uint256 nonce,uint256 deadline)",
);

/** EIP-712 types of a signed submission, for `signTypedData`. */
export const SUBMIT_CONTRIBUTION_TYPES = SUBMIT_CONTRIBUTION.types;

/** A contributor's EIP-712 signature over a submission, for anyone to relay. */
export interface SignedContribution {
  datanetId: bigint;
  contributor: string;
  input: ContributionInput;
  nonce: bigint;
  deadline: bigint;
  signature: string;
}

/** A datanet's version tree and the contributions it holds, in leaf order. */
export interface VersionTree {
  tree: FastMerkleTree<typeof VERSION_LEAF_ENCODING>;
  members: ContributionNode[];
}

/** A published version: its number, root and tree, with the receipt. */
export interface PublishedVersion extends VersionTree {
  versionNumber: bigint;
  root: string;
  receipt: TransactionReceipt;
}

/** Sends a submission of one contribution; returns the id the registry gave it. */
async function sendSubmission(
  suite: Suite,
  submission: ContractCall,
): Promise<{ contributionId: string; receipt: TransactionReceipt }> {
  const receipt = await send(suite, submission);
  return {
    contributionId: eventArgs(suite, receipt, "ContributionSubmitted")[0].contributionId as string,
    receipt,
  };
}

/** Creates a datanet (open to everyone unless `policy` says otherwise); returns its id. */
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

/** Appoints (or with `appointed = false` removes) a curator of a datanet (its owner only). */
export async function setCurator(
  suite: Suite,
  datanetId: bigint,
  curator: string,
  appointed = true,
): Promise<TransactionReceipt> {
  return send(suite, call(suite.datanets, "setCurator", datanetId, curator, appointed));
}

/** Submits one contribution; returns the id the registry gave it. */
export async function submitContribution(
  suite: Suite,
  datanetId: bigint,
  input: ContributionInput,
): Promise<{ contributionId: string; receipt: TransactionReceipt }> {
  return sendSubmission(
    suite,
    call(suite.datanets, "submitContribution", datanetId, { ...input, size: BigInt(input.size) }),
  );
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
  return sendSubmission(
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
}

/** Accepts a pending contribution, or rejects it with a reason code (a curator or the owner). */
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

/**
 * Accepts, or rejects with one reason code, many pending contributions in one transaction
 * (`acceptContributions` / `rejectContributions`: all or none, one event per item).
 */
export async function curateBatch(
  suite: Suite,
  datanetId: bigint,
  contributionIds: readonly string[],
  decision: { accept: true } | { accept: false; reasonCode: number },
): Promise<TransactionReceipt> {
  if (contributionIds.length === 0) throw new Error("curateBatch needs at least one contribution id");
  return decision.accept
    ? send(suite, call(suite.datanets, "acceptContributions", datanetId, [...contributionIds]))
    : send(
        suite,
        call(suite.datanets, "rejectContributions", datanetId, [...contributionIds], decision.reasonCode),
      );
}

/** Withdraws the sender's consent to one of their contributions (final): `(suite, datanetId, contributionId)`. */
export const withdrawContribution = contractAction("datanets", "withdrawContribution");

/** The tree of a datanet's accepted, non-withdrawn contributions as the chain's events show them now. */
export function versionTree(ledger: Ledger, datanetId: bigint): VersionTree {
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
): Promise<PublishedVersion> {
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

/**
 * Sets who may contribute to a datanet, `(suite, datanetId, policy)`: `POLICY.open` or
 * `POLICY.allowlist` (its owner only).
 */
export const setContributionPolicy = contractAction("datanets", "setContributionPolicy");

/**
 * Adds (`allowed`) or removes an account of a datanet's allow-list, `(suite, datanetId, account,
 * allowed)` (owner or curator).
 */
export const setContributorAllowed = contractAction("datanets", "setContributorAllowed");

import {
  ErrorFragment,
  formatEther,
  Interface,
  type InterfaceAbi,
  type ParamType,
  type Result,
  isHexString,
} from "ethers";

/**
 * Errors every OpenLedger contract can surface through OpenZeppelin 5: the ERC-6093 token errors
 * (IERC20Errors, IERC721Errors, IERC1155Errors) and the errors of the OpenZeppelin pieces the suite
 * uses (AccessControl, Ownable, Pausable, ReentrancyGuard, SafeERC20, ECDSA, Nonces, EIP-2612,
 * ERC20Votes/Votes, SafeCast, Address, Math).
 */
export const OPENZEPPELIN_ERRORS: readonly string[] = [
  // IERC20Errors
  "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
  "error ERC20InvalidSender(address sender)",
  "error ERC20InvalidReceiver(address receiver)",
  "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
  "error ERC20InvalidApprover(address approver)",
  "error ERC20InvalidSpender(address spender)",
  // IERC721Errors
  "error ERC721InvalidOwner(address owner)",
  "error ERC721NonexistentToken(uint256 tokenId)",
  "error ERC721IncorrectOwner(address sender, uint256 tokenId, address owner)",
  "error ERC721InvalidSender(address sender)",
  "error ERC721InvalidReceiver(address receiver)",
  "error ERC721InsufficientApproval(address operator, uint256 tokenId)",
  "error ERC721InvalidApprover(address approver)",
  "error ERC721InvalidOperator(address operator)",
  // IERC1155Errors
  "error ERC1155InsufficientBalance(address sender, uint256 balance, uint256 needed, uint256 tokenId)",
  "error ERC1155InvalidSender(address sender)",
  "error ERC1155InvalidReceiver(address receiver)",
  "error ERC1155MissingApprovalForAll(address operator, address owner)",
  "error ERC1155InvalidApprover(address approver)",
  "error ERC1155InvalidOperator(address operator)",
  "error ERC1155InvalidArrayLength(uint256 idsLength, uint256 valuesLength)",
  // ERC20 extensions, permit, votes
  "error ERC20ExceededCap(uint256 increasedSupply, uint256 cap)",
  "error ERC20ExceededSafeSupply(uint256 increasedSupply, uint256 cap)",
  "error ERC2612ExpiredSignature(uint256 deadline)",
  "error ERC2612InvalidSigner(address signer, address owner)",
  "error ERC5805FutureLookup(uint256 timepoint, uint48 clock)",
  "error ERC6372InconsistentClock()",
  "error VotesExpiredSignature(uint256 expiry)",
  "error InvalidAccountNonce(address account, uint256 currentNonce)",
  "error CheckpointUnorderedInsertion()",
  // Access, pause, reentrancy
  "error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)",
  "error AccessControlBadConfirmation()",
  "error AccessManagedUnauthorized(address caller)",
  "error OwnableUnauthorizedAccount(address account)",
  "error OwnableInvalidOwner(address owner)",
  "error EnforcedPause()",
  "error ExpectedPause()",
  "error ReentrancyGuardReentrantCall()",
  // Tokens, signatures, math, calls
  "error SafeERC20FailedOperation(address token)",
  "error SafeERC20FailedDecreaseAllowance(address spender, uint256 currentAllowance, uint256 requestedDecrease)",
  "error ECDSAInvalidSignature()",
  "error ECDSAInvalidSignatureLength(uint256 length)",
  "error ECDSAInvalidSignatureS(bytes32 s)",
  "error SafeCastOverflowedUintDowncast(uint8 bits, uint256 value)",
  "error SafeCastOverflowedIntToUint(int256 value)",
  "error SafeCastOverflowedIntDowncast(uint8 bits, int256 value)",
  "error SafeCastOverflowedUintToInt(uint256 value)",
  "error MathOverflowedMulDiv()",
  "error AddressEmptyCode(address target)",
  "error FailedCall()",
  "error FailedDeployment()",
  "error InsufficientBalance(uint256 balance, uint256 needed)",
  "error MerkleProofInvalidMultiproof()",
];

/** Solidity panic codes (`Panic(uint256)`) and what they mean. */
export const PANIC_REASONS: Readonly<Record<number, string>> = {
  0x00: "generic compiler panic",
  0x01: "assertion failed",
  0x11: "arithmetic overflow or underflow",
  0x12: "division or modulo by zero",
  0x21: "invalid enum value",
  0x22: "corrupt storage byte array",
  0x31: "pop on empty array",
  0x32: "array index out of bounds",
  0x41: "out of memory",
  0x51: "call to a zero-initialized internal function",
};

/** Where custom errors can be looked up: an Interface, an ABI, a TypeChain factory or a contract. */
export type ErrorSource =
  | Interface
  | InterfaceAbi
  | { readonly abi: InterfaceAbi }
  | { readonly interface: Interface }
  | { createInterface(): Interface };

/** A revert, decoded. */
export interface DecodedRevert {
  /** `custom` (a contract's custom error), `error` (Error(string)), `panic`, `unknown` (selector not in any ABI), `empty` (no data). */
  kind: "custom" | "error" | "panic" | "unknown" | "empty";
  /** Error name, e.g. `UnknownDatanet`; `Error`, `Panic`, `UnknownError` or `EmptyRevert` otherwise. */
  name: string;
  /** Decoded arguments, in order (bigint for integers, checksummed strings for addresses). */
  args: readonly unknown[];
  /** Arguments by parameter name (unnamed parameters are left out). */
  namedArgs: Readonly<Record<string, unknown>>;
  /** Canonical signature, e.g. `UnknownDatanet(uint256)`. */
  signature: string;
  /** 4-byte selector, `0x` hex (empty string for an empty revert). */
  selector: string;
  /** Readable form, e.g. `UnknownDatanet(datanetId=7)`. */
  message: string;
  /** The raw revert data. */
  data: string;
}

/** An Error whose message is the decoded revert; the original error is its `cause`. */
export class ContractRevertError extends Error {
  readonly revert: DecodedRevert;

  constructor(revert: DecodedRevert, cause: unknown) {
    super(revert.message, { cause });
    this.name = "ContractRevertError";
    this.revert = revert;
  }
}

const ERROR_STRING_SELECTOR = "0x08c379a0";
const PANIC_SELECTOR = "0x4e487b71";
const builtins = new Interface([
  ...OPENZEPPELIN_ERRORS,
  "error Error(string message)",
  "error Panic(uint256 code)",
]);

function toInterface(source: ErrorSource): Interface {
  if (source instanceof Interface) return source;
  if (Array.isArray(source) || typeof source === "string") return Interface.from(source as InterfaceAbi);
  if ((typeof source === "object" || typeof source === "function") && source !== null) {
    if ("interface" in source && source.interface instanceof Interface) return source.interface;
    if ("abi" in source) return Interface.from(source.abi);
    if ("createInterface" in source && typeof source.createInterface === "function")
      return source.createInterface();
  }
  throw new TypeError("Expected an ethers Interface, an ABI, a TypeChain factory or a contract");
}

/**
 * Finds revert data in an error from ethers, Hardhat or a JSON-RPC node: looks at `data` and
 * through the usual wrappers (`error`, `info`, `cause`, `originalError`, `revert`, JSON `body`).
 * @param error Whatever was thrown.
 * @returns The `0x` revert data, or undefined when there is none.
 */
export function findRevertData(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const item = queue.shift();
    if (item === null || item === undefined || seen.has(item)) continue;
    seen.add(item);
    if (typeof item === "string") {
      if (isHexString(item) && (item.length === 2 || item.length >= 10)) return item;
      if (item.startsWith("{")) {
        try {
          queue.push(JSON.parse(item) as unknown);
        } catch {
          // not JSON: ignore
        }
      }
      continue;
    }
    if (typeof item !== "object" || seen.size > 50) continue;
    const record = item as Record<string, unknown>;
    for (const key of ["data", "error", "info", "cause", "originalError", "body"]) {
      if (key in record) queue.push(record[key]);
    }
  }
  return undefined;
}

function formatValue(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  if (value !== null && typeof value === "object" && "toArray" in value) {
    return formatValue((value as Result).toArray());
  }
  return String(value);
}

function plain(value: unknown): unknown {
  if (value !== null && typeof value === "object" && "toArray" in value) {
    return (value as Result).toArray().map(plain);
  }
  return value;
}

function decodeWith(fragment: ErrorFragment, iface: Interface, data: string): DecodedRevert {
  const result = iface.decodeErrorResult(fragment, data);
  const args = result.toArray().map(plain);
  const namedArgs: Record<string, unknown> = {};
  fragment.inputs.forEach((input: ParamType, i) => {
    if (input.name) namedArgs[input.name] = args[i];
  });
  const shown = fragment.inputs.map((input: ParamType, i) =>
    input.name ? `${input.name}=${formatValue(args[i])}` : formatValue(args[i]),
  );
  let kind: DecodedRevert["kind"] = "custom";
  let message = `${fragment.name}(${shown.join(", ")})`;
  if (fragment.selector === ERROR_STRING_SELECTOR) {
    kind = "error";
    message = `Error(${JSON.stringify(args[0])})`;
  } else if (fragment.selector === PANIC_SELECTOR) {
    kind = "panic";
    const code = Number(args[0]);
    message = `Panic(0x${code.toString(16).padStart(2, "0")}: ${PANIC_REASONS[code] ?? "unknown panic code"})`;
  }
  return {
    kind,
    name: fragment.name,
    args,
    namedArgs,
    signature: fragment.format("sighash"),
    selector: fragment.selector,
    message,
    data,
  };
}

/**
 * Decodes revert data against the given interfaces, then OpenZeppelin's errors, Error(string)
 * and Panic(uint256).
 * @param data The `0x` revert data.
 * @param sources Interfaces, ABIs, TypeChain factories or contracts to look custom errors up in.
 * @returns The decoded revert (kind `unknown` when no ABI knows the selector).
 */
export function decodeRevertData(data: string, ...sources: ErrorSource[]): DecodedRevert {
  if (data === "0x") {
    const message = "reverted without data (revert(), require without message, or out of gas)";
    return {
      kind: "empty",
      name: "EmptyRevert",
      args: [],
      namedArgs: {},
      signature: "",
      selector: "",
      message,
      data,
    };
  }
  const selector = data.slice(0, 10).toLowerCase();
  for (const iface of [...sources.map(toInterface), builtins]) {
    let fragment: ErrorFragment | null = null;
    try {
      fragment = iface.getError(selector);
    } catch {
      fragment = null;
    }
    if (!fragment) continue;
    try {
      return decodeWith(fragment, iface, data);
    } catch {
      // selector clash with malformed arguments: try the next interface
    }
  }
  return {
    kind: "unknown",
    name: "UnknownError",
    args: [data],
    namedArgs: {},
    signature: selector,
    selector,
    message: `UnknownError(selector=${selector}, data=${data})`,
    data,
  };
}

/**
 * Decodes the revert behind an error thrown by ethers (a reverted call, gas estimation or
 * transaction), Hardhat or a JSON-RPC node.
 * @param error Whatever was thrown.
 * @param sources Interfaces, ABIs, TypeChain factories or contracts to look custom errors up in.
 * @returns The decoded revert, or undefined when the error carries no revert data.
 */
export function decodeRevert(error: unknown, ...sources: ErrorSource[]): DecodedRevert | undefined {
  const data = findRevertData(error);
  return data === undefined ? undefined : decodeRevertData(data, ...sources);
}

/**
 * Awaits `promise`; if it rejects with a revert, rethrows a `ContractRevertError` whose message is
 * the decoded error (`ERC20InsufficientBalance(sender=0x..., balance=0, needed=5)`). Other errors
 * are rethrown unchanged.
 * @param promise A contract call or transaction (e.g. `token.transfer(to, amount)`).
 * @param sources Interfaces, ABIs, TypeChain factories or contracts to look custom errors up in.
 * @returns What `promise` resolves to.
 */
export async function withDecodedErrors<T>(promise: Promise<T>, ...sources: ErrorSource[]): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    const revert = decodeRevert(error, ...sources);
    if (revert === undefined) throw error;
    throw new ContractRevertError(revert, error);
  }
}

/** Names of the licence / declared-use bits (LicenceLib), lowest bit first. */
const USE_NAMES = ["research", "commercialInference", "fineTuning", "redistribution", "derivatives"];

/** Licence or declared-use bits in words: `research, fineTuning` (or `none`). */
export function usesInWords(bits: bigint | number): string {
  const n = Number(bits);
  const names = USE_NAMES.filter((_, i) => (n & (1 << i)) !== 0);
  return names.length === 0 ? "none" : names.join(", ");
}

const at = (seconds: unknown) => new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");

/**
 * What a decoded revert means for the person who sent it, and what to do, for the errors a
 * user causes in ordinary use; undefined for the rest (their decoded form says enough).
 */
export function revertHint(revert: DecodedRevert): string | undefined {
  const a = revert.namedArgs as Record<string, bigint | string | undefined>;
  const pair = `model ${a.modelId} epoch ${a.epoch}`;
  switch (revert.name) {
    case "LicenceForbidsUse": {
      const missing = Number(a.requiredUses) & ~Number(a.licence);
      return `datanet ${a.datanetId}'s licence allows ${usesInWords(a.licence as bigint)} but the model declares ${usesInWords(a.requiredUses as bigint)}: drop ${usesInWords(missing)} from the declared uses or train on a datanet that allows it`;
    }
    case "LineageForbidsDerivatives":
      return `base model ${a.baseModelId} was trained (itself or through its own bases) on data whose licence forbids derivatives (its lineage allows ${usesInWords(a.lineageLicence as bigint)}): register the model without that base`;
    case "LineageForbidsUse": {
      const missing = Number(a.requiredUses) & ~Number(a.lineageLicence);
      return `base model ${a.baseModelId}'s lineage allows ${usesInWords(a.lineageLicence as bigint)} but the model declares ${usesInWords(a.requiredUses as bigint)}: drop ${usesInWords(missing)} from the declared uses or derive from another model`;
    }
    case "ExpiredSignature":
      return `the contributor's signature expired at ${at(a.deadline)} (chain time ${at(a.timestamp)}): ask the contributor to sign again (datanet contribute --sign-only)`;
    case "InvalidAccountNonce":
      return `this signed submission was already relayed (or superseded: ${a.account}'s nonce is now ${a.currentNonce}): nothing to relay again; for a new submission ask the contributor to sign again`;
    case "InvalidSignature":
      return `the signature is not ${a.contributor}'s over this submission: ask the contributor to sign it again, unchanged`;
    case "CoveredBySettlement":
      return `${pair} is covered by the latest settlement (it covers finalisations up to #${a.coveredThroughSeq}): claim with its proof (rewards claim --proof <account.json>)`;
    case "SettledUnderLiveRoot":
      return `${a.account} already claimed under the live settlement #${a.settlementId}, whose table may count this pair: it is paid for it by the next settlement (rewards claim --proof), or directly once a newer settlement is live`;
    case "PaymentAboveMaximum":
      return `the price rose: the payment would take ${a.amount} wei, above your bound of ${a.maxAmount} wei; check the model's new price and pay again, raising --max-amount only if you accept it`;
    case "CoverageAheadOfFinalized":
      return `the settlement states coverage up to finalisation #${a.coveredThroughSeq}, but only #${a.finalizeSeq} happened: compute the settlement again from the chain (rewards settle)`;
    case "CoverageDecreased":
      return `the settlement covers finalisations up to #${a.coveredThroughSeq}, less than the live one (#${a.previousCoveredThroughSeq}): compute it again from the chain with every table (rewards settle)`;
    case "NotFinal":
      if (Number(a.status) === 0)
        return `nothing was committed for ${pair}: the attribution operator must commit it (attribution commit) after the epoch ends, or its pool rolls forward after the delay (rewards roll); npx hardhat status shows when`;
      if (Number(a.status) === 1)
        return `the commitment of ${pair} is still in its challenge window: finalise once it is final (npx hardhat status shows when)`;
      if (Number(a.status) === 2)
        return `the commitment of ${pair} is challenged: governance must resolve it first`;
      return `the commitment of ${pair} was voided: it cannot pay out; roll its pool forward (rewards roll)`;
    case "EpochNotEnded":
      return `epoch ${a.epoch} has not ended (current epoch ${a.currentEpoch}): wait for it to end (npx hardhat status shows when)`;
    case "NotRollable":
      return `${pair} cannot roll forward${BigInt(a.rollableAt ?? 0) < 2n ** 255n ? ` before ${at(a.rollableAt)}` : " before the epoch has ended"} and only without a standing commitment (npx hardhat status shows when)`;
    case "WeightsDoNotSum":
      return `the training inputs' weights sum to ${a.totalBps} basis points: they must sum to 10000`;
    case "ContributorNotAllowed":
      return `datanet ${a.datanetId} takes contributions only from its allow-list: its owner must run datanet allowlist --datanet ${a.datanetId} --add ${a.contributor}`;
    case "NotCurator":
      return `${a.caller} is not a curator of datanet ${a.datanetId} (appointments end when ownership changes hands): the owner appoints curators with datanet curator --add`;
    case "DuplicateContribution":
      return `this contributor already submitted this content to datanet ${a.datanetId} (contribution ${a.contributionId}): leave it out`;
    case "AlreadyCommitted":
      return `${pair} is already committed: nothing to commit again`;
    case "BondBelowMinimum":
      return `operator ${a.operator}'s own stake is ${formatEther(a.bond as bigint)} OPEN, below the minimum bond of ${formatEther(a.minimum as bigint)} OPEN: bond more (operator bond --amount <OPEN>)`;
    case "OperatorNotListed":
      return `${a.operator} is not a listed operator: governance lists operators (staking listOperator)`;
    case "UnknownOperator":
      return `${a.operator} has no staking pool: governance must list it as an operator first`;
    case "UnbondingNotOver":
      return `the unbonding stake of ${a.account} behind ${a.operator} can be withdrawn from ${at(a.withdrawableAt)}: wait until then (stake status shows when)`;
    case "CommissionChangePending":
      return `a commission change is already scheduled for ${at(a.effectiveAt)}: change it again after that`;
    case "NotChallengeable":
      return `${pair} is not pending (it is ${["not committed", "pending", "challenged", "final", "voided"][Number(a.status)] ?? `in status ${a.status}`}): only a commitment inside its challenge window can be challenged`;
    case "NotChallenged":
      return `${pair} has no open challenge to resolve`;
    case "ResolutionDeadlinePassed":
      return `the challenge of ${pair} lapsed at ${at(a.deadline)} without a decision: the commitment stands and anyone returns the bond to the challenger (attribution close)`;
    case "ChallengeNotLapsed":
      return `governance may still resolve the challenge of ${pair} until ${at(a.deadline)}: close it after that (attribution close)`;
    case "PausedByGuardian":
      return `paused by the guardian until ${at(a.pausedUntil)}: try again after that (guardian status shows it); claims and withdrawals go on`;
    case "PauseUnavailable":
      return `the guardian may pause again from ${at(a.availableAt)}`;
    case "ERC20InsufficientBalance":
      return `${a.sender} holds too little OPEN: get some first (token transfer from a holder)`;
    case "ERC20InsufficientAllowance":
      return `the spender may not take that much OPEN: approve it first (token approve)`;
    case "NoFaultFound":
      return "the leaf (or pair of leaves) given breaks no rule of the settlement tree: there is no fault to prove with it";
    case "NotUnderpaid":
      return `the leaf pays ${a.account} ${a.cumulativeAmount} wei, at least its proven entitlement of ${a.entitlement}: no underpayment to prove`;
    case "NothingOwed":
      return `${a.account} is owed nothing over the pairs given: an omission needs an entitlement above zero`;
    case "NotInGap":
      return `${a.account} does not lie between the leaf's account ${a.leafAccount} and its link ${a.nextAccount}: give the leaf whose gap holds it`;
    case "LeafNotInPendingRoot":
      return `the leaf of ${a.account} is not in the pending root: build the proof again against the root pending now`;
    case "DisputeWindowClosed":
      return `the pending root's dispute window closed at ${at(a.activatesAt)}: it can no longer be disputed, only activated`;
    case "DisputeWindowOpen":
      return `the pending root's dispute window is open until ${at(a.activatesAt)}: activate it after that`;
    case "NoPendingSettlement":
      return "no settlement root is pending: nothing to dispute or activate";
    default:
      return undefined;
  }
}

/** A decoded revert for a person: its decoded form and, where known, what to do. */
export function explainRevert(revert: DecodedRevert): string {
  const hint = revertHint(revert);
  return hint === undefined ? revert.message : `${revert.message}: ${hint}`;
}

/**
 * Two-step ownership of a datanet or a model (the registries' `transferOwnership` and
 * `acceptOwnership`, keyed by id): the owner offers it, the account offered it takes it.
 */
import type { TransactionReceipt } from "ethers";
import { call, send } from "./send/index.js";
import type { Suite } from "./suite.js";

/** What can change hands: a datanet or a model. */
export type OwnedKind = "datanet" | "model";

const registryOf = (suite: Suite, kind: OwnedKind) => (kind === "datanet" ? suite.datanets : suite.models);

/**
 * Offers the datanet or model `id` to `newOwner` (step one of two). The registries refuse the
 * zero address: an offer is withdrawn by offering it to its owner.
 */
export async function offerOwnership(
  suite: Suite,
  kind: OwnedKind,
  id: bigint,
  newOwner: string,
): Promise<TransactionReceipt> {
  return send(suite, call(registryOf(suite, kind), "transferOwnership", id, newOwner));
}

/** Takes the datanet or model `id` offered to the sender (step two of two). */
export async function acceptOwnership(
  suite: Suite,
  kind: OwnedKind,
  id: bigint,
): Promise<TransactionReceipt> {
  return send(suite, call(registryOf(suite, kind), "acceptOwnership", id));
}

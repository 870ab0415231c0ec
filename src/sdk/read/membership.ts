/**
 * Which contributions each datanet version holds, and which versions a model was trained on,
 * as of a point in the chain's event order: what the attribution specification calls the corpus
 * of a commitment (docs/attribution.md, "Inputs"). Events only; no transaction is sent.
 */
import type { SuiteEvent } from "./events.js";

/** A contribution as a version holds it. */
export interface VersionMember {
  contributionId: string;
  datanetId: string;
  contributor: string;
  contentHash: string;
  uri: string;
}

/** `datanetId/versionNumber` (decimal). */
export const versionKey = (datanetId: bigint | string, versionNumber: bigint | string): string =>
  `${String(datanetId)}/${String(versionNumber)}`;

/** A position in the event order. */
export interface EventPosition {
  blockNumber: number;
  logIndex: number;
}

const before = (e: EventPosition, at: EventPosition): boolean =>
  e.blockNumber < at.blockNumber || (e.blockNumber === at.blockNumber && e.logIndex < at.logIndex);

/** Every version's members: the contributions Accepted and not withdrawn at its VersionPublished event. */
export function versionMembership(events: readonly SuiteEvent[]): Map<string, VersionMember[]> {
  const out = new Map<string, VersionMember[]>();
  const contributions = new Map<string, VersionMember & { accepted: boolean }>();
  for (const e of events) {
    if (e.contract !== "datanets") continue;
    const a = e.args;
    const id = `${String(a.datanetId)}/${String(a.contributionId ?? "").toLowerCase()}`;
    switch (e.name) {
      case "ContributionSubmitted":
        contributions.set(id, {
          contributionId: String(a.contributionId).toLowerCase(),
          datanetId: String(a.datanetId),
          contributor: String(a.contributor).toLowerCase(),
          contentHash: String(a.contentHash).toLowerCase(),
          uri: String(a.uri),
          accepted: false,
        });
        break;
      case "ContributionAccepted":
      case "ContributionRejected":
      case "ContributionWithdrawn": {
        const c = contributions.get(id);
        if (c) c.accepted = e.name === "ContributionAccepted";
        break;
      }
      case "VersionPublished":
        out.set(
          versionKey(String(a.datanetId), String(a.versionNumber)),
          [...contributions.values()]
            .filter((c) => c.accepted && c.datanetId === String(a.datanetId))
            .map(({ accepted: _accepted, ...m }) => m)
            .sort((x, y) =>
              x.contributionId < y.contributionId ? -1 : x.contributionId > y.contributionId ? 1 : 0,
            ),
        );
        break;
      default:
        break;
    }
  }
  return out;
}

/** A training input of a model version. */
export interface TrainingInput {
  datanetId: string;
  versionNumber: string;
  weightBps: number;
}

/** The training inputs of the model version registered last before `at` (undefined if none). */
export function trainingInputsAt(
  events: readonly SuiteEvent[],
  modelId: bigint,
  at: EventPosition,
): TrainingInput[] | undefined {
  let found: TrainingInput[] | undefined;
  for (const e of events) {
    if (!before(e, at)) break;
    if (
      e.contract !== "models" ||
      e.name !== "ModelVersionAdded" ||
      BigInt(e.args.modelId as bigint) !== modelId
    )
      continue;
    found = Object.values(e.args.trainingInputs as Record<string, Record<string, unknown>>).map((t) => ({
      datanetId: String(t.datanetId),
      versionNumber: String(t.versionNumber),
      weightBps: Number(t.weightBps),
    }));
  }
  return found;
}

/** Position of the AttributionCommitted event of (model, epoch) in force (the last one). */
export function commitmentPosition(
  events: readonly SuiteEvent[],
  modelId: bigint,
  epoch: bigint,
): EventPosition | undefined {
  let found: EventPosition | undefined;
  for (const e of events) {
    if (
      e.contract === "attribution" &&
      e.name === "AttributionCommitted" &&
      BigInt(e.args.modelId as bigint) === modelId &&
      BigInt(e.args.epoch as bigint) === epoch
    )
      found = { blockNumber: e.blockNumber, logIndex: e.logIndex };
  }
  return found;
}

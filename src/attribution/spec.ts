/**
 * Versions of the attribution specification (docs/attribution.md) and the method ids committed
 * on chain.
 *
 * A method id is a `uint16`: the high byte names the method family, the low byte the version of
 * the specification the table follows. `0x0101` (257) is span matching as specified by version 1,
 * `0x0201` (513) datanet-size weights as specified by version 1. The ids 1 and 2 were committed
 * by the engine before a specification existed (greedy span matching, contributor-level
 * rounding): a verifier reports their tables as unverifiable, never as recomputed.
 */

/** The version of docs/attribution.md this engine implements. */
export const ATTRIBUTION_SPEC_VERSION = 1;

/** How a table was computed. */
export type AttributionMethod = "span-match" | "datanet-size";

/** Method family (high byte of a method id). */
export const METHOD_FAMILY: Readonly<Record<AttributionMethod, number>> = {
  "span-match": 1,
  "datanet-size": 2,
};

/** The on-chain method id of `method` under specification `version`. */
export function methodIdOf(method: AttributionMethod, version: number = ATTRIBUTION_SPEC_VERSION): number {
  if (!Number.isInteger(version) || version < 1 || version > 0xff)
    throw new RangeError(`specification version must be an integer in [1, 255], got ${version}`);
  return (METHOD_FAMILY[method] << 8) | version;
}

/** What a method id committed on chain says. */
export interface MethodIdInfo {
  methodId: number;
  /** Undefined for an id no family knows. */
  method?: AttributionMethod;
  /** The specification version (0: committed before any specification existed, ids 1 and 2). */
  specVersion: number;
}

/** Decodes a method id (see the module doc). */
export function describeMethodId(methodId: number): MethodIdInfo {
  if (methodId === 1) return { methodId, method: "span-match", specVersion: 0 };
  if (methodId === 2) return { methodId, method: "datanet-size", specVersion: 0 };
  const family = methodId >> 8;
  const method = (Object.keys(METHOD_FAMILY) as AttributionMethod[]).find((m) => METHOD_FAMILY[m] === family);
  return { methodId, method, specVersion: methodId & 0xff };
}

/** True when this engine can recompute tables committed under `methodId`. */
export function isRecomputable(methodId: number): boolean {
  const info = describeMethodId(methodId);
  return info.method !== undefined && info.specVersion === ATTRIBUTION_SPEC_VERSION;
}

/**
 * The one TypeScript copy of each Solidity enum, licence bit and id rule the off-chain code needs.
 * test/sdk/constants.test.ts reads them back from the contracts (enum members from the interfaces'
 * source, licence bits from LicenceLib, the id rule from the registry's own view), so a change on
 * one side fails a test instead of silently disagreeing.
 */
import { AbiCoder, keccak256 } from "ethers";

/** Licence / declared-use bits (contracts/libraries/LicenceLib.sol). */
export const LICENCE = {
  research: 1 << 0,
  commercialInference: 1 << 1,
  fineTuning: 1 << 2,
  redistribution: 1 << 3,
  derivatives: 1 << 4,
} as const;

/** The name of one licence bit. */
export type LicenceName = keyof typeof LICENCE;

/**
 * Parses "research,commercialInference" (names joined by commas, `|`, `+` or spaces) or a number
 * into licence bits.
 * @throws Error naming the unknown use and the known ones.
 */
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

/**
 * Attribution method ids committed on chain (`IAttributionRegistry.Commitment.methodId`): the
 * method in the high byte, the version of docs/attribution.md in the low byte (see
 * `src/attribution/spec.ts`; ids 1 and 2 predate the specification).
 */
export const METHOD_ID = { "span-match": 0x0101, "datanet-size": 0x0201 } as const;

/** `IDatanetRegistry.ContributionPolicy`: who may contribute to a datanet, by CLI name. */
export const POLICY = { open: 0, allowlist: 1 } as const;

/** `IDatanetRegistry.ContributionStatus`, indexed by the enum's value. */
export const CONTRIBUTION_STATUS = ["None", "Pending", "Accepted", "Rejected", "Withdrawn"] as const;

/** The name of one contribution status. */
export type ContributionStatusName = (typeof CONTRIBUTION_STATUS)[number];

/** `IAttributionRegistry.CommitmentStatus`, indexed by the enum's value. */
export const COMMITMENT_STATUS = ["None", "Pending", "Challenged", "Final", "Voided"] as const;

/** The name of one commitment status. */
export type CommitmentStatusName = (typeof COMMITMENT_STATUS)[number];

/** The name of an enum value, or `unknown(<n>)` for a value the table does not know. */
export function statusName(table: readonly string[], value: bigint | number): string {
  return table[Number(value)] ?? `unknown(${value})`;
}

/**
 * The id a contributor's content gets in a datanet (`DatanetRegistry.contributionIdOf`):
 * `keccak256(abi.encode(datanetId, contributor, contentHash))`. The id binds the contributor (the
 * signer of a signed submission), so the same content submitted by two contributors is two
 * contributions; only the contributor's own second submission of it is a duplicate.
 */
export function contributionIdOf(datanetId: bigint, contributor: string, contentHash: string): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["uint256", "address", "bytes32"],
      [datanetId, contributor, contentHash],
    ),
  );
}

/** keccak256 of a contribution's bytes: its content hash. */
export function contentHashOf(bytes: Uint8Array): string {
  return keccak256(bytes);
}

export { eip712Struct, type Eip712Struct } from "../eip712.js";

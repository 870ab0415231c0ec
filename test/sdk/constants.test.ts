/**
 * The SDK's one copy of each Solidity enum, licence bit and id rule (src/sdk/constants.ts) read
 * back from the contracts: enum members from the interfaces' source, licence bits from LicenceLib,
 * the contribution id rule from the registry's own view.
 */
import { readFile } from "node:fs/promises";
import { expect } from "chai";
import {
  COMMITMENT_STATUS,
  CONTRIBUTION_STATUS,
  LICENCE,
  POLICY,
  contributionIdOf,
  eip712Struct,
  parseLicence,
} from "../../src/sdk/constants.js";
import { SUBMIT_CONTRIBUTION } from "../../src/sdk/datanets.js";
import { SETTLEMENT_FAULTS } from "../../src/settlement/disputes.js";
import { PERMIT } from "../../src/sdk/payments.js";
import { VOUCHER } from "../../src/usage/voucher.js";
import { contentHash, deployRegistriesFixture, networkHelpers } from "../fixtures/registries.js";

/** The members of `enum name { ... }` in a Solidity source, in declaration order. */
async function solidityEnum(file: string, name: string): Promise<string[]> {
  const source = await readFile(file, "utf8");
  const body = new RegExp(`enum\\s+${name}\\s*\\{([^}]*)\\}`).exec(source)?.[1];
  if (body === undefined) throw new Error(`enum ${name} not found in ${file}`);
  return body
    .split(",")
    .map((m) => m.replace(/\/\/.*$/gm, "").trim())
    .filter(Boolean);
}

/** The string literal a Solidity source hashes as `keccak256("...")` for `constant NAME`. */
async function typehashString(file: string, name: string): Promise<string> {
  const source = await readFile(file, "utf8");
  const literal = new RegExp(`constant\\s+${name}\\s*=\\s*keccak256\\(\\s*"([^"]*)"\\s*\\)`).exec(
    source,
  )?.[1];
  if (literal === undefined) throw new Error(`${name} = keccak256("...") not found in ${file}`);
  return literal;
}

/** `uint16 internal constant NAME = 1 << n;` of a library, as { camelCaseName: value }. */
async function licenceBits(): Promise<Record<string, number>> {
  const source = await readFile("contracts/libraries/LicenceLib.sol", "utf8");
  const bits: Record<string, number> = {};
  for (const [, name, shift] of source.matchAll(/uint16 internal constant (\w+) = 1 << (\d+);/g)) {
    const camel = name.toLowerCase().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    bits[camel] = 1 << Number(shift);
  }
  return bits;
}

describe("SDK constants against the contracts", function () {
  it("CONTRIBUTION_STATUS: should list IDatanetRegistry.ContributionStatus in order", async function () {
    expect(
      await solidityEnum("contracts/interfaces/IDatanetRegistry.sol", "ContributionStatus"),
    ).to.deep.equal([...CONTRIBUTION_STATUS]);
  });

  it("COMMITMENT_STATUS: should list IAttributionRegistry.CommitmentStatus in order", async function () {
    expect(
      await solidityEnum("contracts/interfaces/IAttributionRegistry.sol", "CommitmentStatus"),
    ).to.deep.equal([...COMMITMENT_STATUS]);
  });

  it("SETTLEMENT_FAULTS: should list ISettlementDisputes.Fault in order", async function () {
    expect(await solidityEnum("contracts/interfaces/ISettlementDisputes.sol", "Fault")).to.deep.equal([
      ...SETTLEMENT_FAULTS,
    ]);
  });

  it("POLICY: should give each IDatanetRegistry.ContributionPolicy member its value", async function () {
    const members = await solidityEnum("contracts/interfaces/IDatanetRegistry.sol", "ContributionPolicy");
    expect(members.map((m) => m.toLowerCase())).to.deep.equal(Object.keys(POLICY));
    expect(Object.values(POLICY)).to.deep.equal(members.map((_m, i) => i));
  });

  it("LICENCE: should hold exactly LicenceLib's bits", async function () {
    expect(await licenceBits()).to.deep.equal(LICENCE);
    expect(parseLicence(Object.keys(LICENCE).join(","))).to.equal(31);
  });

  it("contributionIdOf: should match DatanetRegistry.contributionIdOf, contributor included", async function () {
    const { datanets } = await networkHelpers.loadFixture(deployRegistriesFixture);
    const seen = new Set<string>();
    for (const [datanetId, contributor, label] of [
      [1n, "0x00000000000000000000000000000000000000a1", "a"],
      [1n, "0x00000000000000000000000000000000000000b2", "a"],
      [7n, "0x00000000000000000000000000000000000000a1", "b"],
      [2n ** 200n, "0xffffffffffffffffffffffffffffffffffffffff", "c"],
    ] as const) {
      const hash = contentHash(label);
      const id = contributionIdOf(datanetId, contributor, hash);
      expect(id).to.equal(await datanets.contributionIdOf(datanetId, contributor, hash));
      seen.add(id);
    }
    // Same datanet and content, two contributors: two ids.
    expect(seen.size).to.equal(4);
  });

  it("eip712Struct: should give each signed message the contract's type string and type hash", async function () {
    const { datanets } = await networkHelpers.loadFixture(deployRegistriesFixture);
    expect(SUBMIT_CONTRIBUTION.typeHash).to.equal(await datanets.SUBMIT_CONTRIBUTION_TYPEHASH());
    expect(VOUCHER.encodeType).to.equal(
      await typehashString("contracts/libraries/VoucherLib.sol", "VOUCHER_TYPEHASH"),
    );
    // OpenZeppelin's ERC20Permit keeps PERMIT_TYPEHASH private: its source is the reference.
    expect(PERMIT.encodeType).to.equal(
      await typehashString(
        "node_modules/@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol",
        "PERMIT_TYPEHASH",
      ),
    );
    expect(PERMIT.types.Permit.map((f) => f.name)).to.deep.equal([
      "owner",
      "spender",
      "value",
      "nonce",
      "deadline",
    ]);
  });

  it("eip712Struct: should refuse a string that is not Name(type field,...)", function () {
    expect(() => eip712Struct("Permit address owner")).to.throw(/is not an EIP-712 encoded type/);
  });
});

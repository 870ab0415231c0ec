/**
 * EIP-712 structs written once, as the encoded type their contract hashes. Shared by the SDK and
 * the usage engine (which may not import the SDK), re-exported by `src/sdk/constants.ts`.
 */
import { id } from "ethers";

/** One EIP-712 struct: its Solidity type string, its `signTypedData` table and its type hash. */
export interface Eip712Struct {
  /** The encoded type exactly as the contract hashes it, e.g. `Permit(address owner,...)`. */
  encodeType: string;
  /** The same struct as ethers' `signTypedData` takes it: `{ Name: [{ name, type }, ...] }`. */
  types: Record<string, { name: string; type: string }[]>;
  /** keccak256 of `encodeType`: the contract's `..._TYPEHASH`. */
  typeHash: string;
}

/**
 * An EIP-712 struct from its encoded type, the string the contract's `..._TYPEHASH` hashes, so
 * each signed message is written once (no table to keep in step with a string). Flat structs
 * only: none of the suite's signed messages nests another.
 * @throws Error when `encodeType` is not `Name(type field,...)`.
 */
export function eip712Struct(encodeType: string): Eip712Struct {
  const match = /^([A-Za-z_]\w*)\(([^()]*)\)$/.exec(encodeType);
  if (!match) throw new Error(`"${encodeType}" is not an EIP-712 encoded type "Name(type field,...)"`);
  const fields = match[2].split(",").map((field) => {
    const [type, name] = field.split(" ");
    return { name, type };
  });
  return { encodeType, types: { [match[1]]: fields }, typeHash: id(encodeType) };
}

import { createKeccak, type IHasher } from "hash-wasm";

// One WebAssembly keccak instance, created once when the module loads (top-level await), so every
// hashing function of the SDK can stay synchronous. Reused with init/update/digest: no per-hash setup.
const hasher: IHasher = await createKeccak(256);

/** Length in bytes of a keccak256 digest and of every Merkle node. */
export const HASH_BYTES = 32;

/**
 * keccak256 of `input`, written into `out` at `outOffset` (32 bytes).
 * @param input Bytes to hash.
 * @param out Where to write the digest.
 * @param outOffset Byte offset in `out`.
 */
export function keccak256Into(input: Uint8Array, out: Uint8Array, outOffset: number): void {
  hasher.init();
  hasher.update(input);
  out.set(hasher.digest("binary"), outOffset);
}

/**
 * keccak256 of `input`.
 * @param input Bytes to hash.
 * @returns A fresh 32-byte array.
 */
export function keccak256Bytes(input: Uint8Array): Uint8Array {
  hasher.init();
  hasher.update(input);
  return hasher.digest("binary");
}

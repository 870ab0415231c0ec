export {
  type Hex,
  type JsonLeafValue,
  type JsonLeafValues,
  type LeafType,
  type LeafValue,
  type LeafValues,
  type AttributionLeafEncoding,
  type SettlementLeafEncoding,
  type VersionLeafEncoding,
  ATTRIBUTION_LEAF_ENCODING,
  SETTLEMENT_LEAF_ENCODING,
  SETTLEMENT_LEAF_TAG,
  VERSION_LEAF_ENCODING,
  toChecksumAddress,
} from "./encoding.js";
export { attributionLeaf, settlementLeaf, standardLeafHash, versionLeaf } from "./leaves.js";
export {
  type BuildOptions,
  type LeafRef,
  type StandardMerkleTreeDump,
  FastMerkleTree,
  PARALLEL_THRESHOLD,
  processProof,
} from "./tree.js";
export {
  type ProofFile,
  type ProofsDocument,
  type WriteSummary,
  PROOFS_FORMAT,
  proofFile,
  writeDump,
  writeProofFile,
  writeProofFiles,
  writeProofs,
} from "./proof-file.js";

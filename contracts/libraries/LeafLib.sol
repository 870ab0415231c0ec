// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title LeafLib
/// @notice The Merkle leaves the suite commits to, in OpenZeppelin StandardMerkleTree form:
/// `keccak256(bytes.concat(keccak256(abi.encode(values...))))`. The SDK builds the same leaves.
/// The double hash keeps a 64-byte leaf preimage from being read as an inner node.
library LeafLib {
    /// @notice Leaf of a datanet version: one accepted, non-withdrawn contribution.
    /// @param contributionId The contribution's id.
    /// @param contributor Who submitted it.
    /// @param contentHash The content hash it was submitted with.
    /// @return The leaf hash.
    function versionLeaf(
        bytes32 contributionId,
        address contributor,
        bytes32 contentHash
    ) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(contributionId, contributor, contentHash))));
    }

    /// @notice Leaf of an attribution commitment of one (model, epoch).
    /// @param contributor The contributor credited.
    /// @param weight Their weight, out of the commitment's total weight.
    /// @return The leaf hash.
    function attributionLeaf(address contributor, uint256 weight) internal pure returns (bytes32) {
        return _twoWordLeaf(uint256(uint160(contributor)), weight);
    }

    /// @notice First word of every settlement leaf (`keccak256("OpenLedger.settlementLeaf.v2")`): with
    /// five words instead of two, a settlement leaf can never equal an attribution or version leaf
    /// (issue 13, finding 9), and the tag names the format.
    bytes32 internal constant SETTLEMENT_LEAF_TAG = keccak256("OpenLedger.settlementLeaf.v2");

    /// @notice Leaf of a settlement root, in OpenZeppelin StandardMerkleTree form over the types
    /// `(bytes32 tag, address account, uint256 cumulativeAmount, address nextAccount, uint256 prefixBefore)`.
    /// Leaves are sorted by account and linked: `nextAccount` is the next leaf's account
    /// (`type(uint160).max` after the last), `prefixBefore` the sum of the amounts of every leaf
    /// before this one; the first leaf is the sentinel `(0, 0, first account, 0)`.
    /// @param account The account owed.
    /// @param cumulativeAmount All it was owed so far, in OPEN (claimed or not).
    /// @param nextAccount The account of the next leaf.
    /// @param prefixBefore Sum of the cumulative amounts of the leaves before this one.
    /// @return leaf The leaf hash.
    function settlementLeaf(
        address account,
        uint256 cumulativeAmount,
        address nextAccount,
        uint256 prefixBefore
    ) internal pure returns (bytes32 leaf) {
        bytes32 tag = SETTLEMENT_LEAF_TAG;
        // Casts clean the addresses' upper bits for the assembly below.
        uint256 a = uint256(uint160(account));
        uint256 n = uint256(uint160(nextAccount));
        // The five words go after the free memory pointer without moving it (temporary memory,
        // allowed in memory-safe assembly); the outer hash in scratch space.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, tag)
            mstore(add(m, 0x20), a)
            mstore(add(m, 0x40), cumulativeAmount)
            mstore(add(m, 0x60), n)
            mstore(add(m, 0x80), prefixBefore)
            mstore(0x00, keccak256(m, 0xa0))
            leaf := keccak256(0x00, 0x20)
        }
    }

    /// @dev `keccak256(bytes.concat(keccak256(abi.encode(a, b))))` for two static words, hashed in
    /// scratch space (no memory allocation: claims pay for every step). A fuzz test checks it
    /// against the Solidity expression.
    function _twoWordLeaf(uint256 a, uint256 b) private pure returns (bytes32 leaf) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, a)
            mstore(0x20, b)
            mstore(0x00, keccak256(0x00, 0x40))
            leaf := keccak256(0x00, 0x20)
        }
    }
}

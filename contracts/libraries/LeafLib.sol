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

    /// @notice Leaf of a settlement root: everything an account was ever owed.
    /// @param account The account owed.
    /// @param cumulativeAmount All it was owed so far, in OPEN (claimed or not).
    /// @return The leaf hash.
    function settlementLeaf(address account, uint256 cumulativeAmount) internal pure returns (bytes32) {
        return _twoWordLeaf(uint256(uint160(account)), cumulativeAmount);
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

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {LeafLib} from "../libraries/LeafLib.sol";

/// @title MerkleProofHarness
/// @notice Test-only: exposes `LeafLib` and OpenZeppelin `MerkleProof.verifyCalldata`, so the SDK's
/// trees and proofs can be checked against the exact code the contracts run.
contract MerkleProofHarness {
    /// @notice `LeafLib.versionLeaf`.
    /// @param contributionId The contribution's id.
    /// @param contributor Who submitted it.
    /// @param contentHash Its content hash.
    /// @return The leaf.
    function versionLeaf(
        bytes32 contributionId,
        address contributor,
        bytes32 contentHash
    ) external pure returns (bytes32) {
        return LeafLib.versionLeaf(contributionId, contributor, contentHash);
    }

    /// @notice `LeafLib.attributionLeaf`.
    /// @param account The contributor.
    /// @param weight Their weight.
    /// @return The leaf.
    function attributionLeaf(address account, uint256 weight) external pure returns (bytes32) {
        return LeafLib.attributionLeaf(account, weight);
    }

    /// @notice `LeafLib.settlementLeaf`.
    /// @param account The account.
    /// @param cumulativeAmount All it was owed so far.
    /// @param nextAccount The next leaf's account.
    /// @param prefixBefore Sum of the amounts before.
    /// @return The leaf.
    function settlementLeaf(
        address account,
        uint256 cumulativeAmount,
        address nextAccount,
        uint256 prefixBefore
    ) external pure returns (bytes32) {
        return LeafLib.settlementLeaf(account, cumulativeAmount, nextAccount, prefixBefore);
    }

    /// @notice Whether `proof` proves a version leaf under `root`.
    /// @param root The version root.
    /// @param contributionId The contribution's id.
    /// @param contributor Who submitted it.
    /// @param contentHash Its content hash.
    /// @param proof Sibling hashes, leaf to root.
    /// @return True when the proof is valid.
    function verifyVersion(
        bytes32 root,
        bytes32 contributionId,
        address contributor,
        bytes32 contentHash,
        bytes32[] calldata proof
    ) external pure returns (bool) {
        return
            MerkleProof.verifyCalldata(
                proof,
                root,
                LeafLib.versionLeaf(contributionId, contributor, contentHash)
            );
    }

    /// @notice Whether `proof` proves an attribution leaf under `root`.
    /// @param root The attribution root.
    /// @param account The contributor.
    /// @param weight Their weight.
    /// @param proof Sibling hashes, leaf to root.
    /// @return True when the proof is valid.
    function verifyAttribution(
        bytes32 root,
        address account,
        uint256 weight,
        bytes32[] calldata proof
    ) external pure returns (bool) {
        return MerkleProof.verifyCalldata(proof, root, LeafLib.attributionLeaf(account, weight));
    }

    /// @notice Whether `proof` proves a settlement leaf under `root`.
    /// @param root The settlement root.
    /// @param account The account.
    /// @param cumulativeAmount All it was owed so far.
    /// @param nextAccount The next leaf's account.
    /// @param prefixBefore Sum of the amounts before.
    /// @param proof Sibling hashes, leaf to root.
    /// @return True when the proof is valid.
    function verifySettlement(
        bytes32 root,
        address account,
        uint256 cumulativeAmount,
        address nextAccount,
        uint256 prefixBefore,
        bytes32[] calldata proof
    ) external pure returns (bool) {
        return
            MerkleProof.verifyCalldata(
                proof,
                root,
                LeafLib.settlementLeaf(account, cumulativeAmount, nextAccount, prefixBefore)
            );
    }
}

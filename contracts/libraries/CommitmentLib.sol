// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAttributionRegistry} from "../interfaces/IAttributionRegistry.sol";

/// @title CommitmentLib
/// @notice The one-word layout of everything an attribution commitment holds besides its root, so
/// that a commit writes that word with one store instead of one per field.
/// @dev Bits 0..127 totalWeight, 128..167 committedAt, 168..207 finalAt, 208..223 methodId,
/// 224..231 status, 232..255 the committing operator's staking pool id: the order a `Commitment` struct would use, read back by `unpack`.
library CommitmentLib {
    uint256 private constant COMMITTED_AT_SHIFT = 128;
    uint256 private constant FINAL_AT_SHIFT = 168;
    uint256 private constant METHOD_SHIFT = 208;
    uint256 private constant STATUS_SHIFT = 224;
    uint256 private constant POOL_SHIFT = 232;
    uint256 private constant STATUS_MASK = uint256(type(uint8).max) << STATUS_SHIFT;

    /// @notice Packs the fields of a commitment besides its root.
    /// @param committedAt When it was committed.
    /// @param finalAt When it becomes final unless challenged.
    /// @param methodId The attribution method.
    /// @param poolId The committing operator's staking pool id (< 2^24; 0: none).
    /// @return The packed word.
    function pack(
        uint128 totalWeight,
        uint40 committedAt,
        uint40 finalAt,
        uint16 methodId,
        IAttributionRegistry.CommitmentStatus status,
        uint256 poolId
    ) internal pure returns (uint256) {
        return
            uint256(totalWeight) |
            (uint256(committedAt) << COMMITTED_AT_SHIFT) |
            (uint256(finalAt) << FINAL_AT_SHIFT) |
            (uint256(methodId) << METHOD_SHIFT) |
            (uint256(status) << STATUS_SHIFT) |
            (poolId << POOL_SHIFT);
    }

    /// @notice The stored status (not the effective one: see `IAttributionRegistry.commitmentStatus`).
    /// @param meta The packed word.
    /// @return The status.
    function statusOf(uint256 meta) internal pure returns (IAttributionRegistry.CommitmentStatus) {
        return IAttributionRegistry.CommitmentStatus(uint8(meta >> STATUS_SHIFT));
    }

    /// @notice When the commitment becomes final unless challenged.
    /// @param meta The packed word.
    /// @return Unix seconds.
    function finalAtOf(uint256 meta) internal pure returns (uint256) {
        return uint40(meta >> FINAL_AT_SHIFT);
    }

    /// @notice The total weight.
    /// @param meta The packed word.
    /// @return The total weight.
    function totalWeightOf(uint256 meta) internal pure returns (uint256) {
        return uint128(meta);
    }

    /// @notice The same word with another status.
    /// @param meta The packed word.
    /// @param newStatus The status to set.
    /// @return The updated word.
    function withStatus(
        uint256 meta,
        IAttributionRegistry.CommitmentStatus newStatus
    ) internal pure returns (uint256) {
        return (meta & ~STATUS_MASK) | (uint256(newStatus) << STATUS_SHIFT);
    }

    /// @notice The same word with another status and its finalAt field set to `at` (a challenge's
    /// resolution deadline, or the time of a void).
    /// @param meta The packed word.
    /// @param newStatus The status to set.
    /// @param at The timestamp (below 2^40).
    /// @return The updated word.
    function withStatusAt(
        uint256 meta,
        IAttributionRegistry.CommitmentStatus newStatus,
        uint256 at
    ) internal pure returns (uint256) {
        uint256 cleared = meta & ~(STATUS_MASK | (uint256(type(uint40).max) << FINAL_AT_SHIFT));
        return cleared | (uint256(uint40(at)) << FINAL_AT_SHIFT) | (uint256(newStatus) << STATUS_SHIFT);
    }

    /// @notice The commitment as the interface presents it.
    /// @param root The Merkle root.
    /// @param meta The packed word.
    /// @return c The commitment, with the stored status.
    function unpack(
        bytes32 root,
        uint256 meta
    ) internal pure returns (IAttributionRegistry.Commitment memory c) {
        c.root = root;
        c.totalWeight = uint128(meta);
        c.committedAt = uint40(meta >> COMMITTED_AT_SHIFT);
        c.finalAt = uint40(meta >> FINAL_AT_SHIFT);
        c.methodId = uint16(meta >> METHOD_SHIFT);
        c.status = statusOf(meta);
        c.operatorPoolId = uint24(meta >> POOL_SHIFT);
    }

    /// @notice The committing operator's staking pool id (0: none).
    /// @param meta The packed fields.
    /// @return The pool id.
    function poolIdOf(uint256 meta) internal pure returns (uint256) {
        return meta >> POOL_SHIFT;
    }

    /// @notice When the commitment was made.
    /// @param meta The packed fields.
    /// @return Unix seconds.
    function committedAtOf(uint256 meta) internal pure returns (uint256) {
        return uint40(meta >> COMMITTED_AT_SHIFT);
    }
}

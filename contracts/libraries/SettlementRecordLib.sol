// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title SettlementRecordLib
/// @notice The one-word record the reward distributor keeps under the live settlement root: the
/// finalised pools not yet claimed (the on-chain solvency bound), the settlement's number and the
/// last finalised pair it covers. A settlement claim reads and writes this one word.
/// A pending (posted, not yet live) root keeps a record of the same shape under its own key, with
/// id 0 (so no claim is accepted against it), its total in the claimable field and bit 255 set:
/// writing that slot at commit makes activation a rewrite instead of a new slot.
/// @dev Bits 0..95 claimable, 96..159 id, 160..223 coveredThroughSeq, 255 pending. Claimable amounts are held
/// by the distributor, so they stay below the token supply (< 2^96): adding to or taking from the
/// word itself changes the claimable field only.
library SettlementRecordLib {
    uint256 private constant ID_SHIFT = 96;
    uint256 private constant COVERED_SHIFT = 160;
    uint256 private constant PENDING_FLAG = 1 << 255;

    /// @notice Packs a record.
    /// @param claimable_ Finalised pools not yet claimed (below 2^96).
    /// @param id_ The settlement's number (0: no settlement is live under this key).
    /// @param coveredThroughSeq_ The last finalisation sequence number the settlement covers.
    /// @return The word.
    function pack(uint96 claimable_, uint64 id_, uint64 coveredThroughSeq_) internal pure returns (uint256) {
        return
            uint256(claimable_) | (uint256(id_) << ID_SHIFT) | (uint256(coveredThroughSeq_) << COVERED_SHIFT);
    }

    /// @notice The claimable amount of a record.
    /// @param record The word.
    /// @return The finalised pools not yet claimed.
    function claimable(uint256 record) internal pure returns (uint96) {
        return uint96(record);
    }

    /// @notice The settlement number of a record.
    /// @param record The word.
    /// @return The number (0 when no settlement is live under the record's key).
    function id(uint256 record) internal pure returns (uint64) {
        return uint64(record >> ID_SHIFT);
    }

    /// @notice The coverage of a record.
    /// @param record The word.
    /// @return The last finalisation sequence number covered.
    function coveredThroughSeq(uint256 record) internal pure returns (uint64) {
        return uint64(record >> COVERED_SHIFT);
    }

    /// @notice Packs the record of a pending root.
    /// @param total_ The settlement's total (below 2^96).
    /// @param coveredThroughSeq_ The last finalisation sequence number it covers.
    /// @return The word (id 0, pending bit set).
    function packPending(uint96 total_, uint64 coveredThroughSeq_) internal pure returns (uint256) {
        return uint256(total_) | (uint256(coveredThroughSeq_) << COVERED_SHIFT) | PENDING_FLAG;
    }

    /// @notice Whether a record is that of a pending root.
    /// @param record The word.
    /// @return True when the pending bit is set.
    function isPending(uint256 record) internal pure returns (bool) {
        return record & PENDING_FLAG != 0;
    }
}

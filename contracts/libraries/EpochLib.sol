// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title EpochLib
/// @notice Arithmetic of a segment of the global epoch clock: from `anchorTime` on, epoch
/// `anchorEpoch + k` spans `[anchorTime + k * length, anchorTime + (k + 1) * length)`.
library EpochLib {
    /// @notice One stretch of the clock with a constant epoch length.
    /// @param anchorTime When epoch `anchorEpoch` starts (unix seconds).
    /// @param anchorEpoch The first epoch of the segment.
    /// @param length Epoch length in seconds (> 0; 24 bits hold up to 194 days).
    struct Segment {
        uint40 anchorTime;
        uint32 anchorEpoch;
        uint24 length;
    }

    /// @notice The epoch containing `timestamp` (which must be >= `s.anchorTime`).
    /// @param s The segment.
    /// @param timestamp A time in the segment.
    /// @return The epoch.
    function epochAt(Segment memory s, uint256 timestamp) internal pure returns (uint256) {
        return (timestamp - s.anchorTime) / s.length + s.anchorEpoch;
    }

    /// @notice When epoch `epoch` (>= `s.anchorEpoch`) starts.
    /// @param s The segment.
    /// @param epoch An epoch of the segment.
    /// @return Its start, unix seconds.
    function startOf(Segment memory s, uint256 epoch) internal pure returns (uint256) {
        return uint256(s.anchorTime) + (epoch - s.anchorEpoch) * s.length;
    }
}

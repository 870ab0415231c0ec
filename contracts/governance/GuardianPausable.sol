// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {IGuardianPausable} from "../interfaces/IGuardianPausable.sol";

/// @title GuardianPausable
/// @notice Time-limited emergency pause for the money contracts (see `IGuardianPausable`).
/// @dev Role-agnostic: the host implements `_checkGuardian` and `_checkGovernance` (an AccessControl
/// host inherits them from `GovernedPausable`, where governance administers the guardian), and puts
/// `whenNotPaused` on the functions that take in new payments or commitments ONLY, never on claims
/// or withdrawals. The host also stores the pause end (`_loadPausedUntil` / `_storePausedUntil`), so
/// that it can pack it into a slot its guarded functions read anyway (a pause check then costs no
/// extra storage read).
abstract contract GuardianPausable is Context, IGuardianPausable {
    /// @inheritdoc IGuardianPausable
    uint256 public constant MAX_PAUSE_DURATION = 7 days;

    /// @inheritdoc IGuardianPausable
    uint256 public constant PAUSE_COOLDOWN = 7 days;

    /// @notice Reverts `PausedByGuardian` while paused.
    modifier whenNotPaused() {
        _requireNotPaused();
        _;
    }

    /// @inheritdoc IGuardianPausable
    function pause() external {
        _checkGuardian();
        uint256 availableAt = pauseAvailableAt();
        if (block.timestamp < availableAt) revert PauseUnavailable(availableAt);
        uint256 until = block.timestamp + MAX_PAUSE_DURATION;
        _storePausedUntil(until);
        emit Paused(_msgSender(), until);
    }

    /// @inheritdoc IGuardianPausable
    function unpause() external {
        _checkGovernance();
        if (paused()) {
            _storePausedUntil(block.timestamp);
            emit Unpaused(_msgSender());
        }
    }

    /// @inheritdoc IGuardianPausable
    function pausedUntil() external view returns (uint256) {
        return _loadPausedUntil();
    }

    /// @inheritdoc IGuardianPausable
    function paused() public view returns (bool) {
        return block.timestamp < _loadPausedUntil();
    }

    /// @inheritdoc IGuardianPausable
    function pauseAvailableAt() public view returns (uint256) {
        uint256 until = _loadPausedUntil();
        // Never paused: available now (a cooldown counted from time zero would block the first
        // pause on a chain younger than PAUSE_COOLDOWN).
        if (until == 0) return 0;
        return until + PAUSE_COOLDOWN;
    }

    /// @dev Reverts `PausedByGuardian` while paused.
    function _requireNotPaused() internal view {
        uint256 until = _loadPausedUntil();
        if (block.timestamp < until) revert PausedByGuardian(until);
    }

    /// @dev The stored pause end (0 if never paused).
    function _loadPausedUntil() internal view virtual returns (uint256);

    /// @dev Stores the pause end: a timestamp that fits 40 bits (until year 36812).
    function _storePausedUntil(uint256 until) internal virtual;

    /// @dev Reverts unless the caller is the guardian.
    function _checkGuardian() internal view virtual;

    /// @dev Reverts unless the caller is governance (the timelock).
    function _checkGovernance() internal view virtual;
}

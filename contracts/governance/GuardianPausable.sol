// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {IGuardianPausable} from "../interfaces/IGuardianPausable.sol";

/// @title GuardianPausable
/// @notice Time-limited emergency pause for the money contracts (see `IGuardianPausable`).
/// @dev Role-agnostic: the host implements `_checkGuardian` and `_checkGovernance` (for an
/// AccessControl host: `_checkRole(GUARDIAN_ROLE)` and `_checkRole(GOVERNANCE_ROLE)`, with
/// `_setRoleAdmin(GUARDIAN_ROLE, GOVERNANCE_ROLE)` so that governance replaces the guardian), and puts
/// `whenNotPaused` on the functions that take in new payments or commitments ONLY, never on claims
/// or withdrawals. One storage slot.
abstract contract GuardianPausable is Context, IGuardianPausable {
    /// @inheritdoc IGuardianPausable
    uint256 public constant MAX_PAUSE_DURATION = 7 days;

    /// @inheritdoc IGuardianPausable
    uint256 public constant PAUSE_COOLDOWN = 7 days;

    uint48 private _pausedUntil;

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
        uint48 until = Time.timestamp() + uint48(MAX_PAUSE_DURATION);
        _pausedUntil = until;
        emit Paused(_msgSender(), until);
    }

    /// @inheritdoc IGuardianPausable
    function unpause() external {
        _checkGovernance();
        if (paused()) {
            _pausedUntil = Time.timestamp();
            emit Unpaused(_msgSender());
        }
    }

    /// @inheritdoc IGuardianPausable
    function pausedUntil() external view returns (uint256) {
        return _pausedUntil;
    }

    /// @inheritdoc IGuardianPausable
    function paused() public view returns (bool) {
        return block.timestamp < _pausedUntil;
    }

    /// @inheritdoc IGuardianPausable
    function pauseAvailableAt() public view returns (uint256) {
        return uint256(_pausedUntil) + PAUSE_COOLDOWN;
    }

    /// @dev Reverts `PausedByGuardian` while paused.
    function _requireNotPaused() internal view {
        if (paused()) revert PausedByGuardian(_pausedUntil);
    }

    /// @dev Reverts unless the caller is the guardian.
    function _checkGuardian() internal view virtual;

    /// @dev Reverts unless the caller is governance (the timelock).
    function _checkGovernance() internal view virtual;
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GovernedPausable} from "../governance/GovernedPausable.sol";

/// @title MockParameterTarget
/// @notice Test stand-in for a protocol contract wired the way the money contracts will be: a bounded
/// parameter that only GOVERNANCE_ROLE (the timelock) may set, and a guardian pause that stops new
/// payments (`pay`) but never claims (`claim`).
contract MockParameterTarget is GovernedPausable {
    /// @notice The fee is above its cap.
    /// @param fee The fee given.
    /// @param cap The cap.
    error FeeAboveCap(uint16 fee, uint16 cap);

    /// @notice The fee changed.
    /// @param previousFee The old fee.
    /// @param fee The new fee.
    event FeeChanged(uint16 previousFee, uint16 fee);

    /// @notice The fee cap in basis points (10%).
    uint16 public constant MAX_FEE_BPS = 1_000;

    /// @notice The fee in basis points.
    uint16 public fee;
    /// @notice Payments taken.
    uint256 public payments;
    /// @notice Claims paid.
    uint256 public claims;
    uint40 private _pausedUntil;

    /// @param governance Receives DEFAULT_ADMIN_ROLE and GOVERNANCE_ROLE (the timelock).
    /// @param guardian Receives GUARDIAN_ROLE (address(0): none).
    /// @param initialFee The initial fee (not checked against the cap).
    constructor(address governance, address guardian, uint16 initialFee) GovernedPausable(governance) {
        if (guardian != address(0)) _grantRole(GUARDIAN_ROLE, guardian);
        fee = initialFee;
    }

    /// @notice Sets the fee (GOVERNANCE_ROLE), at most `MAX_FEE_BPS`.
    /// @param newFee The fee in basis points.
    function setFee(uint16 newFee) external onlyRole(GOVERNANCE_ROLE) {
        if (newFee > MAX_FEE_BPS) revert FeeAboveCap(newFee, MAX_FEE_BPS);
        uint16 previousFee = fee;
        fee = newFee;
        emit FeeChanged(previousFee, newFee);
    }

    /// @notice Stands for a payment or a commitment: stops while paused.
    function pay() external whenNotPaused {
        ++payments;
    }

    /// @notice Stands for a claim or a withdrawal: never paused.
    function claim() external {
        ++claims;
    }

    function _loadPausedUntil() internal view override returns (uint256) {
        return _pausedUntil;
    }

    function _storePausedUntil(uint256 until) internal override {
        _pausedUntil = uint40(until); // cast: a timestamp
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {GuardianPausable} from "./GuardianPausable.sol";

/// @title GovernedPausable
/// @notice `GuardianPausable` wired to AccessControl roles: GOVERNANCE_ROLE unpauses and administers
/// GUARDIAN_ROLE, GUARDIAN_ROLE pauses. The host still stores the pause end
/// (`_loadPausedUntil` / `_storePausedUntil`) and marks its guarded functions `whenNotPaused`.
abstract contract GovernedPausable is AccessControl, GuardianPausable {
    /// @notice Changes parameters, unpauses and replaces the guardian (the timelock after deployment).
    bytes32 public constant GOVERNANCE_ROLE = keccak256("GOVERNANCE_ROLE");
    /// @notice May pause the host's guarded functions for a limited time (administered by
    /// GOVERNANCE_ROLE).
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

    /// @param admin Receives DEFAULT_ADMIN_ROLE and GOVERNANCE_ROLE.
    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(GOVERNANCE_ROLE, admin);
        _setRoleAdmin(GUARDIAN_ROLE, GOVERNANCE_ROLE);
    }

    function _checkGuardian() internal view override {
        _checkRole(GUARDIAN_ROLE);
    }

    function _checkGovernance() internal view override {
        _checkRole(GOVERNANCE_ROLE);
    }
}

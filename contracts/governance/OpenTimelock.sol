// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IOpenTimelock} from "../interfaces/IOpenTimelock.sol";

/// @title OpenTimelock
/// @notice OpenZeppelin's TimelockController under the suite's name, with its minimum delay
/// bounded (see `IOpenTimelock`). It executes what `OpenGovernor` passed, after `getMinDelay()`
/// (default 2 days), and is the account that holds every governance role of the protocol.
/// @dev Deploy with `proposers = []`, `executors = [address(0)]` (anyone executes a ready operation)
/// and `admin = deployer`; then grant PROPOSER_ROLE and CANCELLER_ROLE to the governor and have the
/// deployer renounce DEFAULT_ADMIN_ROLE. After that only the timelock administers itself.
contract OpenTimelock is IOpenTimelock, TimelockController {
    /// @inheritdoc IOpenTimelock
    uint256 public constant MIN_DELAY_FLOOR = 2 days;
    /// @inheritdoc IOpenTimelock
    uint256 public constant MIN_DELAY_CEILING = 30 days;

    /// @param minDelay Minimum delay of an operation in seconds (default 2 days; within the bounds).
    /// @param proposers Accounts granted PROPOSER_ROLE and CANCELLER_ROLE.
    /// @param executors Accounts granted EXECUTOR_ROLE (address(0): anyone).
    /// @param admin Optional temporary admin (address(0) for none); must renounce after wiring.
    constructor(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) TimelockController(minDelay, proposers, executors, admin) {
        _checkMinDelay(minDelay);
    }

    /// @notice Changes the minimum delay; only the timelock itself (a passed proposal) may, and
    /// only within [`MIN_DELAY_FLOOR`, `MIN_DELAY_CEILING`] (`MinDelayOutOfBounds` otherwise).
    /// @param newDelay The new minimum delay, in seconds.
    function updateDelay(uint256 newDelay) public override {
        // Another caller gets OpenZeppelin's TimelockUnauthorizedCaller from the parent.
        if (msg.sender == address(this)) _checkMinDelay(newDelay);
        super.updateDelay(newDelay);
    }

    /// @dev Reverts `MinDelayOutOfBounds` outside the bounds.
    function _checkMinDelay(uint256 delay) private pure {
        if (delay < MIN_DELAY_FLOOR || delay > MIN_DELAY_CEILING) {
            revert MinDelayOutOfBounds(delay, MIN_DELAY_FLOOR, MIN_DELAY_CEILING);
        }
    }
}

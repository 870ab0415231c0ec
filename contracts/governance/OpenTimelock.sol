// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title OpenTimelock
/// @notice OpenZeppelin's TimelockController as is, under the suite's name (so that Hardhat builds
/// an artifact and typings for it). It executes what `OpenGovernor` passed, after `getMinDelay()`
/// (default 2 days), and is the account that holds every governance role of the protocol.
/// @dev Deploy with `proposers = []`, `executors = [address(0)]` (anyone executes a ready operation)
/// and `admin = deployer`; then grant PROPOSER_ROLE and CANCELLER_ROLE to the governor and have the
/// deployer renounce DEFAULT_ADMIN_ROLE. After that only the timelock administers itself.
contract OpenTimelock is TimelockController {
    /// @param minDelay Minimum delay of an operation in seconds (default 2 days).
    /// @param proposers Accounts granted PROPOSER_ROLE and CANCELLER_ROLE.
    /// @param executors Accounts granted EXECUTOR_ROLE (address(0): anyone).
    /// @param admin Optional temporary admin (address(0) for none); must renounce after wiring.
    constructor(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) TimelockController(minDelay, proposers, executors, admin) {}
}

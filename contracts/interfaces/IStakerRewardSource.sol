// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title A contract that releases staker rewards to the staking contract
/// @notice The reward distributor implements it: its staker reserve moves to staking.
interface IStakerRewardSource {
    /// @notice Transfers every staker reward held for the caller's contract (the staking contract)
    /// to it.
    /// @return amount OPEN transferred.
    function releaseStakerRewards() external returns (uint256 amount);
}

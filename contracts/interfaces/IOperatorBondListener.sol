// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title A contract that keeps a copy of operators' bond status
/// @notice The staking contract tells its bond listener (the attribution registry) whenever an
/// operator's bond status may have changed, so that a commit checks the bond in the registry's own
/// storage instead of calling staking.
/// @dev The staking contract calls `updateOperatorBond` after every change that can lower an
/// operator's bond or raise the minimum (the operator's own unstake, a slash of its pool, delisting,
/// a new minimum) and after every change that can make it bonded (its own stake, listing); anyone
/// may push the current status with `IOperatorStaking.syncBond`. A copy can therefore lag only by
/// rounding in the operator's favour (other stakers' stake and withdrawals raise the exchange rate
/// by at most a few wei), never the other way: a listener that finds `bonded == false` asks the
/// staking contract (`IOperatorStaking.requireBonded`) before refusing.
interface IOperatorBondListener {
    /// @notice Records `operator`'s staking pool and whether it is bonded (the staking contract only).
    /// @param bonded Whether it is listed with its own stake at least the minimum bond.
    function updateOperatorBond(address operator, uint256 poolId, bool bonded) external;
}

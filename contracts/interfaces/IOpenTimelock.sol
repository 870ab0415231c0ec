// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title OpenLedger timelock
/// @notice OpenZeppelin's TimelockController with its minimum delay bounded in the contract:
/// neither the deployment nor a later `updateDelay` (which only the timelock itself can call, i.e.
/// a passed proposal) can set it below `MIN_DELAY_FLOOR` (2 days) or above `MIN_DELAY_CEILING`
/// (30 days). The floor keeps the notice users get before a passed proposal executes; the ceiling
/// keeps governance from locking itself out (a delay no proposal could wait for would also stop
/// the proposal that lowers it).
/// @dev Warning: the bounds hold the timelock's own delay only. Whatever roles the timelock holds
/// it can grant (a passed proposal may hand a protocol role to any account); that is governance's
/// power, bounded by the 8-day path in front of it, not by this contract.
interface IOpenTimelock {
    /// @notice A minimum delay outside [`MIN_DELAY_FLOOR`, `MIN_DELAY_CEILING`].
    /// @param delay The delay given, in seconds.
    /// @param floor The lowest delay allowed.
    /// @param ceiling The highest delay allowed.
    error MinDelayOutOfBounds(uint256 delay, uint256 floor, uint256 ceiling);

    /// @notice The lowest minimum delay the timelock accepts: 2 days.
    /// @return Seconds.
    // solhint-disable-next-line func-name-mixedcase
    function MIN_DELAY_FLOOR() external view returns (uint256);

    /// @notice The highest minimum delay the timelock accepts: 30 days.
    /// @return Seconds.
    // solhint-disable-next-line func-name-mixedcase
    function MIN_DELAY_CEILING() external view returns (uint256);
}

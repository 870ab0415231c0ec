// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title StakeMathLib
/// @notice Share and reward arithmetic of the staking pools, every rounding against the staker.
/// @dev Exchange rate: a pool holding `assets` OPEN against `shares` shares converts with one
/// virtual share and one virtual unit of OPEN (OpenZeppelin ERC-4626 with a zero decimals offset),
/// so an empty pool starts at 1:1 and a pool slashed to zero OPEN still converts without dividing
/// by zero. A part never holds fewer shares than OPEN (it starts 1:1; minting rounds shares down
/// only when shares >= OPEN, burning rounds them up by at most the surplus, slashes only lower the
/// OPEN), so every positive stake mints at least one share and a part holding OPEN has shares.
/// Rewards: a staker's gross rewards are `shares * rewardPerShare / PRECISION`; its
/// `rewardDebt` is what of that it may not (or no longer) claim, so that
/// `pending = floor(gross) - rewardDebt` (never below zero). When a staker's shares change, the
/// debt is set from the rounded-UP gross of the new shares, so later accruals never exceed the
/// exact product of shares and accumulator growth.
library StakeMathLib {
    /// @notice Basis-point denominator.
    uint256 internal constant BPS = 10_000;
    /// @notice Scale of the reward-per-share accumulators.
    uint256 internal constant PRECISION = 1e18;

    /// @notice Shares minted for `assets` (rounded down).
    /// @param assets OPEN in.
    /// @param totalAssets The pool part's OPEN.
    /// @param totalShares The pool part's shares.
    /// @return Shares.
    function toSharesDown(
        uint256 assets,
        uint256 totalAssets,
        uint256 totalShares
    ) internal pure returns (uint256) {
        return Math.mulDiv(assets, totalShares + 1, totalAssets + 1);
    }

    /// @notice Shares to burn to take `assets` out (rounded up).
    /// @param assets OPEN out.
    /// @param totalAssets The pool part's OPEN.
    /// @param totalShares The pool part's shares.
    /// @return Shares.
    function toSharesUp(
        uint256 assets,
        uint256 totalAssets,
        uint256 totalShares
    ) internal pure returns (uint256) {
        return Math.mulDiv(assets, totalShares + 1, totalAssets + 1, Math.Rounding.Ceil);
    }

    /// @notice What `shares` are worth (rounded down).
    /// @param totalAssets The pool part's OPEN.
    /// @param totalShares The pool part's shares.
    /// @return OPEN.
    function toAssetsDown(
        uint256 shares,
        uint256 totalAssets,
        uint256 totalShares
    ) internal pure returns (uint256) {
        return Math.mulDiv(shares, totalAssets + 1, totalShares + 1);
    }

    /// @notice The part of `amount` a slash of `bps` takes (rounded up: against the stakers).
    /// @param amount OPEN in the pool part.
    /// @param bps Basis points (at most BPS).
    /// @return OPEN slashed (at most `amount`).
    function slashPart(uint256 amount, uint256 bps) internal pure returns (uint256) {
        return Math.mulDiv(amount, bps, BPS, Math.Rounding.Ceil);
    }

    /// @notice Claimable rewards of `shares` with `rewardDebt` at accumulator `rewardPerShare`.
    /// @param shares Bonded shares.
    /// @param rewardDebt The position's debt.
    /// @param rewardPerShare The pool's accumulator.
    /// @return OPEN (0 if the debt is not yet covered).
    function pending(
        uint256 shares,
        int256 rewardDebt,
        uint256 rewardPerShare
    ) internal pure returns (uint256) {
        int256 gross = SafeCast.toInt256(Math.mulDiv(shares, rewardPerShare, PRECISION));
        return gross > rewardDebt ? uint256(gross - rewardDebt) : 0;
    }

    /// @notice The debt that leaves `shares` exactly `pendingRewards` claimable now and accrues from
    /// the rounded-up gross on.
    /// @param shares The new bonded shares.
    /// @param rewardPerShare The pool's accumulator.
    /// @param pendingRewards What stays claimable.
    /// @return The new debt.
    function debtFor(
        uint256 shares,
        uint256 rewardPerShare,
        uint256 pendingRewards
    ) internal pure returns (int256) {
        uint256 grossUp = Math.mulDiv(shares, rewardPerShare, PRECISION, Math.Rounding.Ceil);
        return SafeCast.toInt256(grossUp) - SafeCast.toInt256(pendingRewards);
    }

    /// @notice Shares a distribution of `toStakers` among `shares` bonded shares.
    /// @param toStakers OPEN for the pool's stakers.
    /// @param shares Bonded shares (> 0).
    /// @return increment The accumulator increment (rounded down).
    /// @return credited OPEN the increment can ever pay (rounded up, at most `toStakers`); the rest
    /// goes back to the queue.
    function rewardIncrement(
        uint256 toStakers,
        uint256 shares
    ) internal pure returns (uint256 increment, uint256 credited) {
        increment = Math.mulDiv(toStakers, PRECISION, shares);
        credited = Math.mulDiv(increment, shares, PRECISION, Math.Rounding.Ceil);
    }
}

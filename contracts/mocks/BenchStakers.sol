// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IOperatorStaking} from "../interfaces/IOperatorStaking.sol";
import {BenchStaker} from "./BenchStaker.sol";

/// @title BenchStakers
/// @notice Bench-only (`npm run bench`): fills an operator's pool with many distinct stakers in
/// few transactions, so the bench can measure a stake or a slash in a pool of 100,000 real
/// delegations. Each staker is a contract created here that takes its OPEN from this contract,
/// approves staking and stakes behind the operator in its constructor (and keeps no code).
contract BenchStakers {
    using SafeERC20 for IERC20;

    /// @notice `fund` was called outside `stakeMany`.
    error NotFunding();

    /// @notice The OPEN token.
    IERC20 public immutable token;
    /// @notice The staking contract.
    IOperatorStaking public immutable staking;
    bool private _funding;

    /// @param token_ The OPEN token.
    /// @param staking_ The staking contract.
    constructor(IERC20 token_, IOperatorStaking staking_) {
        token = token_;
        staking = staking_;
    }

    /// @notice Creates `count` stakers, each staking `assets` behind `operator`, paid from this
    /// contract's OPEN balance (transfer `count * assets` here first).
    /// @param operator The pool.
    /// @param count Stakers to create.
    /// @param assets OPEN each stakes.
    function stakeMany(address operator, uint256 count, uint256 assets) external {
        _funding = true;
        for (uint256 i = 0; i < count; ++i) new BenchStaker(operator, assets);
        _funding = false;
    }

    /// @notice Sends `assets` OPEN to the staker being created (its constructor calls this).
    /// @param assets OPEN to send.
    function fund(uint256 assets) external {
        if (!_funding) revert NotFunding();
        token.safeTransfer(msg.sender, assets);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IStakerRewardSource} from "../interfaces/IStakerRewardSource.sol";

/// @title MockRewardSource
/// @notice Test stand-in for the reward distributor's staker reserve: releases its whole OPEN
/// balance to the caller.
contract MockRewardSource is IStakerRewardSource {
    using SafeERC20 for IERC20;

    /// @notice The OPEN token.
    IERC20 public immutable token;

    /// @param token_ The OPEN token.
    constructor(IERC20 token_) {
        token = token_;
    }

    /// @inheritdoc IStakerRewardSource
    function releaseStakerRewards() external returns (uint256 amount) {
        amount = token.balanceOf(address(this));
        if (amount != 0) token.safeTransfer(msg.sender, amount);
    }
}

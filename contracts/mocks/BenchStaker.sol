// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {BenchStakers} from "./BenchStakers.sol";

/// @title BenchStaker
/// @notice One staker of `BenchStakers`: stakes in its constructor and keeps no code.
contract BenchStaker {
    using SafeERC20 for IERC20;

    /// @param operator The pool.
    /// @param assets OPEN to stake.
    constructor(address operator, uint256 assets) {
        BenchStakers factory = BenchStakers(msg.sender);
        factory.fund(assets);
        factory.token().forceApprove(address(factory.staking()), assets);
        factory.staking().stake(operator, assets);
        // solhint-disable-next-line no-inline-assembly
        assembly {
            return(0, 0)
        }
    }
}

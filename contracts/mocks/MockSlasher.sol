// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOperatorStaking} from "../interfaces/IOperatorStaking.sol";

/// @title MockSlasher
/// @notice Test stand-in for a resolution path (the attribution registry, a settlement dispute):
/// a contract that holds SLASHER_ROLE and forwards a slash.
contract MockSlasher {
    /// @notice The staking contract.
    IOperatorStaking public immutable staking;

    /// @param staking_ The staking contract.
    constructor(IOperatorStaking staking_) {
        staking = staking_;
    }

    /// @notice Slashes through the staking contract.
    /// @param operator The pool.
    /// @param beneficiary Who proved the fault.
    /// @param caseId The case.
    /// @return slashed OPEN taken.
    /// @return reward OPEN to the beneficiary.
    function slash(
        address operator,
        address beneficiary,
        bytes32 caseId
    ) external returns (uint256 slashed, uint256 reward) {
        return staking.slash(operator, beneficiary, caseId);
    }
}

// SPDX-License-Identifier: MIT
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {EntryPointBase} from "./EntryPointBase.sol";

/// @notice RewardDistributor, AccessControl: grantRole, revokeRole, renounceRole.
contract EntryPointsDistributorRolesTest is EntryPointBase {
    bytes32 private constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );

    function _digest() internal view override returns (bytes32) {
        return _distributorDigest();
    }

    function testFuzz_grantRole(uint256 callerSeed, uint256 roleSeed, uint256 accountSeed) public {
        _fuzzGrantRole(distributor, callerSeed % 2 == 0 ? 0 : callerSeed, roleSeed, accountSeed);
    }

    function testFuzz_revokeRole(uint256 callerSeed, uint256 roleSeed, uint256 accountSeed) public {
        _fuzzRevokeRole(distributor, callerSeed % 2 == 0 ? 0 : callerSeed, roleSeed, accountSeed);
    }

    function testFuzz_renounceRole(uint256 callerSeed, uint256 roleSeed, uint256 confirmSeed) public {
        _fuzzRenounceRole(distributor, callerSeed, roleSeed, confirmSeed);
    }
}

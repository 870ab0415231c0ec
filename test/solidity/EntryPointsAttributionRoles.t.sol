// SPDX-License-Identifier: MIT
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {EntryPointBase} from "./EntryPointBase.sol";

/// @notice AttributionRegistry, AccessControl: grantRole, revokeRole, renounceRole.
contract EntryPointsAttributionRolesTest is EntryPointBase {
    function _digest() internal view override returns (bytes32) {
        return _attributionDigest();
    }

    function testFuzz_grantRole(uint256 callerSeed, uint256 roleSeed, uint256 accountSeed) public {
        _fuzzGrantRole(attribution, callerSeed % 2 == 0 ? 0 : callerSeed, roleSeed, accountSeed);
    }

    function testFuzz_revokeRole(uint256 callerSeed, uint256 roleSeed, uint256 accountSeed) public {
        _fuzzRevokeRole(attribution, callerSeed % 2 == 0 ? 0 : callerSeed, roleSeed, accountSeed);
    }

    function testFuzz_renounceRole(uint256 callerSeed, uint256 roleSeed, uint256 confirmSeed) public {
        _fuzzRenounceRole(attribution, callerSeed, roleSeed, confirmSeed);
    }
}

// SPDX-License-Identifier: MIT
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {IAttributionRegistry} from "../../contracts/interfaces/IAttributionRegistry.sol";
import {EntryPointBase} from "./EntryPointBase.sol";

/// @notice AttributionRegistry, governance setters: setEpochLength, setChallengeWindow, setChallengeBond, setTreasury.
contract EntryPointsAttributionGovernanceTest is EntryPointBase {
    function _digest() internal view override returns (bytes32) {
        return keccak256(abi.encode(_attributionDigest(), _tokenDigest()));
    }

    function testFuzz_setEpochLength(uint256 callerSeed, uint256 lengthSeed, uint256 warpSeed) public {
        vm.warp(block.timestamp + (warpSeed % (2 * EPOCH)));
        address caller = callerSeed % 2 == 0 ? admin : _caller(callerSeed);
        uint256 length =
            lengthSeed % 3 == 0 ? _amount(lengthSeed >> 2, 1 hours) : bound(lengthSeed, 0, 31 days);
        uint256 epoch = attribution.currentEpoch();
        uint256 end = attribution.epochEnd(epoch);
        _allowAccessControl();
        _allow(IAttributionRegistry.EpochLengthOutOfRange.selector);
        (bool ok, ) = _call(
            "setEpochLength",
            caller,
            address(attribution),
            abi.encodeCall(attribution.setEpochLength, (length))
        );
        if (ok) {
            assertEq(attribution.currentEpoch(), epoch, "setEpochLength: current epoch moved");
            assertEq(attribution.epochEnd(epoch), end, "setEpochLength: current epoch end moved");
            assertEq(attribution.epochEnd(epoch + 1), end + length, "setEpochLength: next epoch length");
        }
    }

    function testFuzz_setChallengeWindow(uint256 callerSeed, uint256 windowSeed) public {
        address caller = callerSeed % 2 == 0 ? admin : _caller(callerSeed);
        uint256 window =
            windowSeed % 3 == 0 ? _amount(windowSeed >> 2, 1 hours) : bound(windowSeed, 0, 31 days);
        _allowAccessControl();
        _allow(IAttributionRegistry.ChallengeWindowOutOfRange.selector);
        (bool ok, ) = _call(
            "setChallengeWindow",
            caller,
            address(attribution),
            abi.encodeCall(attribution.setChallengeWindow, (window))
        );
        if (ok) assertEq(attribution.challengeWindow(), window, "setChallengeWindow: window");
    }

    function testFuzz_setChallengeBond(uint256 callerSeed, uint256 bondSeed) public {
        address caller = callerSeed % 2 == 0 ? admin : _caller(callerSeed);
        uint256 bond = _amount(bondSeed, 10_000_000 ether);
        _allowAccessControl();
        _allow(IAttributionRegistry.ChallengeBondOutOfRange.selector);
        (bool ok, ) = _call(
            "setChallengeBond",
            caller,
            address(attribution),
            abi.encodeCall(attribution.setChallengeBond, (bond))
        );
        if (ok) assertEq(attribution.challengeBond(), bond, "setChallengeBond: bond");
    }

    function testFuzz_setTreasury(uint256 callerSeed, uint256 treasurySeed) public {
        address caller = callerSeed % 2 == 0 ? admin : _caller(callerSeed);
        address newTreasury = _account(treasurySeed);
        _allowAccessControl();
        _allow(IAttributionRegistry.ZeroAddress.selector);
        (bool ok, ) = _call(
            "setTreasury",
            caller,
            address(attribution),
            abi.encodeCall(attribution.setTreasury, (newTreasury))
        );
        if (ok) assertEq(attribution.treasury(), newTreasury, "setTreasury: treasury");
    }
}

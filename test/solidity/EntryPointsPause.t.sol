// SPDX-License-Identifier: MIT
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {IGuardianPausable} from "../../contracts/interfaces/IGuardianPausable.sol";
import {EntryPointBase} from "./EntryPointBase.sol";

/// @notice The guardian pause of AttributionRegistry and RewardDistributor: pause and unpause with
/// fuzzed callers, from fuzzed pause histories (never paused, paused, expired, in cooldown).
contract EntryPointsPauseTest is EntryPointBase {
    function _digest() internal view override returns (bytes32) {
        return keccak256(abi.encode(_attributionDigest(), _distributorDigest()));
    }

    function _target(bool onDistributor) private view returns (IGuardianPausable) {
        return
            onDistributor ? IGuardianPausable(address(distributor)) : IGuardianPausable(address(attribution));
    }

    /// @dev historySeed % 3: 0 never paused, 1 paused, 2 paused then unpaused by governance; then
    /// up to 16 days pass (inside or past the pause and the cooldown).
    function _history(IGuardianPausable target, uint256 historySeed) private {
        uint256 k = historySeed % 3;
        if (k != 0) {
            vm.prank(guardian);
            target.pause();
        }
        if (k == 2) {
            vm.prank(admin);
            target.unpause();
        }
        vm.warp(block.timestamp + ((historySeed >> 8) % 16 days));
    }

    function testFuzz_pause(uint256 callerSeed, bool onDistributor, uint256 historySeed) public {
        IGuardianPausable target = _target(onDistributor);
        _history(target, historySeed);
        address caller = callerSeed % 2 == 0 ? guardian : _caller(callerSeed);
        _allowAccessControl();
        _allow(IGuardianPausable.PauseUnavailable.selector);
        (bool ok, ) = _call("pause", caller, address(target), abi.encodeCall(target.pause, ()));
        if (ok) {
            assertTrue(target.paused(), "pause: not paused");
            assertEq(target.pausedUntil(), block.timestamp + target.MAX_PAUSE_DURATION(), "pause: end");
        }
    }

    function testFuzz_unpause(uint256 callerSeed, bool onDistributor, uint256 historySeed) public {
        IGuardianPausable target = _target(onDistributor);
        _history(target, historySeed);
        address caller = callerSeed % 2 == 0 ? admin : _caller(callerSeed);
        bool wasPaused = target.paused();
        uint256 until = target.pausedUntil();
        _allowAccessControl();
        (bool ok, ) = _call("unpause", caller, address(target), abi.encodeCall(target.unpause, ()));
        if (ok) {
            assertFalse(target.paused(), "unpause: still paused");
            assertEq(target.pausedUntil(), wasPaused ? block.timestamp : until, "unpause: end");
        }
    }
}

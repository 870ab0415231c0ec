// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {MockParameterTarget} from "../../contracts/mocks/MockParameterTarget.sol";

/// @notice Drives a guardian-pausable contract with random callers, pauses, unpauses, guardian
/// replacements, payments, claims and time; records any breach of the pause rules.
contract GuardianPausableHandler is Test {
    MockParameterTarget public immutable target;
    address public immutable governance;
    address[] public actors; // actors[0] and actors[1] alternate as guardian; the rest are strangers

    address public guardian;
    uint256 public pauses;
    uint256 public lastPauseStart;
    uint256 public violations;

    constructor(MockParameterTarget target_, address governance_, address[] memory actors_) {
        target = target_;
        governance = governance_;
        actors = actors_;
        guardian = actors_[0];
    }

    function pause(uint256 callerSeed) external {
        address caller = actors[callerSeed % actors.length];
        uint256 previousEnd = target.pausedUntil();
        bool wasPaused = target.paused();
        vm.prank(caller);
        bool ok = _tryPause();
        bool allowed =
            caller == guardian && !wasPaused && block.timestamp >= previousEnd + target.PAUSE_COOLDOWN();
        if (ok != allowed) ++violations;
        if (ok) {
            ++pauses;
            lastPauseStart = block.timestamp;
            if (target.pausedUntil() != block.timestamp + target.MAX_PAUSE_DURATION()) ++violations;
        }
    }

    function unpause(uint256 callerSeed) external {
        address caller = callerSeed % 2 == 0 ? governance : actors[callerSeed % actors.length];
        bool wasPaused = target.paused();
        uint256 previousEnd = target.pausedUntil();
        vm.prank(caller);
        bool ok = _tryUnpause();
        if (ok != (caller == governance)) ++violations;
        if (ok && target.paused()) ++violations;
        if (
            ok && (wasPaused ? target.pausedUntil() != block.timestamp : target.pausedUntil() != previousEnd)
        ) {
            ++violations;
        }
    }

    function replaceGuardian() external {
        address next = guardian == actors[0] ? actors[1] : actors[0];
        bytes32 role = target.GUARDIAN_ROLE();
        vm.startPrank(governance);
        target.revokeRole(role, guardian);
        target.grantRole(role, next);
        vm.stopPrank();
        guardian = next;
    }

    function pay(uint256 callerSeed) external {
        bool wasPaused = target.paused();
        vm.prank(actors[callerSeed % actors.length]);
        bool ok = _tryPay();
        if (ok == wasPaused) ++violations;
    }

    function claim(uint256 callerSeed) external {
        vm.prank(actors[callerSeed % actors.length]);
        bool ok = _tryClaim();
        if (!ok) ++violations;
    }

    function warp(uint256 secondsAhead) external {
        vm.warp(block.timestamp + bound(secondsAhead, 1, 10 days));
    }

    function _tryPause() private returns (bool) {
        try target.pause() {
            return true;
        } catch {
            return false;
        }
    }

    function _tryUnpause() private returns (bool) {
        try target.unpause() {
            return true;
        } catch {
            return false;
        }
    }

    function _tryPay() private returns (bool) {
        try target.pay() {
            return true;
        } catch {
            return false;
        }
    }

    function _tryClaim() private returns (bool) {
        try target.claim() {
            return true;
        } catch {
            return false;
        }
    }
}

/// @notice Invariants of the guardian pause: time-limited, never extended, never blocks claims, only
/// the guardian pauses and only governance unpauses.
contract GuardianPausableInvariantTest is Test {
    MockParameterTarget internal target;
    GuardianPausableHandler internal handler;

    function setUp() public {
        vm.warp(1_700_000_000);
        address governance = makeAddr("governance");
        address[] memory actors = new address[](4);
        for (uint256 i = 0; i < actors.length; i++) {
            actors[i] = makeAddr(string.concat("actor", vm.toString(i)));
        }
        target = new MockParameterTarget(governance, actors[0], 300);
        handler = new GuardianPausableHandler(target, governance, actors);
        targetContract(address(handler));
    }

    function invariant_noRuleBroken() public view {
        assertEq(handler.violations(), 0, "a pause rule was broken");
    }

    function invariant_pauseNeverOutlivesItsMaximum() public view {
        if (target.paused()) {
            assertLt(
                block.timestamp,
                handler.lastPauseStart() + target.MAX_PAUSE_DURATION(),
                "pause too long"
            );
        }
        assertLe(target.pausedUntil(), block.timestamp + target.MAX_PAUSE_DURATION(), "pause ends too late");
    }
}

/// @notice Fuzz tests of who may pause and unpause, and when.
contract GuardianPausableFuzzTest is Test {
    MockParameterTarget internal target;
    address internal governance = makeAddr("governance");
    address internal guardian = makeAddr("guardian");

    function setUp() public {
        vm.warp(1_700_000_000);
        target = new MockParameterTarget(governance, guardian, 300);
    }

    function testFuzz_pause_revertsForAnyoneButTheGuardian(address caller) public {
        vm.assume(caller != guardian);
        vm.prank(caller);
        vm.expectRevert();
        target.pause();
        assertFalse(target.paused());
    }

    function testFuzz_unpause_revertsForAnyoneButGovernance(address caller) public {
        vm.assume(caller != governance);
        vm.prank(guardian);
        target.pause();
        vm.prank(caller);
        vm.expectRevert();
        target.unpause();
        assertTrue(target.paused());
    }

    function testFuzz_pause_allowedAgainOnlyAfterPauseAndCooldown(uint256 elapsed) public {
        elapsed = bound(elapsed, 0, 60 days);
        vm.prank(guardian);
        target.pause();
        uint256 start = block.timestamp;
        vm.warp(start + elapsed);
        bool expected = elapsed >= target.MAX_PAUSE_DURATION() + target.PAUSE_COOLDOWN();
        assertEq(target.paused(), elapsed < target.MAX_PAUSE_DURATION(), "paused() at elapsed");
        vm.prank(guardian);
        bool ok = _tryPause();
        assertEq(ok, expected, "pause allowed at the wrong time");
    }

    function testFuzz_pause_firstPauseAvailableAtAnyTime(uint256 timestamp) public {
        MockParameterTarget fresh = new MockParameterTarget(governance, guardian, 300);
        vm.warp(bound(timestamp, 0, 2 * fresh.PAUSE_COOLDOWN()));
        assertEq(fresh.pauseAvailableAt(), 0, "never paused: available now");
        vm.prank(guardian);
        fresh.pause();
        assertEq(fresh.pausedUntil(), block.timestamp + fresh.MAX_PAUSE_DURATION());
        assertEq(fresh.pauseAvailableAt(), fresh.pausedUntil() + fresh.PAUSE_COOLDOWN());
    }

    function testFuzz_claim_neverPaused(uint256 elapsed, address caller) public {
        vm.prank(guardian);
        target.pause();
        vm.warp(block.timestamp + bound(elapsed, 0, 30 days));
        vm.prank(caller);
        target.claim();
        assertEq(target.claims(), 1);
    }

    function _tryPause() private returns (bool) {
        try target.pause() {
            return true;
        } catch {
            return false;
        }
    }
}

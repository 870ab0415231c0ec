// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;
// solhint-disable func-name-mixedcase

import {Test} from "forge-std/Test.sol";
import {AttributionRegistry} from "../../contracts/attribution/AttributionRegistry.sol";
import {RewardDistributor} from "../../contracts/rewards/RewardDistributor.sol";
import {IRewardDistributor} from "../../contracts/interfaces/IRewardDistributor.sol";
import {FeeSplitLib} from "../../contracts/libraries/FeeSplitLib.sol";
import {RewardHandler} from "./RewardInvariants.t.sol";

/// @notice Only role holders commit, settle, resolve, withdraw the treasury or change parameters.
contract RewardRolesFuzzTest is Test {
    RewardHandler internal handler;

    function setUp() public {
        handler = new RewardHandler();
    }

    function testFuzz_roleActions_revertForOthers(address caller) public {
        vm.assume(
            caller != handler.gov() &&
                caller != handler.operator() &&
                caller != handler.settler() &&
                caller != address(handler)
        );
        AttributionRegistry registry = handler.registry();
        RewardDistributor distributor = handler.distributor();
        vm.warp(block.timestamp + 2 days);
        vm.startPrank(caller);
        vm.expectRevert();
        registry.commitAttribution(1, 0, keccak256("r"), 1, 1, "u");
        vm.expectRevert();
        registry.resolveChallenge(1, 0, true);
        vm.expectRevert();
        registry.setEpochLength(2 days);
        vm.expectRevert();
        registry.setChallengeBond(1);
        vm.expectRevert();
        distributor.commitSettlement(keccak256("s"), 0, 0, "u");
        vm.expectRevert();
        distributor.setFeeSplit(IRewardDistributor.FeeSplit(0, 0, 0, 0));
        vm.expectRevert();
        distributor.setRollForwardDelay(1 days);
        vm.expectRevert();
        distributor.withdrawTreasury(caller);
        vm.expectRevert();
        distributor.recoverForeignToken(address(1), caller);
        vm.stopPrank();
    }

    /// @notice Exact split for any amount and any split within the caps; the protocol balance
    /// divides exactly too.
    function testFuzz_feeSplit_sumsExactly(
        uint96 amount,
        uint16 t,
        uint16 o,
        uint16 r,
        uint16 s
    ) public pure {
        t = uint16(bound(t, 0, 1000));
        o = uint16(bound(o, 0, 5000));
        r = uint16(bound(r, 0, 1000));
        s = uint16(bound(s, 0, 1000));
        (uint256 p, uint256 b, uint256 c, uint256 e) = FeeSplitLib.split(amount, uint256(t) + s, o, r);
        assertEq(p + b + c + e, amount, "split does not sum to the amount");
        assertLe(p, (uint256(amount) * (uint256(t) + s)) / 10_000, "protocol share rounded up");
        assertGe(
            e,
            (uint256(amount) * (10_000 - uint256(t) - o - r - s)) / 10_000,
            "contributors below their share"
        );
        (uint256 tp, uint256 sp) = FeeSplitLib.divideProtocol(p, t, s);
        assertEq(tp + sp, p, "protocol division lost tokens");
    }
}

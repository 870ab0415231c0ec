// SPDX-License-Identifier: MIT
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {IAttributionRegistry} from "../../contracts/interfaces/IAttributionRegistry.sol";
import {IRewardDistributor} from "../../contracts/interfaces/IRewardDistributor.sol";
import {IGuardianPausable} from "../../contracts/interfaces/IGuardianPausable.sol";
import {EntryPointBase} from "./EntryPointBase.sol";

/// @notice RewardDistributor, finalisation, settlement and roll-forward: finalize, commitSettlement, rollForward.
contract EntryPointsSettlementTest is EntryPointBase {
    function _digest() internal view override returns (bytes32) {
        return keccak256(abi.encode(_distributorDigest(), _tokenDigest()));
    }

    function testFuzz_finalize(uint256 callerSeed, uint256 pairSeed, uint256 warpSeed) public {
        vm.warp(block.timestamp + (warpSeed % (3 * EPOCH)));
        (uint256 modelId, uint256 epoch) = _rewardPair(pairSeed);
        uint256 seq = distributor.finalizeSeq();
        _allow(IAttributionRegistry.NotFinal.selector);
        _allow(IRewardDistributor.AlreadyFinalized.selector);
        (bool ok, ) = _call(
            "finalize",
            _caller(callerSeed),
            address(distributor),
            abi.encodeCall(distributor.finalize, (modelId, epoch))
        );
        if (ok) {
            assertEq(distributor.finalizeSeq(), seq + 1, "finalize: sequence");
            assertEq(distributor.pair(modelId, epoch).finalizeSeq, seq + 1, "finalize: pair sequence");
        }
    }

    function testFuzz_commitSettlement(
        uint256 callerSeed,
        bytes32 root,
        uint256 totalSeed,
        bool zeroRoot
    ) public {
        address caller = callerSeed % 2 == 0 ? settler : _caller(callerSeed);
        if (zeroRoot) root = bytes32(0);
        uint256 total = _amount(totalSeed, distributor.totalFinalizedPools());
        if (totalSeed % 5 == 4) total = cumAlice + cumBob - 1;
        uint256 id = distributor.latestSettlement().id;
        _maybePause(distributor, totalSeed >> 128);
        _allow(IGuardianPausable.PausedByGuardian.selector);
        _allowAccessControl();
        _allow(IRewardDistributor.ZeroRoot.selector);
        _allow(IRewardDistributor.SettlementAboveFinalized.selector);
        _allow(IRewardDistributor.SettlementTotalDecreased.selector);
        (bool ok, ) = _call(
            "commitSettlement",
            caller,
            address(distributor),
            abi.encodeCall(distributor.commitSettlement, (root, total, "ipfs://s"))
        );
        if (ok) {
            IRewardDistributor.Settlement memory s = distributor.latestSettlement();
            assertEq(s.root, root, "commitSettlement: root");
            assertEq(s.total, total, "commitSettlement: total");
            assertEq(s.id, id + 1, "commitSettlement: id");
        }
    }

    function testFuzz_rollForward(uint256 callerSeed, uint256 pairSeed, uint256 warpSeed) public {
        vm.warp(block.timestamp + (warpSeed % (3 * EPOCH)));
        (uint256 modelId, uint256 epoch) = _rewardPair(pairSeed);
        uint256 rolled = distributor.books().rolledForward;
        uint256 pool = distributor.epochPool(modelId, epoch);
        _allow(IRewardDistributor.NotRollable.selector);
        _allow(IRewardDistributor.NothingToPay.selector);
        _watch(address(distributor), abi.encodeCall(distributor.pair, (modelId, epoch)));
        (bool ok, ) = _call(
            "rollForward",
            _caller(callerSeed),
            address(distributor),
            abi.encodeCall(distributor.rollForward, (modelId, epoch))
        );
        if (ok) {
            assertEq(distributor.epochPool(modelId, epoch), 0, "rollForward: pool left");
            assertEq(distributor.books().rolledForward, rolled + pool, "rollForward: rolled");
            assertGe(
                distributor.epochPool(modelId, attribution.currentEpoch()),
                pool,
                "rollForward: current pool"
            );
        }
    }
}

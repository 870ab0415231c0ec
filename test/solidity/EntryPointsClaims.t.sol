// SPDX-License-Identifier: MIT
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {IAttributionRegistry} from "../../contracts/interfaces/IAttributionRegistry.sol";
import {IRewardDistributor} from "../../contracts/interfaces/IRewardDistributor.sol";
import {LeafLib} from "../../contracts/libraries/LeafLib.sol";
import {EntryPointBase} from "./EntryPointBase.sol";

/// @notice RewardDistributor, claims: claim, claimMany, claimDirect, claimDirectBatch (fuzzed leaves, proofs, pairs, callers, time).
contract EntryPointsClaimsTest is EntryPointBase {
    function _digest() internal view override returns (bytes32) {
        return keccak256(abi.encode(_distributorDigest(), _tokenDigest()));
    }

    /// @dev alice or bob with their leaf weight and the sibling proof (valid), or a fuzzed leaf.
    function _directLeaf(
        uint256 seed
    ) private view returns (address account, uint256 weight, bytes32[] memory proof) {
        uint256 k = seed % 4;
        if (k == 0) return (alice, W_ALICE, _proof(LeafLib.attributionLeaf(bob, W_BOB)));
        if (k == 1) return (bob, W_BOB, _proof(LeafLib.attributionLeaf(alice, W_ALICE)));
        if (k == 2) return (alice, _amount(seed >> 2, W_ALICE), _proof(LeafLib.attributionLeaf(bob, W_BOB)));
        return (_account(seed >> 2), W_BOB, _proof(keccak256(abi.encode(seed))));
    }

    /// @dev bob's unclaimed leaf, alice's claimed one, or a fuzzed leaf.
    function _settlementLeaf(
        uint256 seed
    ) private view returns (address account, uint256 cum, bytes32[] memory proof) {
        uint256 k = seed % 4;
        if (k == 0) return (bob, cumBob, _proof(LeafLib.settlementLeaf(alice, cumAlice)));
        if (k == 1) return (alice, cumAlice, _proof(LeafLib.settlementLeaf(bob, cumBob)));
        if (k == 2) return (bob, _amount(seed >> 2, cumBob), _proof(LeafLib.settlementLeaf(alice, cumAlice)));
        return (_account(seed >> 2), _amount(seed >> 10, cumBob), new bytes32[](seed % 3));
    }

    function _allowDirect() private {
        _allow(IAttributionRegistry.NotFinal.selector);
        _allow(IRewardDistributor.CoveredBySettlement.selector);
        _allow(IRewardDistributor.InvalidWeight.selector);
        _allow(IRewardDistributor.InvalidProof.selector);
        _allow(IRewardDistributor.AlreadyClaimed.selector);
        _allow(IRewardDistributor.NothingToPay.selector);
        _allow(IRewardDistributor.PoolExceeded.selector);
        _allow(IRewardDistributor.ClaimsAboveFinalized.selector);
    }

    function _allowSettlementClaim() private {
        _allow(IRewardDistributor.NoSettlement.selector);
        _allow(IRewardDistributor.InvalidProof.selector);
        _allow(IRewardDistributor.NothingToClaim.selector);
        _allow(IRewardDistributor.ClaimsAboveFinalized.selector);
    }

    function testFuzz_claim(uint256 callerSeed, uint256 leafSeed) public {
        (address account, uint256 cum, bytes32[] memory proof) = _settlementLeaf(leafSeed);
        uint256 balance = token.balanceOf(account);
        uint256 already = distributor.claimed(account);
        _allowSettlementClaim();
        (bool ok, bytes memory ret) = _call(
            "claim",
            _caller(callerSeed),
            address(distributor),
            abi.encodeCall(distributor.claim, (account, cum, proof))
        );
        if (ok) {
            assertEq(abi.decode(ret, (uint256)), cum - already, "claim: amount");
            assertEq(distributor.claimed(account), cum, "claim: claimed");
            assertEq(token.balanceOf(account), balance + cum - already, "claim: balance");
        }
    }

    function testFuzz_claimMany(
        uint256 callerSeed,
        uint256 countSeed,
        uint256 leafSeedA,
        uint256 leafSeedB
    ) public {
        uint256 n = countSeed % 3;
        IRewardDistributor.SettlementClaim[] memory claims = new IRewardDistributor.SettlementClaim[](n);
        uint256[2] memory seeds = [leafSeedA, leafSeedB];
        for (uint256 i = 0; i < n; ++i) {
            (address account, uint256 cum, bytes32[] memory proof) = _settlementLeaf(seeds[i]);
            claims[i] = IRewardDistributor.SettlementClaim({
                account: account,
                cumulativeAmount: cum,
                proof: proof
            });
        }
        uint256 totalClaimed = distributor.books().totalClaimed;
        _allowSettlementClaim();
        (bool ok, bytes memory ret) = _call(
            "claimMany",
            _caller(callerSeed),
            address(distributor),
            abi.encodeCall(distributor.claimMany, (claims))
        );
        if (ok) {
            assertEq(
                distributor.books().totalClaimed,
                totalClaimed + abi.decode(ret, (uint256)),
                "claimMany: total"
            );
            for (uint256 i = 0; i < n; ++i) {
                assertEq(
                    distributor.claimed(claims[i].account),
                    claims[i].cumulativeAmount,
                    "claimMany: claimed"
                );
            }
        }
    }

    function testFuzz_claimDirect(
        uint256 callerSeed,
        uint256 pairSeed,
        uint256 leafSeed,
        uint256 warpSeed
    ) public {
        vm.warp(block.timestamp + (warpSeed % (3 * EPOCH)));
        (uint256 modelId, uint256 epoch) = _rewardPair(pairSeed);
        (address account, uint256 weight, bytes32[] memory proof) = _directLeaf(leafSeed);
        uint256 already = distributor.claimed(account);
        _allowDirect();
        _watch(address(distributor), abi.encodeCall(distributor.pair, (modelId, epoch)));
        _watch(address(distributor), abi.encodeCall(distributor.directClaimed, (account, modelId, epoch)));
        _watch(address(distributor), abi.encodeCall(distributor.claimed, (account)));
        (bool ok, bytes memory ret) = _call(
            "claimDirect",
            _caller(callerSeed),
            address(distributor),
            abi.encodeCall(distributor.claimDirect, (account, modelId, epoch, weight, proof))
        );
        if (ok) {
            uint256 amount = abi.decode(ret, (uint256));
            assertEq(
                amount,
                (uint256(distributor.pair(modelId, epoch).pool) * weight) / (W_ALICE + W_BOB),
                "claimDirect: amount"
            );
            assertEq(distributor.claimed(account), already + amount, "claimDirect: claimed");
            assertTrue(distributor.directClaimed(account, modelId, epoch), "claimDirect: flag");
        }
    }

    function testFuzz_claimDirectBatch(
        uint256 callerSeed,
        uint256 countSeed,
        uint256 pairSeedA,
        uint256 pairSeedB,
        uint256 leafSeed
    ) public {
        (address account, uint256 weight, bytes32[] memory proof) = _directLeaf(leafSeed);
        IRewardDistributor.DirectClaim[] memory claims = _directBatch(
            countSeed % 3,
            [pairSeedA, pairSeedB],
            weight,
            proof
        );
        uint256 already = distributor.claimed(account);
        _allowDirect();
        _watch(address(distributor), abi.encodeCall(distributor.claimed, (account)));
        (bool ok, bytes memory ret) = _call(
            "claimDirectBatch",
            _caller(callerSeed),
            address(distributor),
            abi.encodeCall(distributor.claimDirectBatch, (account, claims))
        );
        if (ok) {
            assertGt(claims.length, 0, "claimDirectBatch: empty batch paid");
            assertEq(
                distributor.claimed(account),
                already + abi.decode(ret, (uint256)),
                "claimDirectBatch: claimed"
            );
        }
    }

    /// @dev n items of one account's leaf over fuzzed pairs.
    function _directBatch(
        uint256 n,
        uint256[2] memory pairSeeds,
        uint256 weight,
        bytes32[] memory proof
    ) private view returns (IRewardDistributor.DirectClaim[] memory claims) {
        claims = new IRewardDistributor.DirectClaim[](n);
        for (uint256 i = 0; i < n; ++i) {
            (uint256 modelId, uint256 epoch) = _rewardPair(pairSeeds[i]);
            claims[i] = IRewardDistributor.DirectClaim({
                modelId: modelId,
                epoch: epoch,
                weight: weight,
                proof: proof
            });
        }
    }
}

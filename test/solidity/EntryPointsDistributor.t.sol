// SPDX-License-Identifier: MIT
// Entry-point fuzz tests of RewardDistributor and the guardian pause, one test contract per group of functions (see EntryPointBase.sol).
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IModelPaymentTerms} from "../../contracts/interfaces/IModelPaymentTerms.sol";
import {IRewardDistributor} from "../../contracts/interfaces/IRewardDistributor.sol";
import {ISettlementQueue} from "../../contracts/interfaces/ISettlementQueue.sol";
import {IGuardianPausable} from "../../contracts/interfaces/IGuardianPausable.sol";
import {EntryPointBase} from "./EntryPointBase.sol";
import {IAttributionRegistry} from "../../contracts/interfaces/IAttributionRegistry.sol";
import {LeafLib} from "../../contracts/libraries/LeafLib.sol";
import {OpenToken} from "../../contracts/token/OpenToken.sol";

/// @notice RewardDistributor, money in and owner/treasury withdrawals: pay, payWithPermit, withdrawOwnerEarnings, withdrawTreasury.
contract EntryPointsPaymentsTest is EntryPointBase {
    bytes32 private constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );

    function _digest() internal view override returns (bytes32) {
        return keccak256(abi.encode(_distributorDigest(), _tokenDigest()));
    }

    function _allowPay() private {
        _allow(IRewardDistributor.ZeroUnits.selector);
        _allow(IRewardDistributor.ZeroPrice.selector);
        _allow(IRewardDistributor.ModelRetired.selector);
        _allow(IRewardDistributor.PaymentTooLarge.selector);
        _allow(IRewardDistributor.PaymentAboveMaximum.selector);
        _allow(IModelPaymentTerms.UnknownModel.selector);
        _allow(IERC20Errors.ERC20InsufficientAllowance.selector);
        _allow(IERC20Errors.ERC20InsufficientBalance.selector);
        _allow(IGuardianPausable.PausedByGuardian.selector);
    }

    function testFuzz_pay(
        uint256 callerSeed,
        uint256 modelSeed,
        uint256 unitsSeed,
        uint256 warpSeed,
        uint256 maxAmount
    ) public {
        vm.warp(block.timestamp + (warpSeed % (3 * EPOCH)));
        _maybePause(distributor, warpSeed >> 128);
        address caller = callerSeed % 2 == 0 ? payer : _caller(callerSeed);
        uint256 modelId = _id(modelSeed, MODELS);
        uint256 units = _amount(unitsSeed, 10);
        uint256 paidIn = distributor.books().paidIn;
        uint256 balance = token.balanceOf(caller);
        _allowPay();
        (bool ok, bytes memory ret) = _call(
            "pay",
            caller,
            address(distributor),
            abi.encodeCall(distributor.pay, (modelId, units, maxAmount))
        );
        if (ok) {
            uint256 amount = abi.decode(ret, (uint256));
            assertLe(amount, maxAmount, "pay: within the payer's bound");
            assertEq(amount, units * models.model(modelId).pricePerUnit, "pay: amount");
            assertEq(distributor.books().paidIn, paidIn + amount, "pay: paidIn");
            assertEq(token.balanceOf(caller), balance - amount, "pay: payer balance");
        }
    }

    /// @dev A payWithPermit call: caller, model, units and the caller's permit signature.
    // Memory only: packing does not matter.
    // solhint-disable-next-line gas-struct-packing
    struct PermitCase {
        address caller;
        uint256 modelId;
        uint256 units;
        uint256 maxAmount;
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @dev The caller signs a permit of price x units (or another value), intact or corrupted,
    /// with a live or expired deadline; payer also has an allowance, so a failed permit may pass.
    function testFuzz_payWithPermit(
        uint256 callerSeed,
        uint256 modelSeed,
        uint256 unitsSeed,
        uint256 variant
    ) public {
        PermitCase memory c = _permitCase(callerSeed, modelSeed, unitsSeed, variant);
        _maybePause(distributor, variant >> 128);
        uint256 paidIn = distributor.books().paidIn;
        _allowPay();
        _allow(IRewardDistributor.PermitFailed.selector);
        (bool ok, bytes memory ret) = _call(
            "payWithPermit",
            c.caller,
            address(distributor),
            abi.encodeCall(
                distributor.payWithPermit,
                (c.modelId, c.units, c.maxAmount, c.deadline, c.v, c.r, c.s)
            )
        );
        if (ok)
            assertEq(
                distributor.books().paidIn,
                paidIn + abi.decode(ret, (uint256)),
                "payWithPermit: paidIn"
            );
    }

    function _permitCase(
        uint256 callerSeed,
        uint256 modelSeed,
        uint256 unitsSeed,
        uint256 variant
    ) private view returns (PermitCase memory c) {
        uint256 k = callerSeed % 4;
        c.caller =
            k == 0
                ? alice
                : k == 1
                    ? bob
                    : k == 2
                        ? payer
                        : _caller(callerSeed);
        uint256 key =
            k == 0
                ? aliceKey
                : k == 1
                    ? bobKey
                    : k == 2
                        ? payerKey
                        : 1 + (callerSeed % 1e30);
        c.modelId = _id(modelSeed, MODELS);
        c.units = _amount(unitsSeed, 10);
        uint256 value = c.modelId >= 1 && c.modelId <= MODELS && c.units < 1e9 ? c.units * PRICE : c.units;
        if (variant % 4 == 1) value = value / 2;
        c.maxAmount = value; // the permit's value is the payer's bound
        c.deadline = variant % 5 == 0 ? block.timestamp - 1 : block.timestamp + 1 hours;
        (c.v, c.r, c.s) = vm.sign(key, _permitDigest(c.caller, value, c.deadline));
        if (variant % 3 == 1) c.r = bytes32(uint256(c.r) ^ 1);
    }

    function _permitDigest(address owner, uint256 value, uint256 deadline) private view returns (bytes32) {
        return
            keccak256(
                abi.encodePacked(
                    "\x19\x01",
                    token.DOMAIN_SEPARATOR(),
                    keccak256(
                        abi.encode(
                            PERMIT_TYPEHASH,
                            owner,
                            address(distributor),
                            value,
                            token.nonces(owner),
                            deadline
                        )
                    )
                )
            );
    }

    function testFuzz_withdrawOwnerEarnings(uint256 callerSeed, uint256 modelSeed, uint256 toSeed) public {
        address caller = callerSeed % 2 == 0 ? modelOwner : _caller(callerSeed);
        uint256 modelId = _id(modelSeed, MODELS);
        address to = _account(toSeed);
        uint256 earnings = distributor.ownerEarnings(modelId);
        uint256 toBalance = token.balanceOf(to);
        _allow(IModelPaymentTerms.UnknownModel.selector);
        _allow(IRewardDistributor.NotModelOwner.selector);
        _allow(IRewardDistributor.ZeroAddress.selector);
        _allow(IRewardDistributor.NothingToPay.selector);
        (bool ok, bytes memory ret) = _call(
            "withdrawOwnerEarnings",
            caller,
            address(distributor),
            abi.encodeCall(distributor.withdrawOwnerEarnings, (modelId, to))
        );
        if (ok) {
            assertEq(abi.decode(ret, (uint256)), earnings, "withdrawOwnerEarnings: amount");
            assertEq(distributor.ownerEarnings(modelId), 0, "withdrawOwnerEarnings: left");
            if (to != address(distributor))
                assertEq(token.balanceOf(to), toBalance + earnings, "withdrawOwnerEarnings: to");
        }
    }

    function testFuzz_withdrawTreasury(uint256 callerSeed, uint256 toSeed) public {
        address caller = callerSeed % 2 == 0 ? admin : _caller(callerSeed);
        address to = _account(toSeed);
        IRewardDistributor.Books memory b = distributor.books();
        _allowAccessControl();
        _allow(IRewardDistributor.ZeroAddress.selector);
        _allow(IRewardDistributor.NothingToPay.selector);
        (bool ok, bytes memory ret) = _call(
            "withdrawTreasury",
            caller,
            address(distributor),
            abi.encodeCall(distributor.withdrawTreasury, (to))
        );
        if (ok) {
            assertEq(
                abi.decode(ret, (uint256)),
                b.treasuryAccrued - b.treasuryWithdrawn,
                "withdrawTreasury: amount"
            );
            assertEq(distributor.books().treasuryWithdrawn, b.treasuryAccrued, "withdrawTreasury: withdrawn");
        }
    }
}

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

    /// @dev bob's unclaimed leaf, alice's claimed one, or a fuzzed leaf (claim arguments).
    function _settlementLeaf(
        uint256 seed
    ) private view returns (IRewardDistributor.SettlementClaim memory c) {
        uint256 k = seed % 4;
        address last = address(type(uint160).max);
        if (k == 0)
            return
                IRewardDistributor.SettlementClaim(
                    bob,
                    cumBob,
                    last,
                    cumAlice,
                    _proof(aliceSettlementLeaf())
                );
        if (k == 1)
            return IRewardDistributor.SettlementClaim(alice, cumAlice, bob, 0, _proof(bobSettlementLeaf()));
        if (k == 2)
            return
                IRewardDistributor.SettlementClaim(
                    bob,
                    _amount(seed >> 2, cumBob),
                    last,
                    cumAlice,
                    _proof(aliceSettlementLeaf())
                );
        return
            IRewardDistributor.SettlementClaim(
                _account(seed >> 2),
                _amount(seed >> 10, cumBob),
                _account(seed >> 30),
                0,
                new bytes32[](seed % 3)
            );
    }

    function _allowDirect() private {
        _allow(IAttributionRegistry.NotFinal.selector);
        _allow(IRewardDistributor.CoveredBySettlement.selector);
        _allow(IRewardDistributor.SettledUnderLiveRoot.selector);
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
        IRewardDistributor.SettlementClaim memory c = _settlementLeaf(leafSeed);
        // [balance, already claimed] before, in memory (the stack is full).
        uint256[2] memory before = [token.balanceOf(c.account), distributor.claimed(c.account)];
        _allowSettlementClaim();
        (bool ok, bytes memory ret) = _call(
            "claim",
            _caller(callerSeed),
            address(distributor),
            _claimCall(c)
        );
        if (ok) {
            assertEq(abi.decode(ret, (uint256)), c.cumulativeAmount - before[1], "claim: amount");
            assertEq(distributor.claimed(c.account), c.cumulativeAmount, "claim: claimed");
            assertEq(
                token.balanceOf(c.account),
                before[0] + c.cumulativeAmount - before[1],
                "claim: balance"
            );
        }
    }

    function _claimCall(IRewardDistributor.SettlementClaim memory c) private view returns (bytes memory) {
        return
            abi.encodeCall(
                distributor.claim,
                (c.account, c.cumulativeAmount, c.nextAccount, c.prefixBefore, c.proof)
            );
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
            claims[i] = _settlementLeaf(seeds[i]);
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
        uint256 coveredSeed,
        bool zeroRoot
    ) public {
        address caller = callerSeed % 2 == 0 ? settler : _caller(callerSeed);
        // Zero, or the marker of "no settlement yet".
        if (zeroRoot) root = bytes32(totalSeed % 2);
        uint256 total = _amount(totalSeed, distributor.totalFinalizedPools());
        if (totalSeed % 5 == 4) total = cumAlice + cumBob - 1;
        IRewardDistributor.Settlement memory before = distributor.latestSettlement();
        uint256 id = before.id;
        // Anywhere from below the previous coverage to beyond what is finalised.
        uint256 covered = coveredSeed % (distributor.finalizeSeq() + 2);
        _maybePause(distributor, totalSeed >> 128);
        _allow(IGuardianPausable.PausedByGuardian.selector);
        _allowAccessControl();
        _allow(IRewardDistributor.ZeroRoot.selector);
        _allow(IRewardDistributor.ReservedRoot.selector);
        _allow(IRewardDistributor.SettlementAboveFinalized.selector);
        _allow(IRewardDistributor.SettlementTotalDecreased.selector);
        _allow(ISettlementQueue.CoverageNotCurrent.selector);
        _allow(ISettlementQueue.RootInUse.selector);
        (bool ok, ) = _call(
            "commitSettlement",
            caller,
            address(distributor),
            abi.encodeCall(distributor.commitSettlement, (root, total, covered, "ipfs://s"))
        );
        if (ok) {
            ISettlementQueue.PendingSettlement memory p = distributor.pendingSettlement();
            assertEq(p.root, root, "commitSettlement: pending root");
            assertEq(p.total, total, "commitSettlement: total");
            assertEq(p.coveredThroughSeq, covered, "commitSettlement: coverage as stated");
            assertEq(covered, distributor.finalizeSeq(), "commitSettlement: covers every finalised pair");
            assertEq(
                p.activatesAt,
                block.timestamp + distributor.disputeWindow(),
                "commitSettlement: window"
            );
            assertEq(distributor.latestSettlement().id, id, "commitSettlement: the live root stays");
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

/// @notice RewardDistributor, governance: setFeeSplit, setRollForwardDelay, recoverForeignToken.
contract EntryPointsDistributorGovernanceTest is EntryPointBase {
    bytes32 private constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );

    OpenToken internal foreign;

    function setUp() public override {
        super.setUp();
        foreign = new OpenToken("Foreign", "FOR", address(this), 1_000 ether);
        foreign.transfer(address(distributor), 5 ether);
    }

    function _digest() internal view override returns (bytes32) {
        return
            keccak256(
                abi.encode(_distributorDigest(), _tokenDigest(), foreign.balanceOf(address(distributor)))
            );
    }

    function testFuzz_setFeeSplit(uint256 callerSeed, uint16 t, uint16 o, uint16 r, uint16 st) public {
        address caller = callerSeed % 2 == 0 ? admin : _caller(callerSeed);
        IRewardDistributor.FeeSplit memory split = IRewardDistributor.FeeSplit({
            treasuryBps: uint16(bound(t, 0, 1200)),
            ownerBps: uint16(bound(o, 0, 5200)),
            royaltyBps: uint16(bound(r, 0, 1200)),
            stakerBps: uint16(bound(st, 0, 1200))
        });
        _allowAccessControl();
        _allow(IRewardDistributor.FeeSplitAboveCap.selector);
        (bool ok, ) = _call(
            "setFeeSplit",
            caller,
            address(distributor),
            abi.encodeCall(distributor.setFeeSplit, (split))
        );
        if (ok) {
            IRewardDistributor.FeeSplit memory now_ = distributor.feeSplit();
            assertEq(now_.treasuryBps, split.treasuryBps, "setFeeSplit: treasury");
            assertEq(now_.ownerBps, split.ownerBps, "setFeeSplit: owner");
            assertEq(now_.royaltyBps, split.royaltyBps, "setFeeSplit: royalty");
            assertEq(now_.stakerBps, split.stakerBps, "setFeeSplit: staker");
        }
    }

    function testFuzz_setRollForwardDelay(uint256 callerSeed, uint256 delaySeed) public {
        address caller = callerSeed % 2 == 0 ? admin : _caller(callerSeed);
        uint256 delay = delaySeed % 3 == 0 ? _amount(delaySeed >> 2, 1 hours) : bound(delaySeed, 0, 400 days);
        _allowAccessControl();
        _allow(IRewardDistributor.RollForwardDelayOutOfRange.selector);
        (bool ok, ) = _call(
            "setRollForwardDelay",
            caller,
            address(distributor),
            abi.encodeCall(distributor.setRollForwardDelay, (delay))
        );
        if (ok) assertEq(distributor.rollForwardDelay(), delay, "setRollForwardDelay: delay");
    }

    /// @dev The foreign token is OPEN or an ERC-20 held by the distributor. Not fuzzed over
    /// addresses without code: `balanceOf` on one reverts with empty data (see the report).
    function testFuzz_recoverForeignToken(uint256 callerSeed, bool open, uint256 toSeed) public {
        address caller = callerSeed % 2 == 0 ? admin : _caller(callerSeed);
        address tokenAddress = open ? address(token) : address(foreign);
        address to = _account(toSeed);
        uint256 held = foreign.balanceOf(address(distributor));
        uint256 toBalance = foreign.balanceOf(to);
        _allowAccessControl();
        _allow(IRewardDistributor.NotForeignToken.selector);
        _allow(IRewardDistributor.ZeroAddress.selector);
        (bool ok, ) = _call(
            "recoverForeignToken",
            caller,
            address(distributor),
            abi.encodeCall(distributor.recoverForeignToken, (tokenAddress, to))
        );
        if (ok) {
            assertEq(
                foreign.balanceOf(address(distributor)),
                to == address(distributor) ? held : 0,
                "recover: left"
            );
            if (to != address(distributor)) assertEq(foreign.balanceOf(to), toBalance + held, "recover: to");
        }
    }
}

/// @notice RewardDistributor, AccessControl: grantRole, revokeRole, renounceRole.
contract EntryPointsDistributorRolesTest is EntryPointBase {
    bytes32 private constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );

    function _digest() internal view override returns (bytes32) {
        return _distributorDigest();
    }

    function testFuzz_grantRole(uint256 callerSeed, uint256 roleSeed, uint256 accountSeed) public {
        _fuzzSetRole(distributor, true, callerSeed % 2 == 0 ? 0 : callerSeed, roleSeed, accountSeed);
    }

    function testFuzz_revokeRole(uint256 callerSeed, uint256 roleSeed, uint256 accountSeed) public {
        _fuzzSetRole(distributor, false, callerSeed % 2 == 0 ? 0 : callerSeed, roleSeed, accountSeed);
    }

    function testFuzz_renounceRole(uint256 callerSeed, uint256 roleSeed, uint256 confirmSeed) public {
        _fuzzRenounceRole(distributor, callerSeed, roleSeed, confirmSeed);
    }
}

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

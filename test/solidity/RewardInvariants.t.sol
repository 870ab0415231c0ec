// SPDX-License-Identifier: MIT
// solhint-disable func-name-mixedcase, one-contract-per-file
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {OpenToken} from "../../contracts/token/OpenToken.sol";
import {MockModelRegistry} from "../../contracts/mocks/MockModelRegistry.sol";
import {AttributionRegistry} from "../../contracts/attribution/AttributionRegistry.sol";
import {RewardDistributor} from "../../contracts/rewards/RewardDistributor.sol";
import {IAttributionRegistry} from "../../contracts/interfaces/IAttributionRegistry.sol";
import {IOperatorStaking} from "../../contracts/interfaces/IOperatorStaking.sol";
import {IRewardDistributor} from "../../contracts/interfaces/IRewardDistributor.sol";
import {LeafLib} from "../../contracts/libraries/LeafLib.sol";

/// @notice Drives pay / commit / challenge / resolve / finalize / settle / claim / claimDirect /
/// rollForward / withdraw / setFeeSplit / warp across actors and epochs, keeping ghost books of what was paid
/// in and what every contributor is entitled to. Contributors are actors 0 and 1 (two-leaf trees,
/// sorted-pair hashing, proof = the sibling leaf); actor 2 only pays; model 3 derives from 2,
/// which derives from 1.
contract RewardHandler is Test {
    uint256 internal constant MODELS = 3;
    uint256 internal constant PRICE = 1 ether + 7; // odd, to exercise rounding

    OpenToken public token;
    MockModelRegistry public models;
    AttributionRegistry public registry;
    RewardDistributor public distributor;
    address public gov;
    address public operator;
    address public settler;
    address public challenger;
    address[3] public actors;

    uint256 public ghostPaidIn;
    /// @notice Successful calls per action, to see that the run reached the claim paths.
    mapping(bytes32 action => uint256) public calls;
    uint256 public ghostSettlementTotal;
    uint256[2] public lastCumulative;
    mapping(uint256 modelId => mapping(uint256 epoch => uint256[2])) public weights;

    struct PairKey {
        uint256 modelId;
        uint256 epoch;
    }

    PairKey[] internal _finalized;

    constructor() {
        gov = makeAddr("gov");
        operator = makeAddr("operator");
        settler = makeAddr("settler");
        challenger = makeAddr("challenger");
        actors = [makeAddr("alice"), makeAddr("bob"), makeAddr("app")];
        token = new OpenToken("OpenLedger", "OPEN", address(this), 1_000_000_000 ether);
        models = new MockModelRegistry();
        models.setModel(1, makeAddr("owner1"), 0, PRICE);
        models.setModel(2, makeAddr("owner2"), 1, PRICE * 3);
        models.setModel(3, makeAddr("owner3"), 2, PRICE / 3);
        registry = new AttributionRegistry(
            token,
            IOperatorStaking(address(0)),
            gov,
            makeAddr("treasury"),
            1 days,
            1 days,
            10 ether
        );
        distributor = new RewardDistributor(
            token,
            models,
            registry,
            gov,
            IRewardDistributor.FeeSplit(500, 2500, 500, 500),
            2 days
        );
        vm.startPrank(gov);
        registry.grantRole(registry.ATTRIBUTION_OPERATOR_ROLE(), operator);
        distributor.grantRole(distributor.SETTLEMENT_OPERATOR_ROLE(), settler);
        distributor.setDisputeWindow(1 hours);
        vm.stopPrank();
        for (uint256 i = 0; i < 3; ++i) {
            token.transfer(actors[i], 10_000_000 ether);
            vm.prank(actors[i]);
            token.approve(address(distributor), type(uint256).max);
        }
        token.transfer(challenger, 1_000_000 ether);
        vm.prank(challenger);
        token.approve(address(registry), type(uint256).max);
    }

    // ----- actions -----

    function pay(uint256 actorSeed, uint256 modelSeed, uint256 units) external {
        units = bound(units, 1, 1000);
        vm.prank(actors[actorSeed % 3]);
        ghostPaidIn += distributor.pay(1 + (modelSeed % MODELS), units, type(uint256).max);
        ++calls["pay"];
    }

    function warp(uint256 secs) external {
        vm.warp(block.timestamp + bound(secs, 1 hours, 1 days));
    }

    function commit(uint256 modelSeed, uint256 epochSeed, uint256 w0, uint256 w1) external {
        uint256 current = registry.currentEpoch();
        if (current == 0) return;
        uint256 modelId = 1 + (modelSeed % MODELS);
        uint256 epoch = epochSeed % current;
        IAttributionRegistry.CommitmentStatus s = registry.commitmentStatus(modelId, epoch);
        if (
            s != IAttributionRegistry.CommitmentStatus.None &&
            s != IAttributionRegistry.CommitmentStatus.Voided
        ) {
            return;
        }
        w0 = bound(w0, 1, 1e9);
        w1 = bound(w1, 1, 1e9);
        weights[modelId][epoch] = [w0, w1];
        vm.prank(operator);
        registry.commitAttribution(modelId, epoch, _root(w0, w1), w0 + w1, 1, "ipfs://t");
        ++calls["commit"];
    }

    function challenge(uint256 modelSeed, uint256 epochSeed) external {
        (uint256 modelId, uint256 epoch) = _pick(modelSeed, epochSeed);
        if (registry.commitmentStatus(modelId, epoch) != IAttributionRegistry.CommitmentStatus.Pending)
            return;
        vm.prank(challenger);
        registry.challenge(modelId, epoch, "ipfs://why");
        ++calls["challenge"];
    }

    function resolve(uint256 modelSeed, uint256 epochSeed, bool stands) external {
        (uint256 modelId, uint256 epoch) = _pick(modelSeed, epochSeed);
        if (registry.commitmentStatus(modelId, epoch) != IAttributionRegistry.CommitmentStatus.Challenged)
            return;
        vm.prank(gov);
        registry.resolveChallenge(modelId, epoch, stands);
        ++calls["resolve"];
    }

    /// @dev A challenge left unresolved past its deadline: the commitment stands, the bond goes back.
    function closeLapsed(uint256 modelSeed, uint256 epochSeed) external {
        (uint256 modelId, uint256 epoch) = _pick(modelSeed, epochSeed);
        if (registry.challengeOf(modelId, epoch).challenger == address(0)) return;
        if (registry.commitmentStatus(modelId, epoch) != IAttributionRegistry.CommitmentStatus.Final) return;
        registry.closeLapsedChallenge(modelId, epoch);
        ++calls["closeLapsed"];
    }

    function finalize(uint256 modelSeed, uint256 epochSeed) external {
        (uint256 modelId, uint256 epoch) = _pick(modelSeed, epochSeed);
        if (registry.commitmentStatus(modelId, epoch) != IAttributionRegistry.CommitmentStatus.Final) return;
        if (distributor.pair(modelId, epoch).finalizeSeq != 0) return;
        distributor.finalize(modelId, epoch);
        ++calls["finalize"];
        _finalized.push(PairKey(modelId, epoch));
    }

    function claimDirect(uint256 actorSeed, uint256 modelSeed, uint256 epochSeed) external {
        (uint256 modelId, uint256 epoch) = _pick(modelSeed, epochSeed);
        if (registry.commitmentStatus(modelId, epoch) != IAttributionRegistry.CommitmentStatus.Final) return;
        uint256 i = actorSeed % 2;
        if (distributor.directClaimed(actors[i], modelId, epoch)) return;
        IRewardDistributor.Pair memory p = distributor.pair(modelId, epoch);
        if (p.finalizeSeq != 0 && p.finalizeSeq <= distributor.latestSettlement().coveredThroughSeq) return;
        uint256[2] memory w = weights[modelId][epoch];
        if (p.finalizeSeq == 0) {
            // finalised implicitly by the claim
            if ((distributor.epochPool(modelId, epoch) * w[i]) / (w[0] + w[1]) == 0) return;
            _finalized.push(PairKey(modelId, epoch));
        } else if ((uint256(p.pool) * w[i]) / (w[0] + w[1]) == 0) {
            return;
        }
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = LeafLib.attributionLeaf(actors[1 - i], w[1 - i]);
        distributor.claimDirect(actors[i], modelId, epoch, w[i], proof);
        ++calls["claimDirect"];
    }

    /// @notice Honest settlement: cumulative = entitlement over every finalised pair.
    function settle() external {
        uint256 c0 = entitlement(0);
        uint256 c1 = entitlement(1);
        if (c0 + c1 == 0) return;
        uint256 covered = distributor.finalizeSeq();
        bytes32 root = _settlementRoot(c0, c1);
        if (root == distributor.latestSettlement().root) return; // live already
        vm.prank(settler);
        distributor.commitSettlement(root, c0 + c1, covered, "ipfs://s");
        // Honest: nobody disputes; the window passes and anyone activates.
        vm.warp(block.timestamp + 1 hours);
        distributor.activateSettlement();
        ++calls["settle"];
        lastCumulative = [c0, c1];
        ghostSettlementTotal = c0 + c1;
    }

    function claim(uint256 actorSeed) external {
        uint256 i = actorSeed % 2;
        if (ghostSettlementTotal == 0) return;
        if (lastCumulative[i] <= distributor.claimed(actors[i])) return;
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = _settlementLeaf(1 - i, lastCumulative[0], lastCumulative[1]);
        (address next, uint256 prefix) = i == 0
            ? (actors[1], uint256(0))
            : (address(type(uint160).max), lastCumulative[0]);
        distributor.claim(actors[i], lastCumulative[i], next, prefix, proof);
        ++calls["claim"];
    }

    function rollForward(uint256 modelSeed, uint256 epochSeed) external {
        (uint256 modelId, uint256 epoch) = _pick(modelSeed, epochSeed);
        IAttributionRegistry.CommitmentStatus s = registry.commitmentStatus(modelId, epoch);
        if (
            s != IAttributionRegistry.CommitmentStatus.None &&
            s != IAttributionRegistry.CommitmentStatus.Voided
        ) {
            return;
        }
        if (block.timestamp < registry.epochEnd(epoch) + distributor.rollForwardDelay()) return;
        if (distributor.epochPool(modelId, epoch) == 0) return;
        distributor.rollForward(modelId, epoch);
        ++calls["rollForward"];
    }

    function withdrawOwner(uint256 modelSeed) external {
        uint256 modelId = 1 + (modelSeed % MODELS);
        if (distributor.ownerEarnings(modelId) == 0) return;
        (address owner, , , ) = models.paymentTerms(modelId);
        vm.prank(owner);
        distributor.withdrawOwnerEarnings(modelId, owner);
        ++calls["withdrawOwner"];
    }

    function withdrawTreasury() external {
        IRewardDistributor.Books memory b = distributor.books();
        if (b.treasuryAccrued == b.treasuryWithdrawn) return;
        vm.prank(gov);
        distributor.withdrawTreasury(gov);
        ++calls["withdrawTreasury"];
    }

    function setFeeSplit(uint16 t, uint16 o, uint16 r, uint16 st) external {
        vm.prank(gov);
        distributor.setFeeSplit(
            IRewardDistributor.FeeSplit(
                uint16(bound(t, 0, 1000)),
                uint16(bound(o, 0, 5000)),
                uint16(bound(r, 0, 1000)),
                uint16(bound(st, 0, 1000))
            )
        );
        ++calls["setFeeSplit"];
    }

    // ----- ghost views -----

    /// @notice What actor i is owed over every finalised pair (floor per pair, as the contract).
    function entitlement(uint256 i) public view returns (uint256 total) {
        for (uint256 k = 0; k < _finalized.length; ++k) {
            PairKey memory key = _finalized[k];
            uint256[2] memory w = weights[key.modelId][key.epoch];
            total += (uint256(distributor.pair(key.modelId, key.epoch).pool) * w[i]) / (w[0] + w[1]);
        }
    }

    function finalizedCount() external view returns (uint256) {
        return _finalized.length;
    }

    // ----- helpers -----

    function _pick(
        uint256 modelSeed,
        uint256 epochSeed
    ) internal view returns (uint256 modelId, uint256 epoch) {
        uint256 current = registry.currentEpoch();
        modelId = 1 + (modelSeed % MODELS);
        epoch = current == 0 ? 0 : epochSeed % current;
    }

    function _root(uint256 w0, uint256 w1) internal view returns (bytes32) {
        return _hashPair(LeafLib.attributionLeaf(actors[0], w0), LeafLib.attributionLeaf(actors[1], w1));
    }

    function _settlementRoot(uint256 c0, uint256 c1) internal view returns (bytes32) {
        return _hashPair(_settlementLeaf(0, c0, c1), _settlementLeaf(1, c0, c1));
    }

    /// @dev Actor `i`'s leaf of the two-leaf settlement (c0, c1): actor 0 links to actor 1.
    function _settlementLeaf(uint256 i, uint256 c0, uint256 c1) internal view returns (bytes32) {
        return
            i == 0
                ? LeafLib.settlementLeaf(actors[0], c0, actors[1], 0)
                : LeafLib.settlementLeaf(actors[1], c1, address(type(uint160).max), c0);
    }

    function _hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }
}

/// @notice Solvency, exact conservation and no over-payment under any sequence of handler calls.
contract RewardInvariantsTest is Test {
    RewardHandler internal handler;
    RewardDistributor internal distributor;

    function setUp() public {
        handler = new RewardHandler();
        distributor = handler.distributor();
        targetContract(address(handler));
    }

    /// @notice The distributor holds exactly everything it owes (no donations in this run).
    function invariant_solvency() public view {
        IRewardDistributor.Books memory b = distributor.books();
        uint256 owed =
            (b.treasuryAccrued - b.treasuryWithdrawn) +
                (b.ownersAccrued - b.ownersWithdrawn) +
                b.stakerReserve +
                b.claimable +
                b.poolsPending;
        assertEq(handler.token().balanceOf(address(distributor)), owed, "balance != owed");
    }

    /// @notice paidIn == treasury + owners + stakers + claimed + claimable + pending, and each part
    /// matches an independent sum.
    function invariant_conservation() public view {
        IRewardDistributor.Books memory b = distributor.books();
        assertEq(b.paidIn, handler.ghostPaidIn(), "paidIn != tokens paid");
        assertEq(
            b.paidIn,
            b.treasuryAccrued +
                b.ownersAccrued +
                b.stakerReserve +
                b.totalClaimed +
                b.claimable +
                b.poolsPending,
            "books do not balance"
        );
        uint256 owners;
        for (uint256 m = 1; m <= 3; ++m) owners += distributor.ownerEarnings(m);
        assertEq(owners + b.ownersWithdrawn, b.ownersAccrued, "owner ledgers != owners accrued");
        uint256 pending;
        uint256 current = handler.registry().currentEpoch();
        for (uint256 m = 1; m <= 3; ++m) {
            for (uint256 e = 0; e <= current; ++e) {
                IRewardDistributor.Pair memory p = distributor.pair(m, e);
                if (p.finalizeSeq == 0) pending += p.pool;
            }
        }
        assertEq(pending, b.poolsPending, "pair pools != pending");
    }

    /// @notice No account is paid more than its entitlement; claims never exceed finalised pools.
    function invariant_noOverpayment() public view {
        uint256 sum;
        for (uint256 i = 0; i < 2; ++i) {
            address a = handler.actors(i);
            uint256 paid = distributor.claimed(a);
            assertLe(paid, handler.entitlement(i), "claimed above entitlement");
            sum += paid;
        }
        IRewardDistributor.Books memory b = distributor.books();
        assertEq(sum, b.totalClaimed, "claimed ledger != total claimed");
        assertLe(b.totalClaimed, distributor.totalFinalizedPools(), "claims above finalised pools");
    }
}

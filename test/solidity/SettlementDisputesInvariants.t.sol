// SPDX-License-Identifier: MIT
// solhint-disable func-name-mixedcase, one-contract-per-file, no-empty-blocks
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {OpenToken} from "../../contracts/token/OpenToken.sol";
import {MockModelRegistry} from "../../contracts/mocks/MockModelRegistry.sol";
import {AttributionRegistry} from "../../contracts/attribution/AttributionRegistry.sol";
import {RewardDistributor} from "../../contracts/rewards/RewardDistributor.sol";
import {SettlementDisputes} from "../../contracts/rewards/SettlementDisputes.sol";
import {IAttributionRegistry} from "../../contracts/interfaces/IAttributionRegistry.sol";
import {IOperatorStaking} from "../../contracts/interfaces/IOperatorStaking.sol";
import {IRewardDistributor} from "../../contracts/interfaces/IRewardDistributor.sol";
import {ISettlementDisputes} from "../../contracts/interfaces/ISettlementDisputes.sol";
import {LeafLib} from "../../contracts/libraries/LeafLib.sol";

/// @notice An adversarial settlement operator and an honest disputer (issue 17). Three contributors
/// (sorted by address) are paid through two models; attribution tables are honest (three-leaf
/// trees); the settlement operator posts, for every root, the honest leaves with one mutation
/// chosen by the fuzzer: pay itself everything, omit an account, underpay one, shift an amount from
/// one account to another, break a prefix or a link, post a total off by one, or over-allocate the
/// rounding dust (the one misallocation the chain cannot prove, within the bound SECURITY.md
/// states). The honest disputer sees the published leaves and, inside the window, tries every
/// dispute (`disputeLeaf`, `disputeLeaves`, `disputeUnderpayment`, `disputeOmission`); only then
/// does the window pass and the root go live.
contract SettlementHandler is Test {
    uint256 internal constant MODELS = 2;
    uint256 internal constant PRICE = 1 ether + 7; // odd, to make rounding dust
    address internal constant LAST_LINK = address(type(uint160).max);

    OpenToken public token;
    MockModelRegistry public models;
    AttributionRegistry public registry;
    RewardDistributor public distributor;
    SettlementDisputes public disputes;
    address public gov;
    address public operator;
    address public settler;
    address public disputer;
    address public payer;
    /// @notice The contributors, ascending.
    address[3] public actors;

    /// @notice Weights of each contributor in each committed (model, epoch).
    mapping(uint256 modelId => mapping(uint256 epoch => uint256[3])) public weights;
    mapping(bytes32 action => uint256) public calls;

    struct PairKey {
        uint256 modelId;
        uint256 epoch;
    }

    /// @notice A settlement leaf as posted (the operator publishes them: the disputer reads them).
    struct Leaf {
        address account;
        uint256 amount;
        address next;
        uint256 prefix;
    }

    PairKey[] internal _finalized;
    Leaf[] internal _pending;
    bytes32[][] internal _pendingProofs;
    Leaf[] internal _live;
    bytes32[][] internal _liveProofs;
    /// @notice Finalisation sequence number the live root covers.
    uint256 public liveCovered;
    uint256 public liveTotal;

    constructor() {
        gov = makeAddr("gov");
        operator = makeAddr("operator");
        settler = makeAddr("settler");
        disputer = makeAddr("disputer");
        payer = makeAddr("payer");
        address[3] memory a = [makeAddr("alice"), makeAddr("bob"), makeAddr("carol")];
        // Ascending, as the settlement tree orders its leaves.
        for (uint256 i = 0; i < 3; ++i)
            for (uint256 j = i + 1; j < 3; ++j) if (a[j] < a[i]) (a[i], a[j]) = (a[j], a[i]);
        actors = a;
        token = new OpenToken("OpenLedger", "OPEN", address(this), 1_000_000_000 ether);
        models = new MockModelRegistry();
        models.setModel(1, makeAddr("owner1"), 0, PRICE);
        models.setModel(2, makeAddr("owner2"), 0, PRICE * 3);
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
        disputes = new SettlementDisputes(distributor);
        vm.startPrank(gov);
        registry.grantRole(registry.ATTRIBUTION_OPERATOR_ROLE(), operator);
        distributor.grantRole(distributor.SETTLEMENT_OPERATOR_ROLE(), settler);
        distributor.setDisputeWindow(1 hours);
        distributor.setSettlementDisputes(address(disputes));
        vm.stopPrank();
        token.transfer(payer, 100_000_000 ether);
        vm.prank(payer);
        token.approve(address(distributor), type(uint256).max);
    }

    // ----- the chain moving on -----

    function pay(uint256 modelSeed, uint256 units) external {
        vm.prank(payer);
        distributor.pay(1 + (modelSeed % MODELS), _bound(units, 1, 1000), type(uint256).max);
        ++calls["pay"];
    }

    /// @notice Time passes; the honest disputer, watching, checks a pending root before its
    /// window can close (the assumption of SECURITY.md 5a: a watcher acts within every window).
    function warp(uint256 secs) external {
        _watch();
        vm.warp(block.timestamp + _bound(secs, 1 hours, 1 days));
    }

    /// @notice An honest attribution table: three contributors, any of them possibly weightless.
    function commit(uint256 modelSeed, uint256 epochSeed, uint256 w0, uint256 w1, uint256 w2) external {
        uint256 current = registry.currentEpoch();
        if (current == 0) return;
        uint256 modelId = 1 + (modelSeed % MODELS);
        uint256 epoch = epochSeed % current;
        if (registry.commitmentStatus(modelId, epoch) != IAttributionRegistry.CommitmentStatus.None) return;
        uint256[3] memory w = [_bound(w0, 0, 1e9), _bound(w1, 0, 1e9), _bound(w2, 1, 1e9)];
        weights[modelId][epoch] = w;
        vm.prank(operator);
        registry.commitAttribution(modelId, epoch, _attributionRoot(w), w[0] + w[1] + w[2], 1, "ipfs://t");
        ++calls["commit"];
    }

    function finalize(uint256 modelSeed, uint256 epochSeed) external {
        uint256 current = registry.currentEpoch();
        uint256 modelId = 1 + (modelSeed % MODELS);
        uint256 epoch = current == 0 ? 0 : epochSeed % current;
        if (registry.commitmentStatus(modelId, epoch) != IAttributionRegistry.CommitmentStatus.Final) return;
        if (distributor.pair(modelId, epoch).finalizeSeq != 0) return;
        distributor.finalize(modelId, epoch);
        _finalized.push(PairKey(modelId, epoch));
        ++calls["finalize"];
    }

    // ----- the adversarial settlement operator -----

    /// @notice Posts the honest leaves with one mutation (`kind`), `k` and `j` naming accounts and
    /// `delta` an amount.
    function post(uint256 kind, uint256 k, uint256 j, uint256 delta) external {
        if (distributor.pendingSettlement().activatesAt != 0 || _finalized.length == 0) return;
        uint256 covered = distributor.finalizeSeq();
        uint256[3] memory owed;
        for (uint256 i = 0; i < 3; ++i) owed[i] = entitlement(i, covered);
        uint256 sumOwed = owed[0] + owed[1] + owed[2];
        kind = kind % 9;
        k = k % 3;
        j = (k + 1 + (j % 2)) % 3;
        address[] memory accounts = new address[](4);
        uint256[] memory amounts = new uint256[](4);
        uint256 n;
        if (kind == 1) {
            // Pays itself everything.
            accounts[n] = operator;
            amounts[n++] = sumOwed;
        } else {
            for (uint256 i = 0; i < 3; ++i) {
                uint256 amount = owed[i];
                if (kind == 2 && i == j) amount += owed[k]; // omits k, its share to j
                if (kind == 3 && i == k) amount -= _bound(delta, 0, amount); // underpays k
                if (kind == 4 && i == k) amount -= _bound(delta, 0, owed[k]); // shifts from k ...
                if (kind == 4 && i == j) amount += _bound(delta, 0, owed[k]); // ... to j
                if (kind == 8 && i == k) amount += distributor.totalFinalizedPools() - sumOwed; // the dust
                if ((kind == 2 && i == k) || amount == 0) continue;
                accounts[n] = actors[i];
                amounts[n++] = amount;
            }
        }
        if (n == 0) return;
        _build(accounts, amounts, n, kind);
        uint256 total = _pending[_pending.length - 1].prefix + _pending[_pending.length - 1].amount;
        if (kind == 7) total += 1 + _bound(delta, 0, 1); // a total the leaves do not add up to
        vm.prank(settler);
        try distributor.commitSettlement(_treeRoot(), total, covered, "ipfs://s") {
            ++calls[bytes32(bytes(string.concat("post", vm.toString(kind))))];
        } catch {
            delete _pending; // above the finalised pools or below the live total: not posted
            delete _pendingProofs;
        }
    }

    // ----- the honest disputer, then the window passes -----

    /// @notice The honest disputer checks the pending root within its window; then the window
    /// passes and anyone activates what was not rejected.
    function dispute() external {
        if (_watch()) return;
        if (distributor.pendingSettlement().activatesAt == 0) return;
        // The window passes (time only moves forward: a root left pending by earlier calls may be
        // past its window already).
        uint256 activatesAt = distributor.pendingSettlement().activatesAt;
        if (block.timestamp < activatesAt) vm.warp(activatesAt);
        distributor.activateSettlement();
        ++calls["activated"];
        liveCovered = distributor.latestSettlement().coveredThroughSeq;
        liveTotal = distributor.latestSettlement().total;
        delete _live;
        delete _liveProofs;
        for (uint256 i = 0; i < _pending.length; ++i) {
            _live.push(_pending[i]);
            _liveProofs.push(_pendingProofs[i]);
        }
        delete _pending;
        delete _pendingProofs;
    }

    function claim(uint256 seed) external {
        if (_live.length == 0) return;
        uint256 i = seed % _live.length;
        Leaf memory leaf = _live[i];
        if (leaf.account == address(0) || leaf.amount <= distributor.claimed(leaf.account)) return;
        distributor.claim(leaf.account, leaf.amount, leaf.next, leaf.prefix, _liveProofs[i]);
        ++calls["claim"];
    }

    // ----- views for the invariants -----

    /// @notice What contributor i is owed over the pairs finalised up to `covered` (as `claimDirect`).
    function entitlement(uint256 i, uint256 covered) public view returns (uint256 total) {
        for (uint256 x = 0; x < _finalized.length; ++x) {
            PairKey memory key = _finalized[x];
            IRewardDistributor.Pair memory p = distributor.pair(key.modelId, key.epoch);
            if (p.finalizeSeq > covered) continue;
            uint256[3] memory w = weights[key.modelId][key.epoch];
            total += (uint256(p.pool) * w[i]) / (w[0] + w[1] + w[2]);
        }
    }

    /// @notice The rounding dust of the pairs up to `covered`: pool less the entitlements paid from it.
    function dust(uint256 covered) public view returns (uint256 d, uint256 entries) {
        for (uint256 x = 0; x < _finalized.length; ++x) {
            PairKey memory key = _finalized[x];
            IRewardDistributor.Pair memory p = distributor.pair(key.modelId, key.epoch);
            if (p.finalizeSeq > covered) continue;
            uint256[3] memory w = weights[key.modelId][key.epoch];
            d += p.pool;
            for (uint256 i = 0; i < 3; ++i) {
                d -= (uint256(p.pool) * w[i]) / (w[0] + w[1] + w[2]);
                if (w[i] != 0) ++entries;
            }
        }
    }

    /// @notice The live root's amount for `account` (0 without a leaf).
    function liveAmount(address account) public view returns (uint256) {
        for (uint256 i = 0; i < _live.length; ++i) if (_live[i].account == account) return _live[i].amount;
        return 0;
    }

    function liveLength() external view returns (uint256) {
        return _live.length;
    }

    function liveLeaf(uint256 i) external view returns (Leaf memory) {
        return _live[i];
    }

    // ----- helpers -----

    /// @dev The honest disputer's check of the pending root (if any); true when it was rejected.
    function _watch() internal returns (bool) {
        if (distributor.pendingSettlement().activatesAt == 0) return false;
        if (!_disputeOnce()) return false;
        ++calls["rejected"];
        delete _pending;
        delete _pendingProofs;
        return true;
    }

    /// @dev Tries every dispute the published leaves allow; true when one rejected the root.
    function _disputeOnce() internal returns (bool) {
        uint256 n = _pending.length;
        for (uint256 i = 0; i < n; ++i) {
            vm.prank(disputer);
            try disputes.disputeLeaf(_proven(i)) {
                return true;
            } catch {}
            for (uint256 x = i + 1; x < n; ++x) {
                vm.prank(disputer);
                try disputes.disputeLeaves(_proven(i), _proven(x)) {
                    return true;
                } catch {}
            }
        }
        uint256 covered = distributor.pendingSettlement().coveredThroughSeq;
        for (uint256 a = 0; a < 3; ++a) {
            ISettlementDisputes.PairWeight[] memory pairs = _pairsOf(a, covered);
            if (pairs.length == 0) continue;
            for (uint256 i = 0; i < n; ++i) {
                vm.prank(disputer);
                if (_pending[i].account == actors[a]) {
                    try disputes.disputeUnderpayment(_proven(i), pairs) {
                        return true;
                    } catch {}
                } else {
                    try disputes.disputeOmission(_proven(i), actors[a], pairs) {
                        return true;
                    } catch {}
                }
            }
        }
        return false;
    }

    /// @dev Contributor a's weighted covered pairs, ascending by (model, epoch), with proofs.
    function _pairsOf(
        uint256 a,
        uint256 covered
    ) internal view returns (ISettlementDisputes.PairWeight[] memory out) {
        uint256 count;
        PairKey[] memory keys = new PairKey[](_finalized.length);
        for (uint256 x = 0; x < _finalized.length; ++x) {
            PairKey memory key = _finalized[x];
            if (distributor.pair(key.modelId, key.epoch).finalizeSeq > covered) continue;
            if (weights[key.modelId][key.epoch][a] == 0) continue;
            // Insertion sort by (model, epoch).
            uint256 at = count++;
            while (
                at > 0 &&
                (keys[at - 1].modelId > key.modelId ||
                    (keys[at - 1].modelId == key.modelId && keys[at - 1].epoch > key.epoch))
            ) {
                keys[at] = keys[at - 1];
                --at;
            }
            keys[at] = key;
        }
        out = new ISettlementDisputes.PairWeight[](count);
        for (uint256 x = 0; x < count; ++x) {
            uint256[3] memory w = weights[keys[x].modelId][keys[x].epoch];
            out[x] = ISettlementDisputes.PairWeight(
                keys[x].modelId,
                keys[x].epoch,
                w[a],
                _attributionProof(w, a)
            );
        }
    }

    function _proven(uint256 i) internal view returns (ISettlementDisputes.ProvenLeaf memory) {
        Leaf memory leaf = _pending[i];
        return
            ISettlementDisputes.ProvenLeaf(
                leaf.account,
                leaf.amount,
                leaf.next,
                leaf.prefix,
                _pendingProofs[i]
            );
    }

    /// @dev The sentinel and `n` accounts (ascending), linked and prefix-summed, into `_pending`
    /// with proofs; kinds 5 and 6 break one prefix or one link.
    function _build(address[] memory accounts, uint256[] memory amounts, uint256 n, uint256 kind) internal {
        delete _pending;
        delete _pendingProofs;
        _pending.push(Leaf(address(0), 0, accounts[0], 0));
        uint256 prefix;
        for (uint256 i = 0; i < n; ++i) {
            _pending.push(Leaf(accounts[i], amounts[i], i + 1 < n ? accounts[i + 1] : LAST_LINK, prefix));
            prefix += amounts[i];
        }
        uint256 last = _pending.length - 1;
        if (kind == 5) _pending[last].prefix += 1; // a prefix one above its predecessor's sum
        if (kind == 6) _pending[0].next = _pending[last].account; // a link over the accounts between
        bytes32[] memory hashes = new bytes32[](_pending.length);
        for (uint256 i = 0; i < _pending.length; ++i) {
            Leaf memory leaf = _pending[i];
            hashes[i] = LeafLib.settlementLeaf(leaf.account, leaf.amount, leaf.next, leaf.prefix);
        }
        for (uint256 i = 0; i < hashes.length; ++i) _pendingProofs.push(_proof(hashes, i));
    }

    function _treeRoot() internal view returns (bytes32) {
        bytes32[] memory hashes = new bytes32[](_pending.length);
        for (uint256 i = 0; i < _pending.length; ++i) {
            Leaf memory leaf = _pending[i];
            hashes[i] = LeafLib.settlementLeaf(leaf.account, leaf.amount, leaf.next, leaf.prefix);
        }
        return _root(hashes);
    }

    /// @dev Root of a sorted-pair tree: each level pairs neighbours, an odd last node moves up.
    function _root(bytes32[] memory level) internal pure returns (bytes32) {
        while (level.length > 1) level = _up(level);
        return level[0];
    }

    /// @dev The proof of leaf `i` in the tree of `_root`.
    function _proof(bytes32[] memory level, uint256 i) internal pure returns (bytes32[] memory proof) {
        bytes32[] memory out = new bytes32[](8);
        uint256 len;
        while (level.length > 1) {
            uint256 sibling = i ^ 1;
            if (sibling < level.length) out[len++] = level[sibling];
            level = _up(level);
            i /= 2;
        }
        proof = new bytes32[](len);
        for (uint256 x = 0; x < len; ++x) proof[x] = out[x];
    }

    function _up(bytes32[] memory level) internal pure returns (bytes32[] memory next) {
        next = new bytes32[]((level.length + 1) / 2);
        for (uint256 x = 0; x < next.length; ++x)
            next[x] = 2 * x + 1 < level.length ? _hashPair(level[2 * x], level[2 * x + 1]) : level[2 * x];
    }

    function _attributionRoot(uint256[3] memory w) internal view returns (bytes32) {
        bytes32[] memory hashes = new bytes32[](3);
        for (uint256 i = 0; i < 3; ++i) hashes[i] = LeafLib.attributionLeaf(actors[i], w[i]);
        return _root(hashes);
    }

    function _attributionProof(uint256[3] memory w, uint256 a) internal view returns (bytes32[] memory) {
        bytes32[] memory hashes = new bytes32[](3);
        for (uint256 i = 0; i < 3; ++i) hashes[i] = LeafLib.attributionLeaf(actors[i], w[i]);
        return _proof(hashes, a);
    }

    function _hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }
}

/// @notice What a hostile settlement operator can do against an honest disputer: nothing beyond
/// the rounding dust.
contract SettlementDisputesInvariantsTest is Test {
    SettlementHandler internal handler;
    RewardDistributor internal distributor;

    function setUp() public {
        handler = new SettlementHandler();
        distributor = handler.distributor();
        targetContract(address(handler));
    }

    /// @notice The handler's machinery is not vacuous: each hostile kind is posted and rejected by
    /// the honest disputer, the honest root and the dust-only one go live.
    function test_handler_rejectsEveryHostileKindAndActivatesHonestOnes() public {
        handler.pay(0, 500);
        handler.pay(1, 700);
        handler.warp(1 days);
        handler.commit(0, 0, 1, 2, 4);
        handler.commit(1, 0, 3, 0, 5);
        handler.warp(1 days);
        handler.warp(1 hours);
        handler.finalize(0, 0);
        handler.finalize(1, 0);
        // Dust to spare: kinds 5 and 7 post a total one or two wei above the leaves' sum.
        (uint256 d, ) = handler.dust(type(uint256).max);
        assertGe(d, 2, "too little rounding dust for this sequence");
        uint256[7] memory hostile = [uint256(1), 2, 3, 4, 5, 6, 7];
        for (uint256 x = 0; x < hostile.length; ++x) {
            handler.post(hostile[x], x, x + 1, 1 ether);
            assertGt(distributor.pendingSettlement().activatesAt, 0, "hostile root not posted");
            handler.dispute();
            assertEq(distributor.pendingSettlement().activatesAt, 0, "hostile root not rejected");
            assertEq(handler.calls("rejected"), x + 1, "not rejected by a dispute");
        }
        handler.post(0, 0, 0, 0);
        handler.dispute();
        assertEq(handler.calls("activated"), 1, "honest root not activated");
        handler.pay(0, 300);
        handler.warp(1 days);
        handler.commit(0, 2, 5, 5, 1);
        handler.warp(1 days);
        handler.warp(1 hours);
        handler.finalize(0, 2);
        handler.post(8, 1, 0, 0);
        handler.dispute();
        assertEq(handler.calls("activated"), 2, "dust-only root not activated");
        assertEq(handler.calls("rejected"), hostile.length, "a root within the dust was rejected");
        handler.claim(1);
        handler.claim(2);
        assertGt(distributor.books().totalClaimed, 0, "nothing claimed");
        invariant_liveRootPaysEntitlements();
        invariant_neverAboveFinalizedPools();
    }

    /// @notice Every contributor's amount under the live root is at least its entitlement over the
    /// covered pairs, and what the live root pays beyond the entitlements (to anyone, the operator
    /// included) is at most the covered pairs' rounding dust, below one wei per (account, pair) entry.
    function invariant_liveRootPaysEntitlements() public view {
        uint256 covered = handler.liveCovered();
        if (handler.liveLength() == 0) return;
        uint256 owed;
        for (uint256 i = 0; i < 3; ++i) {
            uint256 e = handler.entitlement(i, covered);
            assertGe(handler.liveAmount(handler.actors(i)), e, "a contributor is underpaid by the live root");
            owed += e;
        }
        (uint256 d, uint256 entries) = handler.dust(covered);
        assertLe(handler.liveTotal(), owed + d, "the live root over-allocates beyond the dust");
        assertLe(d, entries, "dust above one wei per (account, pair) entry");
        uint256 sum;
        for (uint256 i = 0; i < handler.liveLength(); ++i) sum += handler.liveLeaf(i).amount;
        assertEq(sum, handler.liveTotal(), "the live leaves do not add up to the live total");
    }

    /// @notice Never more in total than the finalised pools: the live total and every claim.
    function invariant_neverAboveFinalizedPools() public view {
        IRewardDistributor.Books memory b = distributor.books();
        assertLe(handler.liveTotal(), distributor.totalFinalizedPools(), "live total above finalised pools");
        assertLe(b.totalClaimed, distributor.totalFinalizedPools(), "claims above finalised pools");
        uint256 claimed;
        for (uint256 i = 0; i < 3; ++i) claimed += distributor.claimed(handler.actors(i));
        claimed += distributor.claimed(handler.operator());
        assertEq(claimed, b.totalClaimed, "claimed ledger != total claimed");
        assertGe(handler.token().balanceOf(address(distributor)), b.claimable, "distributor insolvent");
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IAttributionRegistry} from "../interfaces/IAttributionRegistry.sol";
import {IOperatorStaking} from "../interfaces/IOperatorStaking.sol";
import {IRewardDistributor} from "../interfaces/IRewardDistributor.sol";
import {ISettlementDisputes} from "../interfaces/ISettlementDisputes.sol";
import {ISettlementQueue} from "../interfaces/ISettlementQueue.sol";
import {LeafLib} from "../libraries/LeafLib.sol";
import {SettlementChainLib} from "../libraries/SettlementChainLib.sol";

/// @title SettlementDisputes
/// @notice Judges the reward distributor's pending settlement root on on-chain evidence only.
/// See {ISettlementDisputes}.
/// @dev Holds no funds and no roles of its own beyond what governance grants it: the distributor
/// accepts its rejections (`setSettlementDisputes`) and operator staking its slashes (SLASHER_ROLE).
/// Checks, then the rejection (state change in the distributor), then the slash.
contract SettlementDisputes is ISettlementDisputes {
    IRewardDistributor private immutable _distributor;
    IAttributionRegistry private immutable _attribution;

    /// @param distributor_ The reward distributor (its attribution registry is read once here).
    constructor(IRewardDistributor distributor_) {
        _distributor = distributor_;
        _attribution = distributor_.attribution();
    }

    /// @inheritdoc ISettlementDisputes
    function disputeUnderpayment(ProvenLeaf calldata leaf, PairWeight[] calldata pairs) external {
        ISettlementQueue.PendingSettlement memory p = _pending();
        _requireInRoot(leaf, p.root);
        uint256 owed = _entitlement(leaf.account, pairs, p.coveredThroughSeq);
        if (owed <= leaf.cumulativeAmount) revert NotUnderpaid(leaf.account, owed, leaf.cumulativeAmount);
        _reject(p, Fault.Underpaid, leaf.account);
    }

    /// @inheritdoc ISettlementDisputes
    function disputeOmission(
        ProvenLeaf calldata neighbour,
        address account,
        PairWeight[] calldata pairs
    ) external {
        ISettlementQueue.PendingSettlement memory p = _pending();
        _requireInRoot(neighbour, p.root);
        if (account <= neighbour.account || account >= neighbour.nextAccount)
            revert NotInGap(account, neighbour.account, neighbour.nextAccount);
        if (_entitlement(account, pairs, p.coveredThroughSeq) == 0) revert NothingOwed(account);
        _reject(p, Fault.Omitted, account);
    }

    /// @inheritdoc ISettlementDisputes
    function disputeLeaf(ProvenLeaf calldata leaf) external {
        ISettlementQueue.PendingSettlement memory p = _pending();
        _requireInRoot(leaf, p.root);
        Fault fault = SettlementChainLib.leafFault(leaf, p.total);
        if (fault == Fault.None) revert NoFaultFound();
        _reject(p, fault, leaf.account);
    }

    /// @inheritdoc ISettlementDisputes
    function disputeLeaves(ProvenLeaf calldata a, ProvenLeaf calldata b) external {
        ISettlementQueue.PendingSettlement memory p = _pending();
        _requireInRoot(a, p.root);
        _requireInRoot(b, p.root);
        Fault fault = SettlementChainLib.leavesFault(a, b);
        if (fault == Fault.None) revert NoFaultFound();
        _reject(p, fault, b.account);
    }

    /// @inheritdoc ISettlementDisputes
    function entitlementOf(address account, PairWeight[] calldata pairs) external view returns (uint256) {
        return _entitlement(account, pairs, _distributor.pendingSettlement().coveredThroughSeq);
    }

    /// @inheritdoc ISettlementDisputes
    function distributor() external view returns (IRewardDistributor) {
        return _distributor;
    }

    /// @inheritdoc ISettlementDisputes
    function attribution() external view returns (IAttributionRegistry) {
        return _attribution;
    }

    /// @dev The pending settlement; reverts `NoPendingSettlement` when there is none. The window
    /// is checked by the distributor when it rejects.
    function _pending() private view returns (ISettlementQueue.PendingSettlement memory p) {
        p = _distributor.pendingSettlement();
        if (p.activatesAt == 0) revert ISettlementQueue.NoPendingSettlement();
    }

    /// @dev Reverts unless `leaf` is proven under `root`.
    function _requireInRoot(ProvenLeaf calldata leaf, bytes32 root) private pure {
        bytes32 hash = LeafLib.settlementLeaf(
            leaf.account,
            leaf.cumulativeAmount,
            leaf.nextAccount,
            leaf.prefixBefore
        );
        if (!MerkleProof.verifyCalldata(leaf.proof, root, hash)) revert LeafNotInPendingRoot(leaf.account);
    }

    /// @dev `account`'s entitlement over `pairs`, each computed as `claimDirect` pays it; every
    /// pair must be covered by the pending root (finalised with a sequence number up to
    /// `coveredThroughSeq`), given once (ascending), with a valid weight proven against its Final root.
    function _entitlement(
        address account,
        PairWeight[] calldata pairs,
        uint256 coveredThroughSeq
    ) private view returns (uint256 owed) {
        for (uint256 i = 0; i < pairs.length; ++i) {
            PairWeight calldata w = pairs[i];
            if (
                i != 0 &&
                (w.modelId < pairs[i - 1].modelId ||
                    (w.modelId == pairs[i - 1].modelId && w.epoch <= pairs[i - 1].epoch))
            ) revert PairsNotAscending(i);
            IRewardDistributor.Pair memory pair = _distributor.pair(w.modelId, w.epoch);
            if (pair.finalizeSeq == 0 || pair.finalizeSeq > coveredThroughSeq)
                revert PairNotCovered(w.modelId, w.epoch, pair.finalizeSeq, coveredThroughSeq);
            (bytes32 root, uint256 totalWeight) = _attribution.finalCommitment(w.modelId, w.epoch);
            if (w.weight == 0 || w.weight > totalWeight)
                revert InvalidPairWeight(w.modelId, w.epoch, w.weight, totalWeight);
            if (!MerkleProof.verifyCalldata(w.proof, root, LeafLib.attributionLeaf(account, w.weight)))
                revert InvalidPairProof(w.modelId, w.epoch);
            owed += Math.mulDiv(pair.pool, w.weight, totalWeight);
        }
    }

    /// @dev Rejects the pending root, then slashes its operator to the disputer's benefit (when
    /// staking is set and the operator has a pool there).
    function _reject(ISettlementQueue.PendingSettlement memory p, Fault fault, address account) private {
        (address operator, uint256 proposal) = _distributor.rejectPendingSettlement(msg.sender);
        uint256 slashed;
        uint256 reward;
        IOperatorStaking staking = IOperatorStaking(_distributor.staking());
        if (address(staking) != address(0) && staking.pool(operator).id != 0) {
            // One case per posted root: the proposal number makes a re-posted root a new case.
            (slashed, reward) = staking.slash(operator, msg.sender, keccak256(abi.encode(p.root, proposal)));
        }
        emit SettlementDisputed(p.root, operator, msg.sender, fault, account, slashed, reward);
    }
}

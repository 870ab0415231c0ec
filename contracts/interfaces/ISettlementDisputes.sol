// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAttributionRegistry} from "./IAttributionRegistry.sol";
import {IRewardDistributor} from "./IRewardDistributor.sol";

/// @title Settlement disputes: on-chain fraud proofs against a pending settlement root
/// @notice Anyone may prove, during the dispute window, that the pending settlement root of the
/// reward distributor is wrong, with data that is already on chain; no vote is involved. A proven
/// dispute rejects the pending root (the live root stays), slashes the operator who posted it
/// through operator staking (when staking is set) and pays the disputer the slash's challenger
/// reward. A dispute that proves nothing reverts with a named error and changes nothing.
/// @dev The settlement tree (`LeafLib.settlementLeaf`) is an indexed Merkle tree: leaves are sorted
/// by account, each links to the next account and carries the sum of the amounts before it, the
/// first is the sentinel `(account 0, amount 0, prefix 0)` and the last links to
/// `type(uint160).max` with `prefixBefore + cumulativeAmount == total`. Provable faults:
/// - `Underpaid`: an account's leaf is below its entitlement over distinct covered pairs, each
///   `floor(pool * weight / totalWeight)` against the pair's Final attribution root, exactly what
///   `claimDirect` would pay.
/// - `Omitted`: an account with a non-zero entitlement lies strictly between a leaf and its link.
/// - `BrokenLink` (a leaf linking to an account not above its own), `BadSentinel` (a leaf of
///   account 0 with an amount or a prefix), `AboveTotal` (prefix + amount above the total),
///   `TotalMismatch` (the last leaf's prefix + amount differs from the total).
/// - `DuplicateAccount` (two different leaves of one account), `LeafInsideGap` (a leaf between
///   another leaf and its link), `BrokenPrefix` (a leaf whose prefix is not its predecessor's
///   prefix + amount).
/// Warning: the window must leave a watcher time to act; a root whose leaves cannot be read (an
/// unpublished table, or a link to an account that has no leaf) cannot be disputed leaf by leaf:
/// see SECURITY.md for that limit.
interface ISettlementDisputes {
    /// @notice A settlement leaf with its proof against the pending root.
    /// @param nextAccount The next leaf's account.
    /// @param prefixBefore Sum of the amounts before it.
    /// @param proof Merkle proof against the pending root.
    struct ProvenLeaf {
        address account;
        uint256 cumulativeAmount;
        address nextAccount;
        uint256 prefixBefore;
        bytes32[] proof;
    }

    /// @notice One (model, epoch) of an account's entitlement.
    /// @param weight The account's weight in the pair's Final commitment.
    /// @param proof Merkle proof of `LeafLib.attributionLeaf(account, weight)`.
    struct PairWeight {
        uint256 modelId;
        uint256 epoch;
        uint256 weight;
        bytes32[] proof;
    }

    /// @notice What a dispute proved.
    enum Fault {
        None,
        Underpaid,
        Omitted,
        BrokenLink,
        BadSentinel,
        AboveTotal,
        TotalMismatch,
        DuplicateAccount,
        LeafInsideGap,
        BrokenPrefix
    }

    /// @notice A leaf is not in the pending root.
    /// @param account The leaf's account.
    error LeafNotInPendingRoot(address account);
    /// @notice Pairs must be given in strictly ascending (model, epoch) order (so each counts once).
    /// @param index The first pair out of order.
    error PairsNotAscending(uint256 index);
    /// @notice A pair is not covered by the pending root (not finalised, or finalised after it).
    /// @param finalizeSeq Its sequence number (0: not finalised).
    /// @param coveredThroughSeq The pending root's coverage.
    error PairNotCovered(uint256 modelId, uint256 epoch, uint256 finalizeSeq, uint256 coveredThroughSeq);
    /// @notice A weight of zero or above the pair's total weight.
    /// @param weight The weight given.
    error InvalidPairWeight(uint256 modelId, uint256 epoch, uint256 weight, uint256 totalWeight);
    /// @notice An attribution proof that does not prove the account's weight.
    error InvalidPairProof(uint256 modelId, uint256 epoch);
    /// @notice The leaf pays at least the proven entitlement.
    /// @param entitlement What the pairs given entitle it to.
    /// @param cumulativeAmount What the leaf pays.
    error NotUnderpaid(address account, uint256 entitlement, uint256 cumulativeAmount);
    /// @notice The account is not strictly between the leaf and its link.
    /// @param leafAccount The leaf's account.
    /// @param nextAccount The leaf's link.
    error NotInGap(address account, address leafAccount, address nextAccount);
    /// @notice The account is owed nothing by the pairs given (an omission needs a non-zero entitlement).
    error NothingOwed(address account);
    /// @notice The leaf (or pair of leaves) is consistent: no fault to prove.
    error NoFaultFound();

    /// @notice A dispute proved a fault: the pending root was rejected and its operator slashed.
    /// @param root The rejected root.
    /// @param operator Who posted it.
    /// @param disputer Who proved the fault (and received the reward).
    /// @param fault What was proven.
    /// @param account The account concerned (the leaf's, or the omitted one).
    /// @param slashed OPEN slashed from the operator's pool (0 without staking).
    /// @param reward OPEN paid to the disputer.
    event SettlementDisputed(
        bytes32 indexed root,
        address indexed operator,
        address indexed disputer,
        Fault fault,
        address account,
        uint256 slashed,
        uint256 reward
    );

    /// @notice Proves that a leaf pays its account less than its entitlement over `pairs`.
    /// @dev Reverts `ISettlementQueue.NoPendingSettlement`, `LeafNotInPendingRoot`, `PairsNotAscending`,
    /// `PairNotCovered`, `InvalidPairWeight`, `InvalidPairProof`, `NotUnderpaid`,
    /// `ISettlementQueue.DisputeWindowClosed`.
    /// @param leaf The account's leaf.
    /// @param pairs Distinct covered pairs (ascending), with the account's attribution leaves.
    function disputeUnderpayment(ProvenLeaf calldata leaf, PairWeight[] calldata pairs) external;

    /// @notice Proves that `account`, owed something over `pairs`, has no leaf: it lies strictly
    /// between `neighbour` and its link.
    /// @dev Reverts as `disputeUnderpayment`, and `NotInGap`, `NothingOwed`.
    /// @param neighbour The leaf whose gap holds `account`.
    /// @param account The omitted account.
    /// @param pairs Distinct covered pairs (ascending), with `account`'s attribution leaves.
    function disputeOmission(
        ProvenLeaf calldata neighbour,
        address account,
        PairWeight[] calldata pairs
    ) external;

    /// @notice Proves that one leaf breaks the tree's rules (`BrokenLink`, `BadSentinel`, `AboveTotal`,
    /// `TotalMismatch`).
    /// @dev Reverts `ISettlementQueue.NoPendingSettlement`, `LeafNotInPendingRoot`, `NoFaultFound`,
    /// `ISettlementQueue.DisputeWindowClosed`.
    function disputeLeaf(ProvenLeaf calldata leaf) external;

    /// @notice Proves that two leaves contradict each other (`DuplicateAccount`, `LeafInsideGap`,
    /// `BrokenPrefix`).
    /// @dev Reverts as `disputeLeaf`.
    /// @param a One leaf.
    /// @param b Another leaf.
    function disputeLeaves(ProvenLeaf calldata a, ProvenLeaf calldata b) external;

    /// @notice An account's entitlement over `pairs` as the pending root must count it (a view for
    /// watchers: reverts as the disputes do for a bad pair).
    /// @param pairs Distinct covered pairs (ascending), with its attribution leaves.
    /// @return The sum of `floor(pool * weight / totalWeight)`.
    function entitlementOf(address account, PairWeight[] calldata pairs) external view returns (uint256);

    /// @notice The reward distributor whose pending roots this contract judges.
    /// @return The distributor.
    function distributor() external view returns (IRewardDistributor);

    /// @notice The attribution registry (Final commitments).
    /// @return The registry.
    function attribution() external view returns (IAttributionRegistry);
}

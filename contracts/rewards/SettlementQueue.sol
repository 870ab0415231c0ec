// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ISettlementQueue} from "../interfaces/ISettlementQueue.sol";
import {GovernedPausable} from "../governance/GovernedPausable.sol";
import {SettlementRecordLib} from "../libraries/SettlementRecordLib.sol";
import {RewardDistributorStorage} from "./RewardDistributorStorage.sol";

/// @title SettlementQueue
/// @notice The reward distributor's settlement queue: activation and rejection of the pending
/// root, the dispute window and the disputes contract. See {ISettlementQueue}.
/// @dev Split from {RewardDistributor} (which posts roots in `commitSettlement`) to keep each file
/// small; it shares the distributor's storage layout (GovernedPausable, then the storage contract).
/// Activation costs two record rewrites: the pending record was created at commit.
abstract contract SettlementQueue is GovernedPausable, RewardDistributorStorage, ISettlementQueue {
    /// @notice Shortest dispute window of a settlement root.
    uint256 public constant MIN_DISPUTE_WINDOW = 1 hours;
    /// @notice Longest dispute window of a settlement root.
    uint256 public constant MAX_DISPUTE_WINDOW = 7 days;
    /// @notice Dispute window at deployment.
    uint256 public constant DEFAULT_DISPUTE_WINDOW = 1 days;

    /// @param admin Receives DEFAULT_ADMIN_ROLE and GOVERNANCE_ROLE.
    constructor(address admin) GovernedPausable(admin) {}

    /// @inheritdoc ISettlementQueue
    function activateSettlement() external {
        Queue memory queue = _settlementQueue.queue;
        if (queue.activatesAt == 0) revert NoPendingSettlement();
        if (block.timestamp < queue.activatesAt) revert DisputeWindowOpen(queue.activatesAt);
        bytes32 root = _settlementQueue.pendingRoot;
        uint256 pending = _live[root];
        bytes32 previousRoot = _liveRoot;
        uint256 previous = _live[previousRoot];
        uint64 id = SettlementRecordLib.id(previous) + 1;
        uint64 covered = SettlementRecordLib.coveredThroughSeq(pending);
        uint96 total = SettlementRecordLib.claimable(pending); // a pending record holds its total there
        delete _live[previousRoot]; // old proofs fail from now on
        _live[root] = SettlementRecordLib.pack(SettlementRecordLib.claimable(previous), id, covered);
        _liveRoot = root;
        _pools.settlementTotal = total;
        _settlementQueue.queue.activatesAt = 0;
        emit SettlementActivated(id, root, total, covered);
    }

    /// @inheritdoc ISettlementQueue
    function rejectPendingSettlement(address disputer) external returns (address operator, uint256 proposal) {
        address disputes = _settlementQueue.disputes;
        if (msg.sender != disputes) revert NotSettlementDisputes(msg.sender, disputes);
        Queue memory queue = _settlementQueue.queue;
        if (queue.activatesAt == 0) revert NoPendingSettlement();
        if (block.timestamp >= queue.activatesAt) revert DisputeWindowClosed(queue.activatesAt);
        bytes32 root = _settlementQueue.pendingRoot;
        delete _live[root];
        _settlementQueue.queue.activatesAt = 0;
        emit SettlementRejected(root, queue.operator, disputer, queue.proposals);
        return (queue.operator, queue.proposals);
    }

    /// @inheritdoc ISettlementQueue
    function setDisputeWindow(uint256 window) external onlyRole(GOVERNANCE_ROLE) {
        _setDisputeWindow(window);
    }

    /// @inheritdoc ISettlementQueue
    function setSettlementDisputes(address disputes) external onlyRole(GOVERNANCE_ROLE) {
        if (disputes.code.length == 0) revert SettlementDisputesNotContract(disputes);
        _settlementQueue.disputes = disputes;
        emit SettlementDisputesChanged(disputes);
    }

    /// @inheritdoc ISettlementQueue
    function pendingSettlement() external view returns (PendingSettlement memory p) {
        Queue memory queue = _settlementQueue.queue;
        if (queue.activatesAt == 0) return p;
        uint256 record = _live[_settlementQueue.pendingRoot];
        p = PendingSettlement(
            _settlementQueue.pendingRoot,
            SettlementRecordLib.claimable(record),
            SettlementRecordLib.coveredThroughSeq(record),
            queue.operator,
            queue.activatesAt,
            queue.proposals
        );
    }

    /// @inheritdoc ISettlementQueue
    function disputeWindow() external view returns (uint256) {
        return _settlementQueue.queue.disputeWindow;
    }

    /// @inheritdoc ISettlementQueue
    function settlementDisputes() external view returns (address) {
        return _settlementQueue.disputes;
    }

    // ----- Internal -----

    function _setDisputeWindow(uint256 window) internal {
        if (window < MIN_DISPUTE_WINDOW || window > MAX_DISPUTE_WINDOW)
            revert DisputeWindowOutOfRange(window);
        _settlementQueue.queue.disputeWindow = uint24(window); // cast: <= 7 days < 2^24
        emit DisputeWindowChanged(window);
    }
}

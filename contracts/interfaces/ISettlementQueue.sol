// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title The reward distributor's settlement queue: pending roots, their dispute window, activation
/// @notice A posted settlement root is pending for `disputeWindow()` seconds while the previous root
/// stays live and claimable (claims never stop). Meanwhile the settlement disputes contract
/// (`settlementDisputes()`, see `ISettlementDisputes`) may reject it with an on-chain fraud proof;
/// after the window anyone makes it live with `activateSettlement`.
/// @dev Warning:
/// - One root is pending at a time: a new commit reverts `SettlementAlreadyPending` until the
///   pending one is activated or rejected, so an operator cannot keep the window open forever by
///   re-posting.
/// - Only `settlementDisputes()` can reject, only while the window is open, and only the pending
///   root: a rejection never touches the live root or any claim.
/// - The settlement operator must be bonded in operator staking when staking is set (the
///   attribution registry's copy of the bond status, else `IOperatorStaking.requireBonded`), so that
///   a proven fault has stake to slash.
interface ISettlementQueue {
    /// @notice The pending settlement (all zero when none).
    /// @param total The posted total.
    /// @param coveredThroughSeq The last finalisation sequence number it covers.
    /// @param operator Who posted it.
    /// @param activatesAt When it may be activated (the dispute window closes).
    /// @param proposal Number of roots ever posted, this one included (names the slash case).
    struct PendingSettlement {
        bytes32 root;
        uint256 total;
        uint256 coveredThroughSeq;
        address operator;
        uint256 activatesAt;
        uint256 proposal;
    }

    /// @notice A root is pending already.
    /// @param root The pending root.
    /// @param activatesAt When its window closes.
    error SettlementAlreadyPending(bytes32 root, uint256 activatesAt);
    /// @notice No root is pending.
    error NoPendingSettlement();
    /// @notice The dispute window is still open.
    /// @param activatesAt When it closes.
    error DisputeWindowOpen(uint256 activatesAt);
    /// @notice The dispute window has closed.
    /// @param activatesAt When it closed.
    error DisputeWindowClosed(uint256 activatesAt);
    /// @notice The root is live already (or pending).
    error RootInUse(bytes32 root);
    /// @notice A settlement must cover every pair finalised so far: its total is then bounded by
    /// exactly the pools it covers (a pair finalised after the operator's snapshot makes the commit
    /// revert; the operator recomputes).
    /// @param coveredThroughSeq The coverage given.
    /// @param finalizeSeq The last sequence number finalised.
    error CoverageNotCurrent(uint256 coveredThroughSeq, uint256 finalizeSeq);
    /// @notice The proof computes the pending root, which takes no claims until it is activated.
    /// @param root The pending root.
    /// @param activatesAt When it may be activated.
    error SettlementNotLive(bytes32 root, uint256 activatesAt);
    /// @notice Only the settlement disputes contract rejects roots.
    /// @param disputes The disputes contract.
    error NotSettlementDisputes(address caller, address disputes);
    /// @notice The settlement disputes address is not a contract.
    /// @param account The address given.
    error SettlementDisputesNotContract(address account);
    /// @notice A dispute window outside [MIN_DISPUTE_WINDOW, MAX_DISPUTE_WINDOW].
    /// @param window The value given.
    error DisputeWindowOutOfRange(uint256 window);

    /// @notice A posted root became live (after its window, by anyone).
    /// @param id Settlement number.
    /// @param coveredThroughSeq Its coverage.
    event SettlementActivated(uint256 indexed id, bytes32 root, uint256 total, uint256 coveredThroughSeq);
    /// @notice A pending root was rejected by a proven dispute (the live root is unchanged).
    /// @param root The rejected root.
    /// @param operator Who posted it.
    /// @param disputer Who proved the fault.
    /// @param proposal Its proposal number.
    event SettlementRejected(
        bytes32 indexed root,
        address indexed operator,
        address indexed disputer,
        uint256 proposal
    );
    /// @notice The dispute window changed (applies to roots posted from now on).
    /// @param window Seconds.
    event DisputeWindowChanged(uint256 window);
    /// @notice The settlement disputes contract changed.
    /// @param disputes The contract.
    event SettlementDisputesChanged(address disputes);

    /// @notice Makes the pending root live once its window has passed (anyone): its record takes
    /// over the live one's claimable sum, the previous root stops taking proofs.
    /// @dev Reverts `NoPendingSettlement`, `DisputeWindowOpen`.
    function activateSettlement() external;

    /// @notice Rejects the pending root (the settlement disputes contract only, inside the window).
    /// @dev Reverts `NotSettlementDisputes`, `NoPendingSettlement`, `DisputeWindowClosed`.
    /// @param disputer Who proved the fault (event only).
    /// @return operator Who posted the root (to slash).
    /// @return proposal Its proposal number.
    function rejectPendingSettlement(address disputer) external returns (address operator, uint256 proposal);

    /// @notice Sets the dispute window of roots posted from now on (GOVERNANCE_ROLE).
    /// @dev Reverts `DisputeWindowOutOfRange`.
    /// @param window Seconds, within [1 hour, 7 days].
    function setDisputeWindow(uint256 window) external;

    /// @notice Sets the contract that may reject pending roots (GOVERNANCE_ROLE).
    /// @dev Reverts `SettlementDisputesNotContract`.
    /// @param disputes The settlement disputes contract.
    function setSettlementDisputes(address disputes) external;

    /// @notice The pending settlement.
    /// @return The pending settlement (all zero when none).
    function pendingSettlement() external view returns (PendingSettlement memory);

    /// @notice The dispute window of the next root.
    /// @return Seconds.
    function disputeWindow() external view returns (uint256);

    /// @notice The contract that may reject pending roots (zero: none yet).
    /// @return The settlement disputes contract.
    function settlementDisputes() external view returns (address);
}

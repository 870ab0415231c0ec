// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ISettlementDisputes} from "../interfaces/ISettlementDisputes.sol";

/// @title SettlementChainLib
/// @notice The rules of the settlement tree's leaf chain (see `LeafLib.settlementLeaf`), as pure
/// checks: which fault, if any, one leaf or two leaves of one root prove.
/// @dev Every check is overflow-safe: a prefix plus amount that does not fit 256 bits is a fault.
library SettlementChainLib {
    /// @notice The link of the last leaf (no leaf may have this account).
    address internal constant LAST_LINK = address(type(uint160).max);

    /// @notice The fault one leaf proves on its own, `None` if none.
    /// @param total The root's posted total.
    /// @return The fault.
    function leafFault(
        ISettlementDisputes.ProvenLeaf calldata leaf,
        uint256 total
    ) internal pure returns (ISettlementDisputes.Fault) {
        if (leaf.nextAccount <= leaf.account) return ISettlementDisputes.Fault.BrokenLink;
        if (leaf.account == address(0) && (leaf.cumulativeAmount != 0 || leaf.prefixBefore != 0))
            return ISettlementDisputes.Fault.BadSentinel;
        if (leaf.cumulativeAmount > total || leaf.prefixBefore > total - leaf.cumulativeAmount)
            return ISettlementDisputes.Fault.AboveTotal;
        // unchecked: prefixBefore + cumulativeAmount <= total (checked above).
        unchecked {
            if (leaf.nextAccount == LAST_LINK && leaf.prefixBefore + leaf.cumulativeAmount != total)
                return ISettlementDisputes.Fault.TotalMismatch;
        }
        return ISettlementDisputes.Fault.None;
    }

    /// @notice The fault two leaves of one root prove together, `None` if none (identical leaves
    /// prove nothing).
    /// @param a One leaf.
    /// @param b Another.
    /// @return The fault.
    function leavesFault(
        ISettlementDisputes.ProvenLeaf calldata a,
        ISettlementDisputes.ProvenLeaf calldata b
    ) internal pure returns (ISettlementDisputes.Fault) {
        if (a.account == b.account) {
            bool same =
                a.cumulativeAmount == b.cumulativeAmount &&
                    a.nextAccount == b.nextAccount &&
                    a.prefixBefore == b.prefixBefore;
            return same ? ISettlementDisputes.Fault.None : ISettlementDisputes.Fault.DuplicateAccount;
        }
        if (a.account > b.account) (a, b) = (b, a);
        // Now a.account < b.account.
        if (b.account < a.nextAccount) return ISettlementDisputes.Fault.LeafInsideGap;
        // Leaves that are not neighbours have no prefix to compare. (An early return rather than
        // an `if` around the prefix check: the coverage gate measures the false side of an `if`
        // without `else` by statement counts, which the prefix check's own early return skews.)
        if (a.nextAccount != b.account) return ISettlementDisputes.Fault.None;
        uint256 after_;
        // unchecked: a wrapped sum is caught by the comparison below.
        unchecked {
            after_ = a.prefixBefore + a.cumulativeAmount;
        }
        if (after_ < a.prefixBefore || b.prefixBefore != after_)
            return ISettlementDisputes.Fault.BrokenPrefix;
        return ISettlementDisputes.Fault.None;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRewardDistributor} from "../interfaces/IRewardDistributor.sol";

/// @title RewardDistributorStorage
/// @notice The reward distributor's storage layout and its one-store writers, apart from its logic.
/// @dev Packed for `pay` (see {RewardDistributor}). Inherited after `GovernedPausable`, so the
/// slots are those of a single contract declaring them in this order.
abstract contract RewardDistributorStorage {
    /// @dev Slot of every payment: fee split, the cached current epoch, and the protocol share
    /// (treasury + staker reserve) accrued since the last checkpoint, bounded by the supply.
    struct Hot {
        uint16 treasuryBps;
        uint16 ownerBps;
        uint16 royaltyBps;
        uint16 stakerBps;
        uint32 cachedEpoch;
        uint40 cachedEpochEnd;
        uint120 protocolOpen;
    }

    /// @dev Treasury accrual and staker reserve up to the last checkpoint (see `_checkpoint`).
    struct ProtocolAccrual {
        uint128 treasuryAccrued;
        uint128 stakerReserve;
    }

    /// @dev Cumulative inflows: all paid in, and all that entered contributor pools.
    struct Inflow {
        uint128 paidIn;
        uint128 poolsIn;
    }

    /// @dev All pools ever finalised, and the latest settlement's total.
    struct Pools {
        uint128 totalFinalizedPools;
        uint128 settlementTotal;
    }

    /// @dev Per model: the latest epoch paid into, its pool, and the owner's unwithdrawn earnings.
    struct Ledger {
        uint32 epoch;
        uint112 pool;
        uint112 ownerAccrued;
    }

    /// @dev Withdrawal counters (not touched by payments).
    struct Withdrawals {
        uint128 treasuryWithdrawn;
        uint128 ownersWithdrawn;
    }

    /// @dev Finalisation sequence, roll-forward total and the pause end (read with the sequence by
    /// `commitSettlement`, so its pause check costs no extra storage read).
    struct Sequence {
        uint64 finalizeSeq;
        uint128 rolledForward;
        uint40 pausedUntil;
    }

    /// @dev The settlement queue (see `ISettlementQueue`): who posted the pending root, when its
    /// window closes (0: nothing pending), the window of the next root (never 0, so the slot is
    /// never cleared and a commit rewrites it) and the number of roots ever posted.
    struct Queue {
        address operator;
        uint40 activatesAt;
        uint24 disputeWindow;
        uint32 proposals;
    }

    /// @dev The staking contract that takes the staker reserve, and what it took so far.
    struct StakerPayouts {
        address staking;
        uint256 released;
    }

    /// @dev The settlement queue's state: the last root posted (the pending one while
    /// `queue.activatesAt != 0`; `NO_ROOT` before the first, so that no commit creates the slot; its
    /// record lives in `_live`, pending form), the queue slot and the contract that may reject.
    struct SettlementQueueState {
        bytes32 pendingRoot;
        Queue queue;
        address disputes;
    }

    /// @dev `_liveRoot` before the first settlement: a non-zero marker, so that the first
    /// settlement rewrites a slot instead of creating one. No proof reaches it (a keccak output).
    bytes32 internal constant NO_ROOT = bytes32(uint256(1));
    /// @dev Where `_claimed` keeps the id of the last settlement an account claimed under.
    uint256 internal constant CLAIMED_ID_SHIFT = 128;

    Hot internal _hot;
    ProtocolAccrual internal _protocol;
    Inflow internal _inflow;
    Pools internal _pools;
    Withdrawals internal _withdrawals;
    Sequence internal _sequence;
    uint256 internal _rollForwardDelay;
    /// @dev The latest settlement root (`NO_ROOT` before the first).
    bytes32 internal _liveRoot;
    /// @dev A `SettlementRecordLib` record, held only under `_liveRoot`: a claim looks up the root
    /// its proof computes, so one storage slot both proves the root live and carries the solvency
    /// bound. Each settlement moves the record to its root and deletes the old key (old proofs
    /// then fail).
    mapping(bytes32 root => uint256 record) internal _live;
    mapping(uint256 modelId => Ledger) internal _ledgers;
    mapping(uint256 modelId => mapping(uint256 epoch => IRewardDistributor.Pair)) internal _pairs;
    /// @dev Per account: everything paid to it by both paths (bits 0..127) and the id of the last
    /// settlement it claimed under (bits 128..191), which closes the direct path to it while that
    /// settlement is live (see `_claimDirect`).
    mapping(address account => uint256) internal _claimed;
    /// @dev The staking contract that takes the staker reserve, and what it took so far (neither is
    /// read by `pay` or a claim).
    StakerPayouts internal _stakerPayouts;
    mapping(uint256 modelId => mapping(uint256 epoch => mapping(address account => bool)))
        internal _directClaimed;
    SettlementQueueState internal _settlementQueue;

    /// @dev Writes a model's ledger with one store, in `Ledger`'s layout (epoch in bits 0..31, pool
    /// in 32..143, owner earnings in 144..255): the IR pipeline writes a struct field by field.
    function _storeLedger(uint256 modelId, Ledger memory ledger) internal {
        Ledger storage slot = _ledgers[modelId];
        uint256 word =
            uint256(ledger.epoch) | (uint256(ledger.pool) << 32) | (uint256(ledger.ownerAccrued) << 144);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(slot.slot, word)
        }
    }

    /// @dev Writes the inflow counters with one store (paid in: bits 0..127, pools: 128..255).
    function _storeInflow(Inflow memory inflow) internal {
        uint256 word = uint256(inflow.paidIn) | (uint256(inflow.poolsIn) << 128);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(_inflow.slot, word)
        }
    }
}

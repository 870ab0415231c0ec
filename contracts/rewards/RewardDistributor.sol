// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IAttributionRegistry} from "../interfaces/IAttributionRegistry.sol";
import {IModelPaymentTerms} from "../interfaces/IModelPaymentTerms.sol";
import {IOpenToken} from "../interfaces/IOpenToken.sol";
import {IOperatorStaking} from "../interfaces/IOperatorStaking.sol";
import {IRewardDistributor} from "../interfaces/IRewardDistributor.sol";
import {IStakerRewardSource} from "../interfaces/IStakerRewardSource.sol";
import {FeeSplitLib} from "../libraries/FeeSplitLib.sol";
import {LeafLib} from "../libraries/LeafLib.sol";
import {SettlementRecordLib} from "../libraries/SettlementRecordLib.sol";
import {SortedProofLib} from "../libraries/SortedProofLib.sol";
import {SettlementQueue} from "./SettlementQueue.sol";

/// @title RewardDistributor
/// @notice Splits inference payments in OPEN and pays contributors, owners and the treasury.
/// See {IRewardDistributor}.
/// @dev Storage is packed for `pay`, which touches: the fee/epoch-cache slot (read only in steady
/// state), the protocol-accrual slot, the inflow slot and the model's ledger slot, plus the
/// model registry and the token. The current epoch is cached with its end time: the attribution
/// registry's clock only changes epoch length at an epoch boundary, so a cached (epoch, end) is
/// exact until `end`. Every packed amount is bounded: outstanding amounts by the token supply
/// (< 2^96, checked in the constructor), cumulative counters in uint128 by checked arithmetic.
/// No reentrancy guard: the only token is the immutable OPEN (no transfer hooks) and every
/// function follows checks-effects-interactions.
/// Pause at no cost to `pay`: pausing (and unpausing) clears the cached epoch end, so the next
/// payment takes the refresh path, which checks the pause; the cache is not refilled while paused.
/// Roles: GOVERNANCE_ROLE (from `GovernedPausable`) sets parameters and withdraws the treasury;
/// SETTLEMENT_OPERATOR_ROLE posts settlement roots (pending for the dispute window, see
/// {ISettlementQueue}; the settlement disputes contract may reject them); GUARDIAN_ROLE may pause
/// payments and settlement commitments.
contract RewardDistributor is IRewardDistributor, SettlementQueue {
    using SafeERC20 for IERC20;

    /// @notice May post settlement roots.
    bytes32 public constant SETTLEMENT_OPERATOR_ROLE = keccak256("SETTLEMENT_OPERATOR_ROLE");
    /// @notice The usage escrow: may credit payments redeemed from vouchers.
    bytes32 public constant USAGE_ESCROW_ROLE = keccak256("USAGE_ESCROW_ROLE");
    /// @notice How many base models share the royalty at most.
    uint256 public constant MAX_LINEAGE_DEPTH = 3;
    /// @notice Shortest roll-forward delay.
    uint256 public constant MIN_ROLL_FORWARD_DELAY = 1 hours;
    /// @notice Longest roll-forward delay.
    uint256 public constant MAX_ROLL_FORWARD_DELAY = 365 days;
    /// @notice Largest single payment (and bound of the token supply).
    uint256 public constant MAX_PAYMENT = type(uint96).max;

    IOpenToken private immutable _token;
    IModelPaymentTerms private immutable _models;
    IAttributionRegistry private immutable _attribution;

    /// @param token_ The OPEN token (supply must be below 2^96).
    /// @param models_ The model registry.
    /// @param attribution_ The attribution registry and epoch clock.
    /// @param admin Receives DEFAULT_ADMIN_ROLE and GOVERNANCE_ROLE.
    /// @param split Initial fee split (documented default 500 / 2,500 / 500 / 500).
    /// @param rollForwardDelay_ Initial roll-forward delay.
    constructor(
        IOpenToken token_,
        IModelPaymentTerms models_,
        IAttributionRegistry attribution_,
        address admin,
        FeeSplit memory split,
        uint256 rollForwardDelay_
    ) SettlementQueue(admin) {
        if (
            address(token_) == address(0) ||
            address(models_) == address(0) ||
            address(attribution_) == address(0) ||
            admin == address(0)
        ) revert ZeroAddress();
        uint256 supply = token_.totalSupply();
        if (supply > MAX_PAYMENT) revert TokenSupplyTooLarge(supply);
        _token = token_;
        _models = models_;
        _attribution = attribution_;
        _setFeeSplit(split);
        _setRollForwardDelay(rollForwardDelay_);
        _liveRoot = NO_ROOT;
        _settlementQueue.pendingRoot = NO_ROOT;
        _setDisputeWindow(DEFAULT_DISPUTE_WINDOW);
    }

    // ----- Payments -----

    /// @inheritdoc IRewardDistributor
    function pay(uint256 modelId, uint256 units, uint256 maxAmount) external returns (uint256 amount) {
        address owner;
        uint256 baseModelId;
        (amount, owner, baseModelId) = _quote(modelId, units, maxAmount);
        _accrue(modelId, baseModelId, amount);
        IERC20(address(_token)).safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IRewardDistributor
    function payWithPermit(
        uint256 modelId,
        uint256 units,
        uint256 maxAmount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 amount) {
        address owner;
        uint256 baseModelId;
        (amount, owner, baseModelId) = _quote(modelId, units, maxAmount);
        bool permitted;
        try _token.permit(msg.sender, address(this), maxAmount, deadline, v, r, s) {
            permitted = true;
        } catch {
            // A front-run permit leaves the allowance in place: proceed when it suffices.
            uint256 allowance = _token.allowance(msg.sender, address(this));
            if (allowance < amount) revert PermitFailed(msg.sender, allowance, amount);
        }
        // `permitted` only documents which branch ran.
        _accrue(modelId, baseModelId, amount);
        IERC20(address(_token)).safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IRewardDistributor
    function creditUsage(UsageCredit[] calldata credits) external onlyRole(USAGE_ESCROW_ROLE) {
        for (uint256 i = 0; i < credits.length; ++i) {
            UsageCredit calldata c = credits[i];
            _accrue(c.modelId, c.baseModelId, c.amount);
        }
    }

    /// @inheritdoc IRewardDistributor
    function releaseUsage(address to, uint256 amount) external onlyRole(USAGE_ESCROW_ROLE) {
        IERC20(address(_token)).safeTransfer(to, amount);
    }

    // ----- Withdrawals -----

    /// @inheritdoc IRewardDistributor
    function withdrawOwnerEarnings(uint256 modelId, address to) external returns (uint256 amount) {
        (address owner, , , ) = _models.paymentTerms(modelId);
        if (msg.sender != owner) revert NotModelOwner(modelId, msg.sender, owner);
        if (to == address(0)) revert ZeroAddress();
        Ledger storage ledger = _ledgers[modelId];
        amount = ledger.ownerAccrued;
        if (amount == 0) revert NothingToPay();
        ledger.ownerAccrued = 0;
        _withdrawals.ownersWithdrawn += uint128(amount); // cast: amount < 2^112
        emit OwnerEarningsWithdrawn(modelId, owner, to, amount);
        IERC20(address(_token)).safeTransfer(to, amount);
    }

    /// @inheritdoc IRewardDistributor
    function withdrawTreasury(address to) external onlyRole(GOVERNANCE_ROLE) returns (uint256 amount) {
        if (to == address(0)) revert ZeroAddress();
        _checkpoint();
        Withdrawals memory w = _withdrawals;
        amount = _protocol.treasuryAccrued - w.treasuryWithdrawn;
        if (amount == 0) revert NothingToPay();
        w.treasuryWithdrawn += uint128(amount); // cast: amount <= a uint128 accrual
        _withdrawals = w;
        emit TreasuryWithdrawn(to, amount);
        IERC20(address(_token)).safeTransfer(to, amount);
    }

    /// @inheritdoc IStakerRewardSource
    function releaseStakerRewards() external returns (uint256 amount) {
        address staking_ = _stakerPayouts.staking;
        if (msg.sender != staking_) revert NotStaking(msg.sender, staking_);
        _checkpoint();
        uint256 reserve = _protocol.stakerReserve;
        amount = reserve - _stakerPayouts.released;
        if (amount == 0) return 0;
        _stakerPayouts.released = reserve;
        emit StakerRewardsReleased(staking_, amount);
        IERC20(address(_token)).safeTransfer(staking_, amount);
    }

    // ----- Finalisation and settlement -----

    /// @inheritdoc IRewardDistributor
    function finalize(uint256 modelId, uint256 epoch) external {
        _attribution.finalCommitment(modelId, epoch); // reverts NotFinal
        if (_pairs[modelId][epoch].finalizeSeq != 0) revert AlreadyFinalized(modelId, epoch);
        _finalizePair(modelId, epoch);
    }

    /// @inheritdoc IRewardDistributor
    function commitSettlement(
        bytes32 root,
        uint256 total,
        uint256 coveredThroughSeq,
        string calldata uri
    ) external onlyRole(SETTLEMENT_OPERATOR_ROLE) whenNotPaused {
        if (root == bytes32(0)) revert ZeroRoot();
        if (root == NO_ROOT) revert ReservedRoot();
        Queue memory queue = _settlementQueue.queue;
        if (queue.activatesAt != 0)
            revert SettlementAlreadyPending(_settlementQueue.pendingRoot, queue.activatesAt);
        Pools memory pools = _pools;
        if (total > pools.totalFinalizedPools)
            revert SettlementAboveFinalized(total, pools.totalFinalizedPools);
        if (total < pools.settlementTotal) revert SettlementTotalDecreased(total, pools.settlementTotal);
        // Every finalised pair is covered: `total` is then bounded by exactly the pools it covers,
        // which is what makes over-allocation imply a provable underpayment (SECURITY.md).
        uint256 finalized = _sequence.finalizeSeq;
        if (coveredThroughSeq != finalized) revert CoverageNotCurrent(coveredThroughSeq, finalized);
        if (_live[root] != 0) revert RootInUse(root);
        _requireBonded(msg.sender);
        uint256 id = SettlementRecordLib.id(_live[_liveRoot]) + 1;
        // casts: a timestamp plus at most 7 days; proposals < 2^32 (one per transaction).
        queue.operator = msg.sender;
        queue.activatesAt = uint40(block.timestamp + queue.disputeWindow);
        ++queue.proposals;
        _settlementQueue.queue = queue;
        _settlementQueue.pendingRoot = root;
        // casts: total <= totalFinalizedPools < 2^96; coveredThroughSeq == finalizeSeq, a uint64.
        _live[root] = SettlementRecordLib.packPending(uint96(total), uint64(coveredThroughSeq));
        emit SettlementCommitted(id, root, total, coveredThroughSeq, uri, msg.sender, queue.activatesAt);
    }

    // ----- Claims -----

    /// @inheritdoc IRewardDistributor
    function claim(
        address account,
        uint256 cumulativeAmount,
        address nextAccount,
        uint256 prefixBefore,
        bytes32[] calldata proof
    ) external returns (uint256 amount) {
        bytes32 root = SortedProofLib.processProofCalldata(
            proof,
            LeafLib.settlementLeaf(account, cumulativeAmount, nextAccount, prefixBefore)
        );
        uint256 record = _liveRecord(root);
        amount = _claimSettlement(account, cumulativeAmount, record);
        _live[root] = _takeClaimable(record, amount);
        IERC20(address(_token)).safeTransfer(account, amount);
    }

    /// @inheritdoc IRewardDistributor
    function claimMany(SettlementClaim[] calldata claims) external returns (uint256 total) {
        if (claims.length == 0) return 0;
        uint256[] memory amounts = new uint256[](claims.length);
        bytes32 root;
        uint256 record;
        for (uint256 i = 0; i < claims.length; ++i) {
            SettlementClaim calldata c = claims[i];
            bytes32 computed = SortedProofLib.processProofCalldata(
                c.proof,
                LeafLib.settlementLeaf(c.account, c.cumulativeAmount, c.nextAccount, c.prefixBefore)
            );
            if (i == 0) {
                root = computed;
                record = _liveRecord(root);
            } else if (computed != root) revert InvalidProof(); // one root is live at a time
            amounts[i] = _claimSettlement(c.account, c.cumulativeAmount, record);
            total += amounts[i];
        }
        _live[root] = _takeClaimable(record, total);
        for (uint256 i = 0; i < claims.length; ++i) {
            IERC20(address(_token)).safeTransfer(claims[i].account, amounts[i]);
        }
    }

    /// @inheritdoc IRewardDistributor
    function claimDirect(
        address account,
        uint256 modelId,
        uint256 epoch,
        uint256 weight,
        bytes32[] calldata proof
    ) external returns (uint256 amount) {
        amount = _claimDirect(account, modelId, epoch, weight, proof);
        _takeClaimableLive(amount);
        IERC20(address(_token)).safeTransfer(account, amount);
    }

    /// @inheritdoc IRewardDistributor
    function claimDirectBatch(
        address account,
        DirectClaim[] calldata claims
    ) external returns (uint256 total) {
        for (uint256 i = 0; i < claims.length; ++i) {
            DirectClaim calldata c = claims[i];
            total += _claimDirect(account, c.modelId, c.epoch, c.weight, c.proof);
        }
        if (total == 0) revert NothingToPay();
        _takeClaimableLive(total);
        IERC20(address(_token)).safeTransfer(account, total);
    }

    // ----- Roll forward -----

    /// @inheritdoc IRewardDistributor
    function rollForward(uint256 modelId, uint256 epoch) external {
        uint256 current = _currentEpoch();
        IAttributionRegistry.CommitmentStatus status;
        uint256 rollableAt = type(uint256).max;
        if (epoch < current) {
            // The delay counts from the start of the operator's commit window: the epoch's end, a
            // void (re-commit window) or the end of a commit pause, whichever is latest.
            uint256 since;
            (status, since) = _attribution.commitWindowStart(modelId, epoch);
            rollableAt = since + _rollForwardDelay;
        } else status = _attribution.commitmentStatus(modelId, epoch);
        if (
            block.timestamp < rollableAt ||
            (status != IAttributionRegistry.CommitmentStatus.None &&
                status != IAttributionRegistry.CommitmentStatus.Voided)
        ) revert NotRollable(modelId, epoch, rollableAt, status);
        Ledger memory ledger = _flushLedger(modelId, current);
        Pair storage p = _pairs[modelId][epoch];
        uint256 amount = p.pool;
        if (amount == 0) revert NothingToPay();
        p.pool = 0;
        // cast: current < 2^32 (epochs), amount < 2^96 (supply).
        ledger.epoch = uint32(current);
        ledger.pool += uint112(amount);
        _ledgers[modelId] = ledger;
        _sequence.rolledForward += uint128(amount);
        emit RolledForward(modelId, epoch, current, amount);
    }

    // ----- Governance parameters (all setters in one place) -----

    /// @inheritdoc IRewardDistributor
    function setFeeSplit(FeeSplit calldata split) external onlyRole(GOVERNANCE_ROLE) {
        _setFeeSplit(split);
    }

    /// @inheritdoc IRewardDistributor
    function setRollForwardDelay(uint256 delay) external onlyRole(GOVERNANCE_ROLE) {
        _setRollForwardDelay(delay);
    }

    /// @inheritdoc IRewardDistributor
    function recoverForeignToken(address foreignToken, address to) external onlyRole(GOVERNANCE_ROLE) {
        if (foreignToken == address(_token)) revert NotForeignToken();
        if (to == address(0)) revert ZeroAddress();
        uint256 amount = IERC20(foreignToken).balanceOf(address(this));
        emit ForeignTokenRecovered(foreignToken, to, amount);
        IERC20(foreignToken).safeTransfer(to, amount);
    }

    /// @inheritdoc IRewardDistributor
    function setStaking(address staking_) external onlyRole(GOVERNANCE_ROLE) {
        if (staking_ == address(0)) revert ZeroAddress();
        _stakerPayouts.staking = staking_;
        emit StakingChanged(staking_);
    }

    // ----- Views -----

    /// @inheritdoc IRewardDistributor
    function books() external view returns (Books memory b) {
        ProtocolAccrual memory pa = _protocol;
        Hot memory hot = _hot;
        (uint256 t, uint256 s) = FeeSplitLib.divideProtocol(hot.protocolOpen, hot.treasuryBps, hot.stakerBps);
        // casts: the open balance is below 2^96 (supply bound), closed sums are uint128.
        pa.treasuryAccrued += uint128(t);
        pa.stakerReserve += uint128(s);
        Inflow memory inflow = _inflow;
        uint256 finalized = _pools.totalFinalizedPools;
        uint256 unclaimed = SettlementRecordLib.claimable(_live[_liveRoot]);
        Withdrawals memory w = _withdrawals;
        b.paidIn = inflow.paidIn;
        b.treasuryAccrued = pa.treasuryAccrued;
        b.treasuryWithdrawn = w.treasuryWithdrawn;
        b.stakerReserve = pa.stakerReserve;
        // Owners (royalties included) receive exactly what the other shares leave of a payment.
        b.ownersAccrued = uint256(inflow.paidIn) - pa.treasuryAccrued - pa.stakerReserve - inflow.poolsIn;
        b.ownersWithdrawn = w.ownersWithdrawn;
        b.totalClaimed = finalized - unclaimed;
        b.claimable = unclaimed;
        b.poolsPending = uint256(inflow.poolsIn) - finalized;
        b.rolledForward = _sequence.rolledForward;
        b.stakersReleased = _stakerPayouts.released;
    }

    /// @inheritdoc IRewardDistributor
    function staking() external view returns (address) {
        return _stakerPayouts.staking;
    }

    /// @inheritdoc IRewardDistributor
    function epochPool(uint256 modelId, uint256 epoch) external view returns (uint256) {
        return pair(modelId, epoch).pool;
    }

    /// @inheritdoc IRewardDistributor
    function pair(uint256 modelId, uint256 epoch) public view returns (Pair memory p) {
        p = _pairs[modelId][epoch];
        Ledger memory ledger = _ledgers[modelId];
        // cast: pools are below 2^96 (supply bound).
        if (ledger.epoch == epoch) p.pool += uint96(ledger.pool);
    }

    /// @inheritdoc IRewardDistributor
    function claimable(address account, uint256 cumulativeAmount) external view returns (uint256) {
        uint256 already = uint128(_claimed[account]);
        return cumulativeAmount > already ? cumulativeAmount - already : 0;
    }

    /// @inheritdoc IRewardDistributor
    function claimed(address account) external view returns (uint256) {
        return uint128(_claimed[account]);
    }

    /// @inheritdoc IRewardDistributor
    function lastSettlementClaimed(address account) external view returns (uint256) {
        return _claimed[account] >> CLAIMED_ID_SHIFT;
    }

    /// @inheritdoc IRewardDistributor
    function directClaimed(address account, uint256 modelId, uint256 epoch) external view returns (bool) {
        return _directClaimed[modelId][epoch][account];
    }

    /// @inheritdoc IRewardDistributor
    function ownerEarnings(uint256 modelId) external view returns (uint256) {
        return _ledgers[modelId].ownerAccrued;
    }

    /// @inheritdoc IRewardDistributor
    function latestSettlement() external view returns (Settlement memory s) {
        bytes32 root = _liveRoot;
        if (root == NO_ROOT) return s;
        uint256 record = _live[root];
        s = Settlement(
            root,
            _pools.settlementTotal,
            SettlementRecordLib.coveredThroughSeq(record),
            SettlementRecordLib.id(record)
        );
    }

    /// @inheritdoc IRewardDistributor
    function finalizeSeq() external view returns (uint256) {
        return _sequence.finalizeSeq;
    }

    /// @inheritdoc IRewardDistributor
    function totalFinalizedPools() external view returns (uint256) {
        return _pools.totalFinalizedPools;
    }

    /// @inheritdoc IRewardDistributor
    function feeSplit() external view returns (FeeSplit memory) {
        Hot memory hot = _hot;
        return FeeSplit(hot.treasuryBps, hot.ownerBps, hot.royaltyBps, hot.stakerBps);
    }

    /// @inheritdoc IRewardDistributor
    function rollForwardDelay() external view returns (uint256) {
        return _rollForwardDelay;
    }

    /// @inheritdoc IRewardDistributor
    function token() external view returns (IOpenToken) {
        return _token;
    }

    /// @inheritdoc IRewardDistributor
    function models() external view returns (IModelPaymentTerms) {
        return _models;
    }

    /// @inheritdoc IRewardDistributor
    function attribution() external view returns (IAttributionRegistry) {
        return _attribution;
    }

    // ----- Internal -----

    /// @dev Checks the model, the units and the payer's bound; returns price x units.
    function _quote(
        uint256 modelId,
        uint256 units,
        uint256 maxAmount
    ) internal view returns (uint256 amount, address owner, uint256 baseModelId) {
        if (units == 0) revert ZeroUnits();
        uint256 price;
        bool retired;
        (owner, baseModelId, price, retired) = _models.paymentTerms(modelId); // reverts UnknownModel
        if (retired) revert ModelRetired(modelId);
        if (price == 0) revert ZeroPrice(modelId);
        bool ok;
        (ok, amount) = Math.tryMul(price, units);
        if (!ok || amount > MAX_PAYMENT) revert PaymentTooLarge(ok ? amount : type(uint256).max);
        // The payer's bound: a price raised after the payer signed cannot take more.
        if (amount > maxAmount) revert PaymentAboveMaximum(amount, maxAmount);
    }

    /// @dev Splits `amount` (< 2^96) and books every share. No loop over contributors.
    function _accrue(uint256 modelId, uint256 baseModelId, uint256 amount) internal {
        Hot memory hot = _hot;
        uint256 epoch = hot.cachedEpoch;
        if (block.timestamp >= hot.cachedEpochEnd) {
            // The cache is empty during a pause (see the contract's @dev): the check lives here.
            _requireNotPaused();
            epoch = _refreshEpoch();
        }
        (uint256 protocol, uint256 ownerShare, uint256 royalty, uint256 contributors) = FeeSplitLib.split(
            amount,
            uint256(hot.treasuryBps) + hot.stakerBps,
            hot.ownerBps,
            hot.royaltyBps
        );
        if (baseModelId == 0) {
            // No lineage: the royalty goes to the model owner.
            ownerShare += royalty;
            royalty = 0;
        } else {
            // Before reading this model's ledger, in case the lineage loops back to it. The
            // rounding remainder of the equal split goes to the contributors, and the event
            // reports only what the ancestors received, so pool == amount - the three shares.
            uint256 remainder = _payRoyalties(modelId, baseModelId, royalty);
            contributors += remainder;
            royalty -= remainder;
        }
        Ledger memory ledger = _ledgers[modelId];
        if (ledger.epoch != epoch) {
            // First payment of a new epoch: move the previous epoch's pool to its pair record.
            // cast: pools < 2^96 (supply bound).
            if (ledger.pool != 0) _pairs[modelId][ledger.epoch].pool += uint96(ledger.pool);
            ledger.epoch = uint32(epoch); // cast: epochs < 2^32
            ledger.pool = 0;
        }
        // casts: every share <= amount < 2^96; outstanding sums are bounded by the supply.
        ledger.pool += uint112(contributors);
        ledger.ownerAccrued += uint112(ownerShare);
        _storeLedger(modelId, ledger);
        // cast: protocol <= amount < 2^96; the open balance is held by this contract (< supply).
        // One field only: assigning the whole struct would write field by field.
        _hot.protocolOpen = hot.protocolOpen + uint120(protocol);
        Inflow memory inflow = _inflow;
        inflow.paidIn += uint128(amount);
        inflow.poolsIn += uint128(contributors);
        _storeInflow(inflow);
        emit Paid(modelId, epoch, msg.sender, amount, protocol, ownerShare, royalty);
    }

    /// @dev Credits the royalty equally to up to MAX_LINEAGE_DEPTH ancestors; returns the rounding
    /// remainder (for the contributors' pool).
    function _payRoyalties(
        uint256 modelId,
        uint256 baseModelId,
        uint256 royalty
    ) internal returns (uint256 remainder) {
        uint256[MAX_LINEAGE_DEPTH] memory ancestors;
        ancestors[0] = baseModelId;
        uint256 n = 1;
        while (n < MAX_LINEAGE_DEPTH) {
            (, uint256 next, , ) = _models.paymentTerms(ancestors[n - 1]);
            if (next == 0) break;
            ancestors[n++] = next;
        }
        uint256 each;
        (each, remainder) = FeeSplitLib.royaltyPart(royalty, n);
        for (uint256 i = 0; i < n; ++i) {
            _ledgers[ancestors[i]].ownerAccrued += uint112(each); // cast: each < 2^96
            emit RoyaltyAccrued(ancestors[i], modelId, each);
        }
    }

    /// @dev Reads the current epoch and its end from the attribution registry into the cache; leaves
    /// the cache empty while paused, so that every payment keeps checking the pause.
    function _refreshEpoch() internal returns (uint256 epoch) {
        uint256 end;
        (epoch, , end) = _attribution.clock();
        if (paused()) return epoch;
        // casts: epochs < 2^32, timestamps < 2^40.
        _hot.cachedEpoch = uint32(epoch);
        _hot.cachedEpochEnd = uint40(end);
    }

    /// @dev The current epoch, through the cache.
    function _currentEpoch() internal returns (uint256) {
        Hot memory hot = _hot;
        if (block.timestamp >= hot.cachedEpochEnd) return _refreshEpoch();
        return hot.cachedEpoch;
    }

    /// @dev If the model's ledger holds the pool of an ended epoch, moves it to its pair record.
    /// Returns the ledger as it is now stored.
    function _flushLedger(uint256 modelId, uint256 current) internal returns (Ledger memory ledger) {
        ledger = _ledgers[modelId];
        if (ledger.epoch < current && ledger.pool != 0) {
            _pairs[modelId][ledger.epoch].pool += uint96(ledger.pool); // cast: pools < 2^96
            ledger.pool = 0;
            _ledgers[modelId].pool = 0;
        }
    }

    /// @dev Finalises a pair whose commitment is Final and which is not yet finalised.
    function _finalizePair(uint256 modelId, uint256 epoch) internal returns (uint64 seq) {
        _flushLedger(modelId, _currentEpoch());
        Pair storage p = _pairs[modelId][epoch];
        seq = ++_sequence.finalizeSeq;
        p.finalizeSeq = seq;
        uint256 pool = p.pool;
        // casts: pool < 2^96 (supply bound); so is the claimable sum, held by this contract.
        _pools.totalFinalizedPools += uint128(pool);
        _live[_liveRoot] += pool; // the claimable field (see SettlementRecordLib)
        emit Finalized(modelId, epoch, seq, pool);
    }

    /// @dev The live record under `root`, the root a settlement proof computed; reverts unless
    /// `root` is the live settlement root.
    function _liveRecord(bytes32 root) internal view returns (uint256 record) {
        record = _live[root];
        if (SettlementRecordLib.id(record) == 0) {
            if (SettlementRecordLib.isPending(record))
                revert SettlementNotLive(root, _settlementQueue.queue.activatesAt);
            if (_liveRoot == NO_ROOT) revert NoSettlement();
            revert InvalidProof();
        }
    }

    /// @dev Books a proven settlement leaf for `account` under the live record `record`, and marks
    /// the account as claimed under that settlement; the caller takes the total from the claimable
    /// sum and transfers. A `cumulativeAmount` of 2^128 or more cannot be packed, but never gets
    /// that far: it exceeds `already` + claimable (<= the uint128 finalised pools), so the
    /// caller's `_takeClaimable` reverts.
    function _claimSettlement(
        address account,
        uint256 cumulativeAmount,
        uint256 record
    ) internal returns (uint256 amount) {
        uint256 already = uint128(_claimed[account]);
        if (cumulativeAmount <= already) revert NothingToClaim(account, cumulativeAmount, already);
        // unchecked: cumulativeAmount > already.
        unchecked {
            amount = cumulativeAmount - already;
        }
        _claimed[account] =
            uint128(cumulativeAmount) | (uint256(SettlementRecordLib.id(record)) << CLAIMED_ID_SHIFT);
        emit Claimed(account, cumulativeAmount, amount);
    }

    /// @dev Verifies an attribution leaf of an uncovered Final pair and books it for `account`.
    function _claimDirect(
        address account,
        uint256 modelId,
        uint256 epoch,
        uint256 weight,
        bytes32[] calldata proof
    ) internal returns (uint256 amount) {
        (bytes32 root, uint256 totalWeight) = _attribution.finalCommitment(modelId, epoch); // reverts NotFinal
        _requireDirectPath(account, modelId, epoch);
        if (weight == 0 || weight > totalWeight) revert InvalidWeight(weight, totalWeight);
        if (!MerkleProof.verifyCalldata(proof, root, LeafLib.attributionLeaf(account, weight))) {
            revert InvalidProof();
        }
        mapping(address => bool) storage done = _directClaimed[modelId][epoch];
        if (done[account]) revert AlreadyClaimed(account, modelId, epoch);
        Pair memory p = _pairs[modelId][epoch];
        amount = Math.mulDiv(p.pool, weight, totalWeight); // rounds down
        if (amount == 0) revert NothingToPay();
        if (p.claimed + amount > p.pool) revert PoolExceeded(modelId, epoch);
        done[account] = true;
        _pairs[modelId][epoch].claimed = p.claimed + uint96(amount); // cast: <= pool < 2^96
        _claimed[account] += amount;
        emit DirectClaimed(account, modelId, epoch, weight, amount);
    }

    /// @dev Reverts unless the direct path is open to `account` for a Final pair: the pair is not
    /// covered by the live settlement (finalising it first if needed: a fresh sequence number is
    /// never covered), and the account has not claimed under the live settlement. The second rule
    /// keeps the paths disjoint: the live settlement's table may have counted an uncovered pair, so
    /// an account it paid waits for the next settlement, whose cumulative amount nets what it was
    /// paid.
    function _requireDirectPath(address account, uint256 modelId, uint256 epoch) internal {
        uint256 live = _live[_liveRoot];
        uint64 seq = _pairs[modelId][epoch].finalizeSeq;
        if (seq == 0) {
            _finalizePair(modelId, epoch);
        } else {
            uint64 covered = SettlementRecordLib.coveredThroughSeq(live);
            if (seq <= covered) revert CoveredBySettlement(modelId, epoch, seq, covered);
        }
        uint256 liveId = SettlementRecordLib.id(live);
        if (liveId != 0 && _claimed[account] >> CLAIMED_ID_SHIFT == liveId)
            revert SettledUnderLiveRoot(account, liveId);
    }

    /// @dev `_takeClaimable` on the live root's record, for direct claims.
    function _takeClaimableLive(uint256 amount) internal {
        bytes32 root = _liveRoot;
        _live[root] = _takeClaimable(_live[root], amount);
    }

    /// @dev The live record `record` less a payment to contributors: claims never exceed the
    /// finalised pools.
    function _takeClaimable(uint256 record, uint256 amount) internal view returns (uint256) {
        uint256 unclaimed = SettlementRecordLib.claimable(record);
        if (amount > unclaimed) {
            uint256 finalized = _pools.totalFinalizedPools;
            revert ClaimsAboveFinalized(finalized - unclaimed + amount, finalized);
        }
        // unchecked: amount <= the claimable field, the record's lowest bits.
        unchecked {
            return record - amount;
        }
    }

    function _loadPausedUntil() internal view override returns (uint256) {
        return _sequence.pausedUntil;
    }

    /// @dev Also empties the epoch cache, so that the next payment checks the pause.
    function _storePausedUntil(uint256 until) internal override {
        _sequence.pausedUntil = uint40(until); // cast: a timestamp
        _hot.cachedEpochEnd = 0;
    }

    function _setFeeSplit(FeeSplit memory split) internal {
        if (!FeeSplitLib.withinCaps(split.treasuryBps, split.ownerBps, split.royaltyBps, split.stakerBps)) {
            revert FeeSplitAboveCap(split);
        }
        _checkpoint(); // what accrued so far is divided under the old split
        Hot memory hot = _hot;
        hot.treasuryBps = split.treasuryBps;
        hot.ownerBps = split.ownerBps;
        hot.royaltyBps = split.royaltyBps;
        hot.stakerBps = split.stakerBps;
        _hot = hot;
        emit FeeSplitChanged(split);
    }

    /// @dev Divides the open protocol balance between treasury and staker reserve.
    function _checkpoint() internal {
        Hot memory hot = _hot;
        if (hot.protocolOpen == 0) return;
        (uint256 t, uint256 s) = FeeSplitLib.divideProtocol(hot.protocolOpen, hot.treasuryBps, hot.stakerBps);
        ProtocolAccrual memory pa = _protocol;
        // casts: t + s = the open balance < 2^96.
        pa.treasuryAccrued += uint128(t);
        pa.stakerReserve += uint128(s);
        _protocol = pa;
        _hot.protocolOpen = 0;
    }

    /// @dev Reverts unless `operator` is bonded in operator staking (when staking is set): the
    /// attribution registry's copy of the bond status first (one read), staking's own check when
    /// the copy says no (the copy lags only in the operator's favour, see IOperatorBondListener).
    function _requireBonded(address operator) internal view {
        (, bool bonded, ) = _attribution.operatorState(operator);
        if (bonded) return;
        address staking_ = _stakerPayouts.staking;
        if (staking_ != address(0)) IOperatorStaking(staking_).requireBonded(operator);
    }

    function _setRollForwardDelay(uint256 delay) internal {
        if (delay < MIN_ROLL_FORWARD_DELAY || delay > MAX_ROLL_FORWARD_DELAY)
            revert RollForwardDelayOutOfRange(delay);
        _rollForwardDelay = delay;
        emit RollForwardDelayChanged(delay);
    }
}

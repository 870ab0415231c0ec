// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAttributionRegistry} from "./IAttributionRegistry.sol";
import {IGuardianPausable} from "./IGuardianPausable.sol";
import {IModelPaymentTerms} from "./IModelPaymentTerms.sol";
import {IOpenToken} from "./IOpenToken.sol";
import {ISettlementQueue} from "./ISettlementQueue.sol";
import {IStakerRewardSource} from "./IStakerRewardSource.sol";

/// @title OPEN reward distributor
/// @notice Apps pay for inference in OPEN; each payment is split by basis points into the
/// treasury, the model owner, the owners of up to `MAX_LINEAGE_DEPTH` base models (royalty), the
/// staker reserve and the data contributors' pool of (model, current epoch). Contributors are paid
/// from the pools of epochs whose attribution commitment is Final, by either path:
/// - settlement (cheap): a bonded settlement operator posts a root of cumulative amounts per
///   account over everything finalised so far; after a dispute window in which anyone may prove it
///   wrong on chain (`ISettlementQueue`, `ISettlementDisputes`) it becomes live and `claim` pays
///   `cumulativeAmount - claimed[account]`;
/// - direct (trust-minimised): `claimDirect` pays `floor(pool * weight / totalWeight)` of one
///   (model, epoch) against its Final attribution root.
/// @dev Warning:
/// - No double payment across the two paths. `claimed[account]` is one ledger for both. Every
///   (model, epoch) receives a sequence number `finalizeSeq` when it is finalised; a settlement
///   records `coveredThroughSeq`, the last sequence number it covers. A pair covered by a
///   settlement refuses direct claims (`CoveredBySettlement`); a direct claim on an uncovered pair
///   adds to `claimed[account]`, and the settlement operator must include it in the account's
///   next cumulative amount (so that settlement pays only the rest). The paths are disjoint per
///   account and settlement: an account that claimed under the live settlement cannot claim
///   directly until a newer settlement is live (`SettledUnderLiveRoot`), so a table that counted
///   an uncovered pair cannot pay that account twice; the next settlement's cumulative amount nets
///   what it was paid.
/// - Solvency is enforced on chain: a settlement covers every finalised pair and its total may
///   not exceed the finalised pools (`CoverageNotCurrent`, `SettlementAboveFinalized`), every claim keeps `totalClaimed <= totalFinalizedPools`
///   (`ClaimsAboveFinalized`, whatever the leaves of a root add up to), and
///   direct claims of a pair never exceed its pool. The split among contributors is checked by
///   disputes: an underpaid or omitted account, or a broken leaf chain, rejects the pending root
///   and slashes its operator (see SECURITY.md for what stays trusted).
/// - Rounding: every basis-point share and every direct claim rounds down; the remainders stay in
///   the contributors' pool (payment) or in the contract (direct-claim dust, counted as claimable).
///   The treasury and staker shares are taken as one protocol share per payment,
///   floor(amount * (treasuryBps + stakerBps) / 10,000), to keep `pay` to one accumulator; the
///   accrued protocol balance is divided in the ratio treasuryBps : stakerBps (treasury rounded
///   down, staker reserve the rest) whenever the split changes or the treasury withdraws, and
///   `books()` shows the division as of now. Conservation stays exact.
/// - Owner earnings accrue per model and are withdrawn by whoever owns the model at withdrawal.
/// - The only token ever accepted or paid is the immutable OPEN `token()`.
/// - Pools of epochs that end without a Final commitment can be rolled into the model's current
///   epoch by anyone once `rollForwardDelay` has passed since the operator's commit window started
///   (`IAttributionRegistry.commitWindowStart`: the epoch's end, or a later void or commit pause).
interface IRewardDistributor is IGuardianPausable, IStakerRewardSource, ISettlementQueue {
    /// @notice Fee split in basis points (contributors receive the rest).
    /// @param treasuryBps Treasury share (default 500 = 5%, cap 10%).
    /// @param ownerBps Model owner share (default 2,500 = 25%, cap 50%).
    /// @param royaltyBps Upstream royalty share, split equally among up to `MAX_LINEAGE_DEPTH`
    /// ancestors; goes to the model owner when the model has no base (default 500 = 5%, cap 10%).
    /// @param stakerBps Staker reserve share (default 500 = 5%, cap 10%).
    struct FeeSplit {
        uint16 treasuryBps;
        uint16 ownerBps;
        uint16 royaltyBps;
        uint16 stakerBps;
    }

    /// @notice The contributors' pool of one (model, epoch).
    /// @param finalizeSeq 0 until finalised, then its sequence number (from 1).
    /// @param pool The pool in OPEN.
    /// @param claimed What direct claims have paid out of it.
    struct Pair {
        uint64 finalizeSeq;
        uint96 pool;
        uint96 claimed;
    }

    /// @notice The latest settlement.
    /// @param root Merkle root of `LeafLib.settlementLeaf` leaves.
    /// @param total Sum of all leaves' cumulative amounts.
    /// @param coveredThroughSeq Every pair with `finalizeSeq <= coveredThroughSeq` is covered.
    /// @param id Settlement number (from 1).
    struct Settlement {
        bytes32 root;
        uint128 total;
        uint64 coveredThroughSeq;
        uint64 id;
    }

    /// @notice One direct claim of a batch.
    /// @param weight The account's weight in the Final commitment.
    /// @param proof Merkle proof of `LeafLib.attributionLeaf(account, weight)`.
    struct DirectClaim {
        uint256 modelId;
        uint256 epoch;
        uint256 weight;
        bytes32[] proof;
    }

    /// @notice One settlement claim of a batch.
    /// @param account The leaf's account (receives the tokens).
    /// @param cumulativeAmount The leaf's cumulative amount.
    /// @param nextAccount The leaf's link to the next account.
    /// @param prefixBefore The leaf's prefix sum.
    /// @param proof Merkle proof against the latest settlement root.
    struct SettlementClaim {
        address account;
        uint256 cumulativeAmount;
        address nextAccount;
        uint256 prefixBefore;
        bytes32[] proof;
    }

    /// @notice A payment for inference redeemed from usage vouchers (see `creditUsage`).
    /// @param baseModelId The model's base model (0 for a root model), as the registry reports it.
    /// @param amount OPEN, split as one `pay` of that amount.
    struct UsageCredit {
        uint256 modelId;
        uint256 baseModelId;
        uint256 amount;
    }

    /// @notice The books, for auditors. Invariant:
    /// `paidIn == treasuryAccrued + ownersAccrued + stakerReserve + totalClaimed + claimable + poolsPending`,
    /// and the distributor owes `stakerReserve - stakersReleased` to staking.
    /// @param paidIn All OPEN ever paid for inference.
    /// @param treasuryAccrued All that ever accrued to the treasury.
    /// @param treasuryWithdrawn What the treasury withdrew.
    /// @param ownersAccrued All that ever accrued to model owners, royalties included.
    /// @param ownersWithdrawn What owners withdrew.
    /// @param stakerReserve All that ever accrued to stakers.
    /// @param totalClaimed All paid to contributors by both paths.
    /// @param claimable Finalised pools not yet claimed (direct-claim rounding dust included).
    /// @param poolsPending Pools not yet finalised (current, committed or awaiting roll-forward).
    /// @param rolledForward All that was ever rolled forward (moved between pending pools).
    /// @param stakersReleased What of `stakerReserve` moved to the staking contract.
    struct Books {
        uint256 paidIn;
        uint256 treasuryAccrued;
        uint256 treasuryWithdrawn;
        uint256 ownersAccrued;
        uint256 ownersWithdrawn;
        uint256 stakerReserve;
        uint256 totalClaimed;
        uint256 claimable;
        uint256 poolsPending;
        uint256 rolledForward;
        uint256 stakersReleased;
    }

    /// @notice Zero units.
    error ZeroUnits();
    /// @notice Only the staking contract may take the staker reserve.
    /// @param caller Who called.
    /// @param staking The staking contract (zero: none set).
    error NotStaking(address caller, address staking);
    /// @notice The model's price is zero.
    error ZeroPrice(uint256 modelId);
    /// @notice The model is retired and takes no payment.
    error ModelRetired(uint256 modelId);
    /// @notice price x units is larger than any OPEN supply (2^96 - 1).
    /// @param amount The amount asked for.
    error PaymentTooLarge(uint256 amount);
    /// @notice price x units is above the payer's bound (the price was raised after the payer
    /// signed): nothing is taken.
    /// @param amount price x units now.
    /// @param maxAmount The payer's bound.
    error PaymentAboveMaximum(uint256 amount, uint256 maxAmount);
    /// @notice The permit failed and the allowance does not cover the payment.
    /// @param allowance The allowance after the failed permit.
    /// @param amount The payment.
    error PermitFailed(address payer, uint256 allowance, uint256 amount);
    /// @notice The caller does not own the model.
    error NotModelOwner(uint256 modelId, address caller, address owner);
    /// @notice Nothing to withdraw, claim or roll.
    error NothingToPay();
    /// @notice A zero address where one is required.
    error ZeroAddress();
    /// @notice The (model, epoch) was already finalised.
    error AlreadyFinalized(uint256 modelId, uint256 epoch);
    /// @notice The Merkle proof does not prove the leaf.
    error InvalidProof();
    /// @notice A leaf weight of zero or above the commitment's total weight.
    /// @param weight The weight given.
    error InvalidWeight(uint256 weight, uint256 totalWeight);
    /// @notice The account already claimed this (model, epoch) directly.
    error AlreadyClaimed(address account, uint256 modelId, uint256 epoch);
    /// @notice The (model, epoch) is covered by a settlement: claim with `claim` instead.
    /// @param finalizeSeq Its sequence number.
    /// @param coveredThroughSeq The latest settlement's coverage.
    error CoveredBySettlement(uint256 modelId, uint256 epoch, uint256 finalizeSeq, uint256 coveredThroughSeq);
    /// @notice The account claimed under the live settlement, whose table may count this pair: it is
    /// paid for the pair by the next settlement (or directly once a later settlement is live and
    /// it has not claimed under it).
    /// @param settlementId The live settlement it claimed under.
    error SettledUnderLiveRoot(address account, uint256 settlementId);
    /// @notice The cumulative amount does not exceed what the account was already paid.
    /// @param cumulativeAmount The leaf amount.
    /// @param claimed Already paid.
    error NothingToClaim(address account, uint256 cumulativeAmount, uint256 claimed);
    /// @notice A settlement total above the finalised pools.
    /// @param total The total given.
    /// @param totalFinalizedPools The finalised pools.
    error SettlementAboveFinalized(uint256 total, uint256 totalFinalizedPools);
    /// @notice A settlement total below the previous one (cumulative amounts never decrease).
    /// @param total The total given.
    error SettlementTotalDecreased(uint256 total, uint256 previousTotal);
    /// @notice A zero settlement root.
    error ZeroRoot();
    /// @notice The settlement root `bytes32(uint256(1))`, which marks "no settlement yet".
    error ReservedRoot();
    /// @notice No settlement has been committed yet.
    error NoSettlement();
    /// @notice Paying this would take claims above the finalised pools (a bad settlement).
    /// @param totalClaimed Claims after this payment.
    /// @param totalFinalizedPools The finalised pools.
    error ClaimsAboveFinalized(uint256 totalClaimed, uint256 totalFinalizedPools);
    /// @notice Direct claims of a pair would exceed its pool (leaf weights sum above the total).
    error PoolExceeded(uint256 modelId, uint256 epoch);
    /// @notice The epoch cannot be rolled forward yet or at all.
    /// @param rollableAt When the delay passes (see `rollForward`).
    /// @param status Its commitment status (only None and Voided roll).
    error NotRollable(
        uint256 modelId,
        uint256 epoch,
        uint256 rollableAt,
        IAttributionRegistry.CommitmentStatus status
    );
    /// @notice A fee split with a share above its cap.
    /// @param split The split given.
    error FeeSplitAboveCap(FeeSplit split);
    /// @notice A roll-forward delay outside [MIN_ROLL_FORWARD_DELAY, MAX_ROLL_FORWARD_DELAY].
    /// @param delay The value given.
    error RollForwardDelayOutOfRange(uint256 delay);
    /// @notice OPEN cannot be recovered: it is accounted for.
    error NotForeignToken();
    /// @notice The token's supply exceeds 2^96 - 1 (the packed accounting relies on it).
    error TokenSupplyTooLarge(uint256 totalSupply);

    /// @notice A payment for inference was received and split.
    /// @param epoch The epoch whose pool received the contributors' share.
    /// @param payer Who paid.
    /// @param amount price x units.
    /// @param protocolShare To the treasury and the staker reserve together (see `Books`).
    /// @param ownerShare To the model owner (royalty included when the model has no base).
    /// @param royaltyShare To ancestors' owners (0 when no base; see RoyaltyAccrued). The
    /// contributors' pool received the rest: amount - protocolShare - ownerShare - royaltyShare.
    event Paid(
        uint256 indexed modelId,
        uint256 indexed epoch,
        address indexed payer,
        uint256 amount,
        uint256 protocolShare,
        uint256 ownerShare,
        uint256 royaltyShare
    );
    /// @notice A base model's owner accrued a royalty.
    /// @param ancestorModelId The base model credited.
    /// @param fromModelId The model that was paid.
    /// @param amount The royalty.
    event RoyaltyAccrued(uint256 indexed ancestorModelId, uint256 indexed fromModelId, uint256 amount);
    /// @notice A model owner withdrew.
    /// @param to The recipient.
    event OwnerEarningsWithdrawn(uint256 indexed modelId, address indexed owner, address to, uint256 amount);
    /// @notice The treasury was withdrawn.
    /// @param to The recipient.
    event TreasuryWithdrawn(address indexed to, uint256 amount);
    /// @notice The staker reserve accrued so far moved to the staking contract.
    /// @param staking The staking contract.
    /// @param amount OPEN.
    event StakerRewardsReleased(address indexed staking, uint256 amount);
    /// @notice The staking contract that receives the staker reserve changed.
    /// @param staking The new staking contract.
    event StakingChanged(address staking);
    /// @notice A (model, epoch) pool was finalised.
    /// @param finalizeSeq Its sequence number.
    event Finalized(uint256 indexed modelId, uint256 indexed epoch, uint256 finalizeSeq, uint256 pool);
    /// @notice A settlement root was posted; it is pending until `activatesAt` (see
    /// `SettlementActivated`, `SettlementRejected`).
    /// @param id Settlement number it takes if activated.
    /// @param total Sum of cumulative amounts.
    /// @param coveredThroughSeq Last finalised pair covered.
    /// @param uri Where the table and proofs are published.
    /// @param operator Who posted it.
    /// @param activatesAt When its dispute window closes.
    event SettlementCommitted(
        uint256 indexed id,
        bytes32 root,
        uint256 total,
        uint256 coveredThroughSeq,
        string uri,
        address indexed operator,
        uint256 activatesAt
    );
    /// @notice A settlement claim paid an account.
    /// @param account The account paid.
    /// @param cumulativeAmount The leaf amount (of the latest settlement at that block).
    /// @param amount Paid now.
    event Claimed(address indexed account, uint256 cumulativeAmount, uint256 amount);
    /// @notice A direct claim paid an account.
    /// @param account The account paid.
    /// @param weight The leaf weight.
    /// @param amount Paid.
    event DirectClaimed(
        address indexed account,
        uint256 indexed modelId,
        uint256 indexed epoch,
        uint256 weight,
        uint256 amount
    );
    /// @notice A pool was rolled into the model's current epoch.
    /// @param fromEpoch The ended epoch.
    /// @param toEpoch The current epoch.
    /// @param amount The pool moved.
    event RolledForward(uint256 indexed modelId, uint256 indexed fromEpoch, uint256 toEpoch, uint256 amount);
    /// @notice The fee split changed.
    /// @param split The new split.
    event FeeSplitChanged(FeeSplit split);
    /// @notice The roll-forward delay changed.
    /// @param delay Seconds.
    event RollForwardDelayChanged(uint256 delay);
    /// @notice A foreign token sent by mistake was recovered.
    /// @param to The recipient.
    event ForeignTokenRecovered(address indexed token, address indexed to, uint256 amount);

    /// @notice Pays `units` of inference of `modelId`: pulls price x units OPEN from the caller
    /// (approve first) and splits it, if that is at most `maxAmount`. Gas does not depend on the
    /// number of contributors.
    /// @dev Reverts `ZeroUnits`, `ZeroPrice`, `ModelRetired`, `IModelPaymentTerms.UnknownModel`,
    /// `PaymentTooLarge`, `PaymentAboveMaximum`, `PausedByGuardian`, and the token's errors for a
    /// missing allowance or balance.
    /// @param units Units of inference.
    /// @param maxAmount The most the payer accepts to pay (e.g. the quoted price x units): a model
    /// owner raising the price in front of the payment cannot take more.
    /// @return amount The OPEN paid.
    function pay(uint256 modelId, uint256 units, uint256 maxAmount) external returns (uint256 amount);

    /// @notice `pay` with an EIP-2612 permit of the caller for this contract, of value `maxAmount`,
    /// in the same call (what the payment does not use stays approved).
    /// If the permit fails (e.g. it was front-run) the payment proceeds when the allowance suffices.
    /// @dev Reverts `PermitFailed` when the permit fails and the allowance is short; else as `pay`.
    /// @param units Units of inference.
    /// @param maxAmount The most the payer accepts to pay, and the permit's value.
    /// @param deadline The permit's deadline.
    /// @param v Signature v.
    /// @param r Signature r.
    /// @param s Signature s.
    /// @return amount The OPEN paid.
    function payWithPermit(
        uint256 modelId,
        uint256 units,
        uint256 maxAmount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 amount);

    /// @notice Pays for inference redeemed from usage vouchers (USAGE_ESCROW_ROLE, held by the usage
    /// escrow only): splits each credit exactly as a `pay` of that amount into the model's current
    /// epoch pool (`Paid` names the escrow as payer; the escrow's `VoucherRedeemed` names the app).
    /// @dev Warning: the escrow's OPEN is already here (deposits are sent to this contract, which
    /// holds them under the escrow's books), so no token moves; the escrow is trusted for the
    /// amounts (each at most a payer's balance, below 2^96), the model's base model and the
    /// retirement check (it reads them from the model registry in the same transaction).
    /// Reverts `PausedByGuardian` (as `pay`).
    /// @param credits (model, base model, amount) triples.
    function creditUsage(UsageCredit[] calldata credits) external;

    /// @notice Sends escrowed OPEN that a payer withdrew from the usage escrow (USAGE_ESCROW_ROLE):
    /// the escrow's books bound it by that payer's unspent balance.
    /// @param to The recipient.
    function releaseUsage(address to, uint256 amount) external;

    /// @notice The model's current owner withdraws its accrued earnings (owner share + royalties).
    /// @dev Reverts `NotModelOwner`, `ZeroAddress`, `NothingToPay`.
    /// @param to Recipient.
    /// @return amount The amount withdrawn.
    function withdrawOwnerEarnings(uint256 modelId, address to) external returns (uint256 amount);

    /// @notice Withdraws the treasury's accrued share (GOVERNANCE_ROLE).
    /// @dev Reverts `ZeroAddress`, `NothingToPay`.
    /// @param to Recipient.
    /// @return amount The amount withdrawn.
    function withdrawTreasury(address to) external returns (uint256 amount);

    /// @notice Finalises a (model, epoch) whose commitment is Final: gives it the next sequence
    /// number and adds its pool to the finalised pools (permissionless).
    /// @dev Reverts `IAttributionRegistry.NotFinal`, `AlreadyFinalized`.
    function finalize(uint256 modelId, uint256 epoch) external;

    /// @notice Posts a settlement root (SETTLEMENT_OPERATOR_ROLE, bonded when staking is set)
    /// covering every pair finalised so far; it is pending for `disputeWindow()` (see
    /// `ISettlementQueue`). The operator states the coverage its table computed, so a pair
    /// finalised between its snapshot and this transaction makes it revert instead of being left out.
    /// @dev Reverts `ZeroRoot`, `ReservedRoot`, `SettlementAlreadyPending`, `SettlementAboveFinalized`,
    /// `SettlementTotalDecreased`, `CoverageNotCurrent`, `RootInUse`, `PausedByGuardian`, and
    /// staking's `UnknownOperator`, `OperatorNotListed`, `BondBelowMinimum` for an unbonded operator.
    /// @param root Merkle root of `LeafLib.settlementLeaf` leaves (sorted, linked, prefix-summed).
    /// @param total Sum of the cumulative amounts.
    /// @param coveredThroughSeq The last finalisation sequence number the table counts
    /// (`finalizeSeq()`).
    /// @param uri Where the table and proofs are published (event only).
    function commitSettlement(
        bytes32 root,
        uint256 total,
        uint256 coveredThroughSeq,
        string calldata uri
    ) external;

    /// @notice Pays `account` what the live settlement owes it beyond what it was already paid
    /// (anyone may call; tokens go to `account`).
    /// @dev Reverts `NoSettlement`, `InvalidProof`, `SettlementNotLive`, `NothingToClaim`,
    /// `ClaimsAboveFinalized`.
    /// @param account The leaf's account.
    /// @param cumulativeAmount The leaf's cumulative amount.
    /// @param nextAccount The leaf's link to the next account.
    /// @param prefixBefore The leaf's prefix sum.
    /// @param proof Merkle proof against the live settlement root.
    /// @return amount Paid.
    function claim(
        address account,
        uint256 cumulativeAmount,
        address nextAccount,
        uint256 prefixBefore,
        bytes32[] calldata proof
    ) external returns (uint256 amount);

    /// @notice `claim` for several accounts.
    /// @return total Paid in all.
    function claimMany(SettlementClaim[] calldata claims) external returns (uint256 total);

    /// @notice Pays `account` its share of one (model, epoch) against the Final commitment
    /// (finalising the pair first if needed; anyone may call; tokens go to `account`).
    /// @dev Reverts `IAttributionRegistry.NotFinal`, `CoveredBySettlement`, `SettledUnderLiveRoot`, `InvalidWeight`,
    /// `InvalidProof`, `AlreadyClaimed`, `NothingToPay`, `PoolExceeded`.
    /// @param account The leaf's account.
    /// @param weight The leaf's weight.
    /// @param proof Merkle proof of `LeafLib.attributionLeaf(account, weight)`.
    /// @return amount Paid: floor(pool * weight / totalWeight).
    function claimDirect(
        address account,
        uint256 modelId,
        uint256 epoch,
        uint256 weight,
        bytes32[] calldata proof
    ) external returns (uint256 amount);

    /// @notice Several direct claims of one account in one transfer.
    /// @dev Reverts as `claimDirect` for any item.
    /// @param claims The (model, epoch, weight, proof) items.
    /// @return total Paid in all.
    function claimDirectBatch(
        address account,
        DirectClaim[] calldata claims
    ) external returns (uint256 total);

    /// @notice Moves the pool of an ended epoch without Final commitment into the model's current
    /// epoch once `rollForwardDelay` has passed since the operator's commit window started: the
    /// epoch's end, the void of its commitment, or the end of an attribution commit pause,
    /// whichever is latest (permissionless).
    /// @dev Reverts `NotRollable` (too early, current epoch, or status Pending/Challenged/Final),
    /// `NothingToPay` (empty pool).
    /// @param epoch The ended epoch.
    function rollForward(uint256 modelId, uint256 epoch) external;

    /// @notice Sets the fee split (GOVERNANCE_ROLE); applies to payments from now on.
    /// @dev Reverts `FeeSplitAboveCap`.
    function setFeeSplit(FeeSplit calldata split) external;

    /// @notice Sets the roll-forward delay (GOVERNANCE_ROLE). Keep it above the challenge window.
    /// @dev Reverts `RollForwardDelayOutOfRange`.
    /// @param delay Seconds.
    function setRollForwardDelay(uint256 delay) external;

    /// @notice Sends the whole balance of a token that is not OPEN to `to` (GOVERNANCE_ROLE).
    /// @dev Reverts `NotForeignToken` for OPEN, `ZeroAddress`.
    /// @param to Recipient.
    function recoverForeignToken(address foreignToken, address to) external;

    /// @notice Sets the staking contract that receives the staker reserve (GOVERNANCE_ROLE).
    /// @dev Reverts `ZeroAddress`.
    /// @param staking_ The staking contract.
    function setStaking(address staking_) external;

    /// @notice The staking contract that receives the staker reserve (zero: none yet).
    /// @return The staking contract.
    function staking() external view returns (address);

    /// @notice The books (see `Books`).
    /// @return The books.
    function books() external view returns (Books memory);

    /// @notice The contributors' pool of a (model, epoch).
    /// @return The pool.
    function epochPool(uint256 modelId, uint256 epoch) external view returns (uint256);

    /// @notice A (model, epoch) record (pool of the model's latest paid epoch included).
    /// @return The record.
    function pair(uint256 modelId, uint256 epoch) external view returns (Pair memory);

    /// @notice What a settlement leaf would pay now.
    /// @param cumulativeAmount The leaf amount.
    /// @return cumulativeAmount minus claimed, or 0.
    function claimable(address account, uint256 cumulativeAmount) external view returns (uint256);

    /// @notice Everything ever paid to an account by both claim paths.
    /// @return The amount.
    function claimed(address account) external view returns (uint256);

    /// @notice The id of the last settlement an account claimed under (0: none).
    /// @return The settlement id.
    function lastSettlementClaimed(address account) external view returns (uint256);

    /// @notice Whether the account claimed a (model, epoch) directly.
    /// @return True if claimed.
    function directClaimed(address account, uint256 modelId, uint256 epoch) external view returns (bool);

    /// @notice Accrued, unwithdrawn earnings of a model's owner.
    /// @return The amount.
    function ownerEarnings(uint256 modelId) external view returns (uint256);

    /// @notice The latest settlement.
    /// @return The settlement.
    function latestSettlement() external view returns (Settlement memory);

    /// @notice The number of pairs finalised so far (the last sequence number).
    /// @return The count.
    function finalizeSeq() external view returns (uint256);

    /// @notice All finalised pools.
    /// @return The sum.
    function totalFinalizedPools() external view returns (uint256);

    /// @notice The fee split.
    /// @return The split.
    function feeSplit() external view returns (FeeSplit memory);

    /// @notice The roll-forward delay.
    /// @return Seconds.
    function rollForwardDelay() external view returns (uint256);

    /// @notice The OPEN token.
    /// @return The token.
    function token() external view returns (IOpenToken);

    /// @notice The model registry.
    /// @return The registry.
    function models() external view returns (IModelPaymentTerms);

    /// @notice The attribution registry (and epoch clock).
    /// @return The registry.
    function attribution() external view returns (IAttributionRegistry);
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGuardianPausable} from "./IGuardianPausable.sol";
import {IOperatorBondListener} from "./IOperatorBondListener.sol";

/// @title Operator staking: delegation pools, staker rewards and slashing
/// @notice Every operator (attribution or settlement) has one pool. OPEN holders stake behind an
/// operator (delegation); the operator's own stake in its pool is its bond. A pool is share based
/// (an ERC-4626-style exchange rate between its OPEN and its shares), so a slash lowers every
/// delegator's stake pro rata in O(1), and rewards are shared within a pool by a reward-per-share
/// accumulator, so every staker action is O(1) in the number of stakers.
///
/// Money in: stake (`stake`), and staker rewards (the reward distributor's staker reserve, pulled
/// by anyone with `distribute`, or OPEN pushed by anyone with `addRewards`). Money out: withdrawals
/// after the unbonding delay (`withdraw`), rewards (`claimRewards`), commission
/// (`claimCommission`), and slashes (to the challenger who proved a fault and to the treasury).
/// @dev Warning:
/// - Operators are listed by governance (`listOperator`, at most `MAX_LISTED_OPERATORS` at once);
///   only a listed pool takes new stake and receives rewards. `distribute` loops over the listed
///   pools (O(operators), never O(stakers)); everything a staker does is O(1).
/// - Rewards are shared between listed pools by their bonded OPEN at the moment of `distribute`;
///   the pool's commission (basis points, at most `MAX_COMMISSION_BPS`) goes to its operator and
///   the rest to its bonded shares. Stake in unbonding earns nothing.
/// - A commission change takes effect `COMMISSION_DELAY` after it was scheduled, at the first
///   distribution from then on; until then the old commission applies. While a change is
///   scheduled another one is refused.
/// - Unstaking is a request: the shares stop earning and can be withdrawn `unbondingDelay()` after
///   the latest request of that staker in that pool (a new request adds to the previous one and
///   restarts the delay), at the pool's exchange rate at withdrawal. The delay in force at
///   withdrawal applies. Unbonding shares stay shares of the same pool: a slash lowers the value of
///   bonded and unbonding shares alike, so stake cannot flee a fault before it is proven.
/// - A pool with less than `MIN_REWARD_SHARES` earning shares receives no rewards (its part stays
///   queued for the next distribution).
/// - `MIN_UNBONDING_DELAY` (90 days) is the longest attribution challenge window (30 days) plus
///   the longest challenge resolution period (60 days): stake whose unstaking is requested right
///   after a commitment cannot be withdrawn before a challenge raised at the end of the window
///   reaches its resolution deadline. It is longer than any settlement dispute window (7 days).
/// - Slashing is callable only by SLASHER_ROLE, which governance grants to contracts only (the
///   attribution registry's challenge resolution and the settlement dispute path): never by an
///   account. A slash takes `slashBps()` of the pool (bonded and unbonding), pays
///   `challengerRewardBps()` of it to the beneficiary (whoever proved the fault) and the rest to
///   the treasury (not burned: the supply stays fixed and governance decides its use). Each
///   (slasher, case) is slashed at most once.
/// - Rounding is always against stakers: shares minted and assets redeemed round down, shares
///   burned and slashed assets round up, rewards per share round down. The dust stays in this
///   contract (its OPEN balance is never below what it owes; see `totals`).
/// - Bond listener (`setBondListener`, once: the attribution registry): told of every change of an
///   operator's bond status (see `IOperatorBondListener`), so that commits need no call into staking.
/// - Emergency pause (`IGuardianPausable`): stops `stake` only (new money in); requests,
///   withdrawals, claims, distributions and slashes go on.
interface IOperatorStaking is IGuardianPausable {
    /// @notice A pool as seen from outside.
    /// @param id The pool's id (1, 2, ...; 0 = no pool).
    /// @param listed Whether it takes new stake and receives rewards.
    /// @param assets All OPEN in the pool (bonded and unbonding).
    /// @param shares All its shares (bonded and unbonding: one exchange rate).
    /// @param bondedAssets What the bonded (earning) shares are worth (rounded down).
    /// @param bondedShares Bonded (earning) shares.
    /// @param unbondingAssets The rest of the OPEN: unbonding (slashable, earning nothing).
    /// @param rewardPerShare Rewards per bonded share, scaled by 1e18.
    /// @param commissionBps The commission in force.
    /// @param nextCommissionBps The scheduled commission (equal to `commissionBps` if none).
    /// @param commissionEffectiveAt When the scheduled commission takes effect (0 if none).
    /// @param commissionAccrued Commission earned and not yet claimed.
    struct PoolView {
        uint256 id;
        bool listed;
        uint256 assets;
        uint256 shares;
        uint256 bondedAssets;
        uint256 bondedShares;
        uint256 unbondingAssets;
        uint256 rewardPerShare;
        uint256 commissionBps;
        uint256 nextCommissionBps;
        uint256 commissionEffectiveAt;
        uint256 commissionAccrued;
    }

    /// @notice A staker's position in one pool.
    /// @param shares Bonded shares.
    /// @param assets What the bonded shares are worth now (rounded down).
    /// @param pendingRewards Rewards claimable now.
    /// @param unbondingShares Shares in the pool's unbonding part.
    /// @param unbondingAssets What they are worth now (rounded down).
    /// @param withdrawableAt When they can be withdrawn (0 if none).
    struct Position {
        uint256 shares;
        uint256 assets;
        uint256 pendingRewards;
        uint256 unbondingShares;
        uint256 unbondingAssets;
        uint256 withdrawableAt;
    }

    /// @notice Lifetime totals, for auditors. Identity (exact):
    /// `rewardsReceived == rewardsToPools + rewardsQueued + rewardsDust`, where `rewardsDust` is the
    /// per-pool rounding that no staker can claim. `OPEN balance >= staked + unclaimed rewards`.
    /// @param staked OPEN in all pools now (bonded and unbonding).
    /// @param rewardsReceived All rewards ever taken in.
    /// @param rewardsToPools Rewards credited to pools (delegators and commission).
    /// @param rewardsQueued Rewards waiting for the next distribution.
    /// @param rewardsPaid Rewards and commission paid out.
    /// @param slashed All OPEN ever slashed.
    struct Totals {
        uint256 staked;
        uint256 rewardsReceived;
        uint256 rewardsToPools;
        uint256 rewardsQueued;
        uint256 rewardsPaid;
        uint256 slashed;
    }

    /// @notice A zero amount where a positive one is required.
    error ZeroAmount();
    /// @notice A zero address where one is required.
    error ZeroAddress();
    /// @notice The address has no pool.
    /// @param operator The address given.
    error UnknownOperator(address operator);
    /// @notice The pool is not listed (takes no new stake).
    error OperatorNotListed(address operator);
    /// @notice The operator is already listed.
    error OperatorAlreadyListed(address operator);
    /// @notice Listing would exceed `MAX_LISTED_OPERATORS`.
    /// @param max The bound.
    error TooManyOperators(uint256 max);
    /// @notice The request is for more than the staker's bonded stake.
    /// @param operator The pool.
    /// @param account The staker.
    /// @param assets The amount asked.
    /// @param available The bonded stake.
    error UnstakeExceedsStake(address operator, address account, uint256 assets, uint256 available);
    /// @notice Nothing in unbonding.
    /// @param operator The pool.
    /// @param account The staker.
    error NothingToWithdraw(address operator, address account);
    /// @notice The unbonding delay has not passed.
    /// @param operator The pool.
    /// @param account The staker.
    /// @param withdrawableAt When it passes.
    error UnbondingNotOver(address operator, address account, uint256 withdrawableAt);
    /// @notice No rewards (or commission) to claim.
    /// @param operator The pool.
    /// @param account The claimant.
    error NothingToClaim(address operator, address account);
    /// @notice A commission above `MAX_COMMISSION_BPS`.
    /// @param bps The value given.
    /// @param max The bound.
    error CommissionAboveMax(uint256 bps, uint256 max);
    /// @notice A commission change is already scheduled.
    /// @param effectiveAt When it takes effect.
    error CommissionChangePending(uint256 effectiveAt);
    /// @notice An unbonding delay outside [MIN_UNBONDING_DELAY, MAX_UNBONDING_DELAY].
    /// @param delay The value given.
    error UnbondingDelayOutOfRange(uint256 delay);
    /// @notice A minimum operator bond of zero or above `MAX_MIN_OPERATOR_BOND`.
    /// @param bond The value given.
    error MinOperatorBondOutOfRange(uint256 bond);
    /// @notice A slash fraction of zero or above `MAX_SLASH_BPS`.
    /// @param bps The value given.
    error SlashBpsOutOfRange(uint256 bps);
    /// @notice A challenger reward above `MAX_CHALLENGER_REWARD_BPS`.
    /// @param bps The value given.
    error ChallengerRewardBpsOutOfRange(uint256 bps);
    /// @notice The operator's own stake is below the minimum bond.
    error BondBelowMinimum(address operator, uint256 bond, uint256 minimum);
    /// @notice This case was already slashed by this slasher.
    /// @param slasher The resolution path.
    error AlreadySlashed(address slasher, bytes32 caseId);
    /// @notice SLASHER_ROLE may only go to a contract.
    /// @param account The account given.
    error SlasherNotContract(address account);
    /// @notice The bond listener is set already (it is set once).
    /// @param listener The listener in place.
    error BondListenerAlreadySet(address listener);
    /// @notice A bond listener must be a contract.
    /// @param account The address given.
    error BondListenerNotContract(address account);

    /// @notice Governance listed an operator (creating its pool the first time).
    event OperatorListed(address indexed operator, uint256 poolId);
    /// @notice Governance delisted an operator: its pool takes no new stake and no rewards.
    event OperatorDelisted(address indexed operator);
    /// @notice OPEN was staked.
    /// @param operator The pool.
    /// @param account The staker.
    /// @param assets OPEN staked.
    /// @param shares Shares minted.
    event Staked(address indexed operator, address indexed account, uint256 assets, uint256 shares);
    /// @notice Stake left the bonded pool for unbonding.
    /// @param operator The pool.
    /// @param account The staker.
    /// @param assets OPEN moved.
    /// @param shares Bonded shares burned.
    /// @param withdrawableAt When the staker's unbonding stake can be withdrawn.
    event UnstakeRequested(
        address indexed operator,
        address indexed account,
        uint256 assets,
        uint256 shares,
        uint256 withdrawableAt
    );
    /// @notice Unbonding stake was withdrawn.
    /// @param operator The pool.
    /// @param account The staker.
    /// @param to Who received it.
    /// @param assets OPEN paid.
    event Withdrawn(address indexed operator, address indexed account, address to, uint256 assets);
    /// @notice Rewards were claimed.
    /// @param operator The pool.
    /// @param account The staker.
    /// @param to Who received them.
    /// @param amount OPEN paid.
    event RewardsClaimed(address indexed operator, address indexed account, address to, uint256 amount);
    /// @notice Commission was claimed.
    /// @param to Who received it.
    /// @param amount OPEN paid.
    event CommissionClaimed(address indexed operator, address to, uint256 amount);
    /// @notice Rewards were taken in.
    /// @param from Who sent them (the reward source for pulls).
    /// @param amount OPEN.
    event RewardsAdded(address indexed from, uint256 amount);
    /// @notice Rewards were shared between the listed pools.
    /// @param amount OPEN credited to pools.
    /// @param queued OPEN left for the next distribution (nothing bonded, or rounding).
    /// @param totalBonded The bonded OPEN they were shared by.
    event RewardsDistributed(uint256 amount, uint256 queued, uint256 totalBonded);
    /// @notice A pool received its part of a distribution.
    /// @param operator The pool.
    /// @param toStakers OPEN for its bonded shares.
    /// @param commission OPEN for its operator.
    event PoolRewarded(address indexed operator, uint256 toStakers, uint256 commission);
    /// @notice An operator scheduled a commission change.
    /// @param bps The new commission.
    /// @param effectiveAt When it takes effect.
    event CommissionChangeScheduled(address indexed operator, uint256 bps, uint256 effectiveAt);
    /// @notice A scheduled commission took effect.
    /// @param bps The commission now in force.
    event CommissionChanged(address indexed operator, uint256 bps);
    /// @notice A pool was slashed.
    /// @param operator The pool.
    /// @param slasher The resolution path that slashed.
    /// @param caseId The case (e.g. the challenged commitment).
    /// @param beneficiary Who proved the fault.
    /// @param slashed OPEN taken (from bonded and unbonding stake alike).
    /// @param reward OPEN paid to the beneficiary.
    /// @param toTreasury OPEN paid to the treasury.
    event Slashed(
        address indexed operator,
        address indexed slasher,
        bytes32 indexed caseId,
        address beneficiary,
        uint256 slashed,
        uint256 reward,
        uint256 toTreasury
    );
    /// @notice The unbonding delay changed.
    /// @param delay Seconds.
    event UnbondingDelayChanged(uint256 delay);
    /// @notice The minimum operator bond changed.
    /// @param bond OPEN.
    event MinOperatorBondChanged(uint256 bond);
    /// @notice The slash fraction changed.
    /// @param bps Basis points of a pool.
    event SlashBpsChanged(uint256 bps);
    /// @notice The challenger's part of a slash changed.
    /// @param bps Basis points of the slashed amount.
    event ChallengerRewardBpsChanged(uint256 bps);
    /// @notice The treasury changed.
    /// @param treasury The new address.
    event TreasuryChanged(address treasury);
    /// @notice The reward source changed.
    /// @param source The new source (zero: none).
    event RewardSourceChanged(address source);
    /// @notice The bond listener was set.
    event BondListenerSet(address listener);

    /// @notice Stakes `assets` OPEN behind `operator` (pulls them from the caller; approve first). An
    /// operator staking in its own pool adds to its bond.
    /// @dev Reverts `ZeroAmount`, `UnknownOperator`, `OperatorNotListed`, `PausedByGuardian`.
    /// @param operator The pool.
    /// @param assets OPEN.
    /// @return shares Shares minted (rounded down).
    function stake(address operator, uint256 assets) external returns (uint256 shares);

    /// @notice Moves `assets` OPEN worth of the caller's bonded shares in `operator`'s pool to
    /// unbonding (they stop earning); pending rewards stay claimable.
    /// @dev Reverts `ZeroAmount`, `UnknownOperator`, `UnstakeExceedsStake`. Works on delisted pools.
    /// @param operator The pool.
    /// @param assets OPEN (at most `position(...).assets`).
    /// @return shares Bonded shares burned (rounded up).
    function requestUnstake(address operator, uint256 assets) external returns (uint256 shares);

    /// @notice Pays the caller's unbonding stake in `operator`'s pool (less any slash) to `to` once
    /// the unbonding delay has passed since the caller's latest request there.
    /// @dev Reverts `ZeroAddress`, `NothingToWithdraw`, `UnbondingNotOver`.
    /// @param operator The pool.
    /// @param to Receiver.
    /// @return assets OPEN paid.
    function withdraw(address operator, address to) external returns (uint256 assets);

    /// @notice Pays the caller's pending rewards in `operator`'s pool to `to`.
    /// @dev Reverts `ZeroAddress`, `NothingToClaim`.
    /// @param operator The pool.
    /// @param to Receiver.
    /// @return amount OPEN paid.
    function claimRewards(address operator, address to) external returns (uint256 amount);

    /// @notice Pays the caller's accrued commission (the caller is the operator) to `to`.
    /// @dev Reverts `ZeroAddress`, `NothingToClaim`.
    /// @param to Receiver.
    /// @return amount OPEN paid.
    function claimCommission(address to) external returns (uint256 amount);

    /// @notice Schedules the caller's pool commission; it takes effect `COMMISSION_DELAY` from now.
    /// @dev Reverts `UnknownOperator`, `CommissionAboveMax`, `CommissionChangePending`.
    /// @param bps Basis points of the pool's rewards.
    function setCommission(uint256 bps) external;

    /// @notice Takes `amount` OPEN from the caller as staker rewards, for the next distribution.
    /// @dev Reverts `ZeroAmount`.
    /// @param amount OPEN.
    function addRewards(uint256 amount) external;

    /// @notice Pulls what the reward source releases (if one is set) and shares everything queued
    /// between the listed pools by bonded OPEN. Anyone may call it.
    /// @return distributed OPEN credited to pools.
    function distribute() external returns (uint256 distributed);

    /// @notice Slashes `operator`'s pool OPEN by `slashBps()` (bonded and unbonding alike), pays
    /// `challengerRewardBps()` of it to `beneficiary` and the rest to the treasury (SLASHER_ROLE:
    /// a resolution path contract).
    /// @dev Reverts `UnknownOperator`, `ZeroAddress`, `AlreadySlashed`. A pool holding nothing is
    /// "slashed" by zero (the resolution goes on).
    /// @param operator The pool.
    /// @param beneficiary Who proved the fault.
    /// @param caseId The case, unique per slasher.
    /// @return slashed OPEN taken.
    /// @return reward OPEN paid to `beneficiary`.
    function slash(
        address operator,
        address beneficiary,
        bytes32 caseId
    ) external returns (uint256 slashed, uint256 reward);

    /// @notice Lists an operator, creating its pool the first time (GOVERNANCE_ROLE).
    /// @dev Reverts `ZeroAddress`, `OperatorAlreadyListed`, `TooManyOperators`.
    function listOperator(address operator) external;

    /// @notice Delists an operator (GOVERNANCE_ROLE): no new stake, no new rewards; its stakers
    /// keep unstaking, withdrawing and claiming, and the pool stays slashable.
    /// @dev Reverts `OperatorNotListed`.
    function delistOperator(address operator) external;

    /// @notice Sets the unbonding delay (GOVERNANCE_ROLE).
    /// @dev Reverts `UnbondingDelayOutOfRange`.
    /// @param delay Seconds.
    function setUnbondingDelay(uint256 delay) external;

    /// @notice Sets the minimum operator bond (GOVERNANCE_ROLE).
    /// @dev Reverts `MinOperatorBondOutOfRange`.
    /// @param bond OPEN.
    function setMinOperatorBond(uint256 bond) external;

    /// @notice Sets the fraction of a pool a slash takes (GOVERNANCE_ROLE).
    /// @dev Reverts `SlashBpsOutOfRange`.
    /// @param bps Basis points.
    function setSlashBps(uint256 bps) external;

    /// @notice Sets the challenger's part of a slash (GOVERNANCE_ROLE).
    /// @dev Reverts `ChallengerRewardBpsOutOfRange`.
    /// @param bps Basis points of the slashed amount.
    function setChallengerRewardBps(uint256 bps) external;

    /// @notice Sets where the rest of a slash goes (GOVERNANCE_ROLE).
    /// @dev Reverts `ZeroAddress`.
    /// @param treasury The new address.
    function setTreasury(address treasury) external;

    /// @notice Sets the contract `distribute` pulls rewards from (GOVERNANCE_ROLE; zero: none).
    /// @param source An `IStakerRewardSource`.
    function setRewardSource(address source) external;

    /// @notice Sets the contract told of every operator's bond status (GOVERNANCE_ROLE, once).
    /// @dev Reverts `BondListenerAlreadySet`, `BondListenerNotContract`. Operators bonded before it
    /// was set are pushed with `syncBond`.
    /// @param listener The listener (the attribution registry).
    function setBondListener(IOperatorBondListener listener) external;

    /// @notice Tells the bond listener `operator`'s current bond status (anyone; a no-op without a
    /// listener).
    /// @dev Reverts `UnknownOperator`.
    function syncBond(address operator) external;

    /// @notice The contract told of every operator's bond status (zero: none).
    /// @return The listener.
    function bondListener() external view returns (IOperatorBondListener);

    /// @notice Reverts unless `operator` is listed and its own stake is at least the minimum bond;
    /// for the registries' commit paths.
    /// @dev Reverts `UnknownOperator`, `OperatorNotListed`, `BondBelowMinimum`.
    /// @return poolId Its pool id.
    function requireBonded(address operator) external view returns (uint256 poolId);

    /// @notice The operator's own stake in its pool (bonded, rounded down).
    /// @return OPEN.
    function bondOf(address operator) external view returns (uint256);

    /// @notice A pool.
    /// @return The pool (all zero if none).
    function pool(address operator) external view returns (PoolView memory);

    /// @notice The operator of a pool id.
    /// @param poolId The id.
    /// @return The operator (zero if none).
    function operatorOf(uint256 poolId) external view returns (address);

    /// @notice A staker's position in a pool.
    /// @param operator The pool.
    /// @param account The staker.
    /// @return The position.
    function position(address operator, address account) external view returns (Position memory);

    /// @notice The listed operators.
    /// @return Their addresses.
    function listedOperators() external view returns (address[] memory);

    /// @notice Lifetime totals (see `Totals`).
    /// @return The totals.
    function totals() external view returns (Totals memory);

    /// @notice Seconds between an unstake request and its withdrawal.
    /// @return Seconds.
    function unbondingDelay() external view returns (uint256);

    /// @notice The least own stake an operator needs to commit.
    /// @return OPEN.
    function minOperatorBond() external view returns (uint256);

    /// @notice Fraction of a pool a slash takes.
    /// @return Basis points.
    function slashBps() external view returns (uint256);

    /// @notice The beneficiary's part of a slash.
    /// @return Basis points of the slashed amount.
    function challengerRewardBps() external view returns (uint256);

    /// @notice Where the rest of a slash goes.
    /// @return The treasury.
    function treasury() external view returns (address);

    /// @notice Where `distribute` pulls rewards from.
    /// @return The source (zero: none).
    function rewardSource() external view returns (address);
}

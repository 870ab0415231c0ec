// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IOperatorBondListener} from "../interfaces/IOperatorBondListener.sol";
import {IOperatorStaking} from "../interfaces/IOperatorStaking.sol";
import {IStakerRewardSource} from "../interfaces/IStakerRewardSource.sol";
import {GovernedPausable} from "../governance/GovernedPausable.sol";
import {StakeMathLib} from "../libraries/StakeMathLib.sol";

/// @title OperatorStaking
/// @notice Delegation pools per operator, staker rewards and slashing. See {IOperatorStaking}.
/// @dev One exchange rate per pool: bonded and unbonding stake are shares of the same pool
/// (`assets`, `shares`), so a slash, which lowers `assets` only, hits both alike by construction;
/// unbonding shares just stop earning (`bondedShares` counts the shares that earn).
/// Storage per pool, packed for the staker paths: OPEN and shares with the pool id and the listing
/// flag (one slot), the earning shares and the reward accumulator (one slot), the commission (one
/// slot, read by distributions and commission changes only). Per staker and pool: the delegation
/// (earning shares and reward debt, one slot) and the unbonding request (one slot).
/// Amounts of OPEN fit 96 bits (the token's supply is capped below 2^96 by the suite's token);
/// every narrowing cast is checked with SafeCast.
/// No reentrancy guard: the only token is the immutable OPEN (no transfer hooks) and every function
/// follows checks-effects-interactions.
/// Roles: DEFAULT_ADMIN_ROLE grants roles; GOVERNANCE_ROLE lists operators, sets parameters,
/// administers SLASHER_ROLE and GUARDIAN_ROLE; SLASHER_ROLE (contracts only) slashes; GUARDIAN_ROLE
/// may pause `stake`.
contract OperatorStaking is IOperatorStaking, GovernedPausable {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// @dev A pool's OPEN and shares (bonded and unbonding), its id and whether it is listed.
    struct Pool {
        uint96 assets;
        uint128 shares;
        uint24 id;
        bool listed;
    }

    /// @dev A pool's earning (bonded) shares and its rewards per earning share.
    struct Earning {
        uint128 bondedShares;
        uint128 rewardPerShare;
    }

    /// @dev A pool's commission: in force, scheduled (`effectiveAt` 0: none) and accrued.
    struct Commission {
        uint16 bps;
        uint16 nextBps;
        uint40 effectiveAt;
        uint96 accrued;
    }

    /// @dev A staker's bonded (earning) shares in a pool and its reward debt (see `StakeMathLib`).
    struct Delegation {
        uint128 shares;
        int128 rewardDebt;
    }

    /// @dev A staker's unbonding shares in a pool (still pool shares, earning nothing) and its latest
    /// request.
    struct Request {
        uint128 shares;
        uint40 requestedAt;
    }

    /// @dev Parameters, with the pause end.
    struct Params {
        uint32 unbondingDelay;
        uint96 minOperatorBond;
        uint16 slashBps;
        uint16 challengerRewardBps;
        uint40 pausedUntil;
    }

    /// @dev Lifetime reward counters (`received == toPools + queued`).
    /// (`paid` shares a slot with `received`, which is non-zero before anything can be paid, so that
    /// a claim never writes a fresh slot.)
    struct RewardBooks {
        uint128 received;
        uint128 paid;
        uint128 toPools;
        uint128 queued;
    }

    /// @notice May slash (resolution path contracts only).
    bytes32 public constant SLASHER_ROLE = keccak256("SLASHER_ROLE");
    /// @notice Most operators listed at once (bounds `distribute`).
    uint256 public constant MAX_LISTED_OPERATORS = 64;
    /// @notice Highest commission.
    uint256 public constant MAX_COMMISSION_BPS = 5_000;
    /// @notice Time between scheduling a commission and its effect.
    uint256 public constant COMMISSION_DELAY = 7 days;
    /// @notice Shortest unbonding delay: the longest attribution challenge window (30 days) plus the
    /// longest challenge resolution period (60 days), so stake whose unstaking was requested at a
    /// commitment is still in the pool when governance resolves a challenge raised at the end of
    /// the window, at the latest deadline; longer than any settlement dispute window (7 days).
    uint256 public constant MIN_UNBONDING_DELAY = 90 days;
    /// @notice Longest unbonding delay.
    uint256 public constant MAX_UNBONDING_DELAY = 180 days;
    /// @notice Highest minimum operator bond (10,000,000 OPEN).
    uint256 public constant MAX_MIN_OPERATOR_BOND = 10_000_000 ether;
    /// @notice Highest fraction of a pool one slash takes.
    uint256 public constant MAX_SLASH_BPS = 5_000;
    /// @notice Highest part of a slash paid to the beneficiary.
    uint256 public constant MAX_CHALLENGER_REWARD_BPS = 5_000;
    /// @notice A pool with fewer earning shares (1 OPEN's worth at 1:1) gets no rewards: its part
    /// stays queued (it keeps the accumulator's increments bounded).
    uint256 public constant MIN_REWARD_SHARES = 1e18;

    /// @notice The OPEN token.
    IERC20 public immutable token;

    Params private _params;
    RewardBooks private _books;
    uint256 private _slashed;
    address private _treasury;
    address private _rewardSource;
    uint24 private _poolCount;
    IOperatorBondListener private _bondListener;
    address[] private _listed;
    mapping(uint256 poolId => address operator) private _operators;
    mapping(address operator => Pool) private _pools;
    mapping(address operator => Earning) private _earning;
    mapping(address operator => Commission) private _commissions;
    mapping(address operator => mapping(address account => Delegation)) private _delegations;
    mapping(address operator => mapping(address account => Request)) private _requests;
    mapping(bytes32 slasherCase => bool) private _slashCases;

    /// @param token_ The OPEN token.
    /// @param admin Receives DEFAULT_ADMIN_ROLE and GOVERNANCE_ROLE.
    /// @param treasury_ Receives the rest of every slash.
    /// @param unbondingDelay_ Initial unbonding delay (seconds).
    /// @param minOperatorBond_ Initial minimum operator bond (OPEN).
    /// @param slashBps_ Initial fraction of a pool a slash takes.
    /// @param challengerRewardBps_ Initial part of a slash paid to the beneficiary.
    constructor(
        IERC20 token_,
        address admin,
        address treasury_,
        uint256 unbondingDelay_,
        uint256 minOperatorBond_,
        uint256 slashBps_,
        uint256 challengerRewardBps_
    ) GovernedPausable(admin) {
        if (address(token_) == address(0) || admin == address(0)) revert ZeroAddress();
        token = token_;
        _setTreasury(treasury_);
        _setUnbondingDelay(unbondingDelay_);
        _setMinOperatorBond(minOperatorBond_);
        _setSlashBps(slashBps_);
        _setChallengerRewardBps(challengerRewardBps_);
        _setRoleAdmin(SLASHER_ROLE, GOVERNANCE_ROLE);
    }

    // ----- Stakers -----

    /// @inheritdoc IOperatorStaking
    function stake(address operator, uint256 assets) external returns (uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        uint256 until = _params.pausedUntil;
        if (block.timestamp < until) revert PausedByGuardian(until);
        Pool memory p = _pools[operator];
        if (p.id == 0) revert UnknownOperator(operator);
        if (!p.listed) revert OperatorNotListed(operator);
        // At least `assets` (>= 1): a pool's shares never fall below its OPEN (see StakeMathLib).
        shares = StakeMathLib.toSharesDown(assets, p.assets, p.shares);
        Earning memory e = _earning[operator];
        _setDelegationShares(operator, msg.sender, e.rewardPerShare, int256(shares));
        p.assets = (p.assets + assets).toUint96();
        p.shares = (p.shares + shares).toUint128();
        _pools[operator] = p;
        e.bondedShares += uint128(shares); // cast: <= the pool's shares, a uint128
        _earning[operator] = e;
        emit Staked(operator, msg.sender, assets, shares);
        if (msg.sender == operator) _pushBond(operator, p);
        token.safeTransferFrom(msg.sender, address(this), assets);
    }

    /// @inheritdoc IOperatorStaking
    function requestUnstake(address operator, uint256 assets) external returns (uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        Pool memory p = _pools[operator];
        if (p.id == 0) revert UnknownOperator(operator);
        uint256 held = _delegations[operator][msg.sender].shares;
        uint256 available = StakeMathLib.toAssetsDown(held, p.assets, p.shares);
        if (assets > available) revert UnstakeExceedsStake(operator, msg.sender, assets, available);
        // At most `held`: ceil(floor(held * r) / r) <= held.
        shares = StakeMathLib.toSharesUp(assets, p.assets, p.shares);
        Earning memory e = _earning[operator];
        _setDelegationShares(operator, msg.sender, e.rewardPerShare, -int256(shares));
        // unchecked: shares <= held <= bondedShares.
        unchecked {
            e.bondedShares -= uint128(shares);
        }
        _earning[operator] = e;
        Request storage r = _requests[operator][msg.sender];
        r.shares += uint128(shares); // cast: <= the pool's shares, a uint128
        r.requestedAt = uint40(block.timestamp); // cast: a timestamp
        emit UnstakeRequested(operator, msg.sender, assets, shares, block.timestamp + _params.unbondingDelay);
        if (msg.sender == operator) _pushBond(operator, p);
    }

    /// @inheritdoc IOperatorStaking
    function withdraw(address operator, address to) external returns (uint256 assets) {
        if (to == address(0)) revert ZeroAddress();
        Request memory r = _requests[operator][msg.sender];
        if (r.shares == 0) revert NothingToWithdraw(operator, msg.sender);
        uint256 withdrawableAt = uint256(r.requestedAt) + _params.unbondingDelay;
        if (block.timestamp < withdrawableAt) revert UnbondingNotOver(operator, msg.sender, withdrawableAt);
        Pool memory p = _pools[operator];
        assets = StakeMathLib.toAssetsDown(r.shares, p.assets, p.shares);
        // unchecked: the request's shares are pool shares, and what they are worth rounded down is
        // at most the pool's OPEN.
        unchecked {
            p.assets -= uint96(assets);
            p.shares -= r.shares;
        }
        _pools[operator] = p;
        delete _requests[operator][msg.sender];
        emit Withdrawn(operator, msg.sender, to, assets);
        token.safeTransfer(to, assets);
    }

    /// @inheritdoc IOperatorStaking
    function claimRewards(address operator, address to) external returns (uint256 amount) {
        if (to == address(0)) revert ZeroAddress();
        Delegation memory d = _delegations[operator][msg.sender];
        amount = StakeMathLib.pending(d.shares, d.rewardDebt, _earning[operator].rewardPerShare);
        if (amount == 0) revert NothingToClaim(operator, msg.sender);
        // Casts: amount <= gross < 2^127 (the debt fits int128, the gross a uint96 sum of rewards).
        _delegations[operator][msg.sender].rewardDebt = d.rewardDebt + int128(int256(amount));
        _books.paid += uint128(amount);
        emit RewardsClaimed(operator, msg.sender, to, amount);
        token.safeTransfer(to, amount);
    }

    /// @inheritdoc IOperatorStaking
    function claimCommission(address to) external returns (uint256 amount) {
        if (to == address(0)) revert ZeroAddress();
        Commission storage c = _commissions[msg.sender];
        amount = c.accrued;
        if (amount == 0) revert NothingToClaim(msg.sender, msg.sender);
        c.accrued = 0;
        _books.paid += uint128(amount); // cast: amount < 2^96
        emit CommissionClaimed(msg.sender, to, amount);
        token.safeTransfer(to, amount);
    }

    // ----- Operators -----

    /// @inheritdoc IOperatorStaking
    function setCommission(uint256 bps) external {
        if (_pools[msg.sender].id == 0) revert UnknownOperator(msg.sender);
        if (bps > MAX_COMMISSION_BPS) revert CommissionAboveMax(bps, MAX_COMMISSION_BPS);
        Commission memory c = _commissions[msg.sender];
        if (c.effectiveAt != 0) {
            if (block.timestamp < c.effectiveAt) revert CommissionChangePending(c.effectiveAt);
            c = _applyCommission(msg.sender, c);
        }
        uint256 effectiveAt = block.timestamp + COMMISSION_DELAY;
        c.nextBps = uint16(bps); // cast: <= MAX_COMMISSION_BPS
        c.effectiveAt = uint40(effectiveAt); // cast: a near-future timestamp
        _commissions[msg.sender] = c;
        emit CommissionChangeScheduled(msg.sender, bps, effectiveAt);
    }

    // ----- Rewards -----

    /// @inheritdoc IOperatorStaking
    function addRewards(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        _receive(amount);
        emit RewardsAdded(msg.sender, amount);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IOperatorStaking
    function distribute() external returns (uint256 distributed) {
        address source = _rewardSource;
        if (source != address(0)) {
            // The source is set by governance (the reward distributor): count what arrived.
            uint256 before = token.balanceOf(address(this));
            IStakerRewardSource(source).releaseStakerRewards();
            uint256 pulled = token.balanceOf(address(this)) - before;
            if (pulled != 0) {
                _receive(pulled);
                emit RewardsAdded(source, pulled);
            }
        }
        RewardBooks memory b = _books;
        uint256 amount = b.queued;
        address[] memory listed = _listed;
        uint256 totalBonded;
        uint256[] memory bonded = new uint256[](listed.length);
        for (uint256 i = 0; i < listed.length; ++i) {
            bonded[i] = _bondedAssets(listed[i]);
            totalBonded += bonded[i];
        }
        if (amount != 0 && totalBonded != 0) {
            for (uint256 i = 0; i < listed.length; ++i) {
                distributed += _rewardPool(listed[i], Math.mulDiv(amount, bonded[i], totalBonded));
            }
        }
        // Casts: distributed <= amount = queued, a uint128.
        b.toPools += uint128(distributed);
        b.queued -= uint128(distributed);
        _books = b;
        emit RewardsDistributed(distributed, b.queued, totalBonded);
    }

    // ----- Slashing -----

    /// @inheritdoc IOperatorStaking
    function slash(
        address operator,
        address beneficiary,
        bytes32 caseId
    ) external onlyRole(SLASHER_ROLE) returns (uint256 slashed, uint256 reward) {
        Pool memory p = _pools[operator];
        if (p.id == 0) revert UnknownOperator(operator);
        if (beneficiary == address(0)) revert ZeroAddress();
        bytes32 key = keccak256(abi.encode(msg.sender, caseId));
        if (_slashCases[key]) revert AlreadySlashed(msg.sender, caseId);
        _slashCases[key] = true;
        (slashed, reward) = _takeSlash(operator, p);
        uint256 toTreasury = slashed - reward;
        emit Slashed(operator, msg.sender, caseId, beneficiary, slashed, reward, toTreasury);
        _pushBond(operator, p);
        if (reward != 0) token.safeTransfer(beneficiary, reward);
        if (toTreasury != 0) token.safeTransfer(_treasury, toTreasury);
    }

    // ----- Governance -----

    /// @inheritdoc IOperatorStaking
    function listOperator(address operator) external onlyRole(GOVERNANCE_ROLE) {
        if (operator == address(0)) revert ZeroAddress();
        Pool storage p = _pools[operator];
        if (p.listed) revert OperatorAlreadyListed(operator);
        if (_listed.length >= MAX_LISTED_OPERATORS) revert TooManyOperators(MAX_LISTED_OPERATORS);
        uint24 id = p.id;
        if (id == 0) {
            id = ++_poolCount;
            p.id = id;
            _operators[id] = operator;
        }
        p.listed = true;
        _listed.push(operator);
        emit OperatorListed(operator, id);
        _pushBond(operator, p);
    }

    /// @inheritdoc IOperatorStaking
    function delistOperator(address operator) external onlyRole(GOVERNANCE_ROLE) {
        Pool storage p = _pools[operator];
        if (!p.listed) revert OperatorNotListed(operator);
        p.listed = false;
        uint256 last = _listed.length - 1;
        for (uint256 i = 0; i < last; ++i) {
            if (_listed[i] == operator) {
                _listed[i] = _listed[last];
                break;
            }
        }
        _listed.pop();
        emit OperatorDelisted(operator);
        _pushBond(operator, p);
    }

    /// @inheritdoc IOperatorStaking
    function setUnbondingDelay(uint256 delay) external onlyRole(GOVERNANCE_ROLE) {
        _setUnbondingDelay(delay);
    }

    /// @inheritdoc IOperatorStaking
    function setMinOperatorBond(uint256 bond) external onlyRole(GOVERNANCE_ROLE) {
        _setMinOperatorBond(bond);
        address[] memory listed = _listed;
        for (uint256 i = 0; i < listed.length; ++i) _pushBond(listed[i], _pools[listed[i]]);
    }

    /// @inheritdoc IOperatorStaking
    function setSlashBps(uint256 bps) external onlyRole(GOVERNANCE_ROLE) {
        _setSlashBps(bps);
    }

    /// @inheritdoc IOperatorStaking
    function setChallengerRewardBps(uint256 bps) external onlyRole(GOVERNANCE_ROLE) {
        _setChallengerRewardBps(bps);
    }

    /// @inheritdoc IOperatorStaking
    function setTreasury(address treasury_) external onlyRole(GOVERNANCE_ROLE) {
        _setTreasury(treasury_);
    }

    /// @inheritdoc IOperatorStaking
    function setRewardSource(address source) external onlyRole(GOVERNANCE_ROLE) {
        _rewardSource = source;
        emit RewardSourceChanged(source);
    }

    /// @inheritdoc IOperatorStaking
    function setBondListener(IOperatorBondListener listener) external onlyRole(GOVERNANCE_ROLE) {
        if (address(_bondListener) != address(0)) revert BondListenerAlreadySet(address(_bondListener));
        if (address(listener).code.length == 0) revert BondListenerNotContract(address(listener));
        _bondListener = listener;
        emit BondListenerSet(address(listener));
    }

    /// @inheritdoc IOperatorStaking
    function syncBond(address operator) external {
        Pool memory p = _pools[operator];
        if (p.id == 0) revert UnknownOperator(operator);
        _pushBond(operator, p);
    }

    // ----- Views -----

    /// @inheritdoc IOperatorStaking
    function requireBonded(address operator) external view returns (uint256 poolId) {
        Pool memory p = _pools[operator];
        if (p.id == 0) revert UnknownOperator(operator);
        if (!p.listed) revert OperatorNotListed(operator);
        uint256 bond = _bondOf(operator, p);
        uint256 minimum = _params.minOperatorBond;
        if (bond < minimum) revert BondBelowMinimum(operator, bond, minimum);
        return p.id;
    }

    /// @inheritdoc IOperatorStaking
    function bondOf(address operator) external view returns (uint256) {
        return _bondOf(operator, _pools[operator]);
    }

    /// @inheritdoc IOperatorStaking
    function bondListener() external view returns (IOperatorBondListener) {
        return _bondListener;
    }

    /// @inheritdoc IOperatorStaking
    function pool(address operator) external view returns (PoolView memory v) {
        Pool memory p = _pools[operator];
        Earning memory e = _earning[operator];
        Commission memory c = _commissions[operator];
        if (c.effectiveAt != 0 && block.timestamp >= c.effectiveAt) {
            c.bps = c.nextBps;
            c.effectiveAt = 0;
        }
        uint256 bondedAssets = StakeMathLib.toAssetsDown(e.bondedShares, p.assets, p.shares);
        v = PoolView(
            p.id,
            p.listed,
            p.assets,
            p.shares,
            bondedAssets,
            e.bondedShares,
            p.assets - bondedAssets,
            e.rewardPerShare,
            c.bps,
            c.effectiveAt == 0 ? c.bps : c.nextBps,
            c.effectiveAt,
            c.accrued
        );
    }

    /// @inheritdoc IOperatorStaking
    function operatorOf(uint256 poolId) external view returns (address) {
        return _operators[poolId];
    }

    /// @inheritdoc IOperatorStaking
    function position(address operator, address account) external view returns (Position memory pos) {
        Pool memory p = _pools[operator];
        Delegation memory d = _delegations[operator][account];
        Request memory r = _requests[operator][account];
        pos.shares = d.shares;
        pos.assets = StakeMathLib.toAssetsDown(d.shares, p.assets, p.shares);
        pos.pendingRewards = StakeMathLib.pending(d.shares, d.rewardDebt, _earning[operator].rewardPerShare);
        pos.unbondingShares = r.shares;
        pos.unbondingAssets = StakeMathLib.toAssetsDown(r.shares, p.assets, p.shares);
        pos.withdrawableAt = r.shares == 0 ? 0 : uint256(r.requestedAt) + _params.unbondingDelay;
    }

    /// @inheritdoc IOperatorStaking
    function listedOperators() external view returns (address[] memory) {
        return _listed;
    }

    /// @inheritdoc IOperatorStaking
    function totals() external view returns (Totals memory t) {
        uint256 count = _poolCount;
        for (uint256 id = 1; id <= count; ++id) {
            address operator = _operators[id];
            t.staked += _pools[operator].assets;
        }
        RewardBooks memory b = _books;
        t.rewardsReceived = b.received;
        t.rewardsToPools = b.toPools;
        t.rewardsQueued = b.queued;
        t.rewardsPaid = b.paid;
        t.slashed = _slashed;
    }

    /// @inheritdoc IOperatorStaking
    function unbondingDelay() external view returns (uint256) {
        return _params.unbondingDelay;
    }

    /// @inheritdoc IOperatorStaking
    function minOperatorBond() external view returns (uint256) {
        return _params.minOperatorBond;
    }

    /// @inheritdoc IOperatorStaking
    function slashBps() external view returns (uint256) {
        return _params.slashBps;
    }

    /// @inheritdoc IOperatorStaking
    function challengerRewardBps() external view returns (uint256) {
        return _params.challengerRewardBps;
    }

    /// @inheritdoc IOperatorStaking
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc IOperatorStaking
    function rewardSource() external view returns (address) {
        return _rewardSource;
    }

    // ----- Internal -----

    /// @dev SLASHER_ROLE goes to contracts only: a resolution path, never an account.
    function _grantRole(bytes32 role, address account) internal override returns (bool) {
        if (role == SLASHER_ROLE && account.code.length == 0) revert SlasherNotContract(account);
        return super._grantRole(role, account);
    }

    /// @dev Adds `delta` shares to `account`'s delegation in `operator`'s pool, keeping its pending
    /// rewards (less at most one unit of rounding, against the staker).
    function _setDelegationShares(address operator, address account, uint256 rps, int256 delta) internal {
        Delegation memory d = _delegations[operator][account];
        uint256 pendingRewards = StakeMathLib.pending(d.shares, d.rewardDebt, rps);
        // Casts: delta is bounded by the pool's uint128 shares (minted) or by d.shares (burned).
        uint256 shares = uint256(int256(uint256(d.shares)) + delta);
        d.shares = shares.toUint128();
        d.rewardDebt = SafeCast.toInt128(StakeMathLib.debtFor(shares, rps, pendingRewards));
        _delegations[operator][account] = d;
    }

    /// @dev Tells the bond listener, if any, whether `operator` (pool `p`) is listed and bonded.
    function _pushBond(address operator, Pool memory p) internal {
        IOperatorBondListener listener = _bondListener;
        if (address(listener) == address(0)) return;
        bool bonded = p.listed && _bondOf(operator, p) >= _params.minOperatorBond;
        listener.updateOperatorBond(operator, p.id, bonded);
    }

    /// @dev The operator's own bonded stake in its pool `p`, rounded down.
    function _bondOf(address operator, Pool memory p) internal view returns (uint256) {
        return StakeMathLib.toAssetsDown(_delegations[operator][operator].shares, p.assets, p.shares);
    }

    /// @dev Books `amount` OPEN of incoming rewards in the queue.
    function _receive(uint256 amount) internal {
        RewardBooks memory b = _books;
        b.received += amount.toUint128();
        b.queued += uint128(amount); // cast: queued <= received, a uint128
        _books = b;
    }

    /// @dev What `operator`'s earning shares are worth (the pool's weight in a distribution).
    function _bondedAssets(address operator) internal view returns (uint256) {
        Pool memory p = _pools[operator];
        return StakeMathLib.toAssetsDown(_earning[operator].bondedShares, p.assets, p.shares);
    }

    /// @dev Credits `operator`'s pool with `part` OPEN: commission to the operator, the rest per
    /// earning share; returns what it credited (rounding, or a pool below MIN_REWARD_SHARES, leaves
    /// the rest queued).
    function _rewardPool(address operator, uint256 part) internal returns (uint256) {
        Earning memory e = _earning[operator];
        if (part == 0 || e.bondedShares < MIN_REWARD_SHARES) return 0;
        Commission memory c = _commissions[operator];
        if (c.effectiveAt != 0 && block.timestamp >= c.effectiveAt) c = _applyCommission(operator, c);
        uint256 commission = Math.mulDiv(part, c.bps, StakeMathLib.BPS);
        (uint256 increment, uint256 toStakers) = StakeMathLib.rewardIncrement(
            part - commission,
            e.bondedShares
        );
        e.rewardPerShare = (e.rewardPerShare + increment).toUint128();
        _earning[operator] = e;
        c.accrued = (c.accrued + commission).toUint96();
        _commissions[operator] = c;
        emit PoolRewarded(operator, toStakers, commission);
        return toStakers + commission;
    }

    /// @dev Takes `slashBps()` of `operator`'s pool `p` (rounded up) and books it; returns the cut
    /// and the beneficiary's part.
    function _takeSlash(address operator, Pool memory p) internal returns (uint256 slashed, uint256 reward) {
        Params memory params = _params;
        uint256 ownBond = _bondOf(operator, p);
        slashed = StakeMathLib.slashPart(p.assets, params.slashBps);
        // unchecked: a slash part of at most 100% is at most the pool's OPEN.
        unchecked {
            p.assets -= uint96(slashed);
        }
        _pools[operator] = p;
        _slashed += slashed;
        // The beneficiary's part never exceeds what the operator itself loses: a fault never pays
        // its own author, even through another address.
        reward = Math.min(
            Math.mulDiv(slashed, params.challengerRewardBps, StakeMathLib.BPS),
            StakeMathLib.slashPart(ownBond, params.slashBps)
        );
    }

    /// @dev Puts a scheduled commission whose time has come in force; the caller stores `c`.
    function _applyCommission(address operator, Commission memory c) internal returns (Commission memory) {
        c.bps = c.nextBps;
        c.effectiveAt = 0;
        emit CommissionChanged(operator, c.bps);
        return c;
    }

    function _setUnbondingDelay(uint256 delay) internal {
        if (delay < MIN_UNBONDING_DELAY || delay > MAX_UNBONDING_DELAY)
            revert UnbondingDelayOutOfRange(delay);
        _params.unbondingDelay = uint32(delay); // cast: <= 180 days
        emit UnbondingDelayChanged(delay);
    }

    function _setMinOperatorBond(uint256 bond) internal {
        if (bond == 0 || bond > MAX_MIN_OPERATOR_BOND) revert MinOperatorBondOutOfRange(bond);
        _params.minOperatorBond = uint96(bond); // cast: <= 1e25
        emit MinOperatorBondChanged(bond);
    }

    function _setSlashBps(uint256 bps) internal {
        if (bps == 0 || bps > MAX_SLASH_BPS) revert SlashBpsOutOfRange(bps);
        _params.slashBps = uint16(bps); // cast: <= 5,000
        emit SlashBpsChanged(bps);
    }

    function _setChallengerRewardBps(uint256 bps) internal {
        if (bps > MAX_CHALLENGER_REWARD_BPS) revert ChallengerRewardBpsOutOfRange(bps);
        _params.challengerRewardBps = uint16(bps); // cast: <= 5,000
        emit ChallengerRewardBpsChanged(bps);
    }

    function _setTreasury(address treasury_) internal {
        if (treasury_ == address(0)) revert ZeroAddress();
        _treasury = treasury_;
        emit TreasuryChanged(treasury_);
    }

    function _loadPausedUntil() internal view override returns (uint256) {
        return _params.pausedUntil;
    }

    function _storePausedUntil(uint256 until) internal override {
        _params.pausedUntil = uint40(until); // cast: a timestamp
    }
}

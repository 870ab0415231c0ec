// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IAttributionRegistry} from "../interfaces/IAttributionRegistry.sol";
import {IOperatorBondListener} from "../interfaces/IOperatorBondListener.sol";
import {IOperatorStaking} from "../interfaces/IOperatorStaking.sol";
import {AttributionRevealLib} from "../libraries/AttributionRevealLib.sol";
import {CommitmentLib} from "../libraries/CommitmentLib.sol";
import {EpochLib} from "../libraries/EpochLib.sol";
import {GovernedPausable} from "../governance/GovernedPausable.sol";

/// @title AttributionRegistry
/// @notice Proof-of-Attribution commitments per (model, epoch), their challenge game and the
/// global epoch clock. See {IAttributionRegistry}.
/// @dev Storage layout for cheap commits: the clock's current and previous segments, the
/// challenge window and the pause end share one slot; a commitment takes two slots (root;
/// everything else, packed by `CommitmentLib` and written with one store); an operator's role and
/// bond status share one slot (`OperatorState`), so a commit checks both with one read.
/// Roles: DEFAULT_ADMIN_ROLE grants roles; GOVERNANCE_ROLE sets parameters (all setters are
/// grouped below), resolves challenges and administers GUARDIAN_ROLE; ATTRIBUTION_OPERATOR_ROLE
/// commits; GUARDIAN_ROLE may pause commitments.
contract AttributionRegistry is IAttributionRegistry, GovernedPausable {
    using SafeERC20 for IERC20;
    using EpochLib for EpochLib.Segment;

    /// @dev The clock segments needed for the current epoch, the challenge window and the pause
    /// end, flat so that they share one storage slot (a nested struct would start a new slot).
    /// Lengths and the window are at most 30 days: 24 bits.
    struct HotParams {
        uint40 currentAnchorTime;
        uint32 currentAnchorEpoch;
        uint24 currentLength;
        uint40 previousAnchorTime;
        uint32 previousAnchorEpoch;
        uint24 previousLength;
        uint24 challengeWindow;
        uint40 pausedUntil;
    }

    /// @dev A commitment as stored: its root, and its other fields packed (see `CommitmentLib`).
    struct StoredCommitment {
        bytes32 root;
        uint256 meta;
    }

    /// @dev What a commit needs to know about its sender, in one slot: whether it holds
    /// ATTRIBUTION_OPERATOR_ROLE (kept equal to the role by `_grantRole`/`_revokeRole`), and the
    /// staking contract's last word on its bond (`updateOperatorBond`).
    struct OperatorState {
        bool isOperator;
        bool bonded;
        uint24 poolId;
    }

    /// @dev Bond parameter and bond recipient.
    struct BondParams {
        address treasury;
        uint96 bond;
    }

    /// @notice May commit attributions.
    bytes32 public constant ATTRIBUTION_OPERATOR_ROLE = keccak256("ATTRIBUTION_OPERATOR_ROLE");

    /// @notice Shortest epoch.
    uint256 public constant MIN_EPOCH_LENGTH = 1 hours;
    /// @notice Longest epoch.
    uint256 public constant MAX_EPOCH_LENGTH = 30 days;
    /// @notice Shortest challenge window.
    uint256 public constant MIN_CHALLENGE_WINDOW = 1 hours;
    /// @notice Longest challenge window.
    uint256 public constant MAX_CHALLENGE_WINDOW = 30 days;
    /// @notice Shortest challenge resolution period: longer than a governance proposal takes.
    uint256 public constant MIN_RESOLUTION_PERIOD = 10 days;
    /// @notice Longest challenge resolution period.
    uint256 public constant MAX_RESOLUTION_PERIOD = 60 days;
    /// @notice The resolution period a new registry starts with.
    uint256 public constant DEFAULT_RESOLUTION_PERIOD = 14 days;
    /// @notice Largest challenge bond (10,000,000 OPEN).
    uint256 public constant MAX_CHALLENGE_BOND = 10_000_000 ether;

    /// @notice The OPEN token (bonds).
    IERC20 public immutable token;
    /// @inheritdoc IAttributionRegistry
    IOperatorStaking public immutable staking;

    HotParams private _hot;
    BondParams private _bondParams;
    /// @dev Every clock segment ever, oldest first (for epochs older than the previous segment).
    EpochLib.Segment[] private _segments;
    mapping(uint256 modelId => mapping(uint256 epoch => StoredCommitment)) private _commitments;
    mapping(uint256 modelId => mapping(uint256 epoch => Challenge)) private _challenges;
    /// @dev Read by `challenge` only (not on the commit path).
    uint256 private _resolutionPeriod;
    mapping(address account => OperatorState) private _operatorStates;

    /// @param token_ The OPEN token.
    /// @param staking_ Operators' bonds and slashing (zero: commits need no bond and nothing is slashed).
    /// @param admin Receives DEFAULT_ADMIN_ROLE and GOVERNANCE_ROLE.
    /// @param treasury_ Receives forfeited bonds.
    /// @param epochLength_ Initial epoch length; epoch 0 starts at deployment.
    /// @param challengeWindow_ Initial challenge window.
    /// @param challengeBond_ Initial challenge bond.
    constructor(
        IERC20 token_,
        IOperatorStaking staking_,
        address admin,
        address treasury_,
        uint256 epochLength_,
        uint256 challengeWindow_,
        uint256 challengeBond_
    ) GovernedPausable(admin) {
        if (address(token_) == address(0) || admin == address(0)) {
            revert ZeroAddress();
        }
        token = token_;
        staking = staking_;
        _checkEpochLength(epochLength_);
        EpochLib.Segment memory first = EpochLib.Segment(uint40(block.timestamp), 0, uint24(epochLength_));
        _hot.currentAnchorTime = first.anchorTime;
        _hot.currentLength = first.length;
        _segments.push(first);
        _setChallengeWindow(challengeWindow_);
        _setChallengeBond(challengeBond_);
        _setTreasury(treasury_);
        _setResolutionPeriod(DEFAULT_RESOLUTION_PERIOD);
    }

    /// @inheritdoc IAttributionRegistry
    function commitAttribution(
        uint256 modelId,
        uint256 epoch,
        bytes32 root,
        uint256 totalWeight,
        uint16 methodId,
        string calldata uri
    ) external {
        OperatorState memory op = _operatorStates[msg.sender];
        if (!op.isOperator) revert AccessControlUnauthorizedAccount(msg.sender, ATTRIBUTION_OPERATOR_ROLE);
        HotParams memory hot = _hot;
        if (block.timestamp < hot.pausedUntil) revert PausedByGuardian(hot.pausedUntil);
        uint256 current = _epochAt(hot, block.timestamp);
        if (epoch >= current) revert EpochNotEnded(epoch, current);
        if (root == bytes32(0)) revert ZeroRoot();
        if (totalWeight == 0 || totalWeight > type(uint128).max) revert InvalidTotalWeight(totalWeight);
        StoredCommitment storage c = _commitments[modelId][epoch];
        uint256 meta = c.meta;
        CommitmentStatus status = CommitmentLib.statusOf(meta);
        if (status != CommitmentStatus.None && status != CommitmentStatus.Voided) {
            revert AlreadyCommitted(modelId, epoch, _effectiveStatus(meta));
        }
        uint256 poolId = op.poolId;
        // The copy of the bond status lags only in the operator's favour (IOperatorBondListener):
        // staking decides before a refusal, with its named error.
        if (!op.bonded && address(staking) != address(0)) poolId = staking.requireBonded(msg.sender);
        uint256 finalAt = block.timestamp + hot.challengeWindow;
        c.root = root;
        // Casts: totalWeight < 2^128 checked above; timestamps fit 40 bits until year 36812.
        c.meta = CommitmentLib.pack(
            uint128(totalWeight),
            uint40(block.timestamp),
            uint40(finalAt),
            methodId,
            CommitmentStatus.Pending,
            poolId
        );
        emit AttributionCommitted(modelId, epoch, root, totalWeight, methodId, uri, finalAt);
    }

    /// @inheritdoc IAttributionRegistry
    function challenge(uint256 modelId, uint256 epoch, string calldata reasonUri) external {
        StoredCommitment storage c = _commitments[modelId][epoch];
        uint256 meta = c.meta;
        CommitmentStatus status = _effectiveStatus(meta);
        if (status != CommitmentStatus.Pending) revert NotChallengeable(modelId, epoch, status);
        uint96 bond = _bondParams.bond;
        // finalAt becomes the resolution deadline, after which the commitment stands by default.
        c.meta = CommitmentLib.withStatusAt(
            meta,
            CommitmentStatus.Challenged,
            block.timestamp + _resolutionPeriod
        );
        _challenges[modelId][epoch] = Challenge(msg.sender, bond);
        emit AttributionChallenged(modelId, epoch, msg.sender, bond, reasonUri);
        token.safeTransferFrom(msg.sender, address(this), bond);
    }

    /// @inheritdoc IAttributionRegistry
    function resolveChallenge(
        uint256 modelId,
        uint256 epoch,
        bool commitmentStands
    ) external onlyRole(GOVERNANCE_ROLE) {
        StoredCommitment storage c = _commitments[modelId][epoch];
        uint256 meta = c.meta;
        CommitmentStatus status = CommitmentLib.statusOf(meta);
        if (status != CommitmentStatus.Challenged)
            revert NotChallenged(modelId, epoch, _effectiveStatus(meta));
        uint256 deadline = CommitmentLib.finalAtOf(meta);
        if (block.timestamp >= deadline) revert ResolutionDeadlinePassed(modelId, epoch, deadline);
        Challenge memory ch = _challenges[modelId][epoch];
        delete _challenges[modelId][epoch];
        address recipient;
        if (commitmentStands) {
            c.meta = CommitmentLib.withStatus(meta, CommitmentStatus.Final);
            recipient = _bondParams.treasury;
        } else {
            // The void time replaces finalAt: the re-commit window counts from now (see
            // `commitWindowStart`), so the pool cannot be rolled away before a re-commit.
            c.meta = CommitmentLib.withStatusAt(meta, CommitmentStatus.Voided, block.timestamp);
            recipient = ch.challenger;
        }
        emit ChallengeResolved(modelId, epoch, commitmentStands, recipient, ch.bond);
        token.safeTransfer(recipient, ch.bond);
        if (!commitmentStands) {
            bytes32 caseId = keccak256(abi.encode(modelId, epoch, CommitmentLib.committedAtOf(meta), c.root));
            _slashCommitter(meta, ch.challenger, caseId);
        }
    }

    /// @inheritdoc IAttributionRegistry
    function proveWeightSum(
        uint256 modelId,
        uint256 epoch,
        AttributionLeaf[] calldata leaves
    ) external returns (uint256 weightSum) {
        StoredCommitment storage c = _commitments[modelId][epoch];
        uint256 meta = c.meta;
        CommitmentStatus status = _effectiveStatus(meta);
        if (status != CommitmentStatus.Pending && status != CommitmentStatus.Challenged)
            revert NotProvable(modelId, epoch, status);
        if (leaves.length == 0) revert NoLeaves();
        bytes32 root = c.root;
        bytes32 computed;
        (computed, weightSum) = AttributionRevealLib.rootAndSum(leaves);
        if (computed != root) revert NotWholeTree(modelId, epoch, computed, root);
        uint256 totalWeight = CommitmentLib.totalWeightOf(meta);
        if (weightSum == totalWeight) revert WeightSumMatches(modelId, epoch, weightSum);
        // Voided as a resolution against it would void it: the re-commit window counts from now.
        c.meta = CommitmentLib.withStatusAt(meta, CommitmentStatus.Voided, block.timestamp);
        Challenge memory ch;
        if (status == CommitmentStatus.Challenged) {
            ch = _challenges[modelId][epoch];
            delete _challenges[modelId][epoch];
        }
        emit WeightSumProven(modelId, epoch, msg.sender, weightSum, totalWeight, leaves.length);
        if (ch.challenger != address(0)) {
            // The challenger was right that the commitment is wrong: its bond goes back.
            emit ChallengeResolved(modelId, epoch, false, ch.challenger, ch.bond);
            token.safeTransfer(ch.challenger, ch.bond);
        }
        // The void time is part of the case: a re-commit of the same root in the block of a void
        // has the same commit time, and must still be slashable when proven (in a later block).
        // Five words: never a resolution's four-word case.
        _slashCommitter(
            meta,
            msg.sender,
            keccak256(abi.encode(modelId, epoch, CommitmentLib.committedAtOf(meta), root, block.timestamp))
        );
    }

    /// @inheritdoc IAttributionRegistry
    function closeLapsedChallenge(uint256 modelId, uint256 epoch) external {
        StoredCommitment storage c = _commitments[modelId][epoch];
        uint256 meta = c.meta;
        if (CommitmentLib.statusOf(meta) != CommitmentStatus.Challenged)
            revert NotChallenged(modelId, epoch, _effectiveStatus(meta));
        uint256 deadline = CommitmentLib.finalAtOf(meta);
        if (block.timestamp < deadline) revert ChallengeNotLapsed(modelId, epoch, deadline);
        Challenge memory ch = _challenges[modelId][epoch];
        delete _challenges[modelId][epoch];
        // Final since the deadline already (see `_effectiveStatus`); stored as such from now on.
        c.meta = CommitmentLib.withStatus(meta, CommitmentStatus.Final);
        emit ChallengeResolved(modelId, epoch, true, ch.challenger, ch.bond);
        token.safeTransfer(ch.challenger, ch.bond);
    }

    // ----- Governance parameters (all setters in one place) -----

    /// @inheritdoc IAttributionRegistry
    function setEpochLength(uint256 length) external onlyRole(GOVERNANCE_ROLE) {
        _checkEpochLength(length);
        HotParams memory hot = _hot;
        bool pending = hot.currentAnchorTime > block.timestamp;
        EpochLib.Segment memory inEffect = pending ? _previous(hot) : _current(hot);
        uint256 e = inEffect.epochAt(block.timestamp);
        uint256 boundary = inEffect.startOf(e + 1);
        // Casts: boundary is a near-future timestamp; epochs stay far below 2^32; length checked.
        EpochLib.Segment memory next = EpochLib.Segment(
            uint40(boundary),
            SafeCast.toUint32(e + 1),
            uint24(length)
        );
        if (pending) {
            // A change already waits for this boundary: replace it.
            _segments[_segments.length - 1] = next;
        } else {
            hot.previousAnchorTime = hot.currentAnchorTime;
            hot.previousAnchorEpoch = hot.currentAnchorEpoch;
            hot.previousLength = hot.currentLength;
            _segments.push(next);
        }
        hot.currentAnchorTime = next.anchorTime;
        hot.currentAnchorEpoch = next.anchorEpoch;
        hot.currentLength = next.length;
        _hot = hot;
        emit EpochLengthChanged(length, e + 1, boundary);
    }

    /// @inheritdoc IAttributionRegistry
    function setChallengeWindow(uint256 window) external onlyRole(GOVERNANCE_ROLE) {
        _setChallengeWindow(window);
    }

    /// @inheritdoc IAttributionRegistry
    function setChallengeResolutionPeriod(uint256 period) external onlyRole(GOVERNANCE_ROLE) {
        _setResolutionPeriod(period);
    }

    /// @inheritdoc IAttributionRegistry
    function setChallengeBond(uint256 bond) external onlyRole(GOVERNANCE_ROLE) {
        _setChallengeBond(bond);
    }

    /// @inheritdoc IAttributionRegistry
    function setTreasury(address treasury_) external onlyRole(GOVERNANCE_ROLE) {
        _setTreasury(treasury_);
    }

    // ----- Staking -----

    /// @inheritdoc IOperatorBondListener
    function updateOperatorBond(address operator, uint256 poolId, bool bonded) external {
        if (msg.sender != address(staking)) revert NotStaking(msg.sender, address(staking));
        OperatorState storage s = _operatorStates[operator];
        s.bonded = bonded;
        s.poolId = uint24(poolId); // cast: staking's pool ids are uint24
        emit OperatorBondUpdated(operator, poolId, bonded);
    }

    // ----- Views -----

    /// @inheritdoc IAttributionRegistry
    function commitment(uint256 modelId, uint256 epoch) external view returns (Commitment memory c) {
        StoredCommitment storage s = _commitments[modelId][epoch];
        uint256 meta = s.meta;
        c = CommitmentLib.unpack(s.root, meta);
        c.status = _effectiveStatus(meta);
    }

    /// @inheritdoc IAttributionRegistry
    function commitmentStatus(uint256 modelId, uint256 epoch) external view returns (CommitmentStatus) {
        return _effectiveStatus(_commitments[modelId][epoch].meta);
    }

    /// @inheritdoc IAttributionRegistry
    function finalCommitment(
        uint256 modelId,
        uint256 epoch
    ) external view returns (bytes32 root, uint256 totalWeight) {
        StoredCommitment storage c = _commitments[modelId][epoch];
        uint256 meta = c.meta;
        CommitmentStatus status = _effectiveStatus(meta);
        if (status != CommitmentStatus.Final) revert NotFinal(modelId, epoch, status);
        return (c.root, CommitmentLib.totalWeightOf(meta));
    }

    /// @inheritdoc IAttributionRegistry
    function challengeOf(uint256 modelId, uint256 epoch) external view returns (Challenge memory) {
        return _challenges[modelId][epoch];
    }

    /// @inheritdoc IAttributionRegistry
    function currentEpoch() external view returns (uint256) {
        return _epochAt(_hot, block.timestamp);
    }

    /// @inheritdoc IAttributionRegistry
    function clock() external view returns (uint256 epoch, uint256 start, uint256 end) {
        HotParams memory hot = _hot;
        EpochLib.Segment memory s = hot.currentAnchorTime <= block.timestamp ? _current(hot) : _previous(hot);
        epoch = s.epochAt(block.timestamp);
        start = s.startOf(epoch);
        end = start + s.length;
    }

    /// @inheritdoc IAttributionRegistry
    function epochStart(uint256 epoch) external view returns (uint256) {
        return _segmentOf(epoch).startOf(epoch);
    }

    /// @inheritdoc IAttributionRegistry
    function epochEnd(uint256 epoch) external view returns (uint256) {
        EpochLib.Segment memory s = _segmentOf(epoch);
        return s.startOf(epoch) + s.length;
    }

    /// @inheritdoc IAttributionRegistry
    function epochLength() external view returns (uint256) {
        HotParams memory hot = _hot;
        return hot.currentAnchorTime <= block.timestamp ? hot.currentLength : hot.previousLength;
    }

    /// @inheritdoc IAttributionRegistry
    function commitWindowStart(
        uint256 modelId,
        uint256 epoch
    ) external view returns (CommitmentStatus status, uint256 since) {
        uint256 meta = _commitments[modelId][epoch].meta;
        status = _effectiveStatus(meta);
        EpochLib.Segment memory s = _segmentOf(epoch);
        since = Math.max(s.startOf(epoch) + s.length, _hot.pausedUntil);
        if (status == CommitmentStatus.Voided) since = Math.max(since, CommitmentLib.finalAtOf(meta));
    }

    /// @inheritdoc IAttributionRegistry
    function challengeWindow() external view returns (uint256) {
        return _hot.challengeWindow;
    }

    /// @inheritdoc IAttributionRegistry
    function challengeResolutionPeriod() external view returns (uint256) {
        return _resolutionPeriod;
    }

    /// @inheritdoc IAttributionRegistry
    function challengeBond() external view returns (uint256) {
        return _bondParams.bond;
    }

    /// @inheritdoc IAttributionRegistry
    function treasury() external view returns (address) {
        return _bondParams.treasury;
    }

    /// @inheritdoc IAttributionRegistry
    function operatorState(
        address account
    ) external view returns (bool isOperator, bool bonded, uint256 poolId) {
        OperatorState memory s = _operatorStates[account];
        return (s.isOperator, s.bonded, s.poolId);
    }

    // ----- Internal -----

    function _setChallengeWindow(uint256 window) internal {
        if (window < MIN_CHALLENGE_WINDOW || window > MAX_CHALLENGE_WINDOW)
            revert ChallengeWindowOutOfRange(window);
        _hot.challengeWindow = uint24(window); // cast: <= 30 days < 2^24
        emit ChallengeWindowChanged(window);
    }

    function _setResolutionPeriod(uint256 period) internal {
        if (period < MIN_RESOLUTION_PERIOD || period > MAX_RESOLUTION_PERIOD)
            revert ResolutionPeriodOutOfRange(period);
        _resolutionPeriod = period;
        emit ChallengeResolutionPeriodChanged(period);
    }

    function _setChallengeBond(uint256 bond) internal {
        if (bond == 0 || bond > MAX_CHALLENGE_BOND) revert ChallengeBondOutOfRange(bond);
        _bondParams.bond = uint96(bond); // cast: <= 1e25 < 2^96
        emit ChallengeBondChanged(bond);
    }

    function _setTreasury(address treasury_) internal {
        if (treasury_ == address(0)) revert ZeroAddress();
        _bondParams.treasury = treasury_;
        emit TreasuryChanged(treasury_);
    }

    /// @dev Keeps `OperatorState.isOperator` equal to ATTRIBUTION_OPERATOR_ROLE.
    function _grantRole(bytes32 role, address account) internal override returns (bool granted) {
        granted = super._grantRole(role, account);
        if (granted && role == ATTRIBUTION_OPERATOR_ROLE) _operatorStates[account].isOperator = true;
    }

    /// @dev Keeps `OperatorState.isOperator` equal to ATTRIBUTION_OPERATOR_ROLE.
    function _revokeRole(bytes32 role, address account) internal override returns (bool revoked) {
        revoked = super._revokeRole(role, account);
        if (revoked && role == ATTRIBUTION_OPERATOR_ROLE) _operatorStates[account].isOperator = false;
    }

    function _loadPausedUntil() internal view override returns (uint256) {
        return _hot.pausedUntil;
    }

    function _storePausedUntil(uint256 until) internal override {
        _hot.pausedUntil = uint40(until); // cast: a timestamp
    }

    /// @dev Slashes the pool that made the commitment `meta`, if it was made under staking (a pool
    /// id is recorded only then), rewarding `beneficiary`, as case `caseId` (a commitment is voided
    /// at most once).
    function _slashCommitter(uint256 meta, address beneficiary, bytes32 caseId) internal {
        uint256 poolId = CommitmentLib.poolIdOf(meta);
        if (poolId == 0) return;
        staking.slash(staking.operatorOf(poolId), beneficiary, caseId);
    }

    function _segmentOf(uint256 epoch) internal view returns (EpochLib.Segment memory) {
        HotParams memory hot = _hot;
        if (epoch >= hot.currentAnchorEpoch) return _current(hot);
        if (epoch >= hot.previousAnchorEpoch) return _previous(hot);
        // Older than the last two segments: binary search for the last segment starting <= epoch
        // (segment 0 starts at epoch 0, so one always exists).
        uint256 lo = 0;
        uint256 hi = _segments.length - 1;
        while (lo < hi) {
            uint256 mid = (lo + hi + 1) / 2;
            if (_segments[mid].anchorEpoch <= epoch) lo = mid;
            else hi = mid - 1;
        }
        return _segments[lo];
    }

    function _checkEpochLength(uint256 length) internal pure {
        if (length < MIN_EPOCH_LENGTH || length > MAX_EPOCH_LENGTH) revert EpochLengthOutOfRange(length);
    }

    function _current(HotParams memory hot) internal pure returns (EpochLib.Segment memory) {
        return EpochLib.Segment(hot.currentAnchorTime, hot.currentAnchorEpoch, hot.currentLength);
    }

    function _previous(HotParams memory hot) internal pure returns (EpochLib.Segment memory) {
        return EpochLib.Segment(hot.previousAnchorTime, hot.previousAnchorEpoch, hot.previousLength);
    }

    function _epochAt(HotParams memory hot, uint256 timestamp) internal pure returns (uint256) {
        return (hot.currentAnchorTime <= timestamp ? _current(hot) : _previous(hot)).epochAt(timestamp);
    }

    function _effectiveStatus(uint256 meta) internal view returns (CommitmentStatus) {
        CommitmentStatus status = CommitmentLib.statusOf(meta);
        // A Pending commitment is Final after its window; a Challenged one after its resolution
        // deadline (the default: it stands).
        if (
            (status == CommitmentStatus.Pending || status == CommitmentStatus.Challenged) &&
            block.timestamp >= CommitmentLib.finalAtOf(meta)
        ) {
            return CommitmentStatus.Final;
        }
        return status;
    }
}

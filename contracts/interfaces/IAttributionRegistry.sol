// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGuardianPausable} from "./IGuardianPausable.sol";
import {IOperatorBondListener} from "./IOperatorBondListener.sol";
import {IOperatorStaking} from "./IOperatorStaking.sol";

/// @title Proof-of-Attribution commitments
/// @notice An attribution operator commits, per (model, epoch), the Merkle root of the
/// contribution-level weights it computed off-chain (leaves `LeafLib.attributionLeaf(contributor,
/// weight)`), their total, the method and a URI of the full table. A commitment becomes final
/// `challengeWindow` seconds after it was made unless someone challenges it with an OPEN bond; a
/// challenged commitment is frozen until governance resolves it, for at most
/// `challengeResolutionPeriod` (after which it stands by default). The registry also keeps the
/// global epoch clock that the reward distributor uses.
/// @dev Warning:
/// - Epochs are global and time based: `epoch = (t - anchorTime) / epochLength + anchorEpoch`.
///   A new epoch length takes effect at the next epoch boundary, so the start and end of the
///   current and every past epoch never change.
/// - Only an epoch that has ended can be committed, only for a model the model registry knows.
/// - Resolution: `resolveChallenge(model, epoch, true)` means the commitment stands (the challenge
///   failed): the bond goes to the treasury and the commitment is Final at once.
///   `resolveChallenge(model, epoch, false)` means the commitment is rejected (the challenge
///   succeeded): the bond is returned to the challenger, the commitment is Voided and the operator
///   may commit that (model, epoch) again.
/// - Resolution deadline: governance must resolve a challenge within `challengeResolutionPeriod`
///   (fixed for that challenge when it is made; between MIN and MAX_RESOLUTION_PERIOD, longer than
///   any governance proposal can take). After it the commitment stands by default: it is Final at
///   the deadline, `resolveChallenge` refuses (`ResolutionDeadlinePassed`) and anyone may return
///   the bond to the challenger with `closeLapsedChallenge`. Neither side can use the default:
///   a challenger cannot void a commitment by waiting (the default keeps it) nor freeze a pair
///   for longer than one period (a commitment is challengeable once, while Pending, and the
///   default makes it Final), and loses nothing but the time its bond was held; an operator cannot
///   make a challenge lapse (only governance resolves, against a deadline set when the challenge
///   was made), so a wrong commitment stands only if governance leaves it unanswered.
/// - Operators at stake: with a staking contract (`staking()`, fixed at deployment), a commit also
///   requires the operator's own bond in its staking pool to be at least the staking contract's
///   minimum (`BondBelowMinimum`, `OperatorNotListed`, `UnknownOperator`, raised by
///   `IOperatorStaking.requireBonded`), and the commitment records the operator's pool. The registry
///   keeps a copy of each operator's bond status beside its role, pushed by the staking contract
///   (`IOperatorBondListener`), so that a commit by a bonded operator makes no call into staking. Voiding such a commitment
///   slashes that pool (`IOperatorStaking.slash`, this registry holding SLASHER_ROLE there): the
///   challenger gets its bond back plus the slash's reward; the rest of the slash goes to the
///   staking contract's treasury. When a commitment stands the bond goes to the treasury as before.
/// - Proven on-chain, no vote (`proveWeightSum`): while a commitment is Pending or Challenged,
///   anyone may reveal every leaf of its tree; when the leaves rebuild the committed root and their
///   weights do not add up to the committed total, the commitment is Voided exactly as a
///   resolution against it would void it (re-commit window from now), an open challenge's bond goes
///   back to its challenger, and the operator's pool is slashed with the prover as beneficiary.
///   The reveal costs calldata and hashing linear in the number of leaves: a tree is provable only
///   while its reveal fits in one transaction (see SECURITY.md for the measured bound).
/// - Final is terminal: a final commitment never changes.
/// - Emergency pause (`IGuardianPausable`, GUARDIAN_ROLE, administered by GOVERNANCE_ROLE): stops
///   `commitAttribution` for at most `MAX_PAUSE_DURATION`; challenges and their resolution go on.
interface IAttributionRegistry is IGuardianPausable, IOperatorBondListener {
    /// @notice Lifecycle of the commitment of one (model, epoch).
    enum CommitmentStatus {
        None,
        Pending,
        Challenged,
        Final,
        Voided
    }

    /// @notice A commitment as stored (the status returned by views is the effective one).
    /// @param root Merkle root of the (contributor, weight) leaves.
    /// @param totalWeight The sum of all leaf weights (> 0).
    /// @param committedAt When it was committed.
    /// @param finalAt When it becomes final if not challenged before; for a Challenged commitment,
    /// its resolution deadline (Final by default from then); for a Voided one, when it was voided
    /// (the operator's re-commit window starts then).
    /// @param methodId The attribution method (e.g. 1 = n-gram span matching).
    /// @param operatorPoolId The committing operator's staking pool (0: committed before staking was set).
    // A view type (storage packs it by hand, see CommitmentLib); its fields fill 64 bytes exactly.
    // solhint-disable-next-line gas-struct-packing
    struct Commitment {
        bytes32 root;
        uint128 totalWeight;
        uint40 committedAt;
        uint40 finalAt;
        uint16 methodId;
        CommitmentStatus status;
        uint24 operatorPoolId;
    }

    /// @notice One leaf of an attribution tree, as revealed to `proveWeightSum`.
    /// @param contributor The contributor credited.
    struct AttributionLeaf {
        address contributor;
        uint256 weight;
    }

    /// @notice An open challenge.
    /// @param challenger Who posted the bond.
    /// @param bond The bond in OPEN.
    struct Challenge {
        address challenger;
        uint96 bond;
    }

    /// @notice The epoch has not ended yet.
    /// @param epoch The epoch asked for.
    error EpochNotEnded(uint256 epoch, uint256 currentEpoch);
    /// @notice The (model, epoch) already has a commitment that is not Voided.
    error AlreadyCommitted(uint256 modelId, uint256 epoch, CommitmentStatus status);
    /// @notice The root is zero.
    error ZeroRoot();
    /// @notice The total weight is zero or does not fit in 128 bits.
    /// @param totalWeight The value given.
    error InvalidTotalWeight(uint256 totalWeight);
    /// @notice The commitment cannot be challenged (not Pending, or its window closed).
    /// @param status Its effective status.
    error NotChallengeable(uint256 modelId, uint256 epoch, CommitmentStatus status);
    /// @notice The commitment is not Challenged.
    /// @param status Its effective status.
    error NotChallenged(uint256 modelId, uint256 epoch, CommitmentStatus status);
    /// @notice The challenge's resolution deadline has passed: the commitment stands by default.
    error ResolutionDeadlinePassed(uint256 modelId, uint256 epoch, uint256 deadline);
    /// @notice The challenge's resolution deadline has not passed: only governance may resolve it.
    error ChallengeNotLapsed(uint256 modelId, uint256 epoch, uint256 deadline);
    /// @notice A challenge resolution period outside [MIN_RESOLUTION_PERIOD, MAX_RESOLUTION_PERIOD].
    /// @param period The value given.
    error ResolutionPeriodOutOfRange(uint256 period);
    /// @notice The commitment is not Final.
    /// @param status Its effective status.
    error NotFinal(uint256 modelId, uint256 epoch, CommitmentStatus status);
    /// @notice An epoch length outside [MIN_EPOCH_LENGTH, MAX_EPOCH_LENGTH].
    /// @param length The value given.
    error EpochLengthOutOfRange(uint256 length);
    /// @notice A challenge window outside [MIN_CHALLENGE_WINDOW, MAX_CHALLENGE_WINDOW].
    /// @param window The value given.
    error ChallengeWindowOutOfRange(uint256 window);
    /// @notice A challenge bond of zero or above MAX_CHALLENGE_BOND.
    /// @param bond The value given.
    error ChallengeBondOutOfRange(uint256 bond);
    /// @notice A zero address where one is required.
    error ZeroAddress();
    /// @notice The commitment is neither Pending nor Challenged (None: nothing committed; Final or
    /// Voided: too late): its weights can no longer be proven wrong.
    /// @param status Its effective status.
    error NotProvable(uint256 modelId, uint256 epoch, CommitmentStatus status);
    /// @notice A weight-sum proof with no leaves.
    error NoLeaves();
    /// @notice The revealed leaves, hashed in multiproof order with no other node, do not rebuild the
    /// committed root: they are not the whole tree, or not in its order.
    /// @param computedRoot The root the leaves rebuild.
    /// @param root The committed root.
    error NotWholeTree(uint256 modelId, uint256 epoch, bytes32 computedRoot, bytes32 root);
    /// @notice The revealed leaves are the whole tree and their weights add up to the committed
    /// total: nothing is proven.
    /// @param weightSum The sum of the leaf weights (= the committed total).
    error WeightSumMatches(uint256 modelId, uint256 epoch, uint256 weightSum);
    /// @notice Only the staking contract may update an operator's bond status.
    /// @param caller Who called.
    /// @param staking The staking contract (zero: none).
    error NotStaking(address caller, address staking);

    /// @notice An attribution was committed.
    /// @param root The Merkle root.
    /// @param methodId The attribution method.
    /// @param uri Where the full table is published.
    /// @param finalAt When it becomes final unless challenged.
    event AttributionCommitted(
        uint256 indexed modelId,
        uint256 indexed epoch,
        bytes32 root,
        uint256 totalWeight,
        uint16 methodId,
        string uri,
        uint256 finalAt
    );
    /// @notice A commitment was challenged and is frozen until governance resolves it, at most
    /// until its deadline (`commitment(...).finalAt`, the challenge time + `challengeResolutionPeriod`).
    /// @param challenger Who challenged.
    /// @param bond The bond posted.
    /// @param reasonUri Where the reason is published.
    event AttributionChallenged(
        uint256 indexed modelId,
        uint256 indexed epoch,
        address indexed challenger,
        uint256 bond,
        string reasonUri
    );
    /// @notice Governance resolved a challenge.
    /// @param commitmentStands True: the commitment is Final, the bond went to the treasury (or,
    /// for a challenge closed after its deadline by `closeLapsedChallenge`, back to the
    /// challenger); false: the commitment is Voided, the bond went back to the challenger.
    /// @param bondRecipient Who received the bond.
    event ChallengeResolved(
        uint256 indexed modelId,
        uint256 indexed epoch,
        bool commitmentStands,
        address bondRecipient,
        uint256 bond
    );
    /// @notice Someone proved that a commitment's leaf weights do not add up to its total; the
    /// commitment is Voided (its operator may commit the pair again from now). Followed, when the
    /// commitment was challenged, by `ChallengeResolved(modelId, epoch, false, challenger, bond)`
    /// and, under staking, by the staking contract's `Slashed` with the prover as beneficiary.
    /// @param prover Who proved it (the slash's beneficiary).
    /// @param weightSum The sum of the revealed weights (each weight counted at most 2^128).
    /// @param totalWeight The committed total.
    /// @param leafCount How many leaves the tree has.
    event WeightSumProven(
        uint256 indexed modelId,
        uint256 indexed epoch,
        address indexed prover,
        uint256 weightSum,
        uint256 totalWeight,
        uint256 leafCount
    );
    /// @notice The epoch length changes at the next epoch boundary.
    /// @param length The new length in seconds.
    /// @param fromEpoch The first epoch with the new length.
    /// @param fromTime When that epoch starts.
    event EpochLengthChanged(uint256 length, uint256 fromEpoch, uint256 fromTime);
    /// @notice The challenge window changed (applies to commitments made from now on).
    /// @param window The new window in seconds.
    event ChallengeWindowChanged(uint256 window);
    /// @notice The challenge resolution period changed (applies to challenges made from now on).
    /// @param period The new period in seconds.
    event ChallengeResolutionPeriodChanged(uint256 period);
    /// @notice The challenge bond changed (applies to challenges made from now on).
    /// @param bond The new bond in OPEN.
    event ChallengeBondChanged(uint256 bond);
    /// @notice The treasury address that receives forfeited bonds changed.
    /// @param treasury The new address.
    event TreasuryChanged(address treasury);
    /// @notice The staking contract updated the registry's copy of an operator's bond status.
    /// @param poolId Its staking pool.
    /// @param bonded Whether it is listed with at least the minimum bond.
    event OperatorBondUpdated(address indexed operator, uint256 poolId, bool bonded);

    /// @notice Commits the attribution of an ended epoch of a model (ATTRIBUTION_OPERATOR_ROLE).
    /// @dev Reverts `EpochNotEnded`, `AlreadyCommitted` (unless the previous one was Voided),
    /// `ZeroRoot`, `InvalidTotalWeight`, `PausedByGuardian`, and with staking set the staking
    /// contract's `UnknownOperator`, `OperatorNotListed`, `BondBelowMinimum`. The model registry is not consulted (it
    /// would cost a cold call per commit): a pair of a model id that does not exist has no pool,
    /// since a model is paid only from its registration epoch on, and every committed epoch has
    /// already ended.
    /// @param epoch The ended epoch.
    /// @param root Merkle root of `LeafLib.attributionLeaf(contributor, weight)` leaves.
    /// @param totalWeight The sum of the leaf weights (0 < totalWeight < 2^128).
    /// @param methodId The attribution method.
    /// @param uri Where the full table is published (event only).
    function commitAttribution(
        uint256 modelId,
        uint256 epoch,
        bytes32 root,
        uint256 totalWeight,
        uint16 methodId,
        string calldata uri
    ) external;

    /// @notice Challenges a Pending commitment inside its window; pulls `challengeBond()` OPEN from
    /// the caller (approve first). The commitment is frozen until governance resolves it, at most
    /// `challengeResolutionPeriod` (then it stands by default: see the resolution deadline above).
    /// @dev Reverts `NotChallengeable`.
    /// @param reasonUri Where the reason is published (event only).
    function challenge(uint256 modelId, uint256 epoch, string calldata reasonUri) external;

    /// @notice Resolves a challenge before its deadline (GOVERNANCE_ROLE). See the contract notes
    /// for the meaning; voiding a commitment made under staking slashes the committing operator's
    /// pool.
    /// @dev Reverts `NotChallenged`, `ResolutionDeadlinePassed`.
    /// @param commitmentStands True to keep the commitment (bond to the treasury), false to void it
    /// (bond back to the challenger).
    function resolveChallenge(uint256 modelId, uint256 epoch, bool commitmentStands) external;

    /// @notice Applies the default to a challenge whose resolution deadline passed unresolved: the
    /// commitment stays Final and the bond goes back to the challenger (permissionless; emits
    /// `ChallengeResolved(modelId, epoch, true, challenger, bond)`).
    /// @dev Reverts `NotChallenged`, `ChallengeNotLapsed`.
    function closeLapsedChallenge(uint256 modelId, uint256 epoch) external;

    /// @notice Proves, by revealing every leaf of a Pending or Challenged commitment's tree, that its
    /// leaf weights do not add up to its committed total (permissionless). The commitment is Voided
    /// (as `resolveChallenge(..., false)` would void it), an open challenge's bond goes back to its
    /// challenger, and a commitment made under staking slashes its operator's pool with the caller
    /// as beneficiary.
    /// @dev `leaves` must be the tree's leaves in OpenZeppelin multiproof order for all of them
    /// (ascending leaf hash: tree index 2n-2 down to n-1), which is the order in which
    /// `MerkleProof.processMultiProof` with an empty proof and all-true flags rebuilds the root;
    /// with no outside node the leaves are then the whole tree. A weight of 2^128 or more (above any
    /// total) is counted as 2^128 so that the sum cannot overflow. Reverts `NotProvable`, `NoLeaves`,
    /// `NotWholeTree`, `WeightSumMatches`.
    /// @param leaves Every leaf of the tree, in multiproof order.
    /// @return weightSum The sum of the weights (each counted at most 2^128).
    function proveWeightSum(
        uint256 modelId,
        uint256 epoch,
        AttributionLeaf[] calldata leaves
    ) external returns (uint256 weightSum);

    /// @notice Sets the epoch length from the next epoch boundary on (GOVERNANCE_ROLE).
    /// @dev Reverts `EpochLengthOutOfRange`. A second change in the same epoch replaces the first.
    /// @param length The new length in seconds.
    function setEpochLength(uint256 length) external;

    /// @notice Sets the challenge window of future commitments (GOVERNANCE_ROLE).
    /// @dev Reverts `ChallengeWindowOutOfRange`.
    /// @param window Seconds.
    function setChallengeWindow(uint256 window) external;

    /// @notice Sets the resolution period of future challenges (GOVERNANCE_ROLE).
    /// @dev Reverts `ResolutionPeriodOutOfRange`.
    /// @param period Seconds.
    function setChallengeResolutionPeriod(uint256 period) external;

    /// @notice Sets the bond of future challenges (GOVERNANCE_ROLE).
    /// @dev Reverts `ChallengeBondOutOfRange`.
    /// @param bond OPEN, smallest unit.
    function setChallengeBond(uint256 bond) external;

    /// @notice Sets where forfeited bonds go (GOVERNANCE_ROLE).
    /// @dev Reverts `ZeroAddress`.
    /// @param treasury The new address.
    function setTreasury(address treasury) external;

    /// @notice The commitment of a (model, epoch), with its effective status (a Pending one whose
    /// window has passed reads Final).
    /// @return The commitment.
    function commitment(uint256 modelId, uint256 epoch) external view returns (Commitment memory);

    /// @notice The effective status of a (model, epoch).
    /// @return The status.
    function commitmentStatus(uint256 modelId, uint256 epoch) external view returns (CommitmentStatus);

    /// @notice Root and total weight of a Final commitment.
    /// @dev Reverts `NotFinal`.
    /// @return root The Merkle root.
    /// @return totalWeight The total weight.
    function finalCommitment(
        uint256 modelId,
        uint256 epoch
    ) external view returns (bytes32 root, uint256 totalWeight);

    /// @notice The open challenge of a (model, epoch), zero if none.
    /// @return The challenge.
    function challengeOf(uint256 modelId, uint256 epoch) external view returns (Challenge memory);

    /// @notice The current epoch.
    /// @return The epoch number.
    function currentEpoch() external view returns (uint256);

    /// @notice The current epoch and its bounds in one call.
    /// @return epoch The current epoch.
    /// @return start Its start.
    /// @return end Its end (exclusive; the next epoch's start).
    function clock() external view returns (uint256 epoch, uint256 start, uint256 end);

    /// @notice When an epoch starts (for a future epoch, under the schedule known now).
    /// @return Unix seconds.
    function epochStart(uint256 epoch) external view returns (uint256);

    /// @notice When an epoch ends (exclusive).
    /// @return Unix seconds.
    function epochEnd(uint256 epoch) external view returns (uint256);

    /// @notice The epoch length in effect now.
    /// @return Seconds.
    function epochLength() external view returns (uint256);

    /// @notice The status of a (model, epoch) and the time from which its operator's commit window
    /// counts: the end of the epoch, or later when the window was taken from the operator, namely
    /// when the commitment was voided (its re-commit window starts at the void) or when commits
    /// were paused (the window starts again when the pause ends). The reward distributor lets
    /// anyone roll an uncommitted pool forward only `rollForwardDelay` after this time.
    /// @param epoch The epoch (its end may lie in the future).
    /// @return status The effective status.
    /// @return since max(epoch end, void time if Voided, end of the last pause), unix seconds.
    function commitWindowStart(
        uint256 modelId,
        uint256 epoch
    ) external view returns (CommitmentStatus status, uint256 since);

    /// @notice The challenge window of new commitments.
    /// @return Seconds.
    function challengeWindow() external view returns (uint256);

    /// @notice How long governance has to resolve a new challenge.
    /// @return Seconds.
    function challengeResolutionPeriod() external view returns (uint256);

    /// @notice The bond of new challenges.
    /// @return OPEN, smallest unit.
    function challengeBond() external view returns (uint256);

    /// @notice Where forfeited bonds go.
    /// @return The treasury address.
    function treasury() external view returns (address);

    /// @notice The staking contract, fixed at deployment (zero: commits need no bond).
    /// @return The staking contract.
    function staking() external view returns (IOperatorStaking);

    /// @notice What a commit checks about `account`: ATTRIBUTION_OPERATOR_ROLE, and the registry's
    /// copy of its bond status (a `false` copy is checked with staking before a commit is refused).
    /// @return isOperator Whether it holds ATTRIBUTION_OPERATOR_ROLE.
    /// @return bonded The copy of its bond status.
    /// @return poolId Its staking pool (0: none known).
    function operatorState(
        address account
    ) external view returns (bool isOperator, bool bonded, uint256 poolId);
}

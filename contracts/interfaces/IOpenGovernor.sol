// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title OpenLedger governor
/// @notice OPEN holders govern the protocol: an OpenZeppelin Governor counts OPEN votes (ERC20Votes on
/// a timestamp clock) and a TimelockController executes what passed. The timelock, not the governor,
/// holds every governance role of the protocol contracts (fee splits within their caps, epoch length,
/// challenge window and bond, operator roles, challenge resolution, treasury withdrawals, unpausing).
///
/// Defaults set at deployment (all time units are SECONDS, because the token clock is
/// "mode=timestamp"):
/// - voting delay 1 day (86,400 s): time between a proposal and the vote snapshot/start;
/// - voting period 5 days (432,000 s);
/// - proposal threshold 100,000 OPEN (0.01% of the 1e9 supply) of votes at `clock() - 1`;
/// - quorum 4% of the total supply at the snapshot (For + Abstain votes count);
/// - late-quorum extension 1 day: a vote that first reaches quorum moves the deadline to at least
///   one day after it, so a last-minute whale cannot pass a proposal without a reaction window;
/// - timelock minimum delay 2 days (a TimelockController parameter, see `OpenTimelock`).
/// A proposal therefore takes at least 1 + 5 + 2 = 8 days from proposal to execution.
///
/// Every setting is bounded in the contracts, at deployment and on every change (named errors
/// below; the timelock's delay in `IOpenTimelock`), so no proposal can shorten the path below
/// 8 days or set a value that locks governance out:
/// - voting delay 1 to 7 days; voting period 5 to 28 days; late-quorum extension 1 to 7 days;
/// - proposal threshold 1 to 10,000,000 OPEN (1% of the default cap: above that, few could ever
///   propose again, including the proposal that lowers it);
/// - quorum 1% to 50% of the supply at the snapshot;
/// - timelock minimum delay 2 to 30 days, and the timelock cannot be replaced (`updateTimelock`
///   reverts `TimelockNotReplaceable`: a new timelock could have any delay).
/// `settingsBounds` returns the bounds.
/// @dev The implementation is OpenZeppelin's Governor (see its `IGovernor` for propose / castVote /
/// queue / execute / cancel); this interface adds only what is specific to the suite.
/// Warning:
/// - Every setter of the governor itself (`setVotingDelay`, `setVotingPeriod`, `setProposalThreshold`,
///   `updateQuorumNumerator`, `setLateQuorumVoteExtension`, `updateTimelock`, `relay`) is
///   `onlyGovernance`: it runs only as part of an executed proposal, through the timelock.
/// - The timelock is the executor: roles and funds must be held by the timelock. Anything sent to the
///   governor itself can only leave through a proposal calling `relay`.
/// - The timelock's proposer and canceller must be this governor only, its executor role open
///   (address(0)), and its admin renounced at deployment; otherwise the holder of those roles can
///   bypass the vote.
/// - Failures use OpenZeppelin 5's errors: `GovernorInsufficientProposerVotes` (below threshold),
///   `GovernorUnexpectedProposalState` (e.g. queueing a defeated proposal), `GovernorOnlyExecutor`
///   (a setter called directly), `GovernorAlreadyCastVote`, `GovernorInvalidVotingPeriod`,
///   `GovernorInvalidQuorumFraction`, and the timelock's `TimelockUnexpectedOperationState`.
interface IOpenGovernor {
    /// @notice A voting delay outside its bounds.
    /// @param votingDelay The delay given, in seconds.
    /// @param min The lowest allowed.
    /// @param max The highest allowed.
    error VotingDelayOutOfBounds(uint256 votingDelay, uint256 min, uint256 max);

    /// @notice A voting period outside its bounds.
    /// @param votingPeriod The period given, in seconds.
    /// @param min The lowest allowed.
    /// @param max The highest allowed.
    error VotingPeriodOutOfBounds(uint256 votingPeriod, uint256 min, uint256 max);

    /// @notice A late-quorum vote extension outside its bounds.
    /// @param extension The extension given, in seconds.
    /// @param min The lowest allowed.
    /// @param max The highest allowed.
    error LateQuorumVoteExtensionOutOfBounds(uint256 extension, uint256 min, uint256 max);

    /// @notice A proposal threshold outside its bounds.
    /// @param proposalThreshold The threshold given, OPEN smallest unit.
    /// @param min The lowest allowed.
    /// @param max The highest allowed.
    error ProposalThresholdOutOfBounds(uint256 proposalThreshold, uint256 min, uint256 max);

    /// @notice A quorum numerator outside its bounds.
    /// @param quorumNumerator The numerator given, percent.
    /// @param min The lowest allowed.
    /// @param max The highest allowed.
    error QuorumNumeratorOutOfBounds(uint256 quorumNumerator, uint256 min, uint256 max);

    /// @notice `updateTimelock` was executed: the timelock is fixed at deployment, since a new one
    /// could carry any delay (a new governance set-up is a new deployment).
    /// @param newTimelock The timelock proposed.
    error TimelockNotReplaceable(address newTimelock);

    /// @notice The governance parameters, as set at deployment and read back by `settings`.
    /// @param votingDelay Seconds between a proposal and the start of its vote (default 1 day).
    /// @param votingPeriod Seconds the vote lasts (default 5 days; must be > 0).
    /// @param lateQuorumVoteExtension Minimum seconds of voting left after quorum is first reached
    /// (default 1 day).
    /// @param proposalThreshold Votes needed to propose, OPEN smallest unit (default 100,000e18).
    /// @param quorumNumerator Quorum in percent of the supply at the snapshot (default 4; <= 100).
    struct Settings {
        uint48 votingDelay;
        uint32 votingPeriod;
        uint48 lateQuorumVoteExtension;
        uint256 proposalThreshold;
        uint256 quorumNumerator;
    }

    /// @notice All governance parameters in effect now, in one call.
    /// @return The current settings.
    function settings() external view returns (Settings memory);

    /// @notice The bounds every setting must stay within, at deployment and on every change.
    /// @return min The lowest value of each setting.
    /// @return max The highest value of each setting.
    function settingsBounds() external pure returns (Settings memory min, Settings memory max);
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorPreventLateQuorum} from "@openzeppelin/contracts/governance/extensions/GovernorPreventLateQuorum.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IOpenGovernor} from "../interfaces/IOpenGovernor.sol";

/// @title OpenGovernor
/// @notice OpenZeppelin 5 Governor over OPEN votes, executing through a TimelockController.
/// Besides `settings` and `settingsBounds`, the suite adds only bounds: every setting is checked
/// against them at deployment and on every change, and the timelock cannot be replaced.
contract OpenGovernor is
    IOpenGovernor,
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl,
    GovernorPreventLateQuorum
{
    /// @dev Bounds of each setting (see `IOpenGovernor`): the lowest keep the 8-day path from
    /// proposal to execution (1 + 5 + the timelock's 2), the highest keep governance usable.
    uint48 private constant MIN_VOTING_DELAY = 1 days;
    uint48 private constant MAX_VOTING_DELAY = 7 days;
    uint32 private constant MIN_VOTING_PERIOD = 5 days;
    uint32 private constant MAX_VOTING_PERIOD = 28 days;
    uint48 private constant MIN_LATE_QUORUM_EXTENSION = 1 days;
    uint48 private constant MAX_LATE_QUORUM_EXTENSION = 7 days;
    uint256 private constant MIN_PROPOSAL_THRESHOLD = 1e18;
    uint256 private constant MAX_PROPOSAL_THRESHOLD = 10_000_000e18;
    uint256 private constant MIN_QUORUM_NUMERATOR = 1;
    uint256 private constant MAX_QUORUM_NUMERATOR = 50;

    /// @param token_ The OPEN token (ERC20Votes, timestamp clock).
    /// @param timelock_ The timelock that executes proposals and holds the protocol's roles.
    /// @param settings_ Governance parameters in seconds (see `IOpenGovernor` for the defaults);
    /// each must be within `settingsBounds`.
    constructor(
        IVotes token_,
        TimelockController timelock_,
        Settings memory settings_
    )
        Governor("OpenLedger Governor")
        GovernorSettings(settings_.votingDelay, settings_.votingPeriod, settings_.proposalThreshold)
        GovernorVotes(token_)
        GovernorVotesQuorumFraction(settings_.quorumNumerator)
        GovernorTimelockControl(timelock_)
        GovernorPreventLateQuorum(settings_.lateQuorumVoteExtension)
    {}

    /// @inheritdoc IOpenGovernor
    function settings() external view returns (Settings memory) {
        // GovernorSettings stores the delay as uint48 and the period as uint32: the casts are exact.
        return
            Settings({
                votingDelay: uint48(votingDelay()),
                votingPeriod: uint32(votingPeriod()),
                lateQuorumVoteExtension: lateQuorumVoteExtension(),
                proposalThreshold: proposalThreshold(),
                quorumNumerator: quorumNumerator()
            });
    }

    /// @inheritdoc IOpenGovernor
    function settingsBounds() external pure returns (Settings memory min, Settings memory max) {
        min = Settings({
            votingDelay: MIN_VOTING_DELAY,
            votingPeriod: MIN_VOTING_PERIOD,
            lateQuorumVoteExtension: MIN_LATE_QUORUM_EXTENSION,
            proposalThreshold: MIN_PROPOSAL_THRESHOLD,
            quorumNumerator: MIN_QUORUM_NUMERATOR
        });
        max = Settings({
            votingDelay: MAX_VOTING_DELAY,
            votingPeriod: MAX_VOTING_PERIOD,
            lateQuorumVoteExtension: MAX_LATE_QUORUM_EXTENSION,
            proposalThreshold: MAX_PROPOSAL_THRESHOLD,
            quorumNumerator: MAX_QUORUM_NUMERATOR
        });
    }

    /// @notice Always reverts `TimelockNotReplaceable` (after the `onlyGovernance` check): the
    /// timelock and its bounded delay are fixed at deployment.
    /// @param newTimelock The timelock proposed.
    function updateTimelock(TimelockController newTimelock) public override onlyGovernance {
        revert TimelockNotReplaceable(address(newTimelock));
    }

    // The overrides below resolve multiple inheritance and defer to OpenZeppelin; the setters'
    // internal halves check the bounds first (they run at deployment too).

    /// @inheritdoc IGovernor
    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    /// @inheritdoc IGovernor
    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    /// @inheritdoc IGovernor
    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    /// @inheritdoc IGovernor
    function quorum(
        uint256 timepoint
    ) public view override(Governor, GovernorVotesQuorumFraction) returns (uint256) {
        return super.quorum(timepoint);
    }

    /// @inheritdoc IGovernor
    function state(
        uint256 proposalId
    ) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(proposalId);
    }

    /// @inheritdoc IGovernor
    function proposalNeedsQueuing(
        uint256 proposalId
    ) public view override(Governor, GovernorTimelockControl) returns (bool) {
        return super.proposalNeedsQueuing(proposalId);
    }

    /// @inheritdoc IGovernor
    function proposalDeadline(
        uint256 proposalId
    ) public view override(Governor, GovernorPreventLateQuorum) returns (uint256) {
        return super.proposalDeadline(proposalId);
    }

    function _setVotingDelay(uint48 newVotingDelay) internal override {
        if (newVotingDelay < MIN_VOTING_DELAY || newVotingDelay > MAX_VOTING_DELAY) {
            revert VotingDelayOutOfBounds(newVotingDelay, MIN_VOTING_DELAY, MAX_VOTING_DELAY);
        }
        super._setVotingDelay(newVotingDelay);
    }

    function _setVotingPeriod(uint32 newVotingPeriod) internal override {
        if (newVotingPeriod < MIN_VOTING_PERIOD || newVotingPeriod > MAX_VOTING_PERIOD) {
            revert VotingPeriodOutOfBounds(newVotingPeriod, MIN_VOTING_PERIOD, MAX_VOTING_PERIOD);
        }
        super._setVotingPeriod(newVotingPeriod);
    }

    function _setProposalThreshold(uint256 newProposalThreshold) internal override {
        if (newProposalThreshold < MIN_PROPOSAL_THRESHOLD || newProposalThreshold > MAX_PROPOSAL_THRESHOLD) {
            revert ProposalThresholdOutOfBounds(
                newProposalThreshold,
                MIN_PROPOSAL_THRESHOLD,
                MAX_PROPOSAL_THRESHOLD
            );
        }
        super._setProposalThreshold(newProposalThreshold);
    }

    function _updateQuorumNumerator(uint256 newQuorumNumerator) internal override {
        if (newQuorumNumerator < MIN_QUORUM_NUMERATOR || newQuorumNumerator > MAX_QUORUM_NUMERATOR) {
            revert QuorumNumeratorOutOfBounds(newQuorumNumerator, MIN_QUORUM_NUMERATOR, MAX_QUORUM_NUMERATOR);
        }
        super._updateQuorumNumerator(newQuorumNumerator);
    }

    function _setLateQuorumVoteExtension(uint48 newVoteExtension) internal override {
        if (newVoteExtension < MIN_LATE_QUORUM_EXTENSION || newVoteExtension > MAX_LATE_QUORUM_EXTENSION) {
            revert LateQuorumVoteExtensionOutOfBounds(
                newVoteExtension,
                MIN_LATE_QUORUM_EXTENSION,
                MAX_LATE_QUORUM_EXTENSION
            );
        }
        super._setLateQuorumVoteExtension(newVoteExtension);
    }

    function _tallyUpdated(uint256 proposalId) internal override(Governor, GovernorPreventLateQuorum) {
        super._tallyUpdated(proposalId);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}

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
/// Everything but `settings` is OpenZeppelin code; the overrides below only resolve inheritance.
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
    /// @param token_ The OPEN token (ERC20Votes, timestamp clock).
    /// @param timelock_ The timelock that executes proposals and holds the protocol's roles.
    /// @param settings_ Governance parameters in seconds (see `IOpenGovernor` for the defaults).
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

    // The overrides below only resolve multiple inheritance; each defers to OpenZeppelin.

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

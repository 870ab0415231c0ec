// SPDX-License-Identifier: MIT
// Entry-point fuzz tests of the governor and the timelock, on the suite of EntryPointBase.sol.
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {OpenGovernor} from "../../contracts/governance/OpenGovernor.sol";
import {OpenTimelock} from "../../contracts/governance/OpenTimelock.sol";
import {IOpenGovernor} from "../../contracts/interfaces/IOpenGovernor.sol";
import {EntryPointBase} from "./EntryPointBase.sol";

/// @notice OpenGovernor and OpenTimelock: propose, the four castVote forms, the two signed ones,
/// queue, execute, cancel, the governance-only setters and relay, and the timelock's scheduling,
/// execution, cancellation, delay and role functions. Governance of the distributor is handed to
/// the timelock; bob holds enough delegated OPEN to propose and to reach quorum alone.
/// A fixture proposal (bob's: a new roll-forward delay) is Pending at the start of every test.
contract EntryPointsGovernanceTest is EntryPointBase {
    uint256 internal constant DELAY = 2 days;
    uint256 internal constant NEW_ROLL_DELAY = 3 days;
    bytes32 private constant EIP712_TYPE_HASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );

    OpenTimelock internal timelock;
    OpenGovernor internal governor;

    address[] internal targets;
    uint256[] internal values;
    bytes[] internal calldatas;
    bytes32 internal descriptionHash = keccak256("Set the roll-forward delay to 3 days");
    uint256 internal proposalId;

    function setUp() public override {
        super.setUp();
        address[] memory none = new address[](0);
        timelock = new OpenTimelock(DELAY, none, none, address(this));
        governor = new OpenGovernor(
            token,
            timelock,
            IOpenGovernor.Settings({
                votingDelay: 1 days,
                votingPeriod: 5 days,
                lateQuorumVoteExtension: 1 days,
                proposalThreshold: 100_000 ether,
                quorumNumerator: 4
            })
        );
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(governor));
        timelock.grantRole(timelock.CANCELLER_ROLE(), address(governor));
        timelock.grantRole(timelock.EXECUTOR_ROLE(), address(0));
        timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), address(this));
        vm.startPrank(admin);
        distributor.grantRole(distributor.GOVERNANCE_ROLE(), address(timelock));
        distributor.renounceRole(distributor.GOVERNANCE_ROLE(), admin);
        vm.stopPrank();

        token.transfer(bob, 50_000_000 ether); // 5% of the supply: above the 4% quorum
        vm.prank(bob);
        token.delegate(bob);
        vm.warp(block.timestamp + 1); // the delegation is in the past for the proposal snapshot

        targets.push(address(distributor));
        values.push(0);
        calldatas.push(abi.encodeCall(distributor.setRollForwardDelay, (NEW_ROLL_DELAY)));
        vm.prank(bob);
        proposalId = governor.propose(targets, values, calldatas, "Set the roll-forward delay to 3 days");
    }

    function _digest() internal view override returns (bytes32) {
        return keccak256(abi.encode(_governanceDigest(), _tokenDigest(), _distributorDigest()));
    }

    function _governanceDigest() internal view returns (bytes32 d) {
        (uint256 against, uint256 forVotes, uint256 abstain) = governor.proposalVotes(proposalId);
        d = keccak256(
            abi.encode(
                governor.state(proposalId),
                against,
                forVotes,
                abstain,
                governor.proposalDeadline(proposalId),
                governor.proposalEta(proposalId),
                governor.settings(),
                governor.timelock(),
                timelock.getMinDelay(),
                distributor.rollForwardDelay()
            )
        );
        bytes32[4] memory roles = [
            timelock.DEFAULT_ADMIN_ROLE(),
            timelock.PROPOSER_ROLE(),
            timelock.EXECUTOR_ROLE(),
            timelock.CANCELLER_ROLE()
        ];
        for (uint256 i = 0; i < actors.length; ++i) {
            address a = actors[i];
            d = keccak256(abi.encode(d, governor.hasVoted(proposalId, a), governor.nonces(a)));
            for (uint256 r = 0; r < roles.length; ++r) {
                d = keccak256(abi.encode(d, timelock.hasRole(roles[r], a)));
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /// @dev Moves time to a random point of the fixture proposal's life (pending, active, ended,
    /// queued, executable, expired).
    function _warpInLife(uint256 seed) internal {
        vm.warp(block.timestamp + (seed % (12 days)));
    }

    /// @dev The fixture proposal, or (one time in four) an id that does not exist.
    function _proposal(uint256 seed) internal view returns (uint256) {
        return seed % 4 == 3 ? uint256(keccak256(abi.encode("no proposal", seed))) : proposalId;
    }

    function _allowProposalState() internal {
        _allow(IGovernor.GovernorUnexpectedProposalState.selector);
        _allow(IGovernor.GovernorNonexistentProposal.selector);
    }

    function _voteSignature(
        uint256 key,
        uint256 id,
        uint8 support,
        address voter,
        uint256 nonce
    ) internal view returns (bytes memory) {
        bytes32 domain = keccak256(
            abi.encode(
                EIP712_TYPE_HASH,
                keccak256("OpenLedger Governor"),
                keccak256("1"),
                block.chainid,
                address(governor)
            )
        );
        bytes32 structHash = keccak256(abi.encode(governor.BALLOT_TYPEHASH(), id, support, voter, nonce));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(
            key,
            keccak256(abi.encodePacked("\x19\x01", domain, structHash))
        );
        return abi.encodePacked(r, s, v);
    }

    // ------------------------------------------------------------------ governor

    function testFuzz_propose(uint256 callerSeed, uint256 delaySeed, uint8 shape) public {
        address caller = callerSeed % 3 == 0 ? bob : _caller(callerSeed);
        address[] memory t = new address[](1);
        uint256[] memory v = new uint256[](shape % 4 == 1 ? 2 : 1);
        bytes[] memory c = new bytes[](shape % 4 == 2 ? 0 : 1);
        t[0] = address(distributor);
        if (c.length == 1) c[0] = abi.encodeCall(distributor.setRollForwardDelay, (delaySeed));
        // shape 3: the fixture proposal again (same id).
        string memory description =
            shape % 4 == 3
                ? "Set the roll-forward delay to 3 days"
                : string.concat("proposal ", vm.toString(delaySeed));
        if (shape % 4 == 3) c[0] = calldatas[0];
        _allow(IGovernor.GovernorInsufficientProposerVotes.selector);
        _allow(IGovernor.GovernorInvalidProposalLength.selector);
        _allow(IGovernor.GovernorUnexpectedProposalState.selector);
        (bool ok, bytes memory ret) = _call(
            "propose",
            caller,
            address(governor),
            abi.encodeCall(governor.propose, (t, v, c, description))
        );
        if (ok) {
            uint256 id = abi.decode(ret, (uint256));
            assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Pending), "propose: state");
            assertEq(governor.proposalProposer(id), caller, "propose: proposer");
        }
    }

    function testFuzz_castVote(
        uint256 callerSeed,
        uint256 idSeed,
        uint8 support,
        uint256 warpSeed,
        uint8 form
    ) public {
        _warpInLife(warpSeed);
        address caller = callerSeed % 3 == 0 ? bob : _caller(callerSeed);
        uint256 id = _proposal(idSeed);
        support = support % 4; // 3 is not a vote type
        bytes memory data;
        if (form % 3 == 0) data = abi.encodeCall(governor.castVote, (id, support));
        else if (form % 3 == 1) data = abi.encodeCall(governor.castVoteWithReason, (id, support, "why"));
        else data = abi.encodeCall(governor.castVoteWithReasonAndParams, (id, support, "why", ""));
        _allowProposalState();
        _allow(IGovernor.GovernorAlreadyCastVote.selector);
        _allow(IGovernor.GovernorInvalidVoteType.selector);
        (bool ok, ) = _call("castVote", caller, address(governor), data);
        if (ok) assertTrue(governor.hasVoted(id, caller), "castVote: not recorded");
    }

    function testFuzz_castVoteBySig(
        uint256 callerSeed,
        uint256 idSeed,
        uint8 support,
        uint256 warpSeed,
        uint256 nonceSeed,
        bool extended
    ) public {
        _warpInLife(warpSeed);
        uint256 id = _proposal(idSeed);
        support = support % 4;
        uint256 nonce = governor.nonces(bob) + (nonceSeed % 4 == 0 ? 1 : 0); // a wrong nonce one time in four
        // A signature by bob, claimed for bob or (one time in four) for alice.
        address voter = nonceSeed % 8 == 1 ? alice : bob;
        bytes memory signature = _voteSignature(bobKey, id, support, voter, nonce);
        bytes memory data =
            extended
                ? abi.encodeCall(
                    governor.castVoteWithReasonAndParamsBySig,
                    (id, support, voter, "", "", signature)
                )
                : abi.encodeCall(governor.castVoteBySig, (id, support, voter, signature));
        _allowProposalState();
        _allow(IGovernor.GovernorInvalidSignature.selector);
        _allow(IGovernor.GovernorAlreadyCastVote.selector);
        _allow(IGovernor.GovernorInvalidVoteType.selector);
        (bool ok, ) = _call("castVoteBySig", _caller(callerSeed), address(governor), data);
        if (ok) {
            assertFalse(extended, "castVoteWithReasonAndParamsBySig: accepted a BALLOT signature");
            assertEq(voter, bob, "castVoteBySig: counted for someone who did not sign");
            assertTrue(governor.hasVoted(id, bob), "castVoteBySig: not recorded");
        }
    }

    function testFuzz_queueAndExecute(
        uint256 callerSeed,
        uint8 support,
        uint256 warpSeed,
        uint256 waitSeed
    ) public {
        vm.warp(block.timestamp + 1 days + 1);
        vm.prank(bob);
        governor.castVote(proposalId, support % 3);
        _warpInLife(warpSeed);
        address caller = _caller(callerSeed);
        _allowProposalState();
        (bool queued, ) = _call(
            "queue",
            caller,
            address(governor),
            abi.encodeCall(governor.queue, (targets, values, calldatas, descriptionHash))
        );
        if (queued) {
            assertEq(support % 3, 1, "queue: a proposal bob did not support");
            assertEq(
                uint8(governor.state(proposalId)),
                uint8(IGovernor.ProposalState.Queued),
                "queue: state"
            );
        }
        vm.warp(block.timestamp + (waitSeed % (2 * DELAY)));
        _allowProposalState();
        _allow(TimelockController.TimelockUnexpectedOperationState.selector);
        (bool executed, ) = _call(
            "execute",
            caller,
            address(governor),
            abi.encodeCall(governor.execute, (targets, values, calldatas, descriptionHash))
        );
        if (executed) {
            assertTrue(queued, "execute: not queued");
            assertEq(distributor.rollForwardDelay(), NEW_ROLL_DELAY, "execute: the call did not happen");
        }
    }

    function testFuzz_cancel(uint256 callerSeed, uint256 warpSeed, bool wrongHash) public {
        _warpInLife(warpSeed);
        address caller = callerSeed % 3 == 0 ? bob : _caller(callerSeed);
        bytes32 hash = wrongHash ? keccak256("another description") : descriptionHash;
        _allow(IGovernor.GovernorUnableToCancel.selector);
        _allow(IGovernor.GovernorNonexistentProposal.selector);
        (bool ok, ) = _call(
            "cancel",
            caller,
            address(governor),
            abi.encodeCall(governor.cancel, (targets, values, calldatas, hash))
        );
        if (ok) {
            assertEq(caller, bob, "cancel: not the proposer");
            assertEq(
                uint8(governor.state(proposalId)),
                uint8(IGovernor.ProposalState.Canceled),
                "cancel: state"
            );
        }
    }

    function testFuzz_onlyGovernance(uint256 callerSeed, uint8 which, uint256 value) public {
        address caller = _caller(callerSeed);
        bytes memory data;
        uint256 k = which % 7;
        if (k == 0) data = abi.encodeCall(governor.setVotingDelay, (uint48(value)));
        else if (k == 1) data = abi.encodeCall(governor.setVotingPeriod, (uint32(value)));
        else if (k == 2) data = abi.encodeCall(governor.setProposalThreshold, (value));
        else if (k == 3) data = abi.encodeCall(governor.updateQuorumNumerator, (value % 101));
        else if (k == 4) data = abi.encodeCall(governor.setLateQuorumVoteExtension, (uint48(value)));
        else if (k == 5)
            data = abi.encodeCall(governor.updateTimelock, (TimelockController(payable(caller))));
        else
            data = abi.encodeCall(
                governor.relay,
                (address(token), 0, abi.encodeCall(token.transfer, (caller, 1)))
            );
        _allow(IGovernor.GovernorOnlyExecutor.selector);
        (bool ok, ) = _call("governor setter", caller, address(governor), data);
        assertFalse(ok, "a governance-only function ran for a caller that is not the timelock");
    }

    // ------------------------------------------------------------------ timelock

    function testFuzz_timelock(uint256 callerSeed, uint8 which, uint256 delaySeed, bytes32 salt) public {
        address caller = callerSeed % 4 == 0 ? address(governor) : _caller(callerSeed);
        bytes memory call = abi.encodeCall(distributor.setRollForwardDelay, (NEW_ROLL_DELAY));
        uint256 delay = delaySeed % (2 * DELAY);
        bytes32 role = [
            timelock.DEFAULT_ADMIN_ROLE(),
            timelock.PROPOSER_ROLE(),
            timelock.EXECUTOR_ROLE(),
            timelock.CANCELLER_ROLE()
        ][delaySeed % 4];
        bytes memory data;
        uint256 k = which % 6;
        if (k == 0)
            data = abi.encodeCall(
                timelock.schedule,
                (address(distributor), 0, call, bytes32(0), salt, delay)
            );
        else if (k == 1)
            data = abi.encodeCall(timelock.execute, (address(distributor), 0, call, bytes32(0), salt));
        else if (k == 2) data = abi.encodeCall(timelock.cancel, (salt));
        else if (k == 3) data = abi.encodeCall(timelock.updateDelay, (delay));
        else if (k == 4) data = abi.encodeCall(timelock.grantRole, (role, _account(delaySeed >> 8)));
        else data = abi.encodeCall(timelock.revokeRole, (role, _account(delaySeed >> 8)));
        _allowAccessControl();
        _allow(TimelockController.TimelockUnexpectedOperationState.selector);
        _allow(TimelockController.TimelockInsufficientDelay.selector);
        _allow(TimelockController.TimelockUnauthorizedCaller.selector);
        (bool ok, ) = _call("timelock", caller, address(timelock), data);
        if (ok) {
            assertEq(k, 0, "timelock: only scheduling by the governor may succeed here");
            assertEq(caller, address(governor), "timelock: scheduled by a non-proposer");
            bytes32 opId = timelock.hashOperation(address(distributor), 0, call, bytes32(0), salt);
            assertTrue(timelock.isOperationPending(opId), "schedule: not pending");
        }
    }

    function testFuzz_timelockRenounceRole(uint256 callerSeed, uint256 roleSeed, bool confirmSelf) public {
        address caller = callerSeed % 4 == 0 ? address(governor) : _caller(callerSeed);
        bytes32 role = roleSeed % 2 == 0 ? timelock.PROPOSER_ROLE() : timelock.CANCELLER_ROLE();
        address confirmation = confirmSelf ? caller : _account(roleSeed >> 1);
        _allowAccessControl();
        _allow(IAccessControl.AccessControlBadConfirmation.selector);
        (bool ok, ) = _call(
            "timelock renounceRole",
            caller,
            address(timelock),
            abi.encodeCall(IAccessControl.renounceRole, (role, confirmation))
        );
        if (ok) assertFalse(timelock.hasRole(role, caller), "renounceRole: role still held");
    }
}

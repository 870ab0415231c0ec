import { expect } from "chai";
import type { OpenGovernor } from "../../typechain-types/index.js";
import {
  ALLOCATIONS,
  GOVERNANCE_DEFAULTS,
  INITIAL_FEE,
  INITIAL_SUPPLY,
  ProposalState,
  TIMELOCK_MIN_DELAY,
  Vote,
  buildProposal,
  deployGovernanceFixture,
  stateBitmap,
  timelockOperationId,
  type GovernanceFixture,
  type Proposal,
} from "../fixtures/governance.js";
import { ethers, networkHelpers } from "../fixtures/token.js";

const { loadFixture, time, mine } = networkHelpers;

/** TimelockController.OperationState.Ready as a bitmap. */
const TIMELOCK_READY = 1n << 2n;

type Signer = GovernanceFixture["alice"];

/** Proposes `setFee(fee)` on the target from `proposer`. */
async function proposeFee(f: GovernanceFixture, fee: bigint, proposer: Signer = f.alice): Promise<Proposal> {
  const data = f.target.interface.encodeFunctionData("setFee", [fee]);
  const p = await buildProposal(f.governor, f.target, [data], `Set the fee to ${fee} bps`);
  await f.governor.connect(proposer).propose(p.targets, p.values, p.calldatas, p.description);
  return p;
}

/** Moves time into the voting period of a proposal. */
async function startVoting(governor: OpenGovernor, p: Proposal): Promise<void> {
  await time.increaseTo((await governor.proposalSnapshot(p.id)) + 1n);
}

/** Moves time past the (possibly extended) deadline of a proposal. */
async function endVoting(governor: OpenGovernor, p: Proposal): Promise<void> {
  await time.increaseTo((await governor.proposalDeadline(p.id)) + 1n);
}

/** Proposes, votes For with alice (alone above quorum), and queues. */
async function proposeAndQueue(
  f: GovernanceFixture,
  calldatas: string[],
  description: string,
): Promise<Proposal> {
  const p = await buildProposal(f.governor, f.target, calldatas, description);
  await f.governor.connect(f.alice).propose(p.targets, p.values, p.calldatas, p.description);
  await startVoting(f.governor, p);
  await f.governor.connect(f.alice).castVote(p.id, Vote.For);
  await endVoting(f.governor, p);
  await f.governor.queue(p.targets, p.values, p.calldatas, p.descriptionHash);
  return p;
}

describe("OpenGovernor", function () {
  describe("deployment", function () {
    it("should hold the documented defaults, in seconds on the token's timestamp clock", async function () {
      const { governor, token, timelock } = await loadFixture(deployGovernanceFixture);
      const s = await governor.settings();
      expect(s.votingDelay).to.equal(GOVERNANCE_DEFAULTS.votingDelay);
      expect(s.votingPeriod).to.equal(GOVERNANCE_DEFAULTS.votingPeriod);
      expect(s.lateQuorumVoteExtension).to.equal(GOVERNANCE_DEFAULTS.lateQuorumVoteExtension);
      expect(s.proposalThreshold).to.equal(GOVERNANCE_DEFAULTS.proposalThreshold);
      expect(s.quorumNumerator).to.equal(GOVERNANCE_DEFAULTS.quorumNumerator);
      expect(await governor.votingDelay()).to.equal(86_400n);
      expect(await governor.votingPeriod()).to.equal(432_000n);
      expect(await governor.proposalThreshold()).to.equal(INITIAL_SUPPLY / 10_000n);
      expect(await governor.name()).to.equal("OpenLedger Governor");
      expect(await governor.CLOCK_MODE()).to.equal("mode=timestamp");
      expect(await governor.clock()).to.equal(BigInt(await time.latest()));
      expect(await governor.COUNTING_MODE()).to.equal("support=bravo&quorum=for,abstain");
      expect(await governor.token()).to.equal(await token.getAddress());
      expect(await governor.timelock()).to.equal(await timelock.getAddress());
      expect(await timelock.getMinDelay()).to.equal(TIMELOCK_MIN_DELAY);
      const past = BigInt(await time.latest()) - 1n;
      expect(await governor.quorum(past)).to.equal((INITIAL_SUPPLY * 4n) / 100n);
    });

    it("should wire the timelock: governor proposes and cancels, anyone executes, the timelock administers itself", async function () {
      const { governor, timelock } = await loadFixture(deployGovernanceFixture);
      const gov = await governor.getAddress();
      expect(await timelock.hasRole(await timelock.PROPOSER_ROLE(), gov)).to.equal(true);
      expect(await timelock.hasRole(await timelock.CANCELLER_ROLE(), gov)).to.equal(true);
      expect(await timelock.hasRole(await timelock.EXECUTOR_ROLE(), ethers.ZeroAddress)).to.equal(true);
      expect(
        await timelock.hasRole(await timelock.DEFAULT_ADMIN_ROLE(), await timelock.getAddress()),
      ).to.equal(true);
      expect(await timelock.hasRole(await timelock.DEFAULT_ADMIN_ROLE(), gov)).to.equal(false);
    });

    it("should leave the deployer with no role, no tokens and no votes", async function () {
      const { token, timelock, target, deployer } = await loadFixture(deployGovernanceFixture);
      const timelockRoles = [
        await timelock.DEFAULT_ADMIN_ROLE(),
        await timelock.PROPOSER_ROLE(),
        await timelock.EXECUTOR_ROLE(),
        await timelock.CANCELLER_ROLE(),
      ];
      for (const role of timelockRoles) {
        expect(await timelock.hasRole(role, deployer.address), `timelock role ${role}`).to.equal(false);
      }
      const targetRoles = [
        await target.DEFAULT_ADMIN_ROLE(),
        await target.GOVERNANCE_ROLE(),
        await target.GUARDIAN_ROLE(),
      ];
      for (const role of targetRoles) {
        expect(await target.hasRole(role, deployer.address), `target role ${role}`).to.equal(false);
      }
      expect(await token.balanceOf(deployer.address)).to.equal(0n);
      expect(await token.getVotes(deployer.address)).to.equal(0n);
    });

    it("should give the target's governance roles to the timelock only (not to the governor)", async function () {
      const { timelock, governor, target, guardian } = await loadFixture(deployGovernanceFixture);
      const role = await target.GOVERNANCE_ROLE();
      expect(await target.hasRole(role, await timelock.getAddress())).to.equal(true);
      expect(await target.hasRole(role, await governor.getAddress())).to.equal(false);
      expect(await target.hasRole(role, guardian.address)).to.equal(false);
      expect(await target.getRoleAdmin(await target.GUARDIAN_ROLE())).to.equal(role);
    });
  });

  describe("full proposal: propose, vote, queue, wait, execute", function () {
    it("should change the fee only after the vote and the timelock delay", async function () {
      const f = await loadFixture(deployGovernanceFixture);
      const { governor, timelock, target, alice, bob, carol, stranger } = f;
      const data = target.interface.encodeFunctionData("setFee", [500n]);
      const p = await buildProposal(governor, target, [data], "Set the fee to 500 bps");

      // propose
      await expect(governor.connect(alice).propose(p.targets, p.values, p.calldatas, p.description)).to.emit(
        governor,
        "ProposalCreated",
      );
      const proposedAt = BigInt(await time.latest());
      expect(await governor.proposalProposer(p.id)).to.equal(alice.address);
      expect(await governor.proposalSnapshot(p.id)).to.equal(proposedAt + GOVERNANCE_DEFAULTS.votingDelay);
      expect(await governor.proposalDeadline(p.id)).to.equal(
        proposedAt + GOVERNANCE_DEFAULTS.votingDelay + GOVERNANCE_DEFAULTS.votingPeriod,
      );
      expect(await governor.state(p.id)).to.equal(ProposalState.Pending);
      await expect(governor.connect(alice).castVote(p.id, Vote.For))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(p.id, ProposalState.Pending, stateBitmap(ProposalState.Active));

      // vote
      await startVoting(governor, p);
      expect(await governor.state(p.id)).to.equal(ProposalState.Active);
      await expect(governor.connect(alice).castVote(p.id, Vote.For))
        .to.emit(governor, "VoteCast")
        .withArgs(alice.address, p.id, Vote.For, ALLOCATIONS.alice, "");
      await governor.connect(bob).castVote(p.id, Vote.Against);
      await governor.connect(carol).castVote(p.id, Vote.Abstain);
      await expect(governor.connect(alice).castVote(p.id, Vote.Against))
        .to.be.revertedWithCustomError(governor, "GovernorAlreadyCastVote")
        .withArgs(alice.address);
      const [against, forVotes, abstain] = await governor.proposalVotes(p.id);
      expect([against, forVotes, abstain]).to.deep.equal([
        ALLOCATIONS.bob,
        ALLOCATIONS.alice,
        ALLOCATIONS.carol,
      ]);
      await expect(governor.queue(p.targets, p.values, p.calldatas, p.descriptionHash))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(p.id, ProposalState.Active, stateBitmap(ProposalState.Succeeded));

      // queue
      await endVoting(governor, p);
      expect(await governor.state(p.id)).to.equal(ProposalState.Succeeded);
      expect(await governor.proposalNeedsQueuing(p.id)).to.equal(true);
      const queueTx = governor.connect(stranger).queue(p.targets, p.values, p.calldatas, p.descriptionHash);
      await expect(queueTx).to.emit(governor, "ProposalQueued");
      const eta = BigInt(await time.latest()) + TIMELOCK_MIN_DELAY;
      expect(await governor.proposalEta(p.id)).to.equal(eta);
      expect(await governor.state(p.id)).to.equal(ProposalState.Queued);
      const opId = await timelockOperationId(governor, timelock, p);
      expect(await governor.getProposalId(p.targets, p.values, p.calldatas, p.descriptionHash)).to.equal(
        p.id,
      );
      expect(await timelock.isOperationPending(opId)).to.equal(true);
      expect(await timelock.getTimestamp(opId)).to.equal(eta);

      // wait: executing early fails in the timelock
      await expect(governor.connect(stranger).execute(p.targets, p.values, p.calldatas, p.descriptionHash))
        .to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState")
        .withArgs(opId, TIMELOCK_READY);
      expect(await target.fee()).to.equal(INITIAL_FEE);
      await time.increaseTo(eta);

      // execute (anyone may)
      await expect(governor.connect(stranger).execute(p.targets, p.values, p.calldatas, p.descriptionHash))
        .to.emit(target, "FeeChanged")
        .withArgs(INITIAL_FEE, 500n)
        .and.to.emit(governor, "ProposalExecuted")
        .withArgs(p.id);
      expect(await target.fee()).to.equal(500n);
      expect(await governor.state(p.id)).to.equal(ProposalState.Executed);
      expect(await timelock.isOperationDone(opId)).to.equal(true);
      await expect(governor.execute(p.targets, p.values, p.calldatas, p.descriptionHash))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(p.id, ProposalState.Executed, stateBitmap(ProposalState.Queued));
    });

    it("should revert when the passed fee is above the cap (the bound holds even for governance)", async function () {
      const f = await loadFixture(deployGovernanceFixture);
      const cap = await f.target.MAX_FEE_BPS();
      const data = f.target.interface.encodeFunctionData("setFee", [cap + 1n]);
      const p = await proposeAndQueue(f, [data], "Set the fee above the cap");
      await time.increase(TIMELOCK_MIN_DELAY);
      await expect(f.governor.execute(p.targets, p.values, p.calldatas, p.descriptionHash))
        .to.be.revertedWithCustomError(f.target, "FeeAboveCap")
        .withArgs(cap + 1n, cap);
      expect(await f.target.fee()).to.equal(INITIAL_FEE);
      expect(await f.governor.state(p.id)).to.equal(ProposalState.Queued);
    });
  });

  describe("nothing else changes the fee", function () {
    it("should revert when the deployer, the guardian, a holder or a stranger calls setFee", async function () {
      const { target, deployer, guardian, alice, stranger } = await loadFixture(deployGovernanceFixture);
      const role = await target.GOVERNANCE_ROLE();
      for (const account of [deployer, guardian, alice, stranger]) {
        await expect(target.connect(account).setFee(1n))
          .to.be.revertedWithCustomError(target, "AccessControlUnauthorizedAccount")
          .withArgs(account.address, role);
      }
      expect(await target.fee()).to.equal(INITIAL_FEE);
    });

    it("should revert when anyone schedules on the timelock directly, or executes an operation never scheduled", async function () {
      const { timelock, target, deployer, stranger } = await loadFixture(deployGovernanceFixture);
      const address = await target.getAddress();
      const data = target.interface.encodeFunctionData("setFee", [1n]);
      const salt = ethers.ZeroHash;
      for (const account of [deployer, stranger]) {
        await expect(
          timelock.connect(account).schedule(address, 0n, data, ethers.ZeroHash, salt, TIMELOCK_MIN_DELAY),
        )
          .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
          .withArgs(account.address, await timelock.PROPOSER_ROLE());
        const opId = await timelock.hashOperation(address, 0n, data, ethers.ZeroHash, salt);
        await expect(timelock.connect(account).execute(address, 0n, data, ethers.ZeroHash, salt))
          .to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState")
          .withArgs(opId, TIMELOCK_READY);
      }
      expect(await target.fee()).to.equal(INITIAL_FEE);
    });

    it("should revert when the deployer tries to take back a timelock role or shorten the delay", async function () {
      const { timelock, deployer } = await loadFixture(deployGovernanceFixture);
      await expect(timelock.grantRole(await timelock.PROPOSER_ROLE(), deployer.address))
        .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
        .withArgs(deployer.address, await timelock.DEFAULT_ADMIN_ROLE());
      await expect(timelock.updateDelay(0n))
        .to.be.revertedWithCustomError(timelock, "TimelockUnauthorizedCaller")
        .withArgs(deployer.address);
    });

    it("should revert when anyone calls the governor's own setters or relay directly", async function () {
      const { governor, target, stranger } = await loadFixture(deployGovernanceFixture);
      const data = target.interface.encodeFunctionData("setFee", [1n]);
      await expect(governor.connect(stranger).relay(await target.getAddress(), 0n, data))
        .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
        .withArgs(stranger.address);
      await expect(governor.connect(stranger).setVotingPeriod(1n))
        .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
        .withArgs(stranger.address);
      await expect(governor.connect(stranger).updateQuorumNumerator(1n))
        .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
        .withArgs(stranger.address);
    });
  });

  describe("failed proposals", function () {
    it("should revert when queueing a proposal that missed quorum (For votes below 4%)", async function () {
      const f = await loadFixture(deployGovernanceFixture);
      const p = await proposeFee(f, 500n);
      await startVoting(f.governor, p);
      await f.governor.connect(f.erin).castVote(p.id, Vote.For); // 3%: a unanimous vote, but below 4%
      await f.governor.connect(f.carol).castVote(p.id, Vote.Abstain); // abstentions count towards quorum
      await endVoting(f.governor, p);
      const [against, forVotes, abstain] = await f.governor.proposalVotes(p.id);
      expect([against, forVotes, abstain]).to.deep.equal([0n, ALLOCATIONS.erin, ALLOCATIONS.carol]);
      expect(await f.governor.state(p.id)).to.equal(ProposalState.Defeated);
      await expect(f.governor.queue(p.targets, p.values, p.calldatas, p.descriptionHash))
        .to.be.revertedWithCustomError(f.governor, "GovernorUnexpectedProposalState")
        .withArgs(p.id, ProposalState.Defeated, stateBitmap(ProposalState.Succeeded));
      expect(await f.target.fee()).to.equal(INITIAL_FEE);
    });

    it("should revert when queueing or executing a proposal voted down with quorum reached", async function () {
      const f = await loadFixture(deployGovernanceFixture);
      const p = await proposeFee(f, 500n);
      await startVoting(f.governor, p);
      await f.governor.connect(f.alice).castVote(p.id, Vote.Against); // 5%
      await f.governor.connect(f.bob).castVote(p.id, Vote.For); // 4.5%: quorum reached
      await f.governor.connect(f.dave).castVote(p.id, Vote.For); // still For < Against
      await endVoting(f.governor, p);
      const [against, forVotes] = await f.governor.proposalVotes(p.id);
      expect(forVotes >= (await f.governor.quorum(await f.governor.proposalSnapshot(p.id)))).to.equal(true);
      expect(against > forVotes).to.equal(true);
      expect(await f.governor.state(p.id)).to.equal(ProposalState.Defeated);
      await expect(f.governor.queue(p.targets, p.values, p.calldatas, p.descriptionHash))
        .to.be.revertedWithCustomError(f.governor, "GovernorUnexpectedProposalState")
        .withArgs(p.id, ProposalState.Defeated, stateBitmap(ProposalState.Succeeded));
      await time.increase(TIMELOCK_MIN_DELAY);
      await expect(f.governor.execute(p.targets, p.values, p.calldatas, p.descriptionHash))
        .to.be.revertedWithCustomError(f.governor, "GovernorUnexpectedProposalState")
        .withArgs(p.id, ProposalState.Defeated, stateBitmap(ProposalState.Queued));
      expect(await f.target.fee()).to.equal(INITIAL_FEE);
    });

    it("should revert when the proposer's votes are below the threshold", async function () {
      const f = await loadFixture(deployGovernanceFixture);
      const data = f.target.interface.encodeFunctionData("setFee", [500n]);
      const p = await buildProposal(f.governor, f.target, [data], "Below threshold");
      for (const [account, votes] of [
        [f.dave, ALLOCATIONS.dave],
        [f.stranger, 0n],
        [f.deployer, 0n],
      ] as const) {
        await expect(f.governor.connect(account).propose(p.targets, p.values, p.calldatas, p.description))
          .to.be.revertedWithCustomError(f.governor, "GovernorInsufficientProposerVotes")
          .withArgs(account.address, votes, GOVERNANCE_DEFAULTS.proposalThreshold);
      }
      // carol (0.02%) is above the threshold
      await expect(
        f.governor.connect(f.carol).propose(p.targets, p.values, p.calldatas, p.description),
      ).to.emit(f.governor, "ProposalCreated");
    });

    it("should not count votes delegated after the snapshot (no flash-borrowed votes)", async function () {
      const f = await loadFixture(deployGovernanceFixture);
      const p = await proposeFee(f, 500n);
      await startVoting(f.governor, p);
      await f.token.connect(f.alice).transfer(f.stranger.address, ALLOCATIONS.alice);
      await f.token.connect(f.stranger).delegate(f.stranger.address);
      await expect(f.governor.connect(f.stranger).castVote(p.id, Vote.For))
        .to.emit(f.governor, "VoteCast")
        .withArgs(f.stranger.address, p.id, Vote.For, 0n, "");
      await f.governor.connect(f.alice).castVote(p.id, Vote.For); // still counts her snapshot balance
      const [, forVotes] = await f.governor.proposalVotes(p.id);
      expect(forVotes).to.equal(ALLOCATIONS.alice);
    });
  });

  describe("late quorum", function () {
    it("should extend the deadline to one day after a vote that first reaches quorum late", async function () {
      const f = await loadFixture(deployGovernanceFixture);
      const p = await proposeFee(f, 500n);
      const deadline = await f.governor.proposalDeadline(p.id);
      await time.increaseTo(deadline - 60n);
      await f.governor.connect(f.bob).castVote(p.id, Vote.Against);
      await expect(f.governor.connect(f.alice).castVote(p.id, Vote.For)).to.emit(
        f.governor,
        "ProposalExtended",
      );
      const extended = BigInt(await time.latest()) + GOVERNANCE_DEFAULTS.lateQuorumVoteExtension;
      expect(await f.governor.proposalDeadline(p.id)).to.equal(extended);
      await time.increaseTo(deadline + 1n);
      expect(await f.governor.state(p.id)).to.equal(ProposalState.Active);
      await mine();
      await endVoting(f.governor, p);
      expect(await f.governor.state(p.id)).to.equal(ProposalState.Succeeded);
    });

    it("should not extend when quorum is reached early", async function () {
      const f = await loadFixture(deployGovernanceFixture);
      const p = await proposeFee(f, 500n);
      const deadline = await f.governor.proposalDeadline(p.id);
      await startVoting(f.governor, p);
      await expect(f.governor.connect(f.alice).castVote(p.id, Vote.For)).to.not.emit(
        f.governor,
        "ProposalExtended",
      );
      expect(await f.governor.proposalDeadline(p.id)).to.equal(deadline);
    });
  });

  describe("cancel", function () {
    it("should let the proposer cancel while pending, and nobody else", async function () {
      const f = await loadFixture(deployGovernanceFixture);
      const p = await proposeFee(f, 500n);
      await expect(f.governor.connect(f.bob).cancel(p.targets, p.values, p.calldatas, p.descriptionHash))
        .to.be.revertedWithCustomError(f.governor, "GovernorUnableToCancel")
        .withArgs(p.id, f.bob.address);
      await expect(f.governor.connect(f.alice).cancel(p.targets, p.values, p.calldatas, p.descriptionHash))
        .to.emit(f.governor, "ProposalCanceled")
        .withArgs(p.id);
      expect(await f.governor.state(p.id)).to.equal(ProposalState.Canceled);
    });

    it("should revert when the proposer cancels after voting started", async function () {
      const f = await loadFixture(deployGovernanceFixture);
      const p = await proposeFee(f, 500n);
      await startVoting(f.governor, p);
      await expect(f.governor.connect(f.alice).cancel(p.targets, p.values, p.calldatas, p.descriptionHash))
        .to.be.revertedWithCustomError(f.governor, "GovernorUnableToCancel")
        .withArgs(p.id, f.alice.address);
    });
  });

  describe("governance of governance", function () {
    it("should change its own voting period only through a proposal", async function () {
      const f = await loadFixture(deployGovernanceFixture);
      const governorAddress = await f.governor.getAddress();
      const data = f.governor.interface.encodeFunctionData("setVotingPeriod", [7n * 86_400n]);
      const description = "Seven-day votes";
      const descriptionHash = ethers.id(description);
      const args: [string[], bigint[], string[]] = [[governorAddress], [0n], [data]];
      await f.governor.connect(f.alice).propose(...args, description);
      const id = await f.governor.hashProposal(...args, descriptionHash);
      await time.increaseTo((await f.governor.proposalSnapshot(id)) + 1n);
      await f.governor.connect(f.alice).castVote(id, Vote.For);
      await time.increaseTo((await f.governor.proposalDeadline(id)) + 1n);
      await f.governor.queue(...args, descriptionHash);
      await time.increase(TIMELOCK_MIN_DELAY);
      await expect(f.governor.execute(...args, descriptionHash))
        .to.emit(f.governor, "VotingPeriodSet")
        .withArgs(GOVERNANCE_DEFAULTS.votingPeriod, 7n * 86_400n);
      expect((await f.governor.settings()).votingPeriod).to.equal(7n * 86_400n);
    });
  });

  describe("guardian and governance", function () {
    it("should replace a guardian by proposal even when the pause expired meanwhile; the cooldown survives", async function () {
      const f = await loadFixture(deployGovernanceFixture);
      const { target, guardian, stranger: newGuardian } = f;
      const guardianRole = await target.GUARDIAN_ROLE();
      await target.connect(guardian).pause();
      const pausedUntil = await target.pausedUntil();
      await expect(target.pay())
        .to.be.revertedWithCustomError(target, "PausedByGuardian")
        .withArgs(pausedUntil);
      await expect(target.claim()).to.not.revert(ethers); // claims are never paused

      const calls = [
        target.interface.encodeFunctionData("unpause"),
        target.interface.encodeFunctionData("revokeRole", [guardianRole, guardian.address]),
        target.interface.encodeFunctionData("grantRole", [guardianRole, newGuardian.address]),
      ];
      const p = await proposeAndQueue(f, calls, "Unpause and replace the guardian");
      await time.increase(TIMELOCK_MIN_DELAY);
      // 1 + 5 + 2 days > 7 days: the pause expired by itself; unpause is then a no-op, not a failure.
      expect(await target.paused()).to.equal(false);
      await expect(f.governor.execute(p.targets, p.values, p.calldatas, p.descriptionHash))
        .to.emit(target, "RoleGranted")
        .withArgs(guardianRole, newGuardian.address, await f.timelock.getAddress())
        .and.not.to.emit(target, "Unpaused");
      await expect(target.pay()).to.not.revert(ethers);

      await expect(target.connect(guardian).pause())
        .to.be.revertedWithCustomError(target, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, guardianRole);
      const cooldown = await target.PAUSE_COOLDOWN();
      await expect(target.connect(newGuardian).pause())
        .to.be.revertedWithCustomError(target, "PauseUnavailable")
        .withArgs(pausedUntil + cooldown);
      await time.increaseTo(pausedUntil + cooldown);
      await expect(target.connect(newGuardian).pause()).to.emit(target, "Paused");
    });

    it("should lift an active pause when a proposal already under way executes", async function () {
      const f = await loadFixture(deployGovernanceFixture);
      const { target, guardian, timelock } = f;
      const p = await proposeAndQueue(f, [target.interface.encodeFunctionData("unpause")], "Lift any pause");
      await target.connect(guardian).pause();
      await time.increase(TIMELOCK_MIN_DELAY);
      expect(await target.paused()).to.equal(true);
      await expect(f.governor.execute(p.targets, p.values, p.calldatas, p.descriptionHash))
        .to.emit(target, "Unpaused")
        .withArgs(await timelock.getAddress());
      expect(await target.paused()).to.equal(false);
      expect(await target.pausedUntil()).to.equal(BigInt(await time.latest()));
      await expect(target.pay()).to.not.revert(ethers);
    });
  });
});

/**
 * Issue 13 (money-path hardening), findings 5 to 8: each attack as it was reproduced against the
 * old contracts, and the refusal now.
 */
import { expect } from "chai";
import type { BaseContract, Interface } from "ethers";
import {
  GOVERNANCE_DEFAULTS,
  TIMELOCK_MIN_DELAY,
  Vote,
  deployGovernanceFixture,
  type GovernanceFixture,
} from "../fixtures/governance.js";
import {
  Licence,
  Policy,
  buildVersionTree,
  contentHash,
  contributionIdOf,
  contributionInput,
  deployRegistriesFixture,
  ethers,
  networkHelpers,
  proofOf,
  signSubmission,
} from "../fixtures/registries.js";

const { loadFixture, time } = networkHelpers;
const DAY = 86_400n;
const OPEN = 10n ** 18n;

/** One governance call: a target and its calldata. */
interface Call {
  target: BaseContract;
  data: string;
}

/**
 * Passes one proposal per call list (alice proposes and votes For, alone above quorum), queues
 * them all and waits out the timelock; returns each proposal's `execute` arguments.
 */
async function passProposals(f: GovernanceFixture, proposals: Call[][]) {
  const passed: [string[], bigint[], string[], string][] = [];
  for (const [i, calls] of proposals.entries()) {
    const targets = await Promise.all(calls.map((c) => c.target.getAddress()));
    const description = `hardening proposal ${i}`;
    const args: [string[], bigint[], string[]] = [targets, calls.map(() => 0n), calls.map((c) => c.data)];
    await f.governor.connect(f.alice).propose(...args, description);
    passed.push([...args, ethers.id(description)]);
  }
  const ids = await Promise.all(passed.map((a) => f.governor.hashProposal(...a)));
  await time.increaseTo((await f.governor.proposalSnapshot(ids[ids.length - 1])) + 1n);
  for (const id of ids) await f.governor.connect(f.alice).castVote(id, Vote.For);
  let deadline = 0n;
  for (const id of ids) {
    const d = await f.governor.proposalDeadline(id);
    if (d > deadline) deadline = d;
  }
  await time.increaseTo(deadline + 1n);
  for (const a of passed) await f.governor.queue(...a);
  await time.increase(TIMELOCK_MIN_DELAY);
  return passed;
}

/**
 * Three datanets with a version each: 1 = research + commercial inference (no derivatives),
 * 2 = every use, 3 = research + derivatives.
 */
async function licencedDatanetsFixture() {
  const base = await deployRegistriesFixture();
  const { datanets, datanetOwner, alice } = base;
  const licences = [
    Licence.RESEARCH | Licence.COMMERCIAL_INFERENCE,
    Licence.ALL,
    Licence.RESEARCH | Licence.DERIVATIVES,
  ];
  for (const [i, licence] of licences.entries()) {
    const id = BigInt(i + 1);
    await datanets.connect(datanetOwner).createDatanet(`ipfs://d${id}`, licence, Policy.Open);
    const input = { contentHash: contentHash(`data-${id}`), uri: "ipfs://c", size: 1n, kind: 0 };
    await datanets.connect(alice).submitContribution(id, input);
    await datanets
      .connect(datanetOwner)
      .acceptContribution(id, contributionIdOf(id, alice.address, input.contentHash));
    await datanets.connect(datanetOwner).publishVersion(id, contentHash(`root-${id}`), 1n, 0, "ipfs://v1");
  }
  const model = (datanetId: bigint, declaredUses: number, baseModelId = 0n, tag = "") => ({
    metadataURI: "ipfs://m",
    artifactHash: contentHash(`model-${datanetId}-${declaredUses}-${baseModelId}-${tag}`),
    baseModelId,
    declaredUses,
    pricePerUnit: 1n,
    trainingInputs: [{ datanetId, versionNumber: 1n, weightBps: 10_000n }],
  });
  return { ...base, model };
}

/** A datanet (id 1, all uses, Open) whose owner appointed itself and `curator`. */
async function selfAppointedCuratorFixture() {
  const base = await deployRegistriesFixture();
  const { datanets, datanetOwner, curator, alice } = base;
  await datanets.connect(datanetOwner).createDatanet("ipfs://d1", Licence.ALL, Policy.Open);
  await datanets.connect(datanetOwner).setCurator(1n, datanetOwner.address, true);
  await datanets.connect(datanetOwner).setCurator(1n, curator.address, true);
  await datanets.connect(datanetOwner).transferOwnership(1n, alice.address);
  return base;
}

/** Datanet 1 (all uses, Open) owned by `datanetOwner` with `curator` appointed. */
async function openDatanetFixture() {
  const base = await deployRegistriesFixture();
  await base.datanets.connect(base.datanetOwner).createDatanet("ipfs://d1", Licence.ALL, Policy.Open);
  await base.datanets.connect(base.datanetOwner).setCurator(1n, base.curator.address, true);
  return base;
}

describe("Hardening (issue 13, findings 5-8)", function () {
  describe("finding 5: content-hash squatting", function () {
    it("a squatter's submission of the same hash does not block the author, and both records name their own contributor", async function () {
      const { datanets, alice, stranger: squatter } = await loadFixture(openDatanetFixture);
      const input = contributionInput("alice's essay");
      // The squatter copies the hash out of alice's pending transaction and lands first.
      await datanets.connect(squatter).submitContribution(1n, input);
      const squatterId = contributionIdOf(1n, squatter.address, input.contentHash);
      const aliceId = contributionIdOf(1n, alice.address, input.contentHash);
      expect(aliceId).to.not.equal(squatterId);
      // On the old rule (id = keccak256(datanetId, contentHash)) this reverted DuplicateContribution.
      await expect(datanets.connect(alice).submitContribution(1n, input))
        .to.emit(datanets, "ContributionSubmitted")
        .withArgs(1n, aliceId, alice.address, input.contentHash, input.uri);
      expect((await datanets.contribution(1n, aliceId)).contributor).to.equal(alice.address);
      expect((await datanets.contribution(1n, squatterId)).contributor).to.equal(squatter.address);
      // The squatter withdrawing changes nothing for alice; alice's own repeat is still refused.
      await datanets.connect(squatter).withdrawContribution(1n, squatterId);
      expect((await datanets.contribution(1n, aliceId)).status).to.equal(1n);
      await expect(datanets.connect(alice).submitContribution(1n, input))
        .to.be.revertedWithCustomError(datanets, "DuplicateContribution")
        .withArgs(1n, aliceId);
    });

    it("a relayer that submits a signed contribution's hash as its own first does not block the signer", async function () {
      const { datanets, alice, relayer } = await loadFixture(openDatanetFixture);
      const input = contributionInput("signed essay");
      const deadline = BigInt(await time.latest()) + 3_600n;
      const signature = await signSubmission(datanets, alice, 1n, input, 0n, deadline);
      await datanets.connect(relayer).submitContribution(1n, input);
      const aliceId = contributionIdOf(1n, alice.address, input.contentHash);
      await expect(
        datanets
          .connect(relayer)
          .submitContributionWithSignature(1n, alice.address, input, 0n, deadline, signature),
      )
        .to.emit(datanets, "ContributionSubmitted")
        .withArgs(1n, aliceId, alice.address, input.contentHash, input.uri);
      expect((await datanets.contribution(1n, aliceId)).contributor).to.equal(alice.address);
    });

    it("submitContributions should not be blocked by another contributor's earlier batch of the same hashes", async function () {
      const { datanets, alice, bob } = await loadFixture(openDatanetFixture);
      const inputs = ["x", "y", "z"].map((l) => contributionInput(l));
      await datanets.connect(bob).submitContributions(1n, inputs);
      await datanets.connect(alice).submitContributions(1n, inputs);
      for (const input of inputs) {
        for (const who of [alice, bob]) {
          const c = await datanets.contribution(1n, contributionIdOf(1n, who.address, input.contentHash));
          expect(c.contributor).to.equal(who.address);
          expect(c.status).to.equal(1n);
        }
      }
    });

    it("a signed submission of content the signer already submitted should revert DuplicateContribution", async function () {
      const { datanets, alice, relayer } = await loadFixture(openDatanetFixture);
      const input = contributionInput("twice");
      await datanets.connect(alice).submitContribution(1n, input);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const signature = await signSubmission(datanets, alice, 1n, input, 0n, deadline);
      await expect(
        datanets
          .connect(relayer)
          .submitContributionWithSignature(1n, alice.address, input, 0n, deadline, signature),
      )
        .to.be.revertedWithCustomError(datanets, "DuplicateContribution")
        .withArgs(1n, contributionIdOf(1n, alice.address, input.contentHash));
    });

    it("verifyContribution should prove each holder of shared content only under its own contributor", async function () {
      const { datanets, curator, alice, bob } = await loadFixture(openDatanetFixture);
      const input = contributionInput("shared");
      await datanets.connect(bob).submitContribution(1n, input);
      await datanets.connect(alice).submitContribution(1n, input);
      const entries = [alice, bob].map((who) => ({
        contributionId: contributionIdOf(1n, who.address, input.contentHash),
        contributor: who.address,
        contentHash: input.contentHash,
      }));
      for (const e of entries) await datanets.connect(curator).acceptContribution(1n, e.contributionId);
      const tree = buildVersionTree(entries);
      await datanets.connect(curator).publishVersion(1n, tree.root, 2n, 0, "ipfs://v1");
      for (const e of entries) {
        const proof = proofOf(tree, e);
        expect(
          await datanets.verifyContribution(1n, 1n, e.contributionId, e.contributor, e.contentHash, proof),
        ).to.be.true;
      }
      // Bob's id claimed for alice (a leaf no honest tree holds) does not verify, even in a tree with it.
      const forged = { ...entries[1], contributor: alice.address };
      const forgedTree = buildVersionTree([forged, entries[0]]);
      await datanets.connect(curator).publishVersion(1n, forgedTree.root, 2n, 1, "ipfs://v2");
      expect(
        await datanets.verifyContribution(
          1n,
          2n,
          forged.contributionId,
          forged.contributor,
          forged.contentHash,
          proofOf(forgedTree, forged),
        ),
      ).to.be.false;
    });
  });

  describe("finding 6: curators survive a change of datanet owner", function () {
    it("acceptOwnership should end every curator appointment of the previous owner, itself included", async function () {
      const { datanets, datanetOwner, curator, alice, bob } = await loadFixture(selfAppointedCuratorFixture);
      const input = { contentHash: contentHash("after-transfer"), uri: "ipfs://x", size: 1n, kind: 0 };
      await datanets.connect(bob).submitContribution(1n, input);
      const id = contributionIdOf(1n, bob.address, input.contentHash);
      expect(await datanets.curatorGeneration(1n)).to.equal(0n);

      await datanets.connect(alice).acceptOwnership(1n);

      // The attack: the previous owner (self-appointed) and its curator kept curating and publishing.
      expect(await datanets.curatorGeneration(1n)).to.equal(1n);
      expect((await datanets.datanet(1n)).curatorGeneration).to.equal(1n);
      for (const stale of [datanetOwner, curator]) {
        expect(await datanets.isCurator(1n, stale.address)).to.equal(false);
        await expect(datanets.connect(stale).acceptContribution(1n, id))
          .to.be.revertedWithCustomError(datanets, "NotCurator")
          .withArgs(1n, stale.address);
        await expect(datanets.connect(stale).publishVersion(1n, contentHash("root"), 1n, 0, "ipfs://v"))
          .to.be.revertedWithCustomError(datanets, "NotCurator")
          .withArgs(1n, stale.address);
      }
      // The new owner curates, and its own appointments count.
      await datanets.connect(alice).setCurator(1n, curator.address, true);
      expect(await datanets.isCurator(1n, curator.address)).to.equal(true);
      await expect(datanets.connect(curator).acceptContribution(1n, id))
        .to.emit(datanets, "ContributionAccepted")
        .withArgs(1n, id, curator.address);
    });

    it("an appointment by the new owner should end at the next transfer, even one back to the old owner", async function () {
      const { datanets, datanetOwner, curator, alice } = await loadFixture(selfAppointedCuratorFixture);
      await datanets.connect(alice).acceptOwnership(1n);
      await datanets.connect(alice).setCurator(1n, curator.address, true);
      await datanets.connect(alice).transferOwnership(1n, datanetOwner.address);
      expect(await datanets.isCurator(1n, curator.address)).to.equal(true);
      await datanets.connect(datanetOwner).acceptOwnership(1n);
      expect(await datanets.curatorGeneration(1n)).to.equal(2n);
      // Neither alice's appointment nor the first owner's own (generation 0) comes back.
      expect(await datanets.isCurator(1n, curator.address)).to.equal(false);
      expect(await datanets.isCurator(1n, alice.address)).to.equal(false);
      expect(await datanets.isCurator(1n, datanetOwner.address)).to.equal(false);
    });

    it("curatorGeneration and isCurator should answer 0 and false for an unknown datanet", async function () {
      const { datanets, alice } = await loadFixture(selfAppointedCuratorFixture);
      expect(await datanets.curatorGeneration(9n)).to.equal(0n);
      expect(await datanets.isCurator(9n, alice.address)).to.equal(false);
    });
  });

  describe("finding 8: governance could remove its own 8-day floor with one proposal", function () {
    it("every governor and timelock setting out of its bounds should be refused at execution, each with its named error", async function () {
      const f = await loadFixture(deployGovernanceFixture);
      const { governor, timelock, stranger } = f;
      const g = (fn: string, value: bigint | string): Call => ({
        target: governor,
        data: (governor.interface as Interface).encodeFunctionData(fn, [value]),
      });
      const cases: [Call, BaseContract, string, unknown[]][] = [
        // The reproduced attack: delay 0, period 1 s, extension 0, timelock delay 0.
        [g("setVotingDelay", 0n), governor, "VotingDelayOutOfBounds", [0n, DAY, 7n * DAY]],
        [g("setVotingPeriod", 1n), governor, "VotingPeriodOutOfBounds", [1n, 5n * DAY, 28n * DAY]],
        [
          g("setLateQuorumVoteExtension", 0n),
          governor,
          "LateQuorumVoteExtensionOutOfBounds",
          [0n, DAY, 7n * DAY],
        ],
        [
          { target: timelock, data: timelock.interface.encodeFunctionData("updateDelay", [0n]) },
          timelock,
          "MinDelayOutOfBounds",
          [0n, 2n * DAY, 30n * DAY],
        ],
        // ... and the other ends, and the remaining settings.
        [
          g("setVotingDelay", 7n * DAY + 1n),
          governor,
          "VotingDelayOutOfBounds",
          [7n * DAY + 1n, DAY, 7n * DAY],
        ],
        [
          g("setVotingPeriod", 28n * DAY + 1n),
          governor,
          "VotingPeriodOutOfBounds",
          [28n * DAY + 1n, 5n * DAY, 28n * DAY],
        ],
        [
          g("setLateQuorumVoteExtension", 7n * DAY + 1n),
          governor,
          "LateQuorumVoteExtensionOutOfBounds",
          [7n * DAY + 1n, DAY, 7n * DAY],
        ],
        [
          { target: timelock, data: timelock.interface.encodeFunctionData("updateDelay", [30n * DAY + 1n]) },
          timelock,
          "MinDelayOutOfBounds",
          [30n * DAY + 1n, 2n * DAY, 30n * DAY],
        ],
        [
          g("setProposalThreshold", 0n),
          governor,
          "ProposalThresholdOutOfBounds",
          [0n, OPEN, 10_000_000n * OPEN],
        ],
        [
          g("setProposalThreshold", 10_000_000n * OPEN + 1n),
          governor,
          "ProposalThresholdOutOfBounds",
          [10_000_000n * OPEN + 1n, OPEN, 10_000_000n * OPEN],
        ],
        [g("updateQuorumNumerator", 0n), governor, "QuorumNumeratorOutOfBounds", [0n, 1n, 50n]],
        [g("updateQuorumNumerator", 51n), governor, "QuorumNumeratorOutOfBounds", [51n, 1n, 50n]],
        [g("updateTimelock", stranger.address), governor, "TimelockNotReplaceable", [stranger.address]],
      ];
      const passed = await passProposals(
        f,
        cases.map(([call]) => [call]),
      );
      for (const [i, [, contract, error, args]] of cases.entries()) {
        await expect(governor.execute(...passed[i]), error)
          .to.be.revertedWithCustomError(contract, error)
          .withArgs(...args);
      }
      expect(await governor.settings()).to.deep.equal([
        GOVERNANCE_DEFAULTS.votingDelay,
        GOVERNANCE_DEFAULTS.votingPeriod,
        GOVERNANCE_DEFAULTS.lateQuorumVoteExtension,
        GOVERNANCE_DEFAULTS.proposalThreshold,
        GOVERNANCE_DEFAULTS.quorumNumerator,
      ]);
      expect(await timelock.getMinDelay()).to.equal(TIMELOCK_MIN_DELAY);
      expect(await governor.timelock()).to.equal(await timelock.getAddress());
    });

    it("settings at their bounds should pass, and settingsBounds should report the bounds", async function () {
      const f = await loadFixture(deployGovernanceFixture);
      const { governor, timelock } = f;
      const [min, max] = await governor.settingsBounds();
      expect(min).to.deep.equal([DAY, 5n * DAY, DAY, OPEN, 1n]);
      expect(max).to.deep.equal([7n * DAY, 28n * DAY, 7n * DAY, 10_000_000n * OPEN, 50n]);
      expect([await timelock.MIN_DELAY_FLOOR(), await timelock.MIN_DELAY_CEILING()]).to.deep.equal([
        2n * DAY,
        30n * DAY,
      ]);
      const g = (fn: string, value: bigint): Call => ({
        target: governor,
        data: (governor.interface as Interface).encodeFunctionData(fn, [value]),
      });
      const [lowest, highest] = await passProposals(f, [
        [
          g("setVotingDelay", min.votingDelay),
          g("setVotingPeriod", min.votingPeriod),
          g("setLateQuorumVoteExtension", min.lateQuorumVoteExtension),
          g("setProposalThreshold", min.proposalThreshold),
          g("updateQuorumNumerator", min.quorumNumerator),
          { target: timelock, data: timelock.interface.encodeFunctionData("updateDelay", [2n * DAY]) },
        ],
        [
          g("setVotingDelay", max.votingDelay),
          g("setVotingPeriod", max.votingPeriod),
          g("setLateQuorumVoteExtension", max.lateQuorumVoteExtension),
          g("setProposalThreshold", max.proposalThreshold),
          g("updateQuorumNumerator", max.quorumNumerator),
          { target: timelock, data: timelock.interface.encodeFunctionData("updateDelay", [30n * DAY]) },
        ],
      ]);
      await governor.execute(...lowest);
      expect(await governor.settings()).to.deep.equal([...min]);
      await governor.execute(...highest);
      expect(await governor.settings()).to.deep.equal([...max]);
      expect(await timelock.getMinDelay()).to.equal(30n * DAY);
    });

    it("deploying a governor or timelock with a setting out of bounds should revert with the named error", async function () {
      const { token, timelock } = await loadFixture(deployGovernanceFixture);
      const governorFactory = await ethers.getContractFactory("OpenGovernor");
      const deploy = (s: { [K in keyof typeof GOVERNANCE_DEFAULTS]?: bigint }) =>
        governorFactory.deploy(token.getAddress(), timelock.getAddress(), { ...GOVERNANCE_DEFAULTS, ...s });
      await expect(deploy({ votingDelay: 0n }))
        .to.be.revertedWithCustomError(governorFactory, "VotingDelayOutOfBounds")
        .withArgs(0n, DAY, 7n * DAY);
      await expect(deploy({ votingPeriod: 1n }))
        .to.be.revertedWithCustomError(governorFactory, "VotingPeriodOutOfBounds")
        .withArgs(1n, 5n * DAY, 28n * DAY);
      await expect(deploy({ lateQuorumVoteExtension: 0n }))
        .to.be.revertedWithCustomError(governorFactory, "LateQuorumVoteExtensionOutOfBounds")
        .withArgs(0n, DAY, 7n * DAY);
      await expect(deploy({ proposalThreshold: 0n }))
        .to.be.revertedWithCustomError(governorFactory, "ProposalThresholdOutOfBounds")
        .withArgs(0n, OPEN, 10_000_000n * OPEN);
      await expect(deploy({ quorumNumerator: 0n }))
        .to.be.revertedWithCustomError(governorFactory, "QuorumNumeratorOutOfBounds")
        .withArgs(0n, 1n, 50n);
      const timelockFactory = await ethers.getContractFactory("OpenTimelock");
      for (const delay of [0n, 2n * DAY - 1n, 30n * DAY + 1n]) {
        await expect(timelockFactory.deploy(delay, [], [ethers.ZeroAddress], ethers.ZeroAddress))
          .to.be.revertedWithCustomError(timelockFactory, "MinDelayOutOfBounds")
          .withArgs(delay, 2n * DAY, 30n * DAY);
      }
    });
  });

  describe("finding 7: the derivatives licence bit was never checked", function () {
    it("registerModel should refuse a derivative of a model trained on no-derivatives data, like a direct use", async function () {
      const { models, modelOwner, alice, model } = await loadFixture(licencedDatanetsFixture);
      const commercial = Licence.COMMERCIAL_INFERENCE;
      // Model 1 serves commercially on datanet 1, which allows that but not derivatives.
      await models.connect(modelOwner).registerModel(model(1n, commercial));
      expect(await models.lineageLicence(1n)).to.equal(BigInt(Licence.RESEARCH | commercial));
      // Declaring derivatives on that data directly was already refused ...
      await expect(models.connect(alice).registerModel(model(1n, Licence.DERIVATIVES)))
        .to.be.revertedWithCustomError(models, "LicenceForbidsUse")
        .withArgs(1n, Licence.DERIVATIVES, Licence.RESEARCH | commercial);
      // ... and the attack: a commercial derivative of model 1, trained on all-uses data, registered.
      await expect(models.connect(alice).registerModel(model(2n, commercial, 1n)))
        .to.be.revertedWithCustomError(models, "LineageForbidsDerivatives")
        .withArgs(1n, Licence.RESEARCH | commercial);
      expect(await models.modelCount()).to.equal(1n);
    });

    it("registerModel should refuse a derivative declaring a use its base's data does not allow, through every generation", async function () {
      const { models, modelOwner, alice, model } = await loadFixture(licencedDatanetsFixture);
      const researchAndDerivatives = Licence.RESEARCH | Licence.DERIVATIVES;
      await models.connect(modelOwner).registerModel(model(3n, Licence.RESEARCH)); // model 1
      await expect(models.connect(alice).registerModel(model(2n, Licence.COMMERCIAL_INFERENCE, 1n)))
        .to.be.revertedWithCustomError(models, "LineageForbidsUse")
        .withArgs(1n, Licence.COMMERCIAL_INFERENCE, researchAndDerivatives);
      // A research derivative trained on all-uses data inherits its base's restrictions ...
      await models.connect(alice).registerModel(model(2n, Licence.RESEARCH, 1n)); // model 2
      expect((await models.model(2n)).lineageLicence).to.equal(BigInt(researchAndDerivatives));
      // ... which bind its own derivatives too.
      await expect(models.connect(alice).registerModel(model(2n, Licence.COMMERCIAL_INFERENCE, 2n)))
        .to.be.revertedWithCustomError(models, "LineageForbidsUse")
        .withArgs(2n, Licence.COMMERCIAL_INFERENCE, researchAndDerivatives);
      await expect(models.connect(alice).registerModel(model(2n, Licence.RESEARCH, 2n))).to.emit(
        models,
        "ModelRegistered",
      );
      expect(await models.lineage(3n)).to.deep.equal([2n, 1n]);
    });

    it("addVersion should narrow the lineage licence: a later derivative is refused when new data forbids derivatives", async function () {
      const { models, modelOwner, alice, model } = await loadFixture(licencedDatanetsFixture);
      await models.connect(modelOwner).registerModel(model(2n, Licence.COMMERCIAL_INFERENCE)); // model 1
      expect(await models.lineageLicence(1n)).to.equal(BigInt(Licence.ALL));
      await models.connect(alice).registerModel(model(2n, Licence.COMMERCIAL_INFERENCE, 1n)); // allowed
      await models
        .connect(modelOwner)
        .addVersion(1n, contentHash("model-1-v2"), [
          { datanetId: 1n, versionNumber: 1n, weightBps: 10_000n },
        ]);
      expect(await models.lineageLicence(1n)).to.equal(
        BigInt(Licence.RESEARCH | Licence.COMMERCIAL_INFERENCE),
      );
      await expect(models.connect(alice).registerModel(model(2n, Licence.COMMERCIAL_INFERENCE, 1n, "later")))
        .to.be.revertedWithCustomError(models, "LineageForbidsDerivatives")
        .withArgs(1n, Licence.RESEARCH | Licence.COMMERCIAL_INFERENCE);
      // The derivative registered before keeps its record (it was built when derivatives were allowed).
      expect(await models.lineageLicence(2n)).to.equal(BigInt(Licence.ALL));
    });

    it("lineageLicence should revert for an unknown model", async function () {
      const { models } = await loadFixture(licencedDatanetsFixture);
      await expect(models.lineageLicence(1n))
        .to.be.revertedWithCustomError(models, "UnknownModel")
        .withArgs(1n);
    });
  });
});

import { expect } from "chai";
import type { DatanetRegistry } from "../../typechain-types/index.js";
import {
  Licence,
  Policy,
  Status,
  buildVersionTree,
  contentHash,
  contributionIdOf,
  contributionInput,
  deployRegistriesFixture,
  ethers,
  networkHelpers,
  proofOf,
  registriesFixture,
  signSubmission,
} from "../fixtures/registries.js";

const { loadFixture, time } = networkHelpers;

/** A datanet (id 1, all uses, Open) owned by `datanetOwner` with `curator` appointed. */
async function oneDatanetFixture() {
  const base = await deployRegistriesFixture();
  await base.datanets.connect(base.datanetOwner).createDatanet("ipfs://d1", Licence.ALL, Policy.Open);
  await base.datanets.connect(base.datanetOwner).setCurator(1n, base.curator.address, true);
  return base;
}

/** oneDatanetFixture plus one Pending contribution of alice. */
async function pendingFixture() {
  const base = await oneDatanetFixture();
  const input = contributionInput("pending");
  await base.datanets.connect(base.alice).submitContribution(1n, input);
  return { ...base, input, id: contributionIdOf(1n, base.alice.address, input.contentHash) };
}

describe("DatanetRegistry", function () {
  describe("createDatanet", function () {
    it("should create datanets with ids from 1 and store owner, licence, policy and URI", async function () {
      const { datanets, datanetOwner, alice } = await loadFixture(deployRegistriesFixture);
      await expect(
        datanets.connect(datanetOwner).createDatanet("ipfs://a", Licence.RESEARCH, Policy.AllowList),
      )
        .to.emit(datanets, "DatanetCreated")
        .withArgs(1n, datanetOwner.address, Licence.RESEARCH, Policy.AllowList, "ipfs://a");
      await expect(datanets.connect(alice).createDatanet("ipfs://b", Licence.ALL, Policy.Open))
        .to.emit(datanets, "DatanetCreated")
        .withArgs(2n, alice.address, Licence.ALL, Policy.Open, "ipfs://b");
      expect(await datanets.datanetCount()).to.equal(2n);
      const d = await datanets.datanet(1n);
      expect(d.owner).to.equal(datanetOwner.address);
      expect(d.licence).to.equal(BigInt(Licence.RESEARCH));
      expect(d.policy).to.equal(BigInt(Policy.AllowList));
      expect(d.versionCount).to.equal(0n);
      expect(d.pendingOwner).to.equal(ethers.ZeroAddress);
      expect(d.acceptedCount).to.equal(0n);
      expect(d.metadataURI).to.equal("ipfs://a");
    });

    it("should revert when the licence sets a reserved bit", async function () {
      const { datanets, datanetOwner } = await loadFixture(deployRegistriesFixture);
      await expect(datanets.connect(datanetOwner).createDatanet("ipfs://a", 32, Policy.Open))
        .to.be.revertedWithCustomError(datanets, "InvalidLicence")
        .withArgs(32);
      expect(await datanets.datanetCount()).to.equal(0n);
    });
  });

  describe("datanet", function () {
    it("should revert when the datanet is unknown", async function () {
      const { datanets } = await loadFixture(deployRegistriesFixture);
      await expect(datanets.datanet(1n))
        .to.be.revertedWithCustomError(datanets, "UnknownDatanet")
        .withArgs(1n);
    });
  });

  describe("transferOwnership / acceptOwnership", function () {
    it("should transfer ownership in two steps", async function () {
      const { datanets, datanetOwner, alice } = await loadFixture(oneDatanetFixture);
      await expect(datanets.connect(datanetOwner).transferOwnership(1n, alice.address))
        .to.emit(datanets, "OwnershipTransferStarted")
        .withArgs(1n, datanetOwner.address, alice.address);
      expect((await datanets.datanet(1n)).owner).to.equal(datanetOwner.address);
      expect((await datanets.datanet(1n)).pendingOwner).to.equal(alice.address);
      await expect(datanets.connect(alice).acceptOwnership(1n))
        .to.emit(datanets, "OwnershipTransferred")
        .withArgs(1n, datanetOwner.address, alice.address);
      const d = await datanets.datanet(1n);
      expect(d.owner).to.equal(alice.address);
      expect(d.pendingOwner).to.equal(ethers.ZeroAddress);
    });

    it("should revert when a non-owner starts a transfer", async function () {
      const { datanets, alice } = await loadFixture(oneDatanetFixture);
      await expect(datanets.connect(alice).transferOwnership(1n, alice.address))
        .to.be.revertedWithCustomError(datanets, "NotDatanetOwner")
        .withArgs(1n, alice.address);
    });

    it("should revert when the datanet is unknown", async function () {
      const { datanets, alice } = await loadFixture(oneDatanetFixture);
      await expect(datanets.connect(alice).transferOwnership(9n, alice.address))
        .to.be.revertedWithCustomError(datanets, "UnknownDatanet")
        .withArgs(9n);
    });

    it("should revert when the new owner is the zero address", async function () {
      const { datanets, datanetOwner } = await loadFixture(oneDatanetFixture);
      await expect(
        datanets.connect(datanetOwner).transferOwnership(1n, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(datanets, "ZeroAddress");
    });

    it("should revert when someone other than the pending owner accepts", async function () {
      const { datanets, datanetOwner, alice, bob } = await loadFixture(oneDatanetFixture);
      await datanets.connect(datanetOwner).transferOwnership(1n, alice.address);
      await expect(datanets.connect(bob).acceptOwnership(1n))
        .to.be.revertedWithCustomError(datanets, "NotPendingOwner")
        .withArgs(1n, bob.address);
      await expect(datanets.connect(bob).acceptOwnership(7n))
        .to.be.revertedWithCustomError(datanets, "NotPendingOwner")
        .withArgs(7n, bob.address);
    });
  });

  describe("setCurator", function () {
    it("should appoint and remove curators", async function () {
      const { datanets, datanetOwner, bob } = await loadFixture(oneDatanetFixture);
      await expect(datanets.connect(datanetOwner).setCurator(1n, bob.address, true))
        .to.emit(datanets, "CuratorSet")
        .withArgs(1n, bob.address, true);
      expect(await datanets.isCurator(1n, bob.address)).to.equal(true);
      await expect(datanets.connect(datanetOwner).setCurator(1n, bob.address, false))
        .to.emit(datanets, "CuratorSet")
        .withArgs(1n, bob.address, false);
      expect(await datanets.isCurator(1n, bob.address)).to.equal(false);
    });

    it("should revert when the caller is not the owner", async function () {
      const { datanets, curator, bob } = await loadFixture(oneDatanetFixture);
      await expect(datanets.connect(curator).setCurator(1n, bob.address, true))
        .to.be.revertedWithCustomError(datanets, "NotDatanetOwner")
        .withArgs(1n, curator.address);
    });

    it("should revert when the curator is the zero address", async function () {
      const { datanets, datanetOwner } = await loadFixture(oneDatanetFixture);
      await expect(
        datanets.connect(datanetOwner).setCurator(1n, ethers.ZeroAddress, true),
      ).to.be.revertedWithCustomError(datanets, "ZeroAddress");
    });
  });

  describe("setContributionPolicy", function () {
    it("should set the policy", async function () {
      const { datanets, datanetOwner } = await loadFixture(oneDatanetFixture);
      await expect(datanets.connect(datanetOwner).setContributionPolicy(1n, Policy.AllowList))
        .to.emit(datanets, "ContributionPolicySet")
        .withArgs(1n, Policy.AllowList);
      expect((await datanets.datanet(1n)).policy).to.equal(BigInt(Policy.AllowList));
    });

    it("should revert when the caller is not the owner", async function () {
      const { datanets, alice } = await loadFixture(oneDatanetFixture);
      await expect(datanets.connect(alice).setContributionPolicy(1n, Policy.AllowList))
        .to.be.revertedWithCustomError(datanets, "NotDatanetOwner")
        .withArgs(1n, alice.address);
    });
  });

  describe("setContributorAllowed", function () {
    it("should add and remove accounts", async function () {
      const { datanets, datanetOwner, alice } = await loadFixture(oneDatanetFixture);
      await expect(datanets.connect(datanetOwner).setContributorAllowed(1n, alice.address, true))
        .to.emit(datanets, "ContributorAllowed")
        .withArgs(1n, alice.address, true);
      expect(await datanets.isContributorAllowed(1n, alice.address)).to.equal(true);
      await expect(datanets.connect(datanetOwner).setContributorAllowed(1n, alice.address, false))
        .to.emit(datanets, "ContributorAllowed")
        .withArgs(1n, alice.address, false);
      expect(await datanets.isContributorAllowed(1n, alice.address)).to.equal(false);
    });

    it("should revert when the caller is not the owner", async function () {
      const { datanets, alice } = await loadFixture(oneDatanetFixture);
      await expect(datanets.connect(alice).setContributorAllowed(1n, alice.address, true))
        .to.be.revertedWithCustomError(datanets, "NotDatanetOwner")
        .withArgs(1n, alice.address);
    });

    it("should revert when the account is the zero address", async function () {
      const { datanets, datanetOwner } = await loadFixture(oneDatanetFixture);
      await expect(
        datanets.connect(datanetOwner).setContributorAllowed(1n, ethers.ZeroAddress, true),
      ).to.be.revertedWithCustomError(datanets, "ZeroAddress");
    });
  });

  describe("submitContribution", function () {
    it("should record a Pending contribution in one record and emit the URI", async function () {
      const { datanets, alice } = await loadFixture(oneDatanetFixture);
      const input = contributionInput("a", 4_096n, 2);
      const id = contributionIdOf(1n, alice.address, input.contentHash);
      expect(await datanets.contributionIdOf(1n, alice.address, input.contentHash)).to.equal(id);
      await expect(datanets.connect(alice).submitContribution(1n, input))
        .to.emit(datanets, "ContributionSubmitted")
        .withArgs(1n, id, alice.address, input.contentHash, input.uri);
      const c = await datanets.contribution(1n, id);
      expect(c.contributor).to.equal(alice.address);
      expect(c.status).to.equal(BigInt(Status.Pending));
      expect(c.kind).to.equal(2n);
      expect(c.size).to.equal(4_096n);
    });

    it("should accept the same content in two different datanets", async function () {
      const { datanets, datanetOwner, alice } = await loadFixture(oneDatanetFixture);
      await datanets.connect(datanetOwner).createDatanet("ipfs://d2", Licence.ALL, Policy.Open);
      const input = contributionInput("same");
      await datanets.connect(alice).submitContribution(1n, input);
      await expect(datanets.connect(alice).submitContribution(2n, input)).to.emit(
        datanets,
        "ContributionSubmitted",
      );
    });

    it("should let an allow-listed contributor submit", async function () {
      const { datanets, datanetOwner, alice } = await loadFixture(oneDatanetFixture);
      await datanets.connect(datanetOwner).setContributionPolicy(1n, Policy.AllowList);
      await datanets.connect(datanetOwner).setContributorAllowed(1n, alice.address, true);
      await expect(datanets.connect(alice).submitContribution(1n, contributionInput("a"))).to.emit(
        datanets,
        "ContributionSubmitted",
      );
    });

    it("should revert when the datanet is unknown", async function () {
      const { datanets, alice } = await loadFixture(oneDatanetFixture);
      await expect(datanets.connect(alice).submitContribution(2n, contributionInput("a")))
        .to.be.revertedWithCustomError(datanets, "UnknownDatanet")
        .withArgs(2n);
    });

    it("should revert when the contributor is not on the allow list", async function () {
      const { datanets, datanetOwner, alice } = await loadFixture(oneDatanetFixture);
      await datanets.connect(datanetOwner).setContributionPolicy(1n, Policy.AllowList);
      await expect(datanets.connect(alice).submitContribution(1n, contributionInput("a")))
        .to.be.revertedWithCustomError(datanets, "ContributorNotAllowed")
        .withArgs(1n, alice.address);
    });

    it("should revert when the content hash is zero", async function () {
      const { datanets, alice } = await loadFixture(oneDatanetFixture);
      const input = { ...contributionInput("a"), contentHash: ethers.ZeroHash };
      await expect(datanets.connect(alice).submitContribution(1n, input)).to.be.revertedWithCustomError(
        datanets,
        "EmptyContentHash",
      );
    });

    it("should revert when the same contributor already submitted the content, whatever its status", async function () {
      const { datanets, alice, id, input } = await loadFixture(pendingFixture);
      await expect(datanets.connect(alice).submitContribution(1n, input))
        .to.be.revertedWithCustomError(datanets, "DuplicateContribution")
        .withArgs(1n, id);
      await datanets.connect(alice).withdrawContribution(1n, id);
      await expect(datanets.connect(alice).submitContribution(1n, input))
        .to.be.revertedWithCustomError(datanets, "DuplicateContribution")
        .withArgs(1n, id);
    });
  });

  describe("submitContributions", function () {
    it("should record every contribution of the batch", async function () {
      const { datanets, alice } = await loadFixture(oneDatanetFixture);
      const inputs = ["a", "b", "c"].map((l) => contributionInput(l));
      const tx = datanets.connect(alice).submitContributions(1n, inputs);
      for (const input of inputs) {
        await expect(tx)
          .to.emit(datanets, "ContributionSubmitted")
          .withArgs(
            1n,
            contributionIdOf(1n, alice.address, input.contentHash),
            alice.address,
            input.contentHash,
            input.uri,
          );
      }
      for (const input of inputs) {
        const c = await datanets.contribution(1n, contributionIdOf(1n, alice.address, input.contentHash));
        expect(c.status).to.equal(BigInt(Status.Pending));
      }
    });

    it("should revert when the batch is empty", async function () {
      const { datanets, alice } = await loadFixture(oneDatanetFixture);
      await expect(datanets.connect(alice).submitContributions(1n, [])).to.be.revertedWithCustomError(
        datanets,
        "EmptyBatch",
      );
    });

    it("should revert when the datanet is unknown", async function () {
      const { datanets, alice } = await loadFixture(oneDatanetFixture);
      await expect(datanets.connect(alice).submitContributions(3n, [contributionInput("a")]))
        .to.be.revertedWithCustomError(datanets, "UnknownDatanet")
        .withArgs(3n);
    });

    it("should revert when the contributor is not on the allow list", async function () {
      const { datanets, datanetOwner, alice } = await loadFixture(oneDatanetFixture);
      await datanets.connect(datanetOwner).setContributionPolicy(1n, Policy.AllowList);
      await expect(datanets.connect(alice).submitContributions(1n, [contributionInput("a")]))
        .to.be.revertedWithCustomError(datanets, "ContributorNotAllowed")
        .withArgs(1n, alice.address);
    });

    it("should revert as a whole when the batch repeats content", async function () {
      const { datanets, alice } = await loadFixture(oneDatanetFixture);
      const a = contributionInput("a");
      await expect(datanets.connect(alice).submitContributions(1n, [a, contributionInput("b"), a]))
        .to.be.revertedWithCustomError(datanets, "DuplicateContribution")
        .withArgs(1n, contributionIdOf(1n, alice.address, a.contentHash));
      const c = await datanets.contribution(1n, contributionIdOf(1n, alice.address, a.contentHash));
      expect(c.status).to.equal(BigInt(Status.None));
    });

    it("should revert when an item has a zero content hash", async function () {
      const { datanets, alice } = await loadFixture(oneDatanetFixture);
      const bad = { ...contributionInput("a"), contentHash: ethers.ZeroHash };
      await expect(
        datanets.connect(alice).submitContributions(1n, [contributionInput("b"), bad]),
      ).to.be.revertedWithCustomError(datanets, "EmptyContentHash");
    });
  });

  describe("submitContributionWithSignature", function () {
    it("should record the signer as contributor when a relayer submits, and use the nonce", async function () {
      const { datanets, alice, relayer } = await loadFixture(oneDatanetFixture);
      const input = contributionInput("signed");
      const deadline = BigInt(await time.latest()) + 3_600n;
      const signature = await signSubmission(datanets, alice, 1n, input, 0n, deadline);
      const id = contributionIdOf(1n, alice.address, input.contentHash);
      await expect(
        datanets
          .connect(relayer)
          .submitContributionWithSignature(1n, alice.address, input, 0n, deadline, signature),
      )
        .to.emit(datanets, "ContributionSubmitted")
        .withArgs(1n, id, alice.address, input.contentHash, input.uri);
      expect((await datanets.contribution(1n, id)).contributor).to.equal(alice.address);
      expect(await datanets.nonces(alice.address)).to.equal(1n);
    });

    it("should expose the chain-bound EIP-712 domain", async function () {
      const { datanets } = await loadFixture(oneDatanetFixture);
      const { chainId } = await ethers.provider.getNetwork();
      const expected = ethers.TypedDataEncoder.hashDomain({
        name: "OpenLedger Datanet Registry",
        version: "1",
        chainId,
        verifyingContract: await datanets.getAddress(),
      });
      expect(await datanets.DOMAIN_SEPARATOR()).to.equal(expected);
    });

    it("should revert when the deadline has passed", async function () {
      const { datanets, alice, relayer } = await loadFixture(oneDatanetFixture);
      const input = contributionInput("signed");
      const deadline = BigInt(await time.latest()) + 10n;
      const signature = await signSubmission(datanets, alice, 1n, input, 0n, deadline);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(
        datanets
          .connect(relayer)
          .submitContributionWithSignature(1n, alice.address, input, 0n, deadline, signature),
      )
        .to.be.revertedWithCustomError(datanets, "ExpiredSignature")
        .withArgs(deadline, deadline + 1n);
    });

    it("should revert when the signature is replayed", async function () {
      const { datanets, alice, relayer } = await loadFixture(oneDatanetFixture);
      const input = contributionInput("signed");
      const deadline = BigInt(await time.latest()) + 3_600n;
      const signature = await signSubmission(datanets, alice, 1n, input, 0n, deadline);
      await datanets
        .connect(relayer)
        .submitContributionWithSignature(1n, alice.address, input, 0n, deadline, signature);
      await expect(
        datanets
          .connect(relayer)
          .submitContributionWithSignature(1n, alice.address, input, 0n, deadline, signature),
      )
        .to.be.revertedWithCustomError(datanets, "InvalidAccountNonce")
        .withArgs(alice.address, 1n);
    });

    it("should revert when the signer is not the contributor", async function () {
      const { datanets, alice, bob, relayer } = await loadFixture(oneDatanetFixture);
      const input = contributionInput("signed");
      const deadline = BigInt(await time.latest()) + 3_600n;
      const signature = await signSubmission(datanets, bob, 1n, input, 0n, deadline, alice.address);
      await expect(
        datanets
          .connect(relayer)
          .submitContributionWithSignature(1n, alice.address, input, 0n, deadline, signature),
      )
        .to.be.revertedWithCustomError(datanets, "InvalidSignature")
        .withArgs(alice.address);
      expect(await datanets.nonces(alice.address)).to.equal(0n);
    });

    it("should revert when the relayed content differs from the signed content", async function () {
      const { datanets, alice, relayer } = await loadFixture(oneDatanetFixture);
      const input = contributionInput("signed");
      const deadline = BigInt(await time.latest()) + 3_600n;
      const signature = await signSubmission(datanets, alice, 1n, input, 0n, deadline);
      const tampered = { ...input, uri: "ipfs://other" };
      await expect(
        datanets
          .connect(relayer)
          .submitContributionWithSignature(1n, alice.address, tampered, 0n, deadline, signature),
      )
        .to.be.revertedWithCustomError(datanets, "InvalidSignature")
        .withArgs(alice.address);
    });

    it("should revert when signed for another datanet", async function () {
      const { datanets, datanetOwner, alice, relayer } = await loadFixture(oneDatanetFixture);
      await datanets.connect(datanetOwner).createDatanet("ipfs://d2", Licence.ALL, Policy.Open);
      const input = contributionInput("signed");
      const deadline = BigInt(await time.latest()) + 3_600n;
      const signature = await signSubmission(datanets, alice, 2n, input, 0n, deadline);
      await expect(
        datanets
          .connect(relayer)
          .submitContributionWithSignature(1n, alice.address, input, 0n, deadline, signature),
      )
        .to.be.revertedWithCustomError(datanets, "InvalidSignature")
        .withArgs(alice.address);
    });

    it("should revert when the signer is not on the allow list", async function () {
      const { datanets, datanetOwner, alice, relayer } = await loadFixture(oneDatanetFixture);
      await datanets.connect(datanetOwner).setContributionPolicy(1n, Policy.AllowList);
      await datanets.connect(datanetOwner).setContributorAllowed(1n, relayer.address, true);
      const input = contributionInput("signed");
      const deadline = BigInt(await time.latest()) + 3_600n;
      const signature = await signSubmission(datanets, alice, 1n, input, 0n, deadline);
      await expect(
        datanets
          .connect(relayer)
          .submitContributionWithSignature(1n, alice.address, input, 0n, deadline, signature),
      )
        .to.be.revertedWithCustomError(datanets, "ContributorNotAllowed")
        .withArgs(1n, alice.address);
    });
  });

  describe("acceptContribution", function () {
    it("should let a curator accept a Pending contribution and count it", async function () {
      const { datanets, curator, id } = await loadFixture(pendingFixture);
      await expect(datanets.connect(curator).acceptContribution(1n, id))
        .to.emit(datanets, "ContributionAccepted")
        .withArgs(1n, id, curator.address);
      expect((await datanets.contribution(1n, id)).status).to.equal(BigInt(Status.Accepted));
      expect((await datanets.datanet(1n)).acceptedCount).to.equal(1n);
    });

    it("should let the owner accept", async function () {
      const { datanets, datanetOwner, id } = await loadFixture(pendingFixture);
      await expect(datanets.connect(datanetOwner).acceptContribution(1n, id))
        .to.emit(datanets, "ContributionAccepted")
        .withArgs(1n, id, datanetOwner.address);
    });

    it("should revert when the caller is neither owner nor curator", async function () {
      const { datanets, alice, id } = await loadFixture(pendingFixture);
      await expect(datanets.connect(alice).acceptContribution(1n, id))
        .to.be.revertedWithCustomError(datanets, "NotCurator")
        .withArgs(1n, alice.address);
    });

    it("should revert when the datanet is unknown", async function () {
      const { datanets, curator, id } = await loadFixture(pendingFixture);
      await expect(datanets.connect(curator).acceptContribution(5n, id))
        .to.be.revertedWithCustomError(datanets, "UnknownDatanet")
        .withArgs(5n);
    });

    it("should revert when the contribution is unknown (or belongs to another datanet)", async function () {
      const { datanets, datanetOwner, curator, id } = await loadFixture(pendingFixture);
      await expect(datanets.connect(curator).acceptContribution(1n, ethers.ZeroHash))
        .to.be.revertedWithCustomError(datanets, "UnknownContribution")
        .withArgs(1n, ethers.ZeroHash);
      await datanets.connect(datanetOwner).createDatanet("ipfs://d2", Licence.ALL, Policy.Open);
      await expect(datanets.connect(datanetOwner).acceptContribution(2n, id))
        .to.be.revertedWithCustomError(datanets, "UnknownContribution")
        .withArgs(2n, id);
    });

    it("should revert when the contribution is not Pending", async function () {
      const { datanets, curator, id } = await loadFixture(pendingFixture);
      await datanets.connect(curator).acceptContribution(1n, id);
      await expect(datanets.connect(curator).acceptContribution(1n, id))
        .to.be.revertedWithCustomError(datanets, "InvalidContributionStatus")
        .withArgs(id, Status.Accepted);
    });
  });

  describe("rejectContribution", function () {
    it("should let a curator reject with a reason code (final)", async function () {
      const { datanets, curator, alice, id } = await loadFixture(pendingFixture);
      await expect(datanets.connect(curator).rejectContribution(1n, id, 7))
        .to.emit(datanets, "ContributionRejected")
        .withArgs(1n, id, curator.address, 7);
      expect((await datanets.contribution(1n, id)).status).to.equal(BigInt(Status.Rejected));
      await expect(datanets.connect(curator).acceptContribution(1n, id))
        .to.be.revertedWithCustomError(datanets, "InvalidContributionStatus")
        .withArgs(id, Status.Rejected);
      await expect(datanets.connect(alice).withdrawContribution(1n, id))
        .to.be.revertedWithCustomError(datanets, "InvalidContributionStatus")
        .withArgs(id, Status.Rejected);
    });

    it("should revert when the caller is neither owner nor curator", async function () {
      const { datanets, bob, id } = await loadFixture(pendingFixture);
      await expect(datanets.connect(bob).rejectContribution(1n, id, 1))
        .to.be.revertedWithCustomError(datanets, "NotCurator")
        .withArgs(1n, bob.address);
    });

    it("should revert when the contribution is unknown", async function () {
      const { datanets, curator } = await loadFixture(pendingFixture);
      const unknown = contributionIdOf(1n, ethers.ZeroAddress, contentHash("nope"));
      await expect(datanets.connect(curator).rejectContribution(1n, unknown, 1))
        .to.be.revertedWithCustomError(datanets, "UnknownContribution")
        .withArgs(1n, unknown);
    });

    it("should revert when the contribution is not Pending", async function () {
      const { datanets, curator, id } = await loadFixture(pendingFixture);
      await datanets.connect(curator).acceptContribution(1n, id);
      await expect(datanets.connect(curator).rejectContribution(1n, id, 1))
        .to.be.revertedWithCustomError(datanets, "InvalidContributionStatus")
        .withArgs(id, Status.Accepted);
    });
  });

  describe("acceptContributions / rejectContributions", function () {
    /** oneDatanetFixture plus three Pending contributions of alice. */
    async function threePendingFixture() {
      const base = await oneDatanetFixture();
      const inputs = ["p1", "p2", "p3"].map((l) => contributionInput(l));
      await base.datanets.connect(base.alice).submitContributions(1n, inputs);
      const ids = inputs.map((i) => contributionIdOf(1n, base.alice.address, i.contentHash));
      return { ...base, ids };
    }

    it("acceptContributions should accept every item, emit one event each and count them", async function () {
      const { datanets, curator, ids } = await loadFixture(threePendingFixture);
      const tx = datanets.connect(curator).acceptContributions(1n, ids);
      for (const id of ids)
        await expect(tx).to.emit(datanets, "ContributionAccepted").withArgs(1n, id, curator.address);
      for (const id of ids)
        expect((await datanets.contribution(1n, id)).status).to.equal(BigInt(Status.Accepted));
      expect((await datanets.datanet(1n)).acceptedCount).to.equal(3n);
    });

    it("rejectContributions should reject every item with the reason code, emit one event each and count none", async function () {
      const { datanets, datanetOwner, ids } = await loadFixture(threePendingFixture);
      const tx = datanets.connect(datanetOwner).rejectContributions(1n, ids, 9);
      for (const id of ids)
        await expect(tx).to.emit(datanets, "ContributionRejected").withArgs(1n, id, datanetOwner.address, 9);
      for (const id of ids)
        expect((await datanets.contribution(1n, id)).status).to.equal(BigInt(Status.Rejected));
      expect((await datanets.datanet(1n)).acceptedCount).to.equal(0n);
    });

    it("should revert EmptyBatch for an empty list", async function () {
      const { datanets, curator } = await loadFixture(threePendingFixture);
      await expect(datanets.connect(curator).acceptContributions(1n, [])).to.be.revertedWithCustomError(
        datanets,
        "EmptyBatch",
      );
      await expect(datanets.connect(curator).rejectContributions(1n, [], 1)).to.be.revertedWithCustomError(
        datanets,
        "EmptyBatch",
      );
    });

    it("should revert NotCurator and UnknownDatanet, changing nothing", async function () {
      const { datanets, alice, curator, ids } = await loadFixture(threePendingFixture);
      await expect(datanets.connect(alice).acceptContributions(1n, ids))
        .to.be.revertedWithCustomError(datanets, "NotCurator")
        .withArgs(1n, alice.address);
      await expect(datanets.connect(alice).rejectContributions(1n, ids, 1))
        .to.be.revertedWithCustomError(datanets, "NotCurator")
        .withArgs(1n, alice.address);
      await expect(datanets.connect(curator).acceptContributions(2n, ids))
        .to.be.revertedWithCustomError(datanets, "UnknownDatanet")
        .withArgs(2n);
      expect((await datanets.contribution(1n, ids[0])).status).to.equal(BigInt(Status.Pending));
    });

    it("should revert as a whole when an item is unknown, not Pending or listed twice", async function () {
      const { datanets, curator, ids } = await loadFixture(threePendingFixture);
      const unknown = contributionIdOf(1n, curator.address, contentHash("nope"));
      await expect(datanets.connect(curator).acceptContributions(1n, [ids[0], unknown]))
        .to.be.revertedWithCustomError(datanets, "UnknownContribution")
        .withArgs(1n, unknown);
      await expect(datanets.connect(curator).acceptContributions(1n, [ids[0], ids[1], ids[0]]))
        .to.be.revertedWithCustomError(datanets, "InvalidContributionStatus")
        .withArgs(ids[0], Status.Accepted);
      await datanets.connect(curator).acceptContribution(1n, ids[2]);
      await expect(datanets.connect(curator).rejectContributions(1n, [ids[0], ids[2]], 1))
        .to.be.revertedWithCustomError(datanets, "InvalidContributionStatus")
        .withArgs(ids[2], Status.Accepted);
      expect((await datanets.contribution(1n, ids[0])).status).to.equal(BigInt(Status.Pending));
      expect((await datanets.datanet(1n)).acceptedCount).to.equal(1n);
    });
  });

  describe("withdrawContribution", function () {
    it("should withdraw a Pending contribution", async function () {
      const { datanets, alice, id } = await loadFixture(pendingFixture);
      await expect(datanets.connect(alice).withdrawContribution(1n, id))
        .to.emit(datanets, "ContributionWithdrawn")
        .withArgs(1n, id, alice.address, Status.Pending);
      expect((await datanets.contribution(1n, id)).status).to.equal(BigInt(Status.Withdrawn));
      expect((await datanets.datanet(1n)).acceptedCount).to.equal(0n);
    });

    it("should withdraw an Accepted contribution and uncount it (final)", async function () {
      const { datanets, alice, curator, id } = await loadFixture(pendingFixture);
      await datanets.connect(curator).acceptContribution(1n, id);
      await expect(datanets.connect(alice).withdrawContribution(1n, id))
        .to.emit(datanets, "ContributionWithdrawn")
        .withArgs(1n, id, alice.address, Status.Accepted);
      expect((await datanets.datanet(1n)).acceptedCount).to.equal(0n);
      await expect(datanets.connect(curator).acceptContribution(1n, id))
        .to.be.revertedWithCustomError(datanets, "InvalidContributionStatus")
        .withArgs(id, Status.Withdrawn);
      await expect(datanets.connect(alice).withdrawContribution(1n, id))
        .to.be.revertedWithCustomError(datanets, "InvalidContributionStatus")
        .withArgs(id, Status.Withdrawn);
    });

    it("should revert when the caller is not the contributor", async function () {
      const { datanets, alice, curator, id } = await loadFixture(pendingFixture);
      await expect(datanets.connect(curator).withdrawContribution(1n, id))
        .to.be.revertedWithCustomError(datanets, "NotContributor")
        .withArgs(id, curator.address, alice.address);
    });

    it("should revert when the contribution is unknown", async function () {
      const { datanets, alice } = await loadFixture(pendingFixture);
      await expect(datanets.connect(alice).withdrawContribution(1n, ethers.ZeroHash))
        .to.be.revertedWithCustomError(datanets, "UnknownContribution")
        .withArgs(1n, ethers.ZeroHash);
    });
  });

  describe("publishVersion", function () {
    it("should publish numbered versions with a parent", async function () {
      const { datanets, curator, datanetOwner, tree1 } = await loadFixture(registriesFixture);
      const published = await datanets.version(1n, 1n);
      expect(published.merkleRoot).to.equal(tree1.root);
      expect(published.contributionCount).to.equal(4n);
      expect(published.parentVersion).to.equal(0n);
      const root = contentHash("v2");
      await expect(datanets.connect(curator).publishVersion(1n, root, 3n, 1, "ipfs://v2"))
        .to.emit(datanets, "VersionPublished")
        .withArgs(1n, 2n, curator.address, root, 3n, 1n, "ipfs://v2");
      const v2 = await datanets.version(1n, 2n);
      expect(v2.merkleRoot).to.equal(root);
      expect(v2.parentVersion).to.equal(1n);
      expect(v2.publishedAt).to.equal(BigInt(await time.latest()));
      const [n, latest] = await datanets.latestVersion(1n);
      expect(n).to.equal(2n);
      expect(latest.merkleRoot).to.equal(root);
      await expect(datanets.connect(datanetOwner).publishVersion(1n, root, 4n, 0, "ipfs://v3"))
        .to.emit(datanets, "VersionPublished")
        .withArgs(1n, 3n, datanetOwner.address, root, 4n, 0n, "ipfs://v3");
      expect((await datanets.datanet(1n)).versionCount).to.equal(3n);
    });

    it("should revert when the caller is neither owner nor curator", async function () {
      const { datanets, alice } = await loadFixture(registriesFixture);
      await expect(datanets.connect(alice).publishVersion(1n, contentHash("r"), 1n, 0, ""))
        .to.be.revertedWithCustomError(datanets, "NotCurator")
        .withArgs(1n, alice.address);
    });

    it("should revert when the datanet is unknown", async function () {
      const { datanets, alice } = await loadFixture(registriesFixture);
      await expect(datanets.connect(alice).publishVersion(3n, contentHash("r"), 1n, 0, ""))
        .to.be.revertedWithCustomError(datanets, "UnknownDatanet")
        .withArgs(3n);
    });

    it("should revert when the root is zero", async function () {
      const { datanets, curator } = await loadFixture(registriesFixture);
      await expect(
        datanets.connect(curator).publishVersion(1n, ethers.ZeroHash, 1n, 0, ""),
      ).to.be.revertedWithCustomError(datanets, "EmptyMerkleRoot");
    });

    it("should revert when the count is zero or above the accepted contributions", async function () {
      const { datanets, curator } = await loadFixture(registriesFixture);
      await expect(datanets.connect(curator).publishVersion(1n, contentHash("r"), 0n, 0, ""))
        .to.be.revertedWithCustomError(datanets, "InvalidContributionCount")
        .withArgs(1n, 0n, 4n);
      await expect(datanets.connect(curator).publishVersion(1n, contentHash("r"), 5n, 0, ""))
        .to.be.revertedWithCustomError(datanets, "InvalidContributionCount")
        .withArgs(1n, 5n, 4n);
    });

    it("should revert when the parent version does not exist", async function () {
      const { datanets, curator } = await loadFixture(registriesFixture);
      await expect(datanets.connect(curator).publishVersion(1n, contentHash("r"), 1n, 2, ""))
        .to.be.revertedWithCustomError(datanets, "UnknownVersion")
        .withArgs(1n, 2n);
    });
  });

  describe("version / latestVersion / versionLicence", function () {
    it("should revert for unknown datanets and versions", async function () {
      const { datanets, datanetOwner } = await loadFixture(registriesFixture);
      await expect(datanets.version(9n, 1n))
        .to.be.revertedWithCustomError(datanets, "UnknownDatanet")
        .withArgs(9n);
      await expect(datanets.version(1n, 0n))
        .to.be.revertedWithCustomError(datanets, "UnknownVersion")
        .withArgs(1n, 0n);
      await expect(datanets.version(1n, 2n))
        .to.be.revertedWithCustomError(datanets, "UnknownVersion")
        .withArgs(1n, 2n);
      await expect(datanets.latestVersion(9n))
        .to.be.revertedWithCustomError(datanets, "UnknownDatanet")
        .withArgs(9n);
      await datanets.connect(datanetOwner).createDatanet("ipfs://d3", Licence.ALL, Policy.Open);
      await expect(datanets.latestVersion(3n))
        .to.be.revertedWithCustomError(datanets, "UnknownVersion")
        .withArgs(3n, 0n);
    });

    it("should report version existence and licence in one call", async function () {
      const { datanets } = await loadFixture(registriesFixture);
      expect(await datanets.versionLicence(2n, 1n)).to.deep.equal([
        true,
        BigInt(Licence.RESEARCH | Licence.FINE_TUNING | Licence.DERIVATIVES),
      ]);
      expect(await datanets.versionLicence(2n, 2n)).to.deep.equal([
        false,
        BigInt(Licence.RESEARCH | Licence.FINE_TUNING | Licence.DERIVATIVES),
      ]);
      expect(await datanets.versionLicence(2n, 0n)).to.deep.equal([
        false,
        BigInt(Licence.RESEARCH | Licence.FINE_TUNING | Licence.DERIVATIVES),
      ]);
      expect(await datanets.versionLicence(9n, 1n)).to.deep.equal([false, 0n]);
    });
  });

  describe("verifyContribution", function () {
    it("should verify every accepted contribution of a version with a StandardMerkleTree proof", async function () {
      const { datanets, tree1, entries1, tree2, entries2 } = await loadFixture(registriesFixture);
      for (const e of entries1) {
        expect(
          await datanets.verifyContribution(
            1n,
            1n,
            e.contributionId,
            e.contributor,
            e.contentHash,
            proofOf(tree1, e),
          ),
        ).to.equal(true);
      }
      for (const e of entries2) {
        expect(
          await datanets.verifyContribution(
            2n,
            1n,
            e.contributionId,
            e.contributor,
            e.contentHash,
            proofOf(tree2, e),
          ),
        ).to.equal(true);
      }
    });

    it("should return false for a wrong contributor, content, datanet binding or proof", async function () {
      const { datanets, tree1, entries1, bob } = await loadFixture(registriesFixture);
      const e = entries1[0];
      const proof = proofOf(tree1, e);
      expect(
        await datanets.verifyContribution(1n, 1n, e.contributionId, bob.address, e.contentHash, proof),
      ).to.equal(false);
      expect(
        await datanets.verifyContribution(1n, 1n, e.contributionId, e.contributor, contentHash("x"), proof),
      ).to.equal(false);
      expect(
        await datanets.verifyContribution(
          1n,
          1n,
          e.contributionId,
          e.contributor,
          e.contentHash,
          proofOf(tree1, entries1[1]),
        ),
      ).to.equal(false);
    });

    it("should return false once the contribution is withdrawn, even with a valid proof", async function () {
      const { datanets, tree1, entries1, alice } = await loadFixture(registriesFixture);
      const e = entries1[0];
      await datanets.connect(alice).withdrawContribution(1n, e.contributionId);
      expect(
        await datanets.verifyContribution(
          1n,
          1n,
          e.contributionId,
          e.contributor,
          e.contentHash,
          proofOf(tree1, e),
        ),
      ).to.equal(false);
    });

    it("should return false for a contribution that is only Pending, even if a tree contains it", async function () {
      const { datanets, curator, alice } = await loadFixture(registriesFixture);
      const input = contributionInput("late");
      await datanets.connect(alice).submitContribution(1n, input);
      const e = {
        contributionId: contributionIdOf(1n, alice.address, input.contentHash),
        contributor: alice.address,
        contentHash: input.contentHash,
      };
      const tree = buildVersionTree([e, { ...e, contributionId: contentHash("pad") }]);
      await datanets.connect(curator).publishVersion(1n, tree.root, 2n, 1, "");
      expect(
        await datanets.verifyContribution(
          1n,
          2n,
          e.contributionId,
          e.contributor,
          e.contentHash,
          proofOf(tree, e),
        ),
      ).to.equal(false);
    });

    it("should revert for an unknown datanet or version", async function () {
      const { datanets, entries1 } = await loadFixture(registriesFixture);
      const e = entries1[0];
      await expect(datanets.verifyContribution(9n, 1n, e.contributionId, e.contributor, e.contentHash, []))
        .to.be.revertedWithCustomError(datanets, "UnknownDatanet")
        .withArgs(9n);
      await expect(datanets.verifyContribution(1n, 2n, e.contributionId, e.contributor, e.contentHash, []))
        .to.be.revertedWithCustomError(datanets, "UnknownVersion")
        .withArgs(1n, 2n);
    });
  });
});

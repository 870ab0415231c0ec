import { expect } from "chai";
import {
  Licence,
  Policy,
  contentHash,
  deployRegistriesFixture,
  ethers,
  networkHelpers,
  registriesFixture,
  type TrainingInput,
} from "../fixtures/registries.js";

const { loadFixture } = networkHelpers;

/** Training on datanet 1 v1 only (all uses allowed). */
const ONLY_D1: TrainingInput[] = [{ datanetId: 1n, versionNumber: 1n, weightBps: 10_000n }];

function asTuples(inputs: TrainingInput[]): [bigint, bigint, bigint][] {
  return inputs.map((t) => [t.datanetId, t.versionNumber, t.weightBps]);
}

describe("ModelRegistry", function () {
  describe("constructor", function () {
    it("should keep the datanet registry", async function () {
      const { models, datanets } = await loadFixture(deployRegistriesFixture);
      expect(await models.datanetRegistry()).to.equal(await datanets.getAddress());
      expect(await models.MAX_LINEAGE_DEPTH()).to.equal(16n);
      expect(await models.MAX_TRAINING_INPUTS()).to.equal(32n);
    });

    it("should revert when the datanet registry is the zero address", async function () {
      const { models } = await loadFixture(deployRegistriesFixture);
      await expect(
        ethers.deployContract("ModelRegistry", [ethers.ZeroAddress]),
      ).to.be.revertedWithCustomError(models, "ZeroAddress");
    });
  });

  describe("registerModel", function () {
    it("should revert when the price is above MAX_PRICE_PER_UNIT, registering nothing", async function () {
      const { models, modelOwner, modelInput } = await loadFixture(registriesFixture);
      const tooHigh = 2n ** 80n;
      await expect(models.connect(modelOwner).registerModel({ ...modelInput, pricePerUnit: tooHigh }))
        .to.be.revertedWithCustomError(models, "PriceTooHigh")
        .withArgs(tooHigh, tooHigh - 1n);
      expect(await models.modelCount()).to.equal(1n);
    });

    it("should register model 1 with its version 1, training inputs and datanet index", async function () {
      const { models, modelOwner, modelInput } = await loadFixture(registriesFixture);
      expect(await models.modelCount()).to.equal(1n);
      expect(await models.modelExists(1n)).to.equal(true);
      expect(await models.modelExists(0n)).to.equal(false);
      expect(await models.modelExists(2n)).to.equal(false);
      const m = await models.model(1n);
      expect(m.owner).to.equal(modelOwner.address);
      expect(m.pricePerUnit).to.equal(modelInput.pricePerUnit);
      expect(m.baseModelId).to.equal(0n);
      expect(m.versionCount).to.equal(1n);
      expect(m.declaredUses).to.equal(BigInt(Licence.RESEARCH));
      expect(m.retired).to.equal(false);
      expect(m.lineageDepth).to.equal(0n);
      const [artifact, inputs] = await models.modelVersion(1n, 1n);
      expect(artifact).to.equal(modelInput.artifactHash);
      expect(inputs.map((t) => [t.datanetId, t.versionNumber, t.weightBps])).to.deep.equal(
        asTuples(modelInput.trainingInputs),
      );
      expect(await models.datanetModels(1n)).to.deep.equal([1n]);
      expect(await models.datanetModels(2n)).to.deep.equal([1n]);
      expect(await models.paymentTerms(1n)).to.deep.equal([
        modelOwner.address,
        0n,
        modelInput.pricePerUnit,
        false,
      ]);
    });

    it("should emit ModelRegistered and ModelVersionAdded", async function () {
      const { models, alice, modelInput } = await loadFixture(registriesFixture);
      const input = {
        ...modelInput,
        metadataURI: "ipfs://m2",
        artifactHash: contentHash("m2"),
        baseModelId: 1n,
      };
      const tx = models.connect(alice).registerModel(input);
      await expect(tx)
        .to.emit(models, "ModelRegistered")
        .withArgs(2n, alice.address, 1n, Licence.RESEARCH, modelInput.pricePerUnit, "ipfs://m2");
      await expect(tx)
        .to.emit(models, "ModelVersionAdded")
        .withArgs(2n, 1n, input.artifactHash, asTuples(input.trainingInputs));
    });

    it("should store up to 32 inputs across packed words and read them back in order", async function () {
      const { datanets, models, datanetOwner, alice, modelInput } = await loadFixture(registriesFixture);
      const trainingInputs: TrainingInput[] = [];
      for (let i = 0; i < 32; i++) {
        await datanets.connect(datanetOwner).createDatanet("", Licence.ALL, Policy.Open);
        const id = await datanets.datanetCount();
        const input = { contentHash: contentHash(`c${i}`), uri: "", size: 1n, kind: 0 };
        await datanets.connect(alice).submitContribution(id, input);
        await datanets
          .connect(datanetOwner)
          .acceptContribution(id, await datanets.contributionIdOf(id, alice.address, input.contentHash));
        await datanets.connect(datanetOwner).publishVersion(id, contentHash(`r${i}`), 1n, 0, "");
        trainingInputs.push({ datanetId: id, versionNumber: 1n, weightBps: i < 16 ? 313n : 312n });
      }
      await models.connect(alice).registerModel({ ...modelInput, trainingInputs });
      const stored = await models.trainingInputs(2n, 1n);
      expect(stored.map((t) => [t.datanetId, t.versionNumber, t.weightBps])).to.deep.equal(
        asTuples(trainingInputs),
      );
      expect(await models.datanetModels(34n)).to.deep.equal([2n]);
    });

    it("should list up to many models per datanet across packed words", async function () {
      const { models, alice, modelInput } = await loadFixture(registriesFixture);
      for (let i = 0; i < 17; i++) {
        await models
          .connect(alice)
          .registerModel({ ...modelInput, artifactHash: contentHash(`m${i}`), trainingInputs: ONLY_D1 });
      }
      const expected = Array.from({ length: 18 }, (_, i) => BigInt(i + 1));
      expect(await models.datanetModels(1n)).to.deep.equal(expected);
      expect(await models.datanetModels(2n)).to.deep.equal([1n]);
      expect(await models.datanetModels(3n)).to.deep.equal([]);
    });

    it("should record lineage of derived models", async function () {
      const { models, alice, modelInput } = await loadFixture(registriesFixture);
      await models.connect(alice).registerModel({ ...modelInput, baseModelId: 1n });
      await models.connect(alice).registerModel({ ...modelInput, baseModelId: 2n });
      expect(await models.lineage(3n)).to.deep.equal([2n, 1n]);
      expect(await models.lineage(1n)).to.deep.equal([]);
      expect((await models.model(3n)).lineageDepth).to.equal(2n);
      expect((await models.paymentTerms(3n))[1]).to.equal(2n);
    });

    it("should revert when the artifact hash is zero", async function () {
      const { models, alice, modelInput } = await loadFixture(registriesFixture);
      await expect(
        models.connect(alice).registerModel({ ...modelInput, artifactHash: ethers.ZeroHash }),
      ).to.be.revertedWithCustomError(models, "EmptyArtifactHash");
    });

    it("should revert when the declared uses are empty or reserved", async function () {
      const { models, alice, modelInput } = await loadFixture(registriesFixture);
      await expect(models.connect(alice).registerModel({ ...modelInput, declaredUses: 0 }))
        .to.be.revertedWithCustomError(models, "InvalidDeclaredUses")
        .withArgs(0);
      await expect(models.connect(alice).registerModel({ ...modelInput, declaredUses: 64 }))
        .to.be.revertedWithCustomError(models, "InvalidDeclaredUses")
        .withArgs(64);
    });

    it("should revert when the base model does not exist", async function () {
      const { models, alice, modelInput } = await loadFixture(registriesFixture);
      await expect(models.connect(alice).registerModel({ ...modelInput, baseModelId: 2n }))
        .to.be.revertedWithCustomError(models, "UnknownBaseModel")
        .withArgs(2n);
    });

    it("should revert when the lineage would exceed 16 bases", async function () {
      const { models, alice, modelInput } = await loadFixture(registriesFixture);
      for (let base = 1n; base <= 16n; base++) {
        await models
          .connect(alice)
          .registerModel({ ...modelInput, baseModelId: base, trainingInputs: ONLY_D1 });
      }
      expect((await models.model(17n)).lineageDepth).to.equal(16n);
      expect((await models.lineage(17n)).length).to.equal(16);
      await expect(
        models.connect(alice).registerModel({ ...modelInput, baseModelId: 17n, trainingInputs: ONLY_D1 }),
      )
        .to.be.revertedWithCustomError(models, "LineageTooDeep")
        .withArgs(17n, 16n);
    });

    it("should revert when there are no or too many training inputs", async function () {
      const { models, alice, modelInput } = await loadFixture(registriesFixture);
      await expect(models.connect(alice).registerModel({ ...modelInput, trainingInputs: [] }))
        .to.be.revertedWithCustomError(models, "InvalidTrainingInputCount")
        .withArgs(0n);
      const many = Array.from({ length: 33 }, (_, i) => ({
        datanetId: BigInt(i + 1),
        versionNumber: 1n,
        weightBps: 1n,
      }));
      await expect(models.connect(alice).registerModel({ ...modelInput, trainingInputs: many }))
        .to.be.revertedWithCustomError(models, "InvalidTrainingInputCount")
        .withArgs(33n);
    });

    it("should revert when a weight is zero", async function () {
      const { models, alice, modelInput } = await loadFixture(registriesFixture);
      const trainingInputs = [
        { datanetId: 1n, versionNumber: 1n, weightBps: 10_000n },
        { datanetId: 2n, versionNumber: 1n, weightBps: 0n },
      ];
      await expect(models.connect(alice).registerModel({ ...modelInput, trainingInputs }))
        .to.be.revertedWithCustomError(models, "ZeroWeight")
        .withArgs(2n);
    });

    it("should revert when the weights do not sum to 10,000", async function () {
      const { models, alice, modelInput } = await loadFixture(registriesFixture);
      for (const [a, b] of [
        [6_000n, 3_999n],
        [6_000n, 4_001n],
      ]) {
        const trainingInputs = [
          { datanetId: 1n, versionNumber: 1n, weightBps: a },
          { datanetId: 2n, versionNumber: 1n, weightBps: b },
        ];
        await expect(models.connect(alice).registerModel({ ...modelInput, trainingInputs }))
          .to.be.revertedWithCustomError(models, "WeightsDoNotSum")
          .withArgs(a + b);
      }
    });

    it("should revert when a datanet appears twice", async function () {
      const { models, alice, modelInput } = await loadFixture(registriesFixture);
      const trainingInputs = [
        { datanetId: 1n, versionNumber: 1n, weightBps: 5_000n },
        { datanetId: 1n, versionNumber: 1n, weightBps: 5_000n },
      ];
      await expect(models.connect(alice).registerModel({ ...modelInput, trainingInputs }))
        .to.be.revertedWithCustomError(models, "DuplicateDatanet")
        .withArgs(1n);
    });

    it("should revert when a datanet or its version does not exist", async function () {
      const { models, alice, modelInput } = await loadFixture(registriesFixture);
      for (const [d, v] of [
        [1n, 2n],
        [1n, 0n],
        [9n, 1n],
      ]) {
        const trainingInputs = [{ datanetId: d, versionNumber: v, weightBps: 10_000n }];
        await expect(models.connect(alice).registerModel({ ...modelInput, trainingInputs }))
          .to.be.revertedWithCustomError(models, "UnknownDatanetVersion")
          .withArgs(d, v);
      }
    });

    it("should revert when a datanet's licence forbids a declared use", async function () {
      const { models, alice, modelInput } = await loadFixture(registriesFixture);
      const uses = Licence.RESEARCH | Licence.COMMERCIAL_INFERENCE;
      await expect(models.connect(alice).registerModel({ ...modelInput, declaredUses: uses }))
        .to.be.revertedWithCustomError(models, "LicenceForbidsUse")
        .withArgs(2n, uses, Licence.RESEARCH | Licence.FINE_TUNING | Licence.DERIVATIVES);
      await expect(
        models.connect(alice).registerModel({ ...modelInput, declaredUses: uses, trainingInputs: ONLY_D1 }),
      ).to.emit(models, "ModelRegistered");
      expect(await models.modelCount()).to.equal(2n);
    });
  });

  describe("addVersion", function () {
    it("should add a version and index newly used datanets once", async function () {
      const { datanets, models, modelOwner, datanetOwner, curator } = await loadFixture(registriesFixture);
      await datanets.connect(curator).publishVersion(1n, contentHash("v2"), 4n, 1, "");
      const inputs: TrainingInput[] = [
        { datanetId: 1n, versionNumber: 2n, weightBps: 7_000n },
        { datanetId: 2n, versionNumber: 1n, weightBps: 3_000n },
      ];
      const artifact = contentHash("m1v2");
      await expect(models.connect(modelOwner).addVersion(1n, artifact, inputs))
        .to.emit(models, "ModelVersionAdded")
        .withArgs(1n, 2n, artifact, asTuples(inputs));
      expect((await models.model(1n)).versionCount).to.equal(2n);
      const [a, stored] = await models.modelVersion(1n, 2n);
      expect(a).to.equal(artifact);
      expect(stored.map((t) => [t.datanetId, t.versionNumber, t.weightBps])).to.deep.equal(asTuples(inputs));
      expect(await models.datanetModels(1n)).to.deep.equal([1n]);

      // A datanet first used in version 3 is indexed once, even when version 4 uses it again.
      await datanets.connect(datanetOwner).createDatanet("", Licence.ALL, Policy.Open);
      const input = { contentHash: contentHash("d3"), uri: "", size: 1n, kind: 0 };
      await datanets.connect(datanetOwner).submitContribution(3n, input);
      await datanets
        .connect(datanetOwner)
        .acceptContribution(3n, await datanets.contributionIdOf(3n, datanetOwner.address, input.contentHash));
      await datanets.connect(datanetOwner).publishVersion(3n, contentHash("r3"), 1n, 0, "");
      const only3 = [{ datanetId: 3n, versionNumber: 1n, weightBps: 10_000n }];
      await models.connect(modelOwner).addVersion(1n, contentHash("m1v3"), only3);
      await models.connect(modelOwner).addVersion(1n, contentHash("m1v4"), only3);
      expect(await models.datanetModels(3n)).to.deep.equal([1n]);
      expect((await models.model(1n)).versionCount).to.equal(4n);
    });

    it("should index a new datanet once when version 1 spans more than one packed word", async function () {
      const { datanets, models, datanetOwner } = await loadFixture(registriesFixture);
      // Datanets 3..7, each with one accepted contribution and a version.
      for (let d = 3n; d <= 7n; d++) {
        await datanets.connect(datanetOwner).createDatanet("", Licence.ALL, Policy.Open);
        const input = { contentHash: contentHash(`d${d}`), uri: "", size: 1n, kind: 0 };
        await datanets.connect(datanetOwner).submitContribution(d, input);
        await datanets
          .connect(datanetOwner)
          .acceptContribution(d, await datanets.contributionIdOf(d, datanetOwner.address, input.contentHash));
        await datanets.connect(datanetOwner).publishVersion(d, contentHash(`r${d}`), 1n, 0, "");
      }
      // Version 1 on datanets 3..6: four inputs, more than the three that fit one word.
      const four = [3n, 4n, 5n, 6n].map((d) => ({ datanetId: d, versionNumber: 1n, weightBps: 2_500n }));
      const [, , , , owner] = await ethers.getSigners();
      const tx = await models.connect(owner).registerModel({
        metadataURI: "",
        artifactHash: contentHash("wide"),
        baseModelId: 0n,
        declaredUses: Licence.RESEARCH,
        pricePerUnit: 1n,
        trainingInputs: four,
      });
      await tx.wait();
      const modelId = await models.modelCount();
      // Version 2 adds datanet 7: every input of version 1 is scanned (second word included).
      const withSeven = [...four.slice(0, 3), { datanetId: 7n, versionNumber: 1n, weightBps: 2_500n }];
      await models.connect(owner).addVersion(modelId, contentHash("wide2"), withSeven);
      expect(await models.datanetModels(7n)).to.deep.equal([modelId]);
      expect(await models.datanetModels(6n)).to.deep.equal([modelId]);
    });

    it("should revert when the model is unknown", async function () {
      const { models, modelOwner } = await loadFixture(registriesFixture);
      await expect(models.connect(modelOwner).addVersion(2n, contentHash("x"), ONLY_D1))
        .to.be.revertedWithCustomError(models, "UnknownModel")
        .withArgs(2n);
    });

    it("should revert when the caller is not the owner", async function () {
      const { models, alice } = await loadFixture(registriesFixture);
      await expect(models.connect(alice).addVersion(1n, contentHash("x"), ONLY_D1))
        .to.be.revertedWithCustomError(models, "NotModelOwner")
        .withArgs(1n, alice.address);
    });

    it("should revert when the model is retired", async function () {
      const { models, modelOwner } = await loadFixture(registriesFixture);
      await models.connect(modelOwner).retire(1n);
      await expect(models.connect(modelOwner).addVersion(1n, contentHash("x"), ONLY_D1))
        .to.be.revertedWithCustomError(models, "ModelIsRetired")
        .withArgs(1n);
    });

    it("should revert when the artifact hash is zero", async function () {
      const { models, modelOwner } = await loadFixture(registriesFixture);
      await expect(
        models.connect(modelOwner).addVersion(1n, ethers.ZeroHash, ONLY_D1),
      ).to.be.revertedWithCustomError(models, "EmptyArtifactHash");
    });

    it("should apply the training-input checks with the model's declared uses", async function () {
      const { models, modelOwner, datanetOwner, datanets } = await loadFixture(registriesFixture);
      await expect(models.connect(modelOwner).addVersion(1n, contentHash("x"), []))
        .to.be.revertedWithCustomError(models, "InvalidTrainingInputCount")
        .withArgs(0n);
      await expect(
        models
          .connect(modelOwner)
          .addVersion(1n, contentHash("x"), [{ datanetId: 1n, versionNumber: 1n, weightBps: 9_999n }]),
      )
        .to.be.revertedWithCustomError(models, "WeightsDoNotSum")
        .withArgs(9_999n);
      await expect(
        models
          .connect(modelOwner)
          .addVersion(1n, contentHash("x"), [{ datanetId: 1n, versionNumber: 3n, weightBps: 10_000n }]),
      )
        .to.be.revertedWithCustomError(models, "UnknownDatanetVersion")
        .withArgs(1n, 3n);
      // A datanet that forbids research use.
      await datanets.connect(datanetOwner).createDatanet("", Licence.COMMERCIAL_INFERENCE, Policy.Open);
      const input = { contentHash: contentHash("d3"), uri: "", size: 1n, kind: 0 };
      await datanets.connect(datanetOwner).submitContribution(3n, input);
      await datanets
        .connect(datanetOwner)
        .acceptContribution(3n, await datanets.contributionIdOf(3n, datanetOwner.address, input.contentHash));
      await datanets.connect(datanetOwner).publishVersion(3n, contentHash("r3"), 1n, 0, "");
      await expect(
        models
          .connect(modelOwner)
          .addVersion(1n, contentHash("x"), [{ datanetId: 3n, versionNumber: 1n, weightBps: 10_000n }]),
      )
        .to.be.revertedWithCustomError(models, "LicenceForbidsUse")
        .withArgs(3n, Licence.RESEARCH, Licence.COMMERCIAL_INFERENCE);
      expect((await models.model(1n)).versionCount).to.equal(1n);
    });
  });

  describe("setPrice", function () {
    it("should set the price", async function () {
      const { models, modelOwner } = await loadFixture(registriesFixture);
      await expect(models.connect(modelOwner).setPrice(1n, 5n)).to.emit(models, "PriceSet").withArgs(1n, 5n);
      expect((await models.paymentTerms(1n))[2]).to.equal(5n);
    });

    it("should revert when the caller is not the owner", async function () {
      const { models, alice } = await loadFixture(registriesFixture);
      await expect(models.connect(alice).setPrice(1n, 5n))
        .to.be.revertedWithCustomError(models, "NotModelOwner")
        .withArgs(1n, alice.address);
    });

    it("should accept MAX_PRICE_PER_UNIT and revert above it, changing nothing", async function () {
      const { models, modelOwner } = await loadFixture(registriesFixture);
      const max = await models.MAX_PRICE_PER_UNIT();
      expect(max).to.equal(2n ** 80n - 1n);
      await models.connect(modelOwner).setPrice(1n, max);
      expect((await models.model(1n)).pricePerUnit).to.equal(max);
      await expect(models.connect(modelOwner).setPrice(1n, max + 1n))
        .to.be.revertedWithCustomError(models, "PriceTooHigh")
        .withArgs(max + 1n, max);
      expect((await models.paymentTerms(1n))[2]).to.equal(max);
    });

    it("should revert when the model is unknown", async function () {
      const { models, alice } = await loadFixture(registriesFixture);
      await expect(models.connect(alice).setPrice(4n, 5n))
        .to.be.revertedWithCustomError(models, "UnknownModel")
        .withArgs(4n);
    });
  });

  describe("retire", function () {
    it("should retire the model irreversibly", async function () {
      const { models, modelOwner } = await loadFixture(registriesFixture);
      await expect(models.connect(modelOwner).retire(1n)).to.emit(models, "ModelRetired").withArgs(1n);
      expect((await models.paymentTerms(1n))[3]).to.equal(true);
      await expect(models.connect(modelOwner).retire(1n))
        .to.be.revertedWithCustomError(models, "ModelIsRetired")
        .withArgs(1n);
    });

    it("should revert when the caller is not the owner", async function () {
      const { models, alice } = await loadFixture(registriesFixture);
      await expect(models.connect(alice).retire(1n))
        .to.be.revertedWithCustomError(models, "NotModelOwner")
        .withArgs(1n, alice.address);
    });
  });

  describe("transferOwnership / acceptOwnership", function () {
    it("should transfer ownership in two steps", async function () {
      const { models, modelOwner, alice } = await loadFixture(registriesFixture);
      await expect(models.connect(modelOwner).transferOwnership(1n, alice.address))
        .to.emit(models, "OwnershipTransferStarted")
        .withArgs(1n, modelOwner.address, alice.address);
      expect((await models.model(1n)).pendingOwner).to.equal(alice.address);
      expect((await models.paymentTerms(1n))[0]).to.equal(modelOwner.address);
      await expect(models.connect(alice).acceptOwnership(1n))
        .to.emit(models, "OwnershipTransferred")
        .withArgs(1n, modelOwner.address, alice.address);
      const m = await models.model(1n);
      expect(m.owner).to.equal(alice.address);
      expect(m.pendingOwner).to.equal(ethers.ZeroAddress);
      expect((await models.paymentTerms(1n))[0]).to.equal(alice.address);
    });

    it("should revert when the caller is not the owner", async function () {
      const { models, alice } = await loadFixture(registriesFixture);
      await expect(models.connect(alice).transferOwnership(1n, alice.address))
        .to.be.revertedWithCustomError(models, "NotModelOwner")
        .withArgs(1n, alice.address);
    });

    it("should revert when the new owner is the zero address", async function () {
      const { models, modelOwner } = await loadFixture(registriesFixture);
      await expect(
        models.connect(modelOwner).transferOwnership(1n, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(models, "ZeroAddress");
    });

    it("should revert when someone other than the pending owner accepts", async function () {
      const { models, modelOwner, alice, bob } = await loadFixture(registriesFixture);
      await models.connect(modelOwner).transferOwnership(1n, alice.address);
      await expect(models.connect(bob).acceptOwnership(1n))
        .to.be.revertedWithCustomError(models, "NotPendingOwner")
        .withArgs(1n, bob.address);
    });
  });

  describe("views", function () {
    it("should revert for unknown models and versions", async function () {
      const { models } = await loadFixture(registriesFixture);
      for (const id of [0n, 2n]) {
        await expect(models.model(id)).to.be.revertedWithCustomError(models, "UnknownModel").withArgs(id);
        await expect(models.paymentTerms(id))
          .to.be.revertedWithCustomError(models, "UnknownModel")
          .withArgs(id);
        await expect(models.lineage(id)).to.be.revertedWithCustomError(models, "UnknownModel").withArgs(id);
        await expect(models.modelVersion(id, 1n))
          .to.be.revertedWithCustomError(models, "UnknownModel")
          .withArgs(id);
      }
      for (const v of [0n, 2n]) {
        await expect(models.modelVersion(1n, v))
          .to.be.revertedWithCustomError(models, "UnknownModelVersion")
          .withArgs(1n, v);
        await expect(models.trainingInputs(1n, v))
          .to.be.revertedWithCustomError(models, "UnknownModelVersion")
          .withArgs(1n, v);
      }
    });
  });
});

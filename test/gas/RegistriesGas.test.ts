import { expect } from "chai";
import { SUBMIT_CONTRIBUTION_TYPES } from "../../src/sdk/datanets.js";
import type { ContractTransactionResponse } from "ethers";
import {
  Licence,
  Policy,
  contentHash,
  contributionIdOf,
  contributionInput,
  ethers,
  networkHelpers,
  registriesFixture,
} from "../fixtures/registries.js";

const { loadFixture } = networkHelpers;

/** Budgets from issue 3 (production profile, receipt gasUsed). */
const BUDGET = {
  submit: 60_000n,
  batchItem: 30_000n,
  registerThreeDatanets: 180_000n,
};

/**
 * Recorded figures (production profile). A change fails with the old and new figure; update the
 * pin deliberately, with the reason in the commit.
 */
const PINNED = {
  submit: 53_274n,
  batchItem: 29_606n,
  signedSubmit: 85_932n,
  accept: 39_643n,
  acceptBatchItem: 8_311n,
  rejectBatchItem: 8_550n,
  publishVersion: 82_958n,
  registerOneDatanet: 143_267n,
  registerThreeDatanets: 169_817n,
  registerThreeFreshDatanets: 221_117n,
  addVersion: 99_248n,
};

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("no receipt");
  return receipt.gasUsed;
}

function pin(name: keyof typeof PINNED, measured: bigint, budget?: bigint): void {
  console.log(`      gas ${name}: ${measured}`);
  if (budget !== undefined) {
    expect(measured <= budget, `${name}: ${measured} gas is over the budget of ${budget}`).to.equal(true);
  }
  expect(measured, `${name}: pinned ${PINNED[name]}, measured ${measured}`).to.equal(PINNED[name]);
}

/** Creates three datanets (all uses, Open) with one accepted contribution and a version each. */
async function threeDatanetsWithVersions(ctx: Awaited<ReturnType<typeof registriesFixture>>) {
  const { datanets, datanetOwner, alice } = ctx;
  const ids: bigint[] = [];
  for (let i = 0; i < 3; i++) {
    await datanets.connect(datanetOwner).createDatanet(`ipfs://extra-${i}`, Licence.ALL, Policy.Open);
    const id = await datanets.datanetCount();
    const input = contributionInput(`extra-${i}`);
    await datanets.connect(alice).submitContribution(id, input);
    await datanets
      .connect(datanetOwner)
      .acceptContribution(id, contributionIdOf(id, alice.address, input.contentHash));
    await datanets.connect(datanetOwner).publishVersion(id, contentHash(`root-${i}`), 1n, 0, "ipfs://v1");
    ids.push(id);
  }
  return ids;
}

describe("Registries gas @gas", function () {
  it("submit one contribution", async function () {
    const { datanets, alice } = await loadFixture(registriesFixture);
    pin(
      "submit",
      await gasOf(datanets.connect(alice).submitContribution(1n, contributionInput("gas-1"))),
      BUDGET.submit,
    );
  });

  it("each contribution in a batch of 100", async function () {
    const { datanets, alice } = await loadFixture(registriesFixture);
    const inputs = Array.from({ length: 100 }, (_, i) => contributionInput(`batch-${i}`));
    const total = await gasOf(datanets.connect(alice).submitContributions(1n, inputs));
    pin("batchItem", total / 100n, BUDGET.batchItem);
  });

  it("signed submission relayed by another account", async function () {
    const { datanets, alice, relayer } = await loadFixture(registriesFixture);
    const input = contributionInput("signed-1");
    const { chainId } = await ethers.provider.getNetwork();
    const domain = {
      name: "OpenLedger Datanet Registry",
      version: "1",
      chainId,
      verifyingContract: await datanets.getAddress(),
    };
    const types = SUBMIT_CONTRIBUTION_TYPES;
    const deadline = 2n ** 40n;
    const message = { datanetId: 1n, contributor: alice.address, ...input, nonce: 0n, deadline };
    const signature = await alice.signTypedData(domain, types, message);
    pin(
      "signedSubmit",
      await gasOf(
        datanets
          .connect(relayer)
          .submitContributionWithSignature(1n, alice.address, input, 0n, deadline, signature),
      ),
    );
  });

  it("each contribution accepted in a batch of 100 (acceptContributions)", async function () {
    const { datanets, alice, curator } = await loadFixture(registriesFixture);
    const inputs = Array.from({ length: 100 }, (_, i) => contributionInput(`accept-batch-${i}`));
    await datanets.connect(alice).submitContributions(1n, inputs);
    const ids = inputs.map((input) => contributionIdOf(1n, alice.address, input.contentHash));
    const total = await gasOf(datanets.connect(curator).acceptContributions(1n, ids));
    pin("acceptBatchItem", total / 100n);
  });

  it("each contribution rejected in a batch of 100 (rejectContributions)", async function () {
    const { datanets, alice, curator } = await loadFixture(registriesFixture);
    const inputs = Array.from({ length: 100 }, (_, i) => contributionInput(`reject-batch-${i}`));
    await datanets.connect(alice).submitContributions(1n, inputs);
    const ids = inputs.map((input) => contributionIdOf(1n, alice.address, input.contentHash));
    const total = await gasOf(datanets.connect(curator).rejectContributions(1n, ids, 3));
    pin("rejectBatchItem", total / 100n);
  });

  it("accept a contribution", async function () {
    const { datanets, alice, curator } = await loadFixture(registriesFixture);
    const input = contributionInput("accept-1");
    await datanets.connect(alice).submitContribution(1n, input);
    pin(
      "accept",
      await gasOf(
        datanets
          .connect(curator)
          .acceptContribution(1n, contributionIdOf(1n, alice.address, input.contentHash)),
      ),
    );
  });

  it("publish a version", async function () {
    const { datanets, curator } = await loadFixture(registriesFixture);
    pin(
      "publishVersion",
      await gasOf(
        datanets.connect(curator).publishVersion(1n, contentHash("root-2"), 4n, 1, "ipfs://datanet-1/v2"),
      ),
    );
  });

  it("register a model with 1 datanet", async function () {
    const { models, modelOwner, modelInput } = await loadFixture(registriesFixture);
    const input = {
      ...modelInput,
      artifactHash: contentHash("one"),
      trainingInputs: [{ datanetId: 1n, versionNumber: 1n, weightBps: 10_000n }],
    };
    pin("registerOneDatanet", await gasOf(models.connect(modelOwner).registerModel(input)));
  });

  it("register a model with 3 datanets that already have models", async function () {
    const ctx = await loadFixture(registriesFixture);
    const { models, modelOwner, modelInput } = ctx;
    const ids = await threeDatanetsWithVersions(ctx);
    const trainingInputs = ids.map((id, i) => ({
      datanetId: id,
      versionNumber: 1n,
      weightBps: i === 0 ? 3_334n : 3_333n,
    }));
    await models
      .connect(modelOwner)
      .registerModel({ ...modelInput, artifactHash: contentHash("warm"), trainingInputs });
    const input = { ...modelInput, artifactHash: contentHash("three"), trainingInputs };
    pin(
      "registerThreeDatanets",
      await gasOf(models.connect(modelOwner).registerModel(input)),
      BUDGET.registerThreeDatanets,
    );
  });

  it("register a model with 3 datanets no model used before (first write of their model lists)", async function () {
    const ctx = await loadFixture(registriesFixture);
    const { models, modelOwner, modelInput } = ctx;
    const ids = await threeDatanetsWithVersions(ctx);
    const trainingInputs = ids.map((id, i) => ({
      datanetId: id,
      versionNumber: 1n,
      weightBps: i === 0 ? 3_334n : 3_333n,
    }));
    const input = { ...modelInput, artifactHash: contentHash("three"), trainingInputs };
    pin("registerThreeFreshDatanets", await gasOf(models.connect(modelOwner).registerModel(input)));
  });

  it("add a model version", async function () {
    const { models, modelOwner } = await loadFixture(registriesFixture);
    const trainingInputs = [
      { datanetId: 1n, versionNumber: 1n, weightBps: 5_000n },
      { datanetId: 2n, versionNumber: 1n, weightBps: 5_000n },
    ];
    pin(
      "addVersion",
      await gasOf(models.connect(modelOwner).addVersion(1n, contentHash("model-1-v2"), trainingInputs)),
    );
  });
});

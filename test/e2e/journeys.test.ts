/**
 * The journeys that used to dead-end, through the command line on the in-process network:
 * allow-listed datanets and curators, two-step ownership of datanets and models, the OPEN token
 * (balance, transfer, approve, delegate), rolling an unattributed pool forward, and `status`.
 * Every refusal is one line and sends nothing (the block number does not move).
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { keccak256, parseEther, toUtf8Bytes, ZeroAddress } from "ethers";
import hre, { network } from "hardhat";
import * as sdk from "../../src/sdk/index.js";
import { connectSuite, type Suite } from "../../src/sdk/suite.js";
import { deploySuiteBook, taskRunner } from "../helpers/tasks.js";

const { ethers, ignition, networkHelpers } = await network.getOrCreate();

describe("role journeys from the command line", function () {
  this.timeout(300_000);

  let book: string;
  let suite: Suite;
  let accounts: string[];
  let modelId: bigint;
  const { run, fails, ok } = taskRunner(hre, ethers.provider, () => ({ addresses: book, json: true }));

  before(async function () {
    const dir = await mkdtemp(join(tmpdir(), "openledger-journeys-"));
    const deployed = await deploySuiteBook(ignition, dir);
    book = deployed.book;
    const addresses = deployed.addresses;
    const signers = await ethers.getSigners();
    accounts = await Promise.all(signers.map((s) => s.getAddress()));
    suite = connectSuite(addresses, signers[0]);
    // One model trained on one published datanet version, for ownership, roll-forward and status.
    const { datanetId } = await sdk.createDatanet(suite, { metadataURI: "ipfs://d", licence: 31 });
    const { contributionId } = await sdk.submitContribution(suite, datanetId, {
      contentHash: keccak256(toUtf8Bytes("journey")),
      uri: "ipfs://c",
      size: 7,
      kind: 1,
    });
    await sdk.curate(suite, datanetId, contributionId, { accept: true });
    await sdk.publishVersion(suite, ethers.provider, datanetId, { uri: "ipfs://v1" });
    ({ modelId } = await sdk.registerModel(suite, {
      metadataURI: "ipfs://m",
      artifactHash: keccak256(toUtf8Bytes("weights")),
      declaredUses: 1,
      pricePerUnit: parseEther("1"),
      trainingInputs: [{ datanetId, versionNumber: 1n, weightBps: 10_000 }],
    }));
  });

  describe("allow-listed datanet", function () {
    it("allowlist, policy, curator: should take an allow-listed datanet from dead end to contributions", async function () {
      const created = await ok(["datanet", "create"], { uri: "ipfs://closed", policy: "allowlist" });
      const datanet = String(created.datanetId);
      const file = join(tmpdir(), `journey-${process.pid}.txt`);
      await (await import("node:fs/promises")).writeFile(file, "allow-listed content");
      // The owner is not on the list: the revert now says who must do what.
      const refused = await run(["datanet", "contribute"], { datanet, file });
      expect(refused.result.success).to.equal(false);
      expect(refused.stderr)
        .to.contain("ContributorNotAllowed")
        .and.contain(`datanet allowlist --datanet ${datanet} --add ${accounts[0]}`);
      const added = await ok(["datanet", "allowlist"], { datanet, add: accounts[0] });
      expect(added.allowed).to.equal(true);
      expect(await suite.datanets.isContributorAllowed(BigInt(datanet), accounts[0])).to.equal(true);
      await ok(["datanet", "contribute"], { datanet, file });
      expect(await fails(["datanet", "allowlist"], { datanet, add: accounts[0] })).to.contain(
        "already on the allow-list",
      );
      expect(await fails(["datanet", "allowlist"], { datanet, add: accounts[1], from: "1" })).to.contain(
        "use --from with the owner",
      );
      await ok(["datanet", "allowlist"], { datanet, remove: accounts[0] });
      expect(await suite.datanets.isContributorAllowed(BigInt(datanet), accounts[0])).to.equal(false);

      await ok(["datanet", "policy"], { datanet, set: "open" });
      expect((await suite.datanets.datanet(BigInt(datanet))).policy).to.equal(0n);
      expect(await fails(["datanet", "policy"], { datanet, set: "open" })).to.contain("already open");
      expect(await fails(["datanet", "policy"], { datanet, set: "closed" })).to.contain("open or allowlist");

      await ok(["datanet", "curator"], { datanet, add: accounts[3] });
      expect(await suite.datanets.isCurator(BigInt(datanet), accounts[3])).to.equal(true);
      expect(await fails(["datanet", "curator"], { datanet, add: accounts[3] })).to.contain(
        "already a curator",
      );
      await ok(["datanet", "curator"], { datanet, remove: accounts[3] });
      expect(await suite.datanets.isCurator(BigInt(datanet), accounts[3])).to.equal(false);
      expect(
        await fails(["datanet", "curator"], { datanet, add: accounts[3], remove: accounts[4] }),
      ).to.contain("exactly one of --add");
      expect(await fails(["datanet", "curator"], { datanet, add: "0x12" })).to.contain(
        "--add is not a valid address",
      );
    });
  });

  describe("two-step ownership", function () {
    it("datanet transfer/accept: should hand a datanet over only when the offered account accepts", async function () {
      const datanet = String((await ok(["datanet", "create"], { uri: "ipfs://sold" })).datanetId);
      expect(await fails(["datanet", "accept"], { datanet, from: "2" })).to.contain("is not on offer");
      expect(await fails(["datanet", "transfer"], { datanet, to: accounts[2], from: "1" })).to.contain(
        "use --from with the owner",
      );
      await ok(["datanet", "transfer"], { datanet, to: accounts[2] });
      expect((await suite.datanets.datanet(BigInt(datanet))).pendingOwner).to.equal(accounts[2]);
      expect(await fails(["datanet", "accept"], { datanet, from: "1" })).to.contain(
        `offered to ${accounts[2]}`,
      );
      const accepted = await ok(["datanet", "accept"], { datanet, from: "2" });
      expect(accepted.owner).to.equal(accounts[2]);
      expect((await suite.datanets.datanet(BigInt(datanet))).owner).to.equal(accounts[2]);
    });

    it("model transfer/accept: should hand a model over; offering it to the owner withdraws an offer", async function () {
      const model = String(modelId);
      expect(await fails(["model", "transfer"], { model, to: ZeroAddress })).to.contain(
        "cannot be the zero address",
      );
      expect(await fails(["model", "transfer"], { model, to: accounts[0] })).to.contain("no offer is open");
      await ok(["model", "transfer"], { model, to: accounts[4] });
      expect(await fails(["model", "transfer"], { model, to: accounts[4] })).to.contain("already offered");
      const cancelled = await ok(["model", "transfer"], { model, to: accounts[0] });
      expect(cancelled.cancelled).to.equal(true);
      expect(await fails(["model", "accept"], { model, from: "4" })).to.contain(`offered to ${accounts[0]}`);
      await ok(["model", "transfer"], { model, to: accounts[4] });
      await ok(["model", "accept"], { model, from: "4" });
      expect((await suite.models.model(modelId)).owner).to.equal(accounts[4]);
      await ok(["model", "transfer"], { model, to: accounts[0], from: "4" });
      await ok(["model", "accept"], { model });
      expect((await suite.models.model(modelId)).owner).to.equal(accounts[0]);
    });
  });

  describe("token", function () {
    it("balance/transfer/approve/delegate: should fund a new payer and let it vote, by address or index", async function () {
      const sent = await ok(["token", "transfer"], { to: "6", amount: "250.5" });
      expect(sent.to).to.equal(accounts[6]);
      expect(await suite.token.balanceOf(accounts[6])).to.equal(parseEther("250.5"));
      const balance = await ok(["token", "balance"], { account: "6" });
      expect(balance.balance).to.equal(parseEther("250.5").toString());
      const human = await run(["token", "balance"], { account: accounts[6], json: false });
      expect(human.stdout).to.contain("250.5 OPEN").and.contain("run token delegate to vote");

      await ok(["token", "approve"], { amount: "10", from: "6" });
      expect(await suite.token.allowance(accounts[6], await suite.distributor.getAddress())).to.equal(
        parseEther("10"),
      );
      const delegated = await ok(["token", "delegate"], { from: "6" });
      expect(delegated.votes).to.equal(parseEther("250.5").toString());
      expect(await fails(["token", "delegate"], { from: "6" })).to.contain("already delegates");

      expect(await fails(["token", "transfer"], { to: accounts[0], amount: "1000", from: "6" })).to.contain(
        "holds 250.5 OPEN, less than --amount 1000.0",
      );
      expect(await fails(["token", "transfer"], { to: "77", amount: "1" })).to.contain(
        "--to 77 is not one of",
      );
      expect(await fails(["token", "transfer"], { to: accounts[1], amount: "-1" })).to.contain("--amount");
      expect(await fails(["token", "transfer"], { amount: "1" })).to.contain("--to is required");
    });
  });

  describe("time: status and rewards roll", function () {
    it("should show the epoch and its end, then roll an uncommitted pool only after the delay, saying when", async function () {
      const payer = (await ethers.getSigners())[5];
      await (await suite.token.transfer(accounts[5], parseEther("100"))).wait();
      await sdk.pay(suite, payer, modelId, 3n);
      const clock = await sdk.readClock(suite, ethers.provider);
      const shown = await ok(["status"], {});
      expect(shown.epoch).to.equal(clock.epoch.toString());
      expect(shown.epochEnd).to.equal(clock.epochEnd.toString());
      const pair = (shown.pairs as { modelId: string; epoch: string; next: string }[]).find(
        (p) => p.modelId === modelId.toString() && p.epoch === clock.epoch.toString(),
      );
      expect(pair?.next).to.equal("commit");
      const text = await run(["status"], { json: false });
      expect(text.stdout)
        .to.contain(`epoch ${clock.epoch}: started`)
        .and.contain(new Date(Number(clock.epochEnd) * 1000).toISOString().replace(".000Z", "Z"));

      const args = { model: String(modelId), epoch: String(clock.epoch) };
      const rollableAt = clock.epochEnd + clock.rollForwardDelay;
      const early = await fails(["rewards", "roll"], args);
      expect(early)
        .to.contain("cannot roll forward yet: allowed from")
        .and.contain(new Date(Number(rollableAt) * 1000).toISOString().replace(".000Z", "Z"));
      await networkHelpers.time.increaseTo(rollableAt);
      const pool = await suite.distributor.epochPool(modelId, clock.epoch);
      const rolled = await ok(["rewards", "roll"], args);
      expect(rolled.amount).to.equal(pool.toString());
      expect(await suite.distributor.epochPool(modelId, clock.epoch)).to.equal(0n);
      expect(await fails(["rewards", "roll"], args)).to.contain("no unattributed pool");
    });
  });
});

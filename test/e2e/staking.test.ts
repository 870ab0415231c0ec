/**
 * End-to-end tests of the staking command line (`stake ...`, `operator ...`, `attribution
 * challenge|resolve`) on the in-process network, over the Local deployment (the deployer is the
 * bonded attribution operator). Refusals must come before any transaction: the block number must
 * not move.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { parseEther } from "ethers";
import hre, { network } from "hardhat";
import { connectSuite, type Suite } from "../../src/sdk/suite.js";
import { deploySuiteBook, taskRunner } from "../helpers/tasks.js";

const { ethers, ignition, networkHelpers } = await network.getOrCreate();

describe("command line: staking, operators, challenges", function () {
  this.timeout(180_000);

  let book: string;
  let suite: Suite;
  let accounts: string[];
  const { fails, ok } = taskRunner(hre, ethers.provider, () => ({ addresses: book, json: true }));

  before(async function () {
    const dir = await mkdtemp(join(tmpdir(), "openledger-staking-cli-"));
    const deployed = await deploySuiteBook(ignition, dir);
    book = deployed.book;
    const signers = await ethers.getSigners();
    accounts = await Promise.all(signers.map((s) => s.getAddress()));
    suite = connectSuite(deployed.addresses, signers[0]);
    for (const i of [5, 6]) await (await suite.token.transfer(accounts[i], parseEther("5000"))).wait();
  });

  describe("stake", function () {
    it("deposit: should stake behind the operator (approving first) and show it in stake status", async function () {
      const out = await ok(["stake", "deposit"], { from: "5", operator: "0", amount: "1000" });
      expect(out.staker).to.equal(accounts[5]);
      expect(out.assets).to.equal(parseEther("1000").toString());
      const status = await ok(["stake", "status"], { account: "5" });
      const positions = status.positions as { operator: string; assets: string }[];
      expect(positions).to.have.length(1);
      expect(positions[0].operator).to.equal(accounts[0]);
      expect(positions[0].assets).to.equal(parseEther("1000").toString());
    });

    it("deposit: should refuse a missing operator, a zero amount, an account with no pool and too little OPEN before sending", async function () {
      expect(await fails(["stake", "deposit"], { from: "5", amount: "1" })).to.contain(
        "--operator is required",
      );
      expect(await fails(["stake", "deposit"], { from: "5", operator: "0", amount: "0" })).to.contain(
        "--amount must be more than zero",
      );
      expect(await fails(["stake", "deposit"], { from: "5", operator: "7", amount: "1" })).to.contain(
        "is not an operator",
      );
      expect(await fails(["stake", "deposit"], { from: "5", operator: "0", amount: "999999" })).to.contain(
        "less than --amount",
      );
    });

    it("unstake then withdraw: should refuse too much and an early withdrawal, then pay after the unbonding delay", async function () {
      await ok(["stake", "deposit"], { from: "6", operator: "0", amount: "300" });
      expect(await fails(["stake", "unstake"], { from: "6", operator: "0", amount: "301" })).to.contain(
        "less than --amount",
      );
      expect(await fails(["stake", "withdraw"], { from: "6", operator: "0" })).to.contain(
        "nothing unbonding",
      );
      const asked = await ok(["stake", "unstake"], { from: "6", operator: "0", amount: "all" });
      expect(asked.assets).to.equal(parseEther("300").toString());
      expect(await fails(["stake", "withdraw"], { from: "6", operator: "0" })).to.contain(
        "can be withdrawn from",
      );
      await networkHelpers.time.increase(await suite.staking.unbondingDelay());
      const before = await suite.token.balanceOf(accounts[6]);
      const out = await ok(["stake", "withdraw"], { from: "6", operator: "0" });
      expect(out.amount).to.equal(parseEther("300").toString());
      expect(await suite.token.balanceOf(accounts[6])).to.equal(before + parseEther("300"));
    });

    it("claim: should distribute waiting rewards first, pay them, and refuse a second claim", async function () {
      await (await suite.token.approve(suite.addresses.staking, parseEther("110"))).wait();
      await (await suite.staking.addRewards(parseEther("110"))).wait();
      const out = await ok(["stake", "claim"], { from: "5", operator: "0" });
      // The pool: the operator's 10,000 and account 5's 1,000 share 110 OPEN by shares.
      expect(out.amount).to.equal(parseEther("10").toString());
      expect(await fails(["stake", "claim"], { from: "5", operator: "0" })).to.contain("no rewards to claim");
    });
  });

  describe("operator", function () {
    it("status: should show the deployer bonded and allowed to commit", async function () {
      const out = await ok(["operator", "status"], {});
      expect(out.bonded).to.equal(true);
      expect(out.mayCommitAttribution).to.equal(true);
      expect(out.id).to.equal("1");
    });

    it("bond: should refuse a bonded operator without --amount and an account with no pool; bond --amount more", async function () {
      expect(await fails(["operator", "bond"], {})).to.contain("already meets the minimum");
      expect(await fails(["operator", "bond"], { from: "5", amount: "1" })).to.contain("is not an operator");
      const out = await ok(["operator", "bond"], { amount: "1" });
      expect(BigInt(out.bond as string)).to.be.greaterThan(BigInt(out.minimum as string));
    });

    it("commission: should refuse a bound breach, both or neither flag, then schedule once and refuse a second change", async function () {
      expect(await fails(["operator", "commission"], { bps: "5001" })).to.contain(
        "above the highest commission",
      );
      expect(await fails(["operator", "commission"], {})).to.contain("give either --bps");
      expect(await fails(["operator", "commission"], { bps: "1", claim: "0" })).to.contain(
        "give either --bps",
      );
      const out = await ok(["operator", "commission"], { bps: "1000" });
      expect(out.bps).to.equal("1000");
      expect(await fails(["operator", "commission"], { bps: "2000" })).to.contain("is scheduled for");
      expect(await fails(["operator", "commission"], { claim: "0" })).to.contain("no accrued commission");
    });
  });

  describe("attribution challenge and resolve", function () {
    it("should challenge a pending commitment, refuse a non-governance resolver, void it and slash the operator", async function () {
      await networkHelpers.time.increase(await suite.attribution.epochLength());
      const epoch = (await suite.attribution.currentEpoch()) - 1n;
      await (
        await suite.attribution.commitAttribution(1n, epoch, ethers.id("wrong"), 10n, 1, "ipfs://t")
      ).wait();
      expect(
        await fails(["attribution", "challenge"], {
          from: "5",
          model: "2",
          epoch: String(epoch),
          reason: "r",
        }),
      ).to.contain("is None");
      expect(
        await fails(["attribution", "challenge"], { from: "5", model: "1", epoch: String(epoch) }),
      ).to.contain("--reason is required");
      const challenged = await ok(["attribution", "challenge"], {
        from: "5",
        model: "1",
        epoch: String(epoch),
        reason: "ipfs://evidence",
      });
      expect(challenged.challenger).to.equal(accounts[5]);
      expect(
        await fails(["attribution", "resolve"], { from: "5", model: "1", epoch: String(epoch), void: true }),
      ).to.contain("does not hold GOVERNANCE_ROLE");
      expect(await fails(["attribution", "resolve"], { model: "1", epoch: String(epoch) })).to.contain(
        "exactly one of --stands",
      );
      const before = await suite.token.balanceOf(accounts[5]);
      const out = await ok(["attribution", "resolve"], { model: "1", epoch: String(epoch), void: true });
      const slash = out.slash as { operator: string; slashed: string; reward: string };
      expect(slash.operator).to.equal(accounts[0]);
      expect(BigInt(slash.slashed)).to.be.greaterThan(0n);
      expect(await suite.token.balanceOf(accounts[5])).to.equal(
        before + (await suite.attribution.challengeBond()) + BigInt(slash.reward),
      );
      expect(
        await fails(["attribution", "resolve"], { model: "1", epoch: String(epoch), stands: true }),
      ).to.contain("not challenged");
      // The slash took the bond below the minimum: a commit is refused before sending.
      const status = await ok(["operator", "status"], {});
      expect(status.bonded).to.equal(false);
    });

    it("close: should refuse before the resolution deadline, saying when, then return the bond of a lapsed challenge", async function () {
      // The previous test left the operator below the minimum bond: top it up to commit again.
      await ok(["operator", "bond"], {});
      await networkHelpers.time.increase(await suite.attribution.epochLength());
      const epoch = String((await suite.attribution.currentEpoch()) - 1n);
      await (
        await suite.attribution.commitAttribution(1n, BigInt(epoch), ethers.id("late"), 10n, 1, "ipfs://t")
      ).wait();
      expect(await fails(["attribution", "close"], { model: "1", epoch })).to.contain(
        "has no open challenge",
      );
      await ok(["attribution", "challenge"], { from: "6", model: "1", epoch, reason: "ipfs://evidence" });
      const deadline = (await suite.attribution.commitment(1n, BigInt(epoch))).finalAt;
      const early = await fails(["attribution", "close"], { from: "5", model: "1", epoch });
      expect(early)
        .to.contain("governance may still resolve the challenge of model 1 epoch " + epoch)
        .and.contain(new Date(Number(deadline) * 1000).toISOString().replace(".000Z", "Z"));
      await networkHelpers.time.increaseTo(deadline);
      expect(await fails(["attribution", "resolve"], { model: "1", epoch, stands: true })).to.contain(
        "without a decision: the commitment stands; anyone returns the bond to the challenger with attribution close",
      );
      const before = await suite.token.balanceOf(accounts[6]);
      const bond = (await suite.attribution.challengeOf(1n, BigInt(epoch))).bond;
      const out = await ok(["attribution", "close"], { from: "5", model: "1", epoch });
      expect(out).to.include({ challenger: accounts[6], commitmentStands: true, bond: bond.toString() });
      expect(await suite.token.balanceOf(accounts[6])).to.equal(before + bond);
      expect(await suite.attribution.commitmentStatus(1n, BigInt(epoch))).to.equal(3n);
      expect(await fails(["attribution", "close"], { model: "1", epoch })).to.contain(
        "has no open challenge",
      );
    });
  });
});

import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import type { BaseContract, Interface } from "ethers";
import GovernanceModule, { GOVERNANCE_DEFAULTS } from "../../deploy/modules/Governance.js";
import ProtocolModule from "../../deploy/modules/Protocol.js";
import SuiteModule, { SUITE_DEFAULTS } from "../../deploy/modules/Suite.js";
import {
  Licence,
  Policy,
  buildVersionTree,
  contentHash,
  contributionIdOf,
  contributionInput,
} from "../fixtures/registries.js";
import { connection } from "../helpers/rewards.js";

// The rewards helpers' connection: the default (unoptimised) profile builds the distributor above
// 24 KiB, so this simulated chain lifts the contract size limit (the production build is below it).
const { ethers, ignition, networkHelpers } = connection;
const { loadFixture, time } = networkHelpers;

const OPEN = 10n ** 18n;
const Vote = { Against: 0, For: 1, Abstain: 2 } as const;
/** IAttributionRegistry.CommitmentStatus */
const Status = { None: 0n, Pending: 1n, Challenged: 2n, Final: 3n, Voided: 4n } as const;
/** Vote allocations: alice alone reaches quorum (4% of 1e9), carol is a small holder. */
const ALICE_OPEN = 50_000_000n * OPEN;
const CAROL_OPEN = 200_000n * OPEN;

/** The role ids a contract defines: every argument-free view function `*_ROLE` returning bytes32. */
async function rolesOf(contract: BaseContract): Promise<Map<string, string>> {
  const roles = new Map<string, string>();
  const iface: Interface = contract.interface;
  for (const f of iface.fragments) {
    if (
      f.type === "function" &&
      "name" in f &&
      typeof f.name === "string" &&
      f.name.endsWith("_ROLE") &&
      iface.getFunction(f.name)?.inputs.length === 0
    ) {
      const id: unknown = await contract.getFunction(f.name).staticCall();
      roles.set(f.name, String(id));
    }
  }
  return roles;
}

/** Every (role, account) granted and not revoked, rebuilt from RoleGranted / RoleRevoked logs. */
async function holdersFromLogs(contract: BaseContract): Promise<Map<string, Set<string>>> {
  const logs = await ethers.provider.getLogs({ address: await contract.getAddress(), fromBlock: 0 });
  const holders = new Map<string, Set<string>>();
  for (const log of logs) {
    const parsed = contract.interface.parseLog(log);
    if (parsed === null || (parsed.name !== "RoleGranted" && parsed.name !== "RoleRevoked")) continue;
    const role = parsed.args[0] as string;
    const account = parsed.args[1] as string;
    const set = holders.get(role) ?? new Set<string>();
    if (parsed.name === "RoleGranted") set.add(account);
    else set.delete(account);
    holders.set(role, set);
  }
  for (const [role, set] of holders) if (set.size === 0) holders.delete(role);
  return holders;
}

/** Runs the production module in-process with every address parameter set to a distinct account. */
async function deployProtocolFixture() {
  const [
    deployer,
    guardian,
    attributionOperator,
    settlementOperator,
    treasury,
    foundation,
    alice,
    carol,
    stranger,
    datanetOwner,
    modelOwner,
    challenger,
    newGuardian,
  ] = await ethers.getSigners();
  const deployed = await ignition.deploy(ProtocolModule, {
    displayUi: false,
    parameters: {
      OpenToken: { supplyRecipient: foundation.address },
      Suite: {
        treasury: treasury.address,
        attributionOperator: attributionOperator.address,
        settlementOperator: settlementOperator.address,
      },
      Protocol: { guardian: guardian.address },
    },
  });
  const at = async (name: string, c: BaseContract) => c.getAddress().then((a) => ({ name, a }));
  const addresses = await Promise.all([
    at("OpenToken", deployed.token),
    at("DatanetRegistry", deployed.datanets),
    at("ModelRegistry", deployed.models),
    at("OperatorStaking", deployed.staking),
    at("AttributionRegistry", deployed.attribution),
    at("RewardDistributor", deployed.distributor),
    at("UsageEscrow", deployed.usageEscrow),
    at("OpenTimelock", deployed.timelock),
    at("OpenGovernor", deployed.governor),
  ]);
  const [
    tokenA,
    datanetsA,
    modelsA,
    stakingA,
    attributionA,
    distributorA,
    usageEscrowA,
    timelockA,
    governorA,
  ] = addresses;
  const token = await ethers.getContractAt("OpenToken", tokenA.a);
  const datanets = await ethers.getContractAt("DatanetRegistry", datanetsA.a);
  const models = await ethers.getContractAt("ModelRegistry", modelsA.a);
  const staking = await ethers.getContractAt("OperatorStaking", stakingA.a);
  const attribution = await ethers.getContractAt("AttributionRegistry", attributionA.a);
  const distributor = await ethers.getContractAt("RewardDistributor", distributorA.a);
  const usageEscrow = await ethers.getContractAt("UsageEscrow", usageEscrowA.a);
  const timelock = await ethers.getContractAt("OpenTimelock", timelockA.a);
  const governor = await ethers.getContractAt("OpenGovernor", governorA.a);
  return {
    token,
    datanets,
    models,
    staking,
    attribution,
    distributor,
    usageEscrow,
    timelock,
    governor,
    deployer,
    guardian,
    attributionOperator,
    settlementOperator,
    treasury,
    foundation,
    alice,
    carol,
    stranger,
    datanetOwner,
    modelOwner,
    challenger,
    newGuardian,
  };
}

type Fixture = Awaited<ReturnType<typeof deployProtocolFixture>>;

/** The production deployment with votes handed out: alice (5%) and carol (0.02%) delegated to themselves. */
async function votersFixture() {
  const f = await deployProtocolFixture();
  for (const [holder, amount] of [
    [f.alice, ALICE_OPEN],
    [f.carol, CAROL_OPEN],
  ] as const) {
    await f.token.connect(f.foundation).transfer(holder.address, amount);
    await f.token.connect(holder).delegate(holder.address);
  }
  return f;
}

/** A call of a proposal. */
interface Call {
  target: BaseContract;
  data: string;
}

/** Arguments of `execute` / `queue` of a proposal. */
interface Proposal {
  id: bigint;
  args: [string[], bigint[], string[], string];
}

/** Proposes `calls` from alice, votes For with alice alone (above quorum), queues, and waits the timelock delay. */
async function passAndQueue(f: Fixture, calls: Call[], description: string): Promise<Proposal> {
  const targets = await Promise.all(calls.map((c) => c.target.getAddress()));
  const values = calls.map(() => 0n);
  const calldatas = calls.map((c) => c.data);
  const descriptionHash = ethers.id(description);
  const args: Proposal["args"] = [targets, values, calldatas, descriptionHash];
  await f.governor.connect(f.alice).propose(targets, values, calldatas, description);
  const id = await f.governor.hashProposal(...args);
  await time.increaseTo((await f.governor.proposalSnapshot(id)) + 1n);
  await f.governor.connect(f.alice).castVote(id, Vote.For);
  await time.increaseTo((await f.governor.proposalDeadline(id)) + 1n);
  await f.governor.connect(f.stranger).queue(...args);
  return { id, args };
}

/** Waits until a queued proposal is ready in the timelock. */
async function waitTimelock(f: Fixture, p: Proposal): Promise<void> {
  await time.increaseTo(await f.governor.proposalEta(p.id));
}

describe("Protocol deploy module (production)", function () {
  describe("the deployer keeps no power after deployment", function () {
    it("should leave the deployer no role on any contract, for every role constant each defines", async function () {
      const f = await loadFixture(deployProtocolFixture);
      const all = {
        OpenToken: f.token,
        DatanetRegistry: f.datanets,
        ModelRegistry: f.models,
        OperatorStaking: f.staking,
        AttributionRegistry: f.attribution,
        RewardDistributor: f.distributor,
        UsageEscrow: f.usageEscrow,
        OpenTimelock: f.timelock,
        OpenGovernor: f.governor,
      };
      let checked = 0;
      for (const [name, contract] of Object.entries(all)) {
        const roles = await rolesOf(contract);
        if (roles.size === 0) {
          // No role constants: then no role-based or owner-based admin at all.
          for (const fn of ["hasRole", "grantRole", "owner", "transferOwnership(address)"]) {
            expect((contract.interface as Interface).getFunction(fn), `${name}.${fn}`).to.equal(null);
          }
          continue;
        }
        const hasRole = contract.getFunction("hasRole");
        for (const [roleName, role] of roles) {
          expect(await hasRole(role, f.deployer.address), `${name}.${roleName}`).to.equal(false);
          checked++;
        }
      }
      // 4 roles on the attribution registry, 5 on the distributor (USAGE_ESCROW_ROLE included), 4 on
      // staking, 3 on the escrow, 4 on the timelock.
      expect(checked).to.equal(20);
      expect(await f.token.balanceOf(f.deployer.address)).to.equal(0n);
      expect(await f.token.getVotes(f.deployer.address)).to.equal(0n);
      expect(await f.token.delegates(f.deployer.address)).to.equal(ethers.ZeroAddress);
    });

    it("should give the timelock admin + governance, the guardian only GUARDIAN_ROLE, each operator only its role (from the logs: nobody else)", async function () {
      const f = await loadFixture(deployProtocolFixture);
      const timelock = await f.timelock.getAddress();
      const expected = {
        AttributionRegistry: [
          f.attribution,
          {
            DEFAULT_ADMIN_ROLE: [timelock],
            GOVERNANCE_ROLE: [timelock],
            ATTRIBUTION_OPERATOR_ROLE: [f.attributionOperator.address],
            GUARDIAN_ROLE: [f.guardian.address],
          },
        ],
        RewardDistributor: [
          f.distributor,
          {
            DEFAULT_ADMIN_ROLE: [timelock],
            GOVERNANCE_ROLE: [timelock],
            SETTLEMENT_OPERATOR_ROLE: [f.settlementOperator.address],
            USAGE_ESCROW_ROLE: [await f.usageEscrow.getAddress()],
            GUARDIAN_ROLE: [f.guardian.address],
          },
        ],
        UsageEscrow: [
          f.usageEscrow,
          {
            DEFAULT_ADMIN_ROLE: [timelock],
            GOVERNANCE_ROLE: [timelock],
            GUARDIAN_ROLE: [f.guardian.address],
          },
        ],
        OperatorStaking: [
          f.staking,
          {
            DEFAULT_ADMIN_ROLE: [timelock],
            GOVERNANCE_ROLE: [timelock],
            SLASHER_ROLE: [await f.attribution.getAddress(), await f.distributor.settlementDisputes()],
            GUARDIAN_ROLE: [f.guardian.address],
          },
        ],
      } as const;
      for (const [name, [contract, holdersByName]] of Object.entries(expected)) {
        const roles = await rolesOf(contract);
        expect([...roles.keys()].sort(), `${name} role constants`).to.deep.equal(
          Object.keys(holdersByName).sort(),
        );
        const fromLogs = await holdersFromLogs(contract);
        expect(fromLogs.size, `${name}: roles with a holder`).to.equal(roles.size);
        for (const [roleName, role] of roles) {
          const want = holdersByName[roleName as keyof typeof holdersByName] as readonly string[];
          expect([...(fromLogs.get(role) ?? [])].sort(), `${name}.${roleName}`).to.deep.equal(
            [...want].sort(),
          );
          for (const account of want) {
            expect(await contract.hasRole(role, account), `${name}.${roleName} ${account}`).to.equal(true);
          }
        }
        // The guardian and the operators hold nothing else.
        for (const who of [f.guardian, f.attributionOperator, f.settlementOperator]) {
          for (const [roleName, role] of roles) {
            const want = holdersByName[roleName as keyof typeof holdersByName] as readonly string[];
            expect(await contract.hasRole(role, who.address), `${name}.${roleName} ${who.address}`).to.equal(
              want.includes(who.address),
            );
          }
        }
        expect(await contract.getRoleAdmin(await contract.GUARDIAN_ROLE())).to.equal(
          await contract.GOVERNANCE_ROLE(),
        );
      }
      expect(await f.attribution.treasury()).to.equal(f.treasury.address);
      expect(await f.token.balanceOf(f.foundation.address)).to.equal(await f.token.totalSupply());
    });

    it("should wire staking: the registry is built with it and is its bond listener, the distributor its reward source, the attribution operator listed", async function () {
      const f = await loadFixture(deployProtocolFixture);
      const staking = await f.staking.getAddress();
      expect(await f.attribution.staking()).to.equal(staking);
      expect(await f.staking.bondListener()).to.equal(await f.attribution.getAddress());
      expect(await f.staking.rewardSource()).to.equal(await f.distributor.getAddress());
      expect(await f.distributor.staking()).to.equal(staking);
      // The settlement disputes contract judges the distributor's roots and may slash.
      const disputes = await ethers.getContractAt(
        "SettlementDisputes",
        await f.distributor.settlementDisputes(),
      );
      expect(await disputes.distributor()).to.equal(await f.distributor.getAddress());
      expect(await f.staking.hasRole(await f.staking.SLASHER_ROLE(), await disputes.getAddress())).to.equal(
        true,
      );
      expect(await f.staking.listedOperators()).to.deep.equal([f.attributionOperator.address]);
      expect(await f.staking.treasury()).to.equal(f.treasury.address);
      expect(await f.staking.minOperatorBond()).to.equal(SUITE_DEFAULTS.staking.minOperatorBond);
      expect(await f.staking.unbondingDelay()).to.equal(SUITE_DEFAULTS.staking.unbondingDelay);
    });

    it("should wire the timelock: governor proposes and cancels, anyone executes, the timelock administers itself", async function () {
      const f = await loadFixture(deployProtocolFixture);
      const roles = await rolesOf(f.timelock);
      const governor = await f.governor.getAddress();
      const timelock = await f.timelock.getAddress();
      const want: Record<string, string[]> = {
        DEFAULT_ADMIN_ROLE: [timelock],
        PROPOSER_ROLE: [governor],
        CANCELLER_ROLE: [governor],
        EXECUTOR_ROLE: [ethers.ZeroAddress],
      };
      expect([...roles.keys()].sort()).to.deep.equal(Object.keys(want).sort());
      const fromLogs = await holdersFromLogs(f.timelock);
      for (const [roleName, role] of roles) {
        expect([...(fromLogs.get(role) ?? [])], roleName).to.deep.equal(want[roleName]);
        expect(await f.timelock.hasRole(role, want[roleName][0]), roleName).to.equal(true);
      }
      expect(await f.governor.timelock()).to.equal(timelock);
      expect(await f.governor.token()).to.equal(await f.token.getAddress());
      expect(await f.timelock.getMinDelay()).to.equal(GOVERNANCE_DEFAULTS.timelockMinDelay);
      const s = await f.governor.settings();
      expect([s.votingDelay, s.votingPeriod, s.proposalThreshold, s.quorumNumerator]).to.deep.equal([
        GOVERNANCE_DEFAULTS.votingDelay,
        GOVERNANCE_DEFAULTS.votingPeriod,
        GOVERNANCE_DEFAULTS.proposalThreshold,
        GOVERNANCE_DEFAULTS.quorumNumerator,
      ]);
    });

    it("should revert when the deployer grants itself any role back, on every contract with roles", async function () {
      const f = await loadFixture(deployProtocolFixture);
      for (const contract of [f.attribution, f.distributor, f.staking, f.usageEscrow, f.timelock]) {
        const roles = await rolesOf(contract);
        for (const role of roles.values()) {
          const admin = await contract.getRoleAdmin(role);
          await expect(contract.connect(f.deployer).grantRole(role, f.deployer.address))
            .to.be.revertedWithCustomError(contract, "AccessControlUnauthorizedAccount")
            .withArgs(f.deployer.address, admin);
          expect(await contract.hasRole(role, f.deployer.address)).to.equal(false);
        }
      }
      await expect(f.timelock.connect(f.deployer).updateDelay(0n))
        .to.be.revertedWithCustomError(f.timelock, "TimelockUnauthorizedCaller")
        .withArgs(f.deployer.address);
    });

    it("should order every renounce after the grants and both submodules", async function () {
      const renounces = [...ProtocolModule.futures].filter((fut) => fut.id.includes("Renounces"));
      expect(renounces.map((fut) => fut.id).sort()).to.deep.equal(
        [
          "Protocol#DeployerRenouncesAttributionAdmin",
          "Protocol#DeployerRenouncesAttributionGovernance",
          "Protocol#DeployerRenouncesAttributionGuardian",
          "Protocol#DeployerRenouncesAttributionOperator",
          "Protocol#DeployerRenouncesDistributorAdmin",
          "Protocol#DeployerRenouncesDistributorGovernance",
          "Protocol#DeployerRenouncesDistributorGuardian",
          "Protocol#DeployerRenouncesDistributorOperator",
          "Protocol#DeployerRenouncesStakingAdmin",
          "Protocol#DeployerRenouncesStakingGovernance",
          "Protocol#DeployerRenouncesStakingGuardian",
          "Protocol#DeployerRenouncesUsageEscrowAdmin",
          "Protocol#DeployerRenouncesUsageEscrowGovernance",
          "Protocol#DeployerRenouncesUsageEscrowGuardian",
        ].sort(),
      );
      const grants = [...ProtocolModule.futures].filter((fut) => fut.id.startsWith("Protocol#Grant"));
      expect(grants).to.have.length(12);
      for (const r of renounces) {
        for (const g of grants) expect(r.dependencies.has(g), `${r.id} after ${g.id}`).to.equal(true);
        expect(r.dependencies.has(GovernanceModule), `${r.id} after Governance`).to.equal(true);
        expect(r.dependencies.has(SuiteModule), `${r.id} after Suite`).to.equal(true);
      }
    });
  });

  describe("governance of the real RewardDistributor and AttributionRegistry", function () {
    it("should change the fee split only by a passed, queued and delayed proposal", async function () {
      const f = await loadFixture(votersFixture);
      const { distributor, governor, timelock } = f;
      const before = SUITE_DEFAULTS.feeSplit;
      expect(await distributor.feeSplit()).to.deep.equal([
        BigInt(before.treasuryBps),
        BigInt(before.ownerBps),
        BigInt(before.royaltyBps),
        BigInt(before.stakerBps),
      ]);
      const split = { treasuryBps: 800, ownerBps: 2_000, royaltyBps: 700, stakerBps: 300 };
      const data = distributor.interface.encodeFunctionData("setFeeSplit", [split]);
      const p = await passAndQueue(f, [{ target: distributor, data }], "Fee split 8/20/7/3");
      expect(await governor.state(p.id)).to.equal(5n); // Queued

      // Before the delay, the timelock refuses.
      await expect(governor.execute(...p.args)).to.be.revertedWithCustomError(
        timelock,
        "TimelockUnexpectedOperationState",
      );
      await waitTimelock(f, p);
      await expect(governor.connect(f.stranger).execute(...p.args))
        .to.emit(distributor, "FeeSplitChanged")
        .withArgs([800n, 2_000n, 700n, 300n])
        .and.to.emit(governor, "ProposalExecuted")
        .withArgs(p.id);
      expect(await distributor.feeSplit()).to.deep.equal([800n, 2_000n, 700n, 300n]);
    });

    it("should revert when anyone but the timelock sets the fee split: deployer, operators, guardian, holder, stranger", async function () {
      const f = await loadFixture(votersFixture);
      const { distributor, timelock } = f;
      const role = await distributor.GOVERNANCE_ROLE();
      const split = { treasuryBps: 0, ownerBps: 0, royaltyBps: 0, stakerBps: 0 };
      for (const who of [
        f.deployer,
        f.attributionOperator,
        f.settlementOperator,
        f.guardian,
        f.alice,
        f.foundation,
        f.stranger,
      ]) {
        await expect(distributor.connect(who).setFeeSplit(split))
          .to.be.revertedWithCustomError(distributor, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, role);
      }
      // Nor can anyone schedule it on the timelock without the governor.
      const data = distributor.interface.encodeFunctionData("setFeeSplit", [split]);
      for (const who of [f.deployer, f.alice, f.guardian]) {
        await expect(
          timelock
            .connect(who)
            .schedule(
              await distributor.getAddress(),
              0n,
              data,
              ethers.ZeroHash,
              ethers.ZeroHash,
              GOVERNANCE_DEFAULTS.timelockMinDelay,
            ),
        )
          .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, await timelock.PROPOSER_ROLE());
      }
      const d = SUITE_DEFAULTS.feeSplit;
      expect(await distributor.feeSplit()).to.deep.equal(
        [d.treasuryBps, d.ownerBps, d.royaltyBps, d.stakerBps].map(BigInt),
      );
    });

    it("should resolve an attribution challenge through the timelock only", async function () {
      const f = await loadFixture(votersFixture);
      const { attribution, datanets, models, token, governor } = f;
      // A real datanet version and model, an ended epoch, a commitment and a challenge.
      await datanets.connect(f.datanetOwner).createDatanet("ipfs://d", Licence.ALL, Policy.Open);
      const input = contributionInput("text-1");
      await datanets.connect(f.alice).submitContribution(1n, input);
      const cid = contributionIdOf(1n, f.alice.address, input.contentHash);
      await datanets.connect(f.datanetOwner).acceptContribution(1n, cid);
      const tree = buildVersionTree([
        { contributionId: cid, contributor: f.alice.address, contentHash: contentHash("text-1") },
      ]);
      await datanets.connect(f.datanetOwner).publishVersion(1n, tree.root, 1n, 0, "ipfs://d/v1");
      await models.connect(f.modelOwner).registerModel({
        metadataURI: "ipfs://m",
        artifactHash: contentHash("weights"),
        baseModelId: 0n,
        declaredUses: Licence.RESEARCH,
        pricePerUnit: OPEN,
        trainingInputs: [{ datanetId: 1n, versionNumber: 1n, weightBps: 10_000n }],
      });
      await time.increase(SUITE_DEFAULTS.epochLength);
      // The operator is listed but commits only once it has bonded the minimum of its own.
      const { staking } = f;
      const minBond = await staking.minOperatorBond();
      await expect(
        attribution.connect(f.attributionOperator).commitAttribution(1n, 0n, ethers.id("root"), 10n, 1, "u"),
      )
        .to.be.revertedWithCustomError(staking, "BondBelowMinimum")
        .withArgs(f.attributionOperator.address, 0n, minBond);
      await token.connect(f.foundation).transfer(f.attributionOperator.address, minBond);
      await token.connect(f.attributionOperator).approve(await staking.getAddress(), minBond);
      await staking.connect(f.attributionOperator).stake(f.attributionOperator.address, minBond);
      await attribution
        .connect(f.attributionOperator)
        .commitAttribution(1n, 0n, ethers.id("root"), 10n, 1, "ipfs://table");
      const bond = await attribution.challengeBond();
      await token.connect(f.foundation).transfer(f.challenger.address, bond);
      await token.connect(f.challenger).approve(await attribution.getAddress(), bond);
      await attribution.connect(f.challenger).challenge(1n, 0n, "ipfs://why");
      expect(await attribution.commitmentStatus(1n, 0n)).to.equal(Status.Challenged);

      const role = await attribution.GOVERNANCE_ROLE();
      for (const who of [f.deployer, f.attributionOperator, f.guardian, f.alice, f.stranger]) {
        await expect(attribution.connect(who).resolveChallenge(1n, 0n, true))
          .to.be.revertedWithCustomError(attribution, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, role);
      }
      const data = attribution.interface.encodeFunctionData("resolveChallenge", [1n, 0n, true]);
      const p = await passAndQueue(
        f,
        [{ target: attribution, data }],
        "The commitment of model 1, epoch 0 stands",
      );
      await waitTimelock(f, p);
      await expect(governor.execute(...p.args))
        .to.emit(attribution, "ChallengeResolved")
        .withArgs(1n, 0n, true, f.treasury.address, bond);
      expect(await attribution.commitmentStatus(1n, 0n)).to.equal(Status.Final);
      expect(await token.balanceOf(f.treasury.address)).to.equal(bond);
    });

    it("should replace the guardian on both contracts by proposal", async function () {
      const f = await loadFixture(votersFixture);
      const { attribution, distributor, governor, timelock, guardian, newGuardian } = f;
      const calls: Call[] = [];
      for (const c of [attribution, distributor]) {
        const role = await c.GUARDIAN_ROLE();
        calls.push({
          target: c,
          data: c.interface.encodeFunctionData("revokeRole", [role, guardian.address]),
        });
        calls.push({
          target: c,
          data: c.interface.encodeFunctionData("grantRole", [role, newGuardian.address]),
        });
      }
      // Nobody replaces it directly, not even the guardian itself.
      for (const who of [f.deployer, guardian, f.alice]) {
        await expect(distributor.connect(who).grantRole(await distributor.GUARDIAN_ROLE(), who.address))
          .to.be.revertedWithCustomError(distributor, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, await distributor.GOVERNANCE_ROLE());
      }
      const p = await passAndQueue(f, calls, "Replace the guardian");
      await waitTimelock(f, p);
      const tx = governor.execute(...p.args);
      await expect(tx)
        .to.emit(distributor, "RoleRevoked")
        .withArgs(await distributor.GUARDIAN_ROLE(), guardian.address, await timelock.getAddress());
      await expect(tx)
        .to.emit(attribution, "RoleGranted")
        .withArgs(await attribution.GUARDIAN_ROLE(), newGuardian.address, await timelock.getAddress());
      for (const c of [attribution, distributor]) {
        const role = await c.GUARDIAN_ROLE();
        expect(await c.hasRole(role, guardian.address)).to.equal(false);
        expect(await c.hasRole(role, newGuardian.address)).to.equal(true);
        await expect(c.connect(guardian).pause())
          .to.be.revertedWithCustomError(c, "AccessControlUnauthorizedAccount")
          .withArgs(guardian.address, role);
        await expect(c.connect(newGuardian).pause()).to.emit(c, "Paused");
      }
    });

    it("should let the guardian pause both contracts and only governance unpause them early", async function () {
      const f = await loadFixture(votersFixture);
      const { attribution, distributor, governor, timelock, guardian } = f;
      const calls = [attribution, distributor].map((c) => ({
        target: c,
        data: c.interface.encodeFunctionData("unpause"),
      }));
      const p = await passAndQueue(f, calls, "Lift the pause");
      for (const c of [attribution, distributor]) {
        await expect(c.connect(guardian).pause()).to.emit(c, "Paused");
        expect(await c.paused()).to.equal(true);
        const role = await c.GOVERNANCE_ROLE();
        for (const who of [f.deployer, guardian, f.attributionOperator, f.settlementOperator, f.alice]) {
          await expect(c.connect(who).unpause())
            .to.be.revertedWithCustomError(c, "AccessControlUnauthorizedAccount")
            .withArgs(who.address, role);
        }
      }
      const pausedUntil = await distributor.pausedUntil();
      const settle = () =>
        distributor.connect(f.settlementOperator).commitSettlement(ethers.id("r"), 0n, 0n, "u");
      await expect(settle())
        .to.be.revertedWithCustomError(distributor, "PausedByGuardian")
        .withArgs(pausedUntil);
      await waitTimelock(f, p);
      expect(BigInt(await time.latest())).to.be.lessThan(pausedUntil); // the pause has not expired
      const tx = governor.execute(...p.args);
      await expect(tx)
        .to.emit(distributor, "Unpaused")
        .withArgs(await timelock.getAddress());
      await expect(tx)
        .to.emit(attribution, "Unpaused")
        .withArgs(await timelock.getAddress());
      for (const c of [attribution, distributor]) expect(await c.paused()).to.equal(false);
      // Past the pause, the settlement operator must be bonded in staking (issue 16): governance
      // lists it and it stakes its bond before its first root.
      await expect(settle())
        .to.be.revertedWithCustomError(f.staking, "UnknownOperator")
        .withArgs(f.settlementOperator.address);
    });
  });

  describe("deploy/parameters/testnet.json", function () {
    it("should deploy the production module from the file once its addresses are filled in", async function () {
      const [deployer, guardian, attributionOperator, settlementOperator, treasury, foundation] =
        await ethers.getSigners();
      const text = await readFile("deploy/parameters/testnet.json", "utf8");
      const file = JSON.parse(text) as Record<string, Record<string, unknown>>;
      const fill: [string, string, string][] = [
        ["Protocol", "guardian", guardian.address],
        ["Suite", "attributionOperator", attributionOperator.address],
        ["Suite", "settlementOperator", settlementOperator.address],
        ["Suite", "treasury", treasury.address],
        ["OpenToken", "supplyRecipient", foundation.address],
      ];
      for (const [moduleId, name, address] of fill) {
        expect(file[moduleId][name], `${moduleId}.${name} placeholder`).to.equal(ethers.ZeroAddress);
        file[moduleId][name] = address;
      }
      const dir = await mkdtemp(join(tmpdir(), "protocol-params-"));
      try {
        const path = join(dir, "testnet.json");
        await writeFile(path, JSON.stringify(file));
        const deployed = await ignition.deploy(ProtocolModule, { displayUi: false, parameters: path });
        const attribution = await ethers.getContractAt(
          "AttributionRegistry",
          await deployed.attribution.getAddress(),
        );
        const distributor = await ethers.getContractAt(
          "RewardDistributor",
          await deployed.distributor.getAddress(),
        );
        const token = await ethers.getContractAt("OpenToken", await deployed.token.getAddress());
        expect(await attribution.epochLength()).to.equal(3_600n);
        expect(await attribution.challengeBond()).to.equal(100n * OPEN);
        expect(await attribution.treasury()).to.equal(treasury.address);
        expect(await distributor.rollForwardDelay()).to.equal(86_400n);
        expect(await token.symbol()).to.equal("tOPEN");
        expect(await token.balanceOf(foundation.address)).to.equal(await token.totalSupply());
        for (const c of [attribution, distributor]) {
          for (const role of (await rolesOf(c)).values()) {
            expect(await c.hasRole(role, deployer.address)).to.equal(false);
          }
          expect(await c.hasRole(await c.GUARDIAN_ROLE(), guardian.address)).to.equal(true);
          expect(await c.hasRole(await c.GOVERNANCE_ROLE(), await deployed.timelock.getAddress())).to.equal(
            true,
          );
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe("scripts/deploy.ts", function () {
    it("should refuse a production parameter file whose addresses are not set, before any transaction", async function () {
      const run = promisify(execFile)(process.execPath, ["scripts/deploy.ts", "--network", "testnet"], {
        env: {
          ...process.env,
          TESTNET_RPC_URL: "http://127.0.0.1:1",
          TESTNET_PRIVATE_KEY: "0x" + "11".repeat(32),
        },
      });
      const error = await run.then(
        () => null,
        (e: unknown) => e as { code: number; stderr: string },
      );
      expect(error, "deploy.ts should fail").to.not.equal(null);
      expect(error?.code).to.equal(1);
      for (const name of [
        "Protocol.guardian",
        "Suite.attributionOperator",
        "Suite.settlementOperator",
        "Suite.treasury",
        "OpenToken.supplyRecipient",
      ]) {
        expect(error?.stderr).to.contain(name);
      }
      expect(error?.stderr).to.not.contain("> hardhat ignition deploy");
    });
  });
});

import { expect } from "chai";
import { Interface } from "ethers";
import { batchItemFloor, calldataGas, floor, GAS, logGas, tokenTransferParts } from "../../bench/floors.js";
import {
  GAS_BUDGETS,
  GAS_OPS,
  GAS_TABLE_END,
  GAS_TABLE_START,
  overBudget,
  readmeGasTable,
  replaceGasTable,
  validateResults,
  type BenchResults,
} from "../../bench/report.js";

/** A small results object in the shape (figures made up, within budget). */
function fixtureResults(): BenchResults {
  const gas = Object.fromEntries(
    GAS_OPS.map((op, i) => [op, { gasUsed: 20_000 + i, budget: GAS_BUDGETS[op], floor: 15_000 + i }]),
  ) as BenchResults["gas"];
  return {
    gas,
    scale: {
      payByContributors: { "10": 70_000, "1000": 70_000, "100000": 70_000, "10000000": 70_000 },
      claimByLeaves: { "10": 70_000, "1000": 74_000, "100000": 78_000, "1000000": 80_000 },
      claimByEpochs: { "1": 70_000, "10": 70_000, "100": 70_000 },
      gasPerInference: { "1": 85_000, "10": 8_500, "100": 850, "1000": 85, "10000": 8.5 },
      stakeByStakers: { "1": 84_000, "1000": 84_000, "100000": 84_000 },
      slashByDelegators: { "1": 108_000, "1000": 108_000, "100000": 108_000 },
    },
    offchain: {
      merkle1M: { seconds: 5, peakRssMB: 600 },
      settlement1M: { seconds: 120, peakRssMB: 900 },
      attribution: { mbIndexedPerSecond: 1.5, outputsPerSecond: 400 },
      vouchersPerSecond: 2_500,
    },
  };
}

describe("bench", function () {
  describe("floors", function () {
    // transfer(0x1111...11, 1e18): selector 4 B non-zero (64); address word 12 zero + 20 non-zero
    // bytes (48 + 320); amount word 0x0de0b6b3a7640000: 24 + 2 zero (104) and 6 non-zero (96).
    const data = new Interface(["function transfer(address,uint256)"]).encodeFunctionData("transfer", [
      "0x" + "11".repeat(20),
      10n ** 18n,
    ]);

    it("should price calldata at 4 gas a zero byte and 16 a non-zero byte", function () {
      expect(calldataGas("0x")).to.equal(0);
      expect(calldataGas("0x00ff")).to.equal(20);
      expect(calldataGas(data)).to.equal(64 + 48 + 320 + 104 + 96);
    });

    it("should add the base, the calldata and the parts, and show the arithmetic", function () {
      const f = floor(data, [{ what: "sender balance (update)", gas: GAS.updateSlot }]);
      expect(f.gas).to.equal(21_000 + 632 + 5_000);
      expect(f.arithmetic).to.equal(
        "21000 (transaction base) + 632 (calldata) + 5000 (sender balance (update)) = 26632",
      );
      expect(f.parts.map((p) => p.gas)).to.deep.equal([21_000, 632, 5_000]);
    });

    it("should price a log by topics and data bytes", function () {
      expect(logGas(3, 32)).to.equal(375 + 3 * 375 + 32 * 8);
      const transfer = tokenTransferParts(true);
      expect(transfer.reduce((s, p) => s + p.gas, 0)).to.equal(2_600 + 5_000 + 22_100 + 1_756);
    });

    it("should share the base and calldata of a batch among its items", function () {
      const f = batchItemFloor(data, 100, [{ what: "record", gas: GAS.newSlot }]);
      expect(f.gas).to.equal(Math.ceil((21_000 + 632) / 100) + 22_100);
      expect(f.arithmetic).to.equal("217 ((21000 + calldata) / 100) + 22100 (record) = 22317");
    });
  });

  describe("validateResults", function () {
    it("should accept the issue's shape", function () {
      expect(validateResults(fixtureResults())).to.deep.equal([]);
    });

    it("should report a missing op, an extra key, a wrong budget and a missing scale point", function () {
      const r = JSON.parse(JSON.stringify(fixtureResults())) as Record<string, Record<string, unknown>>;
      delete r.gas["withdraw"];
      r.gas["extra.op"] = { gasUsed: 1, budget: null, floor: 1 };
      (r.gas["inference.pay"] as Record<string, unknown>).budget = 1;
      delete (r.scale.claimByEpochs as Record<string, unknown>)["100"];
      expect(validateResults(r)).to.deep.equal([
        'gas: missing "withdraw"',
        'gas: unexpected "extra.op"',
        "gas.inference.pay.budget: 1, expected 75000",
        'scale.claimByEpochs: missing "100"',
        "scale.claimByEpochs.100: not a number",
      ]);
    });

    it("should refuse what is not an object", function () {
      expect(validateResults(null)).to.deep.equal(["results: not an object"]);
    });

    it("should accept the issue 21 keys offchain.attribution1GB and offchain.verifierRecompute, and check their shape", function () {
      const r = fixtureResults();
      r.offchain.attribution1GB = {
        indexSeconds: 100,
        peakRssMB: 2000,
        reopenSeconds: 1,
        outputs10kSeconds: 20,
      };
      r.offchain.verifierRecompute = { seconds: 30 };
      expect(validateResults(r)).to.deep.equal([]);
      expect(overBudget(r, 1000)).to.deep.equal([]);
      const bad = JSON.parse(JSON.stringify(r)) as Record<string, Record<string, Record<string, unknown>>>;
      delete bad.offchain.attribution1GB.reopenSeconds;
      bad.offchain.verifierRecompute.minutes = 1;
      expect(validateResults(bad)).to.deep.equal([
        'offchain.attribution1GB: missing "reopenSeconds"',
        "offchain.attribution1GB: figures must be numbers",
        "offchain.verifierRecompute: must be { seconds }",
      ]);
      r.offchain.attribution1GB.reopenSeconds = 3;
      r.offchain.verifierRecompute.seconds = 61;
      expect(overBudget(r, 1000)).to.deep.equal([
        "attribution 1 GB: reopened in 3 s > budget 2 s",
        "verifier: recomputed an epoch in 61 s > budget 60 s",
      ]);
    });

    it("should accept offchain.indexerNode with or without ledgerShowAllMs (informational), and check it is a number", function () {
      const r = fixtureResults();
      const node = {
        embeddedEventsPerSecond: 7_000,
        postgresEventsPerSecond: 7_000,
        summaryP95Ms: 17,
        paymentsPageP95Ms: 8,
        peakRssMB: 350,
        ledgerShowMs: 900,
      };
      r.offchain.indexerNode = node;
      expect(validateResults(r)).to.deep.equal([]);
      r.offchain.indexerNode = { ...node, ledgerShowAllMs: 2_800 };
      expect(validateResults(r)).to.deep.equal([]);
      expect(overBudget(r, 1000)).to.deep.equal([]);
      const bad = JSON.parse(JSON.stringify(r)) as Record<string, Record<string, Record<string, unknown>>>;
      bad.offchain.indexerNode.ledgerShowAllMs = "slow";
      bad.offchain.indexerNode.ledgerShowRunsMs = 1;
      expect(validateResults(bad)).to.deep.equal([
        'offchain.indexerNode: unexpected "ledgerShowRunsMs"',
        "offchain.indexerNode.ledgerShowAllMs: not a number",
      ]);
    });
  });

  describe("overBudget", function () {
    it("should pass figures within budget", function () {
      expect(overBudget(fixtureResults(), 1000)).to.deep.equal([]);
    });

    it("should name every figure over budget, non-flat payment and growing claims", function () {
      const r = fixtureResults();
      r.gas["inference.pay"].gasUsed = 75_001;
      r.scale.payByContributors["10000000"] = 70_001;
      r.scale.claimByEpochs["100"] = 72_500;
      r.offchain.merkle1M.seconds = 27;
      r.offchain.attribution.outputsPerSecond = 100;
      r.scale.gasPerInference["1000"] = 104;
      r.offchain.vouchersPerSecond = 1_500;
      expect(overBudget(r, 5000)).to.deep.equal([
        "inference.pay: 75001 gas > budget 75000",
        "payByContributors: payment gas is not flat (70000, 70000, 70000, 70001)",
        "claimByEpochs: claim gas varies with the epochs covered (70000, 70000, 72500)",
        "gasPerInference: 104 gas at 1,000 inferences per redemption > budget 100",
        "vouchers: 1500 signed + checked per second < budget 2000",
        "merkle1M: 27 s > budget 10 s",
        "attribution: 100 outputs/s < budget 166.7 outputs/s (10,000 in 60 s)",
        "attribution: peak 5000 MB > budget 4096 MB",
      ]);
    });
  });

  describe("overBudget: claimByEpochs and proof depth (issue 17)", function () {
    it("should accept claims a proof level apart, and name a claim that grows beyond one proof step", function () {
      const r = fixtureResults();
      r.scale.claimByEpochs = { "1": 74_439, "10": 75_105, "100": 74_451 };
      const calldata = { "1": 2_516, "10": 3_040, "100": 2_528 };
      expect(overBudget(r, 1000, calldata)).to.deep.equal([
        "claimByEpochs: claim gas varies with the epochs covered (74439, 75105, 74451; without calldata 71923, 72065, 71923)",
      ]);
      const depths = { "1": 19, "10": 20, "100": 19 };
      expect(overBudget(r, 1000, calldata, undefined, depths)).to.deep.equal([]);
      r.scale.claimByEpochs["10"] = 75_400;
      expect(overBudget(r, 1000, calldata, undefined, depths)).to.deep.equal([
        "claimByEpochs: claim gas varies with the epochs covered (74439, 75400, 74451; without calldata 71923, 72360, 71923; proof lengths 19, 20, 19)",
      ]);
    });
  });

  describe("overBudget: staking series (issue 16)", function () {
    it("should name a stake or slash series that is not flat or over its budget", function () {
      const r = fixtureResults();
      r.scale.stakeByStakers["100000"] = 86_100;
      r.scale.slashByDelegators = { "1": 150_001, "1000": 150_001, "100000": 150_001 };
      expect(overBudget(r, 1000)).to.deep.equal([
        "stakeByStakers: gas is not flat (84000, 84000, 86100)",
        "slashByDelegators: 150001 gas > budget 150000",
      ]);
    });

    it("should accept staking figures that differ only by their calldata, and no more", function () {
      const r = fixtureResults();
      r.scale.stakeByStakers = { "1": 84_031, "1000": 84_043, "100000": 84_043 };
      const calldata = { "1": 1_000, "1000": 1_012, "100000": 1_012 };
      expect(overBudget(r, 1000, undefined, { stakeByStakers: calldata })).to.deep.equal([]);
      r.scale.stakeByStakers["100000"] = 84_044;
      expect(overBudget(r, 1000, undefined, { stakeByStakers: calldata })).to.deep.equal([
        "stakeByStakers: gas is not flat (84031, 84043, 84044; without calldata 83031, 83031, 83032)",
      ]);
    });
  });

  describe("README gas table", function () {
    const table = readmeGasTable(fixtureResults());

    it("should list every op with gasUsed, budget, floor and ratio", function () {
      const lines = table.split("\n");
      expect(lines[0]).to.equal("| operation | gasUsed | budget | floor | measured / floor |");
      expect(lines[2]).to.equal("| `token.transfer` | 20,000 | - | 15,000 | 1.33 |");
      expect(lines[4]).to.equal("| `contribution.submit` | 20,002 | 60,000 | 15,002 | 1.33 |");
      expect(lines.filter((l) => l.startsWith("| `"))).to.have.length(GAS_OPS.length);
      expect(table).to.contain("10,000,000 contributors 70,000");
      expect(table).to.contain("stake with 1 staker in the pool 84,000");
      expect(table).to.contain(
        "slash of a pool of 1 delegator 108,000, 1,000 delegators 108,000, 100,000 delegators 108,000",
      );
    });

    it("should replace only the text between the markers", function () {
      const readme = `# X\n\nintro\n\n## Gas\n\n${GAS_TABLE_START}\nold\n${GAS_TABLE_END}\n\n## Licence\n\nMIT\n`;
      const out = replaceGasTable(readme, table);
      expect(out).to.equal(
        `# X\n\nintro\n\n## Gas\n\n${GAS_TABLE_START}\n\n${table}\n\n${GAS_TABLE_END}\n\n## Licence\n\nMIT\n`,
      );
      expect(replaceGasTable(out, table)).to.equal(out);
    });

    it("should add a Gas section before the licence when the markers are absent", function () {
      const out = replaceGasTable("# X\n\n## Networks\n\nn\n\n## Licence\n\nMIT\n", "T");
      expect(out).to.equal(
        `# X\n\n## Networks\n\nn\n\n## Gas\n\n${GAS_TABLE_START}\n\nT\n\n${GAS_TABLE_END}\n\n## Licence\n\nMIT\n`,
      );
    });

    it("should put the markers under an existing Gas heading", function () {
      const out = replaceGasTable("# X\n\n## Gas\n\nSee below.\n\n## Licence\n\nMIT\n", "T");
      expect(out).to.equal(
        `# X\n\n## Gas\n\nSee below.\n\n${GAS_TABLE_START}\n\nT\n\n${GAS_TABLE_END}\n\n## Licence\n\nMIT\n`,
      );
    });

    it("should refuse a README with only one marker", function () {
      expect(() => replaceGasTable(`# X\n${GAS_TABLE_START}\n`, "T")).to.throw(
        /only one of the gas-table markers/,
      );
    });
  });
});

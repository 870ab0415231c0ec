/**
 * Curation at scale from the command line on the in-process network: a curator's queue
 * (`ledger show --status pending`, URIs shown) and `datanet curate --all-pending`, which decides
 * every pending contribution of a datanet in batches (`acceptContributions` /
 * `rejectContributions`). Refusals are one line and send nothing.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { keccak256, toUtf8Bytes } from "ethers";
import hre, { network } from "hardhat";
import * as sdk from "../../src/sdk/index.js";
import { connectSuite, type Suite } from "../../src/sdk/suite.js";
import { deploySuiteBook, taskRunner } from "../helpers/tasks.js";

const { ethers, ignition } = await network.getOrCreate();

interface ViewContribution {
  contributionId: string;
  status: string;
  uri: string;
}
interface View {
  datanets: { datanetId: string; contributions: ViewContribution[] }[];
}

describe("curation at scale from the command line", function () {
  this.timeout(300_000);

  let book: string;
  let suite: Suite;
  let accounts: string[];
  const { run, fails, ok } = taskRunner(hre, ethers.provider, () => ({ addresses: book, json: true }));

  /** A datanet with `count` pending contributions named `<tag>-<i>`; returns its id and their ids. */
  async function datanetWithPending(tag: string, count: number) {
    const { datanetId } = await sdk.createDatanet(suite, { metadataURI: `ipfs://${tag}`, licence: 31 });
    const inputs = Array.from({ length: count }, (_, i) => ({
      contentHash: keccak256(toUtf8Bytes(`${tag}-${i}`)),
      uri: `ipfs://${tag}/${i}`,
      size: 10,
      kind: 1,
    }));
    const { contributionIds } = await sdk.submitContributions(suite, datanetId, inputs);
    return { datanetId, contributionIds };
  }

  before(async function () {
    const dir = await mkdtemp(join(tmpdir(), "openledger-curation-"));
    const deployed = await deploySuiteBook(ignition, dir);
    book = deployed.book;
    const signers = await ethers.getSigners();
    accounts = await Promise.all(signers.map((s) => s.getAddress()));
    suite = connectSuite(deployed.addresses, signers[0]);
  });

  describe("ledger show --status", function () {
    it("should list only the pending contributions of --datanet, with their URIs", async function () {
      const { datanetId, contributionIds } = await datanetWithPending("queue", 4);
      await sdk.curate(suite, datanetId, contributionIds[0]!, { accept: true });
      const ran = await run(["ledger", "show"], { status: "pending", datanet: String(datanetId) });
      expect(ran.result.success, ran.stderr).to.equal(true);
      const view = ran.json as unknown as View;
      expect(view.datanets).to.have.length(1);
      const listed = view.datanets[0]!.contributions;
      expect(listed.map((c) => c.contributionId)).to.deep.equal(contributionIds.slice(1));
      expect(listed.every((c) => c.status === "Pending")).to.equal(true);
      expect(listed.map((c) => c.uri)).to.deep.equal(["ipfs://queue/1", "ipfs://queue/2", "ipfs://queue/3"]);

      const accepted = (await run(["ledger", "show"], { status: "Accepted", datanet: String(datanetId) }))
        .json as unknown as View;
      expect(accepted.datanets[0]!.contributions.map((c) => c.contributionId)).to.deep.equal([
        contributionIds[0],
      ]);
    });

    it("should print each contribution's URI in the text view", async function () {
      const { datanetId } = await datanetWithPending("text", 1);
      const ran = await run(["ledger", "show"], {
        status: "pending",
        datanet: String(datanetId),
        json: false,
      });
      expect(ran.stdout).to.match(/0x[0-9a-f]{64} by 0x[0-9a-fA-F]{40}\s+Pending\s+ipfs:\/\/text\/0/);
    });

    it("should refuse an unknown status, a bad or unknown datanet, and filters with --account", async function () {
      expect(await fails(["ledger", "show"], { status: "waiting" })).to.contain(
        "is not one of pending, accepted, rejected, withdrawn",
      );
      expect(await fails(["ledger", "show"], { datanet: "x" })).to.contain("is not a datanet id");
      expect(await fails(["ledger", "show"], { datanet: "999" })).to.contain("datanet 999 does not exist");
      expect(await fails(["ledger", "show"], { status: "pending", account: accounts[0] })).to.contain(
        "leave out --account",
      );
    });
  });

  describe("datanet curate --all-pending", function () {
    it("should accept every pending contribution of the datanet and leave the others as they were", async function () {
      const { datanetId, contributionIds } = await datanetWithPending("all", 25);
      await sdk.curate(suite, datanetId, contributionIds[0]!, { accept: false, reasonCode: 1 });
      const other = await datanetWithPending("other", 2);
      const json = await ok(["datanet", "curate"], {
        datanet: String(datanetId),
        allPending: true,
        accept: true,
        from: "0",
        batchSize: "10",
      });
      expect(json.contributionIds).to.deep.equal(contributionIds.slice(1));
      // 24 pending in batches of 10: 10 + 10 + 4.
      expect(json.transactions as string[]).to.have.length(3);
      for (const id of contributionIds.slice(1))
        expect((await suite.datanets.contribution(datanetId, id)).status).to.equal(2n);
      expect((await suite.datanets.contribution(datanetId, contributionIds[0]!)).status).to.equal(3n);
      for (const id of other.contributionIds)
        expect((await suite.datanets.contribution(other.datanetId, id)).status).to.equal(1n);
      // Batched: well under one acceptContribution transaction (39,643 gas) per decision.
      const perDecision = BigInt(json.gasUsed as string) / 24n;
      expect(perDecision < 20_000n, `${perDecision} gas per accept`).to.equal(true);

      const again = await run(["datanet", "curate"], {
        datanet: String(datanetId),
        allPending: true,
        accept: true,
        json: false,
      });
      expect(again.stdout).to.equal(`no pending contributions in datanet ${datanetId}: nothing to curate`);
    });

    it("should reject every pending contribution with the reason code, from a curator", async function () {
      const { datanetId, contributionIds } = await datanetWithPending("junk", 3);
      await sdk.setCurator(suite, datanetId, accounts[3]!, true);
      const json = await ok(["datanet", "curate"], {
        datanet: String(datanetId),
        allPending: true,
        reject: true,
        reason: "7",
        from: "3",
      });
      expect(json.transactions as string[]).to.have.length(1);
      for (const id of contributionIds) {
        expect((await suite.datanets.contribution(datanetId, id)).status).to.equal(3n);
        const [event] = await suite.datanets.queryFilter(
          suite.datanets.filters.ContributionRejected(datanetId, id),
        );
        expect(event.args.reasonCode).to.equal(7n);
      }
    });

    it("should refuse --all-pending with --contribution, and a non-curator, before sending", async function () {
      const { datanetId, contributionIds } = await datanetWithPending("refused", 2);
      expect(
        await fails(["datanet", "curate"], {
          datanet: String(datanetId),
          allPending: true,
          contribution: contributionIds[0],
          accept: true,
        }),
      ).to.contain("not both");
      expect(
        await fails(["datanet", "curate"], {
          datanet: String(datanetId),
          allPending: true,
          accept: true,
          from: "4",
        }),
      ).to.contain("is not a curator of datanet");
      expect(
        await fails(["datanet", "curate"], {
          datanet: String(datanetId),
          allPending: true,
          accept: true,
          batchSize: "0",
        }),
      ).to.contain("--batch-size");
      expect(await fails(["datanet", "curate"], { datanet: String(datanetId), accept: true })).to.contain(
        "--all-pending",
      );
    });
  });
});

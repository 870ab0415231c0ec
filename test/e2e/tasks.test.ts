/**
 * End-to-end tests of the command line and the scripts on the in-process network: the suite is
 * deployed through Ignition, its addresses written to an `--addresses` file, and every task run
 * through `hre.tasks.getTask([...]).run(...)`; assertions are on chain state. Argument errors
 * must fail before any transaction: the block number must not move.
 */
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { keccak256, parseEther, toUtf8Bytes } from "ethers";
import hre, { network } from "hardhat";
import { main as contributeScript } from "../../scripts/contribute.js";
import { main as registerModelScript } from "../../scripts/register-model.js";
import { connectSuite, saveAddresses, type Suite, type SuiteAddresses } from "../../src/sdk/suite.js";
import { startApi } from "../../src/indexer/api.js";
import { RpcLogSource } from "../../src/indexer/source.js";
import { Indexer } from "../../src/indexer/sync.js";
import { openDatabase } from "../../src/indexer/db.js";
import { fetchBytes } from "../../src/verifier/fetch.js";
import { deploySuiteBook, taskRunner } from "../helpers/tasks.js";
import { tasks } from "../../tasks/index.js";
import { TEXTS } from "../../src/demo/story.js";

const { ethers, ignition, networkHelpers } = await network.getOrCreate();

// The demo's texts but its rejected near duplicate.
const { g: _nearDuplicate, ...TEXT } = TEXTS;
const hashOf = (text: string) => keccak256(toUtf8Bytes(text)).toLowerCase();

describe("command line (tasks and scripts)", function () {
  this.timeout(180_000);

  let dir: string;
  let book: string;
  let addresses: SuiteAddresses;
  let suite: Suite;
  let accounts: string[];
  let escrowAddress: string;
  const ids: Record<string, string> = {};

  const { run, fails, ok } = taskRunner(hre, ethers.provider, () => ({ addresses: book, json: true }));

  async function writeText(name: string, text: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  }

  before(async function () {
    dir = await mkdtemp(join(tmpdir(), "openledger-cli-"));
    ({ addresses, book, usageEscrow: escrowAddress } = await deploySuiteBook(ignition, dir));
    const signers = await ethers.getSigners();
    accounts = await Promise.all(signers.map((s) => s.getAddress()));
    suite = connectSuite(addresses, signers[0]);
    await (await suite.token.transfer(accounts[5], parseEther("1000"))).wait();
  });

  describe("suite discovery", function () {
    it("should fail with a one-line message when the address book is missing", async function () {
      const message = await fails(["datanet", "create"], {
        uri: "ipfs://x",
        addresses: join(dir, "nope.json"),
      });
      expect(message).to.contain("no address book at").and.contain("npm run deploy");
    });

    it("should find the suite in Ignition's book of --deployment", async function () {
      const id = `cli-test-${process.pid}`;
      const bookDir = join(process.cwd(), "deploy", "deployments", id);
      await mkdir(bookDir, { recursive: true });
      try {
        await writeFile(
          join(bookDir, "deployed_addresses.json"),
          JSON.stringify({
            "OpenToken#OpenToken": addresses.token,
            "Suite#DatanetRegistry": addresses.datanets,
            "Suite#ModelRegistry": addresses.models,
            "Suite#OperatorStaking": addresses.staking,
            "Suite#AttributionRegistry": addresses.attribution,
            "Suite#RewardDistributor": addresses.distributor,
          }),
        );
        const file = await writeText("probe.txt", "probe");
        // Reaching the view call proves the book was found and the contracts answered.
        const message = await fails(["datanet", "contribute"], {
          datanet: "5",
          file,
          addresses: undefined,
          deployment: id,
        });
        expect(message).to.equal("Error: datanet 5 does not exist (this registry has 0): check --datanet");
      } finally {
        await rm(bookDir, { recursive: true, force: true });
      }
    });

    it("should fail when the book's addresses have no code on this chain", async function () {
      const empty = join(dir, "empty-book.json");
      await saveAddresses(empty, { ...addresses, datanets: accounts[9] });
      expect(await fails(["datanet", "create"], { uri: "ipfs://x", addresses: empty }))
        .to.contain("no contract at")
        .and.contain("did you forget --network localhost?");
    });

    it("should fail when --from is not an account of the network", async function () {
      expect(await fails(["datanet", "create"], { uri: "ipfs://x", from: "99" })).to.contain("--from 99");
    });
  });

  describe("datanet", function () {
    it("create: should create a datanet owned by the sender and print its id as JSON", async function () {
      const json = await ok(["datanet", "create"], {
        uri: "ipfs://datanet/coasts",
        licence: "research,commercialInference,fineTuning,derivatives",
        from: "1",
      });
      expect(json.datanetId).to.equal("1");
      const d = await suite.datanets.datanet(1n);
      expect(d.owner).to.equal(accounts[1]);
      expect(d.metadataURI).to.equal("ipfs://datanet/coasts");
      expect(d.licence).to.equal(1n + 2n + 4n + 16n);
    });

    it("create: should print a human line without --json", async function () {
      const ran = await run(["datanet", "create"], { uri: "ipfs://datanet/other", json: false });
      expect(ran.stdout).to.match(/^datanet 2 created by 0x/);
    });

    it("create: should reject a missing --uri, an unknown licence and an unknown policy before sending", async function () {
      expect(await fails(["datanet", "create"], {})).to.contain("--uri is required");
      expect(await fails(["datanet", "create"], { uri: "x", licence: "everything" })).to.contain(
        'unknown licence use "everything"',
      );
      expect(await fails(["datanet", "create"], { uri: "x", policy: "closed" })).to.contain(
        "--policy must be open or allowlist",
      );
    });

    it("contribute --file: should submit one file with keccak256 content hash and byte size", async function () {
      const json = await ok(["datanet", "contribute"], {
        datanet: "1",
        file: await writeText("a.txt", TEXT.a),
        from: "2",
      });
      const [id] = json.contributionIds as string[];
      ids.a = id;
      const c = await suite.datanets.contribution(1n, id);
      expect(c.contributor).to.equal(accounts[2]);
      expect(c.size).to.equal(BigInt(Buffer.byteLength(TEXT.a)));
      expect(c.status).to.equal(1n);
      expect(id).to.equal(await suite.datanets.contributionIdOf(1n, accounts[2], hashOf(TEXT.a)));
    });

    it("contribute --dir: should submit every file in batches", async function () {
      const batchDir = join(dir, "batch");
      await mkdir(batchDir);
      for (const k of ["b", "c", "d"] as const) await writeFile(join(batchDir, `${k}.txt`), TEXT[k]);
      const json = await ok(["datanet", "contribute"], {
        datanet: "1",
        dir: batchDir,
        batchSize: "2",
        from: "3",
      });
      const contributionIds = json.contributionIds as string[];
      expect(contributionIds).to.have.length(3);
      expect(json.transactions as string[]).to.have.length(2);
      [ids.b, ids.c, ids.d] = contributionIds;
      expect((await suite.datanets.contribution(1n, ids.d)).contributor).to.equal(accounts[3]);
    });

    it("contribute --dir: should print the file-to-id mapping and skip, naming them, files already on chain or repeated", async function () {
      const again = join(dir, "again");
      await mkdir(again);
      await writeFile(join(again, "b.txt"), TEXT.b); // account 3's since the previous test
      await writeFile(
        join(again, "new.txt"),
        "a fresh text about tide pools and the snails that live in them",
      );
      await writeFile(
        join(again, "same.txt"),
        "a fresh text about tide pools and the snails that live in them",
      );
      // Only account 3's own earlier submission makes b.txt a duplicate (ids bind the contributor).
      const json = await ok(["datanet", "contribute"], {
        datanet: "1",
        dir: again,
        uriPrefix: "ipfs://x/",
        from: "3",
      });
      const contributions = json.contributions as { uri: string; contributionId: string }[];
      expect(contributions.map((c) => c.uri)).to.deep.equal(["ipfs://x/new.txt"]);
      expect(json.contributionIds).to.deep.equal([contributions[0].contributionId]);
      const skipped = json.skipped as { uri: string; contributionId: string; reason: string }[];
      expect(skipped.map((s) => [s.uri, s.reason])).to.deep.equal([
        ["ipfs://x/b.txt", "already in datanet 1 (Pending)"],
        ["ipfs://x/same.txt", "same content as ipfs://x/new.txt"],
      ]);
      expect(skipped[0].contributionId).to.equal(ids.b);
      await (
        await suite.datanets
          .connect((await ethers.getSigners())[3])
          .withdrawContribution(1n, contributions[0].contributionId)
      ).wait();
      const text = await run(["datanet", "contribute"], { datanet: "1", dir: again, json: false, from: "3" });
      expect(text.result.success).to.equal(false);
      expect(text.stderr)
        .to.contain("skipped file://b.txt: already in datanet 1")
        .and.contain("every one of the 3 contributions is already in datanet 1: nothing to submit");
    });

    it("contribute --manifest: should submit files and declared hashes", async function () {
      await writeText("e.txt", TEXT.e);
      const manifest = join(dir, "manifest.json");
      const junk = keccak256(toUtf8Bytes("a near duplicate"));
      await writeFile(
        manifest,
        JSON.stringify([
          { file: "e.txt", uri: "ipfs://e" },
          { contentHash: junk, size: 16, uri: "ipfs://junk" },
        ]),
      );
      const json = await ok(["datanet", "contribute"], { datanet: "1", manifest, from: "3" });
      [ids.e, ids.junk] = json.contributionIds as string[];
      expect((await suite.datanets.contribution(1n, ids.junk)).size).to.equal(16n);
    });

    it("contribute --manifest: should submit 1,000 contributions in batches of 100", async function () {
      const manifest = join(dir, "many.json");
      const items = Array.from({ length: 1000 }, (_, i) => ({
        contentHash: keccak256(toUtf8Bytes(`bulk item ${i}`)),
        size: 10 + i,
        uri: `ipfs://bulk/${i}`,
      }));
      await writeFile(manifest, JSON.stringify(items));
      const json = await ok(["datanet", "contribute"], { datanet: "2", manifest });
      expect(json.contributionIds as string[]).to.have.length(1000);
      expect(json.transactions as string[]).to.have.length(10);
      const last = (json.contributionIds as string[])[999];
      expect((await suite.datanets.contribution(2n, last)).size).to.equal(1009n);
    });

    it("contribute --sign-only then --relay: should record the signer as contributor, the relayer paying", async function () {
      const signed = join(dir, "signed.json");
      const block = await ethers.provider.getBlockNumber();
      await ok(["datanet", "contribute"], {
        datanet: "1",
        file: await writeText("f.txt", TEXT.f),
        signOnly: true,
        out: signed,
        from: "2",
      });
      expect(await ethers.provider.getBlockNumber()).to.equal(block);
      const json = await ok(["datanet", "contribute"], { relay: signed, from: "6" });
      ids.f = json.contributionId as string;
      expect(json.relayer).to.equal(accounts[6]);
      expect((await suite.datanets.contribution(1n, ids.f)).contributor).to.equal(accounts[2]);
    });

    it("contribute: should reject bad ids, unknown datanets, missing files and ambiguous sources before sending", async function () {
      const file = join(dir, "a.txt");
      expect(await fails(["datanet", "contribute"], { datanet: "abc", file })).to.contain(
        "--datanet must be a positive integer",
      );
      expect(await fails(["datanet", "contribute"], { datanet: "99", file })).to.contain(
        "datanet 99 does not exist",
      );
      expect(
        await fails(["datanet", "contribute"], { datanet: "1", file: join(dir, "missing.txt") }),
      ).to.contain("does not exist or cannot be read");
      expect(await fails(["datanet", "contribute"], { datanet: "1" })).to.contain("exactly one of --file");
      expect(await fails(["datanet", "contribute"], { datanet: "1", file, dir })).to.contain(
        "exactly one of --file",
      );
      expect(await fails(["datanet", "contribute"], { datanet: "1", dir: join(dir, "nodir") })).to.contain(
        "does not exist",
      );
    });

    it("contribute: should print the decoded custom error when the contract reverts", async function () {
      const message = await fails(["datanet", "contribute"], {
        datanet: "1",
        file: join(dir, "a.txt"),
        from: "2",
      });
      expect(message).to.match(
        /^Error: the transaction reverted: DuplicateContribution\(datanetId=1, contributionId=0x[0-9a-f]{64}\): this contributor already submitted this content to datanet 1 \(contribution 0x[0-9a-f]{64}\): leave it out$/,
      );
    });

    it("curate: should accept several contributions and reject one with a reason", async function () {
      const accept = [ids.a, ids.b, ids.c, ids.d, ids.e, ids.f].join(",");
      const json = await ok(["datanet", "curate"], {
        datanet: "1",
        contribution: accept,
        accept: true,
        from: "1",
      });
      expect(json.contributionIds as string[]).to.have.length(6);
      expect((await suite.datanets.contribution(1n, ids.c)).status).to.equal(2n);
      await ok(["datanet", "curate"], {
        datanet: "1",
        contribution: ids.junk,
        reject: true,
        reason: "2",
        from: "1",
      });
      expect((await suite.datanets.contribution(1n, ids.junk)).status).to.equal(3n);
    });

    it("curate: should reject malformed ids, non-pending contributions, non-curators and missing decisions", async function () {
      expect(
        await fails(["datanet", "curate"], { datanet: "1", contribution: "0x12", accept: true }),
      ).to.contain("--contribution must be 0x + 64 hex");
      expect(
        await fails(["datanet", "curate"], { datanet: "1", contribution: ids.a, accept: true, from: "1" }),
      ).to.contain("is Accepted, not Pending");
      expect(await fails(["datanet", "curate"], { datanet: "1", contribution: ids.a })).to.contain(
        "--accept or --reject",
      );
      const unknown = "0x" + "ab".repeat(32);
      expect(
        await fails(["datanet", "curate"], { datanet: "1", contribution: unknown, accept: true }),
      ).to.contain("is not in datanet 1");
    });

    it("withdraw: should withdraw the sender's contribution and refuse someone else's", async function () {
      expect(
        await fails(["datanet", "withdraw"], { datanet: "1", contribution: ids.d, from: "2" }),
      ).to.contain(`belongs to ${accounts[3]}`);
      await ok(["datanet", "withdraw"], { datanet: "1", contribution: ids.d, from: "3" });
      expect((await suite.datanets.contribution(1n, ids.d)).status).to.equal(4n);
    });

    it("publish: should publish the tree of accepted contributions built from events", async function () {
      const out = join(dir, "version-1.json");
      const json = await ok(["datanet", "publish"], { datanet: "1", out, from: "1" });
      expect(json.versionNumber).to.equal("1");
      expect(json.contributionCount).to.equal(5);
      const v = await suite.datanets.version(1n, 1n);
      expect(v.merkleRoot).to.equal(json.root);
      const dump = JSON.parse(await readFile(out, "utf8")) as { values: unknown[] };
      expect(dump.values).to.have.length(5);
    });

    it("publish: should refuse a datanet with nothing accepted and a non-curator", async function () {
      expect(await fails(["datanet", "publish"], { datanet: "2" })).to.contain("no accepted contribution");
      expect(await fails(["datanet", "publish"], { datanet: "1", from: "4" })).to.contain("is not a curator");
    });
  });

  describe("model", function () {
    let modelFile: string;

    it("register: should register a model from a JSON file", async function () {
      modelFile = join(dir, "model.json");
      await writeFile(
        modelFile,
        JSON.stringify({
          metadataURI: "ipfs://model/coast-7b",
          artifactHash: keccak256(toUtf8Bytes("weights")),
          declaredUses: "commercialInference",
          price: "2",
          trainingInputs: [{ datanetId: "1", versionNumber: "1", weightBps: 10000 }],
        }),
      );
      const json = await ok(["model", "register"], { file: modelFile, from: "4" });
      expect(json.modelId).to.equal("1");
      const m = await suite.models.model(1n);
      expect(m.owner).to.equal(accounts[4]);
      expect(m.pricePerUnit).to.equal(parseEther("2"));
    });

    it("register: should refuse a missing file, bad JSON fields and unknown datanet versions", async function () {
      expect(await fails(["model", "register"], {})).to.contain("--file is required");
      expect(await fails(["model", "register"], { file: join(dir, "none.json") })).to.contain(
        "does not exist",
      );
      const bad = join(dir, "bad-model.json");
      const base = JSON.parse(await readFile(modelFile, "utf8")) as Record<string, unknown>;
      await writeFile(bad, JSON.stringify({ ...base, artifactHash: "0x1234" }));
      expect(await fails(["model", "register"], { file: bad })).to.contain(
        "artifactHash must be a 32-byte hex",
      );
      await writeFile(
        bad,
        JSON.stringify({ ...base, trainingInputs: [{ datanetId: 1, versionNumber: 9, weightBps: 10000 }] }),
      );
      expect(await fails(["model", "register"], { file: bad })).to.contain("datanet 1 has no version 9");
      await writeFile(bad, JSON.stringify({ ...base, baseModelId: 7 }));
      expect(await fails(["model", "register"], { file: bad })).to.contain("model 7 does not exist");
    });

    it("version: should add a version with new training inputs", async function () {
      const json = await ok(["model", "version"], {
        model: "1",
        artifactHash: keccak256(toUtf8Bytes("weights v2")),
        inputs: "1:1:10000",
        from: "4",
      });
      expect(json.versionNumber).to.equal("2");
      expect((await suite.models.model(1n)).versionCount).to.equal(2n);
    });

    it("version: should refuse malformed inputs and a non-owner", async function () {
      const artifactHash = keccak256(toUtf8Bytes("w"));
      expect(
        await fails(["model", "version"], { model: "1", artifactHash, inputs: "1-1-10000", from: "4" }),
      ).to.contain("is not datanet:version:bps");
      expect(
        await fails(["model", "version"], { model: "1", artifactHash, inputs: "1:1:10000", from: "2" }),
      ).to.contain(`is owned by ${accounts[4]}`);
    });

    it("price: should set the price in OPEN and refuse bad amounts and unknown models", async function () {
      await ok(["model", "price"], { model: "1", price: "3", from: "4" });
      expect((await suite.models.model(1n)).pricePerUnit).to.equal(parseEther("3"));
      expect(await fails(["model", "price"], { model: "1", price: "-1", from: "4" })).to.contain(
        "amount of OPEN",
      );
      expect(await fails(["model", "price"], { model: "1", price: "abc", from: "4" })).to.contain(
        "amount of OPEN",
      );
      expect(await fails(["model", "price"], { model: "42", price: "1", from: "4" })).to.contain(
        "model 42 does not exist",
      );
    });
  });

  describe("infer, attribution, rewards", function () {
    let e0: bigint;
    let e1: bigint;
    let attributionDir: string;

    it("infer pay: should pay with approve and with a permit, splitting the amount", async function () {
      e0 = await suite.attribution.currentEpoch();
      const before = await suite.token.balanceOf(accounts[5]);
      const json = await ok(["infer", "pay"], { model: "1", units: "10", from: "5" });
      expect(json.amount).to.equal(parseEther("30").toString());
      expect(json.epoch).to.equal(e0.toString());
      await ok(["infer", "pay"], { model: "1", units: "5", permit: true, from: "5" });
      expect(await suite.token.balanceOf(accounts[5])).to.equal(before - parseEther("45"));
      expect(await suite.distributor.epochPool(1n, e0)).to.be.greaterThan(0n);
    });

    it("infer pay: should refuse zero units, unknown models and a payer without OPEN", async function () {
      expect(await fails(["infer", "pay"], { model: "1", units: "0", from: "5" })).to.contain(
        "--units must be a positive integer",
      );
      expect(await fails(["infer", "pay"], { model: "42", units: "1", from: "5" })).to.contain(
        "model 42 does not exist",
      );
      expect(await fails(["infer", "pay"], { model: "1", units: "1", from: "7" })).to.contain(
        "holds 0.0 OPEN",
      );
    });

    it("attribution commit: should refuse an epoch that has not ended and a non-operator", async function () {
      const common = { model: "1", method: "datanet-size", out: join(dir, "x") };
      const end = new Date(Number(await suite.attribution.epochEnd(e0)) * 1000)
        .toISOString()
        .replace(".000Z", "Z");
      expect(await fails(["attribution", "commit"], { ...common, epoch: e0.toString() })).to.contain(
        `has not ended: it ends ${end}, in `,
      );
      await ok(["infer", "pay"], { model: "1", units: "4", from: "5" }); // still epoch e0
      await networkHelpers.time.increase(await suite.attribution.epochLength());
      e1 = await suite.attribution.currentEpoch();
      await ok(["infer", "pay"], { model: "1", units: "4", from: "5" });
      await networkHelpers.time.increase(await suite.attribution.epochLength());
      expect(
        await fails(["attribution", "commit"], { ...common, epoch: e0.toString(), from: "3" }),
      ).to.contain("does not hold ATTRIBUTION_OPERATOR_ROLE");
      expect(await fails(["attribution", "commit"], { ...common, method: "magic", epoch: "0" })).to.contain(
        "--method must be",
      );
      expect(
        await fails(["attribution", "commit"], {
          model: "1",
          epoch: e0.toString(),
          corpus: join(dir, "none"),
          outputs: book,
        }),
      ).to.contain("--corpus");
    });

    it("attribution commit (span-match): should run the engine, write table and proofs, commit the root", async function () {
      // The contributed directory as it is: any names, nested, with a file that is no contribution.
      const corpus = join(dir, "corpus");
      await mkdir(join(corpus, "nested"), { recursive: true });
      for (const [name, text] of Object.entries(TEXT))
        await writeFile(join(corpus, name === "f" ? "nested/f.md" : `${name}.txt`), text);
      await writeFile(join(corpus, "notes.txt"), "not a contribution");
      const outputs = join(dir, "outputs.jsonl");
      await writeFile(
        outputs,
        [
          {
            id: "1",
            text: "answer: the river delta floods each spring and the farmers plant rice in the rich silt",
          },
          {
            id: "2",
            text: "a lighthouse keeper wrote down every ship that passed the rocky cape during the long winter",
          },
        ]
          .map((o) => JSON.stringify(o))
          .join("\n") + "\n",
      );
      attributionDir = join(dir, "attribution");
      const partial = join(dir, "partial-corpus");
      await mkdir(partial);
      await writeFile(join(partial, "a.txt"), TEXT.a);
      expect(
        await fails(["attribution", "commit"], {
          model: "1",
          epoch: e0.toString(),
          corpus: partial,
          outputs,
        }),
      ).to.match(
        /4 of 5 contributions have no file in .* whose keccak256 is their content hash: 0x[0-9a-f]{64}/,
      );
      const json = await ok(["attribution", "commit"], {
        model: "1",
        epoch: e0.toString(),
        corpus,
        outputs,
        out: attributionDir,
      });
      expect(json.method).to.equal("span-match");
      expect(json.contributors).to.equal(2);
      // d was withdrawn (so it is in no version) and notes.txt was never contributed.
      expect(json.unmatchedFiles).to.deep.equal(["d.txt", "notes.txt"]);
      const c = await suite.attribution.commitment(1n, e0);
      expect(c.root).to.equal(json.root);
      expect(c.methodId).to.equal(257n); // span-match, specification version 1
      const files = json.files as { csv: string; json: string; proofs: string };
      expect(await readFile(files.csv, "utf8")).to.match(/^contributor,contributions,weight\n/);
      const proofs = await readdir(files.proofs);
      expect(proofs.sort()).to.deep.equal(
        [accounts[2], accounts[3]].map((a) => `${a.toLowerCase()}.json`).sort(),
      );
      expect(
        await fails(["attribution", "commit"], { model: "1", epoch: e0.toString(), table: files.json }),
      ).to.contain("already committed");
    });

    it("attribution commit (datanet-size, --dry-run then --table): should commit a computed table as is", async function () {
      const staging = join(dir, "staging");
      const dry = await ok(["attribution", "commit"], {
        model: "1",
        epoch: e1.toString(),
        method: "datanet-size",
        out: staging,
        dryRun: true,
      });
      expect(dry.committed).to.equal(false);
      expect(await suite.attribution.commitmentStatus(1n, e1)).to.equal(0n);
      const table = (dry.files as { json: string }).json;
      expect(await fails(["attribution", "commit"], { model: "1", epoch: "0", table })).to.contain(
        "is the table of model 1",
      );
      const tablesDir = join(dir, "published-tables");
      const json = await ok(["attribution", "commit"], {
        table,
        out: attributionDir,
        publishDir: tablesDir,
        publishUrl: "http://127.0.0.1:8642/files",
      });
      const hash = keccak256(await readFile((json.files as { json: string }).json));
      expect(json.uri).to.equal(`http://127.0.0.1:8642/files/${hash}`);
      expect(keccak256(await readFile(join(tablesDir, hash)))).to.equal(hash);
      expect(json.method).to.equal("datanet-size");
      expect((await suite.attribution.commitment(1n, e1)).root).to.equal(json.root);
    });

    it("rewards finalize: should refuse a pending commitment, then finalize once final", async function () {
      const finalAt = (await suite.attribution.commitment(1n, e0)).finalAt;
      expect(await fails(["rewards", "finalize"], { model: "1", epoch: e0.toString() })).to.contain(
        `is Pending, not Final; it becomes final ${new Date(Number(finalAt) * 1000).toISOString().replace(".000Z", "Z")}, in `,
      );
      expect(await fails(["rewards", "finalize"], { model: "1", epoch: "999" })).to.contain(
        "nothing was committed for model 1 epoch 999",
      );
      await networkHelpers.time.increase((await suite.attribution.challengeWindow()) + 1n);
      const json = await ok(["rewards", "finalize"], { model: "1", epoch: e0.toString() });
      expect(json.finalizeSeq).to.equal("1");
      expect((await suite.distributor.pair(1n, e0)).finalizeSeq).to.equal(1n);
      expect(await fails(["rewards", "finalize"], { model: "1", epoch: e0.toString() })).to.contain(
        "already finalized",
      );
    });

    let proofs: string;
    let published: string;
    let api: Awaited<ReturnType<typeof startApi>> | undefined;
    after(async () => api?.close());
    it("rewards settle: should settle finalized pairs from the tables and write the dump and proofs", async function () {
      expect(await fails(["rewards", "settle"], { tables: join(dir, "none") })).to.contain(
        "is not a directory",
      );
      expect(await fails(["rewards", "settle"], { tables: attributionDir, from: "3" })).to.contain(
        "SETTLEMENT_OPERATOR_ROLE",
      );
      // Published under its keccak256 in a directory the indexer's API serves (GET /files/<hash>).
      published = join(dir, "published");
      api = await startApi(await openDatabase(join(dir, "api.sqlite")), 0, undefined, {
        filesDir: published,
      });
      expect(
        await fails(["rewards", "settle"], { tables: attributionDir, publishUrl: `${api.url}/files` }),
      ).to.contain("--publish-dir <dir> and --publish-url <base> together");
      const json = await ok(["rewards", "settle"], {
        tables: attributionDir,
        out: join(dir, "settlement"),
        publishDir: published,
        publishUrl: `${api.url}/files/`,
      });
      const dumpBytes = await readFile((json.files as { dump: string }).dump);
      expect(json.uri).to.equal(`${api.url}/files/${keccak256(dumpBytes)}`);
      const served = await fetch(json.uri as string);
      expect(served.status).to.equal(200);
      expect(keccak256(new Uint8Array(await served.arrayBuffer()))).to.equal(keccak256(dumpBytes));
      expect((await fetch(`${api.url}/files/0x${"00".repeat(32)}`)).status).to.equal(404);
      // Posted, the root is pending for its dispute window; `rewards activate` makes it live after.
      expect((await suite.distributor.pendingSettlement()).root).to.equal(json.root);
      expect(await fails(["rewards", "activate"], {})).to.contain("is in its dispute window until");
      await networkHelpers.time.increase((await suite.distributor.disputeWindow()) + 1n);
      const activated = await ok(["rewards", "activate"], { from: "7" });
      expect(activated.root).to.equal(json.root);
      expect(await fails(["rewards", "activate"], {})).to.contain("no settlement root is pending");
      const latest = await suite.distributor.latestSettlement();
      expect(latest.root).to.equal(json.root);
      expect(latest.total.toString()).to.equal(json.total);
      proofs = (json.files as { proofs: string }).proofs;
      // Two paid accounts and the chain's sentinel leaf (account 0, which disputes prove against).
      expect(await readdir(proofs))
        .to.have.length(3)
        .and.include(`${ethers.ZeroAddress}.json`);
      expect(await fails(["rewards", "settle"], { tables: attributionDir })).to.contain(
        "nothing new to settle",
      );
    });

    it("rewards claim --proof: should pay the proof's account from anyone's transaction", async function () {
      const proof = join(proofs, `${accounts[2].toLowerCase()}.json`);
      expect(await fails(["rewards", "claim"], { proof, account: "0x1234" })).to.contain(
        "--account is not a valid address",
      );
      expect(await fails(["rewards", "claim"], { proof, account: accounts[8] })).to.contain(
        "is not the account of",
      );
      expect(await fails(["rewards", "claim"], { proof: book, account: accounts[2] })).to.contain(
        "is not a settlement proof file",
      );
      const before = await suite.token.balanceOf(accounts[2]);
      const json = await ok(["rewards", "claim"], { proof, from: "6" });
      expect(await suite.token.balanceOf(accounts[2])).to.equal(before + BigInt(json.amount as string));
      expect(BigInt(json.amount as string)).to.be.greaterThan(0n);
      expect(await fails(["rewards", "claim"], { proof, account: accounts[2] })).to.contain(
        "already claimed",
      );
    });

    // Before account 3 claims under the live settlement below: since issue 13's finding 11 an
    // account that claimed under the live root is refused the direct path (SettledUnderLiveRoot).
    it("rewards claim --direct: should claim a finalized pair against its commitment", async function () {
      const table = join(attributionDir, `attribution-model-1-epoch-${e1}.json`);
      expect(await fails(["rewards", "claim"], { direct: true, table, from: "3" })).to.contain(
        "is not finalized",
      );
      await ok(["rewards", "finalize"], { model: "1", epoch: e1.toString() });
      expect(await fails(["rewards", "claim"], { direct: true, table, from: "8" })).to.contain(
        "has no weight",
      );
      const before = await suite.token.balanceOf(accounts[3]);
      const json = await ok(["rewards", "claim"], { direct: true, table, from: "3" });
      expect(await suite.token.balanceOf(accounts[3])).to.equal(before + BigInt(json.amount as string));
      expect(await suite.distributor.directClaimed(accounts[3], 1n, e1)).to.equal(true);
    });

    it("rewards claim (no --proof): should build the account's proof from the dump at the settlement's URI", async function () {
      // --indexer: the ledger read from an indexer (here of this in-process chain), one line when it is down.
      expect(
        await fails(["rewards", "claim"], { account: accounts[3], indexer: "http://127.0.0.1:1" }),
      ).to.match(/^Error: indexer at http:\/\/127\.0\.0\.1:1 unreachable \(.*\): start it/);
      const db = await openDatabase(join(dir, "claim-index.sqlite"));
      const indexer = await Indexer.open({
        db,
        source: new RpcLogSource(
          { send: (method, params) => ethers.provider.send(method, params as unknown[]) },
          "in-process chain",
        ),
        addresses,
        progressEveryMs: 0,
      });
      await indexer.catchUp();
      const indexApi = await startApi(db, 0);
      const before = await suite.token.balanceOf(accounts[3]);
      const json = await ok(["rewards", "claim"], {
        account: accounts[3],
        from: "6",
        indexer: indexApi.url,
      }).finally(async () => {
        await indexApi.close();
        await db.close();
      });
      expect(json.path).to.equal("settlement");
      expect(BigInt(json.amount as string)).to.be.greaterThan(0n);
      expect(await suite.token.balanceOf(accounts[3])).to.equal(before + BigInt(json.amount as string));
      expect(await fails(["rewards", "claim"], { account: accounts[8] })).to.contain(
        "is not in the settlement at",
      );
    });

    it("fetchBytes: should refuse a content-addressed URL whose bytes do not hash to its name", async function () {
      const { uri } = (
        await suite.distributor.queryFilter(suite.distributor.filters.SettlementCommitted())
      ).at(-1)!.args;
      expect(await fetchBytes(uri)).to.have.length.greaterThan(0);
      const name = uri.split("/").at(-1)!;
      await writeFile(join(published, name), "altered");
      expect(await fails(["rewards", "claim"], { account: accounts[3] })).to.contain("answered HTTP 500");
      const server = createServer((_req, res) => res.end("altered")).listen(0, "127.0.0.1");
      await new Promise((r) => server.once("listening", r));
      try {
        const { port } = server.address() as { port: number };
        let refused: Error | undefined;
        await fetchBytes(`http://127.0.0.1:${port}/files/${name}`).catch((e: Error) => (refused = e));
        expect(refused?.message).to.contain("the published file was altered");
      } finally {
        server.close();
      }
    });

    it("rewards withdraw: should pay the owner's earnings and the treasury, and refuse others", async function () {
      expect(await fails(["rewards", "withdraw"], { model: "1", treasury: true })).to.contain(
        "either --model",
      );
      expect(await fails(["rewards", "withdraw"], { model: "1", from: "2" })).to.contain("is owned by");
      expect(await fails(["rewards", "withdraw"], { treasury: true, from: "2" })).to.contain(
        "GOVERNANCE_ROLE",
      );
      const owed = await suite.distributor.ownerEarnings(1n);
      const before = await suite.token.balanceOf(accounts[4]);
      await ok(["rewards", "withdraw"], { model: "1", from: "4" });
      expect(await suite.token.balanceOf(accounts[4])).to.equal(before + owed);
      expect(await fails(["rewards", "withdraw"], { model: "1", from: "4" })).to.contain("no owner earnings");
      const json = await ok(["rewards", "withdraw"], { treasury: true, to: accounts[9] });
      expect(await suite.token.balanceOf(accounts[9])).to.equal(BigInt(json.amount as string));
    });

    it("model retire: should retire the model; payments are then refused before sending", async function () {
      await ok(["model", "retire"], { model: "1", from: "4" });
      expect((await suite.models.model(1n)).retired).to.equal(true);
      expect(await fails(["infer", "pay"], { model: "1", units: "1", from: "5" })).to.contain("is retired");
    });
  });

  describe("scripts", function () {
    async function quiet<T>(
      body: () => Promise<T>,
    ): Promise<{ value: T; exitCode: number | undefined; err: string }> {
      const [log, error] = [console.log, console.error];
      const errs: string[] = [];
      console.log = () => undefined;
      console.error = (...a: unknown[]) => void errs.push(a.join(" "));
      const before = process.exitCode;
      process.exitCode = undefined;
      try {
        const value = await body();
        return { value, exitCode: process.exitCode as number | undefined, err: errs.join("\n") };
      } finally {
        [console.log, console.error] = [log, error];
        process.exitCode = before;
      }
    }

    it("contribute.ts: should submit the contributions of CONTRIBUTIONS_FILE", async function () {
      const file = join(dir, "contributions.json");
      await writeText("g.txt", "a brand new note about tides and the moon for the script test");
      await writeFile(file, JSON.stringify({ datanetId: "1", contributions: [{ file: "g.txt" }] }));
      const { value } = await quiet(() => contributeScript({ file, addresses: book, from: "2" }));
      expect(value.success).to.equal(true);
      const ids = (value as { value: { contributionIds: string[] } }).value.contributionIds;
      expect((await suite.datanets.contribution(1n, ids[0])).contributor).to.equal(accounts[2]);
    });

    it("contribute.ts: should fail without CONTRIBUTIONS_FILE or with an unknown datanet", async function () {
      expect((await quiet(() => contributeScript({ file: undefined, addresses: book }))).err).to.contain(
        "set CONTRIBUTIONS_FILE",
      );
      const file = join(dir, "contributions-99.json");
      await writeFile(file, JSON.stringify({ datanetId: 99, contributions: [{ file: "g.txt" }] }));
      const ran = await quiet(() => contributeScript({ file, addresses: book }));
      expect(ran.exitCode).to.equal(1);
      expect(ran.err).to.equal("Error: datanet 99 does not exist (this registry has 2): check --datanet");
    });

    it("register-model.ts: should register the model of MODEL_FILE", async function () {
      const file = join(dir, "model2.json");
      await writeFile(
        file,
        JSON.stringify({
          metadataURI: "ipfs://model/second",
          artifactHash: keccak256(toUtf8Bytes("second")),
          declaredUses: 2,
          pricePerUnit: "1000",
          trainingInputs: [{ datanetId: 1, versionNumber: 1, weightBps: 10000 }],
        }),
      );
      const { value } = await quiet(() => registerModelScript({ file, addresses: book, from: "5" }));
      expect(value.success).to.equal(true);
      expect((await suite.models.model(2n)).owner).to.equal(accounts[5]);
      expect((await suite.models.model(2n)).pricePerUnit).to.equal(1000n);
      const ran = await quiet(() => registerModelScript({ file: undefined, addresses: book }));
      expect(ran.exitCode).to.equal(1);
    });
  });

  describe("guardian", function () {
    it("should show both money contracts running", async function () {
      const json = await ok(["guardian", "status"], {});
      const states = json.states as { contract: string; paused: boolean }[];
      expect(states.map((s) => [s.contract, s.paused])).to.deep.equal([
        ["distributor", false],
        ["attribution", false],
      ]);
    });

    it("should refuse to pause without GUARDIAN_ROLE, or an unknown --contract, sending nothing", async function () {
      expect(await fails(["guardian", "pause"], { from: "6" })).to.contain("does not hold GUARDIAN_ROLE");
      expect(await fails(["guardian", "pause"], { contract: "token" })).to.contain(
        "--contract must be distributor, attribution or both",
      );
    });

    it("should pause both for the guardian, refuse a second pause, and let governance (only) lift it with guardian unpause", async function () {
      const guardian = accounts[6];
      for (const c of [suite.distributor, suite.attribution]) {
        await (await c.grantRole(await c.GUARDIAN_ROLE(), guardian)).wait();
      }
      const json = await ok(["guardian", "pause"], { from: guardian });
      expect((json.states as { paused: boolean }[]).every((s) => s.paused)).to.equal(true);
      expect(await suite.distributor.paused()).to.equal(true);
      expect(await suite.attribution.paused()).to.equal(true);
      expect(await fails(["guardian", "pause"], { from: guardian, contract: "attribution" })).to.contain(
        "cannot pause now: attribution: PAUSED until",
      );
      // The deployer is governance in this (local) deployment: it lifts the pause (later tests need it).
      expect(await fails(["guardian", "unpause"], { from: guardian })).to.contain(
        "does not hold GOVERNANCE_ROLE on the distributor",
      );
      const lifted = await ok(["guardian", "unpause"], {});
      expect((lifted.states as { paused: boolean }[]).some((s) => s.paused)).to.equal(false);
      expect(await suite.distributor.paused()).to.equal(false);
      expect(await suite.attribution.paused()).to.equal(false);
      expect(await fails(["guardian", "unpause"], { contract: "attribution" })).to.contain(
        "nothing to unpause: attribution is running",
      );
    });
  });

  describe("usage", function () {
    let model: string;

    before(async function () {
      // Model 1 was retired above: register another one (same file, owner account 4).
      const file = join(dir, "usage-model.json");
      await writeFile(
        file,
        JSON.stringify({
          metadataURI: "ipfs://model/usage",
          artifactHash: keccak256(toUtf8Bytes("usage weights")),
          declaredUses: "commercialInference",
          price: "2",
          trainingInputs: [{ datanetId: "1", versionNumber: "1", weightBps: 10000 }],
        }),
      );
      model = (await ok(["model", "register"], { file, from: "4" })).modelId as string;
    });

    it("usage deposit, sign, redeem, status and withdraw: should pay a model by voucher end to end", async function () {
      const escrow = escrowAddress;
      const dep = await ok(["usage", "deposit"], { escrow, amount: "50", from: "5" });
      expect(dep.balance).to.equal(parseEther("50").toString());
      const out = join(dir, "voucher-1.json");
      await ok(["usage", "sign"], {
        escrow,
        model,
        units: "3",
        root: hashOf("receipts"),
        out,
        from: "5",
      });
      const redeemed = await ok(["usage", "redeem"], { escrow, vouchers: out, from: "0" });
      expect(BigInt(redeemed.charged as string) > 0n).to.equal(true);
      const status = await ok(["usage", "status"], { escrow, payer: accounts[5] });
      expect(BigInt(status.balance as string)).to.equal(
        parseEther("50") - BigInt(redeemed.charged as string),
      );
      await ok(["usage", "withdraw"], { escrow, request: "1", from: "5" });
      expect(await fails(["usage", "withdraw"], { escrow, from: "5" })).to.contain("not ready until");
      await networkHelpers.time.increase(2 * 86_400);
      const w = await ok(["usage", "withdraw"], { escrow, from: "5" });
      expect(w.amount).to.equal(parseEther("1").toString());
      // The same voucher again: named before anything is sent.
      expect(await fails(["usage", "redeem"], { escrow, vouchers: out, from: "0" })).to.contain(
        "StaleVoucher",
      );
    });

    it("usage: should refuse bad input with one line and send nothing", async function () {
      const escrow = escrowAddress;
      expect(await fails(["usage", "deposit"], { escrow, from: "5" })).to.contain("--amount is required");
      expect(await fails(["usage", "deposit"], { escrow, amount: "x", from: "5" })).to.contain("--amount");
      expect(await fails(["usage", "deposit"], { amount: "1", from: "5" })).to.contain(
        "names no usage escrow",
      );
      const out = join(dir, "voucher-2.json");
      expect(
        await fails(["usage", "sign"], { escrow, model, units: "2", root: hashOf("r"), out, from: "5" }),
      ).to.contain("not above the 3 units already redeemed");
      expect(
        await fails(["usage", "sign"], { escrow, model, units: "0", root: hashOf("r"), out, from: "5" }),
      ).to.contain("--units");
      expect(await fails(["usage", "withdraw"], { escrow, cancel: true, from: "5" })).to.contain(
        "nothing to cancel",
      );
      expect(await fails(["usage", "redeem"], { escrow, vouchers: join(dir, "none.json") })).to.contain(
        "not a readable JSON file",
      );
    });
  });

  describe("task table", function () {
    it("every task's action module: should load and export the action as its default function", async function () {
      const actions = tasks.flatMap((t) => ("action" in t && t.action ? [{ id: t.id, load: t.action }] : []));
      expect(actions.length).to.be.greaterThan(50);
      for (const { id, load } of actions) {
        const loaded = (await (load as () => Promise<{ default?: unknown }>)()).default;
        expect(typeof loaded, id.join(" ")).to.equal("function");
      }
    });
  });

  describe("from the shell", function () {
    const hardhat = join(process.cwd(), "node_modules", ".bin", "hardhat");

    it("should print --help for a task", async function () {
      const { stdout } = await promisify(execFile)(hardhat, ["datanet", "create", "--help"]);
      expect(stdout).to.contain("Create a datanet").and.contain("--addresses").and.contain("--json");
    });

    it("should exit 1 with one Error line and no stack trace on a user error", async function () {
      const failed = await promisify(execFile)(hardhat, [
        "datanet",
        "create",
        "--uri",
        "x",
        "--addresses",
        join(dir, "nope.json"),
      ]).then(
        () => undefined,
        (e: { code: number; stderr: string }) => e,
      );
      expect(failed?.code).to.equal(1);
      const lines = failed!.stderr.split("\n").filter((l) => l.trim() !== "" && !l.includes("nodedir"));
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(/^Error: no address book at /);
    });
  });
});

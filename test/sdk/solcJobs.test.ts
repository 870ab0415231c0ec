import { expect } from "chai";
import { availableParallelism } from "node:os";
import { solcJobs } from "../../src/hardhat/solidity-hooks.js";

describe("solcJobs (the plugin's solc concurrency)", () => {
  it("solcJobs without SOLC_JOBS runs one job per core", () => {
    expect(solcJobs({})).to.equal(availableParallelism());
    expect(solcJobs({ SOLC_JOBS: "" })).to.equal(availableParallelism());
  });

  it("solcJobs with SOLC_JOBS=3 runs three", () => {
    expect(solcJobs({ SOLC_JOBS: "3" })).to.equal(3);
  });

  for (const bad of ["0", "-1", "1.5", "two"]) {
    it(`solcJobs with SOLC_JOBS=${bad} fails naming the variable`, () => {
      expect(() => solcJobs({ SOLC_JOBS: bad })).to.throw(`SOLC_JOBS=${bad} is not a positive integer`);
    });
  }
});

import { expect } from "chai";
import { AbiCoder, Interface, ZeroAddress, ZeroHash, id } from "ethers";
import { network } from "hardhat";
import {
  ContractRevertError,
  OPENZEPPELIN_ERRORS,
  decodeRevert,
  decodeRevertData,
  findRevertData,
  withDecodedErrors,
} from "../../src/errors.js";
import { OpenToken__factory } from "../../typechain-types/index.js";

const { ethers, networkHelpers } = await network.getOrCreate();

const SUPPLY = 1_000_000n * 10n ** 18n;

async function deployTokenFixture() {
  const [holder, stranger] = await ethers.getSigners();
  const token = await ethers.deployContract("OpenToken", ["OpenLedger", "OPEN", holder.address, SUPPLY]);
  return { token, holder, stranger };
}

async function thrownBy(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("errors", function () {
  describe("decodeRevert", function () {
    it("should decode ERC20InsufficientBalance from a reverted transfer, with named arguments", async function () {
      const { token, stranger, holder } = await networkHelpers.loadFixture(deployTokenFixture);
      const error = await thrownBy(token.connect(stranger).transfer(holder.address, 5n));
      const revert = decodeRevert(error, OpenToken__factory);
      expect(revert).to.not.equal(undefined);
      expect(revert!.kind).to.equal("custom");
      expect(revert!.name).to.equal("ERC20InsufficientBalance");
      expect(revert!.signature).to.equal("ERC20InsufficientBalance(address,uint256,uint256)");
      expect(revert!.selector).to.equal(id("ERC20InsufficientBalance(address,uint256,uint256)").slice(0, 10));
      expect(revert!.args).to.deep.equal([stranger.address, 0n, 5n]);
      expect(revert!.namedArgs).to.deep.equal({ sender: stranger.address, balance: 0n, needed: 5n });
      expect(revert!.message).to.equal(
        `ERC20InsufficientBalance(sender=${stranger.address}, balance=0, needed=5)`,
      );
    });

    it("should decode OpenZeppelin's ERC-6093 errors without any interface", async function () {
      const { token, stranger, holder } = await networkHelpers.loadFixture(deployTokenFixture);
      const error = await thrownBy(
        token.connect(stranger).transferFrom(holder.address, stranger.address, 7n),
      );
      expect(decodeRevert(error)?.message).to.equal(
        `ERC20InsufficientAllowance(spender=${stranger.address}, allowance=0, needed=7)`,
      );
    });

    it("should decode a revert from staticCall, estimateGas and a raw transaction alike", async function () {
      const { token, stranger, holder } = await networkHelpers.loadFixture(deployTokenFixture);
      const expected = `ERC20InsufficientBalance(sender=${stranger.address}, balance=0, needed=1)`;
      const data = token.interface.encodeFunctionData("transfer", [holder.address, 1n]);
      const to = await token.getAddress();
      const errors = [
        await thrownBy(token.connect(stranger).transfer.staticCall(holder.address, 1n)),
        await thrownBy(token.connect(stranger).transfer.estimateGas(holder.address, 1n)),
        await thrownBy(stranger.sendTransaction({ to, data })),
        await thrownBy(stranger.sendTransaction({ to, data, gasLimit: 100_000n })),
      ];
      for (const error of errors) expect(decodeRevert(error, token.interface)?.message).to.equal(expected);
    });

    it("should decode the contract's own custom errors from its ABI (InvalidInitialSupply)", async function () {
      const [holder] = await ethers.getSigners();
      const error = await thrownBy(
        ethers.deployContract("OpenToken", ["OpenLedger", "OPEN", holder.address, 0n]),
      );
      const revert = decodeRevert(error, OpenToken__factory.abi);
      expect(revert?.name).to.equal("InvalidInitialSupply");
      expect(revert?.message).to.match(/^InvalidInitialSupply\(supply=0, maxSupply=\d+\)$/);
    });

    it("should decode an argument-free custom error (ZeroSupplyRecipient)", async function () {
      const error = await thrownBy(
        ethers.deployContract("OpenToken", ["OpenLedger", "OPEN", ethers.ZeroAddress, SUPPLY]),
      );
      expect(decodeRevert(error, OpenToken__factory)?.message).to.equal("ZeroSupplyRecipient()");
    });

    it("should return undefined when the error carries no revert data", function () {
      expect(decodeRevert(new Error("network down"))).to.equal(undefined);
    });
  });

  describe("decodeRevertData", function () {
    const coder = AbiCoder.defaultAbiCoder();

    it("should decode Error(string)", function () {
      const data = "0x08c379a0" + coder.encode(["string"], ["not allowed"]).slice(2);
      const revert = decodeRevertData(data);
      expect(revert.kind).to.equal("error");
      expect(revert.message).to.equal('Error("not allowed")');
      expect(revert.args).to.deep.equal(["not allowed"]);
    });

    it("should decode Panic(uint256) with its meaning", function () {
      const data = "0x4e487b71" + coder.encode(["uint256"], [0x11]).slice(2);
      const revert = decodeRevertData(data);
      expect(revert.kind).to.equal("panic");
      expect(revert.message).to.equal("Panic(0x11: arithmetic overflow or underflow)");
    });

    it("should prefer the given interfaces, with their parameter names", function () {
      const abi = ["error UnknownDatanet(uint256 datanetId)"];
      const data = id("UnknownDatanet(uint256)").slice(0, 10) + coder.encode(["uint256"], [7]).slice(2);
      expect(decodeRevertData(data, abi).message).to.equal("UnknownDatanet(datanetId=7)");
    });

    it("should report an unknown selector as UnknownError with the raw data", function () {
      const revert = decodeRevertData("0xdeadbeef");
      expect(revert.kind).to.equal("unknown");
      expect(revert.message).to.equal("UnknownError(selector=0xdeadbeef, data=0xdeadbeef)");
    });

    it("should report empty revert data", function () {
      expect(decodeRevertData("0x").kind).to.equal("empty");
    });

    it("should decode every bundled OpenZeppelin error by name", function () {
      for (const fragment of OPENZEPPELIN_ERRORS) {
        const iface = new Interface([fragment]);
        const error = iface.getError(fragment.slice(6, fragment.indexOf("(")))!;
        const zeros = error.inputs.map((input) =>
          input.type === "address" ? ZeroAddress : input.type === "bytes32" ? ZeroHash : 0n,
        );
        expect(decodeRevertData(iface.encodeErrorResult(error, zeros)).name, fragment).to.equal(error.name);
      }
    });
  });

  describe("findRevertData", function () {
    it("should find revert data nested in ethers / JSON-RPC wrappers", function () {
      const data = "0x12345678";
      expect(findRevertData({ info: { error: { data } } })).to.equal(data);
      expect(findRevertData({ error: { body: JSON.stringify({ error: { data } }) } })).to.equal(data);
      expect(findRevertData({ cause: { data: { data } } })).to.equal(data);
      expect(findRevertData({ message: "boom" })).to.equal(undefined);
    });
  });

  describe("withDecodedErrors", function () {
    it("should rethrow a revert as a ContractRevertError whose message is the decoded error", async function () {
      const { token, stranger, holder } = await networkHelpers.loadFixture(deployTokenFixture);
      const error = await thrownBy(
        withDecodedErrors(token.connect(stranger).transfer(holder.address, 5n), token),
      );
      expect(error).to.be.instanceOf(ContractRevertError);
      const revertError = error as ContractRevertError;
      expect(revertError.message).to.equal(
        `ERC20InsufficientBalance(sender=${stranger.address}, balance=0, needed=5)`,
      );
      expect(revertError.revert.name).to.equal("ERC20InsufficientBalance");
      expect(revertError.cause).to.not.equal(undefined);
    });

    it("should pass results through and rethrow non-revert errors unchanged", async function () {
      const { token, holder } = await networkHelpers.loadFixture(deployTokenFixture);
      expect(await withDecodedErrors(token.balanceOf(holder.address))).to.equal(SUPPLY);
      const original = new Error("network down");
      expect(await thrownBy(withDecodedErrors(Promise.reject(original)))).to.equal(original);
    });
  });
});

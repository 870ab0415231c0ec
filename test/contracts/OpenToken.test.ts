import { expect } from "chai";
import { PERMIT_TYPES } from "../../src/sdk/payments.js";
import type { Signature } from "ethers";
import type { OpenToken } from "../../typechain-types/index.js";
import {
  INITIAL_SUPPLY,
  TOKEN_NAME,
  TOKEN_SYMBOL,
  deployTokenFixture,
  ethers,
  networkHelpers,
} from "../fixtures/token.js";

const { loadFixture, time } = networkHelpers;

type Wallet = Awaited<ReturnType<typeof ethers.getSigners>>[number];

/** Signs an EIP-2612 permit for `token` with `signer`'s wallet; `owner` defaults to the signer. */
async function signPermit(
  token: OpenToken,
  signer: Wallet,
  spender: string,
  value: bigint,
  deadline: bigint,
  owner: string = signer.address,
): Promise<Signature> {
  const { chainId } = await ethers.provider.getNetwork();
  const domain = { name: TOKEN_NAME, version: "1", chainId, verifyingContract: await token.getAddress() };
  const message = { owner, spender, value, nonce: await token.nonces(owner), deadline };
  return ethers.Signature.from(await signer.signTypedData(domain, PERMIT_TYPES, message));
}

describe("OpenToken", function () {
  describe("deployment", function () {
    it("should mint the whole supply once to the recipient, with the given name and symbol", async function () {
      const { token, treasury } = await loadFixture(deployTokenFixture);
      expect(await token.name()).to.equal(TOKEN_NAME);
      expect(await token.symbol()).to.equal(TOKEN_SYMBOL);
      expect(await token.decimals()).to.equal(18n);
      expect(await token.totalSupply()).to.equal(INITIAL_SUPPLY);
      expect(await token.cap()).to.equal(INITIAL_SUPPLY);
      expect(await token.balanceOf(treasury.address)).to.equal(INITIAL_SUPPLY);
    });

    it("should expose no mint function and no owner", async function () {
      const { token } = await loadFixture(deployTokenFixture);
      const names: string[] = [];
      token.interface.forEachFunction((f) => names.push(f.name));
      expect(names).to.not.include("mint");
      expect(names).to.not.include("owner");
      expect(names).to.not.include("transferOwnership");
    });

    it("should revert when the supply recipient is the zero address", async function () {
      const factory = await ethers.getContractFactory("OpenToken");
      await expect(
        factory.deploy(TOKEN_NAME, TOKEN_SYMBOL, ethers.ZeroAddress, INITIAL_SUPPLY),
      ).to.be.revertedWithCustomError(factory, "ZeroSupplyRecipient");
    });

    it("should revert when the initial supply is zero or above the votes limit", async function () {
      const [treasury] = await ethers.getSigners();
      const factory = await ethers.getContractFactory("OpenToken");
      const maxSupply = 2n ** 208n - 1n;
      await expect(factory.deploy(TOKEN_NAME, TOKEN_SYMBOL, treasury.address, 0n))
        .to.be.revertedWithCustomError(factory, "InvalidInitialSupply")
        .withArgs(0n, maxSupply);
      await expect(factory.deploy(TOKEN_NAME, TOKEN_SYMBOL, treasury.address, maxSupply + 1n))
        .to.be.revertedWithCustomError(factory, "InvalidInitialSupply")
        .withArgs(maxSupply + 1n, maxSupply);
    });
  });

  describe("transfer", function () {
    it("should move tokens and emit Transfer", async function () {
      const { token, treasury, alice } = await loadFixture(deployTokenFixture);
      await expect(token.transfer(alice.address, 1000n))
        .to.emit(token, "Transfer")
        .withArgs(treasury.address, alice.address, 1000n);
      await expect(token.transfer(alice.address, 1n)).to.changeTokenBalances(
        ethers,
        token,
        [treasury, alice],
        [-1n, 1n],
      );
    });

    it("should revert with ERC20InsufficientBalance above the balance", async function () {
      const { token, alice, bob } = await loadFixture(deployTokenFixture);
      await expect(token.connect(alice).transfer(bob.address, 1n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
        .withArgs(alice.address, 0n, 1n);
    });

    it("should revert with ERC20InvalidReceiver for the zero address", async function () {
      const { token } = await loadFixture(deployTokenFixture);
      await expect(token.transfer(ethers.ZeroAddress, 1n))
        .to.be.revertedWithCustomError(token, "ERC20InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("approve and transferFrom", function () {
    it("should spend the allowance and emit Approval", async function () {
      const { token, treasury, alice, bob } = await loadFixture(deployTokenFixture);
      await expect(token.approve(alice.address, 500n))
        .to.emit(token, "Approval")
        .withArgs(treasury.address, alice.address, 500n);
      await token.connect(alice).transferFrom(treasury.address, bob.address, 200n);
      expect(await token.allowance(treasury.address, alice.address)).to.equal(300n);
      expect(await token.balanceOf(bob.address)).to.equal(200n);
    });

    it("should not decrease an infinite allowance", async function () {
      const { token, treasury, alice, bob } = await loadFixture(deployTokenFixture);
      await token.approve(alice.address, ethers.MaxUint256);
      await token.connect(alice).transferFrom(treasury.address, bob.address, 200n);
      expect(await token.allowance(treasury.address, alice.address)).to.equal(ethers.MaxUint256);
    });

    it("should revert with ERC20InsufficientAllowance above the allowance", async function () {
      const { token, treasury, alice, bob } = await loadFixture(deployTokenFixture);
      await token.approve(alice.address, 10n);
      await expect(token.connect(alice).transferFrom(treasury.address, bob.address, 11n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
        .withArgs(alice.address, 10n, 11n);
    });

    it("should revert with ERC20InvalidSpender when approving the zero address", async function () {
      const { token } = await loadFixture(deployTokenFixture);
      await expect(token.approve(ethers.ZeroAddress, 1n))
        .to.be.revertedWithCustomError(token, "ERC20InvalidSpender")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("permit", function () {
    it("should set the allowance from a wallet signature relayed by anyone", async function () {
      const { token, alice, bob, relayer } = await loadFixture(deployTokenFixture);
      const deadline = BigInt(await time.latest()) + 3600n;
      const sig = await signPermit(token, alice, bob.address, 777n, deadline);
      await expect(
        token.connect(relayer).permit(alice.address, bob.address, 777n, deadline, sig.v, sig.r, sig.s),
      )
        .to.emit(token, "Approval")
        .withArgs(alice.address, bob.address, 777n);
      expect(await token.allowance(alice.address, bob.address)).to.equal(777n);
      expect(await token.nonces(alice.address)).to.equal(1n);
    });

    it("should revert with ERC2612ExpiredSignature after the deadline", async function () {
      const { token, alice, bob } = await loadFixture(deployTokenFixture);
      const deadline = BigInt(await time.latest()) - 1n;
      const sig = await signPermit(token, alice, bob.address, 1n, deadline);
      await expect(token.permit(alice.address, bob.address, 1n, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(token, "ERC2612ExpiredSignature")
        .withArgs(deadline);
      expect(await token.nonces(alice.address)).to.equal(0n);
    });

    it("should revert with ERC2612InvalidSigner when signed by another wallet", async function () {
      const { token, alice, bob, carol } = await loadFixture(deployTokenFixture);
      const deadline = BigInt(await time.latest()) + 3600n;
      const sig = await signPermit(token, carol, bob.address, 1n, deadline, alice.address);
      await expect(token.permit(alice.address, bob.address, 1n, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(token, "ERC2612InvalidSigner")
        .withArgs(carol.address, alice.address);
      expect(await token.allowance(alice.address, bob.address)).to.equal(0n);
    });

    it("should revert with ERC2612InvalidSigner when a used signature is replayed", async function () {
      const { token, alice, bob } = await loadFixture(deployTokenFixture);
      const deadline = BigInt(await time.latest()) + 3600n;
      const sig = await signPermit(token, alice, bob.address, 5n, deadline);
      await token.permit(alice.address, bob.address, 5n, deadline, sig.v, sig.r, sig.s);
      await expect(
        token.permit(alice.address, bob.address, 5n, deadline, sig.v, sig.r, sig.s),
      ).to.be.revertedWithCustomError(token, "ERC2612InvalidSigner");
      expect(await token.nonces(alice.address)).to.equal(1n);
    });
  });

  describe("votes", function () {
    it("should use a timestamp clock", async function () {
      const { token } = await loadFixture(deployTokenFixture);
      expect(await token.CLOCK_MODE()).to.equal("mode=timestamp");
      expect(await token.clock()).to.equal(BigInt(await time.latest()));
    });

    it("should count no votes until delegated, then checkpoint them over time", async function () {
      const { token, treasury, alice, bob } = await loadFixture(deployTokenFixture);
      await token.transfer(alice.address, 1000n);
      expect(await token.getVotes(alice.address)).to.equal(0n);

      await expect(token.connect(alice).delegate(bob.address))
        .to.emit(token, "DelegateChanged")
        .withArgs(alice.address, ethers.ZeroAddress, bob.address)
        .and.to.emit(token, "DelegateVotesChanged")
        .withArgs(bob.address, 0n, 1000n);
      const t1 = BigInt(await time.latest());
      expect(await token.getVotes(bob.address)).to.equal(1000n);
      expect(await token.delegates(alice.address)).to.equal(bob.address);

      await time.increase(100);
      await token.transfer(alice.address, 500n);
      const t2 = BigInt(await time.latest());
      await time.increase(100);

      expect(await token.getPastVotes(bob.address, t1)).to.equal(1000n);
      expect(await token.getPastVotes(bob.address, t2)).to.equal(1500n);
      expect(await token.getPastVotes(bob.address, t1 - 1n)).to.equal(0n);
      expect(await token.numCheckpoints(bob.address)).to.equal(2n);

      await token.delegate(treasury.address);
      const t3 = BigInt(await time.latest());
      await time.increase(1);
      expect(await token.getPastTotalSupply(t3)).to.equal(INITIAL_SUPPLY);
    });

    it("should revert with ERC5805FutureLookup for a time not yet reached", async function () {
      const { token, alice } = await loadFixture(deployTokenFixture);
      const now = BigInt(await time.latest());
      await expect(token.getPastVotes(alice.address, now + 10n))
        .to.be.revertedWithCustomError(token, "ERC5805FutureLookup")
        .withArgs(now + 10n, now);
    });

    it("should delegate by signature", async function () {
      const { token, alice, bob, relayer } = await loadFixture(deployTokenFixture);
      await token.transfer(alice.address, 42n);
      const { chainId } = await ethers.provider.getNetwork();
      const expiry = BigInt(await time.latest()) + 3600n;
      const signature = await alice.signTypedData(
        { name: TOKEN_NAME, version: "1", chainId, verifyingContract: await token.getAddress() },
        {
          Delegation: [
            { name: "delegatee", type: "address" },
            { name: "nonce", type: "uint256" },
            { name: "expiry", type: "uint256" },
          ],
        },
        { delegatee: bob.address, nonce: 0n, expiry },
      );
      const sig = ethers.Signature.from(signature);
      await token.connect(relayer).delegateBySig(bob.address, 0n, expiry, sig.v, sig.r, sig.s);
      expect(await token.getVotes(bob.address)).to.equal(42n);
      await expect(
        token.connect(relayer).delegateBySig(bob.address, 0n, expiry, sig.v, sig.r, sig.s),
      ).to.be.revertedWithCustomError(token, "InvalidAccountNonce");
    });
  });

  describe("burn", function () {
    it("should burn from the caller and lower the supply, never the cap", async function () {
      const { token, treasury } = await loadFixture(deployTokenFixture);
      await expect(token.burn(1000n))
        .to.emit(token, "Transfer")
        .withArgs(treasury.address, ethers.ZeroAddress, 1000n);
      expect(await token.totalSupply()).to.equal(INITIAL_SUPPLY - 1000n);
      expect(await token.cap()).to.equal(INITIAL_SUPPLY);
    });

    it("should burnFrom with an allowance and revert without one", async function () {
      const { token, treasury, alice } = await loadFixture(deployTokenFixture);
      await expect(token.connect(alice).burnFrom(treasury.address, 1n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
        .withArgs(alice.address, 0n, 1n);
      await token.approve(alice.address, 10n);
      await token.connect(alice).burnFrom(treasury.address, 10n);
      expect(await token.totalSupply()).to.equal(INITIAL_SUPPLY - 10n);
    });

    it("should revert with ERC20InsufficientBalance when burning more than held", async function () {
      const { token, alice } = await loadFixture(deployTokenFixture);
      await expect(token.connect(alice).burn(1n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
        .withArgs(alice.address, 0n, 1n);
    });
  });
});

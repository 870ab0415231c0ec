import { expect } from "chai";
import { signPermit } from "../../src/sdk/payments.js";
import { voucherDigest } from "../../src/usage/voucher.js";
import { E18, PRICE, ethers, networkHelpers } from "../helpers/rewards.js";
import { DEPOSIT, FAR, WITHDRAWAL_DELAY, deployUsage, signed, voucher } from "../helpers/usage.js";

/** The split of `amount` under the default fee split for a root model (owner takes the royalty). */
function split(amount: bigint) {
  const protocol = (amount * 1000n) / 10_000n;
  const owner = (amount * 2500n) / 10_000n + (amount * 500n) / 10_000n;
  return { protocol, owner, pool: amount - protocol - owner };
}

describe("UsageEscrow", function () {
  describe("constructor and views", function () {
    it("should expose its wiring, delay and EIP-712 digest", async function () {
      const { escrow, token, models, distributor, app, domain } =
        await networkHelpers.loadFixture(deployUsage);
      expect(await escrow.token()).to.equal(await token.getAddress());
      expect(await escrow.models()).to.equal(await models.getAddress());
      expect(await escrow.distributor()).to.equal(await distributor.getAddress());
      expect(await escrow.withdrawalDelay()).to.equal(WITHDRAWAL_DELAY);
      const v = voucher(app.address);
      expect(await escrow.voucherDigest(v)).to.equal(voucherDigest(domain, v));
    });

    it("should revert when an address is zero, the tokens differ or the supply is above 2^96 - 1", async function () {
      const { escrow, token, models, distributor, admin } = await networkHelpers.loadFixture(deployUsage);
      const f = await ethers.getContractFactory("UsageEscrow");
      const [t, m, d] = [await token.getAddress(), await models.getAddress(), await distributor.getAddress()];
      for (const args of [
        [ethers.ZeroAddress, m, d, admin.address],
        [t, ethers.ZeroAddress, d, admin.address],
        [t, m, ethers.ZeroAddress, admin.address],
        [t, m, d, ethers.ZeroAddress],
      ]) {
        await expect(
          f.deploy(...(args as [string, string, string, string]), WITHDRAWAL_DELAY),
        ).to.be.revertedWithCustomError(escrow, "ZeroAddress");
      }
      const other = await ethers.deployContract("OpenToken", ["Other", "OTH", admin.address, 1000n]);
      await expect(f.deploy(await other.getAddress(), m, d, admin.address, WITHDRAWAL_DELAY))
        .to.be.revertedWithCustomError(escrow, "TokenMismatch")
        .withArgs(await other.getAddress(), t);
      await expect(f.deploy(t, m, d, admin.address, 60)).to.be.revertedWithCustomError(
        escrow,
        "WithdrawalDelayOutOfRange",
      );
    });

    it("should revert when the token supply is above 2^96 - 1", async function () {
      const { escrow, models, distributor, admin } = await networkHelpers.loadFixture(deployUsage);
      const big = await ethers.deployContract("HostileToken", [2n ** 96n]);
      const f = await ethers.getContractFactory("UsageEscrow");
      await expect(
        f.deploy(
          await big.getAddress(),
          await models.getAddress(),
          await distributor.getAddress(),
          admin.address,
          WITHDRAWAL_DELAY,
        ),
      )
        .to.be.revertedWithCustomError(escrow, "TokenSupplyTooLarge")
        .withArgs(2n ** 96n);
    });
  });

  describe("deposit", function () {
    it("should credit the payer from the caller and keep the books", async function () {
      const { escrow, distributor, token, app, alice } = await networkHelpers.loadFixture(deployUsage);
      await expect(escrow.connect(app).deposit(alice.address, 5n * E18))
        .to.emit(escrow, "Deposited")
        .withArgs(alice.address, app.address, 5n * E18, 5n * E18);
      expect(await escrow.balanceOf(alice.address)).to.equal(5n * E18);
      // Custody: the distributor holds the escrowed OPEN, the escrow none.
      expect(await token.balanceOf(await distributor.getAddress())).to.equal(DEPOSIT + 5n * E18);
      expect(await token.balanceOf(await escrow.getAddress())).to.equal(0n);
      const b = await escrow.books();
      expect(b.deposited).to.equal(DEPOSIT + 5n * E18);
      expect(b.balances).to.equal(DEPOSIT + 5n * E18);
    });

    it("should revert when the payer is zero, the amount is zero or deposits are paused", async function () {
      const { escrow, app, admin } = await networkHelpers.loadFixture(deployUsage);
      await expect(escrow.connect(app).deposit(ethers.ZeroAddress, 1n)).to.be.revertedWithCustomError(
        escrow,
        "ZeroAddress",
      );
      await expect(escrow.connect(app).deposit(app.address, 0n)).to.be.revertedWithCustomError(
        escrow,
        "ZeroAmount",
      );
      await escrow.grantRole(await escrow.GUARDIAN_ROLE(), admin.address);
      await escrow.pause();
      await expect(escrow.connect(app).deposit(app.address, 1n)).to.be.revertedWithCustomError(
        escrow,
        "PausedByGuardian",
      );
      await escrow.unpause();
      await escrow.connect(app).deposit(app.address, 1n);
    });

    it("should deposit with a permit, and with the allowance when the permit was front-run", async function () {
      const { escrow, token, alice, app } = await networkHelpers.loadFixture(deployUsage);
      await token.connect(app).transfer(alice.address, 10n * E18);
      const spender = await escrow.getAddress();
      const deadline = 2n ** 40n;
      const sig = await signPermit(token, alice, spender, 4n * E18, deadline);
      await escrow.connect(alice).depositWithPermit(alice.address, 4n * E18, deadline, sig.v, sig.r, sig.s);
      expect(await escrow.balanceOf(alice.address)).to.equal(4n * E18);
      // Front-run: someone submits the permit first; the deposit still goes through on the allowance.
      const sig2 = await signPermit(token, alice, spender, 3n * E18, deadline);
      await token.permit(alice.address, spender, 3n * E18, deadline, sig2.v, sig2.r, sig2.s);
      await escrow
        .connect(alice)
        .depositWithPermit(alice.address, 3n * E18, deadline, sig2.v, sig2.r, sig2.s);
      expect(await escrow.balanceOf(alice.address)).to.equal(7n * E18);
    });

    it("should revert depositWithPermit when the permit fails and the allowance is short", async function () {
      const { escrow, alice } = await networkHelpers.loadFixture(deployUsage);
      await expect(
        escrow.connect(alice).depositWithPermit(alice.address, 1n, 1n, 27, ethers.ZeroHash, ethers.ZeroHash),
      )
        .to.be.revertedWithCustomError(escrow, "PermitFailed")
        .withArgs(alice.address, 0n, 1n);
    });
  });

  describe("redeem", function () {
    it("should charge (cumulative - redeemed) x price, split it as pay does and log the usage root", async function () {
      const { escrow, distributor, token, app, domain } = await networkHelpers.loadFixture(deployUsage);
      const v = voucher(app.address, { cumulativeUnits: 10n });
      const amount = 10n * PRICE;
      const s = split(amount);
      await expect(escrow.redeem(await signed(app, domain, v)))
        .to.emit(escrow, "VoucherRedeemed")
        .withArgs(app.address, 1n, v.usageRoot, 10n, 10n, amount, 0n)
        .and.to.emit(distributor, "Paid")
        .withArgs(1n, 0n, await escrow.getAddress(), amount, s.protocol, s.owner, 0n);
      expect(await escrow.balanceOf(app.address)).to.equal(DEPOSIT - amount);
      expect(await escrow.redeemedUnits(app.address, 1n)).to.equal(10n);
      expect(await distributor.epochPool(1, 0)).to.equal(s.pool);
      expect(await distributor.ownerEarnings(1)).to.equal(s.owner);
      // No token moved: the escrowed OPEN was already at the distributor.
      expect(await token.balanceOf(await distributor.getAddress())).to.equal(DEPOSIT);
      // A newer voucher charges only the new units.
      const v2 = voucher(app.address, { cumulativeUnits: 15n, usageRoot: ethers.id("more") });
      await expect(escrow.redeem(await signed(app, domain, v2)))
        .to.emit(escrow, "VoucherRedeemed")
        .withArgs(app.address, 1n, v2.usageRoot, 15n, 5n, 5n * PRICE, 0n);
      const b = await escrow.books();
      expect(b.redeemed).to.equal(15n * PRICE);
      expect(b.deposited).to.equal(b.redeemed + b.withdrawn + b.balances);
      expect((await distributor.books()).paidIn).to.equal(15n * PRICE);
    });

    it("should keep a payer's first model's units in its slot and the others apart, whatever the model id", async function () {
      const { escrow, models, app, alice, owner, domain } = await networkHelpers.loadFixture(deployUsage);
      const big = 2n ** 32n; // too large for the payer's slot: kept apart although it comes first
      await models.setModel(big, owner.address, 0, E18);
      await escrow.connect(app).deposit(alice.address, 100n * E18);
      const redeem = async (modelId: bigint, cumulativeUnits: bigint) =>
        escrow.redeem(await signed(alice, domain, voucher(alice.address, { modelId, cumulativeUnits })));
      await redeem(big, 3n);
      await redeem(1n, 2n); // model 1 becomes alice's home model
      await redeem(big, 5n);
      expect(await escrow.redeemedUnits(alice.address, big)).to.equal(5n);
      expect(await escrow.redeemedUnits(alice.address, 1n)).to.equal(2n);
      expect(await escrow.balanceOf(alice.address)).to.equal(100n * E18 - 5n * E18 - 2n * PRICE);
      await expect(redeem(big, 5n))
        .to.be.revertedWithCustomError(escrow, "StaleVoucher")
        .withArgs(alice.address, big, 5n, 5n);
      await expect(redeem(1n, 2n))
        .to.be.revertedWithCustomError(escrow, "StaleVoucher")
        .withArgs(alice.address, 1n, 2n, 2n);
    });

    it("should charge the current price when it is below the voucher's maximum", async function () {
      const { escrow, models, app, owner, domain } = await networkHelpers.loadFixture(deployUsage);
      await models.setModel(1, owner.address, 0, E18);
      const v = voucher(app.address, { cumulativeUnits: 3n, maxPricePerUnit: 2n * E18 });
      await expect(escrow.redeem(await signed(app, domain, v)))
        .to.emit(escrow, "VoucherRedeemed")
        .withArgs(app.address, 1n, v.usageRoot, 3n, 3n, 3n * E18, 0n);
    });

    it("should accept a voucher of an ERC-1271 wallet, and refuse it once the wallet revokes", async function () {
      const { escrow, app, alice, domain } = await networkHelpers.loadFixture(deployUsage);
      const wallet = await ethers.deployContract("MockERC1271Wallet", [alice.address]);
      const w = await wallet.getAddress();
      await escrow.connect(app).deposit(w, 100n * E18);
      const v = voucher(w, { cumulativeUnits: 2n });
      const sv = await signed(alice, domain, v);
      expect(await escrow.isValidVoucher(v, sv.signature)).to.equal(true);
      await escrow.redeem(sv);
      expect(await escrow.balanceOf(w)).to.equal(100n * E18 - 2n * PRICE);
      await wallet.setRevoked(true);
      const sv2 = await signed(alice, domain, voucher(w, { cumulativeUnits: 3n }));
      await expect(escrow.redeem(sv2))
        .to.be.revertedWithCustomError(escrow, "InvalidVoucherSignature")
        .withArgs(w);
    });

    it("should redeem partially on a short balance, leave the rest owed and redeem it after a top-up", async function () {
      const { escrow, app, alice, domain } = await networkHelpers.loadFixture(deployUsage);
      await escrow.connect(app).deposit(alice.address, 5n * E18); // 2 units at 2 OPEN, 1 OPEN left
      const v = voucher(alice.address, { cumulativeUnits: 10n });
      const sv = await signed(alice, domain, v);
      expect(await escrow.quote(v)).to.deep.equal([2n, 4n * E18, 8n]);
      await expect(escrow.redeem(sv))
        .to.emit(escrow, "VoucherRedeemed")
        .withArgs(alice.address, 1n, v.usageRoot, 10n, 2n, 4n * E18, 8n);
      expect(await escrow.balanceOf(alice.address)).to.equal(E18);
      expect(await escrow.redeemedUnits(alice.address, 1n)).to.equal(2n);
      expect(await escrow.unpaidUnits(v)).to.equal(8n);
      await expect(escrow.redeem(sv))
        .to.be.revertedWithCustomError(escrow, "UnfundedPayer")
        .withArgs(alice.address, E18, PRICE);
      await expect(escrow.quote(v)).to.be.revertedWithCustomError(escrow, "UnfundedPayer");
      await escrow.connect(app).deposit(alice.address, 100n * E18);
      await expect(escrow.redeem(sv))
        .to.emit(escrow, "VoucherRedeemed")
        .withArgs(alice.address, 1n, v.usageRoot, 10n, 8n, 16n * E18, 0n);
      expect(await escrow.unpaidUnits(v)).to.equal(0n);
    });

    describe("bad input (nothing changes)", function () {
      it("should revert InvalidVoucherSignature for a wrong signer", async function () {
        const { escrow, app, bob, domain } = await networkHelpers.loadFixture(deployUsage);
        const sv = await signed(bob, domain, voucher(app.address));
        expect(await escrow.isValidVoucher(sv.voucher, sv.signature)).to.equal(false);
        await expect(escrow.redeem(sv))
          .to.be.revertedWithCustomError(escrow, "InvalidVoucherSignature")
          .withArgs(app.address);
        expect(await escrow.balanceOf(app.address)).to.equal(DEPOSIT);
      });

      it("should revert InvalidVoucherSignature for a voucher signed for another chain", async function () {
        const { escrow, app, domain } = await networkHelpers.loadFixture(deployUsage);
        const sv = await signed(app, { ...domain, chainId: domain.chainId + 1n }, voucher(app.address));
        await expect(escrow.redeem(sv))
          .to.be.revertedWithCustomError(escrow, "InvalidVoucherSignature")
          .withArgs(app.address);
        expect(await escrow.redeemedUnits(app.address, 1n)).to.equal(0n);
      });

      it("should revert VoucherExpired after the expiry", async function () {
        const { escrow, app, domain } = await networkHelpers.loadFixture(deployUsage);
        const now = BigInt(await networkHelpers.time.latest());
        const sv = await signed(app, domain, voucher(app.address, { expiry: now }));
        await expect(escrow.redeem(sv)).to.be.revertedWithCustomError(escrow, "VoucherExpired");
        expect(await escrow.balanceOf(app.address)).to.equal(DEPOSIT);
      });

      it("should revert StaleVoucher for an older voucher after a newer one, and for a repeat", async function () {
        const { escrow, app, domain } = await networkHelpers.loadFixture(deployUsage);
        const older = await signed(app, domain, voucher(app.address, { cumulativeUnits: 5n }));
        const newer = await signed(app, domain, voucher(app.address, { cumulativeUnits: 9n }));
        await escrow.redeem(newer);
        await expect(escrow.redeem(older))
          .to.be.revertedWithCustomError(escrow, "StaleVoucher")
          .withArgs(app.address, 1n, 5n, 9n);
        await expect(escrow.redeem(newer))
          .to.be.revertedWithCustomError(escrow, "StaleVoucher")
          .withArgs(app.address, 1n, 9n, 9n);
        expect(await escrow.balanceOf(app.address)).to.equal(DEPOSIT - 9n * PRICE);
        expect(await escrow.unpaidUnits(older.voucher)).to.equal(0n);
      });

      it("should revert PriceAboveMax when the price rose above the voucher's maximum", async function () {
        const { escrow, models, app, owner, domain } = await networkHelpers.loadFixture(deployUsage);
        await models.setModel(1, owner.address, 0, 3n * E18);
        const sv = await signed(app, domain, voucher(app.address));
        await expect(escrow.redeem(sv))
          .to.be.revertedWithCustomError(escrow, "PriceAboveMax")
          .withArgs(1n, 3n * E18, 2n * E18);
      });

      it("should revert ModelRetired, ZeroPrice and UnknownModel", async function () {
        const { escrow, models, app, owner, domain } = await networkHelpers.loadFixture(deployUsage);
        const sv = await signed(app, domain, voucher(app.address));
        await models.setRetired(1, true);
        await expect(escrow.redeem(sv)).to.be.revertedWithCustomError(escrow, "ModelRetired").withArgs(1n);
        await models.setModel(1, owner.address, 0, 0);
        await expect(escrow.redeem(sv)).to.be.revertedWithCustomError(escrow, "ZeroPrice").withArgs(1n);
        const unknown = await signed(app, domain, voucher(app.address, { modelId: 99n }));
        await expect(escrow.redeem(unknown))
          .to.be.revertedWithCustomError(models, "UnknownModel")
          .withArgs(99n);
      });

      it("should revert UnitsOverflow above 2^64 - 1 cumulative units", async function () {
        const { escrow, app, domain } = await networkHelpers.loadFixture(deployUsage);
        const sv = await signed(app, domain, voucher(app.address, { cumulativeUnits: 2n ** 64n }));
        await expect(escrow.redeem(sv))
          .to.be.revertedWithCustomError(escrow, "UnitsOverflow")
          .withArgs(2n ** 64n, 2n ** 64n - 1n);
      });

      it("should revert UnfundedPayer for a payer with no balance", async function () {
        const { escrow, bob, domain } = await networkHelpers.loadFixture(deployUsage);
        const sv = await signed(bob, domain, voucher(bob.address));
        await expect(escrow.redeem(sv))
          .to.be.revertedWithCustomError(escrow, "UnfundedPayer")
          .withArgs(bob.address, 0n, PRICE);
      });

      it("should revert PausedByGuardian while the distributor is paused", async function () {
        const { escrow, distributor, app, admin, domain } = await networkHelpers.loadFixture(deployUsage);
        await distributor.grantRole(await distributor.GUARDIAN_ROLE(), admin.address);
        await distributor.pause();
        const sv = await signed(app, domain, voucher(app.address));
        await expect(escrow.redeem(sv)).to.be.revertedWithCustomError(distributor, "PausedByGuardian");
      });
    });
  });

  describe("redeemBatch", function () {
    it("should redeem many payers and models in one transaction, one payment per run of a model", async function () {
      const { escrow, distributor, models, app, alice, bob, owner, domain } =
        await networkHelpers.loadFixture(deployUsage);
      await models.setModel(2, owner.address, 1, E18); // a derivative of model 1
      await escrow.connect(app).deposit(alice.address, 100n * E18);
      await escrow.connect(app).deposit(bob.address, 100n * E18);
      const batch = [
        await signed(app, domain, voucher(app.address, { cumulativeUnits: 4n })),
        await signed(alice, domain, voucher(alice.address, { cumulativeUnits: 1n })),
        await signed(bob, domain, voucher(bob.address, { modelId: 2n, cumulativeUnits: 3n })),
        await signed(app, domain, voucher(app.address, { modelId: 2n, cumulativeUnits: 2n })),
        await signed(app, domain, voucher(app.address, { cumulativeUnits: 6n })),
      ];
      const tx = escrow.redeemBatch(batch);
      await expect(tx)
        .to.emit(distributor, "Paid")
        .withArgs(
          1n,
          0n,
          await escrow.getAddress(),
          5n * PRICE,
          ...Object.values(split(5n * PRICE)).slice(0, 2),
          0n,
        );
      const receipt = await (await tx).wait();
      const paid = receipt!.logs.filter(
        (l) => l.topics[0] === distributor.interface.getEvent("Paid").topicHash,
      );
      expect(paid.length).to.equal(3); // model 1 (two vouchers), model 2 (two), model 1 (one)
      expect(await escrow.redeemedUnits(app.address, 1n)).to.equal(6n);
      expect(await escrow.redeemedUnits(app.address, 2n)).to.equal(2n);
      const b = await escrow.books();
      expect(b.redeemed).to.equal(7n * PRICE + 5n * E18);
      expect((await distributor.books()).paidIn).to.equal(b.redeemed);
    });

    it("should revert EmptyBatch, and revert the whole batch for one bad voucher", async function () {
      const { escrow, app, bob, domain } = await networkHelpers.loadFixture(deployUsage);
      await expect(escrow.redeemBatch([])).to.be.revertedWithCustomError(escrow, "EmptyBatch");
      const good = await signed(app, domain, voucher(app.address));
      const bad = await signed(bob, domain, voucher(app.address, { cumulativeUnits: 20n }));
      await expect(escrow.redeemBatch([good, bad])).to.be.revertedWithCustomError(
        escrow,
        "InvalidVoucherSignature",
      );
      expect(await escrow.redeemedUnits(app.address, 1n)).to.equal(0n);
    });
  });

  describe("withdrawals", function () {
    it("should withdraw only after the delay, with the request visible meanwhile", async function () {
      const { escrow, token, app, alice } = await networkHelpers.loadFixture(deployUsage);
      const tx = await escrow.connect(app).requestWithdrawal(100n * E18);
      const at = BigInt((await tx.getBlock())!.timestamp) + WITHDRAWAL_DELAY;
      await expect(tx)
        .to.emit(escrow, "WithdrawalRequested")
        .withArgs(app.address, 100n * E18, at);
      expect(await escrow.account(app.address)).to.deep.equal([DEPOSIT, 100n * E18, at]);
      await expect(escrow.connect(app).withdraw(alice.address))
        .to.be.revertedWithCustomError(escrow, "WithdrawalNotReady")
        .withArgs(app.address, at);
      await networkHelpers.time.increaseTo(at);
      await expect(escrow.connect(app).withdraw(alice.address))
        .to.emit(escrow, "Withdrawn")
        .withArgs(app.address, alice.address, 100n * E18);
      expect(await token.balanceOf(alice.address)).to.equal(100n * E18);
      expect(await escrow.account(app.address)).to.deep.equal([DEPOSIT - 100n * E18, 0n, 0n]);
      const b = await escrow.books();
      expect(b.withdrawn).to.equal(100n * E18);
      expect(b.deposited).to.equal(b.redeemed + b.withdrawn + b.balances);
    });

    /** Alice deposits and asks to withdraw it all; a voucher of `units` is redeemed during the delay. */
    async function redeemedDuringDelay(deposit: bigint, units: bigint) {
      const f = await networkHelpers.loadFixture(deployUsage);
      const { escrow, app, alice, domain } = f;
      await escrow.connect(app).deposit(alice.address, deposit);
      await escrow.connect(alice).requestWithdrawal(deposit);
      await escrow.redeem(await signed(alice, domain, voucher(alice.address, { cumulativeUnits: units })));
      await networkHelpers.time.increase(WITHDRAWAL_DELAY);
      return f;
    }

    it("should keep the balance redeemable during the delay and withdraw what redemptions left", async function () {
      const { escrow, alice } = await redeemedDuringDelay(10n * E18, 3n);
      await expect(escrow.connect(alice).withdraw(alice.address))
        .to.emit(escrow, "Withdrawn")
        .withArgs(alice.address, alice.address, 4n * E18);
    });

    it("should revert ZeroAmount when redemptions took the whole balance", async function () {
      const { escrow, alice } = await redeemedDuringDelay(4n * E18, 2n);
      await expect(escrow.connect(alice).withdraw(alice.address)).to.be.revertedWithCustomError(
        escrow,
        "ZeroAmount",
      );
    });

    it("should cancel a request, and revert for a missing request, zero amount, above balance, zero recipient", async function () {
      const { escrow, app } = await networkHelpers.loadFixture(deployUsage);
      await expect(escrow.connect(app).cancelWithdrawal())
        .to.be.revertedWithCustomError(escrow, "NoPendingWithdrawal")
        .withArgs(app.address);
      await expect(escrow.connect(app).withdraw(app.address))
        .to.be.revertedWithCustomError(escrow, "NoPendingWithdrawal")
        .withArgs(app.address);
      await expect(escrow.connect(app).withdraw(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        escrow,
        "ZeroAddress",
      );
      await expect(escrow.connect(app).requestWithdrawal(0n)).to.be.revertedWithCustomError(
        escrow,
        "ZeroAmount",
      );
      await expect(escrow.connect(app).requestWithdrawal(DEPOSIT + 1n))
        .to.be.revertedWithCustomError(escrow, "WithdrawalAboveBalance")
        .withArgs(app.address, DEPOSIT + 1n, DEPOSIT);
      await escrow.connect(app).requestWithdrawal(1n);
      await expect(escrow.connect(app).cancelWithdrawal())
        .to.emit(escrow, "WithdrawalCancelled")
        .withArgs(app.address);
      expect(await escrow.account(app.address)).to.deep.equal([DEPOSIT, 0n, 0n]);
    });

    it("should let governance set the delay within its bounds only", async function () {
      const { escrow, app } = await networkHelpers.loadFixture(deployUsage);
      await expect(escrow.setWithdrawalDelay(86_400))
        .to.emit(escrow, "WithdrawalDelayChanged")
        .withArgs(86_400n);
      expect(await escrow.withdrawalDelay()).to.equal(86_400n);
      await expect(escrow.setWithdrawalDelay(31n * 86_400n))
        .to.be.revertedWithCustomError(escrow, "WithdrawalDelayOutOfRange")
        .withArgs(31n * 86_400n);
      await expect(escrow.connect(app).setWithdrawalDelay(86_400)).to.be.revertedWithCustomError(
        escrow,
        "AccessControlUnauthorizedAccount",
      );
    });
  });

  describe("RewardDistributor.creditUsage and releaseUsage", function () {
    it("should revert for a caller without USAGE_ESCROW_ROLE", async function () {
      const { distributor, app } = await networkHelpers.loadFixture(deployUsage);
      await expect(
        distributor.connect(app).creditUsage([{ modelId: 1n, baseModelId: 0n, amount: 1n }]),
      ).to.be.revertedWithCustomError(distributor, "AccessControlUnauthorizedAccount");
      await expect(distributor.connect(app).releaseUsage(app.address, 1n)).to.be.revertedWithCustomError(
        distributor,
        "AccessControlUnauthorizedAccount",
      );
    });

    it("should split each credit as a payment of OPEN it already holds, and release escrowed OPEN", async function () {
      const { distributor, token, admin, alice } = await networkHelpers.loadFixture(deployUsage);
      await distributor.grantRole(await distributor.USAGE_ESCROW_ROLE(), admin.address);
      const held = await token.balanceOf(await distributor.getAddress());
      await distributor.creditUsage([
        { modelId: 1n, baseModelId: 0n, amount: 7n },
        { modelId: 1n, baseModelId: 0n, amount: 5n },
      ]);
      expect((await distributor.books()).paidIn).to.equal(12n);
      expect(await token.balanceOf(await distributor.getAddress())).to.equal(held);
      await expect(distributor.releaseUsage(alice.address, 3n)).to.changeTokenBalances(
        ethers,
        token,
        [distributor, alice],
        [-3n, 3n],
      );
    });
  });
});

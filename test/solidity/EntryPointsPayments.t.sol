// SPDX-License-Identifier: MIT
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IModelPaymentTerms} from "../../contracts/interfaces/IModelPaymentTerms.sol";
import {IRewardDistributor} from "../../contracts/interfaces/IRewardDistributor.sol";
import {IGuardianPausable} from "../../contracts/interfaces/IGuardianPausable.sol";
import {EntryPointBase} from "./EntryPointBase.sol";

/// @notice RewardDistributor, money in and owner/treasury withdrawals: pay, payWithPermit, withdrawOwnerEarnings, withdrawTreasury.
contract EntryPointsPaymentsTest is EntryPointBase {
    bytes32 private constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );

    function _digest() internal view override returns (bytes32) {
        return keccak256(abi.encode(_distributorDigest(), _tokenDigest()));
    }

    function _allowPay() private {
        _allow(IRewardDistributor.ZeroUnits.selector);
        _allow(IRewardDistributor.ZeroPrice.selector);
        _allow(IRewardDistributor.ModelRetired.selector);
        _allow(IRewardDistributor.PaymentTooLarge.selector);
        _allow(IModelPaymentTerms.UnknownModel.selector);
        _allow(IERC20Errors.ERC20InsufficientAllowance.selector);
        _allow(IERC20Errors.ERC20InsufficientBalance.selector);
        _allow(IGuardianPausable.PausedByGuardian.selector);
    }

    function testFuzz_pay(uint256 callerSeed, uint256 modelSeed, uint256 unitsSeed, uint256 warpSeed) public {
        vm.warp(block.timestamp + (warpSeed % (3 * EPOCH)));
        _maybePause(distributor, warpSeed >> 128);
        address caller = callerSeed % 2 == 0 ? payer : _caller(callerSeed);
        uint256 modelId = _id(modelSeed, MODELS);
        uint256 units = _amount(unitsSeed, 10);
        uint256 paidIn = distributor.books().paidIn;
        uint256 balance = token.balanceOf(caller);
        _allowPay();
        (bool ok, bytes memory ret) = _call(
            "pay",
            caller,
            address(distributor),
            abi.encodeCall(distributor.pay, (modelId, units))
        );
        if (ok) {
            uint256 amount = abi.decode(ret, (uint256));
            assertEq(amount, units * models.model(modelId).pricePerUnit, "pay: amount");
            assertEq(distributor.books().paidIn, paidIn + amount, "pay: paidIn");
            assertEq(token.balanceOf(caller), balance - amount, "pay: payer balance");
        }
    }

    /// @dev A payWithPermit call: caller, model, units and the caller's permit signature.
    // Memory only: packing does not matter.
    // solhint-disable-next-line gas-struct-packing
    struct PermitCase {
        address caller;
        uint256 modelId;
        uint256 units;
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @dev The caller signs a permit of price x units (or another value), intact or corrupted,
    /// with a live or expired deadline; payer also has an allowance, so a failed permit may pass.
    function testFuzz_payWithPermit(
        uint256 callerSeed,
        uint256 modelSeed,
        uint256 unitsSeed,
        uint256 variant
    ) public {
        PermitCase memory c = _permitCase(callerSeed, modelSeed, unitsSeed, variant);
        _maybePause(distributor, variant >> 128);
        uint256 paidIn = distributor.books().paidIn;
        _allowPay();
        _allow(IRewardDistributor.PermitFailed.selector);
        (bool ok, bytes memory ret) = _call(
            "payWithPermit",
            c.caller,
            address(distributor),
            abi.encodeCall(distributor.payWithPermit, (c.modelId, c.units, c.deadline, c.v, c.r, c.s))
        );
        if (ok)
            assertEq(
                distributor.books().paidIn,
                paidIn + abi.decode(ret, (uint256)),
                "payWithPermit: paidIn"
            );
    }

    function _permitCase(
        uint256 callerSeed,
        uint256 modelSeed,
        uint256 unitsSeed,
        uint256 variant
    ) private view returns (PermitCase memory c) {
        uint256 k = callerSeed % 4;
        c.caller =
            k == 0
                ? alice
                : k == 1
                    ? bob
                    : k == 2
                        ? payer
                        : _caller(callerSeed);
        uint256 key =
            k == 0
                ? aliceKey
                : k == 1
                    ? bobKey
                    : k == 2
                        ? payerKey
                        : 1 + (callerSeed % 1e30);
        c.modelId = _id(modelSeed, MODELS);
        c.units = _amount(unitsSeed, 10);
        uint256 value = c.modelId >= 1 && c.modelId <= MODELS && c.units < 1e9 ? c.units * PRICE : c.units;
        if (variant % 4 == 1) value = value / 2;
        c.deadline = variant % 5 == 0 ? block.timestamp - 1 : block.timestamp + 1 hours;
        (c.v, c.r, c.s) = vm.sign(key, _permitDigest(c.caller, value, c.deadline));
        if (variant % 3 == 1) c.r = bytes32(uint256(c.r) ^ 1);
    }

    function _permitDigest(address owner, uint256 value, uint256 deadline) private view returns (bytes32) {
        return
            keccak256(
                abi.encodePacked(
                    "\x19\x01",
                    token.DOMAIN_SEPARATOR(),
                    keccak256(
                        abi.encode(
                            PERMIT_TYPEHASH,
                            owner,
                            address(distributor),
                            value,
                            token.nonces(owner),
                            deadline
                        )
                    )
                )
            );
    }

    function testFuzz_withdrawOwnerEarnings(uint256 callerSeed, uint256 modelSeed, uint256 toSeed) public {
        address caller = callerSeed % 2 == 0 ? modelOwner : _caller(callerSeed);
        uint256 modelId = _id(modelSeed, MODELS);
        address to = _account(toSeed);
        uint256 earnings = distributor.ownerEarnings(modelId);
        uint256 toBalance = token.balanceOf(to);
        _allow(IModelPaymentTerms.UnknownModel.selector);
        _allow(IRewardDistributor.NotModelOwner.selector);
        _allow(IRewardDistributor.ZeroAddress.selector);
        _allow(IRewardDistributor.NothingToPay.selector);
        (bool ok, bytes memory ret) = _call(
            "withdrawOwnerEarnings",
            caller,
            address(distributor),
            abi.encodeCall(distributor.withdrawOwnerEarnings, (modelId, to))
        );
        if (ok) {
            assertEq(abi.decode(ret, (uint256)), earnings, "withdrawOwnerEarnings: amount");
            assertEq(distributor.ownerEarnings(modelId), 0, "withdrawOwnerEarnings: left");
            if (to != address(distributor))
                assertEq(token.balanceOf(to), toBalance + earnings, "withdrawOwnerEarnings: to");
        }
    }

    function testFuzz_withdrawTreasury(uint256 callerSeed, uint256 toSeed) public {
        address caller = callerSeed % 2 == 0 ? admin : _caller(callerSeed);
        address to = _account(toSeed);
        IRewardDistributor.Books memory b = distributor.books();
        _allowAccessControl();
        _allow(IRewardDistributor.ZeroAddress.selector);
        _allow(IRewardDistributor.NothingToPay.selector);
        (bool ok, bytes memory ret) = _call(
            "withdrawTreasury",
            caller,
            address(distributor),
            abi.encodeCall(distributor.withdrawTreasury, (to))
        );
        if (ok) {
            assertEq(
                abi.decode(ret, (uint256)),
                b.treasuryAccrued - b.treasuryWithdrawn,
                "withdrawTreasury: amount"
            );
            assertEq(distributor.books().treasuryWithdrawn, b.treasuryAccrued, "withdrawTreasury: withdrawn");
        }
    }
}

// SPDX-License-Identifier: MIT
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {OpenToken} from "../../contracts/token/OpenToken.sol";
import {IModelPaymentTerms} from "../../contracts/interfaces/IModelPaymentTerms.sol";
import {IRewardDistributor} from "../../contracts/interfaces/IRewardDistributor.sol";
import {EntryPointBase} from "./EntryPointBase.sol";

/// @notice RewardDistributor, money in and owner/treasury withdrawals: pay, payWithPermit, withdrawOwnerEarnings, withdrawTreasury.
contract EntryPointsPaymentsTest is EntryPointBase {
    bytes32 private constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");


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
    }

    function testFuzz_pay(uint256 callerSeed, uint256 modelSeed, uint256 unitsSeed, uint256 warpSeed) public {
        vm.warp(block.timestamp + (warpSeed % (3 * EPOCH)));
        address caller = callerSeed % 2 == 0 ? payer : _caller(callerSeed);
        uint256 modelId = _id(modelSeed, MODELS);
        uint256 units = _amount(unitsSeed, 10);
        uint256 paidIn = distributor.books().paidIn;
        uint256 balance = token.balanceOf(caller);
        _allowPay();
        (bool ok, bytes memory ret) = _call("pay", caller, address(distributor), abi.encodeCall(distributor.pay, (modelId, units)));
        if (ok) {
            uint256 amount = abi.decode(ret, (uint256));
            assertEq(amount, units * models.model(modelId).pricePerUnit, "pay: amount");
            assertEq(distributor.books().paidIn, paidIn + amount, "pay: paidIn");
            assertEq(token.balanceOf(caller), balance - amount, "pay: payer balance");
        }
    }

    /// @dev The caller signs a permit of price x units (or another value), intact or corrupted,
    /// with a live or expired deadline; payer also has an allowance, so a failed permit may pass.
    function testFuzz_payWithPermit(
        uint256 callerSeed,
        uint256 modelSeed,
        uint256 unitsSeed,
        uint256 variant
    ) public {
        uint256 k = callerSeed % 4;
        address caller = k == 0 ? alice : k == 1 ? bob : k == 2 ? payer : _caller(callerSeed);
        uint256 key = k == 0 ? aliceKey : k == 1 ? bobKey : k == 2 ? payerKey : 1 + (callerSeed % 1e30);
        uint256 modelId = _id(modelSeed, MODELS);
        uint256 units = _amount(unitsSeed, 10);
        uint256 value = modelId >= 1 && modelId <= MODELS && units < 1e9 ? units * PRICE : units;
        if (variant % 4 == 1) value = value / 2;
        uint256 deadline = variant % 5 == 0 ? block.timestamp - 1 : block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, _permitDigest(caller, value, deadline));
        if (variant % 3 == 1) r = bytes32(uint256(r) ^ 1);
        uint256 paidIn = distributor.books().paidIn;
        _allowPay();
        _allow(IRewardDistributor.PermitFailed.selector);
        (bool ok, bytes memory ret) = _call(
            "payWithPermit",
            caller,
            address(distributor),
            abi.encodeCall(distributor.payWithPermit, (modelId, units, deadline, v, r, s))
        );
        if (ok) assertEq(distributor.books().paidIn, paidIn + abi.decode(ret, (uint256)), "payWithPermit: paidIn");
    }

    function _permitDigest(address owner, uint256 value, uint256 deadline) private view returns (bytes32) {
        return
            keccak256(
                abi.encodePacked(
                    "\x19\x01",
                    token.DOMAIN_SEPARATOR(),
                    keccak256(
                        abi.encode(PERMIT_TYPEHASH, owner, address(distributor), value, token.nonces(owner), deadline)
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
            if (to != address(distributor)) assertEq(token.balanceOf(to), toBalance + earnings, "withdrawOwnerEarnings: to");
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
            assertEq(abi.decode(ret, (uint256)), b.treasuryAccrued - b.treasuryWithdrawn, "withdrawTreasury: amount");
            assertEq(distributor.books().treasuryWithdrawn, b.treasuryAccrued, "withdrawTreasury: withdrawn");
        }
    }
}

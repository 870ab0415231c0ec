// SPDX-License-Identifier: MIT
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {EntryPointBase} from "./EntryPointBase.sol";

/// @notice OpenToken, ERC-20 entry points: transfer, approve, transferFrom, burn (fuzzed arguments and callers).
contract EntryPointsTokenErc20Test is EntryPointBase {
    bytes32 private constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );
    uint256 private constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    bytes32 private constant DELEGATION_TYPEHASH = keccak256(
        "Delegation(address delegatee,uint256 nonce,uint256 expiry)"
    );

    function _digest() internal view override returns (bytes32) {
        return _tokenDigest();
    }

    function testFuzz_transfer(uint256 callerSeed, uint256 toSeed, uint256 amountSeed) public {
        address caller = _caller(callerSeed);
        address to = _account(toSeed);
        uint256 amount = _amount(amountSeed, token.balanceOf(caller));
        uint256 fromBefore = token.balanceOf(caller);
        uint256 toBefore = token.balanceOf(to);
        _allow(IERC20Errors.ERC20InsufficientBalance.selector);
        _allow(IERC20Errors.ERC20InvalidReceiver.selector);
        (bool ok, ) = _call("transfer", caller, address(token), abi.encodeCall(token.transfer, (to, amount)));
        if (ok && caller != to) {
            assertEq(token.balanceOf(caller), fromBefore - amount, "transfer: sender balance");
            assertEq(token.balanceOf(to), toBefore + amount, "transfer: receiver balance");
        }
    }

    function testFuzz_approve(uint256 callerSeed, uint256 spenderSeed, uint256 amountSeed) public {
        address caller = _caller(callerSeed);
        address spender = _account(spenderSeed);
        uint256 amount = _amount(amountSeed, 100 ether);
        _allow(IERC20Errors.ERC20InvalidSpender.selector);
        _watch(address(token), abi.encodeCall(token.allowance, (caller, spender)));
        (bool ok, ) = _call(
            "approve",
            caller,
            address(token),
            abi.encodeCall(token.approve, (spender, amount))
        );
        if (ok) assertEq(token.allowance(caller, spender), amount, "approve: allowance");
    }

    function testFuzz_transferFrom(
        uint256 callerSeed,
        uint256 fromSeed,
        uint256 toSeed,
        uint256 amountSeed
    ) public {
        address caller = _caller(callerSeed);
        address from = _account(fromSeed);
        address to = _account(toSeed);
        uint256 amount = _amount(amountSeed, token.allowance(from, caller));
        uint256 allowanceBefore = token.allowance(from, caller);
        uint256 toBefore = token.balanceOf(to);
        _allow(IERC20Errors.ERC20InsufficientAllowance.selector);
        _allow(IERC20Errors.ERC20InsufficientBalance.selector);
        _allow(IERC20Errors.ERC20InvalidReceiver.selector);
        _allow(IERC20Errors.ERC20InvalidSender.selector);
        _allow(IERC20Errors.ERC20InvalidApprover.selector);
        (bool ok, ) = _call(
            "transferFrom",
            caller,
            address(token),
            abi.encodeCall(token.transferFrom, (from, to, amount))
        );
        if (ok) {
            if (allowanceBefore != type(uint256).max) {
                assertEq(token.allowance(from, caller), allowanceBefore - amount, "transferFrom: allowance");
            }
            if (from != to)
                assertEq(token.balanceOf(to), toBefore + amount, "transferFrom: receiver balance");
        }
    }

    function testFuzz_burn(uint256 callerSeed, uint256 amountSeed) public {
        address caller = _caller(callerSeed);
        uint256 amount = _amount(amountSeed, token.balanceOf(caller));
        uint256 supply = token.totalSupply();
        _allow(IERC20Errors.ERC20InsufficientBalance.selector);
        (bool ok, ) = _call("burn", caller, address(token), abi.encodeCall(token.burn, (amount)));
        if (ok) assertEq(token.totalSupply(), supply - amount, "burn: supply");
    }
}

// SPDX-License-Identifier: MIT
// Entry-point fuzz tests of OpenToken, one test contract per group of functions (see EntryPointBase.sol).
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {EntryPointBase} from "./EntryPointBase.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @notice Signature constants and the state digest shared by the OpenToken entry-point tests.
abstract contract EntryPointsTokenBase is EntryPointBase {
    bytes32 internal constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );
    uint256 internal constant SECP256K1_N =
        0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    bytes32 internal constant DELEGATION_TYPEHASH = keccak256(
        "Delegation(address delegatee,uint256 nonce,uint256 expiry)"
    );

    function _digest() internal view override returns (bytes32) {
        return _tokenDigest();
    }
}

/// @notice OpenToken, ERC-20 entry points: transfer, approve, transferFrom, burn (fuzzed arguments and callers).
contract EntryPointsTokenErc20Test is EntryPointsTokenBase {
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

/// @notice OpenToken, allowance burns, votes and signatures: burnFrom, delegate, permit, delegateBySig.
contract EntryPointsTokenSignedTest is EntryPointsTokenBase {
    /// @dev A signed message and its (possibly corrupted) signature.
    // Memory only: packing does not matter.
    // solhint-disable-next-line gas-struct-packing
    struct Signed {
        address signer;
        uint256 nonce;
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    function testFuzz_burnFrom(uint256 callerSeed, uint256 fromSeed, uint256 amountSeed) public {
        address caller = _caller(callerSeed);
        address from = _account(fromSeed);
        uint256 amount = _amount(amountSeed, token.allowance(from, caller));
        uint256 supply = token.totalSupply();
        _allow(IERC20Errors.ERC20InsufficientAllowance.selector);
        _allow(IERC20Errors.ERC20InsufficientBalance.selector);
        _allow(IERC20Errors.ERC20InvalidSender.selector);
        _allow(IERC20Errors.ERC20InvalidApprover.selector);
        (bool ok, ) = _call(
            "burnFrom",
            caller,
            address(token),
            abi.encodeCall(token.burnFrom, (from, amount))
        );
        if (ok) assertEq(token.totalSupply(), supply - amount, "burnFrom: supply");
    }

    function testFuzz_delegate(uint256 callerSeed, uint256 delegateeSeed) public {
        address caller = _caller(callerSeed);
        address delegatee = _account(delegateeSeed);
        (bool ok, ) = _call("delegate", caller, address(token), abi.encodeCall(token.delegate, (delegatee)));
        assertTrue(ok, "delegate: reverted");
        assertEq(token.delegates(caller), delegatee, "delegate: delegatee");
        if (delegatee != address(0))
            assertGe(token.getVotes(delegatee), token.balanceOf(caller), "delegate: votes");
    }

    /// @dev Signer among alice/bob/payer or a fresh key; deadline past or future; nonce current or
    /// not; signature intact or corrupted (flipped r, or the high-s twin).
    function testFuzz_permit(
        uint256 callerSeed,
        uint256 signerSeed,
        uint256 spenderSeed,
        uint256 valueSeed,
        uint256 variant
    ) public {
        address spender = _account(spenderSeed);
        uint256 value = _amount(valueSeed, 1 ether);
        Signed memory p = _permit(signerSeed, spender, value, variant);
        _allow(ERC20Permit.ERC2612ExpiredSignature.selector);
        _allow(ERC20Permit.ERC2612InvalidSigner.selector);
        _allow(ECDSA.ECDSAInvalidSignature.selector);
        _allow(ECDSA.ECDSAInvalidSignatureS.selector);
        _allow(IERC20Errors.ERC20InvalidSpender.selector);
        _watch(address(token), abi.encodeCall(token.allowance, (p.signer, spender)));
        (bool ok, ) = _call(
            "permit",
            _caller(callerSeed),
            address(token),
            abi.encodeCall(token.permit, (p.signer, spender, value, p.deadline, p.v, p.r, p.s))
        );
        if (ok) {
            assertEq(token.allowance(p.signer, spender), value, "permit: allowance");
            assertEq(token.nonces(p.signer), p.nonce + 1, "permit: nonce");
        }
    }

    function _permit(
        uint256 signerSeed,
        address spender,
        uint256 value,
        uint256 variant
    ) private view returns (Signed memory p) {
        uint256 key;
        (p.signer, key) = _signer(signerSeed);
        p.deadline = variant % 5 == 0 ? block.timestamp - 1 : block.timestamp + (variant % 1000);
        p.nonce = token.nonces(p.signer) + (variant % 7 == 0 ? 1 : 0);
        bytes32 structHash = keccak256(
            abi.encode(PERMIT_TYPEHASH, p.signer, spender, value, p.nonce, p.deadline)
        );
        (p.v, p.r, p.s) = vm.sign(
            key,
            keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash))
        );
        _corrupt(variant, p);
    }

    function testFuzz_delegateBySig(
        uint256 callerSeed,
        uint256 signerSeed,
        uint256 delegateeSeed,
        uint256 variant
    ) public {
        address delegatee = _account(delegateeSeed);
        Signed memory p = _delegation(signerSeed, delegatee, variant);
        _allow(IVotes.VotesExpiredSignature.selector);
        _allow(Nonces.InvalidAccountNonce.selector);
        _allow(ECDSA.ECDSAInvalidSignature.selector);
        _allow(ECDSA.ECDSAInvalidSignatureS.selector);
        (bool ok, ) = _call(
            "delegateBySig",
            _caller(callerSeed),
            address(token),
            abi.encodeCall(token.delegateBySig, (delegatee, p.nonce, p.deadline, p.v, p.r, p.s))
        );
        // A corrupted signature may recover another address, whose nonce then moves instead.
        if (ok && variant % 3 == 0) {
            assertEq(token.delegates(p.signer), delegatee, "delegateBySig: delegatee");
            assertEq(token.nonces(p.signer), p.nonce + 1, "delegateBySig: nonce");
        }
    }

    function _delegation(
        uint256 signerSeed,
        address delegatee,
        uint256 variant
    ) private view returns (Signed memory p) {
        uint256 key;
        (p.signer, key) = _signer(signerSeed);
        p.deadline = variant % 5 == 0 ? block.timestamp - 1 : block.timestamp + (variant % 1000);
        p.nonce = token.nonces(p.signer) + (variant % 7 == 0 ? 1 : 0);
        bytes32 structHash = keccak256(abi.encode(DELEGATION_TYPEHASH, delegatee, p.nonce, p.deadline));
        (p.v, p.r, p.s) = vm.sign(
            key,
            keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash))
        );
        _corrupt(variant, p);
    }

    /// @dev alice, bob, payer, or a key whose address holds nothing.
    function _signer(uint256 seed) private view returns (address, uint256) {
        uint256 k = seed % 4;
        if (k == 0) return (alice, aliceKey);
        if (k == 1) return (bob, bobKey);
        if (k == 2) return (payer, payerKey);
        uint256 key = 1 + (seed % (type(uint128).max));
        return (vm.addr(key), key);
    }

    /// @dev variant % 3: 0 intact, 1 r changed, 2 s replaced by its high-s twin.
    function _corrupt(uint256 variant, Signed memory p) private pure {
        uint256 k = variant % 3;
        if (k == 1) p.r = bytes32(uint256(p.r) ^ 1);
        if (k == 2) {
            p.v = p.v == 27 ? 28 : 27;
            p.s = bytes32(SECP256K1_N - uint256(p.s));
        }
    }
}

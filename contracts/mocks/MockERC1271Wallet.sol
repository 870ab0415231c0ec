// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title MockERC1271Wallet
/// @notice Test stand-in for a contract wallet: accepts the ECDSA signatures of its signer (ERC-1271)
/// until the signer revokes it.
contract MockERC1271Wallet is IERC1271 {
    address public signer;
    bool public revoked;

    /// @param signer_ The key that signs for the wallet.
    constructor(address signer_) {
        signer = signer_;
    }

    /// @notice Stops (or resumes) accepting signatures.
    /// @param revoked_ The new flag.
    function setRevoked(bool revoked_) external {
        revoked = revoked_;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(hash, signature);
        if (!revoked && err == ECDSA.RecoverError.NoError && recovered == signer)
            return IERC1271.isValidSignature.selector;
        return 0xffffffff;
    }
}

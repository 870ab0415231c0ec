// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IUsageEscrow} from "../interfaces/IUsageEscrow.sol";

/// @title VoucherLib
/// @notice EIP-712 struct hash of a usage voucher and the short-balance rule of its redemption.
library VoucherLib {
    /// @notice The EIP-712 type of a voucher.
    bytes32 internal constant VOUCHER_TYPEHASH = keccak256(
        "Voucher(address payer,uint256 modelId,uint256 cumulativeUnits,uint256 maxPricePerUnit,bytes32 usageRoot,uint256 expiry)"
    );

    /// @notice The EIP-712 struct hash of `v`.
    /// @param v The voucher.
    /// @return h keccak256(abi.encode(VOUCHER_TYPEHASH, v's six fields)).
    function structHash(IUsageEscrow.Voucher calldata v) internal pure returns (bytes32 h) {
        bytes32 typeHash = VOUCHER_TYPEHASH;
        // The voucher is a static struct of six words in calldata: hash the type word and the six
        // words in place instead of re-encoding them field by field.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, typeHash)
            calldatacopy(add(p, 0x20), v, 0xc0)
            h := keccak256(p, 0xe0)
        }
    }

    /// @notice Units charged for `newUnits` at `price` from `balance` (the short-balance rule):
    /// all of them when the balance covers them, else the whole units it covers.
    /// @dev Requires price > 0. No product can overflow: units charged <= balance / price.
    /// @param newUnits Units above those already redeemed.
    /// @param price Price per unit.
    /// @param balance The payer's balance.
    /// @return units Units charged (0 when the balance covers none).
    /// @return amount units x price (<= balance).
    function charge(
        uint256 newUnits,
        uint256 price,
        uint256 balance
    ) internal pure returns (uint256 units, uint256 amount) {
        uint256 affordable = balance / price;
        units = newUnits < affordable ? newUnits : affordable;
        // unchecked: units <= balance / price, so units * price <= balance.
        unchecked {
            amount = units * price;
        }
    }
}

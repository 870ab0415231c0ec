// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";

/// @title OPEN, the OpenLedger token
/// @notice ERC-20 with EIP-2612 permit, ERC20Votes checkpoints on a timestamp clock and burning.
/// The whole supply is minted once, at deployment, to a recipient chosen by the deployer; no
/// account can mint afterwards and no owner has any power over the supply.
/// @dev Warning: failures use the ERC-6093 custom errors of OpenZeppelin 5 (`ERC20InsufficientBalance`,
/// `ERC20InsufficientAllowance`, `ERC20InvalidReceiver`, ...), `ERC2612ExpiredSignature` and
/// `ERC2612InvalidSigner` for permits, `ERC5805FutureLookup` for vote look-ups in the future.
interface IOpenToken is IERC20, IERC20Permit, IERC5805 {
    /// @notice The deployment was given the zero address as the supply recipient.
    error ZeroSupplyRecipient();

    /// @notice The deployment was given a zero initial supply, or one above the ERC20Votes limit.
    /// @param supply The supply requested.
    /// @param maxSupply The largest supply the token can track votes for.
    error InvalidInitialSupply(uint256 supply, uint256 maxSupply);

    /// @notice The hard cap: the supply minted at deployment. Burning lowers `totalSupply`, never the cap.
    /// @return The cap in the token's smallest unit (18 decimals).
    function cap() external view returns (uint256);
}

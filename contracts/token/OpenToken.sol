// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Votes} from "@openzeppelin/contracts/governance/utils/Votes.sol";
import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {IOpenToken} from "../interfaces/IOpenToken.sol";

/// @title OpenToken
/// @notice The OPEN token: fixed supply, permit, votes on a timestamp clock, burnable.
contract OpenToken is ERC20, ERC20Burnable, ERC20Permit, ERC20Votes, IOpenToken {
    uint256 private immutable _cap;

    /// @param name_ Token name (default "OpenLedger").
    /// @param symbol_ Token symbol (default "OPEN").
    /// @param supplyRecipient Receives the whole supply.
    /// @param initialSupply Supply in the smallest unit (default 1,000,000,000 x 1e18); also the cap.
    constructor(
        string memory name_,
        string memory symbol_,
        address supplyRecipient,
        uint256 initialSupply
    ) ERC20(name_, symbol_) ERC20Permit(name_) {
        if (supplyRecipient == address(0)) revert ZeroSupplyRecipient();
        uint256 maxSupply = _maxSupply();
        if (initialSupply == 0 || initialSupply > maxSupply) {
            revert InvalidInitialSupply(initialSupply, maxSupply);
        }
        _cap = initialSupply;
        _mint(supplyRecipient, initialSupply);
    }

    /// @inheritdoc IOpenToken
    function cap() external view returns (uint256) {
        return _cap;
    }

    /// @notice Votes are checkpointed by block timestamp (EIP-6372), which suits L2s.
    /// @return The current timestamp as a uint48.
    function clock() public view override(IERC6372, Votes) returns (uint48) {
        return Time.timestamp();
    }

    /// @notice Machine-readable description of the clock (EIP-6372).
    /// @return "mode=timestamp"
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override(IERC6372, Votes) returns (string memory) {
        return "mode=timestamp";
    }

    /// @inheritdoc ERC20Permit
    function nonces(address owner) public view override(IERC20Permit, ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }
}

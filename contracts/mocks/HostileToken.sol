// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title HostileToken
/// @notice Test stand-in for a malicious or broken foreign token sent to a protocol contract: its
/// `transfer` can re-enter a target with any calldata before moving the tokens, or return false
/// without moving anything.
contract HostileToken is ERC20 {
    /// @notice What `transfer` does besides (or instead of) transferring.
    enum Mode {
        Honest,
        Reenter,
        ReturnFalse
    }

    /// @notice The current mode.
    Mode public mode;
    /// @notice The contract `transfer` re-enters.
    address public target;
    /// @notice The calldata it re-enters with.
    bytes public payload;
    /// @notice Whether the last re-entry succeeded.
    bool public reentrySucceeded;
    /// @notice The revert data of the last re-entry.
    bytes public reentryRevertData;

    /// @param supply Minted to the deployer.
    constructor(uint256 supply) ERC20("Hostile", "HOST") {
        _mint(msg.sender, supply);
    }

    /// @notice Sets the behaviour of `transfer`.
    /// @param mode_ The mode.
    /// @param target_ The contract to re-enter.
    /// @param payload_ The calldata to re-enter with.
    function configure(Mode mode_, address target_, bytes calldata payload_) external {
        mode = mode_;
        target = target_;
        payload = payload_;
    }

    /// @inheritdoc ERC20
    function transfer(address to, uint256 value) public override returns (bool) {
        if (mode == Mode.ReturnFalse) return false;
        if (mode == Mode.Reenter) {
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory data) = target.call(payload);
            reentrySucceeded = ok;
            reentryRevertData = data;
        }
        return super.transfer(to, value);
    }
}

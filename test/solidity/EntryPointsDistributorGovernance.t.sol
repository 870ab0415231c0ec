// SPDX-License-Identifier: MIT
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {OpenToken} from "../../contracts/token/OpenToken.sol";
import {IRewardDistributor} from "../../contracts/interfaces/IRewardDistributor.sol";
import {EntryPointBase} from "./EntryPointBase.sol";

/// @notice RewardDistributor, governance: setFeeSplit, setRollForwardDelay, recoverForeignToken.
contract EntryPointsDistributorGovernanceTest is EntryPointBase {
    bytes32 private constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );

    OpenToken internal foreign;

    function setUp() public override {
        super.setUp();
        foreign = new OpenToken("Foreign", "FOR", address(this), 1_000 ether);
        foreign.transfer(address(distributor), 5 ether);
    }

    function _digest() internal view override returns (bytes32) {
        return
            keccak256(
                abi.encode(_distributorDigest(), _tokenDigest(), foreign.balanceOf(address(distributor)))
            );
    }

    function testFuzz_setFeeSplit(uint256 callerSeed, uint16 t, uint16 o, uint16 r, uint16 st) public {
        address caller = callerSeed % 2 == 0 ? admin : _caller(callerSeed);
        IRewardDistributor.FeeSplit memory split = IRewardDistributor.FeeSplit({
            treasuryBps: uint16(bound(t, 0, 1200)),
            ownerBps: uint16(bound(o, 0, 5200)),
            royaltyBps: uint16(bound(r, 0, 1200)),
            stakerBps: uint16(bound(st, 0, 1200))
        });
        _allowAccessControl();
        _allow(IRewardDistributor.FeeSplitAboveCap.selector);
        (bool ok, ) = _call(
            "setFeeSplit",
            caller,
            address(distributor),
            abi.encodeCall(distributor.setFeeSplit, (split))
        );
        if (ok) {
            IRewardDistributor.FeeSplit memory now_ = distributor.feeSplit();
            assertEq(now_.treasuryBps, split.treasuryBps, "setFeeSplit: treasury");
            assertEq(now_.ownerBps, split.ownerBps, "setFeeSplit: owner");
            assertEq(now_.royaltyBps, split.royaltyBps, "setFeeSplit: royalty");
            assertEq(now_.stakerBps, split.stakerBps, "setFeeSplit: staker");
        }
    }

    function testFuzz_setRollForwardDelay(uint256 callerSeed, uint256 delaySeed) public {
        address caller = callerSeed % 2 == 0 ? admin : _caller(callerSeed);
        uint256 delay = delaySeed % 3 == 0 ? _amount(delaySeed >> 2, 1 hours) : bound(delaySeed, 0, 400 days);
        _allowAccessControl();
        _allow(IRewardDistributor.RollForwardDelayOutOfRange.selector);
        (bool ok, ) = _call(
            "setRollForwardDelay",
            caller,
            address(distributor),
            abi.encodeCall(distributor.setRollForwardDelay, (delay))
        );
        if (ok) assertEq(distributor.rollForwardDelay(), delay, "setRollForwardDelay: delay");
    }

    /// @dev The foreign token is OPEN or an ERC-20 held by the distributor. Not fuzzed over
    /// addresses without code: `balanceOf` on one reverts with empty data (see the report).
    function testFuzz_recoverForeignToken(uint256 callerSeed, bool open, uint256 toSeed) public {
        address caller = callerSeed % 2 == 0 ? admin : _caller(callerSeed);
        address tokenAddress = open ? address(token) : address(foreign);
        address to = _account(toSeed);
        uint256 held = foreign.balanceOf(address(distributor));
        uint256 toBalance = foreign.balanceOf(to);
        _allowAccessControl();
        _allow(IRewardDistributor.NotForeignToken.selector);
        _allow(IRewardDistributor.ZeroAddress.selector);
        (bool ok, ) = _call(
            "recoverForeignToken",
            caller,
            address(distributor),
            abi.encodeCall(distributor.recoverForeignToken, (tokenAddress, to))
        );
        if (ok) {
            assertEq(
                foreign.balanceOf(address(distributor)),
                to == address(distributor) ? held : 0,
                "recover: left"
            );
            if (to != address(distributor)) assertEq(foreign.balanceOf(to), toBalance + held, "recover: to");
        }
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {OpenToken} from "../../contracts/token/OpenToken.sol";

/// @notice Fuzz tests of OPEN transfers: value is conserved whatever the amounts and accounts.
contract OpenTokenFuzzTest is Test {
    uint256 internal constant SUPPLY = 1_000_000_000 ether;
    OpenToken internal token;
    address internal holder = makeAddr("holder");

    function setUp() public {
        token = new OpenToken("OpenLedger", "OPEN", holder, SUPPLY);
    }

    function testFuzz_transfer_conservesBalances(address to, uint256 amount) public {
        vm.assume(to != address(0) && to != holder);
        amount = bound(amount, 0, SUPPLY);
        uint256 before = token.balanceOf(holder) + token.balanceOf(to);
        vm.prank(holder);
        token.transfer(to, amount);
        assertEq(token.balanceOf(holder) + token.balanceOf(to), before, "sum of both balances changed");
        assertEq(token.balanceOf(to), amount, "receiver got a different amount");
        assertEq(token.totalSupply(), SUPPLY, "supply changed on transfer");
    }

    function testFuzz_transfer_revertsAboveBalance(address to, uint256 amount) public {
        vm.assume(to != address(0) && to != holder);
        amount = bound(amount, SUPPLY + 1, type(uint256).max);
        vm.prank(holder);
        vm.expectRevert();
        token.transfer(to, amount);
        assertEq(token.balanceOf(holder), SUPPLY, "failed transfer moved tokens");
    }
}

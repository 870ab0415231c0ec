// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {OpenToken} from "../../contracts/token/OpenToken.sol";

/// @notice Drives OPEN with random transfers, approvals, burns and delegations among a few actors.
contract OpenTokenHandler is Test {
    OpenToken public immutable token;
    address[] public actors;

    constructor(OpenToken token_, address[] memory actors_) {
        token = token_;
        actors = actors_;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = _actor(fromSeed);
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        token.transfer(_actor(toSeed), amount);
    }

    function approveAndTransferFrom(
        uint256 ownerSeed,
        uint256 spenderSeed,
        uint256 toSeed,
        uint256 amount
    ) external {
        address owner = _actor(ownerSeed);
        address spender = _actor(spenderSeed);
        amount = bound(amount, 0, token.balanceOf(owner));
        vm.prank(owner);
        token.approve(spender, amount);
        vm.prank(spender);
        token.transferFrom(owner, _actor(toSeed), amount);
    }

    function burn(uint256 fromSeed, uint256 amount) external {
        address from = _actor(fromSeed);
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        token.burn(amount);
    }

    function delegate(uint256 fromSeed, uint256 toSeed) external {
        vm.prank(_actor(fromSeed));
        token.delegate(_actor(toSeed));
    }

    function warp(uint256 secondsAhead) external {
        vm.warp(block.timestamp + bound(secondsAhead, 1, 7 days));
    }

    function _actor(uint256 seed) private view returns (address) {
        return actors[seed % actors.length];
    }
}

/// @notice Invariants of OPEN: supply equals the sum of balances, never exceeds the cap, votes never exceed supply.
contract OpenTokenInvariantTest is Test {
    uint256 internal constant SUPPLY = 1_000_000_000 ether;
    OpenToken internal token;
    OpenTokenHandler internal handler;

    function setUp() public {
        address[] memory actors = new address[](4);
        for (uint256 i = 0; i < actors.length; i++) {
            actors[i] = makeAddr(string.concat("actor", vm.toString(i)));
        }
        token = new OpenToken("OpenLedger", "OPEN", actors[0], SUPPLY);
        vm.prank(actors[0]);
        token.transfer(actors[1], SUPPLY / 4);
        handler = new OpenTokenHandler(token, actors);
        targetContract(address(handler));
    }

    function invariant_totalSupplyEqualsSumOfBalances() public view {
        uint256 sum;
        for (uint256 i = 0; i < handler.actorCount(); i++) {
            sum += token.balanceOf(handler.actors(i));
        }
        assertEq(token.totalSupply(), sum, "supply differs from the sum of balances");
    }

    function invariant_supplyNeverAboveCap() public view {
        assertLe(token.totalSupply(), token.cap(), "supply above cap");
        assertEq(token.cap(), SUPPLY, "cap changed");
    }

    function invariant_votesNeverExceedSupply() public view {
        uint256 votes;
        for (uint256 i = 0; i < handler.actorCount(); i++) {
            votes += token.getVotes(handler.actors(i));
        }
        assertLe(votes, token.totalSupply(), "votes exceed supply");
    }
}

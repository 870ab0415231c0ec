// SPDX-License-Identifier: MIT
// solhint-disable func-name-mixedcase, one-contract-per-file
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {OpenToken} from "../../contracts/token/OpenToken.sol";
import {OperatorStaking} from "../../contracts/staking/OperatorStaking.sol";
import {IOperatorStaking} from "../../contracts/interfaces/IOperatorStaking.sol";

/// @notice Drives stake / requestUnstake / withdraw / claimRewards / claimCommission / addRewards /
/// distribute / setCommission / slash / warp for four stakers behind two operators (who also stake
/// in their own pools). The handler is the slasher (a contract, as SLASHER_ROLE requires). It
/// asserts the per-call properties inline (a slash within its bound and equal on both parts, no
/// second payment of a claimed reward, no withdrawal before the delay) and keeps ghost totals.
contract StakingHandler is Test {
    OpenToken public token;
    OperatorStaking public staking;
    address public gov;
    address[2] public operators;
    address[6] public actors; // 0..3 stakers, 4..5 the operators
    uint256 public slashCount;
    uint256 public ghostRewardsIn;
    uint256 public ghostPaidOut;
    mapping(bytes32 action => uint256) public calls;

    constructor() {
        gov = makeAddr("gov");
        token = new OpenToken("OpenLedger", "OPEN", address(this), 1_000_000_000 ether);
        staking = new OperatorStaking(token, gov, makeAddr("treasury"), 90 days, 100 ether, 1_000, 5_000);
        operators = [makeAddr("op0"), makeAddr("op1")];
        actors = [makeAddr("a0"), makeAddr("a1"), makeAddr("a2"), makeAddr("a3"), operators[0], operators[1]];
        vm.startPrank(gov);
        staking.listOperator(operators[0]);
        staking.listOperator(operators[1]);
        vm.stopPrank();
        for (uint256 i = 0; i < actors.length; ++i) {
            token.transfer(actors[i], 10_000_000 ether);
            vm.prank(actors[i]);
            token.approve(address(staking), type(uint256).max);
        }
        token.approve(address(staking), type(uint256).max);
    }

    function actorCount() external pure returns (uint256) {
        return 6;
    }

    function stake(uint256 actorSeed, uint256 opSeed, uint256 amount) external {
        amount = bound(amount, 1, 1_000_000 ether);
        vm.prank(actors[actorSeed % 6]);
        staking.stake(operators[opSeed % 2], amount);
        ++calls["stake"];
    }

    function requestUnstake(uint256 actorSeed, uint256 opSeed, uint256 amount) external {
        address a = actors[actorSeed % 6];
        address op = operators[opSeed % 2];
        uint256 available = staking.position(op, a).assets;
        if (available == 0) return;
        amount = bound(amount, 1, available);
        vm.prank(a);
        staking.requestUnstake(op, amount);
        ++calls["requestUnstake"];
    }

    function withdraw(uint256 actorSeed, uint256 opSeed) external {
        address a = actors[actorSeed % 6];
        address op = operators[opSeed % 2];
        IOperatorStaking.Position memory pos = staking.position(op, a);
        if (pos.unbondingShares == 0) return;
        if (block.timestamp < pos.withdrawableAt) {
            // No withdrawal before the delay.
            vm.prank(a);
            vm.expectRevert(
                abi.encodeWithSelector(IOperatorStaking.UnbondingNotOver.selector, op, a, pos.withdrawableAt)
            );
            staking.withdraw(op, a);
            ++calls["withdrawEarly"];
            return;
        }
        uint256 before = token.balanceOf(a);
        vm.prank(a);
        uint256 got = staking.withdraw(op, a);
        assertEq(got, pos.unbondingAssets, "withdraw != position's unbonding value");
        assertEq(token.balanceOf(a) - before, got, "withdraw paid a different amount");
        ++calls["withdraw"];
    }

    function claim(uint256 actorSeed, uint256 opSeed) external {
        address a = actors[actorSeed % 6];
        address op = operators[opSeed % 2];
        uint256 pending = staking.position(op, a).pendingRewards;
        if (pending == 0) return;
        vm.prank(a);
        uint256 got = staking.claimRewards(op, a);
        assertEq(got, pending, "claim != pending");
        ghostPaidOut += got;
        // No reward is paid twice.
        vm.prank(a);
        vm.expectRevert(abi.encodeWithSelector(IOperatorStaking.NothingToClaim.selector, op, a));
        staking.claimRewards(op, a);
        ++calls["claim"];
    }

    function claimCommission(uint256 opSeed) external {
        address op = operators[opSeed % 2];
        if (staking.pool(op).commissionAccrued == 0) return;
        vm.prank(op);
        ghostPaidOut += staking.claimCommission(op);
        ++calls["claimCommission"];
    }

    function addRewards(uint256 amount, bool andDistribute) external {
        amount = bound(amount, 1, 100_000 ether);
        staking.addRewards(amount);
        ghostRewardsIn += amount;
        if (andDistribute) staking.distribute();
        ++calls["addRewards"];
    }

    function distribute() external {
        staking.distribute();
        ++calls["distribute"];
    }

    function setCommission(uint256 opSeed, uint256 bps) external {
        address op = operators[opSeed % 2];
        IOperatorStaking.PoolView memory p = staking.pool(op);
        if (p.commissionEffectiveAt != 0) return;
        vm.prank(op);
        staking.setCommission(bound(bps, 0, 5_000));
        ++calls["setCommission"];
    }

    function slash(uint256 opSeed) external {
        address op = operators[opSeed % 2];
        IOperatorStaking.PoolView memory p = staking.pool(op);
        uint256 bps = staking.slashBps();
        (uint256 slashed, ) = staking.slash(op, address(this), bytes32(++slashCount));
        IOperatorStaking.PoolView memory q = staking.pool(op);
        // Within the bound (rounded up by at most one unit), taken from the pool's OPEN only: bonded
        // and unbonding shares keep their number and lose value alike.
        assertEq(slashed, _ceilBps(p.assets, bps), "slash != bound");
        assertEq(p.assets - q.assets, slashed, "pool OPEN not reduced by the slash");
        assertEq(q.shares, p.shares, "slash changed shares");
        assertEq(q.bondedShares, p.bondedShares, "slash changed bonded shares");
        ++calls["slash"];
    }

    function warp(uint256 secs) external {
        // Up to half the 90-day unbonding delay: two warps make a withdrawal possible.
        vm.warp(block.timestamp + bound(secs, 1 hours, 45 days));
    }

    function _ceilBps(uint256 amount, uint256 bps) internal pure returns (uint256) {
        return (amount * bps + 9_999) / 10_000;
    }
}

contract StakingInvariantsTest is Test {
    StakingHandler internal handler;
    OperatorStaking internal staking;

    function setUp() public {
        handler = new StakingHandler();
        staking = handler.staking();
        // SLASHER_ROLE goes to contracts only: granted once the handler has code.
        vm.startPrank(handler.gov());
        staking.grantRole(staking.SLASHER_ROLE(), address(handler));
        vm.stopPrank();
        targetContract(address(handler));
    }

    /// @notice OPEN held >= all stake + every unclaimed reward, commission and queued reward.
    function invariant_solvency() public view {
        IOperatorStaking.Totals memory t = staking.totals();
        uint256 owed = t.staked + t.rewardsQueued;
        for (uint256 o = 0; o < 2; ++o) {
            address op = handler.operators(o);
            owed += staking.pool(op).commissionAccrued;
            for (uint256 i = 0; i < 6; ++i) owed += staking.position(op, handler.actors(i)).pendingRewards;
        }
        assertGe(handler.token().balanceOf(address(staking)), owed, "insolvent");
    }

    /// @notice received == to pools + queued; paid <= to pools; the ghosts agree.
    function invariant_rewardBooks() public view {
        IOperatorStaking.Totals memory t = staking.totals();
        assertEq(t.rewardsReceived, handler.ghostRewardsIn(), "received != added");
        assertEq(t.rewardsReceived, t.rewardsToPools + t.rewardsQueued, "reward books do not balance");
        assertEq(t.rewardsPaid, handler.ghostPaidOut(), "paid != ghost");
        assertLe(t.rewardsPaid, t.rewardsToPools, "paid more than credited");
    }

    /// @notice Each part's shares are all held, never fewer than its OPEN, and their value never
    /// exceeds it (rounding against stakers).
    function invariant_sharesBackAssets() public view {
        for (uint256 o = 0; o < 2; ++o) {
            address op = handler.operators(o);
            IOperatorStaking.PoolView memory p = staking.pool(op);
            uint256 shares;
            uint256 value;
            uint256 unbondingShares;
            uint256 unbondingValue;
            for (uint256 i = 0; i < 6; ++i) {
                IOperatorStaking.Position memory pos = staking.position(op, handler.actors(i));
                shares += pos.shares;
                value += pos.assets;
                unbondingShares += pos.unbondingShares;
                unbondingValue += pos.unbondingAssets;
            }
            assertEq(shares, p.bondedShares, "bonded shares != sum of positions");
            assertEq(shares + unbondingShares, p.shares, "pool shares != bonded + unbonding");
            assertLe(value + unbondingValue, p.assets, "shares worth more than the pool's OPEN");
            assertGe(p.shares, p.assets, "fewer shares than OPEN");
        }
    }
}

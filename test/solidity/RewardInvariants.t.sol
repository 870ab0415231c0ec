// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;
// solhint-disable func-name-mixedcase

import {Test} from "forge-std/Test.sol";
import {RewardDistributor} from "../../contracts/rewards/RewardDistributor.sol";
import {IRewardDistributor} from "../../contracts/interfaces/IRewardDistributor.sol";
import {RewardHandler} from "./RewardHandler.sol";

/// @notice Solvency, exact conservation and no over-payment under any sequence of handler calls.
contract RewardInvariantsTest is Test {
    RewardHandler internal handler;
    RewardDistributor internal distributor;

    function setUp() public {
        handler = new RewardHandler();
        distributor = handler.distributor();
        targetContract(address(handler));
    }

    /// @notice The distributor holds exactly everything it owes (no donations in this run).
    function invariant_solvency() public view {
        IRewardDistributor.Books memory b = distributor.books();
        uint256 owed =
            (b.treasuryAccrued - b.treasuryWithdrawn) +
                (b.ownersAccrued - b.ownersWithdrawn) +
                b.stakerReserve +
                b.claimable +
                b.poolsPending;
        assertEq(handler.token().balanceOf(address(distributor)), owed, "balance != owed");
    }

    /// @notice paidIn == treasury + owners + stakers + claimed + claimable + pending, and each part
    /// matches an independent sum.
    function invariant_conservation() public view {
        IRewardDistributor.Books memory b = distributor.books();
        assertEq(b.paidIn, handler.ghostPaidIn(), "paidIn != tokens paid");
        assertEq(
            b.paidIn,
            b.treasuryAccrued +
                b.ownersAccrued +
                b.stakerReserve +
                b.totalClaimed +
                b.claimable +
                b.poolsPending,
            "books do not balance"
        );
        uint256 owners;
        for (uint256 m = 1; m <= 3; ++m) owners += distributor.ownerEarnings(m);
        assertEq(owners + b.ownersWithdrawn, b.ownersAccrued, "owner ledgers != owners accrued");
        uint256 pending;
        uint256 current = handler.registry().currentEpoch();
        for (uint256 m = 1; m <= 3; ++m) {
            for (uint256 e = 0; e <= current; ++e) {
                IRewardDistributor.Pair memory p = distributor.pair(m, e);
                if (p.finalizeSeq == 0) pending += p.pool;
            }
        }
        assertEq(pending, b.poolsPending, "pair pools != pending");
    }

    /// @notice No account is paid more than its entitlement; claims never exceed finalised pools.
    function invariant_noOverpayment() public view {
        uint256 sum;
        for (uint256 i = 0; i < 2; ++i) {
            address a = handler.actors(i);
            uint256 paid = distributor.claimed(a);
            assertLe(paid, handler.entitlement(i), "claimed above entitlement");
            sum += paid;
        }
        IRewardDistributor.Books memory b = distributor.books();
        assertEq(sum, b.totalClaimed, "claimed ledger != total claimed");
        assertLe(b.totalClaimed, distributor.totalFinalizedPools(), "claims above finalised pools");
    }
}

// SPDX-License-Identifier: MIT
// solhint-disable func-name-mixedcase, one-contract-per-file
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {OpenToken} from "../../contracts/token/OpenToken.sol";
import {MockModelRegistry} from "../../contracts/mocks/MockModelRegistry.sol";
import {AttributionRegistry} from "../../contracts/attribution/AttributionRegistry.sol";
import {RewardDistributor} from "../../contracts/rewards/RewardDistributor.sol";
import {UsageEscrow} from "../../contracts/usage/UsageEscrow.sol";
import {IOperatorStaking} from "../../contracts/interfaces/IOperatorStaking.sol";
import {IRewardDistributor} from "../../contracts/interfaces/IRewardDistributor.sol";
import {IUsageEscrow} from "../../contracts/interfaces/IUsageEscrow.sol";

/// @notice Drives deposit / sign-and-redeem (one or a batch, fresh or stale vouchers) / request,
/// cancel and execute withdrawals / price changes / direct `pay` / warp across three payers (keys
/// known, so the handler signs their vouchers) and three models, keeping ghost books of what was
/// deposited, charged, withdrawn and signed.
contract UsageHandler is Test {
    uint256 internal constant MODELS = 3;
    uint256 internal constant PAYERS = 3;

    OpenToken public token;
    MockModelRegistry public models;
    AttributionRegistry public registry;
    RewardDistributor public distributor;
    UsageEscrow public escrow;
    address public gov;
    uint256[PAYERS] internal _keys;
    address[PAYERS] public payers;

    uint256 public ghostDeposited;
    uint256 public ghostCharged;
    uint256 public ghostWithdrawn;
    uint256 public ghostPaidDirect;
    /// @notice Sum over redemptions of the voucher's max price x the units it charged.
    uint256 public ghostMaxCharge;
    /// @notice Set if a withdrawal ever succeeded before its time.
    bool public earlyWithdrawal;
    /// @notice Set if a stale voucher ever charged.
    bool public doubleCharge;
    mapping(address payer => mapping(uint256 modelId => uint256)) public signedUnits;
    mapping(address payer => mapping(uint256 modelId => IUsageEscrow.SignedVoucher)) internal _latest;
    mapping(bytes32 action => uint256) public calls;

    constructor() {
        gov = makeAddr("gov");
        token = new OpenToken("OpenLedger", "OPEN", address(this), 1_000_000_000 ether);
        models = new MockModelRegistry();
        models.setModel(1, makeAddr("owner1"), 0, 1 ether + 7);
        models.setModel(2, makeAddr("owner2"), 1, 3 ether);
        models.setModel(3, makeAddr("owner3"), 2, 0.3 ether + 1);
        registry = new AttributionRegistry(
            token,
            IOperatorStaking(address(0)),
            gov,
            makeAddr("treasury"),
            1 days,
            1 days,
            10 ether
        );
        distributor = new RewardDistributor(
            token,
            models,
            registry,
            gov,
            IRewardDistributor.FeeSplit(500, 2500, 500, 500),
            2 days
        );
        escrow = new UsageEscrow(token, models, distributor, gov, 1 days);
        vm.startPrank(gov);
        distributor.grantRole(distributor.USAGE_ESCROW_ROLE(), address(escrow));
        vm.stopPrank();
        token.approve(address(escrow), type(uint256).max);
        token.approve(address(distributor), type(uint256).max);
        for (uint256 i = 0; i < PAYERS; ++i) {
            _keys[i] = uint256(keccak256(abi.encode("usage payer", i)));
            payers[i] = vm.addr(_keys[i]);
        }
    }

    // ----- actions -----

    function deposit(uint256 payerSeed, uint256 amount) external {
        amount = bound(amount, 1, 1_000 ether);
        escrow.deposit(payers[payerSeed % PAYERS], amount);
        ghostDeposited += amount;
        ++calls["deposit"];
    }

    function redeem(uint256 payerSeed, uint256 modelSeed, uint256 addUnits, uint256 slack) external {
        IUsageEscrow.SignedVoucher[] memory batch = new IUsageEscrow.SignedVoucher[](1);
        bool ok;
        (batch[0], ok) = _sign(payerSeed, modelSeed, addUnits, slack);
        if (!ok) return;
        _redeem(batch);
        ++calls["redeem"];
    }

    function redeemBatch(uint256 seedA, uint256 seedB, uint256 addUnits, uint256 slack) external {
        IUsageEscrow.SignedVoucher[] memory batch = new IUsageEscrow.SignedVoucher[](2);
        bool okA;
        bool okB;
        (batch[0], okA) = _sign(seedA, seedA >> 8, addUnits, slack);
        (batch[1], okB) = _sign(seedB, seedB >> 8, addUnits >> 8, slack >> 8);
        if (!okA || !okB) return;
        _redeem(batch);
        ++calls["redeemBatch"];
    }

    /// @notice Replays the latest voucher of a (payer, model): must never charge again.
    function replay(uint256 payerSeed, uint256 modelSeed) external {
        address payer = payers[payerSeed % PAYERS];
        uint256 modelId = 1 + (modelSeed % MODELS);
        IUsageEscrow.SignedVoucher memory s = _latest[payer][modelId];
        if (s.signature.length == 0) return;
        uint256 before = escrow.balanceOf(payer);
        if (s.voucher.cumulativeUnits > escrow.redeemedUnits(payer, modelId)) return; // short-paid: still owed
        try escrow.redeem(s) {
            doubleCharge = true;
        } catch {
            if (escrow.balanceOf(payer) != before) doubleCharge = true;
        }
        ++calls["replay"];
    }

    function requestWithdrawal(uint256 payerSeed, uint256 amount) external {
        address payer = payers[payerSeed % PAYERS];
        uint256 balance = escrow.balanceOf(payer);
        if (balance == 0) return;
        vm.prank(payer);
        escrow.requestWithdrawal(bound(amount, 1, balance));
        ++calls["requestWithdrawal"];
    }

    function cancelWithdrawal(uint256 payerSeed) external {
        address payer = payers[payerSeed % PAYERS];
        if (escrow.account(payer).withdrawableAt == 0) return;
        vm.prank(payer);
        escrow.cancelWithdrawal();
        ++calls["cancelWithdrawal"];
    }

    function withdraw(uint256 payerSeed) external {
        address payer = payers[payerSeed % PAYERS];
        IUsageEscrow.Account memory a = escrow.account(payer);
        if (a.withdrawableAt == 0) return;
        vm.prank(payer);
        try escrow.withdraw(payer) returns (uint256 amount) {
            if (block.timestamp < a.withdrawableAt) earlyWithdrawal = true;
            ghostWithdrawn += amount;
            ++calls["withdraw"];
        } catch {
            ++calls["withdrawRefused"];
        }
    }

    function setPrice(uint256 modelSeed, uint256 price) external {
        models.setPrice(1 + (modelSeed % MODELS), bound(price, 1, 5 ether));
        ++calls["setPrice"];
    }

    function pay(uint256 modelSeed, uint256 units) external {
        ghostPaidDirect += distributor.pay(1 + (modelSeed % MODELS), bound(units, 1, 100), type(uint256).max);
        ++calls["pay"];
    }

    function warp(uint256 secs) external {
        vm.warp(block.timestamp + bound(secs, 1 minutes, 2 days));
    }

    // ----- helpers -----

    /// @dev Signs the next voucher of a (payer, model) with `addUnits` more units and a max price
    /// at or above the current one; false when it would not redeem (unfunded payer).
    function _sign(
        uint256 payerSeed,
        uint256 modelSeed,
        uint256 addUnits,
        uint256 slack
    ) internal returns (IUsageEscrow.SignedVoucher memory s, bool ok) {
        uint256 i = payerSeed % PAYERS;
        address payer = payers[i];
        uint256 modelId = 1 + (modelSeed % MODELS);
        (, , uint256 price, ) = models.paymentTerms(modelId);
        if (escrow.balanceOf(payer) < price) return (s, false);
        uint256 cumulative = signedUnits[payer][modelId] + bound(addUnits, 1, 500);
        s.voucher = IUsageEscrow.Voucher(
            payer,
            modelId,
            cumulative,
            price + bound(slack, 0, 1 ether),
            keccak256(abi.encode(payer, modelId, cumulative)),
            block.timestamp + 1 days
        );
        (uint8 v, bytes32 r, bytes32 sig) = vm.sign(_keys[i], escrow.voucherDigest(s.voucher));
        s.signature = abi.encodePacked(r, sig, v);
        signedUnits[payer][modelId] = cumulative;
        _latest[payer][modelId] = s;
        ok = true;
    }

    function _redeem(IUsageEscrow.SignedVoucher[] memory batch) internal {
        uint256[] memory before = new uint256[](batch.length);
        for (uint256 k = 0; k < batch.length; ++k) {
            before[k] = escrow.redeemedUnits(batch[k].voucher.payer, batch[k].voucher.modelId);
        }
        uint256 charged = batch.length == 1 ? escrow.redeem(batch[0]) : escrow.redeemBatch(batch);
        ghostCharged += charged;
        for (uint256 k = 0; k < batch.length; ++k) {
            IUsageEscrow.Voucher memory v = batch[k].voucher;
            uint256 units = escrow.redeemedUnits(v.payer, v.modelId) - before[k];
            // The same (payer, model) twice in a batch: the second item's units are counted there too.
            if (k == 1 && v.payer == batch[0].voucher.payer && v.modelId == batch[0].voucher.modelId)
                units = 0;
            ghostMaxCharge += units * v.maxPricePerUnit;
        }
    }
}

/// @notice Escrow conservation, no double charge, no early withdrawal, and the distributor's books
/// and solvency with voucher payments mixed in.
contract UsageInvariantsTest is Test {
    UsageHandler internal handler;
    UsageEscrow internal escrow;
    RewardDistributor internal distributor;

    function setUp() public {
        handler = new UsageHandler();
        escrow = handler.escrow();
        distributor = handler.distributor();
        targetContract(address(handler));
    }

    /// @notice The handler reaches the redemption paths (a run that never redeemed would prove nothing).
    function test_handler_redeemsBatchesAndRefusesReplays() public {
        handler.deposit(0, 1_000 ether);
        handler.deposit(1, 1_000 ether);
        handler.redeem(0, 0, 10, 0);
        handler.redeemBatch(1, 256, 5, 3); // payer 1: model 1, then model 2
        handler.replay(0, 0);
        assertEq(handler.calls("redeem"), 1);
        assertEq(handler.calls("redeemBatch"), 1);
        assertEq(handler.calls("replay"), 1);
        assertFalse(handler.doubleCharge());
        assertGt(escrow.books().redeemed, 0);
        assertEq(escrow.books().redeemed, handler.ghostCharged());
    }

    /// @notice deposited == redeemed + withdrawn + balances, each part matches the ghosts, the payer
    /// balances sum to `balances`; the escrow holds no OPEN (the distributor keeps it, see below).
    function invariant_escrowConservation() public view {
        IUsageEscrow.Books memory b = escrow.books();
        assertEq(b.deposited, handler.ghostDeposited(), "deposited");
        assertEq(b.redeemed, handler.ghostCharged(), "redeemed");
        assertEq(b.withdrawn, handler.ghostWithdrawn(), "withdrawn");
        assertEq(b.deposited, b.redeemed + b.withdrawn + b.balances, "escrow books do not balance");
        uint256 sum;
        for (uint256 i = 0; i < 3; ++i) sum += escrow.balanceOf(handler.payers(i));
        assertEq(sum, b.balances, "payer balances != balances");
        assertEq(handler.token().balanceOf(address(escrow)), 0, "the escrow holds OPEN");
    }

    /// @notice No voucher charged above its max price x units, nor the same units twice; redeemed
    /// units never pass what was signed.
    function invariant_noOverOrDoubleCharge() public view {
        assertLe(handler.ghostCharged(), handler.ghostMaxCharge(), "charged above max price x units");
        assertFalse(handler.doubleCharge(), "a replayed voucher charged");
        for (uint256 i = 0; i < 3; ++i) {
            address p = handler.payers(i);
            for (uint256 m = 1; m <= 3; ++m) {
                assertLe(escrow.redeemedUnits(p, m), handler.signedUnits(p, m), "redeemed above signed");
            }
        }
    }

    /// @notice No withdrawal executed before its delay.
    function invariant_noEarlyWithdrawal() public view {
        assertFalse(handler.earlyWithdrawal(), "withdrawal before its delay");
    }

    /// @notice The distributor's identity and solvency hold with voucher payments: it received
    /// exactly what the escrow charged plus direct payments, and holds everything it owes plus the
    /// escrowed balances, exactly.
    function invariant_distributorBooks() public view {
        IRewardDistributor.Books memory b = distributor.books();
        assertEq(b.paidIn, handler.ghostCharged() + handler.ghostPaidDirect(), "paidIn");
        assertEq(
            b.paidIn,
            b.treasuryAccrued +
                b.ownersAccrued +
                b.stakerReserve +
                b.totalClaimed +
                b.claimable +
                b.poolsPending,
            "distributor books do not balance"
        );
        uint256 owed =
            (b.treasuryAccrued - b.treasuryWithdrawn) +
                (b.ownersAccrued - b.ownersWithdrawn) +
                b.stakerReserve +
                b.claimable +
                b.poolsPending;
        assertEq(
            handler.token().balanceOf(address(distributor)),
            owed + escrow.books().balances,
            "distributor balance != owed + escrowed"
        );
    }
}

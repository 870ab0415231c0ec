// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGuardianPausable} from "./IGuardianPausable.sol";
import {IModelPaymentTerms} from "./IModelPaymentTerms.sol";
import {IOpenToken} from "./IOpenToken.sol";
import {IRewardDistributor} from "./IRewardDistributor.sol";

/// @title Usage escrow: pay per inference with signed cumulative vouchers
/// @notice An app (the payer) deposits OPEN into its escrow balance and pays a model's server per
/// inference by signing EIP-712 vouchers off chain: each voucher names the payer, the model, the
/// cumulative units served so far, the highest price per unit the payer accepts, the Merkle root of
/// the inference receipts so far (request hash, output hash, units, time) and an expiry. A newer
/// voucher supersedes the older; the server keeps the latest one. Anyone (the model owner, a
/// relayer) redeems vouchers, one or many payers and models per transaction: each redemption
/// charges `(cumulativeUnits - redeemedUnits) x` the model's current price (never above the
/// voucher's maximum) and has the reward distributor split it exactly as `pay` does into the
/// model's current epoch pool, and logs the usage root.
/// @dev Warning:
/// - Chain binding: the EIP-712 domain (name "OpenLedger Usage", version "1", chain id, this
///   contract) is part of every voucher's digest, so a voucher signed for another chain or escrow
///   recovers another signer and fails with `InvalidVoucherSignature`. Contract wallets sign by
///   ERC-1271 (OpenZeppelin `SignatureChecker`); such a signature is checked when redeemed, so a
///   wallet that revokes its approval revokes its unredeemed vouchers.
/// - No double charge: the escrow stores, per (payer, model), the units already redeemed; a voucher
///   charges only the units above them and a voucher whose cumulative units do not exceed them is
///   refused (`StaleVoucher`), whichever voucher the redeemer holds.
/// - Short balance (the rule): a voucher whose new units cost more than the payer's balance is
///   redeemed partially: it charges the whole units the balance covers, `floor(balance / price)`,
///   and advances the redeemed units by exactly those; the rest stay unpaid and owed under the same
///   voucher (or a later one), redeemable when the payer tops up. Nothing is charged twice and
///   nothing is written off: `VoucherRedeemed.unpaidUnits` and `unpaidUnits(...)` show the model
///   owner exactly what is outstanding. A balance that covers not even one unit refuses the
///   redemption (`UnfundedPayer`) and, in a batch, the whole batch (redeemers check `quote` first).
/// - Withdrawal: a payer asks to withdraw, waits `withdrawalDelay` (a governance parameter in
///   [MIN_WITHDRAWAL_DELAY, MAX_WITHDRAWAL_DELAY]) and then withdraws at most what is left. Until
///   then the whole balance stays redeemable, so a server that sees `WithdrawalRequested` has the
///   delay to redeem the latest voucher it holds. A new request restarts the delay; a server must
///   not serve past its payer's balance (`balanceOf`, `pendingWithdrawal`).
/// - The usage root is recorded in the `VoucherRedeemed` log (topic), the chain's permanent record,
///   not in storage: a verifier checks a receipt against the roots of the redeemed vouchers.
/// - Expiry is checked at redemption: a server redeems before the voucher's expiry.
/// - The guardian may pause deposits for a bounded time; redemptions and withdrawals are never
///   paused here (the distributor's own pause stops redemptions, which are payments to it).
/// - Custody: deposited OPEN is sent straight to the reward distributor, which holds it under this
///   contract's books: a redemption moves no token (`IRewardDistributor.creditUsage` books it as a
///   payment) and a withdrawal has the distributor send it (`IRewardDistributor.releaseUsage`,
///   callable only by this contract). The distributor's own payouts are bounded by its own books,
///   so they never reach the escrowed OPEN.
/// - Conservation: `deposited == redeemed + withdrawn + balances` at all times, and the distributor
///   holds at least `balances` beside everything it owes. This contract holds no OPEN (OPEN sent
///   to it directly is lost).
interface IUsageEscrow is IGuardianPausable {
    /// @notice What the payer signs.
    /// @param payer Whose escrow balance pays (an EOA or an ERC-1271 wallet).
    /// @param modelId The model served.
    /// @param cumulativeUnits All units served to this payer by this model so far.
    /// @param maxPricePerUnit The highest price per unit the payer accepts.
    /// @param usageRoot Merkle root of the inference receipts so far.
    /// @param expiry Last second at which the voucher can be redeemed (unix seconds).
    struct Voucher {
        address payer;
        uint256 modelId;
        uint256 cumulativeUnits;
        uint256 maxPricePerUnit;
        bytes32 usageRoot;
        uint256 expiry;
    }

    /// @notice A voucher with its signature.
    /// @param signature 65-byte ECDSA signature of an EOA, or what the payer's ERC-1271 wallet accepts.
    struct SignedVoucher {
        Voucher voucher;
        bytes signature;
    }

    /// @notice A payer's escrow account.
    /// @param balance Unspent deposit (redeemable).
    /// @param pendingWithdrawal Amount asked for by the pending withdrawal (0 for none).
    /// @param withdrawableAt When the pending withdrawal can be executed (0 for none).
    struct Account {
        uint96 balance;
        uint96 pendingWithdrawal;
        uint40 withdrawableAt;
    }

    /// @notice The escrow's books. Invariant: `deposited == redeemed + withdrawn + balances`.
    /// @param deposited All OPEN ever deposited.
    /// @param redeemed All OPEN ever charged by vouchers (sent to the distributor as payments).
    /// @param withdrawn All OPEN ever withdrawn by payers.
    /// @param balances The sum of all payer balances.
    struct Books {
        uint256 deposited;
        uint256 redeemed;
        uint256 withdrawn;
        uint256 balances;
    }

    /// @notice A zero amount.
    error ZeroAmount();
    /// @notice A zero address where one is required.
    error ZeroAddress();
    /// @notice An empty batch.
    error EmptyBatch();
    /// @notice The signature is not the payer's for this voucher on this chain and escrow.
    /// @param payer The voucher's payer.
    error InvalidVoucherSignature(address payer);
    /// @notice The voucher expired.
    /// @param expiry The voucher's expiry.
    /// @param timestamp The block time.
    error VoucherExpired(uint256 expiry, uint256 timestamp);
    /// @notice The voucher does not add units to what was already redeemed (an older voucher, or
    /// one already redeemed).
    /// @param cumulativeUnits The voucher's cumulative units.
    /// @param redeemedUnits Units already redeemed.
    error StaleVoucher(address payer, uint256 modelId, uint256 cumulativeUnits, uint256 redeemedUnits);
    /// @notice The model's current price is above the voucher's maximum.
    /// @param pricePerUnit The current price.
    /// @param maxPricePerUnit The voucher's maximum.
    error PriceAboveMax(uint256 modelId, uint256 pricePerUnit, uint256 maxPricePerUnit);
    /// @notice The model is retired and takes no payment.
    error ModelRetired(uint256 modelId);
    /// @notice The model's price is zero.
    error ZeroPrice(uint256 modelId);
    /// @notice Cumulative units above `MAX_UNITS`.
    /// @param cumulativeUnits The voucher's cumulative units.
    /// @param maxUnits The largest accepted.
    error UnitsOverflow(uint256 cumulativeUnits, uint256 maxUnits);
    /// @notice The payer's balance does not cover one unit at the current price.
    /// @param pricePerUnit The current price.
    error UnfundedPayer(address payer, uint256 balance, uint256 pricePerUnit);
    /// @notice The pending withdrawal's delay has not passed.
    /// @param withdrawableAt When it can be executed.
    error WithdrawalNotReady(address payer, uint256 withdrawableAt);
    /// @notice The payer has no pending withdrawal.
    error NoPendingWithdrawal(address payer);
    /// @notice A withdrawal request above the balance.
    /// @param amount The amount asked for.
    error WithdrawalAboveBalance(address payer, uint256 amount, uint256 balance);
    /// @notice A withdrawal delay outside [MIN_WITHDRAWAL_DELAY, MAX_WITHDRAWAL_DELAY].
    /// @param delay The value given.
    error WithdrawalDelayOutOfRange(uint256 delay);
    /// @notice The permit failed and the allowance does not cover the deposit.
    /// @param owner The token owner.
    /// @param allowance The allowance after the failed permit.
    /// @param amount The deposit.
    error PermitFailed(address owner, uint256 allowance, uint256 amount);
    /// @notice The token's supply exceeds 2^96 - 1 (balances are packed in 96 bits).
    error TokenSupplyTooLarge(uint256 totalSupply);
    /// @notice The distributor pays with another token.
    /// @param token This escrow's token.
    /// @param distributorToken The distributor's token.
    error TokenMismatch(address token, address distributorToken);

    /// @notice OPEN was deposited to a payer's balance.
    /// @param payer The payer credited.
    /// @param from Who sent the OPEN.
    /// @param balance The payer's balance after.
    event Deposited(address indexed payer, address indexed from, uint256 amount, uint256 balance);
    /// @notice A voucher was redeemed (fully or, on a short balance, partially).
    /// @param usageRoot The voucher's usage root (receipts so far).
    /// @param cumulativeUnits The voucher's cumulative units.
    /// @param units Units charged now.
    /// @param amount OPEN charged now (units x price).
    /// @param unpaidUnits Units of this voucher left unpaid by a short balance (0 normally).
    event VoucherRedeemed(
        address indexed payer,
        uint256 indexed modelId,
        bytes32 indexed usageRoot,
        uint256 cumulativeUnits,
        uint256 units,
        uint256 amount,
        uint256 unpaidUnits
    );
    /// @notice A payer asked to withdraw (replacing any earlier request).
    /// @param amount The amount asked for.
    /// @param withdrawableAt When it can be executed.
    event WithdrawalRequested(address indexed payer, uint256 amount, uint256 withdrawableAt);
    /// @notice A payer cancelled its pending withdrawal.
    event WithdrawalCancelled(address indexed payer);
    /// @notice A payer withdrew.
    /// @param to The recipient.
    /// @param amount The amount withdrawn (the request, capped at the balance).
    event Withdrawn(address indexed payer, address indexed to, uint256 amount);
    /// @notice The withdrawal delay changed (pending requests keep their time).
    /// @param delay Seconds.
    event WithdrawalDelayChanged(uint256 delay);

    /// @notice Deposits `amount` OPEN of the caller (approve this contract first) to `payer`'s balance.
    /// @dev Reverts `ZeroAddress`, `ZeroAmount`, `PausedByGuardian`, and the token's errors.
    /// @param payer The balance credited (the caller itself, or an app it funds).
    function deposit(address payer, uint256 amount) external;

    /// @notice `deposit` with an EIP-2612 permit of the caller for this contract of value exactly
    /// `amount`. If the permit fails (front-run), the deposit proceeds when the allowance suffices.
    /// @dev Reverts `PermitFailed` when the permit fails and the allowance is short; else as `deposit`.
    /// @param payer The balance credited.
    /// @param deadline The permit's deadline.
    /// @param v Signature v.
    /// @param r Signature r.
    /// @param s Signature s.
    function depositWithPermit(
        address payer,
        uint256 amount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /// @notice Redeems one voucher (anyone may call): charges the new units at the model's current
    /// price and pays them into the distributor's split.
    /// @dev Reverts `VoucherExpired`, `UnitsOverflow`, `StaleVoucher`, `InvalidVoucherSignature`,
    /// `IModelPaymentTerms.UnknownModel`, `ModelRetired`, `ZeroPrice`, `PriceAboveMax`,
    /// `UnfundedPayer`, and the distributor's `PausedByGuardian`.
    /// @param signed The voucher and its signature.
    /// @return amount OPEN charged.
    function redeem(SignedVoucher calldata signed) external returns (uint256 amount);

    /// @notice Redeems many vouchers (any payers and models) in one transaction, all or nothing.
    /// Consecutive vouchers of the same model are paid to the distributor as one payment.
    /// @dev Reverts `EmptyBatch`, else as `redeem` for any voucher (a payer or a model may appear
    /// several times; later vouchers of one (payer, model) must add units to earlier ones).
    /// @param signed The vouchers.
    /// @return total OPEN charged in all.
    function redeemBatch(SignedVoucher[] calldata signed) external returns (uint256 total);

    /// @notice Asks to withdraw `amount` of the caller's balance after `withdrawalDelay`; replaces
    /// any pending request and restarts the delay.
    /// @dev Reverts `ZeroAmount`, `WithdrawalAboveBalance`.
    /// @return withdrawableAt When it can be executed.
    function requestWithdrawal(uint256 amount) external returns (uint256 withdrawableAt);

    /// @notice Cancels the caller's pending withdrawal.
    /// @dev Reverts `NoPendingWithdrawal`.
    function cancelWithdrawal() external;

    /// @notice Executes the caller's pending withdrawal once its delay has passed: sends the
    /// requested amount, or the whole balance if redemptions left less, to `to`.
    /// @dev Reverts `ZeroAddress`, `NoPendingWithdrawal`, `WithdrawalNotReady`, and `ZeroAmount` when
    /// redemptions took the whole balance (the request then stays pending; cancel it).
    /// @param to The recipient.
    /// @return amount The amount withdrawn.
    function withdraw(address to) external returns (uint256 amount);

    /// @notice Sets the withdrawal delay (GOVERNANCE_ROLE); applies to requests made from now on.
    /// @dev Reverts `WithdrawalDelayOutOfRange`.
    /// @param delay Seconds.
    function setWithdrawalDelay(uint256 delay) external;

    /// @notice What redeeming a voucher now would charge (no signature check).
    /// @dev Reverts as `redeem` for everything but the signature.
    /// @return units Units it would charge.
    /// @return amount OPEN it would charge.
    /// @return unpaidUnits Units it would leave unpaid (short balance).
    function quote(
        Voucher calldata voucher
    ) external view returns (uint256 units, uint256 amount, uint256 unpaidUnits);

    /// @notice Whether `signature` is `voucher.payer`'s signature of `voucher` here.
    /// @return True when valid (EOA or ERC-1271).
    function isValidVoucher(Voucher calldata voucher, bytes calldata signature) external view returns (bool);

    /// @notice The EIP-712 digest a payer signs for `voucher`.
    /// @return The digest.
    function voucherDigest(Voucher calldata voucher) external view returns (bytes32);

    /// @notice A payer's account.
    /// @return The account.
    function account(address payer) external view returns (Account memory);

    /// @notice A payer's balance.
    /// @return The balance.
    function balanceOf(address payer) external view returns (uint256);

    /// @notice Units of a (payer, model) already redeemed.
    /// @return The units.
    function redeemedUnits(address payer, uint256 modelId) external view returns (uint256);

    /// @notice Units of a voucher not yet redeemed (all of its new units before redemption; what a
    /// short balance left unpaid after).
    /// @return `cumulativeUnits - redeemedUnits`, or 0.
    function unpaidUnits(Voucher calldata voucher) external view returns (uint256);

    /// @notice The books (see `Books`).
    /// @return The books.
    function books() external view returns (Books memory);

    /// @notice The withdrawal delay.
    /// @return Seconds.
    function withdrawalDelay() external view returns (uint256);

    /// @notice The OPEN token.
    /// @return The token.
    function token() external view returns (IOpenToken);

    /// @notice The model registry (prices, retirement).
    /// @return The registry.
    function models() external view returns (IModelPaymentTerms);

    /// @notice The reward distributor that splits every redemption.
    /// @return The distributor.
    function distributor() external view returns (IRewardDistributor);
}

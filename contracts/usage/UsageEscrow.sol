// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IModelPaymentTerms} from "../interfaces/IModelPaymentTerms.sol";
import {IOpenToken} from "../interfaces/IOpenToken.sol";
import {IRewardDistributor} from "../interfaces/IRewardDistributor.sol";
import {IUsageEscrow} from "../interfaces/IUsageEscrow.sol";
import {GovernedPausable} from "../governance/GovernedPausable.sol";
import {VoucherLib} from "../libraries/VoucherLib.sol";

/// @title UsageEscrow
/// @notice Payer balances and voucher redemption. See {IUsageEscrow}.
/// @dev The distributor must grant this contract its USAGE_ESCROW_ROLE. Each redemption transfers
/// its total to the distributor, then credits it (`creditUsage`), in the same transaction.
/// No reentrancy guard: the only token is the immutable OPEN (no transfer hooks), the distributor
/// is immutable, and every function follows checks-effects-interactions (the one external call
/// that can run foreign code, an ERC-1271 wallet's `isValidSignature`, is a static call).
/// Roles: GOVERNANCE_ROLE sets the withdrawal delay and unpauses; GUARDIAN_ROLE may pause deposits.
contract UsageEscrow is IUsageEscrow, EIP712, GovernedPausable {
    using SafeERC20 for IERC20;

    /// @dev Slot read by deposits and withdrawal requests.
    struct Params {
        uint128 deposited;
        uint40 withdrawalDelay;
        uint40 pausedUntil;
    }

    /// @dev Outflows.
    struct Outflow {
        uint128 redeemed;
        uint128 withdrawn;
    }

    /// @notice Shortest withdrawal delay.
    uint256 public constant MIN_WITHDRAWAL_DELAY = 1 hours;
    /// @notice Longest withdrawal delay.
    uint256 public constant MAX_WITHDRAWAL_DELAY = 30 days;
    /// @notice Largest cumulative units of a voucher (2^64 - 1).
    uint256 public constant MAX_UNITS = type(uint64).max;

    IOpenToken private immutable _token;
    IModelPaymentTerms private immutable _models;
    IRewardDistributor private immutable _distributor;

    Params private _params;
    Outflow private _outflow;
    mapping(address payer => Account) private _accounts;
    mapping(address payer => mapping(uint256 modelId => uint256 units)) private _redeemed;

    /// @param token_ The OPEN token (supply below 2^96).
    /// @param models_ The model registry (prices, retirement).
    /// @param distributor_ The reward distributor (same token).
    /// @param admin Receives DEFAULT_ADMIN_ROLE and GOVERNANCE_ROLE.
    /// @param withdrawalDelay_ Initial withdrawal delay.
    constructor(
        IOpenToken token_,
        IModelPaymentTerms models_,
        IRewardDistributor distributor_,
        address admin,
        uint256 withdrawalDelay_
    ) EIP712("OpenLedger Usage", "1") GovernedPausable(admin) {
        if (
            address(token_) == address(0) ||
            address(models_) == address(0) ||
            address(distributor_) == address(0) ||
            admin == address(0)
        ) revert ZeroAddress();
        uint256 supply = token_.totalSupply();
        if (supply > type(uint96).max) revert TokenSupplyTooLarge(supply);
        if (address(distributor_.token()) != address(token_))
            revert TokenMismatch(address(token_), address(distributor_.token()));
        _token = token_;
        _models = models_;
        _distributor = distributor_;
        _setWithdrawalDelay(withdrawalDelay_);
    }

    // ----- Deposits -----

    /// @inheritdoc IUsageEscrow
    function deposit(address payer, uint256 amount) external {
        _deposit(payer, amount);
        IERC20(address(_token)).safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IUsageEscrow
    function depositWithPermit(
        address payer,
        uint256 amount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        bool permitted;
        try _token.permit(msg.sender, address(this), amount, deadline, v, r, s) {
            permitted = true;
        } catch {
            // A front-run permit leaves the allowance in place: proceed when it suffices.
            uint256 allowance = _token.allowance(msg.sender, address(this));
            if (allowance < amount) revert PermitFailed(msg.sender, allowance, amount);
        }
        // `permitted` only documents which branch ran.
        _deposit(payer, amount);
        IERC20(address(_token)).safeTransferFrom(msg.sender, address(this), amount);
    }

    // ----- Redemption -----

    /// @inheritdoc IUsageEscrow
    function redeem(SignedVoucher calldata signed) external returns (uint256 amount) {
        uint256 modelId = signed.voucher.modelId;
        amount = _redeem(signed, _price(modelId));
        _outflow.redeemed += uint128(amount); // cast: amount <= a balance < 2^96
        IRewardDistributor.UsageCredit[] memory credits = new IRewardDistributor.UsageCredit[](1);
        credits[0] = IRewardDistributor.UsageCredit(modelId, amount);
        _payDistributor(credits, amount);
    }

    /// @inheritdoc IUsageEscrow
    function redeemBatch(SignedVoucher[] calldata signed) external returns (uint256 total) {
        uint256 n = signed.length;
        if (n == 0) revert EmptyBatch();
        IRewardDistributor.UsageCredit[] memory credits = new IRewardDistributor.UsageCredit[](n);
        uint256 count;
        uint256 modelId;
        uint256 price;
        for (uint256 i = 0; i < n; ++i) {
            SignedVoucher calldata item = signed[i];
            uint256 itemModel = item.voucher.modelId;
            if (count == 0 || itemModel != modelId) {
                // A run of vouchers of one model reads its terms once and is one payment.
                modelId = itemModel;
                price = _price(modelId);
                credits[count++].modelId = modelId;
            }
            uint256 amount = _redeem(item, price);
            credits[count - 1].amount += amount;
            total += amount;
        }
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(credits, count) // shrink to the runs used (count <= n)
        }
        _outflow.redeemed += uint128(total); // cast: total <= the balances charged < 2^96
        _payDistributor(credits, total);
    }

    // ----- Withdrawals -----

    /// @inheritdoc IUsageEscrow
    function requestWithdrawal(uint256 amount) external returns (uint256 withdrawableAt) {
        if (amount == 0) revert ZeroAmount();
        Account memory a = _accounts[msg.sender];
        if (amount > a.balance) revert WithdrawalAboveBalance(msg.sender, amount, a.balance);
        withdrawableAt = block.timestamp + _params.withdrawalDelay;
        a.pendingWithdrawal = uint96(amount); // cast: amount <= balance < 2^96
        a.withdrawableAt = uint40(withdrawableAt); // cast: a timestamp
        _accounts[msg.sender] = a;
        emit WithdrawalRequested(msg.sender, amount, withdrawableAt);
    }

    /// @inheritdoc IUsageEscrow
    function cancelWithdrawal() external {
        Account storage a = _accounts[msg.sender];
        if (a.withdrawableAt == 0) revert NoPendingWithdrawal(msg.sender);
        a.pendingWithdrawal = 0;
        a.withdrawableAt = 0;
        emit WithdrawalCancelled(msg.sender);
    }

    /// @inheritdoc IUsageEscrow
    function withdraw(address to) external returns (uint256 amount) {
        if (to == address(0)) revert ZeroAddress();
        Account memory a = _accounts[msg.sender];
        if (a.withdrawableAt == 0) revert NoPendingWithdrawal(msg.sender);
        if (block.timestamp < a.withdrawableAt) revert WithdrawalNotReady(msg.sender, a.withdrawableAt);
        amount = a.pendingWithdrawal < a.balance ? a.pendingWithdrawal : a.balance;
        if (amount == 0) revert ZeroAmount();
        // casts: amount <= balance < 2^96.
        a.balance -= uint96(amount);
        a.pendingWithdrawal = 0;
        a.withdrawableAt = 0;
        _accounts[msg.sender] = a;
        _outflow.withdrawn += uint128(amount);
        emit Withdrawn(msg.sender, to, amount);
        IERC20(address(_token)).safeTransfer(to, amount);
    }

    // ----- Governance -----

    /// @inheritdoc IUsageEscrow
    function setWithdrawalDelay(uint256 delay) external onlyRole(GOVERNANCE_ROLE) {
        _setWithdrawalDelay(delay);
    }

    // ----- Views -----

    /// @inheritdoc IUsageEscrow
    function quote(
        Voucher calldata voucher
    ) external view returns (uint256 units, uint256 amount, uint256 unpaid) {
        uint256 price = _price(voucher.modelId);
        uint256 newUnits = _newUnits(voucher, price);
        uint256 balance = _accounts[voucher.payer].balance;
        (units, amount) = VoucherLib.charge(newUnits, price, balance);
        if (units == 0) revert UnfundedPayer(voucher.payer, balance, price);
        unpaid = newUnits - units;
    }

    /// @inheritdoc IUsageEscrow
    function isValidVoucher(Voucher calldata voucher, bytes calldata signature) external view returns (bool) {
        return _isValidSignature(voucher.payer, voucherDigest(voucher), signature);
    }

    /// @inheritdoc IUsageEscrow
    function account(address payer) external view returns (Account memory) {
        return _accounts[payer];
    }

    /// @inheritdoc IUsageEscrow
    function balanceOf(address payer) external view returns (uint256) {
        return _accounts[payer].balance;
    }

    /// @inheritdoc IUsageEscrow
    function redeemedUnits(address payer, uint256 modelId) external view returns (uint256) {
        return _redeemed[payer][modelId];
    }

    /// @inheritdoc IUsageEscrow
    function unpaidUnits(Voucher calldata voucher) external view returns (uint256) {
        uint256 done = _redeemed[voucher.payer][voucher.modelId];
        return voucher.cumulativeUnits > done ? voucher.cumulativeUnits - done : 0;
    }

    /// @inheritdoc IUsageEscrow
    function books() external view returns (Books memory b) {
        Outflow memory o = _outflow;
        b.deposited = _params.deposited;
        b.redeemed = o.redeemed;
        b.withdrawn = o.withdrawn;
        b.balances = b.deposited - b.redeemed - b.withdrawn;
    }

    /// @inheritdoc IUsageEscrow
    function withdrawalDelay() external view returns (uint256) {
        return _params.withdrawalDelay;
    }

    /// @inheritdoc IUsageEscrow
    function token() external view returns (IOpenToken) {
        return _token;
    }

    /// @inheritdoc IUsageEscrow
    function models() external view returns (IModelPaymentTerms) {
        return _models;
    }

    /// @inheritdoc IUsageEscrow
    function distributor() external view returns (IRewardDistributor) {
        return _distributor;
    }

    /// @inheritdoc IUsageEscrow
    function voucherDigest(Voucher calldata voucher) public view returns (bytes32) {
        return _hashTypedDataV4(VoucherLib.structHash(voucher));
    }

    // ----- Internal -----

    /// @dev Credits a deposit (the caller pulls the tokens after).
    function _deposit(address payer, uint256 amount) internal whenNotPaused {
        if (payer == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroAmount();
        // casts: the transfer that follows fails unless the sender holds `amount`, and every balance
        // and the deposits still held are bounded by the supply (< 2^96, checked in the constructor).
        uint256 balance = _accounts[payer].balance + amount;
        _accounts[payer].balance = uint96(balance);
        _params.deposited += uint128(amount);
        emit Deposited(payer, msg.sender, amount, balance);
    }

    /// @dev Checks one voucher against the model's current `price` and charges its payer.
    function _redeem(SignedVoucher calldata signed, uint256 price) internal returns (uint256 amount) {
        Voucher calldata v = signed.voucher;
        uint256 newUnits = _newUnits(v, price);
        if (!_isValidSignature(v.payer, voucherDigest(v), signed.signature)) {
            revert InvalidVoucherSignature(v.payer);
        }
        Account storage acct = _accounts[v.payer];
        uint256 balance = acct.balance;
        uint256 units;
        (units, amount) = VoucherLib.charge(newUnits, price, balance);
        if (units == 0) revert UnfundedPayer(v.payer, balance, price);
        // unchecked: amount <= balance; units <= newUnits = cumulativeUnits - redeemed.
        unchecked {
            acct.balance = uint96(balance - amount);
            _redeemed[v.payer][v.modelId] = v.cumulativeUnits - newUnits + units;
            emit VoucherRedeemed(
                v.payer,
                v.modelId,
                v.usageRoot,
                v.cumulativeUnits,
                units,
                amount,
                newUnits - units
            );
        }
    }

    /// @dev Units a voucher adds above those redeemed, after the checks that need no signature.
    function _newUnits(Voucher calldata v, uint256 price) internal view returns (uint256) {
        if (block.timestamp > v.expiry) revert VoucherExpired(v.expiry, block.timestamp);
        if (v.cumulativeUnits > MAX_UNITS) revert UnitsOverflow(v.cumulativeUnits, MAX_UNITS);
        if (price > v.maxPricePerUnit) revert PriceAboveMax(v.modelId, price, v.maxPricePerUnit);
        uint256 done = _redeemed[v.payer][v.modelId];
        if (v.cumulativeUnits <= done) revert StaleVoucher(v.payer, v.modelId, v.cumulativeUnits, done);
        // unchecked: cumulativeUnits > done.
        unchecked {
            return v.cumulativeUnits - done;
        }
    }

    /// @dev The model's current price; reverts for an unknown, retired or free model.
    function _price(uint256 modelId) internal view returns (uint256 price) {
        bool retired;
        (, , price, retired) = _models.paymentTerms(modelId); // reverts UnknownModel
        if (retired) revert ModelRetired(modelId);
        if (price == 0) revert ZeroPrice(modelId);
    }

    /// @dev Sends `total` to the distributor, then has it split the credits (which sum to `total`).
    function _payDistributor(IRewardDistributor.UsageCredit[] memory credits, uint256 total) internal {
        IERC20(address(_token)).safeTransfer(address(_distributor), total);
        _distributor.creditUsage(credits);
    }

    /// @dev An EOA's ECDSA signature first (no code-size read), then the payer's ERC-1271 answer.
    function _isValidSignature(
        address payer,
        bytes32 digest,
        bytes calldata signature
    ) internal view returns (bool) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(digest, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == payer) return true;
        return SignatureChecker.isValidERC1271SignatureNowCalldata(payer, digest, signature);
    }

    function _setWithdrawalDelay(uint256 delay) internal {
        if (delay < MIN_WITHDRAWAL_DELAY || delay > MAX_WITHDRAWAL_DELAY)
            revert WithdrawalDelayOutOfRange(delay);
        _params.withdrawalDelay = uint40(delay); // cast: <= MAX_WITHDRAWAL_DELAY
        emit WithdrawalDelayChanged(delay);
    }

    function _loadPausedUntil() internal view override returns (uint256) {
        return _params.pausedUntil;
    }

    function _storePausedUntil(uint256 until) internal override {
        _params.pausedUntil = uint40(until); // cast: a timestamp
    }
}

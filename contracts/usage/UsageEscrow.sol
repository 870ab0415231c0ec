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
/// @dev Custody: deposits go straight to the reward distributor, which holds the escrowed OPEN
/// under this contract's books; a redemption is then bookkeeping on both sides (`creditUsage`)
/// and no token moves; a withdrawal has the distributor send the OPEN (`releaseUsage`). The
/// distributor must grant this contract its USAGE_ESCROW_ROLE.
/// Storage is packed for redemption: a payer's slot holds its balance and the units redeemed of
/// its home model (the first model it paid by voucher), so a voucher of the home model reads and
/// writes one slot; other models keep their units in `_redeemed`. Pending withdrawals live apart.
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

    /// @dev A payer's slot: balance (bits 0..95), home model (96..127, 0 for none yet) and the units
    /// redeemed of it (128..191).
    struct Payer {
        uint96 balance;
        uint32 homeModel;
        uint64 homeUnits;
    }

    /// @dev A pending withdrawal.
    struct Withdrawal {
        uint96 amount;
        uint40 at;
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
    mapping(address payer => Payer) private _payers;
    mapping(address payer => Withdrawal) private _withdrawals;
    /// @dev Units redeemed of the models other than the payer's home model.
    mapping(address payer => mapping(uint256 modelId => uint256 units)) private _redeemed;

    /// @param token_ The OPEN token (supply below 2^96).
    /// @param models_ The model registry (prices, lineage, retirement).
    /// @param distributor_ The reward distributor (same token), which holds the escrowed OPEN.
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
        IERC20(address(_token)).safeTransferFrom(msg.sender, address(_distributor), amount);
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
        IERC20(address(_token)).safeTransferFrom(msg.sender, address(_distributor), amount);
    }

    // ----- Redemption -----

    /// @inheritdoc IUsageEscrow
    function redeem(SignedVoucher calldata signed) external returns (uint256 amount) {
        uint256 modelId = signed.voucher.modelId;
        (uint256 price, uint256 baseModelId) = _terms(modelId);
        amount = _redeem(signed, price);
        _outflow.redeemed += uint128(amount); // cast: amount <= a balance < 2^96
        IRewardDistributor.UsageCredit[] memory credits = new IRewardDistributor.UsageCredit[](1);
        credits[0] = IRewardDistributor.UsageCredit(modelId, baseModelId, amount);
        _distributor.creditUsage(credits);
    }

    /// @inheritdoc IUsageEscrow
    function redeemBatch(SignedVoucher[] calldata signed) external returns (uint256 total) {
        uint256 n = signed.length;
        if (n == 0) revert EmptyBatch();
        IRewardDistributor.UsageCredit[] memory credits = new IRewardDistributor.UsageCredit[](n);
        uint256 count;
        uint256 modelId;
        uint256 price;
        IRewardDistributor.UsageCredit memory run;
        for (uint256 i = 0; i < n; ++i) {
            SignedVoucher calldata item = signed[i];
            uint256 itemModel = item.voucher.modelId;
            uint256 amount;
            if (count == 0 || itemModel != modelId) {
                // A run of vouchers of one model reads its terms once and is one payment.
                modelId = itemModel;
                uint256 baseModelId;
                (price, baseModelId) = _terms(modelId);
                run = credits[count++];
                run.modelId = modelId;
                run.baseModelId = baseModelId;
                amount = _redeem(item, price);
                run.amount = amount;
            } else {
                // The next voucher of the current run, at the run's terms.
                amount = _redeem(item, price);
                run.amount += amount;
            }
            total += amount;
        }
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(credits, count) // shrink to the runs used (count <= n)
        }
        _outflow.redeemed += uint128(total); // cast: total <= the balances charged < 2^96
        _distributor.creditUsage(credits);
    }

    // ----- Withdrawals -----

    /// @inheritdoc IUsageEscrow
    function requestWithdrawal(uint256 amount) external returns (uint256 withdrawableAt) {
        if (amount == 0) revert ZeroAmount();
        uint256 balance = _payers[msg.sender].balance;
        if (amount > balance) revert WithdrawalAboveBalance(msg.sender, amount, balance);
        withdrawableAt = block.timestamp + _params.withdrawalDelay;
        // casts: amount <= balance < 2^96; a timestamp.
        _withdrawals[msg.sender] = Withdrawal(uint96(amount), uint40(withdrawableAt));
        emit WithdrawalRequested(msg.sender, amount, withdrawableAt);
    }

    /// @inheritdoc IUsageEscrow
    function cancelWithdrawal() external {
        if (_withdrawals[msg.sender].at == 0) revert NoPendingWithdrawal(msg.sender);
        delete _withdrawals[msg.sender];
        emit WithdrawalCancelled(msg.sender);
    }

    /// @inheritdoc IUsageEscrow
    function withdraw(address to) external returns (uint256 amount) {
        if (to == address(0)) revert ZeroAddress();
        Withdrawal memory w = _withdrawals[msg.sender];
        if (w.at == 0) revert NoPendingWithdrawal(msg.sender);
        if (block.timestamp < w.at) revert WithdrawalNotReady(msg.sender, w.at);
        Payer storage p = _payers[msg.sender];
        uint256 balance = p.balance;
        amount = w.amount < balance ? w.amount : balance;
        if (amount == 0) revert ZeroAmount();
        // unchecked: amount <= balance < 2^96, and the withdrawn total <= all deposits.
        unchecked {
            p.balance = uint96(balance - amount);
            _outflow.withdrawn += uint128(amount);
        }
        delete _withdrawals[msg.sender];
        emit Withdrawn(msg.sender, to, amount);
        _distributor.releaseUsage(to, amount);
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
        (uint256 price, ) = _terms(voucher.modelId);
        _checkTerms(voucher, price);
        Payer memory p = _payers[voucher.payer];
        (, uint256 done) = _redeemedOf(p, voucher.payer, voucher.modelId);
        uint256 newUnits = _newUnits(voucher, done);
        (units, amount) = VoucherLib.charge(newUnits, price, p.balance);
        if (units == 0) revert UnfundedPayer(voucher.payer, p.balance, price);
        unpaid = newUnits - units;
    }

    /// @inheritdoc IUsageEscrow
    function isValidVoucher(Voucher calldata voucher, bytes calldata signature) external view returns (bool) {
        return _isValidSignature(voucher.payer, voucherDigest(voucher), signature);
    }

    /// @inheritdoc IUsageEscrow
    function account(address payer) external view returns (Account memory) {
        Withdrawal memory w = _withdrawals[payer];
        return Account(_payers[payer].balance, w.amount, w.at);
    }

    /// @inheritdoc IUsageEscrow
    function balanceOf(address payer) external view returns (uint256) {
        return _payers[payer].balance;
    }

    /// @inheritdoc IUsageEscrow
    function redeemedUnits(address payer, uint256 modelId) public view returns (uint256 units) {
        (, units) = _redeemedOf(_payers[payer], payer, modelId);
    }

    /// @inheritdoc IUsageEscrow
    function unpaidUnits(Voucher calldata voucher) external view returns (uint256) {
        uint256 done = redeemedUnits(voucher.payer, voucher.modelId);
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

    /// @dev Credits a deposit (the caller has the tokens sent to the distributor after).
    function _deposit(address payer, uint256 amount) internal whenNotPaused {
        if (payer == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroAmount();
        // casts: the transfer that follows fails unless the sender holds `amount`, and every balance
        // and the deposits still held are bounded by the supply (< 2^96, checked in the constructor).
        Payer storage p = _payers[payer];
        uint256 balance = p.balance + amount;
        p.balance = uint96(balance);
        _params.deposited += uint128(amount);
        emit Deposited(payer, msg.sender, amount, balance);
    }

    /// @dev Checks one voucher against the model's current `price` and charges its payer.
    function _redeem(SignedVoucher calldata signed, uint256 price) internal returns (uint256 amount) {
        Voucher calldata v = signed.voucher;
        _checkTerms(v, price);
        Payer memory p = _payers[v.payer];
        (bool home, uint256 done) = _redeemedOf(p, v.payer, v.modelId);
        uint256 newUnits = _newUnits(v, done);
        if (!_isValidSignature(v.payer, voucherDigest(v), signed.signature)) {
            revert InvalidVoucherSignature(v.payer);
        }
        uint256 units;
        (units, amount) = VoucherLib.charge(newUnits, price, p.balance);
        if (units == 0) revert UnfundedPayer(v.payer, p.balance, price);
        // unchecked: amount <= balance; units <= newUnits = cumulativeUnits - done.
        unchecked {
            uint256 redeemedAfter = done + units; // <= cumulativeUnits <= MAX_UNITS
            uint256 word = p.balance - amount;
            if (home) {
                // casts: home models are below 2^32 (see `_redeemedOf`), units below 2^64.
                word |= (v.modelId << 96) | (redeemedAfter << 128);
            } else {
                word |= (uint256(p.homeModel) << 96) | (uint256(p.homeUnits) << 128);
                _redeemed[v.payer][v.modelId] = redeemedAfter;
            }
            Payer storage slot = _payers[v.payer];
            // One store of the payer's slot in `Payer`'s layout.
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                sstore(slot.slot, word)
            }
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

    /// @dev The checks of a voucher that need neither its payer's state nor its signature.
    function _checkTerms(Voucher calldata v, uint256 price) internal view {
        if (block.timestamp > v.expiry) revert VoucherExpired(v.expiry, block.timestamp);
        if (v.cumulativeUnits > MAX_UNITS) revert UnitsOverflow(v.cumulativeUnits, MAX_UNITS);
        if (price > v.maxPricePerUnit) revert PriceAboveMax(v.modelId, price, v.maxPricePerUnit);
    }

    /// @dev Units a voucher adds above the `done` already redeemed; reverts `StaleVoucher` for none.
    function _newUnits(Voucher calldata v, uint256 done) internal pure returns (uint256) {
        if (v.cumulativeUnits <= done) revert StaleVoucher(v.payer, v.modelId, v.cumulativeUnits, done);
        // unchecked: cumulativeUnits > done.
        unchecked {
            return v.cumulativeUnits - done;
        }
    }

    /// @dev Units of (payer, model) redeemed, and whether they live in the payer's slot: the home
    /// model's do, and a payer with no home model yet takes this one as home (when below 2^32).
    function _redeemedOf(
        Payer memory p,
        address payer,
        uint256 modelId
    ) internal view returns (bool home, uint256 units) {
        if (p.homeModel == modelId) return (true, p.homeUnits);
        if (p.homeModel == 0 && modelId <= type(uint32).max) return (true, 0);
        return (false, _redeemed[payer][modelId]);
    }

    /// @dev The model's current price and base model; reverts for an unknown, retired or free model.
    function _terms(uint256 modelId) internal view returns (uint256 price, uint256 baseModelId) {
        bool retired;
        (, baseModelId, price, retired) = _models.paymentTerms(modelId); // reverts UnknownModel
        if (retired) revert ModelRetired(modelId);
        if (price == 0) revert ZeroPrice(modelId);
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

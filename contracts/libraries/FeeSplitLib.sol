// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title FeeSplitLib
/// @notice Splits an inference payment into treasury, model owner, upstream royalty, staker and
/// data contributor shares by basis points.
/// @dev Rounding: every basis-point share rounds down; the contributors' pool receives the
/// remainder, so `treasury + owner + royalty + staker + contributors == amount` exactly and no
/// dust is ever lost. Rounding never favours a claimant of a basis-point share.
library FeeSplitLib {
    /// @notice Basis-point denominator (100%).
    uint256 internal constant BPS = 10_000;
    /// @notice Cap of the treasury share (10%).
    uint16 internal constant MAX_TREASURY_BPS = 1_000;
    /// @notice Cap of the model owner share (50%).
    uint16 internal constant MAX_OWNER_BPS = 5_000;
    /// @notice Cap of the upstream royalty share (10%).
    uint16 internal constant MAX_ROYALTY_BPS = 1_000;
    /// @notice Cap of the staker share (10%).
    uint16 internal constant MAX_STAKER_BPS = 1_000;

    /// @notice Whether every share is within its cap (the caps sum to 80%, so the data
    /// contributors always keep at least 20%).
    /// @param treasuryBps Treasury share.
    /// @param ownerBps Model owner share.
    /// @param royaltyBps Upstream royalty share.
    /// @param stakerBps Staker share.
    /// @return True when all four shares are within their caps.
    function withinCaps(
        uint16 treasuryBps,
        uint16 ownerBps,
        uint16 royaltyBps,
        uint16 stakerBps
    ) internal pure returns (bool) {
        return
            treasuryBps <= MAX_TREASURY_BPS &&
            ownerBps <= MAX_OWNER_BPS &&
            royaltyBps <= MAX_ROYALTY_BPS &&
            stakerBps <= MAX_STAKER_BPS;
    }

    /// @notice Splits `amount`.
    /// @dev Requires `amount <= type(uint96).max` (callers check), so `amount * bps` cannot overflow,
    /// and shares within the caps, so their sum is at most `amount`. The treasury and the staker
    /// reserve are taken together as one protocol share (one rounding), divided later by
    /// `divideProtocol`.
    /// @param amount The payment.
    /// @param protocolBps Treasury share + staker share.
    /// @param ownerBps Model owner share.
    /// @param royaltyBps Upstream royalty share.
    /// @return protocol floor(amount * protocolBps / BPS).
    /// @return owner floor(amount * ownerBps / BPS).
    /// @return royalty floor(amount * royaltyBps / BPS).
    /// @return contributors The remainder.
    function split(
        uint256 amount,
        uint256 protocolBps,
        uint256 ownerBps,
        uint256 royaltyBps
    ) internal pure returns (uint256 protocol, uint256 owner, uint256 royalty, uint256 contributors) {
        // unchecked: amount < 2^96 and bps < 2^17, so products fit; the bps sum to <= BPS, so each
        // floor is <= its exact share and the subtraction cannot underflow.
        unchecked {
            protocol = (amount * protocolBps) / BPS;
            owner = (amount * ownerBps) / BPS;
            royalty = (amount * royaltyBps) / BPS;
            contributors = amount - protocol - owner - royalty;
        }
    }

    /// @notice Divides an accrued protocol balance between the treasury and the staker reserve in
    /// the ratio of their shares: the treasury part rounds down, the staker reserve gets the rest.
    /// @param open The protocol balance accrued under this split.
    /// @param treasuryBps Treasury share.
    /// @param stakerBps Staker share.
    /// @return treasury floor(open * treasuryBps / (treasuryBps + stakerBps)), 0 if both are 0.
    /// @return staker open - treasury.
    function divideProtocol(
        uint256 open,
        uint256 treasuryBps,
        uint256 stakerBps
    ) internal pure returns (uint256 treasury, uint256 staker) {
        uint256 sum = treasuryBps + stakerBps;
        if (sum != 0) treasury = (open * treasuryBps) / sum;
        staker = open - treasury;
    }

    /// @notice Splits a royalty equally among `ancestors` base models.
    /// @param royalty The royalty share of a payment.
    /// @param ancestors How many ancestors share it (> 0).
    /// @return each floor(royalty / ancestors), credited to every ancestor.
    /// @return remainder What is left (< ancestors), credited to the contributors' pool.
    function royaltyPart(
        uint256 royalty,
        uint256 ancestors
    ) internal pure returns (uint256 each, uint256 remainder) {
        // unchecked: ancestors > 0 and each * ancestors <= royalty.
        unchecked {
            each = royalty / ancestors;
            remainder = royalty - each * ancestors;
        }
    }
}

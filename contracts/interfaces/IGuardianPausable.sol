// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Time-limited emergency pause
/// @notice An emergency guardian may pause the entry points that take in NEW money or NEW
/// commitments (payments, attribution and settlement commitments) for at most `MAX_PAUSE_DURATION`.
/// The pause ends by itself: `paused()` is false from `pausedUntil()` on. Governance may lift it
/// earlier with `unpause`, and may replace the guardian. After a pause ends (by expiry or by
/// governance), the guardian cannot pause again before `PAUSE_COOLDOWN` has passed, so a guardian
/// can delay the protocol but never freeze it: at most `MAX_PAUSE_DURATION` out of every
/// `MAX_PAUSE_DURATION + PAUSE_COOLDOWN` seconds, and governance can remove it within one proposal.
/// @dev Warning:
/// - The pause never applies to claims, withdrawals or anything that pays out what is already owed;
///   only functions carrying the `whenNotPaused` modifier stop.
/// - A pause cannot be extended: pausing while paused reverts (`PauseUnavailable`).
/// - Governance is slow on purpose (with the defaults a proposal takes at least 1 + 5 + 2 = 8 days),
///   longer than a pause: the expiry is what bounds a pause; `unpause` lifts one earlier only when a
///   proposal was already under way. A guardian that abuses its power gets one pause: a proposal
///   started at that pause removes it after 8 days, while it may pause again only 14 days after the
///   first pause (7 days of pause + 7 days of cooldown).
/// - The cooldown belongs to the contract, not to the guardian: replacing the guardian does not
///   reset it.
/// - Who is guardian and who is governance is decided by the host contract (e.g. AccessControl roles
///   `GUARDIAN_ROLE` and `GOVERNANCE_ROLE`); an unauthorised caller gets the host's error (e.g.
///   `AccessControlUnauthorizedAccount`).
interface IGuardianPausable {
    /// @notice A guarded function was called during a pause.
    /// @param pausedUntil When the pause ends by itself.
    error PausedByGuardian(uint256 pausedUntil);

    /// @notice The guardian tried to pause while paused or before the cooldown after the last pause passed.
    /// @param availableAt The first time a new pause is allowed.
    error PauseUnavailable(uint256 availableAt);

    /// @notice The guardian paused the guarded functions.
    /// @param guardian Who paused.
    /// @param pausedUntil When the pause ends by itself.
    event Paused(address indexed guardian, uint256 pausedUntil);

    /// @notice Governance lifted the pause before it expired.
    /// @param account Who unpaused (the governance executor).
    event Unpaused(address indexed account);

    /// @notice Pauses the guarded functions for `MAX_PAUSE_DURATION` (guardian only).
    /// @dev Reverts `PauseUnavailable` while paused or within `PAUSE_COOLDOWN` after the last pause ended.
    function pause() external;

    /// @notice Lifts the pause now (governance only); the cooldown starts now. Does nothing when not
    /// paused, so that a proposal that lifts a pause (possibly batched with replacing the guardian)
    /// does not fail because the pause expired while the proposal was being voted on.
    function unpause() external;

    /// @notice Whether the guarded functions are paused now.
    /// @return True while `block.timestamp < pausedUntil()`.
    function paused() external view returns (bool);

    /// @notice When the latest pause ends or ended (0 if never paused; the unpause time if governance
    /// lifted it).
    /// @return Unix seconds.
    function pausedUntil() external view returns (uint256);

    /// @notice The first time the guardian may pause again: `pausedUntil() + PAUSE_COOLDOWN`, or 0
    /// (now) if it never paused.
    /// @return Unix seconds.
    function pauseAvailableAt() external view returns (uint256);

    /// @notice The length of a pause.
    /// @return Seconds (7 days).
    function MAX_PAUSE_DURATION() external view returns (uint256);

    /// @notice The minimum time between the end of a pause and the next one.
    /// @return Seconds (7 days).
    function PAUSE_COOLDOWN() external view returns (uint256);
}

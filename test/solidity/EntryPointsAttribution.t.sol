// SPDX-License-Identifier: MIT
// Entry-point fuzz tests of AttributionRegistry, one test contract per group of functions (see EntryPointBase.sol).
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IAttributionRegistry} from "../../contracts/interfaces/IAttributionRegistry.sol";
import {IGuardianPausable} from "../../contracts/interfaces/IGuardianPausable.sol";
import {EntryPointBase} from "./EntryPointBase.sol";

/// @notice AttributionRegistry, the commitment game: commitAttribution, challenge, resolveChallenge,
/// closeLapsedChallenge.
contract EntryPointsAttributionTest is EntryPointBase {
    function _digest() internal view override returns (bytes32) {
        return keccak256(abi.encode(_attributionDigest(), _tokenDigest()));
    }

    /// @dev A fixture (model, epoch) three times in four, else fuzzed ids.
    function _pair(uint256 seed) private view returns (uint256 modelId, uint256 epoch) {
        uint256 current = attribution.currentEpoch();
        if (seed % 4 == 3) return (_id(seed >> 2, MODELS), _id(seed >> 10, current));
        return (1 + ((seed >> 2) % MODELS), (seed >> 10) % (current + 2));
    }

    function testFuzz_commitAttribution(
        uint256 callerSeed,
        uint256 pairSeed,
        bytes32 root,
        uint256 weightSeed,
        uint256 warpSeed
    ) public {
        vm.warp(block.timestamp + (warpSeed % (3 * EPOCH)));
        address caller = callerSeed % 2 == 0 ? operator : _caller(callerSeed);
        (uint256 modelId, uint256 epoch) = _pair(pairSeed);
        _maybePause(attribution, callerSeed >> 128);
        _allow(IGuardianPausable.PausedByGuardian.selector);
        if (weightSeed % 7 == 0) root = bytes32(0);
        uint256 totalWeight =
            weightSeed % 5 == 0 ? uint256(type(uint128).max) + (weightSeed % 2) : _amount(weightSeed, 4);
        _allowAccessControl();
        _allow(IAttributionRegistry.EpochNotEnded.selector);
        _allow(IAttributionRegistry.AlreadyCommitted.selector);
        _allow(IAttributionRegistry.ZeroRoot.selector);
        _allow(IAttributionRegistry.InvalidTotalWeight.selector);
        (bool ok, ) = _call(
            "commitAttribution",
            caller,
            address(attribution),
            abi.encodeCall(attribution.commitAttribution, (modelId, epoch, root, totalWeight, 1, "ipfs://c"))
        );
        if (ok) {
            IAttributionRegistry.Commitment memory c = attribution.commitment(modelId, epoch);
            assertEq(c.root, root, "commitAttribution: root");
            assertEq(c.totalWeight, totalWeight, "commitAttribution: total");
            assertEq(
                uint8(attribution.commitmentStatus(modelId, epoch)),
                uint8(IAttributionRegistry.CommitmentStatus.Pending),
                "commitAttribution: status"
            );
        }
    }

    function testFuzz_challenge(uint256 callerSeed, uint256 pairSeed, uint256 warpSeed) public {
        vm.warp(block.timestamp + (warpSeed % (2 * WINDOW)));
        address caller = callerSeed % 2 == 0 ? challenger : _caller(callerSeed);
        (uint256 modelId, uint256 epoch) = _pair(pairSeed);
        uint256 held = token.balanceOf(address(attribution));
        _allow(IAttributionRegistry.NotChallengeable.selector);
        _allow(IERC20Errors.ERC20InsufficientAllowance.selector);
        _allow(IERC20Errors.ERC20InsufficientBalance.selector);
        (bool ok, ) = _call(
            "challenge",
            caller,
            address(attribution),
            abi.encodeCall(attribution.challenge, (modelId, epoch, "ipfs://why"))
        );
        if (ok) {
            assertEq(
                uint8(attribution.commitmentStatus(modelId, epoch)),
                uint8(IAttributionRegistry.CommitmentStatus.Challenged),
                "challenge: status"
            );
            assertEq(attribution.challengeOf(modelId, epoch).challenger, caller, "challenge: challenger");
            assertEq(token.balanceOf(address(attribution)), held + BOND, "challenge: bond");
        }
    }

    function testFuzz_resolveChallenge(uint256 callerSeed, uint256 pairSeed, bool stands) public {
        address caller = callerSeed % 2 == 0 ? admin : _caller(callerSeed);
        (uint256 modelId, uint256 epoch) = pairSeed % 2 == 0 ? (2, 2) : _pair(pairSeed);
        uint256 treasuryBalance = token.balanceOf(treasury);
        _allowAccessControl();
        _allow(IAttributionRegistry.NotChallenged.selector);
        (bool ok, ) = _call(
            "resolveChallenge",
            caller,
            address(attribution),
            abi.encodeCall(attribution.resolveChallenge, (modelId, epoch, stands))
        );
        if (ok) {
            IAttributionRegistry.CommitmentStatus expected =
                stands
                    ? IAttributionRegistry.CommitmentStatus.Final
                    : IAttributionRegistry.CommitmentStatus.Voided;
            assertEq(
                uint8(attribution.commitmentStatus(modelId, epoch)),
                uint8(expected),
                "resolveChallenge: status"
            );
            assertEq(
                attribution.challengeOf(modelId, epoch).challenger,
                address(0),
                "resolveChallenge: challenge left"
            );
            if (stands) assertEq(token.balanceOf(treasury), treasuryBalance + BOND, "resolveChallenge: bond");
        }
    }

    function testFuzz_closeLapsedChallenge(uint256 callerSeed, uint256 pairSeed, uint256 warpSeed) public {
        // Around the fixture challenge's deadline (14 days after it was made).
        vm.warp(block.timestamp + (warpSeed % (28 days)));
        address caller = _caller(callerSeed);
        (uint256 modelId, uint256 epoch) = pairSeed % 2 == 0 ? (2, 2) : _pair(pairSeed);
        uint256 challengerBalance = token.balanceOf(challenger);
        _allow(IAttributionRegistry.NotChallenged.selector);
        _allow(IAttributionRegistry.ChallengeNotLapsed.selector);
        (bool ok, ) = _call(
            "closeLapsedChallenge",
            caller,
            address(attribution),
            abi.encodeCall(attribution.closeLapsedChallenge, (modelId, epoch))
        );
        if (ok) {
            assertEq(
                uint8(attribution.commitmentStatus(modelId, epoch)),
                uint8(IAttributionRegistry.CommitmentStatus.Final),
                "closeLapsedChallenge: status"
            );
            assertEq(
                attribution.challengeOf(modelId, epoch).challenger,
                address(0),
                "closeLapsedChallenge: challenge left"
            );
            assertEq(token.balanceOf(challenger), challengerBalance + BOND, "closeLapsedChallenge: bond");
        }
    }
}

/// @notice AttributionRegistry, governance setters: setEpochLength, setChallengeWindow,
/// setChallengeResolutionPeriod, setChallengeBond, setTreasury.
contract EntryPointsAttributionGovernanceTest is EntryPointBase {
    function _digest() internal view override returns (bytes32) {
        return keccak256(abi.encode(_attributionDigest(), _tokenDigest()));
    }

    function testFuzz_setEpochLength(uint256 callerSeed, uint256 lengthSeed, uint256 warpSeed) public {
        vm.warp(block.timestamp + (warpSeed % (2 * EPOCH)));
        address caller = callerSeed % 2 == 0 ? admin : _caller(callerSeed);
        uint256 length =
            lengthSeed % 3 == 0 ? _amount(lengthSeed >> 2, 1 hours) : bound(lengthSeed, 0, 31 days);
        uint256 epoch = attribution.currentEpoch();
        uint256 end = attribution.epochEnd(epoch);
        _allowAccessControl();
        _allow(IAttributionRegistry.EpochLengthOutOfRange.selector);
        (bool ok, ) = _call(
            "setEpochLength",
            caller,
            address(attribution),
            abi.encodeCall(attribution.setEpochLength, (length))
        );
        if (ok) {
            assertEq(attribution.currentEpoch(), epoch, "setEpochLength: current epoch moved");
            assertEq(attribution.epochEnd(epoch), end, "setEpochLength: current epoch end moved");
            assertEq(attribution.epochEnd(epoch + 1), end + length, "setEpochLength: next epoch length");
        }
    }

    function testFuzz_setChallengeWindow(uint256 callerSeed, uint256 windowSeed) public {
        address caller = callerSeed % 2 == 0 ? admin : _caller(callerSeed);
        uint256 window =
            windowSeed % 3 == 0 ? _amount(windowSeed >> 2, 1 hours) : bound(windowSeed, 0, 31 days);
        _allowAccessControl();
        _allow(IAttributionRegistry.ChallengeWindowOutOfRange.selector);
        (bool ok, ) = _call(
            "setChallengeWindow",
            caller,
            address(attribution),
            abi.encodeCall(attribution.setChallengeWindow, (window))
        );
        if (ok) assertEq(attribution.challengeWindow(), window, "setChallengeWindow: window");
    }

    function testFuzz_setChallengeResolutionPeriod(uint256 callerSeed, uint256 periodSeed) public {
        address caller = callerSeed % 2 == 0 ? admin : _caller(callerSeed);
        uint256 period =
            periodSeed % 3 == 0 ? _amount(periodSeed >> 2, 10 days) : bound(periodSeed, 0, 61 days);
        _allowAccessControl();
        _allow(IAttributionRegistry.ResolutionPeriodOutOfRange.selector);
        (bool ok, ) = _call(
            "setChallengeResolutionPeriod",
            caller,
            address(attribution),
            abi.encodeCall(attribution.setChallengeResolutionPeriod, (period))
        );
        if (ok)
            assertEq(attribution.challengeResolutionPeriod(), period, "setChallengeResolutionPeriod: period");
    }

    function testFuzz_setChallengeBond(uint256 callerSeed, uint256 bondSeed) public {
        address caller = callerSeed % 2 == 0 ? admin : _caller(callerSeed);
        uint256 bond = _amount(bondSeed, 10_000_000 ether);
        _allowAccessControl();
        _allow(IAttributionRegistry.ChallengeBondOutOfRange.selector);
        (bool ok, ) = _call(
            "setChallengeBond",
            caller,
            address(attribution),
            abi.encodeCall(attribution.setChallengeBond, (bond))
        );
        if (ok) assertEq(attribution.challengeBond(), bond, "setChallengeBond: bond");
    }

    function testFuzz_setTreasury(uint256 callerSeed, uint256 treasurySeed) public {
        address caller = callerSeed % 2 == 0 ? admin : _caller(callerSeed);
        address newTreasury = _account(treasurySeed);
        _allowAccessControl();
        _allow(IAttributionRegistry.ZeroAddress.selector);
        (bool ok, ) = _call(
            "setTreasury",
            caller,
            address(attribution),
            abi.encodeCall(attribution.setTreasury, (newTreasury))
        );
        if (ok) assertEq(attribution.treasury(), newTreasury, "setTreasury: treasury");
    }
}

/// @notice AttributionRegistry, AccessControl: grantRole, revokeRole, renounceRole.
contract EntryPointsAttributionRolesTest is EntryPointBase {
    function _digest() internal view override returns (bytes32) {
        return _attributionDigest();
    }

    function testFuzz_grantRole(uint256 callerSeed, uint256 roleSeed, uint256 accountSeed) public {
        _fuzzSetRole(attribution, true, callerSeed % 2 == 0 ? 0 : callerSeed, roleSeed, accountSeed);
    }

    function testFuzz_revokeRole(uint256 callerSeed, uint256 roleSeed, uint256 accountSeed) public {
        _fuzzSetRole(attribution, false, callerSeed % 2 == 0 ? 0 : callerSeed, roleSeed, accountSeed);
    }

    function testFuzz_renounceRole(uint256 callerSeed, uint256 roleSeed, uint256 confirmSeed) public {
        _fuzzRenounceRole(attribution, callerSeed, roleSeed, confirmSeed);
    }
}

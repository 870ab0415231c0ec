// SPDX-License-Identifier: MIT
// The suite's contracts are deployed in one function (`_deploySuite`) so that a constructor change
// is one edit; allowed revert selectors come from the interfaces (`IThing.Error.selector`) and
// records are read by field name, never by position.
/* solhint-disable func-name-mixedcase, function-max-lines, max-line-length */
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {OpenToken} from "../../contracts/token/OpenToken.sol";
import {DatanetRegistry} from "../../contracts/datanet/DatanetRegistry.sol";
import {ModelRegistry} from "../../contracts/model/ModelRegistry.sol";
import {AttributionRegistry} from "../../contracts/attribution/AttributionRegistry.sol";
import {RewardDistributor} from "../../contracts/rewards/RewardDistributor.sol";
import {IDatanetRegistry} from "../../contracts/interfaces/IDatanetRegistry.sol";
import {IModelRegistry} from "../../contracts/interfaces/IModelRegistry.sol";
import {IRewardDistributor} from "../../contracts/interfaces/IRewardDistributor.sol";
import {IOperatorStaking} from "../../contracts/interfaces/IOperatorStaking.sol";
import {IGuardianPausable} from "../../contracts/interfaces/IGuardianPausable.sol";
import {LeafLib} from "../../contracts/libraries/LeafLib.sol";
import {LicenceLib} from "../../contracts/libraries/LicenceLib.sol";

/// @notice Shared fixture and checks of the entry-point fuzz tests (`EntryPoints*.t.sol`).
/// @dev `setUp` deploys the whole suite and drives it into a realistic state (datanets with
/// contributions in every status and published versions, a lineage of models, payments over
/// several epochs, attribution commitments that are Final, Pending and Challenged, a finalised
/// pair, a settlement and a claim), so that a fuzzed call can succeed as well as fail.
/// Each test then calls one entry point through `_call`, which:
/// - on revert, requires the selector to be one the function may raise (`_allow`) and the
///   suite's observable state (`_digest`) to be unchanged;
/// - returns whether the call succeeded, so the test asserts a postcondition on success.
abstract contract EntryPointBase is Test {
    uint256 internal constant SUPPLY = 1_000_000_000 ether;
    uint256 internal constant EPOCH = 1 days;
    uint256 internal constant WINDOW = 1 days;
    uint256 internal constant BOND = 10 ether;
    uint256 internal constant ROLL_DELAY = 2 days;
    uint256 internal constant PRICE = 1 ether + 7;
    bytes4 internal constant PANIC = 0x4e487b71;

    OpenToken internal token;
    DatanetRegistry internal datanets;
    ModelRegistry internal models;
    AttributionRegistry internal attribution;
    RewardDistributor internal distributor;

    address internal admin = makeAddr("admin");
    address internal operator = makeAddr("operator");
    address internal settler = makeAddr("settler");
    address internal guardian = makeAddr("guardian");
    address internal treasury = makeAddr("treasury");
    address internal dnOwner = makeAddr("dnOwner");
    address internal curator = makeAddr("curator");
    address internal modelOwner = makeAddr("modelOwner");
    address internal challenger = makeAddr("challenger");
    address internal stranger = makeAddr("stranger");
    address internal alice;
    uint256 internal aliceKey;
    address internal bob;
    uint256 internal bobKey;
    address internal payer;
    uint256 internal payerKey;

    /// @dev Every named actor (callers, accounts and leaf owners are drawn from here).
    address[] internal actors;
    /// @dev Contributions created in setUp: (datanetId, contributionId).
    uint256[] internal contributionDatanets;
    bytes32[] internal contributionIds;
    /// @dev Attribution weights of the two-leaf trees (alice, bob) and the settlement leaves.
    uint256 internal constant W_ALICE = 3;
    uint256 internal constant W_BOB = 1;
    uint256 internal cumAlice;
    uint256 internal cumBob;
    /// @dev Epochs of the fixture: (1,0) and (2,0) Final, (1,0) finalised and settled; (1,2)
    /// Pending; (2,2) Challenged; model 4 has an unclaimed pool in epoch 0 (rollable) and 1.
    uint256 internal constant MODELS = 4;

    bytes4[] private _allowed;
    address[] private _watchTargets;
    bytes[] private _watchCalls;

    function setUp() public virtual {
        (alice, aliceKey) = makeAddrAndKey("alice");
        (bob, bobKey) = makeAddrAndKey("bob");
        (payer, payerKey) = makeAddrAndKey("payer");
        actors = [
            admin,
            operator,
            settler,
            guardian,
            treasury,
            dnOwner,
            curator,
            modelOwner,
            challenger,
            stranger,
            alice,
            bob,
            payer
        ];
        _deploySuite();
        _fundAccounts();
        _populateDatanets();
        _populateModels();
        _populateRewards();
    }

    // ------------------------------------------------------------------ deployment (one place)

    function _deploySuite() internal {
        token = new OpenToken("OpenLedger", "OPEN", address(this), SUPPLY);
        datanets = new DatanetRegistry();
        models = new ModelRegistry(datanets);
        attribution = new AttributionRegistry(
            token,
            IOperatorStaking(address(0)),
            admin,
            treasury,
            EPOCH,
            WINDOW,
            BOND
        );
        distributor = new RewardDistributor(
            token,
            models,
            attribution,
            admin,
            IRewardDistributor.FeeSplit({treasuryBps: 500, ownerBps: 2500, royaltyBps: 500, stakerBps: 500}),
            ROLL_DELAY
        );
        vm.startPrank(admin);
        attribution.grantRole(attribution.ATTRIBUTION_OPERATOR_ROLE(), operator);
        distributor.grantRole(distributor.SETTLEMENT_OPERATOR_ROLE(), settler);
        // The shortest window: activating in setUp moves the clock by one hour only.
        distributor.setDisputeWindow(1 hours);
        attribution.grantRole(attribution.GUARDIAN_ROLE(), guardian);
        distributor.grantRole(distributor.GUARDIAN_ROLE(), guardian);
        vm.stopPrank();
    }

    function _fundAccounts() private {
        address[4] memory funded = [payer, challenger, alice, bob];
        for (uint256 i = 0; i < funded.length; ++i) {
            token.transfer(funded[i], 1_000_000 ether);
        }
        vm.prank(payer);
        token.approve(address(distributor), type(uint256).max);
        vm.prank(challenger);
        token.approve(address(attribution), type(uint256).max);
        vm.prank(alice);
        token.approve(bob, 100 ether);
        vm.prank(alice);
        token.delegate(alice);
    }

    /// @dev Datanet 1 (all uses, open): contributions Accepted x2 (alice, bob), Rejected, Withdrawn,
    /// Pending; curator appointed; version 1. Datanet 2 (research and derivatives only, allow list with alice):
    /// one Accepted contribution, version 1, ownership transfer to bob pending.
    function _populateDatanets() private {
        vm.startPrank(dnOwner);
        datanets.createDatanet("ipfs://d1", LicenceLib.ALL_USES, IDatanetRegistry.ContributionPolicy.Open);
        datanets.createDatanet(
            "ipfs://d2",
            LicenceLib.RESEARCH | LicenceLib.DERIVATIVES,
            IDatanetRegistry.ContributionPolicy.AllowList
        );
        datanets.setCurator(1, curator, true);
        datanets.setContributorAllowed(2, alice, true);
        datanets.transferOwnership(2, bob);
        vm.stopPrank();
        bytes32 a1 = _submit(alice, 1, "a1");
        bytes32 b1 = _submit(bob, 1, "b1");
        bytes32 a2 = _submit(alice, 1, "a2");
        bytes32 a3 = _submit(alice, 1, "a3");
        _submit(alice, 1, "a4"); // stays Pending
        bytes32 d2 = _submit(alice, 2, "d2");
        vm.startPrank(curator);
        datanets.acceptContribution(1, a1);
        datanets.acceptContribution(1, b1);
        datanets.acceptContribution(1, a3);
        datanets.rejectContribution(1, a2, 7);
        datanets.publishVersion(1, keccak256("root-1"), 2, 0, "ipfs://v1");
        vm.stopPrank();
        vm.prank(alice);
        datanets.withdrawContribution(1, a3);
        vm.startPrank(dnOwner);
        datanets.acceptContribution(2, d2);
        datanets.publishVersion(2, keccak256("root-2"), 1, 0, "ipfs://v2");
        vm.stopPrank();
    }

    function _submit(address who, uint256 datanetId, string memory content) internal returns (bytes32 id) {
        vm.prank(who);
        id = datanets.submitContribution(
            datanetId,
            IDatanetRegistry.ContributionInput({
                contentHash: keccak256(bytes(content)),
                uri: content,
                size: 10,
                kind: 0
            })
        );
        contributionDatanets.push(datanetId);
        contributionIds.push(id);
    }

    /// @dev Models 1 (root, datanet 1), 2 (base 1, datanets 1 and 2), 3 (base 2, retired),
    /// 4 (root, datanet 1); all owned by modelOwner; model 2's ownership transfer to bob pending.
    function _populateModels() private {
        vm.startPrank(modelOwner);
        _register(0, _inputs1(1, 10_000), LicenceLib.ALL_USES);
        IModelRegistry.TrainingInput[] memory two = new IModelRegistry.TrainingInput[](2);
        two[0] = IModelRegistry.TrainingInput({datanetId: 1, versionNumber: 1, weightBps: 6_000});
        two[1] = IModelRegistry.TrainingInput({datanetId: 2, versionNumber: 1, weightBps: 4_000});
        _register(1, two, LicenceLib.RESEARCH);
        _register(2, _inputs1(1, 10_000), LicenceLib.RESEARCH);
        _register(0, _inputs1(1, 10_000), LicenceLib.RESEARCH);
        models.retire(3);
        models.transferOwnership(2, bob);
        vm.stopPrank();
    }

    function _register(uint256 base, IModelRegistry.TrainingInput[] memory inputs, uint16 uses) private {
        models.registerModel(
            IModelRegistry.ModelInput({
                metadataURI: "ipfs://m",
                artifactHash: keccak256(abi.encode("artifact", models.modelCount())),
                baseModelId: base,
                declaredUses: uses,
                pricePerUnit: 1 ether + 7, // PRICE, as a literal: fits whatever width the price has
                trainingInputs: inputs
            })
        );
    }

    function _inputs1(
        uint32 datanetId,
        uint16 bps
    ) internal pure returns (IModelRegistry.TrainingInput[] memory t) {
        t = new IModelRegistry.TrainingInput[](1);
        t[0] = IModelRegistry.TrainingInput({datanetId: datanetId, versionNumber: 1, weightBps: bps});
    }

    /// @dev Epoch 0: pay models 1, 2, 4. Epoch 1: pay models 1, 4; commit (1,0), (2,0).
    /// Epoch 3: (1,0) and (2,0) Final; finalise (1,0); settle it; alice claims; commit (1,2)
    /// (Pending) and (2,2) (challenged); pay model 1.
    function _populateRewards() private {
        vm.startPrank(payer);
        distributor.pay(1, 10, type(uint256).max);
        distributor.pay(2, 5, type(uint256).max);
        distributor.pay(4, 3, type(uint256).max);
        vm.stopPrank();
        vm.warp(block.timestamp + EPOCH + 1);
        vm.startPrank(payer);
        distributor.pay(1, 2, type(uint256).max);
        distributor.pay(4, 1, type(uint256).max);
        vm.stopPrank();
        vm.startPrank(operator);
        attribution.commitAttribution(1, 0, attributionRoot(), W_ALICE + W_BOB, 1, "ipfs://a10");
        attribution.commitAttribution(2, 0, attributionRoot(), W_ALICE + W_BOB, 1, "ipfs://a20");
        vm.stopPrank();
        vm.warp(block.timestamp + 2 * EPOCH + 1);
        distributor.finalize(1, 0);
        uint256 pool = distributor.pair(1, 0).pool;
        cumAlice = (pool * W_ALICE) / (W_ALICE + W_BOB);
        cumBob = (pool * W_BOB) / (W_ALICE + W_BOB);
        uint256 covered = distributor.finalizeSeq();
        vm.prank(settler);
        distributor.commitSettlement(settlementRoot(), cumAlice + cumBob, covered, "ipfs://s1");
        vm.warp(block.timestamp + 1 hours);
        distributor.activateSettlement();
        distributor.claim(alice, cumAlice, bob, 0, _proof(bobSettlementLeaf()));
        vm.startPrank(operator);
        attribution.commitAttribution(1, 2, attributionRoot(), W_ALICE + W_BOB, 1, "ipfs://a12");
        attribution.commitAttribution(2, 2, attributionRoot(), W_ALICE + W_BOB, 1, "ipfs://a22");
        vm.stopPrank();
        vm.prank(challenger);
        attribution.challenge(2, 2, "ipfs://why");
        vm.prank(payer);
        distributor.pay(1, 4, type(uint256).max);
    }

    // ------------------------------------------------------------------ trees

    function attributionRoot() internal view returns (bytes32) {
        return _hashPair(LeafLib.attributionLeaf(alice, W_ALICE), LeafLib.attributionLeaf(bob, W_BOB));
    }

    function settlementRoot() internal view returns (bytes32) {
        return _hashPair(aliceSettlementLeaf(), bobSettlementLeaf());
    }

    /// @dev alice's settlement leaf (links to bob, nothing before it; claims do not check links).
    function aliceSettlementLeaf() internal view returns (bytes32) {
        return LeafLib.settlementLeaf(alice, cumAlice, bob, 0);
    }

    /// @dev bob's settlement leaf (the last one, after alice's amount).
    function bobSettlementLeaf() internal view returns (bytes32) {
        return LeafLib.settlementLeaf(bob, cumBob, address(type(uint160).max), cumAlice);
    }

    function _hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }

    function _proof(bytes32 sibling) internal pure returns (bytes32[] memory p) {
        p = new bytes32[](1);
        p[0] = sibling;
    }

    // ------------------------------------------------------------------ fuzzed inputs

    /// @dev A named actor, or (one time in eight) an arbitrary non-zero address.
    function _caller(uint256 seed) internal view returns (address) {
        if (seed % 8 == 7) {
            address a = address(uint160(uint256(keccak256(abi.encode("caller", seed)))));
            return a == address(0) ? stranger : a;
        }
        return actors[(seed / 8) % actors.length];
    }

    /// @dev Like `_caller`, but also the zero address (for address arguments).
    function _account(uint256 seed) internal view returns (address) {
        return seed % 16 == 15 ? address(0) : _caller(seed);
    }

    /// @dev An id in 0..count+2 (0 and the last two unknown), or (one time in eight) a huge one.
    function _id(uint256 seed, uint256 count) internal pure returns (uint256) {
        if (seed % 8 == 7) return type(uint256).max - (seed % 3);
        return (seed / 8) % (count + 3);
    }

    /// @dev 0, 1, around `ref`, a random value up to 2*ref, 2^96-1 or 2^256-1.
    function _amount(uint256 seed, uint256 ref) internal pure returns (uint256) {
        uint256 k = seed % 8;
        if (k == 0) return 0;
        if (k == 1) return 1;
        if (k == 2) return ref;
        if (k == 3) return ref + 1;
        if (k == 4 && ref > 0) return ref - 1;
        if (k == 5) return type(uint96).max;
        if (k == 6) return type(uint256).max;
        return (seed >> 8) % (2 * ref + 2);
    }

    /// @dev A contribution of the fixture, or an unknown id.
    function _contribution(uint256 seed) internal view returns (uint256 datanetId, bytes32 id) {
        uint256 n = contributionIds.length;
        uint256 i = seed % (n + 1);
        if (i == n) return (1 + ((seed >> 8) % 3), keccak256(abi.encode("unknown", seed)));
        return (contributionDatanets[i], contributionIds[i]);
    }

    /// @dev An AccessControl role of the money contracts, or an unknown one.
    function _role(uint256 seed) internal view returns (bytes32) {
        bytes32[6] memory roles = [
            bytes32(0), // DEFAULT_ADMIN_ROLE
            attribution.GOVERNANCE_ROLE(),
            attribution.ATTRIBUTION_OPERATOR_ROLE(),
            distributor.SETTLEMENT_OPERATOR_ROLE(),
            attribution.GUARDIAN_ROLE(),
            keccak256(abi.encode("unknown role", seed))
        ];
        return roles[seed % roles.length];
    }

    /// @dev The owner, curator, contributors, strangers; for datanet-scoped calls.
    function _datanetCaller(uint256 seed) internal view returns (address) {
        uint256 k = seed % 4;
        if (k == 0) return dnOwner;
        if (k == 1) return curator;
        return _caller(seed >> 2);
    }

    function _allowOwnerOnly() internal {
        _allow(IDatanetRegistry.UnknownDatanet.selector);
        _allow(IDatanetRegistry.NotDatanetOwner.selector);
    }

    /// @dev A fixture pair three times in four ((1,0) settled, (2,0) Final, (1,2) Pending, (2,2)
    /// Challenged, (4,0) and (4,1) uncommitted), else fuzzed ids.
    function _rewardPair(uint256 seed) internal view returns (uint256 modelId, uint256 epoch) {
        if (seed % 4 == 3) return (_id(seed >> 2, MODELS), _id(seed >> 10, attribution.currentEpoch()));
        uint256[2][6] memory pairs = [
            [uint256(1), 0],
            [uint256(2), 0],
            [uint256(1), 2],
            [uint256(2), 2],
            [uint256(4), 0],
            [uint256(4), 1]
        ];
        uint256[2] memory p = pairs[(seed >> 2) % 6];
        return (p[0], p[1]);
    }

    /// @dev One time in four, the guardian pauses `target` first (its guarded functions then
    /// revert `PausedByGuardian`, which the caller allows).
    function _maybePause(IGuardianPausable target, uint256 seed) internal {
        if (seed % 4 != 0) return;
        vm.prank(guardian);
        target.pause();
    }

    // ------------------------------------------------------------------ the call and its checks

    /// @dev Adds a selector the next `_call` may revert with.
    function _allow(bytes4 selector) internal {
        _allowed.push(selector);
    }

    /// @dev The AccessControl errors every `onlyRole` function may raise.
    function _allowAccessControl() internal {
        _allow(IAccessControl.AccessControlUnauthorizedAccount.selector);
    }

    /// @dev Adds a view whose result is part of the next `_call`'s digest (a touched id).
    function _watch(address target, bytes memory viewCall) internal {
        _watchTargets.push(target);
        _watchCalls.push(viewCall);
    }

    /// @dev Calls `target` as `caller`; on revert checks the selector against `_allow` and that the
    /// digest is unchanged. Clears the allowed set and the watch list.
    function _call(
        string memory fn,
        address caller,
        address target,
        bytes memory data
    ) internal returns (bool ok, bytes memory ret) {
        bytes32 before = _fullDigest();
        vm.prank(caller);
        // A low-level call on purpose: the revert data is what the test inspects.
        // solhint-disable-next-line avoid-low-level-calls
        (ok, ret) = target.call(data);
        if (!ok) {
            _checkRevert(fn, ret);
            assertEq(_fullDigest(), before, string.concat(fn, ": state changed by a reverted call"));
        }
        delete _allowed;
        delete _watchTargets;
        delete _watchCalls;
    }

    function _checkRevert(string memory fn, bytes memory ret) internal view {
        if (ret.length < 4) {
            assertTrue(false, string.concat(fn, ": revert without an error selector (empty or short data)"));
        }
        bytes4 selector = bytes4(ret);
        if (selector == PANIC) {
            uint256 code;
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                code := mload(add(ret, 36))
            }
            assertTrue(false, string.concat(fn, ": Panic(", vm.toString(code), ")"));
        }
        for (uint256 i = 0; i < _allowed.length; ++i) {
            if (_allowed[i] == selector) return;
        }
        assertTrue(
            false,
            string.concat(fn, ": unexpected revert selector ", vm.toString(abi.encodePacked(selector)))
        );
    }

    function _fullDigest() internal view returns (bytes32 d) {
        d = _digest();
        for (uint256 i = 0; i < _watchCalls.length; ++i) {
            (bool ok, bytes memory ret) = _watchTargets[i].staticcall(_watchCalls[i]);
            d = keccak256(abi.encode(d, ok, ret));
        }
    }

    /// @dev The observable state a test's entry points may touch; each test file picks the parts.
    function _digest() internal view virtual returns (bytes32);

    // ------------------------------------------------------------------ AccessControl entry points

    /// @dev grantRole (`grant`) or revokeRole from a fuzzed caller: only the role's admin may.
    function _fuzzSetRole(
        IAccessControl target,
        bool grant,
        uint256 callerSeed,
        uint256 roleSeed,
        uint256 accountSeed
    ) internal {
        address caller = _caller(callerSeed);
        bytes32 role = _role(roleSeed);
        address account = _account(accountSeed);
        _allowAccessControl();
        (bool ok, ) = _call(
            grant ? "grantRole" : "revokeRole",
            caller,
            address(target),
            grant
                ? abi.encodeCall(target.grantRole, (role, account))
                : abi.encodeCall(target.revokeRole, (role, account))
        );
        if (ok) assertEq(target.hasRole(role, account), grant, "grantRole/revokeRole: role held");
    }

    /// @dev renounceRole with a confirmation that is the caller (usually) or another account.
    function _fuzzRenounceRole(
        IAccessControl target,
        uint256 callerSeed,
        uint256 roleSeed,
        uint256 confirmSeed
    ) internal {
        address caller = _caller(callerSeed);
        bytes32 role = _role(roleSeed);
        address confirmation = confirmSeed % 4 == 0 ? _account(confirmSeed >> 2) : caller;
        _allow(IAccessControl.AccessControlBadConfirmation.selector);
        (bool ok, ) = _call(
            "renounceRole",
            caller,
            address(target),
            abi.encodeCall(target.renounceRole, (role, confirmation))
        );
        if (ok) assertFalse(target.hasRole(role, caller), "renounceRole: role still held");
    }

    // ------------------------------------------------------------------ digests of each contract

    function _tokenDigest() internal view returns (bytes32 d) {
        d = keccak256(
            abi.encode(
                token.totalSupply(),
                token.balanceOf(address(distributor)),
                token.balanceOf(address(attribution))
            )
        );
        for (uint256 i = 0; i < actors.length; ++i) {
            address a = actors[i];
            d = keccak256(abi.encode(d, token.balanceOf(a), token.nonces(a), token.delegates(a)));
            d = keccak256(
                abi.encode(
                    d,
                    token.getVotes(a),
                    token.allowance(a, address(distributor)),
                    token.allowance(a, address(attribution))
                )
            );
            for (uint256 j = 0; j < actors.length; ++j) {
                d = keccak256(abi.encode(d, token.allowance(a, actors[j])));
            }
        }
    }

    function _datanetDigest() internal view returns (bytes32 d) {
        uint256 n = datanets.datanetCount();
        d = keccak256(abi.encode(n));
        for (uint256 id = 1; id <= n; ++id) {
            IDatanetRegistry.Datanet memory dn = datanets.datanet(id);
            d = keccak256(abi.encode(d, dn));
            for (uint256 v = 1; v <= dn.versionCount; ++v) {
                d = keccak256(abi.encode(d, datanets.version(id, v)));
            }
            for (uint256 i = 0; i < actors.length; ++i) {
                d = keccak256(
                    abi.encode(
                        d,
                        datanets.isCurator(id, actors[i]),
                        datanets.isContributorAllowed(id, actors[i])
                    )
                );
            }
        }
        for (uint256 i = 0; i < contributionIds.length; ++i) {
            d = keccak256(abi.encode(d, datanets.contribution(contributionDatanets[i], contributionIds[i])));
        }
        for (uint256 i = 0; i < actors.length; ++i) {
            d = keccak256(abi.encode(d, datanets.nonces(actors[i])));
        }
    }

    function _modelDigest() internal view returns (bytes32 d) {
        uint256 n = models.modelCount();
        d = keccak256(abi.encode(n));
        for (uint256 id = 1; id <= n; ++id) {
            IModelRegistry.Model memory m = models.model(id);
            d = keccak256(abi.encode(d, m, models.lineage(id)));
            for (uint256 v = 1; v <= m.versionCount; ++v) {
                (bytes32 artifact, IModelRegistry.TrainingInput[] memory inputs) = models.modelVersion(id, v);
                d = keccak256(abi.encode(d, artifact, inputs));
            }
        }
        for (uint256 dn = 0; dn <= datanets.datanetCount() + 1; ++dn) {
            d = keccak256(abi.encode(d, models.datanetModels(dn)));
        }
    }

    function _rolesDigest(IAccessControl target) internal view returns (bytes32 d) {
        for (uint256 r = 0; r < 5; ++r) {
            bytes32 role = _role(r);
            d = keccak256(abi.encode(d, target.getRoleAdmin(role)));
            for (uint256 i = 0; i < actors.length; ++i) {
                d = keccak256(abi.encode(d, target.hasRole(role, actors[i])));
            }
        }
    }

    function _attributionDigest() internal view returns (bytes32 d) {
        uint256 current = attribution.currentEpoch();
        (uint256 epochNow, uint256 start, uint256 end) = attribution.clock();
        d = keccak256(
            abi.encode(
                epochNow,
                start,
                end,
                attribution.epochLength(),
                attribution.challengeWindow(),
                attribution.challengeResolutionPeriod(),
                attribution.challengeBond(),
                attribution.treasury(),
                attribution.pausedUntil(),
                _rolesDigest(attribution)
            )
        );
        for (uint256 e = 0; e <= current + 2; ++e) {
            d = keccak256(abi.encode(d, attribution.epochStart(e), attribution.epochEnd(e)));
            for (uint256 m = 0; m <= MODELS + 1; ++m) {
                d = keccak256(abi.encode(d, attribution.commitment(m, e), attribution.challengeOf(m, e)));
            }
        }
    }

    function _distributorDigest() internal view returns (bytes32 d) {
        d = keccak256(
            abi.encode(
                distributor.books(),
                distributor.feeSplit(),
                distributor.rollForwardDelay(),
                distributor.latestSettlement(),
                distributor.finalizeSeq(),
                distributor.totalFinalizedPools(),
                distributor.pausedUntil(),
                _rolesDigest(distributor)
            )
        );
        uint256 current = attribution.currentEpoch();
        for (uint256 m = 0; m <= MODELS + 1; ++m) {
            d = keccak256(abi.encode(d, distributor.ownerEarnings(m)));
            for (uint256 e = 0; e <= current + 1; ++e) {
                d = keccak256(
                    abi.encode(
                        d,
                        distributor.pair(m, e),
                        distributor.directClaimed(alice, m, e),
                        distributor.directClaimed(bob, m, e)
                    )
                );
            }
        }
        for (uint256 i = 0; i < actors.length; ++i) {
            d = keccak256(abi.encode(d, distributor.claimed(actors[i])));
        }
    }
}

// SPDX-License-Identifier: MIT
// Test names follow the forge convention test_/testFuzz_/invariant_<function>_<condition>; the
// handler lives beside its tests (in its own file Hardhat 3.18 reported "No contracts to fuzz"); the
// status-machine fuzz uses empty catch blocks to record that a call reverted.
/* solhint-disable func-name-mixedcase, one-contract-per-file, no-empty-blocks, function-max-lines */
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {DatanetRegistry} from "../../contracts/datanet/DatanetRegistry.sol";
import {ModelRegistry} from "../../contracts/model/ModelRegistry.sol";
import {IDatanetRegistry} from "../../contracts/interfaces/IDatanetRegistry.sol";
import {IModelRegistry} from "../../contracts/interfaces/IModelRegistry.sol";
import {LeafLib} from "../../contracts/libraries/LeafLib.sol";
import {LicenceLib} from "../../contracts/libraries/LicenceLib.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/// @notice Drives both registries with random but mostly valid calls, and keeps ghost records
/// the invariants compare against: every contribution's final status, and which published
/// versions contain which contributions (two-leaf StandardMerkleTree-style trees).
contract RegistriesHandler is CommonBase, StdCheats, StdUtils {
    uint256 internal constant DATANETS = 3;

    DatanetRegistry public immutable datanets;
    ModelRegistry public immutable models;
    address[3] internal _contributors = [address(0xA11CE), address(0xB0B), address(0xCA401)];

    struct Tracked {
        uint256 datanetId;
        bytes32 id;
        address contributor;
        bytes32 contentHash;
    }

    /// @dev A contribution placed in a published version, with its proof.
    struct Inclusion {
        uint256 datanetId;
        uint256 versionNumber;
        uint256 index; // into `tracked`
        bytes32[] proof;
    }

    Tracked[] public tracked;
    /// @dev Final status a contribution reached (Rejected or Withdrawn), None while not final.
    mapping(bytes32 id => IDatanetRegistry.ContributionStatus) public finalStatus;
    Inclusion[] internal _inclusions;
    uint256 internal _salt;

    constructor(DatanetRegistry datanets_, ModelRegistry models_) {
        datanets = datanets_;
        models = models_;
        for (uint256 i = 0; i < DATANETS; ++i) {
            datanets.createDatanet("", LicenceLib.ALL_USES, IDatanetRegistry.ContributionPolicy.Open);
        }
    }

    // ------------------------------------------------------------------ datanet actions

    function submit(uint256 datanetSeed, uint256 contributorSeed) external {
        uint256 datanetId = bound(datanetSeed, 1, DATANETS);
        address contributor = _contributors[contributorSeed % 3];
        bytes32 contentHash = keccak256(abi.encode("content", ++_salt));
        vm.prank(contributor);
        bytes32 id = datanets.submitContribution(
            datanetId,
            IDatanetRegistry.ContributionInput({contentHash: contentHash, uri: "", size: 1, kind: 0})
        );
        tracked.push(Tracked(datanetId, id, contributor, contentHash));
    }

    function accept(uint256 seed) external {
        if (tracked.length == 0) return;
        Tracked memory t = tracked[seed % tracked.length];
        datanets.acceptContribution(t.datanetId, t.id);
    }

    function reject(uint256 seed, uint16 reason) external {
        if (tracked.length == 0) return;
        Tracked memory t = tracked[seed % tracked.length];
        datanets.rejectContribution(t.datanetId, t.id, reason);
        finalStatus[t.id] = IDatanetRegistry.ContributionStatus.Rejected;
    }

    function withdraw(uint256 seed) external {
        if (tracked.length == 0) return;
        Tracked memory t = tracked[seed % tracked.length];
        vm.prank(t.contributor);
        datanets.withdrawContribution(t.datanetId, t.id);
        finalStatus[t.id] = IDatanetRegistry.ContributionStatus.Withdrawn;
    }

    /// @dev Publishes a two-leaf version over two accepted contributions of one datanet.
    function publish(uint256 seedA, uint256 seedB) external {
        if (tracked.length < 2) return;
        uint256 a = seedA % tracked.length;
        uint256 b = seedB % tracked.length;
        Tracked memory ta = tracked[a];
        Tracked memory tb = tracked[b];
        if (a == b || ta.datanetId != tb.datanetId) return;
        if (!_isAccepted(ta) || !_isAccepted(tb)) return;
        bytes32 leafA = LeafLib.versionLeaf(ta.id, ta.contributor, ta.contentHash);
        bytes32 leafB = LeafLib.versionLeaf(tb.id, tb.contributor, tb.contentHash);
        uint32 parent = datanets.datanet(ta.datanetId).versionCount;
        uint32 n = datanets.publishVersion(
            ta.datanetId,
            Hashes.commutativeKeccak256(leafA, leafB),
            2,
            parent,
            ""
        );
        _include(ta.datanetId, n, a, leafB);
        _include(ta.datanetId, n, b, leafA);
    }

    // ------------------------------------------------------------------ model actions

    /// @dev Registers a model on 1..3 datanets with a published version, weights from `weightSeed`.
    function register(uint256 baseSeed, uint256 countSeed, uint256 weightSeed) external {
        IModelRegistry.TrainingInput[] memory inputs = _inputs(countSeed, weightSeed);
        if (inputs.length == 0) return;
        uint256 count = models.modelCount();
        uint256 base = count == 0 ? 0 : baseSeed % (count + 1);
        models.registerModel(
            IModelRegistry.ModelInput({
                metadataURI: "",
                artifactHash: keccak256(abi.encode("artifact", ++_salt)),
                baseModelId: base,
                declaredUses: LicenceLib.RESEARCH,
                pricePerUnit: 1,
                trainingInputs: inputs
            })
        );
    }

    function addVersion(uint256 modelSeed, uint256 countSeed, uint256 weightSeed) external {
        uint256 count = models.modelCount();
        if (count == 0) return;
        IModelRegistry.TrainingInput[] memory inputs = _inputs(countSeed, weightSeed);
        if (inputs.length == 0) return;
        models.addVersion(bound(modelSeed, 1, count), keccak256(abi.encode("artifact", ++_salt)), inputs);
    }

    // ------------------------------------------------------------------ ghost reads

    function trackedCount() external view returns (uint256) {
        return tracked.length;
    }

    function inclusionCount() external view returns (uint256) {
        return _inclusions.length;
    }

    function inclusion(uint256 i) external view returns (Inclusion memory) {
        return _inclusions[i];
    }

    // ------------------------------------------------------------------ private

    function _isAccepted(Tracked memory t) private view returns (bool) {
        return
            datanets.contribution(t.datanetId, t.id).status == IDatanetRegistry.ContributionStatus.Accepted;
    }

    function _include(uint256 datanetId, uint256 versionNumber, uint256 index, bytes32 sibling) private {
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = sibling;
        _inclusions.push(Inclusion(datanetId, versionNumber, index, proof));
    }

    /// @dev Up to 3 inputs over datanets that have a version; weights split from a seed, sum 10,000.
    function _inputs(
        uint256 countSeed,
        uint256 weightSeed
    ) private view returns (IModelRegistry.TrainingInput[] memory inputs) {
        uint32[] memory ready = new uint32[](DATANETS);
        uint256 nReady = 0;
        for (uint256 d = 1; d <= DATANETS; ++d) {
            if (datanets.datanet(d).versionCount > 0) ready[nReady++] = uint32(d);
        }
        if (nReady == 0) return inputs;
        uint256 n = bound(countSeed, 1, nReady);
        inputs = new IModelRegistry.TrainingInput[](n);
        uint256 left = 10_000;
        for (uint256 i = 0; i < n; ++i) {
            uint16 w;
            if (i == n - 1) {
                w = uint16(left);
            } else {
                // Leave at least 1 bps for each input still to come.
                w = uint16(bound(uint256(keccak256(abi.encode(weightSeed, i))), 1, left - (n - 1 - i)));
            }
            left -= w;
            inputs[i] = IModelRegistry.TrainingInput({
                datanetId: ready[i],
                versionNumber: datanets.datanet(ready[i]).versionCount,
                weightBps: w
            });
        }
    }
}

/// @notice A smart-contract contributor (ERC-1271) that approves exactly one digest.
contract ContributorWallet is IERC1271 {
    bytes32 public approved;

    function approve(bytes32 digest) external {
        approved = digest;
    }

    function isValidSignature(bytes32 hash, bytes calldata) external view returns (bytes4) {
        return hash == approved ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }
}

/// @notice Fuzz tests of the contribution status machine and of the model registration checks.
contract RegistriesFuzzTest is Test {
    uint256 internal constant N = 3;

    DatanetRegistry internal datanets;
    ModelRegistry internal models;
    address internal contributor = makeAddr("contributor");
    bytes32[N] internal ids;

    function setUp() public {
        datanets = new DatanetRegistry();
        models = new ModelRegistry(datanets);
        datanets.createDatanet("", LicenceLib.ALL_USES, IDatanetRegistry.ContributionPolicy.Open);
        for (uint256 i = 0; i < N; ++i) {
            vm.prank(contributor);
            ids[i] = datanets.submitContribution(
                1,
                IDatanetRegistry.ContributionInput({
                    contentHash: keccak256(abi.encode(i)),
                    uri: "",
                    size: 1,
                    kind: 0
                })
            );
        }
    }

    /// @dev A contract wallet (ERC-1271) can sign a relayed submission; a replay is refused.
    function test_submitContributionWithSignature_acceptsErc1271Wallet() public {
        ContributorWallet wallet = new ContributorWallet();
        IDatanetRegistry.ContributionInput memory input = IDatanetRegistry.ContributionInput({
            contentHash: bytes32(uint256(99)),
            uri: "ipfs://x",
            size: 3,
            kind: 1
        });
        uint256 deadline = block.timestamp + 1;
        bytes32 structHash = keccak256(
            abi.encode(
                datanets.SUBMIT_CONTRIBUTION_TYPEHASH(),
                uint256(1),
                address(wallet),
                input.contentHash,
                keccak256(bytes(input.uri)),
                input.size,
                input.kind,
                uint256(0),
                deadline
            )
        );
        wallet.approve(keccak256(abi.encodePacked("\x19\x01", datanets.DOMAIN_SEPARATOR(), structHash)));
        bytes32 id = datanets.submitContributionWithSignature(1, address(wallet), input, 0, deadline, "");
        assertEq(datanets.contribution(1, id).contributor, address(wallet));
        assertEq(datanets.nonces(address(wallet)), 1);
        vm.expectRevert(abi.encodeWithSignature("InvalidAccountNonce(address,uint256)", address(wallet), 1));
        datanets.submitContributionWithSignature(1, address(wallet), input, 0, deadline, "");
    }

    /// @dev Any sequence of accept / reject / withdraw succeeds exactly when the transition is
    /// allowed, and Rejected / Withdrawn are never left.
    function testFuzz_statusMachine_onlyAllowedTransitions(uint8[] calldata ops) public {
        IDatanetRegistry.ContributionStatus[N] memory expected;
        for (uint256 i = 0; i < N; ++i) expected[i] = IDatanetRegistry.ContributionStatus.Pending;
        uint256 accepted = 0;
        uint256 steps = ops.length > 48 ? 48 : ops.length;
        for (uint256 s = 0; s < steps; ++s) {
            uint256 action = ops[s] % 3;
            uint256 k = (ops[s] / 3) % N;
            IDatanetRegistry.ContributionStatus before = expected[k];
            bool ok;
            if (action == 0) {
                try datanets.acceptContribution(1, ids[k]) {
                    ok = true;
                } catch {}
                assertEq(
                    ok,
                    before == IDatanetRegistry.ContributionStatus.Pending,
                    "accept allowed iff Pending"
                );
                if (ok) {
                    expected[k] = IDatanetRegistry.ContributionStatus.Accepted;
                    ++accepted;
                }
            } else if (action == 1) {
                try datanets.rejectContribution(1, ids[k], 1) {
                    ok = true;
                } catch {}
                assertEq(
                    ok,
                    before == IDatanetRegistry.ContributionStatus.Pending,
                    "reject allowed iff Pending"
                );
                if (ok) expected[k] = IDatanetRegistry.ContributionStatus.Rejected;
            } else {
                vm.prank(contributor);
                try datanets.withdrawContribution(1, ids[k]) {
                    ok = true;
                } catch {}
                assertEq(
                    ok,
                    before == IDatanetRegistry.ContributionStatus.Pending ||
                        before == IDatanetRegistry.ContributionStatus.Accepted,
                    "withdraw allowed iff Pending or Accepted"
                );
                if (ok) {
                    if (before == IDatanetRegistry.ContributionStatus.Accepted) --accepted;
                    expected[k] = IDatanetRegistry.ContributionStatus.Withdrawn;
                }
            }
            assertEq(uint8(datanets.contribution(1, ids[k]).status), uint8(expected[k]), "status differs");
        }
        assertEq(datanets.datanet(1).acceptedCount, accepted, "accepted count differs");
    }

    /// @dev Nobody but the contributor can withdraw, and only a curator can accept or reject.
    function testFuzz_statusMachine_rolesEnforced(address caller, uint8 k) public {
        vm.assume(caller != contributor && caller != address(this));
        bytes32 id = ids[k % N];
        vm.startPrank(caller);
        vm.expectRevert(
            abi.encodeWithSelector(IDatanetRegistry.NotContributor.selector, id, caller, contributor)
        );
        datanets.withdrawContribution(1, id);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.NotCurator.selector, 1, caller));
        datanets.acceptContribution(1, id);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.NotCurator.selector, 1, caller));
        datanets.rejectContribution(1, id, 0);
        vm.stopPrank();
        assertEq(
            uint8(datanets.contribution(1, id).status),
            uint8(IDatanetRegistry.ContributionStatus.Pending)
        );
    }

    /// @dev A withdrawn contribution never verifies, even under the root it was published in.
    function testFuzz_verify_withdrawnNeverVerifies(uint8 k) public {
        k = uint8(k % N);
        datanets.acceptContribution(1, ids[k]);
        bytes32 leaf = LeafLib.versionLeaf(ids[k], contributor, keccak256(abi.encode(uint256(k))));
        datanets.publishVersion(1, leaf, 1, 0, "");
        bytes32[] memory proof = new bytes32[](0);
        assertTrue(
            datanets.verifyContribution(1, 1, ids[k], contributor, keccak256(abi.encode(uint256(k))), proof)
        );
        vm.prank(contributor);
        datanets.withdrawContribution(1, ids[k]);
        assertFalse(
            datanets.verifyContribution(1, 1, ids[k], contributor, keccak256(abi.encode(uint256(k))), proof)
        );
    }

    /// @dev Any two weights that do not sum to 10,000 are refused, and nothing is stored.
    function testFuzz_registerModel_refusesWeightsNotSummingTo10000(uint16 a, uint16 b) public {
        a = uint16(bound(a, 1, type(uint16).max));
        b = uint16(bound(b, 1, type(uint16).max));
        vm.assume(uint256(a) + b != 10_000);
        datanets.createDatanet("", LicenceLib.ALL_USES, IDatanetRegistry.ContributionPolicy.Open);
        datanets.acceptContribution(1, ids[0]);
        datanets.publishVersion(1, bytes32(uint256(1)), 1, 0, "");
        vm.prank(contributor);
        bytes32 id2 = datanets.submitContribution(
            2,
            IDatanetRegistry.ContributionInput({contentHash: bytes32(uint256(7)), uri: "", size: 1, kind: 0})
        );
        datanets.acceptContribution(2, id2);
        datanets.publishVersion(2, bytes32(uint256(2)), 1, 0, "");
        IModelRegistry.TrainingInput[] memory inputs = new IModelRegistry.TrainingInput[](2);
        inputs[0] = IModelRegistry.TrainingInput(1, 1, a);
        inputs[1] = IModelRegistry.TrainingInput(2, 1, b);
        vm.expectRevert(abi.encodeWithSelector(IModelRegistry.WeightsDoNotSum.selector, uint256(a) + b));
        models.registerModel(
            IModelRegistry.ModelInput("", bytes32(uint256(1)), 0, LicenceLib.RESEARCH, 0, inputs)
        );
        assertEq(models.modelCount(), 0);
    }
}

/// @notice Invariants over random sequences of registry calls (see RegistriesHandler).
contract RegistriesInvariantTest is Test {
    DatanetRegistry internal datanets;
    ModelRegistry internal models;
    RegistriesHandler internal handler;

    function setUp() public {
        datanets = new DatanetRegistry();
        models = new ModelRegistry(datanets);
        handler = new RegistriesHandler(datanets, models);
        targetContract(address(handler));
    }

    /// @dev The handler's paths reach the states the invariants are about (not vacuous).
    function test_handler_reachesEveryState() public {
        for (uint256 i = 0; i < 4; ++i) handler.submit(1, i);
        for (uint256 i = 0; i < 4; ++i) handler.accept(i);
        handler.publish(0, 1);
        handler.register(0, 1, 42);
        handler.register(1, 1, 43);
        handler.addVersion(2, 1, 44);
        handler.withdraw(0);
        handler.submit(2, 0);
        handler.reject(4, 0);
        assertEq(handler.inclusionCount(), 2);
        assertEq(models.modelCount(), 2);
        assertEq(models.lineage(2).length, 1);
        assertEq(models.model(2).versionCount, 2);
        invariant_lineageAcyclic();
        invariant_weightsSumTo10000();
        invariant_withdrawnNeverVerify();
        invariant_finalStatusesStick();
    }

    /// @dev Walking base ids always terminates within MAX_LINEAGE_DEPTH and strictly decreases.
    function invariant_lineageAcyclic() public view {
        uint256 count = models.modelCount();
        for (uint256 id = 1; id <= count; ++id) {
            uint256 current = id;
            uint256 steps = 0;
            (, uint256 base, , ) = models.paymentTerms(current);
            while (base != 0) {
                assertLt(base, current, "base id not smaller");
                assertLe(++steps, models.MAX_LINEAGE_DEPTH(), "lineage too deep");
                current = base;
                (, base, , ) = models.paymentTerms(current);
            }
            assertEq(models.lineage(id).length, steps, "lineage view disagrees with the walk");
        }
    }

    /// @dev Every version of every model has training weights summing to exactly 10,000.
    function invariant_weightsSumTo10000() public view {
        uint256 count = models.modelCount();
        for (uint256 id = 1; id <= count; ++id) {
            uint256 versions = models.model(id).versionCount;
            for (uint256 v = 1; v <= versions; ++v) {
                IModelRegistry.TrainingInput[] memory inputs = models.trainingInputs(id, v);
                uint256 total = 0;
                for (uint256 i = 0; i < inputs.length; ++i) total += inputs[i].weightBps;
                assertEq(total, 10_000, "weights do not sum to 10,000");
            }
        }
    }

    /// @dev A contribution placed in a version verifies exactly while it is Accepted: a
    /// withdrawn one never verifies in any version.
    function invariant_withdrawnNeverVerify() public view {
        uint256 n = handler.inclusionCount();
        for (uint256 i = 0; i < n; ++i) {
            RegistriesHandler.Inclusion memory inc = handler.inclusion(i);
            (uint256 datanetId, bytes32 id, address contributor, bytes32 contentHash) = handler.tracked(
                inc.index
            );
            IDatanetRegistry.ContributionStatus status = datanets.contribution(datanetId, id).status;
            bool verified = datanets.verifyContribution(
                inc.datanetId,
                inc.versionNumber,
                id,
                contributor,
                contentHash,
                inc.proof
            );
            if (status == IDatanetRegistry.ContributionStatus.Withdrawn)
                assertFalse(verified, "withdrawn verified");
            assertEq(verified, status == IDatanetRegistry.ContributionStatus.Accepted, "verify != Accepted");
        }
    }

    /// @dev Rejected and Withdrawn are final: the stored status never leaves them.
    function invariant_finalStatusesStick() public view {
        uint256 n = handler.trackedCount();
        for (uint256 i = 0; i < n; ++i) {
            (uint256 datanetId, bytes32 id, , ) = handler.tracked(i);
            IDatanetRegistry.ContributionStatus f = handler.finalStatus(id);
            if (f != IDatanetRegistry.ContributionStatus.None) {
                assertEq(uint8(datanets.contribution(datanetId, id).status), uint8(f), "left a final status");
            }
        }
    }
}

// SPDX-License-Identifier: MIT
// Entry-point fuzz tests of DatanetRegistry, one test contract per group of functions (see EntryPointBase.sol).
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {IDatanetRegistry} from "../../contracts/interfaces/IDatanetRegistry.sol";
import {EntryPointBase} from "./EntryPointBase.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @notice DatanetRegistry, datanets and their owners: createDatanet, transferOwnership, acceptOwnership, setCurator.
contract EntryPointsDatanetAdminTest is EntryPointBase {
    function _digest() internal view override returns (bytes32) {
        return _datanetDigest();
    }

    function testFuzz_createDatanet(uint256 callerSeed, uint16 licence, bool allowList) public {
        if (callerSeed % 2 == 0) licence = licence & 31;
        uint256 count = datanets.datanetCount();
        IDatanetRegistry.ContributionPolicy policy =
            allowList
                ? IDatanetRegistry.ContributionPolicy.AllowList
                : IDatanetRegistry.ContributionPolicy.Open;
        address caller = _caller(callerSeed);
        _allow(IDatanetRegistry.InvalidLicence.selector);
        (bool ok, bytes memory ret) = _call(
            "createDatanet",
            caller,
            address(datanets),
            abi.encodeCall(datanets.createDatanet, ("ipfs://new", licence, policy))
        );
        if (ok) {
            assertEq(abi.decode(ret, (uint256)), count + 1, "createDatanet: id");
            IDatanetRegistry.Datanet memory d = datanets.datanet(count + 1);
            assertEq(d.owner, caller, "createDatanet: owner");
            assertEq(d.licence, licence, "createDatanet: licence");
        }
    }

    function testFuzz_transferOwnership(uint256 callerSeed, uint256 idSeed, uint256 newOwnerSeed) public {
        address caller = _datanetCaller(callerSeed);
        uint256 id = _id(idSeed, 2);
        address newOwner = _account(newOwnerSeed);
        _allowOwnerOnly();
        _allow(IDatanetRegistry.ZeroAddress.selector);
        (bool ok, ) = _call(
            "transferOwnership",
            caller,
            address(datanets),
            abi.encodeCall(datanets.transferOwnership, (id, newOwner))
        );
        if (ok) assertEq(datanets.datanet(id).pendingOwner, newOwner, "transferOwnership: pending owner");
    }

    function testFuzz_acceptOwnership(uint256 callerSeed, uint256 idSeed) public {
        address caller = callerSeed % 2 == 0 ? bob : _caller(callerSeed);
        uint256 id = _id(idSeed, 2);
        _allow(IDatanetRegistry.NotPendingOwner.selector);
        (bool ok, ) = _call(
            "acceptOwnership",
            caller,
            address(datanets),
            abi.encodeCall(datanets.acceptOwnership, (id))
        );
        if (ok) {
            IDatanetRegistry.Datanet memory d = datanets.datanet(id);
            assertEq(d.owner, caller, "acceptOwnership: owner");
            assertEq(d.pendingOwner, address(0), "acceptOwnership: pending owner left");
        }
    }

    function testFuzz_setCurator(
        uint256 callerSeed,
        uint256 idSeed,
        uint256 accountSeed,
        bool appointed
    ) public {
        address caller = _datanetCaller(callerSeed);
        uint256 id = _id(idSeed, 2);
        address account = _account(accountSeed);
        _allowOwnerOnly();
        _allow(IDatanetRegistry.ZeroAddress.selector);
        _watch(address(datanets), abi.encodeCall(datanets.isCurator, (id, account)));
        (bool ok, ) = _call(
            "setCurator",
            caller,
            address(datanets),
            abi.encodeCall(datanets.setCurator, (id, account, appointed))
        );
        if (ok) assertEq(datanets.isCurator(id, account), appointed, "setCurator: curator");
    }
}

/// @notice DatanetRegistry, curation: acceptContribution, rejectContribution.
contract EntryPointsDatanetCurateTest is EntryPointBase {
    function _digest() internal view override returns (bytes32) {
        return _datanetDigest();
    }

    function testFuzz_acceptContribution(uint256 callerSeed, uint256 contributionSeed) public {
        _curate(callerSeed, contributionSeed, true, 0);
    }

    function testFuzz_rejectContribution(uint256 callerSeed, uint256 contributionSeed, uint16 reason) public {
        _curate(callerSeed, contributionSeed, false, reason);
    }

    function _curate(uint256 callerSeed, uint256 contributionSeed, bool accept, uint16 reason) private {
        address caller = _datanetCaller(callerSeed);
        (uint256 id, bytes32 cid) = _contribution(contributionSeed);
        if (contributionSeed % 16 == 15) id = _id(contributionSeed >> 4, 2);
        uint64 accepted = id == 1 || id == 2 ? datanets.datanet(id).acceptedCount : 0;
        _allow(IDatanetRegistry.UnknownDatanet.selector);
        _allow(IDatanetRegistry.NotCurator.selector);
        _allow(IDatanetRegistry.UnknownContribution.selector);
        _allow(IDatanetRegistry.InvalidContributionStatus.selector);
        _watch(address(datanets), abi.encodeCall(datanets.contribution, (id, cid)));
        bytes memory data =
            accept
                ? abi.encodeCall(datanets.acceptContribution, (id, cid))
                : abi.encodeCall(datanets.rejectContribution, (id, cid, reason));
        string memory fn = accept ? "acceptContribution" : "rejectContribution";
        (bool ok, ) = _call(fn, caller, address(datanets), data);
        if (ok) {
            IDatanetRegistry.ContributionStatus expected =
                accept
                    ? IDatanetRegistry.ContributionStatus.Accepted
                    : IDatanetRegistry.ContributionStatus.Rejected;
            assertEq(
                uint8(datanets.contribution(id, cid).status),
                uint8(expected),
                string.concat(fn, ": status")
            );
            assertEq(
                datanets.datanet(id).acceptedCount,
                accepted + (accept ? 1 : 0),
                string.concat(fn, ": accepted count")
            );
        }
    }
}

/// @notice DatanetRegistry: setContributionPolicy, setContributorAllowed, publishVersion, withdrawContribution.
contract EntryPointsDatanetPolicyTest is EntryPointBase {
    function _digest() internal view override returns (bytes32) {
        return _datanetDigest();
    }

    function testFuzz_setContributionPolicy(uint256 callerSeed, uint256 idSeed, bool allowList) public {
        address caller = _datanetCaller(callerSeed);
        uint256 id = _id(idSeed, 2);
        IDatanetRegistry.ContributionPolicy policy =
            allowList
                ? IDatanetRegistry.ContributionPolicy.AllowList
                : IDatanetRegistry.ContributionPolicy.Open;
        _allowOwnerOnly();
        (bool ok, ) = _call(
            "setContributionPolicy",
            caller,
            address(datanets),
            abi.encodeCall(datanets.setContributionPolicy, (id, policy))
        );
        if (ok) assertEq(uint8(datanets.datanet(id).policy), uint8(policy), "setContributionPolicy: policy");
    }

    function testFuzz_setContributorAllowed(
        uint256 callerSeed,
        uint256 idSeed,
        uint256 accountSeed,
        bool allowed
    ) public {
        address caller = _datanetCaller(callerSeed);
        uint256 id = _id(idSeed, 2);
        address account = _account(accountSeed);
        _allowOwnerOnly();
        _allow(IDatanetRegistry.ZeroAddress.selector);
        _watch(address(datanets), abi.encodeCall(datanets.isContributorAllowed, (id, account)));
        (bool ok, ) = _call(
            "setContributorAllowed",
            caller,
            address(datanets),
            abi.encodeCall(datanets.setContributorAllowed, (id, account, allowed))
        );
        if (ok) assertEq(datanets.isContributorAllowed(id, account), allowed, "setContributorAllowed: flag");
    }

    function testFuzz_publishVersion(
        uint256 callerSeed,
        uint256 idSeed,
        bytes32 root,
        uint256 countSeed,
        uint256 parentSeed
    ) public {
        address caller = _datanetCaller(callerSeed);
        uint256 id = _id(idSeed, 2);
        if (countSeed % 7 == 0) root = bytes32(0);
        uint64 count = uint64(countSeed % 4);
        uint32 parent = parentSeed % 5 == 4 ? uint32(parentSeed) : uint32(parentSeed % 3);
        _allow(IDatanetRegistry.UnknownDatanet.selector);
        _allow(IDatanetRegistry.NotCurator.selector);
        _allow(IDatanetRegistry.EmptyMerkleRoot.selector);
        _allow(IDatanetRegistry.InvalidContributionCount.selector);
        _allow(IDatanetRegistry.UnknownVersion.selector);
        (bool ok, bytes memory ret) = _call(
            "publishVersion",
            caller,
            address(datanets),
            abi.encodeCall(datanets.publishVersion, (id, root, count, parent, "ipfs://v"))
        );
        if (ok) {
            uint32 n = abi.decode(ret, (uint32));
            assertEq(n, datanets.datanet(id).versionCount, "publishVersion: number");
            IDatanetRegistry.Version memory v = datanets.version(id, n);
            assertEq(v.merkleRoot, root, "publishVersion: root");
            assertEq(v.contributionCount, count, "publishVersion: count");
            assertEq(v.parentVersion, parent, "publishVersion: parent");
        }
    }

    function testFuzz_withdrawContribution(uint256 callerSeed, uint256 contributionSeed) public {
        address caller = callerSeed % 2 == 0 ? alice : _caller(callerSeed);
        (uint256 id, bytes32 cid) = _contribution(contributionSeed);
        IDatanetRegistry.ContributionStatus before = datanets.contribution(id, cid).status;
        uint64 accepted = id <= datanets.datanetCount() ? datanets.datanet(id).acceptedCount : 0;
        _allow(IDatanetRegistry.UnknownContribution.selector);
        _allow(IDatanetRegistry.NotContributor.selector);
        _allow(IDatanetRegistry.InvalidContributionStatus.selector);
        _watch(address(datanets), abi.encodeCall(datanets.contribution, (id, cid)));
        (bool ok, ) = _call(
            "withdrawContribution",
            caller,
            address(datanets),
            abi.encodeCall(datanets.withdrawContribution, (id, cid))
        );
        if (ok) {
            assertEq(
                uint8(datanets.contribution(id, cid).status),
                uint8(IDatanetRegistry.ContributionStatus.Withdrawn),
                "withdrawContribution: status"
            );
            bool wasAccepted = before == IDatanetRegistry.ContributionStatus.Accepted;
            assertEq(
                datanets.datanet(id).acceptedCount,
                accepted - (wasAccepted ? 1 : 0),
                "withdrawContribution: count"
            );
        }
    }
}

/// @notice DatanetRegistry, submissions: submitContribution, submitContributions, submitContributionWithSignature.
contract EntryPointsDatanetSubmitTest is EntryPointBase {
    function _digest() internal view override returns (bytes32) {
        return _datanetDigest();
    }

    function _input(uint256 seed) private pure returns (IDatanetRegistry.ContributionInput memory) {
        bytes32 contentHash;
        uint256 k = seed % 4;
        if (k == 0) contentHash = bytes32(0);
        else if (k == 1)
            contentHash = keccak256("a1"); // alice's duplicate in datanet 1
        else contentHash = keccak256(abi.encode("new", seed));
        return
            IDatanetRegistry.ContributionInput({
                contentHash: contentHash,
                uri: "ipfs://x",
                size: uint64(seed),
                kind: uint8(seed >> 64)
            });
    }

    function _allowSubmit() private {
        _allow(IDatanetRegistry.UnknownDatanet.selector);
        _allow(IDatanetRegistry.ContributorNotAllowed.selector);
        _allow(IDatanetRegistry.EmptyContentHash.selector);
        _allow(IDatanetRegistry.DuplicateContribution.selector);
    }

    function testFuzz_submitContribution(uint256 callerSeed, uint256 idSeed, uint256 inputSeed) public {
        address caller = callerSeed % 2 == 0 ? alice : _caller(callerSeed);
        uint256 id = _id(idSeed, 2);
        IDatanetRegistry.ContributionInput memory input = _input(inputSeed);
        bytes32 cid = datanets.contributionIdOf(id, caller, input.contentHash);
        _allowSubmit();
        _watch(address(datanets), abi.encodeCall(datanets.contribution, (id, cid)));
        (bool ok, ) = _call(
            "submitContribution",
            caller,
            address(datanets),
            abi.encodeCall(datanets.submitContribution, (id, input))
        );
        if (ok) _assertPending(id, cid, caller, input, "submitContribution");
    }

    function testFuzz_submitContributions(
        uint256 callerSeed,
        uint256 idSeed,
        uint256 countSeed,
        uint256 inputSeed
    ) public {
        address caller = callerSeed % 2 == 0 ? alice : _caller(callerSeed);
        uint256 id = _id(idSeed, 2);
        IDatanetRegistry.ContributionInput[] memory inputs = new IDatanetRegistry.ContributionInput[](
            countSeed % 4
        );
        for (uint256 i = 0; i < inputs.length; ++i) {
            inputs[i] = _input(uint256(keccak256(abi.encode(inputSeed, i))) >> (i == 0 ? 0 : 2));
        }
        _allowSubmit();
        _allow(IDatanetRegistry.EmptyBatch.selector);
        for (uint256 i = 0; i < inputs.length; ++i) {
            _watch(
                address(datanets),
                abi.encodeCall(
                    datanets.contribution,
                    (id, datanets.contributionIdOf(id, caller, inputs[i].contentHash))
                )
            );
        }
        (bool ok, ) = _call(
            "submitContributions",
            caller,
            address(datanets),
            abi.encodeCall(datanets.submitContributions, (id, inputs))
        );
        if (ok) {
            for (uint256 i = 0; i < inputs.length; ++i) {
                _assertPending(
                    id,
                    datanets.contributionIdOf(id, caller, inputs[i].contentHash),
                    caller,
                    inputs[i],
                    "submitContributions"
                );
            }
        }
    }

    /// @dev A relayed submission: datanet, contributor, input, nonce, deadline, signature.
    struct SignedSubmission {
        uint256 datanetId;
        address contributor;
        IDatanetRegistry.ContributionInput input;
        uint256 nonce;
        uint256 deadline;
        bytes signature;
    }

    function testFuzz_submitContributionWithSignature(
        uint256 callerSeed,
        uint256 idSeed,
        uint256 inputSeed,
        uint256 variant
    ) public {
        SignedSubmission memory sub = _signedSubmission(idSeed, inputSeed, variant);
        bytes32 cid = datanets.contributionIdOf(sub.datanetId, sub.contributor, sub.input.contentHash);
        _allowSubmit();
        _allow(IDatanetRegistry.ExpiredSignature.selector);
        _allow(IDatanetRegistry.InvalidSignature.selector);
        _allow(Nonces.InvalidAccountNonce.selector);
        _watch(address(datanets), abi.encodeCall(datanets.contribution, (sub.datanetId, cid)));
        (bool ok, ) = _call(
            "submitContributionWithSignature",
            _caller(callerSeed),
            address(datanets),
            abi.encodeCall(
                datanets.submitContributionWithSignature,
                (sub.datanetId, sub.contributor, sub.input, sub.nonce, sub.deadline, sub.signature)
            )
        );
        if (ok) {
            _assertPending(sub.datanetId, cid, sub.contributor, sub.input, "submitContributionWithSignature");
            assertEq(
                datanets.nonces(sub.contributor),
                sub.nonce + 1,
                "submitContributionWithSignature: nonce"
            );
        }
    }

    /// @dev alice or bob signs (or a wrong key), nonce current or not, deadline live or past,
    /// signature intact, with a flipped byte, or zero bytes of a fuzzed length.
    function _signedSubmission(
        uint256 idSeed,
        uint256 inputSeed,
        uint256 variant
    ) private view returns (SignedSubmission memory sub) {
        sub.datanetId = _id(idSeed, 2);
        uint256 key;
        (sub.contributor, key) = variant % 2 == 0 ? (alice, aliceKey) : (bob, bobKey);
        sub.input = _input(inputSeed);
        sub.nonce = datanets.nonces(sub.contributor) + (variant % 7 == 0 ? 1 : 0);
        sub.deadline = variant % 5 == 0 ? block.timestamp - 1 : block.timestamp + 1 hours;
        sub.signature = _sign(variant % 11 == 0 ? 0xBAD : key, sub);
        if (variant % 3 == 1) sub.signature[5] ^= bytes1(0x01);
        if (variant % 13 == 0) sub.signature = new bytes(variant % 70);
    }

    function _sign(uint256 key, SignedSubmission memory sub) private view returns (bytes memory) {
        bytes32 structHash = keccak256(
            abi.encode(
                datanets.SUBMIT_CONTRIBUTION_TYPEHASH(),
                sub.datanetId,
                sub.contributor,
                sub.input.contentHash,
                keccak256(bytes(sub.input.uri)),
                sub.input.size,
                sub.input.kind,
                sub.nonce,
                sub.deadline
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(
            key,
            keccak256(abi.encodePacked("\x19\x01", datanets.DOMAIN_SEPARATOR(), structHash))
        );
        return abi.encodePacked(r, s, v);
    }

    function _assertPending(
        uint256 id,
        bytes32 cid,
        address contributor,
        IDatanetRegistry.ContributionInput memory input,
        string memory fn
    ) private view {
        IDatanetRegistry.Contribution memory c = datanets.contribution(id, cid);
        assertEq(
            uint8(c.status),
            uint8(IDatanetRegistry.ContributionStatus.Pending),
            string.concat(fn, ": status")
        );
        assertEq(c.contributor, contributor, string.concat(fn, ": contributor"));
        assertEq(c.size, input.size, string.concat(fn, ": size"));
        assertEq(c.kind, input.kind, string.concat(fn, ": kind"));
    }
}

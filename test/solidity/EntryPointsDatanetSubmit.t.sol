// SPDX-License-Identifier: MIT
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {IDatanetRegistry} from "../../contracts/interfaces/IDatanetRegistry.sol";
import {EntryPointBase} from "./EntryPointBase.sol";

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
            contentHash = keccak256("a1"); // a duplicate in datanet 1
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
        bytes32 cid = datanets.contributionIdOf(id, input.contentHash);
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
                    (id, datanets.contributionIdOf(id, inputs[i].contentHash))
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
                    datanets.contributionIdOf(id, inputs[i].contentHash),
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
        bytes32 cid = datanets.contributionIdOf(sub.datanetId, sub.input.contentHash);
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

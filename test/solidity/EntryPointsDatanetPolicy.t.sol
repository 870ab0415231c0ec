// SPDX-License-Identifier: MIT
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {IDatanetRegistry} from "../../contracts/interfaces/IDatanetRegistry.sol";
import {EntryPointBase} from "./EntryPointBase.sol";

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

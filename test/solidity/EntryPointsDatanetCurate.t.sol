// SPDX-License-Identifier: MIT
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {IDatanetRegistry} from "../../contracts/interfaces/IDatanetRegistry.sol";
import {EntryPointBase} from "./EntryPointBase.sol";

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

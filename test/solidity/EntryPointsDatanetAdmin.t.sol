// SPDX-License-Identifier: MIT
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {IDatanetRegistry} from "../../contracts/interfaces/IDatanetRegistry.sol";
import {EntryPointBase} from "./EntryPointBase.sol";

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

// SPDX-License-Identifier: MIT
/* solhint-disable func-name-mixedcase */
pragma solidity ^0.8.28;

import {IModelRegistry} from "../../contracts/interfaces/IModelRegistry.sol";
import {LicenceLib} from "../../contracts/libraries/LicenceLib.sol";
import {IModelPaymentTerms} from "../../contracts/interfaces/IModelPaymentTerms.sol";
import {EntryPointBase} from "./EntryPointBase.sol";

/// @notice Every state-changing entry point of ModelRegistry with fuzzed arguments and callers.
contract EntryPointsModelTest is EntryPointBase {
    function _digest() internal view override returns (bytes32) {
        return _modelDigest();
    }

    function _modelCaller(uint256 seed) private view returns (address) {
        return seed % 2 == 0 ? modelOwner : _caller(seed >> 1);
    }

    /// @dev 0..3 inputs over datanets 0..3 and versions 0..2 (valid ones: (1,1), (2,1)), weights
    /// that sum to 10,000 one time in two.
    function _trainingInputs(uint256 seed) private pure returns (IModelRegistry.TrainingInput[] memory t) {
        uint256 n = seed % 4;
        if (seed % 29 == 0) n = 33; // above MAX_TRAINING_INPUTS
        t = new IModelRegistry.TrainingInput[](n);
        uint256 left = 10_000;
        for (uint256 i = 0; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            uint16 w = uint16(i == n - 1 && (seed >> 8) % 2 == 0 ? left : r % (left + 1));
            left -= w;
            t[i] = IModelRegistry.TrainingInput({
                datanetId: uint32(r % 8 == 7 ? r >> 8 : (r >> 8) % 4),
                versionNumber: uint32(r % 16 == 15 ? (r >> 40) % 3 : 1),
                weightBps: w
            });
        }
    }

    function _allowInputs() private {
        _allow(IModelRegistry.EmptyArtifactHash.selector);
        _allow(IModelRegistry.InvalidTrainingInputCount.selector);
        _allow(IModelRegistry.ZeroWeight.selector);
        _allow(IModelRegistry.DuplicateDatanet.selector);
        _allow(IModelRegistry.WeightsDoNotSum.selector);
        _allow(IModelRegistry.UnknownDatanetVersion.selector);
        _allow(IModelRegistry.LicenceForbidsUse.selector);
    }

    function testFuzz_registerModel(
        uint256 callerSeed,
        uint256 baseSeed,
        uint16 uses,
        uint256 inputSeed,
        bool zeroArtifact,
        uint96 price
    ) public {
        if (inputSeed % 3 == 0) uses = uses & 1; // research only, allowed by both datanets
        if (price % 2 == 0) price = price >> 17; // under MAX_PRICE_PER_UNIT half of the time
        IModelRegistry.ModelInput memory input = IModelRegistry.ModelInput({
            metadataURI: "ipfs://new",
            artifactHash: zeroArtifact ? bytes32(0) : keccak256(abi.encode(inputSeed)),
            baseModelId: _id(baseSeed, MODELS),
            declaredUses: uses,
            pricePerUnit: price,
            trainingInputs: _trainingInputs(inputSeed)
        });
        address caller = _caller(callerSeed);
        uint256 count = models.modelCount();
        _allowInputs();
        _allow(IModelRegistry.UnknownBaseModel.selector);
        _allow(IModelRegistry.LineageTooDeep.selector);
        _allow(IModelRegistry.InvalidDeclaredUses.selector);
        _allow(IModelRegistry.PriceTooHigh.selector);
        _allow(IModelRegistry.LineageForbidsDerivatives.selector);
        _allow(IModelRegistry.LineageForbidsUse.selector);
        (bool ok, bytes memory ret) = _call(
            "registerModel",
            caller,
            address(models),
            abi.encodeCall(models.registerModel, (input))
        );
        if (ok) {
            uint256 id = abi.decode(ret, (uint256));
            assertEq(id, count + 1, "registerModel: id");
            IModelRegistry.Model memory m = models.model(id);
            assertEq(m.owner, caller, "registerModel: owner");
            assertEq(m.pricePerUnit, price, "registerModel: price");
            assertEq(m.baseModelId, input.baseModelId, "registerModel: base");
            assertEq(m.versionCount, 1, "registerModel: versions");
            _assertLineageLicence(m, uses, input.baseModelId);
        }
    }

    /// @dev Licences propagate: the lineage allows every declared use; a base allows derivatives
    /// and the derivative's lineage licence is no wider than its base's.
    function _assertLineageLicence(
        IModelRegistry.Model memory m,
        uint16 uses,
        uint256 baseModelId
    ) private view {
        assertEq(m.lineageLicence & uses, uses, "registerModel: lineage licence");
        if (baseModelId == 0) return;
        uint16 baseLicence = models.lineageLicence(baseModelId);
        assertEq(baseLicence & LicenceLib.DERIVATIVES, LicenceLib.DERIVATIVES, "registerModel: derivative");
        assertEq(m.lineageLicence & ~baseLicence, 0, "registerModel: wider than its base");
    }

    function testFuzz_addVersion(
        uint256 callerSeed,
        uint256 modelSeed,
        uint256 inputSeed,
        bool zeroArtifact
    ) public {
        address caller = _modelCaller(callerSeed);
        uint256 id = _id(modelSeed, MODELS);
        bytes32 artifact = zeroArtifact ? bytes32(0) : keccak256(abi.encode(inputSeed));
        IModelRegistry.TrainingInput[] memory inputs = _trainingInputs(inputSeed);
        _allowInputs();
        _allow(IModelPaymentTerms.UnknownModel.selector);
        _allow(IModelRegistry.NotModelOwner.selector);
        _allow(IModelRegistry.ModelIsRetired.selector);
        (bool ok, bytes memory ret) = _call(
            "addVersion",
            caller,
            address(models),
            abi.encodeCall(models.addVersion, (id, artifact, inputs))
        );
        if (ok) {
            uint256 n = abi.decode(ret, (uint256));
            assertEq(n, models.model(id).versionCount, "addVersion: number");
            (bytes32 stored, IModelRegistry.TrainingInput[] memory read) = models.modelVersion(id, n);
            assertEq(stored, artifact, "addVersion: artifact");
            assertEq(keccak256(abi.encode(read)), keccak256(abi.encode(inputs)), "addVersion: inputs");
        }
    }

    function testFuzz_setPrice(uint256 callerSeed, uint256 modelSeed, uint96 price) public {
        address caller = _modelCaller(callerSeed);
        uint256 id = _id(modelSeed, MODELS);
        if (price % 2 == 0) price = price >> 17; // under MAX_PRICE_PER_UNIT half of the time
        _allow(IModelPaymentTerms.UnknownModel.selector);
        _allow(IModelRegistry.NotModelOwner.selector);
        _allow(IModelRegistry.PriceTooHigh.selector);
        (bool ok, ) = _call(
            "setPrice",
            caller,
            address(models),
            abi.encodeCall(models.setPrice, (id, price))
        );
        if (ok) assertEq(models.model(id).pricePerUnit, price, "setPrice: price");
    }

    function testFuzz_retire(uint256 callerSeed, uint256 modelSeed) public {
        address caller = _modelCaller(callerSeed);
        uint256 id = _id(modelSeed, MODELS);
        _allow(IModelPaymentTerms.UnknownModel.selector);
        _allow(IModelRegistry.NotModelOwner.selector);
        _allow(IModelRegistry.ModelIsRetired.selector);
        (bool ok, ) = _call("retire", caller, address(models), abi.encodeCall(models.retire, (id)));
        if (ok) assertTrue(models.model(id).retired, "retire: flag");
    }

    function testFuzz_transferOwnership(uint256 callerSeed, uint256 modelSeed, uint256 newOwnerSeed) public {
        address caller = _modelCaller(callerSeed);
        uint256 id = _id(modelSeed, MODELS);
        address newOwner = _account(newOwnerSeed);
        _allow(IModelPaymentTerms.UnknownModel.selector);
        _allow(IModelRegistry.NotModelOwner.selector);
        _allow(IModelRegistry.ZeroAddress.selector);
        (bool ok, ) = _call(
            "transferOwnership",
            caller,
            address(models),
            abi.encodeCall(models.transferOwnership, (id, newOwner))
        );
        if (ok) assertEq(models.model(id).pendingOwner, newOwner, "transferOwnership: pending owner");
    }

    function testFuzz_acceptOwnership(uint256 callerSeed, uint256 modelSeed) public {
        address caller = callerSeed % 2 == 0 ? bob : _caller(callerSeed);
        uint256 id = _id(modelSeed, MODELS);
        _allow(IModelRegistry.NotPendingOwner.selector);
        (bool ok, ) = _call(
            "acceptOwnership",
            caller,
            address(models),
            abi.encodeCall(models.acceptOwnership, (id))
        );
        if (ok) {
            IModelRegistry.Model memory m = models.model(id);
            assertEq(m.owner, caller, "acceptOwnership: owner");
            assertEq(m.pendingOwner, address(0), "acceptOwnership: pending owner left");
        }
    }
}

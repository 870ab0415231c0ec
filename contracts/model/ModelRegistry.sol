// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IDatanetRegistry} from "../interfaces/IDatanetRegistry.sol";
import {IModelPaymentTerms} from "../interfaces/IModelPaymentTerms.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {LicenceLib} from "../libraries/LicenceLib.sol";
import {PackingLib} from "../libraries/PackingLib.sol";

/// @title ModelRegistry
/// @notice Models, their versions, lineage and training inputs. See `IModelRegistry`.
/// @dev A model is two slots (`StoredModel`): the first holds everything a payment reads of a root
/// model (owner, price, retired flag, lineage depth), so `paymentTerms` reads the second slot only
/// for a derivative's base id. A model exists iff its owner is non-zero. A version is its artifact hash plus its training inputs packed three
/// per slot; each datanet's model list packs eight ids per slot (the length shares the first).
/// No admin, no upgrade path: every model is governed by its own owner.
contract ModelRegistry is IModelRegistry {
    /// @inheritdoc IModelRegistry
    uint256 public constant MAX_LINEAGE_DEPTH = 16;
    /// @inheritdoc IModelRegistry
    uint256 public constant MAX_TRAINING_INPUTS = 32;
    /// @inheritdoc IModelRegistry
    uint256 public constant MAX_PRICE_PER_UNIT = type(uint80).max;
    /// @dev Training weights of one version sum to this.
    uint256 private constant TOTAL_BPS = 10_000;

    /// @dev A model in two slots; `model` returns it as the interface's `Model`.
    struct StoredModel {
        // slot 0: what a payment reads
        address owner;
        uint80 pricePerUnit;
        bool retired;
        uint8 lineageDepth;
        // slot 1
        address pendingOwner;
        uint32 baseModelId;
        uint32 versionCount;
        uint16 declaredUses;
        uint16 lineageLicence;
    }

    IDatanetRegistry private immutable _datanetRegistry;

    uint256 private _modelCount;
    mapping(uint256 modelId => StoredModel) private _models;
    mapping(uint256 modelId => mapping(uint256 versionNumber => bytes32)) private _artifactHashes;
    /// @dev Packed training inputs (see `PackingLib`).
    mapping(uint256 modelId => mapping(uint256 versionNumber => mapping(uint256 word => uint256)))
        private _inputWords;
    /// @dev Packed per-datanet model id lists (see `PackingLib`).
    mapping(uint256 datanetId => mapping(uint256 word => uint256)) private _datanetModelWords;
    /// @dev Datanets a model first used in a version after version 1 (version 1's are read from it).
    mapping(uint256 modelId => mapping(uint256 datanetId => bool)) private _laterDatanets;

    /// @dev Reverts unless the caller owns the model (which also proves the model exists).
    modifier onlyModelOwner(uint256 modelId) {
        _checkOwner(modelId);
        _;
    }

    /// @param datanetRegistry_ The datanet registry whose versions and licences are checked.
    constructor(IDatanetRegistry datanetRegistry_) {
        if (address(datanetRegistry_) == address(0)) revert ZeroAddress();
        _datanetRegistry = datanetRegistry_;
    }

    // ------------------------------------------------------------------ actions

    /// @inheritdoc IModelRegistry
    function registerModel(ModelInput calldata input) external returns (uint256 modelId) {
        if (input.artifactHash == bytes32(0)) revert EmptyArtifactHash();
        uint16 uses = input.declaredUses;
        if (uses == 0 || !LicenceLib.isValid(uses)) revert InvalidDeclaredUses(uses);
        uint256 baseModelId = input.baseModelId;
        uint256 depth = 0;
        uint16 licence = LicenceLib.ALL_USES;
        if (baseModelId != 0) {
            if (baseModelId > _modelCount) revert UnknownBaseModel(baseModelId);
            StoredModel storage base = _models[baseModelId];
            uint256 baseDepth = base.lineageDepth;
            if (baseDepth >= MAX_LINEAGE_DEPTH) revert LineageTooDeep(baseModelId, baseDepth);
            depth = baseDepth + 1;
            // The base's data must allow derivatives, and every use the derivative declares.
            licence = base.lineageLicence;
            if (!LicenceLib.allows(licence, LicenceLib.DERIVATIVES)) {
                revert LineageForbidsDerivatives(baseModelId, licence);
            }
            if (!LicenceLib.allows(licence, uses)) revert LineageForbidsUse(baseModelId, uses, licence);
        }
        licence &= _checkTrainingInputs(input.trainingInputs, uses);
        uint80 price = _checkPrice(input.pricePerUnit);

        modelId = ++_modelCount;
        uint32 id32 = SafeCast.toUint32(modelId);
        _models[modelId] = StoredModel({
            owner: msg.sender,
            pricePerUnit: price,
            retired: false,
            lineageDepth: uint8(depth), // <= MAX_LINEAGE_DEPTH
            pendingOwner: address(0),
            baseModelId: uint32(baseModelId), // < modelId, so it fits
            versionCount: 1,
            declaredUses: uses,
            lineageLicence: licence
        });
        _storeVersion(modelId, 1, input.artifactHash, input.trainingInputs);
        TrainingInput[] calldata inputs = input.trainingInputs;
        for (uint256 i = 0; i < inputs.length; ++i) {
            // Every datanet of version 1 is new to this model (duplicates were refused).
            _pushDatanetModel(inputs[i].datanetId, id32);
        }
        emit ModelRegistered(modelId, msg.sender, baseModelId, uses, input.pricePerUnit, input.metadataURI);
        emit ModelVersionAdded(modelId, 1, input.artifactHash, inputs);
    }

    /// @inheritdoc IModelRegistry
    function addVersion(
        uint256 modelId,
        bytes32 artifactHash,
        TrainingInput[] calldata trainingInputs_
    ) external onlyModelOwner(modelId) returns (uint256 versionNumber) {
        StoredModel storage m = _models[modelId];
        if (m.retired) revert ModelIsRetired(modelId);
        if (artifactHash == bytes32(0)) revert EmptyArtifactHash();
        // The new data narrows what derivatives registered from now on may do.
        m.lineageLicence &= _checkTrainingInputs(trainingInputs_, m.declaredUses);

        versionNumber = uint256(m.versionCount) + 1;
        m.versionCount = SafeCast.toUint32(versionNumber);
        _storeVersion(modelId, versionNumber, artifactHash, trainingInputs_);
        uint32 id32 = uint32(modelId); // registered ids fit (checked at registration)
        for (uint256 i = 0; i < trainingInputs_.length; ++i) {
            uint32 datanetId = trainingInputs_[i].datanetId;
            if (!_inVersionOne(modelId, datanetId) && !_laterDatanets[modelId][datanetId]) {
                _laterDatanets[modelId][datanetId] = true;
                _pushDatanetModel(datanetId, id32);
            }
        }
        emit ModelVersionAdded(modelId, versionNumber, artifactHash, trainingInputs_);
    }

    /// @inheritdoc IModelRegistry
    function setPrice(uint256 modelId, uint96 pricePerUnit) external onlyModelOwner(modelId) {
        _models[modelId].pricePerUnit = _checkPrice(pricePerUnit);
        emit PriceSet(modelId, pricePerUnit);
    }

    /// @inheritdoc IModelRegistry
    function retire(uint256 modelId) external onlyModelOwner(modelId) {
        StoredModel storage m = _models[modelId];
        if (m.retired) revert ModelIsRetired(modelId);
        m.retired = true;
        emit ModelRetired(modelId);
    }

    /// @inheritdoc IModelRegistry
    function transferOwnership(uint256 modelId, address newOwner) external onlyModelOwner(modelId) {
        if (newOwner == address(0)) revert ZeroAddress();
        _models[modelId].pendingOwner = newOwner;
        emit OwnershipTransferStarted(modelId, msg.sender, newOwner);
    }

    /// @inheritdoc IModelRegistry
    function acceptOwnership(uint256 modelId) external {
        StoredModel storage m = _models[modelId];
        // An unknown model has no pending owner, so it lands here too.
        if (m.pendingOwner != msg.sender || msg.sender == address(0))
            revert NotPendingOwner(modelId, msg.sender);
        address previousOwner = m.owner;
        m.owner = msg.sender;
        m.pendingOwner = address(0);
        emit OwnershipTransferred(modelId, previousOwner, msg.sender);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IModelPaymentTerms
    function paymentTerms(
        uint256 modelId
    ) external view returns (address owner, uint256 baseModelId, uint256 pricePerUnit, bool retired) {
        StoredModel storage m = _models[modelId];
        // One storage read for a root model: its first slot holds all four answers.
        owner = m.owner;
        if (owner == address(0)) revert UnknownModel(modelId);
        pricePerUnit = m.pricePerUnit;
        retired = m.retired;
        if (m.lineageDepth != 0) baseModelId = m.baseModelId;
    }

    /// @inheritdoc IModelRegistry
    function datanetRegistry() external view returns (address) {
        return address(_datanetRegistry);
    }

    /// @inheritdoc IModelRegistry
    function modelCount() external view returns (uint256) {
        return _modelCount;
    }

    /// @inheritdoc IModelRegistry
    function modelExists(uint256 modelId) external view returns (bool) {
        return modelId != 0 && modelId <= _modelCount;
    }

    /// @inheritdoc IModelRegistry
    function model(uint256 modelId) external view returns (Model memory) {
        _checkExists(modelId);
        StoredModel storage m = _models[modelId];
        return
            Model({
                owner: m.owner,
                pricePerUnit: m.pricePerUnit,
                pendingOwner: m.pendingOwner,
                baseModelId: m.baseModelId,
                versionCount: m.versionCount,
                declaredUses: m.declaredUses,
                retired: m.retired,
                lineageDepth: m.lineageDepth,
                lineageLicence: m.lineageLicence
            });
    }

    /// @inheritdoc IModelRegistry
    function lineageLicence(uint256 modelId) external view returns (uint16) {
        _checkExists(modelId);
        return _models[modelId].lineageLicence;
    }

    /// @inheritdoc IModelRegistry
    function modelVersion(
        uint256 modelId,
        uint256 versionNumber
    ) external view returns (bytes32 artifactHash, TrainingInput[] memory trainingInputs_) {
        _checkVersion(modelId, versionNumber);
        return (_artifactHashes[modelId][versionNumber], _loadInputs(modelId, versionNumber));
    }

    /// @inheritdoc IModelRegistry
    function trainingInputs(
        uint256 modelId,
        uint256 versionNumber
    ) external view returns (TrainingInput[] memory) {
        _checkVersion(modelId, versionNumber);
        return _loadInputs(modelId, versionNumber);
    }

    /// @inheritdoc IModelRegistry
    function datanetModels(uint256 datanetId) external view returns (uint256[] memory modelIds) {
        mapping(uint256 => uint256) storage words = _datanetModelWords[datanetId];
        uint256 n = uint32(words[0]);
        modelIds = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            (uint256 w, uint256 shift) = PackingLib.idPosition(i);
            modelIds[i] = uint32(words[w] >> shift);
        }
    }

    /// @inheritdoc IModelRegistry
    function lineage(uint256 modelId) external view returns (uint256[] memory baseModelIds) {
        _checkExists(modelId);
        baseModelIds = new uint256[](_models[modelId].lineageDepth);
        uint256 current = _models[modelId].baseModelId;
        for (uint256 i = 0; current != 0; ++i) {
            baseModelIds[i] = current;
            current = _models[current].baseModelId;
        }
    }

    // ------------------------------------------------------------------ private

    /// @dev Checks count, weights, duplicates, version existence and licences of one input list;
    /// returns the AND of the datanets' licences.
    function _checkTrainingInputs(
        TrainingInput[] calldata inputs,
        uint16 uses
    ) private view returns (uint16 licences) {
        uint256 n = inputs.length;
        if (n == 0 || n > MAX_TRAINING_INPUTS) revert InvalidTrainingInputCount(n);
        uint256 total = 0;
        licences = LicenceLib.ALL_USES;
        for (uint256 i = 0; i < n; ++i) {
            TrainingInput calldata t = inputs[i];
            uint32 datanetId = t.datanetId;
            if (t.weightBps == 0) revert ZeroWeight(datanetId);
            for (uint256 j = 0; j < i; ++j) {
                if (inputs[j].datanetId == datanetId) revert DuplicateDatanet(datanetId);
            }
            (bool exists, uint16 licence) = _datanetRegistry.versionLicence(datanetId, t.versionNumber);
            if (!exists) revert UnknownDatanetVersion(datanetId, t.versionNumber);
            if (!LicenceLib.allows(licence, uses)) revert LicenceForbidsUse(datanetId, uses, licence);
            licences &= licence;
            total += t.weightBps;
        }
        if (total != TOTAL_BPS) revert WeightsDoNotSum(total);
    }

    /// @dev Stores a version's artifact hash and its packed inputs (three per word, count in word 0).
    function _storeVersion(
        uint256 modelId,
        uint256 versionNumber,
        bytes32 artifactHash,
        TrainingInput[] calldata inputs
    ) private {
        _artifactHashes[modelId][versionNumber] = artifactHash;
        mapping(uint256 => uint256) storage words = _inputWords[modelId][versionNumber];
        uint256 n = inputs.length;
        uint256 word = n << PackingLib.INPUT_COUNT_SHIFT;
        for (uint256 i = 0; i < n; ++i) {
            TrainingInput calldata t = inputs[i];
            uint256 lane = i % PackingLib.INPUTS_PER_WORD;
            word |=
                PackingLib.packInput(t.datanetId, t.versionNumber, t.weightBps) <<
                (lane * PackingLib.INPUT_BITS);
            if (lane == PackingLib.INPUTS_PER_WORD - 1 || i == n - 1) {
                words[i / PackingLib.INPUTS_PER_WORD] = word;
                word = 0;
            }
        }
    }

    /// @dev Reads a version's training inputs.
    function _loadInputs(
        uint256 modelId,
        uint256 versionNumber
    ) private view returns (TrainingInput[] memory inputs) {
        mapping(uint256 => uint256) storage words = _inputWords[modelId][versionNumber];
        uint256 word = words[0];
        uint256 n = PackingLib.inputCount(word);
        inputs = new TrainingInput[](n);
        for (uint256 i = 0; i < n; ++i) {
            uint256 lane = i % PackingLib.INPUTS_PER_WORD;
            if (lane == 0 && i != 0) word = words[i / PackingLib.INPUTS_PER_WORD];
            (uint32 datanetId, uint32 versionNumber_, uint16 weightBps) = PackingLib.unpackInput(word, lane);
            inputs[i] = TrainingInput(datanetId, versionNumber_, weightBps);
        }
    }

    /// @dev Whether version 1 of the model trained on the datanet.
    function _inVersionOne(uint256 modelId, uint32 datanetId) private view returns (bool) {
        mapping(uint256 => uint256) storage words = _inputWords[modelId][1];
        uint256 word = words[0];
        uint256 n = PackingLib.inputCount(word);
        for (uint256 i = 0; i < n; ++i) {
            uint256 lane = i % PackingLib.INPUTS_PER_WORD;
            if (lane == 0 && i != 0) word = words[i / PackingLib.INPUTS_PER_WORD];
            (uint32 d, , ) = PackingLib.unpackInput(word, lane);
            if (d == datanetId) return true;
        }
        return false;
    }

    /// @dev Appends a model id to a datanet's packed list (length in the lowest lane of word 0).
    function _pushDatanetModel(uint256 datanetId, uint32 modelId) private {
        mapping(uint256 => uint256) storage words = _datanetModelWords[datanetId];
        uint256 first = words[0];
        uint256 n = uint32(first);
        (uint256 w, uint256 shift) = PackingLib.idPosition(n);
        // The length lane cannot overflow: model ids are uint32, a model is pushed once per datanet.
        if (w == 0) {
            words[0] = (first + 1) | (uint256(modelId) << shift);
        } else {
            words[w] |= uint256(modelId) << shift;
            words[0] = first + 1;
        }
    }

    /// @dev Returns the price as stored; reverts `PriceTooHigh` above `MAX_PRICE_PER_UNIT`.
    function _checkPrice(uint96 pricePerUnit) private pure returns (uint80) {
        if (pricePerUnit > MAX_PRICE_PER_UNIT) revert PriceTooHigh(pricePerUnit, MAX_PRICE_PER_UNIT);
        return uint80(pricePerUnit); // cast: checked just above
    }

    /// @dev Reverts unless the caller owns the model.
    function _checkOwner(uint256 modelId) private view {
        address owner = _models[modelId].owner;
        if (owner == address(0)) revert UnknownModel(modelId);
        if (owner != msg.sender) revert NotModelOwner(modelId, msg.sender);
    }

    /// @dev Reverts unless the model exists.
    function _checkExists(uint256 modelId) private view {
        if (modelId == 0 || modelId > _modelCount) revert UnknownModel(modelId);
    }

    /// @dev Reverts unless the model has this version.
    function _checkVersion(uint256 modelId, uint256 versionNumber) private view {
        _checkExists(modelId);
        if (versionNumber == 0 || versionNumber > _models[modelId].versionCount) {
            revert UnknownModelVersion(modelId, versionNumber);
        }
    }
}

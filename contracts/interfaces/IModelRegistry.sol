// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IModelPaymentTerms} from "./IModelPaymentTerms.sol";

/// @title Model registry: models, their lineage and the datanet versions they were trained on
/// @notice A model has an owner (transferable in two steps), a metadata URI, versions (artifact
/// hash + training inputs), an optional base model, declared uses and an inference price in OPEN.
/// Each version's training inputs are datanet versions with datanet-level weights in basis
/// points summing to 10,000; registration is refused when a datanet's licence forbids a declared
/// use or a datanet version does not exist.
///
/// Licences propagate along the lineage. Every model carries a lineage licence: the uses that
/// every datanet it or any model in its base chain trained on allows (the bitwise AND of their
/// licences; a version added later narrows it). A derivative (a model with a base) is refused
/// unless its base's lineage licence allows `DERIVATIVES` (`LineageForbidsDerivatives`) and
/// every use the derivative declares (`LineageForbidsUse`), exactly as a model trained directly
/// on that data would be refused for its own datanets (`LicenceForbidsUse`).
/// @dev Warning: lineage is acyclic by construction (a base model must already exist, so it has
/// a smaller id); its depth is bounded by `MAX_LINEAGE_DEPTH`.
/// @dev Warning: metadata URIs are only in events. Datanet and model ids referenced in training
/// inputs and lineage are stored as `uint32`.
/// @dev Warning: `datanetModels` is an append-only per-datanet list (a model appears once, when
/// it first trains on the datanet); it grows with the number of models and is meant for off-chain
/// reads, not for contracts.
/// @dev Warning: a retired model may still serve as a base model; retiring only stops new
/// versions here and new payments in the distributor.
interface IModelRegistry is IModelPaymentTerms {
    // ------------------------------------------------------------------ errors

    /// @notice An address argument is the zero address.
    error ZeroAddress();

    /// @notice The artifact hash is zero.
    error EmptyArtifactHash();

    /// @notice The base model does not exist.
    /// @param baseModelId The id given.
    error UnknownBaseModel(uint256 baseModelId);

    /// @notice Deriving from this base would exceed `MAX_LINEAGE_DEPTH`.
    /// @param baseDepth The base model's depth (0 for a model without base).
    error LineageTooDeep(uint256 baseModelId, uint256 baseDepth);

    /// @notice The declared uses are empty or set a reserved bit.
    /// @param declaredUses The bit set given.
    error InvalidDeclaredUses(uint16 declaredUses);

    /// @notice The number of training inputs is 0 or above `MAX_TRAINING_INPUTS`.
    /// @param count The number given.
    error InvalidTrainingInputCount(uint256 count);

    /// @notice A training input has weight 0.
    error ZeroWeight(uint256 datanetId);

    /// @notice The training weights do not sum to 10,000 basis points.
    /// @param totalBps Their sum.
    error WeightsDoNotSum(uint256 totalBps);

    /// @notice A datanet appears twice in one list of training inputs.
    error DuplicateDatanet(uint256 datanetId);

    /// @notice The datanet has no such version (or the datanet does not exist).
    error UnknownDatanetVersion(uint256 datanetId, uint256 versionNumber);

    /// @notice The datanet's licence does not allow every declared use.
    /// @param requiredUses The model's declared uses.
    /// @param licence The datanet's licence.
    error LicenceForbidsUse(uint256 datanetId, uint16 requiredUses, uint16 licence);

    /// @notice The base model's lineage (data it or its own bases trained on) does not allow
    /// derivatives.
    /// @param lineageLicence The base model's lineage licence.
    error LineageForbidsDerivatives(uint256 baseModelId, uint16 lineageLicence);

    /// @notice The base model's lineage licence does not allow every use the derivative declares.
    /// @param requiredUses The derivative's declared uses.
    /// @param lineageLicence The base model's lineage licence.
    error LineageForbidsUse(uint256 baseModelId, uint16 requiredUses, uint16 lineageLicence);

    /// @notice The caller is not the model's owner.
    error NotModelOwner(uint256 modelId, address caller);

    /// @notice The caller is not the model's pending owner.
    error NotPendingOwner(uint256 modelId, address caller);

    /// @notice The model is retired: no new versions, no second retirement.
    error ModelIsRetired(uint256 modelId);

    /// @notice The price is above `MAX_PRICE_PER_UNIT` (it is stored in 80 bits, beside the owner).
    /// @param pricePerUnit The price given.
    /// @param maxPricePerUnit The largest price a model may have.
    error PriceTooHigh(uint256 pricePerUnit, uint256 maxPricePerUnit);

    /// @notice The model has no such version (versions start at 1).
    /// @param versionNumber The version asked for.
    error UnknownModelVersion(uint256 modelId, uint256 versionNumber);

    // ------------------------------------------------------------------ types

    /// @notice One datanet version a model version was trained on.
    /// @param weightBps Its datanet-level weight in basis points (> 0; a list sums to 10,000).
    struct TrainingInput {
        uint32 datanetId;
        uint32 versionNumber;
        uint16 weightBps;
    }

    /// @notice What registering a model takes.
    /// @param metadataURI Where the model card lives (emitted, not stored).
    /// @param artifactHash Hash of the first version's weights (non-zero).
    /// @param baseModelId The model it derives from, 0 for none.
    /// @param declaredUses Bit set of uses (`LicenceLib`) every training datanet must allow.
    /// @param pricePerUnit Inference price in OPEN (smallest unit) per unit, at most `MAX_PRICE_PER_UNIT`.
    /// @param trainingInputs The first version's training inputs.
    struct ModelInput {
        string metadataURI;
        bytes32 artifactHash;
        uint256 baseModelId;
        uint16 declaredUses;
        uint96 pricePerUnit;
        TrainingInput[] trainingInputs;
    }

    /// @notice A model, as `model` returns it (stored packed in two slots, see ModelRegistry).
    /// @param pricePerUnit Inference price in OPEN per unit.
    /// @param pendingOwner The account that may accept ownership, or zero.
    /// @param baseModelId The base model, 0 for none.
    /// @param versionCount Its versions (the latest version's number).
    /// @param retired True once retired (irreversible).
    /// @param lineageDepth Length of its base chain (0 without base).
    /// @param lineageLicence Uses every datanet of its lineage allows (see the contract notice).
    struct Model {
        address owner;
        uint96 pricePerUnit;
        address pendingOwner;
        uint32 baseModelId;
        uint32 versionCount;
        uint16 declaredUses;
        bool retired;
        uint8 lineageDepth;
        uint16 lineageLicence;
    }

    // ------------------------------------------------------------------ events

    /// @notice A model was registered (its version 1 is announced by `ModelVersionAdded`).
    /// @param modelId Its id.
    /// @param owner Its owner (the caller).
    /// @param baseModelId Its base, 0 for none.
    event ModelRegistered(
        uint256 indexed modelId,
        address indexed owner,
        uint256 indexed baseModelId,
        uint16 declaredUses,
        uint96 pricePerUnit,
        string metadataURI
    );

    /// @notice A model version was added (version 1 at registration).
    /// @param artifactHash The version's artifact hash.
    event ModelVersionAdded(
        uint256 indexed modelId,
        uint256 indexed versionNumber,
        bytes32 artifactHash,
        TrainingInput[] trainingInputs
    );

    /// @notice The owner changed the price.
    /// @param pricePerUnit The new price.
    event PriceSet(uint256 indexed modelId, uint96 pricePerUnit);

    /// @notice The owner retired the model.
    event ModelRetired(uint256 indexed modelId);

    /// @notice The owner started a two-step ownership transfer.
    /// @param owner The current owner.
    /// @param pendingOwner The account that may now accept.
    event OwnershipTransferStarted(
        uint256 indexed modelId,
        address indexed owner,
        address indexed pendingOwner
    );

    /// @notice The pending owner accepted ownership.
    /// @param previousOwner The former owner.
    event OwnershipTransferred(
        uint256 indexed modelId,
        address indexed previousOwner,
        address indexed newOwner
    );

    // ------------------------------------------------------------------ actions

    /// @notice Registers a model owned by the caller, with its version 1.
    /// @dev Reverts `EmptyArtifactHash`, `UnknownBaseModel`, `LineageTooDeep`,
    /// `InvalidDeclaredUses`, `LineageForbidsDerivatives` and `LineageForbidsUse` (base model's
    /// lineage licence), and as `addVersion` for the training inputs.
    /// @param input The model.
    /// @return modelId The new id (ids start at 1).
    function registerModel(ModelInput calldata input) external returns (uint256 modelId);

    /// @notice The owner adds a version (new artifact hash and training inputs, same checks). Its
    /// datanets' licences narrow the model's lineage licence for derivatives registered later.
    /// @dev Reverts `UnknownModel`, `NotModelOwner`, `ModelIsRetired`, `EmptyArtifactHash`,
    /// `InvalidTrainingInputCount`, `ZeroWeight`, `DuplicateDatanet`, `WeightsDoNotSum`,
    /// `UnknownDatanetVersion`, `LicenceForbidsUse`.
    /// @param artifactHash The new version's artifact hash.
    /// @return versionNumber The new version's number.
    function addVersion(
        uint256 modelId,
        bytes32 artifactHash,
        TrainingInput[] calldata trainingInputs
    ) external returns (uint256 versionNumber);

    /// @notice The owner sets the inference price.
    /// @dev Reverts `PriceTooHigh` above `MAX_PRICE_PER_UNIT`.
    /// @param pricePerUnit The new price.
    function setPrice(uint256 modelId, uint96 pricePerUnit) external;

    /// @notice The owner retires the model, irreversibly (no new versions, no new payments).
    function retire(uint256 modelId) external;

    /// @notice Starts a two-step ownership transfer; a later call replaces the pending owner.
    /// @param newOwner The account that may accept (non-zero).
    function transferOwnership(uint256 modelId, address newOwner) external;

    /// @notice The pending owner takes ownership.
    function acceptOwnership(uint256 modelId) external;

    // ------------------------------------------------------------------ views

    /// @notice Longest allowed base chain.
    /// @return The bound (16).
    // solhint-disable-next-line func-name-mixedcase
    function MAX_LINEAGE_DEPTH() external view returns (uint256);

    /// @notice The largest inference price per unit: 2^80 - 1 (about 1.2 million OPEN). The price
    /// shares a storage slot with the owner, the retired flag and the lineage depth, so that a
    /// payment reads a root model's terms in one storage read.
    /// @return The bound.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_PRICE_PER_UNIT() external view returns (uint256);

    /// @notice Most training inputs in one version.
    /// @return The bound (32).
    // solhint-disable-next-line func-name-mixedcase
    function MAX_TRAINING_INPUTS() external view returns (uint256);

    /// @notice The datanet registry whose versions and licences are checked.
    /// @return Its address.
    function datanetRegistry() external view returns (address);

    /// @notice Number of models registered (the latest id).
    /// @return The count.
    function modelCount() external view returns (uint256);

    /// @notice Whether a model id was registered.
    /// @param modelId The id.
    /// @return True if registered.
    function modelExists(uint256 modelId) external view returns (bool);

    /// @notice A model. Reverts `UnknownModel`.
    /// @return The stored record.
    function model(uint256 modelId) external view returns (Model memory);

    /// @notice A model version. Reverts `UnknownModel`, `UnknownModelVersion`.
    /// @param versionNumber The version (1-based).
    /// @return artifactHash Its artifact hash.
    /// @return trainingInputs Its training inputs, in registration order.
    function modelVersion(
        uint256 modelId,
        uint256 versionNumber
    ) external view returns (bytes32 artifactHash, TrainingInput[] memory trainingInputs);

    /// @notice The training inputs of a model version. Reverts as `modelVersion`.
    /// @return The inputs.
    function trainingInputs(
        uint256 modelId,
        uint256 versionNumber
    ) external view returns (TrainingInput[] memory);

    /// @notice The models trained on a datanet, each once, in the order they first used it.
    /// @return modelIds The model ids.
    function datanetModels(uint256 datanetId) external view returns (uint256[] memory modelIds);

    /// @notice The uses every datanet in a model's lineage allows (the model's own versions and
    /// its base chain's, at their registration). Reverts `UnknownModel`.
    /// @return The lineage licence bit set (`LicenceLib`).
    function lineageLicence(uint256 modelId) external view returns (uint16);

    /// @notice The base chain of a model: its base, the base's base, ... (empty without base).
    /// Reverts `UnknownModel`.
    /// @return baseModelIds The chain, nearest first; ids strictly decrease.
    function lineage(uint256 modelId) external view returns (uint256[] memory baseModelIds);
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IModelPaymentTerms} from "../interfaces/IModelPaymentTerms.sol";

/// @title MockModelRegistry
/// @notice Test stand-in for the model registry: payment terms set directly.
/// @dev Storage as the real registry packs it: {owner, price (80 bits), retired} in one slot and the
/// base model in a second one read only for a derivative, so a root model's `paymentTerms` costs
/// one cold storage read and a derivative's two.
contract MockModelRegistry is IModelPaymentTerms {
    struct Terms {
        address owner;
        uint80 pricePerUnit;
        bool retired;
        bool hasBase;
        uint256 baseModelId;
    }

    mapping(uint256 modelId => Terms) private _terms;

    /// @notice Registers or overwrites a model (owner must be non-zero for the model to exist).
    /// @param modelId The model.
    /// @param owner Its owner.
    /// @param baseModelId Its base model, 0 for none.
    /// @param pricePerUnit Its price per unit.
    function setModel(uint256 modelId, address owner, uint64 baseModelId, uint256 pricePerUnit) external {
        _terms[modelId] = Terms(owner, uint80(pricePerUnit), false, baseModelId != 0, baseModelId);
    }

    /// @notice Changes the owner.
    /// @param modelId The model.
    /// @param owner The new owner.
    function setOwner(uint256 modelId, address owner) external {
        _terms[modelId].owner = owner;
    }

    /// @notice Changes the base model.
    /// @param modelId The model.
    /// @param baseModelId The new base model.
    function setBase(uint256 modelId, uint64 baseModelId) external {
        _terms[modelId].hasBase = baseModelId != 0;
        _terms[modelId].baseModelId = baseModelId;
    }

    /// @notice Changes the price (truncated to 80 bits, as the real registry bounds it).
    /// @param modelId The model.
    /// @param pricePerUnit The new price.
    function setPrice(uint256 modelId, uint256 pricePerUnit) external {
        _terms[modelId].pricePerUnit = uint80(pricePerUnit);
    }

    /// @notice Retires or revives a model.
    /// @param modelId The model.
    /// @param retired The new flag.
    function setRetired(uint256 modelId, bool retired) external {
        _terms[modelId].retired = retired;
    }

    /// @inheritdoc IModelPaymentTerms
    function paymentTerms(
        uint256 modelId
    ) external view returns (address owner, uint256 baseModelId, uint256 pricePerUnit, bool retired) {
        Terms storage t = _terms[modelId];
        owner = t.owner;
        if (owner == address(0)) revert UnknownModel(modelId);
        pricePerUnit = t.pricePerUnit;
        retired = t.retired;
        if (t.hasBase) baseModelId = t.baseModelId;
    }
}

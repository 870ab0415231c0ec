// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title The part of the model registry that payments and attribution read
/// @notice Implemented by the ModelRegistry; read by the AttributionRegistry and the RewardDistributor.
interface IModelPaymentTerms {
    /// @notice No model has this id (ids start at 1; 0 means "no model").
    /// @param modelId The id asked for.
    error UnknownModel(uint256 modelId);

    /// @notice What a payment for inference of a model needs to know.
    /// @dev Reverts with `UnknownModel` for an id that was never registered.
    /// @return owner The current owner of the model, who receives the model-owner share.
    /// @return baseModelId The model it derives from, 0 for none (walk it for upstream royalties).
    /// @return pricePerUnit The inference price in OPEN (smallest unit) for one unit.
    /// @return retired True once the owner retired the model: no new payments.
    function paymentTerms(
        uint256 modelId
    ) external view returns (address owner, uint256 baseModelId, uint256 pricePerUnit, bool retired);
}

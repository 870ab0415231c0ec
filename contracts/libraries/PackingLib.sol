// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title PackingLib
/// @notice Bit layouts the model registry uses to keep its records small.
/// @dev Training inputs: three per 256-bit word, 80 bits each (datanetId in bits 0..31,
/// versionNumber in 32..63, weightBps in 64..79); the first word of a list carries the list length
/// in bits 240..255. Id lists: eight `uint32` per word; the first word carries the length in its
/// lowest lane, so a list of up to seven ids lives in one word.
library PackingLib {
    /// @notice Training inputs per word.
    uint256 internal constant INPUTS_PER_WORD = 3;
    /// @notice Bits per packed training input.
    uint256 internal constant INPUT_BITS = 80;
    /// @notice Bit offset of a training-input list's length in its first word.
    uint256 internal constant INPUT_COUNT_SHIFT = 240;
    /// @notice `uint32` lanes per word of an id list.
    uint256 internal constant IDS_PER_WORD = 8;

    /// @notice Packs one training input into its 80-bit lane value.
    /// @param versionNumber The datanet version.
    /// @return The packed value (fits in 80 bits).
    function packInput(
        uint32 datanetId,
        uint32 versionNumber,
        uint16 weightBps
    ) internal pure returns (uint256) {
        return uint256(datanetId) | (uint256(versionNumber) << 32) | (uint256(weightBps) << 64);
    }

    /// @notice Reads the training input in lane `lane` (0..2) of a word.
    /// @param word The storage word.
    /// @return datanetId The datanet.
    /// @return versionNumber The datanet version.
    /// @return weightBps The weight.
    function unpackInput(
        uint256 word,
        uint256 lane
    ) internal pure returns (uint32 datanetId, uint32 versionNumber, uint16 weightBps) {
        uint256 v = word >> (lane * INPUT_BITS);
        datanetId = uint32(v);
        versionNumber = uint32(v >> 32);
        weightBps = uint16(v >> 64);
    }

    /// @notice The length stored in the first word of a training-input list.
    /// @param firstWord The list's first word.
    /// @return The number of inputs.
    function inputCount(uint256 firstWord) internal pure returns (uint256) {
        return firstWord >> INPUT_COUNT_SHIFT;
    }

    /// @notice Where element `index` of an id list lives (lane 0 of word 0 holds the length).
    /// @param index The element's index.
    /// @return word The word index.
    /// @return shift The bit offset inside that word.
    function idPosition(uint256 index) internal pure returns (uint256 word, uint256 shift) {
        uint256 lane = index + 1;
        word = lane / IDS_PER_WORD;
        shift = (lane % IDS_PER_WORD) * 32;
    }
}

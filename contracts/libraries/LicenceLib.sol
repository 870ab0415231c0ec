// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title LicenceLib
/// @notice The machine-readable licence of a datanet and the declared uses of a model share one
/// bit set (`uint16`). A datanet's licence lists the uses it allows; a model declares the uses it
/// is built for, and a model may be trained on a datanet only if the licence allows every one of
/// them (`allows`). Bits 5..15 are reserved and must be zero.
library LicenceLib {
    /// @notice Bit 0: research and evaluation (non-commercial study, benchmarks, papers).
    uint16 internal constant RESEARCH = 1 << 0;
    /// @notice Bit 1: commercial inference (a model trained on the data may be served for money).
    uint16 internal constant COMMERCIAL_INFERENCE = 1 << 1;
    /// @notice Bit 2: fine-tuning (the data may be used to fine-tune an existing model).
    uint16 internal constant FINE_TUNING = 1 << 2;
    /// @notice Bit 3: redistribution (the model weights, or the data itself, may be redistributed).
    uint16 internal constant REDISTRIBUTION = 1 << 3;
    /// @notice Bit 4: derivatives (models derived from a model trained on the data may be built).
    uint16 internal constant DERIVATIVES = 1 << 4;
    /// @notice Every defined bit; any other bit is reserved.
    uint16 internal constant ALL_USES =
        RESEARCH | COMMERCIAL_INFERENCE | FINE_TUNING | REDISTRIBUTION | DERIVATIVES;

    /// @notice Whether `bits` uses only defined bits.
    /// @param bits A licence or a set of declared uses.
    /// @return True when no reserved bit is set.
    function isValid(uint16 bits) internal pure returns (bool) {
        return bits & ~ALL_USES == 0;
    }

    /// @notice Whether a licence allows every one of the required uses.
    /// @param licence The datanet's licence.
    /// @param requiredUses The uses a model declares.
    /// @return True when `requiredUses` is a subset of `licence`.
    function allows(uint16 licence, uint16 requiredUses) internal pure returns (bool) {
        return licence & requiredUses == requiredUses;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SettlementRecordLib} from "../../contracts/libraries/SettlementRecordLib.sol";
import {SortedProofLib} from "../../contracts/libraries/SortedProofLib.sol";

/// @notice SortedProofLib computes exactly what OpenZeppelin's MerkleProof computes, for every
/// proof length (the four-step loop and its remainder) and for equal sibling words; and the
/// settlement record packs and unpacks losslessly.
contract SortedProofLibTest is Test {
    /// @dev Calldata entry points: both libraries read the proof from calldata.
    function sorted(bytes32[] calldata proof, bytes32 leaf) external pure returns (bytes32) {
        return SortedProofLib.processProofCalldata(proof, leaf);
    }

    function openZeppelin(bytes32[] calldata proof, bytes32 leaf) external pure returns (bytes32) {
        return MerkleProof.processProofCalldata(proof, leaf);
    }

    function testFuzz_processProofCalldata_matchesOpenZeppelin(
        bytes32[] calldata proof,
        bytes32 leaf
    ) public view {
        assertEq(this.sorted(proof, leaf), this.openZeppelin(proof, leaf));
    }

    function testFuzz_processProofCalldata_everyLength(
        bytes32 seed,
        bytes32 leaf,
        uint256 lengthSeed
    ) public view {
        bytes32[] memory proof = new bytes32[](lengthSeed % 26);
        for (uint256 i = 0; i < proof.length; ++i) {
            proof[i] = keccak256(abi.encode(seed, i));
        }
        assertEq(this.sorted(proof, leaf), this.openZeppelin(proof, leaf));
    }

    function testFuzz_processProofCalldata_equalWords(bytes32 leaf, uint256 lengthSeed) public view {
        // Each sibling equals the hash computed so far: the sorted pair of two equal words.
        bytes32[] memory proof = new bytes32[](lengthSeed % 9);
        bytes32 computed = leaf;
        for (uint256 i = 0; i < proof.length; ++i) {
            proof[i] = computed;
            computed = keccak256(abi.encode(computed, computed));
        }
        assertEq(this.sorted(proof, leaf), computed);
        assertEq(this.openZeppelin(proof, leaf), computed);
    }

    function test_processProofCalldata_emptyProofIsTheLeaf() public view {
        assertEq(this.sorted(new bytes32[](0), bytes32(uint256(7))), bytes32(uint256(7)));
    }

    function testFuzz_settlementRecord_roundTrips(uint96 claimable, uint64 id, uint64 covered) public pure {
        uint256 record = SettlementRecordLib.pack(claimable, id, covered);
        assertEq(SettlementRecordLib.claimable(record), claimable, "claimable");
        assertEq(SettlementRecordLib.id(record), id, "id");
        assertEq(SettlementRecordLib.coveredThroughSeq(record), covered, "covered");
    }

    function testFuzz_settlementRecord_arithmeticTouchesClaimableOnly(
        uint96 claimable,
        uint64 id,
        uint64 covered,
        uint96 delta
    ) public pure {
        uint256 record = SettlementRecordLib.pack(claimable, id, covered);
        uint256 taken = record - (delta % (uint256(claimable) + 1));
        assertEq(SettlementRecordLib.id(taken), id, "id after a claim");
        assertEq(SettlementRecordLib.coveredThroughSeq(taken), covered, "covered after a claim");
        uint256 room = type(uint96).max - uint256(claimable);
        uint256 added = record + (delta % (room + 1));
        assertEq(SettlementRecordLib.id(added), id, "id after a finalisation");
        assertEq(SettlementRecordLib.coveredThroughSeq(added), covered, "covered after a finalisation");
    }
}

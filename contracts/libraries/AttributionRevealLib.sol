// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {IAttributionRegistry} from "../interfaces/IAttributionRegistry.sol";
import {LeafLib} from "./LeafLib.sol";

/// @title AttributionRevealLib
/// @notice The root and weight sum of an attribution tree revealed whole: every leaf, no other
/// node. Used to prove on-chain that a commitment's weights do not add up to its total.
/// @dev The root is rebuilt exactly as `MerkleProof.processMultiProof(proof = [], flags = all
/// true, leaves)` rebuilds it: a FIFO queue of the leaf hashes from which each step takes two nodes
/// and appends their commutative hash, until one node is left. The queue lives in one ring of n
/// words (each step takes two and adds one, so it never outgrows the leaves it started with): no
/// flags in calldata (32 bytes each) and no second array in memory, which raises the largest tree
/// one transaction can reveal. A fuzz test checks it against OpenZeppelin's `processMultiProof`.
/// Because the leaves are hashed here from (contributor, weight) (a double hash, never an inner
/// node) and no outside node enters, a match with the committed root means these leaves are the
/// whole tree (up to a keccak collision).
library AttributionRevealLib {
    /// @notice The root the leaves rebuild in multiproof order, and the sum of their weights.
    /// @param leaves Every leaf, in multiproof order (at least one).
    /// @return root The rebuilt root.
    /// @return weightSum The sum of the weights, each counted at most 2^128 (above any committed
    /// total, which is below 2^128), so that no sum of fewer than 2^128 leaves overflows.
    function rootAndSum(
        IAttributionRegistry.AttributionLeaf[] calldata leaves
    ) internal pure returns (bytes32 root, uint256 weightSum) {
        uint256 n = leaves.length;
        bytes32[] memory ring = new bytes32[](n);
        uint256 cap = uint256(type(uint128).max) + 1;
        for (uint256 i = 0; i < n; ++i) {
            uint256 w = leaves[i].weight;
            ring[i] = LeafLib.attributionLeaf(leaves[i].contributor, w);
            // unchecked: each term <= 2^128 and i < n < 2^128 (calldata), so the sum stays < 2^256.
            unchecked {
                weightSum += w < cap ? w : cap;
            }
        }
        root = rootOfQueue(ring);
    }

    /// @notice The root `MerkleProof.processMultiProof` computes from `nodes` with an empty proof
    /// and every flag true. Overwrites `nodes`.
    /// @param nodes The leaf hashes in multiproof order (at least one).
    /// @return The last node of the queue.
    function rootOfQueue(bytes32[] memory nodes) internal pure returns (bytes32) {
        uint256 n = nodes.length;
        uint256 head = 0; // next node to take
        uint256 tail = 0; // where the next hash goes (the ring is full at the start)
        // unchecked: head and tail stay below n; steps < n.
        unchecked {
            for (uint256 step = 1; step < n; ++step) {
                bytes32 a = nodes[head];
                head = head + 1 == n ? 0 : head + 1;
                bytes32 b = nodes[head];
                head = head + 1 == n ? 0 : head + 1;
                nodes[tail] = Hashes.commutativeKeccak256(a, b);
                tail = tail + 1 == n ? 0 : tail + 1;
            }
        }
        return nodes[head];
    }
}

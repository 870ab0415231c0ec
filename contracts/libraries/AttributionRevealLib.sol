// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAttributionRegistry} from "../interfaces/IAttributionRegistry.sol";

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
        // Each leaf is two calldata words (the ABI decoder checked that the n words fit the
        // calldata). The contributor word is hashed as given: one with dirty upper bits makes a leaf
        // no address has, so it can only match a root that holds that very leaf. The hashes use the
        // scratch space, as `LeafLib.attributionLeaf` does (a fuzz test checks both against
        // OpenZeppelin).
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let cap := shl(128, 1)
            let src := leaves.offset
            let dst := add(ring, 0x20)
            for {
                let end := add(src, shl(6, n))
            } lt(src, end) {
                src := add(src, 0x40)
                dst := add(dst, 0x20)
            } {
                let w := calldataload(add(src, 0x20))
                mstore(0x00, calldataload(src))
                mstore(0x20, w)
                mstore(0x00, keccak256(0x00, 0x40))
                mstore(dst, keccak256(0x00, 0x20))
                if gt(w, cap) {
                    w := cap
                }
                // No overflow: each term <= 2^128 and n < 2^64 (calldata).
                weightSum := add(weightSum, w)
            }
        }
        root = rootOfQueue(ring);
    }

    /// @notice The root `MerkleProof.processMultiProof` computes from `nodes` with an empty proof
    /// and every flag true. Overwrites `nodes`.
    /// @param nodes The leaf hashes in multiproof order (at least one).
    /// @return root The last node of the queue.
    function rootOfQueue(bytes32[] memory nodes) internal pure returns (bytes32 root) {
        // Byte offsets into the ring: `head` is the next node to take, `tail` where the next hash
        // goes (the ring is full at the start). Each step takes two nodes and appends their
        // commutative hash (`Hashes.commutativeKeccak256`: the smaller word first), in scratch space.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let base := add(nodes, 0x20)
            let n := mload(nodes)
            let size := shl(5, n)
            let head := 0
            let tail := 0
            for {
                let step := 1
            } lt(step, n) {
                step := add(step, 1)
            } {
                let a := mload(add(base, head))
                head := add(head, 0x20)
                if eq(head, size) {
                    head := 0
                }
                let b := mload(add(base, head))
                head := add(head, 0x20)
                if eq(head, size) {
                    head := 0
                }
                if gt(a, b) {
                    let t := a
                    a := b
                    b := t
                }
                mstore(0x00, a)
                mstore(0x20, b)
                mstore(add(base, tail), keccak256(0x00, 0x40))
                tail := add(tail, 0x20)
                if eq(tail, size) {
                    tail := 0
                }
            }
            root := mload(add(base, head))
        }
    }
}

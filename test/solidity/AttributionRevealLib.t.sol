// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IAttributionRegistry} from "../../contracts/interfaces/IAttributionRegistry.sol";
import {AttributionRevealLib} from "../../contracts/libraries/AttributionRevealLib.sol";
import {LeafLib} from "../../contracts/libraries/LeafLib.sol";

/// @notice AttributionRevealLib rebuilds exactly the root OpenZeppelin's multiproof rebuilds from
/// the same leaves with an empty proof and all-true flags, for every tree size; and its weight sum
/// never overflows, counting each weight at most 2^128.
contract AttributionRevealLibTest is Test {
    /// @dev Calldata entry point: the library reads the leaves from calldata.
    function rootAndSum(
        IAttributionRegistry.AttributionLeaf[] calldata leaves
    ) external pure returns (bytes32, uint256) {
        return AttributionRevealLib.rootAndSum(leaves);
    }

    function _openZeppelinRoot(bytes32[] memory hashes) internal pure returns (bytes32) {
        bool[] memory flags = new bool[](hashes.length - 1);
        for (uint256 i = 0; i < flags.length; ++i) flags[i] = true;
        return MerkleProof.processMultiProof(new bytes32[](0), flags, hashes);
    }

    function testFuzz_rootOfQueue_matchesOpenZeppelinMultiproof(bytes32 seed, uint256 sizeSeed) public pure {
        uint256 n = (sizeSeed % 70) + 1;
        bytes32[] memory nodes = new bytes32[](n);
        bytes32[] memory copy = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) {
            nodes[i] = keccak256(abi.encode(seed, i));
            copy[i] = nodes[i];
        }
        assertEq(AttributionRevealLib.rootOfQueue(nodes), _openZeppelinRoot(copy));
    }

    function testFuzz_rootAndSum_matchesOpenZeppelinAndSums(bytes32 seed, uint256 sizeSeed) public view {
        uint256 n = (sizeSeed % 40) + 1;
        IAttributionRegistry.AttributionLeaf[] memory leaves = new IAttributionRegistry.AttributionLeaf[](n);
        bytes32[] memory hashes = new bytes32[](n);
        uint256 sum;
        for (uint256 i = 0; i < n; ++i) {
            uint256 w = uint256(keccak256(abi.encode(seed, i, "w"))) % (1 << 100);
            address a = address(uint160(uint256(keccak256(abi.encode(seed, i)))));
            leaves[i] = IAttributionRegistry.AttributionLeaf(a, w);
            hashes[i] = LeafLib.attributionLeaf(a, w);
            sum += w;
        }
        (bytes32 root, uint256 weightSum) = this.rootAndSum(leaves);
        assertEq(root, _openZeppelinRoot(hashes));
        assertEq(weightSum, sum);
    }

    function test_rootAndSum_capsEachWeightAt2To128() public view {
        IAttributionRegistry.AttributionLeaf[] memory leaves = new IAttributionRegistry.AttributionLeaf[](3);
        leaves[0] = IAttributionRegistry.AttributionLeaf(address(1), type(uint256).max);
        leaves[1] = IAttributionRegistry.AttributionLeaf(address(2), type(uint256).max);
        leaves[2] = IAttributionRegistry.AttributionLeaf(address(3), 7);
        (, uint256 weightSum) = this.rootAndSum(leaves);
        assertEq(weightSum, 2 * (uint256(1) << 128) + 7);
    }
}

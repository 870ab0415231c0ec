// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {LeafLib} from "../../contracts/libraries/LeafLib.sol";

/// @notice LeafLib agrees with @openzeppelin/merkle-tree's StandardMerkleTree: the expected values
/// below were produced by `StandardMerkleTree.of(...).leafHash/root/getProof` (v1.0.8), not by LeafLib.
contract LeafLibTest is Test {
    address internal constant A = 0x00000000000000000000000000000000000000A1;
    address internal constant B = 0x00000000000000000000000000000000000000b2;
    address internal constant C = 0x00000000000000000000000000000000000000C3;
    bytes32 internal constant CONTRIBUTION =
        0x1111111111111111111111111111111111111111111111111111111111111111;
    bytes32 internal constant CONTENT = 0x2222222222222222222222222222222222222222222222222222222222222222;

    function test_versionLeaf_matchesStandardMerkleTree() public pure {
        assertEq(
            LeafLib.versionLeaf(CONTRIBUTION, A, CONTENT),
            0x04f1324df9c2ca0bd0facc0e8b4a63e0c6274224791f6b6a275513c6caae1660
        );
    }

    function test_attributionLeaf_matchesStandardMerkleTree() public pure {
        assertEq(
            LeafLib.attributionLeaf(A, 1000),
            0x446aacde39ee9c5120d6a1fb4f7e7c727bb9bc3f5b8531ea78bfc59916941c14
        );
    }

    function test_settlementLeaf_provesAgainstStandardMerkleTreeRoot() public pure {
        // Tree of [(A,1000), (B,2000), (C,3000)] as ["address","uint256"].
        bytes32 root = 0xb4f550a0d44936ffa698644487ceae48757295f8ef9586c6133fa24e2150c66f;
        bytes32[] memory proofA = new bytes32[](2);
        proofA[0] = 0x5a6b42a02645eec55d8259b51b90837d48d06c32260d184ba25d5d8a36b54d91;
        proofA[1] = 0xfb662361acddc0d5b40950cbaee3ef8273284009c0639262c26b8e9aef16cf31;
        assertTrue(MerkleProof.verify(proofA, root, LeafLib.settlementLeaf(A, 1000)));
        assertFalse(MerkleProof.verify(proofA, root, LeafLib.settlementLeaf(A, 1001)), "amount not bound");
        assertFalse(MerkleProof.verify(proofA, root, LeafLib.settlementLeaf(B, 1000)), "account not bound");
    }

    function testFuzz_twoWordLeaves_equalTheSolidityExpression(address account, uint256 amount) public pure {
        bytes32 expected = keccak256(bytes.concat(keccak256(abi.encode(account, amount))));
        assertEq(LeafLib.settlementLeaf(account, amount), expected, "settlement");
        assertEq(LeafLib.attributionLeaf(account, amount), expected, "attribution");
    }

    function testFuzz_twoWordLeaves_leaveMemoryAlone(address account, uint256 amount) public pure {
        bytes memory before = abi.encode(account, amount);
        uint256 freePointer;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            freePointer := mload(0x40)
        }
        LeafLib.settlementLeaf(account, amount);
        uint256 freePointerAfter;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            freePointerAfter := mload(0x40)
        }
        assertEq(freePointerAfter, freePointer, "free memory pointer");
        assertEq(before, abi.encode(account, amount), "allocated memory");
    }

    function testFuzz_leaves_bindEveryField(address account, uint256 amount, uint256 other) public pure {
        vm.assume(amount != other);
        assertNotEq(LeafLib.settlementLeaf(account, amount), LeafLib.settlementLeaf(account, other));
        assertNotEq(LeafLib.attributionLeaf(account, amount), LeafLib.attributionLeaf(account, other));
        // The double hash keeps a leaf from colliding with an inner node built from the same 64 bytes.
        assertNotEq(LeafLib.settlementLeaf(account, amount), keccak256(abi.encode(account, amount)));
    }
}

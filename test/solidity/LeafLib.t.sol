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
        // Tree of the linked leaves [(tag,0,0,A,0), (tag,A,1000,B,0), (tag,B,2000,C,1000),
        // (tag,C,3000,MAX,3000)] as ["bytes32","address","uint256","address","uint256"].
        bytes32 root = 0xbd86d41b940dfe52cc4a3c06d8221541daf051e33c1ddc431b0a5c74480f8824;
        bytes32[] memory proofA = new bytes32[](2);
        proofA[0] = 0x5a0854d8ee742a7731efbef189c5d416b886a3a90061d03e37fbb230667a216a;
        proofA[1] = 0xcfe22f54501649974103856a731237748803f7d89032adc6235b3e23a53e3d89;
        assertEq(
            LeafLib.settlementLeaf(A, 1000, B, 0),
            0x24790d0053bbf7c67bc58d178cadcc98d544d64954252eb3bb530b6ac5a27d56,
            "leaf"
        );
        assertTrue(MerkleProof.verify(proofA, root, LeafLib.settlementLeaf(A, 1000, B, 0)));
        assertFalse(
            MerkleProof.verify(proofA, root, LeafLib.settlementLeaf(A, 1001, B, 0)),
            "amount not bound"
        );
        assertFalse(
            MerkleProof.verify(proofA, root, LeafLib.settlementLeaf(B, 1000, B, 0)),
            "account not bound"
        );
        assertFalse(
            MerkleProof.verify(proofA, root, LeafLib.settlementLeaf(A, 1000, C, 0)),
            "link not bound"
        );
        assertFalse(
            MerkleProof.verify(proofA, root, LeafLib.settlementLeaf(A, 1000, B, 1)),
            "prefix not bound"
        );
    }

    function testFuzz_settlementLeaf_equalsTheSolidityExpression(
        address account,
        uint256 amount,
        address next,
        uint256 prefix
    ) public pure {
        bytes32 expected = keccak256(
            bytes.concat(keccak256(abi.encode(LeafLib.SETTLEMENT_LEAF_TAG, account, amount, next, prefix)))
        );
        assertEq(LeafLib.settlementLeaf(account, amount, next, prefix), expected);
        assertEq(LeafLib.SETTLEMENT_LEAF_TAG, keccak256("OpenLedger.settlementLeaf.v2"), "tag");
    }

    function testFuzz_twoWordLeaves_equalTheSolidityExpression(address account, uint256 amount) public pure {
        bytes32 expected = keccak256(bytes.concat(keccak256(abi.encode(account, amount))));
        assertEq(LeafLib.attributionLeaf(account, amount), expected, "attribution");
    }

    /// @notice Issue 13, finding 9: settlement and attribution leaves are in separate domains, so an
    /// attribution leaf (or a tree of them) never proves a settlement leaf.
    function testFuzz_settlementLeaf_neverEqualsAnAttributionLeaf(
        address account,
        uint256 amount,
        address next,
        uint256 prefix
    ) public pure {
        assertNotEq(
            LeafLib.settlementLeaf(account, amount, next, prefix),
            LeafLib.attributionLeaf(account, amount)
        );
    }

    function testFuzz_twoWordLeaves_leaveMemoryAlone(address account, uint256 amount) public pure {
        bytes memory before = abi.encode(account, amount);
        uint256 freePointer;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            freePointer := mload(0x40)
        }
        LeafLib.settlementLeaf(account, amount, account, amount);
        LeafLib.attributionLeaf(account, amount);
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
        assertNotEq(
            LeafLib.settlementLeaf(account, amount, account, 0),
            LeafLib.settlementLeaf(account, other, account, 0)
        );
        assertNotEq(LeafLib.attributionLeaf(account, amount), LeafLib.attributionLeaf(account, other));
        // The double hash keeps a leaf from colliding with an inner node built from the same 64 bytes.
        assertNotEq(LeafLib.attributionLeaf(account, amount), keccak256(abi.encode(account, amount)));
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/**
 * @title MerkleBatch
 * @notice One root anchors any number of 32-byte items (document hashes, sensor-reading hashes): the tree is
 * built off chain with OpenZeppelin's `StandardMerkleTree.of(items.map((item) => [item]), ["bytes32"])`
 * (`sdk/merkle.ts`), and a single item is proved on chain against the root.
 * @dev Leaves are double-hashed (`keccak256(keccak256(abi.encode(item)))`), as the standard tree does: a leaf can
 * never be confused with an inner node (a 64-byte preimage), so no inner node passes as an item. Pairs are hashed
 * sorted (OpenZeppelin's commutative hash): a proof is the list of siblings from the leaf up, in that order.
 */
library MerkleBatch {
    /// @dev The leaf of `item` in a standard tree of `bytes32` values.
    function leaf(bytes32 item) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(item))));
    }

    /// @dev Whether `proof` proves `item` is a leaf of the tree whose root is `root`.
    function contains(bytes32 root, bytes32 item, bytes32[] calldata proof) internal pure returns (bool) {
        return MerkleProof.verifyCalldata(proof, root, leaf(item));
    }

    /// @dev As `contains`, for a proof held in memory.
    function containsMemory(bytes32 root, bytes32 item, bytes32[] memory proof) internal pure returns (bool) {
        return MerkleProof.verify(proof, root, leaf(item));
    }
}

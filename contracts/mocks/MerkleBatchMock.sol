// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {MerkleBatch} from "../common/MerkleBatch.sol";

/// @dev Test double: exposes MerkleBatch's proofs from calldata and from memory.
contract MerkleBatchMock {
    function leaf(bytes32 item) external pure returns (bytes32) {
        return MerkleBatch.leaf(item);
    }

    function contains(bytes32 root, bytes32 item, bytes32[] calldata proof) external pure returns (bool) {
        return MerkleBatch.contains(root, item, proof);
    }

    function containsMemory(bytes32 root, bytes32 item, bytes32[] memory proof) external pure returns (bool) {
        return MerkleBatch.containsMemory(root, item, proof);
    }
}

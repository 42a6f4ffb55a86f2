// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {SignedOperations} from "../common/SignedOperations.sol";

/// @dev Test double: the smallest module offering one `...BySig` operation through {SignedOperations}.
contract SignedOperationsMock is SignedOperations {
    bytes32 public constant PING_TYPEHASH =
        keccak256("Ping(address signer,bytes32 payload,uint256 nonce,uint256 deadline)");

    event Pinged(address indexed signer, bytes32 payload);

    constructor(
        bool millisecondTimestamps,
        address sm2Verifier_
    ) SignedOperations("SignedOperationsMock", "1", millisecondTimestamps, sm2Verifier_) {}

    function pingBySig(address signer, bytes32 payload, uint256 deadline, bytes calldata signature) external {
        _requireSigned(signer, keccak256(abi.encode(PING_TYPEHASH, signer, payload, _useNonce(signer), deadline)), deadline, signature);
        emit Pinged(signer, payload);
    }

    function isValidSignature(address signer, bytes32 digest, bytes calldata signature) external view returns (bool) {
        return _isValidSignature(signer, digest, signature);
    }

    function now_() external view returns (uint256) {
        return _now();
    }
}

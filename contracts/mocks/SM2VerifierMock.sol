// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISM2Verifier} from "../interfaces/ISM2Verifier.sol";

/**
 * @dev Stand-in for a 国密 chain's SM2 precompile on the in-process chain (tests place its code at
 * 0x…100a). It speaks FISCO BCOS 3.x's ABI (`sm2Verify(bytes message, bytes r||s||publicKey)`) but checks a
 * secp256k1 signature over the same digest, deriving the account from the 64-byte public key (keccak where
 * the real node uses SM3): the tests exercise the seam's SM2 path (encoding, public-key handling, address
 * binding) without an SM2 implementation in Solidity.
 */
contract SM2VerifierMock is ISM2Verifier {
    function sm2Verify(
        bytes calldata message,
        bytes calldata signature
    ) external pure returns (bool valid, address account) {
        if (message.length != 32 || signature.length != 128) return (false, address(0));
        bytes32 digest = bytes32(message);
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        account = address(uint160(uint256(keccak256(signature[64:128]))));
        valid = ecrecover(digest, 27, r, s) == account || ecrecover(digest, 28, r, s) == account;
        if (!valid) account = address(0);
    }
}

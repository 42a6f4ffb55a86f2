// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISM2Verifier} from "../interfaces/ISM2Verifier.sol";

/**
 * @dev Stand-in for a 国密 chain's SM2 precompile on the in-process chain (tests place its code at
 * 0x…100a). It speaks the precompile's ABI but checks a secp256k1 signature over the same digest, deriving
 * the account from the 64-byte public key the same way: the tests exercise the seam's SM2 path (encoding,
 * public-key handling, address binding) without an SM2 implementation in Solidity.
 */
contract SM2VerifierMock is ISM2Verifier {
    function sm2Verify(
        bytes32 message,
        bytes calldata publicKey,
        bytes32 r,
        bytes32 s
    ) external pure returns (bool valid, address account) {
        require(publicKey.length == 64, "public key length");
        account = address(uint160(uint256(keccak256(publicKey))));
        valid = ecrecover(message, 27, r, s) == account || ecrecover(message, 28, r, s) == account;
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title ISM2Verifier
 * @notice The SM2 part of FISCO BCOS's crypto precompile (`0x000000000000000000000000000000000000100a`), the
 * interface trustbase's signature seam calls on 国密 (SM2/SM3) chains, where `ecrecover` does not apply.
 */
interface ISM2Verifier {
    /**
     * @notice Verifies an SM2 signature over `message`.
     * @param message The 32-byte digest that was signed.
     * @param publicKey The signer's uncompressed public key, 64 bytes (x || y).
     * @param r The signature's r.
     * @param s The signature's s.
     * @return valid Whether the signature is valid for `publicKey`.
     * @return account The account address derived from `publicKey`.
     */
    function sm2Verify(
        bytes32 message,
        bytes calldata publicKey,
        bytes32 r,
        bytes32 s
    ) external view returns (bool valid, address account);
}

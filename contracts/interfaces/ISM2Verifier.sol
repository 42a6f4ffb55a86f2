// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title ISM2Verifier
 * @notice The SM2 method of FISCO BCOS 3.x's crypto precompile (`0x000000000000000000000000000000000000100a`,
 * `CryptoPrecompiled`), which trustbase's signature seam calls on 国密 (SM2/SM3) chains, where `ecrecover`
 * does not apply. FISCO BCOS 2.x exposed `sm2Verify(bytes32,bytes,bytes32,bytes32)` instead; 3.x takes the
 * message and the signature as it travels in transactions.
 * @dev On a 国密 chain the node computes function selectors with SM3: contracts for such a chain must be built
 * with a compiler that does the same, so that this call and every external function dispatch agree.
 */
interface ISM2Verifier {
    /**
     * @notice Recovers the SM2 public key of `signature` over `message` and derives its account.
     * @param message The 32-byte digest that was signed.
     * @param signature `r || s || publicKey`: 32 + 32 + 64 bytes.
     * @return valid Whether a public key could be recovered and the signature verifies with it.
     * @return account The account address of that public key.
     */
    function sm2Verify(bytes calldata message, bytes calldata signature) external view returns (bool valid, address account);
}

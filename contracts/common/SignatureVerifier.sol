// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ISM2Verifier} from "../interfaces/ISM2Verifier.sol";

/**
 * @title SignatureVerifier
 * @notice The seam every signature in trustbase goes through.
 * @dev Three schemes, chosen per signer and per deployment:
 * - a signer with code is a contract account: ERC-1271 `isValidSignature` decides;
 * - otherwise, on mainnet-style chains (`sm2Precompile == address(0)`), secp256k1: a 65-byte `r || s || v`
 *   signature recovered with OpenZeppelin's ECDSA, which refuses malleable (high-s) signatures;
 * - otherwise, on 国密 chains, SM2: a 128-byte `r || s || publicKey` signature checked by the chain's crypto
 *   precompile, which also derives the signer's address from the public key.
 * The scheme is fixed at deployment (an immutable), so choosing it costs no storage read.
 *
 * OpenZeppelin 5.4's `SignatureChecker` pulls in `Bytes.sol`, which uses MCOPY and does not compile for
 * `paris`; the ERC-1271 call below is the same check it makes.
 */
abstract contract SignatureVerifier {
    /// @dev Address of the SM2 verifier (FISCO BCOS: 0x…100a); zero selects secp256k1.
    address private immutable _SM2_VERIFIER;

    /// @param sm2Verifier_ the chain's SM2 verifier precompile, or address(0) for secp256k1 chains.
    constructor(address sm2Verifier_) {
        _SM2_VERIFIER = sm2Verifier_;
    }

    /// @notice The SM2 verifier this deployment uses, or address(0) when it uses secp256k1.
    /// @return The verifier's address.
    function sm2Verifier() public view returns (address) {
        return _SM2_VERIFIER;
    }

    /**
     * @dev Whether `signature` over `digest` was made by `signer` under this deployment's scheme.
     * Never reverts on a malformed signature: it returns false, so callers revert with their own error.
     * The key-based scheme is tried first (as OpenZeppelin's SignatureChecker does): an EOA signer then costs
     * no extra account access; ERC-1271 is asked only when that fails and the signer has code.
     */
    function _isValidSignature(address signer, bytes32 digest, bytes memory signature) internal view returns (bool) {
        if (signer == address(0)) return false;
        if (_SM2_VERIFIER == address(0)) {
            (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecover(digest, signature);
            if (err == ECDSA.RecoverError.NoError && recovered == signer) return true;
        } else if (_isValidSM2Signature(signer, digest, signature)) {
            return true;
        }
        return signer.code.length != 0 && _isValidERC1271Signature(signer, digest, signature);
    }

    /// @dev `(v, r, s)` form of {_isValidSignature}, for ERC-1056's legacy signed functions.
    function _isValidSignature(
        address signer,
        bytes32 digest,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) internal view returns (bool) {
        if (signer == address(0)) return false;
        if (_SM2_VERIFIER != address(0)) return _isValidSignature(signer, digest, abi.encodePacked(r, s, v));
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecover(digest, v, r, s);
        if (err == ECDSA.RecoverError.NoError && recovered == signer) return true;
        // Recovery failed once: only a contract signer can still accept it.
        return signer.code.length != 0 && _isValidERC1271Signature(signer, digest, abi.encodePacked(r, s, v));
    }

    function _isValidERC1271Signature(
        address signer,
        bytes32 digest,
        bytes memory signature
    ) private view returns (bool) {
        (bool success, bytes memory result) = signer.staticcall(
            abi.encodeCall(IERC1271.isValidSignature, (digest, signature))
        );
        return success && result.length >= 32 && abi.decode(result, (bytes32)) == bytes32(IERC1271.isValidSignature.selector);
    }

    function _isValidSM2Signature(address signer, bytes32 digest, bytes memory signature) private view returns (bool) {
        if (signature.length != 128) return false;
        // A low-level call: a missing precompile or a malformed answer must mean "invalid", not a revert.
        (bool success, bytes memory result) = _SM2_VERIFIER.staticcall(
            abi.encodeCall(ISM2Verifier.sm2Verify, (abi.encodePacked(digest), signature))
        );
        if (!success || result.length != 64) return false;
        (uint256 valid, uint256 account) = abi.decode(result, (uint256, uint256));
        return valid == 1 && account == uint256(uint160(signer));
    }
}

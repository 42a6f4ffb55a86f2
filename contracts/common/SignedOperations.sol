// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";
import {SignatureVerifier} from "./SignatureVerifier.sol";
import {TimeSource} from "./TimeSource.sol";

/**
 * @title SignedOperations
 * @notice Base for contracts that accept EIP-712 signed operations relayed by someone else (`...BySig`).
 * @dev A signed operation is bound to the chain id and this contract (EIP-712 domain), to the signer's next
 * nonce (no replay) and to a deadline in seconds of the common {TimeSource}. A module offers one with a
 * single line, the struct hash consuming the signer's nonce:
 *
 * ```solidity
 * _requireSigned(signer, keccak256(abi.encode(TYPEHASH, a, b, _useNonce(signer), deadline)), deadline, sig);
 * ```
 *
 * The domain's name and version hashes are immutables (OpenZeppelin {EIP712}); behind a proxy the domain
 * separator is rebuilt for the proxy's address, so it costs no storage read either. Nonces live in ERC-7201
 * namespaced storage ({NoncesUpgradeable}), safe in proxied and immutable contracts alike. Signatures go
 * through the {SignatureVerifier} seam (secp256k1, ERC-1271 or SM2).
 */
abstract contract SignedOperations is EIP712, NoncesUpgradeable, TimeSource, SignatureVerifier {
    /// @notice The signed operation's deadline has passed.
    /// @param deadline The deadline the signer set, in seconds.
    /// @param currentTime The time of the block, in seconds.
    error SignatureExpired(uint256 deadline, uint256 currentTime);

    /// @notice The signature was not made by the account that must authorise the operation.
    /// @param signer The account whose signature was expected.
    error InvalidSignature(address signer);

    /**
     * @param name EIP-712 domain name (keep it under 32 bytes: it is then held in the bytecode only).
     * @param version EIP-712 domain version.
     * @param millisecondTimestamps See {TimeSource}.
     * @param sm2Verifier_ See {SignatureVerifier}.
     */
    constructor(
        string memory name,
        string memory version,
        bool millisecondTimestamps,
        address sm2Verifier_
    ) EIP712(name, version) TimeSource(millisecondTimestamps) SignatureVerifier(sm2Verifier_) {}

    /**
     * @dev Reverts unless `deadline` has not passed and `signature` is `signer`'s over the EIP-712 digest of
     * `structHash`. The struct hash must include the nonce taken with {_useNonce}.
     */
    function _requireSigned(
        address signer,
        bytes32 structHash,
        uint256 deadline,
        bytes memory signature
    ) internal view {
        uint256 currentTime = _now();
        if (currentTime > deadline) revert SignatureExpired(deadline, currentTime);
        if (!_isValidSignature(signer, _hashTypedDataV4(structHash), signature)) revert InvalidSignature(signer);
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {SignedOperations} from "../common/SignedOperations.sol";
import {IDIDRegistry} from "../interfaces/IDIDRegistry.sol";

/**
 * @title DIDRegistry
 * @notice The identity root of trustbase: an ERC-1056 (did:ethr) registry with enforced deactivation,
 * guardian recovery, batches and EIP-712 signed operations. Immutable and without admin: nobody but an
 * identity's owner (or its guardians, after the delay the identity chose) can change it.
 * @dev Storage differs from the ERC-1056 reference where that saves gas without changing the ABI: an
 * identity's owner, last-change block and deactivation flag share one slot, so an owner change or attribute
 * write touches one slot instead of two. `owners` and `changed` are therefore functions, not mappings.
 * ERC-1056 signatures and EIP-712 signatures share the `nonce` counter of the signing owner, so a signature of
 * either kind can be used once. Delegate expiries are in seconds of the common {TimeSource}.
 */
contract DIDRegistry is IDIDRegistry, SignedOperations {
    /// @dev One slot: 20 + 8 + 1 bytes.
    struct Identity {
        address owner;
        uint64 changed;
        bool deactivated;
    }

    /// @dev Guardian recovery settings; `nonce` invalidates gathered signatures when the set changes or a
    /// recovery starts.
    struct Guardianship {
        uint8 threshold;
        uint32 delay;
        uint64 nonce;
        address[] guardians;
    }

    /// @dev One slot: 20 + 8 bytes.
    struct Recovery {
        address newOwner;
        uint64 executableAt;
    }

    /// @notice Most guardians an identity may name.
    uint256 public constant MAX_GUARDIANS = 16;

    /// @notice Shortest recovery delay an identity may choose, so its owner always has time to cancel.
    uint32 public constant MIN_RECOVERY_DELAY = 1 hours;

    bytes32 private constant CHANGE_OWNER_TYPEHASH =
        keccak256("ChangeOwner(address identity,address newOwner,uint256 nonce,uint256 deadline)");
    bytes32 private constant ADD_DELEGATE_TYPEHASH =
        keccak256(
            "AddDelegate(address identity,bytes32 delegateType,address delegate,uint256 validity,uint256 nonce,uint256 deadline)"
        );
    bytes32 private constant REVOKE_DELEGATE_TYPEHASH =
        keccak256(
            "RevokeDelegate(address identity,bytes32 delegateType,address delegate,uint256 nonce,uint256 deadline)"
        );
    bytes32 private constant SET_ATTRIBUTE_TYPEHASH =
        keccak256(
            "SetAttribute(address identity,bytes32 name,bytes value,uint256 validity,uint256 nonce,uint256 deadline)"
        );
    bytes32 private constant REVOKE_ATTRIBUTE_TYPEHASH =
        keccak256("RevokeAttribute(address identity,bytes32 name,bytes value,uint256 nonce,uint256 deadline)");
    bytes32 private constant CHANGE_TYPEHASH =
        keccak256("Change(uint8 kind,bytes32 name,address account,uint256 validity,bytes value)");
    bytes32 private constant CHANGE_BATCH_TYPEHASH =
        keccak256(
            "ChangeBatch(address identity,Change[] changes,uint256 nonce,uint256 deadline)Change(uint8 kind,bytes32 name,address account,uint256 validity,bytes value)"
        );
    bytes32 private constant DEACTIVATE_TYPEHASH =
        keccak256("Deactivate(address identity,uint256 nonce,uint256 deadline)");
    bytes32 private constant RECOVER_TYPEHASH =
        keccak256("Recover(address identity,address newOwner,uint256 nonce,uint256 deadline)");

    mapping(address identity => Identity) private _identities;

    /// @inheritdoc IDIDRegistry
    mapping(address identity => mapping(bytes32 delegateTypeHash => mapping(address delegate => uint256 validTo)))
        public delegates;

    /// @inheritdoc IDIDRegistry
    mapping(address signer => uint256) public nonce;

    mapping(address identity => Guardianship) private _guardianships;
    mapping(address identity => Recovery) private _recoveries;

    /**
     * @param millisecondTimestamps true on chains whose `block.timestamp` counts milliseconds.
     * @param sm2Verifier_ the chain's SM2 verifier on 国密 chains, address(0) for secp256k1.
     */
    constructor(
        bool millisecondTimestamps,
        address sm2Verifier_
    ) SignedOperations("trustbase DIDRegistry", "1", millisecondTimestamps, sm2Verifier_) {}

    // ───────────────────────────── ERC-1056 views ─────────────────────────────

    /// @inheritdoc IDIDRegistry
    function owners(address identity) external view returns (address) {
        return _identities[identity].owner;
    }

    /// @inheritdoc IDIDRegistry
    function changed(address identity) external view returns (uint256) {
        return _identities[identity].changed;
    }

    /// @inheritdoc IDIDRegistry
    function identityOwner(address identity) public view returns (address) {
        Identity memory id = _identities[identity];
        if (id.deactivated) return address(0);
        return id.owner == address(0) ? identity : id.owner;
    }

    /// @inheritdoc IDIDRegistry
    function validDelegate(address identity, bytes32 delegateType, address delegate) public view returns (bool) {
        if (_identities[identity].deactivated) return false;
        return delegates[identity][keccak256(abi.encode(delegateType))][delegate] > _now();
    }

    // ───────────────────────────── ERC-1056 changes ─────────────────────────────

    /// @inheritdoc IDIDRegistry
    function changeOwner(address identity, address newOwner) external {
        _changeOwner(identity, _authorize(identity, msg.sender), newOwner);
    }

    /// @inheritdoc IDIDRegistry
    function changeOwnerSigned(address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, address newOwner) external {
        address owner = _requireOwner(identity);
        bytes32 hash = keccak256(
            abi.encodePacked(bytes1(0x19), bytes1(0), this, nonce[owner], identity, "changeOwner", newOwner)
        );
        _changeOwner(identity, _checkLegacySignature(identity, owner, hash, sigV, sigR, sigS), newOwner);
    }

    /// @inheritdoc IDIDRegistry
    function addDelegate(address identity, bytes32 delegateType, address delegate, uint256 validity) external {
        _addDelegate(identity, _authorize(identity, msg.sender), delegateType, delegate, validity);
    }

    /// @inheritdoc IDIDRegistry
    function addDelegateSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 delegateType,
        address delegate,
        uint256 validity
    ) external {
        address owner = _requireOwner(identity);
        bytes32 hash = keccak256(
            abi.encodePacked(
                bytes1(0x19),
                bytes1(0),
                this,
                nonce[owner],
                identity,
                "addDelegate",
                delegateType,
                delegate,
                validity
            )
        );
        _addDelegate(identity, _checkLegacySignature(identity, owner, hash, sigV, sigR, sigS), delegateType, delegate, validity);
    }

    /// @inheritdoc IDIDRegistry
    function revokeDelegate(address identity, bytes32 delegateType, address delegate) external {
        _revokeDelegate(identity, _authorize(identity, msg.sender), delegateType, delegate);
    }

    /// @inheritdoc IDIDRegistry
    function revokeDelegateSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 delegateType,
        address delegate
    ) external {
        address owner = _requireOwner(identity);
        bytes32 hash = keccak256(
            abi.encodePacked(
                bytes1(0x19),
                bytes1(0),
                this,
                nonce[owner],
                identity,
                "revokeDelegate",
                delegateType,
                delegate
            )
        );
        _revokeDelegate(identity, _checkLegacySignature(identity, owner, hash, sigV, sigR, sigS), delegateType, delegate);
    }

    /// @inheritdoc IDIDRegistry
    function setAttribute(address identity, bytes32 name, bytes calldata value, uint256 validity) external {
        _setAttribute(identity, _authorize(identity, msg.sender), name, value, validity);
    }

    /// @inheritdoc IDIDRegistry
    function setAttributeSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 name,
        bytes calldata value,
        uint256 validity
    ) external {
        address owner = _requireOwner(identity);
        bytes32 hash = keccak256(
            abi.encodePacked(
                bytes1(0x19),
                bytes1(0),
                this,
                nonce[owner],
                identity,
                "setAttribute",
                name,
                value,
                validity
            )
        );
        _setAttribute(identity, _checkLegacySignature(identity, owner, hash, sigV, sigR, sigS), name, value, validity);
    }

    /// @inheritdoc IDIDRegistry
    function revokeAttribute(address identity, bytes32 name, bytes calldata value) external {
        _revokeAttribute(identity, _authorize(identity, msg.sender), name, value);
    }

    /// @inheritdoc IDIDRegistry
    function revokeAttributeSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 name,
        bytes calldata value
    ) external {
        address owner = _requireOwner(identity);
        bytes32 hash = keccak256(
            abi.encodePacked(bytes1(0x19), bytes1(0), this, nonce[owner], identity, "revokeAttribute", name, value)
        );
        _revokeAttribute(identity, _checkLegacySignature(identity, owner, hash, sigV, sigR, sigS), name, value);
    }

    // ───────────────────────────── EIP-712 signed variants ─────────────────────────────

    /// @inheritdoc IDIDRegistry
    function changeOwnerBySig(
        address identity,
        address newOwner,
        uint256 deadline,
        bytes calldata signature
    ) external {
        address owner = _requireOwner(identity);
        _requireSigned(
            owner,
            keccak256(abi.encode(CHANGE_OWNER_TYPEHASH, identity, newOwner, _useNonce(owner), deadline)),
            deadline,
            signature
        );
        _changeOwner(identity, _identities[identity], newOwner);
    }

    /// @inheritdoc IDIDRegistry
    function addDelegateBySig(
        address identity,
        bytes32 delegateType,
        address delegate,
        uint256 validity,
        uint256 deadline,
        bytes calldata signature
    ) external {
        address owner = _requireOwner(identity);
        _requireSigned(
            owner,
            keccak256(
                abi.encode(
                    ADD_DELEGATE_TYPEHASH,
                    identity,
                    delegateType,
                    delegate,
                    validity,
                    _useNonce(owner),
                    deadline
                )
            ),
            deadline,
            signature
        );
        _addDelegate(identity, _identities[identity], delegateType, delegate, validity);
    }

    /// @inheritdoc IDIDRegistry
    function revokeDelegateBySig(
        address identity,
        bytes32 delegateType,
        address delegate,
        uint256 deadline,
        bytes calldata signature
    ) external {
        address owner = _requireOwner(identity);
        _requireSigned(
            owner,
            keccak256(
                abi.encode(REVOKE_DELEGATE_TYPEHASH, identity, delegateType, delegate, _useNonce(owner), deadline)
            ),
            deadline,
            signature
        );
        _revokeDelegate(identity, _identities[identity], delegateType, delegate);
    }

    /// @inheritdoc IDIDRegistry
    function setAttributeBySig(
        address identity,
        bytes32 name,
        bytes calldata value,
        uint256 validity,
        uint256 deadline,
        bytes calldata signature
    ) external {
        address owner = _requireOwner(identity);
        _requireSigned(
            owner,
            keccak256(
                abi.encode(
                    SET_ATTRIBUTE_TYPEHASH,
                    identity,
                    name,
                    keccak256(value),
                    validity,
                    _useNonce(owner),
                    deadline
                )
            ),
            deadline,
            signature
        );
        _setAttribute(identity, _identities[identity], name, value, validity);
    }

    /// @inheritdoc IDIDRegistry
    function revokeAttributeBySig(
        address identity,
        bytes32 name,
        bytes calldata value,
        uint256 deadline,
        bytes calldata signature
    ) external {
        address owner = _requireOwner(identity);
        _requireSigned(
            owner,
            keccak256(
                abi.encode(REVOKE_ATTRIBUTE_TYPEHASH, identity, name, keccak256(value), _useNonce(owner), deadline)
            ),
            deadline,
            signature
        );
        _revokeAttribute(identity, _identities[identity], name, value);
    }

    // ───────────────────────────── Batches and deactivation ─────────────────────────────

    /// @inheritdoc IDIDRegistry
    function changeBatch(address identity, Change[] calldata changes) external {
        _applyBatch(identity, _authorize(identity, msg.sender), changes);
    }

    /// @inheritdoc IDIDRegistry
    function changeBatchBySig(
        address identity,
        Change[] calldata changes,
        uint256 deadline,
        bytes calldata signature
    ) external {
        address owner = _requireOwner(identity);
        bytes32[] memory hashes = new bytes32[](changes.length);
        for (uint256 i = 0; i < changes.length; ++i) {
            Change calldata c = changes[i];
            hashes[i] = keccak256(
                abi.encode(CHANGE_TYPEHASH, c.kind, c.name, c.account, c.validity, keccak256(c.value))
            );
        }
        _requireSigned(
            owner,
            keccak256(
                abi.encode(
                    CHANGE_BATCH_TYPEHASH,
                    identity,
                    keccak256(abi.encodePacked(hashes)),
                    _useNonce(owner),
                    deadline
                )
            ),
            deadline,
            signature
        );
        _applyBatch(identity, _identities[identity], changes);
    }

    /// @inheritdoc IDIDRegistry
    function deactivate(address identity) external {
        _changeOwner(identity, _authorize(identity, msg.sender), address(0));
    }

    /// @inheritdoc IDIDRegistry
    function deactivateBySig(address identity, uint256 deadline, bytes calldata signature) external {
        address owner = _requireOwner(identity);
        _requireSigned(
            owner,
            keccak256(abi.encode(DEACTIVATE_TYPEHASH, identity, _useNonce(owner), deadline)),
            deadline,
            signature
        );
        _changeOwner(identity, _identities[identity], address(0));
    }

    // ───────────────────────────── Guardian recovery ─────────────────────────────

    /// @inheritdoc IDIDRegistry
    function setGuardians(
        address identity,
        address[] calldata guardians,
        uint8 threshold,
        uint32 delay
    ) external {
        _authorize(identity, msg.sender); // the caller is now known to be the owner
        uint256 count = guardians.length;
        if (count > MAX_GUARDIANS || threshold > count || (count != 0 && threshold == 0) || (count == 0 && threshold != 0)) {
            revert DIDInvalidGuardians(count, threshold);
        }
        if (count != 0 && delay < MIN_RECOVERY_DELAY) revert DIDRecoveryDelayTooShort(delay, MIN_RECOVERY_DELAY);
        for (uint256 i = 0; i < count; ++i) {
            address guardian = guardians[i];
            if (guardian == address(0) || guardian == msg.sender) revert DIDInvalidGuardian(guardian);
            for (uint256 j = 0; j < i; ++j) {
                if (guardians[j] == guardian) revert DIDInvalidGuardian(guardian);
            }
        }
        Guardianship storage g = _guardianships[identity];
        g.threshold = threshold;
        g.delay = delay;
        ++g.nonce;
        g.guardians = guardians;
        _cancelPendingRecovery(identity);
        emit DIDGuardiansChanged(identity, guardians, threshold, delay);
    }

    /// @inheritdoc IDIDRegistry
    function initiateRecovery(
        address identity,
        address newOwner,
        uint256 deadline,
        address[] calldata signers,
        bytes[] calldata signatures
    ) external {
        _requireOwner(identity);
        if (newOwner == address(0)) revert DIDRecoveryInvalidOwner(newOwner);
        Guardianship storage g = _guardianships[identity];
        uint8 threshold = g.threshold;
        if (threshold == 0) revert DIDRecoveryNotConfigured(identity);
        Recovery storage pending = _recoveries[identity];
        if (pending.newOwner != address(0)) revert DIDRecoveryPending(identity, pending.executableAt);
        if (signers.length != signatures.length) revert DIDRecoveryLengthMismatch(signers.length, signatures.length);
        if (signers.length < threshold) revert DIDRecoveryBelowThreshold(identity, signers.length, threshold);
        {
            uint256 currentTime = _now();
            if (currentTime > deadline) revert SignatureExpired(deadline, currentTime);
        }
        _checkGuardianSignatures(
            identity,
            _hashTypedDataV4(keccak256(abi.encode(RECOVER_TYPEHASH, identity, newOwner, g.nonce, deadline))),
            g.guardians,
            signers,
            signatures
        );
        ++g.nonce;
        uint64 executableAt = uint64(_now() + g.delay);
        _recoveries[identity] = Recovery(newOwner, executableAt);
        emit DIDRecoveryInitiated(identity, newOwner, executableAt);
    }

    /// @inheritdoc IDIDRegistry
    function cancelRecovery(address identity) external {
        _authorize(identity, msg.sender);
        if (_recoveries[identity].newOwner == address(0)) revert DIDRecoveryNotPending(identity);
        _cancelPendingRecovery(identity);
    }

    /// @inheritdoc IDIDRegistry
    function executeRecovery(address identity) external {
        _requireOwner(identity);
        Recovery memory pending = _recoveries[identity];
        if (pending.newOwner == address(0)) revert DIDRecoveryNotPending(identity);
        uint256 currentTime = _now();
        if (currentTime < pending.executableAt) {
            revert DIDRecoveryNotReady(identity, pending.executableAt, currentTime);
        }
        delete _recoveries[identity];
        _changeOwner(identity, _identities[identity], pending.newOwner);
        emit DIDRecoveryExecuted(identity, pending.newOwner);
    }

    // ───────────────────────────── Extension views ─────────────────────────────

    /// @inheritdoc IDIDRegistry
    function isController(address identity, address actor, bytes32 delegateType) external view returns (bool) {
        // Every gated call of every module asks this, most often for the owner itself: the owner's answer is
        // read from the identity's slot word (owner in bits 0-159, deactivated in 224-231, see {Identity}) and
        // returned at once, ~350 gas less than copying the struct to memory and returning through the ABI encoder.
        Identity storage id = _identities[identity];
        assembly ("memory-safe") {
            let word := sload(id.slot)
            if and(shr(224, word), 0xff) {
                mstore(0x00, 0)
                return(0x00, 0x20)
            }
            let owner := and(word, 0xffffffffffffffffffffffffffffffffffffffff)
            if iszero(owner) {
                owner := identity
            }
            if eq(owner, actor) {
                mstore(0x00, 1)
                return(0x00, 0x20)
            }
        }
        return
            delegateType != bytes32(0) &&
            delegates[identity][keccak256(abi.encode(delegateType))][actor] > _now();
    }

    /// @inheritdoc IDIDRegistry
    function isDeactivated(address identity) external view returns (bool) {
        return _identities[identity].deactivated;
    }

    /// @inheritdoc IDIDRegistry
    function guardiansOf(
        address identity
    ) external view returns (address[] memory guardians, uint8 threshold, uint32 delay, uint64 recoveryNonce) {
        Guardianship storage g = _guardianships[identity];
        return (g.guardians, g.threshold, g.delay, g.nonce);
    }

    /// @inheritdoc IDIDRegistry
    function pendingRecovery(address identity) external view returns (address newOwner, uint64 executableAt) {
        Recovery memory pending = _recoveries[identity];
        return (pending.newOwner, pending.executableAt);
    }

    /// @notice Next nonce of `signer`; the same counter as ERC-1056's {nonce}.
    function nonces(address signer) public view override returns (uint256) {
        return nonce[signer];
    }

    // ───────────────────────────── Internals ─────────────────────────────

    function _useNonce(address signer) internal override returns (uint256) {
        unchecked {
            return nonce[signer]++;
        }
    }

    /// @dev The identity's record, after checking `actor` is its owner and it is active.
    function _authorize(address identity, address actor) private view returns (Identity storage id) {
        id = _identities[identity];
        if (id.deactivated) revert DIDIsDeactivated(identity);
        address owner = id.owner == address(0) ? identity : id.owner;
        if (actor != owner) revert DIDUnauthorized(identity, actor);
    }

    /// @dev The owner of an active identity (reverts for a deactivated one).
    function _requireOwner(address identity) private view returns (address owner) {
        Identity storage id = _identities[identity];
        if (id.deactivated) revert DIDIsDeactivated(identity);
        owner = id.owner;
        if (owner == address(0)) owner = identity;
    }

    /// @dev Checks an ERC-1056 signature of `owner` and consumes its nonce.
    function _checkLegacySignature(
        address identity,
        address owner,
        bytes32 hash,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) private returns (Identity storage) {
        // The hash committed to nonce[owner]; consume it.
        if (!_isValidSignature(owner, hash, v, r, s)) revert InvalidSignature(owner);
        unchecked {
            ++nonce[owner];
        }
        return _identities[identity];
    }

    function _changeOwner(address identity, Identity storage id, address newOwner) private {
        uint256 previousChange = id.changed;
        if (newOwner == address(0)) {
            id.owner = address(0);
            id.deactivated = true;
            _cancelPendingRecovery(identity);
            emit DIDDeactivated(identity);
        } else {
            id.owner = newOwner;
        }
        id.changed = uint64(block.number);
        emit DIDOwnerChanged(identity, newOwner, previousChange);
    }

    function _addDelegate(
        address identity,
        Identity storage id,
        bytes32 delegateType,
        address delegate,
        uint256 validity
    ) private {
        uint256 validTo = _now() + validity;
        delegates[identity][keccak256(abi.encode(delegateType))][delegate] = validTo;
        emit DIDDelegateChanged(identity, delegateType, delegate, validTo, id.changed);
        id.changed = uint64(block.number);
    }

    function _revokeDelegate(address identity, Identity storage id, bytes32 delegateType, address delegate) private {
        uint256 currentTime = _now();
        delegates[identity][keccak256(abi.encode(delegateType))][delegate] = currentTime;
        emit DIDDelegateChanged(identity, delegateType, delegate, currentTime, id.changed);
        id.changed = uint64(block.number);
    }

    function _setAttribute(
        address identity,
        Identity storage id,
        bytes32 name,
        bytes calldata value,
        uint256 validity
    ) private {
        emit DIDAttributeChanged(identity, name, value, _now() + validity, id.changed);
        id.changed = uint64(block.number);
    }

    function _revokeAttribute(address identity, Identity storage id, bytes32 name, bytes calldata value) private {
        emit DIDAttributeChanged(identity, name, value, 0, id.changed);
        id.changed = uint64(block.number);
    }

    function _applyBatch(address identity, Identity storage id, Change[] calldata changes) private {
        uint256 count = changes.length;
        if (count == 0) revert DIDEmptyBatch();
        for (uint256 i = 0; i < count; ++i) {
            Change calldata c = changes[i];
            // After a deactivation nothing else of the batch may apply.
            if (id.deactivated) revert DIDIsDeactivated(identity);
            ChangeKind kind = c.kind;
            if (kind == ChangeKind.ChangeOwner) {
                if (c.name != 0 || c.validity != 0 || c.value.length != 0) revert DIDMalformedChange(i);
                _changeOwner(identity, id, c.account);
            } else if (kind == ChangeKind.AddDelegate) {
                if (c.value.length != 0) revert DIDMalformedChange(i);
                _addDelegate(identity, id, c.name, c.account, c.validity);
            } else if (kind == ChangeKind.RevokeDelegate) {
                if (c.validity != 0 || c.value.length != 0) revert DIDMalformedChange(i);
                _revokeDelegate(identity, id, c.name, c.account);
            } else if (kind == ChangeKind.SetAttribute) {
                if (c.account != address(0)) revert DIDMalformedChange(i);
                _setAttribute(identity, id, c.name, c.value, c.validity);
            } else {
                if (c.account != address(0) || c.validity != 0) revert DIDMalformedChange(i);
                _revokeAttribute(identity, id, c.name, c.value);
            }
        }
    }

    function _cancelPendingRecovery(address identity) private {
        address pendingOwner = _recoveries[identity].newOwner;
        if (pendingOwner != address(0)) {
            delete _recoveries[identity];
            emit DIDRecoveryCancelled(identity, pendingOwner);
        }
    }

    /// @dev Reverts unless every signer is a distinct guardian (strictly increasing order) and signed `digest`.
    function _checkGuardianSignatures(
        address identity,
        bytes32 digest,
        address[] storage guardianSet,
        address[] calldata signers,
        bytes[] calldata signatures
    ) private view {
        address[] memory guardians = guardianSet;
        address previous;
        for (uint256 i = 0; i < signers.length; ++i) {
            address signer = signers[i];
            if (signer <= previous || !_contains(guardians, signer)) revert DIDRecoveryInvalidSigner(identity, signer);
            if (!_isValidSignature(signer, digest, signatures[i])) revert InvalidSignature(signer);
            previous = signer;
        }
    }

    function _contains(address[] memory accounts, address account) private pure returns (bool) {
        for (uint256 i = 0; i < accounts.length; ++i) {
            if (accounts[i] == account) return true;
        }
        return false;
    }
}

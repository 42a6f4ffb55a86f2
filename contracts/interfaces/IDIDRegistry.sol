// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title IDIDRegistry
 * @notice did:ethr identity registry: the ERC-1056 interface unchanged (functions, public getters, events and
 * their `previousChange` fields, legacy `...Signed` variants and their signing format), plus what ERC-1056
 * lacks: EIP-712 signed variants with deadlines, enforced deactivation, guardian recovery, batches and
 * state views. An identity is an address; its DID is `did:ethr:<chainId>:<address>`.
 */
interface IDIDRegistry {
    // ───────────────────────────── ERC-1056 ─────────────────────────────

    /// @notice ERC-1056: `identity`'s owner is now `owner` (address(0): deactivated).
    event DIDOwnerChanged(address indexed identity, address owner, uint256 previousChange);

    /// @notice ERC-1056: `delegate` is a delegate of `delegateType` for `identity` until `validTo`.
    event DIDDelegateChanged(
        address indexed identity,
        bytes32 delegateType,
        address delegate,
        uint256 validTo,
        uint256 previousChange
    );

    /// @notice ERC-1056: attribute `name` = `value` of `identity` valid until `validTo` (0: revoked).
    event DIDAttributeChanged(
        address indexed identity,
        bytes32 name,
        bytes value,
        uint256 validTo,
        uint256 previousChange
    );

    /// @notice ERC-1056 getter: the owner set for `identity`, or address(0) if never set or deactivated.
    function owners(address identity) external view returns (address);

    /// @notice ERC-1056 getter: expiry (seconds) of `delegate` for `identity` under `keccak256(delegateType)`.
    function delegates(address identity, bytes32 delegateTypeHash, address delegate) external view returns (uint256);

    /// @notice ERC-1056 getter: block number of `identity`'s last change (0 if none).
    function changed(address identity) external view returns (uint256);

    /// @notice ERC-1056 getter: next nonce of `signer` for signed operations (legacy and EIP-712 alike).
    function nonce(address signer) external view returns (uint256);

    /// @notice The current owner of `identity`: itself by default, address(0) once deactivated.
    function identityOwner(address identity) external view returns (address);

    /// @notice Whether `delegate` is a valid delegate of `delegateType` for `identity` now.
    function validDelegate(address identity, bytes32 delegateType, address delegate) external view returns (bool);

    /// @notice Sets `identity`'s owner; caller must be its owner. `newOwner == address(0)` deactivates it.
    function changeOwner(address identity, address newOwner) external;

    /// @notice {changeOwner} authorised by the owner's ERC-1056 signature. Like every `...Signed` variant it
    /// carries a secp256k1 `(v, r, s)`: on SM2 deployments only ERC-1271 owners can use it; EOAs use `...BySig`.
    function changeOwnerSigned(address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, address newOwner) external;

    /// @notice Adds `delegate` of `delegateType` for `validity` seconds; caller must be the owner.
    function addDelegate(address identity, bytes32 delegateType, address delegate, uint256 validity) external;

    /// @notice {addDelegate} authorised by the owner's ERC-1056 signature.
    function addDelegateSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 delegateType,
        address delegate,
        uint256 validity
    ) external;

    /// @notice Revokes `delegate` of `delegateType` now; caller must be the owner.
    function revokeDelegate(address identity, bytes32 delegateType, address delegate) external;

    /// @notice {revokeDelegate} authorised by the owner's ERC-1056 signature.
    function revokeDelegateSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 delegateType,
        address delegate
    ) external;

    /// @notice Publishes attribute `name` = `value` for `validity` seconds; caller must be the owner.
    function setAttribute(address identity, bytes32 name, bytes calldata value, uint256 validity) external;

    /// @notice {setAttribute} authorised by the owner's ERC-1056 signature.
    function setAttributeSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 name,
        bytes calldata value,
        uint256 validity
    ) external;

    /// @notice Revokes attribute `name` = `value`; caller must be the owner.
    function revokeAttribute(address identity, bytes32 name, bytes calldata value) external;

    /// @notice {revokeAttribute} authorised by the owner's ERC-1056 signature.
    function revokeAttributeSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 name,
        bytes calldata value
    ) external;

    // ───────────────────────────── Extensions ─────────────────────────────

    /// @notice Kinds of change a batch can hold.
    enum ChangeKind {
        ChangeOwner,
        AddDelegate,
        RevokeDelegate,
        SetAttribute,
        RevokeAttribute
    }

    /**
     * @notice One change of a batch. Fields unused by a kind must be zero / empty.
     * @param kind What to change.
     * @param name Delegate type (delegate kinds) or attribute name (attribute kinds).
     * @param account New owner (ChangeOwner) or delegate (delegate kinds).
     * @param validity Seconds of validity (AddDelegate, SetAttribute).
     * @param value Attribute value (attribute kinds).
     */
    struct Change {
        ChangeKind kind;
        bytes32 name;
        address account;
        uint256 validity;
        bytes value;
    }

    /// @notice `identity` is deactivated for good: no change is accepted any more.
    event DIDDeactivated(address indexed identity);

    /// @notice `identity` named `guardians`, of which `threshold` may rotate its owner after `delay` seconds.
    event DIDGuardiansChanged(address indexed identity, address[] guardians, uint8 threshold, uint32 delay);

    /// @notice Guardians asked to rotate `identity`'s owner to `newOwner`, executable from `executableAt`.
    event DIDRecoveryInitiated(address indexed identity, address newOwner, uint64 executableAt);

    /// @notice The owner cancelled the pending recovery to `newOwner`.
    event DIDRecoveryCancelled(address indexed identity, address newOwner);

    /// @notice The pending recovery ran: `newOwner` owns `identity` (a DIDOwnerChanged event accompanies it).
    event DIDRecoveryExecuted(address indexed identity, address newOwner);

    /// @notice `actor` is not `identity`'s owner.
    error DIDUnauthorized(address identity, address actor);

    /// @notice `identity` is deactivated: nothing about it can change.
    error DIDIsDeactivated(address identity);

    /// @notice A batch must hold at least one change.
    error DIDEmptyBatch();

    /// @notice A batch change carries a field its kind does not use.
    error DIDMalformedChange(uint256 index);

    /// @notice Guardians must be distinct non-zero accounts other than the identity's owner, at most
    /// `MAX_GUARDIANS`, with `1 <= threshold <= guardians` (or none at all, with threshold 0).
    error DIDInvalidGuardians(uint256 guardians, uint8 threshold);

    /// @notice `guardian` is zero, repeated or the identity's own owner.
    error DIDInvalidGuardian(address guardian);

    /// @notice The recovery delay must be at least `minimum` seconds.
    error DIDRecoveryDelayTooShort(uint32 delay, uint32 minimum);

    /// @notice `identity` has no guardians.
    error DIDRecoveryNotConfigured(address identity);

    /// @notice A recovery must name a non-zero new owner.
    error DIDRecoveryInvalidOwner(address newOwner);

    /// @notice `provided` guardian signatures were given, `threshold` are needed.
    error DIDRecoveryBelowThreshold(address identity, uint256 provided, uint8 threshold);

    /// @notice `signer` is not a guardian of `identity`, or signers are not in strictly increasing order.
    error DIDRecoveryInvalidSigner(address identity, address signer);

    /// @notice `signers` and `signatures` differ in length.
    error DIDRecoveryLengthMismatch(uint256 signers, uint256 signatures);

    /// @notice A recovery is already pending for `identity` (until `executableAt`).
    error DIDRecoveryPending(address identity, uint64 executableAt);

    /// @notice No recovery is pending for `identity`.
    error DIDRecoveryNotPending(address identity);

    /// @notice The pending recovery of `identity` can run only from `executableAt`.
    error DIDRecoveryNotReady(address identity, uint64 executableAt, uint256 currentTime);

    /// @notice EIP-712 variant of {changeOwner}, signed by the owner, relayed by anyone before `deadline`.
    function changeOwnerBySig(address identity, address newOwner, uint256 deadline, bytes calldata signature) external;

    /// @notice EIP-712 variant of {addDelegate}.
    function addDelegateBySig(
        address identity,
        bytes32 delegateType,
        address delegate,
        uint256 validity,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice EIP-712 variant of {revokeDelegate}.
    function revokeDelegateBySig(
        address identity,
        bytes32 delegateType,
        address delegate,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice EIP-712 variant of {setAttribute}.
    function setAttributeBySig(
        address identity,
        bytes32 name,
        bytes calldata value,
        uint256 validity,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice EIP-712 variant of {revokeAttribute}.
    function revokeAttributeBySig(
        address identity,
        bytes32 name,
        bytes calldata value,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Applies `changes` to `identity` in order, in one transaction; caller must be the owner.
    function changeBatch(address identity, Change[] calldata changes) external;

    /// @notice EIP-712 variant of {changeBatch}.
    function changeBatchBySig(
        address identity,
        Change[] calldata changes,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Deactivates `identity` for good; caller must be the owner. Same as `changeOwner(identity, 0)`.
    function deactivate(address identity) external;

    /// @notice EIP-712 variant of {deactivate}.
    function deactivateBySig(address identity, uint256 deadline, bytes calldata signature) external;

    /// @notice Names `identity`'s guardians, their threshold and the recovery delay; caller must be the owner.
    /// Cancels a pending recovery and invalidates guardian signatures gathered for the previous set.
    function setGuardians(address identity, address[] calldata guardians, uint8 threshold, uint32 delay) external;

    /**
     * @notice Starts rotating `identity`'s owner to `newOwner` with `threshold` guardian signatures (EIP-712
     * `Recover`), relayed by anyone. The rotation runs with {executeRecovery} once the delay has passed.
     * @param signers The signing guardians, in strictly increasing address order.
     * @param signatures Their signatures, in the same order.
     */
    function initiateRecovery(
        address identity,
        address newOwner,
        uint256 deadline,
        address[] calldata signers,
        bytes[] calldata signatures
    ) external;

    /// @notice Cancels `identity`'s pending recovery; caller must be the owner.
    function cancelRecovery(address identity) external;

    /// @notice Runs `identity`'s pending recovery once its delay has passed; anyone may call.
    function executeRecovery(address identity) external;

    /// @notice Whether `actor` may act for `identity`: its owner, or a valid delegate of `delegateType`
    /// (`delegateType == 0`: owner only). Always false for a deactivated identity.
    function isController(address identity, address actor, bytes32 delegateType) external view returns (bool);

    /// @notice Whether `identity` is deactivated.
    function isDeactivated(address identity) external view returns (bool);

    /// @notice `identity`'s guardians, threshold, recovery delay (seconds) and recovery nonce.
    function guardiansOf(
        address identity
    ) external view returns (address[] memory guardians, uint8 threshold, uint32 delay, uint64 recoveryNonce);

    /// @notice `identity`'s pending recovery (newOwner zero when none).
    function pendingRecovery(address identity) external view returns (address newOwner, uint64 executableAt);
}

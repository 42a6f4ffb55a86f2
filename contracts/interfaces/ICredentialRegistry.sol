// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title ICredentialRegistry
 * @notice Status of verifiable credentials: which trusted issuer vouched, on which topic, for which subject
 * DID, for how long, and whether it was suspended or revoked. The credential itself stays off chain; its id
 * is the hash of the credential document.
 * @dev A subject's standing on a topic is its latest credential on that topic: issuing a new one supersedes
 * the previous one (renewal, re-KYC). That keeps `hasValid` — on the hot path of every module — at two
 * storage reads.
 */
interface ICredentialRegistry {
    /// @notice Life cycle of a credential.
    enum Status {
        None,
        Active,
        Suspended,
        Revoked,
        Superseded
    }

    /**
     * @notice Everything the registry knows of a credential.
     * @param issuer The issuer DID.
     * @param subject The subject DID.
     * @param topic The credential topic.
     * @param validFrom Start of validity, seconds.
     * @param validUntil End of validity (exclusive), seconds.
     * @param status Its status.
     * @param valid Whether it counts now: active, inside its window, issuer still trusted for the topic.
     */
    struct CredentialView {
        address issuer;
        address subject;
        uint32 topic;
        uint32 validFrom;
        uint32 validUntil;
        Status status;
        bool valid;
    }

    /**
     * @notice A holder's signed statement: "I show credentials `credentialIds` to `verifier` until `validUntil`".
     * @param holder The holder DID; must be the subject of every credential.
     * @param verifier The account the presentation is for; only it can have it verified.
     * @param credentialIds The credentials shown.
     * @param validUntil Last second the presentation may be used.
     */
    struct Presentation {
        address holder;
        address verifier;
        bytes32[] credentialIds;
        uint256 validUntil;
    }

    /// @notice Governance registered topic `topic` named `name`.
    event TopicRegistered(uint32 indexed topic, bytes32 name);

    /// @notice Governance trusted (or stopped trusting) `issuer` for `topic`.
    event IssuerTrustChanged(uint32 indexed topic, address indexed issuer, bool trusted);

    /// @notice `issuer` issued credential `id` on `topic` to `subject`; `serial` counts the subject's
    /// credentials on the topic (the one with `serial - 1`, if any, is now superseded).
    event CredentialIssued(
        bytes32 indexed id,
        address indexed issuer,
        address indexed subject,
        uint32 topic,
        uint32 validFrom,
        uint32 validUntil,
        uint24 serial
    );

    /// @notice Credential `id` moved to `status` (Suspended, Active again, or Revoked).
    event CredentialStatusChanged(bytes32 indexed id, address indexed issuer, Status status);

    /// @notice `topic` 0 is reserved, or the topic is already registered.
    error CredentialTopicInvalid(uint32 topic);

    /// @notice No topic `topic` is registered.
    error CredentialTopicUnknown(uint32 topic);

    /// @notice `issuer` already has the trust state asked for on `topic`.
    error CredentialTrustUnchanged(uint32 topic, address issuer, bool trusted);

    /// @notice `issuer` is not trusted for `topic`.
    error CredentialIssuerNotTrusted(uint32 topic, address issuer);

    /// @notice `actor` does not control the issuer DID `issuer`.
    error CredentialNotIssuer(address issuer, address actor);

    /// @notice A credential with id `id` already exists (ids are never reused).
    error CredentialExists(bytes32 id);

    /// @notice No credential `id` exists.
    error CredentialUnknown(bytes32 id);

    /// @notice The subject must be a non-zero account.
    error CredentialInvalidSubject(address subject);

    /// @notice Validity must satisfy `validFrom < validUntil` and end in the future.
    error CredentialInvalidValidity(uint32 validFrom, uint32 validUntil);

    /// @notice Credential `id` is `status`, which does not allow the requested change.
    error CredentialStatusInvalid(bytes32 id, Status status);

    /// @notice The presentation was made for `verifier`, not for the caller.
    error PresentationWrongVerifier(address verifier, address caller);

    /// @notice The presentation expired at `validUntil`.
    error PresentationExpired(uint256 validUntil, uint256 currentTime);

    /// @notice The presentation shows no credential.
    error PresentationEmpty();

    /// @notice Credential `id` is not the holder's, or is not valid now.
    error PresentationCredentialInvalid(bytes32 id, address holder);

    /// @notice Registers credential topic `topic` with a human-readable `name` (restricted: topic admin).
    function registerTopic(uint32 topic, bytes32 name) external;

    /// @notice Trusts or stops trusting `issuer` for `topic` (restricted: topic admin). Takes effect at once.
    function setIssuerTrust(uint32 topic, address issuer, bool trusted) external;

    /**
     * @notice Records credential `id`; the caller must control the issuer DID (owner, or "veriKey"
     * delegate), which must be trusted for `topic`. Supersedes the subject's previous credential on `topic`.
     */
    function issue(
        bytes32 id,
        address issuer,
        address subject,
        uint32 topic,
        uint32 validFrom,
        uint32 validUntil
    ) external;

    /// @notice {issue} authorised by the issuer DID owner's EIP-712 signature, relayed by anyone. Only the
    /// owner signs (delegates act by transaction); issue and revoke signatures share the signer's nonce.
    function issueBySig(
        bytes32 id,
        address issuer,
        address subject,
        uint32 topic,
        uint32 validFrom,
        uint32 validUntil,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Revokes credential `id` for good; caller must control its issuer DID.
    function revoke(bytes32 id) external;

    /// @notice {revoke} authorised by the issuer DID owner's EIP-712 signature.
    function revokeBySig(bytes32 id, uint256 deadline, bytes calldata signature) external;

    /// @notice Suspends active credential `id`; caller must control its issuer DID.
    function suspend(bytes32 id) external;

    /// @notice Reinstates suspended credential `id`; caller must control its issuer DID.
    function reinstate(bytes32 id) external;

    /// @notice Whether `subject` holds a valid credential on `topic` now.
    function hasValid(address subject, uint32 topic) external view returns (bool);

    /// @notice Everything known of credential `id` (status None when unknown).
    function statusOf(bytes32 id) external view returns (CredentialView memory);

    /**
     * @notice Verifies that `presentation`, signed by the holder DID's owner, is for the caller, unexpired,
     * and shows only credentials of the holder that are valid now; reverts naming what is wrong.
     * @return holder The holder DID.
     */
    function verifyPresentation(
        Presentation calldata presentation,
        bytes calldata signature
    ) external view returns (address holder);

    /// @notice Whether `issuer` is trusted for `topic`.
    function isTrustedIssuer(uint32 topic, address issuer) external view returns (bool);

    /// @notice Trusted issuers of `topic`.
    function trustedIssuers(uint32 topic) external view returns (address[] memory);

    /// @notice Registered topics and their names.
    function topics() external view returns (uint32[] memory ids, bytes32[] memory names);
}

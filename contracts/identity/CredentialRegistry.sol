// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {SignedOperations} from "../common/SignedOperations.sol";
import {UpgradeableModule} from "../governance/UpgradeableModule.sol";
import {ICredentialRegistry} from "../interfaces/ICredentialRegistry.sol";
import {IDIDRegistry} from "../interfaces/IDIDRegistry.sol";

/**
 * @title CredentialRegistry
 * @notice Status registry of verifiable credentials, with governance-kept trusted issuers per topic and
 * signed presentations. UUPS behind an ERC1967 proxy, governed by the suite's AccessManager.
 * @dev Storage is laid out for {hasValid}, which every gated module call pays for: the subject's standing
 * on a topic is one packed slot (issuer, window, status, serial) and trust is one more read. A credential
 * id points at that slot with (subject, topic, serial); a serial behind the slot's is a superseded
 * credential. The DID registry address, time unit and signature scheme are immutables of the implementation.
 */
contract CredentialRegistry is UpgradeableModule, SignedOperations, ICredentialRegistry {
    using EnumerableSet for EnumerableSet.AddressSet;

    /// @dev A subject's current credential on a topic. One slot: 20 + 4 + 4 + 1 + 3 bytes.
    struct Holding {
        address issuer;
        uint32 validFrom;
        uint32 validUntil;
        Status status;
        uint24 serial;
    }

    /// @dev Where credential `id` lives. One slot: 20 + 4 + 3 bytes.
    struct CredentialRef {
        address subject;
        uint32 topic;
        uint24 serial;
    }

    /// @custom:storage-location erc7201:trustbase.storage.CredentialRegistry
    struct CredentialRegistryStorage {
        mapping(uint32 topic => bytes32 name) topicNames;
        uint32[] topicIds;
        mapping(uint32 topic => EnumerableSet.AddressSet) trusted;
        mapping(address subject => mapping(uint32 topic => Holding)) holdings;
        mapping(bytes32 id => CredentialRef) refs;
    }

    // keccak256(abi.encode(uint256(keccak256("trustbase.storage.CredentialRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x59cc7e336aad2f7e9bac612ba03ebbb0936966beff02a9dcb988ec68237fd900;

    /// @notice Delegate type (ERC-1056) that may act for an issuer DID.
    bytes32 public constant ISSUER_DELEGATE_TYPE = "veriKey";

    bytes32 private constant ISSUE_TYPEHASH =
        keccak256(
            "Issue(bytes32 id,address issuer,address subject,uint32 topic,uint32 validFrom,uint32 validUntil,uint256 nonce,uint256 deadline)"
        );
    bytes32 private constant REVOKE_TYPEHASH = keccak256("Revoke(bytes32 id,uint256 nonce,uint256 deadline)");
    bytes32 private constant PRESENTATION_TYPEHASH =
        keccak256("Presentation(address holder,address verifier,bytes32[] credentialIds,uint256 validUntil)");

    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IDIDRegistry private immutable _DIDS;

    /**
     * @param dids The suite's DID registry.
     * @param millisecondTimestamps true on chains whose `block.timestamp` counts milliseconds.
     * @param sm2Verifier_ the chain's SM2 verifier on 国密 chains, address(0) for secp256k1.
     * @custom:oz-upgrades-unsafe-allow constructor
     */
    constructor(
        IDIDRegistry dids,
        bool millisecondTimestamps,
        address sm2Verifier_
    ) SignedOperations("trustbase CredentialRegistry", "1", millisecondTimestamps, sm2Verifier_) {
        _DIDS = dids;
    }

    /// @notice Initializes the proxy's state.
    /// @param authority The suite's AccessManager.
    function initialize(address authority) external initializer {
        __UpgradeableModule_init(authority);
    }

    /// @notice The DID registry that resolves subjects, holders and issuers.
    function didRegistry() external view returns (IDIDRegistry) {
        return _DIDS;
    }

    // ───────────────────────────── Governance ─────────────────────────────

    /// @inheritdoc ICredentialRegistry
    function registerTopic(uint32 topic, bytes32 name) external restricted {
        CredentialRegistryStorage storage $ = _storage();
        if (topic == 0 || $.topicNames[topic] != bytes32(0) || name == bytes32(0)) revert CredentialTopicInvalid(topic);
        $.topicNames[topic] = name;
        $.topicIds.push(topic);
        emit TopicRegistered(topic, name);
    }

    /// @inheritdoc ICredentialRegistry
    function setIssuerTrust(uint32 topic, address issuer, bool trusted) external restricted {
        CredentialRegistryStorage storage $ = _storage();
        if ($.topicNames[topic] == bytes32(0)) revert CredentialTopicUnknown(topic);
        bool changedTrust = trusted ? $.trusted[topic].add(issuer) : $.trusted[topic].remove(issuer);
        if (!changedTrust || issuer == address(0)) revert CredentialTrustUnchanged(topic, issuer, trusted);
        emit IssuerTrustChanged(topic, issuer, trusted);
    }

    // ───────────────────────────── Issuers ─────────────────────────────

    /// @inheritdoc ICredentialRegistry
    function issue(
        bytes32 id,
        address issuer,
        address subject,
        uint32 topic,
        uint32 validFrom,
        uint32 validUntil
    ) external {
        _requireIssuerController(issuer, msg.sender);
        _issue(id, issuer, subject, topic, validFrom, validUntil);
    }

    /// @inheritdoc ICredentialRegistry
    function issueBySig(
        bytes32 id,
        address issuer,
        address subject,
        uint32 topic,
        uint32 validFrom,
        uint32 validUntil,
        uint256 deadline,
        bytes calldata signature
    ) external {
        address signer = _DIDS.identityOwner(issuer);
        _requireSigned(
            signer,
            keccak256(
                abi.encode(
                    ISSUE_TYPEHASH,
                    id,
                    issuer,
                    subject,
                    topic,
                    validFrom,
                    validUntil,
                    _useNonce(signer),
                    deadline
                )
            ),
            deadline,
            signature
        );
        _issue(id, issuer, subject, topic, validFrom, validUntil);
    }

    /// @inheritdoc ICredentialRegistry
    function revoke(bytes32 id) external {
        (Holding storage holding, Status status) = _issuerHolding(id);
        _requireIssuerController(holding.issuer, msg.sender);
        _setStatus(id, holding, status, Status.Revoked);
    }

    /// @inheritdoc ICredentialRegistry
    function revokeBySig(bytes32 id, uint256 deadline, bytes calldata signature) external {
        (Holding storage holding, Status status) = _issuerHolding(id);
        address signer = _DIDS.identityOwner(holding.issuer);
        _requireSigned(signer, keccak256(abi.encode(REVOKE_TYPEHASH, id, _useNonce(signer), deadline)), deadline, signature);
        _setStatus(id, holding, status, Status.Revoked);
    }

    /// @inheritdoc ICredentialRegistry
    function suspend(bytes32 id) external {
        (Holding storage holding, Status status) = _issuerHolding(id);
        _requireIssuerController(holding.issuer, msg.sender);
        _setStatus(id, holding, status, Status.Suspended);
    }

    /// @inheritdoc ICredentialRegistry
    function reinstate(bytes32 id) external {
        (Holding storage holding, Status status) = _issuerHolding(id);
        _requireIssuerController(holding.issuer, msg.sender);
        _setStatus(id, holding, status, Status.Active);
    }

    // ───────────────────────────── Views ─────────────────────────────

    /// @inheritdoc ICredentialRegistry
    function hasValid(address subject, uint32 topic) external view returns (bool) {
        CredentialRegistryStorage storage $ = _storage();
        return _counts($, $.holdings[subject][topic], topic);
    }

    /// @inheritdoc ICredentialRegistry
    function statusOf(bytes32 id) external view returns (CredentialView memory view_) {
        CredentialRegistryStorage storage $ = _storage();
        CredentialRef memory ref = $.refs[id];
        if (ref.subject == address(0)) return view_;
        Holding storage stored = $.holdings[ref.subject][ref.topic];
        Holding memory holding = stored;
        view_.subject = ref.subject;
        view_.topic = ref.topic;
        if (holding.serial != ref.serial) {
            // Superseded: the slot now describes a later credential; this one's details live in its event.
            view_.status = Status.Superseded;
            return view_;
        }
        view_.issuer = holding.issuer;
        view_.validFrom = holding.validFrom;
        view_.validUntil = holding.validUntil;
        view_.status = holding.status;
        view_.valid = _counts($, stored, ref.topic);
    }

    /// @inheritdoc ICredentialRegistry
    function verifyPresentation(
        Presentation calldata presentation,
        bytes calldata signature
    ) external view returns (address holder) {
        holder = presentation.holder;
        if (presentation.verifier != msg.sender) revert PresentationWrongVerifier(presentation.verifier, msg.sender);
        uint256 currentTime = _now();
        if (currentTime > presentation.validUntil) revert PresentationExpired(presentation.validUntil, currentTime);
        bytes32[] calldata ids = presentation.credentialIds;
        if (ids.length == 0) revert PresentationEmpty();

        address signer = _DIDS.identityOwner(holder);
        bytes32 structHash = keccak256(
            abi.encode(
                PRESENTATION_TYPEHASH,
                holder,
                presentation.verifier,
                keccak256(abi.encodePacked(ids)),
                presentation.validUntil
            )
        );
        if (!_isValidSignature(signer, _hashTypedDataV4(structHash), signature)) revert InvalidSignature(signer);

        CredentialRegistryStorage storage $ = _storage();
        for (uint256 i = 0; i < ids.length; ++i) {
            CredentialRef memory ref = $.refs[ids[i]];
            Holding storage holding = $.holdings[ref.subject][ref.topic];
            if (ref.subject != holder || holding.serial != ref.serial || !_counts($, holding, ref.topic)) {
                revert PresentationCredentialInvalid(ids[i], holder);
            }
        }
    }

    /// @inheritdoc ICredentialRegistry
    function isTrustedIssuer(uint32 topic, address issuer) external view returns (bool) {
        return _storage().trusted[topic].contains(issuer);
    }

    /// @inheritdoc ICredentialRegistry
    function trustedIssuers(uint32 topic) external view returns (address[] memory) {
        return _storage().trusted[topic].values();
    }

    /// @inheritdoc ICredentialRegistry
    function topics() external view returns (uint32[] memory ids, bytes32[] memory names) {
        CredentialRegistryStorage storage $ = _storage();
        ids = $.topicIds;
        names = new bytes32[](ids.length);
        for (uint256 i = 0; i < ids.length; ++i) {
            names[i] = $.topicNames[ids[i]];
        }
    }

    // ───────────────────────────── Internals ─────────────────────────────

    function _issue(
        bytes32 id,
        address issuer,
        address subject,
        uint32 topic,
        uint32 validFrom,
        uint32 validUntil
    ) private {
        CredentialRegistryStorage storage $ = _storage();
        if (!$.trusted[topic].contains(issuer)) {
            if ($.topicNames[topic] == bytes32(0)) revert CredentialTopicUnknown(topic);
            revert CredentialIssuerNotTrusted(topic, issuer);
        }
        if (subject == address(0)) revert CredentialInvalidSubject(subject);
        if (validFrom >= validUntil || validUntil <= _now()) revert CredentialInvalidValidity(validFrom, validUntil);
        CredentialRef storage ref = $.refs[id];
        if (ref.subject != address(0)) revert CredentialExists(id);
        Holding storage holding = $.holdings[subject][topic];
        uint24 serial = holding.serial + 1;
        $.holdings[subject][topic] = Holding(issuer, validFrom, validUntil, Status.Active, serial);
        $.refs[id] = CredentialRef(subject, topic, serial);
        emit CredentialIssued(id, issuer, subject, topic, validFrom, validUntil, serial);
    }

    /// @dev The current holding of credential `id` and its status; reverts if unknown or superseded.
    function _issuerHolding(bytes32 id) private view returns (Holding storage holding, Status status) {
        CredentialRegistryStorage storage $ = _storage();
        CredentialRef memory ref = $.refs[id];
        if (ref.subject == address(0)) revert CredentialUnknown(id);
        holding = $.holdings[ref.subject][ref.topic];
        if (holding.serial != ref.serial) revert CredentialStatusInvalid(id, Status.Superseded);
        status = holding.status;
    }

    /// @dev Moves a credential along Active <-> Suspended -> Revoked; Revoked is final.
    function _setStatus(bytes32 id, Holding storage holding, Status current, Status next) private {
        bool allowed = next == Status.Revoked
            ? current != Status.Revoked
            : (next == Status.Suspended ? current == Status.Active : current == Status.Suspended);
        if (!allowed) revert CredentialStatusInvalid(id, current);
        holding.status = next;
        emit CredentialStatusChanged(id, holding.issuer, next);
    }

    /// @dev Whether a holding counts now: active, inside its window, issuer still trusted for the topic.
    function _counts(
        CredentialRegistryStorage storage $,
        Holding storage holding,
        uint32 topic
    ) private view returns (bool) {
        Holding memory h = holding;
        if (h.status != Status.Active) return false;
        uint256 currentTime = _now();
        if (currentTime < h.validFrom || currentTime >= h.validUntil) return false;
        return $.trusted[topic].contains(h.issuer);
    }

    function _requireIssuerController(address issuer, address actor) private view {
        if (!_DIDS.isController(issuer, actor, ISSUER_DELEGATE_TYPE)) revert CredentialNotIssuer(issuer, actor);
    }

    function _storage() private pure returns (CredentialRegistryStorage storage $) {
        assembly ("memory-safe") {
            $.slot := STORAGE_LOCATION
        }
    }
}

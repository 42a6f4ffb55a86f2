// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title IEvidenceVault
 * @notice Court evidence on a consortium chain: document hashes anchored with who submitted them, when, in which
 * case; Merkle batches; cases whose members a court clerk admits; a typed, hash-linked chain of custody per
 * document; M-of-N witnessed finality; versions and disputes; and a running accumulator published as numbered
 * checkpoints, so an anchor can be proved against a checkpoint copied to another chain.
 * @dev Immutable and without admin over records: nobody, governance included, can change or delete an anchor, a
 * custody entry, a co-signature or a dispute once written. Only hashes are stored; content never reaches the chain.
 *
 * Actors are DIDs (`did:ethr:<chainId>:<address>`): a call acting for a DID must come from its owner or a valid
 * `sigAuth` delegate (IdentityGate). A clerk holding a COURT_CLERK credential opens a case and admits members, each
 * under a credential topic that must be valid when admitted; anyone can strike a member or witness whose credential
 * has lapsed since.
 *
 * Constants (categories, custody actions, permissions, entry hashes) are in `contracts/evidence/EvidenceKinds.sol`,
 * mirrored by `sdk/evidence.ts`.
 */
interface IEvidenceVault {
    // ───────────────────────────── Types ─────────────────────────────

    /**
     * @notice What the vault stores for an anchored hash (one storage slot).
     * @param submitter The submitter's DID.
     * @param anchoredAt When it was anchored, in seconds.
     * @param caseId The case it belongs to.
     * @param category What kind of evidence (EvidenceKinds: CONTRACT, CHAT_LOG, IMAGE, ...).
     * @param flags EvidenceKinds.FLAG_BATCH (a Merkle root of a batch), FLAG_DISPUTED (a party disputed it).
     * @param witnessed Bit i set: the case's witness i co-signed it.
     */
    struct Anchor {
        address submitter;
        uint40 anchoredAt;
        uint32 caseId;
        uint8 category;
        uint8 flags;
        uint8 witnessed;
    }

    /**
     * @notice A case as the vault knows it.
     * @param clerk The clerk DID who opened it and admits its members.
     * @param courtRef Hash of the court's case number (how the court refers to it).
     * @param openedAt When it was opened, in seconds.
     * @param threshold Co-signatures an anchor of the case needs to be final (0: final when anchored).
     * @param witnesses The witness DIDs, in seat order (bit i of `Anchor.witnessed` is `witnesses[i]`).
     */
    struct CaseView {
        address clerk;
        bytes32 courtRef;
        uint40 openedAt;
        uint8 threshold;
        address[] witnesses;
    }

    /**
     * @notice A member's admission to a case (one storage slot).
     * @param permissions EvidenceKinds.SUBMIT, LOG, DECIDE and DISPUTE bits.
     * @param topic The credential topic it was admitted under; striking checks this topic.
     * @param grantedAt When it was admitted, in seconds.
     */
    struct Access {
        uint8 permissions;
        uint32 topic;
        uint40 grantedAt;
    }

    /**
     * @notice A witness's seat in a case (one storage slot).
     * @param seat 1 + the witness's index in the case's witness list; 0: not a witness of the case.
     * @param topic The credential topic it witnesses under.
     * @param struck Its credential lapsed and someone struck it: it can no longer co-sign.
     */
    struct WitnessSeat {
        uint8 seat;
        uint32 topic;
        bool struck;
    }

    /**
     * @notice One witness's EIP-712 co-signature of an anchor, for {cosignAll}.
     * @param witness The witness DID; its owner signs `Cosign(bytes32 hash,address witness,uint256 deadline)`.
     * @param deadline Last second the co-signature may be recorded.
     * @param signature The owner's signature (65-byte secp256k1, ERC-1271, or 128-byte SM2 on 国密 chains).
     */
    struct Cosignature {
        address witness;
        uint256 deadline;
        bytes signature;
    }

    // ───────────────────────────── Events ─────────────────────────────

    /// @notice `clerk` opened case `caseId` for the court case `courtRef`, with its witnesses and threshold.
    event CaseOpened(
        uint32 indexed caseId,
        bytes32 indexed courtRef,
        address indexed clerk,
        address[] witnesses,
        uint32[] witnessTopics,
        uint8 threshold
    );

    /// @notice The clerk admitted `member` to case `caseId` under credential `topic` with `permissions`.
    event AccessGranted(uint32 indexed caseId, address indexed member, uint32 topic, uint8 permissions);

    /// @notice The clerk withdrew `member`'s admission to case `caseId`.
    event AccessRevoked(uint32 indexed caseId, address indexed member);

    /// @notice `member`'s credential on `topic` lapsed: `by` struck its admission to case `caseId`.
    event AccessStruck(uint32 indexed caseId, address indexed member, uint32 topic, address by);

    /// @notice `witness`'s credential on `topic` lapsed: `by` struck its seat in case `caseId`.
    event WitnessStruck(uint32 indexed caseId, address indexed witness, uint32 topic, address by);

    /**
     * @notice `submitter` anchored document hash `hash` in case `caseId`. Its time is `anchorOf(hash).anchoredAt`.
     * @param metadataHash Hash of the document's metadata (file name, size, capture device, ...), kept off chain.
     */
    event Anchored(
        bytes32 indexed hash,
        uint32 indexed caseId,
        address indexed submitter,
        uint8 category,
        bytes32 metadataHash
    );

    /// @notice `submitter` anchored Merkle root `root` of a batch of `itemCount` documents in case `caseId`.
    event BatchAnchored(
        bytes32 indexed root,
        uint32 indexed caseId,
        address indexed submitter,
        uint8 category,
        uint32 itemCount,
        bytes32 metadataHash
    );

    /// @notice `hash` (anchored in the same transaction) is a new version of `previous`.
    event Superseded(bytes32 indexed previous, bytes32 indexed hash);

    /**
     * @notice `actor` did `action` (EvidenceKinds: UPLOAD … SENSITIVE_OPERATION) on document `hash` for reason
     * `reasonHash` at `time`; `head` is the document's new custody head, the hash of this entry, which links the
     * previous head (see EvidenceKinds.custodyEntry).
     */
    event CustodyLogged(
        bytes32 indexed hash,
        address indexed actor,
        uint8 action,
        bytes32 reasonHash,
        uint40 time,
        bytes32 head
    );

    /// @notice `party` disputed `hash` for reason `reasonHash` at `time`.
    event Disputed(bytes32 indexed hash, address indexed party, bytes32 reasonHash, uint40 time);

    /// @notice `witness` co-signed `hash`; it now has `cosignatures` of them.
    event Cosigned(bytes32 indexed hash, address indexed witness, uint8 cosignatures);

    /// @notice `hash` reached its case's threshold of co-signatures: it is final.
    event Finalized(bytes32 indexed hash, uint8 cosignatures);

    /// @notice Checkpoint `sequence` publishes the accumulator over every entry so far, at `time`.
    event Checkpointed(uint64 indexed sequence, bytes32 accumulator, uint40 time);

    // ───────────────────────────── Errors ─────────────────────────────

    /// @notice The hash is zero; a document hash, root, court reference or reason must be given.
    error EvidenceZeroHash();

    /// @notice `hash` is already anchored, since `anchoredAt` (seconds).
    error EvidenceAlreadyAnchored(bytes32 hash, uint40 anchoredAt);

    /// @notice `hash` is not anchored.
    error EvidenceNotAnchored(bytes32 hash);

    /// @notice `category` is not an evidence category this vault knows.
    error EvidenceUnknownCategory(uint8 category);

    /// @notice `action` is not a custody action this vault knows.
    error EvidenceUnknownAction(uint8 action);

    /// @notice No case `caseId` was opened.
    error EvidenceUnknownCase(uint32 caseId);

    /// @notice A case for court reference `courtRef` exists already: case `caseId`.
    error EvidenceCaseExists(bytes32 courtRef, uint32 caseId);

    /// @notice `member` is not admitted to case `caseId` with permission `permission`.
    error EvidenceNotPermitted(uint32 caseId, address member, uint8 permission);

    /// @notice A member admitted under credential `topic` may not hold `permissions` (or none is given).
    error EvidenceTopicNotAdmissible(uint32 topic, uint8 permissions);

    /// @notice `member` is already admitted to case `caseId` exactly so; or, to revoke, not admitted at all.
    error EvidenceAccessUnchanged(uint32 caseId, address member);

    /// @notice `account`'s credential on `topic` still counts: it cannot be struck.
    error EvidenceCredentialStillValid(address account, uint32 topic);

    /// @notice Witnesses: `count` witnesses (at most 8, one topic each) cannot have threshold `threshold`.
    error EvidenceInvalidWitnesses(uint256 count, uint8 threshold);

    /// @notice `witness` is named twice.
    error EvidenceDuplicateWitness(address witness);

    /// @notice Credential `topic` does not qualify a witness.
    error EvidenceNotWitnessTopic(uint32 topic);

    /// @notice `witness` holds no seat in case `caseId`.
    error EvidenceNotWitness(uint32 caseId, address witness);

    /// @notice `witness`'s seat in case `caseId` was struck (its credential lapsed).
    error EvidenceWitnessStruck(uint32 caseId, address witness);

    /// @notice `witness` already co-signed `hash`.
    error EvidenceAlreadyWitnessed(bytes32 hash, address witness);

    /// @notice No co-signatures were given.
    error EvidenceNoCosignatures();

    /// @notice `hash` was already superseded by `next`.
    error EvidenceAlreadySuperseded(bytes32 hash, bytes32 next);

    /// @notice A batch of `itemCount` documents: a batch names at least one.
    error EvidenceEmptyBatch(bytes32 root, uint32 itemCount);

    /// @notice Nothing was recorded since checkpoint `sequence`, which published `accumulator`.
    error EvidenceCheckpointUnchanged(uint64 sequence, bytes32 accumulator);

    // ───────────────────────────── Cases ─────────────────────────────

    /**
     * @notice Opens a case. `msg.sender` must control `clerk` (owner or sigAuth delegate), which must hold a valid
     * COURT_CLERK credential; AccessManaged too, so governance can close the vault to new cases (never to records).
     * @param clerk The clerk DID; it admits the case's members.
     * @param courtRef Hash of the court's case number; one case per reference.
     * @param witnesses Up to 8 witness DIDs (notary offices, arbitration commission, court), each holding a valid
     * credential on its topic in `witnessTopics` (NOTARY, ARBITRATOR, JUDGE, COURT_CLERK or REGULATOR).
     * @param witnessTopics The topic each witness witnesses under.
     * @param threshold Co-signatures an anchor needs to be final (at most the number of witnesses; 0: none).
     * @return caseId The new case's id (1, 2, ...).
     */
    function openCase(
        address clerk,
        bytes32 courtRef,
        address[] calldata witnesses,
        uint32[] calldata witnessTopics,
        uint8 threshold
    ) external returns (uint32 caseId);

    /**
     * @notice Admits `member` to case `caseId`, or changes its admission. `msg.sender` must control the case's
     * clerk DID, which must still hold COURT_CLERK; `member` must hold a valid credential on `topic`, and `topic`
     * must allow `permissions` (judge, clerk, arbitrator: SUBMIT, LOG, DECIDE; notary: SUBMIT, LOG; lawyer, party:
     * SUBMIT, LOG, DISPUTE; regulator: LOG).
     * @param caseId The case.
     * @param member The member's DID.
     * @param topic The credential topic it is admitted under.
     * @param permissions EvidenceKinds permission bits.
     */
    function grantAccess(uint32 caseId, address member, uint32 topic, uint8 permissions) external;

    /**
     * @notice Withdraws `member`'s admission to case `caseId`; `msg.sender` must control the case's clerk DID.
     * What the member recorded stays.
     * @param caseId The case.
     * @param member The member's DID.
     */
    function revokeAccess(uint32 caseId, address member) external;

    /**
     * @notice Anyone may strike the admission of a member whose credential (on the topic it was admitted under)
     * no longer counts: revoked, suspended, expired, or its issuer no longer trusted. What it recorded stays.
     * @param caseId The case.
     * @param member The member's DID.
     */
    function strikeLapsedAccess(uint32 caseId, address member) external;

    /**
     * @notice Anyone may strike the seat of a witness whose credential no longer counts: it can no longer
     * co-sign; its earlier co-signatures stay.
     * @param caseId The case.
     * @param witness The witness DID.
     */
    function strikeLapsedWitness(uint32 caseId, address witness) external;

    // ───────────────────────────── Anchors ─────────────────────────────

    /**
     * @notice Anchors document hash `hash` in case `caseId`, submitted by the caller's own DID (which needs
     * SUBMIT in the case). Refused when `hash` is anchored already, with the first anchor's time.
     * @param caseId The case.
     * @param hash The document's hash.
     * @param category The evidence category (EvidenceKinds).
     * @param metadataHash Hash of the document's metadata (may be zero).
     */
    function anchor(uint32 caseId, bytes32 hash, uint8 category, bytes32 metadataHash) external;

    /**
     * @notice {anchor} for `submitter`, a DID the caller controls (owner or sigAuth delegate).
     * @param submitter The submitter's DID.
     * @param caseId The case.
     * @param hash The document's hash.
     * @param category The evidence category.
     * @param metadataHash Hash of the document's metadata (may be zero).
     */
    function anchorFor(address submitter, uint32 caseId, bytes32 hash, uint8 category, bytes32 metadataHash) external;

    /**
     * @notice Anchors the Merkle root of a batch of `itemCount` documents (OpenZeppelin's standard tree of
     * `bytes32` hashes, `sdk/merkle.ts`); {verifyInclusion} proves each one.
     * @param submitter The submitter's DID (the caller or a DID it controls), with SUBMIT in the case.
     * @param caseId The case.
     * @param root The batch's Merkle root.
     * @param itemCount How many documents the batch holds.
     * @param category The documents' category.
     * @param metadataHash Hash of the batch's metadata (may be zero).
     */
    function anchorBatch(
        address submitter,
        uint32 caseId,
        bytes32 root,
        uint32 itemCount,
        uint8 category,
        bytes32 metadataHash
    ) external;

    /**
     * @notice Anchors `hash` as a new version of `previous`, in `previous`'s case; `previous` stays as it was and
     * links to it. A document has at most one next version.
     * @param submitter The submitter's DID (the caller or a DID it controls), with SUBMIT in the case.
     * @param previous The version it supersedes.
     * @param hash The new version's hash.
     * @param category Its category.
     * @param metadataHash Hash of its metadata (may be zero).
     */
    function supersede(address submitter, bytes32 previous, bytes32 hash, uint8 category, bytes32 metadataHash) external;

    /**
     * @notice `party` disputes anchor `hash` (authenticity, completeness, ...) for the reason whose hash is
     * `reasonHash`; the anchor is marked disputed, nothing is overwritten. Each dispute is its own record.
     * @param party The disputing DID (the caller or a DID it controls), with DISPUTE in the anchor's case.
     * @param hash The anchor.
     * @param reasonHash Hash of the reason document.
     */
    function dispute(address party, bytes32 hash, bytes32 reasonHash) external;

    // ───────────────────────────── Custody ─────────────────────────────

    /**
     * @notice Records that `actor` did `action` on anchor `hash`, linked to the document's previous custody entry.
     * UPLOAD, VIEW, DOWNLOAD, PRINT and SENSITIVE_OPERATION need LOG in the anchor's case; REVIEW, APPROVE and
     * REJECT need DECIDE.
     * @param actor The acting DID (the caller, or a DID whose sigAuth delegate the caller is: an office system).
     * @param hash The anchor (a document, or a batch's root).
     * @param action The custody action (EvidenceKinds).
     * @param reasonHash Hash of the reason or work order (may be zero).
     */
    function logCustody(address actor, bytes32 hash, uint8 action, bytes32 reasonHash) external;

    // ───────────────────────────── Witnesses ─────────────────────────────

    /**
     * @notice Records one witness's co-signature of anchor `hash`. Anyone may relay it.
     * @param hash The anchor.
     * @param witness The witness DID (a seat of the anchor's case, not struck).
     * @param deadline Last second the co-signature may be recorded.
     * @param signature The witness owner's EIP-712 signature of `Cosign(hash, witness, deadline)`.
     */
    function cosign(bytes32 hash, address witness, uint256 deadline, bytes calldata signature) external;

    /**
     * @notice Records several witnesses' co-signatures of anchor `hash` in one transaction: all or none.
     * @param hash The anchor.
     * @param cosignatures The co-signatures.
     */
    function cosignAll(bytes32 hash, Cosignature[] calldata cosignatures) external;

    // ───────────────────────────── Checkpoints ─────────────────────────────

    /**
     * @notice Publishes the accumulator over every entry so far as the next numbered checkpoint, for an operator
     * to copy to another chain. Anyone may call it; refused when nothing was recorded since the last one.
     * @return sequence The checkpoint's number (1, 2, ...).
     */
    function checkpoint() external returns (uint64 sequence);

    // ───────────────────────────── Views ─────────────────────────────

    /// @notice The anchor of `hash` (all zero when not anchored).
    /// @param hash The document hash or batch root.
    /// @return The stored anchor.
    function anchorOf(bytes32 hash) external view returns (Anchor memory);

    /// @notice The versions around `hash`: the one it supersedes and the one superseding it (zero: none).
    /// @param hash The anchor.
    /// @return previous The version `hash` supersedes.
    /// @return next The version superseding `hash`.
    function versionsOf(bytes32 hash) external view returns (bytes32 previous, bytes32 next);

    /// @notice The witnesses who co-signed `hash`, in seat order.
    /// @param hash The anchor.
    /// @return The witness DIDs.
    function cosignersOf(bytes32 hash) external view returns (address[] memory);

    /// @notice Whether `hash` is anchored and has its case's threshold of co-signatures.
    /// @param hash The anchor.
    /// @return True when final.
    function isFinal(bytes32 hash) external view returns (bool);

    /// @notice The custody head of `hash`: the hash of its last custody entry (zero before the first).
    /// @param hash The anchor.
    /// @return The head.
    function custodyHeadOf(bytes32 hash) external view returns (bytes32);

    /**
     * @notice Whether `leaf` (a document hash) is in the anchored batch whose root is `root`.
     * @param root The batch's root; false when it is not an anchored batch.
     * @param leaf The document hash.
     * @param proof Its proof: siblings from the leaf up (`sdk/merkle.ts` batchProof).
     * @return True when proved.
     */
    function verifyInclusion(bytes32 root, bytes32 leaf, bytes32[] calldata proof) external view returns (bool);

    /// @notice Case `caseId` (all zero when there is none).
    /// @param caseId The case.
    /// @return The case.
    function caseOf(uint32 caseId) external view returns (CaseView memory);

    /// @notice The id of the case opened for court reference `courtRef` (0: none).
    /// @param courtRef Hash of the court's case number.
    /// @return The case id.
    function caseIdOf(bytes32 courtRef) external view returns (uint32);

    /// @notice How many cases were opened.
    /// @return The number of cases, also the last case id.
    function caseCount() external view returns (uint32);

    /// @notice `member`'s admission to case `caseId` (all zero when none).
    /// @param caseId The case.
    /// @param member The member's DID.
    /// @return The admission.
    function accessOf(uint32 caseId, address member) external view returns (Access memory);

    /// @notice `witness`'s seat in case `caseId` (all zero when none).
    /// @param caseId The case.
    /// @param witness The witness DID.
    /// @return The seat.
    function witnessSeatOf(uint32 caseId, address witness) external view returns (WitnessSeat memory);

    /// @notice The running accumulator over every anchor, custody entry and dispute so far (zero before the first).
    /// @return The accumulator.
    function accumulator() external view returns (bytes32);

    /// @notice The last checkpoint (zero, zero before the first).
    /// @return sequence Its number.
    /// @return accumulator_ The accumulator it published.
    function lastCheckpoint() external view returns (uint64 sequence, bytes32 accumulator_);
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title EvidenceKinds
 * @notice The vocabulary of the EvidenceVault: evidence categories, custody actions, case permissions, anchor flags,
 * and how an entry of the running accumulator and of a custody chain is hashed. Mirrored by `sdk/evidence.ts`
 * (tests recompute heads and the accumulator from events with it).
 * @dev Every hash is `keccak256(abi.encode(TYPEHASH, fields...))`, the EIP-712 struct-hash convention, so each kind
 * of entry is domain-separated from the others; the accumulator folds `acc' = keccak256(abi.encode(acc, entry))`.
 */
library EvidenceKinds {
    // ── categories (0 is none) ──
    uint8 internal constant CONTRACT = 1;
    uint8 internal constant CHAT_LOG = 2;
    uint8 internal constant IMAGE = 3;
    uint8 internal constant VIDEO = 4;
    uint8 internal constant AUDIO = 5;
    uint8 internal constant OFFICE_DOCUMENT = 6;
    uint8 internal constant EMAIL = 7;
    uint8 internal constant WEB_PAGE = 8;
    uint8 internal constant OTHER = 9;
    /// @dev The highest category of this vocabulary; an extension may know more (EvidenceVaultBase._isKnownCategory).
    uint8 internal constant MAX_CATEGORY = 9;

    // ── custody actions ──
    uint8 internal constant UPLOAD = 0;
    uint8 internal constant REVIEW = 1;
    uint8 internal constant APPROVE = 2;
    uint8 internal constant REJECT = 3;
    uint8 internal constant VIEW = 4;
    uint8 internal constant DOWNLOAD = 5;
    uint8 internal constant PRINT = 6;
    uint8 internal constant SENSITIVE_OPERATION = 7;

    // ── permissions of a case member ──
    /// @dev Anchor documents and batches, and new versions.
    uint8 internal constant SUBMIT = 1;
    /// @dev Log handling: UPLOAD, VIEW, DOWNLOAD, PRINT, SENSITIVE_OPERATION.
    uint8 internal constant LOG = 2;
    /// @dev Log decisions: REVIEW, APPROVE, REJECT.
    uint8 internal constant DECIDE = 4;
    /// @dev Dispute an anchor.
    uint8 internal constant DISPUTE = 8;

    // ── anchor flags ──
    uint8 internal constant FLAG_BATCH = 1;
    uint8 internal constant FLAG_DISPUTED = 2;

    /// @dev Most witnesses per case: `Anchor.witnessed` is an 8-bit set.
    uint256 internal constant MAX_WITNESSES = 8;

    bytes32 internal constant ANCHOR_TYPEHASH =
        keccak256(
            "EvidenceAnchor(bytes32 hash,uint32 caseId,address submitter,uint8 category,uint32 itemCount,bytes32 metadataHash,bytes32 previous,uint40 time)"
        );
    bytes32 internal constant CUSTODY_TYPEHASH =
        keccak256(
            "EvidenceCustody(bytes32 previousHead,bytes32 hash,uint8 action,address actor,bytes32 reasonHash,uint40 time)"
        );
    bytes32 internal constant DISPUTE_TYPEHASH =
        keccak256("EvidenceDispute(bytes32 hash,address party,bytes32 reasonHash,uint40 time)");

    // The entries below are hashed in assembly, in the free memory without allocating it (or in the scratch
    // space for the fold): `abi.encode` would allocate and copy the words once more, ~250 gas per anchor or
    // custody entry. Each hash is exactly `keccak256(abi.encode(...))` of the fields in the order given; narrow
    // fields are masked to their type first (inline assembly may see dirty high bits), as abi.encode pads them.

    /// @dev The accumulator entry of an anchor; `itemCount` is 0 for a single document, `previous` 0 unless a version.
    function anchorEntry(
        bytes32 hash,
        uint32 caseId,
        address submitter,
        uint8 category,
        uint32 itemCount,
        bytes32 metadataHash,
        bytes32 previous,
        uint40 time
    ) internal pure returns (bytes32 entry) {
        bytes32 typehash = ANCHOR_TYPEHASH;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, typehash)
            mstore(add(m, 0x20), hash)
            mstore(add(m, 0x40), and(caseId, 0xffffffff))
            mstore(add(m, 0x60), and(submitter, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(add(m, 0x80), and(category, 0xff))
            mstore(add(m, 0xa0), and(itemCount, 0xffffffff))
            mstore(add(m, 0xc0), metadataHash)
            mstore(add(m, 0xe0), previous)
            mstore(add(m, 0x100), and(time, 0xffffffffff))
            entry := keccak256(m, 0x120)
        }
    }

    /// @dev A custody entry, which is the document's new custody head and its accumulator entry.
    function custodyEntry(
        bytes32 previousHead,
        bytes32 hash,
        uint8 action,
        address actor,
        bytes32 reasonHash,
        uint40 time
    ) internal pure returns (bytes32 entry) {
        bytes32 typehash = CUSTODY_TYPEHASH;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, typehash)
            mstore(add(m, 0x20), previousHead)
            mstore(add(m, 0x40), hash)
            mstore(add(m, 0x60), and(action, 0xff))
            mstore(add(m, 0x80), and(actor, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(add(m, 0xa0), reasonHash)
            mstore(add(m, 0xc0), and(time, 0xffffffffff))
            entry := keccak256(m, 0xe0)
        }
    }

    /// @dev The accumulator entry of a dispute.
    function disputeEntry(
        bytes32 hash,
        address party,
        bytes32 reasonHash,
        uint40 time
    ) internal pure returns (bytes32 entry) {
        bytes32 typehash = DISPUTE_TYPEHASH;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, typehash)
            mstore(add(m, 0x20), hash)
            mstore(add(m, 0x40), and(party, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(add(m, 0x60), reasonHash)
            mstore(add(m, 0x80), and(time, 0xffffffffff))
            entry := keccak256(m, 0xa0)
        }
    }

    /// @dev The accumulator after `entry`.
    function fold(bytes32 accumulator, bytes32 entry) internal pure returns (bytes32 folded) {
        assembly ("memory-safe") {
            mstore(0x00, accumulator)
            mstore(0x20, entry)
            folded := keccak256(0x00, 0x40)
        }
    }
}

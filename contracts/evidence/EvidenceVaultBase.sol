// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {MerkleBatch} from "../common/MerkleBatch.sol";
import {SignedOperations} from "../common/SignedOperations.sol";
import {IdentityGate} from "../identity/IdentityGate.sol";
import {Topics} from "../identity/Topics.sol";
import {IEvidenceVault} from "../interfaces/IEvidenceVault.sol";
import {EvidenceKinds} from "./EvidenceKinds.sol";

/**
 * @title EvidenceVaultBase
 * @notice Storage, rules and views of the EvidenceVault; `EvidenceVault` adds the external entry points.
 * @dev Extension points (override one, the rest follows):
 * - {_isKnownCategory}: which evidence categories the vault accepts (a new evidence kind);
 * - {_permissionFor}: which permission a custody action needs (a new custody action);
 * - {_admissiblePermissions}: which permissions a member admitted under a credential topic may hold;
 * - {_isWitnessTopic}: which credential topics qualify a witness.
 * Every anchor, custody entry and dispute flows through {_record}, which folds it into the running accumulator.
 *
 * Gas: an anchor is one new slot (submitter, time, case, category, flags and the witness set packed together); a
 * custody entry updates the document's head and the accumulator; a co-signature sets a bit in the anchor's slot.
 * Bulk (metadata, reasons, witness lists) goes into events. Hot paths ask the DID registry whether the caller
 * controls the acting DID (a rotated key is refused at once) and read the member's admission to the case, one slot;
 * credentials are checked when a member or witness is admitted, and {strikeLapsedAccess} / {strikeLapsedWitness}
 * let anyone remove one whose credential has lapsed since (checking it on every action would cost ~13,000 gas more).
 */
abstract contract EvidenceVaultBase is IEvidenceVault, AccessManaged, SignedOperations, IdentityGate {
    /// @dev A case. Slot 0: clerk, openedAt, threshold (20 + 5 + 1 bytes); then courtRef and the witness list.
    struct CaseRecord {
        address clerk;
        uint40 openedAt;
        uint8 threshold;
        bytes32 courtRef;
        address[] witnesses;
    }

    bytes32 private constant COSIGN_TYPEHASH = keccak256("Cosign(bytes32 hash,address witness,uint256 deadline)");

    mapping(bytes32 hash => Anchor) private _anchors;
    mapping(bytes32 hash => bytes32 head) private _heads;
    mapping(bytes32 hash => bytes32 previous) private _previousVersions;
    mapping(bytes32 hash => bytes32 next) private _nextVersions;
    mapping(uint32 caseId => CaseRecord) private _cases;
    mapping(bytes32 courtRef => uint32 caseId) private _caseIds;
    /// @dev Keyed by {_memberKey}: one hash per lookup where a nested mapping takes two.
    mapping(bytes32 caseMember => Access) private _access;
    mapping(uint32 caseId => mapping(address witness => WitnessSeat)) private _seats;
    bytes32 private _accumulator;
    bytes32 private _checkpointed;
    /// @dev One slot: 8 + 4 bytes.
    uint64 private _checkpointSequence;
    uint32 private _caseCount;

    // ───────────────────────────── Cases ─────────────────────────────

    function _openCase(
        address clerk,
        bytes32 courtRef,
        address[] calldata witnesses,
        uint32[] calldata witnessTopics,
        uint8 threshold
    ) internal returns (uint32 caseId) {
        _requireCredential(clerk, msg.sender, Topics.COURT_CLERK);
        if (courtRef == bytes32(0)) revert EvidenceZeroHash();
        uint32 existing = _caseIds[courtRef];
        if (existing != 0) revert EvidenceCaseExists(courtRef, existing);
        uint256 count = witnesses.length;
        if (count > EvidenceKinds.MAX_WITNESSES || witnessTopics.length != count || threshold > count) {
            revert EvidenceInvalidWitnesses(count, threshold);
        }
        caseId = ++_caseCount;
        for (uint256 i = 0; i < count; ++i) {
            address witness = witnesses[i];
            uint32 topic = witnessTopics[i];
            if (!_isWitnessTopic(topic)) revert EvidenceNotWitnessTopic(topic);
            if (_seats[caseId][witness].seat != 0) revert EvidenceDuplicateWitness(witness);
            if (!_holdsValid(witness, topic)) revert IdentityGateMissingCredential(witness, topic);
            _seats[caseId][witness] = WitnessSeat(uint8(i + 1), topic, false);
        }
        _cases[caseId] = CaseRecord(clerk, uint40(_now()), threshold, courtRef, witnesses);
        _caseIds[courtRef] = caseId;
        emit CaseOpened(caseId, courtRef, clerk, witnesses, witnessTopics, threshold);
    }

    function _grantAccess(uint32 caseId, address member, uint32 topic, uint8 permissions) internal {
        _requireClerk(caseId);
        if (permissions == 0 || permissions & ~_admissiblePermissions(topic) != 0) {
            revert EvidenceTopicNotAdmissible(topic, permissions);
        }
        if (!_holdsValid(member, topic)) revert IdentityGateMissingCredential(member, topic);
        Access memory current = _access[_memberKey(caseId, member)];
        if (current.permissions == permissions && current.topic == topic) revert EvidenceAccessUnchanged(caseId, member);
        _access[_memberKey(caseId, member)] = Access(permissions, topic, uint40(_now()));
        emit AccessGranted(caseId, member, topic, permissions);
    }

    function _revokeAccess(uint32 caseId, address member) internal {
        _requireClerk(caseId);
        if (_access[_memberKey(caseId, member)].permissions == 0) revert EvidenceAccessUnchanged(caseId, member);
        delete _access[_memberKey(caseId, member)];
        emit AccessRevoked(caseId, member);
    }

    function _strikeLapsedAccess(uint32 caseId, address member) internal {
        Access memory current = _access[_memberKey(caseId, member)];
        if (current.permissions == 0) revert EvidenceAccessUnchanged(caseId, member);
        if (_holdsValid(member, current.topic)) {
            revert EvidenceCredentialStillValid(member, current.topic);
        }
        delete _access[_memberKey(caseId, member)];
        emit AccessStruck(caseId, member, current.topic, msg.sender);
    }

    function _strikeLapsedWitness(uint32 caseId, address witness) internal {
        WitnessSeat storage seat = _seats[caseId][witness];
        if (seat.seat == 0) revert EvidenceNotWitness(caseId, witness);
        if (seat.struck) revert EvidenceWitnessStruck(caseId, witness);
        uint32 topic = seat.topic;
        if (_holdsValid(witness, topic)) revert EvidenceCredentialStillValid(witness, topic);
        seat.struck = true;
        emit WitnessStruck(caseId, witness, topic, msg.sender);
    }

    /// @dev Reverts unless case `caseId` exists and the caller controls its clerk, who still holds COURT_CLERK.
    function _requireClerk(uint32 caseId) private view {
        address clerk = _cases[caseId].clerk;
        if (clerk == address(0)) revert EvidenceUnknownCase(caseId);
        _requireCredential(clerk, msg.sender, Topics.COURT_CLERK);
    }

    // ───────────────────────────── Anchors ─────────────────────────────

    /**
     * @dev Anchors `hash` for `submitter` in case `caseId`: a batch root when `itemCount` is not zero, a new version
     * of `previous` when that is not zero (the caller links the versions).
     */
    function _anchor(
        address submitter,
        uint32 caseId,
        bytes32 hash,
        uint8 category,
        uint32 itemCount,
        bytes32 metadataHash,
        bytes32 previous
    ) internal {
        if (hash == bytes32(0)) revert EvidenceZeroHash();
        if (!_isKnownCategory(category)) revert EvidenceUnknownCategory(category);
        Anchor storage anchored = _anchors[hash];
        uint40 existing = anchored.anchoredAt;
        if (existing != 0) revert EvidenceAlreadyAnchored(hash, existing);
        _requirePermission(caseId, submitter, EvidenceKinds.SUBMIT);
        _requireController(submitter);
        uint40 time = uint40(_now());
        // The whole Anchor in one write (the slot is empty: anchors are never deleted), laid out as Solidity packs
        // the struct: submitter, anchoredAt, caseId, category, flags, witnessed from the lowest byte up.
        uint256 packed = uint256(uint160(submitter)) |
            (uint256(time) << 160) |
            (uint256(caseId) << 200) |
            (uint256(category) << 232) |
            (uint256(itemCount == 0 ? 0 : EvidenceKinds.FLAG_BATCH) << 240);
        assembly ("memory-safe") {
            sstore(anchored.slot, packed)
        }
        _record(EvidenceKinds.anchorEntry(hash, caseId, submitter, category, itemCount, metadataHash, previous, time));
        if (itemCount == 0) {
            // emit Anchored(hash, caseId, submitter, category, metadataHash), from the scratch space: ~80 gas less
            // than the encoder's copy to allocated memory, on every anchor.
            bytes32 topic = Anchored.selector;
            assembly ("memory-safe") {
                mstore(0x00, and(category, 0xff))
                mstore(0x20, metadataHash)
                log4(0x00, 0x40, topic, hash, and(caseId, 0xffffffff), and(submitter, 0xffffffffffffffffffffffffffffffffffffffff))
            }
        } else {
            emit BatchAnchored(hash, caseId, submitter, category, itemCount, metadataHash);
        }
    }

    function _supersede(
        address submitter,
        bytes32 previous,
        bytes32 hash,
        uint8 category,
        bytes32 metadataHash
    ) internal {
        uint32 caseId = _requireAnchored(previous).caseId;
        bytes32 next = _nextVersions[previous];
        if (next != bytes32(0)) revert EvidenceAlreadySuperseded(previous, next);
        _anchor(submitter, caseId, hash, category, 0, metadataHash, previous);
        _nextVersions[previous] = hash;
        _previousVersions[hash] = previous;
        emit Superseded(previous, hash);
    }

    function _dispute(address party, bytes32 hash, bytes32 reasonHash) internal {
        Anchor storage anchored = _requireAnchored(hash);
        if (reasonHash == bytes32(0)) revert EvidenceZeroHash();
        _requirePermission(anchored.caseId, party, EvidenceKinds.DISPUTE);
        _requireController(party);
        anchored.flags |= EvidenceKinds.FLAG_DISPUTED;
        uint40 time = uint40(_now());
        _record(EvidenceKinds.disputeEntry(hash, party, reasonHash, time));
        emit Disputed(hash, party, reasonHash, time);
    }

    // ───────────────────────────── Custody ─────────────────────────────

    function _logCustody(address actor, bytes32 hash, uint8 action, bytes32 reasonHash) internal {
        uint8 permission = _permissionFor(action);
        uint32 caseId = _requireAnchored(hash).caseId;
        _requirePermission(caseId, actor, permission);
        _requireController(actor);
        uint40 time = uint40(_now());
        mapping(bytes32 => bytes32) storage heads = _heads;
        bytes32 head = EvidenceKinds.custodyEntry(heads[hash], hash, action, actor, reasonHash, time);
        heads[hash] = head;
        _record(head);
        // emit CustodyLogged(hash, actor, action, reasonHash, time, head), from the free memory without
        // allocating it: ~80 gas less than the encoder's copy, on every custody entry.
        bytes32 topic = CustodyLogged.selector;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, and(action, 0xff))
            mstore(add(m, 0x20), reasonHash)
            mstore(add(m, 0x40), and(time, 0xffffffffff))
            mstore(add(m, 0x60), head)
            log3(m, 0x80, topic, hash, and(actor, 0xffffffffffffffffffffffffffffffffffffffff))
        }
    }

    // ───────────────────────────── Witnesses ─────────────────────────────

    /// @dev Adds the co-signatures to `hash`'s witness set; all or none.
    function _cosign(bytes32 hash, Cosignature[] calldata cosignatures) internal {
        if (cosignatures.length == 0) revert EvidenceNoCosignatures();
        Anchor storage anchored = _requireAnchored(hash);
        uint32 caseId = anchored.caseId;
        uint8 before = anchored.witnessed;
        uint8 witnessed = before;
        for (uint256 i = 0; i < cosignatures.length; ++i) {
            Cosignature calldata c = cosignatures[i];
            witnessed = _addCosignature(hash, caseId, witnessed, c.witness, c.deadline, c.signature);
        }
        _storeCosignatures(hash, anchored, caseId, before, witnessed);
    }

    /// @dev {_cosign} for one co-signature given field by field.
    function _cosign(bytes32 hash, address witness, uint256 deadline, bytes calldata signature) internal {
        Anchor storage anchored = _requireAnchored(hash);
        uint32 caseId = anchored.caseId;
        uint8 before = anchored.witnessed;
        uint8 witnessed = _addCosignature(hash, caseId, before, witness, deadline, signature);
        _storeCosignatures(hash, anchored, caseId, before, witnessed);
    }

    function _addCosignature(
        bytes32 hash,
        uint32 caseId,
        uint8 witnessed,
        address witness,
        uint256 deadline,
        bytes calldata signature
    ) private returns (uint8) {
        WitnessSeat memory seat = _seats[caseId][witness];
        if (seat.seat == 0) revert EvidenceNotWitness(caseId, witness);
        if (seat.struck) revert EvidenceWitnessStruck(caseId, witness);
        uint8 bit = uint8(1 << (seat.seat - 1));
        if (witnessed & bit != 0) revert EvidenceAlreadyWitnessed(hash, witness);
        // No nonce: a co-signature names its anchor and witness, and the witness bit makes it count once.
        _requireSigned(
            _didRegistry().identityOwner(witness),
            keccak256(abi.encode(COSIGN_TYPEHASH, hash, witness, deadline)),
            deadline,
            signature
        );
        witnessed |= bit;
        emit Cosigned(hash, witness, _count(witnessed));
        return witnessed;
    }

    function _storeCosignatures(
        bytes32 hash,
        Anchor storage anchored,
        uint32 caseId,
        uint8 before,
        uint8 witnessed
    ) private {
        anchored.witnessed = witnessed;
        uint8 threshold = _cases[caseId].threshold;
        uint8 count = _count(witnessed);
        if (_count(before) < threshold && count >= threshold) emit Finalized(hash, count);
    }

    // ───────────────────────────── Accumulator ─────────────────────────────

    /// @dev Folds `entry` into the running accumulator. Every anchor, custody entry and dispute comes through here.
    function _record(bytes32 entry) internal virtual {
        _accumulator = EvidenceKinds.fold(_accumulator, entry);
    }

    function _checkpoint() internal returns (uint64 sequence) {
        bytes32 current = _accumulator;
        sequence = _checkpointSequence;
        if (current == _checkpointed) revert EvidenceCheckpointUnchanged(sequence, current);
        _checkpointed = current;
        sequence += 1;
        _checkpointSequence = sequence;
        emit Checkpointed(sequence, current, uint40(_now()));
    }

    // ───────────────────────────── Checks ─────────────────────────────

    /// @dev Reverts unless the caller controls `identity` (its owner or a valid sigAuth delegate).
    function _requireController(address identity) internal view {
        if (!_controls(identity, msg.sender)) revert IdentityGateNotController(identity, msg.sender);
    }

    /// @dev Reverts unless `member` is admitted to case `caseId` with `permission`.
    function _requirePermission(uint32 caseId, address member, uint8 permission) internal view {
        Access storage access = _access[_memberKey(caseId, member)];
        uint256 permissions;
        // The permissions are the slot's lowest byte (see {Access}); one SLOAD without the struct copy.
        assembly ("memory-safe") {
            permissions := and(sload(access.slot), 0xff)
        }
        if (permissions & permission == 0) {
            if (caseId == 0 || caseId > _caseCount) revert EvidenceUnknownCase(caseId);
            revert EvidenceNotPermitted(caseId, member, permission);
        }
    }

    /// @dev The key of `member`'s admission to case `caseId` in `_access`: the case id above the address.
    function _memberKey(uint32 caseId, address member) private pure returns (bytes32) {
        return bytes32((uint256(caseId) << 160) | uint256(uint160(member)));
    }

    function _requireAnchored(bytes32 hash) internal view returns (Anchor storage anchored) {
        anchored = _anchors[hash];
        if (anchored.anchoredAt == 0) revert EvidenceNotAnchored(hash);
    }

    /// @dev Number of witnesses in an 8-bit witness set.
    function _count(uint8 witnessed) private pure returns (uint8 count) {
        for (; witnessed != 0; witnessed &= witnessed - 1) ++count;
    }

    // ───────────────────────────── Hooks ─────────────────────────────

    /// @dev Whether the vault accepts evidence of `category`. Override to add evidence kinds.
    function _isKnownCategory(uint8 category) internal pure virtual returns (bool) {
        // 1..MAX_CATEGORY in one comparison: category 0 wraps to 255.
        unchecked {
            return category - 1 < EvidenceKinds.MAX_CATEGORY;
        }
    }

    /// @dev The permission custody `action` needs in the case; reverts for an unknown action.
    function _permissionFor(uint8 action) internal pure virtual returns (uint8) {
        if (action == EvidenceKinds.REVIEW || action == EvidenceKinds.APPROVE || action == EvidenceKinds.REJECT) {
            return EvidenceKinds.DECIDE;
        }
        if (action > EvidenceKinds.SENSITIVE_OPERATION) revert EvidenceUnknownAction(action);
        return EvidenceKinds.LOG;
    }

    /// @dev The permissions a member admitted under credential `topic` may hold (0: not admissible).
    function _admissiblePermissions(uint32 topic) internal pure virtual returns (uint8) {
        if (topic == Topics.COURT_CLERK || topic == Topics.JUDGE || topic == Topics.ARBITRATOR) {
            return EvidenceKinds.SUBMIT | EvidenceKinds.LOG | EvidenceKinds.DECIDE;
        }
        if (topic == Topics.LAWYER || topic == Topics.CASE_PARTY) {
            return EvidenceKinds.SUBMIT | EvidenceKinds.LOG | EvidenceKinds.DISPUTE;
        }
        if (topic == Topics.NOTARY) return EvidenceKinds.SUBMIT | EvidenceKinds.LOG;
        if (topic == Topics.REGULATOR) return EvidenceKinds.LOG;
        return 0;
    }

    /// @dev Whether a credential on `topic` qualifies a witness.
    function _isWitnessTopic(uint32 topic) internal pure virtual returns (bool) {
        return
            topic == Topics.NOTARY ||
            topic == Topics.ARBITRATOR ||
            topic == Topics.JUDGE ||
            topic == Topics.COURT_CLERK ||
            topic == Topics.REGULATOR;
    }

    // ───────────────────────────── Views ─────────────────────────────

    /// @inheritdoc IEvidenceVault
    function anchorOf(bytes32 hash) external view returns (Anchor memory) {
        return _anchors[hash];
    }

    /// @inheritdoc IEvidenceVault
    function versionsOf(bytes32 hash) external view returns (bytes32 previous, bytes32 next) {
        return (_previousVersions[hash], _nextVersions[hash]);
    }

    /// @inheritdoc IEvidenceVault
    function cosignersOf(bytes32 hash) external view returns (address[] memory cosigners) {
        Anchor memory anchored = _anchors[hash];
        cosigners = new address[](_count(anchored.witnessed));
        address[] storage witnesses = _cases[anchored.caseId].witnesses;
        uint256 found = 0;
        for (uint256 i = 0; found < cosigners.length; ++i) {
            if (anchored.witnessed & (1 << i) != 0) cosigners[found++] = witnesses[i];
        }
    }

    /// @inheritdoc IEvidenceVault
    function isFinal(bytes32 hash) external view returns (bool) {
        Anchor memory anchored = _anchors[hash];
        return anchored.anchoredAt != 0 && _count(anchored.witnessed) >= _cases[anchored.caseId].threshold;
    }

    /// @inheritdoc IEvidenceVault
    function custodyHeadOf(bytes32 hash) external view returns (bytes32) {
        return _heads[hash];
    }

    /// @inheritdoc IEvidenceVault
    function verifyInclusion(bytes32 root, bytes32 leaf, bytes32[] calldata proof) external view returns (bool) {
        return _anchors[root].flags & EvidenceKinds.FLAG_BATCH != 0 && MerkleBatch.contains(root, leaf, proof);
    }

    /// @inheritdoc IEvidenceVault
    function caseOf(uint32 caseId) external view returns (CaseView memory) {
        CaseRecord storage record = _cases[caseId];
        return CaseView(record.clerk, record.courtRef, record.openedAt, record.threshold, record.witnesses);
    }

    /// @inheritdoc IEvidenceVault
    function caseIdOf(bytes32 courtRef) external view returns (uint32) {
        return _caseIds[courtRef];
    }

    /// @inheritdoc IEvidenceVault
    function caseCount() external view returns (uint32) {
        return _caseCount;
    }

    /// @inheritdoc IEvidenceVault
    function accessOf(uint32 caseId, address member) external view returns (Access memory) {
        return _access[_memberKey(caseId, member)];
    }

    /// @inheritdoc IEvidenceVault
    function witnessSeatOf(uint32 caseId, address witness) external view returns (WitnessSeat memory) {
        return _seats[caseId][witness];
    }

    /// @inheritdoc IEvidenceVault
    function accumulator() external view returns (bytes32) {
        return _accumulator;
    }

    /// @inheritdoc IEvidenceVault
    function lastCheckpoint() external view returns (uint64 sequence, bytes32 accumulator_) {
        return (_checkpointSequence, _checkpointed);
    }
}

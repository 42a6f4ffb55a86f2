// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {MerkleBatch} from "../common/MerkleBatch.sol";
import {TimeSource} from "../common/TimeSource.sol";
import {UpgradeableModule} from "../governance/UpgradeableModule.sol";
import {IdentityGate} from "../identity/IdentityGate.sol";
import {ICredentialRegistry} from "../interfaces/ICredentialRegistry.sol";
import {IDIDRegistry} from "../interfaces/IDIDRegistry.sol";
import {ITraceRegistry} from "../interfaces/ITraceRegistry.sol";

/**
 * @title TraceRegistryBase
 * @notice Everything of {ITraceRegistry} but construction: extend it to add a trace stage (a rule that one step
 * must follow another, a profile-specific check) by overriding {_beforeEvent}, through which every chained event
 * passes, and {_beforeCreate}, through which every new batch passes.
 * @dev Storage, laid out for the hot paths (ERC-7201 namespace `trustbase.storage.TraceRegistry`):
 * - a batch is three slots: (owner, product, origin) written once at creation; (custodian, eventCount, recalled,
 *   consumedBy), the hot slot every chained event reads and updates; and its head. A sensor root takes one more
 *   slot, only for events that carry one; bulky fields go to the {TraceEventRecorded} log, committed by the chain.
 * - lineage: a transformation's inputs and outputs are stored once, under keys `(id << 6) | i` (inputs at
 *   0..31, outputs at 32..63) and read until the first empty key (a batch id is never zero), so no length slot;
 *   each output points at it with `origin`, each input with `consumedBy`.
 * - recalls are one flag on the recalled batch. {statusOf} walks ancestors (transformation inputs and the
 *   containers a batch is packed in) at read time, up to {MAX_LINEAGE_WALK} batches: a recall costs the same
 *   whatever the number of descendants, and a descendant created after the recall is covered too. Writing the
 *   recall into every descendant instead would make its gas grow with the supply chain (a paddy batch reaches
 *   thousands of retail packs) and could exceed a block. Recording on a batch checks only its own flags (the
 *   walk would cost every event); readers and regulators ask {statusOf}.
 */
abstract contract TraceRegistryBase is UpgradeableModule, TimeSource, IdentityGate, ITraceRegistry {
    using EnumerableSet for EnumerableSet.Bytes32Set;

    /// @dev A batch. Slot 0: 20 + 8 + 4 bytes, written at creation. Slot 1: 20 + 4 + 1 + 4 bytes, the hot slot.
    struct Batch {
        address owner;
        uint64 product;
        uint32 origin;
        address custodian; // zero (transformation outputs): the owner holds the goods
        uint32 eventCount;
        bool recalled;
        uint32 consumedBy;
        bytes32 head; // slot 2: the hash-chain head
    }

    /// @custom:storage-location erc7201:trustbase.storage.TraceRegistry
    struct TraceRegistryStorage {
        mapping(uint8 step => StepRule) rules;
        mapping(bytes32 batchId => Batch) batches;
        mapping(bytes32 batchId => mapping(uint256 index => bytes32)) sensorRoots;
        mapping(bytes32 batchId => mapping(uint256 index => bool)) voided;
        mapping(bytes32 breach => bool) breaches;
        mapping(bytes32 batchId => mapping(Party party => address)) proposals;
        uint32 nextTransformation;
        mapping(uint256 key => bytes32) lineage;
        mapping(bytes32 item => bytes32) containers;
        mapping(bytes32 container => EnumerableSet.Bytes32Set) contents;
    }

    // keccak256(abi.encode(uint256(keccak256("trustbase.storage.TraceRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0xf5bbba269abfe0bd48456645e0c9974299ef805a24550d9d78d5abcbb7a38b00;

    /// @notice Most inputs, and most outputs, of one transformation.
    uint256 public constant MAX_TRANSFORM_SIDE = 32;
    /// @notice Most events of one {recordEvents} call, and most items of one aggregation.
    uint256 public constant MAX_LIST = 64;
    /// @notice Most batches {statusOf} visits (the batch, its ancestors, their containers).
    uint256 public constant MAX_LINEAGE_WALK = 256;

    uint256 private constant OUTPUT_SLOT = 32;
    uint8 private constant ACTION_ADD = 1;
    uint8 private constant ACTION_DELETE = 2;

    /**
     * @param dids The suite's DID registry (for the gate).
     * @param credentials The suite's credential registry (for the gate).
     * @param millisecondTimestamps true on chains whose `block.timestamp` counts milliseconds.
     * @custom:oz-upgrades-unsafe-allow constructor
     */
    constructor(
        IDIDRegistry dids,
        ICredentialRegistry credentials,
        bool millisecondTimestamps
    ) TimeSource(millisecondTimestamps) IdentityGate(dids, credentials) {}

    /// @dev Sets the state a fresh proxy starts with; call from the concrete module's initializer.
    // solhint-disable-next-line func-name-mixedcase
    function __TraceRegistry_init(address authority) internal onlyInitializing {
        __UpgradeableModule_init(authority);
        // Transformation ids start at 1 (0 means "none"); a nonzero counter makes each later one a 5,000-gas update.
        _storage().nextTransformation = 1;
    }

    // ───────────────────────────── Governance ─────────────────────────────

    /// @inheritdoc ITraceRegistry
    function setStepRule(uint8 step, StepRule calldata rule) external restricted {
        TraceRegistryStorage storage $ = _storage();
        if (step == 0 || (rule.topic == 0 && $.rules[step].topic == 0)) revert TraceStepUnknown(step);
        $.rules[step] = rule.topic == 0 ? StepRule(0, false, false) : rule;
        emit StepRuleSet(step, rule.topic, rule.topic != 0 && rule.custody, rule.topic != 0 && rule.authority);
    }

    // ───────────────────────────── Recording ─────────────────────────────

    /// @inheritdoc ITraceRegistry
    function createBatch(bytes32 batchId, uint64 product, uint8 step) external {
        TraceRegistryStorage storage $ = _storage();
        _requireStep($, step);
        _create($, batchId, product, 0);
        // Explicit from the start: the hot path then finds holder and existence in the hot slot alone.
        $.batches[batchId].custodian = msg.sender;
    }

    /// @inheritdoc ITraceRegistry
    function recordEvent(EventInput calldata input) external returns (uint256 index) {
        TraceRegistryStorage storage $ = _storage();
        StepRule memory rule = _requireStep($, input.step);
        return _recordObject($, input, rule, EventKind.Object, input.readPoint, input.disposition);
    }

    /// @inheritdoc ITraceRegistry
    function recordEvents(EventInput[] calldata inputs) external {
        uint256 count = inputs.length;
        if (count == 0 || count > MAX_LIST) revert TraceListSize(count, MAX_LIST);
        TraceRegistryStorage storage $ = _storage();
        uint256 checked; // bit `step`: the caller's credential for that step was checked in this call
        StepRule memory rule;
        uint256 ruleStep; // the step `rule` belongs to (0: none yet)
        for (uint256 i = 0; i < count; ++i) {
            EventInput calldata input = inputs[i];
            uint8 step = input.step;
            if (checked & (1 << step) == 0) {
                rule = _requireStep($, step);
                checked |= 1 << step;
                ruleStep = step;
            } else if (step != ruleStep) {
                rule = $.rules[step];
                ruleStep = step;
            }
            _recordObject($, input, rule, EventKind.Object, input.readPoint, input.disposition);
        }
    }

    /// @inheritdoc ITraceRegistry
    function associate(EventInput calldata input, bytes32 device, bool add) external {
        TraceRegistryStorage storage $ = _storage();
        StepRule memory rule = _requireStep($, input.step);
        _recordObject($, input, rule, EventKind.Association, device, add ? ACTION_ADD : ACTION_DELETE);
    }

    /// @inheritdoc ITraceRegistry
    function transform(
        bytes32[] calldata inputs,
        OutputInput[] calldata outputs,
        EventInput calldata fields
    ) external returns (uint256 transformation) {
        if (inputs.length == 0 || inputs.length > MAX_TRANSFORM_SIDE) {
            revert TraceListSize(inputs.length, MAX_TRANSFORM_SIDE);
        }
        if (outputs.length == 0 || outputs.length > MAX_TRANSFORM_SIDE) {
            revert TraceListSize(outputs.length, MAX_TRANSFORM_SIDE);
        }
        TraceRegistryStorage storage $ = _storage();
        _requireStep($, fields.step);
        if (fields.eventHash == bytes32(0)) revert TraceEventHashMissing(fields.batchId);
        transformation = $.nextTransformation;
        $.nextTransformation = uint32(transformation + 1);
        uint32 id = uint32(transformation);
        uint256 base = transformation << 6;
        for (uint256 i = 0; i < inputs.length; ++i) {
            bytes32 input = inputs[i];
            if ($.batches[input].consumedBy == id) revert TraceDuplicate(input);
            Batch storage batch = _activeBatch($, input);
            _requireHolder(batch, input);
            batch.consumedBy = id;
            $.lineage[base | i] = input;
            _chain(
                $,
                input,
                batch,
                Entry(
                    EventKind.Transformation,
                    fields.step,
                    fields.disposition,
                    bytes32(transformation),
                    fields.bizLocation,
                    fields.eventHash,
                    fields.sensorRoot
                )
            );
        }
        bytes32[] memory created = new bytes32[](outputs.length);
        for (uint256 i = 0; i < outputs.length; ++i) {
            created[i] = outputs[i].batchId;
            _create($, created[i], outputs[i].product, id);
            $.lineage[base | (OUTPUT_SLOT + i)] = created[i];
        }
        emit Transformed(transformation, msg.sender, inputs, created);
    }

    /// @inheritdoc ITraceRegistry
    function aggregate(EventInput calldata fields, bytes32[] calldata items, bool pack) external {
        if (items.length == 0 || items.length > MAX_LIST) revert TraceListSize(items.length, MAX_LIST);
        TraceRegistryStorage storage $ = _storage();
        // Whatever the step's rule says of custody, packing moves goods: the caller must hold every batch.
        _requireStep($, fields.step);
        bytes32 container = fields.batchId;
        Batch storage box = _activeBatch($, container);
        _requireHolder(box, container);
        for (uint256 i = 0; i < items.length; ++i) {
            bytes32 item = items[i];
            if (pack) {
                _requireHolder(_activeBatch($, item), item);
                bytes32 current = $.containers[item];
                if (current != bytes32(0)) revert TraceAlreadyPacked(item, current);
                // No cycles: the container may not be (inside) the item.
                for (bytes32 outer = container; outer != bytes32(0); outer = $.containers[outer]) {
                    if (outer == item) revert TraceDuplicate(item);
                }
                $.containers[item] = container;
                $.contents[container].add(item);
            } else {
                if ($.containers[item] != container) revert TraceNotPacked(item, container);
                delete $.containers[item];
                $.contents[container].remove(item);
            }
        }
        _record($, fields, EventKind.Aggregation, keccak256(abi.encodePacked(items)), pack ? ACTION_ADD : ACTION_DELETE, box);
        emit Aggregated(container, msg.sender, pack, items);
    }

    /// @inheritdoc ITraceRegistry
    function proposeTransfer(bytes32 batchId, Party party, address to) external {
        TraceRegistryStorage storage $ = _storage();
        Batch storage batch = _activeBatch($, batchId);
        address current = _holderOf(batch, party);
        if (to == address(0) || to == current || party == Party.None) revert TraceTransferInvalid(batchId, party, to);
        if (!_mayPropose(batch, party)) revert TraceProposalNotYours(batchId, party, to, msg.sender);
        address pending = $.proposals[batchId][party];
        if (pending != address(0)) revert TraceProposalPending(batchId, party, pending);
        $.proposals[batchId][party] = to;
        emit TransferProposed(batchId, party, to, msg.sender);
    }

    /// @inheritdoc ITraceRegistry
    function acceptTransfer(bytes32 batchId, Party party, bytes32 eventHash) external {
        TraceRegistryStorage storage $ = _storage();
        address to = $.proposals[batchId][party];
        if (to != msg.sender || to == address(0)) revert TraceProposalNotYours(batchId, party, to, msg.sender);
        if (eventHash == bytes32(0)) revert TraceEventHashMissing(batchId);
        Batch storage batch = _activeBatch($, batchId);
        delete $.proposals[batchId][party];
        address from = _holderOf(batch, party);
        if (party == Party.Owner) {
            // The goods stay where they are: an implicit custodian (the old owner) becomes explicit.
            if (batch.custodian == address(0)) batch.custodian = from;
            batch.owner = to;
        } else {
            batch.custodian = to;
        }
        _chain(
            $,
            batchId,
            batch,
            Entry(
                EventKind.Transaction,
                0,
                uint8(party),
                bytes32(uint256(uint160(from))),
                bytes32(uint256(uint160(to))),
                eventHash,
                bytes32(0)
            )
        );
        emit TransferAccepted(batchId, party, to, from);
    }

    /// @inheritdoc ITraceRegistry
    function rejectTransfer(bytes32 batchId, Party party) external {
        TraceRegistryStorage storage $ = _storage();
        address to = $.proposals[batchId][party];
        if (to != msg.sender || to == address(0)) revert TraceProposalNotYours(batchId, party, to, msg.sender);
        delete $.proposals[batchId][party];
        emit TransferRejected(batchId, party, to);
    }

    /// @inheritdoc ITraceRegistry
    function cancelTransfer(bytes32 batchId, Party party) external {
        TraceRegistryStorage storage $ = _storage();
        address to = $.proposals[batchId][party];
        // A pending proposal implies an existing batch.
        if (to == address(0) || !_mayPropose($.batches[batchId], party)) {
            revert TraceProposalNotYours(batchId, party, to, msg.sender);
        }
        delete $.proposals[batchId][party];
        emit TransferCancelled(batchId, party, to, msg.sender);
    }

    /// @inheritdoc ITraceRegistry
    function correct(EventInput calldata input, uint256 voidedIndex, bytes32 reason) external {
        TraceRegistryStorage storage $ = _storage();
        _requireStep($, input.step);
        bytes32 batchId = input.batchId;
        Batch storage batch = _existingBatch($, batchId);
        _requireHolder(batch, batchId);
        if (voidedIndex >= batch.eventCount) revert TraceEventUnknown(batchId, voidedIndex);
        if ($.voided[batchId][voidedIndex]) revert TraceEventVoided(batchId, voidedIndex);
        if (input.eventHash == bytes32(0)) revert TraceEventHashMissing(batchId);
        $.voided[batchId][voidedIndex] = true;
        uint256 index = _chain(
            $,
            batchId,
            batch,
            Entry(EventKind.Correction, input.step, 0, bytes32(voidedIndex), reason, input.eventHash, bytes32(0))
        );
        emit EventVoided(batchId, voidedIndex, index, reason);
    }

    /// @inheritdoc ITraceRegistry
    function recall(bytes32 batchId, uint8 step, bytes32 reason) external {
        TraceRegistryStorage storage $ = _storage();
        _requireAuthority($, step);
        Batch storage batch = _existingBatch($, batchId);
        if (batch.recalled) revert TraceBatchNotActive(batchId, Status.Recalled);
        if (reason == bytes32(0)) revert TraceEventHashMissing(batchId);
        batch.recalled = true;
        _chain($, batchId, batch, Entry(EventKind.Recall, step, 0, bytes32(0), reason, reason, bytes32(0)));
        emit BatchRecalled(batchId, msg.sender, reason);
    }

    /// @inheritdoc ITraceRegistry
    function recordBreach(
        bytes32 batchId,
        uint256 eventIndex,
        uint8 step,
        bytes32 reading,
        bytes32[] calldata proof,
        bytes32 report
    ) external {
        TraceRegistryStorage storage $ = _storage();
        _requireAuthority($, step);
        Batch storage batch = _existingBatch($, batchId);
        if (!_verifyReading($, batchId, eventIndex, reading, proof)) {
            revert TraceReadingNotProved(batchId, eventIndex, reading);
        }
        bytes32 key = keccak256(abi.encode(batchId, eventIndex, reading));
        if ($.breaches[key]) revert TraceBreachExists(batchId, eventIndex, reading);
        if (report == bytes32(0)) revert TraceEventHashMissing(batchId);
        $.breaches[key] = true;
        _chain($, batchId, batch, Entry(EventKind.Breach, step, 0, bytes32(eventIndex), reading, report, bytes32(0)));
        emit ReadingBreached(batchId, eventIndex, reading, msg.sender, report);
    }

    // ───────────────────────────── Views ─────────────────────────────

    /// @inheritdoc ITraceRegistry
    function stepRule(uint8 step) external view returns (StepRule memory) {
        return _storage().rules[step];
    }

    /// @inheritdoc ITraceRegistry
    function verifyReading(
        bytes32 batchId,
        uint256 eventIndex,
        bytes32 leaf,
        bytes32[] calldata proof
    ) external view returns (bool) {
        return _verifyReading(_storage(), batchId, eventIndex, leaf, proof);
    }

    /// @inheritdoc ITraceRegistry
    function isBreached(bytes32 batchId, uint256 eventIndex, bytes32 reading) external view returns (bool) {
        return _storage().breaches[keccak256(abi.encode(batchId, eventIndex, reading))];
    }

    /// @inheritdoc ITraceRegistry
    function sensorRootOf(bytes32 batchId, uint256 eventIndex) external view returns (bytes32) {
        return _storage().sensorRoots[batchId][eventIndex];
    }

    /// @inheritdoc ITraceRegistry
    function isVoided(bytes32 batchId, uint256 eventIndex) external view returns (bool) {
        return _storage().voided[batchId][eventIndex];
    }

    /// @inheritdoc ITraceRegistry
    function headOf(bytes32 batchId) external view returns (bytes32) {
        return _storage().batches[batchId].head;
    }

    /// @inheritdoc ITraceRegistry
    function statusOf(bytes32 batchId) public view returns (Status) {
        TraceRegistryStorage storage $ = _storage();
        Batch storage batch = $.batches[batchId];
        if (batch.owner == address(0)) return Status.Unknown;
        // Breadth-first over the batch, its ancestors and the containers any of them is packed in.
        bytes32[] memory seen = new bytes32[](MAX_LINEAGE_WALK);
        seen[0] = batchId;
        uint256 count = 1;
        for (uint256 next = 0; next < count; ++next) {
            if ($.batches[seen[next]].recalled) return Status.Recalled;
            count = _enqueueParents($, seen, count, next);
        }
        return batch.consumedBy != 0 ? Status.Consumed : Status.Active;
    }

    /// @inheritdoc ITraceRegistry
    function traceOf(bytes32 batchId) external view returns (TraceView memory view_) {
        TraceRegistryStorage storage $ = _storage();
        Batch memory batch = $.batches[batchId];
        if (batch.owner == address(0)) return view_;
        view_.product = batch.product;
        view_.owner = batch.owner;
        view_.custodian = batch.custodian == address(0) ? batch.owner : batch.custodian;
        view_.status = statusOf(batchId);
        view_.eventCount = batch.eventCount;
        view_.head = batch.head;
        view_.parents = _lineageIds($, batch.origin, 0);
        view_.container = $.containers[batchId];
    }

    /// @inheritdoc ITraceRegistry
    function parentsOf(bytes32 batchId) external view returns (bytes32[] memory) {
        TraceRegistryStorage storage $ = _storage();
        return _lineageIds($, $.batches[batchId].origin, 0);
    }

    /// @inheritdoc ITraceRegistry
    function childrenOf(bytes32 batchId) external view returns (bytes32[] memory) {
        TraceRegistryStorage storage $ = _storage();
        return _lineageIds($, $.batches[batchId].consumedBy, OUTPUT_SLOT);
    }

    /// @inheritdoc ITraceRegistry
    function containerOf(bytes32 item) external view returns (bytes32) {
        return _storage().containers[item];
    }

    /// @inheritdoc ITraceRegistry
    function contentsOf(bytes32 container) external view returns (bytes32[] memory) {
        return _storage().contents[container].values();
    }

    /// @inheritdoc ITraceRegistry
    function pendingTransfer(bytes32 batchId, Party party) external view returns (address) {
        return _storage().proposals[batchId][party];
    }

    /// @inheritdoc ITraceRegistry
    function linkOf(
        bytes32 batchId,
        address actor,
        uint256 index,
        EventKind kind,
        uint8 step,
        uint8 disposition,
        bytes32 readPoint,
        bytes32 bizLocation,
        bytes32 eventHash,
        bytes32 sensorRoot,
        bytes32 previous,
        uint64 time
    ) external pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    batchId,
                    actor,
                    index,
                    kind,
                    step,
                    disposition,
                    readPoint,
                    bizLocation,
                    eventHash,
                    sensorRoot,
                    previous,
                    time
                )
            );
    }

    // ───────────────────────────── Hooks ─────────────────────────────

    /**
     * @dev Called before every chained event is appended, after the built-in checks (credential, custody,
     * status). Override to add a stage's own rule, for example that slaughtering follows a veterinary
     * inspection; revert to refuse. `kind`, `step` and `batchId` are the event's; the actor is `msg.sender`.
     */
    function _beforeEvent(EventKind kind, bytes32 batchId, uint8 step) internal virtual {}

    /// @dev Called before a batch is created (by {createBatch}, or as an output of a transformation).
    function _beforeCreate(bytes32 batchId, uint64 product, uint256 origin) internal virtual {}

    // ───────────────────────────── Internals ─────────────────────────────

    /// @dev The chained-event fields beyond batch and actor.
    struct Entry {
        EventKind kind;
        uint8 step;
        uint8 disposition;
        bytes32 readPoint;
        bytes32 bizLocation;
        bytes32 eventHash;
        bytes32 sensorRoot;
    }

    function _create(TraceRegistryStorage storage $, bytes32 batchId, uint64 product, uint32 origin) private {
        Batch storage batch = $.batches[batchId];
        if (batchId == bytes32(0) || batch.owner != address(0)) revert TraceBatchExists(batchId);
        _beforeCreate(batchId, product, origin);
        batch.owner = msg.sender;
        batch.product = product;
        batch.origin = origin;
        emit BatchCreated(batchId, msg.sender, product, origin);
    }

    /// @dev An object or association event: status and custody per the step's rule, then chained.
    function _recordObject(
        TraceRegistryStorage storage $,
        EventInput calldata input,
        StepRule memory rule,
        EventKind kind,
        bytes32 readPoint,
        uint8 disposition
    ) private returns (uint256) {
        bytes32 batchId = input.batchId;
        Batch storage batch = $.batches[batchId];
        // The hot slot read once: custodian, recalled and consumedBy decide most calls without the owner's slot.
        uint256 hot;
        assembly ("memory-safe") {
            hot := sload(add(batch.slot, 1))
        }
        address custodian = address(uint160(hot));
        if (!rule.authority) {
            if ((hot >> 192) & 0xff != 0) revert TraceBatchNotActive(batchId, Status.Recalled);
            if (uint32(hot >> 200) != 0) revert TraceBatchNotActive(batchId, Status.Consumed);
        }
        if (custodian == address(0) && batch.owner == address(0)) revert TraceBatchUnknown(batchId);
        if (rule.custody && custodian != msg.sender && batch.owner != msg.sender) {
            revert TraceNotHolder(batchId, msg.sender);
        }
        return _record($, input, kind, readPoint, disposition, batch);
    }

    function _record(
        TraceRegistryStorage storage $,
        EventInput calldata input,
        EventKind kind,
        bytes32 readPoint,
        uint8 disposition,
        Batch storage batch
    ) private returns (uint256) {
        if (input.eventHash == bytes32(0)) revert TraceEventHashMissing(input.batchId);
        return
            _chain(
                $,
                input.batchId,
                batch,
                Entry(kind, input.step, disposition, readPoint, input.bizLocation, input.eventHash, input.sensorRoot)
            );
    }

    /// @dev Appends a chained event to `batchId`: count, head, sensor root, log.
    function _chain(
        TraceRegistryStorage storage $,
        bytes32 batchId,
        Batch storage batch,
        Entry memory entry
    ) private returns (uint256 index) {
        _beforeEvent(entry.kind, batchId, entry.step);
        index = batch.eventCount;
        if (index == type(uint32).max) revert TraceEventLimit(batchId);
        batch.eventCount = uint32(index + 1);
        bytes32 previous = batch.head;
        uint64 time = uint64(_now());
        bytes32 link;
        bytes32 topic0 = TraceEventRecorded.selector;
        // The link is keccak256 of the ABI encoding of the log's fields in order (see linkOf), built once in
        // scratch memory past the free pointer (nothing allocated); its last ten words are the log's data.
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, batchId)
            mstore(add(p, 0x20), caller())
            mstore(add(p, 0x40), index)
            for {
                let i := 0
            } lt(i, 0xe0) {
                i := add(i, 0x20)
            } {
                mstore(add(add(p, 0x60), i), mload(add(entry, i)))
            }
            mstore(add(p, 0x140), previous)
            mstore(add(p, 0x160), time)
            link := keccak256(p, 0x180)
            log3(add(p, 0x40), 0x140, topic0, batchId, caller())
        }
        batch.head = link;
        if (entry.sensorRoot != bytes32(0)) $.sensorRoots[batchId][index] = entry.sensorRoot;
    }

    /// @dev The rule of `step`, after checking the caller holds its topic.
    function _requireStep(TraceRegistryStorage storage $, uint8 step) private view returns (StepRule memory rule) {
        rule = $.rules[step];
        if (rule.topic == 0) revert TraceStepUnknown(step);
        _requireCredential(msg.sender, rule.topic);
    }

    function _requireAuthority(TraceRegistryStorage storage $, uint8 step) private view {
        StepRule memory rule = _requireStep($, step);
        if (!rule.authority) revert TraceStepNotAuthority(step);
    }

    function _existingBatch(TraceRegistryStorage storage $, bytes32 batchId) private view returns (Batch storage batch) {
        batch = $.batches[batchId];
        if (batch.custodian == address(0) && batch.owner == address(0)) revert TraceBatchUnknown(batchId);
    }

    /// @dev The batch, which must exist and be neither recalled nor consumed.
    function _activeBatch(TraceRegistryStorage storage $, bytes32 batchId) private view returns (Batch storage batch) {
        batch = $.batches[batchId];
        if (batch.recalled) revert TraceBatchNotActive(batchId, Status.Recalled);
        if (batch.consumedBy != 0) revert TraceBatchNotActive(batchId, Status.Consumed);
        if (batch.custodian == address(0) && batch.owner == address(0)) revert TraceBatchUnknown(batchId);
    }

    /// @dev Reverts unless the caller owns or holds the batch.
    function _requireHolder(Batch storage batch, bytes32 batchId) private view {
        address custodian = batch.custodian;
        if (custodian != msg.sender && batch.owner != msg.sender) revert TraceNotHolder(batchId, msg.sender);
    }

    function _holderOf(Batch storage batch, Party party) private view returns (address) {
        if (party == Party.Owner) return batch.owner;
        address custodian = batch.custodian;
        return custodian == address(0) ? batch.owner : custodian;
    }

    /// @dev Ownership is offered by the owner; custody by the owner or the custodian.
    function _mayPropose(Batch storage batch, Party party) private view returns (bool) {
        if (batch.owner == msg.sender) return party != Party.None;
        return party == Party.Custodian && batch.custodian == msg.sender;
    }

    function _verifyReading(
        TraceRegistryStorage storage $,
        bytes32 batchId,
        uint256 eventIndex,
        bytes32 leaf,
        bytes32[] calldata proof
    ) private view returns (bool) {
        bytes32 root = $.sensorRoots[batchId][eventIndex];
        if (root == bytes32(0)) revert TraceNoSensorData(batchId, eventIndex);
        return MerkleBatch.contains(root, leaf, proof);
    }

    /// @dev The ids stored for transformation `transformation` from `offset` (inputs 0, outputs 32).
    function _lineageIds(
        TraceRegistryStorage storage $,
        uint256 transformation,
        uint256 offset
    ) private view returns (bytes32[] memory ids) {
        ids = new bytes32[](MAX_TRANSFORM_SIDE);
        if (transformation == 0) {
            assembly ("memory-safe") {
                mstore(ids, 0)
            }
            return ids;
        }
        uint256 base = (transformation << 6) | offset;
        uint256 count;
        while (count < MAX_TRANSFORM_SIDE) {
            bytes32 id = $.lineage[base + count];
            if (id == bytes32(0)) break;
            ids[count++] = id;
        }
        assembly ("memory-safe") {
            mstore(ids, count) // shrink to the ids found
        }
    }

    /// @dev Appends the parents and the container of `seen[next]` to the walk.
    function _enqueueParents(
        TraceRegistryStorage storage $,
        bytes32[] memory seen,
        uint256 count,
        uint256 next
    ) private view returns (uint256) {
        bytes32 current = seen[next];
        uint256 base = uint256($.batches[current].origin) << 6;
        if (base != 0) {
            for (uint256 i = 0; i < OUTPUT_SLOT; ++i) {
                bytes32 parent = $.lineage[base | i];
                if (parent == bytes32(0)) break;
                count = _enqueue(seen, count, parent);
            }
        }
        bytes32 container = $.containers[current];
        return container == bytes32(0) ? count : _enqueue(seen, count, container);
    }

    /// @dev Appends `id` to the walk unless already there; reverts when the walk would exceed its bound.
    function _enqueue(bytes32[] memory seen, uint256 count, bytes32 id) private pure returns (uint256) {
        for (uint256 i = 0; i < count; ++i) {
            if (seen[i] == id) return count;
        }
        if (count == MAX_LINEAGE_WALK) revert TraceLineageTooLarge(seen[0], MAX_LINEAGE_WALK);
        seen[count] = id;
        return count + 1;
    }

    function _storage() internal pure returns (TraceRegistryStorage storage $) {
        assembly ("memory-safe") {
            $.slot := STORAGE_LOCATION
        }
    }
}

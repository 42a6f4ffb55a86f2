// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title ITraceRegistry
 * @notice Farm-to-table traceability with GS1 EPCIS 2.0 semantics: batches (lots, serialised items, animals,
 * pallets, compute orders) identified by a bytes32 id derived from a GS1 key or a URI (`sdk/gs1.ts`); business
 * steps recorded by credentialed actors; a tamper-evident hash chain per batch; lineage (transformations and
 * aggregations) walkable on chain; sensor readings proved against Merkle roots; owner and custodian changes by
 * proposal and acceptance; corrections that void without deleting; recalls that reach every descendant.
 * @dev The full EPCIS event stays off chain; the chain holds its canonical hash and the summary a QR page needs.
 *
 * Every chained event of a batch is a {TraceEventRecorded} log whose `previous` is the batch's head before it; the
 * new head is {linkOf} of the logged fields (keccak256 of their ABI encoding, in order), so a reader recomputes the
 * chain from the logs and compares it with {headOf}. `readPoint` and `bizLocation` carry, per kind:
 *
 * | kind           | readPoint                       | bizLocation                  | disposition         |
 * |----------------|---------------------------------|------------------------------|---------------------|
 * | Object         | read point (hash of GLN / URI)  | business location            | CBV disposition id  |
 * | Association    | the sensor device id            | business location            | 1 add, 2 delete     |
 * | Transaction    | previous holder (address)       | new holder (address)         | 1 owner, 2 custodian|
 * | Transformation | transformation id (uint)        | business location            | CBV disposition id  |
 * | Aggregation    | hash of the item ids            | business location            | 1 add, 2 delete     |
 * | Correction     | index of the voided event       | hash of the reason           | 0                   |
 * | Recall         | 0                               | hash of the reason           | 0                   |
 * | Breach         | index of the sensor event       | the reading (leaf item)      | 0                   |
 */
interface ITraceRegistry {
    /// @notice What a batch is now, as {statusOf} reports it (recalls of ancestors and containers included).
    enum Status {
        Unknown,
        Active,
        Consumed,
        Recalled
    }

    /// @notice The EPCIS event types, plus trustbase's own record kinds.
    enum EventKind {
        Object,
        Association,
        Transaction,
        Transformation,
        Aggregation,
        Correction,
        Recall,
        Breach
    }

    /// @notice Which side of a batch a proposal moves.
    enum Party {
        None,
        Owner,
        Custodian
    }

    /**
     * @notice What governance requires of a business step.
     * @param topic Credential topic the acting identity must hold (contracts/identity/Topics.sol); 0: step unknown.
     * @param custody Whether the actor must be the batch's owner or custodian (production, handling), as
     * opposed to an authority step anyone holding the topic may record on any batch (inspection).
     * @param authority Whether the step may recall batches and record sensor breaches.
     */
    struct StepRule {
        uint32 topic;
        bool custody;
        bool authority;
    }

    /**
     * @notice The summary of one off-chain EPCIS event.
     * @param batchId The batch the event is about.
     * @param step Business step id (a governance rule must exist for it).
     * @param disposition Disposition id (CBV code list, numbered by the profile; or the action, see above).
     * @param readPoint Hash of the read point (GLN + extension, or URI).
     * @param bizLocation Hash of the business location.
     * @param eventHash Canonical hash of the full off-chain event (EPCIS 2.0 event hash); never zero.
     * @param sensorRoot Merkle root of the event's sensor readings (`sdk/trace.ts`), or zero.
     */
    struct EventInput {
        bytes32 batchId;
        uint8 step;
        uint8 disposition;
        bytes32 readPoint;
        bytes32 bizLocation;
        bytes32 eventHash;
        bytes32 sensorRoot;
    }

    /**
     * @notice A new batch made by a transformation.
     * @param batchId Its id.
     * @param product Its product class (a GTIN as a number, or a profile's product code).
     */
    struct OutputInput {
        bytes32 batchId;
        uint64 product;
    }

    /**
     * @notice The one-call summary a QR page shows.
     * @param product Product class (a GTIN as a number, or a profile's product code).
     * @param owner Current owner.
     * @param custodian Current custodian (who holds the goods).
     * @param status Status, recalls of ancestors and containers included.
     * @param eventCount Number of chained events.
     * @param head Hash-chain head.
     * @param parents Batches it was made from (transformation inputs).
     * @param container The batch it is packed in, or zero.
     */
    struct TraceView {
        uint64 product;
        address owner;
        address custodian;
        Status status;
        uint256 eventCount;
        bytes32 head;
        bytes32[] parents;
        bytes32 container;
    }

    // ───────────────────────────── Events ─────────────────────────────

    /// @notice Governance set the rule of business step `step` (topic 0: the step is withdrawn).
    event StepRuleSet(uint8 indexed step, uint32 topic, bool custody, bool authority);

    /// @notice `owner` created batch `batchId` of product `product`; `origin` is the transformation that made it.
    event BatchCreated(bytes32 indexed batchId, address indexed owner, uint64 product, uint256 origin);

    /**
     * @notice A chained event of batch `batchId`, the `index`-th (from 0), recorded by `actor` at `time` (seconds).
     * The batch's head becomes `linkOf` of these fields (keccak256 of their ABI encoding in this order); see the
     * table above for what the fields carry per kind.
     */
    event TraceEventRecorded(
        bytes32 indexed batchId,
        address indexed actor,
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
    );

    /// @notice Transformation `transformation` consumed `inputs` and created `outputs`.
    event Transformed(uint256 indexed transformation, address indexed actor, bytes32[] inputs, bytes32[] outputs);

    /// @notice `items` were packed into (`packed`) or unpacked from container `container`.
    event Aggregated(bytes32 indexed container, address indexed actor, bool packed, bytes32[] items);

    /// @notice `from` proposed to move `party` of batch `batchId` to `to`.
    event TransferProposed(bytes32 indexed batchId, Party indexed party, address indexed to, address from);

    /// @notice The proposal to move `party` of batch `batchId` to `to` was accepted.
    event TransferAccepted(bytes32 indexed batchId, Party indexed party, address indexed to, address from);

    /// @notice The proposal to move `party` of batch `batchId` to `to` was rejected by `to`.
    event TransferRejected(bytes32 indexed batchId, Party indexed party, address indexed to);

    /// @notice `by` cancelled the proposal to move `party` of batch `batchId` to `to`.
    event TransferCancelled(bytes32 indexed batchId, Party indexed party, address indexed to, address by);

    /// @notice Event `voidedIndex` of batch `batchId` was voided by correction event `correctionIndex`.
    event EventVoided(bytes32 indexed batchId, uint256 indexed voidedIndex, uint256 correctionIndex, bytes32 reason);

    /// @notice `actor` recalled batch `batchId`; every descendant reports Recalled in {statusOf}.
    event BatchRecalled(bytes32 indexed batchId, address indexed actor, bytes32 reason);

    /// @notice `actor` recorded that `reading` of event `eventIndex` of batch `batchId` breached a threshold.
    event ReadingBreached(
        bytes32 indexed batchId,
        uint256 indexed eventIndex,
        bytes32 indexed reading,
        address actor,
        bytes32 report
    );

    // ───────────────────────────── Errors ─────────────────────────────

    /// @notice `step` has no rule (topic 0), or a rule was asked for with topic 0 and nothing to withdraw.
    error TraceStepUnknown(uint8 step);

    /// @notice `step` may not recall or record breaches (its rule is not an authority rule).
    error TraceStepNotAuthority(uint8 step);

    /// @notice `batchId` is zero, or already exists.
    error TraceBatchExists(bytes32 batchId);

    /// @notice No batch `batchId`.
    error TraceBatchUnknown(bytes32 batchId);

    /// @notice Batch `batchId` is `status`, which the operation does not allow.
    error TraceBatchNotActive(bytes32 batchId, Status status);

    /// @notice `actor` is neither owner nor custodian of batch `batchId`.
    error TraceNotHolder(bytes32 batchId, address actor);

    /// @notice The event hash of an event of `batchId` is zero (it must commit to the off-chain event).
    error TraceEventHashMissing(bytes32 batchId);

    /// @notice Batch `batchId` has no event `index`.
    error TraceEventUnknown(bytes32 batchId, uint256 index);

    /// @notice Event `index` of batch `batchId` is already voided.
    error TraceEventVoided(bytes32 batchId, uint256 index);

    /// @notice Event `index` of batch `batchId` carries no sensor root.
    error TraceNoSensorData(bytes32 batchId, uint256 index);

    /// @notice `reading` is not proved to belong to the sensor root of event `index` of batch `batchId`.
    error TraceReadingNotProved(bytes32 batchId, uint256 index, bytes32 reading);

    /// @notice A breach of `reading` in event `index` of batch `batchId` is already recorded.
    error TraceBreachExists(bytes32 batchId, uint256 index, bytes32 reading);

    /// @notice An empty list, or more than the limit, of `count` entries.
    error TraceListSize(uint256 count, uint256 limit);

    /// @notice `batchId` appears twice in a transformation or aggregation.
    error TraceDuplicate(bytes32 batchId);

    /// @notice `item` is already packed in `container`.
    error TraceAlreadyPacked(bytes32 item, bytes32 container);

    /// @notice `item` is not packed in `container`.
    error TraceNotPacked(bytes32 item, bytes32 container);

    /// @notice `party` is not Owner or Custodian, or `to` (zero, or the current holder) cannot receive it.
    error TraceTransferInvalid(bytes32 batchId, Party party, address to);

    /// @notice There is already a proposal moving `party` of `batchId`, to `to`.
    error TraceProposalPending(bytes32 batchId, Party party, address to);

    /// @notice `caller` cannot act on the proposal moving `party` of `batchId` (to `to`, zero if none).
    error TraceProposalNotYours(bytes32 batchId, Party party, address to, address caller);

    /// @notice The ancestry of `batchId` holds more than `limit` batches: {statusOf} cannot answer on chain.
    error TraceLineageTooLarge(bytes32 batchId, uint256 limit);

    /// @notice Batch `batchId` already holds the maximum number of events.
    error TraceEventLimit(bytes32 batchId);

    // ───────────────────────────── Governance ─────────────────────────────

    /**
     * @notice Sets what business step `step` requires. Governance only (restricted).
     * @param step Business step id, 1..255.
     * @param rule Its topic (0 withdraws the step), whether custody is required, whether it is an authority.
     */
    function setStepRule(uint8 step, StepRule calldata rule) external;

    // ───────────────────────────── Recording ─────────────────────────────

    /**
     * @notice Creates batch `batchId` owned (and held) by the caller, which must hold the credential of `step`.
     * @param batchId Id from a GS1 key or URI (`sdk/gs1.ts`); not zero, not existing.
     * @param product Product class (GTIN as a number, or a profile's product code).
     * @param step Business step whose rule authorises creation (commissioning, birth, order ...).
     */
    function createBatch(bytes32 batchId, uint64 product, uint8 step) external;

    /**
     * @notice Records an object event (observe, ship, receive, inspect ...) on an active batch.
     * @dev The caller must hold the step's topic and, for a custody step, own or hold the batch. A recalled batch
     * accepts authority steps only.
     * @param input The event's summary.
     * @return index The event's index in the batch's chain.
     */
    function recordEvent(EventInput calldata input) external returns (uint256 index);

    /**
     * @notice Records several object events in one transaction (each checked as {recordEvent}).
     * @param inputs The events, 1..64.
     */
    function recordEvents(EventInput[] calldata inputs) external;

    /**
     * @notice Associates (`add`) or dissociates a sensor device with a batch (EPCIS association event).
     * @param input The event's summary; its `disposition` is ignored (1 add, 2 delete is recorded).
     * @param device The device id (hash of its EPC / URI).
     * @param add Whether the device is attached (true) or detached.
     */
    function associate(EventInput calldata input, bytes32 device, bool add) external;

    /**
     * @notice Transformation event: consumes `inputs` (held by the caller) and creates `outputs` (owned by the
     * caller), recording the event in each input's chain. Lineage: each output's parents are `inputs`.
     * @param inputs Batches consumed, 1..32, active, distinct, owned or held by the caller.
     * @param outputs Batches created, 1..32, new and distinct.
     * @param fields The event's summary (`batchId` ignored).
     * @return transformation The transformation's id.
     */
    function transform(
        bytes32[] calldata inputs,
        OutputInput[] calldata outputs,
        EventInput calldata fields
    ) external returns (uint256 transformation);

    /**
     * @notice Aggregation event: packs `items` into container `fields.batchId` (or unpacks them), recording it in
     * the container's chain. Items and container must be active and owned or held by the caller.
     * @param fields The event's summary (`batchId` = the container).
     * @param items The items, 1..64, distinct.
     * @param pack Whether the items are packed (true) or unpacked.
     */
    function aggregate(EventInput calldata fields, bytes32[] calldata items, bool pack) external;

    /**
     * @notice Proposes to move the ownership (by the owner) or custody (by the owner or custodian) of a batch to `to`.
     * @param batchId The batch.
     * @param party Owner or Custodian.
     * @param to The proposed new holder; not zero, not the current one.
     */
    function proposeTransfer(bytes32 batchId, Party party, address to) external;

    /**
     * @notice Accepts the proposal naming the caller; records a transaction event in the batch's chain.
     * @param batchId The batch.
     * @param party Owner or Custodian.
     * @param eventHash Canonical hash of the off-chain EPCIS transaction event; never zero.
     */
    function acceptTransfer(bytes32 batchId, Party party, bytes32 eventHash) external;

    /**
     * @notice Rejects the proposal naming the caller.
     * @param batchId The batch.
     * @param party Owner or Custodian.
     */
    function rejectTransfer(bytes32 batchId, Party party) external;

    /**
     * @notice Cancels a pending proposal; by whoever may propose it (the owner; for custody also the custodian).
     * @param batchId The batch.
     * @param party Owner or Custodian.
     */
    function cancelTransfer(bytes32 batchId, Party party) external;

    /**
     * @notice Records a corrective event voiding event `voidedIndex` of `input.batchId`, which stays in the chain.
     * @dev The caller must hold `input.step`'s topic and own or hold the batch. Voiding marks the record: it rolls
     * back no state (custody, lineage).
     * @param input The corrective event's summary (`readPoint`, `bizLocation`, `sensorRoot` ignored).
     * @param voidedIndex The wrong event.
     * @param reason Hash of the reason.
     */
    function correct(EventInput calldata input, uint256 voidedIndex, bytes32 reason) external;

    /**
     * @notice Recalls a batch (active or consumed): it and every descendant report Recalled. Final.
     * @param batchId The batch.
     * @param step An authority step whose topic the caller holds (inspection, regulation).
     * @param reason Hash of the recall notice.
     */
    function recall(bytes32 batchId, uint8 step, bytes32 reason) external;

    /**
     * @notice Records that a reading of a sensor event breached a threshold; the reading must be proved.
     * @param batchId The batch.
     * @param eventIndex The event carrying the sensor root.
     * @param step An authority step whose topic the caller holds.
     * @param reading The reading's leaf item (hash of the reading).
     * @param proof Its Merkle proof.
     * @param report Hash of the inspector's report.
     */
    function recordBreach(
        bytes32 batchId,
        uint256 eventIndex,
        uint8 step,
        bytes32 reading,
        bytes32[] calldata proof,
        bytes32 report
    ) external;

    // ───────────────────────────── Views ─────────────────────────────

    /// @notice The rule of business step `step`.
    function stepRule(uint8 step) external view returns (StepRule memory);

    /**
     * @notice Whether `leaf` (hash of a reading) is proved by `proof` to be in the sensor root of event `eventIndex`.
     * @dev Reverts with {TraceNoSensorData} when the event has no sensor root.
     */
    function verifyReading(
        bytes32 batchId,
        uint256 eventIndex,
        bytes32 leaf,
        bytes32[] calldata proof
    ) external view returns (bool);

    /// @notice Whether a breach of `reading` in event `eventIndex` of `batchId` is recorded.
    function isBreached(bytes32 batchId, uint256 eventIndex, bytes32 reading) external view returns (bool);

    /// @notice The sensor root of event `eventIndex` of `batchId` (zero if none).
    function sensorRootOf(bytes32 batchId, uint256 eventIndex) external view returns (bytes32);

    /// @notice Whether event `eventIndex` of `batchId` was voided by a correction.
    function isVoided(bytes32 batchId, uint256 eventIndex) external view returns (bool);

    /// @notice The hash-chain head of `batchId` (zero before its first event).
    function headOf(bytes32 batchId) external view returns (bytes32);

    /**
     * @notice The status of `batchId`: Recalled when it, an ancestor (through transformations) or a container it
     * is packed in (transitively) was recalled; else Consumed or Active; Unknown if it does not exist.
     * @dev Walks ancestors on chain; reverts with {TraceLineageTooLarge} past {MAX_LINEAGE_WALK} batches.
     */
    function statusOf(bytes32 batchId) external view returns (Status);

    /// @notice The one-call summary for a QR page.
    function traceOf(bytes32 batchId) external view returns (TraceView memory);

    /// @notice The batches `batchId` was made from (the inputs of the transformation that created it).
    function parentsOf(bytes32 batchId) external view returns (bytes32[] memory);

    /// @notice The batches made from `batchId` (the outputs of the transformation that consumed it).
    function childrenOf(bytes32 batchId) external view returns (bytes32[] memory);

    /// @notice The container `item` is packed in, or zero.
    function containerOf(bytes32 item) external view returns (bytes32);

    /// @notice The items packed in `container` now.
    function contentsOf(bytes32 container) external view returns (bytes32[] memory);

    /// @notice The pending proposal moving `party` of `batchId`: the proposed holder, or zero.
    function pendingTransfer(bytes32 batchId, Party party) external view returns (address);

    /**
     * @notice The hash-chain link (the batch's new head) of a chained event with these {TraceEventRecorded} fields:
     * keccak256 of their ABI encoding, in the log's order.
     */
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
    ) external pure returns (bytes32);
}

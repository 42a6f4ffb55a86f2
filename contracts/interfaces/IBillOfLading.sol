// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title IBillOfLading
 * @notice Electronic bills of lading (eBL): one registry, each bill a token id with ERC-721 views, moved only by
 * the actions below, each signed by the parties who must agree and recorded as a hash-linked transfer chain
 * (DCSA eBL 3.0 / PINT action codes).
 * @dev A bill's id is the hash of its document, its issuing carrier and its legs ({billIdOf}); functions that
 * need a leg's carrier take the {Route} in calldata and check it against the id, so the legs cost no storage.
 * Every action emits {BillAction}; the contract keeps the chain's head: `head = keccak256(abi.encode(previous,
 * billId, code, actor, party, data))` over the action's fields, so anyone recomputes a bill's history from events.
 */
interface IBillOfLading {
    /// @notice Transport mode of a leg.
    enum Mode {
        Sea,
        Rail,
        Road,
        Air
    }

    /// @notice How the consignee is named on the bill.
    /// @dev Named: a straight bill, title with the consignee, not endorsable. ToOrder: negotiable, title with the
    /// consignee (or the shipper when no consignee is named: "to order of shipper"). Blank: a bearer bill.
    enum ConsigneeKind {
        Named,
        ToOrder,
        Blank
    }

    /// @notice Where a bill stands.
    enum Status {
        None,
        Active,
        Pledged,
        SurrenderedForDelivery,
        SurrenderedForAmendment,
        Accomplished,
        Replaced
    }

    /// @notice Action codes of the transfer chain (DCSA eBL 3.0 / PINT names in brackets).
    enum ActionCode {
        None,
        Issue, // ISSUE
        Transfer, // TRANSFER: possession only
        Endorse, // ENDORSE: to a named endorsee, who may not endorse further
        EndorseToOrder, // ENDORSE_TO_ORDER
        BlankEndorse, // BLANK_ENDORSE
        TransferRejected, // the receiver's refusal of a transfer or endorsement
        Sign, // SIGN: two carriers signed a handover between legs
        Pledge,
        PledgeReleased,
        PledgeEnforced,
        SurrenderForDelivery, // SURRENDER_FOR_DELIVERY
        SurrenderForAmendment, // SURRENDER_FOR_AMENDMENT
        SurrenderAccepted, // SACC
        SurrenderRejected // SREJ
    }

    /// @notice A planned leg: mode, carrier (a DID's identity address), from and to (UN/LOCODE, 5 letters).
    struct Leg {
        Mode mode;
        address carrier;
        bytes5 from;
        bytes5 to;
    }

    /// @notice What a carrier issues: the document's hash, the parties and the legs.
    struct Issuance {
        bytes32 documentHash;
        address shipper;
        address consignee;
        address notifyParty;
        ConsigneeKind consigneeKind;
        Leg[] legs;
    }

    /// @notice The part of a bill its id commits to and that carrier-side actions need.
    struct Route {
        bytes32 documentHash;
        address issuer;
        Leg[] legs;
    }

    /// @notice One entry of the transfer chain, as hashed into the head.
    struct Action {
        ActionCode code;
        address actor;
        address party;
        bytes32 data;
    }

    /// @notice A handover between leg `boundary` and the next, as both carriers signed it.
    /// @dev Signatures: the carriers' {Handover} (EIP-712) over their own cargo hash; empty for the caller's own.
    struct CargoHandover {
        uint8 boundary;
        bytes32 handingCargoHash;
        bytes32 receivingCargoHash;
        uint256 deadline;
        bytes handingSignature;
        bytes receivingSignature;
    }

    /// @notice An amended, split or switched bill the issuer issues for a bill surrendered for amendment.
    struct Replacement {
        Issuance issuance;
        uint256 deadline;
        bytes[] signatures;
    }

    /// @notice A bill's state: possession, title, status, flags and transfer-chain head.
    struct BillView {
        address holder;
        address beneficiary;
        Status status;
        bool negotiable;
        bool bearer;
        bool transferPending;
        uint8 handovers;
        uint16 discrepancies;
        uint40 issuedAt;
        bytes32 head;
    }

    /// @notice An action of bill `billId`; `previous` is the head before it. See the contract's NatSpec for
    /// `data` per code.
    event BillAction(
        uint256 indexed billId,
        ActionCode code,
        bytes32 previous,
        address actor,
        address party,
        bytes32 data
    );

    /// @notice Bill `billId` was issued with these parties and legs.
    event BillIssued(
        uint256 indexed billId,
        bytes32 indexed documentHash,
        address indexed issuer,
        address shipper,
        address consignee,
        address notifyParty,
        ConsigneeKind consigneeKind,
        Leg[] legs
    );

    /// @notice Cargo handed over between leg `boundary` and the next, as each carrier recorded it.
    event CargoHandedOver(
        uint256 indexed billId,
        uint8 boundary,
        address handingCarrier,
        address receivingCarrier,
        bytes32 handingCargoHash,
        bytes32 receivingCargoHash
    );

    /// @notice The receiving carrier's cargo data differs from the handing carrier's at `boundary`.
    event CargoDiscrepancy(uint256 indexed billId, uint8 boundary, bytes32 handingCargoHash, bytes32 receivingCargoHash);

    /// @notice Bill `billId`, surrendered for amendment, is replaced by `replacements`.
    event BillReplaced(uint256 indexed billId, uint256[] replacements);

    /// @notice Governance paused or resumed issuance.
    event IssuancePaused(bool paused);

    /// @notice No bill has id `billId`.
    error BillUnknown(uint256 billId);
    /// @notice A bill with id `billId` exists already (same document, issuer and legs).
    error BillAlreadyIssued(uint256 billId);
    /// @notice Bill `billId` is `status`, which does not allow this action.
    error BillWrongStatus(uint256 billId, Status status);
    /// @notice `account` is not the holder of bill `billId`.
    error BillNotHolder(uint256 billId, address account);
    /// @notice `account` holds bill `billId` but not its title.
    error BillNotTitleHolder(uint256 billId, address account);
    /// @notice Bill `billId` is a straight bill (or endorsed to a named party): it cannot be endorsed.
    error BillNotNegotiable(uint256 billId);
    /// @notice Bill `billId` is a bearer bill already.
    error BillAlreadyBearer(uint256 billId);
    /// @notice `receiver` cannot receive the bill (zero, the bill's own holder, or this registry).
    error BillInvalidReceiver(address receiver);
    /// @notice No transfer of bill `billId` waits for its receiver's answer.
    error BillNoPendingTransfer(uint256 billId);
    /// @notice The actions given do not lead to the head of bill `billId`.
    error BillChainMismatch(uint256 billId, bytes32 computed, bytes32 head);
    /// @notice Action `index` of the ones given cannot sit in this place of the chain.
    error BillUnexpectedAction(uint256 index, ActionCode code);
    /// @notice The route given is not the one bill `billId` was issued with.
    error BillRouteMismatch(uint256 billId);
    /// @notice `account` is not the carrier that must answer for bill `billId`.
    error BillNotCarrier(uint256 billId, address account);
    /// @notice A bill needs between 1 and 16 legs; `count` were given.
    error BillLegCount(uint256 count);
    /// @notice Leg `index` names no carrier.
    error BillLegWithoutCarrier(uint256 index);
    /// @notice `count` signatures for `legs` legs.
    error BillSignatureCount(uint256 count, uint256 legs);
    /// @notice The issuance has no document hash or no shipper.
    error BillIncompleteIssuance();
    /// @notice A named or to-order bill needs a consignee when one is required; a bearer bill takes none.
    error BillConsigneeMismatch(ConsigneeKind kind, address consignee);
    /// @notice The handover at `boundary` is not the next one of a bill with `legs` legs (expected `expected`).
    error BillHandoverOutOfOrder(uint8 boundary, uint8 expected, uint256 legs);
    /// @notice A replacement must name this carrier as issuer and at least one bill must be given.
    error BillNoReplacements();
    /// @notice Issuance is paused by governance.
    error BillIssuancePaused();
    /// @notice Issuance is already paused (`paused` true) or already running.
    error BillIssuancePauseUnchanged(bool paused);
    /// @notice Bills move only through the actions of this registry, never by ERC-721 transfers or approvals.
    error BillOnlyThroughActions();

    // ───────────────────────────── Issuance ─────────────────────────────

    /**
     * @notice Issues a bill. The caller must hold a valid CARRIER credential; every leg's carrier must hold one and
     * sign {Issue} (EIP-712), except a carrier that is the caller (its transaction is its consent).
     * @param issuance Document hash, parties and legs.
     * @param deadline Last second at which the carriers' signatures are valid.
     * @param signatures One per leg, in leg order; empty for legs carried by the caller.
     * @return billId The new bill's id ({billIdOf}).
     */
    function issue(Issuance calldata issuance, uint256 deadline, bytes[] calldata signatures) external returns (uint256 billId);

    /// @notice The id of the bill with this document, issuer and legs.
    /// @param documentHash The document's hash.
    /// @param issuer The issuing carrier.
    /// @param legs The legs.
    /// @return The bill's id.
    function billIdOf(bytes32 documentHash, address issuer, Leg[] calldata legs) external pure returns (uint256);

    // ───────────────────────────── Title and possession ─────────────────────────────

    /**
     * @notice The holder passes possession to `newHolder` (title stays; on a bearer bill title follows). The
     * receiver may reject it with {rejectTransfer} until it acts on the bill.
     * @param billId The bill.
     * @param newHolder The new holder.
     */
    function transferHolder(uint256 billId, address newHolder) external;

    /**
     * @notice The holder endorses the bill to `endorsee` (who becomes holder, and beneficiary unless in blank), in
     * one transaction, with the beneficiary's {Endorse} consent (none needed when the caller holds the title).
     * @param billId The bill (negotiable: to order or bearer).
     * @param endorsee The new holder (and beneficiary for Endorse and EndorseToOrder).
     * @param code Endorse (named: not negotiable afterwards), EndorseToOrder, or BlankEndorse (bearer).
     * @param deadline Last second of the consent.
     * @param consent The beneficiary's signature of {Endorse} over the bill's current head; empty when not needed.
     */
    function endorse(uint256 billId, address endorsee, ActionCode code, uint256 deadline, bytes calldata consent) external;

    /**
     * @notice The receiver of the latest transfer or endorsement refuses it: holder, beneficiary and flags are
     * restored exactly. Possible until the receiver acts on the bill.
     * @param billId The bill.
     * @param previous The head before the inbound transfer.
     * @param inbound The inbound transfer as recorded in its {BillAction} event.
     * @param later Actions recorded since (carriers' handovers only), in order.
     */
    function rejectTransfer(uint256 billId, bytes32 previous, Action calldata inbound, Action[] calldata later) external;

    // ───────────────────────────── Legs ─────────────────────────────

    /**
     * @notice Records the handover between leg `h.boundary` and the next: each carrier's cargo data hash
     * (containers, seals, weight), signed by each ({Handover}, except the caller's own). Different hashes are
     * recorded as a discrepancy. Handovers are recorded in leg order, once each. Anyone may relay it.
     * @param billId The bill.
     * @param route The bill's route.
     * @param h The boundary, both cargo hashes, the signatures' deadline and both signatures.
     */
    function handover(uint256 billId, Route calldata route, CargoHandover calldata h) external;

    // ───────────────────────────── Pledge ─────────────────────────────

    /**
     * @notice The holder, holding the title, pledges the bill to `bank` (a FINANCIER credential holder), which
     * accepts by signing {Pledge}. The bank becomes holder; the pledgor keeps the title. While pledged only the bank
     * acts: {releasePledge} or {enforcePledge}.
     * @param billId The bill.
     * @param bank The bank.
     * @param loanReference Hash of the loan agreement.
     * @param deadline Last second of the bank's signature.
     * @param bankSignature The bank's signature of {Pledge} over the bill's current head.
     */
    function pledge(uint256 billId, address bank, bytes32 loanReference, uint256 deadline, bytes calldata bankSignature) external;

    /// @notice The bank, repaid, releases the pledge: the pledgor holds the bill again.
    /// @param billId The bill.
    function releasePledge(uint256 billId) external;

    /// @notice The bank, on default, enforces the pledge: it becomes holder and beneficiary.
    /// @param billId The bill.
    function enforcePledge(uint256 billId) external;

    // ───────────────────────────── Surrender ─────────────────────────────

    /// @notice The holder, holding the title, surrenders the bill for delivery to the last leg's carrier.
    /// @param billId The bill.
    function surrenderForDelivery(uint256 billId) external;

    /// @notice The holder, holding the title, surrenders the bill to its issuer for amendment.
    /// @param billId The bill.
    /// @param requestHash Hash of the amendment request (what to change, split or switch).
    function surrenderForAmendment(uint256 billId, bytes32 requestHash) external;

    /// @notice The last leg's carrier accepts a surrender for delivery: the bill is accomplished for ever.
    /// @param billId The bill.
    /// @param route The bill's route.
    function acceptSurrender(uint256 billId, Route calldata route) external;

    /**
     * @notice The issuer accepts a surrender for amendment and issues the replacements (amended, split or switched
     * bills) to the party that surrendered; each replacement's ISSUE links to the surrendered bill's head.
     * @param billId The surrendered bill.
     * @param route Its route.
     * @param replacements The new bills, each co-signed by its legs' carriers.
     * @return ids The replacements' ids.
     */
    function acceptAmendment(uint256 billId, Route calldata route, Replacement[] calldata replacements) external returns (uint256[] memory ids);

    /// @notice The carrier that must answer (last leg's for delivery, issuer for amendment) rejects the surrender:
    /// the bill is restored.
    /// @param billId The bill.
    /// @param route Its route.
    /// @param reasonHash Hash of the reason.
    function rejectSurrender(uint256 billId, Route calldata route, bytes32 reasonHash) external;

    // ───────────────────────────── Governance and views ─────────────────────────────

    /// @notice Pauses or resumes issuance (restricted). Bills already issued keep moving with their parties.
    /// @param paused true to pause.
    function setIssuancePaused(bool paused) external;

    /// @notice Whether issuance is paused.
    /// @return true when paused.
    function issuancePaused() external view returns (bool);

    /// @notice A bill's state.
    /// @param billId The bill.
    /// @return The state (zeroes for an unknown id).
    function billOf(uint256 billId) external view returns (BillView memory);

    /// @notice The head of a bill's transfer chain.
    /// @param billId The bill.
    /// @return The hash of its latest action.
    function headOf(uint256 billId) external view returns (bytes32);

    /// @notice The possession holder of a bill.
    /// @param billId The bill.
    /// @return The holder.
    function holderOf(uint256 billId) external view returns (address);

    /// @notice The hash an action adds to the chain.
    /// @param previous The head before it.
    /// @param billId The bill.
    /// @param action The action.
    /// @return The new head.
    function actionHash(uint256 billId, bytes32 previous, Action calldata action) external pure returns (bytes32);
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {SignedOperations} from "../common/SignedOperations.sol";
import {UpgradeableModule} from "../governance/UpgradeableModule.sol";
import {IdentityGate} from "../identity/IdentityGate.sol";
import {Topics} from "../identity/Topics.sol";
import {IBillOfLading} from "../interfaces/IBillOfLading.sol";
import {IDIDRegistry} from "../interfaces/IDIDRegistry.sol";
import {ICredentialRegistry} from "../interfaces/ICredentialRegistry.sol";

/**
 * @title BillOfLading
 * @notice Electronic bills of lading for multimodal transport: one registry, co-signed issuance, title
 * (beneficiary) separate from possession (holder) as under MLETR, endorsement in one transaction, handovers
 * between legs cross-checked by both carriers, pledges to banks, surrender for delivery or amendment, and a
 * hash-linked transfer chain per bill (DCSA eBL 3.0 / PINT action codes). UUPS behind an ERC1967 proxy, governed
 * by the suite's AccessManager, which can only pause issuance (and upgrade, after its delay): nobody moves a bill
 * without its parties.
 * @dev Storage per bill is three slots: (holder, status, flags, handovers, discrepancy bits, issue time),
 * (beneficiary) and (head). The legs and the issuing carrier are not stored: the bill id is
 * `keccak256(abi.encode(documentHash, issuer, legsHash))` (`legsHash` as EIP-712 hashes `Leg[]`), so a carrier-side
 * call brings the {Route} and the contract checks it against the id. Parties' signatures are bound to the
 * bill's head, so each can be used once (the head moves with every action); issuance co-signatures are bound to
 * the bill id, which can be issued once; handover signatures to the leg boundary, recorded once.
 *
 * `data` of {BillAction} per code: Issue: hash of (shipper, consignee, notify party, consignee kind); Transfer:
 * the flags before (bits 160+); Endorse, EndorseToOrder, BlankEndorse, PledgeEnforced: the beneficiary before (bits
 * 0-159) and flags before (bits 160+); TransferRejected: the rejected action's hash; Sign: hash of (boundary,
 * handing cargo hash, receiving cargo hash); Pledge: the loan reference; SurrenderForAmendment: the request hash;
 * SurrenderRejected: the reason hash; others zero. A rejected transfer is restored from its own record, which the
 * receiver supplies and the contract checks against the head.
 *
 * Override point for extensions: {_checkReceiver} (who may receive a bill).
 */
contract BillOfLading is UpgradeableModule, SignedOperations, IdentityGate, IBillOfLading, IERC721 {
    /// @dev Slot 0: 20 + 1 + 1 + 1 + 2 + 5 bytes; slot 1: beneficiary; slot 2: head.
    struct Bill {
        address holder;
        Status status;
        uint8 flags;
        uint8 handovers;
        uint16 discrepancies;
        uint40 issuedAt;
        address beneficiary;
        bytes32 head;
    }

    /// @custom:storage-location erc7201:trustbase.storage.BillOfLading
    struct BillOfLadingStorage {
        mapping(uint256 billId => Bill) bills;
        mapping(address owner => uint256) balances;
        bool issuancePaused;
    }

    // keccak256(abi.encode(uint256(keccak256("trustbase.storage.BillOfLading")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x7e9415ab97c59bc9fe88ce1c3f86b4cec85febebc38711964c2c18cf0a0bab00;

    /// @dev Negotiable: may be endorsed (to order or bearer).
    uint8 private constant NEGOTIABLE = 1;
    /// @dev Bearer (blank endorsed or issued in blank): title follows possession.
    uint8 private constant BEARER = 2;
    /// @dev The holder received the bill by a transfer or endorsement it has not acted on: it may reject it.
    uint8 private constant PENDING = 4;

    uint256 private constant MAX_LEGS = 16;

    bytes32 private constant LEG_TYPEHASH = keccak256("Leg(uint8 mode,address carrier,bytes5 from,bytes5 to)");
    bytes32 private constant ISSUE_TYPEHASH =
        keccak256(
            "Issue(bytes32 documentHash,address issuer,address shipper,address consignee,address notifyParty,uint8 consigneeKind,Leg[] legs,uint256 deadline)Leg(uint8 mode,address carrier,bytes5 from,bytes5 to)"
        );
    bytes32 private constant ENDORSE_TYPEHASH =
        keccak256("Endorse(uint256 billId,bytes32 head,address endorsee,uint8 code,uint256 deadline)");
    bytes32 private constant PLEDGE_TYPEHASH =
        keccak256("Pledge(uint256 billId,bytes32 head,address pledgor,bytes32 loanReference,uint256 deadline)");
    bytes32 private constant HANDOVER_TYPEHASH =
        keccak256("Handover(uint256 billId,uint8 boundary,bytes32 cargoHash,uint256 deadline)");

    /// @notice A hash that must commit to something (cargo data, loan, request, reason, document) is zero.
    error BillZeroHash();

    /**
     * @param dids The suite's DID registry.
     * @param credentials The suite's credential registry (its proxy).
     * @param millisecondTimestamps true on chains whose `block.timestamp` counts milliseconds.
     * @param sm2Verifier_ the chain's SM2 verifier on 国密 chains, address(0) for secp256k1.
     * @custom:oz-upgrades-unsafe-allow constructor
     */
    constructor(
        IDIDRegistry dids,
        ICredentialRegistry credentials,
        bool millisecondTimestamps,
        address sm2Verifier_
    )
        SignedOperations("trustbase BillOfLading", "1", millisecondTimestamps, sm2Verifier_)
        IdentityGate(dids, credentials)
    {}

    /// @notice Initializes the proxy's state.
    /// @param authority The suite's AccessManager.
    function initialize(address authority) external initializer {
        __UpgradeableModule_init(authority);
    }

    // ───────────────────────────── Issuance ─────────────────────────────

    /// @inheritdoc IBillOfLading
    function issue(Issuance calldata issuance, uint256 deadline, bytes[] calldata signatures) external returns (uint256) {
        return _issue(issuance, deadline, signatures, address(0), bytes32(0));
    }

    /// @inheritdoc IBillOfLading
    function billIdOf(bytes32 documentHash, address issuer, Leg[] calldata legs) external pure returns (uint256) {
        return _billId(documentHash, issuer, _legsHash(legs));
    }

    // ───────────────────────────── Title and possession ─────────────────────────────

    /// @inheritdoc IBillOfLading
    function transferHolder(uint256 billId, address newHolder) external {
        Bill storage bill = _storage().bills[billId];
        (address holder, uint8 flags) = _requireActiveHolder(billId, bill);
        _checkReceiver(billId, newHolder, holder);
        uint8 before = flags & ~PENDING;
        bill.holder = newHolder;
        bill.flags = before | PENDING;
        // On a bearer bill, title follows possession.
        if (before & BEARER != 0) _moveTitle(billId, holder, newHolder);
        _record(billId, bill, ActionCode.Transfer, holder, newHolder, bytes32(uint256(before) << 160));
    }

    /// @inheritdoc IBillOfLading
    function endorse(uint256 billId, address endorsee, ActionCode code, uint256 deadline, bytes calldata consent) external {
        Bill storage bill = _storage().bills[billId];
        (address holder, uint8 flags) = _requireActiveHolder(billId, bill);
        if (flags & NEGOTIABLE == 0) revert BillNotNegotiable(billId);
        if (code != ActionCode.Endorse && code != ActionCode.EndorseToOrder && code != ActionCode.BlankEndorse) {
            revert BillUnexpectedAction(0, code);
        }
        if (code == ActionCode.BlankEndorse && flags & BEARER != 0) revert BillAlreadyBearer(billId);
        _checkReceiver(billId, endorsee, holder);
        address beneficiary = bill.beneficiary;
        address title = flags & BEARER != 0 ? holder : beneficiary;
        if (title != holder) {
            _requireSigned(
                title,
                keccak256(abi.encode(ENDORSE_TYPEHASH, billId, bill.head, endorsee, code, deadline)),
                deadline,
                consent
            );
        }
        uint8 before = flags & ~PENDING;
        bill.holder = endorsee;
        if (code == ActionCode.BlankEndorse) {
            bill.flags = NEGOTIABLE | BEARER | PENDING;
        } else {
            bill.beneficiary = endorsee;
            // A named endorsement ends negotiability; to order keeps it. Either way the endorsee is named: no bearer.
            bill.flags = code == ActionCode.Endorse ? PENDING : NEGOTIABLE | PENDING;
        }
        _moveTitle(billId, title, endorsee);
        _record(billId, bill, code, holder, endorsee, _packPrevious(beneficiary, before));
    }

    /// @inheritdoc IBillOfLading
    function rejectTransfer(uint256 billId, bytes32 previous, Action calldata inbound, Action[] calldata later) external {
        Bill storage bill = _storage().bills[billId];
        (address holder, uint8 flags) = _requireActiveHolder(billId, bill);
        if (flags & PENDING == 0) revert BillNoPendingTransfer(billId);
        ActionCode code = inbound.code;
        if (
            (code != ActionCode.Transfer &&
                code != ActionCode.Endorse &&
                code != ActionCode.EndorseToOrder &&
                code != ActionCode.BlankEndorse) || inbound.party != holder
        ) revert BillUnexpectedAction(0, code);
        bytes32 rejected = _actionHash(billId, previous, inbound);
        bytes32 computed = rejected;
        // While a transfer is pending only carriers' handovers can follow it: any act of the receiver accepts it.
        for (uint256 i; i < later.length; ++i) {
            if (later[i].code != ActionCode.Sign) revert BillUnexpectedAction(i + 1, later[i].code);
            computed = _actionHash(billId, computed, later[i]);
        }
        if (computed != bill.head) revert BillChainMismatch(billId, computed, bill.head);
        _restore(billId, bill, holder, flags, inbound);
        _record(billId, bill, ActionCode.TransferRejected, holder, inbound.actor, rejected);
    }

    // ───────────────────────────── Legs ─────────────────────────────

    /// @inheritdoc IBillOfLading
    function handover(uint256 billId, Route calldata route, CargoHandover calldata h) external {
        Bill storage bill = _storage().bills[billId];
        Status status = bill.status;
        if (status == Status.None) revert BillUnknown(billId);
        if (status == Status.Accomplished || status == Status.Replaced) revert BillWrongStatus(billId, status);
        _checkRoute(billId, route);
        uint8 boundary = h.boundary;
        uint8 expected = bill.handovers;
        if (boundary != expected || uint256(boundary) + 1 >= route.legs.length) {
            revert BillHandoverOutOfOrder(boundary, expected, route.legs.length);
        }
        bytes32 handingHash = h.handingCargoHash;
        bytes32 receivingHash = h.receivingCargoHash;
        if (handingHash == bytes32(0) || receivingHash == bytes32(0)) revert BillZeroHash();
        address handing = route.legs[boundary].carrier;
        address receiving = route.legs[boundary + 1].carrier;
        _requireCarrierSignature(handing, billId, h, handingHash, h.handingSignature);
        _requireCarrierSignature(receiving, billId, h, receivingHash, h.receivingSignature);

        bill.handovers = expected + 1;
        emit CargoHandedOver(billId, boundary, handing, receiving, handingHash, receivingHash);
        if (handingHash != receivingHash) {
            bill.discrepancies |= uint16(1) << boundary;
            emit CargoDiscrepancy(billId, boundary, handingHash, receivingHash);
        }
        _record(billId, bill, ActionCode.Sign, handing, receiving, keccak256(abi.encode(boundary, handingHash, receivingHash)));
    }

    // ───────────────────────────── Pledge ─────────────────────────────

    /// @inheritdoc IBillOfLading
    function pledge(uint256 billId, address bank, bytes32 loanReference, uint256 deadline, bytes calldata bankSignature) external {
        Bill storage bill = _storage().bills[billId];
        (address holder, uint8 flags) = _requireActiveHolder(billId, bill);
        bool bearer = flags & BEARER != 0;
        if (!bearer && bill.beneficiary != holder) revert BillNotTitleHolder(billId, holder);
        _checkReceiver(billId, bank, holder);
        if (loanReference == bytes32(0)) revert BillZeroHash();
        _requireCredential(bank, Topics.FINANCIER);
        _requireSigned(
            bank,
            keccak256(abi.encode(PLEDGE_TYPEHASH, billId, bill.head, holder, loanReference, deadline)),
            deadline,
            bankSignature
        );
        bill.holder = bank;
        bill.status = Status.Pledged;
        bill.flags = flags & ~PENDING;
        // The pledgor keeps the title while the bank holds the bill: on a bearer bill it is named for the time.
        if (bearer) bill.beneficiary = holder;
        _record(billId, bill, ActionCode.Pledge, holder, bank, loanReference);
    }

    /// @inheritdoc IBillOfLading
    function releasePledge(uint256 billId) external {
        Bill storage bill = _storage().bills[billId];
        address bank = _requirePledgeBank(billId, bill);
        address pledgor = bill.beneficiary;
        bill.holder = pledgor;
        bill.status = Status.Active;
        _record(billId, bill, ActionCode.PledgeReleased, bank, pledgor, bytes32(0));
    }

    /// @inheritdoc IBillOfLading
    function enforcePledge(uint256 billId) external {
        Bill storage bill = _storage().bills[billId];
        address bank = _requirePledgeBank(billId, bill);
        address pledgor = bill.beneficiary;
        uint8 flags = bill.flags;
        bill.beneficiary = bank;
        bill.status = Status.Active;
        // The bank is named: a bearer bill stops being one; negotiability stays as the bill was issued or endorsed.
        bill.flags = flags & NEGOTIABLE;
        _moveTitle(billId, pledgor, bank);
        _record(billId, bill, ActionCode.PledgeEnforced, bank, bank, _packPrevious(pledgor, flags));
    }

    // ───────────────────────────── Surrender ─────────────────────────────

    /// @inheritdoc IBillOfLading
    function surrenderForDelivery(uint256 billId) external {
        _surrender(billId, Status.SurrenderedForDelivery, ActionCode.SurrenderForDelivery, bytes32(0));
    }

    /// @inheritdoc IBillOfLading
    function surrenderForAmendment(uint256 billId, bytes32 requestHash) external {
        if (requestHash == bytes32(0)) revert BillZeroHash();
        _surrender(billId, Status.SurrenderedForAmendment, ActionCode.SurrenderForAmendment, requestHash);
    }

    /// @inheritdoc IBillOfLading
    function acceptSurrender(uint256 billId, Route calldata route) external {
        Bill storage bill = _storage().bills[billId];
        _requireAnsweringCarrier(billId, bill, route, Status.SurrenderedForDelivery);
        bill.status = Status.Accomplished;
        _record(billId, bill, ActionCode.SurrenderAccepted, msg.sender, bill.holder, bytes32(0));
    }

    /// @inheritdoc IBillOfLading
    function acceptAmendment(
        uint256 billId,
        Route calldata route,
        Replacement[] calldata replacements
    ) external returns (uint256[] memory ids) {
        Bill storage bill = _storage().bills[billId];
        _requireAnsweringCarrier(billId, bill, route, Status.SurrenderedForAmendment);
        if (replacements.length == 0) revert BillNoReplacements();
        address surrenderer = bill.holder;
        bill.status = Status.Replaced;
        _moveTitle(billId, surrenderer, address(0));
        bytes32 head = _record(billId, bill, ActionCode.SurrenderAccepted, msg.sender, surrenderer, bytes32(0));
        ids = new uint256[](replacements.length);
        for (uint256 i; i < replacements.length; ++i) {
            Replacement calldata r = replacements[i];
            ids[i] = _issue(r.issuance, r.deadline, r.signatures, surrenderer, head);
        }
        emit BillReplaced(billId, ids);
    }

    /// @inheritdoc IBillOfLading
    function rejectSurrender(uint256 billId, Route calldata route, bytes32 reasonHash) external {
        Bill storage bill = _storage().bills[billId];
        Status status = bill.status;
        if (status != Status.SurrenderedForDelivery && status != Status.SurrenderedForAmendment) {
            if (status == Status.None) revert BillUnknown(billId);
            revert BillWrongStatus(billId, status);
        }
        _requireAnsweringCarrier(billId, bill, route, status);
        if (reasonHash == bytes32(0)) revert BillZeroHash();
        bill.status = Status.Active;
        _record(billId, bill, ActionCode.SurrenderRejected, msg.sender, bill.holder, reasonHash);
    }

    // ───────────────────────────── Governance ─────────────────────────────

    /// @inheritdoc IBillOfLading
    function setIssuancePaused(bool paused) external restricted {
        BillOfLadingStorage storage $ = _storage();
        if ($.issuancePaused == paused) revert BillIssuancePauseUnchanged(paused);
        $.issuancePaused = paused;
        emit IssuancePaused(paused);
    }

    /// @inheritdoc IBillOfLading
    function issuancePaused() external view returns (bool) {
        return _storage().issuancePaused;
    }

    // ───────────────────────────── Views ─────────────────────────────

    /// @inheritdoc IBillOfLading
    function billOf(uint256 billId) external view returns (BillView memory) {
        Bill storage bill = _storage().bills[billId];
        uint8 flags = bill.flags;
        return
            BillView({
                holder: bill.holder,
                beneficiary: bill.beneficiary,
                status: bill.status,
                negotiable: flags & NEGOTIABLE != 0,
                bearer: flags & BEARER != 0,
                transferPending: flags & PENDING != 0,
                handovers: bill.handovers,
                discrepancies: bill.discrepancies,
                issuedAt: bill.issuedAt,
                head: bill.head
            });
    }

    /// @inheritdoc IBillOfLading
    function headOf(uint256 billId) external view returns (bytes32) {
        return _storage().bills[billId].head;
    }

    /// @inheritdoc IBillOfLading
    function holderOf(uint256 billId) external view returns (address) {
        return _existing(billId).holder;
    }

    /// @inheritdoc IBillOfLading
    function actionHash(uint256 billId, bytes32 previous, Action calldata action) external pure returns (bytes32) {
        return _actionHash(billId, previous, action);
    }

    // ───────────────────────────── ERC-721 views ─────────────────────────────

    /// @notice Token name (ERC-721 metadata style).
    /// @return The registry's name.
    function name() external pure returns (string memory) {
        return "trustbase Bill of Lading";
    }

    /// @notice Token symbol.
    /// @return The registry's symbol.
    function symbol() external pure returns (string memory) {
        return "EBL";
    }

    /// @notice ERC-721: the title holder of `billId` (beneficiary; the holder of a bearer bill not pledged).
    /// Accomplished and replaced bills keep their last title holder (replaced ones answer address(0)).
    /// @param billId The bill.
    /// @return The title holder.
    function ownerOf(uint256 billId) external view returns (address) {
        Bill storage bill = _existing(billId);
        Status status = bill.status;
        if (status == Status.Replaced) return address(0);
        return _titleOf(bill.holder, bill.beneficiary, bill.flags, status);
    }

    /// @notice ERC-721: how many bills (not replaced) `owner` holds the title of.
    /// @param owner The account.
    /// @return The number of bills.
    function balanceOf(address owner) external view returns (uint256) {
        if (owner == address(0)) revert BillInvalidReceiver(owner);
        return _storage().balances[owner];
    }

    /// @notice ERC-721: always address(0): bills have no approvals.
    /// @param billId The bill.
    /// @return address(0).
    function getApproved(uint256 billId) external view returns (address) {
        _existing(billId);
        return address(0);
    }

    /// @notice ERC-721: always false: bills have no operators.
    /// @return false.
    function isApprovedForAll(address, address) external pure returns (bool) {
        return false;
    }

    /// @notice Refused: bills move only through this registry's actions.
    function approve(address, uint256) external pure {
        revert BillOnlyThroughActions();
    }

    /// @notice Refused: bills move only through this registry's actions.
    function setApprovalForAll(address, bool) external pure {
        revert BillOnlyThroughActions();
    }

    /// @notice Refused: bills move only through this registry's actions.
    function transferFrom(address, address, uint256) external pure {
        revert BillOnlyThroughActions();
    }

    /// @notice Refused: bills move only through this registry's actions.
    function safeTransferFrom(address, address, uint256) external pure {
        revert BillOnlyThroughActions();
    }

    /// @notice Refused: bills move only through this registry's actions.
    function safeTransferFrom(address, address, uint256, bytes calldata) external pure {
        revert BillOnlyThroughActions();
    }

    /// @notice ERC-165: ERC-721 (views; moves through actions only) and ERC-165.
    /// @param interfaceId The interface.
    /// @return Whether it is supported.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return
            interfaceId == type(IERC721).interfaceId ||
            interfaceId == type(IERC165).interfaceId ||
            interfaceId == type(IBillOfLading).interfaceId;
    }

    // ───────────────────────────── Override point ─────────────────────────────

    /**
     * @dev Reverts unless `receiver` may receive bill `billId` from `from` (by transfer, endorsement or pledge).
     * Override to add rules (a KYC credential, sanctions lists) and call super.
     */
    function _checkReceiver(uint256 billId, address receiver, address from) internal view virtual {
        billId;
        if (receiver == address(0) || receiver == from || receiver == address(this)) revert BillInvalidReceiver(receiver);
    }

    // ───────────────────────────── Internals ─────────────────────────────

    function _issue(
        Issuance calldata issuance,
        uint256 deadline,
        bytes[] calldata signatures,
        address surrenderer,
        bytes32 previous
    ) private returns (uint256 billId) {
        if (_storage().issuancePaused) revert BillIssuancePaused();
        _requireCredential(msg.sender, Topics.CARRIER);
        {
            bytes32 legsHash = _checkIssuance(issuance, signatures.length);
            billId = _billId(issuance.documentHash, msg.sender, legsHash);
            if (_storage().bills[billId].status != Status.None) revert BillAlreadyIssued(billId);
            _requireCoSignatures(issuance, legsHash, deadline, signatures);
        }
        Bill storage bill = _storage().bills[billId];
        address holder = _open(billId, bill, issuance, surrenderer);
        _emitIssued(billId, issuance);
        // The chain of a replacement starts at the head of the bill it replaces; an original's at zero.
        _append(billId, bill, previous, ActionCode.Issue, holder, _partiesHash(issuance));
    }

    /// @dev Reverts on an incomplete issuance; returns the EIP-712 hash of its legs.
    function _checkIssuance(Issuance calldata issuance, uint256 signatureCount) private pure returns (bytes32) {
        if (issuance.documentHash == bytes32(0) || issuance.shipper == address(0)) revert BillIncompleteIssuance();
        ConsigneeKind kind = issuance.consigneeKind;
        address consignee = issuance.consignee;
        // A straight bill names its consignee; a bearer bill names none; to order may ("to order of shipper").
        if (
            (kind == ConsigneeKind.Named && consignee == address(0)) ||
            (kind == ConsigneeKind.Blank && consignee != address(0))
        ) revert BillConsigneeMismatch(kind, consignee);
        uint256 legCount = issuance.legs.length;
        if (legCount == 0 || legCount > MAX_LEGS) revert BillLegCount(legCount);
        if (signatureCount != legCount) revert BillSignatureCount(signatureCount, legCount);
        return _legsHash(issuance.legs);
    }

    /// @dev Writes a new bill; replacements go to the party that surrendered the bill they replace, whatever the
    /// paper names. Returns the holder.
    function _open(
        uint256 billId,
        Bill storage bill,
        Issuance calldata issuance,
        address surrenderer
    ) private returns (address holder) {
        ConsigneeKind kind = issuance.consigneeKind;
        address consignee = issuance.consignee;
        holder = surrenderer == address(0) ? issuance.shipper : surrenderer;
        address beneficiary = surrenderer != address(0)
            ? surrenderer
            : (consignee != address(0) ? consignee : issuance.shipper);
        uint8 flags = kind == ConsigneeKind.Named ? 0 : (kind == ConsigneeKind.ToOrder ? NEGOTIABLE : NEGOTIABLE | BEARER);
        bill.holder = holder;
        bill.status = Status.Active;
        bill.flags = flags;
        bill.issuedAt = uint40(_now());
        bill.beneficiary = beneficiary;
        _moveTitle(billId, address(0), _titleOf(holder, beneficiary, flags, Status.Active));
    }

    function _emitIssued(uint256 billId, Issuance calldata issuance) private {
        emit BillIssued(
            billId,
            issuance.documentHash,
            msg.sender,
            issuance.shipper,
            issuance.consignee,
            issuance.notifyParty,
            issuance.consigneeKind,
            issuance.legs
        );
    }

    /// @dev Every carrier of the legs, except the caller, holds a CARRIER credential and signed this issuance: one
    /// struct hash, one signature each.
    function _requireCoSignatures(
        Issuance calldata issuance,
        bytes32 legsHash,
        uint256 deadline,
        bytes[] calldata signatures
    ) private view {
        bytes32 structHash = keccak256(
            abi.encode(
                ISSUE_TYPEHASH,
                issuance.documentHash,
                msg.sender,
                issuance.shipper,
                issuance.consignee,
                issuance.notifyParty,
                issuance.consigneeKind,
                legsHash,
                deadline
            )
        );
        Leg[] calldata legs = issuance.legs;
        for (uint256 i; i < legs.length; ++i) {
            address carrier = legs[i].carrier;
            if (carrier == address(0)) revert BillLegWithoutCarrier(i);
            if (carrier == msg.sender) continue;
            _requireCredential(carrier, Topics.CARRIER);
            _requireSigned(carrier, structHash, deadline, signatures[i]);
        }
    }

    function _partiesHash(Issuance calldata issuance) private pure returns (bytes32) {
        return keccak256(abi.encode(issuance.shipper, issuance.consignee, issuance.notifyParty, issuance.consigneeKind));
    }

    /// @dev Puts back holder, beneficiary and flags as the rejected `inbound` action recorded them.
    function _restore(uint256 billId, Bill storage bill, address holder, uint8 flags, Action calldata inbound) private {
        address beneficiary = bill.beneficiary;
        address titleBefore = _titleOf(holder, beneficiary, flags, Status.Active);
        uint256 packed = uint256(inbound.data);
        uint8 restoredFlags = uint8(packed >> 160);
        address restoredBeneficiary = inbound.code == ActionCode.Transfer ? beneficiary : address(uint160(packed));
        bill.holder = inbound.actor;
        bill.flags = restoredFlags;
        if (restoredBeneficiary != beneficiary) bill.beneficiary = restoredBeneficiary;
        _moveTitle(billId, titleBefore, _titleOf(inbound.actor, restoredBeneficiary, restoredFlags, Status.Active));
    }

    function _surrender(uint256 billId, Status status, ActionCode code, bytes32 data) private {
        Bill storage bill = _storage().bills[billId];
        (address holder, uint8 flags) = _requireActiveHolder(billId, bill);
        if (flags & BEARER == 0 && bill.beneficiary != holder) revert BillNotTitleHolder(billId, holder);
        bill.status = status;
        bill.flags = flags & ~PENDING;
        _record(billId, bill, code, holder, address(0), data);
    }

    /// @dev Reverts unless the bill is Active and the caller is its holder; returns the holder and flags.
    function _requireActiveHolder(uint256 billId, Bill storage bill) private view returns (address holder, uint8 flags) {
        Status status = bill.status;
        holder = bill.holder;
        flags = bill.flags;
        if (status != Status.Active) {
            if (status == Status.None) revert BillUnknown(billId);
            revert BillWrongStatus(billId, status);
        }
        if (holder != msg.sender) revert BillNotHolder(billId, msg.sender);
    }

    /// @dev Reverts unless the bill is pledged and the caller is the bank holding it; returns the bank.
    function _requirePledgeBank(uint256 billId, Bill storage bill) private view returns (address bank) {
        Status status = bill.status;
        bank = bill.holder;
        if (status != Status.Pledged) {
            if (status == Status.None) revert BillUnknown(billId);
            revert BillWrongStatus(billId, status);
        }
        if (bank != msg.sender) revert BillNotHolder(billId, msg.sender);
    }

    /// @dev Reverts unless the bill is `expected` and the caller is the carrier that answers it: the last leg's for
    /// delivery, the issuer for amendment.
    function _requireAnsweringCarrier(uint256 billId, Bill storage bill, Route calldata route, Status expected) private view {
        Status status = bill.status;
        if (status != expected) {
            if (status == Status.None) revert BillUnknown(billId);
            revert BillWrongStatus(billId, status);
        }
        _checkRoute(billId, route);
        address carrier = expected == Status.SurrenderedForDelivery ? route.legs[route.legs.length - 1].carrier : route.issuer;
        if (msg.sender != carrier) revert BillNotCarrier(billId, msg.sender);
    }

    function _requireCarrierSignature(
        address carrier,
        uint256 billId,
        CargoHandover calldata h,
        bytes32 cargoHash,
        bytes calldata signature
    ) private view {
        if (carrier == msg.sender) return;
        _requireSigned(
            carrier,
            keccak256(abi.encode(HANDOVER_TYPEHASH, billId, h.boundary, cargoHash, h.deadline)),
            h.deadline,
            signature
        );
    }

    function _checkRoute(uint256 billId, Route calldata route) private pure {
        if (route.legs.length == 0 || _billId(route.documentHash, route.issuer, _legsHash(route.legs)) != billId) {
            revert BillRouteMismatch(billId);
        }
    }

    /// @dev Moves one unit of title count; address(0) on either side for issuance and replacement.
    function _moveTitle(uint256 billId, address from, address to) private {
        if (from == to) return;
        mapping(address => uint256) storage balances = _storage().balances;
        if (from != address(0)) --balances[from];
        if (to != address(0)) ++balances[to];
        emit Transfer(from, to, billId);
    }

    /// @dev Appends an action to the bill's chain and emits it; returns the new head.
    function _record(
        uint256 billId,
        Bill storage bill,
        ActionCode code,
        address actor,
        address party,
        bytes32 data
    ) private returns (bytes32) {
        return _append(billId, bill, bill.head, code, actor, party, data);
    }

    /// @dev Issue actions: `previous` given (the slot is still empty; writing it first would cost a cold write).
    function _append(
        uint256 billId,
        Bill storage bill,
        bytes32 previous,
        ActionCode code,
        address party,
        bytes32 data
    ) private returns (bytes32 head) {
        head = _append(billId, bill, previous, code, msg.sender, party, data);
    }

    function _append(
        uint256 billId,
        Bill storage bill,
        bytes32 previous,
        ActionCode code,
        address actor,
        address party,
        bytes32 data
    ) private returns (bytes32 head) {
        head = keccak256(abi.encode(previous, billId, code, actor, party, data));
        bill.head = head;
        emit BillAction(billId, code, previous, actor, party, data);
    }

    function _existing(uint256 billId) private view returns (Bill storage bill) {
        bill = _storage().bills[billId];
        if (bill.status == Status.None) revert BillUnknown(billId);
    }

    function _titleOf(address holder, address beneficiary, uint8 flags, Status status) private pure returns (address) {
        return flags & BEARER != 0 && status != Status.Pledged ? holder : beneficiary;
    }

    function _actionHash(uint256 billId, bytes32 previous, Action calldata action) private pure returns (bytes32) {
        return keccak256(abi.encode(previous, billId, action.code, action.actor, action.party, action.data));
    }

    function _packPrevious(address beneficiary, uint8 flags) private pure returns (bytes32) {
        return bytes32(uint256(uint160(beneficiary)) | (uint256(flags & ~PENDING) << 160));
    }

    /// @dev EIP-712 hash of `Leg[]`: keccak256 of the concatenated struct hashes.
    function _legsHash(Leg[] calldata legs) private pure returns (bytes32) {
        bytes32[] memory hashes = new bytes32[](legs.length);
        for (uint256 i; i < legs.length; ++i) {
            Leg calldata leg = legs[i];
            hashes[i] = keccak256(abi.encode(LEG_TYPEHASH, leg.mode, leg.carrier, leg.from, leg.to));
        }
        return keccak256(abi.encodePacked(hashes));
    }

    function _billId(bytes32 documentHash, address issuer, bytes32 legsHash) private pure returns (uint256) {
        return uint256(keccak256(abi.encode(documentHash, issuer, legsHash)));
    }

    function _storage() private pure returns (BillOfLadingStorage storage $) {
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Test, Vm} from "forge-std/Test.sol";
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {ICredentialRegistry} from "../../contracts/interfaces/ICredentialRegistry.sol";
import {IBillOfLading} from "../../contracts/interfaces/IBillOfLading.sol";
import {ProxyDeployer} from "../helpers/ProxyDeployer.sol";

// The registries and the BillOfLading are deployed from their artifacts and called through interfaces
// (ProxyDeployer explains why).

/// @dev BillOfLading's own functions and its ERC-721 views, as this test calls them.
interface BillOfLadingLike is IBillOfLading, IERC721 {}

/**
 * @dev Drives a BillOfLading with random issuances (one or two legs, every consignee kind), possession transfers,
 * endorsements (with the title holder's consent where needed), rejections, handovers, pledges, releases,
 * enforcements, surrenders and the carriers' answers (amendments issue replacements). Callers are mostly the party
 * entitled to act and otherwise any actor, on any bill, accomplished and pledged ones included.
 *
 * Around every call it snapshots every bill and checks what changed against who called: a pledged bill whose
 * holder, beneficiary or status changed must have been moved by its bank; an accomplished bill must not change at
 * all. It folds the {BillAction} logs of successful calls into a model chain per bill, from the logs only.
 */
contract BillHandler is Test {
    uint32 internal constant CARRIER = 5;
    uint32 internal constant FINANCIER = 6;
    uint256 internal constant N_ACTORS = 8;
    uint256 internal constant MAX_BILLS = 8;
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

    BillOfLadingLike public immutable bol;

    /// @dev Actors 0-2 are licensed carriers, 3-4 licensed banks, 5-7 traders holding no credential.
    uint256[N_ACTORS] internal pks;
    address[N_ACTORS] public actors;

    uint256[] public bills;
    mapping(uint256 billId => bytes32) internal documentOf;
    mapping(uint256 billId => address) internal issuerOf;
    mapping(uint256 billId => IBillOfLading.Leg[]) internal legsOf;

    // ── the model, from the logs only ──
    mapping(uint256 billId => bytes32) public modelHead;
    mapping(uint256 billId => IBillOfLading.Action[]) internal actionsOf;
    mapping(uint256 billId => bytes32[]) internal previousOf;
    /// @dev A bill as it stood when it was accomplished, and its title holder then.
    mapping(uint256 billId => IBillOfLading.BillView) internal accomplishedView;
    mapping(uint256 billId => address) public accomplishedOwner;
    mapping(uint256 billId => bool) public accomplished;
    /// @dev The bank holding a pledged bill and the pledgor keeping its title, as the Pledge action recorded them.
    mapping(uint256 billId => address) public pledgeBank;
    mapping(uint256 billId => address) public pledgor;

    // ── snapshot of every bill before the current call ──
    mapping(uint256 billId => IBillOfLading.BillView) internal prior;

    // ── findings (must stay false) ──
    bool public broken;
    bool public pledgedMovedByOther;
    bool public accomplishedMoved;

    // ── coverage counters (prove the runs are not vacuous) ──
    uint256 public issued;
    uint256 public endorsements;
    uint256 public rejections;
    uint256 public handovers;
    uint256 public pledges;
    uint256 public releases;
    uint256 public enforcements;
    uint256 public accomplishments;
    uint256 public replacements;
    uint256 public refusedOnAccomplished;
    uint256 public refusedOnPledged;
    uint256 private _counter;

    constructor(BillOfLadingLike bol_) {
        bol = bol_;
        for (uint256 i; i < N_ACTORS; ++i) {
            pks[i] = 0xB111 + i;
            actors[i] = vm.addr(pks[i]);
        }
    }

    // ───────────────────────────── actions ─────────────────────────────

    function issue(uint256 carrierSeed, uint256 shipperSeed, uint256 consigneeSeed, uint8 kindSeed, bool twoLegs) external {
        if (bills.length >= MAX_BILLS) return;
        address carrier = actors[carrierSeed % 3];
        IBillOfLading.ConsigneeKind kind = IBillOfLading.ConsigneeKind(kindSeed % 3);
        address consignee = kind == IBillOfLading.ConsigneeKind.Blank || (kind == IBillOfLading.ConsigneeKind.ToOrder && consigneeSeed % 2 == 0)
            ? address(0)
            : actors[consigneeSeed % N_ACTORS];
        IBillOfLading.Issuance memory issuance = IBillOfLading.Issuance({
            documentHash: keccak256(abi.encode("bill", ++_counter)),
            shipper: actors[shipperSeed % N_ACTORS],
            consignee: consignee,
            notifyParty: address(0),
            consigneeKind: kind,
            legs: _legs(carrier, twoLegs ? actors[(carrierSeed + 1) % 3] : address(0))
        });
        _issue(carrier, issuance);
    }

    function transferHolder(uint256 billSeed, uint256 toSeed, uint256 callerSeed) external {
        if (bills.length == 0) return;
        uint256 billId = _bill(billSeed);
        address caller = _caller(bol.billOf(billId).holder, callerSeed);
        _before();
        vm.prank(caller);
        try bol.transferHolder(billId, actors[toSeed % N_ACTORS]) {
            _after(caller, billId, true);
        } catch {
            _after(caller, billId, false);
        }
    }

    function endorse(uint256 billSeed, uint256 toSeed, uint8 codeSeed, uint256 callerSeed) external {
        if (bills.length == 0) return;
        uint256 billId = _bill(billSeed);
        IBillOfLading.BillView memory bill = bol.billOf(billId);
        address caller = _caller(bill.holder, callerSeed);
        address endorsee = actors[toSeed % N_ACTORS];
        IBillOfLading.ActionCode code = IBillOfLading.ActionCode(uint8(IBillOfLading.ActionCode.Endorse) + (codeSeed % 3));
        uint256 deadline = block.timestamp + 1 days;
        // The title holder consents unless it is the caller (a bearer bill's title is its holder).
        address title = bill.bearer ? bill.holder : bill.beneficiary;
        bytes memory consent = title == caller || title == address(0)
            ? bytes("")
            : _sign(title, keccak256(abi.encode(ENDORSE_TYPEHASH, billId, bill.head, endorsee, code, deadline)));
        _before();
        vm.prank(caller);
        try bol.endorse(billId, endorsee, code, deadline, consent) {
            ++endorsements;
            _after(caller, billId, true);
        } catch {
            _after(caller, billId, false);
        }
    }

    /// @dev The receiver of the latest transfer or endorsement refuses it, giving its record from the model.
    function rejectTransfer(uint256 billSeed, uint256 callerSeed) external {
        if (bills.length == 0) return;
        uint256 billId = _bill(billSeed);
        IBillOfLading.Action[] storage actions = actionsOf[billId];
        uint256 i = actions.length;
        while (i > 0 && actions[i - 1].code == IBillOfLading.ActionCode.Sign) --i;
        if (i == 0) return;
        uint256 inbound = i - 1;
        IBillOfLading.Action[] memory later = new IBillOfLading.Action[](actions.length - i);
        for (uint256 k; k < later.length; ++k) later[k] = actions[i + k];
        address caller = _caller(bol.billOf(billId).holder, callerSeed);
        _before();
        vm.prank(caller);
        try bol.rejectTransfer(billId, previousOf[billId][inbound], actions[inbound], later) {
            ++rejections;
            _after(caller, billId, true);
        } catch {
            _after(caller, billId, false);
        }
    }

    /// @dev The next handover of a two-leg bill, cargo data matching or not; relayed by a third party sometimes.
    function handover(uint256 billSeed, bool mismatch, uint256 callerSeed) external {
        if (bills.length == 0) return;
        uint256 billId = _bill(billSeed);
        IBillOfLading.Route memory route = _route(billId);
        if (route.legs.length < 2) return;
        uint8 boundary = bol.billOf(billId).handovers;
        IBillOfLading.CargoHandover memory h;
        h.boundary = boundary;
        h.handingCargoHash = keccak256(abi.encode("cargo", billId));
        h.receivingCargoHash = mismatch ? keccak256(abi.encode("resealed", billId)) : h.handingCargoHash;
        h.deadline = block.timestamp + 1 days;
        address handing = route.legs[boundary % route.legs.length].carrier;
        address receiving = route.legs[(boundary + 1) % route.legs.length].carrier;
        h.receivingSignature = _sign(receiving, keccak256(abi.encode(HANDOVER_TYPEHASH, billId, boundary, h.receivingCargoHash, h.deadline)));
        address caller = _caller(handing, callerSeed);
        if (caller != handing) {
            h.handingSignature = _sign(handing, keccak256(abi.encode(HANDOVER_TYPEHASH, billId, boundary, h.handingCargoHash, h.deadline)));
        }
        _before();
        vm.prank(caller);
        try bol.handover(billId, route, h) {
            ++handovers;
            _after(caller, billId, true);
        } catch {
            _after(caller, billId, false);
        }
    }

    function pledge(uint256 billSeed, uint256 bankSeed, uint256 callerSeed) external {
        if (bills.length == 0) return;
        uint256 billId = _bill(billSeed);
        IBillOfLading.BillView memory bill = bol.billOf(billId);
        address caller = _caller(bill.holder, callerSeed);
        address bank = actors[3 + (bankSeed % 2)];
        bytes32 loan = keccak256(abi.encode("loan", ++_counter));
        uint256 deadline = block.timestamp + 1 days;
        bytes memory signature = _sign(bank, keccak256(abi.encode(PLEDGE_TYPEHASH, billId, bill.head, caller, loan, deadline)));
        _before();
        vm.prank(caller);
        try bol.pledge(billId, bank, loan, deadline, signature) {
            ++pledges;
            pledgeBank[billId] = bank;
            pledgor[billId] = caller;
            _after(caller, billId, true);
        } catch {
            _after(caller, billId, false);
        }
    }

    function releasePledge(uint256 billSeed, uint256 callerSeed) external {
        if (bills.length == 0) return;
        uint256 billId = _bill(billSeed);
        address caller = _caller(bol.billOf(billId).holder, callerSeed);
        _before();
        vm.prank(caller);
        try bol.releasePledge(billId) {
            ++releases;
            _after(caller, billId, true);
        } catch {
            _after(caller, billId, false);
        }
    }

    function enforcePledge(uint256 billSeed, uint256 callerSeed) external {
        if (bills.length == 0) return;
        uint256 billId = _bill(billSeed);
        address caller = _caller(bol.billOf(billId).holder, callerSeed);
        _before();
        vm.prank(caller);
        try bol.enforcePledge(billId) {
            ++enforcements;
            _after(caller, billId, true);
        } catch {
            _after(caller, billId, false);
        }
    }

    function surrender(uint256 billSeed, bool forAmendment, uint256 callerSeed) external {
        if (bills.length == 0) return;
        uint256 billId = _bill(billSeed);
        address caller = _caller(bol.billOf(billId).holder, callerSeed);
        _before();
        vm.prank(caller);
        if (forAmendment) {
            try bol.surrenderForAmendment(billId, keccak256(abi.encode("amend", billId))) {
                _after(caller, billId, true);
            } catch {
                _after(caller, billId, false);
            }
        } else {
            try bol.surrenderForDelivery(billId) {
                _after(caller, billId, true);
            } catch {
                _after(caller, billId, false);
            }
        }
    }

    /// @dev The carrier that answers a surrender (last leg's for delivery, issuer for amendment) accepts or rejects.
    function answerSurrender(uint256 billSeed, bool accept, uint256 callerSeed) external {
        if (bills.length == 0) return;
        uint256 billId = _bill(billSeed);
        IBillOfLading.Route memory route = _route(billId);
        bool amendment = bol.billOf(billId).status == IBillOfLading.Status.SurrenderedForAmendment;
        address answering = amendment ? route.issuer : route.legs[route.legs.length - 1].carrier;
        address caller = _caller(answering, callerSeed);
        _before();
        if (!accept) {
            vm.prank(caller);
            try bol.rejectSurrender(billId, route, keccak256(abi.encode("reason", billId))) {
                _after(caller, billId, true);
            } catch {
                _after(caller, billId, false);
            }
        } else if (!amendment) {
            vm.prank(caller);
            try bol.acceptSurrender(billId, route) {
                _after(caller, billId, true);
            } catch {
                _after(caller, billId, false);
            }
        } else {
            _acceptAmendment(billId, route, caller);
        }
    }

    // ───────────────────────────── views for the invariants ─────────────────────────────

    function billCount() external view returns (uint256) {
        return bills.length;
    }

    function accomplishedViewOf(uint256 billId) external view returns (IBillOfLading.BillView memory) {
        return accomplishedView[billId];
    }

    // ───────────────────────────── internals ─────────────────────────────

    function _issue(address carrier, IBillOfLading.Issuance memory issuance) private {
        uint256 deadline = block.timestamp + 1 days;
        bytes[] memory signatures = _coSignatures(carrier, issuance, deadline);
        _before();
        vm.prank(carrier);
        try bol.issue(issuance, deadline, signatures) returns (uint256 billId) {
            _remember(billId, carrier, issuance);
            _after(carrier, billId, true);
        } catch {
            _after(carrier, 0, false);
        }
    }

    function _acceptAmendment(uint256 billId, IBillOfLading.Route memory route, address caller) private {
        if (bills.length >= MAX_BILLS) return;
        // One replacement, carried by the issuer alone (the caller's transaction is its consent).
        IBillOfLading.Replacement[] memory list = new IBillOfLading.Replacement[](1);
        list[0].issuance = IBillOfLading.Issuance({
            documentHash: keccak256(abi.encode("amended", ++_counter)),
            shipper: actors[5],
            consignee: address(0),
            notifyParty: address(0),
            consigneeKind: IBillOfLading.ConsigneeKind.ToOrder,
            legs: _legs(route.issuer, address(0))
        });
        list[0].deadline = block.timestamp + 1 days;
        list[0].signatures = new bytes[](1);
        vm.prank(caller);
        try bol.acceptAmendment(billId, route, list) returns (uint256[] memory ids) {
            ++replacements;
            _remember(ids[0], route.issuer, list[0].issuance);
            _after(caller, billId, true);
        } catch {
            _after(caller, billId, false);
        }
    }

    function _remember(uint256 billId, address issuer, IBillOfLading.Issuance memory issuance) private {
        ++issued;
        bills.push(billId);
        documentOf[billId] = issuance.documentHash;
        issuerOf[billId] = issuer;
        for (uint256 i; i < issuance.legs.length; ++i) legsOf[billId].push(issuance.legs[i]);
    }

    /// @dev Snapshots every bill and starts recording logs.
    function _before() private {
        for (uint256 i; i < bills.length; ++i) prior[bills[i]] = bol.billOf(bills[i]);
        vm.recordLogs();
    }

    /**
     * @dev After a call by `caller` on `target`: folds its logs into the model when it succeeded, and checks every
     * bill against its snapshot.
     */
    function _after(address caller, uint256 target, bool ok) private {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        if (ok) _absorb(logs);
        for (uint256 i; i < bills.length; ++i) {
            uint256 billId = bills[i];
            IBillOfLading.BillView memory before = prior[billId];
            IBillOfLading.BillView memory now_ = bol.billOf(billId);
            bool moved = now_.holder != before.holder || now_.beneficiary != before.beneficiary || now_.status != before.status;
            if (before.status == IBillOfLading.Status.Pledged && moved && caller != before.holder) pledgedMovedByOther = true;
            if (before.status == IBillOfLading.Status.Accomplished && keccak256(abi.encode(now_)) != keccak256(abi.encode(before))) {
                accomplishedMoved = true;
            }
            if (now_.status == IBillOfLading.Status.Accomplished && !accomplished[billId]) {
                accomplished[billId] = true;
                accomplishedView[billId] = now_;
                accomplishedOwner[billId] = bol.ownerOf(billId);
                ++accomplishments;
            }
            if (!ok && billId == target) {
                if (before.status == IBillOfLading.Status.Accomplished) ++refusedOnAccomplished;
                if (before.status == IBillOfLading.Status.Pledged) ++refusedOnPledged;
            }
        }
    }

    function _absorb(Vm.Log[] memory logs) private {
        for (uint256 i; i < logs.length; ++i) {
            Vm.Log memory log = logs[i];
            if (log.emitter != address(bol) || log.topics[0] != IBillOfLading.BillAction.selector) continue;
            uint256 billId = uint256(log.topics[1]);
            (IBillOfLading.ActionCode code, bytes32 previous, address actor, address party, bytes32 data) = abi.decode(
                log.data,
                (IBillOfLading.ActionCode, bytes32, address, address, bytes32)
            );
            // A replacement's chain starts at the surrendered bill's head, which the model knows from that bill.
            bytes32 expected = code == IBillOfLading.ActionCode.Issue && modelHead[billId] == bytes32(0) ? previous : modelHead[billId];
            if (previous != expected) broken = true;
            if (code == IBillOfLading.ActionCode.Issue && previous != bytes32(0) && !_isHeadOfSomeBill(previous)) broken = true;
            modelHead[billId] = keccak256(abi.encode(previous, billId, code, actor, party, data));
            actionsOf[billId].push(IBillOfLading.Action(code, actor, party, data));
            previousOf[billId].push(previous);
        }
    }

    function _isHeadOfSomeBill(bytes32 head) private view returns (bool) {
        for (uint256 i; i < bills.length; ++i) if (modelHead[bills[i]] == head) return true;
        return false;
    }

    /// @dev `rightful` three times out of four, otherwise any actor.
    function _caller(address rightful, uint256 seed) private view returns (address) {
        return seed % 4 == 0 || rightful == address(0) ? actors[(seed / 4) % N_ACTORS] : rightful;
    }

    function _bill(uint256 seed) private view returns (uint256) {
        return bills[seed % bills.length];
    }

    function _route(uint256 billId) private view returns (IBillOfLading.Route memory) {
        return IBillOfLading.Route(documentOf[billId], issuerOf[billId], legsOf[billId]);
    }

    function _legs(address first, address second) private pure returns (IBillOfLading.Leg[] memory legs) {
        legs = new IBillOfLading.Leg[](second == address(0) ? 1 : 2);
        legs[0] = IBillOfLading.Leg(IBillOfLading.Mode.Sea, first, "CNSHA", "CNWUH");
        if (second != address(0)) legs[1] = IBillOfLading.Leg(IBillOfLading.Mode.Rail, second, "CNWUH", "CNCKG");
    }

    function _coSignatures(
        address issuer,
        IBillOfLading.Issuance memory issuance,
        uint256 deadline
    ) private view returns (bytes[] memory signatures) {
        bytes32[] memory legHashes = new bytes32[](issuance.legs.length);
        for (uint256 i; i < issuance.legs.length; ++i) {
            IBillOfLading.Leg memory leg = issuance.legs[i];
            legHashes[i] = keccak256(abi.encode(LEG_TYPEHASH, leg.mode, leg.carrier, leg.from, leg.to));
        }
        bytes32 structHash = keccak256(
            abi.encode(
                ISSUE_TYPEHASH,
                issuance.documentHash,
                issuer,
                issuance.shipper,
                issuance.consignee,
                issuance.notifyParty,
                issuance.consigneeKind,
                keccak256(abi.encodePacked(legHashes)),
                deadline
            )
        );
        signatures = new bytes[](issuance.legs.length);
        for (uint256 i; i < issuance.legs.length; ++i) {
            if (issuance.legs[i].carrier != issuer) signatures[i] = _sign(issuance.legs[i].carrier, structHash);
        }
    }

    function _sign(address signer, bytes32 structHash) private view returns (bytes memory) {
        uint256 pk;
        for (uint256 i; i < N_ACTORS; ++i) if (actors[i] == signer) pk = pks[i];
        bytes32 domainSeparator = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("trustbase BillOfLading"),
                keccak256("1"),
                block.chainid,
                address(bol)
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash)));
        return abi.encodePacked(r, s, v);
    }
}

/// @dev Invariants of the eBL registry over random sequences of {BillHandler} actions.
contract BillOfLadingInvariantTest is ProxyDeployer {
    BillOfLadingLike internal bol;
    BillHandler internal handler;

    function setUp() public {
        vm.warp(1_800_000_000);
        AccessManager manager = new AccessManager(address(this));
        (address dids, ICredentialRegistry credentials) = _deployIdentity(manager);
        bol = BillOfLadingLike(
            _deployProxied("BillOfLading.sol:BillOfLading", abi.encode(dids, address(credentials), false, address(0)), manager)
        );
        handler = new BillHandler(bol);

        // This contract is the AccessManager's admin: it registers the topics and trusts the issuer.
        address issuer = address(0x155E);
        credentials.registerTopic(5, "CARRIER");
        credentials.registerTopic(6, "FINANCIER");
        credentials.setIssuerTrust(5, issuer, true);
        credentials.setIssuerTrust(6, issuer, true);
        uint32 from = uint32(block.timestamp);
        vm.startPrank(issuer);
        for (uint256 i; i < 5; ++i) {
            uint32 topic = i < 3 ? 5 : 6;
            credentials.issue(keccak256(abi.encode("licence", i)), issuer, handler.actors(i), topic, from, from + 3650 days);
        }
        vm.stopPrank();
        targetContract(address(handler));
    }

    /// @dev An accomplished bill never moves: holder, title, status, flags, head and owner stay as they were.
    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 64
    function invariant_accomplishedBillNeverMoves() public view {
        assertFalse(handler.accomplishedMoved(), "an accomplished bill changed");
        for (uint256 i; i < handler.billCount(); ++i) {
            uint256 billId = handler.bills(i);
            if (!handler.accomplished(billId)) continue;
            assertEq(abi.encode(bol.billOf(billId)), abi.encode(handler.accomplishedViewOf(billId)), "accomplished bill changed");
            assertEq(bol.ownerOf(billId), handler.accomplishedOwner(billId), "accomplished bill's title moved");
        }
    }

    /// @dev A pledged bill moves only by its bank: while pledged, the bank holds it and the pledgor keeps the title.
    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 64
    function invariant_pledgedBillMovesOnlyByItsBank() public view {
        assertFalse(handler.pledgedMovedByOther(), "a pledged bill was moved by someone other than its bank");
        for (uint256 i; i < handler.billCount(); ++i) {
            uint256 billId = handler.bills(i);
            IBillOfLading.BillView memory bill = bol.billOf(billId);
            if (bill.status != IBillOfLading.Status.Pledged) continue;
            assertEq(bill.holder, handler.pledgeBank(billId), "a pledged bill's holder is not its bank");
            assertEq(bill.beneficiary, handler.pledgor(billId), "a pledged bill's title left its pledgor");
            assertEq(bol.ownerOf(billId), handler.pledgor(billId), "ownerOf a pledged bill is not its pledgor");
        }
    }

    /// @dev The stored head of every bill equals the hash chain over its emitted BillAction events.
    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 64
    function invariant_headEqualsChainOverEmittedActions() public view {
        assertFalse(handler.broken(), "an action did not follow its bill's previous head");
        for (uint256 i; i < handler.billCount(); ++i) {
            uint256 billId = handler.bills(i);
            assertEq(bol.headOf(billId), handler.modelHead(billId), "head differs from the chain over the logs");
        }
    }

    /// @dev Title counts agree with titles: each actor's balanceOf is the number of bills it owns, and they add up
    /// to the bills not replaced.
    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 64
    function invariant_balancesCountTitles() public view {
        uint256 total;
        uint256 live;
        for (uint256 a; a < 8; ++a) {
            address actor = handler.actors(a);
            uint256 owned;
            for (uint256 i; i < handler.billCount(); ++i) {
                if (bol.ownerOf(handler.bills(i)) == actor) ++owned;
            }
            assertEq(bol.balanceOf(actor), owned, "balanceOf differs from the bills owned");
            total += owned;
        }
        for (uint256 i; i < handler.billCount(); ++i) {
            if (bol.billOf(handler.bills(i)).status != IBillOfLading.Status.Replaced) ++live;
        }
        assertEq(total, live, "titles held differ from the bills not replaced");
    }

    /// @dev The handler's paths are exercised (a fixed scenario): endorsement, rejection, handover, pledge and
    /// release, pledge and enforcement, accomplishment, amendment with a replacement, and refusals on pledged and
    /// accomplished bills.
    function test_handlerScenarioIsNotVacuous() public {
        // Bill 0: two legs (carriers 0 and 1), to order of trader 5.
        handler.issue(0, 5, 0, 1, true);
        uint256 first = handler.bills(0);
        assertEq(bol.billOf(first).holder, handler.actors(5));
        handler.endorse(0, 6, 1, 1); // EndorseToOrder to trader 6
        handler.rejectTransfer(0, 1); // trader 6 refuses: back to trader 5
        assertEq(handler.rejections(), 1);
        assertEq(bol.billOf(first).holder, handler.actors(5));
        handler.handover(0, true, 1);
        assertEq(handler.handovers(), 1);
        assertEq(bol.billOf(first).discrepancies, 1);
        handler.pledge(0, 0, 1); // to bank 3
        assertEq(uint8(bol.billOf(first).status), uint8(IBillOfLading.Status.Pledged));
        handler.transferHolder(0, 7, 4); // actor 1 (a carrier) tries to move it: refused
        handler.surrender(0, false, 1); // the bank may not surrender
        assertEq(handler.refusedOnPledged(), 2);
        handler.releasePledge(0, 1);
        assertEq(handler.releases(), 1);
        handler.pledge(0, 1, 1); // to bank 4
        handler.enforcePledge(0, 1);
        assertEq(handler.enforcements(), 1);
        assertEq(bol.ownerOf(first), handler.actors(4));
        handler.surrender(0, false, 1);
        handler.answerSurrender(0, true, 1); // the last leg's carrier (actor 1) accepts
        assertEq(handler.accomplishments(), 1);
        handler.transferHolder(0, 5, 1);
        handler.endorse(0, 5, 0, 1);
        assertEq(handler.refusedOnAccomplished(), 2);

        // Bill 1: one leg (carrier 2), bearer; surrendered for amendment and replaced.
        handler.issue(2, 6, 0, 2, false);
        handler.surrender(1, true, 1);
        handler.answerSurrender(1, true, 1);
        assertEq(handler.replacements(), 1);
        assertEq(handler.billCount(), 3);
        assertEq(bol.billOf(handler.bills(2)).holder, handler.actors(6));

        invariant_accomplishedBillNeverMoves();
        invariant_pledgedBillMovesOnlyByItsBank();
        invariant_headEqualsChainOverEmittedActions();
        invariant_balancesCountTitles();
    }

    /// @dev Fuzz: nobody but the bank moves a pledged bill, the pledgor included; the bill is unchanged.
    function testFuzz_onlyTheBankMovesAPledgedBill(uint256 actorSeed, uint8 what) public {
        handler.issue(0, 5, 0, 1, false);
        uint256 billId = handler.bills(0);
        handler.pledge(0, 0, 1);
        address bank = handler.actors(3);
        address stranger = handler.actors(actorSeed % 8);
        vm.assume(stranger != bank);
        bytes memory before = abi.encode(bol.billOf(billId));
        if (what % 3 == 0) {
            vm.expectRevert(abi.encodeWithSelector(IBillOfLading.BillNotHolder.selector, billId, stranger));
            vm.prank(stranger);
            bol.releasePledge(billId);
        } else if (what % 3 == 1) {
            vm.expectRevert(abi.encodeWithSelector(IBillOfLading.BillNotHolder.selector, billId, stranger));
            vm.prank(stranger);
            bol.enforcePledge(billId);
        } else {
            vm.expectRevert(
                abi.encodeWithSelector(IBillOfLading.BillWrongStatus.selector, billId, IBillOfLading.Status.Pledged)
            );
            vm.prank(stranger);
            bol.transferHolder(billId, stranger);
        }
        assertEq(abi.encode(bol.billOf(billId)), before);
    }

    /// @dev Fuzz: an accomplished bill refuses its last holder's every move.
    function testFuzz_accomplishedBillRefusesItsHolder(uint256 toSeed, bool endorse) public {
        handler.issue(0, 5, 0, 1, false);
        uint256 billId = handler.bills(0);
        handler.surrender(0, false, 1);
        handler.answerSurrender(0, true, 1);
        assertTrue(handler.accomplished(billId));
        address holder = bol.billOf(billId).holder;
        address to = handler.actors(toSeed % 8);
        bytes memory before = abi.encode(bol.billOf(billId));
        vm.expectRevert(
            abi.encodeWithSelector(IBillOfLading.BillWrongStatus.selector, billId, IBillOfLading.Status.Accomplished)
        );
        vm.prank(holder);
        if (endorse) bol.endorse(billId, to, IBillOfLading.ActionCode.EndorseToOrder, block.timestamp, "");
        else bol.transferHolder(billId, to);
        assertEq(abi.encode(bol.billOf(billId)), before);
    }
}

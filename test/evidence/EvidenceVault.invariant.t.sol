// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {Topics} from "../../contracts/identity/Topics.sol";
import {EvidenceKinds} from "../../contracts/evidence/EvidenceKinds.sol";
import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {IEvidenceVault} from "../../contracts/interfaces/IEvidenceVault.sol";

/// @dev The identity layer as the vault sees it, reduced to what it asks: every DID owns itself (no delegates) and
/// holds the credentials the test gives it. (The real registries are tested on their own; compiling them into this
/// test's build too would make the tests' one coverage build larger than the wasm compiler can hold.)
contract IdentityStub {
    mapping(address subject => mapping(uint32 topic => bool)) public hasValid;

    function give(address subject, uint32 topic) external {
        hasValid[subject][topic] = true;
    }

    function isController(address identity, address actor, bytes32) external pure returns (bool) {
        return identity == actor;
    }

    function identityOwner(address identity) external pure returns (address) {
        return identity;
    }
}

/// @dev Drives an EvidenceVault with random anchors, batches, versions, custody entries, disputes, co-signatures,
/// checkpoints and time, and keeps a model: each anchor as first written, each custody chain, the accumulator.
contract EvidenceHandler is Test {
    IEvidenceVault public immutable vault;
    uint32 public constant CASE_ID = 1;
    address[2] public parties;
    address public immutable judge;
    uint256[3] private _witnessKeys = [uint256(0xA11CE), uint256(0xB0B), uint256(0xCA201)];

    bytes32[] public hashes;
    mapping(bytes32 hash => IEvidenceVault.Anchor) public firstWritten;
    mapping(bytes32 hash => bytes32 head) public modelHead;
    bytes32 public modelAccumulator;
    uint256 private _counter;

    constructor(IEvidenceVault vault_, address[2] memory parties_, address judge_) {
        vault = vault_;
        parties = parties_;
        judge = judge_;
    }

    function witness(uint256 i) public view returns (address) {
        return vm.addr(_witnessKeys[i]);
    }

    function anchor(uint256 partySeed, uint8 categorySeed, bytes32 metadataHash) external {
        address party = parties[partySeed % 2];
        bytes32 hash = keccak256(abi.encode("document", ++_counter));
        uint8 category = uint8(1 + (categorySeed % EvidenceKinds.MAX_CATEGORY));
        vm.prank(party);
        vault.anchor(CASE_ID, hash, category, metadataHash);
        _remember(hash, EvidenceKinds.anchorEntry(hash, CASE_ID, party, category, 0, metadataHash, 0, uint40(block.timestamp)));
    }

    function anchorBatch(uint256 partySeed, uint32 itemCount) external {
        address party = parties[partySeed % 2];
        bytes32 root = keccak256(abi.encode("root", ++_counter));
        itemCount = uint32(bound(itemCount, 1, 10_000));
        vm.prank(party);
        vault.anchorBatch(party, CASE_ID, root, itemCount, EvidenceKinds.IMAGE, 0);
        _remember(root, EvidenceKinds.anchorEntry(root, CASE_ID, party, EvidenceKinds.IMAGE, itemCount, 0, 0, uint40(block.timestamp)));
    }

    function supersede(uint256 seed, uint256 partySeed) external {
        if (hashes.length == 0) return;
        bytes32 previous = hashes[seed % hashes.length];
        (, bytes32 next) = vault.versionsOf(previous);
        if (next != 0) return;
        address party = parties[partySeed % 2];
        bytes32 hash = keccak256(abi.encode("version", ++_counter));
        vm.prank(party);
        vault.supersede(party, previous, hash, EvidenceKinds.CONTRACT, 0);
        _remember(hash, EvidenceKinds.anchorEntry(hash, CASE_ID, party, EvidenceKinds.CONTRACT, 0, 0, previous, uint40(block.timestamp)));
    }

    /// @dev Also tries to anchor a hash again, which must be refused.
    function reanchor(uint256 seed, uint256 partySeed) external {
        if (hashes.length == 0) return;
        vm.prank(parties[partySeed % 2]);
        try vault.anchor(CASE_ID, hashes[seed % hashes.length], EvidenceKinds.OTHER, 0) {
            revert("anchored twice");
        } catch {}
    }

    function logCustody(uint256 seed, uint8 actionSeed, bytes32 reasonHash) external {
        if (hashes.length == 0) return;
        bytes32 hash = hashes[seed % hashes.length];
        uint8 action = actionSeed % 8;
        bool decision = action == EvidenceKinds.REVIEW || action == EvidenceKinds.APPROVE || action == EvidenceKinds.REJECT;
        address actor = decision ? judge : parties[seed % 2];
        vm.prank(actor);
        vault.logCustody(actor, hash, action, reasonHash);
        bytes32 head = EvidenceKinds.custodyEntry(modelHead[hash], hash, action, actor, reasonHash, uint40(block.timestamp));
        modelHead[hash] = head;
        modelAccumulator = EvidenceKinds.fold(modelAccumulator, head);
    }

    function dispute(uint256 seed, bytes32 reasonHash) external {
        if (hashes.length == 0 || reasonHash == 0) return;
        bytes32 hash = hashes[seed % hashes.length];
        address party = parties[seed % 2];
        vm.prank(party);
        vault.dispute(party, hash, reasonHash);
        modelAccumulator = EvidenceKinds.fold(
            modelAccumulator,
            EvidenceKinds.disputeEntry(hash, party, reasonHash, uint40(block.timestamp))
        );
    }

    function cosign(uint256 seed, uint256 witnessSeed) external {
        if (hashes.length == 0) return;
        bytes32 hash = hashes[seed % hashes.length];
        uint256 i = witnessSeed % 3;
        if (vault.anchorOf(hash).witnessed & (1 << i) != 0) return;
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(keccak256("Cosign(bytes32 hash,address witness,uint256 deadline)"), hash, witness(i), deadline)
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(_witnessKeys[i], MessageHashUtils.toTypedDataHash(_domainSeparator(), structHash));
        vault.cosign(hash, witness(i), deadline, abi.encodePacked(r, s, v));
    }

    function checkpoint() external {
        if (vault.accumulator() == _lastCheckpointed()) return;
        vault.checkpoint();
    }

    function warp(uint32 seconds_) external {
        vm.warp(block.timestamp + (seconds_ % 3 days));
    }

    function hashCount() external view returns (uint256) {
        return hashes.length;
    }

    function firstAnchor(bytes32 hash) external view returns (IEvidenceVault.Anchor memory) {
        return firstWritten[hash];
    }

    function _remember(bytes32 hash, bytes32 entry) private {
        hashes.push(hash);
        firstWritten[hash] = vault.anchorOf(hash);
        modelAccumulator = EvidenceKinds.fold(modelAccumulator, entry);
    }

    function _lastCheckpointed() private view returns (bytes32 accumulator) {
        (, accumulator) = vault.lastCheckpoint();
    }

    function _domainSeparator() private view returns (bytes32) {
        (, string memory name, string memory version, uint256 chainId, address verifyingContract, , ) = IERC5267(address(vault)).eip712Domain();
        return
            keccak256(
                abi.encode(
                    keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                    keccak256(bytes(name)),
                    keccak256(bytes(version)),
                    chainId,
                    verifyingContract
                )
            );
    }
}

contract EvidenceVaultInvariantTest is Test {
    IEvidenceVault internal vault;
    EvidenceHandler internal handler;
    address internal constant CLERK = address(0xC1E5C);
    address internal constant JUDGE = address(0x7D6E);
    address[2] internal parties = [address(0xA1), address(0xB2)];

    function setUp() public {
        vm.warp(1_800_000_000);
        AccessManager manager = new AccessManager(address(this));
        IdentityStub identity = new IdentityStub();
        // Deployed from its artifact: compiling the vault into this test's build as well would make the tests' one
        // coverage build larger than the wasm compiler can hold.
        vault = IEvidenceVault(
            deployCode(
                "EvidenceVault.sol:EvidenceVault",
                abi.encode(address(manager), address(identity), address(identity), false, address(0))
            )
        );
        bytes4[] memory selectors = new bytes4[](1);
        selectors[0] = IEvidenceVault.openCase.selector;
        manager.setTargetFunctionRole(address(vault), selectors, manager.PUBLIC_ROLE());

        handler = new EvidenceHandler(vault, parties, JUDGE);
        identity.give(CLERK, Topics.COURT_CLERK);
        identity.give(JUDGE, Topics.JUDGE);
        identity.give(parties[0], Topics.CASE_PARTY);
        identity.give(parties[1], Topics.CASE_PARTY);
        address[] memory witnesses = new address[](3);
        uint32[] memory witnessTopics = new uint32[](3);
        for (uint256 i = 0; i < 3; ++i) {
            witnesses[i] = handler.witness(i);
            witnessTopics[i] = Topics.NOTARY;
            identity.give(witnesses[i], Topics.NOTARY);
        }

        vm.startPrank(CLERK);
        vault.openCase(CLERK, keccak256("case"), witnesses, witnessTopics, 2);
        uint8 partyPermissions = EvidenceKinds.SUBMIT | EvidenceKinds.LOG | EvidenceKinds.DISPUTE;
        vault.grantAccess(1, parties[0], Topics.CASE_PARTY, partyPermissions);
        vault.grantAccess(1, parties[1], Topics.CASE_PARTY, partyPermissions);
        vault.grantAccess(1, JUDGE, Topics.JUDGE, EvidenceKinds.LOG | EvidenceKinds.DECIDE);
        vm.stopPrank();
        targetContract(address(handler));
    }

    /// @dev An anchor never changes once written: submitter, time, case, category and batch flag stay as first
    /// written; co-signatures and the disputed mark only ever accumulate.
    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 64
    function invariant_anchorNeverChanges() public view {
        uint256 count = handler.hashCount();
        for (uint256 i = 0; i < count; ++i) {
            bytes32 hash = handler.hashes(i);
            IEvidenceVault.Anchor memory first = handler.firstAnchor(hash);
            IEvidenceVault.Anchor memory now_ = vault.anchorOf(hash);
            assertEq(now_.submitter, first.submitter, "submitter changed");
            assertEq(now_.anchoredAt, first.anchoredAt, "time changed");
            assertEq(now_.caseId, first.caseId, "case changed");
            assertEq(now_.category, first.category, "category changed");
            assertEq(now_.flags & EvidenceKinds.FLAG_BATCH, first.flags & EvidenceKinds.FLAG_BATCH, "batch flag changed");
            assertTrue(first.anchoredAt != 0, "not anchored");
        }
    }

    /// @dev Each document's stored custody head is the hash chain over the entries the vault emitted.
    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 64
    function invariant_custodyHeadMatchesChain() public view {
        uint256 count = handler.hashCount();
        for (uint256 i = 0; i < count; ++i) {
            bytes32 hash = handler.hashes(i);
            assertEq(vault.custodyHeadOf(hash), handler.modelHead(hash), "custody head off the chain");
        }
    }

    /// @dev The accumulator is the fold of every anchor, custody entry and dispute, in order.
    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 64
    function invariant_accumulatorIsTheFold() public view {
        assertEq(vault.accumulator(), handler.modelAccumulator(), "accumulator off the fold");
    }

    /// @dev A final anchor has at least the threshold of co-signatures, and stays final.
    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 64
    function invariant_finalityFollowsCosignatures() public view {
        uint256 count = handler.hashCount();
        for (uint256 i = 0; i < count; ++i) {
            bytes32 hash = handler.hashes(i);
            assertEq(vault.isFinal(hash), vault.cosignersOf(hash).length >= 2, "finality off the co-signatures");
        }
    }

    /// @dev Fuzz: nobody outside the case anchors in it, and a refused anchor leaves no trace.
    function testFuzz_strangerCannotAnchor(address stranger, bytes32 hash) public {
        vm.assume(stranger != parties[0] && stranger != parties[1] && stranger != CLERK && hash != 0);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IEvidenceVault.EvidenceNotPermitted.selector, uint32(1), stranger, EvidenceKinds.SUBMIT));
        vault.anchor(1, hash, EvidenceKinds.CONTRACT, 0);
        assertEq(vault.anchorOf(hash).anchoredAt, 0);
        assertEq(vault.accumulator(), bytes32(0));
    }

    /// @dev Fuzz: a party cannot act for the other party's DID.
    function testFuzz_partyCannotActForAnother(bytes32 hash) public {
        vm.assume(hash != 0);
        vm.prank(parties[0]);
        vm.expectRevert();
        vault.anchorFor(parties[1], 1, hash, EvidenceKinds.CONTRACT, 0);
        assertEq(vault.anchorOf(hash).anchoredAt, 0);
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {Topics} from "../../contracts/identity/Topics.sol";
import {IdentityGate} from "../../contracts/identity/IdentityGate.sol";
import {EvidenceKinds} from "../../contracts/evidence/EvidenceKinds.sol";
import {IEvidenceVault} from "../../contracts/interfaces/IEvidenceVault.sol";

/// @dev The entry hashes are written in assembly: each must equal `keccak256(abi.encode(...))` of its fields, the
/// format sdk/evidence.ts and the proof-bundle verifier recompute, whatever stray high bits a narrow value carries.
contract EvidenceKindsAssemblyTest is Test {
    function testFuzz_anchorEntryIsTheStructHash(
        bytes32 hash,
        uint32 caseId,
        address submitter,
        uint8 category,
        uint32 itemCount,
        bytes32 metadataHash,
        bytes32 previous,
        uint40 time,
        uint256 dirt
    ) public pure {
        bytes32 expected = keccak256(
            abi.encode(EvidenceKinds.ANCHOR_TYPEHASH, hash, caseId, submitter, category, itemCount, metadataHash, previous, time)
        );
        assertEq(EvidenceKinds.anchorEntry(hash, caseId, submitter, category, itemCount, metadataHash, previous, time), expected);
        assertEq(
            EvidenceKinds.anchorEntry(
                hash,
                uint32(_dirty(caseId, 32, dirt)),
                address(uint160(_dirty(uint160(submitter), 160, dirt))),
                uint8(_dirty(category, 8, dirt)),
                uint32(_dirty(itemCount, 32, dirt)),
                metadataHash,
                previous,
                uint40(_dirty(time, 40, dirt))
            ),
            expected
        );
    }

    function testFuzz_custodyEntryIsTheStructHash(
        bytes32 previousHead,
        bytes32 hash,
        uint8 action,
        address actor,
        bytes32 reasonHash,
        uint40 time,
        uint256 dirt
    ) public pure {
        bytes32 expected = keccak256(
            abi.encode(EvidenceKinds.CUSTODY_TYPEHASH, previousHead, hash, action, actor, reasonHash, time)
        );
        assertEq(EvidenceKinds.custodyEntry(previousHead, hash, action, actor, reasonHash, time), expected);
        assertEq(
            EvidenceKinds.custodyEntry(
                previousHead,
                hash,
                uint8(_dirty(action, 8, dirt)),
                address(uint160(_dirty(uint160(actor), 160, dirt))),
                reasonHash,
                uint40(_dirty(time, 40, dirt))
            ),
            expected
        );
    }

    function testFuzz_disputeEntryIsTheStructHash(
        bytes32 hash,
        address party,
        bytes32 reasonHash,
        uint40 time,
        uint256 dirt
    ) public pure {
        bytes32 expected = keccak256(abi.encode(EvidenceKinds.DISPUTE_TYPEHASH, hash, party, reasonHash, time));
        assertEq(EvidenceKinds.disputeEntry(hash, party, reasonHash, time), expected);
        assertEq(
            EvidenceKinds.disputeEntry(
                hash,
                address(uint160(_dirty(uint160(party), 160, dirt))),
                reasonHash,
                uint40(_dirty(time, 40, dirt))
            ),
            expected
        );
    }

    function testFuzz_foldIsTheHashOfBothWords(bytes32 accumulator, bytes32 entry) public pure {
        assertEq(EvidenceKinds.fold(accumulator, entry), keccak256(abi.encode(accumulator, entry)));
    }

    /// @dev The entry hashes leave the free memory pointer and what was allocated before them alone.
    function test_entriesAllocateNothing() public pure {
        bytes memory before = abi.encode(uint256(1), uint256(2));
        uint256 pointer;
        assembly ("memory-safe") {
            pointer := mload(0x40)
        }
        EvidenceKinds.anchorEntry(bytes32(uint256(1)), 1, address(1), 1, 0, 0, 0, 1);
        EvidenceKinds.custodyEntry(0, bytes32(uint256(1)), 1, address(1), 0, 1);
        EvidenceKinds.disputeEntry(bytes32(uint256(1)), address(1), 0, 1);
        uint256 pointerAfter;
        assembly ("memory-safe") {
            pointerAfter := mload(0x40)
        }
        assertEq(pointerAfter, pointer);
        assertEq(before, abi.encode(uint256(1), uint256(2)));
    }

    /// @dev `value` with garbage above its lowest `bits` bits (the value itself when `dirt` has none there).
    function _dirty(uint256 value, uint256 bits, uint256 dirt) private pure returns (uint256) {
        return value | ((dirt >> bits) << bits);
    }
}

/// @dev A DID registry that answers isController as told: the vault's assembly call must treat each answer as an
/// interface call would (a revert bubbles up unchanged, anything but an ABI bool reverts without data).
contract AnsweringRegistry {
    enum Answer {
        Honest,
        False,
        Revert,
        NotABool,
        Nothing,
        Short
    }

    error RegistryUnavailable(address identity, uint256 code);

    Answer public answer;
    mapping(address subject => mapping(uint32 topic => bool)) public hasValid;

    function give(address subject, uint32 topic) external {
        hasValid[subject][topic] = true;
    }

    function setAnswer(Answer answer_) external {
        answer = answer_;
    }

    function isController(address identity, address actor, bytes32) external view returns (bool) {
        Answer a = answer;
        if (a == Answer.Honest) return identity == actor;
        if (a == Answer.False) return false;
        if (a == Answer.Revert) revert RegistryUnavailable(identity, 7);
        assembly ("memory-safe") {
            switch a
            case 3 {
                mstore(0x00, 2)
                return(0x00, 0x20)
            }
            case 4 {
                return(0x00, 0x00)
            }
            default {
                mstore(0x00, 1)
                return(0x00, 0x1f)
            }
        }
    }
}

contract EvidenceVaultRegistryCallTest is Test {
    IEvidenceVault internal vault;
    AnsweringRegistry internal registry;
    address internal constant CLERK = address(0xC1E5C);
    address internal constant PARTY = address(0xA1);
    bytes32 internal constant DOCUMENT = keccak256("document");

    function setUp() public {
        vm.warp(1_800_000_000);
        AccessManager manager = new AccessManager(address(this));
        registry = new AnsweringRegistry();
        // From its artifact, as in EvidenceVault.invariant.t.sol (the tests' coverage build must stay small).
        vault = IEvidenceVault(
            deployCode(
                "EvidenceVault.sol:EvidenceVault",
                abi.encode(address(manager), address(registry), address(registry), false, address(0))
            )
        );
        bytes4[] memory selectors = new bytes4[](1);
        selectors[0] = IEvidenceVault.openCase.selector;
        manager.setTargetFunctionRole(address(vault), selectors, manager.PUBLIC_ROLE());
        registry.give(CLERK, Topics.COURT_CLERK);
        registry.give(PARTY, Topics.CASE_PARTY);
        vm.startPrank(CLERK);
        vault.openCase(CLERK, keccak256("case"), new address[](0), new uint32[](0), 0);
        vault.grantAccess(1, PARTY, Topics.CASE_PARTY, EvidenceKinds.SUBMIT | EvidenceKinds.LOG);
        vm.stopPrank();
    }

    function test_anchorsWhenTheRegistrySaysTheCallerControls() public {
        vm.prank(PARTY);
        vault.anchor(1, DOCUMENT, EvidenceKinds.CONTRACT, 0);
        assertEq(vault.anchorOf(DOCUMENT).submitter, PARTY);
        assertEq(vault.anchorOf(DOCUMENT).anchoredAt, 1_800_000_000);
    }

    function test_refusesWhenTheRegistrySaysNo() public {
        registry.setAnswer(AnsweringRegistry.Answer.False);
        vm.prank(PARTY);
        vm.expectRevert(abi.encodeWithSelector(IdentityGate.IdentityGateNotController.selector, PARTY, PARTY));
        vault.anchor(1, DOCUMENT, EvidenceKinds.CONTRACT, 0);
        _assertNothingRecorded();
    }

    function test_bubblesUpTheRegistrysRevert() public {
        registry.setAnswer(AnsweringRegistry.Answer.Revert);
        vm.prank(PARTY);
        vm.expectRevert(abi.encodeWithSelector(AnsweringRegistry.RegistryUnavailable.selector, PARTY, 7));
        vault.anchor(1, DOCUMENT, EvidenceKinds.CONTRACT, 0);
        _assertNothingRecorded();
    }

    function test_bubblesUpTheRegistrysRevertOnCustody() public {
        vm.prank(PARTY);
        vault.anchor(1, DOCUMENT, EvidenceKinds.CONTRACT, 0);
        registry.setAnswer(AnsweringRegistry.Answer.Revert);
        vm.prank(PARTY);
        vm.expectRevert(abi.encodeWithSelector(AnsweringRegistry.RegistryUnavailable.selector, PARTY, 7));
        vault.logCustody(PARTY, DOCUMENT, EvidenceKinds.VIEW, 0);
        assertEq(vault.custodyHeadOf(DOCUMENT), bytes32(0));
    }

    function test_revertsWithoutDataOnAnAnswerThatIsNotABool() public {
        registry.setAnswer(AnsweringRegistry.Answer.NotABool);
        vm.prank(PARTY);
        vm.expectRevert(bytes(""));
        vault.anchor(1, DOCUMENT, EvidenceKinds.CONTRACT, 0);
        _assertNothingRecorded();
    }

    function test_revertsWithoutDataOnNoAnswer() public {
        registry.setAnswer(AnsweringRegistry.Answer.Nothing);
        vm.prank(PARTY);
        vm.expectRevert(bytes(""));
        vault.anchor(1, DOCUMENT, EvidenceKinds.CONTRACT, 0);
        _assertNothingRecorded();
    }

    function test_revertsWithoutDataOnAShortAnswer() public {
        registry.setAnswer(AnsweringRegistry.Answer.Short);
        vm.prank(PARTY);
        vm.expectRevert(bytes(""));
        vault.anchor(1, DOCUMENT, EvidenceKinds.CONTRACT, 0);
        _assertNothingRecorded();
    }

    function _assertNothingRecorded() private view {
        assertEq(vault.anchorOf(DOCUMENT).anchoredAt, 0);
        assertEq(vault.accumulator(), bytes32(0));
    }
}

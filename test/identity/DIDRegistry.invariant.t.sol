// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {StdInvariant} from "forge-std/StdInvariant.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {DIDRegistry} from "../../contracts/identity/DIDRegistry.sol";
import {IDIDRegistry} from "../../contracts/interfaces/IDIDRegistry.sol";

/**
 * @dev Drives one DIDRegistry with random owner / delegate / attribute changes (direct, ERC-1056 signed,
 * EIP-712 signed, batched), deactivations (four routes), guardian recoveries and time, for three identities
 * whose owners are always among five known keys. It keeps a model of the expected owner and nonces and
 * records every identity's state when it is deactivated; it also keeps trying to change deactivated
 * identities with the keys that owned them.
 */
contract DIDRegistryHandler is CommonBase, StdCheats, StdUtils {
    DIDRegistry public immutable reg;

    uint256 public constant N_KEYS = 5;
    uint256 public constant N_IDS = 3;
    uint32 public constant DELAY = 1 hours;

    bytes32 private constant SET_ATTRIBUTE_TYPEHASH =
        keccak256(
            "SetAttribute(address identity,bytes32 name,bytes value,uint256 validity,uint256 nonce,uint256 deadline)"
        );
    bytes32 private constant DEACTIVATE_TYPEHASH = keccak256("Deactivate(address identity,uint256 nonce,uint256 deadline)");
    bytes32 private constant RECOVER_TYPEHASH =
        keccak256("Recover(address identity,address newOwner,uint256 nonce,uint256 deadline)");

    uint256[N_KEYS] internal pks;
    address[N_KEYS] public keys;
    uint256[3] internal guardianPks;
    address[] internal guardianAddrs; // strictly increasing

    // ── model ──
    mapping(address identity => address) public expectedOwner;
    /// @dev The owner just before deactivation: the key that would be authorised if deactivation were not final.
    mapping(address identity => address) public lastOwner;
    mapping(address identity => bool) public deactivated;
    mapping(address identity => uint256) public changedAtDeactivation;
    mapping(address signer => uint256) public expectedNonce;

    // ── findings (must stay false) ──
    bool public changeAcceptedAfterDeactivation;
    bool public nonceDecreased;
    bool public ownerChangedWithoutCause;

    // ── coverage counters (prove the runs are not vacuous) ──
    uint256 public deactivations;
    uint256 public refusedOnDeactivated;
    uint256 public signedOps;
    uint256 public recoveriesExecuted;

    constructor(DIDRegistry reg_) {
        reg = reg_;
        for (uint256 i = 0; i < N_KEYS; ++i) {
            pks[i] = 0xA11CE + i;
            keys[i] = vm.addr(pks[i]);
        }
        for (uint256 i = 0; i < N_IDS; ++i) expectedOwner[keys[i]] = keys[i];
        uint256[3] memory g = [uint256(0x6A12D1), 0x6A12D2, 0x6A12D3];
        // Sort by address (insertion sort on three).
        for (uint256 i = 1; i < 3; ++i) {
            uint256 k = g[i];
            uint256 j = i;
            while (j > 0 && vm.addr(g[j - 1]) > vm.addr(k)) {
                g[j] = g[j - 1];
                --j;
            }
            g[j] = k;
        }
        for (uint256 i = 0; i < 3; ++i) {
            guardianPks[i] = g[i];
            guardianAddrs.push(vm.addr(g[i]));
        }
    }

    // ───────────────────────────── helpers ─────────────────────────────

    function identityAt(uint256 i) external view returns (address) {
        return keys[i];
    }

    function _id(uint256 seed) internal view returns (address) {
        return keys[seed % N_IDS];
    }

    function _key(uint256 seed) internal view returns (address) {
        return keys[seed % N_KEYS];
    }

    function _pkOf(address account) internal view returns (uint256) {
        for (uint256 i = 0; i < N_KEYS; ++i) if (keys[i] == account) return pks[i];
        revert("unknown key");
    }

    /// @dev The key that acts for `id`: its owner, or the owner it had before deactivation.
    function _actor(address id) internal view returns (address) {
        return deactivated[id] ? lastOwner[id] : expectedOwner[id];
    }

    /// @dev Every action happens in a new block, a second later, and is checked for nonce monotonicity.
    modifier step() {
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 1);
        uint256[N_KEYS] memory before;
        for (uint256 i = 0; i < N_KEYS; ++i) before[i] = reg.nonce(keys[i]);
        _;
        for (uint256 i = 0; i < N_KEYS; ++i) {
            if (reg.nonce(keys[i]) < before[i]) nonceDecreased = true;
        }
        // An identity's owner only moves where the model says it did.
        for (uint256 i = 0; i < N_IDS; ++i) {
            address id = keys[i];
            address expected = deactivated[id] ? address(0) : expectedOwner[id];
            if (reg.identityOwner(id) != expected) ownerChangedWithoutCause = true;
        }
    }

    function _accepted(address id) internal {
        if (deactivated[id]) changeAcceptedAfterDeactivation = true;
    }

    function _refused(address id) internal {
        if (deactivated[id]) ++refusedOnDeactivated;
    }

    function _markDeactivated(address id) internal {
        if (deactivated[id]) {
            changeAcceptedAfterDeactivation = true;
            return;
        }
        lastOwner[id] = expectedOwner[id];
        deactivated[id] = true;
        changedAtDeactivation[id] = reg.changed(id);
        expectedOwner[id] = address(0);
        ++deactivations;
    }

    function _digest(bytes32 structHash) internal view returns (bytes32) {
        bytes32 domainSeparator = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("trustbase DIDRegistry"),
                keccak256("1"),
                block.chainid,
                address(reg)
            )
        );
        return keccak256(abi.encodePacked(hex"1901", domainSeparator, structHash));
    }

    function _sign(uint256 pk, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, digest);
        return abi.encodePacked(r, s, v);
    }

    // ───────────────────────────── actions ─────────────────────────────

    function changeOwner(uint256 idSeed, uint256 ownerSeed) external step {
        address id = _id(idSeed);
        address newOwner = _key(ownerSeed);
        vm.prank(_actor(id));
        try reg.changeOwner(id, newOwner) {
            _accepted(id);
            expectedOwner[id] = newOwner;
        } catch {
            _refused(id);
        }
    }

    function addDelegate(uint256 idSeed, uint256 delegateSeed, uint256 validity) external step {
        address id = _id(idSeed);
        validity = _bound(validity, 0, 30 days);
        vm.prank(_actor(id));
        try reg.addDelegate(id, "sigAuth", _key(delegateSeed), validity) {
            _accepted(id);
        } catch {
            _refused(id);
        }
    }

    function revokeDelegate(uint256 idSeed, uint256 delegateSeed) external step {
        address id = _id(idSeed);
        vm.prank(_actor(id));
        try reg.revokeDelegate(id, "sigAuth", _key(delegateSeed)) {
            _accepted(id);
        } catch {
            _refused(id);
        }
    }

    function setAttribute(uint256 idSeed, bytes32 name, bytes calldata value, uint256 validity) external step {
        address id = _id(idSeed);
        validity = _bound(validity, 0, 365 days);
        vm.prank(_actor(id));
        try reg.setAttribute(id, name, value, validity) {
            _accepted(id);
        } catch {
            _refused(id);
        }
    }

    function revokeAttribute(uint256 idSeed, bytes32 name, bytes calldata value) external step {
        address id = _id(idSeed);
        vm.prank(_actor(id));
        try reg.revokeAttribute(id, name, value) {
            _accepted(id);
        } catch {
            _refused(id);
        }
    }

    /// @dev ERC-1056 legacy signature of the (last) owner, relayed by this handler.
    function changeOwnerSigned(uint256 idSeed, uint256 ownerSeed) external step {
        address id = _id(idSeed);
        address signer = _actor(id);
        address newOwner = _key(ownerSeed);
        bytes32 hash = keccak256(
            abi.encodePacked(bytes1(0x19), bytes1(0), address(reg), reg.nonce(signer), id, "changeOwner", newOwner)
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(_pkOf(signer), hash);
        try reg.changeOwnerSigned(id, v, r, s, newOwner) {
            _accepted(id);
            expectedOwner[id] = newOwner;
            ++expectedNonce[signer];
            ++signedOps;
        } catch {
            _refused(id);
        }
    }

    /// @dev EIP-712 signature of the (last) owner.
    function setAttributeBySig(uint256 idSeed, bytes32 name, bytes calldata value, uint256 validity) external step {
        address id = _id(idSeed);
        address signer = _actor(id);
        validity = _bound(validity, 0, 365 days);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory sig = _sign(
            _pkOf(signer),
            _digest(
                keccak256(
                    abi.encode(SET_ATTRIBUTE_TYPEHASH, id, name, keccak256(value), validity, reg.nonce(signer), deadline)
                )
            )
        );
        try reg.setAttributeBySig(id, name, value, validity, deadline, sig) {
            _accepted(id);
            ++expectedNonce[signer];
            ++signedOps;
        } catch {
            _refused(id);
        }
    }

    /// @dev A batch; when `deactivateAt` < 3 a ChangeOwner(0) sits at that index of three changes.
    function changeBatch(uint256 idSeed, uint256 ownerSeed, uint256 deactivateAt) external step {
        address id = _id(idSeed);
        deactivateAt = deactivateAt % 6;
        address newOwner = _key(ownerSeed);
        IDIDRegistry.Change[] memory changes = new IDIDRegistry.Change[](3);
        changes[0] = IDIDRegistry.Change(IDIDRegistry.ChangeKind.SetAttribute, "svc", address(0), 60, "x");
        changes[1] = IDIDRegistry.Change(IDIDRegistry.ChangeKind.ChangeOwner, 0, newOwner, 0, "");
        changes[2] = IDIDRegistry.Change(IDIDRegistry.ChangeKind.AddDelegate, "veriKey", newOwner, 60, "");
        if (deactivateAt < 3) {
            changes[deactivateAt] = IDIDRegistry.Change(IDIDRegistry.ChangeKind.ChangeOwner, 0, address(0), 0, "");
        }
        bool ownerChangeKept = deactivateAt != 1;
        vm.prank(_actor(id));
        try reg.changeBatch(id, changes) {
            _accepted(id);
            if (ownerChangeKept) expectedOwner[id] = newOwner;
            if (deactivateAt < 3) {
                // Only a trailing deactivation can succeed.
                if (deactivateAt != 2) changeAcceptedAfterDeactivation = true;
                _markDeactivated(id);
            }
        } catch {
            _refused(id);
        }
    }

    /// @dev Four routes: deactivate, changeOwner(0), deactivateBySig, changeOwnerSigned(0).
    function deactivate(uint256 idSeed, uint256 route) external step {
        address id = _id(idSeed);
        address actor = _actor(id);
        route = route % 4;
        bool ok;
        if (route == 0) {
            vm.prank(actor);
            try reg.deactivate(id) {
                ok = true;
            } catch {}
        } else if (route == 1) {
            vm.prank(actor);
            try reg.changeOwner(id, address(0)) {
                ok = true;
            } catch {}
        } else if (route == 2) {
            uint256 deadline = block.timestamp + 1 hours;
            bytes memory sig = _sign(
                _pkOf(actor),
                _digest(keccak256(abi.encode(DEACTIVATE_TYPEHASH, id, reg.nonce(actor), deadline)))
            );
            try reg.deactivateBySig(id, deadline, sig) {
                ok = true;
                ++expectedNonce[actor];
                ++signedOps;
            } catch {}
        } else {
            bytes32 hash = keccak256(
                abi.encodePacked(bytes1(0x19), bytes1(0), address(reg), reg.nonce(actor), id, "changeOwner", address(0))
            );
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(_pkOf(actor), hash);
            try reg.changeOwnerSigned(id, v, r, s, address(0)) {
                ok = true;
                ++expectedNonce[actor];
                ++signedOps;
            } catch {}
        }
        if (ok) _markDeactivated(id);
        else _refused(id);
    }

    function setGuardians(uint256 idSeed) external step {
        address id = _id(idSeed);
        vm.prank(_actor(id));
        try reg.setGuardians(id, guardianAddrs, 2, DELAY) {
            _accepted(id);
        } catch {
            _refused(id);
        }
    }

    /// @dev Two guardians (chosen by `pick`) sign a recovery to a known key.
    function initiateRecovery(uint256 idSeed, uint256 ownerSeed, uint256 pick) external step {
        address id = _id(idSeed);
        address newOwner = _key(ownerSeed);
        (, , , uint64 recoveryNonce) = reg.guardiansOf(id);
        uint256 deadline = block.timestamp + 1 days;
        bytes32 digest = _digest(keccak256(abi.encode(RECOVER_TYPEHASH, id, newOwner, recoveryNonce, deadline)));
        uint256 skip = pick % 3; // the guardian left out
        address[] memory signers = new address[](2);
        bytes[] memory sigs = new bytes[](2);
        uint256 n;
        for (uint256 i = 0; i < 3; ++i) {
            if (i == skip) continue;
            signers[n] = guardianAddrs[i];
            sigs[n] = _sign(guardianPks[i], digest);
            ++n;
        }
        try reg.initiateRecovery(id, newOwner, deadline, signers, sigs) {
            _accepted(id);
        } catch {
            _refused(id);
        }
    }

    function cancelRecovery(uint256 idSeed) external step {
        address id = _id(idSeed);
        vm.prank(_actor(id));
        try reg.cancelRecovery(id) {
            _accepted(id);
        } catch {
            _refused(id);
        }
    }

    function executeRecovery(uint256 idSeed) external step {
        address id = _id(idSeed);
        (address pendingOwner, ) = reg.pendingRecovery(id);
        try reg.executeRecovery(id) {
            _accepted(id);
            expectedOwner[id] = pendingOwner;
            ++recoveriesExecuted;
        } catch {
            _refused(id);
        }
    }

    /// @dev A key that does not own the identity tries to take it.
    function strangerChangeOwner(uint256 idSeed, uint256 callerSeed) external step {
        address id = _id(idSeed);
        address caller = _key(callerSeed);
        if (caller == _actor(id)) caller = address(uint160(caller) ^ 1);
        vm.prank(caller);
        try reg.changeOwner(id, caller) {
            ownerChangedWithoutCause = true;
        } catch {}
    }

    function passTime(uint256 secondsToPass) external {
        vm.warp(block.timestamp + _bound(secondsToPass, 1, 3 hours));
        vm.roll(block.number + 1);
    }
}

/// @dev Invariants over random sequences of {DIDRegistryHandler} actions.
contract DIDRegistryInvariantTest is StdInvariant, Test {
    DIDRegistry internal reg;
    DIDRegistryHandler internal handler;

    function setUp() public {
        reg = new DIDRegistry(false, address(0));
        handler = new DIDRegistryHandler(reg);
        bytes4[] memory selectors = new bytes4[](15);
        selectors[0] = DIDRegistryHandler.changeOwner.selector;
        selectors[1] = DIDRegistryHandler.addDelegate.selector;
        selectors[2] = DIDRegistryHandler.revokeDelegate.selector;
        selectors[3] = DIDRegistryHandler.setAttribute.selector;
        selectors[4] = DIDRegistryHandler.revokeAttribute.selector;
        selectors[5] = DIDRegistryHandler.changeOwnerSigned.selector;
        selectors[6] = DIDRegistryHandler.setAttributeBySig.selector;
        selectors[7] = DIDRegistryHandler.changeBatch.selector;
        selectors[8] = DIDRegistryHandler.deactivate.selector;
        selectors[9] = DIDRegistryHandler.setGuardians.selector;
        selectors[10] = DIDRegistryHandler.initiateRecovery.selector;
        selectors[11] = DIDRegistryHandler.cancelRecovery.selector;
        selectors[12] = DIDRegistryHandler.executeRecovery.selector;
        selectors[13] = DIDRegistryHandler.strangerChangeOwner.selector;
        selectors[14] = DIDRegistryHandler.passTime.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @dev A deactivated identity never changes again: `changed` and owner stay as recorded at deactivation.
    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 128
    function invariant_deactivatedIdentityNeverChanges() public view {
        assertFalse(handler.changeAcceptedAfterDeactivation(), "a change was accepted after deactivation");
        for (uint256 i = 0; i < handler.N_IDS(); ++i) {
            address id = handler.identityAt(i);
            if (!handler.deactivated(id)) {
                assertFalse(reg.isDeactivated(id), "deactivated without a deactivation");
                continue;
            }
            assertTrue(reg.isDeactivated(id), "reactivated");
            assertEq(reg.changed(id), handler.changedAtDeactivation(id), "changed moved after deactivation");
            assertEq(reg.owners(id), address(0), "owners not zero after deactivation");
            assertEq(reg.identityOwner(id), address(0), "identityOwner not zero after deactivation");
            assertFalse(reg.isController(id, handler.lastOwner(id), bytes32(0)), "last owner still controls");
            assertFalse(reg.isController(id, id, bytes32(0)), "identity key controls a deactivated identity");
            (address pendingOwner, ) = reg.pendingRecovery(id);
            assertEq(pendingOwner, address(0), "a recovery is pending on a deactivated identity");
        }
    }

    /// @dev Nonces never decrease, and move exactly once per accepted signed operation of that signer.
    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 128
    function invariant_noncesNeverDecrease() public view {
        assertFalse(handler.nonceDecreased(), "a nonce decreased");
        for (uint256 i = 0; i < handler.N_KEYS(); ++i) {
            address k = handler.keys(i);
            assertEq(reg.nonce(k), handler.expectedNonce(k), "nonce differs from accepted signed operations");
            assertEq(reg.nonces(k), reg.nonce(k), "nonces() and nonce() differ");
        }
    }

    /// @dev Owners move only through the handler's accepted operations.
    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 128
    function invariant_ownersFollowTheModel() public view {
        assertFalse(handler.ownerChangedWithoutCause(), "an owner changed without an accepted operation");
        for (uint256 i = 0; i < handler.N_IDS(); ++i) {
            address id = handler.identityAt(i);
            address expected = handler.deactivated(id) ? address(0) : handler.expectedOwner(id);
            assertEq(reg.identityOwner(id), expected, "identityOwner differs from the model");
        }
    }

    /// @dev The handler's paths are exercised (a fixed scenario): deactivation, refusal afterwards, recovery.
    function test_handlerScenarioIsNotVacuous() public {
        address id0 = handler.identityAt(0);
        address id1 = handler.identityAt(1);
        handler.setAttributeBySig(0, "a", "v", 10);
        handler.changeOwnerSigned(0, 3);
        assertEq(reg.identityOwner(id0), handler.keys(3));
        handler.deactivate(0, 2); // deactivateBySig by key 3
        assertTrue(reg.isDeactivated(id0));
        handler.changeOwner(0, 1);
        handler.addDelegate(0, 1, 100);
        handler.setAttribute(0, "b", "w", 5);
        handler.changeOwnerSigned(0, 1);
        handler.setAttributeBySig(0, "c", "z", 5);
        handler.changeBatch(0, 1, 5);
        handler.deactivate(0, 0);
        handler.setGuardians(0);
        handler.initiateRecovery(0, 1, 0);
        handler.executeRecovery(0);
        assertEq(handler.refusedOnDeactivated(), 10);
        assertEq(handler.deactivations(), 1);

        handler.setGuardians(1);
        handler.initiateRecovery(1, 4, 1);
        handler.passTime(2 hours);
        handler.executeRecovery(1);
        assertEq(handler.recoveriesExecuted(), 1);
        assertEq(reg.identityOwner(id1), handler.keys(4));

        // A batch that deactivates in the middle is refused as a whole; at the end it goes through.
        handler.changeBatch(2, 1, 1);
        assertFalse(reg.isDeactivated(handler.identityAt(2)));
        handler.changeBatch(2, 1, 2);
        assertTrue(reg.isDeactivated(handler.identityAt(2)));
        assertEq(handler.deactivations(), 2);
        assertEq(handler.signedOps(), 3);

        invariant_deactivatedIdentityNeverChanges();
        invariant_noncesNeverDecrease();
        invariant_ownersFollowTheModel();
    }
}

/// @dev Fuzz: a non-owner can never change an identity's owner, whatever the owners involved.
contract DIDRegistryFuzzTest is Test {
    DIDRegistry internal reg;

    function setUp() public {
        reg = new DIDRegistry(false, address(0));
    }

    function testFuzz_changeOwnerByNonOwnerReverts(
        address identity,
        address owner,
        address newOwner,
        address caller,
        uint8 blocksLater
    ) public {
        vm.assume(identity != address(0) && identity != address(vm) && caller != address(vm));
        if (owner == address(0)) owner = identity; // the default owner
        vm.assume(caller != owner);
        if (owner != identity) {
            vm.prank(identity);
            reg.changeOwner(identity, owner);
        }
        uint256 changedBefore = reg.changed(identity);
        address ownersBefore = reg.owners(identity);
        assertEq(reg.identityOwner(identity), owner);

        vm.roll(block.number + 1 + uint256(blocksLater));
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IDIDRegistry.DIDUnauthorized.selector, identity, caller));
        reg.changeOwner(identity, newOwner);

        assertEq(reg.owners(identity), ownersBefore);
        assertEq(reg.changed(identity), changedBefore);
        assertEq(reg.identityOwner(identity), owner);
        assertFalse(reg.isDeactivated(identity));
    }

    /// @dev The owner itself always succeeds, and changed() is the current block.
    function testFuzz_changeOwnerByOwnerSucceeds(address identity, address newOwner, uint16 blocksLater) public {
        vm.assume(identity != address(0) && identity != address(vm) && newOwner != address(0));
        vm.roll(block.number + 1 + uint256(blocksLater));
        vm.prank(identity);
        vm.expectEmit(true, false, false, true, address(reg));
        emit IDIDRegistry.DIDOwnerChanged(identity, newOwner, 0);
        reg.changeOwner(identity, newOwner);
        assertEq(reg.identityOwner(identity), newOwner);
        assertEq(reg.changed(identity), block.number);
    }
}

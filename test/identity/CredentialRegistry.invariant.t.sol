// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {CredentialRegistry} from "../../contracts/identity/CredentialRegistry.sol";
import {DIDRegistry} from "../../contracts/identity/DIDRegistry.sol";
import {ICredentialRegistry} from "../../contracts/interfaces/ICredentialRegistry.sol";

/// @dev Drives a CredentialRegistry with random issuance, status changes, trust changes and time.
contract CredentialHandler is Test {
    CredentialRegistry public immutable registry;
    address[3] public issuers = [address(0x1001), address(0x1002), address(0x1003)];
    address[4] public subjects = [address(0x2001), address(0x2002), address(0x2003), address(0x2004)];
    uint32[2] public topicIds = [uint32(1), uint32(2)];

    bytes32[] public ids;
    mapping(bytes32 id => bool) public revoked;
    bytes32[] public revokedIds;
    uint256 private _counter;

    constructor(CredentialRegistry registry_) {
        registry = registry_;
    }

    function issue(uint256 issuerSeed, uint256 subjectSeed, uint256 topicSeed, uint32 duration) external {
        address issuer = issuers[issuerSeed % issuers.length];
        address subject = subjects[subjectSeed % subjects.length];
        uint32 topic = topicIds[topicSeed % topicIds.length];
        if (!registry.isTrustedIssuer(topic, issuer)) return;
        uint32 start = uint32(block.timestamp);
        uint32 end = start + 1 + (duration % 30 days);
        bytes32 id = keccak256(abi.encode("credential", ++_counter));
        vm.prank(issuer);
        registry.issue(id, issuer, subject, topic, start, end);
        ids.push(id);
    }

    function revoke(uint256 seed) external {
        if (ids.length == 0) return;
        bytes32 id = ids[seed % ids.length];
        ICredentialRegistry.CredentialView memory v = registry.statusOf(id);
        if (v.status != ICredentialRegistry.Status.Active && v.status != ICredentialRegistry.Status.Suspended) return;
        vm.prank(v.issuer);
        registry.revoke(id);
        revoked[id] = true;
        revokedIds.push(id);
    }

    function suspend(uint256 seed) external {
        if (ids.length == 0) return;
        bytes32 id = ids[seed % ids.length];
        ICredentialRegistry.CredentialView memory v = registry.statusOf(id);
        if (v.status != ICredentialRegistry.Status.Active) return;
        vm.prank(v.issuer);
        registry.suspend(id);
    }

    /// @dev Tries to bring any credential back, revoked ones included; the registry must refuse revoked ones.
    function reinstate(uint256 seed) external {
        if (ids.length == 0) return;
        bytes32 id = ids[seed % ids.length];
        ICredentialRegistry.CredentialView memory v = registry.statusOf(id);
        if (v.issuer == address(0)) return;
        vm.prank(v.issuer);
        try registry.reinstate(id) {} catch {}
    }

    function toggleTrust(uint256 issuerSeed, uint256 topicSeed) external {
        address issuer = issuers[issuerSeed % issuers.length];
        uint32 topic = topicIds[topicSeed % topicIds.length];
        registry.setIssuerTrust(topic, issuer, !registry.isTrustedIssuer(topic, issuer));
    }

    function warp(uint32 seconds_) external {
        vm.warp(block.timestamp + (seconds_ % 10 days));
    }

    function idCount() external view returns (uint256) {
        return ids.length;
    }

    function revokedCount() external view returns (uint256) {
        return revokedIds.length;
    }
}

contract CredentialRegistryInvariantTest is Test {
    CredentialRegistry internal registry;
    CredentialHandler internal handler;

    function setUp() public {
        vm.warp(1_800_000_000);
        AccessManager manager = new AccessManager(address(this));
        DIDRegistry dids = new DIDRegistry(false, address(0));
        CredentialRegistry implementation = new CredentialRegistry(dids, false, address(0));
        registry = CredentialRegistry(
            address(new ERC1967Proxy(address(implementation), abi.encodeCall(CredentialRegistry.initialize, (address(manager)))))
        );
        handler = new CredentialHandler(registry);
        bytes4[] memory selectors = new bytes4[](2);
        selectors[0] = CredentialRegistry.registerTopic.selector;
        selectors[1] = CredentialRegistry.setIssuerTrust.selector;
        manager.setTargetFunctionRole(address(registry), selectors, manager.PUBLIC_ROLE());
        registry.registerTopic(1, "KYC");
        registry.registerTopic(2, "CARRIER");
        for (uint256 i = 0; i < 3; ++i) {
            registry.setIssuerTrust(1, handler.issuers(i), true);
            registry.setIssuerTrust(2, handler.issuers(i), true);
        }
        targetContract(address(handler));
    }

    /// @dev A revoked credential is never valid again, whatever happens afterwards.
    function invariant_revokedNeverValidAgain() public view {
        uint256 count = handler.revokedCount();
        for (uint256 i = 0; i < count; ++i) {
            ICredentialRegistry.CredentialView memory v = registry.statusOf(handler.revokedIds(i));
            assertFalse(v.valid, "revoked credential counts");
            assertTrue(
                v.status == ICredentialRegistry.Status.Revoked || v.status == ICredentialRegistry.Status.Superseded,
                "revoked credential changed status"
            );
        }
    }

    /// @dev hasValid agrees with the subject's current credential: active, in its window, trusted issuer.
    function invariant_hasValidMatchesCurrentCredential() public view {
        for (uint256 s = 0; s < 4; ++s) {
            address subject = handler.subjects(s);
            for (uint256 t = 0; t < 2; ++t) {
                uint32 topic = handler.topicIds(t);
                if (!registry.hasValid(subject, topic)) continue;
                bool found;
                uint256 n = handler.idCount();
                for (uint256 i = 0; i < n; ++i) {
                    ICredentialRegistry.CredentialView memory v = registry.statusOf(handler.ids(i));
                    if (v.subject == subject && v.topic == topic && v.valid) {
                        assertEq(uint8(v.status), uint8(ICredentialRegistry.Status.Active));
                        assertTrue(registry.isTrustedIssuer(topic, v.issuer));
                        assertFalse(handler.revoked(handler.ids(i)));
                        found = true;
                    }
                }
                assertTrue(found, "hasValid without a valid current credential");
            }
        }
    }

    /// @dev Fuzz: a credential issued by anyone but a controller of the issuer DID is refused, state unchanged.
    function testFuzz_issueByStrangerRefused(address stranger, address subject) public {
        address issuer = handler.issuers(0);
        vm.assume(stranger != issuer && subject != address(0));
        bytes32 id = keccak256(abi.encode(stranger, subject));
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(ICredentialRegistry.CredentialNotIssuer.selector, issuer, stranger));
        registry.issue(id, issuer, subject, 1, uint32(block.timestamp), uint32(block.timestamp + 1 days));
        assertEq(uint8(registry.statusOf(id).status), uint8(ICredentialRegistry.Status.None));
        assertFalse(registry.hasValid(subject, 1));
    }
}

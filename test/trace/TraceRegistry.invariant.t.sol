// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Test, Vm} from "forge-std/Test.sol";
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {IdentityGate} from "../../contracts/identity/IdentityGate.sol";
import {ICredentialRegistry} from "../../contracts/interfaces/ICredentialRegistry.sol";
import {ITraceRegistry} from "../../contracts/interfaces/ITraceRegistry.sol";
import {ProxyDeployer} from "../helpers/ProxyDeployer.sol";

// The registries and the TraceRegistry are deployed from their artifacts and called through their interfaces
// (ProxyDeployer explains why).

/**
 * @dev Drives a TraceRegistry with random batches, events (object, association, correction, recall), custody and
 * ownership transfers, transformations and time. After every action it folds the {TraceEventRecorded} logs the
 * action emitted into a model hash chain per batch, using only the logs: the invariant is that the stored head
 * equals the chain over the emitted events.
 */
contract TraceHandler is Test {
    uint8 internal constant PRODUCING = 1; // PRODUCER, custody
    uint8 internal constant PROCESSING = 5; // PROCESSOR, custody
    uint8 internal constant INSPECTING = 11; // INSPECTOR, authority

    ITraceRegistry public immutable registry;
    address[3] public actors = [address(0x3001), address(0x3002), address(0x3003)];

    bytes32[] public batches;
    mapping(bytes32 batchId => bytes32) public modelHead;
    mapping(bytes32 batchId => uint256) public modelCount;
    /// @dev A log that did not follow the model (wrong previous or index): set, never cleared.
    bool public broken;
    uint256 public eventsSeen;
    uint256 private _counter;

    constructor(ITraceRegistry registry_) {
        registry = registry_;
    }

    // ───────────── actions ─────────────

    function create(uint256 actorSeed) external {
        vm.recordLogs();
        bytes32 batchId = keccak256(abi.encode("batch", ++_counter));
        vm.prank(actors[actorSeed % actors.length]);
        registry.createBatch(batchId, uint64(_counter), PRODUCING);
        batches.push(batchId);
        _absorb();
    }

    function record(uint256 batchSeed, uint256 actorSeed, bytes32 fields, bool withSensor, bool inspect) external {
        if (batches.length == 0) return;
        vm.recordLogs();
        bytes32 batchId = batches[batchSeed % batches.length];
        ITraceRegistry.EventInput memory input = ITraceRegistry.EventInput({
            batchId: batchId,
            step: inspect ? INSPECTING : PRODUCING,
            disposition: uint8(uint256(fields) % 11),
            readPoint: keccak256(abi.encode(fields, 1)),
            bizLocation: keccak256(abi.encode(fields, 2)),
            eventHash: keccak256(abi.encode(fields, 3)),
            sensorRoot: withSensor ? keccak256(abi.encode(fields, 4)) : bytes32(0)
        });
        vm.prank(inspect ? actors[actorSeed % actors.length] : _holder(batchId));
        try registry.recordEvent(input) {
            _absorb();
        } catch {
            _discard();
        }
    }

    function associate(uint256 batchSeed, bytes32 device, bool add) external {
        if (batches.length == 0) return;
        vm.recordLogs();
        bytes32 batchId = batches[batchSeed % batches.length];
        ITraceRegistry.EventInput memory input = ITraceRegistry.EventInput(
            batchId,
            PRODUCING,
            0,
            device,
            device,
            keccak256(abi.encode(device)),
            bytes32(0)
        );
        vm.prank(_holder(batchId));
        try registry.associate(input, device, add) {
            _absorb();
        } catch {
            _discard();
        }
    }

    function transfer(uint256 batchSeed, uint256 toSeed, bool ownership) external {
        if (batches.length == 0) return;
        vm.recordLogs();
        bytes32 batchId = batches[batchSeed % batches.length];
        ITraceRegistry.Party party = ownership ? ITraceRegistry.Party.Owner : ITraceRegistry.Party.Custodian;
        address to = actors[toSeed % actors.length];
        vm.prank(registry.traceOf(batchId).owner);
        try registry.proposeTransfer(batchId, party, to) {
            vm.prank(to);
            registry.acceptTransfer(batchId, party, keccak256(abi.encode(batchId, to)));
            _absorb();
        } catch {
            _discard();
        }
    }

    function transform(uint256 seedA, uint256 seedB) external {
        if (batches.length < 2) return;
        vm.recordLogs();
        bytes32 a = batches[seedA % batches.length];
        bytes32 b = batches[seedB % batches.length];
        address holder = _holder(a);
        bytes32[] memory inputs;
        if (a == b || _holder(b) != holder) {
            inputs = new bytes32[](1);
            inputs[0] = a;
        } else {
            inputs = new bytes32[](2);
            inputs[0] = a;
            inputs[1] = b;
        }
        ITraceRegistry.OutputInput[] memory outputs = new ITraceRegistry.OutputInput[](2);
        outputs[0] = ITraceRegistry.OutputInput(keccak256(abi.encode("batch", ++_counter)), 1);
        outputs[1] = ITraceRegistry.OutputInput(keccak256(abi.encode("batch", ++_counter)), 2);
        ITraceRegistry.EventInput memory fields = ITraceRegistry.EventInput(
            bytes32(0),
            PROCESSING,
            1,
            bytes32(0),
            a,
            keccak256(abi.encode(a, b)),
            bytes32(0)
        );
        vm.prank(holder);
        try registry.transform(inputs, outputs, fields) {
            batches.push(outputs[0].batchId);
            batches.push(outputs[1].batchId);
            _absorb();
        } catch {
            _discard();
        }
    }

    function correct(uint256 batchSeed, uint256 indexSeed) external {
        if (batches.length == 0) return;
        vm.recordLogs();
        bytes32 batchId = batches[batchSeed % batches.length];
        uint256 count = registry.traceOf(batchId).eventCount;
        if (count == 0) return;
        ITraceRegistry.EventInput memory input = ITraceRegistry.EventInput(
            batchId,
            PRODUCING,
            0,
            bytes32(0),
            bytes32(0),
            keccak256(abi.encode("correction", indexSeed)),
            bytes32(0)
        );
        vm.prank(_holder(batchId));
        try registry.correct(input, indexSeed % count, keccak256("reason")) {
            _absorb();
        } catch {
            _discard();
        }
    }

    function recall(uint256 batchSeed, uint256 actorSeed) external {
        if (batches.length == 0) return;
        vm.recordLogs();
        bytes32 batchId = batches[batchSeed % batches.length];
        vm.prank(actors[actorSeed % actors.length]);
        try registry.recall(batchId, INSPECTING, keccak256(abi.encode("recall", batchId))) {
            _absorb();
        } catch {
            _discard();
        }
    }

    function warp(uint32 seconds_) external {
        vm.warp(block.timestamp + (seconds_ % 30 days));
    }

    function batchCount() external view returns (uint256) {
        return batches.length;
    }

    // ───────────── the model, from the logs only ─────────────

    function _absorb() internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            Vm.Log memory log = logs[i];
            if (log.emitter != address(registry) || log.topics[0] != ITraceRegistry.TraceEventRecorded.selector) continue;
            bytes32 batchId = log.topics[1];
            address actor = address(uint160(uint256(log.topics[2])));
            (uint256 index, , , , , , , , bytes32 previous, ) = abi.decode(
                log.data,
                (uint256, uint8, uint8, uint8, bytes32, bytes32, bytes32, bytes32, bytes32, uint64)
            );
            if (previous != modelHead[batchId] || index != modelCount[batchId]) broken = true;
            // The link is keccak256 of the log's fields in order: batchId, actor, then the data words.
            modelHead[batchId] = keccak256(bytes.concat(abi.encode(batchId, actor), log.data));
            modelCount[batchId] = index + 1;
            ++eventsSeen;
        }
    }

    /// @dev Drops the logs of a reverted call (the recorder may keep logs of frames that reverted).
    function _discard() internal {
        vm.getRecordedLogs();
    }

    function _holder(bytes32 batchId) internal view returns (address) {
        return registry.traceOf(batchId).custodian;
    }
}

contract TraceRegistryInvariantTest is ProxyDeployer {
    ITraceRegistry internal registry;
    TraceHandler internal handler;
    ICredentialRegistry internal credentials;
    address internal dids;

    function setUp() public {
        vm.warp(1_800_000_000);
        AccessManager manager = new AccessManager(address(this));
        (dids, credentials) = _deployIdentity(manager);
        registry = ITraceRegistry(
            _deployProxied("TraceRegistry.sol:TraceRegistry", abi.encode(dids, address(credentials), false), manager)
        );
        handler = new TraceHandler(registry);

        // Governance opened to this test: topics, issuer trust, step rules.
        bytes4[] memory selectors = new bytes4[](2);
        selectors[0] = ICredentialRegistry.registerTopic.selector;
        selectors[1] = ICredentialRegistry.setIssuerTrust.selector;
        _open(manager, address(credentials), selectors);
        bytes4[] memory traceSelectors = new bytes4[](1);
        traceSelectors[0] = ITraceRegistry.setStepRule.selector;
        _open(manager, address(registry), traceSelectors);
        registry.setStepRule(1, ITraceRegistry.StepRule(7, true, false));
        registry.setStepRule(5, ITraceRegistry.StepRule(8, true, false));
        registry.setStepRule(11, ITraceRegistry.StepRule(11, false, true));

        address issuer = address(0x1001);
        uint32[3] memory topics = [uint32(7), uint32(8), uint32(11)];
        for (uint256 t = 0; t < topics.length; ++t) {
            credentials.registerTopic(topics[t], bytes32(uint256(topics[t])));
            credentials.setIssuerTrust(topics[t], issuer, true);
            for (uint256 a = 0; a < 3; ++a) {
                address actor = handler.actors(a);
                vm.prank(issuer);
                credentials.issue(
                    keccak256(abi.encode(topics[t], a)),
                    issuer,
                    actor,
                    topics[t],
                    uint32(block.timestamp),
                    uint32(block.timestamp + 3650 days)
                );
            }
        }
        targetContract(address(handler));
    }

    /// @dev The stored head of every batch equals the hash chain recomputed from its emitted events.
    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 64
    function invariant_headEqualsChainOverEmittedEvents() public view {
        assertFalse(handler.broken(), "an event did not follow its batch's previous head and index");
        uint256 count = handler.batchCount();
        for (uint256 i = 0; i < count; ++i) {
            bytes32 batchId = handler.batches(i);
            assertEq(registry.headOf(batchId), handler.modelHead(batchId), "head differs from the chain over the logs");
            assertEq(registry.traceOf(batchId).eventCount, handler.modelCount(batchId), "event count differs");
        }
    }

    /// @dev A recalled batch reports Recalled, and so do all its children, whatever happened after.
    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 64
    function invariant_recallReachesChildren() public view {
        uint256 count = handler.batchCount();
        for (uint256 i = 0; i < count; ++i) {
            bytes32 batchId = handler.batches(i);
            if (registry.statusOf(batchId) != ITraceRegistry.Status.Recalled) continue;
            bytes32[] memory children = registry.childrenOf(batchId);
            for (uint256 c = 0; c < children.length; ++c) {
                assertEq(uint8(registry.statusOf(children[c])), uint8(ITraceRegistry.Status.Recalled), "child of a recalled batch");
            }
        }
    }

    /// @dev Fuzz: an account without the step's credential is refused, and the batch is unchanged.
    function testFuzz_strangerCannotRecord(address stranger, bytes32 fields) public {
        vm.assume(stranger != handler.actors(0) && stranger != handler.actors(1) && stranger != handler.actors(2));
        vm.assume(stranger != address(0));
        handler.create(0);
        bytes32 batchId = handler.batches(0);
        bytes32 head = registry.headOf(batchId);
        assertEq(handler.eventsSeen(), 0);
        ITraceRegistry.EventInput memory input = ITraceRegistry.EventInput(batchId, 1, 1, fields, fields, keccak256(abi.encode(fields)), fields);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IdentityGate.IdentityGateMissingCredential.selector, stranger, uint32(7)));
        registry.recordEvent(input);
        assertEq(registry.headOf(batchId), head);
        assertEq(registry.traceOf(batchId).eventCount, 0);
    }
}

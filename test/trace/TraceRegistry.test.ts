import { expect } from "chai";
import { network } from "hardhat";
import { Topics } from "../../deploy/topics.js";
import { traceIdOf, traceIdOfUri } from "../../sdk/gs1.js";
import {
  EventKind,
  Party,
  locationHashOf,
  readTrace,
  readingItem,
  readingProof,
  sensorTree,
  verifyChain,
  type SensorReading,
} from "../../sdk/trace.js";
import { deployTrace, objectEvent, STEP_LIST, STEPS } from "./fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture, time } = networkHelpers;

const Status = { Unknown: 0n, Active: 1n, Consumed: 2n, Recalled: 3n };
const ZERO = ethers.ZeroHash;
const PADDY_PRODUCT = 9506000134352n;
const PADDY = traceIdOf("https://id.gs1.org/01/09506000134352/10/PADDY-A");
const PADDY_B = traceIdOf("https://id.gs1.org/01/09506000134352/10/PADDY-B");
const LOT_1 = traceIdOf("https://id.gs1.org/01/09506000134369/10/LOT-1");
const LOT_2 = traceIdOf("https://id.gs1.org/01/09506000134369/10/LOT-2");
const PALLET = traceIdOf("https://id.gs1.org/00/106141412345678908");
const addressWord = (address: string) => ethers.zeroPadValue(address, 32);
const indexWord = (index: bigint | number) => ethers.toBeHex(index, 32);

const readings: SensorReading[] = [
  { device: "urn:epc:id:giai:9520123.soil-1", time: 1_700_000_000, type: "gs1:SoilMoisture", milliValue: 31_500, unit: "P1" },
  { device: "urn:epc:id:giai:9520123.soil-1", time: 1_700_003_600, type: "gs1:SoilMoisture", milliValue: 30_900, unit: "P1" },
  { device: "urn:epc:id:giai:9520123.soil-2", time: 1_700_000_000, type: "gs1:Temperature", milliValue: 18_250, unit: "CEL" },
  { device: "urn:epc:id:giai:9520123.soil-2", time: 1_700_003_600, type: "gs1:Temperature", milliValue: 41_000, unit: "CEL" },
];

async function fixture() {
  return deployTrace(connection);
}

/** A paddy batch of the farmer with a planting event carrying soil readings (event 0) and a harvest (event 1). */
async function farmedFixture() {
  const f = await fixture();
  const { trace, farmer } = f;
  await (await trace.connect(farmer).createBatch(PADDY, PADDY_PRODUCT, STEPS.commissioning)).wait();
  const soil = sensorTree(readings);
  await (await trace.connect(farmer).recordEvent(objectEvent(PADDY, STEPS.planting, "planting", { sensorRoot: soil.root }))).wait();
  await (await trace.connect(farmer).recordEvent(objectEvent(PADDY, STEPS.harvesting, "harvest"))).wait();
  return { ...f, soil };
}

/** Two paddy batches milled into two lots (transformation 1). */
async function milledFixture() {
  const f = await farmedFixture();
  const { trace, farmer, mill } = f;
  await (await trace.connect(farmer).createBatch(PADDY_B, PADDY_PRODUCT, STEPS.commissioning)).wait();
  for (const batch of [PADDY, PADDY_B]) {
    await (await trace.connect(farmer).proposeTransfer(batch, Party.Owner, mill.address)).wait();
    await (await trace.connect(mill).acceptTransfer(batch, Party.Owner, ethers.id(`sale ${batch}`))).wait();
    await (await trace.connect(farmer).proposeTransfer(batch, Party.Custodian, mill.address)).wait();
    await (await trace.connect(mill).acceptTransfer(batch, Party.Custodian, ethers.id(`delivery ${batch}`))).wait();
  }
  await (
    await trace.connect(mill).transform(
      [PADDY, PADDY_B],
      [
        { batchId: LOT_1, product: 9506000134369n },
        { batchId: LOT_2, product: 9506000134369n },
      ],
      objectEvent(ZERO, STEPS.processing, "milling"),
    )
  ).wait();
  return f;
}

describe("TraceRegistry", function () {
  describe("deployment", function () {
    it("holds the step rules of the parameters file", async function () {
      const { trace } = await loadFixture(fixture);
      for (const step of STEP_LIST) {
        const rule = await trace.stepRule(step.id);
        expect([rule.topic, rule.custody, rule.authority]).to.deep.equal([BigInt(step.topicId), step.custody, step.authority]);
      }
      expect((await trace.stepRule(200)).topic).to.equal(0n);
    });

    it("cannot be initialized again, nor its implementation at all", async function () {
      const { trace, implementation, stranger } = await loadFixture(fixture);
      const accessManager = await trace.authority();
      await expect(trace.connect(stranger).initialize(accessManager)).to.be.revertedWithCustomError(trace, "InvalidInitialization");
      const bare = trace.attach(implementation) as typeof trace;
      await expect(bare.connect(stranger).initialize(stranger.address)).to.be.revertedWithCustomError(trace, "InvalidInitialization");
    });
  });

  describe("setStepRule", function () {
    it("sets, changes and withdraws a step with events", async function () {
      const { trace } = await loadFixture(fixture);
      await expect(trace.setStepRule(200, { topic: Topics.PRODUCER, custody: true, authority: false }))
        .to.emit(trace, "StepRuleSet")
        .withArgs(200, Topics.PRODUCER, true, false);
      expect(await trace.stepRule(200)).to.deep.equal([BigInt(Topics.PRODUCER), true, false]);
      await expect(trace.setStepRule(200, { topic: 0, custody: true, authority: true }))
        .to.emit(trace, "StepRuleSet")
        .withArgs(200, 0, false, false);
      expect(await trace.stepRule(200)).to.deep.equal([0n, false, false]);
    });

    it("refuses step 0 and withdrawing an unknown step", async function () {
      const { trace } = await loadFixture(fixture);
      await expect(trace.setStepRule(0, { topic: Topics.PRODUCER, custody: true, authority: false }))
        .to.be.revertedWithCustomError(trace, "TraceStepUnknown")
        .withArgs(0);
      await expect(trace.setStepRule(201, { topic: 0, custody: false, authority: false }))
        .to.be.revertedWithCustomError(trace, "TraceStepUnknown")
        .withArgs(201);
    });

    it("is refused to an account without TOPIC_ADMIN", async function () {
      const { trace, stranger, farmer } = await loadFixture(fixture);
      for (const account of [stranger, farmer]) {
        await expect(trace.connect(account).setStepRule(STEPS.planting, { topic: Topics.KYC, custody: false, authority: true }))
          .to.be.revertedWithCustomError(trace, "AccessManagedUnauthorized")
          .withArgs(account.address);
      }
      expect((await trace.stepRule(STEPS.planting)).topic).to.equal(BigInt(Topics.PRODUCER));
    });
  });

  describe("createBatch", function () {
    it("creates a batch owned and held by the caller", async function () {
      const { trace, farmer } = await loadFixture(fixture);
      await expect(trace.connect(farmer).createBatch(PADDY, PADDY_PRODUCT, STEPS.commissioning))
        .to.emit(trace, "BatchCreated")
        .withArgs(PADDY, farmer.address, PADDY_PRODUCT, 0);
      const view = await trace.traceOf(PADDY);
      expect(view.product).to.equal(PADDY_PRODUCT);
      expect([view.owner, view.custodian]).to.deep.equal([farmer.address, farmer.address]);
      expect([view.status, view.eventCount, view.head, view.parents, view.container]).to.deep.equal([Status.Active, 0n, ZERO, [], ZERO]);
      expect(await trace.statusOf(PADDY)).to.equal(Status.Active);
    });

    it("refuses a zero id, an existing id, an unknown step and a caller without the step's credential", async function () {
      const { trace, farmer, mill, stranger } = await loadFixture(fixture);
      await expect(trace.connect(farmer).createBatch(ZERO, 1, STEPS.commissioning))
        .to.be.revertedWithCustomError(trace, "TraceBatchExists")
        .withArgs(ZERO);
      await (await trace.connect(farmer).createBatch(PADDY, 1, STEPS.commissioning)).wait();
      await expect(trace.connect(farmer).createBatch(PADDY, 2, STEPS.commissioning))
        .to.be.revertedWithCustomError(trace, "TraceBatchExists")
        .withArgs(PADDY);
      await expect(trace.connect(farmer).createBatch(PADDY_B, 1, 199)).to.be.revertedWithCustomError(trace, "TraceStepUnknown").withArgs(199);
      await expect(trace.connect(mill).createBatch(PADDY_B, 1, STEPS.commissioning))
        .to.be.revertedWithCustomError(trace, "IdentityGateMissingCredential")
        .withArgs(mill.address, Topics.PRODUCER);
      await expect(trace.connect(stranger).createBatch(PADDY_B, 1, STEPS.commissioning))
        .to.be.revertedWithCustomError(trace, "IdentityGateMissingCredential")
        .withArgs(stranger.address, Topics.PRODUCER);
      expect(await trace.statusOf(PADDY_B)).to.equal(Status.Unknown);
      expect((await trace.traceOf(PADDY)).product).to.equal(1n);
    });
  });

  describe("recordEvent (object events)", function () {
    it("appends to the batch's chain with the EPCIS summary, the actor, the time and the previous head", async function () {
      const { trace, farmer } = await loadFixture(fixture);
      await (await trace.connect(farmer).createBatch(PADDY, PADDY_PRODUCT, STEPS.commissioning)).wait();
      const input = objectEvent(PADDY, STEPS.planting, "planting", { sensorRoot: ethers.id("root") });
      const tx = trace.connect(farmer).recordEvent(input);
      await expect(tx)
        .to.emit(trace, "TraceEventRecorded")
        .withArgs(PADDY, farmer.address, 0, EventKind.Object, STEPS.planting, 1, input.readPoint, input.bizLocation, input.eventHash, input.sensorRoot, ZERO, (t: bigint) => t > 0n);
      const receipt = await (await tx).wait();
      const at = BigInt((await ethers.provider.getBlock(receipt!.blockNumber))!.timestamp);
      const link = await trace.linkOf(PADDY, farmer.address, 0, EventKind.Object, STEPS.planting, 1, input.readPoint, input.bizLocation, input.eventHash, input.sensorRoot, ZERO, at);
      expect(await trace.headOf(PADDY)).to.equal(link);
      expect(await trace.sensorRootOf(PADDY, 0)).to.equal(input.sensorRoot);
      expect((await trace.traceOf(PADDY)).eventCount).to.equal(1n);
      const second = objectEvent(PADDY, STEPS.harvesting, "harvest");
      await expect(trace.connect(farmer).recordEvent(second))
        .to.emit(trace, "TraceEventRecorded")
        .withArgs(PADDY, farmer.address, 1, EventKind.Object, STEPS.harvesting, 1, second.readPoint, second.bizLocation, second.eventHash, ZERO, link, (t: bigint) => t >= at);
      expect(await trace.sensorRootOf(PADDY, 1)).to.equal(ZERO);
    });

    it("refuses every step to an account without its credential, and leaves the batch as it was", async function () {
      const { trace, farmer, stranger, mill } = await loadFixture(farmedFixture);
      const head = await trace.headOf(PADDY);
      for (const step of STEP_LIST) {
        for (const account of [stranger]) {
          await expect(trace.connect(account).recordEvent(objectEvent(PADDY, step.id, `refused ${step.name}`)))
            .to.be.revertedWithCustomError(trace, "IdentityGateMissingCredential")
            .withArgs(account.address, step.topicId);
        }
        // An account holding another topic is refused as well (the farmer's is PRODUCER, the mill's PROCESSOR).
        const other = step.topicId === Topics.PRODUCER ? mill : farmer;
        await expect(trace.connect(other).recordEvent(objectEvent(PADDY, step.id, `refused ${step.name}`)))
          .to.be.revertedWithCustomError(trace, "IdentityGateMissingCredential")
          .withArgs(other.address, step.topicId);
      }
      expect(await trace.headOf(PADDY)).to.equal(head);
      expect((await trace.traceOf(PADDY)).eventCount).to.equal(2n);
    });

    it("refuses a credential holder who neither owns nor holds the batch on a custody step", async function () {
      const { trace, farmer2 } = await loadFixture(farmedFixture);
      await expect(trace.connect(farmer2).recordEvent(objectEvent(PADDY, STEPS.harvesting, "x")))
        .to.be.revertedWithCustomError(trace, "TraceNotHolder")
        .withArgs(PADDY, farmer2.address);
    });

    it("lets an authority step (inspection) record on any batch, recalled ones included", async function () {
      const { trace, inspector, regulator } = await loadFixture(farmedFixture);
      await expect(trace.connect(inspector).recordEvent(objectEvent(PADDY, STEPS.inspecting, "inspection")))
        .to.emit(trace, "TraceEventRecorded")
        .withArgs(PADDY, inspector.address, 2, EventKind.Object, STEPS.inspecting, 1, (v: string) => v.length === 66, (v: string) => v.length === 66, (v: string) => v.length === 66, ZERO, (v: string) => v.length === 66, (t: bigint) => t > 0n);
      await (await trace.connect(regulator).recall(PADDY, STEPS.recalling, ethers.id("notice"))).wait();
      await expect(trace.connect(inspector).recordEvent(objectEvent(PADDY, STEPS.inspecting, "after recall"))).to.emit(trace, "TraceEventRecorded");
    });

    it("refuses unknown batches, recalled or consumed ones, and a zero event hash", async function () {
      const { trace, farmer, regulator } = await loadFixture(farmedFixture);
      await expect(trace.connect(farmer).recordEvent(objectEvent(PADDY_B, STEPS.harvesting, "x")))
        .to.be.revertedWithCustomError(trace, "TraceBatchUnknown")
        .withArgs(PADDY_B);
      await expect(trace.connect(farmer).recordEvent(objectEvent(PADDY, STEPS.harvesting, "x", { eventHash: ZERO })))
        .to.be.revertedWithCustomError(trace, "TraceEventHashMissing")
        .withArgs(PADDY);
      await expect(trace.connect(farmer).recordEvent(objectEvent(PADDY, 199, "x"))).to.be.revertedWithCustomError(trace, "TraceStepUnknown").withArgs(199);
      await (await trace.connect(regulator).recall(PADDY, STEPS.recalling, ethers.id("notice"))).wait();
      await expect(trace.connect(farmer).recordEvent(objectEvent(PADDY, STEPS.harvesting, "x")))
        .to.be.revertedWithCustomError(trace, "TraceBatchNotActive")
        .withArgs(PADDY, Status.Recalled);
    });

    it("counts the credential at the time of the call: a revoked credential stops the actor at once", async function () {
      const { trace, farmer, credentials, issuer } = await loadFixture(farmedFixture);
      await (await credentials.connect(issuer).revoke(ethers.id("trace-fixture:farmer"))).wait();
      await expect(trace.connect(farmer).recordEvent(objectEvent(PADDY, STEPS.harvesting, "x")))
        .to.be.revertedWithCustomError(trace, "IdentityGateMissingCredential")
        .withArgs(farmer.address, Topics.PRODUCER);
    });
  });

  describe("recordEvents", function () {
    it("records events on several batches in one transaction, each in its own chain", async function () {
      const { trace, farmer } = await loadFixture(farmedFixture);
      await (await trace.connect(farmer).createBatch(PADDY_B, PADDY_PRODUCT, STEPS.commissioning)).wait();
      const events = [
        objectEvent(PADDY, STEPS.fertilizing, "a"),
        objectEvent(PADDY_B, STEPS.planting, "b"),
        objectEvent(PADDY, STEPS.fertilizing, "c"),
      ];
      const tx = trace.connect(farmer).recordEvents(events);
      await expect(tx).to.emit(trace, "TraceEventRecorded").withArgs(PADDY, farmer.address, 2, EventKind.Object, STEPS.fertilizing, 1, events[0].readPoint, events[0].bizLocation, events[0].eventHash, ZERO, (v: string) => v !== ZERO, (t: bigint) => t > 0n);
      await expect(tx).to.emit(trace, "TraceEventRecorded").withArgs(PADDY_B, farmer.address, 0, EventKind.Object, STEPS.planting, 1, events[1].readPoint, events[1].bizLocation, events[1].eventHash, ZERO, ZERO, (t: bigint) => t > 0n);
      await expect(tx).to.emit(trace, "TraceEventRecorded").withArgs(PADDY, farmer.address, 3, EventKind.Object, STEPS.fertilizing, 1, events[2].readPoint, events[2].bizLocation, events[2].eventHash, ZERO, (v: string) => v !== ZERO, (t: bigint) => t > 0n);
      expect((await trace.traceOf(PADDY)).eventCount).to.equal(4n);
      expect((await trace.traceOf(PADDY_B)).eventCount).to.equal(1n);
      for (const batch of [PADDY, PADDY_B]) {
        const { verdict } = await readTrace(trace, batch);
        expect(verdict.valid).to.equal(true);
      }
    });

    it("refuses an empty or too long list, and the whole list when one event is refused", async function () {
      const { trace, farmer } = await loadFixture(farmedFixture);
      await expect(trace.connect(farmer).recordEvents([])).to.be.revertedWithCustomError(trace, "TraceListSize").withArgs(0, 64);
      const many = Array.from({ length: 65 }, (_, i) => objectEvent(PADDY, STEPS.fertilizing, `e${i}`));
      await expect(trace.connect(farmer).recordEvents(many)).to.be.revertedWithCustomError(trace, "TraceListSize").withArgs(65, 64);
      const head = await trace.headOf(PADDY);
      await expect(trace.connect(farmer).recordEvents([objectEvent(PADDY, STEPS.fertilizing, "ok"), objectEvent(PADDY, STEPS.shipping, "no")]))
        .to.be.revertedWithCustomError(trace, "IdentityGateMissingCredential")
        .withArgs(farmer.address, Topics.LOGISTICS);
      expect(await trace.headOf(PADDY)).to.equal(head);
    });
  });

  describe("associate", function () {
    it("records a device attached and detached (association events)", async function () {
      const { trace, farmer } = await loadFixture(farmedFixture);
      const device = locationHashOf("urn:epc:id:giai:9520123.soil-1");
      const input = objectEvent(PADDY, STEPS.planting, "attach");
      await expect(trace.connect(farmer).associate(input, device, true))
        .to.emit(trace, "TraceEventRecorded")
        .withArgs(PADDY, farmer.address, 2, EventKind.Association, STEPS.planting, 1, device, input.bizLocation, input.eventHash, ZERO, (v: string) => v !== ZERO, (t: bigint) => t > 0n);
      await expect(trace.connect(farmer).associate(objectEvent(PADDY, STEPS.harvesting, "detach"), device, false))
        .to.emit(trace, "TraceEventRecorded")
        .withArgs(PADDY, farmer.address, 3, EventKind.Association, STEPS.harvesting, 2, device, (v: string) => v !== ZERO, (v: string) => v !== ZERO, ZERO, (v: string) => v !== ZERO, (t: bigint) => t > 0n);
    });

    it("is refused without the step's credential or custody", async function () {
      const { trace, stranger, farmer2 } = await loadFixture(farmedFixture);
      await expect(trace.connect(stranger).associate(objectEvent(PADDY, STEPS.planting, "x"), ethers.id("d"), true))
        .to.be.revertedWithCustomError(trace, "IdentityGateMissingCredential")
        .withArgs(stranger.address, Topics.PRODUCER);
      await expect(trace.connect(farmer2).associate(objectEvent(PADDY, STEPS.planting, "x"), ethers.id("d"), true))
        .to.be.revertedWithCustomError(trace, "TraceNotHolder")
        .withArgs(PADDY, farmer2.address);
    });
  });

  describe("sensor proofs", function () {
    it("proves a reading of the event's tree, and refuses a wrong leaf and a proof of another root", async function () {
      const { trace, soil } = await loadFixture(farmedFixture);
      for (const reading of readings) {
        expect(await trace.verifyReading(PADDY, 0, readingItem(reading), readingProof(soil.tree, reading))).to.equal(true);
      }
      const proof = readingProof(soil.tree, readings[0]);
      const forged = readingItem({ ...readings[0], milliValue: 99_000 });
      expect(await trace.verifyReading(PADDY, 0, forged, proof)).to.equal(false);
      // A proof from another tree (another root) does not pass against the stored root.
      const other = sensorTree([...readings.slice(0, 3), { ...readings[3], milliValue: 1 }]);
      const otherReading = { ...readings[3], milliValue: 1 };
      expect(await trace.verifyReading(PADDY, 0, readingItem(otherReading), readingProof(other.tree, otherReading))).to.equal(false);
      await expect(trace.verifyReading(PADDY, 1, readingItem(readings[0]), proof))
        .to.be.revertedWithCustomError(trace, "TraceNoSensorData")
        .withArgs(PADDY, 1);
    });

    it("lets an inspector record a breach of a proved reading, once", async function () {
      const { trace, inspector, soil } = await loadFixture(farmedFixture);
      const hot = readings[3];
      const item = readingItem(hot);
      const report = ethers.id("soil temperature above 40 C");
      expect(await trace.isBreached(PADDY, 0, item)).to.equal(false);
      const tx = trace.connect(inspector).recordBreach(PADDY, 0, STEPS.inspecting, item, readingProof(soil.tree, hot), report);
      await expect(tx).to.emit(trace, "ReadingBreached").withArgs(PADDY, 0, item, inspector.address, report);
      await expect(tx)
        .to.emit(trace, "TraceEventRecorded")
        .withArgs(PADDY, inspector.address, 2, EventKind.Breach, STEPS.inspecting, 0, indexWord(0), item, report, ZERO, (v: string) => v !== ZERO, (t: bigint) => t > 0n);
      expect(await trace.isBreached(PADDY, 0, item)).to.equal(true);
      await expect(trace.connect(inspector).recordBreach(PADDY, 0, STEPS.inspecting, item, readingProof(soil.tree, hot), report))
        .to.be.revertedWithCustomError(trace, "TraceBreachExists")
        .withArgs(PADDY, 0, item);
    });

    it("refuses a breach of an unproved reading, without a report, by a non-authority step or without credential", async function () {
      const { trace, inspector, farmer, stranger, soil } = await loadFixture(farmedFixture);
      const proof = readingProof(soil.tree, readings[3]);
      const forged = readingItem({ ...readings[3], milliValue: 80_000 });
      await expect(trace.connect(inspector).recordBreach(PADDY, 0, STEPS.inspecting, forged, proof, ethers.id("r")))
        .to.be.revertedWithCustomError(trace, "TraceReadingNotProved")
        .withArgs(PADDY, 0, forged);
      const item = readingItem(readings[3]);
      await expect(trace.connect(inspector).recordBreach(PADDY, 0, STEPS.inspecting, item, proof, ZERO))
        .to.be.revertedWithCustomError(trace, "TraceEventHashMissing")
        .withArgs(PADDY);
      await expect(trace.connect(inspector).recordBreach(PADDY, 1, STEPS.inspecting, item, proof, ethers.id("r")))
        .to.be.revertedWithCustomError(trace, "TraceNoSensorData")
        .withArgs(PADDY, 1);
      await expect(trace.connect(farmer).recordBreach(PADDY, 0, STEPS.planting, item, proof, ethers.id("r")))
        .to.be.revertedWithCustomError(trace, "TraceStepNotAuthority")
        .withArgs(STEPS.planting);
      await expect(trace.connect(stranger).recordBreach(PADDY, 0, STEPS.inspecting, item, proof, ethers.id("r")))
        .to.be.revertedWithCustomError(trace, "IdentityGateMissingCredential")
        .withArgs(stranger.address, Topics.INSPECTOR);
      await expect(trace.connect(inspector).recordBreach(PADDY_B, 0, STEPS.inspecting, item, proof, ethers.id("r")))
        .to.be.revertedWithCustomError(trace, "TraceBatchUnknown")
        .withArgs(PADDY_B);
      expect(await trace.isBreached(PADDY, 0, item)).to.equal(false);
    });
  });

  describe("owner and custodian proposals", function () {
    it("moves custody when the proposed custodian accepts, recording a transaction event", async function () {
      const { trace, farmer, carrier } = await loadFixture(farmedFixture);
      await expect(trace.connect(farmer).proposeTransfer(PADDY, Party.Custodian, carrier.address))
        .to.emit(trace, "TransferProposed")
        .withArgs(PADDY, Party.Custodian, carrier.address, farmer.address);
      expect(await trace.pendingTransfer(PADDY, Party.Custodian)).to.equal(carrier.address);
      const eventHash = ethers.id("epcis transaction: despatch advice");
      const tx = trace.connect(carrier).acceptTransfer(PADDY, Party.Custodian, eventHash);
      await expect(tx).to.emit(trace, "TransferAccepted").withArgs(PADDY, Party.Custodian, carrier.address, farmer.address);
      await expect(tx)
        .to.emit(trace, "TraceEventRecorded")
        .withArgs(PADDY, carrier.address, 2, EventKind.Transaction, 0, Party.Custodian, addressWord(farmer.address), addressWord(carrier.address), eventHash, ZERO, (v: string) => v !== ZERO, (t: bigint) => t > 0n);
      const view = await trace.traceOf(PADDY);
      expect([view.owner, view.custodian]).to.deep.equal([farmer.address, carrier.address]);
      expect(await trace.pendingTransfer(PADDY, Party.Custodian)).to.equal(ethers.ZeroAddress);
      // The carrier holds the goods now: it records shipping; and may pass custody on.
      await expect(trace.connect(carrier).recordEvent(objectEvent(PADDY, STEPS.shipping, "ship"))).to.emit(trace, "TraceEventRecorded");
    });

    it("moves ownership when the proposed owner accepts; the goods stay with the old owner until custody moves", async function () {
      const { trace, farmer, mill } = await loadFixture(farmedFixture);
      await (await trace.connect(farmer).proposeTransfer(PADDY, Party.Owner, mill.address)).wait();
      await expect(trace.connect(mill).acceptTransfer(PADDY, Party.Owner, ethers.id("invoice")))
        .to.emit(trace, "TransferAccepted")
        .withArgs(PADDY, Party.Owner, mill.address, farmer.address);
      const view = await trace.traceOf(PADDY);
      expect([view.owner, view.custodian]).to.deep.equal([mill.address, farmer.address]);
      // The new owner cannot be offered ownership again by the old one.
      await expect(trace.connect(farmer).proposeTransfer(PADDY, Party.Owner, farmer.address))
        .to.be.revertedWithCustomError(trace, "TraceProposalNotYours")
        .withArgs(PADDY, Party.Owner, farmer.address, farmer.address);
      // The custodian (old owner) may still offer custody; the owner too.
      await expect(trace.connect(farmer).proposeTransfer(PADDY, Party.Custodian, mill.address)).to.emit(trace, "TransferProposed");
    });

    it("lets the proposed holder reject", async function () {
      const { trace, farmer, carrier } = await loadFixture(farmedFixture);
      await (await trace.connect(farmer).proposeTransfer(PADDY, Party.Custodian, carrier.address)).wait();
      await expect(trace.connect(farmer).rejectTransfer(PADDY, Party.Custodian))
        .to.be.revertedWithCustomError(trace, "TraceProposalNotYours")
        .withArgs(PADDY, Party.Custodian, carrier.address, farmer.address);
      await expect(trace.connect(carrier).rejectTransfer(PADDY, Party.Custodian))
        .to.emit(trace, "TransferRejected")
        .withArgs(PADDY, Party.Custodian, carrier.address);
      expect(await trace.pendingTransfer(PADDY, Party.Custodian)).to.equal(ethers.ZeroAddress);
      expect((await trace.traceOf(PADDY)).custodian).to.equal(farmer.address);
      await expect(trace.connect(carrier).acceptTransfer(PADDY, Party.Custodian, ethers.id("x")))
        .to.be.revertedWithCustomError(trace, "TraceProposalNotYours")
        .withArgs(PADDY, Party.Custodian, ethers.ZeroAddress, carrier.address);
    });

    it("lets the proposer cancel, and nobody else", async function () {
      const { trace, farmer, carrier, stranger } = await loadFixture(farmedFixture);
      await (await trace.connect(farmer).proposeTransfer(PADDY, Party.Custodian, carrier.address)).wait();
      for (const account of [carrier, stranger]) {
        await expect(trace.connect(account).cancelTransfer(PADDY, Party.Custodian))
          .to.be.revertedWithCustomError(trace, "TraceProposalNotYours")
          .withArgs(PADDY, Party.Custodian, carrier.address, account.address);
      }
      await expect(trace.connect(farmer).cancelTransfer(PADDY, Party.Custodian))
        .to.emit(trace, "TransferCancelled")
        .withArgs(PADDY, Party.Custodian, carrier.address, farmer.address);
      await expect(trace.connect(carrier).acceptTransfer(PADDY, Party.Custodian, ethers.id("x")))
        .to.be.revertedWithCustomError(trace, "TraceProposalNotYours")
        .withArgs(PADDY, Party.Custodian, ethers.ZeroAddress, carrier.address);
      await expect(trace.connect(farmer).cancelTransfer(PADDY, Party.Custodian))
        .to.be.revertedWithCustomError(trace, "TraceProposalNotYours")
        .withArgs(PADDY, Party.Custodian, ethers.ZeroAddress, farmer.address);
    });

    it("refuses proposals by strangers, to nobody or the current holder, of party None, twice, and on inactive batches", async function () {
      const { trace, farmer, carrier, stranger, regulator } = await loadFixture(farmedFixture);
      await expect(trace.connect(stranger).proposeTransfer(PADDY, Party.Custodian, stranger.address))
        .to.be.revertedWithCustomError(trace, "TraceProposalNotYours")
        .withArgs(PADDY, Party.Custodian, stranger.address, stranger.address);
      await expect(trace.connect(farmer).proposeTransfer(PADDY, Party.Custodian, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(trace, "TraceTransferInvalid")
        .withArgs(PADDY, Party.Custodian, ethers.ZeroAddress);
      await expect(trace.connect(farmer).proposeTransfer(PADDY, Party.Owner, farmer.address))
        .to.be.revertedWithCustomError(trace, "TraceTransferInvalid")
        .withArgs(PADDY, Party.Owner, farmer.address);
      await expect(trace.connect(farmer).proposeTransfer(PADDY, Party.None, carrier.address))
        .to.be.revertedWithCustomError(trace, "TraceTransferInvalid")
        .withArgs(PADDY, Party.None, carrier.address);
      await (await trace.connect(farmer).proposeTransfer(PADDY, Party.Custodian, carrier.address)).wait();
      await expect(trace.connect(farmer).proposeTransfer(PADDY, Party.Custodian, stranger.address))
        .to.be.revertedWithCustomError(trace, "TraceProposalPending")
        .withArgs(PADDY, Party.Custodian, carrier.address);
      await expect(trace.connect(carrier).acceptTransfer(PADDY, Party.Custodian, ZERO))
        .to.be.revertedWithCustomError(trace, "TraceEventHashMissing")
        .withArgs(PADDY);
      await (await trace.connect(regulator).recall(PADDY, STEPS.recalling, ethers.id("notice"))).wait();
      await expect(trace.connect(carrier).acceptTransfer(PADDY, Party.Custodian, ethers.id("x")))
        .to.be.revertedWithCustomError(trace, "TraceBatchNotActive")
        .withArgs(PADDY, Status.Recalled);
      await expect(trace.connect(farmer).proposeTransfer(PADDY, Party.Owner, carrier.address))
        .to.be.revertedWithCustomError(trace, "TraceBatchNotActive")
        .withArgs(PADDY, Status.Recalled);
      expect((await trace.traceOf(PADDY)).custodian).to.equal(farmer.address);
    });
  });

  describe("transform (lineage)", function () {
    it("consumes the inputs, creates the outputs, and records parents and children", async function () {
      const { trace, mill } = await loadFixture(milledFixture);
      expect(await trace.parentsOf(LOT_1)).to.deep.equal([PADDY, PADDY_B]);
      expect(await trace.parentsOf(LOT_2)).to.deep.equal([PADDY, PADDY_B]);
      expect(await trace.childrenOf(PADDY)).to.deep.equal([LOT_1, LOT_2]);
      expect(await trace.childrenOf(PADDY_B)).to.deep.equal([LOT_1, LOT_2]);
      expect(await trace.childrenOf(LOT_1)).to.deep.equal([]);
      expect(await trace.parentsOf(PADDY)).to.deep.equal([]);
      expect(await trace.statusOf(PADDY)).to.equal(Status.Consumed);
      const lot = await trace.traceOf(LOT_1);
      expect([lot.owner, lot.custodian, lot.status, lot.eventCount, lot.product]).to.deep.equal([mill.address, mill.address, Status.Active, 0n, 9506000134369n]);
      expect(lot.parents).to.deep.equal([PADDY, PADDY_B]);
    });

    it("emits the transformation, the outputs' creation and the event in each input's chain", async function () {
      const { trace, mill, farmer } = await loadFixture(farmedFixture);
      await (await trace.connect(farmer).proposeTransfer(PADDY, Party.Owner, mill.address)).wait();
      await (await trace.connect(mill).acceptTransfer(PADDY, Party.Owner, ethers.id("sale"))).wait();
      const fields = objectEvent(ZERO, STEPS.processing, "milling", { sensorRoot: ethers.id("mill sensors") });
      const tx = trace.connect(mill).transform([PADDY], [{ batchId: LOT_1, product: 7n }], fields);
      await expect(tx).to.emit(trace, "Transformed").withArgs(1, mill.address, [PADDY], [LOT_1]);
      await expect(tx).to.emit(trace, "BatchCreated").withArgs(LOT_1, mill.address, 7, 1);
      await expect(tx)
        .to.emit(trace, "TraceEventRecorded")
        .withArgs(PADDY, mill.address, 3, EventKind.Transformation, STEPS.processing, 1, indexWord(1), fields.bizLocation, fields.eventHash, fields.sensorRoot, (v: string) => v !== ZERO, (t: bigint) => t > 0n);
      expect(await trace.sensorRootOf(PADDY, 3)).to.equal(fields.sensorRoot);
    });

    it("refuses inputs the caller does not hold, consumed, recalled, unknown or repeated inputs, existing outputs, bad sizes", async function () {
      const { trace, mill, farmer, regulator } = await loadFixture(milledFixture);
      const fields = objectEvent(ZERO, STEPS.processing, "again");
      const out = [{ batchId: ethers.id("out"), product: 1n }];
      await expect(trace.connect(mill).transform([PADDY], out, fields))
        .to.be.revertedWithCustomError(trace, "TraceBatchNotActive")
        .withArgs(PADDY, Status.Consumed);
      await expect(trace.connect(mill).transform([LOT_1, LOT_1], out, fields)).to.be.revertedWithCustomError(trace, "TraceDuplicate").withArgs(LOT_1);
      await expect(trace.connect(mill).transform([ethers.id("nothing")], out, fields))
        .to.be.revertedWithCustomError(trace, "TraceBatchUnknown")
        .withArgs(ethers.id("nothing"));
      await expect(trace.connect(mill).transform([LOT_1], [{ batchId: LOT_2, product: 1n }], fields))
        .to.be.revertedWithCustomError(trace, "TraceBatchExists")
        .withArgs(LOT_2);
      await expect(trace.connect(mill).transform([LOT_1], [{ batchId: ZERO, product: 1n }], fields))
        .to.be.revertedWithCustomError(trace, "TraceBatchExists")
        .withArgs(ZERO);
      await expect(trace.connect(mill).transform([], out, fields)).to.be.revertedWithCustomError(trace, "TraceListSize").withArgs(0, 32);
      await expect(trace.connect(mill).transform([LOT_1], [], fields)).to.be.revertedWithCustomError(trace, "TraceListSize").withArgs(0, 32);
      const tooMany = Array.from({ length: 33 }, (_, i) => ethers.id(`in${i}`));
      await expect(trace.connect(mill).transform(tooMany, out, fields)).to.be.revertedWithCustomError(trace, "TraceListSize").withArgs(33, 32);
      const tooManyOut = tooMany.map((batchId) => ({ batchId, product: 1n }));
      await expect(trace.connect(mill).transform([LOT_1], tooManyOut, fields)).to.be.revertedWithCustomError(trace, "TraceListSize").withArgs(33, 32);
      await expect(trace.connect(mill).transform([LOT_1], out, { ...fields, eventHash: ZERO }))
        .to.be.revertedWithCustomError(trace, "TraceEventHashMissing")
        .withArgs(ZERO);
      await (await trace.connect(farmer).createBatch(PADDY_PLUS, 1, STEPS.commissioning)).wait();
      const mill2 = farmer; // holds PRODUCER only
      await expect(trace.connect(mill2).transform([PADDY_PLUS], out, fields))
        .to.be.revertedWithCustomError(trace, "IdentityGateMissingCredential")
        .withArgs(farmer.address, Topics.PROCESSOR);
      await expect(trace.connect(mill).transform([PADDY_PLUS], out, fields))
        .to.be.revertedWithCustomError(trace, "TraceNotHolder")
        .withArgs(PADDY_PLUS, mill.address);
      await (await trace.connect(regulator).recall(LOT_2, STEPS.recalling, ethers.id("n"))).wait();
      await expect(trace.connect(mill).transform([LOT_2], out, fields))
        .to.be.revertedWithCustomError(trace, "TraceBatchNotActive")
        .withArgs(LOT_2, Status.Recalled);
      expect(await trace.statusOf(ethers.id("out"))).to.equal(Status.Unknown);
      expect(await trace.statusOf(LOT_1)).to.equal(Status.Active);
    });

    it("walks a diamond: two parents sharing a grandparent", async function () {
      const { trace, farmer, mill, regulator } = await loadFixture(fixture);
      // G -> (A, B) -> D: D's parents are A and B, both children of G.
      const [G, A, B, D] = ["G", "A", "B", "D"].map((label) => traceIdOfUri(`urn:example:diamond:${label}`));
      await (await trace.connect(farmer).createBatch(G, 1, STEPS.commissioning)).wait();
      await (await trace.connect(farmer).proposeTransfer(G, Party.Owner, mill.address)).wait();
      await (await trace.connect(mill).acceptTransfer(G, Party.Owner, ethers.id("sale"))).wait();
      await (await trace.connect(mill).transform([G], [{ batchId: A, product: 2n }, { batchId: B, product: 3n }], objectEvent(ZERO, STEPS.processing, "split"))).wait();
      await (await trace.connect(mill).transform([A, B], [{ batchId: D, product: 4n }], objectEvent(ZERO, STEPS.processing, "blend"))).wait();
      expect(await trace.parentsOf(D)).to.deep.equal([A, B]);
      expect(await trace.parentsOf(A)).to.deep.equal([G]);
      expect(await trace.parentsOf(B)).to.deep.equal([G]);
      expect(await trace.childrenOf(G)).to.deep.equal([A, B]);
      expect(await trace.childrenOf(A)).to.deep.equal([D]);
      expect(await trace.childrenOf(B)).to.deep.equal([D]);
      expect(await trace.statusOf(D)).to.equal(Status.Active);
      // A recall of the shared grandparent reaches D through both paths (visited once).
      await expect(trace.connect(regulator).recall(G, STEPS.recalling, ethers.id("aflatoxin")))
        .to.emit(trace, "BatchRecalled")
        .withArgs(G, regulator.address, ethers.id("aflatoxin"));
      for (const batch of [G, A, B, D]) expect(await trace.statusOf(batch)).to.equal(Status.Recalled);
    });
  });

  describe("recall", function () {
    it("reaches every descendant of the recalled batch, and only them", async function () {
      const { trace, regulator, inspector } = await loadFixture(milledFixture);
      const reason = ethers.id("recall notice 2024-17");
      const tx = trace.connect(inspector).recall(PADDY, STEPS.inspecting, reason);
      await expect(tx).to.emit(trace, "BatchRecalled").withArgs(PADDY, inspector.address, reason);
      await expect(tx)
        .to.emit(trace, "TraceEventRecorded")
        .withArgs(PADDY, inspector.address, 5, EventKind.Recall, STEPS.inspecting, 0, ZERO, reason, reason, ZERO, (v: string) => v !== ZERO, (t: bigint) => t > 0n);
      for (const batch of [PADDY, LOT_1, LOT_2]) expect(await trace.statusOf(batch)).to.equal(Status.Recalled);
      expect(await trace.statusOf(PADDY_B)).to.equal(Status.Consumed);
      expect((await trace.traceOf(LOT_1)).status).to.equal(Status.Recalled);
      await expect(trace.connect(regulator).recall(PADDY, STEPS.recalling, reason))
        .to.be.revertedWithCustomError(trace, "TraceBatchNotActive")
        .withArgs(PADDY, Status.Recalled);
    });

    it("reaches items packed in a recalled container", async function () {
      const { trace, mill, regulator } = await loadFixture(milledFixture);
      await (await trace.connect(mill).createBatch(PALLET, 0, STEPS.packing)).wait();
      await (await trace.connect(mill).aggregate(objectEvent(PALLET, STEPS.packing, "pack"), [LOT_1], true)).wait();
      await (await trace.connect(regulator).recall(PALLET, STEPS.recalling, ethers.id("pallet damaged"))).wait();
      expect(await trace.statusOf(LOT_1)).to.equal(Status.Recalled);
      expect(await trace.statusOf(LOT_2)).to.equal(Status.Active);
    });

    it("is refused to non-authority steps, accounts without the credential, unknown batches and without a reason", async function () {
      const { trace, farmer, regulator, stranger, inspector } = await loadFixture(farmedFixture);
      await expect(trace.connect(farmer).recall(PADDY, STEPS.planting, ethers.id("r")))
        .to.be.revertedWithCustomError(trace, "TraceStepNotAuthority")
        .withArgs(STEPS.planting);
      await expect(trace.connect(stranger).recall(PADDY, STEPS.recalling, ethers.id("r")))
        .to.be.revertedWithCustomError(trace, "IdentityGateMissingCredential")
        .withArgs(stranger.address, Topics.REGULATOR);
      await expect(trace.connect(inspector).recall(PADDY, STEPS.recalling, ethers.id("r")))
        .to.be.revertedWithCustomError(trace, "IdentityGateMissingCredential")
        .withArgs(inspector.address, Topics.REGULATOR);
      await expect(trace.connect(regulator).recall(PADDY_B, STEPS.recalling, ethers.id("r")))
        .to.be.revertedWithCustomError(trace, "TraceBatchUnknown")
        .withArgs(PADDY_B);
      await expect(trace.connect(regulator).recall(PADDY, STEPS.recalling, ZERO))
        .to.be.revertedWithCustomError(trace, "TraceEventHashMissing")
        .withArgs(PADDY);
      expect(await trace.statusOf(PADDY)).to.equal(Status.Active);
    });

    it("answers on chain up to MAX_LINEAGE_WALK ancestors and refuses beyond", async function () {
      const { trace, farmer, mill } = await loadFixture(fixture);
      // A chain of containers: a pallet in a container in a ship ... 257 levels deep.
      const ids = Array.from({ length: 258 }, (_, i) => traceIdOfUri(`urn:example:nest:${i}`));
      for (const batchId of ids) await (await trace.connect(mill).createBatch(batchId, 0, STEPS.packing)).wait();
      for (let i = 0; i < ids.length - 1; i++) {
        await (await trace.connect(mill).aggregate(objectEvent(ids[i + 1], STEPS.packing, `nest ${i}`), [ids[i]], true)).wait();
      }
      expect(await trace.MAX_LINEAGE_WALK()).to.equal(256n);
      expect(await trace.statusOf(ids[2])).to.equal(Status.Active);
      await expect(trace.statusOf(ids[0])).to.be.revertedWithCustomError(trace, "TraceLineageTooLarge").withArgs(ids[0], 256);
      void farmer;
    });
  });

  describe("aggregate", function () {
    it("packs items into a container and unpacks them, in the container's chain", async function () {
      const { trace, mill } = await loadFixture(milledFixture);
      await (await trace.connect(mill).createBatch(PALLET, 0, STEPS.packing)).wait();
      const fields = objectEvent(PALLET, STEPS.packing, "pack");
      const itemsHash = ethers.solidityPackedKeccak256(["bytes32", "bytes32"], [LOT_1, LOT_2]);
      const tx = trace.connect(mill).aggregate(fields, [LOT_1, LOT_2], true);
      await expect(tx).to.emit(trace, "Aggregated").withArgs(PALLET, mill.address, true, [LOT_1, LOT_2]);
      await expect(tx)
        .to.emit(trace, "TraceEventRecorded")
        .withArgs(PALLET, mill.address, 0, EventKind.Aggregation, STEPS.packing, 1, itemsHash, fields.bizLocation, fields.eventHash, ZERO, ZERO, (t: bigint) => t > 0n);
      expect(await trace.containerOf(LOT_1)).to.equal(PALLET);
      expect(await trace.contentsOf(PALLET)).to.deep.equal([LOT_1, LOT_2]);
      expect((await trace.traceOf(LOT_2)).container).to.equal(PALLET);
      await expect(trace.connect(mill).aggregate(objectEvent(PALLET, STEPS.packing, "unpack"), [LOT_1], false))
        .to.emit(trace, "Aggregated")
        .withArgs(PALLET, mill.address, false, [LOT_1]);
      expect(await trace.containerOf(LOT_1)).to.equal(ZERO);
      expect(await trace.contentsOf(PALLET)).to.deep.equal([LOT_2]);
    });

    it("refuses items already packed, not packed, cycles, items or containers the caller does not hold, bad sizes", async function () {
      const { trace, mill, farmer, stranger } = await loadFixture(milledFixture);
      await (await trace.connect(mill).createBatch(PALLET, 0, STEPS.packing)).wait();
      const other = ethers.id("other pallet");
      await (await trace.connect(mill).createBatch(other, 0, STEPS.packing)).wait();
      await (await trace.connect(mill).aggregate(objectEvent(PALLET, STEPS.packing, "pack"), [LOT_1], true)).wait();
      await expect(trace.connect(mill).aggregate(objectEvent(other, STEPS.packing, "p"), [LOT_1], true))
        .to.be.revertedWithCustomError(trace, "TraceAlreadyPacked")
        .withArgs(LOT_1, PALLET);
      await expect(trace.connect(mill).aggregate(objectEvent(other, STEPS.packing, "u"), [LOT_2], false))
        .to.be.revertedWithCustomError(trace, "TraceNotPacked")
        .withArgs(LOT_2, other);
      await expect(trace.connect(mill).aggregate(objectEvent(LOT_1, STEPS.packing, "cycle"), [PALLET], true))
        .to.be.revertedWithCustomError(trace, "TraceDuplicate")
        .withArgs(PALLET);
      await expect(trace.connect(mill).aggregate(objectEvent(PALLET, STEPS.packing, "self"), [PALLET], true))
        .to.be.revertedWithCustomError(trace, "TraceDuplicate")
        .withArgs(PALLET);
      await (await trace.connect(farmer).createBatch(PADDY_PLUS, 1, STEPS.commissioning)).wait();
      await expect(trace.connect(mill).aggregate(objectEvent(other, STEPS.packing, "p"), [PADDY_PLUS], true))
        .to.be.revertedWithCustomError(trace, "TraceNotHolder")
        .withArgs(PADDY_PLUS, mill.address);
      await expect(trace.connect(stranger).aggregate(objectEvent(other, STEPS.packing, "p"), [LOT_2], true))
        .to.be.revertedWithCustomError(trace, "IdentityGateMissingCredential")
        .withArgs(stranger.address, Topics.PROCESSOR);
      await expect(trace.connect(mill).aggregate(objectEvent(other, STEPS.packing, "p"), [], true)).to.be.revertedWithCustomError(trace, "TraceListSize").withArgs(0, 64);
      const many = Array.from({ length: 65 }, (_, i) => ethers.id(`i${i}`));
      await expect(trace.connect(mill).aggregate(objectEvent(other, STEPS.packing, "p"), many, true)).to.be.revertedWithCustomError(trace, "TraceListSize").withArgs(65, 64);
      expect(await trace.contentsOf(other)).to.deep.equal([]);
    });
  });

  describe("correct", function () {
    it("voids a wrong event with a corrective event that says why; the voided event stays in the chain", async function () {
      const { trace, farmer } = await loadFixture(farmedFixture);
      const reason = ethers.id("harvest recorded on the wrong field");
      const input = objectEvent(PADDY, STEPS.harvesting, "correction");
      const tx = trace.connect(farmer).correct(input, 1, reason);
      await expect(tx).to.emit(trace, "EventVoided").withArgs(PADDY, 1, 2, reason);
      await expect(tx)
        .to.emit(trace, "TraceEventRecorded")
        .withArgs(PADDY, farmer.address, 2, EventKind.Correction, STEPS.harvesting, 0, indexWord(1), reason, input.eventHash, ZERO, (v: string) => v !== ZERO, (t: bigint) => t > 0n);
      expect(await trace.isVoided(PADDY, 1)).to.equal(true);
      expect(await trace.isVoided(PADDY, 0)).to.equal(false);
      const { events, verdict } = await readTrace(trace, PADDY);
      expect(verdict.valid).to.equal(true);
      expect(events.map((e) => e.kind)).to.deep.equal(["Object", "Object", "Correction"]);
    });

    it("refuses voiding twice, unknown events, strangers, holders without credential, and a zero event hash", async function () {
      const { trace, farmer, farmer2, stranger } = await loadFixture(farmedFixture);
      await (await trace.connect(farmer).correct(objectEvent(PADDY, STEPS.harvesting, "c1"), 1, ethers.id("r"))).wait();
      await expect(trace.connect(farmer).correct(objectEvent(PADDY, STEPS.harvesting, "c2"), 1, ethers.id("r")))
        .to.be.revertedWithCustomError(trace, "TraceEventVoided")
        .withArgs(PADDY, 1);
      await expect(trace.connect(farmer).correct(objectEvent(PADDY, STEPS.harvesting, "c3"), 3, ethers.id("r")))
        .to.be.revertedWithCustomError(trace, "TraceEventUnknown")
        .withArgs(PADDY, 3);
      await expect(trace.connect(farmer2).correct(objectEvent(PADDY, STEPS.harvesting, "c4"), 0, ethers.id("r")))
        .to.be.revertedWithCustomError(trace, "TraceNotHolder")
        .withArgs(PADDY, farmer2.address);
      await expect(trace.connect(stranger).correct(objectEvent(PADDY, STEPS.harvesting, "c5"), 0, ethers.id("r")))
        .to.be.revertedWithCustomError(trace, "IdentityGateMissingCredential")
        .withArgs(stranger.address, Topics.PRODUCER);
      await expect(trace.connect(farmer).correct(objectEvent(PADDY, STEPS.harvesting, "c6", { eventHash: ZERO }), 0, ethers.id("r")))
        .to.be.revertedWithCustomError(trace, "TraceEventHashMissing")
        .withArgs(PADDY);
      await expect(trace.connect(farmer).correct(objectEvent(PADDY_B, STEPS.harvesting, "c7"), 0, ethers.id("r")))
        .to.be.revertedWithCustomError(trace, "TraceBatchUnknown")
        .withArgs(PADDY_B);
      expect(await trace.isVoided(PADDY, 0)).to.equal(false);
    });
  });

  describe("hash chain", function () {
    it("is rebuilt from the events and matches the stored head; a tampered, dropped or reordered event is detected", async function () {
      const { trace, farmer, carrier, inspector } = await loadFixture(farmedFixture);
      await (await trace.connect(farmer).proposeTransfer(PADDY, Party.Custodian, carrier.address)).wait();
      await (await trace.connect(carrier).acceptTransfer(PADDY, Party.Custodian, ethers.id("handover"))).wait();
      await (await trace.connect(inspector).recordEvent(objectEvent(PADDY, STEPS.inspecting, "check"))).wait();
      const { events, head, verdict } = await readTrace(trace, PADDY);
      expect(events).to.have.length(4);
      expect(verdict).to.deep.equal({ valid: true, computedHead: head });
      expect(head).to.equal(await trace.headOf(PADDY));

      const tampered = events.map((e, i) => (i === 1 ? { ...e, disposition: e.disposition + 1 } : e));
      const broken = verifyChain(tampered, head);
      expect(broken.valid).to.equal(false);
      expect(broken.brokenAt).to.equal(2); // event 2 no longer follows the altered event 1
      const lastAltered = events.map((e, i) => (i === 3 ? { ...e, eventHash: ethers.id("forged") } : e));
      expect(verifyChain(lastAltered, head)).to.include({ valid: false, brokenAt: 3 });
      expect(verifyChain(events.slice(0, 3), head).valid).to.equal(false);
      expect(verifyChain([events[0], events[2], events[1], events[3]], head)).to.include({ valid: false, brokenAt: 1 });
    });
  });

  describe("traceOf", function () {
    it("returns zeros and Unknown for an unknown batch", async function () {
      const { trace } = await loadFixture(fixture);
      const view = await trace.traceOf(PADDY);
      expect([view.product, view.owner, view.status, view.eventCount, view.head, view.parents]).to.deep.equal([0n, ethers.ZeroAddress, Status.Unknown, 0n, ZERO, []]);
    });
  });

  describe("upgrades", function () {
    it("go through the AccessManager after the delay, keeping batches, chains and lineage; anyone else is refused", async function () {
      const f = await loadFixture(milledFixture);
      const { trace, accessManager, admin, stranger, dids, credentials } = f;
      const next = await ethers.deployContract("TraceRegistry", [await dids.getAddress(), await credentials.getAddress(), false]);
      const target = await trace.getAddress();
      const data = trace.interface.encodeFunctionData("upgradeToAndCall", [await next.getAddress(), "0x"]);
      const before = await trace.traceOf(LOT_1);
      const head = await trace.headOf(PADDY);

      await expect(trace.connect(stranger).upgradeToAndCall(await next.getAddress(), "0x"))
        .to.be.revertedWithCustomError(trace, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
      await expect(trace.upgradeToAndCall(await next.getAddress(), "0x")).to.be.revertedWithCustomError(accessManager, "AccessManagerNotScheduled");
      const [, delay] = await accessManager.hasRole(1, admin.address);
      expect(delay).to.be.greaterThan(0n);
      await (await accessManager.schedule(target, data, 0)).wait();
      await expect(accessManager.execute(target, data)).to.be.revertedWithCustomError(accessManager, "AccessManagerNotReady");
      await time.increase(delay);
      await expect(accessManager.execute(target, data)).to.emit(trace, "Upgraded").withArgs(await next.getAddress());
      expect(await trace.traceOf(LOT_1)).to.deep.equal(before);
      expect(await trace.headOf(PADDY)).to.equal(head);
      expect(await trace.childrenOf(PADDY)).to.deep.equal([LOT_1, LOT_2]);
      expect((await trace.stepRule(STEPS.planting)).topic).to.equal(BigInt(Topics.PRODUCER));
      // The next transformation id continues from the stored counter.
      await expect(
        trace.connect(f.mill).transform([LOT_1], [{ batchId: ethers.id("after upgrade"), product: 1n }], objectEvent(ZERO, STEPS.processing, "after")),
      ).to.emit(trace, "Transformed").withArgs(2, f.mill.address, [LOT_1], [ethers.id("after upgrade")]);
    });
  });

  describe("clock", function () {
    it("reports seconds (ERC-6372)", async function () {
      const { trace } = await loadFixture(fixture);
      expect(await trace.CLOCK_MODE()).to.equal("mode=timestamp");
      expect(await trace.clock()).to.equal(BigInt(await time.latest()));
      expect(await trace.timestampInMilliseconds()).to.equal(false);
    });
  });
});

const PADDY_PLUS = traceIdOf("https://id.gs1.org/01/09506000134352/10/PADDY-PLUS");

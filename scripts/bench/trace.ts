import { id, ZeroHash } from "ethers";
import { Topics } from "../../deploy/topics.js";
import { CredentialRegistry__factory, TraceRegistry__factory } from "../../typechain-types/index.js";
import { traceIdOf } from "../../sdk/gs1.js";
import { eventHashOf, locationHashOf, Party, sensorTree } from "../../sdk/trace.js";
import { traceSteps } from "../provision/trace.js";
import type { Bench } from "./context.js";

const DAY = 86_400n;

/**
 * Traceability operations (issue #7 budgets in bench/budgets.json). Step rules come from the suite's parameters, as
 * the provisioning step sets them. Fixed ids and values: the calldata, and so the gas, is the same on every run.
 * "warm" events are recorded on a batch that already has events (its head and hot slot exist).
 */
export const trace: Bench = {
  module: "Trace",
  async run({ address, connection, measure, record, signers, suite }) {
    const [admin, issuer, farmer, mill, carrier] = signers.slice(0, 1).concat(signers.slice(10, 14));
    const registry = TraceRegistry__factory.connect(address("traceRegistry"), admin);
    const credentials = CredentialRegistry__factory.connect(address("credentialRegistry"), admin);
    const steps = Object.fromEntries(traceSteps((suite.parameters.Trace ?? {}) as Record<string, unknown>).map((s) => [s.name, s]));
    for (const step of Object.values(steps)) {
      const rule = await registry.stepRule(step.id);
      if (Number(rule.topic) === step.topicId) continue;
      await (await registry.setStepRule(step.id, { topic: step.topicId, custody: step.custody, authority: step.authority })).wait();
    }
    const now = BigInt(await connection.networkHelpers.time.latest());
    for (const [account, topic] of [
      [farmer, Topics.PRODUCER],
      [mill, Topics.PROCESSOR],
      [carrier, Topics.LOGISTICS],
    ] as const) {
      if (!(await credentials.isTrustedIssuer(topic, issuer.address))) await (await credentials.setIssuerTrust(topic, issuer.address, true)).wait();
      await (await credentials.connect(issuer).issue(id(`bench:trace:${account.address}`), issuer.address, account.address, topic, now, now + 365n * DAY)).wait();
    }

    const lot = (name: string) => traceIdOf(`https://id.gs1.org/01/09506000134352/10/${name}`);
    const event = (batchId: string, step: number, label: string, sensorRoot = ZeroHash) => ({
      batchId,
      step,
      disposition: 1,
      readPoint: locationHashOf(`urn:epc:id:sgln:9520123.45678.${label}`),
      bizLocation: locationHashOf("urn:epc:id:sgln:9520123.45678.0"),
      eventHash: eventHashOf({ type: "ObjectEvent", label, batchId, step }),
      sensorRoot,
    });
    const soil = sensorTree(
      [1, 2, 3, 4].map((i) => ({ device: "urn:epc:id:giai:9520123.soil-1", time: 1_700_000_000 + i * 3600, type: "gs1:SoilMoisture", milliValue: 30_000 + i, unit: "P1" })),
    );

    const paddy = lot("BENCH-PADDY-A");
    await measure("trace.createBatch", registry.connect(farmer).createBatch(paddy, 9506000134352n, steps.commissioning.id));
    await measure("trace.recordEvent.first", registry.connect(farmer).recordEvent(event(paddy, steps.planting.id, "planting", soil.root)));
    await measure("trace.recordEvent.warm", registry.connect(farmer).recordEvent(event(paddy, steps.fertilizing.id, "fertilizing", soil.root)));
    await measure("trace.recordEvent.warm.noSensor", registry.connect(farmer).recordEvent(event(paddy, steps.harvesting.id, "harvest")));

    // Ten batches with one event each, then ten events on them in one transaction.
    const ten = Array.from({ length: 10 }, (_, i) => lot(`BENCH-FIELD-${i}`));
    for (const batchId of ten) {
      await (await registry.connect(farmer).createBatch(batchId, 9506000134352n, steps.commissioning.id)).wait();
      await (await registry.connect(farmer).recordEvent(event(batchId, steps.planting.id, `plant ${batchId}`))).wait();
    }
    await measure("trace.recordEvents10", registry.connect(farmer).recordEvents(ten.map((batchId) => event(batchId, steps.harvesting.id, `harvest ${batchId}`))));

    // Custody: the farmer hands the paddy to the carrier (propose + accept, measured separately and summed).
    const propose = await measure("trace.custodyTransfer.propose", registry.connect(farmer).proposeTransfer(paddy, Party.Custodian, carrier.address));
    const accept = await measure("trace.custodyTransfer.accept", registry.connect(carrier).acceptTransfer(paddy, Party.Custodian, id("despatch advice")));
    record("trace.custodyTransfer", propose + accept);

    // Milling: two paddy batches (owned and held by the mill) into two lots.
    const inputs = [lot("BENCH-PADDY-1"), lot("BENCH-PADDY-2")];
    for (const batchId of inputs) {
      await (await registry.connect(farmer).createBatch(batchId, 9506000134352n, steps.commissioning.id)).wait();
      await (await registry.connect(farmer).recordEvent(event(batchId, steps.harvesting.id, `harvest ${batchId}`))).wait();
      await (await registry.connect(farmer).proposeTransfer(batchId, Party.Owner, mill.address)).wait();
      await (await registry.connect(mill).acceptTransfer(batchId, Party.Owner, id(`sale ${batchId}`))).wait();
      await (await registry.connect(farmer).proposeTransfer(batchId, Party.Custodian, mill.address)).wait();
      await (await registry.connect(mill).acceptTransfer(batchId, Party.Custodian, id(`delivery ${batchId}`))).wait();
    }
    const outputs = [lot("BENCH-MILLED-1"), lot("BENCH-MILLED-2")].map((batchId) => ({ batchId, product: 9506000134369n }));
    await measure("trace.transform2to2", registry.connect(mill).transform(inputs, outputs, event(ZeroHash, steps.processing.id, "milling")));
  },
};


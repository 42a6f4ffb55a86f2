import { id, ZeroHash } from "ethers";
import { Topics } from "../../../deploy/topics.js";
import { CredentialRegistry__factory, TraceRegistry__factory } from "../../../typechain-types/index.js";
import { productOf, traceIdOf, traceIdOfUri } from "../../../sdk/gs1.js";
import {
  Disposition,
  Party,
  TraceStatus,
  eventHashOf,
  locationHashOf,
  readTrace,
  readingItem,
  readingProof,
  sensorTree,
  verifyChain,
  type SensorReading,
} from "../../../sdk/trace.js";
import { traceSteps } from "../../provision/trace.js";
import { short } from "../../lib/format.js";
import { CONSORTIUM, type Chapter } from "../runner.js";

const YEAR = 365n * 86_400n;

/** Demo data of the rice profile: GS1 Digital Links printed on the sacks and bags. */
const RICE = {
  paddyA: "https://id.gs1.org/01/09506000134352/10/PADDY-2024-A",
  paddyB: "https://id.gs1.org/01/09506000134352/10/PADDY-2024-B",
  lot1: "https://id.gs1.org/01/09506000134369/10/MILLED-0917-1",
  lot2: "https://id.gs1.org/01/09506000134369/10/MILLED-0917-2",
  farm: "urn:epc:id:sgln:9506000.10001.0",
  mill: "urn:epc:id:sgln:9506000.20002.0",
  truck: "urn:epc:id:giai:9506000.TRUCK-7",
  shop: "urn:epc:id:sgln:9506000.30003.0",
};

/** Demo data of the cattle profile: an ear tag and the cuts' GTINs. */
const CATTLE = {
  calf: "urn:epc:id:giai:9506000.EARTAG-CN370101-000123",
  sirloin: "https://id.gs1.org/01/09506000135014/21/CARCASS-123-S",
  brisket: "https://id.gs1.org/01/09506000135021/21/CARCASS-123-B",
};

/** Demo data of the computing-power profile: an order id, delivery and settlement traced by transaction hash. */
const COMPUTE = { order: "urn:trustbase:compute-order:2024-0917-42" };

export const trace: Chapter = {
  title: "Traceability: farm to table, with sensor proofs, custody and a recall",
  summary:
    "A rice farm records planting with soil-sensor roots and the harvest; a mill turns two paddy batches into two " +
    "packed lots; a cold-chain carrier ships them and proves one temperature reading; a retailer receives. An " +
    "inspector recalls one paddy batch and both lots show recalled. Then a calf by its ear tag, and a compute order.",

  async run(demo) {
    const consortium = await demo.actor(CONSORTIUM);
    const certifier = await demo.actor("Agri-food certifier");
    const farm = await demo.actor("Farmer Li");
    const mill = await demo.actor("Valley Mill");
    const carrier = await demo.actor("ColdChain Logistics");
    const shop = await demo.actor("FreshMart");
    const inspector = await demo.actor("Food inspector");
    const regulator = await demo.actor("Market regulator");
    const ranch = await demo.actor("Highland Ranch");
    const registry = TraceRegistry__factory.connect(demo.address("traceRegistry"), consortium.signer);
    const credentials = CredentialRegistry__factory.connect(demo.address("credentialRegistry"), consortium.signer);
    const steps = Object.fromEntries(
      traceSteps((demo.suite.parameters.Trace ?? {}) as Record<string, unknown>).map((step) => [step.name, step.id]),
    );
    const fromBlock = await demo.connection.ethers.provider.getBlockNumber();
    const now = await demo.now();
    const ev = (batchId: string, step: number, what: string, place: string, extra: { sensorRoot?: string; disposition?: number } = {}) => ({
      batchId,
      step,
      disposition: extra.disposition ?? Disposition.active,
      readPoint: locationHashOf(`${place}#${what}`),
      bizLocation: locationHashOf(place),
      eventHash: eventHashOf({ type: "ObjectEvent", what, batchId, step, place, at: Number(now) }),
      sensorRoot: extra.sensorRoot ?? ZeroHash,
    });

    demo.section("The consortium trusts a certifier for the trace topics; the certifier licenses each actor");
    const licences = [
      [farm, Topics.PRODUCER, "PRODUCER"],
      [ranch, Topics.PRODUCER, "PRODUCER"],
      [mill, Topics.PROCESSOR, "PROCESSOR"],
      [carrier, Topics.LOGISTICS, "LOGISTICS"],
      [shop, Topics.RETAILER, "RETAILER"],
      [inspector, Topics.INSPECTOR, "INSPECTOR"],
      [regulator, Topics.REGULATOR, "REGULATOR"],
    ] as const;
    for (const topic of new Set(licences.map(([, t]) => t))) {
      if (await credentials.isTrustedIssuer(topic, certifier.address)) continue;
      await demo.step(consortium, `trusts the certifier for topic ${topic}`, credentials.setIssuerTrust(topic, certifier.address, true));
    }
    for (const [actor, topic, name] of licences) {
      await demo.step(
        certifier,
        `licenses ${actor.name} as ${name}`,
        credentials.connect(certifier.signer).issue(id(`licence:${actor.address}:${topic}:${now}`), certifier.address, actor.address, topic, now, now + YEAR),
      );
    }

    demo.section("Rice: the sack's GS1 Digital Link is its id on chain");
    const paddyA = traceIdOf(RICE.paddyA);
    const paddyB = traceIdOf(RICE.paddyB);
    demo.note(`${RICE.paddyA} -> ${short(paddyA)}`);
    await demo.step(farm, "creates paddy batch A (commissioning)", registry.connect(farm.signer).createBatch(paddyA, productOf(RICE.paddyA), steps.commissioning));
    await demo.step(farm, "creates paddy batch B", registry.connect(farm.signer).createBatch(paddyB, productOf(RICE.paddyB), steps.commissioning));
    const soilReadings: SensorReading[] = [0, 1, 2, 3, 4, 5].map((hour) => ({
      device: "urn:epc:id:giai:9506000.SOIL-1",
      time: Number(now) + hour * 3600,
      type: hour % 2 === 0 ? "gs1:SoilMoisture" : "gs1:Temperature",
      milliValue: hour % 2 === 0 ? 31_000 + hour * 100 : 18_000 + hour * 150,
      unit: hour % 2 === 0 ? "P1" : "CEL",
    }));
    const soil = sensorTree(soilReadings);
    await demo.step(
      farm,
      `records planting of A with ${soilReadings.length} soil readings (one root)`,
      registry.connect(farm.signer).recordEvent(ev(paddyA, steps.planting, "planting", RICE.farm, { sensorRoot: soil.root })),
    );
    await demo.step(
      farm,
      "records planting of B and the harvest of both (one tx)",
      registry.connect(farm.signer).recordEvents([
        ev(paddyB, steps.planting, "planting", RICE.farm),
        ev(paddyA, steps.harvesting, "harvest", RICE.farm),
        ev(paddyB, steps.harvesting, "harvest", RICE.farm),
      ]),
    );
    await demo.refused(mill, "tries to record a harvest (no PRODUCER credential)", registry.connect(mill.signer).recordEvent(ev(paddyA, steps.harvesting, "forged harvest", RICE.farm)));
    const proved = await registry.verifyReading(paddyA, 0, readingItem(soilReadings[3]), readingProof(soil.tree, soilReadings[3]));
    demo.line(inspector.name, "checks one soil reading against the planting root", proved ? "proved" : "NOT PROVED");

    demo.section("The mill buys both batches, takes delivery, and mills them into two lots");
    for (const [batch, name] of [[paddyA, "A"], [paddyB, "B"]] as const) {
      await demo.step(farm, `offers ownership of ${name} to the mill`, registry.connect(farm.signer).proposeTransfer(batch, Party.Owner, mill.address));
      await demo.step(mill, `accepts ownership of ${name} (sale)`, registry.connect(mill.signer).acceptTransfer(batch, Party.Owner, id(`invoice ${batch}`)));
      await demo.step(farm, `hands ${name} over (custody proposal)`, registry.connect(farm.signer).proposeTransfer(batch, Party.Custodian, mill.address));
      await demo.step(mill, `accepts custody of ${name}`, registry.connect(mill.signer).acceptTransfer(batch, Party.Custodian, id(`receipt ${batch}`)));
    }
    const lot1 = traceIdOf(RICE.lot1);
    const lot2 = traceIdOf(RICE.lot2);
    await demo.step(
      mill,
      "mills paddy A + B into lots 1 and 2 (transformation)",
      registry.connect(mill.signer).transform(
        [paddyA, paddyB],
        [
          { batchId: lot1, product: productOf(RICE.lot1) },
          { batchId: lot2, product: productOf(RICE.lot2) },
        ],
        ev(ZeroHash, steps.processing, "milling", RICE.mill),
      ),
    );
    await demo.step(mill, "records packing of both lots", registry.connect(mill.signer).recordEvents([ev(lot1, steps.packing, "packing", RICE.mill), ev(lot2, steps.packing, "packing", RICE.mill)]));

    demo.section("Cold chain: the carrier takes custody, ships, and a temperature reading is proved");
    for (const [lot, name] of [[lot1, "lot 1"], [lot2, "lot 2"]] as const) {
      await demo.step(mill, `offers custody of ${name} to the carrier`, registry.connect(mill.signer).proposeTransfer(lot, Party.Custodian, carrier.address));
      await demo.step(carrier, `accepts custody of ${name}`, registry.connect(carrier.signer).acceptTransfer(lot, Party.Custodian, id(`despatch ${lot}`)));
    }
    const fridge: SensorReading[] = [0, 1, 2, 3].map((quarter) => ({
      device: RICE.truck,
      time: Number(now) + 86_400 + quarter * 900,
      type: "gs1:Temperature",
      milliValue: 3_800 + quarter * 150,
      unit: "CEL",
    }));
    const cold = sensorTree(fridge);
    const shipped = await demo.step(
      carrier,
      "ships lot 1 (cold chain, 4 temperature readings)",
      registry.connect(carrier.signer).recordEvent(ev(lot1, steps.shipping, "shipping", RICE.truck, { sensorRoot: cold.root, disposition: Disposition.in_transit_cold_chain })),
    );
    const shipIndex = Number(registry.interface.parseLog(shipped.logs.find((log) => log.topics[0] === registry.interface.getEvent("TraceEventRecorded").topicHash)!)!.args.index);
    await demo.step(carrier, "ships lot 2", registry.connect(carrier.signer).recordEvent(ev(lot2, steps.shipping, "shipping", RICE.truck, { disposition: Disposition.in_transit })));
    const reading = fridge[2];
    const ok = await registry.verifyReading(lot1, shipIndex, readingItem(reading), readingProof(cold.tree, reading));
    demo.line(shop.name, `proves "${Number(reading.milliValue) / 1000} °C at +30 min" on event ${shipIndex} of lot 1`, ok ? "proved" : "NOT PROVED");
    const forged = await registry.verifyReading(lot1, shipIndex, readingItem({ ...reading, milliValue: 2_000 }), readingProof(cold.tree, reading));
    demo.line(shop.name, "the same proof for a doctored 2.0 °C", forged ? "PASSED (bug)" : "rejected");

    demo.section("FreshMart receives the lots");
    for (const [lot, name] of [[lot1, "lot 1"], [lot2, "lot 2"]] as const) {
      await demo.step(carrier, `delivers ${name} (custody proposal)`, registry.connect(carrier.signer).proposeTransfer(lot, Party.Custodian, shop.address));
      await demo.step(shop, `accepts custody of ${name}`, registry.connect(shop.signer).acceptTransfer(lot, Party.Custodian, id(`delivery ${lot}`)));
      await demo.step(shop, `records receiving of ${name}`, registry.connect(shop.signer).recordEvent(ev(lot, steps.receiving, "receiving", RICE.shop, { disposition: Disposition.sellable_accessible })));
    }
    const wrong = (await registry.traceOf(lot2)).eventCount - 1n;
    await demo.step(
      shop,
      `voids its receiving of lot 2 (event ${wrong}, wrong store): a correction`,
      registry.connect(shop.signer).correct(ev(lot2, steps.receiving, "correction", RICE.shop), wrong, id("recorded at the wrong store")),
    );
    demo.note(`isVoided(lot 2, ${wrong}) = ${await registry.isVoided(lot2, wrong)}; the event stays in the chain`);

    demo.section("Recall: the inspector finds aflatoxin in paddy A; the recall reaches both lots");
    await demo.refused(farm, "tries to recall a batch (no authority step)", registry.connect(farm.signer).recall(paddyA, steps.harvesting, id("x")));
    await demo.step(inspector, "recalls paddy batch A", registry.connect(inspector.signer).recall(paddyA, steps.inspecting, id("aflatoxin above limit, notice 2024-17")));
    const till = await registry.statusOf(lot1);
    demo.line(shop.name, "asks statusOf(lot 1) at the till before a sale", TraceStatus[Number(till)]);
    demo.note("The recall wrote one flag on paddy A; statusOf walks each lot's ancestors, so no descendant had to be touched.");
    const rows: string[][] = [];
    for (const [name, link] of [["paddy A", RICE.paddyA], ["paddy B", RICE.paddyB], ["lot 1", RICE.lot1], ["lot 2", RICE.lot2]] as const) {
      const view = await registry.traceOf(traceIdOf(link));
      rows.push([name, demo.nameOf(view.owner), demo.nameOf(view.custodian), TraceStatus[Number(view.status)], String(view.eventCount), String(view.parents.length)]);
    }
    demo.table(["batch", "owner", "custodian", "status", "events", "parents"], rows);

    demo.section("What a QR page does: rebuild lot 1's history from events and check it against the head");
    const history = await readTrace(registry, lot1, fromBlock);
    demo.line(shop.name, `rebuilds ${history.events.length} events of lot 1 from the logs`, history.verdict.valid ? "chain verified" : "BROKEN");
    const tampered = history.events.map((event, index) => (index === 1 ? { ...event, sensorRoot: id("fake fridge log") } : event));
    const verdict = verifyChain(tampered, history.head);
    demo.line(shop.name, "the same history with a swapped sensor root", verdict.valid ? "PASSED (bug)" : `chain breaks at event ${verdict.brokenAt}`);

    demo.section("Cattle profile, in brief: a calf by its ear tag, slaughtered into two cuts");
    const calf = traceIdOfUri(CATTLE.calf);
    await demo.step(ranch, "registers the calf by its ear tag", registry.connect(ranch.signer).createBatch(calf, 0n, steps.commissioning));
    await demo.step(ranch, "records feeding", registry.connect(ranch.signer).recordEvent(ev(calf, steps.feeding, "feeding", "urn:epc:id:sgln:9506000.40004.0")));
    await demo.step(inspector, "records a veterinary check", registry.connect(inspector.signer).recordEvent(ev(calf, steps.veterinary_check, "vet", "urn:epc:id:sgln:9506000.40004.0")));
    await demo.step(ranch, "sells the animal to the processor", registry.connect(ranch.signer).proposeTransfer(calf, Party.Owner, mill.address));
    await demo.step(mill, "accepts ownership", registry.connect(mill.signer).acceptTransfer(calf, Party.Owner, id("cattle sale")));
    await demo.step(ranch, "hands it over", registry.connect(ranch.signer).proposeTransfer(calf, Party.Custodian, mill.address));
    await demo.step(mill, "accepts custody", registry.connect(mill.signer).acceptTransfer(calf, Party.Custodian, id("cattle delivery")));
    await demo.step(
      mill,
      "slaughters it into sirloin and brisket (transformation)",
      registry.connect(mill.signer).transform(
        [calf],
        [
          { batchId: traceIdOf(CATTLE.sirloin), product: productOf(CATTLE.sirloin) },
          { batchId: traceIdOf(CATTLE.brisket), product: productOf(CATTLE.brisket) },
        ],
        ev(ZeroHash, steps.slaughtering, "slaughter", RICE.mill),
      ),
    );
    demo.note(`parents of the sirloin: ${(await registry.parentsOf(traceIdOf(CATTLE.sirloin))).map(short).join(", ")} (the ear tag ${short(calf)})`);

    demo.section("Computing-power profile, in brief: an order traced by its delivery and settlement transactions");
    const order = traceIdOfUri(COMPUTE.order);
    await demo.step(ranch, "(as a GPU provider) accepts a compute order", registry.connect(ranch.signer).createBatch(order, 0n, steps.order_accepted));
    const delivery = await demo.step(ranch, "records delivery of 64 GPU-hours", registry.connect(ranch.signer).recordEvent(ev(order, steps.delivering, "delivery", "urn:trustbase:datacenter:7")));
    await demo.step(ranch, "passes the order to the buyer", registry.connect(ranch.signer).proposeTransfer(order, Party.Owner, shop.address));
    await demo.step(shop, "accepts it, naming the delivery tx", registry.connect(shop.signer).acceptTransfer(order, Party.Owner, delivery.hash));
    await demo.step(shop, "records settlement (its event hash = the payment tx)", registry.connect(shop.signer).recordEvent({ ...ev(order, steps.settling, "settlement", "urn:trustbase:datacenter:7"), eventHash: id("payment tx 0x…") }));
    demo.note(`status of the order: ${TraceStatus[Number(await registry.statusOf(order))]}, ${(await registry.traceOf(order)).eventCount} events`);
  },
};

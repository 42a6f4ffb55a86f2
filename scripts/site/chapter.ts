import { ZeroAddress, ZeroHash, Wallet, id, sha256 } from "ethers";
import QRCode from "qrcode";
import { Topics } from "../../deploy/topics.js";
import { BillOfLading__factory, CredentialRegistry__factory, EvidenceVault__factory, TraceRegistry__factory } from "../../typechain-types/index.js";
import { CustodyAction, EvidenceCategory, EvidencePermission, EvidenceVaultTypes, buildBundle, evidenceDomain } from "../../sdk/evidence.js";
import { productOf, traceIdOf } from "../../sdk/gs1.js";
import { Disposition, Party, eventHashOf, locationHashOf, readingProof, sensorTree, type SensorReading } from "../../sdk/trace.js";
import { BillOfLadingTypes, ConsigneeKind, Mode, ActionCode, billIdOf, billOfLadingDomain, locode } from "../../sdk/trade.js";
import { traceSteps } from "../provision/trace.js";
import { CONSORTIUM, type Actor, type Chapter, type Demo } from "../demo/runner.js";
import { textPdf } from "./pdf.js";

const YEAR = 365n * 86_400n;
const DAY = 86_400n;

/** What the site chapter leaves for the site: facts to print and test, files to serve, names to show. */
export interface SiteData {
  facts: {
    trace: { verified: string; recalled: string; parent: string; recalledParent: string };
    evidence: { file: string; disputedFile: string; bundle: string; alteredBundle: string };
    bill: { id: string; description: string };
    qr: string;
  };
  /** Files to serve next to the site, by path relative to it. */
  files: Map<string, Buffer | string>;
  /** GS1 Digital Links the site should be able to name. */
  links: string[];
  /** Names of key-only parties (witness offices), by address. */
  labels: Record<string, string>;
}

/**
 * The verification site's demo data, one chapter in the demo's style (scripts/demo/runner.ts): a rice lot whose
 * journey has soil and cold-chain sensor readings, a second lot recalled through the paddy it was milled from; a
 * loan contract anchored as a PDF with two witnesses, a custody log and a checkpoint, and a delivery note the
 * defendant disputes; a bill of lading with three legs, a handover and a pledge the bank still holds. It licenses
 * its own cast, so it runs on a freshly deployed suite as well as after the demo's chapters, and names every lot
 * and document after the block it starts at, so it can run again on the same node.
 */
export function siteChapter(out: SiteData): Chapter {
  return {
    title: "Verification site: data a person can check in a browser",
    summary:
      "A rice co-op records a lot from planting (soil sensors) to the shop shelf (cold chain); an inspector recalls " +
      "another lot's paddy. A plaintiff anchors a loan contract (PDF) that two witness offices co-sign and the court " +
      "logs; a defendant disputes a delivery note. A bill of lading with three legs is endorsed and pledged to a bank.",
    async run(demo) {
      const tag = String(await demo.connection.ethers.provider.getBlockNumber());
      await traceStory(demo, tag, out);
      await evidenceStory(demo, tag, out);
      await billStory(demo, tag, out);
    },
  };
}

async function license(demo: Demo, issuer: Actor, grants: [Actor, number, string][]): Promise<void> {
  const consortium = await demo.actor(CONSORTIUM);
  const credentials = CredentialRegistry__factory.connect(demo.address("credentialRegistry"), consortium.signer);
  const now = BigInt(await demo.connection.networkHelpers.time.latest());
  for (const topic of new Set(grants.map(([, t]) => t))) {
    if (await credentials.isTrustedIssuer(topic, issuer.address)) continue;
    await demo.step(consortium, `trusts ${issuer.name} for topic ${topic}`, credentials.setIssuerTrust(topic, issuer.address, true));
  }
  for (const [who, topic, name] of grants) {
    await demo.step(issuer, `licenses ${who.name} as ${name}`, credentials.connect(issuer.signer).issue(id(`site:${who.address}:${topic}:${now}`), issuer.address, who.address, topic, now, now + YEAR));
  }
}

async function traceStory(demo: Demo, tag: string, out: SiteData): Promise<void> {
  const certifier = await demo.actor("Rice certification body");
  const coop = await demo.actor("Green Valley Co-op");
  const freight = await demo.actor("Polar Freight");
  const grocer = await demo.actor("Corner Grocer");
  const inspector = await demo.actor("Food safety inspector");
  demo.section("Trace: licences for the co-op (farm and mill), a cold-chain carrier, a grocer and an inspector");
  await license(demo, certifier, [
    [coop, Topics.PRODUCER, "PRODUCER"],
    [coop, Topics.PROCESSOR, "PROCESSOR"],
    [freight, Topics.LOGISTICS, "LOGISTICS"],
    [grocer, Topics.RETAILER, "RETAILER"],
    [inspector, Topics.INSPECTOR, "INSPECTOR"],
  ]);
  const registry = TraceRegistry__factory.connect(demo.address("traceRegistry"), coop.signer);
  const steps = Object.fromEntries(traceSteps((demo.suite.parameters.Trace ?? {}) as Record<string, unknown>).map((step) => [step.name, step.id]));
  const now = Number(await demo.connection.networkHelpers.time.latest());
  const links = {
    paddy: `https://id.gs1.org/01/09506000134352/10/PADDY-${tag}-A`,
    lot: `https://id.gs1.org/01/09506000134369/10/JASMINE-${tag}-1`,
    paddyB: `https://id.gs1.org/01/09506000134352/10/PADDY-${tag}-B`,
    lotB: `https://id.gs1.org/01/09506000134369/10/JASMINE-${tag}-2`,
  };
  const [paddy, lot, paddyB, lotB] = [links.paddy, links.lot, links.paddyB, links.lotB].map(traceIdOf);
  const place = { farm: "urn:epc:id:sgln:9506000.11111.0", mill: "urn:epc:id:sgln:9506000.22222.0", truck: "urn:epc:id:giai:9506000.REEFER-12", shop: "urn:epc:id:sgln:9506000.33333.0" };
  const ev = (batchId: string, step: number, what: string, where: string, extra: { sensorRoot?: string; disposition?: number } = {}) => ({
    batchId,
    step,
    disposition: extra.disposition ?? Disposition.active,
    readPoint: locationHashOf(`${where}#${what}`),
    bizLocation: locationHashOf(where),
    eventHash: eventHashOf({ type: "ObjectEvent", what, batchId, step, where, at: now }),
    sensorRoot: extra.sensorRoot ?? ZeroHash,
  });
  const indexOf = (receipt: { logs: readonly { topics: readonly string[]; data: string }[] }, batchId: string) => {
    const topic = registry.interface.getEvent("TraceEventRecorded").topicHash;
    const log = receipt.logs.find((l) => l.topics[0] === topic && l.topics[1] === batchId)!;
    return Number(registry.interface.parseLog(log)!.args.index);
  };
  const publish = (batchId: string, eventIndex: number, readings: SensorReading[]) => {
    const { tree, root } = sensorTree(readings);
    const report = { format: "trustbase-sensor-report/1", batchId, eventIndex, sensorRoot: root, readings: readings.map((reading) => ({ reading, proof: readingProof(tree, reading) })) };
    out.files.set(`demo/sensors/${batchId}-${eventIndex}.json`, `${JSON.stringify(report, null, 2)}\n`);
  };

  demo.section("Rice: paddy from planting to milling, soil readings committed as one Merkle root");
  const soil: SensorReading[] = [0, 1, 2, 3, 4, 5].map((hour) => ({
    device: "urn:epc:id:giai:9506000.SOIL-7",
    time: now - (5 - hour) * 3600,
    type: hour % 2 === 0 ? "gs1:RelativeHumidity" : "gs1:Temperature",
    milliValue: hour % 2 === 0 ? 62_000 + hour * 500 : 19_000 + hour * 200,
    unit: hour % 2 === 0 ? "P1" : "CEL",
  }));
  await demo.step(coop, "registers paddy A (commissioning)", registry.createBatch(paddy, productOf(links.paddy), steps.commissioning));
  await demo.step(coop, "registers paddy B", registry.createBatch(paddyB, productOf(links.paddyB), steps.commissioning));
  const planted = await demo.step(coop, `records planting of A with ${soil.length} soil readings`, registry.recordEvent(ev(paddy, steps.planting, "planting", place.farm, { sensorRoot: sensorTree(soil).root })));
  publish(paddy, indexOf(planted, paddy), soil);
  await demo.step(coop, "records planting of B and both harvests", registry.recordEvents([ev(paddyB, steps.planting, "planting", place.farm), ev(paddy, steps.harvesting, "harvest", place.farm), ev(paddyB, steps.harvesting, "harvest", place.farm)]));
  await demo.step(coop, "mills paddy A into jasmine lot 1", registry.transform([paddy], [{ batchId: lot, product: productOf(links.lot) }], ev(ZeroHash, steps.processing, "milling A", place.mill)));
  await demo.step(coop, "mills paddy B into jasmine lot 2", registry.transform([paddyB], [{ batchId: lotB, product: productOf(links.lotB) }], ev(ZeroHash, steps.processing, "milling B", place.mill)));
  await demo.step(coop, "records packing of both lots", registry.recordEvents([ev(lot, steps.packing, "packing", place.mill), ev(lotB, steps.packing, "packing", place.mill)]));

  demo.section("Cold chain to the grocer, four temperature readings under one root");
  await demo.step(coop, "offers custody of lot 1 to the carrier", registry.proposeTransfer(lot, Party.Custodian, freight.address));
  await demo.step(freight, "accepts custody", registry.connect(freight.signer).acceptTransfer(lot, Party.Custodian, id(`despatch ${lot}`)));
  const fridge: SensorReading[] = [0, 1, 2, 3].map((quarter) => ({ device: place.truck, time: now - (3 - quarter) * 900, type: "gs1:Temperature", milliValue: 3_600 + quarter * 200, unit: "CEL" }));
  const shipped = await demo.step(freight, "ships lot 1 (4 temperature readings)", registry.connect(freight.signer).recordEvent(ev(lot, steps.shipping, "shipping", place.truck, { sensorRoot: sensorTree(fridge).root, disposition: Disposition.in_transit_cold_chain })));
  publish(lot, indexOf(shipped, lot), fridge);
  await demo.step(freight, "delivers lot 1 to the grocer (custody proposal)", registry.connect(freight.signer).proposeTransfer(lot, Party.Custodian, grocer.address));
  await demo.step(grocer, "accepts custody", registry.connect(grocer.signer).acceptTransfer(lot, Party.Custodian, id(`delivery ${lot}`)));
  await demo.step(grocer, "records receiving: on the shelf", registry.connect(grocer.signer).recordEvent(ev(lot, steps.receiving, "receiving", place.shop, { disposition: Disposition.sellable_accessible })));

  demo.section("Recall: the inspector finds a pesticide residue in paddy B; lot 2 shows recalled");
  await demo.step(inspector, "recalls paddy B", registry.connect(inspector.signer).recall(paddyB, steps.inspecting, id(`pesticide residue above limit, notice ${tag}`)));
  demo.note(`statusOf(lot 2) = ${["Unknown", "Active", "Consumed", "Recalled"][Number(await registry.statusOf(lotB))]}`);

  out.links.push(...Object.values(links));
  out.facts.trace = { verified: links.lot, recalled: links.lotB, parent: links.paddy, recalledParent: links.paddyB };
  out.files.set("demo/lot-qr.png", await QRCode.toBuffer(links.lot, { errorCorrectionLevel: "M", margin: 2, scale: 8 }));
  out.facts.qr = "demo/lot-qr.png";
}

async function evidenceStory(demo: Demo, tag: string, out: SiteData): Promise<void> {
  const registry = await demo.actor("Court registry office");
  const clerk = await demo.actor("Clerk Liu");
  const judge = await demo.actor("Judge Zhou");
  const plaintiff = await demo.actor("Plaintiff Sun");
  const defendant = await demo.actor("Defendant Ma");
  const witnesses = [
    { name: "Notary office Xicheng", key: new Wallet(id("trustbase site witness: notary office Xicheng")), topic: Topics.NOTARY },
    { name: "Notary office Dongcheng", key: new Wallet(id("trustbase site witness: notary office Dongcheng")), topic: Topics.NOTARY },
    { name: "Arbitration centre", key: new Wallet(id("trustbase site witness: arbitration centre")), topic: Topics.ARBITRATOR },
  ];
  for (const w of witnesses) out.labels[w.key.address.toLowerCase()] = w.name;
  demo.section("Evidence: court licences, a case with three witness offices (two must co-sign)");
  const witnessActors = witnesses.map((w) => ({ name: w.name, address: w.key.address, signer: w.key }) as Actor);
  await license(demo, registry, [
    [clerk, Topics.COURT_CLERK, "COURT_CLERK"],
    [judge, Topics.JUDGE, "JUDGE"],
    [plaintiff, Topics.CASE_PARTY, "CASE_PARTY"],
    [defendant, Topics.CASE_PARTY, "CASE_PARTY"],
    ...witnesses.map((w, i): [Actor, number, string] => [witnessActors[i], w.topic, w.topic === Topics.NOTARY ? "NOTARY" : "ARBITRATOR"]),
  ]);
  const vault = EvidenceVault__factory.connect(demo.address("evidenceVault"), clerk.signer);
  const courtRef = id(`(2025) Jing 0101 Min Chu 4711 / ${tag}`);
  await demo.step(clerk, "opens the case: 2 of 3 witnesses make evidence final", vault.openCase(clerk.address, courtRef, witnesses.map((w) => w.key.address), witnesses.map((w) => w.topic), 2));
  const caseId = await vault.caseIdOf(courtRef);
  const { SUBMIT, LOG, DECIDE, DISPUTE } = EvidencePermission;
  await demo.step(clerk, "admits itself: submit, log, decide", vault.grantAccess(caseId, clerk.address, Topics.COURT_CLERK, SUBMIT | LOG | DECIDE));
  await demo.step(clerk, `admits ${judge.name}: log, decide`, vault.grantAccess(caseId, judge.address, Topics.JUDGE, LOG | DECIDE));
  await demo.step(clerk, `admits ${plaintiff.name}: submit, dispute`, vault.grantAccess(caseId, plaintiff.address, Topics.CASE_PARTY, SUBMIT | DISPUTE));
  await demo.step(clerk, `admits ${defendant.name}: submit, dispute`, vault.grantAccess(caseId, defendant.address, Topics.CASE_PARTY, SUBMIT | DISPUTE));

  demo.section("A loan contract (PDF) anchored by its SHA-256, co-signed, logged; a delivery note disputed");
  const contract = textPdf("Loan agreement", [
    `Case reference (2025) Jing 0101 Min Chu 4711, exhibit P-1 (run ${tag})`,
    "Lender: Sun Wei. Borrower: Ma Jun.",
    "Principal: CNY 250,000, repayable in twelve monthly instalments from 1 March 2025.",
    "Interest: 4.35 % a year. Late payment: 0.05 % a day.",
    "Signed in Beijing on 14 February 2025 by both parties.",
  ]);
  const note = textPdf("Delivery note", [`Exhibit P-2 (run ${tag})`, "Goods: 400 cartons of jasmine rice, received in good order on 3 March 2025.", "Received by: Ma Jun (signature)."]);
  const contractHash = sha256(contract);
  const noteHash = sha256(note);
  await demo.step(plaintiff, "anchors loan-contract.pdf (SHA-256 + metadata hash)", vault.connect(plaintiff.signer).anchor(caseId, contractHash, EvidenceCategory.CONTRACT, id(`loan-contract.pdf, ${contract.length} bytes`)));
  const { chainId } = await demo.connection.ethers.provider.getNetwork();
  const domain = evidenceDomain(chainId, await vault.getAddress());
  const deadline = BigInt(await demo.connection.networkHelpers.time.latest()) + 7n * DAY;
  for (const w of [witnesses[0], witnesses[2]]) {
    const signature = await w.key.signTypedData(domain, EvidenceVaultTypes.Cosign, { hash: contractHash, witness: w.key.address, deadline });
    await demo.step(clerk, `relays ${w.name}'s co-signature`, vault.cosign(contractHash, w.key.address, deadline, signature));
  }
  await demo.step(clerk, "logs: uploaded into the case file", vault.logCustody(clerk.address, contractHash, CustodyAction.UPLOAD, id(`work order 1 / ${tag}`)));
  await demo.step(clerk, "logs: formal review", vault.logCustody(clerk.address, contractHash, CustodyAction.REVIEW, id(`work order 2 / ${tag}`)));
  await demo.step(judge, "logs: admitted as evidence", vault.connect(judge.signer).logCustody(judge.address, contractHash, CustodyAction.APPROVE, id(`ruling 1 / ${tag}`)));
  await demo.step(judge, "logs: viewed at the hearing", vault.connect(judge.signer).logCustody(judge.address, contractHash, CustodyAction.VIEW, id(`hearing 1 / ${tag}`)));
  await demo.step(plaintiff, "anchors delivery-note.pdf", vault.connect(plaintiff.signer).anchor(caseId, noteHash, EvidenceCategory.OFFICE_DOCUMENT, id(`delivery-note.pdf, ${note.length} bytes`)));
  await demo.step(defendant, "disputes the delivery note (signature not his)", vault.connect(defendant.signer).dispute(defendant.address, noteHash, id(`the signature on P-2 is forged / ${tag}`)));
  await demo.step(clerk, "publishes a checkpoint", vault.checkpoint());

  const bundle = await buildBundle(vault, contractHash);
  const altered = structuredClone(bundle);
  altered.anchor.submitter = defendant.address;
  altered.anchor.submitterDid = bundle.anchor.submitterDid.replace(/0x[0-9a-fA-F]{40}$/, defendant.address);
  altered.anchor.time -= 86_400;
  out.files.set("demo/loan-contract.pdf", contract);
  out.files.set("demo/delivery-note.pdf", note);
  out.files.set("demo/loan-contract.bundle.json", `${JSON.stringify(bundle, null, 2)}\n`);
  out.files.set("demo/loan-contract.altered.bundle.json", `${JSON.stringify(altered, null, 2)}\n`);
  out.facts.evidence = {
    file: "demo/loan-contract.pdf",
    disputedFile: "demo/delivery-note.pdf",
    bundle: "demo/loan-contract.bundle.json",
    alteredBundle: "demo/loan-contract.altered.bundle.json",
  };
  demo.note(`loan-contract.pdf SHA-256 ${contractHash}; bundle written (its altered copy names the defendant as submitter, a day earlier)`);
}

async function billStory(demo: Demo, tag: string, out: SiteData): Promise<void> {
  const authority = await demo.actor("Maritime authority");
  const sea = await demo.actor("Pacific Lines");
  const rail = await demo.actor("Rhine Rail Cargo");
  const road = await demo.actor("Westfalen Trucking");
  const shipper = await demo.actor("Jade Textiles");
  const buyer = await demo.actor("Lumen Retail");
  const bank = await demo.actor("Harbour Credit Bank");
  demo.section("Bill of lading: Ningbo to Düsseldorf by sea, rail and road; endorsed, handed over, pledged");
  await license(demo, authority, [
    [sea, Topics.CARRIER, "CARRIER"],
    [rail, Topics.CARRIER, "CARRIER"],
    [road, Topics.CARRIER, "CARRIER"],
    [bank, Topics.FINANCIER, "FINANCIER"],
  ]);
  const bol = BillOfLading__factory.connect(demo.address("billOfLading"), sea.signer);
  const { chainId } = await demo.connection.ethers.provider.getNetwork();
  const domain = billOfLadingDomain(chainId, await bol.getAddress());
  const deadline = BigInt(await demo.connection.networkHelpers.time.latest()) + DAY;
  const legs = [
    { mode: Mode.Sea, carrier: sea.address, from: locode("CNNGB"), to: locode("DEHAM") },
    { mode: Mode.Rail, carrier: rail.address, from: locode("DEHAM"), to: locode("DEDUI") },
    { mode: Mode.Road, carrier: road.address, from: locode("DEDUI"), to: locode("DEDUS") },
  ];
  const issuance = { documentHash: id(`BL PLNGB-${tag} container TGHU7654321`), shipper: shipper.address, consignee: ZeroAddress, notifyParty: buyer.address, consigneeKind: ConsigneeKind.ToOrder, legs };
  const value = { ...issuance, issuer: sea.address, deadline };
  const signatures = ["0x", await rail.signer.signTypedData(domain, BillOfLadingTypes.Issue, value), await road.signer.signTypedData(domain, BillOfLadingTypes.Issue, value)];
  await demo.step(sea, "issues the bill to order of the shipper (rail, road co-sign)", bol.issue(issuance, deadline, signatures));
  const billId = billIdOf(issuance.documentHash, sea.address, legs);
  const route = { documentHash: issuance.documentHash, issuer: sea.address, legs };
  await demo.step(shipper, "endorses it to the buyer's order", bol.connect(shipper.signer).endorse(billId, buyer.address, ActionCode.EndorseToOrder, 0, "0x"));
  const cargo = id(`TGHU7654321 / seal 4455 / 21,400 kg / ${tag}`);
  const handoverSignature = await rail.signer.signTypedData(domain, BillOfLadingTypes.Handover, { billId, boundary: 0, cargoHash: cargo, deadline });
  await demo.step(sea, "hands over to rail at Hamburg (same cargo data)", bol.handover(billId, route, { boundary: 0, handingCargoHash: cargo, receivingCargoHash: cargo, deadline, handingSignature: "0x", receivingSignature: handoverSignature }));
  const loan = id(`loan HCB-${tag}`);
  const bankSignature = await bank.signer.signTypedData(domain, BillOfLadingTypes.Pledge, { billId, head: await bol.headOf(billId), pledgor: buyer.address, loanReference: loan, deadline });
  await demo.step(buyer, `pledges it to ${bank.name} (the bank signed)`, bol.connect(buyer.signer).pledge(billId, bank.address, loan, deadline, bankSignature));
  const billIdHex = `0x${billId.toString(16).padStart(64, "0")}`;
  out.facts.bill = { id: billIdHex, description: "Ningbo to Düsseldorf by sea, rail and road, pledged to Harbour Credit Bank" };
  demo.note(`bill ${billIdHex}`);
}

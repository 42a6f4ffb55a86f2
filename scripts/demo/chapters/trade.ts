import { ZeroAddress, id } from "ethers";
import { Topics } from "../../../deploy/topics.js";
import { BillOfLading__factory, CredentialRegistry__factory } from "../../../typechain-types/index.js";
import { ActionCode, BillOfLadingTypes, ConsigneeKind, Mode, billIdOf, billOfLadingDomain, locode, readHistory } from "../../../sdk/trade.js";
import { CONSORTIUM, type Chapter } from "../runner.js";

const DAY = 86_400n;
const YEAR = 365n * DAY;

export const trade: Chapter = {
  title: "Electronic bill of lading: one bill, three carriers, endorsed, pledged, surrendered",
  summary:
    "A sea, a rail and a road carrier co-issue one bill for a container from Shanghai to Chengdu via Wuhan and " +
    "Chongqing. The shipper endorses it to the buyer, who pledges it to a bank for a loan and repays; the legs hand " +
    "over with one seal discrepancy recorded; the buyer surrenders it at destination; the history is verified from events.",

  async run(demo) {
    const consortium = await demo.actor(CONSORTIUM);
    const authority = await demo.actor("Port Authority");
    const sea = await demo.actor("Acme Shipping (new key)");
    const rail = await demo.actor("Yangtze Rail");
    const road = await demo.actor("Chengdu Trucking");
    const shipper = await demo.actor("Shipper portal");
    const buyer = await demo.actor("Retail Startup");
    const bank = await demo.actor("Harbor Bank");
    const bol = BillOfLading__factory.connect(demo.address("billOfLading"), consortium.signer);
    const credentials = CredentialRegistry__factory.connect(demo.address("credentialRegistry"), consortium.signer);
    const now = await demo.now();
    const { chainId } = await demo.connection.ethers.provider.getNetwork();
    const domain = billOfLadingDomain(chainId, await bol.getAddress());
    const deadline = now + DAY;

    demo.section("Licences: the port authority licenses carriers and banks");
    for (const [topic, name] of [[Topics.CARRIER, "CARRIER"], [Topics.FINANCIER, "FINANCIER"]] as const) {
      if (!(await credentials.isTrustedIssuer(topic, authority.address))) {
        await demo.step(consortium, `trusts ${authority.name} for ${name}`, credentials.setIssuerTrust(topic, authority.address, true));
      }
    }
    for (const [who, topic] of [[sea, Topics.CARRIER], [rail, Topics.CARRIER], [road, Topics.CARRIER], [bank, Topics.FINANCIER]] as const) {
      await demo.step(authority, `licenses ${who.name}`, credentials.connect(authority.signer).issue(id(`ebl:${who.address}:${topic}:${now}`), authority.address, who.address, topic, now, now + YEAR));
    }

    demo.section("Issuance: one bill, three legs, the three carriers co-sign, one transaction");
    const legs = [
      { mode: Mode.Sea, carrier: sea.address, from: locode("CNSHA"), to: locode("CNWUH") },
      { mode: Mode.Rail, carrier: rail.address, from: locode("CNWUH"), to: locode("CNCKG") },
      { mode: Mode.Road, carrier: road.address, from: locode("CNCKG"), to: locode("CNCTU") },
    ];
    const issuance = {
      documentHash: id(`BL SHA-CTU container MSCU1234567 (demo run ${now})`),
      shipper: shipper.address,
      consignee: ZeroAddress,
      notifyParty: buyer.address,
      consigneeKind: ConsigneeKind.ToOrder,
      legs,
    };
    const value = { ...issuance, issuer: sea.address, deadline };
    const signatures = ["0x", await demo.sign(rail, domain, BillOfLadingTypes.Issue, value), await demo.sign(road, domain, BillOfLadingTypes.Issue, value)];
    await demo.refused(sea, "issues with the road carrier's signature missing", bol.connect(sea.signer).issue(issuance, deadline, [signatures[0], signatures[1], "0x"]));
    await demo.step(sea, "issues the bill to order of the shipper (rail, road co-sign)", bol.connect(sea.signer).issue(issuance, deadline, signatures));
    const billId = billIdOf(issuance.documentHash, sea.address, legs);
    const route = { documentHash: issuance.documentHash, issuer: sea.address, legs };

    demo.section("Title: the shipper endorses to the buyer's order; the buyer pledges it for a loan and repays");
    await demo.refused(buyer, "endorses a bill it does not hold", bol.connect(buyer.signer).endorse(billId, buyer.address, ActionCode.EndorseToOrder, 0, "0x"));
    await demo.step(shipper, "endorses the bill to the buyer's order", bol.connect(shipper.signer).endorse(billId, buyer.address, ActionCode.EndorseToOrder, 0, "0x"));
    const loan = id(`loan HB-2026-0042 (demo run ${now})`);
    const bankSignature = await demo.sign(bank, domain, BillOfLadingTypes.Pledge, { billId, head: await bol.headOf(billId), pledgor: buyer.address, loanReference: loan, deadline });
    await demo.step(buyer, `pledges it to ${bank.name} (the bank signed)`, bol.connect(buyer.signer).pledge(billId, bank.address, loan, deadline, bankSignature));
    await demo.refused(buyer, "surrenders the pledged bill", bol.connect(buyer.signer).surrenderForDelivery(billId));
    await demo.refused(consortium, "governance moves the pledged bill", bol.transferHolder(billId, consortium.address));
    await demo.step(bank, "is repaid and releases the pledge", bol.connect(bank.signer).releasePledge(billId));

    demo.section("Legs: each handover carries both carriers' cargo data; a seal differs at Chongqing");
    const cargo = id("MSCU1234567 / seal 778899 / 18,200 kg");
    const resealed = id("MSCU1234567 / seal 778900 / 18,200 kg");
    const sign = (who: typeof sea, boundary: number, hash: string) => demo.sign(who, domain, BillOfLadingTypes.Handover, { billId, boundary, cargoHash: hash, deadline });
    await demo.step(sea, "hands over to rail at Wuhan (rail signed the same data)", bol.connect(sea.signer).handover(billId, route, { boundary: 0, handingCargoHash: cargo, receivingCargoHash: cargo, deadline, handingSignature: "0x", receivingSignature: await sign(rail, 0, cargo) }));
    await demo.step(rail, "hands over to road at Chongqing: seal discrepancy recorded", bol.connect(rail.signer).handover(billId, route, { boundary: 1, handingCargoHash: cargo, receivingCargoHash: resealed, deadline, handingSignature: "0x", receivingSignature: await sign(road, 1, resealed) }));

    demo.section("Delivery: the buyer surrenders to the road carrier, who accepts; the bill is accomplished");
    await demo.step(buyer, "surrenders the bill for delivery", bol.connect(buyer.signer).surrenderForDelivery(billId));
    await demo.refused(rail, "accepts the surrender (not the last leg's carrier)", bol.connect(rail.signer).acceptSurrender(billId, route));
    await demo.step(road, "accepts: the bill is accomplished", bol.connect(road.signer).acceptSurrender(billId, route));
    await demo.refused(buyer, "endorses the accomplished bill", bol.connect(buyer.signer).endorse(billId, shipper.address, ActionCode.EndorseToOrder, 0, "0x"));

    const history = await readHistory(bol, billId);
    demo.section(`History rebuilt from events: ${history.verified ? "verified against the head the contract keeps" : "NOT verified"}`);
    demo.table(["#", "action", "actor", "party"], history.entries.map((e, i) => [String(i + 1), e.name, demo.nameOf(e.actor), demo.nameOf(e.party)]));
    const bill = await bol.billOf(billId);
    demo.note(`handovers ${bill.handovers}, discrepancy bits ${bill.discrepancies}; title holder ${demo.nameOf(await bol.ownerOf(billId))}`);
    if (!history.verified) throw new Error(history.problems.join("\n"));
  },
};

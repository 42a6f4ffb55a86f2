import { ZeroAddress, id } from "ethers";
import { Topics } from "../../deploy/topics.js";
import { BillOfLading__factory, CredentialRegistry__factory } from "../../typechain-types/index.js";
import {
  ActionCode,
  BillOfLadingTypes,
  ConsigneeKind,
  Mode,
  billIdOf,
  billOfLadingDomain,
  locode,
  type Issuance,
} from "../../sdk/trade.js";
import type { Bench } from "./context.js";

const DAY = 86_400n;

/**
 * Bill-of-lading operations; budgets and TradeTrust token-registry v5 reference figures in bench/budgets.json.
 * Signers 12-19 only, to stay clear of the other modules' benches. Measured warm where it differs: the title holder
 * receiving a bill already holds one (its balance slot is written, as in the reference's warm figures).
 */
export const trade: Bench = {
  module: "Trade",
  async run({ address, connection, measure, signers }) {
    const { networkHelpers } = connection;
    const [admin, , , , issuer] = signers;
    const [operator, sea, rail, road, shipper, buyer, bank, forwarder] = signers.slice(12, 20);
    const bol = BillOfLading__factory.connect(address("billOfLading"), admin);
    const credentials = CredentialRegistry__factory.connect(address("credentialRegistry"), admin);
    for (const topic of [Topics.CARRIER, Topics.FINANCIER]) {
      if (!(await credentials.isTrustedIssuer(topic, issuer.address))) {
        await (await credentials.setIssuerTrust(topic, issuer.address, true)).wait();
      }
    }
    const now = BigInt(await networkHelpers.time.latest());
    const license = async (subject: string, topic: number) =>
      (await credentials.connect(issuer).issue(id(`bench:trade:${subject}:${topic}`), issuer.address, subject, topic, now, now + 3650n * DAY)).wait();
    for (const carrier of [operator, sea, rail, road]) await license(carrier.address, Topics.CARRIER);
    await license(bank.address, Topics.FINANCIER);

    const { chainId } = await connection.ethers.provider.getNetwork();
    const domain = billOfLadingDomain(chainId, await bol.getAddress());
    const legs = [
      { mode: Mode.Sea, carrier: sea.address, from: locode("CNSHA"), to: locode("CNWUH") },
      { mode: Mode.Rail, carrier: rail.address, from: locode("CNWUH"), to: locode("CNCKG") },
      { mode: Mode.Road, carrier: road.address, from: locode("CNCKG"), to: locode("CNCTU") },
    ];
    const deadline = now + 3650n * DAY;
    // The three leg carriers co-issue: the sea carrier sends, rail and road sign (ebl.issue). A multimodal operator
    // that carries no leg needs all three signatures (ebl.issue.operator).
    const issueBill = async (n: number, by = sea, kind: number = ConsigneeKind.ToOrder) => {
      const issuance: Issuance = {
        documentHash: id(`bench:trade:bill:${n}`),
        shipper: shipper.address,
        consignee: ZeroAddress,
        notifyParty: buyer.address,
        consigneeKind: kind,
        legs,
      };
      const value = { ...issuance, issuer: by.address, deadline };
      const signatures = await Promise.all(
        [sea, rail, road].map((c) => (c.address === by.address ? "0x" : c.signTypedData(domain, BillOfLadingTypes.Issue, value))),
      );
      return { tx: bol.connect(by).issue(issuance, deadline, signatures), billId: billIdOf(issuance.documentHash, by.address, legs) };
    };
    const first = await issueBill(1);
    await (await first.tx).wait();
    const second = await issueBill(2);
    await measure("ebl.issue", second.tx);
    await measure("ebl.issue.operator", (await issueBill(4, operator)).tx);
    const billA = first.billId;
    const billB = second.billId;

    // Possession to the forwarder (title stays with the shipper) and back.
    await measure("ebl.transferHolder", bol.connect(shipper).transferHolder(billA, forwarder.address));
    // The forwarder, holding, endorses to the buyer's order with the shipper's (beneficiary's) signature.
    const head = await bol.headOf(billA);
    const consent = await shipper.signTypedData(domain, BillOfLadingTypes.Endorse, {
      billId: billA,
      head,
      endorsee: buyer.address,
      code: ActionCode.EndorseToOrder,
      deadline,
    });
    // The buyer already holds a title (bill B endorsed to it first), the shipper keeps one: both balances are warm.
    await (await bol.connect(shipper).endorse(billB, buyer.address, ActionCode.EndorseToOrder, 0, "0x")).wait();
    await (await issueBill(3)).tx.then((t) => t.wait());
    await measure("ebl.endorse", bol.connect(forwarder).endorse(billA, buyer.address, ActionCode.EndorseToOrder, deadline, consent));

    // Pledge to the bank (bank signs), release.
    const loan = id("bench:trade:loan");
    const pledgeSig = await bank.signTypedData(domain, BillOfLadingTypes.Pledge, {
      billId: billA,
      head: await bol.headOf(billA),
      pledgor: buyer.address,
      loanReference: loan,
      deadline,
    });
    await measure("ebl.pledge", bol.connect(buyer).pledge(billA, bank.address, loan, deadline, pledgeSig));
    await measure("ebl.release", bol.connect(bank).releasePledge(billA));

    // Handover sea -> rail, relayed by the forwarder with both carriers' signatures.
    const route = { documentHash: id("bench:trade:bill:1"), issuer: sea.address, legs };
    const cargo = id("bench:trade:cargo:MSCU1234567:seal-778899:18200kg");
    const [seaSig, railSig] = await Promise.all(
      [sea, rail].map((c) => c.signTypedData(domain, BillOfLadingTypes.Handover, { billId: billA, boundary: 0, cargoHash: cargo, deadline })),
    );
    await measure(
      "ebl.handover",
      bol.connect(forwarder).handover(billA, route, {
        boundary: 0,
        handingCargoHash: cargo,
        receivingCargoHash: cargo,
        deadline,
        handingSignature: seaSig,
        receivingSignature: railSig,
      }),
    );

    // Surrender for delivery to the road carrier, accepted.
    await measure("ebl.surrender", bol.connect(buyer).surrenderForDelivery(billA));
    await measure("ebl.acceptSurrender", bol.connect(road).acceptSurrender(billA, route));
  },
};

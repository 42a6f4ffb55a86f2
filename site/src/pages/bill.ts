import { AbiCoder, ZeroAddress, keccak256, toBeHex } from "ethers";
import { ActionCode, BillStatus, ConsigneeKind, Mode, actionHash, billIdOf, locodeOf, readHistory, type Leg } from "../../../sdk/trade.js";
import type { Chain } from "../chain.js";
import { badge, banner, facts, h, hash, show, table, when } from "../dom.js";
import { verdictsFromHead } from "../links.js";
import { navigate } from "../router.js";

const nameIn = (table: Record<string, number>, value: number) => Object.entries(table).find(([, v]) => v === value)?.[0] ?? `#${value}`;
const STATUS_TEXT: Record<string, string> = {
  Active: "Active",
  Pledged: "Pledged",
  SurrenderedForDelivery: "Surrendered for delivery",
  SurrenderedForAmendment: "Surrendered for amendment",
  Accomplished: "Accomplished (delivered)",
  Replaced: "Replaced by amended bills",
};

export function billPage(params: URLSearchParams, container: HTMLElement, chain: () => Promise<Chain>, onFailure: (error: unknown, where?: Element) => void): void {
  const id = params.get("id") ?? "";
  const input = h("input", { type: "text", name: "bill", value: id, placeholder: "bill id (0x… or decimal)", required: true, "aria-label": "Bill id" });
  const result = h("section", { class: "result", "aria-live": "polite" });
  show(
    container,
    h("h1", {}, "Check a bill of lading"),
    h("p", { class: "lead" }, "Legs, parties, pledge and the whole transfer history of an electronic bill of lading, each action checked against the head the BillOfLading contract keeps."),
    h(
      "form",
      { class: "query", onsubmit: (event: Event) => (event.preventDefault(), navigate("bill", { id: input.value.trim() })) },
      h("label", {}, "Bill id", input),
      h("div", { class: "actions" }, h("button", { type: "submit" }, "Check")),
    ),
    result,
  );
  if (id === "") return;
  let billId: bigint;
  try {
    billId = BigInt(id);
    if (billId < 0n || billId >= 1n << 256n) throw new Error("out of range");
  } catch {
    show(result, banner("notfound", "Not a bill id", `"${id}" is not a number: a bill id is the 32-byte hash the carrier gives (0x…) or its decimal form.`));
    return;
  }
  show(result, h("p", { class: "loading" }, "Reading the chain…"));
  renderBill(billId, result, chain).catch(onFailure);
}

async function renderBill(billId: bigint, result: HTMLElement, chain: () => Promise<Chain>): Promise<void> {
  const c = await chain();
  const bol = c.billOfLading();
  const bill = await bol.billOf(billId);
  const idText = toBeHex(billId, 32);
  if (Number(bill.status) === BillStatus.None) {
    show(result, banner("notfound", "Not found", `No bill with id ${idText} was issued on chain ${c.chainId}.`));
    return;
  }
  const [issued] = await bol.queryFilter(bol.filters.BillIssued(billId), c.fromBlock);
  const history = await readHistory(bol, billId, c.fromBlock);
  const handovers = await bol.queryFilter(bol.filters.CargoHandedOver(billId), c.fromBlock);
  const discrepancies = await bol.queryFilter(bol.filters.CargoDiscrepancy(billId), c.fromBlock);
  const times = new Map<number, number>();
  for (const entry of history.entries) {
    if (!times.has(entry.blockNumber)) times.set(entry.blockNumber, Number((await c.provider.getBlock(entry.blockNumber))?.timestamp ?? 0));
  }
  const links = verdictsFromHead(history.entries, history.head, (entry) => actionHash(billId, entry.previous, entry), (entry) => entry.previous);
  const status = nameIn(BillStatus, Number(bill.status));
  const title = Number(bill.status) === BillStatus.Replaced ? ZeroAddress : await bol.ownerOf(billId);

  // What the issue record says, checked: the legs and document against the bill id, the parties against the
  // Issue action's hash in the verified history.
  const legs: Leg[] = issued === undefined ? [] : issued.args.legs.map((leg) => ({ mode: Number(leg.mode), carrier: leg.carrier, from: leg.from, to: leg.to }));
  const routeOk = issued !== undefined && billIdOf(issued.args.documentHash, issued.args.issuer, legs) === billId;
  const issue = history.entries.find((entry) => entry.code === ActionCode.Issue);
  const partiesOk =
    issued !== undefined &&
    issue !== undefined &&
    keccak256(AbiCoder.defaultAbiCoder().encode(["address", "address", "address", "uint8"], [issued.args.shipper, issued.args.consignee, issued.args.notifyParty, issued.args.consigneeKind])) === issue.data;

  const pledgeCodes = new Set<number>([ActionCode.Pledge, ActionCode.PledgeReleased, ActionCode.PledgeEnforced]);
  const pledges = history.entries.filter((entry) => pledgeCodes.has(entry.code));
  const lastPledge = pledges.at(-1);
  const pledge =
    lastPledge === undefined
      ? "never pledged"
      : lastPledge.code === ActionCode.Pledge
        ? `pledged to ${c.label(lastPledge.party)} by ${c.label(lastPledge.actor)} (loan reference ${lastPledge.data.slice(0, 10)}…)`
        : lastPledge.code === ActionCode.PledgeReleased
          ? `pledge released by ${c.label(lastPledge.actor)}: the loan was repaid`
          : `pledge enforced by ${c.label(lastPledge.actor)}: the bank took the title`;

  const verdicts: HTMLElement[] = [];
  const broken = [!history.verified && "history", !routeOk && "legs", !partiesOk && "parties"].filter(Boolean) as string[];
  if (broken.length > 0) {
    verdicts.push(
      banner(
        "tampered",
        `Tampered: what the node returned does not match the chain (${broken.join(", ")})`,
        ...history.problems.map((problem) => h("p", {}, problem)),
        routeOk ? null : h("p", {}, "The legs, document hash and issuer of the issue record do not hash to this bill's id."),
        partiesOk ? null : h("p", {}, "The parties of the issue record are not those its Issue action committed to."),
      ),
    );
  } else {
    verdicts.push(banner("verified", `Verified: ${history.entries.length} actions, legs and parties match the chain`, `Status: ${STATUS_TEXT[status] ?? status}.`));
  }
  if (Number(bill.status) === BillStatus.Pledged) verdicts.push(banner("warning", `Pledged: ${pledge}`, "Only the bank can act on the bill until it releases the pledge or enforces it."));

  const handoverAt = (boundary: number) => {
    const done = handovers.find((log) => Number(log.args.boundary) === boundary);
    if (done === undefined) return boundary < legs.length - 1 ? "not yet" : "—";
    return discrepancies.some((log) => Number(log.args.boundary) === boundary)
      ? badge("warning", "handed over with a cargo discrepancy")
      : badge("verified", "handed over, both carriers' cargo data match");
  };
  const party = (address: string) => (address === ZeroAddress ? "—" : [c.label(address), " ", h("code", { class: "did" }, c.did(address))]);
  show(
    result,
    ...verdicts,
    facts([
      ["Bill id", h("code", { class: "hash full" }, idText)],
      ["Status", STATUS_TEXT[status] ?? status],
      ["Pledge", pledge],
      ["Issued", `${when(bill.issuedAt)} by ${issued === undefined ? "?" : c.label(issued.args.issuer)}`],
      ["Document hash", issued === undefined ? "?" : hash(issued.args.documentHash)],
      ["Negotiable", bill.negotiable ? (bill.bearer ? "yes, bearer (blank endorsed)" : "yes, to order") : "no (straight)"],
    ]),
    h("h2", {}, "Legs"),
    h("p", {}, routeOk ? badge("verified", "legs, document and issuer hash to this bill's id") : badge("tampered", "the legs do not hash to this bill's id")),
    table(
      ["#", "mode", "carrier", "from", "to", "handover to the next leg"],
      legs.map((leg, i) => [String(i + 1), nameIn(Mode, leg.mode), c.label(leg.carrier), locodeOf(leg.from), locodeOf(leg.to), handoverAt(i)]),
      "legs",
    ),
    h("h2", {}, "Parties"),
    h("p", {}, partiesOk ? badge("verified", "parties match the issue record in the history") : badge("tampered", "parties differ from the issue record")),
    facts([
      ["Issuing carrier", issued === undefined ? "?" : party(issued.args.issuer)],
      ["Shipper", issued === undefined ? "?" : party(issued.args.shipper)],
      ["Consignee", issued === undefined ? "?" : issued.args.consignee === ZeroAddress ? `to order (${nameIn(ConsigneeKind, Number(issued.args.consigneeKind))})` : party(issued.args.consignee)],
      ["Notify party", issued === undefined ? "?" : party(issued.args.notifyParty)],
      ["Holder (possession)", party(bill.holder)],
      ["Title (beneficiary)", party(title)],
    ]),
    h("h2", {}, "History"),
    h("p", {}, history.verified ? badge("verified", `${history.entries.length} actions, each linked to the one before, ending at the head on chain`) : badge("tampered", "the history does not link up to the head on chain")),
    table(
      ["#", "time", "action (DCSA)", "by", "party", ""],
      history.entries.map((entry, i) => {
        const verdict = {
          verified: badge("verified", "verified"),
          tampered: badge("tampered", "does not match the chain"),
          unverifiable: badge("warning", "cannot be checked: the chain is broken after it"),
        }[links[i]];
        return [String(i + 1), when(times.get(entry.blockNumber) ?? 0), entry.name, c.label(entry.actor), entry.party === ZeroAddress ? "—" : c.label(entry.party), verdict];
      }),
      "history",
    ),
  );
}

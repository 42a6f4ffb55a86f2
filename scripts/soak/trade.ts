import { AbiCoder, ZeroAddress, ZeroHash, getAddress, id, keccak256 } from "ethers";
import { Topics } from "../../deploy/topics.js";
import { BillOfLading__factory } from "../../typechain-types/index.js";
import { ActionCode, BillStatus, ConsigneeKind, Mode, actionHash, billIdOf, locode, type Action, type Leg } from "../../sdk/trade.js";
import { compare, inParallel, n, type Account, type Workload } from "./context.js";
import { license } from "./identity.js";

const coder = AbiCoder.defaultAbiCoder();
const NEGOTIABLE = 1n; // BillOfLading's flag bit

interface Bill {
  id: bigint;
  issuer: Account;
  documentHash: string;
  legs: Leg[];
  holder: Account;
  beneficiary: Account;
  status: number;
  /** The head the model computes from the actions it sent: what the contract must hold. */
  head: string;
  actions: number;
}

/**
 * Electronic bills of lading, one leg each (the issuing carrier carries it, so nobody co-signs): a carrier issues a
 * bill to order of itself as shipper, holders endorse it to other senders, the last one surrenders it for
 * delivery and the carrier accepts: accomplished. An accomplished bill's holder trying to endorse it is refused.
 * Bills move between senders: the receiver's model learns of a bill only once the transfer's receipt is in.
 */
export function tradeWorkload(): Workload {
  const bol = BillOfLading__factory.createInterface();
  const bills: Bill[] = [];
  /** Bills a sender holds with their title, Active and not promised to an operation already built. */
  const held = new Map<string, Bill[]>();
  /** Bills surrendered to a sender (their carrier) for delivery. */
  const toAccept = new Map<string, Bill[]>();
  /** Accomplished bills by their last holder. */
  const accomplished = new Map<string, Bill[]>();
  const push = (map: Map<string, Bill[]>, account: Account, bill: Bill) => map.set(account.address, [...(map.get(account.address) ?? []), bill]);
  const take = (map: Map<string, Bill[]>, account: Account, index: number) => (map.get(account.address) ?? []).splice(index, 1)[0];
  const record = (bill: Bill, action: Action) => {
    bill.head = actionHash(bill.id, bill.head, action);
    bill.actions += 1;
  };
  let serial = 0;

  return {
    module: "trade",
    weight: 1.2,
    async setup(context) {
      await license(context, Topics.CARRIER, context.senders);
    },
    next(context, sender, rng) {
      const to = context.address("billOfLading");
      const done = accomplished.get(sender.address) ?? [];
      if (done.length > 0 && rng.chance(0.1)) {
        const bill = rng.pick(done);
        const endorsee = rng.pick(context.senders.filter((s) => s !== sender));
        return {
          module: "trade",
          what: "endorse an accomplished bill",
          to,
          data: bol.encodeFunctionData("endorse", [bill.id, endorsee.address, ActionCode.EndorseToOrder, 0, "0x"]),
          expect: "BillWrongStatus",
        };
      }
      const waiting = toAccept.get(sender.address) ?? [];
      if (waiting.length > 0 && rng.chance(0.7)) {
        const bill = take(toAccept, sender, 0);
        return {
          module: "trade",
          what: "accept a surrender: the bill is accomplished",
          to,
          data: bol.encodeFunctionData("acceptSurrender", [bill.id, { documentHash: bill.documentHash, issuer: bill.issuer.address, legs: bill.legs }]),
          apply: () => {
            bill.status = BillStatus.Accomplished;
            record(bill, { code: ActionCode.SurrenderAccepted, actor: sender.address, party: bill.holder.address, data: ZeroHash });
            push(accomplished, bill.holder, bill);
          },
        };
      }
      const own = held.get(sender.address) ?? [];
      if (own.length > 0 && rng.chance(0.6)) {
        const bill = take(held, sender, rng.int(own.length));
        if (rng.chance(0.35)) {
          return {
            module: "trade",
            what: "surrender a bill for delivery",
            to,
            data: bol.encodeFunctionData("surrenderForDelivery", [bill.id]),
            apply: () => {
              bill.status = BillStatus.SurrenderedForDelivery;
              record(bill, { code: ActionCode.SurrenderForDelivery, actor: sender.address, party: ZeroAddress, data: ZeroHash });
              push(toAccept, bill.issuer, bill);
            },
          };
        }
        const endorsee = rng.pick(context.senders.filter((s) => s !== sender));
        return {
          module: "trade",
          what: `endorse a bill to ${endorsee.name}`,
          to,
          data: bol.encodeFunctionData("endorse", [bill.id, endorsee.address, ActionCode.EndorseToOrder, 0, "0x"]),
          apply: () => {
            // data: the beneficiary before (bits 0-159) and the flags before, pending bit cleared (bits 160+).
            const data = `0x${((NEGOTIABLE << 160n) | BigInt(bill.beneficiary.address)).toString(16).padStart(64, "0")}`;
            record(bill, { code: ActionCode.EndorseToOrder, actor: sender.address, party: endorsee.address, data });
            bill.holder = endorsee;
            bill.beneficiary = endorsee;
            push(held, endorsee, bill);
          },
        };
      }
      const documentHash = id(`${context.runId}:bill:${++serial}`);
      const legs: Leg[] = [{ mode: Mode.Sea, carrier: sender.address, from: locode("CNSHA"), to: locode("NLRTM") }];
      const issuance = {
        documentHash,
        shipper: sender.address,
        consignee: ZeroAddress,
        notifyParty: ZeroAddress,
        consigneeKind: ConsigneeKind.ToOrder,
        legs,
      };
      return {
        module: "trade",
        what: `issue bill ${documentHash.slice(0, 10)}…`,
        to,
        data: bol.encodeFunctionData("issue", [issuance, context.now + 86_400, ["0x"]]),
        apply: () => {
          const bill: Bill = {
            id: billIdOf(documentHash, sender.address, legs),
            issuer: sender,
            documentHash,
            legs,
            holder: sender,
            beneficiary: sender,
            status: BillStatus.Active,
            head: ZeroHash,
            actions: 0,
          };
          const parties = keccak256(
            coder.encode(["address", "address", "address", "uint8"], [sender.address, ZeroAddress, ZeroAddress, ConsigneeKind.ToOrder]),
          );
          record(bill, { code: ActionCode.Issue, actor: sender.address, party: sender.address, data: parties });
          bills.push(bill);
          push(held, sender, bill);
        },
      };
    },
    async verify(context, { fromBlock, toBlock }) {
      const registry = BillOfLading__factory.connect(context.address("billOfLading"), context.connection.ethers.provider);
      const mismatches: string[] = [];
      await inParallel(bills, 16, async (bill) => {
        const label = `bill ${bill.documentHash.slice(0, 10)}…`;
        const view = await registry.billOf(bill.id);
        compare(mismatches, `${label} holder`, getAddress(view.holder), bill.holder.address);
        compare(mismatches, `${label} beneficiary`, getAddress(view.beneficiary), bill.beneficiary.address);
        compare(mismatches, `${label} status`, Number(view.status), bill.status);
        compare(mismatches, `${label} head`, view.head, bill.head);
      });
      for (const sender of context.senders) {
        const titles = bills.filter((bill) => bill.beneficiary === sender).length;
        compare(mismatches, `bills titled to ${sender.name}`, Number(await registry.balanceOf(sender.address)), titles);
      }
      const ids = new Set(bills.map((bill) => bill.id));
      const actions = (await registry.queryFilter(registry.filters.BillAction(), fromBlock, toBlock)).filter((log) => ids.has(log.args.billId));
      const modelActions = bills.reduce((sum, bill) => sum + bill.actions, 0);
      compare(mismatches, "BillAction events", actions.length, modelActions);
      const done = bills.filter((bill) => bill.status === BillStatus.Accomplished).length;
      return { checked: `${n(bills.length)} bills, ${n(modelActions)} actions, ${n(done)} accomplished, heads against the model's`, mismatches };
    },
  };
}

import { AbiCoder, TypedDataEncoder, hexlify, keccak256, toUtf8Bytes, toUtf8String, type TypedDataDomain, type TypedDataField } from "ethers";
import type { BillOfLading } from "../typechain-types/index.js";

/**
 * Electronic bills of lading: EIP-712 types of every signature BillOfLading takes, the bill id and action hashes
 * as the contract computes them, and a history reader that rebuilds a bill's transfer chain from events and checks
 * it against the head the contract keeps.
 */

const field = (name: string, type: string): TypedDataField => ({ name, type });
const LegFields = [field("mode", "uint8"), field("carrier", "address"), field("from", "bytes5"), field("to", "bytes5")];

/** BillOfLading: domain name "trustbase BillOfLading", version "1". */
export const BillOfLadingTypes = {
  /** Signed by every carrier of the legs (but the issuer's own): the same message for all. */
  Issue: {
    Issue: [
      field("documentHash", "bytes32"),
      field("issuer", "address"),
      field("shipper", "address"),
      field("consignee", "address"),
      field("notifyParty", "address"),
      field("consigneeKind", "uint8"),
      field("legs", "Leg[]"),
      field("deadline", "uint256"),
    ],
    Leg: LegFields,
  },
  /** The beneficiary's consent to an endorsement by the holder; `head` is the bill's current head (one use). */
  Endorse: {
    Endorse: [
      field("billId", "uint256"),
      field("head", "bytes32"),
      field("endorsee", "address"),
      field("code", "uint8"),
      field("deadline", "uint256"),
    ],
  },
  /** The bank's acceptance of a pledge; `head` is the bill's current head (one use). */
  Pledge: {
    Pledge: [
      field("billId", "uint256"),
      field("head", "bytes32"),
      field("pledgor", "address"),
      field("loanReference", "bytes32"),
      field("deadline", "uint256"),
    ],
  },
  /** Each carrier of a handover signs its own cargo data hash; a boundary is recorded once. */
  Handover: {
    Handover: [field("billId", "uint256"), field("boundary", "uint8"), field("cargoHash", "bytes32"), field("deadline", "uint256")],
  },
} satisfies Record<string, Record<string, TypedDataField[]>>;

/** IBillOfLading.Mode */
export const Mode = { Sea: 0, Rail: 1, Road: 2, Air: 3 } as const;
/** IBillOfLading.ConsigneeKind */
export const ConsigneeKind = { Named: 0, ToOrder: 1, Blank: 2 } as const;
/** IBillOfLading.Status */
export const BillStatus = {
  None: 0,
  Active: 1,
  Pledged: 2,
  SurrenderedForDelivery: 3,
  SurrenderedForAmendment: 4,
  Accomplished: 5,
  Replaced: 6,
} as const;
/** IBillOfLading.ActionCode, with the DCSA eBL 3.0 / PINT names where DCSA has one. */
export const ActionCode = {
  None: 0,
  Issue: 1,
  Transfer: 2,
  Endorse: 3,
  EndorseToOrder: 4,
  BlankEndorse: 5,
  TransferRejected: 6,
  Sign: 7,
  Pledge: 8,
  PledgeReleased: 9,
  PledgeEnforced: 10,
  SurrenderForDelivery: 11,
  SurrenderForAmendment: 12,
  SurrenderAccepted: 13,
  SurrenderRejected: 14,
} as const;
export const DcsaName: Record<number, string> = {
  1: "ISSUE",
  2: "TRANSFER",
  3: "ENDORSE",
  4: "ENDORSE_TO_ORDER",
  5: "BLANK_ENDORSE",
  6: "TRANSFER_REJECTED",
  7: "SIGN",
  8: "PLEDGE",
  9: "PLEDGE_RELEASED",
  10: "PLEDGE_ENFORCED",
  11: "SURRENDER_FOR_DELIVERY",
  12: "SURRENDER_FOR_AMENDMENT",
  13: "SACC",
  14: "SREJ",
};

export interface Leg {
  mode: number;
  carrier: string;
  /** UN/LOCODE, 5 letters, as bytes5 hex (see {@link locode}). */
  from: string;
  to: string;
}

export interface Issuance {
  documentHash: string;
  shipper: string;
  consignee: string;
  notifyParty: string;
  consigneeKind: number;
  legs: Leg[];
}

export interface Action {
  code: number;
  actor: string;
  party: string;
  data: string;
}

/** A UN/LOCODE ("CNSHA") as the contract's bytes5. */
export function locode(code: string): string {
  if (!/^[A-Z]{2}[A-Z0-9]{3}$/.test(code)) throw new Error(`not a UN/LOCODE: ${code}`);
  return hexlify(toUtf8Bytes(code));
}

/** The UN/LOCODE a bytes5 holds. */
export function locodeOf(bytes5: string): string {
  return toUtf8String(bytes5);
}

/** The EIP-712 domain of a BillOfLading at `verifyingContract` on `chainId`. */
export function billOfLadingDomain(chainId: bigint | number, verifyingContract: string): TypedDataDomain {
  return { name: "trustbase BillOfLading", version: "1", chainId, verifyingContract };
}

const coder = AbiCoder.defaultAbiCoder();

/** EIP-712 hash of `Leg[]`, as the contract computes it. */
export function legsHash(legs: Leg[]): string {
  const hashes = legs.map((leg) => TypedDataEncoder.from({ Leg: LegFields }).hash(leg));
  return keccak256(`0x${hashes.map((h) => h.slice(2)).join("")}`);
}

/** The id of the bill with this document, issuer and legs (`billIdOf`). */
export function billIdOf(documentHash: string, issuer: string, legs: Leg[]): bigint {
  return BigInt(keccak256(coder.encode(["bytes32", "address", "bytes32"], [documentHash, issuer, legsHash(legs)])));
}

/** The head after `action` on top of `previous` (`actionHash`). */
export function actionHash(billId: bigint, previous: string, action: Action): string {
  return keccak256(
    coder.encode(
      ["bytes32", "uint256", "uint8", "address", "address", "bytes32"],
      [previous, billId, action.code, action.actor, action.party, action.data],
    ),
  );
}

/** One entry of a bill's transfer chain, rebuilt from its `BillAction` event. */
export interface HistoryEntry extends Action {
  name: string;
  previous: string;
  /** The head after this action. */
  hash: string;
  blockNumber: number;
  logIndex: number;
  transactionHash: string;
}

export interface History {
  billId: bigint;
  entries: HistoryEntry[];
  /** The head recomputed from the events. */
  computedHead: string;
  /** The head the contract keeps. */
  head: string;
  /** Problems: a link that does not follow (`previous` of an entry is not the hash of the one before) or a head mismatch. */
  problems: string[];
  /** true when the chain links up and ends at the contract's head. */
  verified: boolean;
}

/** Recomputes a chain of entries (as read from events, or as someone presents them) and lists what does not hold. */
export function verifyChain(billId: bigint, entries: Omit<HistoryEntry, "hash">[], head: string): History {
  const problems: string[] = [];
  const out: HistoryEntry[] = [];
  let current = entries.length > 0 ? entries[0].previous : head;
  for (const [i, entry] of entries.entries()) {
    if (entry.previous !== current) {
      problems.push(`entry ${i} (${entry.name}) says the previous head was ${entry.previous}, the chain gives ${current}`);
    }
    current = actionHash(billId, current, entry);
    out.push({ ...entry, hash: current });
  }
  if (current !== head) problems.push(`the recomputed head ${current} is not the contract's head ${head}`);
  return { billId, entries: out, computedHead: current, head, problems, verified: problems.length === 0 };
}

/**
 * Reads bill `billId`'s `BillAction` events in chain order and verifies them against `headOf(billId)`. The first
 * entry's `previous` is zero for a bill issued afresh, or the head of the bill it replaces (amendment, split, switch).
 */
export async function readHistory(registry: BillOfLading, billId: bigint, fromBlock = 0): Promise<History> {
  const logs = await registry.queryFilter(registry.filters.BillAction(billId), fromBlock);
  logs.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  const entries = logs.map((log) => ({
    code: Number(log.args.code),
    name: DcsaName[Number(log.args.code)] ?? `code ${log.args.code}`,
    actor: log.args.actor,
    party: log.args.party,
    data: log.args.data,
    previous: log.args.previous,
    blockNumber: log.blockNumber,
    logIndex: log.index,
    transactionHash: log.transactionHash,
  }));
  return verifyChain(billId, entries, await registry.headOf(billId));
}

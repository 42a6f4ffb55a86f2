import { AbiCoder, keccak256, toUtf8Bytes, type Log } from "ethers";
import { batchProof, batchTree, verifyBatchProof, type BatchTree } from "./merkle.js";

/**
 * Helpers for the TraceRegistry: event kinds, canonical event hashes, sensor-reading trees and the history
 * reader that rebuilds a batch's trace from its logs and verifies its hash chain against the stored head.
 */

/** `ITraceRegistry.EventKind`. */
export const EventKind = {
  Object: 0,
  Association: 1,
  Transaction: 2,
  Transformation: 3,
  Aggregation: 4,
  Correction: 5,
  Recall: 6,
  Breach: 7,
} as const;
export type EventKindName = keyof typeof EventKind;
export const EventKindNames = Object.keys(EventKind) as EventKindName[];

/** `ITraceRegistry.Status`. */
export const TraceStatus = ["Unknown", "Active", "Consumed", "Recalled"] as const;

/** `ITraceRegistry.Party`. */
export const Party = { None: 0, Owner: 1, Custodian: 2 } as const;

/**
 * Disposition ids for the CBV 2.0 dispositions the profiles use (the `disposition` byte of an event). Association
 * and aggregation events use 1 (add) and 2 (delete) there instead.
 */
export const Disposition = {
  active: 1,
  in_progress: 2,
  in_transit: 3,
  in_transit_cold_chain: 4,
  sellable_accessible: 5,
  damaged: 6,
  recalled: 7,
  destroyed: 8,
  completeness_verified: 9,
  needs_replacement: 10,
} as const;

/** RFC 8785-style canonical JSON: object keys sorted, no whitespace; what {@link eventHashOf} hashes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new Error("canonicalJson: non-finite number");
    if (typeof value === "bigint") return JSON.stringify(value.toString());
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/**
 * The hash an event's `eventHash` commits to: keccak256 of the full off-chain EPCIS 2.0 event (JSON-LD) in canonical
 * JSON. Anyone holding the document recomputes it; a changed field changes the hash.
 */
export function eventHashOf(epcisEvent: Record<string, unknown>): string {
  return keccak256(toUtf8Bytes(canonicalJson(epcisEvent)));
}

/** The hash of a read point, business location or device: keccak256 of its identifier (GLN URI, URN ...). */
export function locationHashOf(identifier: string): string {
  return keccak256(toUtf8Bytes(identifier));
}

/**
 * One sensor reading (EPCIS 2.0 sensorElement / sensorReport): which device, when (seconds), what
 * (`gs1:Temperature`, `gs1:RelativeHumidity`, a soil-data type), the value in thousandths of `unit`.
 */
export interface SensorReading {
  device: string;
  time: number;
  type: string;
  /** Value × 1000, an integer (21.5 °C is 21500). */
  milliValue: bigint | number;
  unit: string;
}

const coder = AbiCoder.defaultAbiCoder();

/** The leaf item of a reading: keccak256 of its ABI encoding (string device, uint64 time, string type, int256 milliValue, string unit). */
export function readingItem(reading: SensorReading): string {
  return keccak256(
    coder.encode(
      ["string", "uint64", "string", "int256", "string"],
      [reading.device, reading.time, reading.type, BigInt(reading.milliValue), reading.unit],
    ),
  );
}

/** The Merkle tree of a set of readings (standard tree of their items, `sdk/merkle.ts`); its root goes on chain. */
export function sensorTree(readings: readonly SensorReading[]): { tree: BatchTree; root: string; items: string[] } {
  const items = readings.map(readingItem);
  const tree = batchTree(items);
  return { tree, root: tree.root, items };
}

/** The proof of `reading` in `tree`, for `verifyReading(batchId, eventIndex, readingItem(reading), proof)`. */
export function readingProof(tree: BatchTree, reading: SensorReading): string[] {
  return batchProof(tree, readingItem(reading));
}

/** Off-chain check of a reading against a sensor root. */
export function verifyReadingOffChain(root: string, reading: SensorReading, proof: readonly string[]): boolean {
  return verifyBatchProof(root, readingItem(reading), proof);
}

/** One chained event of a batch, as its `TraceEventRecorded` log carries it. */
export interface TraceEvent {
  batchId: string;
  index: number;
  actor: string;
  kind: EventKindName;
  step: number;
  disposition: number;
  readPoint: string;
  bizLocation: string;
  eventHash: string;
  sensorRoot: string;
  previous: string;
  time: number;
  /** Where the log is, when read from a chain. */
  blockNumber?: number;
  transactionHash?: string;
}

/** The link a chained event makes (`ITraceRegistry.linkOf`): keccak256 of the ABI encoding of its log's fields, in order. */
export function linkOf(event: TraceEvent): string {
  return keccak256(
    coder.encode(
      ["bytes32", "address", "uint256", "uint8", "uint8", "uint8", "bytes32", "bytes32", "bytes32", "bytes32", "bytes32", "uint64"],
      [
        event.batchId,
        event.actor,
        event.index,
        EventKind[event.kind],
        event.step,
        event.disposition,
        event.readPoint,
        event.bizLocation,
        event.eventHash,
        event.sensorRoot,
        event.previous,
        event.time,
      ],
    ),
  );
}

/** What {@link verifyChain} finds. */
export interface ChainVerdict {
  /** Every event links to the one before it, indices run 0..n-1, and the last link equals the head. */
  valid: boolean;
  /** The head recomputed from the events. */
  computedHead: string;
  /** The first index at which the chain breaks (a missing, reordered or altered event), if any. */
  brokenAt?: number;
  reason?: string;
}

const ZERO = `0x${"00".repeat(32)}`;

/** Recomputes the hash chain of one batch's events (in index order) and compares it with `head`. */
export function verifyChain(events: readonly TraceEvent[], head: string): ChainVerdict {
  let current = ZERO;
  for (const [position, event] of events.entries()) {
    if (event.index !== position) {
      return { valid: false, computedHead: current, brokenAt: position, reason: `event ${position} is missing` };
    }
    if (event.previous.toLowerCase() !== current.toLowerCase()) {
      return { valid: false, computedHead: current, brokenAt: position, reason: `event ${position} does not follow event ${position - 1}` };
    }
    current = linkOf(event);
  }
  if (current.toLowerCase() !== head.toLowerCase()) {
    return {
      valid: false,
      computedHead: current,
      brokenAt: events.length === 0 ? 0 : events.length - 1,
      reason: "the recomputed head differs from the head on chain (an event is altered or missing)",
    };
  }
  return { valid: true, computedHead: current };
}

/** The minimum of a TraceRegistry contract the reader needs (a typechain `TraceRegistry` fits). */
export interface TraceRegistryReader {
  filters: { TraceEventRecorded(batchId?: string): unknown };
  queryFilter(filter: never, fromBlock?: number, toBlock?: number | string): Promise<Array<Log | { args: unknown }>>;
  headOf(batchId: string): Promise<string>;
}

/** Decodes a `TraceEventRecorded` log (ethers `EventLog`) into a {@link TraceEvent}. */
export function traceEventOf(log: { args: unknown; blockNumber?: number; transactionHash?: string }): TraceEvent {
  const a = log.args as unknown as {
    batchId: string;
    index: bigint;
    actor: string;
    kind: bigint;
    step: bigint;
    disposition: bigint;
    readPoint: string;
    bizLocation: string;
    eventHash: string;
    sensorRoot: string;
    previous: string;
    time: bigint;
  };
  return {
    batchId: a.batchId,
    index: Number(a.index),
    actor: a.actor,
    kind: EventKindNames[Number(a.kind)],
    step: Number(a.step),
    disposition: Number(a.disposition),
    readPoint: a.readPoint,
    bizLocation: a.bizLocation,
    eventHash: a.eventHash,
    sensorRoot: a.sensorRoot,
    previous: a.previous,
    time: Number(a.time),
    blockNumber: log.blockNumber,
    transactionHash: log.transactionHash,
  };
}

/** A batch's trace as rebuilt from the chain. */
export interface BatchTrace {
  batchId: string;
  events: TraceEvent[];
  head: string;
  verdict: ChainVerdict;
}

/**
 * Rebuilds the trace of `batchId` from its `TraceEventRecorded` logs (from `fromBlock`, default 0) and verifies
 * the hash chain against `headOf(batchId)`.
 */
export async function readTrace(registry: TraceRegistryReader, batchId: string, fromBlock = 0): Promise<BatchTrace> {
  const logs = await registry.queryFilter(registry.filters.TraceEventRecorded(batchId) as never, fromBlock, "latest");
  const events = logs
    .filter((log): log is { args: unknown } & Log => "args" in log && log.args !== undefined)
    .map(traceEventOf)
    .sort((a, b) => a.index - b.index);
  const head = await registry.headOf(batchId);
  return { batchId, events, head, verdict: verifyChain(events, head) };
}

/**
 * The trustbase SDK in one import. Each module is also reachable as a namespace (`trade.verifyChain`,
 * `evidence.readLedger`); the few names two modules share are exported flat under a module-specific alias only:
 *   verifyChain: trace → verifyTraceChain, trade → verifyBillChain
 *   readLedger / LedgerEntry: data → readDataLedger / DataLedgerEntry, evidence → readEvidenceLedger /
 *   EvidenceLedgerEntry
 * test/package/sdk.test.ts checks that every export of every module is here.
 */
export * from "./addresses.js";
export * from "./did.js";
export * from "./eip712.js";
export * from "./gs1.js";
export * from "./merkle.js";
export * from "./signatures.js";

export * as addresses from "./addresses.js";
export * as data from "./data.js";
export * as did from "./did.js";
export * as eip712 from "./eip712.js";
export * as evidence from "./evidence.js";
export * as gs1 from "./gs1.js";
export * as merkle from "./merkle.js";
export * as signatures from "./signatures.js";
export * as trace from "./trace.js";
export * as trade from "./trade.js";

export { readLedger as readDataLedger } from "./data.js";
export type { Ledger, LedgerEntry as DataLedgerEntry } from "./data.js";

export {
  AnchorFlag,
  BUNDLE_FORMAT,
  CustodyAction,
  EvidenceCategory,
  EvidencePermission,
  EvidenceVaultTypes,
  actionName,
  anchorEntry,
  buildBundle,
  categoryName,
  custodyEntry,
  disputeEntry,
  evidenceDomain,
  fold,
  foldAll,
  custodyRecordOf,
  readCustodyLog,
  readLedger as readEvidenceLedger,
  verifyBundle,
  verifyCustodyChain,
} from "./evidence.js";
export type {
  AnchorFields,
  BundleOptions,
  BundleVerdict,
  CheckpointRecord,
  CustodyRecord,
  EvidenceBundle,
  LedgerEntry as EvidenceLedgerEntry,
} from "./evidence.js";

export {
  Disposition,
  EventKind,
  EventKindNames,
  Party,
  TraceStatus,
  canonicalJson,
  eventHashOf,
  linkOf,
  locationHashOf,
  readTrace,
  readingItem,
  readingProof,
  sensorTree,
  traceEventOf,
  verifyChain as verifyTraceChain,
  verifyReadingOffChain,
} from "./trace.js";
export type { BatchTrace, ChainVerdict, EventKindName, SensorReading, TraceEvent, TraceRegistryReader } from "./trace.js";

export {
  ActionCode,
  BillOfLadingTypes,
  BillStatus,
  ConsigneeKind,
  DcsaName,
  Mode,
  actionHash,
  billIdOf,
  billOfLadingDomain,
  legsHash,
  locode,
  locodeOf,
  readHistory,
  verifyChain as verifyBillChain,
} from "./trade.js";
export type { Action, History, HistoryEntry, Issuance, Leg } from "./trade.js";

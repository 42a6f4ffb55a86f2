import { AbiCoder, ZeroHash, getAddress, id, keccak256, type Log, type TypedDataDomain, type TypedDataField } from "ethers";
import type { EvidenceVault } from "../typechain-types/index.js";
import { didOf } from "./did.js";
import { field } from "./eip712.js";
import { verifyBatchProof } from "./merkle.js";

/**
 * The EvidenceVault from TypeScript: its vocabulary (mirroring contracts/evidence/EvidenceKinds.sol), the EIP-712
 * type of a witness co-signature, the entry hashes of custody chains and of the running accumulator, readers that
 * rebuild a document's custody log and the vault's ledger from events and verify their hash chains, and court-ready
 * proof bundles: `buildBundle` gathers everything a court needs about one document, `verifyBundle` checks every part
 * against a node and names each field that does not match.
 */

const abi = AbiCoder.defaultAbiCoder();

// ───────────────────────────── vocabulary ─────────────────────────────

/** Evidence categories (EvidenceKinds.sol). */
export const EvidenceCategory = {
  CONTRACT: 1,
  CHAT_LOG: 2,
  IMAGE: 3,
  VIDEO: 4,
  AUDIO: 5,
  OFFICE_DOCUMENT: 6,
  EMAIL: 7,
  WEB_PAGE: 8,
  OTHER: 9,
} as const;

/** Custody actions (EvidenceKinds.sol). */
export const CustodyAction = {
  UPLOAD: 0,
  REVIEW: 1,
  APPROVE: 2,
  REJECT: 3,
  VIEW: 4,
  DOWNLOAD: 5,
  PRINT: 6,
  SENSITIVE_OPERATION: 7,
} as const;

/** Permissions of a case member (EvidenceKinds.sol). */
export const EvidencePermission = { SUBMIT: 1, LOG: 2, DECIDE: 4, DISPUTE: 8 } as const;

/** Flags of an anchor (EvidenceKinds.sol). */
export const AnchorFlag = { BATCH: 1, DISPUTED: 2 } as const;

const nameOf = (table: Record<string, number>, value: number) =>
  Object.entries(table).find(([, v]) => v === value)?.[0] ?? `#${value}`;
export const categoryName = (category: number) => nameOf(EvidenceCategory, category);
export const actionName = (action: number) => nameOf(CustodyAction, action);

/** EIP-712: a witness's co-signature, signed by the witness DID's owner. No nonce: the witness bit makes it count once. */
export const EvidenceVaultTypes = {
  Cosign: {
    Cosign: [field("hash", "bytes32"), field("witness", "address"), field("deadline", "uint256")],
  },
} satisfies Record<string, Record<string, TypedDataField[]>>;

/** The EIP-712 domain of the EvidenceVault at `verifyingContract` on `chainId`. */
export function evidenceDomain(chainId: bigint | number, verifyingContract: string): TypedDataDomain {
  return { name: "trustbase EvidenceVault", version: "1", chainId, verifyingContract };
}

// ───────────────────────────── entry hashes ─────────────────────────────

const ANCHOR_TYPEHASH = id(
  "EvidenceAnchor(bytes32 hash,uint32 caseId,address submitter,uint8 category,uint32 itemCount,bytes32 metadataHash,bytes32 previous,uint40 time)",
);
const CUSTODY_TYPEHASH = id(
  "EvidenceCustody(bytes32 previousHead,bytes32 hash,uint8 action,address actor,bytes32 reasonHash,uint40 time)",
);
const DISPUTE_TYPEHASH = id("EvidenceDispute(bytes32 hash,address party,bytes32 reasonHash,uint40 time)");

export interface AnchorFields {
  hash: string;
  caseId: number;
  submitter: string;
  category: number;
  /** 0 for a single document, the batch's size for a Merkle root. */
  itemCount: number;
  metadataHash: string;
  /** The version this one supersedes, or zero. */
  previous: string;
  time: number;
}

/** The accumulator entry of an anchor (EvidenceKinds.anchorEntry). */
export function anchorEntry(a: AnchorFields): string {
  return keccak256(
    abi.encode(
      ["bytes32", "bytes32", "uint32", "address", "uint8", "uint32", "bytes32", "bytes32", "uint40"],
      [ANCHOR_TYPEHASH, a.hash, a.caseId, a.submitter, a.category, a.itemCount, a.metadataHash, a.previous, a.time],
    ),
  );
}

/** A custody entry: the document's next head (EvidenceKinds.custodyEntry). */
export function custodyEntry(
  previousHead: string,
  e: { hash: string; action: number; actor: string; reasonHash: string; time: number },
): string {
  return keccak256(
    abi.encode(
      ["bytes32", "bytes32", "bytes32", "uint8", "address", "bytes32", "uint40"],
      [CUSTODY_TYPEHASH, previousHead, e.hash, e.action, e.actor, e.reasonHash, e.time],
    ),
  );
}

/** The accumulator entry of a dispute (EvidenceKinds.disputeEntry). */
export function disputeEntry(d: { hash: string; party: string; reasonHash: string; time: number }): string {
  return keccak256(
    abi.encode(["bytes32", "bytes32", "address", "bytes32", "uint40"], [DISPUTE_TYPEHASH, d.hash, d.party, d.reasonHash, d.time]),
  );
}

/** The accumulator after `entry` (EvidenceKinds.fold). */
export function fold(accumulator: string, entry: string): string {
  return keccak256(abi.encode(["bytes32", "bytes32"], [accumulator, entry]));
}

/** Folds `entries` into `accumulator`, in order. */
export function foldAll(accumulator: string, entries: readonly string[]): string {
  return entries.reduce((acc, entry) => fold(acc, entry), accumulator);
}

// ───────────────────────────── custody log ─────────────────────────────

export interface CustodyRecord {
  action: number;
  actor: string;
  reasonHash: string;
  time: number;
  /** The head after this entry, as the vault emitted it. */
  head: string;
  blockNumber: number;
  transactionHash: string;
}

/** A document's custody log, rebuilt from the vault's CustodyLogged events in chain order. */
export async function readCustodyLog(vault: EvidenceVault, hash: string, fromBlock = 0): Promise<CustodyRecord[]> {
  const logs = await vault.queryFilter(vault.filters.CustodyLogged(hash), fromBlock);
  return logs.map(custodyRecordOf);
}

/** The custody record a CustodyLogged log carries. */
export function custodyRecordOf(log: {
  args: { action: bigint; actor: string; reasonHash: string; time: bigint; head: string };
  blockNumber: number;
  transactionHash: string;
}): CustodyRecord {
  return {
    action: Number(log.args.action),
    actor: getAddress(log.args.actor),
    reasonHash: log.args.reasonHash,
    time: Number(log.args.time),
    head: log.args.head,
    blockNumber: log.blockNumber,
    transactionHash: log.transactionHash,
  };
}

/**
 * Recomputes a document's custody chain from its entries and compares it with the head the vault holds: an entry
 * removed, inserted, reordered or altered breaks a link (named by its index), and a log that stops early does not
 * reach the head. Returns the problems, empty when the log is whole.
 */
export function verifyCustodyChain(hash: string, entries: readonly CustodyRecord[], head: string, path = "custody.entries"): string[] {
  const problems: string[] = [];
  let computed = ZeroHash;
  for (const [i, entry] of entries.entries()) {
    const next = custodyEntry(computed, { hash, ...entry });
    if (next !== entry.head) {
      problems.push(
        `${path}[${i}]: does not link to the entry before it (its fields hash to ${next.slice(0, 10)}…, it claims head ` +
          `${entry.head.slice(0, 10)}…): an entry is altered, or one is missing before it`,
      );
    }
    computed = entry.head;
  }
  if (computed !== head) {
    problems.push(`${path}: the log ends at ${computed.slice(0, 10)}… but the vault's head is ${head.slice(0, 10)}…: entries are missing or altered`);
  }
  return problems;
}

// ───────────────────────────── ledger (accumulator) ─────────────────────────────

export interface LedgerEntry {
  kind: "anchor" | "batch" | "custody" | "dispute";
  /** The anchor the entry is about. */
  hash: string;
  entry: string;
  /** The accumulator after this entry. */
  accumulator: string;
  blockNumber: number;
  transactionHash: string;
  logIndex: number;
}

export interface CheckpointRecord {
  sequence: number;
  accumulator: string;
  time: number;
  /** How many ledger entries it covers. */
  entries: number;
  blockNumber: number;
  transactionHash: string;
}

const ledgerEvents = ["Anchored", "BatchAnchored", "CustodyLogged", "Disputed", "Superseded", "Checkpointed"] as const;

/**
 * Every entry of the vault's running accumulator, rebuilt from events in chain order and folded; each checkpoint is
 * checked against the fold at its position (a mismatch throws: the node's events are not the vault's history).
 */
export async function readLedger(
  vault: EvidenceVault,
  fromBlock = 0,
): Promise<{ entries: LedgerEntry[]; checkpoints: CheckpointRecord[]; accumulator: string }> {
  const provider = vault.runner?.provider;
  if (provider == null) throw new Error("readLedger: the vault has no provider");
  const topics = ledgerEvents.map((name) => vault.interface.getEvent(name).topicHash);
  const logs: Log[] = await provider.getLogs({ address: await vault.getAddress(), topics: [topics], fromBlock, toBlock: "latest" });
  logs.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  const divisor = (await vault.timestampInMilliseconds()) ? 1000 : 1;
  const blockTimes = new Map<number, number>();
  const timeOf = async (blockNumber: number) => {
    let time = blockTimes.get(blockNumber);
    if (time === undefined) {
      time = Math.floor(Number((await provider.getBlock(blockNumber))!.timestamp) / divisor);
      blockTimes.set(blockNumber, time);
    }
    return time;
  };
  const previousOf = new Map<string, string>();
  for (const log of logs) {
    const parsed = vault.interface.parseLog(log)!;
    if (parsed.name === "Superseded") previousOf.set(parsed.args.hash, parsed.args.previous);
  }
  const entries: LedgerEntry[] = [];
  const checkpoints: CheckpointRecord[] = [];
  let accumulator = ZeroHash;
  for (const log of logs) {
    const { name, args } = vault.interface.parseLog(log)!;
    const at = { blockNumber: log.blockNumber, transactionHash: log.transactionHash, logIndex: log.index };
    let kind: LedgerEntry["kind"];
    let hash: string;
    let entry: string;
    if (name === "Anchored" || name === "BatchAnchored") {
      kind = name === "Anchored" ? "anchor" : "batch";
      hash = name === "Anchored" ? args.hash : args.root;
      entry = anchorEntry({
        hash,
        caseId: Number(args.caseId),
        submitter: args.submitter,
        category: Number(args.category),
        itemCount: name === "Anchored" ? 0 : Number(args.itemCount),
        metadataHash: args.metadataHash,
        previous: previousOf.get(hash) ?? ZeroHash,
        time: await timeOf(log.blockNumber),
      });
    } else if (name === "CustodyLogged") {
      kind = "custody";
      hash = args.hash;
      entry = args.head;
    } else if (name === "Disputed") {
      kind = "dispute";
      hash = args.hash;
      entry = disputeEntry({ hash, party: args.party, reasonHash: args.reasonHash, time: Number(args.time) });
    } else if (name === "Checkpointed") {
      if (args.accumulator !== accumulator) {
        throw new Error(`readLedger: checkpoint ${args.sequence} publishes ${args.accumulator}, the events fold to ${accumulator}`);
      }
      checkpoints.push({ sequence: Number(args.sequence), accumulator, time: Number(args.time), entries: entries.length, ...at });
      continue;
    } else {
      continue; // Superseded: folded into the anchor's entry above
    }
    accumulator = fold(accumulator, entry);
    entries.push({ kind, hash, entry, accumulator, ...at });
  }
  return { entries, checkpoints, accumulator };
}

// ───────────────────────────── proof bundles ─────────────────────────────

export const BUNDLE_FORMAT = "trustbase-evidence-bundle/1";

/** Everything a court needs to check one document against the chain, without trusting whoever hands it over. */
export interface EvidenceBundle {
  format: typeof BUNDLE_FORMAT;
  chainId: string;
  vault: string;
  /** The document's hash; for a batch item, the item (the batch's root is `anchor.hash`). */
  document: { hash: string };
  /** The Merkle proof of the document in its batch, or null for a document anchored by itself. */
  batch: { root: string; itemCount: number; proof: string[] } | null;
  anchor: {
    hash: string;
    caseId: number;
    courtRef: string;
    submitter: string;
    submitterDid: string;
    category: number;
    categoryName: string;
    metadataHash: string;
    time: number;
    blockNumber: number;
    transactionHash: string;
    disputed: boolean;
  };
  witnesses: {
    threshold: number;
    final: boolean;
    cosigners: { witness: string; did: string; blockNumber: number; transactionHash: string }[];
  };
  custody: {
    head: string;
    entries: (CustodyRecord & { actorDid: string; actionName: string })[];
  };
  disputes: { party: string; reasonHash: string; time: number; blockNumber: number; transactionHash: string }[];
  versions: { previous: string; next: string };
  /** The first checkpoint (or the one asked for) covering the anchor, and the proof the anchor folds into it. */
  checkpoint: {
    sequence: number;
    accumulator: string;
    time: number;
    blockNumber: number;
    transactionHash: string;
    /** The accumulator just before the anchor's entry. */
    accumulatorBefore: string;
    /** The anchor's entry (recomputed by the verifier from `anchor` and `versions.previous`). */
    entry: string;
    /** Every entry after the anchor's, up to the checkpoint. */
    following: string[];
  } | null;
}

export interface BundleOptions {
  /** For a document anchored in a batch: the batch's root and the document's proof (sdk/merkle batchProof). */
  batch?: { root: string; proof: string[] };
  /** The checkpoint to prove against (its sequence); default: the first one covering the anchor. */
  checkpoint?: number;
  /** First block to read events from (the vault's deployment block; default 0). */
  fromBlock?: number;
}

/** Builds the proof bundle of `documentHash` from the chain. Throws when the document is not anchored. */
export async function buildBundle(vault: EvidenceVault, documentHash: string, options: BundleOptions = {}): Promise<EvidenceBundle> {
  const provider = vault.runner?.provider;
  if (provider == null) throw new Error("buildBundle: the vault has no provider");
  const fromBlock = options.fromBlock ?? 0;
  const { chainId } = await provider.getNetwork();
  const anchorHash = options.batch?.root ?? documentHash;
  const stored = await vault.anchorOf(anchorHash);
  if (stored.anchoredAt === 0n) {
    throw new Error(`${anchorHash} is not anchored in the vault${options.batch ? " (as the batch root)" : ""}`);
  }
  const isBatch = (Number(stored.flags) & AnchorFlag.BATCH) !== 0;
  if (isBatch !== (options.batch !== undefined)) {
    throw new Error(isBatch ? `${anchorHash} is a batch root: give the batch` : `${anchorHash} is a single document, not a batch root`);
  }
  const [anchorLog] = isBatch
    ? await vault.queryFilter(vault.filters.BatchAnchored(anchorHash), fromBlock)
    : await vault.queryFilter(vault.filters.Anchored(anchorHash), fromBlock);
  if (anchorLog === undefined) throw new Error(`No anchoring event for ${anchorHash} since block ${fromBlock}`);
  const caseId = Number(stored.caseId);
  const kase = await vault.caseOf(caseId);
  const cosignerLogs = await vault.queryFilter(vault.filters.Cosigned(anchorHash), fromBlock);
  const cosigners = (await vault.cosignersOf(anchorHash)).map((witness) => {
    const log = cosignerLogs.find((l) => getAddress(l.args.witness) === getAddress(witness));
    if (log === undefined) throw new Error(`No Cosigned event of ${witness} for ${anchorHash}`);
    return { witness: getAddress(witness), did: didOf(chainId, witness), blockNumber: log.blockNumber, transactionHash: log.transactionHash };
  });
  const custody = await readCustodyLog(vault, anchorHash, fromBlock);
  const disputes = (await vault.queryFilter(vault.filters.Disputed(anchorHash), fromBlock)).map((log) => ({
    party: getAddress(log.args.party),
    reasonHash: log.args.reasonHash,
    time: Number(log.args.time),
    blockNumber: log.blockNumber,
    transactionHash: log.transactionHash,
  }));
  const [previous, next] = await vault.versionsOf(anchorHash);

  const bundle: EvidenceBundle = {
    format: BUNDLE_FORMAT,
    chainId: chainId.toString(),
    vault: getAddress(await vault.getAddress()),
    document: { hash: documentHash },
    batch: isBatch ? { root: anchorHash, itemCount: Number(anchorLog.args[4]), proof: [...options.batch!.proof] } : null,
    anchor: {
      hash: anchorHash,
      caseId,
      courtRef: kase.courtRef,
      submitter: getAddress(stored.submitter),
      submitterDid: didOf(chainId, stored.submitter),
      category: Number(stored.category),
      categoryName: categoryName(Number(stored.category)),
      metadataHash: String(isBatch ? anchorLog.args[5] : anchorLog.args[4]),
      time: Number(stored.anchoredAt),
      blockNumber: anchorLog.blockNumber,
      transactionHash: anchorLog.transactionHash,
      disputed: (Number(stored.flags) & AnchorFlag.DISPUTED) !== 0,
    },
    witnesses: { threshold: Number(kase.threshold), final: await vault.isFinal(anchorHash), cosigners },
    custody: {
      head: await vault.custodyHeadOf(anchorHash),
      entries: custody.map((e) => ({ ...e, actorDid: didOf(chainId, e.actor), actionName: actionName(e.action) })),
    },
    disputes,
    versions: { previous, next },
    checkpoint: null,
  };

  const ledger = await readLedger(vault, fromBlock);
  const index = ledger.entries.findIndex((e) => (e.kind === "anchor" || e.kind === "batch") && e.hash === anchorHash);
  if (index < 0) throw new Error(`The ledger has no entry for ${anchorHash}`);
  const checkpoint =
    options.checkpoint === undefined
      ? ledger.checkpoints.find((c) => c.entries > index)
      : ledger.checkpoints.find((c) => c.sequence === options.checkpoint);
  if (options.checkpoint !== undefined && (checkpoint === undefined || checkpoint.entries <= index)) {
    throw new Error(`Checkpoint ${options.checkpoint} does not exist or does not cover the anchor`);
  }
  if (checkpoint !== undefined) {
    bundle.checkpoint = {
      sequence: checkpoint.sequence,
      accumulator: checkpoint.accumulator,
      time: checkpoint.time,
      blockNumber: checkpoint.blockNumber,
      transactionHash: checkpoint.transactionHash,
      accumulatorBefore: index === 0 ? ZeroHash : ledger.entries[index - 1].accumulator,
      entry: ledger.entries[index].entry,
      following: ledger.entries.slice(index + 1, checkpoint.entries).map((e) => e.entry),
    };
  }
  return bundle;
}

/** One part of a bundle's verification: `ok`, or the problems found, each naming the bundle's field. */
export interface BundleVerdict {
  part: "chain" | "document" | "anchor" | "witnesses" | "custody" | "disputes" | "versions" | "checkpoint";
  ok: boolean;
  summary: string;
  problems: string[];
}

const PARTS: BundleVerdict["part"][] = ["chain", "document", "anchor", "witnesses", "custody", "disputes", "versions", "checkpoint"];

/** Field-by-field differences between what the bundle says and what the chain says, as `path: bundle ≠ chain`. */
function differences(path: string, claimed: unknown, actual: unknown, out: string[]): void {
  if (Array.isArray(actual) || Array.isArray(claimed)) {
    const a = Array.isArray(claimed) ? claimed : [];
    const b = Array.isArray(actual) ? actual : [];
    if (!Array.isArray(claimed)) out.push(`${path}: not a list`);
    if (a.length !== b.length) out.push(`${path}: ${a.length} in the bundle, ${b.length} on chain`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) differences(`${path}[${i}]`, a[i], b[i], out);
    return;
  }
  if (typeof actual === "object" && actual !== null) {
    if (typeof claimed !== "object" || claimed === null) {
      out.push(`${path}: missing`);
      return;
    }
    const keys = new Set([...Object.keys(actual), ...Object.keys(claimed)]);
    for (const key of keys) {
      differences(path === "" ? key : `${path}.${key}`, (claimed as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], out);
    }
    return;
  }
  const norm = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v);
  if (norm(claimed) !== norm(actual)) out.push(`${path}: the bundle says ${JSON.stringify(claimed)}, the chain says ${JSON.stringify(actual)}`);
}

/**
 * Checks every part of `bundle` against the chain `vault` is connected to, and its hash chains by recomputation:
 * the anchor's record and transaction, the document's Merkle proof (on chain and off), the co-signatures and
 * finality, the custody log (links recomputed, head compared), disputes, versions, and the checkpoint (the anchor's
 * entry recomputed from the bundle's fields and folded with the following entries into the checkpoint's accumulator,
 * which must be the one the vault published). Returns one verdict per part; a false bundle's problems name its fields.
 */
export async function verifyBundle(vault: EvidenceVault, bundle: EvidenceBundle): Promise<BundleVerdict[]> {
  const problems: Record<BundleVerdict["part"], string[]> = Object.fromEntries(PARTS.map((p) => [p, []])) as never;
  const summaries: Partial<Record<BundleVerdict["part"], string>> = {};
  const provider = vault.runner?.provider;
  if (provider == null) throw new Error("verifyBundle: the vault has no provider");
  const verdicts = () =>
    PARTS.map((part) => ({ part, ok: problems[part].length === 0, summary: summaries[part] ?? "", problems: problems[part] }));

  // chain: the bundle is about this chain and this vault.
  if (bundle.format !== BUNDLE_FORMAT) problems.chain.push(`format: expected ${BUNDLE_FORMAT}, got ${JSON.stringify(bundle.format)}`);
  const { chainId } = await provider.getNetwork();
  if (String(bundle.chainId) !== chainId.toString()) problems.chain.push(`chainId: the bundle says ${bundle.chainId}, the node is chain ${chainId}`);
  if (getAddress(bundle.vault) !== getAddress(await vault.getAddress())) problems.chain.push(`vault: the bundle names ${bundle.vault}, not ${await vault.getAddress()}`);
  summaries.chain = `chain ${chainId}, vault ${await vault.getAddress()}`;
  if (problems.chain.length > 0) return verdicts();

  // document: a document anchored by itself is the anchor; a batch item is proved in the batch, on chain and off.
  const anchorHash = bundle.anchor?.hash;
  if (bundle.batch === null) {
    if (bundle.document.hash.toLowerCase() !== String(anchorHash).toLowerCase()) {
      problems.document.push(`document.hash: ${bundle.document.hash} is not the anchored hash anchor.hash ${anchorHash}`);
    }
    summaries.document = "anchored by itself";
  } else {
    if (bundle.batch.root.toLowerCase() !== String(anchorHash).toLowerCase()) problems.document.push(`batch.root: is not anchor.hash`);
    const onChain = await vault.verifyInclusion(anchorHash, bundle.document.hash, bundle.batch.proof).catch(() => false);
    const offChain = verifyBatchProof(anchorHash, bundle.document.hash, bundle.batch.proof);
    if (!onChain || !offChain) {
      problems.document.push(`document.hash / batch.proof: the proof does not prove document.hash in the batch anchor.hash (on chain: ${onChain}, off chain: ${offChain})`);
    }
    summaries.document = `in a batch of ${bundle.batch.itemCount}, proof of ${bundle.batch.proof.length} hashes`;
  }

  // anchor: the anchoring transaction holds the anchor's event; the rest is compared with what the chain says.
  let actual: EvidenceBundle | undefined;
  const stored = await vault.anchorOf(anchorHash);
  if (stored.anchoredAt === 0n) {
    problems.anchor.push(`anchor.hash: ${anchorHash} is not anchored in this vault`);
  } else {
    const receipt = await provider.getTransactionReceipt(bundle.anchor.transactionHash).catch(() => null);
    const event = bundle.batch === null ? "Anchored" : "BatchAnchored";
    const held = receipt?.logs.some((log) => {
      const parsed = log.address.toLowerCase() === bundle.vault.toLowerCase() ? vault.interface.parseLog(log) : null;
      return parsed?.name === event && parsed.args[0] === anchorHash;
    });
    if (!held) problems.anchor.push(`anchor.transactionHash: ${bundle.anchor.transactionHash} did not anchor ${anchorHash}`);
    const documentHash = bundle.batch === null ? anchorHash : bundle.document.hash;
    try {
      actual = await buildBundle(vault, documentHash, {
        batch: bundle.batch === null ? undefined : { root: anchorHash, proof: bundle.batch.proof },
        checkpoint: bundle.checkpoint?.sequence,
      });
    } catch (error) {
      problems.checkpoint.push(`checkpoint.sequence: ${(error as Error).message}`);
      actual = await buildBundle(vault, documentHash, {
        batch: bundle.batch === null ? undefined : { root: anchorHash, proof: bundle.batch.proof },
      });
    }
  }

  if (actual !== undefined) {
    const found: string[] = [];
    differences("", bundle, actual, found);
    for (const problem of found) {
      const root = problem.split(/[.:[]/)[0];
      const part: BundleVerdict["part"] =
        root === "batch" ? "document" : (PARTS as string[]).includes(root) ? (root as BundleVerdict["part"]) : "chain";
      if (part === "document" && problems.document.length > 0 && problem.startsWith("document.hash")) continue;
      problems[part].push(problem);
    }
    summaries.anchor = `case ${actual.anchor.caseId}, ${actual.anchor.categoryName}, by ${actual.anchor.submitterDid} at ${new Date(actual.anchor.time * 1000).toISOString()} (block ${actual.anchor.blockNumber})`;
    summaries.witnesses = `${actual.witnesses.cosigners.length} of ${actual.witnesses.threshold} co-signatures needed: ${actual.witnesses.final ? "final" : "not final"}`;
    summaries.disputes = actual.disputes.length === 0 ? "none" : `${actual.disputes.length} dispute(s)`;
    summaries.versions = `previous ${actual.versions.previous === ZeroHash ? "none" : actual.versions.previous.slice(0, 10)}, next ${actual.versions.next === ZeroHash ? "none" : actual.versions.next.slice(0, 10)}`;
  }

  // custody: the bundle's log recomputes to the vault's head.
  if (!Array.isArray(bundle.custody?.entries)) {
    problems.custody.push("custody.entries: missing");
  } else {
    problems.custody.push(...verifyCustodyChain(anchorHash, bundle.custody.entries, await vault.custodyHeadOf(anchorHash)));
    summaries.custody = `${bundle.custody.entries.length} entries, ${bundle.custody.entries.map((e) => actionName(e.action)).join(" → ") || "none"}`;
  }

  // checkpoint: the anchor's entry, recomputed from the bundle's own fields, folds into the published accumulator.
  if (bundle.checkpoint === null) {
    summaries.checkpoint = "none covers the anchor yet (the vault's checkpoint() publishes one)";
  } else {
    const c = bundle.checkpoint;
    const receipt = await provider.getTransactionReceipt(c.transactionHash).catch(() => null);
    const published = receipt?.logs
      .filter((log) => log.address.toLowerCase() === bundle.vault.toLowerCase())
      .map((log) => vault.interface.parseLog(log))
      .find((parsed) => parsed?.name === "Checkpointed");
    if (published == null) {
      problems.checkpoint.push(`checkpoint.transactionHash: ${c.transactionHash} published no checkpoint of this vault`);
    } else if (Number(published.args.sequence) !== c.sequence) {
      problems.checkpoint.push(`checkpoint.sequence: the bundle says ${c.sequence}, its transaction published checkpoint ${published.args.sequence}`);
    }
    const entry = anchorEntry({
      hash: anchorHash,
      caseId: bundle.anchor.caseId,
      submitter: bundle.anchor.submitter,
      category: bundle.anchor.category,
      itemCount: bundle.batch?.itemCount ?? 0,
      metadataHash: bundle.anchor.metadataHash,
      previous: bundle.versions.previous,
      time: bundle.anchor.time,
    });
    if (entry !== c.entry) problems.checkpoint.push("checkpoint.entry: is not the entry of the bundle's anchor fields");
    if (foldAll(fold(c.accumulatorBefore, entry), c.following) !== c.accumulator) {
      problems.checkpoint.push("checkpoint.accumulator: the anchor's entry and checkpoint.following do not fold into it");
    }
    summaries.checkpoint = `checkpoint ${c.sequence}, ${c.following.length} later entries fold into its accumulator ${c.accumulator.slice(0, 10)}…`;
  }
  return verdicts();
}

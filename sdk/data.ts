import type { DataElement } from "../typechain-types/index.js";

/** One entry of a data element's circulation ledger, rebuilt from the registry's events. */
export type LedgerEntry = {
  blockNumber: number;
  logIndex: number;
  transactionHash: string;
} & (
  | { kind: "registered"; registrant: string; classification: number; category: number; royaltyBps: number; metadataURI: string }
  | { kind: "transfer"; from: string; to: string }
  | { kind: "operator"; previous: string; operator: string }
  | { kind: "offer"; by: string; paymentToken: string; pricePerSecond: bigint; minDuration: bigint; maxDuration: bigint; topic: bigint; requiresPresentation: boolean }
  | { kind: "offerWithdrawn"; by: string }
  | { kind: "rental"; rental: number; renter: string; paymentToken: string; fee: bigint; start: bigint; expires: bigint }
  | { kind: "user"; user: string; expires: bigint }
);

export interface Ledger {
  entries: LedgerEntry[];
  /** The rentals, in order. */
  rentals: Extract<LedgerEntry, { kind: "rental" }>[];
  /** Problems found: a rental number missing or repeated (events lost or a wrong node). Empty when the ledger is whole. */
  problems: string[];
}

/**
 * The circulation ledger of `tokenId`: registration, transfers of the holding right, operator changes, offers,
 * rentals (numbered per token by the contract) and use-right changes, in chain order. Checks that the rental
 * numbers run 1, 2, 3, … and that the count matches `useOf(tokenId).rentals`.
 */
export async function readLedger(element: DataElement, tokenId: bigint, fromBlock = 0): Promise<Ledger> {
  const entries: LedgerEntry[] = [];
  const at = (log: { blockNumber: number; index: number; transactionHash: string }) => ({
    blockNumber: log.blockNumber,
    logIndex: log.index,
    transactionHash: log.transactionHash,
  });
  for (const log of await element.queryFilter(element.filters.DataRegistered(tokenId), fromBlock)) {
    const [, registrant, classification, category, royaltyBps, metadataURI] = log.args;
    entries.push({
      ...at(log),
      kind: "registered",
      registrant,
      classification: Number(classification),
      category: Number(category),
      royaltyBps: Number(royaltyBps),
      metadataURI,
    });
  }
  for (const log of await element.queryFilter(element.filters.Transfer(undefined, undefined, tokenId), fromBlock)) {
    entries.push({ ...at(log), kind: "transfer", from: log.args.from, to: log.args.to });
  }
  for (const log of await element.queryFilter(element.filters.OperatorChanged(tokenId), fromBlock)) {
    entries.push({ ...at(log), kind: "operator", previous: log.args.previous, operator: log.args.operator });
  }
  for (const log of await element.queryFilter(element.filters.OfferPublished(tokenId), fromBlock)) {
    const offer = log.args.offer;
    entries.push({
      ...at(log),
      kind: "offer",
      by: log.args.by,
      paymentToken: offer.paymentToken,
      pricePerSecond: offer.pricePerSecond,
      minDuration: offer.minDuration,
      maxDuration: offer.maxDuration,
      topic: offer.topic,
      requiresPresentation: offer.requiresPresentation,
    });
  }
  for (const log of await element.queryFilter(element.filters.OfferWithdrawn(tokenId), fromBlock)) {
    entries.push({ ...at(log), kind: "offerWithdrawn", by: log.args.by });
  }
  for (const log of await element.queryFilter(element.filters.Rented(tokenId), fromBlock)) {
    const { renter, paymentToken, fee, start, expires, rental } = log.args;
    entries.push({ ...at(log), kind: "rental", rental: Number(rental), renter, paymentToken, fee, start, expires });
  }
  for (const log of await element.queryFilter(element.filters.UpdateUser(tokenId), fromBlock)) {
    entries.push({ ...at(log), kind: "user", user: log.args.user, expires: log.args.expires });
  }
  entries.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);

  const rentals = entries.filter((e): e is Extract<LedgerEntry, { kind: "rental" }> => e.kind === "rental");
  const problems: string[] = [];
  if (fromBlock === 0) {
    rentals.forEach((entry, i) => {
      if (entry.rental !== i + 1) problems.push(`rental #${i + 1} expected, event says #${entry.rental} (tx ${entry.transactionHash})`);
    });
    const stored = Number((await element.useOf(tokenId)).rentals);
    if (stored !== rentals.length) problems.push(`the registry counts ${stored} rentals, the events show ${rentals.length}`);
  }
  return { entries, rentals, problems };
}

import { id as keccakUtf8 } from "ethers";

/**
 * GS1 Digital Link (GS1 Digital Link standard, URI syntax 1.x) and trace ids: the QR code on a bag of rice
 * (`https://id.gs1.org/01/09506000134352/10/ABC123`) and the TraceRegistry's bytes32 batch id must agree.
 *
 * A trace id is keccak256 of the canonical GS1 Digital Link URI: the `https://id.gs1.org` domain, the primary key
 * (GTIN as 14 digits, SSCC, GIAI, GRAI, GLN ...) and its key qualifiers in the standard's order, values
 * percent-encoded. Any domain, the legacy convenience names (`/gtin/…/lot/…`), a GTIN-8/12/13 and data
 * attributes in the query string (`?17=…`, not part of the identity) therefore give the same id. A hash cannot be
 * reversed: going back from an id means looking it up among the links one knows (`traceIdIndex`); going back from
 * parsed keys to a link is `digitalLink`.
 */

/** Application identifiers that are primary keys, and the qualifiers each may carry, in canonical order. */
const PRIMARY_KEYS: Record<string, { name: string; qualifiers: string[]; digits?: number }> = {
  "01": { name: "gtin", qualifiers: ["22", "10", "21"], digits: 14 },
  "00": { name: "sscc", qualifiers: [], digits: 18 },
  "8004": { name: "giai", qualifiers: [] },
  "8003": { name: "grai", qualifiers: ["21"] },
  "414": { name: "gln", qualifiers: ["254"], digits: 13 },
  "417": { name: "party", qualifiers: [], digits: 13 },
  "8006": { name: "itip", qualifiers: ["22", "10", "21"] },
  "8010": { name: "cpid", qualifiers: ["8011"] },
  "253": { name: "gdti", qualifiers: [] },
  "255": { name: "gcn", qualifiers: [] },
  "401": { name: "ginc", qualifiers: [] },
  "402": { name: "gsin", qualifiers: [] },
  "8017": { name: "gsrnp", qualifiers: ["8019"] },
  "8018": { name: "gsrn", qualifiers: ["8019"] },
};

/** Legacy convenience alphas (GS1 Digital Link 1.0) and their application identifiers. */
const ALPHAS: Record<string, string> = {
  gtin: "01",
  sscc: "00",
  giai: "8004",
  grai: "8003",
  gln: "414",
  cpv: "22",
  lot: "10",
  ser: "21",
  glnx: "254",
  srin: "8019",
  cpsn: "8011",
};

/** The identity a GS1 Digital Link carries: a primary key and its qualifiers, by application identifier. */
export interface Gs1Key {
  /** Application identifier of the primary key, e.g. "01" (GTIN), "00" (SSCC), "8004" (GIAI). */
  primary: string;
  /** The primary key's value (a GTIN normalised to 14 digits). */
  value: string;
  /** Key qualifiers by application identifier, e.g. `{ "10": "ABC123" }` (lot), `{ "21": "12345" }` (serial). */
  qualifiers: Record<string, string>;
}

/** The GS1 mod-10 check digit of the digits of `body` (the key without its check digit). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

function checkNumericKey(ai: string, value: string, digits: number): string {
  let normalised = value;
  // GTIN-8, -12 and -13 are written as GTIN-14 in a Digital Link's canonical form.
  if (ai === "01" && [8, 12, 13].includes(value.length)) normalised = value.padStart(14, "0");
  if (!/^[0-9]+$/.test(normalised) || normalised.length !== digits) {
    throw new Error(`GS1 AI (${ai}) must be ${digits} digits: ${value}`);
  }
  const expected = gs1CheckDigit(normalised.slice(0, -1));
  if (Number(normalised.at(-1)) !== expected) {
    throw new Error(`GS1 AI (${ai}) ${value} has check digit ${normalised.at(-1)}, expected ${expected}`);
  }
  return normalised;
}

/** Parses a GS1 Digital Link URI (any domain, optional path prefix, canonical or convenience alphas). */
export function parseDigitalLink(link: string): Gs1Key {
  const url = new URL(link);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`Not a web URI: ${link}`);
  const segments = url.pathname.split("/").filter((segment) => segment.length > 0);
  const ais = segments.map((segment) => ALPHAS[segment] ?? segment);
  // The path may have a prefix (https://example.com/products/01/…): the primary key is the first one whose
  // remaining segments are all (AI, value) pairs.
  const start = ais.findIndex((ai, index) => PRIMARY_KEYS[ai] !== undefined && (segments.length - index) % 2 === 0);
  if (start < 0) throw new Error(`No GS1 primary key in ${link}`);
  const primary = ais[start];
  const spec = PRIMARY_KEYS[primary];
  const rawValue = decodeURIComponent(segments[start + 1]);
  const value = spec.digits === undefined ? rawValue : checkNumericKey(primary, rawValue, spec.digits);
  const qualifiers: Record<string, string> = {};
  let last = -1;
  for (let index = start + 2; index < segments.length; index += 2) {
    const ai = ais[index];
    const position = spec.qualifiers.indexOf(ai);
    if (position < 0) throw new Error(`AI (${ai}) is not a key qualifier of (${primary}) in ${link}`);
    if (position <= last) throw new Error(`Key qualifiers out of order in ${link}`);
    last = position;
    qualifiers[ai] = decodeURIComponent(segments[index + 1]);
    if (qualifiers[ai].length === 0) throw new Error(`Empty value for AI (${ai}) in ${link}`);
  }
  return { primary, value, qualifiers };
}

/** The canonical GS1 Digital Link URI of `key` (on `domain`, by default id.gs1.org). */
export function digitalLink(key: Gs1Key, domain = "https://id.gs1.org"): string {
  const spec = PRIMARY_KEYS[key.primary];
  if (spec === undefined) throw new Error(`AI (${key.primary}) is not a GS1 primary key`);
  const value = spec.digits === undefined ? key.value : checkNumericKey(key.primary, key.value, spec.digits);
  let path = `/${key.primary}/${encodeURIComponent(value)}`;
  for (const ai of spec.qualifiers) {
    const qualifier = key.qualifiers[ai];
    if (qualifier !== undefined) path += `/${ai}/${encodeURIComponent(qualifier)}`;
  }
  for (const ai of Object.keys(key.qualifiers)) {
    if (!spec.qualifiers.includes(ai)) throw new Error(`AI (${ai}) is not a key qualifier of (${key.primary})`);
  }
  return `${domain.replace(/\/+$/, "")}${path}`;
}

/** The trace id (TraceRegistry batch id) of a GS1 Digital Link URI or parsed key. */
export function traceIdOf(link: string | Gs1Key): string {
  const key = typeof link === "string" ? parseDigitalLink(link) : link;
  return keccakUtf8(digitalLink(key));
}

/**
 * The trace id of an identifier that is not a GS1 key: an ear tag (`urn:…`), a compute-order URI. Web URIs that
 * are GS1 Digital Links go through {@link traceIdOf}, so both spellings of a link agree.
 */
export function traceIdOfUri(uri: string): string {
  if (/^https?:\/\//.test(uri)) {
    try {
      return traceIdOf(uri);
    } catch {
      // not a GS1 Digital Link: hashed as written
    }
  }
  if (uri.length === 0) throw new Error("traceIdOfUri: empty URI");
  return keccakUtf8(uri);
}

/** The product code a TraceRegistry batch records for a GTIN-keyed link: the GTIN-14 as a number. */
export function productOf(link: string | Gs1Key): bigint {
  const key = typeof link === "string" ? parseDigitalLink(link) : link;
  if (key.primary !== "01") throw new Error(`Only GTIN-keyed links name a product; this one is AI (${key.primary})`);
  return BigInt(key.value);
}

/** An index from trace id back to the links (or URIs) one knows: how a reader names the ids it meets on chain. */
export function traceIdIndex(links: readonly string[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const link of links) {
    let canonical = link;
    try {
      canonical = digitalLink(parseDigitalLink(link));
    } catch {
      // a plain URI
    }
    index.set(traceIdOfUri(link), canonical);
  }
  return index;
}

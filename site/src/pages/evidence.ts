import { ZeroHash, keccak256, sha256 } from "ethers";
import { actionName, buildBundle, custodyEntry, verifyBundle, type BundleVerdict, type EvidenceBundle } from "../../../sdk/evidence.js";
import type { Chain } from "../chain.js";
import { badge, banner, facts, h, hash, show, table, when } from "../dom.js";

const PART_NAMES: Record<BundleVerdict["part"], string> = {
  chain: "Chain and vault",
  document: "Document",
  anchor: "Anchor",
  witnesses: "Witnesses",
  custody: "Custody log",
  disputes: "Disputes",
  versions: "Versions",
  checkpoint: "Checkpoint",
};

export function evidencePage(_params: URLSearchParams, container: HTMLElement, chain: () => Promise<Chain>, onFailure: (error: unknown, where?: Element) => void): void {
  const fileResult = h("section", { class: "result", id: "file-result", "aria-live": "polite" });
  const bundleResult = h("section", { class: "result", id: "bundle-result", "aria-live": "polite" });
  const fileInput = h("input", { type: "file", name: "document", "aria-label": "Document to check" });
  const bundleInput = h("input", { type: "file", name: "bundle", accept: ".json,application/json", "aria-label": "Proof bundle to verify" });
  const checkFile = (file: File) => {
    show(fileResult, h("p", { class: "loading" }, `Hashing ${file.name} in this browser…`));
    renderFile(file, fileResult, chain).catch((error) => onFailure(error, fileResult));
  };
  const checkBundle = (file: File) => {
    show(bundleResult, h("p", { class: "loading" }, `Verifying ${file.name} against the chain…`));
    renderBundle(file, bundleResult, chain).catch((error) => onFailure(error, bundleResult));
  };
  fileInput.addEventListener("change", () => fileInput.files?.[0] && checkFile(fileInput.files[0]));
  bundleInput.addEventListener("change", () => bundleInput.files?.[0] && checkBundle(bundleInput.files[0]));
  show(
    container,
    h("h1", {}, "Check evidence"),
    h("p", { class: "lead" }, "A file is hashed here, in your browser: it is never uploaded. Its hash is looked up in the EvidenceVault, with its witnesses and chain of custody."),
    dropZone("Drop a document here, or choose one", fileInput, checkFile),
    fileResult,
    h("h2", {}, "Verify a proof bundle"),
    h("p", {}, "A proof bundle (", h("code", {}, "trustbase-evidence-bundle/1"), ", from ", h("code", {}, "npm run evidence -- bundle"), " or from this page) is checked part by part against the chain."),
    dropZone("Drop a proof bundle (.json) here, or choose one", bundleInput, checkBundle),
    bundleResult,
  );
}

function dropZone(text: string, input: HTMLInputElement, onFile: (file: File) => void): HTMLElement {
  const zone = h("label", { class: "drop" }, h("span", {}, text), input);
  zone.addEventListener("dragover", (event) => (event.preventDefault(), zone.classList.add("over")));
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    const file = event.dataTransfer?.files[0];
    if (file !== undefined) onFile(file);
  });
  return zone;
}

async function renderFile(file: File, result: HTMLElement, chain: () => Promise<Chain>): Promise<void> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  // Documents are anchored by SHA-256 (what courts and notaries use); keccak256 is also looked up, for
  // documents anchored the way the EVM hashes.
  const hashes = [
    { algorithm: "SHA-256", value: sha256(bytes) },
    { algorithm: "keccak256", value: keccak256(bytes) },
  ];
  const c = await chain();
  const vault = c.evidenceVault();
  let found: (typeof hashes)[number] | undefined;
  for (const candidate of hashes) {
    if ((await vault.anchorOf(candidate.value)).anchoredAt !== 0n) {
      found = candidate;
      break;
    }
  }
  const fileFacts = facts([
    ["File", `${file.name} (${bytes.length.toLocaleString("en")} bytes)`],
    ...hashes.map(({ algorithm, value }): [string, HTMLElement] => [algorithm, h("code", { class: "hash full" }, value)]),
  ]);
  if (found === undefined) {
    show(
      result,
      banner("notfound", "Not found: this file is not anchored", `No anchor on chain ${c.chainId} has this file's hash. Either it was never registered, or it is not the registered document: changing a single byte changes its hash.`),
      fileFacts,
    );
    return;
  }
  const bundle = await buildBundle(vault, found.value, { fromBlock: c.fromBlock });
  const head = await vault.custodyHeadOf(found.value);
  const custodyRows = linkCheck(found.value, bundle);
  const custodyBroken = custodyRows.some((row) => !row.ok) || (bundle.custody.entries.at(-1)?.head ?? ZeroHash) !== head;
  const verdicts: HTMLElement[] = [];
  if (bundle.anchor.disputed) {
    verdicts.push(
      banner(
        "disputed",
        "Disputed: a party contests this evidence",
        ...bundle.disputes.map((d) => h("p", {}, `${c.label(d.party)} disputed it on ${when(d.time)} (reason ${d.reasonHash.slice(0, 10)}…, block ${d.blockNumber}). The anchor stands; the court weighs the dispute.`)),
      ),
    );
  }
  if (custodyBroken) verdicts.push(banner("tampered", "Tampered: the custody log the node returned does not reach the head on chain"));
  if (!bundle.anchor.disputed && !custodyBroken) {
    verdicts.push(
      banner(
        "verified",
        `Anchored and unchanged since ${when(bundle.anchor.time)}`,
        `This file is the document anchored in case ${bundle.anchor.caseId}; ${bundle.witnesses.final ? "final: witnessed by the required number of witnesses" : "not final yet: more witnesses must co-sign"}.`,
      ),
    );
  }
  if (bundle.versions.next !== ZeroHash) verdicts.push(banner("warning", "A newer version was anchored", "This version is superseded by ", hash(bundle.versions.next)));
  const download = h("button", { type: "button" }, "Download the proof bundle");
  download.addEventListener("click", () => {
    const blob = new Blob([`${JSON.stringify(bundle, null, 2)}\n`], { type: "application/json" });
    const a = h("a", { href: URL.createObjectURL(blob), download: `evidence-${found.value.slice(2, 14)}.json` });
    a.click();
    URL.revokeObjectURL(a.href);
  });
  show(
    result,
    ...verdicts,
    fileFacts,
    h("h3", {}, "Anchor"),
    facts([
      ["Hash matched", `${found.algorithm} of the file`],
      ["Case", `#${bundle.anchor.caseId} (court reference hash ${bundle.anchor.courtRef.slice(0, 10)}…)`],
      ["Submitted by", [c.label(bundle.anchor.submitter), " ", h("code", { class: "did" }, bundle.anchor.submitterDid)]],
      ["Category", bundle.anchor.categoryName],
      ["Anchored", `${when(bundle.anchor.time)}, block ${bundle.anchor.blockNumber}`],
      ["Transaction", hash(bundle.anchor.transactionHash)],
      ["Checkpoint", bundle.checkpoint === null ? "none covers it yet" : `#${bundle.checkpoint.sequence}, accumulator ${bundle.checkpoint.accumulator.slice(0, 10)}…`],
    ]),
    h("h3", {}, "Witnesses"),
    h(
      "p",
      {},
      bundle.witnesses.final
        ? badge("verified", `final: ${bundle.witnesses.cosigners.length} co-signatures, ${bundle.witnesses.threshold} required`)
        : badge("warning", `not final: ${bundle.witnesses.cosigners.length} of ${bundle.witnesses.threshold} co-signatures`),
    ),
    table(
      ["witness", "DID", "co-signed", ""],
      bundle.witnesses.cosigners.map((w) => [c.label(w.witness), h("code", { class: "did" }, w.did), `block ${w.blockNumber}`, badge("verified", "signature accepted on chain")]),
    ),
    h("h3", {}, "Chain of custody"),
    h(
      "p",
      {},
      custodyBroken
        ? badge("tampered", "the log does not link up to the custody head on chain")
        : badge("verified", `${bundle.custody.entries.length} entries, each linked to the one before, ending at the head on chain`),
    ),
    table(
      ["#", "time", "action", "by", ""],
      bundle.custody.entries.map((entry, i) => [String(i + 1), when(entry.time), actionName(entry.action), c.label(entry.actor), custodyRows[i].ok ? badge("verified", "linked") : badge("tampered", "altered or out of order")]),
    ),
    bundle.disputes.length === 0 ? null : [h("h3", {}, "Disputes"), table(["party", "time", "reason hash", "block"], bundle.disputes.map((d) => [c.label(d.party), when(d.time), hash(d.reasonHash), String(d.blockNumber)]))],
    h("p", {}, download),
  );
}

/** Each custody entry recomputed from its fields and the entry before it. */
function linkCheck(documentHash: string, bundle: EvidenceBundle): { ok: boolean }[] {
  let previous = ZeroHash;
  return bundle.custody.entries.map((entry) => {
    const ok = custodyEntry(previous, { hash: documentHash, ...entry }) === entry.head;
    previous = entry.head;
    return { ok };
  });
}

async function renderBundle(file: File, result: HTMLElement, chain: () => Promise<Chain>): Promise<void> {
  let bundle: EvidenceBundle;
  try {
    bundle = JSON.parse(await file.text()) as EvidenceBundle;
    if (typeof bundle !== "object" || bundle === null || typeof bundle.anchor !== "object" || typeof bundle.document !== "object") throw new Error("it lacks the anchor or document part");
  } catch (error) {
    show(result, banner("tampered", "Not a proof bundle", `${file.name} cannot be read as a trustbase evidence bundle: ${(error as Error).message}.`));
    return;
  }
  const c = await chain();
  const vault = c.evidenceVault();
  let verdicts: BundleVerdict[];
  try {
    verdicts = await verifyBundle(vault, bundle);
  } catch (error) {
    show(result, banner("tampered", "The bundle cannot be verified", `${(error as Error).message}`));
    return;
  }
  const anchored = (await vault.anchorOf(bundle.anchor.hash).catch(() => null))?.anchoredAt;
  const failed = verdicts.filter((v) => !v.ok);
  const headline =
    failed.length === 0
      ? banner("verified", "Verified: every part of the bundle matches the chain", `${file.name}: document ${bundle.document.hash.slice(0, 10)}…, anchored ${when(bundle.anchor.time)}${bundle.anchor.disputed ? " (disputed)" : ""}.`)
      : anchored === 0n
        ? banner("notfound", "Not found: the bundle's anchor is not in this vault", `${file.name} names ${bundle.anchor.hash}, which chain ${c.chainId} never anchored.`)
        : banner("tampered", `Tampered: ${failed.length} part${failed.length === 1 ? "" : "s"} of the bundle do not match the chain`, `${failed.map((v) => PART_NAMES[v.part]).join(", ")}: see the fields named below.`);
  show(
    result,
    headline,
    bundle.anchor.disputed && failed.length === 0 ? banner("disputed", "Disputed: a party contests this evidence", `${bundle.disputes.length} dispute(s) recorded.`) : null,
    table(
      ["part", "verdict", "details"],
      verdicts.map((v) => [
        PART_NAMES[v.part],
        v.ok ? badge("verified", "verified") : badge("tampered", "does not match"),
        v.ok ? v.summary : h("ul", { class: "problems" }, ...v.problems.map((p) => h("li", {}, p))),
      ]),
      "parts",
    ),
  );
}

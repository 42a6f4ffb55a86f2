import { ZeroHash, dataSlice, getAddress } from "ethers";
import jsQR from "jsqr";
import { digitalLink, parseDigitalLink, traceIdIndex, traceIdOf, type Gs1Key } from "../../../sdk/gs1.js";
import { Disposition, TraceStatus, linkOf, readTrace, verifyReadingOffChain, type BatchTrace, type SensorReading, type TraceEvent } from "../../../sdk/trace.js";
import type { Chain } from "../chain.js";
import { badge, banner, facts, h, hash, show, when, type State } from "../dom.js";
import { verdictsFromHead, type LinkVerdict } from "../links.js";
import { navigate } from "../router.js";

/** A published sensor report: the readings of one event, each with its Merkle proof (scripts/site writes them). */
export interface SensorReport {
  format: "trustbase-sensor-report/1";
  batchId: string;
  eventIndex: number;
  sensorRoot: string;
  readings: { reading: SensorReading; proof: string[] }[];
}

const AI_NAMES: Record<string, string> = { "01": "GTIN", "00": "SSCC", "8004": "GIAI", "10": "Lot", "21": "Serial", "22": "CPV" };
const DISPOSITIONS = Object.fromEntries(Object.entries(Disposition).map(([name, id]) => [id, name.replaceAll("_", " ")]));
const UNITS: Record<string, string> = { CEL: "°C", P1: "%", KGM: "kg" };
/** How many ancestor batches the journey shows (statusOf itself walks up to 256 on chain). */
const MAX_JOURNEY = 16;

export function tracePage(params: URLSearchParams, container: HTMLElement, chain: () => Promise<Chain>, onFailure: (error: unknown, where?: Element) => void): void {
  const link = params.get("link") ?? "";
  const input = h("input", { type: "url", name: "link", value: link, placeholder: "https://id.gs1.org/01/09506000134352/10/ABC123", required: true, "aria-label": "GS1 Digital Link" });
  const scanStatus = h("p", { class: "scan-status", "aria-live": "polite" });
  const video = h("video", { class: "scanner", hidden: true, playsinline: true, muted: true });
  const go = (value: string) => navigate("trace", { link: value.trim() });
  const photo = h("input", {
    type: "file",
    accept: "image/*",
    name: "qr-photo",
    "aria-label": "Photo of the QR code",
    onchange: async () => {
      const file = photo.files?.[0];
      if (file === undefined) return;
      const found = await decodeImage(await createImageBitmap(file));
      if (found === null) scanStatus.textContent = "No QR code found in this picture.";
      else go(found);
    },
  });
  const form = h(
    "form",
    { class: "query", onsubmit: (event: Event) => (event.preventDefault(), go(input.value)) },
    h("label", {}, "GS1 Digital Link (the product's QR code)", input),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Check"), h("button", { type: "button", onclick: () => scan(video, scanStatus, go) }, "Scan QR code"), h("label", { class: "file" }, "or a photo of it ", photo)),
    video,
    scanStatus,
  );
  const result = h("section", { class: "result", "aria-live": "polite" });
  show(container, h("h1", {}, "Trace a product"), h("p", { class: "lead" }, "Where a batch comes from, who handled it, and whether it was recalled: every event is checked against the hash chain the TraceRegistry keeps."), form, result);
  if (link === "") return;
  let key: Gs1Key;
  try {
    key = parseDigitalLink(link);
  } catch (error) {
    show(result, banner("notfound", "Not a GS1 Digital Link", (error as Error).message));
    return;
  }
  show(result, h("p", { class: "loading" }, "Reading the chain…"));
  renderTrace(key, result, chain).catch(onFailure);
}

async function renderTrace(key: Gs1Key, result: HTMLElement, chain: () => Promise<Chain>): Promise<void> {
  const c = await chain();
  const registry = c.traceRegistry();
  const canonical = digitalLink(key);
  const batchId = traceIdOf(key);
  const names = traceIdIndex([canonical, ...(c.config.links ?? [])]);
  const nameOf = (id: string) => names.get(id) ?? id;
  const view = await registry.traceOf(batchId);
  const status = TraceStatus[Number(view.status)];
  const identity = facts([
    ...Object.entries({ [key.primary]: key.value, ...key.qualifiers }).map(([ai, value]): [string, string] => [`${AI_NAMES[ai] ?? `AI (${ai})`}`, value]),
    ["Digital Link", canonical],
    ["Trace id", hash(batchId)],
  ]);
  if (status === "Unknown") {
    show(result, banner("notfound", "Not found", `No batch with this link is recorded on chain ${c.chainId}. Check the code again; a product that was never registered cannot be traced.`), identity);
    return;
  }

  // The journey: the batch and the batches it was made from, oldest generation first.
  const lineage: { id: string; depth: number }[] = [{ id: batchId, depth: 0 }];
  for (let i = 0; i < lineage.length && lineage.length < MAX_JOURNEY; i++) {
    for (const parent of await registry.parentsOf(lineage[i].id)) {
      if (!lineage.some((entry) => entry.id === parent)) lineage.push({ id: parent, depth: lineage[i].depth + 1 });
    }
  }
  const traces = new Map<string, BatchTrace>();
  for (const { id } of lineage) traces.set(id, await readTrace(registry, id, c.fromBlock));
  const tampered = [...traces.values()].filter((trace) => !trace.verdict.valid);
  const recalls = (
    await Promise.all(
      [...lineage.map((entry) => entry.id), ...(view.container === ZeroHash ? [] : [view.container])].map(async (id) =>
        (await registry.queryFilter(registry.filters.BatchRecalled(id), c.fromBlock)).map((log) => ({ id, log })),
      ),
    )
  ).flat();

  const verdicts: HTMLElement[] = [];
  if (tampered.length > 0) {
    verdicts.push(
      banner(
        "tampered",
        "Tampered: the history the node returned does not match the chain",
        ...tampered.map((trace) => h("p", {}, `${nameOf(trace.batchId)}: ${trace.verdict.reason}. Do not rely on the events shown for it.`)),
      ),
    );
  }
  if (status === "Recalled") {
    verdicts.push(
      banner(
        "recalled",
        "RECALLED: do not sell or consume",
        recalls.length === 0
          ? "The registry reports this batch as recalled (through a container or an ancestor beyond the journey shown)."
          : recalls.map(({ id, log }) =>
              h(
                "p",
                {},
                id === batchId ? "This batch" : `It was made from ${nameOf(id)}, which`,
                ` was recalled by ${c.label(log.args.actor)} (block ${log.blockNumber}, reason ${log.args.reason.slice(0, 10)}…).`,
              ),
            ),
      ),
    );
  } else if (tampered.length === 0) {
    verdicts.push(
      banner(
        "verified",
        status === "Consumed" ? "Verified journey: this batch was processed into other products" : "Verified journey: not recalled",
        `${[...traces.values()].reduce((n, trace) => n + trace.events.length, 0)} events of ${traces.size} batch${traces.size === 1 ? "" : "es"}, each checked against the hash chain on chain ${c.chainId}.`,
      ),
    );
  }

  const sections: HTMLElement[] = [];
  for (const { id, depth } of [...lineage].reverse()) {
    const trace = traces.get(id)!;
    const created = (await registry.queryFilter(registry.filters.BatchCreated(id), c.fromBlock))[0];
    const voided = new Set((await registry.queryFilter(registry.filters.EventVoided(id), c.fromBlock)).map((log) => Number(log.args.voidedIndex)));
    const items: HTMLElement[] = [];
    if (created !== undefined) {
      const block = await c.provider.getBlock(created.blockNumber);
      items.push(
        h("li", { class: "event created" }, h("div", { class: "event-head" }, h("span", { class: "time" }, block === null ? "" : when(block.timestamp)), h("strong", {}, "Registered"), " by ", c.label(created.args.owner)), h("div", { class: "event-meta" }, `block ${created.blockNumber}`)),
      );
    }
    const links = verdictsFromHead(trace.events, trace.head, linkOf, (event) => event.previous);
    for (const [i, event] of trace.events.entries()) items.push(await eventItem(event, links[i], voided.has(event.index), c, nameOf));
    sections.push(
      h(
        "section",
        { class: "batch", "data-batch": id },
        h("h3", {}, id === batchId ? "This batch" : depth === 1 ? "Made from" : `Made from (${depth} steps back)`, ": ", nameOf(id) === id ? hash(id) : nameOf(id)),
        trace.verdict.valid
          ? badge("verified", `${trace.events.length} event${trace.events.length === 1 ? "" : "s"}, hash chain verified against the head on chain`)
          : badge("tampered", `hash chain broken at event ${trace.verdict.brokenAt}: ${trace.verdict.reason}`),
        h("ol", { class: "timeline" }, ...items),
      ),
    );
  }
  show(
    result,
    ...verdicts,
    identity,
    facts([
      ["Status", status],
      ["Owner", c.label(view.owner)],
      ["Custodian", c.label(view.custodian)],
      ["Made from", view.parents.length === 0 ? "—" : view.parents.map((parent) => h("a", { href: linkTo(names.get(parent)) }, nameOf(parent) === parent ? hash(parent) : nameOf(parent)))],
    ]),
    h("h2", {}, "Journey"),
    ...sections,
  );
}

function linkTo(link: string | undefined): string | undefined {
  return link === undefined ? undefined : `#/trace?link=${encodeURIComponent(link)}`;
}

const addressIn = (word: string) => getAddress(dataSlice(word, 12));

async function eventItem(event: TraceEvent, verdict: LinkVerdict, voided: boolean, c: Chain, nameOf: (id: string) => string): Promise<HTMLElement> {
  const step = c.config.steps?.[String(event.step)] ?? `step ${event.step}`;
  let what: string;
  switch (event.kind) {
    case "Transaction":
      what = `${event.disposition === 1 ? "ownership" : "custody"} passed from ${c.label(addressIn(event.readPoint))} to ${c.label(addressIn(event.bizLocation))}`;
      break;
    case "Transformation": {
      const [made] = await c.traceRegistry().queryFilter(c.traceRegistry().filters.Transformed(BigInt(event.readPoint)), c.fromBlock);
      const outputs = made === undefined ? [] : made.args.outputs.map((output: string) => nameOf(output));
      what = outputs.length === 0 ? `${step} (transformation #${BigInt(event.readPoint)})` : `${step}: made into ${outputs.join(", ")}`;
      break;
    }
    case "Correction":
      what = `correction: voids event #${BigInt(event.readPoint)}`;
      break;
    case "Recall":
      what = `RECALL (${step}), reason ${event.bizLocation.slice(0, 10)}…`;
      break;
    case "Breach":
      what = `sensor breach recorded in event #${BigInt(event.readPoint)}`;
      break;
    default:
      // "active" is what most events say; other dispositions (in transit, sellable, damaged …) are news.
      what = `${step}${event.disposition !== Disposition.active && DISPOSITIONS[event.disposition] ? `, ${DISPOSITIONS[event.disposition]}` : ""}`;
  }
  const sensor = event.sensorRoot === ZeroHash ? null : await sensorBlock(event, c);
  return h(
    "li",
    { class: `event ${event.kind.toLowerCase()}${voided ? " voided" : ""}`, "data-index": event.index },
    h(
      "div",
      { class: "event-head" },
      h("span", { class: "time" }, when(event.time)),
      h("strong", {}, what),
      " by ",
      c.label(event.actor),
      " ",
      {
        verified: badge("verified", "verified"),
        tampered: badge("tampered", "does not match the chain"),
        unverifiable: badge("warning", "cannot be checked: the chain is broken after it"),
      }[verdict],
      voided ? badge("warning", "voided by a later correction") : null,
    ),
    h("div", { class: "event-meta" }, `#${event.index} · ${event.kind} · event hash `, hash(event.eventHash), event.blockNumber === undefined ? "" : ` · block ${event.blockNumber}`),
    sensor,
  );
}

async function sensorBlock(event: TraceEvent, c: Chain): Promise<HTMLElement> {
  const base = c.config.sensorData;
  let report: SensorReport | undefined;
  if (base !== undefined) {
    const response = await fetch(`${base}${event.batchId}-${event.index}.json`, { cache: "no-store" }).catch(() => undefined);
    if (response?.ok) report = (await response.json().catch(() => undefined)) as SensorReport | undefined;
  }
  if (report === undefined || !Array.isArray(report.readings)) {
    return h("div", { class: "sensor" }, badge("info", "sensor readings committed"), " root ", hash(event.sensorRoot), " (the readings are not published here)");
  }
  const rows = report.readings.map(({ reading, proof }) => {
    const ok = (() => {
      try {
        return verifyReadingOffChain(event.sensorRoot, reading, proof);
      } catch {
        return false;
      }
    })();
    return h(
      "tr",
      {},
      h("td", {}, when(reading.time)),
      h("td", {}, String(reading.type).replace(/^gs1:/, "")),
      h("td", { class: "number" }, `${Number(reading.milliValue) / 1000} ${UNITS[reading.unit] ?? reading.unit}`),
      h("td", {}, ok ? badge("verified", "proved") : badge("tampered", "does not match the root on chain")),
    );
  });
  const failed = rows.filter((row) => row.querySelector(".badge.tampered") !== null).length;
  return h(
    "div",
    { class: "sensor" },
    failed === 0
      ? badge("verified", `${rows.length} sensor readings proved against the root recorded on chain`)
      : badge("tampered", `${failed} of ${rows.length} sensor readings do not match the root recorded on chain`),
    h("table", { class: "readings" }, h("thead", {}, h("tr", {}, h("th", {}, "time"), h("th", {}, "reading"), h("th", {}, "value"), h("th", {}, "proof"))), h("tbody", {}, ...rows)),
  );
}

// ───────────────────────────── QR codes ─────────────────────────────

async function decodeImage(image: ImageBitmap | HTMLVideoElement): Promise<string | null> {
  const width = image instanceof HTMLVideoElement ? image.videoWidth : image.width;
  const height = image instanceof HTMLVideoElement ? image.videoHeight : image.height;
  if (width === 0 || height === 0) return null;
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d", { willReadFrequently: true })!;
  context.drawImage(image, 0, 0);
  const code = jsQR(context.getImageData(0, 0, width, height).data, width, height);
  return code?.data ?? null;
}

/** Reads QR codes from the camera until one is found (jsQR on video frames: works where BarcodeDetector does not). */
async function scan(video: HTMLVideoElement, status: HTMLElement, found: (link: string) => void): Promise<void> {
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  } catch (error) {
    status.textContent = `No camera available (${(error as Error).message}). Type the link, or choose a photo of the QR code.`;
    return;
  }
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  status.textContent = "Point the camera at the QR code…";
  const stop = () => {
    for (const track of stream.getTracks()) track.stop();
    video.hidden = true;
  };
  const tick = async () => {
    if (!video.isConnected) return stop();
    const link = await decodeImage(video);
    if (link === null) return void setTimeout(tick, 200);
    stop();
    found(link);
  };
  void tick();
}

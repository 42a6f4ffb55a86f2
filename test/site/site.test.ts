import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { id as keccakText } from "ethers";
import { chromium, type Browser, type Page } from "playwright-core";
import QRCode from "qrcode";
import { build, preview, type PreviewServer } from "vite";
import { startStack, type SiteStack } from "../../scripts/site/stack.js";
import { freePort, removeOutputs, root } from "../deploy/node.js";

/**
 * The verification site in a real browser: Debian's Chromium, headless, driven by playwright-core (no browser is
 * downloaded: CHROMIUM or /usr/bin/chromium). The site is built with Vite and served by `vite preview` against a
 * hardhat node holding the suite, the demo and the site's demo data (scripts/site/chapter.ts), as `npm run site`
 * serves it; each test opens a page as a person would and reads what the page shows: verified journeys and
 * histories, recalled, disputed, tampered and not-found states, and a node that does not answer. Screenshots of
 * the pages go to test-results/site/ (ignored by git: times and names change each run), or to SITE_SCREENSHOTS_DIR
 * (`SITE_SCREENSHOTS_DIR=docs/site npm run test:site` refreshes the ones the README shows).
 *
 * Run by `npm run test:site` (TRUSTBASE_SITE_TESTS=1), not by `npm test`: it needs Chromium and takes a few minutes.
 */
const siteTests = process.env.TRUSTBASE_SITE_TESTS === "1" ? describe : describe.skip;

/** Reserved for these tests (test/deploy/ uses 31339 to 31343). */
const CHAIN_ID = 31346;
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
/** Without the background-networking flags Chromium tries to reach Google's services, which a closed network refuses. */
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const SCREENSHOTS = path.resolve(root, process.env.SITE_SCREENSHOTS_DIR ?? path.join("test-results", "site"));
const TRACE_EVENT = keccakText("TraceEventRecorded(bytes32,address,uint256,uint8,uint8,uint8,bytes32,bytes32,bytes32,bytes32,bytes32,uint64)");
const BILL_ACTION = keccakText("BillAction(uint256,uint8,bytes32,address,address,bytes32)");

/**
 * A Y4M video (Chromium's fake camera plays one) showing the QR code of `text`: 8 pixels a module, a quiet zone of
 * four, black on white in the luma plane, neutral chroma.
 */
function qrVideo(text: string, file: string): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const scale = 8;
  const side = (modules.size + 8) * scale;
  const luma = Buffer.alloc(side * side, 235);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const [row, col] = [Math.floor(y / scale) - 4, Math.floor(x / scale) - 4];
      if (row >= 0 && col >= 0 && row < modules.size && col < modules.size && modules.get(row, col)) luma[y * side + x] = 16;
    }
  }
  const chroma = Buffer.alloc((side / 2) * (side / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma]);
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${side} H${side} F10:1 Ip A1:1 C420jpeg\n`), ...Array(10).fill(frame)]));
}

siteTests("verification site (Chromium, headless)", function () {
  this.timeout(120_000);
  let work: string;
  let stack: SiteStack;
  let server: PreviewServer;
  let browser: Browser;
  let base: string;
  let page: Page;
  const file = (relative: string) => path.join(stack.outDir, relative);

  /** Opens `hash` of the site (with `query` before it) and waits for the page's verdict. */
  async function open(hash: string, query = ""): Promise<string> {
    await page.goto(`${base}${query}${hash}`);
    await page.locator("main .banner").first().waitFor({ timeout: 60_000 });
    return page.locator("main").innerText();
  }

  /** Answers of the node pass through `alter` on their way to the page: a node (or proxy) that lies. */
  async function lyingNode(alter: (log: { topics: string[]; data: string }) => boolean): Promise<void> {
    await page.route(stack.rpcUrl, async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      for (const answer of Array.isArray(body) ? body : [body]) {
        if (!Array.isArray(answer.result)) continue;
        const log = answer.result.find((entry: { topics?: string[] }) => Array.isArray(entry?.topics) && alter(entry as { topics: string[]; data: string }));
        if (log !== undefined) log.data = `${log.data.slice(0, -2)}${log.data.endsWith("01") ? "02" : "01"}`;
      }
      await route.fulfill({ response, json: body });
    });
  }

  const screenshot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  before(async function () {
    this.timeout(600_000);
    removeOutputs(CHAIN_ID);
    work = mkdtempSync(path.join(tmpdir(), "trustbase-site-"));
    stack = await startStack({ chainId: CHAIN_ID, outDir: path.join(work, "public") });
    const configFile = path.join(root, "site", "vite.config.ts");
    const outDir = path.join(work, "dist");
    await build({ configFile, publicDir: stack.outDir, build: { outDir }, logLevel: "warn" });
    server = await preview({ configFile, build: { outDir }, preview: { port: await freePort() }, logLevel: "warn" });
    base = server.resolvedUrls!.local[0].replace(/\/?$/, "/");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  beforeEach(async function () {
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  });

  afterEach(async function () {
    await page?.close();
  });

  after(async function () {
    this.timeout(60_000);
    await browser?.close();
    await server?.close();
    await stack?.stop();
    removeOutputs(CHAIN_ID);
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  describe("trace", function () {
    it("shows a lot's journey from planting to the shop, every event and sensor reading verified", async function () {
      const text = await open(`#/trace?link=${encodeURIComponent(stack.facts.trace.verified)}`);
      expect(text).to.contain("Verified journey: not recalled");
      expect(text).to.contain("8 events of 2 batches, each checked against the hash chain");
      expect(text).to.contain(`Made from: ${stack.facts.trace.parent}`);
      for (const step of ["planting", "harvesting", "processing", "packing", "custody passed from Green Valley Co-op to Polar Freight", "shipping, in transit cold chain", "receiving, sellable accessible"]) {
        expect(text).to.contain(step);
      }
      expect(text).to.contain(`processing: made into ${stack.facts.trace.verified}`);
      expect(text).to.contain("6 sensor readings proved against the root recorded on chain");
      expect(text).to.contain("4 sensor readings proved against the root recorded on chain");
      expect(await page.locator(".event .event-head .badge.verified").count()).to.equal(8);
      expect(await page.locator(".badge.tampered").count()).to.equal(0);
      expect(text).to.match(/Custodian\s+Corner Grocer/);
      await screenshot("trace");
    });

    it("finds the lot from a photo of its QR code", async function () {
      await page.goto(`${base}#/trace`);
      await page.setInputFiles("input[name=qr-photo]", file(stack.facts.qr));
      await page.locator("main .banner").first().waitFor();
      expect(await page.locator("input[name=link]").inputValue()).to.equal(stack.facts.trace.verified);
      expect(await page.locator("main").innerText()).to.contain("Verified journey: not recalled");
    });

    it("finds the lot with the camera pointed at its QR code", async function () {
      const video = path.join(work, "qr.y4m");
      qrVideo(stack.facts.trace.verified, video);
      const camera = await chromium.launch({
        executablePath: CHROMIUM,
        args: [...CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${video}`],
      });
      try {
        const scanner = await camera.newPage();
        await scanner.goto(`${base}#/trace`);
        await scanner.getByRole("button", { name: "Scan QR code" }).click();
        await scanner.locator("main .banner").first().waitFor({ timeout: 60_000 });
        expect(await scanner.locator("input[name=link]").inputValue()).to.equal(stack.facts.trace.verified);
        expect(await scanner.locator("main").innerText()).to.contain("Verified journey: not recalled");
        expect(await scanner.locator("video.scanner").isHidden()).to.equal(true);
      } finally {
        await camera.close();
      }
    });

    it("shows a lot milled from recalled paddy as RECALLED, naming the paddy and the inspector", async function () {
      const text = await open(`#/trace?link=${encodeURIComponent(stack.facts.trace.recalled)}`);
      expect(text).to.contain("RECALLED: do not sell or consume");
      expect(text).to.contain(`It was made from ${stack.facts.trace.recalledParent}, which was recalled by Food safety inspector`);
      expect(text).to.match(/Status\s+Recalled/);
      expect(text).to.contain("RECALL (inspecting)");
      expect(text).not.to.contain("Verified journey");
      await screenshot("trace-recalled");
    });

    it("says not found for a link no batch has, and explains a link that is not GS1", async function () {
      const unknown = "https://id.gs1.org/01/09506000134369/10/NO-SUCH-LOT";
      let text = await open(`#/trace?link=${encodeURIComponent(unknown)}`);
      expect(text).to.contain("Not found");
      expect(text).to.contain(`No batch with this link is recorded on chain ${CHAIN_ID}`);
      expect(text).not.to.contain("Journey");
      text = await open(`#/trace?link=${encodeURIComponent("https://id.gs1.org/01/09506000134368/10/X")}`);
      expect(text).to.contain("Not a GS1 Digital Link");
      expect(text).to.contain("check digit 8, expected 9");
    });

    it("marks the journey tampered when the node alters an event", async function () {
      await lyingNode((log) => log.topics[0] === TRACE_EVENT);
      const text = await open(`#/trace?link=${encodeURIComponent(stack.facts.trace.verified)}`);
      expect(text).to.contain("Tampered: the history the node returned does not match the chain");
      expect(text).not.to.contain("Verified journey");
      // The node altered the first event of each batch: that event is named, the later ones still link to the head.
      for (const batch of await page.locator("section.batch").all()) {
        const verdicts = await batch.locator(".event .event-head .badge").allInnerTexts();
        expect(verdicts[0]).to.equal("✗ does not match the chain");
        expect(verdicts.slice(1).every((verdict) => verdict === "✓ verified")).to.equal(true);
      }
    });

    it("marks sensor readings that do not match the root on chain", async function () {
      await page.route(/\/demo\/sensors\/.*\.json$/, async (route) => {
        const response = await route.fetch();
        const report = await response.json();
        report.readings[1].reading.milliValue = 2_000; // a fridge log "improved" after the fact
        await route.fulfill({ response, json: report });
      });
      const text = await open(`#/trace?link=${encodeURIComponent(stack.facts.trace.verified)}`);
      expect(text).to.contain("1 of 6 sensor readings do not match the root recorded on chain");
      expect(text).to.contain("1 of 4 sensor readings do not match the root recorded on chain");
      expect(await page.locator("table.readings .badge.tampered").count()).to.equal(2);
    });
  });

  describe("evidence", function () {
    async function dropDocument(source: string): Promise<string> {
      await page.setInputFiles("input[name=document]", source);
      await page.locator("#file-result .banner").first().waitFor({ timeout: 60_000 });
      return page.locator("#file-result").innerText();
    }

    async function loadBundle(source: string): Promise<string> {
      await page.setInputFiles("input[name=bundle]", source);
      await page.locator("#bundle-result .banner").first().waitFor({ timeout: 60_000 });
      return page.locator("#bundle-result").innerText();
    }

    it("finds a dropped document's anchor, witnesses and custody log", async function () {
      await page.goto(`${base}#/evidence`);
      const text = await dropDocument(file(stack.facts.evidence.file));
      expect(text).to.match(/Anchored and unchanged since \d{4}-\d\d-\d\d/);
      expect(text).to.contain("final: witnessed by the required number of witnesses");
      expect(text).to.contain("SHA-256 of the file");
      expect(text).to.match(/Submitted by\s+Plaintiff Sun did:ethr:/);
      expect(text).to.contain("final: 2 co-signatures, 2 required");
      expect(text).to.contain("Notary office Xicheng");
      expect(text).to.contain("Arbitration centre");
      expect(text).not.to.contain("Notary office Dongcheng");
      expect(text).to.contain("4 entries, each linked to the one before, ending at the head on chain");
      expect(text).to.match(/UPLOAD\s+Clerk Liu[\s\S]*REVIEW\s+Clerk Liu[\s\S]*APPROVE\s+Judge Zhou[\s\S]*VIEW\s+Judge Zhou/);
      expect(await page.locator("#file-result .badge.tampered").count()).to.equal(0);
    });

    it("says not found for a copy of the document with one byte changed", async function () {
      const altered = readFileSync(file(stack.facts.evidence.file));
      const at = altered.indexOf("250,000");
      altered[at] = "3".charCodeAt(0); // CNY 350,000
      const copy = path.join(work, "loan-contract-edited.pdf");
      writeFileSync(copy, altered);
      await page.goto(`${base}#/evidence`);
      const text = await dropDocument(copy);
      expect(text).to.contain("Not found: this file is not anchored");
      expect(text).to.contain("loan-contract-edited.pdf");
      expect(text).not.to.contain("Anchored and unchanged");
    });

    it("shows a disputed document as disputed, naming the party", async function () {
      await page.goto(`${base}#/evidence`);
      const text = await dropDocument(file(stack.facts.evidence.disputedFile));
      expect(text).to.contain("Disputed: a party contests this evidence");
      expect(text).to.match(/Defendant Ma disputed it on \d{4}-\d\d-\d\d/);
      expect(text).not.to.contain("Anchored and unchanged");
    });

    it("verifies every part of a true proof bundle", async function () {
      await page.goto(`${base}#/evidence`);
      const text = await loadBundle(file(stack.facts.evidence.bundle));
      expect(text).to.contain("Verified: every part of the bundle matches the chain");
      expect(await page.locator("#bundle-result table.parts .badge.verified").count()).to.equal(8);
      expect(await page.locator("#bundle-result .badge.tampered").count()).to.equal(0);
    });

    it("marks the parts of an altered proof bundle that do not match, naming the fields", async function () {
      await page.goto(`${base}#/evidence`);
      await dropDocument(file(stack.facts.evidence.file));
      const text = await loadBundle(file(stack.facts.evidence.alteredBundle));
      expect(text).to.contain("Tampered: 2 parts of the bundle do not match the chain");
      const rows = page.locator("#bundle-result table.parts tbody tr");
      const failing = rows.filter({ has: page.locator(".badge.tampered") });
      expect(await failing.locator("td:first-child").allInnerTexts()).to.deep.equal(["Anchor", "Checkpoint"]);
      expect(text).to.contain("anchor.submitter: the bundle says");
      expect(text).to.contain("anchor.time: the bundle says");
      expect(text).to.contain("checkpoint.entry: is not the entry of the bundle's anchor fields");
      await screenshot("evidence");
    });

    it("refuses a file that is not a proof bundle", async function () {
      const junk = path.join(work, "notes.json");
      writeFileSync(junk, '{"hello": "court"}');
      await page.goto(`${base}#/evidence`);
      const text = await loadBundle(junk);
      expect(text).to.contain("Not a proof bundle");
    });
  });

  describe("bill of lading", function () {
    it("shows the legs, parties, pledge and verified history of a bill", async function () {
      const text = await open(`#/bill?id=${stack.facts.bill.id}`);
      expect(text).to.contain("Verified: 4 actions, legs and parties match the chain");
      expect(text).to.contain("Pledged: pledged to Harbour Credit Bank by Lumen Retail");
      expect(text).to.contain("legs, document and issuer hash to this bill's id");
      const legs = await page.locator("table.legs tbody tr").allInnerTexts();
      expect(legs).to.have.length(3);
      expect(legs[0]).to.match(/1\s+Sea\s+Pacific Lines\s+CNNGB\s+DEHAM\s+✓ handed over, both carriers' cargo data match/);
      expect(legs[1]).to.match(/2\s+Rail\s+Rhine Rail Cargo\s+DEHAM\s+DEDUI\s+not yet/);
      expect(legs[2]).to.match(/3\s+Road\s+Westfalen Trucking\s+DEDUI\s+DEDUS/);
      expect(text).to.contain("parties match the issue record in the history");
      expect(text).to.match(/Shipper\s+Jade Textiles did:ethr:/);
      expect(text).to.match(/Holder \(possession\)\s+Harbour Credit Bank/);
      expect(text).to.match(/Title \(beneficiary\)\s+Lumen Retail/);
      const history = await page.locator("table.history tbody tr").allInnerTexts();
      expect(history.map((row) => row.split("\t")[2])).to.deep.equal(["ISSUE", "ENDORSE_TO_ORDER", "SIGN", "PLEDGE"]);
      expect(await page.locator("table.history .badge.verified").count()).to.equal(4);
      await screenshot("bill");
    });

    it("says not found for an id no bill has", async function () {
      const text = await open(`#/bill?id=0x${"ab".repeat(32)}`);
      expect(text).to.contain("Not found");
      expect(text).to.contain(`No bill with id 0x${"ab".repeat(32)} was issued on chain ${CHAIN_ID}`);
      expect(await page.locator("table.legs").count()).to.equal(0);
    });

    it("marks the history tampered when the node alters an action", async function () {
      await lyingNode((log) => log.topics[0] === BILL_ACTION);
      const text = await open(`#/bill?id=${stack.facts.bill.id}`);
      expect(text).to.contain("Tampered: what the node returned does not match the chain (history, parties)");
      expect(text).to.contain("the history does not link up to the head on chain");
      // The node altered the first action (its parties hash): that one is named, the later ones still link to the head.
      const history = await page.locator("table.history tbody tr").allInnerTexts();
      expect(history.map((row) => row.split("\t").at(-1))).to.deep.equal(["✗ does not match the chain", "✓ verified", "✓ verified", "✓ verified"]);
      expect(text).not.to.contain("Verified:");
    });
  });

  describe("a node that does not answer", function () {
    it("says so on every page, naming the node", async function () {
      const closed = `http://127.0.0.1:${await freePort()}`;
      const query = `?rpc=${encodeURIComponent(closed)}`;
      let text = await open(`#/trace?link=${encodeURIComponent(stack.facts.trace.verified)}`, query);
      expect(text).to.contain("The node is not answering");
      expect(text).to.contain(`The node at ${closed} does not answer`);
      await screenshot("node-down");
      text = await open(`#/bill?id=${stack.facts.bill.id}`, query);
      expect(text).to.contain(`The node at ${closed} does not answer`);
      await page.goto(`${base}${query}#/evidence`);
      await page.setInputFiles("input[name=document]", file(stack.facts.evidence.file));
      await page.locator("#file-result .banner").waitFor();
      expect(await page.locator("#file-result").innerText()).to.contain(`The node at ${closed} does not answer`);
    });
  });
});

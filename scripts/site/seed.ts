/**
 * Demo data for the verification site, on a node: deploys (or resumes) the suite, plays the demo's chapters and
 * the site's own (scripts/site/chapter.ts), and writes what the site serves into SITE_OUT (default site/public):
 * config.json (node URL, chain id, address book, step names, known links and names), demo.json (the examples)
 * and demo/ (documents, proof bundles, sensor reports, a QR code). `npm run site` runs it; by hand:
 *   LOCALHOST_PORT=8545 npx hardhat run scripts/site/seed.ts --network localhost
 * Environment: SITE_OUT, SITE_RPC_URL (the URL the browser uses; default the localhost network's),
 * SITE_DEMO=0 to play only the site's chapter.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import hre, { network } from "hardhat";
import { chapters } from "../demo/chapters/index.js";
import { Demo } from "../demo/runner.js";
import { addressBookOf, writeAddressBook } from "../lib/address-book.js";
import { provisionSuite } from "../lib/provision.js";
import { deploySuite, isDevelopmentNode } from "../lib/suite.js";
import { traceSteps } from "../provision/trace.js";
import { siteChapter, type SiteData } from "./chapter.js";

const connection = await network.create();
if (connection.networkConfig.type !== "http" || !(await isDevelopmentNode(connection))) {
  throw new Error("The site's demo data goes on a local development node: run with --network localhost");
}
const outDir = path.resolve(process.env.SITE_OUT ?? path.join(hre.config.paths.root, "site", "public"));
const rpcUrl = process.env.SITE_RPC_URL ?? `http://127.0.0.1:${process.env.LOCALHOST_PORT ?? 8545}`;

const suite = await deploySuite(connection);
await provisionSuite(connection, suite);
const book = addressBookOf(suite);
writeAddressBook(book);
console.log(`The suite on chain ${suite.chainId}: ${suite.executed.length === 0 ? "already deployed" : `deployed in ${suite.executed.length} steps`}`);

const data: SiteData = { facts: {} as SiteData["facts"], files: new Map(), links: [], labels: {} };
const signers = await connection.ethers.getSigners();
const casts: Demo[] = [];
if (process.env.SITE_DEMO !== "0") {
  casts.push(new Demo(connection, suite, signers));
  await casts[0].play(chapters);
}
// The site's cast gets keys derived from its names, never the node's accounts: the demo (in this run or an
// earlier one on the same node) rotates and deactivates some of those identities.
casts.push(new Demo(connection, suite, signers.slice(0, 1)));
await casts.at(-1)!.play([siteChapter(data)]);

const labels: Record<string, string> = {};
for (const actor of casts.flatMap((cast) => cast.members)) labels[actor.address.toLowerCase()] = actor.name;
Object.assign(labels, data.labels);
const config = {
  rpcUrl,
  chainId: suite.chainId,
  contracts: book.contracts,
  fromBlock: 0,
  steps: Object.fromEntries(traceSteps((suite.parameters.Trace ?? {}) as Record<string, unknown>).map((step) => [String(step.id), step.name.replaceAll("_", " ")])),
  links: data.links,
  labels,
  sensorData: "demo/sensors/",
};
rmSync(path.join(outDir, "demo"), { recursive: true, force: true });
for (const [file, content] of data.files) {
  mkdirSync(path.dirname(path.join(outDir, file)), { recursive: true });
  writeFileSync(path.join(outDir, file), content);
}
writeFileSync(path.join(outDir, "config.json"), `${JSON.stringify(config, null, 2)}\n`);
writeFileSync(path.join(outDir, "demo.json"), `${JSON.stringify(data.facts, null, 2)}\n`);
console.log(`\nSite data written to ${path.relative(process.cwd(), outDir) || "."}: config.json, demo.json, ${data.files.size} files in demo/`);

/**
 * The verification site on demo data, in one command:
 *   npm run site                          hardhat node on 127.0.0.1 (8545 if free), suite + demo + site data, Vite
 *   npm run site -- --rpc http://127.0.0.1:8545   use a development node already running (hardhat node, anvil)
 *   npm run site -- --port 5173 --no-demo         Vite's port; skip the demo's chapters (the site's own data only)
 * Prints the links to open and the files to drop, then serves until Ctrl-C. `npm run site:build` builds the
 * static files instead (site/dist), for any web server next to a config.json.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "vite";
import { startStack } from "./site/stack.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const option = (name: string) => {
  const at = argv.indexOf(`--${name}`);
  return at < 0 ? undefined : argv[at + 1];
};
for (const [i, arg] of argv.entries()) {
  if (arg.startsWith("--") && !["--rpc", "--port", "--no-demo"].includes(arg)) throw new Error(`Unknown option ${arg}: see the header of scripts/site.ts`);
  if ((arg === "--rpc" || arg === "--port") && argv[i + 1] === undefined) throw new Error(`${arg} needs a value`);
}

const outDir = path.join(root, "site", "public");
console.log(option("rpc") === undefined ? "Starting a hardhat node on 127.0.0.1 and seeding the demo data…" : `Seeding the demo data on ${option("rpc")}…`);
const stack = await startStack({
  rpcUrl: option("rpc"),
  preferredPort: 8545,
  outDir,
  demo: !argv.includes("--no-demo"),
  onLine: (line) => console.log(line),
});
const server = await createServer({ configFile: path.join(root, "site", "vite.config.ts"), server: { port: Number(option("port") ?? 5173) } });
await server.listen();
const base = (server.resolvedUrls?.local[0] ?? "http://127.0.0.1:5173/").replace(/\/?$/, "/");
const { facts } = stack;
const file = (relative: string) => path.relative(process.cwd(), path.join(outDir, relative));
console.log(`
The verification site reads ${stack.rpcUrl} (chain ${stack.chainId}) and serves at ${base}

  Trace a lot, its journey and sensor proofs   ${base}#/trace?link=${encodeURIComponent(facts.trace.verified)}
                                               GS1 Digital Link ${facts.trace.verified}
                                               (its QR code: ${file(facts.qr)})
  A recalled lot                               ${base}#/trace?link=${encodeURIComponent(facts.trace.recalled)}
  Evidence: drop these files on                ${base}#/evidence
      the anchored, witnessed document         ${file(facts.evidence.file)}
      a disputed document                      ${file(facts.evidence.disputedFile)}
      its proof bundle / an altered copy       ${file(facts.evidence.bundle)} / ${path.basename(facts.evidence.alteredBundle)}
  A pledged bill of lading                     ${base}#/bill?id=${facts.bill.id}

  A node that does not answer                  ${base}?rpc=http://127.0.0.1:9#/trace?link=${encodeURIComponent(facts.trace.verified)}

Ctrl-C stops the site${stack.node === undefined ? "" : " and the node"}.`);

const stop = async () => {
  await server.close();
  await stack.stop();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);

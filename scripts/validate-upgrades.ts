/**
 * `npm run validate:upgrades`: upgrade safety and storage layouts of every upgradeable contract of contracts/,
 * from the build (the npm script builds first). See scripts/lib/upgrade-safety.ts for what is checked.
 *
 *   npm run validate:upgrades                 # check; exit 1 on any problem
 *   npm run validate:upgrades -- --update     # also write missing layout snapshots and refresh compatible ones
 *   UPDATE_LAYOUTS=1 npm run validate:upgrades  (the same)
 *
 * Snapshots are deploy/layouts/<Contract>.json. An incompatible layout is never written: if no proxy of the
 * contract is deployed yet, delete its snapshot and run with --update.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { validateUpgrades } from "./lib/upgrade-safety.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== "--update");
if (unknown.length > 0) {
  console.error(`unknown argument(s): ${unknown.join(" ")}\nusage: npm run validate:upgrades [-- --update]`);
  process.exit(2);
}
const update = args.includes("--update") || ["1", "true"].includes(process.env.UPDATE_LAYOUTS ?? "");

const started = Date.now();
const result = await validateUpgrades({ root, update });
console.log(result.text);
console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exitCode = result.ok ? 0 : 1;

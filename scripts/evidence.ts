/**
 * Court-ready proof bundles from the command line (see scripts/evidence/cli.ts for what they hold):
 *   npm run evidence -- bundle <documentHash> [--batch <items.json>] [--out <file>] --network localhost
 *   npm run evidence -- verify <bundle.json> --network localhost
 * Runs under tsx, not `hardhat run` (which refuses arguments of its own): it imports Hardhat and opens a connection
 * to --network itself (default: the in-process chain, which starts empty in every process, so against it only
 * `--vault` of a contract deployed in the same process makes sense; the demo runs these commands in-process).
 */
import { network } from "hardhat";
import { runEvidenceCli } from "./evidence/cli.js";

const argv = process.argv.slice(2);
const at = argv.indexOf("--network");
const networkName = at >= 0 ? argv[at + 1] : undefined;
if (at >= 0) argv.splice(at, 2);
try {
  const connection = await network.create(networkName);
  process.exitCode = await runEvidenceCli(argv, connection);
} catch (error) {
  console.error(`evidence: ${(error as Error).message}`);
  process.exitCode = 1;
}

/**
 * Court-ready proof bundles from the command line (see scripts/evidence/cli.ts for what they hold):
 *   npm run evidence -- bundle <documentHash> [--batch <items.json>] [--out <file>] --network localhost
 *   npm run evidence -- verify <bundle.json> --network localhost
 * Runs under tsx, not `hardhat run` (which refuses arguments of its own): it imports Hardhat and opens a connection
 * to --network itself (default: the in-process chain, which starts empty in every process, so against it only
 * `--vault` of a contract deployed in the same process makes sense; the demo runs these commands in-process).
 */
import { runCommand } from "./lib/command.js";
import { runEvidenceCli } from "./evidence/cli.js";

await runCommand("evidence", (argv, connection) => runEvidenceCli(argv, connection));

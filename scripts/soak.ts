/**
 * The soak: a bounded, mixed workload across every module from concurrent senders against a node, then the final
 * state checked against the model the script kept (nothing lost, nothing applied twice, no unexpected revert):
 *   npm run soak -- --network localhost                      10,000 operations from 20 senders
 *   npm run soak -- --network localhost --ops 500 --senders 5
 * Options: --ops N, --senders N, --seed N (the workload's choices), --json FILE (the summary as JSON). Without
 * --network the in-process chain is used. Runs under tsx, not `hardhat run` (which refuses arguments of its own).
 * Exit code 1 on any unexpected failure or mismatch.
 */
import { writeFileSync } from "node:fs";
import { network } from "hardhat";
import { table } from "./lib/format.js";
import { n } from "./soak/context.js";
import { runSoak } from "./soak/runner.js";

const USAGE = "usage: npm run soak -- [--network <name>] [--ops <n>] [--senders <n>] [--seed <n>] [--json <file>]";

function parse(argv: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (!flag.startsWith("--") || value === undefined || value.startsWith("--")) throw new Error(USAGE);
    flags.set(flag.slice(2), value);
  }
  for (const flag of flags.keys()) if (!["network", "ops", "senders", "seed", "json"].includes(flag)) throw new Error(`unknown option --${flag}\n${USAGE}`);
  return flags;
}

function count(flags: Map<string, string>, name: string, fallback: number): number {
  const value = Number(flags.get(name) ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

try {
  const flags = parse(process.argv.slice(2));
  const options = { ops: count(flags, "ops", 10_000), senders: count(flags, "senders", 20), seed: count(flags, "seed", 1) };
  if (options.senders < 2) throw new Error("--senders must be at least 2 (senders transfer to each other)");
  const connection = await network.create(flags.get("network"));
  console.log(`trustbase soak on ${connection.networkName}: ${n(options.ops)} operations from ${options.senders} senders`);
  const summary = await runSoak(connection, options, (line) => console.log(`  ${line}`));

  console.log();
  const rows = Object.entries(summary.modules).map(([module, t]) => [
    module,
    n(t.ops),
    n(t.succeeded),
    n(t.expectedReverts),
    n(t.failures),
    n(t.mismatches),
    t.checked,
  ]);
  const header = ["module", "ops", "succeeded", "expected reverts", "failures", "mismatches", "checked against the model"];
  for (const line of table(header, rows, ["left", "right", "right", "right", "right", "right", "left"])) console.log(`  ${line}`);
  console.log();
  for (const failure of summary.failures) console.log(`  FAILED ${failure}`);
  for (const mismatch of summary.mismatches.slice(0, 50)) console.log(`  MISMATCH ${mismatch}`);
  if (summary.mismatches.length > 50) console.log(`  … and ${summary.mismatches.length - 50} more mismatches`);
  console.log(
    `soak: ${n(summary.ops)} operations from ${summary.senders} senders in ${summary.seconds.toFixed(1)} s: ` +
      `${summary.opsPerSecond.toFixed(1)} ops/s; ${n(summary.succeeded)} succeeded, ${n(summary.expectedReverts)} expected reverts, ` +
      `${n(summary.unexpectedFailures)} unexpected failures, ${n(summary.mismatches.length)} mismatches ` +
      `(chain ${summary.chainId}, ${n(summary.setupTransactions)} setup transactions)`,
  );
  const json = flags.get("json");
  if (json !== undefined) writeFileSync(json, `${JSON.stringify(summary, null, 2)}\n`);
  process.exitCode = summary.unexpectedFailures === 0 && summary.mismatches.length === 0 ? 0 : 1;
} catch (error) {
  console.error(`soak: ${(error as Error).message}`);
  process.exitCode = 1;
}

/**
 * Whether each chain profile's chain would accept the build (`npm run check:profiles`, after `npm run build`):
 * every contract the Suite deploys within the profile's contract size limit, no opcode the profile's EVM lacks.
 * Prints one line per profile and the problems; exits 1 when any profile would reject the build.
 *   npm run check:profiles             every profile
 *   npm run check:profiles -- fisco    the named ones
 */
import { profileNamed, profiles } from "../deploy/profiles/index.js";
import { table } from "./lib/format.js";
import { checkBuild, deployedContractNames } from "./lib/profile.js";

const names = process.argv.slice(2);
const chosen = names.length > 0 ? names.map(profileNamed) : Object.values(profiles);
const contracts = deployedContractNames();
const rows: string[][] = [];
const problems: string[] = [];
for (const profile of chosen) {
  const report = await checkBuild(profile, contracts);
  const largest = report.contracts.reduce((a, b) => (b.size > a.size ? b : a));
  rows.push([
    profile.name,
    profile.evmVersion,
    `${largest.name} ${largest.size.toLocaleString("en")} / ${profile.contractSizeLimit.toLocaleString("en")}`,
    report.problems.length === 0 ? "accepts the build" : `REJECTS (${report.problems.length})`,
  ]);
  problems.push(...report.problems.map((problem) => `${profile.name}: ${problem}`));
}
console.log(`${contracts.length} contracts deployed by the Suite, checked against ${chosen.length} chain profile(s):\n`);
for (const line of table(["profile", "EVM", "largest runtime / limit (bytes)", "verdict"], rows)) console.log(`  ${line}`);
if (problems.length > 0) {
  console.error(`\n${problems.join("\n")}`);
  process.exit(1);
}

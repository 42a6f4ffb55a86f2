/**
 * `npm run upgrade -- <module> --network <name> [--implementation <contract>]`: upgrades a proxied module through the
 * AccessManager after its storage layout and immutables are checked (see scripts/governance/upgrade.ts). Runs under
 * tsx (see scripts/lib/command.ts); the npm script builds first.
 */
import { runCommand } from "./lib/command.js";
import { runUpgrade } from "./governance/upgrade.js";

await runCommand("upgrade", runUpgrade);

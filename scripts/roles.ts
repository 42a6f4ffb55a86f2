/**
 * `npm run roles -- --network <name> [--expect-admin <address>]`: the suite's AccessManager, role by role and target
 * by target, for review (see scripts/governance/roles.ts). Runs under tsx (see scripts/lib/command.ts).
 */
import { runCommand } from "./lib/command.js";
import { runRoles } from "./governance/roles.js";

await runCommand("roles", runRoles);

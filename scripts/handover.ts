/**
 * `npm run handover -- --network <name> --admin <multisig> [--guardian <address>] [--allow-eoa]`: moves the suite's
 * governance from the deployer to the consortium (see scripts/governance/handover.ts). Runs under tsx (see
 * scripts/lib/command.ts).
 */
import { runCommand } from "./lib/command.js";
import { runHandover } from "./governance/handover.js";

await runCommand("handover", runHandover);

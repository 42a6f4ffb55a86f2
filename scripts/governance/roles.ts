/**
 * `npm run roles -- --network <name> [--expect-admin <address>]`: everything an operator must review of the suite's
 * AccessManager, rebuilt from its events and confirmed by its views (scripts/lib/governance.ts): every role with
 * its holders and their execution delays, its grant delay, admin and guardian roles; every target with its admin
 * delay, whether it is closed, and the role each of its functions requires; operations scheduled and not yet
 * executed. With `--expect-admin` (repeatable) it exits 1 when ADMIN is held by anyone else, the suite's RWAFactory
 * aside (it holds ADMIN by design, to give each new token's functions their roles), or not held by the expected one.
 */
import { getAddress, isAddress } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import { parse, type Print } from "../lib/command.js";
import {
  ADMIN_ROLE,
  formatDelay,
  formatTime,
  functionSignatures,
  governanceContext,
  PUBLIC_ROLE,
  readGovernance,
  roleName,
  type GovernanceState,
} from "../lib/governance.js";

export const ROLES_USAGE = `usage: npm run roles -- --network <name> [--expect-admin <address> ...] [--from-block <n>]

Lists every role of the suite's AccessManager (holders, execution delays, grant delay, admin and guardian roles),
every target function's required role, each target's admin delay and closed state, and scheduled operations.
--expect-admin: exit 1 unless ADMIN is held by exactly the given account(s) (and the suite's RWAFactory).`;

/** Address-book names of suite contracts that hold ADMIN by design. */
const SUITE_ADMINS = new Set(["rwaFactory"]);

export async function runRoles(argv: string[], connection: NetworkConnection, print: Print = console.log): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      "expect-admin": { type: "string", multiple: true },
      "from-block": { type: "string" },
      manager: { type: "string" },
    },
    ROLES_USAGE,
  );
  if (positionals.length > 0) {
    print(ROLES_USAGE);
    return 2;
  }
  const expected = (values["expect-admin"] ?? []).map((value) => {
    if (!isAddress(value)) throw new Error(`--expect-admin ${value} is not an address`);
    return getAddress(value);
  });
  const { ethers } = connection;
  const context = await governanceContext(connection, values.manager);
  const { manager, names, milliseconds } = context;
  const state = await readGovernance(connection, manager, values["from-block"] === undefined ? 0 : Number(values["from-block"]));
  const [signer] = await ethers.getSigners();
  const codes = new Map<string, boolean>();
  const isContract = async (address: string) => {
    if (!codes.has(address)) codes.set(address, (await ethers.provider.getCode(address)) !== "0x");
    return codes.get(address)!;
  };
  const describeAccount = async (address: string) => {
    const tags = [
      names.has(address) ? names.get(address)!.name : (await isContract(address)) ? "contract" : "key",
      ...(signer !== undefined && address === signer.address ? ["this command's signer"] : []),
    ];
    return `${address} (${tags.join(", ")})`;
  };
  const roleOf = (id: bigint) => roleName(id, state.roles.find((role) => role.id === id)?.label);

  print(`AccessManager ${state.manager} on ${connection.networkName} (chain ${context.chainId})`);
  print(`  from its events in blocks ${state.fromBlock}..${state.toBlock}, confirmed by its views; now ${formatTime(state.now, milliseconds)}`);
  print("");
  print("Roles");
  for (const role of state.roles) {
    print(
      `  ${roleOf(role.id)}${role.label && !roleOf(role.id).startsWith(`${role.label} `) ? ` label "${role.label}"` : ""}: admin ${roleOf(role.admin)}, guardian ${roleOf(role.guardian)}, ` +
        `grant delay ${formatDelay(role.grantDelay, milliseconds)}`,
    );
    if (role.holders.length === 0) print("    (no holder)");
    for (const holder of role.holders) {
      const pending = holder.effect > state.now ? `, changing to ${formatDelay(holder.pendingDelay, milliseconds)} at ${formatTime(holder.effect, milliseconds)}` : "";
      const since = holder.active ? "" : `, takes effect at ${formatTime(holder.since, milliseconds)}`;
      print(`    ${await describeAccount(holder.account)}  execution delay ${formatDelay(holder.executionDelay, milliseconds)}${pending}${since}`);
    }
  }
  print(`  ${roleName(PUBLIC_ROLE)}: everyone`);

  print("");
  print("Targets");
  const signatures = await functionSignatures();
  for (const target of sortTargets(state, names)) {
    const name = names.get(target.target);
    print(
      `  ${name ? `${name.name} (${name.contract}) ` : ""}${target.target}: admin delay ${formatDelay(target.adminDelay, milliseconds)}` +
        `${target.closed ? ", CLOSED" : ", open"}`,
    );
    const rows = target.functions.map((fn) => [signatures.get(fn.selector) ?? fn.selector, roleOf(fn.role)]).sort(([a], [b]) => (a < b ? -1 : 1));
    const width = Math.max(...rows.map(([signature]) => signature.length));
    for (const [signature, role] of rows) print(`    ${signature.padEnd(width)}  ${role}`);
  }
  print("  (every other function of a managed target requires ADMIN)");

  print("");
  print("Scheduled operations");
  if (state.scheduled.length === 0) print("  none");
  for (const operation of state.scheduled) {
    const selector = operation.data.slice(0, 10);
    const target = names.get(operation.target)?.name ?? operation.target;
    print(
      `  ${operation.id} by ${operation.caller}: ${target}.${signatures.get(selector) ?? selector}, ` +
        `executable from ${formatTime(operation.when, milliseconds)}${operation.when <= state.now ? " (ready)" : ""}`,
    );
  }

  if (expected.length === 0) return 0;
  print("");
  const admins = state.roles.find((role) => role.id === ADMIN_ROLE)!.holders;
  const problems: string[] = [];
  for (const holder of admins) {
    const name = names.get(holder.account)?.name;
    if (expected.includes(holder.account) || (name !== undefined && SUITE_ADMINS.has(name))) continue;
    problems.push(`${await describeAccount(holder.account)} holds ADMIN`);
  }
  for (const account of expected) {
    if (!admins.some((holder) => holder.account === account && holder.active)) problems.push(`${account} does not hold ADMIN`);
  }
  if (problems.length > 0) {
    for (const problem of problems) print(`UNEXPECTED: ${problem}`);
    return 1;
  }
  print(`ADMIN as expected: ${expected.join(", ")}${admins.some((h) => SUITE_ADMINS.has(names.get(h.account)?.name ?? "")) ? " and the suite's RWAFactory" : ""}.`);
  return 0;
}

/** The suite's contracts in address-book order first, then other targets (RWA tokens …) by address. */
function sortTargets(state: GovernanceState, names: Map<string, { name: string }>) {
  return [...state.targets].sort((a, b) => {
    const na = names.get(a.target)?.name ?? `~${a.target}`;
    const nb = names.get(b.target)?.name ?? `~${b.target}`;
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
}

/**
 * `npm run handover -- --network <name> --admin <multisig> [--guardian <address>] [--allow-eoa]`: hands the suite's
 * AccessManager from the deployer (the key running the command) to the consortium.
 *
 * What moves where:
 * - ADMIN to `--admin`, with the execution delay `Governance.adminDelay` of the network's parameters (default none);
 * - the governance roles UPGRADER and GUARDIAN to `--admin` (GUARDIAN to `--guardian` when given), keeping the
 *   deployer's execution delay (UPGRADER: the upgrade delay), so upgrades stay under the consortium's control;
 * - an operational role (DIRECTORY_EDITOR, TOPIC_ADMIN, DATA_ADMIN, TRADE_ADMIN, ASSET_*, COMPLIANCE_ADMIN,
 *   JURISDICTION_ADMIN, …) to `--admin` only when nobody but the deployer and the suite's own contracts (the
 *   RWAFactory holds ADMIN and DIRECTORY_EDITOR to wire new tokens) holds it: an operator the parameters named keeps
 *   it alone, and no role the deployer held is left without a holder. The admin can re-grant any of them;
 * then the deployer renounces every role it holds, ADMIN last. Every grant is simulated before the first is sent,
 * so a refused one stops the handover before it starts.
 *
 * Refused: an `--admin` or `--guardian` without code (a multisig is a contract) unless `--allow-eoa`; a caller that
 * is not the current admin. Run again it finds nothing to do. A grant delay on a role (AccessManager's
 * `setGrantDelay`) makes a grant take effect later: the deployer then keeps that role (and ADMIN) until a later run.
 */
import { getAddress, isAddress, ZeroAddress } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import { Roles } from "../../deploy/roles.js";
import { parse, type Print } from "../lib/command.js";
import { describeRevert } from "../lib/errors.js";
import {
  ADMIN_ROLE,
  deploymentParameters,
  formatDelay,
  formatTime,
  governanceContext,
  readGovernance,
  roleName,
  type RoleState,
} from "../lib/governance.js";

export const HANDOVER_USAGE = `usage: npm run handover -- --network <name> --admin <address> [--guardian <address>] [--allow-eoa] [--from-block <n>]

Moves the AccessManager's ADMIN role from the caller (the deployer) to --admin (the consortium's multisig), gives it
UPGRADER and GUARDIAN (GUARDIAN to --guardian when given) and every other role of the caller that nobody else holds,
then renounces every role of the caller, ADMIN last. --admin and --guardian must be contracts unless --allow-eoa.
Review the result with: npm run roles -- --network <name> --expect-admin <address>`;

/** Roles that govern the suite itself: they always go to the consortium, whoever else holds them. */
const GOVERNANCE_ROLES = new Set<bigint>([Roles.ADMIN, Roles.UPGRADER, Roles.GUARDIAN]);

interface Grant {
  role: RoleState;
  to: string;
  delay: bigint;
}

export async function runHandover(argv: string[], connection: NetworkConnection, print: Print = console.log): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      admin: { type: "string" },
      guardian: { type: "string" },
      "allow-eoa": { type: "boolean" },
      "from-block": { type: "string" },
      manager: { type: "string" },
    },
    HANDOVER_USAGE,
  );
  if (values.admin === undefined || positionals.length > 0) {
    print(HANDOVER_USAGE);
    return 2;
  }
  const { ethers } = connection;
  const context = await governanceContext(connection, values.manager);
  const { manager, names, milliseconds } = context;
  const [signer] = await ethers.getSigners();
  const caller = signer.address;
  const label = (address: string) =>
    `${address}${address === caller ? " (caller)" : names.has(address) ? ` (${names.get(address)!.name})` : ""}`;

  const accounts: [string, string | undefined][] = [
    ["--admin", values.admin],
    ["--guardian", values.guardian],
  ];
  for (const [flag, value] of accounts) {
    if (value === undefined) continue;
    if (!isAddress(value) || getAddress(value) === ZeroAddress) throw new Error(`${flag} ${value} is not an address`);
    if (getAddress(value) === caller) throw new Error(`${flag} ${value} is the caller: hand governance to another account`);
    if ((await ethers.provider.getCode(value)) === "0x" && values["allow-eoa"] !== true) {
      throw new Error(
        `${flag} ${value} has no code: a multisig is a contract (is it deployed on this chain?). ` +
          "Pass --allow-eoa to hand governance to a single key anyway",
      );
    }
  }
  const admin = getAddress(values.admin);
  const guardian = values.guardian === undefined ? admin : getAddress(values.guardian);
  const fromBlock = values["from-block"] === undefined ? 0 : Number(values["from-block"]);

  const state = await readGovernance(connection, manager, fromBlock);
  print(`Governance handover of AccessManager ${state.manager} on ${connection.networkName} (chain ${context.chainId})`);
  print(`  from ${caller} (caller) to ${admin}${guardian === admin ? "" : `, guardian ${guardian}`}`);

  const suiteContracts = new Set(names.keys());
  const held = state.roles.filter((role) => role.holders.some((holder) => holder.account === caller));
  const adminDelay = BigInt((deploymentParameters(connection, "Governance").adminDelay as number | undefined) ?? 0);
  const grants: Grant[] = [];
  const kept: string[] = [];
  for (const role of held) {
    const to = role.id === Roles.GUARDIAN ? guardian : admin;
    const others = role.holders.filter((holder) => holder.account !== caller && !suiteContracts.has(holder.account));
    if (others.some((holder) => holder.account === to)) continue; // already there
    if (!GOVERNANCE_ROLES.has(role.id) && others.length > 0) {
      kept.push(`${roleName(role.id, role.label)} stays with ${others.map((h) => h.account).join(", ")}`);
      continue;
    }
    const own = role.holders.find((holder) => holder.account === caller)!;
    grants.push({ role, to, delay: role.id === ADMIN_ROLE ? adminDelay : own.executionDelay });
  }
  // ADMIN is granted first (held is sorted by role id) and renounced last.
  const renounces = [...held].sort((a, b) => Number(a.id === ADMIN_ROLE) - Number(b.id === ADMIN_ROLE));

  const adminRole = state.roles.find((role) => role.id === ADMIN_ROLE)!;
  if (held.length === 0) {
    const admins = adminRole.holders.map((holder) => label(holder.account)).join(", ");
    if (adminRole.holders.some((holder) => holder.account === admin && holder.active)) {
      print(`Nothing to do: ${caller} holds no role; ADMIN is held by ${admins}.`);
      return 0;
    }
    throw new Error(`${caller} holds no role and is not the current admin (ADMIN: ${admins}): run the handover with the admin's key`);
  }
  const [isAdmin, callerAdminDelay] = await manager.hasRole(ADMIN_ROLE, caller);
  if (!isAdmin) {
    throw new Error(`${caller} is not the current admin (ADMIN: ${adminRole.holders.map((h) => h.account).join(", ")}): run the handover with the admin's key`);
  }
  if (callerAdminDelay > 0n) {
    throw new Error(`${caller}'s admin calls wait ${formatDelay(callerAdminDelay, milliseconds)} (an execution delay on ADMIN): this command sends them directly`);
  }

  // Every grant simulated first: a refused one stops the handover before anything is sent.
  for (const grant of grants) {
    try {
      await manager.grantRole.staticCall(grant.role.id, grant.to, grant.delay);
    } catch (error) {
      throw new Error(`granting ${roleName(grant.role.id, grant.role.label)} to ${grant.to} would fail: ${(await describeRevert(error)).text}`);
    }
  }

  print(`  ${grants.length} grant(s), ${renounces.length} renouncement(s)`);
  for (const note of kept) print(`  · ${note}`);
  for (const grant of grants) {
    const tx = await manager.grantRole(grant.role.id, grant.to, grant.delay);
    await tx.wait();
    print(`  grant     ${roleName(grant.role.id, grant.role.label).padEnd(24)} to ${grant.to}, execution delay ${formatDelay(grant.delay, milliseconds)}  tx ${tx.hash}`);
  }

  // A role is renounced only once someone else holds it in effect (a grant delay may postpone the new grant).
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const waiting: string[] = [];
  for (const role of renounces) {
    const to = role.id === Roles.GUARDIAN ? guardian : admin;
    const [since] = await manager.getAccess(role.id, to);
    const granted = grants.some((grant) => grant.role.id === role.id);
    if (granted && since > now) {
      waiting.push(`${roleName(role.id, role.label)} of ${to} takes effect at ${formatTime(since, milliseconds)}`);
      continue;
    }
    if (role.id === ADMIN_ROLE && waiting.length > 0) {
      waiting.push(`${caller} keeps ADMIN until then`);
      continue;
    }
    const tx = await manager.renounceRole(role.id, caller);
    await tx.wait();
    print(`  renounce  ${roleName(role.id, role.label).padEnd(24)} by ${caller}  tx ${tx.hash}`);
  }
  if (waiting.length > 0) {
    for (const line of waiting) print(`  · ${line}`);
    print("Not finished: run the same command again once the grants above are in effect.");
    return 0;
  }
  const after = await readGovernance(connection, manager, fromBlock);
  const admins = after.roles.find((role) => role.id === ADMIN_ROLE)!.holders.map((holder) => label(holder.account));
  print(`Done: ${caller} holds no role; ADMIN: ${admins.join(", ")}.`);
  print(`Review: npm run roles -- --network ${connection.networkName} --expect-admin ${admin}`);
  return 0;
}

/**
 * What the suite's AccessManager says about itself, for the governance commands (`npm run roles`, `handover`,
 * `upgrade`): every role with its holders, delays, admin and guardian; every target with the role each function
 * requires; the operations scheduled and not yet executed or cancelled.
 *
 * AccessManager cannot enumerate its state, so it is rebuilt from the manager's own events (one scan of its logs)
 * and every fact is then read back from the contract (`getAccess`, `getTargetFunctionRole`, …): an event only says
 * where to look, the contract says what holds now.
 */
import { existsSync, readFileSync } from "node:fs";
import { getAddress, Interface, isAddress, type Log } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import hre from "hardhat";
import { Roles } from "../../deploy/roles.js";
import { AccessManager__factory, type AccessManager } from "../../typechain-types/index.js";
import { addressBookFile, type AddressBook } from "./address-book.js";
import { parametersFileFor } from "./suite.js";

export const ADMIN_ROLE = Roles.ADMIN;
export const PUBLIC_ROLE = Roles.PUBLIC;

const roleNames = new Map<bigint, string>(Object.entries(Roles).map(([name, id]) => [id, name]));

/** `UPGRADER (1)`; a role unknown to deploy/roles.ts shows its on-chain label when it has one. */
export function roleName(id: bigint, label?: string): string {
  if (id === PUBLIC_ROLE) return "PUBLIC";
  const name = roleNames.get(id) ?? (label ? `"${label}"` : "unnamed role");
  return `${name} (${id})`;
}

/** A role id from its name in deploy/roles.ts or its number. */
export function parseRole(text: string): bigint {
  const upper = text.toUpperCase();
  if (upper in Roles) return Roles[upper as keyof typeof Roles];
  if (/^\d+$/.test(text)) return BigInt(text);
  throw new Error(`unknown role ${text}: one of ${Object.keys(Roles).join(", ")} or a number`);
}

export interface Holder {
  account: string;
  /** When the membership takes effect (a grant delay makes it later than the grant). */
  since: bigint;
  /** Delay the holder's calls wait between schedule and execution, now. */
  executionDelay: bigint;
  /** A changed execution delay not yet in effect, and when it takes effect (0: none pending). */
  pendingDelay: bigint;
  effect: bigint;
  /** The membership is in effect now (since ≤ latest block's time). */
  active: boolean;
}

export interface RoleState {
  id: bigint;
  label?: string;
  admin: bigint;
  guardian: bigint;
  grantDelay: bigint;
  holders: Holder[];
}

export interface TargetState {
  target: string;
  adminDelay: bigint;
  closed: boolean;
  /** selector → role required (only selectors whose role is not the default ADMIN, or that were ever set). */
  functions: { selector: string; role: bigint }[];
}

export interface ScheduledOperation {
  id: string;
  nonce: bigint;
  caller: string;
  target: string;
  data: string;
  /** When it may be executed (AccessManager's clock). */
  when: bigint;
}

export interface GovernanceState {
  manager: string;
  fromBlock: number;
  toBlock: number;
  /** The latest block's timestamp: what "now" means for the manager. */
  now: bigint;
  roles: RoleState[];
  targets: TargetState[];
  scheduled: ScheduledOperation[];
}

const managerInterface = new Interface(AccessManager__factory.abi);

/** Every log of `address` in [fromBlock, toBlock], in chunks a JSON-RPC node accepts. */
async function logsOf(connection: NetworkConnection, address: string, fromBlock: number, toBlock: number): Promise<Log[]> {
  const chunk = 10_000;
  const logs: Log[] = [];
  for (let start = fromBlock; start <= toBlock; start += chunk) {
    logs.push(...(await connection.ethers.provider.getLogs({ address, fromBlock: start, toBlock: Math.min(toBlock, start + chunk - 1) })));
  }
  return logs;
}

/** Rebuilds the manager's roles, targets and pending operations from its events, confirmed by its views. */
export async function readGovernance(connection: NetworkConnection, manager: AccessManager, fromBlock = 0): Promise<GovernanceState> {
  const { provider } = connection.ethers;
  const address = await manager.getAddress();
  const latest = (await provider.getBlock("latest"))!;
  const logs = await logsOf(connection, address, fromBlock, latest.number);

  const roleIds = new Set<bigint>(Object.values(Roles).filter((id) => id !== PUBLIC_ROLE));
  const labels = new Map<bigint, string>();
  const candidates = new Map<bigint, Set<string>>();
  const targets = new Map<string, Map<string, bigint>>();
  const targetAddresses = new Set<string>();
  const operations = new Map<string, Omit<ScheduledOperation, "when">>();
  for (const log of logs) {
    const event = managerInterface.parseLog(log);
    if (event === null) continue;
    const a = event.args;
    switch (event.name) {
      case "RoleGranted":
        roleIds.add(a.roleId);
        if (!candidates.has(a.roleId)) candidates.set(a.roleId, new Set());
        candidates.get(a.roleId)!.add(getAddress(a.account));
        break;
      case "RoleLabel":
        roleIds.add(a.roleId);
        labels.set(a.roleId, a.label);
        break;
      case "RoleAdminChanged":
      case "RoleGuardianChanged":
        roleIds.add(a.roleId);
        if (a[1] !== PUBLIC_ROLE) roleIds.add(a[1]);
        break;
      case "RoleGrantDelayChanged":
        roleIds.add(a.roleId);
        break;
      case "TargetFunctionRoleUpdated": {
        const target = getAddress(a.target);
        if (!targets.has(target)) targets.set(target, new Map());
        targets.get(target)!.set(a.selector, a.roleId);
        if (a.roleId !== PUBLIC_ROLE) roleIds.add(a.roleId);
        targetAddresses.add(target);
        break;
      }
      case "TargetClosed":
      case "TargetAdminDelayUpdated":
        targetAddresses.add(getAddress(a.target));
        break;
      case "OperationScheduled":
        operations.set(a.operationId, { id: a.operationId, nonce: a.nonce, caller: getAddress(a.caller), target: getAddress(a.target), data: a.data });
        break;
    }
  }
  // RoleRevoked needs no bookkeeping: every account ever granted a role is asked whether it still holds it.

  const now = BigInt(latest.timestamp);
  const roles: RoleState[] = [];
  for (const id of [...roleIds].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))) {
    const holders: Holder[] = [];
    for (const account of candidates.get(id) ?? []) {
      const [since, executionDelay, pendingDelay, effect] = await manager.getAccess(id, account);
      if (since === 0n) continue; // revoked or renounced
      holders.push({ account, since, executionDelay, pendingDelay, effect, active: since <= now });
    }
    roles.push({
      id,
      label: labels.get(id),
      admin: await manager.getRoleAdmin(id),
      guardian: await manager.getRoleGuardian(id),
      grantDelay: await manager.getRoleGrantDelay(id),
      holders,
    });
  }

  const targetStates: TargetState[] = [];
  for (const target of targetAddresses) {
    const functions: TargetState["functions"] = [];
    for (const selector of [...(targets.get(target)?.keys() ?? [])].sort()) {
      functions.push({ selector, role: await manager.getTargetFunctionRole(target, selector) });
    }
    targetStates.push({
      target,
      adminDelay: await manager.getTargetAdminDelay(target),
      closed: await manager.isTargetClosed(target),
      functions,
    });
  }

  const scheduled: ScheduledOperation[] = [];
  for (const operation of operations.values()) {
    const when = await manager.getSchedule(operation.id);
    // 0: executed, cancelled or expired; a later nonce means it was scheduled again (that event is the one kept).
    if (when !== 0n && (await manager.getNonce(operation.id)) === operation.nonce) scheduled.push({ ...operation, when });
  }
  return { manager: address, fromBlock, toBlock: latest.number, now, roles, targets: targetStates, scheduled };
}

/** The chain's address book (addresses/<chainId>.json) written by `npm run deploy`. */
export function readAddressBook(chainId: number): AddressBook {
  const file = addressBookFile(chainId);
  if (!existsSync(file)) throw new Error(`no address book for chain ${chainId}: deploy first (npm run deploy -- --network <name>)`);
  return JSON.parse(readFileSync(file, "utf8")) as AddressBook;
}

export interface GovernanceContext {
  chainId: number;
  book: AddressBook;
  manager: AccessManager;
  /** address → the address book's name for it (`credentialRegistry`) and its artifact. */
  names: Map<string, { name: string; contract: string }>;
  /** Whether the chain's block.timestamp counts milliseconds (the address book's `chain.timeUnit`). */
  milliseconds: boolean;
}

/**
 * The AccessManager of the suite deployed on `connection`'s chain (from its address book, or `managerAddress`),
 * connected to the first account, and the names of the suite's contracts.
 */
export async function governanceContext(connection: NetworkConnection, managerAddress?: string): Promise<GovernanceContext> {
  const { ethers } = connection;
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  const book = readAddressBook(chainId);
  const address = managerAddress ?? book.contracts.accessManager;
  if (address === undefined || !isAddress(address)) throw new Error(`the address book of chain ${chainId} names no accessManager`);
  if ((await ethers.provider.getCode(address)) === "0x") {
    throw new Error(`no contract at ${address} on ${connection.networkName}: the address book belongs to another run of the chain?`);
  }
  const [signer] = await ethers.getSigners();
  const manager = AccessManager__factory.connect(getAddress(address), signer ?? ethers.provider);
  const names = new Map<string, { name: string; contract: string }>();
  for (const [name, contractAddress] of Object.entries(book.contracts)) {
    names.set(getAddress(contractAddress), { name, contract: book.artifacts[name] });
  }
  // The address book records the deployment's chain profile, time unit included (books written before profiles
  // existed have no `chain`: seconds).
  const milliseconds = book.chain?.timeUnit === "milliseconds";
  return { chainId, book, manager, names, milliseconds };
}

/** `60 s`, `2 d` (the chain's unit: milliseconds where block.timestamp counts them). */
export function formatDelay(delay: bigint, milliseconds = false): string {
  const seconds = milliseconds ? Number(delay) / 1000 : Number(delay);
  if (seconds === 0) return "none";
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600} h`;
  return `${seconds} s`;
}

/** A timepoint of the manager's clock as an ISO date (UTC). */
export function formatTime(timepoint: bigint, milliseconds = false): string {
  return new Date(milliseconds ? Number(timepoint) : Number(timepoint) * 1000).toISOString();
}

/** Parameters of the network's deployment (deploy/parameters/<network>.json), section `module`. */
export function deploymentParameters(connection: NetworkConnection, module: string): Record<string, unknown> {
  try {
    const parameters = JSON.parse(readFileSync(parametersFileFor(connection), "utf8")) as Record<string, Record<string, unknown>>;
    return parameters[module] ?? {};
  } catch {
    return {};
  }
}

let selectorNames: Map<string, string> | undefined;

/** Selector → function signature, from every artifact of the build (suite contracts and OpenZeppelin's). */
export async function functionSignatures(): Promise<Map<string, string>> {
  if (selectorNames === undefined) {
    selectorNames = new Map();
    for (const name of await hre.artifacts.getAllFullyQualifiedNames()) {
      const { abi } = await hre.artifacts.readArtifact(name);
      new Interface(abi).forEachFunction((fragment) => selectorNames!.set(fragment.selector, fragment.format("sighash")));
    }
  }
  return selectorNames;
}

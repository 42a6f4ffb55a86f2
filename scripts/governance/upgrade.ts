/**
 * `npm run upgrade -- <module> --network <name> [--implementation <contract>]`: upgrades one proxied module of the
 * suite through the AccessManager, as far as the signer may.
 *
 * 1. Finds the proxy (address-book name, contract name, TrustDirectory name or address) and which build its current
 *    implementation is (scripts/lib/implementations.ts); the new implementation is `--implementation` (a contract
 *    of the build) or the same contract rebuilt. A proxy already running that build: nothing to do.
 * 2. Refuses a new implementation that is not upgrade-safe or whose storage layout is incompatible with the running
 *    one's (scripts/lib/upgrade-safety.ts: the layout snapshot of the running contract, deploy/layouts/, or for a
 *    contract without one its layout in the build).
 * 3. Refuses one whose immutables (the settings of the implementation: DID and credential registries, time unit,
 *    SM2 verifier) differ from the running one's, read from both runtime codes by name, before anything is deployed;
 *    `--allow-immutable-change <Contract._NAME>` accepts a deliberate change. Constructor arguments default to those
 *    the running implementation was deployed with (Ignition's journal or the upgrade records); `--args '<json>'`.
 * 4. Deploys the implementation (recorded in deploy/deployments/chain-<id>/upgrades.json) — or reuses one already
 *    deployed or scheduled for this proxy — and, when the signer holds the role `upgradeToAndCall` requires,
 *    schedules the upgrade in the AccessManager and executes it once the delay is over: with `--dev-time-travel` on a
 *    development node by moving the node's clock, otherwise the command says when and a re-run executes it. A
 *    signer without the role (after the handover) gets what the multisig must sign: target, calldata of `schedule`
 *    and `execute`, earliest execution time.
 * 5. After execution checks that the proxy runs the new implementation and that every view without arguments both
 *    versions have reads the same as before.
 */
import {
  AbiCoder,
  ContractFactory,
  getAddress,
  Interface,
  encodeBytes32String,
  ZeroAddress,
  type FunctionFragment,
  type InterfaceAbi,
} from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import hre from "hardhat";
import { existsSync } from "node:fs";
import path from "node:path";
import { TrustDirectory__factory } from "../../typechain-types/index.js";
import { parse, type Print } from "../lib/command.js";
import { describeRevert } from "../lib/errors.js";
import {
  formatDelay,
  formatTime,
  governanceContext,
  readGovernance,
  roleName,
  type GovernanceContext,
} from "../lib/governance.js";
import {
  buildArtifact,
  identifyImplementation,
  immutablesOf,
  isCodeOf,
  knownBuildSources,
  linkedLibraries,
  readUpgradeRecords,
  recordImplementation,
  type CodeArtifact,
  type ImmutableValue,
  type KnownImplementation,
} from "../lib/implementations.js";
import { isDevelopmentNode } from "../lib/suite.js";
import { validateUpgrades } from "../lib/upgrade-safety.js";

export const UPGRADE_USAGE = `usage: npm run upgrade -- <module> --network <name> [--implementation <contract>] [--args '<json array>']
                          [--allow-immutable-change <Contract._NAME> ...] [--dev-time-travel] [--from-block <n>]

<module>      the proxy: a name of the address book (credentialRegistry, dataElement, billOfLading, traceRegistry,
              assetData), its contract (CredentialRegistry), a TrustDirectory name (an RWA token's) or an address
--implementation  the new implementation's contract (default: the running one's contract, rebuilt)
--args        its constructor arguments (default: those the running implementation was deployed with)
--allow-immutable-change  accept a new value of that immutable (its settings otherwise must not change)
--dev-time-travel  on a development node, move the clock past the upgrade delay instead of waiting for it
Validates the storage layout and the immutables, deploys the implementation, schedules upgradeToAndCall in the
AccessManager and executes it after the delay (a re-run executes it when ready), or prints what the holder of the
upgrade role (the multisig) must sign.`;

/** ERC-1967's implementation slot. */
const IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";
const UPGRADE = new Interface(["function upgradeToAndCall(address newImplementation, bytes data)"]);
const UPGRADE_SELECTOR = UPGRADE.getFunction("upgradeToAndCall")!.selector;
/** Views whose answer moves with the chain, not with the module's state. */
const MOVING_VIEWS = new Set(["clock()"]);

export async function runUpgrade(argv: string[], connection: NetworkConnection, print: Print = console.log): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      implementation: { type: "string" },
      args: { type: "string" },
      "allow-immutable-change": { type: "string", multiple: true },
      "dev-time-travel": { type: "boolean" },
      "from-block": { type: "string" },
      manager: { type: "string" },
    },
    UPGRADE_USAGE,
  );
  if (positionals.length !== 1) {
    print(UPGRADE_USAGE);
    return 2;
  }
  const { ethers } = connection;
  const context = await governanceContext(connection, values.manager);
  const { manager, chainId, milliseconds } = context;
  const [signer] = await ethers.getSigners();
  if (signer === undefined) throw new Error(`no account on ${connection.networkName} to send transactions with`);

  // ── 1. The proxy, its running implementation and the new one ──
  const proxy = await resolveProxy(positionals[0], context, connection);
  const currentAddress = await implementationOf(connection, proxy.address);
  const currentCode = await ethers.provider.getCode(currentAddress);
  const current = await identifyImplementation(chainId, currentAddress, currentCode, proxy.contract ? [proxy.contract] : []);
  print(`Upgrade of ${proxy.name} ${proxy.address} on ${connection.networkName} (chain ${chainId})`);
  if (current === undefined) {
    throw new Error(
      `the running implementation ${currentAddress} is no build this project knows (${knownBuildSources(chainId)}): ` +
        "its storage layout and immutables cannot be compared",
    );
  }
  await reconnect(connection);
  print(`  running   ${current.contract} at ${currentAddress} (build: ${current.origin})`);
  const next = await buildArtifact(values.implementation ?? current.contract);
  print(`  new       ${next.contract} of the current build`);
  if (isCodeOf(next.artifact, currentCode)) {
    print(`Nothing to do: ${proxy.name} already runs this build of ${next.contract}.`);
    return 0;
  }

  // ── 2. Upgrade safety and storage layout ──
  const layout = await checkLayout(current, currentCode, next);
  await reconnect(connection);
  for (const line of layout.lines) print(line);
  if (!layout.ok) {
    print(`REFUSED: ${next.contract} cannot replace ${current.contract} (see above); nothing was sent.`);
    return 1;
  }

  // ── 3. Constructor arguments, libraries, immutables (before anything is deployed) ──
  const args = constructorArguments(values.args, current, next);
  const state = await readGovernance(connection, manager, values["from-block"] === undefined ? 0 : Number(values["from-block"]));
  const libraries = await libraryAddresses(connection, current, next, currentCode, print);
  const factory = new ContractFactory(next.artifact.abi as InterfaceAbi, link(next.artifact, libraries), signer);
  const deployment = await factory.getDeployTransaction(...args);
  const runtime = await ethers.provider.call({ from: signer.address, data: deployment.data });
  const expected = immutablesOf(next, runtime);
  const verdict = compareImmutables(immutablesOf(current, currentCode), expected, values["allow-immutable-change"] ?? []);
  for (const line of verdict.lines) print(line);
  if (!verdict.ok) {
    print(`REFUSED: the new implementation's immutables differ from the running one's; nothing was sent.`);
    return 1;
  }

  // ── 4. The implementation: one already deployed for this upgrade, or a new one ──
  const sameBuild = async (address: string) => {
    const code = await ethers.provider.getCode(address);
    return isCodeOf(next.artifact, code) && JSON.stringify(immutablesOf(next, code)) === JSON.stringify(expected);
  };
  let implementation: string | undefined;
  for (const operation of state.scheduled.filter((op) => op.target === proxy.address && op.data.startsWith(UPGRADE_SELECTOR))) {
    const [address] = UPGRADE.decodeFunctionData("upgradeToAndCall", operation.data);
    if (await sameBuild(address)) {
      implementation = getAddress(address);
      print(`  reusing   ${implementation}, scheduled by ${operation.caller} (operation ${operation.id})`);
      break;
    }
  }
  if (implementation === undefined) {
    for (const [address, record] of Object.entries(readUpgradeRecords(chainId).implementations)) {
      if (record.proxy === proxy.address && address !== currentAddress && (await sameBuild(address))) {
        implementation = address;
        print(`  reusing   ${implementation}, deployed for this upgrade by an earlier run`);
        break;
      }
    }
  }
  if (implementation === undefined) {
    const tx = await signer.sendTransaction(deployment);
    const receipt = (await tx.wait())!;
    implementation = getAddress(receipt.contractAddress!);
    if (!(await sameBuild(implementation))) throw new Error(`the implementation deployed at ${implementation} is not the code simulated`);
    const { bytecode: _bytecode, ...artifact } = next.artifact;
    const file = recordImplementation(chainId, implementation, {
      contract: next.contract,
      artifact,
      immutableNames: next.immutableNames,
      constructorArgs: toJson(args),
      libraries,
      transaction: tx.hash,
      proxy: proxy.address,
    });
    print(`  deployed  ${next.contract} at ${implementation}  tx ${tx.hash} (recorded in ${file})`);
  }

  // ── 5. Through the AccessManager ──
  const data = UPGRADE.encodeFunctionData("upgradeToAndCall", [implementation, "0x"]);
  const role = await manager.getTargetFunctionRole(proxy.address, UPGRADE_SELECTOR);
  const roleLabel = roleName(role, state.roles.find((r) => r.id === role)?.label);
  if (await manager.isTargetClosed(proxy.address)) throw new Error(`${proxy.name} is closed in the AccessManager: nobody can upgrade it`);
  const [immediate, delay] = await manager.canCall(signer.address, proxy.address, UPGRADE_SELECTOR);
  const [isMember] = await manager.hasRole(role, signer.address);
  const now = async () => {
    const latest = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const wall = BigInt(Math.floor(milliseconds ? Date.now() : Date.now() / 1000));
    return latest > wall ? latest : wall;
  };

  if (!immediate && !isMember) {
    const holders = state.roles.find((r) => r.id === role)?.holders.filter((h) => h.active) ?? [];
    print(`  ${signer.address} (the signer) does not hold ${roleLabel}, which upgradeToAndCall of ${proxy.name} requires.`);
    if (holders.length === 0) throw new Error(`nobody holds ${roleLabel}: the admin must grant it first`);
    print("");
    print(`What a holder of ${roleLabel} (the consortium's multisig) must sign: two transactions to the AccessManager ${context.manager.target as string}`);
    const nowTime = await now();
    for (const holder of holders) {
      const id = await manager.hashOperation(holder.account, proxy.address, data);
      const scheduledAt = await manager.getSchedule(id);
      print(`  holder ${holder.account}, execution delay ${formatDelay(holder.executionDelay, milliseconds)}, operation id ${id}`);
      if (scheduledAt !== 0n) print(`    already scheduled: executable from ${formatTime(scheduledAt, milliseconds)}`);
      else print(`    earliest execution if scheduled now: ${formatTime(nowTime + holder.executionDelay, milliseconds)}`);
    }
    print(`  1. schedule: to ${context.manager.target as string}, value 0, data`);
    print(`     ${manager.interface.encodeFunctionData("schedule", [proxy.address, data, 0])}`);
    print(`     (AccessManager.schedule(target ${proxy.address}, data upgradeToAndCall(${implementation}, 0x), when 0))`);
    print(`  2. execute, once the delay is over: to ${context.manager.target as string}, value 0, data`);
    print(`     ${manager.interface.encodeFunctionData("execute", [proxy.address, data])}`);
    print(`     (AccessManager.execute(target ${proxy.address}, data ${data}))`);
    print(`Then run this command again: it finds the upgrade done.`);
    print(`NOT EXECUTED: waiting for the holder of ${roleLabel}.`);
    return 0;
  }

  if (!immediate) {
    const id = await manager.hashOperation(signer.address, proxy.address, data);
    let when = await manager.getSchedule(id);
    if (when === 0n) {
      const tx = await manager.schedule(proxy.address, data, 0);
      await tx.wait();
      when = await manager.getSchedule(id);
      print(`  scheduled upgradeToAndCall(${implementation}) as ${roleLabel}, delay ${formatDelay(delay, milliseconds)}: operation ${id}  tx ${tx.hash}`);
    } else {
      print(`  scheduled earlier: operation ${id}, executable from ${formatTime(when, milliseconds)}`);
    }
    const nowTime = await now();
    if (when > nowTime) {
      if (values["dev-time-travel"] !== true) {
        print(`Executable from ${formatTime(when, milliseconds)} (in ${formatDelay(when - nowTime, milliseconds)}): run the same command again then.`);
        return 0;
      }
      if (!(await isDevelopmentNode(connection))) throw new Error("--dev-time-travel works on a development node only (hardhat node, anvil)");
      const latest = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
      await connection.provider.request({ method: "evm_increaseTime", params: [Number(when - latest)] });
      await connection.provider.request({ method: "evm_mine", params: [] });
      print(`  moved the development node's clock by ${formatDelay(when - latest, milliseconds)} (--dev-time-travel)`);
    }
  }

  const views = zeroArgumentViews(current.artifact.abi, next.artifact.abi);
  const before = await readViews(connection, proxy.address, views);
  try {
    const tx = immediate
      ? await signer.sendTransaction({ to: proxy.address, data })
      : await manager.execute(proxy.address, data);
    await tx.wait();
    print(`  executed  upgradeToAndCall(${implementation})${immediate ? "" : " through the AccessManager"}  tx ${tx.hash}`);
  } catch (error) {
    const reason = await describeRevert(error);
    if (reason.name === "AccessManagerNotReady") {
      print(`Not executable yet (${reason.text}): run the same command again later.`);
      return 0;
    }
    throw new Error(`executing the upgrade failed: ${reason.text}`);
  }

  // ── 6. What runs now, and whether it reads the state as before ──
  const running = await implementationOf(connection, proxy.address);
  if (running !== implementation) throw new Error(`the proxy runs ${running}, not ${implementation}`);
  const after = await readViews(connection, proxy.address, views);
  const changed = views.filter((view) => before.get(view) !== after.get(view));
  if (changed.length > 0) {
    for (const view of changed) print(`  CHANGED   ${view}: ${before.get(view)} → ${after.get(view)}`);
    print(`FAILED: ${proxy.name} runs ${next.contract} at ${implementation}, but ${changed.length} view(s) read differently.`);
    return 1;
  }
  print(`  verified  the proxy runs ${implementation}; ${views.length} views read as before (${views.join(", ")})`);
  print(`Done: ${proxy.name} upgraded to ${next.contract}.`);
  return 0;
}

// ───────────────────────────── Helpers ─────────────────────────────

interface Proxy {
  name: string;
  address: string;
  /** The contract the address book names for it, if any. */
  contract?: string;
}

async function resolveProxy(module: string, context: GovernanceContext, connection: NetworkConnection): Promise<Proxy> {
  const { book } = context;
  let proxy: Proxy | undefined;
  if (/^0x[0-9a-fA-F]{40}$/.test(module)) {
    const address = getAddress(module);
    proxy = { name: context.names.get(address)?.name ?? address, address, contract: context.names.get(address)?.contract };
  } else {
    const key =
      Object.keys(book.contracts).find((name) => name.toLowerCase() === module.toLowerCase()) ??
      // By contract: the proxy, not the implementation the book also lists.
      Object.keys(book.contracts).find((name) => book.artifacts[name] === module && !name.endsWith("Implementation"));
    if (key !== undefined) {
      proxy = { name: key, address: getAddress(book.contracts[key]), contract: book.artifacts[key] };
    } else if (module.length <= 31) {
      const directory = TrustDirectory__factory.connect(book.directory, connection.ethers.provider);
      const [address] = await directory.moduleOf(encodeBytes32String(module));
      if (address !== ZeroAddress) proxy = { name: module, address: getAddress(address) };
    }
  }
  if (proxy === undefined) {
    throw new Error(`no module ${module}: name one of the address book (${Object.keys(book.contracts).join(", ")}), a TrustDirectory name or an address`);
  }
  if ((await implementationOf(connection, proxy.address)) === ZeroAddress) {
    throw new Error(`${proxy.name} (${proxy.address}) is not a proxy: no ERC-1967 implementation (immutable contracts are not upgraded)`);
  }
  return proxy;
}

/**
 * solc-js (the layout validation, parsing an old build) blocks the event loop for seconds, long enough for a node to
 * close the idle keep-alive connection; the first request on it then fails ("Failed to make POST request") and the
 * next one opens a new connection. So after such work one cheap request is allowed to fail once.
 */
async function reconnect(connection: NetworkConnection): Promise<void> {
  try {
    await connection.provider.request({ method: "eth_chainId" });
  } catch {
    await connection.provider.request({ method: "eth_chainId" });
  }
}

async function implementationOf(connection: NetworkConnection, proxy: string): Promise<string> {
  const word = await connection.ethers.provider.getStorage(proxy, IMPLEMENTATION_SLOT);
  return getAddress(`0x${word.slice(-40)}`);
}

/**
 * Upgrade safety of the new contract and its layout against the running one's: the running contract's snapshot
 * (deploy/layouts/<Contract>.json, kept equal to what is deployed by `npm run validate:upgrades`), or, for a contract
 * without one (test doubles), its layout in the current build when that is the running build.
 */
async function checkLayout(
  current: KnownImplementation,
  currentCode: string,
  next: Omit<KnownImplementation, "address">,
): Promise<{ ok: boolean; lines: string[] }> {
  const root = hre.config.paths.root;
  const runningName = current.contract.slice(current.contract.lastIndexOf(":") + 1);
  const nextName = next.contract.slice(next.contract.lastIndexOf(":") + 1);
  const snapshot = path.join(root, "deploy", "layouts", `${runningName}.json`);
  let options: Parameters<typeof validateUpgrades>[0];
  if (existsSync(snapshot)) {
    // Same contract: its own snapshot is the running line's. Another one: compared with the running line's snapshot.
    options = { only: [next.contract], ...(runningName === nextName ? {} : { snapshotReferences: { [next.contract]: runningName } }) };
  } else if (current.contract !== next.contract && (await runsCurrentBuild(current, currentCode))) {
    options = { only: [next.contract], references: { [next.contract]: current.contract } };
  } else {
    return {
      ok: false,
      lines: [`  layout    no layout of the running ${current.contract} to compare with (no deploy/layouts/${runningName}.json, not in the build)`],
    };
  }
  const result = await validateUpgrades({ root, ...options });
  const lines: string[] = [];
  for (const report of result.contracts) {
    lines.push(`  safety    ${report.errors.length === 0 ? "ok" : "FAILED"}: ${report.name} (@openzeppelin/upgrades-core and trustbase's rules)`);
    for (const error of report.errors) lines.push(...`- ${error}`.split("\n").map((line) => `      ${line}`));
    const allowed = report.notes.filter((note) => note.startsWith("allowed "));
    for (const note of report.notes.filter((note) => !allowed.includes(note))) lines.push(`      · ${note}`);
    if (allowed.length > 0) lines.push(`      · ${allowed.length} exception(s) of ALLOWANCES in scripts/lib/upgrade-safety.ts apply`);
  }
  for (const error of result.errors) lines.push(`      - ${error}`);
  return { ok: result.ok, lines };
}

/** Whether the running implementation is its contract as the current build has it (so the build has its layout). */
async function runsCurrentBuild(current: KnownImplementation, code: string): Promise<boolean> {
  try {
    return isCodeOf((await buildArtifact(current.contract)).artifact, code);
  } catch {
    return false; // no longer in the build
  }
}

/** Ignition's JSON values back to what ethers takes (`{_kind: "bigint"}` → bigint). */
function fromJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromJson);
  if (typeof value === "object" && value !== null) {
    const object = value as Record<string, unknown>;
    if (object._kind === "bigint" && typeof object.value === "string") return BigInt(object.value);
    return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, fromJson(item)]));
  }
  return value;
}

function toJson(value: unknown): unknown[] {
  return JSON.parse(JSON.stringify(value, (_key, item) => (typeof item === "bigint" ? { _kind: "bigint", value: item.toString() } : item)));
}

function constructorArguments(given: string | undefined, current: KnownImplementation, next: Omit<KnownImplementation, "address">): unknown[] {
  const inputs = new Interface(next.artifact.abi as InterfaceAbi).deploy.inputs;
  let args: unknown[];
  if (given !== undefined) {
    args = JSON.parse(given) as unknown[];
    if (!Array.isArray(args)) throw new Error("--args takes a JSON array");
  } else {
    if (current.constructorArgs === undefined) {
      throw new Error(`the running implementation's constructor arguments are unknown (${current.origin}): pass --args '[...]'`);
    }
    args = fromJson(current.constructorArgs) as unknown[];
  }
  if (args.length !== inputs.length) {
    throw new Error(
      `${next.contract}'s constructor takes (${inputs.map((input) => input.format()).join(", ")}); ` +
        `${given === undefined ? "the running implementation was deployed with" : "--args has"} ${args.length} argument(s)` +
        (given === undefined ? ": pass --args '[...]'" : ""),
    );
  }
  // Types checked now, not by a failed deployment.
  AbiCoder.defaultAbiCoder().encode(inputs, args);
  return args;
}

/**
 * Addresses of the libraries the new implementation links: the running implementation's when they hold the current
 * build's code of the library, otherwise the library deployed anew.
 */
async function libraryAddresses(
  connection: NetworkConnection,
  current: KnownImplementation,
  next: Omit<KnownImplementation, "address">,
  currentCode: string,
  print: Print,
): Promise<Record<string, string>> {
  const { ethers } = connection;
  const linked = linkedLibraries(current.artifact, currentCode);
  const addresses: Record<string, string> = {};
  for (const [source, names] of Object.entries(next.artifact.linkReferences ?? {})) {
    for (const name of Object.keys(names)) {
      const library = `${source.replace(/^project\//, "")}:${name}`;
      const artifact = (await hre.artifacts.readArtifact(library)) as unknown as CodeArtifact;
      const existing = linked[library];
      // A library's runtime code starts with PUSH20 <its own address> (call protection): masked.
      const masked = { ...artifact, immutableReferences: { address: [{ start: 1, length: 20 }] } };
      if (existing !== undefined && isCodeOf(masked, await ethers.provider.getCode(existing))) {
        addresses[library] = existing;
        print(`  library   ${library} at ${existing} (as linked by the running implementation)`);
        continue;
      }
      const factory = new ContractFactory(artifact.abi as InterfaceAbi, artifact.bytecode!, (await ethers.getSigners())[0]);
      const contract = await factory.deploy();
      await contract.waitForDeployment();
      addresses[library] = getAddress(await contract.getAddress());
      print(`  deployed  library ${library} at ${addresses[library]}  tx ${contract.deploymentTransaction()!.hash}`);
    }
  }
  return addresses;
}

/** The creation code with library addresses in place of their placeholders. */
function link(artifact: CodeArtifact, libraries: Record<string, string>): string {
  let hex = artifact.bytecode!.replace(/^0x/, "");
  for (const [source, names] of Object.entries(artifact.linkReferences ?? {})) {
    for (const [name, offsets] of Object.entries(names)) {
      const address = libraries[`${source.replace(/^project\//, "")}:${name}`].slice(2).toLowerCase();
      for (const { start, length } of offsets) hex = hex.slice(0, start * 2) + address + hex.slice((start + length) * 2);
    }
  }
  return `0x${hex}`;
}

function compareImmutables(
  running: Record<string, ImmutableValue>,
  next: Record<string, ImmutableValue>,
  allowed: string[],
): { ok: boolean; lines: string[] } {
  const lines: string[] = [];
  let ok = true;
  for (const name of Object.keys(running).sort()) {
    const before = running[name];
    const after = next[name];
    if (after?.word === before.word) {
      lines.push(`  immutable ${name} = ${before.text}, as running`);
    } else if (allowed.includes(name)) {
      lines.push(`  immutable ${name}: ${before.text} → ${after === undefined ? "(gone)" : after.text} (allowed by --allow-immutable-change)`);
    } else {
      ok = false;
      lines.push(
        after === undefined
          ? `  immutable ${name} = ${before.text} runs; the new implementation has no such immutable: REFUSED`
          : `  immutable ${name}: running ${before.text}, new ${after.text}: DIFFERENT`,
      );
    }
  }
  for (const name of Object.keys(next).filter((name) => !(name in running)).sort()) {
    lines.push(`  immutable ${name} = ${next[name].text} (new in this implementation)`);
  }
  for (const name of allowed.filter((name) => !(name in running) && !(name in next))) {
    ok = false;
    lines.push(`  immutable ${name}: no such immutable (--allow-immutable-change)`);
  }
  return { ok, lines };
}

/** Signatures of the views without arguments both implementations have, the moving ones aside. */
function zeroArgumentViews(currentAbi: unknown[], nextAbi: unknown[]): string[] {
  const views = (abi: unknown[]) => {
    const signatures = new Set<string>();
    new Interface(abi as InterfaceAbi).forEachFunction((fragment: FunctionFragment) => {
      if (fragment.inputs.length === 0 && (fragment.stateMutability === "view" || fragment.stateMutability === "pure")) {
        signatures.add(fragment.format("sighash"));
      }
    });
    return signatures;
  };
  const next = views(nextAbi);
  return [...views(currentAbi)].filter((signature) => next.has(signature) && !MOVING_VIEWS.has(signature)).sort();
}

/** Raw answers (or the revert) of each view, called on the proxy. */
async function readViews(connection: NetworkConnection, proxy: string, signatures: string[]): Promise<Map<string, string>> {
  const answers = new Map<string, string>();
  for (const signature of signatures) {
    const data = new Interface([`function ${signature}`]).getFunction(signature)!.selector;
    try {
      answers.set(signature, await connection.ethers.provider.call({ to: proxy, data }));
    } catch (error) {
      answers.set(signature, `reverts ${(await describeRevert(error)).text}`);
    }
  }
  return answers;
}


/**
 * Which build a deployed implementation is, and the values of its immutables by name: what `npm run upgrade` needs
 * to refuse a new implementation whose settings (DID registry, credential registry, time unit, SM2 verifier) differ
 * from the running one's. Those settings are immutables, so they live in the implementation's runtime code, at the
 * offsets the compiler reports (`immutableReferences`): the code of a build is compared with the chain's with those
 * offsets (and linked library addresses) masked, and the values are read at them.
 *
 * Where a deployed implementation's build comes from, in this order:
 * - `deploy/deployments/chain-<id>/upgrades.json`, written by `npm run upgrade` for each implementation it deploys
 *   (artifact, immutable names, constructor arguments, libraries);
 * - Ignition's journal of the deployment (its artifacts, build inputs and constructor arguments);
 * - the current build (artifacts/), for an implementation deployed any other way.
 * Immutable names come from the build's AST: the build output when Hardhat kept it, otherwise the stored build input
 * parsed again by the project's solc-js (analysis only: a second or two).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { getAddress } from "ethers";
import hre from "hardhat";

const require = createRequire(import.meta.url);

type Offsets = { start: number; length: number }[];

/** The parts of a Hardhat artifact that identify deployed code. */
export interface CodeArtifact {
  contractName: string;
  /** Input source name, `project/contracts/...sol` for the project's contracts. */
  inputSourceName: string;
  abi: unknown[];
  /** Creation code (with link placeholders); the records of `npm run upgrade` leave it out. */
  bytecode?: string;
  deployedBytecode: string;
  immutableReferences: Record<string, Offsets>;
  deployedLinkReferences: Record<string, Record<string, Offsets>>;
  linkReferences?: Record<string, Record<string, Offsets>>;
  buildInfoId?: string;
}

/** A deployed implementation whose build is known. */
export interface KnownImplementation {
  address: string;
  /** `contracts/identity/CredentialRegistry.sol:CredentialRegistry` */
  contract: string;
  /** Where the build came from: `upgrade record`, `Ignition future <id>`, `current build`. */
  origin: string;
  artifact: CodeArtifact;
  /** AST id of each immutable → `DeclaringContract._NAME`, its type, whether the project (contracts/) declares it. */
  immutableNames: Record<string, ImmutableName>;
  /** Constructor arguments it was deployed with, when known (JSON values, as Ignition records them). */
  constructorArgs?: unknown[];
}

export interface ImmutableName {
  name: string;
  /** Solidity type (`address`, `uint256`, `contract IDIDRegistry`). */
  type: string;
  project: boolean;
}

/** The record `npm run upgrade` keeps of each implementation it deploys. */
export interface ImplementationRecord {
  contract: string;
  artifact: CodeArtifact;
  immutableNames: KnownImplementation["immutableNames"];
  constructorArgs: unknown[];
  libraries: Record<string, string>;
  transaction: string;
  /** The proxy it was deployed for. */
  proxy: string;
}

export interface UpgradeRecords {
  implementations: Record<string, ImplementationRecord>;
}

export function fullName(artifact: Pick<CodeArtifact, "inputSourceName" | "contractName">): string {
  return `${artifact.inputSourceName.replace(/^project\//, "")}:${artifact.contractName}`;
}

function strip(hex: string): string {
  return hex.startsWith("0x") ? hex.slice(2).toLowerCase() : hex.toLowerCase();
}

/** `code` (hex) with the given byte ranges zeroed. */
function mask(code: string, ranges: Offsets): string {
  let hex = strip(code);
  for (const { start, length } of ranges) {
    hex = hex.slice(0, start * 2) + "0".repeat(length * 2) + hex.slice((start + length) * 2);
  }
  return hex;
}

function rangesOf(artifact: CodeArtifact): Offsets {
  return [
    ...Object.values(artifact.immutableReferences ?? {}).flat(),
    ...Object.values(artifact.deployedLinkReferences ?? {}).flatMap((libraries) => Object.values(libraries).flat()),
  ];
}

/** Whether `code` (from the chain) is `artifact`'s runtime code, immutables and linked libraries aside. */
export function isCodeOf(artifact: CodeArtifact, code: string): boolean {
  const deployed = strip(artifact.deployedBytecode);
  if (deployed.length !== strip(code).length || deployed.length === 0) return false;
  const ranges = rangesOf(artifact);
  return mask(deployed, ranges) === mask(code, ranges);
}

/** An immutable's value in deployed code: the 32-byte word, and how to show it. */
export interface ImmutableValue {
  word: string;
  text: string;
}

/** Values of the immutables in `code`, by name; only the project's (settings, not OpenZeppelin's caches) unless `all`. */
export function immutablesOf(
  implementation: Pick<KnownImplementation, "artifact" | "immutableNames">,
  code: string,
  all = false,
): Record<string, ImmutableValue> {
  const hex = strip(code);
  const values: Record<string, ImmutableValue> = {};
  for (const [id, offsets] of Object.entries(implementation.artifact.immutableReferences ?? {})) {
    const named = implementation.immutableNames[id];
    if (named === undefined || (!all && !named.project) || offsets.length === 0) continue;
    const { start, length } = offsets[0];
    const word = `0x${hex.slice(start * 2, (start + length) * 2)}`;
    const type = named.type ?? "bytes32";
    const text =
      type === "address" || type.startsWith("contract ") || type.startsWith("address ")
        ? getAddress(`0x${word.slice(-40)}`)
        : /^u?int\d*$/.test(type)
          ? BigInt(word).toString()
          : type === "bool"
            ? String(BigInt(word) !== 0n)
            : word;
    values[named.name] = { word, text: `${text} (${type})` };
  }
  return values;
}

/** Addresses of the libraries linked into `code`, by `source:Library`. */
export function linkedLibraries(artifact: CodeArtifact, code: string): Record<string, string> {
  const hex = strip(code);
  const libraries: Record<string, string> = {};
  for (const [source, names] of Object.entries(artifact.deployedLinkReferences ?? {})) {
    for (const [name, offsets] of Object.entries(names)) {
      const { start, length } = offsets[0];
      libraries[`${source.replace(/^project\//, "")}:${name}`] = getAddress(`0x${hex.slice(start * 2, (start + length) * 2)}`);
    }
  }
  return libraries;
}

// ───────────────────────────── Immutable names from the AST ─────────────────────────────

interface AstNode {
  id?: number;
  nodeType?: string;
  name?: string;
  mutability?: string;
  absolutePath?: string;
  nodes?: AstNode[];
  [key: string]: unknown;
}

/** Every immutable declared in `sources` (solc's output `sources`), by AST id. */
function immutablesInAst(sources: Record<string, { ast: AstNode }>): Record<string, ImmutableName> {
  const names: Record<string, ImmutableName> = {};
  for (const [source, { ast }] of Object.entries(sources)) {
    for (const contract of ast.nodes ?? []) {
      if (contract.nodeType !== "ContractDefinition") continue;
      for (const node of contract.nodes ?? []) {
        if (node.nodeType === "VariableDeclaration" && node.mutability === "immutable" && node.id !== undefined) {
          names[String(node.id)] = {
            name: `${contract.name}.${node.name}`,
            type: (node.typeDescriptions as { typeString?: string } | undefined)?.typeString ?? "bytes32",
            project: source.startsWith("project/contracts/"),
          };
        }
      }
    }
  }
  return names;
}

const namesCache = new Map<string, Record<string, ImmutableName>>();

/** Immutable names of a build of the project (artifacts/build-info), by its id. */
async function buildNames(buildInfoId: string): Promise<Record<string, ImmutableName> | undefined> {
  if (namesCache.has(buildInfoId)) return namesCache.get(buildInfoId);
  const outputFile = await hre.artifacts.getBuildInfoOutputPath(buildInfoId);
  if (outputFile === undefined || !existsSync(outputFile)) return undefined;
  const { output } = JSON.parse(readFileSync(outputFile, "utf8")) as { output: { sources: Record<string, { ast: AstNode }> } };
  const names = immutablesInAst(output.sources);
  namesCache.set(buildInfoId, names);
  return names;
}

/** Immutable names of a stored build input (Ignition keeps inputs only), parsed again by the project's solc-js. */
function namesFromInput(buildInfoFile: string): Record<string, ImmutableName> {
  const cached = namesCache.get(buildInfoFile);
  if (cached) return cached;
  const buildInfo = JSON.parse(readFileSync(buildInfoFile, "utf8")) as {
    solcLongVersion: string;
    input: { language: string; sources: Record<string, unknown>; settings: Record<string, unknown> };
  };
  const solc = require("solc") as { version(): string; compile(input: string): string };
  if (!solc.version().startsWith(buildInfo.solcLongVersion)) {
    throw new Error(`${buildInfoFile} was compiled by solc ${buildInfo.solcLongVersion}, the solc package is ${solc.version()}`);
  }
  // The same input (so the same AST ids), analysis only.
  const input = { ...buildInfo.input, settings: { ...buildInfo.input.settings, outputSelection: { "*": { "": ["ast"] } } } };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    sources?: Record<string, { ast: AstNode }>;
    errors?: { severity: string; formattedMessage: string }[];
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0 || output.sources === undefined) {
    throw new Error(`parsing ${buildInfoFile} failed:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  }
  const names = immutablesInAst(output.sources);
  namesCache.set(buildInfoFile, names);
  return names;
}

// ───────────────────────────── The current build ─────────────────────────────

/** A contract of the current build (name or `contracts/...sol:Name`) with its immutable names. */
export async function buildArtifact(contract: string): Promise<Omit<KnownImplementation, "address">> {
  const artifact = (await hre.artifacts.readArtifact(contract)) as unknown as CodeArtifact;
  if (artifact.buildInfoId === undefined) throw new Error(`${contract}: artifact without build info (rebuild)`);
  const names = await buildNames(artifact.buildInfoId);
  if (names === undefined) throw new Error(`${contract}: the build output of ${artifact.buildInfoId} is missing (npm run build)`);
  return { contract: fullName(artifact), origin: "current build", artifact, immutableNames: names };
}

// ───────────────────────────── Records ─────────────────────────────

/** Ignition's deployment directory of a chain (where `npm run deploy` keeps its journal). */
export function deploymentDir(chainId: number): string {
  return path.join(hre.config.paths.ignition, "deployments", `chain-${chainId}`);
}

function recordsFile(chainId: number): string {
  return path.join(deploymentDir(chainId), "upgrades.json");
}

export function readUpgradeRecords(chainId: number): UpgradeRecords {
  const file = recordsFile(chainId);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as UpgradeRecords) : { implementations: {} };
}

export function recordImplementation(chainId: number, address: string, record: ImplementationRecord): string {
  const records = readUpgradeRecords(chainId);
  records.implementations[getAddress(address)] = record;
  const file = recordsFile(chainId);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(records, null, 2)}\n`);
  return path.relative(hre.config.paths.root, file);
}

/** Ignition's record of the contract it deployed at `address` on `chainId`, if any. */
function ignitionImplementation(chainId: number, address: string): Omit<KnownImplementation, "address"> | undefined {
  const dir = deploymentDir(chainId);
  const addressesFile = path.join(dir, "deployed_addresses.json");
  if (!existsSync(addressesFile)) return undefined;
  const addresses = JSON.parse(readFileSync(addressesFile, "utf8")) as Record<string, string>;
  const futureId = Object.keys(addresses).find((id) => getAddress(addresses[id]) === getAddress(address));
  if (futureId === undefined) return undefined;
  const artifactFile = path.join(dir, "artifacts", `${futureId}.json`);
  if (!existsSync(artifactFile)) return undefined;
  const artifact = JSON.parse(readFileSync(artifactFile, "utf8")) as CodeArtifact;
  const buildInfoFile = path.join(dir, "build-info", `${artifact.buildInfoId}.json`);
  let constructorArgs: unknown[] | undefined;
  for (const line of readFileSync(path.join(dir, "journal.jsonl"), "utf8").split("\n")) {
    if (!line.includes(futureId)) continue;
    const entry = JSON.parse(line) as { type: string; futureId?: string; constructorArgs?: unknown[] };
    if (entry.type === "DEPLOYMENT_EXECUTION_STATE_INITIALIZE" && entry.futureId === futureId) constructorArgs = entry.constructorArgs;
  }
  return {
    contract: fullName(artifact),
    origin: `Ignition future ${futureId}`,
    artifact,
    immutableNames: existsSync(buildInfoFile) ? namesFromInput(buildInfoFile) : {},
    constructorArgs,
  };
}

/**
 * The build of the implementation deployed at `address` (whose runtime code is `code`): from the upgrade records,
 * Ignition's journal, or the current build (`preferred` contracts first). Undefined when no known build has that
 * code.
 */
export async function identifyImplementation(
  chainId: number,
  address: string,
  code: string,
  preferred: string[] = [],
): Promise<KnownImplementation | undefined> {
  const record = readUpgradeRecords(chainId).implementations[getAddress(address)];
  if (record !== undefined && isCodeOf(record.artifact, code)) {
    return {
      address,
      contract: record.contract,
      origin: "upgrade record",
      artifact: record.artifact,
      immutableNames: record.immutableNames,
      constructorArgs: record.constructorArgs,
    };
  }
  const ignition = ignitionImplementation(chainId, address);
  if (ignition !== undefined && isCodeOf(ignition.artifact, code)) {
    // Names from the current build when it is the same build (no solc run), else from the stored input.
    const names = ignition.artifact.buildInfoId ? await buildNames(ignition.artifact.buildInfoId) : undefined;
    return { address, ...ignition, immutableNames: names ?? ignition.immutableNames };
  }
  const names = [...(await hre.artifacts.getAllFullyQualifiedNames())];
  const ordered = [
    ...names.filter((name) => preferred.some((p) => name === p || name.endsWith(`:${p}`))),
    ...names.filter((name) => name.startsWith("contracts/")),
  ];
  for (const name of new Set(ordered)) {
    const artifact = (await hre.artifacts.readArtifact(name)) as unknown as CodeArtifact;
    if (isCodeOf(artifact, code)) return { address, ...(await buildArtifact(name)) };
  }
  return undefined;
}

/** Names of the upgrade records file and Ignition's journal of a chain, for messages. */
export function knownBuildSources(chainId: number): string {
  const dir = path.relative(hre.config.paths.root, deploymentDir(chainId));
  return `${dir}/upgrades.json, ${dir}/journal.jsonl, artifacts/`;
}

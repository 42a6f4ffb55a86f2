/**
 * Upgrade safety of trustbase's upgradeable contracts, checked on the build (`npm run build`) with
 * @openzeppelin/upgrades-core, the library behind OpenZeppelin's Hardhat and Foundry upgrade plugins.
 *
 * What it checks, for every upgradeable contract of contracts/ (found in the build: a contract that inherits
 * OpenZeppelin's Initializable or UUPSUpgradeable, or contracts/governance/UpgradeableModule.sol):
 * - upgrades-core's validations for a UUPS implementation: no constructor, selfdestruct, delegatecall, immutable,
 *   state variable assignment, linked library or initializer mistake that has not been allowed; a public
 *   `upgradeToAndCall`;
 * - trustbase's rules on top: it inherits UpgradeableModule (UUPS, upgrades through the AccessManager), its
 *   `_authorizeUpgrade` is guarded, some constructor calls `_disableInitializers()`, constructors of project
 *   contracts do nothing but set immutables (storage they wrote would be the implementation's, not the proxy's),
 *   state lives in ERC-7201 namespaces whose slot constants match the formula, and the EIP-712 name and version
 *   fit in 31 bytes (see ALLOWANCES);
 * - its storage layout (regular variables and every ERC-7201 namespace, OpenZeppelin's included) against the
 *   committed snapshot deploy/layouts/<Contract>.json with upgrades-core's layout comparison: an incompatible
 *   change fails; a compatible one (say, a field appended to a namespaced struct) passes and asks for the
 *   snapshot to be refreshed (`npm run validate:upgrades -- --update`). Test doubles (contracts/mocks/) have no
 *   snapshot; a contract annotated `@custom:oz-upgrades-from <Reference>` is compared with that contract instead.
 *
 * Namespaced structs are not in solc's storage layout output: as OpenZeppelin's plugins do, the build's input is
 * rewritten with `makeNamespacedInput` (one state variable per namespaced struct, function bodies dropped) and
 * compiled again with the project's own solc-js (the `solc` package, the compiler hardhat.config.ts uses), which
 * gives their layouts. That takes a couple of seconds.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync, unlinkSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import upgradesCore from "@openzeppelin/upgrades-core";
import type { SolcInput, SolcOutput, StorageLayout, ValidationRunData } from "@openzeppelin/upgrades-core";
import { AbiCoder, keccak256, toUtf8Bytes } from "ethers";
import type {
  ContractDefinition,
  Expression,
  FunctionDefinition,
  InlineAssembly,
  SourceUnit,
  Statement,
  StructDefinition,
} from "solidity-ast";
import { astDereferencer, findAll, type ASTDereferencer } from "solidity-ast/utils.js";

const {
  getContractVersion,
  getErrors,
  getStorageLayout,
  getStorageUpgradeReport,
  makeNamespacedInput,
  solcInputOutputDecoder,
  trySanitizeNatSpec,
  validate,
  withValidationDefaults,
  UpgradeableContractErrorReport,
} = upgradesCore;

type ValidationError = ReturnType<typeof getErrors>[number];

const require = createRequire(import.meta.url);

/** Where contract sources of the project live in Hardhat 3's build info (its "input source names"). */
const PROJECT_CONTRACTS = "project/contracts/";
const MOCKS = "project/contracts/mocks/";
const UPGRADEABLE_MODULE = "project/contracts/governance/UpgradeableModule.sol:UpgradeableModule";
const OZ_UUPS = /^npm\/@openzeppelin\/contracts-upgradeable@[^/]+\/proxy\/utils\/UUPSUpgradeable\.sol:UUPSUpgradeable$/;
const OZ_EIP712 = /^npm\/@openzeppelin\/contracts@[^/]+\/utils\/cryptography\/EIP712\.sol:EIP712$/;

// ───────────────────────────── Allowances ─────────────────────────────

/**
 * One exception to the rules, as narrow as the validator can state it: one error kind, in one contract of one
 * source file (and one variable, where the kind names one). An allowance no contract needs any more is an error
 * too, so this list stays exactly what the contracts need.
 */
export interface Allowance {
  /** upgrades-core's error kind, or "storage-variable" for a variable outside any ERC-7201 namespace. */
  kind: ValidationError["kind"] | "storage-variable";
  /** Source file as shown in reports: `contracts/...` or `@openzeppelin/<package>/...` (no version). */
  source: string;
  /** Contract the error is about (constructor errors). */
  contract?: string;
  /** Variable the error is about (immutables, storage variables). */
  variable?: string;
  /** Why this is safe; printed with the report. */
  reason: string;
}

export const ALLOWANCES: readonly Allowance[] = [
  // OpenZeppelin's EIP712 is the non-upgradeable one on purpose: the name and version hashes, and the domain
  // separator cached for the implementation's own address, are immutables in the bytecode, so a signature check
  // reads no storage (EIP712Upgradeable would read two slots on every `...BySig`). Behind a proxy,
  // `_domainSeparatorV4()` sees `address(this) != _cachedThis` and rebuilds the separator for the proxy's
  // address and the current chain id, so signatures stay bound to the proxy. Its immutables carry OpenZeppelin's
  // own `@custom:oz-upgrades-unsafe-allow state-variable-immutable`; its constructor does not:
  {
    kind: "constructor",
    source: "@openzeppelin/contracts/utils/cryptography/EIP712.sol",
    contract: "EIP712",
    reason:
      "sets immutables only, as long as name and version are shorter than 32 bytes (checked: otherwise it " +
      "writes them to _nameFallback/_versionFallback in the implementation's storage)",
  },
  // ...and it declares two regular state variables, slots 0 and 1 of every contract that inherits it: the
  // fallback copies of a name or version of 32 bytes or more. They are written only by that constructor, only
  // for such long strings, which the validator refuses (see checkEip712Strings), so in a proxy they stay empty
  // and unused; nothing else of trustbase may use slots 0 and 1 (every other variable must be namespaced).
  {
    kind: "storage-variable",
    source: "@openzeppelin/contracts/utils/cryptography/EIP712.sol",
    variable: "_nameFallback",
    reason: "slot 0, never written for a name shorter than 32 bytes (checked)",
  },
  {
    kind: "storage-variable",
    source: "@openzeppelin/contracts/utils/cryptography/EIP712.sol",
    variable: "_versionFallback",
    reason: "slot 1, never written for a version shorter than 32 bytes (checked)",
  },
  // The common bases of every signing module. Their constructors only set immutables (per-implementation settings:
  // time unit, signature scheme) or pass arguments on to base constructors; the validator checks that every
  // constructor of a project contract does no more (checkConstructors). They lack the
  // `@custom:oz-upgrades-unsafe-allow constructor` annotation the project puts on CredentialRegistry's and
  // UpgradeableModule's constructors; with it on them these entries would go (and must, being then unused).
  {
    kind: "constructor",
    source: "contracts/common/SignedOperations.sol",
    contract: "SignedOperations",
    reason: "only passes name, version, time unit and SM2 verifier to its bases (checked)",
  },
  {
    kind: "constructor",
    source: "contracts/common/TimeSource.sol",
    contract: "TimeSource",
    reason: "only sets the immutable _TIMESTAMP_DIVISOR (checked)",
  },
  {
    kind: "constructor",
    source: "contracts/common/SignatureVerifier.sol",
    contract: "SignatureVerifier",
    reason: "only sets the immutable _SM2_VERIFIER (checked)",
  },
  // Per-implementation settings kept as immutables on purpose (an upgrade is how they change). Unlike
  // CredentialRegistry's `_DIDS`, these declarations lack `@custom:oz-upgrades-unsafe-allow
  // state-variable-immutable`: with the annotation at the declaration these entries would go.
  {
    kind: "state-variable-immutable",
    source: "contracts/common/TimeSource.sol",
    variable: "_TIMESTAMP_DIVISOR",
    reason: "time unit of the chain (seconds or milliseconds), a per-implementation setting",
  },
  {
    kind: "state-variable-immutable",
    source: "contracts/common/SignatureVerifier.sol",
    variable: "_SM2_VERIFIER",
    reason: "signature scheme of the chain (secp256k1 or the SM2 precompile), a per-implementation setting",
  },
  // RWAToken keeps its cold, pure helpers in a linked library to stay under 24,576 bytes. The library has external
  // pure functions only (no storage, no delegatecall, no selfdestruct), so calling it by DELEGATECALL cannot touch
  // the proxy's state; its address is in the implementation's bytecode, so an upgrade relinks it.
  {
    kind: "external-library-linking",
    source: "contracts/assets/RWARestrictions.sol",
    reason: "RWARestrictions: external pure functions only (ERC-1404 messages, reverts, topic packing); no state, delegatecall or selfdestruct",
  },
];

// ───────────────────────────── Options and results ─────────────────────────────

export interface ValidateUpgradesOptions {
  /** Project root (default: the current directory). */
  root?: string;
  /** Hardhat 3 artifacts (default: `<root>/artifacts`). */
  artifactsDir?: string;
  /** Layout snapshots (default: `<root>/deploy/layouts`). */
  layoutsDir?: string;
  /** Write missing snapshots and refresh compatibly changed ones. An incompatible change is never written. */
  update?: boolean;
  /** Validate only these contracts (names or `path:Name`); stale snapshots and allowances are then not reported. */
  only?: string[];
  /** Extra layout comparisons: contract (name or `path:Name`) → reference contract of the same build. */
  references?: Record<string, string>;
  /**
   * Extra layout comparisons with committed snapshots: contract (name or `path:Name`) → snapshot name
   * (`<layoutsDir>/<name>.json`). `npm run upgrade` compares a new implementation with the snapshot of the line it
   * replaces this way.
   */
  snapshotReferences?: Record<string, string>;
  /** Exceptions to the rules (default: {@link ALLOWANCES}). */
  allowances?: readonly Allowance[];
  /** Compare test doubles (contracts/mocks/) with snapshots too (tests of the snapshot logic use it). */
  snapshotTestDoubles?: boolean;
}

export interface ContractReport {
  /** `contracts/...sol:Name` */
  name: string;
  /** false for test doubles of contracts/mocks/, which have no snapshot. */
  snapshotted: boolean;
  errors: string[];
  notes: string[];
}

export interface UpgradeValidation {
  ok: boolean;
  contracts: ContractReport[];
  /** Problems not tied to one contract (stale snapshots or allowances, build problems). */
  errors: string[];
  notes: string[];
  /** Human-readable report. */
  text: string;
}

// ───────────────────────────── Build loading ─────────────────────────────

interface LoadedBuild {
  buildInfoPath: string;
  solcVersion: string;
  input: SolcInput;
  output: SolcOutput;
  runData: ValidationRunData;
  deref: ASTDereferencer;
  /** Contract definitions by id, for the sources kept. */
  contracts: Map<number, { def: ContractDefinition; source: string }>;
}

interface HardhatBuildInfo {
  _format: string;
  solcVersion: string;
  solcLongVersion: string;
  input: SolcInput;
}

const buildCache = new Map<string, { mtimeMs: number; build: LoadedBuild }>();

/**
 * The current build of each contract of contracts/: `source:Name` → the build info id its artifact points at.
 * Hardhat 3 recompiles only what changed, so older build infos stay around with older versions of some
 * contracts: the artifacts say which build is the current one for each contract.
 */
function projectArtifacts(artifactsDir: string): Map<string, string> {
  const current = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".json") && !entry.name.endsWith(".dbg.json")) {
        const artifact = JSON.parse(readFileSync(file, "utf8")) as {
          contractName?: string;
          buildInfoId?: string;
          inputSourceName?: string;
        };
        if (artifact.buildInfoId && artifact.inputSourceName?.startsWith(PROJECT_CONTRACTS)) {
          current.set(`${artifact.inputSourceName}:${artifact.contractName}`, artifact.buildInfoId);
        }
      }
    }
  };
  const contractsDir = path.join(artifactsDir, "contracts");
  if (!existsSync(contractsDir)) throw new Error(`no artifacts in ${contractsDir}: run \`npm run build\` first`);
  walk(contractsDir);
  return current;
}

async function loadBuild(buildInfoPath: string): Promise<LoadedBuild> {
  const mtimeMs = statSync(buildInfoPath).mtimeMs;
  const cached = buildCache.get(buildInfoPath);
  if (cached && cached.mtimeMs === mtimeMs) return cached.build;

  const buildInfo = JSON.parse(readFileSync(buildInfoPath, "utf8")) as HardhatBuildInfo;
  if (!buildInfo._format?.startsWith("hh3-sol-build-info")) {
    throw new Error(`${buildInfoPath}: not a Hardhat 3 build info (format ${buildInfo._format})`);
  }
  const outputPath = buildInfoPath.replace(/\.json$/, ".output.json");
  const fullOutput = (JSON.parse(readFileSync(outputPath, "utf8")) as { output: SolcOutput }).output;
  const fullInput = buildInfo.input;

  // The storage layouts must be in the build: hardhat.config.ts selects `storageLayout` for every contract.
  const someProjectContract = Object.entries(fullOutput.contracts).find(([source]) => source.startsWith(PROJECT_CONTRACTS));
  if (someProjectContract && Object.values(someProjectContract[1]).some((c) => c.storageLayout === undefined)) {
    throw new Error(
      `${buildInfoPath} has no storage layouts: add "storageLayout" to the compiler's outputSelection in hardhat.config.ts and rebuild`,
    );
  }

  // Keep the project's contracts and what they import (not the Solidity tests and forge-std): the namespaced
  // compilation below then has less to compile.
  const keep = new Set<string>();
  const queue = Object.keys(fullOutput.sources).filter((source) => source.startsWith(PROJECT_CONTRACTS));
  while (queue.length > 0) {
    const source = queue.pop()!;
    if (keep.has(source)) continue;
    keep.add(source);
    const ast = fullOutput.sources[source].ast as SourceUnit;
    for (const node of ast.nodes) if (node.nodeType === "ImportDirective") queue.push(node.absolutePath);
  }
  const pick = <T>(record: Record<string, T>) =>
    Object.fromEntries(Object.entries(record).filter(([source]) => keep.has(source))) as Record<string, T>;
  const input: SolcInput = { ...fullInput, sources: pick(fullInput.sources) };
  const output: SolcOutput = { ...fullOutput, sources: pick(fullOutput.sources), contracts: pick(fullOutput.contracts) };

  // Namespaced compilation with the same compiler (solc-js of the `solc` package, as hardhat.config.ts uses).
  const solc = require("solc") as { version(): string; compile(input: string): string };
  const solcLong = solc.version();
  if (!solcLong.startsWith(buildInfo.solcLongVersion)) {
    throw new Error(
      `${buildInfoPath} was compiled by solc ${buildInfo.solcLongVersion}, but the \`solc\` package is ${solcLong}: ` +
        "the namespaced layouts must come from the same compiler",
    );
  }
  let namespacedInput = makeNamespacedInput(input, output, buildInfo.solcVersion);
  namespacedInput = await trySanitizeNatSpec(namespacedInput, buildInfo.solcVersion);
  const namespacedOutput = JSON.parse(solc.compile(JSON.stringify(namespacedInput))) as SolcOutput & {
    errors?: { severity: string; formattedMessage: string }[];
  };
  const compileErrors = (namespacedOutput.errors ?? []).filter((e) => e.severity === "error");
  if (compileErrors.length > 0) {
    throw new Error(`namespaced compilation failed:\n${compileErrors.map((e) => e.formattedMessage).join("\n")}`);
  }

  const runData = validate(output, solcInputOutputDecoder(input, output), buildInfo.solcVersion, input, namespacedOutput);
  const contracts = new Map<number, { def: ContractDefinition; source: string }>();
  for (const [source, { ast }] of Object.entries(output.sources)) {
    for (const def of findAll("ContractDefinition", ast as SourceUnit)) contracts.set(def.id, { def, source });
  }
  const build: LoadedBuild = {
    buildInfoPath,
    solcVersion: buildInfo.solcVersion,
    input,
    output,
    runData,
    deref: astDereferencer(output),
    contracts,
  };
  buildCache.set(buildInfoPath, { mtimeMs, build });
  return build;
}

// ───────────────────────────── Names ─────────────────────────────

/** `project/contracts/x.sol` → `contracts/x.sol`; `npm/@openzeppelin/contracts@5.4.0/y.sol` → `@openzeppelin/contracts/y.sol`. */
export function displaySource(source: string): string {
  if (source.startsWith("project/")) return source.slice("project/".length);
  const npm = /^npm\/((?:@[^/]+\/)?[^@/]+)@[^/]+\/(.*)$/.exec(source);
  return npm ? `${npm[1]}/${npm[2]}` : source;
}

/** `src` of upgrades-core ("source:line") shown with {@link displaySource}; `withLine` false drops the line. */
function displaySrc(src: string, withLine = true): string {
  const match = /^(.*?)(?::(\d+))?$/.exec(src)!;
  return withLine && match[2] ? `${displaySource(match[1])}:${match[2]}` : displaySource(match[1]);
}

// ───────────────────────────── Layout snapshots ─────────────────────────────

const TYPE_ID = /(t_(?:struct|enum|contract|userDefinedValueType))\(([^()]*)\)(\d+)/g;

/**
 * A layout as committed: AST ids in type identifiers replaced by the type's qualified name
 * (`t_struct(Holding)4090_storage` → `t_struct(CredentialRegistry.Holding)_storage`), source locations without
 * line numbers or package versions, no AST ids or compiler version: a snapshot changes only when the layout does.
 */
export function normalizeLayout(layout: StorageLayout): StorageLayout {
  const names = new Map<string, string>();
  for (const [id, item] of Object.entries(layout.types)) {
    TYPE_ID.lastIndex = 0;
    const match = TYPE_ID.exec(id);
    if (match && match.index === 0) {
      names.set(match[0], item.label.replace(/^(struct|enum|contract) /, ""));
    }
  }
  const seen = new Map<string, string>();
  const rename = (id: string): string =>
    id.replace(TYPE_ID, (whole, head: string, name: string) => {
      const qualified = names.get(whole) ?? name;
      const renamed = `${head}(${qualified})`;
      const previous = seen.get(renamed);
      if (previous !== undefined && previous !== whole) {
        throw new Error(`two types would share the snapshot id ${renamed}: ${previous} and ${whole}`);
      }
      seen.set(renamed, whole);
      return renamed;
    });
  const item = <T extends { type: string; src?: string; astId?: number; contract?: string }>(entry: T): T => {
    const { astId: _astId, ...rest } = entry;
    return { ...rest, type: rename(entry.type), ...(entry.src !== undefined ? { src: displaySrc(entry.src, false) } : {}) } as T;
  };
  const types = Object.fromEntries(
    Object.entries(layout.types)
      .map(([id, type]) => {
        const members = type.members?.map((member) =>
          typeof member === "string" ? member : { ...member, type: rename(member.type) },
        ) as StorageLayout["types"][string]["members"];
        const underlying = type.underlying !== undefined ? rename(type.underlying) : undefined;
        return [
          rename(id),
          { ...type, ...(members ? { members } : {}), ...(underlying !== undefined ? { underlying } : {}) },
        ] as const;
      })
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const namespaces = layout.namespaces
    ? Object.fromEntries(Object.entries(layout.namespaces).map(([id, items]) => [id, items.map(item)]))
    : undefined;
  return { storage: layout.storage.map(item), types, ...(namespaces ? { namespaces } : {}) };
}

interface Snapshot {
  contract: string;
  comment: string;
  namespaceSlots: Record<string, string>;
  layout: StorageLayout;
}

function snapshotOf(name: string, layout: StorageLayout): Snapshot {
  const namespaceSlots = Object.fromEntries(
    Object.keys(layout.namespaces ?? {}).map((id) => [id, id.startsWith("erc7201:") ? erc7201Slot(id.slice(8)) : "?"]),
  );
  return {
    contract: name,
    comment:
      "Storage layout of the deployed implementation line, checked by `npm run validate:upgrades`. Refresh with " +
      "`npm run validate:upgrades -- --update` after a compatible change; never edit by hand.",
    namespaceSlots,
    layout,
  };
}

function compareLayouts(original: StorageLayout, updated: StorageLayout): { ok: boolean; explanation: string } {
  const report = getStorageUpgradeReport(original, updated, withValidationDefaults({ kind: "uups" }));
  return { ok: report.ok, explanation: report.ok ? "" : report.explain(false) };
}

/** ERC-7201: `keccak256(abi.encode(uint256(keccak256(id)) - 1)) & ~bytes32(uint256(0xff))`. */
export function erc7201Slot(id: string): string {
  const inner = BigInt(keccak256(toUtf8Bytes(id))) - 1n;
  const outer = BigInt(keccak256(AbiCoder.defaultAbiCoder().encode(["uint256"], [inner])));
  return `0x${(outer & ~0xffn).toString(16).padStart(64, "0")}`;
}

// ───────────────────────────── AST rules ─────────────────────────────

interface ContractContext {
  build: LoadedBuild;
  def: ContractDefinition;
  source: string;
  /** Most derived first, as solc linearizes. */
  linearized: { def: ContractDefinition; source: string; fqn: string }[];
}

/** `contracts/x.sol:12` for an AST node's `src` ("start:length:file") in `source`. */
function where(build: LoadedBuild, source: string, node: { src: string }): string {
  const start = Number(node.src.split(":")[0]);
  // solc counts bytes (sources have non-ASCII comments), not UTF-16 units.
  const before = Buffer.from(build.input.sources[source]?.content ?? "", "utf8").subarray(0, start);
  return `${displaySource(source)}:${before.toString("utf8").split("\n").length}`;
}

function constructorOf(def: ContractDefinition): FunctionDefinition | undefined {
  return def.nodes.find((n): n is FunctionDefinition => n.nodeType === "FunctionDefinition" && n.kind === "constructor");
}

/** Names of the functions called in an expression, type conversions and struct constructors aside. */
function callsIn(node: Expression | Statement): string[] {
  return [...findAll("FunctionCall", node)]
    .filter((call) => call.kind === "functionCall")
    .map(({ expression }) =>
      expression.nodeType === "Identifier" ? expression.name : expression.nodeType === "MemberAccess" ? expression.memberName : "a function",
    );
}

/**
 * A constructor of a project contract may set immutables, call `_disableInitializers()` and pass arguments to base
 * constructors, nothing else: any storage it wrote would be the implementation's, never the proxy's.
 */
function checkConstructors(ctx: ContractContext, errors: string[]) {
  for (const { def, source } of ctx.linearized) {
    if (!source.startsWith(PROJECT_CONTRACTS)) continue;
    const ctor = constructorOf(def);
    if (!ctor) continue;
    const at = (node: { src: string }) => `${where(ctx.build, source, node)}: constructor of ${def.name}`;
    for (const modifier of ctor.modifiers) {
      if (modifier.kind !== "baseConstructorSpecifier") {
        errors.push(`${at(modifier)} uses modifier ${modifier.modifierName.name}: a constructor may only set immutables`);
      }
      for (const argument of modifier.arguments ?? []) {
        const calls = callsIn(argument);
        if (calls.length > 0) errors.push(`${at(argument)} calls ${calls.join(", ")} in a base constructor argument`);
      }
    }
    for (const statement of ctor.body?.statements ?? []) {
      if (statement.nodeType === "ExpressionStatement") {
        const expression = statement.expression;
        if (
          expression.nodeType === "FunctionCall" &&
          expression.expression.nodeType === "Identifier" &&
          expression.expression.name === "_disableInitializers" &&
          expression.arguments.length === 0
        ) {
          continue;
        }
        if (expression.nodeType === "Assignment" && expression.leftHandSide.nodeType === "Identifier") {
          const target = ctx.build.deref(["VariableDeclaration"], expression.leftHandSide.referencedDeclaration!);
          if (target.mutability === "immutable" && callsIn(expression.rightHandSide).length === 0) continue;
        }
      }
      errors.push(
        `${at(statement)} does more than set immutables or disable initializers: ` +
          "what it writes to storage would be the implementation's, not the proxy's",
      );
    }
  }
}

/** UUPS, upgrades through UpgradeableModule, a guarded `_authorizeUpgrade`, initializers disabled. */
function checkUups(ctx: ContractContext, errors: string[]) {
  const fqns = ctx.linearized.map((c) => c.fqn);
  if (!fqns.some((fqn) => OZ_UUPS.test(fqn))) errors.push("is not UUPS: it does not inherit UUPSUpgradeable");
  if (!fqns.includes(UPGRADEABLE_MODULE)) {
    errors.push("does not inherit UpgradeableModule: trustbase's upgradeable contracts upgrade through the AccessManager");
  }
  const authorize = ctx.linearized
    .flatMap(({ def, source }) =>
      def.nodes
        .filter((n): n is FunctionDefinition => n.nodeType === "FunctionDefinition" && n.name === "_authorizeUpgrade" && n.implemented)
        .map((fn) => ({ fn, def, source })),
    )
    .at(0);
  if (!authorize) {
    errors.push("has no implemented _authorizeUpgrade");
  } else if (authorize.fn.modifiers.length === 0 && (authorize.fn.body?.statements?.length ?? 0) === 0) {
    errors.push(
      `${where(ctx.build, authorize.source, authorize.fn)}: _authorizeUpgrade of ${authorize.def.name} has neither a modifier nor a body: anyone could upgrade`,
    );
  }
  const disables = ctx.linearized.some(({ def }) => {
    const ctor = constructorOf(def);
    return ctor !== undefined && [...findAll("FunctionCall", ctor)].some((call) => call.expression.nodeType === "Identifier" && call.expression.name === "_disableInitializers");
  });
  if (!disables) errors.push("no constructor calls _disableInitializers(): anyone could initialize the implementation itself");
}

/**
 * Each namespaced struct of a project contract uses the ERC-7201 formula, the contract has a bytes32 constant with
 * that slot, and every constant an assembly block assigns to a storage pointer's `.slot` is one of its namespaces'.
 */
function checkNamespaces(ctx: ContractContext, errors: string[]) {
  for (const { def, source } of ctx.linearized) {
    if (!source.startsWith(PROJECT_CONTRACTS)) continue;
    const at = (node: { src: string }) => `${where(ctx.build, source, node)}: ${def.name}`;
    const slots = new Set<string>();
    const constants = new Map<number, string>();
    for (const node of def.nodes) {
      if (node.nodeType === "VariableDeclaration" && node.constant && node.typeName?.nodeType === "ElementaryTypeName" && node.typeName.name === "bytes32") {
        const value = node.value;
        if (value?.nodeType === "Literal" && value.kind === "number") constants.set(node.id, BigInt(value.value!).toString(16).padStart(64, "0"));
      }
    }
    for (const struct of def.nodes.filter((n): n is StructDefinition => n.nodeType === "StructDefinition")) {
      const location = /@custom:storage-location\s+(\S+)/.exec(struct.documentation?.text ?? "")?.[1];
      if (location === undefined) continue;
      if (!location.startsWith("erc7201:")) {
        errors.push(`${at(struct)}.${struct.name} uses storage location ${location}: trustbase namespaces use erc7201:<id>`);
        continue;
      }
      const slot = erc7201Slot(location.slice("erc7201:".length)).slice(2);
      slots.add(slot);
      if (![...constants.values()].includes(slot)) {
        errors.push(`${at(struct)}.${struct.name} (${location}): no bytes32 constant of ${def.name} equals its ERC-7201 slot 0x${slot}`);
      }
    }
    for (const assembly of findAll("InlineAssembly", def) as Iterable<InlineAssembly>) {
      const refs = assembly.externalReferences;
      if (!refs.some((ref) => ref.suffix === "slot")) continue;
      for (const ref of refs) {
        const slot = constants.get(ref.declaration);
        if (slot !== undefined && !slots.has(slot)) {
          errors.push(`${at(assembly)}: an assembly block points storage at constant 0x${slot}, which is not the slot of any of its erc7201 namespaces`);
        }
      }
    }
  }
}

/** The string a base-constructor argument ends up as, following constructor parameters down the inheritance. */
function resolveString(ctx: ContractContext, expression: Expression, owner: ContractDefinition): string | undefined {
  if (expression.nodeType === "Literal" && expression.kind === "string") return expression.hexValue;
  if (expression.nodeType !== "Identifier") return undefined;
  const index = constructorOf(owner)?.parameters.parameters.findIndex((p) => p.id === expression.referencedDeclaration) ?? -1;
  if (index < 0) return undefined;
  const call = baseConstructorCall(ctx, owner.id);
  return call ? resolveString(ctx, call.args[index], call.caller) : undefined;
}

function baseConstructorCall(ctx: ContractContext, baseId: number): { args: Expression[]; caller: ContractDefinition } | undefined {
  for (const { def } of ctx.linearized) {
    for (const spec of def.baseContracts) {
      if (spec.baseName.referencedDeclaration === baseId && spec.arguments?.length) return { args: spec.arguments, caller: def };
    }
    for (const modifier of constructorOf(def)?.modifiers ?? []) {
      if (modifier.modifierName.referencedDeclaration === baseId && modifier.arguments) return { args: modifier.arguments, caller: def };
    }
  }
  return undefined;
}

/** EIP712's name and version must be string literals shorter than 32 bytes (see ALLOWANCES). */
function checkEip712Strings(ctx: ContractContext, errors: string[], notes: string[]) {
  const eip712 = ctx.linearized.find((c) => OZ_EIP712.test(c.fqn));
  if (!eip712) return;
  const call = baseConstructorCall(ctx, eip712.def.id);
  const labels = ["name", "version"];
  const values = labels.map((_, i) => (call ? resolveString(ctx, call.args[i], call.caller) : undefined));
  values.forEach((hex, i) => {
    if (hex === undefined) {
      errors.push(`cannot follow EIP712's ${labels[i]} to a string literal: its length (under 32 bytes) cannot be checked`);
    } else if (hex.length / 2 >= 32) {
      errors.push(
        `EIP712 ${labels[i]} is ${hex.length / 2} bytes: from 32 bytes on, EIP712 keeps it in storage of the implementation and the proxy's eip712Domain() would be wrong`,
      );
    }
  });
  if (values.every((v) => v !== undefined)) {
    const text = values.map((hex) => Buffer.from(hex!, "hex").toString("utf8"));
    notes.push(`EIP-712 domain "${text[0]}" version "${text[1]}" (under 32 bytes: no fallback storage)`);
  }
}

// ───────────────────────────── Validation ─────────────────────────────

/**
 * Meant to sit behind a proxy: inherits UpgradeableModule or OpenZeppelin's UUPSUpgradeable, has an `initializer`
 * or `reinitializer` function, or carries an `@custom:oz-upgrades` annotation. Inheriting Initializable alone
 * does not count: immutable contracts such as DIDRegistry inherit it through NoncesUpgradeable.
 */
function isUpgradeable(linearized: ContractContext["linearized"]): boolean {
  return linearized.some(
    ({ def, fqn }) =>
      fqn === UPGRADEABLE_MODULE ||
      OZ_UUPS.test(fqn) ||
      /@custom:oz-upgrades\b(?!-)/.test(def.documentation?.text ?? "") ||
      def.nodes.some(
        (n) =>
          n.nodeType === "FunctionDefinition" &&
          n.modifiers.some((m) => m.modifierName.name === "initializer" || m.modifierName.name === "reinitializer"),
      ),
  );
}

function describe(error: ValidationError): string {
  return new UpgradeableContractErrorReport([error])
    .explain(false)
    .split("\n")
    .map((line) => line.replace(/(npm\/[^\s:]+|project\/[^\s:]+)/g, (m) => displaySource(m)))
    .join("\n      ");
}

function matchesAllowance(allowance: Allowance, kind: string, src: string, contract?: string, variable?: string): boolean {
  if (allowance.kind !== kind || allowance.source !== displaySrc(src, false)) return false;
  if (allowance.contract !== undefined && allowance.contract !== contract) return false;
  if (allowance.variable !== undefined && allowance.variable !== variable) return false;
  return true;
}

function selects(names: string[], fqn: string): boolean {
  const display = `${displaySource(fqn.slice(0, fqn.lastIndexOf(":")))}${fqn.slice(fqn.lastIndexOf(":"))}`;
  const short = fqn.slice(fqn.lastIndexOf(":") + 1);
  return names.some((n) => n === fqn || n === display || n === short);
}

/**
 * Validates every upgradeable contract of the build (or `only` some) and compares layouts with the snapshots.
 * Never throws for a finding: they are in the result (`ok` false); it throws when the build cannot be read.
 */
export async function validateUpgrades(options: ValidateUpgradesOptions = {}): Promise<UpgradeValidation> {
  const root = path.resolve(options.root ?? process.cwd());
  const artifactsDir = options.artifactsDir ?? path.join(root, "artifacts");
  const layoutsDir = options.layoutsDir ?? path.join(root, "deploy", "layouts");
  const allowances = options.allowances ?? ALLOWANCES;
  const references = options.references ?? {};
  const fullRun = options.only === undefined;
  const errors: string[] = [];
  const notes: string[] = [];

  const current = projectArtifacts(artifactsDir);
  const builds: LoadedBuild[] = [];
  const fqnOf = (ctx: ContractContext) => `${ctx.source}:${ctx.def.name}`;
  const displayName = (ctx: ContractContext) => `${displaySource(ctx.source)}:${ctx.def.name}`;

  // Every upgradeable contract of contracts/, from the build.
  const found: ContractContext[] = [];
  const loaded = new Set<string>();
  /** Loads the current builds of the contracts `names` selects (every one when undefined) and collects their contracts. */
  const load = async (names?: string[]) => {
    const ids = new Set([...current].filter(([key]) => names === undefined || selects(names, key)).map(([, id]) => id));
    for (const id of ids) {
      if (loaded.has(id)) continue;
      loaded.add(id);
      const file = path.join(artifactsDir, "build-info", `${id}.json`);
      if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\``);
      const build = await loadBuild(file);
      builds.push(build);
      for (const { def, source } of build.contracts.values()) {
        if (!source.startsWith(PROJECT_CONTRACTS) || def.contractKind !== "contract" || def.abstract) continue;
        if (current.get(`${source}:${def.name}`) !== id) continue; // an older build of this contract
        const linearized = def.linearizedBaseContracts.map((baseId) => {
          const base = build.contracts.get(baseId)!;
          return { ...base, fqn: `${base.source}:${base.def.name}` };
        });
        if (!isUpgradeable(linearized)) continue;
        found.push({ build, def, source, linearized });
      }
    }
  };
  // Each build costs a namespaced compilation: a run for some contracts loads only their builds and those of the
  // contracts they are compared with.
  await load(fullRun ? undefined : [...options.only!, ...Object.values(references)]);
  if (!fullRun) {
    const annotated = found
      .filter((ctx) => selects(options.only!, fqnOf(ctx)))
      .map((ctx) => /@custom:oz-upgrades-from\s+(\S+)/.exec(ctx.def.documentation?.text ?? "")?.[1])
      .filter((name): name is string => name !== undefined);
    if (annotated.length > 0) await load(annotated);
  }
  // Deliberately unsafe test doubles (contracts/mocks/ only) are validated only when asked for by name.
  const negative = (ctx: ContractContext) =>
    ctx.source.startsWith(MOCKS) && /@custom:upgrade-safety-negative-test\b/.test(ctx.def.documentation?.text ?? "");
  const selected = fullRun ? found.filter((ctx) => !negative(ctx)) : found.filter((ctx) => selects(options.only!, fqnOf(ctx)));
  if (fullRun) {
    for (const ctx of found.filter(negative)) {
      notes.push(`skipped ${displayName(ctx)}: deliberately unsafe test double (test/security/upgrade-safety.test.ts checks it fails)`);
    }
  }
  if (!fullRun) {
    for (const name of options.only!) {
      if (!found.some((ctx) => selects([name], fqnOf(ctx)))) errors.push(`${name}: no upgradeable contract of that name in the build`);
    }
  }

  const layoutCache = new Map<ContractContext, StorageLayout>();
  const layoutOf = (ctx: ContractContext) => {
    let layout = layoutCache.get(ctx);
    if (!layout) {
      layout = normalizeLayout(getStorageLayout([ctx.build.runData], getContractVersion(ctx.build.runData, fqnOf(ctx))));
      layoutCache.set(ctx, layout);
    }
    return layout;
  };

  const usedAllowances = new Set<Allowance>();
  const snapshotNames = new Set<string>();
  const reports: ContractReport[] = [];

  for (const ctx of selected) {
    const fqn = fqnOf(ctx);
    const report: ContractReport = {
      name: displayName(ctx),
      snapshotted: options.snapshotTestDoubles === true || !ctx.source.startsWith(MOCKS),
      errors: [],
      notes: [],
    };
    reports.push(report);
    const allow = (kind: string, src: string, contract?: string, variable?: string) => {
      const allowance = allowances.find((a) => matchesAllowance(a, kind, src, contract, variable));
      if (allowance) {
        usedAllowances.add(allowance);
        const what = contract ?? variable ?? "";
        const note = `allowed ${kind} ${what} (${allowance.source}): ${allowance.reason}`;
        if (!report.notes.includes(note)) report.notes.push(note);
      }
      return allowance !== undefined;
    };

    // upgrades-core's validations. Its warnings (initializer order) are errors here.
    const version = getContractVersion(ctx.build.runData, fqn);
    const coreErrors = [
      ...getErrors([ctx.build.runData], version, { kind: "uups" }),
      ...ctx.linearized.flatMap((c) => ctx.build.runData[c.fqn]?.errors ?? []).filter((e) => e.kind === "incorrect-initializer-order"),
    ];
    for (const error of coreErrors) {
      const contract = "contract" in error ? (error.contract as string) : undefined;
      const variable = "name" in error ? (error.name as string) : undefined;
      if (!allow(error.kind, error.src, contract, variable)) report.errors.push(describe(error));
    }

    // trustbase's rules.
    checkUups(ctx, report.errors);
    checkConstructors(ctx, report.errors);
    checkNamespaces(ctx, report.errors);
    checkEip712Strings(ctx, report.errors, report.notes);

    const layout = layoutOf(ctx);
    for (const item of layout.storage) {
      if (!allow("storage-variable", item.src, undefined, item.label)) {
        report.errors.push(
          `${item.src}: ${item.contract}.${item.label} is a state variable at slot ${item.slot}: module state belongs in an ERC-7201 namespace`,
        );
      }
    }

    // Layout against a reference contract of the build (`@custom:oz-upgrades-from` or the `references` option).
    const referenceName =
      Object.entries(references).find(([name]) => selects([name], fqn))?.[1] ??
      /@custom:oz-upgrades-from\s+(\S+)/.exec(ctx.def.documentation?.text ?? "")?.[1];
    if (referenceName !== undefined) {
      const reference = referenceContract(referenceName);
      if (!reference) {
        report.errors.push(`reference contract ${referenceName} is not an upgradeable contract of the build`);
      } else {
        const { ok, explanation } = compareLayouts(layoutOf(reference), layout);
        if (ok) report.notes.push(`layout compatible with ${displayName(reference)}`);
        else report.errors.push(`layout incompatible with ${displayName(reference)}:\n${indent(explanation)}`);
      }
    }

    // Layout against another contract's snapshot (the `snapshotReferences` option).
    const snapshotReference = Object.entries(options.snapshotReferences ?? {}).find(([name]) => selects([name], fqn))?.[1];
    if (snapshotReference !== undefined) {
      const file = path.join(layoutsDir, `${snapshotReference}.json`);
      const relative = path.relative(root, file);
      if (!existsSync(file)) {
        report.errors.push(`no layout snapshot ${relative} to compare with`);
      } else {
        const committed = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
        const { ok, explanation } = compareLayouts(committed.layout, layout);
        if (ok) report.notes.push(`layout compatible with ${relative}`);
        else report.errors.push(`layout incompatible with ${relative}:\n${indent(explanation)}`);
      }
    }

    // Layout against the committed snapshot.
    if (report.snapshotted) {
      const snapshotName = ctx.def.name;
      if (snapshotNames.has(snapshotName)) {
        report.errors.push(`another upgradeable contract is also named ${snapshotName}: snapshots are named by contract`);
      }
      snapshotNames.add(snapshotName);
      const file = path.join(layoutsDir, `${snapshotName}.json`);
      const relative = path.relative(root, file);
      // Through JSON, as it would be written (no `undefined` properties), to compare with the committed one.
      const current = JSON.parse(JSON.stringify(snapshotOf(report.name, layout))) as Snapshot;
      if (!existsSync(file)) {
        if (options.update) {
          writeSnapshot(file, current);
          report.notes.push(`wrote ${relative}`);
        } else {
          report.errors.push(`no layout snapshot ${relative}: create it with \`npm run validate:upgrades -- --update\` and commit it`);
        }
      } else {
        const committed = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
        const { ok, explanation } = compareLayouts(committed.layout, layout);
        if (!ok) {
          report.errors.push(
            `layout incompatible with ${relative}:\n${indent(explanation)}\n` +
              "(an upgraded proxy would read its existing state wrongly; if no proxy of this contract is deployed yet, " +
              `delete ${relative} and run \`npm run validate:upgrades -- --update\`)`,
          );
        } else if (!isDeepStrictEqual(committed, current)) {
          if (options.update) {
            writeSnapshot(file, current);
            report.notes.push(`layout changed compatibly: refreshed ${relative}`);
          } else {
            report.notes.push(
              `layout changed compatibly since ${relative}: refresh it with \`npm run validate:upgrades -- --update\` (or UPDATE_LAYOUTS=1) and commit it`,
            );
          }
        } else {
          report.notes.push(`layout matches ${relative}`);
        }
      }
    }
  }

  function referenceContract(name: string): ContractContext | undefined {
    const matches = found.filter((ctx) => selects([name], fqnOf(ctx)));
    return matches.length === 1 ? matches[0] : undefined;
  }

  if (fullRun) {
    for (const allowance of allowances) {
      if (!usedAllowances.has(allowance)) {
        errors.push(
          `allowance no longer needed, remove it from ALLOWANCES in scripts/lib/upgrade-safety.ts: ${allowance.kind} ${allowance.contract ?? allowance.variable ?? ""} in ${allowance.source}`,
        );
      }
    }
    if (existsSync(layoutsDir)) {
      for (const file of readdirSync(layoutsDir).filter((f) => f.endsWith(".json"))) {
        if (!snapshotNames.has(file.replace(/\.json$/, ""))) {
          const relative = path.relative(root, path.join(layoutsDir, file));
          if (options.update) {
            unlinkSync(path.join(layoutsDir, file));
            notes.push(`removed ${relative}: no upgradeable contract of that name any more`);
          } else {
            errors.push(`${relative} belongs to no upgradeable contract of the build: remove it (or run with --update)`);
          }
        }
      }
    }
  }

  const ok = errors.length === 0 && reports.every((r) => r.errors.length === 0);
  return { ok, contracts: reports, errors, notes, text: formatReport(builds, reports, errors, notes, ok) };
}

function writeSnapshot(file: string, snapshot: Snapshot) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(snapshot, null, 2)}\n`);
}

function indent(text: string, prefix = "      "): string {
  return text
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
}

function formatReport(builds: LoadedBuild[], reports: ContractReport[], errors: string[], notes: string[], ok: boolean): string {
  const lines: string[] = [];
  lines.push(
    `Upgrade safety of ${reports.length} upgradeable contract(s) (@openzeppelin/upgrades-core; ${builds.length} build info file(s) of artifacts/build-info)`,
  );
  for (const report of reports) {
    lines.push(`  ${report.errors.length === 0 ? "ok  " : "FAIL"} ${report.name}${report.snapshotted ? "" : " (test double: no snapshot)"}`);
    for (const error of report.errors) lines.push(indent(`- ${error}`, "        "));
    for (const note of report.notes) lines.push(`        · ${note}`);
  }
  for (const error of errors) lines.push(`  FAIL ${error}`);
  for (const note of notes) lines.push(`  · ${note}`);
  const failed = reports.filter((r) => r.errors.length > 0).length + (errors.length > 0 ? 1 : 0);
  lines.push(ok ? `upgrade safety: ok (${reports.length} contracts)` : `upgrade safety: FAILED (${failed} problem group(s))`);
  return lines.join("\n");
}

/**
 * Access matrix: every state-changing function (nonpayable or payable) of every contract the Suite deploys,
 * called by a stranger — a fresh account with no role, no credential and no ownership — must revert, unless
 * test/security/open-functions.ts lists it with a reason. The functions come from the ABIs of the deployment
 * (`suite.deployed`; a proxy is called with its implementation's ABI at the proxy address), so a new function is
 * covered the day it appears.
 *
 * Each function is called in three scenarios, against a suite holding other people's state (suite-state.ts):
 * - zeros: every argument zero or empty (arrays of one element);
 * - others: addresses of other accounts, pseudo-random bytes32 and bytes, small numbers;
 * - takeover: arguments named after the state to take over, with the stranger as the beneficiary (the victim's
 *   identity with the stranger as new owner or delegate, the trusted issuer's live credential, the AccessManager's
 *   scheduled upgrade, ADMIN role for the stranger, ...).
 * On top of "it reverts":
 * - a function of the suite's own contracts that asks the AccessManager (found in the compiler's AST, see
 *   managed.ts, or given a role in the AccessManager) and whose target function role is not PUBLIC is refused with
 *   exactly `AccessManagedUnauthorized(stranger)`, in every scenario;
 * - in the takeover scenario, functions acting on an identity or a credential are refused because the stranger
 *   does not control it, and relays because the signature is not the owner's (`refusals` below).
 * Set ACCESS_MATRIX_VERBOSE=1 to print the whole matrix (function × scenario → decoded error).
 */
import { expect } from "chai";
import hre, { network } from "hardhat";
import {
  ErrorFragment,
  Interface,
  ZeroAddress,
  dataSlice,
  getAddress,
  id,
  isAddress,
  type FunctionFragment,
  type ParamType,
} from "ethers";
import { revertData } from "../../scripts/lib/errors.js";
import { Roles } from "../../deploy/roles.js";
import { Topics } from "../../deploy/topics.js";
import { accessManagerGuarded } from "./managed.js";
import { openFunctions, type OpenFunction } from "./open-functions.js";
import { SIG_AUTH, YEAR, livedInSuite, type LivedInSuite } from "./suite-state.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const fixture = () => livedInSuite(connection);

/** ERC-1967: bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1). */
const IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";
const SCENARIOS = ["zeros", "others", "takeover"] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Target {
  /** Ignition future id, e.g. `Identity#CredentialRegistryProxy`. */
  label: string;
  address: string;
  /** Artifact whose ABI is called at `address` (the implementation's, for a proxy). */
  contract: string;
  iface: Interface;
  /** Source under contracts/ (the suite's own code, not OpenZeppelin's). */
  own: boolean;
  /** false for an implementation behind a proxy: its own storage is never used. */
  live: boolean;
}

interface Decoded {
  name: string;
  args: unknown[];
  text: string;
}

interface Outcome {
  target: Target;
  fragment: FunctionFragment;
  scenario: Scenario;
  args: unknown[];
  /** undefined when the call went through. */
  error?: Decoded;
}

// ───────────────────────────── decoding ─────────────────────────────

let decoder: Interface | undefined;

/** Every custom error of every artifact (the suite's and OpenZeppelin's), plus Error(string) and Panic(uint256). */
async function errorDecoder(): Promise<Interface> {
  if (decoder === undefined) {
    const errors = new Map<string, ErrorFragment>();
    for (const name of await hre.artifacts.getAllFullyQualifiedNames()) {
      for (const fragment of new Interface((await hre.artifacts.readArtifact(name)).abi).fragments) {
        if (fragment.type === "error") errors.set(fragment.format("sighash"), fragment as ErrorFragment);
      }
    }
    for (const builtin of ["error Error(string)", "error Panic(uint256)"]) {
      const fragment = ErrorFragment.from(builtin);
      errors.set(fragment.format("sighash"), fragment);
    }
    decoder = new Interface([...errors.values()]);
  }
  return decoder;
}

async function decode(error: unknown): Promise<Decoded> {
  const data = revertData(error);
  if (data === undefined) return { name: "(no data)", args: [], text: "revert without data" };
  const parsed = (await errorDecoder()).parseError(data);
  if (parsed === null) return { name: "(unknown)", args: [], text: `unknown revert data ${data}` };
  const args = [...parsed.args];
  return { name: parsed.name, args, text: `${parsed.name}(${args.map((arg) => show(arg)).join(", ")})` };
}

let labels = new Map<string, string>();

/** A value for messages: known accounts and contracts by name. */
function show(value: unknown): string {
  if (typeof value === "string" && isAddress(value)) return labels.get(getAddress(value)) ?? value;
  if (typeof value === "string" && value.length > 22) return `${value.slice(0, 10)}…`;
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  return String(value);
}

// ───────────────────────────── targets ─────────────────────────────

async function targetsOf(s: LivedInSuite, problems: string[]): Promise<Target[]> {
  const { deployed, contracts } = s.suite;
  const byAddress = new Map(Object.entries(deployed).map(([label, entry]) => [getAddress(entry.address), { label, ...entry }]));
  const implementations = new Set<string>();
  const targets: Target[] = [];
  for (const [label, { contract, address }] of Object.entries(deployed)) {
    const slot = await ethers.provider.getStorage(address, IMPLEMENTATION_SLOT);
    const implementationAddress = getAddress(dataSlice(slot, 12));
    let abiName = contract;
    if (implementationAddress !== ZeroAddress) {
      const implementation = byAddress.get(implementationAddress);
      if (implementation === undefined) {
        problems.push(`${label} (${contract}) is a proxy of ${implementationAddress}, which the deployment did not create`);
        continue;
      }
      implementations.add(implementationAddress);
      abiName = implementation.contract;
      const inBook = Object.entries(contracts).find(([, entry]) => getAddress(entry.address) === getAddress(address));
      if (inBook === undefined || inBook[1].contract !== abiName) {
        problems.push(
          `${label} is a proxy of ${abiName}, but the address book ${inBook === undefined ? "does not list it" : `names it ${inBook[1].contract}`}`,
        );
      }
    }
    const artifact = await hre.artifacts.readArtifact(abiName);
    targets.push({
      label,
      address: getAddress(address),
      contract: abiName,
      iface: new Interface(artifact.abi),
      own: artifact.sourceName.startsWith("contracts/"),
      live: true,
    });
  }
  // Contracts the lived-in suite created at run time (assets issued by the factory), behind the deployment's proxies.
  for (const extra of s.extraTargets) {
    const slot = await ethers.provider.getStorage(extra.address, IMPLEMENTATION_SLOT);
    implementations.add(getAddress(dataSlice(slot, 12)));
    const artifact = await hre.artifacts.readArtifact(extra.contract);
    targets.push({
      label: extra.label,
      address: getAddress(extra.address),
      contract: extra.contract,
      iface: new Interface(artifact.abi),
      own: true,
      live: true,
    });
  }
  for (const target of targets) target.live = !implementations.has(target.address);
  return targets;
}

const stateChanging = (iface: Interface): FunctionFragment[] => {
  const fragments: FunctionFragment[] = [];
  iface.forEachFunction((fragment) => {
    if (fragment.stateMutability === "nonpayable" || fragment.stateMutability === "payable") fragments.push(fragment);
  });
  return fragments.sort((a, b) => a.format("sighash").localeCompare(b.format("sighash")));
};

// ───────────────────────────── arguments ─────────────────────────────

/** Deterministic pseudo-random bytes (reproducible failures). */
function junk(seed: string, length: number): string {
  let hex = "";
  for (let i = 0; hex.length < 2 * length; i++) hex += id(`${seed}/${i}`).slice(2);
  return `0x${hex.slice(0, 2 * length)}`;
}

/** Arguments of the stranger's call to `fragment` in `scenario`. */
function argumentsFor(fragment: FunctionFragment, scenario: Scenario, s: LivedInSuite): unknown[] {
  const others = [s.victim, s.issuer, s.deployer, s.subject, s.recoveree].map((account) => account.address);
  let addressIndex = 0;
  const seed = `${fragment.format("sighash")}/${scenario}`;

  const takeover = (param: ParamType): unknown => {
    const stranger = s.stranger.address;
    if (fragment.name === "upgradeToAndCall" && param.name === "data") return "0x";
    switch (`${param.type}:${param.name}`) {
      case "address:identity":
      case "address:holder":
        return s.victim.address;
      case "address:subject":
      case "address:user":
      case "address:operator":
      case "address:renter":
      case "address:to":
      case "address:newOwner":
      case "address:delegate":
      case "address:account":
      case "address:newAuthority":
      case "address:authority":
        return stranger;
      case "address:issuer":
        return s.issuer.address;
      case "address:module":
        return s.suite.contracts.didRegistry.address;
      case "address:newImplementation":
        return s.implementation;
      case "address:target":
        return s.scheduled.target;
      case "address:caller":
        return s.scheduled.caller;
      case "address:callerConfirmation":
        return s.deployer.address;
      case "address[]:guardians":
        return [stranger];
      case "address[]:signers":
        return [s.guardians[0].address];
      case "uint256:tokenId":
        return s.dataToken;
      case "uint256:billId":
        return s.billId;
      case "address:newHolder":
      case "address:endorsee":
      case "address:bank":
        return stranger;
      case "uint256[]:tokenIds":
        return [s.dataToken];
      case "address:paymentToken":
        return s.paymentToken;
      case "address:token":
        return s.extraTargets[0].address;
      case "address:from":
      case "address:userAddress":
      case "address:lostWallet":
      case "address:investorOnchainID":
        return s.victim.address;
      case "address:newWallet":
        return stranger;
      case "uint256:id":
        return 1n;
      case "bytes32:id":
        return s.activeCredential;
      case "bytes32:name":
        return s.directoryName;
      case "bytes32:delegateType":
        return SIG_AUTH;
      case "bytes:data":
        return s.scheduled.data;
      case "bytes[]:data":
        return [s.accessManager.interface.encodeFunctionData("grantRole", [Roles.ADMIN, stranger, 0])];
      case "bytes4[]:selectors":
        return [dataSlice(s.scheduled.data, 0, 4)];
      case "uint32:topic":
        return Topics.KYC;
      case "uint64:roleId":
      case "uint64:admin":
      case "uint64:guardian":
        return Roles.ADMIN;
      case "uint64:version":
        return 2n;
      case "uint256:validity":
        return YEAR;
      case "uint256:deadline":
        return 2n ** 40n;
      case "uint32:validUntil":
        return 2n ** 32n - 1n;
      case "uint8:sigV":
        return 27n;
      case "uint8:threshold":
        return 1n;
      case "uint32:delay":
        return 3600n;
      case "bytes32:batchId":
        return s.traceBatch;
      case "uint8:step":
        return s.traceStep;
      case "uint8:party":
        return 2n; // Custodian: the victim's pending proposal
      case "address:to":
        return stranger;
      case "bool:trusted":
      case "bool:closed":
        return true;
      case "string:label":
        return "takeover";
      default:
        return undefined;
    }
  };

  const generate = (param: ParamType, path: string): unknown => {
    if (scenario === "takeover") {
      const value = takeover(param);
      if (value !== undefined) return value;
    }
    const zeros = scenario === "zeros";
    switch (param.baseType) {
      case "array": {
        const length = param.arrayLength !== null && param.arrayLength >= 0 ? param.arrayLength : 1;
        return Array.from({ length }, (_, i) => generate(param.arrayChildren!, `${path}[${i}]`));
      }
      case "tuple":
        return param.components!.map((component, i) => generate(component, `${path}.${component.name || i}`));
      case "address":
        return zeros ? ZeroAddress : others[addressIndex++ % others.length];
      case "bool":
        return !zeros;
      case "string":
        return zeros ? "" : "x";
      case "bytes":
        return zeros ? "0x" : junk(`${seed}/${path}`, 68);
      default: {
        const bytes = /^bytes(\d+)$/.exec(param.baseType);
        if (bytes !== null) return zeros ? `0x${"00".repeat(Number(bytes[1]))}` : junk(`${seed}/${path}`, Number(bytes[1]));
        if (/^u?int\d*$/.test(param.baseType)) return zeros ? 0n : 1n;
        throw new Error(`no generator for ${param.type} (${fragment.format("sighash")})`);
      }
    }
  };
  return fragment.inputs.map((param, i) => generate(param, param.name || String(i)));
}

async function callAsStranger(target: Target, fragment: FunctionFragment, scenario: Scenario, s: LivedInSuite): Promise<Outcome> {
  const args = argumentsFor(fragment, scenario, s);
  const data = target.iface.encodeFunctionData(fragment, args);
  try {
    await ethers.provider.call({ from: s.stranger.address, to: target.address, data, value: 0n });
    return { target, fragment, scenario, args };
  } catch (error) {
    // ethers' CALL_EXCEPTION, or Hardhat's SolidityError for a revert it cannot decode (no revert data).
    const { code, message } = error as { code?: string; message?: string };
    const reverted = code === "CALL_EXCEPTION" || revertData(error) !== undefined || /\breverted\b/.test(message ?? "");
    if (!reverted) throw error;
    return { target, fragment, scenario, args, error: await decode(error) };
  }
}

const where = (o: Pick<Outcome, "target" | "fragment">) => `${o.target.contract}.${o.fragment.format("sighash")} @ ${o.target.label}`;
const callText = (o: Outcome) => `${o.fragment.name}(${o.args.map(show).join(", ")})`;

const isListedOpen = (target: Target, fragment: FunctionFragment, list: OpenFunction[] = openFunctions) =>
  list.some((entry) => entry.contract === target.contract && entry.signature === fragment.format("sighash"));

// ───────────────────────────── expected refusals ─────────────────────────────

const hasParam = (fragment: FunctionFragment, ...names: string[]) => fragment.inputs.some((input) => names.includes(input.name));

/**
 * In the takeover scenario, on the live contracts: who refuses what, and with which error. Functions the open list
 * names and AccessManager-guarded functions are not concerned.
 */
const refusals: {
  contract: string;
  what: string;
  applies: (fragment: FunctionFragment) => boolean;
  error: string;
  args: (s: LivedInSuite) => unknown[];
}[] = [
  {
    contract: "DIDRegistry",
    what: "acts on an identity the caller must control",
    applies: (f) => hasParam(f, "identity") && !hasParam(f, "signature", "signatures", "sigV"),
    error: "DIDUnauthorized",
    args: (s) => [s.victim.address, s.stranger.address],
  },
  {
    contract: "DIDRegistry",
    what: "relays the identity owner's signature",
    applies: (f) => hasParam(f, "identity") && hasParam(f, "signature", "sigV"),
    error: "InvalidSignature",
    args: (s) => [s.victim.address],
  },
  {
    contract: "CredentialRegistry",
    what: "acts for an issuer (on its credential) the caller must control",
    applies: (f) => hasParam(f, "issuer", "id") && !hasParam(f, "signature"),
    error: "CredentialNotIssuer",
    args: (s) => [s.issuer.address, s.stranger.address],
  },
  {
    contract: "BillOfLading",
    what: "moves a bill the caller does not hold",
    applies: (f) =>
      ["transferHolder", "endorse", "rejectTransfer", "pledge", "surrenderForDelivery", "surrenderForAmendment"].includes(f.name),
    error: "BillNotHolder",
    args: (s) => [s.billId, s.stranger.address],
  },
  {
    contract: "BillOfLading",
    what: "acts as the bank of a bill that is not pledged",
    applies: (f) => ["releasePledge", "enforcePledge"].includes(f.name),
    error: "BillWrongStatus",
    args: (s) => [s.billId, 1n],
  },
  {
    contract: "TraceRegistry",
    what: "records under a business step whose credential the caller lacks",
    applies: (f) => hasParam(f, "step", "input", "inputs", "fields"),
    error: "IdentityGateMissingCredential",
    args: (s) => [s.stranger.address, BigInt(Topics.PRODUCER)],
  },
  {
    contract: "TraceRegistry",
    what: "offers custody of a batch the caller neither owns nor holds",
    applies: (f) => hasParam(f, "party") && hasParam(f, "to"),
    error: "TraceProposalNotYours",
    args: (s) => [s.traceBatch, 2n, s.stranger.address, s.stranger.address],
  },
  {
    contract: "TraceRegistry",
    what: "accepts, rejects or cancels a custody proposal naming someone else",
    applies: (f) => hasParam(f, "party") && !hasParam(f, "to"),
    error: "TraceProposalNotYours",
    args: (s) => [s.traceBatch, 2n, s.subject.address, s.stranger.address],
  },
  {
    contract: "CredentialRegistry",
    what: "relays the issuer's signature",
    applies: (f) => hasParam(f, "signature"),
    error: "InvalidSignature",
    args: (s) => [s.issuer.address],
  },
];

const sameArgs = (actual: unknown[], expected: unknown[]) =>
  actual.length === expected.length &&
  actual.every((value, i) =>
    typeof value === "string" && typeof expected[i] === "string" && isAddress(value)
      ? getAddress(value) === getAddress(expected[i] as string)
      : value === expected[i],
  );

// ───────────────────────────── the matrix ─────────────────────────────

describe("Access matrix: a stranger against every deployed contract", function () {
  let s: LivedInSuite;
  let targets: Target[];
  let outcomes: Outcome[];
  const setupProblems: string[] = [];

  before(async function () {
    s = await networkHelpers.loadFixture(fixture);
    labels = new Map<string, string>([
      ...Object.entries({
        stranger: s.stranger,
        deployer: s.deployer,
        victim: s.victim,
        victimDelegate: s.victimDelegate,
        issuer: s.issuer,
        subject: s.subject,
        guardianA: s.guardians[0],
        guardianB: s.guardians[1],
        recoveree: s.recoveree,
        rescuer: s.rescuer,
      }).map(([name, account]) => [getAddress(account.address), name] as [string, string]),
      ...Object.entries(s.suite.deployed).map(([label, entry]) => [getAddress(entry.address), label] as [string, string]),
    ]);
    targets = await targetsOf(s, setupProblems);
    outcomes = [];
    for (const target of targets) {
      for (const fragment of stateChanging(target.iface)) {
        for (const scenario of SCENARIOS) outcomes.push(await callAsStranger(target, fragment, scenario, s));
      }
    }
    if (process.env.ACCESS_MATRIX_VERBOSE) {
      for (const o of outcomes) console.log(`      ${where(o)} [${o.scenario}] ${o.error?.text ?? "DID NOT REVERT"}`);
    }
  });

  it("the stranger holds no role, no credential and no ownership", async function () {
    const { accessManager, credentials, dids, directory, stranger } = s;
    expect(await ethers.provider.getTransactionCount(stranger.address)).to.equal(0);
    const granted = await accessManager.queryFilter(accessManager.filters.RoleGranted());
    const roles = new Set<bigint>([...Object.values(Roles), ...granted.map((log) => log.args.roleId)]);
    for (const role of roles) {
      if (role === Roles.PUBLIC) continue;
      expect((await accessManager.hasRole(role, stranger.address))[0], `role ${role}`).to.equal(false);
    }
    const [topicIds] = await credentials.topics();
    expect(topicIds.length).to.be.greaterThan(0);
    for (const topic of topicIds) {
      expect(await credentials.hasValid(stranger.address, topic), `credential on topic ${topic}`).to.equal(false);
      expect(await credentials.isTrustedIssuer(topic, stranger.address), `issuer on topic ${topic}`).to.equal(false);
    }
    for (const account of [s.deployer, s.victim, s.issuer, s.subject, s.recoveree, s.rescuer, ...s.guardians]) {
      expect(await dids.identityOwner(account.address)).to.not.equal(stranger.address);
      for (const delegateType of [SIG_AUTH, ethers.encodeBytes32String("veriKey")]) {
        expect(await dids.isController(account.address, stranger.address, delegateType)).to.equal(false);
      }
      const [guardians] = await dids.guardiansOf(account.address);
      expect(guardians).to.not.include(stranger.address);
    }
    const [, entries] = await directory.modules();
    expect(entries.map((entry) => entry.module)).to.not.include(stranger.address);
  });

  it("calls every state-changing function of every contract of suite.deployed, by its ABI", async function () {
    expect(setupProblems, setupProblems.join("\n")).to.deep.equal([]);
    // The matrix is not vacuous: every contract of the deployment is in it, with its state-changing functions.
    const extra = new Set(s.extraTargets.map((t) => t.label));
    expect(targets.filter((t) => !extra.has(t.label)).map((t) => t.label).sort()).to.deep.equal(Object.keys(s.suite.deployed).sort());
    for (const [name, entry] of Object.entries(s.suite.contracts)) {
      const target = targets.find((t) => t.address === getAddress(entry.address));
      expect(target, `address book entry ${name}`).to.not.equal(undefined);
      expect(target!.contract, `address book entry ${name}`).to.equal(entry.contract);
    }
    for (const target of targets) {
      const count = stateChanging(target.iface).length;
      const reverted = outcomes.filter((o) => o.target === target && o.error !== undefined).length;
      console.log(`      ${target.label} (${target.contract}): ${count} state-changing functions, ${reverted}/${count * SCENARIOS.length} calls refused`);
    }
    expect(outcomes.length).to.be.greaterThan(0);
  });

  it("every state-changing function reverts for the stranger, unless open-functions.ts lists it", async function () {
    const problems = outcomes
      .filter((o) => o.error === undefined && !isListedOpen(o.target, o.fragment))
      .map(
        (o) =>
          `${where(o)} did not revert for a stranger [${o.scenario}: ${callText(o)}]: make it refuse strangers, ` +
          `or list it in test/security/open-functions.ts with the reason anyone may call it`,
      );
    expect(problems.length, `\n${problems.join("\n")}\n`).to.equal(0);
  });

  it("open-functions.ts names only functions that exist, each with a reason", async function () {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const entry of openFunctions) {
      const key = `${entry.contract}.${entry.signature}`;
      if (seen.has(key)) problems.push(`${key} is listed twice`);
      seen.add(key);
      const withContract = targets.filter((t) => t.contract === entry.contract);
      if (withContract.length === 0) {
        problems.push(`${key}: no deployed contract is a ${entry.contract}`);
      } else if (!withContract.some((t) => stateChanging(t.iface).some((f) => f.format("sighash") === entry.signature))) {
        problems.push(`${key}: ${entry.contract} has no state-changing function ${entry.signature} (removed or renamed?)`);
      }
      if (entry.reason.trim().length < 20) problems.push(`${key}: the reason must say why anyone may call it`);
    }
    expect(problems.length, `\n${problems.join("\n")}\n`).to.equal(0);
  });

  it("AccessManager-guarded functions of the suite's contracts refuse with exactly AccessManagedUnauthorized(stranger)", async function () {
    const { accessManager, stranger } = s;
    const managerAddress = await accessManager.getAddress();
    const problems: string[] = [];
    let checked = 0;
    for (const target of targets.filter((t) => t.own && t.live)) {
      const guarded = await accessManagerGuarded(target.contract);
      if (target.iface.getFunction("authority()") === null) {
        if (guarded.size > 0) problems.push(`${target.label}: functions ask an AccessManager but ${target.contract} has no authority()`);
        continue;
      }
      const authority = await new ethers.Contract(target.address, target.iface, ethers.provider).authority();
      if (getAddress(authority) !== getAddress(managerAddress)) {
        problems.push(`${target.label}: authority() is ${authority}, not the suite's AccessManager ${managerAddress}`);
        continue;
      }
      // Selectors the AccessManager was given a role for on this target.
      const configured = await accessManager.queryFilter(accessManager.filters.TargetFunctionRoleUpdated(target.address));
      for (const log of configured) {
        const selector = log.args.selector;
        guarded.add(selector);
        if (target.iface.getFunction(selector) === null) {
          problems.push(`${target.label}: the AccessManager sets role ${log.args.roleId} for ${selector}, which ${target.contract} does not have`);
        }
      }
      for (const fragment of stateChanging(target.iface).filter((f) => guarded.has(f.selector))) {
        const role = await accessManager.getTargetFunctionRole(target.address, fragment.selector);
        if (role === Roles.PUBLIC) continue; // open to anyone: the matrix wants it in open-functions.ts
        checked++;
        for (const o of outcomes.filter((x) => x.target === target && x.fragment === fragment)) {
          const ok = o.error?.name === "AccessManagedUnauthorized" && sameArgs(o.error.args, [stranger.address]);
          if (!ok) {
            problems.push(
              `${where(o)} (role ${role}) [${o.scenario}: ${callText(o)}]: expected AccessManagedUnauthorized(stranger), got ${o.error?.text ?? "no revert"}`,
            );
          }
        }
      }
    }
    // TrustDirectory.register/remove, CredentialRegistry.registerTopic/setIssuerTrust/upgradeToAndCall, setAuthority x2.
    expect(checked).to.be.greaterThanOrEqual(7);
    expect(problems.length, `\n${problems.join("\n")}\n`).to.equal(0);
  });

  it("identity and credential functions refuse the stranger because it controls nothing (takeover scenario)", async function () {
    const problems: string[] = [];
    let checked = 0;
    for (const target of targets.filter((t) => t.own && t.live)) {
      const guarded = await accessManagerGuarded(target.contract);
      for (const fragment of stateChanging(target.iface)) {
        if (guarded.has(fragment.selector) || isListedOpen(target, fragment)) continue;
        const rule = refusals.find((r) => r.contract === target.contract && r.applies(fragment));
        if (rule === undefined) continue;
        checked++;
        const o = outcomes.find((x) => x.target === target && x.fragment === fragment && x.scenario === "takeover")!;
        const expected = rule.args(s);
        if (o.error?.name !== rule.error || !sameArgs(o.error.args, expected)) {
          problems.push(
            `${where(o)} ${rule.what} [takeover: ${callText(o)}]: expected ${rule.error}(${expected.map(show).join(", ")}), got ${o.error?.text ?? "no revert"}`,
          );
        }
      }
    }
    // DIDRegistry: 9 direct, 12 relays; CredentialRegistry: 4 direct, 2 relays (27 today).
    expect(checked).to.be.greaterThanOrEqual(20);
    expect(problems.length, `\n${problems.join("\n")}\n`).to.equal(0);
  });

  describe("open functions: what the stranger can and cannot do with them", function () {
    for (const entry of openFunctions) {
      it(`${entry.contract}.${entry.signature}`, async function () {
        expect(entry.reason.trim()).to.not.equal("");
        if (entry.probe === undefined) this.skip();
        const state = await networkHelpers.loadFixture(fixture);
        await entry.probe!({ ...state, ethers, networkHelpers });
      });
    }
  });
});

/**
 * Chain profiles (deploy/profiles/) applied: the Ignition parameters a profile implies, the checks a deployment
 * makes before sending anything (the build against the profile, the profile against the chain), the in-process
 * stand-in of a profile's chain, and the clock scripts read time from.
 */
import hre from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import type { DeploymentParameters, IgnitionModule } from "@nomicfoundation/ignition-core";
import { isDeploymentFuture } from "@nomicfoundation/ignition-core";
import { Interface, ZeroAddress, getAddress, zeroPadBytes } from "ethers";
import Suite from "../../deploy/modules/Suite.js";
import { EVM_VERSIONS, chainSettingsOf, profileOf, unitsPerSecond, type ChainProfile, type EvmVersion } from "../../deploy/profiles/index.js";

export { chainSettingsOf, unitsPerSecond } from "../../deploy/profiles/index.js";

/** The profile of a connection's network (deploy/profiles/index.ts, `networkProfiles`). */
export function profileFor(connection: NetworkConnection): ChainProfile {
  return profileOf(connection.networkName);
}

/** One line saying what a profile makes of its chain, for the scripts' headers. */
export function describeProfile(profile: ChainProfile): string {
  const gas = profile.gasPrice === "auto" ? "gas price from the node" : `gas price ${profile.gasPrice}`;
  const scheme = profile.signatureScheme === "sm2" ? `SM2 signatures (verifier ${profile.sm2Precompile})` : "secp256k1 signatures";
  return `profile ${profile.name}: ${profile.evmVersion} EVM, ${profile.txType} transactions, ${gas}, time in ${profile.timeUnit}, ${scheme}`;
}

/** Default of Governance's `upgradeDelay` (deploy/modules/Governance.ts), in seconds. */
const DEFAULT_UPGRADE_DELAY = 2 * 24 * 3600;

/**
 * The parameters Ignition gets for `profile`: the file's, with the chain settings under `$global` taken from the
 * profile, and Governance's `upgradeDelay` (seconds in the file) converted to the chain's time unit, since
 * OpenZeppelin's AccessManager counts delays in raw `block.timestamp` units. A file stating a chain setting the
 * profile contradicts is refused: deploying with the wrong time unit or signature scheme would break every
 * deadline or every signature for the life of the contracts.
 */
export function parametersFor(file: DeploymentParameters, profile: ChainProfile, fileName: string): DeploymentParameters {
  const settings = chainSettingsOf(profile);
  for (const [section, values] of Object.entries(file)) {
    for (const [key, expected] of Object.entries(settings)) {
      if (!(key in values)) continue;
      const stated = values[key];
      const agrees = typeof expected === "string" ? typeof stated === "string" && stated.toLowerCase() === expected.toLowerCase() : stated === expected;
      if (!agrees) {
        throw new Error(
          `${fileName}: ${section}.${key} is ${JSON.stringify(stated)}, but profile "${profile.name}" says ${JSON.stringify(expected)}: ` +
            "remove it from the file (the profile sets it) or use the network of the right profile",
        );
      }
    }
  }
  const governance = file.Governance ?? {};
  const upgradeDelay = Number(governance.upgradeDelay ?? DEFAULT_UPGRADE_DELAY);
  if (!Number.isSafeInteger(upgradeDelay) || upgradeDelay < 0) throw new Error(`${fileName}: Governance.upgradeDelay must be whole seconds`);
  return {
    ...file,
    $global: { ...(file.$global ?? {}), ...settings },
    Governance: { ...governance, upgradeDelay: upgradeDelay * Number(unitsPerSecond(profile)) },
  };
}

/** Opcodes solc may emit, by the EVM rule set that introduced them (those before Byzantium are everywhere). */
const OPCODES_SINCE: Partial<Record<EvmVersion, Record<number, string>>> = {
  byzantium: { 0x3d: "RETURNDATASIZE", 0x3e: "RETURNDATACOPY", 0xfa: "STATICCALL", 0xfd: "REVERT" },
  constantinople: { 0x1b: "SHL", 0x1c: "SHR", 0x1d: "SAR", 0x3f: "EXTCODEHASH", 0xf5: "CREATE2" },
  istanbul: { 0x46: "CHAINID", 0x47: "SELFBALANCE" },
  london: { 0x48: "BASEFEE" },
  shanghai: { 0x5f: "PUSH0" },
  cancun: { 0x49: "BLOBHASH", 0x4a: "BLOBBASEFEE", 0x5c: "TLOAD", 0x5d: "TSTORE", 0x5e: "MCOPY" },
};

/** Opcodes a chain running `evm` lacks, by byte. */
function missingOpcodes(evm: EvmVersion): Map<number, string> {
  const missing = new Map<number, string>();
  for (const version of EVM_VERSIONS.slice(EVM_VERSIONS.indexOf(evm) + 1)) {
    for (const [byte, name] of Object.entries(OPCODES_SINCE[version] ?? {})) missing.set(Number(byte), `${name} (${version})`);
  }
  return missing;
}

/**
 * The opcodes of `bytecode` (hex) as executed: PUSH data skipped, solc's metadata blobs (every CBOR
 * `ipfs`/`solc` trailer, those of contracts created with `new` included) and link placeholders removed first,
 * so that data is not read as code.
 */
export function opcodesOf(bytecode: string): number[] {
  const hex = bytecode
    .replace(/^0x/, "")
    .replace(/__\$[0-9a-fA-F]{34}\$__/g, "0".repeat(40))
    .replace(/a264697066735822[0-9a-f]{68}64736f6c6343[0-9a-f]{6}0033/g, "");
  const bytes = Buffer.from(hex, "hex");
  const opcodes: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const opcode = bytes[i];
    opcodes.push(opcode);
    if (opcode >= 0x60 && opcode <= 0x7f) i += opcode - 0x5f;
  }
  return opcodes;
}

/** Names of the contracts (and linked libraries) `module` and its submodules deploy. */
export function deployedContractNames(module: IgnitionModule = Suite): string[] {
  const names = new Set<string>();
  const visit = (m: IgnitionModule) => {
    for (const future of m.futures) if (isDeploymentFuture(future)) names.add(future.contractName);
    for (const submodule of m.submodules) visit(submodule);
  };
  visit(module);
  return [...names].sort();
}

export interface BuildReport {
  /** Every contract the Suite deploys, with its runtime size in bytes. */
  contracts: { name: string; size: number }[];
  /** Why the profile's chain would reject the build; empty when it would take it. */
  problems: string[];
}

/**
 * Whether the profile's chain would accept what the Suite deploys, from the build's artifacts: each runtime
 * within the profile's contract size limit, and no opcode (creation or runtime code) that the profile's EVM lacks.
 */
export async function checkBuild(profile: ChainProfile, names: string[] = deployedContractNames()): Promise<BuildReport> {
  const missing = missingOpcodes(profile.evmVersion);
  const contracts: BuildReport["contracts"] = [];
  const problems: string[] = [];
  for (const name of names) {
    const { bytecode, deployedBytecode } = await hre.artifacts.readArtifact(name);
    const size = (deployedBytecode.length - 2) / 2;
    contracts.push({ name, size });
    if (size > profile.contractSizeLimit) {
      problems.push(`${name}: ${size} bytes of runtime code, over the ${profile.contractSizeLimit}-byte limit of profile "${profile.name}"`);
    }
    const found = new Set<string>();
    for (const code of [bytecode, deployedBytecode]) for (const opcode of opcodesOf(code)) if (missing.has(opcode)) found.add(missing.get(opcode)!);
    if (found.size > 0) {
      problems.push(`${name}: uses ${[...found].sort().join(", ")}, which a ${profile.evmVersion} chain (profile "${profile.name}") lacks`);
    }
  }
  return { contracts, problems };
}

/** `sm2Verify(bytes,bytes)` of contracts/interfaces/ISM2Verifier.sol. */
const sm2Verifier = new Interface(["function sm2Verify(bytes message, bytes signature) view returns (bool valid, address account)"]);

/** Above this, a `block.timestamp` counts milliseconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const MILLISECONDS_THRESHOLD = 100_000_000_000n;

export interface ChainReport {
  /** The chain contradicts the profile: deploying would produce contracts that misread its time or fees. */
  problems: string[];
  /** What the profile assumes and this check could not confirm. */
  warnings: string[];
}

/**
 * Whether the chain behind `connection` is the profile's: the unit of its block timestamps, EIP-1559 where the
 * profile sends type-2 transactions, and an SM2 verifier that answers where the profile signs with SM2.
 */
export async function checkChain(connection: NetworkConnection, profile: ChainProfile): Promise<ChainReport> {
  const { provider } = connection.ethers;
  const problems: string[] = [];
  const warnings: string[] = [];
  const block = await provider.getBlock("latest");
  if (block === null) throw new Error("The node returned no latest block");
  const milliseconds = BigInt(block.timestamp) >= MILLISECONDS_THRESHOLD;
  if (milliseconds !== (profile.timeUnit === "milliseconds")) {
    problems.push(
      `block ${block.number} has timestamp ${block.timestamp}, in ${milliseconds ? "milliseconds" : "seconds"}, ` +
        `but profile "${profile.name}" says ${profile.timeUnit}`,
    );
  }
  const hasBaseFee = block.baseFeePerGas !== null && block.baseFeePerGas !== undefined;
  if (profile.txType === "eip1559" && !hasBaseFee) {
    problems.push(`profile "${profile.name}" expects EIP-1559, but block ${block.number} has no baseFeePerGas: use a legacy profile`);
  }
  if (profile.gasPrice === 0n && hasBaseFee && block.baseFeePerGas! > 0n) {
    problems.push(`profile "${profile.name}" sends gas price 0, but the chain's base fee is ${block.baseFeePerGas} wei: its transactions would be refused (Besu: zeroBaseFee)`);
  }
  if (profile.signatureScheme === "sm2") {
    const verifier = profile.sm2Precompile ?? ZeroAddress;
    const data = sm2Verifier.encodeFunctionData("sm2Verify", [zeroPadBytes("0x", 32), zeroPadBytes("0x", 128)]);
    let answer = "0x";
    try {
      answer = await provider.call({ to: verifier, data });
    } catch {
      // reported below
    }
    if (answer.length !== 2 + 128) {
      warnings.push(`no SM2 verifier answered sm2Verify at ${getAddress(verifier)}: signed operations will all be refused (see docs/deploy/fisco-gm.md)`);
    }
  }
  return { problems, warnings };
}

/**
 * Makes the in-process chain behave as the profile's (nothing happens on other networks): the stand-in SM2
 * verifier (SM2VerifierMock's runtime code, from the build) at the profile's precompile address, and block
 * timestamps in milliseconds from the next block on. Returns a line per change made; a second call changes nothing.
 */
export async function simulateProfile(connection: NetworkConnection, profile: ChainProfile): Promise<string[]> {
  if (connection.networkConfig.type !== "edr-simulated") return [];
  const { provider } = connection.ethers;
  const changes: string[] = [];
  if (profile.signatureScheme === "sm2" && profile.sm2Precompile !== undefined) {
    const { deployedBytecode } = await hre.artifacts.readArtifact("SM2VerifierMock");
    if ((await provider.getCode(profile.sm2Precompile)) !== deployedBytecode) {
      await connection.networkHelpers.setCode(profile.sm2Precompile, deployedBytecode);
      changes.push(`SM2VerifierMock placed at ${getAddress(profile.sm2Precompile)} (stand-in of the chain's SM2 precompile)`);
    }
  }
  if (profile.timeUnit === "milliseconds") {
    const latest = BigInt(await connection.networkHelpers.time.latest());
    if (latest < MILLISECONDS_THRESHOLD) {
      await connection.networkHelpers.time.setNextBlockTimestamp(latest * 1000n);
      await connection.networkHelpers.mine();
      changes.push(`block timestamps count milliseconds from block ${await provider.getBlockNumber()}`);
    }
  }
  return changes;
}

/**
 * The chain's time as the suite's contracts read it ({TimeSource}: seconds, whatever the chain counts in), and
 * conversions for the values that OpenZeppelin's AccessManager keeps in raw `block.timestamp` units.
 */
export class ChainClock {
  readonly unitsPerSecond: bigint;

  constructor(
    private readonly connection: NetworkConnection,
    readonly profile: ChainProfile,
  ) {
    this.unitsPerSecond = unitsPerSecond(profile);
  }

  /** The latest block's time, in seconds. */
  async now(): Promise<bigint> {
    return this.toSeconds(BigInt(await this.connection.networkHelpers.time.latest()));
  }

  /** Seconds as `block.timestamp` units. */
  toChain(seconds: bigint | number): bigint {
    return BigInt(seconds) * this.unitsPerSecond;
  }

  /** `block.timestamp` units as whole seconds. */
  toSeconds(units: bigint | number): bigint {
    return BigInt(units) / this.unitsPerSecond;
  }

  /** Development chains only: the next block comes `seconds` later. */
  async increase(seconds: bigint | number): Promise<void> {
    await this.connection.networkHelpers.time.increase(this.toChain(seconds));
  }
}

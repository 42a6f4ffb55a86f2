import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import hre from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import {
  HardhatArtifactResolver,
  errorDeploymentResultToExceptionMessage,
  readDeploymentParameters,
  resolveDeploymentId,
} from "@nomicfoundation/hardhat-ignition/helpers";
import {
  DeploymentResultType,
  ExecutionEventResultType,
  deploy,
  isDeploymentFuture,
  type DeploymentParameters,
  type ExecutionEventListener,
  type ExecutionEventResult,
  type IgnitionModule,
} from "@nomicfoundation/ignition-core";
import Suite from "../../deploy/modules/Suite.js";
import { networkProfiles, type ChainProfile } from "../../deploy/profiles/index.js";
import { repairInterruptedJournal } from "./journal-repair.js";
import { checkBuild, checkChain, parametersFor, profileFor, simulateProfile } from "./profile.js";

export interface DeployedContract {
  /** The artifact's name, for example `TrustDirectory` (the typed binding is `<contract>__factory`). */
  contract: string;
  address: string;
}

export interface SuiteDeployment {
  networkName: string;
  chainId: number;
  /** Ignition's deployment id (`chain-<chainId>`). */
  deploymentId: string;
  /** Ignition's journal and addresses, relative to the project; undefined on in-process chains (nothing kept). */
  deploymentDir?: string;
  /** The chain profile deployed for (deploy/profiles/): the network's, unless the caller named another. */
  profile: ChainProfile;
  /**
   * The parameters file used, relative to the project, and what Ignition got (keyed by module id): the file's
   * content with the profile's chain settings under `$global` and delays in the chain's time unit.
   */
  parametersFile: string;
  parameters: DeploymentParameters;
  /** What the Suite module returns, by result name: the address book. */
  contracts: Record<string, DeployedContract>;
  /**
   * Every contract the deployment created (returned or not; `contractAt` views excluded), by Ignition future id
   * (`Governance#AccessManager`).
   */
  deployed: Record<string, DeployedContract>;
  /** Futures this run executed; empty when the chain already held the whole deployment. */
  executed: string[];
  /** Blocks mined by this run: (fromBlock, toBlock]. */
  fromBlock: number;
  toBlock: number;
}

/** The address of a contract the Suite module returns, by result name (`directory`, `accessManager`, ...). */
export function suiteAddress(suite: SuiteDeployment, name: string): string {
  const contract = suite.contracts[name];
  if (contract === undefined) throw new Error(`The suite has no contract "${name}"`);
  return contract.address;
}

const root = hre.config.paths.root;
const relative = (file: string) => path.relative(root, file) || ".";

/**
 * deploy/parameters/<network>.json; in-process chains without a file of their own use hardhat.json, the
 * consortium networks of hardhat.config.ts (besu, quorum, fisco, …) consortium.json: their chain settings come
 * from the profile, the rest (two-day upgrade delay, no trusted issuers yet) is the same for every chain type.
 */
export function parametersFileFor(connection: NetworkConnection): string {
  const directory = path.join(root, "deploy", "parameters");
  const own = path.join(directory, `${connection.networkName}.json`);
  if (existsSync(own)) return own;
  if (connection.networkConfig.type === "edr-simulated") return path.join(directory, "hardhat.json");
  if (connection.networkName in networkProfiles) return path.join(directory, "consortium.json");
  throw new Error(`No parameters for network "${connection.networkName}": create ${relative(own)}`);
}

export interface DeployOptions {
  /** The chain profile to deploy for; default: the network's (deploy/profiles/index.ts, `networkProfiles`). */
  profile?: ChainProfile;
}

/**
 * Deploys the Suite module through Ignition with the network's parameters file, or resumes it: against an
 * http network the journal lives in deploy/deployments/chain-<chainId>/ and a complete deployment executes
 * nothing. `log` receives one line per future executed.
 *
 * The chain profile comes first: on the in-process chain it is simulated (scripts/lib/profile.ts), then the
 * build is checked against it (sizes, opcodes) and it against the chain (time unit, fees, SM2 verifier); a
 * problem stops the deployment before anything is sent.
 */
export async function deploySuite(
  connection: NetworkConnection,
  log: (line: string) => void = () => {},
  options: DeployOptions = {},
): Promise<SuiteDeployment> {
  const { ethers, networkName, networkConfig } = connection;
  const profile = options.profile ?? profileFor(connection);
  for (const line of await simulateProfile(connection, profile)) log(line);
  // Under --coverage the artifacts are instrumented (larger, never deployed anywhere): nothing to check.
  const build = hre.globalOptions.coverage === true ? { problems: [] } : await checkBuild(profile);
  const chain = await checkChain(connection, profile);
  const problems = [...build.problems, ...chain.problems];
  if (problems.length > 0) {
    throw new Error(`Profile "${profile.name}" does not fit:\n  ${problems.join("\n  ")}`);
  }
  for (const warning of chain.warnings) log(`warning: ${warning}`);
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  const deploymentId = resolveDeploymentId(undefined, chainId);
  const deploymentDir =
    networkConfig.type === "edr-simulated"
      ? undefined
      : path.join(hre.config.paths.ignition, "deployments", deploymentId);
  if (deploymentDir !== undefined) {
    await discardStaleJournal(connection, chainId, deploymentDir);
    const repairs = await repairInterruptedJournal(connection, deploymentDir, {
      requiredConfirmations: hre.config.ignition.requiredConfirmations,
    });
    for (const { futureId, action, reason, transaction } of repairs) {
      log(
        action === "restarted"
          ? `resuming ${futureId}: ${reason}; it starts again`
          : `resuming ${futureId}: ${reason} (${transaction}); Ignition follows that transaction instead of sending another`,
      );
    }
  }

  const parametersFile = parametersFileFor(connection);
  const parameters = parametersFor(await readDeploymentParameters(parametersFile), profile, relative(parametersFile));
  const executed: string[] = [];
  const fromBlock = await ethers.provider.getBlockNumber();
  const result = await deploy({
    config: hre.config.ignition,
    provider: connection.provider,
    artifactResolver: new HardhatArtifactResolver(hre.artifacts),
    executionEventListener: listener(executed, log),
    deploymentDir,
    ignitionModule: Suite,
    deploymentParameters: parameters,
    accounts: (await connection.provider.request({ method: "eth_accounts" })) as string[],
    maxFeePerGasLimit: networkConfig.ignition.maxFeePerGasLimit,
    maxFeePerGas: networkConfig.ignition.maxFeePerGas,
    maxPriorityFeePerGas: networkConfig.ignition.maxPriorityFeePerGas,
    gasPrice: networkConfig.ignition.gasPrice,
    disableFeeBumping: networkConfig.ignition.disableFeeBumping,
  });
  if (result.type !== DeploymentResultType.SUCCESSFUL_DEPLOYMENT) {
    throw new Error(`Suite deployment failed:\n${errorDeploymentResultToExceptionMessage(result)}`);
  }

  const all: Record<string, DeployedContract> = {};
  for (const [id, { contractName, address }] of Object.entries(result.contracts)) {
    all[id] = { contract: contractName, address };
  }
  const contracts: Record<string, DeployedContract> = {};
  for (const [name, future] of Object.entries(Suite.results)) contracts[name] = all[future.id];
  const deployed = Object.fromEntries(deploymentFutureIds(Suite).map((id) => [id, all[id]]));

  return {
    networkName,
    chainId,
    deploymentId,
    deploymentDir: deploymentDir === undefined ? undefined : relative(deploymentDir),
    profile,
    parametersFile: relative(parametersFile),
    parameters,
    contracts,
    deployed,
    executed,
    fromBlock,
    toBlock: await ethers.provider.getBlockNumber(),
  };
}

/**
 * Whether the node is a development node (hardhat node, anvil) whose time may be moved and whose accounts are
 * test accounts: both answer the read-only `hardhat_metadata`, which production clients (Besu, GoQuorum, FISCO
 * BCOS) do not have.
 */
export async function isDevelopmentNode(connection: NetworkConnection): Promise<boolean> {
  try {
    const metadata = await connection.provider.request({ method: "hardhat_metadata", params: [] });
    return typeof metadata === "object" && metadata !== null && "clientVersion" in metadata;
  } catch {
    return false;
  }
}

/** Ids of the futures of `module` and its submodules that deploy a contract or library. */
function deploymentFutureIds(module: IgnitionModule): string[] {
  const ids = [...module.futures].filter(isDeploymentFuture).map((future) => future.id);
  for (const submodule of module.submodules) ids.push(...deploymentFutureIds(submodule));
  return [...new Set(ids)].sort();
}

/**
 * A journal whose contracts are gone belongs to an earlier run of a local node (restarted since): on the
 * local chain id 31337 it is discarded, elsewhere the deployment stops rather than guess.
 */
async function discardStaleJournal(
  connection: NetworkConnection,
  chainId: number,
  deploymentDir: string,
): Promise<void> {
  const addressesFile = path.join(deploymentDir, "deployed_addresses.json");
  if (!existsSync(addressesFile)) return;
  const addresses = Object.values(JSON.parse(readFileSync(addressesFile, "utf8")) as Record<string, string>);
  const codes = await Promise.all(addresses.map((address) => connection.ethers.provider.getCode(address)));
  if (codes.every((code) => code !== "0x")) return;
  if (chainId !== 31337) {
    throw new Error(`${relative(deploymentDir)} lists contracts that chain ${chainId} does not hold: wrong chain or lost state?`);
  }
  console.log(`${relative(deploymentDir)} belongs to an earlier run of the local node (its contracts are gone): starting afresh`);
  rmSync(deploymentDir, { recursive: true, force: true });
}

/** An Ignition event listener that records and logs what this run executes; other events are ignored. */
function listener(executed: string[], log: (line: string) => void): ExecutionEventListener {
  const done = (what: string) => async ({ futureId, result }: { futureId: string; result: ExecutionEventResult }) => {
    executed.push(futureId);
    if (result.type === ExecutionEventResultType.SUCCESS) {
      log(`${what.padEnd(9)}${futureId}${result.result === undefined ? "" : `  ${result.result}`}`);
    } else {
      log(`FAILED   ${futureId}: ${result.type === ExecutionEventResultType.ERROR ? result.error : "held"}`);
    }
  };
  const handlers: Partial<ExecutionEventListener> = {
    deploymentExecutionStateComplete: done("deployed"),
    callExecutionStateComplete: done("called"),
    sendDataExecutionStateComplete: done("sent"),
  };
  const ignore = async () => {};
  return new Proxy(handlers, { get: (target, key) => Reflect.get(target, key) ?? ignore }) as ExecutionEventListener;
}

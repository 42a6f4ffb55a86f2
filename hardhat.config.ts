import { createRequire } from "node:module";
import type { HardhatUserConfig } from "hardhat/config";
import type { HttpNetworkUserConfig } from "hardhat/types/config";
import { configVariable } from "hardhat/config";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { networkProfiles, profileNamed } from "./deploy/profiles/index.js";

const require = createRequire(import.meta.url);

/**
 * One compiler for every profile. `path` points at solc-js from npm (the `solc`
 * package pinned to the same version), so a build never downloads a compiler.
 * `paris` bytecode has no PUSH0, MCOPY or transient storage: it deploys on
 * consortium chains that lag mainnet (FISCO BCOS, GoQuorum, Besu without
 * shanghaiTime) as well as on mainnet-level chains.
 * `isolated`: one solc run per root file. Merged into one run, the whole tree (contracts, forge-std and the
 * Solidity tests) crashes soljson 0.8.28 from a clean cache ("RuntimeError: memory access out of bounds",
 * argotorg/solidity#13966) since the data module landed; each root alone compiles. The production profile is
 * isolated anyway, and the bytecode is the same.
 */
const compiler = {
  version: "0.8.28",
  isolated: true,
  path: require.resolve("solc/soljson.js"),
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: "paris",
    // Storage layouts in the build info, for `npm run validate:upgrades` (@openzeppelin/upgrades-core reads
    // them there); an output selection only, so the bytecode is the same.
    outputSelection: { "*": { "*": ["storageLayout"] } },
  },
};

/** Consortium endpoint: everything comes from the keystore or the environment. */
const consortiumGasPrice = process.env.CONSORTIUM_GAS_PRICE;

/**
 * A fixed gas price for the local node, in wei (LOCALHOST_GAS_PRICE=0 for a zero-gas-price node such as
 * `anvil --gas-price 0 --base-fee 0`); unset: what the node suggests ("auto", right for `npm run node`, whose
 * base fee is not zero). With a fixed price, Hardhat's request handler sends every transaction of scripts and
 * tests as a legacy one at that price, and Ignition uses it on chains without EIP-1559 (with a zero base fee
 * it already sends zero fees by itself). Without it, scripts would pay the tip the node suggests (anvil: 1 gwei)
 * even on a zero-gas-price chain, where accounts may hold no coin at all.
 */
const localhostGasPrice = process.env.LOCALHOST_GAS_PRICE;
const localhostGas =
  localhostGasPrice === undefined
    ? {}
    : { gasPrice: BigInt(localhostGasPrice), ignition: { gasPrice: BigInt(localhostGasPrice) } };

/**
 * A consortium endpoint of one chain type (deploy/profiles/, table `networkProfiles`): RPC URL and deployer key
 * from `<NAME>_RPC_URL` / `<NAME>_DEPLOYER_KEY` (keystore or environment, `fisco-gm` → `FISCO_GM_…`), the chain id
 * from `<NAME>_CHAIN_ID` when set (Hardhat then refuses another chain), the profile's gas price. A fixed price
 * makes Hardhat send every transaction of scripts as a legacy one at that price, which every chain type here
 * accepts, and Ignition use it where the chain has no EIP-1559 (where it has, with a zero base fee, Ignition sends
 * zero fees by itself).
 */
function chainNetwork(name: string): HttpNetworkUserConfig {
  const prefix = name.toUpperCase().replaceAll("-", "_");
  const { gasPrice } = profileNamed(networkProfiles[name]);
  const chainId = process.env[`${prefix}_CHAIN_ID`];
  return {
    type: "http",
    chainType: "l1",
    url: configVariable(`${prefix}_RPC_URL`),
    accounts: [configVariable(`${prefix}_DEPLOYER_KEY`)],
    ...(chainId ? { chainId: Number(chainId) } : {}),
    gasPrice,
    ...(gasPrice === "auto" ? {} : { ignition: { gasPrice } }),
  };
}

const config: HardhatUserConfig = {
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    // `ignition deploy` builds with `production`: spell it out, or it silently
    // falls back to the compiler's default EVM target.
    profiles: { default: compiler, production: compiler },
    // Artifacts for library contracts that deploy/ and tests use as they are.
    npmFilesToBuild: [
      "@openzeppelin/contracts/access/manager/AccessManager.sol",
      "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol",
    ],
  },
  paths: { ignition: "deploy" },
  // Hardhat's 40 s default leaves little room on a loaded 2-core CI machine: the slowest in-process tests (the
  // lineage walk, the access matrix) take 20 s there under load; suites that drive node processes set their own.
  test: { mocha: { timeout: 120_000 } },
  typechain: { outDir: "typechain-types" },
  networks: {
    // Rules of a chain that lags mainnet: cancun bytecode fails to deploy here.
    london: { type: "edr-simulated", chainType: "l1", hardfork: "london" },
    // `npm run node` (hardhat node) or anvil on the loopback address; LOCALHOST_PORT picks another port
    // (the tests in test/deploy/ run their own nodes on free ones), LOCALHOST_GAS_PRICE a fixed gas price.
    localhost: {
      type: "http",
      chainType: "l1",
      url: `http://127.0.0.1:${process.env.LOCALHOST_PORT ?? 8545}`,
      ...localhostGas,
    },
    // A consortium endpoint: `npx hardhat keystore set CONSORTIUM_RPC_URL` and
    // `... CONSORTIUM_DEPLOYER_KEY`, or the same names in the environment.
    consortium: {
      type: "http",
      chainType: "l1",
      url: configVariable("CONSORTIUM_RPC_URL"),
      accounts: [configVariable("CONSORTIUM_DEPLOYER_KEY")],
      ...(process.env.CONSORTIUM_CHAIN_ID ? { chainId: Number(process.env.CONSORTIUM_CHAIN_ID) } : {}),
      gasPrice: consortiumGasPrice === undefined ? 0 : BigInt(consortiumGasPrice),
    },
    // One endpoint per chain type, each with its profile (docs/deploy/<chain>.md says how to set one up).
    ...Object.fromEntries(["besu", "quorum", "fisco", "fisco-gm", "chainmaker"].map((name) => [name, chainNetwork(name)])),
    // In-process stand-in of a 国密 FISCO BCOS chain: no EIP-1559 (Berlin rules: no base fee, so Ignition too sends
    // legacy transactions, at gas price 0; Berlin also lacks BASEFEE, which the build does not use), gas price 0;
    // scripts/lib/profile.ts switches its clock to milliseconds and puts SM2VerifierMock at 0x…100a before a deploy.
    "fisco-gm-sim": {
      type: "edr-simulated",
      chainType: "l1",
      hardfork: "berlin",
      gasPrice: 0n,
      ignition: { gasPrice: 0n },
    },
  },
};

export default config;

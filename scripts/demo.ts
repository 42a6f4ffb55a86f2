/**
 * The suite's story, told on a chain: deploys every module (deploy/modules/Suite.ts) and plays one chapter per
 * module (scripts/demo/chapters/), printing each step, its actor and its gas.
 *   npm run demo                          in-process chain, nothing else needed
 *   npm run demo -- --network localhost   against `npm run node` (reuses the deployment of `npm run deploy`)
 *   npm run demo -- --network fisco-gm-sim   in-process, as on a 国密 FISCO BCOS chain: milliseconds, SM2 signatures
 */
import { network } from "hardhat";
import { chapters } from "./demo/chapters/index.js";
import { CONSORTIUM, Demo } from "./demo/runner.js";
import { short, table } from "./lib/format.js";
import { describeProfile, profileFor } from "./lib/profile.js";
import { provisionSuite } from "./lib/provision.js";
import { deploySuite, isDevelopmentNode } from "./lib/suite.js";

const connection = await network.create();
const chainId = Number((await connection.ethers.provider.getNetwork()).chainId);
if (connection.networkConfig.type !== "edr-simulated" && !(await isDevelopmentNode(connection))) {
  throw new Error(`The demo moves time forward and spends test accounts: run it on a local chain, not ${connection.networkName}`);
}

const profile = profileFor(connection);
console.log(`trustbase demo on ${connection.networkName} (chain ${chainId}), ${describeProfile(profile)}\n`);
const suite = await deploySuite(connection, (line) => console.log(`  ${line}`));
await provisionSuite(connection, suite);
const news =
  suite.executed.length === 0
    ? `already deployed (${suite.deploymentDir})`
    : `deployed by ${CONSORTIUM} in ${suite.executed.length} steps`;
console.log(`The suite, ${news}, parameters ${suite.parametersFile}:`);
const rows = Object.entries(suite.contracts).map(([name, { contract, address }]) => [contract, name, short(address)]);
for (const line of table(["contract", "name", "address"], rows)) console.log(`  ${line}`);

const demo = new Demo(connection, suite, await connection.ethers.getSigners());
await demo.play(chapters);

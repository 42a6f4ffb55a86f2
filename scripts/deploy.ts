/**
 * Deploys (or resumes) the whole suite on the chosen network:
 *   npm run deploy -- --network localhost
 * Parameters come from deploy/parameters/<network>.json; after Ignition, each module's provisioning step
 * (scripts/provision/) sends the network data the chain still lacks. Against a node, Ignition keeps its journal in
 * deploy/deployments/chain-<chainId>/ and the chain's address book goes to addresses/<chainId>.json; a second
 * run executes nothing and rewrites nothing. Without --network the in-process chain is used and nothing is kept.
 * The network's chain profile (deploy/profiles/) sets the chain settings of the contracts and is checked against
 * the build and the chain before anything is sent (scripts/lib/profile.ts).
 */
import { network } from "hardhat";
import { addressBookOf, writeAddressBook } from "./lib/address-book.js";
import { describeProfile, profileFor } from "./lib/profile.js";
import { provisionSuite } from "./lib/provision.js";
import { table } from "./lib/format.js";
import { deploySuite } from "./lib/suite.js";

const connection = await network.create();
const [deployer] = await connection.ethers.getSigners();
console.log(`Deploying the trustbase suite to ${connection.networkName} as ${deployer.address}`);
console.log(`  ${describeProfile(profileFor(connection))}`);

const deployment = await deploySuite(connection, (line) => console.log(`  ${line}`));
const provisioned = await provisionSuite(connection, deployment, (line) => console.log(`  ${line}`));
console.log(`  parameters: ${deployment.parametersFile}, chain id ${deployment.chainId}\n`);

const rows = Object.entries(deployment.contracts).map(([name, { contract, address }]) => [name, contract, address]);
for (const line of table(["name", "contract", "address"], rows)) console.log(`  ${line}`);
console.log();

if (deployment.executed.length === 0 && provisioned === 0) {
  console.log(`Nothing new to deploy: ${deployment.deploymentDir ?? "the chain"} already holds the whole suite.`);
}
if (deployment.executed.length > 0) {
  console.log(`Deployed: ${deployment.executed.length} steps executed in blocks ${deployment.fromBlock + 1}..${deployment.toBlock}.`);
}
if (provisioned > 0) console.log(`Provisioned: ${provisioned} transactions from ${deployment.parametersFile}.`);
if (deployment.deploymentDir === undefined) {
  console.log(
    `${connection.networkName} is an in-process chain: this deployment vanishes with the process; nothing was written.\n` +
      "Start a node (npm run node) and run: npm run deploy -- --network localhost",
  );
} else {
  const { file, status } = writeAddressBook(addressBookOf(deployment));
  console.log(status === "unchanged" ? `Address book ${file} unchanged.` : `Address book written to ${file}.`);
  console.log(`Ignition journal: ${deployment.deploymentDir}`);
}

/**
 * Gas bench: deploys the suite on a fresh in-process chain, runs every module's user-facing operations
 * (scripts/bench/<module>.ts, listed in scripts/bench/index.ts) and writes bench/gas.json:
 *   "<op id>": receipt gasUsed (21,000 base included)
 *   "deploy.<Contract>": deployment gas;  "deploy.Suite": every transaction of the Suite deployment
 *   "size.<Contract>": runtime bytecode bytes
 * Compares ops with bench/budgets.json and exits 1 when an op is over budget or a contract is too large.
 *   npm run bench
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import hre, { network } from "hardhat";
import { benches } from "./bench/index.js";
import type { BenchContext } from "./bench/context.js";
import { gas, table } from "./lib/format.js";
import { deploySuite, suiteAddress, type DeployedContract } from "./lib/suite.js";

/** EIP-170: the largest runtime bytecode most chains accept (Besu enforces it on consortium networks too). */
const SIZE_LIMIT = 24_576;

/**
 * An op's budget. `budget` is the issue's figure. When arithmetic shows no correct design can meet it,
 * `floor` holds that arithmetic's result (explained in `source`) and `limit` the ceiling enforced instead; an op
 * over its budget by less than the floor explains also carries a `limit`, and the report says it is over.
 */
interface Budget {
  budget: number;
  reference?: number;
  floor?: number;
  limit?: number;
  source: string;
}

const connection = await network.create();
if (connection.networkConfig.type !== "edr-simulated") {
  throw new Error(`The bench measures a fresh in-process chain; ${connection.networkName} is not one`);
}
const { ethers } = connection;
const suite = await deploySuite(connection);

// Deployment gas and runtime size of every contract the Suite deployed.
const figures: Record<string, number> = {};
const byAddress = new Map<string, string>();
for (const [key, { address }] of Object.entries(contractKeys(suite.deployed))) byAddress.set(address.toLowerCase(), key);
let suiteGas = 0n;
for (let number = suite.fromBlock + 1; number <= suite.toBlock; number++) {
  const block = await ethers.provider.getBlock(number);
  for (const hash of block?.transactions ?? []) {
    const receipt = await ethers.provider.getTransactionReceipt(hash);
    if (receipt === null) throw new Error(`No receipt for ${hash}`);
    suiteGas += receipt.gasUsed;
    const key = receipt.contractAddress === null ? undefined : byAddress.get(receipt.contractAddress.toLowerCase());
    if (key !== undefined) figures[`deploy.${key}`] = Number(receipt.gasUsed);
  }
}
figures["deploy.Suite"] = Number(suiteGas);
for (const [address, key] of byAddress) figures[`size.${key}`] = (await ethers.provider.getCode(address)).length / 2 - 1;

// Every module's operations.
const signers = await ethers.getSigners();
const context: BenchContext = {
  connection,
  suite,
  signers,
  address: (name) => suiteAddress(suite, name),
  async measure(id, transaction) {
    if (id in figures) throw new Error(`Bench op "${id}" measured twice`);
    const receipt = await (await transaction).wait();
    if (receipt === null) throw new Error(`No receipt for ${id}`);
    figures[id] = Number(receipt.gasUsed);
    return receipt.gasUsed;
  },
  record(id, gasUsed) {
    if (id in figures) throw new Error(`Bench op "${id}" recorded twice`);
    figures[id] = Number(gasUsed);
  },
};
for (const bench of benches) await bench.run(context);

const sorted = Object.fromEntries(Object.entries(figures).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const benchDir = path.join(hre.config.paths.root, "bench");
mkdirSync(benchDir, { recursive: true });
writeFileSync(path.join(benchDir, "gas.json"), `${JSON.stringify(sorted, null, 2)}\n`);

// Report.
const budgetsFile = path.join(benchDir, "budgets.json");
const budgets: Record<string, Budget> = existsSync(budgetsFile) ? JSON.parse(readFileSync(budgetsFile, "utf8")) : {};
const failures: string[] = [];
const opRows = Object.entries(sorted)
  .filter(([id]) => !id.startsWith("deploy.") && !id.startsWith("size."))
  .map(([id, used]) => {
    const { budget, reference, floor, limit } = budgets[id] ?? {};
    const ceiling = limit ?? budget;
    const over = ceiling !== undefined && used > ceiling;
    if (over) failures.push(`${id} uses ${gas(used)} gas, over its ${limit === undefined ? "budget" : "limit"} of ${gas(ceiling)}`);
    // Over the issue's budget but within the limit budgets.json enforces instead, with its reasons in `source`.
    const overBudget = budget !== undefined && used > budget;
    const infeasible = overBudget && floor !== undefined && floor > budget;
    return [
      id,
      gas(used),
      budget === undefined ? "-" : gas(budget),
      reference === undefined ? "-" : gas(reference),
      reference === undefined ? "-" : (used / reference).toFixed(2),
      over
        ? "OVER BUDGET"
        : infeasible
          ? `budget below floor ${gas(floor)}; limit ${gas(ceiling!)}`
          : overBudget
            ? `${gas(used - budget)} over budget (floor ${floor === undefined ? "-" : gas(floor)}, see budgets.json); limit ${gas(ceiling!)}`
            : budget === undefined
            ? "no budget"
            : "",
    ];
  });
console.log("\nOperations (receipt gasUsed, 21,000 base included)\n");
for (const line of table(["op", "gas", "budget", "reference", "gas/ref", ""], opRows, ["left", "right", "right", "right", "right"])) {
  console.log(`  ${line}`);
}

const contractRows = [...byAddress.values()].sort().map((key) => {
  const size = sorted[`size.${key}`];
  const tooLarge = size >= SIZE_LIMIT;
  if (tooLarge) failures.push(`${key} is ${gas(size)} bytes, at or over the ${gas(SIZE_LIMIT)}-byte limit`);
  return [key, gas(sorted[`deploy.${key}`] ?? 0), gas(size), `${((100 * size) / SIZE_LIMIT).toFixed(0)}%`, tooLarge ? "TOO LARGE" : ""];
});
contractRows.push(["Suite (all transactions)", gas(suiteGas), "", "", ""]);
console.log(`\nContracts (deployment gas, runtime size against the ${gas(SIZE_LIMIT)}-byte limit)\n`);
for (const line of table(["contract", "deploy gas", "bytes", "of limit", ""], contractRows, ["left", "right", "right", "right"])) {
  console.log(`  ${line}`);
}

const unmeasured = Object.keys(budgets).filter((id) => !(id in sorted));
if (unmeasured.length > 0) console.log(`\nbench/budgets.json has budgets for ops nobody measures: ${unmeasured.join(", ")}`);
console.log(`\nWrote bench/gas.json (${Object.keys(sorted).length} figures).`);
if (failures.length > 0) {
  console.log(`\n${failures.length} over the limit:\n${failures.map((failure) => `  ${failure}`).join("\n")}`);
  process.exitCode = 1;
}

/**
 * A name per deployed contract: the local part of its Ignition future id (`Governance#AccessManager` gives
 * `AccessManager`), or the whole id with `.` for `#` when two modules use the same local id.
 */
function contractKeys(deployed: Record<string, DeployedContract>): Record<string, DeployedContract> {
  const local = (id: string) => id.slice(id.indexOf("#") + 1);
  const counts = new Map<string, number>();
  for (const id of Object.keys(deployed)) counts.set(local(id), (counts.get(local(id)) ?? 0) + 1);
  const keys: Record<string, DeployedContract> = {};
  for (const [id, contract] of Object.entries(deployed)) {
    keys[counts.get(local(id)) === 1 ? local(id) : id.replace("#", ".")] = contract;
  }
  return keys;
}

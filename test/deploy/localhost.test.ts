import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import hre from "hardhat";
import Suite from "../../deploy/modules/Suite.js";

/**
 * `npm run deploy -- --network localhost` against a real JSON-RPC node: the first run deploys the suite and
 * writes the address book, the second finds nothing new and changes nothing. The node runs on a free port
 * (LOCALHOST_PORT, read by hardhat.config.ts) with chain id 31338, reserved for this test, so that a
 * developer's own localhost deployment (chain-31337) is left alone.
 */
const CHAIN_ID = 31338;
const root = hre.config.paths.root;
const hardhatCli = path.join(path.dirname(fileURLToPath(import.meta.resolve("hardhat"))), "cli.js");
const journal = path.join(hre.config.paths.ignition, "deployments", `chain-${CHAIN_ID}`);
const addressBook = path.join(root, "addresses", `${CHAIN_ID}.json`);

function removeOutputs(): void {
  rmSync(journal, { recursive: true, force: true });
  rmSync(addressBook, { force: true });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Hardhat on the Node that runs these tests (Node 22 from node_modules when run through npm). */
function hardhat(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [hardhatCli, ...args], { cwd: root, env, detached: true, stdio: "pipe" });
}

async function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = hardhat(args, env);
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, output };
}

async function chainIdAt(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    return Number(((await response.json()) as { result: string }).result);
  } catch {
    return undefined;
  }
}

describe("deploy to a node (npm run deploy -- --network localhost)", function () {
  this.timeout(60_000);
  let node: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;
  const stopNode = () => {
    // The node runs in its own process group: end the group, so nothing outlives the test.
    if (node?.pid !== undefined && node.exitCode === null && node.signalCode === null) process.kill(-node.pid, "SIGTERM");
  };

  before(async function () {
    removeOutputs();
    const port = await freePort();
    env = { ...process.env, LOCALHOST_PORT: String(port) };
    process.on("exit", stopNode);
    node = hardhat(["node", "--hostname", "127.0.0.1", "--port", String(port), "--chain-id", String(CHAIN_ID)], env);
    let log = "";
    node.stdout?.on("data", (chunk) => (log += chunk));
    node.stderr?.on("data", (chunk) => (log += chunk));
    const deadline = Date.now() + 30_000;
    while ((await chainIdAt(`http://127.0.0.1:${port}`)) !== CHAIN_ID) {
      if (node.exitCode !== null || Date.now() > deadline) throw new Error(`The node did not start:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  after(async function () {
    if (node !== undefined && node.exitCode === null && node.signalCode === null) {
      const exited = new Promise((resolve) => node?.on("exit", resolve));
      stopNode();
      const timer = setTimeout(() => node?.pid !== undefined && process.kill(-node.pid, "SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    process.off("exit", stopNode);
    removeOutputs();
  });

  it("deploys the suite, then finds nothing new to deploy and changes nothing", async function () {
    const first = await run(["run", "scripts/deploy.ts", "--network", "localhost"], env);
    expect(first.code, first.output).to.equal(0);
    expect(first.output).to.match(/Deployed: \d+ steps executed/);
    expect(first.output).to.include(`Address book written to ${path.join("addresses", `${CHAIN_ID}.json`)}`);
    const book = readFileSync(addressBook, "utf8");
    const { chainId, network, directory, contracts } = JSON.parse(book);
    expect(chainId).to.equal(CHAIN_ID);
    expect(network).to.equal("localhost");
    expect(contracts).to.have.all.keys(...Object.keys(Suite.results));
    expect(directory).to.equal(contracts.directory);
    const deployed = readFileSync(path.join(journal, "deployed_addresses.json"), "utf8");

    const second = await run(["run", "scripts/deploy.ts", "--network", "localhost"], env);
    expect(second.code, second.output).to.equal(0);
    expect(second.output).to.include("Nothing new to deploy");
    expect(second.output).to.include("unchanged");
    expect(readFileSync(addressBook, "utf8")).to.equal(book);
    expect(readFileSync(path.join(journal, "deployed_addresses.json"), "utf8")).to.equal(deployed);
    for (const address of Object.values(contracts as Record<string, string>)) expect(second.output).to.include(address);
    expect(existsSync(journal)).to.equal(true);
  });
});

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import Suite from "../../deploy/modules/Suite.js";
import { DEPLOY, CHECK, freePort, localhostEnv, outputsOf, removeOutputs, run, skipUnderCoverage, startHardhatNode, type NodeProcess } from "./node.js";

/**
 * `npm run deploy -- --network localhost` against a real JSON-RPC node: the first run deploys the suite and
 * writes the address book, the second finds nothing new and changes nothing. The node runs on a free port
 * (LOCALHOST_PORT, read by hardhat.config.ts) with chain id 31338, reserved for this test, so that a
 * developer's own localhost deployment (chain-31337) is left alone.
 */
const CHAIN_ID = 31338;
const { journal, addressBook } = outputsOf(CHAIN_ID);

describe("deploy to a node (npm run deploy -- --network localhost)", function () {
  this.timeout(300_000);
  let node: NodeProcess | undefined;
  let env: NodeJS.ProcessEnv;

  before(async function () {
    skipUnderCoverage(this);
    removeOutputs(CHAIN_ID);
    const port = await freePort();
    env = localhostEnv(port);
    node = await startHardhatNode(port, CHAIN_ID);
  });

  after(async function () {
    await node?.stop();
    removeOutputs(CHAIN_ID);
  });

  it("deploys the suite, then finds nothing new to deploy and changes nothing", async function () {
    const first = await run(DEPLOY, env);
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

    const second = await run(DEPLOY, env);
    expect(second.code, second.output).to.equal(0);
    expect(second.output).to.include("Nothing new to deploy");
    expect(second.output).to.include("unchanged");
    expect(readFileSync(addressBook, "utf8")).to.equal(book);
    expect(readFileSync(path.join(journal, "deployed_addresses.json"), "utf8")).to.equal(deployed);
    for (const address of Object.values(contracts as Record<string, string>)) expect(second.output).to.include(address);
    expect(existsSync(journal)).to.equal(true);
  });

  it("npm run check:deployment: the deployment matches its profile; a book naming another profile fails the check", async function () {
    const book = readFileSync(addressBook, "utf8");
    const check = await run(CHECK, env);
    expect(check.code, check.output).to.equal(0);
    expect(check.output).to.include(`Deployment on localhost (chain ${CHAIN_ID}), address book ${path.join("addresses", `${CHAIN_ID}.json`)}`);
    expect(check.output).to.match(/ {2}ok {4}code at all \d+ addresses of the book/);
    expect(check.output).to.match(/ {2}ok {4}TrustDirectory 0x[0-9a-fA-F]{40} lists \d+ modules, all at addresses of the book/);
    expect(check.output).to.include("  ok    address book says profile generic, seconds, secp256k1");
    expect(check.output).to.include("  ok    14 contracts read time in seconds, 6 check signatures with secp256k1");
    expect(check.output).to.include("  ok    ecrecover (0x01) recovers a test signature's signer");
    expect(check.output).to.include("The deployment matches its profile.");

    const parsed = JSON.parse(book);
    writeFileSync(addressBook, JSON.stringify({ ...parsed, chain: { ...parsed.chain, profile: "fisco", timeUnit: "milliseconds" } }));
    try {
      const tampered = await run(CHECK, env);
      expect(tampered.code, tampered.output).to.equal(1);
      expect(tampered.output).to.include("  FAIL  address book says profile fisco, milliseconds, secp256k1");
      expect(tampered.output).to.include("1 check(s) failed.");
    } finally {
      writeFileSync(addressBook, book);
    }
  });
});

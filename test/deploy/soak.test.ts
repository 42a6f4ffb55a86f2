import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { encodeBytes32String } from "ethers";
import { network } from "hardhat";
import { DIDRegistry__factory } from "../../typechain-types/index.js";
import { runSoak, type SoakSummary } from "../../scripts/soak/runner.js";
import {
  finished,
  freePort,
  localhostEnv,
  removeOutputs,
  root,
  skipUnderCoverage,
  startHardhatNode,
  type NodeProcess,
} from "./node.js";

const MODULES = ["identity", "credentials", "data", "trace", "evidence", "trade", "assets"];

/** Every module took part, each operation ended as expected, and the chain agrees with the model. */
function expectClean(summary: SoakSummary, ops: number, senders: number): void {
  expect(summary.failures).to.deep.equal([]);
  expect(summary.mismatches).to.deep.equal([]);
  expect(summary.unexpectedFailures).to.equal(0);
  expect(summary.ops).to.equal(ops);
  expect(summary.senders).to.equal(senders);
  expect(summary.succeeded + summary.expectedReverts).to.equal(ops);
  expect(Object.keys(summary.modules)).to.deep.equal(MODULES);
  for (const [module, tally] of Object.entries(summary.modules)) {
    expect(tally.ops, module).to.be.greaterThan(0);
    expect(tally.succeeded + tally.expectedReverts, module).to.equal(tally.ops);
    expect(tally.mismatches, module).to.equal(0);
  }
  // The workload's refusals happened, each with the custom error its operation named.
  expect(summary.expectedReverts).to.be.greaterThan(0);
  expect(summary.opsPerSecond).to.be.greaterThan(0);
}

/**
 * `npm run soak`: a mixed workload across every module from concurrent senders, checked against the model the
 * script keeps. Against a hardhat node process (the command as an operator runs it), and in-process to show that
 * the check finds what the model does not account for.
 */
describe("soak", function () {
  this.timeout(300_000);

  describe("npm run soak -- --network localhost, against a hardhat node", function () {
    const CHAIN_ID = 31346; // reserved for this test
    let node: NodeProcess | undefined;
    let directory: string | undefined;
    let port: number;

    before(async function () {
      skipUnderCoverage(this);
      removeOutputs(CHAIN_ID);
      directory = mkdtempSync(path.join(tmpdir(), "trustbase-soak-"));
      port = await freePort();
      node = await startHardhatNode(port, CHAIN_ID);
    });

    after(async function () {
      await node?.stop();
      removeOutputs(CHAIN_ID);
      if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
    });

    it("runs 400 operations from 5 senders with no unexpected failure, and the chain matches the model", async function () {
      const json = path.join(directory!, "summary.json");
      const tsx = createRequire(import.meta.url).resolve("tsx/cli");
      const args = [tsx, "scripts/soak.ts", "--network", "localhost", "--ops", "400", "--senders", "5", "--json", json];
      const child = spawn(process.execPath, args, { cwd: root, env: localhostEnv(port), stdio: "pipe" });
      const { code, output } = await finished(child);
      expect(code, output).to.equal(0);
      const summary = JSON.parse(readFileSync(json, "utf8")) as SoakSummary;
      expectClean(summary, 400, 5);
      expect(summary.chainId).to.equal(CHAIN_ID);
      expect(output).to.match(
        new RegExp(`^soak: 400 operations from 5 senders in [\\d.]+ s: [\\d.]+ ops/s; ${summary.succeeded} succeeded, ` +
          `${summary.expectedReverts} expected reverts, 0 unexpected failures, 0 mismatches`, "m"),
      );
      console.log(`      hardhat node: ${summary.opsPerSecond.toFixed(1)} ops/s, ${summary.expectedReverts} expected reverts`);
    });
  });

  describe("the check (in-process chain)", function () {
    it("names a transaction the model does not know of: the nonce, the events and the DID's last change", async function () {
      const connection = await network.create();
      let extraBlock = 0;
      const summary = await runSoak(connection, {
        ops: 150,
        senders: 3,
        seed: 7,
        // Sender 1 sends one more attribute change, outside the workload: as if an operation were applied twice.
        async beforeCheck(context) {
          const [sender] = context.senders;
          const dids = DIDRegistry__factory.connect(context.address("didRegistry"), sender.wallet);
          const receipt = await (await dids.setAttribute(sender.address, encodeBytes32String("did/svc/Extra"), "0x01", 60)).wait();
          extraBlock = receipt!.blockNumber;
        },
      });
      expect(summary.failures).to.deep.equal([]);
      expect(summary.unexpectedFailures).to.equal(0);
      const nonce = summary.mismatches.find((m) => m.startsWith("nonce of sender 1: "));
      expect(nonce).to.match(/^nonce of sender 1: chain (\d+), model (\d+)$/);
      const [, chain, model] = /chain (\d+), model (\d+)/.exec(nonce!)!;
      expect(Number(chain)).to.equal(Number(model) + 1);
      const events = summary.mismatches.find((m) => m.startsWith("identity: DIDAttributeChanged events of sender 1: "));
      const [, onChain, inModel] = /chain (\d+), model (\d+)/.exec(events!)!;
      expect(Number(onChain)).to.equal(Number(inModel) + 1);
      expect(summary.mismatches.filter((m) => m.startsWith("identity: changed(sender 1): "))).to.have.length(1);
      expect(summary.mismatches.find((m) => m.startsWith("identity: changed(sender 1): "))).to.match(
        new RegExp(`^identity: changed\\(sender 1\\): chain ${extraBlock}, model \\d+$`),
      );
      expect(summary.mismatches).to.have.length(3);
      expect(summary.modules.identity.mismatches).to.equal(2);
    });
  });
});

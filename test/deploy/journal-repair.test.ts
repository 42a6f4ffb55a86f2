import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre, { network } from "hardhat";
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { HardhatArtifactResolver } from "@nomicfoundation/hardhat-ignition/helpers";
import { DeploymentResultType, deploy, type IgnitionModule } from "@nomicfoundation/ignition-core";
import { findTransactionByNonce, repairInterruptedJournal } from "../../scripts/lib/journal-repair.js";

/**
 * What `npm run deploy` does to an Ignition journal left by a killed run before resuming (the end-to-end runs are
 * in anvil.test.ts, which kills a deploy at chosen points; here each state is set up exactly): futures of which
 * nothing reached the chain start again, and a transaction that reached the node unrecorded is tracked.
 */
describe("repairInterruptedJournal", function () {
  let directory: string;
  beforeEach(() => (directory = mkdtempSync(path.join(tmpdir(), "trustbase-journal-"))));
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it("restarts unsent and dropped futures only, keeping every other line as it was", async function () {
    const { ethers, provider } = await network.create();
    const [busy, idle] = await ethers.getSigners();
    const mined = await (await busy.sendTransaction({ to: idle.address, value: 1n })).wait();
    const unknownHash = `0x${"ab".repeat(32)}`;
    const from = (signer: { address: string }) => signer.address.toLowerCase();
    const sent = (futureId: string, nonce: number, hash: string) => [
      { futureId, networkInteractionId: 1, nonce, type: "TRANSACTION_PREPARE_SEND" },
      { futureId, networkInteractionId: 1, nonce, transaction: { hash }, type: "TRANSACTION_SEND" },
    ];
    const messages = [
      { chainId: 31337, type: "DEPLOYMENT_INITIALIZE" },
      // done: kept
      { futureId: "M#Done", from: from(busy), type: "DEPLOYMENT_EXECUTION_STATE_INITIALIZE" },
      ...sent("M#Done", 0, mined!.hash),
      { futureId: "M#Done", result: { type: "SUCCESS" }, type: "DEPLOYMENT_EXECUTION_STATE_COMPLETE" },
      // killed right after its initialization (Ignition's HHE10000 on resume): restarted
      { futureId: "M#Unsent", from: from(busy), type: "CALL_EXECUTION_STATE_INITIALIZE" },
      // its network interaction requested, no nonce yet: Ignition resumes it by itself, restarting is as good
      { futureId: "M#Requested", from: from(busy), type: "SEND_DATA_EXECUTION_STATE_INITIALIZE" },
      { futureId: "M#Requested", networkInteraction: { id: 1 }, type: "NETWORK_INTERACTION_REQUEST" },
      // a nonce taken, the sending never recorded, the nonce still free (Ignition's HHE10410 on resume): restarted
      { futureId: "M#Prepared", from: from(idle), type: "CALL_EXECUTION_STATE_INITIALIZE" },
      { futureId: "M#Prepared", networkInteractionId: 1, nonce: 0, type: "TRANSACTION_PREPARE_SEND" },
      // sent, mined: left to Ignition, which finds the receipt
      { futureId: "M#Mined", from: from(busy), type: "CALL_EXECUTION_STATE_INITIALIZE" },
      ...sent("M#Mined", 0, mined!.hash),
      // sent, unknown to the node, nonce used since (by a replacement): left to Ignition, which reports it
      { futureId: "M#Replaced", from: from(busy), type: "CALL_EXECUTION_STATE_INITIALIZE" },
      ...sent("M#Replaced", 0, unknownHash),
      // sent, unknown to the node, nonce still free (dropped; Ignition's HHE10412 on resume): restarted
      { futureId: "M#Dropped", from: from(idle), type: "DEPLOYMENT_EXECUTION_STATE_INITIALIZE" },
      ...sent("M#Dropped", 0, unknownHash),
      { futureId: "M#Dropped", networkInteractionId: 1, type: "ONCHAIN_INTERACTION_DROPPED" },
      // no transaction of its own
      { futureId: "M#Read", from: from(busy), type: "STATIC_CALL_EXECUTION_STATE_INITIALIZE" },
    ];
    const lines = messages.map((message) => JSON.stringify(message));
    const file = path.join(directory, "journal.jsonl");
    writeFileSync(file, lines.map((line) => `\n${line}`).join(""));

    const repairs = await repairInterruptedJournal({ provider }, directory);

    expect(repairs.map(({ futureId, action }) => [futureId, action])).to.deep.equal([
      ["M#Unsent", "restarted"],
      ["M#Requested", "restarted"],
      ["M#Prepared", "restarted"],
      ["M#Dropped", "restarted"],
    ]);
    expect(repairs[2].reason).to.equal(
      `an interrupted run took nonce 0 of ${from(idle)} for it, but no transaction reached the node`,
    );
    const restarted = repairs.map((repair) => repair.futureId);
    const kept = lines.filter((_, index) => !restarted.includes(messages[index].futureId ?? ""));
    expect(readFileSync(file, "utf8")).to.equal(kept.map((line) => `\n${line}`).join(""));
    expect(await repairInterruptedJournal({ provider }, directory)).to.deep.equal([]);
    expect(readFileSync(file, "utf8")).to.equal(kept.map((line) => `\n${line}`).join(""));
  });

  it("does nothing without a journal", async function () {
    const { provider } = await network.create();
    expect(await repairInterruptedJournal({ provider }, directory)).to.deep.equal([]);
  });

  describe("a deployment killed between sending a transaction and recording it (Ignition's HHE10410)", function () {
    // Two stages of one module: the first deploys a stablecoin, the second adds a second one. A journal of the
    // second stage cut right after its TRANSACTION_PREPARE_SEND is what a kill at that point leaves.
    const first = buildModule("Journal", (m) => ({ usd: m.contract("TestStablecoin", ["Test Dollar", "TUSD"]) }));
    const second = buildModule("Journal", (m) => ({
      usd: m.contract("TestStablecoin", ["Test Dollar", "TUSD"]),
      eur: m.contract("TestStablecoin", ["Test Euro", "TEUR"], { id: "Euro" }),
    }));

    async function deployStage(connection: Awaited<ReturnType<typeof network.create>>, module: IgnitionModule) {
      const result = await deploy({
        config: hre.config.ignition,
        provider: connection.provider,
        artifactResolver: new HardhatArtifactResolver(hre.artifacts),
        deploymentDir: directory,
        ignitionModule: module,
        deploymentParameters: {},
        accounts: (await connection.provider.request({ method: "eth_accounts" })) as string[],
      });
      if (result.type !== DeploymentResultType.SUCCESSFUL_DEPLOYMENT) throw new Error(`deployment failed: ${result.type}`);
      return { usd: result.contracts["Journal#TestStablecoin"], eur: result.contracts["Journal#Euro"] };
    }

    /** Cuts the journal after the Euro's TRANSACTION_PREPARE_SEND; returns its nonce and sender. */
    function cutAfterPrepareSend(): { nonce: number; from: string } {
      const file = path.join(directory, "journal.jsonl");
      const lines = readFileSync(file, "utf8").split("\n").filter((line) => line !== "");
      const at = lines.findIndex((line) => line.includes('"futureId":"Journal#Euro"') && line.includes('"TRANSACTION_PREPARE_SEND"'));
      expect(at).to.be.greaterThan(0);
      writeFileSync(file, lines.slice(0, at + 1).map((line) => `\n${line}`).join(""));
      const from = lines
        .map((line) => JSON.parse(line) as { futureId?: string; type: string; from?: string })
        .find((message) => message.futureId === "Journal#Euro" && message.type === "DEPLOYMENT_EXECUTION_STATE_INITIALIZE")!.from!;
      return { nonce: (JSON.parse(lines[at]) as { nonce: number }).nonce, from };
    }

    it("tracks the transaction the node mined, and the rerun sends nothing again", async function () {
      const connection = await network.create();
      const { provider } = connection;
      await deployStage(connection, first);
      const deployed = await deployStage(connection, second);
      const { nonce, from } = cutAfterPrepareSend();
      const blocks = Number(await provider.request({ method: "eth_blockNumber" }));
      const euro = await connection.ethers.provider.getTransactionReceipt(
        (await findTransactionByNonce(connection, from, nonce))!,
      );
      expect(euro?.contractAddress).to.equal(deployed.eur.address);
      // What Ignition alone makes of this journal, on every run.
      const unrepaired = await deployStage(connection, second).then(
        () => "resumed",
        (error: Error) => error.message,
      );
      expect(unrepaired).to.match(/HHE10410.*Journal#Euro/s);

      const repairs = await repairInterruptedJournal(connection, directory);

      expect(repairs).to.deep.equal([
        {
          futureId: "Journal#Euro",
          action: "tracked",
          transaction: euro!.hash,
          reason: `an interrupted run sent its transaction (nonce ${nonce} of ${from}) without recording it; found on the node`,
        },
      ]);
      expect(readFileSync(path.join(directory, "journal.jsonl"), "utf8")).to.include(`"hash":"${euro!.hash}"`);
      const resumed = await deployStage(connection, second);
      expect(resumed.eur.address).to.equal(deployed.eur.address);
      expect(resumed.usd.address).to.equal(deployed.usd.address);
      expect(Number(await provider.request({ method: "eth_blockNumber" }))).to.equal(blocks);
    });

    it("tracks a transaction still in the pool, which the rerun waits for", async function () {
      const connection = await network.create();
      const { provider, ethers } = connection;
      await deployStage(connection, first);
      const snapshot = await provider.request({ method: "evm_snapshot" });
      const deployed = await deployStage(connection, second);
      const { nonce, from } = cutAfterPrepareSend();
      // The same transaction, back in the pool instead of mined: the chain before it, the transaction resent as is.
      const euro = await ethers.provider.getTransaction((await findTransactionByNonce(connection, from, nonce))!);
      await provider.request({ method: "evm_revert", params: [snapshot] });
      await provider.request({ method: "evm_setAutomine", params: [false] });
      const quantity = (value: bigint | number) => `0x${value.toString(16)}`;
      const resent = await ethers.provider.send("eth_sendTransaction", [
        {
          from,
          nonce: quantity(nonce),
          data: euro!.data,
          gas: quantity(euro!.gasLimit),
          maxFeePerGas: quantity(euro!.maxFeePerGas!),
          maxPriorityFeePerGas: quantity(euro!.maxPriorityFeePerGas!),
        },
      ]);
      expect(await findTransactionByNonce(connection, from, nonce)).to.equal(resent);

      const repairs = await repairInterruptedJournal(connection, directory);
      expect(repairs.map(({ action, transaction }) => [action, transaction])).to.deep.equal([["tracked", resent]]);
      await provider.request({ method: "evm_setAutomine", params: [true] });
      await provider.request({ method: "evm_mine" });
      const resumed = await deployStage(connection, second);
      expect(resumed.eur.address).to.equal(deployed.eur.address);
      expect(await ethers.provider.getTransactionCount(from)).to.equal(nonce + 1);
    });

    it("restarts the future when its transaction never reached the node, at the same nonce and address", async function () {
      const connection = await network.create();
      const { provider } = connection;
      await deployStage(connection, first);
      const snapshot = await provider.request({ method: "evm_snapshot" });
      const deployed = await deployStage(connection, second);
      const { nonce, from } = cutAfterPrepareSend();
      await provider.request({ method: "evm_revert", params: [snapshot] });

      const repairs = await repairInterruptedJournal(connection, directory);

      expect(repairs.map(({ futureId, action }) => [futureId, action])).to.deep.equal([["Journal#Euro", "restarted"]]);
      expect(readFileSync(path.join(directory, "journal.jsonl"), "utf8")).to.not.include("Journal#Euro");
      const resumed = await deployStage(connection, second);
      expect(resumed.eur.address).to.equal(deployed.eur.address);
      expect(await connection.ethers.provider.getTransactionCount(from)).to.equal(nonce + 1);
    });
  });
});

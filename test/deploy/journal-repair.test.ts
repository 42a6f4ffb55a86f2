import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { network } from "hardhat";
import { repairInterruptedJournal } from "../../scripts/lib/journal-repair.js";

/**
 * What `npm run deploy` removes from an Ignition journal left by a killed run before resuming (the end-to-end
 * runs are in anvil.test.ts; a kill lands in the first state below only by chance, so each state is also set
 * up here exactly): only futures of which nothing reached the chain start again.
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
    const connection = { provider } as Parameters<typeof repairInterruptedJournal>[0];

    const restarted = await repairInterruptedJournal(connection, directory);

    expect(restarted).to.deep.equal(["M#Unsent", "M#Requested", "M#Dropped"]);
    const kept = lines.filter((_, index) => !restarted.includes(messages[index].futureId ?? ""));
    expect(readFileSync(file, "utf8")).to.equal(kept.map((line) => `\n${line}`).join(""));
    expect(await repairInterruptedJournal(connection, directory)).to.deep.equal([]);
    expect(readFileSync(file, "utf8")).to.equal(kept.map((line) => `\n${line}`).join(""));
  });

  it("does nothing without a journal", async function () {
    const { provider } = await network.create();
    const connection = { provider } as Parameters<typeof repairInterruptedJournal>[0];
    expect(await repairInterruptedJournal(connection, directory)).to.deep.equal([]);
  });
});

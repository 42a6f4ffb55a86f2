import { expect } from "chai";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import { ZeroHash } from "ethers";
import { CustodyAction, EvidenceCategory, buildBundle, verifyBundle, type EvidenceBundle } from "../../sdk/evidence.js";
import { batchProof, batchTree } from "../../sdk/merkle.js";
import { runEvidenceCli } from "../../scripts/evidence/cli.js";
import { deployEvidence, witnessKeys } from "./fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture, time } = networkHelpers;

const DOC = ethers.id("bundle: loan contract");
const V2 = ethers.id("bundle: loan contract v2");
const items = Array.from({ length: 20 }, (_, i) => ethers.id(`bundle: screenshot ${i}`));
const tree = batchTree(items);

/** A case with a contract (co-signed by two witnesses, four custody entries, a dispute, a new version) and a batch. */
async function fixture() {
  const f = await deployEvidence(connection);
  const { vault, party, lawyer, judge, office, relayer, caseId, cosignature, witnesses } = f;
  await (await vault.connect(party).anchor(caseId, DOC, EvidenceCategory.CONTRACT, ethers.id("meta"))).wait();
  await (await vault.connect(party).anchorBatch(party.address, caseId, tree.root, items.length, EvidenceCategory.IMAGE, ethers.id("batch meta"))).wait();
  const deadline = BigInt(await time.latest()) + 3600n;
  await (await vault.connect(relayer).cosign(DOC, witnesses[0], deadline, await cosignature(witnessKeys.notaryA, DOC, deadline))).wait();
  await (await vault.connect(relayer).cosign(DOC, witnesses[2], deadline, await cosignature(witnessKeys.arbitration, DOC, deadline))).wait();
  await (await vault.connect(party).logCustody(party.address, DOC, CustodyAction.UPLOAD, ethers.id("filed"))).wait();
  await (await vault.connect(judge).logCustody(judge.address, DOC, CustodyAction.REVIEW, ethers.id("review"))).wait();
  await (await vault.connect(office).logCustody(judge.address, DOC, CustodyAction.APPROVE, ethers.id("approval"))).wait();
  await (await vault.connect(office).logCustody(judge.address, DOC, CustodyAction.VIEW, ZeroHash)).wait();
  await (await vault.connect(lawyer).dispute(lawyer.address, DOC, ethers.id("the signature page is missing"))).wait();
  await (await vault.connect(party).supersede(party.address, DOC, V2, EvidenceCategory.CONTRACT, ethers.id("meta v2"))).wait();
  await (await vault.checkpoint()).wait();
  await (await vault.connect(judge).logCustody(judge.address, DOC, CustodyAction.PRINT, ZeroHash)).wait(); // after the checkpoint
  await (await vault.checkpoint()).wait();
  return f;
}

type Mutation = [field: string, part: string, alter: (b: EvidenceBundle) => void];

const mutations: Mutation[] = [
  ["chainId", "chain", (b) => (b.chainId = "1")],
  ["vault", "chain", (b) => (b.vault = ethers.getAddress("0x000000000000000000000000000000000000dead"))],
  ["document.hash", "document", (b) => (b.document.hash = ethers.id("another document"))],
  ["anchor.submitter", "anchor", (b) => (b.anchor.submitter = ethers.getAddress("0x000000000000000000000000000000000000bEEF"))],
  ["anchor.time", "anchor", (b) => (b.anchor.time -= 3600)],
  ["anchor.caseId", "anchor", (b) => (b.anchor.caseId = 2)],
  ["anchor.category", "anchor", (b) => (b.anchor.category = EvidenceCategory.IMAGE)],
  ["anchor.metadataHash", "anchor", (b) => (b.anchor.metadataHash = ethers.id("other metadata"))],
  ["anchor.blockNumber", "anchor", (b) => (b.anchor.blockNumber -= 1)],
  ["anchor.transactionHash", "anchor", (b) => (b.anchor.transactionHash = ethers.id("no such transaction"))],
  ["anchor.courtRef", "anchor", (b) => (b.anchor.courtRef = ethers.id("(2025) another case"))],
  ["anchor.disputed", "anchor", (b) => (b.anchor.disputed = false)],
  ["witnesses.cosigners", "witnesses", (b) => b.witnesses.cosigners.pop()],
  ["witnesses.cosigners[0].witness", "witnesses", (b) => (b.witnesses.cosigners[0].witness = witnessKeys.notaryB.address)],
  ["witnesses.final", "witnesses", (b) => (b.witnesses.final = false)],
  ["witnesses.threshold", "witnesses", (b) => (b.witnesses.threshold = 1)],
  ["custody.entries[1]", "custody", (b) => (b.custody.entries[1].actor = b.custody.entries[0].actor)],
  ["custody.entries[2]", "custody", (b) => b.custody.entries.splice(1, 1)],
  ["custody.entries[0].reasonHash", "custody", (b) => (b.custody.entries[0].reasonHash = ZeroHash)],
  ["custody.head", "custody", (b) => (b.custody.head = ZeroHash)],
  ["disputes[0].reasonHash", "disputes", (b) => (b.disputes[0].reasonHash = ethers.id("another reason"))],
  ["disputes", "disputes", (b) => b.disputes.pop()],
  ["versions.next", "versions", (b) => (b.versions.next = ZeroHash)],
  ["checkpoint.accumulator", "checkpoint", (b) => (b.checkpoint!.accumulator = ethers.id("forged accumulator"))],
  ["checkpoint.following", "checkpoint", (b) => (b.checkpoint!.following[0] = ethers.id("forged entry"))],
  ["checkpoint.sequence", "checkpoint", (b) => (b.checkpoint!.sequence = 2)],
  ["checkpoint.accumulatorBefore", "checkpoint", (b) => (b.checkpoint!.accumulatorBefore = ethers.id("forged prefix"))],
];

describe("EvidenceVault proof bundles", function () {
  it("a true bundle verifies in every part, and proves the anchor against the first checkpoint covering it", async function () {
    const { vault } = await loadFixture(fixture);
    const bundle = await buildBundle(vault, DOC);
    expect(bundle.witnesses.final).to.equal(true);
    expect(bundle.custody.entries.map((e) => e.actionName)).to.deep.equal(["UPLOAD", "REVIEW", "APPROVE", "VIEW", "PRINT"]);
    expect(bundle.disputes.length).to.equal(1);
    expect(bundle.versions.next).to.equal(V2);
    expect(bundle.checkpoint!.sequence).to.equal(1);
    const verdicts = await verifyBundle(vault, bundle);
    expect(verdicts.map((v) => [v.part, v.ok])).to.deep.equal(
      ["chain", "document", "anchor", "witnesses", "custody", "disputes", "versions", "checkpoint"].map((p) => [p, true]),
    );
    // The same document proved against the later checkpoint.
    const later = await buildBundle(vault, DOC, { checkpoint: 2 });
    expect(later.checkpoint!.following.length).to.equal(bundle.checkpoint!.following.length + 1);
    expect((await verifyBundle(vault, later)).every((v) => v.ok)).to.equal(true);
  });

  for (const [field, part, alter] of mutations) {
    it(`a bundle with an altered ${field} fails in ${part}, naming the field`, async function () {
      const { vault } = await loadFixture(fixture);
      const bundle = structuredClone(await buildBundle(vault, DOC));
      alter(bundle);
      const verdicts = await verifyBundle(vault, bundle);
      const verdict = verdicts.find((v) => v.part === part)!;
      expect(verdict.ok, `${part} passed`).to.equal(false);
      expect(verdict.problems.some((p) => p.includes(field)), verdict.problems.join("\n")).to.equal(true);
    });
  }

  it("a batch item's bundle carries its Merkle proof; an altered proof or item is refused", async function () {
    const { vault } = await loadFixture(fixture);
    const item = items[13];
    const bundle = await buildBundle(vault, item, { batch: { root: tree.root, proof: batchProof(tree, item) } });
    expect(bundle.batch).to.deep.equal({ root: tree.root, itemCount: items.length, proof: batchProof(tree, item) });
    expect((await verifyBundle(vault, bundle)).every((v) => v.ok)).to.equal(true);
    const wrongProof = structuredClone(bundle);
    wrongProof.batch!.proof[0] = ethers.id("forged sibling");
    expect((await verifyBundle(vault, wrongProof)).find((v) => v.part === "document")!.problems[0]).to.match(/batch\.proof/);
    const wrongItem = structuredClone(bundle);
    wrongItem.document.hash = items[14];
    expect((await verifyBundle(vault, wrongItem)).find((v) => v.part === "document")!.problems[0]).to.match(/document\.hash/);
    await expect(buildBundle(vault, item)).to.be.rejectedWith(/not anchored/);
    await expect(buildBundle(vault, DOC, { batch: { root: DOC, proof: [] } })).to.be.rejectedWith(/not a batch root/);
  });

  it("npm run evidence -- bundle / verify, run in-process: exit 0 for the true bundle, 1 naming the field for an altered one", async function () {
    const { vault } = await loadFixture(fixture);
    const directory = mkdtempSync(path.join(tmpdir(), "trustbase-bundle-test-"));
    const file = path.join(directory, "doc.json");
    const vaultFlag = ["--vault", await vault.getAddress()];
    const lines: string[] = [];
    expect(await runEvidenceCli(["bundle", DOC, "--out", file, ...vaultFlag], connection, (l) => lines.push(l))).to.equal(0);
    expect(await runEvidenceCli(["verify", file, ...vaultFlag], connection, (l) => lines.push(l))).to.equal(0);
    expect(lines.at(-1)).to.match(/^VERIFIED/);
    const altered = JSON.parse(readFileSync(file, "utf8")) as EvidenceBundle;
    altered.custody.entries[2].time += 1;
    writeFileSync(file, JSON.stringify(altered));
    lines.length = 0;
    expect(await runEvidenceCli(["verify", file, ...vaultFlag], connection, (l) => lines.push(l))).to.equal(1);
    expect(lines.find((l) => l.includes("FAIL custody"))).to.match(/custody\.entries\[2\]/);
    expect(lines.at(-1)).to.equal("REFUSED: custody do not match the chain");
    // A batch item, from the list of the batch's hashes the submitter kept.
    const itemsFile = path.join(directory, "items.json");
    writeFileSync(itemsFile, JSON.stringify(items));
    const itemFile = path.join(directory, "item.json");
    expect(await runEvidenceCli(["bundle", items[3], "--batch", itemsFile, "--out", itemFile, ...vaultFlag], connection, () => {})).to.equal(0);
    expect(await runEvidenceCli(["verify", itemFile, ...vaultFlag], connection, () => {})).to.equal(0);
    // Usage and a vault that is not there.
    expect(await runEvidenceCli([], connection, () => {})).to.equal(2);
    await expect(runEvidenceCli(["verify", file, "--vault", ethers.ZeroAddress], connection, () => {})).to.be.rejectedWith(/No contract/);
  });
});

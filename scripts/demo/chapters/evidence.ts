import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Wallet, ZeroHash, encodeBytes32String, id } from "ethers";
import { Topics } from "../../../deploy/topics.js";
import { CredentialRegistry__factory, DIDRegistry__factory, EvidenceVault__factory } from "../../../typechain-types/index.js";
import { didOf } from "../../../sdk/did.js";
import {
  CustodyAction,
  EvidenceCategory,
  EvidencePermission,
  EvidenceVaultTypes,
  evidenceDomain,
  type EvidenceBundle,
} from "../../../sdk/evidence.js";
import { batchProof, batchTree, verifyBatchProof } from "../../../sdk/merkle.js";
import { runEvidenceCli } from "../../evidence/cli.js";
import { CONSORTIUM, type Chapter } from "../runner.js";

const YEAR = 365n * 86_400n;
const { SUBMIT, LOG, DECIDE, DISPUTE } = EvidencePermission;

export const evidence: Chapter = {
  title: "Evidence: anchors, custody, witnesses, court-ready proof",
  summary:
    "A clerk opens a case in the EvidenceVault; a party anchors a loan contract and 100 chat screenshots (one Merkle " +
    "root); two of three witnesses co-sign; the court's office system logs who handled the contract; a checkpoint " +
    "publishes the vault's accumulator; a proof bundle is written, verified against the chain, then altered and refused.",

  async run(demo) {
    const consortium = await demo.actor(CONSORTIUM);
    const courtAdmin = await demo.actor("Court administration");
    const clerk = await demo.actor("Clerk Wang");
    const judge = await demo.actor("Judge Zhao");
    const plaintiff = await demo.actor("Plaintiff Chen");
    const office = await demo.actor("Court office system");
    // Witness offices sign off chain only (a relayer sends their co-signatures): keys, not accounts.
    const witnesses = [
      { name: "Notary office Haidian", key: new Wallet(id("trustbase demo witness: notary office Haidian")), topic: Topics.NOTARY },
      { name: "Notary office Chaoyang", key: new Wallet(id("trustbase demo witness: notary office Chaoyang")), topic: Topics.NOTARY },
      { name: "Arbitration commission", key: new Wallet(id("trustbase demo witness: arbitration commission")), topic: Topics.ARBITRATOR },
    ];
    const { ethers } = demo.connection;
    const credentials = CredentialRegistry__factory.connect(demo.address("credentialRegistry"), consortium.signer);
    const dids = DIDRegistry__factory.connect(demo.address("didRegistry"), consortium.signer);
    const vault = EvidenceVault__factory.connect(demo.address("evidenceVault"), consortium.signer);
    const { chainId } = await ethers.provider.getNetwork();
    const now = await demo.now();
    const run = `${now}`; // documents of this run (the demo may run again on the same node)

    demo.section("The consortium trusts the court administration for court credentials; it issues them");
    for (const [topic, name] of [
      [Topics.COURT_CLERK, "COURT_CLERK"],
      [Topics.JUDGE, "JUDGE"],
      [Topics.CASE_PARTY, "CASE_PARTY"],
      [Topics.NOTARY, "NOTARY"],
      [Topics.ARBITRATOR, "ARBITRATOR"],
    ] as const) {
      if (await credentials.isTrustedIssuer(topic, courtAdmin.address)) continue;
      await demo.step(consortium, `trusts ${courtAdmin.name} for ${name}`, credentials.setIssuerTrust(topic, courtAdmin.address, true));
    }
    const issue = (subject: string, topic: number, label: string) =>
      demo.step(
        courtAdmin,
        `issues ${label}`,
        credentials.connect(courtAdmin.signer).issue(id(`demo:${run}:${subject}:${topic}`), courtAdmin.address, subject, topic, now, now + YEAR),
      );
    await issue(clerk.address, Topics.COURT_CLERK, `COURT_CLERK to ${clerk.name}`);
    await issue(judge.address, Topics.JUDGE, `JUDGE to ${judge.name}`);
    await issue(plaintiff.address, Topics.CASE_PARTY, `CASE_PARTY to ${plaintiff.name}`);
    for (const w of witnesses) await issue(w.key.address, w.topic, `${w.topic === Topics.NOTARY ? "NOTARY" : "ARBITRATOR"} to ${w.name}`);
    for (const who of [clerk, judge]) {
      await demo.step(
        who,
        `lets ${office.name} act for its DID (sigAuth)`,
        dids.connect(who.signer).addDelegate(who.address, encodeBytes32String("sigAuth"), office.address, YEAR),
      );
    }

    demo.section("A case: opened by the clerk with three witnesses, two co-signatures needed; members admitted");
    const courtRef = id(`(2026) Jing 0105 Min Chu 12345 / ${run}`);
    await demo.step(
      clerk,
      "opens the case: 2 of 3 witnesses make evidence final",
      vault.connect(clerk.signer).openCase(clerk.address, courtRef, witnesses.map((w) => w.key.address), witnesses.map((w) => w.topic), 2),
    );
    const caseId = await vault.caseIdOf(courtRef);
    demo.note(`case ${caseId}; witnesses ${witnesses.map((w) => w.name).join(", ")}`);
    await demo.step(clerk, `admits ${plaintiff.name}: submit, log, dispute`, vault.connect(clerk.signer).grantAccess(caseId, plaintiff.address, Topics.CASE_PARTY, SUBMIT | LOG | DISPUTE));
    await demo.step(clerk, `admits ${judge.name}: log, decide`, vault.connect(clerk.signer).grantAccess(caseId, judge.address, Topics.JUDGE, LOG | DECIDE));
    await demo.step(clerk, "admits itself: submit, log, decide", vault.connect(clerk.signer).grantAccess(caseId, clerk.address, Topics.COURT_CLERK, SUBMIT | LOG | DECIDE));

    demo.section("Anchors: a contract by itself, 100 chat screenshots under one Merkle root");
    const contract = id(`loan contract, signed scan (${run})`);
    await demo.step(
      plaintiff,
      "anchors the loan contract (hash + metadata hash)",
      vault.connect(plaintiff.signer).anchor(caseId, contract, EvidenceCategory.CONTRACT, id(`metadata: loan.pdf 184 kB (${run})`)),
    );
    const screenshots = Array.from({ length: 100 }, (_, i) => id(`WeChat screenshot ${i + 1} (${run})`));
    const tree = batchTree(screenshots);
    await demo.step(
      plaintiff,
      "anchors 100 chat screenshots: one root, one transaction",
      vault.connect(plaintiff.signer).anchorBatch(plaintiff.address, caseId, tree.root, 100, EvidenceCategory.IMAGE, id(`metadata: chat export (${run})`)),
    );
    await demo.refused(plaintiff, "anchors the contract a second time", vault.connect(plaintiff.signer).anchor(caseId, contract, EvidenceCategory.CONTRACT, ZeroHash));

    demo.section("Witnessed finality: two of the three offices co-sign the contract (EIP-712, relayed)");
    const domain = evidenceDomain(chainId, await vault.getAddress());
    const deadline = now + 7n * 86_400n;
    for (const w of [witnesses[0], witnesses[2]]) {
      const signature = await demo.sign(w.key, domain, EvidenceVaultTypes.Cosign, { hash: contract, witness: w.key.address, deadline });
      await demo.step(office, `relays ${w.name}'s co-signature`, vault.connect(office.signer).cosign(contract, w.key.address, deadline, signature));
    }
    demo.note(`isFinal(contract) = ${await vault.isFinal(contract)} (${(await vault.cosignersOf(contract)).length} of 2 needed)`);

    demo.section("Chain of custody: the office system logs who handled the contract, hashes only");
    const custody: [typeof clerk, number, string][] = [
      [clerk, CustodyAction.UPLOAD, "uploads it into the case file (for the clerk)"],
      [clerk, CustodyAction.REVIEW, "logs the clerk's formal review"],
      [judge, CustodyAction.APPROVE, "logs the judge's admission of the evidence"],
      [judge, CustodyAction.VIEW, "logs the judge viewing it at the hearing"],
    ];
    for (const [actor, action, what] of custody) {
      await demo.step(office, what, vault.connect(office.signer).logCustody(actor.address, contract, action, id(`work order ${action} (${run})`)));
    }
    await demo.refused(plaintiff, "logs an approval of his own evidence", vault.connect(plaintiff.signer).logCustody(plaintiff.address, contract, CustodyAction.APPROVE, ZeroHash));

    demo.section("One screenshot proved from the batch");
    const screenshot = screenshots[41];
    const proof = batchProof(tree, screenshot);
    const onChain = await vault.verifyInclusion(tree.root, screenshot, proof);
    demo.line(judge.name, `checks screenshot 42 (proof of ${proof.length} hashes, view call)`, onChain ? "in the batch" : "NOT in the batch");
    demo.line(judge.name, "checks it off chain, without trusting the node", verifyBatchProof(tree.root, screenshot, proof) ? "in the batch" : "NOT in the batch");
    const forged = id("a screenshot edited after the fact");
    demo.line(judge.name, "checks an edited screenshot with the same proof", (await vault.verifyInclusion(tree.root, forged, proof)) ? "in the batch" : "not in the batch");

    demo.section("Checkpoint: the accumulator over every entry, numbered, for copying to a public chain");
    const receipt = await demo.step(consortium, "publishes a checkpoint (anyone may)", vault.checkpoint());
    const [sequence, accumulator] = await vault.lastCheckpoint();
    demo.note(`checkpoint ${sequence} = ${accumulator} (block ${receipt.blockNumber})`);

    demo.section("A proof bundle for the court: written, verified against the node, altered and refused");
    const directory = mkdtempSync(path.join(tmpdir(), "trustbase-evidence-"));
    const bundleFile = path.join(directory, "contract.json");
    const print = (line: string) => demo.note(line);
    const vaultFlag = ["--vault", await vault.getAddress()];
    demo.note(`$ npm run evidence -- bundle ${contract.slice(0, 10)}… --out contract.json`);
    await runEvidenceCli(["bundle", contract, "--out", bundleFile, ...vaultFlag], demo.connection, print);
    demo.note("$ npm run evidence -- verify contract.json");
    if ((await runEvidenceCli(["verify", bundleFile, ...vaultFlag], demo.connection, print)) !== 0) {
      throw new Error("The true bundle did not verify");
    }
    const itemsFile = path.join(directory, "screenshots.json");
    writeFileSync(itemsFile, JSON.stringify(screenshots));
    const screenshotFile = path.join(directory, "screenshot-42.json");
    demo.note("$ npm run evidence -- bundle <screenshot 42> --batch screenshots.json --out screenshot-42.json");
    await runEvidenceCli(["bundle", screenshot, "--batch", itemsFile, "--out", screenshotFile, ...vaultFlag], demo.connection, print);
    if ((await runEvidenceCli(["verify", screenshotFile, ...vaultFlag], demo.connection, () => {})) !== 0) {
      throw new Error("The screenshot's bundle did not verify");
    }
    demo.note("verify screenshot-42.json: VERIFIED");

    const altered = JSON.parse(readFileSync(bundleFile, "utf8")) as EvidenceBundle;
    altered.anchor.submitter = judge.address;
    altered.anchor.submitterDid = didOf(chainId, judge.address);
    altered.anchor.time -= 86_400;
    const alteredFile = path.join(directory, "contract-altered.json");
    writeFileSync(alteredFile, JSON.stringify(altered, null, 2));
    demo.note("Someone edits contract.json: submitter → the judge, anchored one day earlier");
    demo.note("$ npm run evidence -- verify contract-altered.json");
    if ((await runEvidenceCli(["verify", alteredFile, ...vaultFlag], demo.connection, print)) === 0) {
      throw new Error("The altered bundle verified");
    }
  },
};

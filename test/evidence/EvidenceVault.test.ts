import { expect } from "chai";
import { network } from "hardhat";
import { ZeroAddress, ZeroHash } from "ethers";
import { Topics } from "../../deploy/topics.js";
import { Roles } from "../../deploy/roles.js";
import { moduleName, selectors } from "../../deploy/lib.js";
import {
  AnchorFlag,
  CustodyAction,
  EvidenceCategory,
  anchorEntry,
  custodyEntry,
  disputeEntry,
  fold,
  readCustodyLog,
  readLedger,
  verifyCustodyChain,
} from "../../sdk/evidence.js";
import { batchProof, batchTree } from "../../sdk/merkle.js";
import { COURT_REF, DECIDE, DISPUTE, LOG, SUBMIT, YEAR, deployEvidence, witnessKeys } from "./fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture, time } = networkHelpers;
const fixture = () => deployEvidence(connection);

const DOC = ethers.id("loan contract.pdf");
const META = ethers.id("metadata of loan contract.pdf");
const REASON = ethers.id("work order 17");
const SIG_AUTH = ethers.encodeBytes32String("sigAuth");

async function anchored() {
  const f = await loadFixture(fixture);
  await (await f.vault.connect(f.party).anchor(f.caseId, DOC, EvidenceCategory.CONTRACT, META)).wait();
  return f;
}

describe("EvidenceVault", function () {
  describe("deployment", function () {
    it("is listed in the TrustDirectory, governed by the AccessManager, openCase public and nothing else managed", async function () {
      const { vault, directory, accessManager } = await loadFixture(fixture);
      const [module, version] = await directory.moduleOf(moduleName("EvidenceVault"));
      expect(module).to.equal(await vault.getAddress());
      expect(version).to.equal(1n);
      expect(await vault.authority()).to.equal(await accessManager.getAddress());
      const [openCase] = selectors("openCase(address,bytes32,address[],uint32[],uint8)");
      expect(await accessManager.getTargetFunctionRole(await vault.getAddress(), openCase)).to.equal(Roles.PUBLIC);
      const [domainFields, name, versionString] = await vault.eip712Domain();
      expect([domainFields, name, versionString]).to.deep.equal(["0x0f", "trustbase EvidenceVault", "1"]);
    });
  });

  describe("openCase", function () {
    it("opens a case with its witnesses, seats and threshold", async function () {
      const { vault, clerk, witnesses, witnessTopics, now } = await loadFixture(fixture);
      const ref = ethers.id("(2025) case 2");
      await expect(vault.connect(clerk).openCase(clerk.address, ref, witnesses.slice(0, 2), witnessTopics.slice(0, 2), 1))
        .to.emit(vault, "CaseOpened")
        .withArgs(2n, ref, clerk.address, witnesses.slice(0, 2), witnessTopics.slice(0, 2), 1n);
      const kase = await vault.caseOf(2n);
      expect(kase.clerk).to.equal(clerk.address);
      expect(kase.courtRef).to.equal(ref);
      expect(kase.openedAt).to.be.greaterThan(now);
      expect(kase.threshold).to.equal(1n);
      expect(kase.witnesses).to.deep.equal(witnesses.slice(0, 2));
      expect(await vault.caseIdOf(ref)).to.equal(2n);
      expect(await vault.caseCount()).to.equal(2n);
      expect(await vault.witnessSeatOf(2n, witnesses[1])).to.deep.equal([2n, BigInt(Topics.NOTARY), false]);
      expect(await vault.witnessSeatOf(2n, witnesses[2])).to.deep.equal([0n, 0n, false]);
    });

    it("refuses callers without a valid COURT_CLERK credential or not controlling the clerk DID", async function () {
      const { vault, clerk, party, stranger } = await loadFixture(fixture);
      const ref = ethers.id("(2025) case 2");
      await expect(vault.connect(party).openCase(party.address, ref, [], [], 0))
        .to.be.revertedWithCustomError(vault, "IdentityGateMissingCredential")
        .withArgs(party.address, Topics.COURT_CLERK);
      await expect(vault.connect(stranger).openCase(clerk.address, ref, [], [], 0))
        .to.be.revertedWithCustomError(vault, "IdentityGateNotController")
        .withArgs(clerk.address, stranger.address);
      expect(await vault.caseCount()).to.equal(1n);
    });

    it("refuses a zero or used reference and bad witness lists", async function () {
      const { vault, clerk, witnesses, witnessTopics, party } = await loadFixture(fixture);
      const ref = ethers.id("(2025) case 2");
      const open = (r: string, w: string[], t: number[], threshold: number) => vault.connect(clerk).openCase(clerk.address, r, w, t, threshold);
      await expect(open(ZeroHash, [], [], 0)).to.be.revertedWithCustomError(vault, "EvidenceZeroHash");
      await expect(open(COURT_REF, [], [], 0)).to.be.revertedWithCustomError(vault, "EvidenceCaseExists").withArgs(COURT_REF, 1n);
      await expect(open(ref, witnesses, witnessTopics, 4)).to.be.revertedWithCustomError(vault, "EvidenceInvalidWitnesses").withArgs(3n, 4n);
      await expect(open(ref, witnesses, witnessTopics.slice(0, 2), 1))
        .to.be.revertedWithCustomError(vault, "EvidenceInvalidWitnesses")
        .withArgs(3n, 1n);
      const nine = Array.from({ length: 9 }, (_, i) => ethers.getAddress(`0x${(i + 1).toString(16).padStart(40, "0")}`));
      await expect(open(ref, nine, nine.map(() => Topics.NOTARY), 1)).to.be.revertedWithCustomError(vault, "EvidenceInvalidWitnesses").withArgs(9n, 1n);
      await expect(open(ref, [witnesses[0]], [Topics.CASE_PARTY], 1))
        .to.be.revertedWithCustomError(vault, "EvidenceNotWitnessTopic")
        .withArgs(Topics.CASE_PARTY);
      await expect(open(ref, [witnesses[0], witnesses[0]], [Topics.NOTARY, Topics.NOTARY], 1))
        .to.be.revertedWithCustomError(vault, "EvidenceDuplicateWitness")
        .withArgs(witnesses[0]);
      await expect(open(ref, [party.address], [Topics.NOTARY], 1))
        .to.be.revertedWithCustomError(vault, "IdentityGateMissingCredential")
        .withArgs(party.address, Topics.NOTARY);
      expect(await vault.caseCount()).to.equal(1n);
      expect(await vault.caseIdOf(ref)).to.equal(0n);
    });

    it("stops when governance closes the vault to new cases, while records go on", async function () {
      const { vault, accessManager, clerk, party } = await anchored();
      await (await accessManager.setTargetClosed(await vault.getAddress(), true)).wait();
      await expect(vault.connect(clerk).openCase(clerk.address, ethers.id("(2025) case 2"), [], [], 0))
        .to.be.revertedWithCustomError(vault, "AccessManagedUnauthorized")
        .withArgs(clerk.address);
      await expect(vault.connect(party).logCustody(party.address, DOC, CustodyAction.DOWNLOAD, REASON)).to.emit(vault, "CustodyLogged");
    });
  });

  describe("case members", function () {
    it("the clerk admits a member under a credential topic, and changes the admission", async function () {
      const { vault, clerk, otherParty, caseId } = await loadFixture(fixture);
      await expect(vault.connect(clerk).grantAccess(caseId, otherParty.address, Topics.CASE_PARTY, SUBMIT))
        .to.emit(vault, "AccessGranted")
        .withArgs(caseId, otherParty.address, Topics.CASE_PARTY, SUBMIT);
      const access = await vault.accessOf(caseId, otherParty.address);
      expect([access.permissions, access.topic]).to.deep.equal([BigInt(SUBMIT), BigInt(Topics.CASE_PARTY)]);
      await expect(vault.connect(clerk).grantAccess(caseId, otherParty.address, Topics.CASE_PARTY, SUBMIT | DISPUTE))
        .to.emit(vault, "AccessGranted")
        .withArgs(caseId, otherParty.address, Topics.CASE_PARTY, SUBMIT | DISPUTE);
      await expect(vault.connect(clerk).grantAccess(caseId, otherParty.address, Topics.CASE_PARTY, SUBMIT | DISPUTE))
        .to.be.revertedWithCustomError(vault, "EvidenceAccessUnchanged")
        .withArgs(caseId, otherParty.address);
    });

    it("refuses other clerks, unknown cases, inadmissible permissions and members without the credential", async function () {
      const { vault, clerk, otherClerk, otherParty, stranger, caseId } = await loadFixture(fixture);
      await expect(vault.connect(otherClerk).grantAccess(caseId, otherParty.address, Topics.CASE_PARTY, SUBMIT))
        .to.be.revertedWithCustomError(vault, "IdentityGateNotController")
        .withArgs(clerk.address, otherClerk.address);
      await expect(vault.connect(clerk).grantAccess(9n, otherParty.address, Topics.CASE_PARTY, SUBMIT))
        .to.be.revertedWithCustomError(vault, "EvidenceUnknownCase")
        .withArgs(9n);
      await expect(vault.connect(clerk).grantAccess(caseId, otherParty.address, Topics.CASE_PARTY, DECIDE))
        .to.be.revertedWithCustomError(vault, "EvidenceTopicNotAdmissible")
        .withArgs(Topics.CASE_PARTY, DECIDE);
      await expect(vault.connect(clerk).grantAccess(caseId, otherParty.address, Topics.CASE_PARTY, 0))
        .to.be.revertedWithCustomError(vault, "EvidenceTopicNotAdmissible")
        .withArgs(Topics.CASE_PARTY, 0);
      await expect(vault.connect(clerk).grantAccess(caseId, otherParty.address, Topics.KYC, LOG))
        .to.be.revertedWithCustomError(vault, "EvidenceTopicNotAdmissible")
        .withArgs(Topics.KYC, LOG);
      await expect(vault.connect(clerk).grantAccess(caseId, stranger.address, Topics.CASE_PARTY, SUBMIT))
        .to.be.revertedWithCustomError(vault, "IdentityGateMissingCredential")
        .withArgs(stranger.address, Topics.CASE_PARTY);
      expect((await vault.accessOf(caseId, otherParty.address)).permissions).to.equal(0n);
    });

    it("gives each court topic its permissions", async function () {
      const { vault, clerk, judge, caseId, otherClerk } = await loadFixture(fixture);
      // A judge may decide, not dispute; a regulator only logs; a notary submits and logs.
      await expect(vault.connect(clerk).grantAccess(caseId, judge.address, Topics.JUDGE, SUBMIT | LOG | DECIDE)).to.emit(vault, "AccessGranted");
      await expect(vault.connect(clerk).grantAccess(caseId, judge.address, Topics.JUDGE, DISPUTE)).to.be.revertedWithCustomError(vault, "EvidenceTopicNotAdmissible");
      await expect(vault.connect(clerk).grantAccess(caseId, otherClerk.address, Topics.COURT_CLERK, SUBMIT | LOG | DECIDE)).to.emit(vault, "AccessGranted");
      await expect(vault.connect(clerk).grantAccess(caseId, witnessKeys.notaryA.address, Topics.NOTARY, SUBMIT | LOG)).to.emit(vault, "AccessGranted");
      await expect(vault.connect(clerk).grantAccess(caseId, witnessKeys.notaryA.address, Topics.NOTARY, DECIDE)).to.be.revertedWithCustomError(vault, "EvidenceTopicNotAdmissible");
      await expect(vault.connect(clerk).grantAccess(caseId, witnessKeys.arbitration.address, Topics.ARBITRATOR, DECIDE)).to.emit(vault, "AccessGranted");
    });

    it("the clerk revokes an admission; the member can no longer submit", async function () {
      const { vault, clerk, party, stranger, caseId } = await loadFixture(fixture);
      await expect(vault.connect(stranger).revokeAccess(caseId, party.address))
        .to.be.revertedWithCustomError(vault, "IdentityGateNotController")
        .withArgs(clerk.address, stranger.address);
      await expect(vault.connect(clerk).revokeAccess(caseId, party.address)).to.emit(vault, "AccessRevoked").withArgs(caseId, party.address);
      expect(await vault.accessOf(caseId, party.address)).to.deep.equal([0n, 0n, 0n]);
      await expect(vault.connect(clerk).revokeAccess(caseId, party.address))
        .to.be.revertedWithCustomError(vault, "EvidenceAccessUnchanged")
        .withArgs(caseId, party.address);
      await expect(vault.connect(party).anchor(caseId, DOC, EvidenceCategory.CONTRACT, META))
        .to.be.revertedWithCustomError(vault, "EvidenceNotPermitted")
        .withArgs(caseId, party.address, SUBMIT);
    });

    it("anyone strikes a member whose credential lapsed, never one whose credential counts", async function () {
      const { vault, credentials, issuer, credentialIds, party, stranger, caseId } = await loadFixture(fixture);
      await expect(vault.connect(stranger).strikeLapsedAccess(caseId, party.address))
        .to.be.revertedWithCustomError(vault, "EvidenceCredentialStillValid")
        .withArgs(party.address, Topics.CASE_PARTY);
      await expect(vault.connect(stranger).strikeLapsedAccess(caseId, stranger.address))
        .to.be.revertedWithCustomError(vault, "EvidenceAccessUnchanged")
        .withArgs(caseId, stranger.address);
      await (await credentials.connect(issuer).revoke(credentialIds.party)).wait();
      await expect(vault.connect(stranger).strikeLapsedAccess(caseId, party.address))
        .to.emit(vault, "AccessStruck")
        .withArgs(caseId, party.address, Topics.CASE_PARTY, stranger.address);
      expect((await vault.accessOf(caseId, party.address)).permissions).to.equal(0n);
      await expect(vault.connect(party).anchor(caseId, DOC, EvidenceCategory.CONTRACT, META)).to.be.revertedWithCustomError(vault, "EvidenceNotPermitted");
    });
  });

  describe("anchor", function () {
    it("records submitter, time, case and category, emits the metadata, folds the entry into the accumulator", async function () {
      const { vault, party, caseId } = await loadFixture(fixture);
      await expect(vault.connect(party).anchor(caseId, DOC, EvidenceCategory.CONTRACT, META))
        .to.emit(vault, "Anchored")
        .withArgs(DOC, caseId, party.address, EvidenceCategory.CONTRACT, META);
      const t = await time.latest();
      const a = await vault.anchorOf(DOC);
      expect([a.submitter, a.anchoredAt, a.caseId, a.category, a.flags, a.witnessed]).to.deep.equal([
        party.address,
        BigInt(t),
        caseId,
        BigInt(EvidenceCategory.CONTRACT),
        0n,
        0n,
      ]);
      const entry = anchorEntry({ hash: DOC, caseId: 1, submitter: party.address, category: EvidenceCategory.CONTRACT, itemCount: 0, metadataHash: META, previous: ZeroHash, time: t });
      expect(await vault.accumulator()).to.equal(fold(ZeroHash, entry));
    });

    it("refuses a second anchor of the same hash with the first anchor's time, whoever sends it", async function () {
      const { vault, party, lawyer, caseId } = await anchored();
      const first = (await vault.anchorOf(DOC)).anchoredAt;
      const accumulator = await vault.accumulator();
      await time.increase(3600);
      await expect(vault.connect(lawyer).anchor(caseId, DOC, EvidenceCategory.IMAGE, ZeroHash))
        .to.be.revertedWithCustomError(vault, "EvidenceAlreadyAnchored")
        .withArgs(DOC, first);
      await expect(vault.connect(party).anchor(caseId, DOC, EvidenceCategory.CONTRACT, META))
        .to.be.revertedWithCustomError(vault, "EvidenceAlreadyAnchored")
        .withArgs(DOC, first);
      expect((await vault.anchorOf(DOC)).submitter).to.equal(party.address);
      expect(await vault.accumulator()).to.equal(accumulator);
    });

    it("refuses the wrong case, an unknown case and an unauthorised submitter", async function () {
      const { vault, clerk, party, otherParty, stranger, judge, caseId } = await loadFixture(fixture);
      await (await vault.connect(clerk).openCase(clerk.address, ethers.id("(2025) case 2"), [], [], 0)).wait();
      await (await vault.connect(clerk).grantAccess(2n, otherParty.address, Topics.CASE_PARTY, SUBMIT)).wait();
      // Admitted to case 2 only: refused in case 1; the party of case 1 refused in case 2.
      await expect(vault.connect(otherParty).anchor(caseId, DOC, EvidenceCategory.CONTRACT, META))
        .to.be.revertedWithCustomError(vault, "EvidenceNotPermitted")
        .withArgs(caseId, otherParty.address, SUBMIT);
      await expect(vault.connect(party).anchor(2n, DOC, EvidenceCategory.CONTRACT, META))
        .to.be.revertedWithCustomError(vault, "EvidenceNotPermitted")
        .withArgs(2n, party.address, SUBMIT);
      await expect(vault.connect(party).anchor(3n, DOC, EvidenceCategory.CONTRACT, META)).to.be.revertedWithCustomError(vault, "EvidenceUnknownCase").withArgs(3n);
      await expect(vault.connect(party).anchor(0n, DOC, EvidenceCategory.CONTRACT, META)).to.be.revertedWithCustomError(vault, "EvidenceUnknownCase").withArgs(0n);
      await expect(vault.connect(stranger).anchor(caseId, DOC, EvidenceCategory.CONTRACT, META))
        .to.be.revertedWithCustomError(vault, "EvidenceNotPermitted")
        .withArgs(caseId, stranger.address, SUBMIT);
      // The judge is admitted to log and decide, not to submit.
      await expect(vault.connect(judge).anchor(caseId, DOC, EvidenceCategory.CONTRACT, META))
        .to.be.revertedWithCustomError(vault, "EvidenceNotPermitted")
        .withArgs(caseId, judge.address, SUBMIT);
      // Acting for an admitted DID it does not control.
      await expect(vault.connect(stranger).anchorFor(party.address, caseId, DOC, EvidenceCategory.CONTRACT, META))
        .to.be.revertedWithCustomError(vault, "IdentityGateNotController")
        .withArgs(party.address, stranger.address);
      expect((await vault.anchorOf(DOC)).anchoredAt).to.equal(0n);
      expect(await vault.accumulator()).to.equal(ZeroHash);
    });

    it("refuses a zero hash and unknown categories", async function () {
      const { vault, party, caseId } = await loadFixture(fixture);
      await expect(vault.connect(party).anchor(caseId, ZeroHash, EvidenceCategory.CONTRACT, META)).to.be.revertedWithCustomError(vault, "EvidenceZeroHash");
      for (const category of [0, 10, 255]) {
        await expect(vault.connect(party).anchor(caseId, DOC, category, META))
          .to.be.revertedWithCustomError(vault, "EvidenceUnknownCategory")
          .withArgs(category);
      }
    });

    it("lets a sigAuth delegate anchor for a DID; refuses the DID's stolen key once the DID rotated it", async function () {
      const { vault, dids, party, office, relayer, caseId } = await loadFixture(fixture);
      await (await dids.connect(party).addDelegate(party.address, SIG_AUTH, office.address, YEAR)).wait();
      await expect(vault.connect(office).anchorFor(party.address, caseId, DOC, EvidenceCategory.CHAT_LOG, META))
        .to.emit(vault, "Anchored")
        .withArgs(DOC, caseId, party.address, EvidenceCategory.CHAT_LOG, META);
      await (await dids.connect(party).changeOwner(party.address, relayer.address)).wait();
      const other = ethers.id("second document");
      await expect(vault.connect(party).anchor(caseId, other, EvidenceCategory.IMAGE, META))
        .to.be.revertedWithCustomError(vault, "IdentityGateNotController")
        .withArgs(party.address, party.address);
      await expect(vault.connect(relayer).anchorFor(party.address, caseId, other, EvidenceCategory.IMAGE, META)).to.emit(vault, "Anchored");
    });
  });

  describe("batches", function () {
    const items = Array.from({ length: 100 }, (_, i) => ethers.id(`chat screenshot ${i}.png`));
    const tree = batchTree(items);

    async function batched() {
      const f = await loadFixture(fixture);
      await (await f.vault.connect(f.party).anchorBatch(f.party.address, f.caseId, tree.root, 100, EvidenceCategory.IMAGE, META)).wait();
      return f;
    }

    it("anchors a root for 100 documents and proves each one", async function () {
      const { vault, party, caseId } = await loadFixture(fixture);
      await expect(vault.connect(party).anchorBatch(party.address, caseId, tree.root, 100, EvidenceCategory.IMAGE, META))
        .to.emit(vault, "BatchAnchored")
        .withArgs(tree.root, caseId, party.address, EvidenceCategory.IMAGE, 100n, META);
      expect((await vault.anchorOf(tree.root)).flags).to.equal(BigInt(AnchorFlag.BATCH));
      for (const item of [items[0], items[57], items[99]]) {
        expect(await vault.verifyInclusion(tree.root, item, batchProof(tree, item))).to.equal(true);
      }
    });

    it("refuses a wrong leaf, a wrong root, siblings in the wrong order, and a root that is no anchored batch", async function () {
      const { vault, party, caseId } = await batched();
      const proof = batchProof(tree, items[3]);
      expect(await vault.verifyInclusion(tree.root, ethers.id("not in the batch"), proof)).to.equal(false);
      expect(await vault.verifyInclusion(ethers.id("another root"), items[3], proof)).to.equal(false);
      expect(await vault.verifyInclusion(tree.root, items[3], [...proof].reverse())).to.equal(false);
      expect(await vault.verifyInclusion(tree.root, items[3], proof.slice(1))).to.equal(false);
      // A tree nobody anchored as a batch, and a document anchored by itself, prove nothing.
      const other = batchTree(items.slice(0, 4));
      expect(await vault.verifyInclusion(other.root, items[0], batchProof(other, items[0]))).to.equal(false);
      await (await vault.connect(party).anchor(caseId, other.root, EvidenceCategory.IMAGE, META)).wait();
      expect(await vault.verifyInclusion(other.root, items[0], batchProof(other, items[0]))).to.equal(false);
    });

    it("refuses an empty batch and a root anchored already", async function () {
      const { vault, party, caseId } = await batched();
      const root = ethers.id("root");
      await expect(vault.connect(party).anchorBatch(party.address, caseId, root, 0, EvidenceCategory.IMAGE, META))
        .to.be.revertedWithCustomError(vault, "EvidenceEmptyBatch")
        .withArgs(root, 0n);
      await expect(vault.connect(party).anchorBatch(party.address, caseId, tree.root, 100, EvidenceCategory.IMAGE, META))
        .to.be.revertedWithCustomError(vault, "EvidenceAlreadyAnchored")
        .withArgs(tree.root, (await vault.anchorOf(tree.root)).anchoredAt);
    });
  });

  describe("chain of custody", function () {
    async function logged() {
      const f = await anchored();
      const { vault, clerk, judge, office, party, regulator } = f;
      await (await vault.connect(f.clerk).grantAccess(f.caseId, clerk.address, Topics.COURT_CLERK, SUBMIT | LOG | DECIDE)).wait();
      await (await vault.connect(clerk).logCustody(clerk.address, DOC, CustodyAction.UPLOAD, REASON)).wait();
      await (await vault.connect(judge).logCustody(judge.address, DOC, CustodyAction.REVIEW, ethers.id("review"))).wait();
      await (await vault.connect(office).logCustody(judge.address, DOC, CustodyAction.APPROVE, ethers.id("approval"))).wait();
      await (await vault.connect(office).logCustody(judge.address, DOC, CustodyAction.VIEW, ZeroHash)).wait();
      await (await vault.connect(party).logCustody(party.address, DOC, CustodyAction.DOWNLOAD, ZeroHash)).wait();
      await (await vault.connect(regulator).logCustody(regulator.address, DOC, CustodyAction.SENSITIVE_OPERATION, ethers.id("audit"))).wait();
      return f;
    }

    it("links each entry to the previous one: the head is the hash of the last entry", async function () {
      const { vault, judge } = await anchored();
      const tx = vault.connect(judge).logCustody(judge.address, DOC, CustodyAction.REVIEW, REASON);
      await expect(tx).to.emit(vault, "CustodyLogged");
      const t = await time.latest();
      const head1 = custodyEntry(ZeroHash, { hash: DOC, action: CustodyAction.REVIEW, actor: judge.address, reasonHash: REASON, time: t });
      expect(await vault.custodyHeadOf(DOC)).to.equal(head1);
      await expect(vault.connect(judge).logCustody(judge.address, DOC, CustodyAction.VIEW, ZeroHash))
        .to.emit(vault, "CustodyLogged")
        .withArgs(DOC, judge.address, CustodyAction.VIEW, ZeroHash, t + 1, custodyEntry(head1, { hash: DOC, action: CustodyAction.VIEW, actor: judge.address, reasonHash: ZeroHash, time: t + 1 }));
    });

    it("is recomputed from events to the vault's head, and the ledger folds to the accumulator", async function () {
      const { vault } = await logged();
      const log = await readCustodyLog(vault, DOC);
      expect(log.map((e) => e.action)).to.deep.equal([
        CustodyAction.UPLOAD,
        CustodyAction.REVIEW,
        CustodyAction.APPROVE,
        CustodyAction.VIEW,
        CustodyAction.DOWNLOAD,
        CustodyAction.SENSITIVE_OPERATION,
      ]);
      expect(verifyCustodyChain(DOC, log, await vault.custodyHeadOf(DOC))).to.deep.equal([]);
      const ledger = await readLedger(vault);
      expect(ledger.entries.map((e) => e.kind)).to.deep.equal(["anchor", ...Array(6).fill("custody")]);
      expect(ledger.accumulator).to.equal(await vault.accumulator());
    });

    it("detects a removed entry, an altered entry, a reordered log and a log cut short", async function () {
      const { vault } = await logged();
      const log = await readCustodyLog(vault, DOC);
      const head = await vault.custodyHeadOf(DOC);
      const removed = [...log.slice(0, 2), ...log.slice(3)];
      expect(verifyCustodyChain(DOC, removed, head)[0]).to.match(/^custody\.entries\[2\]: does not link/);
      const altered = log.map((e, i) => (i === 1 ? { ...e, actor: ZeroAddress } : e));
      expect(verifyCustodyChain(DOC, altered, head)[0]).to.match(/^custody\.entries\[1\]: does not link/);
      const retimed = log.map((e, i) => (i === 4 ? { ...e, time: e.time + 1 } : e));
      expect(verifyCustodyChain(DOC, retimed, head)[0]).to.match(/^custody\.entries\[4\]/);
      const swapped = [log[1], log[0], ...log.slice(2)];
      expect(verifyCustodyChain(DOC, swapped, head).length).to.be.greaterThan(0);
      expect(verifyCustodyChain(DOC, log.slice(0, 5), head)).to.deep.equal([
        `custody.entries: the log ends at ${log[4].head.slice(0, 10)}… but the vault's head is ${head.slice(0, 10)}…: entries are missing or altered`,
      ]);
    });

    it("asks DECIDE for review, approval and rejection, LOG for handling; refuses strangers and unknown actions", async function () {
      const { vault, party, judge, lawyer, stranger, caseId } = await anchored();
      for (const action of [CustodyAction.REVIEW, CustodyAction.APPROVE, CustodyAction.REJECT]) {
        await expect(vault.connect(party).logCustody(party.address, DOC, action, REASON))
          .to.be.revertedWithCustomError(vault, "EvidenceNotPermitted")
          .withArgs(caseId, party.address, DECIDE);
      }
      await expect(vault.connect(lawyer).logCustody(lawyer.address, DOC, CustodyAction.VIEW, REASON))
        .to.be.revertedWithCustomError(vault, "EvidenceNotPermitted")
        .withArgs(caseId, lawyer.address, LOG);
      await expect(vault.connect(stranger).logCustody(judge.address, DOC, CustodyAction.VIEW, REASON))
        .to.be.revertedWithCustomError(vault, "IdentityGateNotController")
        .withArgs(judge.address, stranger.address);
      await expect(vault.connect(judge).logCustody(judge.address, DOC, 8, REASON)).to.be.revertedWithCustomError(vault, "EvidenceUnknownAction").withArgs(8);
      await expect(vault.connect(judge).logCustody(judge.address, ethers.id("never anchored"), CustodyAction.VIEW, REASON))
        .to.be.revertedWithCustomError(vault, "EvidenceNotAnchored")
        .withArgs(ethers.id("never anchored"));
      expect(await vault.custodyHeadOf(DOC)).to.equal(ZeroHash);
    });
  });

  describe("witnessed finality", function () {
    const far = () => BigInt(Date.now()) / 1000n + YEAR;

    it("below the threshold is not final; at the threshold it is, once", async function () {
      const { vault, relayer, cosignature, witnesses } = await anchored();
      const deadline = far();
      expect(await vault.isFinal(DOC)).to.equal(false);
      await expect(vault.connect(relayer).cosign(DOC, witnesses[0], deadline, await cosignature(witnessKeys.notaryA, DOC, deadline)))
        .to.emit(vault, "Cosigned")
        .withArgs(DOC, witnesses[0], 1n)
        .and.not.to.emit(vault, "Finalized");
      expect(await vault.isFinal(DOC)).to.equal(false);
      await expect(vault.connect(relayer).cosign(DOC, witnesses[2], deadline, await cosignature(witnessKeys.arbitration, DOC, deadline)))
        .to.emit(vault, "Finalized")
        .withArgs(DOC, 2n);
      expect(await vault.isFinal(DOC)).to.equal(true);
      expect(await vault.cosignersOf(DOC)).to.deep.equal([witnesses[0], witnesses[2]]);
      expect((await vault.anchorOf(DOC)).witnessed).to.equal(0b101n);
      await expect(vault.connect(relayer).cosign(DOC, witnesses[1], deadline, await cosignature(witnessKeys.notaryB, DOC, deadline)))
        .to.emit(vault, "Cosigned")
        .withArgs(DOC, witnesses[1], 3n)
        .and.not.to.emit(vault, "Finalized");
    });

    it("takes co-signatures in one transaction, all or none", async function () {
      const { vault, relayer, cosignature, witnesses } = await anchored();
      const deadline = far();
      const a = { witness: witnesses[0], deadline, signature: await cosignature(witnessKeys.notaryA, DOC, deadline) };
      const b = { witness: witnesses[1], deadline, signature: await cosignature(witnessKeys.notaryB, DOC, deadline) };
      const forged = { witness: witnesses[2], deadline, signature: await cosignature(witnessKeys.notaryB, DOC, deadline, witnesses[2]) };
      await expect(vault.connect(relayer).cosignAll(DOC, [a, b, forged]))
        .to.be.revertedWithCustomError(vault, "InvalidSignature")
        .withArgs(witnesses[2]);
      expect((await vault.anchorOf(DOC)).witnessed).to.equal(0n);
      await expect(vault.connect(relayer).cosignAll(DOC, [])).to.be.revertedWithCustomError(vault, "EvidenceNoCosignatures");
      await expect(vault.connect(relayer).cosignAll(DOC, [a, a]))
        .to.be.revertedWithCustomError(vault, "EvidenceAlreadyWitnessed")
        .withArgs(DOC, witnesses[0]);
      await expect(vault.connect(relayer).cosignAll(DOC, [a, b]))
        .to.emit(vault, "Cosigned")
        .withArgs(DOC, witnesses[1], 2n)
        .and.to.emit(vault, "Finalized")
        .withArgs(DOC, 2n);
      expect(await vault.isFinal(DOC)).to.equal(true);
    });

    it("refuses a duplicate witness, a replayed signature, a non-witness and an anchor that does not exist", async function () {
      const { vault, relayer, cosignature, witnesses, caseId, party } = await anchored();
      const deadline = far();
      const signature = await cosignature(witnessKeys.notaryA, DOC, deadline);
      await (await vault.connect(relayer).cosign(DOC, witnesses[0], deadline, signature)).wait();
      await expect(vault.connect(party).cosign(DOC, witnesses[0], deadline, signature))
        .to.be.revertedWithCustomError(vault, "EvidenceAlreadyWitnessed")
        .withArgs(DOC, witnesses[0]);
      const outsider = witnessKeys.notaryA.address === party.address ? relayer.address : party.address;
      await expect(vault.connect(relayer).cosign(DOC, outsider, deadline, signature))
        .to.be.revertedWithCustomError(vault, "EvidenceNotWitness")
        .withArgs(caseId, outsider);
      const missing = ethers.id("never anchored");
      await expect(vault.connect(relayer).cosign(missing, witnesses[0], deadline, await cosignature(witnessKeys.notaryA, missing, deadline)))
        .to.be.revertedWithCustomError(vault, "EvidenceNotAnchored")
        .withArgs(missing);
      expect((await vault.anchorOf(DOC)).witnessed).to.equal(1n);
    });

    it("a struck witness can no longer co-sign; its earlier co-signatures stay", async function () {
      const { vault, credentials, issuer, credentialIds, relayer, stranger, cosignature, witnesses, caseId, party } = await anchored();
      const deadline = far();
      await (await vault.connect(relayer).cosign(DOC, witnesses[0], deadline, await cosignature(witnessKeys.notaryA, DOC, deadline))).wait();
      await expect(vault.connect(stranger).strikeLapsedWitness(caseId, witnesses[0]))
        .to.be.revertedWithCustomError(vault, "EvidenceCredentialStillValid")
        .withArgs(witnesses[0], Topics.NOTARY);
      await (await credentials.connect(issuer).revoke(credentialIds.notaryA)).wait();
      await (await credentials.connect(issuer).suspend(credentialIds.notaryB)).wait();
      await expect(vault.connect(stranger).strikeLapsedWitness(caseId, witnesses[1]))
        .to.emit(vault, "WitnessStruck")
        .withArgs(caseId, witnesses[1], Topics.NOTARY, stranger.address);
      await expect(vault.connect(stranger).strikeLapsedWitness(caseId, witnesses[1]))
        .to.be.revertedWithCustomError(vault, "EvidenceWitnessStruck")
        .withArgs(caseId, witnesses[1]);
      await expect(vault.connect(stranger).strikeLapsedWitness(caseId, party.address))
        .to.be.revertedWithCustomError(vault, "EvidenceNotWitness")
        .withArgs(caseId, party.address);
      expect((await vault.witnessSeatOf(caseId, witnesses[1])).struck).to.equal(true);
      await expect(vault.connect(relayer).cosign(DOC, witnesses[1], deadline, await cosignature(witnessKeys.notaryB, DOC, deadline)))
        .to.be.revertedWithCustomError(vault, "EvidenceWitnessStruck")
        .withArgs(caseId, witnesses[1]);
      expect(await vault.cosignersOf(DOC)).to.deep.equal([witnesses[0]]);
    });

    it("a case without witnesses makes its anchors final at once", async function () {
      const { vault, clerk, otherParty } = await loadFixture(fixture);
      await (await vault.connect(clerk).openCase(clerk.address, ethers.id("(2025) case 2"), [], [], 0)).wait();
      await (await vault.connect(clerk).grantAccess(2n, otherParty.address, Topics.CASE_PARTY, SUBMIT)).wait();
      expect(await vault.isFinal(DOC)).to.equal(false);
      await (await vault.connect(otherParty).anchor(2n, DOC, EvidenceCategory.EMAIL, META)).wait();
      expect(await vault.isFinal(DOC)).to.equal(true);
      expect(await vault.cosignersOf(DOC)).to.deep.equal([]);
    });
  });

  describe("versions and disputes", function () {
    const V2 = ethers.id("loan contract v2.pdf");

    it("a new version links to the one it supersedes; nothing is overwritten", async function () {
      const { vault, party, lawyer, caseId } = await anchored();
      const before = await vault.anchorOf(DOC);
      await expect(vault.connect(lawyer).supersede(lawyer.address, DOC, V2, EvidenceCategory.CONTRACT, META))
        .to.emit(vault, "Anchored")
        .withArgs(V2, caseId, lawyer.address, EvidenceCategory.CONTRACT, META)
        .and.to.emit(vault, "Superseded")
        .withArgs(DOC, V2);
      expect(await vault.anchorOf(DOC)).to.deep.equal(before);
      expect(await vault.versionsOf(DOC)).to.deep.equal([ZeroHash, V2]);
      expect(await vault.versionsOf(V2)).to.deep.equal([DOC, ZeroHash]);
      await expect(vault.connect(party).supersede(party.address, DOC, ethers.id("v3"), EvidenceCategory.CONTRACT, META))
        .to.be.revertedWithCustomError(vault, "EvidenceAlreadySuperseded")
        .withArgs(DOC, V2);
      await expect(vault.connect(party).supersede(party.address, ethers.id("nothing"), V2, EvidenceCategory.CONTRACT, META))
        .to.be.revertedWithCustomError(vault, "EvidenceNotAnchored")
        .withArgs(ethers.id("nothing"));
      const ledger = await readLedger(vault);
      expect(ledger.accumulator).to.equal(await vault.accumulator());
    });

    it("a party disputes an anchor: it is marked, the reason recorded; a judge or a stranger cannot", async function () {
      const { vault, party, lawyer, judge, stranger, caseId } = await anchored();
      const before = await vault.anchorOf(DOC);
      const accumulator = await vault.accumulator();
      await expect(vault.connect(party).dispute(party.address, DOC, REASON)).to.emit(vault, "Disputed");
      const t = await time.latest();
      expect(await vault.accumulator()).to.equal(fold(accumulator, disputeEntry({ hash: DOC, party: party.address, reasonHash: REASON, time: t })));
      const after = await vault.anchorOf(DOC);
      expect(after.flags).to.equal(BigInt(AnchorFlag.DISPUTED));
      expect([after.submitter, after.anchoredAt, after.caseId, after.category]).to.deep.equal([before.submitter, before.anchoredAt, before.caseId, before.category]);
      await expect(vault.connect(lawyer).dispute(lawyer.address, DOC, ethers.id("second reason")))
        .to.emit(vault, "Disputed")
        .withArgs(DOC, lawyer.address, ethers.id("second reason"), t + 1);
      await expect(vault.connect(judge).dispute(judge.address, DOC, REASON))
        .to.be.revertedWithCustomError(vault, "EvidenceNotPermitted")
        .withArgs(caseId, judge.address, DISPUTE);
      await expect(vault.connect(stranger).dispute(party.address, DOC, REASON))
        .to.be.revertedWithCustomError(vault, "IdentityGateNotController")
        .withArgs(party.address, stranger.address);
      await expect(vault.connect(party).dispute(party.address, DOC, ZeroHash)).to.be.revertedWithCustomError(vault, "EvidenceZeroHash");
      const ledger = await readLedger(vault);
      expect(ledger.entries.map((e) => e.kind)).to.deep.equal(["anchor", "dispute", "dispute"]);
      expect(ledger.accumulator).to.equal(await vault.accumulator());
    });
  });

  describe("checkpoint", function () {
    it("publishes the accumulator with a sequence number; refused when nothing is new", async function () {
      const { vault, stranger, party, caseId } = await loadFixture(fixture);
      await expect(vault.connect(stranger).checkpoint()).to.be.revertedWithCustomError(vault, "EvidenceCheckpointUnchanged").withArgs(0n, ZeroHash);
      await (await vault.connect(party).anchor(caseId, DOC, EvidenceCategory.CONTRACT, META)).wait();
      const accumulator = await vault.accumulator();
      await expect(vault.connect(stranger).checkpoint()).to.emit(vault, "Checkpointed").withArgs(1n, accumulator, (await time.latest()) + 1);
      expect(await vault.lastCheckpoint()).to.deep.equal([1n, accumulator]);
      await expect(vault.connect(stranger).checkpoint()).to.be.revertedWithCustomError(vault, "EvidenceCheckpointUnchanged").withArgs(1n, accumulator);
      await (await vault.connect(party).logCustody(party.address, DOC, CustodyAction.VIEW, ZeroHash)).wait();
      await expect(vault.connect(party).checkpoint()).to.emit(vault, "Checkpointed").withArgs(2n, await vault.accumulator(), (await time.latest()) + 1);
      const ledger = await readLedger(vault);
      expect(ledger.checkpoints.map((c) => [c.sequence, c.entries])).to.deep.equal([
        [1, 1],
        [2, 2],
      ]);
    });
  });
});

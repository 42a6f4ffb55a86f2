/**
 * State-changing functions of the suite that anyone may call: the access matrix
 * (test/security/access-matrix.test.ts) lets these through, every other state-changing function of every deployed
 * contract must revert for a stranger.
 *
 * Not listed, on purpose:
 * - functions that act on an identity, a credential or an issuer given as a parameter (DIDRegistry.changeOwner,
 *   CredentialRegistry.revoke, ...): refused unless the caller controls it, so a stranger is refused;
 * - relays (`...BySig`, `...Signed`, `initiateRecovery`): anyone may send them, but only with valid signatures of the
 *   accounts in charge, so a stranger with junk signatures is refused.
 *
 * Each entry says why it is open; a `probe` shows that the stranger, calling it against state it does not own,
 * changes nothing it should not. The matrix fails for an entry naming a function no deployed contract has.
 */
import { expect } from "chai";
import { ZeroAddress, ZeroHash } from "ethers";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { Topics } from "../../deploy/topics.js";
import type { NetworkConnection } from "hardhat/types/network";
import { Roles } from "../../deploy/roles.js";
import { SIG_AUTH, type LivedInSuite } from "./suite-state.js";

export type ProbeContext = LivedInSuite & Pick<NetworkConnection, "ethers" | "networkHelpers">;

export interface OpenFunction {
  /** Artifact name of the contract (a proxy is named by its implementation). */
  contract: string;
  /** Function signature as in the ABI, e.g. `executeRecovery(address)`. */
  signature: string;
  /** Why anyone may call it. */
  reason: string;
  /** Called by the stranger against the lived-in suite: what it may and may not do. */
  probe?: (context: ProbeContext) => Promise<void>;
}

export const openFunctions: OpenFunction[] = [
  {
    contract: "DIDRegistry",
    signature: "executeRecovery(address)",
    reason:
      "Completes a recovery the identity's guardians started, once the delay the owner had to cancel it has passed. " +
      "The caller chooses nothing: the new owner is the one the guardians signed for.",
    async probe({ dids, stranger, recoveree, rescuer, victim, subject }) {
      const asStranger = dids.connect(stranger);
      // Where nothing is pending, or the delay is not over, the stranger is refused.
      await expect(asStranger.executeRecovery(subject.address))
        .to.be.revertedWithCustomError(dids, "DIDRecoveryNotPending")
        .withArgs(subject.address);
      const [, victimReadyAt] = await dids.pendingRecovery(victim.address);
      await expect(asStranger.executeRecovery(victim.address)).to.be.revertedWithCustomError(dids, "DIDRecoveryNotReady");
      expect(await dids.identityOwner(victim.address)).to.equal(victim.address);

      // A matured recovery: the stranger runs it and the guardians' choice, not the stranger, owns the identity.
      const strangerNonce = await dids.nonce(stranger.address);
      await expect(asStranger.executeRecovery(recoveree.address))
        .to.emit(dids, "DIDRecoveryExecuted")
        .withArgs(recoveree.address, rescuer.address);
      expect(await dids.identityOwner(recoveree.address)).to.equal(rescuer.address);
      expect(await dids.pendingRecovery(recoveree.address)).to.deep.equal([ZeroAddress, 0n]);
      expect(await dids.isController(recoveree.address, stranger.address, SIG_AUTH)).to.equal(false);
      expect(await dids.nonce(stranger.address)).to.equal(strangerNonce);
      await expect(asStranger.executeRecovery(recoveree.address)).to.be.revertedWithCustomError(dids, "DIDRecoveryNotPending");
      // The victim's recovery is untouched: same new owner, same time.
      expect(await dids.pendingRecovery(victim.address)).to.deep.equal([rescuer.address, victimReadyAt]);
    },
  },
  {
    contract: "AccessManager",
    signature: "renounceRole(uint64,address)",
    reason:
      "Lets an account give up a role it holds; the confirmation must be the caller itself, so nobody renounces a role for another account.",
    async probe({ accessManager, stranger, deployer }) {
      const asStranger = accessManager.connect(stranger);
      for (const role of [Roles.ADMIN, Roles.UPGRADER, Roles.GUARDIAN, Roles.DIRECTORY_EDITOR, Roles.TOPIC_ADMIN]) {
        const before = await accessManager.hasRole(role, deployer.address);
        await expect(asStranger.renounceRole(role, deployer.address)).to.be.revertedWithCustomError(
          accessManager,
          "AccessManagerBadConfirmation",
        );
        // Renouncing a role it does not hold changes nothing and emits nothing.
        await expect(asStranger.renounceRole(role, stranger.address)).not.to.emit(accessManager, "RoleRevoked");
        expect(await accessManager.hasRole(role, deployer.address)).to.deep.equal(before);
        expect((await accessManager.hasRole(role, stranger.address))[0]).to.equal(false);
      }
      expect((await accessManager.hasRole(Roles.ADMIN, deployer.address))[0]).to.equal(true);
    },
  },
  {
    contract: "AccessManager",
    signature: "multicall(bytes[])",
    reason:
      "Batches calls to the manager itself by delegatecall: every call of the batch runs with the caller's own rights, " +
      "so a batch can do nothing its caller could not do call by call.",
    async probe({ accessManager, stranger, scheduled }) {
      const asStranger = accessManager.connect(stranger);
      const iface = accessManager.interface;
      const grant = iface.encodeFunctionData("grantRole", [Roles.ADMIN, stranger.address, 0]);
      const renounce = iface.encodeFunctionData("renounceRole", [Roles.ADMIN, stranger.address]);
      const execute = iface.encodeFunctionData("execute", [scheduled.target, scheduled.data]);
      await expect(asStranger.multicall([grant]))
        .to.be.revertedWithCustomError(accessManager, "AccessManagerUnauthorizedAccount")
        .withArgs(stranger.address, Roles.ADMIN);
      // A harmless call first does not lend its rights to a forbidden one.
      await expect(asStranger.multicall([renounce, grant]))
        .to.be.revertedWithCustomError(accessManager, "AccessManagerUnauthorizedAccount")
        .withArgs(stranger.address, Roles.ADMIN);
      await expect(asStranger.multicall([execute])).to.be.revertedWithCustomError(accessManager, "AccessManagerUnauthorizedCall");
      await expect(asStranger.multicall([renounce])).not.to.emit(accessManager, "RoleRevoked");
      expect((await accessManager.hasRole(Roles.ADMIN, stranger.address))[0]).to.equal(false);
      // The scheduled upgrade is still there, for its scheduler only.
      const id = await accessManager.hashOperation(scheduled.caller, scheduled.target, scheduled.data);
      expect(await accessManager.getSchedule(id)).to.not.equal(0n);
    },
  },
  {
    contract: "AccessManager",
    signature: "consumeScheduledOp(address,bytes)",
    reason:
      "Called by a managed target while it runs a scheduled operation; it consumes only an operation whose target is " +
      "the caller and which the target confirms it is consuming, so an account cannot consume operations of other targets.",
    async probe({ accessManager, stranger, scheduled, ethers }) {
      const id = await accessManager.hashOperation(scheduled.caller, scheduled.target, scheduled.data);
      const schedule = await accessManager.getSchedule(id);
      const nonce = await accessManager.getNonce(id);
      expect(schedule).to.not.equal(0n);
      // An account is no managed target (it cannot confirm it is consuming): refused.
      await expect(accessManager.connect(stranger).consumeScheduledOp(scheduled.caller, scheduled.data)).to.be.revertedWithoutReason(
        ethers,
      );
      // A contract of the stranger's that confirms it is consuming reaches only operations targeted at itself.
      const consumer = await ethers.deployContract("ScheduledOpConsumerMock", [], stranger);
      const own = await accessManager.hashOperation(scheduled.caller, await consumer.getAddress(), scheduled.data);
      await expect(consumer.consume(await accessManager.getAddress(), scheduled.caller, scheduled.data))
        .to.be.revertedWithCustomError(accessManager, "AccessManagerNotScheduled")
        .withArgs(own);
      expect(await accessManager.getSchedule(id)).to.equal(schedule);
      expect(await accessManager.getNonce(id)).to.equal(nonce);
    },
  },
  {
    contract: "DataElement",
    signature: "setApprovalForAll(address,bool)",
    reason:
      "ERC-721: any account names operators for its own certificates; it grants rights over the caller's tokens only, " +
      "never over another holder's.",
    async probe({ dataElement, dataToken, stranger, victim }) {
      const asStranger = dataElement.connect(stranger);
      await expect(asStranger.setApprovalForAll(victim.address, true))
        .to.emit(dataElement, "ApprovalForAll")
        .withArgs(stranger.address, victim.address, true);
      // The approval it set is over its own (no) tokens: the victim's token still refuses it.
      expect(await dataElement.isApprovedForAll(victim.address, stranger.address)).to.equal(false);
      await expect(asStranger.transferFrom(victim.address, stranger.address, dataToken))
        .to.be.revertedWithCustomError(dataElement, "ERC721InsufficientApproval")
        .withArgs(stranger.address, dataToken);
      await expect(asStranger.setUser(dataToken, stranger.address, 2n ** 40n))
        .to.be.revertedWithCustomError(dataElement, "DataNotHolder")
        .withArgs(dataToken, stranger.address);
      expect(await dataElement.ownerOf(dataToken)).to.equal(victim.address);
    },
  },
];

// ───────────────────────────── EvidenceVault ─────────────────────────────
// Appended with push so that each module's entries stay in its own block (modules land on separate branches).
openFunctions.push(
  {
    contract: "EvidenceVault",
    signature: "checkpoint()",
    reason:
      "Publishes the vault's running accumulator, which is public already, as the next numbered checkpoint for copying " +
      "to another chain; it records nothing new and changes no record, and is refused when nothing was recorded since the last one.",
    async probe({ evidence, stranger }) {
      const vault = evidence.vault.connect(stranger);
      const accumulator = await vault.accumulator();
      const anchor = await vault.anchorOf(evidence.document);
      expect(accumulator).to.not.equal(ZeroHash);
      await expect(vault.checkpoint()).to.emit(vault, "Checkpointed").withArgs(1n, accumulator, anyValue);
      expect(await vault.lastCheckpoint()).to.deep.equal([1n, accumulator]);
      await expect(vault.checkpoint()).to.be.revertedWithCustomError(vault, "EvidenceCheckpointUnchanged").withArgs(1n, accumulator);
      expect(await vault.accumulator()).to.equal(accumulator);
      expect(await vault.anchorOf(evidence.document)).to.deep.equal(anchor);
    },
  },
  {
    contract: "EvidenceVault",
    signature: "strikeLapsedAccess(uint32,address)",
    reason:
      "Removes a case member whose credential no longer counts (revoked, suspended, expired, issuer distrusted), so a " +
      "lapse takes effect without waiting for the clerk; members whose credential counts cannot be struck, and the caller gains nothing.",
    async probe({ evidence, stranger }) {
      const vault = evidence.vault.connect(stranger);
      const { caseId, party, lapsedParty } = evidence;
      const kept = await vault.accessOf(caseId, party.address);
      await expect(vault.strikeLapsedAccess(caseId, party.address))
        .to.be.revertedWithCustomError(vault, "EvidenceCredentialStillValid")
        .withArgs(party.address, Topics.CASE_PARTY);
      await expect(vault.strikeLapsedAccess(caseId, stranger.address))
        .to.be.revertedWithCustomError(vault, "EvidenceAccessUnchanged")
        .withArgs(caseId, stranger.address);
      await expect(vault.strikeLapsedAccess(caseId, lapsedParty.address))
        .to.emit(vault, "AccessStruck")
        .withArgs(caseId, lapsedParty.address, Topics.CASE_PARTY, stranger.address);
      expect(await vault.accessOf(caseId, lapsedParty.address)).to.deep.equal([0n, 0n, 0n]);
      expect(await vault.accessOf(caseId, party.address)).to.deep.equal(kept);
      expect(await vault.accessOf(caseId, stranger.address)).to.deep.equal([0n, 0n, 0n]);
    },
  },
  {
    contract: "EvidenceVault",
    signature: "strikeLapsedWitness(uint32,address)",
    reason:
      "Stops a witness whose credential no longer counts from co-signing; its earlier co-signatures stay. Witnesses whose " +
      "credential counts cannot be struck, and the caller gains no seat.",
    async probe({ evidence, stranger }) {
      const vault = evidence.vault.connect(stranger);
      const { caseId, witness, lapsedWitness } = evidence;
      await expect(vault.strikeLapsedWitness(caseId, witness))
        .to.be.revertedWithCustomError(vault, "EvidenceCredentialStillValid")
        .withArgs(witness, Topics.NOTARY);
      await expect(vault.strikeLapsedWitness(caseId, stranger.address))
        .to.be.revertedWithCustomError(vault, "EvidenceNotWitness")
        .withArgs(caseId, stranger.address);
      await expect(vault.strikeLapsedWitness(caseId, lapsedWitness))
        .to.emit(vault, "WitnessStruck")
        .withArgs(caseId, lapsedWitness, Topics.NOTARY, stranger.address);
      expect(await vault.witnessSeatOf(caseId, lapsedWitness)).to.deep.equal([2n, BigInt(Topics.NOTARY), true]);
      expect(await vault.witnessSeatOf(caseId, witness)).to.deep.equal([1n, BigInt(Topics.NOTARY), false]);
      expect((await vault.witnessSeatOf(caseId, stranger.address)).seat).to.equal(0n);
    },
  },
);

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
import {
  ComplianceRule__factory,
  JurisdictionRule__factory,
  LockupRule__factory,
  RWADvP__factory,
  TransferLimitRule__factory,
} from "../../typechain-types/index.js";

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

/**
 * For the rules' open functions: whatever the stranger calls on a rule lands in its own key; the issued token's
 * settings and records are unchanged.
 */
function ruleKeyProbe(contract: string) {
  return async ({ suite, stranger, victim, rwaToken, ethers }: ProbeContext) => {
    const address = suite.contracts[contract.charAt(0).toLowerCase() + contract.slice(1)].address;
    const rule = ComplianceRule__factory.connect(address, stranger);
    const token = await rwaToken.getAddress();
    const coder = ethers.AbiCoder.defaultAbiCoder();
    const settings =
      contract === "TransferLimitRule"
        ? coder.encode(["uint256", "uint256"], [1n, 1n])
        : contract === "JurisdictionRule"
          ? coder.encode(["bool", "uint16[]"], [true, [1]])
          : coder.encode(["uint256"], [1n]);
    await expect(rule.configure(settings)).to.emit(rule, "RuleConfigured").withArgs(stranger.address, settings);
    const context = { fromIdentity: victim.address, toIdentity: victim.address, fromBalance: 1n, toBalance: 0n, totalSupply: 1n, holders: 1n, forced: false };
    if (contract === "LockupRule") {
      const lockup = LockupRule__factory.connect(address, stranger);
      const before = await lockup.lockOf(token, victim.address);
      await (await lockup.transferred(stranger.address, victim.address, 10n ** 30n, context)).wait();
      await (await lockup.created(victim.address, 10n ** 30n, context)).wait();
      await (await lockup.recovered(victim.address, stranger.address)).wait();
      expect(await lockup.lockOf(token, victim.address)).to.deep.equal(before);
      expect(await lockup.periodOf(token)).to.equal(86_400n);
    } else if (contract === "TransferLimitRule") {
      const limits = TransferLimitRule__factory.connect(address, stranger);
      await (await limits.transferred(victim.address, stranger.address, 10n ** 20n, context)).wait();
      await (await limits.recovered(victim.address, stranger.address)).wait();
      expect(await limits.volumeOf(token, victim.address)).to.deep.equal([0n, 0n]);
      expect(await limits.limitsOf(token)).to.deep.equal([0n, 0n]);
    } else if (contract === "JurisdictionRule") {
      const jurisdiction = JurisdictionRule__factory.connect(address, stranger);
      expect(await jurisdiction.listOf(token, 1)).to.deep.equal([false, false]);
      expect(await jurisdiction.jurisdictionOf(victim.address)).to.equal(156n);
    }
    // The token's own rules are as the factory set them.
    expect((await rwaToken.rules()).length).to.equal(1);
  };
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
    contract: "TrustAccessManager",
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
    contract: "TrustAccessManager",
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
    contract: "TrustAccessManager",
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
  {
    contract: "RWAToken",
    signature: "approve(address,uint256)",
    reason: "ERC-20: any account sets allowances over its own tokens; an allowance moves nothing by itself and every transfer it allows is checked.",
    async probe({ rwaToken, stranger, victim }) {
      await expect(rwaToken.connect(stranger).approve(victim.address, 1n)).to.emit(rwaToken, "Approval").withArgs(stranger.address, victim.address, 1n);
      expect(await rwaToken.allowance(victim.address, stranger.address)).to.equal(0n);
      await expect(rwaToken.connect(stranger).transferFrom(victim.address, stranger.address, 1n))
        .to.be.revertedWithCustomError(rwaToken, "ERC20InsufficientAllowance")
        .withArgs(stranger.address, 0n, 1n);
    },
  },
  {
    contract: "RWAToken",
    signature: "transfer(address,uint256)",
    reason: "ERC-20: a holder moves its own tokens; pause, freezes, both parties' identities and credentials and every rule are checked.",
    async probe({ rwaToken, stranger, victim }) {
      const before = await rwaToken.balanceOf(victim.address);
      await expect(rwaToken.connect(stranger).transfer(victim.address, 1n))
        .to.be.revertedWithCustomError(rwaToken, "ERC7943InsufficientUnfrozenBalance")
        .withArgs(stranger.address, 1n, 0n);
      // Receiving needs the token's credential: the stranger cannot be paid into.
      await expect(rwaToken.connect(victim).transfer(stranger.address, 1n)).to.be.revertedWithCustomError(rwaToken, "IdentityGateMissingCredential");
      expect(await rwaToken.balanceOf(victim.address)).to.equal(before);
    },
  },
  {
    contract: "RWAToken",
    signature: "transferFrom(address,address,uint256)",
    reason: "ERC-20: spends an allowance the holder gave; the holder's freezes, identities, credentials and rules are checked as for its own transfer.",
    async probe({ rwaToken, stranger, victim }) {
      await expect(rwaToken.connect(stranger).transferFrom(victim.address, stranger.address, 1n)).to.be.revertedWithCustomError(
        rwaToken,
        "ERC20InsufficientAllowance",
      );
      expect(await rwaToken.balanceOf(stranger.address)).to.equal(0n);
    },
  },
  {
    contract: "RWAToken",
    signature: "batchTransfer(address[],uint256[])",
    reason: "ERC-3643: the caller's own transfers, each checked as a single transfer against the state the previous one left.",
    async probe({ rwaToken, stranger, victim }) {
      await expect(rwaToken.connect(stranger).batchTransfer([victim.address, victim.address], [1n, 1n])).to.be.revertedWithCustomError(
        rwaToken,
        "ERC7943InsufficientUnfrozenBalance",
      );
      await expect(rwaToken.connect(stranger).batchTransfer([], [])).to.be.revertedWithCustomError(rwaToken, "RWABatchEmpty");
    },
  },
  {
    contract: "RWADistributor",
    signature: "claim(address,uint256)",
    reason: "A holder pulls its own share of a distribution; the share is its balance at the record point, paid to the caller only, once.",
    async probe({ rwaDistributor, rwaToken, stranger, victim }) {
      const token = await rwaToken.getAddress();
      const owed = await rwaDistributor.claimable(token, 1n, victim.address);
      expect(owed).to.be.greaterThan(0n);
      await expect(rwaDistributor.connect(stranger).claim(token, 1n))
        .to.be.revertedWithCustomError(rwaDistributor, "DistributionNothingToClaim")
        .withArgs(token, 1n, stranger.address);
      expect(await rwaDistributor.claimable(token, 1n, victim.address)).to.equal(owed);
    },
  },
  {
    contract: "RWADvP",
    signature: "settle((address,bool,address,uint256,address,uint256,address,uint256,uint256),bytes,(address,bool,address,uint256,address,uint256,address,uint256,uint256),bytes)",
    reason: "Anyone may submit a match, but only of two orders signed by their makers (nonce, deadline, domain); the token checks the delivery.",
    async probe({ suite, stranger, victim, rwaToken, paymentToken, ethers }) {
      const dvp = RWADvP__factory.connect(suite.contracts.rwaDvP.address, stranger);
      const order = {
        maker: victim.address,
        sell: true,
        asset: await rwaToken.getAddress(),
        assetAmount: 1n,
        paymentToken,
        paymentAmount: 1n,
        counterparty: ethers.ZeroAddress,
        nonce: 0n,
        deadline: 2n ** 40n,
      };
      const buy = { ...order, maker: stranger.address, sell: false };
      await expect(dvp.settle(order, "0x" + "11".repeat(65), buy, "0x" + "11".repeat(65)))
        .to.be.revertedWithCustomError(dvp, "InvalidSignature")
        .withArgs(victim.address);
      expect(await dvp.nonces(victim.address)).to.equal(0n);
    },
  },
  {
    contract: "RWADvP",
    signature: "cancelNonce()",
    reason: "A maker gives up its own next nonce (cancelling its own signed order); no one else's nonce changes.",
    async probe({ suite, stranger, victim, ethers }) {
      const dvp = RWADvP__factory.connect(suite.contracts.rwaDvP.address, stranger);
      await expect(dvp.cancelNonce()).to.emit(dvp, "NonceCancelled").withArgs(stranger.address, 0n);
      expect(await dvp.nonces(victim.address)).to.equal(0n);
    },
  },
  {
    contract: "MaxBalanceRule",
    signature: "configure(bytes)",
    reason: "A rule keeps settings per calling token: the caller configures its own key only, never a token's (tokens call it from their restricted configureRule).",
    probe: ruleKeyProbe("MaxBalanceRule"),
  },
  {
    contract: "MaxHoldersRule",
    signature: "configure(bytes)",
    reason: "A rule keeps settings per calling token: the caller configures its own key only, never a token's (tokens call it from their restricted configureRule).",
    probe: ruleKeyProbe("MaxHoldersRule"),
  },
  {
    contract: "SupplyCapRule",
    signature: "configure(bytes)",
    reason: "A rule keeps settings per calling token: the caller configures its own key only, never a token's (tokens call it from their restricted configureRule).",
    probe: ruleKeyProbe("SupplyCapRule"),
  },
  {
    contract: "LockupRule",
    signature: "configure(bytes)",
    reason: "A rule keeps settings per calling token: the caller configures its own key only, never a token's (tokens call it from their restricted configureRule).",
    probe: ruleKeyProbe("LockupRule"),
  },
  {
    contract: "TransferLimitRule",
    signature: "configure(bytes)",
    reason: "A rule keeps settings per calling token: the caller configures its own key only, never a token's (tokens call it from their restricted configureRule).",
    probe: ruleKeyProbe("TransferLimitRule"),
  },
  {
    contract: "JurisdictionRule",
    signature: "configure(bytes)",
    reason: "A rule keeps settings per calling token: the caller configures its own key only, never a token's (tokens call it from their restricted configureRule).",
    probe: ruleKeyProbe("JurisdictionRule"),
  },
  {
    contract: "LockupRule",
    signature: "transferred(address,address,uint256,(address,address,uint256,uint256,uint256,uint256,bool))",
    reason: "A state hook keyed by the calling token: a caller that is not a token writes only its own key's records, never a token's.",
    probe: ruleKeyProbe("LockupRule"),
  },
  {
    contract: "LockupRule",
    signature: "created(address,uint256,(address,address,uint256,uint256,uint256,uint256,bool))",
    reason: "A state hook keyed by the calling token: a caller that is not a token writes only its own key's records, never a token's.",
    probe: ruleKeyProbe("LockupRule"),
  },
  {
    contract: "LockupRule",
    signature: "recovered(address,address)",
    reason: "A state hook keyed by the calling token: a caller that is not a token writes only its own key's records, never a token's.",
    probe: ruleKeyProbe("LockupRule"),
  },
  {
    contract: "TransferLimitRule",
    signature: "transferred(address,address,uint256,(address,address,uint256,uint256,uint256,uint256,bool))",
    reason: "A state hook keyed by the calling token: a caller that is not a token writes only its own key's records, never a token's.",
    probe: ruleKeyProbe("TransferLimitRule"),
  },
  {
    contract: "TransferLimitRule",
    signature: "recovered(address,address)",
    reason: "A state hook keyed by the calling token: a caller that is not a token writes only its own key's records, never a token's.",
    probe: ruleKeyProbe("TransferLimitRule"),
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

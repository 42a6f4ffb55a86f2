import type { NetworkConnection } from "hardhat/types/network";
import type { DeploymentParameters } from "@nomicfoundation/ignition-core";
import EvidenceModule from "../../deploy/modules/Evidence.js";
import {
  AccessManager__factory,
  CredentialRegistry__factory,
  DIDRegistry__factory,
  EvidenceVault__factory,
  TrustDirectory__factory,
} from "../../typechain-types/index.js";
import { Topics } from "../../deploy/topics.js";
import { EvidencePermission, EvidenceVaultTypes, evidenceDomain } from "../../sdk/evidence.js";
import { testWallet } from "../helpers/signatures.js";
import type { Wallet } from "ethers";

export const YEAR = 365n * 24n * 3600n;
export const { SUBMIT, LOG, DECIDE, DISPUTE } = EvidencePermission;
export const COURT_REF = "0x" + "c0".repeat(32);

/** Witness keys: deterministic, so their signatures can be built off chain; their addresses are their DIDs. */
export const witnessKeys = {
  notaryA: testWallet("evidence.witness.notary-a"),
  notaryB: testWallet("evidence.witness.notary-b"),
  arbitration: testWallet("evidence.witness.arbitration"),
};

/**
 * The EvidenceVault as the Ignition module deploys it (with the identity layer), one trusted issuer for every court
 * topic, credentials for the cast, and case 1 opened by the clerk: three witnesses (two notaries, the arbitration
 * commission), two co-signatures needed; the party, its lawyer, the judge (and its office system as sigAuth delegate)
 * admitted.
 */
export async function deployEvidence(connection: NetworkConnection, parameters?: DeploymentParameters) {
  const { ethers, ignition, networkHelpers } = connection;
  const [admin, issuer, clerk, judge, party, lawyer, office, regulator, stranger, relayer, otherClerk, otherParty] =
    await ethers.getSigners();
  const deployed = await ignition.deploy(EvidenceModule, parameters ? { parameters } : {});
  const vault = EvidenceVault__factory.connect(await deployed.evidenceVault.getAddress(), admin);
  const accessManager = AccessManager__factory.connect(await deployed.accessManager.getAddress(), admin);
  const directory = TrustDirectory__factory.connect(await deployed.directory.getAddress(), admin);
  const dids = DIDRegistry__factory.connect(await deployed.didRegistry.getAddress(), admin);
  const credentials = CredentialRegistry__factory.connect(await deployed.credentialRegistry.getAddress(), admin);

  for (const topic of [Topics.COURT_CLERK, Topics.JUDGE, Topics.NOTARY, Topics.REGULATOR, Topics.LAWYER, Topics.CASE_PARTY, Topics.ARBITRATOR]) {
    await (await credentials.setIssuerTrust(topic, issuer.address, true)).wait();
  }
  const now = BigInt(await networkHelpers.time.latest());
  const credentialIds: Record<string, string> = {};
  const issue = async (label: string, subject: string, topic: number) => {
    credentialIds[label] = ethers.id(`evidence:${label}`);
    await (await credentials.connect(issuer).issue(credentialIds[label], issuer.address, subject, topic, now, now + YEAR)).wait();
  };
  await issue("clerk", clerk.address, Topics.COURT_CLERK);
  await issue("otherClerk", otherClerk.address, Topics.COURT_CLERK);
  await issue("judge", judge.address, Topics.JUDGE);
  await issue("party", party.address, Topics.CASE_PARTY);
  await issue("otherParty", otherParty.address, Topics.CASE_PARTY);
  await issue("lawyer", lawyer.address, Topics.LAWYER);
  await issue("regulator", regulator.address, Topics.REGULATOR);
  await issue("notaryA", witnessKeys.notaryA.address, Topics.NOTARY);
  await issue("notaryB", witnessKeys.notaryB.address, Topics.NOTARY);
  await issue("arbitration", witnessKeys.arbitration.address, Topics.ARBITRATOR);
  await (await dids.connect(judge).addDelegate(judge.address, ethers.encodeBytes32String("sigAuth"), office.address, YEAR)).wait();

  const witnesses = [witnessKeys.notaryA.address, witnessKeys.notaryB.address, witnessKeys.arbitration.address];
  const witnessTopics = [Topics.NOTARY, Topics.NOTARY, Topics.ARBITRATOR];
  await (await vault.connect(clerk).openCase(clerk.address, COURT_REF, witnesses, witnessTopics, 2)).wait();
  const caseId = 1n;
  await (await vault.connect(clerk).grantAccess(caseId, party.address, Topics.CASE_PARTY, SUBMIT | LOG | DISPUTE)).wait();
  await (await vault.connect(clerk).grantAccess(caseId, lawyer.address, Topics.LAWYER, SUBMIT | DISPUTE)).wait();
  await (await vault.connect(clerk).grantAccess(caseId, judge.address, Topics.JUDGE, LOG | DECIDE)).wait();
  await (await vault.connect(clerk).grantAccess(caseId, regulator.address, Topics.REGULATOR, LOG)).wait();

  const { chainId } = await ethers.provider.getNetwork();
  const domain = evidenceDomain(chainId, await vault.getAddress());
  const cosignature = (key: Wallet, hash: string, deadline: bigint, witness = key.address) =>
    key.signTypedData(domain, EvidenceVaultTypes.Cosign, { hash, witness, deadline });

  return {
    vault,
    accessManager,
    directory,
    dids,
    credentials,
    credentialIds,
    domain,
    chainId,
    caseId,
    witnesses,
    witnessTopics,
    cosignature,
    now,
    admin,
    issuer,
    clerk,
    judge,
    party,
    lawyer,
    office,
    regulator,
    stranger,
    relayer,
    otherClerk,
    otherParty,
  };
}

/**
 * The whole suite as scripts/lib/suite.ts deploys it, with state that belongs to other people — the state a
 * stranger would want to take over — and the stranger: a fresh account with no role, no credential and no
 * ownership. Shared by the access matrix and the probes of test/security/open-functions.ts.
 */
import { Wallet, ZeroAddress, encodeBytes32String } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import { deploySuite, type SuiteDeployment } from "../../scripts/lib/suite.js";
import { Roles } from "../../deploy/roles.js";
import { Topics } from "../../deploy/topics.js";
import { moduleName } from "../../deploy/lib.js";
import { DIDRegistryTypes, domainOf } from "../../sdk/eip712.js";
import {
  AccessManager__factory,
  BillOfLading__factory,
  CredentialRegistry__factory,
  DataElement__factory,
  DataRevenue__factory,
  JurisdictionRule__factory,
  RWADistributor__factory,
  RWAFactory__factory,
  RWAToken__factory,
  DIDRegistry__factory,
  TestStablecoin__factory,
  TraceRegistry__factory,
  EvidenceVault__factory,
  TrustDirectory__factory,
} from "../../typechain-types/index.js";

export const YEAR = 365n * 24n * 3600n;
export const RECOVERY_DELAY = 3600n;
export const VICTIM_RECOVERY_DELAY = 30n * 24n * 3600n;
export const SIG_AUTH = encodeBytes32String("sigAuth");

/** Ascending by address, as initiateRecovery wants its signers. */
function ascending<T extends { address: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
}

export async function livedInSuite(connection: NetworkConnection) {
  const { ethers, networkHelpers } = connection;
  const suite: SuiteDeployment = await deploySuite(connection);
  const [deployer, victim, victimDelegate, issuer, subject, guardianA, guardianB, recoveree, rescuer] =
    await ethers.getSigners();
  const guardians = ascending([guardianA, guardianB]);

  const accessManager = AccessManager__factory.connect(suite.contracts.accessManager.address, deployer);
  const directory = TrustDirectory__factory.connect(suite.contracts.directory.address, deployer);
  const dids = DIDRegistry__factory.connect(suite.contracts.didRegistry.address, deployer);
  const credentials = CredentialRegistry__factory.connect(suite.contracts.credentialRegistry.address, deployer);
  const implementation = suite.contracts.credentialRegistryImplementation.address;
  const { chainId } = await ethers.provider.getNetwork();
  const now = async () => BigInt((await ethers.provider.getBlock("latest"))!.timestamp);

  // Credentials: a trusted issuer; an active KYC credential of the victim, a suspended one of another subject.
  await (await credentials.setIssuerTrust(Topics.KYC, issuer.address, true)).wait();
  const activeCredential = ethers.id("security/credential/victim-kyc");
  const suspendedCredential = ethers.id("security/credential/subject-kyc");
  const t0 = await now();
  await (await credentials.connect(issuer).issue(activeCredential, issuer.address, victim.address, Topics.KYC, t0, t0 + YEAR)).wait();
  await (await credentials.connect(issuer).issue(suspendedCredential, issuer.address, subject.address, Topics.KYC, t0, t0 + YEAR)).wait();
  await (await credentials.connect(issuer).suspend(suspendedCredential)).wait();

  // The victim's DID: a sigAuth delegate and two guardians (2 of 2, a month's delay), who started a recovery
  // towards `rescuer`: pending, not executable before the month is over.
  await (await dids.connect(victim).addDelegate(victim.address, SIG_AUTH, victimDelegate.address, YEAR)).wait();
  await (
    await dids.connect(victim).setGuardians(victim.address, guardians.map((g) => g.address), 2, Number(VICTIM_RECOVERY_DELAY))
  ).wait();
  const domain = domainOf("DIDRegistry", chainId, await dids.getAddress());
  const startRecovery = async (identity: string, signers: typeof guardians) => {
    const [, , , nonce] = await dids.guardiansOf(identity);
    const deadline = (await now()) + 3600n;
    const value = { identity, newOwner: rescuer.address, nonce, deadline };
    const signatures = await Promise.all(signers.map((g) => g.signTypedData(domain, DIDRegistryTypes.Recover, value)));
    await (await dids.initiateRecovery(identity, rescuer.address, deadline, signers.map((g) => g.address), signatures)).wait();
  };
  await startRecovery(victim.address, guardians);

  // Another DID whose guardian started a recovery towards `rescuer`; its delay has passed.
  await (await dids.connect(recoveree).setGuardians(recoveree.address, [guardianA.address], 1, Number(RECOVERY_DELAY))).wait();
  await startRecovery(recoveree.address, [guardianA]);
  await networkHelpers.time.increase(RECOVERY_DELAY + 1n);

  // Governance: an upgrade of the credential registry scheduled by the upgrader, its delay over.
  const scheduledData = credentials.interface.encodeFunctionData("upgradeToAndCall", [implementation, "0x"]);
  const scheduledTarget = await credentials.getAddress();
  await (await accessManager.schedule(scheduledTarget, scheduledData, 0)).wait();
  const [, upgradeDelay] = await accessManager.hasRole(Roles.UPGRADER, deployer.address);
  await networkHelpers.time.increase(BigInt(upgradeDelay) + 1n);

  // Data elements: the victim's registered data set (payees: the holder and the subject), offered to members; the
  // subject rented it (a paid use right running) and both payees have credit in DataRevenue.
  const dataElement = DataElement__factory.connect(suite.contracts.dataElement.address, deployer);
  const dataRevenue = DataRevenue__factory.connect(suite.contracts.dataRevenue.address, deployer);
  const stablecoin = await new TestStablecoin__factory(deployer).deploy("Test Dollar", "TUSD");
  const paymentToken = await stablecoin.getAddress();
  await (await dataElement.setPaymentToken(paymentToken, true)).wait();
  const t1 = await now();
  for (const [topic, holder] of [
    [Topics.DATA_PROVIDER, victim],
    [Topics.DATA_EXCHANGE_MEMBER, subject],
  ] as const) {
    await (await credentials.setIssuerTrust(topic, issuer.address, true)).wait();
    const credential = ethers.id(`security/credential/${holder.address}/${topic}`);
    await (await credentials.connect(issuer).issue(credential, issuer.address, holder.address, topic, t1, t1 + YEAR)).wait();
  }
  const dataHash = ethers.id("security/data/victim-dataset");
  const dataToken = BigInt(dataHash);
  await (
    await dataElement.connect(victim).register(dataHash, 2, 1, 500, "", [
      { account: ZeroAddress, bps: 6000 },
      { account: subject.address, bps: 4000 },
    ])
  ).wait();
  await (await dataElement.connect(victim).setOperator(dataToken, victimDelegate.address)).wait();
  const offer = {
    paymentToken,
    pricePerSecond: 1000n,
    minDuration: 3600n,
    maxDuration: YEAR,
    topic: Topics.DATA_EXCHANGE_MEMBER,
    requiresPresentation: false,
  };
  await (await dataElement.connect(victimDelegate).publishOffer(dataToken, offer)).wait();
  await (await stablecoin.mint(subject.address, 10n ** 12n)).wait();
  await (await stablecoin.connect(subject).approve(await dataElement.getAddress(), 10n ** 12n)).wait();
  await (await dataElement.connect(subject).rent(dataToken, 30n * 24n * 3600n, 10n ** 12n)).wait();

  // Trade: the subject, a licensed carrier, issued the victim a to-order bill (one sea leg it carries itself).
  const billOfLading = BillOfLading__factory.connect(suite.contracts.billOfLading.address, deployer);
  await (await credentials.setIssuerTrust(Topics.CARRIER, issuer.address, true)).wait();
  await (
    await credentials.connect(issuer).issue(ethers.id("security/credential/subject-carrier"), issuer.address, subject.address, Topics.CARRIER, t1, t1 + YEAR)
  ).wait();
  const billLegs = [{ mode: 0, carrier: subject.address, from: "0x434e534841", to: "0x4e4c525454" }];
  const billDocument = ethers.id("security/bill/victim");
  await (
    await billOfLading.connect(subject).issue(
      { documentHash: billDocument, shipper: victim.address, consignee: ZeroAddress, notifyParty: ZeroAddress, consigneeKind: 1, legs: billLegs },
      (await now()) + 3600n,
      ["0x"],
    )
  ).wait();
  const billId = await billOfLading.billIdOf(billDocument, subject.address, billLegs);
  // Traceability: the victim, a licensed producer, owns a batch with a sensor-rooted event and has offered its
  // custody to `subject` (pending). Step 2 is "planting" in every parameters file (PRODUCER, custody).
  const trace = TraceRegistry__factory.connect(suite.contracts.traceRegistry.address, deployer);
  const traceStep = 2;
  const producerRule = await trace.stepRule(traceStep);
  if (producerRule.topic === 0n) {
    await (await trace.setStepRule(traceStep, { topic: Topics.PRODUCER, custody: true, authority: false })).wait();
  }
  await (await credentials.setIssuerTrust(Topics.PRODUCER, issuer.address, true)).wait();
  await (
    await credentials.connect(issuer).issue(ethers.id("security/credential/victim-producer"), issuer.address, victim.address, Topics.PRODUCER, t1, t1 + YEAR)
  ).wait();
  const traceBatch = ethers.id("security/trace/victim-batch");
  await (await trace.connect(victim).createBatch(traceBatch, 9506000134352n, traceStep)).wait();
  await (
    await trace.connect(victim).recordEvent({
      batchId: traceBatch,
      step: traceStep,
      disposition: 1,
      readPoint: ethers.id("security/trace/read-point"),
      bizLocation: ethers.id("security/trace/location"),
      eventHash: ethers.id("security/trace/event"),
      sensorRoot: ethers.id("security/trace/sensor-root"),
    })
  ).wait();
  await (await trace.connect(victim).proposeTransfer(traceBatch, 2, subject.address)).wait();
  // Evidence: case 1 opened by a clerk, one witness seat whose credential lapsed and one that counts, a party
  // admitted and anchoring a document, another party admitted whose credential lapsed since.
  const evidence = await evidenceState(connection, suite.contracts.evidenceVault.address, credentials, issuer, t0);
  // Real-world assets: an asset issued through the factory (KYC, a one-day lock-up), the victim holding 1,000 units
  // with 100 frozen, a distribution paid in and not yet claimed, the victim's jurisdiction set.
  const rwaFactory = RWAFactory__factory.connect(suite.contracts.rwaFactory.address, deployer);
  const rwaDistributor = RWADistributor__factory.connect(suite.contracts.rwaDistributor.address, deployer);
  const jurisdictionRule = JurisdictionRule__factory.connect(suite.contracts.jurisdictionRule.address, deployer);
  const assetSpec = {
    directoryName: encodeBytes32String("RWA:security"),
    name: "Security Receipt",
    symbol: "SEC",
    decimals: 18,
    topics: [Topics.KYC],
    rules: [{ rule: suite.contracts.lockupRule.address, settings: ethers.AbiCoder.defaultAbiCoder().encode(["uint256"], [86_400n]) }],
  };
  const rwaTokenAddress = await rwaFactory.issueAsset.staticCall(assetSpec);
  await (await rwaFactory.issueAsset(assetSpec)).wait();
  const rwaToken = RWAToken__factory.connect(rwaTokenAddress, deployer);
  await (await rwaToken.mint(victim.address, 1000n * 10n ** 18n)).wait();
  await (await rwaToken.freezePartialTokens(victim.address, 100n * 10n ** 18n)).wait();
  await (await stablecoin.mint(deployer.address, 10n ** 12n)).wait();
  await (await stablecoin.approve(suite.contracts.rwaDistributor.address, 10n ** 12n)).wait();
  await (await rwaDistributor.distribute(rwaTokenAddress, paymentToken, 10n ** 9n)).wait();
  await (await jurisdictionRule.setJurisdictions([victim.address], [156])).wait();

  // The stranger: a key nobody has seen, with gas money only.
  const stranger = Wallet.createRandom().connect(ethers.provider);
  await networkHelpers.setBalance(stranger.address, 10n ** 20n);

  return {
    suite,
    deployer,
    victim,
    victimDelegate,
    issuer,
    subject,
    guardians,
    recoveree,
    rescuer,
    stranger,
    accessManager,
    directory,
    dids,
    credentials,
    implementation,
    activeCredential,
    suspendedCredential,
    scheduled: { caller: deployer.address, target: scheduledTarget, data: scheduledData },
    dataElement,
    dataRevenue,
    dataToken,
    billOfLading,
    billId,
    paymentToken,
    directoryName: moduleName("DIDRegistry"),
    rwaToken,
    rwaDistributor,
    /** Contracts created at run time (not by the deployment) that the access matrix calls too. */
    extraTargets: [{ label: "RWAFactory#issued:RWA:security", address: rwaTokenAddress, contract: "RWAToken" }],
    chainId,
    trace,
    traceBatch,
    traceStep,
    evidence,
  };
}

/** The EvidenceVault's share of the lived-in suite (accounts 17-19, keys for the witnesses). */
async function evidenceState(
  connection: NetworkConnection,
  vaultAddress: string,
  credentials: ReturnType<typeof CredentialRegistry__factory.connect>,
  issuer: Awaited<ReturnType<NetworkConnection["ethers"]["getSigners"]>>[number],
  t0: bigint,
) {
  const { ethers } = connection;
  const signers = await ethers.getSigners();
  const [clerk, party, lapsedParty] = signers.slice(17, 20);
  const vault = EvidenceVault__factory.connect(vaultAddress, clerk);
  const witness = new Wallet(ethers.id("security/evidence/witness")).address;
  const lapsedWitness = new Wallet(ethers.id("security/evidence/lapsed-witness")).address;
  for (const topic of [Topics.COURT_CLERK, Topics.CASE_PARTY, Topics.NOTARY]) {
    await (await credentials.setIssuerTrust(topic, issuer.address, true)).wait();
  }
  const issue = async (label: string, subject: string, topic: number) => {
    const credentialId = ethers.id(`security/evidence/${label}`);
    await (await credentials.connect(issuer).issue(credentialId, issuer.address, subject, topic, t0, t0 + YEAR)).wait();
    return credentialId;
  };
  await issue("clerk", clerk.address, Topics.COURT_CLERK);
  await issue("party", party.address, Topics.CASE_PARTY);
  const lapsedPartyCredential = await issue("lapsed-party", lapsedParty.address, Topics.CASE_PARTY);
  await issue("witness", witness, Topics.NOTARY);
  const lapsedWitnessCredential = await issue("lapsed-witness", lapsedWitness, Topics.NOTARY);
  await (await vault.openCase(clerk.address, ethers.id("security/evidence/case"), [witness, lapsedWitness], [Topics.NOTARY, Topics.NOTARY], 1)).wait();
  const caseId = 1n;
  await (await vault.grantAccess(caseId, party.address, Topics.CASE_PARTY, 1 | 2 | 8)).wait(); // SUBMIT | LOG | DISPUTE
  await (await vault.grantAccess(caseId, lapsedParty.address, Topics.CASE_PARTY, 1)).wait();
  const document = ethers.id("security/evidence/document");
  await (await vault.connect(party).anchor(caseId, document, 1, ethers.id("metadata"))).wait();
  await (await credentials.connect(issuer).revoke(lapsedPartyCredential)).wait();
  await (await credentials.connect(issuer).revoke(lapsedWitnessCredential)).wait();
  return { vault, caseId, clerk, party, lapsedParty, witness, lapsedWitness, document };
}

export type LivedInSuite = Awaited<ReturnType<typeof livedInSuite>>;

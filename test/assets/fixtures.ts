import type { NetworkConnection } from "hardhat/types/network";
import { AbiCoder, encodeBytes32String, type Signer } from "ethers";
import AssetsModule from "../../deploy/modules/Assets.js";
import { Topics } from "../../deploy/topics.js";
import {
  AccessManager__factory,
  AssetData__factory,
  CredentialRegistry__factory,
  DIDRegistry__factory,
  JurisdictionRule__factory,
  LockupRule__factory,
  MaxBalanceRule__factory,
  MaxHoldersRule__factory,
  RWADistributor__factory,
  RWADvP__factory,
  RWAFactory__factory,
  RWAToken__factory,
  SupplyCapRule__factory,
  TestStablecoin__factory,
  TransferLimitRule__factory,
  TrustDirectory__factory,
  type RWAFactory,
} from "../../typechain-types/index.js";

export const DAY = 86_400n;
export const YEAR = 365n * DAY;
/** One whole token (18 decimals). */
export const UNIT = 10n ** 18n;
/** One unit of the 6-decimal test stablecoin. */
export const USD = 1_000_000n;

const coder = AbiCoder.defaultAbiCoder();
export const uintSettings = (value: bigint) => coder.encode(["uint256"], [value]);
export const limitSettings = (daily: bigint, monthly: bigint) => coder.encode(["uint256", "uint256"], [daily, monthly]);
export const jurisdictionSettings = (allowList: boolean, codes: number[]) => coder.encode(["bool", "uint16[]"], [allowList, codes]);

export interface RuleInit {
  rule: string;
  settings: string;
}

/** Issues an asset through the factory as `issuer` and returns the token bound to `as`. */
export async function issue(
  factory: RWAFactory,
  as: Signer,
  name: string,
  topics: number[],
  rules: RuleInit[] = [],
  symbol = "WR",
) {
  const spec = { directoryName: encodeBytes32String(name), name, symbol, decimals: 18, topics, rules };
  const token = await factory.connect(as).issueAsset.staticCall(spec);
  await (await factory.connect(as).issueAsset(spec)).wait();
  return RWAToken__factory.connect(token, as);
}

/**
 * The assets module as its Ignition module deploys it (with governance and identity): a trusted issuer of KYC,
 * QUALIFIED_INVESTOR and APPRAISER; `alice`, `bob` and `carol` hold KYC and QUALIFIED_INVESTOR, `dave` only KYC,
 * `outsider` nothing, `appraiser` APPRAISER. A warehouse-receipt token `token` (KYC required, no rules) is issued
 * by `admin` (deployer: ASSET_ISSUER, ASSET_AGENT, COMPLIANCE_ADMIN, JURISDICTION_ADMIN) and 1,000 units minted to
 * alice and 500 to bob. A test stablecoin `usd` with 1,000,000 for everyone.
 */
export async function deployAssets(connection: NetworkConnection) {
  const { ethers, ignition } = connection;
  const signers = await ethers.getSigners();
  const [admin, issuer, alice, bob, carol, dave, outsider, appraiser, newWallet, relayer] = signers;
  const deployed = await ignition.deploy(AssetsModule);
  const at = async (contract: { getAddress(): Promise<string> }) => contract.getAddress();
  const accessManager = AccessManager__factory.connect(await at(deployed.accessManager), admin);
  const directory = TrustDirectory__factory.connect(await at(deployed.directory), admin);
  const credentials = CredentialRegistry__factory.connect(await at(deployed.credentialRegistry), admin);
  const dids = DIDRegistry__factory.connect(await at(deployed.didRegistry), admin);
  const factory = RWAFactory__factory.connect(await at(deployed.rwaFactory), admin);
  const assetData = AssetData__factory.connect(await at(deployed.assetData), admin);
  const distributor = RWADistributor__factory.connect(await at(deployed.rwaDistributor), admin);
  const dvp = RWADvP__factory.connect(await at(deployed.rwaDvP), admin);
  const maxBalance = MaxBalanceRule__factory.connect(await at(deployed.maxBalanceRule), admin);
  const maxHolders = MaxHoldersRule__factory.connect(await at(deployed.maxHoldersRule), admin);
  const supplyCap = SupplyCapRule__factory.connect(await at(deployed.supplyCapRule), admin);
  const lockup = LockupRule__factory.connect(await at(deployed.lockupRule), admin);
  const limits = TransferLimitRule__factory.connect(await at(deployed.transferLimitRule), admin);
  const jurisdiction = JurisdictionRule__factory.connect(await at(deployed.jurisdictionRule), admin);

  for (const topic of [Topics.KYC, Topics.QUALIFIED_INVESTOR, Topics.APPRAISER]) {
    await (await credentials.setIssuerTrust(topic, issuer.address, true)).wait();
  }
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const credentialIds: Record<string, string> = {};
  const grant = async (who: string, subject: string, topic: number) => {
    const id = ethers.id(`assets-fixture:${who}:${topic}`);
    credentialIds[`${who}:${topic}`] = id;
    await (await credentials.connect(issuer).issue(id, issuer.address, subject, topic, now, now + YEAR)).wait();
  };
  for (const [who, signer] of [["alice", alice], ["bob", bob], ["carol", carol]] as const) {
    await grant(who, signer.address, Topics.KYC);
    await grant(who, signer.address, Topics.QUALIFIED_INVESTOR);
  }
  await grant("dave", dave.address, Topics.KYC);
  await grant("appraiser", appraiser.address, Topics.APPRAISER);

  const token = await issue(factory, admin, "WR-2025-001", [Topics.KYC]);
  await (await token.mint(alice.address, 1000n * UNIT)).wait();
  await (await token.mint(bob.address, 500n * UNIT)).wait();

  const usd = await new TestStablecoin__factory(admin).deploy("Test Dollar", "TUSD");
  for (const signer of signers.slice(0, 10)) {
    await (await usd.mint(signer.address, 1_000_000n * USD)).wait();
  }
  return {
    deployed,
    accessManager,
    directory,
    credentials,
    dids,
    factory,
    assetData,
    distributor,
    dvp,
    maxBalance,
    maxHolders,
    supplyCap,
    lockup,
    limits,
    jurisdiction,
    token,
    usd,
    credentialIds,
    admin,
    issuer,
    alice,
    bob,
    carol,
    dave,
    outsider,
    appraiser,
    newWallet,
    relayer,
  };
}

export type AssetsFixture = Awaited<ReturnType<typeof deployAssets>>;

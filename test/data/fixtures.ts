import type { NetworkConnection } from "hardhat/types/network";
import DataModule from "../../deploy/modules/Data.js";
import { Topics } from "../../deploy/topics.js";
import {
  CredentialRegistry__factory,
  DataElement__factory,
  DataRevenue__factory,
  DIDRegistry__factory,
  TestStablecoin__factory,
} from "../../typechain-types/index.js";

export const DAY = 86_400n;
export const YEAR = 365n * DAY;
/** One unit of the 6-decimal test stablecoin. */
export const USD = 1_000_000n;

/**
 * The data module as its Ignition module deploys it (with governance and identity), a test stablecoin accepted as
 * payment, and credentials: `provider` is a licensed data provider, `bank` and `renter2` are data-exchange members
 * with KYC, `outsider` holds nothing. Everyone has 1,000,000 USD and has approved the DataElement.
 */
export async function deployData(connection: NetworkConnection) {
  const { ethers, ignition } = connection;
  const signers = await ethers.getSigners();
  const [admin, issuer, provider, operator, bank, renter2, exchange, outsider, relayer] = signers;
  const deployed = await ignition.deploy(DataModule);
  const element = DataElement__factory.connect(await deployed.dataElement.getAddress(), admin);
  const revenue = DataRevenue__factory.connect(await deployed.dataRevenue.getAddress(), admin);
  const credentials = CredentialRegistry__factory.connect(await deployed.credentialRegistry.getAddress(), admin);
  const dids = DIDRegistry__factory.connect(await deployed.didRegistry.getAddress(), admin);
  const usd = await new TestStablecoin__factory(admin).deploy("Test Dollar", "TUSD");
  await (await element.setPaymentToken(await usd.getAddress(), true)).wait();

  for (const topic of [Topics.DATA_PROVIDER, Topics.DATA_EXCHANGE_MEMBER, Topics.KYC]) {
    await (await credentials.setIssuerTrust(topic, issuer.address, true)).wait();
  }
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const credentialIds: Record<string, string> = {};
  const grant = async (who: string, subject: string, topic: number) => {
    const id = ethers.id(`data-fixture:${who}:${topic}`);
    credentialIds[`${who}:${topic}`] = id;
    await (await credentials.connect(issuer).issue(id, issuer.address, subject, topic, now, now + YEAR)).wait();
  };
  await grant("provider", provider.address, Topics.DATA_PROVIDER);
  await grant("bank", bank.address, Topics.DATA_EXCHANGE_MEMBER);
  await grant("bank", bank.address, Topics.KYC);
  await grant("renter2", renter2.address, Topics.DATA_EXCHANGE_MEMBER);

  const elementAddress = await element.getAddress();
  for (const signer of signers.slice(0, 10)) {
    await (await usd.mint(signer.address, 1_000_000n * USD)).wait();
    await (await usd.connect(signer).approve(elementAddress, ethers.MaxUint256)).wait();
  }
  return {
    ...deployed,
    element,
    revenue,
    credentials,
    dids,
    usd,
    credentialIds,
    admin,
    issuer,
    provider,
    operator,
    bank,
    renter2,
    exchange,
    outsider,
    relayer,
  };
}

export const HOUR = 3_600n;
/** Classification levels the Data module names (deploy/data.ts). */
export const Level = { PUBLIC: 1, INTERNAL: 2, SENSITIVE: 3, CORE: 4 } as const;
/** An offer as `publishOffer` takes it and `offerOf` returns it. */
export interface OfferArgs {
  paymentToken: string;
  pricePerSecond: bigint;
  minDuration: bigint;
  maxDuration: bigint;
  topic: number;
  requiresPresentation: boolean;
}
/** A payee as DataRevenue takes it; `account` ZeroAddress stands for the holder at payment time. */
export interface PayeeArgs {
  account: string;
  bps: number;
}

/** `offer` as the tuple events and views carry (`OfferPublished`, `offerOf`). */
export function offerTuple(offer: OfferArgs) {
  return [offer.paymentToken, offer.pricePerSecond, offer.minDuration, offer.maxDuration, BigInt(offer.topic), offer.requiresPresentation];
}

/** `payees` as the tuples events and views carry (`PayeesChanged`, `payeesOf`). */
export function payeeTuples(payees: PayeeArgs[]) {
  return payees.map((p) => [p.account, BigInt(p.bps)]);
}

/** The credits a fee gives `payees` (DataRevenue.credit): each its share rounded down, the last the remainder. */
export function splitFee(fee: bigint, payees: PayeeArgs[]): bigint[] {
  let remaining = fee;
  return payees.map((p, i) => {
    const amount = i === payees.length - 1 ? remaining : (fee * BigInt(p.bps)) / 10_000n;
    remaining -= amount;
    return amount;
  });
}

/**
 * {@link deployData}, then a data set on the market: `provider` registers `tokenId` (INTERNAL, category 7, 2.5 %
 * royalty, its own metadata URI) with three payees whose shares do not divide evenly (the holder 3,333 bps,
 * `operator` 3,333, `exchange` 3,334), names `operator` as the token's operator, who publishes an offer in the
 * stablecoin at an odd price (7 units a second) for one hour to 30 days, to data-exchange members.
 */
export async function deployMarket(connection: NetworkConnection) {
  const f = await deployData(connection);
  const { ethers } = connection;
  const { element, provider, operator, exchange, usd } = f;
  const dataHash = ethers.id("trustbase:data-set:air-quality-2026");
  const tokenId = BigInt(dataHash);
  const payees: PayeeArgs[] = [
    { account: ethers.ZeroAddress, bps: 3_333 },
    { account: operator.address, bps: 3_333 },
    { account: exchange.address, bps: 3_334 },
  ];
  const metadataURI = "ipfs://bafy-air-quality-2026";
  await (await element.connect(provider).register(dataHash, Level.INTERNAL, 7, 250, metadataURI, payees)).wait();
  await (await element.connect(provider).setOperator(tokenId, operator.address)).wait();
  const offer: OfferArgs = {
    paymentToken: await usd.getAddress(),
    pricePerSecond: 7n,
    minDuration: HOUR,
    maxDuration: 30n * DAY,
    topic: Topics.DATA_EXCHANGE_MEMBER,
    requiresPresentation: false,
  };
  await (await element.connect(operator).publishOffer(tokenId, offer)).wait();
  return { ...f, dataHash, tokenId, payees, metadataURI, offer };
}

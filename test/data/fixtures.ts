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

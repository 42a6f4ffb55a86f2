import { ZeroAddress, id } from "ethers";
import { Topics } from "../../deploy/topics.js";
import { classificationLevel } from "../../deploy/data.js";
import {
  CredentialRegistry__factory,
  DataElement__factory,
  DataRevenue__factory,
  TestStablecoin__factory,
} from "../../typechain-types/index.js";
import type { Bench } from "./context.js";

const DAY = 86_400n;
const USD = 1_000_000n;
/** A fixed expiry (2033) for setUser: the same calldata on every run. */
const EXPIRES = 2_000_000_000n;

/**
 * Data-element operations; budgets and ERC-4907 reference figures in bench/budgets.json. "first" writes fresh
 * storage (the registrant's first token, a token's first user), "warm" repeats on storage already written.
 */
export const data: Bench = {
  module: "Data",
  async run({ address, connection, measure, signers }) {
    const { ethers, networkHelpers } = connection;
    const [admin, , , , issuer] = signers;
    const [provider, operator, bank, exchange, buyer] = signers.slice(7, 12);
    const element = DataElement__factory.connect(address("dataElement"), admin);
    const revenue = DataRevenue__factory.connect(address("dataRevenue"), admin);
    const credentials = CredentialRegistry__factory.connect(address("credentialRegistry"), admin);
    const usd = await new TestStablecoin__factory(admin).deploy("Test Dollar", "TUSD");
    const usdAddress = await usd.getAddress();
    await (await element.setPaymentToken(usdAddress, true)).wait();

    for (const topic of [Topics.DATA_PROVIDER, Topics.DATA_EXCHANGE_MEMBER]) {
      if (!(await credentials.isTrustedIssuer(topic, issuer.address))) {
        await (await credentials.setIssuerTrust(topic, issuer.address, true)).wait();
      }
    }
    const now = BigInt(await networkHelpers.time.latest());
    const issue = async (name: string, subject: string, topic: number) =>
      (await credentials.connect(issuer).issue(id(name), issuer.address, subject, topic, now, now + 3650n * DAY)).wait();
    await issue("bench:data:provider", provider.address, Topics.DATA_PROVIDER);
    await issue("bench:data:bank", bank.address, Topics.DATA_EXCHANGE_MEMBER);
    for (const renter of [bank]) {
      await (await usd.mint(renter.address, 1_000_000n * USD)).wait();
      await (await usd.connect(renter).approve(await element.getAddress(), ethers.MaxUint256)).wait();
    }

    // Registration: holder 70 %, operator 20 %, exchange 10 % (three payees, the holder's share follows the NFT).
    const payees = [
      { account: ZeroAddress, bps: 7000 },
      { account: operator.address, bps: 2000 },
      { account: exchange.address, bps: 1000 },
    ];
    const internal = classificationLevel("INTERNAL");
    const [report, api, feed, spare] = ["report", "api", "feed", "spare"].map((name) => id(`bench:data:${name}`));
    // The certificate alone (fees to the holder), the provider's first token and its second; then with three payees.
    await measure("data.register.first", element.connect(provider).register(feed, internal, 7, 500, "", []));
    await measure("data.register.warm", element.connect(provider).register(spare, internal, 7, 500, "", []));
    await measure("data.register.payees3.warm", element.connect(provider).register(report, internal, 7, 500, "", payees));
    await (await element.connect(provider).register(api, internal, 7, 500, "", payees)).wait();

    // ERC-4907 setUser by the holder: a token's first user, then another user on the same token.
    await measure("data.setUser.first", element.connect(provider).setUser(feed, bank.address, EXPIRES));
    await measure("data.setUser.warm", element.connect(provider).setUser(feed, buyer.address, EXPIRES));

    // Offers by the operator; rentals paid in the stablecoin, 30 days at 0.0001 USD a second.
    await (await element.connect(provider).setOperator(report, operator.address)).wait();
    const offer = {
      paymentToken: usdAddress,
      pricePerSecond: 100n,
      minDuration: DAY,
      maxDuration: 365n * DAY,
      topic: Topics.DATA_EXCHANGE_MEMBER,
      requiresPresentation: false,
    };
    await measure("data.publishOffer", element.connect(operator).publishOffer(report, offer));
    await (await element.connect(provider).publishOffer(api, offer)).wait();
    // First rental of the module: every payee's credit, the revenue contract's balance and the totals are new.
    await measure("data.rent.first", element.connect(bank).rent(api, 30n * DAY, 1_000n * USD));
    await (await element.connect(bank).rent(report, 30n * DAY, 1_000n * USD)).wait();
    await networkHelpers.time.increase(31n * DAY);
    // Warm: the same renter again after expiry (fee charged, three payees credited, ledger updated).
    await measure("data.rent.warm", element.connect(bank).rent(report, 30n * DAY, 1_000n * USD));
    await measure("data.rent.renew", element.connect(bank).rent(report, 30n * DAY, 1_000n * USD));

    // A paid rental survives a transfer of the holding right (to a holder who already has a token).
    await (await element.connect(provider).transferFrom(provider.address, buyer.address, spare)).wait();
    await measure("data.transfer.keepUser", element.connect(provider).transferFrom(provider.address, buyer.address, report));

    // Pull payment: the operator takes its credit to its own account (which already holds the stablecoin).
    await (await usd.mint(operator.address, USD)).wait();
    await measure("data.withdraw", revenue.connect(operator).withdraw(usdAddress, operator.address));
  },
};

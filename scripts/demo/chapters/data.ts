import { ZeroAddress, formatUnits, id } from "ethers";
import { Topics } from "../../../deploy/topics.js";
import { classificationLevel } from "../../../deploy/data.js";
import {
  CredentialRegistry__factory,
  DataElement__factory,
  DataRevenue__factory,
  TestStablecoin__factory,
} from "../../../typechain-types/index.js";
import { DataRevenueTypes, domainOf } from "../../../sdk/eip712.js";
import { CONSORTIUM, type Chapter } from "../runner.js";

const DAY = 86_400n;
const YEAR = 365n * DAY;
const CNY = 1_000_000n; // the test stablecoin has 6 decimals
const money = (amount: bigint) => `${formatUnits(amount, 6)} TCNY`;

export const data: Chapter = {
  title: "Data elements: certificates, usage rights, fees and their split",
  summary:
    "A data set is registered as an NFT certificate (its id is the data's hash). Its holder keeps the holding " +
    "right, an operator prices its use, a renter buys the ERC-4907 use right for a time, paying a fee computed at " +
    "that moment that is split among the payees at once; the data service asks the chain who may have the data.",

  async run(demo) {
    const consortium = await demo.actor(CONSORTIUM);
    const exchange = await demo.actor("Data Exchange");
    const provider = await demo.actor("Metro Data Co");
    const operator = await demo.actor("DataOps Ltd");
    const bank = await demo.actor("Harbor Bank");
    const startup = await demo.actor("Retail Startup");
    const holdings = await demo.actor("Metro Holdings");
    const element = DataElement__factory.connect(demo.address("dataElement"), consortium.signer);
    const revenue = DataRevenue__factory.connect(demo.address("dataRevenue"), consortium.signer);
    const credentials = CredentialRegistry__factory.connect(demo.address("credentialRegistry"), consortium.signer);
    const now = await demo.now();

    demo.section("The market's rules: a stablecoin to pay in, an exchange trusted to license providers and members");
    const tcny = await new TestStablecoin__factory(consortium.signer).deploy("Test Yuan", "TCNY");
    await tcny.waitForDeployment();
    const tcnyAddress = await tcny.getAddress();
    demo.note(`Test Yuan (TCNY, 6 decimals) deployed at ${tcnyAddress} for the demo: a stand-in for the consortium's stablecoin`);
    await demo.step(consortium, "accepts TCNY as a payment token (DATA_ADMIN)", element.setPaymentToken(tcnyAddress, true));
    for (const [topic, name] of [
      [Topics.DATA_PROVIDER, "DATA_PROVIDER"],
      [Topics.DATA_EXCHANGE_MEMBER, "DATA_EXCHANGE_MEMBER"],
    ] as const) {
      if (await credentials.isTrustedIssuer(topic, exchange.address)) continue;
      await demo.step(consortium, `trusts ${exchange.name} for ${name}`, credentials.setIssuerTrust(topic, exchange.address, true));
    }
    const license = (subject: string, topic: number, label: string) =>
      credentials.connect(exchange.signer).issue(id(`${label}:${subject}:${now}`), exchange.address, subject, topic, now, now + YEAR);
    await demo.step(exchange, `licenses ${provider.name} as a data provider`, license(provider.address, Topics.DATA_PROVIDER, "provider"));
    await demo.step(exchange, `admits ${bank.name} as a member`, license(bank.address, Topics.DATA_EXCHANGE_MEMBER, "member"));

    demo.section("Registration: the certificate commits to the data; the raw data never touches the chain");
    const dataHash = id(`Metro traffic flows, 2026, 5-minute grid (demo run ${now})`);
    const payees = [
      { account: ZeroAddress, bps: 7000 }, // the holder, whoever it is when a fee is paid
      { account: operator.address, bps: 2000 },
      { account: exchange.address, bps: 1000 },
    ];
    await demo.step(
      provider,
      "registers a data set: INTERNAL, category 7, 5 % royalty, 3 payees",
      element.connect(provider.signer).register(dataHash, classificationLevel("INTERNAL"), 7, 500, "", payees),
    );
    await demo.refused(
      provider,
      "registers the same data again",
      element.connect(provider.signer).register(dataHash, classificationLevel("INTERNAL"), 7, 500, "", []),
    );
    await demo.refused(
      startup,
      "registers a data set without a provider licence",
      element.connect(startup.signer).register(id(`startup data ${now}`), classificationLevel("PUBLIC"), 1, 0, "", []),
    );
    const core = id(`Metro grid control data (demo run ${now})`);
    await demo.step(
      provider,
      "registers grid control data: CORE",
      element.connect(provider.signer).register(core, classificationLevel("CORE"), 7, 0, "", []),
    );
    await demo.refused(
      provider,
      "offers the CORE data for rent",
      element.connect(provider.signer).publishOffer(core, {
        paymentToken: tcnyAddress,
        pricePerSecond: 1n,
        minDuration: DAY,
        maxDuration: DAY,
        topic: Topics.DATA_EXCHANGE_MEMBER,
        requiresPresentation: false,
      }),
    );
    demo.note(`token id = the data hash ${dataHash.slice(0, 18)}…; payees: holder 70 %, ${operator.name} 20 %, ${exchange.name} 10 %`);

    demo.section("Operation right: the operator prices the use right without holding the NFT");
    await demo.step(provider, `names ${operator.name} operator`, element.connect(provider.signer).setOperator(dataHash, operator.address));
    await demo.step(
      operator,
      "offers it: 0.0001 TCNY/s, 1 to 90 days, members only",
      element.connect(operator.signer).publishOffer(dataHash, {
        paymentToken: tcnyAddress,
        pricePerSecond: 100n,
        minDuration: DAY,
        maxDuration: 90n * DAY,
        topic: Topics.DATA_EXCHANGE_MEMBER,
        requiresPresentation: false,
      }),
    );
    await demo.refused(operator, "transfers the certificate to itself", element.connect(operator.signer).transferFrom(provider.address, operator.address, dataHash));

    demo.section("A rental: 30 days, the fee computed now, paid in TCNY, split at once");
    for (const renter of [bank, startup]) {
      await (await tcny.mint(renter.address, 1_000n * CNY)).wait();
      await (await tcny.connect(renter.signer).approve(await element.getAddress(), 1_000n * CNY)).wait();
    }
    const [fee] = await element.quote(dataHash, 30n * DAY);
    demo.line(bank.name, "asks the price of 30 days (a view call)", money(fee));
    await demo.refused(startup, "rents it without membership", element.connect(startup.signer).rent(dataHash, 30n * DAY, fee));
    await demo.refused(bank, "rents it for 2 hours (below the minimum)", element.connect(bank.signer).rent(dataHash, 2n * 3600n, fee));
    await demo.step(bank, `rents it for 30 days, paying at most ${money(fee)}`, element.connect(bank.signer).rent(dataHash, 30n * DAY, fee));
    const use = await element.useOf(dataHash);
    demo.note(`userOf = ${demo.nameOf(await element.userOf(dataHash))} until ${new Date(Number(use.expires) * 1000).toISOString()} (paid)`);
    const rows = [];
    for (const [payee, share] of [
      [provider, "70 % (holder)"],
      [operator, "20 %"],
      [exchange, "10 %"],
    ] as const) {
      rows.push([payee.name, share, money(await revenue.creditOf(payee.address, tcnyAddress))]);
    }
    rows.push(["sum", "", money(fee)]);
    demo.table(["payee", "share", "credited"], rows, ["left", "right", "right"]);

    demo.section("Renter protection: nobody takes back a paid use right before it expires");
    await demo.refused(provider, "revokes the bank's use right (setUser to itself)", element.connect(provider.signer).setUser(dataHash, provider.address, 0));
    await demo.step(
      provider,
      `sells the certificate to ${holdings.name}`,
      element.connect(provider.signer).transferFrom(provider.address, holdings.address, dataHash),
    );
    demo.note(`ownerOf = ${demo.nameOf(await element.ownerOf(dataHash))}, userOf = ${demo.nameOf(await element.userOf(dataHash))}: the paid user stays`);

    demo.section("The data service asks the chain before it releases the raw data");
    for (const account of [holdings, bank, startup]) {
      demo.line("Data service", `hasAccess(${account.name})`, String(await element.hasAccess(dataHash, account.address)));
    }

    demo.section("Pull payments: each payee withdraws when it likes");
    await demo.step(operator, "withdraws its credit", revenue.connect(operator.signer).withdraw(tcnyAddress, operator.address));
    await demo.step(exchange, "withdraws its credit", revenue.connect(exchange.signer).withdraw(tcnyAddress, exchange.address));
    await demo.refused(operator, "withdraws again", revenue.connect(operator.signer).withdraw(tcnyAddress, operator.address));
    demo.note(`${operator.name} holds ${money(await tcny.balanceOf(operator.address))}; ${provider.name}'s share waits in DataRevenue`);

    await demo.later(30n * DAY, "the rental runs out");
    demo.line("Data service", `hasAccess(${bank.name})`, String(await element.hasAccess(dataHash, bank.address)));
    demo.note(`userOf = nobody (${await element.userOf(dataHash)}); ${holdings.name} may set a user again or the operator rent it out`);

    demo.section("A renewal signed off line (EIP-712): the bank signs, the exchange relays it and pays the gas");
    const { chainId } = await demo.connection.ethers.provider.getNetwork();
    const [renewalFee] = await element.quote(dataHash, 7n * DAY);
    const renewal = {
      tokenId: BigInt(dataHash),
      renter: bank.address,
      duration: 7n * DAY,
      maxFee: renewalFee,
      nonce: await revenue.nonces(bank.address),
      deadline: (await demo.now()) + 3600n,
    };
    const rentSignature = await demo.sign(bank, domainOf("DataRevenue", chainId, await revenue.getAddress()), DataRevenueTypes.Rent, renewal);
    const relay = (duration: bigint) =>
      revenue.connect(exchange.signer).rentBySig(renewal.tokenId, renewal.renter, duration, renewal.maxFee, renewal.deadline, rentSignature);
    await demo.refused(exchange, "relays it for 8 days instead of the 7 signed", relay(8n * DAY));
    await demo.step(exchange, `relays ${bank.name}'s 7-day renewal, ${money(renewalFee)} from the bank`, relay(7n * DAY));
    demo.line("Data service", `hasAccess(${bank.name})`, String(await element.hasAccess(dataHash, bank.address)));
    const [rentals, fees] = await element.totalsOf(dataHash, tcnyAddress);
    demo.note(`ledger: ${rentals} rental(s), ${money(fees)} in fees; every rental and transfer is an event with the token id`);
  },
};

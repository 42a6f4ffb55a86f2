import { AbiCoder, encodeBytes32String, formatUnits, id } from "ethers";
import { Topics } from "../../../deploy/topics.js";
import { RWADvPTypes, domainOf } from "../../../sdk/eip712.js";
import {
  AssetData__factory,
  CredentialRegistry__factory,
  DIDRegistry__factory,
  RWADistributor__factory,
  RWADvP__factory,
  RWAFactory__factory,
  RWAToken__factory,
  TestStablecoin__factory,
} from "../../../typechain-types/index.js";
import { CONSORTIUM, type Chapter } from "../runner.js";

const DAY = 86_400n;
const YEAR = 365n * DAY;
const UNIT = 10n ** 18n;
const CNY = 1_000_000n; // the test stablecoin has 6 decimals
const coder = AbiCoder.defaultAbiCoder();
const units = (amount: bigint) => `${formatUnits(amount, 18)} WR`;
const money = (amount: bigint) => `${formatUnits(amount, 6)} TCNY`;

export const assets: Chapter = {
  title: "Real-world assets: a warehouse receipt as a permissioned token",
  summary:
    "A warehouse receipt is issued as a permissioned ERC-20 in one transaction; verified investors trade it, an " +
    "unverified one is refused with the reason, a lock-up blocks an early sale, an appraiser posts a valuation, a " +
    "coupon is distributed and claimed, a DvP settles atomically, and a lost wallet is recovered through its DID.",

  async run(demo) {
    const consortium = await demo.actor(CONSORTIUM);
    const bureau = await demo.actor("KYC Bureau");
    const bank = await demo.actor("Harbor Bank");
    const holdings = await demo.actor("Metro Holdings");
    const startup = await demo.actor("Retail Startup");
    const valuer = await demo.actor("Valuer & Co");
    const bankNewKey = await demo.actor("Harbor Bank (new key)");
    const factory = RWAFactory__factory.connect(demo.address("rwaFactory"), consortium.signer);
    const credentials = CredentialRegistry__factory.connect(demo.address("credentialRegistry"), consortium.signer);
    const dids = DIDRegistry__factory.connect(demo.address("didRegistry"), consortium.signer);
    const assetData = AssetData__factory.connect(demo.address("assetData"), consortium.signer);
    const distributor = RWADistributor__factory.connect(demo.address("rwaDistributor"), consortium.signer);
    const dvp = RWADvP__factory.connect(demo.address("rwaDvP"), consortium.signer);
    const now = await demo.now();

    demo.section("Onboarding: the KYC bureau verifies two investors; the consortium trusts it to license appraisers");
    for (const [topic, name] of [
      [Topics.KYC, "KYC"],
      [Topics.APPRAISER, "APPRAISER"],
    ] as const) {
      if (await credentials.isTrustedIssuer(topic, bureau.address)) continue;
      await demo.step(consortium, `trusts ${bureau.name} for ${name}`, credentials.setIssuerTrust(topic, bureau.address, true));
    }
    const credential = (subject: string, topic: number, label: string) =>
      credentials.connect(bureau.signer).issue(id(`assets:${label}:${subject}:${now}`), bureau.address, subject, topic, now, now + YEAR);
    await demo.step(bureau, `verifies ${bank.name} (KYC)`, credential(bank.address, Topics.KYC, "kyc"));
    await demo.step(bureau, `verifies ${holdings.name} (KYC)`, credential(holdings.address, Topics.KYC, "kyc"));
    await demo.step(bureau, `licenses ${valuer.name} as an appraiser`, credential(valuer.address, Topics.APPRAISER, "appraiser"));

    demo.section("Issuance: one transaction creates the token, its rules and its directory entry");
    const spec = {
      directoryName: encodeBytes32String(`RWA:WR-${now}`),
      name: "Warehouse Receipt WR-2026-001 (copper cathodes, bonded warehouse 7)",
      symbol: "WR",
      decimals: 18,
      topics: [Topics.KYC],
      rules: [
        { rule: demo.address("supplyCapRule"), settings: coder.encode(["uint256"], [10_000n * UNIT]) },
        { rule: demo.address("lockupRule"), settings: coder.encode(["uint256"], [30n * DAY]) },
        { rule: demo.address("maxHoldersRule"), settings: coder.encode(["uint256"], [50n]) },
      ],
    };
    const tokenAddress = await factory.issueAsset.staticCall(spec);
    await demo.step(consortium, "issues WR: KYC required; supply cap 10,000, 30-day lock-up, 50 holders", factory.issueAsset(spec));
    const token = RWAToken__factory.connect(tokenAddress, consortium.signer);
    await demo.step(consortium, `publishes the prospectus (ERC-1643)`, assetData.setDocument(tokenAddress, encodeBytes32String("prospectus"), "ipfs://wr-2026-001/prospectus.pdf", id(`prospectus ${now}`)));
    await demo.step(consortium, "links the warehouse's evidence anchor", assetData.linkEvidence(tokenAddress, id(`warehouse 7 inspection ${now}`)));
    await demo.step(consortium, `mints ${units(1_000n * UNIT)} to ${bank.name}`, token.mint(bank.address, 1_000n * UNIT));
    await demo.step(consortium, `mints ${units(500n * UNIT)} to ${holdings.name}`, token.mint(holdings.address, 500n * UNIT));
    await demo.refused(consortium, `mints ${units(9_000n * UNIT)} more: over the supply cap`, token.mint(holdings.address, 9_000n * UNIT));

    demo.section("Trading rules at work");
    const reason = async (from: string, to: string, amount: bigint) =>
      token.messageForTransferRestriction(await token.detectTransferRestriction(from, to, amount));
    demo.note(`why ${bank.name} → ${holdings.name} fails today: "${await reason(bank.address, holdings.address, 100n * UNIT)}"`);
    await demo.refused(bank, `sells ${units(100n * UNIT)} to ${holdings.name} inside the lock-up`, token.connect(bank.signer).transfer(holdings.address, 100n * UNIT));
    await demo.later(31n * DAY, "the lock-up is over");
    demo.note(`why ${bank.name} → ${startup.name} fails: "${await reason(bank.address, startup.address, 100n * UNIT)}"`);
    await demo.refused(bank, `sells to ${startup.name}, which is not verified`, token.connect(bank.signer).transfer(startup.address, 100n * UNIT));
    await demo.step(bank, `sells ${units(100n * UNIT)} to ${holdings.name}`, token.connect(bank.signer).transfer(holdings.address, 100n * UNIT));

    demo.section("Valuation by a licensed appraiser");
    await demo.refused(startup, "posts a valuation without an appraiser licence", assetData.connect(startup.signer).postValuation(tokenAddress, 1n, "0x434e590000000000", 6, now, id("fake")));
    const at = await demo.now();
    await demo.step(valuer, `values the lot at ${money(8_650_000n * CNY)} (NAV, report hashed)`, assetData.connect(valuer.signer).postValuation(tokenAddress, 8_650_000n * CNY, "0x434e590000000000", 6, at, id(`valuation report ${now}`)));

    demo.section("A coupon: storage fees net of costs, paid pro rata at a record point and claimed by each holder");
    const tcny = await new TestStablecoin__factory(consortium.signer).deploy("Test Yuan", "TCNY");
    await tcny.waitForDeployment();
    const tcnyAddress = await tcny.getAddress();
    await (await tcny.mint(consortium.address, 1_000_000n * CNY)).wait();
    await (await tcny.mint(holdings.address, 100_000n * CNY)).wait();
    await demo.step(consortium, "approves the distributor", tcny.approve(await distributor.getAddress(), 15_000n * CNY));
    await demo.step(consortium, `pays in ${money(15_000n * CNY)} for the holders of today`, distributor.distribute(tokenAddress, tcnyAddress, 15_000n * CNY));
    const distributionId = await distributor.distributionCount(tokenAddress);
    for (const holder of [bank, holdings]) {
      const share = await distributor.claimable(tokenAddress, distributionId, holder.address);
      await demo.step(holder, `claims ${money(share)}`, distributor.connect(holder.signer).claim(tokenAddress, distributionId));
    }

    demo.section("Delivery versus payment: two signed orders, settled atomically with every check");
    const { chainId } = await demo.connection.ethers.provider.getNetwork();
    const domain = domainOf("RWADvP", chainId, await dvp.getAddress());
    await demo.step(bank, "approves the DvP contract for WR", token.connect(bank.signer).approve(await dvp.getAddress(), 50n * UNIT));
    await demo.step(holdings, "approves the DvP contract for TCNY", tcny.connect(holdings.signer).approve(await dvp.getAddress(), 5_000n * CNY));
    const deadline = (await demo.now()) + DAY;
    const terms = { asset: tokenAddress, assetAmount: 50n * UNIT, paymentToken: tcnyAddress, paymentAmount: 5_000n * CNY, counterparty: holdings.address, deadline };
    const sell = { ...terms, maker: bank.address, sell: true, nonce: await dvp.nonces(bank.address) };
    const buy = { ...terms, maker: holdings.address, sell: false, counterparty: bank.address, nonce: await dvp.nonces(holdings.address) };
    const sellSignature = await demo.sign(bank, domain, RWADvPTypes.Order, sell);
    const buySignature = await demo.sign(holdings, domain, RWADvPTypes.Order, buy);
    await demo.step(consortium, `settles ${units(50n * UNIT)} against ${money(5_000n * CNY)}`, dvp.settle(sell, sellSignature, buy, buySignature));
    await demo.refused(consortium, "settles the same orders again", dvp.settle(sell, sellSignature, buy, buySignature));

    demo.section("A lost wallet: Harbor Bank rotates its DID to a new key; the agent moves the holding, freeze included");
    await demo.step(consortium, `freezes ${units(200n * UNIT)} of ${bank.name} (pledged to a lender)`, token.freezePartialTokens(bank.address, 200n * UNIT));
    await demo.step(bank, `rotates its DID to ${bankNewKey.name}`, dids.connect(bank.signer).changeOwner(bank.address, bankNewKey.address));
    await demo.refused(bank, "moves WR with the retired key", token.connect(bank.signer).transfer(holdings.address, UNIT));
    const balance = await token.balanceOf(bank.address);
    await demo.step(consortium, `recovers ${units(balance)} to ${bankNewKey.name}`, token.recoveryAddress(bank.address, bankNewKey.address, bank.address));
    demo.table(
      ["account", "balance", "frozen", "acts for identity"],
      await Promise.all(
        [bank, bankNewKey, holdings].map(async (actor) => [
          actor.name,
          units(await token.balanceOf(actor.address)),
          units(await token.getFrozenTokens(actor.address)),
          demo.nameOf(await token.identityOf(actor.address)),
        ]),
      ),
      ["left", "right", "right", "left"],
    );
    await demo.step(bankNewKey, `sells ${units(10n * UNIT)} to ${holdings.name} from the new key`, token.connect(bankNewKey.signer).transfer(holdings.address, 10n * UNIT));
  },
};

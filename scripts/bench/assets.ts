import { AbiCoder, Wallet, encodeBytes32String, id } from "ethers";
import { Topics } from "../../deploy/topics.js";
import { RWADvPTypes, domainOf } from "../../sdk/eip712.js";
import {
  AssetData__factory,
  CredentialRegistry__factory,
  DIDRegistry__factory,
  RWADistributor__factory,
  RWADvP__factory,
  RWAFactory__factory,
  RWAToken__factory,
  TestStablecoin__factory,
} from "../../typechain-types/index.js";
import type { Bench } from "./context.js";

const DAY = 86_400n;
const UNIT = 10n ** 18n;
const USD = 1_000_000n;
const coder = AbiCoder.defaultAbiCoder();
const uint = (value: bigint) => coder.encode(["uint256"], [value]);

/**
 * RWA operations; budgets and T-REX 4.1.6 reference figures in bench/budgets.json. Accounts 12-19 (clear of the
 * other modules' benches); signers[0] holds the asset roles, signers[4] is the credential issuer.
 * - `rwa.issueAsset`: a whole asset with three rules (supply cap, max holders, max balance).
 * - The budgeted token operations run on the T-REX reference configuration: one credential topic (KYC), one
 *   trusted issuer, compliance without rules asked on the path ("warm": between existing holders; "newHolder": to
 *   an account holding nothing yet).
 * - `*.rule.<name>` variants run the same operation on the ruled asset, to show what each rule asked adds.
 */
export const assets: Bench = {
  module: "Assets",
  async run({ address, connection, measure, signers }) {
    const { ethers, networkHelpers } = connection;
    const [admin, , , , issuer] = signers;
    const [alice, bob, carol, dave, appraiser, lost, recovered, relayer] = signers.slice(12, 20);
    const factory = RWAFactory__factory.connect(address("rwaFactory"), admin);
    const credentials = CredentialRegistry__factory.connect(address("credentialRegistry"), admin);
    const dids = DIDRegistry__factory.connect(address("didRegistry"), admin);
    const assetData = AssetData__factory.connect(address("assetData"), admin);
    const distributor = RWADistributor__factory.connect(address("rwaDistributor"), admin);
    const dvp = RWADvP__factory.connect(address("rwaDvP"), admin);
    const usd = await new TestStablecoin__factory(admin).deploy("Test Dollar", "TUSD");
    const usdAddress = await usd.getAddress();

    for (const topic of [Topics.KYC, Topics.APPRAISER]) {
      if (!(await credentials.isTrustedIssuer(topic, issuer.address))) {
        await (await credentials.setIssuerTrust(topic, issuer.address, true)).wait();
      }
    }
    const now = BigInt(await networkHelpers.time.latest());
    const grant = async (subject: string, topic: number) =>
      (await credentials.connect(issuer).issue(id(`bench:rwa:${subject}:${topic}`), issuer.address, subject, topic, now, now + 3650n * DAY)).wait();
    // Ten verified holders that are plain addresses (a credential needs no signature of its subject).
    const crowd = Array.from({ length: 10 }, (_, i) => new Wallet(id(`bench:rwa:crowd:${i}`)).address);
    for (const holder of [alice, bob, carol, dave, lost, recovered].map((s) => s.address).concat(crowd)) {
      await grant(holder, Topics.KYC);
    }
    await grant(appraiser.address, Topics.APPRAISER);

    // A whole asset in one transaction: proxy, topics, supply cap and max holders, roles, directory entry.
    const spec = {
      directoryName: encodeBytes32String("RWA:bench-receipt"),
      name: "Bench Warehouse Receipt",
      symbol: "BWR",
      decimals: 18,
      topics: [Topics.KYC],
      rules: [
        { rule: address("supplyCapRule"), settings: uint(1_000_000_000n * UNIT) },
        { rule: address("maxHoldersRule"), settings: uint(1_000n) },
      ],
    };
    spec.rules.push({ rule: address("maxBalanceRule"), settings: uint(1_000_000n * UNIT) });
    const ruledAddress = await factory.issueAsset.staticCall(spec);
    await measure("rwa.issueAsset", factory.issueAsset(spec));
    const ruled = RWAToken__factory.connect(ruledAddress, admin);
    const reference = { ...spec, directoryName: encodeBytes32String("RWA:bench-reference"), symbol: "BREF", rules: [] };
    const tokenAddress = await factory.issueAsset.staticCall(reference);
    await (await factory.issueAsset(reference)).wait();
    const token = RWAToken__factory.connect(tokenAddress, admin);

    // What each rule asked costs: the same operations on the ruled asset.
    await (await ruled.mint(alice.address, 1_000n * UNIT)).wait();
    await measure("rwa.mint.warm.rule.supplyCap+maxBalance", ruled.mint(alice.address, UNIT));
    await (await ruled.mint(bob.address, UNIT)).wait();
    await (await ruled.connect(alice).transfer(bob.address, UNIT)).wait();
    await measure("rwa.transfer.warm.rule.maxBalance", ruled.connect(alice).transfer(bob.address, UNIT));
    await measure("rwa.transfer.newHolder.rule.maxHolders+maxBalance", ruled.connect(alice).transfer(dave.address, UNIT));

    await (await token.mint(alice.address, 10_000n * UNIT)).wait();
    await (await token.mint(bob.address, 10_000n * UNIT)).wait();
    await measure("rwa.mint.warm", token.mint(bob.address, 1_000n * UNIT));
    await (await token.batchMint(crowd, crowd.map(() => UNIT))).wait();

    await (await token.connect(alice).transfer(bob.address, UNIT)).wait();
    await measure("rwa.transfer.warm", token.connect(alice).transfer(bob.address, UNIT));
    await measure("rwa.transfer.newHolder", token.connect(alice).transfer(carol.address, UNIT));
    await measure("rwa.batchTransfer10", token.connect(alice).batchTransfer(crowd, crowd.map(() => UNIT)));
    await (await token.connect(bob).approve(relayer.address, 100n * UNIT)).wait();
    await measure("rwa.transferFrom.warm", token.connect(relayer).transferFrom(bob.address, alice.address, UNIT));

    // Agent operations.
    await measure("rwa.forcedTransfer", token.forcedTransfer(bob.address, alice.address, UNIT));
    await measure("rwa.freezePartial", token.freezePartialTokens(bob.address, 10n * UNIT));
    await measure("rwa.unfreezePartial", token.unfreezePartialTokens(bob.address, 10n * UNIT));
    await measure("rwa.setAddressFrozen", token.setAddressFrozen(carol.address, true));
    await (await token.setAddressFrozen(carol.address, false)).wait();
    await measure("rwa.burn", token.burn(bob.address, UNIT));

    // Recovery: `lost`'s DID rotates to `recovered`; the agent moves the holding there.
    await (await token.mint(lost.address, 100n * UNIT)).wait();
    await (await dids.connect(lost).changeOwner(lost.address, recovered.address)).wait();
    await measure("rwa.recoveryAddress", token.recoveryAddress(lost.address, recovered.address, lost.address));

    // Distributions: the second one is the warm case (the holder's claim bitmap word exists).
    await (await usd.mint(admin.address, 10_000_000n * USD)).wait();
    await (await usd.approve(await distributor.getAddress(), ethers.MaxUint256)).wait();
    await (await distributor.distribute(tokenAddress, usdAddress, 100_000n * USD)).wait();
    await measure("rwa.distribute", distributor.distribute(tokenAddress, usdAddress, 100_000n * USD));
    await (await usd.mint(alice.address, USD)).wait();
    await (await distributor.connect(alice).claim(tokenAddress, 1n)).wait();
    await measure("rwa.claimDistribution", distributor.connect(alice).claim(tokenAddress, 2n));

    // Asset data.
    await measure(
      "rwa.setDocument",
      assetData.setDocument(tokenAddress, encodeBytes32String("prospectus"), "ipfs://bench-prospectus", id("prospectus")),
    );
    await measure(
      "rwa.postValuation",
      assetData.connect(appraiser).postValuation(tokenAddress, 1_000_000n * USD, "0x434e590000000000", 6, now, id("report")),
    );

    // DvP: alice sells 10 units to bob for 1,000 USD; the second settlement is warm (both nonces used before).
    const { chainId } = await ethers.provider.getNetwork();
    const domain = domainOf("RWADvP", chainId, await dvp.getAddress());
    await (await token.connect(alice).approve(await dvp.getAddress(), ethers.MaxUint256)).wait();
    await (await usd.mint(bob.address, 10_000n * USD)).wait();
    await (await usd.connect(bob).approve(await dvp.getAddress(), ethers.MaxUint256)).wait();
    const settle = async () => {
      const deadline = BigInt(await networkHelpers.time.latest()) + DAY;
      const base = { asset: tokenAddress, assetAmount: 10n * UNIT, paymentToken: usdAddress, paymentAmount: 1_000n * USD, counterparty: ethers.ZeroAddress, deadline };
      const sell = { ...base, maker: alice.address, sell: true, nonce: await dvp.nonces(alice.address) };
      const buy = { ...base, maker: bob.address, sell: false, nonce: await dvp.nonces(bob.address) };
      const sellSignature = await alice.signTypedData(domain, RWADvPTypes.Order, sell);
      const buySignature = await bob.signTypedData(domain, RWADvPTypes.Order, buy);
      return dvp.connect(relayer).settle(sell, sellSignature, buy, buySignature);
    };
    await measure("rwa.dvp.first", settle());
    await measure("rwa.dvp", settle());
  },
};

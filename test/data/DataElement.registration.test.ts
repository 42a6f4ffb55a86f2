/**
 * DataElement registration certificates: who may register (the data-provider credential, through the IdentityGate),
 * what a registration records (certificateOf, events), and every refusal with the state untouched.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { Topics } from "../../deploy/topics.js";
import { classificationName } from "../../deploy/data.js";
import { deployData, Level, payeeTuples, type PayeeArgs } from "./fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture } = networkHelpers;

const DATA_PROVIDER = Topics.DATA_PROVIDER;
const HASH = ethers.id("trustbase:registration:data-set");
const TOKEN = BigInt(HASH);

async function fixture() {
  return deployData(connection);
}

describe("DataElement: registration", function () {
  it("mints the certificate to a data provider and records registrant, time, classification, category, royalty", async function () {
    const { element, revenue, provider } = await loadFixture(fixture);
    const tx = element.connect(provider).register(HASH, Level.SENSITIVE, 42, 500, "ipfs://meta", []);
    await expect(tx).to.emit(element, "DataRegistered").withArgs(TOKEN, provider.address, Level.SENSITIVE, 42, 500, "ipfs://meta");
    await expect(tx).to.emit(element, "Transfer").withArgs(ethers.ZeroAddress, provider.address, TOKEN);
    // No payees given: none stored, no event, every fee to the holder.
    await expect(tx).not.to.emit(revenue, "PayeesChanged");
    const receipt = await (await tx).wait();
    const at = BigInt((await ethers.provider.getBlock(receipt!.blockNumber))!.timestamp);
    expect(await element.certificateOf(TOKEN)).to.deep.equal([provider.address, at, BigInt(Level.SENSITIVE), 42n, 500n, true, false]);
    expect(await element.ownerOf(TOKEN)).to.equal(provider.address);
    expect(await element.tokenURI(TOKEN)).to.equal("ipfs://meta");
    expect(await revenue.payeesOf(TOKEN)).to.deep.equal([[ethers.ZeroAddress, 10_000n]]);
    expect(await element.operatorOf(TOKEN)).to.equal(ethers.ZeroAddress);
    expect(await element.useOf(TOKEN)).to.deep.equal([ethers.ZeroAddress, 0n, false, 0n]);
    expect(await element.offerOf(TOKEN)).to.deep.equal([ethers.ZeroAddress, 0n, 0n, 0n, 0n, false]);
  });

  it("returns the token id (the data hash as a number)", async function () {
    const { element, provider } = await loadFixture(fixture);
    expect(await element.connect(provider).register.staticCall(HASH, Level.PUBLIC, 0, 0, "", [])).to.equal(TOKEN);
  });

  it("stores the payees given, in DataRevenue (PayeesChanged), up to eight", async function () {
    const { element, revenue, provider, operator, exchange } = await loadFixture(fixture);
    const payees: PayeeArgs[] = [
      { account: ethers.ZeroAddress, bps: 6_000 },
      { account: operator.address, bps: 2_500 },
      { account: exchange.address, bps: 1_500 },
    ];
    await expect(element.connect(provider).register(HASH, Level.PUBLIC, 1, 0, "", payees))
      .to.emit(revenue, "PayeesChanged")
      .withArgs(TOKEN, payeeTuples(payees));
    expect(await revenue.payeesOf(TOKEN)).to.deep.equal(payeeTuples(payees));

    const eight: PayeeArgs[] = Array.from({ length: 8 }, (_, i) => ({
      account: ethers.getAddress(ethers.toBeHex(0x1000 + i, 20)),
      bps: i === 7 ? 10_000 - 7 * 1_250 : 1_250,
    }));
    const second = ethers.id("eight payees");
    await expect(element.connect(provider).register(second, Level.PUBLIC, 1, 0, "", eight))
      .to.emit(revenue, "PayeesChanged")
      .withArgs(BigInt(second), payeeTuples(eight));
    expect(await revenue.payeesOf(BigInt(second))).to.deep.equal(payeeTuples(eight));
    expect(await revenue.MAX_PAYEES()).to.equal(8n);
  });

  it("registers core data (not rentable, but registrable) and a royalty of exactly 100 %", async function () {
    const { element, provider } = await loadFixture(fixture);
    await expect(element.connect(provider).register(HASH, Level.CORE, 3, 10_000, "", []))
      .to.emit(element, "DataRegistered")
      .withArgs(TOKEN, provider.address, Level.CORE, 3, 10_000, "");
    expect((await element.certificateOf(TOKEN)).classification).to.equal(BigInt(Level.CORE));
  });

  describe("refusals (state untouched)", function () {
    /** Nothing was registered under HASH and the provider holds no certificate. */
    async function expectNothingRegistered(f: Awaited<ReturnType<typeof fixture>>) {
      await expect(f.element.ownerOf(TOKEN)).to.be.revertedWithCustomError(f.element, "ERC721NonexistentToken").withArgs(TOKEN);
      await expect(f.element.certificateOf(TOKEN)).to.be.revertedWithCustomError(f.element, "DataUnknownToken").withArgs(TOKEN);
      expect(await f.element.balanceOf(f.provider.address)).to.equal(0n);
      expect(await f.revenue.payeesOf(TOKEN)).to.deep.equal([[ethers.ZeroAddress, 10_000n]]);
    }

    it("refuses an account without the data-provider credential (a stranger, a member holding other credentials)", async function () {
      const f = await loadFixture(fixture);
      for (const caller of [f.outsider, f.bank, f.admin]) {
        await expect(f.element.connect(caller).register(HASH, Level.PUBLIC, 1, 0, "", []))
          .to.be.revertedWithCustomError(f.element, "IdentityGateMissingCredential")
          .withArgs(caller.address, DATA_PROVIDER);
      }
      await expectNothingRegistered(f);
    });

    it("refuses a provider whose credential was suspended, then revoked", async function () {
      const f = await loadFixture(fixture);
      const id = f.credentialIds[`provider:${DATA_PROVIDER}`];
      await (await f.credentials.connect(f.issuer).suspend(id)).wait();
      await expect(f.element.connect(f.provider).register(HASH, Level.PUBLIC, 1, 0, "", []))
        .to.be.revertedWithCustomError(f.element, "IdentityGateMissingCredential")
        .withArgs(f.provider.address, DATA_PROVIDER);
      await (await f.credentials.connect(f.issuer).revoke(id)).wait();
      await expect(f.element.connect(f.provider).register(HASH, Level.PUBLIC, 1, 0, "", []))
        .to.be.revertedWithCustomError(f.element, "IdentityGateMissingCredential")
        .withArgs(f.provider.address, DATA_PROVIDER);
      await expectNothingRegistered(f);
    });

    it("refuses a provider whose credential has expired (validUntil is exclusive)", async function () {
      const f = await loadFixture(fixture);
      const status = await f.credentials.statusOf(f.credentialIds[`provider:${DATA_PROVIDER}`]);
      await networkHelpers.time.setNextBlockTimestamp(status.validUntil);
      await expect(f.element.connect(f.provider).register(HASH, Level.PUBLIC, 1, 0, "", []))
        .to.be.revertedWithCustomError(f.element, "IdentityGateMissingCredential")
        .withArgs(f.provider.address, DATA_PROVIDER);
      await expectNothingRegistered(f);
    });

    it("refuses a provider that no longer controls its DID (owner changed)", async function () {
      const f = await loadFixture(fixture);
      await (await f.dids.connect(f.provider).changeOwner(f.provider.address, f.outsider.address)).wait();
      await expect(f.element.connect(f.provider).register(HASH, Level.PUBLIC, 1, 0, "", []))
        .to.be.revertedWithCustomError(f.element, "IdentityGateNotController")
        .withArgs(f.provider.address, f.provider.address);
      // The new owner of the provider DID acts as itself: it holds no credential.
      await expect(f.element.connect(f.outsider).register(HASH, Level.PUBLIC, 1, 0, "", []))
        .to.be.revertedWithCustomError(f.element, "IdentityGateMissingCredential")
        .withArgs(f.outsider.address, DATA_PROVIDER);
      await expectNothingRegistered(f);
    });

    it("refuses the data hash 0", async function () {
      const f = await loadFixture(fixture);
      await expect(f.element.connect(f.provider).register(ethers.ZeroHash, Level.PUBLIC, 1, 0, "", [])).to.be.revertedWithCustomError(
        f.element,
        "DataHashZero",
      );
      expect(await f.element.balanceOf(f.provider.address)).to.equal(0n);
    });

    it("refuses to register the same data hash again, naming it, whoever holds the certificate now", async function () {
      const f = await loadFixture(fixture);
      await (await f.element.connect(f.provider).register(HASH, Level.PUBLIC, 1, 100, "ipfs://first", [])).wait();
      const certificate = await f.element.certificateOf(TOKEN);
      await expect(f.element.connect(f.provider).register(HASH, Level.INTERNAL, 2, 0, "ipfs://second", []))
        .to.be.revertedWithCustomError(f.element, "DataAlreadyRegistered")
        .withArgs(HASH);
      await (await f.element.connect(f.provider).transferFrom(f.provider.address, f.bank.address, TOKEN)).wait();
      await expect(f.element.connect(f.provider).register(HASH, Level.INTERNAL, 2, 0, "ipfs://second", []))
        .to.be.revertedWithCustomError(f.element, "DataAlreadyRegistered")
        .withArgs(HASH);
      expect(await f.element.certificateOf(TOKEN)).to.deep.equal(certificate);
      expect(await f.element.tokenURI(TOKEN)).to.equal("ipfs://first");
      expect(await f.element.ownerOf(TOKEN)).to.equal(f.bank.address);
    });

    it("refuses classification 0, a level never named and a level governance removed", async function () {
      const f = await loadFixture(fixture);
      for (const level of [0, 5, 255]) {
        await expect(f.element.connect(f.provider).register(HASH, level, 1, 0, "", []))
          .to.be.revertedWithCustomError(f.element, "DataUnknownClassification")
          .withArgs(level);
      }
      await (await f.element.setClassification(Level.INTERNAL, ethers.ZeroHash, false)).wait();
      await expect(f.element.connect(f.provider).register(HASH, Level.INTERNAL, 1, 0, "", []))
        .to.be.revertedWithCustomError(f.element, "DataUnknownClassification")
        .withArgs(Level.INTERNAL);
      await expectNothingRegistered(f);
      // A level governance adds is usable at once.
      await (await f.element.setClassification(9, classificationName("PARTNER"), true)).wait();
      await expect(f.element.connect(f.provider).register(HASH, 9, 1, 0, "", [])).to.emit(f.element, "DataRegistered");
    });

    it("refuses a royalty above 10,000 bps", async function () {
      const f = await loadFixture(fixture);
      for (const royalty of [10_001, 65_535]) {
        await expect(f.element.connect(f.provider).register(HASH, Level.PUBLIC, 1, royalty, "", []))
          .to.be.revertedWithCustomError(f.element, "DataRoyaltyTooHigh")
          .withArgs(royalty);
      }
      await expectNothingRegistered(f);
    });

    it("refuses invalid payees: more than eight, a zero share, a duplicate, shares not adding up to 10,000", async function () {
      const f = await loadFixture(fixture);
      const a = f.operator.address;
      const b = f.exchange.address;
      const nine: PayeeArgs[] = Array.from({ length: 9 }, (_, i) => ({
        account: ethers.getAddress(ethers.toBeHex(0x2000 + i, 20)),
        bps: i === 8 ? 10_000 - 8 * 1_111 : 1_111,
      }));
      const invalid: Record<string, PayeeArgs[]> = {
        nine,
        "zero share": [
          { account: a, bps: 10_000 },
          { account: b, bps: 0 },
        ],
        "duplicate account": [
          { account: a, bps: 5_000 },
          { account: a, bps: 5_000 },
        ],
        "holder twice": [
          { account: ethers.ZeroAddress, bps: 5_000 },
          { account: ethers.ZeroAddress, bps: 5_000 },
        ],
        "sum 9,999": [
          { account: a, bps: 5_000 },
          { account: b, bps: 4_999 },
        ],
        "sum 10,001": [
          { account: a, bps: 5_000 },
          { account: b, bps: 5_001 },
        ],
        "one payee below 10,000": [{ account: a, bps: 9_999 }],
      };
      expect(nine.reduce((sum, p) => sum + p.bps, 0)).to.equal(10_000);
      for (const [label, payees] of Object.entries(invalid)) {
        await expect(f.element.connect(f.provider).register(HASH, Level.PUBLIC, 1, 0, "", payees), label).to.be.revertedWithCustomError(
          f.revenue,
          "RevenueInvalidPayees",
        );
      }
      await expectNothingRegistered(f);
    });

    it("certificateOf and royaltyInfo refuse an unknown token", async function () {
      const f = await loadFixture(fixture);
      await expect(f.element.certificateOf(TOKEN)).to.be.revertedWithCustomError(f.element, "DataUnknownToken").withArgs(TOKEN);
      await expect(f.element.royaltyInfo(TOKEN, 1n)).to.be.revertedWithCustomError(f.element, "DataUnknownToken").withArgs(TOKEN);
    });
  });
});

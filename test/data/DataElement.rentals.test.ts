/**
 * DataElement operation right, offers, rentals and the access decision: who may publish and withdraw offers, what an
 * offer may be, the fee of a rental to the last unit and its split, the renter's protection (no revocation, transfers
 * keep the user), renewals, free offers, presentations, quotes, hasAccess; and the governance functions.
 *
 * The market fixture: `provider` holds the token, `operator` operates it, the offer is 7 units/second in the test
 * stablecoin for 1 hour to 30 days to data-exchange members; payees holder 3,333 / operator 3,333 / exchange 3,334.
 */
import { expect } from "chai";
import { network } from "hardhat";
import type { Signer } from "ethers";
import { Topics } from "../../deploy/topics.js";
import { classificationName } from "../../deploy/data.js";
import { CredentialRegistryTypes, domainOf } from "../../sdk/eip712.js";
import {
  DataElement__factory,
  DataRevenue__factory,
  TestStablecoin__factory,
} from "../../typechain-types/index.js";
import { DAY, deployMarket, HOUR, Level, offerTuple, splitFee, USD, type OfferArgs } from "./fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture, time } = networkHelpers;

const MEMBER = Topics.DATA_EXCHANGE_MEMBER;
const KYC = Topics.KYC;
const UNKNOWN = BigInt(ethers.id("never registered"));
const latest = async () => BigInt(await time.latest());

async function fixture() {
  const f = await deployMarket(connection);
  const elementAddress = await f.element.getAddress();
  const revenueAddress = await f.revenue.getAddress();
  const usdAddress = await f.usd.getAddress();
  const { chainId } = await ethers.provider.getNetwork();
  const credentialsDomain = domainOf("CredentialRegistry", chainId, await f.credentials.getAddress());
  /** A presentation by `holder` of `credentialIds` to the DataElement (or `over.verifier`), valid one hour. */
  const present = async (holder: Signer & { address: string }, credentialIds: string[], over: Partial<{ verifier: string; validUntil: bigint }> = {}) => {
    const presentation = {
      holder: holder.address,
      verifier: elementAddress,
      credentialIds,
      validUntil: (await latest()) + HOUR,
      ...over,
    };
    const signature = await holder.signTypedData(credentialsDomain, CredentialRegistryTypes.Presentation, presentation);
    return { presentation, signature };
  };
  return { ...f, elementAddress, revenueAddress, usdAddress, present };
}
type Fixture = Awaited<ReturnType<typeof fixture>>;

/** `bank` rents the token for `duration` seconds in a block at a known time; returns start and expiry. */
async function rentAt(f: Fixture, duration: bigint, renter = f.bank) {
  const start = (await latest()) + 10n;
  await time.setNextBlockTimestamp(start);
  await (await f.element.connect(renter).rent(f.tokenId, duration, ethers.MaxUint256)).wait();
  return { start, expires: start + duration - 1n };
}

/** Credits of the market's three payees (holder `provider`, `operator`, `exchange`) in the stablecoin. */
async function credits(f: Fixture, holder = f.provider) {
  return Promise.all([holder, f.operator, f.exchange].map((p) => f.revenue.creditOf(p.address, f.usdAddress)));
}

describe("DataElement: operation right, offers, rentals, access", function () {
  describe("operation right", function () {
    it("the holder names, replaces and removes the operator, with events; an unchanged operator is refused", async function () {
      const { element, provider, operator, renter2, tokenId } = await loadFixture(fixture);
      expect(await element.operatorOf(tokenId)).to.equal(operator.address);
      await expect(element.connect(provider).setOperator(tokenId, renter2.address))
        .to.emit(element, "OperatorChanged")
        .withArgs(tokenId, operator.address, renter2.address);
      expect(await element.operatorOf(tokenId)).to.equal(renter2.address);
      await expect(element.connect(provider).setOperator(tokenId, renter2.address))
        .to.be.revertedWithCustomError(element, "DataOperatorUnchanged")
        .withArgs(tokenId, renter2.address);
      await expect(element.connect(provider).setOperator(tokenId, ethers.ZeroAddress))
        .to.emit(element, "OperatorChanged")
        .withArgs(tokenId, renter2.address, ethers.ZeroAddress);
      expect(await element.operatorOf(tokenId)).to.equal(ethers.ZeroAddress);
      await expect(element.connect(provider).setOperator(tokenId, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(element, "DataOperatorUnchanged")
        .withArgs(tokenId, ethers.ZeroAddress);
    });

    it("only the holder names the operator: not the operator, an approved account, a stranger; unknown token refused", async function () {
      const { element, provider, operator, bank, outsider, tokenId } = await loadFixture(fixture);
      await (await element.connect(provider).setApprovalForAll(bank.address, true)).wait();
      for (const caller of [operator, bank, outsider]) {
        await expect(element.connect(caller).setOperator(tokenId, caller.address))
          .to.be.revertedWithCustomError(element, "DataNotHolder")
          .withArgs(tokenId, caller.address);
      }
      await expect(element.connect(provider).setOperator(UNKNOWN, operator.address))
        .to.be.revertedWithCustomError(element, "DataUnknownToken")
        .withArgs(UNKNOWN);
      expect(await element.operatorOf(tokenId)).to.equal(operator.address);
    });

    it("the operator publishes and withdraws offers and sets the URI, but cannot set users, transfer, name operators or change the transfer rule", async function () {
      const { element, operator, bank, provider, tokenId, offer } = await loadFixture(fixture);
      const next = { ...offer, pricePerSecond: 11n };
      await expect(element.connect(operator).publishOffer(tokenId, next))
        .to.emit(element, "OfferPublished")
        .withArgs(tokenId, operator.address, offerTuple(next));
      await expect(element.connect(operator).withdrawOffer(tokenId)).to.emit(element, "OfferWithdrawn").withArgs(tokenId, operator.address);
      await expect(element.connect(operator).setTokenURI(tokenId, "ipfs://op")).to.emit(element, "MetadataUpdate").withArgs(tokenId);
      const expires = (await latest()) + DAY;
      await expect(element.connect(operator).setUser(tokenId, bank.address, expires))
        .to.be.revertedWithCustomError(element, "DataNotHolder")
        .withArgs(tokenId, operator.address);
      await expect(element.connect(operator).setUsers([tokenId], [bank.address], [expires]))
        .to.be.revertedWithCustomError(element, "DataNotHolder")
        .withArgs(tokenId, operator.address);
      await expect(element.connect(operator).transferFrom(provider.address, operator.address, tokenId))
        .to.be.revertedWithCustomError(element, "ERC721InsufficientApproval")
        .withArgs(operator.address, tokenId);
      await expect(element.connect(operator).setOperator(tokenId, bank.address))
        .to.be.revertedWithCustomError(element, "DataNotHolder")
        .withArgs(tokenId, operator.address);
      await expect(element.connect(operator).setClearUserOnTransfer(tokenId, false))
        .to.be.revertedWithCustomError(element, "DataNotHolder")
        .withArgs(tokenId, operator.address);
      expect(await element.ownerOf(tokenId)).to.equal(provider.address);
      expect(await element.userOf(tokenId)).to.equal(ethers.ZeroAddress);
    });

    it("a removed operator can no longer publish, withdraw or set the URI", async function () {
      const { element, provider, operator, tokenId, offer } = await loadFixture(fixture);
      await (await element.connect(provider).setOperator(tokenId, ethers.ZeroAddress)).wait();
      await expect(element.connect(operator).publishOffer(tokenId, offer))
        .to.be.revertedWithCustomError(element, "DataNotHolderOrOperator")
        .withArgs(tokenId, operator.address);
      await expect(element.connect(operator).withdrawOffer(tokenId))
        .to.be.revertedWithCustomError(element, "DataNotHolderOrOperator")
        .withArgs(tokenId, operator.address);
      await expect(element.connect(operator).setTokenURI(tokenId, "x"))
        .to.be.revertedWithCustomError(element, "DataNotHolderOrOperator")
        .withArgs(tokenId, operator.address);
    });

    it("setClearUserOnTransfer: holder only, with an event; an unchanged setting is refused", async function () {
      const { element, provider, outsider, tokenId } = await loadFixture(fixture);
      expect((await element.certificateOf(tokenId)).clearUserOnTransfer).to.equal(true);
      await expect(element.connect(provider).setClearUserOnTransfer(tokenId, true))
        .to.be.revertedWithCustomError(element, "DataSettingUnchanged")
        .withArgs(tokenId);
      await expect(element.connect(provider).setClearUserOnTransfer(tokenId, false))
        .to.emit(element, "ClearUserOnTransferChanged")
        .withArgs(tokenId, false);
      expect((await element.certificateOf(tokenId)).clearUserOnTransfer).to.equal(false);
      await expect(element.connect(outsider).setClearUserOnTransfer(tokenId, true))
        .to.be.revertedWithCustomError(element, "DataNotHolder")
        .withArgs(tokenId, outsider.address);
      await expect(element.connect(provider).setClearUserOnTransfer(UNKNOWN, true))
        .to.be.revertedWithCustomError(element, "DataUnknownToken")
        .withArgs(UNKNOWN);
    });
  });

  describe("offers", function () {
    it("the holder publishes an offer (OfferPublished, offerOf), replacing the operator's", async function () {
      const { element, provider, tokenId, offer } = await loadFixture(fixture);
      expect(await element.offerOf(tokenId)).to.deep.equal(offerTuple(offer));
      const next: OfferArgs = { ...offer, pricePerSecond: 1n, minDuration: 1n, maxDuration: 1n, topic: 0 };
      await expect(element.connect(provider).publishOffer(tokenId, next))
        .to.emit(element, "OfferPublished")
        .withArgs(tokenId, provider.address, offerTuple(next));
      expect(await element.offerOf(tokenId)).to.deep.equal(offerTuple(next));
    });

    it("refuses invalid terms, the offer unchanged: unaccepted payment token, min 0, max < min, presentation without topic", async function () {
      const { element, operator, tokenId, offer, admin, outsider } = await loadFixture(fixture);
      const other = await new TestStablecoin__factory(admin).deploy("Other", "OTH");
      for (const token of [await other.getAddress(), outsider.address, ethers.ZeroAddress]) {
        await expect(element.connect(operator).publishOffer(tokenId, { ...offer, paymentToken: token }))
          .to.be.revertedWithCustomError(element, "DataPaymentTokenNotAccepted")
          .withArgs(token);
      }
      const invalid: Partial<OfferArgs>[] = [
        { minDuration: 0n },
        { minDuration: 0n, maxDuration: 0n },
        { minDuration: 10n, maxDuration: 9n },
        { requiresPresentation: true, topic: 0 },
      ];
      for (const change of invalid) {
        await expect(element.connect(operator).publishOffer(tokenId, { ...offer, ...change }), JSON.stringify(change, (_, v) => (typeof v === "bigint" ? v.toString() : v)))
          .to.be.revertedWithCustomError(element, "DataInvalidOffer")
          .withArgs(tokenId);
      }
      expect(await element.offerOf(tokenId)).to.deep.equal(offerTuple(offer));
      // The bounds may be equal, and the price zero.
      const exact = { ...offer, minDuration: 5n, maxDuration: 5n, pricePerSecond: 0n };
      await expect(element.connect(operator).publishOffer(tokenId, exact)).to.emit(element, "OfferPublished");
    });

    it("refuses offers on core data (not rentable), by strangers and on unknown tokens", async function () {
      const { element, provider, outsider, bank, tokenId, offer } = await loadFixture(fixture);
      const core = ethers.id("core data");
      await (await element.connect(provider).register(core, Level.CORE, 1, 0, "", [])).wait();
      await expect(element.connect(provider).publishOffer(BigInt(core), offer))
        .to.be.revertedWithCustomError(element, "DataClassificationNotRentable")
        .withArgs(Level.CORE);
      expect(await element.offerOf(BigInt(core))).to.deep.equal([ethers.ZeroAddress, 0n, 0n, 0n, 0n, false]);
      for (const caller of [outsider, bank]) {
        await expect(element.connect(caller).publishOffer(tokenId, offer))
          .to.be.revertedWithCustomError(element, "DataNotHolderOrOperator")
          .withArgs(tokenId, caller.address);
        await expect(element.connect(caller).withdrawOffer(tokenId))
          .to.be.revertedWithCustomError(element, "DataNotHolderOrOperator")
          .withArgs(tokenId, caller.address);
      }
      await expect(element.connect(provider).publishOffer(UNKNOWN, offer))
        .to.be.revertedWithCustomError(element, "DataUnknownToken")
        .withArgs(UNKNOWN);
    });

    it("withdrawOffer: OfferWithdrawn, no offer left (the topic kept), a second withdrawal refused, renting and quoting refused", async function () {
      const { element, provider, bank, tokenId, offer } = await loadFixture(fixture);
      await expect(element.connect(provider).withdrawOffer(tokenId)).to.emit(element, "OfferWithdrawn").withArgs(tokenId, provider.address);
      expect(await element.offerOf(tokenId)).to.deep.equal(offerTuple({ ...offer, maxDuration: 0n }));
      await expect(element.connect(provider).withdrawOffer(tokenId)).to.be.revertedWithCustomError(element, "DataNoOffer").withArgs(tokenId);
      await expect(element.connect(bank).rent(tokenId, HOUR, ethers.MaxUint256))
        .to.be.revertedWithCustomError(element, "DataNoOffer")
        .withArgs(tokenId);
      await expect(element.quote(tokenId, HOUR)).to.be.revertedWithCustomError(element, "DataNoOffer").withArgs(tokenId);
    });

    it("publishOffers: several tokens at once, atomically; refuses lists of different lengths", async function () {
      const { element, provider, operator, tokenId, offer } = await loadFixture(fixture);
      const second = BigInt(ethers.id("second"));
      await (await element.connect(provider).register(ethers.toBeHex(second, 32), Level.PUBLIC, 1, 0, "", [])).wait();
      const offers = [
        { ...offer, pricePerSecond: 2n },
        { ...offer, pricePerSecond: 3n, topic: 0 },
      ];
      const tx = element.connect(provider).publishOffers([tokenId, second], offers);
      await expect(tx).to.emit(element, "OfferPublished").withArgs(tokenId, provider.address, offerTuple(offers[0]));
      await expect(tx).to.emit(element, "OfferPublished").withArgs(second, provider.address, offerTuple(offers[1]));
      expect(await element.offerOf(second)).to.deep.equal(offerTuple(offers[1]));
      await expect(element.connect(provider).publishOffers([tokenId, second], [offer])).to.be.revertedWithCustomError(
        element,
        "DataBatchLengthMismatch",
      );
      // The operator operates the first token only: the whole batch fails, the first offer unchanged.
      await expect(element.connect(operator).publishOffers([tokenId, second], [offer, offer]))
        .to.be.revertedWithCustomError(element, "DataNotHolderOrOperator")
        .withArgs(second, operator.address);
      expect(await element.offerOf(tokenId)).to.deep.equal(offerTuple(offers[0]));
    });

    it("setUsers: several tokens at once; refuses lists of different lengths and fails atomically", async function () {
      const { element, provider, bank, renter2, tokenId } = await loadFixture(fixture);
      const second = BigInt(ethers.id("second"));
      await (await element.connect(provider).register(ethers.toBeHex(second, 32), Level.PUBLIC, 1, 0, "", [])).wait();
      const expires = (await latest()) + DAY;
      const tx = element.connect(provider).setUsers([tokenId, second], [bank.address, renter2.address], [expires, expires + 1n]);
      await expect(tx).to.emit(element, "UpdateUser").withArgs(tokenId, bank.address, expires);
      await expect(tx).to.emit(element, "UpdateUser").withArgs(second, renter2.address, expires + 1n);
      expect(await element.userOf(second)).to.equal(renter2.address);
      await expect(element.connect(provider).setUsers([tokenId], [bank.address, renter2.address], [expires])).to.be.revertedWithCustomError(
        element,
        "DataBatchLengthMismatch",
      );
      await expect(element.connect(provider).setUsers([tokenId, second], [bank.address, renter2.address], [expires])).to.be.revertedWithCustomError(
        element,
        "DataBatchLengthMismatch",
      );
      await expect(element.connect(provider).setUsers([tokenId, UNKNOWN], [renter2.address, renter2.address], [expires, expires]))
        .to.be.revertedWithCustomError(element, "DataUnknownToken")
        .withArgs(UNKNOWN);
      expect(await element.userOf(tokenId)).to.equal(bank.address);
    });
  });

  describe("rent", function () {
    it("charges price x duration, collected from the renter, credited to the payees to the last unit", async function () {
      const f = await loadFixture(fixture);
      const { element, revenue, usd, bank, provider, operator, exchange, tokenId } = f;
      const duration = HOUR + 1n; // 3,601 s at 7 units: 25,207 units
      const fee = 25_207n;
      // 3,333 bps of 25,207 is 8,401.49...: 8,401 twice, the last payee the remainder 8,405.
      expect(splitFee(fee, f.payees)).to.deep.equal([8_401n, 8_401n, 8_405n]);
      expect(await element.quote(tokenId, duration)).to.deep.equal([fee, f.usdAddress]);
      const bankBefore = await usd.balanceOf(bank.address);
      const revenueBefore = await usd.balanceOf(f.revenueAddress);
      const start = (await latest()) + 5n;
      await time.setNextBlockTimestamp(start);
      const tx = element.connect(bank).rent(tokenId, duration, fee);
      const expires = start + duration - 1n;
      await expect(tx).to.emit(element, "Rented").withArgs(tokenId, bank.address, f.usdAddress, fee, start, expires, 1);
      await expect(tx).to.emit(element, "UpdateUser").withArgs(tokenId, bank.address, expires);
      await expect(tx).to.emit(usd, "Transfer").withArgs(bank.address, f.revenueAddress, fee);
      await expect(tx).to.emit(revenue, "RevenueCredited").withArgs(provider.address, f.usdAddress, tokenId, 8_401n);
      await expect(tx).to.emit(revenue, "RevenueCredited").withArgs(operator.address, f.usdAddress, tokenId, 8_401n);
      await expect(tx).to.emit(revenue, "RevenueCredited").withArgs(exchange.address, f.usdAddress, tokenId, 8_405n);
      expect(await usd.balanceOf(bank.address)).to.equal(bankBefore - fee);
      expect(await usd.balanceOf(f.revenueAddress)).to.equal(revenueBefore + fee);
      const credited = await credits(f);
      expect(credited).to.deep.equal([8_401n, 8_401n, 8_405n]);
      expect(credited.reduce((a, b) => a + b, 0n)).to.equal(fee);
      expect(await element.userOf(tokenId)).to.equal(bank.address);
      expect(await element.userExpires(tokenId)).to.equal(expires);
      expect(await element.useOf(tokenId)).to.deep.equal([bank.address, expires, true, 1n]);
      expect(await element.totalsOf(tokenId, f.usdAddress)).to.deep.equal([1n, fee]);
      // The allowance was MaxUint256: not consumed (OpenZeppelin ERC-20 leaves an infinite allowance).
      expect(await usd.allowance(bank.address, f.elementAddress)).to.equal(ethers.MaxUint256);
    });

    it("no dust lost or created over many rentals at odd prices: credits add up to the fees, and to DataRevenue's balance", async function () {
      const f = await loadFixture(fixture);
      const { element, operator, bank, tokenId, offer } = f;
      const cases: [bigint, bigint][] = [
        [1n, HOUR],
        [3n, HOUR + 7n],
        [13n, 86_399n],
        [1_000_003n, HOUR + 1n],
        [9_999n, 30n * DAY],
        [7n, 12_345n],
      ];
      const expected = [0n, 0n, 0n];
      let total = 0n;
      for (const [price, duration] of cases) {
        await (await element.connect(operator).publishOffer(tokenId, { ...offer, pricePerSecond: price })).wait();
        // Renewals by the current user: the same rental chain, each paid at its own price.
        await (await element.connect(bank).rent(tokenId, duration, price * duration)).wait();
        const fee = price * duration;
        splitFee(fee, f.payees).forEach((amount, i) => (expected[i] += amount));
        total += fee;
      }
      const credited = await credits(f);
      expect(credited).to.deep.equal(expected);
      expect(credited.reduce((a, b) => a + b, 0n)).to.equal(total);
      expect(await f.usd.balanceOf(f.revenueAddress)).to.equal(total);
      expect(await element.totalsOf(tokenId, f.usdAddress)).to.deep.equal([BigInt(cases.length), total]);
      expect((await element.useOf(tokenId)).rentals).to.equal(BigInt(cases.length));
    });

    it("refuses a fee above the renter's limit (maxFee), accepts it equal", async function () {
      const f = await loadFixture(fixture);
      const fee = 7n * HOUR;
      await expect(f.element.connect(f.bank).rent(f.tokenId, HOUR, fee - 1n))
        .to.be.revertedWithCustomError(f.element, "DataFeeAboveLimit")
        .withArgs(fee, fee - 1n);
      await expect(f.element.connect(f.bank).rent(f.tokenId, HOUR, fee)).to.emit(f.element, "Rented");
    });

    it("accepts durations at both bounds and refuses one second beyond each, and 0", async function () {
      const f = await loadFixture(fixture);
      const { element, bank, renter2, tokenId } = f;
      const [min, max] = [HOUR, 30n * DAY];
      for (const duration of [0n, min - 1n, max + 1n, 2n ** 255n]) {
        await expect(element.connect(bank).rent(tokenId, duration, ethers.MaxUint256))
          .to.be.revertedWithCustomError(element, "DataInvalidDuration")
          .withArgs(tokenId, duration, min, max);
        await expect(element.quote(tokenId, duration))
          .to.be.revertedWithCustomError(element, "DataInvalidDuration")
          .withArgs(tokenId, duration, min, max);
      }
      const { expires } = await rentAt(f, min);
      await time.increaseTo(expires + 1n);
      const second = await rentAt(f, max, renter2);
      expect(second.expires - second.start + 1n).to.equal(max);
      expect(await element.useOf(tokenId)).to.deep.equal([renter2.address, second.expires, true, 2n]);
    });

    it("refuses a renter without the offer's credential: a stranger, a member whose credential was revoked, a non-controller", async function () {
      const f = await loadFixture(fixture);
      const { element, credentials, dids, issuer, outsider, renter2, bank, provider, tokenId } = f;
      // The provider holds a credential, but not the data-exchange member one.
      for (const caller of [outsider, provider]) {
        await expect(element.connect(caller).rent(tokenId, HOUR, ethers.MaxUint256))
          .to.be.revertedWithCustomError(element, "IdentityGateMissingCredential")
          .withArgs(caller.address, MEMBER);
      }
      await (await credentials.connect(issuer).revoke(f.credentialIds[`renter2:${MEMBER}`])).wait();
      await expect(element.connect(renter2).rent(tokenId, HOUR, ethers.MaxUint256))
        .to.be.revertedWithCustomError(element, "IdentityGateMissingCredential")
        .withArgs(renter2.address, MEMBER);
      await (await dids.connect(bank).changeOwner(bank.address, outsider.address)).wait();
      await expect(element.connect(bank).rent(tokenId, HOUR, ethers.MaxUint256))
        .to.be.revertedWithCustomError(element, "IdentityGateNotController")
        .withArgs(bank.address, bank.address);
      expect(await element.useOf(tokenId)).to.deep.equal([ethers.ZeroAddress, 0n, false, 0n]);
      expect(await f.usd.balanceOf(f.revenueAddress)).to.equal(0n);
    });

    it("an offer without topic is open to anyone who pays", async function () {
      const f = await loadFixture(fixture);
      await (await f.element.connect(f.operator).publishOffer(f.tokenId, { ...f.offer, topic: 0 })).wait();
      await expect(f.element.connect(f.outsider).rent(f.tokenId, HOUR, ethers.MaxUint256)).to.emit(f.element, "Rented");
    });

    it("refuses a renter without allowance or without balance (the token's errors), nothing recorded", async function () {
      const f = await loadFixture(fixture);
      const { element, usd, renter2, outsider, tokenId } = f;
      const fee = 7n * HOUR;
      await (await usd.connect(renter2).approve(f.elementAddress, fee - 1n)).wait();
      await expect(element.connect(renter2).rent(tokenId, HOUR, fee))
        .to.be.revertedWithCustomError(usd, "ERC20InsufficientAllowance")
        .withArgs(f.elementAddress, fee - 1n, fee);
      await (await usd.connect(renter2).approve(f.elementAddress, ethers.MaxUint256)).wait();
      const balance = await usd.balanceOf(renter2.address);
      await (await usd.connect(renter2).transfer(outsider.address, balance - fee + 1n)).wait();
      await expect(element.connect(renter2).rent(tokenId, HOUR, fee))
        .to.be.revertedWithCustomError(usd, "ERC20InsufficientBalance")
        .withArgs(renter2.address, fee - 1n, fee);
      expect(await element.useOf(tokenId)).to.deep.equal([ethers.ZeroAddress, 0n, false, 0n]);
      expect(await element.totalsOf(tokenId, f.usdAddress)).to.deep.equal([0n, 0n]);
      expect(await credits(f)).to.deep.equal([0n, 0n, 0n]);
    });

    it("refuses another renter while a user is active (paid or not), until the second after its expiry", async function () {
      const f = await loadFixture(fixture);
      const { element, bank, renter2, provider, tokenId } = f;
      const { expires } = await rentAt(f, HOUR);
      await expect(element.connect(renter2).rent(tokenId, HOUR, ethers.MaxUint256))
        .to.be.revertedWithCustomError(element, "DataUserActive")
        .withArgs(tokenId, bank.address, expires);
      await time.setNextBlockTimestamp(expires);
      await expect(element.connect(renter2).rent(tokenId, HOUR, ethers.MaxUint256))
        .to.be.revertedWithCustomError(element, "DataUserActive")
        .withArgs(tokenId, bank.address, expires);
      await time.setNextBlockTimestamp(expires + 1n);
      await expect(element.connect(renter2).rent(tokenId, HOUR, ethers.MaxUint256))
        .to.emit(element, "Rented")
        .withArgs(tokenId, renter2.address, f.usdAddress, 7n * HOUR, expires + 1n, expires + HOUR, 2);
      // A user the holder set (not paid) also blocks other renters while it runs.
      await time.increaseTo(expires + HOUR + 1n);
      const until = (await latest()) + DAY;
      await (await element.connect(provider).setUser(tokenId, bank.address, until)).wait();
      await expect(element.connect(renter2).rent(tokenId, HOUR, ethers.MaxUint256))
        .to.be.revertedWithCustomError(element, "DataUserActive")
        .withArgs(tokenId, bank.address, until);
    });

    it("renewal by the current user extends from its expiry; after expiry a new rental starts now", async function () {
      const f = await loadFixture(fixture);
      const { element, bank, tokenId } = f;
      const first = await rentAt(f, HOUR);
      await time.setNextBlockTimestamp(first.start + 100n);
      const renewal = element.connect(bank).rent(tokenId, 2n * HOUR, ethers.MaxUint256);
      const extended = first.expires + 2n * HOUR;
      await expect(renewal)
        .to.emit(element, "Rented")
        .withArgs(tokenId, bank.address, f.usdAddress, 14n * HOUR, first.expires + 1n, extended, 2);
      await expect(renewal).to.emit(element, "UpdateUser").withArgs(tokenId, bank.address, extended);
      expect(await element.useOf(tokenId)).to.deep.equal([bank.address, extended, true, 2n]);
      // At the last second of the extended right, renewing still extends; one second later it starts anew.
      await time.setNextBlockTimestamp(extended);
      await expect(element.connect(bank).rent(tokenId, HOUR, ethers.MaxUint256))
        .to.emit(element, "Rented")
        .withArgs(tokenId, bank.address, f.usdAddress, 7n * HOUR, extended + 1n, extended + HOUR, 3);
      const later = extended + HOUR + 50n;
      await time.setNextBlockTimestamp(later);
      await expect(element.connect(bank).rent(tokenId, HOUR, ethers.MaxUint256))
        .to.emit(element, "Rented")
        .withArgs(tokenId, bank.address, f.usdAddress, 7n * HOUR, later, later + HOUR - 1n, 4);
      expect(await element.totalsOf(tokenId, f.usdAddress)).to.deep.equal([4n, 7n * HOUR * 5n]);
    });

    it("nobody revokes or replaces a paid user before its expiry (holder, approved, batch); allowed the second after", async function () {
      const f = await loadFixture(fixture);
      const { element, provider, bank, renter2, outsider, tokenId } = f;
      const { expires } = await rentAt(f, HOUR);
      await (await element.connect(provider).approve(renter2.address, tokenId)).wait();
      for (const [caller, user] of [
        [provider, ethers.ZeroAddress],
        [provider, outsider.address],
        [renter2, renter2.address],
      ] as const) {
        await expect(element.connect(caller).setUser(tokenId, user, expires + DAY))
          .to.be.revertedWithCustomError(element, "DataPaidRentalActive")
          .withArgs(tokenId, bank.address, expires);
      }
      await expect(element.connect(provider).setUsers([tokenId], [ethers.ZeroAddress], [0]))
        .to.be.revertedWithCustomError(element, "DataPaidRentalActive")
        .withArgs(tokenId, bank.address, expires);
      await time.setNextBlockTimestamp(expires);
      await expect(element.connect(provider).setUser(tokenId, ethers.ZeroAddress, 0))
        .to.be.revertedWithCustomError(element, "DataPaidRentalActive")
        .withArgs(tokenId, bank.address, expires);
      expect(await element.useOf(tokenId)).to.deep.equal([bank.address, expires, true, 1n]);
      await time.setNextBlockTimestamp(expires + 1n);
      await expect(element.connect(provider).setUser(tokenId, outsider.address, expires + DAY))
        .to.emit(element, "UpdateUser")
        .withArgs(tokenId, outsider.address, expires + DAY);
      expect(await element.useOf(tokenId)).to.deep.equal([outsider.address, expires + DAY, false, 1n]);
    });

    it("a transfer keeps a paid user, and the holder payee follows the token: the next fee goes to the new holder", async function () {
      const f = await loadFixture(fixture);
      const { element, revenue, provider, renter2, bank, tokenId } = f;
      const { expires } = await rentAt(f, HOUR);
      const tx = element.connect(provider).transferFrom(provider.address, renter2.address, tokenId);
      await expect(tx).to.emit(element, "Transfer").withArgs(provider.address, renter2.address, tokenId);
      await expect(tx).not.to.emit(element, "UpdateUser");
      expect(await element.userOf(tokenId)).to.equal(bank.address);
      expect(await element.useOf(tokenId)).to.deep.equal([bank.address, expires, true, 1n]);
      // The new holder cannot revoke it either.
      await expect(element.connect(renter2).setUser(tokenId, renter2.address, expires + 1n))
        .to.be.revertedWithCustomError(element, "DataPaidRentalActive")
        .withArgs(tokenId, bank.address, expires);
      // Renewal: the holder's share (payee address(0)) is credited to the holder at payment time.
      const before = await credits(f);
      await expect(element.connect(bank).rent(tokenId, HOUR, ethers.MaxUint256))
        .to.emit(revenue, "RevenueCredited")
        .withArgs(renter2.address, f.usdAddress, tokenId, splitFee(7n * HOUR, f.payees)[0]);
      // 3,333 bps of 25,200 is 8,399.56: 8,399 twice, the remainder 8,402 to the last payee.
      expect(splitFee(7n * HOUR, f.payees)).to.deep.equal([8_399n, 8_399n, 8_402n]);
      expect(await credits(f)).to.deep.equal([before[0], before[1] + 8_399n, before[2] + 8_402n]);
      expect(await revenue.creditOf(renter2.address, f.usdAddress)).to.equal(8_399n);
    });

    it("a transfer clears an unpaid user, and an expired paid one, unless the holder chose otherwise", async function () {
      const f = await loadFixture(fixture);
      const { element, provider, renter2, bank, outsider, tokenId } = f;
      const until = (await latest()) + DAY;
      await (await element.connect(provider).setUser(tokenId, bank.address, until)).wait();
      const tx = element.connect(provider).transferFrom(provider.address, renter2.address, tokenId);
      await expect(tx).to.emit(element, "UpdateUser").withArgs(tokenId, ethers.ZeroAddress, 0);
      expect(await element.useOf(tokenId)).to.deep.equal([ethers.ZeroAddress, 0n, false, 0n]);

      // An expired paid rental is cleared like any user.
      const { expires } = await rentAt(f, HOUR);
      await time.increaseTo(expires + 1n);
      await expect(element.connect(renter2).transferFrom(renter2.address, provider.address, tokenId))
        .to.emit(element, "UpdateUser")
        .withArgs(tokenId, ethers.ZeroAddress, 0);
      expect(await element.useOf(tokenId)).to.deep.equal([ethers.ZeroAddress, 0n, false, 1n]);

      // clearUserOnTransfer false: the user stays (no event), paid or not.
      await (await element.connect(provider).setClearUserOnTransfer(tokenId, false)).wait();
      await (await element.connect(provider).setUser(tokenId, outsider.address, until + DAY)).wait();
      const kept = element.connect(provider).transferFrom(provider.address, renter2.address, tokenId);
      await expect(kept).not.to.emit(element, "UpdateUser");
      expect(await element.useOf(tokenId)).to.deep.equal([outsider.address, until + DAY, false, 1n]);
      // Without a user, a transfer emits no UpdateUser.
      await (await element.connect(renter2).setUser(tokenId, ethers.ZeroAddress, 0)).wait();
      await (await element.connect(renter2).setClearUserOnTransfer(tokenId, true)).wait();
      await expect(element.connect(renter2).transferFrom(renter2.address, provider.address, tokenId)).not.to.emit(element, "UpdateUser");
    });

    it("totals are kept per payment token", async function () {
      const f = await loadFixture(fixture);
      const { element, operator, bank, admin, tokenId, offer } = f;
      const eur = await new TestStablecoin__factory(admin).deploy("Test Euro", "TEUR");
      const eurAddress = await eur.getAddress();
      await expect(element.setPaymentToken(eurAddress, true)).to.emit(element, "PaymentTokenChanged").withArgs(eurAddress, true);
      await (await eur.mint(bank.address, 1_000n * USD)).wait();
      await (await eur.connect(bank).approve(f.elementAddress, ethers.MaxUint256)).wait();
      await (await element.connect(bank).rent(tokenId, HOUR, ethers.MaxUint256)).wait();
      await (await element.connect(operator).publishOffer(tokenId, { ...offer, paymentToken: eurAddress, pricePerSecond: 2n })).wait();
      await (await element.connect(bank).rent(tokenId, 2n * HOUR, ethers.MaxUint256)).wait();
      await (await element.connect(bank).rent(tokenId, HOUR, ethers.MaxUint256)).wait();
      expect(await element.totalsOf(tokenId, f.usdAddress)).to.deep.equal([1n, 7n * HOUR]);
      expect(await element.totalsOf(tokenId, eurAddress)).to.deep.equal([2n, 6n * HOUR]);
      expect((await element.useOf(tokenId)).rentals).to.equal(3n);
      expect(await eur.balanceOf(f.revenueAddress)).to.equal(6n * HOUR);
      expect(await f.revenue.creditOf(f.exchange.address, eurAddress)).to.equal(splitFee(4n * HOUR, f.payees)[2] + splitFee(2n * HOUR, f.payees)[2]);
    });

    it("a free offer (price 0): the rental is recorded and protected, nothing transferred or credited", async function () {
      const f = await loadFixture(fixture);
      const { element, revenue, usd, operator, bank, provider, tokenId, offer } = f;
      await (await element.connect(operator).publishOffer(tokenId, { ...offer, pricePerSecond: 0n })).wait();
      const before = await usd.balanceOf(bank.address);
      expect(await element.quote(tokenId, HOUR)).to.deep.equal([0n, f.usdAddress]);
      const tx = element.connect(bank).rent(tokenId, HOUR, 0n);
      await expect(tx).to.emit(element, "Rented");
      await expect(tx).not.to.emit(usd, "Transfer");
      await expect(tx).not.to.emit(revenue, "RevenueCredited");
      expect(await usd.balanceOf(bank.address)).to.equal(before);
      expect(await credits(f)).to.deep.equal([0n, 0n, 0n]);
      expect(await element.totalsOf(tokenId, f.usdAddress)).to.deep.equal([1n, 0n]);
      const { expires, paid } = await element.useOf(tokenId);
      expect(paid).to.equal(true);
      await expect(element.connect(provider).setUser(tokenId, ethers.ZeroAddress, 0))
        .to.be.revertedWithCustomError(element, "DataPaidRentalActive")
        .withArgs(tokenId, bank.address, expires);
    });

    it("refuses renting after governance de-listed the payment token or made the classification not rentable", async function () {
      const f = await loadFixture(fixture);
      const { element, bank, tokenId } = f;
      await expect(element.setPaymentToken(f.usdAddress, false)).to.emit(element, "PaymentTokenChanged").withArgs(f.usdAddress, false);
      await expect(element.connect(bank).rent(tokenId, HOUR, ethers.MaxUint256))
        .to.be.revertedWithCustomError(element, "DataPaymentTokenNotAccepted")
        .withArgs(f.usdAddress);
      await expect(element.quote(tokenId, HOUR)).to.be.revertedWithCustomError(element, "DataPaymentTokenNotAccepted").withArgs(f.usdAddress);
      await (await element.setPaymentToken(f.usdAddress, true)).wait();
      await expect(element.setClassification(Level.INTERNAL, classificationName("INTERNAL"), false))
        .to.emit(element, "ClassificationChanged")
        .withArgs(Level.INTERNAL, classificationName("INTERNAL"), false);
      await expect(element.connect(bank).rent(tokenId, HOUR, ethers.MaxUint256))
        .to.be.revertedWithCustomError(element, "DataClassificationNotRentable")
        .withArgs(Level.INTERNAL);
      await expect(element.quote(tokenId, HOUR))
        .to.be.revertedWithCustomError(element, "DataClassificationNotRentable")
        .withArgs(Level.INTERNAL);
      expect(await element.useOf(tokenId)).to.deep.equal([ethers.ZeroAddress, 0n, false, 0n]);
    });

    it("quote and rent refuse an unknown token; rentFor is the revenue contract's only", async function () {
      const f = await loadFixture(fixture);
      const { element, bank, tokenId } = f;
      await expect(element.quote(UNKNOWN, HOUR)).to.be.revertedWithCustomError(element, "DataUnknownToken").withArgs(UNKNOWN);
      await expect(element.connect(bank).rent(UNKNOWN, HOUR, ethers.MaxUint256))
        .to.be.revertedWithCustomError(element, "DataUnknownToken")
        .withArgs(UNKNOWN);
      for (const caller of [bank, f.admin]) {
        await expect(element.connect(caller).rentFor(tokenId, bank.address, HOUR, ethers.MaxUint256))
          .to.be.revertedWithCustomError(element, "DataOnlyRevenue")
          .withArgs(caller.address);
      }
    });
  });

  describe("presentations", function () {
    async function presentationFixture() {
      const f = await fixture();
      const offer = { ...f.offer, requiresPresentation: true };
      await (await f.element.connect(f.operator).publishOffer(f.tokenId, offer)).wait();
      return { ...f, offer };
    }

    it("an offer requiring a presentation: plain rent refused, rentWithPresentation with the member credential accepted", async function () {
      const f = await loadFixture(presentationFixture);
      const { element, bank, tokenId } = f;
      expect((await element.offerOf(tokenId)).requiresPresentation).to.equal(true);
      expect((await element.certificateOf(tokenId)).requiresPresentation).to.equal(true);
      await expect(element.connect(bank).rent(tokenId, HOUR, ethers.MaxUint256))
        .to.be.revertedWithCustomError(element, "DataPresentationRequired")
        .withArgs(tokenId);
      const { presentation, signature } = await f.present(bank, [f.credentialIds[`bank:${KYC}`], f.credentialIds[`bank:${MEMBER}`]]);
      await expect(element.connect(bank).rentWithPresentation(tokenId, HOUR, ethers.MaxUint256, presentation, signature))
        .to.emit(element, "Rented")
        .withArgs(tokenId, bank.address, f.usdAddress, 7n * HOUR, (await latest()) + 1n, (await latest()) + HOUR, 1);
      // The requirement holds while the paid rental runs; once it is over, publishing an offer without it lifts it.
      await expect(element.connect(f.operator).publishOffer(tokenId, { ...f.offer, requiresPresentation: false }))
        .to.be.revertedWithCustomError(element, "DataPaidRentalActive")
        .withArgs(tokenId, bank.address, (await element.useOf(tokenId)).expires);
      await time.increase(HOUR);
      await (await element.connect(f.operator).publishOffer(tokenId, { ...f.offer, requiresPresentation: false })).wait();
      expect((await element.certificateOf(tokenId)).requiresPresentation).to.equal(false);
    });

    it("refuses a presentation of another holder, of another topic, for another verifier, expired, nothing recorded", async function () {
      const f = await loadFixture(presentationFixture);
      const { element, credentials, bank, renter2, tokenId } = f;
      const rent = (p: Awaited<ReturnType<typeof f.present>>) =>
        element.connect(bank).rentWithPresentation(tokenId, HOUR, ethers.MaxUint256, p.presentation, p.signature);
      await expect(rent(await f.present(renter2, [f.credentialIds[`renter2:${MEMBER}`]])))
        .to.be.revertedWithCustomError(element, "DataPresentationWrongHolder")
        .withArgs(renter2.address, bank.address);
      await expect(rent(await f.present(bank, [f.credentialIds[`bank:${KYC}`]])))
        .to.be.revertedWithCustomError(element, "DataPresentationMissingTopic")
        .withArgs(bank.address, MEMBER);
      await expect(rent(await f.present(bank, [f.credentialIds[`bank:${MEMBER}`]], { verifier: f.revenueAddress })))
        .to.be.revertedWithCustomError(credentials, "PresentationWrongVerifier")
        .withArgs(f.revenueAddress, f.elementAddress);
      const stale = await f.present(bank, [f.credentialIds[`bank:${MEMBER}`]], { validUntil: await latest() });
      await expect(rent(stale))
        .to.be.revertedWithCustomError(credentials, "PresentationExpired")
        .withArgs(stale.presentation.validUntil, (await latest()) + 1n);
      // Another account's credential id in the holder's own presentation.
      await expect(rent(await f.present(bank, [f.credentialIds[`renter2:${MEMBER}`]])))
        .to.be.revertedWithCustomError(credentials, "PresentationCredentialInvalid")
        .withArgs(f.credentialIds[`renter2:${MEMBER}`], bank.address);
      // A revoked credential no longer presents.
      await (await credentials.connect(f.issuer).revoke(f.credentialIds[`bank:${MEMBER}`])).wait();
      await expect(rent(await f.present(bank, [f.credentialIds[`bank:${MEMBER}`]])))
        .to.be.revertedWithCustomError(credentials, "PresentationCredentialInvalid")
        .withArgs(f.credentialIds[`bank:${MEMBER}`], bank.address);
      expect(await element.useOf(tokenId)).to.deep.equal([ethers.ZeroAddress, 0n, false, 0n]);
    });

    it("hasAccess says no to a user of an offer requiring a presentation; hasAccessWithPresentation decides on it", async function () {
      const f = await loadFixture(presentationFixture);
      const { element, bank, renter2, provider, outsider, tokenId } = f;
      const good = await f.present(bank, [f.credentialIds[`bank:${MEMBER}`]]);
      await (await element.connect(bank).rentWithPresentation(tokenId, HOUR, ethers.MaxUint256, good.presentation, good.signature)).wait();
      expect(await element.hasAccess(tokenId, bank.address)).to.equal(false);
      expect(await element.hasAccess(tokenId, provider.address)).to.equal(true);
      expect(await element.hasAccessWithPresentation(tokenId, bank.address, good.presentation, good.signature)).to.equal(true);
      // The holder needs no presentation; strangers get no for any presentation.
      expect(await element.hasAccessWithPresentation(tokenId, provider.address, good.presentation, good.signature)).to.equal(true);
      expect(await element.hasAccessWithPresentation(tokenId, outsider.address, good.presentation, good.signature)).to.equal(false);
      const kyc = await f.present(bank, [f.credentialIds[`bank:${KYC}`]]);
      expect(await element.hasAccessWithPresentation(tokenId, bank.address, kyc.presentation, kyc.signature)).to.equal(false);
      const other = await f.present(renter2, [f.credentialIds[`renter2:${MEMBER}`]]);
      await expect(element.hasAccessWithPresentation(tokenId, bank.address, other.presentation, other.signature))
        .to.be.revertedWithCustomError(element, "DataPresentationWrongHolder")
        .withArgs(renter2.address, bank.address);
      await time.increaseTo((await element.userExpires(tokenId)) + 1n);
      expect(await element.hasAccessWithPresentation(tokenId, bank.address, good.presentation, good.signature)).to.equal(false);
    });
  });

  describe("hasAccess", function () {
    it("holder yes; user through its expiry second, no the second after; operator, stranger, address(0) no; unknown token reverts", async function () {
      const f = await loadFixture(fixture);
      const { element, provider, operator, bank, outsider, tokenId } = f;
      expect(await element.hasAccess(tokenId, provider.address)).to.equal(true);
      expect(await element.hasAccess(tokenId, bank.address)).to.equal(false);
      const { expires } = await rentAt(f, HOUR);
      expect(await element.hasAccess(tokenId, bank.address)).to.equal(true);
      for (const account of [operator.address, outsider.address, ethers.ZeroAddress]) {
        expect(await element.hasAccess(tokenId, account), account).to.equal(false);
      }
      await time.increaseTo(expires);
      expect(await element.hasAccess(tokenId, bank.address)).to.equal(true);
      await time.increaseTo(expires + 1n);
      expect(await element.hasAccess(tokenId, bank.address)).to.equal(false);
      expect(await element.hasAccess(tokenId, provider.address)).to.equal(true);
      await expect(element.hasAccess(UNKNOWN, provider.address)).to.be.revertedWithCustomError(element, "ERC721NonexistentToken").withArgs(UNKNOWN);
    });

    it("a user whose credential was revoked loses access at once; the holder after a transfer is the new one", async function () {
      const f = await loadFixture(fixture);
      const { element, credentials, issuer, provider, renter2, bank, tokenId } = f;
      await rentAt(f, HOUR);
      await (await credentials.connect(issuer).revoke(f.credentialIds[`bank:${MEMBER}`])).wait();
      expect(await element.userOf(tokenId)).to.equal(bank.address);
      expect(await element.hasAccess(tokenId, bank.address)).to.equal(false);
      await (await element.connect(provider).transferFrom(provider.address, renter2.address, tokenId)).wait();
      expect(await element.hasAccess(tokenId, renter2.address)).to.equal(true);
      expect(await element.hasAccess(tokenId, provider.address)).to.equal(false);
    });

    it("a user the holder set on a token whose offer has no topic has access without credential", async function () {
      const f = await loadFixture(fixture);
      const { element, provider, outsider, operator, tokenId, offer } = f;
      const until = (await latest()) + DAY;
      await (await element.connect(provider).setUser(tokenId, outsider.address, until)).wait();
      expect(await element.hasAccess(tokenId, outsider.address)).to.equal(false);
      await (await element.connect(operator).publishOffer(tokenId, { ...offer, topic: 0 })).wait();
      expect(await element.hasAccess(tokenId, outsider.address)).to.equal(true);
    });
  });

  describe("governance", function () {
    it("refuses setClassification, setPaymentToken, setBaseURI, setRevenue to anyone without DATA_ADMIN", async function () {
      const f = await loadFixture(fixture);
      const { element, provider, outsider, operator, revenueAddress } = f;
      for (const caller of [outsider, provider, operator]) {
        const asCaller = element.connect(caller);
        const calls = [
          asCaller.setClassification(9, classificationName("X"), true),
          asCaller.setPaymentToken(outsider.address, true),
          asCaller.setBaseURI("https://evil/"),
          asCaller.setRevenue(revenueAddress),
        ];
        for (const call of calls) {
          await expect(call).to.be.revertedWithCustomError(element, "AccessManagedUnauthorized").withArgs(caller.address);
        }
      }
      expect(await element.classification(9)).to.deep.equal([ethers.ZeroHash, false]);
      expect(await element.isPaymentToken(outsider.address)).to.equal(false);
      expect(await element.baseURI()).to.equal("");
    });

    it("setClassification: names, renames and removes levels with events; level 0 and no-op changes refused", async function () {
      const f = await loadFixture(fixture);
      const { element } = f;
      expect(await element.classification(Level.PUBLIC)).to.deep.equal([classificationName("PUBLIC"), true]);
      expect(await element.classification(Level.CORE)).to.deep.equal([classificationName("CORE"), false]);
      expect(await element.classification(7)).to.deep.equal([ethers.ZeroHash, false]);
      const partner = classificationName("PARTNER");
      await expect(element.setClassification(7, partner, true)).to.emit(element, "ClassificationChanged").withArgs(7, partner, true);
      expect(await element.classification(7)).to.deep.equal([partner, true]);
      await expect(element.setClassification(7, partner, true)).to.be.revertedWithCustomError(element, "DataClassificationUnchanged").withArgs(7);
      await expect(element.setClassification(7, partner, false)).to.emit(element, "ClassificationChanged").withArgs(7, partner, false);
      expect(await element.classification(7)).to.deep.equal([partner, false]);
      await expect(element.setClassification(7, ethers.ZeroHash, false))
        .to.emit(element, "ClassificationChanged")
        .withArgs(7, ethers.ZeroHash, false);
      expect(await element.classification(7)).to.deep.equal([ethers.ZeroHash, false]);
      await expect(element.setClassification(0, partner, true)).to.be.revertedWithCustomError(element, "DataClassificationZero");
      await expect(element.setClassification(8, ethers.ZeroHash, true)).to.be.revertedWithCustomError(element, "DataClassificationUnchanged").withArgs(8);
    });

    it("a removed classification level is not rentable: neither offers nor rentals of its data", async function () {
      const f = await loadFixture(fixture);
      const { element, provider, bank, offer } = f;
      const core = ethers.id("core data, level removed");
      await (await element.connect(provider).register(core, Level.CORE, 1, 0, "", [])).wait();
      // Governance removes the CORE level: its data stays registered, and must not become rentable.
      await (await element.setClassification(Level.CORE, ethers.ZeroHash, false)).wait();
      expect(await element.classification(Level.CORE)).to.deep.equal([ethers.ZeroHash, false]);
      await expect(element.connect(provider).publishOffer(BigInt(core), offer))
        .to.be.revertedWithCustomError(element, "DataClassificationNotRentable")
        .withArgs(Level.CORE);
      // Removing a rentable level with an offer out stops its rentals too.
      await (await element.setClassification(Level.INTERNAL, ethers.ZeroHash, true)).wait();
      expect(await element.classification(Level.INTERNAL)).to.deep.equal([ethers.ZeroHash, false]);
      await expect(element.connect(bank).rent(f.tokenId, HOUR, ethers.MaxUint256))
        .to.be.revertedWithCustomError(element, "DataClassificationNotRentable")
        .withArgs(Level.INTERNAL);
    });

    it("setPaymentToken: events; no-op changes and address(0) refused", async function () {
      const f = await loadFixture(fixture);
      const { element, outsider } = f;
      await expect(element.setPaymentToken(f.usdAddress, true))
        .to.be.revertedWithCustomError(element, "DataPaymentTokenUnchanged")
        .withArgs(f.usdAddress, true);
      await expect(element.setPaymentToken(outsider.address, false))
        .to.be.revertedWithCustomError(element, "DataPaymentTokenUnchanged")
        .withArgs(outsider.address, false);
      await expect(element.setPaymentToken(ethers.ZeroAddress, true))
        .to.be.revertedWithCustomError(element, "DataPaymentTokenUnchanged")
        .withArgs(ethers.ZeroAddress, true);
      await expect(element.setPaymentToken(f.usdAddress, false)).to.emit(element, "PaymentTokenChanged").withArgs(f.usdAddress, false);
      expect(await element.isPaymentToken(f.usdAddress)).to.equal(false);
    });

    it("setRevenue: once, only to a revenue contract of this element; before it, no fee can be collected", async function () {
      const f = await loadFixture(fixture);
      const { element, admin, provider, bank, accessManager, dataElementImplementation, offer } = f;
      expect(await element.revenue()).to.equal(f.revenueAddress);
      await expect(element.setRevenue(f.revenueAddress))
        .to.be.revertedWithCustomError(element, "DataRevenueAlreadySet")
        .withArgs(f.revenueAddress);

      // A second registry (another proxy of the implementation), not bound yet.
      const initialize = element.interface.encodeFunctionData("initialize", [await accessManager.getAddress()]);
      const proxy = await ethers.deployContract("ERC1967Proxy", [await dataElementImplementation.getAddress(), initialize]);
      const fresh = DataElement__factory.connect(await proxy.getAddress(), admin);
      const freshAddress = await fresh.getAddress();
      expect(await fresh.revenue()).to.equal(ethers.ZeroAddress);
      await (await fresh.setClassification(Level.PUBLIC, classificationName("PUBLIC"), true)).wait();
      await (await fresh.setPaymentToken(f.usdAddress, true)).wait();
      await (await f.usd.connect(bank).approve(freshAddress, ethers.MaxUint256)).wait();
      const hash = ethers.id("fresh");
      await expect(fresh.connect(provider).register(hash, Level.PUBLIC, 1, 0, "", [{ account: ethers.ZeroAddress, bps: 10_000 }])).to.be.revertedWithCustomError(
        fresh,
        "DataRevenueUnset",
      );
      await (await fresh.connect(provider).register(hash, Level.PUBLIC, 1, 0, "", [])).wait();
      await (await fresh.connect(provider).publishOffer(BigInt(hash), offer)).wait();
      await expect(fresh.connect(bank).rent(BigInt(hash), HOUR, ethers.MaxUint256)).to.be.revertedWithCustomError(fresh, "DataRevenueUnset");
      expect(await fresh.useOf(BigInt(hash))).to.deep.equal([ethers.ZeroAddress, 0n, false, 0n]);

      // The first registry's revenue contract splits another registry's fees: refused.
      await expect(fresh.setRevenue(f.revenueAddress))
        .to.be.revertedWithCustomError(fresh, "DataRevenueWrongElement")
        .withArgs(f.revenueAddress);
      const own = await new DataRevenue__factory(admin).deploy(freshAddress, false, ethers.ZeroAddress);
      const ownAddress = await own.getAddress();
      await expect(fresh.setRevenue(ownAddress)).to.emit(fresh, "RevenueSet").withArgs(ownAddress);
      expect(await fresh.revenue()).to.equal(ownAddress);
      await expect(fresh.setRevenue(ownAddress)).to.be.revertedWithCustomError(fresh, "DataRevenueAlreadySet").withArgs(ownAddress);
      await expect(fresh.connect(bank).rent(BigInt(hash), HOUR, ethers.MaxUint256))
        .to.emit(own, "RevenueCredited")
        .withArgs(provider.address, f.usdAddress, BigInt(hash), 7n * HOUR);
    });
  });
});

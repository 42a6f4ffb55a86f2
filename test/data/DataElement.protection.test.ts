/**
 * Renter protection beyond setUser: the terms that decide access stay while a paid rental runs, and a key the
 * identity rotated away cannot rent by replaying a presentation its new owner signed.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { Topics } from "../../deploy/topics.js";
import { CredentialRegistryTypes, domainOf } from "../../sdk/eip712.js";
import { deployMarket, HOUR } from "./fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture, time } = networkHelpers;

async function rentedFixture() {
  const f = await deployMarket(connection);
  await (await f.element.connect(f.bank).rent(f.tokenId, 2n * HOUR, ethers.MaxUint256)).wait();
  return f;
}

describe("DataElement renter protection", function () {
  it("keeps the topic and the presentation rule while a paid rental runs; price and durations may change", async function () {
    const f = await loadFixture(rentedFixture);
    const { element, operator, bank, tokenId, offer } = f;
    const use = await element.useOf(tokenId);
    for (const change of [{ topic: Topics.KYC }, { requiresPresentation: true }]) {
      await expect(element.connect(operator).publishOffer(tokenId, { ...offer, ...change }))
        .to.be.revertedWithCustomError(element, "DataPaidRentalActive")
        .withArgs(tokenId, bank.address, use.expires);
    }
    expect(await element.offerOf(tokenId)).to.deep.equal(Object.values(offer));
    expect(await element.hasAccess(tokenId, bank.address)).to.equal(true);

    const repriced = { ...offer, pricePerSecond: 9n, maxDuration: 10n * HOUR };
    await expect(element.connect(operator).publishOffer(tokenId, repriced))
      .to.emit(element, "OfferPublished")
      .withArgs(tokenId, operator.address, Object.values(repriced));
    expect(await element.hasAccess(tokenId, bank.address)).to.equal(true);

    // After the last second of the rental the operator may change the rules of access.
    await time.increaseTo(use.expires + 1n);
    await expect(element.connect(operator).publishOffer(tokenId, { ...repriced, topic: Topics.KYC })).to.emit(element, "OfferPublished");
    expect((await element.offerOf(tokenId)).topic).to.equal(BigInt(Topics.KYC));
  });

  it("refuses a rotated-away key that replays a presentation signed by the identity's new owner", async function () {
    const f = await loadFixture(deployMarket);
    const { element, dids, credentials, operator, bank, tokenId, offer } = f;
    await (await element.connect(operator).publishOffer(tokenId, { ...offer, requiresPresentation: true })).wait();
    const [newKey] = (await ethers.getSigners()).slice(15, 16);
    await (await dids.connect(bank).changeOwner(bank.address, newKey.address)).wait();
    const { chainId } = await ethers.provider.getNetwork();
    const presentation = {
      holder: bank.address,
      verifier: await element.getAddress(),
      credentialIds: [f.credentialIds[`bank:${Topics.DATA_EXCHANGE_MEMBER}`]],
      validUntil: BigInt(await time.latest()) + HOUR,
    };
    // Signed by the identity's owner now: the registry accepts it as the bank's.
    const signature = await newKey.signTypedData(
      domainOf("CredentialRegistry", chainId, await credentials.getAddress()),
      CredentialRegistryTypes.Presentation,
      presentation,
    );
    const before = await element.useOf(tokenId);
    await expect(element.connect(bank).rentWithPresentation(tokenId, HOUR, ethers.MaxUint256, presentation, signature))
      .to.be.revertedWithCustomError(element, "IdentityGateNotController")
      .withArgs(bank.address, bank.address);
    expect(await element.useOf(tokenId)).to.deep.equal(before);
  });
});

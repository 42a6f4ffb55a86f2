/**
 * DataElement behind its proxy: initialization locked, upgrades only through the AccessManager after the UPGRADER
 * delay, every right and the binding to DataRevenue kept across the upgrade.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { ZeroAddress } from "ethers";
import { Roles } from "../../deploy/roles.js";
import { Topics } from "../../deploy/topics.js";
import { AccessManager__factory, DataElement__factory } from "../../typechain-types/index.js";
import { deployData, DAY, USD } from "./fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function rentedFixture() {
  const f = await deployData(connection);
  const dataHash = ethers.id("upgrade test data set");
  const tokenId = BigInt(dataHash);
  await (
    await f.element.connect(f.provider).register(dataHash, 2, 3, 250, "ipfs://meta", [
      { account: ZeroAddress, bps: 8000 },
      { account: f.exchange.address, bps: 2000 },
    ])
  ).wait();
  await (await f.element.connect(f.provider).setOperator(tokenId, f.operator.address)).wait();
  const offer = {
    paymentToken: await f.usd.getAddress(),
    pricePerSecond: 7n,
    minDuration: DAY,
    maxDuration: 60n * DAY,
    topic: Topics.DATA_EXCHANGE_MEMBER,
    requiresPresentation: false,
  };
  await (await f.element.connect(f.operator).publishOffer(tokenId, offer)).wait();
  await (await f.element.connect(f.bank).rent(tokenId, 10n * DAY, 100n * USD)).wait();
  return { ...f, tokenId, offer };
}

describe("DataElement upgrades", function () {
  it("cannot be initialized again, nor its implementation directly", async function () {
    const f = await networkHelpers.loadFixture(rentedFixture);
    await expect(f.element.initialize(f.outsider.address)).to.be.revertedWithCustomError(f.element, "InvalidInitialization");
    const implementation = DataElement__factory.connect(await f.dataElementImplementation.getAddress(), f.outsider);
    await expect(implementation.initialize(f.outsider.address)).to.be.revertedWithCustomError(
      f.element,
      "InvalidInitialization",
    );
  });

  it("upgrades only through the AccessManager after the UPGRADER delay, keeping every right and the revenue binding", async function () {
    const f = await networkHelpers.loadFixture(rentedFixture);
    const manager = AccessManager__factory.connect(await f.accessManager.getAddress(), f.admin);
    const next = await new DataElement__factory(f.admin).deploy(
      await f.didRegistry.getAddress(),
      await f.credentialRegistry.getAddress(),
      false,
    );
    const nextAddress = await next.getAddress();
    const target = await f.element.getAddress();
    const data = f.element.interface.encodeFunctionData("upgradeToAndCall", [nextAddress, "0x"]);
    const before = {
      owner: await f.element.ownerOf(f.tokenId),
      use: await f.element.useOf(f.tokenId),
      certificate: await f.element.certificateOf(f.tokenId),
      offer: await f.element.offerOf(f.tokenId),
      operator: await f.element.operatorOf(f.tokenId),
      uri: await f.element.tokenURI(f.tokenId),
      totals: await f.element.totalsOf(f.tokenId, f.offer.paymentToken),
      revenue: await f.element.revenue(),
      payees: await f.revenue.payeesOf(f.tokenId),
    };

    await expect(f.element.connect(f.outsider).upgradeToAndCall(nextAddress, "0x"))
      .to.be.revertedWithCustomError(f.element, "AccessManagedUnauthorized")
      .withArgs(f.outsider.address);
    // The data admin is no upgrader; the upgrader itself must schedule and wait.
    await expect(f.element.upgradeToAndCall(nextAddress, "0x")).to.be.revertedWithCustomError(manager, "AccessManagerNotScheduled");
    const [isUpgrader, delay] = await manager.hasRole(Roles.UPGRADER, f.admin.address);
    expect(isUpgrader).to.equal(true);
    expect(delay).to.be.greaterThan(0n);
    await (await manager.schedule(target, data, 0)).wait();
    await expect(manager.execute(target, data)).to.be.revertedWithCustomError(manager, "AccessManagerNotReady");
    await networkHelpers.time.increase(delay);
    await expect(manager.execute(target, data)).to.emit(f.element, "Upgraded").withArgs(nextAddress);

    expect(await f.element.ownerOf(f.tokenId)).to.equal(before.owner);
    expect(await f.element.useOf(f.tokenId)).to.deep.equal(before.use);
    expect(await f.element.certificateOf(f.tokenId)).to.deep.equal(before.certificate);
    expect(await f.element.offerOf(f.tokenId)).to.deep.equal(before.offer);
    expect(await f.element.operatorOf(f.tokenId)).to.equal(before.operator);
    expect(await f.element.tokenURI(f.tokenId)).to.equal(before.uri);
    expect(await f.element.totalsOf(f.tokenId, f.offer.paymentToken)).to.deep.equal(before.totals);
    expect(await f.element.revenue()).to.equal(before.revenue);
    expect(await f.revenue.payeesOf(f.tokenId)).to.deep.equal(before.payees);
    // The paid rental is still protected, and renting still credits the payees through the same revenue contract.
    await expect(f.element.connect(f.provider).setUser(f.tokenId, f.provider.address, 0))
      .to.be.revertedWithCustomError(f.element, "DataPaidRentalActive")
      .withArgs(f.tokenId, f.bank.address, before.use.expires);
    await expect(f.element.connect(f.bank).rent(f.tokenId, DAY, 100n * USD))
      .to.emit(f.revenue, "RevenueCredited")
      .withArgs(f.exchange.address, f.offer.paymentToken, f.tokenId, (7n * DAY * 2000n) / 10_000n);
  });
});

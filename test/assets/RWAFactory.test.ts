/**
 * RWAFactory: one transaction issues a whole asset (proxy, topics, rules with their settings, function roles in
 * the AccessManager, TrustDirectory entry); only ASSET_ISSUER may. Token upgrades go through the AccessManager
 * after the UPGRADER delay and keep the state; implementations cannot be initialized.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { encodeBytes32String } from "ethers";
import { Roles } from "../../deploy/roles.js";
import { Topics } from "../../deploy/topics.js";
import { RWAToken__factory } from "../../typechain-types/index.js";
import { deployAssets, uintSettings, UNIT, DAY } from "./fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const fixture = () => deployAssets(connection);

describe("RWAFactory", function () {
  it("issues a whole asset in one transaction", async function () {
    const { factory, directory, accessManager, admin, supplyCap, lockup } = await networkHelpers.loadFixture(fixture);
    const name = encodeBytes32String("RWA:building-7");
    const spec = {
      directoryName: name,
      name: "Building 7 share",
      symbol: "B7",
      decimals: 6,
      topics: [Topics.KYC, Topics.QUALIFIED_INVESTOR],
      rules: [
        { rule: await supplyCap.getAddress(), settings: uintSettings(1_000_000n) },
        { rule: await lockup.getAddress(), settings: uintSettings(90n * DAY) },
      ],
    };
    const predicted = await factory.issueAsset.staticCall(spec);
    await expect(factory.issueAsset(spec)).to.emit(factory, "AssetIssued").withArgs(predicted, name, admin.address, "B7");
    const token = RWAToken__factory.connect(predicted, admin);
    expect(await token.name()).to.equal("Building 7 share");
    expect(await token.decimals()).to.equal(6n);
    expect(await token.requiredTopics()).to.deep.equal([BigInt(Topics.KYC), BigInt(Topics.QUALIFIED_INVESTOR)]);
    expect((await token.rules()).map((r) => r.rule)).to.deep.equal([await supplyCap.getAddress(), await lockup.getAddress()]);
    expect(await supplyCap.capOf(predicted)).to.equal(1_000_000n);
    expect(await token.authority()).to.equal(await accessManager.getAddress());
    const [listed, version] = await directory.moduleOf(name);
    expect(listed).to.equal(predicted);
    expect(version).to.equal(1n);
    expect(await factory.isIssued(predicted)).to.equal(true);
    expect(await factory.assets()).to.include(predicted);
    expect(await factory.tokenImplementation()).to.not.equal(ethers.ZeroAddress);
    const roleOf = (signature: string) => accessManager.getTargetFunctionRole(predicted, ethers.id(signature).slice(0, 10));
    expect(await roleOf("mint(address,uint256)")).to.equal(Roles.ASSET_AGENT);
    expect(await roleOf("forcedTransfer(address,address,uint256)")).to.equal(Roles.ASSET_AGENT);
    expect(await roleOf("addRule(address,bytes)")).to.equal(Roles.COMPLIANCE_ADMIN);
    expect(await roleOf("snapshot()")).to.equal(Roles.ASSET_DISTRIBUTOR);
    expect(await roleOf("upgradeToAndCall(address,bytes)")).to.equal(Roles.UPGRADER);
  });

  it("refuses a zero name, bad topics, and callers without ASSET_ISSUER", async function () {
    const { factory, alice } = await networkHelpers.loadFixture(fixture);
    const spec = { directoryName: ethers.ZeroHash, name: "X", symbol: "X", decimals: 18, topics: [Topics.KYC], rules: [] };
    await expect(factory.issueAsset(spec)).to.be.revertedWithCustomError(factory, "FactoryInvalidName");
    const { token } = await networkHelpers.loadFixture(fixture);
    await expect(factory.issueAsset({ ...spec, directoryName: encodeBytes32String("X"), topics: [] })).to.be.revertedWithCustomError(
      token,
      "RWAInvalidTopics",
    );
    await expect(factory.connect(alice).issueAsset({ ...spec, directoryName: encodeBytes32String("X") }))
      .to.be.revertedWithCustomError(factory, "AccessManagedUnauthorized")
      .withArgs(alice.address);
  });

  it("token implementations cannot be initialized, nor a proxy twice", async function () {
    const { token, factory, alice } = await networkHelpers.loadFixture(fixture);
    await expect(token.initialize(alice.address, "n", "s", 18, [1], [])).to.be.revertedWithCustomError(token, "InvalidInitialization");
    const implementation = RWAToken__factory.connect(await factory.tokenImplementation(), alice);
    await expect(implementation.initialize(alice.address, "n", "s", 18, [1], [])).to.be.revertedWithCustomError(token, "InvalidInitialization");
  });

  it("a token upgrades only through the AccessManager after the UPGRADER delay, keeping its state", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const { token, admin, alice, bob, accessManager, outsider } = f;
    await (await token.freezePartialTokens(alice.address, 100n * UNIT)).wait();
    await (await accessManager.grantRole(Roles.ASSET_DISTRIBUTOR, admin.address, 0)).wait();
    await (await token.snapshot()).wait();
    await (await token.connect(alice).transfer(bob.address, 10n * UNIT)).wait();
    await (await token.addRule(await f.maxBalance.getAddress(), uintSettings(10_000n * UNIT))).wait();
    const restrictions = await f.deployed.rwaRestrictions.getAddress();
    const next = await new RWAToken__factory({ "project/contracts/assets/RWARestrictions.sol:RWARestrictions": restrictions }, admin).deploy(
      await f.dids.getAddress(),
      await f.credentials.getAddress(),
    );
    const nextAddress = await next.getAddress();
    const target = await token.getAddress();
    const data = token.interface.encodeFunctionData("upgradeToAndCall", [nextAddress, "0x"]);
    const before = {
      supply: await token.totalSupply(),
      alice: await token.balanceOf(alice.address),
      frozen: await token.getFrozenTokens(alice.address),
      atSnapshot: await token.balanceOfAt(alice.address, 1),
      holders: await token.holderCount(),
      rules: await token.rules(),
      topics: await token.requiredTopics(),
      name: await token.name(),
    };
    await expect(token.connect(outsider).upgradeToAndCall(nextAddress, "0x"))
      .to.be.revertedWithCustomError(token, "AccessManagedUnauthorized")
      .withArgs(outsider.address);
    await expect(token.upgradeToAndCall(nextAddress, "0x")).to.be.revertedWithCustomError(accessManager, "AccessManagerNotScheduled");
    const [, delay] = await accessManager.hasRole(Roles.UPGRADER, admin.address);
    expect(delay).to.be.greaterThan(0n);
    await (await accessManager.schedule(target, data, 0)).wait();
    await expect(accessManager.execute(target, data)).to.be.revertedWithCustomError(accessManager, "AccessManagerNotReady");
    await networkHelpers.time.increase(delay);
    await expect(accessManager.execute(target, data)).to.emit(token, "Upgraded").withArgs(nextAddress);
    expect(await token.totalSupply()).to.equal(before.supply);
    expect(await token.balanceOf(alice.address)).to.equal(before.alice);
    expect(await token.getFrozenTokens(alice.address)).to.equal(before.frozen);
    expect(await token.balanceOfAt(alice.address, 1)).to.equal(before.atSnapshot);
    expect(await token.holderCount()).to.equal(before.holders);
    expect(await token.rules()).to.deep.equal(before.rules);
    expect(await token.requiredTopics()).to.deep.equal(before.topics);
    expect(await token.name()).to.equal(before.name);
    await expect(token.connect(alice).transfer(bob.address, 901n * UNIT)).to.be.revertedWithCustomError(token, "ERC7943InsufficientUnfrozenBalance");
    await (await token.connect(alice).transfer(bob.address, UNIT)).wait();
  });
});

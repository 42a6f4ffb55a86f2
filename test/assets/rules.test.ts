/**
 * Compliance rules, each plugged into a token of its own and shown accepting and refusing: maximum balance, maximum
 * holders, supply cap, lock-up (with recovery carrying it), daily/monthly limits (forced transfers not counted,
 * recovery carrying the counters), jurisdiction allow and deny lists. Settings are the calling token's only.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { Topics } from "../../deploy/topics.js";
import { ComplianceRule__factory } from "../../typechain-types/index.js";
import { deployAssets, issue, jurisdictionSettings, limitSettings, uintSettings, UNIT, DAY } from "./fixtures.js";

const connection = await network.create();
const { networkHelpers } = connection;
const fixture = () => deployAssets(connection);

const CN = 156;
const SG = 702;
const US = 840;

describe("compliance rules", function () {
  it("every rule names itself, refuses hooks it did not declare and keeps settings per calling token", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const names: Record<string, string> = {};
    for (const rule of [f.maxBalance, f.maxHolders, f.supplyCap, f.lockup, f.limits, f.jurisdiction]) {
      names[await rule.getAddress()] = await rule.name();
    }
    expect(Object.values(names).map((n) => Buffer.from(n.slice(2), "hex").toString().replace(/\0+$/, ""))).to.deep.equal([
      "max-balance",
      "max-holders",
      "supply-cap",
      "lock-up",
      "transfer-limits",
      "jurisdiction",
    ]);
    const ctx = { fromIdentity: f.alice.address, toIdentity: f.bob.address, fromBalance: 1n, toBalance: 1n, totalSupply: 2n, holders: 2n, forced: false };
    const base = ComplianceRule__factory.connect(await f.maxBalance.getAddress(), f.outsider);
    for (const call of [
      () => base.transferred(f.alice.address, f.bob.address, 1n, ctx),
      () => base.created(f.bob.address, 1n, ctx),
      () => base.destroyed(f.bob.address, 1n, ctx),
      () => base.recovered(f.alice.address, f.bob.address),
    ]) {
      await expect(call()).to.be.revertedWithCustomError(base, "RuleHookUnsupported");
    }
    await expect(ComplianceRule__factory.connect(await f.supplyCap.getAddress(), f.outsider).transferred(f.alice.address, f.bob.address, 1n, ctx))
      .to.be.revertedWithCustomError(base, "RuleHookUnsupported");
    await expect(ComplianceRule__factory.connect(await f.jurisdiction.getAddress(), f.outsider).created(f.bob.address, 1n, ctx))
      .to.be.revertedWithCustomError(base, "RuleHookUnsupported");
    await expect(ComplianceRule__factory.connect(await f.lockup.getAddress(), f.outsider).destroyed(f.bob.address, 1n, ctx))
      .to.be.revertedWithCustomError(base, "RuleHookUnsupported");
    // A stranger configuring a rule configures its own key, not a token's.
    await (await f.maxBalance.connect(f.outsider).configure(uintSettings(1n))).wait();
    expect(await f.maxBalance.maxBalanceOf(f.outsider.address)).to.equal(1n);
    expect(await f.maxBalance.maxBalanceOf(await f.token.getAddress())).to.equal(0n);
    // check() answers for the caller's own settings; max holders counts only new holders receiving something.
    await (await f.maxHolders.connect(f.outsider).configure(uintSettings(1n))).wait();
    expect(await f.maxHolders.connect(f.outsider).check(f.alice.address, f.bob.address, 1n, ctx)).to.equal(0n);
    expect(await f.maxHolders.connect(f.outsider).check(f.alice.address, f.bob.address, 0n, { ...ctx, toBalance: 0n })).to.equal(0n);
    expect(await f.maxHolders.connect(f.outsider).check(f.alice.address, f.bob.address, 1n, { ...ctx, toBalance: 0n, fromBalance: 5n })).to.equal(11n);
    // check() answers for the caller's own settings.
    expect(await f.maxBalance.connect(f.outsider).check(f.alice.address, f.bob.address, 1n, { ...ctx, toBalance: 0n })).to.equal(0n);
    expect(await f.maxBalance.connect(f.outsider).check(f.alice.address, f.bob.address, 1n, ctx)).to.equal(10n);
    await expect(
      ComplianceRule__factory.connect(await f.supplyCap.getAddress(), f.outsider).recovered(f.alice.address, f.bob.address),
    ).to.be.revertedWithCustomError(base, "RuleHookUnsupported");
    await expect(ComplianceRule__factory.connect(await f.maxHolders.getAddress(), f.outsider).destroyed(f.bob.address, 1n, ctx))
      .to.be.revertedWithCustomError(base, "RuleHookUnsupported");
    await expect(ComplianceRule__factory.connect(await f.limits.getAddress(), f.outsider).created(f.bob.address, 1n, ctx))
      .to.be.revertedWithCustomError(base, "RuleHookUnsupported");
  });

  it("refuses settings that make no sense", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const cases: [{ getAddress(): Promise<string> }, string][] = [
      [f.maxBalance, uintSettings(0n)],
      [f.maxBalance, "0x01"],
      [f.maxHolders, uintSettings(0n)],
      [f.maxHolders, "0x"],
      [f.supplyCap, uintSettings(0n)],
      [f.supplyCap, "0x"],
      [f.lockup, uintSettings(0n)],
      [f.lockup, uintSettings(3651n * DAY)],
      [f.lockup, "0x"],
      [f.limits, limitSettings(0n, 0n)],
      [f.limits, limitSettings(2n ** 96n, 0n)],
      [f.limits, limitSettings(0n, 2n ** 96n)],
      [f.limits, limitSettings(10n, 5n)],
      [f.limits, uintSettings(1n)],
      [f.jurisdiction, jurisdictionSettings(true, [])],
      [f.jurisdiction, jurisdictionSettings(true, [CN, CN])],
    ];
    for (const [rule, settings] of cases) {
      await expect(f.token.addRule(await rule.getAddress(), settings)).to.be.revertedWithCustomError(f.maxBalance, "RuleInvalidSettings");
    }
    for (const code of [0, 1000]) {
      await expect(f.token.addRule(await f.jurisdiction.getAddress(), jurisdictionSettings(true, [code])))
        .to.be.revertedWithCustomError(f.jurisdiction, "JurisdictionInvalidCode")
        .withArgs(code);
    }
    expect(await f.token.rules()).to.deep.equal([]);
  });

  it("max balance: refuses a transfer or mint that takes the receiver over the maximum", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const rule = await f.maxBalance.getAddress();
    await (await f.token.addRule(rule, uintSettings(600n * UNIT))).wait();
    await (await f.token.connect(f.alice).transfer(f.bob.address, 100n * UNIT)).wait();
    expect(await f.token.detectTransferRestriction(f.alice.address, f.bob.address, 1n)).to.equal(10n);
    await expect(f.token.connect(f.alice).transfer(f.bob.address, 1n)).to.be.revertedWithCustomError(f.token, "RWAComplianceRefused").withArgs(rule, 10);
    await expect(f.token.mint(f.bob.address, 1n)).to.be.revertedWithCustomError(f.token, "RWAComplianceRefused").withArgs(rule, 10);
    await (await f.token.mint(f.carol.address, 600n * UNIT)).wait();
    // Forced transfers are the agent's: rules are not asked.
    await (await f.token.forcedTransfer(f.alice.address, f.bob.address, 1n)).wait();
  });

  it("max holders: counts holders and refuses a new one beyond the maximum; a sender leaving frees its place", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const rule = await f.maxHolders.getAddress();
    await (await f.token.addRule(rule, uintSettings(2n))).wait();
    expect(await f.token.detectTransferRestriction(f.alice.address, f.carol.address, UNIT)).to.equal(11n);
    await expect(f.token.connect(f.alice).transfer(f.carol.address, UNIT)).to.be.revertedWithCustomError(f.token, "RWAComplianceRefused").withArgs(rule, 11);
    await expect(f.token.mint(f.carol.address, UNIT)).to.be.revertedWithCustomError(f.token, "RWAComplianceRefused").withArgs(rule, 11);
    // Existing holders trade freely; bob selling out to carol keeps two holders.
    await (await f.token.connect(f.alice).transfer(f.bob.address, UNIT)).wait();
    await (await f.token.connect(f.bob).transfer(f.carol.address, 501n * UNIT)).wait();
    expect(await f.token.holderCount()).to.equal(2n);
    await (await f.token.configureRule(rule, uintSettings(3n))).wait();
    await (await f.token.connect(f.alice).transfer(f.bob.address, UNIT)).wait();
    expect(await f.token.holderCount()).to.equal(3n);
  });

  it("supply cap: mints may not exceed the cap; transfers are not asked", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const rule = await f.supplyCap.getAddress();
    await (await f.token.addRule(rule, uintSettings(2000n * UNIT))).wait();
    await (await f.token.mint(f.carol.address, 500n * UNIT)).wait();
    await expect(f.token.mint(f.carol.address, 1n)).to.be.revertedWithCustomError(f.token, "RWAComplianceRefused").withArgs(rule, 16);
    await (await f.token.burn(f.carol.address, 10n)).wait();
    await (await f.token.mint(f.carol.address, 10n)).wait();
    expect(await f.token.totalSupply()).to.equal(2000n * UNIT);
    await (await f.token.connect(f.alice).transfer(f.bob.address, UNIT)).wait();
  });

  it("lock-up: acquired tokens wait out the period; older ones move; recovery carries the lock", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const rule = await f.lockup.getAddress();
    const token = await f.token.getAddress();
    await (await f.token.addRule(rule, uintSettings(30n * DAY))).wait();
    await expect(f.token.connect(f.alice).transfer(f.carol.address, 100n * UNIT)).to.emit(f.lockup, "Locked");
    const [locked, until] = await f.lockup.lockOf(token, f.carol.address);
    expect(locked).to.equal(100n * UNIT);
    await expect(f.token.connect(f.carol).transfer(f.bob.address, UNIT)).to.be.revertedWithCustomError(f.token, "RWAComplianceRefused").withArgs(rule, 13);
    expect(await f.token.detectTransferRestriction(f.carol.address, f.bob.address, UNIT)).to.equal(13n);
    // A later acquisition adds to the lock and extends it; minted tokens are locked too.
    await networkHelpers.time.increase(10n * DAY);
    await (await f.token.mint(f.carol.address, 50n * UNIT)).wait();
    const [locked2, until2] = await f.lockup.lockOf(token, f.carol.address);
    expect(locked2).to.equal(150n * UNIT);
    expect(until2).to.be.greaterThan(until);
    // Recovery: carol's DID rotates; the lock follows the holding.
    await (await f.dids.connect(f.carol).changeOwner(f.carol.address, f.newWallet.address)).wait();
    await expect(f.token.recoveryAddress(f.carol.address, f.newWallet.address, f.carol.address)).to.emit(f.lockup, "Locked");
    expect(await f.lockup.lockOf(token, f.newWallet.address)).to.deep.equal([150n * UNIT, until2]);
    expect((await f.lockup.lockOf(token, f.carol.address))[0]).to.equal(0n);
    await expect(f.token.connect(f.newWallet).transfer(f.bob.address, UNIT)).to.be.revertedWithCustomError(f.token, "RWAComplianceRefused");
    await networkHelpers.time.increaseTo(until2);
    expect((await f.lockup.lockOf(token, f.newWallet.address))[0]).to.equal(0n);
    await (await f.token.connect(f.newWallet).transfer(f.bob.address, UNIT)).wait();
    // Alice's 1,000 minted in the fixture were locked too, and are free now.
    await (await f.token.connect(f.alice).transfer(f.bob.address, UNIT)).wait();
    expect(await f.lockup.periodOf(token)).to.equal(30n * DAY);
  });

  it("lock-up: a recovery after the lock ended carries nothing; a running lock merges with the new wallet's", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const rule = await f.lockup.getAddress();
    const token = await f.token.getAddress();
    await (await f.token.addRule(rule, uintSettings(DAY))).wait();
    await (await f.token.mint(f.carol.address, 10n * UNIT)).wait();
    await networkHelpers.time.increase(2n * DAY);
    await (await f.dids.connect(f.carol).changeOwner(f.carol.address, f.newWallet.address)).wait();
    await expect(f.token.recoveryAddress(f.carol.address, f.newWallet.address, f.carol.address)).not.to.emit(f.lockup, "Locked");
    // Bob receives (locked), then his DID rotates to a wallet that already holds a running lock (newWallet).
    await (await f.token.mint(f.bob.address, 5n * UNIT)).wait();
    await (await f.token.mint(f.newWallet.address, 3n * UNIT)).wait();
    expect((await f.lockup.lockOf(token, f.newWallet.address))[0]).to.equal(3n * UNIT);
  });

  it("transfer limits: daily and monthly volumes per holder; forced transfers do not count; recovery carries them", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const rule = await f.limits.getAddress();
    const token = await f.token.getAddress();
    await (await f.token.addRule(rule, limitSettings(100n * UNIT, 150n * UNIT))).wait();
    expect(await f.limits.limitsOf(token)).to.deep.equal([100n * UNIT, 150n * UNIT]);
    await (await f.token.connect(f.alice).transfer(f.bob.address, 60n * UNIT)).wait();
    await expect(f.token.connect(f.alice).transfer(f.bob.address, 41n * UNIT)).to.be.revertedWithCustomError(f.token, "RWAComplianceRefused").withArgs(rule, 14);
    await (await f.token.connect(f.alice).transfer(f.bob.address, 40n * UNIT)).wait();
    expect(await f.limits.volumeOf(token, f.alice.address)).to.deep.equal([100n * UNIT, 100n * UNIT]);
    await (await f.token.forcedTransfer(f.alice.address, f.bob.address, 10n * UNIT)).wait();
    expect(await f.limits.volumeOf(token, f.alice.address)).to.deep.equal([100n * UNIT, 100n * UNIT]);
    await networkHelpers.time.increase(DAY);
    await (await f.token.connect(f.alice).transfer(f.bob.address, 50n * UNIT)).wait();
    await expect(f.token.connect(f.alice).transfer(f.bob.address, 1n)).to.be.revertedWithCustomError(f.token, "RWAComplianceRefused").withArgs(rule, 15);
    expect(await f.token.detectTransferRestriction(f.alice.address, f.bob.address, 1n)).to.equal(15n);
    // Recovery moves the counters: the new wallet is as limited as the lost one.
    await (await f.dids.connect(f.alice).changeOwner(f.alice.address, f.newWallet.address)).wait();
    await (await f.token.recoveryAddress(f.alice.address, f.newWallet.address, f.alice.address)).wait();
    expect(await f.limits.volumeOf(token, f.newWallet.address)).to.deep.equal([50n * UNIT, 150n * UNIT]);
    expect(await f.limits.volumeOf(token, f.alice.address)).to.deep.equal([0n, 0n]);
    await expect(f.token.connect(f.newWallet).transfer(f.bob.address, 1n)).to.be.revertedWithCustomError(f.token, "RWAComplianceRefused");
    await networkHelpers.time.increase(31n * DAY);
    await (await f.token.connect(f.newWallet).transfer(f.bob.address, 100n * UNIT)).wait();
    // Only one limit set: the other is unlimited.
    await (await f.token.configureRule(rule, limitSettings(0n, 1000n * UNIT))).wait();
    await (await f.token.connect(f.bob).transfer(f.carol.address, 500n * UNIT)).wait();
  });

  it("jurisdiction: allow lists admit listed jurisdictions only, deny lists refuse listed ones; set by the onboarding desk", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const rule = await f.jurisdiction.getAddress();
    const token = await f.token.getAddress();
    await expect(f.jurisdiction.connect(f.alice).setJurisdictions([f.alice.address], [CN]))
      .to.be.revertedWithCustomError(f.jurisdiction, "AccessManagedUnauthorized")
      .withArgs(f.alice.address);
    await expect(f.jurisdiction.setJurisdictions([f.bob.address, f.carol.address], [CN, US]))
      .to.emit(f.jurisdiction, "JurisdictionSet")
      .withArgs(f.bob.address, CN);
    await expect(f.jurisdiction.setJurisdictions([f.bob.address], [CN]))
      .to.be.revertedWithCustomError(f.jurisdiction, "JurisdictionUnchanged")
      .withArgs(f.bob.address, CN);
    await expect(f.jurisdiction.setJurisdictions([f.bob.address], [1000])).to.be.revertedWithCustomError(f.jurisdiction, "JurisdictionInvalidCode");
    await expect(f.jurisdiction.setJurisdictions([], [])).to.be.revertedWithCustomError(f.jurisdiction, "JurisdictionInvalidBatch");
    await expect(f.jurisdiction.setJurisdictions([f.bob.address], [])).to.be.revertedWithCustomError(f.jurisdiction, "JurisdictionInvalidBatch");

    await (await f.token.addRule(rule, jurisdictionSettings(true, [CN, SG]))).wait();
    expect(await f.jurisdiction.listOf(token, CN)).to.deep.equal([true, true]);
    expect(await f.jurisdiction.listOf(token, US)).to.deep.equal([true, false]);
    await (await f.token.connect(f.alice).transfer(f.bob.address, UNIT)).wait();
    await expect(f.token.connect(f.alice).transfer(f.carol.address, UNIT)).to.be.revertedWithCustomError(f.token, "RWAComplianceRefused").withArgs(rule, 12);
    // No jurisdiction known: refused by an allow list.
    await expect(f.token.mint(f.dave.address, UNIT)).to.be.revertedWithCustomError(f.token, "RWAComplianceRefused").withArgs(rule, 12);

    await (await f.token.configureRule(rule, jurisdictionSettings(false, [US]))).wait();
    expect(await f.jurisdiction.listOf(token, CN)).to.deep.equal([false, false]);
    await expect(f.token.connect(f.alice).transfer(f.carol.address, UNIT)).to.be.revertedWithCustomError(f.token, "RWAComplianceRefused").withArgs(rule, 12);
    await (await f.token.connect(f.alice).transfer(f.bob.address, UNIT)).wait();
    await (await f.token.mint(f.dave.address, UNIT)).wait();
    // The jurisdiction belongs to the identity: clearing it changes the answer.
    await (await f.jurisdiction.setJurisdictions([f.carol.address], [0])).wait();
    await (await f.token.connect(f.alice).transfer(f.carol.address, UNIT)).wait();
  });

  it("rules asked together: the first refusal wins and the hooks of each run", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const strict = await issue(f.factory, f.admin, "RULED-1", [Topics.KYC], [
      { rule: await f.supplyCap.getAddress(), settings: uintSettings(1000n * UNIT) },
      { rule: await f.maxBalance.getAddress(), settings: uintSettings(600n * UNIT) },
      { rule: await f.lockup.getAddress(), settings: uintSettings(DAY) },
    ]);
    await (await strict.mint(f.alice.address, 600n * UNIT)).wait();
    await expect(strict.mint(f.alice.address, 1n)).to.be.revertedWithCustomError(strict, "RWAComplianceRefused").withArgs(await f.maxBalance.getAddress(), 10);
    await (await strict.mint(f.bob.address, 400n * UNIT)).wait();
    await expect(strict.mint(f.carol.address, 1n)).to.be.revertedWithCustomError(strict, "RWAComplianceRefused").withArgs(await f.supplyCap.getAddress(), 16);
    await expect(strict.connect(f.alice).transfer(f.carol.address, 1n)).to.be.revertedWithCustomError(strict, "RWAComplianceRefused").withArgs(await f.lockup.getAddress(), 13);
    await networkHelpers.time.increase(DAY);
    await (await strict.connect(f.alice).transfer(f.carol.address, 1n)).wait();
    await (await strict.burn(f.carol.address, 1n)).wait();
  });
});

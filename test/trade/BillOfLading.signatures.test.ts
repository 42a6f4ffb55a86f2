/**
 * Signature hygiene of BillOfLading: every signature it takes (carriers' Issue co-signatures, the beneficiary's
 * Endorse consent, the bank's Pledge, carriers' Handover) against replay, expired deadline, another chain id, another
 * contract, a wrong signer, a malleable high-s twin, and an ERC-1271 contract signer; upgrades through the
 * AccessManager delay keep every bill.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { Roles } from "../../deploy/roles.js";
import { Topics } from "../../deploy/topics.js";
import { AccessManager__factory, BillOfLading__factory, ERC1271WalletMock__factory } from "../../typechain-types/index.js";
import { BillOfLadingTypes, billOfLadingDomain, readHistory } from "../../sdk/trade.js";
import { signTypedDataWith, testWallet, toHighS } from "../helpers/signatures.js";
import { ActionCode, DAY, YEAR, deployTrade, issuanceOf, issueBill, signEndorse, signHandover, signIssue, signPledge } from "./fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture, time } = networkHelpers;

const walletOwner = testWallet("ebl-signatures.wallet-owner");

/** A bill of the shipper; the bank2 role is played by an ERC-1271 wallet (a FINANCIER) owned by `walletOwner`. */
async function fixture() {
  const f = await deployTrade(connection);
  const cast = [f.sea, f.rail, f.road];
  const issuance = issuanceOf(f);
  const billId = await issueBill(f.bol, f.domain, f.sea, issuance, cast, BigInt(await time.latest()) + DAY);
  const wallet = await new ERC1271WalletMock__factory(f.admin).deploy(walletOwner.address);
  const walletAddress = await wallet.getAddress();
  const now = BigInt(await time.latest());
  await (await f.credentials.connect(f.issuer).issue(ethers.id("ebl-sig:wallet"), f.issuer.address, walletAddress, Topics.FINANCIER, now, now + YEAR)).wait();
  const otherDomain = billOfLadingDomain(f.chainId, f.admin.address);
  const chain1Domain = billOfLadingDomain(1n, await f.bol.getAddress());
  return { ...f, cast, issuance, billId, walletAddress, otherDomain, chain1Domain, route: { documentHash: issuance.documentHash, issuer: f.sea.address, legs: f.legs } };
}

describe("BillOfLading signature hygiene", function () {
  it("signs under the domain the proxy reports (ERC-5267)", async function () {
    const f = await loadFixture(fixture);
    const [, name, version, chainId, verifyingContract] = await f.bol.eip712Domain();
    expect({ name, version, chainId, verifyingContract }).to.deep.equal(f.domain);
  });

  it("Issue: refuses another chain, another contract, a high-s twin, an expired deadline", async function () {
    const f = await loadFixture(fixture);
    const issuance = issuanceOf(f, { documentHash: ethers.id("hygiene") });
    const deadline = BigInt(await time.latest()) + DAY;
    const road = await signIssue(f.domain, f.road, f.sea.address, issuance, deadline);
    for (const domain of [f.chain1Domain, f.otherDomain]) {
      const rail = await signIssue(domain, f.rail, f.sea.address, issuance, deadline);
      await expect(f.bol.connect(f.sea).issue(issuance, deadline, ["0x", rail, road])).to.be.revertedWithCustomError(f.bol, "InvalidSignature").withArgs(f.rail.address);
    }
    const rail = await signIssue(f.domain, f.rail, f.sea.address, issuance, deadline);
    await expect(f.bol.connect(f.sea).issue(issuance, deadline, ["0x", toHighS(rail), road])).to.be.revertedWithCustomError(f.bol, "InvalidSignature").withArgs(f.rail.address);
    await time.increaseTo(deadline + 1n);
    await expect(f.bol.connect(f.sea).issue(issuance, deadline, ["0x", rail, road]))
      .to.be.revertedWithCustomError(f.bol, "SignatureExpired")
      .withArgs(deadline, deadline + 2n);
  });

  it("Endorse: refuses another chain, another contract, high-s, expiry, a wrong signer, replay; accepts an ERC-1271 beneficiary", async function () {
    const f = await loadFixture(fixture);
    // Bill to order of the wallet (beneficiary), held by the shipper.
    const issuance = issuanceOf(f, { documentHash: ethers.id("to order of wallet"), consignee: f.walletAddress });
    const billId = await issueBill(f.bol, f.domain, f.sea, issuance, f.cast, BigInt(await time.latest()) + DAY);
    const head = await f.bol.headOf(billId);
    const deadline = BigInt(await time.latest()) + DAY;
    const value = { billId, head, endorsee: f.buyer.address, code: ActionCode.EndorseToOrder, deadline };
    const send = (sig: string, d = deadline) => f.bol.connect(f.shipper).endorse(billId, f.buyer.address, ActionCode.EndorseToOrder, d, sig);
    for (const domain of [f.chain1Domain, f.otherDomain]) {
      await expect(send(signTypedDataWith("erc1271", walletOwner, domain, BillOfLadingTypes.Endorse, value))).to.be.revertedWithCustomError(f.bol, "InvalidSignature").withArgs(f.walletAddress);
    }
    await expect(send(await signEndorse(f.domain, f.outsider, billId, head, f.buyer.address, ActionCode.EndorseToOrder, deadline))).to.be.revertedWithCustomError(f.bol, "InvalidSignature");
    const good = signTypedDataWith("erc1271", walletOwner, f.domain, BillOfLadingTypes.Endorse, value);
    await expect(send(good)).to.emit(f.bol, "Transfer").withArgs(f.walletAddress, f.buyer.address, billId);
    // Replay on the same bill (held again by the shipper, title back with the wallet? No: the head moved anyway).
    await expect(f.bol.connect(f.buyer).endorse(billId, f.buyer.address, ActionCode.EndorseToOrder, deadline, good)).to.be.revertedWithCustomError(f.bol, "BillInvalidReceiver");

    // EOA beneficiary: high-s and expiry.
    await (await f.bol.connect(f.shipper).transferHolder(f.billId, f.forwarder.address)).wait();
    const head2 = await f.bol.headOf(f.billId);
    const sig = await signEndorse(f.domain, f.shipper, f.billId, head2, f.buyer.address, ActionCode.Endorse, deadline);
    await expect(f.bol.connect(f.forwarder).endorse(f.billId, f.buyer.address, ActionCode.Endorse, deadline, toHighS(sig))).to.be.revertedWithCustomError(f.bol, "InvalidSignature").withArgs(f.shipper.address);
    await time.increaseTo(deadline + 1n);
    await expect(f.bol.connect(f.forwarder).endorse(f.billId, f.buyer.address, ActionCode.Endorse, deadline, sig)).to.be.revertedWithCustomError(f.bol, "SignatureExpired");
  });

  it("Pledge: refuses another chain, another contract, high-s, expiry; accepts an ERC-1271 bank, once", async function () {
    const f = await loadFixture(fixture);
    const loan = ethers.id("loan");
    const head = await f.bol.headOf(f.billId);
    const deadline = BigInt(await time.latest()) + DAY;
    const value = { billId: f.billId, head, pledgor: f.shipper.address, loanReference: loan, deadline };
    const send = (bank: string, sig: string) => f.bol.connect(f.shipper).pledge(f.billId, bank, loan, deadline, sig);
    for (const domain of [f.chain1Domain, f.otherDomain]) {
      await expect(send(f.bank.address, await f.bank.signTypedData(domain, BillOfLadingTypes.Pledge, value))).to.be.revertedWithCustomError(f.bol, "InvalidSignature").withArgs(f.bank.address);
    }
    const eoa = await signPledge(f.domain, f.bank, f.billId, head, f.shipper.address, loan, deadline);
    await expect(send(f.bank.address, toHighS(eoa))).to.be.revertedWithCustomError(f.bol, "InvalidSignature").withArgs(f.bank.address);
    const byWallet = signTypedDataWith("erc1271", walletOwner, f.domain, BillOfLadingTypes.Pledge, value);
    await expect(send(f.walletAddress, byWallet)).to.emit(f.bol, "BillAction");
    expect((await f.bol.billOf(f.billId)).holder).to.equal(f.walletAddress);
    // The wallet releases through its own transaction path? It is a contract: here the head moved, so the signature is spent.
    await expect(send(f.walletAddress, byWallet)).to.be.revertedWithCustomError(f.bol, "BillWrongStatus");
    const g = await loadFixture(fixture);
    await time.increaseTo(deadline + 1n);
    await expect(g.bol.connect(g.shipper).pledge(g.billId, g.bank.address, loan, deadline, eoa)).to.be.revertedWithCustomError(g.bol, "SignatureExpired");
  });

  it("Handover: refuses another chain, another contract, high-s, expiry, replay", async function () {
    const f = await loadFixture(fixture);
    const cargo = ethers.id("cargo");
    const deadline = BigInt(await time.latest()) + DAY;
    const rail = await signHandover(f.domain, f.rail, f.billId, 0, cargo, deadline);
    const h = { boundary: 0, handingCargoHash: cargo, receivingCargoHash: cargo, deadline, handingSignature: "0x", receivingSignature: rail };
    for (const domain of [f.chain1Domain, f.otherDomain]) {
      const bad = await signHandover(domain, f.rail, f.billId, 0, cargo, deadline);
      await expect(f.bol.connect(f.sea).handover(f.billId, f.route, { ...h, receivingSignature: bad })).to.be.revertedWithCustomError(f.bol, "InvalidSignature").withArgs(f.rail.address);
    }
    await expect(f.bol.connect(f.sea).handover(f.billId, f.route, { ...h, receivingSignature: toHighS(rail) })).to.be.revertedWithCustomError(f.bol, "InvalidSignature");
    await (await f.bol.connect(f.sea).handover(f.billId, f.route, h)).wait();
    await expect(f.bol.connect(f.sea).handover(f.billId, f.route, h)).to.be.revertedWithCustomError(f.bol, "BillHandoverOutOfOrder");
    const g = await loadFixture(fixture);
    await time.increaseTo(deadline + 1n);
    await expect(g.bol.connect(g.sea).handover(g.billId, g.route, h)).to.be.revertedWithCustomError(g.bol, "SignatureExpired");
  });
});

describe("BillOfLading upgrades", function () {
  it("cannot be initialized again, nor its implementation directly", async function () {
    const f = await loadFixture(fixture);
    await expect(f.bol.initialize(f.outsider.address)).to.be.revertedWithCustomError(f.bol, "InvalidInitialization");
    const implementation = BillOfLading__factory.connect(await f.billOfLadingImplementation.getAddress(), f.outsider);
    await expect(implementation.initialize(f.outsider.address)).to.be.revertedWithCustomError(f.bol, "InvalidInitialization");
  });

  it("upgrades only through the AccessManager after the UPGRADER delay, keeping bills, balances, heads and history", async function () {
    const f = await loadFixture(fixture);
    await (await f.bol.connect(f.shipper).endorse(f.billId, f.buyer.address, ActionCode.EndorseToOrder, 0, "0x")).wait();
    const manager = AccessManager__factory.connect(await f.accessManager.getAddress(), f.admin);
    const next = await new BillOfLading__factory(f.admin).deploy(await f.didRegistry.getAddress(), await f.credentialRegistry.getAddress(), false, ethers.ZeroAddress);
    const nextAddress = await next.getAddress();
    const target = await f.bol.getAddress();
    const data = f.bol.interface.encodeFunctionData("upgradeToAndCall", [nextAddress, "0x"]);
    const before = { bill: await f.bol.billOf(f.billId), buyer: await f.bol.balanceOf(f.buyer.address), owner: await f.bol.ownerOf(f.billId) };
    await expect(f.bol.connect(f.outsider).upgradeToAndCall(nextAddress, "0x")).to.be.revertedWithCustomError(f.bol, "AccessManagedUnauthorized").withArgs(f.outsider.address);
    await expect(f.bol.upgradeToAndCall(nextAddress, "0x")).to.be.revertedWithCustomError(manager, "AccessManagerNotScheduled");
    const [, delay] = await manager.hasRole(Roles.UPGRADER, f.admin.address);
    expect(delay).to.be.greaterThan(0n);
    await (await manager.schedule(target, data, 0)).wait();
    await expect(manager.execute(target, data)).to.be.revertedWithCustomError(manager, "AccessManagerNotReady");
    await time.increase(delay);
    await expect(manager.execute(target, data)).to.emit(f.bol, "Upgraded").withArgs(nextAddress);
    expect(await f.bol.billOf(f.billId)).to.deep.equal(before.bill);
    expect(await f.bol.balanceOf(f.buyer.address)).to.equal(before.buyer);
    expect(await f.bol.ownerOf(f.billId)).to.equal(before.owner);
    expect((await readHistory(f.bol, f.billId)).verified).to.equal(true);
    await expect(f.bol.connect(f.buyer).surrenderForDelivery(f.billId)).to.emit(f.bol, "BillAction");
  });
});

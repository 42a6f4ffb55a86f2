/**
 * BillOfLading: every state of a bill through every action, and every refusal — wrong party, missing or forged
 * co-signature, replay, pledged bill endorsed or surrendered, surrender to the wrong carrier, action on an
 * accomplished bill, rejected transfers restoring state exactly; the history recomputed from events.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { ZeroAddress } from "ethers";
import { Roles } from "../../deploy/roles.js";
import { Topics } from "../../deploy/topics.js";
import { BillStatus, ConsigneeKind, Mode, billIdOf, locode, readHistory, verifyChain, type Issuance } from "../../sdk/trade.js";
import {
  ActionCode,
  DAY,
  ZERO_HASH,
  actionsOf,
  deployTrade,
  issuanceOf,
  issueBill,
  signEndorse,
  signHandover,
  signIssue,
  signPledge,
  type TradeFixture,
} from "./fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture, time } = networkHelpers;

const deadlineFrom = async (seconds = DAY) => BigInt(await time.latest()) + seconds;

/** A to-order bill of the shipper (holder and beneficiary), co-issued by the three carriers (sea sends). */
async function issuedFixture() {
  const f = await deployTrade(connection);
  const issuance = issuanceOf(f);
  const cast = [f.sea, f.rail, f.road, f.operator];
  const billId = await issueBill(f.bol, f.domain, f.sea, issuance, cast, await deadlineFrom());
  const route = { documentHash: issuance.documentHash, issuer: f.sea.address, legs: f.legs };
  return { ...f, issuance, cast, billId, route };
}
type Issued = Awaited<ReturnType<typeof issuedFixture>>;

async function stateOf(f: TradeFixture, billId: bigint) {
  const bill = await f.bol.billOf(billId);
  return {
    holder: bill.holder,
    beneficiary: bill.beneficiary,
    status: Number(bill.status),
    negotiable: bill.negotiable,
    bearer: bill.bearer,
    owner: await f.bol.ownerOf(billId),
  };
}

async function balances(f: TradeFixture, ...accounts: string[]) {
  return Promise.all(accounts.map((a) => f.bol.balanceOf(a)));
}

async function endorseSigned(f: Issued, from: TradeFixture["shipper"], endorsee: string, code: number) {
  return f.bol.connect(from).endorse(f.billId, endorsee, code, 0, "0x");
}

async function pledgeToBank(f: Issued, pledgor = f.shipper, bank = f.bank, loan = ethers.id("loan-1")) {
  const deadline = await deadlineFrom();
  const sig = await signPledge(f.domain, bank, f.billId, await f.bol.headOf(f.billId), pledgor.address, loan, deadline);
  return f.bol.connect(pledgor).pledge(f.billId, bank.address, loan, deadline, sig);
}

async function handoverAt(f: Issued, boundary: number, handing: string, receiving: string) {
  const deadline = await deadlineFrom();
  const signerOf = (address: string) => f.cast.find((c) => c.address === address)!;
  const h = f.legs[boundary].carrier;
  const r = (f.legs[boundary + 1] ?? f.legs[boundary]).carrier;
  return f.bol.connect(f.relayer).handover(f.billId, f.route, {
    boundary,
    handingCargoHash: handing,
    receivingCargoHash: receiving,
    deadline,
    handingSignature: await signHandover(f.domain, signerOf(h), f.billId, boundary, handing, deadline),
    receivingSignature: await signHandover(f.domain, signerOf(r), f.billId, boundary, receiving, deadline),
  });
}

describe("BillOfLading", function () {
  describe("issue", function () {
    it("issues a co-signed bill: state, ERC-721 views, events and the chain's first link", async function () {
      const f = await loadFixture(deployTrade.bind(null, connection));
      const issuance = issuanceOf(f);
      const deadline = await deadlineFrom();
      const signatures = ["0x", await signIssue(f.domain, f.rail, f.sea.address, issuance, deadline), await signIssue(f.domain, f.road, f.sea.address, issuance, deadline)];
      const billId = billIdOf(issuance.documentHash, f.sea.address, f.legs);
      expect(await f.bol.billIdOf(issuance.documentHash, f.sea.address, f.legs)).to.equal(billId);
      const partiesHash = ethers.keccak256(
        ethers.AbiCoder.defaultAbiCoder().encode(["address", "address", "address", "uint8"], [f.shipper.address, ZeroAddress, f.buyer.address, ConsigneeKind.ToOrder]),
      );
      const tx = f.bol.connect(f.sea).issue(issuance, deadline, signatures);
      await expect(tx).to.emit(f.bol, "Transfer").withArgs(ZeroAddress, f.shipper.address, billId);
      await expect(tx)
        .to.emit(f.bol, "BillAction")
        .withArgs(billId, ActionCode.Issue, ZERO_HASH, f.sea.address, f.shipper.address, partiesHash);
      const receipt = await (await tx).wait();
      const issued = f.bol.interface.parseLog(receipt!.logs.find((l) => f.bol.interface.parseLog(l)?.name === "BillIssued")!)!;
      expect(issued.args.billId).to.equal(billId);
      expect(issued.args.legs.map((l: { carrier: string }) => l.carrier)).to.deep.equal(f.legs.map((l) => l.carrier));
      const bill = await f.bol.billOf(billId);
      expect(bill.holder).to.equal(f.shipper.address);
      expect(bill.beneficiary).to.equal(f.shipper.address);
      expect(bill.status).to.equal(BillStatus.Active);
      expect([bill.negotiable, bill.bearer, bill.transferPending]).to.deep.equal([true, false, false]);
      expect(bill.issuedAt).to.equal(BigInt(await time.latest()));
      expect(await f.bol.ownerOf(billId)).to.equal(f.shipper.address);
      expect(await f.bol.holderOf(billId)).to.equal(f.shipper.address);
      expect(await f.bol.balanceOf(f.shipper.address)).to.equal(1n);
      expect(await f.bol.headOf(billId)).to.equal(
        await f.bol.actionHash(billId, ZERO_HASH, { code: ActionCode.Issue, actor: f.sea.address, party: f.shipper.address, data: partiesHash }),
      );
    });

    it("names the consignee as title holder of a straight bill, and issues bearer bills to their holder", async function () {
      const f = await loadFixture(deployTrade.bind(null, connection));
      const cast = [f.sea, f.rail, f.road];
      const deadline = await deadlineFrom();
      const straight = await issueBill(f.bol, f.domain, f.sea, issuanceOf(f, { documentHash: ethers.id("straight"), consignee: f.buyer.address, consigneeKind: ConsigneeKind.Named }), cast, deadline);
      expect(await stateOf(f, straight)).to.deep.equal({ holder: f.shipper.address, beneficiary: f.buyer.address, status: 1, negotiable: false, bearer: false, owner: f.buyer.address });
      const bearer = await issueBill(f.bol, f.domain, f.sea, issuanceOf(f, { documentHash: ethers.id("bearer"), consigneeKind: ConsigneeKind.Blank }), cast, deadline);
      expect(await stateOf(f, bearer)).to.deep.equal({ holder: f.shipper.address, beneficiary: f.shipper.address, status: 1, negotiable: true, bearer: true, owner: f.shipper.address });
      const toBuyer = await issueBill(f.bol, f.domain, f.sea, issuanceOf(f, { documentHash: ethers.id("to order of buyer"), consignee: f.buyer.address }), cast, deadline);
      expect((await stateOf(f, toBuyer)).owner).to.equal(f.buyer.address);
      expect(await balances(f, f.buyer.address, f.shipper.address)).to.deep.equal([2n, 1n]);
    });

    it("lets an operator that carries no leg issue with every carrier's signature", async function () {
      const f = await loadFixture(deployTrade.bind(null, connection));
      const issuance = issuanceOf(f);
      const billId = await issueBill(f.bol, f.domain, f.operator, issuance, [f.sea, f.rail, f.road], await deadlineFrom());
      expect((await f.bol.billOf(billId)).status).to.equal(BillStatus.Active);
    });

    it("refuses an issuer without a carrier licence, and carriers without one", async function () {
      const f = await loadFixture(deployTrade.bind(null, connection));
      const issuance = issuanceOf(f);
      const deadline = await deadlineFrom();
      await expect(f.bol.connect(f.outsider).issue(issuance, deadline, ["0x", "0x", "0x"]))
        .to.be.revertedWithCustomError(f.bol, "IdentityGateMissingCredential")
        .withArgs(f.outsider.address, Topics.CARRIER);
      // A leg carried by an unlicensed account, which signed.
      const legs = [...f.legs.slice(0, 2), { ...f.legs[2], carrier: f.outsider.address }];
      const bad = { ...issuance, legs };
      const sigs = ["0x", await signIssue(f.domain, f.rail, f.sea.address, bad, deadline), await signIssue(f.domain, f.outsider, f.sea.address, bad, deadline)];
      await expect(f.bol.connect(f.sea).issue(bad, deadline, sigs))
        .to.be.revertedWithCustomError(f.bol, "IdentityGateMissingCredential")
        .withArgs(f.outsider.address, Topics.CARRIER);
      // A carrier whose licence is revoked.
      await (await f.credentials.connect(f.issuer).revoke(f.credentialIds.road)).wait();
      const sigs2 = ["0x", await signIssue(f.domain, f.rail, f.sea.address, issuance, deadline), await signIssue(f.domain, f.road, f.sea.address, issuance, deadline)];
      await expect(f.bol.connect(f.sea).issue(issuance, deadline, sigs2))
        .to.be.revertedWithCustomError(f.bol, "IdentityGateMissingCredential")
        .withArgs(f.road.address, Topics.CARRIER);
    });

    it("refuses a missing, forged or stale co-signature, and a signature replayed for the same bill", async function () {
      const f = await loadFixture(deployTrade.bind(null, connection));
      const issuance = issuanceOf(f);
      const deadline = await deadlineFrom();
      const rail = await signIssue(f.domain, f.rail, f.sea.address, issuance, deadline);
      const road = await signIssue(f.domain, f.road, f.sea.address, issuance, deadline);
      await expect(f.bol.connect(f.sea).issue(issuance, deadline, ["0x", rail, "0x"]))
        .to.be.revertedWithCustomError(f.bol, "InvalidSignature")
        .withArgs(f.road.address);
      // The rail carrier's signature offered for the road leg; the road carrier signing other legs.
      await expect(f.bol.connect(f.sea).issue(issuance, deadline, ["0x", rail, rail])).to.be.revertedWithCustomError(f.bol, "InvalidSignature").withArgs(f.road.address);
      const otherLegs = { ...issuance, legs: [f.legs[0], f.legs[2], f.legs[1]] };
      await expect(
        f.bol.connect(f.sea).issue(otherLegs, deadline, ["0x", road, rail]),
      ).to.be.revertedWithCustomError(f.bol, "InvalidSignature");
      // Signed for another shipper.
      await expect(f.bol.connect(f.sea).issue({ ...issuance, shipper: f.outsider.address }, deadline, ["0x", rail, road]))
        .to.be.revertedWithCustomError(f.bol, "InvalidSignature")
        .withArgs(f.rail.address);
      // Signed with a deadline, sent with another.
      await expect(f.bol.connect(f.sea).issue(issuance, deadline + 1n, ["0x", rail, road])).to.be.revertedWithCustomError(f.bol, "InvalidSignature");
      await (await f.bol.connect(f.sea).issue(issuance, deadline, ["0x", rail, road])).wait();
      const billId = billIdOf(issuance.documentHash, f.sea.address, f.legs);
      await expect(f.bol.connect(f.sea).issue(issuance, deadline, ["0x", rail, road]))
        .to.be.revertedWithCustomError(f.bol, "BillAlreadyIssued")
        .withArgs(billId);
      // Expired.
      const late = BigInt(await time.latest()) - 1n;
      const doc2 = { ...issuance, documentHash: ethers.id("doc2") };
      await expect(
        f.bol.connect(f.sea).issue(doc2, late, ["0x", await signIssue(f.domain, f.rail, f.sea.address, doc2, late), "0x"]),
      ).to.be.revertedWithCustomError(f.bol, "SignatureExpired");
    });

    it("refuses incomplete issuances with the bad input named", async function () {
      const f = await loadFixture(deployTrade.bind(null, connection));
      const deadline = await deadlineFrom();
      const send = (over: Partial<Issuance>, sigs?: string[]) => {
        const i = issuanceOf(f, over);
        return f.bol.connect(f.sea).issue(i, deadline, sigs ?? i.legs.map(() => "0x"));
      };
      await expect(send({ documentHash: ZERO_HASH })).to.be.revertedWithCustomError(f.bol, "BillIncompleteIssuance");
      await expect(send({ shipper: ZeroAddress })).to.be.revertedWithCustomError(f.bol, "BillIncompleteIssuance");
      await expect(send({ consigneeKind: ConsigneeKind.Named }))
        .to.be.revertedWithCustomError(f.bol, "BillConsigneeMismatch")
        .withArgs(ConsigneeKind.Named, ZeroAddress);
      await expect(send({ consigneeKind: ConsigneeKind.Blank, consignee: f.buyer.address }))
        .to.be.revertedWithCustomError(f.bol, "BillConsigneeMismatch")
        .withArgs(ConsigneeKind.Blank, f.buyer.address);
      await expect(send({ legs: [] })).to.be.revertedWithCustomError(f.bol, "BillLegCount").withArgs(0);
      const seventeen = Array.from({ length: 17 }, () => f.legs[0]);
      await expect(send({ legs: seventeen })).to.be.revertedWithCustomError(f.bol, "BillLegCount").withArgs(17);
      await expect(send({}, ["0x"])).to.be.revertedWithCustomError(f.bol, "BillSignatureCount").withArgs(1, 3);
      await expect(send({ legs: [{ ...f.legs[0], carrier: ZeroAddress }] }))
        .to.be.revertedWithCustomError(f.bol, "BillLegWithoutCarrier")
        .withArgs(0);
    });

    it("is paused and resumed by TRADE_ADMIN only; a paused registry still lets bills move", async function () {
      const f = await loadFixture(issuedFixture);
      await expect(f.bol.connect(f.outsider).setIssuancePaused(true))
        .to.be.revertedWithCustomError(f.bol, "AccessManagedUnauthorized")
        .withArgs(f.outsider.address);
      const manager = await ethers.getContractAt("AccessManager", await f.accessManager.getAddress());
      expect(await manager.getTargetFunctionRole(await f.bol.getAddress(), f.bol.interface.getFunction("setIssuancePaused")!.selector)).to.equal(Roles.TRADE_ADMIN);
      await expect(f.bol.setIssuancePaused(true)).to.emit(f.bol, "IssuancePaused").withArgs(true);
      expect(await f.bol.issuancePaused()).to.equal(true);
      await expect(f.bol.setIssuancePaused(true)).to.be.revertedWithCustomError(f.bol, "BillIssuancePauseUnchanged").withArgs(true);
      const next = issuanceOf(f, { documentHash: ethers.id("while paused") });
      await expect(f.bol.connect(f.sea).issue(next, await deadlineFrom(), ["0x", "0x", "0x"])).to.be.revertedWithCustomError(f.bol, "BillIssuancePaused");
      await expect(f.bol.connect(f.shipper).transferHolder(f.billId, f.forwarder.address)).to.emit(f.bol, "BillAction");
      await expect(f.bol.setIssuancePaused(false)).to.emit(f.bol, "IssuancePaused").withArgs(false);
      await issueBill(f.bol, f.domain, f.sea, next, f.cast, await deadlineFrom());
    });
  });

  describe("transferHolder", function () {
    it("passes possession only; the receiver may reject it and everything is restored", async function () {
      const f = await loadFixture(issuedFixture);
      const before = await stateOf(f, f.billId);
      const head0 = await f.bol.headOf(f.billId);
      await expect(f.bol.connect(f.shipper).transferHolder(f.billId, f.forwarder.address))
        .to.emit(f.bol, "BillAction")
        .withArgs(f.billId, ActionCode.Transfer, head0, f.shipper.address, f.forwarder.address, ethers.toBeHex(1n << 160n, 32))
        .and.not.to.emit(f.bol, "Transfer");
      expect(await stateOf(f, f.billId)).to.deep.equal({ ...before, holder: f.forwarder.address });
      expect((await f.bol.billOf(f.billId)).transferPending).to.equal(true);
      const [inbound] = (await actionsOf(f.bol, f.billId)).slice(-1);
      const rejected = await f.bol.headOf(f.billId);
      await expect(f.bol.connect(f.forwarder).rejectTransfer(f.billId, head0, inbound, []))
        .to.emit(f.bol, "BillAction")
        .withArgs(f.billId, ActionCode.TransferRejected, rejected, f.forwarder.address, f.shipper.address, rejected);
      expect(await stateOf(f, f.billId)).to.deep.equal(before);
      expect((await f.bol.billOf(f.billId)).transferPending).to.equal(false);
    });

    it("refuses anyone but the holder, and receivers that cannot hold", async function () {
      const f = await loadFixture(issuedFixture);
      for (const who of [f.outsider, f.sea, f.admin]) {
        await expect(f.bol.connect(who).transferHolder(f.billId, who.address))
          .to.be.revertedWithCustomError(f.bol, "BillNotHolder")
          .withArgs(f.billId, who.address);
      }
      for (const receiver of [ZeroAddress, f.shipper.address, await f.bol.getAddress()]) {
        await expect(f.bol.connect(f.shipper).transferHolder(f.billId, receiver))
          .to.be.revertedWithCustomError(f.bol, "BillInvalidReceiver")
          .withArgs(receiver);
      }
      await expect(f.bol.connect(f.shipper).transferHolder(123n, f.buyer.address)).to.be.revertedWithCustomError(f.bol, "BillUnknown").withArgs(123n);
    });

    it("moves title with possession on a bearer bill, and a rejection moves it back", async function () {
      const f = await loadFixture(issuedFixture);
      await (await endorseSigned(f, f.shipper, f.forwarder.address, ActionCode.BlankEndorse)).wait();
      expect(await stateOf(f, f.billId)).to.deep.include({ holder: f.forwarder.address, bearer: true, owner: f.forwarder.address });
      const head = await f.bol.headOf(f.billId);
      await expect(f.bol.connect(f.forwarder).transferHolder(f.billId, f.buyer.address))
        .to.emit(f.bol, "Transfer")
        .withArgs(f.forwarder.address, f.buyer.address, f.billId);
      expect(await balances(f, f.forwarder.address, f.buyer.address)).to.deep.equal([0n, 1n]);
      const [inbound] = (await actionsOf(f.bol, f.billId)).slice(-1);
      await expect(f.bol.connect(f.buyer).rejectTransfer(f.billId, head, inbound, []))
        .to.emit(f.bol, "Transfer")
        .withArgs(f.buyer.address, f.forwarder.address, f.billId);
      expect(await stateOf(f, f.billId)).to.deep.include({ holder: f.forwarder.address, owner: f.forwarder.address, bearer: true });
      expect(await balances(f, f.forwarder.address, f.buyer.address)).to.deep.equal([1n, 0n]);
    });
  });

  describe("endorse", function () {
    it("endorses to order in one transaction with the beneficiary's signature when the holder is someone else", async function () {
      const f = await loadFixture(issuedFixture);
      await (await f.bol.connect(f.shipper).transferHolder(f.billId, f.forwarder.address)).wait();
      const head = await f.bol.headOf(f.billId);
      const deadline = await deadlineFrom();
      const consent = await signEndorse(f.domain, f.shipper, f.billId, head, f.buyer.address, ActionCode.EndorseToOrder, deadline);
      // Without the consent, or with a stranger's, the forwarder is refused.
      await expect(f.bol.connect(f.forwarder).endorse(f.billId, f.buyer.address, ActionCode.EndorseToOrder, deadline, "0x"))
        .to.be.revertedWithCustomError(f.bol, "InvalidSignature")
        .withArgs(f.shipper.address);
      const forged = await signEndorse(f.domain, f.forwarder, f.billId, head, f.buyer.address, ActionCode.EndorseToOrder, deadline);
      await expect(f.bol.connect(f.forwarder).endorse(f.billId, f.buyer.address, ActionCode.EndorseToOrder, deadline, forged))
        .to.be.revertedWithCustomError(f.bol, "InvalidSignature")
        .withArgs(f.shipper.address);
      // Consent for another endorsee or another kind does not transfer.
      await expect(f.bol.connect(f.forwarder).endorse(f.billId, f.outsider.address, ActionCode.EndorseToOrder, deadline, consent)).to.be.revertedWithCustomError(f.bol, "InvalidSignature");
      await expect(f.bol.connect(f.forwarder).endorse(f.billId, f.buyer.address, ActionCode.BlankEndorse, deadline, consent)).to.be.revertedWithCustomError(f.bol, "InvalidSignature");
      const data = ethers.toBeHex(BigInt(f.shipper.address) | (1n << 160n), 32);
      await expect(f.bol.connect(f.forwarder).endorse(f.billId, f.buyer.address, ActionCode.EndorseToOrder, deadline, consent))
        .to.emit(f.bol, "BillAction")
        .withArgs(f.billId, ActionCode.EndorseToOrder, head, f.forwarder.address, f.buyer.address, data)
        .and.to.emit(f.bol, "Transfer")
        .withArgs(f.shipper.address, f.buyer.address, f.billId);
      expect(await stateOf(f, f.billId)).to.deep.equal({ holder: f.buyer.address, beneficiary: f.buyer.address, status: 1, negotiable: true, bearer: false, owner: f.buyer.address });
      expect(await balances(f, f.shipper.address, f.buyer.address)).to.deep.equal([0n, 1n]);
      // Replay: the head moved, the consent is spent. (The buyer is holder now: a replay would come from it.)
      await (await f.bol.connect(f.buyer).transferHolder(f.billId, f.forwarder.address)).wait();
      await expect(f.bol.connect(f.forwarder).endorse(f.billId, f.buyer.address, ActionCode.EndorseToOrder, deadline, consent))
        .to.be.revertedWithCustomError(f.bol, "InvalidSignature")
        .withArgs(f.buyer.address);
    });

    it("named endorsement ends negotiability; a straight bill cannot be endorsed; blank makes a bearer bill once", async function () {
      const f = await loadFixture(issuedFixture);
      await expect(endorseSigned(f, f.shipper, f.buyer.address, ActionCode.Endorse))
        .to.emit(f.bol, "BillAction")
        .withArgs(f.billId, ActionCode.Endorse, await f.bol.headOf(f.billId), f.shipper.address, f.buyer.address, ethers.toBeHex(BigInt(f.shipper.address) | (1n << 160n), 32));
      expect(await stateOf(f, f.billId)).to.deep.include({ negotiable: false, owner: f.buyer.address });
      await expect(endorseSigned(f, f.buyer, f.forwarder.address, ActionCode.EndorseToOrder)).to.be.revertedWithCustomError(f.bol, "BillNotNegotiable").withArgs(f.billId);

      const g = await loadFixture(issuedFixture);
      await (await endorseSigned(g, g.shipper, g.forwarder.address, ActionCode.BlankEndorse)).wait();
      await expect(endorseSigned(g, g.forwarder, g.buyer.address, ActionCode.BlankEndorse)).to.be.revertedWithCustomError(g.bol, "BillAlreadyBearer").withArgs(g.billId);
      // A bearer's holder endorses to a name without anyone's signature: it holds the title.
      await expect(endorseSigned(g, g.forwarder, g.buyer.address, ActionCode.EndorseToOrder)).to.emit(g.bol, "Transfer").withArgs(g.forwarder.address, g.buyer.address, g.billId);
      expect(await stateOf(g, g.billId)).to.deep.include({ bearer: false, negotiable: true, owner: g.buyer.address, beneficiary: g.buyer.address });
      for (const code of [ActionCode.Transfer, ActionCode.Issue, ActionCode.Pledge]) {
        await expect(endorseSigned(g, g.buyer, g.forwarder.address, code)).to.be.revertedWithCustomError(g.bol, "BillUnexpectedAction").withArgs(0, code);
      }
      await expect(endorseSigned(g, g.outsider, g.forwarder.address, ActionCode.Endorse)).to.be.revertedWithCustomError(g.bol, "BillNotHolder").withArgs(g.billId, g.outsider.address);
    });

    it("a rejected endorsement restores holder, beneficiary, flags and balances exactly, even after carriers' handovers", async function () {
      // The shipper passed possession to its forwarder, which endorses to the buyer with the shipper's consent.
      const g = await loadFixture(issuedFixture);
      await (await g.bol.connect(g.shipper).transferHolder(g.billId, g.forwarder.address)).wait();
      const before = await stateOf(g, g.billId);
      const balancesBefore = await balances(g, g.shipper.address, g.buyer.address, g.forwarder.address);
      const head = await g.bol.headOf(g.billId);
      const deadline = await deadlineFrom();
      const consent = await signEndorse(g.domain, g.shipper, g.billId, head, g.buyer.address, ActionCode.Endorse, deadline);
      await (await g.bol.connect(g.forwarder).endorse(g.billId, g.buyer.address, ActionCode.Endorse, deadline, consent)).wait();
      const inbound = (await actionsOf(g.bol, g.billId)).slice(-1)[0];
      await (await handoverAt(g, 0, ethers.id("cargo"), ethers.id("cargo"))).wait();
      const later = (await actionsOf(g.bol, g.billId)).slice(-1);
      // Refusals: someone else, nothing pending, a chain that does not lead to the head, a non-handover later.
      await expect(g.bol.connect(g.forwarder).rejectTransfer(g.billId, head, inbound, later)).to.be.revertedWithCustomError(g.bol, "BillNotHolder");
      await expect(g.bol.connect(g.buyer).rejectTransfer(g.billId, head, inbound, [])).to.be.revertedWithCustomError(g.bol, "BillChainMismatch");
      await expect(g.bol.connect(g.buyer).rejectTransfer(g.billId, head, { ...inbound, data: ZERO_HASH }, later)).to.be.revertedWithCustomError(g.bol, "BillChainMismatch");
      await expect(g.bol.connect(g.buyer).rejectTransfer(g.billId, head, inbound, [inbound]))
        .to.be.revertedWithCustomError(g.bol, "BillUnexpectedAction")
        .withArgs(1, ActionCode.Endorse);
      await expect(g.bol.connect(g.buyer).rejectTransfer(g.billId, head, { ...inbound, code: ActionCode.Pledge }, later))
        .to.be.revertedWithCustomError(g.bol, "BillUnexpectedAction")
        .withArgs(0, ActionCode.Pledge);
      await expect(g.bol.connect(g.buyer).rejectTransfer(g.billId, head, { ...inbound, party: g.outsider.address }, later)).to.be.revertedWithCustomError(g.bol, "BillUnexpectedAction");
      await expect(g.bol.connect(g.buyer).rejectTransfer(g.billId, head, inbound, later))
        .to.emit(g.bol, "Transfer")
        .withArgs(g.buyer.address, g.shipper.address, g.billId);
      expect(await stateOf(g, g.billId)).to.deep.equal(before);
      expect(await balances(g, g.shipper.address, g.buyer.address, g.forwarder.address)).to.deep.equal(balancesBefore);
      await expect(g.bol.connect(g.forwarder).rejectTransfer(g.billId, head, inbound, later)).to.be.revertedWithCustomError(g.bol, "BillNoPendingTransfer").withArgs(g.billId);
      // Acting on a received bill accepts it: after the buyer passes it on, the buyer has nothing to reject.
      await (await g.bol.connect(g.forwarder).transferHolder(g.billId, g.buyer.address)).wait();
      const h2 = await g.bol.headOf(g.billId);
      const inbound2 = (await actionsOf(g.bol, g.billId)).slice(-1)[0];
      await (await g.bol.connect(g.buyer).transferHolder(g.billId, g.outsider.address)).wait();
      await expect(g.bol.connect(g.buyer).rejectTransfer(g.billId, h2, inbound2, [])).to.be.revertedWithCustomError(g.bol, "BillNotHolder");
    });
  });

  describe("handover", function () {
    it("records handovers in leg order, once each, with discrepancies and both hashes", async function () {
      const f = await loadFixture(issuedFixture);
      const a = ethers.id("MSCU1234567/seal-1/18200kg");
      const b = ethers.id("MSCU1234567/seal-2/18200kg");
      await expect(handoverAt(f, 1, a, a)).to.be.revertedWithCustomError(f.bol, "BillHandoverOutOfOrder").withArgs(1, 0, 3);
      const head = await f.bol.headOf(f.billId);
      await expect(handoverAt(f, 0, a, a))
        .to.emit(f.bol, "CargoHandedOver")
        .withArgs(f.billId, 0, f.sea.address, f.rail.address, a, a)
        .and.to.emit(f.bol, "BillAction")
        .withArgs(f.billId, ActionCode.Sign, head, f.sea.address, f.rail.address, ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["uint8", "bytes32", "bytes32"], [0, a, a])))
        .and.not.to.emit(f.bol, "CargoDiscrepancy");
      await expect(handoverAt(f, 0, a, a)).to.be.revertedWithCustomError(f.bol, "BillHandoverOutOfOrder").withArgs(0, 1, 3);
      await expect(handoverAt(f, 1, a, b)).to.emit(f.bol, "CargoDiscrepancy").withArgs(f.billId, 1, a, b);
      const bill = await f.bol.billOf(f.billId);
      expect([bill.handovers, bill.discrepancies]).to.deep.equal([2n, 2n]);
      await expect(handoverAt(f, 2, a, a)).to.be.revertedWithCustomError(f.bol, "BillHandoverOutOfOrder").withArgs(2, 2, 3);
    });

    it("refuses wrong or missing carrier signatures, zero hashes, a wrong route, and lets a carrier send its own", async function () {
      const f = await loadFixture(issuedFixture);
      const a = ethers.id("cargo");
      const deadline = await deadlineFrom();
      const seaSig = await signHandover(f.domain, f.sea, f.billId, 0, a, deadline);
      const railSig = await signHandover(f.domain, f.rail, f.billId, 0, a, deadline);
      const h = { boundary: 0, handingCargoHash: a, receivingCargoHash: a, deadline, handingSignature: seaSig, receivingSignature: railSig };
      await expect(f.bol.connect(f.relayer).handover(f.billId, f.route, { ...h, receivingSignature: seaSig })).to.be.revertedWithCustomError(f.bol, "InvalidSignature").withArgs(f.rail.address);
      await expect(f.bol.connect(f.relayer).handover(f.billId, f.route, { ...h, handingSignature: "0x" })).to.be.revertedWithCustomError(f.bol, "InvalidSignature").withArgs(f.sea.address);
      await expect(f.bol.connect(f.relayer).handover(f.billId, f.route, { ...h, receivingCargoHash: ethers.id("other") })).to.be.revertedWithCustomError(f.bol, "InvalidSignature").withArgs(f.rail.address);
      await expect(f.bol.connect(f.relayer).handover(f.billId, f.route, { ...h, handingCargoHash: ZERO_HASH })).to.be.revertedWithCustomError(f.bol, "BillZeroHash");
      const badRoute = { ...f.route, legs: [f.legs[1], f.legs[0], f.legs[2]] };
      await expect(f.bol.connect(f.relayer).handover(f.billId, badRoute, h)).to.be.revertedWithCustomError(f.bol, "BillRouteMismatch").withArgs(f.billId);
      await expect(f.bol.connect(f.relayer).handover(f.billId, { ...f.route, legs: [] }, h)).to.be.revertedWithCustomError(f.bol, "BillRouteMismatch");
      await expect(f.bol.connect(f.relayer).handover(7n, f.route, h)).to.be.revertedWithCustomError(f.bol, "BillUnknown").withArgs(7n);
      // The sea carrier sends itself: only the rail carrier's signature is needed.
      await expect(f.bol.connect(f.sea).handover(f.billId, f.route, { ...h, handingSignature: "0x" })).to.emit(f.bol, "CargoHandedOver");
    });
  });

  describe("pledge", function () {
    it("pledges to a licensed bank that signs; while pledged only the bank acts; release gives it back", async function () {
      const f = await loadFixture(issuedFixture);
      const loan = ethers.id("loan-1");
      const head = await f.bol.headOf(f.billId);
      await expect(pledgeToBank(f))
        .to.emit(f.bol, "BillAction")
        .withArgs(f.billId, ActionCode.Pledge, head, f.shipper.address, f.bank.address, loan);
      expect(await stateOf(f, f.billId)).to.deep.equal({ holder: f.bank.address, beneficiary: f.shipper.address, status: BillStatus.Pledged, negotiable: true, bearer: false, owner: f.shipper.address });
      // Nobody else moves it: not the pledgor, not governance, not a carrier.
      for (const who of [f.shipper, f.admin, f.sea]) {
        await expect(f.bol.connect(who).transferHolder(f.billId, f.buyer.address)).to.be.revertedWithCustomError(f.bol, "BillWrongStatus").withArgs(f.billId, BillStatus.Pledged);
        await expect(f.bol.connect(who).endorse(f.billId, f.buyer.address, ActionCode.Endorse, 0, "0x")).to.be.revertedWithCustomError(f.bol, "BillWrongStatus");
        await expect(f.bol.connect(who).surrenderForDelivery(f.billId)).to.be.revertedWithCustomError(f.bol, "BillWrongStatus");
        await expect(f.bol.connect(who).surrenderForAmendment(f.billId, ethers.id("x"))).to.be.revertedWithCustomError(f.bol, "BillWrongStatus");
        await expect(f.bol.connect(who).releasePledge(f.billId)).to.be.revertedWithCustomError(f.bol, "BillNotHolder").withArgs(f.billId, who.address);
        await expect(f.bol.connect(who).enforcePledge(f.billId)).to.be.revertedWithCustomError(f.bol, "BillNotHolder").withArgs(f.billId, who.address);
      }
      await expect(f.bol.connect(f.bank).releasePledge(f.billId))
        .to.emit(f.bol, "BillAction")
        .withArgs(f.billId, ActionCode.PledgeReleased, await f.bol.headOf(f.billId), f.bank.address, f.shipper.address, ZERO_HASH);
      expect(await stateOf(f, f.billId)).to.deep.include({ holder: f.shipper.address, status: BillStatus.Active, owner: f.shipper.address });
      await expect(f.bol.connect(f.bank).releasePledge(f.billId)).to.be.revertedWithCustomError(f.bol, "BillWrongStatus").withArgs(f.billId, BillStatus.Active);
      await expect(f.bol.connect(f.bank).releasePledge(99n)).to.be.revertedWithCustomError(f.bol, "BillUnknown");
    });

    it("on default the bank enforces and becomes holder and beneficiary", async function () {
      const f = await loadFixture(issuedFixture);
      await (await endorseSigned(f, f.shipper, f.buyer.address, ActionCode.BlankEndorse)).wait();
      await (await pledgeToBank(f, f.buyer)).wait();
      expect(await stateOf(f, f.billId)).to.deep.include({ holder: f.bank.address, beneficiary: f.buyer.address, owner: f.buyer.address, bearer: true });
      await expect(f.bol.connect(f.bank).enforcePledge(f.billId))
        .to.emit(f.bol, "Transfer")
        .withArgs(f.buyer.address, f.bank.address, f.billId);
      expect(await stateOf(f, f.billId)).to.deep.equal({ holder: f.bank.address, beneficiary: f.bank.address, status: BillStatus.Active, negotiable: true, bearer: false, owner: f.bank.address });
      expect(await balances(f, f.buyer.address, f.bank.address)).to.deep.equal([0n, 1n]);
      await expect(f.bol.connect(f.bank).enforcePledge(f.billId)).to.be.revertedWithCustomError(f.bol, "BillWrongStatus");
    });

    it("refuses a holder without title, an unlicensed bank, a forged or replayed bank signature, a zero loan", async function () {
      const f = await loadFixture(issuedFixture);
      await (await f.bol.connect(f.shipper).transferHolder(f.billId, f.forwarder.address)).wait();
      await expect(pledgeToBank(f, f.forwarder)).to.be.revertedWithCustomError(f.bol, "BillNotTitleHolder").withArgs(f.billId, f.forwarder.address);
      const g = await loadFixture(issuedFixture);
      await expect(pledgeToBank(g, g.shipper, g.outsider as never)).to.be.revertedWithCustomError(g.bol, "IdentityGateMissingCredential").withArgs(g.outsider.address, Topics.FINANCIER);
      const deadline = await deadlineFrom();
      const loan = ethers.id("loan");
      const head = await g.bol.headOf(g.billId);
      const byOther = await signPledge(g.domain, g.bank2, g.billId, head, g.shipper.address, loan, deadline);
      await expect(g.bol.connect(g.shipper).pledge(g.billId, g.bank.address, loan, deadline, byOther)).to.be.revertedWithCustomError(g.bol, "InvalidSignature").withArgs(g.bank.address);
      await expect(g.bol.connect(g.shipper).pledge(g.billId, g.bank.address, ZERO_HASH, deadline, byOther)).to.be.revertedWithCustomError(g.bol, "BillZeroHash");
      const sig = await signPledge(g.domain, g.bank, g.billId, head, g.shipper.address, loan, deadline);
      await (await g.bol.connect(g.shipper).pledge(g.billId, g.bank.address, loan, deadline, sig)).wait();
      await (await g.bol.connect(g.bank).releasePledge(g.billId)).wait();
      await expect(g.bol.connect(g.shipper).pledge(g.billId, g.bank.address, loan, deadline, sig)).to.be.revertedWithCustomError(g.bol, "InvalidSignature").withArgs(g.bank.address);
    });
  });

  describe("surrender", function () {
    it("for delivery: only the last leg's carrier answers; accepted, the bill never moves again", async function () {
      const f = await loadFixture(issuedFixture);
      await (await f.bol.connect(f.shipper).transferHolder(f.billId, f.forwarder.address)).wait();
      await expect(f.bol.connect(f.forwarder).surrenderForDelivery(f.billId)).to.be.revertedWithCustomError(f.bol, "BillNotTitleHolder").withArgs(f.billId, f.forwarder.address);
      const g = await loadFixture(issuedFixture);
      await expect(g.bol.connect(g.outsider).surrenderForDelivery(g.billId)).to.be.revertedWithCustomError(g.bol, "BillNotHolder");
      const head = await g.bol.headOf(g.billId);
      await expect(g.bol.connect(g.shipper).surrenderForDelivery(g.billId))
        .to.emit(g.bol, "BillAction")
        .withArgs(g.billId, ActionCode.SurrenderForDelivery, head, g.shipper.address, ZeroAddress, ZERO_HASH);
      expect(Number((await g.bol.billOf(g.billId)).status)).to.equal(BillStatus.SurrenderedForDelivery);
      await expect(g.bol.connect(g.shipper).transferHolder(g.billId, g.buyer.address)).to.be.revertedWithCustomError(g.bol, "BillWrongStatus");
      // Surrendered to the wrong carrier: the sea and rail carriers, the issuer, cannot accept; a wrong route neither.
      for (const who of [g.sea, g.rail, g.operator, g.shipper]) {
        await expect(g.bol.connect(who).acceptSurrender(g.billId, g.route)).to.be.revertedWithCustomError(g.bol, "BillNotCarrier").withArgs(g.billId, who.address);
      }
      await expect(g.bol.connect(g.road).acceptSurrender(g.billId, { ...g.route, issuer: g.road.address })).to.be.revertedWithCustomError(g.bol, "BillRouteMismatch");
      await expect(g.bol.connect(g.road).acceptSurrender(g.billId, g.route))
        .to.emit(g.bol, "BillAction")
        .withArgs(g.billId, ActionCode.SurrenderAccepted, await g.bol.headOf(g.billId), g.road.address, g.shipper.address, ZERO_HASH);
      expect(await stateOf(g, g.billId)).to.deep.include({ status: BillStatus.Accomplished, owner: g.shipper.address, holder: g.shipper.address });
      // Accomplished for ever: every action refused.
      const accomplished = [BillStatus.Accomplished];
      const deadline = await deadlineFrom();
      await expect(g.bol.connect(g.shipper).transferHolder(g.billId, g.buyer.address)).to.be.revertedWithCustomError(g.bol, "BillWrongStatus").withArgs(g.billId, ...accomplished);
      await expect(g.bol.connect(g.shipper).endorse(g.billId, g.buyer.address, ActionCode.EndorseToOrder, deadline, "0x")).to.be.revertedWithCustomError(g.bol, "BillWrongStatus");
      await expect(pledgeToBank(g)).to.be.revertedWithCustomError(g.bol, "BillWrongStatus");
      await expect(g.bol.connect(g.shipper).surrenderForDelivery(g.billId)).to.be.revertedWithCustomError(g.bol, "BillWrongStatus");
      await expect(g.bol.connect(g.road).acceptSurrender(g.billId, g.route)).to.be.revertedWithCustomError(g.bol, "BillWrongStatus");
      await expect(g.bol.connect(g.road).rejectSurrender(g.billId, g.route, ethers.id("no"))).to.be.revertedWithCustomError(g.bol, "BillWrongStatus");
      await expect(handoverAt(g, 0, ethers.id("c"), ethers.id("c"))).to.be.revertedWithCustomError(g.bol, "BillWrongStatus").withArgs(g.billId, BillStatus.Accomplished);
      await expect(g.bol.connect(g.shipper).rejectTransfer(g.billId, ZERO_HASH, { code: 2, actor: ZeroAddress, party: g.shipper.address, data: ZERO_HASH }, [])).to.be.revertedWithCustomError(g.bol, "BillWrongStatus");
    });

    it("for delivery, rejected by the carrier: restored", async function () {
      const f = await loadFixture(issuedFixture);
      const before = await stateOf(f, f.billId);
      await (await f.bol.connect(f.shipper).surrenderForDelivery(f.billId)).wait();
      await expect(f.bol.connect(f.road).rejectSurrender(f.billId, f.route, ZERO_HASH)).to.be.revertedWithCustomError(f.bol, "BillZeroHash");
      await expect(f.bol.connect(f.sea).rejectSurrender(f.billId, f.route, ethers.id("r"))).to.be.revertedWithCustomError(f.bol, "BillNotCarrier");
      await expect(f.bol.connect(f.road).rejectSurrender(f.billId, f.route, ethers.id("cargo not arrived")))
        .to.emit(f.bol, "BillAction")
        .withArgs(f.billId, ActionCode.SurrenderRejected, await f.bol.headOf(f.billId), f.road.address, f.shipper.address, ethers.id("cargo not arrived"));
      expect(await stateOf(f, f.billId)).to.deep.equal(before);
      await expect(f.bol.connect(f.road).rejectSurrender(f.billId, f.route, ethers.id("r"))).to.be.revertedWithCustomError(f.bol, "BillWrongStatus").withArgs(f.billId, BillStatus.Active);
      await expect(f.bol.connect(f.road).rejectSurrender(5n, f.route, ethers.id("r"))).to.be.revertedWithCustomError(f.bol, "BillUnknown").withArgs(5n);
    });

    it("for amendment: the issuer replaces the bill (split in two) linked to it, to the party that surrendered", async function () {
      const f = await loadFixture(issuedFixture);
      await expect(f.bol.connect(f.shipper).surrenderForAmendment(f.billId, ZERO_HASH)).to.be.revertedWithCustomError(f.bol, "BillZeroHash");
      await (await f.bol.connect(f.shipper).surrenderForAmendment(f.billId, ethers.id("split into two containers"))).wait();
      await expect(f.bol.connect(f.road).acceptAmendment(f.billId, f.route, [])).to.be.revertedWithCustomError(f.bol, "BillNotCarrier");
      await expect(f.bol.connect(f.sea).acceptAmendment(f.billId, f.route, [])).to.be.revertedWithCustomError(f.bol, "BillNoReplacements");
      const deadline = await deadlineFrom();
      const make = async (n: number) => {
        const issuance = issuanceOf(f, { documentHash: ethers.id(`split ${n}`), consignee: f.buyer.address, consigneeKind: ConsigneeKind.Named });
        const signatures = await Promise.all(issuance.legs.map((leg) => (leg.carrier === f.sea.address ? "0x" : signIssue(f.domain, f.cast.find((c) => c.address === leg.carrier)!, f.sea.address, issuance, deadline))));
        return { issuance, deadline, signatures };
      };
      const replacements = [await make(1), await make(2)];
      const ids = replacements.map((r) => billIdOf(r.issuance.documentHash, f.sea.address, r.issuance.legs));
      const tx = f.bol.connect(f.sea).acceptAmendment(f.billId, f.route, replacements);
      await expect(tx).to.emit(f.bol, "BillReplaced").withArgs(f.billId, ids);
      await expect(tx).to.emit(f.bol, "Transfer").withArgs(f.shipper.address, ZeroAddress, f.billId);
      const oldHead = await f.bol.headOf(f.billId);
      expect(Number((await f.bol.billOf(f.billId)).status)).to.equal(BillStatus.Replaced);
      expect(await f.bol.ownerOf(f.billId)).to.equal(ZeroAddress);
      for (const id of ids) {
        // Control goes to the party that surrendered, whatever the paper names.
        expect(await stateOf(f, id)).to.deep.equal({ holder: f.shipper.address, beneficiary: f.shipper.address, status: 1, negotiable: false, bearer: false, owner: f.shipper.address });
        const [first] = await actionsOf(f.bol, id);
        expect(first.previous).to.equal(oldHead);
        expect((await readHistory(f.bol, id)).verified).to.equal(true);
      }
      expect(await f.bol.balanceOf(f.shipper.address)).to.equal(2n);
    });

    it("for amendment, rejected by the issuer: restored", async function () {
      const f = await loadFixture(issuedFixture);
      await (await f.bol.connect(f.shipper).surrenderForAmendment(f.billId, ethers.id("switch"))).wait();
      await expect(f.bol.connect(f.road).rejectSurrender(f.billId, f.route, ethers.id("no"))).to.be.revertedWithCustomError(f.bol, "BillNotCarrier").withArgs(f.billId, f.road.address);
      await (await f.bol.connect(f.sea).rejectSurrender(f.billId, f.route, ethers.id("no"))).wait();
      expect(Number((await f.bol.billOf(f.billId)).status)).to.equal(BillStatus.Active);
    });
  });

  describe("ERC-721 views and history", function () {
    it("answers ERC-721 and ERC-165 views; refuses transfers and approvals", async function () {
      const f = await loadFixture(issuedFixture);
      expect(await f.bol.name()).to.equal("trustbase Bill of Lading");
      expect(await f.bol.symbol()).to.equal("EBL");
      expect(await f.bol.supportsInterface("0x80ac58cd")).to.equal(true);
      expect(await f.bol.supportsInterface("0x01ffc9a7")).to.equal(true);
      expect(await f.bol.supportsInterface("0xffffffff")).to.equal(false);
      expect(await f.bol.getApproved(f.billId)).to.equal(ZeroAddress);
      expect(await f.bol.isApprovedForAll(f.shipper.address, f.buyer.address)).to.equal(false);
      await expect(f.bol.getApproved(1n)).to.be.revertedWithCustomError(f.bol, "BillUnknown");
      await expect(f.bol.ownerOf(1n)).to.be.revertedWithCustomError(f.bol, "BillUnknown");
      await expect(f.bol.holderOf(1n)).to.be.revertedWithCustomError(f.bol, "BillUnknown");
      await expect(f.bol.balanceOf(ZeroAddress)).to.be.revertedWithCustomError(f.bol, "BillInvalidReceiver");
      const asHolder = f.bol.connect(f.shipper);
      await expect(asHolder.transferFrom(f.shipper.address, f.buyer.address, f.billId)).to.be.revertedWithCustomError(f.bol, "BillOnlyThroughActions");
      await expect(asHolder["safeTransferFrom(address,address,uint256)"](f.shipper.address, f.buyer.address, f.billId)).to.be.revertedWithCustomError(f.bol, "BillOnlyThroughActions");
      await expect(asHolder["safeTransferFrom(address,address,uint256,bytes)"](f.shipper.address, f.buyer.address, f.billId, "0x")).to.be.revertedWithCustomError(f.bol, "BillOnlyThroughActions");
      await expect(asHolder.approve(f.buyer.address, f.billId)).to.be.revertedWithCustomError(f.bol, "BillOnlyThroughActions");
      await expect(asHolder.setApprovalForAll(f.buyer.address, true)).to.be.revertedWithCustomError(f.bol, "BillOnlyThroughActions");
      expect(await f.bol.ownerOf(f.billId)).to.equal(f.shipper.address);
    });

    it("rebuilds the chain from events, verifies it against the head, and detects a tampered entry", async function () {
      const f = await loadFixture(issuedFixture);
      await (await endorseSigned(f, f.shipper, f.buyer.address, ActionCode.EndorseToOrder)).wait();
      await (await pledgeToBank(f, f.buyer)).wait();
      await (await f.bol.connect(f.bank).releasePledge(f.billId)).wait();
      await (await handoverAt(f, 0, ethers.id("a"), ethers.id("b"))).wait();
      await (await f.bol.connect(f.buyer).surrenderForDelivery(f.billId)).wait();
      await (await f.bol.connect(f.road).acceptSurrender(f.billId, f.route)).wait();
      const history = await readHistory(f.bol, f.billId);
      expect(history.verified, history.problems.join("\n")).to.equal(true);
      expect(history.entries.map((e) => e.name)).to.deep.equal(["ISSUE", "ENDORSE_TO_ORDER", "PLEDGE", "PLEDGE_RELEASED", "SIGN", "SURRENDER_FOR_DELIVERY", "SACC"]);
      expect(history.computedHead).to.equal(await f.bol.headOf(f.billId));
      // Tampered: the pledge's bank changed in one entry.
      const tampered = history.entries.map((e, i) => (i === 2 ? { ...e, party: f.outsider.address } : e));
      const check = verifyChain(f.billId, tampered, history.head);
      expect(check.verified).to.equal(false);
      expect(check.problems.join(" ")).to.match(/entry 3 .*previous/);
      // An entry dropped.
      expect(verifyChain(f.billId, history.entries.filter((_, i) => i !== 4), history.head).verified).to.equal(false);
      // The contract's own hash agrees with the SDK's.
      const e = history.entries[1];
      expect(await f.bol.actionHash(f.billId, e.previous, e)).to.equal(e.hash);
    });
  });

  it("keeps modes and locations as UN/LOCODE bytes5", async function () {
    expect(locode("CNSHA")).to.equal("0x434e534841");
    expect(() => locode("shanghai")).to.throw();
    expect(Mode.Rail).to.equal(1);
  });
});

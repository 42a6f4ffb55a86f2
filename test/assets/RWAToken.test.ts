/**
 * RWAToken: ERC-20 behaviour, eligibility through the identity layer, freezes on every path (the self forced
 * transfer and duplicate batches included), agent operations, pause, recovery through DID rotation, snapshots,
 * ERC-1404 / ERC-7943 / ERC-3643 views, and every restricted function refused to the wrong role.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { ZeroAddress } from "ethers";
import { Topics } from "../../deploy/topics.js";
import {
  ERC1967Proxy__factory,
  IdentityAnswerMock__factory,
  RWARestrictions__factory,
  RWAToken__factory,
} from "../../typechain-types/index.js";
import { deployAssets, issue, uintSettings, UNIT, DAY } from "./fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const fixture = () => deployAssets(connection);

/** ComplianceCodes of contracts/interfaces/IComplianceRule.sol. */
const Code = {
  OK: 0,
  PAUSED: 1,
  SENDER_FROZEN: 2,
  RECEIVER_FROZEN: 3,
  INSUFFICIENT_UNFROZEN_BALANCE: 4,
  SENDER_NOT_CONTROLLER: 5,
  SENDER_NOT_ELIGIBLE: 6,
  RECEIVER_NOT_CONTROLLER: 7,
  RECEIVER_NOT_ELIGIBLE: 8,
  INVALID_ADDRESS: 9,
  MAX_BALANCE: 10,
} as const;

describe("RWAToken", function () {
  describe("ERC-20", function () {
    it("has its metadata, supply and balances", async function () {
      const { token, alice, bob } = await networkHelpers.loadFixture(fixture);
      expect(await token.name()).to.equal("WR-2025-001");
      expect(await token.symbol()).to.equal("WR");
      expect(await token.decimals()).to.equal(18n);
      expect(await token.totalSupply()).to.equal(1500n * UNIT);
      expect(await token.balanceOf(alice.address)).to.equal(1000n * UNIT);
      expect(await token.balanceOf(bob.address)).to.equal(500n * UNIT);
      expect(await token.holderCount()).to.equal(2n);
      expect(await token.version()).to.equal("1.0.0");
    });

    it("transfers between verified holders, with the Transfer event and balances", async function () {
      const { token, alice, carol } = await networkHelpers.loadFixture(fixture);
      await expect(token.connect(alice).transfer(carol.address, 10n * UNIT))
        .to.emit(token, "Transfer")
        .withArgs(alice.address, carol.address, 10n * UNIT);
      expect(await token.balanceOf(alice.address)).to.equal(990n * UNIT);
      expect(await token.balanceOf(carol.address)).to.equal(10n * UNIT);
      expect(await token.holderCount()).to.equal(3n);
      expect(await token.totalSupply()).to.equal(1500n * UNIT);
    });

    it("counts holders down when a balance reaches zero, and a self-transfer changes nothing", async function () {
      const { token, bob, alice } = await networkHelpers.loadFixture(fixture);
      await (await token.connect(bob).transfer(bob.address, 500n * UNIT)).wait();
      expect(await token.balanceOf(bob.address)).to.equal(500n * UNIT);
      expect(await token.holderCount()).to.equal(2n);
      await (await token.connect(bob).transfer(alice.address, 500n * UNIT)).wait();
      expect(await token.holderCount()).to.equal(1n);
    });

    it("approve and transferFrom spend the allowance; the checks are the holder's, not the spender's", async function () {
      const { token, alice, bob, outsider } = await networkHelpers.loadFixture(fixture);
      await expect(token.connect(alice).approve(outsider.address, 50n * UNIT))
        .to.emit(token, "Approval")
        .withArgs(alice.address, outsider.address, 50n * UNIT);
      await expect(token.connect(outsider).transferFrom(alice.address, bob.address, 20n * UNIT))
        .to.emit(token, "Transfer")
        .withArgs(alice.address, bob.address, 20n * UNIT);
      expect(await token.allowance(alice.address, outsider.address)).to.equal(30n * UNIT);
      await expect(token.connect(outsider).transferFrom(alice.address, bob.address, 31n * UNIT))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
        .withArgs(outsider.address, 30n * UNIT, 31n * UNIT);
    });

    it("refuses zero addresses and amounts over the balance with the sender's unfrozen balance", async function () {
      const { token, alice, bob } = await networkHelpers.loadFixture(fixture);
      await expect(token.connect(alice).transfer(ZeroAddress, 1n)).to.be.revertedWithCustomError(token, "ERC20InvalidReceiver");
      await expect(token.connect(bob).transfer(alice.address, 501n * UNIT))
        .to.be.revertedWithCustomError(token, "ERC7943InsufficientUnfrozenBalance")
        .withArgs(bob.address, 501n * UNIT, 500n * UNIT);
      expect(await token.detectTransferRestriction(ZeroAddress, alice.address, 1n)).to.equal(Code.INVALID_ADDRESS);
    });
  });

  describe("eligibility", function () {
    it("refuses a receiver without the required credential, with the reason", async function () {
      const { token, alice, outsider } = await networkHelpers.loadFixture(fixture);
      expect(await token.canTransfer(alice.address, outsider.address, UNIT)).to.equal(false);
      expect(await token.detectTransferRestriction(alice.address, outsider.address, UNIT)).to.equal(Code.RECEIVER_NOT_ELIGIBLE);
      expect(await token.messageForTransferRestriction(Code.RECEIVER_NOT_ELIGIBLE)).to.equal("receiver lacks credential");
      await expect(token.connect(alice).transfer(outsider.address, UNIT))
        .to.be.revertedWithCustomError(token, "IdentityGateMissingCredential")
        .withArgs(outsider.address, Topics.KYC);
      expect(await token.canReceive(outsider.address)).to.equal(false);
      expect(await token.isVerified(outsider.address)).to.equal(false);
      expect(await token.balanceOf(outsider.address)).to.equal(0n);
    });

    it("a revoked credential blocks receiving at once; senders keep their orderly exit unless senders are checked", async function () {
      const { token, credentials, issuer, alice, bob, credentialIds, admin } = await networkHelpers.loadFixture(fixture);
      await (await credentials.connect(issuer).revoke(credentialIds[`bob:${Topics.KYC}`])).wait();
      await expect(token.connect(alice).transfer(bob.address, UNIT))
        .to.be.revertedWithCustomError(token, "IdentityGateMissingCredential")
        .withArgs(bob.address, Topics.KYC);
      expect(await token.canReceive(bob.address)).to.equal(false);
      // Bob may still sell to a verified buyer...
      expect(await token.canSend(bob.address)).to.equal(true);
      await (await token.connect(bob).transfer(alice.address, UNIT)).wait();
      // ...until compliance checks senders too.
      await expect(token.connect(admin).setSenderChecked(true)).to.emit(token, "SenderCheckChanged").withArgs(true);
      expect(await token.senderChecked()).to.equal(true);
      expect(await token.canSend(bob.address)).to.equal(false);
      expect(await token.detectTransferRestriction(bob.address, alice.address, UNIT)).to.equal(Code.SENDER_NOT_ELIGIBLE);
      await expect(token.connect(bob).transfer(alice.address, UNIT))
        .to.be.revertedWithCustomError(token, "IdentityGateMissingCredential")
        .withArgs(bob.address, Topics.KYC);
      await expect(token.connect(admin).setSenderChecked(true)).to.be.revertedWithCustomError(token, "RWASettingUnchanged");
    });

    it("an expired credential blocks receiving", async function () {
      const { token, alice, bob } = await networkHelpers.loadFixture(fixture);
      await networkHelpers.time.increase(366n * DAY);
      await expect(token.connect(alice).transfer(bob.address, UNIT)).to.be.revertedWithCustomError(token, "IdentityGateMissingCredential");
    });

    it("a wallet whose DID was rotated away can neither send nor receive", async function () {
      const { token, dids, alice, bob, newWallet } = await networkHelpers.loadFixture(fixture);
      await (await dids.connect(alice).changeOwner(alice.address, newWallet.address)).wait();
      expect(await token.canSend(alice.address)).to.equal(false);
      expect(await token.detectTransferRestriction(alice.address, bob.address, UNIT)).to.equal(Code.SENDER_NOT_CONTROLLER);
      await expect(token.connect(alice).transfer(bob.address, UNIT))
        .to.be.revertedWithCustomError(token, "IdentityGateNotController")
        .withArgs(alice.address, alice.address);
      expect(await token.detectTransferRestriction(bob.address, alice.address, UNIT)).to.equal(Code.RECEIVER_NOT_CONTROLLER);
      await expect(token.connect(bob).transfer(alice.address, UNIT))
        .to.be.revertedWithCustomError(token, "IdentityGateNotController")
        .withArgs(alice.address, alice.address);
    });

    it("requires every topic it names, and refuses bad topic lists", async function () {
      const { token, admin, alice, bob, dave } = await networkHelpers.loadFixture(fixture);
      await expect(token.connect(admin).setRequiredTopics([Topics.KYC, Topics.QUALIFIED_INVESTOR]))
        .to.emit(token, "RequiredTopicsChanged")
        .withArgs([Topics.KYC, Topics.QUALIFIED_INVESTOR]);
      expect(await token.requiredTopics()).to.deep.equal([BigInt(Topics.KYC), BigInt(Topics.QUALIFIED_INVESTOR)]);
      await expect(token.connect(alice).transfer(dave.address, UNIT))
        .to.be.revertedWithCustomError(token, "IdentityGateMissingCredential")
        .withArgs(dave.address, Topics.QUALIFIED_INVESTOR);
      await (await token.connect(alice).transfer(bob.address, UNIT)).wait();
      for (const bad of [[], [0], [1, 1], [1, 2, 3, 4, 5]]) {
        await expect(token.connect(admin).setRequiredTopics(bad)).to.be.revertedWithCustomError(token, "RWAInvalidTopics");
      }
    });

    it("mints only to eligible, unfrozen accounts", async function () {
      const { token, admin, outsider, carol } = await networkHelpers.loadFixture(fixture);
      await expect(token.connect(admin).mint(outsider.address, UNIT))
        .to.be.revertedWithCustomError(token, "IdentityGateMissingCredential")
        .withArgs(outsider.address, Topics.KYC);
      await (await token.connect(admin).setAddressFrozen(carol.address, true)).wait();
      await expect(token.connect(admin).mint(carol.address, UNIT)).to.be.revertedWithCustomError(token, "RWAAddressFrozen").withArgs(carol.address);
      await expect(token.connect(admin).mint(ZeroAddress, UNIT)).to.be.revertedWithCustomError(token, "RWAZeroAddress");
      await expect(token.connect(admin).mint(carol.address, 0n)).to.be.revertedWithCustomError(token, "RWAZeroAmount");
      const limit = 2n ** 112n - 1n - 1500n * UNIT;
      await expect(token.connect(admin).mint(admin.address, limit + 1n))
        .to.be.revertedWithCustomError(token, "RWASupplyOverflow")
        .withArgs(limit + 1n, limit);
    });

    it("asks the identity layer as an interface call would: its reverts bubble up, a malformed answer reverts", async function () {
      // A token whose DID and credential registries are one test double answering as told.
      const { deployed, accessManager, admin, alice } = await networkHelpers.loadFixture(fixture);
      const registries = await new IdentityAnswerMock__factory(admin).deploy();
      const registriesAddress = await registries.getAddress();
      const libraries = { "project/contracts/assets/RWARestrictions.sol:RWARestrictions": await deployed.rwaRestrictions.getAddress() };
      const implementation = await new RWAToken__factory(libraries, admin).deploy(registriesAddress, registriesAddress);
      const init = implementation.interface.encodeFunctionData("initialize", [
        await accessManager.getAddress(), "Answer", "ANS", 18, [Topics.KYC], [],
      ]);
      const proxy = await new ERC1967Proxy__factory(admin).deploy(await implementation.getAddress(), init);
      const token = RWAToken__factory.connect(await proxy.getAddress(), admin);
      const [yes, no, refuse, empty, notABool] = [0, 1, 2, 3, 4];
      const answering = async (controller: number, credential: number) => (await registries.setAnswers(controller, credential)).wait();

      await answering(yes, yes);
      expect(await token.isVerified(alice.address)).to.equal(true);
      await answering(no, yes);
      expect(await token.isVerified(alice.address)).to.equal(false);
      await answering(yes, no);
      expect(await token.isVerified(alice.address)).to.equal(false);
      expect(await token.canReceive(alice.address)).to.equal(false);

      await answering(refuse, yes);
      await expect(token.isVerified(alice.address)).to.be.revertedWithCustomError(registries, "IdentityAnswerRefused").withArgs(alice.address);
      await answering(yes, refuse);
      await expect(token.canReceive(alice.address)).to.be.revertedWithCustomError(registries, "IdentityAnswerRefused").withArgs(alice.address);
      for (const [controller, credential] of [[empty, yes], [notABool, yes], [yes, empty], [yes, notABool]]) {
        await answering(controller, credential);
        await expect(token.isVerified(alice.address)).to.be.revertedWithoutReason(ethers);
      }
    });
  });

  describe("freezes", function () {
    it("partial freezes hold on transfer, transferFrom, batch and burn; the unfrozen part moves", async function () {
      const { token, admin, alice, bob, carol } = await networkHelpers.loadFixture(fixture);
      await expect(token.connect(admin).freezePartialTokens(alice.address, 900n * UNIT))
        .to.emit(token, "TokensFrozen")
        .withArgs(alice.address, 900n * UNIT)
        .and.to.emit(token, "Frozen")
        .withArgs(alice.address, 900n * UNIT);
      expect(await token.getFrozenTokens(alice.address)).to.equal(900n * UNIT);
      await expect(token.connect(alice).transfer(bob.address, 101n * UNIT))
        .to.be.revertedWithCustomError(token, "ERC7943InsufficientUnfrozenBalance")
        .withArgs(alice.address, 101n * UNIT, 100n * UNIT);
      await (await token.connect(alice).approve(carol.address, 1000n * UNIT)).wait();
      await expect(token.connect(carol).transferFrom(alice.address, bob.address, 101n * UNIT)).to.be.revertedWithCustomError(
        token,
        "ERC7943InsufficientUnfrozenBalance",
      );
      // A batch with a repeated receiver: each transfer sees what the previous one left.
      await expect(token.connect(alice).batchTransfer([bob.address, bob.address], [60n * UNIT, 60n * UNIT]))
        .to.be.revertedWithCustomError(token, "ERC7943InsufficientUnfrozenBalance")
        .withArgs(alice.address, 60n * UNIT, 40n * UNIT);
      await expect(token.connect(admin).burn(alice.address, 101n * UNIT))
        .to.be.revertedWithCustomError(token, "ERC7943InsufficientUnfrozenBalance")
        .withArgs(alice.address, 101n * UNIT, 100n * UNIT);
      await (await token.connect(alice).batchTransfer([bob.address, bob.address], [50n * UNIT, 50n * UNIT])).wait();
      expect(await token.balanceOf(alice.address)).to.equal(900n * UNIT);
      expect(await token.getFrozenTokens(alice.address)).to.equal(900n * UNIT);
      expect(await token.detectTransferRestriction(alice.address, bob.address, 1n)).to.equal(Code.INSUFFICIENT_UNFROZEN_BALANCE);
    });

    it("cannot freeze more than the balance, nor unfreeze more than frozen; setFrozenTokens sets the amount", async function () {
      const { token, admin, bob } = await networkHelpers.loadFixture(fixture);
      await expect(token.connect(admin).freezePartialTokens(bob.address, 501n * UNIT))
        .to.be.revertedWithCustomError(token, "RWAFreezeExceedsBalance")
        .withArgs(bob.address, 501n * UNIT, 500n * UNIT);
      await expect(token.connect(admin).freezePartialTokens(bob.address, 0n)).to.be.revertedWithCustomError(token, "RWAZeroAmount");
      await expect(token.connect(admin).unfreezePartialTokens(bob.address, 1n))
        .to.be.revertedWithCustomError(token, "RWAUnfreezeExceedsFrozen")
        .withArgs(bob.address, 1n, 0n);
      await expect(token.connect(admin).setFrozenTokens(bob.address, 300n * UNIT))
        .to.emit(token, "Frozen")
        .withArgs(bob.address, 300n * UNIT);
      await expect(token.connect(admin).setFrozenTokens(bob.address, 100n * UNIT))
        .to.emit(token, "TokensUnfrozen")
        .withArgs(bob.address, 200n * UNIT);
      expect(await token.getFrozenTokens(bob.address)).to.equal(100n * UNIT);
      await expect(token.connect(admin).setFrozenTokens(bob.address, 100n * UNIT))
        .to.be.revertedWithCustomError(token, "RWAFrozenAmountUnchanged")
        .withArgs(bob.address, 100n * UNIT);
      await expect(token.connect(admin).setFrozenTokens(bob.address, 501n * UNIT)).to.be.revertedWithCustomError(token, "RWAFreezeExceedsBalance");
      await expect(token.connect(admin).unfreezePartialTokens(bob.address, 100n * UNIT))
        .to.emit(token, "TokensUnfrozen")
        .withArgs(bob.address, 100n * UNIT);
      expect(await token.getFrozenTokens(bob.address)).to.equal(0n);
    });

    it("a frozen address neither sends nor receives; freezing twice is refused", async function () {
      const { token, admin, alice, bob } = await networkHelpers.loadFixture(fixture);
      await expect(token.connect(admin).setAddressFrozen(bob.address, true))
        .to.emit(token, "AddressFrozen")
        .withArgs(bob.address, true, admin.address);
      expect(await token.isFrozen(bob.address)).to.equal(true);
      await expect(token.connect(admin).setAddressFrozen(bob.address, true))
        .to.be.revertedWithCustomError(token, "RWAFrozenStateUnchanged")
        .withArgs(bob.address, true);
      await expect(token.connect(bob).transfer(alice.address, UNIT)).to.be.revertedWithCustomError(token, "RWAAddressFrozen").withArgs(bob.address);
      await expect(token.connect(alice).transfer(bob.address, UNIT)).to.be.revertedWithCustomError(token, "RWAAddressFrozen").withArgs(bob.address);
      expect(await token.detectTransferRestriction(bob.address, alice.address, UNIT)).to.equal(Code.SENDER_FROZEN);
      expect(await token.detectTransferRestriction(alice.address, bob.address, UNIT)).to.equal(Code.RECEIVER_FROZEN);
      expect(await token.canSend(bob.address)).to.equal(false);
      expect(await token.canReceive(bob.address)).to.equal(false);
      await expect(token.connect(admin).setAddressFrozen(ZeroAddress, true)).to.be.revertedWithCustomError(token, "RWAZeroAddress");
      await (await token.connect(admin).batchSetAddressFrozen([bob.address], [false])).wait();
      await (await token.connect(bob).transfer(alice.address, UNIT)).wait();
    });

    it("forced transfers move frozen tokens only explicitly, lifting their freeze by what moved", async function () {
      const { token, admin, alice, carol } = await networkHelpers.loadFixture(fixture);
      await (await token.connect(admin).freezePartialTokens(alice.address, 900n * UNIT)).wait();
      await expect(token.connect(admin).forcedTransfer(alice.address, carol.address, 300n * UNIT))
        .to.emit(token, "TokensUnfrozen")
        .withArgs(alice.address, 200n * UNIT)
        .and.to.emit(token, "Frozen")
        .withArgs(alice.address, 700n * UNIT)
        .and.to.emit(token, "ForcedTransfer")
        .withArgs(alice.address, carol.address, 300n * UNIT);
      expect(await token.balanceOf(alice.address)).to.equal(700n * UNIT);
      expect(await token.getFrozenTokens(alice.address)).to.equal(700n * UNIT);
      // Within the unfrozen balance nothing is unfrozen.
      await (await token.connect(admin).unfreezePartialTokens(alice.address, 100n * UNIT)).wait();
      await expect(token.connect(admin).forcedTransfer(alice.address, carol.address, 100n * UNIT)).not.to.emit(token, "TokensUnfrozen");
      expect(await token.getFrozenTokens(alice.address)).to.equal(600n * UNIT);
    });

    it("forcedTransfer(a, a) is refused: it cannot lift a freeze", async function () {
      const { token, admin, alice } = await networkHelpers.loadFixture(fixture);
      await (await token.connect(admin).freezePartialTokens(alice.address, 900n * UNIT)).wait();
      await expect(token.connect(admin).forcedTransfer(alice.address, alice.address, 1000n * UNIT))
        .to.be.revertedWithCustomError(token, "RWASameAccount")
        .withArgs(alice.address);
      await expect(token.connect(admin).batchForcedTransfer([alice.address], [alice.address], [1000n * UNIT]))
        .to.be.revertedWithCustomError(token, "RWASameAccount")
        .withArgs(alice.address);
      expect(await token.getFrozenTokens(alice.address)).to.equal(900n * UNIT);
    });

    it("duplicate batches never bypass freezes: forced, freeze and unfreeze batches with repeats", async function () {
      const { token, admin, alice, bob, carol } = await networkHelpers.loadFixture(fixture);
      await (await token.connect(admin).batchFreezePartialTokens([alice.address, alice.address], [400n * UNIT, 500n * UNIT])).wait();
      expect(await token.getFrozenTokens(alice.address)).to.equal(900n * UNIT);
      await expect(
        token.connect(admin).batchFreezePartialTokens([alice.address, alice.address], [50n * UNIT, 60n * UNIT]),
      ).to.be.revertedWithCustomError(token, "RWAFreezeExceedsBalance");
      await expect(
        token.connect(admin).batchUnfreezePartialTokens([alice.address, alice.address], [500n * UNIT, 500n * UNIT]),
      )
        .to.be.revertedWithCustomError(token, "RWAUnfreezeExceedsFrozen")
        .withArgs(alice.address, 500n * UNIT, 400n * UNIT);
      // Two forced transfers of the same holder: the second sees the freeze the first left.
      await (await token.connect(admin).batchForcedTransfer([alice.address, alice.address], [bob.address, carol.address], [150n * UNIT, 150n * UNIT])).wait();
      expect(await token.balanceOf(alice.address)).to.equal(700n * UNIT);
      expect(await token.getFrozenTokens(alice.address)).to.equal(700n * UNIT);
      expect(await token.getFrozenTokens(alice.address)).to.be.at.most(await token.balanceOf(alice.address));
    });

    it("burn by the agent takes unfrozen tokens only", async function () {
      const { token, admin, bob } = await networkHelpers.loadFixture(fixture);
      await (await token.connect(admin).freezePartialTokens(bob.address, 100n * UNIT)).wait();
      await expect(token.connect(admin).burn(bob.address, 400n * UNIT)).to.emit(token, "Transfer").withArgs(bob.address, ZeroAddress, 400n * UNIT);
      expect(await token.totalSupply()).to.equal(1100n * UNIT);
      await expect(token.connect(admin).burn(bob.address, 1n))
        .to.be.revertedWithCustomError(token, "ERC7943InsufficientUnfrozenBalance")
        .withArgs(bob.address, 1n, 0n);
      await expect(token.connect(admin).burn(ZeroAddress, 1n)).to.be.revertedWithCustomError(token, "RWAZeroAddress");
      await expect(token.connect(admin).burn(bob.address, 0n)).to.be.revertedWithCustomError(token, "RWAZeroAmount");
    });
  });

  describe("agent operations", function () {
    it("batch mint, burn and forced transfer; empty or mismatched batches are refused", async function () {
      const { token, admin, alice, bob, carol } = await networkHelpers.loadFixture(fixture);
      await (await token.connect(admin).batchMint([carol.address, carol.address], [UNIT, 2n * UNIT])).wait();
      expect(await token.balanceOf(carol.address)).to.equal(3n * UNIT);
      await (await token.connect(admin).batchBurn([carol.address], [UNIT])).wait();
      expect(await token.balanceOf(carol.address)).to.equal(2n * UNIT);
      await (await token.connect(admin).batchForcedTransfer([carol.address], [alice.address], [2n * UNIT])).wait();
      expect(await token.balanceOf(carol.address)).to.equal(0n);
      const empty = [
        () => token.connect(admin).batchMint([], []),
        () => token.connect(admin).batchBurn([], []),
        () => token.connect(admin).batchForcedTransfer([], [], []),
        () => token.connect(admin).batchSetAddressFrozen([], []),
        () => token.connect(admin).batchFreezePartialTokens([], []),
        () => token.connect(admin).batchUnfreezePartialTokens([], []),
        () => token.connect(alice).batchTransfer([], []),
      ];
      for (const tx of empty) await expect(tx()).to.be.revertedWithCustomError(token, "RWABatchEmpty");
      await expect(token.connect(alice).batchTransfer([bob.address], [])).to.be.revertedWithCustomError(token, "RWABatchLengthMismatch");
      await expect(token.connect(admin).batchForcedTransfer([alice.address], [], [UNIT])).to.be.revertedWithCustomError(
        token,
        "RWABatchLengthMismatch",
      );
    });

    it("forced transfers need an eligible, unfrozen receiver, a balance and no zero input", async function () {
      const { token, admin, alice, bob, outsider } = await networkHelpers.loadFixture(fixture);
      await expect(token.connect(admin).forcedTransfer(alice.address, outsider.address, UNIT))
        .to.be.revertedWithCustomError(token, "IdentityGateMissingCredential")
        .withArgs(outsider.address, Topics.KYC);
      await expect(token.connect(admin).forcedTransfer(bob.address, alice.address, 501n * UNIT))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
        .withArgs(bob.address, 500n * UNIT, 501n * UNIT);
      await (await token.connect(admin).setAddressFrozen(bob.address, true)).wait();
      await expect(token.connect(admin).forcedTransfer(alice.address, bob.address, UNIT)).to.be.revertedWithCustomError(token, "RWAAddressFrozen");
      // A frozen holder can still be moved from by the agent.
      await (await token.connect(admin).forcedTransfer(bob.address, alice.address, UNIT)).wait();
      await expect(token.connect(admin).forcedTransfer(ZeroAddress, alice.address, UNIT)).to.be.revertedWithCustomError(token, "RWAZeroAddress");
      await expect(token.connect(admin).forcedTransfer(bob.address, alice.address, 0n)).to.be.revertedWithCustomError(token, "RWAZeroAmount");
    });

    it("pause stops holders' transfers, not the agent; pausing twice or unpausing when running is refused", async function () {
      const { token, admin, alice, bob } = await networkHelpers.loadFixture(fixture);
      await expect(token.connect(admin).pause()).to.emit(token, "Paused").withArgs(admin.address);
      expect(await token.paused()).to.equal(true);
      await expect(token.connect(admin).pause()).to.be.revertedWithCustomError(token, "RWAPaused");
      await expect(token.connect(alice).transfer(bob.address, UNIT)).to.be.revertedWithCustomError(token, "RWAPaused");
      expect(await token.detectTransferRestriction(alice.address, bob.address, UNIT)).to.equal(Code.PAUSED);
      expect(await token.canSend(alice.address)).to.equal(false);
      expect(await token.canReceive(bob.address)).to.equal(false);
      await (await token.connect(admin).forcedTransfer(alice.address, bob.address, UNIT)).wait();
      await expect(token.connect(admin).unpause()).to.emit(token, "Unpaused").withArgs(admin.address);
      await expect(token.connect(admin).unpause()).to.be.revertedWithCustomError(token, "RWANotPaused");
      await (await token.connect(alice).transfer(bob.address, UNIT)).wait();
    });
  });

  describe("recovery through DID rotation", function () {
    it("moves the whole holding to the identity's new owner with its freezes; the new wallet acts for the identity", async function () {
      const { token, dids, admin, alice, bob, newWallet } = await networkHelpers.loadFixture(fixture);
      await (await token.connect(admin).freezePartialTokens(alice.address, 300n * UNIT)).wait();
      await (await token.connect(admin).setAddressFrozen(alice.address, true)).wait();
      // Before the DID rotates, the new wallet is nobody's.
      await expect(token.connect(admin).recoveryAddress(alice.address, newWallet.address, alice.address))
        .to.be.revertedWithCustomError(token, "RWANotIdentityOwner")
        .withArgs(alice.address, newWallet.address);
      await (await dids.connect(alice).changeOwner(alice.address, newWallet.address)).wait();
      await expect(token.connect(admin).recoveryAddress(alice.address, newWallet.address, bob.address))
        .to.be.revertedWithCustomError(token, "RWAWalletNotOfIdentity")
        .withArgs(alice.address, bob.address);
      await expect(token.connect(admin).recoveryAddress(alice.address, alice.address, alice.address)).to.be.revertedWithCustomError(
        token,
        "RWASameAccount",
      );
      await expect(token.connect(admin).recoveryAddress(alice.address, newWallet.address, alice.address))
        .to.emit(token, "RecoverySuccess")
        .withArgs(alice.address, newWallet.address, alice.address)
        .and.to.emit(token, "TokensFrozen")
        .withArgs(newWallet.address, 300n * UNIT)
        .and.to.emit(token, "AddressFrozen")
        .withArgs(newWallet.address, true, admin.address)
        .and.to.emit(token, "Transfer")
        .withArgs(alice.address, newWallet.address, 1000n * UNIT);
      expect(await token.balanceOf(alice.address)).to.equal(0n);
      expect(await token.getFrozenTokens(alice.address)).to.equal(0n);
      expect(await token.balanceOf(newWallet.address)).to.equal(1000n * UNIT);
      expect(await token.getFrozenTokens(newWallet.address)).to.equal(300n * UNIT);
      expect(await token.isFrozen(newWallet.address)).to.equal(true);
      expect(await token.identityOf(newWallet.address)).to.equal(alice.address);
      expect(await token.isVerified(newWallet.address)).to.equal(true);
      // Unfrozen by the agent, the new wallet trades on alice's credentials, within its unfrozen balance.
      await (await token.connect(admin).setAddressFrozen(newWallet.address, false)).wait();
      await (await token.connect(newWallet).transfer(bob.address, 700n * UNIT)).wait();
      await expect(token.connect(newWallet).transfer(bob.address, 1n)).to.be.revertedWithCustomError(token, "ERC7943InsufficientUnfrozenBalance");
      await (await token.connect(bob).transfer(newWallet.address, UNIT)).wait();
      await expect(token.connect(admin).recoveryAddress(alice.address, newWallet.address, alice.address))
        .to.be.revertedWithCustomError(token, "RWANothingToRecover")
        .withArgs(alice.address);
      await expect(token.connect(admin).recoveryAddress(alice.address, ZeroAddress, alice.address)).to.be.revertedWithCustomError(
        token,
        "RWAZeroAddress",
      );
    });
  });

  describe("snapshots", function () {
    it("keeps each balance at each snapshot, recording it lazily on the next change", async function () {
      const { token, admin, alice, bob, carol, accessManager } = await networkHelpers.loadFixture(fixture);
      // The deployer is no distributor; give it the role for this test.
      await (await accessManager.grantRole(12n, admin.address, 0)).wait();
      await expect(token.balanceOfAt(alice.address, 1)).to.be.revertedWithCustomError(token, "RWAFutureSnapshot").withArgs(1, 0);
      await expect(token.connect(admin).snapshot()).to.emit(token, "Snapshot").withArgs(1);
      await (await token.connect(alice).transfer(carol.address, 100n * UNIT)).wait();
      await (await token.connect(alice).transfer(carol.address, 100n * UNIT)).wait();
      await (await token.connect(admin).snapshot()).wait();
      await (await token.connect(bob).transfer(carol.address, 50n * UNIT)).wait();
      expect(await token.currentSnapshot()).to.equal(2n);
      expect(await token.balanceOfAt(alice.address, 1)).to.equal(1000n * UNIT);
      expect(await token.balanceOfAt(alice.address, 2)).to.equal(800n * UNIT);
      expect(await token.balanceOfAt(bob.address, 1)).to.equal(500n * UNIT);
      expect(await token.balanceOfAt(bob.address, 2)).to.equal(500n * UNIT);
      expect(await token.balanceOfAt(carol.address, 1)).to.equal(0n);
      expect(await token.balanceOfAt(carol.address, 2)).to.equal(200n * UNIT);
      expect(await token.balanceOf(carol.address)).to.equal(250n * UNIT);
      await expect(token.balanceOfAt(alice.address, 0)).to.be.revertedWithCustomError(token, "RWAFutureSnapshot");
    });
  });

  describe("rules administration", function () {
    it("adds, configures and removes rules, refusing duplicates, unknown rules and non-contracts", async function () {
      const { token, admin, maxBalance, supplyCap, alice } = await networkHelpers.loadFixture(fixture);
      const maxBalanceAddress = await maxBalance.getAddress();
      await expect(token.connect(admin).addRule(maxBalanceAddress, uintSettings(2000n * UNIT)))
        .to.emit(token, "RuleAdded")
        .withArgs(maxBalanceAddress, 3)
        .and.to.emit(maxBalance, "RuleConfigured");
      await expect(token.connect(admin).addRule(maxBalanceAddress, uintSettings(1n)))
        .to.be.revertedWithCustomError(token, "RWARuleAlreadyAdded")
        .withArgs(maxBalanceAddress);
      await expect(token.connect(admin).addRule(alice.address, "0x")).to.be.revertedWithCustomError(token, "RWAInvalidRule").withArgs(alice.address);
      await (await token.connect(admin).addRule(await supplyCap.getAddress(), uintSettings(10_000n * UNIT))).wait();
      expect((await token.rules()).map((r) => r.rule)).to.deep.equal([maxBalanceAddress, await supplyCap.getAddress()]);
      await (await token.connect(admin).configureRule(maxBalanceAddress, uintSettings(5n * UNIT))).wait();
      expect(await maxBalance.maxBalanceOf(await token.getAddress())).to.equal(5n * UNIT);
      await expect(token.connect(admin).removeRule(maxBalanceAddress)).to.emit(token, "RuleRemoved").withArgs(maxBalanceAddress);
      await expect(token.connect(admin).removeRule(maxBalanceAddress))
        .to.be.revertedWithCustomError(token, "RWARuleNotFound")
        .withArgs(maxBalanceAddress);
      await expect(token.connect(admin).configureRule(maxBalanceAddress, uintSettings(1n))).to.be.revertedWithCustomError(token, "RWARuleNotFound");
      expect((await token.rules()).map((r) => r.rule)).to.deep.equal([await supplyCap.getAddress()]);
    });

    it("takes at most eight rules", async function () {
      const { token, admin } = await networkHelpers.loadFixture(fixture);
      const factory = await ethers.getContractFactory("MaxBalanceRule");
      for (let i = 0; i < 8; i++) {
        const rule = await factory.deploy();
        await (await token.connect(admin).addRule(await rule.getAddress(), uintSettings(10n ** 30n))).wait();
      }
      const ninth = await factory.deploy();
      await expect(token.connect(admin).addRule(await ninth.getAddress(), uintSettings(1n))).to.be.revertedWithCustomError(token, "RWATooManyRules");
    });
  });

  describe("standards", function () {
    it("answers ERC-3643's registry and compliance with itself, ERC-165 and ERC-1404 messages", async function () {
      const { token, alice, bob } = await networkHelpers.loadFixture(fixture);
      const address = await token.getAddress();
      expect(await token.identityRegistry()).to.equal(address);
      expect(await token.compliance()).to.equal(address);
      expect(await token.isVerified(alice.address)).to.equal(true);
      expect(await token.isVerified(ZeroAddress)).to.equal(false);
      expect(await token.canReceive(ZeroAddress)).to.equal(false);
      expect(await token.canTransfer(alice.address, bob.address, UNIT)).to.equal(true);
      expect(await token.identityOf(alice.address)).to.equal(alice.address);
      expect(await token.supportsInterface("0x01ffc9a7")).to.equal(true);
      expect(await token.supportsInterface("0x36372b07")).to.equal(true); // ERC-20
      expect(await token.supportsInterface("0xffffffff")).to.equal(false);
      const selectors = ["forcedTransfer(address,address,uint256)", "setFrozenTokens(address,uint256)", "canSend(address)", "canReceive(address)", "getFrozenTokens(address)", "canTransfer(address,address,uint256)"].map(
        (signature) => BigInt(ethers.id(signature).slice(0, 10)),
      );
      const erc7943 = "0x" + selectors.reduce((a, b) => a ^ b).toString(16).padStart(8, "0");
      expect(await token.supportsInterface(erc7943)).to.equal(true);
      const messages = [];
      for (let code = 0; code <= 17; code++) messages.push(await token.messageForTransferRestriction(code));
      expect(messages).to.deep.equal([
        "allowed",
        "paused",
        "sender frozen",
        "receiver frozen",
        "exceeds unfrozen balance",
        "sender not identity controller",
        "sender lacks credential",
        "receiver not identity controller",
        "receiver lacks credential",
        "invalid address",
        "max balance",
        "max holders",
        "jurisdiction",
        "locked up",
        "daily limit",
        "monthly limit",
        "supply cap",
        "compliance rule",
      ]);
      expect(await token.messageForTransferRestriction(200)).to.equal("compliance rule");
    });
  });

  describe("access", function () {
    it("refuses every agent, compliance and distributor function to accounts without the role", async function () {
      const { token, alice, bob, maxBalance } = await networkHelpers.loadFixture(fixture);
      const rule = await maxBalance.getAddress();
      const asAlice = token.connect(alice);
      const calls = [
        () => asAlice.mint(alice.address, 1n),
        () => asAlice.burn(bob.address, 1n),
        () => asAlice.forcedTransfer(bob.address, alice.address, 1n),
        () => asAlice.setAddressFrozen(bob.address, true),
        () => asAlice.freezePartialTokens(bob.address, 1n),
        () => asAlice.unfreezePartialTokens(bob.address, 1n),
        () => asAlice.setFrozenTokens(bob.address, 1n),
        () => asAlice.recoveryAddress(bob.address, alice.address, bob.address),
        () => asAlice.batchMint([alice.address], [1n]),
        () => asAlice.batchBurn([bob.address], [1n]),
        () => asAlice.batchForcedTransfer([bob.address], [alice.address], [1n]),
        () => asAlice.batchSetAddressFrozen([bob.address], [true]),
        () => asAlice.batchFreezePartialTokens([bob.address], [1n]),
        () => asAlice.batchUnfreezePartialTokens([bob.address], [1n]),
        () => asAlice.pause(),
        () => asAlice.unpause(),
        () => asAlice.setRequiredTopics([Topics.KYC]),
        () => asAlice.setSenderChecked(true),
        () => asAlice.addRule(rule, uintSettings(1n)),
        () => asAlice.removeRule(rule),
        () => asAlice.configureRule(rule, uintSettings(1n)),
        () => asAlice.snapshot(),
        () => asAlice.upgradeToAndCall(alice.address, "0x"),
      ];
      for (const call of calls) {
        await expect(call()).to.be.revertedWithCustomError(token, "AccessManagedUnauthorized").withArgs(alice.address);
      }
      expect(await token.balanceOf(bob.address)).to.equal(500n * UNIT);
    });

    it("the library reverts the same errors (one ABI for tools)", async function () {
      const { token } = await networkHelpers.loadFixture(fixture);
      const iface = RWARestrictions__factory.createInterface();
      const errors = iface.fragments.filter((fragment) => fragment.type === "error");
      expect(errors.length).to.be.greaterThan(5);
      for (const fragment of errors) expect(token.interface.getError(fragment.format("sighash")), fragment.format("sighash")).to.not.equal(null);
    });

    it("issues tokens with several topics through the factory", async function () {
      const { factory, admin, alice, dave } = await networkHelpers.loadFixture(fixture);
      const strict = await issue(factory, admin, "BOND-1", [Topics.KYC, Topics.QUALIFIED_INVESTOR], [], "BND");
      await (await strict.mint(alice.address, UNIT)).wait();
      await expect(strict.mint(dave.address, UNIT))
        .to.be.revertedWithCustomError(strict, "IdentityGateMissingCredential")
        .withArgs(dave.address, Topics.QUALIFIED_INVESTOR);
    });
  });
});

/**
 * DataRevenue: credits only from its DataElement, pull withdrawals, payee changes with the consent of every payee
 * whose share falls, and relayed signed rentals. Signature hygiene (replay, deadlines, domains, high-s, ERC-1271) is
 * in test/security/data-signatures.test.ts.
 */
import { expect } from "chai";
import { network } from "hardhat";
import type { Signer } from "ethers";
import { DataRevenueTypes, domainOf } from "../../sdk/eip712.js";
import { deployMarket, HOUR, payeeTuples, splitFee, type PayeeArgs } from "./fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture, time } = networkHelpers;

const latest = async () => BigInt(await time.latest());
const UNKNOWN = BigInt(ethers.id("never registered"));

async function fixture() {
  const f = await deployMarket(connection);
  const { chainId } = await ethers.provider.getNetwork();
  const domain = domainOf("DataRevenue", chainId, await f.revenue.getAddress());
  const usdAddress = await f.usd.getAddress();
  const revenueAddress = await f.revenue.getAddress();
  return { ...f, domain, usdAddress, revenueAddress };
}
type Fixture = Awaited<ReturnType<typeof fixture>>;

/** `signer`'s consent to `payees` for `tokenId`, with its next nonce (or `nonce`). */
async function consent(f: Fixture, signer: Signer & { address: string }, payees: PayeeArgs[], deadline: bigint, nonce?: bigint) {
  return signer.signTypedData(f.domain, DataRevenueTypes.Payees, {
    tokenId: f.tokenId,
    payees,
    nonce: nonce ?? (await f.revenue.nonces(signer.address)),
    deadline,
  });
}

async function rentedFixture() {
  const f = await fixture();
  const fee = 7n * HOUR;
  await (await f.element.connect(f.bank).rent(f.tokenId, HOUR, fee)).wait();
  return { ...f, fee, shares: splitFee(fee, f.payees) };
}

describe("DataRevenue", function () {
  it("serves one DataElement, which alone credits fees and initialises payees", async function () {
    const f = await loadFixture(fixture);
    const { revenue, element, bank, admin, tokenId } = f;
    expect(await revenue.element()).to.equal(await element.getAddress());
    for (const caller of [bank, admin]) {
      await expect(revenue.connect(caller).credit(tokenId, f.usdAddress, 1_000n, caller.address))
        .to.be.revertedWithCustomError(revenue, "RevenueOnlyElement")
        .withArgs(caller.address);
      await expect(revenue.connect(caller).initPayees(tokenId, [{ account: caller.address, bps: 10_000 }]))
        .to.be.revertedWithCustomError(revenue, "RevenueOnlyElement")
        .withArgs(caller.address);
    }
    expect(await revenue.creditOf(bank.address, f.usdAddress)).to.equal(0n);
    expect(await revenue.payeesOf(tokenId)).to.deep.equal(payeeTuples(f.payees));
  });

  describe("withdraw", function () {
    it("pays the caller's whole credit to itself or another address, once; the others' credits untouched", async function () {
      const f = await loadFixture(rentedFixture);
      const { revenue, usd, operator, exchange, provider, outsider } = f;
      const [holderShare, operatorShare, exchangeShare] = f.shares;
      expect(await usd.balanceOf(f.revenueAddress)).to.equal(f.fee);
      const operatorBefore = await usd.balanceOf(operator.address);
      expect(await revenue.connect(operator).withdraw.staticCall(f.usdAddress, operator.address)).to.equal(operatorShare);
      const tx = revenue.connect(operator).withdraw(f.usdAddress, operator.address);
      await expect(tx).to.emit(revenue, "Withdrawn").withArgs(operator.address, f.usdAddress, operator.address, operatorShare);
      await expect(tx).to.emit(usd, "Transfer").withArgs(f.revenueAddress, operator.address, operatorShare);
      expect(await usd.balanceOf(operator.address)).to.equal(operatorBefore + operatorShare);
      expect(await revenue.creditOf(operator.address, f.usdAddress)).to.equal(0n);
      await expect(revenue.connect(operator).withdraw(f.usdAddress, operator.address))
        .to.be.revertedWithCustomError(revenue, "RevenueNothingToWithdraw")
        .withArgs(operator.address, f.usdAddress);

      // To another address: the payee's credit, the other address's tokens.
      const outsiderBefore = await usd.balanceOf(outsider.address);
      const exchangeBefore = await usd.balanceOf(exchange.address);
      await expect(revenue.connect(exchange).withdraw(f.usdAddress, outsider.address))
        .to.emit(revenue, "Withdrawn")
        .withArgs(exchange.address, f.usdAddress, outsider.address, exchangeShare);
      expect(await usd.balanceOf(outsider.address)).to.equal(outsiderBefore + exchangeShare);
      expect(await usd.balanceOf(exchange.address)).to.equal(exchangeBefore);
      expect(await revenue.creditOf(exchange.address, f.usdAddress)).to.equal(0n);
      expect(await revenue.creditOf(provider.address, f.usdAddress)).to.equal(holderShare);
      expect(await usd.balanceOf(f.revenueAddress)).to.equal(holderShare);
    });

    it("refuses a stranger, and a payee in a token it was not paid in", async function () {
      const f = await loadFixture(rentedFixture);
      const { revenue, outsider, operator, element } = f;
      await expect(revenue.connect(outsider).withdraw(f.usdAddress, outsider.address))
        .to.be.revertedWithCustomError(revenue, "RevenueNothingToWithdraw")
        .withArgs(outsider.address, f.usdAddress);
      const other = await element.getAddress();
      await expect(revenue.connect(operator).withdraw(other, operator.address))
        .to.be.revertedWithCustomError(revenue, "RevenueNothingToWithdraw")
        .withArgs(operator.address, other);
      expect(await f.usd.balanceOf(f.revenueAddress)).to.equal(f.fee);
    });

    it("credits accumulate across rentals until withdrawn", async function () {
      const f = await loadFixture(rentedFixture);
      const { revenue, element, bank, operator } = f;
      await (await element.connect(bank).rent(f.tokenId, HOUR + 1n, ethers.MaxUint256)).wait();
      const expected = f.shares[1] + splitFee(7n * (HOUR + 1n), f.payees)[1];
      expect(await revenue.creditOf(operator.address, f.usdAddress)).to.equal(expected);
      await expect(revenue.connect(operator).withdraw(f.usdAddress, operator.address))
        .to.emit(revenue, "Withdrawn")
        .withArgs(operator.address, f.usdAddress, operator.address, expected);
    });
  });

  describe("setPayees", function () {
    /** Operator 3,333 → 2,000, exchange 3,334 → 4,667: the operator's share falls. */
    const lowered = (f: Fixture): PayeeArgs[] => [
      { account: ethers.ZeroAddress, bps: 3_333 },
      { account: f.operator.address, bps: 2_000 },
      { account: f.exchange.address, bps: 4_667 },
    ];

    /** Payees and nonces are what they were. */
    async function expectUntouched(f: Fixture) {
      expect(await f.revenue.payeesOf(f.tokenId)).to.deep.equal(payeeTuples(f.payees));
      for (const account of [f.operator, f.exchange, f.provider]) {
        expect(await f.revenue.nonces(account.address)).to.equal(0n);
      }
    }

    it("the holder lowers a payee's share with its consent: PayeesChanged, payees replaced, the consent's nonce spent", async function () {
      const f = await loadFixture(fixture);
      const { revenue, provider, operator } = f;
      const payees = lowered(f);
      const deadline = (await latest()) + HOUR;
      const signature = await consent(f, operator, payees, deadline);
      await expect(revenue.connect(provider).setPayees(f.tokenId, payees, deadline, [operator.address], [signature]))
        .to.emit(revenue, "PayeesChanged")
        .withArgs(f.tokenId, payeeTuples(payees));
      expect(await revenue.payeesOf(f.tokenId)).to.deep.equal(payeeTuples(payees));
      expect(await revenue.nonces(operator.address)).to.equal(1n);
      // The next fee is split the new way.
      await (await f.element.connect(f.bank).rent(f.tokenId, HOUR, ethers.MaxUint256)).wait();
      const shares = splitFee(7n * HOUR, payees);
      expect(await revenue.creditOf(operator.address, f.usdAddress)).to.equal(shares[1]);
      expect(await revenue.creditOf(f.exchange.address, f.usdAddress)).to.equal(shares[2]);
      expect(shares).to.deep.equal([8_399n, 5_040n, 11_761n]);
    });

    it("refuses without the consent of each payee whose share falls (lowered or removed), state untouched", async function () {
      const f = await loadFixture(fixture);
      const { revenue, provider, operator, exchange } = f;
      const deadline = (await latest()) + HOUR;
      await expect(revenue.connect(provider).setPayees(f.tokenId, lowered(f), deadline, [], []))
        .to.be.revertedWithCustomError(revenue, "RevenueConsentMissing")
        .withArgs(f.tokenId, operator.address);
      // Both removed: both must consent; one consent is not enough.
      const holderOnly: PayeeArgs[] = [{ account: ethers.ZeroAddress, bps: 10_000 }];
      await expect(revenue.connect(provider).setPayees(f.tokenId, holderOnly, deadline, [], []))
        .to.be.revertedWithCustomError(revenue, "RevenueConsentMissing")
        .withArgs(f.tokenId, operator.address);
      const byOperator = await consent(f, operator, holderOnly, deadline);
      await expect(revenue.connect(provider).setPayees(f.tokenId, holderOnly, deadline, [operator.address], [byOperator]))
        .to.be.revertedWithCustomError(revenue, "RevenueConsentMissing")
        .withArgs(f.tokenId, exchange.address);
      await expectUntouched(f);
      const byExchange = await consent(f, exchange, holderOnly, deadline);
      await expect(revenue.connect(provider).setPayees(f.tokenId, holderOnly, deadline, [exchange.address, operator.address], [byExchange, byOperator]))
        .to.emit(revenue, "PayeesChanged")
        .withArgs(f.tokenId, payeeTuples(holderOnly));
    });

    it("raising shares and lowering the holder's own share (address(0) or its address) need no consent", async function () {
      const f = await loadFixture(fixture);
      const { revenue, provider, operator, exchange } = f;
      const deadline = (await latest()) + HOUR;
      const raised: PayeeArgs[] = [
        { account: ethers.ZeroAddress, bps: 1 },
        { account: operator.address, bps: 4_999 },
        { account: exchange.address, bps: 5_000 },
      ];
      await expect(revenue.connect(provider).setPayees(f.tokenId, raised, deadline, [], []))
        .to.emit(revenue, "PayeesChanged")
        .withArgs(f.tokenId, payeeTuples(raised));
      // The holder named by its address, then lowered by its address.
      const named: PayeeArgs[] = [
        { account: provider.address, bps: 1 },
        { account: operator.address, bps: 4_999 },
        { account: exchange.address, bps: 5_000 },
      ];
      await (await revenue.connect(provider).setPayees(f.tokenId, named, deadline, [], [])).wait();
      const reordered: PayeeArgs[] = [
        { account: exchange.address, bps: 5_000 },
        { account: operator.address, bps: 5_000 },
      ];
      await expect(revenue.connect(provider).setPayees(f.tokenId, reordered, deadline, [], []))
        .to.emit(revenue, "PayeesChanged")
        .withArgs(f.tokenId, payeeTuples(reordered));
      expect(await revenue.payeesOf(f.tokenId)).to.deep.equal(payeeTuples(reordered));
    });

    it("a former holder named by its address must consent once the token changed hands", async function () {
      const f = await loadFixture(fixture);
      const { revenue, element, provider, renter2, operator, exchange } = f;
      const deadline = (await latest()) + HOUR;
      const named: PayeeArgs[] = [
        { account: provider.address, bps: 3_334 },
        { account: operator.address, bps: 3_333 },
        { account: exchange.address, bps: 3_333 },
      ];
      await (await revenue.connect(provider).setPayees(f.tokenId, named, deadline, [exchange.address], [await consent(f, exchange, named, deadline)])).wait();
      await (await element.connect(provider).transferFrom(provider.address, renter2.address, f.tokenId)).wait();
      const without: PayeeArgs[] = [
        { account: ethers.ZeroAddress, bps: 3_334 },
        { account: operator.address, bps: 3_333 },
        { account: exchange.address, bps: 3_333 },
      ];
      await expect(revenue.connect(provider).setPayees(f.tokenId, without, deadline, [], []))
        .to.be.revertedWithCustomError(revenue, "RevenueNotHolder")
        .withArgs(f.tokenId, provider.address);
      await expect(revenue.connect(renter2).setPayees(f.tokenId, without, deadline, [], []))
        .to.be.revertedWithCustomError(revenue, "RevenueConsentMissing")
        .withArgs(f.tokenId, provider.address);
      await expect(
        revenue.connect(renter2).setPayees(f.tokenId, without, deadline, [provider.address], [await consent(f, provider, without, deadline)]),
      ).to.emit(revenue, "PayeesChanged");
    });

    it("refuses a consent from a payee whose share does not fall, a consent given twice, address(0), mismatched lists", async function () {
      const f = await loadFixture(fixture);
      const { revenue, provider, operator, exchange, outsider } = f;
      const payees = lowered(f);
      const deadline = (await latest()) + HOUR;
      const byOperator = await consent(f, operator, payees, deadline);
      const byExchange = await consent(f, exchange, payees, deadline);
      await expect(revenue.connect(provider).setPayees(f.tokenId, payees, deadline, [operator.address, exchange.address], [byOperator, byExchange]))
        .to.be.revertedWithCustomError(revenue, "RevenueUnexpectedConsent")
        .withArgs(f.tokenId, exchange.address);
      await expect(revenue.connect(provider).setPayees(f.tokenId, payees, deadline, [operator.address, operator.address], [byOperator, byOperator]))
        .to.be.revertedWithCustomError(revenue, "RevenueUnexpectedConsent")
        .withArgs(f.tokenId, operator.address);
      await expect(revenue.connect(provider).setPayees(f.tokenId, payees, deadline, [outsider.address], [byOperator]))
        .to.be.revertedWithCustomError(revenue, "RevenueUnexpectedConsent")
        .withArgs(f.tokenId, outsider.address);
      await expect(revenue.connect(provider).setPayees(f.tokenId, payees, deadline, [ethers.ZeroAddress, operator.address], [byOperator, byOperator]))
        .to.be.revertedWithCustomError(revenue, "RevenueUnexpectedConsent")
        .withArgs(f.tokenId, ethers.ZeroAddress);
      await expect(revenue.connect(provider).setPayees(f.tokenId, payees, deadline, [operator.address], [])).to.be.revertedWithCustomError(
        revenue,
        "RevenueConsentsMismatch",
      );
      await expect(revenue.connect(provider).setPayees(f.tokenId, payees, deadline, [], [byOperator])).to.be.revertedWithCustomError(
        revenue,
        "RevenueConsentsMismatch",
      );
      await expectUntouched(f);
    });

    it("refuses a replayed consent, an expired deadline, another payee's signature, a consent to other payees", async function () {
      const f = await loadFixture(fixture);
      const { revenue, provider, operator, exchange } = f;
      const payees = lowered(f);
      const deadline = (await latest()) + HOUR;
      // Wrong signer: the exchange signs in the operator's name.
      const byExchange = await consent(f, exchange, payees, deadline, 0n);
      await expect(revenue.connect(provider).setPayees(f.tokenId, payees, deadline, [operator.address], [byExchange]))
        .to.be.revertedWithCustomError(revenue, "InvalidSignature")
        .withArgs(operator.address);
      // A consent to another list.
      const other = [payees[0], { ...payees[1], bps: 1_999 }, { ...payees[2], bps: 4_668 }];
      const toOther = await consent(f, operator, other, deadline);
      await expect(revenue.connect(provider).setPayees(f.tokenId, payees, deadline, [operator.address], [toOther]))
        .to.be.revertedWithCustomError(revenue, "InvalidSignature")
        .withArgs(operator.address);
      // Expired: the deadline's last second is fine, the next one is not.
      const signature = await consent(f, operator, payees, deadline);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(revenue.connect(provider).setPayees(f.tokenId, payees, deadline, [operator.address], [signature]))
        .to.be.revertedWithCustomError(revenue, "SignatureExpired")
        .withArgs(deadline, deadline + 1n);
      await expectUntouched(f);
      await networkHelpers.mine(); // the refused transaction mined no block: spend the pending timestamp

      // Replay: the operator consented once; the holder restores the old split and tries again with the same consent.
      const later = (await latest()) + HOUR;
      const once = await consent(f, operator, payees, later);
      await (await revenue.connect(provider).setPayees(f.tokenId, payees, later, [operator.address], [once])).wait();
      await (await revenue.connect(provider).setPayees(f.tokenId, f.payees, later, [exchange.address], [await consent(f, exchange, f.payees, later)])).wait();
      expect(await revenue.payeesOf(f.tokenId)).to.deep.equal(payeeTuples(f.payees));
      await expect(revenue.connect(provider).setPayees(f.tokenId, payees, later, [operator.address], [once]))
        .to.be.revertedWithCustomError(revenue, "InvalidSignature")
        .withArgs(operator.address);
      expect(await revenue.payeesOf(f.tokenId)).to.deep.equal(payeeTuples(f.payees));
    });

    it("holder only; unknown token refused; invalid payees refused", async function () {
      const f = await loadFixture(fixture);
      const { revenue, element, provider, operator, outsider } = f;
      const deadline = (await latest()) + HOUR;
      const mine: PayeeArgs[] = [{ account: operator.address, bps: 10_000 }];
      for (const caller of [operator, outsider]) {
        await expect(revenue.connect(caller).setPayees(f.tokenId, mine, deadline, [], []))
          .to.be.revertedWithCustomError(revenue, "RevenueNotHolder")
          .withArgs(f.tokenId, caller.address);
      }
      await expect(revenue.connect(provider).setPayees(UNKNOWN, mine, deadline, [], []))
        .to.be.revertedWithCustomError(element, "ERC721NonexistentToken")
        .withArgs(UNKNOWN);
      for (const payees of [[], [{ account: operator.address, bps: 9_999 }]]) {
        await expect(revenue.connect(provider).setPayees(f.tokenId, payees, deadline, [], [])).to.be.revertedWithCustomError(
          revenue,
          "RevenueInvalidPayees",
        );
      }
      await expectUntouched(f);
    });
  });

  describe("rentBySig", function () {
    it("relays a rental the renter signed: the renter is the user and pays, the relayer pays nothing", async function () {
      const f = await loadFixture(fixture);
      const { revenue, element, usd, bank, relayer, tokenId } = f;
      const deadline = (await latest()) + HOUR;
      const fee = 7n * HOUR;
      const signature = await bank.signTypedData(f.domain, DataRevenueTypes.Rent, {
        tokenId,
        renter: bank.address,
        duration: HOUR,
        maxFee: fee,
        nonce: 0n,
        deadline,
      });
      const bankBefore = await usd.balanceOf(bank.address);
      const relayerBefore = await usd.balanceOf(relayer.address);
      const start = (await latest()) + 3n;
      await time.setNextBlockTimestamp(start);
      const tx = revenue.connect(relayer).rentBySig(tokenId, bank.address, HOUR, fee, deadline, signature);
      await expect(tx).to.emit(element, "Rented").withArgs(tokenId, bank.address, f.usdAddress, fee, start, start + HOUR - 1n, 1);
      await expect(tx).to.emit(usd, "Transfer").withArgs(bank.address, f.revenueAddress, fee);
      expect(await usd.balanceOf(bank.address)).to.equal(bankBefore - fee);
      expect(await usd.balanceOf(relayer.address)).to.equal(relayerBefore);
      expect(await element.userOf(tokenId)).to.equal(bank.address);
      expect(await revenue.nonces(bank.address)).to.equal(1n);
      expect(await revenue.creditOf(f.exchange.address, f.usdAddress)).to.equal(splitFee(fee, f.payees)[2]);
    });

    it("applies every rule of rent to the signer: credential, maxFee, presentation-only offers; the nonce is kept on refusal", async function () {
      const f = await loadFixture(fixture);
      const { revenue, element, outsider, bank, operator, relayer, tokenId, offer } = f;
      const deadline = (await latest()) + HOUR;
      const sign = async (signer: Signer & { address: string }, maxFee: bigint) =>
        signer.signTypedData(f.domain, DataRevenueTypes.Rent, {
          tokenId,
          renter: signer.address,
          duration: HOUR,
          maxFee,
          nonce: await revenue.nonces(signer.address),
          deadline,
        });
      await expect(revenue.connect(relayer).rentBySig(tokenId, outsider.address, HOUR, ethers.MaxUint256, deadline, await sign(outsider, ethers.MaxUint256)))
        .to.be.revertedWithCustomError(element, "IdentityGateMissingCredential")
        .withArgs(outsider.address, 4);
      await expect(revenue.connect(relayer).rentBySig(tokenId, bank.address, HOUR, 1n, deadline, await sign(bank, 1n)))
        .to.be.revertedWithCustomError(element, "DataFeeAboveLimit")
        .withArgs(7n * HOUR, 1n);
      await (await element.connect(operator).publishOffer(tokenId, { ...offer, requiresPresentation: true })).wait();
      await expect(revenue.connect(relayer).rentBySig(tokenId, bank.address, HOUR, ethers.MaxUint256, deadline, await sign(bank, ethers.MaxUint256)))
        .to.be.revertedWithCustomError(element, "DataPresentationRequired")
        .withArgs(tokenId);
      expect(await revenue.nonces(bank.address)).to.equal(0n);
      expect(await revenue.nonces(outsider.address)).to.equal(0n);
    });
  });
});

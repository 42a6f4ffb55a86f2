/**
 * Signature hygiene of the data module: every function that accepts a signature — DataRevenue.rentBySig (the
 * renter's Rent) and DataRevenue.setPayees (the Payees consents of payees whose share falls) — against replay,
 * deadlines (last second accepted, the next refused), another chain id, another contract (a second DataRevenue of
 * the same DataElement), wrong signers and tampered fields, malleable high-s twins and ERC-1271 contract signers.
 *
 * Signers are deterministic keys (test/helpers/signatures.ts); Hardhat's accounts only relay.
 */
import { expect } from "chai";
import { network } from "hardhat";
import type { TypedDataDomain, Wallet } from "ethers";
import { DataRevenue__factory, ERC1271WalletMock__factory, type DataRevenue } from "../../typechain-types/index.js";
import { Topics } from "../../deploy/topics.js";
import { DataRevenueTypes, domainOf } from "../../sdk/eip712.js";
import { domainOf as domainFromContract, isHighS, signTypedDataWith, testWallet, toHighS, type SignatureScheme } from "../helpers/signatures.js";
import { deployMarket, HOUR, Level, payeeTuples, USD, YEAR, type PayeeArgs } from "../data/fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture, time } = networkHelpers;

const MEMBER = Topics.DATA_EXCHANGE_MEMBER;
const latest = async () => BigInt(await time.latest());

const renterKey = testWallet("data-signatures.renter", ethers.provider);
const payeeKey = testWallet("data-signatures.payee");
const strangerKey = testWallet("data-signatures.stranger");
const walletOwnerKey = testWallet("data-signatures.wallet-owner", ethers.provider);

interface RentArgs {
  tokenId: bigint;
  renter: string;
  duration: bigint;
  maxFee: bigint;
  deadline: bigint;
}

/**
 * The market, plus: `renterKey` and an ERC1271WalletMock owned by `walletOwnerKey`, both data-exchange members with
 * stablecoins approved to the DataElement; a second token (`payeeToken`) whose payees are the holder 5,000,
 * `payeeKey` 2,500 and the wallet 2,500; and a second DataRevenue of the same DataElement (`other`, never bound) for
 * cross-contract signatures.
 */
async function fixture() {
  const f = await deployMarket(connection);
  const { admin, issuer, credentials, element, usd, provider } = f;
  const elementAddress = await element.getAddress();
  const wallet = await new ERC1271WalletMock__factory(admin).deploy(walletOwnerKey.address);
  const walletAddress = await wallet.getAddress();
  await networkHelpers.setBalance(renterKey.address, 10n ** 20n);
  await networkHelpers.setBalance(walletOwnerKey.address, 10n ** 20n);
  const now = await latest();
  for (const [label, subject] of [
    ["renter", renterKey.address],
    ["wallet", walletAddress],
  ]) {
    await (await credentials.connect(issuer).issue(ethers.id(`data-signatures:${label}`), issuer.address, subject, MEMBER, now, now + YEAR)).wait();
    await (await usd.mint(subject, 1_000n * USD)).wait();
  }
  await (await usd.connect(renterKey).approve(elementAddress, ethers.MaxUint256)).wait();
  const approve = usd.interface.encodeFunctionData("approve", [elementAddress, ethers.MaxUint256]);
  await (await wallet.connect(walletOwnerKey).execute(await usd.getAddress(), approve)).wait();

  const payeeHash = ethers.id("data-signatures:payees");
  const payeeToken = BigInt(payeeHash);
  const payees: PayeeArgs[] = [
    { account: ethers.ZeroAddress, bps: 5_000 },
    { account: payeeKey.address, bps: 2_500 },
    { account: walletAddress, bps: 2_500 },
  ];
  await (await element.connect(provider).register(payeeHash, Level.PUBLIC, 1, 0, "", payees)).wait();

  const other = await new DataRevenue__factory(admin).deploy(elementAddress, false, ethers.ZeroAddress);
  const { chainId } = await ethers.provider.getNetwork();
  const domainA = domainOf("DataRevenue", chainId, await f.revenue.getAddress());
  const domainB = domainOf("DataRevenue", chainId, await other.getAddress());
  const rent = (over: Partial<RentArgs> = {}): RentArgs => ({
    tokenId: f.tokenId,
    renter: renterKey.address,
    duration: HOUR,
    maxFee: 7n * HOUR,
    deadline: now + 10n * HOUR,
    ...over,
  });
  return { ...f, wallet, walletAddress, payeeToken, payees, other, chainId, domainA, domainB, rent };
}
type Fixture = Awaited<ReturnType<typeof fixture>>;

interface SignOptions {
  scheme?: SignatureScheme;
  /** Whose nonce to sign (default the key's address; the wallet for ERC-1271). */
  signer?: string;
  nonce?: bigint;
}

async function signRent(revenue: DataRevenue, domain: TypedDataDomain, key: Wallet, a: RentArgs, options: SignOptions = {}) {
  const nonce = options.nonce ?? (await revenue.nonces(options.signer ?? key.address));
  return signTypedDataWith(options.scheme ?? "secp256k1", key, domain, DataRevenueTypes.Rent, { ...a, nonce });
}

function sendRent(revenue: DataRevenue, a: RentArgs, signature: string) {
  return revenue.rentBySig(a.tokenId, a.renter, a.duration, a.maxFee, a.deadline, signature);
}

async function signPayees(
  revenue: DataRevenue,
  domain: TypedDataDomain,
  key: Wallet,
  tokenId: bigint,
  payees: PayeeArgs[],
  deadline: bigint,
  options: SignOptions = {},
) {
  const nonce = options.nonce ?? (await revenue.nonces(options.signer ?? key.address));
  return signTypedDataWith(options.scheme ?? "secp256k1", key, domain, DataRevenueTypes.Payees, { tokenId, payees, nonce, deadline });
}

describe("Data module signature hygiene", function () {
  it("signs under the domain DataRevenue reports (ERC-5267), one per contract", async function () {
    const f = await loadFixture(fixture);
    expect(await domainFromContract(f.revenue)).to.deep.equal(f.domainA);
    expect(await domainFromContract(f.other)).to.deep.equal(f.domainB);
    expect(f.domainA.name).to.equal("trustbase DataRevenue");
    expect(f.domainA.version).to.equal("1");
  });

  describe("rentBySig", function () {
    it("accepts the renter's signature from any relayer, once: a replay is refused from any relayer", async function () {
      const f = await loadFixture(fixture);
      const a = f.rent();
      const signature = await signRent(f.revenue, f.domainA, renterKey, a);
      await expect(sendRent(f.revenue.connect(f.relayer), a, signature))
        .to.emit(f.element, "Rented")
        .withArgs(f.tokenId, renterKey.address, await f.usd.getAddress(), 7n * HOUR, (await latest()) + 1n, (await latest()) + HOUR, 1);
      expect(await f.revenue.nonces(renterKey.address)).to.equal(1n);
      await time.increase(2n * HOUR); // the rental is over: only the signature stands in the way
      for (const relayer of [f.relayer, f.outsider, f.bank]) {
        await expect(sendRent(f.revenue.connect(relayer), a, signature))
          .to.be.revertedWithCustomError(f.revenue, "InvalidSignature")
          .withArgs(renterKey.address);
      }
      expect((await f.element.useOf(f.tokenId)).rentals).to.equal(1n);
    });

    it("takes nonces in order: a signature for the next nonce waits for the current one", async function () {
      const f = await loadFixture(fixture);
      const a = f.rent();
      const second = await signRent(f.revenue, f.domainA, renterKey, a, { nonce: 1n });
      await expect(sendRent(f.revenue, a, second)).to.be.revertedWithCustomError(f.revenue, "InvalidSignature").withArgs(renterKey.address);
      await expect(sendRent(f.revenue, a, await signRent(f.revenue, f.domainA, renterKey, a, { nonce: 0n }))).to.emit(f.element, "Rented");
      // The renewal signed for nonce 1 is now good.
      await expect(sendRent(f.revenue, a, second)).to.emit(f.element, "Rented");
      expect(await f.revenue.nonces(renterKey.address)).to.equal(2n);
    });

    it("is accepted in the deadline's last second and refused one second later, without spending the nonce", async function () {
      const f = await loadFixture(fixture);
      const at = (await latest()) + 100n;
      const late = f.rent({ deadline: at });
      const lateSig = await signRent(f.revenue, f.domainA, renterKey, late);
      await time.setNextBlockTimestamp(at + 1n);
      await expect(sendRent(f.revenue, late, lateSig))
        .to.be.revertedWithCustomError(f.revenue, "SignatureExpired")
        .withArgs(at, at + 1n);
      await networkHelpers.mine();
      expect(await f.revenue.nonces(renterKey.address)).to.equal(0n);
      const onTime = f.rent({ deadline: at + 50n });
      const onTimeSig = await signRent(f.revenue, f.domainA, renterKey, onTime);
      await time.setNextBlockTimestamp(at + 50n);
      await expect(sendRent(f.revenue, onTime, onTimeSig)).to.emit(f.element, "Rented");
    });

    it("refuses a signature for another chain id", async function () {
      const f = await loadFixture(fixture);
      const a = f.rent();
      for (const chainId of [1n, f.chainId + 1n]) {
        await expect(sendRent(f.revenue, a, await signRent(f.revenue, { ...f.domainA, chainId }, renterKey, a)))
          .to.be.revertedWithCustomError(f.revenue, "InvalidSignature")
          .withArgs(renterKey.address);
      }
    });

    it("refuses a signature for another DataRevenue of the same element, and the other way round", async function () {
      const f = await loadFixture(fixture);
      const a = f.rent();
      const forOther = await signRent(f.other, f.domainB, renterKey, a);
      await expect(sendRent(f.revenue, a, forOther)).to.be.revertedWithCustomError(f.revenue, "InvalidSignature").withArgs(renterKey.address);
      const forThis = await signRent(f.revenue, f.domainA, renterKey, a);
      await expect(sendRent(f.other, a, forThis)).to.be.revertedWithCustomError(f.other, "InvalidSignature").withArgs(renterKey.address);
      // Good there, the other contract is not the element's revenue: the element refuses it.
      await expect(sendRent(f.other, a, forOther))
        .to.be.revertedWithCustomError(f.element, "DataOnlyRevenue")
        .withArgs(await f.other.getAddress());
      await expect(sendRent(f.revenue, a, forThis)).to.emit(f.element, "Rented");
    });

    it("refuses every signer but the renter, and binds every field", async function () {
      const f = await loadFixture(fixture);
      const a = f.rent();
      for (const key of [strangerKey, payeeKey, walletOwnerKey]) {
        const signature = await signRent(f.revenue, f.domainA, key, a, { nonce: 0n });
        await expect(sendRent(f.revenue, a, signature)).to.be.revertedWithCustomError(f.revenue, "InvalidSignature").withArgs(renterKey.address);
      }
      const signature = await signRent(f.revenue, f.domainA, renterKey, a);
      const tampered: Partial<RentArgs>[] = [
        { tokenId: f.payeeToken },
        { duration: HOUR + 1n },
        { maxFee: a.maxFee + 1n },
        { deadline: a.deadline + 1n },
      ];
      for (const change of tampered) {
        await expect(sendRent(f.revenue, { ...a, ...change }, signature), Object.keys(change).join())
          .to.be.revertedWithCustomError(f.revenue, "InvalidSignature")
          .withArgs(renterKey.address);
      }
      // Another renter: checked against that renter, who did not sign.
      await expect(sendRent(f.revenue, { ...a, renter: f.bank.address }, signature))
        .to.be.revertedWithCustomError(f.revenue, "InvalidSignature")
        .withArgs(f.bank.address);
      await expect(sendRent(f.revenue, a, signature)).to.emit(f.element, "Rented");
    });

    it("refuses the malleable high-s twin of a good signature, without spending its nonce", async function () {
      const f = await loadFixture(fixture);
      const a = f.rent();
      const signature = await signRent(f.revenue, f.domainA, renterKey, a);
      const twin = toHighS(signature);
      expect([isHighS(signature), isHighS(twin)]).to.deep.equal([false, true]);
      await expect(sendRent(f.revenue, a, twin)).to.be.revertedWithCustomError(f.revenue, "InvalidSignature").withArgs(renterKey.address);
      await expect(sendRent(f.revenue, a, signature)).to.emit(f.element, "Rented");
    });

    it("ERC-1271 renter: rents (and pays) when the wallet's owner signed, refused otherwise", async function () {
      const f = await loadFixture(fixture);
      const a = f.rent({ renter: f.walletAddress });
      const sign = (key: Wallet) => signRent(f.revenue, f.domainA, key, a, { scheme: "erc1271", signer: f.walletAddress });
      const good = await sign(walletOwnerKey);
      for (const bad of [await sign(strangerKey), toHighS(good)]) {
        await expect(sendRent(f.revenue, a, bad)).to.be.revertedWithCustomError(f.revenue, "InvalidSignature").withArgs(f.walletAddress);
      }
      const before = await f.usd.balanceOf(f.walletAddress);
      await expect(sendRent(f.revenue.connect(f.relayer), a, good))
        .to.emit(f.usd, "Transfer")
        .withArgs(f.walletAddress, await f.revenue.getAddress(), 7n * HOUR);
      expect(await f.usd.balanceOf(f.walletAddress)).to.equal(before - 7n * HOUR);
      expect(await f.element.userOf(f.tokenId)).to.equal(f.walletAddress);
      expect(await f.revenue.nonces(f.walletAddress)).to.equal(1n);
      await expect(sendRent(f.revenue, a, good)).to.be.revertedWithCustomError(f.revenue, "InvalidSignature").withArgs(f.walletAddress);
    });
  });

  describe("setPayees consents", function () {
    /** `payeeKey` 2,500 → 1,000 (its share falls), the holder 5,000 → 6,500, the wallet unchanged. */
    const lowerKey = (f: Fixture): PayeeArgs[] => [
      { account: ethers.ZeroAddress, bps: 6_500 },
      { account: payeeKey.address, bps: 1_000 },
      { account: f.walletAddress, bps: 2_500 },
    ];
    /** The wallet 2,500 → 0 (removed), the holder 5,000 → 7,500. */
    const dropWallet = (): PayeeArgs[] => [
      { account: ethers.ZeroAddress, bps: 7_500 },
      { account: payeeKey.address, bps: 2_500 },
    ];

    const setPayees = (f: Fixture, revenue: DataRevenue, payees: PayeeArgs[], deadline: bigint, consenting: string[], signatures: string[]) =>
      revenue.connect(f.provider).setPayees(f.payeeToken, payees, deadline, consenting, signatures);

    it("accepts a consent once: the same consent cannot be replayed after the split was restored", async function () {
      const f = await loadFixture(fixture);
      const deadline = (await latest()) + HOUR;
      const payees = lowerKey(f);
      const signature = await signPayees(f.revenue, f.domainA, payeeKey, f.payeeToken, payees, deadline);
      await expect(setPayees(f, f.revenue, payees, deadline, [payeeKey.address], [signature]))
        .to.emit(f.revenue, "PayeesChanged")
        .withArgs(f.payeeToken, payeeTuples(payees));
      expect(await f.revenue.nonces(payeeKey.address)).to.equal(1n);
      // Restoring raises payeeKey's share: no consent needed. The old consent is then spent.
      await (await setPayees(f, f.revenue, f.payees, deadline, [], [])).wait();
      await expect(setPayees(f, f.revenue, payees, deadline, [payeeKey.address], [signature]))
        .to.be.revertedWithCustomError(f.revenue, "InvalidSignature")
        .withArgs(payeeKey.address);
      expect(await f.revenue.payeesOf(f.payeeToken)).to.deep.equal(payeeTuples(f.payees));
    });

    it("is accepted in the deadline's last second and refused one second later", async function () {
      const f = await loadFixture(fixture);
      const at = (await latest()) + 100n;
      const payees = lowerKey(f);
      const late = await signPayees(f.revenue, f.domainA, payeeKey, f.payeeToken, payees, at);
      await time.setNextBlockTimestamp(at + 1n);
      await expect(setPayees(f, f.revenue, payees, at, [payeeKey.address], [late]))
        .to.be.revertedWithCustomError(f.revenue, "SignatureExpired")
        .withArgs(at, at + 1n);
      await networkHelpers.mine();
      const onTime = await signPayees(f.revenue, f.domainA, payeeKey, f.payeeToken, payees, at + 50n);
      await time.setNextBlockTimestamp(at + 50n);
      await expect(setPayees(f, f.revenue, payees, at + 50n, [payeeKey.address], [onTime])).to.emit(f.revenue, "PayeesChanged");
    });

    it("refuses a consent signed for another chain id or another DataRevenue", async function () {
      const f = await loadFixture(fixture);
      const deadline = (await latest()) + HOUR;
      const payees = lowerKey(f);
      for (const domain of [{ ...f.domainA, chainId: 1n }, { ...f.domainA, chainId: f.chainId + 1n }, f.domainB]) {
        const signature = await signPayees(f.revenue, domain, payeeKey, f.payeeToken, payees, deadline);
        await expect(setPayees(f, f.revenue, payees, deadline, [payeeKey.address], [signature]))
          .to.be.revertedWithCustomError(f.revenue, "InvalidSignature")
          .withArgs(payeeKey.address);
      }
      expect(await f.revenue.payeesOf(f.payeeToken)).to.deep.equal(payeeTuples(f.payees));
    });

    it("refuses a consent by another key, for another token, another list or another deadline", async function () {
      const f = await loadFixture(fixture);
      const deadline = (await latest()) + HOUR;
      const payees = lowerKey(f);
      const bad = [
        await signPayees(f.revenue, f.domainA, strangerKey, f.payeeToken, payees, deadline, { nonce: 0n }),
        await signPayees(f.revenue, f.domainA, payeeKey, f.tokenId, payees, deadline),
        await signPayees(f.revenue, f.domainA, payeeKey, f.payeeToken, [payees[0], { ...payees[1], bps: 999 }, { ...payees[2], bps: 2_501 }], deadline),
        await signPayees(f.revenue, f.domainA, payeeKey, f.payeeToken, payees, deadline + 1n),
      ];
      for (const signature of bad) {
        await expect(setPayees(f, f.revenue, payees, deadline, [payeeKey.address], [signature]))
          .to.be.revertedWithCustomError(f.revenue, "InvalidSignature")
          .withArgs(payeeKey.address);
      }
      expect(await f.revenue.nonces(payeeKey.address)).to.equal(0n);
    });

    it("refuses the malleable high-s twin of a consent, without spending its nonce", async function () {
      const f = await loadFixture(fixture);
      const deadline = (await latest()) + HOUR;
      const payees = lowerKey(f);
      const signature = await signPayees(f.revenue, f.domainA, payeeKey, f.payeeToken, payees, deadline);
      await expect(setPayees(f, f.revenue, payees, deadline, [payeeKey.address], [toHighS(signature)]))
        .to.be.revertedWithCustomError(f.revenue, "InvalidSignature")
        .withArgs(payeeKey.address);
      await expect(setPayees(f, f.revenue, payees, deadline, [payeeKey.address], [signature])).to.emit(f.revenue, "PayeesChanged");
    });

    it("ERC-1271 payee: its removal is accepted when the wallet's owner signed, refused otherwise", async function () {
      const f = await loadFixture(fixture);
      const deadline = (await latest()) + HOUR;
      const payees = dropWallet();
      const sign = (key: Wallet) =>
        signPayees(f.revenue, f.domainA, key, f.payeeToken, payees, deadline, { scheme: "erc1271", signer: f.walletAddress });
      const good = await sign(walletOwnerKey);
      await expect(setPayees(f, f.revenue, payees, deadline, [], []))
        .to.be.revertedWithCustomError(f.revenue, "RevenueConsentMissing")
        .withArgs(f.payeeToken, f.walletAddress);
      for (const bad of [await sign(strangerKey), toHighS(good)]) {
        await expect(setPayees(f, f.revenue, payees, deadline, [f.walletAddress], [bad]))
          .to.be.revertedWithCustomError(f.revenue, "InvalidSignature")
          .withArgs(f.walletAddress);
      }
      await expect(setPayees(f, f.revenue, payees, deadline, [f.walletAddress], [good]))
        .to.emit(f.revenue, "PayeesChanged")
        .withArgs(f.payeeToken, payeeTuples(payees));
      expect(await f.revenue.nonces(f.walletAddress)).to.equal(1n);
    });
  });
});

/**
 * RWADvP: atomic delivery versus payment from two EIP-712 orders; both orders checked; compliance applied by the
 * token; signature hygiene (replay, expired deadline, another chain id, another contract, wrong signer, high-s,
 * ERC-1271 contract signer).
 */
import { expect } from "chai";
import { network } from "hardhat";
import { ZeroAddress, type TypedDataDomain } from "ethers";
import { Topics } from "../../deploy/topics.js";
import { RWADvPTypes, domainOf } from "../../sdk/eip712.js";
import { ERC1271WalletMock__factory } from "../../typechain-types/index.js";
import { erc1271SignTypedData, testWallet, toHighS } from "../helpers/signatures.js";
import { deployAssets, UNIT, USD, DAY, YEAR } from "./fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

type Order = {
  maker: string;
  sell: boolean;
  asset: string;
  assetAmount: bigint;
  paymentToken: string;
  paymentAmount: bigint;
  counterparty: string;
  nonce: bigint;
  deadline: bigint;
};

async function market() {
  const f = await deployAssets(connection);
  const dvpAddress = await f.dvp.getAddress();
  await (await f.token.connect(f.alice).approve(dvpAddress, ethers.MaxUint256)).wait();
  await (await f.usd.connect(f.bob).approve(dvpAddress, ethers.MaxUint256)).wait();
  await (await f.usd.connect(f.outsider).approve(dvpAddress, ethers.MaxUint256)).wait();
  const { chainId } = await ethers.provider.getNetwork();
  const domain = domainOf("RWADvP", chainId, dvpAddress);
  const deadline = BigInt(await networkHelpers.time.latest()) + DAY;
  const terms = {
    asset: await f.token.getAddress(),
    assetAmount: 10n * UNIT,
    paymentToken: await f.usd.getAddress(),
    paymentAmount: 1_000n * USD,
    counterparty: ZeroAddress,
    deadline,
  };
  const order = async (maker: string, sell: boolean, extra: Partial<Order> = {}): Promise<Order> => ({
    ...terms,
    maker,
    sell,
    nonce: await f.dvp.nonces(maker),
    ...extra,
  });
  const sign = (signer: { signTypedData: (d: TypedDataDomain, t: typeof RWADvPTypes.Order, v: Order) => Promise<string> }, value: Order, d = domain) =>
    signer.signTypedData(d, RWADvPTypes.Order, value);
  return { ...f, domain, terms, order, sign, chainId, dvpAddress };
}

describe("RWADvP", function () {
  it("settles both legs atomically and consumes both nonces", async function () {
    const { dvp, token, usd, alice, bob, relayer, order, sign } = await networkHelpers.loadFixture(market);
    const sell = await order(alice.address, true);
    const buy = await order(bob.address, false);
    const usdBefore = await usd.balanceOf(alice.address);
    await expect(dvp.connect(relayer).settle(sell, await sign(alice, sell), buy, await sign(bob, buy)))
      .to.emit(dvp, "Settled")
      .withArgs(alice.address, bob.address, sell.asset, 10n * UNIT, sell.paymentToken, 1_000n * USD, 0n, 0n)
      .and.to.emit(token, "Transfer")
      .withArgs(alice.address, bob.address, 10n * UNIT);
    expect(await token.balanceOf(bob.address)).to.equal(510n * UNIT);
    expect(await usd.balanceOf(alice.address)).to.equal(usdBefore + 1_000n * USD);
    expect(await dvp.nonces(alice.address)).to.equal(1n);
    expect(await dvp.nonces(bob.address)).to.equal(1n);
    expect(await dvp.hashOrder(sell)).to.equal(ethers.TypedDataEncoder.hashStruct("Order", RWADvPTypes.Order, sell));
  });

  it("checks both orders: sides, terms, makers and counterparties", async function () {
    const { dvp, alice, bob, carol, order, sign } = await networkHelpers.loadFixture(market);
    const sell = await order(alice.address, true);
    const buy = await order(bob.address, false);
    const [ss, bs] = [await sign(alice, sell), await sign(bob, buy)];
    await expect(dvp.settle(buy, bs, sell, ss)).to.be.revertedWithCustomError(dvp, "DvPWrongSide");
    await expect(dvp.settle(sell, ss, { ...buy, sell: true }, bs)).to.be.revertedWithCustomError(dvp, "DvPWrongSide");
    for (const change of [{ assetAmount: 11n * UNIT }, { paymentAmount: 999n * USD }, { paymentToken: alice.address }, { asset: alice.address }]) {
      await expect(dvp.settle(sell, ss, { ...buy, ...change }, bs)).to.be.revertedWithCustomError(dvp, "DvPOrdersMismatch");
    }
    await expect(dvp.settle({ ...sell, assetAmount: 0n }, ss, { ...buy, assetAmount: 0n }, bs)).to.be.revertedWithCustomError(dvp, "DvPOrdersMismatch");
    await expect(dvp.settle({ ...sell, paymentAmount: 0n }, ss, { ...buy, paymentAmount: 0n }, bs)).to.be.revertedWithCustomError(dvp, "DvPOrdersMismatch");
    await expect(dvp.settle(sell, ss, { ...buy, maker: alice.address }, bs)).to.be.revertedWithCustomError(dvp, "DvPSameMaker").withArgs(alice.address);
    const onlyCarol = await order(alice.address, true, { counterparty: carol.address });
    await expect(dvp.settle(onlyCarol, await sign(alice, onlyCarol), buy, bs))
      .to.be.revertedWithCustomError(dvp, "DvPWrongCounterparty")
      .withArgs(alice.address, carol.address);
    const buyFromCarol = await order(bob.address, false, { counterparty: carol.address });
    await expect(dvp.settle(sell, ss, buyFromCarol, await sign(bob, buyFromCarol)))
      .to.be.revertedWithCustomError(dvp, "DvPWrongCounterparty")
      .withArgs(bob.address, carol.address);
    // Named counterparties that match settle.
    const toBob = await order(alice.address, true, { counterparty: bob.address });
    const fromAlice = await order(bob.address, false, { counterparty: alice.address });
    await (await dvp.settle(toBob, await sign(alice, toBob), fromAlice, await sign(bob, fromAlice))).wait();
  });

  it("applies the token's compliance: an unverified buyer is refused and nothing moves", async function () {
    const { dvp, token, usd, alice, outsider, order, sign } = await networkHelpers.loadFixture(market);
    const sell = await order(alice.address, true);
    const buy = await order(outsider.address, false);
    const usdBefore = await usd.balanceOf(outsider.address);
    await expect(dvp.settle(sell, await sign(alice, sell), buy, await sign(outsider, buy)))
      .to.be.revertedWithCustomError(token, "IdentityGateMissingCredential")
      .withArgs(outsider.address, Topics.KYC);
    expect(await usd.balanceOf(outsider.address)).to.equal(usdBefore);
    expect(await dvp.nonces(alice.address)).to.equal(0n);
  });

  it("a payment that fails reverts the delivery too", async function () {
    const { dvp, token, usd, alice, carol, order, sign } = await networkHelpers.loadFixture(market);
    // Carol is verified but has not approved the DvP contract for her dollars.
    const sell = await order(alice.address, true);
    const buy = await order(carol.address, false);
    await expect(dvp.settle(sell, await sign(alice, sell), buy, await sign(carol, buy))).to.be.revertedWithCustomError(usd, "ERC20InsufficientAllowance");
    expect(await token.balanceOf(carol.address)).to.equal(0n);
  });

  describe("signature hygiene", function () {
    it("refuses a replay, and a cancelled nonce", async function () {
      const { dvp, alice, bob, order, sign } = await networkHelpers.loadFixture(market);
      const sell = await order(alice.address, true);
      const buy = await order(bob.address, false);
      const [ss, bs] = [await sign(alice, sell), await sign(bob, buy)];
      await (await dvp.settle(sell, ss, buy, bs)).wait();
      await expect(dvp.settle(sell, ss, buy, bs)).to.be.revertedWithCustomError(dvp, "InvalidAccountNonce").withArgs(alice.address, 1n);
      const next = await order(alice.address, true);
      const nextBuy = await order(bob.address, false);
      await expect(dvp.connect(alice).cancelNonce()).to.emit(dvp, "NonceCancelled").withArgs(alice.address, 1n);
      await expect(dvp.settle(next, await sign(alice, next), nextBuy, await sign(bob, nextBuy)))
        .to.be.revertedWithCustomError(dvp, "InvalidAccountNonce")
        .withArgs(alice.address, 2n);
    });

    it("refuses an expired deadline on either order", async function () {
      const { dvp, alice, bob, order, sign } = await networkHelpers.loadFixture(market);
      const now = BigInt(await networkHelpers.time.latest());
      const sell = await order(alice.address, true, { deadline: now });
      const buy = await order(bob.address, false, { deadline: now });
      await expect(dvp.settle(sell, await sign(alice, sell), buy, await sign(bob, buy))).to.be.revertedWithCustomError(dvp, "SignatureExpired");
      const liveSell = await order(alice.address, true);
      await expect(dvp.settle(liveSell, await sign(alice, liveSell), buy, await sign(bob, buy)))
        .to.be.revertedWithCustomError(dvp, "SignatureExpired")
        .withArgs(now, now + 1n);
    });

    it("refuses signatures for another chain id, another contract, by a wrong signer, or high-s", async function () {
      const { dvp, alice, bob, carol, order, sign, domain, chainId } = await networkHelpers.loadFixture(market);
      const sell = await order(alice.address, true);
      const buy = await order(bob.address, false);
      const bs = await sign(bob, buy);
      const wrong = [
        await sign(alice, sell, { ...domain, chainId: chainId + 1n }),
        await sign(alice, sell, { ...domain, verifyingContract: bob.address }),
        await sign(carol, sell),
      ];
      for (const signature of wrong) {
        await expect(dvp.settle(sell, signature, buy, bs)).to.be.revertedWithCustomError(dvp, "InvalidSignature").withArgs(alice.address);
      }
      await expect(dvp.settle(sell, toHighS(await sign(alice, sell)), buy, bs)).to.be.revertedWithCustomError(dvp, "InvalidSignature");
      // The buyer's signature is checked as carefully.
      await expect(dvp.settle(sell, await sign(alice, sell), buy, await sign(carol, buy)))
        .to.be.revertedWithCustomError(dvp, "InvalidSignature")
        .withArgs(bob.address);
    });

    it("accepts an ERC-1271 contract account as maker", async function () {
      const f = await networkHelpers.loadFixture(market);
      const owner = testWallet("dvp-1271-owner", ethers.provider);
      await networkHelpers.setBalance(owner.address, 10n ** 20n);
      const wallet = await new ERC1271WalletMock__factory(f.admin).deploy(owner.address);
      const walletAddress = await wallet.getAddress();
      const now = BigInt(await networkHelpers.time.latest());
      await (await f.credentials.connect(f.issuer).issue(ethers.id("dvp-1271"), f.issuer.address, walletAddress, Topics.KYC, now, now + YEAR)).wait();
      await (await f.usd.mint(walletAddress, 5_000n * USD)).wait();
      await (await wallet.connect(owner).execute(await f.usd.getAddress(), f.usd.interface.encodeFunctionData("approve", [f.dvpAddress, ethers.MaxUint256]))).wait();
      const sell = await f.order(f.alice.address, true);
      const buy = await f.order(walletAddress, false);
      const walletSignature = erc1271SignTypedData(owner, f.domain, RWADvPTypes.Order, buy);
      await expect(f.dvp.settle(sell, await f.sign(f.alice, sell), buy, walletSignature)).to.emit(f.dvp, "Settled");
      expect(await f.token.balanceOf(walletAddress)).to.equal(10n * UNIT);
      // Someone else's key is not the wallet's.
      const again = await f.order(f.alice.address, true);
      const againBuy = await f.order(walletAddress, false);
      await expect(f.dvp.settle(again, await f.sign(f.alice, again), againBuy, erc1271SignTypedData(testWallet("not-owner"), f.domain, RWADvPTypes.Order, againBuy)))
        .to.be.revertedWithCustomError(f.dvp, "InvalidSignature")
        .withArgs(walletAddress);
    });
  });
});

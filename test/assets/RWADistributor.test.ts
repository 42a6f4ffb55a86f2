/**
 * RWADistributor: pro-rata distributions at a token snapshot, claimed by holders; to the last unit.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { SnapshotTokenMock__factory } from "../../typechain-types/index.js";
import { deployAssets, UNIT, USD } from "./fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function funded() {
  const f = await deployAssets(connection);
  await (await f.usd.approve(await f.distributor.getAddress(), ethers.MaxUint256)).wait();
  return f;
}

describe("RWADistributor", function () {
  it("splits a coupon pro rata at the record point; later trades do not change the shares", async function () {
    const { distributor, token, usd, alice, bob, carol, admin } = await networkHelpers.loadFixture(funded);
    const tokenAddress = await token.getAddress();
    const usdAddress = await usd.getAddress();
    await expect(distributor.distribute(tokenAddress, usdAddress, 1_500n * USD))
      .to.emit(distributor, "DistributionCreated")
      .withArgs(tokenAddress, 1, usdAddress, 1, 1_500n * USD, 1500n * UNIT)
      .and.to.emit(token, "Snapshot")
      .withArgs(1);
    expect(await usd.balanceOf(await distributor.getAddress())).to.equal(1_500n * USD);
    const stored = await distributor.distributionOf(tokenAddress, 1);
    expect(stored.amount).to.equal(1_500n * USD);
    expect(stored.supply).to.equal(1500n * UNIT);
    expect(await distributor.distributionCount(tokenAddress)).to.equal(1n);
    // Alice sells everything after the record point: her coupon stays hers, carol gets none.
    await (await token.connect(alice).transfer(carol.address, 1000n * UNIT)).wait();
    expect(await distributor.claimable(tokenAddress, 1, alice.address)).to.equal(1_000n * USD);
    expect(await distributor.claimable(tokenAddress, 1, carol.address)).to.equal(0n);
    const before = await usd.balanceOf(alice.address);
    await expect(distributor.connect(alice).claim(tokenAddress, 1))
      .to.emit(distributor, "DistributionClaimed")
      .withArgs(tokenAddress, 1, alice.address, 1_000n * USD);
    expect(await usd.balanceOf(alice.address)).to.equal(before + 1_000n * USD);
    expect(await distributor.isClaimed(tokenAddress, 1, alice.address)).to.equal(true);
    expect(await distributor.claimable(tokenAddress, 1, alice.address)).to.equal(0n);
    await expect(distributor.connect(alice).claim(tokenAddress, 1))
      .to.be.revertedWithCustomError(distributor, "DistributionAlreadyClaimed")
      .withArgs(tokenAddress, 1, alice.address);
    await expect(distributor.connect(carol).claim(tokenAddress, 1))
      .to.be.revertedWithCustomError(distributor, "DistributionNothingToClaim")
      .withArgs(tokenAddress, 1, carol.address);
    await (await distributor.connect(bob).claim(tokenAddress, 1)).wait();
    expect(await usd.balanceOf(await distributor.getAddress())).to.equal(0n);
    void admin;
  });

  it("never pays out more than was paid in: rounding leaves at most one unit per holder behind", async function () {
    const { distributor, token, usd, alice, bob, carol, admin } = await networkHelpers.loadFixture(funded);
    const tokenAddress = await token.getAddress();
    // Three holders with awkward balances: 1000, 500, and 1 unit-of-account, supply 1500e18 + 1.
    await (await token.mint(carol.address, 1n)).wait();
    const amount = 1_000_003n;
    await (await distributor.distribute(tokenAddress, await usd.getAddress(), amount)).wait();
    let paid = 0n;
    for (const holder of [alice, bob, carol]) {
      const share = await distributor.claimable(tokenAddress, 1, holder.address);
      if (share > 0n) {
        await (await distributor.connect(holder).claim(tokenAddress, 1)).wait();
        paid += share;
      }
    }
    const supply = 1500n * UNIT + 1n;
    const expected = (1000n * UNIT * amount) / supply + (500n * UNIT * amount) / supply + (1n * amount) / supply;
    expect(paid).to.equal(expected);
    expect(paid).to.be.at.most(amount);
    expect(amount - paid).to.be.lessThan(3n);
    expect(await usd.balanceOf(await distributor.getAddress())).to.equal(amount - paid);
    void admin;
  });

  it("distributions are numbered per token; ids beyond the count are unknown", async function () {
    const { distributor, token, usd, alice } = await networkHelpers.loadFixture(funded);
    const tokenAddress = await token.getAddress();
    await (await distributor.distribute(tokenAddress, await usd.getAddress(), 100n)).wait();
    await (await distributor.distribute(tokenAddress, await usd.getAddress(), 200n)).wait();
    expect(await distributor.distributionCount(tokenAddress)).to.equal(2n);
    expect((await distributor.distributionOf(tokenAddress, 2)).snapshotId).to.equal(2n);
    for (const id of [0n, 3n]) {
      await expect(distributor.connect(alice).claim(tokenAddress, id))
        .to.be.revertedWithCustomError(distributor, "DistributionUnknown")
        .withArgs(tokenAddress, id);
    }
    await (await distributor.connect(alice).claim(tokenAddress, 2)).wait();
    expect(await distributor.isClaimed(tokenAddress, 1, alice.address)).to.equal(false);
  });

  it("refuses zero or oversized amounts, empty supplies, short payments and callers without the role", async function () {
    const { distributor, token, usd, alice, factory, admin } = await networkHelpers.loadFixture(funded);
    const tokenAddress = await token.getAddress();
    const usdAddress = await usd.getAddress();
    await expect(distributor.distribute(tokenAddress, usdAddress, 0n)).to.be.revertedWithCustomError(distributor, "DistributionInvalidAmount").withArgs(0n);
    await expect(distributor.distribute(tokenAddress, usdAddress, 2n ** 128n)).to.be.revertedWithCustomError(distributor, "DistributionInvalidAmount");
    const spec = { directoryName: ethers.encodeBytes32String("EMPTY"), name: "Empty", symbol: "E", decimals: 18, topics: [1], rules: [] };
    const empty = await factory.issueAsset.staticCall(spec);
    await (await factory.issueAsset(spec)).wait();
    await expect(distributor.distribute(empty, usdAddress, 1n)).to.be.revertedWithCustomError(distributor, "DistributionNoSupply").withArgs(empty);
    const fee = await (await ethers.getContractFactory("FeeOnTransferTokenMock")).deploy();
    await (await fee.mint(admin.address, 1000n)).wait();
    await (await fee.approve(await distributor.getAddress(), 1000n)).wait();
    await expect(distributor.distribute(tokenAddress, await fee.getAddress(), 100n))
      .to.be.revertedWithCustomError(distributor, "DistributionShortPayment")
      .withArgs(await fee.getAddress(), 100n, 99n);
    await expect(distributor.connect(alice).distribute(tokenAddress, usdAddress, 1n))
      .to.be.revertedWithCustomError(distributor, "AccessManagedUnauthorized")
      .withArgs(alice.address);
  });

  it("asks the token for the balance at the record point as an interface call would: its revert bubbles up", async function () {
    const { distributor, usd, alice, admin } = await networkHelpers.loadFixture(funded);
    const mock = await new SnapshotTokenMock__factory(admin).deploy();
    const mockAddress = await mock.getAddress();
    await (await distributor.distribute(mockAddress, await usd.getAddress(), 1_000n * USD)).wait();
    // Every account holds a quarter of the mock's supply.
    expect(await distributor.claimable(mockAddress, 1, alice.address)).to.equal(250n * USD);
    const [, refuse, empty] = [0, 1, 2];
    await (await mock.setAnswer(refuse)).wait();
    await expect(distributor.connect(alice).claim(mockAddress, 1))
      .to.be.revertedWithCustomError(mock, "SnapshotAnswerRefused")
      .withArgs(alice.address, 1);
    await expect(distributor.claimable(mockAddress, 1, alice.address))
      .to.be.revertedWithCustomError(mock, "SnapshotAnswerRefused")
      .withArgs(alice.address, 1);
    await (await mock.setAnswer(empty)).wait();
    await expect(distributor.connect(alice).claim(mockAddress, 1)).to.be.revertedWithoutReason(ethers);
    expect(await distributor.isClaimed(mockAddress, 1, alice.address)).to.equal(false);
    await (await mock.setAnswer(0)).wait();
    await expect(distributor.connect(alice).claim(mockAddress, 1))
      .to.emit(distributor, "DistributionClaimed")
      .withArgs(mockAddress, 1, alice.address, 250n * USD);
    expect(await distributor.isClaimed(mockAddress, 1, alice.address)).to.equal(true);
  });
});

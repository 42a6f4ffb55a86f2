import { expect } from "chai";
import { network } from "hardhat";
import { deployAssets, UNIT } from "./fixtures.js";

const connection = await network.create();
const { networkHelpers } = connection;
const fixture = () => deployAssets(connection);

describe("smoke", function () {
  it("transfers", async function () {
    const { token, alice, bob } = await networkHelpers.loadFixture(fixture);
    const tx = await token.connect(alice).transfer(bob.address, UNIT);
    const receipt = await tx.wait();
    console.log("gas", receipt!.gasUsed);
    expect(await token.balanceOf(bob.address)).to.equal(501n * UNIT);
  });
});

/**
 * AssetData: ERC-1643 documents and evidence links kept by the issuer role, valuations by appraiser credential
 * holders with their history.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { encodeBytes32String, id } from "ethers";
import { Topics } from "../../deploy/topics.js";
import { AssetData__factory } from "../../typechain-types/index.js";
import { deployAssets, USD } from "./fixtures.js";

const connection = await network.create();
const { networkHelpers } = connection;
const fixture = () => deployAssets(connection);
const CNY = "0x434e590000000000";
const PROSPECTUS = encodeBytes32String("prospectus");
const OPINION = encodeBytes32String("legal-opinion");

describe("AssetData", function () {
  it("sets, replaces, lists and removes ERC-1643 documents", async function () {
    const { assetData, token } = await networkHelpers.loadFixture(fixture);
    const tokenAddress = await token.getAddress();
    await expect(assetData.setDocument(tokenAddress, PROSPECTUS, "ipfs://p1", id("p1")))
      .to.emit(assetData, "DocumentUpdated")
      .withArgs(tokenAddress, PROSPECTUS, "ipfs://p1", id("p1"));
    const time = BigInt(await networkHelpers.time.latest());
    expect(await assetData.getDocument(tokenAddress, PROSPECTUS)).to.deep.equal(["ipfs://p1", id("p1"), time]);
    await (await assetData.setDocument(tokenAddress, OPINION, "ipfs://o1", id("o1"))).wait();
    await (await assetData.setDocument(tokenAddress, PROSPECTUS, "ipfs://p2", id("p2"))).wait();
    expect(await assetData.getAllDocuments(tokenAddress)).to.deep.equal([PROSPECTUS, OPINION]);
    expect((await assetData.getDocument(tokenAddress, PROSPECTUS))[0]).to.equal("ipfs://p2");
    await expect(assetData.removeDocument(tokenAddress, PROSPECTUS))
      .to.emit(assetData, "DocumentRemoved")
      .withArgs(tokenAddress, PROSPECTUS, "ipfs://p2", id("p2"));
    expect(await assetData.getAllDocuments(tokenAddress)).to.deep.equal([OPINION]);
    expect(await assetData.getDocument(tokenAddress, PROSPECTUS)).to.deep.equal(["", "0x" + "00".repeat(32), 0n]);
    await expect(assetData.removeDocument(tokenAddress, PROSPECTUS))
      .to.be.revertedWithCustomError(assetData, "AssetDataUnknownDocument")
      .withArgs(tokenAddress, PROSPECTUS);
  });

  it("refuses empty documents and addresses that are not tokens", async function () {
    const { assetData, token, alice } = await networkHelpers.loadFixture(fixture);
    const tokenAddress = await token.getAddress();
    for (const [name, uri, hash] of [
      ["0x" + "00".repeat(32), "ipfs://x", id("x")],
      [PROSPECTUS, "", id("x")],
      [PROSPECTUS, "ipfs://x", "0x" + "00".repeat(32)],
    ]) {
      await expect(assetData.setDocument(tokenAddress, name, uri, hash)).to.be.revertedWithCustomError(assetData, "AssetDataInvalidDocument").withArgs(name);
    }
    await expect(assetData.setDocument(alice.address, PROSPECTUS, "ipfs://x", id("x")))
      .to.be.revertedWithCustomError(assetData, "AssetDataNotAToken")
      .withArgs(alice.address);
  });

  it("valuations by appraisers only, with their history", async function () {
    const { assetData, token, appraiser, alice, credentials, issuer, credentialIds } = await networkHelpers.loadFixture(fixture);
    const tokenAddress = await token.getAddress();
    const now = BigInt(await networkHelpers.time.latest());
    await expect(assetData.connect(alice).postValuation(tokenAddress, 1n, CNY, 2, now, id("r")))
      .to.be.revertedWithCustomError(assetData, "IdentityGateMissingCredential")
      .withArgs(alice.address, Topics.APPRAISER);
    await expect(assetData.latestValuation(tokenAddress)).to.be.revertedWithCustomError(assetData, "AssetDataUnknownValuation").withArgs(tokenAddress, 0);
    await expect(assetData.connect(appraiser).postValuation(tokenAddress, 1_000_000n * USD, CNY, 6, now, id("report-1")))
      .to.emit(assetData, "ValuationPosted")
      .withArgs(tokenAddress, 0, appraiser.address, 1_000_000n * USD, CNY, 6, now, id("report-1"));
    await (await assetData.connect(appraiser).postValuation(tokenAddress, 1_100_000n * USD, CNY, 6, now + 1n, id("report-2"))).wait();
    expect(await assetData.valuationCount(tokenAddress)).to.equal(2n);
    const first = await assetData.valuationAt(tokenAddress, 0);
    expect(first.value).to.equal(1_000_000n * USD);
    expect(first.appraiser).to.equal(appraiser.address);
    expect(first.reportHash).to.equal(id("report-1"));
    const latest = await assetData.latestValuation(tokenAddress);
    expect(latest.value).to.equal(1_100_000n * USD);
    expect(latest.currency).to.equal(CNY);
    expect(latest.decimals).to.equal(6n);
    await expect(assetData.valuationAt(tokenAddress, 2)).to.be.revertedWithCustomError(assetData, "AssetDataUnknownValuation").withArgs(tokenAddress, 2);
    const later = BigInt(await networkHelpers.time.latest()) + 1000n;
    for (const [value, currency, asOf] of [
      [0n, CNY, now],
      [1n, "0x0000000000000000", now],
      [1n, CNY, later],
    ] as const) {
      await expect(assetData.connect(appraiser).postValuation(tokenAddress, value, currency, 6, asOf, id("bad"))).to.be.revertedWithCustomError(
        assetData,
        "AssetDataInvalidValuation",
      );
    }
    await expect(assetData.connect(appraiser).postValuation(alice.address, 1n, CNY, 6, now, id("x"))).to.be.revertedWithCustomError(
      assetData,
      "AssetDataNotAToken",
    );
    // A revoked appraiser can no longer post.
    await (await credentials.connect(issuer).revoke(credentialIds[`appraiser:${Topics.APPRAISER}`])).wait();
    await expect(assetData.connect(appraiser).postValuation(tokenAddress, 1n, CNY, 6, now, id("x"))).to.be.revertedWithCustomError(
      assetData,
      "IdentityGateMissingCredential",
    );
    expect(await assetData.valuationCount(tokenAddress)).to.equal(2n);
  });

  it("links and unlinks evidence anchors", async function () {
    const { assetData, token, alice } = await networkHelpers.loadFixture(fixture);
    const tokenAddress = await token.getAddress();
    await expect(assetData.linkEvidence(tokenAddress, id("anchor-1"))).to.emit(assetData, "EvidenceLinked").withArgs(tokenAddress, id("anchor-1"));
    await (await assetData.linkEvidence(tokenAddress, id("anchor-2"))).wait();
    await expect(assetData.linkEvidence(tokenAddress, id("anchor-1")))
      .to.be.revertedWithCustomError(assetData, "AssetDataEvidenceLinked")
      .withArgs(tokenAddress, id("anchor-1"));
    await expect(assetData.linkEvidence(tokenAddress, "0x" + "00".repeat(32))).to.be.revertedWithCustomError(assetData, "AssetDataEvidenceLinked");
    await expect(assetData.linkEvidence(alice.address, id("a"))).to.be.revertedWithCustomError(assetData, "AssetDataNotAToken");
    expect(await assetData.evidenceOf(tokenAddress)).to.deep.equal([id("anchor-1"), id("anchor-2")]);
    await expect(assetData.unlinkEvidence(tokenAddress, id("anchor-1"))).to.emit(assetData, "EvidenceUnlinked").withArgs(tokenAddress, id("anchor-1"));
    await expect(assetData.unlinkEvidence(tokenAddress, id("anchor-1")))
      .to.be.revertedWithCustomError(assetData, "AssetDataEvidenceNotLinked")
      .withArgs(tokenAddress, id("anchor-1"));
    expect(await assetData.evidenceOf(tokenAddress)).to.deep.equal([id("anchor-2")]);
  });

  it("refuses the issuer's functions to other accounts; the implementation cannot be initialized", async function () {
    const { assetData, token, alice, deployed } = await networkHelpers.loadFixture(fixture);
    const tokenAddress = await token.getAddress();
    const asAlice = assetData.connect(alice);
    for (const call of [
      () => asAlice.setDocument(tokenAddress, PROSPECTUS, "ipfs://x", id("x")),
      () => asAlice.removeDocument(tokenAddress, PROSPECTUS),
      () => asAlice.linkEvidence(tokenAddress, id("a")),
      () => asAlice.unlinkEvidence(tokenAddress, id("a")),
      () => asAlice.upgradeToAndCall(alice.address, "0x"),
    ]) {
      await expect(call()).to.be.revertedWithCustomError(assetData, "AccessManagedUnauthorized").withArgs(alice.address);
    }
    await expect(assetData.initialize(alice.address)).to.be.revertedWithCustomError(assetData, "InvalidInitialization");
    const implementation = AssetData__factory.connect(await deployed.assetDataImplementation.getAddress(), alice);
    await expect(implementation.initialize(alice.address)).to.be.revertedWithCustomError(assetData, "InvalidInitialization");
  });
});

import { expect } from "chai";
import { network } from "hardhat";
import { Topics } from "../../deploy/topics.js";
import { GatedActionMock__factory } from "../../typechain-types/index.js";
import { deployIdentity, YEAR } from "./fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const KYC = Topics.KYC;
const SIG_AUTH = ethers.encodeBytes32String("sigAuth");

async function fixture() {
  const f = await deployIdentity(connection);
  const gate = await new GatedActionMock__factory(f.admin).deploy(
    await f.dids.getAddress(),
    await f.credentials.getAddress(),
    KYC,
  );
  const credentialId = ethers.id("kyc:subject");
  await (
    await f.credentials.connect(f.issuer).issue(credentialId, f.issuer.address, f.subject.address, KYC, f.now, f.now + YEAR)
  ).wait();
  return { ...f, gate, credentialId };
}

describe("IdentityGate", function () {
  it("lets an identity holding the credential act", async function () {
    const { gate, subject } = await networkHelpers.loadFixture(fixture);
    await expect(gate.connect(subject).act()).to.emit(gate, "Acted").withArgs(subject.address, subject.address);
    expect(await gate.actions(subject.address)).to.equal(1n);
  });

  it("refuses an account without the credential, naming account and topic", async function () {
    const { gate, stranger } = await networkHelpers.loadFixture(fixture);
    await expect(gate.connect(stranger).act())
      .to.be.revertedWithCustomError(gate, "IdentityGateMissingCredential")
      .withArgs(stranger.address, KYC);
    expect(await gate.actions(stranger.address)).to.equal(0n);
  });

  it("refuses at once after revocation, suspension or loss of issuer trust", async function () {
    const { gate, credentials, issuer, subject, credentialId } = await networkHelpers.loadFixture(fixture);
    await (await credentials.connect(issuer).suspend(credentialId)).wait();
    await expect(gate.connect(subject).act()).to.be.revertedWithCustomError(gate, "IdentityGateMissingCredential");
    await (await credentials.connect(issuer).reinstate(credentialId)).wait();
    await (await credentials.setIssuerTrust(KYC, issuer.address, false)).wait();
    await expect(gate.connect(subject).act()).to.be.revertedWithCustomError(gate, "IdentityGateMissingCredential");
    await (await credentials.setIssuerTrust(KYC, issuer.address, true)).wait();
    await (await credentials.connect(issuer).revoke(credentialId)).wait();
    await expect(gate.connect(subject).act())
      .to.be.revertedWithCustomError(gate, "IdentityGateMissingCredential")
      .withArgs(subject.address, KYC);
  });

  it("follows key rotation: the old key is refused, the new owner acts for the identity", async function () {
    const { gate, dids, subject, relayer } = await networkHelpers.loadFixture(fixture);
    await (await dids.connect(subject).changeOwner(subject.address, relayer.address)).wait();
    await expect(gate.connect(subject).act())
      .to.be.revertedWithCustomError(gate, "IdentityGateNotController")
      .withArgs(subject.address, subject.address);
    await expect(gate.connect(relayer).actFor(subject.address))
      .to.emit(gate, "Acted")
      .withArgs(subject.address, relayer.address);
  });

  it("lets a valid sigAuth delegate act for the identity until it expires", async function () {
    const { gate, dids, subject, relayer, stranger } = await networkHelpers.loadFixture(fixture);
    await expect(gate.connect(relayer).actFor(subject.address))
      .to.be.revertedWithCustomError(gate, "IdentityGateNotController")
      .withArgs(subject.address, relayer.address);
    await (await dids.connect(subject).addDelegate(subject.address, SIG_AUTH, relayer.address, 600)).wait();
    // Another delegate type does not count.
    await (await dids.connect(subject).addDelegate(subject.address, ethers.encodeBytes32String("veriKey"), stranger.address, 600)).wait();
    await expect(gate.connect(relayer).actFor(subject.address)).to.emit(gate, "Acted").withArgs(subject.address, relayer.address);
    await expect(gate.connect(stranger).actFor(subject.address)).to.be.revertedWithCustomError(gate, "IdentityGateNotController");
    await networkHelpers.time.increase(601);
    await expect(gate.connect(relayer).actFor(subject.address))
      .to.be.revertedWithCustomError(gate, "IdentityGateNotController")
      .withArgs(subject.address, relayer.address);
  });

  it("refuses a deactivated identity", async function () {
    const { gate, dids, subject } = await networkHelpers.loadFixture(fixture);
    await (await dids.connect(subject).deactivate(subject.address)).wait();
    await expect(gate.connect(subject).act())
      .to.be.revertedWithCustomError(gate, "IdentityGateNotController")
      .withArgs(subject.address, subject.address);
  });
});

/**
 * Signature hygiene of EvidenceVault: the witness co-signature (`cosign`, `cosignAll`) against replay, an expired
 * deadline, another chain id, another contract (a second vault on the same identity layer), a wrong signer, a
 * malleable high-s twin, tampered fields, a rotated witness key and an ERC-1271 contract witness; then the SM2 path
 * on a 国密-style deployment (SM2VerifierMock at 0x…100a).
 */
import { expect } from "chai";
import { network } from "hardhat";
import { EvidenceVault__factory, ERC1271WalletMock__factory } from "../../typechain-types/index.js";
import { Topics } from "../../deploy/topics.js";
import { EvidenceCategory, EvidenceVaultTypes, evidenceDomain } from "../../sdk/evidence.js";
import { SM2_PRECOMPILE, isHighS, signTypedDataWith, sm2SignTypedData, testWallet, toHighS } from "../helpers/signatures.js";
import { YEAR, deployEvidence, witnessKeys } from "../evidence/fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture, time } = networkHelpers;

const DOC = ethers.id("evidence-signatures: document");
const Cosign = EvidenceVaultTypes.Cosign;

async function fixture() {
  const f = await deployEvidence(connection);
  await (await f.vault.connect(f.party).anchor(f.caseId, DOC, EvidenceCategory.CONTRACT, ethers.id("meta"))).wait();
  const deadline = BigInt(await time.latest()) + 3600n;
  return { ...f, deadline };
}

describe("EvidenceVault co-signatures: signature hygiene", function () {
  it("accepts the witness owner's signature relayed by anyone, once: a replay is refused", async function () {
    const { vault, relayer, stranger, domain, deadline, witnesses } = await loadFixture(fixture);
    const signature = await witnessKeys.notaryA.signTypedData(domain, Cosign, { hash: DOC, witness: witnesses[0], deadline });
    await expect(vault.connect(relayer).cosign(DOC, witnesses[0], deadline, signature)).to.emit(vault, "Cosigned").withArgs(DOC, witnesses[0], 1n);
    await expect(vault.connect(stranger).cosign(DOC, witnesses[0], deadline, signature))
      .to.be.revertedWithCustomError(vault, "EvidenceAlreadyWitnessed")
      .withArgs(DOC, witnesses[0]);
    await expect(vault.connect(stranger).cosignAll(DOC, [{ witness: witnesses[0], deadline, signature }]))
      .to.be.revertedWithCustomError(vault, "EvidenceAlreadyWitnessed")
      .withArgs(DOC, witnesses[0]);
  });

  it("refuses a signature past its deadline, and accepts it at the deadline", async function () {
    const { vault, relayer, domain, deadline, witnesses } = await loadFixture(fixture);
    const signature = await witnessKeys.notaryA.signTypedData(domain, Cosign, { hash: DOC, witness: witnesses[0], deadline });
    await time.setNextBlockTimestamp(deadline + 1n);
    await expect(vault.connect(relayer).cosign(DOC, witnesses[0], deadline, signature))
      .to.be.revertedWithCustomError(vault, "SignatureExpired")
      .withArgs(deadline, deadline + 1n);
    const later = deadline + 10n;
    const fresh = await witnessKeys.notaryA.signTypedData(domain, Cosign, { hash: DOC, witness: witnesses[0], deadline: later });
    await time.setNextBlockTimestamp(later);
    await expect(vault.connect(relayer).cosign(DOC, witnesses[0], later, fresh)).to.emit(vault, "Cosigned");
  });

  it("refuses signatures for another chain id or another vault", async function () {
    const { vault, relayer, domain, deadline, witnesses, accessManager, dids, credentials, admin, chainId } = await loadFixture(fixture);
    const otherChain = await witnessKeys.notaryA.signTypedData({ ...domain, chainId: 1n }, Cosign, { hash: DOC, witness: witnesses[0], deadline });
    await expect(vault.connect(relayer).cosign(DOC, witnesses[0], deadline, otherChain))
      .to.be.revertedWithCustomError(vault, "InvalidSignature")
      .withArgs(witnesses[0]);
    const second = await new EvidenceVault__factory(admin).deploy(accessManager, dids, credentials, false, ethers.ZeroAddress);
    const otherVault = await witnessKeys.notaryA.signTypedData(evidenceDomain(chainId, await second.getAddress()), Cosign, {
      hash: DOC,
      witness: witnesses[0],
      deadline,
    });
    await expect(vault.connect(relayer).cosign(DOC, witnesses[0], deadline, otherVault))
      .to.be.revertedWithCustomError(vault, "InvalidSignature")
      .withArgs(witnesses[0]);
    expect((await vault.anchorOf(DOC)).witnessed).to.equal(0n);
  });

  it("refuses a wrong signer, tampered fields and the malleable high-s twin", async function () {
    const { vault, relayer, domain, deadline, witnesses } = await loadFixture(fixture);
    const value = { hash: DOC, witness: witnesses[0], deadline };
    const byOther = await witnessKeys.notaryB.signTypedData(domain, Cosign, value);
    await expect(vault.connect(relayer).cosign(DOC, witnesses[0], deadline, byOther))
      .to.be.revertedWithCustomError(vault, "InvalidSignature")
      .withArgs(witnesses[0]);
    const signature = await witnessKeys.notaryA.signTypedData(domain, Cosign, value);
    await expect(vault.connect(relayer).cosign(DOC, witnesses[0], deadline + 1n, signature)).to.be.revertedWithCustomError(vault, "InvalidSignature");
    const other = ethers.id("evidence-signatures: other document");
    await (await vault.connect((await ethers.getSigners())[4]).anchor(1n, other, EvidenceCategory.IMAGE, ethers.ZeroHash)).wait();
    await expect(vault.connect(relayer).cosign(other, witnesses[0], deadline, signature)).to.be.revertedWithCustomError(vault, "InvalidSignature");
    const twin = toHighS(signature);
    expect(isHighS(twin)).to.equal(true);
    await expect(vault.connect(relayer).cosign(DOC, witnesses[0], deadline, twin))
      .to.be.revertedWithCustomError(vault, "InvalidSignature")
      .withArgs(witnesses[0]);
    await expect(vault.connect(relayer).cosign(DOC, witnesses[0], deadline, "0x1234")).to.be.revertedWithCustomError(vault, "InvalidSignature");
    await expect(vault.connect(relayer).cosign(DOC, witnesses[0], deadline, signature)).to.emit(vault, "Cosigned");
  });

  it("follows the witness DID's owner: a rotated key is refused, the new owner accepted", async function () {
    const { vault, dids, relayer, domain, deadline, witnesses } = await loadFixture(fixture);
    const witnessSigner = witnessKeys.notaryA.connect(ethers.provider);
    await networkHelpers.setBalance(witnessSigner.address, 10n ** 18n);
    const newKey = testWallet("evidence-signatures.notary-a-new-key");
    await (await dids.connect(witnessSigner).changeOwner(witnesses[0], newKey.address)).wait();
    const value = { hash: DOC, witness: witnesses[0], deadline };
    await expect(vault.connect(relayer).cosign(DOC, witnesses[0], deadline, await witnessKeys.notaryA.signTypedData(domain, Cosign, value)))
      .to.be.revertedWithCustomError(vault, "InvalidSignature")
      .withArgs(newKey.address);
    await expect(vault.connect(relayer).cosign(DOC, witnesses[0], deadline, await newKey.signTypedData(domain, Cosign, value))).to.emit(vault, "Cosigned");
  });

  it("accepts an ERC-1271 contract witness (a multisig office) and refuses what its owner did not sign", async function () {
    const { vault, credentials, issuer, clerk, relayer, party, domain, deadline, now } = await loadFixture(fixture);
    const owner = testWallet("evidence-signatures.wallet-owner");
    const wallet = await new ERC1271WalletMock__factory(relayer).deploy(owner.address);
    const walletAddress = await wallet.getAddress();
    await (await credentials.connect(issuer).issue(ethers.id("wallet notary"), issuer.address, walletAddress, Topics.NOTARY, now, now + YEAR)).wait();
    await (await vault.connect(clerk).openCase(clerk.address, ethers.id("(2025) case 2"), [walletAddress], [Topics.NOTARY], 1)).wait();
    await (await vault.connect(clerk).grantAccess(2n, party.address, Topics.CASE_PARTY, 1)).wait();
    const doc = ethers.id("evidence-signatures: case 2 document");
    await (await vault.connect(party).anchor(2n, doc, EvidenceCategory.VIDEO, ethers.ZeroHash)).wait();
    const value = { hash: doc, witness: walletAddress, deadline };
    const stranger = testWallet("evidence-signatures.not-the-owner");
    await expect(vault.connect(relayer).cosign(doc, walletAddress, deadline, signTypedDataWith("erc1271", stranger, domain, Cosign, value)))
      .to.be.revertedWithCustomError(vault, "InvalidSignature")
      .withArgs(walletAddress);
    await expect(vault.connect(relayer).cosign(doc, walletAddress, deadline, signTypedDataWith("erc1271", owner, domain, Cosign, value)))
      .to.emit(vault, "Finalized")
      .withArgs(doc, 1n);
    expect(await vault.isFinal(doc)).to.equal(true);
  });

  it("on a 国密 deployment checks SM2 signatures through the precompile", async function () {
    const mock = await ethers.deployContract("SM2VerifierMock");
    await networkHelpers.setCode(SM2_PRECOMPILE, await ethers.provider.getCode(await mock.getAddress()));
    const f = await deployEvidence(connection, { $global: { sm2Verifier: SM2_PRECOMPILE } });
    expect(await f.vault.sm2Verifier()).to.equal(ethers.getAddress(SM2_PRECOMPILE));
    await (await f.vault.connect(f.party).anchor(f.caseId, DOC, EvidenceCategory.CONTRACT, ethers.ZeroHash)).wait();
    const deadline = BigInt(await time.latest()) + 3600n;
    const value = { hash: DOC, witness: f.witnesses[0], deadline };
    // A secp256k1 signature is not an SM2 one here; an SM2 signature carrying another key's public key is refused.
    await expect(f.vault.connect(f.relayer).cosign(DOC, f.witnesses[0], deadline, await witnessKeys.notaryA.signTypedData(f.domain, Cosign, value)))
      .to.be.revertedWithCustomError(f.vault, "InvalidSignature")
      .withArgs(f.witnesses[0]);
    const forged = sm2SignTypedData(witnessKeys.notaryB, f.domain, Cosign, value);
    await expect(f.vault.connect(f.relayer).cosign(DOC, f.witnesses[0], deadline, forged)).to.be.revertedWithCustomError(f.vault, "InvalidSignature");
    await expect(f.vault.connect(f.relayer).cosign(DOC, f.witnesses[0], deadline, sm2SignTypedData(witnessKeys.notaryA, f.domain, Cosign, value)))
      .to.emit(f.vault, "Cosigned")
      .withArgs(DOC, f.witnesses[0], 1n);
  });
});

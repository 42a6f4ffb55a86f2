/**
 * Signature hygiene of CredentialRegistry: every function that accepts a signature (issueBySig, revokeBySig,
 * verifyPresentation) against replay, deadlines, another chain id, another contract (a second proxy of the same
 * implementation, same DID registry and governance), wrong signers, malleable high-s twins, tampered fields and
 * ERC-1271 contract signers; then the SM2 path end to end on a 国密-style deployment (SM2VerifierMock at 0x…100a),
 * DIDRegistry.changeOwnerBySig included.
 *
 * Signers are deterministic keys (test/helpers/signatures.ts), DIDs whose owner they are; Hardhat's accounts only
 * relay. test/identity/CredentialRegistry.test.ts has the basic cases (one replay, one expired deadline, chain id 1,
 * a stranger's signature); the cases here go past them (boundaries, order of nonces, every field, every scheme).
 */
import { expect } from "chai";
import { network } from "hardhat";
import { concat, dataSlice, encodeBytes32String, type TypedDataDomain, type Wallet } from "ethers";
import {
  CredentialRegistry__factory,
  ERC1271WalletMock__factory,
  type CredentialRegistry,
} from "../../typechain-types/index.js";
import { Topics } from "../../deploy/topics.js";
import { CredentialRegistryTypes, DIDRegistryTypes, domainOf } from "../../sdk/eip712.js";
import {
  SECP256K1_N,
  SM2_PRECOMPILE,
  domainOf as domainFromContract,
  isHighS,
  publicKey64,
  signTypedDataWith,
  sm2SignTypedData,
  testWallet,
  toHighS,
  type SignatureScheme,
} from "../helpers/signatures.js";
import { deployIdentity, YEAR } from "../identity/fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture, time } = networkHelpers;

const KYC = Topics.KYC;
const HOUR = 3600n;
const VERIKEY = encodeBytes32String("veriKey");
const { Issue: IssueTypes, Revoke: RevokeTypes, Presentation: PresentationTypes } = CredentialRegistryTypes;

/** Keys that sign. Each owns the DID of its address unless a test changes it. */
const issuerKey = testWallet("credential-signatures.issuer");
const holderKey = testWallet("credential-signatures.holder");
const strangerKey = testWallet("credential-signatures.stranger");
const delegateKey = testWallet("credential-signatures.issuer-delegate");
const walletOwnerKey = testWallet("credential-signatures.wallet-owner");
const newOwnerKey = testWallet("credential-signatures.new-owner");

interface IssueArgs {
  id: string;
  issuer: string;
  subject: string;
  topic: number;
  validFrom: bigint;
  validUntil: bigint;
  deadline: bigint;
}

interface PresentationArgs {
  holder: string;
  verifier: string;
  credentialIds: string[];
  validUntil: bigint;
}

const latest = async () => BigInt(await time.latest());

function sendIssue(registry: CredentialRegistry, a: IssueArgs, signature: string) {
  return registry.issueBySig(a.id, a.issuer, a.subject, a.topic, a.validFrom, a.validUntil, a.deadline, signature);
}

interface SignOptions {
  /** Default secp256k1; "erc1271": `key` is the wallet's owner; "sm2": SM2 format. */
  scheme?: SignatureScheme;
  /** Account whose next nonce to sign (default `key`'s; the wallet for ERC-1271). */
  signer?: string;
  /** Nonce to sign instead of the signer's next one. */
  nonce?: bigint;
}

/** `key`'s signature of Issue `a` under `domain`, with the signer's next nonce on `registry`. */
async function signIssue(registry: CredentialRegistry, domain: TypedDataDomain, key: Wallet, a: IssueArgs, options: SignOptions = {}) {
  const nonce = options.nonce ?? (await registry.nonces(options.signer ?? key.address));
  return signTypedDataWith(options.scheme ?? "secp256k1", key, domain, IssueTypes, { ...a, nonce });
}

/** `key`'s signature of Revoke(id, deadline) under `domain`, with the signer's next nonce on `registry`. */
async function signRevoke(
  registry: CredentialRegistry,
  domain: TypedDataDomain,
  key: Wallet,
  id: string,
  deadline: bigint,
  options: SignOptions = {},
) {
  const nonce = options.nonce ?? (await registry.nonces(options.signer ?? key.address));
  return signTypedDataWith(options.scheme ?? "secp256k1", key, domain, RevokeTypes, { id, nonce, deadline });
}

function signPresentation(domain: TypedDataDomain, key: Wallet, p: PresentationArgs, scheme: SignatureScheme = "secp256k1") {
  return signTypedDataWith(scheme, key, domain, PresentationTypes, { ...p });
}

/**
 * The identity layer, plus: a second CredentialRegistry proxy ("other") of the same implementation; an
 * ERC1271WalletMock owned by `walletOwnerKey` that owns two DIDs (`issuer2`, an issuer, and `subject`, a holder);
 * `delegateKey` a veriKey delegate of `issuerKey`'s DID; KYC trusted to `issuerKey` and `issuer2` on both proxies.
 */
async function fixture() {
  const f = await deployIdentity(connection);
  const { admin, dids, credentials, accessManager, credentialRegistryImplementation, issuer2, subject, relayer } = f;
  const initialize = credentials.interface.encodeFunctionData("initialize", [await accessManager.getAddress()]);
  const proxy = await ethers.deployContract("ERC1967Proxy", [await credentialRegistryImplementation.getAddress(), initialize]);
  // A new target's restricted functions are the AccessManager admin's (the deployer) until roles are set.
  const other = CredentialRegistry__factory.connect(await proxy.getAddress(), admin);
  await (await other.registerTopic(KYC, encodeBytes32String("KYC"))).wait();

  const wallet = await new ERC1271WalletMock__factory(admin).deploy(walletOwnerKey.address);
  const walletAddress = await wallet.getAddress();
  await (await dids.connect(issuer2).changeOwner(issuer2.address, walletAddress)).wait();
  await (await dids.connect(subject).changeOwner(subject.address, walletAddress)).wait();
  for (const registry of [credentials, other]) {
    for (const issuer of [issuerKey.address, issuer2.address]) {
      if (!(await registry.isTrustedIssuer(KYC, issuer))) await (await registry.setIssuerTrust(KYC, issuer, true)).wait();
    }
  }

  const { chainId } = await ethers.provider.getNetwork();
  const didDomain = domainOf("DIDRegistry", chainId, await dids.getAddress());
  const now = await latest();
  const delegation = { identity: issuerKey.address, delegateType: VERIKEY, delegate: delegateKey.address, validity: YEAR };
  const deadline = now + HOUR;
  const delegationSig = signTypedDataWith("secp256k1", issuerKey, didDomain, DIDRegistryTypes.AddDelegate, {
    ...delegation,
    nonce: await dids.nonces(issuerKey.address),
    deadline,
  });
  await (
    await dids
      .connect(relayer)
      .addDelegateBySig(delegation.identity, delegation.delegateType, delegation.delegate, delegation.validity, deadline, delegationSig)
  ).wait();

  const domainA = domainOf("CredentialRegistry", chainId, await credentials.getAddress());
  const domainB = domainOf("CredentialRegistry", chainId, await other.getAddress());
  const issue = (label: string, over: Partial<IssueArgs> = {}): IssueArgs => ({
    id: ethers.id(label),
    issuer: issuerKey.address,
    subject: holderKey.address,
    topic: KYC,
    validFrom: now,
    validUntil: now + YEAR,
    deadline: now + HOUR,
    ...over,
  });
  return { ...f, other, wallet, walletAddress, chainId, didDomain, domainA, domainB, issue, relayer };
}

type Fixture = Awaited<ReturnType<typeof fixture>>;

/** Issues `a` on `registry`, signed by `issuerKey` (or `key`), relayed. */
async function issueSigned(f: Fixture, registry: CredentialRegistry, domain: TypedDataDomain, a: IssueArgs, key: Wallet = issuerKey) {
  await (await sendIssue(registry.connect(f.relayer), a, await signIssue(registry, domain, key, a))).wait();
}

describe("CredentialRegistry signature hygiene", function () {
  it("signs under the domain the proxies report (ERC-5267), one per proxy", async function () {
    const f = await loadFixture(fixture);
    expect(await domainFromContract(f.credentials)).to.deep.equal(f.domainA);
    expect(await domainFromContract(f.other)).to.deep.equal(f.domainB);
    expect(f.domainA.verifyingContract).to.not.equal(f.domainB.verifyingContract);
  });

  describe("issueBySig", function () {
    it("accepts the issuer DID owner's signature from any relayer, once: a replay is refused, from any relayer", async function () {
      const f = await loadFixture(fixture);
      const a = f.issue("issue:replay");
      const signature = await signIssue(f.credentials, f.domainA, issuerKey, a);
      await expect(sendIssue(f.credentials.connect(f.relayer), a, signature))
        .to.emit(f.credentials, "CredentialIssued")
        .withArgs(a.id, a.issuer, a.subject, KYC, a.validFrom, a.validUntil, 1);
      expect(await f.credentials.nonces(issuerKey.address)).to.equal(1n);
      for (const relayer of [f.relayer, f.stranger, f.admin]) {
        await expect(sendIssue(f.credentials.connect(relayer), a, signature))
          .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
          .withArgs(issuerKey.address);
      }
      // Not even for another credential id: the nonce it was made for is spent.
      await expect(sendIssue(f.credentials, { ...a, id: ethers.id("issue:replay:2") }, signature)).to.be.revertedWithCustomError(
        f.credentials,
        "InvalidSignature",
      );
    });

    it("takes nonces in order: a signature for the next nonce waits for the current one", async function () {
      const f = await loadFixture(fixture);
      const first = f.issue("issue:n0");
      const second = f.issue("issue:n1", { subject: strangerKey.address });
      const sig0 = await signIssue(f.credentials, f.domainA, issuerKey, first, { nonce: 0n });
      const sig1 = await signIssue(f.credentials, f.domainA, issuerKey, second, { nonce: 1n });
      await expect(sendIssue(f.credentials, second, sig1)).to.be.revertedWithCustomError(f.credentials, "InvalidSignature");
      await expect(sendIssue(f.credentials, first, sig0)).to.emit(f.credentials, "CredentialIssued");
      await expect(sendIssue(f.credentials, second, sig1)).to.emit(f.credentials, "CredentialIssued");
    });

    it("is accepted in the deadline's last second and refused one second later", async function () {
      const f = await loadFixture(fixture);
      const at = (await latest()) + 100n;
      const onTime = f.issue("issue:deadline:0", { deadline: at });
      await time.setNextBlockTimestamp(at);
      await expect(sendIssue(f.credentials, onTime, await signIssue(f.credentials, f.domainA, issuerKey, onTime))).to.emit(
        f.credentials,
        "CredentialIssued",
      );
      const late = f.issue("issue:deadline:1", { deadline: at + 100n });
      const signature = await signIssue(f.credentials, f.domainA, issuerKey, late);
      await time.setNextBlockTimestamp(at + 101n);
      await expect(sendIssue(f.credentials, late, signature))
        .to.be.revertedWithCustomError(f.credentials, "SignatureExpired")
        .withArgs(at + 100n, at + 101n);
      expect(await f.credentials.nonces(issuerKey.address)).to.equal(1n);
    });

    it("refuses a signature for another chain id", async function () {
      const f = await loadFixture(fixture);
      const a = f.issue("issue:chain");
      for (const chainId of [1n, f.chainId + 1n]) {
        const signature = await signIssue(f.credentials, { ...f.domainA, chainId }, issuerKey, a);
        await expect(sendIssue(f.credentials, a, signature))
          .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
          .withArgs(issuerKey.address);
      }
    });

    it("refuses a signature for another proxy of the same implementation, which stays good where it belongs", async function () {
      const f = await loadFixture(fixture);
      const a = f.issue("issue:other-contract");
      // Same issuer, same nonce (0) on both proxies: only the domain's verifyingContract differs.
      const forOther = await signIssue(f.other, f.domainB, issuerKey, a);
      await expect(sendIssue(f.credentials, a, forOther))
        .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
        .withArgs(issuerKey.address);
      const forThis = await signIssue(f.credentials, f.domainA, issuerKey, a);
      await expect(sendIssue(f.other, a, forThis)).to.be.revertedWithCustomError(f.other, "InvalidSignature").withArgs(issuerKey.address);
      await expect(sendIssue(f.other, a, forOther)).to.emit(f.other, "CredentialIssued");
      await expect(sendIssue(f.credentials, a, forThis)).to.emit(f.credentials, "CredentialIssued");
      // Nonces are per registry.
      expect(await f.credentials.nonces(issuerKey.address)).to.equal(1n);
      expect(await f.other.nonces(issuerKey.address)).to.equal(1n);
    });

    it("refuses every signer but the issuer DID's owner: a stranger, the subject, its veriKey delegate, an old owner", async function () {
      const f = await loadFixture(fixture);
      const a = f.issue("issue:wrong-signer");
      // The delegate may issue directly (isController), but a signature must be the owner's.
      expect(await f.dids.isController(issuerKey.address, delegateKey.address, VERIKEY)).to.equal(true);
      for (const key of [strangerKey, holderKey, delegateKey]) {
        const signature = await signIssue(f.credentials, f.domainA, key, a, { nonce: await f.credentials.nonces(issuerKey.address) });
        await expect(sendIssue(f.credentials, a, signature))
          .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
          .withArgs(issuerKey.address);
      }
      // A signature made before the owner rotated the DID's key no longer counts; the new owner's does.
      const before = await signIssue(f.credentials, f.domainA, issuerKey, a);
      const rotation = {
        identity: issuerKey.address,
        newOwner: newOwnerKey.address,
        nonce: await f.dids.nonces(issuerKey.address),
        deadline: a.deadline,
      };
      const rotationSig = signTypedDataWith("secp256k1", issuerKey, f.didDomain, DIDRegistryTypes.ChangeOwner, rotation);
      await (await f.dids.connect(f.relayer).changeOwnerBySig(rotation.identity, rotation.newOwner, rotation.deadline, rotationSig)).wait();
      await expect(sendIssue(f.credentials, a, before))
        .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
        .withArgs(newOwnerKey.address);
      await expect(sendIssue(f.credentials, a, await signIssue(f.credentials, f.domainA, newOwnerKey, a))).to.emit(
        f.credentials,
        "CredentialIssued",
      );
    });

    it("refuses the malleable high-s twin of a good signature, without spending its nonce", async function () {
      const f = await loadFixture(fixture);
      const a = f.issue("issue:high-s");
      const signature = await signIssue(f.credentials, f.domainA, issuerKey, a);
      const twin = toHighS(signature);
      // A genuine signature of the same digest (ecrecover takes it, see SignatureVerifier.test.ts): only the
      // low-s rule of OpenZeppelin's ECDSA refuses it.
      expect([isHighS(signature), isHighS(twin)]).to.deep.equal([false, true]);
      await expect(sendIssue(f.credentials, a, twin)).to.be.revertedWithCustomError(f.credentials, "InvalidSignature").withArgs(issuerKey.address);
      await expect(sendIssue(f.credentials, a, signature)).to.emit(f.credentials, "CredentialIssued");
      await expect(sendIssue(f.credentials, a, twin)).to.be.revertedWithCustomError(f.credentials, "InvalidSignature");
    });

    it("binds every field: a relayer cannot change id, issuer, subject, topic, window or deadline", async function () {
      const f = await loadFixture(fixture);
      await (await f.credentials.registerTopic(100, encodeBytes32String("MEMBER"))).wait();
      await (await f.credentials.setIssuerTrust(100, issuerKey.address, true)).wait();
      const a = f.issue("issue:fields");
      const signature = await signIssue(f.credentials, f.domainA, issuerKey, a);
      const tampered: Partial<IssueArgs>[] = [
        { id: ethers.id("issue:fields:other") },
        { subject: strangerKey.address },
        { topic: 100 },
        { validFrom: a.validFrom + 1n },
        { validUntil: a.validUntil + 1n },
        { deadline: a.deadline + 1n },
      ];
      for (const change of tampered) {
        await expect(sendIssue(f.credentials, { ...a, ...change }, signature), Object.keys(change).join())
          .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
          .withArgs(issuerKey.address);
      }
      // Another issuer DID: the signature is checked against that DID's owner (here the wallet).
      await expect(sendIssue(f.credentials, { ...a, issuer: f.issuer2.address }, signature))
        .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
        .withArgs(f.walletAddress);
      await expect(sendIssue(f.credentials, a, signature)).to.emit(f.credentials, "CredentialIssued");
    });

    it("ERC-1271 issuer (DID owned by a wallet): accepted when the wallet's owner signed, refused otherwise", async function () {
      const f = await loadFixture(fixture);
      expect(await f.dids.identityOwner(f.issuer2.address)).to.equal(f.walletAddress);
      const a = f.issue("issue:erc1271", { issuer: f.issuer2.address });
      const sign = (key: Wallet) => signIssue(f.credentials, f.domainA, key, a, { scheme: "erc1271", signer: f.walletAddress });
      const good = await sign(walletOwnerKey);
      // Refused: another key, the twin of the owner's signature (the wallet uses OpenZeppelin's ECDSA too), the
      // DID identity's own key (no longer its owner).
      const identityOwnSig = await f.issuer2.signTypedData(f.domainA, IssueTypes, { ...a, nonce: 0n });
      for (const bad of [await sign(strangerKey), toHighS(good), identityOwnSig]) {
        await expect(sendIssue(f.credentials, a, bad)).to.be.revertedWithCustomError(f.credentials, "InvalidSignature").withArgs(f.walletAddress);
      }
      await expect(sendIssue(f.credentials.connect(f.relayer), a, good))
        .to.emit(f.credentials, "CredentialIssued")
        .withArgs(a.id, f.issuer2.address, a.subject, KYC, a.validFrom, a.validUntil, 1);
      // The wallet's nonce is spent: no replay.
      expect(await f.credentials.nonces(f.walletAddress)).to.equal(1n);
      await expect(sendIssue(f.credentials, a, good)).to.be.revertedWithCustomError(f.credentials, "InvalidSignature");
    });
  });

  describe("revokeBySig", function () {
    async function revokeFixture() {
      const f = await fixture();
      const a = f.issue("revoke:1");
      // The same credential on both proxies (nonce 0 → 1 on each).
      await issueSigned(f, f.credentials, f.domainA, a);
      await issueSigned(f, f.other, f.domainB, a);
      const byWallet = f.issue("revoke:wallet", { issuer: f.issuer2.address, subject: strangerKey.address });
      const walletIssue = await signIssue(f.credentials, f.domainA, walletOwnerKey, byWallet, { scheme: "erc1271", signer: f.walletAddress });
      await (await sendIssue(f.credentials, byWallet, walletIssue)).wait();
      return { ...f, id: a.id, walletId: byWallet.id, deadline: a.deadline };
    }

    it("revokes with the issuer DID owner's signature, once: the replay fails on its nonce, not on the status", async function () {
      const f = await loadFixture(revokeFixture);
      const signature = await signRevoke(f.credentials, f.domainA, issuerKey, f.id, f.deadline);
      await expect(f.credentials.connect(f.relayer).revokeBySig(f.id, f.deadline, signature))
        .to.emit(f.credentials, "CredentialStatusChanged")
        .withArgs(f.id, issuerKey.address, 3);
      await expect(f.credentials.connect(f.stranger).revokeBySig(f.id, f.deadline, signature))
        .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
        .withArgs(issuerKey.address);
    });

    it("is accepted in the deadline's last second and refused one second later", async function () {
      const f = await loadFixture(revokeFixture);
      const at = (await latest()) + 100n;
      const late = await signRevoke(f.credentials, f.domainA, issuerKey, f.id, at);
      await time.setNextBlockTimestamp(at + 1n);
      await expect(f.credentials.revokeBySig(f.id, at, late))
        .to.be.revertedWithCustomError(f.credentials, "SignatureExpired")
        .withArgs(at, at + 1n);
      const onTime = await signRevoke(f.credentials, f.domainA, issuerKey, f.id, at + 10n);
      await time.setNextBlockTimestamp(at + 10n);
      await expect(f.credentials.revokeBySig(f.id, at + 10n, onTime)).to.emit(f.credentials, "CredentialStatusChanged");
    });

    it("refuses a signature for another chain id", async function () {
      const f = await loadFixture(revokeFixture);
      for (const chainId of [1n, f.chainId + 1n]) {
        const signature = await signRevoke(f.credentials, { ...f.domainA, chainId }, issuerKey, f.id, f.deadline);
        await expect(f.credentials.revokeBySig(f.id, f.deadline, signature))
          .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
          .withArgs(issuerKey.address);
      }
    });

    it("refuses a signature for the same credential on another proxy", async function () {
      const f = await loadFixture(revokeFixture);
      // Same id, issuer and nonce (1) on both proxies.
      expect(await f.other.nonces(issuerKey.address)).to.equal(await f.credentials.nonces(issuerKey.address));
      const forOther = await signRevoke(f.other, f.domainB, issuerKey, f.id, f.deadline);
      await expect(f.credentials.revokeBySig(f.id, f.deadline, forOther))
        .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
        .withArgs(issuerKey.address);
      await expect(f.other.revokeBySig(f.id, f.deadline, forOther)).to.emit(f.other, "CredentialStatusChanged");
      expect((await f.credentials.statusOf(f.id)).status).to.equal(1n); // still active here
    });

    it("refuses every signer but the issuer DID's owner, and a signature for another credential", async function () {
      const f = await loadFixture(revokeFixture);
      for (const key of [strangerKey, holderKey, delegateKey]) {
        const signature = signTypedDataWith("secp256k1", key, f.domainA, RevokeTypes, {
          id: f.id,
          nonce: await f.credentials.nonces(issuerKey.address),
          deadline: f.deadline,
        });
        await expect(f.credentials.revokeBySig(f.id, f.deadline, signature))
          .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
          .withArgs(issuerKey.address);
      }
      // The issuer's revocation of one credential does not revoke another of its credentials.
      const second = f.issue("revoke:2", { subject: strangerKey.address });
      await issueSigned(f, f.credentials, f.domainA, second);
      const forSecond = await signRevoke(f.credentials, f.domainA, issuerKey, second.id, f.deadline);
      await expect(f.credentials.revokeBySig(f.id, f.deadline, forSecond)).to.be.revertedWithCustomError(f.credentials, "InvalidSignature");
      await expect(f.credentials.revokeBySig(second.id, f.deadline, forSecond)).to.emit(f.credentials, "CredentialStatusChanged");
    });

    it("refuses the malleable high-s twin, without spending the nonce", async function () {
      const f = await loadFixture(revokeFixture);
      const signature = await signRevoke(f.credentials, f.domainA, issuerKey, f.id, f.deadline);
      await expect(f.credentials.revokeBySig(f.id, f.deadline, toHighS(signature)))
        .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
        .withArgs(issuerKey.address);
      await expect(f.credentials.revokeBySig(f.id, f.deadline, signature)).to.emit(f.credentials, "CredentialStatusChanged");
    });

    it("ERC-1271 issuer: revoked when the wallet's owner signed, refused otherwise", async function () {
      const f = await loadFixture(revokeFixture);
      const sign = (key: Wallet) => signRevoke(f.credentials, f.domainA, key, f.walletId, f.deadline, { scheme: "erc1271", signer: f.walletAddress });
      const good = await sign(walletOwnerKey);
      for (const bad of [await sign(strangerKey), toHighS(good)]) {
        await expect(f.credentials.revokeBySig(f.walletId, f.deadline, bad))
          .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
          .withArgs(f.walletAddress);
      }
      await expect(f.credentials.connect(f.relayer).revokeBySig(f.walletId, f.deadline, good))
        .to.emit(f.credentials, "CredentialStatusChanged")
        .withArgs(f.walletId, f.issuer2.address, 3);
    });
  });

  describe("verifyPresentation", function () {
    async function presentationFixture() {
      const f = await fixture();
      const a = f.issue("present:holder");
      await issueSigned(f, f.credentials, f.domainA, a);
      await issueSigned(f, f.other, f.domainB, a);
      // A credential of the wallet-owned holder DID (`subject`).
      const walletHeld = f.issue("present:wallet-holder", { subject: f.subject.address });
      await issueSigned(f, f.credentials, f.domainA, walletHeld);
      const presentation: PresentationArgs = {
        holder: holderKey.address,
        verifier: f.verifier.address,
        credentialIds: [a.id],
        validUntil: (await latest()) + HOUR,
      };
      const signature = signPresentation(f.domainA, holderKey, presentation);
      return { ...f, presentation, signature, walletHeldId: walletHeld.id };
    }

    it("has no nonce: the named verifier may check it again and again until validUntil, nobody else may", async function () {
      const f = await loadFixture(presentationFixture);
      const asVerifier = f.credentials.connect(f.verifier);
      for (let i = 0; i < 3; i++) {
        expect(await asVerifier.verifyPresentation(f.presentation, f.signature)).to.equal(holderKey.address);
        await networkHelpers.mine();
      }
      for (const caller of [f.relayer, f.stranger, f.subject]) {
        await expect(f.credentials.connect(caller).verifyPresentation(f.presentation, f.signature))
          .to.be.revertedWithCustomError(f.credentials, "PresentationWrongVerifier")
          .withArgs(f.verifier.address, caller.address);
      }
    });

    it("is accepted in its last second (validUntil) and refused one second later", async function () {
      const f = await loadFixture(presentationFixture);
      const asVerifier = f.credentials.connect(f.verifier);
      await time.increaseTo(f.presentation.validUntil);
      expect(await asVerifier.verifyPresentation(f.presentation, f.signature)).to.equal(holderKey.address);
      await time.increaseTo(f.presentation.validUntil + 1n);
      await expect(asVerifier.verifyPresentation(f.presentation, f.signature))
        .to.be.revertedWithCustomError(f.credentials, "PresentationExpired")
        .withArgs(f.presentation.validUntil, f.presentation.validUntil + 1n);
    });

    it("refuses a presentation signed for another chain id", async function () {
      const f = await loadFixture(presentationFixture);
      for (const chainId of [1n, f.chainId + 1n]) {
        const signature = signPresentation({ ...f.domainA, chainId }, holderKey, f.presentation);
        await expect(f.credentials.connect(f.verifier).verifyPresentation(f.presentation, signature))
          .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
          .withArgs(holderKey.address);
      }
    });

    it("refuses a presentation signed for another proxy, though the holder has the same credential there", async function () {
      const f = await loadFixture(presentationFixture);
      const forOther = signPresentation(f.domainB, holderKey, f.presentation);
      expect(await f.other.connect(f.verifier).verifyPresentation(f.presentation, forOther)).to.equal(holderKey.address);
      await expect(f.credentials.connect(f.verifier).verifyPresentation(f.presentation, forOther))
        .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
        .withArgs(holderKey.address);
      await expect(f.other.connect(f.verifier).verifyPresentation(f.presentation, f.signature))
        .to.be.revertedWithCustomError(f.other, "InvalidSignature")
        .withArgs(holderKey.address);
    });

    it("refuses signers other than the holder DID's owner: a stranger, the verifier, the issuer", async function () {
      const f = await loadFixture(presentationFixture);
      for (const key of [strangerKey, issuerKey, delegateKey]) {
        await expect(f.credentials.connect(f.verifier).verifyPresentation(f.presentation, signPresentation(f.domainA, key, f.presentation)))
          .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
          .withArgs(holderKey.address);
      }
      const byVerifier = await f.verifier.signTypedData(f.domainA, PresentationTypes, f.presentation);
      await expect(f.credentials.connect(f.verifier).verifyPresentation(f.presentation, byVerifier))
        .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
        .withArgs(holderKey.address);
    });

    it("refuses the malleable high-s twin", async function () {
      const f = await loadFixture(presentationFixture);
      await expect(f.credentials.connect(f.verifier).verifyPresentation(f.presentation, toHighS(f.signature)))
        .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
        .withArgs(holderKey.address);
    });

    it("binds every field: the verifier cannot extend validUntil, add, drop or reorder credentials, or retarget it", async function () {
      const f = await loadFixture(presentationFixture);
      const second = f.issue("present:second");
      await (await f.credentials.registerTopic(100, encodeBytes32String("MEMBER"))).wait();
      await (await f.credentials.setIssuerTrust(100, issuerKey.address, true)).wait();
      await issueSigned(f, f.credentials, f.domainA, { ...second, topic: 100 });
      const both = { ...f.presentation, credentialIds: [f.presentation.credentialIds[0], second.id] };
      const signature = signPresentation(f.domainA, holderKey, both);
      const asVerifier = f.credentials.connect(f.verifier);
      expect(await asVerifier.verifyPresentation(both, signature)).to.equal(holderKey.address);
      for (const tampered of [
        { ...both, validUntil: both.validUntil + 1n },
        { ...both, credentialIds: [both.credentialIds[1], both.credentialIds[0]] },
        { ...both, credentialIds: [both.credentialIds[0]] },
        { ...both, credentialIds: [...both.credentialIds, both.credentialIds[0]] },
      ]) {
        await expect(asVerifier.verifyPresentation(tampered, signature))
          .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
          .withArgs(holderKey.address);
      }
      // Another holder: checked against that DID's owner (the wallet), so refused.
      await expect(asVerifier.verifyPresentation({ ...both, holder: f.subject.address }, signature))
        .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
        .withArgs(f.walletAddress);
      // Another verifier named by the caller itself: the signature names the original verifier.
      await expect(f.credentials.connect(f.stranger).verifyPresentation({ ...both, verifier: f.stranger.address }, signature))
        .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
        .withArgs(holderKey.address);
    });

    it("ERC-1271 holder (DID owned by a wallet): accepted when the wallet's owner signed, refused otherwise", async function () {
      const f = await loadFixture(presentationFixture);
      const presentation = { ...f.presentation, holder: f.subject.address, credentialIds: [f.walletHeldId] };
      const good = signPresentation(f.domainA, walletOwnerKey, presentation, "erc1271");
      const asVerifier = f.credentials.connect(f.verifier);
      expect(await asVerifier.verifyPresentation(presentation, good)).to.equal(f.subject.address);
      const identityOwnSig = await f.subject.signTypedData(f.domainA, PresentationTypes, presentation);
      for (const bad of [signPresentation(f.domainA, strangerKey, presentation, "erc1271"), toHighS(good), identityOwnSig]) {
        await expect(asVerifier.verifyPresentation(presentation, bad))
          .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
          .withArgs(f.walletAddress);
      }
    });
  });
});

describe("SM2 end to end (verifier at 0x…100a: SM2VerifierMock)", function () {
  const sm2IssuerKey = testWallet("credential-signatures.sm2-issuer");
  const sm2HolderKey = testWallet("credential-signatures.sm2-holder");
  const sm2NewKey = testWallet("credential-signatures.sm2-new-key");

  async function sm2Fixture() {
    const f = await deployIdentity(connection, { $global: { sm2Verifier: SM2_PRECOMPILE } });
    const mock = await ethers.deployContract("SM2VerifierMock");
    await networkHelpers.setCode(SM2_PRECOMPILE, await ethers.provider.getCode(await mock.getAddress()));
    await (await f.credentials.setIssuerTrust(KYC, sm2IssuerKey.address, true)).wait();
    const { chainId } = await ethers.provider.getNetwork();
    const domain = domainOf("CredentialRegistry", chainId, await f.credentials.getAddress());
    const didDomain = domainOf("DIDRegistry", chainId, await f.dids.getAddress());
    const now = await latest();
    const issue = (label: string, over: Partial<IssueArgs> = {}): IssueArgs => ({
      id: ethers.id(label),
      issuer: sm2IssuerKey.address,
      subject: sm2HolderKey.address,
      topic: KYC,
      validFrom: now,
      validUntil: now + YEAR,
      deadline: now + HOUR,
      ...over,
    });
    return { ...f, chainId, domain, didDomain, issue };
  }

  it("the whole identity layer uses the SM2 verifier", async function () {
    const f = await loadFixture(sm2Fixture);
    expect(await f.credentials.sm2Verifier()).to.equal(ethers.getAddress(SM2_PRECOMPILE));
    expect(await f.dids.sm2Verifier()).to.equal(ethers.getAddress(SM2_PRECOMPILE));
  });

  it("issueBySig: accepts the issuer's SM2 signature once; refuses its secp256k1 form, another key, a borrowed public key, another chain", async function () {
    const f = await loadFixture(sm2Fixture);
    const a = f.issue("sm2:issue");
    const good = await signIssue(f.credentials, f.domain, sm2IssuerKey, a, { scheme: "sm2" });
    expect(ethers.dataLength(good)).to.equal(128);
    expect(dataSlice(good, 64)).to.equal(publicKey64(sm2IssuerKey));
    const bad = [
      await signIssue(f.credentials, f.domain, sm2IssuerKey, a), // 65-byte secp256k1: not this chain's scheme
      await signIssue(f.credentials, f.domain, strangerKey, a, { scheme: "sm2", nonce: 0n }),
      // the stranger's r || s with the issuer's public key attached
      concat([dataSlice(await signIssue(f.credentials, f.domain, strangerKey, a, { scheme: "sm2", nonce: 0n }), 0, 64), publicKey64(sm2IssuerKey)]),
      await signIssue(f.credentials, { ...f.domain, chainId: 1n }, sm2IssuerKey, a, { scheme: "sm2" }),
    ];
    for (const signature of bad) {
      await expect(sendIssue(f.credentials, a, signature)).to.be.revertedWithCustomError(f.credentials, "InvalidSignature").withArgs(sm2IssuerKey.address);
    }
    await expect(sendIssue(f.credentials.connect(f.relayer), a, good))
      .to.emit(f.credentials, "CredentialIssued")
      .withArgs(a.id, sm2IssuerKey.address, sm2HolderKey.address, KYC, a.validFrom, a.validUntil, 1);
    expect(await f.credentials.hasValid(sm2HolderKey.address, KYC)).to.equal(true);
    await expect(sendIssue(f.credentials, a, good)).to.be.revertedWithCustomError(f.credentials, "InvalidSignature");
    // A twin (r, n - s) of the spent signature cannot replay it either: the nonce is gone. (The mock's ecrecover
    // would take the twin; a real SM2 verifier has no such twin.)
    const twin = concat([dataSlice(good, 0, 32), ethers.toBeHex(SECP256K1_N - BigInt(dataSlice(good, 32, 64)), 32), publicKey64(sm2IssuerKey)]);
    await expect(sendIssue(f.credentials, a, twin)).to.be.revertedWithCustomError(f.credentials, "InvalidSignature");
  });

  it("revokeBySig: revokes with the issuer's SM2 signature", async function () {
    const f = await loadFixture(sm2Fixture);
    const a = f.issue("sm2:revoke");
    await (await sendIssue(f.credentials, a, await signIssue(f.credentials, f.domain, sm2IssuerKey, a, { scheme: "sm2" }))).wait();
    const bad = await signRevoke(f.credentials, f.domain, strangerKey, a.id, a.deadline, { scheme: "sm2", signer: sm2IssuerKey.address });
    await expect(f.credentials.revokeBySig(a.id, a.deadline, bad)).to.be.revertedWithCustomError(f.credentials, "InvalidSignature");
    const good = await signRevoke(f.credentials, f.domain, sm2IssuerKey, a.id, a.deadline, { scheme: "sm2" });
    await expect(f.credentials.revokeBySig(a.id, a.deadline, good))
      .to.emit(f.credentials, "CredentialStatusChanged")
      .withArgs(a.id, sm2IssuerKey.address, 3);
  });

  it("verifyPresentation: returns the holder for its SM2 signature; refuses another key and the secp256k1 form", async function () {
    const f = await loadFixture(sm2Fixture);
    const a = f.issue("sm2:present");
    await (await sendIssue(f.credentials, a, await signIssue(f.credentials, f.domain, sm2IssuerKey, a, { scheme: "sm2" }))).wait();
    const presentation = { holder: sm2HolderKey.address, verifier: f.verifier.address, credentialIds: [a.id], validUntil: a.deadline };
    const asVerifier = f.credentials.connect(f.verifier);
    expect(await asVerifier.verifyPresentation(presentation, sm2SignTypedData(sm2HolderKey, f.domain, PresentationTypes, presentation))).to.equal(
      sm2HolderKey.address,
    );
    for (const bad of [
      sm2SignTypedData(strangerKey, f.domain, PresentationTypes, presentation),
      signPresentation(f.domain, sm2HolderKey, presentation),
      sm2SignTypedData(sm2HolderKey, { ...f.domain, chainId: 1n }, PresentationTypes, presentation),
    ]) {
      await expect(asVerifier.verifyPresentation(presentation, bad))
        .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
        .withArgs(sm2HolderKey.address);
    }
  });

  it("DIDRegistry.changeOwnerBySig with SM2 rotates the issuer's key: the old key's signatures stop, the new key's work", async function () {
    const f = await loadFixture(sm2Fixture);
    const deadline = (await latest()) + HOUR;
    const rotation = { identity: sm2IssuerKey.address, newOwner: sm2NewKey.address, nonce: await f.dids.nonces(sm2IssuerKey.address), deadline };
    const types = DIDRegistryTypes.ChangeOwner;
    const byStranger = sm2SignTypedData(strangerKey, f.didDomain, types, rotation);
    const ecdsaForm = signTypedDataWith("secp256k1", sm2IssuerKey, f.didDomain, types, rotation);
    for (const bad of [byStranger, ecdsaForm]) {
      await expect(f.dids.changeOwnerBySig(rotation.identity, rotation.newOwner, deadline, bad))
        .to.be.revertedWithCustomError(f.dids, "InvalidSignature")
        .withArgs(sm2IssuerKey.address);
    }
    const signature = sm2SignTypedData(sm2IssuerKey, f.didDomain, types, rotation);
    await expect(f.dids.connect(f.relayer).changeOwnerBySig(rotation.identity, rotation.newOwner, deadline, signature))
      .to.emit(f.dids, "DIDOwnerChanged")
      .withArgs(sm2IssuerKey.address, sm2NewKey.address, anyUint);
    expect(await f.dids.identityOwner(sm2IssuerKey.address)).to.equal(sm2NewKey.address);
    // The replay is refused: the owner's nonce is spent (and the owner is now another key).
    await expect(f.dids.changeOwnerBySig(rotation.identity, rotation.newOwner, deadline, signature)).to.be.revertedWithCustomError(
      f.dids,
      "InvalidSignature",
    );

    const a = f.issue("sm2:after-rotation");
    const byOldKey = await signIssue(f.credentials, f.domain, sm2IssuerKey, a, { scheme: "sm2", signer: sm2NewKey.address });
    await expect(sendIssue(f.credentials, a, byOldKey)).to.be.revertedWithCustomError(f.credentials, "InvalidSignature").withArgs(sm2NewKey.address);
    const byNewKey = await signIssue(f.credentials, f.domain, sm2NewKey, a, { scheme: "sm2" });
    await expect(sendIssue(f.credentials, a, byNewKey)).to.emit(f.credentials, "CredentialIssued");
  });
});

const anyUint = (value: unknown) => typeof value === "bigint" && value >= 0n;

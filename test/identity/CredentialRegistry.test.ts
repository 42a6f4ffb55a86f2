import { expect } from "chai";
import { network } from "hardhat";
import { Topics } from "../../deploy/topics.js";
import { deployIdentity, IssueTypes, PresentationTypes, RevokeTypes, YEAR } from "./fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture, time } = networkHelpers;

const Status = { None: 0n, Active: 1n, Suspended: 2n, Revoked: 3n, Superseded: 4n };
const KYC = Topics.KYC;
const id = (label: string) => ethers.id(label);

async function fixture() {
  return deployIdentity(connection);
}

async function issuedFixture() {
  const f = await fixture();
  const credentialId = id("kyc:subject:1");
  await (
    await f.credentials
      .connect(f.issuer)
      .issue(credentialId, f.issuer.address, f.subject.address, KYC, f.now, f.now + YEAR)
  ).wait();
  return { ...f, credentialId };
}

describe("CredentialRegistry", function () {
  describe("registerTopic", function () {
    it("registers a topic with its name", async function () {
      const { credentials } = await loadFixture(fixture);
      const name = ethers.encodeBytes32String("CUSTOMS_BROKER");
      await expect(credentials.registerTopic(100, name)).to.emit(credentials, "TopicRegistered").withArgs(100, name);
      const [ids, names] = await credentials.topics();
      expect(ids.at(-1)).to.equal(100n);
      expect(names.at(-1)).to.equal(name);
    });

    it("refuses topic 0, a registered topic and an empty name", async function () {
      const { credentials } = await loadFixture(fixture);
      const name = ethers.encodeBytes32String("X");
      await expect(credentials.registerTopic(0, name))
        .to.be.revertedWithCustomError(credentials, "CredentialTopicInvalid")
        .withArgs(0);
      await expect(credentials.registerTopic(KYC, name))
        .to.be.revertedWithCustomError(credentials, "CredentialTopicInvalid")
        .withArgs(KYC);
      await expect(credentials.registerTopic(101, ethers.ZeroHash))
        .to.be.revertedWithCustomError(credentials, "CredentialTopicInvalid")
        .withArgs(101);
    });

    it("is refused to an account without TOPIC_ADMIN", async function () {
      const { credentials, stranger } = await loadFixture(fixture);
      await expect(credentials.connect(stranger).registerTopic(100, ethers.encodeBytes32String("X")))
        .to.be.revertedWithCustomError(credentials, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
    });
  });

  describe("setIssuerTrust", function () {
    it("trusts and distrusts an issuer with events", async function () {
      const { credentials, issuer2 } = await loadFixture(fixture);
      expect(await credentials.isTrustedIssuer(KYC, issuer2.address)).to.equal(false);
      await expect(credentials.setIssuerTrust(KYC, issuer2.address, true))
        .to.emit(credentials, "IssuerTrustChanged")
        .withArgs(KYC, issuer2.address, true);
      expect(await credentials.isTrustedIssuer(KYC, issuer2.address)).to.equal(true);
      expect(await credentials.trustedIssuers(KYC)).to.have.length(2);
      await expect(credentials.setIssuerTrust(KYC, issuer2.address, false))
        .to.emit(credentials, "IssuerTrustChanged")
        .withArgs(KYC, issuer2.address, false);
      expect(await credentials.isTrustedIssuer(KYC, issuer2.address)).to.equal(false);
    });

    it("refuses no-op changes, the zero address and unknown topics", async function () {
      const { credentials, issuer, issuer2 } = await loadFixture(fixture);
      await expect(credentials.setIssuerTrust(KYC, issuer.address, true))
        .to.be.revertedWithCustomError(credentials, "CredentialTrustUnchanged")
        .withArgs(KYC, issuer.address, true);
      await expect(credentials.setIssuerTrust(KYC, issuer2.address, false))
        .to.be.revertedWithCustomError(credentials, "CredentialTrustUnchanged")
        .withArgs(KYC, issuer2.address, false);
      await expect(credentials.setIssuerTrust(KYC, ethers.ZeroAddress, true))
        .to.be.revertedWithCustomError(credentials, "CredentialTrustUnchanged")
        .withArgs(KYC, ethers.ZeroAddress, true);
      await expect(credentials.setIssuerTrust(999, issuer2.address, true))
        .to.be.revertedWithCustomError(credentials, "CredentialTopicUnknown")
        .withArgs(999);
    });

    it("is refused to an account without TOPIC_ADMIN", async function () {
      const { credentials, stranger } = await loadFixture(fixture);
      await expect(credentials.connect(stranger).setIssuerTrust(KYC, stranger.address, true))
        .to.be.revertedWithCustomError(credentials, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
    });
  });

  describe("issue", function () {
    it("records the credential and makes the subject valid on the topic", async function () {
      const { credentials, issuer, subject, now } = await loadFixture(fixture);
      const credentialId = id("kyc:1");
      expect(await credentials.hasValid(subject.address, KYC)).to.equal(false);
      await expect(
        credentials.connect(issuer).issue(credentialId, issuer.address, subject.address, KYC, now, now + YEAR),
      )
        .to.emit(credentials, "CredentialIssued")
        .withArgs(credentialId, issuer.address, subject.address, KYC, now, now + YEAR, 1);
      expect(await credentials.hasValid(subject.address, KYC)).to.equal(true);
      expect(await credentials.hasValid(subject.address, Topics.CARRIER)).to.equal(false);
      const view = await credentials.statusOf(credentialId);
      expect([view.issuer, view.subject, view.topic, view.validFrom, view.validUntil, view.status, view.valid]).to.deep.equal(
        [issuer.address, subject.address, BigInt(KYC), now, now + YEAR, Status.Active, true],
      );
    });

    it("accepts the issuer DID's veriKey delegate and its rotated owner, refuses its old key", async function () {
      const { credentials, dids, issuer, subject, relayer, stranger, now } = await loadFixture(fixture);
      await (await dids.connect(issuer).addDelegate(issuer.address, ethers.encodeBytes32String("veriKey"), relayer.address, 3600)).wait();
      await expect(
        credentials.connect(relayer).issue(id("a"), issuer.address, subject.address, KYC, now, now + YEAR),
      ).to.emit(credentials, "CredentialIssued");
      await (await dids.connect(issuer).changeOwner(issuer.address, stranger.address)).wait();
      await expect(credentials.connect(issuer).issue(id("b"), issuer.address, subject.address, KYC, now, now + YEAR))
        .to.be.revertedWithCustomError(credentials, "CredentialNotIssuer")
        .withArgs(issuer.address, issuer.address);
      await expect(
        credentials.connect(stranger).issue(id("c"), issuer.address, subject.address, KYC, now, now + YEAR),
      ).to.emit(credentials, "CredentialIssued");
    });

    it("refuses an account that does not control the issuer DID", async function () {
      const { credentials, issuer, subject, stranger, now } = await loadFixture(fixture);
      await expect(credentials.connect(stranger).issue(id("x"), issuer.address, subject.address, KYC, now, now + YEAR))
        .to.be.revertedWithCustomError(credentials, "CredentialNotIssuer")
        .withArgs(issuer.address, stranger.address);
    });

    it("refuses an untrusted issuer and an unknown topic", async function () {
      const { credentials, issuer, issuer2, subject, now } = await loadFixture(fixture);
      await expect(credentials.connect(issuer2).issue(id("x"), issuer2.address, subject.address, KYC, now, now + YEAR))
        .to.be.revertedWithCustomError(credentials, "CredentialIssuerNotTrusted")
        .withArgs(KYC, issuer2.address);
      await expect(credentials.connect(issuer).issue(id("x"), issuer.address, subject.address, 999, now, now + YEAR))
        .to.be.revertedWithCustomError(credentials, "CredentialTopicUnknown")
        .withArgs(999);
    });

    it("refuses a zero subject, a bad window and a reused id", async function () {
      const { credentials, issuer, subject, now, credentialId } = await loadFixture(issuedFixture);
      const c = credentials.connect(issuer);
      await expect(c.issue(id("x"), issuer.address, ethers.ZeroAddress, KYC, now, now + YEAR))
        .to.be.revertedWithCustomError(credentials, "CredentialInvalidSubject")
        .withArgs(ethers.ZeroAddress);
      await expect(c.issue(id("x"), issuer.address, subject.address, KYC, now + 10n, now + 10n))
        .to.be.revertedWithCustomError(credentials, "CredentialInvalidValidity")
        .withArgs(now + 10n, now + 10n);
      await expect(c.issue(id("x"), issuer.address, subject.address, KYC, now - 100n, now - 1n))
        .to.be.revertedWithCustomError(credentials, "CredentialInvalidValidity")
        .withArgs(now - 100n, now - 1n);
      await expect(c.issue(credentialId, issuer.address, subject.address, KYC, now, now + YEAR))
        .to.be.revertedWithCustomError(credentials, "CredentialExists")
        .withArgs(credentialId);
    });

    it("counts only inside the validity window", async function () {
      const { credentials, issuer, subject, now } = await loadFixture(fixture);
      await (await credentials.connect(issuer).issue(id("w"), issuer.address, subject.address, KYC, now + 1000n, now + 2000n)).wait();
      expect(await credentials.hasValid(subject.address, KYC)).to.equal(false);
      await time.increaseTo(now + 1000n);
      expect(await credentials.hasValid(subject.address, KYC)).to.equal(true);
      await time.increaseTo(now + 2000n);
      expect(await credentials.hasValid(subject.address, KYC)).to.equal(false);
      expect((await credentials.statusOf(id("w"))).status).to.equal(Status.Active);
    });

    it("supersedes the subject's previous credential on the topic", async function () {
      const { credentials, issuer, subject, now, credentialId } = await loadFixture(issuedFixture);
      const renewal = id("kyc:subject:2");
      await expect(credentials.connect(issuer).issue(renewal, issuer.address, subject.address, KYC, now, now + 2n * YEAR))
        .to.emit(credentials, "CredentialIssued")
        .withArgs(renewal, issuer.address, subject.address, KYC, now, now + 2n * YEAR, 2);
      const old = await credentials.statusOf(credentialId);
      expect(old.status).to.equal(Status.Superseded);
      expect(old.valid).to.equal(false);
      expect((await credentials.statusOf(renewal)).validUntil).to.equal(now + 2n * YEAR);
      await expect(credentials.connect(issuer).revoke(credentialId))
        .to.be.revertedWithCustomError(credentials, "CredentialStatusInvalid")
        .withArgs(credentialId, Status.Superseded);
    });
  });

  describe("status changes", function () {
    it("suspends, reinstates and revokes with events", async function () {
      const { credentials, issuer, subject, credentialId } = await loadFixture(issuedFixture);
      const c = credentials.connect(issuer);
      await expect(c.suspend(credentialId))
        .to.emit(credentials, "CredentialStatusChanged")
        .withArgs(credentialId, issuer.address, Status.Suspended);
      expect(await credentials.hasValid(subject.address, KYC)).to.equal(false);
      await expect(c.reinstate(credentialId))
        .to.emit(credentials, "CredentialStatusChanged")
        .withArgs(credentialId, issuer.address, Status.Active);
      expect(await credentials.hasValid(subject.address, KYC)).to.equal(true);
      await expect(c.revoke(credentialId))
        .to.emit(credentials, "CredentialStatusChanged")
        .withArgs(credentialId, issuer.address, Status.Revoked);
      expect(await credentials.hasValid(subject.address, KYC)).to.equal(false);
      expect((await credentials.statusOf(credentialId)).status).to.equal(Status.Revoked);
    });

    it("refuses transitions the status does not allow; revoked is final", async function () {
      const { credentials, issuer, credentialId } = await loadFixture(issuedFixture);
      const c = credentials.connect(issuer);
      await expect(c.reinstate(credentialId))
        .to.be.revertedWithCustomError(credentials, "CredentialStatusInvalid")
        .withArgs(credentialId, Status.Active);
      await (await c.suspend(credentialId)).wait();
      await expect(c.suspend(credentialId))
        .to.be.revertedWithCustomError(credentials, "CredentialStatusInvalid")
        .withArgs(credentialId, Status.Suspended);
      await (await c.revoke(credentialId)).wait();
      for (const call of [c.revoke(credentialId), c.reinstate(credentialId), c.suspend(credentialId)]) {
        await expect(call)
          .to.be.revertedWithCustomError(credentials, "CredentialStatusInvalid")
          .withArgs(credentialId, Status.Revoked);
      }
    });

    it("refuses anyone but the issuer, and unknown credentials", async function () {
      const { credentials, issuer, stranger, subject, credentialId } = await loadFixture(issuedFixture);
      for (const call of [
        credentials.connect(stranger).revoke(credentialId),
        credentials.connect(stranger).suspend(credentialId),
        credentials.connect(subject).revoke(credentialId),
      ]) {
        await expect(call).to.be.revertedWithCustomError(credentials, "CredentialNotIssuer").withArgs(issuer.address, anyAddress);
      }
      await (await credentials.connect(issuer).suspend(credentialId)).wait();
      await expect(credentials.connect(stranger).reinstate(credentialId))
        .to.be.revertedWithCustomError(credentials, "CredentialNotIssuer")
        .withArgs(issuer.address, stranger.address);
      await expect(credentials.connect(issuer).revoke(id("nope")))
        .to.be.revertedWithCustomError(credentials, "CredentialUnknown")
        .withArgs(id("nope"));
    });

    it("stops counting at once when the issuer loses the topic's trust", async function () {
      const { credentials, issuer, subject, credentialId } = await loadFixture(issuedFixture);
      await (await credentials.setIssuerTrust(KYC, issuer.address, false)).wait();
      expect(await credentials.hasValid(subject.address, KYC)).to.equal(false);
      expect((await credentials.statusOf(credentialId)).valid).to.equal(false);
      await (await credentials.setIssuerTrust(KYC, issuer.address, true)).wait();
      expect(await credentials.hasValid(subject.address, KYC)).to.equal(true);
    });
  });

  describe("issueBySig and revokeBySig", function () {
    async function signIssue(f: Awaited<ReturnType<typeof fixture>>, credentialId: string, overrides: { chainId?: bigint; deadline?: bigint; nonce?: bigint; signer?: typeof f.issuer } = {}) {
      const signer = overrides.signer ?? f.issuer;
      const value = {
        id: credentialId,
        issuer: f.issuer.address,
        subject: f.subject.address,
        topic: KYC,
        validFrom: f.now,
        validUntil: f.now + YEAR,
        nonce: overrides.nonce ?? (await f.credentials.nonces(signer.address)),
        deadline: overrides.deadline ?? f.now + 3600n,
      };
      const domain = { ...f.credentialsDomain, chainId: overrides.chainId ?? f.credentialsDomain.chainId };
      return { value, signature: await signer.signTypedData(domain, IssueTypes, value) };
    }

    it("records a credential signed by the issuer and relayed by anyone, once", async function () {
      const f = await loadFixture(fixture);
      const { value, signature } = await signIssue(f, id("sig:1"));
      const args = [value.id, value.issuer, value.subject, value.topic, value.validFrom, value.validUntil, value.deadline, signature] as const;
      await expect(f.credentials.connect(f.relayer).issueBySig(...args))
        .to.emit(f.credentials, "CredentialIssued")
        .withArgs(value.id, f.issuer.address, f.subject.address, KYC, value.validFrom, value.validUntil, 1);
      expect(await f.credentials.nonces(f.issuer.address)).to.equal(1n);
      await expect(f.credentials.connect(f.relayer).issueBySig(...args))
        .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
        .withArgs(f.issuer.address);
    });

    it("refuses an expired deadline, another chain id and a wrong signer", async function () {
      const f = await loadFixture(fixture);
      const expired = await signIssue(f, id("sig:2"), { deadline: f.now - 1n });
      const v = expired.value;
      const latest = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
      await time.setNextBlockTimestamp(latest + 1n);
      await expect(f.credentials.issueBySig(v.id, v.issuer, v.subject, v.topic, v.validFrom, v.validUntil, v.deadline, expired.signature))
        .to.be.revertedWithCustomError(f.credentials, "SignatureExpired")
        .withArgs(v.deadline, latest + 1n);
      for (const bad of [
        await signIssue(f, id("sig:2"), { chainId: 1n }),
        await signIssue(f, id("sig:2"), { signer: f.stranger, nonce: 0n }),
      ]) {
        const w = bad.value;
        await expect(f.credentials.issueBySig(w.id, w.issuer, w.subject, w.topic, w.validFrom, w.validUntil, w.deadline, bad.signature))
          .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
          .withArgs(f.issuer.address);
      }
    });

    it("revokes with the issuer's signature, once; refuses another signer", async function () {
      const f = await loadFixture(issuedFixture);
      const deadline = f.now + 3600n;
      const sign = async (signer: typeof f.issuer) =>
        signer.signTypedData(f.credentialsDomain, RevokeTypes, { id: f.credentialId, nonce: await f.credentials.nonces(signer.address), deadline });
      await expect(f.credentials.connect(f.relayer).revokeBySig(f.credentialId, deadline, await sign(f.stranger)))
        .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
        .withArgs(f.issuer.address);
      const signature = await sign(f.issuer);
      await expect(f.credentials.connect(f.relayer).revokeBySig(f.credentialId, deadline, signature))
        .to.emit(f.credentials, "CredentialStatusChanged")
        .withArgs(f.credentialId, f.issuer.address, Status.Revoked);
      // Replaying the same signature fails on its spent nonce.
      await expect(f.credentials.connect(f.relayer).revokeBySig(f.credentialId, deadline, signature))
        .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
        .withArgs(f.issuer.address);
    });
  });

  describe("verifyPresentation", function () {
    async function presentationFixture() {
      const f = await issuedFixture();
      await (await f.credentials.registerTopic(100, ethers.encodeBytes32String("MEMBER"))).wait();
      await (await f.credentials.setIssuerTrust(100, f.issuer2.address, true)).wait();
      const memberId = id("member:subject");
      await (await f.credentials.connect(f.issuer2).issue(memberId, f.issuer2.address, f.subject.address, 100, f.now, f.now + YEAR)).wait();
      const presentation = {
        holder: f.subject.address,
        verifier: f.verifier.address,
        credentialIds: [f.credentialId, memberId],
        validUntil: f.now + 3600n,
      };
      const signature = await f.subject.signTypedData(f.credentialsDomain, PresentationTypes, presentation);
      return { ...f, memberId, presentation, signature };
    }

    it("returns the holder for a valid presentation to the caller", async function () {
      const { credentials, verifier, subject, presentation, signature } = await loadFixture(presentationFixture);
      expect(await credentials.connect(verifier).verifyPresentation(presentation, signature)).to.equal(subject.address);
    });

    it("refuses another verifier, an expired presentation and an empty one", async function () {
      const f = await loadFixture(presentationFixture);
      await expect(f.credentials.connect(f.stranger).verifyPresentation(f.presentation, f.signature))
        .to.be.revertedWithCustomError(f.credentials, "PresentationWrongVerifier")
        .withArgs(f.verifier.address, f.stranger.address);
      await time.increaseTo(f.presentation.validUntil + 1n);
      await expect(f.credentials.connect(f.verifier).verifyPresentation(f.presentation, f.signature))
        .to.be.revertedWithCustomError(f.credentials, "PresentationExpired")
        .withArgs(f.presentation.validUntil, f.presentation.validUntil + 1n);
      const empty = { ...f.presentation, credentialIds: [], validUntil: f.now + YEAR };
      const sig = await f.subject.signTypedData(f.credentialsDomain, PresentationTypes, empty);
      await expect(f.credentials.connect(f.verifier).verifyPresentation(empty, sig)).to.be.revertedWithCustomError(
        f.credentials,
        "PresentationEmpty",
      );
    });

    it("refuses a signature not made by the holder DID's owner", async function () {
      const f = await loadFixture(presentationFixture);
      const forged = await f.stranger.signTypedData(f.credentialsDomain, PresentationTypes, f.presentation);
      await expect(f.credentials.connect(f.verifier).verifyPresentation(f.presentation, forged))
        .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
        .withArgs(f.subject.address);
      // After a key rotation the old key's presentations stop working and the new owner's work.
      await (await f.dids.connect(f.subject).changeOwner(f.subject.address, f.stranger.address)).wait();
      await expect(f.credentials.connect(f.verifier).verifyPresentation(f.presentation, f.signature))
        .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
        .withArgs(f.stranger.address);
      expect(await f.credentials.connect(f.verifier).verifyPresentation(f.presentation, forged)).to.equal(f.subject.address);
    });

    it("refuses a credential of another subject, a revoked one and a suspended one", async function () {
      const f = await loadFixture(presentationFixture);
      const otherId = id("kyc:other");
      await (await f.credentials.connect(f.issuer).issue(otherId, f.issuer.address, f.stranger.address, KYC, f.now, f.now + YEAR)).wait();
      const foreign = { ...f.presentation, credentialIds: [otherId] };
      const foreignSig = await f.subject.signTypedData(f.credentialsDomain, PresentationTypes, foreign);
      await expect(f.credentials.connect(f.verifier).verifyPresentation(foreign, foreignSig))
        .to.be.revertedWithCustomError(f.credentials, "PresentationCredentialInvalid")
        .withArgs(otherId, f.subject.address);

      await (await f.credentials.connect(f.issuer2).suspend(f.memberId)).wait();
      await expect(f.credentials.connect(f.verifier).verifyPresentation(f.presentation, f.signature))
        .to.be.revertedWithCustomError(f.credentials, "PresentationCredentialInvalid")
        .withArgs(f.memberId, f.subject.address);
      await (await f.credentials.connect(f.issuer2).reinstate(f.memberId)).wait();
      await (await f.credentials.connect(f.issuer).revoke(f.credentialId)).wait();
      await expect(f.credentials.connect(f.verifier).verifyPresentation(f.presentation, f.signature))
        .to.be.revertedWithCustomError(f.credentials, "PresentationCredentialInvalid")
        .withArgs(f.credentialId, f.subject.address);
    });

    it("refuses a presentation of a deactivated holder", async function () {
      const f = await loadFixture(presentationFixture);
      await (await f.dids.connect(f.subject).deactivate(f.subject.address)).wait();
      await expect(f.credentials.connect(f.verifier).verifyPresentation(f.presentation, f.signature))
        .to.be.revertedWithCustomError(f.credentials, "InvalidSignature")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("upgrades", function () {
    it("cannot be initialized again, nor its implementation directly", async function () {
      const { credentials, credentialRegistryImplementation, stranger } = await loadFixture(fixture);
      await expect(credentials.initialize(stranger.address)).to.be.revertedWithCustomError(credentials, "InvalidInitialization");
      await expect(
        (credentialRegistryImplementation as unknown as typeof credentials).initialize(stranger.address),
      ).to.be.revertedWithCustomError(credentials, "InvalidInitialization");
    });

    it("upgrades only through the AccessManager after the UPGRADER delay, keeping state", async function () {
      const f = await loadFixture(issuedFixture);
      const manager = await ethers.getContractAt("AccessManager", await f.accessManager.getAddress());
      const factory = await ethers.getContractFactory("CredentialRegistry");
      const next = await factory.deploy(await f.dids.getAddress(), false, ethers.ZeroAddress);
      const target = await f.credentials.getAddress();
      const data = f.credentials.interface.encodeFunctionData("upgradeToAndCall", [await next.getAddress(), "0x"]);

      await expect(f.credentials.connect(f.stranger).upgradeToAndCall(await next.getAddress(), "0x"))
        .to.be.revertedWithCustomError(f.credentials, "AccessManagedUnauthorized")
        .withArgs(f.stranger.address);
      // The upgrader (the deployer here) must schedule: a direct call is refused.
      await expect(f.credentials.upgradeToAndCall(await next.getAddress(), "0x")).to.be.revertedWithCustomError(
        manager,
        "AccessManagerNotScheduled",
      );
      const [, delay] = await manager.hasRole(1, f.admin.address);
      expect(delay).to.be.greaterThan(0n);
      await (await manager.schedule(target, data, 0)).wait();
      await expect(manager.execute(target, data)).to.be.revertedWithCustomError(manager, "AccessManagerNotReady");
      await time.increase(delay);
      await expect(manager.execute(target, data)).to.emit(f.credentials, "Upgraded").withArgs(await next.getAddress());
      expect(await f.credentials.hasValid(f.subject.address, KYC)).to.equal(true);
      expect((await f.credentials.statusOf(f.credentialId)).issuer).to.equal(f.issuer.address);
    });
  });
});

const anyAddress = (value: unknown) => typeof value === "string" && value.startsWith("0x") && value.length === 42;

/**
 * DIDRegistry extensions beyond ERC-1056: EIP-712 `...BySig` variants (domain binding, deadlines, nonces shared
 * with the legacy format, ERC-1271 owners), enforced deactivation, batches, guardian recovery, isController.
 */
import { expect } from "chai";
import { network } from "hardhat";
import type { ContractTransactionResponse, TypedDataDomain } from "ethers";
import {
  DIDRegistry__factory,
  ERC1271WalletMock__factory,
  type DIDRegistry,
} from "../../typechain-types/index.js";
import {
  Kind,
  b32,
  byAddress,
  change,
  delegateTypeHash,
  domain,
  ecrecoverPrecompile,
  highSTwinBytes,
  legacySign,
  signTyped,
  typedDigest,
  unpackSig,
  walletFor,
  type ChangeStruct,
  type PrimaryType,
} from "./did-helpers.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

const VETKEY = b32("veriKey");
const SIGAUTH = b32("sigAuth");
const ATTR = b32("did/svc/MessagingService");
const VALUE = ethers.hexlify(ethers.toUtf8Bytes("https://msg.example.org/did"));
const DAY = 86_400n;
const HOUR = 3_600n;

async function deployFixture() {
  const [relayer, deployer] = await ethers.getSigners();
  const factory = new DIDRegistry__factory(deployer);
  const registry = await factory.deploy(false, ethers.ZeroAddress);
  const registry2 = await factory.deploy(false, ethers.ZeroAddress);
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const w = (label: string) => walletFor(label, ethers.provider);
  const identity = w("identity");
  const other = w("other-identity");
  const ownerB = w("owner-b");
  const ownerC = w("owner-c");
  const delegate = w("delegate");
  const stranger = w("stranger");
  const walletKey = w("erc1271-wallet-key");
  const newOwner = w("recovered-owner");
  const guardians = byAddress([w("guardian-1"), w("guardian-2"), w("guardian-3")]);
  for (const x of [identity, other, ownerB, ownerC, delegate, stranger, walletKey, newOwner, ...guardians]) {
    await networkHelpers.setBalance(x.address, 10n ** 20n);
  }
  const wallet = await new ERC1271WalletMock__factory(deployer).deploy(walletKey.address);
  const registryAddress = await registry.getAddress();
  return {
    registry,
    registry2,
    registryAddress,
    registry2Address: await registry2.getAddress(),
    chainId,
    dom: domain(registryAddress, chainId),
    relayer: relayer!,
    identity,
    other,
    ownerB,
    ownerC,
    delegate,
    stranger,
    walletKey,
    wallet,
    walletAddress: await wallet.getAddress(),
    newOwner,
    guardians,
  };
}
type Fx = Awaited<ReturnType<typeof deployFixture>>;

async function blockOf(tx: ContractTransactionResponse): Promise<{ number: bigint; timestamp: bigint }> {
  const receipt = await tx.wait();
  const block = await ethers.provider.getBlock(receipt!.blockNumber);
  return { number: BigInt(block!.number), timestamp: BigInt(block!.timestamp) };
}

/** [eventName, ...args] of every log of a transaction, in order. */
async function eventsOf(registry: DIDRegistry, tx: ContractTransactionResponse): Promise<unknown[][]> {
  const receipt = await tx.wait();
  return receipt!.logs.map((l) => {
    const parsed = registry.interface.parseLog(l)!;
    return [parsed.name, ...parsed.args.toArray(true)];
  });
}

async function later(seconds = HOUR): Promise<bigint> {
  return BigInt(await time.latest()) + seconds;
}

// ───────────────────────────── EIP-712 ...BySig ─────────────────────────────

interface BySigCase {
  name: string;
  primaryType: PrimaryType;
  value(fx: Fx, identity: string, nonce: bigint, deadline: bigint): Record<string, unknown>;
  send(fx: Fx, identity: string, deadline: bigint, signature: string): Promise<ContractTransactionResponse>;
  /** Happy path effect; `previousChange` is the identity's changed() before the call. */
  check(fx: Fx, tx: ContractTransactionResponse, identity: string, previousChange: bigint): Promise<void>;
}

const BATCH: ChangeStruct[] = [
  change(Kind.AddDelegate, { name: SIGAUTH, account: "0x000000000000000000000000000000000000de1e", validity: DAY }),
  change(Kind.SetAttribute, { name: ATTR, value: VALUE, validity: DAY }),
];

const bySigCases: BySigCase[] = [
  {
    name: "changeOwnerBySig",
    primaryType: "ChangeOwner",
    value: (fx, identity, nonce, deadline) => ({ identity, newOwner: fx.ownerC.address, nonce, deadline }),
    send: (fx, id, deadline, sig) => fx.registry.connect(fx.relayer).changeOwnerBySig(id, fx.ownerC.address, deadline, sig),
    async check(fx, tx, id, prev) {
      expect(await eventsOf(fx.registry, tx)).to.deep.equal([["DIDOwnerChanged", id, fx.ownerC.address, prev]]);
      expect(await fx.registry.identityOwner(id)).to.equal(fx.ownerC.address);
      expect(await fx.registry.owners(id)).to.equal(fx.ownerC.address);
    },
  },
  {
    name: "addDelegateBySig",
    primaryType: "AddDelegate",
    value: (fx, identity, nonce, deadline) => ({
      identity,
      delegateType: SIGAUTH,
      delegate: fx.delegate.address,
      validity: DAY,
      nonce,
      deadline,
    }),
    send: (fx, id, deadline, sig) =>
      fx.registry.connect(fx.relayer).addDelegateBySig(id, SIGAUTH, fx.delegate.address, DAY, deadline, sig),
    async check(fx, tx, id, prev) {
      const { timestamp } = await blockOf(tx);
      expect(await eventsOf(fx.registry, tx)).to.deep.equal([
        ["DIDDelegateChanged", id, SIGAUTH, fx.delegate.address, timestamp + DAY, prev],
      ]);
      expect(await fx.registry.validDelegate(id, SIGAUTH, fx.delegate.address)).to.equal(true);
    },
  },
  {
    name: "revokeDelegateBySig",
    primaryType: "RevokeDelegate",
    value: (fx, identity, nonce, deadline) => ({
      identity,
      delegateType: SIGAUTH,
      delegate: fx.delegate.address,
      nonce,
      deadline,
    }),
    send: (fx, id, deadline, sig) =>
      fx.registry.connect(fx.relayer).revokeDelegateBySig(id, SIGAUTH, fx.delegate.address, deadline, sig),
    async check(fx, tx, id, prev) {
      const { timestamp } = await blockOf(tx);
      expect(await eventsOf(fx.registry, tx)).to.deep.equal([
        ["DIDDelegateChanged", id, SIGAUTH, fx.delegate.address, timestamp, prev],
      ]);
      expect(await fx.registry.delegates(id, delegateTypeHash(SIGAUTH), fx.delegate.address)).to.equal(timestamp);
    },
  },
  {
    name: "setAttributeBySig",
    primaryType: "SetAttribute",
    value: (_fx, identity, nonce, deadline) => ({ identity, name: ATTR, value: VALUE, validity: DAY, nonce, deadline }),
    send: (fx, id, deadline, sig) => fx.registry.connect(fx.relayer).setAttributeBySig(id, ATTR, VALUE, DAY, deadline, sig),
    async check(fx, tx, id, prev) {
      const { timestamp } = await blockOf(tx);
      expect(await eventsOf(fx.registry, tx)).to.deep.equal([
        ["DIDAttributeChanged", id, ATTR, VALUE, timestamp + DAY, prev],
      ]);
    },
  },
  {
    name: "revokeAttributeBySig",
    primaryType: "RevokeAttribute",
    value: (_fx, identity, nonce, deadline) => ({ identity, name: ATTR, value: VALUE, nonce, deadline }),
    send: (fx, id, deadline, sig) => fx.registry.connect(fx.relayer).revokeAttributeBySig(id, ATTR, VALUE, deadline, sig),
    async check(fx, tx, id, prev) {
      expect(await eventsOf(fx.registry, tx)).to.deep.equal([["DIDAttributeChanged", id, ATTR, VALUE, 0n, prev]]);
    },
  },
  {
    name: "deactivateBySig",
    primaryType: "Deactivate",
    value: (_fx, identity, nonce, deadline) => ({ identity, nonce, deadline }),
    send: (fx, id, deadline, sig) => fx.registry.connect(fx.relayer).deactivateBySig(id, deadline, sig),
    async check(fx, tx, id, prev) {
      expect(await eventsOf(fx.registry, tx)).to.deep.equal([
        ["DIDDeactivated", id],
        ["DIDOwnerChanged", id, ethers.ZeroAddress, prev],
      ]);
      expect(await fx.registry.isDeactivated(id)).to.equal(true);
      expect(await fx.registry.identityOwner(id)).to.equal(ethers.ZeroAddress);
    },
  },
  {
    name: "changeBatchBySig",
    primaryType: "ChangeBatch",
    value: (_fx, identity, nonce, deadline) => ({ identity, changes: BATCH, nonce, deadline }),
    send: (fx, id, deadline, sig) => fx.registry.connect(fx.relayer).changeBatchBySig(id, BATCH, deadline, sig),
    async check(fx, tx, id, prev) {
      const { number, timestamp } = await blockOf(tx);
      expect(await eventsOf(fx.registry, tx)).to.deep.equal([
        ["DIDDelegateChanged", id, SIGAUTH, BATCH[0]!.account, timestamp + DAY, prev],
        ["DIDAttributeChanged", id, ATTR, VALUE, timestamp + DAY, number],
      ]);
    },
  },
];

/** The error a replay of `c` raises once it has run. */
async function expectReplayRefused(fx: Fx, c: BySigCase, p: Promise<ContractTransactionResponse>, id: string) {
  if (c.name === "deactivateBySig") {
    await expect(p).to.be.revertedWithCustomError(fx.registry, "DIDIsDeactivated").withArgs(id);
  } else {
    await expect(p)
      .to.be.revertedWithCustomError(fx.registry, "InvalidSignature")
      .withArgs(await fx.registry.identityOwner(id));
  }
}

describe("DIDRegistry — extensions", function () {
  describe("EIP-712 ...BySig variants", function () {
    it("the EIP-712 domain is ('trustbase DIDRegistry', '1', chainId, registry)", async function () {
      const fx = await loadFixture(deployFixture);
      const d = await fx.registry.eip712Domain();
      expect(d.name).to.equal("trustbase DIDRegistry");
      expect(d.version).to.equal("1");
      expect(d.chainId).to.equal(fx.chainId);
      expect(d.verifyingContract).to.equal(fx.registryAddress);
    });

    for (const c of bySigCases) {
      describe(c.name, function () {
        it("happy path: relayed by a third account, consumes the owner's nonce", async function () {
          const fx = await loadFixture(deployFixture);
          const id = fx.identity.address;
          const t0 = await fx.registry.connect(fx.identity).setAttribute(id, b32("seed"), "0x", 1n);
          const prev = (await blockOf(t0)).number;
          const deadline = await later();
          const sig = signTyped(fx.identity.privateKey, fx.dom, c.primaryType, c.value(fx, id, 0n, deadline));
          const tx = await c.send(fx, id, deadline, sig);
          expect((await tx.wait())!.from).to.equal(fx.relayer.address);
          await c.check(fx, tx, id, prev);
          expect(await fx.registry.nonce(id)).to.equal(1n);
          expect(await fx.registry.nonces(id)).to.equal(1n);
          expect(await fx.registry.changed(id)).to.equal((await blockOf(tx)).number);
        });

        it("replay is refused", async function () {
          const fx = await loadFixture(deployFixture);
          const id = fx.identity.address;
          const deadline = await later();
          const sig = signTyped(fx.identity.privateKey, fx.dom, c.primaryType, c.value(fx, id, 0n, deadline));
          await c.send(fx, id, deadline, sig);
          const changed = await fx.registry.changed(id);
          await expectReplayRefused(fx, c, c.send(fx, id, deadline, sig), id);
          expect(await fx.registry.nonce(id)).to.equal(1n);
          expect(await fx.registry.changed(id)).to.equal(changed);
        });

        it("an expired deadline is refused with SignatureExpired(deadline, now); deadline == now is accepted", async function () {
          const fx = await loadFixture(deployFixture);
          const id = fx.identity.address;
          const now = BigInt(await time.latest()) + 100n;
          const expired = now - 1n;
          const sigExpired = signTyped(fx.identity.privateKey, fx.dom, c.primaryType, c.value(fx, id, 0n, expired));
          await time.setNextBlockTimestamp(now);
          await expect(c.send(fx, id, expired, sigExpired))
            .to.be.revertedWithCustomError(fx.registry, "SignatureExpired")
            .withArgs(expired, now);
          expect(await fx.registry.nonce(id)).to.equal(0n);

          const at = now + 10n;
          const sigAt = signTyped(fx.identity.privateKey, fx.dom, c.primaryType, c.value(fx, id, 0n, at));
          await time.setNextBlockTimestamp(at);
          const tx = await c.send(fx, id, at, sigAt);
          expect((await blockOf(tx)).timestamp).to.equal(at);
          expect(await fx.registry.nonce(id)).to.equal(1n);
        });

        it("a signature for another chain id is refused", async function () {
          const fx = await loadFixture(deployFixture);
          const id = fx.identity.address;
          const deadline = await later();
          const otherChain = domain(fx.registryAddress, fx.chainId + 1n);
          const sig = signTyped(fx.identity.privateKey, otherChain, c.primaryType, c.value(fx, id, 0n, deadline));
          await expect(c.send(fx, id, deadline, sig))
            .to.be.revertedWithCustomError(fx.registry, "InvalidSignature")
            .withArgs(id);
          expect(await fx.registry.nonce(id)).to.equal(0n);
        });

        it("a signature for another DIDRegistry deployment is refused here (and valid there)", async function () {
          const fx = await loadFixture(deployFixture);
          const id = fx.identity.address;
          const deadline = await later();
          const dom2 = domain(fx.registry2Address, fx.chainId);
          const sig = signTyped(fx.identity.privateKey, dom2, c.primaryType, c.value(fx, id, 0n, deadline));
          await expect(c.send(fx, id, deadline, sig))
            .to.be.revertedWithCustomError(fx.registry, "InvalidSignature")
            .withArgs(id);
          // The same signature is good on the registry it was made for.
          await c.send({ ...fx, registry: fx.registry2 }, id, deadline, sig);
          expect(await fx.registry2.nonce(id)).to.equal(1n);
          expect(await fx.registry.nonce(id)).to.equal(0n);
          expect(await fx.registry.changed(id)).to.equal(0n);
        });

        it("a signature by another key, a tampered deadline, a future nonce or a 64-byte signature is refused", async function () {
          const fx = await loadFixture(deployFixture);
          const id = fx.identity.address;
          const deadline = await later();
          const bad = [
            { d: deadline, sig: signTyped(fx.stranger.privateKey, fx.dom, c.primaryType, c.value(fx, id, 0n, deadline)) },
            { d: deadline + 1n, sig: signTyped(fx.identity.privateKey, fx.dom, c.primaryType, c.value(fx, id, 0n, deadline)) },
            { d: deadline, sig: signTyped(fx.identity.privateKey, fx.dom, c.primaryType, c.value(fx, id, 1n, deadline)) },
            {
              d: deadline,
              sig: ethers.dataSlice(
                signTyped(fx.identity.privateKey, fx.dom, c.primaryType, c.value(fx, id, 0n, deadline)),
                0,
                64,
              ),
            },
          ];
          for (const { d, sig } of bad) {
            await expect(c.send(fx, id, d, sig)).to.be.revertedWithCustomError(fx.registry, "InvalidSignature").withArgs(id);
          }
          expect(await fx.registry.nonce(id)).to.equal(0n);
          expect(await fx.registry.changed(id)).to.equal(0n);
        });

        it("the high-s malleable twin is refused", async function () {
          const fx = await loadFixture(deployFixture);
          const id = fx.identity.address;
          const deadline = await later();
          const value = c.value(fx, id, 0n, deadline);
          const sig = signTyped(fx.identity.privateKey, fx.dom, c.primaryType, value);
          const twin = highSTwinBytes(sig);
          expect(await ecrecoverPrecompile(ethers.provider, typedDigest(fx.dom, c.primaryType, value), unpackSig(twin))).to.equal(id);
          await expect(c.send(fx, id, deadline, twin)).to.be.revertedWithCustomError(fx.registry, "InvalidSignature").withArgs(id);
          await c.send(fx, id, deadline, sig);
          expect(await fx.registry.nonce(id)).to.equal(1n);
        });

        it("an ERC-1271 owner: its key's signature of the digest is accepted and the wallet's nonce used", async function () {
          const fx = await loadFixture(deployFixture);
          const id = fx.identity.address;
          await fx.registry.connect(fx.identity).changeOwner(id, fx.walletAddress);
          const prev = await fx.registry.changed(id);
          const deadline = await later();
          const value = c.value(fx, id, 0n, deadline);
          // The wallet's owner key is not the DID owner: only the wallet (ERC-1271) is.
          const byStranger = signTyped(fx.stranger.privateKey, fx.dom, c.primaryType, value);
          await expect(c.send(fx, id, deadline, byStranger))
            .to.be.revertedWithCustomError(fx.registry, "InvalidSignature")
            .withArgs(fx.walletAddress);
          const sig = signTyped(fx.walletKey.privateKey, fx.dom, c.primaryType, value);
          const tx = await c.send(fx, id, deadline, sig);
          await c.check(fx, tx, id, prev);
          expect(await fx.registry.nonce(fx.walletAddress)).to.equal(1n);
          expect(await fx.registry.nonce(fx.walletKey.address)).to.equal(0n);
          expect(await fx.registry.nonce(id)).to.equal(0n);
        });
      });
    }

    it("an ERC-1271 owner also signs the legacy format, and can act directly through its wallet", async function () {
      const fx = await loadFixture(deployFixture);
      const id = fx.identity.address;
      await fx.registry.connect(fx.identity).changeOwner(id, fx.walletAddress);
      const s = legacySign(fx.walletKey.privateKey, fx.registryAddress, 0n, id, {
        op: "setAttribute",
        name: ATTR,
        value: VALUE,
        validity: DAY,
      });
      await expect(fx.registry.setAttributeSigned(id, s.v, s.r, s.s, ATTR, VALUE, DAY)).to.emit(
        fx.registry,
        "DIDAttributeChanged",
      );
      expect(await fx.registry.nonce(fx.walletAddress)).to.equal(1n);
      const data = fx.registry.interface.encodeFunctionData("changeOwner", [id, fx.ownerB.address]);
      await expect(fx.wallet.connect(fx.walletKey).execute(fx.registryAddress, data))
        .to.emit(fx.registry, "DIDOwnerChanged")
        .withArgs(id, fx.ownerB.address, await fx.registry.changed(id));
      expect(await fx.registry.identityOwner(id)).to.equal(fx.ownerB.address);
    });

    it("legacy and EIP-712 signatures share one nonce: a legacy signature is refused after an EIP-712 op", async function () {
      const fx = await loadFixture(deployFixture);
      const id = fx.identity.address;
      const legacy = legacySign(fx.identity.privateKey, fx.registryAddress, 0n, id, {
        op: "revokeAttribute",
        name: ATTR,
        value: VALUE,
      });
      const deadline = await later();
      const typed = signTyped(fx.identity.privateKey, fx.dom, "SetAttribute", {
        identity: id,
        name: ATTR,
        value: VALUE,
        validity: DAY,
        nonce: 0n,
        deadline,
      });
      await fx.registry.setAttributeBySig(id, ATTR, VALUE, DAY, deadline, typed);
      expect(await fx.registry.nonce(id)).to.equal(1n);
      await expect(fx.registry.revokeAttributeSigned(id, legacy.v, legacy.r, legacy.s, ATTR, VALUE))
        .to.be.revertedWithCustomError(fx.registry, "InvalidSignature")
        .withArgs(id);
    });

    it("... and an EIP-712 signature is refused after a legacy op took its nonce", async function () {
      const fx = await loadFixture(deployFixture);
      const id = fx.identity.address;
      const deadline = await later();
      const typed = signTyped(fx.identity.privateKey, fx.dom, "Deactivate", { identity: id, nonce: 0n, deadline });
      const legacy = legacySign(fx.identity.privateKey, fx.registryAddress, 0n, id, {
        op: "revokeAttribute",
        name: ATTR,
        value: VALUE,
      });
      await fx.registry.revokeAttributeSigned(id, legacy.v, legacy.r, legacy.s, ATTR, VALUE);
      await expect(fx.registry.deactivateBySig(id, deadline, typed))
        .to.be.revertedWithCustomError(fx.registry, "InvalidSignature")
        .withArgs(id);
      expect(await fx.registry.isDeactivated(id)).to.equal(false);
    });
  });

  // ───────────────────────────── Deactivation ─────────────────────────────

  describe("deactivation", function () {
    async function withDelegate() {
      const fx = await deployFixture();
      const id = fx.identity.address;
      await fx.registry.connect(fx.identity).addDelegate(id, SIGAUTH, fx.delegate.address, DAY);
      return fx;
    }

    async function expectDeactivated(fx: Fx, tx: ContractTransactionResponse, prev: bigint) {
      const id = fx.identity.address;
      expect(await eventsOf(fx.registry, tx)).to.deep.equal([
        ["DIDDeactivated", id],
        ["DIDOwnerChanged", id, ethers.ZeroAddress, prev],
      ]);
      expect(await fx.registry.isDeactivated(id)).to.equal(true);
      expect(await fx.registry.identityOwner(id)).to.equal(ethers.ZeroAddress);
      expect(await fx.registry.owners(id)).to.equal(ethers.ZeroAddress);
      expect(await fx.registry.changed(id)).to.equal((await blockOf(tx)).number);
      expect(await fx.registry.validDelegate(id, SIGAUTH, fx.delegate.address)).to.equal(false);
      expect(await fx.registry.isController(id, id, ethers.ZeroHash)).to.equal(false);
      expect(await fx.registry.isController(id, fx.delegate.address, SIGAUTH)).to.equal(false);
    }

    it("the delegate is valid before (so the checks below are not vacuous)", async function () {
      const fx = await loadFixture(withDelegate);
      const id = fx.identity.address;
      expect(await fx.registry.validDelegate(id, SIGAUTH, fx.delegate.address)).to.equal(true);
      expect(await fx.registry.isController(id, id, ethers.ZeroHash)).to.equal(true);
      expect(await fx.registry.isController(id, fx.delegate.address, SIGAUTH)).to.equal(true);
    });

    it("route 1: deactivate(identity) by the owner", async function () {
      const fx = await loadFixture(withDelegate);
      const prev = await fx.registry.changed(fx.identity.address);
      const tx = await fx.registry.connect(fx.identity).deactivate(fx.identity.address);
      await expectDeactivated(fx, tx, prev);
    });

    it("route 2: deactivateBySig relayed by anyone", async function () {
      const fx = await loadFixture(withDelegate);
      const id = fx.identity.address;
      const prev = await fx.registry.changed(id);
      const deadline = await later();
      const sig = signTyped(fx.identity.privateKey, fx.dom, "Deactivate", { identity: id, nonce: 0n, deadline });
      const tx = await fx.registry.connect(fx.stranger).deactivateBySig(id, deadline, sig);
      await expectDeactivated(fx, tx, prev);
      expect(await fx.registry.nonce(id)).to.equal(1n);
    });

    it("route 3: changeOwner(identity, 0)", async function () {
      const fx = await loadFixture(withDelegate);
      const id = fx.identity.address;
      const prev = await fx.registry.changed(id);
      const tx = await fx.registry.connect(fx.identity).changeOwner(id, ethers.ZeroAddress);
      await expectDeactivated(fx, tx, prev);
    });

    it("route 3b: changeOwnerSigned(identity, …, 0)", async function () {
      const fx = await loadFixture(withDelegate);
      const id = fx.identity.address;
      const prev = await fx.registry.changed(id);
      const s = legacySign(fx.identity.privateKey, fx.registryAddress, 0n, id, {
        op: "changeOwner",
        newOwner: ethers.ZeroAddress,
      });
      const tx = await fx.registry.connect(fx.stranger).changeOwnerSigned(id, s.v, s.r, s.s, ethers.ZeroAddress);
      await expectDeactivated(fx, tx, prev);
    });

    it("route 3c: changeOwnerBySig(identity, 0)", async function () {
      const fx = await loadFixture(withDelegate);
      const id = fx.identity.address;
      const prev = await fx.registry.changed(id);
      const deadline = await later();
      const sig = signTyped(fx.identity.privateKey, fx.dom, "ChangeOwner", {
        identity: id,
        newOwner: ethers.ZeroAddress,
        nonce: 0n,
        deadline,
      });
      const tx = await fx.registry.connect(fx.stranger).changeOwnerBySig(id, ethers.ZeroAddress, deadline, sig);
      await expectDeactivated(fx, tx, prev);
    });

    it("a rotated identity is deactivated by its current owner only", async function () {
      const fx = await loadFixture(withDelegate);
      const id = fx.identity.address;
      await fx.registry.connect(fx.identity).changeOwner(id, fx.ownerB.address);
      await expect(fx.registry.connect(fx.identity).deactivate(id))
        .to.be.revertedWithCustomError(fx.registry, "DIDUnauthorized")
        .withArgs(id, id);
      await expect(fx.registry.connect(fx.stranger).deactivate(id))
        .to.be.revertedWithCustomError(fx.registry, "DIDUnauthorized")
        .withArgs(id, fx.stranger.address);
      expect(await fx.registry.isDeactivated(id)).to.equal(false);
      await expect(fx.registry.connect(fx.ownerB).deactivate(id)).to.emit(fx.registry, "DIDDeactivated").withArgs(id);
    });

    it("every mutating function reverts DIDIsDeactivated afterwards (each succeeded just before)", async function () {
      const fx = await loadFixture(withDelegate);
      const id = fx.identity.address;
      const pk = fx.identity.privateKey;
      const reg = fx.registry.connect(fx.identity);
      const rel = fx.registry.connect(fx.relayer);
      const deadline = await later(DAY);
      const n = await fx.registry.nonce(id);
      const L = (o: Parameters<typeof legacySign>[4]) => legacySign(pk, fx.registryAddress, n, id, o);
      const T = (t: PrimaryType, v: Record<string, unknown>) => signTyped(pk, fx.dom, t, { identity: id, ...v, nonce: n, deadline });
      const lCO = L({ op: "changeOwner", newOwner: fx.ownerB.address });
      const lAD = L({ op: "addDelegate", delegateType: VETKEY, delegate: fx.delegate.address, validity: DAY });
      const lRD = L({ op: "revokeDelegate", delegateType: SIGAUTH, delegate: fx.delegate.address });
      const lSA = L({ op: "setAttribute", name: ATTR, value: VALUE, validity: DAY });
      const lRA = L({ op: "revokeAttribute", name: ATTR, value: VALUE });
      const batch = [change(Kind.SetAttribute, { name: ATTR, value: VALUE, validity: DAY })];
      const guardianAddrs = fx.guardians.map((g) => g.address);

      const calls: [string, { staticCall(): Promise<unknown> }][] = [
        ["changeOwner", { staticCall: () => reg.changeOwner.staticCall(id, fx.ownerB.address) }],
        ["addDelegate", { staticCall: () => reg.addDelegate.staticCall(id, VETKEY, fx.delegate.address, DAY) }],
        ["revokeDelegate", { staticCall: () => reg.revokeDelegate.staticCall(id, SIGAUTH, fx.delegate.address) }],
        ["setAttribute", { staticCall: () => reg.setAttribute.staticCall(id, ATTR, VALUE, DAY) }],
        ["revokeAttribute", { staticCall: () => reg.revokeAttribute.staticCall(id, ATTR, VALUE) }],
        ["deactivate", { staticCall: () => reg.deactivate.staticCall(id) }],
        ["changeBatch", { staticCall: () => reg.changeBatch.staticCall(id, batch) }],
        ["setGuardians", { staticCall: () => reg.setGuardians.staticCall(id, guardianAddrs, 2, Number(HOUR)) }],
        ["changeOwnerSigned", { staticCall: () => rel.changeOwnerSigned.staticCall(id, lCO.v, lCO.r, lCO.s, fx.ownerB.address) }],
        [
          "addDelegateSigned",
          { staticCall: () => rel.addDelegateSigned.staticCall(id, lAD.v, lAD.r, lAD.s, VETKEY, fx.delegate.address, DAY) },
        ],
        [
          "revokeDelegateSigned",
          { staticCall: () => rel.revokeDelegateSigned.staticCall(id, lRD.v, lRD.r, lRD.s, SIGAUTH, fx.delegate.address) },
        ],
        ["setAttributeSigned", { staticCall: () => rel.setAttributeSigned.staticCall(id, lSA.v, lSA.r, lSA.s, ATTR, VALUE, DAY) }],
        ["revokeAttributeSigned", { staticCall: () => rel.revokeAttributeSigned.staticCall(id, lRA.v, lRA.r, lRA.s, ATTR, VALUE) }],
        [
          "changeOwnerBySig",
          {
            staticCall: () =>
              rel.changeOwnerBySig.staticCall(id, fx.ownerB.address, deadline, T("ChangeOwner", { newOwner: fx.ownerB.address })),
          },
        ],
        [
          "addDelegateBySig",
          {
            staticCall: () =>
              rel.addDelegateBySig.staticCall(
                id,
                VETKEY,
                fx.delegate.address,
                DAY,
                deadline,
                T("AddDelegate", { delegateType: VETKEY, delegate: fx.delegate.address, validity: DAY }),
              ),
          },
        ],
        [
          "revokeDelegateBySig",
          {
            staticCall: () =>
              rel.revokeDelegateBySig.staticCall(
                id,
                SIGAUTH,
                fx.delegate.address,
                deadline,
                T("RevokeDelegate", { delegateType: SIGAUTH, delegate: fx.delegate.address }),
              ),
          },
        ],
        [
          "setAttributeBySig",
          {
            staticCall: () =>
              rel.setAttributeBySig.staticCall(id, ATTR, VALUE, DAY, deadline, T("SetAttribute", { name: ATTR, value: VALUE, validity: DAY })),
          },
        ],
        [
          "revokeAttributeBySig",
          {
            staticCall: () =>
              rel.revokeAttributeBySig.staticCall(id, ATTR, VALUE, deadline, T("RevokeAttribute", { name: ATTR, value: VALUE })),
          },
        ],
        ["deactivateBySig", { staticCall: () => rel.deactivateBySig.staticCall(id, deadline, T("Deactivate", {})) }],
        [
          "changeBatchBySig",
          { staticCall: () => rel.changeBatchBySig.staticCall(id, batch, deadline, T("ChangeBatch", { changes: batch })) },
        ],
      ];

      for (const [name, call] of calls) {
        try {
          await call.staticCall();
        } catch (e) {
          throw new Error(`${name} should succeed before deactivation: ${String(e)}`);
        }
      }
      await reg.deactivate(id);
      const changedAt = await fx.registry.changed(id);
      for (const [, call] of calls) {
        await expect(call.staticCall()).to.be.revertedWithCustomError(fx.registry, "DIDIsDeactivated").withArgs(id);
      }
      // Real transactions too (a static call could hide a state-dependent path).
      await expect(reg.changeOwner(id, fx.ownerB.address)).to.be.revertedWithCustomError(fx.registry, "DIDIsDeactivated");
      await expect(rel.changeBatchBySig(id, batch, deadline, T("ChangeBatch", { changes: batch })))
        .to.be.revertedWithCustomError(fx.registry, "DIDIsDeactivated")
        .withArgs(id);
      expect(await fx.registry.changed(id)).to.equal(changedAt);
      expect(await fx.registry.nonce(id)).to.equal(n);
      expect(await fx.registry.identityOwner(id)).to.equal(ethers.ZeroAddress);
    });

    it("a deactivated identity cannot be re-owned by its own key or be given guardians", async function () {
      const fx = await loadFixture(withDelegate);
      const id = fx.identity.address;
      await fx.registry.connect(fx.identity).deactivate(id);
      // Unlike plain ERC-1056 (owners == 0 means "owned by itself"), the key gets nothing back.
      await expect(fx.registry.connect(fx.identity).changeOwner(id, id))
        .to.be.revertedWithCustomError(fx.registry, "DIDIsDeactivated")
        .withArgs(id);
      await expect(fx.registry.connect(fx.stranger).setGuardians(id, [fx.stranger.address], 1, Number(HOUR)))
        .to.be.revertedWithCustomError(fx.registry, "DIDIsDeactivated")
        .withArgs(id);
      await expect(fx.registry.connect(fx.identity).cancelRecovery(id))
        .to.be.revertedWithCustomError(fx.registry, "DIDIsDeactivated")
        .withArgs(id);
    });

    it("initiateRecovery reverts after deactivation (it succeeded just before)", async function () {
      const fx = await loadFixture(withDelegate);
      const id = fx.identity.address;
      await fx.registry.connect(fx.identity).setGuardians(id, fx.guardians.map((g) => g.address), 2, Number(HOUR));
      const { signers, signatures, deadline } = await recoverySigs(fx, id, fx.newOwner.address, fx.guardians.slice(0, 2));
      await fx.registry.connect(fx.relayer).initiateRecovery.staticCall(id, fx.newOwner.address, deadline, signers, signatures);
      await fx.registry.connect(fx.identity).deactivate(id);
      await expect(fx.registry.connect(fx.relayer).initiateRecovery(id, fx.newOwner.address, deadline, signers, signatures))
        .to.be.revertedWithCustomError(fx.registry, "DIDIsDeactivated")
        .withArgs(id);
    });

    it("deactivation cancels a pending recovery; executeRecovery then reverts DIDIsDeactivated (it succeeded just before)", async function () {
      const fx = await loadFixture(withDelegate);
      const id = fx.identity.address;
      await fx.registry.connect(fx.identity).setGuardians(id, fx.guardians.map((g) => g.address), 2, Number(HOUR));
      const { signers, signatures, deadline } = await recoverySigs(fx, id, fx.newOwner.address, fx.guardians.slice(0, 2));
      await fx.registry.connect(fx.relayer).initiateRecovery(id, fx.newOwner.address, deadline, signers, signatures);
      await time.increase(HOUR);
      await fx.registry.connect(fx.stranger).executeRecovery.staticCall(id);
      const prev = await fx.registry.changed(id);
      const tx = await fx.registry.connect(fx.identity).deactivate(id);
      expect(await eventsOf(fx.registry, tx)).to.deep.equal([
        ["DIDRecoveryCancelled", id, fx.newOwner.address],
        ["DIDDeactivated", id],
        ["DIDOwnerChanged", id, ethers.ZeroAddress, prev],
      ]);
      const pending = await fx.registry.pendingRecovery(id);
      expect(pending.newOwner).to.equal(ethers.ZeroAddress);
      expect(pending.executableAt).to.equal(0n);
      await expect(fx.registry.connect(fx.stranger).executeRecovery(id))
        .to.be.revertedWithCustomError(fx.registry, "DIDIsDeactivated")
        .withArgs(id);
      expect(await fx.registry.identityOwner(id)).to.equal(ethers.ZeroAddress);
    });
  });

  // ───────────────────────────── Batches ─────────────────────────────

  describe("changeBatch", function () {
    it("applies 5 mixed changes in order with exact events; previousChange = old block, then current block", async function () {
      const fx = await loadFixture(deployFixture);
      const id = fx.identity.address;
      const d2 = fx.stranger.address;
      await fx.registry.connect(fx.identity).addDelegate(id, VETKEY, d2, DAY);
      const t0 = await fx.registry.connect(fx.identity).setAttribute(id, b32("old"), "0xaa", DAY);
      const b0 = (await blockOf(t0)).number;
      await networkHelpers.mine(2);
      const changes = [
        change(Kind.AddDelegate, { name: SIGAUTH, account: fx.delegate.address, validity: DAY }),
        change(Kind.SetAttribute, { name: ATTR, value: VALUE, validity: 3n * DAY }),
        change(Kind.RevokeDelegate, { name: VETKEY, account: d2 }),
        change(Kind.RevokeAttribute, { name: b32("old"), value: "0xaa" }),
        change(Kind.ChangeOwner, { account: fx.ownerB.address }),
      ];
      const tx = await fx.registry.connect(fx.identity).changeBatch(id, changes);
      const { number, timestamp } = await blockOf(tx);
      expect(number).to.equal(b0 + 3n);
      expect(await eventsOf(fx.registry, tx)).to.deep.equal([
        ["DIDDelegateChanged", id, SIGAUTH, fx.delegate.address, timestamp + DAY, b0],
        ["DIDAttributeChanged", id, ATTR, VALUE, timestamp + 3n * DAY, number],
        ["DIDDelegateChanged", id, VETKEY, d2, timestamp, number],
        ["DIDAttributeChanged", id, b32("old"), "0xaa", 0n, number],
        ["DIDOwnerChanged", id, fx.ownerB.address, number],
      ]);
      expect(await fx.registry.changed(id)).to.equal(number);
      expect(await fx.registry.identityOwner(id)).to.equal(fx.ownerB.address);
      expect(await fx.registry.validDelegate(id, SIGAUTH, fx.delegate.address)).to.equal(true);
      expect(await fx.registry.validDelegate(id, VETKEY, d2)).to.equal(false);
      expect(await fx.registry.delegates(id, delegateTypeHash(VETKEY), d2)).to.equal(timestamp);
      expect(await fx.registry.nonce(id)).to.equal(0n);
    });

    it("ChangeOwner first: the rest of the batch still applies, and the old key is refused afterwards", async function () {
      const fx = await loadFixture(deployFixture);
      const id = fx.identity.address;
      const tx = await fx.registry.connect(fx.identity).changeBatch(id, [
        change(Kind.ChangeOwner, { account: fx.ownerB.address }),
        change(Kind.AddDelegate, { name: SIGAUTH, account: fx.delegate.address, validity: DAY }),
      ]);
      const { number, timestamp } = await blockOf(tx);
      expect(await eventsOf(fx.registry, tx)).to.deep.equal([
        ["DIDOwnerChanged", id, fx.ownerB.address, 0n],
        ["DIDDelegateChanged", id, SIGAUTH, fx.delegate.address, timestamp + DAY, number],
      ]);
      await expect(fx.registry.connect(fx.identity).changeBatch(id, [change(Kind.RevokeAttribute, { name: ATTR })]))
        .to.be.revertedWithCustomError(fx.registry, "DIDUnauthorized")
        .withArgs(id, id);
    });

    it("deactivation inside the batch followed by another change reverts the whole batch; state unchanged", async function () {
      const fx = await loadFixture(deployFixture);
      const id = fx.identity.address;
      await fx.registry.connect(fx.identity).addDelegate(id, SIGAUTH, fx.delegate.address, DAY);
      const changedBefore = await fx.registry.changed(id);
      const expiryBefore = await fx.registry.delegates(id, delegateTypeHash(SIGAUTH), fx.delegate.address);
      const changes = [
        change(Kind.RevokeDelegate, { name: SIGAUTH, account: fx.delegate.address }),
        change(Kind.ChangeOwner, { account: ethers.ZeroAddress }),
        change(Kind.SetAttribute, { name: ATTR, value: VALUE, validity: DAY }),
      ];
      await expect(fx.registry.connect(fx.identity).changeBatch(id, changes))
        .to.be.revertedWithCustomError(fx.registry, "DIDIsDeactivated")
        .withArgs(id);
      expect(await fx.registry.isDeactivated(id)).to.equal(false);
      expect(await fx.registry.identityOwner(id)).to.equal(id);
      expect(await fx.registry.changed(id)).to.equal(changedBefore);
      expect(await fx.registry.delegates(id, delegateTypeHash(SIGAUTH), fx.delegate.address)).to.equal(expiryBefore);
      expect(await fx.registry.validDelegate(id, SIGAUTH, fx.delegate.address)).to.equal(true);
    });

    it("deactivation as the last change of a batch is accepted", async function () {
      const fx = await loadFixture(deployFixture);
      const id = fx.identity.address;
      const tx = await fx.registry.connect(fx.identity).changeBatch(id, [
        change(Kind.SetAttribute, { name: ATTR, value: VALUE, validity: DAY }),
        change(Kind.ChangeOwner, { account: ethers.ZeroAddress }),
      ]);
      const { number, timestamp } = await blockOf(tx);
      expect(await eventsOf(fx.registry, tx)).to.deep.equal([
        ["DIDAttributeChanged", id, ATTR, VALUE, timestamp + DAY, 0n],
        ["DIDDeactivated", id],
        ["DIDOwnerChanged", id, ethers.ZeroAddress, number],
      ]);
      expect(await fx.registry.isDeactivated(id)).to.equal(true);
    });

    const malformed: [string, ChangeStruct][] = [
      ["ChangeOwner with a name", change(Kind.ChangeOwner, { account: "0x0000000000000000000000000000000000000b0b", name: ATTR })],
      ["ChangeOwner with a validity", change(Kind.ChangeOwner, { account: "0x0000000000000000000000000000000000000b0b", validity: 1n })],
      ["ChangeOwner with a value", change(Kind.ChangeOwner, { account: "0x0000000000000000000000000000000000000b0b", value: "0x01" })],
      ["AddDelegate with a value", change(Kind.AddDelegate, { name: SIGAUTH, account: "0x000000000000000000000000000000000000de1e", validity: 1n, value: "0x01" })],
      ["RevokeDelegate with a validity", change(Kind.RevokeDelegate, { name: SIGAUTH, account: "0x000000000000000000000000000000000000de1e", validity: 1n })],
      ["RevokeDelegate with a value", change(Kind.RevokeDelegate, { name: SIGAUTH, account: "0x000000000000000000000000000000000000de1e", value: "0x01" })],
      ["SetAttribute with an account", change(Kind.SetAttribute, { name: ATTR, value: VALUE, validity: 1n, account: "0x000000000000000000000000000000000000de1e" })],
      ["RevokeAttribute with an account", change(Kind.RevokeAttribute, { name: ATTR, value: VALUE, account: "0x000000000000000000000000000000000000de1e" })],
      ["RevokeAttribute with a validity", change(Kind.RevokeAttribute, { name: ATTR, value: VALUE, validity: 1n })],
    ];
    for (const [label, bad] of malformed) {
      it(`DIDMalformedChange(index): ${label}`, async function () {
        const fx = await loadFixture(deployFixture);
        const id = fx.identity.address;
        const good = change(Kind.SetAttribute, { name: ATTR, value: VALUE, validity: DAY });
        await expect(fx.registry.connect(fx.identity).changeBatch(id, [good, bad]))
          .to.be.revertedWithCustomError(fx.registry, "DIDMalformedChange")
          .withArgs(1n);
        await expect(fx.registry.connect(fx.identity).changeBatch(id, [bad]))
          .to.be.revertedWithCustomError(fx.registry, "DIDMalformedChange")
          .withArgs(0n);
        expect(await fx.registry.changed(id)).to.equal(0n);
        expect(await fx.registry.identityOwner(id)).to.equal(id);
      });
    }

    it("every kind's well-formed change is accepted alone (the malformed cases differ by one field)", async function () {
      const fx = await loadFixture(deployFixture);
      const id = fx.identity.address;
      const acc = "0x000000000000000000000000000000000000de1e";
      for (const c of [
        change(Kind.AddDelegate, { name: SIGAUTH, account: acc, validity: 1n }),
        change(Kind.RevokeDelegate, { name: SIGAUTH, account: acc }),
        change(Kind.SetAttribute, { name: ATTR, value: VALUE, validity: 1n }),
        change(Kind.RevokeAttribute, { name: ATTR, value: VALUE }),
        change(Kind.ChangeOwner, { account: id }),
      ]) {
        await fx.registry.connect(fx.identity).changeBatch(id, [c]);
      }
      expect(await fx.registry.owners(id)).to.equal(id);
    });

    it("an unknown kind is refused by ABI decoding", async function () {
      const fx = await loadFixture(deployFixture);
      const id = fx.identity.address;
      await expect(
        fx.registry.connect(fx.identity).changeBatch(id, [{ ...change(Kind.RevokeAttribute, { name: ATTR }), kind: 5 }]),
      ).to.be.revertedWithoutReason(ethers);
    });

    it("an empty batch is refused (direct and BySig)", async function () {
      const fx = await loadFixture(deployFixture);
      const id = fx.identity.address;
      await expect(fx.registry.connect(fx.identity).changeBatch(id, [])).to.be.revertedWithCustomError(
        fx.registry,
        "DIDEmptyBatch",
      );
      const deadline = await later();
      const sig = signTyped(fx.identity.privateKey, fx.dom, "ChangeBatch", { identity: id, changes: [], nonce: 0n, deadline });
      await expect(fx.registry.changeBatchBySig(id, [], deadline, sig)).to.be.revertedWithCustomError(
        fx.registry,
        "DIDEmptyBatch",
      );
      expect(await fx.registry.nonce(id)).to.equal(0n);
    });

    it("a non-owner is refused", async function () {
      const fx = await loadFixture(deployFixture);
      const id = fx.identity.address;
      await expect(
        fx.registry.connect(fx.stranger).changeBatch(id, [change(Kind.ChangeOwner, { account: fx.stranger.address })]),
      )
        .to.be.revertedWithCustomError(fx.registry, "DIDUnauthorized")
        .withArgs(id, fx.stranger.address);
      expect(await fx.registry.identityOwner(id)).to.equal(id);
    });

    it("BySig: a relayer cannot alter, drop or reorder the signed changes", async function () {
      const fx = await loadFixture(deployFixture);
      const id = fx.identity.address;
      const changes = [
        change(Kind.SetAttribute, { name: ATTR, value: VALUE, validity: DAY }),
        change(Kind.ChangeOwner, { account: fx.ownerB.address }),
      ];
      const deadline = await later();
      const sig = signTyped(fx.identity.privateKey, fx.dom, "ChangeBatch", { identity: id, changes, nonce: 0n, deadline });
      const altered = [
        [changes[0]!, change(Kind.ChangeOwner, { account: fx.stranger.address })],
        [{ ...changes[0]!, value: "0x00" }, changes[1]!],
        [changes[0]!],
        [changes[1]!, changes[0]!],
      ];
      for (const a of altered) {
        await expect(fx.registry.connect(fx.stranger).changeBatchBySig(id, a, deadline, sig))
          .to.be.revertedWithCustomError(fx.registry, "InvalidSignature")
          .withArgs(id);
      }
      await fx.registry.connect(fx.stranger).changeBatchBySig(id, changes, deadline, sig);
      expect(await fx.registry.identityOwner(id)).to.equal(fx.ownerB.address);
    });
  });

  // ───────────────────────────── Guardians and recovery ─────────────────────────────

  describe("guardians and recovery", function () {
    async function guarded() {
      const fx = await deployFixture();
      const id = fx.identity.address;
      const tx = await fx.registry.connect(fx.identity).setGuardians(id, fx.guardians.map((g) => g.address), 2, Number(HOUR));
      return { ...fx, setTx: tx };
    }

    it("setGuardians emits DIDGuardiansChanged and guardiansOf returns the set, threshold, delay, nonce", async function () {
      const fx = await loadFixture(guarded);
      const id = fx.identity.address;
      const addrs = fx.guardians.map((g) => g.address);
      expect(await eventsOf(fx.registry, fx.setTx)).to.deep.equal([["DIDGuardiansChanged", id, addrs, 2n, HOUR]]);
      const g = await fx.registry.guardiansOf(id);
      expect(g.guardians).to.deep.equal(addrs);
      expect(g.threshold).to.equal(2n);
      expect(g.delay).to.equal(HOUR);
      expect(g.recoveryNonce).to.equal(1n);
      // Guardians are not an identity change.
      expect(await fx.registry.changed(id)).to.equal(0n);
    });

    it("config validation", async function () {
      const fx = await loadFixture(deployFixture);
      const id = fx.identity.address;
      const r = fx.registry.connect(fx.identity);
      const seventeen = Array.from({ length: 17 }, (_, i) => ethers.getAddress(ethers.toBeHex(0x1000 + i, 20)));
      const [a, b] = [fx.guardians[0]!.address, fx.guardians[1]!.address];
      await expect(r.setGuardians(id, seventeen, 2, Number(HOUR)))
        .to.be.revertedWithCustomError(fx.registry, "DIDInvalidGuardians")
        .withArgs(17n, 2n);
      await expect(r.setGuardians(id, [a, b], 3, Number(HOUR)))
        .to.be.revertedWithCustomError(fx.registry, "DIDInvalidGuardians")
        .withArgs(2n, 3n);
      await expect(r.setGuardians(id, [a, b], 0, Number(HOUR)))
        .to.be.revertedWithCustomError(fx.registry, "DIDInvalidGuardians")
        .withArgs(2n, 0n);
      await expect(r.setGuardians(id, [], 1, Number(HOUR)))
        .to.be.revertedWithCustomError(fx.registry, "DIDInvalidGuardians")
        .withArgs(0n, 1n);
      await expect(r.setGuardians(id, [a, b], 1, Number(HOUR) - 1))
        .to.be.revertedWithCustomError(fx.registry, "DIDRecoveryDelayTooShort")
        .withArgs(HOUR - 1n, HOUR);
      await expect(r.setGuardians(id, [a, ethers.ZeroAddress], 1, Number(HOUR)))
        .to.be.revertedWithCustomError(fx.registry, "DIDInvalidGuardian")
        .withArgs(ethers.ZeroAddress);
      await expect(r.setGuardians(id, [a, id], 1, Number(HOUR)))
        .to.be.revertedWithCustomError(fx.registry, "DIDInvalidGuardian")
        .withArgs(id);
      await expect(r.setGuardians(id, [a, b, a], 1, Number(HOUR)))
        .to.be.revertedWithCustomError(fx.registry, "DIDInvalidGuardian")
        .withArgs(a);
      await expect(fx.registry.connect(fx.stranger).setGuardians(id, [a], 1, Number(HOUR)))
        .to.be.revertedWithCustomError(fx.registry, "DIDUnauthorized")
        .withArgs(id, fx.stranger.address);
      expect((await fx.registry.guardiansOf(id)).recoveryNonce).to.equal(0n);

      // Boundaries that are accepted: 16 guardians, threshold == count, delay == MIN_RECOVERY_DELAY.
      expect(await fx.registry.MAX_GUARDIANS()).to.equal(16n);
      expect(await fx.registry.MIN_RECOVERY_DELAY()).to.equal(HOUR);
      await r.setGuardians(id, seventeen.slice(0, 16), 16, Number(HOUR));
      expect((await fx.registry.guardiansOf(id)).guardians).to.deep.equal(seventeen.slice(0, 16));
      // Clearing: no guardians, threshold 0, any delay.
      await expect(r.setGuardians(id, [], 0, 0)).to.emit(fx.registry, "DIDGuardiansChanged").withArgs(id, [], 0n, 0n);
      const g = await fx.registry.guardiansOf(id);
      expect(g.guardians).to.deep.equal([]);
      expect(g.threshold).to.equal(0n);
      expect(g.recoveryNonce).to.equal(2n);
    });

    it("a rotated owner cannot be its own guardian, but the identity key can be", async function () {
      const fx = await loadFixture(deployFixture);
      const id = fx.identity.address;
      await fx.registry.connect(fx.identity).changeOwner(id, fx.ownerB.address);
      await expect(fx.registry.connect(fx.ownerB).setGuardians(id, [fx.ownerB.address], 1, Number(HOUR)))
        .to.be.revertedWithCustomError(fx.registry, "DIDInvalidGuardian")
        .withArgs(fx.ownerB.address);
      await fx.registry.connect(fx.ownerB).setGuardians(id, [id], 1, Number(HOUR));
      expect((await fx.registry.guardiansOf(id)).guardians).to.deep.equal([id]);
    });

    it("happy path 2-of-3: initiate (relayed) → wait the delay → anyone executes", async function () {
      const fx = await loadFixture(guarded);
      const id = fx.identity.address;
      await fx.registry.connect(fx.identity).setAttribute(id, ATTR, VALUE, DAY);
      const signersW = [fx.guardians[0]!, fx.guardians[2]!];
      const { signers, signatures, deadline } = await recoverySigs(fx, id, fx.newOwner.address, signersW);
      const init = await fx.registry.connect(fx.relayer).initiateRecovery(id, fx.newOwner.address, deadline, signers, signatures);
      const { timestamp } = await blockOf(init);
      const executableAt = timestamp + HOUR;
      expect(await eventsOf(fx.registry, init)).to.deep.equal([["DIDRecoveryInitiated", id, fx.newOwner.address, executableAt]]);
      const pending = await fx.registry.pendingRecovery(id);
      expect(pending.newOwner).to.equal(fx.newOwner.address);
      expect(pending.executableAt).to.equal(executableAt);
      expect((await fx.registry.guardiansOf(id)).recoveryNonce).to.equal(2n);
      // Nothing changed yet.
      expect(await fx.registry.identityOwner(id)).to.equal(id);

      // Too early, to the second.
      await time.setNextBlockTimestamp(executableAt - 1n);
      await expect(fx.registry.connect(fx.stranger).executeRecovery(id))
        .to.be.revertedWithCustomError(fx.registry, "DIDRecoveryNotReady")
        .withArgs(id, executableAt, executableAt - 1n);

      const prev = await fx.registry.changed(id);
      await time.setNextBlockTimestamp(executableAt);
      const exec = await fx.registry.connect(fx.stranger).executeRecovery(id);
      expect(await eventsOf(fx.registry, exec)).to.deep.equal([
        ["DIDOwnerChanged", id, fx.newOwner.address, prev],
        ["DIDRecoveryExecuted", id, fx.newOwner.address],
      ]);
      expect(await fx.registry.identityOwner(id)).to.equal(fx.newOwner.address);
      expect(await fx.registry.owners(id)).to.equal(fx.newOwner.address);
      expect(await fx.registry.changed(id)).to.equal((await blockOf(exec)).number);
      const after = await fx.registry.pendingRecovery(id);
      expect(after.newOwner).to.equal(ethers.ZeroAddress);
      expect(after.executableAt).to.equal(0n);
      // The old key is out, the new owner is in.
      await expect(fx.registry.connect(fx.identity).setAttribute(id, ATTR, VALUE, 1n))
        .to.be.revertedWithCustomError(fx.registry, "DIDUnauthorized")
        .withArgs(id, id);
      await fx.registry.connect(fx.newOwner).setAttribute(id, ATTR, VALUE, 1n);
      // Executing again: nothing pending.
      await expect(fx.registry.executeRecovery(id))
        .to.be.revertedWithCustomError(fx.registry, "DIDRecoveryNotPending")
        .withArgs(id);
    });

    it("all three guardians may sign (more than the threshold)", async function () {
      const fx = await loadFixture(guarded);
      const id = fx.identity.address;
      const { signers, signatures, deadline } = await recoverySigs(fx, id, fx.newOwner.address, fx.guardians);
      await expect(fx.registry.initiateRecovery(id, fx.newOwner.address, deadline, signers, signatures)).to.emit(
        fx.registry,
        "DIDRecoveryInitiated",
      );
    });

    it("a guardian that is an ERC-1271 wallet signs through its key", async function () {
      const fx = await loadFixture(deployFixture);
      const id = fx.identity.address;
      await fx.registry.connect(fx.identity).setGuardians(id, [fx.walletAddress, fx.guardians[0]!.address], 2, Number(HOUR));
      const deadline = await later();
      const value = { identity: id, newOwner: fx.newOwner.address, nonce: 1n, deadline };
      const entries = byAddress([
        { address: fx.walletAddress, sig: signTyped(fx.walletKey.privateKey, fx.dom, "Recover", value) },
        { address: fx.guardians[0]!.address, sig: signTyped(fx.guardians[0]!.privateKey, fx.dom, "Recover", value) },
      ]);
      await expect(
        fx.registry.initiateRecovery(id, fx.newOwner.address, deadline, entries.map((e) => e.address), entries.map((e) => e.sig)),
      ).to.emit(fx.registry, "DIDRecoveryInitiated");
    });

    it("the owner cancels (DIDRecoveryCancelled); a stranger cannot; nothing pending → DIDRecoveryNotPending", async function () {
      const fx = await loadFixture(guarded);
      const id = fx.identity.address;
      await expect(fx.registry.connect(fx.identity).cancelRecovery(id))
        .to.be.revertedWithCustomError(fx.registry, "DIDRecoveryNotPending")
        .withArgs(id);
      const { signers, signatures, deadline } = await recoverySigs(fx, id, fx.newOwner.address, fx.guardians.slice(0, 2));
      await fx.registry.initiateRecovery(id, fx.newOwner.address, deadline, signers, signatures);
      for (const who of [fx.stranger, fx.newOwner, fx.guardians[0]!]) {
        await expect(fx.registry.connect(who).cancelRecovery(id))
          .to.be.revertedWithCustomError(fx.registry, "DIDUnauthorized")
          .withArgs(id, who.address);
      }
      const tx = await fx.registry.connect(fx.identity).cancelRecovery(id);
      expect(await eventsOf(fx.registry, tx)).to.deep.equal([["DIDRecoveryCancelled", id, fx.newOwner.address]]);
      expect((await fx.registry.pendingRecovery(id)).newOwner).to.equal(ethers.ZeroAddress);
      await time.increase(2n * HOUR);
      await expect(fx.registry.executeRecovery(id))
        .to.be.revertedWithCustomError(fx.registry, "DIDRecoveryNotPending")
        .withArgs(id);
      expect(await fx.registry.identityOwner(id)).to.equal(id);
    });

    it("replaying the used guardian signatures is refused (the recovery nonce moved)", async function () {
      const fx = await loadFixture(guarded);
      const id = fx.identity.address;
      const { signers, signatures, deadline } = await recoverySigs(fx, id, fx.newOwner.address, fx.guardians.slice(0, 2));
      await fx.registry.initiateRecovery(id, fx.newOwner.address, deadline, signers, signatures);
      await fx.registry.connect(fx.identity).cancelRecovery(id);
      await expect(fx.registry.initiateRecovery(id, fx.newOwner.address, deadline, signers, signatures))
        .to.be.revertedWithCustomError(fx.registry, "InvalidSignature")
        .withArgs(signers[0]);
      // Fresh signatures at the new nonce work.
      const fresh = await recoverySigs(fx, id, fx.newOwner.address, fx.guardians.slice(0, 2));
      await fx.registry.initiateRecovery(id, fx.newOwner.address, fresh.deadline, fresh.signers, fresh.signatures);
    });

    it("a second recovery while one is pending is refused (DIDRecoveryPending)", async function () {
      const fx = await loadFixture(guarded);
      const id = fx.identity.address;
      const first = await recoverySigs(fx, id, fx.newOwner.address, fx.guardians.slice(0, 2));
      const init = await fx.registry.initiateRecovery(id, fx.newOwner.address, first.deadline, first.signers, first.signatures);
      const executableAt = (await blockOf(init)).timestamp + HOUR;
      const second = await recoverySigs(fx, id, fx.stranger.address, fx.guardians.slice(1, 3));
      await expect(fx.registry.initiateRecovery(id, fx.stranger.address, second.deadline, second.signers, second.signatures))
        .to.be.revertedWithCustomError(fx.registry, "DIDRecoveryPending")
        .withArgs(id, executableAt);
    });

    it("setGuardians cancels the pending recovery and invalidates signatures gathered for the old set", async function () {
      const fx = await loadFixture(guarded);
      const id = fx.identity.address;
      const addrs = fx.guardians.map((g) => g.address);
      const pendingSigs = await recoverySigs(fx, id, fx.newOwner.address, fx.guardians.slice(0, 2));
      await fx.registry.initiateRecovery(id, fx.newOwner.address, pendingSigs.deadline, pendingSigs.signers, pendingSigs.signatures);
      // Signatures gathered (at the new nonce) for a next recovery, before the set changes.
      const gathered = await recoverySigs(fx, id, fx.stranger.address, fx.guardians.slice(0, 2));

      const tx = await fx.registry.connect(fx.identity).setGuardians(id, addrs, 2, Number(HOUR));
      expect(await eventsOf(fx.registry, tx)).to.deep.equal([
        ["DIDRecoveryCancelled", id, fx.newOwner.address],
        ["DIDGuardiansChanged", id, addrs, 2n, HOUR],
      ]);
      expect((await fx.registry.pendingRecovery(id)).newOwner).to.equal(ethers.ZeroAddress);
      await time.increase(2n * HOUR);
      await expect(fx.registry.executeRecovery(id))
        .to.be.revertedWithCustomError(fx.registry, "DIDRecoveryNotPending")
        .withArgs(id);
      // Same guardians, but the gathered signatures are void.
      await expect(fx.registry.initiateRecovery(id, fx.stranger.address, gathered.deadline, gathered.signers, gathered.signatures))
        .to.be.revertedWithCustomError(fx.registry, "InvalidSignature")
        .withArgs(gathered.signers[0]);
      expect(await fx.registry.identityOwner(id)).to.equal(id);
    });

    it("signer and signature checks", async function () {
      const fx = await loadFixture(guarded);
      const id = fx.identity.address;
      const to = fx.newOwner.address;
      const [g0, g1, g2] = fx.guardians as [typeof fx.newOwner, typeof fx.newOwner, typeof fx.newOwner];
      const ok = await recoverySigs(fx, id, to, [g0, g1]);
      const r = fx.registry.connect(fx.relayer);
      const sigOf = (g: typeof g0) => ok.signatures[ok.signers.indexOf(g.address)]!;

      // Below threshold.
      await expect(r.initiateRecovery(id, to, ok.deadline, [g0.address], [sigOf(g0)]))
        .to.be.revertedWithCustomError(fx.registry, "DIDRecoveryBelowThreshold")
        .withArgs(id, 1n, 2n);
      // Unsorted.
      await expect(r.initiateRecovery(id, to, ok.deadline, [g1.address, g0.address], [sigOf(g1), sigOf(g0)]))
        .to.be.revertedWithCustomError(fx.registry, "DIDRecoveryInvalidSigner")
        .withArgs(id, g0.address);
      // Duplicate.
      await expect(r.initiateRecovery(id, to, ok.deadline, [g0.address, g0.address], [sigOf(g0), sigOf(g0)]))
        .to.be.revertedWithCustomError(fx.registry, "DIDRecoveryInvalidSigner")
        .withArgs(id, g0.address);
      // Non-guardian signer (a stranger who really signed), placed in order.
      const strangerSig = signTyped(fx.stranger.privateKey, fx.dom, "Recover", { identity: id, newOwner: to, nonce: 1n, deadline: ok.deadline });
      const mixed = byAddress([
        { address: g0.address, sig: sigOf(g0) },
        { address: fx.stranger.address, sig: strangerSig },
      ]);
      await expect(r.initiateRecovery(id, to, ok.deadline, mixed.map((m) => m.address), mixed.map((m) => m.sig)))
        .to.be.revertedWithCustomError(fx.registry, "DIDRecoveryInvalidSigner")
        .withArgs(id, fx.stranger.address);
      // Zero address as a signer.
      await expect(r.initiateRecovery(id, to, ok.deadline, [ethers.ZeroAddress, g0.address], ["0x", sigOf(g0)]))
        .to.be.revertedWithCustomError(fx.registry, "DIDRecoveryInvalidSigner")
        .withArgs(id, ethers.ZeroAddress);
      // Invalid signature: g1's slot holds g2's signature.
      const g2sig = signTyped(g2.privateKey, fx.dom, "Recover", { identity: id, newOwner: to, nonce: 1n, deadline: ok.deadline });
      await expect(r.initiateRecovery(id, to, ok.deadline, ok.signers, ok.signers.map((s) => (s === g1.address ? g2sig : sigOf(g0)))))
        .to.be.revertedWithCustomError(fx.registry, "InvalidSignature")
        .withArgs(g1.address);
      // Valid signatures for another new owner / another identity / another chain.
      await expect(r.initiateRecovery(id, fx.stranger.address, ok.deadline, ok.signers, ok.signatures))
        .to.be.revertedWithCustomError(fx.registry, "InvalidSignature")
        .withArgs(ok.signers[0]);
      const otherChain = await recoverySigs(fx, id, to, [g0, g1], domain(fx.registryAddress, fx.chainId + 1n));
      await expect(r.initiateRecovery(id, to, otherChain.deadline, otherChain.signers, otherChain.signatures))
        .to.be.revertedWithCustomError(fx.registry, "InvalidSignature")
        .withArgs(otherChain.signers[0]);
      // High-s twin of a guardian's signature.
      await expect(r.initiateRecovery(id, to, ok.deadline, ok.signers, [highSTwinBytes(ok.signatures[0]!), ok.signatures[1]!]))
        .to.be.revertedWithCustomError(fx.registry, "InvalidSignature")
        .withArgs(ok.signers[0]);
      // Length mismatch, zero new owner.
      await expect(r.initiateRecovery(id, to, ok.deadline, ok.signers, [ok.signatures[0]!]))
        .to.be.revertedWithCustomError(fx.registry, "DIDRecoveryLengthMismatch")
        .withArgs(2n, 1n);
      await expect(r.initiateRecovery(id, ethers.ZeroAddress, ok.deadline, ok.signers, ok.signatures))
        .to.be.revertedWithCustomError(fx.registry, "DIDRecoveryInvalidOwner")
        .withArgs(ethers.ZeroAddress);

      expect((await fx.registry.pendingRecovery(id)).newOwner).to.equal(ethers.ZeroAddress);
      expect((await fx.registry.guardiansOf(id)).recoveryNonce).to.equal(1n);
      // And the well-formed call goes through.
      await expect(r.initiateRecovery(id, to, ok.deadline, ok.signers, ok.signatures)).to.emit(fx.registry, "DIDRecoveryInitiated");
    });

    it("an expired recovery deadline is refused with SignatureExpired(deadline, now)", async function () {
      const fx = await loadFixture(guarded);
      const id = fx.identity.address;
      const now = BigInt(await time.latest()) + 50n;
      const sigs = await recoverySigs(fx, id, fx.newOwner.address, fx.guardians.slice(0, 2), fx.dom, now - 1n);
      await time.setNextBlockTimestamp(now);
      await expect(fx.registry.initiateRecovery(id, fx.newOwner.address, sigs.deadline, sigs.signers, sigs.signatures))
        .to.be.revertedWithCustomError(fx.registry, "SignatureExpired")
        .withArgs(now - 1n, now);
    });

    it("an identity without guardians cannot be recovered (DIDRecoveryNotConfigured)", async function () {
      const fx = await loadFixture(deployFixture);
      const id = fx.identity.address;
      const sigs = await recoverySigs(fx, id, fx.newOwner.address, fx.guardians.slice(0, 2), fx.dom, undefined, 0n);
      await expect(fx.registry.initiateRecovery(id, fx.newOwner.address, sigs.deadline, sigs.signers, sigs.signatures))
        .to.be.revertedWithCustomError(fx.registry, "DIDRecoveryNotConfigured")
        .withArgs(id);
      await expect(fx.registry.executeRecovery(id))
        .to.be.revertedWithCustomError(fx.registry, "DIDRecoveryNotPending")
        .withArgs(id);
    });

    it("recovery of a deactivated identity is refused", async function () {
      const fx = await loadFixture(guarded);
      const id = fx.identity.address;
      const sigs = await recoverySigs(fx, id, fx.newOwner.address, fx.guardians.slice(0, 2));
      await fx.registry.connect(fx.identity).deactivate(id);
      await expect(fx.registry.initiateRecovery(id, fx.newOwner.address, sigs.deadline, sigs.signers, sigs.signatures))
        .to.be.revertedWithCustomError(fx.registry, "DIDIsDeactivated")
        .withArgs(id);
      expect(await fx.registry.identityOwner(id)).to.equal(ethers.ZeroAddress);
    });
  });

  // ───────────────────────────── isController ─────────────────────────────

  describe("isController", function () {
    it("owner (default and rotated), sigAuth delegate, other types, type 0, expiry, revocation", async function () {
      const fx = await loadFixture(deployFixture);
      const id = fx.identity.address;
      const d = fx.delegate.address;
      // Default owner: the identity itself, for any type, including 0.
      expect(await fx.registry.isController(id, id, ethers.ZeroHash)).to.equal(true);
      expect(await fx.registry.isController(id, id, SIGAUTH)).to.equal(true);
      expect(await fx.registry.isController(id, fx.stranger.address, ethers.ZeroHash)).to.equal(false);
      expect(await fx.registry.isController(id, ethers.ZeroAddress, ethers.ZeroHash)).to.equal(false);

      const tx = await fx.registry.connect(fx.identity).addDelegate(id, SIGAUTH, d, 1000n);
      const validTo = (await blockOf(tx)).timestamp + 1000n;
      expect(await fx.registry.isController(id, d, SIGAUTH)).to.equal(true);
      expect(await fx.registry.isController(id, d, VETKEY)).to.equal(false);
      expect(await fx.registry.isController(id, d, ethers.ZeroHash)).to.equal(false);

      await time.increaseTo(validTo - 1n);
      expect(await fx.registry.isController(id, d, SIGAUTH)).to.equal(true);
      await time.increaseTo(validTo);
      expect(await fx.registry.isController(id, d, SIGAUTH)).to.equal(false);

      await fx.registry.connect(fx.identity).addDelegate(id, SIGAUTH, d, DAY);
      expect(await fx.registry.isController(id, d, SIGAUTH)).to.equal(true);
      await fx.registry.connect(fx.identity).revokeDelegate(id, SIGAUTH, d);
      expect(await fx.registry.isController(id, d, SIGAUTH)).to.equal(false);

      // A delegate registered under type 0 still does not control the identity with type 0.
      await fx.registry.connect(fx.identity).addDelegate(id, ethers.ZeroHash, d, DAY);
      expect(await fx.registry.validDelegate(id, ethers.ZeroHash, d)).to.equal(true);
      expect(await fx.registry.isController(id, d, ethers.ZeroHash)).to.equal(false);

      await fx.registry.connect(fx.identity).changeOwner(id, fx.ownerB.address);
      expect(await fx.registry.isController(id, fx.ownerB.address, ethers.ZeroHash)).to.equal(true);
      expect(await fx.registry.isController(id, id, ethers.ZeroHash)).to.equal(false);
      expect(await fx.registry.isController(id, id, SIGAUTH)).to.equal(false);
    });
  });
  // ───────────────────────────── Millisecond chains ─────────────────────────────

  describe("a deployment for a chain with millisecond timestamps", function () {
    it("delegate expiries, deadlines and the recovery delay are in seconds", async function () {
      const fx = await loadFixture(deployFixture);
      const [, deployer] = await ethers.getSigners();
      const ms = await new DIDRegistry__factory(deployer).deploy(true, ethers.ZeroAddress);
      const msAddress = await ms.getAddress();
      const msDom = domain(msAddress, fx.chainId);
      const id = fx.identity.address;
      expect(await ms.timestampInMilliseconds()).to.equal(true);

      // A block whose timestamp counts milliseconds.
      const t1 = BigInt(await time.latest()) * 1000n + 1_234n;
      await time.setNextBlockTimestamp(t1);
      const add = await ms.connect(fx.identity).addDelegate(id, SIGAUTH, fx.delegate.address, 100n);
      const nowS = t1 / 1000n;
      expect(await eventsOf(ms, add)).to.deep.equal([["DIDDelegateChanged", id, SIGAUTH, fx.delegate.address, nowS + 100n, 0n]]);
      expect(await ms.validDelegate(id, SIGAUTH, fx.delegate.address)).to.equal(true);
      // 99.9 s later (in ms): still valid; 100 s later: expired.
      await time.increaseTo(t1 + 99_000n - 1_234n + 999n);
      expect(await ms.validDelegate(id, SIGAUTH, fx.delegate.address)).to.equal(true);
      await time.increaseTo((nowS + 100n) * 1000n);
      expect(await ms.validDelegate(id, SIGAUTH, fx.delegate.address)).to.equal(false);

      // A deadline in seconds.
      const t2 = BigInt(await time.latest()) + 5_000n;
      const deadline = t2 / 1000n - 1n;
      const sig = signTyped(fx.identity.privateKey, msDom, "Deactivate", { identity: id, nonce: 0n, deadline });
      await time.setNextBlockTimestamp(t2);
      await expect(ms.deactivateBySig(id, deadline, sig))
        .to.be.revertedWithCustomError(ms, "SignatureExpired")
        .withArgs(deadline, t2 / 1000n);

      // A recovery delay in seconds.
      await ms.connect(fx.identity).setGuardians(id, fx.guardians.map((g) => g.address), 1, Number(HOUR));
      const sorted = byAddress([fx.guardians[0]!]);
      const rDeadline = BigInt(await time.latest()) / 1000n + DAY;
      const rSig = signTyped(sorted[0]!.privateKey, msDom, "Recover", {
        identity: id,
        newOwner: fx.newOwner.address,
        nonce: 1n,
        deadline: rDeadline,
      });
      const init = await ms.initiateRecovery(id, fx.newOwner.address, rDeadline, [sorted[0]!.address], [rSig]);
      const initS = (await blockOf(init)).timestamp / 1000n;
      expect(await eventsOf(ms, init)).to.deep.equal([["DIDRecoveryInitiated", id, fx.newOwner.address, initS + HOUR]]);
    });
  });
});


/** Guardians' Recover signatures, sorted by signer address; nonce defaults to the current recovery nonce. */
async function recoverySigs(
  fx: Fx,
  identity: string,
  newOwner: string,
  guardians: { address: string; privateKey: string }[],
  dom: TypedDataDomain = fx.dom,
  deadline?: bigint,
  nonce?: bigint,
): Promise<{ signers: string[]; signatures: string[]; deadline: bigint }> {
  const d = deadline ?? (await later(DAY));
  const n = nonce ?? (await fx.registry.guardiansOf(identity)).recoveryNonce;
  const sorted = byAddress(guardians);
  return {
    signers: sorted.map((g) => g.address),
    signatures: sorted.map((g) => signTyped(g.privateKey, dom, "Recover", { identity, newOwner, nonce: n, deadline: d })),
    deadline: d,
  };
}

/**
 * DIDRegistry: the ERC-1056 (ethr-did-registry) behaviour, unchanged: views and defaults, owner rotation,
 * delegates and their validity in time, attributes, `previousChange` chaining across and within blocks, and
 * the legacy `...Signed` variants with their raw (unprefixed) signing format.
 */
import { expect } from "chai";
import { network } from "hardhat";
import type { ContractTransactionResponse, Log } from "ethers";
import { DIDRegistry__factory, type DIDRegistry } from "../../typechain-types/index.js";
import {
  b32,
  delegateTypeHash,
  ecrecoverPrecompile,
  highSTwin,
  legacySign,
  legacyHash,
  walletFor,
  type VRS,
} from "./did-helpers.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time, mine } = networkHelpers;

const VETKEY = b32("veriKey");
const SIGAUTH = b32("sigAuth");
const ATTR = b32("did/pub/Secp256k1/veriKey/hex");
const VALUE = "0x02b97c30de767f084ce3080168ee293053ba33b235d7116a3263d29f1450936b71";
const DAY = 86_400n;

async function deployFixture() {
  const [relayer, deployer] = await ethers.getSigners();
  const registry = await new DIDRegistry__factory(deployer).deploy(false, ethers.ZeroAddress);
  await registry.waitForDeployment();
  const identity = walletFor("identity", ethers.provider);
  const other = walletFor("other-identity", ethers.provider);
  const ownerB = walletFor("owner-b", ethers.provider);
  const ownerC = walletFor("owner-c", ethers.provider);
  const delegate = walletFor("delegate", ethers.provider);
  const stranger = walletFor("stranger", ethers.provider);
  for (const w of [identity, other, ownerB, ownerC, delegate, stranger]) {
    await networkHelpers.setBalance(w.address, 10n ** 20n);
  }
  return {
    registry,
    registryAddress: await registry.getAddress(),
    relayer: relayer!,
    identity,
    other,
    ownerB,
    ownerC,
    delegate,
    stranger,
  };
}

async function blockOf(tx: ContractTransactionResponse): Promise<{ number: bigint; timestamp: bigint }> {
  const receipt = await tx.wait();
  const block = await ethers.provider.getBlock(receipt!.blockNumber);
  return { number: BigInt(block!.number), timestamp: BigInt(block!.timestamp) };
}

function parsedLogs(registry: DIDRegistry, logs: readonly Log[]) {
  return logs.map((l) => registry.interface.parseLog(l)!);
}

describe("DIDRegistry — ERC-1056 behaviour", function () {
  describe("views of a fresh identity", function () {
    it("identityOwner defaults to the identity; owners, changed, nonce, delegates are zero", async function () {
      const { registry, identity, delegate } = await loadFixture(deployFixture);
      expect(await registry.identityOwner(identity.address)).to.equal(identity.address);
      expect(await registry.owners(identity.address)).to.equal(ethers.ZeroAddress);
      expect(await registry.changed(identity.address)).to.equal(0n);
      expect(await registry.nonce(identity.address)).to.equal(0n);
      expect(await registry.nonces(identity.address)).to.equal(0n);
      expect(await registry.validDelegate(identity.address, VETKEY, delegate.address)).to.equal(false);
      expect(await registry.delegates(identity.address, delegateTypeHash(VETKEY), delegate.address)).to.equal(0n);
      expect(await registry.isDeactivated(identity.address)).to.equal(false);
    });
  });

  describe("changeOwner", function () {
    it("emits DIDOwnerChanged(identity, newOwner, 0) and sets owners, identityOwner, changed", async function () {
      const { registry, identity, ownerB } = await loadFixture(deployFixture);
      const tx = await registry.connect(identity).changeOwner(identity.address, ownerB.address);
      await expect(tx).to.emit(registry, "DIDOwnerChanged").withArgs(identity.address, ownerB.address, 0n);
      const { number } = await blockOf(tx);
      expect(await registry.owners(identity.address)).to.equal(ownerB.address);
      expect(await registry.identityOwner(identity.address)).to.equal(ownerB.address);
      expect(await registry.changed(identity.address)).to.equal(number);
      // Exactly one event: a rotation is not a deactivation.
      const receipt = await tx.wait();
      expect(parsedLogs(registry, receipt!.logs).map((l) => l.name)).to.deep.equal(["DIDOwnerChanged"]);
    });

    it("after a rotation the old key is refused (DIDUnauthorized) everywhere and the new owner is accepted", async function () {
      const { registry, identity, ownerB, ownerC, delegate } = await loadFixture(deployFixture);
      await registry.connect(identity).changeOwner(identity.address, ownerB.address);
      const changedBefore = await registry.changed(identity.address);
      const id = identity.address;
      const asOld = registry.connect(identity);
      await expect(asOld.changeOwner(id, ownerC.address))
        .to.be.revertedWithCustomError(registry, "DIDUnauthorized")
        .withArgs(id, id);
      await expect(asOld.addDelegate(id, VETKEY, delegate.address, DAY))
        .to.be.revertedWithCustomError(registry, "DIDUnauthorized")
        .withArgs(id, id);
      await expect(asOld.revokeDelegate(id, VETKEY, delegate.address))
        .to.be.revertedWithCustomError(registry, "DIDUnauthorized")
        .withArgs(id, id);
      await expect(asOld.setAttribute(id, ATTR, VALUE, DAY))
        .to.be.revertedWithCustomError(registry, "DIDUnauthorized")
        .withArgs(id, id);
      await expect(asOld.revokeAttribute(id, ATTR, VALUE))
        .to.be.revertedWithCustomError(registry, "DIDUnauthorized")
        .withArgs(id, id);
      expect(await registry.owners(id)).to.equal(ownerB.address);
      expect(await registry.changed(id)).to.equal(changedBefore);

      await expect(registry.connect(ownerB).changeOwner(id, ownerC.address))
        .to.emit(registry, "DIDOwnerChanged")
        .withArgs(id, ownerC.address, changedBefore);
      expect(await registry.identityOwner(id)).to.equal(ownerC.address);
      // B is now refused too.
      await expect(registry.connect(ownerB).changeOwner(id, ownerB.address))
        .to.be.revertedWithCustomError(registry, "DIDUnauthorized")
        .withArgs(id, ownerB.address);
    });

    it("a stranger can change nothing", async function () {
      const { registry, identity, stranger, delegate } = await loadFixture(deployFixture);
      const id = identity.address;
      const s = registry.connect(stranger);
      for (const call of [
        () => s.changeOwner(id, stranger.address),
        () => s.addDelegate(id, VETKEY, delegate.address, DAY),
        () => s.revokeDelegate(id, VETKEY, delegate.address),
        () => s.setAttribute(id, ATTR, VALUE, DAY),
        () => s.revokeAttribute(id, ATTR, VALUE),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(registry, "DIDUnauthorized").withArgs(id, stranger.address);
      }
      expect(await registry.changed(id)).to.equal(0n);
      expect(await registry.identityOwner(id)).to.equal(id);
    });

    it("the owner can hand the identity back to its own key", async function () {
      const { registry, identity, ownerB } = await loadFixture(deployFixture);
      await registry.connect(identity).changeOwner(identity.address, ownerB.address);
      await registry.connect(ownerB).changeOwner(identity.address, identity.address);
      expect(await registry.owners(identity.address)).to.equal(identity.address);
      expect(await registry.identityOwner(identity.address)).to.equal(identity.address);
      await expect(registry.connect(ownerB).changeOwner(identity.address, ownerB.address))
        .to.be.revertedWithCustomError(registry, "DIDUnauthorized")
        .withArgs(identity.address, ownerB.address);
    });
  });

  describe("delegates", function () {
    it("addDelegate emits validTo = block time + validity and stores it under keccak256(abi.encode(type))", async function () {
      const { registry, identity, delegate } = await loadFixture(deployFixture);
      const tx = await registry.connect(identity).addDelegate(identity.address, VETKEY, delegate.address, DAY);
      const { number, timestamp } = await blockOf(tx);
      await expect(tx)
        .to.emit(registry, "DIDDelegateChanged")
        .withArgs(identity.address, VETKEY, delegate.address, timestamp + DAY, 0n);
      expect(await registry.delegates(identity.address, delegateTypeHash(VETKEY), delegate.address)).to.equal(
        timestamp + DAY,
      );
      expect(await registry.changed(identity.address)).to.equal(number);
      expect(await registry.validDelegate(identity.address, VETKEY, delegate.address)).to.equal(true);
      // Other type, other delegate, other identity: not valid.
      expect(await registry.validDelegate(identity.address, SIGAUTH, delegate.address)).to.equal(false);
      expect(await registry.validDelegate(identity.address, VETKEY, identity.address)).to.equal(false);
      expect(await registry.validDelegate(delegate.address, VETKEY, delegate.address)).to.equal(false);
      // The raw type is not the key.
      expect(await registry.delegates(identity.address, VETKEY, delegate.address)).to.equal(0n);
    });

    it("a delegate is valid strictly before validTo and invalid from validTo on", async function () {
      const { registry, identity, delegate } = await loadFixture(deployFixture);
      const tx = await registry.connect(identity).addDelegate(identity.address, VETKEY, delegate.address, 1000n);
      const { timestamp } = await blockOf(tx);
      const validTo = timestamp + 1000n;
      await time.increaseTo(validTo - 1n);
      expect(BigInt(await time.latest())).to.equal(validTo - 1n);
      expect(await registry.validDelegate(identity.address, VETKEY, delegate.address)).to.equal(true);
      await time.increaseTo(validTo);
      expect(await registry.validDelegate(identity.address, VETKEY, delegate.address)).to.equal(false);
      // The stored expiry did not move.
      expect(await registry.delegates(identity.address, delegateTypeHash(VETKEY), delegate.address)).to.equal(validTo);
    });

    it("validity 0 gives a delegate that is never valid", async function () {
      const { registry, identity, delegate } = await loadFixture(deployFixture);
      const tx = await registry.connect(identity).addDelegate(identity.address, VETKEY, delegate.address, 0n);
      const { timestamp } = await blockOf(tx);
      await expect(tx)
        .to.emit(registry, "DIDDelegateChanged")
        .withArgs(identity.address, VETKEY, delegate.address, timestamp, 0n);
      expect(await registry.validDelegate(identity.address, VETKEY, delegate.address)).to.equal(false);
    });

    it("revokeDelegate sets and emits validTo = now; the delegate is no longer valid; it can be re-added", async function () {
      const { registry, identity, delegate } = await loadFixture(deployFixture);
      const add = await registry.connect(identity).addDelegate(identity.address, VETKEY, delegate.address, DAY);
      const addBlock = await blockOf(add);
      await time.increase(10);
      const revoke = await registry.connect(identity).revokeDelegate(identity.address, VETKEY, delegate.address);
      const { number, timestamp } = await blockOf(revoke);
      await expect(revoke)
        .to.emit(registry, "DIDDelegateChanged")
        .withArgs(identity.address, VETKEY, delegate.address, timestamp, addBlock.number);
      expect(await registry.delegates(identity.address, delegateTypeHash(VETKEY), delegate.address)).to.equal(timestamp);
      expect(await registry.validDelegate(identity.address, VETKEY, delegate.address)).to.equal(false);
      expect(await registry.changed(identity.address)).to.equal(number);

      const again = await registry.connect(identity).addDelegate(identity.address, VETKEY, delegate.address, 60n);
      const againBlock = await blockOf(again);
      await expect(again)
        .to.emit(registry, "DIDDelegateChanged")
        .withArgs(identity.address, VETKEY, delegate.address, againBlock.timestamp + 60n, number);
      expect(await registry.validDelegate(identity.address, VETKEY, delegate.address)).to.equal(true);
    });
  });

  describe("attributes", function () {
    it("setAttribute emits name, value, validTo = now + validity; revokeAttribute emits validTo 0", async function () {
      const { registry, identity } = await loadFixture(deployFixture);
      const set = await registry.connect(identity).setAttribute(identity.address, ATTR, VALUE, DAY);
      const setBlock = await blockOf(set);
      await expect(set)
        .to.emit(registry, "DIDAttributeChanged")
        .withArgs(identity.address, ATTR, VALUE, setBlock.timestamp + DAY, 0n);
      expect(await registry.changed(identity.address)).to.equal(setBlock.number);

      const revoke = await registry.connect(identity).revokeAttribute(identity.address, ATTR, VALUE);
      const revokeBlock = await blockOf(revoke);
      await expect(revoke)
        .to.emit(registry, "DIDAttributeChanged")
        .withArgs(identity.address, ATTR, VALUE, 0n, setBlock.number);
      expect(await registry.changed(identity.address)).to.equal(revokeBlock.number);
    });

    it("an empty value and a long value are emitted verbatim", async function () {
      const { registry, identity } = await loadFixture(deployFixture);
      await expect(registry.connect(identity).setAttribute(identity.address, ATTR, "0x", 1n))
        .to.emit(registry, "DIDAttributeChanged")
        .withArgs(identity.address, ATTR, "0x", (v: bigint) => v > 0n, 0n);
      const long = ethers.hexlify(ethers.toUtf8Bytes("https://example.org/service/".repeat(10)));
      await expect(registry.connect(identity).revokeAttribute(identity.address, ATTR, long))
        .to.emit(registry, "DIDAttributeChanged")
        .withArgs(identity.address, ATTR, long, 0n, await registry.changed(identity.address));
    });
  });

  describe("previousChange chaining", function () {
    it("across blocks: every event names the block of the identity's previous change", async function () {
      const { registry, identity, ownerB, delegate } = await loadFixture(deployFixture);
      const id = identity.address;
      const t1 = await registry.connect(identity).setAttribute(id, ATTR, VALUE, DAY);
      const b1 = (await blockOf(t1)).number;
      await mine(3);
      const t2 = await registry.connect(identity).addDelegate(id, VETKEY, delegate.address, DAY);
      await expect(t2).to.emit(registry, "DIDDelegateChanged").withArgs(id, VETKEY, delegate.address, anyBig, b1);
      const b2 = (await blockOf(t2)).number;
      expect(b2).to.be.greaterThan(b1 + 1n);
      const t3 = await registry.connect(identity).changeOwner(id, ownerB.address);
      await expect(t3).to.emit(registry, "DIDOwnerChanged").withArgs(id, ownerB.address, b2);
      const b3 = (await blockOf(t3)).number;
      const t4 = await registry.connect(ownerB).revokeDelegate(id, VETKEY, delegate.address);
      await expect(t4).to.emit(registry, "DIDDelegateChanged").withArgs(id, VETKEY, delegate.address, anyBig, b3);
      const b4 = (await blockOf(t4)).number;
      const t5 = await registry.connect(ownerB).revokeAttribute(id, ATTR, VALUE);
      await expect(t5).to.emit(registry, "DIDAttributeChanged").withArgs(id, ATTR, VALUE, 0n, b4);
      expect(await registry.changed(id)).to.equal((await blockOf(t5)).number);
    });

    it("changes of one identity do not move another identity's chain", async function () {
      const { registry, identity, other } = await loadFixture(deployFixture);
      const t1 = await registry.connect(other).setAttribute(other.address, ATTR, VALUE, DAY);
      const b1 = (await blockOf(t1)).number;
      await registry.connect(identity).setAttribute(identity.address, ATTR, VALUE, DAY);
      await registry.connect(identity).setAttribute(identity.address, ATTR, VALUE, DAY);
      expect(await registry.changed(other.address)).to.equal(b1);
      await expect(registry.connect(other).revokeAttribute(other.address, ATTR, VALUE))
        .to.emit(registry, "DIDAttributeChanged")
        .withArgs(other.address, ATTR, VALUE, 0n, b1);
    });

    it("within one block: the first change names the old block, the next ones the current block", async function () {
      const { registry, identity, delegate, ownerB } = await loadFixture(deployFixture);
      const id = identity.address;
      const t0 = await registry.connect(identity).setAttribute(id, ATTR, VALUE, DAY);
      const b0 = (await blockOf(t0)).number;
      await mine(2);

      await ethers.provider.send("evm_setAutomine", [false]);
      let txs: ContractTransactionResponse[];
      try {
        const start = await ethers.provider.getTransactionCount(identity.address);
        const gasLimit = 200_000n;
        const asId = registry.connect(identity);
        txs = [
          await asId.addDelegate(id, VETKEY, delegate.address, DAY, { nonce: start, gasLimit }),
          await asId.setAttribute(id, ATTR, VALUE, DAY, { nonce: start + 1, gasLimit }),
          await asId.changeOwner(id, ownerB.address, { nonce: start + 2, gasLimit }),
        ];
        await mine(1);
      } finally {
        await ethers.provider.send("evm_setAutomine", [true]);
      }
      const receipts = await Promise.all(txs.map((t) => t.wait()));
      const blockNumber = BigInt(receipts[0]!.blockNumber);
      expect(receipts.map((r) => BigInt(r!.blockNumber))).to.deep.equal([blockNumber, blockNumber, blockNumber]);
      expect(blockNumber).to.equal(b0 + 3n);
      const timestamp = BigInt((await ethers.provider.getBlock(blockNumber))!.timestamp);

      const [l0, l1, l2] = receipts.map((r) => parsedLogs(registry, r!.logs));
      expect(l0!.map((l) => [l.name, ...l.args])).to.deep.equal([
        ["DIDDelegateChanged", id, VETKEY, delegate.address, timestamp + DAY, b0],
      ]);
      expect(l1!.map((l) => [l.name, ...l.args])).to.deep.equal([
        ["DIDAttributeChanged", id, ATTR, VALUE, timestamp + DAY, blockNumber],
      ]);
      expect(l2!.map((l) => [l.name, ...l.args])).to.deep.equal([
        ["DIDOwnerChanged", id, ownerB.address, blockNumber],
      ]);
      expect(await registry.changed(id)).to.equal(blockNumber);
    });
  });

  describe("legacy ...Signed variants (ERC-1056 signing format)", function () {
    type Fx = Awaited<ReturnType<typeof deployFixture>>;
    interface SignedCase {
      name: string;
      /** Signs the operation for `identity` at `nonce` with `pk` against `registryAddress`. */
      sign(pk: string, registryAddress: string, nonce: bigint, identity: string, fx: Fx): VRS;
      /** Submits it (relayed by `fx.relayer`). */
      send(fx: Fx, identity: string, sig: VRS): Promise<ContractTransactionResponse>;
      /** Checks the happy path's event and effect. */
      check(fx: Fx, tx: ContractTransactionResponse, identity: string, previousChange: bigint): Promise<void>;
    }

    const cases: SignedCase[] = [
      {
        name: "changeOwnerSigned",
        sign: (pk, reg, n, id, fx) => legacySign(pk, reg, n, id, { op: "changeOwner", newOwner: fx.ownerC.address }),
        send: (fx, id, s) => fx.registry.connect(fx.relayer).changeOwnerSigned(id, s.v, s.r, s.s, fx.ownerC.address),
        async check(fx, tx, id, prev) {
          await expect(tx).to.emit(fx.registry, "DIDOwnerChanged").withArgs(id, fx.ownerC.address, prev);
          expect(await fx.registry.identityOwner(id)).to.equal(fx.ownerC.address);
        },
      },
      {
        name: "addDelegateSigned",
        sign: (pk, reg, n, id, fx) =>
          legacySign(pk, reg, n, id, {
            op: "addDelegate",
            delegateType: SIGAUTH,
            delegate: fx.delegate.address,
            validity: DAY,
          }),
        send: (fx, id, s) =>
          fx.registry.connect(fx.relayer).addDelegateSigned(id, s.v, s.r, s.s, SIGAUTH, fx.delegate.address, DAY),
        async check(fx, tx, id, prev) {
          const { timestamp } = await blockOf(tx);
          await expect(tx)
            .to.emit(fx.registry, "DIDDelegateChanged")
            .withArgs(id, SIGAUTH, fx.delegate.address, timestamp + DAY, prev);
          expect(await fx.registry.validDelegate(id, SIGAUTH, fx.delegate.address)).to.equal(true);
        },
      },
      {
        name: "revokeDelegateSigned",
        sign: (pk, reg, n, id, fx) =>
          legacySign(pk, reg, n, id, { op: "revokeDelegate", delegateType: SIGAUTH, delegate: fx.delegate.address }),
        send: (fx, id, s) =>
          fx.registry.connect(fx.relayer).revokeDelegateSigned(id, s.v, s.r, s.s, SIGAUTH, fx.delegate.address),
        async check(fx, tx, id, prev) {
          const { timestamp } = await blockOf(tx);
          await expect(tx)
            .to.emit(fx.registry, "DIDDelegateChanged")
            .withArgs(id, SIGAUTH, fx.delegate.address, timestamp, prev);
          expect(await fx.registry.delegates(id, delegateTypeHash(SIGAUTH), fx.delegate.address)).to.equal(timestamp);
        },
      },
      {
        name: "setAttributeSigned",
        sign: (pk, reg, n, id) => legacySign(pk, reg, n, id, { op: "setAttribute", name: ATTR, value: VALUE, validity: DAY }),
        send: (fx, id, s) => fx.registry.connect(fx.relayer).setAttributeSigned(id, s.v, s.r, s.s, ATTR, VALUE, DAY),
        async check(fx, tx, id, prev) {
          const { timestamp } = await blockOf(tx);
          await expect(tx)
            .to.emit(fx.registry, "DIDAttributeChanged")
            .withArgs(id, ATTR, VALUE, timestamp + DAY, prev);
        },
      },
      {
        name: "revokeAttributeSigned",
        sign: (pk, reg, n, id) => legacySign(pk, reg, n, id, { op: "revokeAttribute", name: ATTR, value: VALUE }),
        send: (fx, id, s) => fx.registry.connect(fx.relayer).revokeAttributeSigned(id, s.v, s.r, s.s, ATTR, VALUE),
        async check(fx, tx, id, prev) {
          await expect(tx).to.emit(fx.registry, "DIDAttributeChanged").withArgs(id, ATTR, VALUE, 0n, prev);
        },
      },
    ];

    for (const c of cases) {
      describe(c.name, function () {
        it("happy path: relayed by a third account, the owner's nonce increments, changed moves", async function () {
          const fx = await loadFixture(deployFixture);
          const id = fx.identity.address;
          // Give the identity a history so previousChange is non-zero.
          const t0 = await fx.registry.connect(fx.identity).setAttribute(id, b32("x"), "0x01", 1n);
          const b0 = (await blockOf(t0)).number;
          const sig = c.sign(fx.identity.privateKey, fx.registryAddress, 0n, id, fx);
          const identityBalanceBefore = await ethers.provider.getBalance(fx.identity.address);
          const tx = await c.send(fx, id, sig);
          await c.check(fx, tx, id, b0);
          expect(await fx.registry.nonce(id)).to.equal(1n);
          expect(await fx.registry.nonces(id)).to.equal(1n);
          expect(await fx.registry.changed(id)).to.equal((await blockOf(tx)).number);
          // The identity's key paid nothing: it only signed.
          expect(await ethers.provider.getBalance(fx.identity.address)).to.equal(identityBalanceBefore);
          expect((await tx.wait())!.from).to.equal(fx.relayer.address);
        });

        it("a rotated identity: the current owner signs and its own nonce is used", async function () {
          const fx = await loadFixture(deployFixture);
          const id = fx.identity.address;
          await fx.registry.connect(fx.identity).changeOwner(id, fx.ownerB.address);
          const prev = await fx.registry.changed(id);
          // The identity's own key is no longer the signer.
          const byOldKey = c.sign(fx.identity.privateKey, fx.registryAddress, 0n, id, fx);
          await expect(c.send(fx, id, byOldKey))
            .to.be.revertedWithCustomError(fx.registry, "InvalidSignature")
            .withArgs(fx.ownerB.address);
          const sig = c.sign(fx.ownerB.privateKey, fx.registryAddress, 0n, id, fx);
          const tx = await c.send(fx, id, sig);
          await c.check(fx, tx, id, prev);
          expect(await fx.registry.nonce(fx.ownerB.address)).to.equal(1n);
          expect(await fx.registry.nonce(id)).to.equal(0n);
        });

        it("replay is refused with InvalidSignature(owner) and changes nothing", async function () {
          const fx = await loadFixture(deployFixture);
          const id = fx.identity.address;
          const sig = c.sign(fx.identity.privateKey, fx.registryAddress, 0n, id, fx);
          await c.send(fx, id, sig);
          const changedAfterFirst = await fx.registry.changed(id);
          const owner = await fx.registry.identityOwner(id);
          await expect(c.send(fx, id, sig))
            .to.be.revertedWithCustomError(fx.registry, "InvalidSignature")
            .withArgs(owner);
          expect(await fx.registry.nonce(fx.identity.address)).to.equal(1n);
          expect(await fx.registry.changed(id)).to.equal(changedAfterFirst);
        });

        it("a signature by a key other than the owner's is refused", async function () {
          const fx = await loadFixture(deployFixture);
          const id = fx.identity.address;
          const sig = c.sign(fx.stranger.privateKey, fx.registryAddress, 0n, id, fx);
          await expect(c.send(fx, id, sig)).to.be.revertedWithCustomError(fx.registry, "InvalidSignature").withArgs(id);
          expect(await fx.registry.nonce(id)).to.equal(0n);
          expect(await fx.registry.nonce(fx.stranger.address)).to.equal(0n);
          expect(await fx.registry.changed(id)).to.equal(0n);
        });

        it("the high-s malleable twin of a valid signature is refused", async function () {
          const fx = await loadFixture(deployFixture);
          const id = fx.identity.address;
          const sig = c.sign(fx.identity.privateKey, fx.registryAddress, 0n, id, fx);
          const twin = highSTwin(sig);
          // The twin is a real ECDSA signature of the owner (raw ecrecover accepts it) ...
          const hash = await hashOf(c, fx, id);
          expect(await ecrecoverPrecompile(ethers.provider, hash, twin)).to.equal(id);
          expect(await ecrecoverPrecompile(ethers.provider, hash, sig)).to.equal(id);
          // ... but the registry refuses it.
          await expect(c.send(fx, id, twin)).to.be.revertedWithCustomError(fx.registry, "InvalidSignature").withArgs(id);
          expect(await fx.registry.nonce(id)).to.equal(0n);
          // The canonical one still works.
          await c.send(fx, id, sig);
          expect(await fx.registry.nonce(id)).to.equal(1n);
        });

        it("v other than 27/28 is refused", async function () {
          const fx = await loadFixture(deployFixture);
          const id = fx.identity.address;
          const sig = c.sign(fx.identity.privateKey, fx.registryAddress, 0n, id, fx);
          await expect(c.send(fx, id, { ...sig, v: sig.v - 27 }))
            .to.be.revertedWithCustomError(fx.registry, "InvalidSignature")
            .withArgs(id);
        });

        it("a signature by the owner of a different identity is refused", async function () {
          const fx = await loadFixture(deployFixture);
          const target = fx.other.address;
          // fx.identity owns itself; it signs an operation on `other`, which it does not own.
          const sig = c.sign(fx.identity.privateKey, fx.registryAddress, 0n, target, fx);
          await expect(c.send(fx, target, sig))
            .to.be.revertedWithCustomError(fx.registry, "InvalidSignature")
            .withArgs(target);
          expect(await fx.registry.nonce(fx.identity.address)).to.equal(0n);
          expect(await fx.registry.changed(target)).to.equal(0n);
        });

        it("one owner of two identities: a signature for one cannot be used on the other", async function () {
          const fx = await loadFixture(deployFixture);
          // ownerB owns both identity and other.
          await fx.registry.connect(fx.identity).changeOwner(fx.identity.address, fx.ownerB.address);
          await fx.registry.connect(fx.other).changeOwner(fx.other.address, fx.ownerB.address);
          const forIdentity = c.sign(fx.ownerB.privateKey, fx.registryAddress, 0n, fx.identity.address, fx);
          const changedOther = await fx.registry.changed(fx.other.address);
          await expect(c.send(fx, fx.other.address, forIdentity))
            .to.be.revertedWithCustomError(fx.registry, "InvalidSignature")
            .withArgs(fx.ownerB.address);
          expect(await fx.registry.changed(fx.other.address)).to.equal(changedOther);
          // It is valid where it belongs.
          await c.send(fx, fx.identity.address, forIdentity);
          expect(await fx.registry.nonce(fx.ownerB.address)).to.equal(1n);
        });

        it("a signature made for another registry address is refused", async function () {
          const fx = await loadFixture(deployFixture);
          const id = fx.identity.address;
          const sig = c.sign(fx.identity.privateKey, fx.stranger.address, 0n, id, fx);
          await expect(c.send(fx, id, sig)).to.be.revertedWithCustomError(fx.registry, "InvalidSignature").withArgs(id);
        });
      });
    }

    /** The legacy hash each case signs, at nonce 0 (for the ecrecover cross-check). */
    async function hashOf(c: SignedCase, fx: Fx, id: string): Promise<string> {
      switch (c.name) {
        case "changeOwnerSigned":
          return legacyHash(fx.registryAddress, 0n, id, { op: "changeOwner", newOwner: fx.ownerC.address });
        case "addDelegateSigned":
          return legacyHash(fx.registryAddress, 0n, id, {
            op: "addDelegate",
            delegateType: SIGAUTH,
            delegate: fx.delegate.address,
            validity: DAY,
          });
        case "revokeDelegateSigned":
          return legacyHash(fx.registryAddress, 0n, id, {
            op: "revokeDelegate",
            delegateType: SIGAUTH,
            delegate: fx.delegate.address,
          });
        case "setAttributeSigned":
          return legacyHash(fx.registryAddress, 0n, id, { op: "setAttribute", name: ATTR, value: VALUE, validity: DAY });
        default:
          return legacyHash(fx.registryAddress, 0n, id, { op: "revokeAttribute", name: ATTR, value: VALUE });
      }
    }

    it("signed operations chain: each consumes one nonce in order, and an out-of-order one is refused", async function () {
      const fx = await loadFixture(deployFixture);
      const id = fx.identity.address;
      const pk = fx.identity.privateKey;
      const s0 = legacySign(pk, fx.registryAddress, 0n, id, { op: "setAttribute", name: ATTR, value: VALUE, validity: 1n });
      const s1 = legacySign(pk, fx.registryAddress, 1n, id, { op: "revokeAttribute", name: ATTR, value: VALUE });
      await expect(fx.registry.revokeAttributeSigned(id, s1.v, s1.r, s1.s, ATTR, VALUE))
        .to.be.revertedWithCustomError(fx.registry, "InvalidSignature")
        .withArgs(id);
      await fx.registry.setAttributeSigned(id, s0.v, s0.r, s0.s, ATTR, VALUE, 1n);
      await fx.registry.revokeAttributeSigned(id, s1.v, s1.r, s1.s, ATTR, VALUE);
      expect(await fx.registry.nonce(id)).to.equal(2n);
    });
  });
});

/** withArgs predicate: any bigint. */
function anyBig(v: unknown): boolean {
  return typeof v === "bigint";
}

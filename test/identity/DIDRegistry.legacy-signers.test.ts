/**
 * DIDRegistry's ERC-1056 `...Signed` functions (v, r, s) outside the common case: the zero address, whose
 * "signature" ecrecover would happily return, and a 国密 (SM2) deployment, where (v, r, s) cannot carry an SM2
 * signature, so only contract owners (ERC-1271) can use the legacy format.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { ERC1271WalletMock__factory, DIDRegistry__factory, SM2VerifierMock__factory } from "../../typechain-types/index.js";
import { SM2_PRECOMPILE } from "../helpers/signatures.js";
import { b32, ecrecoverPrecompile, legacyHash, legacySign, walletFor } from "./did-helpers.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;

const ATTR = b32("did/pub/Secp256k1/veriKey/hex");
const VALUE = "0x02b97c30de767f084ce3080168ee293053ba33b235d7116a3263d29f1450936b71";
const DAY = 86_400n;

async function deployFixture() {
  const [deployer] = await ethers.getSigners();
  const factory = new DIDRegistry__factory(deployer);
  const registry = await factory.deploy(false, ethers.ZeroAddress);
  // The SM2 stand-in at FISCO BCOS's precompile address, and a registry of a 国密 chain using it.
  const sm2Impl = await new SM2VerifierMock__factory(deployer).deploy();
  await networkHelpers.setCode(SM2_PRECOMPILE, await ethers.provider.getCode(await sm2Impl.getAddress()));
  const sm2Registry = await factory.deploy(false, SM2_PRECOMPILE);
  const identity = walletFor("legacy/identity", ethers.provider);
  const stranger = walletFor("legacy/stranger", ethers.provider);
  const walletKey = walletFor("legacy/wallet-key", ethers.provider);
  for (const account of [identity, stranger, walletKey]) await networkHelpers.setBalance(account.address, 10n ** 20n);
  const wallet = await new ERC1271WalletMock__factory(deployer).deploy(walletKey.address);
  return {
    registry,
    registryAddress: await registry.getAddress(),
    sm2Registry,
    sm2RegistryAddress: await sm2Registry.getAddress(),
    identity,
    stranger,
    walletKey,
    wallet,
    walletAddress: await wallet.getAddress(),
  };
}

describe("DIDRegistry — legacy (v, r, s) signatures outside the common case", function () {
  describe("the zero address as identity", function () {
    it("a signature ecrecover maps to address(0) does not make anyone its owner", async function () {
      const { registry, registryAddress, stranger } = await loadFixture(deployFixture);
      const zero = ethers.ZeroAddress;
      const hash = legacyHash(registryAddress, 0n, zero, { op: "changeOwner", newOwner: stranger.address });
      // A junk (v, r, s) for which the raw precompile answers no address, which Solidity's ecrecover turns into
      // address(0): the owner of identity 0 by default.
      const junk = { v: 27, r: ethers.ZeroHash, s: ethers.toBeHex(1n, 32) };
      expect(await ecrecoverPrecompile(ethers.provider, hash, junk)).to.equal(zero);
      expect(await registry.identityOwner(zero)).to.equal(zero);

      for (const sig of [junk, { v: 0, r: ethers.ZeroHash, s: ethers.ZeroHash }]) {
        await expect(registry.connect(stranger).changeOwnerSigned(zero, sig.v, sig.r, sig.s, stranger.address))
          .to.be.revertedWithCustomError(registry, "InvalidSignature")
          .withArgs(zero);
        await expect(
          registry.connect(stranger).setAttributeSigned(zero, sig.v, sig.r, sig.s, ATTR, VALUE, DAY),
        ).to.be.revertedWithCustomError(registry, "InvalidSignature");
      }
      expect(await registry.owners(zero)).to.equal(zero);
      expect(await registry.changed(zero)).to.equal(0n);
      expect(await registry.nonce(zero)).to.equal(0n);
    });
  });

  describe("on an SM2 deployment", function () {
    it("refuses an EOA owner's secp256k1 legacy signature, which the secp256k1 deployment accepts", async function () {
      const { registry, registryAddress, sm2Registry, sm2RegistryAddress, identity, stranger } =
        await loadFixture(deployFixture);
      const id = identity.address;
      const op = { op: "changeOwner", newOwner: stranger.address } as const;

      const onSm2 = legacySign(identity.privateKey, sm2RegistryAddress, 0n, id, op);
      await expect(sm2Registry.changeOwnerSigned(id, onSm2.v, onSm2.r, onSm2.s, stranger.address))
        .to.be.revertedWithCustomError(sm2Registry, "InvalidSignature")
        .withArgs(id);
      expect(await sm2Registry.identityOwner(id)).to.equal(id);
      expect(await sm2Registry.nonce(id)).to.equal(0n);

      // The same kind of signature on the secp256k1 deployment goes through.
      const onEcdsa = legacySign(identity.privateKey, registryAddress, 0n, id, op);
      await expect(registry.changeOwnerSigned(id, onEcdsa.v, onEcdsa.r, onEcdsa.s, stranger.address))
        .to.emit(registry, "DIDOwnerChanged")
        .withArgs(id, stranger.address, 0n);
    });

    it("accepts an ERC-1271 owner's legacy signature: the wallet decides, and its nonce is used", async function () {
      const { sm2Registry, sm2RegistryAddress, identity, stranger, wallet, walletAddress, walletKey } =
        await loadFixture(deployFixture);
      const id = identity.address;
      await sm2Registry.connect(identity).changeOwner(id, walletAddress);

      const s = legacySign(walletKey.privateKey, sm2RegistryAddress, 0n, id, { op: "setAttribute", name: ATTR, value: VALUE, validity: DAY });
      const tx = sm2Registry.connect(stranger).setAttributeSigned(id, s.v, s.r, s.s, ATTR, VALUE, DAY);
      await expect(tx).to.emit(sm2Registry, "DIDAttributeChanged");
      expect(await sm2Registry.nonce(walletAddress)).to.equal(1n);

      // The wallet refuses another key's signature, so the registry does too.
      const other = legacySign(stranger.privateKey, sm2RegistryAddress, 1n, id, { op: "revokeAttribute", name: ATTR, value: VALUE });
      await expect(sm2Registry.revokeAttributeSigned(id, other.v, other.r, other.s, ATTR, VALUE))
        .to.be.revertedWithCustomError(sm2Registry, "InvalidSignature")
        .withArgs(walletAddress);
      expect(await wallet.owner()).to.equal(walletKey.address);
    });
  });
});

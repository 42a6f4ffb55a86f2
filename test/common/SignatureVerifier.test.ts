import { expect } from "chai";
import { network } from "hardhat";
import { Signature, ZeroAddress, concat, dataSlice, id, toBeHex } from "ethers";
import { PING_TYPES, ping } from "../helpers/ping.js";
import {
  SM2_PRECOMPILE,
  domainOf,
  erc1271SignDigest,
  publicKey64,
  signDigest,
  sm2SignDigest,
  sm2SignTypedData,
  testWallet,
  toHighS,
} from "../helpers/signatures.js";

const { ethers, networkHelpers } = await network.create();

describe("SignatureVerifier (through SignedOperationsMock)", function () {
  async function deployFixture() {
    const [deployer, relayer] = await ethers.getSigners();
    const alice = testWallet("alice");
    const bob = testWallet("bob");

    const ecdsa = await ethers.deployContract("SignedOperationsMock", [false, ZeroAddress]);
    const wallet = await ethers.deployContract("ERC1271WalletMock", [alice.address]);
    // A contract without ERC-1271: it has no `isValidSignature(bytes32,bytes)` and no fallback.
    const notAWallet = await ethers.deployContract("SignedOperationsMock", [false, ZeroAddress]);

    // The SM2 verifier stand-in, at FISCO BCOS's precompile address.
    const sm2VerifierImpl = await ethers.deployContract("SM2VerifierMock");
    await networkHelpers.setCode(SM2_PRECOMPILE, await ethers.provider.getCode(await sm2VerifierImpl.getAddress()));
    const sm2Precompile = await ethers.getContractAt("SM2VerifierMock", SM2_PRECOMPILE);
    const sm2 = await ethers.deployContract("SignedOperationsMock", [false, SM2_PRECOMPILE]);

    const digest = id("trustbase: a digest to sign");
    const otherDigest = id("trustbase: another digest");
    return { deployer, relayer, alice, bob, ecdsa, sm2, wallet, notAWallet, sm2Precompile, digest, otherDigest };
  }

  describe("sm2Verifier", function () {
    it("is zero on a secp256k1 deployment", async function () {
      const { ecdsa } = await networkHelpers.loadFixture(deployFixture);
      expect(await ecdsa.sm2Verifier()).to.equal(ZeroAddress);
    });

    it("is the precompile address on an SM2 deployment", async function () {
      const { sm2 } = await networkHelpers.loadFixture(deployFixture);
      expect(await sm2.sm2Verifier()).to.equal(ethers.getAddress(SM2_PRECOMPILE));
    });
  });

  describe("secp256k1 signers (EOA)", function () {
    it("accepts the signer's signature over the digest", async function () {
      const { ecdsa, alice, digest } = await networkHelpers.loadFixture(deployFixture);
      expect(await ecdsa.isValidSignature(alice.address, digest, signDigest(alice, digest))).to.equal(true);
    });

    it("refuses another key's signature", async function () {
      const { ecdsa, alice, bob, digest } = await networkHelpers.loadFixture(deployFixture);
      expect(await ecdsa.isValidSignature(alice.address, digest, signDigest(bob, digest))).to.equal(false);
    });

    it("refuses the signer's signature over another digest", async function () {
      const { ecdsa, alice, digest, otherDigest } = await networkHelpers.loadFixture(deployFixture);
      expect(await ecdsa.isValidSignature(alice.address, digest, signDigest(alice, otherDigest))).to.equal(false);
    });

    it("is false for the zero address, whatever the signature", async function () {
      const { ecdsa, alice, digest } = await networkHelpers.loadFixture(deployFixture);
      expect(await ecdsa.isValidSignature(ZeroAddress, digest, signDigest(alice, digest))).to.equal(false);
      expect(await ecdsa.isValidSignature(ZeroAddress, digest, concat([ethers.ZeroHash, ethers.ZeroHash, "0x1b"]))).to.equal(
        false,
      );
    });

    it("returns false, without reverting, for signatures of the wrong length", async function () {
      const { ecdsa, alice, digest } = await networkHelpers.loadFixture(deployFixture);
      const signature = signDigest(alice, digest);
      const compact = Signature.from(signature).compactSerialized; // EIP-2098, 64 bytes, valid for alice
      expect(ethers.recoverAddress(digest, compact)).to.equal(alice.address);
      for (const malformed of ["0x", dataSlice(signature, 0, 64), compact, concat([signature, "0x00"]), sm2SignDigest(alice, digest)]) {
        expect(await ecdsa.isValidSignature(alice.address, digest, malformed), malformed).to.equal(false);
      }
    });

    it("refuses the high-s twin that plain ecrecover accepts", async function () {
      const { ecdsa, sm2Precompile, alice, digest } = await networkHelpers.loadFixture(deployFixture);
      const signature = signDigest(alice, digest);
      const twin = toHighS(signature);
      // The twin is genuine: ecrecover (which SM2VerifierMock calls with both v) recovers alice from (r, n - s).
      const [valid, account] = await sm2Precompile.sm2Verify(digest, concat([dataSlice(twin, 0, 64), publicKey64(alice)]));
      expect(valid).to.equal(true);
      expect(account).to.equal(alice.address);

      expect(await ecdsa.isValidSignature(alice.address, digest, twin)).to.equal(false);
    });

    it("refuses v outside {27, 28}", async function () {
      const { ecdsa, alice, digest } = await networkHelpers.loadFixture(deployFixture);
      const signature = signDigest(alice, digest);
      const v = Number(dataSlice(signature, 64));
      const rs = dataSlice(signature, 0, 64);
      expect(await ecdsa.isValidSignature(alice.address, digest, concat([rs, toBeHex(v, 1)]))).to.equal(true);
      for (const badV of [v - 27, v + 2]) {
        expect(await ecdsa.isValidSignature(alice.address, digest, concat([rs, toBeHex(badV, 1)])), `v=${badV}`).to.equal(false);
      }
    });

    it("refuses an all-zero signature", async function () {
      const { ecdsa, alice, digest } = await networkHelpers.loadFixture(deployFixture);
      expect(await ecdsa.isValidSignature(alice.address, digest, concat([ethers.ZeroHash, ethers.ZeroHash, "0x1b"]))).to.equal(false);
    });
  });

  describe("ERC-1271 signers (contract accounts)", function () {
    it("accepts what the account accepts: its owner's signature", async function () {
      const { ecdsa, wallet, alice, digest } = await networkHelpers.loadFixture(deployFixture);
      expect(await ecdsa.isValidSignature(await wallet.getAddress(), digest, erc1271SignDigest(alice, digest))).to.equal(true);
    });

    it("refuses what the account refuses: another key's signature", async function () {
      const { ecdsa, wallet, bob, digest } = await networkHelpers.loadFixture(deployFixture);
      expect(await ecdsa.isValidSignature(await wallet.getAddress(), digest, erc1271SignDigest(bob, digest))).to.equal(false);
    });

    it("refuses the owner's signature over another digest", async function () {
      const { ecdsa, wallet, alice, digest, otherDigest } = await networkHelpers.loadFixture(deployFixture);
      expect(await ecdsa.isValidSignature(await wallet.getAddress(), digest, erc1271SignDigest(alice, otherDigest))).to.equal(
        false,
      );
    });

    it("returns false, without reverting, for a contract that does not implement ERC-1271", async function () {
      const { ecdsa, notAWallet, alice, digest } = await networkHelpers.loadFixture(deployFixture);
      expect(await ecdsa.isValidSignature(await notAWallet.getAddress(), digest, signDigest(alice, digest))).to.equal(false);
    });

    describe("answers from raw contract code", function () {
      // Each stub answers `isValidSignature` with the ERC-1271 magic value 0x1626ba7e in a different way:
      // PUSH4 0x1626ba7e, PUSH1 0xe0, SHL, PUSH1 0, MSTORE, PUSH1 <length>, PUSH1 0, RETURN | REVERT.
      const returnsMagic = "0x631626ba7e60e01b60005260206000f3";
      const returnsShortMagic = "0x631626ba7e60e01b60005260046000f3";
      const revertsWithMagic = "0x631626ba7e60e01b60005260206000fd";
      const stub = "0x00000000000000000000000000000000c0de1271";

      it("accepts a 32-byte magic value (the account decides)", async function () {
        const { ecdsa, bob, digest } = await networkHelpers.loadFixture(deployFixture);
        await networkHelpers.setCode(stub, returnsMagic);
        expect(await ecdsa.isValidSignature(stub, digest, signDigest(bob, digest))).to.equal(true);
      });

      it("refuses, without reverting, a magic value shorter than 32 bytes", async function () {
        const { ecdsa, bob, digest } = await networkHelpers.loadFixture(deployFixture);
        await networkHelpers.setCode(stub, returnsShortMagic);
        expect(await ecdsa.isValidSignature(stub, digest, signDigest(bob, digest))).to.equal(false);
      });

      it("refuses an account that reverts, even with the magic value as revert data", async function () {
        const { ecdsa, bob, digest } = await networkHelpers.loadFixture(deployFixture);
        await networkHelpers.setCode(stub, revertsWithMagic);
        expect(await ecdsa.isValidSignature(stub, digest, signDigest(bob, digest))).to.equal(false);
      });
    });

    it("asks the account, not ecrecover, even on an SM2 deployment", async function () {
      const { sm2, wallet, alice, bob, digest } = await networkHelpers.loadFixture(deployFixture);
      const walletAddress = await wallet.getAddress();
      expect(await sm2.isValidSignature(walletAddress, digest, erc1271SignDigest(alice, digest))).to.equal(true);
      expect(await sm2.isValidSignature(walletAddress, digest, erc1271SignDigest(bob, digest))).to.equal(false);
    });
  });

  describe("SM2 signers (verifier precompile at 0x…100a)", function () {
    it("has the stand-in precompile derive the signer's address from its public key", async function () {
      const { sm2Precompile, alice, digest } = await networkHelpers.loadFixture(deployFixture);
      const signature = sm2SignDigest(alice, digest);
      const [valid, account] = await sm2Precompile.sm2Verify(digest, signature);
      expect(valid).to.equal(true);
      expect(account).to.equal(alice.address);
    });

    it("accepts an SM2-format signature (r || s || public key) by the signer", async function () {
      const { sm2, alice, digest } = await networkHelpers.loadFixture(deployFixture);
      expect(await sm2.isValidSignature(alice.address, digest, sm2SignDigest(alice, digest))).to.equal(true);
    });

    it("refuses the signer's (r, s) carrying another key's public key", async function () {
      const { sm2, alice, bob, digest } = await networkHelpers.loadFixture(deployFixture);
      const forged = sm2SignDigest(alice, digest, bob);
      expect(await sm2.isValidSignature(alice.address, digest, forged)).to.equal(false);
      expect(await sm2.isValidSignature(bob.address, digest, forged)).to.equal(false);
    });

    it("refuses another key's valid SM2 signature: the public key must belong to the signer", async function () {
      const { sm2, sm2Precompile, alice, bob, digest } = await networkHelpers.loadFixture(deployFixture);
      const bobs = sm2SignDigest(bob, digest);
      const [valid, account] = await sm2Precompile.sm2Verify(digest, bobs);
      expect(valid).to.equal(true);
      expect(account).to.equal(bob.address);
      expect(await sm2.isValidSignature(alice.address, digest, bobs)).to.equal(false);
    });

    it("refuses the signer's SM2 signature over another digest", async function () {
      const { sm2, alice, digest, otherDigest } = await networkHelpers.loadFixture(deployFixture);
      expect(await sm2.isValidSignature(alice.address, digest, sm2SignDigest(alice, otherDigest))).to.equal(false);
    });

    it("refuses a 65-byte secp256k1 signature that a secp256k1 deployment accepts", async function () {
      const { sm2, ecdsa, alice, digest } = await networkHelpers.loadFixture(deployFixture);
      const signature = signDigest(alice, digest);
      expect(await ecdsa.isValidSignature(alice.address, digest, signature)).to.equal(true);
      expect(await sm2.isValidSignature(alice.address, digest, signature)).to.equal(false);
    });

    it("returns false, without reverting, for signatures of the wrong length", async function () {
      const { sm2, alice, digest } = await networkHelpers.loadFixture(deployFixture);
      const signature = sm2SignDigest(alice, digest);
      for (const malformed of ["0x", dataSlice(signature, 0, 127), concat([signature, "0x00"])]) {
        expect(await sm2.isValidSignature(alice.address, digest, malformed), malformed).to.equal(false);
      }
    });

    it("is false for the zero address, even when the verifier answers (true, address(0))", async function () {
      const { sm2, sm2Precompile, alice, digest } = await networkHelpers.loadFixture(deployFixture);
      const signature = sm2SignDigest(alice, digest);
      expect(await sm2.isValidSignature(ZeroAddress, digest, signature)).to.equal(false);

      // A lenient verifier: returns abi.encode(true, address(0)) for any input
      // (PUSH1 1, PUSH1 0, MSTORE, PUSH1 0x40, PUSH1 0, RETURN). Only the zero-address guard stops it.
      await networkHelpers.setCode(SM2_PRECOMPILE, "0x600160005260406000f3");
      const [valid, account] = await sm2Precompile.sm2Verify(digest, "0x");
      expect(valid).to.equal(true);
      expect(account).to.equal(ZeroAddress);
      expect(await sm2.isValidSignature(ZeroAddress, digest, signature)).to.equal(false);
      expect(await sm2.isValidSignature(alice.address, digest, signature)).to.equal(false);
    });

    it("returns false, without reverting, when no verifier answers at the precompile address", async function () {
      const { sm2, alice, digest } = await networkHelpers.loadFixture(deployFixture);
      const signature = sm2SignDigest(alice, digest);
      expect(await sm2.isValidSignature(alice.address, digest, signature)).to.equal(true);
      await networkHelpers.setCode(SM2_PRECOMPILE, "0x");
      expect(await sm2.isValidSignature(alice.address, digest, signature)).to.equal(false);
      // A verifier answering with too little data (one word) is refused the same way.
      await networkHelpers.setCode(SM2_PRECOMPILE, "0x600160005260206000f3");
      expect(await sm2.isValidSignature(alice.address, digest, signature)).to.equal(false);
    });

    it("runs a signed operation signed in SM2 format", async function () {
      const { sm2, relayer, alice } = await networkHelpers.loadFixture(deployFixture);
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      const domain = await domainOf(sm2);
      const value = ping(alice.address, 0n, deadline);
      const signature = sm2SignTypedData(alice, domain, PING_TYPES, value);

      await expect(sm2.connect(relayer).pingBySig(alice.address, value.payload, deadline, signature))
        .to.emit(sm2, "Pinged")
        .withArgs(alice.address, value.payload);
      expect(await sm2.nonces(alice.address)).to.equal(1n);
      await expect(sm2.connect(relayer).pingBySig(alice.address, value.payload, deadline, signature))
        .to.be.revertedWithCustomError(sm2, "InvalidSignature")
        .withArgs(alice.address);
    });
  });
});

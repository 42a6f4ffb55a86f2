import { expect } from "chai";
import { network } from "hardhat";
import { ZeroAddress, id } from "ethers";
import type { TypedDataDomain } from "ethers";
import { PING_TYPE, PING_TYPES, ping } from "../helpers/ping.js";
import type { Ping } from "../helpers/ping.js";
import {
  domainOf,
  domainSeparator,
  erc1271SignTypedData,
  isHighS,
  signTypedData,
  testWallet,
  toHighS,
  typedDataDigest,
} from "../helpers/signatures.js";

const { ethers, networkHelpers } = await network.create();

describe("SignedOperations (through SignedOperationsMock)", function () {
  async function deployFixture() {
    const [deployer, relayer, stranger] = await ethers.getSigners();
    const alice = testWallet("alice");
    const bob = testWallet("bob");
    const mock = await ethers.deployContract("SignedOperationsMock", [false, ZeroAddress]);
    const otherMock = await ethers.deployContract("SignedOperationsMock", [false, ZeroAddress]);
    const wallet = await ethers.deployContract("ERC1271WalletMock", [alice.address]);
    const domain = await domainOf(mock);
    const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
    return { deployer, relayer, stranger, alice, bob, mock, otherMock, wallet, domain, deadline };
  }

  describe("eip712Domain", function () {
    it("is the mock's name and version, bound to the chain and the contract", async function () {
      const { mock } = await networkHelpers.loadFixture(deployFixture);
      const { chainId } = await ethers.provider.getNetwork();
      const [fields, name, version, domainChainId, verifyingContract, salt, extensions] = await mock.eip712Domain();
      expect(fields).to.equal("0x0f");
      expect(name).to.equal("SignedOperationsMock");
      expect(version).to.equal("1");
      expect(domainChainId).to.equal(chainId);
      expect(verifyingContract).to.equal(await mock.getAddress());
      expect(salt).to.equal(ethers.ZeroHash);
      expect(extensions).to.deep.equal([]);
    });

    it("gives two instances different domains", async function () {
      const { mock, otherMock } = await networkHelpers.loadFixture(deployFixture);
      expect(domainSeparator(await domainOf(mock))).to.not.equal(domainSeparator(await domainOf(otherMock)));
    });

    it("declares the Ping type hash the helpers sign", async function () {
      const { mock } = await networkHelpers.loadFixture(deployFixture);
      expect(await mock.PING_TYPEHASH()).to.equal(id(PING_TYPE));
    });
  });

  describe("nonces", function () {
    it("starts at zero for every account", async function () {
      const { mock, alice, relayer } = await networkHelpers.loadFixture(deployFixture);
      expect(await mock.nonces(alice.address)).to.equal(0n);
      expect(await mock.nonces(relayer.address)).to.equal(0n);
    });
  });

  describe("pingBySig", function () {
    async function submit(
      mock: Awaited<ReturnType<typeof deployFixture>>["mock"],
      value: Ping,
      signature: string,
      sender?: Awaited<ReturnType<typeof deployFixture>>["relayer"],
    ) {
      const connected = sender === undefined ? mock : mock.connect(sender);
      return connected.pingBySig(value.signer, value.payload, value.deadline, signature);
    }

    describe("valid signatures", function () {
      it("runs an operation relayed by another account and consumes the signer's nonce", async function () {
        const { mock, relayer, alice, domain, deadline } = await networkHelpers.loadFixture(deployFixture);
        const value = ping(alice.address, 0n, deadline, id("hello"));
        const signature = await signTypedData(alice, domain, PING_TYPES, value);

        expect(await mock.nonces(alice.address)).to.equal(0n);
        await expect(submit(mock, value, signature, relayer))
          .to.emit(mock, "Pinged")
          .withArgs(alice.address, id("hello"));
        expect(await mock.nonces(alice.address)).to.equal(1n);
        // The relayer's own nonce is untouched: msg.sender plays no part.
        expect(await mock.nonces(relayer.address)).to.equal(0n);
      });

      it("accepts the same operation whoever relays it", async function () {
        const { mock, stranger, alice, domain, deadline } = await networkHelpers.loadFixture(deployFixture);
        const value = ping(alice.address, 0n, deadline);
        const signature = await signTypedData(alice, domain, PING_TYPES, value);

        await expect(submit(mock, value, signature, stranger))
          .to.emit(mock, "Pinged")
          .withArgs(alice.address, value.payload);
        expect(await mock.nonces(alice.address)).to.equal(1n);
        expect(await mock.nonces(stranger.address)).to.equal(0n);
      });

      it("takes the signer's nonces in order, one per operation", async function () {
        const { mock, relayer, alice, domain, deadline } = await networkHelpers.loadFixture(deployFixture);
        for (const nonce of [0n, 1n, 2n]) {
          const value = ping(alice.address, nonce, deadline, id(`ping ${nonce}`));
          const signature = await signTypedData(alice, domain, PING_TYPES, value);
          await expect(submit(mock, value, signature, relayer))
            .to.emit(mock, "Pinged")
            .withArgs(alice.address, id(`ping ${nonce}`));
          expect(await mock.nonces(alice.address)).to.equal(nonce + 1n);
        }
      });

      it("keeps each signer's nonce separate", async function () {
        const { mock, relayer, alice, bob, domain, deadline } = await networkHelpers.loadFixture(deployFixture);
        const value = ping(bob.address, 0n, deadline);
        await submit(mock, value, await signTypedData(bob, domain, PING_TYPES, value), relayer);
        expect(await mock.nonces(bob.address)).to.equal(1n);
        expect(await mock.nonces(alice.address)).to.equal(0n);
      });

      it("accepts a deadline equal to the block time", async function () {
        const { mock, relayer, alice, domain } = await networkHelpers.loadFixture(deployFixture);
        const at = BigInt(await networkHelpers.time.latest()) + 100n;
        const value = ping(alice.address, 0n, at);
        const signature = await signTypedData(alice, domain, PING_TYPES, value);

        await networkHelpers.time.setNextBlockTimestamp(at);
        await expect(submit(mock, value, signature, relayer)).to.emit(mock, "Pinged").withArgs(alice.address, value.payload);
      });
    });

    describe("replay", function () {
      it("refuses the same signature twice: the nonce has moved", async function () {
        const { mock, relayer, alice, domain, deadline } = await networkHelpers.loadFixture(deployFixture);
        const value = ping(alice.address, 0n, deadline);
        const signature = await signTypedData(alice, domain, PING_TYPES, value);
        await submit(mock, value, signature, relayer);

        await expect(submit(mock, value, signature, relayer))
          .to.be.revertedWithCustomError(mock, "InvalidSignature")
          .withArgs(alice.address);
        expect(await mock.nonces(alice.address)).to.equal(1n);
      });

      it("refuses a signature over a nonce not yet reached", async function () {
        const { mock, relayer, alice, domain, deadline } = await networkHelpers.loadFixture(deployFixture);
        const value = ping(alice.address, 1n, deadline);
        const signature = await signTypedData(alice, domain, PING_TYPES, value);

        await expect(submit(mock, value, signature, relayer))
          .to.be.revertedWithCustomError(mock, "InvalidSignature")
          .withArgs(alice.address);
        expect(await mock.nonces(alice.address)).to.equal(0n);
      });
    });

    describe("deadline", function () {
      it("refuses an expired signature with the deadline and the current time", async function () {
        const { mock, relayer, alice, domain } = await networkHelpers.loadFixture(deployFixture);
        const deadline = BigInt(await networkHelpers.time.latest()) + 100n;
        const value = ping(alice.address, 0n, deadline);
        const signature = await signTypedData(alice, domain, PING_TYPES, value);

        await networkHelpers.time.setNextBlockTimestamp(deadline + 1n);
        await expect(submit(mock, value, signature, relayer))
          .to.be.revertedWithCustomError(mock, "SignatureExpired")
          .withArgs(deadline, deadline + 1n);
        expect(await mock.nonces(alice.address)).to.equal(0n);
      });

      it("checks the deadline before the signature", async function () {
        const { mock, relayer, alice, bob, domain } = await networkHelpers.loadFixture(deployFixture);
        const deadline = BigInt(await networkHelpers.time.latest()) - 1n;
        const value = ping(alice.address, 0n, deadline);
        const signature = await signTypedData(bob, domain, PING_TYPES, value);

        const next = BigInt(await networkHelpers.time.latest()) + 1n;
        await networkHelpers.time.setNextBlockTimestamp(next);
        await expect(submit(mock, value, signature, relayer))
          .to.be.revertedWithCustomError(mock, "SignatureExpired")
          .withArgs(deadline, next);
      });

      it("refuses a signature whose deadline was changed after signing", async function () {
        const { mock, relayer, alice, domain, deadline } = await networkHelpers.loadFixture(deployFixture);
        const value = ping(alice.address, 0n, deadline);
        const signature = await signTypedData(alice, domain, PING_TYPES, value);

        await expect(submit(mock, { ...value, deadline: deadline + 1n }, signature, relayer))
          .to.be.revertedWithCustomError(mock, "InvalidSignature")
          .withArgs(alice.address);
      });
    });

    describe("domain binding", function () {
      it("refuses a signature made for another chain id", async function () {
        const { mock, relayer, alice, domain, deadline } = await networkHelpers.loadFixture(deployFixture);
        const foreign: TypedDataDomain = { ...domain, chainId: BigInt(domain.chainId!) + 1n };
        const value = ping(alice.address, 0n, deadline);
        const signature = await signTypedData(alice, foreign, PING_TYPES, value);

        await expect(submit(mock, value, signature, relayer))
          .to.be.revertedWithCustomError(mock, "InvalidSignature")
          .withArgs(alice.address);
        expect(await mock.nonces(alice.address)).to.equal(0n);
      });

      it("refuses a signature made for another contract, which that contract accepts", async function () {
        const { mock, otherMock, relayer, alice, deadline } = await networkHelpers.loadFixture(deployFixture);
        const value = ping(alice.address, 0n, deadline);
        const signature = await signTypedData(alice, await domainOf(otherMock), PING_TYPES, value);

        await expect(submit(mock, value, signature, relayer))
          .to.be.revertedWithCustomError(mock, "InvalidSignature")
          .withArgs(alice.address);
        await expect(submit(otherMock, value, signature, relayer))
          .to.emit(otherMock, "Pinged")
          .withArgs(alice.address, value.payload);
      });

      it("refuses a signature made under another domain version", async function () {
        const { mock, relayer, alice, domain, deadline } = await networkHelpers.loadFixture(deployFixture);
        const value = ping(alice.address, 0n, deadline);
        const signature = await signTypedData(alice, { ...domain, version: "2" }, PING_TYPES, value);

        await expect(submit(mock, value, signature, relayer))
          .to.be.revertedWithCustomError(mock, "InvalidSignature")
          .withArgs(alice.address);
      });
    });

    describe("signer binding", function () {
      it("refuses another account's signature", async function () {
        const { mock, relayer, alice, bob, domain, deadline } = await networkHelpers.loadFixture(deployFixture);
        const value = ping(alice.address, 0n, deadline);
        const signature = await signTypedData(bob, domain, PING_TYPES, value);

        await expect(submit(mock, value, signature, relayer))
          .to.be.revertedWithCustomError(mock, "InvalidSignature")
          .withArgs(alice.address);
      });

      it("refuses a signature whose payload was changed after signing", async function () {
        const { mock, relayer, alice, domain, deadline } = await networkHelpers.loadFixture(deployFixture);
        const value = ping(alice.address, 0n, deadline, id("signed"));
        const signature = await signTypedData(alice, domain, PING_TYPES, value);

        await expect(submit(mock, { ...value, payload: id("tampered") }, signature, relayer))
          .to.be.revertedWithCustomError(mock, "InvalidSignature")
          .withArgs(alice.address);
      });

      it("refuses the zero address as signer", async function () {
        const { mock, relayer, alice, domain, deadline } = await networkHelpers.loadFixture(deployFixture);
        const value = ping(ZeroAddress, 0n, deadline);
        const signature = await signTypedData(alice, domain, PING_TYPES, value);

        await expect(submit(mock, value, signature, relayer))
          .to.be.revertedWithCustomError(mock, "InvalidSignature")
          .withArgs(ZeroAddress);
      });

      it("refuses an empty signature", async function () {
        const { mock, relayer, alice, deadline } = await networkHelpers.loadFixture(deployFixture);
        await expect(submit(mock, ping(alice.address, 0n, deadline), "0x", relayer))
          .to.be.revertedWithCustomError(mock, "InvalidSignature")
          .withArgs(alice.address);
      });
    });

    describe("malleability", function () {
      it("refuses the high-s twin of a valid signature, and the original still works", async function () {
        const { mock, relayer, alice, domain, deadline } = await networkHelpers.loadFixture(deployFixture);
        const value = ping(alice.address, 0n, deadline);
        const signature = await signTypedData(alice, domain, PING_TYPES, value);
        const twin = toHighS(signature);
        expect(isHighS(signature)).to.equal(false);
        expect(isHighS(twin)).to.equal(true);
        // The twin is a genuine signature for alice under plain ecrecover (shown in SignatureVerifier.test.ts).
        expect(ethers.recoverAddress(typedDataDigest(domain, PING_TYPES, value), signature)).to.equal(alice.address);

        await expect(submit(mock, value, twin, relayer))
          .to.be.revertedWithCustomError(mock, "InvalidSignature")
          .withArgs(alice.address);
        expect(await mock.nonces(alice.address)).to.equal(0n);
        await expect(submit(mock, value, signature, relayer)).to.emit(mock, "Pinged").withArgs(alice.address, value.payload);
      });
    });

    describe("ERC-1271 signers", function () {
      it("accepts a contract account's signature and consumes the account's nonce", async function () {
        const { mock, relayer, alice, wallet, domain, deadline } = await networkHelpers.loadFixture(deployFixture);
        const walletAddress = await wallet.getAddress();
        const value = ping(walletAddress, 0n, deadline);
        const signature = erc1271SignTypedData(alice, domain, PING_TYPES, value);

        await expect(submit(mock, value, signature, relayer))
          .to.emit(mock, "Pinged")
          .withArgs(walletAddress, value.payload);
        expect(await mock.nonces(walletAddress)).to.equal(1n);
        // The owner's key signed, but the operation and its nonce are the wallet's.
        expect(await mock.nonces(alice.address)).to.equal(0n);
      });

      it("refuses a signature by a key that does not own the contract account", async function () {
        const { mock, relayer, bob, wallet, domain, deadline } = await networkHelpers.loadFixture(deployFixture);
        const walletAddress = await wallet.getAddress();
        const value = ping(walletAddress, 0n, deadline);
        const signature = erc1271SignTypedData(bob, domain, PING_TYPES, value);

        await expect(submit(mock, value, signature, relayer))
          .to.be.revertedWithCustomError(mock, "InvalidSignature")
          .withArgs(walletAddress);
        expect(await mock.nonces(walletAddress)).to.equal(0n);
      });

      it("refuses a replayed contract-account signature", async function () {
        const { mock, relayer, alice, wallet, domain, deadline } = await networkHelpers.loadFixture(deployFixture);
        const walletAddress = await wallet.getAddress();
        const value = ping(walletAddress, 0n, deadline);
        const signature = erc1271SignTypedData(alice, domain, PING_TYPES, value);
        await submit(mock, value, signature, relayer);

        await expect(submit(mock, value, signature, relayer))
          .to.be.revertedWithCustomError(mock, "InvalidSignature")
          .withArgs(walletAddress);
      });
    });
  });
});

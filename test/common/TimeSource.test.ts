import { expect } from "chai";
import { network } from "hardhat";
import { ZeroAddress } from "ethers";
import { PING_TYPES, ping } from "../helpers/ping.js";
import { domainOf, signTypedData, testWallet } from "../helpers/signatures.js";

/** A date in 2027, in seconds, and the same instant as a FISCO BCOS (< 3.12) millisecond timestamp. */
const SECONDS = 1_800_000_000n;
const MILLISECONDS = SECONDS * 1000n;

// One chain per mode: once block timestamps count milliseconds, every later block is in the year 57000.
const secondsChain = await network.create();
const millisecondsChain = await network.create();

describe("TimeSource (through SignedOperationsMock)", function () {
  describe("seconds mode", function () {
    const { ethers, networkHelpers } = secondsChain;

    async function deployFixture() {
      const mock = await ethers.deployContract("SignedOperationsMock", [false, ZeroAddress]);
      return { mock };
    }

    describe("timestampInMilliseconds", function () {
      it("is false", async function () {
        const { mock } = await networkHelpers.loadFixture(deployFixture);
        expect(await mock.timestampInMilliseconds()).to.equal(false);
      });
    });

    describe("clock", function () {
      it("is the block timestamp", async function () {
        const { mock } = await networkHelpers.loadFixture(deployFixture);
        const latest = BigInt(await networkHelpers.time.latest());
        expect(await mock.clock()).to.equal(latest);
        expect(await mock.now_()).to.equal(latest);

        await networkHelpers.time.increase(1000);
        expect(await mock.clock()).to.equal(latest + 1000n);
        expect(await mock.now_()).to.equal(latest + 1000n);
      });

      it("is the timestamp of the block that runs the transaction", async function () {
        const { mock } = await networkHelpers.loadFixture(deployFixture);
        const at = BigInt(await networkHelpers.time.latest()) + 500n;
        await networkHelpers.time.setNextBlockTimestamp(at);
        await networkHelpers.mine();
        expect(await mock.clock()).to.equal(at);
      });
    });

    describe("CLOCK_MODE", function () {
      it("declares timestamps (ERC-6372)", async function () {
        const { mock } = await networkHelpers.loadFixture(deployFixture);
        expect(await mock.CLOCK_MODE()).to.equal("mode=timestamp");
      });
    });
  });

  describe("milliseconds mode", function () {
    const { ethers, networkHelpers } = millisecondsChain;

    async function deployFixture() {
      const [deployer, relayer] = await ethers.getSigners();
      const mock = await ethers.deployContract("SignedOperationsMock", [true, ZeroAddress]);
      const alice = testWallet("alice");
      const domain = await domainOf(mock);
      // The chain starts counting in milliseconds, as a FISCO BCOS chain does.
      await networkHelpers.time.setNextBlockTimestamp(MILLISECONDS);
      await networkHelpers.mine();
      return { deployer, relayer, mock, alice, domain };
    }

    describe("timestampInMilliseconds", function () {
      it("is true", async function () {
        const { mock } = await networkHelpers.loadFixture(deployFixture);
        expect(await mock.timestampInMilliseconds()).to.equal(true);
      });
    });

    describe("clock", function () {
      it("converts a millisecond block timestamp to seconds", async function () {
        const { mock } = await networkHelpers.loadFixture(deployFixture);
        expect(BigInt(await networkHelpers.time.latest())).to.equal(MILLISECONDS);
        expect(await mock.clock()).to.equal(SECONDS);
        expect(await mock.now_()).to.equal(SECONDS);
      });

      it("rounds down: the second changes on the thousandth millisecond", async function () {
        const { mock } = await networkHelpers.loadFixture(deployFixture);
        await networkHelpers.time.setNextBlockTimestamp(MILLISECONDS + 999n);
        await networkHelpers.mine();
        expect(await mock.clock()).to.equal(SECONDS);
        await networkHelpers.time.setNextBlockTimestamp(MILLISECONDS + 1000n);
        await networkHelpers.mine();
        expect(await mock.clock()).to.equal(SECONDS + 1n);
      });
    });

    describe("CLOCK_MODE", function () {
      it("still declares timestamps in seconds", async function () {
        const { mock } = await networkHelpers.loadFixture(deployFixture);
        expect(await mock.CLOCK_MODE()).to.equal("mode=timestamp");
      });
    });

    describe("signed-operation deadlines", function () {
      it("compares a deadline in seconds with the time in seconds", async function () {
        const { mock, relayer, alice, domain } = await networkHelpers.loadFixture(deployFixture);
        const deadline = SECONDS + 10n;
        const value = ping(alice.address, 0n, deadline);
        const signature = await signTypedData(alice, domain, PING_TYPES, value);

        // Last millisecond of the deadline's second: still in time.
        await networkHelpers.time.setNextBlockTimestamp(deadline * 1000n + 999n);
        await expect(mock.connect(relayer).pingBySig(alice.address, value.payload, deadline, signature))
          .to.emit(mock, "Pinged")
          .withArgs(alice.address, value.payload);
      });

      it("refuses one second past the deadline, reporting seconds", async function () {
        const { mock, relayer, alice, domain } = await networkHelpers.loadFixture(deployFixture);
        const deadline = SECONDS + 10n;
        const value = ping(alice.address, 0n, deadline);
        const signature = await signTypedData(alice, domain, PING_TYPES, value);

        await networkHelpers.time.setNextBlockTimestamp((deadline + 1n) * 1000n);
        await expect(mock.connect(relayer).pingBySig(alice.address, value.payload, deadline, signature))
          .to.be.revertedWithCustomError(mock, "SignatureExpired")
          .withArgs(deadline, deadline + 1n);
      });

      it("reads every deadline as seconds: a millisecond value is a far-future deadline", async function () {
        // Already passed if it were milliseconds; as seconds it is in the year 57000, so the operation runs.
        // Pins the unit down: signers must write deadlines in seconds on every chain.
        const { mock, relayer, alice, domain } = await networkHelpers.loadFixture(deployFixture);
        const msDeadline = MILLISECONDS - 1n; // already passed, as milliseconds
        const value = ping(alice.address, 0n, msDeadline);
        const signature = await signTypedData(alice, domain, PING_TYPES, value);
        await expect(mock.connect(relayer).pingBySig(alice.address, value.payload, msDeadline, signature))
          .to.emit(mock, "Pinged")
          .withArgs(alice.address, value.payload);
      });
    });
  });
});

import { expect } from "chai";
import { network } from "hardhat";
import { Roles } from "../../deploy/roles.js";

/**
 * TrustAccessManager: OpenZeppelin's AccessManager whose one-week expiry and five-day minimum setback mean real
 * time on chains whose `block.timestamp` counts milliseconds. This chain's clock is moved to millisecond values
 * (as FISCO BCOS before 3.12 reports them) for the millisecond cases.
 */
const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;

const WEEK = 7n * 24n * 3600n;
const FIVE_DAYS = 5n * 24n * 3600n;
const OPERATOR = 5n; // a role id no deployment uses, for the scheduled grant

async function deploy(millisecondTimestamps: boolean) {
  const [admin, delayedAdmin, beneficiary, stranger] = await ethers.getSigners();
  const manager = await ethers.deployContract("TrustAccessManager", [admin.address, millisecondTimestamps]);
  return { manager, admin, delayedAdmin, beneficiary, stranger };
}

/** `delayedAdmin` becomes an admin whose calls wait `delay` (chain units) and schedules a grant of OPERATOR. */
async function scheduleGrant(millisecondTimestamps: boolean, delay: bigint) {
  const f = await deploy(millisecondTimestamps);
  await f.manager.grantRole(Roles.ADMIN, f.delayedAdmin.address, delay);
  const data = f.manager.interface.encodeFunctionData("grantRole", [OPERATOR, f.beneficiary.address, 0]);
  const target = await f.manager.getAddress();
  await f.manager.connect(f.delayedAdmin).schedule(target, data, 0);
  const id = await f.manager.hashOperation(f.delayedAdmin.address, target, data);
  return { ...f, data, target, id, readyAt: await f.manager.getSchedule(id) };
}

describe("TrustAccessManager", function () {
  it("keeps OpenZeppelin's periods on a chain counting seconds", async function () {
    const { manager, admin } = await deploy(false);
    expect(await manager.expiration()).to.equal(WEEK);
    expect(await manager.minSetback()).to.equal(FIVE_DAYS);
    expect(await manager.timestampInMilliseconds()).to.equal(false);
    expect(await manager.hasRole(Roles.ADMIN, admin.address)).to.deep.equal([true, 0n]);
  });

  it("counts one week and five days in milliseconds on a chain counting milliseconds", async function () {
    const { manager } = await deploy(true);
    expect(await manager.expiration()).to.equal(WEEK * 1000n);
    expect(await manager.minSetback()).to.equal(FIVE_DAYS * 1000n);
    expect(await manager.timestampInMilliseconds()).to.equal(true);
  });

  describe("on a millisecond clock", function () {
    before(async function () {
      // From here on this chain's blocks carry millisecond timestamps.
      await time.setNextBlockTimestamp(BigInt(await time.latest()) * 1000n);
      await networkHelpers.mine();
    });

    it("leaves a scheduled operation executable for a week of real time after its delay (not 604.8 s)", async function () {
      const delay = 60_000n; // one minute, in milliseconds
      const { manager, delayedAdmin, beneficiary, target, data, id, readyAt } = await scheduleGrant(true, delay);
      // An hour after it became executable: OpenZeppelin's `1 weeks` (604,800 ms here) would have expired it.
      await time.setNextBlockTimestamp(readyAt + 3600n * 1000n);
      await expect(manager.connect(delayedAdmin).execute(target, data))
        .to.emit(manager, "OperationExecuted")
        .withArgs(id, 1n)
        .and.to.emit(manager, "RoleGranted");
      expect((await manager.hasRole(OPERATOR, beneficiary.address))[0]).to.equal(true);
      expect(await manager.getSchedule(id)).to.equal(0n);
    });

    it("expires a scheduled operation one week of real time after its delay, refusing it afterwards", async function () {
      const { manager, delayedAdmin, beneficiary, target, data, id, readyAt } = await scheduleGrant(true, 60_000n);
      const expiresAt = readyAt + WEEK * 1000n;
      await time.setNextBlockTimestamp(expiresAt - 1n);
      await networkHelpers.mine();
      // Still scheduled one millisecond before the week is over; from the week's end on it is expired.
      expect(await manager.getSchedule(id)).to.equal(readyAt);
      await time.setNextBlockTimestamp(expiresAt);
      await expect(manager.connect(delayedAdmin).execute(target, data))
        .to.be.revertedWithCustomError(manager, "AccessManagerExpired")
        .withArgs(id);
      expect((await manager.hasRole(OPERATOR, beneficiary.address))[0]).to.equal(false);
    });

    it("makes a new admin delay of a target wait five days of real time before it applies (not 432 s)", async function () {
      const { manager, stranger } = await deploy(true);
      const target = stranger.address; // any target: the delay is the manager's own record
      const oneMinute = 60_000n; // milliseconds
      const now = BigInt(await time.latest());
      await time.setNextBlockTimestamp(now + 1000n);
      // The change applies after max(old - new, minSetback): five days of milliseconds, where OpenZeppelin's raw
      // `5 days` would have applied it 432,000 ms (7.2 minutes) later.
      await expect(manager.setTargetAdminDelay(target, oneMinute))
        .to.emit(manager, "TargetAdminDelayUpdated")
        .withArgs(target, oneMinute, now + 1000n + FIVE_DAYS * 1000n);
      await time.setNextBlockTimestamp(now + 1000n + 432_000n);
      await networkHelpers.mine();
      expect(await manager.getTargetAdminDelay(target)).to.equal(0n);
      await time.setNextBlockTimestamp(now + 1000n + FIVE_DAYS * 1000n);
      await networkHelpers.mine();
      expect(await manager.getTargetAdminDelay(target)).to.equal(oneMinute);
    });

    it("refuses a stranger's schedule with OpenZeppelin's error, leaving nothing scheduled", async function () {
      const { manager, stranger, beneficiary } = await deploy(true);
      const target = await manager.getAddress();
      const data = manager.interface.encodeFunctionData("grantRole", [OPERATOR, beneficiary.address, 0]);
      await expect(manager.connect(stranger).schedule(target, data, 0))
        .to.be.revertedWithCustomError(manager, "AccessManagerUnauthorizedCall")
        .withArgs(stranger.address, target, data.slice(0, 10));
      expect(await manager.getSchedule(await manager.hashOperation(stranger.address, target, data))).to.equal(0n);
    });
  });
});

import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { network } from "hardhat";
import GovernanceModule from "../../deploy/modules/Governance.js";
import { Roles } from "../../deploy/roles.js";
import { moduleName, selectors } from "../../deploy/lib.js";

const { ethers, ignition, networkHelpers } = await network.create();

const TWO_DAYS = 2n * 24n * 3600n;
const ACCESS_MANAGER = moduleName("AccessManager");
const [REGISTER, REMOVE] = selectors("register(bytes32,address,uint64)", "remove(bytes32)");

async function typed(deployed: { accessManager: { getAddress(): Promise<string> }; directory: { getAddress(): Promise<string> } }) {
  return {
    accessManager: await ethers.getContractAt("AccessManager", await deployed.accessManager.getAddress()),
    directory: await ethers.getContractAt("TrustDirectory", await deployed.directory.getAddress()),
  };
}

describe("Governance (Ignition module)", function () {
  /** Every role held by a different account, as in production. */
  async function separateHoldersFixture() {
    const [deployer, upgrader, guardian, stranger] = await ethers.getSigners();
    const deployed = await ignition.deploy(GovernanceModule, {
      parameters: { Governance: { upgradeDelay: 3600, upgrader: upgrader.address, guardian: guardian.address } },
    });
    return { deployer, upgrader, guardian, stranger, ...(await typed(deployed)) };
  }

  /** No parameters: the deployer holds everything, upgrades wait two days. */
  async function defaultsFixture() {
    const [deployer, , , stranger] = await ethers.getSigners();
    const deployed = await ignition.deploy(GovernanceModule);
    return { deployer, stranger, ...(await typed(deployed)) };
  }

  describe("AccessManager", function () {
    it("makes the deployer its admin, with no execution delay", async function () {
      const { accessManager, deployer, upgrader, guardian } = await networkHelpers.loadFixture(separateHoldersFixture);
      expect(await accessManager.hasRole(Roles.ADMIN, deployer.address)).to.deep.equal([true, 0n]);
      expect(await accessManager.hasRole(Roles.ADMIN, upgrader.address)).to.deep.equal([false, 0n]);
      expect(await accessManager.hasRole(Roles.ADMIN, guardian.address)).to.deep.equal([false, 0n]);
    });

    it("labels the suite's roles", async function () {
      const { accessManager } = await networkHelpers.loadFixture(separateHoldersFixture);
      const labels = await accessManager.queryFilter(accessManager.filters.RoleLabel());
      expect(labels.map((log) => [log.args.roleId, log.args.label])).to.have.deep.members([
        [Roles.UPGRADER, "UPGRADER"],
        [Roles.GUARDIAN, "GUARDIAN"],
        [Roles.DIRECTORY_EDITOR, "DIRECTORY_EDITOR"],
        [Roles.TOPIC_ADMIN, "TOPIC_ADMIN"],
      ]);
      expect(labels).to.have.length(4);
    });

    it("grants UPGRADER to the upgrader with the upgrade delay as execution delay", async function () {
      const { accessManager, deployer, upgrader } = await networkHelpers.loadFixture(separateHoldersFixture);
      expect(await accessManager.hasRole(Roles.UPGRADER, upgrader.address)).to.deep.equal([true, 3600n]);
      expect(await accessManager.hasRole(Roles.UPGRADER, deployer.address)).to.deep.equal([false, 0n]);
    });

    it("grants GUARDIAN to the guardian and makes it UPGRADER's guardian", async function () {
      const { accessManager, deployer, guardian } = await networkHelpers.loadFixture(separateHoldersFixture);
      expect(await accessManager.hasRole(Roles.GUARDIAN, guardian.address)).to.deep.equal([true, 0n]);
      expect(await accessManager.hasRole(Roles.GUARDIAN, deployer.address)).to.deep.equal([false, 0n]);
      expect(await accessManager.getRoleGuardian(Roles.UPGRADER)).to.equal(Roles.GUARDIAN);
      expect(await accessManager.getRoleAdmin(Roles.UPGRADER)).to.equal(Roles.ADMIN);
    });

    it("grants DIRECTORY_EDITOR to the deployer, and TOPIC_ADMIN to nobody", async function () {
      const { accessManager, deployer, upgrader, guardian } = await networkHelpers.loadFixture(separateHoldersFixture);
      expect(await accessManager.hasRole(Roles.DIRECTORY_EDITOR, deployer.address)).to.deep.equal([true, 0n]);
      for (const account of [deployer, upgrader, guardian]) {
        expect(await accessManager.hasRole(Roles.TOPIC_ADMIN, account.address)).to.deep.equal([false, 0n]);
      }
    });

    it("grants exactly these roles and no others", async function () {
      const { accessManager, deployer, upgrader, guardian } = await networkHelpers.loadFixture(separateHoldersFixture);
      const grants = await accessManager.queryFilter(accessManager.filters.RoleGranted());
      expect(grants.map((log) => [log.args.roleId, log.args.account, log.args.delay, log.args.newMember])).to.have.deep.members([
        [Roles.ADMIN, deployer.address, 0n, true],
        [Roles.UPGRADER, upgrader.address, 3600n, true],
        [Roles.GUARDIAN, guardian.address, 0n, true],
        [Roles.DIRECTORY_EDITOR, deployer.address, 0n, true],
        // The deployer's own editor grant for the deployment (a repeat here: the editor defaults to it).
        [Roles.DIRECTORY_EDITOR, deployer.address, 0n, false],
      ]);
      expect(grants).to.have.length(5);
    });

    it("refuses role changes from anyone but the admin", async function () {
      const { accessManager, upgrader, stranger } = await networkHelpers.loadFixture(separateHoldersFixture);
      for (const caller of [stranger, upgrader]) {
        await expect(accessManager.connect(caller).grantRole(Roles.UPGRADER, caller.address, 0))
          .to.be.revertedWithCustomError(accessManager, "AccessManagerUnauthorizedAccount")
          .withArgs(caller.address, Roles.ADMIN);
      }
    });
  });

  describe("TrustDirectory", function () {
    it("is governed by the AccessManager", async function () {
      const { accessManager, directory } = await networkHelpers.loadFixture(separateHoldersFixture);
      expect(await directory.authority()).to.equal(await accessManager.getAddress());
    });

    it("gives register and remove to DIRECTORY_EDITOR", async function () {
      const { accessManager, directory } = await networkHelpers.loadFixture(separateHoldersFixture);
      const target = await directory.getAddress();
      expect(await accessManager.getTargetFunctionRole(target, REGISTER)).to.equal(Roles.DIRECTORY_EDITOR);
      expect(await accessManager.getTargetFunctionRole(target, REMOVE)).to.equal(Roles.DIRECTORY_EDITOR);
      expect(await accessManager.isTargetClosed(target)).to.equal(false);
    });

    it("lists the AccessManager, version 1, and nothing else", async function () {
      const { accessManager, directory } = await networkHelpers.loadFixture(separateHoldersFixture);
      expect(await directory.moduleOf(ACCESS_MANAGER)).to.deep.equal([await accessManager.getAddress(), 1n]);
      const [names, entries] = await directory.modules();
      expect(names).to.deep.equal([ACCESS_MANAGER]);
      expect(entries).to.have.length(1);
      expect(entries[0].module).to.equal(await accessManager.getAddress());
      expect(entries[0].version).to.equal(1n);
      expect(entries[0].updatedAt).to.be.greaterThan(0n);
    });

    it("refuses register to accounts without DIRECTORY_EDITOR", async function () {
      const { accessManager, directory, upgrader, guardian, stranger } =
        await networkHelpers.loadFixture(separateHoldersFixture);
      for (const caller of [upgrader, guardian, stranger]) {
        await expect(directory.connect(caller).register(moduleName("Anything"), await accessManager.getAddress(), 2))
          .to.be.revertedWithCustomError(directory, "AccessManagedUnauthorized")
          .withArgs(caller.address);
      }
    });
  });

  describe("default parameters", function () {
    it("give every role to the deployer and a two-day upgrade delay", async function () {
      const { accessManager, directory, deployer, stranger } = await networkHelpers.loadFixture(defaultsFixture);
      expect(await accessManager.hasRole(Roles.ADMIN, deployer.address)).to.deep.equal([true, 0n]);
      expect(await accessManager.hasRole(Roles.UPGRADER, deployer.address)).to.deep.equal([true, TWO_DAYS]);
      expect(await accessManager.hasRole(Roles.GUARDIAN, deployer.address)).to.deep.equal([true, 0n]);
      expect(await accessManager.hasRole(Roles.DIRECTORY_EDITOR, deployer.address)).to.deep.equal([true, 0n]);
      expect(await accessManager.hasRole(Roles.UPGRADER, stranger.address)).to.deep.equal([false, 0n]);
      expect(await accessManager.getRoleGuardian(Roles.UPGRADER)).to.equal(Roles.GUARDIAN);
      expect(await directory.moduleOf(ACCESS_MANAGER)).to.deep.equal([await accessManager.getAddress(), 1n]);
    });
  });

  describe("directoryEditor parameter", function () {
    // The deployer keeps DIRECTORY_EDITOR during deployment (every module registers itself); the release
    // operator named here holds it too, and the governance handover removes the deployer's roles.
    it("deploys with a directory editor other than the deployer", async function () {
      const [, , , , editor] = await ethers.getSigners();
      const deployed = await ignition.deploy(GovernanceModule, {
        parameters: { Governance: { upgradeDelay: 3600, directoryEditor: editor.address } },
      });
      const { accessManager, directory } = await typed(deployed);
      expect(await accessManager.hasRole(Roles.DIRECTORY_EDITOR, editor.address)).to.deep.equal([true, 0n]);
      expect(await directory.moduleOf(ACCESS_MANAGER)).to.deep.equal([await accessManager.getAddress(), 1n]);
    });
  });
});

describe("Roles", function () {
  async function accessManagerFixture() {
    const [deployer] = await ethers.getSigners();
    return { accessManager: await ethers.deployContract("AccessManager", [deployer.address]) };
  }

  it("deploy/roles.ts mirrors every constant of contracts/governance/Roles.sol", async function () {
    const source = await readFile(new URL("../../contracts/governance/Roles.sol", import.meta.url), "utf8");
    const parsed: Record<string, bigint> = {};
    for (const [, name, value] of source.matchAll(/uint64 internal constant (\w+) = (.+);/g)) {
      parsed[name] = value.trim() === "type(uint64).max" ? 2n ** 64n - 1n : BigInt(value.trim());
    }
    expect(Object.keys(parsed)).to.have.length.greaterThan(0);
    expect(parsed).to.deep.equal({ ...Roles });
  });

  it("uses AccessManager's own ADMIN and PUBLIC ids", async function () {
    const { accessManager } = await networkHelpers.loadFixture(accessManagerFixture);
    expect(await accessManager.ADMIN_ROLE()).to.equal(Roles.ADMIN);
    expect(await accessManager.PUBLIC_ROLE()).to.equal(Roles.PUBLIC);
  });
});

import { expect } from "chai";
import { network } from "hardhat";
import { ZeroAddress, ZeroHash } from "ethers";
import type { ContractTransactionResponse } from "ethers";
import GovernanceModule from "../../deploy/modules/Governance.js";
import { Roles } from "../../deploy/roles.js";
import { moduleName } from "../../deploy/lib.js";

const { ethers, ignition, networkHelpers } = await network.create();

const ACCESS_MANAGER = moduleName("AccessManager");
const REGISTRY = moduleName("CredentialRegistry");
const ANCHOR = moduleName("EvidenceAnchor");
const LEDGER = moduleName("RwaLedger");

/** The timestamp of the block that mined `tx`. */
async function minedAt(tx: ContractTransactionResponse): Promise<bigint> {
  const receipt = await tx.wait();
  const block = await ethers.provider.getBlock(receipt!.blockNumber);
  return BigInt(block!.timestamp);
}

describe("TrustDirectory", function () {
  async function deployFixture() {
    const [deployer, editor, guardian, stranger] = await ethers.getSigners();
    const deployed = await ignition.deploy(GovernanceModule, {
      parameters: { Governance: { upgradeDelay: 3600, guardian: guardian.address } },
    });
    const accessManager = await ethers.getContractAt("AccessManager", await deployed.accessManager.getAddress());
    const directory = await ethers.getContractAt("TrustDirectory", await deployed.directory.getAddress());
    // A release operator that holds DIRECTORY_EDITOR and nothing else.
    await accessManager.grantRole(Roles.DIRECTORY_EDITOR, editor.address, 0);

    // Three contracts to stand for modules (anything with code).
    const moduleA = await ethers.deployContract("ERC1271WalletMock", [deployer.address]);
    const moduleB = await ethers.deployContract("ERC1271WalletMock", [editor.address]);
    const moduleC = await ethers.deployContract("ERC1271WalletMock", [guardian.address]);
    return {
      deployer,
      editor,
      guardian,
      stranger,
      accessManager,
      directory,
      moduleA: await moduleA.getAddress(),
      moduleB: await moduleB.getAddress(),
      moduleC: await moduleC.getAddress(),
    };
  }

  describe("authority", function () {
    it("is the suite's AccessManager", async function () {
      const { directory, accessManager } = await networkHelpers.loadFixture(deployFixture);
      expect(await directory.authority()).to.equal(await accessManager.getAddress());
    });
  });

  describe("register", function () {
    it("registers a new module with its version and the block time", async function () {
      const { directory, editor, moduleA } = await networkHelpers.loadFixture(deployFixture);
      expect(await directory.entryOf(REGISTRY)).to.deep.equal([ZeroAddress, 0n, 0n]);

      const tx = await directory.connect(editor).register(REGISTRY, moduleA, 1);
      await expect(tx).to.emit(directory, "ModuleRegistered").withArgs(REGISTRY, moduleA, 1n, ZeroAddress);
      const at = await minedAt(tx);

      expect(await directory.moduleOf(REGISTRY)).to.deep.equal([moduleA, 1n]);
      expect(await directory.entryOf(REGISTRY)).to.deep.equal([moduleA, 1n, at]);
    });

    it("points a name at a new module with a higher version, reporting the previous module", async function () {
      const { directory, editor, moduleA, moduleB } = await networkHelpers.loadFixture(deployFixture);
      await directory.connect(editor).register(REGISTRY, moduleA, 1);

      await networkHelpers.time.increase(100);
      const tx = await directory.connect(editor).register(REGISTRY, moduleB, 7);
      await expect(tx).to.emit(directory, "ModuleRegistered").withArgs(REGISTRY, moduleB, 7n, moduleA);

      expect(await directory.moduleOf(REGISTRY)).to.deep.equal([moduleB, 7n]);
      expect(await directory.entryOf(REGISTRY)).to.deep.equal([moduleB, 7n, await minedAt(tx)]);
      const [names] = await directory.modules();
      expect(names).to.deep.equal([ACCESS_MANAGER, REGISTRY]);
    });

    it("accepts the same address with a higher version (an upgraded proxy)", async function () {
      const { directory, editor, moduleA } = await networkHelpers.loadFixture(deployFixture);
      await directory.connect(editor).register(REGISTRY, moduleA, 1);

      await expect(directory.connect(editor).register(REGISTRY, moduleA, 2))
        .to.emit(directory, "ModuleRegistered")
        .withArgs(REGISTRY, moduleA, 2n, moduleA);
      expect(await directory.moduleOf(REGISTRY)).to.deep.equal([moduleA, 2n]);
    });

    it("accepts the largest version", async function () {
      const { directory, editor, moduleA } = await networkHelpers.loadFixture(deployFixture);
      const max = 2n ** 64n - 1n;
      await expect(directory.connect(editor).register(REGISTRY, moduleA, max))
        .to.emit(directory, "ModuleRegistered")
        .withArgs(REGISTRY, moduleA, max, ZeroAddress);
      await expect(directory.connect(editor).register(REGISTRY, moduleA, max))
        .to.be.revertedWithCustomError(directory, "DirectoryVersionNotIncreasing")
        .withArgs(REGISTRY, max, max);
    });

    describe("versions", function () {
      it("refuses version 0 for a new name", async function () {
        const { directory, editor, moduleA } = await networkHelpers.loadFixture(deployFixture);
        await expect(directory.connect(editor).register(REGISTRY, moduleA, 0))
          .to.be.revertedWithCustomError(directory, "DirectoryVersionNotIncreasing")
          .withArgs(REGISTRY, 0n, 0n);
      });

      it("refuses the current version again", async function () {
        const { directory, editor, moduleA, moduleB } = await networkHelpers.loadFixture(deployFixture);
        await directory.connect(editor).register(REGISTRY, moduleA, 3);
        await expect(directory.connect(editor).register(REGISTRY, moduleB, 3))
          .to.be.revertedWithCustomError(directory, "DirectoryVersionNotIncreasing")
          .withArgs(REGISTRY, 3n, 3n);
        expect(await directory.moduleOf(REGISTRY)).to.deep.equal([moduleA, 3n]);
      });

      it("refuses a lower version", async function () {
        const { directory, editor, moduleA, moduleB } = await networkHelpers.loadFixture(deployFixture);
        await directory.connect(editor).register(REGISTRY, moduleA, 3);
        await expect(directory.connect(editor).register(REGISTRY, moduleB, 2))
          .to.be.revertedWithCustomError(directory, "DirectoryVersionNotIncreasing")
          .withArgs(REGISTRY, 3n, 2n);
        expect(await directory.moduleOf(REGISTRY)).to.deep.equal([moduleA, 3n]);
      });

      it("keeps the last version after a removal: re-registration must exceed it", async function () {
        const { directory, editor, moduleA, moduleB } = await networkHelpers.loadFixture(deployFixture);
        await directory.connect(editor).register(REGISTRY, moduleA, 3);
        await directory.connect(editor).remove(REGISTRY);

        await expect(directory.connect(editor).register(REGISTRY, moduleB, 3))
          .to.be.revertedWithCustomError(directory, "DirectoryVersionNotIncreasing")
          .withArgs(REGISTRY, 3n, 3n);
        await expect(directory.connect(editor).register(REGISTRY, moduleB, 1))
          .to.be.revertedWithCustomError(directory, "DirectoryVersionNotIncreasing")
          .withArgs(REGISTRY, 3n, 1n);

        // A higher version comes back, with no previous module (the name was empty).
        await expect(directory.connect(editor).register(REGISTRY, moduleB, 4))
          .to.emit(directory, "ModuleRegistered")
          .withArgs(REGISTRY, moduleB, 4n, ZeroAddress);
        expect(await directory.moduleOf(REGISTRY)).to.deep.equal([moduleB, 4n]);
      });

      it("counts versions per name", async function () {
        const { directory, editor, moduleA, moduleB } = await networkHelpers.loadFixture(deployFixture);
        await directory.connect(editor).register(REGISTRY, moduleA, 5);
        await expect(directory.connect(editor).register(ANCHOR, moduleB, 1))
          .to.emit(directory, "ModuleRegistered")
          .withArgs(ANCHOR, moduleB, 1n, ZeroAddress);
      });
    });

    describe("inputs", function () {
      it("refuses the empty name", async function () {
        const { directory, editor, moduleA } = await networkHelpers.loadFixture(deployFixture);
        await expect(directory.connect(editor).register(ZeroHash, moduleA, 1)).to.be.revertedWithCustomError(
          directory,
          "DirectoryEmptyName",
        );
        expect(await directory.entryOf(ZeroHash)).to.deep.equal([ZeroAddress, 0n, 0n]);
      });

      it("refuses an account without code", async function () {
        const { directory, editor, stranger } = await networkHelpers.loadFixture(deployFixture);
        await expect(directory.connect(editor).register(REGISTRY, stranger.address, 1))
          .to.be.revertedWithCustomError(directory, "DirectoryNotAContract")
          .withArgs(REGISTRY, stranger.address);
        await expect(directory.connect(editor).register(REGISTRY, ZeroAddress, 1))
          .to.be.revertedWithCustomError(directory, "DirectoryNotAContract")
          .withArgs(REGISTRY, ZeroAddress);
        expect(await directory.entryOf(REGISTRY)).to.deep.equal([ZeroAddress, 0n, 0n]);
      });
    });

    describe("access", function () {
      it("refuses an account without a role", async function () {
        const { directory, stranger, moduleA } = await networkHelpers.loadFixture(deployFixture);
        await expect(directory.connect(stranger).register(REGISTRY, moduleA, 1))
          .to.be.revertedWithCustomError(directory, "AccessManagedUnauthorized")
          .withArgs(stranger.address);
        expect(await directory.entryOf(REGISTRY)).to.deep.equal([ZeroAddress, 0n, 0n]);
      });

      it("refuses a holder of another role (the guardian)", async function () {
        const { directory, guardian, moduleA } = await networkHelpers.loadFixture(deployFixture);
        await expect(directory.connect(guardian).register(REGISTRY, moduleA, 1))
          .to.be.revertedWithCustomError(directory, "AccessManagedUnauthorized")
          .withArgs(guardian.address);
      });

      it("refuses the AccessManager admin once it no longer holds DIRECTORY_EDITOR", async function () {
        const { directory, accessManager, deployer, moduleA } = await networkHelpers.loadFixture(deployFixture);
        await accessManager.revokeRole(Roles.DIRECTORY_EDITOR, deployer.address);
        expect(await accessManager.hasRole(Roles.ADMIN, deployer.address)).to.deep.equal([true, 0n]);

        await expect(directory.connect(deployer).register(REGISTRY, moduleA, 1))
          .to.be.revertedWithCustomError(directory, "AccessManagedUnauthorized")
          .withArgs(deployer.address);
      });

      it("refuses an editor whose role was revoked", async function () {
        const { directory, accessManager, editor, moduleA } = await networkHelpers.loadFixture(deployFixture);
        await directory.connect(editor).register(REGISTRY, moduleA, 1);
        await accessManager.revokeRole(Roles.DIRECTORY_EDITOR, editor.address);

        await expect(directory.connect(editor).register(REGISTRY, moduleA, 2))
          .to.be.revertedWithCustomError(directory, "AccessManagedUnauthorized")
          .withArgs(editor.address);
        expect(await directory.moduleOf(REGISTRY)).to.deep.equal([moduleA, 1n]);
      });
    });
  });

  describe("remove", function () {
    it("removes a module, keeping its last version", async function () {
      const { directory, editor, moduleA } = await networkHelpers.loadFixture(deployFixture);
      await directory.connect(editor).register(REGISTRY, moduleA, 2);

      await networkHelpers.time.increase(100);
      const tx = await directory.connect(editor).remove(REGISTRY);
      await expect(tx).to.emit(directory, "ModuleRemoved").withArgs(REGISTRY, moduleA, 2n);

      expect(await directory.entryOf(REGISTRY)).to.deep.equal([ZeroAddress, 2n, await minedAt(tx)]);
      await expect(directory.moduleOf(REGISTRY))
        .to.be.revertedWithCustomError(directory, "DirectoryUnknownModule")
        .withArgs(REGISTRY);
      const [names] = await directory.modules();
      expect(names).to.deep.equal([ACCESS_MANAGER]);
    });

    it("refuses a name never registered", async function () {
      const { directory, editor } = await networkHelpers.loadFixture(deployFixture);
      await expect(directory.connect(editor).remove(REGISTRY))
        .to.be.revertedWithCustomError(directory, "DirectoryUnknownModule")
        .withArgs(REGISTRY);
    });

    it("refuses a name already removed", async function () {
      const { directory, editor, moduleA } = await networkHelpers.loadFixture(deployFixture);
      await directory.connect(editor).register(REGISTRY, moduleA, 1);
      await directory.connect(editor).remove(REGISTRY);
      await expect(directory.connect(editor).remove(REGISTRY))
        .to.be.revertedWithCustomError(directory, "DirectoryUnknownModule")
        .withArgs(REGISTRY);
    });

    describe("access", function () {
      it("refuses an account without a role", async function () {
        const { directory, editor, stranger, moduleA } = await networkHelpers.loadFixture(deployFixture);
        await directory.connect(editor).register(REGISTRY, moduleA, 1);
        await expect(directory.connect(stranger).remove(REGISTRY))
          .to.be.revertedWithCustomError(directory, "AccessManagedUnauthorized")
          .withArgs(stranger.address);
        expect(await directory.moduleOf(REGISTRY)).to.deep.equal([moduleA, 1n]);
      });

      it("refuses a holder of another role (the guardian)", async function () {
        const { directory, editor, guardian, moduleA } = await networkHelpers.loadFixture(deployFixture);
        await directory.connect(editor).register(REGISTRY, moduleA, 1);
        await expect(directory.connect(guardian).remove(REGISTRY))
          .to.be.revertedWithCustomError(directory, "AccessManagedUnauthorized")
          .withArgs(guardian.address);
      });

      it("refuses the AccessManager admin once it no longer holds DIRECTORY_EDITOR", async function () {
        const { directory, accessManager, deployer } = await networkHelpers.loadFixture(deployFixture);
        await accessManager.revokeRole(Roles.DIRECTORY_EDITOR, deployer.address);
        await expect(directory.connect(deployer).remove(ACCESS_MANAGER))
          .to.be.revertedWithCustomError(directory, "AccessManagedUnauthorized")
          .withArgs(deployer.address);
        expect(await directory.moduleOf(ACCESS_MANAGER)).to.deep.equal([await directory.authority(), 1n]);
      });
    });
  });

  describe("moduleOf", function () {
    it("refuses an unknown name", async function () {
      const { directory } = await networkHelpers.loadFixture(deployFixture);
      await expect(directory.moduleOf(LEDGER))
        .to.be.revertedWithCustomError(directory, "DirectoryUnknownModule")
        .withArgs(LEDGER);
    });
  });

  describe("entryOf", function () {
    it("is the zero entry, without reverting, for an unknown name", async function () {
      const { directory } = await networkHelpers.loadFixture(deployFixture);
      expect(await directory.entryOf(LEDGER)).to.deep.equal([ZeroAddress, 0n, 0n]);
    });
  });

  describe("modules", function () {
    it("lists every registered module with its entry, and drops removed ones", async function () {
      const { directory, accessManager, editor, moduleA, moduleB, moduleC } =
        await networkHelpers.loadFixture(deployFixture);
      const [initialNames, initialEntries] = await directory.modules();
      const accessManagerEntry = await directory.entryOf(ACCESS_MANAGER);
      expect(initialNames).to.deep.equal([ACCESS_MANAGER]);
      expect(initialEntries).to.deep.equal([[await accessManager.getAddress(), 1n, accessManagerEntry.updatedAt]]);

      const atA = await minedAt(await directory.connect(editor).register(REGISTRY, moduleA, 1));
      const atB = await minedAt(await directory.connect(editor).register(ANCHOR, moduleB, 2));
      const atC = await minedAt(await directory.connect(editor).register(LEDGER, moduleC, 3));
      let [names, entries] = await directory.modules();
      expect(names).to.deep.equal([ACCESS_MANAGER, REGISTRY, ANCHOR, LEDGER]);
      expect(entries).to.deep.equal([
        [await accessManager.getAddress(), 1n, accessManagerEntry.updatedAt],
        [moduleA, 1n, atA],
        [moduleB, 2n, atB],
        [moduleC, 3n, atC],
      ]);

      // Removal moves the last name into the removed one's place (EnumerableSet): order is not kept.
      await directory.connect(editor).remove(REGISTRY);
      [names, entries] = await directory.modules();
      expect(names).to.deep.equal([ACCESS_MANAGER, LEDGER, ANCHOR]);
      expect(entries).to.deep.equal([
        [await accessManager.getAddress(), 1n, accessManagerEntry.updatedAt],
        [moduleC, 3n, atC],
        [moduleB, 2n, atB],
      ]);
    });
  });
});

describe("TrustDirectory on a chain with millisecond timestamps", function () {
  // FISCO BCOS < 3.12 reports block.timestamp in milliseconds; updatedAt stays in seconds (TimeSource).
  it("records updatedAt in seconds", async function () {
    const chain = await network.create();
    const [editor] = await chain.ethers.getSigners();
    const { directory } = await chain.ignition.deploy(GovernanceModule, {
      parameters: { $global: { millisecondTimestamps: true } },
    });
    const typed = await chain.ethers.getContractAt("TrustDirectory", await directory.getAddress());
    const module = await chain.ethers.deployContract("ERC1271WalletMock", [editor.address]);
    await chain.networkHelpers.time.setNextBlockTimestamp(1_800_000_000_000n);
    await typed.register(REGISTRY, await module.getAddress(), 1);
    expect((await typed.entryOf(REGISTRY)).updatedAt).to.equal(1_800_000_000n);
  });
});

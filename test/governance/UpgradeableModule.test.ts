import { expect } from "chai";
import { network } from "hardhat";
import { AbiCoder, dataSlice, getAddress, keccak256, toBeHex, toUtf8Bytes } from "ethers";
import GovernanceModule from "../../deploy/modules/Governance.js";
import { Roles } from "../../deploy/roles.js";
import { selectors } from "../../deploy/lib.js";

const { ethers, ignition, networkHelpers } = await network.create();

const UPGRADE_DELAY = 3600n;
const ONE_WEEK = 7n * 24n * 3600n; // AccessManager.expiration()
const [UPGRADE_TO_AND_CALL] = selectors("upgradeToAndCall(address,bytes)");
/** ERC-1967 implementation slot: keccak256("eip1967.proxy.implementation") - 1. */
const IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";

/** ERC-7201 slot of a namespace: keccak256(abi.encode(uint256(keccak256(id)) - 1)) & ~0xff. */
function erc7201Slot(namespace: string): string {
  const inner = BigInt(keccak256(toUtf8Bytes(namespace))) - 1n;
  return toBeHex(BigInt(keccak256(AbiCoder.defaultAbiCoder().encode(["uint256"], [inner]))) & ~0xffn, 32);
}

describe("UpgradeableModule (UpgradeableModuleMock behind an ERC1967Proxy)", function () {
  async function deployFixture() {
    const [deployer, upgrader, guardian, stranger] = await ethers.getSigners();
    const deployed = await ignition.deploy(GovernanceModule, {
      parameters: {
        Governance: { upgradeDelay: Number(UPGRADE_DELAY), upgrader: upgrader.address, guardian: guardian.address },
      },
    });
    const accessManager = await ethers.getContractAt("AccessManager", await deployed.accessManager.getAddress());
    const authority = await accessManager.getAddress();

    const implementationV1 = await ethers.deployContract("UpgradeableModuleMock");
    const initialize = implementationV1.interface.encodeFunctionData("initialize", [authority, 42n]);
    const proxy = await ethers.deployContract("ERC1967Proxy", [await implementationV1.getAddress(), initialize]);
    const proxyAddress = await proxy.getAddress();
    const module = await ethers.getContractAt("UpgradeableModuleMock", proxyAddress);
    const moduleV2 = await ethers.getContractAt("UpgradeableModuleMockV2", proxyAddress);

    // The admin (the deployer) gives the module's upgrade function to UPGRADER, as every module deployment will.
    await accessManager.setTargetFunctionRole(proxyAddress, [UPGRADE_TO_AND_CALL], Roles.UPGRADER);

    const implementationV2 = await ethers.deployContract("UpgradeableModuleMockV2");
    const v2Address = await implementationV2.getAddress();
    const upgradeCall = module.interface.encodeFunctionData("upgradeToAndCall", [v2Address, "0x"]);
    const operationId = await accessManager.hashOperation(upgrader.address, proxyAddress, upgradeCall);

    return {
      deployer,
      upgrader,
      guardian,
      stranger,
      accessManager,
      proxy,
      proxyAddress,
      module,
      moduleV2,
      implementationV1,
      implementationV2,
      v2Address,
      upgradeCall,
      operationId,
    };
  }

  /** Fixture plus an upgrade the upgrader has scheduled; `when` is the earliest time it can run. */
  async function scheduledFixture() {
    const f = await deployFixture();
    await f.accessManager.connect(f.upgrader).schedule(f.proxyAddress, f.upgradeCall, 0);
    const when = await f.accessManager.getSchedule(f.operationId);
    return { ...f, when };
  }

  async function implementationOf(proxyAddress: string): Promise<string> {
    return getAddress(dataSlice(await ethers.provider.getStorage(proxyAddress, IMPLEMENTATION_SLOT), 12));
  }

  describe("initialize", function () {
    it("initializes the proxy: authority, value, version 1", async function () {
      const { module, proxy, proxyAddress, accessManager, implementationV1 } = await networkHelpers.loadFixture(deployFixture);
      expect(await module.authority()).to.equal(await accessManager.getAddress());
      expect(await module.value()).to.equal(42n);
      expect(await module.version()).to.equal(1n);
      expect(await implementationOf(proxyAddress)).to.equal(await implementationV1.getAddress());
      await expect(proxy.deploymentTransaction()).to.emit(module, "ValueSet").withArgs(42n);
      await expect(proxy.deploymentTransaction()).to.emit(module, "Initialized").withArgs(1n);
    });

    it("keeps the module's state in its ERC-7201 namespace, not from slot 0", async function () {
      const { proxyAddress } = await networkHelpers.loadFixture(deployFixture);
      const slot = erc7201Slot("trustbase.storage.UpgradeableModuleMock");
      expect(await ethers.provider.getStorage(proxyAddress, slot)).to.equal(toBeHex(42n, 32));
      expect(await ethers.provider.getStorage(proxyAddress, 0)).to.equal(ethers.ZeroHash);
    });

    it("cannot initialize the proxy twice", async function () {
      const { module, stranger, accessManager } = await networkHelpers.loadFixture(deployFixture);
      await expect(
        module.connect(stranger).initialize(await accessManager.getAddress(), 7n),
      ).to.be.revertedWithCustomError(module, "InvalidInitialization");
      expect(await module.value()).to.equal(42n);
    });

    it("cannot initialize an implementation directly", async function () {
      const { implementationV1, implementationV2, stranger } = await networkHelpers.loadFixture(deployFixture);
      await expect(
        implementationV1.connect(stranger).initialize(stranger.address, 7n),
      ).to.be.revertedWithCustomError(implementationV1, "InvalidInitialization");
      await expect(
        implementationV2.connect(stranger).initialize(stranger.address, 7n),
      ).to.be.revertedWithCustomError(implementationV2, "InvalidInitialization");
      expect(await implementationV1.authority()).to.equal(ethers.ZeroAddress);
    });
  });

  describe("setValue", function () {
    it("lets the admin (the function's default role) set the value", async function () {
      const { module, deployer } = await networkHelpers.loadFixture(deployFixture);
      await expect(module.connect(deployer).setValue(43n)).to.emit(module, "ValueSet").withArgs(43n);
      expect(await module.value()).to.equal(43n);
    });

    it("refuses accounts without the admin role", async function () {
      const { module, upgrader, guardian, stranger } = await networkHelpers.loadFixture(deployFixture);
      for (const caller of [stranger, upgrader, guardian]) {
        await expect(module.connect(caller).setValue(43n))
          .to.be.revertedWithCustomError(module, "AccessManagedUnauthorized")
          .withArgs(caller.address);
      }
      expect(await module.value()).to.equal(42n);
    });
  });

  describe("upgradeToAndCall, called directly", function () {
    it("the upgrader holds UPGRADER with the upgrade delay", async function () {
      const { accessManager, upgrader, proxyAddress } = await networkHelpers.loadFixture(deployFixture);
      expect(await accessManager.hasRole(Roles.UPGRADER, upgrader.address)).to.deep.equal([true, UPGRADE_DELAY]);
      expect(await accessManager.getTargetFunctionRole(proxyAddress, UPGRADE_TO_AND_CALL)).to.equal(Roles.UPGRADER);
      expect(await accessManager.canCall(upgrader.address, proxyAddress, UPGRADE_TO_AND_CALL)).to.deep.equal([
        false,
        UPGRADE_DELAY,
      ]);
    });

    it("refuses the upgrader without a schedule: the delay applies", async function () {
      // The proxy asks the AccessManager to consume a scheduled operation, which does not exist: the revert is
      // AccessManagerNotScheduled (not AccessManagedUnauthorized, which is for callers without the role).
      const { module, accessManager, upgrader, v2Address, operationId, proxyAddress, implementationV1 } =
        await networkHelpers.loadFixture(deployFixture);
      await expect(module.connect(upgrader).upgradeToAndCall(v2Address, "0x"))
        .to.be.revertedWithCustomError(accessManager, "AccessManagerNotScheduled")
        .withArgs(operationId);
      expect(await implementationOf(proxyAddress)).to.equal(await implementationV1.getAddress());
    });

    it("refuses accounts without UPGRADER, the admin and the guardian included", async function () {
      const { module, deployer, guardian, stranger, v2Address, proxyAddress, implementationV1 } =
        await networkHelpers.loadFixture(deployFixture);
      for (const caller of [stranger, deployer, guardian]) {
        await expect(module.connect(caller).upgradeToAndCall(v2Address, "0x"))
          .to.be.revertedWithCustomError(module, "AccessManagedUnauthorized")
          .withArgs(caller.address);
      }
      expect(await implementationOf(proxyAddress)).to.equal(await implementationV1.getAddress());
    });

    it("refuses a call on the implementation itself", async function () {
      const { implementationV1, upgrader, v2Address } = await networkHelpers.loadFixture(deployFixture);
      await expect(implementationV1.connect(upgrader).upgradeToAndCall(v2Address, "0x")).to.be.revertedWithCustomError(
        implementationV1,
        "UUPSUnauthorizedCallContext",
      );
    });
  });

  describe("upgrade scheduled through the AccessManager", function () {
    describe("schedule", function () {
      it("schedules the upgrader's operation for one upgrade delay later", async function () {
        const { accessManager, upgrader, proxyAddress, upgradeCall, operationId } =
          await networkHelpers.loadFixture(deployFixture);
        const at = BigInt(await networkHelpers.time.latest()) + 10n;
        await networkHelpers.time.setNextBlockTimestamp(at);
        await expect(accessManager.connect(upgrader).schedule(proxyAddress, upgradeCall, 0))
          .to.emit(accessManager, "OperationScheduled")
          .withArgs(operationId, 1n, at + UPGRADE_DELAY, upgrader.address, proxyAddress, upgradeCall);
        expect(await accessManager.getSchedule(operationId)).to.equal(at + UPGRADE_DELAY);
      });

      it("refuses a time earlier than the delay allows", async function () {
        const { accessManager, upgrader, proxyAddress, upgradeCall } = await networkHelpers.loadFixture(deployFixture);
        const at = BigInt(await networkHelpers.time.latest()) + 10n;
        await networkHelpers.time.setNextBlockTimestamp(at);
        await expect(accessManager.connect(upgrader).schedule(proxyAddress, upgradeCall, at + UPGRADE_DELAY - 1n))
          .to.be.revertedWithCustomError(accessManager, "AccessManagerUnauthorizedCall")
          .withArgs(upgrader.address, proxyAddress, UPGRADE_TO_AND_CALL);
      });

      it("refuses accounts without UPGRADER, the admin included", async function () {
        const { accessManager, deployer, guardian, stranger, proxyAddress, upgradeCall } =
          await networkHelpers.loadFixture(deployFixture);
        for (const caller of [stranger, deployer, guardian]) {
          await expect(accessManager.connect(caller).schedule(proxyAddress, upgradeCall, 0))
            .to.be.revertedWithCustomError(accessManager, "AccessManagerUnauthorizedCall")
            .withArgs(caller.address, proxyAddress, UPGRADE_TO_AND_CALL);
        }
      });
    });

    describe("execute", function () {
      it("refuses to run before the delay has passed", async function () {
        const { accessManager, upgrader, proxyAddress, upgradeCall, operationId, when, module } =
          await networkHelpers.loadFixture(scheduledFixture);
        await networkHelpers.time.setNextBlockTimestamp(when - 1n);
        await expect(accessManager.connect(upgrader).execute(proxyAddress, upgradeCall))
          .to.be.revertedWithCustomError(accessManager, "AccessManagerNotReady")
          .withArgs(operationId);
        expect(await module.version()).to.equal(1n);
      });

      it("upgrades once the delay has passed, keeping the proxy's state", async function () {
        const { accessManager, upgrader, proxyAddress, upgradeCall, operationId, when, module, moduleV2, v2Address } =
          await networkHelpers.loadFixture(scheduledFixture);
        await networkHelpers.time.setNextBlockTimestamp(when);
        const tx = accessManager.connect(upgrader).execute(proxyAddress, upgradeCall);
        await expect(tx).to.emit(accessManager, "OperationExecuted").withArgs(operationId, 1n);
        await expect(tx).to.emit(module, "Upgraded").withArgs(v2Address);

        expect(await implementationOf(proxyAddress)).to.equal(v2Address);
        expect(await moduleV2.version()).to.equal(2n);
        expect(await moduleV2.value()).to.equal(42n);
        expect(await moduleV2.authority()).to.equal(await accessManager.getAddress());
        expect(await accessManager.getSchedule(operationId)).to.equal(0n);
      });

      it("runs an operation once: executing it again needs a new schedule", async function () {
        const { accessManager, upgrader, proxyAddress, upgradeCall, operationId, when } =
          await networkHelpers.loadFixture(scheduledFixture);
        await networkHelpers.time.setNextBlockTimestamp(when);
        await accessManager.connect(upgrader).execute(proxyAddress, upgradeCall);
        await expect(accessManager.connect(upgrader).execute(proxyAddress, upgradeCall))
          .to.be.revertedWithCustomError(accessManager, "AccessManagerNotScheduled")
          .withArgs(operationId);
      });

      it("lets the upgrader call the proxy directly once the scheduled delay has passed", async function () {
        const { accessManager, upgrader, module, moduleV2, operationId, when, v2Address } =
          await networkHelpers.loadFixture(scheduledFixture);
        await networkHelpers.time.setNextBlockTimestamp(when);
        const tx = module.connect(upgrader).upgradeToAndCall(v2Address, "0x");
        await expect(tx).to.emit(accessManager, "OperationExecuted").withArgs(operationId, 1n);
        await expect(tx).to.emit(module, "Upgraded").withArgs(v2Address);
        expect(await moduleV2.version()).to.equal(2n);
        expect(await moduleV2.value()).to.equal(42n);
      });

      it("refuses accounts without UPGRADER, even after the delay", async function () {
        const { accessManager, deployer, guardian, stranger, proxyAddress, upgradeCall, when, module } =
          await networkHelpers.loadFixture(scheduledFixture);
        await networkHelpers.time.increaseTo(when);
        for (const caller of [stranger, deployer, guardian]) {
          await expect(accessManager.connect(caller).execute(proxyAddress, upgradeCall))
            .to.be.revertedWithCustomError(accessManager, "AccessManagerUnauthorizedCall")
            .withArgs(caller.address, proxyAddress, UPGRADE_TO_AND_CALL);
        }
        expect(await module.version()).to.equal(1n);
      });

      it("refuses an operation left past its expiration", async function () {
        const { accessManager, upgrader, proxyAddress, upgradeCall, operationId, when, module } =
          await networkHelpers.loadFixture(scheduledFixture);
        expect(await accessManager.expiration()).to.equal(ONE_WEEK);
        await networkHelpers.time.setNextBlockTimestamp(when + ONE_WEEK);
        await expect(accessManager.connect(upgrader).execute(proxyAddress, upgradeCall))
          .to.be.revertedWithCustomError(accessManager, "AccessManagerExpired")
          .withArgs(operationId);
        expect(await module.version()).to.equal(1n);
      });

      it("refuses an implementation that is not UUPS, keeping the old one", async function () {
        const { accessManager, upgrader, proxyAddress, module, implementationV1 } =
          await networkHelpers.loadFixture(deployFixture);
        const notUups = await ethers.deployContract("ERC1271WalletMock", [upgrader.address]);
        const notUupsAddress = await notUups.getAddress();
        const call = module.interface.encodeFunctionData("upgradeToAndCall", [notUupsAddress, "0x"]);
        await accessManager.connect(upgrader).schedule(proxyAddress, call, 0);
        await networkHelpers.time.increase(UPGRADE_DELAY);

        await expect(accessManager.connect(upgrader).execute(proxyAddress, call))
          .to.be.revertedWithCustomError(module, "ERC1967InvalidImplementation")
          .withArgs(notUupsAddress);
        expect(await implementationOf(proxyAddress)).to.equal(await implementationV1.getAddress());
      });
    });

    describe("cancel", function () {
      it("lets the guardian cancel during the delay; the upgrade can then never run", async function () {
        const { accessManager, upgrader, guardian, proxyAddress, upgradeCall, operationId, when, module } =
          await networkHelpers.loadFixture(scheduledFixture);
        await expect(accessManager.connect(guardian).cancel(upgrader.address, proxyAddress, upgradeCall))
          .to.emit(accessManager, "OperationCanceled")
          .withArgs(operationId, 1n);
        expect(await accessManager.getSchedule(operationId)).to.equal(0n);

        await networkHelpers.time.increaseTo(when);
        await expect(accessManager.connect(upgrader).execute(proxyAddress, upgradeCall))
          .to.be.revertedWithCustomError(accessManager, "AccessManagerNotScheduled")
          .withArgs(operationId);
        expect(await module.version()).to.equal(1n);
      });

      it("refuses a cancel by an account that is neither scheduler, admin nor guardian", async function () {
        const { accessManager, upgrader, stranger, proxyAddress, upgradeCall, operationId, when } =
          await networkHelpers.loadFixture(scheduledFixture);
        await expect(accessManager.connect(stranger).cancel(upgrader.address, proxyAddress, upgradeCall))
          .to.be.revertedWithCustomError(accessManager, "AccessManagerUnauthorizedCancel")
          .withArgs(stranger.address, upgrader.address, proxyAddress, UPGRADE_TO_AND_CALL);
        expect(await accessManager.getSchedule(operationId)).to.equal(when);
      });

      it("lets the upgrader schedule again after a cancel, with the next nonce", async function () {
        const { accessManager, upgrader, guardian, proxyAddress, upgradeCall, operationId, moduleV2 } =
          await networkHelpers.loadFixture(scheduledFixture);
        await accessManager.connect(guardian).cancel(upgrader.address, proxyAddress, upgradeCall);

        const at = BigInt(await networkHelpers.time.latest()) + 10n;
        await networkHelpers.time.setNextBlockTimestamp(at);
        await expect(accessManager.connect(upgrader).schedule(proxyAddress, upgradeCall, 0))
          .to.emit(accessManager, "OperationScheduled")
          .withArgs(operationId, 2n, at + UPGRADE_DELAY, upgrader.address, proxyAddress, upgradeCall);
        await networkHelpers.time.setNextBlockTimestamp(at + UPGRADE_DELAY);
        await expect(accessManager.connect(upgrader).execute(proxyAddress, upgradeCall))
          .to.emit(accessManager, "OperationExecuted")
          .withArgs(operationId, 2n);
        expect(await moduleV2.version()).to.equal(2n);
      });
    });
  });

  describe("after an upgrade", function () {
    async function upgradedFixture() {
      const f = await scheduledFixture();
      await networkHelpers.time.setNextBlockTimestamp(f.when);
      await f.accessManager.connect(f.upgrader).execute(f.proxyAddress, f.upgradeCall);
      return f;
    }

    it("still cannot be initialized again", async function () {
      const { moduleV2, stranger } = await networkHelpers.loadFixture(upgradedFixture);
      await expect(moduleV2.connect(stranger).initialize(stranger.address, 7n)).to.be.revertedWithCustomError(
        moduleV2,
        "InvalidInitialization",
      );
    });

    it("keeps its functions restricted", async function () {
      const { moduleV2, deployer, stranger } = await networkHelpers.loadFixture(upgradedFixture);
      await expect(moduleV2.connect(stranger).setValue(1n))
        .to.be.revertedWithCustomError(moduleV2, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
      await expect(moduleV2.connect(deployer).setValue(1n)).to.emit(moduleV2, "ValueSet").withArgs(1n);
      expect(await moduleV2.value()).to.equal(1n);
    });
  });
});

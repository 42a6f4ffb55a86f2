/**
 * Upgrade safety (scripts/lib/upgrade-safety.ts, `npm run validate:upgrades`) on the build `hardhat test` just made:
 * the project passes; each rule catches what it is for (deliberately wrong test doubles of contracts/mocks/); the
 * layout comparison refuses a reordered namespaced struct, accepts an append and asks for a snapshot refresh; every
 * allowance is needed. On chain, the verdicts are real: the reordered version reads the wrong field after an
 * upgrade, and CredentialRegistry's proxy never uses EIP712's fallback slots.
 */
import { expect } from "chai";
import hre, { network } from "hardhat";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ALLOWANCES, erc7201Slot, validateUpgrades, type UpgradeValidation } from "../../scripts/lib/upgrade-safety.js";
import { deployIdentity } from "../identity/fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const root = hre.config.paths.root;
const artifactsDir = hre.config.paths.artifacts;
// `hardhat test --coverage` builds instrumented sources (calls in every constructor): not what is deployed.
const coverage = hre.globalOptions.coverage === true;

function run(options: Parameters<typeof validateUpgrades>[0] = {}): Promise<UpgradeValidation> {
  return validateUpgrades({ root, artifactsDir, ...options });
}

/** All error text of one contract of a result. */
function errorsOf(result: UpgradeValidation, contract: string): string {
  const report = result.contracts.find((c) => c.name.endsWith(`:${contract}`));
  expect(report, `${contract} in the report:\n${result.text}`).to.not.equal(undefined);
  return report!.errors.join("\n");
}

describe("upgrade safety (npm run validate:upgrades)", function () {
  // The first run compiles the namespaced layouts (a few seconds); later ones reuse it.
  this.timeout(300_000);

  before(function () {
    if (coverage) this.skip();
  });

  describe("the project", function () {
    it("passes: every upgradeable contract is safe and matches its layout snapshot", async function () {
      const result = await run();
      expect(result.ok, result.text).to.equal(true);
      const names = result.contracts.map((c) => c.name);
      // Found in the build, not listed: CredentialRegistry and every UpgradeableModule test double.
      expect(names).to.include.members([
        "contracts/identity/CredentialRegistry.sol:CredentialRegistry",
        "contracts/mocks/UpgradeableModuleMock.sol:UpgradeableModuleMock",
        "contracts/mocks/UpgradeableModuleMockV2.sol:UpgradeableModuleMockV2",
      ]);
      // Immutable contracts are not upgradeable contracts, though they inherit Initializable (via NoncesUpgradeable).
      expect(names.some((n) => n.endsWith(":DIDRegistry") || n.endsWith(":TrustDirectory"))).to.equal(false);
      const registry = result.contracts.find((c) => c.name.endsWith(":CredentialRegistry"))!;
      expect(registry.snapshotted).to.equal(true);
      expect(registry.notes).to.include("layout matches deploy/layouts/CredentialRegistry.json");
      const trace = result.contracts.find((c) => c.name === "contracts/trace/TraceRegistry.sol:TraceRegistry");
      expect(trace?.snapshotted, result.text).to.equal(true);
      expect(trace!.notes).to.include("layout matches deploy/layouts/TraceRegistry.json");
      expect(result.notes.join("\n")).to.contain("skipped contracts/mocks/UnsafeModuleMock.sol:UnsafeModuleMock");
    });

    it("keeps a snapshot with CredentialRegistry's namespaces at their ERC-7201 slots", async function () {
      const snapshot = JSON.parse(readFileSync(path.join(root, "deploy/layouts/CredentialRegistry.json"), "utf8"));
      for (const id of [
        "trustbase.storage.CredentialRegistry",
        "openzeppelin.storage.Nonces",
        "openzeppelin.storage.AccessManaged",
        "openzeppelin.storage.Initializable",
      ]) {
        expect(snapshot.namespaceSlots[`erc7201:${id}`]).to.equal(erc7201Slot(id));
      }
      expect(snapshot.layout.namespaces["erc7201:trustbase.storage.CredentialRegistry"].map((i: { label: string }) => i.label)).to.deep.equal(
        ["topicNames", "topicIds", "trusted", "holdings", "refs"],
      );
      // The only regular variables: EIP712's fallback strings (allowed, never written: see below).
      expect(snapshot.layout.storage.map((i: { label: string }) => i.label)).to.deep.equal(["_nameFallback", "_versionFallback"]);
    });

    it("needs every allowance: without any one of them the project fails, naming it", async function () {
      for (const allowance of ALLOWANCES) {
        const result = await run({ allowances: ALLOWANCES.filter((a) => a !== allowance), layoutsDir: path.join(root, "deploy/layouts") });
        const what = allowance.contract ?? allowance.variable ?? path.basename(allowance.source, ".sol");
        expect(result.ok, `${allowance.kind} ${what}`).to.equal(false);
        // The contract it was needed by (CredentialRegistry for the common bases, RWAToken for its linked library)
        // now fails, naming what the allowance covered.
        const text = result.contracts.map((c) => c.errors.join("\n")).join("\n");
        expect(text, `${allowance.kind} ${what}`).to.contain(what);
      }
    });

    it("refuses an allowance that nothing needs", async function () {
      const unused = { kind: "selfdestruct", source: "contracts/identity/CredentialRegistry.sol", reason: "none" } as const;
      const result = await run({ allowances: [...ALLOWANCES, unused] });
      expect(result.ok).to.equal(false);
      expect(result.errors.join("\n")).to.contain("allowance no longer needed").and.contain("selfdestruct");
    });
  });

  describe("layout comparison", function () {
    it("refuses a V2 that reorders the fields of a namespaced struct, naming them", async function () {
      const result = await run({
        only: ["UpgradeableModuleMockV2Reordered"],
        references: { UpgradeableModuleMockV2Reordered: "UpgradeableModuleMock" },
      });
      expect(result.ok).to.equal(false);
      const text = errorsOf(result, "UpgradeableModuleMockV2Reordered");
      expect(text).to.contain("layout incompatible with contracts/mocks/UpgradeableModuleMock.sol:UpgradeableModuleMock");
      expect(text).to.contain("Deleted `value`").and.contain("Inserted `value`");
      // On its own it is safe: only the comparison catches it.
      expect((await run({ only: ["UpgradeableModuleMockV2Reordered"] })).ok).to.equal(true);
    });

    it("accepts V2s that keep the fields and append one (oz-upgrades-from annotations)", async function () {
      const result = await run({ only: ["UpgradeableModuleMockV2", "UpgradeableModuleMockV2Appended"] });
      expect(result.ok, result.text).to.equal(true);
      for (const report of result.contracts) {
        expect(report.notes).to.include("layout compatible with contracts/mocks/UpgradeableModuleMock.sol:UpgradeableModuleMock");
      }
    });

    describe("against a committed snapshot", function () {
      let layoutsDir: string;
      beforeEach(async function () {
        // The snapshot of version 1, as if the V2 test doubles were the next versions of the same contract.
        layoutsDir = mkdtempSync(path.join(tmpdir(), "trustbase-layouts-"));
        const written = await run({ only: ["UpgradeableModuleMock"], layoutsDir, update: true, snapshotTestDoubles: true });
        expect(written.ok, written.text).to.equal(true);
        for (const next of ["UpgradeableModuleMockV2Appended", "UpgradeableModuleMockV2Reordered"]) {
          copyFileSync(path.join(layoutsDir, "UpgradeableModuleMock.json"), path.join(layoutsDir, `${next}.json`));
        }
      });
      afterEach(function () {
        rmSync(layoutsDir, { recursive: true, force: true });
      });

      it("fails on an incompatible change and does not overwrite the snapshot, even with --update", async function () {
        const file = path.join(layoutsDir, "UpgradeableModuleMockV2Reordered.json");
        const before = readFileSync(file, "utf8");
        for (const update of [false, true]) {
          const result = await run({ only: ["UpgradeableModuleMockV2Reordered"], layoutsDir, snapshotTestDoubles: true, update });
          expect(result.ok).to.equal(false);
          const text = errorsOf(result, "UpgradeableModuleMockV2Reordered");
          expect(text).to.contain("UpgradeableModuleMockV2Reordered.json").and.contain("Deleted `value`");
        }
        expect(readFileSync(file, "utf8")).to.equal(before);
      });

      it("passes a compatible append and asks for a refresh, which --update writes", async function () {
        const result = await run({ only: ["UpgradeableModuleMockV2Appended"], layoutsDir, snapshotTestDoubles: true });
        expect(result.ok, result.text).to.equal(true);
        expect(result.text).to.contain("layout changed compatibly").and.contain("npm run validate:upgrades -- --update");

        const refreshed = await run({ only: ["UpgradeableModuleMockV2Appended"], layoutsDir, snapshotTestDoubles: true, update: true });
        expect(refreshed.ok).to.equal(true);
        const snapshot = JSON.parse(readFileSync(path.join(layoutsDir, "UpgradeableModuleMockV2Appended.json"), "utf8"));
        const fields = snapshot.layout.namespaces["erc7201:trustbase.storage.UpgradeableModuleMock"].map((i: { label: string }) => i.label);
        expect(fields).to.deep.equal(["value", "updates", "note"]);
        const again = await run({ only: ["UpgradeableModuleMockV2Appended"], layoutsDir, snapshotTestDoubles: true });
        expect(again.contracts[0].notes).to.include(`layout matches ${path.relative(root, path.join(layoutsDir, "UpgradeableModuleMockV2Appended.json"))}`);
      });

      it("fails when a contract has no snapshot, telling how to make one", async function () {
        rmSync(path.join(layoutsDir, "UpgradeableModuleMockV2Appended.json"));
        const result = await run({ only: ["UpgradeableModuleMockV2Appended"], layoutsDir, snapshotTestDoubles: true });
        expect(result.ok).to.equal(false);
        expect(errorsOf(result, "UpgradeableModuleMockV2Appended")).to.contain("no layout snapshot").and.contain("--update");
      });
    });

    it("fails on a snapshot no upgradeable contract owns", async function () {
      const layoutsDir = mkdtempSync(path.join(tmpdir(), "trustbase-layouts-"));
      try {
        copyFileSync(path.join(root, "deploy/layouts/CredentialRegistry.json"), path.join(layoutsDir, "CredentialRegistry.json"));
        copyFileSync(path.join(root, "deploy/layouts/CredentialRegistry.json"), path.join(layoutsDir, "RetiredRegistry.json"));
        const result = await run({ layoutsDir });
        expect(result.ok).to.equal(false);
        expect(result.errors.join("\n")).to.contain("RetiredRegistry.json belongs to no upgradeable contract");
      } finally {
        rmSync(layoutsDir, { recursive: true, force: true });
      }
    });
  });

  describe("rules", function () {
    it("catches each rule broken by UnsafeModuleMock", async function () {
      const result = await run({ only: ["UnsafeModuleMock"] });
      expect(result.ok).to.equal(false);
      const text = errorsOf(result, "UnsafeModuleMock");
      for (const expected of [
        "Use of delegatecall is not allowed", // upgrades-core
        "Contract `UnsafeModuleMock` has a constructor", // upgrades-core
        "does not inherit UpgradeableModule",
        "_authorizeUpgrade of UnsafeModuleMock has neither a modifier nor a body",
        "no constructor calls _disableInitializers()",
        "UnsafeModuleMock.sol:27: constructor of UnsafeModuleMock does more than set immutables",
        `no bytes32 constant of UnsafeModuleMock equals its ERC-7201 slot ${erc7201Slot("trustbase.storage.UnsafeModuleMock")}`,
        "an assembly block points storage at constant 0x138f1440",
        "UnsafeModuleMock.counter is a state variable at slot 0",
      ]) {
        expect(text).to.contain(expected);
      }
    });

    it("names contracts it cannot find", async function () {
      const result = await run({ only: ["NoSuchModule"] });
      expect(result.ok).to.equal(false);
      expect(result.errors.join("\n")).to.contain("NoSuchModule: no upgradeable contract of that name");
    });
  });
});

describe("upgrade safety on chain: the verdicts are real", function () {
  async function identityFixture() {
    return deployIdentity(connection);
  }

  async function moduleFixture() {
    const [admin] = await ethers.getSigners();
    // The admin holds ADMIN_ROLE, which every restricted function has until configured: it may upgrade at once.
    const manager = await ethers.deployContract("AccessManager", [admin.address]);
    const v1 = await ethers.deployContract("UpgradeableModuleMock");
    const init = v1.interface.encodeFunctionData("initialize", [await manager.getAddress(), 42n]);
    const proxy = await ethers.deployContract("ERC1967Proxy", [await v1.getAddress(), init]);
    const address = await proxy.getAddress();
    const module = await ethers.getContractAt("UpgradeableModuleMock", address);
    await (await module.setValue(43n)).wait();
    return { address, module };
  }

  it("a reordered V2 reads version 1's update count as its value", async function () {
    const { address, module } = await networkHelpers.loadFixture(moduleFixture);
    expect([await module.value(), await module.updates()]).to.deep.equal([43n, 2n]);
    const reordered = await ethers.deployContract("UpgradeableModuleMockV2Reordered");
    await (await module.upgradeToAndCall(await reordered.getAddress(), "0x")).wait();
    const v2 = await ethers.getContractAt("UpgradeableModuleMockV2Reordered", address);
    expect([await v2.value(), await v2.updates()]).to.deep.equal([2n, 43n]);
  });

  it("an appended V2 keeps version 1's state and starts its new field empty", async function () {
    const { address, module } = await networkHelpers.loadFixture(moduleFixture);
    const appended = await ethers.deployContract("UpgradeableModuleMockV2Appended");
    await (await module.upgradeToAndCall(await appended.getAddress(), "0x")).wait();
    const v2 = await ethers.getContractAt("UpgradeableModuleMockV2Appended", address);
    expect([await v2.value(), await v2.updates(), await v2.note()]).to.deep.equal([43n, 2n, ethers.ZeroHash]);
  });

  it("CredentialRegistry's proxy has its EIP-712 domain from immutables; EIP712's fallback slots 0 and 1 stay empty", async function () {
    const f = await networkHelpers.loadFixture(identityFixture);
    const address = await f.credentials.getAddress();
    const [, name, version, chainId, verifyingContract] = await f.credentials.eip712Domain();
    expect([name, version, verifyingContract]).to.deep.equal(["trustbase CredentialRegistry", "1", address]);
    expect(chainId).to.equal((await ethers.provider.getNetwork()).chainId);
    for (const slot of [0, 1]) expect(await ethers.provider.getStorage(address, slot)).to.equal(ethers.ZeroHash);
  });
});

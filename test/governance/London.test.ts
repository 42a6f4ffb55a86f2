import { expect } from "chai";
import { network } from "hardhat";
import { ZeroAddress, dataLength, getBytes } from "ethers";
import GovernanceModule from "../../deploy/modules/Governance.js";
import { moduleName } from "../../deploy/lib.js";
import { PING_TYPES, ping } from "../helpers/ping.js";
import { domainOf, signTypedData, testWallet } from "../helpers/signatures.js";

/**
 * The suite compiles for `paris` so that it deploys on consortium chains that lag mainnet. This runs the
 * foundation on a chain with London rules (no PUSH0, MCOPY, transient storage), as FISCO BCOS, GoQuorum or a
 * Besu network without shanghaiTime would.
 */
const london = await network.create("london");
const current = await network.create();

/** Init code `PUSH0 PUSH0 RETURN`: deploys an empty contract where PUSH0 exists (Shanghai on), fails before. */
const PUSH0_INIT_CODE = "0x5f5ff3";

/** Opcodes a `paris` build must not contain: PUSH0, MCOPY, TLOAD, TSTORE. */
const POST_PARIS_OPCODES = new Map([
  [0x5f, "PUSH0"],
  [0x5e, "MCOPY"],
  [0x5c, "TLOAD"],
  [0x5d, "TSTORE"],
]);

/** The post-paris opcodes in runtime code, skipping PUSH data and the trailing CBOR metadata. */
function postParisOpcodes(code: string): string[] {
  const bytes = getBytes(code);
  const metadataLength = (bytes[bytes.length - 2] << 8) | bytes[bytes.length - 1];
  const end = bytes.length - metadataLength - 2;
  const found: string[] = [];
  for (let i = 0; i < end; i++) {
    const op = bytes[i];
    const name = POST_PARIS_OPCODES.get(op);
    if (name !== undefined) found.push(`${name}@${i}`);
    if (op >= 0x60 && op <= 0x7f) i += op - 0x5f;
  }
  return found;
}

describe("Foundation on a London-rules chain", function () {
  const { ethers, ignition, networkHelpers } = london;

  async function deployFixture() {
    const [deployer, relayer] = await ethers.getSigners();
    const deployed = await ignition.deploy(GovernanceModule, { parameters: { Governance: { upgradeDelay: 3600 } } });
    const accessManager = await ethers.getContractAt("AccessManager", await deployed.accessManager.getAddress());
    const directory = await ethers.getContractAt("TrustDirectory", await deployed.directory.getAddress());
    const mock = await ethers.deployContract("SignedOperationsMock", [false, ZeroAddress]);
    return { deployer, relayer, accessManager, directory, mock };
  }

  describe("the chain", function () {
    it("refuses PUSH0, which a current chain accepts", async function () {
      const [londonSigner] = await ethers.getSigners();
      await expect(londonSigner.sendTransaction({ data: PUSH0_INIT_CODE, gasLimit: 100_000 })).to.revert(ethers);

      const [currentSigner] = await current.ethers.getSigners();
      const receipt = await (await currentSigner.sendTransaction({ data: PUSH0_INIT_CODE, gasLimit: 100_000 })).wait();
      expect(receipt!.status).to.equal(1);
    });
  });

  describe("the build", function () {
    it("(scanner check) finds PUSH0 as an opcode but not inside PUSH data or metadata", function () {
      // PUSH1 0x5f, PUSH0, STOP, then 2 bytes of "metadata" (0x5f5f) and its length (0x0002).
      expect(postParisOpcodes("0x605f5f005f5f0002")).to.deep.equal(["PUSH0@2"]);
      expect(postParisOpcodes("0x605f005f5f0002")).to.deep.equal([]);
    });

    it("contains no post-paris opcode in the deployed contracts", async function () {
      const { accessManager, directory, mock } = await networkHelpers.loadFixture(deployFixture);
      for (const contract of [accessManager, directory, mock]) {
        const code = await ethers.provider.getCode(await contract.getAddress());
        expect(dataLength(code)).to.be.greaterThan(0);
        expect(postParisOpcodes(code)).to.deep.equal([]);
      }
    });
  });

  describe("Governance and a signed operation", function () {
    it("deploys governance, registers a module and runs a signed operation", async function () {
      const { accessManager, directory, mock, relayer } = await networkHelpers.loadFixture(deployFixture);
      const name = moduleName("SignedOperationsMock");
      const mockAddress = await mock.getAddress();
      expect(await directory.moduleOf(moduleName("AccessManager"))).to.deep.equal([await accessManager.getAddress(), 1n]);

      await expect(directory.register(name, mockAddress, 1))
        .to.emit(directory, "ModuleRegistered")
        .withArgs(name, mockAddress, 1n, ZeroAddress);
      expect(await directory.moduleOf(name)).to.deep.equal([mockAddress, 1n]);

      const alice = testWallet("alice");
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      const value = ping(alice.address, 0n, deadline);
      const signature = await signTypedData(alice, await domainOf(mock), PING_TYPES, value);
      await expect(mock.connect(relayer).pingBySig(alice.address, value.payload, deadline, signature))
        .to.emit(mock, "Pinged")
        .withArgs(alice.address, value.payload);
      expect(await mock.nonces(alice.address)).to.equal(1n);
    });
  });
});

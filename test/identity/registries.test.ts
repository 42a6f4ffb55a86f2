/**
 * Wiring of the identity layer: each contract asks the registries of its own deployment.
 */
import { readFile } from "node:fs/promises";
import { expect } from "chai";
import { network } from "hardhat";
import { Topics } from "../../deploy/topics.js";
import { CredentialRegistry__factory, GatedActionMock__factory } from "../../typechain-types/index.js";
import { deployIdentity } from "./fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function fixture() {
  const f = await deployIdentity(connection);
  const gate = await new GatedActionMock__factory(f.admin).deploy(
    await f.dids.getAddress(),
    await f.credentials.getAddress(),
    Topics.KYC,
  );
  return { ...f, gate };
}

describe("identity registries wiring", function () {
  it("CredentialRegistry resolves subjects, holders and issuers with the deployment's DIDRegistry", async function () {
    const { credentials, dids, credentialRegistryImplementation } = await networkHelpers.loadFixture(fixture);
    const didsAddress = await dids.getAddress();
    expect(await credentials.didRegistry()).to.equal(didsAddress);
    // An immutable of the implementation: the proxy and the implementation answer alike.
    const implementation = CredentialRegistry__factory.connect(
      await credentialRegistryImplementation.getAddress(),
      ethers.provider,
    );
    expect(await implementation.didRegistry()).to.equal(didsAddress);
  });

  it("IdentityGate asks the DID registry and the credential registry (proxy) it was built with", async function () {
    const { gate, dids, credentials } = await networkHelpers.loadFixture(fixture);
    const [gateDids, gateCredentials] = await gate.registries();
    expect(gateDids).to.equal(await dids.getAddress());
    expect(gateCredentials).to.equal(await credentials.getAddress());
  });

  it("a gate built with other registries asks those, not the deployment's", async function () {
    const { admin, dids } = await networkHelpers.loadFixture(fixture);
    const otherDids = await ethers.deployContract("DIDRegistry", [false, ethers.ZeroAddress]);
    const other = await new GatedActionMock__factory(admin).deploy(
      await otherDids.getAddress(),
      await dids.getAddress(),
      Topics.KYC,
    );
    expect(await other.registries()).to.deep.equal([await otherDids.getAddress(), await dids.getAddress()]);
  });

  it("deploy/topics.ts mirrors every constant of contracts/identity/Topics.sol, and the deployment registers each", async function () {
    const source = await readFile(new URL("../../contracts/identity/Topics.sol", import.meta.url), "utf8");
    const parsed: Record<string, number> = {};
    for (const [, name, value] of source.matchAll(/uint32 internal constant (\w+) = (\d+);/g)) parsed[name] = Number(value);
    expect(Object.keys(parsed)).to.have.length.greaterThan(0);
    expect(parsed).to.deep.equal({ ...Topics });

    const { credentials } = await networkHelpers.loadFixture(fixture);
    const [ids, names] = await credentials.topics();
    const registered = Object.fromEntries(ids.map((id, i) => [ethers.decodeBytes32String(names[i]), Number(id)]));
    expect(registered).to.deep.equal({ ...Topics });
  });
});

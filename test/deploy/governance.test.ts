import { readFileSync } from "node:fs";
import { expect } from "chai";
import { encodeBytes32String, getAddress, Interface, ZeroAddress } from "ethers";
import { network } from "hardhat";
import type { HardhatEthersProvider } from "@nomicfoundation/hardhat-ethers/types";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkConnection } from "hardhat/types/network";
import { Roles } from "../../deploy/roles.js";
import { Topics } from "../../deploy/topics.js";
import {
  AccessManager__factory,
  AssetData__factory,
  BillOfLading__factory,
  CredentialRegistryV2Mock__factory,
  CredentialRegistry__factory,
  DataElement__factory,
  ERC1271WalletMock__factory,
  JurisdictionRule__factory,
  RWAFactory__factory,
  RWATokenV2Mock__factory,
  RWAToken__factory,
  TraceRegistry__factory,
  TrustDirectory__factory,
  type AccessManager,
  type ERC1271WalletMock,
} from "../../typechain-types/index.js";
import {
  DEPLOY,
  freePort,
  localhostEnv,
  outputsOf,
  removeOutputs,
  run,
  runScript,
  skipUnderCoverage,
  startHardhatNode,
  type NodeProcess,
  type Run,
} from "./node.js";

/**
 * The governance commands as an operator runs them, against a hardhat node on 127.0.0.1 holding a suite deployed by
 * `npm run deploy -- --network localhost` (chain id 31344, reserved for this test): `npm run upgrade` refuses an
 * incompatible storage layout and changed immutables, schedules an upgrade and executes it only after the delay,
 * keeping the state; `npm run handover` moves governance to a multisig (a contract account) and strips the deployer
 * of every role; `npm run roles` shows the result and checks the admin; after the handover `npm run upgrade` prints
 * what the multisig must sign, and the multisig's two transactions carry the upgrade out. One deployment, used in
 * order by the steps below.
 */
const CHAIN_ID = 31344;
const UPGRADE_DELAY = 60n; // deploy/parameters/localhost.json
const KYC_ISSUER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"; // trusted for KYC by the same file
const IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";
const UPGRADE = new Interface(["function upgradeToAndCall(address newImplementation, bytes data)"]);

describe("governance commands against a node (npm run handover, roles, upgrade)", function () {
  this.timeout(300_000);
  let node: NodeProcess | undefined;
  let env: NodeJS.ProcessEnv;
  let connection: NetworkConnection | undefined;
  let provider: HardhatEthersProvider;
  let deployer: HardhatEthersSigner;
  let owner: HardhatEthersSigner;
  let contracts: Record<string, string>;
  let manager: AccessManager;
  let multisig: ERC1271WalletMock;
  let guardian: ERC1271WalletMock;

  const upgrade = (...args: string[]) => runScript("scripts/upgrade.ts", [...args, "--network", "localhost"], env);
  const handover = (...args: string[]) => runScript("scripts/handover.ts", [...args, "--network", "localhost"], env);
  const roles = (...args: string[]) => runScript("scripts/roles.ts", [...args, "--network", "localhost"], env);
  const implementationOf = async (proxy: string) => getAddress(`0x${(await provider.getStorage(proxy, IMPLEMENTATION_SLOT)).slice(-40)}`);
  // Straight from the node: ethers caches the block number for a moment.
  const blockNumber = async () => Number(await provider.send("eth_blockNumber", []));
  const expectSuccess = (result: Run) => expect(result.code, result.output).to.equal(0);

  before(async function () {
    skipUnderCoverage(this);
    removeOutputs(CHAIN_ID);
    const port = await freePort();
    env = localhostEnv(port);
    node = await startHardhatNode(port, CHAIN_ID);
    expectSuccess(await run(DEPLOY, env));
    contracts = JSON.parse(readFileSync(outputsOf(CHAIN_ID).addressBook, "utf8")).contracts;
    // The test's own view of the node: the localhost network at the node's port.
    connection = await network.create({ network: "localhost", override: { url: node.url } });
    provider = connection.ethers.provider;
    [deployer, owner] = await connection.ethers.getSigners();
    manager = AccessManager__factory.connect(contracts.accessManager, deployer);
    // The consortium's multisig: a contract account its owner makes act (ERC1271WalletMock.execute forwards calls).
    multisig = await new ERC1271WalletMock__factory(owner).deploy(owner.address);
    guardian = await new ERC1271WalletMock__factory(owner).deploy(owner.address); // the security council
    await Promise.all([multisig.waitForDeployment(), guardian.waitForDeployment()]);
  });

  after(async function () {
    await connection?.close();
    await node?.stop();
    removeOutputs(CHAIN_ID);
  });

  describe("npm run upgrade, the deployer holding UPGRADER (its delay: 60 s)", function () {
    it("refuses a version whose storage layout is incompatible, naming the fields, and sends nothing", async function () {
      const block = await blockNumber();
      const result = await upgrade("credentialRegistry", "--implementation", "CredentialRegistryReorderedMock");
      expect(result.code, result.output).to.equal(1);
      expect(result.output, result.output).to.contain("layout incompatible with deploy/layouts/CredentialRegistry.json");
      expect(result.output, result.output).to.match(/Deleted `topicNames`|Replaced `topicNames`|`topicIds`/);
      expect(result.output, result.output).to.contain("REFUSED");
      expect(await blockNumber()).to.equal(block);
    });

    it("refuses a version whose immutables (DID registry, time unit) differ from the running ones, before deploying it", async function () {
      const block = await blockNumber();
      // A compatible contract, but built for another DID registry and millisecond timestamps.
      const args = JSON.stringify([contracts.dataElement, true, ZeroAddress]);
      const result = await upgrade("credentialRegistry", "--implementation", "CredentialRegistryV2Mock", "--args", args);
      expect(result.code, result.output).to.equal(1);
      expect(result.output, result.output).to.contain(
        `CredentialRegistry._DIDS: running ${contracts.didRegistry} (contract IDIDRegistry), new ${contracts.dataElement} (contract IDIDRegistry): DIFFERENT`,
      );
      expect(result.output, result.output).to.contain("TimeSource._TIMESTAMP_DIVISOR: running 1 (uint256), new 1000 (uint256): DIFFERENT");
      expect(result.output, result.output).to.contain("SignatureVerifier._SM2_VERIFIER = 0x0000000000000000000000000000000000000000 (address), as running");
      expect(await blockNumber()).to.equal(block);
      // Allowing one change is not allowing the other.
      const allowed = await upgrade(
        "credentialRegistry",
        ...["--implementation", "CredentialRegistryV2Mock", "--args", args, "--allow-immutable-change", "TimeSource._TIMESTAMP_DIVISOR"],
      );
      expect(allowed.code, allowed.output).to.equal(1);
      expect(allowed.output, allowed.output).to.contain("TimeSource._TIMESTAMP_DIVISOR: 1 (uint256) → 1000 (uint256) (allowed by --allow-immutable-change)");
      expect(allowed.output, allowed.output).to.contain("CredentialRegistry._DIDS: running");
      expect(await blockNumber()).to.equal(block);
    });

    it("schedules the upgrade and does not execute it before the delay; a re-run after it executes it, keeping the state", async function () {
      const registry = CredentialRegistry__factory.connect(contracts.credentialRegistry, deployer);
      const running = await implementationOf(contracts.credentialRegistry);
      const topics = await registry.topics();
      expect(await registry.isTrustedIssuer(Topics.KYC, KYC_ISSUER)).to.equal(true);

      const first = await upgrade("credentialRegistry", "--implementation", "CredentialRegistryV2Mock");
      expectSuccess(first);
      const deployed = /deployed {2}contracts\/mocks\/CredentialRegistryV2Mock\.sol:CredentialRegistryV2Mock at (0x[0-9a-fA-F]{40})/.exec(first.output);
      expect(deployed, first.output).to.not.equal(null);
      const implementation = deployed![1];
      expect(first.output, first.output).to.contain("layout compatible with deploy/layouts/CredentialRegistry.json");
      expect(first.output, first.output).to.contain(`CredentialRegistry._DIDS = ${contracts.didRegistry} (contract IDIDRegistry), as running`);
      expect(first.output, first.output).to.match(/scheduled upgradeToAndCall\(0x[0-9a-fA-F]{40}\) as UPGRADER \(1\), delay 60 s: operation (0x[0-9a-f]{64})/);
      expect(first.output, first.output).to.contain("run the same command again then");
      expect(await implementationOf(contracts.credentialRegistry)).to.equal(running);

      // The AccessManager itself refuses the operation before the delay.
      const data = UPGRADE.encodeFunctionData("upgradeToAndCall", [implementation, "0x"]);
      const operation = await manager.hashOperation(deployer.address, contracts.credentialRegistry, data);
      const when = await manager.getSchedule(operation);
      const { timestamp } = (await provider.getBlock("latest"))!;
      expect(when - BigInt(timestamp)).to.be.greaterThan(0n).and.at.most(UPGRADE_DELAY);
      await expect(manager.execute.staticCall(contracts.credentialRegistry, data))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotReady")
        .withArgs(operation);

      // A re-run reuses the scheduled implementation; --dev-time-travel moves the node's clock past the delay.
      const second = await upgrade("credentialRegistry", "--implementation", "CredentialRegistryV2Mock", "--dev-time-travel");
      expectSuccess(second);
      expect(second.output, second.output).to.contain(`reusing   ${implementation}, scheduled by ${deployer.address}`);
      expect(second.output, second.output).to.contain("through the AccessManager");
      expect(second.output, second.output).to.match(/verified {2}the proxy runs 0x[0-9a-fA-F]{40}; \d+ views read as before \(.*topics\(\)/);
      expect(await implementationOf(contracts.credentialRegistry)).to.equal(implementation);
      const v2 = CredentialRegistryV2Mock__factory.connect(contracts.credentialRegistry, deployer);
      expect(await v2.registryVersion()).to.equal(2n);
      expect(await v2.topics()).to.deep.equal(topics);
      expect(await v2.isTrustedIssuer(Topics.KYC, KYC_ISSUER)).to.equal(true);
      expect(await v2.didRegistry()).to.equal(contracts.didRegistry);
      expect(await manager.getSchedule(operation)).to.equal(0n);

      const third = await upgrade("credentialRegistry", "--implementation", "CredentialRegistryV2Mock");
      expectSuccess(third);
      expect(third.output, third.output).to.contain("Nothing to do: credentialRegistry already runs this build");
    });

    it("upgrades an RWA token issued by the factory, found by its directory name, linking the running library", async function () {
      const directoryName = "RWA:GOV-TEST";
      const factory = RWAFactory__factory.connect(contracts.rwaFactory, deployer);
      const spec = { directoryName: encodeBytes32String(directoryName), name: "Warehouse receipt", symbol: "WR", decimals: 0, topics: [Topics.KYC], rules: [] };
      await (await factory.issueAsset(spec)).wait();
      const directory = TrustDirectory__factory.connect(contracts.directory, deployer);
      const [token] = await directory.moduleOf(encodeBytes32String(directoryName));
      expect(await implementationOf(token)).to.equal(contracts.rwaTokenImplementation);

      const result = await upgrade(directoryName, "--implementation", "RWATokenV2Mock", "--dev-time-travel");
      expectSuccess(result);
      expect(result.output, result.output).to.contain(`running   contracts/assets/RWAToken.sol:RWAToken at ${contracts.rwaTokenImplementation} (build: Ignition future Assets#RWATokenImplementation)`);
      expect(result.output, result.output).to.contain("layout compatible with deploy/layouts/RWAToken.json");
      expect(result.output, result.output).to.contain(`IdentityGate._GATE_DIDS = ${contracts.didRegistry} (contract IDIDRegistry), as running`);
      expect(result.output, result.output).to.contain(`IdentityGate._GATE_CREDENTIALS = ${contracts.credentialRegistry} (contract ICredentialRegistry), as running`);
      expect(result.output, result.output).to.contain(`library   contracts/assets/RWARestrictions.sol:RWARestrictions at ${contracts.rwaRestrictions} (as linked by the running implementation)`);
      expect(result.output, result.output).to.contain("moved the development node's clock by 60 s");
      expect(result.output, result.output).to.match(/Done: RWA:GOV-TEST upgraded to contracts\/mocks\/RWATokenV2Mock\.sol:RWATokenV2Mock/);
      const v2 = RWATokenV2Mock__factory.connect(token, deployer);
      expect(await implementationOf(token)).to.not.equal(contracts.rwaTokenImplementation);
      expect([await v2.tokenVersion(), await v2.name(), await v2.symbol()]).to.deep.equal([2n, "Warehouse receipt", "WR"]);
    });
  });

  describe("npm run handover and npm run roles", function () {
    it("roles lists the deployer as admin before the handover; --expect-admin of the multisig fails", async function () {
      const result = await roles("--expect-admin", await multisig.getAddress());
      expect(result.code, result.output).to.equal(1);
      expect(result.output, result.output).to.contain(`${deployer.address} (key, this command's signer)  execution delay none`);
      expect(result.output, result.output).to.contain(`UNEXPECTED: ${deployer.address} (key, this command's signer) holds ADMIN`);
      expect(result.output, result.output).to.contain(`UNEXPECTED: ${await multisig.getAddress()} does not hold ADMIN`);
    });

    it("refuses an account without code (a multisig is a contract), sending nothing", async function () {
      const block = await blockNumber();
      const result = await handover("--admin", owner.address);
      expect(result.code, result.output).to.equal(1);
      expect(result.output, result.output).to.contain(`--admin ${owner.address} has no code: a multisig is a contract`);
      expect(await blockNumber()).to.equal(block);
    });

    it("gives the multisig ADMIN and the deployer's roles (GUARDIAN to --guardian), then the deployer renounces every role, ADMIN last", async function () {
      const wallet = await multisig.getAddress();
      const council = await guardian.getAddress();
      const result = await handover("--admin", wallet, "--guardian", council);
      expectSuccess(result);
      const steps = [...result.output.matchAll(/^ {2}(grant|renounce) +(\w+) \((\d+)\)/gm)].map(([, action, role]) => `${action} ${role}`);
      const held = ["ADMIN", "UPGRADER", "GUARDIAN", "DIRECTORY_EDITOR", "TOPIC_ADMIN", "DATA_ADMIN", "TRADE_ADMIN", "ASSET_ISSUER", "ASSET_AGENT", "COMPLIANCE_ADMIN", "JURISDICTION_ADMIN"];
      expect(steps).to.deep.equal([...held.map((role) => `grant ${role}`), ...held.slice(1).map((role) => `renounce ${role}`), "renounce ADMIN"]);
      expect(result.output, result.output).to.match(/tx 0x[0-9a-f]{64}/);
      expect(result.output, result.output).to.match(new RegExp(`grant +GUARDIAN \\(2\\) +to ${council}, execution delay none`));
      expect(result.output, result.output).to.match(new RegExp(`grant +UPGRADER \\(1\\) +to ${wallet}, execution delay 60 s`));

      for (const [name, id] of Object.entries(Roles)) {
        if (id === Roles.PUBLIC) continue;
        expect(await manager.hasRole(id, deployer.address), `deployer ${name}`).to.deep.equal([false, 0n]);
        if (name !== "ASSET_DISTRIBUTOR") {
          const delay = id === Roles.UPGRADER ? UPGRADE_DELAY : 0n;
          expect(await manager.hasRole(id, id === Roles.GUARDIAN ? council : wallet), name).to.deep.equal([true, delay]);
        }
      }
      // The suite's contracts keep the roles they work with.
      expect((await manager.hasRole(Roles.ADMIN, contracts.rwaFactory))[0]).to.equal(true);
      expect((await manager.hasRole(Roles.ASSET_DISTRIBUTOR, contracts.rwaDistributor))[0]).to.equal(true);
    });

    it("leaves the deployer refused by every door it held", async function () {
      const me = deployer.address;
      const unauthorized = "AccessManagedUnauthorized";
      await expect(manager.grantRole.staticCall(Roles.TOPIC_ADMIN, me, 0))
        .to.be.revertedWithCustomError(manager, "AccessManagerUnauthorizedAccount")
        .withArgs(me, Roles.ADMIN);
      const upgradeCall = UPGRADE.encodeFunctionData("upgradeToAndCall", [ZeroAddress, "0x"]);
      await expect(manager.schedule.staticCall(contracts.credentialRegistry, upgradeCall, 0))
        .to.be.revertedWithCustomError(manager, "AccessManagerUnauthorizedCall")
        .withArgs(me, contracts.credentialRegistry, upgradeCall.slice(0, 10));
      const registry = CredentialRegistry__factory.connect(contracts.credentialRegistry, deployer);
      await expect(registry.registerTopic.staticCall(999, encodeBytes32String("X"))).to.be.revertedWithCustomError(registry, unauthorized).withArgs(me);
      await expect(registry.upgradeToAndCall.staticCall(ZeroAddress, "0x")).to.be.revertedWithCustomError(registry, unauthorized).withArgs(me);
      const directory = TrustDirectory__factory.connect(contracts.directory, deployer);
      await expect(directory.register.staticCall(encodeBytes32String("X"), me, 1)).to.be.revertedWithCustomError(directory, unauthorized).withArgs(me);
      const data = DataElement__factory.connect(contracts.dataElement, deployer);
      await expect(data.setBaseURI.staticCall("https://x/")).to.be.revertedWithCustomError(data, unauthorized).withArgs(me);
      const bills = BillOfLading__factory.connect(contracts.billOfLading, deployer);
      await expect(bills.setIssuancePaused.staticCall(true)).to.be.revertedWithCustomError(bills, unauthorized).withArgs(me);
      const trace = TraceRegistry__factory.connect(contracts.traceRegistry, deployer);
      await expect(trace.setStepRule.staticCall(99, { topic: Topics.KYC, custody: false, authority: false })).to.be.revertedWithCustomError(trace, unauthorized).withArgs(me);
      const assets = AssetData__factory.connect(contracts.assetData, deployer);
      await expect(assets.linkEvidence.staticCall(me, encodeBytes32String("X"))).to.be.revertedWithCustomError(assets, unauthorized).withArgs(me);
      const [tokenAddress] = await directory.moduleOf(encodeBytes32String("RWA:GOV-TEST")); // issued above
      const token = RWAToken__factory.connect(tokenAddress, deployer);
      await expect(token.pause.staticCall()).to.be.revertedWithCustomError(token, unauthorized).withArgs(me); // ASSET_AGENT
      await expect(token.setSenderChecked.staticCall(true)).to.be.revertedWithCustomError(token, unauthorized).withArgs(me); // COMPLIANCE_ADMIN
      const factory = RWAFactory__factory.connect(contracts.rwaFactory, deployer);
      const spec = { directoryName: encodeBytes32String("RWA:X"), name: "X", symbol: "X", decimals: 0, topics: [Topics.KYC], rules: [] };
      await expect(factory.issueAsset.staticCall(spec)).to.be.revertedWithCustomError(factory, unauthorized).withArgs(me); // ASSET_ISSUER
      const jurisdictions = JurisdictionRule__factory.connect(contracts.jurisdictionRule, deployer);
      await expect(jurisdictions.setJurisdictions.staticCall([me], [1])).to.be.revertedWithCustomError(jurisdictions, unauthorized).withArgs(me);
      // ...while the multisig's roles work.
      const name = encodeBytes32String("GovernanceTest");
      await (await multisig.execute(contracts.directory, directory.interface.encodeFunctionData("register", [name, contracts.didRegistry, 1]))).wait();
      expect((await directory.moduleOf(name))[0]).to.equal(contracts.didRegistry);
    });

    it("finds nothing to do when run again, and refuses a caller that is not the admin", async function () {
      const again = await handover("--admin", await multisig.getAddress());
      expectSuccess(again);
      expect(again.output, again.output).to.match(new RegExp(`Nothing to do: ${deployer.address} holds no role; ADMIN is held by .*${await multisig.getAddress()}`));
      // The guardian holds a role, not ADMIN: handing ADMIN to it needs the admin's key.
      const refused = await handover("--admin", await guardian.getAddress());
      expect(refused.code, refused.output).to.equal(1);
      expect(refused.output, refused.output).to.contain(`${deployer.address} holds no role and is not the current admin`);
      // --allow-eoa lifts the code check only.
      const toKey = await handover("--admin", owner.address, "--allow-eoa");
      expect(toKey.code, toKey.output).to.equal(1);
      expect(toKey.output, toKey.output).to.not.contain("has no code");
      expect(toKey.output, toKey.output).to.contain(`${deployer.address} holds no role and is not the current admin`);
    });

    it("roles lists the multisig as admin and the deployer nowhere; --expect-admin passes", async function () {
      const wallet = await multisig.getAddress();
      const result = await roles("--expect-admin", wallet);
      expectSuccess(result);
      const listing = result.output.slice(result.output.indexOf("\nRoles"), result.output.indexOf("\nTargets"));
      const section = (role: string, next: string) => listing.slice(listing.indexOf(`\n  ${role}:`), listing.indexOf(`\n  ${next}:`));
      const admins = section("ADMIN (0)", "UPGRADER (1)");
      expect(admins).to.contain(`${wallet} (contract)  execution delay none`);
      expect(admins).to.contain(`${contracts.rwaFactory} (rwaFactory)  execution delay none`);
      const upgraders = section("UPGRADER (1)", "GUARDIAN (2)");
      expect(upgraders.trim().split("\n").slice(1)).to.deep.equal([`    ${wallet} (contract)  execution delay 60 s`]);
      expect(listing).to.not.contain(deployer.address);
      expect(result.output, result.output).to.contain(`credentialRegistry (CredentialRegistry) ${contracts.credentialRegistry}: admin delay none, open`);
      expect(result.output, result.output).to.match(/upgradeToAndCall\(address,bytes\) +UPGRADER \(1\)/);
      expect(result.output, result.output).to.contain(`ADMIN as expected: ${wallet} and the suite's RWAFactory.`);
    });
  });

  describe("npm run upgrade after the handover", function () {
    it("prints what the multisig must sign; its two transactions carry the upgrade out after the delay", async function () {
      const wallet = await multisig.getAddress();
      const before = await implementationOf(contracts.credentialRegistry);
      const result = await upgrade("credentialRegistry", "--implementation", "CredentialRegistry");
      expectSuccess(result);
      expect(result.output, result.output).to.contain(`${deployer.address} (the signer) does not hold UPGRADER (1)`);
      expect(result.output, result.output).to.contain(`holder ${wallet}, execution delay 60 s`);
      expect(result.output, result.output).to.contain("NOT EXECUTED");
      const deployed = /deployed {2}contracts\/identity\/CredentialRegistry\.sol:CredentialRegistry at (0x[0-9a-fA-F]{40})/.exec(result.output)![1];
      const schedule = /1\. schedule: to (0x[0-9a-fA-F]{40}), value 0, data\n\s+(0x[0-9a-f]+)/.exec(result.output);
      const execute = /2\. execute, once the delay is over: to (0x[0-9a-fA-F]{40}), value 0, data\n\s+(0x[0-9a-f]+)/.exec(result.output);
      expect(schedule?.[1]).to.equal(contracts.accessManager);
      expect(execute?.[1]).to.equal(contracts.accessManager);
      expect(await implementationOf(contracts.credentialRegistry)).to.equal(before);

      await (await multisig.execute(contracts.accessManager, schedule![2])).wait();
      await expect(multisig.execute.staticCall(contracts.accessManager, execute![2])).to.be.revertedWithCustomError(manager, "AccessManagerNotReady");
      await provider.send("evm_increaseTime", [Number(UPGRADE_DELAY)]);
      await provider.send("evm_mine", []);
      await (await multisig.execute(contracts.accessManager, execute![2])).wait();
      expect(await implementationOf(contracts.credentialRegistry)).to.equal(deployed);
      const registry = CredentialRegistry__factory.connect(contracts.credentialRegistry, deployer);
      expect(await registry.isTrustedIssuer(Topics.KYC, KYC_ISSUER)).to.equal(true);

      const done = await upgrade("credentialRegistry", "--implementation", "CredentialRegistry");
      expectSuccess(done);
      expect(done.output, done.output).to.contain("Nothing to do: credentialRegistry already runs this build");
    });
  });
});

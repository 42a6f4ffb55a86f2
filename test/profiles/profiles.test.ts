/**
 * Chain profiles (deploy/profiles/) and how scripts/lib/profile.ts applies them: what each chain type is declared
 * to be, the network entries built from them, the Ignition parameters they imply, the build check (contract size,
 * opcodes), the chain check (time unit, EIP-1559, base fee, SM2 verifier), the in-process stand-in and its clock,
 * and the signature seam: no contract checks a signature outside SignatureVerifier, no demo chapter signs
 * outside `demo.sign`.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import hre, { network } from "hardhat";
import { ZeroAddress, getAddress } from "ethers";
import { chainSettingsOf, networkProfiles, profileNamed, profileOf, profiles, type ChainProfile } from "../../deploy/profiles/index.js";
import { EVM_VERSIONS } from "../../deploy/profiles/types.js";
import {
  ChainClock,
  checkBuild,
  checkChain,
  deployedContractNames,
  opcodesOf,
  parametersFor,
  simulateProfile,
} from "../../scripts/lib/profile.js";

const root = hre.config.paths.root;
const SM2_PRECOMPILE = "0x000000000000000000000000000000000000100a";
const LAGGING = ["besu", "quorum", "fisco", "fisco-gm", "chainmaker"];

describe("chain profiles", function () {
  describe("deploy/profiles", function () {
    it("has one profile per chain type, each file named as the profile", function () {
      expect(Object.keys(profiles).sort()).to.deep.equal(["besu", "chainmaker", "fisco", "fisco-gm", "generic", "quorum"]);
      const files = readdirSync(path.join(root, "deploy", "profiles")).filter((f) => !["index.ts", "types.ts"].includes(f));
      expect(files.map((f) => f.replace(/\.ts$/, "")).sort()).to.deep.equal(Object.keys(profiles).sort());
      for (const [name, profile] of Object.entries(profiles)) expect(profile.name).to.equal(name);
    });

    it("lagging chains: no PUSH0 (before Shanghai), zero gas price; legacy transactions where EIP-1559 is absent", function () {
      for (const name of LAGGING) {
        const profile = profiles[name];
        expect(EVM_VERSIONS.indexOf(profile.evmVersion), name).to.be.lessThan(EVM_VERSIONS.indexOf("shanghai"));
        expect(profile.gasPrice, name).to.equal(0n);
      }
      expect(LAGGING.filter((name) => profiles[name].txType === "legacy")).to.deep.equal(["quorum", "fisco", "fisco-gm", "chainmaker"]);
      expect(profiles.besu.txType).to.equal("eip1559");
      expect(profiles.generic).to.deep.include({ evmVersion: "paris", txType: "eip1559", gasPrice: "auto", timeUnit: "seconds" });
    });

    it("time in milliseconds on FISCO BCOS (before 3.12) only; SM2 with an SM3 hash and the 0x…100a verifier on fisco-gm only", function () {
      for (const [name, profile] of Object.entries(profiles)) {
        expect(profile.timeUnit, name).to.equal(name.startsWith("fisco") ? "milliseconds" : "seconds");
        const gm = name === "fisco-gm";
        expect(profile.signatureScheme, name).to.equal(gm ? "sm2" : "secp256k1");
        expect(profile.hashFunction, name).to.equal(gm ? "sm3" : "keccak256");
        expect(profile.sm2Precompile, name).to.equal(gm ? SM2_PRECOMPILE : undefined);
        expect(profile.contractSizeLimit, name).to.equal(24_576);
      }
    });

    it("no native coin on ChainMaker and FISCO BCOS", function () {
      expect(Object.values(profiles).filter((p) => !p.nativeCoin).map((p) => p.name)).to.deep.equal(["fisco", "fisco-gm", "chainmaker"]);
    });

    it("chainSettingsOf: the $global values every Ignition module reads", function () {
      expect(chainSettingsOf(profiles["fisco-gm"])).to.deep.equal({ millisecondTimestamps: true, sm2Verifier: SM2_PRECOMPILE });
      expect(chainSettingsOf(profiles.fisco)).to.deep.equal({ millisecondTimestamps: true, sm2Verifier: ZeroAddress });
      expect(chainSettingsOf(profiles.besu)).to.deep.equal({ millisecondTimestamps: false, sm2Verifier: ZeroAddress });
    });

    it("profileOf: the network's profile, generic for unlisted networks; an unknown profile name is refused", function () {
      expect(profileOf("fisco-gm").name).to.equal("fisco-gm");
      expect(profileOf("fisco-gm-sim").name).to.equal("fisco-gm");
      expect(profileOf("localhost").name).to.equal("generic");
      expect(profileOf("default").name).to.equal("generic");
      expect(() => profileNamed("geth")).to.throw('No chain profile "geth": deploy/profiles has generic, besu, quorum, fisco, fisco-gm, chainmaker');
    });
  });

  describe("network entries (hardhat.config.ts)", function () {
    it("every network of the table exists; each consortium endpoint sends its profile's gas price from its own variables", function () {
      for (const name of Object.keys(networkProfiles)) expect(hre.config.networks, name).to.have.property(name);
      for (const name of LAGGING) {
        const entry = hre.config.networks[name];
        expect(entry.type, name).to.equal("http");
        expect(entry.gasPrice, name).to.equal(profiles[name].gasPrice);
        const prefix = name.toUpperCase().replace("-", "_");
        if (entry.type !== "http" || entry.accounts === "remote" || !Array.isArray(entry.accounts)) throw new Error(`${name}: not an http entry with a key`);
        expect((entry.url as unknown as { name: string }).name, name).to.equal(`${prefix}_RPC_URL`);
        expect(entry.accounts.map((key) => (key as unknown as { name: string }).name), name).to.deep.equal([`${prefix}_DEPLOYER_KEY`]);
      }
      const sim = hre.config.networks["fisco-gm-sim"];
      expect(sim).to.deep.include({ type: "edr-simulated", gasPrice: 0n });
    });
  });

  describe("parametersFor", function () {
    const file = { Governance: { upgradeDelay: 60 }, Identity: { trustedIssuers: [] } };

    it("adds the profile's chain settings under $global and converts the upgrade delay to the chain's unit", function () {
      expect(parametersFor(file, profiles["fisco-gm"], "f.json")).to.deep.equal({
        $global: { millisecondTimestamps: true, sm2Verifier: SM2_PRECOMPILE },
        Governance: { upgradeDelay: 60_000 },
        Identity: { trustedIssuers: [] },
      });
      expect(parametersFor(file, profiles.besu, "f.json").Governance).to.deep.equal({ upgradeDelay: 60 });
      // Governance's own default, two days, in milliseconds.
      expect(parametersFor({}, profiles.fisco, "f.json").Governance).to.deep.equal({ upgradeDelay: 172_800_000 });
    });

    it("accepts a file stating what the profile says (addresses in any case)", function () {
      const stated = { $global: { millisecondTimestamps: true, sm2Verifier: getAddress(SM2_PRECOMPILE) } };
      expect(parametersFor(stated, profiles["fisco-gm"], "f.json").$global).to.deep.equal({ millisecondTimestamps: true, sm2Verifier: SM2_PRECOMPILE });
    });

    it("refuses a file that contradicts the profile, under $global or in a module's section", function () {
      expect(() => parametersFor({ $global: { millisecondTimestamps: false } }, profiles.fisco, "deploy/parameters/x.json")).to.throw(
        'deploy/parameters/x.json: $global.millisecondTimestamps is false, but profile "fisco" says true',
      );
      expect(() => parametersFor({ Trade: { sm2Verifier: ZeroAddress } }, profiles["fisco-gm"], "x.json")).to.throw(
        `x.json: Trade.sm2Verifier is "${ZeroAddress}", but profile "fisco-gm" says "${SM2_PRECOMPILE}"`,
      );
      expect(() => parametersFor({ Governance: { upgradeDelay: 1.5 } }, profiles.fisco, "x.json")).to.throw("x.json: Governance.upgradeDelay must be whole seconds");
    });

    it("no parameters file of the repository contradicts the profile of its network", function () {
      const directory = path.join(root, "deploy", "parameters");
      for (const name of readdirSync(directory)) {
        const parameters = JSON.parse(readFileSync(path.join(directory, name), "utf8"));
        for (const profile of Object.values(profiles)) expect(() => parametersFor(parameters, profile, name), `${name} / ${profile.name}`).to.not.throw();
      }
    });
  });

  describe("checkBuild: the chain would accept what the Suite deploys", function () {
    // Under --coverage the artifacts are instrumented (larger, never deployed): the figures would not be the build's.
    before(function () {
      if (hre.globalOptions.coverage === true) this.skip();
    });

    it("every profile accepts the build: each contract within 24,576 bytes, no opcode its EVM lacks", async function () {
      const names = deployedContractNames();
      expect(names).to.include.members(["DataElement", "RWAToken", "RWARestrictions", "TrustAccessManager", "ERC1967Proxy", "EvidenceVault"]);
      for (const profile of Object.values(profiles)) {
        const report = await checkBuild(profile, names);
        expect(report.problems, profile.name).to.deep.equal([]);
        expect(report.contracts.map((c) => c.name)).to.deep.equal(names);
        for (const { name, size } of report.contracts) expect(size, name).to.be.within(1, profile.contractSizeLimit);
      }
    });

    it("refuses a profile whose contract size limit a contract exceeds, naming it and its size", async function () {
      const size = (await checkBuild(profiles.besu, ["DataElement"])).contracts[0].size;
      const small: ChainProfile = { ...profiles.besu, name: "small", contractSizeLimit: size - 1 };
      expect((await checkBuild(small, ["DataElement", "TrustDirectory"])).problems).to.deep.equal([
        `DataElement: ${size} bytes of runtime code, over the ${size - 1}-byte limit of profile "small"`,
      ]);
    });

    it("refuses a profile whose EVM lacks an opcode the build uses: CHAINID and SELFBALANCE before Istanbul", async function () {
      const old: ChainProfile = { ...profiles.quorum, name: "old", evmVersion: "petersburg" };
      const { problems } = await checkBuild(old, ["DIDRegistry", "TrustDirectory", "TrustAccessManager"]);
      expect(problems).to.deep.equal([
        'DIDRegistry: uses CHAINID (istanbul), which a petersburg chain (profile "old") lacks',
        'TrustAccessManager: uses SELFBALANCE (istanbul), which a petersburg chain (profile "old") lacks',
      ]);
      // The build has no PUSH0, MCOPY, TSTORE or BASEFEE: a Berlin chain takes it.
      expect((await checkBuild({ ...old, evmVersion: "berlin" })).problems).to.deep.equal([]);
    });

    it("opcodesOf reads code, not data: PUSH data, metadata and link placeholders are skipped", function () {
      expect(opcodesOf("0x5f")).to.deep.equal([0x5f]);
      expect(opcodesOf("0x605f00")).to.deep.equal([0x60, 0x00]); // PUSH1 0x5f, STOP
      expect(opcodesOf("0x7f" + "5f".repeat(32) + "46")).to.deep.equal([0x7f, 0x46]); // PUSH32 of 0x5f bytes, CHAINID
      const metadata = "a264697066735822" + "5f".repeat(34) + "64736f6c6343" + "00081c" + "0033";
      expect(opcodesOf("0x00fe" + metadata)).to.deep.equal([0x00, 0xfe]);
      expect(opcodesOf("0x73__$0123456789abcdef0123456789abcdef01$__00")).to.deep.equal([0x73, 0x00]);
    });
  });

  describe("checkChain, simulateProfile and ChainClock on the in-process chain", function () {
    it("a seconds chain with a base fee: generic fits; a millisecond profile, a zero-gas-price EIP-1559 profile do not", async function () {
      const connection = await network.create();
      expect(await checkChain(connection, profiles.generic)).to.deep.equal({ problems: [], warnings: [] });
      const block = (await connection.ethers.provider.getBlock("latest"))!;
      const priced = (name: string) =>
        `profile "${name}" sends gas price 0, but the chain's base fee is ${block.baseFeePerGas} wei: its transactions would be refused (Besu: zeroBaseFee)`;
      expect((await checkChain(connection, profiles.fisco)).problems).to.deep.equal([
        `block ${block.number} has timestamp ${block.timestamp}, in seconds, but profile "fisco" says milliseconds`,
        priced("fisco"),
      ]);
      expect((await checkChain(connection, profiles.besu)).problems).to.deep.equal([priced("besu")]);
    });

    it("a chain without EIP-1559 refuses an eip1559 profile and takes a legacy one", async function () {
      const connection = await network.create({ network: "default", override: { hardfork: "berlin" } });
      const block = (await connection.ethers.provider.getBlock("latest"))!;
      expect((await checkChain(connection, profiles.besu)).problems).to.deep.equal([
        `profile "besu" expects EIP-1559, but block ${block.number} has no baseFeePerGas: use a legacy profile`,
      ]);
      expect(await checkChain(connection, profiles.quorum)).to.deep.equal({ problems: [], warnings: [] });
    });

    it("simulateProfile makes the chain the profile's once: SM2 stand-in, millisecond clock; checkChain then agrees", async function () {
      const connection = await network.create();
      const { ethers } = connection;
      const profile = profiles["fisco-gm"];
      const before = await checkChain(connection, profile);
      expect(before.warnings).to.deep.equal([
        `no SM2 verifier answered sm2Verify at ${getAddress(SM2_PRECOMPILE)}: signed operations will all be refused (see docs/deploy/fisco-gm.md)`,
      ]);
      const seconds = BigInt(await connection.networkHelpers.time.latest());
      const changes = await simulateProfile(connection, profile);
      expect(changes).to.deep.equal([
        `SM2VerifierMock placed at ${getAddress(SM2_PRECOMPILE)} (stand-in of the chain's SM2 precompile)`,
        `block timestamps count milliseconds from block ${await ethers.provider.getBlockNumber()}`,
      ]);
      expect(BigInt(await connection.networkHelpers.time.latest())).to.equal(seconds * 1000n);
      expect(await simulateProfile(connection, profile)).to.deep.equal([]);
      // A zero-gas-price chain's base fee is not the in-process chain's: only that problem is left.
      const after = await checkChain(connection, { ...profile, gasPrice: "auto" });
      expect(after).to.deep.equal({ problems: [], warnings: [] });
    });

    it("ChainClock: seconds from a millisecond chain; waits and AccessManager delays in the chain's unit", async function () {
      const connection = await network.create();
      await simulateProfile(connection, profiles.fisco);
      const clock = new ChainClock(connection, profiles.fisco);
      const latest = BigInt(await connection.networkHelpers.time.latest());
      expect(await clock.now()).to.equal(latest / 1000n);
      expect(clock.toChain(60)).to.equal(60_000n);
      expect(clock.toSeconds(172_800_999n)).to.equal(172_800n);
      await clock.increase(10);
      await connection.networkHelpers.mine();
      expect(BigInt(await connection.networkHelpers.time.latest())).to.be.within(latest + 10_000n, latest + 10_002n);
      const generic = new ChainClock(connection, profiles.generic);
      expect(generic.toChain(60)).to.equal(60n);
    });
  });

  describe("the signature seam", function () {
    it("no contract but SignatureVerifier recovers or checks a signature itself (ecrecover, ECDSA, SignatureChecker, ERC-1271)", function () {
      const offenders: string[] = [];
      const visit = (directory: string) => {
        for (const entry of readdirSync(directory, { withFileTypes: true })) {
          const file = path.join(directory, entry.name);
          if (entry.isDirectory()) {
            if (entry.name !== "mocks") visit(file);
          } else if (entry.name.endsWith(".sol") && entry.name !== "SignatureVerifier.sol") {
            const source = readFileSync(file, "utf8").replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
            if (/\becrecover\b|\bECDSA\b|\bSignatureChecker\b|\bisValidSignature\b/.test(source)) offenders.push(path.relative(root, file));
          }
        }
      };
      visit(path.join(root, "contracts"));
      expect(offenders).to.deep.equal([]);
    });

    it("every signature the demo makes goes through demo.sign, which signs under the deployment's profile", function () {
      const directory = path.join(root, "scripts", "demo", "chapters");
      const signing = readdirSync(directory).filter((name) => /\.signTypedData\(|\.signMessage\(|\.sign\(/.test(readFileSync(path.join(directory, name), "utf8").replaceAll("demo.sign(", "")));
      expect(signing).to.deep.equal([]);
      const uses = readdirSync(directory).flatMap((name) => readFileSync(path.join(directory, name), "utf8").match(/demo\.sign\(/g) ?? []);
      expect(uses.length).to.be.greaterThan(5);
    });
  });
});

import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { TypedDataEncoder, Wallet, ZeroAddress, encodeBytes32String, hexlify, id, toUtf8Bytes, type TypedDataField } from "ethers";
import hre, { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { deploySuite } from "../../scripts/lib/suite.js";
import { skipUnderCoverage } from "../deploy/node.js";
import * as sdk from "../../sdk/index.js";
import * as addressesModule from "../../sdk/addresses.js";
import * as dataModule from "../../sdk/data.js";
import * as didModule from "../../sdk/did.js";
import * as eip712Module from "../../sdk/eip712.js";
import * as evidenceModule from "../../sdk/evidence.js";
import * as gs1Module from "../../sdk/gs1.js";
import * as merkleModule from "../../sdk/merkle.js";
import * as signaturesModule from "../../sdk/signatures.js";
import * as traceModule from "../../sdk/trace.js";
import * as tradeModule from "../../sdk/trade.js";
import { ChangeKind, CredentialRegistryTypes, DIDRegistryTypes, DataRevenueTypes, RWADvPTypes, type SignedContract } from "../../sdk/eip712.js";
import { EvidenceVaultTypes } from "../../sdk/evidence.js";
import { BillOfLadingTypes } from "../../sdk/trade.js";
import {
  SIGNED_OPERATIONS,
  didRegistryTypedData,
  erc1056Hash,
  signErc1056,
  signTypedData,
  signTypedDataWithKey,
  typedDataDigest,
  typedDataPayload,
} from "../../sdk/signatures.js";
import { didOf, readIdentity, resolveDid } from "../../sdk/did.js";
import { DIDRegistry__factory } from "../../typechain-types/index.js";

/**
 * The SDK as the package ships it: one index exporting every module, a builder for every contract function that
 * takes a signature (checked against the ABIs), type strings equal to the contracts' (checked against the compiled
 * bytecode and the sources), domains equal to the deployed contracts', and the DID readers against the registry.
 */

const root = hre.config.paths.root;

/** The type group of each contract that verifies EIP-712 signatures. */
const GROUPS: Record<SignedContract, Record<string, Record<string, TypedDataField[]>>> = {
  DIDRegistry: DIDRegistryTypes,
  CredentialRegistry: CredentialRegistryTypes,
  DataRevenue: DataRevenueTypes,
  RWADvP: RWADvPTypes,
  BillOfLading: BillOfLadingTypes,
  EvidenceVault: EvidenceVaultTypes,
};

const uncapitalize = (name: string) => name[0].toLowerCase() + name.slice(1);

describe("SDK (sdk/index.ts, as the package ships it)", function () {
  describe("index", function () {
    const modules: Record<string, Record<string, unknown>> = {
      addresses: addressesModule,
      data: dataModule,
      did: didModule,
      eip712: eip712Module,
      evidence: evidenceModule,
      gs1: gs1Module,
      merkle: merkleModule,
      signatures: signaturesModule,
      trace: traceModule,
      trade: tradeModule,
    };
    const aliases: Record<string, Record<string, string>> = {
      data: { readLedger: "readDataLedger" },
      evidence: { readLedger: "readEvidenceLedger" },
      trace: { verifyChain: "verifyTraceChain" },
      trade: { verifyChain: "verifyBillChain" },
    };

    it("exports every module as a namespace", function () {
      for (const [name, module] of Object.entries(modules)) {
        expect((sdk as Record<string, unknown>)[name], name).to.equal(module);
      }
    });

    it("exports every value of every module flat, under its own name or its alias", function () {
      const flat = sdk as Record<string, unknown>;
      for (const [name, module] of Object.entries(modules)) {
        for (const [exported, value] of Object.entries(module)) {
          const alias = aliases[name]?.[exported] ?? exported;
          expect(flat[alias], `${name}.${exported} as ${alias}`).to.equal(value);
        }
      }
    });

    it("exports no shared name flat, so that no one gets the other module's function", function () {
      for (const shared of ["verifyChain", "readLedger"]) expect(sdk).not.to.have.property(shared);
    });
  });

  describe("signed operations", function () {
    /** `Contract.function` of every function of a deployable contract whose parameters carry a signature. */
    async function functionsTakingSignatures(): Promise<string[]> {
      const carriesSignature = (input: { name: string; components?: unknown[] }): boolean =>
        /^(sig[VRS]|consent|\w*[sS]ignatures?)$/.test(input.name) ||
        ((input.components ?? []) as { name: string }[]).some(carriesSignature);
      const found: string[] = [];
      for (const name of await hre.artifacts.getAllFullyQualifiedNames()) {
        if (!name.startsWith("contracts/") || name.startsWith("contracts/mocks/")) continue;
        const artifact = await hre.artifacts.readArtifact(name);
        if (artifact.bytecode === "0x") continue; // interfaces and abstract contracts: their deployable children count
        for (const item of artifact.abi as { type: string; name: string; inputs: { name: string }[] }[]) {
          if (item.type === "function" && item.inputs.some(carriesSignature)) found.push(`${artifact.contractName}.${item.name}`);
        }
      }
      return found.sort();
    }

    it("SIGNED_OPERATIONS lists exactly the functions of the contracts that take a signature", async function () {
      const listed = SIGNED_OPERATIONS.map((op) => `${op.contract}.${op.function}`).sort();
      expect(new Set(listed).size, "listed twice").to.equal(listed.length);
      expect(listed).to.deep.equal(await functionsTakingSignatures());
    });

    it("every listed operation has its builder, and the builder makes typed data of its type", function () {
      const builders = signaturesModule as unknown as Record<string, (chainId: number, address: string) => Record<string, unknown>>;
      for (const op of SIGNED_OPERATIONS) {
        if (op.type === "ERC-1056") {
          expect(op.builder).to.equal("erc1056Hash + signErc1056");
          continue;
        }
        const builder = builders[op.builder](31337, ZeroAddress)[uncapitalize(op.type)] as (m: object) => signaturesModule.TypedData;
        expect(builder, `${op.builder}(…).${uncapitalize(op.type)}`).to.be.a("function");
        const contract = op.contract === "DataElement" ? "CredentialRegistry" : op.contract;
        expect(builder({}).primaryType).to.equal(op.type);
        expect(builder({}).types).to.equal(GROUPS[contract][op.type]);
        expect(builder({}).domain.name).to.equal(`trustbase ${contract}`);
      }
    });

    it("the hash of every struct type of the SDK is in the compiled bytecode of its contract", async function () {
      // Under --coverage the artifacts are instrumented builds, not the bytecode that ships.
      skipUnderCoverage(this);
      for (const [contract, group] of Object.entries(GROUPS)) {
        const { deployedBytecode } = await hre.artifacts.readArtifact(contract);
        for (const [primary, types] of Object.entries(group)) {
          const encoder = TypedDataEncoder.from(types);
          for (const struct of Object.keys(types)) {
            const typeHash = id(encoder.encodeType(struct));
            expect(deployedBytecode, `${contract}: ${encoder.encodeType(struct)} (of ${primary})`).to.include(typeHash.slice(2));
          }
        }
      }
    });

    it("every *_TYPEHASH string of the contracts is one the SDK hashes", function () {
      const sdkStrings = new Set<string>();
      for (const group of Object.values(GROUPS)) {
        for (const types of Object.values(group)) {
          const encoder = TypedDataEncoder.from(types);
          for (const struct of Object.keys(types)) sdkStrings.add(encoder.encodeType(struct));
        }
      }
      // EvidenceKinds' entry hashes are not EIP-712 messages: sdk/evidence.ts hashes the same strings.
      const evidenceSource = readFileSync(path.join(root, "sdk", "evidence.ts"), "utf8").replace(/"\s*,?\s*\n\s*"/g, "");
      const sources = (dir: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
          entry.isDirectory() ? (entry.name === "mocks" ? [] : sources(path.join(dir, entry.name))) : [path.join(dir, entry.name)],
        );
      let count = 0;
      for (const file of sources(path.join(root, "contracts")).filter((f) => f.endsWith(".sol"))) {
        const text = readFileSync(file, "utf8");
        for (const [, name, typeString] of text.matchAll(/(\w+_TYPEHASH)\s*=\s*keccak256\(\s*"([^"]+)"\s*\)/g)) {
          count += 1;
          const known = sdkStrings.has(typeString) || evidenceSource.includes(`"${typeString}"`);
          expect(known, `${path.basename(file)} ${name}: ${typeString}`).to.equal(true);
        }
      }
      expect(count).to.be.greaterThan(20);
    });
  });

  describe("against the deployed suite", function () {
    let connection: NetworkConnection<"generic">;
    let suite: Awaited<ReturnType<typeof deploySuite>>;
    let chainId: bigint;

    before(async function () {
      connection = await network.create();
      suite = await deploySuite(connection);
      chainId = (await connection.ethers.provider.getNetwork()).chainId;
    });

    it("each contract's EIP-712 domain (ERC-5267 eip712Domain) is the one the builders sign under", async function () {
      const builders: Record<SignedContract, [string, (chainId: bigint, address: string) => { domain: object }]> = {
        DIDRegistry: ["didRegistry", signaturesModule.didRegistryTypedData],
        CredentialRegistry: ["credentialRegistry", signaturesModule.credentialRegistryTypedData],
        DataRevenue: ["dataRevenue", signaturesModule.dataRevenueTypedData],
        RWADvP: ["rwaDvP", signaturesModule.rwaDvPTypedData],
        BillOfLading: ["billOfLading", signaturesModule.billOfLadingTypedData],
        EvidenceVault: ["evidenceVault", signaturesModule.evidenceVaultTypedData],
      };
      for (const [contract, [result, builder]] of Object.entries(builders)) {
        const deployed = suite.contracts[result];
        expect(deployed, `the suite's ${result}`).to.not.equal(undefined);
        const instance = new connection.ethers.Contract(
          deployed.address,
          ["function eip712Domain() view returns (bytes1, string, string, uint256, address, bytes32, uint256[])"],
          connection.ethers.provider,
        );
        const [fields, name, version, domainChainId, verifyingContract] = await instance.eip712Domain();
        expect(fields, contract).to.equal("0x0f");
        expect(builder(chainId, deployed.address).domain, contract).to.deep.equal({ name, version, chainId: domainChainId, verifyingContract });
      }
    });

    it("a change signed with the builders (wallet, raw key, ERC-1056 format) is accepted by the registry", async function () {
      const { ethers } = connection;
      const [relayer] = await ethers.getSigners();
      const registryAddress = suite.contracts.didRegistry.address;
      const registry = DIDRegistry__factory.connect(registryAddress, relayer);
      const builders = didRegistryTypedData(chainId, registryAddress);
      const identity = Wallet.createRandom();
      const [ownerB, ownerC, ownerD] = [Wallet.createRandom(), Wallet.createRandom(), Wallet.createRandom()];
      const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3600n;

      // A wallet signs: identity → B.
      const first = builders.changeOwner({ identity: identity.address, newOwner: ownerB.address, nonce: 0n, deadline });
      await expect(registry.changeOwnerBySig(identity.address, ownerB.address, deadline, await signTypedData(identity, first)))
        .to.emit(registry, "DIDOwnerChanged")
        .withArgs(identity.address, ownerB.address, 0n);
      // A raw key signs the digest: B → C.
      const second = builders.changeOwner({ identity: identity.address, newOwner: ownerC.address, nonce: 0n, deadline });
      expect(typedDataDigest(second)).to.equal(TypedDataEncoder.hash(second.domain, second.types, second.message));
      await expect(registry.changeOwnerBySig(identity.address, ownerC.address, deadline, signTypedDataWithKey(ownerB.privateKey, second)))
        .to.emit(registry, "DIDOwnerChanged");
      // ERC-1056's own format: C → D.
      const hash = erc1056Hash(registryAddress, await registry.nonce(ownerC.address), identity.address, { op: "changeOwner", newOwner: ownerD.address });
      const { v, r, s } = signErc1056(ownerC.privateKey, hash);
      await expect(registry.changeOwnerSigned(identity.address, v, r, s, ownerD.address)).to.emit(registry, "DIDOwnerChanged");
      expect(await registry.identityOwner(identity.address)).to.equal(ownerD.address);
      // The payload a browser wallet is given names the same primary type and message.
      const payload = typedDataPayload(first);
      expect(payload.primaryType).to.equal("ChangeOwner");
      expect(payload.types).to.have.property("EIP712Domain");
      expect(payload.message).to.deep.equal({ identity: identity.address, newOwner: ownerB.address, nonce: "0", deadline: deadline.toString() });
    });

    describe("DID readers", function () {
      it("readIdentity and resolveDid rebuild delegates, attributes and the document from the events, as the registry judges them", async function () {
        const { ethers, networkHelpers } = connection;
        const [relayer, owner, newOwner] = await ethers.getSigners();
        const registryAddress = suite.contracts.didRegistry.address;
        const registry = DIDRegistry__factory.connect(registryAddress, relayer);
        const builders = didRegistryTypedData(chainId, registryAddress);
        const identity = Wallet.createRandom();
        const [veriKeyDelegate, sigAuthDelegate, shortLived, revoked] = [0, 1, 2, 3].map(() => Wallet.createRandom().address);
        const veriKey = encodeBytes32String("veriKey");
        const sigAuth = encodeBytes32String("sigAuth");
        const service = encodeBytes32String("did/svc/HubService");
        const publicKey = encodeBytes32String("did/pub/Secp256k1/veriKey/hex");
        const endpoint = hexlify(toUtf8Bytes("https://hub.example.com/"));
        const keyBytes = `0x02${"ab".repeat(32)}`;
        const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3600n;
        const nonce = async () => registry.nonce(await registry.identityOwner(identity.address));
        // The identity hands itself to `owner`, which then changes it directly and by relayed signatures.
        const handOver = builders.changeOwner({ identity: identity.address, newOwner: owner.address, nonce: 0n, deadline });
        await (await registry.changeOwnerBySig(identity.address, owner.address, deadline, await signTypedData(identity, handOver))).wait();
        await (await registry.connect(owner).addDelegate(identity.address, veriKey, veriKeyDelegate, 3600n)).wait();
        // Four changes in one transaction, one block: the reader must follow the chain through it.
        const changes = [
          { kind: ChangeKind.AddDelegate, name: sigAuth, account: sigAuthDelegate, validity: 7200n, value: "0x" },
          { kind: ChangeKind.AddDelegate, name: veriKey, account: shortLived, validity: 10n, value: "0x" },
          { kind: ChangeKind.AddDelegate, name: veriKey, account: revoked, validity: 3600n, value: "0x" },
          { kind: ChangeKind.SetAttribute, name: service, account: ZeroAddress, validity: 3600n, value: endpoint },
        ];
        const batch = builders.changeBatch({ identity: identity.address, changes, nonce: await nonce(), deadline });
        await (await registry.changeBatchBySig(identity.address, changes, deadline, await owner.signTypedData(batch.domain, batch.types, batch.message))).wait();
        await (await registry.connect(owner).setAttribute(identity.address, publicKey, keyBytes, 3600n)).wait();
        await (await registry.connect(owner).setAttribute(identity.address, service, hexlify(toUtf8Bytes("https://old.example.com/")), 3600n)).wait();
        await (await registry.connect(owner).revokeAttribute(identity.address, service, hexlify(toUtf8Bytes("https://old.example.com/")))).wait();
        await (await registry.connect(owner).revokeDelegate(identity.address, veriKey, revoked)).wait();
        await networkHelpers.time.increase(60);

        const state = await readIdentity(ethers.provider, registryAddress, identity.address);
        expect(state.owner).to.equal(owner.address);
        expect(state.deactivated).to.equal(false);
        expect(state.did).to.equal(didOf(chainId, identity.address));
        expect(state.changedBlock).to.equal(Number(await registry.changed(identity.address)));
        expect(state.history.map((change) => change.kind)).to.deep.equal([
          "owner", "delegate", "delegate", "delegate", "delegate", "attribute", "attribute", "attribute", "attribute", "delegate",
        ]);
        expect(state.delegates.map((d) => [d.delegateType, d.delegate])).to.deep.equal([
          ["veriKey", veriKeyDelegate],
          ["sigAuth", sigAuthDelegate],
        ]);
        for (const delegate of [veriKeyDelegate, shortLived, revoked]) {
          expect(await registry.validDelegate(identity.address, veriKey, delegate)).to.equal(delegate === veriKeyDelegate);
        }
        expect(state.attributes.map((a) => [a.name, a.value])).to.deep.equal([
          ["did/svc/HubService", endpoint],
          ["did/pub/Secp256k1/veriKey/hex", keyBytes],
        ]);

        const did = didOf(chainId, identity.address);
        const { didDocument, didDocumentMetadata } = await resolveDid(ethers.provider, registryAddress, did);
        const account = (address: string) => `eip155:${chainId}:${address}`;
        expect(didDocument).to.deep.equal({
          "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/secp256k1recovery-2020/v2"],
          id: did,
          verificationMethod: [
            { id: `${did}#controller`, type: "EcdsaSecp256k1RecoveryMethod2020", controller: did, blockchainAccountId: account(owner.address) },
            { id: `${did}#delegate-1`, type: "EcdsaSecp256k1RecoveryMethod2020", controller: did, blockchainAccountId: account(veriKeyDelegate) },
            { id: `${did}#delegate-2`, type: "EcdsaSecp256k1RecoveryMethod2020", controller: did, blockchainAccountId: account(sigAuthDelegate) },
            { id: `${did}#delegate-3`, type: "EcdsaSecp256k1VerificationKey2019", controller: did, publicKeyHex: keyBytes.slice(2) },
          ],
          authentication: [`${did}#controller`, `${did}#delegate-2`],
          assertionMethod: [`${did}#controller`, `${did}#delegate-1`, `${did}#delegate-2`, `${did}#delegate-3`],
          service: [{ id: `${did}#service-1`, type: "HubService", serviceEndpoint: "https://hub.example.com/" }],
        });
        expect(didDocumentMetadata.versionId).to.equal(String(state.changedBlock));
        const changedAt = (await ethers.provider.getBlock(state.changedBlock))!.timestamp;
        expect(didDocumentMetadata.updated).to.equal(new Date(changedAt * 1000).toISOString().replace(".000Z", "Z"));

        // A new owner becomes the controller; deactivation empties the document.
        await (await registry.connect(owner).changeOwner(identity.address, newOwner.address)).wait();
        const moved = await resolveDid(ethers.provider, registryAddress, did);
        expect(moved.didDocument.verificationMethod[0].blockchainAccountId).to.equal(account(newOwner.address));
        await (await registry.connect(newOwner).deactivate(identity.address)).wait();
        const gone = await resolveDid(ethers.provider, registryAddress, did);
        expect(gone.didDocumentMetadata.deactivated).to.equal(true);
        expect(gone.didDocument.verificationMethod).to.deep.equal([]);
        expect(gone.state.owner).to.equal(ZeroAddress);
        expect(gone.state.delegates).to.deep.equal([]);
      });

      it("an identity never changed resolves to its own address as controller, with no history", async function () {
        const { ethers } = connection;
        const address = Wallet.createRandom().address;
        const { didDocument, didDocumentMetadata, state } = await resolveDid(ethers.provider, suite.contracts.didRegistry.address, didOf(chainId, address));
        expect(state.history).to.deep.equal([]);
        expect(didDocumentMetadata).to.deep.equal({});
        expect(didDocument.verificationMethod).to.deep.equal([
          { id: `${didDocument.id}#controller`, type: "EcdsaSecp256k1RecoveryMethod2020", controller: didDocument.id, blockchainAccountId: `eip155:${chainId}:${address}` },
        ]);
      });

      it("resolveDid refuses a DID of another chain", async function () {
        const did = didOf(chainId + 1n, Wallet.createRandom().address);
        let error: Error | undefined;
        await resolveDid(connection.ethers.provider, suite.contracts.didRegistry.address, did).catch((e: Error) => (error = e));
        expect(error?.message).to.equal(`${did} names chain ${chainId + 1n}, the provider is on chain ${chainId}`);
      });
    });
  });
});

/**
 * The whole suite end to end under the fisco-gm profile, on its in-process stand-in (network `fisco-gm-sim`):
 * block timestamps in milliseconds, SM2VerifierMock at the precompile address 0x…100a (hardhat_setCode), zero
 * base fee and gas price, legacy transactions. The suite is deployed as `npm run deploy` deploys it and the
 * demo's whole story is played on it, signing through the scripts' seam (scripts/lib/signing.ts); then:
 * - every contract that reads time counts milliseconds, every contract that checks signatures calls 0x…100a;
 * - every signature the story sent on chain is a 128-byte SM2 one of the party the contract checked;
 * - deadlines in seconds hold to the last millisecond of their second and no further, and the secp256k1 form
 *   of the same signature is refused, for a signed operation of every module that takes signatures;
 * - time windows (a credential's validity, a rental, an AccessManager delay) run in seconds on the ms clock.
 */
import { expect } from "chai";
import hre, { network } from "hardhat";
import { Wallet, ZeroAddress, computeAddress, concat, dataLength, dataSlice, getAddress, id, type Interface, type TransactionResponse } from "ethers";
import {
  AccessManager__factory, TrustAccessManager__factory,
  BillOfLading__factory,
  CredentialRegistry__factory,
  DIDRegistry__factory,
  DataElement__factory,
  DataRevenue__factory,
  EvidenceVault__factory,
  RWADvP__factory,
} from "../../typechain-types/index.js";
import { Roles } from "../../deploy/roles.js";
import { Topics } from "../../deploy/topics.js";
import { profiles } from "../../deploy/profiles/index.js";
import { CredentialRegistryTypes, DIDRegistryTypes, DataRevenueTypes, RWADvPTypes, domainOf } from "../../sdk/eip712.js";
import { BillOfLadingTypes, billOfLadingDomain } from "../../sdk/trade.js";
import { EvidenceVaultTypes, evidenceDomain } from "../../sdk/evidence.js";
import { chapters } from "../../scripts/demo/chapters/index.js";
import { Demo } from "../../scripts/demo/runner.js";
import { provisionSuite } from "../../scripts/lib/provision.js";
import { deploySuite, type SuiteDeployment } from "../../scripts/lib/suite.js";
import { testWallet } from "../helpers/signatures.js";

const SM2_PRECOMPILE = getAddress(profiles["fisco-gm"].sm2Precompile!);
const DAY = 86_400n;

const connection = await network.create("fisco-gm-sim");
const { ethers, networkHelpers } = connection;

/** The address an SM2-format signature (`r || s || publicKey`) names: that of its public key. */
const signerOf = (signature: string) => computeAddress(concat(["0x04", dataSlice(signature, 64)]));

interface SignedCall {
  call: string;
  signature: string;
  /** Whom the contract checks the signature against. */
  signer: string;
  to: string;
  hash: string;
}

describe("fisco-gm profile end to end (in-process stand-in: ms clock, SM2 verifier at 0x…100a)", function () {
  this.timeout(300_000);
  let suite: SuiteDeployment;
  let demo: Demo;
  const deployLog: string[] = [];
  const story: string[] = [];

  before(async function () {
    suite = await deploySuite(connection, (line) => deployLog.push(line));
    await provisionSuite(connection, suite);
    demo = new Demo(connection, suite, await ethers.getSigners(), (line) => story.push(line));
    await demo.play(chapters);
  });

  const address = (name: string) => suite.contracts[name].address;
  /** Signs as the story's parties do, through the scripts' seam: SM2 format here (the same keys' ECDSA form is refused). */
  const sm2: Demo["sign"] = (...args) => demo.sign(...args);
  /** The story's actor holding `address`. */
  const actorAt = (where: string) => demo.actor(demo.nameOf(where));
  /** The next block at `units` of the chain's clock (milliseconds here). */
  const at = (units: bigint) => networkHelpers.time.setNextBlockTimestamp(units);
  const nowSeconds = async () => BigInt(await networkHelpers.time.latest()) / 1000n;

  describe("the chain and the deployment", function () {
    it("the stand-in: milliseconds, SM2VerifierMock at 0x…100a, no EIP-1559, legacy transactions at price 0", async function () {
      expect(await ethers.provider.getCode(SM2_PRECOMPILE)).to.equal(
        (await hre.artifacts.readArtifact("SM2VerifierMock")).deployedBytecode,
      );
      expect(deployLog).to.include(`SM2VerifierMock placed at ${SM2_PRECOMPILE} (stand-in of the chain's SM2 precompile)`);
      expect(deployLog).to.include("block timestamps count milliseconds from block 1");
      const block = (await ethers.provider.getBlock("latest"))!;
      expect(BigInt(block.timestamp)).to.be.greaterThan(10n ** 12n);
      expect(block.baseFeePerGas).to.equal(null);
      const [deployment] = (await ethers.provider.getBlock(suite.fromBlock + 1, true))!.prefetchedTransactions;
      expect(deployment.type).to.equal(0);
      expect(deployment.gasPrice).to.equal(0n);
    });

    it("Ignition got the profile's chain settings and the upgrade delay in milliseconds", async function () {
      expect(suite.profile.name).to.equal("fisco-gm");
      expect(suite.parametersFile).to.equal("deploy/parameters/hardhat.json");
      expect(suite.parameters.$global).to.deep.include({ millisecondTimestamps: true, sm2Verifier: profiles["fisco-gm"].sm2Precompile });
      expect(suite.parameters.Governance.upgradeDelay).to.equal(60_000);
      const [deployer] = await ethers.getSigners();
      const manager = AccessManager__factory.connect(address("accessManager"), ethers.provider);
      expect(await manager.hasRole(Roles.UPGRADER, deployer.address)).to.deep.equal([true, 60_000n]);
      // TrustAccessManager keeps a week of expiry and five days of setback in real time: milliseconds here.
      const periods = TrustAccessManager__factory.connect(address("accessManager"), ethers.provider);
      expect([await periods.expiration(), await periods.minSetback()]).to.deep.equal([604_800_000n, 432_000_000n]);
    });

    it("every contract that reads time counts milliseconds; every one that checks signatures calls 0x…100a", async function () {
      const clocks = new Set<string>();
      const verifiers = new Set<string>();
      // Every contract of the address book, proxies through their implementations; a contract without the view reverts.
      for (const [name, { contract, address: where }] of Object.entries(suite.contracts)) {
        const views = await ethers.getContractAt(["function timestampInMilliseconds() view returns (bool)", "function sm2Verifier() view returns (address)"], where);
        const milliseconds = await views.timestampInMilliseconds().catch(() => undefined);
        if (milliseconds !== undefined) {
          expect(milliseconds, name).to.equal(true);
          clocks.add(contract);
        }
        const verifier = await views.sm2Verifier().catch(() => undefined);
        if (verifier !== undefined) {
          expect(verifier, name).to.equal(SM2_PRECOMPILE);
          verifiers.add(contract);
        }
      }
      expect([...clocks].sort()).to.deep.equal(
        [
          "AssetData",
          "BillOfLading",
          "CredentialRegistry",
          "DIDRegistry",
          "DataElement",
          "DataRevenue",
          "EvidenceVault",
          "LockupRule",
          "RWADistributor",
          "RWADvP",
          "TraceRegistry",
          "TransferLimitRule",
          "TrustAccessManager",
          "TrustDirectory",
        ].sort(),
      );
      expect([...verifiers].sort()).to.deep.equal(["BillOfLading", "CredentialRegistry", "DIDRegistry", "DataRevenue", "EvidenceVault", "RWADvP"]);
    });
  });

  describe("the demo's story", function () {
    it("plays to its end: every module, every chapter", function () {
      expect(story.at(-1)).to.match(/^\nThe end: 7 chapters, [\d,]+ gas in all\.$/);
      expect(story.filter((line) => line.includes("refused: InvalidSignature"))).to.have.length(3);
    });

    it("every signature it sent on chain is a 128-byte SM2 one of the party the contract checks, in every module that takes signatures", async function () {
      const interfaces = new Map<string, { name: string; iface: Interface }>([
        [address("didRegistry"), { name: "DIDRegistry", iface: DIDRegistry__factory.createInterface() }],
        [address("dataRevenue"), { name: "DataRevenue", iface: DataRevenue__factory.createInterface() }],
        [address("billOfLading"), { name: "BillOfLading", iface: BillOfLading__factory.createInterface() }],
        [address("evidenceVault"), { name: "EvidenceVault", iface: EvidenceVault__factory.createInterface() }],
        [address("rwaDvP"), { name: "RWADvP", iface: RWADvP__factory.createInterface() }],
        [address("credentialRegistry"), { name: "CredentialRegistry", iface: CredentialRegistry__factory.createInterface() }],
      ]);
      const signed: SignedCall[] = [];
      const latest = await ethers.provider.getBlockNumber();
      for (let number = suite.toBlock + 1; number <= latest; number++) {
        for (const tx of (await ethers.provider.getBlock(number, true))!.prefetchedTransactions as TransactionResponse[]) {
          const target = tx.to === null ? undefined : interfaces.get(getAddress(tx.to));
          const parsed = target?.iface.parseTransaction({ data: tx.data });
          if (target === undefined || parsed == null) continue;
          const call = `${target.name}.${parsed.name}`;
          const add = (signature: string, signer: string) => signed.push({ call, signature, signer, to: target.name, hash: tx.hash });
          const a = parsed.args;
          switch (call) {
            case "DIDRegistry.initiateRecovery":
              a.signers.forEach((signer: string, i: number) => add(a.signatures[i], signer));
              break;
            case "DataRevenue.rentBySig":
              add(a.signature, a.renter);
              break;
            case "BillOfLading.issue":
              a.issuance.legs.forEach((leg: { carrier: string }, i: number) => {
                if (getAddress(leg.carrier) !== getAddress(tx.from)) add(a.signatures[i], leg.carrier);
              });
              break;
            case "BillOfLading.pledge":
              add(a.bankSignature, a.bank);
              break;
            case "BillOfLading.handover":
              add(a.h.receivingSignature, a.route.legs[Number(a.h.boundary) + 1].carrier);
              break;
            case "EvidenceVault.cosign":
              add(a.signature, a.witness);
              break;
            case "RWADvP.settle":
              add(a.sellSignature, a.sellOrder.maker);
              add(a.buySignature, a.buyOrder.maker);
              break;
          }
        }
      }
      for (const s of signed) {
        expect(dataLength(s.signature), s.call).to.equal(128);
        expect(signerOf(s.signature), s.call).to.equal(getAddress(s.signer));
        expect((await ethers.provider.getTransactionReceipt(s.hash))!.status, s.call).to.equal(1);
      }
      expect([...new Set(signed.map((s) => s.call))].sort()).to.deep.equal([
        "BillOfLading.handover",
        "BillOfLading.issue",
        "BillOfLading.pledge",
        "DIDRegistry.initiateRecovery",
        "DataRevenue.rentBySig",
        "EvidenceVault.cosign",
        "RWADvP.settle",
      ]);
      // CredentialRegistry's signed operation in the story is a presentation, checked by a view call:
      expect(story.some((line) => /Shipper portal +verifies it \(a view call, no transaction\) +holder Acme Shipping/.test(line))).to.equal(true);
    });
  });

  describe("deadlines in seconds on the millisecond clock: the last millisecond of the second counts, the next second does not", function () {
    it("DIDRegistry.changeOwnerBySig", async function () {
      const dids = DIDRegistry__factory.connect(address("didRegistry"), (await ethers.getSigners())[0]);
      const owner = testWallet("fisco-gm.did-owner");
      const next = testWallet("fisco-gm.did-next");
      const domain = domainOf("DIDRegistry", (await ethers.provider.getNetwork()).chainId, address("didRegistry"));
      const deadline = (await nowSeconds()) + 60n;
      const value = { identity: owner.address, newOwner: next.address, nonce: 0n, deadline };
      const ecdsa = await owner.signTypedData(domain, DIDRegistryTypes.ChangeOwner, value);
      await expect(dids.changeOwnerBySig(owner.address, next.address, deadline, ecdsa))
        .to.be.revertedWithCustomError(dids, "InvalidSignature")
        .withArgs(owner.address);
      const signature = await sm2(owner, domain, DIDRegistryTypes.ChangeOwner, value);
      await at((deadline + 1n) * 1000n);
      await expect(dids.changeOwnerBySig(owner.address, next.address, deadline, signature))
        .to.be.revertedWithCustomError(dids, "SignatureExpired")
        .withArgs(deadline, deadline + 1n);
    });

    it("DIDRegistry.changeOwnerBySig at the deadline's last millisecond", async function () {
      const dids = DIDRegistry__factory.connect(address("didRegistry"), (await ethers.getSigners())[0]);
      const owner = testWallet("fisco-gm.did-owner-2");
      const next = testWallet("fisco-gm.did-next-2");
      const domain = domainOf("DIDRegistry", (await ethers.provider.getNetwork()).chainId, address("didRegistry"));
      const deadline = (await nowSeconds()) + 60n;
      const signature = await sm2(owner, domain, DIDRegistryTypes.ChangeOwner, { identity: owner.address, newOwner: next.address, nonce: 0n, deadline });
      await at(deadline * 1000n + 999n);
      await expect(dids.changeOwnerBySig(owner.address, next.address, deadline, signature))
        .to.emit(dids, "DIDOwnerChanged")
        .withArgs(owner.address, next.address, 0n);
      expect(await dids.identityOwner(owner.address)).to.equal(next.address);
    });

    it("CredentialRegistry.issueBySig (the KYC Bureau's SM2 signature); the credential's validity window runs in seconds", async function () {
      const credentials = CredentialRegistry__factory.connect(address("credentialRegistry"), (await ethers.getSigners())[0]);
      const bureau = await demo.actor("KYC Bureau");
      const subject = testWallet("fisco-gm.kyc-subject").address;
      const domain = domainOf("CredentialRegistry", (await ethers.provider.getNetwork()).chainId, address("credentialRegistry"));
      const now = await nowSeconds();
      const deadline = now + 60n;
      const issue = (label: string, nonce: bigint) => ({
        id: id(`fisco-gm:${label}`),
        issuer: bureau.address,
        subject,
        topic: Topics.KYC,
        validFrom: now,
        validUntil: now + 600n,
        nonce,
        deadline,
      });
      const send = (v: ReturnType<typeof issue>, signature: string) =>
        credentials.issueBySig(v.id, v.issuer, v.subject, v.topic, v.validFrom, v.validUntil, v.deadline, signature);
      const nonce = await credentials.nonces(bureau.address);
      const first = issue("in time", nonce);
      await expect(send(first, await bureau.signer.signTypedData(domain, CredentialRegistryTypes.Issue, first)))
        .to.be.revertedWithCustomError(credentials, "InvalidSignature")
        .withArgs(bureau.address);
      const firstSignature = await sm2(bureau, domain, CredentialRegistryTypes.Issue, first);
      const second = issue("too late", nonce + 1n);
      const secondSignature = await sm2(bureau, domain, CredentialRegistryTypes.Issue, second);

      await at(deadline * 1000n + 999n);
      await expect(send(first, firstSignature))
        .to.emit(credentials, "CredentialIssued")
        .withArgs(first.id, bureau.address, subject, Topics.KYC, first.validFrom, first.validUntil, anyUint);
      await at((deadline + 1n) * 1000n);
      await expect(send(second, secondSignature))
        .to.be.revertedWithCustomError(credentials, "SignatureExpired")
        .withArgs(deadline, deadline + 1n);

      // Valid until (exclusive) validUntil, in seconds: its last millisecond before still counts.
      await at(first.validUntil * 1000n - 1n);
      await networkHelpers.mine();
      expect(await credentials.hasValid(subject, Topics.KYC)).to.equal(true);
      await at(first.validUntil * 1000n);
      await networkHelpers.mine();
      expect(await credentials.hasValid(subject, Topics.KYC)).to.equal(false);
    });

    it("DataRevenue.rentBySig (a new member's SM2-signed rental, relayed): the use right lasts a day, to the millisecond", async function () {
      const [relayer] = await ethers.getSigners();
      const revenue = DataRevenue__factory.connect(address("dataRevenue"), relayer);
      const element = DataElement__factory.connect(address("dataElement"), ethers.provider);
      const credentials = CredentialRegistry__factory.connect(address("credentialRegistry"), relayer);
      const exchange = await demo.actor("Data Exchange");
      const renter = testWallet("fisco-gm.data-renter", ethers.provider);
      const tokenId = await rentedToken();
      const [fee, paymentToken] = await element.quote(tokenId, DAY);
      // The story's rentals have run out by now (its assets chapter waits 31 days): the token is free to rent.
      expect((await element.useOf(tokenId)).expires).to.be.lessThan(await nowSeconds());
      const now = await nowSeconds();
      await (await credentials.connect(exchange.signer).issue(id("fisco-gm: member"), exchange.address, renter.address, Topics.DATA_EXCHANGE_MEMBER, now, now + DAY * 365n)).wait();
      const token = await ethers.getContractAt("TestStablecoin", paymentToken);
      await (await token.mint(renter.address, fee * 2n)).wait();
      // The renter's own transaction, at the profile's gas price: it holds no coin (FISCO BCOS has none).
      await (await token.connect(renter).approve(address("dataElement"), fee * 2n, { type: 0, gasPrice: 0n })).wait();

      const domain = domainOf("DataRevenue", (await ethers.provider.getNetwork()).chainId, address("dataRevenue"));
      const deadline = now + 60n;
      const value = { tokenId, renter: renter.address, duration: DAY, maxFee: fee, nonce: 0n, deadline };
      await expect(revenue.rentBySig(tokenId, renter.address, DAY, fee, deadline, await renter.signTypedData(domain, DataRevenueTypes.Rent, value)))
        .to.be.revertedWithCustomError(revenue, "InvalidSignature")
        .withArgs(renter.address);
      const signature = await sm2(renter, domain, DataRevenueTypes.Rent, value);
      const late = await sm2(renter, domain, DataRevenueTypes.Rent, { ...value, nonce: 1n });
      await at(deadline * 1000n + 999n);
      await expect(revenue.rentBySig(tokenId, renter.address, DAY, fee, deadline, signature))
        .to.emit(element, "Rented")
        .withArgs(tokenId, renter.address, paymentToken, fee, deadline, deadline + DAY - 1n, anyUint);
      await at((deadline + 1n) * 1000n);
      await expect(revenue.rentBySig(tokenId, renter.address, DAY, fee, deadline, late))
        .to.be.revertedWithCustomError(revenue, "SignatureExpired")
        .withArgs(deadline, deadline + 1n);

      // `expires` is the use right's last second: it holds to that second's last millisecond, then ends.
      const expires = deadline + DAY - 1n;
      expect((await element.useOf(tokenId)).expires).to.equal(expires);
      await at(expires * 1000n + 999n);
      await networkHelpers.mine();
      expect(await element.hasAccess(tokenId, renter.address)).to.equal(true);
      await at((expires + 1n) * 1000n);
      await networkHelpers.mine();
      expect(await element.hasAccess(tokenId, renter.address)).to.equal(false);
    });

    it("BillOfLading.issue (the rail and road carriers co-sign with SM2)", async function () {
      const story = await signedCallOf("BillOfLading", "issue");
      const sea = await demo.actor("Acme Shipping (new key)");
      const rail = await demo.actor("Yangtze Rail");
      const road = await demo.actor("Chengdu Trucking");
      const bol = BillOfLading__factory.connect(address("billOfLading"), sea.signer);
      const domain = billOfLadingDomain((await ethers.provider.getNetwork()).chainId, address("billOfLading"));
      const legs = story.issuance.legs.map((leg: { mode: bigint; carrier: string; from: string; to: string }) => ({
        mode: leg.mode,
        carrier: leg.carrier,
        from: leg.from,
        to: leg.to,
      }));
      const issuance = (label: string) => ({
        documentHash: id(`fisco-gm: bill ${label}`),
        shipper: story.issuance.shipper,
        consignee: ZeroAddress,
        notifyParty: story.issuance.notifyParty,
        consigneeKind: story.issuance.consigneeKind,
        legs,
      });
      const deadline = (await nowSeconds()) + 60n;
      const sign = async (i: ReturnType<typeof issuance>) => {
        const value = { ...i, issuer: sea.address, deadline };
        return ["0x", await sm2(rail, domain, BillOfLadingTypes.Issue, value), await sm2(road, domain, BillOfLadingTypes.Issue, value)];
      };
      const inTime = issuance("in time");
      const late = issuance("too late");
      const [inTimeSignatures, lateSignatures] = [await sign(inTime), await sign(late)];
      const ecdsa = [...inTimeSignatures];
      ecdsa[1] = await rail.signer.signTypedData(domain, BillOfLadingTypes.Issue, { ...inTime, issuer: sea.address, deadline });
      await expect(bol.issue(inTime, deadline, ecdsa)).to.be.revertedWithCustomError(bol, "InvalidSignature").withArgs(rail.address);
      await at(deadline * 1000n + 999n);
      await expect(bol.issue(inTime, deadline, inTimeSignatures)).to.emit(bol, "BillIssued");
      await at((deadline + 1n) * 1000n);
      await expect(bol.issue(late, deadline, lateSignatures))
        .to.be.revertedWithCustomError(bol, "SignatureExpired")
        .withArgs(deadline, deadline + 1n);
    });

    it("EvidenceVault.cosign (the third witness co-signs the contract the story anchored)", async function () {
      const vault = EvidenceVault__factory.connect(address("evidenceVault"), (await ethers.getSigners())[0]);
      const story = await signedCallOf("EvidenceVault", "cosign");
      // The story's third witness office, which did not co-sign: a key of the demo's, not an account.
      const chaoyang = new Wallet(id("trustbase demo witness: notary office Chaoyang"));
      const domain = evidenceDomain((await ethers.provider.getNetwork()).chainId, address("evidenceVault"));
      const deadline = (await nowSeconds()) + 60n;
      const value = { hash: story.hash, witness: chaoyang.address, deadline };
      await expect(vault.cosign(story.hash, chaoyang.address, deadline, await chaoyang.signTypedData(domain, EvidenceVaultTypes.Cosign, value)))
        .to.be.revertedWithCustomError(vault, "InvalidSignature")
        .withArgs(chaoyang.address);
      const signature = await sm2(chaoyang, domain, EvidenceVaultTypes.Cosign, value);
      await at((deadline + 1n) * 1000n);
      await expect(vault.cosign(story.hash, chaoyang.address, deadline, signature))
        .to.be.revertedWithCustomError(vault, "SignatureExpired")
        .withArgs(deadline, deadline + 1n);
      const later = (await nowSeconds()) + 60n;
      const laterValue = { ...value, deadline: later };
      await at(later * 1000n + 999n);
      await expect(vault.cosign(story.hash, chaoyang.address, later, await sm2(chaoyang, domain, EvidenceVaultTypes.Cosign, laterValue)))
        .to.emit(vault, "Cosigned")
        .withArgs(story.hash, chaoyang.address, 3);
    });

    it("RWADvP.settle (the story's orders, signed again with a deadline one second past)", async function () {
      const dvp = RWADvP__factory.connect(address("rwaDvP"), (await ethers.getSigners())[0]);
      const story = await signedCallOf("RWADvP", "settle");
      const domain = domainOf("RWADvP", (await ethers.provider.getNetwork()).chainId, address("rwaDvP"));
      const deadline = (await nowSeconds()) + 60n;
      const order = (o: Record<string, unknown>, maker: string) => ({
        maker,
        sell: o.sell as boolean,
        asset: o.asset as string,
        assetAmount: o.assetAmount as bigint,
        paymentToken: o.paymentToken as string,
        paymentAmount: o.paymentAmount as bigint,
        counterparty: o.counterparty as string,
        nonce: 0n,
        deadline,
      });
      const seller = await actorAt(story.sellOrder.maker);
      const buyer = await actorAt(story.buyOrder.maker);
      const sell = { ...order(story.sellOrder, seller.address), nonce: await dvp.nonces(seller.address) };
      const buy = { ...order(story.buyOrder, buyer.address), nonce: await dvp.nonces(buyer.address) };
      const sellSignature = await sm2(seller, domain, RWADvPTypes.Order, sell);
      const buySignature = await sm2(buyer, domain, RWADvPTypes.Order, buy);
      await at((deadline + 1n) * 1000n);
      await expect(dvp.settle(sell, sellSignature, buy, buySignature))
        .to.be.revertedWithCustomError(dvp, "SignatureExpired")
        .withArgs(deadline, deadline + 1n);
    });
  });

  /** The decoded arguments of the story's first `contract.fn` call, with the hash it anchored (cosign). */
  async function signedCallOf(contract: "BillOfLading" | "EvidenceVault" | "RWADvP", fn: string) {
    const factories = { BillOfLading: BillOfLading__factory, EvidenceVault: EvidenceVault__factory, RWADvP: RWADvP__factory };
    const names = { BillOfLading: "billOfLading", EvidenceVault: "evidenceVault", RWADvP: "rwaDvP" };
    const iface = factories[contract].createInterface();
    const target = getAddress(address(names[contract]));
    const latest = await ethers.provider.getBlockNumber();
    for (let number = suite.toBlock + 1; number <= latest; number++) {
      for (const tx of (await ethers.provider.getBlock(number, true))!.prefetchedTransactions) {
        if (tx.to === null || getAddress(tx.to) !== target) continue;
        const parsed = iface.parseTransaction({ data: tx.data });
        if (parsed?.name === fn) return parsed.args;
      }
    }
    throw new Error(`The story made no ${contract}.${fn} call`);
  }

  /** The token the story rented by signature. */
  async function rentedToken(): Promise<bigint> {
    const iface = DataRevenue__factory.createInterface();
    const target = getAddress(address("dataRevenue"));
    const latest = await ethers.provider.getBlockNumber();
    for (let number = suite.toBlock + 1; number <= latest; number++) {
      for (const tx of (await ethers.provider.getBlock(number, true))!.prefetchedTransactions) {
        if (tx.to === null || getAddress(tx.to) !== target) continue;
        const parsed = iface.parseTransaction({ data: tx.data });
        if (parsed?.name === "rentBySig") return parsed.args.tokenId as bigint;
      }
    }
    throw new Error("The story rented nothing by signature");
  }
});

/** Any uint (a serial or a rental number that depends on what the story did before). */
const anyUint = (value: unknown) => typeof value === "bigint" && value >= 0n;

import type { NetworkConnection } from "hardhat/types/network";
import { ZeroAddress, type TypedDataDomain, type Signer } from "ethers";
import TradeModule from "../../deploy/modules/Trade.js";
import { Topics } from "../../deploy/topics.js";
import { BillOfLading__factory, CredentialRegistry__factory, DIDRegistry__factory, type BillOfLading } from "../../typechain-types/index.js";
import {
  ActionCode,
  BillOfLadingTypes,
  ConsigneeKind,
  Mode,
  billIdOf,
  billOfLadingDomain,
  locode,
  type Action,
  type Issuance,
  type Leg,
} from "../../sdk/trade.js";

export const DAY = 86_400n;
export const YEAR = 365n * DAY;
export const ZERO_HASH = `0x${"00".repeat(32)}`;

/** Anything that signs EIP-712 typed data. */
export interface TypedSigner {
  address: string;
  signTypedData: Signer["signTypedData"];
}

/**
 * The trade module as its Ignition module deploys it (with governance and identity), and a cast: three licensed
 * carriers (sea, rail, road) and a licensed multimodal operator, a bank (FINANCIER), a shipper, a buyer, a forwarder,
 * an outsider with nothing, a relayer. `issuer` is the consortium's credential issuer for CARRIER and FINANCIER.
 */
export async function deployTrade(connection: NetworkConnection) {
  const { ethers, ignition } = connection;
  const signers = await ethers.getSigners();
  const [admin, issuer, sea, rail, road, operator, bank, shipper, buyer, forwarder, outsider, relayer, bank2] = signers;
  const deployed = await ignition.deploy(TradeModule);
  const bol = BillOfLading__factory.connect(await deployed.billOfLading.getAddress(), admin);
  const credentials = CredentialRegistry__factory.connect(await deployed.credentialRegistry.getAddress(), admin);
  const dids = DIDRegistry__factory.connect(await deployed.didRegistry.getAddress(), admin);
  for (const topic of [Topics.CARRIER, Topics.FINANCIER]) {
    await (await credentials.setIssuerTrust(topic, issuer.address, true)).wait();
  }
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const credentialIds: Record<string, string> = {};
  const grant = async (name: string, subject: string, topic: number) => {
    const id = ethers.id(`trade-fixture:${name}:${topic}`);
    credentialIds[name] = id;
    await (await credentials.connect(issuer).issue(id, issuer.address, subject, topic, now, now + YEAR)).wait();
  };
  await grant("sea", sea.address, Topics.CARRIER);
  await grant("rail", rail.address, Topics.CARRIER);
  await grant("road", road.address, Topics.CARRIER);
  await grant("operator", operator.address, Topics.CARRIER);
  await grant("bank", bank.address, Topics.FINANCIER);
  await grant("bank2", bank2.address, Topics.FINANCIER);
  const { chainId } = await ethers.provider.getNetwork();
  const domain = billOfLadingDomain(chainId, await bol.getAddress());
  const legs: Leg[] = [
    { mode: Mode.Sea, carrier: sea.address, from: locode("CNSHA"), to: locode("CNWUH") },
    { mode: Mode.Rail, carrier: rail.address, from: locode("CNWUH"), to: locode("CNCKG") },
    { mode: Mode.Road, carrier: road.address, from: locode("CNCKG"), to: locode("CNCTU") },
  ];
  return {
    ...deployed,
    bol,
    credentials,
    dids,
    credentialIds,
    domain,
    chainId,
    legs,
    admin,
    issuer,
    sea,
    rail,
    road,
    operator,
    bank,
    bank2,
    shipper,
    buyer,
    forwarder,
    outsider,
    relayer,
  };
}

export type TradeFixture = Awaited<ReturnType<typeof deployTrade>>;

export function issuanceOf(f: Pick<TradeFixture, "shipper" | "buyer" | "forwarder" | "legs">, over: Partial<Issuance> = {}): Issuance {
  return {
    documentHash: `0x${Buffer.from("bill of lading SHA-CTU-0001".padEnd(32, ".")).toString("hex")}`,
    shipper: f.shipper.address,
    consignee: ZeroAddress,
    notifyParty: f.buyer.address,
    consigneeKind: ConsigneeKind.ToOrder,
    legs: f.legs,
    ...over,
  };
}

/** `signer`'s co-signature of `issuance` issued by `issuer`. */
export function signIssue(domain: TypedDataDomain, signer: TypedSigner, issuer: string, issuance: Issuance, deadline: bigint) {
  return signer.signTypedData(domain, BillOfLadingTypes.Issue, { ...issuance, issuer, deadline });
}

/**
 * Issues `issuance` as `issuerSigner`, every other leg carrier co-signing (signers looked up by address in `cast`).
 * Returns the bill id.
 */
export async function issueBill(
  bol: BillOfLading,
  domain: TypedDataDomain,
  issuerSigner: TypedSigner & Signer,
  issuance: Issuance,
  cast: TypedSigner[],
  deadline: bigint,
): Promise<bigint> {
  const signatures = await Promise.all(
    issuance.legs.map((leg) => {
      if (leg.carrier.toLowerCase() === issuerSigner.address.toLowerCase()) return "0x";
      const signer = cast.find((c) => c.address.toLowerCase() === leg.carrier.toLowerCase());
      if (signer === undefined) throw new Error(`no signer for carrier ${leg.carrier}`);
      return signIssue(domain, signer, issuerSigner.address, issuance, deadline);
    }),
  );
  await (await bol.connect(issuerSigner).issue(issuance, deadline, signatures)).wait();
  return billIdOf(issuance.documentHash, issuerSigner.address, issuance.legs);
}

export function signEndorse(
  domain: TypedDataDomain,
  signer: TypedSigner,
  billId: bigint,
  head: string,
  endorsee: string,
  code: number,
  deadline: bigint,
) {
  return signer.signTypedData(domain, BillOfLadingTypes.Endorse, { billId, head, endorsee, code, deadline });
}

export function signPledge(
  domain: TypedDataDomain,
  signer: TypedSigner,
  billId: bigint,
  head: string,
  pledgor: string,
  loanReference: string,
  deadline: bigint,
) {
  return signer.signTypedData(domain, BillOfLadingTypes.Pledge, { billId, head, pledgor, loanReference, deadline });
}

export function signHandover(
  domain: TypedDataDomain,
  signer: TypedSigner,
  billId: bigint,
  boundary: number,
  cargoHash: string,
  deadline: bigint,
) {
  return signer.signTypedData(domain, BillOfLadingTypes.Handover, { billId, boundary, cargoHash, deadline });
}

/** The `BillAction` events of `billId` as Action records with their `previous`, in order. */
export async function actionsOf(bol: BillOfLading, billId: bigint): Promise<(Action & { previous: string })[]> {
  const logs = await bol.queryFilter(bol.filters.BillAction(billId));
  return logs.map((l) => ({ code: Number(l.args.code), actor: l.args.actor, party: l.args.party, data: l.args.data, previous: l.args.previous }));
}

export { ActionCode };

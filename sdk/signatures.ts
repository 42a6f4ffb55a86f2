import {
  SigningKey,
  TypedDataEncoder,
  solidityPackedKeccak256,
  type BigNumberish,
  type BytesLike,
  type TypedDataDomain,
  type TypedDataField,
} from "ethers";
import { CredentialRegistryTypes, DIDRegistryTypes, DataRevenueTypes, RWADvPTypes, domainOf, type SignedContract } from "./eip712.js";
import { EvidenceVaultTypes } from "./evidence.js";
import { BillOfLadingTypes } from "./trade.js";

/**
 * Builders and signers of every signature the suite's contracts take: EIP-712 typed data bound to one deployment
 * (`didRegistryTypedData(chainId, address).changeOwner({...})`), signed by any ethers signer, by a raw key, or
 * hashed for a signer that signs digests (an HSM, SM2, the owner of an ERC-1271 wallet); and the ERC-1056 legacy
 * format of DIDRegistry's `...Signed` functions. `SIGNED_OPERATIONS` lists every contract function that takes a
 * signature, with the message it needs, who signs and where its nonce comes from.
 */

// ───────────────────────────── message types from the type lists ─────────────────────────────

type Field = { readonly name: string; readonly type: string };
type StructTypes = { readonly [struct: string]: readonly Field[] };

/** The TypeScript value of a Solidity type in an EIP-712 message (as ethers' `signTypedData` takes it). */
export type ValueOf<T extends string, S extends StructTypes> = T extends `${infer Inner}[]`
  ? readonly ValueOf<Inner, S>[]
  : T extends keyof S
    ? StructOf<S, T>
    : T extends "address" | "string"
      ? string
      : T extends "bool"
        ? boolean
        : T extends `bytes${string}`
          ? BytesLike
          : T extends `uint${string}` | `int${string}`
            ? BigNumberish
            : never;

/** The object of struct `K` of a type list: one property per field. */
export type StructOf<S extends StructTypes, K extends keyof S> = { [F in S[K][number] as F["name"]]: ValueOf<F["type"], S> };

/** The message of operation `K` of a contract's type group (`MessageOf<typeof DIDRegistryTypes, "ChangeOwner">`). */
export type MessageOf<G extends Record<string, StructTypes>, K extends keyof G & string> = K extends keyof G[K] ? StructOf<G[K], K> : never;

// ───────────────────────────── typed data ─────────────────────────────

/** Everything a wallet signs: `eth_signTypedData_v4`'s content, with the message as the contract hashes it. */
export interface TypedData<M = Record<string, unknown>> {
  domain: TypedDataDomain;
  types: Record<string, TypedDataField[]>;
  primaryType: string;
  message: M;
}

/** Typed data of `message` under `domain` (the primary type is the one struct no other struct refers to). */
export function typedData<M>(domain: TypedDataDomain, types: Record<string, TypedDataField[]>, message: M): TypedData<M> {
  return { domain, types, primaryType: TypedDataEncoder.getPrimaryType(types), message };
}

/** Anything that signs EIP-712 typed data: an ethers `Wallet` or `JsonRpcSigner`, a Hardhat signer. */
export interface TypedDataSigner {
  signTypedData(domain: TypedDataDomain, types: Record<string, TypedDataField[]>, value: Record<string, unknown>): Promise<string>;
}

/** The 65-byte signature (`r || s || v`) of `data` by `signer`. */
export function signTypedData(signer: TypedDataSigner, data: TypedData<object>): Promise<string> {
  return signer.signTypedData(data.domain, data.types, data.message as Record<string, unknown>);
}

/** The EIP-712 digest of `data` (what the contract recovers the signer from): for signers that sign digests. */
export function typedDataDigest(data: TypedData<object>): string {
  return TypedDataEncoder.hash(data.domain, data.types, data.message as Record<string, unknown>);
}

/** The 65-byte signature of `data` with a private key (hex) or `SigningKey`, without a wallet. */
export function signTypedDataWithKey(key: SigningKey | string, data: TypedData<object>): string {
  return (typeof key === "string" ? new SigningKey(key) : key).sign(typedDataDigest(data)).serialized;
}

/** The JSON payload of `eth_signTypedData_v4` (with `EIP712Domain`; numbers as strings), for browser wallets. */
export function typedDataPayload(data: TypedData<object>): {
  types: Record<string, TypedDataField[]>;
  domain: TypedDataDomain;
  primaryType: string;
  message: Record<string, unknown>;
} {
  return TypedDataEncoder.getPayload(data.domain, data.types, data.message as Record<string, unknown>) as never;
}

type Builders<G extends Record<string, StructTypes>> = { domain: TypedDataDomain } & {
  [K in keyof G & string as Uncapitalize<K>]: (message: MessageOf<G, K>) => TypedData<MessageOf<G, K>>;
};

function buildersOf<G extends Record<string, Record<string, TypedDataField[]>>>(group: G, domain: TypedDataDomain): Builders<G> {
  const builders: Record<string, unknown> = { domain };
  for (const [name, types] of Object.entries(group)) {
    builders[name[0].toLowerCase() + name.slice(1)] = (message: object) => typedData(domain, types, message);
  }
  return builders as Builders<G>;
}

type Deployment = [chainId: bigint | number, verifyingContract: string];
const at = (contract: SignedContract, [chainId, address]: Deployment) => domainOf(contract, chainId, address);

/** DIDRegistry: changeOwner, addDelegate, revokeDelegate, setAttribute, revokeAttribute, changeBatch, deactivate, recover. */
export const didRegistryTypedData = (...deployment: Deployment) => buildersOf(DIDRegistryTypes, at("DIDRegistry", deployment));
/** CredentialRegistry: issue, revoke, presentation. */
export const credentialRegistryTypedData = (...deployment: Deployment) =>
  buildersOf(CredentialRegistryTypes, at("CredentialRegistry", deployment));
/** DataRevenue: rent, payees. */
export const dataRevenueTypedData = (...deployment: Deployment) => buildersOf(DataRevenueTypes, at("DataRevenue", deployment));
/** RWADvP: order. */
export const rwaDvPTypedData = (...deployment: Deployment) => buildersOf(RWADvPTypes, at("RWADvP", deployment));
/** BillOfLading: issue, endorse, pledge, handover. */
export const billOfLadingTypedData = (...deployment: Deployment) => buildersOf(BillOfLadingTypes, at("BillOfLading", deployment));
/** EvidenceVault: cosign. */
export const evidenceVaultTypedData = (...deployment: Deployment) => buildersOf(EvidenceVaultTypes, at("EvidenceVault", deployment));

// ───────────────────────────── ERC-1056 legacy signatures ─────────────────────────────

/** A change signed in ERC-1056's own format, for DIDRegistry's `...Signed` functions. */
export type Erc1056Change =
  | { op: "changeOwner"; newOwner: string }
  | { op: "addDelegate"; delegateType: BytesLike; delegate: string; validity: BigNumberish }
  | { op: "revokeDelegate"; delegateType: BytesLike; delegate: string }
  | { op: "setAttribute"; name: BytesLike; value: BytesLike; validity: BigNumberish }
  | { op: "revokeAttribute"; name: BytesLike; value: BytesLike };

/**
 * ERC-1056's hash: `keccak256(abi.encodePacked(0x19, 0x00, registry, nonce, identity, "<op>", ...params))`, with
 * `nonce` the owner's `nonce(owner)`. No chain id and no deadline: prefer the EIP-712 `...BySig` functions.
 */
export function erc1056Hash(registry: string, nonce: BigNumberish, identity: string, change: Erc1056Change): string {
  const head: [string[], unknown[]] = [
    ["bytes1", "bytes1", "address", "uint256", "address", "string"],
    ["0x19", "0x00", registry, nonce, identity, change.op],
  ];
  let tail: [string[], unknown[]];
  switch (change.op) {
    case "changeOwner":
      tail = [["address"], [change.newOwner]];
      break;
    case "addDelegate":
      tail = [["bytes32", "address", "uint256"], [change.delegateType, change.delegate, change.validity]];
      break;
    case "revokeDelegate":
      tail = [["bytes32", "address"], [change.delegateType, change.delegate]];
      break;
    case "setAttribute":
      tail = [["bytes32", "bytes", "uint256"], [change.name, change.value, change.validity]];
      break;
    case "revokeAttribute":
      tail = [["bytes32", "bytes"], [change.name, change.value]];
      break;
  }
  return solidityPackedKeccak256([...head[0], ...tail[0]], [...head[1], ...tail[1]]);
}

/** The `(sigV, sigR, sigS)` of an ERC-1056 hash: a raw signature (no message prefix), so it needs the key itself. */
export function signErc1056(key: SigningKey | string, hash: BytesLike): { v: number; r: string; s: string } {
  const signature = (typeof key === "string" ? new SigningKey(key) : key).sign(hash);
  return { v: signature.v, r: signature.r, s: signature.s };
}

// ───────────────────────────── catalogue ─────────────────────────────

/** One contract function that takes a signature, and how to produce it. */
export interface SignedOperation {
  contract: SignedContract | "DataElement";
  function: string;
  /** The EIP-712 primary type (in the contract's type group), or "ERC-1056" for the legacy format. */
  type: string;
  /** The builder that makes the message: `<builder>(chainId, address).<method>(message)`. */
  builder: string;
  signer: string;
  nonce: string;
}

const op = (
  contract: SignedOperation["contract"],
  fn: string,
  type: string,
  builder: string,
  signer: string,
  nonce: string,
): SignedOperation => ({ contract, function: fn, type, builder, signer, nonce });

const didNonce = "DIDRegistry.nonce(signer)";
const legacy = "erc1056Hash + signErc1056";

/** Every function of the suite that takes a signature (a test checks this against the contracts' ABIs). */
export const SIGNED_OPERATIONS: readonly SignedOperation[] = [
  op("DIDRegistry", "changeOwnerBySig", "ChangeOwner", "didRegistryTypedData", "identity owner", didNonce),
  op("DIDRegistry", "addDelegateBySig", "AddDelegate", "didRegistryTypedData", "identity owner", didNonce),
  op("DIDRegistry", "revokeDelegateBySig", "RevokeDelegate", "didRegistryTypedData", "identity owner", didNonce),
  op("DIDRegistry", "setAttributeBySig", "SetAttribute", "didRegistryTypedData", "identity owner", didNonce),
  op("DIDRegistry", "revokeAttributeBySig", "RevokeAttribute", "didRegistryTypedData", "identity owner", didNonce),
  op("DIDRegistry", "changeBatchBySig", "ChangeBatch", "didRegistryTypedData", "identity owner", didNonce),
  op("DIDRegistry", "deactivateBySig", "Deactivate", "didRegistryTypedData", "identity owner", didNonce),
  op("DIDRegistry", "initiateRecovery", "Recover", "didRegistryTypedData", "each guardian (signers in increasing order)", "DIDRegistry.guardiansOf(identity).recoveryNonce"),
  op("DIDRegistry", "changeOwnerSigned", "ERC-1056", legacy, "identity owner", didNonce),
  op("DIDRegistry", "addDelegateSigned", "ERC-1056", legacy, "identity owner", didNonce),
  op("DIDRegistry", "revokeDelegateSigned", "ERC-1056", legacy, "identity owner", didNonce),
  op("DIDRegistry", "setAttributeSigned", "ERC-1056", legacy, "identity owner", didNonce),
  op("DIDRegistry", "revokeAttributeSigned", "ERC-1056", legacy, "identity owner", didNonce),
  op("CredentialRegistry", "issueBySig", "Issue", "credentialRegistryTypedData", "issuer DID owner", "CredentialRegistry.nonces(signer)"),
  op("CredentialRegistry", "revokeBySig", "Revoke", "credentialRegistryTypedData", "issuer DID owner", "CredentialRegistry.nonces(signer)"),
  op("CredentialRegistry", "verifyPresentation", "Presentation", "credentialRegistryTypedData", "holder DID owner", "none (valid until validUntil)"),
  op("DataElement", "rentWithPresentation", "Presentation", "credentialRegistryTypedData", "holder DID owner", "none (valid until validUntil)"),
  op("DataElement", "hasAccessWithPresentation", "Presentation", "credentialRegistryTypedData", "holder DID owner", "none (valid until validUntil)"),
  op("DataRevenue", "rentBySig", "Rent", "dataRevenueTypedData", "renter", "DataRevenue.nonces(renter)"),
  op("DataRevenue", "setPayees", "Payees", "dataRevenueTypedData", "each payee whose share falls", "DataRevenue.nonces(payee)"),
  op("RWADvP", "settle", "Order", "rwaDvPTypedData", "seller and buyer (one order each)", "RWADvP.nonces(maker)"),
  op("BillOfLading", "issue", "Issue", "billOfLadingTypedData", "every carrier of the legs but the issuer", "none (one bill per id)"),
  op("BillOfLading", "acceptAmendment", "Issue", "billOfLadingTypedData", "every carrier of each replacement's legs but the issuer", "none (one bill per id)"),
  op("BillOfLading", "endorse", "Endorse", "billOfLadingTypedData", "beneficiary", "the bill's head (headOf)"),
  op("BillOfLading", "pledge", "Pledge", "billOfLadingTypedData", "bank", "the bill's head (headOf)"),
  op("BillOfLading", "handover", "Handover", "billOfLadingTypedData", "the carrier on each side that does not send the transaction", "none (a boundary is recorded once)"),
  op("EvidenceVault", "cosign", "Cosign", "evidenceVaultTypedData", "witness DID owner", "none (a witness counts once)"),
  op("EvidenceVault", "cosignAll", "Cosign", "evidenceVaultTypedData", "each witness DID owner", "none (a witness counts once)"),
];

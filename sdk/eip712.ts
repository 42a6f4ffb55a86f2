import type { TypedDataDomain, TypedDataField } from "ethers";

/**
 * EIP-712 types of every signed operation of the suite, in the shape ethers' `signTypedData` takes
 * (`{ [primaryType]: fields, ...nested }`), and the domains they are signed under. The contracts hash the
 * same strings (their `*_TYPEHASH` constants); tests sign with these, so a drift fails them.
 */
type Types = Record<string, TypedDataField[]>;

/**
 * One field of a struct. Name and type keep their literal types, so that `MessageOf` (sdk/signatures.ts) derives
 * each message's TypeScript type from these very lists: one source for the contract's type string and the
 * caller's object.
 */
export const field = <N extends string, T extends string>(name: N, type: T): { name: N; type: T } => ({ name, type });
const nonceAndDeadline = [field("nonce", "uint256"), field("deadline", "uint256")];

/** `ChangeKind` of IDIDRegistry, as a batch's `Change.kind`. */
export const ChangeKind = { ChangeOwner: 0, AddDelegate: 1, RevokeDelegate: 2, SetAttribute: 3, RevokeAttribute: 4 } as const;

/** DIDRegistry: domain name "trustbase DIDRegistry", version "1". */
export const DIDRegistryTypes = {
  ChangeOwner: { ChangeOwner: [field("identity", "address"), field("newOwner", "address"), ...nonceAndDeadline] },
  AddDelegate: {
    AddDelegate: [
      field("identity", "address"),
      field("delegateType", "bytes32"),
      field("delegate", "address"),
      field("validity", "uint256"),
      ...nonceAndDeadline,
    ],
  },
  RevokeDelegate: {
    RevokeDelegate: [field("identity", "address"), field("delegateType", "bytes32"), field("delegate", "address"), ...nonceAndDeadline],
  },
  SetAttribute: {
    SetAttribute: [
      field("identity", "address"),
      field("name", "bytes32"),
      field("value", "bytes"),
      field("validity", "uint256"),
      ...nonceAndDeadline,
    ],
  },
  RevokeAttribute: {
    RevokeAttribute: [field("identity", "address"), field("name", "bytes32"), field("value", "bytes"), ...nonceAndDeadline],
  },
  ChangeBatch: {
    ChangeBatch: [field("identity", "address"), field("changes", "Change[]"), ...nonceAndDeadline],
    Change: [
      field("kind", "uint8"),
      field("name", "bytes32"),
      field("account", "address"),
      field("validity", "uint256"),
      field("value", "bytes"),
    ],
  },
  Deactivate: { Deactivate: [field("identity", "address"), ...nonceAndDeadline] },
  /** Signed by guardians; `nonce` is the identity's recovery nonce (`guardiansOf(identity).recoveryNonce`). */
  Recover: { Recover: [field("identity", "address"), field("newOwner", "address"), ...nonceAndDeadline] },
} satisfies Record<string, Types>;

/** CredentialRegistry: domain name "trustbase CredentialRegistry", version "1". */
export const CredentialRegistryTypes = {
  Issue: {
    Issue: [
      field("id", "bytes32"),
      field("issuer", "address"),
      field("subject", "address"),
      field("topic", "uint32"),
      field("validFrom", "uint32"),
      field("validUntil", "uint32"),
      ...nonceAndDeadline,
    ],
  },
  Revoke: { Revoke: [field("id", "bytes32"), ...nonceAndDeadline] },
  /** No nonce: a presentation may be checked any number of times by its verifier until `validUntil`. */
  Presentation: {
    Presentation: [
      field("holder", "address"),
      field("verifier", "address"),
      field("credentialIds", "bytes32[]"),
      field("validUntil", "uint256"),
    ],
  },
} satisfies Record<string, Types>;

/**
 * DataRevenue: domain name "trustbase DataRevenue", version "1". Signed rentals and payee consents share the
 * signer's nonce (`DataRevenue.nonces`).
 */
export const DataRevenueTypes = {
  /** Signed by the renter, relayed by anyone to `DataRevenue.rentBySig`; the fee comes from the renter. */
  Rent: {
    Rent: [
      field("tokenId", "uint256"),
      field("renter", "address"),
      field("duration", "uint256"),
      field("maxFee", "uint256"),
      ...nonceAndDeadline,
    ],
  },
  /** Signed by each payee whose share falls, for `DataRevenue.setPayees`; `payees` is the new list. */
  Payees: {
    Payees: [field("tokenId", "uint256"), field("payees", "Payee[]"), ...nonceAndDeadline],
    Payee: [field("account", "address"), field("bps", "uint16")],
  },
} satisfies Record<string, Types>;

/** RWADvP: domain name "trustbase RWADvP", version "1". An order consumes its maker's nonce (`RWADvP.nonces`). */
export const RWADvPTypes = {
  Order: {
    Order: [
      field("maker", "address"),
      field("sell", "bool"),
      field("asset", "address"),
      field("assetAmount", "uint256"),
      field("paymentToken", "address"),
      field("paymentAmount", "uint256"),
      field("counterparty", "address"),
      ...nonceAndDeadline,
    ],
  },
} satisfies Record<string, Types>;

/** The suite's contracts that verify EIP-712 signatures: each signs under the name "trustbase <contract>", version "1". */
export type SignedContract = "DIDRegistry" | "CredentialRegistry" | "DataRevenue" | "RWADvP" | "BillOfLading" | "EvidenceVault";

/** The EIP-712 domain of a suite contract at `verifyingContract` on `chainId`. */
export function domainOf(
  contract: SignedContract,
  chainId: bigint | number,
  verifyingContract: string,
): TypedDataDomain {
  return { name: `trustbase ${contract}`, version: "1", chainId, verifyingContract };
}

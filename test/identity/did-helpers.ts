/**
 * Helpers for the DIDRegistry tests: ERC-1056 legacy signatures (raw, unprefixed), EIP-712 typed data of the
 * registry's `...BySig` operations and guardian recoveries, malleable (high-s) twins, deterministic funded keys.
 */
import { ethers as ethersLib } from "ethers";
import { ChangeKind, DIDRegistryTypes } from "../../sdk/eip712.js";
import { erc1056Hash, type Erc1056Change } from "../../sdk/signatures.js";
import type { BigNumberish, Provider, TypedDataDomain } from "ethers";

/** secp256k1 group order. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export const DOMAIN_NAME = "trustbase DIDRegistry";
export const DOMAIN_VERSION = "1";

/** ChangeKind of IDIDRegistry. */
export const Kind = ChangeKind;

export interface ChangeStruct {
  kind: number;
  name: string;
  account: string;
  validity: bigint;
  value: string;
}

/** A batch change with unused fields zeroed. */
export function change(kind: number, fields: Partial<Omit<ChangeStruct, "kind">> = {}): ChangeStruct {
  return {
    kind,
    name: fields.name ?? ethersLib.ZeroHash,
    account: fields.account ?? ethersLib.ZeroAddress,
    validity: fields.validity ?? 0n,
    value: fields.value ?? "0x",
  };
}

/** bytes32 of a short ASCII string (ERC-1056 delegate types and attribute names). */
export const b32 = (text: string): string => ethersLib.encodeBytes32String(text);

/** Key of the `delegates` getter: keccak256(abi.encode(delegateType)). */
export const delegateTypeHash = (delegateType: string): string =>
  ethersLib.keccak256(ethersLib.AbiCoder.defaultAbiCoder().encode(["bytes32"], [delegateType]));

/** A deterministic wallet from a label, connected to `provider`. */
export function walletFor(label: string, provider: Provider): ethersLib.Wallet {
  return new ethersLib.Wallet(ethersLib.id(`trustbase/did-tests/${label}`), provider);
}

// ───────────────────────────── ERC-1056 legacy signatures ─────────────────────────────

export interface VRS {
  v: number;
  r: string;
  s: string;
}

type LegacyOp = Erc1056Change;

/**
 * ERC-1056's hash: keccak256(abi.encodePacked(0x19, 0x00, registry, nonce, identity, "<op>", ...params)), as the
 * SDK computes it (so the legacy tests exercise the SDK's helper).
 */
export function legacyHash(registry: string, nonce: BigNumberish, identity: string, o: LegacyOp): string {
  return erc1056Hash(registry, nonce, identity, o);
}

/** Raw (unprefixed) secp256k1 signature of a 32-byte hash, canonical low-s. */
export function rawSign(privateKey: string, hash: string): VRS {
  const sig = new ethersLib.SigningKey(privateKey).sign(hash);
  return { v: sig.v, r: sig.r, s: sig.s };
}

export function legacySign(
  privateKey: string,
  registry: string,
  nonce: BigNumberish,
  identity: string,
  o: LegacyOp,
): VRS {
  return rawSign(privateKey, legacyHash(registry, nonce, identity, o));
}

/** The malleable twin (r, n - s, v ^ 1): recovers the same address with raw ecrecover. */
export function highSTwin(sig: VRS): VRS {
  const s = SECP256K1_N - BigInt(sig.s);
  return { v: sig.v === 27 ? 28 : 27, r: sig.r, s: ethersLib.toBeHex(s, 32) };
}

/** 65-byte r || s || v. */
export function packSig(sig: VRS): string {
  return ethersLib.concat([sig.r, sig.s, ethersLib.toBeHex(sig.v, 1)]);
}

export function unpackSig(sig: string): VRS {
  const bytes = ethersLib.getBytes(sig);
  if (bytes.length !== 65) throw new Error("expected a 65-byte signature");
  return {
    r: ethersLib.hexlify(bytes.slice(0, 32)),
    s: ethersLib.hexlify(bytes.slice(32, 64)),
    v: bytes[64]!,
  };
}

/** High-s twin of a 65-byte signature. */
export function highSTwinBytes(sig: string): string {
  return packSig(highSTwin(unpackSig(sig)));
}

/** Address the ecrecover precompile returns for (hash, v, r, s): proves a twin is a real ECDSA signature. */
export async function ecrecoverPrecompile(provider: Provider, hash: string, sig: VRS): Promise<string> {
  const data = ethersLib.concat([hash, ethersLib.toBeHex(sig.v, 32), sig.r, sig.s]);
  const out = await provider.call({ to: "0x0000000000000000000000000000000000000001", data });
  return out === "0x" ? ethersLib.ZeroAddress : ethersLib.getAddress(ethersLib.dataSlice(out, 12));
}

// ───────────────────────────── EIP-712 ─────────────────────────────

export function domain(verifyingContract: string, chainId: BigNumberish): TypedDataDomain {
  return { name: DOMAIN_NAME, version: DOMAIN_VERSION, chainId, verifyingContract };
}

/** EIP-712 types of the registry (one source: sdk/eip712.ts). */
export const TYPES = DIDRegistryTypes;

export type PrimaryType = keyof typeof TYPES;

/** EIP-712 signature (65 bytes, low-s) by `privateKey` of `value` of `primaryType` under `dom`. */
export function signTyped(
  privateKey: string,
  dom: TypedDataDomain,
  primaryType: PrimaryType,
  value: Record<string, unknown>,
): string {
  const digest = ethersLib.TypedDataEncoder.hash(dom, TYPES[primaryType], value);
  return packSig(rawSign(privateKey, digest));
}

/** The EIP-712 digest, for checks that need it. */
export function typedDigest(dom: TypedDataDomain, primaryType: PrimaryType, value: Record<string, unknown>): string {
  return ethersLib.TypedDataEncoder.hash(dom, TYPES[primaryType], value);
}

/** Sorts wallets by address, ascending (initiateRecovery wants strictly increasing signers). */
export function byAddress<T extends { address: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : BigInt(a.address) > BigInt(b.address) ? 1 : 0));
}

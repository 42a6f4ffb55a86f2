/**
 * Signature helpers shared by every module's signature-hygiene tests.
 *
 * trustbase accepts three schemes through `SignatureVerifier` (contracts/common/SignatureVerifier.sol):
 * - secp256k1 (EOA): 65-byte `r || s || v`, low-s only;
 * - ERC-1271 (contract account): whatever the account accepts; `ERC1271WalletMock` accepts its owner's
 *   65-byte ECDSA signature over the same digest;
 * - SM2 (国密 chains): 128-byte `r || s || publicKey(x || y)`. On the in-process chain the precompile at
 *   0x…100a is `SM2VerifierMock`, which checks a secp256k1 signature, so an "SM2" signature here is a secp256k1
 *   `r || s` followed by the signer's 64-byte public key.
 *
 * Everything takes an EIP-712 domain, types and value, so any `...BySig` operation can use these helpers.
 */
import {
  Signature,
  SigningKey,
  TypedDataEncoder,
  Wallet,
  concat,
  dataLength,
  dataSlice,
  getBytes,
  hexlify,
  id,
  toBeHex,
  zeroPadValue,
} from "ethers";
import type { BytesLike, Provider, TypedDataDomain, TypedDataField } from "ethers";

/** EIP-712 struct types, as ethers takes them (without `EIP712Domain`). */
export type TypedDataTypes = Record<string, TypedDataField[]>;

/** Anything that can sign EIP-712 typed data: a Hardhat signer, an ethers Wallet. */
export interface TypedDataSigner {
  signTypedData(domain: TypedDataDomain, types: TypedDataTypes, value: Record<string, unknown>): Promise<string>;
}

/** Any contract with OpenZeppelin's ERC-5267 `eip712Domain()` view. */
export interface EIP712DomainSource {
  eip712Domain(): Promise<[string, string, string, bigint, string, string, bigint[]]>;
}

/** The signature schemes of `SignatureVerifier`. */
export type SignatureScheme = "secp256k1" | "erc1271" | "sm2";

/** Order of the secp256k1 group. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** FISCO BCOS's crypto precompile, where the SM2 tests place `SM2VerifierMock`'s code. */
export const SM2_PRECOMPILE = "0x000000000000000000000000000000000000100a";

/**
 * A deterministic test key: the same label gives the same key on every run, unlike `Wallet.createRandom()`.
 * Hardhat's own signers do not expose their keys, which the raw-digest, SM2 and high-s helpers need.
 */
export function testWallet(label: string, provider?: Provider | null): Wallet {
  return new Wallet(id(`trustbase.test.${label}`), provider ?? null);
}

/**
 * The EIP-712 domain a contract signs under, read from its ERC-5267 `eip712Domain()` view. Only the fields the
 * contract declares (its `fields` bitmap) are set, so the result hashes to the contract's domain separator.
 */
export async function domainOf(contract: EIP712DomainSource): Promise<TypedDataDomain> {
  const [fields, name, version, chainId, verifyingContract, salt] = await contract.eip712Domain();
  const bits = Number(fields);
  const domain: TypedDataDomain = {};
  if (bits & 0x01) domain.name = name;
  if (bits & 0x02) domain.version = version;
  if (bits & 0x04) domain.chainId = chainId;
  if (bits & 0x08) domain.verifyingContract = verifyingContract;
  if (bits & 0x10) domain.salt = salt;
  if (bits & ~0x1f) throw new Error(`eip712Domain: unsupported fields bitmap ${fields}`);
  return domain;
}

/** The EIP-712 digest (`_hashTypedDataV4`) of `value` under `domain`. */
export function typedDataDigest(domain: TypedDataDomain, types: TypedDataTypes, value: Record<string, unknown>): string {
  return TypedDataEncoder.hash(domain, types, value);
}

/** The EIP-712 domain separator of `domain`. */
export function domainSeparator(domain: TypedDataDomain): string {
  return TypedDataEncoder.hashDomain(domain);
}

/** `signer`'s 65-byte EIP-712 signature (`r || s || v`, low-s). */
export function signTypedData(
  signer: TypedDataSigner,
  domain: TypedDataDomain,
  types: TypedDataTypes,
  value: Record<string, unknown>,
): Promise<string> {
  return signer.signTypedData(domain, types, value);
}

/** A 65-byte secp256k1 signature (`r || s || v`, low-s) of a raw 32-byte digest, with no prefix. */
export function signDigest(key: SigningKey | Wallet, digest: BytesLike): string {
  return signingKeyOf(key).sign(digest).serialized;
}

/**
 * The malleable twin of a 65-byte signature: `s' = n - s` and `v` flipped (27 <-> 28). `ecrecover` accepts it for
 * the same signer; OpenZeppelin's ECDSA (and so the seam) must refuse it. Built from bytes, since ethers refuses
 * to parse high-s signatures.
 */
export function toHighS(signature: BytesLike): string {
  const bytes = getBytes(signature);
  if (bytes.length !== 65) throw new Error(`toHighS: expected 65 bytes, got ${bytes.length}`);
  const r = bytes.slice(0, 32);
  const s = BigInt(hexlify(bytes.slice(32, 64)));
  const v = bytes[64];
  if (v !== 27 && v !== 28) throw new Error(`toHighS: expected v in {27, 28}, got ${v}`);
  return concat([r, zeroPadValue(toBeHex(SECP256K1_N - s), 32), new Uint8Array([v === 27 ? 28 : 27])]);
}

/** Whether a 65-byte signature's `s` is in the upper half of the group order (the form the seam refuses). */
export function isHighS(signature: BytesLike): boolean {
  return BigInt(dataSlice(signature, 32, 64)) > SECP256K1_N / 2n;
}

/** The 64-byte uncompressed public key (`x || y`, no 0x04 prefix) that SM2 signatures carry. */
export function publicKey64(key: SigningKey | Wallet): string {
  return dataSlice(signingKeyOf(key).publicKey, 1);
}

/**
 * An SM2-format signature of a raw digest: `r || s || publicKey64`, 128 bytes. `publicKeyOf` lets a test attach
 * another key's public key (a forgery the verifier must refuse).
 */
export function sm2SignDigest(key: SigningKey | Wallet, digest: BytesLike, publicKeyOf: SigningKey | Wallet = key): string {
  const sig = signingKeyOf(key).sign(digest);
  const encoded = concat([sig.r, sig.s, publicKey64(publicKeyOf)]);
  if (dataLength(encoded) !== 128) throw new Error("sm2SignDigest: encoding is not 128 bytes");
  return encoded;
}

/** An SM2-format signature (see {@link sm2SignDigest}) of EIP-712 typed data. */
export function sm2SignTypedData(
  key: SigningKey | Wallet,
  domain: TypedDataDomain,
  types: TypedDataTypes,
  value: Record<string, unknown>,
): string {
  return sm2SignDigest(key, typedDataDigest(domain, types, value));
}

/**
 * A signature `ERC1271WalletMock` accepts for `digest`: its owner's 65-byte ECDSA signature over the same digest
 * (the wallet is the signer on-chain; the owner key is what signs).
 */
export function erc1271SignDigest(owner: SigningKey | Wallet, digest: BytesLike): string {
  return signDigest(owner, digest);
}

/** {@link erc1271SignDigest} for EIP-712 typed data: the owner signs the typed data the wallet is asked about. */
export function erc1271SignTypedData(
  owner: SigningKey | Wallet,
  domain: TypedDataDomain,
  types: TypedDataTypes,
  value: Record<string, unknown>,
): string {
  return erc1271SignDigest(owner, typedDataDigest(domain, types, value));
}

/**
 * Signs typed data under one scheme with a key: `secp256k1` (the key's account signs), `erc1271` (the key is
 * the wallet's owner) or `sm2` (SM2 format). Lets a test loop over the schemes a module must support.
 */
export function signTypedDataWith(
  scheme: SignatureScheme,
  key: SigningKey | Wallet,
  domain: TypedDataDomain,
  types: TypedDataTypes,
  value: Record<string, unknown>,
): string {
  const digest = typedDataDigest(domain, types, value);
  switch (scheme) {
    case "secp256k1":
      return signDigest(key, digest);
    case "erc1271":
      return erc1271SignDigest(key, digest);
    case "sm2":
      return sm2SignDigest(key, digest);
  }
}

/** Splits a 65-byte signature into `v, r, s` (for the legacy `(v, r, s)` entry points). */
export function splitSignature(signature: BytesLike): { v: number; r: string; s: string } {
  const bytes = getBytes(signature);
  if (bytes.length !== 65) throw new Error(`splitSignature: expected 65 bytes, got ${bytes.length}`);
  return { r: hexlify(bytes.slice(0, 32)), s: hexlify(bytes.slice(32, 64)), v: bytes[64] };
}

/** The signature ethers parses from 65 bytes (low-s only). */
export function parseSignature(signature: BytesLike): Signature {
  return Signature.from(hexlify(signature));
}

function signingKeyOf(key: SigningKey | Wallet): SigningKey {
  return key instanceof SigningKey ? key : key.signingKey;
}

/**
 * The scripts' side of the signature seam: every EIP-712 signature a script makes (the demo's signed
 * operations) goes through `signTypedDataFor`, which signs under the deployment's profile.
 *
 * - secp256k1: the signer's own `signTypedData` (65 bytes, `r || s || v`).
 * - sm2, on the in-process stand-in only (network `fisco-gm-sim`, SM2VerifierMock at 0x…100a): the 128-byte
 *   `r || s || publicKey` the precompile's ABI takes, with `r || s` a secp256k1 signature of the EIP-712 digest,
 *   which is what the stand-in checks. On a real 国密 chain an SM2 signature is made with SM2 keys over an SM3
 *   digest by the chain's own SDK: no script here can make one, and asking for one fails.
 */
import { HDNodeWallet, TypedDataEncoder, Wallet, concat, dataSlice, type TypedDataDomain, type TypedDataField } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkConnection } from "hardhat/types/network";
import type { ChainProfile } from "../../deploy/profiles/index.js";

export type TypedDataTypes = Record<string, TypedDataField[]>;

/** `key`'s signature of EIP-712 typed data in the stand-in SM2 format: `r || s || publicKey(x || y)`. */
export function standInSm2Signature(key: Wallet | HDNodeWallet, domain: TypedDataDomain, types: TypedDataTypes, value: Record<string, unknown>): string {
  const { r, s } = key.signingKey.sign(TypedDataEncoder.hash(domain, types, value));
  return concat([r, s, dataSlice(key.signingKey.publicKey, 1)]);
}

/**
 * Signs typed data as the profile's contracts check it. `key` is needed for SM2 (the stand-in signs with the
 * private key itself); for secp256k1 any signer does.
 */
export async function signTypedDataFor(
  connection: NetworkConnection,
  profile: ChainProfile,
  signer: HardhatEthersSigner | Wallet | HDNodeWallet,
  key: Wallet | HDNodeWallet | undefined,
  domain: TypedDataDomain,
  types: TypedDataTypes,
  value: Record<string, unknown>,
): Promise<string> {
  if (profile.signatureScheme === "secp256k1") return signer.signTypedData(domain, types, value);
  if (connection.networkConfig.type !== "edr-simulated") {
    throw new Error(`SM2 signatures for ${connection.networkName} must come from the chain's SM2 SDK: scripts only sign for the in-process stand-in`);
  }
  if (key === undefined) throw new Error(`SM2 signing needs the private key of ${signer.address}`);
  return standInSm2Signature(key, domain, types, value);
}

/**
 * The private keys of the in-process chain's accounts (its `accounts` setting: Hardhat's default mnemonic or a
 * list of keys), by lower-case address; empty for other networks, whose keys scripts never hold.
 */
export async function localKeys(connection: NetworkConnection): Promise<Map<string, HDNodeWallet | Wallet>> {
  const keys = new Map<string, HDNodeWallet | Wallet>();
  const { networkConfig } = connection;
  if (networkConfig.type !== "edr-simulated") return keys;
  const { accounts } = networkConfig;
  if (Array.isArray(accounts)) {
    for (const account of accounts) {
      const wallet = new Wallet(await account.privateKey.get());
      keys.set(wallet.address.toLowerCase(), wallet);
    }
    return keys;
  }
  const mnemonic = await accounts.mnemonic.get();
  const passphrase = await accounts.passphrase.get();
  for (let index = accounts.initialIndex; index < accounts.initialIndex + accounts.count; index++) {
    const wallet = HDNodeWallet.fromPhrase(mnemonic, passphrase, `${accounts.path}/${index}`);
    keys.set(wallet.address.toLowerCase(), wallet);
  }
  return keys;
}

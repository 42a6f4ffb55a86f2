/**
 * What trustbase needs to know about a chain type to deploy to it and talk to it. One file per chain type in this
 * folder; a network names its profile in `networkProfiles` (index.ts), hardhat.config.ts builds the network entry
 * from it, and scripts/lib/profile.ts applies it: Ignition parameters, the checks before a deployment, the clock
 * and the signature scheme of the scripts.
 */

/** EVM rule sets, oldest first: the order `evmAccepts` compares in. */
export const EVM_VERSIONS = [
  "homestead",
  "byzantium",
  "constantinople",
  "petersburg",
  "istanbul",
  "berlin",
  "london",
  "paris",
  "shanghai",
  "cancun",
  "prague",
] as const;
export type EvmVersion = (typeof EVM_VERSIONS)[number];

export interface ChainProfile {
  /** The file's name: `besu`, `fisco-gm`, ... */
  name: string;
  /** One line: which chains and versions the profile is for. */
  description: string;
  /**
   * The newest EVM rule set the chain's nodes run. The build stays `paris` for every chain; this records what
   * the chain accepts, and the build check refuses a profile whose EVM lacks an opcode the build uses.
   */
  evmVersion: EvmVersion;
  /** `legacy` where the chain has no EIP-1559 (no `baseFeePerGas` in its blocks); `eip1559` where it has. */
  txType: "legacy" | "eip1559";
  /** Gas price in wei every transaction pays, or `auto` (what the node suggests). Consortium chains: 0. */
  gasPrice: bigint | "auto";
  /** The unit of `block.timestamp`: FISCO BCOS before 3.12 counts milliseconds. */
  timeUnit: "seconds" | "milliseconds";
  /** How accounts sign: secp256k1 (`ecrecover`, EIP-712) or SM2 (国密 chains, checked by a precompile). */
  signatureScheme: "secp256k1" | "sm2";
  /** Address of the chain's SM2 verifier (FISCO BCOS: 0x…100a); set exactly when `signatureScheme` is `sm2`. */
  sm2Precompile?: string;
  /** The hash behind the KECCAK256 opcode and transaction hashes: SM3 on 国密 chains. */
  hashFunction: "keccak256" | "sm3";
  /** Largest runtime code the chain accepts, in bytes (EIP-170's 24,576 unless the genesis raises it). */
  contractSizeLimit: number;
  /** Whether accounts hold a native coin (`msg.value` can be non-zero); fees are then still free at gas price 0. */
  nativeCoin: boolean;
}

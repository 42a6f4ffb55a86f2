import type { ChainProfile } from "./types.js";

/**
 * FISCO BCOS 3.x in standard (non-国密) mode, reached through its Web3 JSON-RPC (3.9 and later): London-level EVM
 * (cancun only from 3.10 behind a feature flag), no EIP-1559, no gas price, no native coin unless the balance
 * feature is on; `block.timestamp` counts milliseconds before 3.12. For 3.12 and later copy this file with
 * `timeUnit: "seconds"`.
 */
export const fisco: ChainProfile = {
  name: "fisco",
  description: "FISCO BCOS 3.9-3.11, standard (secp256k1) mode, Web3 RPC, millisecond timestamps",
  evmVersion: "london",
  txType: "legacy",
  gasPrice: 0n,
  timeUnit: "milliseconds",
  signatureScheme: "secp256k1",
  hashFunction: "keccak256",
  contractSizeLimit: 24_576,
  nativeCoin: false,
};

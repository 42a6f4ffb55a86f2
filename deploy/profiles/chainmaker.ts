import type { ChainProfile } from "./types.js";

/**
 * ChainMaker (长安链) 2.3 and later, through an Ethereum JSON-RPC gateway: no native coin (`msg.value` is always
 * 0: the suite settles every fee in ERC-20 tokens), no gas price, legacy transactions, secp256k1 accounts
 * (the `ecrecover` precompile must be checked on the target version: see docs/deploy/chainmaker.md).
 */
export const chainmaker: ChainProfile = {
  name: "chainmaker",
  description: "ChainMaker 2.3+, EVM contracts, secp256k1 accounts, no native coin",
  evmVersion: "london",
  txType: "legacy",
  gasPrice: 0n,
  timeUnit: "seconds",
  signatureScheme: "secp256k1",
  hashFunction: "keccak256",
  contractSizeLimit: 24_576,
  nativeCoin: false,
};

import type { ChainProfile } from "./types.js";

/**
 * GoQuorum (QBFT, IBFT or Raft): an Istanbul/Berlin-level EVM (no PUSH0, no BASEFEE), no EIP-1559 on
 * zero-gas-price networks, so transactions are legacy ones at gas price 0. The size limit is the genesis's
 * `maxCodeSizeConfig`, 24 KiB unless raised.
 */
export const quorum: ChainProfile = {
  name: "quorum",
  description: "GoQuorum, QBFT/IBFT/Raft, Berlin-level EVM, gas price 0",
  evmVersion: "berlin",
  txType: "legacy",
  gasPrice: 0n,
  timeUnit: "seconds",
  signatureScheme: "secp256k1",
  hashFunction: "keccak256",
  contractSizeLimit: 24_576,
  nativeCoin: true,
};

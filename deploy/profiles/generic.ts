import type { ChainProfile } from "./types.js";

/**
 * Any chain with mainnet's rules from Paris on: the in-process chain, `npm run node`, anvil, public testnets.
 * Gas is priced (the node's suggestion), timestamps count seconds, accounts sign with secp256k1.
 */
export const generic: ChainProfile = {
  name: "generic",
  description: "mainnet-style EVM (Paris or later): hardhat node, anvil, public networks",
  evmVersion: "paris",
  txType: "eip1559",
  gasPrice: "auto",
  timeUnit: "seconds",
  signatureScheme: "secp256k1",
  hashFunction: "keccak256",
  contractSizeLimit: 24_576,
  nativeCoin: true,
};

import type { ChainProfile } from "./types.js";

/**
 * Hyperledger Besu with QBFT (or IBFT 2.0): a private genesis with `londonBlock` and no `shanghaiTime` runs
 * London rules (no PUSH0); `zeroBaseFee` and `--min-gas-price=0` make gas free, so transactions carry price 0.
 * EIP-1559 exists (blocks have a zero `baseFeePerGas`): Ignition sends type-2 transactions at zero fees by itself.
 * The size limit is the genesis's `contractSizeLimit`, EIP-170's 24,576 unless raised.
 */
export const besu: ChainProfile = {
  name: "besu",
  description: "Hyperledger Besu, QBFT/IBFT 2.0, London genesis, zeroBaseFee, --min-gas-price=0",
  evmVersion: "london",
  txType: "eip1559",
  gasPrice: 0n,
  timeUnit: "seconds",
  signatureScheme: "secp256k1",
  hashFunction: "keccak256",
  contractSizeLimit: 24_576,
  nativeCoin: true,
};

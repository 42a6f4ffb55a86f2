import type { ChainProfile } from "./types.js";

/**
 * FISCO BCOS 3.x in 国密 mode: as `fisco`, but transactions are SM2-signed and the KECCAK256 opcode computes
 * SM3, so `ecrecover` does not apply: signed operations are checked by the crypto precompile's `sm2Verify`
 * at 0x…100a (contracts/interfaces/ISM2Verifier.sol). The in-process stand-in (network `fisco-gm-sim`) puts
 * SM2VerifierMock there and counts milliseconds.
 */
export const fiscoGm: ChainProfile = {
  name: "fisco-gm",
  description: "FISCO BCOS 3.9-3.11, 国密 (SM2/SM3) mode, Web3 RPC, millisecond timestamps",
  evmVersion: "london",
  txType: "legacy",
  gasPrice: 0n,
  timeUnit: "milliseconds",
  signatureScheme: "sm2",
  sm2Precompile: "0x000000000000000000000000000000000000100a",
  hashFunction: "sm3",
  contractSizeLimit: 24_576,
  nativeCoin: false,
};

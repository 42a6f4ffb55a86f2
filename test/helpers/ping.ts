/** The EIP-712 `Ping` operation of `SignedOperationsMock`, shared by the common-block tests. */
import { id } from "ethers";
import type { TypedDataTypes } from "./signatures.js";

export const PING_TYPE = "Ping(address signer,bytes32 payload,uint256 nonce,uint256 deadline)";

export const PING_TYPES: TypedDataTypes = {
  Ping: [
    { name: "signer", type: "address" },
    { name: "payload", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

export interface Ping extends Record<string, unknown> {
  signer: string;
  payload: string;
  nonce: bigint;
  deadline: bigint;
}

export function ping(signer: string, nonce: bigint, deadline: bigint, payload: string = id("ping")): Ping {
  return { signer, payload, nonce, deadline };
}

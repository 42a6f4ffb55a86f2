import { getAddress, toBeHex } from "ethers";

/** `did:ethr:<chainId as hex>:<address>`, the did:ethr method's form for a chain named by id. */
export function didOf(chainId: bigint | number, address: string): string {
  return `did:ethr:${toBeHex(BigInt(chainId))}:${getAddress(address)}`;
}

/** The chain id and address of a did:ethr DID (`did:ethr:<address>` names mainnet, chain 1). */
export function parseDid(did: string): { chainId: bigint; address: string } {
  const parts = did.split(":");
  if (parts[0] !== "did" || parts[1] !== "ethr" || parts.length < 3 || parts.length > 4) {
    throw new Error(`Not a did:ethr DID: ${did}`);
  }
  const address = getAddress(parts[parts.length - 1]);
  return { chainId: parts.length === 4 ? BigInt(parts[2]) : 1n, address };
}

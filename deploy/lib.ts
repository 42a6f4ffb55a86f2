import { encodeBytes32String, id } from "ethers";

/** A module's name as TrustDirectory stores it. */
export function moduleName(name: string): string {
  return encodeBytes32String(name);
}

/** 4-byte selectors of the given function signatures, for AccessManager.setTargetFunctionRole. */
export function selectors(...signatures: string[]): string[] {
  return signatures.map((signature) => id(signature).slice(0, 10));
}

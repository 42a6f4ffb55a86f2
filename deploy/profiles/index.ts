import { ZeroAddress } from "ethers";
import { besu } from "./besu.js";
import { chainmaker } from "./chainmaker.js";
import { fisco } from "./fisco.js";
import { fiscoGm } from "./fisco-gm.js";
import { generic } from "./generic.js";
import { quorum } from "./quorum.js";
import type { ChainProfile } from "./types.js";

export type { ChainProfile, EvmVersion } from "./types.js";
export { EVM_VERSIONS } from "./types.js";

/** Every chain profile, by name. A new chain type adds one file and one entry. */
export const profiles: Record<string, ChainProfile> = Object.fromEntries(
  [generic, besu, quorum, fisco, fiscoGm, chainmaker].map((profile) => [profile.name, profile]),
);

/**
 * The profile of each network of hardhat.config.ts, which builds the consortium entries (`besu`, `quorum`,
 * `fisco`, `fisco-gm`, `chainmaker`) from this table: endpoint and key from `<NAME>_RPC_URL` and
 * `<NAME>_DEPLOYER_KEY` (keystore or environment), the profile's gas price. `fisco-gm-sim` is the in-process
 * stand-in of a 国密 FISCO BCOS chain (milliseconds, SM2 verifier at 0x…100a, zero gas price).
 * Networks not listed (the in-process `hardhat`, `london`, the test networks) are generic.
 */
export const networkProfiles: Record<string, string> = {
  localhost: "generic",
  consortium: "generic",
  besu: "besu",
  quorum: "quorum",
  fisco: "fisco",
  "fisco-gm": "fisco-gm",
  chainmaker: "chainmaker",
  "fisco-gm-sim": "fisco-gm",
};

/** The profile named `name`; throws, listing the known ones, for any other name. */
export function profileNamed(name: string): ChainProfile {
  const profile = profiles[name];
  if (profile === undefined) throw new Error(`No chain profile "${name}": deploy/profiles has ${Object.keys(profiles).join(", ")}`);
  return profile;
}

/** The profile of network `networkName` (see `networkProfiles`); generic for networks the table does not list. */
export function profileOf(networkName: string): ChainProfile {
  return profileNamed(networkProfiles[networkName] ?? "generic");
}

/**
 * The chain settings every Ignition module reads under `$global` (deploy/parameters/README in deploy/README.md):
 * they come from the profile, so a parameters file need not (and must not contradict them).
 */
export function chainSettingsOf(profile: ChainProfile): { millisecondTimestamps: boolean; sm2Verifier: string } {
  return {
    millisecondTimestamps: profile.timeUnit === "milliseconds",
    sm2Verifier: profile.signatureScheme === "sm2" ? (profile.sm2Precompile ?? ZeroAddress) : ZeroAddress,
  };
}

/** How many `block.timestamp` units make a second on the profile's chains: 1 or 1000. */
export function unitsPerSecond(profile: ChainProfile): bigint {
  return profile.timeUnit === "milliseconds" ? 1000n : 1n;
}


/**
 * CI check (`tsx scripts/check-evm-target.ts`): every compiler of the default and production profiles, overrides
 * included, targets paris, and the two profiles have the same settings, so checking the default build (which the
 * tests use) also speaks for the production profile that Ignition's own `ignition deploy` builds with.
 */
import config from "../hardhat.config.js";

type Compiler = { settings?: { evmVersion?: string } };
type Profile = Compiler & { compilers?: Compiler[]; overrides?: Record<string, Compiler> };

const profiles = (config.solidity as { profiles: Record<string, Profile> }).profiles;
const compilersOf = (profile: Profile) => [...(profile.compilers ?? [profile]), ...Object.values(profile.overrides ?? {})];
const problems: string[] = [];
for (const name of ["default", "production"]) {
  const profile = profiles[name];
  if (profile === undefined) {
    problems.push(`no "${name}" profile`);
    continue;
  }
  for (const compiler of compilersOf(profile)) {
    if (compiler.settings?.evmVersion !== "paris") problems.push(`${name}: EVM target ${compiler.settings?.evmVersion}`);
  }
}
if (JSON.stringify(compilersOf(profiles.default ?? {})) !== JSON.stringify(compilersOf(profiles.production ?? {}))) {
  problems.push("the production profile's compilers differ from the default profile's");
}
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("default and production profiles: the same compilers, EVM target paris");

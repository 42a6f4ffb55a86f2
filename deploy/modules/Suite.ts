import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { IgnitionModuleResult } from "@nomicfoundation/ignition-core";
import { suiteModules } from "./index.js";

/**
 * The whole trustbase suite: every module of deploy/modules/index.ts, returning all their contracts under
 * the names each module gives them. Parameters stay keyed by the module that reads them
 * (deploy/parameters/<network>.json: `{ "Governance": { "upgradeDelay": 60 } }`).
 */
export default buildModule("Suite", (m) => {
  const results: IgnitionModuleResult<string> = {};
  for (const module of suiteModules) {
    for (const [name, future] of Object.entries(m.useModule(module))) {
      // A module may pass on a contract of a module it uses (the same future); two different ones may not share a name.
      if (name in results && results[name].id !== future.id) {
        throw new Error(`Suite: module ${module.id} returns "${name}", which another module returns for another contract`);
      }
      results[name] = future;
    }
  }
  return results;
});

import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import IdentityModule from "./Identity.js";
import { Roles } from "../roles.js";
import { deployProxy, moduleName, selectors } from "../lib.js";

/**
 * Traceability: TraceRegistry (UUPS proxy under the AccessManager), gated by the identity layer, listed in the
 * TrustDirectory.
 *
 * Roles: `setStepRule` (which credential topic each business step requires) belongs to TOPIC_ADMIN, the
 * consortium's identity committee that already decides which issuers count per topic; `upgradeToAndCall` to
 * UPGRADER (with its delay). The step rules themselves are network data: scripts/provision/trace.ts sets them
 * from the "Trace.steps" list of deploy/parameters/<network>.json (the profiles: rice, cattle, compute).
 *
 * Parameters (chain settings, usually under "$global"): millisecondTimestamps (default false).
 */
export default buildModule("Trace", (m) => {
  const { accessManager, directory, didRegistry, credentialRegistry } = m.useModule(IdentityModule);
  const millisecondTimestamps = m.getParameter("millisecondTimestamps", false);

  const { implementation, proxy: traceRegistry } = deployProxy(
    m,
    "TraceRegistry",
    [didRegistry, credentialRegistry, millisecondTimestamps],
    [accessManager],
  );

  m.call(
    accessManager,
    "setTargetFunctionRole",
    [traceRegistry, selectors("setStepRule(uint8,(uint32,bool,bool))"), Roles.TOPIC_ADMIN],
    { id: "roles_TraceRegistry_steps" },
  );
  m.call(accessManager, "setTargetFunctionRole", [traceRegistry, selectors("upgradeToAndCall(address,bytes)"), Roles.UPGRADER], {
    id: "roles_TraceRegistry_upgrade",
  });
  m.call(directory, "register", [moduleName("TraceRegistry"), traceRegistry, 1], { id: "register_TraceRegistry" });

  return { accessManager, directory, didRegistry, credentialRegistry, traceRegistry, traceRegistryImplementation: implementation };
});

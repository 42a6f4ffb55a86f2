import type { Provision } from "./context.js";
import { identity } from "./identity.js";
import { data } from "./data.js";
import { trace } from "./trace.js";

/**
 * Every module's provisioning step, run in this order by scripts/deploy.ts (and the demo) after the Suite is
 * deployed. A module with network data adds one import and one entry. Governance has none.
 */
export const provisions: Provision[] = [identity, data, trace];

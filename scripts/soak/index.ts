import type { Workload } from "./context.js";
import { assetsWorkload } from "./assets.js";
import { dataWorkload } from "./data.js";
import { evidenceWorkload } from "./evidence.js";
import { credentialWorkload, identityWorkload } from "./identity.js";
import { traceWorkload } from "./trace.js";
import { tradeWorkload } from "./trade.js";

/** Every module's workload, fresh (each keeps its own model of one run). A module adds one entry. */
export function workloads(): Workload[] {
  return [identityWorkload(), credentialWorkload(), dataWorkload(), traceWorkload(), evidenceWorkload(), tradeWorkload(), assetsWorkload()];
}

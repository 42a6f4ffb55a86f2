import type { Bench } from "./context.js";
import { governance } from "./governance.js";
import { identity } from "./identity.js";
import { data } from "./data.js";
import { trade } from "./trade.js";
import { trace } from "./trace.js";
import { evidence } from "./evidence.js";

/** Every module's bench, run in this order on one fresh suite. A new module adds one import and one entry. */
export const benches: Bench[] = [governance, identity, data, trade, trace, evidence];

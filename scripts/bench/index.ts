import type { Bench } from "./context.js";
import { governance } from "./governance.js";
import { identity } from "./identity.js";
import { data } from "./data.js";
import { trade } from "./trade.js";
import { trace } from "./trace.js";
import { evidence } from "./evidence.js";
import { assets } from "./assets.js";

/** Every module's bench, run in this order on one fresh suite. A new module adds one import and one entry. */
export const benches: Bench[] = [governance, identity, data, trade, trace, evidence, assets];

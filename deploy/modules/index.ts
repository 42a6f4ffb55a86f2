import type { IgnitionModule, IgnitionModuleResult } from "@nomicfoundation/ignition-core";
import Governance from "./Governance.js";
import Identity from "./Identity.js";
import Data from "./Data.js";
import Trade from "./Trade.js";
import Trace from "./Trace.js";
import Evidence from "./Evidence.js";
import Assets from "./Assets.js";

/**
 * Every module of the suite, in deployment order: deploy/modules/Suite.ts uses each of them, and
 * scripts/deploy.ts, the demo and the bench deploy that Suite. A new module adds one import and one entry.
 * Result names (for example `directory`) must be unique across modules: they are the keys of the
 * address book (addresses/<chainId>.json).
 */
export const suiteModules: IgnitionModule<string, string, IgnitionModuleResult<string>>[] = [Governance, Identity, Data, Trade, Trace, Evidence, Assets];

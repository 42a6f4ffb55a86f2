import type { Chapter } from "../runner.js";
import { governance } from "./governance.js";
import { identity } from "./identity.js";
import { data } from "./data.js";
import { trade } from "./trade.js";
import { trace } from "./trace.js";
import { evidence } from "./evidence.js";
import { assets } from "./assets.js";

/** The story, in order: one chapter per module. A new module adds one import and one entry. */
export const chapters: Chapter[] = [governance, identity, data, trade, trace, evidence, assets];

import type { Chapter } from "../runner.js";
import { governance } from "./governance.js";
import { identity } from "./identity.js";
import { evidence } from "./evidence.js";

/** The story, in order: one chapter per module. A new module adds one import and one entry. */
export const chapters: Chapter[] = [governance, identity, evidence];

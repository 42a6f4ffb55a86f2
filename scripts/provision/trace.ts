import { Topics, type TopicName } from "../../deploy/topics.js";
import { TraceRegistry__factory } from "../../typechain-types/index.js";
import type { Provision } from "./context.js";

/** One business step of the "Trace.steps" list of deploy/parameters/<network>.json. */
export interface TraceStep {
  /** Step id, 1..255: what events carry. */
  id: number;
  /** Its name (EPCIS business step, lower case: "harvesting", "shipping" ...). */
  name: string;
  /** The credential topic an actor must hold (a name of deploy/topics.ts, or its id). */
  topic: TopicName | number;
  /** Whether the actor must own or hold the batch. */
  custody: boolean;
  /** Whether the step may recall batches and record sensor breaches. */
  authority: boolean;
  /** Profiles using it: "rice", "cattle", "compute". */
  profiles: string[];
}

/** The step list of a "Trace" parameters section, checked: unique ids 1..255 and names, known topics. */
export function traceSteps(parameters: Record<string, unknown>): (TraceStep & { topicId: number })[] {
  const list = parameters.steps ?? [];
  if (!Array.isArray(list)) throw new Error("Trace.steps must be a list of { id, name, topic, custody, authority, profiles }");
  const ids = new Set<number>();
  const names = new Set<string>();
  return (list as TraceStep[]).map((step) => {
    const topicId = typeof step.topic === "number" ? step.topic : Topics[step.topic];
    if (!Number.isInteger(step.id) || step.id < 1 || step.id > 255) throw new Error(`Trace.steps: id ${step.id} is not 1..255`);
    if (topicId === undefined || topicId === 0) throw new Error(`Trace.steps: unknown topic "${step.topic}" for ${step.name}`);
    if (ids.has(step.id) || names.has(step.name)) throw new Error(`Trace.steps: ${step.id} ${step.name} appears twice`);
    ids.add(step.id);
    names.add(step.name);
    return { ...step, custody: step.custody === true, authority: step.authority === true, topicId };
  });
}

/**
 * Business-step rules of the TraceRegistry (which credential each step requires), from "Trace.steps": sends
 * setStepRule only for steps whose rule on chain differs. It never withdraws a step absent from the file
 * (withdrawing is a governance decision made explicitly, not by editing a file).
 */
export const trace: Provision = {
  module: "Trace",
  async run({ address, deployer, parameters, send }) {
    const registry = TraceRegistry__factory.connect(address("traceRegistry"), deployer);
    for (const step of traceSteps(parameters)) {
      const current = await registry.stepRule(step.id);
      if (Number(current.topic) === step.topicId && current.custody === step.custody && current.authority === step.authority) {
        continue;
      }
      await send(
        `step ${step.id} ${step.name} requires ${step.topic}${step.custody ? ", custody" : ""}${step.authority ? ", authority" : ""}`,
        registry.setStepRule(step.id, { topic: step.topicId, custody: step.custody, authority: step.authority }),
      );
    }
  },
};

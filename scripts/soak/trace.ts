import { ZeroHash, getAddress, id } from "ethers";
import { Topics } from "../../deploy/topics.js";
import { TraceRegistry__factory } from "../../typechain-types/index.js";
import { traceEventOf, verifyChain, type TraceEvent } from "../../sdk/trace.js";
import { compare, inParallel, n, type Account, type Workload } from "./context.js";
import { license } from "./identity.js";

/** Steps of the rice profile a producer records on its own batches (deploy/parameters/*.json, Trace.steps). */
const COMMISSIONING = 1;
const FIELD_STEPS = [2, 3, 4]; // planting, fertilizing, harvesting
const PRODUCT = 9506000134352n; // a GTIN as the product class

/**
 * Traceability: producers create batches and record field events on them (each extends the batch's hash chain);
 * creating a batch id twice is refused.
 */
export function traceWorkload(): Workload {
  const registry = TraceRegistry__factory.createInterface();
  interface Batch {
    id: string;
    owner: Account;
    events: number;
  }
  const batches: Batch[] = [];
  const owned = new Map<string, Batch[]>();
  let serial = 0;

  return {
    module: "trace",
    weight: 1,
    async setup(context) {
      const trace = TraceRegistry__factory.connect(context.address("traceRegistry"), context.connection.ethers.provider);
      for (const step of [COMMISSIONING, ...FIELD_STEPS]) {
        const rule = await trace.stepRule(step);
        if (Number(rule.topic) !== Topics.PRODUCER || !rule.custody) {
          throw new Error(`Trace step ${step} does not require PRODUCER with custody on this chain: provision the rice profile (npm run deploy)`);
        }
      }
      await license(context, Topics.PRODUCER, context.senders);
    },
    next(context, sender, rng) {
      const to = context.address("traceRegistry");
      const own = owned.get(sender.address) ?? [];
      if (own.length > 0 && rng.chance(0.05)) {
        const batch = rng.pick(own);
        return {
          module: "trace",
          what: `create batch ${batch.id.slice(0, 10)}… again`,
          to,
          data: registry.encodeFunctionData("createBatch", [batch.id, PRODUCT, COMMISSIONING]),
          expect: "TraceBatchExists",
        };
      }
      if (own.length > 0 && rng.chance(0.75)) {
        const batch = rng.pick(own);
        const n = ++serial;
        const input = {
          batchId: batch.id,
          step: rng.pick(FIELD_STEPS),
          disposition: 1,
          readPoint: id(`${context.runId}:field:${sender.address}`),
          bizLocation: id(`${context.runId}:farm:${sender.address}`),
          eventHash: id(`${context.runId}:event:${n}`),
          sensorRoot: ZeroHash,
        };
        return {
          module: "trace",
          what: `record event ${input.step} on batch ${batch.id.slice(0, 10)}…`,
          to,
          data: registry.encodeFunctionData("recordEvent", [input]),
          apply: () => void (batch.events += 1),
        };
      }
      const batchId = id(`${context.runId}:batch:${++serial}`);
      return {
        module: "trace",
        what: `create batch ${batchId.slice(0, 10)}…`,
        to,
        data: registry.encodeFunctionData("createBatch", [batchId, PRODUCT, COMMISSIONING]),
        apply: () => {
          const batch = { id: batchId, owner: sender, events: 0 };
          batches.push(batch);
          owned.set(sender.address, [...(owned.get(sender.address) ?? []), batch]);
        },
      };
    },
    async verify(context, { fromBlock, toBlock }) {
      const trace = TraceRegistry__factory.connect(context.address("traceRegistry"), context.connection.ethers.provider);
      const mismatches: string[] = [];
      const chains = new Map<string, TraceEvent[]>();
      for (const log of await trace.queryFilter(trace.filters.TraceEventRecorded(), fromBlock, toBlock)) {
        const event = traceEventOf(log);
        chains.set(event.batchId, [...(chains.get(event.batchId) ?? []), event]);
      }
      await inParallel(batches, 16, async (batch) => {
        const label = `batch ${batch.id.slice(0, 10)}…`;
        const view = await trace.traceOf(batch.id);
        compare(mismatches, `${label} owner`, getAddress(view.owner), batch.owner.address);
        compare(mismatches, `${label} custodian`, getAddress(view.custodian), batch.owner.address);
        compare(mismatches, `${label} events`, Number(view.eventCount), batch.events);
        const events = (chains.get(batch.id) ?? []).sort((a, b) => a.index - b.index);
        compare(mismatches, `${label} TraceEventRecorded events`, events.length, batch.events);
        const verdict = verifyChain(events, view.head);
        if (!verdict.valid) mismatches.push(`${label}: the head is not the chain over its events: ${verdict.reason}`);
      });
      const events = batches.reduce((sum, batch) => sum + batch.events, 0);
      return { checked: `${n(batches.length)} batches, ${n(events)} events, heads against the chains over the logs`, mismatches };
    },
  };
}

/**
 * The site's back end, started for `npm run site` and for the browser tests (test/site/): a hardhat node on
 * 127.0.0.1 (or a node already running), the suite deployed on it and the demo data seeded
 * (scripts/site/seed.ts, run as `npm run demo` runs, in a child process), and the files the site serves.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { finished, freePort, hardhat, startHardhatNode, type NodeProcess } from "../../test/deploy/node.js";
import type { SiteData } from "./chapter.js";

export interface SiteStack {
  rpcUrl: string;
  chainId: number;
  /** The node this stack started (undefined when it uses one already running). */
  node?: NodeProcess;
  /** Where config.json, demo.json and demo/ were written. */
  outDir: string;
  facts: SiteData["facts"];
  /** The seed's output (the demo's story). */
  log: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** An existing development node to use instead of starting one. */
  rpcUrl?: string;
  /** Port for the node this stack starts: this one if free, else any free one. */
  preferredPort?: number;
  chainId?: number;
  outDir: string;
  /** Play the demo's chapters before the site's (default true). */
  demo?: boolean;
  /** Each line of the seed's output as it comes. */
  onLine?: (line: string) => void;
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
      .once("error", () => resolve(false))
      .listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export async function startStack(options: StackOptions): Promise<SiteStack> {
  let node: NodeProcess | undefined;
  let rpcUrl = options.rpcUrl;
  const chainId = options.chainId ?? 31337;
  if (rpcUrl === undefined) {
    const port = options.preferredPort !== undefined && (await isFree(options.preferredPort)) ? options.preferredPort : await freePort();
    node = await startHardhatNode(port, chainId);
    rpcUrl = node.url;
  }
  const port = new URL(rpcUrl).port || "80";
  const seed = hardhat(["run", "scripts/site/seed.ts", "--network", "localhost"], {
    ...process.env,
    LOCALHOST_PORT: port,
    SITE_RPC_URL: rpcUrl,
    SITE_OUT: options.outDir,
    SITE_DEMO: options.demo === false ? "0" : "1",
  });
  const run = await finished(seed, options.onLine);
  if (run.code !== 0) {
    await node?.stop();
    throw new Error(`Seeding the site's demo data failed (exit ${run.code ?? run.signal}):\n${run.output.split("\n").slice(-40).join("\n")}`);
  }
  const facts = JSON.parse(readFileSync(path.join(options.outDir, "demo.json"), "utf8")) as SiteData["facts"];
  const config = JSON.parse(readFileSync(path.join(options.outDir, "config.json"), "utf8")) as { chainId: number };
  return { rpcUrl, chainId: config.chainId, node, outDir: options.outDir, facts, log: run.output, stop: async () => node?.stop() };
}

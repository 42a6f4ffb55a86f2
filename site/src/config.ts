/**
 * What the site needs to know about the chain it reads: served as config.json next to index.html (`npm run site`
 * writes it from the deployment; a consortium writes its own). The page's query string may point elsewhere:
 * `?rpc=<url>` another node, `?config=<file>` another config.
 */
export interface SiteConfig {
  /** The JSON-RPC endpoint the browser reads from (it must allow cross-origin requests). */
  rpcUrl: string;
  /** The chain the addresses belong to; a node on another chain is refused. */
  chainId: number;
  /** The address book (addresses/<chainId>.json `contracts`): traceRegistry, billOfLading, evidenceVault … */
  contracts: Record<string, string>;
  /** First block to read events from (the suite's deployment block). */
  fromBlock?: number;
  /** Business step names by id (deploy/parameters `Trace.steps`). */
  steps?: Record<string, string>;
  /** GS1 Digital Links (or URIs) the operator knows, to name the batches an id stands for. */
  links?: string[];
  /** Names of parties the operator knows, by address (lower case). */
  labels?: Record<string, string>;
  /** Where published sensor reports are: `<sensorData><batchId>-<eventIndex>.json` (relative to the site). */
  sensorData?: string;
}

/** Facts of the demo data (`npm run site` writes demo.json): examples to open, files to drop. */
export interface DemoFacts {
  trace: { verified: string; recalled: string; parent: string; recalledParent: string };
  evidence: { file: string; disputedFile: string; bundle: string; alteredBundle: string };
  bill: { id: string; description: string };
  qr?: string;
}

export class ConfigError extends Error {}

const query = () => new URLSearchParams(location.search);

let loaded: Promise<SiteConfig> | undefined;

export function loadConfig(): Promise<SiteConfig> {
  loaded ??= (async () => {
    const file = query().get("config") ?? "config.json";
    let config: SiteConfig;
    try {
      const response = await fetch(file, { cache: "no-store" });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      config = (await response.json()) as SiteConfig;
    } catch (error) {
      throw new ConfigError(`The site has no configuration (${file}: ${(error as Error).message}). Run npm run site, or serve a config.json next to index.html.`);
    }
    const rpc = query().get("rpc");
    if (rpc !== null) config.rpcUrl = rpc;
    for (const name of ["rpcUrl", "chainId", "contracts"] as const) {
      if (config[name] === undefined) throw new ConfigError(`${file} has no "${name}"`);
    }
    return config;
  })();
  return loaded;
}

let demo: Promise<DemoFacts | undefined> | undefined;

/** demo.json when the site runs on the demo data; undefined elsewhere. */
export function loadDemo(): Promise<DemoFacts | undefined> {
  demo ??= fetch("demo.json", { cache: "no-store" })
    .then((response) => (response.ok ? (response.json() as Promise<DemoFacts>) : undefined))
    .catch(() => undefined);
  return demo;
}

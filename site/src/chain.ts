import { JsonRpcProvider, Network, getAddress, toBeHex } from "ethers";
import { BillOfLading__factory } from "../../typechain-types/factories/contracts/trade/BillOfLading__factory.js";
import { EvidenceVault__factory } from "../../typechain-types/factories/contracts/evidence/EvidenceVault__factory.js";
import { TraceRegistry__factory } from "../../typechain-types/factories/contracts/trace/TraceRegistry__factory.js";
import { loadConfig, type SiteConfig } from "./config.js";

/** The node did not answer (refused, timed out, not JSON-RPC): nothing on the page can be checked. */
export class NodeDown extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`The node at ${url} does not answer (${reason})`);
  }
}

/** The node answers for another chain than the configured addresses belong to. */
export class WrongChain extends Error {
  constructor(
    readonly url: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`The node at ${url} is chain ${actual}; the site's addresses are on chain ${expected}`);
  }
}

export interface Chain {
  config: SiteConfig;
  provider: JsonRpcProvider;
  chainId: number;
  fromBlock: number;
  contract(name: string): string;
  traceRegistry(): ReturnType<typeof TraceRegistry__factory.connect>;
  evidenceVault(): ReturnType<typeof EvidenceVault__factory.connect>;
  billOfLading(): ReturnType<typeof BillOfLading__factory.connect>;
  /** `Name` for a party the operator named, else the short address. */
  label(address: string): string;
  did(address: string): string;
}

const TIMEOUT_MS = 8_000;

/** Asks the node for its chain id, then connects; throws {@link NodeDown} or {@link WrongChain}. */
async function probe(url: string): Promise<number> {
  let answer: { result?: string; error?: { message: string } };
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    answer = await response.json();
  } catch (error) {
    const reason = (error as Error).name === "TimeoutError" ? `no answer within ${TIMEOUT_MS / 1000} s` : (error as Error).message;
    throw new NodeDown(url, reason);
  }
  if (answer.result === undefined) throw new NodeDown(url, answer.error?.message ?? "not a JSON-RPC answer");
  return Number(answer.result);
}

let connected: Promise<Chain> | undefined;

export function connect(): Promise<Chain> {
  connected ??= (async () => {
    const config = await loadConfig();
    const chainId = await probe(config.rpcUrl);
    if (chainId !== Number(config.chainId)) throw new WrongChain(config.rpcUrl, Number(config.chainId), chainId);
    // staticNetwork: no background polling for the network; a dead node then fails each call instead of retrying.
    const provider = new JsonRpcProvider(config.rpcUrl, Network.from(chainId), { staticNetwork: true });
    const labels = new Map(Object.entries(config.labels ?? {}).map(([address, name]) => [address.toLowerCase(), name]));
    const contract = (name: string) => {
      const address = config.contracts[name];
      if (address === undefined) throw new Error(`The site's configuration has no address for ${name}`);
      return getAddress(address);
    };
    return {
      config,
      provider,
      chainId,
      fromBlock: config.fromBlock ?? 0,
      contract,
      traceRegistry: () => TraceRegistry__factory.connect(contract("traceRegistry"), provider),
      evidenceVault: () => EvidenceVault__factory.connect(contract("evidenceVault"), provider),
      billOfLading: () => BillOfLading__factory.connect(contract("billOfLading"), provider),
      label: (address: string) => labels.get(address.toLowerCase()) ?? `${address.slice(0, 8)}…${address.slice(-4)}`,
      did: (address: string) => `did:ethr:${toBeHex(BigInt(chainId))}:${getAddress(address)}`,
    };
  })();
  // A failed connection is not kept: the next check tries the node again.
  connected.catch(() => (connected = undefined));
  return connected;
}

/** Whether `error` means the node stopped answering in the middle of a check. */
export function isNodeFailure(error: unknown): boolean {
  if (error instanceof NodeDown) return true;
  const code = (error as { code?: string }).code;
  const message = String((error as Error)?.message ?? "");
  return code === "NETWORK_ERROR" || code === "TIMEOUT" || /Failed to fetch|fetch failed|ECONNREFUSED|NetworkError/i.test(message);
}

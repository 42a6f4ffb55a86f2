/**
 * Helpers for the tests that run the suite's commands against a real node process (test/deploy/*.test.ts):
 * free ports, a node (hardhat node or anvil from node_modules) in its own process group, Hardhat as a child
 * process, JSON-RPC calls, a proxy that stops a client at its Nth transaction, and the outputs a deployment leaves
 * for a chain id (Ignition journal, address book).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import hre from "hardhat";

export const root = hre.config.paths.root;
const hardhatCli = path.join(path.dirname(fileURLToPath(import.meta.resolve("hardhat"))), "cli.js");
const tsxCli = fileURLToPath(import.meta.resolve("tsx/cli"));

/**
 * The tests that drive a node process run the contracts there, out of coverage's sight, and their child
 * processes would rebuild the artifacts that `hardhat test --coverage` instrumented: skipped under coverage
 * (`npm test` runs them).
 */
export function skipUnderCoverage(context: Mocha.Context): void {
  if (hre.globalOptions.coverage === true) context.skip();
}

/** Where a deployment to `chainId` leaves its Ignition journal and its address book. */
export function outputsOf(chainId: number): { journal: string; addressBook: string } {
  return {
    journal: path.join(hre.config.paths.ignition, "deployments", `chain-${chainId}`),
    addressBook: path.join(root, "addresses", `${chainId}.json`),
  };
}

export function removeOutputs(chainId: number): void {
  const { journal, addressBook } = outputsOf(chainId);
  rmSync(journal, { recursive: true, force: true });
  rmSync(addressBook, { force: true });
}

/** The journal's `deployed_addresses.json` (Ignition future id → address); empty when there is none yet. */
export function journalAddresses(chainId: number): Record<string, string> {
  const file = path.join(outputsOf(chainId).journal, "deployed_addresses.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : {};
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Hardhat on the Node that runs these tests (Node 22 from node_modules when run through npm), in its own group. */
export function hardhat(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [hardhatCli, ...args], { cwd: root, env, detached: true, stdio: "pipe" });
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Collects a child's output and waits for it to end. */
export async function finished(child: ChildProcess, onLine?: (line: string) => void): Promise<Run> {
  let output = "";
  let partial = "";
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    if (onLine === undefined) return;
    const lines = (partial + text).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) onLine(line);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, output })));
}

/** Runs a Hardhat command to its end. */
export async function run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return finished(hardhat(args, env));
}

/**
 * A command that takes arguments (`npm run handover|roles|upgrade|evidence -- …`: a tsx script, see
 * scripts/lib/command.ts) run to its end as a child process, on the Node that runs these tests.
 */
export async function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return finished(spawn(process.execPath, [tsxCli, script, ...args], { cwd: root, env, detached: true, stdio: "pipe" }));
}

/** `npm run deploy -- --network localhost`, as the child process `hardhat run scripts/deploy.ts`. */
export const DEPLOY = ["run", "scripts/deploy.ts", "--network", "localhost"];
/** `npm run check:deployment -- --network localhost`. */
export const CHECK = ["run", "scripts/check-deployment.ts", "--network", "localhost"];
/** `npm run demo -- --network localhost`. */
export const DEMO = ["run", "scripts/demo.ts", "--network", "localhost"];

/** Ignition futures a deploy run reports as executed (`deployed …`, `called …`, `sent …` lines). */
export function executedFutures(output: string): string[] {
  return [...output.matchAll(/^ {2}(?:deployed|called|sent) +(\S+)/gm)].map((match) => match[1]);
}

let requestId = 0;

/** One JSON-RPC call; throws on an error answer or when nothing answers. */
export async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: ++requestId, method, params }),
    signal: AbortSignal.timeout(10_000),
  });
  const answer = (await response.json()) as { result?: T; error?: { message: string } };
  if (answer.error !== undefined) throw new Error(`${method}: ${answer.error.message}`);
  return answer.result as T;
}

async function chainIdAt(url: string): Promise<number | undefined> {
  try {
    return Number(await rpc<string>(url, "eth_chainId"));
  } catch {
    return undefined;
  }
}

/** Polls `condition` every 100 ms until it holds; fails after `timeoutMs` with `what`. */
export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A node process on 127.0.0.1, in its own process group. */
export class NodeProcess {
  readonly url: string;
  log = "";
  readonly #process: ChildProcess;
  readonly #exited: Promise<void>;
  readonly #killOnExit = () => this.#signal("SIGKILL");

  private constructor(
    readonly port: number,
    child: ChildProcess,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.#process = child;
    child.stdout?.on("data", (chunk) => (this.log += chunk));
    child.stderr?.on("data", (chunk) => (this.log += chunk));
    this.#exited = new Promise((resolve) => child.on("exit", () => resolve()));
    // Should the test runner itself die, the node must not outlive it.
    process.on("exit", this.#killOnExit);
  }

  /** Starts `command args` and waits (at most 30 s) until it answers eth_chainId with `chainId`. */
  static async start(command: string, args: string[], port: number, chainId: number): Promise<NodeProcess> {
    const child = spawn(command, args, { cwd: root, detached: true, stdio: "pipe" });
    const node = new NodeProcess(port, child);
    try {
      await until(
        `the node on port ${port} to answer with chain id ${chainId}`,
        async () => {
          if (!node.running) throw new Error(`The node exited:\n${node.log}`);
          return (await chainIdAt(node.url)) === chainId;
        },
        30_000,
      );
    } catch (error) {
      await node.stop();
      throw error;
    }
    return node;
  }

  get running(): boolean {
    return this.#process.exitCode === null && this.#process.signalCode === null;
  }

  get exitCode(): number | null {
    return this.#process.exitCode;
  }

  #signal(signal: NodeJS.Signals): void {
    const pid = this.#process.pid;
    if (pid === undefined || !this.running) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is already gone
    }
  }

  /**
   * Ends the node's process group with `signal` (SIGTERM lets anvil dump its state) and waits for the node to
   * exit; SIGKILL after `graceMs`.
   */
  async stop(signal: NodeJS.Signals = "SIGTERM", graceMs = 10_000): Promise<void> {
    if (this.running) {
      this.#signal(signal);
      const timer = setTimeout(() => this.#signal("SIGKILL"), graceMs);
      await this.#exited;
      clearTimeout(timer);
    }
    process.off("exit", this.#killOnExit);
  }
}

/** `npx hardhat node` on 127.0.0.1. */
export async function startHardhatNode(port: number, chainId: number): Promise<NodeProcess> {
  const args = [hardhatCli, "node", "--hostname", "127.0.0.1", "--port", String(port), "--chain-id", String(chainId)];
  return NodeProcess.start(process.execPath, args, port, chainId);
}

/**
 * The anvil binary of @foundry-rs/anvil (its per-platform package, installed from npm with the project:
 * nothing is downloaded at test time), or undefined on a platform it has no binary for.
 */
export function anvilBinary(): string | undefined {
  const arch = ({ x64: "amd64", arm64: "arm64" } as Record<string, string>)[process.arch];
  if (arch === undefined) return undefined;
  const name = `@foundry-rs/anvil-${process.platform}-${arch}`;
  try {
    const manifest = createRequire(import.meta.url).resolve(`${name}/package.json`);
    const binary = path.join(path.dirname(manifest), "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

export interface AnvilOptions {
  port: number;
  chainId: number;
  /** Dev accounts (10,000 ETH each); the demo brings in one per actor. */
  accounts?: number;
  /** Extra arguments, for example `--dump-state F` or `--load-state F`. */
  extra?: string[];
}

/** Accounts the anvil nodes of these tests have: enough for the demo's cast, with room for modules to come. */
export const ANVIL_ACCOUNTS = 60;

/**
 * anvil on 127.0.0.1 with the rules of a consortium chain that lags mainnet: London (no PUSH0), zero base fee
 * and zero gas price.
 */
export async function startAnvil({ port, chainId, accounts = ANVIL_ACCOUNTS, extra = [] }: AnvilOptions): Promise<NodeProcess> {
  const binary = anvilBinary();
  if (binary === undefined) throw new Error(`@foundry-rs/anvil has no binary for ${process.platform}-${process.arch}`);
  const args = [
    ...["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(chainId)],
    ...["--hardfork", "london", "--gas-price", "0", "--base-fee", "0", "--accounts", String(accounts)],
    ...extra,
  ];
  return NodeProcess.start(binary, args, port, chainId);
}

/** The environment of commands run against a node: `--network localhost` on its port, at zero gas price. */
export function localhostEnv(port: number, gasPrice?: bigint): NodeJS.ProcessEnv {
  return {
    ...process.env,
    LOCALHOST_PORT: String(port),
    ...(gasPrice === undefined ? {} : { LOCALHOST_GAS_PRICE: String(gasPrice) }),
  };
}

/**
 * What a {@link RpcProxy} does with the client's Nth transaction: `swallow` it (never forwarded, never answered: it
 * does not reach the node), `withhold` the answer (forwarded, so the node has it, but the client never learns its
 * hash), or `answer` it as usual.
 */
export type SendFate = "swallow" | "withhold" | "answer";

/**
 * A JSON-RPC proxy on 127.0.0.1 in front of a node, for stopping a client at an exact point: it forwards
 * everything until the client's `at`-th transaction (`eth_sendTransaction` or `eth_sendRawTransaction`), runs
 * `before` (for example to stop the node's mining), deals with that transaction as `fate` says, and from then on
 * holds every request unanswered, so that the client does nothing more on chain until it is killed.
 */
export class RpcProxy {
  readonly url: string;
  /** Resolves once the `at`-th transaction has been dealt with: the node's answer when it was forwarded. */
  readonly intercepted: Promise<{ answer?: unknown }>;
  readonly #held = new Set<ServerResponse>();
  #sends = 0;
  #frozen = false;

  private constructor(
    readonly port: number,
    private readonly server: ReturnType<typeof createHttpServer>,
    intercepted: Promise<{ answer?: unknown }>,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.intercepted = intercepted;
  }

  static async start(
    target: string,
    { at, fate, before }: { at: number; fate: SendFate; before?: () => Promise<void> },
  ): Promise<RpcProxy> {
    let resolve!: (value: { answer?: unknown }) => void;
    const intercepted = new Promise<{ answer?: unknown }>((r) => (resolve = r));
    let proxy!: RpcProxy;
    const forward = async (body: string) => {
      const response = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
      return response.text();
    };
    const server = createHttpServer((request: IncomingMessage, response: ServerResponse) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", async () => {
        if (proxy.#frozen) {
          proxy.#held.add(response);
          return;
        }
        const calls = [JSON.parse(body)].flat() as { method?: string }[];
        const sends = calls.filter((call) => call.method === "eth_sendTransaction" || call.method === "eth_sendRawTransaction");
        if (sends.length > 0 && (proxy.#sends += sends.length) >= at) {
          proxy.#frozen = true;
          proxy.#held.add(response);
          await before?.();
          if (fate === "swallow") return resolve({});
          const answer = JSON.parse(await forward(body)) as { result?: unknown };
          if (fate === "withhold") return resolve({ answer: answer.result });
          proxy.#held.delete(response);
          response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
          return resolve({ answer: answer.result });
        }
        try {
          response.writeHead(200, { "content-type": "application/json" }).end(await forward(body));
        } catch (error) {
          response.writeHead(502).end((error as Error).message);
        }
      });
    });
    const port = await freePort();
    await new Promise<void>((ready) => server.listen(port, "127.0.0.1", ready));
    proxy = new RpcProxy(port, server, intercepted);
    return proxy;
  }

  /** Drops the held requests and stops listening. */
  async stop(): Promise<void> {
    for (const response of this.#held) response.destroy();
    this.#held.clear();
    this.server.closeAllConnections();
    await new Promise<void>((closed) => this.server.close(() => closed()));
  }
}

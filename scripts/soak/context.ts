import type { TransactionReceipt, Wallet } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkConnection } from "hardhat/types/network";
import type { SuiteDeployment } from "../lib/suite.js";

/**
 * One transaction of the workload, as a module builds it for a sender. The runner signs it with the sender's next
 * nonce, waits for its receipt and checks the outcome against `expect`.
 */
export interface Op {
  module: string;
  /** What it does, for the failure report: `register data 0x12…`. */
  what: string;
  to: string;
  data: string;
  /** The custom error it must revert with (checked by name); undefined: it must succeed. */
  expect?: string;
  /** Applies its effect to the module's model once its receipt is in (successful operations only). */
  apply?(receipt: TransactionReceipt): void;
}

/** An account of the run with a key of its own (derived from the run id): it signs locally and counts its nonces. */
export interface Account {
  name: string;
  wallet: Wallet;
  address: string;
  /** The next nonce: its transactions go out strictly in this order, one at a time. */
  nonce: number;
  /** The nonce it had when the run began: the chain must end at `nonce`, every transaction accounted for. */
  startNonce: number;
}

/** The outcome of one transaction, as the runner classifies it. */
export interface Outcome {
  op: Op;
  /** succeeded: status 1, none expected; reverted: the expected error; failed: anything else. */
  kind: "succeeded" | "reverted" | "failed";
  /** What went wrong, for `failed`. */
  problem?: string;
  /** Its receipt; undefined when it was never mined (its nonce then stays free for the next one). */
  receipt?: TransactionReceipt;
}

/** What a module's workload gets: the suite, the run's accounts, and ways to send. */
export interface SoakContext {
  connection: NetworkConnection;
  suite: SuiteDeployment;
  chainId: number;
  /** A tag unique to this run: every id, hash and key of the run derives from it. */
  runId: string;
  /** Block time when the run began, seconds (validity windows start there). */
  now: number;
  /** signers[0]: AccessManager admin and holder of the local roles; sends setup transactions only. */
  admin: HardhatEthersSigner;
  /** The workload's senders. */
  senders: Account[];
  /** The address of a contract the Suite module returns (`directory`, `accessManager`, ...). */
  address(name: string): string;
  /** An account of the run named `name` (an issuer, a clerk), created and funded on first use. */
  account(name: string): Promise<Account>;
  /**
   * Runs `task`, which sends the admin's setup transactions (not part of the measured workload) and waits for them,
   * after the admin's earlier tasks: the admin's transactions go out one at a time.
   */
  setup<T>(task: () => Promise<T>): Promise<T>;
  /** Sends `op` from `account` as a setup transaction; throws unless it succeeds. */
  setupOp(account: Account, op: Op): Promise<TransactionReceipt>;
}

/** Deterministic pseudo-random numbers (mulberry32): the same seed gives the same workload. */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** true with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** What a module's check of the final state found. */
export interface Verdict {
  /** What was compared, for the summary: `1,204 attribute changes of 20 DIDs`. */
  checked: string;
  /** Every difference between the chain and the model, one line each; empty when they agree. */
  mismatches: string[];
}

/**
 * One module's part of the soak: scripts/soak/<module>.ts, listed in scripts/soak/index.ts. `setup` gives the
 * senders what the module needs (credentials, tokens, a case); `next` builds a sender's next operation from the
 * model (so that it succeeds, or reverts with a known error); `verify` compares the chain with the model.
 */
export interface Workload {
  module: string;
  /** Relative share of the operations. */
  weight: number;
  setup(context: SoakContext): Promise<void>;
  next(context: SoakContext, sender: Account, rng: Rng): Op;
  verify(context: SoakContext, blocks: { fromBlock: number; toBlock: number }): Promise<Verdict>;
}

/** A count with thousands separators, for the summary. */
export const n = (value: number | bigint): string => value.toLocaleString("en-US");

/** Runs `tasks` with at most `limit` at a time (reads of the final state). */
export async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** `label: chain X, model Y` when they differ. */
export function compare(mismatches: string[], label: string, chain: unknown, model: unknown): void {
  const text = (value: unknown) => (typeof value === "bigint" ? value.toString() : JSON.stringify(value));
  if (text(chain) !== text(model)) mismatches.push(`${label}: chain ${text(chain)}, model ${text(model)}`);
}

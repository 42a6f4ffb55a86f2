import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { NetworkConnection } from "hardhat/types/network";

/**
 * Makes the Ignition journal of a deployment whose process was killed resumable, where Ignition 3.1 cannot
 * resume it by itself. Two states a kill can leave behind stop every later run of ignition-core 3.1.9:
 *
 * 1. A future whose execution state was initialized but that never asked for a nonce (killed between
 *    `*_EXECUTION_STATE_INITIALIZE` and `TRANSACTION_PREPARE_SEND`): the next run fails the invariant "Unable to
 *    find network interaction for <future> when trying to get pending onchain interaction" (HHE10000).
 * 2. A future whose transaction was sent but is known to the node no more (dropped from the pool: a node
 *    restarted without its pool, an eviction) while its nonce is still unused: Ignition records it as dropped,
 *    but still counts its nonce as used and fails with "The next nonce … should be N+1, but the node reports N"
 *    (HHE10412), on every run.
 *
 * In both cases nothing of the future reached the chain, so its journal lines are removed and the next run
 * starts it afresh, with the nonce the node hands out (the same one in case 2). Anything else (a pending
 * transaction still in the pool, a transaction mined, a nonce used by someone else) is left to Ignition,
 * which waits for it or reports it. Returns the futures restarted.
 */
export async function repairInterruptedJournal(connection: NetworkConnection, deploymentDir: string): Promise<string[]> {
  const file = path.join(deploymentDir, "journal.jsonl");
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
  const messages = lines.map((line) => JSON.parse(line) as JournalMessage);

  const futures = new Map<string, FutureJournal>();
  for (const message of messages) {
    if (message.futureId === undefined) continue;
    let future = futures.get(message.futureId);
    if (future === undefined) futures.set(message.futureId, (future = { types: new Set(), sent: [] }));
    future.types.add(message.type);
    if (SENDING_INITIALIZE.has(message.type) && typeof message.from === "string") future.from = message.from;
    if (message.type === "TRANSACTION_PREPARE_SEND" && typeof message.nonce === "number") future.nonce = message.nonce;
    if (message.type === "TRANSACTION_SEND" && message.transaction?.hash !== undefined) future.sent.push(message.transaction.hash);
  }

  const restart: string[] = [];
  for (const [futureId, future] of futures) {
    const initialized = [...future.types].some((type) => SENDING_INITIALIZE.has(type));
    const complete = [...future.types].some((type) => type.endsWith("_EXECUTION_STATE_COMPLETE"));
    if (!initialized || complete) continue;
    if (!future.types.has("TRANSACTION_PREPARE_SEND")) {
      restart.push(futureId); // case 1: no nonce asked for, nothing sent
      continue;
    }
    if (future.sent.length === 0 || future.nonce === undefined || future.from === undefined) continue;
    const known = await Promise.all(
      future.sent.map((hash) => connection.provider.request({ method: "eth_getTransactionByHash", params: [hash] })),
    );
    if (known.some((transaction) => transaction !== null && transaction !== undefined)) continue;
    const pending = Number(
      await connection.provider.request({ method: "eth_getTransactionCount", params: [future.from, "pending"] }),
    );
    if (pending <= future.nonce) restart.push(futureId); // case 2: dropped, its nonce still free
  }
  if (restart.length === 0) return [];

  const kept = lines.filter((_, index) => !restart.includes(messages[index].futureId ?? ""));
  const temporary = `${file}.repair`;
  writeFileSync(temporary, kept.map((line) => `\n${line}`).join(""));
  renameSync(temporary, file);
  return restart;
}

/** The `*_EXECUTION_STATE_INITIALIZE` messages of futures that send a transaction. */
const SENDING_INITIALIZE = new Set([
  "DEPLOYMENT_EXECUTION_STATE_INITIALIZE",
  "CALL_EXECUTION_STATE_INITIALIZE",
  "SEND_DATA_EXECUTION_STATE_INITIALIZE",
]);

interface JournalMessage {
  type: string;
  futureId?: string;
  from?: unknown;
  nonce?: unknown;
  transaction?: { hash?: string };
}

interface FutureJournal {
  types: Set<string>;
  from?: string;
  nonce?: number;
  sent: string[];
}

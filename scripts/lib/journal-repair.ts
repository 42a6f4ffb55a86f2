import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { trackTransaction } from "@nomicfoundation/ignition-core";
import type { NetworkConnection } from "hardhat/types/network";

/** What {@link repairInterruptedJournal} did to one future of the journal. */
export interface JournalRepair {
  futureId: string;
  /**
   * `restarted`: nothing of the future reached the chain; its journal lines are removed and the next run starts
   * it afresh. `tracked`: its transaction reached the node but the journal never recorded it; the journal now
   * records it (Ignition's `track-tx`), so the next run waits for it instead of sending it again.
   */
  action: "restarted" | "tracked";
  /** Why, in a sentence an operator can read. */
  reason: string;
  /** tracked: the transaction found on the node. */
  transaction?: string;
}

/**
 * Makes the Ignition journal of a deployment whose process was killed resumable, where Ignition 3.1 cannot
 * resume it by itself. Three states a kill can leave behind stop every later run of ignition-core 3.1.9:
 *
 * 1. A future whose execution state was initialized but that never asked for a nonce (killed between
 *    `*_EXECUTION_STATE_INITIALIZE` and `TRANSACTION_PREPARE_SEND`): the next run fails the invariant "Unable to
 *    find network interaction for <future> when trying to get pending onchain interaction" (HHE10000).
 * 2. A future whose transaction was sent but is known to the node no more (dropped from the pool: a node
 *    restarted without its pool, an eviction) while its nonce is still unused: Ignition records it as dropped,
 *    but still counts its nonce as used and fails with "The next nonce … should be N+1, but the node reports N"
 *    (HHE10412), on every run.
 * 3. A future that took a nonce (`TRANSACTION_PREPARE_SEND`) but whose sending was never recorded
 *    (`TRANSACTION_SEND`): killed while the node received the transaction, or just before. Every later run
 *    stops with "Transaction lost … use a block explorer to find the hash of the transaction with nonce N"
 *    (HHE10410). If the sender's nonce is still free, nothing reached the node: the future restarts. Otherwise
 *    the transaction with that nonce is looked up on the node (mined: the block where the sender's count passed
 *    the nonce; pending: the pool) and handed to Ignition's `trackTransaction`, as `npx hardhat ignition
 *    track-tx` would: Ignition then waits for it, or re-executes the future if another transaction took the nonce.
 *
 * In cases 1 and 2 (and 3 with a free nonce) nothing of the future reached the chain, so its journal lines are
 * removed and the next run starts it afresh, with the nonce the node hands out (the same one). Anything else (a
 * recorded transaction still in the pool or mined, a recorded one replaced by another with its nonce) is left to
 * Ignition, which waits for it or reports it. Throws when a used nonce's transaction cannot be found (a node without
 * history or pool access): the operator then tracks it by hand, as the message says.
 */
export async function repairInterruptedJournal(
  connection: Pick<NetworkConnection, "provider">,
  deploymentDir: string,
  options: { requiredConfirmations?: number } = {},
): Promise<JournalRepair[]> {
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

  const { provider } = connection;
  const pendingCount = async (account: string) =>
    Number(await provider.request({ method: "eth_getTransactionCount", params: [account, "pending"] }));
  const repairs: JournalRepair[] = [];
  for (const [futureId, future] of futures) {
    const initialized = [...future.types].some((type) => SENDING_INITIALIZE.has(type));
    const complete = [...future.types].some((type) => type.endsWith("_EXECUTION_STATE_COMPLETE"));
    if (!initialized || complete) continue;
    if (!future.types.has("TRANSACTION_PREPARE_SEND")) {
      repairs.push({ futureId, action: "restarted", reason: "an interrupted run left it before it took a nonce" }); // case 1
      continue;
    }
    if (future.nonce === undefined || future.from === undefined) continue;
    if (future.sent.length === 0) {
      // case 3
      if ((await pendingCount(future.from)) <= future.nonce) {
        repairs.push({
          futureId,
          action: "restarted",
          reason: `an interrupted run took nonce ${future.nonce} of ${future.from} for it, but no transaction reached the node`,
        });
        continue;
      }
      const hash = await findTransactionByNonce(connection, future.from, future.nonce);
      if (hash === undefined) {
        throw new Error(
          `${futureId}: an interrupted run sent its transaction (nonce ${future.nonce} of ${future.from}) without recording it, ` +
            "and the node cannot say which transaction that is (no history, no pool). Find its hash with a block explorer, then run " +
            `npx hardhat ignition track-tx <txHash> ${path.basename(deploymentDir)} --network <network>, and deploy again.`,
        );
      }
      repairs.push({
        futureId,
        action: "tracked",
        transaction: hash,
        reason: `an interrupted run sent its transaction (nonce ${future.nonce} of ${future.from}) without recording it; found on the node`,
      });
      continue;
    }
    const known = await Promise.all(
      future.sent.map((hash) => provider.request({ method: "eth_getTransactionByHash", params: [hash] })),
    );
    if (known.some((transaction) => transaction !== null && transaction !== undefined)) continue;
    if ((await pendingCount(future.from)) <= future.nonce) {
      // case 2: dropped, its nonce still free
      repairs.push({ futureId, action: "restarted", reason: "its transaction was dropped by the node while its nonce stayed free" });
    }
  }

  const restarted = new Set(repairs.filter((repair) => repair.action === "restarted").map((repair) => repair.futureId));
  if (restarted.size > 0) {
    const kept = lines.filter((_, index) => !restarted.has(messages[index].futureId ?? ""));
    const temporary = `${file}.repair`;
    writeFileSync(temporary, kept.map((line) => `\n${line}`).join(""));
    renameSync(temporary, file);
  }
  for (const repair of repairs) {
    if (repair.action !== "tracked") continue;
    // Appends the TRANSACTION_SEND the killed run never wrote (or, when another transaction took the nonce, marks
    // the future's interaction replaced, so that the next run executes it again).
    const note = await trackTransaction(deploymentDir, repair.transaction!, provider, options.requiredConfirmations);
    if (typeof note === "string") repair.reason += `; Ignition: ${note.split("\n")[0]}`;
  }
  return repairs;
}

/**
 * The hash of `from`'s transaction with `nonce`, mined or pending; undefined when the node cannot tell. A mined one
 * is in the first block after which `from`'s transaction count exceeds `nonce` (a binary search over historical
 * state, as development nodes and archive nodes keep it; otherwise the latest 256 blocks are scanned).
 */
export async function findTransactionByNonce(
  connection: Pick<NetworkConnection, "provider">,
  from: string,
  nonce: number,
): Promise<string | undefined> {
  const { provider } = connection;
  const request = <T>(method: string, params: unknown[] = []) => provider.request({ method, params }) as Promise<T>;
  const count = async (block: number | string) =>
    Number(await request<string>("eth_getTransactionCount", [from, typeof block === "number" ? toQuantity(block) : block]));
  const matches = (transaction: RpcTransaction) =>
    transaction.from.toLowerCase() === from.toLowerCase() && Number(transaction.nonce) === nonce;
  const inBlock = async (block: number | string) => {
    const found = await request<{ transactions: RpcTransaction[] } | null>("eth_getBlockByNumber", [
      typeof block === "number" ? toQuantity(block) : block,
      true,
    ]);
    return found?.transactions.find(matches)?.hash;
  };

  const latest = Number(await request<string>("eth_blockNumber"));
  if ((await count("latest")) > nonce) {
    let candidates: number[];
    try {
      let low = 0;
      let high = latest;
      while (low < high) {
        const middle = Math.floor((low + high) / 2);
        if ((await count(middle)) > nonce) high = middle;
        else low = middle + 1;
      }
      candidates = [high];
    } catch {
      candidates = Array.from({ length: Math.min(256, latest + 1) }, (_, i) => latest - i);
    }
    for (const block of candidates) {
      const hash = await inBlock(block);
      if (hash !== undefined) return hash;
    }
    return undefined;
  }
  try {
    const hash = await inBlock("pending");
    if (hash !== undefined) return hash;
  } catch {
    // no pending block on this node: ask its pool
  }
  try {
    const pool = await request<{ pending?: Record<string, Record<string, RpcTransaction>> }>("txpool_content");
    for (const [account, byNonce] of Object.entries(pool.pending ?? {})) {
      if (account.toLowerCase() !== from.toLowerCase()) continue;
      const transaction = byNonce[String(nonce)] ?? Object.values(byNonce).find(matches);
      if (transaction !== undefined) return transaction.hash;
    }
  } catch {
    // no pool access
  }
  return undefined;
}

const toQuantity = (value: number) => `0x${value.toString(16)}`;

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

interface RpcTransaction {
  hash: string;
  from: string;
  nonce: string;
}

import { Wallet, id, keccak256, parseEther, type TransactionReceipt } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import { addressBookOf, writeAddressBook } from "../lib/address-book.js";
import { describeRevert } from "../lib/errors.js";
import { provisionSuite } from "../lib/provision.js";
import { deploySuite, isDevelopmentNode, suiteAddress } from "../lib/suite.js";
import { Rng, n, type Account, type Op, type Outcome, type SoakContext, type Workload } from "./context.js";
import { workloads as allWorkloads } from "./index.js";

export interface SoakOptions {
  /** Operations of the workload, over all senders. */
  ops: number;
  /** Concurrent senders, each with its own key and nonce sequence. */
  senders: number;
  /** Seed of the workload's choices. */
  seed: number;
  /**
   * Runs between the workload and the check, for tests of the check itself (a transaction the model does not
   * know of must show as a mismatch).
   */
  beforeCheck?: (context: SoakContext) => Promise<void>;
}

/** Per module: operations sent and how they ended. */
export interface ModuleTally {
  ops: number;
  succeeded: number;
  expectedReverts: number;
  failures: number;
  checked: string;
  mismatches: number;
}

export interface SoakSummary {
  network: string;
  chainId: number;
  ops: number;
  senders: number;
  seed: number;
  /** Transactions of the setup (licences, tokens, funding): not measured. */
  setupTransactions: number;
  seconds: number;
  opsPerSecond: number;
  succeeded: number;
  expectedReverts: number;
  unexpectedFailures: number;
  /** Differences between the final state and the model; nonces and receipts included. */
  mismatches: string[];
  /** One line per unexpected failure (at most 50). */
  failures: string[];
  modules: Record<string, ModuleTally>;
}

/** Gas limit of every workload transaction: fixed, since a sender's next transaction is built before its last is mined. */
const GAS_LIMIT = 1_500_000n;
/** How long a receipt may take (a loaded machine, a node mining on an interval). */
const RECEIPT_TIMEOUT_MS = 120_000;

/**
 * The soak: deploys the suite on `connection` (or finds it: an Ignition deployment resumes and executes nothing),
 * gives `senders` fresh accounts what every module needs, then runs `ops` operations across every module from all
 * senders at once, each sender sending its own nonce sequence, one transaction after the other. Every receipt is
 * checked against what the operation expected (success, or a revert with a named custom error); then the final
 * state is compared with the model each module kept: counts, balances, heads, and every sender's nonce.
 */
export async function runSoak(
  connection: NetworkConnection,
  options: SoakOptions,
  log: (line: string) => void = () => {},
): Promise<SoakSummary> {
  const { ethers } = connection;
  const provider = ethers.provider;
  if (connection.networkConfig.type !== "edr-simulated" && !(await isDevelopmentNode(connection))) {
    throw new Error(`The soak spends test accounts and fills the chain: run it on a development node, not ${connection.networkName}`);
  }
  const chainId = Number((await provider.getNetwork()).chainId);
  const suite = await deploySuite(connection);
  await provisionSuite(connection, suite);
  log(
    suite.executed.length === 0
      ? `suite: already deployed (${suite.deploymentDir ?? "in-process"})`
      : `suite: deployed in ${suite.executed.length} steps`,
  );
  if (suite.deploymentDir !== undefined) writeAddressBook(addressBookOf(suite));

  const [admin] = await ethers.getSigners();
  const latest = (await provider.getBlock("latest"))!;
  const runId = `soak:${chainId}:${latest.number}:${latest.hash}`;
  const nodePrice = BigInt((await provider.send("eth_gasPrice", [])) as string);
  // Legacy transactions at twice the price the node asks now: above its base fee while blocks stay small.
  const gasPrice = nodePrice * 2n;
  const perSender = Math.ceil(options.ops / options.senders);
  const funding = gasPrice === 0n ? 0n : gasPrice * GAS_LIMIT + gasPrice * 400_000n * BigInt(perSender + 100);

  const accounts = new Map<string, Promise<Account>>();
  let adminQueue: Promise<unknown> = Promise.resolve();
  const setup = <T>(task: () => Promise<T>): Promise<T> => {
    const result = adminQueue.then(task);
    adminQueue = result.catch(() => {});
    return result;
  };
  const adminNonceBefore = await provider.getTransactionCount(admin.address);

  const createAccount = async (name: string): Promise<Account> => {
    const wallet = new Wallet(id(`${runId}:${name}`), provider);
    const nonce = await provider.getTransactionCount(wallet.address, "pending");
    if (funding > 0n) {
      const value = funding > parseEther("1") ? funding : parseEther("1");
      await setup(async () => (await admin.sendTransaction({ to: wallet.address, value })).wait());
    }
    return { name, wallet, address: wallet.address, nonce, startNonce: nonce };
  };

  const tally = new Map<string, ModuleTally>();
  const failures: string[] = [];
  const tallyOf = (module: string) => {
    let entry = tally.get(module);
    if (entry === undefined) {
      tally.set(module, (entry = { ops: 0, succeeded: 0, expectedReverts: 0, failures: 0, checked: "", mismatches: 0 }));
    }
    return entry;
  };

  /** Signs `op` with the account's next nonce, sends it, waits for its receipt and classifies the outcome. */
  const send = async (account: Account, op: Op): Promise<Outcome> => {
    const raw = await account.wallet.signTransaction({
      type: 0,
      chainId,
      nonce: account.nonce,
      to: op.to,
      data: op.data,
      gasLimit: GAS_LIMIT,
      gasPrice,
    });
    const hash = keccak256(raw);
    let sendError: unknown;
    try {
      await provider.send("eth_sendRawTransaction", [raw]);
    } catch (error) {
      // Development nodes answer a reverted transaction with an error, yet mine it: the receipt decides.
      sendError = error;
    }
    let receipt: TransactionReceipt | null = null;
    if (sendError === undefined || (await provider.send("eth_getTransactionByHash", [hash])) !== null) {
      receipt = await receiptOf(hash);
    }
    if (receipt === null) {
      const reason = sendError === undefined ? `no receipt after ${RECEIPT_TIMEOUT_MS / 1000} s` : (await describeRevert(sendError)).text;
      return { op, kind: "failed", problem: `${account.name}: ${op.what}: not mined (${reason})` };
    }
    account.nonce += 1;
    if (receipt.status === 1) {
      if (op.expect === undefined) {
        op.apply?.(receipt);
        return { op, kind: "succeeded", receipt };
      }
      return { op, kind: "failed", receipt, problem: `${account.name}: ${op.what}: succeeded, but ${op.expect} was expected` };
    }
    const error = sendError !== undefined && (await describeRevert(sendError)).name !== "unknown" ? sendError : await replay(account, op, receipt);
    const { name, text } = await describeRevert(error);
    if (op.expect !== undefined && name === op.expect) return { op, kind: "reverted", receipt };
    const expected = op.expect === undefined ? "" : `, ${op.expect} expected`;
    return { op, kind: "failed", receipt, problem: `${account.name}: ${op.what}: reverted with ${text}${expected}` };
  };

  const receiptOf = async (hash: string): Promise<TransactionReceipt | null> => {
    const deadline = Date.now() + RECEIPT_TIMEOUT_MS;
    for (;;) {
      const receipt = await provider.getTransactionReceipt(hash);
      if (receipt !== null || Date.now() > deadline) return receipt;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  /** The revert of a mined, failed transaction: the same call on the state before its block. */
  const replay = async (account: Account, op: Op, receipt: TransactionReceipt): Promise<unknown> => {
    try {
      await provider.call({ from: account.address, to: op.to, data: op.data, gasLimit: GAS_LIMIT, blockTag: receipt.blockNumber - 1 });
      return new Error("the call does not revert when replayed");
    } catch (error) {
      return error;
    }
  };

  const senders: Account[] = [];
  for (let i = 0; i < options.senders; i++) senders.push(await createAccount(`sender ${i + 1}`));
  const context: SoakContext = {
    connection,
    suite,
    chainId,
    runId,
    now: latest.timestamp,
    admin,
    senders,
    address: (name) => suiteAddress(suite, name),
    account(name) {
      // The promise is kept, so that an account asked for twice at once is created (and funded) once.
      let account = accounts.get(name);
      if (account === undefined) accounts.set(name, (account = createAccount(name)));
      return account;
    },
    setup,
    async setupOp(account, op) {
      const outcome = await send(account, op);
      if (outcome.kind !== "succeeded") throw new Error(`setup failed: ${outcome.problem ?? op.what}`);
      return outcome.receipt!;
    },
  };

  const modules = allWorkloads();
  log(`setup: ${senders.length} senders, licences and holdings of ${modules.map((w) => w.module).join(", ")}`);
  for (const workload of modules) await workload.setup(context);
  const accountsOfRun = [...senders, ...(await Promise.all(accounts.values()))];
  const setupTransactions =
    (await provider.getTransactionCount(admin.address)) - adminNonceBefore + accountsOfRun.reduce((sum, a) => sum + a.nonce - a.startNonce, 0);
  for (const sender of senders) sender.startNonce = sender.nonce;

  const totalWeight = modules.reduce((sum, w) => sum + w.weight, 0);
  const pick = (rng: Rng): Workload => {
    let at = rng.next() * totalWeight;
    for (const workload of modules) if ((at -= workload.weight) < 0) return workload;
    return modules[modules.length - 1];
  };
  const quotas = senders.map((_, i) => Math.floor(options.ops / senders.length) + (i < options.ops % senders.length ? 1 : 0));
  const fromBlock = await provider.getBlockNumber();
  log(`workload: ${n(options.ops)} operations from ${senders.length} senders (seed ${options.seed}), from block ${fromBlock + 1}`);
  let done = 0;
  let unmined = 0;
  let nextReport = Math.ceil(options.ops / 10);
  const started = performance.now();
  await Promise.all(
    senders.map(async (sender, index) => {
      const rng = new Rng(options.seed * 1_000_003 + index);
      for (let k = 0; k < quotas[index]; k++) {
        const workload = pick(rng);
        const outcome = await send(sender, workload.next(context, sender, rng));
        const entry = tallyOf(outcome.op.module);
        entry.ops += 1;
        if (outcome.receipt === undefined) unmined += 1;
        if (outcome.kind === "succeeded") entry.succeeded += 1;
        else if (outcome.kind === "reverted") entry.expectedReverts += 1;
        else {
          entry.failures += 1;
          if (failures.length < 50) failures.push(outcome.problem!);
        }
        if (++done >= nextReport) {
          nextReport += Math.ceil(options.ops / 10);
          const rate = done / ((performance.now() - started) / 1000);
          log(`  ${n(done)} / ${n(options.ops)} operations, ${rate.toFixed(1)} ops/s`);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;

  await options.beforeCheck?.(context);
  const toBlock = await provider.getBlockNumber();
  log("check: the final state against the model");
  const mismatches: string[] = [];
  for (const sender of senders) {
    const onChain = await provider.getTransactionCount(sender.address, "latest");
    if (onChain !== sender.nonce) mismatches.push(`nonce of ${sender.name}: chain ${onChain}, model ${sender.nonce}`);
  }
  // Nothing lost: every operation has its outcome, and every one that was mined took exactly one nonce.
  const mined = senders.reduce((sum, s) => sum + s.nonce - s.startNonce, 0);
  const counted = [...tally.values()].reduce((sum, t) => sum + t.succeeded + t.expectedReverts + t.failures, 0);
  if (counted !== options.ops) mismatches.push(`operations accounted for: ${counted}, sent ${options.ops}`);
  if (mined !== options.ops - unmined) mismatches.push(`transactions mined: ${mined}, operations mined ${options.ops - unmined}`);
  for (const workload of modules) {
    const verdict = await workload.verify(context, { fromBlock: fromBlock + 1, toBlock });
    const entry = tallyOf(workload.module);
    entry.checked = verdict.checked;
    entry.mismatches = verdict.mismatches.length;
    mismatches.push(...verdict.mismatches.map((m) => `${workload.module}: ${m}`));
  }

  const totals = [...tally.values()];
  return {
    network: connection.networkName,
    chainId,
    ops: options.ops,
    senders: senders.length,
    seed: options.seed,
    setupTransactions,
    seconds,
    opsPerSecond: options.ops / seconds,
    succeeded: totals.reduce((sum, t) => sum + t.succeeded, 0),
    expectedReverts: totals.reduce((sum, t) => sum + t.expectedReverts, 0),
    unexpectedFailures: totals.reduce((sum, t) => sum + t.failures, 0),
    mismatches,
    failures,
    modules: Object.fromEntries(modules.map((w) => [w.module, tallyOf(w.module)])),
  };
}

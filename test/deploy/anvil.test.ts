import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { JsonRpcProvider, getAddress, id as keccakText } from "ethers";
import { FutureType, type IgnitionModule } from "@nomicfoundation/ignition-core";
import Suite from "../../deploy/modules/Suite.js";
import { Topics } from "../../deploy/topics.js";
import { CredentialRegistry__factory, DIDRegistry__factory, TrustDirectory__factory } from "../../typechain-types/index.js";
import {
  ANVIL_ACCOUNTS,
  DEMO,
  DEPLOY,
  executedFutures,
  finished,
  freePort,
  hardhat,
  journalAddresses,
  localhostEnv,
  outputsOf,
  removeOutputs,
  rpc,
  run,
  skipUnderCoverage,
  startAnvil,
  until,
  RpcProxy,
  type NodeProcess,
  type Run,
  type SendFate,
} from "./node.js";

/**
 * The suite on a real node process: anvil from npm (@foundry-rs/anvil, nothing downloaded at test time) on
 * 127.0.0.1 with the rules of a consortium chain that lags mainnet (London: no PUSH0; zero base fee and gas
 * price), driven by the same commands an operator types, run as child processes:
 *   - `npm run deploy -- --network localhost` deploys every module through Ignition, `npm run demo` plays the
 *     whole story against it, and a second deploy executes nothing;
 *   - faults: a deployment killed halfway (SIGKILL) at an exact point (before its transaction reaches the node,
 *     after the node mined it but before the deploy recorded it, with it in the pool recorded or not, then mined
 *     or lost) resumes with the same addresses, each step executed once;
 *   - a node stopped (SIGTERM: anvil dumps its state) and restarted from its state carries on with the suite's
 *     state intact.
 * Each part uses its own chain id (31339 to 31345, reserved for these tests) and removes its journal and
 * address book, and stops its node, whatever happens. The commands run with LOCALHOST_GAS_PRICE=0
 * (hardhat.config.ts), so that scripts send zero-price transactions as on a consortium chain.
 */
const ETHER = 10n ** 18n;
const ZERO_GAS = 0n;

/** Futures of `module` and its submodules that send a transaction (deployments, calls, sends). */
function transactionFutureIds(module: IgnitionModule): string[] {
  const sending = new Set<FutureType>([
    FutureType.NAMED_ARTIFACT_CONTRACT_DEPLOYMENT,
    FutureType.CONTRACT_DEPLOYMENT,
    FutureType.NAMED_ARTIFACT_LIBRARY_DEPLOYMENT,
    FutureType.LIBRARY_DEPLOYMENT,
    FutureType.CONTRACT_CALL,
    FutureType.SEND_DATA,
  ]);
  const ids = [...module.futures].filter((future) => sending.has(future.type)).map((future) => future.id);
  for (const submodule of module.submodules) ids.push(...transactionFutureIds(submodule));
  return [...new Set(ids)].sort();
}

/** The `Provisioned: N transactions` count of a deploy run's output (0 when it provisioned nothing). */
function provisioned(output: string): number {
  return Number(/^Provisioned: (\d+) transactions/m.exec(output)?.[1] ?? 0);
}

/** Transactions in blocks 1..latest. */
async function transactionsOnChain(url: string): Promise<number> {
  const latest = Number(await rpc<string>(url, "eth_blockNumber"));
  let count = 0;
  for (let block = 1; block <= latest; block++) {
    count += Number(await rpc<string>(url, "eth_getBlockTransactionCountByNumber", [`0x${block.toString(16)}`]));
  }
  return count;
}

async function balances(url: string): Promise<bigint[]> {
  const accounts = await rpc<string[]>(url, "eth_accounts");
  return Promise.all(accounts.map(async (account) => BigInt(await rpc<string>(url, "eth_getBalance", [account, "latest"]))));
}

interface Book {
  chainId: number;
  network: string;
  directory: string;
  contracts: Record<string, string>;
}

function readBook(chainId: number): { text: string; book: Book } {
  const text = readFileSync(outputsOf(chainId).addressBook, "utf8");
  return { text, book: JSON.parse(text) as Book };
}

/** A node and the environment of the commands run against it; stopped and cleaned up by `after`. */
function anvilFixture(chainId: number) {
  const fixture: { node?: NodeProcess; env: NodeJS.ProcessEnv; port: number } = { env: {}, port: 0 };
  before(async function () {
    skipUnderCoverage(this);
    removeOutputs(chainId);
    fixture.port = await freePort();
    fixture.env = localhostEnv(fixture.port, ZERO_GAS);
    fixture.node = await startAnvil({ port: fixture.port, chainId });
  });
  after(async function () {
    await fixture.node?.stop();
    removeOutputs(chainId);
  });
  return fixture;
}

describe("the suite on anvil (London rules, zero gas price)", function () {
  this.timeout(240_000);
  const CHAIN_ID = 31339;
  const fixture = anvilFixture(CHAIN_ID);

  it("deploys every module through Ignition, plays the demo, and a second deploy executes nothing", async function () {
    const { url } = fixture.node!;
    // London rules: PUSH0 (shanghai) is an invalid opcode, so the suite's paris bytecode is what deploys here.
    const push0 = await rpc(url, "eth_call", [{ data: "0x5f" }, "latest"]).then(
      () => "accepted",
      (error: Error) => error.message,
    );
    expect(push0).to.match(/opcode|NotActivated/i);
    const fundsBefore = await balances(url);
    expect(fundsBefore).to.have.length(ANVIL_ACCOUNTS);

    let started = Date.now();
    const first = await run(DEPLOY, fixture.env);
    const deploySeconds = (Date.now() - started) / 1000;
    expect(first.code, first.output).to.equal(0);
    const futures = transactionFutureIds(Suite);
    expect(executedFutures(first.output).sort()).to.deep.equal(futures);
    expect(first.output).to.include(`Deployed: ${futures.length} steps executed in blocks 1..`);
    expect(first.output).to.include(`Address book written to ${path.join("addresses", `${CHAIN_ID}.json`)}`);
    const { text: bookText, book } = readBook(CHAIN_ID);
    expect(book.chainId).to.equal(CHAIN_ID);
    expect(book.contracts).to.have.all.keys(...Object.keys(Suite.results));
    for (const address of Object.values(book.contracts)) {
      expect(await rpc<string>(url, "eth_getCode", [address, "latest"]), address).to.not.equal("0x");
    }

    started = Date.now();
    const demo = await run(DEMO, fixture.env);
    const demoSeconds = (Date.now() - started) / 1000;
    expect(demo.code, demo.output).to.equal(0);
    expect(demo.output).to.include(`trustbase demo on localhost (chain ${CHAIN_ID})`);
    expect(demo.output).to.include(`already deployed (${path.join("deploy", "deployments", `chain-${CHAIN_ID}`)})`);
    const end = /^The end: (\d+) chapters?, ([\d,]+) gas in all\.$/m.exec(demo.output);
    expect(end, demo.output).to.not.equal(null);
    // Zero gas price end to end: after the deployment and the whole demo, no account paid for gas.
    expect(await balances(url)).to.deep.equal(fundsBefore);
    expect(fundsBefore.every((balance) => balance === 10_000n * ETHER)).to.equal(true);

    const blockBefore = await rpc<string>(url, "eth_blockNumber");
    const deployed = readFileSync(path.join(outputsOf(CHAIN_ID).journal, "deployed_addresses.json"), "utf8");
    const second = await run(DEPLOY, fixture.env);
    expect(second.code, second.output).to.equal(0);
    expect(executedFutures(second.output)).to.deep.equal([]);
    expect(second.output).to.include(`Nothing new to deploy: ${path.join("deploy", "deployments", `chain-${CHAIN_ID}`)} already holds the whole suite.`);
    expect(second.output).to.include(`Address book ${path.join("addresses", `${CHAIN_ID}.json`)} unchanged.`);
    expect(readFileSync(outputsOf(CHAIN_ID).addressBook, "utf8")).to.equal(bookText);
    expect(readFileSync(path.join(outputsOf(CHAIN_ID).journal, "deployed_addresses.json"), "utf8")).to.equal(deployed);
    expect(await rpc<string>(url, "eth_blockNumber")).to.equal(blockBefore);

    console.log(
      `      anvil: deploy ${deploySeconds.toFixed(1)} s (${futures.length} Ignition futures, ${provisioned(first.output)} provisioning tx), ` +
        `demo ${demoSeconds.toFixed(1)} s (${end![1]} chapters, ${end![2]} gas)`,
    );
  });
});

/** Where the first deploy is killed, and what the chain does before the second run. */
interface Interruption {
  name: string;
  chainId: number;
  /** Whether the node stops mining just before the Nth transaction reaches it (it then waits in the pool). */
  pool: boolean;
  fate: SendFate;
  /** After the kill, a pending transaction is mined or lost (a node restarted without its pool, an eviction). */
  then?: "mined" | "lost";
  /** What the second run does about the future of the Nth transaction. */
  repair: "restarted" | "tracked" | "none";
}

/** The deploy is stopped at its Nth transaction: well inside the suite's 53 Ignition transactions. */
const KILL_AT_TRANSACTION = 20;

/**
 * Each case stops the first deploy at an exact point with an RPC proxy between it and the node (RpcProxy: the
 * deploy's 20th transaction is swallowed, forwarded with its answer withheld, or answered; after it the proxy
 * holds every request, so the deploy does nothing more), then kills its process group (SIGKILL: no chance to tidy
 * up) and runs the deploy again directly against the node.
 */
const interruptions: Interruption[] = [
  { name: "before its transaction reached the node", chainId: 31340, pool: false, fate: "swallow", repair: "restarted" },
  {
    name: "after the node mined its transaction, before the deploy recorded it (HHE10410)",
    chainId: 31341,
    pool: false,
    fate: "withhold",
    repair: "tracked",
  },
  {
    name: "with its unrecorded transaction in the pool, then mined",
    chainId: 31342,
    pool: true,
    fate: "withhold",
    then: "mined",
    repair: "tracked",
  },
  { name: "with its recorded transaction in the pool, then mined", chainId: 31344, pool: true, fate: "answer", then: "mined", repair: "none" },
  { name: "with its recorded transaction in the pool, then lost", chainId: 31345, pool: true, fate: "answer", then: "lost", repair: "restarted" },
];

describe("fault: a deployment interrupted halfway (deploying process killed) and run again", function () {
  this.timeout(180_000);
  for (const interruption of interruptions) {
    describe(`killed ${interruption.name}`, function () {
      const { chainId } = interruption;
      const fixture = anvilFixture(chainId);
      let proxy: RpcProxy | undefined;
      after(async () => proxy?.stop());

      it("completes on the second run: every step once, every contract of the first run at its address", async function () {
        const { url } = fixture.node!;
        const { journal, addressBook } = outputsOf(chainId);
        const journalText = () => (existsSync(path.join(journal, "journal.jsonl")) ? readFileSync(path.join(journal, "journal.jsonl"), "utf8") : "");
        const [deployer] = await rpc<string[]>(url, "eth_accounts");
        const nonceOf = async (tag: string) => Number(await rpc<string>(url, "eth_getTransactionCount", [deployer, tag]));

        proxy = await RpcProxy.start(url, {
          at: KILL_AT_TRANSACTION,
          fate: interruption.fate,
          before: interruption.pool ? async () => void (await rpc(url, "evm_setAutomine", [false])) : undefined,
        });
        const child = hardhat(DEPLOY, localhostEnv(proxy.port, ZERO_GAS));
        const done: Promise<Run> = finished(child);
        const { answer } = await Promise.race([proxy.intercepted, done.then(() => ({ answer: "ended" }))]);
        expect(answer, "the deploy ended before it reached its transaction").to.not.equal("ended");
        if (interruption.fate === "answer") {
          await until("the deploy to record its transaction", () => journalText().includes(`"hash":"${answer}"`), 30_000);
        }
        process.kill(-child.pid!, "SIGKILL");
        const first = await done;
        expect(first.signal).to.equal("SIGKILL");
        await proxy.stop();

        // The state the kill left: the transaction's nonce taken in the journal, the transaction where the fate put it.
        const prepared = journalText().split('"type":"TRANSACTION_PREPARE_SEND"').length - 1;
        const recorded = journalText().split('"type":"TRANSACTION_SEND"').length - 1;
        expect(prepared, "nonces taken in the journal").to.equal(KILL_AT_TRANSACTION);
        expect(recorded, "transactions recorded in the journal").to.equal(interruption.fate === "answer" ? KILL_AT_TRANSACTION : KILL_AT_TRANSACTION - 1);
        expect(await nonceOf("latest"), "transactions mined").to.equal(interruption.pool || interruption.fate === "swallow" ? KILL_AT_TRANSACTION - 1 : KILL_AT_TRANSACTION);
        if (interruption.pool) {
          expect(await nonceOf("pending"), "the transaction waits in the pool").to.equal(KILL_AT_TRANSACTION);
          await rpc(url, interruption.then === "mined" ? "evm_mine" : "anvil_dropAllTransactions");
          await rpc(url, "evm_setAutomine", [true]);
        }
        const before = journalAddresses(chainId);
        const futures = transactionFutureIds(Suite);
        const firstSteps = executedFutures(first.output);
        // Ignition sends a batch's transactions before it confirms any: the steps done are fewer than those sent.
        expect(firstSteps.length).to.be.within(1, KILL_AT_TRANSACTION - 1);
        expect(Object.keys(before).length, "contracts deployed by the first run").to.be.at.least(1);
        expect(existsSync(addressBook), "no address book from the killed run").to.equal(false);

        const second = await run(DEPLOY, fixture.env);
        expect(second.code, second.output).to.equal(0);
        const resuming = [...second.output.matchAll(/^ {2}resuming (\S+): (.*)$/gm)];
        if (interruption.repair === "none") {
          expect(resuming, second.output).to.deep.equal([]);
        } else {
          expect(resuming, second.output).to.have.length(1);
          expect(resuming[0][2]).to.match(
            interruption.repair === "restarted" ? /it starts again$/ : /Ignition follows that transaction instead of sending another$/,
          );
          expect(firstSteps).to.not.include(resuming[0][1]);
        }
        const secondSteps = executedFutures(second.output);
        // Every step ran exactly once over the two runs: none repeated, none missing.
        expect(secondSteps.filter((step) => firstSteps.includes(step))).to.deep.equal([]);
        expect([...firstSteps, ...secondSteps].sort()).to.deep.equal(futures);
        expect(second.output).to.include(`Deployed: ${secondSteps.length} steps executed`);
        // ... and on chain: one transaction per step plus provisioning, so nothing was sent twice.
        expect(await transactionsOnChain(url)).to.equal(futures.length + provisioned(second.output));

        const after = journalAddresses(chainId);
        for (const [future, address] of Object.entries(before)) expect(after[future], future).to.equal(address);
        const { book } = readBook(chainId);
        expect(book.contracts).to.have.all.keys(...Object.keys(Suite.results));
        for (const [name, future] of Object.entries(Suite.results)) {
          // Ignition's deployed_addresses.json can lack a contract the resumed run deployed (seen once under heavy
          // load); the address book, built from Ignition's deployment result, is what operators and dApps read.
          if (future.id in after) expect(book.contracts[name], name).to.equal(after[future.id]);
          if (future.id in before) expect(book.contracts[name], name).to.equal(before[future.id]);
          expect(await rpc<string>(url, "eth_getCode", [book.contracts[name], "latest"]), name).to.not.equal("0x");
        }
        console.log(
          `      killed at transaction ${KILL_AT_TRANSACTION} after ${firstSteps.length} of ${futures.length} steps ` +
            `(${Object.keys(before).length} contracts); the second run executed ${secondSteps.length}` +
            (resuming.length > 0 ? `, ${interruption.repair} ${resuming[0][1]}` : ""),
        );
      });
    });
  }
});

describe("fault: anvil stopped and restarted with its state (--dump-state / --load-state)", function () {
  this.timeout(180_000);
  const CHAIN_ID = 31343;
  let node: NodeProcess | undefined;
  let stateDir: string | undefined;
  let env: NodeJS.ProcessEnv;
  let port: number;

  before(async function () {
    skipUnderCoverage(this);
    removeOutputs(CHAIN_ID);
    stateDir = mkdtempSync(path.join(tmpdir(), "trustbase-anvil-state-"));
    port = await freePort();
    env = localhostEnv(port, ZERO_GAS);
  });

  after(async function () {
    await node?.stop();
    removeOutputs(CHAIN_ID);
    // Under --coverage `before` skips the suite before the directory exists.
    if (stateDir !== undefined) rmSync(stateDir, { recursive: true, force: true });
  });

  it("carries on with the suite's state: nothing to redeploy, records intact, new transactions accepted", async function () {
    const stateFile = path.join(stateDir!, "state.json");
    node = await startAnvil({ port, chainId: CHAIN_ID, extra: ["--dump-state", stateFile] });
    const deploy = await run(DEPLOY, env);
    expect(deploy.code, deploy.output).to.equal(0);
    const { text: bookText, book } = readBook(CHAIN_ID);

    // State the suite holds beyond its deployment: a DID whose owner changed, a credential issued by the
    // issuer the localhost parameters trust for KYC.
    let provider = new JsonRpcProvider(node.url, CHAIN_ID, { staticNetwork: true });
    const accounts = (await provider.send("eth_accounts", [])) as string[];
    const [issuer, identity, newOwner, subject] = [1, 3, 4, 5].map((index) => getAddress(accounts[index]));
    const zero = { gasPrice: ZERO_GAS };
    const credentialId = keccakText("trustbase: KYC credential of the node-restart test");
    const dids = DIDRegistry__factory.connect(book.contracts.didRegistry, await provider.getSigner(identity));
    await (await dids.changeOwner(identity, newOwner, zero)).wait();
    const credentials = CredentialRegistry__factory.connect(book.contracts.credentialRegistry, await provider.getSigner(issuer));
    const now = (await provider.getBlock("latest"))!.timestamp;
    await (await credentials.issue(credentialId, issuer, subject, Topics.KYC, now, now + 365 * 86_400, zero)).wait();
    const directory = TrustDirectory__factory.connect(book.directory, provider);
    const modulesBefore = await directory.modules();
    expect(modulesBefore.names.length).to.be.at.least(1);
    const statusBefore = await credentials.statusOf(credentialId);
    expect(statusBefore.status).to.equal(1n); // Active
    expect(await credentials.hasValid(subject, Topics.KYC)).to.equal(true);
    expect(await dids.identityOwner(identity)).to.equal(newOwner);
    const blockBefore = await provider.getBlockNumber();
    provider.destroy();

    // SIGTERM: anvil writes its state on the way out.
    await node.stop("SIGTERM");
    expect(node.exitCode).to.equal(0);
    expect(statSync(stateFile).size).to.be.greaterThan(0);
    node = await startAnvil({ port, chainId: CHAIN_ID, extra: ["--load-state", stateFile] });
    provider = new JsonRpcProvider(node.url, CHAIN_ID, { staticNetwork: true });
    try {
      // The chain goes on from where it stopped (anvil may seal one or two empty blocks as it loads the state).
      const blockAfterRestart = await provider.getBlockNumber();
      expect(blockAfterRestart).to.be.within(blockBefore, blockBefore + 2);

      const again = await run(DEPLOY, env);
      expect(again.code, again.output).to.equal(0);
      expect(executedFutures(again.output)).to.deep.equal([]);
      expect(again.output).to.include("Nothing new to deploy");
      expect(readFileSync(outputsOf(CHAIN_ID).addressBook, "utf8")).to.equal(bookText);
      expect(await provider.getBlockNumber()).to.equal(blockAfterRestart);
      for (const [name, address] of Object.entries(book.contracts)) expect(await provider.getCode(address), name).to.not.equal("0x");

      const directoryAfter = TrustDirectory__factory.connect(book.directory, provider);
      expect((await directoryAfter.modules()).toString()).to.equal(modulesBefore.toString());
      const didsAfter = DIDRegistry__factory.connect(book.contracts.didRegistry, provider);
      expect(await didsAfter.identityOwner(identity)).to.equal(newOwner);
      const credentialsAfter = CredentialRegistry__factory.connect(book.contracts.credentialRegistry, await provider.getSigner(issuer));
      expect((await credentialsAfter.statusOf(credentialId)).toString()).to.equal(statusBefore.toString());
      expect(await credentialsAfter.hasValid(subject, Topics.KYC)).to.equal(true);

      // The chain carries on: the issuer revokes the credential, and it stops counting at once.
      const receipt = await (await credentialsAfter.revoke(credentialId, zero)).wait();
      expect(receipt?.status).to.equal(1);
      expect(receipt?.blockNumber).to.equal(blockAfterRestart + 1);
      expect((await credentialsAfter.statusOf(credentialId)).status).to.equal(3n); // Revoked
      expect(await credentialsAfter.hasValid(subject, Topics.KYC)).to.equal(false);
    } finally {
      provider.destroy();
    }
  });
});

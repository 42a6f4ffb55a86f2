import {
  BaseWallet,
  ContractTransactionResponse,
  Wallet,
  id,
  parseEther,
  type ContractTransactionReceipt,
  type HDNodeWallet,
  type Provider,
  type TransactionLike,
  type TransactionRequest,
  type TypedDataDomain,
} from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkConnection } from "hardhat/types/network";
import { describeRevert } from "../lib/errors.js";
import { gas, short, table, wrap, type Align } from "../lib/format.js";
import { ChainClock } from "../lib/profile.js";
import { localKeys, signTypedDataFor, type TypedDataTypes } from "../lib/signing.js";
import { suiteAddress, type SuiteDeployment } from "../lib/suite.js";

/** A member of the demo's cast: a named account. */
export interface Actor {
  name: string;
  address: string;
  signer: HardhatEthersSigner | Wallet;
}

/** One module's part of the story: scripts/demo/chapters/<module>.ts, listed in scripts/demo/chapters/index.ts. */
export interface Chapter {
  title: string;
  /** One or two sentences: what this chapter shows. */
  summary: string;
  run(demo: Demo): Promise<void>;
}

/**
 * A key of the demo's own on a chain whose profile fixes the gas price: its transactions are legacy ones at that
 * price, as Hardhat sends the node's accounts' (ethers would otherwise price them from the node's fee data, and a
 * zero-gas-price chain's accounts may hold nothing to pay with).
 */
class FixedPriceWallet extends Wallet {
  constructor(
    key: string,
    provider: Provider,
    private readonly gasPrice: bigint,
  ) {
    super(key, provider);
  }

  override populateTransaction(transaction: TransactionRequest): Promise<TransactionLike<string>> {
    const priced = transaction.gasPrice != null || transaction.maxFeePerGas != null || transaction.maxPriorityFeePerGas != null;
    return super.populateTransaction(priced ? transaction : { ...transaction, type: 0, gasPrice: this.gasPrice });
  }
}

/** Who holds the consortium's keys: the deployer, AccessManager's admin on a local chain. */
export const CONSORTIUM = "Consortium (governance)";

const ACTOR_WIDTH = 24;
const WHAT_WIDTH = 62;
const indent = " ".repeat(2 + ACTOR_WIDTH + 1);

type Transaction = Promise<ContractTransactionResponse>;

/**
 * The demo's stage: the cast, the suite's addresses, the chain's clock and signature scheme (its profile), and
 * printing of steps, refusals and notes (to the console unless `print` says otherwise).
 */
export class Demo {
  readonly #cast = new Map<string, Actor>();
  #chapterGas = 0n;
  #chapterTransactions = 0;
  #keys: Map<string, HDNodeWallet | Wallet> | undefined;
  /** Time as the suite reads it (seconds), whatever unit the chain's blocks count in. */
  readonly clock: ChainClock;

  constructor(
    readonly connection: NetworkConnection,
    readonly suite: SuiteDeployment,
    private readonly signers: HardhatEthersSigner[],
    private readonly print: (line: string) => void = console.log,
  ) {
    this.#cast.set(CONSORTIUM, { name: CONSORTIUM, address: signers[0].address, signer: signers[0] });
    this.clock = new ChainClock(connection, suite.profile);
  }

  /** The latest block's time in seconds, as the suite's contracts read it. */
  now(): Promise<bigint> {
    return this.clock.now();
  }

  /**
   * `who` signs EIP-712 typed data the way the deployment checks signatures (scripts/lib/signing.ts): secp256k1,
   * or on the in-process 国密 stand-in the SM2 format its verifier takes.
   */
  async sign(who: Actor | Wallet | HDNodeWallet, domain: TypedDataDomain, types: TypedDataTypes, value: Record<string, unknown>): Promise<string> {
    const signer = "signer" in who ? who.signer : who;
    let key = signer instanceof BaseWallet ? (signer as Wallet | HDNodeWallet) : undefined;
    if (key === undefined && this.suite.profile.signatureScheme === "sm2") {
      this.#keys ??= await localKeys(this.connection);
      key = this.#keys.get(signer.address.toLowerCase());
    }
    return signTypedDataFor(this.connection, this.suite.profile, signer, key, domain, types, value);
  }

  /**
   * The actor called `name`; a newcomer gets the next unused account of the node and is introduced. When the node
   * has no account left (a consortium endpoint has one key), the newcomer gets a key derived from its name, and the
   * consortium gives it gas money where gas has a price.
   */
  async actor(name: string): Promise<Actor> {
    let actor = this.#cast.get(name);
    if (actor !== undefined) return actor;
    const signer = this.signers[this.#cast.size];
    if (signer !== undefined) {
      actor = { name, address: signer.address, signer };
      this.#cast.set(name, actor);
      this.line(name, `joins the cast as ${short(signer.address)}`);
      return actor;
    }
    const provider = this.connection.ethers.provider;
    const { gasPrice: fixedPrice } = this.suite.profile;
    const wallet =
      fixedPrice === "auto"
        ? new Wallet(id(`trustbase demo actor: ${name}`), provider)
        : new FixedPriceWallet(id(`trustbase demo actor: ${name}`), provider, fixedPrice);
    actor = { name, address: wallet.address, signer: wallet };
    this.#cast.set(name, actor);
    // Gas money where gas has a price and the chain has a coin to pay it with (ChainMaker, FISCO BCOS: none).
    const { gasPrice: profilePrice, nativeCoin } = this.suite.profile;
    const { gasPrice, maxFeePerGas } = profilePrice === "auto" ? await provider.getFeeData() : { gasPrice: profilePrice, maxFeePerGas: null };
    const priced = nativeCoin && (maxFeePerGas ?? gasPrice ?? 0n) > 0n;
    if (priced && (await provider.getBalance(wallet.address)) < parseEther("1")) {
      await (await this.signers[0].sendTransaction({ to: wallet.address, value: parseEther("10") })).wait();
    }
    this.line(name, `joins the cast as ${short(wallet.address)} (a key of its own${priced ? ", 10 ETH for gas" : ""})`);
    return actor;
  }

  /** Everyone who joined the cast so far (the verification site names parties by it). */
  get members(): Actor[] {
    return [...this.#cast.values()];
  }

  /** The cast member holding `address`, or the short address. */
  nameOf(address: string): string {
    for (const actor of this.#cast.values()) if (actor.address.toLowerCase() === address.toLowerCase()) return actor.name;
    return short(address);
  }

  /** The address of a contract the Suite module returns, by result name (`directory`, `accessManager`, ...). */
  address(name: string): string {
    return suiteAddress(this.suite, name);
  }

  /** `actor` does something on chain: prints the step and the gas its transaction used. */
  async step(actor: Actor, what: string, transaction: Transaction): Promise<ContractTransactionReceipt> {
    const receipt = await (await transaction).wait();
    if (receipt === null) throw new Error(`No receipt for: ${what}`);
    this.#chapterGas += receipt.gasUsed;
    this.#chapterTransactions += 1;
    this.line(actor.name, what, `${gas(receipt.gasUsed)} gas`);
    return receipt;
  }

  /**
   * `actor` tries something the contracts must refuse (a transaction, or a view call such as a verification):
   * prints the custom error; fails the demo if it passes.
   */
  async refused(actor: Actor, what: string, attempt: Transaction | Promise<unknown>): Promise<string> {
    try {
      const result = await attempt;
      if (result instanceof ContractTransactionResponse) await result.wait();
    } catch (error) {
      const { name } = await describeRevert(error);
      if (name === "unknown") throw error; // not a revert: a real failure of the demo
      this.line(actor.name, what, `refused: ${name}`);
      return name;
    }
    throw new Error(`Expected a refusal, but it went through: ${actor.name} ${what}`);
  }

  /** Time passes (local chains only): the next block is `seconds` later, in the chain's own unit. */
  async later(seconds: bigint | number, why: string): Promise<void> {
    await this.clock.increase(seconds);
    this.print(`${indent}… ${seconds} s later: ${why}`);
  }

  /** A line of explanation under the steps. */
  note(text: string): void {
    this.print(`${indent}${text}`);
  }

  /** A paragraph heading inside a chapter. */
  section(title: string): void {
    this.print(`\n  ${title}`);
  }

  /** A table of facts read from the chain, under a section heading. */
  table(header: string[], rows: string[][], align?: Align[]): void {
    for (const line of table(header, rows, align)) this.print(`    ${line}`);
  }

  /** Runs the chapters in order, each under a numbered heading with its gas total. */
  async play(chapters: Chapter[]): Promise<void> {
    let totalGas = 0n;
    for (const [index, chapter] of chapters.entries()) {
      const heading = `── ${index + 1}. ${chapter.title} `;
      const width = 2 + ACTOR_WIDTH + 1 + WHAT_WIDTH + 16;
      this.print(`\n${heading.padEnd(width, "─")}`);
      for (const line of wrap(chapter.summary, width - 3)) this.print(`   ${line}`);
      this.print("");
      this.#chapterGas = 0n;
      this.#chapterTransactions = 0;
      await chapter.run(this);
      this.print(`\n${indent}${this.#chapterTransactions} transactions, ${gas(this.#chapterGas)} gas`);
      totalGas += this.#chapterGas;
    }
    const plural = chapters.length === 1 ? "" : "s";
    this.print(`\nThe end: ${chapters.length} chapter${plural}, ${gas(totalGas)} gas in all.`);
  }

  /** A line of the story that is not a transaction (a view call, a check made off chain). */
  line(actor: string, what: string, result = ""): void {
    const text = what.length > WHAT_WIDTH ? what : what.padEnd(WHAT_WIDTH);
    this.print(`  ${actor.padEnd(ACTOR_WIDTH)} ${text} ${result.padStart(result.startsWith("refused") ? 0 : 14)}`.trimEnd());
  }
}

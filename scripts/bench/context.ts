import type { TransactionResponse } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkConnection } from "hardhat/types/network";
import type { SuiteDeployment } from "../lib/suite.js";

/** What a module's bench gets: a freshly deployed suite on the in-process chain and a way to measure. */
export interface BenchContext {
  connection: NetworkConnection;
  suite: SuiteDeployment;
  /** signers[0] deployed the suite: AccessManager admin and holder of every role under hardhat parameters. */
  signers: HardhatEthersSigner[];
  /** The address of a contract the Suite module returns (`directory`, `accessManager`, ...). */
  address(name: string): string;
  /**
   * Records the receipt's gasUsed (21,000 base included) under `id`, `<contract>.<operation>[.<variant>]`,
   * e.g. `directory.register.first`. Ids are unique across the suite; budgets live in bench/budgets.json.
   */
  measure(id: string, transaction: Promise<TransactionResponse>): Promise<bigint>;
  /** Records a figure derived from measurements (for example a difference of two), under `id`. */
  record(id: string, gasUsed: bigint): void;
}

/** One module's user-facing operations: scripts/bench/<module>.ts, listed in scripts/bench/index.ts. */
export interface Bench {
  module: string;
  run(context: BenchContext): Promise<void>;
}

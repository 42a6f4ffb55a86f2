import type { ContractTransactionResponse } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkConnection } from "hardhat/types/network";
import type { SuiteDeployment } from "../lib/suite.js";

/** What a module's provisioning step gets after the Suite is deployed. */
export interface ProvisionContext {
  connection: NetworkConnection;
  suite: SuiteDeployment;
  /** The deployer: AccessManager's admin until the handover. */
  deployer: HardhatEthersSigner;
  /** The module's section of deploy/parameters/<network>.json (`{}` when it has none). */
  parameters: Record<string, unknown>;
  /** The address of a contract the Suite module returns (`directory`, `accessManager`, ...). */
  address(name: string): string;
  /** Sends a transaction, waits for it and logs it. Call it only for state the chain lacks (see Provision). */
  send(description: string, transaction: Promise<ContractTransactionResponse>): Promise<void>;
}

/**
 * Network data a module needs beyond what its Ignition module deploys (for example trusted issuers per topic),
 * read from its parameters section: scripts/provision/<module>.ts, listed in scripts/provision/index.ts.
 * It must compare with the chain and send only what is missing, so that a second `npm run deploy` sends nothing.
 */
export interface Provision {
  module: string;
  run(context: ProvisionContext): Promise<void>;
}

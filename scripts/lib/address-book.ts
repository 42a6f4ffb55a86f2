import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { chainSettingsOf } from "./profile.js";
import type { SuiteDeployment } from "./suite.js";

/**
 * A chain's address book, addresses/<chainId>.json: what a dApp or the SDK needs to find the suite.
 * `contracts` maps each result name of the Suite module to its address, `artifacts` to its contract
 * (typed binding `<artifact>__factory`), `directory` is the TrustDirectory that lists every module.
 * `chain` says how to talk to the deployment: its profile, the unit of `block.timestamp` (deadlines and
 * validity windows are always seconds), the signature scheme and the SM2 verifier the contracts call.
 */
export interface AddressBook {
  chainId: number;
  network: string;
  chain: {
    profile: string;
    timeUnit: "seconds" | "milliseconds";
    signatureScheme: "secp256k1" | "sm2";
    sm2Verifier: string;
  };
  directory: string;
  contracts: Record<string, string>;
  artifacts: Record<string, string>;
}

export function addressBookOf(deployment: SuiteDeployment): AddressBook {
  const names = Object.keys(deployment.contracts).sort();
  const directory = deployment.contracts.directory;
  if (directory === undefined) throw new Error("The Suite module returns no `directory`");
  return {
    chainId: deployment.chainId,
    network: deployment.networkName,
    chain: {
      profile: deployment.profile.name,
      timeUnit: deployment.profile.timeUnit,
      signatureScheme: deployment.profile.signatureScheme,
      sm2Verifier: chainSettingsOf(deployment.profile).sm2Verifier,
    },
    directory: directory.address,
    contracts: Object.fromEntries(names.map((name) => [name, deployment.contracts[name].address])),
    artifacts: Object.fromEntries(names.map((name) => [name, deployment.contracts[name].contract])),
  };
}

export function addressBookFile(chainId: number): string {
  return path.join(hre.config.paths.root, "addresses", `${chainId}.json`);
}

/** Writes the address book unless the file already says the same; returns what happened and where. */
export function writeAddressBook(book: AddressBook): { file: string; status: "written" | "unchanged" } {
  const file = addressBookFile(book.chainId);
  const text = `${JSON.stringify(book, null, 2)}\n`;
  const relativeFile = path.relative(hre.config.paths.root, file);
  if (existsSync(file) && readFileSync(file, "utf8") === text) return { file: relativeFile, status: "unchanged" };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return { file: relativeFile, status: "written" };
}

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import hre from "hardhat";
import type { AddressBook } from "../../sdk/addresses.js";
import { chainSettingsOf } from "./profile.js";
import type { SuiteDeployment } from "./suite.js";

/** A chain's address book, addresses/<chainId>.json (its shape lives in the SDK, which the package ships). */
export type { AddressBook };

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

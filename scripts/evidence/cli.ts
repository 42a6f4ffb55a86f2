import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getAddress, isHexString } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import { EvidenceVault__factory } from "../../typechain-types/index.js";
import { buildBundle, verifyBundle, type EvidenceBundle } from "../../sdk/evidence.js";
import { batchProof, batchTree } from "../../sdk/merkle.js";
import { addressBookFile } from "../lib/address-book.js";

export const USAGE = `usage:
  npm run evidence -- bundle <documentHash> [--batch <items.json>] [--checkpoint <n>] [--out <file>] [--vault <address>] [--network <name>]
  npm run evidence -- verify <bundle.json> [--vault <address>] [--network <name>]

bundle   writes the proof bundle of an anchored document: anchor (block, transaction, time), submitter DID,
         case, witnesses and finality, custody log, disputes, versions, and the proof of the anchor against the
         first checkpoint covering it. For a document anchored in a batch, --batch names a JSON list of the batch's
         document hashes (the submitter keeps it); the bundle then carries the document's Merkle proof.
verify   checks every part of a bundle against the node and prints one verdict line per part; exit code 1 when
         any field does not match the chain, naming the field.
The vault's address comes from --vault or the chain's address book (addresses/<chainId>.json, npm run deploy).`;

/** Output of the CLI: one line at a time (console.log by default; the demo indents it). */
export type Print = (line: string) => void;

interface Options {
  positional: string[];
  flags: Map<string, string>;
}

function parse(argv: string[]): Options {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith("--")) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new Error(`${arg} needs a value`);
      flags.set(arg.slice(2), value);
      i++;
    } else {
      positional.push(arg);
    }
  }
  return { positional, flags };
}

async function vaultOf(connection: NetworkConnection, flags: Map<string, string>) {
  const { ethers } = connection;
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  let address = flags.get("vault");
  if (address === undefined) {
    const book = addressBookFile(chainId);
    if (!existsSync(book)) throw new Error(`No --vault and no address book for chain ${chainId} (run npm run deploy -- --network <name>)`);
    address = (JSON.parse(readFileSync(book, "utf8")) as { contracts: Record<string, string> }).contracts.evidenceVault;
    if (address === undefined) throw new Error(`The address book of chain ${chainId} lists no evidenceVault`);
  }
  if ((await ethers.provider.getCode(address)) === "0x") {
    throw new Error(
      `No contract at ${address} on ${connection.networkName}` +
        (connection.networkConfig.type === "edr-simulated"
          ? ": the in-process chain starts empty in every process; run against a node (--network localhost), or call the CLI in-process as the demo does"
          : ""),
    );
  }
  const [runner] = await ethers.getSigners();
  return EvidenceVault__factory.connect(getAddress(address), runner ?? ethers.provider);
}

/**
 * Runs `npm run evidence -- <args>` against `connection` and returns the exit code. The demo and the tests call it
 * in-process; scripts/evidence.ts calls it with a connection to `--network`.
 */
export async function runEvidenceCli(argv: string[], connection: NetworkConnection, print: Print = console.log): Promise<number> {
  const { positional, flags } = parse(argv);
  const [command, target] = positional;
  if (command === "bundle" && target !== undefined) {
    if (!isHexString(target, 32)) throw new Error(`${target} is not a 32-byte document hash`);
    const vault = await vaultOf(connection, flags);
    let batch: { root: string; proof: string[] } | undefined;
    const itemsFile = flags.get("batch");
    if (itemsFile !== undefined) {
      const parsed = JSON.parse(readFileSync(itemsFile, "utf8")) as string[] | { items: string[] };
      const tree = batchTree(Array.isArray(parsed) ? parsed : parsed.items);
      batch = { root: tree.root, proof: batchProof(tree, target) };
    }
    const checkpoint = flags.has("checkpoint") ? Number(flags.get("checkpoint")) : undefined;
    const bundle = await buildBundle(vault, target, { batch, checkpoint });
    const out = flags.get("out") ?? `evidence-${target.slice(2, 14)}.json`;
    writeFileSync(out, `${JSON.stringify(bundle, null, 2)}\n`);
    print(`bundle of ${target} written to ${path.isAbsolute(out) ? path.basename(out) : out}`);
    print(`  anchored ${new Date(bundle.anchor.time * 1000).toISOString()} in block ${bundle.anchor.blockNumber} by ${bundle.anchor.submitterDid}`);
    print(`  ${bundle.witnesses.cosigners.length} co-signature(s), ${bundle.witnesses.final ? "final" : "not final"}; ${bundle.custody.entries.length} custody entries; ${bundle.disputes.length} dispute(s)`);
    print(bundle.checkpoint === null ? "  no checkpoint covers it yet" : `  proved against checkpoint ${bundle.checkpoint.sequence} (${bundle.checkpoint.following.length} later entries)`);
    return 0;
  }
  if (command === "verify" && target !== undefined) {
    const vault = await vaultOf(connection, flags);
    const bundle = JSON.parse(readFileSync(target, "utf8")) as EvidenceBundle;
    const verdicts = await verifyBundle(vault, bundle);
    for (const verdict of verdicts) {
      print(`  ${verdict.ok ? "ok  " : "FAIL"} ${verdict.part.padEnd(10)} ${verdict.ok ? verdict.summary : verdict.problems[0]}`);
      for (const problem of verdict.problems.slice(1)) print(`       ${"".padEnd(10)} ${problem}`);
    }
    const failed = verdicts.filter((v) => !v.ok);
    print(
      failed.length === 0
        ? `VERIFIED: every part of ${path.basename(target)} matches chain ${bundle.chainId}`
        : `REFUSED: ${failed.map((v) => v.part).join(", ")} do not match the chain`,
    );
    return failed.length === 0 ? 0 : 1;
  }
  print(USAGE);
  return 2;
}

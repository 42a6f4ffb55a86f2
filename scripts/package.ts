/**
 * Builds the npm package for dApp teams (package/package.json: @trustbase/contracts) from the build's outputs:
 * the SDK (sdk/) and the typed bindings (typechain-types/, test doubles left out) compiled to ESM JavaScript with
 * declarations, every contract's ABI (one JSON file each, and a module of `as const` ABIs), and the address books
 * of addresses/ merged into one module keyed by chain id.
 *
 *   npm run package                              builds build/package/ (after `hardhat build`)
 *   npm run package -- --pack .                  and packs it: ./trustbase-contracts-<version>.tgz
 *   npx tsx scripts/package.ts --out DIR --addresses DIR --pack DEST
 *
 * `--addresses DIR` takes every address book in DIR; by default the books of addresses/ that git tracks or would
 * track, so a developer's local deployments (chain 31337, the tests' chains: ignored in .gitignore) stay out of a
 * published package. The build fails if a shipped module imports anything but ethers, @openzeppelin/merkle-tree
 * and its own files (Hardhat must not be needed at run time), or if the SDK uses Node-only globals (it compiles
 * against the ES and DOM libraries only, so that a browser bundle can take it).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { getAddress } from "ethers";
import type { AddressBook } from "../sdk/addresses.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values: options } = parseArgs({
  options: {
    out: { type: "string", default: path.join(root, "build", "package") },
    addresses: { type: "string" },
    pack: { type: "string" },
  },
});
const out = path.resolve(options.out!);

/** What the shipped JavaScript may import, besides its own files. */
const RUNTIME_DEPENDENCIES = ["ethers", "@openzeppelin/merkle-tree"];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

for (const needed of ["artifacts/contracts", "typechain-types/index.ts"]) {
  if (!existsSync(path.join(root, needed))) throw new Error(`${needed} is missing: run \`npx hardhat build\` first (npm run package does)`);
}

// ───────────────────────────── stage: the sources the package compiles ─────────────────────────────

mkdirSync(path.join(root, "build"), { recursive: true });
// Inside the repository, so that the compiler finds ethers and the merkle-tree library in its node_modules.
const stage = mkdtempSync(path.join(root, "build", ".stage-"));
try {
  cpSync(path.join(root, "sdk"), path.join(stage, "sdk"), { recursive: true, filter: (source) => !source.endsWith(".test.ts") });

  // Typed bindings without the test doubles (contracts/mocks) and without Hardhat's type extensions.
  const bindings = path.join(stage, "typechain-types");
  cpSync(path.join(root, "typechain-types"), bindings, { recursive: true });
  rmSync(path.join(bindings, "hardhat.d.ts"), { force: true });
  rmSync(path.join(bindings, "contracts", "mocks"), { recursive: true, force: true });
  rmSync(path.join(bindings, "factories", "contracts", "mocks"), { recursive: true, force: true });
  for (const file of files(bindings).filter((f) => path.basename(f) === "index.ts")) {
    const lines = readFileSync(file, "utf8").split("\n");
    writeFileSync(file, lines.filter((line) => !/\bmocks\b/.test(line)).join("\n"));
  }

  // ABIs: every contract of contracts/ (test doubles aside) and the OpenZeppelin ones the suite deploys.
  const abis = new Map<string, unknown[]>();
  for (const file of files(path.join(root, "artifacts")).sort()) {
    const relative = path.relative(path.join(root, "artifacts"), file);
    if (!relative.endsWith(".json") || relative.endsWith(".dbg.json") || relative.startsWith("build-info")) continue;
    if (!relative.startsWith(`contracts${path.sep}`) && !relative.startsWith(`@openzeppelin${path.sep}`)) continue;
    if (relative.startsWith(path.join("contracts", "mocks"))) continue;
    const artifact = JSON.parse(readFileSync(file, "utf8")) as { contractName?: string; abi?: unknown[] };
    if (artifact.contractName === undefined || artifact.abi === undefined || artifact.abi.length === 0) continue;
    if (abis.has(artifact.contractName)) throw new Error(`Two artifacts are named ${artifact.contractName}: ABI file names would clash`);
    abis.set(artifact.contractName, artifact.abi);
  }
  const abiModule = [
    "/** Every contract's ABI, `as const` so that viem, wagmi or abitype infer argument and result types from it. */",
    ...[...abis].map(([name, abi]) => `export const ${name}Abi = ${JSON.stringify(abi)} as const;`),
    "",
  ].join("\n");
  writeFileSync(path.join(stage, "abis.ts"), abiModule);

  // Address books, merged by chain id.
  const books = addressBooks(options.addresses);
  writeFileSync(
    path.join(stage, "addresses.ts"),
    [
      'import { addressBookIn, addressIn, type AddressBook } from "./sdk/addresses.js";',
      "",
      "/** The suite's address book of each chain it was deployed to when this package was built, by chain id. */",
      `export const addressBooks: Readonly<Record<string, AddressBook>> = ${JSON.stringify(Object.fromEntries(books.map((b) => [b.chainId, b])), null, 2)};`,
      "",
      "/** The chains this package knows. */",
      `export const chainIds: readonly number[] = ${JSON.stringify(books.map((b) => b.chainId))};`,
      "",
      "/** The address book of `chainId`; throws naming the chains this package knows. */",
      "export function addressBook(chainId: bigint | number): AddressBook {",
      "  return addressBookIn(addressBooks, chainId);",
      "}",
      "",
      "/** The address of contract `name` (`directory`, `didRegistry`, …) on `chainId`. */",
      "export function addressOf(chainId: bigint | number, name: string): string {",
      "  return addressIn(addressBook(chainId), name);",
      "}",
      "",
    ].join("\n"),
  );

  writeFileSync(
    path.join(stage, "index.ts"),
    [
      "/** Everything in one import: the SDK, the typed bindings and the address books (ABIs: `@trustbase/contracts/abis`). */",
      'export * from "./sdk/index.js";',
      'export * from "./typechain-types/index.js";',
      'export * from "./addresses.js";',
      "",
    ].join("\n"),
  );

  writeFileSync(path.join(stage, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(
    path.join(stage, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          target: "es2022",
          module: "node16",
          moduleResolution: "node16",
          // ES and DOM only, no @types/node: a Node-only global in the SDK fails the build.
          lib: ["es2023", "dom"],
          types: [],
          strict: true,
          skipLibCheck: true,
          declaration: true,
          rootDir: ".",
          outDir: path.join(out, "dist"),
        },
        include: ["**/*.ts"],
      },
      null,
      2,
    ),
  );

  // ───────────────────────────── compile and assemble ─────────────────────────────

  rmSync(out, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", stage], { stdio: "inherit" });
  if (tsc.status !== 0) throw new Error(`tsc failed (exit ${tsc.status})`);

  mkdirSync(path.join(out, "dist", "abi"), { recursive: true });
  for (const [name, abi] of abis) writeFileSync(path.join(out, "dist", "abi", `${name}.json`), `${JSON.stringify(abi, null, 2)}\n`);
  cpSync(path.join(root, "package", "package.json"), path.join(out, "package.json"));
  cpSync(path.join(root, "package", "README.md"), path.join(out, "README.md"));

  // Nothing at run time but ethers, the merkle-tree library and the package's own files.
  for (const file of files(path.join(out, "dist")).filter((f) => f.endsWith(".js"))) {
    const text = readFileSync(file, "utf8");
    for (const [, specifier] of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)) {
      if (specifier === undefined || specifier.startsWith(".")) continue;
      if (!RUNTIME_DEPENDENCIES.some((dependency) => specifier === dependency || specifier.startsWith(`${dependency}/`))) {
        throw new Error(`${path.relative(out, file)} imports ${specifier}, which the package does not depend on`);
      }
    }
  }

  const version = (JSON.parse(readFileSync(path.join(out, "package.json"), "utf8")) as { version: string }).version;
  console.log(`Package built in ${path.relative(process.cwd(), out) || "."}: version ${version}, ${abis.size} ABIs, address books of ${books.length === 0 ? "no chain" : `chains ${books.map((b) => b.chainId).join(", ")}`}`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}

if (options.pack !== undefined) {
  const destination = path.resolve(options.pack);
  mkdirSync(destination, { recursive: true });
  const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", destination], { cwd: out, encoding: "utf8" })) as {
    filename: string;
    size: number;
    entryCount: number;
  }[];
  console.log(`Packed ${path.join(path.relative(process.cwd(), destination) || ".", packed[0].filename)}: ${packed[0].size} bytes, ${packed[0].entryCount} files`);
}

/** The address books to ship, checked: the file name is the chain id, and every address is one. */
function addressBooks(dir: string | undefined): AddressBook[] {
  const source = path.resolve(dir ?? path.join(root, "addresses"));
  if (!existsSync(source)) return [];
  let names = readdirSync(source).filter((name) => /^\d+\.json$/.test(name));
  if (dir === undefined) names = names.filter((name) => !gitIgnores(path.join(source, name)));
  return names
    .map((name) => {
      const book = JSON.parse(readFileSync(path.join(source, name), "utf8")) as AddressBook;
      if (`${book.chainId}.json` !== name) throw new Error(`${name} holds the address book of chain ${book.chainId}`);
      getAddress(book.directory);
      for (const address of Object.values(book.contracts)) getAddress(address);
      return book;
    })
    .sort((a, b) => a.chainId - b.chainId);
}

function gitIgnores(file: string): boolean {
  // `git check-ignore` exits 0 for an ignored path, 1 for a tracked or trackable one, 128 outside a repository.
  return spawnSync("git", ["check-ignore", "-q", file], { cwd: root }).status === 0;
}

import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { JsonRpcProvider, encodeBytes32String, id } from "ethers";
import { didOf } from "../../sdk/did.js";
import { traceIdOf } from "../../sdk/gs1.js";
import { batchTree } from "../../sdk/merkle.js";
import { SIGNED_OPERATIONS } from "../../sdk/signatures.js";
import { readTrace } from "../../sdk/trace.js";
import { DIDRegistry__factory, TraceRegistry__factory } from "../../typechain-types/index.js";
import {
  DEMO,
  DEPLOY,
  finished,
  freePort,
  localhostEnv,
  outputsOf,
  removeOutputs,
  root,
  run,
  skipUnderCoverage,
  startHardhatNode,
  type NodeProcess,
  type Run,
} from "../deploy/node.js";

/**
 * The npm package as a dApp team gets it: scripts/package.ts builds it and `npm pack` packs it; a fresh TypeScript
 * project (ESM, strict, library checks on) installs the tarball with npm (its dependencies from the registry,
 * through the npm cache), type-checks and compiles package/example/main.ts, and runs it against a hardhat node on which the
 * suite was deployed (`npm run deploy`) and the demo played (so that there are traces, bills and custody logs to
 * read). The node has chain id 31344, reserved for this test; its address book goes into the package.
 */
const CHAIN_ID = 31344;
const { addressBook } = outputsOf(CHAIN_ID);

/** The parent `npm test` sets npm_config_* (its prefix among them): the project's npm must not inherit them. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== "INIT_CWD"));
}

async function command(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv()): Promise<Run> {
  return finished(spawn(file, args, { cwd, env, stdio: "pipe" }));
}

describe("the npm package (packed, installed in a fresh TypeScript project, run against a node)", function () {
  this.timeout(600_000);
  let node: NodeProcess | undefined;
  let work: string;

  before(async function () {
    skipUnderCoverage(this);
    removeOutputs(CHAIN_ID);
    work = mkdtempSync(path.join(os.tmpdir(), "trustbase-package-"));
    const port = await freePort();
    node = await startHardhatNode(port, CHAIN_ID);
  });

  after(async function () {
    await node?.stop();
    removeOutputs(CHAIN_ID);
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it("packs, installs, type-checks and runs a program that uses every part of it", async function () {
    const env = localhostEnv(node!.port);
    const deployed = await run(DEPLOY, env);
    expect(deployed.code, deployed.output).to.equal(0);
    const demo = await run(DEMO, env);
    expect(demo.code, demo.output).to.equal(0);

    // Build and pack, with this chain's address book.
    const books = path.join(work, "books");
    mkdirSync(books);
    copyFileSync(addressBook, path.join(books, `${CHAIN_ID}.json`));
    const built = await command(
      process.execPath,
      ["--import", "tsx", "scripts/package.ts", "--out", path.join(work, "package"), "--addresses", books, "--pack", work],
      root,
    );
    expect(built.code, built.output).to.equal(0);
    const { name, version, dependencies, peerDependencies } = JSON.parse(readFileSync(path.join(root, "package", "package.json"), "utf8"));
    const tarball = path.join(work, `${name.replace("@", "").replace("/", "-")}-${version}.tgz`);
    expect(built.output).to.include(`address books of chains ${CHAIN_ID}`);
    const entries = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n");
    for (const file of ["package/package.json", "package/README.md", "package/dist/index.js", "package/dist/index.d.ts", "package/dist/sdk/index.js", "package/dist/typechain-types/index.js", "package/dist/abis.js", "package/dist/addresses.js", "package/dist/abi/DIDRegistry.json"]) {
      expect(entries, file).to.include(file);
    }
    expect(entries.filter((entry) => /mocks|Mock|hardhat\.d\.ts|\.ts$/.test(entry) && !entry.endsWith(".d.ts"))).to.deep.equal([]);
    expect(Object.keys(dependencies)).to.deep.equal(["@openzeppelin/merkle-tree"]);
    expect(Object.keys(peerDependencies)).to.deep.equal(["ethers"]);

    // A fresh project: ESM, strict, declaration files checked too.
    const app = path.join(work, "app");
    mkdirSync(path.join(app, "src"), { recursive: true });
    writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "trustbase-consumer", private: true, type: "module" }));
    writeFileSync(
      path.join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "es2022",
          module: "nodenext",
          moduleResolution: "nodenext",
          strict: true,
          skipLibCheck: false,
          noEmitOnError: true,
          types: ["node"],
          rootDir: "src",
          outDir: "dist",
        },
        include: ["src"],
      }),
    );
    copyFileSync(path.join(root, "package", "example", "main.ts"), path.join(app, "src", "main.ts"));
    const devVersions = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).devDependencies;
    const installed = await command(
      "npm",
      ["install", tarball, `typescript@${devVersions.typescript}`, `@types/node@${devVersions["@types/node"]}`, "--prefer-offline", "--no-audit", "--no-fund"],
      app,
    );
    expect(installed.code, installed.output).to.equal(0);
    // ethers came as the peer dependency; nothing of Hardhat came at all.
    expect(existsSync(path.join(app, "node_modules", "ethers", "package.json"))).to.equal(true);
    expect(existsSync(path.join(app, "node_modules", "hardhat"))).to.equal(false);

    const compiled = await command(process.execPath, [path.join(app, "node_modules", "typescript", "bin", "tsc"), "-p", app], app);
    expect(compiled.code, compiled.output).to.equal(0);
    const ran = await command(process.execPath, [path.join(app, "dist", "main.js")], app, { ...cleanEnv(), TRUSTBASE_RPC: node!.url });
    expect(ran.code, ran.output).to.equal(0);
    const out = JSON.parse(ran.output.trim().split("\n").at(-1)!);

    // What the program found, checked against the repository's own reading of the node.
    const book = JSON.parse(readFileSync(addressBook, "utf8"));
    const provider = new JsonRpcProvider(node!.url, undefined, { staticNetwork: true });
    try {
      expect(out.chainIds).to.deep.equal([CHAIN_ID]);
      expect(out.chainId).to.equal(CHAIN_ID);
      expect(out.directory).to.equal(book.directory);

      expect(out.did).to.equal(didOf(CHAIN_ID, out.identity));
      expect(out.parsed).to.deep.equal({ chainId: CHAIN_ID, address: out.identity });
      const registry = DIDRegistry__factory.connect(book.contracts.didRegistry, provider);
      expect(await registry.validDelegate(out.identity, encodeBytes32String("veriKey"), out.delegate)).to.equal(true);
      expect(out.validDelegate).to.equal(true);
      expect(out.verificationMethods).to.deep.equal([`eip155:${CHAIN_ID}:${out.identity}`, `eip155:${CHAIN_ID}:${out.delegate}`]);
      expect(out.assertionMethod).to.deep.equal([`${out.did}#controller`, `${out.did}#delegate-1`]);

      const link = "https://id.gs1.org/01/09506000134352/10/PADDY-2024-A";
      expect(out.traceId).to.equal(traceIdOf(link));
      expect(out.spelledTraceId).to.equal(out.traceId);
      expect(out.canonicalLink).to.equal(link);
      const trace = await readTrace(TraceRegistry__factory.connect(book.contracts.traceRegistry, provider), out.traceId);
      expect(trace.events.length).to.be.greaterThan(0);
      expect(out.trace).to.deep.equal({ events: trace.events.length, valid: true, head: trace.head });

      expect(out.bill.verified).to.equal(true);
      expect(out.bill.actions[0]).to.equal("ISSUE");
      expect(out.bill.actions.length).to.be.greaterThan(1);
      expect(out.bill.dcsa).to.equal("ISSUE");
      expect(out.custody.entries).to.be.greaterThan(0);
      expect(out.custody.problems).to.deep.equal([]);

      const items = ["a", "b", "c"].map((item) => id(`document ${item}`));
      expect(out.merkle).to.deep.equal({ root: batchTree(items).root, proofLength: 2, verified: true, forged: false });
      expect(out.abi).to.deep.equal({ entries: DIDRegistry__factory.abi.length, jsonEntries: DIDRegistry__factory.abi.length, factoryFromSubpath: true });
      expect(out.signedOperations).to.equal(SIGNED_OPERATIONS.length);
    } finally {
      provider.destroy();
    }
  });
});

/**
 * Coverage gate: `npm run coverage` runs `hardhat test --coverage`, then this script (`tsx scripts/coverage-gate.ts`).
 *
 * It reads what that run left in coverage/ for every file under contracts/ except contracts/mocks/, prints one row
 * per file (lines %, branches %, the branches never taken) and the totals, and exits 1 when
 *   - lines overall are below 95 %, or
 *   - branches overall are below 90 %, or
 *   - any single file's lines are below 90 %;
 * and exits 2 when the report is missing or does not belong to the current sources.
 *
 * Lines are Hardhat's own figures (coverage/lcov.info). Branches are not in Hardhat's report (EDR measures statements
 * only), so they are computed here from the raw hits Hardhat keeps (coverage/data/<runner>/*.json: statement tag →
 * hit count) and the statement tags EDR gives each source (the same `addStatementCoverageInstrumentation` call, with
 * the same source name, that Hardhat's build makes): every `if` has two arms,
 *   - the true arm is taken when the statement opening its body ran (EDR tags a body on entry);
 *   - the false arm is taken when the statement opening the `else` body ran; without `else`, when the next statement of
 *     the same block ran after a body that always leaves (`revert`, `return`, `break`, `continue`), or otherwise when
 *     the `if` ran in more transactions than its body.
 * EDR counts a statement once per call, so the last rule misses a false arm taken only in calls that also took the
 * true arm (an `if` ending a loop body): such an arm counts as not taken; an arm counted as taken was taken.
 * `?:`, `&&` and `||` leave no statement behind, so they are not counted.
 */
import { createRequire } from "node:module";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { addStatementCoverageInstrumentation, latestSupportedSolidityVersion } from "@nomicfoundation/edr";

const THRESHOLDS = { totalLines: 95, totalBranches: 90, fileLines: 90 };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const coverageDir = path.join(root, "coverage");
const require = createRequire(import.meta.url);

interface AstNode {
  nodeType: string;
  src: string;
  [key: string]: unknown;
}

interface Branch {
  line: number;
  arm: "true" | "false";
  taken: boolean;
}

interface FileReport {
  file: string;
  linesFound: number;
  linesHit: number;
  branches: Branch[];
  statements: number;
  statementsHit: number;
}

function fail(message: string, code = 2): never {
  console.error(`coverage gate: ${message}`);
  process.exit(code);
}

/** Every .sol file under contracts/, mocks excluded, relative to the project. */
function contractFiles(directory = path.join(root, "contracts")): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    const relative = path.relative(root, full).split(path.sep).join("/");
    if (entry.isDirectory()) {
      if (relative !== "contracts/mocks") files.push(...contractFiles(full));
    } else if (entry.name.endsWith(".sol")) {
      files.push(relative);
    }
  }
  return files.sort();
}

/** lcov.info records by source file: lines found and hit. */
function readLcov(): Map<string, { found: number; hit: number }> {
  const file = path.join(coverageDir, "lcov.info");
  if (!existsSync(file)) fail("coverage/lcov.info not found: run `npx hardhat test --coverage` first");
  const records = new Map<string, { found: number; hit: number }>();
  let current: string | undefined;
  let found = 0;
  let hit = 0;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.startsWith("SF:")) {
      current = line.slice(3).split(path.sep).join("/");
      found = hit = 0;
    } else if (line.startsWith("DA:")) {
      found++;
      if (Number(line.split(",")[1]) > 0) hit++;
    } else if (line === "end_of_record" && current !== undefined) {
      records.set(current, { found, hit });
      current = undefined;
    }
  }
  return records;
}

/** Hit counts by statement tag, summed over every runner (mocha, solidity) of the last coverage run. */
function readHits(): Map<string, number> {
  const dataDir = path.join(coverageDir, "data");
  if (!existsSync(dataDir)) fail("coverage/data not found: run `npx hardhat test --coverage` first");
  const hits = new Map<string, number>();
  for (const runner of readdirSync(dataDir)) {
    const runnerDir = path.join(dataDir, runner);
    if (!statSync(runnerDir).isDirectory()) continue;
    for (const name of readdirSync(runnerDir).filter((entry) => entry.endsWith(".json"))) {
      const counts = JSON.parse(readFileSync(path.join(runnerDir, name), "utf8")) as Record<string, number>;
      for (const [tag, count] of Object.entries(counts)) hits.set(tag, (hits.get(tag) ?? 0) + count);
    }
  }
  return hits;
}

/** Parse trees of `files` (solc-js from the `solc` package, the compiler hardhat.config.ts builds with). */
function parse(files: string[]): { version: string; asts: Map<string, AstNode> } {
  const solc = require("solc") as { compile(input: string): string; version(): string };
  const input = {
    language: "Solidity",
    sources: Object.fromEntries(files.map((file) => [file, { content: readFileSync(path.join(root, file), "utf8") }])),
    settings: { stopAfter: "parsing", outputSelection: { "*": { "": ["ast"] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    sources?: Record<string, { ast: AstNode }>;
  };
  const errors = (output.errors ?? []).filter((error) => error.severity === "error");
  if (errors.length > 0) fail(`cannot parse the sources:\n${errors.map((error) => error.formattedMessage).join("\n")}`);
  const asts = new Map(Object.entries(output.sources ?? {}).map(([file, { ast }]) => [file, ast]));
  return { version: solc.version().split("+")[0], asts };
}

/** The smaller of the compiler's version and the newest EDR instruments, as Hardhat's coverage build picks it. */
function instrumentationVersion(compilerVersion: string): string {
  const latest = latestSupportedSolidityVersion();
  const parts = (version: string) => version.split(".").map(Number);
  const [a, b] = [parts(compilerVersion), parts(latest)];
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? compilerVersion : latest;
  return compilerVersion;
}

function children(node: AstNode): AstNode[] {
  const found: AstNode[] = [];
  for (const value of Object.values(node)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === "object" && item !== null && typeof (item as AstNode).nodeType === "string") {
        found.push(item as AstNode);
      }
    }
  }
  return found;
}

/** Whether control never falls through `statement` (its last statement reverts, returns, breaks or continues). */
function alwaysLeaves(statement: AstNode | undefined): boolean {
  if (statement === undefined) return false;
  switch (statement.nodeType) {
    case "Return":
    case "RevertStatement":
    case "Break":
    case "Continue":
      return true;
    case "Block":
    case "UncheckedBlock": {
      const statements = statement.statements as AstNode[];
      return alwaysLeaves(statements[statements.length - 1]);
    }
    case "IfStatement":
      return alwaysLeaves(statement.trueBody as AstNode) && alwaysLeaves(statement.falseBody as AstNode | undefined);
    case "ExpressionStatement": {
      const expression = statement.expression as AstNode;
      const callee = expression.nodeType === "FunctionCall" ? (expression.expression as AstNode) : undefined;
      return callee?.nodeType === "Identifier" && callee.name === "revert";
    }
    default:
      return false;
  }
}

/** Offset of the first token in source[start, end): EDR's statement spans begin with the blanks and comments before it. */
function firstToken(source: string, start: number, end: number): number {
  let offset = start;
  while (offset < end) {
    if (/\s/.test(source[offset])) offset++;
    else if (source.startsWith("//", offset)) offset = source.indexOf("\n", offset) + 1 || end;
    else if (source.startsWith("/*", offset)) offset = source.indexOf("*/", offset + 2) + 2 || end;
    else break;
  }
  return offset;
}

function measure(file: string, ast: AstNode, version: string, hits: Map<string, number>): Omit<FileReport, "linesFound" | "linesHit"> {
  const source = readFileSync(path.join(root, file), "utf8");
  // Hardhat instruments project files under the source name `project/<path>`; the tags depend on it.
  const { metadata } = addStatementCoverageInstrumentation(source, `project/${file}`, version);

  // solc's `src` counts UTF-8 bytes, EDR's offsets UTF-16 code units.
  const utf16OfByte: number[] = [];
  let unit = 0;
  for (const character of source) {
    const bytes = Buffer.byteLength(character, "utf8");
    for (let i = 0; i < bytes; i++) utf16OfByte.push(unit);
    unit += character.length;
  }
  utf16OfByte.push(unit);
  const lineOf = (offset16: number) => source.slice(0, offset16).split("\n").length;

  // A statement's tag, by the offset of its first token.
  const tagAt = new Map<number, string>();
  let statements = 0;
  let statementsHit = 0;
  for (const entry of metadata) {
    if (entry.kind !== "statement") continue;
    const tag = Buffer.from(entry.tag).toString("hex");
    tagAt.set(firstToken(source, entry.startUtf16, entry.endUtf16), tag);
    statements++;
    if ((hits.get(tag) ?? 0) > 0) statementsHit++;
  }
  const startOf = (node: AstNode) => utf16OfByte[Number(node.src.split(":")[0])];
  /** Transactions that ran `node` (EDR counts a statement once per call), or undefined if EDR does not tag it. */
  const countOf = (node: AstNode): number | undefined => {
    const tag = tagAt.get(startOf(node));
    return tag === undefined ? undefined : (hits.get(tag) ?? 0);
  };

  const branches: Branch[] = [];
  const visit = (node: AstNode, next: AstNode | undefined) => {
    if (node.nodeType === "Block" || node.nodeType === "UncheckedBlock") {
      const list = node.statements as AstNode[];
      list.forEach((statement, i) => visit(statement, list[i + 1]));
      return;
    }
    if (node.nodeType === "IfStatement") {
      const line = lineOf(startOf(node));
      const trueBody = node.trueBody as AstNode;
      const falseBody = node.falseBody as AstNode | null | undefined;
      const trueCount = countOf(trueBody);
      let falseCount: number | undefined;
      if (falseBody) falseCount = countOf(falseBody);
      else if (next !== undefined && alwaysLeaves(trueBody) && countOf(next) !== undefined) falseCount = countOf(next);
      else if (trueCount !== undefined && countOf(node) !== undefined) falseCount = countOf(node)! - trueCount;
      if (trueCount === undefined || falseCount === undefined) {
        console.warn(`coverage gate: ${file}:${line}: EDR left no statement to measure this if by; not counted`);
      } else {
        branches.push({ line, arm: "true", taken: trueCount > 0 }, { line, arm: "false", taken: falseCount > 0 });
      }
      visit(trueBody, undefined);
      if (falseBody) visit(falseBody, undefined);
      return;
    }
    for (const child of children(node)) visit(child, undefined);
  };
  visit(ast, undefined);
  return { file, branches, statements, statementsHit };
}

const percent = (hit: number, found: number) => (found === 0 ? 100 : (100 * hit) / found);
const shown = (hit: number, found: number) =>
  found === 0 ? "-" : `${percent(hit, found).toFixed(2)} % (${hit}/${found})`;

function main() {
  const files = contractFiles();
  const lcov = readLcov();
  const hits = readHits();
  const { version, asts } = parse(files);
  const instrumented = instrumentationVersion(version);

  const reports: FileReport[] = [];
  for (const file of files) {
    const measured = measure(file, asts.get(file)!, instrumented, hits);
    const lines = lcov.get(file);
    if (lines === undefined && measured.statements > 0) {
      fail(`${file} has ${measured.statements} statements but no record in coverage/lcov.info: stale report?`);
    }
    if (lines !== undefined && lines.hit > 0 && measured.statementsHit === 0) {
      fail(`coverage/data does not match ${file} as it is now (changed since the coverage run?): run it again`);
    }
    reports.push({ ...measured, linesFound: lines?.found ?? 0, linesHit: lines?.hit ?? 0 });
  }

  const rows = reports.map((report) => {
    const taken = report.branches.filter((branch) => branch.taken).length;
    const missed = report.branches.filter((branch) => !branch.taken).map((branch) => `${branch.line}:${branch.arm}`);
    return [report.file, shown(report.linesHit, report.linesFound), shown(taken, report.branches.length), missed.join(" ") || "-"];
  });
  const sum = (pick: (report: FileReport) => number) => reports.reduce((total, report) => total + pick(report), 0);
  const linesFound = sum((report) => report.linesFound);
  const linesHit = sum((report) => report.linesHit);
  const branchesFound = sum((report) => report.branches.length);
  const branchesHit = sum((report) => report.branches.filter((branch) => branch.taken).length);
  rows.push(["total", shown(linesHit, linesFound), shown(branchesHit, branchesFound), ""]);

  const header = ["file (contracts/, mocks excluded)", "lines", "branches (if arms)", "branches not taken (line:arm)"];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const format = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
  console.log();
  console.log(format(header));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  rows.slice(0, -1).forEach((row) => console.log(format(row)));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  console.log(format(rows[rows.length - 1]));
  console.log();

  const failures: string[] = [];
  const totalLines = percent(linesHit, linesFound);
  const totalBranches = percent(branchesHit, branchesFound);
  if (totalLines < THRESHOLDS.totalLines) {
    failures.push(`lines overall ${totalLines.toFixed(2)} % < ${THRESHOLDS.totalLines} %`);
  }
  if (totalBranches < THRESHOLDS.totalBranches) {
    failures.push(`branches overall ${totalBranches.toFixed(2)} % < ${THRESHOLDS.totalBranches} %`);
  }
  for (const report of reports) {
    const lines = percent(report.linesHit, report.linesFound);
    if (lines < THRESHOLDS.fileLines) {
      failures.push(`${report.file}: lines ${lines.toFixed(2)} % < ${THRESHOLDS.fileLines} %`);
    }
  }
  const limits = `lines >= ${THRESHOLDS.totalLines} % overall and >= ${THRESHOLDS.fileLines} % per file, branches >= ${THRESHOLDS.totalBranches} % overall`;
  if (failures.length > 0) {
    console.error(`coverage gate FAILED (${limits}):`);
    for (const failure of failures) console.error(`  - ${failure}`);
    process.exit(1);
  }
  console.log(`coverage gate passed (${limits})`);
}

main();

/**
 * Which external functions of a contract ask the AccessManager before doing anything, read from the compiler's AST
 * (the build info of the contract's artifact), not from a hand-written list: a function is AccessManager-guarded
 * when it, one of its modifiers, or an internal function it calls (virtual calls resolved in the contract's
 * inheritance order) can revert with `AccessManagedUnauthorized` — OpenZeppelin's `restricted` (through
 * `_checkCanCall`), `upgradeToAndCall` (through a `restricted` `_authorizeUpgrade`) and `setAuthority` all are.
 */
import { readFile } from "node:fs/promises";
import hre from "hardhat";

interface Node {
  id: number;
  nodeType: string;
  [key: string]: unknown;
}

const outputs = new Map<string, Promise<Map<number, Node>>>();

/** Every AST node of a build, by id. */
async function nodesOf(buildInfoId: string): Promise<Map<number, Node>> {
  let nodes = outputs.get(buildInfoId);
  if (nodes === undefined) {
    nodes = (async () => {
      const file = await hre.artifacts.getBuildInfoOutputPath(buildInfoId);
      if (file === undefined) throw new Error(`no build info output for ${buildInfoId}: run the build first`);
      const { output } = JSON.parse(await readFile(file, "utf8")) as { output: { sources: Record<string, { ast: Node }> } };
      const byId = new Map<number, Node>();
      const index = (value: unknown) => {
        if (Array.isArray(value)) return value.forEach(index);
        if (typeof value !== "object" || value === null) return;
        const node = value as Node;
        if (typeof node.nodeType === "string" && typeof node.id === "number") byId.set(node.id, node);
        Object.values(node).forEach(index);
      };
      for (const { ast } of Object.values(output.sources)) index(ast);
      return byId;
    })();
    outputs.set(buildInfoId, nodes);
  }
  return nodes;
}

function walk(value: unknown, visit: (node: Node) => void) {
  if (Array.isArray(value)) return value.forEach((item) => walk(item, visit));
  if (typeof value !== "object" || value === null) return;
  const node = value as Node;
  if (typeof node.nodeType === "string") visit(node);
  Object.values(node).forEach((child) => walk(child, visit));
}

/**
 * 4-byte selectors (0x-prefixed) of the external/public functions of `contractName` (an artifact name or fully
 * qualified name) that are AccessManager-guarded.
 */
export async function accessManagerGuarded(contractName: string): Promise<Set<string>> {
  const artifact = await hre.artifacts.readArtifact(contractName);
  if (artifact.buildInfoId === undefined) throw new Error(`${contractName}: artifact without build info`);
  const nodes = await nodesOf(artifact.buildInfoId);
  const contract = [...nodes.values()].find(
    (node) =>
      node.nodeType === "ContractDefinition" &&
      node.name === artifact.contractName &&
      [...nodes.values()].some(
        (unit) =>
          unit.nodeType === "SourceUnit" &&
          unit.absolutePath === artifact.inputSourceName &&
          (unit.nodes as Node[]).includes(node),
      ),
  );
  if (contract === undefined) throw new Error(`${contractName}: contract not found in its build info`);
  const bases = (contract.linearizedBaseContracts as number[]).map((id) => nodes.get(id)!);
  const functionsOf = (base: Node) =>
    (base.nodes as Node[]).filter((node) => node.nodeType === "FunctionDefinition" && node.implemented === true);

  /** The implementation a call to `declaration` reaches in this contract (most derived override first). */
  const resolve = (declaration: Node): Node | undefined => {
    if (declaration.implemented === true && declaration.virtual !== true) return declaration;
    const arity = ((declaration.parameters as { parameters: unknown[] }).parameters ?? []).length;
    for (const base of bases) {
      const found = functionsOf(base).find(
        (fn) => fn.name === declaration.name && (fn.parameters as { parameters: unknown[] }).parameters.length === arity,
      );
      if (found !== undefined) return found;
    }
    return declaration.implemented === true ? declaration : undefined;
  };

  const verdicts = new Map<number, boolean>();
  const guarded = (fn: Node): boolean => {
    const known = verdicts.get(fn.id);
    if (known !== undefined) return known;
    verdicts.set(fn.id, false); // recursion guard
    let found = false;
    const scan = (body: unknown) =>
      walk(body, (node) => {
        if (found) return;
        if (node.nodeType === "RevertStatement") {
          const errorCall = node.errorCall as { expression: { name?: string } };
          if (errorCall.expression.name === "AccessManagedUnauthorized") found = true;
        } else if (node.nodeType === "FunctionCall") {
          const callee = node.expression as Node;
          const declaration =
            callee.nodeType === "Identifier" ? nodes.get(callee.referencedDeclaration as number) : undefined;
          if (declaration?.nodeType === "FunctionDefinition") {
            const target = resolve(declaration);
            if (target !== undefined && guarded(target)) found = true;
          } else if (callee.nodeType === "MemberAccess" && (callee.expression as Node).name === "super") {
            // `super.f(...)` reaches exactly the base function solc names (UpgradeableModule._checkCanCall's
            // fallback to OpenZeppelin's check).
            const target = nodes.get(callee.referencedDeclaration as number);
            if (target?.nodeType === "FunctionDefinition" && guarded(target)) found = true;
          }
        }
      });
    for (const invocation of (fn.modifiers as Node[] | undefined) ?? []) {
      const name = invocation.modifierName as { referencedDeclaration: number };
      const modifier = nodes.get(name.referencedDeclaration);
      if (modifier?.nodeType === "ModifierDefinition") scan(modifier.body);
    }
    scan(fn.body);
    verdicts.set(fn.id, found);
    return found;
  };

  const selectors = new Set<string>();
  const seen = new Set<string>();
  for (const base of bases) {
    for (const fn of functionsOf(base)) {
      const selector = fn.functionSelector as string | undefined;
      if (selector === undefined || seen.has(selector)) continue; // an override in a more derived contract wins
      seen.add(selector);
      if (guarded(fn)) selectors.add(`0x${selector}`);
    }
  }
  return selectors;
}

import hre from "hardhat";
import { Interface, type ErrorFragment } from "ethers";

let decoder: Interface | undefined;

/** One interface holding every custom error of every artifact (suite contracts and OpenZeppelin's). */
async function errorDecoder(): Promise<Interface> {
  if (decoder === undefined) {
    const errors = new Map<string, ErrorFragment>();
    for (const name of await hre.artifacts.getAllFullyQualifiedNames()) {
      const { abi } = await hre.artifacts.readArtifact(name);
      for (const fragment of new Interface(abi).fragments) {
        if (fragment.type === "error") errors.set(fragment.format("sighash"), fragment as ErrorFragment);
      }
    }
    decoder = new Interface([...errors.values()]);
  }
  return decoder;
}

/** The revert data carried by an error from ethers or the provider, wherever it is nested. */
export function revertData(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof error !== "object" || error === null) return undefined;
  const { data } = error as { data?: unknown };
  if (typeof data === "string" && /^0x([0-9a-f]{2})+$/i.test(data)) return data;
  for (const key of ["data", "error", "info", "cause", "revert"]) {
    const found = revertData((error as Record<string, unknown>)[key], depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A revert as `ErrorName(arg, ...)`, decoded with every ABI of the project; the raw message when undecodable. */
export async function describeRevert(error: unknown): Promise<{ name: string; text: string }> {
  const data = revertData(error);
  if (data !== undefined) {
    const parsed = (await errorDecoder()).parseError(data);
    if (parsed !== null) return { name: parsed.name, text: `${parsed.name}(${parsed.args.map(String).join(", ")})` };
    if (data.startsWith("0x08c379a0")) {
      const [reason] = Interface.from(["error Error(string)"]).decodeErrorResult("Error", data);
      return { name: "Error", text: `Error("${reason}")` };
    }
  }
  const text = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return { name: "unknown", text };
}

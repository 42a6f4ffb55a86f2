/**
 * The frame of the operational commands that take arguments (`npm run handover|roles|upgrade|evidence -- …`): they run under
 * tsx, not `hardhat run` (which refuses arguments of its own), so each takes `--network <name>` out of its
 * arguments, opens that connection itself (default: the in-process chain) and exits with the command's code.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

/** Output of a command, one line at a time. */
export type Print = (line: string) => void;

export type Command = (argv: string[], connection: NetworkConnection, print: Print) => Promise<number>;

/** Runs `command` with the process's arguments and sets the exit code (1 on an error, printed as `<name>: …`). */
export async function runCommand(name: string, command: Command): Promise<void> {
  const argv = process.argv.slice(2);
  const at = argv.indexOf("--network");
  const networkName = at >= 0 ? argv[at + 1] : undefined;
  if (at >= 0) argv.splice(at, 2);
  try {
    const connection = await network.create(networkName);
    process.exitCode = await command(argv, connection, (line) => console.log(line));
  } catch (error) {
    console.error(`${name}: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

/** node:util's parseArgs, strict, with the usage text in its error. */
export function parse<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${usage}`);
  }
}

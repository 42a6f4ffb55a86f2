/**
 * Checks a deployment against its chain and its profile, from the chain's address book (addresses/<chainId>.json):
 *   npm run check:deployment -- --network localhost
 * - every contract of the book has code;
 * - the TrustDirectory the book names lists modules at addresses of the book;
 * - the book's chain settings are the network's profile's, and every contract that reads time or checks
 *   signatures was deployed with them (`timestampInMilliseconds()`, `sm2Verifier()`);
 * - the chain's signature primitive works: `ecrecover` recovers a test signature, or the SM2 verifier answers.
 * One line per check; exits 1 when one fails. Roles are `npm run roles`' business.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import hre, { network } from "hardhat";
import { AbiCoder, Interface, Wallet, dataSlice, decodeBytes32String, getAddress, id } from "ethers";
import { TrustDirectory__factory } from "../typechain-types/index.js";
import { addressBookFile, type AddressBook } from "./lib/address-book.js";
import { chainSettingsOf, checkChain, describeProfile, profileFor } from "./lib/profile.js";

const connection = await network.create();
const { provider } = connection.ethers;
const chainId = Number((await provider.getNetwork()).chainId);
const profile = profileFor(connection);
const file = addressBookFile(chainId);
if (!existsSync(file)) throw new Error(`No address book for chain ${chainId}: run npm run deploy -- --network ${connection.networkName}`);
const book = JSON.parse(readFileSync(file, "utf8")) as AddressBook;
console.log(`Deployment on ${connection.networkName} (chain ${chainId}), address book ${path.relative(hre.config.paths.root, file)}`);
console.log(`  ${describeProfile(profile)}\n`);

let failures = 0;
const verdict = (ok: boolean, what: string) => {
  if (!ok) failures += 1;
  console.log(`  ${ok ? "ok  " : "FAIL"}  ${what}`);
};

const entries = Object.entries(book.contracts);
const missing = [];
for (const [name, address] of entries) if ((await provider.getCode(address)) === "0x") missing.push(`${name} (${address})`);
verdict(missing.length === 0, missing.length === 0 ? `code at all ${entries.length} addresses of the book` : `no code at ${missing.join(", ")}`);

const known = new Set(entries.map(([, address]) => getAddress(address)));
const [names, modules] = await TrustDirectory__factory.connect(book.directory, provider).modules();
const strays = names.filter((_, index) => !known.has(getAddress(modules[index].module))).map(decodeBytes32String);
verdict(
  names.length > 0 && strays.length === 0,
  strays.length === 0
    ? `TrustDirectory ${book.directory} lists ${names.length} modules, all at addresses of the book`
    : `TrustDirectory lists modules outside the book: ${strays.join(", ")}`,
);

const settings = chainSettingsOf(profile);
verdict(
  book.chain?.profile === profile.name && book.chain.timeUnit === profile.timeUnit && book.chain.signatureScheme === profile.signatureScheme,
  `address book says profile ${book.chain?.profile}, ${book.chain?.timeUnit}, ${book.chain?.signatureScheme}`,
);
const views = new Interface(["function timestampInMilliseconds() view returns (bool)", "function sm2Verifier() view returns (address)"]);
const read = async (address: string, fn: "timestampInMilliseconds" | "sm2Verifier") => {
  try {
    return views.decodeFunctionResult(fn, await provider.call({ to: address, data: views.encodeFunctionData(fn) }))[0] as boolean | string;
  } catch {
    return undefined; // the contract has no such view
  }
};
// Counted by contract (a proxy and its implementation are one contract).
const clocks = new Set<string>();
const verifiers = new Set<string>();
const wrong = [];
for (const [name, address] of entries) {
  const milliseconds = await read(address, "timestampInMilliseconds");
  if (milliseconds !== undefined) {
    clocks.add(book.artifacts[name]);
    if (milliseconds !== settings.millisecondTimestamps) wrong.push(`${name} reads time in ${milliseconds ? "milliseconds" : "seconds"}`);
  }
  const verifier = await read(address, "sm2Verifier");
  if (verifier !== undefined) {
    verifiers.add(book.artifacts[name]);
    if (getAddress(verifier as string) !== getAddress(settings.sm2Verifier)) wrong.push(`${name} checks signatures with ${verifier}`);
  }
}
verdict(
  wrong.length === 0 && clocks.size > 0,
  wrong.length === 0
    ? `${clocks.size} contracts read time in ${profile.timeUnit}, ${verifiers.size} check signatures with ${profile.signatureScheme === "sm2" ? `SM2 (${settings.sm2Verifier})` : "secp256k1"}`
    : wrong.join("; "),
);

// The chain's own signature primitive answers: ecrecover (0x01) recovers a known signer, or the SM2 verifier answers.
if (profile.signatureScheme === "secp256k1") {
  const key = new Wallet(id("trustbase check-deployment probe"));
  const digest = id("trustbase: does ecrecover work here?");
  const { v, r, s } = key.signingKey.sign(digest);
  const input = AbiCoder.defaultAbiCoder().encode(["bytes32", "uint8", "bytes32", "bytes32"], [digest, v, r, s]);
  const answer = await provider.call({ to: "0x0000000000000000000000000000000000000001", data: input }).catch(() => "0x");
  const recovered = answer.length === 66 ? getAddress(dataSlice(answer, 12)) : undefined;
  verdict(recovered === key.address, `ecrecover (0x01) ${recovered === key.address ? "recovers a test signature's signer" : `answered ${answer}`}`);
} else {
  const warnings = (await checkChain(connection, profile)).warnings;
  verdict(warnings.length === 0, warnings.length === 0 ? `the SM2 verifier at ${settings.sm2Verifier} answers sm2Verify` : warnings.join("; "));
}

console.log(failures === 0 ? "\nThe deployment matches its profile." : `\n${failures} check(s) failed.`);
if (failures > 0) process.exitCode = 1;

import { getAddress } from "ethers";

/**
 * A chain's address book, as `npm run deploy` writes it to addresses/<chainId>.json: what a dApp needs to find the
 * suite. `contracts` maps each result name of the Suite module to its address, `artifacts` to its contract (typed
 * binding `<artifact>__factory`), `directory` is the TrustDirectory that lists every module. `chain` says how to
 * talk to the deployment: its profile, the unit of `block.timestamp`, the signature scheme and the SM2 verifier
 * the contracts call.
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

/** The address book of `chainId` among `books` (keyed by chain id); throws naming the chains it knows. */
export function addressBookIn(books: Readonly<Record<string, AddressBook>>, chainId: bigint | number): AddressBook {
  const book = books[String(chainId)];
  if (book === undefined) {
    const known = Object.keys(books);
    throw new Error(`No trustbase address book for chain ${chainId} (known: ${known.length === 0 ? "none" : known.join(", ")})`);
  }
  return book;
}

/** The address of `name` (a Suite result name: `didRegistry`, `directory`, …) in `book`. */
export function addressIn(book: AddressBook, name: string): string {
  const address = book.contracts[name];
  if (address === undefined) throw new Error(`Chain ${book.chainId} has no contract "${name}" (it has ${Object.keys(book.contracts).join(", ")})`);
  return getAddress(address);
}

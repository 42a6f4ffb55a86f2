import {
  Contract,
  ZeroAddress,
  decodeBytes32String,
  encodeBase58,
  encodeBase64,
  getAddress,
  toBeHex,
  toUtf8String,
  zeroPadValue,
  type Provider,
} from "ethers";

/** `did:ethr:<chainId as hex>:<address>`, the did:ethr method's form for a chain named by id. */
export function didOf(chainId: bigint | number, address: string): string {
  return `did:ethr:${toBeHex(BigInt(chainId))}:${getAddress(address)}`;
}

/** The chain id and address of a did:ethr DID (`did:ethr:<address>` names mainnet, chain 1). */
export function parseDid(did: string): { chainId: bigint; address: string } {
  const parts = did.split(":");
  if (parts[0] !== "did" || parts[1] !== "ethr" || parts.length < 3 || parts.length > 4) {
    throw new Error(`Not a did:ethr DID: ${did}`);
  }
  const address = getAddress(parts[parts.length - 1]);
  return { chainId: parts.length === 4 ? BigInt(parts[2]) : 1n, address };
}

// ───────────────────────────── reading the registry ─────────────────────────────

/**
 * The part of DIDRegistry (ERC-1056) a resolver reads: the owner view, the block of the last change, the clock,
 * and the three ERC-1056 events, each carrying the block of the identity's change before it (`previousChange`).
 */
const REGISTRY_ABI = [
  "function identityOwner(address identity) view returns (address)",
  "function changed(address identity) view returns (uint256)",
  "function clock() view returns (uint48)",
  "function timestampInMilliseconds() view returns (bool)",
  "event DIDOwnerChanged(address indexed identity, address owner, uint256 previousChange)",
  "event DIDDelegateChanged(address indexed identity, bytes32 delegateType, address delegate, uint256 validTo, uint256 previousChange)",
  "event DIDAttributeChanged(address indexed identity, bytes32 name, bytes value, uint256 validTo, uint256 previousChange)",
];

/** Where a change was recorded. */
interface At {
  blockNumber: number;
  logIndex: number;
  transactionHash: string;
}

/** One ERC-1056 event of an identity. */
export type DidChange = At &
  (
    | { kind: "owner"; owner: string }
    | { kind: "delegate"; delegateType: string; delegate: string; validTo: bigint }
    | { kind: "attribute"; name: string; value: string; validTo: bigint }
  );

export interface DidDelegate {
  /** The delegate type as text when it is a short string (`veriKey`, `sigAuth`), else its bytes32 hex. */
  delegateType: string;
  delegate: string;
  /** Seconds; the delegate is valid while the registry's clock is below it. */
  validTo: bigint;
}

export interface DidAttribute {
  /** The attribute name as text (`did/pub/Secp256k1/veriKey/hex`, `did/svc/MessagingService`), else its bytes32 hex. */
  name: string;
  /** The value, hex. */
  value: string;
  validTo: bigint;
}

/** An identity as the registry holds it now: owner, and the delegates and attributes still valid. */
export interface IdentityState {
  identity: string;
  did: string;
  /** The current owner (ZeroAddress once deactivated). */
  owner: string;
  deactivated: boolean;
  delegates: DidDelegate[];
  attributes: DidAttribute[];
  /** Every ERC-1056 event of the identity, in chain order. */
  history: DidChange[];
  /** Block of the last change (0: never changed). */
  changedBlock: number;
  /** The registry's clock (seconds) the validity was judged at. */
  now: bigint;
}

function registryAt(provider: Provider, registry: string): Contract {
  return new Contract(registry, REGISTRY_ABI, provider);
}

/** bytes32 as text when it holds a short string, else as hex. */
function bytes32Text(value: string): string {
  try {
    const text = decodeBytes32String(value);
    if (/^[\x20-\x7e]+$/.test(text)) return text;
  } catch {
    // not a string
  }
  return value;
}

/**
 * Every ERC-1056 event of `identity`, in chain order, found the way did:ethr resolvers find them: from the block of
 * the last change (`changed(identity)`) back along each event's `previousChange`, reading one block at a time.
 */
export async function readDidHistory(provider: Provider, registry: string, identity: string): Promise<DidChange[]> {
  const contract = registryAt(provider, registry);
  const topic = zeroPadValue(getAddress(identity), 32);
  const history: DidChange[] = [];
  let block = Number(await contract.changed(identity));
  while (block > 0) {
    const logs = await provider.getLogs({ address: registry, topics: [null, topic], fromBlock: block, toBlock: block });
    const changes: (DidChange & { previous: number })[] = [];
    for (const log of logs) {
      const parsed = contract.interface.parseLog(log);
      if (parsed === null) continue;
      const at = { blockNumber: log.blockNumber, logIndex: log.index, transactionHash: log.transactionHash };
      const previous = Number(parsed.args.previousChange);
      if (parsed.name === "DIDOwnerChanged") changes.push({ ...at, previous, kind: "owner", owner: getAddress(parsed.args.owner) });
      if (parsed.name === "DIDDelegateChanged") {
        const { delegateType, delegate, validTo } = parsed.args;
        changes.push({ ...at, previous, kind: "delegate", delegateType: bytes32Text(delegateType), delegate: getAddress(delegate), validTo });
      }
      if (parsed.name === "DIDAttributeChanged") {
        const { name, value, validTo } = parsed.args;
        changes.push({ ...at, previous, kind: "attribute", name: bytes32Text(name), value, validTo });
      }
    }
    if (changes.length === 0) throw new Error(`readDidHistory: block ${block} holds no change of ${identity}: is ${registry} the registry?`);
    changes.sort((a, b) => a.logIndex - b.logIndex);
    history.unshift(...changes.map(({ previous: _, ...change }) => change));
    // Several changes in one block point back to that block, except the first: it names the block before.
    const earlier = changes.map((change) => change.previous).filter((previous) => previous < block);
    block = earlier.length === 0 ? 0 : Math.max(...earlier);
  }
  return history;
}

/**
 * The identity's current owner (from `identityOwner`) and the delegates and attributes valid at the registry's
 * clock, rebuilt from its events: the latest event of each (type, delegate) and (name, value) pair wins, as in
 * did:ethr resolvers, and counts while its `validTo` is above the clock (the contract's own rule).
 */
export async function readIdentity(provider: Provider, registry: string, identity: string): Promise<IdentityState> {
  const contract = registryAt(provider, registry);
  const address = getAddress(identity);
  const [owner, now, changed, history, network] = await Promise.all([
    contract.identityOwner(address) as Promise<string>,
    contract.clock() as Promise<bigint>,
    contract.changed(address) as Promise<bigint>,
    readDidHistory(provider, registry, address),
    provider.getNetwork(),
  ]);
  const delegates = new Map<string, DidDelegate>();
  const attributes = new Map<string, DidAttribute>();
  for (const change of history) {
    if (change.kind === "delegate") {
      delegates.set(`${change.delegateType}|${change.delegate}`, {
        delegateType: change.delegateType,
        delegate: change.delegate,
        validTo: change.validTo,
      });
    } else if (change.kind === "attribute") {
      attributes.set(`${change.name}|${change.value}`, { name: change.name, value: change.value, validTo: change.validTo });
    }
  }
  const deactivated = owner === ZeroAddress;
  const valid = <T extends { validTo: bigint }>(entries: Iterable<T>) => (deactivated ? [] : [...entries].filter((e) => e.validTo > now));
  return {
    identity: address,
    did: didOf(network.chainId, address),
    owner: getAddress(owner),
    deactivated,
    delegates: valid(delegates.values()),
    attributes: valid(attributes.values()),
    history,
    changedBlock: Number(changed),
    now,
  };
}

// ───────────────────────────── DID documents ─────────────────────────────

export interface VerificationMethod {
  id: string;
  type: string;
  controller: string;
  blockchainAccountId?: string;
  publicKeyHex?: string;
  publicKeyBase64?: string;
  publicKeyBase58?: string;
}

export interface Service {
  id: string;
  type: string;
  serviceEndpoint: unknown;
}

export interface DidDocument {
  "@context": string[];
  id: string;
  verificationMethod: VerificationMethod[];
  authentication: string[];
  assertionMethod: string[];
  keyAgreement?: string[];
  service?: Service[];
}

export interface DidResolution {
  didDocument: DidDocument;
  didDocumentMetadata: { deactivated?: boolean; updated?: string; versionId?: string };
  /** The identity state the document was built from. */
  state: IdentityState;
}

const KEY_TYPES: Record<string, string> = {
  Secp256k1: "EcdsaSecp256k1VerificationKey2019",
  Ed25519: "Ed25519VerificationKey2018",
  X25519: "X25519KeyAgreementKey2019",
  RSA: "RSAVerificationKey2018",
};

/**
 * The DID document of `state`, in the shape did:ethr resolvers give: the owner as `#controller`
 * (EcdsaSecp256k1RecoveryMethod2020 with a CAIP-10 `blockchainAccountId`); each valid delegate as `#delegate-N`
 * (veriKey: assertion; sigAuth: authentication and assertion); public-key attributes
 * (`did/pub/<algorithm>/<veriKey|sigAuth|enc>/<hex|base64|base58>`) as `#delegate-N` too; service attributes
 * (`did/svc/<type>`) as `#service-N`. A deactivated identity has an empty document.
 */
export function didDocumentOf(state: IdentityState, chainId: bigint | number): DidDocument {
  const did = state.did;
  const document: DidDocument = {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/secp256k1recovery-2020/v2"],
    id: did,
    verificationMethod: [],
    authentication: [],
    assertionMethod: [],
  };
  if (state.deactivated) return document;
  const account = (address: string) => `eip155:${BigInt(chainId)}:${address}`;
  const controller = `${did}#controller`;
  document.verificationMethod.push({ id: controller, type: "EcdsaSecp256k1RecoveryMethod2020", controller: did, blockchainAccountId: account(state.owner) });
  document.authentication.push(controller);
  document.assertionMethod.push(controller);
  let delegateCount = 0;
  let serviceCount = 0;
  for (const delegate of state.delegates) {
    if (delegate.delegateType !== "veriKey" && delegate.delegateType !== "sigAuth") continue;
    const id = `${did}#delegate-${++delegateCount}`;
    document.verificationMethod.push({ id, type: "EcdsaSecp256k1RecoveryMethod2020", controller: did, blockchainAccountId: account(delegate.delegate) });
    document.assertionMethod.push(id);
    if (delegate.delegateType === "sigAuth") document.authentication.push(id);
  }
  for (const attribute of state.attributes) {
    const [prefix, section, algorithm, purpose, encoding] = attribute.name.split("/");
    if (prefix !== "did") continue;
    if (section === "pub" && KEY_TYPES[algorithm] !== undefined) {
      const id = `${did}#delegate-${++delegateCount}`;
      const method: VerificationMethod = { id, type: KEY_TYPES[algorithm], controller: did };
      if (encoding === "base64") method.publicKeyBase64 = encodeBase64(attribute.value);
      else if (encoding === "base58") method.publicKeyBase58 = encodeBase58(attribute.value);
      else method.publicKeyHex = attribute.value.slice(2);
      document.verificationMethod.push(method);
      if (purpose === "enc") (document.keyAgreement ??= []).push(id);
      else {
        document.assertionMethod.push(id);
        if (purpose === "sigAuth") document.authentication.push(id);
      }
    } else if (section === "svc" && algorithm !== undefined) {
      let endpoint: unknown = toUtf8String(attribute.value);
      try {
        endpoint = JSON.parse(endpoint as string);
      } catch {
        // a plain URL
      }
      (document.service ??= []).push({ id: `${did}#service-${++serviceCount}`, type: algorithm, serviceEndpoint: endpoint });
    }
  }
  return document;
}

/**
 * Resolves a did:ethr DID against the DIDRegistry at `registry`: its document, and metadata (deactivated, the time
 * and block of the last change). The DID's chain must be the provider's.
 */
export async function resolveDid(provider: Provider, registry: string, did: string): Promise<DidResolution> {
  const { chainId, address } = parseDid(did);
  const network = await provider.getNetwork();
  if (network.chainId !== chainId) throw new Error(`${did} names chain ${chainId}, the provider is on chain ${network.chainId}`);
  const state = await readIdentity(provider, registry, address);
  const didDocumentMetadata: DidResolution["didDocumentMetadata"] = {};
  if (state.deactivated) didDocumentMetadata.deactivated = true;
  if (state.changedBlock > 0) {
    const block = await provider.getBlock(state.changedBlock);
    const milliseconds = (await registryAt(provider, registry).timestampInMilliseconds()) as boolean;
    if (block !== null) {
      const seconds = milliseconds ? Math.floor(block.timestamp / 1000) : block.timestamp;
      didDocumentMetadata.updated = new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
    }
    didDocumentMetadata.versionId = String(state.changedBlock);
  }
  return { didDocument: didDocumentOf(state, chainId), didDocumentMetadata, state };
}

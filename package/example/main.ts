/**
 * A dApp written against the installed package only (copied into a fresh project by test/package/pack.test.ts,
 * never compiled in this repository): it connects to the node at TRUSTBASE_RPC, finds the suite in the address
 * books, signs and relays a DID change, resolves the DID, rebuilds a trace, a bill's history and a custody log, and
 * prints what it found as one JSON line.
 */
import { JsonRpcProvider, Wallet, encodeBytes32String, id } from "ethers";
import {
  BillOfLading__factory,
  DIDRegistry__factory,
  EvidenceVault__factory,
  SIGNED_OPERATIONS,
  TraceRegistry__factory,
  addressBook,
  addressOf,
  batchProof,
  batchTree,
  chainIds,
  didOf,
  didRegistryTypedData,
  parseDid,
  readCustodyLog,
  readHistory,
  readTrace,
  resolveDid,
  signTypedData,
  verifyBatchProof,
  verifyCustodyChain,
} from "@trustbase/contracts";
import { DIDRegistryAbi } from "@trustbase/contracts/abis";
import { addressBooks } from "@trustbase/contracts/addresses";
import { digitalLink, parseDigitalLink, traceIdOf } from "@trustbase/contracts/sdk/gs1";
import { trade } from "@trustbase/contracts/sdk";
import { DIDRegistry__factory as FactoryFromSubpath } from "@trustbase/contracts/typechain";
import didRegistryJson from "@trustbase/contracts/abi/DIDRegistry.json" with { type: "json" };

const provider = new JsonRpcProvider(process.env.TRUSTBASE_RPC, undefined, { staticNetwork: true, polling: true, pollingInterval: 100 });
const { chainId } = await provider.getNetwork();
const book = addressBook(chainId);

// A relayed, typed signature: a fresh identity (holding no coin) signs, the node's first account sends.
const relayer = await provider.getSigner(0);
const registry = DIDRegistry__factory.connect(addressOf(chainId, "didRegistry"), relayer);
const identity = Wallet.createRandom();
const delegate = Wallet.createRandom().address;
const veriKey = encodeBytes32String("veriKey");
const deadline = BigInt((await provider.getBlock("latest"))!.timestamp) + 3600n;
const typed = didRegistryTypedData(chainId, await registry.getAddress()).addDelegate({
  identity: identity.address,
  delegateType: veriKey,
  delegate,
  validity: 86_400n,
  nonce: await registry.nonce(identity.address),
  deadline,
});
const signature = await signTypedData(identity, typed);
await (await registry.addDelegateBySig(identity.address, veriKey, delegate, 86_400n, deadline, signature)).wait();

// did:ethr in and out, and the document the registry now gives.
const did = didOf(chainId, identity.address);
const { didDocument } = await resolveDid(provider, await registry.getAddress(), did);

// GS1 Digital Link: two spellings of one paddy lot, one trace id; its trace rebuilt and checked.
const link = "https://id.gs1.org/01/09506000134352/10/PADDY-2024-A";
const spelled = "https://example.com/gtin/9506000134352/lot/PADDY-2024-A?17=250101";
const traceId = traceIdOf(link);
const traceRegistry = TraceRegistry__factory.connect(addressOf(chainId, "traceRegistry"), provider);
const trace = await readTrace(traceRegistry, traceId);

// A bill's transfer chain, rebuilt from events and checked against the head the registry keeps.
const billOfLading = BillOfLading__factory.connect(addressOf(chainId, "billOfLading"), provider);
const [issued] = await billOfLading.queryFilter(billOfLading.filters.BillAction());
const bill = await readHistory(billOfLading, issued.args.billId);

// A document's custody log, rebuilt and checked against the vault's head.
const vault = EvidenceVault__factory.connect(addressOf(chainId, "evidenceVault"), provider);
const custodyLogs = await vault.queryFilter(vault.filters.CustodyLogged());
const document = custodyLogs[0].args.hash;
const custody = await readCustodyLog(vault, document);
const custodyProblems = verifyCustodyChain(document, custody, await vault.custodyHeadOf(document));

// A Merkle batch: a proof of one item, checked without the tree.
const items = ["a", "b", "c"].map((item) => id(`document ${item}`));
const tree = batchTree(items);
const proof = batchProof(tree, items[1]);

console.log(
  JSON.stringify({
    chainIds,
    chainId: Number(chainId),
    books: Object.keys(addressBooks),
    directory: book.directory,
    did,
    parsed: { chainId: Number(parseDid(did).chainId), address: parseDid(did).address },
    identity: identity.address,
    delegate,
    validDelegate: await registry.validDelegate(identity.address, veriKey, delegate),
    verificationMethods: didDocument.verificationMethod.map((method) => method.blockchainAccountId),
    assertionMethod: didDocument.assertionMethod,
    traceId,
    spelledTraceId: traceIdOf(spelled),
    canonicalLink: digitalLink(parseDigitalLink(spelled)),
    trace: { events: trace.events.length, valid: trace.verdict.valid, head: trace.head },
    bill: { id: bill.billId.toString(), actions: bill.entries.map((entry) => entry.name), verified: bill.verified, dcsa: trade.DcsaName[1] },
    custody: { document, entries: custody.length, problems: custodyProblems },
    merkle: { root: tree.root, proofLength: proof.length, verified: verifyBatchProof(tree.root, items[1], proof), forged: verifyBatchProof(tree.root, items[0], proof) },
    abi: { entries: DIDRegistryAbi.length, jsonEntries: didRegistryJson.length, factoryFromSubpath: FactoryFromSubpath === DIDRegistry__factory },
    signedOperations: SIGNED_OPERATIONS.length,
  }),
);

import { getAddress, id } from "ethers";
import { Topics } from "../../deploy/topics.js";
import { EvidenceVault__factory } from "../../typechain-types/index.js";
import { CustodyAction, EvidenceCategory, EvidencePermission, custodyRecordOf, verifyCustodyChain, type CustodyRecord } from "../../sdk/evidence.js";
import { compare, inParallel, n, type Account, type Workload } from "./context.js";
import { license } from "./identity.js";

/** Custody actions a party admitted with LOG may record. */
const ACTIONS = [CustodyAction.UPLOAD, CustodyAction.VIEW, CustodyAction.DOWNLOAD, CustodyAction.PRINT];
const CATEGORIES = [EvidenceCategory.CONTRACT, EvidenceCategory.CHAT_LOG, EvidenceCategory.IMAGE, EvidenceCategory.EMAIL];

/**
 * Evidence: a clerk of the run opens one case and admits every sender as a party (SUBMIT, LOG); parties anchor
 * documents and log custody actions on their own; anchoring a hash twice is refused.
 */
export function evidenceWorkload(): Workload {
  const vault = EvidenceVault__factory.createInterface();
  interface Document {
    hash: string;
    submitter: Account;
    category: number;
    custody: number;
  }
  const documents: Document[] = [];
  const owned = new Map<string, Document[]>();
  let caseId = 0;
  let serial = 0;

  return {
    module: "evidence",
    weight: 1,
    async setup(context) {
      const clerk = await context.account("court clerk");
      await license(context, Topics.COURT_CLERK, [clerk]);
      await license(context, Topics.CASE_PARTY, context.senders);
      const to = context.address("evidenceVault");
      const courtRef = id(`${context.runId}:case`);
      await context.setupOp(clerk, {
        module: "setup",
        what: "open the case",
        to,
        data: vault.encodeFunctionData("openCase", [clerk.address, courtRef, [], [], 0]),
      });
      caseId = Number(await EvidenceVault__factory.connect(to, context.connection.ethers.provider).caseIdOf(courtRef));
      for (const sender of context.senders) {
        await context.setupOp(clerk, {
          module: "setup",
          what: `admit ${sender.name}`,
          to,
          data: vault.encodeFunctionData("grantAccess", [caseId, sender.address, Topics.CASE_PARTY, EvidencePermission.SUBMIT | EvidencePermission.LOG]),
        });
      }
    },
    next(context, sender, rng) {
      const to = context.address("evidenceVault");
      const own = owned.get(sender.address) ?? [];
      if (own.length > 0 && rng.chance(0.05)) {
        const document = rng.pick(own);
        return {
          module: "evidence",
          what: `anchor ${document.hash.slice(0, 10)}… again`,
          to,
          data: vault.encodeFunctionData("anchor", [caseId, document.hash, document.category, id("again")]),
          expect: "EvidenceAlreadyAnchored",
        };
      }
      if (own.length > 0 && rng.chance(0.5)) {
        const document = rng.pick(own);
        const action = rng.pick(ACTIONS);
        return {
          module: "evidence",
          what: `log custody action ${action} on ${document.hash.slice(0, 10)}…`,
          to,
          data: vault.encodeFunctionData("logCustody", [sender.address, document.hash, action, id(`${context.runId}:work order:${++serial}`)]),
          apply: () => void (document.custody += 1),
        };
      }
      const document = { hash: id(`${context.runId}:document:${++serial}`), submitter: sender, category: rng.pick(CATEGORIES), custody: 0 };
      return {
        module: "evidence",
        what: `anchor ${document.hash.slice(0, 10)}…`,
        to,
        data: vault.encodeFunctionData("anchor", [caseId, document.hash, document.category, id(`metadata of ${document.hash}`)]),
        apply: () => {
          documents.push(document);
          owned.set(sender.address, [...(owned.get(sender.address) ?? []), document]);
        },
      };
    },
    async verify(context, { fromBlock, toBlock }) {
      const evidence = EvidenceVault__factory.connect(context.address("evidenceVault"), context.connection.ethers.provider);
      const mismatches: string[] = [];
      const logs = new Map<string, CustodyRecord[]>();
      for (const log of await evidence.queryFilter(evidence.filters.CustodyLogged(), fromBlock, toBlock)) {
        const record = custodyRecordOf(log);
        logs.set(log.args.hash, [...(logs.get(log.args.hash) ?? []), record]);
      }
      await inParallel(documents, 16, async (document) => {
        const label = `document ${document.hash.slice(0, 10)}…`;
        const anchor = await evidence.anchorOf(document.hash);
        compare(mismatches, `${label} submitter`, getAddress(anchor.submitter), document.submitter.address);
        compare(mismatches, `${label} case`, Number(anchor.caseId), caseId);
        compare(mismatches, `${label} category`, Number(anchor.category), document.category);
        const entries = logs.get(document.hash) ?? [];
        compare(mismatches, `${label} custody entries`, entries.length, document.custody);
        mismatches.push(...verifyCustodyChain(document.hash, entries, await evidence.custodyHeadOf(document.hash), `${label} custody`));
      });
      const entries = documents.reduce((sum, document) => sum + document.custody, 0);
      return { checked: `${n(documents.length)} anchors, ${n(entries)} custody entries, heads against the chains over the logs`, mismatches };
    },
  };
}

import { Wallet, ZeroHash, encodeBytes32String, id } from "ethers";
import { Topics } from "../../deploy/topics.js";
import { CredentialRegistry__factory, DIDRegistry__factory, EvidenceVault__factory } from "../../typechain-types/index.js";
import { CustodyAction, EvidenceCategory, EvidencePermission, EvidenceVaultTypes, evidenceDomain } from "../../sdk/evidence.js";
import { batchTree } from "../../sdk/merkle.js";
import type { Bench } from "./context.js";

const YEAR = 365n * 86_400n;
const { SUBMIT, LOG, DECIDE, DISPUTE } = EvidencePermission;

/**
 * Court evidence operations; budgets (issue 8) in bench/budgets.json. Measured in the steady state a court runs in:
 * the vault's accumulator already holds entries, and a custody entry extends a document's existing chain
 * (`evidence.custody.first` starts a chain: its head slot is new). Fixed keys and values: the same figures every run.
 */
export const evidence: Bench = {
  module: "Evidence",
  async run({ address, connection, measure, signers }) {
    const { ethers, networkHelpers } = connection;
    const [admin] = signers;
    const [issuer, clerk, judge, party, office] = signers.slice(10, 15);
    const credentials = CredentialRegistry__factory.connect(address("credentialRegistry"), admin);
    const dids = DIDRegistry__factory.connect(address("didRegistry"), admin);
    const vault = EvidenceVault__factory.connect(address("evidenceVault"), admin);
    const { chainId } = await ethers.provider.getNetwork();
    const now = BigInt(await networkHelpers.time.latest());

    // Credentials from one trusted issuer; witnesses sign with fixed keys (deterministic signatures and calldata).
    const witnessKeys = ["notary A", "notary B", "arbitration"].map((label) => new Wallet(id(`trustbase bench witness ${label}`)));
    const topics = [Topics.COURT_CLERK, Topics.JUDGE, Topics.CASE_PARTY, Topics.NOTARY, Topics.ARBITRATOR];
    for (const topic of topics) await (await credentials.setIssuerTrust(topic, issuer.address, true)).wait();
    const issue = async (subject: string, topic: number) =>
      (await credentials.connect(issuer).issue(id(`bench:evidence:${subject}:${topic}`), issuer.address, subject, topic, now, now + YEAR)).wait();
    await issue(clerk.address, Topics.COURT_CLERK);
    await issue(judge.address, Topics.JUDGE);
    await issue(party.address, Topics.CASE_PARTY);
    await issue(witnessKeys[0].address, Topics.NOTARY);
    await issue(witnessKeys[1].address, Topics.NOTARY);
    await issue(witnessKeys[2].address, Topics.ARBITRATOR);
    await (await dids.connect(judge).addDelegate(judge.address, encodeBytes32String("sigAuth"), office.address, YEAR)).wait();

    await (
      await vault.connect(clerk).openCase(
        clerk.address,
        id("bench case (2025) 0105 civil 1"),
        witnessKeys.map((w) => w.address),
        [Topics.NOTARY, Topics.NOTARY, Topics.ARBITRATOR],
        2,
      )
    ).wait();
    const caseId = await vault.caseCount();
    await (await vault.connect(clerk).grantAccess(caseId, party.address, Topics.CASE_PARTY, SUBMIT | LOG | DISPUTE)).wait();
    await (await vault.connect(clerk).grantAccess(caseId, judge.address, Topics.JUDGE, LOG | DECIDE)).wait();
    await (await vault.connect(clerk).grantAccess(caseId, clerk.address, Topics.COURT_CLERK, SUBMIT | LOG | DECIDE)).wait();

    // Steady state: the accumulator already holds an entry and a checkpoint was published.
    await (await vault.connect(clerk).anchor(caseId, id("bench: the case file"), EvidenceCategory.OFFICE_DOCUMENT, ZeroHash)).wait();
    await (await vault.connect(admin).checkpoint()).wait();

    const contract = id("bench: the loan contract");
    await measure("evidence.anchor", vault.connect(party).anchor(caseId, contract, EvidenceCategory.CONTRACT, id("bench: contract metadata")));
    const screenshots = Array.from({ length: 100 }, (_, i) => id(`bench: chat screenshot ${i}`));
    const tree = batchTree(screenshots);
    await measure(
      "evidence.anchorBatch100",
      vault.connect(party).anchorBatch(party.address, caseId, tree.root, 100, EvidenceCategory.IMAGE, id("bench: batch metadata")),
    );

    await measure("evidence.custody.first", vault.connect(clerk).logCustody(clerk.address, contract, CustodyAction.UPLOAD, id("bench: filed")));
    await measure("evidence.custody", vault.connect(judge).logCustody(judge.address, contract, CustodyAction.REVIEW, id("bench: reviewed")));
    await measure(
      "evidence.custody.delegate",
      vault.connect(office).logCustody(judge.address, contract, CustodyAction.VIEW, id("bench: viewed via the office system")),
    );

    const domain = evidenceDomain(chainId, await vault.getAddress());
    const deadline = now + YEAR;
    const cosignature = (key: Wallet) => key.signTypedData(domain, EvidenceVaultTypes.Cosign, { hash: contract, witness: key.address, deadline });
    await measure("evidence.witness", vault.connect(admin).cosign(contract, witnessKeys[0].address, deadline, await cosignature(witnessKeys[0])));
    await measure(
      "evidence.witness.final",
      vault.connect(admin).cosign(contract, witnessKeys[1].address, deadline, await cosignature(witnessKeys[1])),
    );
    const signAll = async (hash: string) =>
      Promise.all(
        witnessKeys.slice(0, 2).map(async (key) => ({
          witness: key.address,
          deadline,
          signature: await key.signTypedData(domain, EvidenceVaultTypes.Cosign, { hash, witness: key.address, deadline }),
        })),
      );
    await measure("evidence.witness.all2", vault.connect(admin).cosignAll(tree.root, await signAll(tree.root)));

    await measure("evidence.checkpoint", vault.connect(admin).checkpoint());
  },
};

import { encodeBytes32String, getAddress, hexlify, id, toUtf8Bytes } from "ethers";
import { Topics } from "../../deploy/topics.js";
import { CredentialRegistry__factory, DIDRegistry__factory } from "../../typechain-types/index.js";
import { compare, inParallel, n, type Account, type Op, type SoakContext, type Workload } from "./context.js";

const YEAR = 365 * 86_400;

/**
 * Gives `subjects` a credential on `topic`, issued by an issuer of the run that the admin trusts for the topic
 * (one issuer per topic, so that topics are issued in parallel).
 */
export async function license(context: SoakContext, topic: number, subjects: readonly Account[]): Promise<void> {
  const credentials = CredentialRegistry__factory.connect(context.address("credentialRegistry"), context.admin);
  const issuer = await context.account(`issuer of topic ${topic}`);
  if (!(await credentials.isTrustedIssuer(topic, issuer.address))) {
    await context.setup(async () => (await credentials.setIssuerTrust(topic, issuer.address, true)).wait());
  }
  for (const subject of subjects) {
    const data = credentials.interface.encodeFunctionData("issue", [
      id(`${context.runId}:credential:${topic}:${subject.address}`),
      issuer.address,
      subject.address,
      topic,
      context.now,
      context.now + YEAR,
    ]);
    await context.setupOp(issuer, { module: "setup", what: `licence ${topic} of ${subject.name}`, to: await credentials.getAddress(), data });
  }
}

/** DID attributes: each sender publishes and revokes attributes of its own DID; touching another's is refused. */
export function identityWorkload(): Workload {
  const names = ["did/svc/TraceService", "did/pub/Secp256k1/veriKey/hex", "did/svc/DataService"].map((n) => encodeBytes32String(n));
  /** Per DID: attribute changes applied and the block of the latest (ERC-1056's `changed`). */
  const changes = new Map<string, number>();
  const lastChange = new Map<string, number>();
  const live = new Map<string, { name: string; value: string }[]>();
  const dids = DIDRegistry__factory.createInterface();

  return {
    module: "identity",
    weight: 1,
    async setup() {},
    next(context, sender, rng) {
      const registry = context.address("didRegistry");
      const own = live.get(sender.address) ?? [];
      const changed = (receipt: { blockNumber: number }) => {
        changes.set(sender.address, (changes.get(sender.address) ?? 0) + 1);
        lastChange.set(sender.address, receipt.blockNumber);
      };
      if (rng.chance(0.05)) {
        const other = rng.pick(context.senders.filter((s) => s !== sender));
        return {
          module: "identity",
          what: `set an attribute of ${other.name}'s DID`,
          to: registry,
          data: dids.encodeFunctionData("setAttribute", [other.address, names[0], "0x01", 3600]),
          expect: "DIDUnauthorized",
        } satisfies Op;
      }
      if (own.length > 0 && rng.chance(0.3)) {
        const attribute = own.splice(rng.int(own.length), 1)[0];
        return {
          module: "identity",
          what: "revoke an attribute of its DID",
          to: registry,
          data: dids.encodeFunctionData("revokeAttribute", [sender.address, attribute.name, attribute.value]),
          apply: changed,
        };
      }
      const attribute = { name: rng.pick(names), value: hexlify(toUtf8Bytes(`https://soak.example/${rng.int(1e9)}`)) };
      return {
        module: "identity",
        what: "set an attribute of its DID",
        to: registry,
        data: dids.encodeFunctionData("setAttribute", [sender.address, attribute.name, attribute.value, 86_400]),
        apply: (receipt) => {
          changed(receipt);
          live.set(sender.address, [...(live.get(sender.address) ?? []), attribute]);
        },
      };
    },
    async verify(context, { fromBlock, toBlock }) {
      const registry = DIDRegistry__factory.connect(context.address("didRegistry"), context.connection.ethers.provider);
      const mismatches: string[] = [];
      const logs = await registry.queryFilter(registry.filters.DIDAttributeChanged(), fromBlock, toBlock);
      const onChain = new Map<string, number>();
      for (const log of logs) onChain.set(getAddress(log.args.identity), (onChain.get(getAddress(log.args.identity)) ?? 0) + 1);
      let total = 0;
      for (const sender of context.senders) {
        total += changes.get(sender.address) ?? 0;
        compare(mismatches, `DIDAttributeChanged events of ${sender.name}`, onChain.get(sender.address) ?? 0, changes.get(sender.address) ?? 0);
        if (lastChange.has(sender.address)) {
          compare(mismatches, `changed(${sender.name})`, Number(await registry.changed(sender.address)), lastChange.get(sender.address));
        }
      }
      return { checked: `${n(total)} attribute changes of ${context.senders.length} DIDs`, mismatches };
    },
  };
}

/**
 * Credential status: each sender is an issuer the consortium trusts for QUALIFIED_INVESTOR; it issues credentials to
 * investors and revokes some; issuing an id twice is refused.
 */
export function credentialWorkload(): Workload {
  const topic = Topics.QUALIFIED_INVESTOR;
  interface Issued {
    id: string;
    issuer: string;
    subject: string;
    revoked: boolean;
  }
  const issued = new Map<string, Issued[]>();
  const all: Issued[] = [];
  let serial = 0;
  const registry = CredentialRegistry__factory.createInterface();

  return {
    module: "credentials",
    weight: 1,
    async setup(context) {
      const credentials = CredentialRegistry__factory.connect(context.address("credentialRegistry"), context.admin);
      for (const sender of context.senders) {
        if (await credentials.isTrustedIssuer(topic, sender.address)) continue;
        await context.setup(async () => (await credentials.setIssuerTrust(topic, sender.address, true)).wait());
      }
    },
    next(context, sender, rng) {
      const to = context.address("credentialRegistry");
      const own = issued.get(sender.address) ?? [];
      const issue = (credential: Issued) =>
        registry.encodeFunctionData("issue", [credential.id, sender.address, credential.subject, topic, context.now, context.now + YEAR]);
      if (own.length > 0 && rng.chance(0.05)) {
        return { module: "credentials", what: "issue a credential id again", to, data: issue(rng.pick(own)), expect: "CredentialExists" };
      }
      const active = own.filter((c) => !c.revoked);
      if (active.length > 0 && rng.chance(0.25)) {
        const credential = rng.pick(active);
        credential.revoked = true; // taken now: no later operation of this sender picks it again
        return {
          module: "credentials",
          what: `revoke credential ${credential.id.slice(0, 10)}…`,
          to,
          data: registry.encodeFunctionData("revoke", [credential.id]),
        };
      }
      const n = ++serial;
      const credential = {
        id: id(`${context.runId}:qualified-investor:${n}`),
        issuer: sender.address,
        subject: getAddress(id(`${context.runId}:investor:${n}`).slice(0, 42)),
        revoked: false,
      };
      return {
        module: "credentials",
        what: `issue credential ${credential.id.slice(0, 10)}…`,
        to,
        data: issue(credential),
        apply: () => {
          issued.set(sender.address, [...(issued.get(sender.address) ?? []), credential]);
          all.push(credential);
        },
      };
    },
    async verify(context, { fromBlock, toBlock }) {
      const credentials = CredentialRegistry__factory.connect(context.address("credentialRegistry"), context.connection.ethers.provider);
      const mismatches: string[] = [];
      await inParallel(all, 16, async (credential) => {
        const view = await credentials.statusOf(credential.id);
        const label = `credential ${credential.id.slice(0, 10)}…`;
        compare(mismatches, `${label} issuer`, view.issuer, credential.issuer);
        compare(mismatches, `${label} subject`, view.subject, credential.subject);
        compare(mismatches, `${label} topic`, Number(view.topic), topic);
        compare(mismatches, `${label} status`, Number(view.status), credential.revoked ? 3 : 1);
      });
      const senders = new Set(context.senders.map((s) => s.address));
      const issuedLogs = (await credentials.queryFilter(credentials.filters.CredentialIssued(), fromBlock, toBlock)).filter((log) =>
        senders.has(getAddress(log.args.issuer)),
      );
      const revokedLogs = (await credentials.queryFilter(credentials.filters.CredentialStatusChanged(), fromBlock, toBlock)).filter(
        (log) => senders.has(getAddress(log.args.issuer)),
      );
      const revoked = all.filter((c) => c.revoked).length;
      compare(mismatches, "CredentialIssued events by the senders", issuedLogs.length, all.length);
      compare(mismatches, "CredentialStatusChanged events by the senders", revokedLogs.length, revoked);
      return { checked: `${n(all.length)} credentials issued, ${n(revoked)} revoked`, mismatches };
    },
  };
}

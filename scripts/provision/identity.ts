import { isAddress } from "ethers";
import { Topics, type TopicName } from "../../deploy/topics.js";
import { CredentialRegistry__factory } from "../../typechain-types/index.js";
import type { Provision } from "./context.js";

interface TrustedIssuer {
  /** A topic name of deploy/topics.ts (for example "KYC") or its numeric id. */
  topic: TopicName | number;
  /** The issuer's DID address. */
  issuer: string;
}

/**
 * Trusted issuers per credential topic, from the "Identity.trustedIssuers" list of the parameters file:
 * `[{ "topic": "KYC", "issuer": "0x…" }, …]`. Sends setIssuerTrust only for pairs the chain lacks; it never
 * removes trust (distrusting an issuer is a governance decision made explicitly, not by editing a file).
 */
export const identity: Provision = {
  module: "Identity",
  async run({ address, deployer, parameters, send }) {
    const list = (parameters.trustedIssuers ?? []) as TrustedIssuer[];
    if (!Array.isArray(list)) throw new Error("Identity.trustedIssuers must be a list of { topic, issuer }");
    const credentials = CredentialRegistry__factory.connect(address("credentialRegistry"), deployer);
    for (const { topic, issuer } of list) {
      const topicId = typeof topic === "number" ? topic : Topics[topic];
      if (topicId === undefined) throw new Error(`Identity.trustedIssuers: unknown topic "${topic}"`);
      if (!isAddress(issuer)) throw new Error(`Identity.trustedIssuers: "${issuer}" is not an address`);
      if (await credentials.isTrustedIssuer(topicId, issuer)) continue;
      await send(`trust ${issuer} for topic ${topic}`, credentials.setIssuerTrust(topicId, issuer, true));
    }
  },
};

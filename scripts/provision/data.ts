import { isAddress } from "ethers";
import { DataElement__factory } from "../../typechain-types/index.js";
import type { Provision } from "./context.js";

/**
 * Market data of the data-element registry, from the "Data" section of the parameters file:
 * - "paymentTokens": ERC-20 addresses renters may pay in (a stablecoin of the consortium);
 * - "baseURI": the metadata service of tokens registered without their own URI (`<baseURI><0x token id>`).
 * Sends only what the chain lacks; it never removes a payment token (a governance decision made explicitly).
 */
export const data: Provision = {
  module: "Data",
  async run({ address, deployer, parameters, send }) {
    const element = DataElement__factory.connect(address("dataElement"), deployer);
    const tokens = (parameters.paymentTokens ?? []) as string[];
    if (!Array.isArray(tokens)) throw new Error("Data.paymentTokens must be a list of addresses");
    for (const token of tokens) {
      if (!isAddress(token)) throw new Error(`Data.paymentTokens: "${token}" is not an address`);
      if (await element.isPaymentToken(token)) continue;
      await send(`accept payment token ${token}`, element.setPaymentToken(token, true));
    }
    const baseURI = parameters.baseURI;
    if (baseURI === undefined) return;
    if (typeof baseURI !== "string") throw new Error("Data.baseURI must be a string");
    if ((await element.baseURI()) === baseURI) return;
    await send(`set the metadata base URI to ${baseURI}`, element.setBaseURI(baseURI));
  },
};

import type { NetworkConnection } from "hardhat/types/network";
import type { DeploymentParameters } from "@nomicfoundation/ignition-core";
import IdentityModule from "../../deploy/modules/Identity.js";
import {
  CredentialRegistry__factory,
  DIDRegistry__factory,
  type CredentialRegistry,
  type DIDRegistry,
} from "../../typechain-types/index.js";
import { Topics } from "../../deploy/topics.js";
import { CredentialRegistryTypes, domainOf } from "../../sdk/eip712.js";

export const YEAR = 365n * 24n * 3600n;

export const PresentationTypes = CredentialRegistryTypes.Presentation;
export const IssueTypes = CredentialRegistryTypes.Issue;
export const RevokeTypes = CredentialRegistryTypes.Revoke;

/**
 * The identity layer as the Ignition module deploys it, with KYC trusted to `issuer`. `parameters` are Ignition's
 * (for example `{ $global: { sm2Verifier: SM2_PRECOMPILE } }` for a 国密 chain).
 */
export async function deployIdentity(connection: NetworkConnection, parameters?: DeploymentParameters) {
  const { ethers, ignition } = connection;
  const [admin, issuer, issuer2, subject, verifier, stranger, relayer] = await ethers.getSigners();
  const deployed = await ignition.deploy(IdentityModule, parameters ? { parameters } : {});
  const dids: DIDRegistry = DIDRegistry__factory.connect(await deployed.didRegistry.getAddress(), admin);
  const credentials: CredentialRegistry = CredentialRegistry__factory.connect(
    await deployed.credentialRegistry.getAddress(),
    admin,
  );
  await (await credentials.setIssuerTrust(Topics.KYC, issuer.address, true)).wait();
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const { chainId } = await ethers.provider.getNetwork();
  const credentialsDomain = domainOf("CredentialRegistry", chainId, await credentials.getAddress());
  return {
    ...deployed,
    dids,
    credentials,
    credentialsDomain,
    now,
    admin,
    issuer,
    issuer2,
    subject,
    verifier,
    stranger,
    relayer,
  };
}

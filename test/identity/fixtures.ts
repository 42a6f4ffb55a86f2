import type { NetworkConnection } from "hardhat/types/network";
import IdentityModule from "../../deploy/modules/Identity.js";
import {
  CredentialRegistry__factory,
  DIDRegistry__factory,
  type CredentialRegistry,
  type DIDRegistry,
} from "../../typechain-types/index.js";
import { Topics } from "../../deploy/topics.js";

export const YEAR = 365n * 24n * 3600n;

export const PresentationTypes = {
  Presentation: [
    { name: "holder", type: "address" },
    { name: "verifier", type: "address" },
    { name: "credentialIds", type: "bytes32[]" },
    { name: "validUntil", type: "uint256" },
  ],
};

export const IssueTypes = {
  Issue: [
    { name: "id", type: "bytes32" },
    { name: "issuer", type: "address" },
    { name: "subject", type: "address" },
    { name: "topic", type: "uint32" },
    { name: "validFrom", type: "uint32" },
    { name: "validUntil", type: "uint32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

export const RevokeTypes = {
  Revoke: [
    { name: "id", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The identity layer as the Ignition module deploys it, with KYC trusted to `issuer`. */
export async function deployIdentity(connection: NetworkConnection) {
  const { ethers, ignition } = connection;
  const [admin, issuer, issuer2, subject, verifier, stranger, relayer] = await ethers.getSigners();
  const deployed = await ignition.deploy(IdentityModule);
  const dids: DIDRegistry = DIDRegistry__factory.connect(await deployed.didRegistry.getAddress(), admin);
  const credentials: CredentialRegistry = CredentialRegistry__factory.connect(
    await deployed.credentialRegistry.getAddress(),
    admin,
  );
  await (await credentials.setIssuerTrust(Topics.KYC, issuer.address, true)).wait();
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const { chainId } = await ethers.provider.getNetwork();
  const credentialsDomain = {
    name: "trustbase CredentialRegistry",
    version: "1",
    chainId,
    verifyingContract: await credentials.getAddress(),
  };
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

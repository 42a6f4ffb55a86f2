import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { encodeBytes32String, ZeroAddress } from "ethers";
import GovernanceModule from "./Governance.js";
import { Roles } from "../roles.js";
import { Topics } from "../topics.js";
import { deployProxy, moduleName, selectors } from "../lib.js";

/**
 * The identity root: DIDRegistry (immutable, no admin) and CredentialRegistry (UUPS proxy under the
 * AccessManager), every topic of deploy/topics.ts registered, both listed in the TrustDirectory.
 *
 * Parameters (chain settings, usually under "$global" since every module shares them):
 * - millisecondTimestamps: true on chains whose block.timestamp counts milliseconds (default false);
 * - sm2Verifier: the chain's SM2 precompile on 国密 chains (default address(0): secp256k1).
 * The deployer holds TOPIC_ADMIN to register the topics; the governance handover moves it to the consortium.
 * Trusted issuers per topic are network data, provisioned by scripts/deploy.ts from the parameters file.
 */
export default buildModule("Identity", (m) => {
  const { accessManager, directory } = m.useModule(GovernanceModule);
  const millisecondTimestamps = m.getParameter("millisecondTimestamps", false);
  const sm2Verifier = m.getParameter("sm2Verifier", ZeroAddress);
  const deployer = m.getAccount(0);

  const didRegistry = m.contract("DIDRegistry", [millisecondTimestamps, sm2Verifier]);
  const { implementation, proxy: credentialRegistry } = deployProxy(
    m,
    "CredentialRegistry",
    [didRegistry, millisecondTimestamps, sm2Verifier],
    [accessManager],
  );

  const adminGrant = m.call(accessManager, "grantRole", [Roles.TOPIC_ADMIN, deployer, 0], {
    id: "grant_TOPIC_ADMIN",
  });
  const topicRoles = m.call(
    accessManager,
    "setTargetFunctionRole",
    [credentialRegistry, selectors("registerTopic(uint32,bytes32)", "setIssuerTrust(uint32,address,bool)"), Roles.TOPIC_ADMIN],
    { id: "roles_CredentialRegistry_topics" },
  );
  m.call(
    accessManager,
    "setTargetFunctionRole",
    [credentialRegistry, selectors("upgradeToAndCall(address,bytes)"), Roles.UPGRADER],
    { id: "roles_CredentialRegistry_upgrade" },
  );
  for (const [name, id] of Object.entries(Topics)) {
    m.call(credentialRegistry, "registerTopic", [id, encodeBytes32String(name)], {
      id: `topic_${name}`,
      after: [adminGrant, topicRoles],
    });
  }

  m.call(directory, "register", [moduleName("DIDRegistry"), didRegistry, 1], { id: "register_DIDRegistry" });
  m.call(directory, "register", [moduleName("CredentialRegistry"), credentialRegistry, 1], {
    id: "register_CredentialRegistry",
  });

  return { accessManager, directory, didRegistry, credentialRegistry, credentialRegistryImplementation: implementation };
});

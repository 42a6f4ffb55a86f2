import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroAddress } from "ethers";
import IdentityModule from "./Identity.js";
import { Roles } from "../roles.js";
import { moduleName, selectors } from "../lib.js";

/**
 * Court evidence: the EvidenceVault (immutable, no proxy, no admin over records) on the identity layer, listed in
 * the TrustDirectory.
 *
 * The AccessManager governs only `openCase`, made PUBLIC here (who opens a case is decided by the COURT_CLERK
 * credential): governance can later close the vault to new cases (`setTargetClosed`) or restrict opening to a role,
 * never touch a record. Parameters: the chain settings under "$global" (millisecondTimestamps, sm2Verifier).
 */
export default buildModule("Evidence", (m) => {
  const { accessManager, directory, didRegistry, credentialRegistry } = m.useModule(IdentityModule);
  const millisecondTimestamps = m.getParameter("millisecondTimestamps", false);
  const sm2Verifier = m.getParameter("sm2Verifier", ZeroAddress);

  const evidenceVault = m.contract("EvidenceVault", [
    accessManager,
    didRegistry,
    credentialRegistry,
    millisecondTimestamps,
    sm2Verifier,
  ]);
  const openCaseRole = m.call(
    accessManager,
    "setTargetFunctionRole",
    [evidenceVault, selectors("openCase(address,bytes32,address[],uint32[],uint8)"), Roles.PUBLIC],
    { id: "roles_EvidenceVault_openCase" },
  );
  m.call(directory, "register", [moduleName("EvidenceVault"), evidenceVault, 1], {
    id: "register_EvidenceVault",
    after: [openCaseRole],
  });

  return { accessManager, directory, didRegistry, credentialRegistry, evidenceVault };
});

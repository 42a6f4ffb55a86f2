import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroAddress } from "ethers";
import IdentityModule from "./Identity.js";
import { Roles } from "../roles.js";
import { deployProxy, moduleName, selectors } from "../lib.js";

/**
 * Trade: BillOfLading (UUPS proxy under the AccessManager: electronic bills of lading), listed in the TrustDirectory.
 *
 * Parameters: the chain settings under "$global" (millisecondTimestamps, sm2Verifier). Governance holds two doors
 * only: TRADE_ADMIN pauses and resumes issuance (the deployer until the governance handover), UPGRADER upgrades after
 * the AccessManager's delay. No function moves a bill without its parties.
 */
export default buildModule("Trade", (m) => {
  const { accessManager, directory, didRegistry, credentialRegistry } = m.useModule(IdentityModule);
  const millisecondTimestamps = m.getParameter("millisecondTimestamps", false);
  const sm2Verifier = m.getParameter("sm2Verifier", ZeroAddress);
  const deployer = m.getAccount(0);

  const { implementation, proxy: billOfLading } = deployProxy(
    m,
    "BillOfLading",
    [didRegistry, credentialRegistry, millisecondTimestamps, sm2Verifier],
    [accessManager],
  );

  m.call(accessManager, "labelRole", [Roles.TRADE_ADMIN, "TRADE_ADMIN"], { id: "label_TRADE_ADMIN" });
  m.call(accessManager, "grantRole", [Roles.TRADE_ADMIN, deployer, 0], { id: "grant_TRADE_ADMIN" });
  m.call(
    accessManager,
    "setTargetFunctionRole",
    [billOfLading, selectors("setIssuancePaused(bool)"), Roles.TRADE_ADMIN],
    { id: "roles_BillOfLading_admin" },
  );
  m.call(
    accessManager,
    "setTargetFunctionRole",
    [billOfLading, selectors("upgradeToAndCall(address,bytes)"), Roles.UPGRADER],
    { id: "roles_BillOfLading_upgrade" },
  );
  m.call(directory, "register", [moduleName("BillOfLading"), billOfLading, 1], { id: "register_BillOfLading" });

  return {
    accessManager,
    directory,
    didRegistry,
    credentialRegistry,
    billOfLading,
    billOfLadingImplementation: implementation,
  };
});

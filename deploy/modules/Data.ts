import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroAddress } from "ethers";
import IdentityModule from "./Identity.js";
import { Roles } from "../roles.js";
import { Classifications, classificationName } from "../data.js";
import { deployProxy, moduleName, selectors } from "../lib.js";

/**
 * Data elements: DataElement (UUPS proxy under the AccessManager: certificates, use rights, offers, rentals) and
 * DataRevenue (immutable: payees, credits, withdrawals, signed operations), bound to each other, the
 * classification levels of deploy/data.ts named, both listed in the TrustDirectory.
 *
 * Parameters: the chain settings under "$global" (millisecondTimestamps, sm2Verifier). Accepted payment tokens
 * and the metadata base URI are network data, provisioned by scripts/deploy.ts from "Data.paymentTokens" and
 * "Data.baseURI". The deployer holds DATA_ADMIN until the governance handover.
 */
export default buildModule("Data", (m) => {
  const { accessManager, directory, didRegistry, credentialRegistry } = m.useModule(IdentityModule);
  const millisecondTimestamps = m.getParameter("millisecondTimestamps", false);
  const sm2Verifier = m.getParameter("sm2Verifier", ZeroAddress);
  const deployer = m.getAccount(0);

  const { implementation, proxy: dataElement } = deployProxy(
    m,
    "DataElement",
    [didRegistry, credentialRegistry, millisecondTimestamps],
    [accessManager],
  );
  const dataRevenue = m.contract("DataRevenue", [dataElement, millisecondTimestamps, sm2Verifier]);

  const label = m.call(accessManager, "labelRole", [Roles.DATA_ADMIN, "DATA_ADMIN"], { id: "label_DATA_ADMIN" });
  const adminGrant = m.call(accessManager, "grantRole", [Roles.DATA_ADMIN, deployer, 0], { id: "grant_DATA_ADMIN" });
  const adminRoles = m.call(
    accessManager,
    "setTargetFunctionRole",
    [
      dataElement,
      selectors(
        "setClassification(uint8,bytes32,bool)",
        "setPaymentToken(address,bool)",
        "setBaseURI(string)",
        "setRevenue(address)",
      ),
      Roles.DATA_ADMIN,
    ],
    { id: "roles_DataElement_admin" },
  );
  m.call(
    accessManager,
    "setTargetFunctionRole",
    [dataElement, selectors("upgradeToAndCall(address,bytes)"), Roles.UPGRADER],
    { id: "roles_DataElement_upgrade" },
  );
  const ready = [label, adminGrant, adminRoles];
  m.call(dataElement, "setRevenue", [dataRevenue], { id: "bind_DataRevenue", after: ready });
  for (const { level, name, rentable } of Classifications) {
    m.call(dataElement, "setClassification", [level, classificationName(name), rentable], {
      id: `classification_${name}`,
      after: ready,
    });
  }

  m.call(directory, "register", [moduleName("DataElement"), dataElement, 1], { id: "register_DataElement" });
  m.call(directory, "register", [moduleName("DataRevenue"), dataRevenue, 1], { id: "register_DataRevenue" });

  return {
    accessManager,
    directory,
    didRegistry,
    credentialRegistry,
    dataElement,
    dataRevenue,
    dataElementImplementation: implementation,
  };
});

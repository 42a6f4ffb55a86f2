import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroAddress } from "ethers";
import IdentityModule from "./Identity.js";
import { Roles } from "../roles.js";
import { deployProxy, moduleName, selectors } from "../lib.js";

/**
 * Real-world assets: the RWAToken implementation and the RWAFactory that issues assets (a token proxy per asset),
 * the shared compliance rules (max balance, max holders, supply cap, lock-up, transfer limits, jurisdiction),
 * AssetData (UUPS proxy: documents, valuations, evidence links), RWADistributor (immutable: pro-rata
 * distributions) and RWADvP (immutable: delivery versus payment), every one listed in the TrustDirectory.
 *
 * Roles: ASSET_ISSUER (issue assets, documents, evidence, distributions), ASSET_AGENT (the agent functions of
 * every token), COMPLIANCE_ADMIN (topics and rules of every token), JURISDICTION_ADMIN (identities' jurisdictions)
 * go to the deployer until the governance handover, or to the accounts named by the parameters "issuer", "agent",
 * "complianceAdmin", "jurisdictionAdmin". ASSET_DISTRIBUTOR (token snapshots) goes to the RWADistributor only. The
 * factory holds ADMIN (to give each new token's functions their roles: see RWAFactory) and DIRECTORY_EDITOR.
 * Parameters: the chain settings under "$global" (millisecondTimestamps, sm2Verifier).
 */
export default buildModule("Assets", (m) => {
  const { accessManager, directory, didRegistry, credentialRegistry } = m.useModule(IdentityModule);
  const millisecondTimestamps = m.getParameter("millisecondTimestamps", false);
  const sm2Verifier = m.getParameter("sm2Verifier", ZeroAddress);
  const deployer = m.getAccount(0);
  const issuer = m.getParameter("issuer", deployer);
  const agent = m.getParameter("agent", deployer);
  const complianceAdmin = m.getParameter("complianceAdmin", deployer);
  const jurisdictionAdmin = m.getParameter("jurisdictionAdmin", deployer);

  const rwaRestrictions = m.library("RWARestrictions");
  const rwaTokenImplementation = m.contract("RWAToken", [didRegistry, credentialRegistry], {
    id: "RWATokenImplementation",
    libraries: { RWARestrictions: rwaRestrictions },
  });
  const rwaFactory = m.contract("RWAFactory", [accessManager, rwaTokenImplementation, directory]);
  const { implementation: assetDataImplementation, proxy: assetData } = deployProxy(
    m,
    "AssetData",
    [didRegistry, credentialRegistry, millisecondTimestamps],
    [accessManager],
  );
  const rwaDistributor = m.contract("RWADistributor", [accessManager, millisecondTimestamps]);
  const rwaDvP = m.contract("RWADvP", [millisecondTimestamps, sm2Verifier]);
  const maxBalanceRule = m.contract("MaxBalanceRule", []);
  const maxHoldersRule = m.contract("MaxHoldersRule", []);
  const supplyCapRule = m.contract("SupplyCapRule", []);
  const lockupRule = m.contract("LockupRule", [millisecondTimestamps]);
  const transferLimitRule = m.contract("TransferLimitRule", [millisecondTimestamps]);
  const jurisdictionRule = m.contract("JurisdictionRule", [accessManager]);

  const roles = [
    ["ASSET_ISSUER", issuer],
    ["ASSET_AGENT", agent],
    ["COMPLIANCE_ADMIN", complianceAdmin],
    ["JURISDICTION_ADMIN", jurisdictionAdmin],
    ["ASSET_DISTRIBUTOR", rwaDistributor],
  ] as const;
  for (const [role, holder] of roles) {
    m.call(accessManager, "labelRole", [Roles[role], role], { id: `label_${role}` });
    m.call(accessManager, "grantRole", [Roles[role], holder, 0], { id: `grant_${role}` });
  }
  const factoryAdmin = m.call(accessManager, "grantRole", [Roles.ADMIN, rwaFactory, 0], { id: "grant_ADMIN_RWAFactory" });
  const factoryEditor = m.call(accessManager, "grantRole", [Roles.DIRECTORY_EDITOR, rwaFactory, 0], {
    id: "grant_DIRECTORY_EDITOR_RWAFactory",
  });
  m.call(accessManager, "setTargetFunctionRole", [rwaFactory, selectors("issueAsset((bytes32,string,string,uint8,uint32[],(address,bytes)[]))"), Roles.ASSET_ISSUER], {
    id: "roles_RWAFactory",
    after: [factoryAdmin, factoryEditor],
  });
  m.call(
    accessManager,
    "setTargetFunctionRole",
    [
      assetData,
      selectors(
        "setDocument(address,bytes32,string,bytes32)",
        "removeDocument(address,bytes32)",
        "linkEvidence(address,bytes32)",
        "unlinkEvidence(address,bytes32)",
      ),
      Roles.ASSET_ISSUER,
    ],
    { id: "roles_AssetData_issuer" },
  );
  m.call(accessManager, "setTargetFunctionRole", [assetData, selectors("upgradeToAndCall(address,bytes)"), Roles.UPGRADER], {
    id: "roles_AssetData_upgrade",
  });
  m.call(accessManager, "setTargetFunctionRole", [rwaDistributor, selectors("distribute(address,address,uint256)"), Roles.ASSET_ISSUER], {
    id: "roles_RWADistributor",
  });
  m.call(
    accessManager,
    "setTargetFunctionRole",
    [jurisdictionRule, selectors("setJurisdictions(address[],uint16[])"), Roles.JURISDICTION_ADMIN],
    { id: "roles_JurisdictionRule" },
  );

  const listed = {
    RWAFactory: rwaFactory,
    AssetData: assetData,
    RWADistributor: rwaDistributor,
    RWADvP: rwaDvP,
    MaxBalanceRule: maxBalanceRule,
    MaxHoldersRule: maxHoldersRule,
    SupplyCapRule: supplyCapRule,
    LockupRule: lockupRule,
    TransferLimitRule: transferLimitRule,
    JurisdictionRule: jurisdictionRule,
  };
  for (const [name, contract] of Object.entries(listed)) {
    m.call(directory, "register", [moduleName(name), contract, 1], { id: `register_${name}` });
  }

  return {
    accessManager,
    directory,
    didRegistry,
    credentialRegistry,
    rwaRestrictions,
    rwaTokenImplementation,
    rwaFactory,
    assetData,
    assetDataImplementation,
    rwaDistributor,
    rwaDvP,
    maxBalanceRule,
    maxHoldersRule,
    supplyCapRule,
    lockupRule,
    transferLimitRule,
    jurisdictionRule,
  };
});

import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { Roles } from "../roles.js";
import { moduleName, selectors } from "../lib.js";

/**
 * The suite's governance: one AccessManager (TrustAccessManager, the authority of every module), its roles, and the TrustDirectory.
 *
 * Parameters (deploy/parameters/<network>.json, key "Governance"):
 * - upgradeDelay: seconds an upgrade must wait between scheduling and execution (default 2 days);
 * - upgrader: account holding UPGRADER (default: the deployer, until handover);
 * - guardian: account holding GUARDIAN, which can cancel a scheduled upgrade (default: the deployer);
 * - directoryEditor: account holding DIRECTORY_EDITOR besides the deployer (default: the deployer);
 * - millisecondTimestamps: chain setting, usually under "$global" (see deploy/parameters).
 * The deployer is AccessManager's admin and a directory editor during deployment (every module registers
 * itself); the governance handover moves admin to the consortium and removes the deployer's roles.
 */
export default buildModule("Governance", (m) => {
  const deployer = m.getAccount(0);
  const upgradeDelay = m.getParameter("upgradeDelay", 2 * 24 * 3600);
  const upgrader = m.getParameter("upgrader", deployer);
  const guardian = m.getParameter("guardian", deployer);
  const directoryEditor = m.getParameter("directoryEditor", deployer);

  const millisecondTimestamps = m.getParameter("millisecondTimestamps", false);
  // OpenZeppelin's AccessManager with its expiry and minimum setback in the chain's time unit; the future keeps
  // the id "AccessManager" (deployed_addresses.json key Governance#AccessManager).
  const accessManager = m.contract("TrustAccessManager", [deployer, millisecondTimestamps], { id: "AccessManager" });
  const directory = m.contract("TrustDirectory", [accessManager, millisecondTimestamps]);

  const labels = (["UPGRADER", "GUARDIAN", "DIRECTORY_EDITOR", "TOPIC_ADMIN"] as const).map((role) =>
    m.call(accessManager, "labelRole", [Roles[role], role], { id: `label_${role}` }),
  );
  const upgraderGrant = m.call(accessManager, "grantRole", [Roles.UPGRADER, upgrader, upgradeDelay], {
    id: "grant_UPGRADER",
  });
  m.call(accessManager, "grantRole", [Roles.GUARDIAN, guardian, 0], { id: "grant_GUARDIAN" });
  m.call(accessManager, "setRoleGuardian", [Roles.UPGRADER, Roles.GUARDIAN], { id: "guard_UPGRADER" });
  const editorGrant = m.call(accessManager, "grantRole", [Roles.DIRECTORY_EDITOR, directoryEditor, 0], {
    id: "grant_DIRECTORY_EDITOR",
  });
  const deployerEditorGrant = m.call(accessManager, "grantRole", [Roles.DIRECTORY_EDITOR, deployer, 0], {
    id: "grant_DIRECTORY_EDITOR_deployer",
    after: [editorGrant],
  });
  const directoryRoles = m.call(
    accessManager,
    "setTargetFunctionRole",
    [directory, selectors("register(bytes32,address,uint64)", "remove(bytes32)"), Roles.DIRECTORY_EDITOR],
    { id: "roles_TrustDirectory" },
  );

  // The directory lists governance too, so a dApp configured with the directory finds everything.
  m.call(directory, "register", [moduleName("AccessManager"), accessManager, 1], {
    id: "register_AccessManager",
    after: [directoryRoles, deployerEditorGrant, upgraderGrant, ...labels],
  });

  return { accessManager, directory };
});

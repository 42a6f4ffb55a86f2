/**
 * Role ids of the suite's AccessManager, mirroring contracts/governance/Roles.sol (a test keeps the two equal).
 */
export const Roles = {
  ADMIN: 0n,
  UPGRADER: 1n,
  GUARDIAN: 2n,
  DIRECTORY_EDITOR: 3n,
  TOPIC_ADMIN: 4n,
  DATA_ADMIN: 5n,
  TRADE_ADMIN: 8n,
  ASSET_ISSUER: 9n,
  ASSET_AGENT: 10n,
  COMPLIANCE_ADMIN: 11n,
  ASSET_DISTRIBUTOR: 12n,
  JURISDICTION_ADMIN: 13n,
  PUBLIC: 2n ** 64n - 1n,
} as const;

export type RoleName = keyof typeof Roles;

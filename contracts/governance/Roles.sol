// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title Roles
 * @notice Every AccessManager role id of trustbase, in one place. Deploy modules and scripts read them from
 * here (through the generated ABI-free constants in `deploy/roles.ts`, kept equal by a test).
 * @dev Role 0 (`ADMIN`) and `type(uint64).max` (`PUBLIC`) are AccessManager's own. A role's holders and its
 * execution delay are set by the deployment's parameters and changed only by the admin.
 */
library Roles {
    /// @dev AccessManager's admin: grants and revokes roles, sets delays. Held by the consortium's
    /// decision body (a multisig in production); by the deployer on a local node until handover.
    uint64 internal constant ADMIN = 0;

    /// @dev Upgrades proxied modules (`upgradeToAndCall`) after an execution delay everyone can see coming.
    /// Held by the consortium's decision body.
    uint64 internal constant UPGRADER = 1;

    /// @dev Cancels scheduled operations (upgrades) during their delay. Held by the consortium's security
    /// council or a second multisig.
    uint64 internal constant GUARDIAN = 2;

    /// @dev Publishes module addresses and versions in the TrustDirectory. Held by the release operator.
    uint64 internal constant DIRECTORY_EDITOR = 3;

    /// @dev Registers credential topics and keeps each topic's list of trusted issuers. Held by the
    /// consortium's identity committee.
    uint64 internal constant TOPIC_ADMIN = 4;

    /// @dev Data-element market rules: classification levels, accepted payment tokens, the metadata base URI.
    /// Held by the data exchange's operator.
    uint64 internal constant DATA_ADMIN = 5;

    /// @dev Trade rules: pauses and resumes the issuance of bills of lading. Held by the consortium's trade
    /// operator. (6 and 7 are unassigned.)
    uint64 internal constant TRADE_ADMIN = 8;

    /// @dev Issues real-world assets through the RWAFactory, keeps their documents and evidence links, pays
    /// distributions. Held by the issuer's operations desk (or the consortium's transfer agent).
    uint64 internal constant ASSET_ISSUER = 9;

    /// @dev ERC-3643 agent of RWA tokens: mint, burn, freezes, forced transfers, recovery, pause. Held by the
    /// transfer agent.
    uint64 internal constant ASSET_AGENT = 10;

    /// @dev Compliance of RWA tokens: required topics, rules and their settings. Held by the compliance officer.
    uint64 internal constant COMPLIANCE_ADMIN = 11;

    /// @dev Takes snapshots of RWA tokens (record points). Held by the RWADistributor contract only.
    uint64 internal constant ASSET_DISTRIBUTOR = 12;

    /// @dev Sets identities' jurisdictions in the JurisdictionRule. Held by the onboarding (KYC) desk.
    uint64 internal constant JURISDICTION_ADMIN = 13;

    /// @dev AccessManager's public role: anyone.
    uint64 internal constant PUBLIC = type(uint64).max;
}

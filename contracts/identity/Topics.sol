// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title Topics
 * @notice Credential topics trustbase modules ask for. Governance registers them in the CredentialRegistry
 * (with these ids and names) and keeps each one's trusted issuers; a module names the topic it requires.
 * @dev Mirrored by `deploy/topics.ts`. Topic 0 is reserved as "none".
 */
library Topics {
    /// @dev Know-your-customer check passed (natural or legal person).
    uint32 internal constant KYC = 1;
    /// @dev Qualified / professional investor (RWA tokens).
    uint32 internal constant QUALIFIED_INVESTOR = 2;
    /// @dev Licensed data provider (data elements).
    uint32 internal constant DATA_PROVIDER = 3;
    /// @dev Member of the data-exchange (may rent data usage rights).
    uint32 internal constant DATA_EXCHANGE_MEMBER = 4;
    /// @dev Licensed carrier (bills of lading).
    uint32 internal constant CARRIER = 5;
    /// @dev Bank or financier (eBL pledges).
    uint32 internal constant FINANCIER = 6;
    /// @dev Licensed producer: farm, ranch (traceability).
    uint32 internal constant PRODUCER = 7;
    /// @dev Processor, logistics, retailer and inspector (traceability).
    uint32 internal constant PROCESSOR = 8;
    uint32 internal constant LOGISTICS = 9;
    uint32 internal constant RETAILER = 10;
    uint32 internal constant INSPECTOR = 11;
    /// @dev Court roles (evidence): clerk, judge, and notary.
    uint32 internal constant COURT_CLERK = 12;
    uint32 internal constant JUDGE = 13;
    uint32 internal constant NOTARY = 14;
    /// @dev Regulator or market supervisor (trace recalls, evidence witnessing).
    uint32 internal constant REGULATOR = 15;
    /// @dev Licensed lawyer (evidence: acts for a party in a case).
    uint32 internal constant LAWYER = 16;
    /// @dev Verified party to a case (evidence: submits and views in the cases it is admitted to).
    uint32 internal constant CASE_PARTY = 17;
    /// @dev Arbitration commission (evidence witnessing).
    uint32 internal constant ARBITRATOR = 18;
    /// @dev Licensed appraiser (RWA valuations).
    uint32 internal constant APPRAISER = 30;
}

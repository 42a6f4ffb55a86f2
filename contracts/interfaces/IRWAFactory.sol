// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IRWAToken} from "./IRWAToken.sol";

/**
 * @title IRWAFactory
 * @notice Issues a whole real-world asset in one transaction: its RWAToken proxy initialized with its topics and
 * compliance rules (with their settings), the token's functions given to the suite's asset roles in the
 * AccessManager, and the token listed in the TrustDirectory.
 */
interface IRWAFactory {
    /// @notice What an issuance needs.
    struct AssetSpec {
        bytes32 directoryName; // the TrustDirectory name, e.g. "RWA:WR-2025-001"
        string name;
        string symbol;
        uint8 decimals;
        uint32[] topics; // credential topics a holder must hold
        IRWAToken.RuleInit[] rules;
    }

    /// @notice `issuer` issued `token`, listed as `directoryName`.
    event AssetIssued(address indexed token, bytes32 indexed directoryName, address indexed issuer, string symbol);

    /// @notice `directoryName` is zero.
    error FactoryInvalidName();

    /**
     * @notice Issues an asset (see the contract's description).
     * @param spec The asset's parameters.
     * @return token The new token (its proxy).
     */
    function issueAsset(AssetSpec calldata spec) external returns (address token);

    /// @notice The RWAToken implementation every issued proxy points to at issuance.
    function tokenImplementation() external view returns (address);
    /// @notice Whether `token` was issued by this factory.
    function isIssued(address token) external view returns (bool);
    /// @notice Every token issued, in order.
    function assets() external view returns (address[] memory);
}

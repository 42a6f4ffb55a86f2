// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ICredentialRegistry} from "../interfaces/ICredentialRegistry.sol";
import {IDIDRegistry} from "../interfaces/IDIDRegistry.sol";
import {TraceRegistryBase} from "./TraceRegistryBase.sol";

/**
 * @title TraceRegistry
 * @notice Farm-to-table traceability of the suite (see {ITraceRegistry}): UUPS behind an ERC1967 proxy, governed by
 * the suite's AccessManager (step rules, upgrades), every recording step gated by a credential through the
 * IdentityGate.
 * @dev The DID and credential registries and the time unit are immutables of the implementation.
 */
contract TraceRegistry is TraceRegistryBase {
    /**
     * @param dids The suite's DID registry.
     * @param credentials The suite's credential registry (its proxy).
     * @param millisecondTimestamps true on chains whose `block.timestamp` counts milliseconds.
     * @custom:oz-upgrades-unsafe-allow constructor
     */
    constructor(
        IDIDRegistry dids,
        ICredentialRegistry credentials,
        bool millisecondTimestamps
    ) TraceRegistryBase(dids, credentials, millisecondTimestamps) {}

    /// @notice Initializes the proxy's state.
    /// @param authority The suite's AccessManager.
    function initialize(address authority) external initializer {
        __TraceRegistry_init(authority);
    }
}

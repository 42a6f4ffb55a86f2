// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {CredentialRegistry} from "../identity/CredentialRegistry.sol";
import {IDIDRegistry} from "../interfaces/IDIDRegistry.sol";

/**
 * @dev Test double: a next version of {CredentialRegistry} (same storage, same immutables, one view more), the
 * implementation test/deploy/governance.test.ts upgrades a deployed suite's CredentialRegistry to with
 * `npm run upgrade -- credentialRegistry --implementation CredentialRegistryV2Mock`. An upgrade target only: the
 * proxy was initialized by version 1, so it has no initializer of its own.
 * @custom:oz-upgrades-unsafe-allow missing-initializer
 */
contract CredentialRegistryV2Mock is CredentialRegistry {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(
        IDIDRegistry dids,
        bool millisecondTimestamps,
        address sm2Verifier_
    ) CredentialRegistry(dids, millisecondTimestamps, sm2Verifier_) {}

    /// @notice Which version of the registry runs behind the proxy.
    function registryVersion() external pure returns (uint256) {
        return 2;
    }
}

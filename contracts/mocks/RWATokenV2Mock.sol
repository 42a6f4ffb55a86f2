// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {RWAToken} from "../assets/RWAToken.sol";
import {ICredentialRegistry} from "../interfaces/ICredentialRegistry.sol";
import {IDIDRegistry} from "../interfaces/IDIDRegistry.sol";

/**
 * @dev Test double: a next version of {RWAToken} (same storage, same immutables, same linked library, one view
 * more), the implementation test/deploy/governance.test.ts upgrades a token issued by the RWAFactory to with
 * `npm run upgrade -- <directory name> --implementation RWATokenV2Mock`. An upgrade target only: the proxy was
 * initialized by version 1, so it has no initializer of its own.
 * @custom:oz-upgrades-unsafe-allow missing-initializer
 */
contract RWATokenV2Mock is RWAToken {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IDIDRegistry dids, ICredentialRegistry credentials) RWAToken(dids, credentials) {}

    /// @notice Which version of the token runs behind the proxy.
    function tokenVersion() external pure returns (uint256) {
        return 2;
    }
}

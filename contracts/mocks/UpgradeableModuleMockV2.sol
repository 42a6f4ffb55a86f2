// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {UpgradeableModuleMock} from "./UpgradeableModuleMock.sol";

/**
 * @dev Test double: version 2 of {UpgradeableModuleMock}, same namespaced storage, so an upgrade keeps the value.
 * An upgrade target only: the proxy was initialized by version 1, so it has no initializer of its own.
 * @custom:oz-upgrades-from UpgradeableModuleMock
 * @custom:oz-upgrades-unsafe-allow missing-initializer
 */
contract UpgradeableModuleMockV2 is UpgradeableModuleMock {
    function version() external pure override returns (uint256) {
        return 2;
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {UpgradeableModuleMock} from "./UpgradeableModuleMock.sol";

/// @dev Test double: version 2 of {UpgradeableModuleMock}, same namespaced storage, so an upgrade keeps the value.
contract UpgradeableModuleMockV2 is UpgradeableModuleMock {
    function version() external pure override returns (uint256) {
        return 2;
    }
}

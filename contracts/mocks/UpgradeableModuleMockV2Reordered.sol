// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {UpgradeableModule} from "../governance/UpgradeableModule.sol";

/**
 * @dev Test double: an INCOMPATIBLE version 2 of {UpgradeableModuleMock}. Same namespace, but the struct's two
 * fields are swapped, so after an upgrade `value()` reads version 1's update count. It is safe on its own (no
 * unsafe constructor, opcode or variable), so only a layout comparison catches it: test/security/
 * upgrade-safety.test.ts compares it with {UpgradeableModuleMock} and expects the validator to name the fields.
 * It deliberately names no reference (no oz-upgrades-from tag), or `npm run validate:upgrades` would fail.
 * An upgrade target only: the proxy was initialized by version 1, so it has no initializer of its own.
 * @custom:oz-upgrades-unsafe-allow missing-initializer
 */
contract UpgradeableModuleMockV2Reordered is UpgradeableModule {
    /// @custom:storage-location erc7201:trustbase.storage.UpgradeableModuleMock
    struct UpgradeableModuleMockStorage {
        uint256 updates;
        uint256 value;
    }

    // keccak256(abi.encode(uint256(keccak256("trustbase.storage.UpgradeableModuleMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x138f1440b59deae1805e07977c7c2da41cb408dda9aa13d9a92b16de14409600;

    function value() external view returns (uint256) {
        return _storage().value;
    }

    function updates() external view returns (uint256) {
        return _storage().updates;
    }

    function version() external pure returns (uint256) {
        return 2;
    }

    function _storage() private pure returns (UpgradeableModuleMockStorage storage $) {
        assembly ("memory-safe") {
            $.slot := STORAGE_LOCATION
        }
    }
}

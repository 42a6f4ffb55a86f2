// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {UpgradeableModule} from "../governance/UpgradeableModule.sol";

/**
 * @dev Test double: a compatible version 2 of {UpgradeableModuleMock}. Its namespaced struct keeps version 1's
 * fields in order and appends one, which is how a module's state grows: `npm run validate:upgrades` accepts it.
 * An upgrade target only: the proxy was initialized by version 1, so it has no initializer of its own.
 * @custom:oz-upgrades-from UpgradeableModuleMock
 * @custom:oz-upgrades-unsafe-allow missing-initializer
 */
contract UpgradeableModuleMockV2Appended is UpgradeableModule {
    /// @custom:storage-location erc7201:trustbase.storage.UpgradeableModuleMock
    struct UpgradeableModuleMockStorage {
        uint256 value;
        uint256 updates;
        bytes32 note;
    }

    // keccak256(abi.encode(uint256(keccak256("trustbase.storage.UpgradeableModuleMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x138f1440b59deae1805e07977c7c2da41cb408dda9aa13d9a92b16de14409600;

    function setNote(bytes32 note_) external restricted {
        _storage().note = note_;
    }

    function value() external view returns (uint256) {
        return _storage().value;
    }

    function updates() external view returns (uint256) {
        return _storage().updates;
    }

    function note() external view returns (bytes32) {
        return _storage().note;
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

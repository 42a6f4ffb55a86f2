// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {UpgradeableModule} from "../governance/UpgradeableModule.sol";

/**
 * @dev Test double: the smallest {UpgradeableModule}, version 1. A value in ERC-7201 namespaced storage, set
 * by the initializer and by a restricted setter, and the count of those settings, so tests can check that an
 * upgrade through governance keeps the proxy's state. Two fields, so a later version can get their order wrong
 * ({UpgradeableModuleMockV2Reordered}, refused by `npm run validate:upgrades`).
 */
contract UpgradeableModuleMock is UpgradeableModule {
    /// @custom:storage-location erc7201:trustbase.storage.UpgradeableModuleMock
    struct UpgradeableModuleMockStorage {
        uint256 value;
        uint256 updates;
    }

    // keccak256(abi.encode(uint256(keccak256("trustbase.storage.UpgradeableModuleMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x138f1440b59deae1805e07977c7c2da41cb408dda9aa13d9a92b16de14409600;

    event ValueSet(uint256 value);

    function initialize(address authority, uint256 value_) external initializer {
        __UpgradeableModule_init(authority);
        _setValue(value_);
    }

    function setValue(uint256 value_) external restricted {
        _setValue(value_);
    }

    function value() external view returns (uint256) {
        return _storage().value;
    }

    function updates() external view returns (uint256) {
        return _storage().updates;
    }

    function version() external pure virtual returns (uint256) {
        return 1;
    }

    function _setValue(uint256 value_) private {
        UpgradeableModuleMockStorage storage $ = _storage();
        $.value = value_;
        ++$.updates;
        emit ValueSet(value_);
    }

    function _storage() private pure returns (UpgradeableModuleMockStorage storage $) {
        assembly ("memory-safe") {
            $.slot := STORAGE_LOCATION
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

/**
 * @dev Test double, never to deploy: an upgradeable contract that breaks each rule of `npm run validate:upgrades`
 * once, so test/security/upgrade-safety.test.ts can check that each is caught. The tag below keeps it out of the
 * default run (it is honoured under contracts/mocks/ only, and the run lists what it skipped).
 * @custom:upgrade-safety-negative-test
 */
contract UnsafeModuleMock is Initializable, UUPSUpgradeable {
    /// @custom:storage-location erc7201:trustbase.storage.UnsafeModuleMock
    struct UnsafeModuleMockStorage {
        uint256 value;
    }

    // Wrong: the slot of UpgradeableModuleMock's namespace, not of "trustbase.storage.UnsafeModuleMock".
    bytes32 private constant STORAGE_LOCATION = 0x138f1440b59deae1805e07977c7c2da41cb408dda9aa13d9a92b16de14409600;

    // Wrong: a regular state variable, slot 0 of the proxy.
    uint256 public counter;

    // Wrong: writes storage (the implementation's own) and leaves the implementation's initializer open.
    constructor() {
        counter = 1;
    }

    function initialize(uint256 value_) external initializer {
        _storage().value = value_;
    }

    // Wrong: delegatecall from the implementation.
    function run(address target, bytes calldata data) external {
        (bool ok, ) = target.delegatecall(data);
        require(ok, "failed");
    }

    function value() external view returns (uint256) {
        return _storage().value;
    }

    // Wrong: anyone may upgrade.
    function _authorizeUpgrade(address) internal override {}

    function _storage() private pure returns (UnsafeModuleMockStorage storage $) {
        assembly ("memory-safe") {
            $.slot := STORAGE_LOCATION
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {UpgradeableModule} from "../governance/UpgradeableModule.sol";

/**
 * @dev Test double: an INCOMPATIBLE next version of {CredentialRegistry}. Same ERC-7201 namespace, but its first two
 * fields swapped: after an upgrade `topicIds` would read the slot that holds the topic-name mapping's (empty) root,
 * losing every topic. Safe on its own (no unsafe constructor, opcode or variable), so only the layout comparison with
 * deploy/layouts/CredentialRegistry.json catches it: test/deploy/governance.test.ts expects `npm run upgrade` to
 * refuse it. An upgrade target only: it has no initializer of its own.
 * @custom:oz-upgrades-unsafe-allow missing-initializer
 */
contract CredentialRegistryReorderedMock is UpgradeableModule {
    /// @custom:storage-location erc7201:trustbase.storage.CredentialRegistry
    struct CredentialRegistryStorage {
        uint32[] topicIds;
        mapping(uint32 topic => bytes32 name) topicNames;
    }

    // keccak256(abi.encode(uint256(keccak256("trustbase.storage.CredentialRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x59cc7e336aad2f7e9bac612ba03ebbb0936966beff02a9dcb988ec68237fd900;

    /// @notice The registered topic ids, as this version reads them.
    function topicIds() external view returns (uint32[] memory) {
        return _storage().topicIds;
    }

    function _storage() private pure returns (CredentialRegistryStorage storage $) {
        assembly ("memory-safe") {
            $.slot := STORAGE_LOCATION
        }
    }
}

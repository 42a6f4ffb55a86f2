// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {TimeSource} from "../common/TimeSource.sol";
import {ITrustDirectory} from "../interfaces/ITrustDirectory.sol";

/**
 * @title TrustDirectory
 * @notice Maps each module's name to its address and version for one trustbase deployment.
 * @dev Governed by the suite's AccessManager: `register` and `remove` are restricted (the deployment grants
 * them to {Roles.DIRECTORY_EDITOR}). An entry packs address, version and update time into one slot.
 * Not upgradeable: its state is a list anyone can rebuild from events, and its address is the one a
 * dApp is configured with, so it should never change behind the dApp's back.
 */
contract TrustDirectory is AccessManaged, TimeSource, ITrustDirectory {
    using EnumerableSet for EnumerableSet.Bytes32Set;

    mapping(bytes32 name => Entry) private _entries;
    EnumerableSet.Bytes32Set private _names;

    /// @param authority The suite's AccessManager.
    /// @param millisecondTimestamps true on chains whose `block.timestamp` counts milliseconds.
    constructor(
        address authority,
        bool millisecondTimestamps
    ) AccessManaged(authority) TimeSource(millisecondTimestamps) {}

    /// @inheritdoc ITrustDirectory
    function register(bytes32 name, address module, uint64 version) external restricted {
        if (name == bytes32(0)) revert DirectoryEmptyName();
        if (module.code.length == 0) revert DirectoryNotAContract(name, module);
        Entry memory current = _entries[name];
        if (version <= current.version) revert DirectoryVersionNotIncreasing(name, current.version, version);
        _entries[name] = Entry(module, version, uint32(_now()));
        _names.add(name);
        emit ModuleRegistered(name, module, version, current.module);
    }

    /// @inheritdoc ITrustDirectory
    function remove(bytes32 name) external restricted {
        Entry storage entry = _entries[name];
        address module = entry.module;
        if (module == address(0)) revert DirectoryUnknownModule(name);
        entry.module = address(0);
        entry.updatedAt = uint32(_now());
        _names.remove(name);
        emit ModuleRemoved(name, module, entry.version);
    }

    /// @inheritdoc ITrustDirectory
    function moduleOf(bytes32 name) external view returns (address module, uint64 version) {
        Entry memory entry = _entries[name];
        if (entry.module == address(0)) revert DirectoryUnknownModule(name);
        return (entry.module, entry.version);
    }

    /// @inheritdoc ITrustDirectory
    function entryOf(bytes32 name) external view returns (Entry memory) {
        return _entries[name];
    }

    /// @inheritdoc ITrustDirectory
    function modules() external view returns (bytes32[] memory names, Entry[] memory entries) {
        names = _names.values();
        entries = new Entry[](names.length);
        for (uint256 i = 0; i < names.length; ++i) {
            entries[i] = _entries[names[i]];
        }
    }
}

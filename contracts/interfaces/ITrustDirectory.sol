// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title ITrustDirectory
 * @notice The address book of a trustbase deployment: a module's name to its address and version, so a dApp
 * needs one address per chain to find every module.
 */
interface ITrustDirectory {
    /// @notice A module's current entry.
    /// @param module The module's address (its proxy, for upgradeable modules); zero when removed.
    /// @param version The module's version, strictly increasing per name.
    /// @param updatedAt When the entry last changed, in seconds.
    struct Entry {
        address module;
        uint64 version;
        uint32 updatedAt;
    }

    /// @notice `name` now points at `module` at `version`.
    event ModuleRegistered(bytes32 indexed name, address indexed module, uint64 version, address previousModule);

    /// @notice `name` no longer points at a module.
    event ModuleRemoved(bytes32 indexed name, address indexed module, uint64 version);

    /// @notice The module name is empty.
    error DirectoryEmptyName();

    /// @notice `module` holds no code, so it cannot be a deployed module.
    error DirectoryNotAContract(bytes32 name, address module);

    /// @notice A module must be registered with a version above every earlier one of its name.
    error DirectoryVersionNotIncreasing(bytes32 name, uint64 currentVersion, uint64 version);

    /// @notice No module is registered under `name`.
    error DirectoryUnknownModule(bytes32 name);

    /**
     * @notice Points `name` at `module` with `version` (restricted: directory editor).
     * @param name The module's name, for example `bytes32("CredentialRegistry")`.
     * @param module The module's address.
     * @param version Its version; must exceed the last version registered under `name`.
     */
    function register(bytes32 name, address module, uint64 version) external;

    /**
     * @notice Removes the module registered under `name` (restricted: directory editor). The name's last
     * version is kept, so a later registration must still exceed it.
     * @param name The module's name.
     */
    function remove(bytes32 name) external;

    /**
     * @notice The module registered under `name`; reverts with {DirectoryUnknownModule} when there is none.
     * @param name The module's name.
     * @return module The module's address.
     * @return version The module's version.
     */
    function moduleOf(bytes32 name) external view returns (address module, uint64 version);

    /**
     * @notice A name's entry, including removed ones (module zero, last version kept).
     * @param name The module's name.
     * @return The entry.
     */
    function entryOf(bytes32 name) external view returns (Entry memory);

    /**
     * @notice Every registered module.
     * @return names The modules' names.
     * @return entries Their entries, in the same order.
     */
    function modules() external view returns (bytes32[] memory names, Entry[] memory entries);
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";

/**
 * @title UpgradeableModule
 * @notice Base of every operated registry of trustbase: UUPS behind an ERC1967 proxy, governed by the suite's
 * AccessManager.
 * @dev An upgrade is `upgradeToAndCall` on the proxy, `restricted`: the deployment gives that selector to
 * {Roles.UPGRADER} with an execution delay, so it must be scheduled in the AccessManager, waited out (the
 * guardian may cancel) and executed. Implementations disable their initializers in the constructor, so
 * nobody can initialize (and take over) an implementation directly. Module state lives in ERC-7201
 * namespaced storage; settings fixed per implementation (time unit, signature scheme, registry addresses)
 * are immutables and change only with an upgrade.
 */
abstract contract UpgradeableModule is Initializable, AccessManagedUpgradeable, UUPSUpgradeable {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @dev Sets the AccessManager; call from the module's initializer.
    // solhint-disable-next-line func-name-mixedcase
    function __UpgradeableModule_init(address authority) internal onlyInitializing {
        __AccessManaged_init(authority);
    }

    /// @dev Only a caller the AccessManager allows (after the role's delay) may upgrade.
    function _authorizeUpgrade(address) internal override restricted {}
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";
import {IAuthority} from "@openzeppelin/contracts/access/manager/IAuthority.sol";

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

    /**
     * @dev AccessManaged's check behind every `restricted` function of every module, with the common case (the
     * AccessManager answers "immediately allowed") asked in one staticcall from free memory instead of through
     * AuthorityUtils' ABI-encoded call. Any other answer, or a failed call, takes the inherited path, which asks again and then
     * consumes a scheduled operation or reverts with `AccessManagedUnauthorized`: the behaviour is OpenZeppelin's.
     */
    function _checkCanCall(address account, bytes calldata data) internal override {
        address manager = authority();
        bytes4 selector = IAuthority.canCall.selector;
        bool immediate;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 0x04), shr(96, shl(96, account)))
            mstore(add(ptr, 0x24), address())
            // The called function's selector, left-aligned (`restricted` passes msg.data, at least 4 bytes).
            mstore(add(ptr, 0x44), shl(224, shr(224, calldataload(data.offset))))
            let success := staticcall(gas(), manager, ptr, 0x64, 0x00, 0x20)
            immediate := and(success, and(gt(returndatasize(), 0x1f), eq(mload(0x00), 1)))
        }
        if (!immediate) super._checkCanCall(account, data);
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {ICredentialRegistry} from "../../contracts/interfaces/ICredentialRegistry.sol";

/// @dev The initializer of the suite's proxied modules (UpgradeableModule).
interface ProxiedModuleLike {
    function initialize(address authority) external;
}

/**
 * @dev Deploys the suite's contracts for Solidity tests from their build artifacts (`deployCode`), behind ERC1967
 * proxies where the suite proxies them. Tests call them through interfaces whose names differ from every artifact's
 * (`BillOfLadingLike`, not `BillOfLading`): compiled into a test's own build, the sources of the registries and a
 * business module make one solc-js input larger than its wasm memory holds ("memory access out of bounds"); an interface
 * named like a contract would give two artifacts the same name.
 */
abstract contract ProxyDeployer is Test {
    /// @dev An ERC1967 proxy of `implementation`, initialized with `manager` as its authority.
    function _proxy(address implementation, AccessManager manager) internal returns (address) {
        bytes memory init = abi.encodeCall(ProxiedModuleLike.initialize, (address(manager)));
        return deployCode("ERC1967Proxy.sol:ERC1967Proxy", abi.encode(implementation, init));
    }

    /// @dev `artifact` (for example "TraceRegistry.sol:TraceRegistry") deployed with `constructorArgs` behind a proxy.
    function _deployProxied(string memory artifact, bytes memory constructorArgs, AccessManager manager) internal returns (address) {
        return _proxy(deployCode(artifact, constructorArgs), manager);
    }

    /// @dev The identity layer: a DIDRegistry (seconds, secp256k1) and a proxied CredentialRegistry governed by `manager`.
    function _deployIdentity(AccessManager manager) internal returns (address dids, ICredentialRegistry credentials) {
        dids = deployCode("DIDRegistry.sol:DIDRegistry", abi.encode(false, address(0)));
        credentials = ICredentialRegistry(
            _deployProxied("CredentialRegistry.sol:CredentialRegistry", abi.encode(dids, false, address(0)), manager)
        );
    }

    /// @dev Lets anyone call `selectors` of `target` (governance opened to the test, which is `manager`'s admin).
    function _open(AccessManager manager, address target, bytes4[] memory selectors) internal {
        manager.setTargetFunctionRole(target, selectors, manager.PUBLIC_ROLE());
    }
}

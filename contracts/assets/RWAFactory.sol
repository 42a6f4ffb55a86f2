// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {Roles} from "../governance/Roles.sol";
import {IRWAFactory} from "../interfaces/IRWAFactory.sol";
import {IRWAToken} from "../interfaces/IRWAToken.sol";
import {ITrustDirectory} from "../interfaces/ITrustDirectory.sol";
import {RWAToken} from "./RWAToken.sol";

/**
 * @title RWAFactory
 * @notice One transaction issues a new real-world asset (see {IRWAFactory}); only ASSET_ISSUER may.
 * @dev The factory gives each new token's functions their roles, which AccessManager reserves to its ADMIN role: the
 * deployment grants ADMIN to this contract. That is safe because the factory is immutable and its only call to the
 * AccessManager is `setTargetFunctionRole` on the proxy it has just created in the same call (never on an existing
 * target): agent functions to ASSET_AGENT, compliance settings to COMPLIANCE_ADMIN, `snapshot` to
 * ASSET_DISTRIBUTOR, `upgradeToAndCall` to UPGRADER (with its delay). It also needs DIRECTORY_EDITOR to list tokens.
 */
contract RWAFactory is AccessManaged, IRWAFactory {
    address private immutable _IMPLEMENTATION;
    ITrustDirectory private immutable _DIRECTORY;

    mapping(address token => bool) private _issued;
    address[] private _assets;

    /**
     * @param authority The suite's AccessManager.
     * @param implementation The RWAToken implementation.
     * @param directory The suite's TrustDirectory.
     */
    constructor(address authority, address implementation, ITrustDirectory directory) AccessManaged(authority) {
        _IMPLEMENTATION = implementation;
        _DIRECTORY = directory;
    }

    /// @inheritdoc IRWAFactory
    function issueAsset(AssetSpec calldata spec) external restricted returns (address token) {
        if (spec.directoryName == bytes32(0)) revert FactoryInvalidName();
        address manager = authority();
        token = address(
            new ERC1967Proxy(
                _IMPLEMENTATION,
                abi.encodeCall(RWAToken.initialize, (manager, spec.name, spec.symbol, spec.decimals, spec.topics, spec.rules))
            )
        );
        _issued[token] = true;
        _assets.push(token);
        _wireRoles(IAccessManager(manager), token);
        _DIRECTORY.register(spec.directoryName, token, 1);
        emit AssetIssued(token, spec.directoryName, msg.sender, spec.symbol);
    }

    /// @inheritdoc IRWAFactory
    function tokenImplementation() external view returns (address) {
        return _IMPLEMENTATION;
    }

    /// @inheritdoc IRWAFactory
    function isIssued(address token) external view returns (bool) {
        return _issued[token];
    }

    /// @inheritdoc IRWAFactory
    function assets() external view returns (address[] memory) {
        return _assets;
    }

    function _wireRoles(IAccessManager manager, address token) private {
        bytes4[] memory agent = new bytes4[](16);
        agent[0] = IRWAToken.mint.selector;
        agent[1] = IRWAToken.burn.selector;
        agent[2] = IRWAToken.forcedTransfer.selector;
        agent[3] = IRWAToken.setAddressFrozen.selector;
        agent[4] = IRWAToken.freezePartialTokens.selector;
        agent[5] = IRWAToken.unfreezePartialTokens.selector;
        agent[6] = IRWAToken.setFrozenTokens.selector;
        agent[7] = IRWAToken.recoveryAddress.selector;
        agent[8] = IRWAToken.batchMint.selector;
        agent[9] = IRWAToken.batchBurn.selector;
        agent[10] = IRWAToken.batchForcedTransfer.selector;
        agent[11] = IRWAToken.batchSetAddressFrozen.selector;
        agent[12] = IRWAToken.batchFreezePartialTokens.selector;
        agent[13] = IRWAToken.batchUnfreezePartialTokens.selector;
        agent[14] = IRWAToken.pause.selector;
        agent[15] = IRWAToken.unpause.selector;
        manager.setTargetFunctionRole(token, agent, Roles.ASSET_AGENT);

        bytes4[] memory complianceAdmin = new bytes4[](5);
        complianceAdmin[0] = IRWAToken.setRequiredTopics.selector;
        complianceAdmin[1] = IRWAToken.setSenderChecked.selector;
        complianceAdmin[2] = IRWAToken.addRule.selector;
        complianceAdmin[3] = IRWAToken.removeRule.selector;
        complianceAdmin[4] = IRWAToken.configureRule.selector;
        manager.setTargetFunctionRole(token, complianceAdmin, Roles.COMPLIANCE_ADMIN);

        bytes4[] memory one = new bytes4[](1);
        one[0] = IRWAToken.snapshot.selector;
        manager.setTargetFunctionRole(token, one, Roles.ASSET_DISTRIBUTOR);
        one[0] = 0x4f1ef286; // upgradeToAndCall(address,bytes)
        manager.setTargetFunctionRole(token, one, Roles.UPGRADER);
    }
}

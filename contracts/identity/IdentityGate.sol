// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IDIDRegistry} from "../interfaces/IDIDRegistry.sol";
import {ICredentialRegistry} from "../interfaces/ICredentialRegistry.sol";

/**
 * @title IdentityGate
 * @notice The one way a trustbase module asks "may this account act as X?": the account must control the
 * identity (its DID owner, or a valid "sigAuth" delegate acting for it) and the identity must hold a valid
 * credential on the topic. Modules keep no allow-lists of people of their own.
 * @dev Registry addresses are immutables (no storage read). A gated call costs two external calls: the DID
 * registry (one slot) and the credential registry proxy (two slots); see `gate.overhead` in bench/gas.json.
 */
abstract contract IdentityGate {
    /// @notice ERC-1056 delegate type with which an account may act for an identity in gated calls.
    bytes32 public constant ACTOR_DELEGATE_TYPE = "sigAuth";

    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IDIDRegistry private immutable _GATE_DIDS;
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    ICredentialRegistry private immutable _GATE_CREDENTIALS;

    /// @notice `actor` may not act for `identity` (not its owner nor a valid delegate, or it is deactivated).
    error IdentityGateNotController(address identity, address actor);

    /// @notice `identity` holds no valid credential on `topic`.
    error IdentityGateMissingCredential(address identity, uint32 topic);

    /// @param dids The suite's DID registry.
    /// @param credentials The suite's credential registry (its proxy).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IDIDRegistry dids, ICredentialRegistry credentials) {
        _GATE_DIDS = dids;
        _GATE_CREDENTIALS = credentials;
    }

    /// @dev Reverts unless `account`, acting as its own identity, holds a valid credential on `topic`.
    function _requireCredential(address account, uint32 topic) internal view {
        _requireCredential(account, account, topic);
    }

    /// @dev Reverts unless `actor` controls `identity` and `identity` holds a valid credential on `topic`.
    function _requireCredential(address identity, address actor, uint32 topic) internal view {
        if (!_GATE_DIDS.isController(identity, actor, ACTOR_DELEGATE_TYPE)) {
            revert IdentityGateNotController(identity, actor);
        }
        if (!_GATE_CREDENTIALS.hasValid(identity, topic)) revert IdentityGateMissingCredential(identity, topic);
    }

    /// @dev The DID registry the gate resolves accounts with.
    function _didRegistry() internal view returns (IDIDRegistry) {
        return _GATE_DIDS;
    }

    /// @dev The credential registry the gate asks.
    function _credentialRegistry() internal view returns (ICredentialRegistry) {
        return _GATE_CREDENTIALS;
    }
}

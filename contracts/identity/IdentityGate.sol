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
        if (!_controls(identity, actor)) revert IdentityGateNotController(identity, actor);
        if (!_holdsValid(identity, topic)) revert IdentityGateMissingCredential(identity, topic);
    }

    /**
     * @dev Whether `actor` controls `identity` (its owner, or a valid `sigAuth` delegate) in the DID registry.
     * This and {_holdsValid} ask in one staticcall from free memory: every gated call of every module asks them,
     * and an interface call would ABI-encode in newly allocated memory, copy the return data and decode it (~300
     * gas). They fail as the interface call does: the registry's revert bubbles up unchanged; an answer shorter
     * than a word, or not a bool, reverts without data.
     */
    function _controls(address identity, address actor) internal view returns (bool yes) {
        address registry = address(_GATE_DIDS);
        bytes4 selector = IDIDRegistry.isController.selector;
        bytes32 delegateType = ACTOR_DELEGATE_TYPE;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 0x04), shr(96, shl(96, identity)))
            mstore(add(ptr, 0x24), shr(96, shl(96, actor)))
            mstore(add(ptr, 0x44), delegateType)
            if iszero(staticcall(gas(), registry, ptr, 0x64, 0x00, 0x20)) {
                returndatacopy(ptr, 0x00, returndatasize())
                revert(ptr, returndatasize())
            }
            yes := mload(0x00)
            if or(lt(returndatasize(), 0x20), gt(yes, 1)) {
                revert(0x00, 0x00)
            }
        }
    }

    /// @dev Whether `identity` holds a valid credential on `topic` in the credential registry (see {_controls}).
    function _holdsValid(address identity, uint32 topic) internal view returns (bool yes) {
        address registry = address(_GATE_CREDENTIALS);
        bytes4 selector = ICredentialRegistry.hasValid.selector;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 0x04), shr(96, shl(96, identity)))
            mstore(add(ptr, 0x24), and(topic, 0xffffffff))
            if iszero(staticcall(gas(), registry, ptr, 0x44, 0x00, 0x20)) {
                returndatacopy(ptr, 0x00, returndatasize())
                revert(ptr, returndatasize())
            }
            yes := mload(0x00)
            if or(lt(returndatasize(), 0x20), gt(yes, 1)) {
                revert(0x00, 0x00)
            }
        }
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

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IdentityGate} from "../identity/IdentityGate.sol";
import {IDIDRegistry} from "../interfaces/IDIDRegistry.sol";
import {ICredentialRegistry} from "../interfaces/ICredentialRegistry.sol";

/// @dev Test double: the same state change gated and ungated, to measure and test the IdentityGate.
contract GatedActionMock is IdentityGate {
    uint32 public immutable topic;
    mapping(address => uint256) public actions;

    event Acted(address indexed identity, address indexed actor);

    constructor(IDIDRegistry dids, ICredentialRegistry credentials, uint32 topic_) IdentityGate(dids, credentials) {
        topic = topic_;
    }

    function act() external {
        _requireCredential(msg.sender, topic);
        ++actions[msg.sender];
        emit Acted(msg.sender, msg.sender);
    }

    function actFor(address identity) external {
        _requireCredential(identity, msg.sender, topic);
        ++actions[identity];
        emit Acted(identity, msg.sender);
    }

    /// @dev The registries the gate asks, as the module sees them.
    function registries() external view returns (IDIDRegistry dids, ICredentialRegistry credentials) {
        return (_didRegistry(), _credentialRegistry());
    }

    function actUngated() external {
        ++actions[msg.sender];
        emit Acted(msg.sender, msg.sender);
    }
}

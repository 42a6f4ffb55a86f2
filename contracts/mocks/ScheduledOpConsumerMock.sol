// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";

/// @dev Test double: a contract that says it is consuming a scheduled operation (as a managed target does while it
/// runs one) and asks an AccessManager to consume an operation: the manager consumes only operations whose target
/// is this contract.
contract ScheduledOpConsumerMock {
    function isConsumingScheduledOp() external pure returns (bytes4) {
        return this.isConsumingScheduledOp.selector;
    }

    function consume(IAccessManager manager, address caller, bytes calldata data) external {
        manager.consumeScheduledOp(caller, data);
    }
}

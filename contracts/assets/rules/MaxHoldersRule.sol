// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ComplianceRule} from "./ComplianceRule.sol";
import {IComplianceRule} from "../../interfaces/IComplianceRule.sol";
import {ComplianceHooks} from "../../interfaces/ComplianceHooks.sol";
import {ComplianceCodes} from "../../interfaces/ComplianceCodes.sol";

/**
 * @title MaxHoldersRule
 * @notice The token may not have more than a maximum number of holders (accounts with a balance). Asked only
 * when the receiver is a new holder (the token counts holders itself and passes the count).
 * Settings: `abi.encode(uint256 maxHolders)`, non-zero.
 */
contract MaxHoldersRule is ComplianceRule {
    /// @notice The maximum number of holders of each token.
    mapping(address token => uint256) public maxHoldersOf;

    /// @inheritdoc IComplianceRule
    function hooks() external pure returns (uint8) {
        return ComplianceHooks.CHECK_TRANSFER | ComplianceHooks.CHECK_MINT | ComplianceHooks.NEW_HOLDER_ONLY;
    }

    /// @inheritdoc IComplianceRule
    function name() external pure returns (bytes32) {
        return "max-holders";
    }

    /// @inheritdoc IComplianceRule
    function check(address from, address, uint256 amount, TransferContext calldata context) external view override returns (uint8) {
        if (context.toBalance != 0 || amount == 0) return 0;
        // A sender that gives away its whole balance leaves: the count does not grow.
        if (from != address(0) && context.fromBalance == amount) return 0;
        return context.holders + 1 > maxHoldersOf[msg.sender] ? ComplianceCodes.MAX_HOLDERS : 0;
    }

    function _configure(address token, bytes calldata settings) internal override {
        if (settings.length != 32) revert RuleInvalidSettings(token);
        uint256 maxHolders = abi.decode(settings, (uint256));
        if (maxHolders == 0) revert RuleInvalidSettings(token);
        maxHoldersOf[token] = maxHolders;
    }
}

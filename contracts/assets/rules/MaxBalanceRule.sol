// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ComplianceRule} from "./ComplianceRule.sol";
import {IComplianceRule} from "../../interfaces/IComplianceRule.sol";
import {ComplianceHooks} from "../../interfaces/ComplianceHooks.sol";
import {ComplianceCodes} from "../../interfaces/ComplianceCodes.sol";

/**
 * @title MaxBalanceRule
 * @notice No holder may hold more than the token's maximum balance, by transfer or by mint.
 * Settings: `abi.encode(uint256 maxBalance)`, non-zero.
 */
contract MaxBalanceRule is ComplianceRule {
    /// @notice The maximum balance of each token.
    mapping(address token => uint256) public maxBalanceOf;

    /// @inheritdoc IComplianceRule
    function hooks() external pure returns (uint8) {
        return ComplianceHooks.CHECK_TRANSFER | ComplianceHooks.CHECK_MINT;
    }

    /// @inheritdoc IComplianceRule
    function name() external pure returns (bytes32) {
        return "max-balance";
    }

    /// @inheritdoc IComplianceRule
    function check(address, address, uint256 amount, TransferContext calldata context) external view override returns (uint8) {
        return context.toBalance + amount > maxBalanceOf[msg.sender] ? ComplianceCodes.MAX_BALANCE : 0;
    }

    function _configure(address token, bytes calldata settings) internal override {
        if (settings.length != 32) revert RuleInvalidSettings(token);
        uint256 maxBalance = abi.decode(settings, (uint256));
        if (maxBalance == 0) revert RuleInvalidSettings(token);
        maxBalanceOf[token] = maxBalance;
    }
}

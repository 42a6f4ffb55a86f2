// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ComplianceRule} from "./ComplianceRule.sol";
import {IComplianceRule} from "../../interfaces/IComplianceRule.sol";
import {ComplianceHooks} from "../../interfaces/ComplianceHooks.sol";
import {ComplianceCodes} from "../../interfaces/ComplianceCodes.sol";

/**
 * @title SupplyCapRule
 * @notice Mints may not take the token's total supply over its cap (the size of the underlying asset).
 * Asked on mints only: a transfer costs nothing. Settings: `abi.encode(uint256 cap)`, non-zero.
 */
contract SupplyCapRule is ComplianceRule {
    /// @notice The supply cap of each token.
    mapping(address token => uint256) public capOf;

    /// @inheritdoc IComplianceRule
    function hooks() external pure returns (uint8) {
        return ComplianceHooks.CHECK_MINT;
    }

    /// @inheritdoc IComplianceRule
    function name() external pure returns (bytes32) {
        return "supply-cap";
    }

    /// @inheritdoc IComplianceRule
    function check(address, address, uint256 amount, TransferContext calldata context) external view override returns (uint8) {
        return context.totalSupply + amount > capOf[msg.sender] ? ComplianceCodes.SUPPLY_CAP : 0;
    }

    function _configure(address token, bytes calldata settings) internal override {
        if (settings.length != 32) revert RuleInvalidSettings(token);
        uint256 cap = abi.decode(settings, (uint256));
        if (cap == 0) revert RuleInvalidSettings(token);
        capOf[token] = cap;
    }
}

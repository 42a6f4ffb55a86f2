// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IComplianceRule} from "../../interfaces/IComplianceRule.sol";

/**
 * @title ComplianceRule
 * @notice Base of trustbase's compliance rules: a rule implements {hooks}, {name}, {check}, {_configure} and the
 * state hooks it declared; the others refuse to be called. Settings and state are keyed by the calling token (`msg.sender`):
 * anyone may call a rule, but only ever about its own key, so plugging a rule into a token gives the token, and
 * nobody else, control of its settings.
 */
abstract contract ComplianceRule is IComplianceRule {
    /// @notice The rule did not declare the hook `selector` and refuses it.
    error RuleHookUnsupported(bytes4 selector);

    /// @inheritdoc IComplianceRule
    function configure(bytes calldata settings) external {
        _configure(msg.sender, settings);
        emit RuleConfigured(msg.sender, settings);
    }

    /// @inheritdoc IComplianceRule
    function transferred(address, address, uint256, TransferContext calldata) external virtual {
        revert RuleHookUnsupported(this.transferred.selector);
    }

    /// @inheritdoc IComplianceRule
    function created(address, uint256, TransferContext calldata) external virtual {
        revert RuleHookUnsupported(this.created.selector);
    }

    /// @inheritdoc IComplianceRule
    function destroyed(address, uint256, TransferContext calldata) external virtual {
        revert RuleHookUnsupported(this.destroyed.selector);
    }

    /// @inheritdoc IComplianceRule
    function recovered(address, address) external virtual {
        revert RuleHookUnsupported(this.recovered.selector);
    }

    /// @dev Validates and stores `token`'s settings; reverts {RuleInvalidSettings} on nonsense.
    function _configure(address token, bytes calldata settings) internal virtual;
}

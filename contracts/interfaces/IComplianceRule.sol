// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title IComplianceRule
 * @notice One transfer rule of trustbase RWA tokens (maximum balance, maximum holders, jurisdictions, lock-up,
 * transfer limits, supply cap, or your own). A rule is a small contract shared by every token that plugs it in;
 * its settings and state are kept per token, keyed by the calling token (`msg.sender`), so a caller can only ever
 * read or change the settings and state of its own key.
 * @dev The token asks a rule only what it declared in {hooks}: a rule that never needs to see transfers costs a
 * transfer nothing. Checks are views returning a reason code (0 = allowed, ERC-1404 style); the token reverts
 * with the rule and its code. Amounts and balances in the context are those before the operation.
 */
interface IComplianceRule {
    /// @notice What the token knows when it asks a rule; balances and counts are before the operation.
    struct TransferContext {
        address fromIdentity; // the sender's DID identity (zero on mint)
        address toIdentity; // the receiver's DID identity (zero on burn)
        uint256 fromBalance;
        uint256 toBalance;
        uint256 totalSupply; // on transfers only for rules declaring WANTS_SUPPLY (else 0)
        uint256 holders; // accounts with a non-zero balance
        bool forced; // an agent's forced transfer or recovery (checks are not asked, state hooks are)
    }

    /// @notice The settings given to {configure} cannot be decoded or make no sense.
    /// @param token The token whose settings were refused.
    error RuleInvalidSettings(address token);

    /// @notice `token` changed its settings of this rule.
    event RuleConfigured(address indexed token, bytes settings);

    /**
     * @notice Which hooks the token must call, as a bit set of the constants of {ComplianceHooks}.
     * @return The hooks this rule needs.
     */
    function hooks() external view returns (uint8);

    /// @notice Short name of the rule (for example "max-balance").
    /// @return The rule's name.
    function name() external view returns (bytes32);

    /**
     * @notice Sets the calling token's settings (ABI-encoded, each rule documents its own).
     * @param settings The new settings of `msg.sender`.
     */
    function configure(bytes calldata settings) external;

    /**
     * @notice Whether the calling token may move `amount` from `from` to `to` (`from` zero for a mint).
     * @return code 0 when allowed, otherwise the rule's reason code (see {ComplianceCodes}).
     */
    function check(
        address from,
        address to,
        uint256 amount,
        TransferContext calldata context
    ) external view returns (uint8 code);

    /// @notice Called by the token after a transfer (forced included) when the rule asked for it.
    function transferred(address from, address to, uint256 amount, TransferContext calldata context) external;

    /// @notice Called by the token after a mint when the rule asked for it.
    function created(address to, uint256 amount, TransferContext calldata context) external;

    /// @notice Called by the token after a burn when the rule asked for it.
    function destroyed(address from, uint256 amount, TransferContext calldata context) external;

    /// @notice Called by the token when an agent moved a lost wallet's holding to the identity's new wallet.
    function recovered(address lostWallet, address newWallet) external;
}

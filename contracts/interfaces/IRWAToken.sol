// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IComplianceRule} from "./IComplianceRule.sol";

/**
 * @title IRWAToken
 * @notice A permissioned ERC-20 for a real-world asset: holders are verified DID identities (valid credentials
 * on the token's topics), transfers pass pluggable compliance rules, an agent can freeze, force and recover.
 * The surface of ERC-3643 (T-REX) and ERC-7943 (uRWA), with ERC-1404 reason codes.
 */
interface IRWAToken {
    /// @notice A rule plugged into the token and the hooks it asked for (one slot).
    struct RuleEntry {
        IComplianceRule rule;
        uint8 hooks;
    }

    /// @notice A rule and its settings, to plug in at initialization.
    struct RuleInit {
        IComplianceRule rule;
        bytes settings;
    }

    // ───────────── ERC-3643 events ─────────────

    /// @notice ERC-3643: `userAddress` was frozen or unfrozen as a whole by `owner` (the agent).
    event AddressFrozen(address indexed userAddress, bool indexed isFrozen, address indexed owner);
    /// @notice ERC-3643: `amount` more of `userAddress`'s tokens are frozen.
    event TokensFrozen(address indexed userAddress, uint256 amount);
    /// @notice ERC-3643: `amount` of `userAddress`'s tokens are no longer frozen.
    event TokensUnfrozen(address indexed userAddress, uint256 amount);
    /// @notice ERC-3643: the holding of `lostWallet` moved to `newWallet` of the same identity.
    event RecoverySuccess(address indexed lostWallet, address indexed newWallet, address indexed investorOnchainID);
    /// @notice ERC-3643: transfers paused by `userAddress`.
    event Paused(address userAddress);
    /// @notice ERC-3643: transfers resumed by `userAddress`.
    event Unpaused(address userAddress);

    // ───────────── ERC-7943 events ─────────────

    /// @notice ERC-7943: the agent moved `amount` from `from` to `to` regardless of the holder.
    event ForcedTransfer(address indexed from, address indexed to, uint256 amount);
    /// @notice ERC-7943: `account` now has `amount` tokens frozen.
    event Frozen(address indexed account, uint256 amount);

    // ───────────── trustbase events ─────────────

    /// @notice The credential topics a holder must hold changed.
    event RequiredTopicsChanged(uint32[] topics);
    /// @notice Whether senders must hold the topics too (not only control their identity) changed.
    event SenderCheckChanged(bool checked);
    /// @notice `rule` was plugged in with `hooks`.
    event RuleAdded(address indexed rule, uint8 hooks);
    /// @notice `rule` was unplugged.
    event RuleRemoved(address indexed rule);
    /// @notice A snapshot (record point for distributions) was taken.
    event Snapshot(uint32 indexed id);

    // ───────────── ERC-7943 errors ─────────────

    /// @notice ERC-7943: `account` may send `amount` only within its unfrozen balance `unfrozen`.
    error ERC7943InsufficientUnfrozenBalance(address account, uint256 amount, uint256 unfrozen);

    // ───────────── trustbase errors ─────────────

    /// @notice Transfers are paused.
    error RWAPaused();
    /// @notice Transfers are not paused (unpause refused).
    error RWANotPaused();
    /// @notice `account` is frozen as a whole: it may neither send nor receive.
    error RWAAddressFrozen(address account);
    /// @notice `account` is already in the frozen state `frozen` (no silent no-op).
    error RWAFrozenStateUnchanged(address account, bool frozen);
    /// @notice Freezing `amount` more would freeze more than `account`'s balance `balance`.
    error RWAFreezeExceedsBalance(address account, uint256 amount, uint256 balance);
    /// @notice `account` already has exactly `amount` frozen (setFrozenTokens would change nothing).
    error RWAFrozenAmountUnchanged(address account, uint256 amount);
    /// @notice `account` has only `frozen` frozen, less than `amount`.
    error RWAUnfreezeExceedsFrozen(address account, uint256 amount, uint256 frozen);
    /// @notice `rule` refused the transfer with reason `code`.
    error RWAComplianceRefused(address rule, uint8 code);
    /// @notice Source and destination are the same account `account` (forced transfer, recovery).
    error RWASameAccount(address account);
    /// @notice Zero amount where something must move.
    error RWAZeroAmount();
    /// @notice Zero address where an account is needed.
    error RWAZeroAddress();
    /// @notice A batch was empty.
    error RWABatchEmpty();
    /// @notice The arrays of a batch differ in length.
    error RWABatchLengthMismatch();
    /// @notice Minting `amount` would take the supply over `limit` (balances are kept in 128 bits).
    error RWASupplyOverflow(uint256 amount, uint256 limit);
    /// @notice A topic list is empty, longer than four, or holds a zero or repeated topic.
    error RWAInvalidTopics();
    /// @notice `rule` is already plugged in.
    error RWARuleAlreadyAdded(address rule);
    /// @notice `rule` is not plugged in.
    error RWARuleNotFound(address rule);
    /// @notice At most eight rules per token.
    error RWATooManyRules();
    /// @notice `rule` is not a contract, or asked for no hooks.
    error RWAInvalidRule(address rule);
    /// @notice `newWallet` is not the current owner of `identity` in the DID registry.
    error RWANotIdentityOwner(address identity, address newWallet);
    /// @notice `lostWallet` does not belong to `identity`.
    error RWAWalletNotOfIdentity(address lostWallet, address identity);
    /// @notice `lostWallet` holds nothing to recover.
    error RWANothingToRecover(address lostWallet);
    /// @notice The sender-check setting is already `checked`.
    error RWASettingUnchanged();
    /// @notice Snapshot `id` has not been taken yet.
    error RWAFutureSnapshot(uint32 id, uint32 current);

    // ───────────── ERC-20 extensions ─────────────

    /**
     * @notice ERC-3643: sends `amounts[i]` to `toList[i]`, each as a separate transfer with every check.
     * @param toList Receivers (repeats allowed: each transfer is checked against the state left by the previous).
     * @param amounts Amounts, one per receiver.
     */
    function batchTransfer(address[] calldata toList, uint256[] calldata amounts) external;

    // ───────────── agent (ERC-3643) ─────────────

    /// @notice Mints `amount` to `to`, which must be eligible and pass the rules that check mints.
    function mint(address to, uint256 amount) external;

    /// @notice Burns `amount` of `userAddress`'s unfrozen tokens.
    function burn(address userAddress, uint256 amount) external;

    /**
     * @notice Moves `amount` from `from` to `to` regardless of `from` (court order, error): `to` must be eligible,
     * rules are not asked but their state hooks are called. Frozen tokens move only here, and their freeze is
     * lifted by the part of `amount` beyond the unfrozen balance (`TokensUnfrozen`). `from` == `to` is refused.
     * @return Always true (reverts otherwise).
     */
    function forcedTransfer(address from, address to, uint256 amount) external returns (bool);

    /// @notice Freezes or unfreezes `userAddress` as a whole (neither sends nor receives).
    function setAddressFrozen(address userAddress, bool freeze) external;

    /// @notice Freezes `amount` more of `userAddress`'s tokens; the frozen total may not exceed the balance.
    function freezePartialTokens(address userAddress, uint256 amount) external;

    /// @notice Unfreezes `amount` of `userAddress`'s frozen tokens.
    function unfreezePartialTokens(address userAddress, uint256 amount) external;

    /**
     * @notice ERC-7943: sets `account`'s frozen amount to `amount` (at most its balance).
     * @return Always true (reverts otherwise).
     */
    function setFrozenTokens(address account, uint256 amount) external returns (bool);

    /**
     * @notice ERC-3643: after `investorOnchainID`'s DID owner rotated to `newWallet`, moves the whole holding of
     * `lostWallet` there, with its freezes, its whole-address freeze, and the rules' lock-ups and counters.
     * @return Always true (reverts otherwise).
     */
    function recoveryAddress(address lostWallet, address newWallet, address investorOnchainID) external returns (bool);

    /// @notice ERC-3643 batch of {mint}.
    function batchMint(address[] calldata toList, uint256[] calldata amounts) external;
    /// @notice ERC-3643 batch of {burn}.
    function batchBurn(address[] calldata userAddresses, uint256[] calldata amounts) external;
    /// @notice ERC-3643 batch of {forcedTransfer}.
    function batchForcedTransfer(address[] calldata fromList, address[] calldata toList, uint256[] calldata amounts) external;
    /// @notice ERC-3643 batch of {setAddressFrozen}.
    function batchSetAddressFrozen(address[] calldata userAddresses, bool[] calldata freeze) external;
    /// @notice ERC-3643 batch of {freezePartialTokens}.
    function batchFreezePartialTokens(address[] calldata userAddresses, uint256[] calldata amounts) external;
    /// @notice ERC-3643 batch of {unfreezePartialTokens}.
    function batchUnfreezePartialTokens(address[] calldata userAddresses, uint256[] calldata amounts) external;

    /// @notice ERC-3643: stops every transfer (agent operations go on).
    function pause() external;
    /// @notice ERC-3643: resumes transfers.
    function unpause() external;

    // ───────────── compliance administration ─────────────

    /// @notice Sets the credential topics a holder must hold (one to four, non-zero, distinct).
    function setRequiredTopics(uint32[] calldata topics) external;
    /// @notice Whether senders must hold the topics too (they always must control their identity).
    function setSenderChecked(bool checked) external;
    /// @notice Plugs `rule` in and gives it `settings`.
    function addRule(IComplianceRule rule, bytes calldata settings) external;
    /// @notice Unplugs `rule` (its state for this token stays in the rule).
    function removeRule(IComplianceRule rule) external;
    /// @notice Gives `rule` (plugged in) new `settings`.
    function configureRule(IComplianceRule rule, bytes calldata settings) external;

    /**
     * @notice Takes a snapshot of every balance (a record point for distributions); costs nothing until an
     * account's balance next changes, which then records its balance at the snapshot once.
     * @return id The snapshot's id.
     */
    function snapshot() external returns (uint32 id);

    // ───────────── views ─────────────

    /// @notice ERC-3643: whether `userAddress` is frozen as a whole.
    function isFrozen(address userAddress) external view returns (bool);
    /// @notice ERC-3643 / ERC-7943: amount of `userAddress`'s tokens frozen.
    function getFrozenTokens(address userAddress) external view returns (uint256);
    /// @notice ERC-7943: whether `account` may send now (not frozen, controls its identity, holds the topics if checked).
    function canSend(address account) external view returns (bool);
    /// @notice ERC-7943: whether `account` may receive now (not frozen, controls its identity, holds the topics).
    function canReceive(address account) external view returns (bool);
    /// @notice ERC-7943 / ERC-3643 compliance: whether `from` may send `amount` to `to` now.
    function canTransfer(address from, address to, uint256 amount) external view returns (bool);
    /// @notice ERC-1404: reason code why `from` may not send `value` to `to` now (0 when it may).
    function detectTransferRestriction(address from, address to, uint256 value) external view returns (uint8);
    /// @notice ERC-1404: human-readable message of `restrictionCode`.
    function messageForTransferRestriction(uint8 restrictionCode) external view returns (string memory);
    /// @notice ERC-3643 identity registry: whether `userAddress` is an eligible holder now.
    function isVerified(address userAddress) external view returns (bool);
    /// @notice ERC-3643: the identity registry (this token answers `isVerified` itself).
    function identityRegistry() external view returns (address);
    /// @notice ERC-3643: the compliance (this token answers `canTransfer` itself, asking its rules).
    function compliance() external view returns (address);
    /// @notice The DID identity `wallet` holds for (itself unless linked by a recovery).
    function identityOf(address wallet) external view returns (address);
    /// @notice The credential topics a holder must hold.
    function requiredTopics() external view returns (uint32[] memory);
    /// @notice Whether senders must hold the topics too.
    function senderChecked() external view returns (bool);
    /// @notice The rules plugged in, with their hooks.
    function rules() external view returns (RuleEntry[] memory);
    /// @notice Number of accounts with a non-zero balance.
    function holderCount() external view returns (uint256);
    /// @notice Id of the latest snapshot (0: none yet).
    function currentSnapshot() external view returns (uint32);
    /// @notice `account`'s balance at snapshot `id`.
    function balanceOfAt(address account, uint32 id) external view returns (uint256);
    /// @notice ERC-3643: whether transfers are paused.
    function paused() external view returns (bool);
    /// @notice ERC-3643: the token's version.
    function version() external view returns (string memory);
}

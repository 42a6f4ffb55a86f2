// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {UpgradeableModule} from "../governance/UpgradeableModule.sol";
import {IdentityGate} from "../identity/IdentityGate.sol";
import {IRWAToken} from "../interfaces/IRWAToken.sol";
import {RWARestrictions} from "./RWARestrictions.sol";
import {IComplianceRule} from "../interfaces/IComplianceRule.sol";
import {ComplianceHooks} from "../interfaces/ComplianceHooks.sol";
import {ComplianceCodes} from "../interfaces/ComplianceCodes.sol";
import {IDIDRegistry} from "../interfaces/IDIDRegistry.sol";
import {ICredentialRegistry} from "../interfaces/ICredentialRegistry.sol";

/**
 * @title RWAToken
 * @notice A real-world asset as a permissioned ERC-20 (ERC-3643 and ERC-7943 surface, ERC-1404 reason codes).
 * UUPS behind an ERC1967 proxy, governed by the suite's AccessManager (agent, compliance and distributor roles);
 * holders are DID identities with valid credentials on the token's topics, asked through the IdentityGate's
 * registries on every mint and transfer; transfers pass the compliance rules plugged in.
 * @dev Gas-minded layout: the configuration (topics, flags, rule count and the union of their hooks, snapshot id,
 * holder count, decimals) is one slot; each holder's balance shares one slot with its freeze state (frozen
 * amount, whole-address freeze, identity link, last snapshot seen), so a transfer reads and writes two account
 * slots, not four: the token keeps its ledger there (balances below 2^112) instead of in ERC20Upgradeable's
 * mappings, whose allowances, metadata, events and errors it keeps. Rules are one slot each and asked only for
 * the hooks they declared; the total supply is read on mints and burns, or for rules that ask for it. Receivers are always
 * checked in full (identity control and every topic); senders are checked for identity control (a rotated,
 * lost key can no longer move anything) and, when `senderChecked` is on, for the topics too: off by default
 * so that a holder whose credential lapsed can still sell to a verified buyer (orderly exit, as ERC-3643
 * does); an agent who must stop a holder freezes the address. Every balance change flows through {_move},
 * which records snapshots lazily (a balance is written once per account per snapshot, the first time it
 * changes after it) for pro-rata distributions.
 */
contract RWAToken is UpgradeableModule, ERC20Upgradeable, IdentityGate, IRWAToken, IERC165 {
    using Checkpoints for Checkpoints.Trace208;

    /// @dev One slot.
    struct Config {
        uint128 topics; // up to four uint32 topics, lowest first; 0 = unused
        uint16 snapshotId;
        uint64 holders;
        uint8 ruleCount;
        uint8 decimals;
        uint8 hooks; // union of the rules' hooks
        bool paused;
        bool senderChecked;
    }

    /// @dev One slot per account: the balance and the freeze state.
    struct Holder {
        uint112 balance;
        uint112 frozen;
        uint16 lastSnapshot;
        bool addressFrozen;
        bool linked; // `identities[wallet]` holds the identity (after a recovery)
    }

    /// @custom:storage-location erc7201:trustbase.storage.RWAToken
    struct RWATokenStorage {
        Config config;
        uint256 totalSupply;
        RuleEntry[8] rules;
        mapping(address account => Holder) holders;
        mapping(address wallet => address identity) identities;
        mapping(address account => Checkpoints.Trace208) history;
    }

    // keccak256(abi.encode(uint256(keccak256("trustbase.storage.RWAToken")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x134d4fef7583ea1138282309b0b0dec26ac9f37b43b3f40183a639b82b87d300;

    uint256 private constant MAX_RULES = 8;

    /// @dev Kinds of balance change for {_move}.
    uint8 private constant _NORMAL = 0;
    uint8 private constant _FORCED = 1;
    uint8 private constant _RECOVERY = 2;


    uint256 private constant MAX_SUPPLY = type(uint112).max;

    /// @dev Bit offsets in the packed words of {Config} and {Holder}, for the hot paths that read them raw.
    uint256 private constant _CONFIG_SNAPSHOT = 128;
    uint256 private constant _CONFIG_HOLDERS = 144;
    uint256 private constant _CONFIG_RULE_COUNT = 208;
    uint256 private constant _CONFIG_HOOKS = 224;
    uint256 private constant _HOLDER_FROZEN = 112;
    uint256 private constant _HOLDER_SNAPSHOT = 224;
    uint256 private constant _HOLDER_ADDRESS_FROZEN = 240;
    uint256 private constant _HOLDER_LINKED = 248;


    /**
     * @param dids The suite's DID registry.
     * @param credentials The suite's credential registry (its proxy).
     * @custom:oz-upgrades-unsafe-allow constructor
     */
    constructor(IDIDRegistry dids, ICredentialRegistry credentials) IdentityGate(dids, credentials) {}

    /**
     * @notice Initializes the proxy's state.
     * @param authority The suite's AccessManager.
     * @param name_ ERC-20 name.
     * @param symbol_ ERC-20 symbol.
     * @param decimals_ ERC-20 decimals.
     * @param topics Credential topics a holder must hold (one to four).
     * @param initialRules Rules to plug in, with their settings.
     */
    function initialize(
        address authority,
        string calldata name_,
        string calldata symbol_,
        uint8 decimals_,
        uint32[] calldata topics,
        RuleInit[] calldata initialRules
    ) external initializer {
        __UpgradeableModule_init(authority);
        __ERC20_init(name_, symbol_);
        RWATokenStorage storage $ = _storage();
        $.config.decimals = decimals_;
        _setTopics($, topics);
        for (uint256 i; i < initialRules.length; ++i) {
            _addRule($, initialRules[i].rule, initialRules[i].settings);
        }
    }

    // ───────────────────────────── ERC-20 ─────────────────────────────

    /// @notice ERC-20 balance of `account`.
    function balanceOf(address account) public view override returns (uint256) {
        return _storage().holders[account].balance;
    }

    /// @notice ERC-20 total supply.
    function totalSupply() public view override returns (uint256) {
        return _storage().totalSupply;
    }

    /// @notice ERC-20 decimals, set at issuance.
    function decimals() public view override returns (uint8) {
        return _storage().config.decimals;
    }

    /// @inheritdoc IRWAToken
    function batchTransfer(address[] calldata toList, uint256[] calldata amounts) external {
        _batch(toList, amounts, _transferFromSender);
    }

    /**
     * @dev Every holder-initiated transfer (transfer, transferFrom, batchTransfer; never mints or burns: the
     * agent's paths call {_move} after their own checks) is checked here, then moved.
     */
    function _update(address from, address to, uint256 value) internal override {
        (uint8 code, address subject, uint256 detail) = _restriction(from, to, value);
        if (code != ComplianceCodes.OK) RWARestrictions.refuse(code, from, to, subject, detail, value);
        _move(from, to, value, _NORMAL);
    }

    // ───────────────────────────── agent ─────────────────────────────

    /// @inheritdoc IRWAToken
    function mint(address to, uint256 amount) external restricted {
        _mintChecked(to, amount);
    }

    /// @inheritdoc IRWAToken
    function batchMint(address[] calldata toList, uint256[] calldata amounts) external restricted {
        _batch(toList, amounts, _mintChecked);
    }

    /// @inheritdoc IRWAToken
    function burn(address userAddress, uint256 amount) external restricted {
        _burnChecked(userAddress, amount);
    }

    /// @inheritdoc IRWAToken
    function batchBurn(address[] calldata userAddresses, uint256[] calldata amounts) external restricted {
        _batch(userAddresses, amounts, _burnChecked);
    }

    /// @inheritdoc IRWAToken
    function forcedTransfer(address from, address to, uint256 amount) external restricted returns (bool) {
        _forcedTransfer(from, to, amount);
        return true;
    }

    /// @inheritdoc IRWAToken
    function batchForcedTransfer(
        address[] calldata fromList,
        address[] calldata toList,
        uint256[] calldata amounts
    ) external restricted {
        _requireBatch(fromList.length, amounts.length);
        if (toList.length != amounts.length) revert RWABatchLengthMismatch();
        for (uint256 i; i < fromList.length; ++i) _forcedTransfer(fromList[i], toList[i], amounts[i]);
    }

    /// @inheritdoc IRWAToken
    function setAddressFrozen(address userAddress, bool freeze) external restricted {
        _setAddressFrozen(userAddress, freeze);
    }

    /// @inheritdoc IRWAToken
    function batchSetAddressFrozen(address[] calldata userAddresses, bool[] calldata freeze) external restricted {
        _requireBatch(userAddresses.length, freeze.length);
        for (uint256 i; i < userAddresses.length; ++i) _setAddressFrozen(userAddresses[i], freeze[i]);
    }

    /// @inheritdoc IRWAToken
    function freezePartialTokens(address userAddress, uint256 amount) external restricted {
        _freeze(userAddress, amount);
    }

    /// @inheritdoc IRWAToken
    function batchFreezePartialTokens(address[] calldata userAddresses, uint256[] calldata amounts) external restricted {
        _batch(userAddresses, amounts, _freeze);
    }

    /// @inheritdoc IRWAToken
    function unfreezePartialTokens(address userAddress, uint256 amount) external restricted {
        _unfreeze(userAddress, amount);
    }

    /// @inheritdoc IRWAToken
    function batchUnfreezePartialTokens(address[] calldata userAddresses, uint256[] calldata amounts) external restricted {
        _batch(userAddresses, amounts, _unfreeze);
    }

    /// @inheritdoc IRWAToken
    function setFrozenTokens(address account, uint256 amount) external restricted returns (bool) {
        uint256 frozen = _storage().holders[account].frozen;
        if (amount > frozen) _freeze(account, amount - frozen);
        else if (amount < frozen) _unfreeze(account, frozen - amount);
        else revert RWAFrozenAmountUnchanged(account, amount); // no silent no-op
        return true;
    }

    /// @inheritdoc IRWAToken
    function recoveryAddress(
        address lostWallet,
        address newWallet,
        address investorOnchainID
    ) external restricted returns (bool) {
        if (lostWallet == newWallet) revert RWASameAccount(lostWallet);
        if (newWallet == address(0)) revert RWAZeroAddress();
        RWATokenStorage storage $ = _storage();
        if (_identityOf($, lostWallet) != investorOnchainID) revert RWAWalletNotOfIdentity(lostWallet, investorOnchainID);
        if (_didRegistry().identityOwner(investorOnchainID) != newWallet) {
            revert RWANotIdentityOwner(investorOnchainID, newWallet);
        }
        uint256 balance = $.holders[lostWallet].balance;
        if (balance == 0) revert RWANothingToRecover(lostWallet);
        // The new wallet acts for the identity: it must control it, and the identity must hold the topics.
        Config memory config = _config($);
        _requireEligible(investorOnchainID, newWallet, config.topics);

        Holder memory lost = _holder($, lostWallet);
        Holder storage next = $.holders[newWallet];
        if (newWallet != investorOnchainID) {
            $.identities[newWallet] = investorOnchainID;
            next.linked = true;
        }
        // Freezes travel with the holding: the frozen amount, and a whole-address freeze.
        if (lost.frozen != 0) {
            $.holders[lostWallet].frozen = 0;
            next.frozen += lost.frozen;
            emit TokensUnfrozen(lostWallet, lost.frozen);
            emit TokensFrozen(newWallet, lost.frozen);
        }
        if (lost.addressFrozen && !next.addressFrozen) {
            next.addressFrozen = true;
            emit AddressFrozen(newWallet, true, msg.sender);
        }
        _move(lostWallet, newWallet, balance, _RECOVERY);
        if (config.hooks & ComplianceHooks.ON_RECOVERY != 0) {
            for (uint256 i; i < config.ruleCount; ++i) {
                RuleEntry memory entry = $.rules[i];
                if (entry.hooks & ComplianceHooks.ON_RECOVERY != 0) entry.rule.recovered(lostWallet, newWallet);
            }
        }
        emit RecoverySuccess(lostWallet, newWallet, investorOnchainID);
        return true;
    }

    /// @inheritdoc IRWAToken
    function pause() external restricted {
        Config storage config = _storage().config;
        if (config.paused) revert RWAPaused();
        config.paused = true;
        emit Paused(msg.sender);
    }

    /// @inheritdoc IRWAToken
    function unpause() external restricted {
        Config storage config = _storage().config;
        if (!config.paused) revert RWANotPaused();
        config.paused = false;
        emit Unpaused(msg.sender);
    }

    // ───────────────────────────── compliance administration ─────────────────────────────

    /// @inheritdoc IRWAToken
    function setRequiredTopics(uint32[] calldata topics) external restricted {
        _setTopics(_storage(), topics);
    }

    /// @inheritdoc IRWAToken
    function setSenderChecked(bool checked) external restricted {
        Config storage config = _storage().config;
        if (config.senderChecked == checked) revert RWASettingUnchanged();
        config.senderChecked = checked;
        emit SenderCheckChanged(checked);
    }

    /// @inheritdoc IRWAToken
    function addRule(IComplianceRule rule, bytes calldata settings) external restricted {
        _addRule(_storage(), rule, settings);
    }

    /// @inheritdoc IRWAToken
    function removeRule(IComplianceRule rule) external restricted {
        RWATokenStorage storage $ = _storage();
        uint256 count = $.config.ruleCount;
        uint256 index = _ruleIndex($, rule, count);
        // Keep the order of the others: rules are asked in the order they were plugged in.
        for (uint256 i = index; i + 1 < count; ++i) $.rules[i] = $.rules[i + 1];
        delete $.rules[count - 1];
        uint8 union;
        for (uint256 i; i + 1 < count; ++i) union |= $.rules[i].hooks;
        $.config.ruleCount = uint8(count - 1);
        $.config.hooks = union;
        emit RuleRemoved(address(rule));
    }

    /// @inheritdoc IRWAToken
    function configureRule(IComplianceRule rule, bytes calldata settings) external restricted {
        RWATokenStorage storage $ = _storage();
        _ruleIndex($, rule, $.config.ruleCount);
        rule.configure(settings);
    }

    /// @inheritdoc IRWAToken
    function snapshot() external restricted returns (uint32 id) {
        Config storage config = _storage().config;
        id = uint32(config.snapshotId) + 1;
        if (id > type(uint16).max) revert RWAFutureSnapshot(id, config.snapshotId);
        config.snapshotId = uint16(id);
        emit Snapshot(id);
    }

    // ───────────────────────────── views ─────────────────────────────

    /// @inheritdoc IRWAToken
    function isFrozen(address userAddress) external view returns (bool) {
        return _storage().holders[userAddress].addressFrozen;
    }

    /// @inheritdoc IRWAToken
    function getFrozenTokens(address userAddress) external view returns (uint256) {
        return _storage().holders[userAddress].frozen;
    }

    /// @inheritdoc IRWAToken
    function canSend(address account) external view returns (bool) {
        RWATokenStorage storage $ = _storage();
        Config memory config = _config($);
        if (config.paused || $.holders[account].addressFrozen) return false;
        return _eligibility(_identityOf($, account), account, config.topics, config.senderChecked) == 0;
    }

    /// @inheritdoc IRWAToken
    function canReceive(address account) public view returns (bool) {
        RWATokenStorage storage $ = _storage();
        Config memory config = _config($);
        if (config.paused || account == address(0) || $.holders[account].addressFrozen) return false;
        return _eligibility(_identityOf($, account), account, config.topics, true) == 0;
    }

    /// @inheritdoc IRWAToken
    function isVerified(address userAddress) external view returns (bool) {
        RWATokenStorage storage $ = _storage();
        return userAddress != address(0) && _eligibility(_identityOf($, userAddress), userAddress, $.config.topics, true) == 0;
    }

    /// @inheritdoc IRWAToken
    function canTransfer(address from, address to, uint256 amount) external view returns (bool) {
        (uint8 code, , ) = _restriction(from, to, amount);
        return code == ComplianceCodes.OK;
    }

    /// @inheritdoc IRWAToken
    function detectTransferRestriction(address from, address to, uint256 value) external view returns (uint8 code) {
        (code, , ) = _restriction(from, to, value);
    }

    /// @inheritdoc IRWAToken
    function messageForTransferRestriction(uint8 restrictionCode) external pure returns (string memory) {
        return RWARestrictions.messageFor(restrictionCode);
    }

    /// @inheritdoc IRWAToken
    function identityRegistry() external view returns (address) {
        return address(this);
    }

    /// @inheritdoc IRWAToken
    function compliance() external view returns (address) {
        return address(this);
    }

    /// @inheritdoc IRWAToken
    function identityOf(address wallet) external view returns (address) {
        return _identityOf(_storage(), wallet);
    }

    /// @inheritdoc IRWAToken
    function requiredTopics() external view returns (uint32[] memory) {
        return RWARestrictions.unpack(_storage().config.topics);
    }

    /// @inheritdoc IRWAToken
    function senderChecked() external view returns (bool) {
        return _storage().config.senderChecked;
    }

    /// @inheritdoc IRWAToken
    function rules() external view returns (RuleEntry[] memory entries) {
        RWATokenStorage storage $ = _storage();
        entries = new RuleEntry[]($.config.ruleCount);
        for (uint256 i; i < entries.length; ++i) entries[i] = $.rules[i];
    }

    /// @inheritdoc IRWAToken
    function holderCount() external view returns (uint256) {
        return _storage().config.holders;
    }

    /// @inheritdoc IRWAToken
    function currentSnapshot() external view returns (uint32) {
        return _storage().config.snapshotId;
    }

    /// @inheritdoc IRWAToken
    function balanceOfAt(address account, uint32 id) external view returns (uint256) {
        // On every distribution claim: the two slots read once each.
        RWATokenStorage storage $ = _storage();
        uint32 current = uint16(_configWord($) >> _CONFIG_SNAPSHOT);
        if (id > current || id == 0) revert RWAFutureSnapshot(id, current);
        // The first balance recorded at or after snapshot `id` is the balance at `id`; none: unchanged since.
        uint256 word = _holderWord($.holders[account]);
        if (uint16(word >> _HOLDER_SNAPSHOT) < id) return uint112(word);
        return $.history[account].lowerLookup(id);
    }

    /// @inheritdoc IRWAToken
    function paused() external view returns (bool) {
        return _storage().config.paused;
    }

    /// @inheritdoc IRWAToken
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    /// @notice ERC-165: ERC-20, ERC-7943 (fungible) and this interface.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return
            interfaceId == type(IERC165).interfaceId ||
            interfaceId == type(IERC20).interfaceId ||
            interfaceId == type(IRWAToken).interfaceId ||
            interfaceId == _ERC7943_FUNGIBLE;
    }

    /// @dev ERC-7943 fungible interface id: forcedTransfer ^ setFrozenTokens ^ canSend ^ canReceive ^
    /// getFrozenTokens ^ canTransfer.
    bytes4 private constant _ERC7943_FUNGIBLE =
        IRWAToken.forcedTransfer.selector ^
            IRWAToken.setFrozenTokens.selector ^
            IRWAToken.canSend.selector ^
            IRWAToken.canReceive.selector ^
            IRWAToken.getFrozenTokens.selector ^
            IRWAToken.canTransfer.selector;

    // ───────────────────────────── internals ─────────────────────────────

    /**
     * @dev Why `from` may not send `value` to `to` now: (code, the account or rule concerned, a detail: the
     * unfrozen balance, the missing topic or the rule's code). Checks in order: addresses, pause, freezes,
     * identities and credentials, rules.
     */
    function _restriction(
        address from,
        address to,
        uint256 value
    ) internal view returns (uint8 code, address subject, uint256 detail) {
        if (from == address(0) || to == address(0)) return (ComplianceCodes.INVALID_ADDRESS, address(0), 0);
        RWATokenStorage storage $ = _storage();
        Config memory config = _config($);
        if (config.paused) return (ComplianceCodes.PAUSED, address(0), 0);
        IComplianceRule.TransferContext memory context;
        (code, subject, detail) = _checkParties($, config, from, to, value, context);
        if (code != ComplianceCodes.OK || config.ruleCount == 0) return (code, subject, detail);
        if (config.hooks & ComplianceHooks.WANTS_SUPPLY != 0) context.totalSupply = $.totalSupply;
        context.holders = config.holders;
        return _askRules($, config.ruleCount, ComplianceHooks.CHECK_TRANSFER, from, to, value, context);
    }

    /// @dev Freezes, identities and credentials of both parties; fills the identities and the sender's balance.
    function _checkParties(
        RWATokenStorage storage $,
        Config memory config,
        address from,
        address to,
        uint256 value,
        IComplianceRule.TransferContext memory context
    ) private view returns (uint8, address, uint256) {
        Holder memory sender = _holder($, from);
        if (sender.addressFrozen) return (ComplianceCodes.SENDER_FROZEN, from, 0);
        {
            uint256 unfrozen = sender.balance > sender.frozen ? sender.balance - sender.frozen : 0;
            if (value > unfrozen) return (ComplianceCodes.INSUFFICIENT_UNFROZEN_BALANCE, from, unfrozen);
            context.fromBalance = sender.balance;
        }
        Holder memory receiver = _holder($, to);
        if (receiver.addressFrozen) return (ComplianceCodes.RECEIVER_FROZEN, to, 0);
        context.toBalance = receiver.balance;

        address identity = sender.linked ? $.identities[from] : from;
        context.fromIdentity = identity;
        uint256 failed = _eligibility(identity, from, config.topics, config.senderChecked);
        if (failed != 0) {
            return (
                failed == type(uint256).max ? ComplianceCodes.SENDER_NOT_CONTROLLER : ComplianceCodes.SENDER_NOT_ELIGIBLE,
                identity,
                failed
            );
        }
        identity = receiver.linked ? $.identities[to] : to;
        context.toIdentity = identity;
        failed = _eligibility(identity, to, config.topics, true);
        if (failed != 0) {
            return (
                failed == type(uint256).max ? ComplianceCodes.RECEIVER_NOT_CONTROLLER : ComplianceCodes.RECEIVER_NOT_ELIGIBLE,
                identity,
                failed
            );
        }
        return (ComplianceCodes.OK, address(0), 0);
    }

    /**
     * @dev 0 when `actor` controls `identity` and (if `withTopics`) the identity holds every required topic
     * (`topics`: the configuration's packed topics); type(uint256).max when it does not control it; otherwise the
     * first missing topic.
     */
    function _eligibility(
        address identity,
        address actor,
        uint128 topics,
        bool withTopics
    ) private view returns (uint256) {
        if (!_controls(identity, actor)) return type(uint256).max;
        if (!withTopics) return 0;
        for (uint256 t; t < 4; ++t) {
            uint32 topic = uint32(topics >> (32 * t));
            if (topic == 0) break;
            if (!_holdsValid(identity, topic)) return topic;
        }
        return 0;
    }

    /// @dev Asks the rules declaring `hook` (and, with NEW_HOLDER_ONLY, only for a new holder); first refusal wins.
    function _askRules(
        RWATokenStorage storage $,
        uint256 count,
        uint8 hook,
        address from,
        address to,
        uint256 value,
        IComplianceRule.TransferContext memory context
    ) private view returns (uint8, address, uint256) {
        for (uint256 i; i < count; ++i) {
            RuleEntry memory entry = $.rules[i];
            if (entry.hooks & hook == 0) continue;
            if (entry.hooks & ComplianceHooks.NEW_HOLDER_ONLY != 0 && context.toBalance != 0) continue;
            uint8 ruleCode = entry.rule.check(from, to, value, context);
            if (ruleCode != 0) return (ruleCode, address(entry.rule), ruleCode);
        }
        return (ComplianceCodes.OK, address(0), 0);
    }

    function _mintChecked(address to, uint256 amount) private {
        if (to == address(0)) revert RWAZeroAddress();
        if (amount == 0) revert RWAZeroAmount();
        RWATokenStorage storage $ = _storage();
        uint256 supply = $.totalSupply;
        if (amount > MAX_SUPPLY - supply) revert RWASupplyOverflow(amount, MAX_SUPPLY - supply);
        Config memory config = _config($);
        Holder memory receiver = _holder($, to);
        if (receiver.addressFrozen) revert RWAAddressFrozen(to);
        address toIdentity = receiver.linked ? $.identities[to] : to;
        _requireEligible(toIdentity, to, config.topics);
        if (config.ruleCount != 0) {
            IComplianceRule.TransferContext memory context = IComplianceRule.TransferContext({
                fromIdentity: address(0),
                toIdentity: toIdentity,
                fromBalance: 0,
                toBalance: receiver.balance,
                totalSupply: supply,
                holders: config.holders,
                forced: false
            });
            (uint8 code, address rule, ) = _askRules($, config.ruleCount, ComplianceHooks.CHECK_MINT, address(0), to, amount, context);
            if (code != ComplianceCodes.OK) revert RWAComplianceRefused(rule, code);
        }
        _move(address(0), to, amount, _NORMAL);
    }

    function _burnChecked(address from, uint256 amount) private {
        if (from == address(0)) revert RWAZeroAddress();
        if (amount == 0) revert RWAZeroAmount();
        Holder memory holder = _storage().holders[from];
        uint256 unfrozen = holder.balance > holder.frozen ? holder.balance - holder.frozen : 0;
        // Burning respects freezes: frozen tokens are unfrozen first (explicitly) or forced elsewhere.
        if (amount > unfrozen) revert ERC7943InsufficientUnfrozenBalance(from, amount, unfrozen);
        _move(from, address(0), amount, _NORMAL);
    }

    function _forcedTransfer(address from, address to, uint256 amount) private {
        if (from == address(0) || to == address(0)) revert RWAZeroAddress();
        // forcedTransfer(a, a) would move nothing but lift freezes (the ERC-3643 reference's bug): refused.
        if (from == to) revert RWASameAccount(from);
        if (amount == 0) revert RWAZeroAmount();
        RWATokenStorage storage $ = _storage();
        uint256 receiver = _holderWord($.holders[to]);
        if (uint8(receiver >> _HOLDER_ADDRESS_FROZEN) != 0) revert RWAAddressFrozen(to);
        _requireEligible(uint8(receiver >> _HOLDER_LINKED) != 0 ? $.identities[to] : to, to, uint128(_configWord($)));
        Holder storage sender = $.holders[from];
        uint256 word = _holderWord(sender);
        uint256 balance = uint112(word);
        if (amount > balance) revert ERC20InsufficientBalance(from, balance, amount);
        uint256 frozen = uint112(word >> _HOLDER_FROZEN);
        uint256 unfrozen = balance - frozen;
        if (amount > unfrozen) {
            // Only here do frozen tokens move; their freeze goes with them, explicitly.
            uint256 released = amount - unfrozen;
            frozen -= released;
            sender.frozen = uint112(frozen);
            emit TokensUnfrozen(from, released);
            emit Frozen(from, frozen);
        }
        _move(from, to, amount, _FORCED);
        emit ForcedTransfer(from, to, amount);
    }

    /// @dev The IdentityGate's check for every required topic, the DID registry asked once.
    function _requireEligible(address identity, address wallet, uint128 topics) private view {
        uint256 failed = _eligibility(identity, wallet, topics, true);
        if (failed == type(uint256).max) revert IdentityGateNotController(identity, wallet);
        if (failed != 0) revert IdentityGateMissingCredential(identity, uint32(failed));
    }

    function _setAddressFrozen(address account, bool freeze) private {
        if (account == address(0)) revert RWAZeroAddress();
        Holder storage holder = _storage().holders[account];
        if (holder.addressFrozen == freeze) revert RWAFrozenStateUnchanged(account, freeze);
        holder.addressFrozen = freeze;
        emit AddressFrozen(account, freeze, msg.sender);
    }

    function _freeze(address account, uint256 amount) private {
        if (amount == 0) revert RWAZeroAmount();
        Holder storage holder = _storage().holders[account];
        uint256 balance = holder.balance;
        uint256 frozen = holder.frozen + amount;
        if (frozen > balance) revert RWAFreezeExceedsBalance(account, amount, balance);
        holder.frozen = uint112(frozen);
        emit TokensFrozen(account, amount);
        emit Frozen(account, frozen);
    }

    function _unfreeze(address account, uint256 amount) private {
        if (amount == 0) revert RWAZeroAmount();
        Holder storage holder = _storage().holders[account];
        uint256 frozen = holder.frozen;
        if (amount > frozen) revert RWAUnfreezeExceedsFrozen(account, amount, frozen);
        holder.frozen = uint112(frozen - amount);
        emit TokensUnfrozen(account, amount);
        emit Frozen(account, frozen - amount);
    }

    /**
     * @dev The one place balances change (the token's ledger: OpenZeppelin's `_update` is replaced, not extended):
     * records snapshots, counts holders and the supply, moves, emits `Transfer`, then calls the rules' state hooks.
     * Callers have done their checks. Every balance change pays for it, so the configuration and each account's
     * slot are read as raw words, once, and each account's slot is written once.
     */
    function _move(address from, address to, uint256 value, uint8 mode) private {
        RWATokenStorage storage $ = _storage();
        uint256 config = _configWord($);
        IComplianceRule.TransferContext memory context;
        uint64 holders = uint64(config >> _CONFIG_HOLDERS);
        if (from != address(0)) {
            Holder storage sender = $.holders[from];
            uint256 word = _holderWord(sender);
            uint256 fromBalance = uint112(word);
            if (value > fromBalance) revert ERC20InsufficientBalance(from, fromBalance, value);
            word = _checkpoint($, from, word, uint16(config >> _CONFIG_SNAPSHOT));
            // value <= balance: the subtraction stays within the balance's bits.
            unchecked {
                _setHolderWord(sender, word - value);
            }
            if (fromBalance == value && value != 0 && from != to) --holders;
            context.fromBalance = fromBalance;
        }
        if (to != address(0)) {
            // Read after the sender's write: from == to (a transfer to oneself) sees its own new balance.
            Holder storage receiver = $.holders[to];
            uint256 word = _holderWord(receiver);
            uint256 toBalance = uint112(word);
            word = _checkpoint($, to, word, uint16(config >> _CONFIG_SNAPSHOT));
            // Every balance is at most the supply, which mints keep below 2^112: no carry out of the balance's bits.
            unchecked {
                _setHolderWord(receiver, word + value);
            }
            if (toBalance == 0 && value != 0 && from != to) ++holders;
            context.toBalance = toBalance;
        }
        context.holders = uint64(config >> _CONFIG_HOLDERS);
        if (holders != context.holders) $.config.holders = holders;
        uint8 hooks = uint8(config >> _CONFIG_HOOKS);
        if (from == address(0) || to == address(0) || hooks & ComplianceHooks.WANTS_SUPPLY != 0) {
            uint256 supply = $.totalSupply;
            if (from == address(0)) $.totalSupply = supply + value;
            else if (to == address(0)) $.totalSupply = supply - value;
            context.totalSupply = supply;
        }
        emit Transfer(from, to, value);

        uint8 hook = from == address(0)
            ? ComplianceHooks.ON_MINT
            : (to == address(0) ? ComplianceHooks.ON_BURN : ComplianceHooks.ON_TRANSFER);
        // A recovery is not an acquisition: rules hear of it through `recovered`, not `transferred`.
        if (hooks & hook != 0 && mode != _RECOVERY) {
            context.forced = mode == _FORCED;
            _notifyRules($, uint8(config >> _CONFIG_RULE_COUNT), hook, from, to, value, context);
        }
    }

    function _notifyRules(
        RWATokenStorage storage $,
        uint256 ruleCount,
        uint8 hook,
        address from,
        address to,
        uint256 value,
        IComplianceRule.TransferContext memory context
    ) private {
        if (from != address(0)) context.fromIdentity = _identityOf($, from);
        if (to != address(0)) context.toIdentity = _identityOf($, to);
        for (uint256 i; i < ruleCount; ++i) {
            RuleEntry memory entry = $.rules[i];
            if (entry.hooks & hook == 0) continue;
            if (hook == ComplianceHooks.ON_TRANSFER) entry.rule.transferred(from, to, value, context);
            else if (hook == ComplianceHooks.ON_MINT) entry.rule.created(to, value, context);
            else entry.rule.destroyed(from, value, context);
        }
    }

    /**
     * @dev `account`'s slot `word` before its balance first changes after snapshot `id`: records the balance it had
     * at `id` and returns the word marked with `id` (unchanged when no snapshot was taken or `id` is recorded).
     */
    function _checkpoint(
        RWATokenStorage storage $,
        address account,
        uint256 word,
        uint16 id
    ) private returns (uint256) {
        if (id == 0 || uint16(word >> _HOLDER_SNAPSHOT) == id) return word;
        $.history[account].push(id, uint208(uint112(word)));
        return (word & ~(uint256(type(uint16).max) << _HOLDER_SNAPSHOT)) | (uint256(id) << _HOLDER_SNAPSHOT);
    }

    function _setTopics(RWATokenStorage storage $, uint32[] calldata topics) private {
        $.config.topics = RWARestrictions.pack(topics);
        emit RequiredTopicsChanged(topics);
    }

    function _addRule(RWATokenStorage storage $, IComplianceRule rule, bytes calldata settings) private {
        uint256 count = $.config.ruleCount;
        if (count == MAX_RULES) revert RWATooManyRules();
        if (address(rule).code.length == 0) revert RWAInvalidRule(address(rule));
        for (uint256 i; i < count; ++i) {
            if ($.rules[i].rule == rule) revert RWARuleAlreadyAdded(address(rule));
        }
        uint8 hooks = rule.hooks();
        if (hooks == 0) revert RWAInvalidRule(address(rule));
        $.rules[count] = RuleEntry({rule: rule, hooks: hooks});
        $.config.ruleCount = uint8(count + 1);
        $.config.hooks |= hooks;
        emit RuleAdded(address(rule), hooks);
        rule.configure(settings);
    }

    function _ruleIndex(RWATokenStorage storage $, IComplianceRule rule, uint256 count) private view returns (uint256) {
        for (uint256 i; i < count; ++i) {
            if ($.rules[i].rule == rule) return i;
        }
        revert RWARuleNotFound(address(rule));
    }

    /// @dev The configuration in one SLOAD (copying a packed struct to memory reads its slot once per field).
    function _config(RWATokenStorage storage $) private view returns (Config memory config) {
        uint256 word;
        assembly ("memory-safe") {
            word := sload($.slot)
        }
        config.topics = uint128(word);
        config.snapshotId = uint16(word >> 128);
        config.holders = uint64(word >> 144);
        config.ruleCount = uint8(word >> 208);
        config.decimals = uint8(word >> 216);
        config.hooks = uint8(word >> 224);
        config.paused = uint8(word >> 232) != 0;
        config.senderChecked = uint8(word >> 240) != 0;
    }

    /// @dev `account`'s slot in one SLOAD.
    function _holder(RWATokenStorage storage $, address account) private view returns (Holder memory holder) {
        Holder storage stored = $.holders[account];
        uint256 word;
        assembly ("memory-safe") {
            word := sload(stored.slot)
        }
        holder.balance = uint112(word);
        holder.frozen = uint112(word >> 112);
        holder.lastSnapshot = uint16(word >> 224);
        holder.addressFrozen = uint8(word >> 240) != 0;
        holder.linked = uint8(word >> 248) != 0;
    }

    /// @dev The configuration's slot as a raw word (layout: {_config}).
    function _configWord(RWATokenStorage storage $) private view returns (uint256 word) {
        assembly ("memory-safe") {
            word := sload($.slot)
        }
    }

    /// @dev A holder's slot as a raw word (layout: {_holder}).
    function _holderWord(Holder storage holder) private view returns (uint256 word) {
        assembly ("memory-safe") {
            word := sload(holder.slot)
        }
    }

    function _setHolderWord(Holder storage holder, uint256 word) private {
        assembly ("memory-safe") {
            sstore(holder.slot, word)
        }
    }

    function _identityOf(RWATokenStorage storage $, address wallet) private view returns (address) {
        return $.holders[wallet].linked ? $.identities[wallet] : wallet;
    }

    function _transferFromSender(address to, uint256 amount) private {
        _transfer(msg.sender, to, amount);
    }

    /// @dev Runs `operation` on each pair, in order; each sees the state the previous one left.
    function _batch(
        address[] calldata accounts,
        uint256[] calldata amounts,
        function(address, uint256) internal operation
    ) private {
        _requireBatch(accounts.length, amounts.length);
        for (uint256 i; i < accounts.length; ++i) operation(accounts[i], amounts[i]);
    }

    function _requireBatch(uint256 length, uint256 otherLength) private pure {
        if (length == 0) revert RWABatchEmpty();
        if (length != otherLength) revert RWABatchLengthMismatch();
    }

    function _storage() private pure returns (RWATokenStorage storage $) {
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ComplianceRule} from "./ComplianceRule.sol";
import {IComplianceRule} from "../../interfaces/IComplianceRule.sol";
import {ComplianceHooks} from "../../interfaces/ComplianceHooks.sol";
import {ComplianceCodes} from "../../interfaces/ComplianceCodes.sol";
import {TimeSource} from "../../common/TimeSource.sol";

/**
 * @title LockupRule
 * @notice Tokens acquired (minted, bought, or received by a forced transfer) cannot be sent on before the token's
 * lock-up period has passed since the acquisition; tokens held longer move freely.
 * @dev One slot per holder (locked amount, end of the lock): an acquisition while earlier tokens are still locked
 * adds to the locked amount and moves the end of the whole lock to the new acquisition's end. That is
 * conservative (older tokens may stay locked a little longer, never shorter); an exact per-lot schedule would cost
 * a storage slot per acquisition on every transfer. A recovery carries the lock to the identity's new wallet.
 * Settings: `abi.encode(uint256 period)` in seconds, from one second to ten years.
 */
contract LockupRule is ComplianceRule, TimeSource {
    /// @dev One slot.
    struct Lock {
        uint128 amount;
        uint64 until;
    }

    /// @notice A holder's lock changed: `amount` locked until `until`.
    event Locked(address indexed token, address indexed holder, uint256 amount, uint256 until);

    uint256 private constant MAX_PERIOD = 3650 days;

    /// @notice Lock-up period of each token, in seconds.
    mapping(address token => uint256) public periodOf;
    mapping(address token => mapping(address holder => Lock)) private _locks;

    /// @param millisecondTimestamps true on chains whose `block.timestamp` counts milliseconds.
    constructor(bool millisecondTimestamps) TimeSource(millisecondTimestamps) {}

    /// @inheritdoc IComplianceRule
    function hooks() external pure returns (uint8) {
        return
            ComplianceHooks.CHECK_TRANSFER |
            ComplianceHooks.ON_TRANSFER |
            ComplianceHooks.ON_MINT |
            ComplianceHooks.ON_RECOVERY;
    }

    /// @inheritdoc IComplianceRule
    function name() external pure returns (bytes32) {
        return "lock-up";
    }

    /**
     * @notice `holder`'s locked amount of `token` and when the lock ends (amount 0 once it ended).
     * @return amount Tokens that may not move yet.
     * @return until End of the lock, in seconds.
     */
    function lockOf(address token, address holder) external view returns (uint256 amount, uint256 until) {
        Lock memory lock = _locks[token][holder];
        if (lock.until <= _now()) return (0, lock.until);
        return (lock.amount, lock.until);
    }

    /// @inheritdoc IComplianceRule
    function check(address from, address, uint256 amount, TransferContext calldata context) external view override returns (uint8) {
        Lock memory lock = _locks[msg.sender][from];
        if (lock.until <= _now()) return 0;
        uint256 free = context.fromBalance > lock.amount ? context.fromBalance - lock.amount : 0;
        return amount > free ? ComplianceCodes.LOCKED_UP : 0;
    }

    /// @inheritdoc IComplianceRule
    function transferred(address, address to, uint256 amount, TransferContext calldata) external override {
        _lock(msg.sender, to, amount);
    }

    /// @inheritdoc IComplianceRule
    function created(address to, uint256 amount, TransferContext calldata) external override {
        _lock(msg.sender, to, amount);
    }

    /// @inheritdoc IComplianceRule
    function recovered(address lostWallet, address newWallet) external override {
        Lock memory lost = _locks[msg.sender][lostWallet];
        if (lost.until <= _now()) return;
        delete _locks[msg.sender][lostWallet];
        Lock storage next = _locks[msg.sender][newWallet];
        uint256 until = next.until > _now() ? next.until : 0;
        uint256 amount = until == 0 ? lost.amount : uint256(next.amount) + lost.amount;
        if (lost.until > until) until = lost.until;
        next.amount = uint128(amount);
        next.until = uint64(until);
        emit Locked(msg.sender, lostWallet, 0, 0);
        emit Locked(msg.sender, newWallet, amount, until);
    }

    function _lock(address token, address holder, uint256 amount) private {
        uint256 period = periodOf[token];
        Lock storage lock = _locks[token][holder];
        uint256 current = _now();
        uint256 locked = lock.until > current ? uint256(lock.amount) + amount : amount;
        uint256 until = current + period;
        lock.amount = uint128(locked);
        lock.until = uint64(until);
        emit Locked(token, holder, locked, until);
    }

    function _configure(address token, bytes calldata settings) internal override {
        if (settings.length != 32) revert RuleInvalidSettings(token);
        uint256 period = abi.decode(settings, (uint256));
        if (period == 0 || period > MAX_PERIOD) revert RuleInvalidSettings(token);
        periodOf[token] = period;
    }
}

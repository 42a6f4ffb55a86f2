// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IRWADistributor} from "../interfaces/IRWADistributor.sol";
import {IRWAToken} from "../interfaces/IRWAToken.sol";
import {TimeSource} from "../common/TimeSource.sol";

/**
 * @title RWADistributor
 * @notice Pro-rata distributions (dividends, coupons) of every RWA token of the suite, in any ERC-20, claimed by the
 * holders (pull). Who may distribute is the AccessManager's (ASSET_ISSUER); the money, once paid in, belongs to the
 * holders: no function, governance included, moves it anywhere but to a holder's claim. Immutable for that reason.
 * @dev The record point is a snapshot of the token, which costs the token nothing until a balance next changes
 * (it then records that account's balance once). A claim reads two slots of the distribution, one bitmap word
 * and the holder's balance at the snapshot from the token; shares are rounded down, so the sum of claims never
 * exceeds the amount and at most one unit per holder stays behind.
 */
contract RWADistributor is AccessManaged, TimeSource, IRWADistributor {
    using SafeERC20 for IERC20;

    mapping(address token => mapping(uint256 id => Distribution)) private _distributions;
    mapping(address token => uint256) private _counts;
    mapping(address token => mapping(address holder => mapping(uint256 word => uint256))) private _claimed;

    /**
     * @param authority The suite's AccessManager.
     * @param millisecondTimestamps true on chains whose `block.timestamp` counts milliseconds.
     */
    constructor(address authority, bool millisecondTimestamps) AccessManaged(authority) TimeSource(millisecondTimestamps) {}

    /// @inheritdoc IRWADistributor
    function distribute(address token, address paymentToken, uint256 amount) external restricted returns (uint256 id) {
        if (amount == 0 || amount > type(uint128).max) revert DistributionInvalidAmount(amount);
        uint256 supply = IERC20(token).totalSupply();
        if (supply == 0) revert DistributionNoSupply(token);
        uint256 before = IERC20(paymentToken).balanceOf(address(this));
        IERC20(paymentToken).safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = IERC20(paymentToken).balanceOf(address(this)) - before;
        if (received != amount) revert DistributionShortPayment(paymentToken, amount, received);
        uint32 snapshotId = IRWAToken(token).snapshot();
        id = ++_counts[token];
        _distributions[token][id] = Distribution({
            paymentToken: paymentToken,
            snapshotId: snapshotId,
            createdAt: uint64(_now()),
            amount: uint128(amount),
            supply: uint128(supply)
        });
        emit DistributionCreated(token, id, paymentToken, snapshotId, amount, supply);
    }

    /// @inheritdoc IRWADistributor
    function claim(address token, uint256 id) external returns (uint256 amount) {
        (address paymentToken, uint32 snapshotId, uint256 total, uint256 supply) = _load(token, id);
        uint256 slot = _claimSlot(token, msg.sender, id);
        uint256 bit = 1 << (id & 0xff);
        uint256 word;
        assembly ("memory-safe") {
            word := sload(slot)
        }
        if (word & bit != 0) revert DistributionAlreadyClaimed(token, id, msg.sender);
        amount = _share(token, msg.sender, snapshotId, total, supply);
        if (amount == 0) revert DistributionNothingToClaim(token, id, msg.sender);
        assembly ("memory-safe") {
            sstore(slot, or(word, bit))
        }
        emit DistributionClaimed(token, id, msg.sender, amount);
        IERC20(paymentToken).safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IRWADistributor
    function claimable(address token, uint256 id, address holder) external view returns (uint256) {
        (, uint32 snapshotId, uint256 total, uint256 supply) = _load(token, id);
        if (isClaimed(token, id, holder)) return 0;
        return _share(token, holder, snapshotId, total, supply);
    }

    /// @inheritdoc IRWADistributor
    function isClaimed(address token, uint256 id, address holder) public view returns (bool) {
        return (_claimed[token][holder][id >> 8] >> (id & 0xff)) & 1 == 1;
    }

    /// @inheritdoc IRWADistributor
    function distributionOf(address token, uint256 id) external view returns (Distribution memory) {
        return _distribution(token, id);
    }

    /// @inheritdoc IRWADistributor
    function distributionCount(address token) external view returns (uint256) {
        return _counts[token];
    }

    /// @dev A distribution always has a supply, so a zero supply means none (no count read on claims).
    function _distribution(address token, uint256 id) private view returns (Distribution memory distribution) {
        distribution = _distributions[token][id];
        if (distribution.supply == 0) revert DistributionUnknown(token, id);
    }

    /**
     * @dev What a claim needs of distribution `id`, its two slots read once each as raw words (copying the struct
     * to memory reads the first slot once per field). Layout of {IRWADistributor.Distribution}: paymentToken in
     * bits 0-159 and snapshotId in 160-191 of the first slot; amount in bits 0-127 and supply in 128-255 of the
     * second.
     */
    function _load(
        address token,
        uint256 id
    ) private view returns (address paymentToken, uint32 snapshotId, uint256 amount, uint256 supply) {
        Distribution storage distribution = _distributions[token][id];
        uint256 head;
        uint256 tail;
        assembly ("memory-safe") {
            head := sload(distribution.slot)
            tail := sload(add(distribution.slot, 1))
        }
        supply = tail >> 128;
        if (supply == 0) revert DistributionUnknown(token, id);
        paymentToken = address(uint160(head));
        snapshotId = uint32(head >> 160);
        amount = uint128(tail);
    }

    /// @dev The slot of `holder`'s claim bitmap word holding distribution `id` of `token`, computed once.
    function _claimSlot(address token, address holder, uint256 id) private view returns (uint256 slot) {
        mapping(uint256 => uint256) storage words = _claimed[token][holder];
        assembly ("memory-safe") {
            mstore(0x00, shr(8, id))
            mstore(0x20, words.slot)
            slot := keccak256(0x00, 0x40)
        }
    }

    /**
     * @dev `holder`'s share: its balance at the snapshot (asked of the token in one staticcall from free memory,
     * as the interface call `IRWAToken(token).balanceOfAt(holder, snapshotId)` would, without its memory
     * encoding and copies; the token's revert bubbles up, a short answer reverts without data) x amount / supply,
     * rounded down.
     */
    function _share(
        address token,
        address holder,
        uint32 snapshotId,
        uint256 amount,
        uint256 supply
    ) private view returns (uint256) {
        bytes4 selector = IRWAToken.balanceOfAt.selector;
        uint256 held;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 0x04), shr(96, shl(96, holder)))
            mstore(add(ptr, 0x24), and(snapshotId, 0xffffffff))
            if iszero(staticcall(gas(), token, ptr, 0x44, 0x00, 0x20)) {
                returndatacopy(ptr, 0x00, returndatasize())
                revert(ptr, returndatasize())
            }
            if lt(returndatasize(), 0x20) {
                revert(0x00, 0x00)
            }
            held := mload(0x00)
        }
        // Checked: the balance is the token's answer. supply != 0 ({_load}).
        uint256 product = held * amount;
        unchecked {
            return product / supply;
        }
    }
}

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
        Distribution memory distribution = _distribution(token, id);
        mapping(uint256 => uint256) storage words = _claimed[token][msg.sender];
        uint256 bit = 1 << (id & 0xff);
        uint256 word = words[id >> 8];
        if (word & bit != 0) revert DistributionAlreadyClaimed(token, id, msg.sender);
        amount = _share(token, distribution, msg.sender);
        if (amount == 0) revert DistributionNothingToClaim(token, id, msg.sender);
        words[id >> 8] = word | bit;
        emit DistributionClaimed(token, id, msg.sender, amount);
        IERC20(distribution.paymentToken).safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IRWADistributor
    function claimable(address token, uint256 id, address holder) external view returns (uint256) {
        Distribution memory distribution = _distribution(token, id);
        if (isClaimed(token, id, holder)) return 0;
        return _share(token, distribution, holder);
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

    function _share(address token, Distribution memory distribution, address holder) private view returns (uint256) {
        uint256 balance = IRWAToken(token).balanceOfAt(holder, distribution.snapshotId);
        return (balance * distribution.amount) / distribution.supply;
    }
}

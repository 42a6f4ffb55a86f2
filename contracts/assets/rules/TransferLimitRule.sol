// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ComplianceRule} from "./ComplianceRule.sol";
import {IComplianceRule} from "../../interfaces/IComplianceRule.sol";
import {ComplianceHooks} from "../../interfaces/ComplianceHooks.sol";
import {ComplianceCodes} from "../../interfaces/ComplianceCodes.sol";
import {TimeSource} from "../../common/TimeSource.sol";

/**
 * @title TransferLimitRule
 * @notice What a holder may send per day and per month (30-day windows counted from the Unix epoch, the same on
 * every chain). Forced transfers by the agent do not count. A recovery carries the counters to the new wallet.
 * @dev One slot per holder: the day's and the month's volumes with their window numbers.
 * Settings: `abi.encode(uint256 dailyLimit, uint256 monthlyLimit)`, each below 2^96, 0 for no limit, not both 0.
 */
contract TransferLimitRule is ComplianceRule, TimeSource {
    /// @dev One slot.
    struct Volume {
        uint96 day;
        uint32 dayIndex;
        uint96 month;
        uint32 monthIndex;
    }

    /// @dev One slot.
    struct Limits {
        uint96 daily;
        uint96 monthly;
    }

    uint256 private constant DAY = 1 days;
    uint256 private constant MONTH = 30 days;

    mapping(address token => Limits) private _limits;
    mapping(address token => mapping(address holder => Volume)) private _volumes;

    /// @param millisecondTimestamps true on chains whose `block.timestamp` counts milliseconds.
    constructor(bool millisecondTimestamps) TimeSource(millisecondTimestamps) {}

    /// @inheritdoc IComplianceRule
    function hooks() external pure returns (uint8) {
        return ComplianceHooks.CHECK_TRANSFER | ComplianceHooks.ON_TRANSFER | ComplianceHooks.ON_RECOVERY;
    }

    /// @inheritdoc IComplianceRule
    function name() external pure returns (bytes32) {
        return "transfer-limits";
    }

    /**
     * @notice The daily and monthly limits of `token` (0: none).
     * @return daily Most a holder may send in a day.
     * @return monthly Most a holder may send in a 30-day window.
     */
    function limitsOf(address token) external view returns (uint256 daily, uint256 monthly) {
        Limits memory limits = _limits[token];
        return (limits.daily, limits.monthly);
    }

    /**
     * @notice What `holder` has sent of `token` in the current day and month.
     * @return day Volume of the current day.
     * @return month Volume of the current 30-day window.
     */
    function volumeOf(address token, address holder) public view returns (uint256 day, uint256 month) {
        Volume memory volume = _volumes[token][holder];
        uint256 current = _now();
        day = volume.dayIndex == current / DAY ? volume.day : 0;
        month = volume.monthIndex == current / MONTH ? volume.month : 0;
    }

    /// @inheritdoc IComplianceRule
    function check(address from, address, uint256 amount, TransferContext calldata) external view override returns (uint8) {
        Limits memory limits = _limits[msg.sender];
        (uint256 day, uint256 month) = volumeOf(msg.sender, from);
        if (limits.daily != 0 && day + amount > limits.daily) return ComplianceCodes.DAILY_LIMIT;
        if (limits.monthly != 0 && month + amount > limits.monthly) return ComplianceCodes.MONTHLY_LIMIT;
        return 0;
    }

    /// @inheritdoc IComplianceRule
    function transferred(address from, address, uint256 amount, TransferContext calldata context) external override {
        if (context.forced) return; // the agent's moves are not the holder's trading
        (uint256 day, uint256 month) = volumeOf(msg.sender, from);
        _store(msg.sender, from, day + amount, month + amount);
    }

    /// @inheritdoc IComplianceRule
    function recovered(address lostWallet, address newWallet) external override {
        (uint256 lostDay, uint256 lostMonth) = volumeOf(msg.sender, lostWallet);
        (uint256 day, uint256 month) = volumeOf(msg.sender, newWallet);
        delete _volumes[msg.sender][lostWallet];
        _store(msg.sender, newWallet, day + lostDay, month + lostMonth);
    }

    function _store(address token, address holder, uint256 day, uint256 month) private {
        uint256 current = _now();
        // Volumes above 2^96 saturate: such a holder is over any limit the settings allow anyway.
        _volumes[token][holder] = Volume({
            day: uint96(day > type(uint96).max ? type(uint96).max : day),
            dayIndex: uint32(current / DAY),
            month: uint96(month > type(uint96).max ? type(uint96).max : month),
            monthIndex: uint32(current / MONTH)
        });
    }

    function _configure(address token, bytes calldata settings) internal override {
        if (settings.length != 64) revert RuleInvalidSettings(token);
        (uint256 daily, uint256 monthly) = abi.decode(settings, (uint256, uint256));
        if ((daily == 0 && monthly == 0) || daily > type(uint96).max || monthly > type(uint96).max) {
            revert RuleInvalidSettings(token);
        }
        if (daily != 0 && monthly != 0 && monthly < daily) revert RuleInvalidSettings(token);
        _limits[token] = Limits({daily: uint96(daily), monthly: uint96(monthly)});
    }
}

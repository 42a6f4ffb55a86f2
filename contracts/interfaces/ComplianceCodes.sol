// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title ComplianceCodes
/// @notice Reason codes (ERC-1404 style) of trustbase RWA tokens and their standard rules.
library ComplianceCodes {
    uint8 internal constant OK = 0;
    uint8 internal constant PAUSED = 1;
    uint8 internal constant SENDER_FROZEN = 2;
    uint8 internal constant RECEIVER_FROZEN = 3;
    uint8 internal constant INSUFFICIENT_UNFROZEN_BALANCE = 4;
    uint8 internal constant SENDER_NOT_CONTROLLER = 5;
    uint8 internal constant SENDER_NOT_ELIGIBLE = 6;
    uint8 internal constant RECEIVER_NOT_CONTROLLER = 7;
    uint8 internal constant RECEIVER_NOT_ELIGIBLE = 8;
    uint8 internal constant INVALID_ADDRESS = 9;
    uint8 internal constant MAX_BALANCE = 10;
    uint8 internal constant MAX_HOLDERS = 11;
    uint8 internal constant JURISDICTION = 12;
    uint8 internal constant LOCKED_UP = 13;
    uint8 internal constant DAILY_LIMIT = 14;
    uint8 internal constant MONTHLY_LIMIT = 15;
    uint8 internal constant SUPPLY_CAP = 16;
}

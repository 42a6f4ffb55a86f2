// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

/**
 * @title TrustAccessManager
 * @notice OpenZeppelin's AccessManager, the authority of every trustbase module, with its two built-in periods kept
 * in real time on chains whose `block.timestamp` counts milliseconds (FISCO BCOS before 3.12).
 * @dev AccessManager measures every delay, schedule and expiry against `block.timestamp` in the chain's own unit,
 * so the suite's delays are given to it in that unit (the chain profile converts them). Its two constants are
 * not: on a millisecond chain, `1 weeks` would let a scheduled operation expire 604.8 seconds after it becomes
 * executable (too short for a multisig to gather signatures), and `5 days` would shrink the minimum setback of a
 * lowered delay to 432 seconds (letting an admin cut a delay the consortium relies on almost at once). Here both
 * are multiplied by the unit, so they mean one week and five days on every chain. Nothing else changes: same ABI,
 * same roles, same storage.
 */
contract TrustAccessManager is AccessManager {
    /// @dev 1 when the chain reports seconds, 1000 when it reports milliseconds.
    uint32 private immutable _TIME_UNIT;

    /// @param initialAdmin The first holder of ADMIN_ROLE (the deployer, until the governance handover).
    /// @param millisecondTimestamps true on chains whose `block.timestamp` counts milliseconds.
    constructor(address initialAdmin, bool millisecondTimestamps) AccessManager(initialAdmin) {
        _TIME_UNIT = millisecondTimestamps ? 1000 : 1;
    }

    /**
     * @notice How long a scheduled operation stays executable once its delay has passed: one week, in the chain's
     * time unit.
     * @return The expiry period in the unit of `block.timestamp`.
     */
    function expiration() public view override returns (uint32) {
        return 1 weeks * _TIME_UNIT;
    }

    /**
     * @notice The minimum time before a lowered execution or grant delay takes effect: five days, in the chain's
     * time unit.
     * @return The minimum setback in the unit of `block.timestamp`.
     */
    function minSetback() public view override returns (uint32) {
        return 5 days * _TIME_UNIT;
    }

    /// @notice Whether this deployment reads `block.timestamp` as milliseconds.
    /// @return true when the chain's timestamps count milliseconds.
    function timestampInMilliseconds() external view returns (bool) {
        return _TIME_UNIT != 1;
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title TimeSource
 * @notice The one clock of trustbase: seconds since the Unix epoch on every chain.
 * @dev Some consortium chains (FISCO BCOS before 3.12) report `block.timestamp` in milliseconds. The unit is
 * fixed when the contract (or, behind a proxy, the implementation) is deployed and lives in the bytecode, so
 * reading the clock costs no storage access. Every deadline, validity window and delay in the suite is
 * compared against {_now}, never against `block.timestamp` directly.
 */
abstract contract TimeSource {
    /// @dev 1 when the chain reports seconds, 1000 when it reports milliseconds.
    uint256 private immutable _TIMESTAMP_DIVISOR;

    /// @param millisecondTimestamps true on chains whose `block.timestamp` counts milliseconds.
    constructor(bool millisecondTimestamps) {
        _TIMESTAMP_DIVISOR = millisecondTimestamps ? 1000 : 1;
    }

    /**
     * @notice Current time in seconds, whatever unit the chain uses (ERC-6372 `clock`).
     * @return The current time in seconds since the Unix epoch.
     */
    function clock() public view virtual returns (uint48) {
        return uint48(_now());
    }

    /**
     * @notice Description of the clock (ERC-6372): always timestamps in seconds.
     * @return The machine-readable clock mode.
     */
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public view virtual returns (string memory) {
        return "mode=timestamp";
    }

    /// @notice Whether this deployment converts a millisecond `block.timestamp` to seconds.
    /// @return true when the chain's timestamps are read as milliseconds.
    function timestampInMilliseconds() public view returns (bool) {
        return _TIMESTAMP_DIVISOR != 1;
    }

    /// @dev Current time in seconds.
    function _now() internal view returns (uint256 seconds_) {
        uint256 divisor = _TIMESTAMP_DIVISOR;
        // The divisor is 1 or 1000 (never zero): no division-by-zero check, on every timed call of the suite.
        assembly ("memory-safe") {
            seconds_ := div(timestamp(), divisor)
        }
    }
}

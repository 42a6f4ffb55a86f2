// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title IRWADistributor
 * @notice Dividends and coupons of RWA tokens: an amount of an ERC-20 paid in against a snapshot of the token
 * (the record point), claimed by each holder pro rata to its balance at the snapshot (pull).
 */
interface IRWADistributor {
    /// @notice A distribution (two slots; the token is the key).
    struct Distribution {
        address paymentToken;
        uint32 snapshotId;
        uint64 createdAt;
        uint128 amount;
        uint128 supply;
    }

    /// @notice Distribution `id` of `token`: `amount` of `paymentToken` for the holders at snapshot `snapshotId`.
    event DistributionCreated(
        address indexed token,
        uint256 indexed id,
        address indexed paymentToken,
        uint32 snapshotId,
        uint256 amount,
        uint256 supply
    );
    /// @notice `holder` claimed `amount` of distribution `id` of `token`.
    event DistributionClaimed(address indexed token, uint256 indexed id, address indexed holder, uint256 amount);

    /// @notice Amount zero, or over 2^128.
    error DistributionInvalidAmount(uint256 amount);
    /// @notice `token` has no supply to distribute to.
    error DistributionNoSupply(address token);
    /// @notice `paymentToken` delivered `received` where `amount` was due (fee-on-transfer tokens are refused).
    error DistributionShortPayment(address paymentToken, uint256 amount, uint256 received);
    /// @notice `token` has no distribution `id`.
    error DistributionUnknown(address token, uint256 id);
    /// @notice `holder` already claimed distribution `id` of `token`.
    error DistributionAlreadyClaimed(address token, uint256 id, address holder);
    /// @notice `holder` has nothing to claim in distribution `id` of `token`.
    error DistributionNothingToClaim(address token, uint256 id, address holder);

    /**
     * @notice Pays `amount` of `paymentToken` (from the caller, approved beforehand) to the holders of `token`, pro
     * rata to their balances now: takes a snapshot of `token` as the record point.
     * @return id The distribution's id (per token, from 1).
     */
    function distribute(address token, address paymentToken, uint256 amount) external returns (uint256 id);

    /**
     * @notice Pays the caller its share of distribution `id` of `token`: balance at the snapshot x amount / supply at
     * the snapshot, rounded down (the sum of claims never exceeds the amount).
     * @return amount What was paid.
     */
    function claim(address token, uint256 id) external returns (uint256 amount);

    /// @notice What `holder` may claim from distribution `id` of `token` (0 once claimed).
    function claimable(address token, uint256 id, address holder) external view returns (uint256);
    /// @notice Whether `holder` claimed distribution `id` of `token`.
    function isClaimed(address token, uint256 id, address holder) external view returns (bool);
    /// @notice Distribution `id` of `token`.
    function distributionOf(address token, uint256 id) external view returns (Distribution memory);
    /// @notice Number of distributions of `token`.
    function distributionCount(address token) external view returns (uint256);
}

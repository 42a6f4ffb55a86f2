// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title IRWADvP
 * @notice Delivery versus payment for RWA tokens: a seller's and a buyer's EIP-712 signed orders, matched and
 * settled atomically by anyone: the RWA tokens move seller → buyer through the token (every eligibility, freeze
 * and compliance check applies) and the payment token buyer → seller, or nothing moves.
 */
interface IRWADvP {
    /// @notice A signed order. Both sides of a match must agree on the asset, the amounts and the payment token.
    struct Order {
        address maker;
        bool sell;
        address asset;
        uint256 assetAmount;
        address paymentToken;
        uint256 paymentAmount;
        address counterparty; // zero: anyone
        uint256 nonce; // the maker's next nonce
        uint256 deadline; // seconds
    }

    /// @notice `seller` delivered `assetAmount` of `asset` to `buyer` against `paymentAmount` of `paymentToken`.
    event Settled(
        address indexed seller,
        address indexed buyer,
        address indexed asset,
        uint256 assetAmount,
        address paymentToken,
        uint256 paymentAmount,
        uint256 sellNonce,
        uint256 buyNonce
    );
    /// @notice `maker` gave up nonce `nonce` (cancelling the order signed with it).
    event NonceCancelled(address indexed maker, uint256 nonce);

    /// @notice The first order must sell and the second buy.
    error DvPWrongSide();
    /// @notice The orders disagree on asset, amounts or payment token, or an amount is zero.
    error DvPOrdersMismatch();
    /// @notice Seller and buyer are the same account `maker`.
    error DvPSameMaker(address maker);
    /// @notice `maker`'s order names another counterparty than `counterparty`.
    error DvPWrongCounterparty(address maker, address counterparty);

    /**
     * @notice Settles `sellOrder` against `buyOrder`, consuming both makers' nonces.
     * @param sellOrder The seller's order (`sell` true).
     * @param sellSignature The seller's EIP-712 signature (secp256k1, ERC-1271 or SM2).
     * @param buyOrder The buyer's order (`sell` false).
     * @param buySignature The buyer's EIP-712 signature.
     */
    function settle(
        Order calldata sellOrder,
        bytes calldata sellSignature,
        Order calldata buyOrder,
        bytes calldata buySignature
    ) external;

    /// @notice Gives up the caller's current nonce: an order signed with it can no longer settle.
    function cancelNonce() external;

    /// @notice The nonce `maker`'s next order must carry.
    function nonces(address maker) external view returns (uint256);

    /// @notice EIP-712 struct hash of `order` (what the maker signs, inside the domain's digest).
    function hashOrder(Order calldata order) external pure returns (bytes32);
}

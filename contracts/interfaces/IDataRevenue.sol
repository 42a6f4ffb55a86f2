// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title IDataRevenue
 * @notice The revenue split of data elements: each token's payees with basis-point shares, fees credited to them
 * at the moment they are paid, withdrawn by each payee when it likes (pull payments), in any token it was paid in.
 * @dev Holds the fees; immutable (no proxy, no admin): nobody, governance included, can move a payee's credit.
 */
interface IDataRevenue {
    /**
     * @notice A share of every fee of a token.
     * @param account The payee; address(0) stands for the token's holder at the time of the payment.
     * @param bps Share in basis points; the shares of a token add up to 10,000.
     */
    struct Payee {
        address account;
        uint16 bps;
    }

    /// @notice `payee` was credited `amount` of `paymentToken` from a fee of `tokenId`.
    event RevenueCredited(address indexed payee, address indexed paymentToken, uint256 indexed tokenId, uint256 amount);

    /// @notice `payee` withdrew `amount` of `paymentToken` to `to`.
    event Withdrawn(address indexed payee, address indexed paymentToken, address to, uint256 amount);

    /// @notice The payees of `tokenId` are now `payees`.
    event PayeesChanged(uint256 indexed tokenId, Payee[] payees);

    /// @notice Only the data-element registry may call this; `caller` is not it.
    error RevenueOnlyElement(address caller);
    /// @notice `caller` is not the holder of `tokenId`.
    error RevenueNotHolder(uint256 tokenId, address caller);
    /// @notice The payees are not valid: none, more than the maximum, a zero share, a duplicate, or shares not adding up to 10,000.
    error RevenueInvalidPayees();
    /// @notice `payee`, whose share of `tokenId` falls, did not consent.
    error RevenueConsentMissing(uint256 tokenId, address payee);
    /// @notice A consent was given by `payee`, whose share does not fall (or who consented twice).
    error RevenueUnexpectedConsent(uint256 tokenId, address payee);
    /// @notice `consenting` and `signatures` differ in length.
    error RevenueConsentsMismatch();
    /// @notice `payee` has nothing of `paymentToken` to withdraw.
    error RevenueNothingToWithdraw(address payee, address paymentToken);

    /// @notice The data-element registry whose fees this contract splits.
    function element() external view returns (address);

    /// @notice The payees of `tokenId` (one payee, the holder, with 10,000 when none were set).
    function payeesOf(uint256 tokenId) external view returns (Payee[] memory);

    /// @notice Sets the payees of a newly registered `tokenId` (the data-element registry only).
    function initPayees(uint256 tokenId, Payee[] calldata payees) external;

    /**
     * @notice Replaces the payees of `tokenId` (its holder only). Every payee whose share falls consents with an
     * EIP-712 signature `Payees(tokenId, payees, nonce, deadline)`; the holder's own share (address(0) or the
     * holder's address) needs none.
     * @param consenting The payees who sign, one signature each in `signatures`.
     */
    function setPayees(
        uint256 tokenId,
        Payee[] calldata payees,
        uint256 deadline,
        address[] calldata consenting,
        bytes[] calldata signatures
    ) external;

    /**
     * @notice Credits `fee` of `paymentToken` (already transferred here) to the payees of `tokenId`: each its share
     * rounded down, the last one the remainder, so the credits add up to the fee. The data-element registry only.
     * @param holder The holder of `tokenId` now (the payee address(0) stands for).
     */
    function credit(uint256 tokenId, address paymentToken, uint256 fee, address holder) external;

    /// @notice What `payee` may withdraw in `paymentToken`.
    function creditOf(address payee, address paymentToken) external view returns (uint256);

    /// @notice Pays the caller's whole credit in `paymentToken` to `to`.
    function withdraw(address paymentToken, address to) external returns (uint256 amount);

    /**
     * @notice Relays a rental `renter` signed: EIP-712 `Rent(tokenId, renter, duration, maxFee, nonce, deadline)` in
     * this contract's domain. The data-element registry rents as if `renter` had called `rent` (same checks; the fee
     * comes from the renter's balance, under its allowance to the registry).
     * @return expires Last second of the renter's use right.
     */
    function rentBySig(
        uint256 tokenId,
        address renter,
        uint256 duration,
        uint256 maxFee,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint64 expires);

    /// @notice The signer's next nonce (payee consents and signed rentals share it).
    function nonces(address owner) external view returns (uint256);
}

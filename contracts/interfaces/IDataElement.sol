// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ICredentialRegistry} from "./ICredentialRegistry.sol";
import {IDataRevenue} from "./IDataRevenue.sol";

/**
 * @title IDataElement
 * @notice Data elements (a data set, an API, a report) as ERC-721 registration certificates whose usage right is
 * rented out under the ERC-4907 `user` role, for a fee computed at the moment of use, paid to the registry's
 * revenue contract (IDataRevenue) that splits it among the token's payees (pull payments). The token id is the data commitment: `uint256(dataHash)`.
 * @dev Rights are separate, as data-property rules name them: the holder owns the NFT (holding right), the user
 * holds the use right until its expiry, an operator named per token publishes and prices usage offers (operation
 * right). The circulation ledger is the events below (each rental carries its sequence number) with counters and
 * totals in storage.
 */
interface IDataElement {
    /**
     * @notice Usage terms of a token.
     * @param paymentToken ERC-20 the fee is paid in (one governance accepts).
     * @param pricePerSecond Fee per second of use, in the payment token's units.
     * @param minDuration Shortest rental, seconds (at least 1).
     * @param maxDuration Longest rental, seconds (at least `minDuration`).
     * @param topic Credential topic a renter must hold (0: none).
     * @param requiresPresentation Whether a renter must show a signed presentation of that credential.
     */
    struct Offer {
        address paymentToken;
        uint96 pricePerSecond;
        uint32 minDuration;
        uint32 maxDuration;
        uint32 topic;
        bool requiresPresentation;
    }

    /**
     * @notice What a token's registration recorded.
     * @param registrant The registrant's DID (address).
     * @param registeredAt Registration time, seconds.
     * @param classification Classification level (governance names the levels).
     * @param category Category code.
     * @param royaltyBps ERC-2981 royalty to the registrant, basis points.
     * @param clearUserOnTransfer Whether a transfer outside a paid rental clears the user.
     * @param requiresPresentation Whether the current offer requires renters to show a presentation.
     */
    struct Certificate {
        address registrant;
        uint40 registeredAt;
        uint8 classification;
        uint16 category;
        uint16 royaltyBps;
        bool clearUserOnTransfer;
        bool requiresPresentation;
    }

    /**
     * @notice The use right of a token as stored (ERC-4907's `userOf` hides an expired user; this does not).
     * @param user The last user set.
     * @param expires Last second of its right.
     * @param paid Whether it was paid for (a rental): nobody can revoke it before it expires.
     * @param rentals Number of rentals of the token ever.
     */
    struct UseRight {
        address user;
        uint64 expires;
        bool paid;
        uint24 rentals;
    }

    /// @notice ERC-4907: the user of `tokenId` is now `user` until `expires`.
    event UpdateUser(uint256 indexed tokenId, address indexed user, uint64 expires);

    /// @notice `registrant` registered data `tokenId` (= its data hash).
    event DataRegistered(
        uint256 indexed tokenId,
        address indexed registrant,
        uint8 classification,
        uint16 category,
        uint16 royaltyBps,
        string metadataURI
    );

    /// @notice The holder of `tokenId` named `operator` (address(0): removed) in place of `previous`.
    event OperatorChanged(uint256 indexed tokenId, address indexed previous, address indexed operator);

    /// @notice `by` (holder or operator) published `offer` for `tokenId`.
    event OfferPublished(uint256 indexed tokenId, address indexed by, Offer offer);

    /// @notice `by` withdrew the offer of `tokenId`.
    event OfferWithdrawn(uint256 indexed tokenId, address indexed by);

    /// @notice Rental number `rental` of `tokenId`: `renter` paid `fee` for use from `start` to `expires`.
    event Rented(
        uint256 indexed tokenId,
        address indexed renter,
        address indexed paymentToken,
        uint256 fee,
        uint64 start,
        uint64 expires,
        uint32 rental
    );


    /// @notice The holder of `tokenId` set whether transfers outside paid rentals clear the user.
    event ClearUserOnTransferChanged(uint256 indexed tokenId, bool clear);

    /// @notice Governance named classification `level` (`name` 0: removed) and whether its data may be rented.
    event ClassificationChanged(uint8 indexed level, bytes32 name, bool rentable);

    /// @notice Governance accepts (or no longer accepts) `token` as a payment token.
    event PaymentTokenChanged(address indexed token, bool accepted);

    /// @notice Governance bound the registry to its revenue contract `revenue` (once).
    event RevenueSet(address indexed revenue);

    /// @notice Data `dataHash` is already registered (token id `uint256(dataHash)`).
    error DataAlreadyRegistered(bytes32 dataHash);
    /// @notice The data hash 0 is not a commitment.
    error DataHashZero();
    /// @notice Token `tokenId` does not exist.
    error DataUnknownToken(uint256 tokenId);
    /// @notice Classification `level` is not one governance named.
    error DataUnknownClassification(uint8 level);
    /// @notice Data of classification `level` may not be rented.
    error DataClassificationNotRentable(uint8 level);
    /// @notice `royaltyBps` is above 10,000.
    error DataRoyaltyTooHigh(uint16 royaltyBps);
    /// @notice `caller` is neither holder nor approved for `tokenId`.
    error DataNotHolder(uint256 tokenId, address caller);
    /// @notice `caller` is neither holder nor operator of `tokenId`.
    error DataNotHolderOrOperator(uint256 tokenId, address caller);
    /// @notice `user` holds a paid use right of `tokenId` until `expires`: nobody can change it before.
    error DataPaidRentalActive(uint256 tokenId, address user, uint64 expires);
    /// @notice `user` holds the use right of `tokenId` until `expires`; another account cannot rent it before.
    error DataUserActive(uint256 tokenId, address user, uint64 expires);
    /// @notice The operator of `tokenId` is already `operator`.
    error DataOperatorUnchanged(uint256 tokenId, address operator);
    /// @notice The terms are not valid (duration bounds, payment token).
    error DataInvalidOffer(uint256 tokenId);
    /// @notice `token` is not a payment token governance accepts.
    error DataPaymentTokenNotAccepted(address token);
    /// @notice Governance's acceptance of `token` is already `accepted` (or `token` is address(0)).
    error DataPaymentTokenUnchanged(address token, bool accepted);
    /// @notice `tokenId` has no offer.
    error DataNoOffer(uint256 tokenId);
    /// @notice `duration` is outside the offer's bounds `[minDuration, maxDuration]`.
    error DataInvalidDuration(uint256 tokenId, uint256 duration, uint32 minDuration, uint32 maxDuration);
    /// @notice The fee `fee` is above the renter's limit `maxFee`.
    error DataFeeAboveLimit(uint256 fee, uint256 maxFee);
    /// @notice The offer requires a presentation: use `rentWithPresentation`.
    error DataPresentationRequired(uint256 tokenId);
    /// @notice The presentation shows no valid credential of `holder` on the offer's topic `topic`.
    error DataPresentationMissingTopic(address holder, uint32 topic);
    /// @notice The presentation is of `holder`, not of the renter `renter`.
    error DataPresentationWrongHolder(address holder, address renter);
    /// @notice The lists given to a batch call differ in length.
    error DataBatchLengthMismatch();
    /// @notice A batch call was given no token.
    error DataBatchEmpty();
    /// @notice Classification level 0 is reserved for "none".
    error DataClassificationZero();
    /// @notice Classification `level` already has this name and rentability.
    error DataClassificationUnchanged(uint8 level);
    /// @notice The registry is not bound to its revenue contract yet: no fee can be collected.
    error DataRevenueUnset();
    /// @notice The registry is already bound to revenue contract `revenue`.
    error DataRevenueAlreadySet(address revenue);
    /// @notice `revenue` splits the fees of another registry.
    error DataRevenueWrongElement(address revenue);
    /// @notice Only the revenue contract relays signed rentals; `caller` is not it.
    error DataOnlyRevenue(address caller);
    /// @notice The setting is already the value given.
    error DataSettingUnchanged(uint256 tokenId);

    // ───────────────────────────── ERC-4907 ─────────────────────────────

    /// @notice Sets the user of `tokenId` until `expires` (holder or approved; refused during a paid rental).
    function setUser(uint256 tokenId, address user, uint64 expires) external;

    /// @notice The user of `tokenId`, address(0) if none or expired.
    function userOf(uint256 tokenId) external view returns (address);

    /// @notice The last second of the user's right on `tokenId` (0 if none).
    function userExpires(uint256 tokenId) external view returns (uint256);

    // ───────────────────────────── Registration ─────────────────────────────

    /**
     * @notice Registers data `dataHash` and mints its certificate (token id `uint256(dataHash)`) to the caller,
     * who must hold the data-provider credential.
     * @param dataHash Commitment to the data (for example the SHA-256 or keccak256 of the data set).
     * @param classification A classification level governance named.
     * @param category Category code.
     * @param royaltyBps ERC-2981 royalty to the registrant, basis points (at most 10,000).
     * @param metadataURI The metadata's URI; empty to use the registry's base URI.
     * @param payees The split of every fee (kept by the revenue contract); empty for "all to the holder".
     * @return tokenId `uint256(dataHash)`.
     */
    function register(
        bytes32 dataHash,
        uint8 classification,
        uint16 category,
        uint16 royaltyBps,
        string calldata metadataURI,
        IDataRevenue.Payee[] calldata payees
    ) external returns (uint256 tokenId);

    /// @notice What the registration of `tokenId` recorded.
    function certificateOf(uint256 tokenId) external view returns (Certificate memory);

    /// @notice Sets the metadata URI of `tokenId` (holder or operator); empty falls back to the base URI.
    function setTokenURI(uint256 tokenId, string calldata uri) external;

    /// @notice Whether transfers of `tokenId` outside a paid rental clear the user (holder only).
    function setClearUserOnTransfer(uint256 tokenId, bool clear) external;

    // ───────────────────────────── Operation right, offers ─────────────────────────────

    /// @notice Names the operator of `tokenId` (holder only; address(0) removes it).
    function setOperator(uint256 tokenId, address operator) external;

    /// @notice The operator of `tokenId` (address(0): none).
    function operatorOf(uint256 tokenId) external view returns (address);

    /**
     * @notice Publishes (or replaces) the usage offer of `tokenId` (holder or operator). While a paid rental runs,
     * price and durations may change but not the credential topic nor the presentation rule, which decide access.
     */
    function publishOffer(uint256 tokenId, Offer calldata offer) external;

    /// @notice Publishes offers for many tokens (holder or operator of each).
    function publishOffers(uint256[] calldata tokenIds, Offer[] calldata offers) external;

    /// @notice Withdraws the offer of `tokenId` (holder or operator); rentals already paid keep running.
    function withdrawOffer(uint256 tokenId) external;

    /// @notice The offer of `tokenId` (maxDuration 0: none).
    function offerOf(uint256 tokenId) external view returns (Offer memory);

    /// @notice The fee for renting `tokenId` for `duration` seconds now (reverts when not rentable for that long).
    function quote(uint256 tokenId, uint256 duration) external view returns (uint256 fee, address paymentToken);

    // ───────────────────────────── Rentals ─────────────────────────────

    /**
     * @notice Rents the use right of `tokenId` for `duration` seconds, paying the fee in the offer's token
     * (the caller must have approved this contract). The current user renewing extends its expiry.
     * @param maxFee The most the caller agrees to pay (protects against a price change before inclusion).
     */
    function rent(uint256 tokenId, uint256 duration, uint256 maxFee) external returns (uint64 expires);

    /// @notice As `rent`, for an offer that requires a presentation: `presentation` is for this contract.
    function rentWithPresentation(
        uint256 tokenId,
        uint256 duration,
        uint256 maxFee,
        ICredentialRegistry.Presentation calldata presentation,
        bytes calldata presentationSignature
    ) external returns (uint64 expires);

    /**
     * @notice As `rent`, for `renter`, who signed the rental and pays the fee from its own balance: called only by
     * the revenue contract, which checks the signature (`IDataRevenue.rentBySig`).
     */
    function rentFor(uint256 tokenId, address renter, uint256 duration, uint256 maxFee) external returns (uint64 expires);

    /// @notice Sets the users of many tokens (holder or approved of each).
    function setUsers(uint256[] calldata tokenIds, address[] calldata users, uint64[] calldata expires) external;

    /// @notice The use right of `tokenId` as stored, and its number of rentals.
    function useOf(uint256 tokenId) external view returns (UseRight memory);

    /// @notice Number of rentals of `tokenId` paid in `paymentToken` and the fees they paid.
    function totalsOf(uint256 tokenId, address paymentToken) external view returns (uint64 rentals, uint256 fees);

    // ───────────────────────────── Access decision ─────────────────────────────

    /// @notice Whether `account` may receive the raw data of `tokenId` now (holder, or current user holding the offer's credential).
    function hasAccess(uint256 tokenId, address account) external view returns (bool);

    /// @notice As `hasAccess`, for a user who shows a presentation (for this contract) of the offer's credential.
    function hasAccessWithPresentation(
        uint256 tokenId,
        address account,
        ICredentialRegistry.Presentation calldata presentation,
        bytes calldata presentationSignature
    ) external view returns (bool);

    // ───────────────────────────── Governance ─────────────────────────────

    /// @notice Names classification `level` (name 0 removes it) and whether its data may be rented.
    function setClassification(uint8 level, bytes32 name, bool rentable) external;

    /// @notice Name and rentability of classification `level`.
    function classification(uint8 level) external view returns (bytes32 name, bool rentable);

    /// @notice Accepts (or no longer accepts) `token` as a payment token.
    function setPaymentToken(address token, bool accepted) external;

    /// @notice Whether `token` is accepted as a payment token.
    function isPaymentToken(address token) external view returns (bool);

    /// @notice Binds the registry to the revenue contract that receives and splits its fees (once).
    function setRevenue(IDataRevenue revenue) external;

    /// @notice The revenue contract that receives and splits the fees.
    function revenue() external view returns (IDataRevenue);

    /// @notice Sets the base URI of tokens without their own metadata URI (`<base><tokenId as 0x hex>`).
    function setBaseURI(string calldata baseURI) external;

    /// @notice The base URI of tokens without their own metadata URI.
    function baseURI() external view returns (string memory);
}

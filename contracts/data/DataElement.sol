// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC721Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC721/ERC721Upgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {TimeSource} from "../common/TimeSource.sol";
import {UpgradeableModule} from "../governance/UpgradeableModule.sol";
import {IdentityGate} from "../identity/IdentityGate.sol";
import {Topics} from "../identity/Topics.sol";
import {IDataElement} from "../interfaces/IDataElement.sol";
import {IDataRevenue} from "../interfaces/IDataRevenue.sol";
import {IDIDRegistry} from "../interfaces/IDIDRegistry.sol";
import {ICredentialRegistry} from "../interfaces/ICredentialRegistry.sol";

/**
 * @title DataElement
 * @notice Data elements as ERC-721 registration certificates (token id = the data hash) with ERC-4907 usage
 * rights rented out for a fee computed at the moment of use, paid straight to the DataRevenue contract that
 * splits it among the token's payees (pull payments); ERC-2981 royalty to the registrant, ERC-4906 metadata events. UUPS behind an ERC1967
 * proxy, governed by the suite's AccessManager; who may register and rent is asked of the IdentityGate. Signed
 * operations (relayed rentals, payee consents) are verified by DataRevenue, which relays rentals to {rentFor}.
 * @dev Storage per token, packed for the hot paths: the certificate (registrant, time, classification, category,
 * royalty, transfer and presentation flags) is one slot, the user (user, expiry, paid, rental counter) one slot, the offer two (payment
 * token and price; operator, durations and topic); payees live in DataRevenue. A paid rental is protected: while
 * it runs nobody changes the user and a transfer keeps it (ERC-4907's reference clears it). Override points for
 * extensions: {_checkRenter} (who may rent) and {_feeFor} (pricing).
 */
contract DataElement is UpgradeableModule, ERC721Upgradeable, TimeSource, IdentityGate, IDataElement, IERC2981, IERC4906 {
    using SafeERC20 for IERC20;

    /// @dev Two slots: (payment token, price), (operator, durations, topic).
    struct Terms {
        address paymentToken;
        uint96 pricePerSecond;
        address operator;
        uint32 minDuration;
        uint32 maxDuration;
        uint32 topic;
    }

    /// @dev Rentals and fees of a token in one payment token. One slot.
    struct Totals {
        uint64 rentals;
        uint192 fees;
    }

    /// @custom:storage-location erc7201:trustbase.storage.DataElement
    struct DataElementStorage {
        mapping(uint256 tokenId => Certificate) records;
        mapping(uint256 tokenId => UseRight) users;
        mapping(uint256 tokenId => Terms) terms;
        mapping(uint256 tokenId => mapping(address paymentToken => Totals)) totals;
        mapping(uint256 tokenId => string) tokenURIs;
        mapping(uint8 level => bytes32 name) classifications;
        uint256 notRentable;
        mapping(address token => bool) paymentTokens;
        string baseURI;
        IDataRevenue revenue;
    }

    // keccak256(abi.encode(uint256(keccak256("trustbase.storage.DataElement")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x16ec009ff1222fff3ef8bb1ddc3d8ee85b439929e91622b8bcadf27fe77f4300;

    uint16 private constant BPS = 10_000;

    /**
     * @param dids The suite's DID registry.
     * @param credentials The suite's credential registry (its proxy).
     * @param millisecondTimestamps true on chains whose `block.timestamp` counts milliseconds.
     * @custom:oz-upgrades-unsafe-allow constructor
     */
    constructor(
        IDIDRegistry dids,
        ICredentialRegistry credentials,
        bool millisecondTimestamps
    ) TimeSource(millisecondTimestamps) IdentityGate(dids, credentials) {}

    /// @notice Initializes the proxy's state.
    /// @param authority The suite's AccessManager.
    function initialize(address authority) external initializer {
        __UpgradeableModule_init(authority);
        __ERC721_init("trustbase Data Element", "DATA");
    }

    // ───────────────────────────── ERC-4907 ─────────────────────────────

    /// @inheritdoc IDataElement
    /// @dev Public, not external, so that setUsers calls this body directly: one internal call less on the
    /// holder's most frequent operation (issue #4 budget).
    function setUser(uint256 tokenId, address user, uint64 expires) public {
        address holder = _ownerOf(tokenId);
        if (holder != msg.sender && !_isAuthorized(holder, msg.sender, tokenId)) {
            if (holder == address(0)) revert DataUnknownToken(tokenId);
            revert DataNotHolder(tokenId, msg.sender);
        }
        // One read and one write of the packed slot (user: bits 0-159, expires: 160-223, paid: 224-231,
        // rentals: 232-255), which the field-by-field Solidity would read five times and write three. The pointer is
        // set inline: a call to _storage() costs ~30 gas here.
        DataElementStorage storage $;
        uint256 word;
        assembly ("memory-safe") {
            $.slot := STORAGE_LOCATION
        }
        UseRight storage info = $.users[tokenId];
        assembly ("memory-safe") {
            word := sload(info.slot)
        }
        if ((word >> 224) & 0xff != 0) {
            uint64 currentExpires = uint64(word >> 160);
            if (currentExpires >= _now()) revert DataPaidRentalActive(tokenId, address(uint160(word)), currentExpires);
        }
        word = (word & (uint256(type(uint24).max) << 232)) | (uint256(expires) << 160) | uint256(uint160(user));
        // UpdateUser(tokenId, user, expires) logged from scratch space, without the ~40 gas of the free-memory pointer.
        bytes32 topic0 = UpdateUser.selector;
        assembly ("memory-safe") {
            sstore(info.slot, word)
            mstore(0x00, expires)
            log3(0x00, 0x20, topic0, tokenId, user)
        }
    }

    /// @inheritdoc IDataElement
    function setUsers(uint256[] calldata tokenIds, address[] calldata users, uint64[] calldata expires) external {
        if (tokenIds.length == 0) revert DataBatchEmpty();
        if (tokenIds.length != users.length || tokenIds.length != expires.length) revert DataBatchLengthMismatch();
        for (uint256 i; i < tokenIds.length; ++i) {
            setUser(tokenIds[i], users[i], expires[i]);
        }
    }

    /// @inheritdoc IDataElement
    function userOf(uint256 tokenId) external view returns (address) {
        UseRight storage info = _storage().users[tokenId];
        return info.expires >= _now() ? info.user : address(0);
    }

    /// @inheritdoc IDataElement
    function userExpires(uint256 tokenId) external view returns (uint256) {
        return _storage().users[tokenId].expires;
    }

    // ───────────────────────────── Registration ─────────────────────────────

    /// @inheritdoc IDataElement
    function register(
        bytes32 dataHash,
        uint8 classificationLevel,
        uint16 category,
        uint16 royaltyBps,
        string calldata metadataURI,
        IDataRevenue.Payee[] calldata payees
    ) external returns (uint256 tokenId) {
        _requireCredential(msg.sender, Topics.DATA_PROVIDER);
        if (dataHash == bytes32(0)) revert DataHashZero();
        tokenId = uint256(dataHash);
        if (_ownerOf(tokenId) != address(0)) revert DataAlreadyRegistered(dataHash);
        DataElementStorage storage $ = _storage();
        if (classificationLevel == 0 || $.classifications[classificationLevel] == bytes32(0)) {
            revert DataUnknownClassification(classificationLevel);
        }
        if (royaltyBps > BPS) revert DataRoyaltyTooHigh(royaltyBps);

        $.records[tokenId] = Certificate({
            registrant: msg.sender,
            registeredAt: uint40(_now()),
            classification: classificationLevel,
            category: category,
            royaltyBps: royaltyBps,
            clearUserOnTransfer: true,
            requiresPresentation: false
        });
        if (bytes(metadataURI).length != 0) $.tokenURIs[tokenId] = metadataURI;
        _mint(msg.sender, tokenId);
        emit DataRegistered(tokenId, msg.sender, classificationLevel, category, royaltyBps, metadataURI);
        if (payees.length != 0) _revenue($).initPayees(tokenId, payees);
    }

    /// @inheritdoc IDataElement
    function certificateOf(uint256 tokenId) external view returns (Certificate memory) {
        return _record(tokenId);
    }

    /// @inheritdoc IDataElement
    function setTokenURI(uint256 tokenId, string calldata uri) external {
        _requireHolderOrOperator(tokenId);
        _storage().tokenURIs[tokenId] = uri;
        emit MetadataUpdate(tokenId);
    }

    /// @inheritdoc IDataElement
    function setClearUserOnTransfer(uint256 tokenId, bool clear) external {
        _requireHolder(tokenId);
        Certificate storage record = _storage().records[tokenId];
        if (record.clearUserOnTransfer == clear) revert DataSettingUnchanged(tokenId);
        record.clearUserOnTransfer = clear;
        emit ClearUserOnTransferChanged(tokenId, clear);
    }

    /// @notice The metadata URI of `tokenId`: its own, or `<base URI><token id as 0x hex>`, or empty without either.
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        DataElementStorage storage $ = _storage();
        string memory own = $.tokenURIs[tokenId];
        if (bytes(own).length != 0) return own;
        string memory base = $.baseURI;
        return bytes(base).length == 0 ? "" : string.concat(base, Strings.toHexString(tokenId, 32));
    }

    /// @notice ERC-2981: the registrant receives `royaltyBps` of `salePrice`.
    function royaltyInfo(uint256 tokenId, uint256 salePrice) external view returns (address receiver, uint256 amount) {
        Certificate storage record = _storage().records[tokenId];
        if (record.registrant == address(0)) revert DataUnknownToken(tokenId);
        return (record.registrant, (salePrice * record.royaltyBps) / BPS);
    }

    // ───────────────────────────── Operation right, offers ─────────────────────────────

    /// @inheritdoc IDataElement
    function setOperator(uint256 tokenId, address operator) external {
        _requireHolder(tokenId);
        Terms storage terms = _storage().terms[tokenId];
        address previous = terms.operator;
        if (previous == operator) revert DataOperatorUnchanged(tokenId, operator);
        terms.operator = operator;
        emit OperatorChanged(tokenId, previous, operator);
    }

    /// @inheritdoc IDataElement
    function operatorOf(uint256 tokenId) external view returns (address) {
        return _storage().terms[tokenId].operator;
    }

    /// @inheritdoc IDataElement
    function publishOffer(uint256 tokenId, Offer calldata offer) external {
        _publishOffer(tokenId, offer);
    }

    /// @inheritdoc IDataElement
    function publishOffers(uint256[] calldata tokenIds, Offer[] calldata offers) external {
        if (tokenIds.length == 0) revert DataBatchEmpty();
        if (tokenIds.length != offers.length) revert DataBatchLengthMismatch();
        for (uint256 i; i < tokenIds.length; ++i) {
            _publishOffer(tokenIds[i], offers[i]);
        }
    }

    /// @inheritdoc IDataElement
    function withdrawOffer(uint256 tokenId) external {
        _requireHolderOrOperator(tokenId);
        Terms storage terms = _storage().terms[tokenId];
        if (terms.maxDuration == 0) revert DataNoOffer(tokenId);
        // The topic stays: access of rentals still running is decided on it.
        terms.maxDuration = 0;
        emit OfferWithdrawn(tokenId, msg.sender);
    }

    /// @inheritdoc IDataElement
    function offerOf(uint256 tokenId) public view returns (Offer memory offer) {
        DataElementStorage storage $ = _storage();
        Terms storage terms = $.terms[tokenId];
        offer = Offer({
            paymentToken: terms.paymentToken,
            pricePerSecond: terms.pricePerSecond,
            minDuration: terms.minDuration,
            maxDuration: terms.maxDuration,
            topic: terms.topic,
            requiresPresentation: $.records[tokenId].requiresPresentation
        });
    }

    /// @inheritdoc IDataElement
    function quote(uint256 tokenId, uint256 duration) external view returns (uint256 fee, address paymentToken) {
        DataElementStorage storage $ = _storage();
        Terms memory terms = _rentableTerms($, tokenId, _record(tokenId));
        _checkDuration(tokenId, duration, terms);
        return (_feeFor(tokenId, duration, terms), terms.paymentToken);
    }

    // ───────────────────────────── Rentals ─────────────────────────────

    /// @inheritdoc IDataElement
    function rent(uint256 tokenId, uint256 duration, uint256 maxFee) external returns (uint64) {
        return _rent(tokenId, msg.sender, duration, maxFee, false);
    }

    /// @inheritdoc IDataElement
    function rentWithPresentation(
        uint256 tokenId,
        uint256 duration,
        uint256 maxFee,
        ICredentialRegistry.Presentation calldata presentation,
        bytes calldata presentationSignature
    ) external returns (uint64) {
        if (presentation.holder != msg.sender) revert DataPresentationWrongHolder(presentation.holder, msg.sender);
        uint32 topic = _storage().terms[tokenId].topic;
        if (!_presents(presentation, presentationSignature, topic)) {
            revert DataPresentationMissingTopic(presentation.holder, topic);
        }
        return _rent(tokenId, msg.sender, duration, maxFee, true);
    }

    /// @inheritdoc IDataElement
    function rentFor(uint256 tokenId, address renter, uint256 duration, uint256 maxFee) external returns (uint64) {
        if (msg.sender != address(_storage().revenue)) revert DataOnlyRevenue(msg.sender);
        return _rent(tokenId, renter, duration, maxFee, false);
    }

    /// @inheritdoc IDataElement
    function useOf(uint256 tokenId) external view returns (UseRight memory) {
        return _storage().users[tokenId];
    }

    /// @inheritdoc IDataElement
    function totalsOf(uint256 tokenId, address paymentToken) external view returns (uint64 rentals, uint256 fees) {
        Totals memory totals = _storage().totals[tokenId][paymentToken];
        return (totals.rentals, totals.fees);
    }

    // ───────────────────────────── Access decision ─────────────────────────────

    /// @inheritdoc IDataElement
    function hasAccess(uint256 tokenId, address account) external view returns (bool) {
        (bool decided, bool allowed, ) = _access(tokenId, account);
        if (decided) return allowed;
        // The current user: the offer must not require a presentation, and the credential must still be valid.
        Offer memory offer = offerOf(tokenId);
        if (offer.requiresPresentation) return false;
        return offer.topic == 0 || _holdsValid(account, offer.topic);
    }

    /// @inheritdoc IDataElement
    function hasAccessWithPresentation(
        uint256 tokenId,
        address account,
        ICredentialRegistry.Presentation calldata presentation,
        bytes calldata presentationSignature
    ) external view returns (bool) {
        (bool decided, bool allowed, uint32 topic) = _access(tokenId, account);
        if (decided) return allowed;
        if (presentation.holder != account) revert DataPresentationWrongHolder(presentation.holder, account);
        return _presents(presentation, presentationSignature, topic);
    }

    // ───────────────────────────── Governance ─────────────────────────────

    /// @inheritdoc IDataElement
    function setClassification(uint8 level, bytes32 name, bool rentable) external restricted {
        if (level == 0) revert DataClassificationZero();
        DataElementStorage storage $ = _storage();
        uint256 bit = uint256(1) << level;
        // A level without a name is not rentable: removing a level stops offers and rentals of its data, as
        // `classification` reports.
        bool rentableNext = rentable && name != bytes32(0);
        bytes32 current = $.classifications[level];
        bool rentableNow = current != bytes32(0) && $.notRentable & bit == 0;
        if (current == name && rentableNow == rentableNext) revert DataClassificationUnchanged(level);
        $.classifications[level] = name;
        $.notRentable = rentableNext ? $.notRentable & ~bit : $.notRentable | bit;
        emit ClassificationChanged(level, name, rentableNext);
    }

    /// @inheritdoc IDataElement
    function classification(uint8 level) external view returns (bytes32 name, bool rentable) {
        DataElementStorage storage $ = _storage();
        name = $.classifications[level];
        rentable = name != bytes32(0) && $.notRentable & (uint256(1) << level) == 0;
    }

    /// @inheritdoc IDataElement
    function setPaymentToken(address token, bool accepted) external restricted {
        mapping(address => bool) storage tokens = _storage().paymentTokens;
        if (token == address(0) || tokens[token] == accepted) revert DataPaymentTokenUnchanged(token, accepted);
        tokens[token] = accepted;
        emit PaymentTokenChanged(token, accepted);
    }

    /// @inheritdoc IDataElement
    function isPaymentToken(address token) external view returns (bool) {
        return _storage().paymentTokens[token];
    }

    /// @inheritdoc IDataElement
    function setRevenue(IDataRevenue revenue_) external restricted {
        DataElementStorage storage $ = _storage();
        if (address($.revenue) != address(0)) revert DataRevenueAlreadySet(address($.revenue));
        if (revenue_.element() != address(this)) revert DataRevenueWrongElement(address(revenue_));
        $.revenue = revenue_;
        emit RevenueSet(address(revenue_));
    }

    /// @inheritdoc IDataElement
    function revenue() external view returns (IDataRevenue) {
        return _storage().revenue;
    }

    /// @inheritdoc IDataElement
    function setBaseURI(string calldata baseURI_) external restricted {
        _storage().baseURI = baseURI_;
        emit BatchMetadataUpdate(0, type(uint256).max);
    }

    /// @inheritdoc IDataElement
    function baseURI() external view returns (string memory) {
        return _storage().baseURI;
    }

    // ───────────────────────────── ERC-165 ─────────────────────────────

    /// @notice ERC-165: ERC-721 (and metadata), ERC-4907 (0xad092b5c), ERC-2981, ERC-4906.
    function supportsInterface(bytes4 interfaceId) public view override(ERC721Upgradeable, IERC165) returns (bool) {
        return
            interfaceId == 0xad092b5c ||
            interfaceId == type(IERC2981).interfaceId ||
            interfaceId == bytes4(0x49064906) ||
            super.supportsInterface(interfaceId);
    }

    // ───────────────────────────── Override points ─────────────────────────────

    /**
     * @dev Reverts unless `renter` (acting as itself) may rent under `terms`; `presented` is true when it showed
     * a verified presentation of the topic. Override to add rules (and call super).
     */
    function _checkRenter(address renter, Terms memory terms, bool presented) internal view virtual {
        if (presented) {
            // The presentation stands for the credential check; the renter must still control its identity (a
            // rotated-away key must not reuse a presentation the new owner signed, published with an earlier rental).
            if (!_controls(renter, renter)) {
                revert IdentityGateNotController(renter, renter);
            }
        } else if (terms.topic != 0) {
            _requireCredential(renter, terms.topic);
        }
    }

    /// @dev The fee of `duration` seconds of `tokenId` under `terms`. Override for other pricing.
    function _feeFor(uint256, uint256 duration, Terms memory terms) internal view virtual returns (uint256) {
        return duration * terms.pricePerSecond;
    }

    // ───────────────────────────── Internals ─────────────────────────────

    function _publishOffer(uint256 tokenId, Offer calldata offer) private {
        _requireHolderOrOperator(tokenId);
        DataElementStorage storage $ = _storage();
        Certificate storage record = $.records[tokenId];
        if ($.notRentable & (uint256(1) << record.classification) != 0) {
            revert DataClassificationNotRentable(record.classification);
        }
        if (!$.paymentTokens[offer.paymentToken]) revert DataPaymentTokenNotAccepted(offer.paymentToken);
        if (offer.minDuration == 0 || offer.maxDuration < offer.minDuration || (offer.requiresPresentation && offer.topic == 0)) {
            revert DataInvalidOffer(tokenId);
        }
        Terms storage terms = $.terms[tokenId];
        // The terms that decide access (credential topic, presentation) hold while a paid rental runs: changing them
        // would take the data away from a renter who paid for it.
        if (offer.topic != terms.topic || offer.requiresPresentation != record.requiresPresentation) {
            UseRight storage use = $.users[tokenId];
            if (use.paid && use.expires >= _now()) revert DataPaidRentalActive(tokenId, use.user, use.expires);
        }
        terms.paymentToken = offer.paymentToken;
        terms.pricePerSecond = offer.pricePerSecond;
        terms.minDuration = offer.minDuration;
        terms.maxDuration = offer.maxDuration;
        terms.topic = offer.topic;
        if (record.requiresPresentation != offer.requiresPresentation) {
            record.requiresPresentation = offer.requiresPresentation;
        }
        emit OfferPublished(tokenId, msg.sender, offer);
    }

    function _rent(
        uint256 tokenId,
        address renter,
        uint256 duration,
        uint256 maxFee,
        bool presented
    ) private returns (uint64 expires) {
        DataElementStorage storage $ = _storage();
        Certificate memory record = _record(tokenId);
        Terms memory terms = _rentableTerms($, tokenId, record);
        if (!presented && record.requiresPresentation) revert DataPresentationRequired(tokenId);
        _checkDuration(tokenId, duration, terms);
        _checkRenter(renter, terms, presented);
        uint256 fee = _feeFor(tokenId, duration, terms);
        if (fee > maxFee) revert DataFeeAboveLimit(fee, maxFee);

        uint64 start;
        uint24 rental;
        (start, expires, rental) = _grantUse($.users[tokenId], tokenId, renter, duration);

        Totals storage totals = $.totals[tokenId][terms.paymentToken];
        totals.rentals += 1;
        totals.fees += SafeCast.toUint192(fee);
        emit Rented(tokenId, renter, terms.paymentToken, fee, start, expires, rental);

        if (fee != 0) _collect($, tokenId, renter, terms.paymentToken, fee);
    }

    /// @dev Moves `fee` from `renter` to the revenue contract and has it credited to the payees of `tokenId`.
    function _collect(DataElementStorage storage $, uint256 tokenId, address renter, address token, uint256 fee) private {
        IDataRevenue revenue_ = _revenue($);
        IERC20(token).safeTransferFrom(renter, address(revenue_), fee);
        revenue_.credit(tokenId, token, fee, _ownerOf(tokenId));
    }

    /// @dev Gives `renter` a paid use right of `duration` seconds: from now, or extending its own running one.
    function _grantUse(
        UseRight storage info,
        uint256 tokenId,
        address renter,
        uint256 duration
    ) private returns (uint64 start, uint64 expires, uint24 rental) {
        UseRight memory current = info;
        if (current.user != address(0) && current.expires >= _now()) {
            if (current.user != renter) revert DataUserActive(tokenId, current.user, current.expires);
            start = current.expires + 1;
        } else {
            start = uint64(_now());
        }
        expires = uint64(start + duration - 1);
        rental = current.rentals + 1;
        info.user = renter;
        info.expires = expires;
        info.paid = true;
        info.rentals = rental;
        emit UpdateUser(tokenId, renter, expires);
    }

    function _rentableTerms(
        DataElementStorage storage $,
        uint256 tokenId,
        Certificate memory record
    ) private view returns (Terms memory terms) {
        terms = $.terms[tokenId];
        if (terms.maxDuration == 0) revert DataNoOffer(tokenId);
        if ($.notRentable & (uint256(1) << record.classification) != 0) {
            revert DataClassificationNotRentable(record.classification);
        }
        if (!$.paymentTokens[terms.paymentToken]) revert DataPaymentTokenNotAccepted(terms.paymentToken);
    }

    function _checkDuration(uint256 tokenId, uint256 duration, Terms memory terms) private pure {
        if (duration < terms.minDuration || duration > terms.maxDuration) {
            revert DataInvalidDuration(tokenId, duration, terms.minDuration, terms.maxDuration);
        }
    }

    /// @dev Holder: allowed; current user: undecided (credential checks follow); anyone else: refused.
    function _access(uint256 tokenId, address account) private view returns (bool decided, bool allowed, uint32 topic) {
        if (_requireOwned(tokenId) == account) return (true, true, 0);
        UseRight storage info = _storage().users[tokenId];
        if (account == address(0) || info.user != account || info.expires < _now()) return (true, false, 0);
        return (false, false, _storage().terms[tokenId].topic);
    }

    /// @dev Whether the verified presentation shows a valid credential on `topic` (the registry checks the rest).
    function _presents(
        ICredentialRegistry.Presentation calldata presentation,
        bytes calldata signature,
        uint32 topic
    ) private view returns (bool) {
        ICredentialRegistry credentials = _credentialRegistry();
        credentials.verifyPresentation(presentation, signature);
        for (uint256 i; i < presentation.credentialIds.length; ++i) {
            if (credentials.statusOf(presentation.credentialIds[i]).topic == topic) return true;
        }
        return false;
    }

    function _revenue(DataElementStorage storage $) private view returns (IDataRevenue revenue_) {
        revenue_ = $.revenue;
        if (address(revenue_) == address(0)) revert DataRevenueUnset();
    }

    function _requireHolder(uint256 tokenId) private view returns (address holder) {
        holder = _ownerOf(tokenId);
        if (holder == address(0)) revert DataUnknownToken(tokenId);
        if (holder != msg.sender) revert DataNotHolder(tokenId, msg.sender);
    }

    function _requireHolderOrOperator(uint256 tokenId) private view {
        address holder = _ownerOf(tokenId);
        if (holder == address(0)) revert DataUnknownToken(tokenId);
        if (holder != msg.sender && _storage().terms[tokenId].operator != msg.sender) {
            revert DataNotHolderOrOperator(tokenId, msg.sender);
        }
    }

    function _record(uint256 tokenId) private view returns (Certificate memory record) {
        record = _storage().records[tokenId];
        if (record.registrant == address(0)) revert DataUnknownToken(tokenId);
    }

    /**
     * @dev ERC-721 transfers: outside a paid rental that is still running, a transfer clears the user when the
     * holder chose so (the default, as ERC-4907's reference does); a paid rental always survives.
     */
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        from = super._update(to, tokenId, auth);
        if (from == address(0)) return from;
        UseRight storage info = _storage().users[tokenId];
        if (info.user == address(0) || (info.paid && info.expires >= _now())) return from;
        if (!_storage().records[tokenId].clearUserOnTransfer) return from;
        info.user = address(0);
        info.expires = 0;
        info.paid = false;
        emit UpdateUser(tokenId, address(0), 0);
    }

    function _storage() private pure returns (DataElementStorage storage $) {
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}

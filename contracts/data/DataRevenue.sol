// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";
import {SignedOperations} from "../common/SignedOperations.sol";
import {IDataRevenue} from "../interfaces/IDataRevenue.sol";
import {IDataElement} from "../interfaces/IDataElement.sol";

/**
 * @title DataRevenue
 * @notice Revenue split of the data elements of one DataElement registry: payees per token, credits per payee and
 * payment token, pull withdrawals; and the module's signed operations (payee consents, relayed rentals). Immutable: no proxy and no admin, so nobody, governance included, can move a
 * payee's credit; the registry it serves is fixed at construction.
 * @dev Payees of a token live in up to eight slots; the first also holds the count, so crediting a fee reads one
 * slot per payee and nothing else. Fees arrive by the registry's `transferFrom` straight from the renter.
 */
contract DataRevenue is IDataRevenue, SignedOperations {
    using SafeERC20 for IERC20;

    /// @notice Most payees a token may have.
    uint256 public constant MAX_PAYEES = 8;

    uint16 private constant BPS = 10_000;

    bytes32 private constant RENT_TYPEHASH =
        keccak256("Rent(uint256 tokenId,address renter,uint256 duration,uint256 maxFee,uint256 nonce,uint256 deadline)");
    bytes32 private constant PAYEE_TYPEHASH = keccak256("Payee(address account,uint16 bps)");
    bytes32 private constant PAYEES_TYPEHASH =
        keccak256(
            "Payees(uint256 tokenId,Payee[] payees,uint256 nonce,uint256 deadline)Payee(address account,uint16 bps)"
        );

    /// @dev One slot; `count` is meaningful in the first payee's slot only.
    struct StoredPayee {
        address account;
        uint16 bps;
        uint8 count;
    }

    address private immutable _ELEMENT;

    mapping(uint256 tokenId => StoredPayee[MAX_PAYEES]) private _payees;
    mapping(address payee => mapping(address paymentToken => uint256)) private _credits;

    /**
     * @param element_ The DataElement registry (its proxy).
     * @param millisecondTimestamps true on chains whose `block.timestamp` counts milliseconds.
     * @param sm2Verifier_ the chain's SM2 verifier on 国密 chains, address(0) for secp256k1.
     */
    constructor(
        address element_,
        bool millisecondTimestamps,
        address sm2Verifier_
    ) SignedOperations("trustbase DataRevenue", "1", millisecondTimestamps, sm2Verifier_) {
        _ELEMENT = element_;
    }

    modifier onlyElement() {
        if (msg.sender != _ELEMENT) revert RevenueOnlyElement(msg.sender);
        _;
    }

    /// @inheritdoc IDataRevenue
    function element() external view returns (address) {
        return _ELEMENT;
    }

    /// @inheritdoc IDataRevenue
    function payeesOf(uint256 tokenId) public view returns (Payee[] memory payees) {
        StoredPayee[MAX_PAYEES] storage stored = _payees[tokenId];
        uint256 count = stored[0].count;
        if (count == 0) {
            payees = new Payee[](1);
            payees[0] = Payee({account: address(0), bps: BPS});
            return payees;
        }
        payees = new Payee[](count);
        for (uint256 i; i < count; ++i) {
            payees[i] = Payee({account: stored[i].account, bps: stored[i].bps});
        }
    }

    /// @inheritdoc IDataRevenue
    function initPayees(uint256 tokenId, Payee[] calldata payees) external onlyElement {
        _writePayees(tokenId, payees);
        emit PayeesChanged(tokenId, payees);
    }

    /// @inheritdoc IDataRevenue
    function setPayees(
        uint256 tokenId,
        Payee[] calldata payees,
        uint256 deadline,
        address[] calldata consenting,
        bytes[] calldata signatures
    ) external {
        address holder = IERC721(_ELEMENT).ownerOf(tokenId);
        if (holder != msg.sender) revert RevenueNotHolder(tokenId, msg.sender);
        if (consenting.length != signatures.length) revert RevenueConsentsMismatch();
        address[] memory losing = _losingPayees(tokenId, holder, payees);
        _writePayees(tokenId, payees);
        _requireConsents(tokenId, losing, _hashPayees(payees), deadline, consenting, signatures);
        emit PayeesChanged(tokenId, payees);
    }

    /// @inheritdoc IDataRevenue
    function credit(uint256 tokenId, address paymentToken, uint256 fee, address holder) external onlyElement {
        StoredPayee[MAX_PAYEES] storage payees = _payees[tokenId];
        StoredPayee memory payee = payees[0];
        uint256 count = payee.count;
        if (count == 0) {
            _credits[holder][paymentToken] += fee;
            emit RevenueCredited(holder, paymentToken, tokenId, fee);
            return;
        }
        uint256 remaining = fee;
        for (uint256 i; ; ) {
            uint256 amount = i + 1 == count ? remaining : (fee * payee.bps) / BPS;
            remaining -= amount;
            address account = payee.account == address(0) ? holder : payee.account;
            _credits[account][paymentToken] += amount;
            emit RevenueCredited(account, paymentToken, tokenId, amount);
            if (++i == count) break;
            payee = payees[i];
        }
    }

    /// @inheritdoc IDataRevenue
    function rentBySig(
        uint256 tokenId,
        address renter,
        uint256 duration,
        uint256 maxFee,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint64 expires) {
        _requireSigned(
            renter,
            keccak256(abi.encode(RENT_TYPEHASH, tokenId, renter, duration, maxFee, _useNonce(renter), deadline)),
            deadline,
            signature
        );
        return IDataElement(_ELEMENT).rentFor(tokenId, renter, duration, maxFee);
    }

    /// @inheritdoc IDataRevenue
    function creditOf(address payee, address paymentToken) external view returns (uint256) {
        return _credits[payee][paymentToken];
    }

    /// @inheritdoc IDataRevenue
    function withdraw(address paymentToken, address to) external returns (uint256 amount) {
        mapping(address => uint256) storage credits = _credits[msg.sender];
        amount = credits[paymentToken];
        if (amount == 0) revert RevenueNothingToWithdraw(msg.sender, paymentToken);
        credits[paymentToken] = 0;
        emit Withdrawn(msg.sender, paymentToken, to, amount);
        IERC20(paymentToken).safeTransfer(to, amount);
    }

    /// @inheritdoc IDataRevenue
    function nonces(address owner) public view override(IDataRevenue, NoncesUpgradeable) returns (uint256) {
        return super.nonces(owner);
    }

    function _writePayees(uint256 tokenId, Payee[] calldata payees) private {
        uint256 count = payees.length;
        if (count == 0 || count > MAX_PAYEES) revert RevenueInvalidPayees();
        StoredPayee[MAX_PAYEES] storage stored = _payees[tokenId];
        uint256 total;
        for (uint256 i; i < count; ++i) {
            Payee calldata payee = payees[i];
            if (payee.bps == 0) revert RevenueInvalidPayees();
            for (uint256 j; j < i; ++j) {
                if (payees[j].account == payee.account) revert RevenueInvalidPayees();
            }
            total += payee.bps;
            stored[i] = StoredPayee({account: payee.account, bps: payee.bps, count: i == 0 ? uint8(count) : 0});
        }
        if (total != BPS) revert RevenueInvalidPayees();
    }

    function _hashPayees(Payee[] calldata payees) private pure returns (bytes32) {
        bytes32[] memory hashes = new bytes32[](payees.length);
        for (uint256 i; i < payees.length; ++i) {
            hashes[i] = keccak256(abi.encode(PAYEE_TYPEHASH, payees[i].account, payees[i].bps));
        }
        return keccak256(abi.encodePacked(hashes));
    }

    /// @dev The current payees of `tokenId`, the holder aside, whose share is lower in `next`.
    function _losingPayees(
        uint256 tokenId,
        address holder,
        Payee[] calldata next
    ) private view returns (address[] memory losing) {
        Payee[] memory previous = payeesOf(tokenId);
        losing = new address[](previous.length);
        uint256 count;
        for (uint256 i; i < previous.length; ++i) {
            address account = previous[i].account;
            if (account == address(0) || account == holder) continue;
            if (_shareOf(next, account) < previous[i].bps) losing[count++] = account;
        }
        // Shorten the array to the losers found.
        assembly ("memory-safe") {
            mstore(losing, count)
        }
    }

    /// @dev Each of `consenting` must be one of `losing`, once, and sign; each of `losing` must consent.
    function _requireConsents(
        uint256 tokenId,
        address[] memory losing,
        bytes32 payeesHash,
        uint256 deadline,
        address[] calldata consenting,
        bytes[] calldata signatures
    ) private {
        for (uint256 c; c < consenting.length; ++c) {
            address signer = consenting[c];
            uint256 i;
            while (i < losing.length && losing[i] != signer) ++i;
            if (signer == address(0) || i == losing.length) revert RevenueUnexpectedConsent(tokenId, signer);
            losing[i] = address(0);
            _requireSigned(
                signer,
                keccak256(abi.encode(PAYEES_TYPEHASH, tokenId, payeesHash, _useNonce(signer), deadline)),
                deadline,
                signatures[c]
            );
        }
        for (uint256 i; i < losing.length; ++i) {
            if (losing[i] != address(0)) revert RevenueConsentMissing(tokenId, losing[i]);
        }
    }

    function _shareOf(Payee[] calldata payees, address account) private pure returns (uint256) {
        for (uint256 i; i < payees.length; ++i) {
            if (payees[i].account == account) return payees[i].bps;
        }
        return 0;
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";
import {SignedOperations} from "../common/SignedOperations.sol";
import {IRWADvP} from "../interfaces/IRWADvP.sol";

/**
 * @title RWADvP
 * @notice Atomic delivery versus payment of RWA tokens against an ERC-20 (the consortium's stablecoin), matched from
 * a seller's and a buyer's EIP-712 signed orders; anyone may submit a match. Immutable and without admin: it holds
 * nothing between transactions and only moves what both makers signed for.
 * @dev Each order is bound to the chain and this contract (domain), to its maker's next nonce (no replay; a maker
 * cancels by giving up its nonce) and to a deadline. The RWA leg is the token's own `transferFrom` (the maker
 * approved this contract), so the receiver's eligibility, freezes, lock-ups and every rule apply exactly as to any
 * transfer; the payment leg follows, and a failure of either reverts both.
 */
contract RWADvP is SignedOperations, IRWADvP {
    using SafeERC20 for IERC20;

    bytes32 private constant ORDER_TYPEHASH =
        keccak256(
            "Order(address maker,bool sell,address asset,uint256 assetAmount,address paymentToken,uint256 paymentAmount,address counterparty,uint256 nonce,uint256 deadline)"
        );

    /**
     * @param millisecondTimestamps true on chains whose `block.timestamp` counts milliseconds.
     * @param sm2Verifier_ the chain's SM2 verifier on 国密 chains, address(0) for secp256k1.
     */
    constructor(
        bool millisecondTimestamps,
        address sm2Verifier_
    ) SignedOperations("trustbase RWADvP", "1", millisecondTimestamps, sm2Verifier_) {}

    /// @inheritdoc IRWADvP
    function settle(
        Order calldata sellOrder,
        bytes calldata sellSignature,
        Order calldata buyOrder,
        bytes calldata buySignature
    ) external {
        if (!sellOrder.sell || buyOrder.sell) revert DvPWrongSide();
        if (
            sellOrder.asset != buyOrder.asset ||
            sellOrder.assetAmount != buyOrder.assetAmount ||
            sellOrder.paymentToken != buyOrder.paymentToken ||
            sellOrder.paymentAmount != buyOrder.paymentAmount ||
            sellOrder.assetAmount == 0 ||
            sellOrder.paymentAmount == 0
        ) revert DvPOrdersMismatch();
        address seller = sellOrder.maker;
        address buyer = buyOrder.maker;
        if (seller == buyer) revert DvPSameMaker(seller);
        if (sellOrder.counterparty != address(0) && sellOrder.counterparty != buyer) {
            revert DvPWrongCounterparty(seller, sellOrder.counterparty);
        }
        if (buyOrder.counterparty != address(0) && buyOrder.counterparty != seller) {
            revert DvPWrongCounterparty(buyer, buyOrder.counterparty);
        }
        _consume(sellOrder, sellSignature);
        _consume(buyOrder, buySignature);

        IERC20(sellOrder.asset).safeTransferFrom(seller, buyer, sellOrder.assetAmount);
        IERC20(sellOrder.paymentToken).safeTransferFrom(buyer, seller, sellOrder.paymentAmount);
        emit Settled(
            seller,
            buyer,
            sellOrder.asset,
            sellOrder.assetAmount,
            sellOrder.paymentToken,
            sellOrder.paymentAmount,
            sellOrder.nonce,
            buyOrder.nonce
        );
    }

    /// @inheritdoc IRWADvP
    function cancelNonce() external {
        uint256 nonce = _useNonce(msg.sender);
        emit NonceCancelled(msg.sender, nonce);
    }

    /// @inheritdoc IRWADvP
    function nonces(address maker) public view override(IRWADvP, NoncesUpgradeable) returns (uint256) {
        return super.nonces(maker);
    }

    /// @inheritdoc IRWADvP
    function hashOrder(Order calldata order) public pure returns (bytes32) {
        return keccak256(abi.encode(ORDER_TYPEHASH, order));
    }

    function _consume(Order calldata order, bytes calldata signature) private {
        _useCheckedNonce(order.maker, order.nonce);
        _requireSigned(order.maker, hashOrder(order), order.deadline, signature);
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";

/// @dev Test double: a contract that receives ERC-721 tokens (or refuses them when `accept` is false).
contract ERC721ReceiverMock is IERC721Receiver {
    bool public accept;

    event Received(address operator, address from, uint256 tokenId, bytes data);

    constructor(bool accept_) {
        accept = accept_;
    }

    function onERC721Received(
        address operator,
        address from,
        uint256 tokenId,
        bytes calldata data
    ) external returns (bytes4) {
        emit Received(operator, from, tokenId, data);
        return accept ? this.onERC721Received.selector : bytes4(0);
    }
}

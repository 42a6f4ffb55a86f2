// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IRWAToken} from "../interfaces/IRWAToken.sol";
import {IdentityGate} from "../identity/IdentityGate.sol";
import {ComplianceCodes} from "../interfaces/ComplianceCodes.sol";

/**
 * @title RWARestrictions
 * @notice Pure helpers of RWAToken kept out of its bytecode (linked library, called by DELEGATECALL on cold paths
 * only): ERC-1404 messages of the reason codes, the revert matching a reason code, and the packing of the
 * required topics into one word.
 */
library RWARestrictions {
    /// @dev ERC-1404 messages of {ComplianceCodes} 0-16, in order.
    string private constant MESSAGES =
        "allowed|paused|sender frozen|receiver frozen|exceeds unfrozen balance|sender not identity controller|"
        "sender lacks credential|receiver not identity controller|receiver lacks credential|invalid address|"
        "max balance|max holders|jurisdiction|locked up|daily limit|monthly limit|supply cap";

    /**
     * @notice ERC-1404 message of `code`; codes above the standard ones are a rule's own.
     * @return The message.
     */
    function messageFor(uint8 code) external pure returns (string memory) {
        bytes memory all = bytes(MESSAGES);
        uint256 start;
        uint256 index;
        for (uint256 i; i <= all.length; ++i) {
            if (i < all.length && all[i] != "|") continue;
            if (index++ == code) {
                bytes memory found = new bytes(i - start);
                for (uint256 j; j < found.length; ++j) found[j] = all[start + j];
                return string(found);
            }
            start = i + 1;
        }
        return "compliance rule";
    }

    /**
     * @notice Reverts with the error of restriction `code` found for a transfer of `value` from `from` to `to`
     * (`subject`: the account, identity or rule concerned; `detail`: unfrozen balance or missing topic).
     */
    function refuse(
        uint8 code,
        address from,
        address to,
        address subject,
        uint256 detail,
        uint256 value
    ) external pure {
        if (code == ComplianceCodes.INVALID_ADDRESS) revert IRWAToken.RWAZeroAddress();
        if (code == ComplianceCodes.PAUSED) revert IRWAToken.RWAPaused();
        if (code == ComplianceCodes.SENDER_FROZEN || code == ComplianceCodes.RECEIVER_FROZEN) {
            revert IRWAToken.RWAAddressFrozen(subject);
        }
        if (code == ComplianceCodes.INSUFFICIENT_UNFROZEN_BALANCE) {
            revert IRWAToken.ERC7943InsufficientUnfrozenBalance(from, value, detail);
        }
        if (code == ComplianceCodes.SENDER_NOT_CONTROLLER) revert IdentityGate.IdentityGateNotController(subject, from);
        if (code == ComplianceCodes.RECEIVER_NOT_CONTROLLER) revert IdentityGate.IdentityGateNotController(subject, to);
        if (code == ComplianceCodes.SENDER_NOT_ELIGIBLE || code == ComplianceCodes.RECEIVER_NOT_ELIGIBLE) {
            revert IdentityGate.IdentityGateMissingCredential(subject, uint32(detail));
        }
        revert IRWAToken.RWAComplianceRefused(subject, code);
    }

    /**
     * @notice Packs one to four distinct non-zero topics into a word, lowest bits first.
     * @return packed The packed topics.
     */
    function pack(uint32[] calldata topics) external pure returns (uint128 packed) {
        if (topics.length == 0 || topics.length > 4) revert IRWAToken.RWAInvalidTopics();
        for (uint256 i; i < topics.length; ++i) {
            if (topics[i] == 0) revert IRWAToken.RWAInvalidTopics();
            for (uint256 j; j < i; ++j) if (topics[j] == topics[i]) revert IRWAToken.RWAInvalidTopics();
            packed |= uint128(topics[i]) << uint128(32 * i);
        }
    }

    /**
     * @notice The topics packed by {pack}.
     * @return topics The list.
     */
    function unpack(uint128 packed) external pure returns (uint32[] memory topics) {
        uint256 count;
        while (count < 4 && uint32(packed >> (32 * count)) != 0) ++count;
        topics = new uint32[](count);
        for (uint256 i; i < count; ++i) topics[i] = uint32(packed >> (32 * i));
    }
}

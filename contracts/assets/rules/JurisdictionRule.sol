// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ComplianceRule} from "./ComplianceRule.sol";
import {IComplianceRule} from "../../interfaces/IComplianceRule.sol";
import {ComplianceHooks} from "../../interfaces/ComplianceHooks.sol";
import {ComplianceCodes} from "../../interfaces/ComplianceCodes.sol";

/**
 * @title JurisdictionRule
 * @notice Receivers (by transfer or mint) must be of a jurisdiction the token allows (allow list), or not of one it
 * denies (deny list). Jurisdictions are ISO 3166-1 numeric codes (1-999) of DID identities, kept here by the
 * consortium's onboarding desk (role JURISDICTION_ADMIN through the AccessManager).
 * @dev Why an attribute set by governance rather than a credential topic per country: a credential topic answers
 * yes/no for one topic, so finding an identity's jurisdiction would mean asking the credential registry once per
 * listed country on every transfer (about 4,500 gas each); a jurisdiction is one value per identity, set when the
 * identity is onboarded (with its KYC), and read here in one slot. It is keyed by the DID identity, so a key
 * rotation or a recovery keeps it. An identity with no jurisdiction (0) is refused by allow lists and passes deny
 * lists. Per token, the codes are a 1,000-bit bitmap (one slot read per check).
 * Settings: `abi.encode(bool allowList, uint16[] codes)`, at least one code, each 1-999, no repeats.
 */
contract JurisdictionRule is ComplianceRule, AccessManaged {
    /// @dev One slot.
    struct Setting {
        bool allowList;
        bool configured;
    }

    /// @notice `identity`'s jurisdiction was set to `code` (0: cleared).
    event JurisdictionSet(address indexed identity, uint16 code);

    /// @notice `code` is not an ISO 3166-1 numeric code (1-999), or 0 where one is needed.
    error JurisdictionInvalidCode(uint16 code);
    /// @notice `identity` already has jurisdiction `code`.
    error JurisdictionUnchanged(address identity, uint16 code);
    /// @notice The batch is empty or its arrays differ in length.
    error JurisdictionInvalidBatch();

    uint16 private constant MAX_CODE = 999;

    /// @notice The jurisdiction of each identity (0: unknown).
    mapping(address identity => uint16) public jurisdictionOf;
    mapping(address token => Setting) private _settings;
    mapping(address token => uint256[4]) private _codes;

    /// @param authority The suite's AccessManager.
    constructor(address authority) AccessManaged(authority) {}

    /// @inheritdoc IComplianceRule
    function hooks() external pure returns (uint8) {
        return ComplianceHooks.CHECK_TRANSFER | ComplianceHooks.CHECK_MINT;
    }

    /// @inheritdoc IComplianceRule
    function name() external pure returns (bytes32) {
        return "jurisdiction";
    }

    /**
     * @notice Sets the jurisdictions of identities (onboarding desk).
     * @param identities DID identities.
     * @param codes ISO 3166-1 numeric codes, one per identity (0 clears).
     */
    function setJurisdictions(address[] calldata identities, uint16[] calldata codes) external restricted {
        if (identities.length == 0 || identities.length != codes.length) revert JurisdictionInvalidBatch();
        for (uint256 i; i < identities.length; ++i) {
            uint16 code = codes[i];
            if (code > MAX_CODE) revert JurisdictionInvalidCode(code);
            address identity = identities[i];
            if (jurisdictionOf[identity] == code) revert JurisdictionUnchanged(identity, code);
            jurisdictionOf[identity] = code;
            emit JurisdictionSet(identity, code);
        }
    }

    /**
     * @notice Whether `token` uses an allow list, and whether `code` is on its list.
     * @return allowList true: only listed codes may receive; false: listed codes may not.
     * @return listed Whether `code` is on the list.
     */
    function listOf(address token, uint16 code) external view returns (bool allowList, bool listed) {
        return (_settings[token].allowList, _listed(token, code));
    }

    /// @inheritdoc IComplianceRule
    function check(address, address, uint256, TransferContext calldata context) external view override returns (uint8) {
        uint16 code = jurisdictionOf[context.toIdentity];
        bool listed = code != 0 && _listed(msg.sender, code);
        return _settings[msg.sender].allowList != listed ? ComplianceCodes.JURISDICTION : 0;
    }

    function _listed(address token, uint16 code) private view returns (bool) {
        return (_codes[token][code >> 8] >> (code & 0xff)) & 1 == 1;
    }

    function _configure(address token, bytes calldata settings) internal override {
        (bool allowList, uint16[] memory codes) = abi.decode(settings, (bool, uint16[]));
        if (codes.length == 0) revert RuleInvalidSettings(token);
        uint256[4] memory bitmap;
        for (uint256 i; i < codes.length; ++i) {
            uint16 code = codes[i];
            if (code == 0 || code > MAX_CODE) revert JurisdictionInvalidCode(code);
            uint256 bit = 1 << (code & 0xff);
            if (bitmap[code >> 8] & bit != 0) revert RuleInvalidSettings(token);
            bitmap[code >> 8] |= bit;
        }
        _codes[token] = bitmap;
        _settings[token] = Setting({allowList: allowList, configured: true});
    }
}

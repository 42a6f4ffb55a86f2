// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {TimeSource} from "../common/TimeSource.sol";
import {UpgradeableModule} from "../governance/UpgradeableModule.sol";
import {IdentityGate} from "../identity/IdentityGate.sol";
import {Topics} from "../identity/Topics.sol";
import {IAssetData} from "../interfaces/IAssetData.sol";
import {IDIDRegistry} from "../interfaces/IDIDRegistry.sol";
import {ICredentialRegistry} from "../interfaces/ICredentialRegistry.sol";

/**
 * @title AssetData
 * @notice Asset data of every RWA token of the suite, keyed by token: ERC-1643 documents and evidence links kept by
 * the issuer (ASSET_ISSUER through the AccessManager), valuations attested by appraisers (a valid APPRAISER
 * credential through the IdentityGate) with their whole history. UUPS behind an ERC1967 proxy.
 * @dev One contract for every token rather than code in each token: documents and valuations are cold paths, and
 * keeping them out of the token keeps the token under the 24,576-byte limit and its transfers cheap.
 */
contract AssetData is UpgradeableModule, TimeSource, IdentityGate, IAssetData {
    using EnumerableSet for EnumerableSet.Bytes32Set;

    /// @custom:storage-location erc7201:trustbase.storage.AssetData
    struct AssetDataStorage {
        mapping(address token => mapping(bytes32 name => Document)) documents;
        mapping(address token => EnumerableSet.Bytes32Set) documentNames;
        mapping(address token => Valuation[]) valuations;
        mapping(address token => EnumerableSet.Bytes32Set) evidence;
    }

    // keccak256(abi.encode(uint256(keccak256("trustbase.storage.AssetData")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0xcfe0cdb90b9a10116d16157070856f40e4ae2191aef95c7132f4e6223efd2600;

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
    }

    // ───────────────────────────── ERC-1643 ─────────────────────────────

    /// @inheritdoc IAssetData
    function setDocument(address token, bytes32 name, string calldata uri, bytes32 documentHash) external restricted {
        _requireToken(token);
        if (name == bytes32(0) || bytes(uri).length == 0 || documentHash == bytes32(0)) {
            revert AssetDataInvalidDocument(name);
        }
        AssetDataStorage storage $ = _storage();
        $.documents[token][name] = Document({uri: uri, documentHash: documentHash, lastModified: uint64(_now())});
        $.documentNames[token].add(name);
        emit DocumentUpdated(token, name, uri, documentHash);
    }

    /// @inheritdoc IAssetData
    function removeDocument(address token, bytes32 name) external restricted {
        AssetDataStorage storage $ = _storage();
        if (!$.documentNames[token].remove(name)) revert AssetDataUnknownDocument(token, name);
        Document memory document = $.documents[token][name];
        delete $.documents[token][name];
        emit DocumentRemoved(token, name, document.uri, document.documentHash);
    }

    /// @inheritdoc IAssetData
    function getDocument(address token, bytes32 name) external view returns (string memory, bytes32, uint256) {
        Document storage document = _storage().documents[token][name];
        return (document.uri, document.documentHash, document.lastModified);
    }

    /// @inheritdoc IAssetData
    function getAllDocuments(address token) external view returns (bytes32[] memory) {
        return _storage().documentNames[token].values();
    }

    // ───────────────────────────── valuations ─────────────────────────────

    /// @inheritdoc IAssetData
    function postValuation(
        address token,
        uint256 value,
        bytes8 currency,
        uint8 decimals,
        uint64 asOf,
        bytes32 reportHash
    ) external returns (uint256 index) {
        _requireCredential(msg.sender, Topics.APPRAISER);
        _requireToken(token);
        uint256 currentTime = _now();
        if (value == 0 || currency == bytes8(0) || asOf > currentTime) revert AssetDataInvalidValuation(asOf, currentTime);
        Valuation[] storage history = _storage().valuations[token];
        index = history.length;
        history.push(
            Valuation({
                value: value,
                currency: currency,
                decimals: decimals,
                asOf: asOf,
                postedAt: uint64(currentTime),
                appraiser: msg.sender,
                reportHash: reportHash
            })
        );
        emit ValuationPosted(token, index, msg.sender, value, currency, decimals, asOf, reportHash);
    }

    /// @inheritdoc IAssetData
    function valuationCount(address token) external view returns (uint256) {
        return _storage().valuations[token].length;
    }

    /// @inheritdoc IAssetData
    function valuationAt(address token, uint256 index) public view returns (Valuation memory) {
        Valuation[] storage history = _storage().valuations[token];
        if (index >= history.length) revert AssetDataUnknownValuation(token, index);
        return history[index];
    }

    /// @inheritdoc IAssetData
    function latestValuation(address token) external view returns (Valuation memory) {
        uint256 count = _storage().valuations[token].length;
        if (count == 0) revert AssetDataUnknownValuation(token, 0);
        return valuationAt(token, count - 1);
    }

    // ───────────────────────────── evidence ─────────────────────────────

    /// @inheritdoc IAssetData
    function linkEvidence(address token, bytes32 anchor) external restricted {
        _requireToken(token);
        if (anchor == bytes32(0) || !_storage().evidence[token].add(anchor)) revert AssetDataEvidenceLinked(token, anchor);
        emit EvidenceLinked(token, anchor);
    }

    /// @inheritdoc IAssetData
    function unlinkEvidence(address token, bytes32 anchor) external restricted {
        if (!_storage().evidence[token].remove(anchor)) revert AssetDataEvidenceNotLinked(token, anchor);
        emit EvidenceUnlinked(token, anchor);
    }

    /// @inheritdoc IAssetData
    function evidenceOf(address token) external view returns (bytes32[] memory) {
        return _storage().evidence[token].values();
    }

    function _requireToken(address token) private view {
        if (token.code.length == 0) revert AssetDataNotAToken(token);
    }

    function _storage() private pure returns (AssetDataStorage storage $) {
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}

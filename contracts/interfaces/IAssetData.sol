// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title IAssetData
 * @notice The data beside each real-world-asset token: ERC-1643 documents (prospectus, legal opinion, audit),
 * valuation (NAV) attestations by licensed appraisers with their history, and links to the evidence anchors of
 * the backing asset (hashes of EvidenceVault anchors; no dependency on that module).
 */
interface IAssetData {
    /// @notice An ERC-1643 document as stored: its URI, content hash and last update.
    struct Document {
        string uri;
        bytes32 documentHash;
        uint64 lastModified;
    }

    /// @notice A valuation attestation (three slots).
    struct Valuation {
        uint256 value; // in `currency` units with `decimals` decimals
        bytes8 currency; // ISO 4217, e.g. "CNY", "USD"
        uint8 decimals;
        uint64 asOf; // when the value holds, seconds
        uint64 postedAt;
        address appraiser;
        bytes32 reportHash;
    }

    /// @notice ERC-1643 (plus the token): document `name` of `token` set or changed.
    event DocumentUpdated(address indexed token, bytes32 indexed name, string uri, bytes32 documentHash);
    /// @notice ERC-1643 (plus the token): document `name` of `token` removed.
    event DocumentRemoved(address indexed token, bytes32 indexed name, string uri, bytes32 documentHash);
    /// @notice `appraiser` attested `token`'s value (entry `index` of its history).
    event ValuationPosted(
        address indexed token,
        uint256 indexed index,
        address indexed appraiser,
        uint256 value,
        bytes8 currency,
        uint8 decimals,
        uint64 asOf,
        bytes32 reportHash
    );
    /// @notice Evidence anchor `anchor` linked to `token`.
    event EvidenceLinked(address indexed token, bytes32 indexed anchor);
    /// @notice Evidence anchor `anchor` unlinked from `token`.
    event EvidenceUnlinked(address indexed token, bytes32 indexed anchor);

    /// @notice `token` is not a contract.
    error AssetDataNotAToken(address token);
    /// @notice Document name, URI or hash empty.
    error AssetDataInvalidDocument(bytes32 name);
    /// @notice `token` has no document `name`.
    error AssetDataUnknownDocument(address token, bytes32 name);
    /// @notice Value zero, currency empty, or `asOf` in the future (`asOf` > `currentTime`).
    error AssetDataInvalidValuation(uint64 asOf, uint256 currentTime);
    /// @notice `token` has no valuation number `index`.
    error AssetDataUnknownValuation(address token, uint256 index);
    /// @notice `anchor` is zero, or already linked to `token`.
    error AssetDataEvidenceLinked(address token, bytes32 anchor);
    /// @notice `anchor` is not linked to `token`.
    error AssetDataEvidenceNotLinked(address token, bytes32 anchor);

    /// @notice ERC-1643: sets or replaces document `name` of `token`.
    function setDocument(address token, bytes32 name, string calldata uri, bytes32 documentHash) external;
    /// @notice ERC-1643: removes document `name` of `token`.
    function removeDocument(address token, bytes32 name) external;
    /// @notice ERC-1643: document `name` of `token` (uri, hash, last modification); empty when unknown.
    function getDocument(address token, bytes32 name) external view returns (string memory, bytes32, uint256);
    /// @notice ERC-1643: names of every document of `token`.
    function getAllDocuments(address token) external view returns (bytes32[] memory);

    /**
     * @notice Attests `token`'s value; the caller must hold a valid APPRAISER credential (IdentityGate).
     * @param token The asset's token.
     * @param value Value of the whole asset, in `currency` with `decimals` decimals.
     * @param currency ISO 4217 code, left-aligned (e.g. "CNY").
     * @param decimals Decimals of `value`.
     * @param asOf When the value holds (not in the future).
     * @param reportHash Hash of the appraisal report (kept off chain).
     * @return index The valuation's number in `token`'s history.
     */
    function postValuation(
        address token,
        uint256 value,
        bytes8 currency,
        uint8 decimals,
        uint64 asOf,
        bytes32 reportHash
    ) external returns (uint256 index);

    /// @notice Number of valuations of `token`.
    function valuationCount(address token) external view returns (uint256);
    /// @notice Valuation number `index` of `token`.
    function valuationAt(address token, uint256 index) external view returns (Valuation memory);
    /// @notice The latest valuation of `token` (reverts when there is none).
    function latestValuation(address token) external view returns (Valuation memory);

    /// @notice Links evidence anchor `anchor` (its hash in the evidence module) to `token`.
    function linkEvidence(address token, bytes32 anchor) external;
    /// @notice Unlinks evidence anchor `anchor` from `token`.
    function unlinkEvidence(address token, bytes32 anchor) external;
    /// @notice Evidence anchors linked to `token`.
    function evidenceOf(address token) external view returns (bytes32[] memory);
}

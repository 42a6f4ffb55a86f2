// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {SignedOperations} from "../common/SignedOperations.sol";
import {IdentityGate} from "../identity/IdentityGate.sol";
import {ICredentialRegistry} from "../interfaces/ICredentialRegistry.sol";
import {IDIDRegistry} from "../interfaces/IDIDRegistry.sol";
import {IEvidenceVault} from "../interfaces/IEvidenceVault.sol";
import {EvidenceVaultBase} from "./EvidenceVaultBase.sol";

/**
 * @title EvidenceVault
 * @notice Court evidence: anchors, Merkle batches, cases, chain of custody, witnessed finality, versions, disputes
 * and checkpoints (see {IEvidenceVault}). A trust anchor: immutable, no proxy, and nobody — governance included —
 * can change or delete what it recorded.
 * @dev The suite's AccessManager governs one thing only: {openCase} is `restricted` (the deployment makes it PUBLIC),
 * so the consortium can close the vault to new cases, for example when moving to a new vault, while every existing
 * case and record keeps working. Co-signatures are EIP-712 typed data under the domain
 * ("trustbase EvidenceVault", "1"), checked through the SignatureVerifier seam (secp256k1, ERC-1271 or SM2).
 */
contract EvidenceVault is EvidenceVaultBase {
    /**
     * @param authority The suite's AccessManager.
     * @param dids The suite's DID registry.
     * @param credentials The suite's credential registry (its proxy).
     * @param millisecondTimestamps true on chains whose `block.timestamp` counts milliseconds.
     * @param sm2Verifier_ the chain's SM2 verifier on 国密 chains, address(0) for secp256k1.
     */
    constructor(
        address authority,
        IDIDRegistry dids,
        ICredentialRegistry credentials,
        bool millisecondTimestamps,
        address sm2Verifier_
    )
        AccessManaged(authority)
        SignedOperations("trustbase EvidenceVault", "1", millisecondTimestamps, sm2Verifier_)
        IdentityGate(dids, credentials)
    {}

    /// @inheritdoc IEvidenceVault
    function openCase(
        address clerk,
        bytes32 courtRef,
        address[] calldata witnesses,
        uint32[] calldata witnessTopics,
        uint8 threshold
    ) external restricted returns (uint32 caseId) {
        return _openCase(clerk, courtRef, witnesses, witnessTopics, threshold);
    }

    /// @inheritdoc IEvidenceVault
    function grantAccess(uint32 caseId, address member, uint32 topic, uint8 permissions) external {
        _grantAccess(caseId, member, topic, permissions);
    }

    /// @inheritdoc IEvidenceVault
    function revokeAccess(uint32 caseId, address member) external {
        _revokeAccess(caseId, member);
    }

    /// @inheritdoc IEvidenceVault
    function strikeLapsedAccess(uint32 caseId, address member) external {
        _strikeLapsedAccess(caseId, member);
    }

    /// @inheritdoc IEvidenceVault
    function strikeLapsedWitness(uint32 caseId, address witness) external {
        _strikeLapsedWitness(caseId, witness);
    }

    /// @inheritdoc IEvidenceVault
    function anchor(uint32 caseId, bytes32 hash, uint8 category, bytes32 metadataHash) external {
        _anchor(msg.sender, caseId, hash, category, 0, metadataHash, bytes32(0));
    }

    /// @inheritdoc IEvidenceVault
    function anchorFor(
        address submitter,
        uint32 caseId,
        bytes32 hash,
        uint8 category,
        bytes32 metadataHash
    ) external {
        _anchor(submitter, caseId, hash, category, 0, metadataHash, bytes32(0));
    }

    /// @inheritdoc IEvidenceVault
    function anchorBatch(
        address submitter,
        uint32 caseId,
        bytes32 root,
        uint32 itemCount,
        uint8 category,
        bytes32 metadataHash
    ) external {
        if (itemCount == 0) revert EvidenceEmptyBatch(root, itemCount);
        _anchor(submitter, caseId, root, category, itemCount, metadataHash, bytes32(0));
    }

    /// @inheritdoc IEvidenceVault
    function supersede(
        address submitter,
        bytes32 previous,
        bytes32 hash,
        uint8 category,
        bytes32 metadataHash
    ) external {
        _supersede(submitter, previous, hash, category, metadataHash);
    }

    /// @inheritdoc IEvidenceVault
    function dispute(address party, bytes32 hash, bytes32 reasonHash) external {
        _dispute(party, hash, reasonHash);
    }

    /// @inheritdoc IEvidenceVault
    function logCustody(address actor, bytes32 hash, uint8 action, bytes32 reasonHash) external {
        _logCustody(actor, hash, action, reasonHash);
    }

    /// @inheritdoc IEvidenceVault
    function cosign(bytes32 hash, address witness, uint256 deadline, bytes calldata signature) external {
        _cosign(hash, witness, deadline, signature);
    }

    /// @inheritdoc IEvidenceVault
    function cosignAll(bytes32 hash, Cosignature[] calldata cosignatures) external {
        _cosign(hash, cosignatures);
    }

    /// @inheritdoc IEvidenceVault
    function checkpoint() external returns (uint64 sequence) {
        return _checkpoint();
    }
}

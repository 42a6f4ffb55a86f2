// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title ComplianceHooks
/// @notice Bits of {IComplianceRule.hooks}.
library ComplianceHooks {
    /// @dev Ask {IComplianceRule.check} on every transfer.
    uint8 internal constant CHECK_TRANSFER = 1;
    /// @dev Ask {IComplianceRule.check} on every mint (`from` zero).
    uint8 internal constant CHECK_MINT = 2;
    /// @dev Call {IComplianceRule.transferred} after every transfer.
    uint8 internal constant ON_TRANSFER = 4;
    /// @dev Call {IComplianceRule.created} after every mint.
    uint8 internal constant ON_MINT = 8;
    /// @dev Call {IComplianceRule.destroyed} after every burn.
    uint8 internal constant ON_BURN = 16;
    /// @dev Call {IComplianceRule.recovered} on a recovery.
    uint8 internal constant ON_RECOVERY = 32;
    /// @dev Ask the checks only when the receiver holds nothing yet (a new holder).
    uint8 internal constant NEW_HOLDER_ONLY = 64;
    /// @dev Fill `TransferContext.totalSupply` on transfers too (it is always filled on mints and burns); off, it is
    /// 0 on transfers, which spares every transfer a storage read.
    uint8 internal constant WANTS_SUPPLY = 128;
}

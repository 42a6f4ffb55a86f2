// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {RWAToken} from "../../contracts/assets/RWAToken.sol";
import {IRWAToken} from "../../contracts/interfaces/IRWAToken.sol";
import {IDIDRegistry} from "../../contracts/interfaces/IDIDRegistry.sol";
import {ICredentialRegistry} from "../../contracts/interfaces/ICredentialRegistry.sol";

/// @dev The identity layer as the token sees it (accounts control themselves; a credential switch per account),
/// small enough that this test also compiles with coverage instrumentation. The real registries have their own
/// invariants (test/identity); the token's use of them is covered by test/assets/*.test.ts.
contract IdentityStub {
    mapping(address account => bool) public verified;

    function setVerified(address account, bool value) external {
        verified[account] = value;
    }

    function isController(address identity, address actor, bytes32) external pure returns (bool) {
        return identity == actor;
    }

    function hasValid(address subject, uint32) external view returns (bool) {
        return verified[subject];
    }
}

/// @dev Drives an RWAToken with holders' transfers (single, approved, batches with repeats) and the agent's mints,
/// burns, freezes, address freezes, forced transfers (the self one included), keeping a model of the freezes.
contract RWAHandler is Test {
    RWAToken public immutable token;
    IdentityStub public immutable identity;
    address[4] public holders = [address(0x3001), address(0x3002), address(0x3003), address(0x3004)];

    /// @dev The frozen amount of each holder as only freezes, unfreezes and forced transfers may change it.
    mapping(address holder => uint256) public modelFrozen;
    /// @dev Set if a holder's own operation ever took its balance below its frozen amount.
    bool public frozenMovedByHolder;
    uint256 public forcedCalls;

    constructor(RWAToken token_, IdentityStub identity_) {
        token = token_;
        identity = identity_;
    }

    /// @dev A credential revoked or restored: receiving stops or resumes, frozen tokens stay where they are.
    function toggleCredential(uint256 seed) external {
        address holder = _holder(seed);
        identity.setVerified(holder, !identity.verified(holder));
    }

    function _holder(uint256 seed) private view returns (address) {
        return holders[seed % holders.length];
    }

    function _guard(address sender, uint256 frozenBefore) private {
        if (token.balanceOf(sender) < frozenBefore) frozenMovedByHolder = true;
    }

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = _holder(fromSeed);
        address to = _holder(toSeed);
        amount = bound(amount, 0, token.balanceOf(from) + 1);
        uint256 frozen = token.getFrozenTokens(from);
        vm.prank(from);
        try token.transfer(to, amount) {} catch {}
        _guard(from, frozen);
    }

    function transferFrom(uint256 fromSeed, uint256 toSeed, uint256 spenderSeed, uint256 amount) external {
        address from = _holder(fromSeed);
        address to = _holder(toSeed);
        address spender = _holder(spenderSeed);
        amount = bound(amount, 0, token.balanceOf(from) + 1);
        vm.prank(from);
        token.approve(spender, amount);
        uint256 frozen = token.getFrozenTokens(from);
        vm.prank(spender);
        try token.transferFrom(from, to, amount) {} catch {}
        _guard(from, frozen);
    }

    function batchTransferRepeated(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = _holder(fromSeed);
        address to = _holder(toSeed);
        amount = bound(amount, 1, token.balanceOf(from) / 2 + 1);
        address[] memory toList = new address[](3);
        uint256[] memory amounts = new uint256[](3);
        for (uint256 i; i < 3; ++i) {
            toList[i] = to;
            amounts[i] = amount;
        }
        uint256 frozen = token.getFrozenTokens(from);
        vm.prank(from);
        try token.batchTransfer(toList, amounts) {} catch {}
        _guard(from, frozen);
    }

    function mint(uint256 toSeed, uint256 amount) external {
        token.mint(_holder(toSeed), bound(amount, 1, 1e24));
    }

    function burn(uint256 fromSeed, uint256 amount) external {
        address from = _holder(fromSeed);
        uint256 frozen = token.getFrozenTokens(from);
        try token.burn(from, bound(amount, 1, token.balanceOf(from) + 1)) {} catch {}
        _guard(from, frozen);
    }

    function freeze(uint256 seed, uint256 amount) external {
        address holder = _holder(seed);
        amount = bound(amount, 1, token.balanceOf(holder) + 1);
        try token.freezePartialTokens(holder, amount) {
            modelFrozen[holder] += amount;
        } catch {}
    }

    function unfreeze(uint256 seed, uint256 amount) external {
        address holder = _holder(seed);
        amount = bound(amount, 1, token.getFrozenTokens(holder) + 1);
        try token.unfreezePartialTokens(holder, amount) {
            modelFrozen[holder] -= amount;
        } catch {}
    }

    function batchFreezeRepeated(uint256 seed, uint256 amount) external {
        address holder = _holder(seed);
        amount = bound(amount, 1, token.balanceOf(holder) / 2 + 1);
        address[] memory list = new address[](2);
        uint256[] memory amounts = new uint256[](2);
        list[0] = holder;
        list[1] = holder;
        amounts[0] = amount;
        amounts[1] = amount;
        try token.batchFreezePartialTokens(list, amounts) {
            modelFrozen[holder] += 2 * amount;
        } catch {}
    }

    function toggleAddressFreeze(uint256 seed) external {
        address holder = _holder(seed);
        token.setAddressFrozen(holder, !token.isFrozen(holder));
    }

    function forcedTransfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = _holder(fromSeed);
        address to = _holder(toSeed);
        uint256 balance = token.balanceOf(from);
        amount = bound(amount, 1, balance + 1);
        uint256 frozen = token.getFrozenTokens(from);
        try token.forcedTransfer(from, to, amount) {
            ++forcedCalls;
            uint256 unfrozen = balance - frozen;
            if (amount > unfrozen) modelFrozen[from] -= amount - unfrozen;
        } catch {}
    }

    /// @dev forcedTransfer(a, a) must never change a freeze: it is refused.
    function selfForcedTransfer(uint256 seed, uint256 amount) external {
        address holder = _holder(seed);
        amount = bound(amount, 1, token.balanceOf(holder) + 1);
        vm.expectRevert(abi.encodeWithSelector(IRWAToken.RWASameAccount.selector, holder));
        token.forcedTransfer(holder, holder, amount);
    }

    function warp(uint32 seconds_) external {
        vm.warp(block.timestamp + (seconds_ % 1 days));
    }

    function holderCount() external pure returns (uint256) {
        return 4;
    }
}

contract RWATokenInvariantTest is Test {
    RWAToken internal token;
    RWAHandler internal handler;

    function setUp() public {
        vm.warp(1_800_000_000);
        AccessManager manager = new AccessManager(address(this));
        IdentityStub stub = new IdentityStub();
        RWAToken implementation = new RWAToken(IDIDRegistry(address(stub)), ICredentialRegistry(address(stub)));
        uint32[] memory topics = new uint32[](1);
        topics[0] = 1;
        token = RWAToken(
            address(
                new ERC1967Proxy(
                    address(implementation),
                    abi.encodeCall(RWAToken.initialize, (address(manager), "Invariant", "INV", 18, topics, new IRWAToken.RuleInit[](0)))
                )
            )
        );
        handler = new RWAHandler(token, stub);
        for (uint256 i; i < 4; ++i) stub.setVerified(handler.holders(i), true);
        // The handler is the agent: every agent function is open to it.
        bytes4[] memory agent = new bytes4[](8);
        agent[0] = RWAToken.mint.selector;
        agent[1] = RWAToken.burn.selector;
        agent[2] = RWAToken.freezePartialTokens.selector;
        agent[3] = RWAToken.unfreezePartialTokens.selector;
        agent[4] = RWAToken.batchFreezePartialTokens.selector;
        agent[5] = RWAToken.setAddressFrozen.selector;
        agent[6] = RWAToken.forcedTransfer.selector;
        agent[7] = RWAToken.batchForcedTransfer.selector;
        manager.setTargetFunctionRole(address(token), agent, 10);
        manager.grantRole(10, address(handler), 0);
        for (uint256 i; i < 4; ++i) {
            address holder = handler.holders(i);
            vm.prank(address(handler));
            token.mint(holder, 1_000e18);
        }
        targetContract(address(handler));
    }

    /// @dev The sum of the balances equals the total supply.
    /// forge-config: default.invariant.runs = 32
    /// forge-config: default.invariant.depth = 64
    function invariant_sumOfBalancesIsSupply() public view {
        uint256 sum;
        for (uint256 i; i < 4; ++i) sum += token.balanceOf(handler.holders(i));
        assertEq(sum, token.totalSupply());
    }

    /// @dev No holder ever has more frozen than it holds.
    /// forge-config: default.invariant.runs = 32
    /// forge-config: default.invariant.depth = 64
    function invariant_frozenNeverExceedsBalance() public view {
        for (uint256 i; i < 4; ++i) {
            address holder = handler.holders(i);
            assertLe(token.getFrozenTokens(holder), token.balanceOf(holder));
        }
    }

    /// @dev Frozen amounts change only by freezes, unfreezes and the agent's forced transfers (the model), and no
    /// holder operation ever moved frozen tokens.
    /// forge-config: default.invariant.runs = 32
    /// forge-config: default.invariant.depth = 64
    function invariant_frozenMovesOnlyByForcedTransfer() public view {
        assertFalse(handler.frozenMovedByHolder(), "a holder moved frozen tokens");
        for (uint256 i; i < 4; ++i) {
            address holder = handler.holders(i);
            assertEq(token.getFrozenTokens(holder), handler.modelFrozen(holder));
        }
    }

    /// @dev The holder count matches the balances.
    /// forge-config: default.invariant.runs = 32
    /// forge-config: default.invariant.depth = 64
    function invariant_holderCount() public view {
        uint256 count;
        for (uint256 i; i < 4; ++i) if (token.balanceOf(handler.holders(i)) != 0) ++count;
        assertEq(count, token.holderCount());
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {ICredentialRegistry} from "../../contracts/interfaces/ICredentialRegistry.sol";
import {IDataElement} from "../../contracts/interfaces/IDataElement.sol";
import {IDataRevenue} from "../../contracts/interfaces/IDataRevenue.sol";
import {ProxyDeployer} from "../helpers/ProxyDeployer.sol";

// The registries, the data module and the stablecoin are deployed from their artifacts (ProxyDeployer explains why).

/// @dev DataElement's own functions and ERC-721's, as this test calls them.
interface DataElementLike is IDataElement, IERC721 {}

/// @dev DataRevenue through its interface.
interface DataRevenueLike is IDataRevenue {}

/// @dev contracts/mocks/TestStablecoin.sol.
interface TestStablecoinLike is IERC20 {
    function mint(address to, uint256 amount) external;
}

/**
 * @dev Drives the data module with random registrations, offers, rentals and renewals (also relayed), user changes,
 * transfers, payee changes (with the consents they need), withdrawals and time, and keeps a model: every fee paid,
 * every amount withdrawn, and per token the paid rental that must hold until its expiry.
 */
contract DataHandler is Test {
    uint32 internal constant PROVIDER_TOPIC = 3;
    uint32 internal constant MEMBER_TOPIC = 4;
    uint256 internal constant N_ACTORS = 6;
    uint256 internal constant MAX_TOKENS = 6;
    bytes32 private constant RENT_TYPEHASH =
        keccak256("Rent(uint256 tokenId,address renter,uint256 duration,uint256 maxFee,uint256 nonce,uint256 deadline)");
    bytes32 private constant PAYEE_TYPEHASH = keccak256("Payee(address account,uint16 bps)");
    bytes32 private constant PAYEES_TYPEHASH =
        keccak256("Payees(uint256 tokenId,Payee[] payees,uint256 nonce,uint256 deadline)Payee(address account,uint16 bps)");

    DataElementLike public immutable element;
    DataRevenueLike public immutable revenue;
    TestStablecoinLike public immutable usd;

    /// @dev Actors 0-1 are data providers, 2-4 data-exchange members, 5 holds nothing. All may hold tokens.
    uint256[N_ACTORS] internal pks;
    address[N_ACTORS] public actors;
    /// @dev Payees that are not actors (they only receive and withdraw).
    uint256[2] internal payeePks;
    address[2] public payeeAccounts;

    uint256[] public tokens;

    // ── model ──
    uint256 public feesPaid;
    uint256 public withdrawn;
    /// @dev The paid rental of a token the model knows of: its user must not change before `expires`.
    mapping(uint256 tokenId => address) public paidUser;
    mapping(uint256 tokenId => uint64) public paidUntil;

    // ── findings (must stay false) ──
    bool public paidUserChanged;
    bool public feeNotAsQuoted;

    // ── coverage counters (prove the runs are not vacuous) ──
    uint256 public rentals;
    uint256 public renewals;
    uint256 public refusedRevocations;
    uint256 public transfersKeepingUser;
    uint256 public withdrawals;
    uint256 public payeeChanges;

    constructor(DataElementLike element_, DataRevenueLike revenue_, TestStablecoinLike usd_) {
        element = element_;
        revenue = revenue_;
        usd = usd_;
        for (uint256 i; i < N_ACTORS; ++i) {
            pks[i] = 0xDA7A + i;
            actors[i] = vm.addr(pks[i]);
        }
        payeePks = [uint256(0x9A1EE1), 0x9A1EE2];
        payeeAccounts = [vm.addr(payeePks[0]), vm.addr(payeePks[1])];
    }

    modifier checksPaidUser() {
        _;
        _checkPaidUsers();
    }

    // ───────────────────────────── actions ─────────────────────────────

    function register(uint256 providerSeed, uint256 payeeSeed, uint96 price, uint32 maxDuration, bool gated) external {
        if (tokens.length >= MAX_TOKENS) return;
        address provider = actors[providerSeed % 2];
        bytes32 dataHash = keccak256(abi.encode("data", tokens.length));
        vm.prank(provider);
        uint256 tokenId = element.register(dataHash, 1, 0, 0, "", _payees(payeeSeed));
        tokens.push(tokenId);
        _publish(tokenId, provider, price, maxDuration, gated);
    }

    function publish(uint256 tokenSeed, uint96 price, uint32 maxDuration, bool gated) external checksPaidUser {
        if (tokens.length == 0) return;
        uint256 tokenId = _token(tokenSeed);
        _publish(tokenId, element.ownerOf(tokenId), price, maxDuration, gated);
    }

    function rent(uint256 tokenSeed, uint256 renterSeed, uint256 duration) external checksPaidUser {
        if (tokens.length == 0) return;
        uint256 tokenId = _token(tokenSeed);
        address renter = actors[renterSeed % N_ACTORS];
        duration = _bound(duration, 1, 3 days);
        (uint256 quoted, uint256 before) = _quote(tokenId, duration);
        vm.prank(renter);
        try element.rent(tokenId, duration, type(uint256).max) returns (uint64 expires) {
            _rented(tokenId, renter, expires, quoted, before);
        } catch {}
    }

    function rentBySig(uint256 tokenSeed, uint256 renterSeed, uint256 duration) external checksPaidUser {
        if (tokens.length == 0) return;
        uint256 tokenId = _token(tokenSeed);
        uint256 r = renterSeed % N_ACTORS;
        address renter = actors[r];
        duration = _bound(duration, 1, 3 days);
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(RENT_TYPEHASH, tokenId, renter, duration, type(uint256).max, revenue.nonces(renter), deadline)
        );
        bytes memory signature = _sign(pks[r], structHash);
        (uint256 quoted, uint256 before) = _quote(tokenId, duration);
        try revenue.rentBySig(tokenId, renter, duration, type(uint256).max, deadline, signature) returns (uint64 expires) {
            _rented(tokenId, renter, expires, quoted, before);
        } catch {}
    }

    /// @dev The holder (or someone else) sets the user: refused while a paid rental runs.
    function setUser(uint256 tokenSeed, uint256 userSeed, uint256 callerSeed, uint32 validity) external checksPaidUser {
        if (tokens.length == 0) return;
        uint256 tokenId = _token(tokenSeed);
        address caller = callerSeed % 3 == 0 ? actors[callerSeed % N_ACTORS] : element.ownerOf(tokenId);
        bool protected = paidUntil[tokenId] >= block.timestamp && paidUser[tokenId] != address(0);
        vm.prank(caller);
        try element.setUser(tokenId, actors[userSeed % N_ACTORS], uint64(block.timestamp + validity)) {
            if (protected) paidUserChanged = true;
        } catch {
            if (protected) ++refusedRevocations;
        }
    }

    function transfer(uint256 tokenSeed, uint256 toSeed) external checksPaidUser {
        if (tokens.length == 0) return;
        uint256 tokenId = _token(tokenSeed);
        address from = element.ownerOf(tokenId);
        address to = actors[toSeed % N_ACTORS];
        if (to == from) return;
        bool protected = paidUntil[tokenId] >= block.timestamp && paidUser[tokenId] != address(0);
        vm.prank(from);
        element.transferFrom(from, to, tokenId);
        if (protected) ++transfersKeepingUser;
    }

    function setClearUserOnTransfer(uint256 tokenSeed, bool clear) external {
        if (tokens.length == 0) return;
        uint256 tokenId = _token(tokenSeed);
        vm.prank(element.ownerOf(tokenId));
        try element.setClearUserOnTransfer(tokenId, clear) {} catch {}
    }

    /// @dev The holder changes the payees, with the consent of each payee whose share falls.
    function setPayees(uint256 tokenSeed, uint256 payeeSeed) external {
        if (tokens.length == 0) return;
        uint256 tokenId = _token(tokenSeed);
        IDataRevenue.Payee[] memory next = _payees(payeeSeed);
        IDataRevenue.Payee[] memory previous = revenue.payeesOf(tokenId);
        bytes32[] memory hashes = new bytes32[](next.length);
        for (uint256 i; i < next.length; ++i) {
            hashes[i] = keccak256(abi.encode(PAYEE_TYPEHASH, next[i].account, next[i].bps));
        }
        bytes32 payeesHash = keccak256(abi.encodePacked(hashes));
        uint256 deadline = block.timestamp + 1 hours;
        address[] memory consenting = new address[](2);
        bytes[] memory signatures = new bytes[](2);
        uint256 count;
        for (uint256 p; p < 2; ++p) {
            address account = payeeAccounts[p];
            if (_shareOf(next, account) >= _shareOf(previous, account)) continue;
            consenting[count] = account;
            signatures[count++] = _sign(
                payeePks[p],
                keccak256(abi.encode(PAYEES_TYPEHASH, tokenId, payeesHash, revenue.nonces(account), deadline))
            );
        }
        assembly ("memory-safe") {
            mstore(consenting, count)
            mstore(signatures, count)
        }
        vm.prank(element.ownerOf(tokenId));
        revenue.setPayees(tokenId, next, deadline, consenting, signatures);
        ++payeeChanges;
    }

    function withdraw(uint256 accountSeed) external {
        uint256 i = accountSeed % (N_ACTORS + 2);
        address account = i < N_ACTORS ? actors[i] : payeeAccounts[i - N_ACTORS];
        uint256 credit = revenue.creditOf(account, address(usd));
        if (credit == 0) return;
        vm.prank(account);
        uint256 amount = revenue.withdraw(address(usd), account);
        assertEq(amount, credit, "withdrew another amount than the credit");
        withdrawn += amount;
        ++withdrawals;
    }

    function passTime(uint256 seconds_) external checksPaidUser {
        vm.warp(block.timestamp + _bound(seconds_, 1, 2 days));
        vm.roll(block.number + 1);
    }

    // ───────────────────────────── views for the invariants ─────────────────────────────

    function tokenCount() external view returns (uint256) {
        return tokens.length;
    }

    function account(uint256 i) external view returns (address) {
        return i < N_ACTORS ? actors[i] : payeeAccounts[i - N_ACTORS];
    }

    function accountCount() external pure returns (uint256) {
        return N_ACTORS + 2;
    }

    // ───────────────────────────── internals ─────────────────────────────

    function _publish(uint256 tokenId, address by, uint96 price, uint32 maxDuration, bool gated) private {
        IDataElement.Offer memory offer = IDataElement.Offer({
            paymentToken: address(usd),
            pricePerSecond: uint96(_bound(price, 0, 1_000_003)),
            minDuration: 1,
            maxDuration: uint32(_bound(maxDuration, 1, 2 days)),
            topic: gated ? MEMBER_TOPIC : 0,
            requiresPresentation: false
        });
        vm.prank(by);
        element.publishOffer(tokenId, offer);
    }

    function _quote(uint256 tokenId, uint256 duration) private view returns (uint256 quoted, uint256 before) {
        try element.quote(tokenId, duration) returns (uint256 fee, address) {
            quoted = fee;
        } catch {}
        before = usd.balanceOf(address(revenue));
    }

    function _rented(uint256 tokenId, address renter, uint64 expires, uint256 quoted, uint256 before) private {
        uint256 fee = usd.balanceOf(address(revenue)) - before;
        if (fee != quoted) feeNotAsQuoted = true;
        feesPaid += fee;
        if (paidUser[tokenId] == renter && paidUntil[tokenId] >= block.timestamp) ++renewals;
        paidUser[tokenId] = renter;
        paidUntil[tokenId] = expires;
        ++rentals;
    }

    /// @dev A paid rental the model knows of still holds its user until its expiry (a renewal may extend it).
    function _checkPaidUsers() private {
        for (uint256 i; i < tokens.length; ++i) {
            uint256 tokenId = tokens[i];
            if (paidUser[tokenId] == address(0) || paidUntil[tokenId] < block.timestamp) continue;
            IDataElement.UseRight memory use = element.useOf(tokenId);
            if (use.user != paidUser[tokenId] || use.expires < paidUntil[tokenId] || !use.paid) paidUserChanged = true;
            if (element.userOf(tokenId) != paidUser[tokenId]) paidUserChanged = true;
        }
    }

    function _payees(uint256 seed) private view returns (IDataRevenue.Payee[] memory payees) {
        uint256 kind = seed % 4;
        if (kind == 0) return payees; // none: all to the holder
        payees = new IDataRevenue.Payee[](kind == 3 ? 2 : 3);
        if (kind == 1) {
            payees[0] = IDataRevenue.Payee(address(0), 3_333);
            payees[1] = IDataRevenue.Payee(payeeAccounts[0], 3_333);
            payees[2] = IDataRevenue.Payee(payeeAccounts[1], 3_334);
        } else if (kind == 2) {
            payees[0] = IDataRevenue.Payee(payeeAccounts[1], 1);
            payees[1] = IDataRevenue.Payee(address(0), 7_001);
            payees[2] = IDataRevenue.Payee(payeeAccounts[0], 2_998);
        } else {
            payees[0] = IDataRevenue.Payee(payeeAccounts[0], 9_999);
            payees[1] = IDataRevenue.Payee(payeeAccounts[1], 1);
        }
    }

    function _shareOf(IDataRevenue.Payee[] memory payees, address account_) private pure returns (uint256) {
        for (uint256 i; i < payees.length; ++i) {
            if (payees[i].account == account_) return payees[i].bps;
        }
        return 0;
    }

    function _sign(uint256 pk, bytes32 structHash) private view returns (bytes memory) {
        bytes32 domainSeparator = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("trustbase DataRevenue"),
                keccak256("1"),
                block.chainid,
                address(revenue)
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash)));
        return abi.encodePacked(r, s, v);
    }

    function _token(uint256 seed) private view returns (uint256) {
        return tokens[seed % tokens.length];
    }
}

/// @dev Invariants of the data module over random sequences of {DataHandler} actions.
contract DataElementInvariantTest is ProxyDeployer {
    DataElementLike internal element;
    DataRevenueLike internal revenue;
    TestStablecoinLike internal usd;
    DataHandler internal handler;

    function setUp() public {
        vm.warp(1_800_000_000);
        AccessManager manager = new AccessManager(address(this));
        (address dids, ICredentialRegistry credentials) = _deployIdentity(manager);
        element = DataElementLike(
            _deployProxied("DataElement.sol:DataElement", abi.encode(dids, address(credentials), false), manager)
        );
        revenue = DataRevenueLike(deployCode("DataRevenue.sol:DataRevenue", abi.encode(address(element), false, address(0))));
        usd = TestStablecoinLike(deployCode("TestStablecoin.sol:TestStablecoin", abi.encode("Test Dollar", "TUSD")));
        // This contract is the AccessManager's admin: it may call the restricted functions.
        element.setRevenue(revenue);
        element.setClassification(1, "PUBLIC", true);
        element.setPaymentToken(address(usd), true);

        handler = new DataHandler(element, revenue, usd);
        address issuer = address(0x155E);
        credentials.registerTopic(3, "DATA_PROVIDER");
        credentials.registerTopic(4, "DATA_EXCHANGE_MEMBER");
        credentials.setIssuerTrust(3, issuer, true);
        credentials.setIssuerTrust(4, issuer, true);
        uint32 from = uint32(block.timestamp);
        vm.startPrank(issuer);
        for (uint256 i; i < 2; ++i) {
            credentials.issue(keccak256(abi.encode("provider", i)), issuer, handler.actors(i), 3, from, from + 365 days);
        }
        for (uint256 i = 2; i < 5; ++i) {
            credentials.issue(keccak256(abi.encode("member", i)), issuer, handler.actors(i), 4, from, from + 365 days);
        }
        vm.stopPrank();
        for (uint256 i; i < 6; ++i) {
            address actor = handler.actors(i);
            usd.mint(actor, 1e15);
            vm.prank(actor);
            usd.approve(address(element), type(uint256).max);
        }

        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = DataHandler.register.selector;
        selectors[1] = DataHandler.publish.selector;
        selectors[2] = DataHandler.rent.selector;
        selectors[3] = DataHandler.rentBySig.selector;
        selectors[4] = DataHandler.setUser.selector;
        selectors[5] = DataHandler.transfer.selector;
        selectors[6] = DataHandler.setClearUserOnTransfer.selector;
        selectors[7] = DataHandler.setPayees.selector;
        selectors[8] = DataHandler.withdraw.selector;
        selectors[9] = DataHandler.passTime.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @dev Credited revenue equals fees paid: the credits left plus what was withdrawn add up to every fee, and
    /// DataRevenueLike holds exactly the credits left; the registry's totals count the same fees.
    /// forge-config: default.invariant.runs = 32
    /// forge-config: default.invariant.depth = 64
    function invariant_creditsEqualFeesPaid() public view {
        uint256 credits;
        for (uint256 i; i < handler.accountCount(); ++i) {
            credits += revenue.creditOf(handler.account(i), address(usd));
        }
        assertEq(credits + handler.withdrawn(), handler.feesPaid(), "credits + withdrawn != fees paid");
        assertEq(usd.balanceOf(address(revenue)), credits, "DataRevenue's balance != credits left");
        uint256 totals;
        for (uint256 i; i < handler.tokenCount(); ++i) {
            (, uint256 fees) = element.totalsOf(handler.tokens(i), address(usd));
            totals += fees;
        }
        assertEq(totals, handler.feesPaid(), "totalsOf != fees paid");
        assertFalse(handler.feeNotAsQuoted(), "a rental charged another fee than quoted");
    }

    /// @dev A paid rental's user never changes before its expiry (no revocation, replacement or transfer clears it).
    /// forge-config: default.invariant.runs = 32
    /// forge-config: default.invariant.depth = 64
    function invariant_paidUserHoldsUntilExpiry() public view {
        assertFalse(handler.paidUserChanged(), "a paid rental's user changed before its expiry");
        for (uint256 i; i < handler.tokenCount(); ++i) {
            uint256 tokenId = handler.tokens(i);
            if (handler.paidUntil(tokenId) < block.timestamp) continue;
            assertEq(element.userOf(tokenId), handler.paidUser(tokenId), "paid user replaced");
        }
    }

    /// @dev userOf is the stored user up to its expiry second and address(0) after it.
    /// forge-config: default.invariant.runs = 32
    /// forge-config: default.invariant.depth = 64
    function invariant_userOfZeroAfterExpiry() public view {
        for (uint256 i; i < handler.tokenCount(); ++i) {
            uint256 tokenId = handler.tokens(i);
            IDataElement.UseRight memory use = element.useOf(tokenId);
            address expected = use.expires >= block.timestamp ? use.user : address(0);
            assertEq(element.userOf(tokenId), expected, "userOf disagrees with the stored expiry");
            assertEq(element.userExpires(tokenId), use.expires, "userExpires disagrees with useOf");
        }
    }

    /// @dev The handler's paths are exercised (a fixed scenario): rental, renewal, refused revocation, transfer
    /// keeping the user, relayed rental, payee change with consent, withdrawal, expiry.
    function test_handlerScenarioIsNotVacuous() public {
        handler.register(0, 1, 7, 1 days, true);
        uint256 tokenId = handler.tokens(0);
        handler.rent(0, 2, 1 hours);
        handler.rent(0, 2, 1 hours);
        assertEq(handler.rentals(), 2);
        assertEq(handler.renewals(), 1);
        assertEq(element.userOf(tokenId), handler.actors(2));
        handler.setUser(0, 3, 1, 100);
        assertEq(handler.refusedRevocations(), 1);
        handler.transfer(0, 4);
        assertEq(handler.transfersKeepingUser(), 1);
        assertEq(element.userOf(tokenId), handler.actors(2));
        // Payees 1 → 3: payee 1's share falls from 3,334 to 1 and it consents; payee 0's rises.
        handler.setPayees(0, 3);
        assertEq(handler.payeeChanges(), 1);
        assertEq(revenue.nonces(handler.payeeAccounts(1)), 1);
        handler.withdraw(6);
        assertEq(handler.withdrawals(), 1);
        handler.passTime(2 days);
        assertEq(element.userOf(tokenId), address(0));
        handler.rentBySig(0, 3, 2 hours);
        assertEq(handler.rentals(), 3);
        assertEq(element.userOf(tokenId), handler.actors(3));
        assertEq(handler.feesPaid(), 7 * (4 hours));
        invariant_creditsEqualFeesPaid();
        invariant_paidUserHoldsUntilExpiry();
        invariant_userOfZeroAfterExpiry();
    }
}

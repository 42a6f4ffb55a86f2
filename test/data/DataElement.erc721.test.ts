/**
 * DataElement as a token: ERC-721 (ownership, approvals, transfers, safe transfers to contracts), ERC-165, ERC-4907
 * (user, expiry at the exact second, events, who may set it), ERC-2981 royalty info, token URIs and ERC-4906
 * metadata-update events. Rentals and their protection of the user are in DataElement.rentals.test.ts.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { ERC721ReceiverMock__factory } from "../../typechain-types/index.js";
import { deployMarket, Level, USD } from "./fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { loadFixture, time } = networkHelpers;

const latest = async () => BigInt(await time.latest());
const UNKNOWN = BigInt(ethers.id("never registered"));

async function fixture() {
  const f = await deployMarket(connection);
  const accepting = await new ERC721ReceiverMock__factory(f.admin).deploy(true);
  const refusing = await new ERC721ReceiverMock__factory(f.admin).deploy(false);
  return { ...f, accepting, refusing };
}

describe("DataElement: ERC-721, ERC-4907, ERC-2981, ERC-4906", function () {
  describe("ERC-721", function () {
    it("names the collection and mints the certificate to the registrant under id = data hash", async function () {
      const { element, provider, tokenId, dataHash } = await loadFixture(fixture);
      expect(await element.name()).to.equal("trustbase Data Element");
      expect(await element.symbol()).to.equal("DATA");
      expect(tokenId).to.equal(BigInt(dataHash));
      expect(await element.ownerOf(tokenId)).to.equal(provider.address);
      expect(await element.balanceOf(provider.address)).to.equal(1n);
    });

    it("refuses ownerOf of an unknown token and balanceOf of address(0)", async function () {
      const { element } = await loadFixture(fixture);
      await expect(element.ownerOf(UNKNOWN)).to.be.revertedWithCustomError(element, "ERC721NonexistentToken").withArgs(UNKNOWN);
      await expect(element.balanceOf(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(element, "ERC721InvalidOwner")
        .withArgs(ethers.ZeroAddress);
    });

    it("approve: the approved account transfers once, the approval is cleared by the transfer", async function () {
      const { element, provider, bank, renter2, tokenId } = await loadFixture(fixture);
      await expect(element.connect(provider).approve(bank.address, tokenId))
        .to.emit(element, "Approval")
        .withArgs(provider.address, bank.address, tokenId);
      expect(await element.getApproved(tokenId)).to.equal(bank.address);
      await expect(element.connect(bank).transferFrom(provider.address, renter2.address, tokenId))
        .to.emit(element, "Transfer")
        .withArgs(provider.address, renter2.address, tokenId);
      expect(await element.ownerOf(tokenId)).to.equal(renter2.address);
      expect(await element.getApproved(tokenId)).to.equal(ethers.ZeroAddress);
      expect(await element.balanceOf(provider.address)).to.equal(0n);
      expect(await element.balanceOf(renter2.address)).to.equal(1n);
      await expect(element.connect(bank).transferFrom(renter2.address, bank.address, tokenId))
        .to.be.revertedWithCustomError(element, "ERC721InsufficientApproval")
        .withArgs(bank.address, tokenId);
    });

    it("refuses approve by anyone but the holder or its operator-for-all, and getApproved of an unknown token", async function () {
      const { element, outsider, operator, tokenId } = await loadFixture(fixture);
      // The token's operator (operation right) is not an ERC-721 operator.
      for (const caller of [outsider, operator]) {
        await expect(element.connect(caller).approve(caller.address, tokenId))
          .to.be.revertedWithCustomError(element, "ERC721InvalidApprover")
          .withArgs(caller.address);
      }
      expect(await element.getApproved(tokenId)).to.equal(ethers.ZeroAddress);
      await expect(element.getApproved(UNKNOWN)).to.be.revertedWithCustomError(element, "ERC721NonexistentToken").withArgs(UNKNOWN);
    });

    it("setApprovalForAll: the operator-for-all transfers and approves; revoked, it no longer can", async function () {
      const { element, provider, bank, renter2, outsider, tokenId } = await loadFixture(fixture);
      await expect(element.connect(provider).setApprovalForAll(bank.address, true))
        .to.emit(element, "ApprovalForAll")
        .withArgs(provider.address, bank.address, true);
      expect(await element.isApprovedForAll(provider.address, bank.address)).to.equal(true);
      await expect(element.connect(bank).approve(outsider.address, tokenId))
        .to.emit(element, "Approval")
        .withArgs(provider.address, outsider.address, tokenId);
      await expect(element.connect(provider).setApprovalForAll(bank.address, false))
        .to.emit(element, "ApprovalForAll")
        .withArgs(provider.address, bank.address, false);
      await expect(element.connect(bank).transferFrom(provider.address, renter2.address, tokenId))
        .to.be.revertedWithCustomError(element, "ERC721InsufficientApproval")
        .withArgs(bank.address, tokenId);
      await expect(element.connect(provider).setApprovalForAll(ethers.ZeroAddress, true))
        .to.be.revertedWithCustomError(element, "ERC721InvalidOperator")
        .withArgs(ethers.ZeroAddress);
    });

    it("transferFrom refuses a stranger, a wrong `from`, the zero address and an unknown token", async function () {
      const { element, provider, outsider, bank, tokenId } = await loadFixture(fixture);
      await expect(element.connect(outsider).transferFrom(provider.address, outsider.address, tokenId))
        .to.be.revertedWithCustomError(element, "ERC721InsufficientApproval")
        .withArgs(outsider.address, tokenId);
      await expect(element.connect(provider).transferFrom(bank.address, outsider.address, tokenId))
        .to.be.revertedWithCustomError(element, "ERC721IncorrectOwner")
        .withArgs(bank.address, tokenId, provider.address);
      await expect(element.connect(provider).transferFrom(provider.address, ethers.ZeroAddress, tokenId))
        .to.be.revertedWithCustomError(element, "ERC721InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
      await expect(element.connect(provider).transferFrom(provider.address, bank.address, UNKNOWN))
        .to.be.revertedWithCustomError(element, "ERC721NonexistentToken")
        .withArgs(UNKNOWN);
      expect(await element.ownerOf(tokenId)).to.equal(provider.address);
    });

    it("safeTransferFrom: to an EOA, to a receiving contract with data, refused by a refusing contract and a non-receiver", async function () {
      const { element, provider, bank, accepting, refusing, usd, tokenId } = await loadFixture(fixture);
      const acceptingAddress = await accepting.getAddress();
      await expect(element.connect(provider)["safeTransferFrom(address,address,uint256)"](provider.address, bank.address, tokenId))
        .to.emit(element, "Transfer")
        .withArgs(provider.address, bank.address, tokenId);
      const tx = element.connect(bank)["safeTransferFrom(address,address,uint256,bytes)"](bank.address, acceptingAddress, tokenId, "0xc0ffee");
      await expect(tx).to.emit(accepting, "Received").withArgs(bank.address, bank.address, tokenId, "0xc0ffee");
      await expect(tx).to.emit(element, "Transfer").withArgs(bank.address, acceptingAddress, tokenId);
      expect(await element.ownerOf(tokenId)).to.equal(acceptingAddress);
      expect(await element.balanceOf(acceptingAddress)).to.equal(1n);

      const second = BigInt(ethers.id("second data set"));
      await (await element.connect(provider).register(ethers.toBeHex(second, 32), Level.PUBLIC, 1, 0, "", [])).wait();
      for (const to of [await refusing.getAddress(), await usd.getAddress()]) {
        await expect(element.connect(provider)["safeTransferFrom(address,address,uint256)"](provider.address, to, second))
          .to.be.revertedWithCustomError(element, "ERC721InvalidReceiver")
          .withArgs(to);
      }
      expect(await element.ownerOf(second)).to.equal(provider.address);
    });
  });

  describe("ERC-165", function () {
    it("supports ERC-165, ERC-721, ERC-721 metadata, ERC-4907, ERC-2981 and ERC-4906, nothing else", async function () {
      const { element } = await loadFixture(fixture);
      for (const id of ["0x01ffc9a7", "0x80ac58cd", "0x5b5e139f", "0xad092b5c", "0x2a55205a", "0x49064906"]) {
        expect(await element.supportsInterface(id), id).to.equal(true);
      }
      // ERC-721 enumerable, ERC-1155, the invalid id, ERC-4907's setUser selector alone.
      for (const id of ["0x780e9d63", "0xd9b67a26", "0xffffffff", "0xe030565e", "0x00000000"]) {
        expect(await element.supportsInterface(id), id).to.equal(false);
      }
    });

    it("the ERC-4907 id is the XOR of its three selectors", async function () {
      const { element } = await loadFixture(fixture);
      const iface = element.interface;
      const xor = (["setUser", "userOf", "userExpires"] as const)
        .map((name) => BigInt(iface.getFunction(name)!.selector))
        .reduce((a, b) => a ^ b, 0n);
      expect(ethers.toBeHex(xor, 4)).to.equal("0xad092b5c");
    });
  });

  describe("ERC-4907", function () {
    it("the holder sets a user until a time: UpdateUser, userOf, userExpires, useOf (not paid)", async function () {
      const { element, provider, bank, tokenId } = await loadFixture(fixture);
      expect(await element.userOf(tokenId)).to.equal(ethers.ZeroAddress);
      expect(await element.userExpires(tokenId)).to.equal(0n);
      const expires = (await latest()) + 1_000n;
      await expect(element.connect(provider).setUser(tokenId, bank.address, expires))
        .to.emit(element, "UpdateUser")
        .withArgs(tokenId, bank.address, expires);
      expect(await element.userOf(tokenId)).to.equal(bank.address);
      expect(await element.userExpires(tokenId)).to.equal(expires);
      expect(await element.useOf(tokenId)).to.deep.equal([bank.address, expires, false, 0n]);
    });

    it("the user holds its right through its expiry second and loses it the second after; userExpires keeps the time", async function () {
      const { element, provider, bank, tokenId } = await loadFixture(fixture);
      const expires = (await latest()) + 100n;
      await (await element.connect(provider).setUser(tokenId, bank.address, expires)).wait();
      await time.increaseTo(expires - 1n);
      expect(await element.userOf(tokenId)).to.equal(bank.address);
      await time.increaseTo(expires);
      expect(await element.userOf(tokenId)).to.equal(bank.address);
      await time.increaseTo(expires + 1n);
      expect(await element.userOf(tokenId)).to.equal(ethers.ZeroAddress);
      expect(await element.userExpires(tokenId)).to.equal(expires);
    });

    it("the approved account and the operator-for-all may set the user; the holder may replace and clear it", async function () {
      const { element, provider, bank, renter2, outsider, tokenId } = await loadFixture(fixture);
      const expires = (await latest()) + 1_000n;
      await (await element.connect(provider).approve(bank.address, tokenId)).wait();
      await expect(element.connect(bank).setUser(tokenId, bank.address, expires))
        .to.emit(element, "UpdateUser")
        .withArgs(tokenId, bank.address, expires);
      await (await element.connect(provider).setApprovalForAll(renter2.address, true)).wait();
      await expect(element.connect(renter2).setUser(tokenId, outsider.address, expires + 1n))
        .to.emit(element, "UpdateUser")
        .withArgs(tokenId, outsider.address, expires + 1n);
      expect(await element.userOf(tokenId)).to.equal(outsider.address);
      await expect(element.connect(provider).setUser(tokenId, ethers.ZeroAddress, 0))
        .to.emit(element, "UpdateUser")
        .withArgs(tokenId, ethers.ZeroAddress, 0);
      expect(await element.userOf(tokenId)).to.equal(ethers.ZeroAddress);
      expect(await element.useOf(tokenId)).to.deep.equal([ethers.ZeroAddress, 0n, false, 0n]);
    });

    it("refuses setUser to anyone else (the token's operator included) and on an unknown token, state untouched", async function () {
      const { element, provider, bank, operator, outsider, tokenId } = await loadFixture(fixture);
      const expires = (await latest()) + 1_000n;
      await (await element.connect(provider).setUser(tokenId, bank.address, expires)).wait();
      for (const caller of [outsider, operator, bank]) {
        await expect(element.connect(caller).setUser(tokenId, caller.address, expires + 5n))
          .to.be.revertedWithCustomError(element, "DataNotHolder")
          .withArgs(tokenId, caller.address);
      }
      await expect(element.connect(provider).setUser(UNKNOWN, bank.address, expires))
        .to.be.revertedWithCustomError(element, "DataUnknownToken")
        .withArgs(UNKNOWN);
      expect(await element.useOf(tokenId)).to.deep.equal([bank.address, expires, false, 0n]);
    });
  });

  describe("ERC-2981", function () {
    it("pays the registrant its royalty, rounded down, also after the token changed hands", async function () {
      const { element, provider, bank, tokenId } = await loadFixture(fixture);
      expect(await element.royaltyInfo(tokenId, 10_000n * USD)).to.deep.equal([provider.address, 250n * USD]);
      // 2.5 % of 39 units is 0.975: rounded down.
      expect(await element.royaltyInfo(tokenId, 39n)).to.deep.equal([provider.address, 0n]);
      expect(await element.royaltyInfo(tokenId, 1_000_001n)).to.deep.equal([provider.address, 25_000n]);
      await (await element.connect(provider).transferFrom(provider.address, bank.address, tokenId)).wait();
      expect(await element.royaltyInfo(tokenId, 400n)).to.deep.equal([provider.address, 10n]);
      await expect(element.royaltyInfo(UNKNOWN, 100n)).to.be.revertedWithCustomError(element, "DataUnknownToken").withArgs(UNKNOWN);
    });

    it("a token registered without royalty pays none; one at 100 % pays the whole price", async function () {
      const { element, provider } = await loadFixture(fixture);
      const none = ethers.id("no royalty");
      const all = ethers.id("all royalty");
      await (await element.connect(provider).register(none, Level.PUBLIC, 1, 0, "", [])).wait();
      await (await element.connect(provider).register(all, Level.PUBLIC, 1, 10_000, "", [])).wait();
      expect(await element.royaltyInfo(BigInt(none), 12_345n)).to.deep.equal([provider.address, 0n]);
      expect(await element.royaltyInfo(BigInt(all), 12_345n)).to.deep.equal([provider.address, 12_345n]);
    });
  });

  describe("token URI and ERC-4906", function () {
    it("returns the token's own URI, the base URI + the id as 0x hex without it, empty without either", async function () {
      const { element, provider, tokenId, metadataURI, dataHash } = await loadFixture(fixture);
      expect(await element.tokenURI(tokenId)).to.equal(metadataURI);
      expect(await element.baseURI()).to.equal("");
      await expect(element.connect(provider).setTokenURI(tokenId, "")).to.emit(element, "MetadataUpdate").withArgs(tokenId);
      expect(await element.tokenURI(tokenId)).to.equal("");
      const base = "https://data.example/meta/";
      await expect(element.setBaseURI(base)).to.emit(element, "BatchMetadataUpdate").withArgs(0n, ethers.MaxUint256);
      expect(await element.baseURI()).to.equal(base);
      expect(await element.tokenURI(tokenId)).to.equal(base + dataHash);
      // A small id keeps its 32 bytes: the URI does not depend on leading zeros.
      const small = ethers.toBeHex(0x2a, 32);
      await (await element.connect(provider).register(small, Level.PUBLIC, 1, 0, "", [])).wait();
      expect(await element.tokenURI(0x2an)).to.equal(`${base}0x${"0".repeat(62)}2a`);
      // Its own URI again takes precedence over the base.
      await (await element.connect(provider).setTokenURI(tokenId, "ar://new")).wait();
      expect(await element.tokenURI(tokenId)).to.equal("ar://new");
      await expect(element.tokenURI(UNKNOWN)).to.be.revertedWithCustomError(element, "ERC721NonexistentToken").withArgs(UNKNOWN);
    });

    it("setTokenURI: holder and operator (MetadataUpdate), refused to others and on unknown tokens", async function () {
      const { element, operator, outsider, bank, tokenId, metadataURI } = await loadFixture(fixture);
      await expect(element.connect(operator).setTokenURI(tokenId, "ipfs://by-operator"))
        .to.emit(element, "MetadataUpdate")
        .withArgs(tokenId);
      expect(await element.tokenURI(tokenId)).to.equal("ipfs://by-operator");
      for (const caller of [outsider, bank]) {
        await expect(element.connect(caller).setTokenURI(tokenId, "ipfs://evil"))
          .to.be.revertedWithCustomError(element, "DataNotHolderOrOperator")
          .withArgs(tokenId, caller.address);
      }
      await expect(element.connect(operator).setTokenURI(UNKNOWN, "x"))
        .to.be.revertedWithCustomError(element, "DataUnknownToken")
        .withArgs(UNKNOWN);
      expect(await element.tokenURI(tokenId)).to.not.equal(metadataURI);
      expect(await element.tokenURI(tokenId)).to.equal("ipfs://by-operator");
    });
  });
});

import { expect } from "chai";
import { network } from "hardhat";
import { AbiCoder, concat, keccak256 } from "ethers";
import { batchProof, batchTree, verifyBatchProof } from "../../sdk/merkle.js";

const { ethers, networkHelpers } = await network.create();

const items = Array.from({ length: 7 }, (_, i) => ethers.id(`document ${i}`));

async function fixture() {
  return { batch: await ethers.deployContract("MerkleBatchMock") };
}

describe("MerkleBatch and sdk/merkle", function () {
  it("hashes a leaf as OpenZeppelin's standard tree does (double keccak of the ABI encoding)", async function () {
    const { batch } = await networkHelpers.loadFixture(fixture);
    const expected = keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32"], [items[0]])));
    expect(await batch.leaf(items[0])).to.equal(expected);
    expect(batchTree(items).leafHash([items[0]])).to.equal(expected);
  });

  it("proves every item of a batch, from calldata and from memory, and off chain", async function () {
    const { batch } = await networkHelpers.loadFixture(fixture);
    const tree = batchTree(items);
    for (const item of items) {
      const proof = batchProof(tree, item);
      expect(await batch.contains(tree.root, item, proof)).to.equal(true);
      expect(await batch.containsMemory(tree.root, item, proof)).to.equal(true);
      expect(verifyBatchProof(tree.root, item, proof)).to.equal(true);
    }
  });

  it("refuses a wrong item, a wrong root and siblings in the wrong order", async function () {
    const { batch } = await networkHelpers.loadFixture(fixture);
    const tree = batchTree(items);
    const proof = batchProof(tree, items[2]);
    expect(proof.length).to.be.greaterThan(1);
    const outsider = ethers.id("not in the batch");
    expect(await batch.contains(tree.root, outsider, proof)).to.equal(false);
    expect(verifyBatchProof(tree.root, outsider, proof)).to.equal(false);
    const otherRoot = batchTree(items.slice(1)).root;
    expect(await batch.contains(otherRoot, items[2], proof)).to.equal(false);
    expect(verifyBatchProof(otherRoot, items[2], proof)).to.equal(false);
    const reversed = [...proof].reverse();
    expect(await batch.contains(tree.root, items[2], reversed)).to.equal(false);
    expect(verifyBatchProof(tree.root, items[2], reversed)).to.equal(false);
  });

  it("never takes an inner node for an item", async function () {
    const { batch } = await networkHelpers.loadFixture(fixture);
    const pair = batchTree(items.slice(0, 2));
    // The only inner node is the root; its children are the two leaves. Neither leaf, nor the hash of the pair,
    // passes as an item.
    const [leftLeaf, rightLeaf] = [pair.leafHash([items[0]]), pair.leafHash([items[1]])];
    expect(await batch.contains(pair.root, leftLeaf, [rightLeaf])).to.equal(false);
    const sorted = BigInt(leftLeaf) < BigInt(rightLeaf) ? [leftLeaf, rightLeaf] : [rightLeaf, leftLeaf];
    expect(keccak256(concat(sorted))).to.equal(pair.root);
    expect(await batch.contains(pair.root, pair.root, [])).to.equal(false);
  });

  it("a batch of one: the root is the item's leaf, the proof is empty", async function () {
    const { batch } = await networkHelpers.loadFixture(fixture);
    const single = batchTree([items[0]]);
    expect(single.root).to.equal(await batch.leaf(items[0]));
    expect(batchProof(single, items[0])).to.deep.equal([]);
    expect(await batch.contains(single.root, items[0], [])).to.equal(true);
  });

  it("refuses to build an empty batch, a duplicate item or a value that is not 32 bytes", function () {
    expect(() => batchTree([])).to.throw("no items");
    expect(() => batchTree([items[0], items[0].toUpperCase().replace("0X", "0x")])).to.throw("appears twice");
    expect(() => batchTree(["0x1234"])).to.throw("not a 32-byte hex string");
    expect(() => batchProof(batchTree(items), ethers.id("absent"))).to.throw("not in the batch");
  });
});

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";

/**
 * Merkle batches of 32-byte items (document hashes, sensor-reading hashes), as contracts/common/MerkleBatch.sol
 * proves them: OpenZeppelin's standard tree over `bytes32` leaves (double-hashed, sorted pairs).
 */
export type BatchTree = StandardMerkleTree<[string]>;

/** Builds the tree of `items` (0x-prefixed 32-byte hex strings). Duplicates are refused: a batch names each item once. */
export function batchTree(items: readonly string[]): BatchTree {
  if (items.length === 0) throw new Error("batchTree: no items");
  const seen = new Set<string>();
  for (const item of items) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(item)) throw new Error(`batchTree: ${item} is not a 32-byte hex string`);
    const key = item.toLowerCase();
    if (seen.has(key)) throw new Error(`batchTree: ${item} appears twice`);
    seen.add(key);
  }
  return StandardMerkleTree.of(items.map((item) => [item] as [string]), ["bytes32"]);
}

/** The proof of `item` in `tree` (siblings from the leaf up), for `verifyInclusion`-style contract calls. */
export function batchProof(tree: BatchTree, item: string): string[] {
  const key = item.toLowerCase();
  for (const [index, [value]] of tree.entries()) {
    if (value.toLowerCase() === key) return tree.getProof(index);
  }
  throw new Error(`batchProof: ${item} is not in the batch`);
}

/** Checks off chain, without the tree, that `proof` proves `item` under `root`. */
export function verifyBatchProof(root: string, item: string, proof: readonly string[]): boolean {
  return StandardMerkleTree.verify(root, ["bytes32"], [item], [...proof]);
}

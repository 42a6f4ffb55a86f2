/**
 * Which entries of a hash chain the head on chain vouches for, entry by entry. The SDK's verifyChain says whether
 * a chain holds and where a forward walk first breaks; a page must also say which entry to distrust. Walking back
 * from the head does that: an entry is verified when its own hash is what the entry after it (or the head) says;
 * the first that is not is the altered one (or one is missing after it), and entries before it cannot be tied to
 * the head any more.
 */
export type LinkVerdict = "verified" | "tampered" | "unverifiable";

export function verdictsFromHead<T>(entries: readonly T[], head: string, hashOf: (entry: T) => string, previousOf: (entry: T) => string): LinkVerdict[] {
  const verdicts: LinkVerdict[] = entries.map(() => "unverifiable");
  let expected = head.toLowerCase();
  for (let i = entries.length - 1; i >= 0; i--) {
    if (hashOf(entries[i]).toLowerCase() !== expected) {
      verdicts[i] = "tampered";
      break;
    }
    verdicts[i] = "verified";
    expected = previousOf(entries[i]).toLowerCase();
  }
  return verdicts;
}

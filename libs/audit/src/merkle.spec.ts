import fc from 'fast-check';
import {
  Frontier,
  consistencyRanges,
  emptyRoot,
  inclusionRanges,
  leafHash,
  nodeHash,
  rangeHash,
  rangeRefs,
  verifyConsistency,
  verifyInclusion,
  type Hash,
  type NodeRef,
  type Range,
} from './merkle';

/** RFC 9162's definition, written out directly: the reference the stored-subtree version must match. */
function mth(leaves: Hash[]): Hash {
  if (leaves.length === 0) return emptyRoot('sha256');
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash('sha256', mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => leafHash('sha256', `leaf-${i}`));

/** A store of complete subtrees, built by the frontier as the log builder builds it. */
function stored(leaves: Hash[]): (ref: NodeRef) => Hash {
  const nodes = new Map<string, Hash>();
  const frontier = Frontier.empty('sha256');
  for (const leaf of leaves) for (const n of frontier.append(leaf)) nodes.set(`${n.level}/${n.index}`, n.hash);
  return (ref) => {
    const hash = nodes.get(`${ref.level}/${ref.index}`);
    if (!hash) throw new Error(`no complete subtree ${ref.level}/${ref.index}`);
    return hash;
  };
}

const hashOf = (node: (ref: NodeRef) => Hash) => (r: Range) => rangeHash('sha256', rangeRefs(r.start, r.end), node);

describe('the Merkle log (RFC 9162)', () => {
  it('has the RFC\'s root for every size, from the frontier and from stored subtrees', () => {
    for (let n = 0; n <= 70; n++) {
      const leaves = leavesOf(n);
      const frontier = Frontier.empty('sha256');
      leaves.forEach((leaf) => frontier.append(leaf));
      expect(frontier.root()).toBe(mth(leaves));
      if (n > 0) expect(rangeHash('sha256', rangeRefs(0, n), stored(leaves))).toBe(mth(leaves));
      if (n > 0) expect(Frontier.of('sha256', n, stored(leaves)).root()).toBe(mth(leaves));
    }
  });

  it('proves every leaf of every tree, and no proof survives a changed leaf, index or root', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }))), ([n, m]) => {
        const leaves = leavesOf(n);
        const root = mth(leaves);
        const path = inclusionRanges(m, n).map(hashOf(stored(leaves)));
        expect(verifyInclusion('sha256', leaves[m], m, n, path, root)).toBe(true);
        expect(verifyInclusion('sha256', leafHash('sha256', 'forged'), m, n, path, root)).toBe(false);
        if (n > 1) expect(verifyInclusion('sha256', leaves[m], (m + 1) % n, n, path, root)).toBe(false);
        expect(verifyInclusion('sha256', leaves[m], m, n, path, leafHash('sha256', 'other root'))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('proves every prefix consistent with every later tree, and refuses a tree whose past was changed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 150 }).chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n))), ([m, n]) => {
        const leaves = leavesOf(n);
        const proof = consistencyRanges(m, n).map(hashOf(stored(leaves)));
        expect(verifyConsistency('sha256', m, n, mth(leaves.slice(0, m)), mth(leaves), proof)).toBe(true);
        if (m < n) {
          const rewritten = [...leaves];
          rewritten[0] = leafHash('sha256', 'rewritten');
          const forgedProof = consistencyRanges(m, n).map(hashOf(stored(rewritten)));
          expect(verifyConsistency('sha256', m, n, mth(leaves.slice(0, m)), mth(rewritten), forgedProof)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('hashes with SM3 as well, to different roots', () => {
    const sm3 = Frontier.empty('sm3');
    const sha = Frontier.empty('sha256');
    for (const leaf of ['a', 'b', 'c']) {
      sm3.append(leafHash('sm3', leaf));
      sha.append(leafHash('sha256', leaf));
    }
    expect(sm3.root()).toMatch(/^[0-9a-f]{64}$/);
    expect(sm3.root()).not.toBe(sha.root());
  });
});

import { createHash } from 'node:crypto';
import type { HashAlgorithm } from '@cadre-ledger/event-store';

/**
 * The ledger-wide log as a Merkle tree, exactly RFC 9162 (Certificate Transparency v2, after RFC
 * 6962): leaf hash = H(0x00 ‖ leaf), node hash = H(0x01 ‖ left ‖ right), the tree over n leaves
 * split at the largest power of two below n. What is stored are the roots of complete subtrees
 * ("node (level, index)" covers leaves [index·2^level, (index+1)·2^level)); every root, inclusion
 * proof and consistency proof of any tree size is assembled from them.
 */

export type Hash = string; // lower-case hex

const h = (algorithm: HashAlgorithm, ...parts: Buffer[]): Hash => {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

export const leafHash = (algorithm: HashAlgorithm, leaf: string): Hash => h(algorithm, Buffer.from([0]), Buffer.from(leaf, 'utf8'));
export const nodeHash = (algorithm: HashAlgorithm, left: Hash, right: Hash): Hash =>
  h(algorithm, Buffer.from([1]), Buffer.from(left, 'hex'), Buffer.from(right, 'hex'));

/** The root of the empty tree: H(""). */
export const emptyRoot = (algorithm: HashAlgorithm): Hash => h(algorithm);

/** A complete subtree: level L, index k covers leaves [k·2^L, (k+1)·2^L). */
export interface NodeRef {
  level: number;
  index: number;
}

const largestPowerOfTwoBelow = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/**
 * The complete subtrees that make up MTH(D[start:end]) as RFC 9162 splits it, left to right. For
 * the ranges the tree's recursion produces (start a multiple of the split), each piece is aligned.
 */
export function rangeRefs(start: number, end: number): NodeRef[] {
  const refs: NodeRef[] = [];
  let from = start;
  while (from < end) {
    let size = 1;
    // The largest aligned power of two that starts at `from` and fits.
    while (from % (size * 2) === 0 && from + size * 2 <= end) size *= 2;
    refs.push({ level: Math.log2(size), index: from / size });
    from += size;
  }
  return refs;
}

/** MTH(D[start:end]) from the roots of its complete subtrees, folded right to left. */
export function rangeHash(algorithm: HashAlgorithm, refs: readonly NodeRef[], node: (ref: NodeRef) => Hash): Hash {
  let hash = node(refs[refs.length - 1]);
  for (let i = refs.length - 2; i >= 0; i--) hash = nodeHash(algorithm, node(refs[i]), hash);
  return hash;
}

/** A proof element: the hash of D[start:end]. */
export interface Range {
  start: number;
  end: number;
}

/** PATH(m, D[0:n]) (RFC 9162 2.1.3.1), as the ranges whose hashes it lists, leaf to root. */
export function inclusionRanges(index: number, size: number): Range[] {
  const path: Range[] = [];
  const walk = (m: number, start: number, n: number): void => {
    if (n <= 1) return;
    const k = largestPowerOfTwoBelow(n);
    if (m < k) {
      walk(m, start, k);
      path.push({ start: start + k, end: start + n });
    } else {
      walk(m - k, start + k, n - k);
      path.push({ start, end: start + k });
    }
  };
  if (index < 0 || index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  walk(index, 0, size);
  return path;
}

/** PROOF(m, D[0:n]) (RFC 9162 2.1.4.1), as the ranges whose hashes it lists. */
export function consistencyRanges(m: number, n: number): Range[] {
  if (m < 0 || m > n) throw new RangeError(`a tree of ${m} is not a prefix of a tree of ${n}`);
  if (m === 0 || m === n) return [];
  const proof: Range[] = [];
  const sub = (m1: number, start: number, n1: number, b: boolean): void => {
    if (m1 === n1) {
      if (!b) proof.push({ start, end: start + n1 });
      return;
    }
    const k = largestPowerOfTwoBelow(n1);
    if (m1 <= k) {
      sub(m1, start, k, b);
      proof.push({ start: start + k, end: start + n1 });
    } else {
      sub(m1 - k, start + k, n1 - k, false);
      proof.push({ start, end: start + k });
    }
  };
  sub(m, 0, n, true);
  return proof;
}

/** RFC 9162 2.1.3.2: does `path` prove leaf `index` (hash `leaf`) is in the tree of `size` with `root`? */
export function verifyInclusion(algorithm: HashAlgorithm, leaf: Hash, index: number, size: number, path: readonly Hash[], root: Hash): boolean {
  if (index >= size || index < 0) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(algorithm, p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = nodeHash(algorithm, r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && r === root;
}

/** RFC 9162 2.1.4.2: does `proof` show the tree of `size1` (root1) is a prefix of the tree of `size2` (root2)? */
export function verifyConsistency(algorithm: HashAlgorithm, size1: number, size2: number, root1: Hash, root2: Hash, proof: readonly Hash[]): boolean {
  if (size1 === size2) return proof.length === 0 && root1 === root2;
  if (size1 === 0) return proof.length === 0;
  if (size1 > size2 || proof.length === 0) return false;
  const path = [...proof];
  // If size1 is a power of two, root1 is the first element.
  if ((size1 & (size1 - 1)) === 0) path.unshift(root1);
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn >>= 1;
    sn >>= 1;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(algorithm, c, fr);
      sr = nodeHash(algorithm, c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = nodeHash(algorithm, sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && fr === root1 && sr === root2;
}

/**
 * The growing edge of the tree: the roots of the complete subtrees of the binary decomposition of
 * its size, largest first. Appending a leaf merges equal-sized neighbours, and hands back every
 * complete subtree that came into being (to be stored).
 */
export class Frontier {
  constructor(
    private readonly algorithm: HashAlgorithm,
    private size: number,
    /** Roots of the decomposition of `size`, largest (leftmost) first. */
    private readonly roots: { level: number; hash: Hash }[],
  ) {}

  static empty(algorithm: HashAlgorithm): Frontier {
    return new Frontier(algorithm, 0, []);
  }

  /** The frontier of a tree of `size`, from the stored complete subtrees (rangeRefs(0, size)). */
  static of(algorithm: HashAlgorithm, size: number, node: (ref: NodeRef) => Hash): Frontier {
    return new Frontier(algorithm, size, size === 0 ? [] : rangeRefs(0, size).map((ref) => ({ level: ref.level, hash: node(ref) })));
  }

  get treeSize(): number {
    return this.size;
  }

  /** Adds a leaf; returns the complete subtrees it completed, the leaf itself first. */
  append(leaf: Hash): { level: number; index: number; hash: Hash }[] {
    const index = this.size;
    const created = [{ level: 0, index, hash: leaf }];
    let current = { level: 0, hash: leaf };
    while (this.roots.length > 0 && this.roots[this.roots.length - 1].level === current.level) {
      const left = this.roots.pop()!;
      current = { level: current.level + 1, hash: nodeHash(this.algorithm, left.hash, current.hash) };
      created.push({ level: current.level, index: index >> current.level, hash: current.hash });
    }
    this.roots.push(current);
    this.size += 1;
    return created;
  }

  /** MTH(D[0:size]). */
  root(): Hash {
    if (this.roots.length === 0) return emptyRoot(this.algorithm);
    let hash = this.roots[this.roots.length - 1].hash;
    for (let i = this.roots.length - 2; i >= 0; i--) hash = nodeHash(this.algorithm, this.roots[i].hash, hash);
    return hash;
  }
}

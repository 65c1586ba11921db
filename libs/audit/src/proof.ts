import type { KeyObject } from 'node:crypto';
import { chainHash, isHashFormat, type StoredEvent } from '@cadre-ledger/event-store';
import { leafOf, type ConsistencyProof, type InclusionProof } from './log';
import { verifyConsistency, verifyInclusion } from './merkle';
import { verifyHead, type TreeHead } from './signing';

export type ProofCheck = { ok: true } | { ok: false; problem: string };

/**
 * Checks an inclusion proof with nothing but the proof, the event and the public key: the head is
 * signed by that key; the event's fields give its chain hash; its chain hash, recordedAt and
 * position give the leaf; the path takes the leaf to the signed root.
 */
export function checkInclusion(event: StoredEvent, proof: Pick<InclusionProof, 'head' | 'leafIndex' | 'path'>, publicKey: KeyObject): ProofCheck {
  if (!verifyHead(proof.head, publicKey)) return { ok: false, problem: 'the tree head is not signed by this key' };
  if (!isHashFormat(event.hashFormat) || chainHash(event.prevHash, event, event.hashFormat) !== event.hash) {
    return { ok: false, problem: 'the event does not match its own hash (a field was changed)' };
  }
  const leaf = leafOf(proof.head.hashAlgorithm, event);
  if (!verifyInclusion(proof.head.hashAlgorithm, leaf, proof.leafIndex, proof.head.treeSize, proof.path, proof.head.rootHash)) {
    return { ok: false, problem: 'the path does not lead from this event to the signed root (its recordedAt, position or place changed)' };
  }
  return { ok: true };
}

/** Checks that the later head's tree extends the earlier's: nothing in it was removed, reordered or changed. */
export function checkConsistency(proof: ConsistencyProof, publicKey: KeyObject): ProofCheck {
  for (const head of [proof.from, proof.to] as TreeHead[]) {
    if (!verifyHead(head, publicKey)) return { ok: false, problem: `the head of tree size ${head.treeSize} is not signed by this key` };
  }
  return verifyConsistency(proof.to.hashAlgorithm, proof.from.treeSize, proof.to.treeSize, proof.from.rootHash, proof.to.rootHash, proof.proof)
    ? { ok: true }
    : { ok: false, problem: `the tree of size ${proof.to.treeSize} does not extend the tree of size ${proof.from.treeSize}` };
}

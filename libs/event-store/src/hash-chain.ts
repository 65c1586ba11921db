import * as crypto from 'node:crypto';
import type { StoredEvent, VerifyResult } from './port';
import { canonicalAroundRevision, type HashedContent } from './canonical';

export type { HashedContent };

/** prevHash of the first event of every stream. */
export const GENESIS_HASH = '0'.repeat(64);

import { HASH_ALGORITHMS, type HashAlgorithm } from '@cadre-ledger/platform/hash-algorithms';

export { HASH_ALGORITHMS, type HashAlgorithm };

/**
 * How an event's hash was computed, kept with the event:
 * - `v1`: sha256(prevHash ‖ canonical JSON), what stores wrote before the format had a version;
 * - `v2-sha256`, `v2-sm3`: H("cadre-ledger.event.v2" ‖ 0x00 ‖ prevHash ‖ canonical JSON), the
 *   format of every event written since, with the store's algorithm.
 * A store verifies each event by its own format, so one migrated once keeps both.
 */
export const HASH_FORMATS = ['v1', 'v2-sha256', 'v2-sm3'] as const;
export type HashFormat = (typeof HASH_FORMATS)[number];

export const formatFor = (algorithm: HashAlgorithm): HashFormat => `v2-${algorithm}`;
export const algorithmOf = (format: string): HashAlgorithm => (format === 'v2-sm3' ? 'sm3' : 'sha256');
export const isHashFormat = (value: unknown): value is HashFormat => (HASH_FORMATS as readonly unknown[]).includes(value);

const V2_DOMAIN = Buffer.from('cadre-ledger.event.v2\u0000', 'utf8');

/** H(parts…) as lower-case hex. */
export function digestHex(algorithm: HashAlgorithm, ...parts: (string | Buffer)[]): string {
  const h = crypto.createHash(algorithm);
  for (const part of parts) {
    if (typeof part === 'string') h.update(part, 'utf8');
    else h.update(part);
  }
  return h.digest('hex');
}


/** The one canonical encoding of an event's hashed content: RFC 8785 JSON (canonical.ts). */
export function canonicalContent(event: HashedContent): string {
  const cut = canonicalAroundRevision(event);
  return cut.head + String(event.revision) + cut.tail;
}

/**
 * An event's chain hash, in its format: the one place every adapter, the import and `ledger
 * verify` compute it.
 */
export function chainHash(prevHash: string, event: HashedContent, format: HashFormat): string {
  return chainHashOfCanonical(prevHash, canonicalContent(event), format);
}

/** `chainHash` of content already in its canonical encoding (`canonicalContent`): for a writer that needs that encoding anyway. */
export function chainHashOfCanonical(prevHash: string, canonical: string, format: HashFormat): string {
  if (format === 'v1') return oneShot('sha256', prevHash + canonical);
  return oneShot(algorithmOf(format), V2_DOMAIN_TEXT + prevHash + canonical);
}

const V2_DOMAIN_TEXT = V2_DOMAIN.toString('utf8');
// One call into OpenSSL instead of a Hash object per event; the same digest as `digestHex`.
const oneShot = (algorithm: HashAlgorithm, text: string): string => crypto.hash(algorithm, text, 'hex');

/**
 * Recomputes the chain of one stream's events (given in revision order) and names the first
 * revision whose stored `prevHash` or `hash` disagrees with the recomputation, or that is missing.
 */
export function verifyChain(stream: string, events: readonly StoredEvent[]): VerifyResult {
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (const event of events) {
    checked += 1;
    const format = isHashFormat(event.hashFormat) ? event.hashFormat : null;
    const intact = format !== null && event.revision === checked - 1 && event.prevHash === prevHash && event.hash === chainHash(prevHash, event, format);
    if (!intact) return { ok: false, checked, brokenAt: { stream, revision: event.revision, eventId: event.eventId } };
    prevHash = event.hash;
  }
  return { ok: true, checked };
}

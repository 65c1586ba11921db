import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { StoredEvent, VerifyResult } from './port';

/** prevHash of the first event of every stream. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The fields a hash covers: everything the writer decided, nothing the store assigns after the
 * fact. `recordedAt` and `globalPosition` are left out because EventStoreDB assigns them on write
 * (`created`, `$all` position), after the hash must already be in the event's metadata; the
 * PostgreSQL adapter protects them by refusing UPDATE and DELETE on its events table instead.
 */
export type HashedContent = Pick<
  StoredEvent,
  'eventId' | 'type' | 'schemaVersion' | 'stream' | 'revision' | 'effectiveAt' | 'actor' | 'documentRef' | 'data'
>;

export function hashedContent(event: HashedContent): HashedContent {
  return {
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    stream: event.stream,
    revision: event.revision,
    effectiveAt: event.effectiveAt,
    actor: event.actor,
    documentRef: event.documentRef ?? null,
    data: event.data,
  };
}

/** sha256(prevHash ‖ RFC 8785 canonical JSON of the event), lower-case hex. */
export function chainHash(prevHash: string, event: HashedContent): string {
  const canonical = canonicalize(hashedContent(event));
  if (canonical === undefined) throw new Error(`event ${event.eventId} cannot be serialised canonically`);
  return createHash('sha256').update(prevHash, 'utf8').update(canonical, 'utf8').digest('hex');
}

/**
 * Recomputes the chain of one stream's events (given in revision order) and names the first
 * revision whose stored `prevHash` or `hash` disagrees with the recomputation.
 */
export function verifyChain(stream: string, events: readonly StoredEvent[]): VerifyResult {
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (const event of events) {
    checked += 1;
    const expected = chainHash(prevHash, event);
    if (event.prevHash !== prevHash || event.hash !== expected) {
      return { ok: false, checked, brokenAt: { stream, revision: event.revision, eventId: event.eventId } };
    }
    prevHash = event.hash;
  }
  return { ok: true, checked };
}

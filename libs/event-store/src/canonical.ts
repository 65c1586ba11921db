import canonicalize from 'canonicalize';
import type { StoredEvent } from './port';

/**
 * The fields a chain hash covers: everything the writer decided before the append, nothing the
 * store assigns on write. `recordedAt` and `globalPosition` (EventStoreDB assigns both) are covered
 * by the ledger-wide log instead, whose leaf is computed after the commit from this hash and them.
 */
export type HashedContent = Pick<
  StoredEvent,
  'eventId' | 'type' | 'schemaVersion' | 'stream' | 'revision' | 'effectiveAt' | 'actor' | 'documentRef' | 'data'
>;

export interface CanonicalCut {
  /** Canonical JSON up to and including `"revision":`. */
  head: string;
  /** Canonical JSON after the revision's digits. */
  tail: string;
  /** Canonical JSON of `data` alone, reused as the jsonb parameter. */
  data: string;
}

/**
 * The canonical JSON (RFC 8785) of an event's hashed content, cut around its revision:
 * `head + String(revision) + tail === canonicalize(hashedContent(event))`.
 *
 * Why: with expectedRevision 'any' only the database knows the revision when the row is written,
 * and computing the hash there saves a round trip per append. RFC 8785 sorts keys (actor, data,
 * documentRef, effectiveAt, eventId, revision, schemaVersion, stream, type) and serialises strings
 * and numbers exactly as `JSON.stringify`, so only `data` needs the canonicaliser; the rest is
 * written out here, which matters at thousands of events per second. `canonical.spec.ts` checks
 * the identity against the canonicaliser for arbitrary events.
 */
export function canonicalAroundRevision(
  content: Omit<HashedContent, 'revision' | 'schemaVersion' | 'documentRef'> & { schemaVersion?: number; documentRef?: string | null },
): CanonicalCut {
  const data = canonicalize(content.data);
  if (data === undefined) throw new Error(`event ${content.eventId}: data cannot be serialised canonically`);
  const j = JSON.stringify;
  return {
    head: `{"actor":${j(content.actor)},"data":${data},"documentRef":${j(content.documentRef ?? null)},"effectiveAt":${j(content.effectiveAt)},"eventId":${j(content.eventId)},"revision":`,
    tail: `,"schemaVersion":${j(content.schemaVersion ?? 1)},"stream":${j(content.stream)},"type":${j(content.type)}}`,
    data,
  };
}

import canonicalize from 'canonicalize';
import { hashedContent, type HashedContent } from '../hash-chain';

/**
 * The canonical JSON (RFC 8785) of an event's hashed content, cut around its revision:
 * `head + String(revision) + tail === canonicalize(hashedContent(event))`.
 *
 * Why: with expectedRevision 'any' only the database knows the revision when the row is written,
 * and computing the hash there saves a round trip per append. RFC 8785 sorts keys, so the keys
 * before "revision" (actor, data, documentRef, effectiveAt, eventId) and after it (schemaVersion,
 * stream, type) serialise as two independent objects, and a non-negative integer serialises as
 * its decimal digits. `canonical.spec.ts` checks the identity.
 */
export function canonicalAroundRevision(content: Omit<HashedContent, 'revision'>): { head: string; tail: string } {
  const full = hashedContent({ ...content, revision: 0 });
  const before = serialise({ actor: full.actor, data: full.data, documentRef: full.documentRef, effectiveAt: full.effectiveAt, eventId: full.eventId });
  const after = serialise({ schemaVersion: full.schemaVersion, stream: full.stream, type: full.type });
  return { head: `${before.slice(0, -1)},"revision":`, tail: `,${after.slice(1)}` };
}

function serialise(value: object): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('event content cannot be serialised canonically');
  return text;
}

import canonicalize from 'canonicalize';
import { DuplicateEventIdConflict, MAX_EVENTS_PER_ATOMIC_APPEND, type NewEvent, type StoredEvent, type StreamAppend, type StreamRead } from './port';

/**
 * Whether a re-sent event is the one already stored under its eventId: the idempotency rule of
 * every adapter. Compares what the writer decided (the hashed content minus the revision, which the
 * store assigned), with `data` compared as canonical JSON so key order does not matter.
 */
export function isSameEvent(sent: NewEvent, stream: string, stored: StoredEvent): boolean {
  return (
    stored.eventId === sent.eventId &&
    stored.stream === stream &&
    stored.type === sent.type &&
    stored.schemaVersion === (sent.schemaVersion ?? 1) &&
    stored.effectiveAt === sent.effectiveAt &&
    stored.actor === sent.actor &&
    stored.documentRef === (sent.documentRef ?? null) &&
    canonicalize(stored.data) === canonicalize(sent.data)
  );
}

/**
 * A whole re-sent append is idempotent when every event is stored, in the same stream, at
 * consecutive revisions in the order sent, with the same content. Returns the stored events then,
 * and otherwise the first eventId that is stored but does not fit (the conflict to report).
 */
export function matchStoredAppend(
  stream: string,
  sent: readonly NewEvent[],
  storedById: ReadonlyMap<string, StoredEvent>,
): { ok: true; events: StoredEvent[] } | { ok: false; conflictingEventId: string } {
  const firstStored = sent.find((event) => storedById.has(event.eventId));
  if (!firstStored) throw new Error('matchStoredAppend: none of the events is stored');
  const events: StoredEvent[] = [];
  for (const [index, event] of sent.entries()) {
    const stored = storedById.get(event.eventId);
    const expectedRevision = events.length > 0 ? events[0].revision + index : undefined;
    if (!stored || !isSameEvent(event, stream, stored) || (expectedRevision !== undefined && stored.revision !== expectedRevision)) {
      return { ok: false, conflictingEventId: stored ? event.eventId : firstStored.eventId };
    }
    events.push(stored);
  }
  return { ok: true, events };
}

/** One append naming the same eventId twice is a caller's bug, refused before anything is stored. */
export function assertDistinctEventIds(stream: string, events: readonly NewEvent[]): void {
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.eventId)) throw new DuplicateEventIdConflict(event.eventId, stream);
    seen.add(event.eventId);
  }
}

/** What every adapter's `appendToStreams` refuses before touching the store: a stream twice, too many events, an event id twice. */
export function assertAtomicAppend(appends: readonly StreamAppend[]): void {
  const streams = new Set<string>();
  const ids = new Map<string, string>();
  let count = 0;
  for (const { stream, events } of appends) {
    if (streams.has(stream)) throw new RangeError(`appendToStreams: stream ${stream} appears twice`);
    streams.add(stream);
    count += events.length;
    for (const event of events) {
      const other = ids.get(event.eventId);
      if (other !== undefined) throw new DuplicateEventIdConflict(event.eventId, stream, `is sent twice (also in ${other})`);
      ids.set(event.eventId, stream);
    }
  }
  if (count > MAX_EVENTS_PER_ATOMIC_APPEND) throw new RangeError(`appendToStreams: at most ${MAX_EVENTS_PER_ATOMIC_APPEND} events in all, got ${count}`);
}

/** A `readStreams` call names each stream once. */
export function assertDistinctStreams(reads: readonly StreamRead[]): void {
  const seen = new Set<string>();
  for (const { stream, fromRevision } of reads) {
    if (seen.has(stream)) throw new RangeError(`readStreams: stream ${stream} appears twice`);
    if (fromRevision !== undefined && (!Number.isInteger(fromRevision) || fromRevision < 0)) throw new RangeError(`readStreams: fromRevision of ${stream} must be a non-negative integer`);
    seen.add(stream);
  }
}

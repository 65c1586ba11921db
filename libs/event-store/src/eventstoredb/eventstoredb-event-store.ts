/**
 * The event store port on EventStoreDB (`@eventstore/db-client`), for production.
 *
 * Appends read the stream first, for two reasons EventStoreDB cannot serve alone: the hash
 * chain needs the last event's hash, and idempotency is by eventId and content, while the
 * server's own idempotency is positional. The read is made safe by appending with the revision
 * that was read as the expected revision: if anyone wrote in between, the server refuses, and
 * nothing with a stale `prevHash` is ever stored.
 *
 * Limits that come from the server, not from this code: idempotency covers the stream being
 * appended to (an eventId reused in another stream is not detected); `recordedAt` has the
 * millisecond precision of the client's `created` Date, so `knownAt` reads compare at that
 * precision; reading `$all` needs a user allowed to read it when the server runs secure.
 */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import canonicalize from 'canonicalize';
import { GENESIS_HASH, chainHash, verifyChain } from '../hash-chain';
import {
  DuplicateEventIdConflict,
  WrongExpectedRevision,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type SubscribeOptions,
  type Subscription,
  type VerifyResult,
} from '../port';
import { isLedgerStream, LEDGER_STREAM_PREFIXES, positionOf, toJsonEvent, toSafeNumber, toStoredEvent, type Unrecorded } from './mapping';
import { subscribeToLedger } from './subscription';

/** `$all` is read in pages of this many records (ledger and others) until `limit` ledger events are found. */
const ALL_PAGE_SIZE = 512;
/** An `'any'` append that loses a race re-reads and retries; this bounds it under a write storm. */
const MAX_ANY_ATTEMPTS = 5;

export class EventStoreDbEventStore implements EventStore {
  constructor(private readonly client: EventStoreDBClient) {}

  /** `esdb://host:2113?tls=false`, `esdb+discover://…` for a cluster: the client's own format. */
  static fromConnectionString(connectionString: string): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString));
  }

  async appendToStream(stream: string, events: NewEvent[], { expectedRevision }: AppendOptions): Promise<AppendResult> {
    if (!isLedgerStream(stream)) {
      // Other streams would be invisible to readAll and subscribeToAll, which follow the ledger's prefixes only.
      throw new Error(`stream ${stream} is not a ledger stream (${LEDGER_STREAM_PREFIXES.join(', ')})`);
    }
    assertDistinctEventIds(stream, events);
    for (let attempt = 1; ; attempt += 1) {
      const existing = await this.readStream(stream);
      const replay = storedReplay(stream, existing, events);
      if (replay) return replay;

      const last = existing[existing.length - 1];
      const current = last ? last.revision : 'no-stream';
      if (expectedRevision !== 'any' && expectedRevision !== current) {
        throw new WrongExpectedRevision(stream, expectedRevision, current);
      }
      if (events.length === 0) return { events: [], nextRevision: last ? last.revision : -1 };

      const unrecorded = chained(stream, last, events);
      const outcome = await this.appendAtRevision(stream, unrecorded, last);
      if (outcome !== 'appended') {
        // Someone appended between our read and our write. `'any'` did not care about the
        // revision, only our prevHash did: read again and rebuild the chain.
        if (expectedRevision === 'any' && attempt < MAX_ANY_ATTEMPTS) continue;
        throw new WrongExpectedRevision(stream, expectedRevision, outcome.actual);
      }
      // Read back rather than assemble: recordedAt and globalPosition are the server's.
      const stored = await this.readStream(stream, { fromRevision: unrecorded[0].revision });
      const appended = stored.slice(0, events.length);
      return { events: appended, nextRevision: appended[appended.length - 1].revision };
    }
  }

  /** Appends expecting the stream to end at `last`; a refusal, thrown or returned, becomes `{actual}`. */
  private async appendAtRevision(stream: string, events: Unrecorded[], last: StoredEvent | undefined): Promise<'appended' | { actual: number | 'no-stream' }> {
    try {
      const result = await this.client.appendToStream(stream, events.map(toJsonEvent), {
        expectedRevision: last ? BigInt(last.revision) : NO_STREAM,
      });
      // Only with `throwOnAppendFailure=false` in the connection string does a refusal come back as a result.
      if (result.success) return 'appended';
      return { actual: result.nextExpectedRevision < 0n ? 'no-stream' : toSafeNumber(result.nextExpectedRevision, 'stream revision') };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return { actual: actualRevision(error) };
      throw error;
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const knownAt = options.knownAt === undefined ? undefined : parseInstant(options.knownAt, 'knownAt');
    const fromRevision = options.fromRevision ? BigInt(options.fromRevision) : START;
    const events: StoredEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(stream, { fromRevision })) {
        const event = toStoredEvent(resolved);
        if (event && (knownAt === undefined || Date.parse(event.recordedAt) <= knownAt)) events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  async readAll({ fromPosition = 0, limit }: ReadAllOptions): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    let cursor = fromPosition;
    while (events.length < limit) {
      let records = 0;
      const pageStart = cursor;
      // A read of `$all` starts AT the given position; the port's fromPosition is exclusive.
      for await (const resolved of this.client.readAll({ fromPosition: cursor > 0 ? positionOf(cursor) : START, maxCount: ALL_PAGE_SIZE })) {
        records += 1;
        const commit = resolved.event?.position?.commit ?? resolved.commitPosition;
        if (commit === undefined) continue;
        const position = toSafeNumber(commit, '$all commit position');
        if (position <= cursor) continue;
        cursor = position;
        const event = toStoredEvent(resolved);
        if (event && events.length < limit) events.push(event);
      }
      if (records < ALL_PAGE_SIZE) break;
      if (cursor === pageStart) throw new Error(`reading $all made no progress past position ${cursor}`);
    }
    return events;
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    return subscribeToLedger(this.client, options.fromPosition ?? 0);
  }

  async verifyStream(stream: string): Promise<VerifyResult> {
    return verifyChain(stream, await this.readStream(stream));
  }

  async streamRevision(stream: string): Promise<number | 'no-stream'> {
    try {
      for await (const resolved of this.client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        if (resolved.event) return toSafeNumber(resolved.event.revision, 'stream revision');
      }
      return 'no-stream';
    } catch (error) {
      if (error instanceof StreamNotFoundError) return 'no-stream';
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

/** The new events with their revisions and hash chain, continuing from the stream's last event. */
function chained(stream: string, last: StoredEvent | undefined, events: NewEvent[]): Unrecorded[] {
  let prevHash = last ? last.hash : GENESIS_HASH;
  let revision = last ? last.revision : -1;
  return events.map((event) => {
    revision += 1;
    const content = { ...contentOf(event), eventId: event.eventId, stream, revision };
    const hash = chainHash(prevHash, content);
    const unrecorded: Unrecorded = { ...content, prevHash, hash };
    prevHash = hash;
    return unrecorded;
  });
}

/**
 * Idempotent re-append: when every eventId is already in the stream with the same content,
 * the stored events are the answer. An eventId stored with other content, or a batch that is
 * only partly stored (which can be no retry of one append), is a conflict.
 */
function storedReplay(stream: string, existing: StoredEvent[], events: NewEvent[]): AppendResult | undefined {
  const byId = new Map(existing.map((event) => [event.eventId, event]));
  const found = events.map((event) => byId.get(event.eventId));
  const firstFound = found.findIndex((event) => event !== undefined);
  if (firstFound === -1) return undefined;
  events.forEach((event, index) => {
    const stored = found[index];
    if (stored && !sameContent(stored, event)) throw new DuplicateEventIdConflict(event.eventId, stream);
  });
  const stored = found.filter((event): event is StoredEvent => event !== undefined);
  if (stored.length < events.length) throw new DuplicateEventIdConflict(events[firstFound].eventId, stream);
  return { events: stored, nextRevision: Math.max(...stored.map((event) => event.revision)) };
}

function contentOf(event: NewEvent | StoredEvent) {
  return {
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    effectiveAt: event.effectiveAt,
    actor: event.actor,
    documentRef: event.documentRef ?? null,
    data: event.data,
  };
}

const sameContent = (stored: StoredEvent, event: NewEvent): boolean => canonicalize(contentOf(stored)) === canonicalize(contentOf(event));

function assertDistinctEventIds(stream: string, events: NewEvent[]): void {
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.eventId)) throw new DuplicateEventIdConflict(event.eventId, stream);
    seen.add(event.eventId);
  }
}

function actualRevision(error: WrongExpectedVersionError): number | 'no-stream' {
  return typeof error.actualVersion === 'bigint' ? toSafeNumber(error.actualVersion, 'stream revision') : 'no-stream';
}

function parseInstant(value: string, what: string): number {
  const instant = Date.parse(value);
  if (Number.isNaN(instant)) throw new Error(`${what} is not an RFC 3339 timestamp: ${value}`);
  return instant;
}

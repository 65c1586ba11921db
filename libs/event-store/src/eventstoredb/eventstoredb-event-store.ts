/**
 * The event store port on EventStoreDB (`@eventstore/db-client`), for production.
 *
 * Appends read the stream first, for two reasons EventStoreDB cannot serve alone: the hash
 * chain needs the last event's hash, and idempotency is by eventId and content, while the
 * server's own idempotency is positional. The read is made safe by appending with the revision
 * that was read as the expected revision: if anyone wrote in between, the server refuses, and
 * nothing with a stale `prevHash` is ever stored.
 *
 * EventStoreDB knows event ids per stream only; uniqueness across the ledger comes from one
 * claim stream per eventId (see `claimEventIds`), which costs one more small write per event.
 *
 * Reads go through the generated Read RPC on the client's connection (wire-reads.ts) to keep
 * `created` to the microsecond; appends use the client's public `appendToStream`, whatever RPC
 * it picks (BatchAppend on servers from 21.10 on, Append before). On a server run secure,
 * reading `$all` needs a user allowed to (an admin or ops user, by default ACLs).
 */
import { EventStoreDBClient, NO_STREAM, WrongExpectedVersionError, jsonEvent } from '@eventstore/db-client';
import { GENESIS_HASH, chainHash, formatFor, verifyChain, type HashAlgorithm, type HashFormat } from '../hash-chain';
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
import { esdbEventId, isLedgerStream, LEDGER_STREAM_PREFIXES, toJsonEvent, toSafeNumber, toStoredEvent, type Unrecorded } from './mapping';
import { eventPositionAtOrBefore } from './positions';
import { readToEnd, type RecordedEvent } from './wire-reads';
import { toEpochMicros } from '../recorded-at';
import { matchStoredAppend } from '../same-content';
import { subscribeToLedger } from './subscription';

/** `$all` is read in pages of this many records (ledger and others) until `limit` ledger events are found. */
const ALL_PAGE_SIZE = 512;
/**
 * An append that loses a race re-reads and, with `'any'`, retries. Every lost race means another
 * append succeeded, so writers as a whole always progress; the bound only stops one unlucky
 * writer from retrying forever under a sustained storm on the same stream.
 */
const MAX_ATTEMPTS = 100;
/** One stream per eventId, `ledger-event-id-{uuid}`: outside the ledger's prefixes, so no reader sees them. */
const CLAIM_STREAM_PREFIX = 'ledger-event-id-';

/** Where the store records the hash algorithm it was created with (outside the ledger's prefixes). */
const META_STREAM = 'ledger-store-meta';

export class EventStoreDbEventStore implements EventStore {
  private readonly hashFormat: HashFormat;

  constructor(
    private readonly client: EventStoreDBClient,
    readonly hashAlgorithm: HashAlgorithm = 'sha256',
  ) {
    this.hashFormat = formatFor(hashAlgorithm);
  }

  /** `esdb://host:2113?tls=false`, `esdb+discover://…` for a cluster: the client's own format. */
  static fromConnectionString(connectionString: string, hashAlgorithm: HashAlgorithm = 'sha256'): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), hashAlgorithm);
  }

  /**
   * Opens the store and its recorded hash algorithm: the first open of an empty cluster records the
   * configured one (default sha256) in `ledger-store-meta`; a later open naming another is refused.
   */
  static async open(connectionString: string, options: { hashAlgorithm?: HashAlgorithm } = {}): Promise<EventStoreDbEventStore> {
    const client = EventStoreDBClient.connectionString(connectionString);
    try {
      const read = async (): Promise<string | undefined> => {
        const records = await readToEnd(client, { kind: 'stream', stream: META_STREAM, from: 'start', maxCount: 1n });
        if (records === 'stream-not-found' || records.length === 0) return undefined;
        return (JSON.parse(Buffer.from(records[0].getData_asU8()).toString('utf8')) as { hashAlgorithm?: string }).hashAlgorithm;
      };
      let recorded = await read();
      if (recorded === undefined) {
        await client
          .appendToStream(META_STREAM, jsonEvent({ type: 'LedgerStoreCreated', data: { hashAlgorithm: options.hashAlgorithm ?? 'sha256' } }), { expectedRevision: NO_STREAM })
          .catch((error: unknown) => {
            if (!(error instanceof WrongExpectedVersionError)) throw error; // created meanwhile by another process
          });
        recorded = await read();
      }
      if (recorded !== 'sha256' && recorded !== 'sm3') throw new Error(`${META_STREAM} records hash algorithm ${JSON.stringify(recorded)}, which this version does not know`);
      if (options.hashAlgorithm !== undefined && options.hashAlgorithm !== recorded) {
        throw new Error(`this store was created with hash algorithm ${recorded}; LEDGER_HASH_ALGORITHM=${options.hashAlgorithm} cannot change it`);
      }
      return new EventStoreDbEventStore(client, recorded);
    } catch (error) {
      await client.dispose();
      throw error;
    }
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

      await this.claimEventIds(stream, events);
      const unrecorded = chained(stream, last, events, this.hashFormat);
      const outcome = await this.appendAtRevision(stream, unrecorded, last);
      if (outcome !== 'appended') {
        // Someone appended between our read and our write. Read again: it may have been this
        // very batch, sent twice at once (then this append is a no-op, answered above); with
        // `'any'` only our prevHash was stale; otherwise the revision check above refuses it.
        if (attempt < MAX_ATTEMPTS) continue;
        throw new WrongExpectedRevision(stream, expectedRevision, outcome.actual);
      }
      // Read back rather than assemble: recordedAt and globalPosition are the server's.
      const stored = await this.readStream(stream, { fromRevision: unrecorded[0].revision });
      const appended = stored.slice(0, events.length);
      return { events: appended, nextRevision: appended[appended.length - 1].revision };
    }
  }

  /**
   * EventStoreDB knows an event id only within its stream, and the port's eventIds are unique
   * across the ledger: each eventId is claimed for its stream by creating its claim stream
   * (expected: no stream) before the ledger append. The claim outlives an append that fails
   * afterwards, binding the eventId to that stream, where a retry then succeeds; sending the
   * same eventId to another stream is refused either way.
   */
  private async claimEventIds(stream: string, events: NewEvent[]): Promise<void> {
    await Promise.all(
      events.map(async ({ eventId }) => {
        const claimStream = `${CLAIM_STREAM_PREFIX}${esdbEventId(eventId)}`;
        try {
          await this.client.appendToStream(claimStream, jsonEvent({ type: 'LedgerEventIdClaimed', data: { eventId, stream } }), { expectedRevision: NO_STREAM });
          return;
        } catch (error) {
          if (!(error instanceof WrongExpectedVersionError)) throw error;
        }
        const [claim] = await readToEnd(this.client, { kind: 'stream', stream: claimStream, from: 'start', maxCount: 1n }).then((r) => (r === 'stream-not-found' ? [] : r));
        const claimedBy: unknown = claim ? JSON.parse(Buffer.from(claim.getData_asU8()).toString('utf8')).stream : undefined;
        if (claimedBy !== stream) throw new DuplicateEventIdConflict(eventId, typeof claimedBy === 'string' ? claimedBy : stream);
      }),
    );
  }

  /** Appends expecting the stream to end at `last`; a refusal, thrown or returned, becomes `{actual}`. */
  private async appendAtRevision(stream: string, events: Unrecorded[], last: StoredEvent | undefined): Promise<'appended' | { actual: number | 'no-stream' }> {
    try {
      const result = await this.client.appendToStream(stream, events.map(toJsonEvent), {
        expectedRevision: last ? BigInt(last.revision) : NO_STREAM,
      });
      if (result.success) return 'appended';
      // Only with `throwOnAppendFailure=false` in the connection string does a refusal come back
      // as a result, and the client's BatchAppend path then fills in a wrong revision: ask the stream.
      return { actual: await this.streamRevision(stream) };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return { actual: actualRevision(error) };
      throw error;
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const knownAt = options.knownAt === undefined ? undefined : toEpochMicros(options.knownAt);
    const from = options.fromRevision ? BigInt(options.fromRevision) : 'start';
    const records = await readToEnd(this.client, { kind: 'stream', stream, from, maxCount: BigInt(Number.MAX_SAFE_INTEGER) });
    if (records === 'stream-not-found') return [];
    const events: StoredEvent[] = [];
    for (const record of records) {
      const event = toStoredEvent(record);
      if (event && (knownAt === undefined || toEpochMicros(event.recordedAt) <= knownAt)) events.push(event);
    }
    return events;
  }

  async readAll({ fromPosition = 0, limit }: ReadAllOptions): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    let cursor = fromPosition;
    let from: bigint | 'start' = cursor > 0 ? BigInt(cursor) : 'start';
    while (events.length < limit) {
      const page = await this.readAllPage(from, cursor === fromPosition);
      const pageStart = cursor;
      for (const record of page) {
        const position = toSafeNumber(BigInt(record.getCommitPosition()), '$all commit position');
        // A read of `$all` starts AT its position; the port's fromPosition is exclusive.
        if (position <= cursor) continue;
        cursor = position;
        const event = toStoredEvent(record);
        if (event && events.length < limit) events.push(event);
      }
      if (page.length < ALL_PAGE_SIZE) break;
      if (cursor === pageStart) throw new Error(`reading $all made no progress past position ${cursor}`);
      from = BigInt(cursor);
    }
    return events;
  }

  /** One page of `$all`; the first may start at a number that is no event's position (see positions.ts). */
  private async readAllPage(from: bigint | 'start', first: boolean): Promise<RecordedEvent[]> {
    const read = (start: bigint | 'start') => readToEnd(this.client, { kind: 'all', from: start, maxCount: BigInt(ALL_PAGE_SIZE) });
    try {
      const page = await read(from);
      return page === 'stream-not-found' ? [] : page;
    } catch (error) {
      if (!first || from === 'start') throw error;
      const page = await read(await eventPositionAtOrBefore(this.client, from));
      return page === 'stream-not-found' ? [] : page;
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    return subscribeToLedger(this.client, options.fromPosition ?? 0);
  }

  async verifyStream(stream: string): Promise<VerifyResult> {
    return verifyChain(stream, await this.readStream(stream));
  }

  async streamRevision(stream: string): Promise<number | 'no-stream'> {
    const records = await readToEnd(this.client, { kind: 'stream', stream, from: 'end', backwards: true, maxCount: 1n });
    if (records === 'stream-not-found' || records.length === 0) return 'no-stream';
    return toSafeNumber(BigInt(records[0].getStreamRevision()), 'stream revision');
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

/** The new events with their revisions and hash chain, continuing from the stream's last event. */
function chained(stream: string, last: StoredEvent | undefined, events: NewEvent[], format: HashFormat): Unrecorded[] {
  let prevHash = last ? last.hash : GENESIS_HASH;
  let revision = last ? last.revision : -1;
  return events.map((event) => {
    revision += 1;
    const content = { ...contentOf(event), stream, revision };
    const hash = chainHash(prevHash, content, format);
    const unrecorded: Unrecorded = { ...content, prevHash, hash, hashFormat: format };
    prevHash = hash;
    return unrecorded;
  });
}

/**
 * Idempotent re-append, by the rule every adapter shares (`matchStoredAppend`): when the whole
 * batch is already in the stream with the same content, the stored events are the answer; an
 * eventId stored with other content, or a batch only partly stored, is a conflict.
 */
function storedReplay(stream: string, existing: StoredEvent[], events: NewEvent[]): AppendResult | undefined {
  const storedById = new Map(existing.map((event) => [event.eventId, event]));
  if (!events.some((event) => storedById.has(event.eventId))) return undefined;
  const match = matchStoredAppend(stream, events, storedById);
  if (!match.ok) throw new DuplicateEventIdConflict(match.conflictingEventId, stream);
  return { events: match.events, nextRevision: match.events[match.events.length - 1].revision };
}

/** What the writer decided, defaults applied: the hashed content minus stream and revision. */
function contentOf(event: NewEvent) {
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


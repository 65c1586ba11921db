import { createHash } from 'node:crypto';
import type { ClientBase, Pool } from 'pg';
import { assertDistinctEventIds, matchStoredAppend } from '../same-content';
import { DuplicateEventIdConflict, WrongExpectedRevision, type AppendResult, type ExpectedRevision, type NewEvent, type StoredEvent } from '../port';
import { canonicalAroundRevision, type CanonicalCut } from './canonical';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './rows';
import { MAX_EVENTS_PER_APPEND } from './schema';

type Queryable = Pick<Pool, 'query'> | Pick<ClientBase, 'query'>;

/** A named statement: parsed and planned once per connection. */
const APPEND_STATEMENT = {
  name: 'ledger_append_v1',
  text: `SELECT * FROM ledger_append($1, $2, $3::text[], $4::text[], $5::integer[], $6::text[], $7::text[], $8::text[], $9::jsonb[],
    $10::text[], $11::text[], $12::boolean, $13::text, $14::text[])`,
};

/** The last event of a stream as this process last saw it: a guess the database checks. */
export interface StreamHead {
  revision: number;
  hash: string;
}

/** How many times an append is retried after losing a race it can win on a second try. */
const MAX_ATTEMPTS = 8;

/**
 * Appends `events` to `stream` in one statement on `db`: a pool (the statement is then its own
 * transaction) or a client inside a transaction the caller controls (tests use that to hold a
 * transaction open and roll it back). Maps the database's answers to the port's errors.
 */
export async function appendEvents(
  db: Queryable,
  stream: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
  head?: StreamHead,
): Promise<AppendResult> {
  if (events.length > MAX_EVENTS_PER_APPEND) throw new RangeError(`at most ${MAX_EVENTS_PER_APPEND} events per append, got ${events.length}`);
  if (events.length === 0) return emptyAppend(db, stream, expected);
  assertDistinctEventIds(stream, events);
  const cuts = canonicalCuts(stream, events);
  const params = appendParameters(stream, events, expected, cuts);
  // With a head to go on, hash here (cheaper than the database's interpreted loop); the database
  // uses these hashes only if that head is still current, and hashes itself otherwise.
  let guess = head && expected !== 'no-stream' && (expected === 'any' || expected === head.revision) ? guessedChain(head, cuts) : undefined;
  let checkExisting = false;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const canonical = guess ? [null, null] : [cuts.map((cut) => cut.head), cuts.map((cut) => cut.tail)];
      const { rows } = await db.query<AppendRow>({
        ...APPEND_STATEMENT,
        values: [...params, ...canonical, checkExisting, guess?.prevHash ?? null, guess?.hashes ?? null],
      });
      if (rows[0].existing) return idempotentResult(stream, events, await storedByIds(db, events));
      const stored = storedEvents(stream, events, cuts, rows[0]);
      return { events: stored, nextRevision: stored[stored.length - 1].revision };
    } catch (error) {
      if ((error as PgError).code === 'CL428' && guess) {
        guess = undefined; // the remembered head is stale: let the database hash
        continue;
      }
      // A refused append may be the re-send of one already stored: ask once more, with the lookup.
      if (!checkExisting && isRevisionOrDuplicateConflict(error)) {
        checkExisting = true;
        continue;
      }
      const outcome = await interpret(db, stream, expected, error);
      if (outcome !== 'retry' || attempt >= MAX_ATTEMPTS) throw outcome === 'retry' ? error : outcome;
    }
  }
}

interface AppendRow {
  existing: boolean;
  first_position: string;
  first_revision: string;
  prev_hash: string;
  hashes: string[];
  recorded_at: string;
}

/** The stored events, from what the caller sent and what the database assigned. */
function storedEvents(stream: string, events: readonly NewEvent[], cuts: readonly CanonicalCut[], row: AppendRow): StoredEvent[] {
  const firstPosition = Number(row.first_position);
  const firstRevision = Number(row.first_revision);
  return events.map((event, index) => ({
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    stream,
    revision: firstRevision + index,
    globalPosition: firstPosition + index,
    effectiveAt: event.effectiveAt,
    recordedAt: row.recorded_at,
    actor: event.actor,
    documentRef: event.documentRef ?? null,
    // A copy, as a read would give: the caller may go on to mutate its own object.
    data: JSON.parse(cuts[index].data) as Record<string, unknown>,
    prevHash: index === 0 ? row.prev_hash : row.hashes[index - 1],
    hash: row.hashes[index],
  }));
}

async function storedByIds(db: Queryable, events: readonly NewEvent[]): Promise<StoredEvent[]> {
  const { rows } = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM ledger_events WHERE event_id = ANY ($1::text[])`, [
    events.map((event) => event.eventId),
  ]);
  return rows.map(toStoredEvent);
}

function canonicalCuts(stream: string, events: readonly NewEvent[]): CanonicalCut[] {
  return events.map((event) =>
    canonicalAroundRevision({
      eventId: event.eventId,
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      stream,
      effectiveAt: event.effectiveAt,
      actor: event.actor,
      documentRef: event.documentRef ?? null,
      data: event.data,
    }),
  );
}

function guessedChain(head: StreamHead, cuts: readonly CanonicalCut[]): { prevHash: string; hashes: string[] } {
  let prevHash = head.hash;
  const hashes = cuts.map((cut, index) => {
    // Same bytes as chainHash(prevHash, event): prevHash ‖ canonical JSON.
    prevHash = createHash('sha256').update(prevHash, 'utf8').update(cut.head + String(head.revision + 1 + index) + cut.tail, 'utf8').digest('hex');
    return prevHash;
  });
  return { prevHash: head.hash, hashes };
}

function appendParameters(stream: string, events: readonly NewEvent[], expected: ExpectedRevision, cuts: readonly CanonicalCut[]): unknown[] {
  return [
    stream,
    encodeExpected(expected),
    events.map((event) => event.eventId),
    events.map((event) => event.type),
    events.map((event) => event.schemaVersion ?? 1),
    events.map((event) => event.effectiveAt),
    events.map((event) => event.actor),
    events.map((event) => event.documentRef ?? null),
    cuts.map((cut) => cut.data),
  ];
}

function encodeExpected(expected: ExpectedRevision): number {
  if (expected === 'no-stream') return -1;
  if (expected === 'any') return -2;
  if (!Number.isInteger(expected) || expected < 0) throw new RangeError(`expected revision must be a non-negative integer, 'no-stream' or 'any': ${expected}`);
  return expected;
}

function idempotentResult(stream: string, events: readonly NewEvent[], stored: StoredEvent[]): AppendResult {
  const match = matchStoredAppend(stream, events, new Map(stored.map((event) => [event.eventId, event])));
  if (!match.ok) throw new DuplicateEventIdConflict(match.conflictingEventId, stream);
  return { events: match.events, nextRevision: match.events[match.events.length - 1].revision };
}

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
}

function isRevisionOrDuplicateConflict(error: unknown): boolean {
  const pgError = error as PgError;
  return pgError.code === 'CL409' || (pgError.code === '23505' && pgError.constraint === 'ledger_events_event_id_key');
}

/**
 * 'retry' for races a second attempt resolves: another append took the next revision while this
 * one said 'any', or the same event id was being written concurrently (the retry then finds it
 * stored and answers idempotently, or finds the other writer rolled back and writes it).
 */
async function interpret(db: Queryable, stream: string, expected: ExpectedRevision, error: unknown): Promise<Error | 'retry'> {
  const pgError = error as PgError;
  if (pgError.code === 'CL409') {
    const actual = Number(pgError.detail);
    return new WrongExpectedRevision(stream, expected, actual < 0 ? 'no-stream' : actual);
  }
  if (pgError.code === '23505' && pgError.constraint === 'ledger_events_stream_revision_key') {
    if (expected === 'any') return 'retry';
    return new WrongExpectedRevision(stream, expected, await currentRevision(db, stream));
  }
  if (pgError.code === '23505' && pgError.constraint === 'ledger_events_event_id_key') return 'retry';
  return error instanceof Error ? error : new Error(String(error));
}

async function emptyAppend(db: Queryable, stream: string, expected: ExpectedRevision): Promise<AppendResult> {
  const actual = await currentRevision(db, stream);
  if (expected !== 'any' && expected !== actual) throw new WrongExpectedRevision(stream, expected, actual);
  return { events: [], nextRevision: actual === 'no-stream' ? -1 : actual };
}

export async function currentRevision(db: Queryable, stream: string): Promise<number | 'no-stream'> {
  const { rows } = await db.query<{ revision: string }>('SELECT max(revision) AS revision FROM ledger_events WHERE stream = $1', [stream]);
  return rows[0]?.revision === null || rows[0]?.revision === undefined ? 'no-stream' : Number(rows[0].revision);
}

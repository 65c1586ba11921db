import type { ClientBase, Pool } from 'pg';
import { matchStoredAppend } from '../same-content';
import { DuplicateEventIdConflict, WrongExpectedRevision, type AppendResult, type ExpectedRevision, type NewEvent, type StoredEvent } from '../port';
import { canonicalAroundRevision } from './canonical';
import { toStoredEvent, type EventRow } from './rows';
import { MAX_EVENTS_PER_APPEND } from './schema';

type Queryable = Pick<Pool, 'query'> | Pick<ClientBase, 'query'>;

const APPEND_SQL = `SELECT * FROM ledger_append($1, $2, $3::text[], $4::text[], $5::integer[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::text[], $11::text[])`;

/** How many times an append is retried after losing a race it can win on a second try. */
const MAX_ATTEMPTS = 8;

/**
 * Appends `events` to `stream` in one statement on `db`: a pool (the statement is then its own
 * transaction) or a client inside a transaction the caller controls (tests use that to hold a
 * transaction open and roll it back). Maps the database's answers to the port's errors.
 */
export async function appendEvents(db: Queryable, stream: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
  if (events.length > MAX_EVENTS_PER_APPEND) throw new RangeError(`at most ${MAX_EVENTS_PER_APPEND} events per append, got ${events.length}`);
  if (events.length === 0) return emptyAppend(db, stream, expected);
  const params = appendParameters(stream, events, expected);
  for (let attempt = 1; ; attempt += 1) {
    try {
      const { rows } = await db.query<EventRow & { existing: boolean }>(APPEND_SQL, params);
      if (rows.length > 0 && rows[0].existing) return idempotentResult(stream, events, rows.map(toStoredEvent));
      const stored = rows.map(toStoredEvent);
      return { events: stored, nextRevision: stored[stored.length - 1].revision };
    } catch (error) {
      const outcome = await interpret(db, stream, expected, error);
      if (outcome !== 'retry' || attempt >= MAX_ATTEMPTS) throw outcome === 'retry' ? error : outcome;
    }
  }
}

function appendParameters(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): unknown[] {
  const cuts = events.map((event) =>
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
  return [
    stream,
    encodeExpected(expected),
    events.map((event) => event.eventId),
    events.map((event) => event.type),
    events.map((event) => event.schemaVersion ?? 1),
    events.map((event) => event.effectiveAt),
    events.map((event) => event.actor),
    events.map((event) => event.documentRef ?? null),
    events.map((event) => JSON.stringify(event.data)),
    cuts.map((cut) => cut.head),
    cuts.map((cut) => cut.tail),
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

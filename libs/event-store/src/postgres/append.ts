import type { ClientBase, Pool } from 'pg';
import { assertAtomicAppend, assertDistinctEventIds, matchStoredAppend } from '../same-content';
import { canonicalAroundRevision, type CanonicalCut } from '../canonical';
import { GENESIS_HASH, chainHashOfCanonical, type HashFormat } from '../hash-chain';
import { DuplicateEventIdConflict, WrongExpectedRevision, type AppendResult, type ExpectedRevision, type NewEvent, type StoredEvent, type StreamAppend } from '../port';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './rows';
import { MAX_EVENTS_PER_APPEND } from './schema';

type Queryable = Pick<Pool, 'query'> | Pick<ClientBase, 'query'>;

/** A named statement: parsed and planned once per connection. */
const APPEND_STATEMENT = {
  name: 'ledger_append_v2',
  text: `SELECT * FROM ledger_append_v2($1, $2, $3::text[], $4::text[], $5::integer[], $6::text[], $7::text[], $8::text[], $9::jsonb[],
    $10::boolean, $11::bigint, $12::text, $13::text[], $14::text)`,
};

/** The last event of a stream: what the next event's hash chains onto. */
export interface StreamHead {
  revision: number;
  hash: string;
}

const NO_HEAD: StreamHead = { revision: -1, hash: GENESIS_HASH };

/** How many times an append is retried after losing a race it can win on a second try. */
const MAX_ATTEMPTS = 8;

/**
 * Appends `events` to `stream` in one statement on `db`: a pool (the statement is then its own
 * transaction) or a client inside a transaction the caller controls. The chain hashes are
 * computed here, by `chainHash`, from the head the caller remembers (or reads): the database only
 * checks that head is still current and answers CL428 when it is not, and this reads it again.
 */
export async function appendEvents(
  db: Queryable,
  stream: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
  format: HashFormat,
  remembered?: StreamHead,
): Promise<AppendResult> {
  if (events.length > MAX_EVENTS_PER_APPEND) throw new RangeError(`at most ${MAX_EVENTS_PER_APPEND} events per append, got ${events.length}`);
  if (events.length === 0) return emptyAppend(db, stream, expected);
  assertDistinctEventIds(stream, events);
  // Each event's canonical encoding, once: its data goes to the database as is, and its chain
  // hash is computed from it for whichever head the append ends up chaining onto.
  const cuts = events.map((event) => canonicalAroundRevision({ ...event, stream }));
  const datas = cuts.map((cut) => cut.data);
  const encodedExpected = encodeExpected(expected);
  let head = expected === 'no-stream' ? NO_HEAD : remembered && (expected === 'any' || expected === remembered.revision) ? remembered : await readHead(db, stream);
  let checkExisting = false;
  for (let attempt = 1; ; attempt += 1) {
    const stored = withChain(stream, events, cuts, head, format);
    try {
      const { rows } = await db.query<AppendRow>({
        ...APPEND_STATEMENT,
        values: [
          stream,
          encodedExpected,
          ...eventColumns(events),
          datas,
          checkExisting,
          head.revision,
          head.hash,
          stored.map((e) => e.hash),
          format,
        ],
      });
      if (rows[0].existing) return idempotentResult(stream, events, await storedByIds(db, events));
      const firstPosition = Number(rows[0].first_position);
      stored.forEach((event, index) => {
        event.globalPosition = firstPosition + index;
        event.recordedAt = rows[0].recorded_at;
      });
      return { events: stored, nextRevision: stored[stored.length - 1].revision };
    } catch (error) {
      if ((error as PgError).code === 'CL428') {
        head = await readHead(db, stream); // another writer moved the head: hash again from it
        if (attempt < MAX_ATTEMPTS) continue;
      }
      // A refused append may be the re-send of one already stored: ask once more, with the lookup.
      if (!checkExisting && isRevisionOrDuplicateConflict(error)) {
        checkExisting = true;
        continue;
      }
      const outcome = await interpret(db, stream, expected, error);
      if (outcome !== 'retry' || attempt >= MAX_ATTEMPTS) throw outcome === 'retry' ? error : outcome;
      head = await readHead(db, stream);
    }
  }
}

/** The columns both statements take per event, in their parameter order: id, type, schema version, effective date, actor, 文号. */
function eventColumns(events: readonly NewEvent[]): unknown[][] {
  return [
    events.map((e) => e.eventId),
    events.map((e) => e.type),
    events.map((e) => e.schemaVersion ?? 1),
    events.map((e) => e.effectiveAt),
    events.map((e) => e.actor),
    events.map((e) => e.documentRef ?? null),
  ];
}

/** The batch statement: every part of an `appendToStreams` call in one round trip (schema.ts, version 3). */
const BATCH_STATEMENT = {
  name: 'ledger_append_batch',
  text: `SELECT part, first_position, recorded_at FROM ledger_append_batch($1::text[], $2::bigint[], $3::integer[], $4::bigint[], $5::text[],
    $6::text[], $7::text[], $8::integer[], $9::text[], $10::text[], $11::text[], $12::jsonb[], $13::text[], $14::text)`,
};

/**
 * Appends to several streams in one statement (the port's `appendToStreams`): every part or none.
 * Each part is chained onto the head remembered for it (or read, all unknown heads in one query)
 * and stored by the same function a single append calls; a part that fails ends the statement and
 * is answered as the port says, without the retries of `appendEvents`. The positions of one
 * statement are consecutive, in the order of the parts.
 */
export async function appendAtomically(
  pool: Pool,
  appends: readonly StreamAppend[],
  format: HashFormat,
  remembered: (stream: string) => StreamHead | undefined,
): Promise<AppendResult[]> {
  assertAtomicAppend(appends);
  const parts = appends.filter((part) => part.events.length > 0);
  const heads = await headsFor(pool, parts, remembered);
  const chained = parts.map((part) => {
    const cuts = part.events.map((event) => canonicalAroundRevision({ ...event, stream: part.stream }));
    const head = heads.get(part.stream)!;
    return { part, cuts, head, stored: withChain(part.stream, part.events, cuts, head, format) };
  });
  const events = parts.flatMap((part) => part.events);
  let rows: { part: number; first_position: string; recorded_at: string }[] = [];
  if (parts.length > 0) {
    try {
      ({ rows } = await pool.query({
        ...BATCH_STATEMENT,
        values: [
          parts.map((p) => p.stream),
          parts.map((p) => encodeExpected(p.expectedRevision)),
          parts.map((p) => p.events.length),
          chained.map((c) => c.head.revision),
          chained.map((c) => c.head.hash),
          ...eventColumns(events),
          chained.flatMap((c) => c.cuts.map((cut) => cut.data)),
          chained.flatMap((c) => c.stored.map((e) => e.hash)),
          format,
        ],
      }));
    } catch (error) {
      const failed = parts[Number((error as PgError).hint) - 1];
      throw failed ? await atomicFailure(pool, failed, error) : error;
    }
  }
  const byStream = new Map<string, AppendResult>();
  for (const row of rows) {
    const { part, stored } = chained[row.part - 1];
    const first = Number(row.first_position);
    stored.forEach((event, index) => {
      event.globalPosition = first + index;
      event.recordedAt = row.recorded_at;
    });
    byStream.set(part.stream, { events: stored, nextRevision: stored[stored.length - 1].revision });
  }
  // A part without events appends nothing; as appendToStream, it still checks its expected revision.
  const results: AppendResult[] = [];
  for (const part of appends) results.push(byStream.get(part.stream) ?? (await emptyAppend(pool, part.stream, part.expectedRevision)));
  return results;
}

/** The head each part chains onto: genesis for a new stream, the remembered one when it is the expected revision, else read (one query for all). */
async function headsFor(pool: Pool, parts: readonly StreamAppend[], remembered: (stream: string) => StreamHead | undefined): Promise<Map<string, StreamHead>> {
  const heads = new Map<string, StreamHead>();
  const unknown: string[] = [];
  for (const { stream, expectedRevision } of parts) {
    const known = remembered(stream);
    if (expectedRevision === 'no-stream') heads.set(stream, NO_HEAD);
    else if (known && expectedRevision === known.revision) heads.set(stream, known);
    else unknown.push(stream);
  }
  if (unknown.length > 0) {
    const { rows } = await pool.query<{ stream: string; revision: string; hash: string }>(
      'SELECT DISTINCT ON (stream) stream, revision, hash FROM ledger_events WHERE stream = ANY ($1::text[]) ORDER BY stream, revision DESC',
      [unknown],
    );
    for (const stream of unknown) heads.set(stream, NO_HEAD);
    for (const row of rows) heads.set(row.stream, { revision: Number(row.revision), hash: row.hash });
  }
  return heads;
}

/** The port's error for the part that failed, read after the statement ended. */
async function atomicFailure(pool: Pool, { stream, events, expectedRevision }: StreamAppend, error: unknown): Promise<unknown> {
  const pgError = error as PgError;
  const revisionConflict = pgError.code === 'CL409' || pgError.code === 'CL428' || (pgError.code === '23505' && pgError.constraint === 'ledger_events_stream_revision_key');
  if (revisionConflict) return new WrongExpectedRevision(stream, expectedRevision, await currentRevision(pool, stream));
  if (pgError.code === '23505' && pgError.constraint === 'ledger_events_event_id_key') {
    const { rows } = await pool.query<{ event_id: string }>('SELECT event_id FROM ledger_events WHERE event_id = ANY ($1::text[]) LIMIT 1', [events.map((e) => e.eventId)]);
    return new DuplicateEventIdConflict(rows[0]?.event_id ?? events[0].eventId, stream, 'is already stored');
  }
  return error;
}

/**
 * The events as they will be stored, chained onto `head`; `globalPosition` and `recordedAt` are
 * the database's, filled in once it has answered. `data` is a copy, as a read would give (the
 * caller may go on to mutate its own object), parsed from the canonical JSON only when read:
 * most callers of an append look at revisions and positions only.
 */
function withChain(stream: string, events: readonly NewEvent[], cuts: readonly CanonicalCut[], head: StreamHead, format: HashFormat): StoredEvent[] {
  let prevHash = head.hash;
  return events.map((event, index) => {
    const revision = head.revision + 1 + index;
    const hash = chainHashOfCanonical(prevHash, cuts[index].head + String(revision) + cuts[index].tail, format);
    const stored = new AppendedEvent(cuts[index].data, event, stream, revision, prevHash, hash, format);
    prevHash = hash;
    return stored;
  });
}

/** A stored event as the append returns it; see `withChain`. Its fields are plain own properties, `data` a lazy one. */
class AppendedEvent implements StoredEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly stream: string;
  readonly revision: number;
  globalPosition = 0;
  readonly effectiveAt: string;
  recordedAt = '';
  readonly actor: string;
  readonly documentRef: string | null;
  readonly prevHash: string;
  readonly hash: string;
  readonly hashFormat: string;
  declare data: Record<string, unknown>;

  constructor(canonicalData: string, event: NewEvent, stream: string, revision: number, prevHash: string, hash: string, format: HashFormat) {
    this.eventId = event.eventId;
    this.type = event.type;
    this.schemaVersion = event.schemaVersion ?? 1;
    this.stream = stream;
    this.revision = revision;
    this.effectiveAt = event.effectiveAt;
    this.actor = event.actor;
    this.documentRef = event.documentRef ?? null;
    this.prevHash = prevHash;
    this.hash = hash;
    this.hashFormat = format;
    let parsed: Record<string, unknown> | undefined;
    // Enumerable, so that spreading, JSON.stringify and deep equality see it like any other field.
    Object.defineProperty(this, 'data', {
      enumerable: true,
      configurable: true,
      get: () => (parsed ??= JSON.parse(canonicalData) as Record<string, unknown>),
      set: (value: Record<string, unknown>) => {
        parsed = value;
      },
    });
  }
}

interface AppendRow {
  existing: boolean;
  first_position: string;
  first_revision: string;
  recorded_at: string;
}

export async function readHead(db: Queryable, stream: string): Promise<StreamHead> {
  const { rows } = await db.query<{ revision: string; hash: string }>('SELECT revision, hash FROM ledger_events WHERE stream = $1 ORDER BY revision DESC LIMIT 1', [stream]);
  return rows.length === 0 ? NO_HEAD : { revision: Number(rows[0].revision), hash: rows[0].hash };
}

async function storedByIds(db: Queryable, events: readonly NewEvent[]): Promise<StoredEvent[]> {
  const { rows } = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM ledger_events WHERE event_id = ANY ($1::text[])`, [
    events.map((event) => event.eventId),
  ]);
  return rows.map(toStoredEvent);
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
  hint?: string;
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
  if (pgError.code === 'CL428') return expected === 'any' ? 'retry' : new WrongExpectedRevision(stream, expected, await currentRevision(db, stream));
  if (pgError.code === '23505' && pgError.constraint === 'ledger_events_stream_revision_key') {
    if (expected === 'any') return 'retry';
    return new WrongExpectedRevision(stream, expected, await currentRevision(db, stream));
  }
  if (pgError.code === '23505' && pgError.constraint === 'ledger_events_event_id_key') return 'retry';
  // Not `instanceof Error`: an error raised by Node itself (ECONNREFUSED) comes from another realm
  // under a test runner's sandbox, and a wrapped copy would lose the code that says "unavailable".
  return typeof error === 'object' && error !== null ? (error as Error) : new Error(String(error));
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

import type { Pool, PoolClient } from 'pg';
import { algorithmOf, chainHash, GENESIS_HASH, isHashFormat, type HashAlgorithm } from '../hash-chain';
import type { StoredEvent } from '../port';
import { formatEpochMicros, toEpochMicros } from '../recorded-at';
import { raisePositionOffset } from './position-epoch';

/** One event of a restore, with where it came from (a line number) for the refusal to name. */
export interface RestoreItem {
  at: number;
  event: StoredEvent;
}

export interface RestoreReport {
  events: number;
  streams: number;
  lastPosition: number;
  /** Events by hash format, as restored. */
  formats: Record<string, number>;
}

/** A restore that was refused: nothing of it was written. */
export class RestoreRefused extends Error {
  constructor(
    message: string,
    /** The `at` of the item refused; undefined when the store itself was the reason. */
    readonly at?: number,
  ) {
    super(message);
    this.name = 'RestoreRefused';
  }
}

interface StreamTail {
  revision: number;
  hash: string;
  recordedAt: bigint;
}

const BATCH = 1000;

/**
 * A restore (`ledger import --restore`): events as another store recorded them, written with
 * their recordedAt, global position, hashes and hash format unchanged, so the recorded-time axis,
 * the global order, every chain and every tree head of the ledger they came from hold here too.
 *
 * All or nothing, in one transaction that holds the events table exclusively: into an empty store
 * only; every event must chain onto the one before it in its stream (revision, prevHash, hash
 * recomputed), come after the one before it in the global order and, in its stream, in recorded
 * time, and carry a hash format of the store's algorithm. The first event that does not is refused
 * with where it came from, and nothing is written. New appends after it get positions above every
 * restored one (position-epoch.ts).
 */
export async function restoreEvents(pool: Pool, algorithm: HashAlgorithm, items: AsyncIterable<RestoreItem[]>): Promise<RestoreReport> {
  const client = await pool.connect();
  let failed = false;
  try {
    await client.query('BEGIN');
    // Appends and reads wait for the restore; the store cannot gain an event while it checks.
    await client.query('LOCK TABLE ledger_events IN ACCESS EXCLUSIVE MODE');
    const { rowCount } = await client.query('SELECT 1 FROM ledger_events LIMIT 1');
    if (rowCount) throw new RestoreRefused('the store already holds events: a restore goes only into an empty store (a new data dir or database)');
    const report = await restoreInTransaction(client, algorithm, items);
    await raisePositionOffset(client);
    await client.query('COMMIT');
    return report;
  } catch (error) {
    failed = true;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release(failed);
  }
}

async function restoreInTransaction(client: PoolClient, algorithm: HashAlgorithm, items: AsyncIterable<RestoreItem[]>): Promise<RestoreReport> {
  const tails = new Map<string, StreamTail>();
  const formats: Record<string, number> = {};
  let lastPosition = 0;
  let lastV1Position = 0;
  let events = 0;
  let pending: StoredEvent[] = [];
  const flush = async () => {
    if (pending.length > 0) await insert(client, pending);
    pending = [];
  };
  for await (const batch of items) {
    for (const { at, event } of batch) {
      const problem = check(event, tails.get(event.stream), lastPosition, algorithm);
      if (problem) throw new RestoreRefused(`${event.stream} revision ${event.revision} (eventId ${event.eventId}): ${problem}`, at);
      tails.set(event.stream, { revision: event.revision, hash: event.hash, recordedAt: toEpochMicros(event.recordedAt) });
      lastPosition = event.globalPosition;
      if (event.hashFormat === 'v1') lastV1Position = event.globalPosition;
      formats[event.hashFormat] = (formats[event.hashFormat] ?? 0) + 1;
      events += 1;
      pending.push(event);
      if (pending.length >= BATCH) await flush();
    }
  }
  await flush();
  // As the migration to formatted hashes records it: v1 events end here.
  if (lastV1Position > 0) {
    await client.query("INSERT INTO ledger_store_meta (name, value) VALUES ('v1-events-until-position', $1) ON CONFLICT (name) DO NOTHING", [String(lastV1Position)]);
  }
  return { events, streams: tails.size, lastPosition, formats };
}

/** Why `event` cannot follow `tail` in its stream and `lastPosition` in the global order; undefined when it can. */
function check(event: StoredEvent, tail: StreamTail | undefined, lastPosition: number, algorithm: HashAlgorithm): string | undefined {
  if (!Number.isSafeInteger(event.globalPosition) || event.globalPosition <= lastPosition) {
    return `globalPosition ${event.globalPosition} does not come after ${lastPosition}: a restore keeps the global order, strictly increasing`;
  }
  const expected = tail ? tail.revision + 1 : 0;
  if (event.revision !== expected) return `revision ${expected} of ${event.stream} is missing before it`;
  if (!isHashFormat(event.hashFormat)) return `unknown hash format ${JSON.stringify(event.hashFormat)}`;
  if (algorithmOf(event.hashFormat) !== algorithm) {
    return `its hash format ${event.hashFormat} is not of this store's algorithm (${algorithm}); restore into a store created with LEDGER_HASH_ALGORITHM=${algorithmOf(event.hashFormat)}`;
  }
  const prevHash = tail ? tail.hash : GENESIS_HASH;
  if (event.prevHash !== prevHash) return 'prevHash is not the hash of the event before it in its stream';
  if (event.hash !== chainHash(prevHash, event, event.hashFormat)) return 'its content does not match its hash (changed since it was exported?)';
  let recordedAt: bigint;
  try {
    recordedAt = toEpochMicros(event.recordedAt);
  } catch {
    return `recordedAt ${JSON.stringify(event.recordedAt)} is not an RFC 3339 timestamp`;
  }
  if (formatEpochMicros(recordedAt) !== event.recordedAt) return `recordedAt ${JSON.stringify(event.recordedAt)} is not in the store's form (UTC, six fractional digits, as exported)`;
  if (tail && recordedAt <= tail.recordedAt) return 'recordedAt is not after the one of the event before it in its stream';
  return undefined;
}

async function insert(client: PoolClient, events: readonly StoredEvent[]): Promise<void> {
  const column = <T>(pick: (e: StoredEvent) => T): T[] => events.map(pick);
  try {
    await insertRows(client, column);
  } catch (error) {
    const { code, detail } = error as { code?: string; detail?: string };
    if (code !== '23505') throw error;
    // Revisions are checked above; what is left is one eventId in two places.
    throw new RestoreRefused(`an eventId appears twice in the input (${detail ?? 'unique violation'}); an eventId names one event`);
  }
}

async function insertRows(client: PoolClient, column: <T>(pick: (e: StoredEvent) => T) => T[]): Promise<void> {
  await client.query(
    `INSERT INTO ledger_events (global_position, stream, revision, event_id, type, schema_version, effective_at, actor,
       document_ref, data, prev_hash, hash, hash_format, recorded_at)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::integer[], $7::text[], $8::text[],
       $9::text[], $10::jsonb[], $11::text[], $12::text[], $13::text[], $14::timestamptz[])`,
    [
      column((e) => e.globalPosition),
      column((e) => e.stream),
      column((e) => e.revision),
      column((e) => e.eventId),
      column((e) => e.type),
      column((e) => e.schemaVersion),
      column((e) => e.effectiveAt),
      column((e) => e.actor),
      column((e) => e.documentRef),
      column((e) => JSON.stringify(e.data)),
      column((e) => e.prevHash),
      column((e) => e.hash),
      column((e) => e.hashFormat),
      column((e) => e.recordedAt),
    ],
  );
}

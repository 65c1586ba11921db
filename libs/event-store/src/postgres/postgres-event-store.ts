import { Pool, type PoolConfig } from 'pg';
import { runMigrations } from '@cadre-ledger/platform';
import { formatFor, isHashFormat, verifyChain, type HashAlgorithm, type HashFormat } from '../hash-chain';
import { toEpochMicros } from '../recorded-at';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StreamAppend,
  StreamRead,
  SubscribeOptions,
  Subscription,
  VerifyResult,
} from '../port';
import { appendAtomically, appendEvents, currentRevision } from './append';
import { readGlobalPage } from './global-reader';
import { CommitAnnouncer, CommitListener } from './notifications';
import { EVENT_COLUMNS, eventColumns, toStoredEvent, type EventRow } from './rows';
import { EVENT_STORE_MIGRATIONS_NAMESPACE, eventStoreMigrations } from './schema';
import { PostgresSubscription, type SubscriptionTiming } from './subscription';
import { assertDistinctStreams } from '../same-content';
import { StreamHeads } from './stream-heads';
import { ensurePositionsAhead } from './position-epoch';
import { restoreEvents, type RestoreItem, type RestoreReport } from './restore';

export interface PostgresEventStoreOptions {
  /** `postgres://…` of the ledger database. */
  connectionString: string;
  /** Connections for appends and reads (LISTEN uses one more of its own). Default 10. */
  poolSize?: number;
  /** Run the schema migrations before use. Default true. */
  migrate?: boolean;
  /** Subscriptions re-read this often without a notification. Default 1000 ms. */
  safetyPollMs?: number;
  /** Events per read while a subscription catches up. Default 500. */
  subscriptionBatchSize?: number;
  /**
   * The hash algorithm for a store created now (LEDGER_HASH_ALGORITHM; default sha256). An existing
   * store keeps the one it was created with; naming another is refused.
   */
  hashAlgorithm?: HashAlgorithm;
}

/**
 * The event store on PostgreSQL: the embedded default and what CI proves. Schema and the
 * reasoning behind global positions in `schema.ts`; appends in `append.ts`.
 */
export class PostgresEventStore implements EventStore {
  private readonly subscriptions = new Set<PostgresSubscription>();
  private readonly announcer: CommitAnnouncer;
  private readonly listener: CommitListener;
  private readonly timing: SubscriptionTiming;
  private readonly heads = new StreamHeads(10_000);

  private readonly hashFormat: HashFormat;

  private constructor(
    readonly pool: Pool,
    options: PostgresEventStoreOptions,
    readonly hashAlgorithm: HashAlgorithm,
  ) {
    this.hashFormat = formatFor(hashAlgorithm);
    this.announcer = new CommitAnnouncer(options.connectionString);
    this.listener = new CommitListener(options.connectionString);
    this.timing = { safetyPollMs: options.safetyPollMs ?? 1000, batchSize: options.subscriptionBatchSize ?? 500 };
  }

  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const config: PoolConfig = {
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      // Durable commits whatever the server's default: an acknowledged append survives a crash.
      options: '-c synchronous_commit=on',
    };
    const pool = new Pool(config);
    // An idle connection dropped by the server must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    try {
      if (options.migrate ?? true) {
        await runMigrations(pool, EVENT_STORE_MIGRATIONS_NAMESPACE, eventStoreMigrations);
        await ensurePositionsAhead(pool);
      }
      return new PostgresEventStore(pool, options, await recordedAlgorithm(pool, options.hashAlgorithm));
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  async appendToStream(stream: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const result = await appendEvents(this.pool, stream, events, options.expectedRevision, this.hashFormat, this.heads.get(stream));
    const last = result.events[result.events.length - 1];
    if (last) {
      this.heads.remember(stream, last);
      this.announcer.announce(last.globalPosition);
    }
    return result;
  }

  async appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    const results = await appendAtomically(this.pool, appends, this.hashFormat, (stream) => this.heads.get(stream));
    let lastPosition = 0;
    for (const [index, { events }] of results.entries()) {
      const last = events[events.length - 1];
      if (!last) continue;
      this.heads.remember(appends[index].stream, last);
      lastPosition = Math.max(lastPosition, last.globalPosition);
    }
    if (lastPosition > 0) this.announcer.announce(lastPosition);
    return results;
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const params: unknown[] = [stream, options.fromRevision ?? 0];
    let knownAtFilter = '';
    if (options.knownAt !== undefined) {
      // timestamptz compares at microseconds, the precision recordedAt is stored at. Parsed here
      // first so that a malformed knownAt is the same RangeError as in the other adapters.
      toEpochMicros(options.knownAt);
      params.push(options.knownAt);
      knownAtFilter = 'AND recorded_at <= $3::timestamptz';
    }
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ledger_events WHERE stream = $1 AND revision >= $2 ${knownAtFilter} ORDER BY revision`,
      params,
    );
    const events = rows.map(toStoredEvent);
    // A handler reads, decides, then appends: remember the head so the append can hash locally.
    if (options.knownAt === undefined && events.length > 0) this.heads.remember(stream, events[events.length - 1]);
    return events;
  }

  /** One statement for all the streams: each stream's rows from its revision, in the order asked. */
  async readStreams(reads: readonly StreamRead[]): Promise<StoredEvent[][]> {
    assertDistinctStreams(reads);
    if (reads.length === 0) return [];
    const { rows } = await this.pool.query<EventRow & { ask: number }>(
      `SELECT r.ask, ${eventColumns('e')}
         FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS r(stream, from_revision, ask)
         JOIN ledger_events e ON e.stream = r.stream AND e.revision >= r.from_revision
        ORDER BY r.ask, e.revision`,
      [reads.map((r) => r.stream), reads.map((r) => r.fromRevision ?? 0)],
    );
    const answer: StoredEvent[][] = reads.map(() => []);
    for (const row of rows) answer[Number(row.ask) - 1].push(toStoredEvent(row));
    for (const [index, events] of answer.entries()) if (events.length > 0) this.heads.remember(reads[index].stream, events[events.length - 1]);
    return answer;
  }

  async listStreams({ after, limit }: { after?: string; limit: number }): Promise<string[]> {
    // The (stream, revision) index in its own collation: each page reads the index entries of its streams only.
    const { rows } = await this.pool.query<{ stream: string }>(
      after === undefined
        ? 'SELECT DISTINCT stream FROM ledger_events ORDER BY stream LIMIT $1'
        : 'SELECT DISTINCT stream FROM ledger_events WHERE stream > $2 ORDER BY stream LIMIT $1',
      after === undefined ? [limit] : [limit, after],
    );
    return rows.map((r) => r.stream);
  }

  async headPosition(): Promise<number> {
    // Below the visibility frontier (schema.ts): every event up to it can be read by everyone.
    const { rows } = await this.pool.query<{ head: string | null }>('SELECT max(global_position) AS head FROM ledger_events WHERE global_position < ledger_visible_below()');
    return Number(rows[0].head ?? 0);
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    return (await readGlobalPage(this.pool, options.fromPosition ?? 0, options.limit)).events;
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const subscription = new PostgresSubscription(this.pool, this.listener, options.fromPosition ?? 0, this.timing, (closed) =>
      this.subscriptions.delete(closed),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async verifyStream(stream: string): Promise<VerifyResult> {
    return verifyChain(stream, await this.readStream(stream));
  }

  streamRevision(stream: string): Promise<number | 'no-stream'> {
    return currentRevision(this.pool, stream);
  }

  /**
   * Restores another store's export into this one, empty, keeping every recordedAt, position and
   * hash (restore.ts). PostgreSQL only: EventStoreDB assigns both itself and cannot be told them.
   */
  async restore(items: AsyncIterable<RestoreItem[]>): Promise<RestoreReport> {
    const report = await restoreEvents(this.pool, this.hashAlgorithm, items);
    if (report.lastPosition > 0) this.announcer.announce(report.lastPosition);
    return report;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.announcer.close();
    await this.listener.close();
    await this.pool.end();
  }
}

/**
 * The store's hash algorithm, recorded once when it is created (or, for a store that held events
 * before formats were recorded, sha256: its events are v1). Another one configured later is an
 * error, not a silent switch: every chain and every tree head depends on it.
 */
async function recordedAlgorithm(pool: Pool, configured: HashAlgorithm | undefined): Promise<HashAlgorithm> {
  const read = async () => (await pool.query<{ value: string }>("SELECT value FROM ledger_store_meta WHERE name = 'hash-algorithm'")).rows[0]?.value;
  let recorded = await read();
  if (recorded === undefined) {
    const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM ledger_events WHERE hash_format <> 'v1'");
    const legacy = Number(rows[0].n) === 0 && (await pool.query("SELECT 1 FROM ledger_events LIMIT 1")).rowCount === 1;
    const algorithm = legacy ? 'sha256' : (configured ?? 'sha256');
    await pool.query("INSERT INTO ledger_store_meta (name, value) VALUES ('hash-algorithm', $1) ON CONFLICT (name) DO NOTHING", [algorithm]);
    recorded = await read();
  }
  const format = `v2-${recorded}`;
  if (!isHashFormat(format)) throw new Error(`the store records hash algorithm ${JSON.stringify(recorded)}, which this version does not know`);
  if (configured !== undefined && configured !== recorded) {
    throw new Error(`this store was created with hash algorithm ${recorded}; LEDGER_HASH_ALGORITHM=${configured} cannot change it (a new store may choose it)`);
  }
  return recorded as HashAlgorithm;
}

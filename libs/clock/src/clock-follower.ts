import type { Pool } from 'pg';
import { cadreIdOfStream, unitIdOfStream, unitPostedTo, type LocalDate } from '@cadre-ledger/domain';
import { NOT_READ_BY_RULES, StreamCache, loadCadreHistories, type Ledger } from '@cadre-ledger/application';
import { followWithCheckpoint, type EventStore } from '@cadre-ledger/event-store';
import { inTransaction, runMigrations, type Migration } from '@cadre-ledger/platform';
import type { RuleBook } from '@cadre-ledger/policy';
import { InfluenceClock, lockEnds } from './influence-clock';

export const CLOCK_MIGRATIONS_NAMESPACE = 'clock';

/**
 * The clock's own state, apart from the read models: its checkpoint in the store's global order
 * and the last day it swept, the coming ends of every open lock (what a new day looks at), and the
 * cadres of each unit (what a unit's fact concerns).
 */
export const clockMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'the influence clock: checkpoint, coming lock ends, cadres per unit',
    sql: `CREATE TABLE clock_checkpoints (
  name text PRIMARY KEY,
  position bigint NOT NULL,
  swept_on date,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE clock_lock_ends (
  cadre_id text NOT NULL,
  lock_id text NOT NULL,
  until_date date NOT NULL,
  PRIMARY KEY (cadre_id, lock_id)
);
CREATE INDEX clock_lock_ends_until ON clock_lock_ends (until_date);
CREATE TABLE clock_cadre_units (
  unit_id text NOT NULL,
  cadre_id text NOT NULL,
  PRIMARY KEY (unit_id, cadre_id)
);`,
  },
];

export const CLOCK_CHECKPOINT = 'influence-clock';

export interface ClockFollowerOptions {
  pool: Pool;
  store: EventStore;
  ruleBook: RuleBook;
  ledger: Ledger;
  today: () => LocalDate;
  batchSize?: number;
}

/**
 * The influence clock as a module of its own (issue "The Kafka feed as a product": one projection
 * path): it follows the store's global order from its own checkpoint, whoever projects the read
 * models. For each cadre a batch concerns it marks the locks that have already ended (a backdated
 * fact) and notes when the others will end; on each new day it marks those whose day has come.
 * `InfluencePeriodEnded` has a derived event id: two clocks, or a restart, append each once.
 */
export class ClockFollower {
  readonly clock: InfluenceClock;
  private readonly cache: StreamCache;
  private readonly batchSize: number;

  constructor(private readonly options: ClockFollowerOptions) {
    this.clock = new InfluenceClock(options);
    this.cache = new StreamCache(options.store);
    this.batchSize = options.batchSize ?? 500;
  }

  static async migrate(pool: Pool): Promise<void> {
    await runMigrations(pool, CLOCK_MIGRATIONS_NAMESPACE, clockMigrations);
  }

  async checkpoint(): Promise<number> {
    const { rows } = await this.options.pool.query<{ position: string }>('SELECT position FROM clock_checkpoints WHERE name = $1', [CLOCK_CHECKPOINT]);
    return rows.length === 0 ? 0 : Number(rows[0].position);
  }

  /** One batch of events; returns how many (0 when caught up) and the marks it appended. */
  async processBatch(): Promise<{ events: number; marks: number }> {
    const { pool, store, ruleBook, today } = this.options;
    const from = await this.checkpoint();
    const events = await store.readAll({ fromPosition: from, limit: this.batchSize });
    if (events.length === 0) return { events: 0, marks: 0 };
    const cadres = new Set<string>();
    const units = new Set<string>();
    const postings: [string, string][] = [];
    for (const e of events) {
      const cadreId = cadreIdOfStream(e.stream);
      const unitId = unitIdOfStream(e.stream);
      if (cadreId !== undefined) {
        cadres.add(cadreId);
        const postedTo = unitPostedTo(e);
        if (postedTo !== undefined) postings.push([postedTo, cadreId]);
      } else if (unitId !== undefined && !NOT_READ_BY_RULES.has(e.type)) units.add(unitId);
    }
    if (postings.length > 0) {
      await pool.query('INSERT INTO clock_cadre_units (unit_id, cadre_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING', [postings.map((p) => p[0]), postings.map((p) => p[1])]);
    }
    if (units.size > 0) {
      const { rows } = await pool.query<{ cadre_id: string }>('SELECT DISTINCT cadre_id FROM clock_cadre_units WHERE unit_id = ANY($1::text[])', [[...units]]);
      for (const r of rows) cadres.add(r.cadre_id);
    }
    const day = today();
    let marks = 0;
    const ids = [...cadres];
    for (let i = 0; i < ids.length; i += 200) {
      for (const [cadreId, history] of await loadCadreHistories(this.cache, ids.slice(i, i + 200))) {
        const { awaiting, coming } = lockEnds(ruleBook, history, day);
        await inTransaction(pool, async (client) => {
          await client.query('DELETE FROM clock_lock_ends WHERE cadre_id = $1', [cadreId]);
          if (coming.length > 0) {
            await client.query('INSERT INTO clock_lock_ends (cadre_id, lock_id, until_date) SELECT $1, * FROM unnest($2::text[], $3::date[])', [cadreId, coming.map((l) => l.lockId), coming.map((l) => l.until)]);
          }
        });
        marks += await this.clock.markLocks(cadreId, awaiting);
      }
    }
    // The marks are appended before the checkpoint moves: a crash in between marks again, and a
    // derived event id makes that a no-op.
    await pool.query(
      `INSERT INTO clock_checkpoints (name, position) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = clock_timestamp()`,
      [CLOCK_CHECKPOINT, events[events.length - 1].globalPosition],
    );
    return { events: events.length, marks };
  }

  /** Batches until the store has nothing more; returns the events covered and the marks appended. */
  async catchUp(): Promise<{ events: number; marks: number }> {
    const total = { events: 0, marks: 0 };
    for (let step = await this.processBatch(); step.events > 0; step = await this.processBatch()) {
      total.events += step.events;
      total.marks += step.marks;
    }
    return total;
  }

  /** A new day: the locks whose `until` has come are marked. Returns the cadres marked. */
  async newDay(): Promise<string[]> {
    const { pool, today } = this.options;
    const day = today();
    const { rows } = await pool.query<{ cadre_id: string }>('SELECT DISTINCT cadre_id FROM clock_lock_ends WHERE until_date <= $1 ORDER BY cadre_id', [day]);
    for (const { cadre_id } of rows) {
      await this.clock.markCadre(cadre_id);
      await pool.query('DELETE FROM clock_lock_ends WHERE cadre_id = $1 AND until_date <= $2', [cadre_id, day]);
    }
    await pool.query(
      `INSERT INTO clock_checkpoints (name, position, swept_on) VALUES ($1, 0, $2)
       ON CONFLICT (name) DO UPDATE SET swept_on = EXCLUDED.swept_on, updated_at = clock_timestamp()`,
      [CLOCK_CHECKPOINT, day],
    );
    return rows.map((r) => r.cadre_id);
  }
}

export interface ClockRuntime {
  follower: ClockFollower;
  stop(): Promise<void>;
}

/**
 * The clock running: woken by the store's live subscription, and by a timer that looks whether a
 * new day has come (China Standard Time). One pass at a time.
 */
export async function startClock(options: ClockFollowerOptions & { intervalMs?: number; onError?: (error: unknown) => void }): Promise<ClockRuntime> {
  await ClockFollower.migrate(options.pool);
  const follower = new ClockFollower(options);
  let lastDay: LocalDate | null = null;
  const following = await followWithCheckpoint(
    options.store,
    {
      checkpoint: () => follower.checkpoint(),
      catchUp: () => follower.catchUp(),
      tick: async () => {
        if (lastDay === options.today()) return;
        lastDay = options.today();
        await follower.newDay();
      },
    },
    { intervalMs: options.intervalMs ?? 60_000, onError: options.onError },
  );
  return { follower, stop: () => following.stop() };
}

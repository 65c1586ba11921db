import type { Pool } from 'pg';
import { inTransaction } from '@cadre-ledger/platform';
import { StreamCache, loadCadreHistories } from '@cadre-ledger/application';
import { cadreIdOfStream, isUnitFact, unitIdOfStream, type Fact, type UnitRegistered } from '@cadre-ledger/domain';
import { cadreRowsWith, type CadreRows } from '../cadre-rows';
import { insertUnitRows, unitRow, type UnitRow } from '../directory/directory';
import { LIVE_CHECKPOINT, Projector, type ProjectorOptions } from './projector';
import { replaceManyCadreRows } from './write-rows';
import { READ_MODEL_TABLES, REPORTING_VIEWS } from './schema';
import { applyReadModelComments } from './comments';

export const REBUILD_CHECKPOINT = 'read-models:rebuild';
const NEXT = '_next';

export interface RebuildProgress {
  events: number;
  /** Events per second so far. */
  rate: number;
  /** Seconds left, when the caller told how many events there are. */
  etaSeconds: number | null;
}

export interface RebuildOptions extends Omit<ProjectorOptions, 'name' | 'suffix'> {
  /** Awaited: a slow reporter slows the rebuild rather than piling up. */
  onProgress?: (progress: RebuildProgress) => void | Promise<void>;
  /** How many events the store holds, for the ETA (e.g. `SELECT count(*) FROM ledger_events`). */
  totalEvents?: number;
  /** Injectable clock for the rate, in milliseconds. */
  clockMs?: () => number;
  /** Streams read per page where the store can list them; default 500. */
  streamsPerPage?: number;
}

/**
 * Builds every read model from position 0 into fresh `*_next` tables while the live ones keep
 * serving, then swaps them in atomically: in one transaction that holds the live projector's
 * lock, the rebuild checks it has reached the end of the store, renames the tables and hands its
 * position to the live checkpoint. Events that arrive after that are the live projector's, on the
 * new tables.
 */
export async function rebuildReadModels(options: RebuildOptions): Promise<{ events: number; position: number }> {
  const { pool } = options;
  await prepareNextTables(pool);
  const projector = new Projector({ ...options, name: REBUILD_CHECKPOINT, suffix: NEXT });
  const clock = options.clockMs ?? (() => performance.now());
  const started = clock();
  let events = 0;
  const report = async (done: number) => {
    events = done;
    const seconds = Math.max((clock() - started) / 1000, 1e-3);
    const rate = done / seconds;
    const eta = options.totalEvents !== undefined && rate > 0 ? Math.max(0, (options.totalEvents - done) / rate) : null;
    await options.onProgress?.({ events: done, rate: Math.round(rate), etaSeconds: eta === null ? null : Math.round(eta) });
  };
  // Where the store can list its streams, every cadre is computed once, from its whole stream; the
  // global order is then followed only from where that began (what was appended meanwhile).
  if (options.store.listStreams && options.store.headPosition) await streamByStream(options, report);
  for (;;) {
    const before = events;
    await projector.catchUp((done) => report(before + done));
    const position = await swapIfCaughtUp(options, projector);
    if (position !== null) return { events, position };
  }
}

/**
 * The bulk of a rebuild, stream by stream instead of event by event: following the global order
 * recomputes a cadre at every batch that holds one of its events (twenty times, for twenty facts
 * appended over years), where this computes it once. The store's head position is taken first and
 * becomes the rebuild's checkpoint: every cadre's rows come from its stream as read after that,
 * so they include at least everything up to it, and the projector then recomputes the cadres of
 * whatever came after. Memory stays bounded: a page of streams at a time, units kept in a bounded
 * cache. Returns how many events the streams held.
 */
async function streamByStream(options: RebuildOptions, report: (done: number) => Promise<void>): Promise<number> {
  const { store, pool } = options;
  const head = await store.headPosition!();
  const cache = new StreamCache(store, 50_000);
  const units: UnitRow[] = [];
  let events = 0;
  // One page read ahead and pages' rows being written while the next is computed: the database
  // and this process work at the same time.
  const readPage = async (after: string | undefined) => {
    const names = await store.listStreams!({ after, limit: options.streamsPerPage ?? 500 });
    if (names.length === 0) return null;
    const cadreIds = names.flatMap((n) => cadreIdOfStream(n) ?? []);
    const [histories, unitStreams] = await Promise.all([loadCadreHistories(cache, cadreIds), cache.read(names.filter((n) => unitIdOfStream(n) !== undefined))]);
    return { last: names[names.length - 1], histories, unitStreams };
  };
  // Two pages' rows in flight: the database writes them on two connections (different cadres).
  const writes: Promise<void>[] = [];
  for (let page = await readPage(undefined); page; ) {
    const next = readPage(page.last);
    next.catch(() => undefined); // awaited below; a failure surfaces there
    const rows: [string, CadreRows | null][] = [];
    for (const [cadreId, history] of page.histories) {
      rows.push([cadreId, await cadreRowsWith(options.evaluator, options.ruleBook, history, options.today())]);
      events += history.filter((f) => !isUnitFact(f)).length;
    }
    for (const unit of page.unitStreams) {
      events += unit.events.length;
      const registration = unit.facts.find((f) => f.type === 'UnitRegistered');
      if (registration) units.push(unitRow(registration as Fact<UnitRegistered>));
    }
    if (writes.length >= 2) await writes.shift();
    const done = events;
    // Reported in page order, once every earlier page is written too.
    const written = inTransaction(pool, (client) => replaceManyCadreRows(client, rows, NEXT, true));
    const writing = Promise.all([writes[writes.length - 1], written]).then(() => report(done));
    writing.catch(() => undefined); // awaited below; a failure surfaces there
    writes.push(writing);
    page = await next;
  }
  for (const writing of writes) await writing;
  await inTransaction(pool, async (client) => {
    await insertUnitRows(client, units, NEXT);
    await client.query(
      `INSERT INTO projection_checkpoints (name, position) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = clock_timestamp()`,
      [REBUILD_CHECKPOINT, head],
    );
  });
  return events;
}

async function prepareNextTables(pool: Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    // Copies of the live tables: the same columns, defaults, constraints, indexes and column
    // comments (the migrated tables are the one definition of their shape), grants by default.
    for (const table of READ_MODEL_TABLES) {
      await client.query(`DROP TABLE IF EXISTS reporting.${table}${NEXT}`);
      await client.query(`CREATE TABLE reporting.${table}${NEXT} (LIKE reporting.${table} INCLUDING ALL)`);
    }
    await client.query('DELETE FROM projection_checkpoints WHERE name = $1', [REBUILD_CHECKPOINT]);
  });
}

/** Swaps the tables in and returns the position they were built to, or null if the store moved on. */
async function swapIfCaughtUp(options: RebuildOptions, projector: Projector): Promise<number | null> {
  return inTransaction(options.pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`projection:${LIVE_CHECKPOINT}`]);
    const position = await projector.checkpoint();
    const more = await options.store.readAll({ fromPosition: position, limit: 1 });
    if (more.length > 0) return null; // the store moved on while we built: catch up, then try again
    for (const view of REPORTING_VIEWS) await client.query(`DROP VIEW IF EXISTS reporting.${view.name}`);
    for (const table of READ_MODEL_TABLES) {
      await client.query(`DROP TABLE reporting.${table}`);
      await client.query(`ALTER TABLE reporting.${table}${NEXT} RENAME TO ${table}`);
    }
    // Every index of a rebuilt table drops the `_next` of its name (`x_next_pkey` → `x_pkey`).
    const { rows: indexes } = await client.query<{ name: string; table: string }>(
      `SELECT indexname AS name, tablename AS table FROM pg_indexes WHERE schemaname = 'reporting' AND tablename = ANY($1::text[]) AND indexname LIKE '%\\_next\\_%'`,
      [[...READ_MODEL_TABLES]],
    );
    for (const { name, table } of indexes) await client.query(`ALTER INDEX reporting.${name} RENAME TO ${table}${name.slice(`${table}${NEXT}`.length)}`);
    for (const view of REPORTING_VIEWS) await client.query(view.sql);
    await applyReadModelComments(client);
    await client.query(
      `INSERT INTO projection_checkpoints (name, position) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = clock_timestamp()`,
      [LIVE_CHECKPOINT, position],
    );
    await client.query('DELETE FROM projection_checkpoints WHERE name = $1', [REBUILD_CHECKPOINT]);
    return position;
  });
}

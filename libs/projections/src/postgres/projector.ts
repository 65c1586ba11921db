import type { Pool, PoolClient } from 'pg';
import type { LocalDate } from '@cadre-ledger/domain';
import type { Evaluator } from '@cadre-ledger/application';
import type { EventStore, StoredEvent } from '@cadre-ledger/event-store';
import type { RuleBook } from '@cadre-ledger/policy';
import { NOT_READ_BY_RULES, StreamCache, loadCadreHistories, toFact } from '@cadre-ledger/application';
import { inTransaction } from '@cadre-ledger/platform';
import { cadreIdOfStream, unitIdOfStream, unitStream, type Fact, type UnitRegistered } from '@cadre-ledger/domain';
import { cadreRowsWith, type CadreRows } from '../cadre-rows';
import { replaceUnitRow, unitRow } from '../directory/directory';
import { insertOutbox } from '../eligibility/eligibility';
import { replaceManyCadreRows } from './write-rows';

export interface ProjectorOptions {
  pool: Pool;
  store: EventStore;
  ruleBook: RuleBook;
  /** Today in China Standard Time: verdicts are "as of today". Injectable for tests. */
  today: () => LocalDate;
  /** Checkpoint name; a rebuild uses its own. */
  name?: string;
  /** '' for the live tables, '_next' while rebuilding. */
  suffix?: string;
  batchSize?: number;
  /** Also write each recomputed verdict to `eligibility_outbox` (live tables only), for the Kafka relay. */
  eligibilityOutbox?: boolean;
  /** Called after each committed batch with the cadres it recomputed and their rows (the conflict detector's reactions). */
  onProjected?: (rows: ReadonlyMap<string, CadreRows | null>) => Promise<void>;
  /** Where verdicts are computed (worker threads for long histories); default inline. */
  evaluator?: Evaluator;
  /** Events of the streams read last kept in memory (LEDGER_STREAM_CACHE_EVENTS); default 200,000. */
  streamCacheEvents?: number;
}

export const LIVE_CHECKPOINT = 'read-models';

/** Cadres whose streams are read in one round trip. */
const ROWS_PER_READ = 200;

/**
 * Feeds the read models from the store's global order. Each batch: read events after the
 * checkpoint, find the cadres they concern (a unit's assessment concerns every cadre that ever sat
 * in the unit), recompute those cadres' rows with `evaluate`, and write rows and checkpoint in one
 * short transaction. A crash anywhere loses nothing and applies nothing twice: the rows replace
 * the cadre's previous rows, and the checkpoint moves with them or not at all.
 */
export class Projector {
  readonly name: string;
  private readonly suffix: string;
  private readonly batchSize: number;
  /** The streams this projector read last: the next batch fetches only what was appended since. */
  private readonly cache: StreamCache;

  constructor(private readonly options: ProjectorOptions) {
    this.cache = new StreamCache(options.store, options.streamCacheEvents);
    this.name = options.name ?? LIVE_CHECKPOINT;
    this.suffix = options.suffix ?? '';
    this.batchSize = options.batchSize ?? 500;
  }

  async checkpoint(): Promise<number> {
    const { rows } = await this.options.pool.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE name = $1', [this.name]);
    return rows.length === 0 ? 0 : Number(rows[0].position);
  }

  /** Processes one batch; returns the number of events it covered (0 when caught up). */
  async processBatch(): Promise<number> {
    const from = await this.checkpoint();
    const events = await this.options.store.readAll({ fromPosition: from, limit: this.batchSize });
    if (events.length === 0) return 0;
    const to = events[events.length - 1].globalPosition;
    const { rows } = await this.rowsFor(events);
    const units = events.filter((e) => e.type === 'UnitRegistered').map((e) => unitRow(toFact(e) as Fact<UnitRegistered>));
    const moved = await this.lockedTransaction(async (client) => {
      if ((await this.checkpointIn(client)) !== from) return true; // another replica moved on meanwhile
      for (const unit of units) await replaceUnitRow(client, unit, this.suffix);
      await this.write(client, [...rows]);
      await client.query(
        `INSERT INTO projection_checkpoints (name, position) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = clock_timestamp()`,
        [this.name, to],
      );
      return false;
    });
    if (moved) return this.processBatch(); // start again from its checkpoint
    await this.options.onProjected?.(rows);
    return events.length;
  }

  /**
   * Recomputes these cadres' rows for today without moving the checkpoint: time alone changes
   * "as of today" verdicts, so the clock refreshes the rows a new day has made stale.
   */
  async refresh(cadreIds: readonly string[]): Promise<void> {
    const { rows } = await this.rowsOf(cadreIds);
    await this.lockedTransaction((client) => this.write(client, [...rows]));
  }

  /** The rows computed before today: time alone has made them stale. Refreshes them; returns those cadres. */
  async refreshStale(): Promise<string[]> {
    const { rows } = await this.options.pool.query<{ cadre_id: string }>(`SELECT cadre_id FROM reporting.cadre_eligibility${this.suffix} WHERE as_of < $1 ORDER BY cadre_id`, [this.options.today()]);
    const cadreIds = rows.map((r) => r.cadre_id);
    for (let i = 0; i < cadreIds.length; i += ROWS_PER_READ) await this.refresh(cadreIds.slice(i, i + ROWS_PER_READ));
    return cadreIds;
  }

  /**
   * Recomputes the rows of these cadres, and of every cadre of these units (a unit's fact concerns
   * them), as a batch does, then runs the batch's reactions: the consumer-group replicas' path,
   * the same row computation as the follow projector's.
   */
  async project(cadreIds: Iterable<string>, unitIds: Iterable<string> = []): Promise<void> {
    const cadres = new Set(cadreIds);
    const units = [...new Set(unitIds)];
    for (const unitId of units) {
      const registration = (await this.options.store.readStream(unitStream(unitId))).find((e) => e.type === 'UnitRegistered');
      if (registration) await this.lockedTransaction((client) => replaceUnitRow(client, unitRow(toFact(registration) as Fact<UnitRegistered>), this.suffix));
    }
    if (units.length > 0) {
      const { rows } = await this.options.pool.query<{ cadre_id: string }>(`SELECT DISTINCT cadre_id FROM reporting.cadre_units${this.suffix} WHERE unit_id = ANY($1::text[])`, [units]);
      for (const r of rows) cadres.add(r.cadre_id);
    }
    const ids = [...cadres];
    for (let i = 0; i < ids.length; i += ROWS_PER_READ) {
      const { rows } = await this.rowsOf(ids.slice(i, i + ROWS_PER_READ));
      await this.lockedTransaction((client) => this.write(client, [...rows]));
      await this.options.onProjected?.(rows);
    }
  }

  private async write(client: PoolClient, entries: [string, CadreRows | null][]): Promise<void> {
    await replaceManyCadreRows(client, entries, this.suffix);
    if (this.options.eligibilityOutbox && this.suffix === '') await insertOutbox(client, entries.flatMap(([, rows]) => (rows ? [rows.eligibility] : [])));
  }

  /**
   * One writer per checkpoint at a time; an advisory lock takes no transaction id, so it does not
   * hold back the event store's readers while we wait.
   */
  private lockedTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.options.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`projection:${this.name}`]);
      return work(client);
    });
  }


  /** Runs batches until the store has nothing more; returns how many events that was. */
  async catchUp(onBatch?: (done: number, position: number) => void | Promise<void>): Promise<number> {
    let done = 0;
    for (let n = await this.processBatch(); n > 0; n = await this.processBatch()) {
      done += n;
      await onBatch?.(done, await this.checkpoint());
    }
    return done;
  }

  /** Recomputes every cadre these events concern, from the store's current streams. */
  private async rowsFor(events: StoredEvent[]) {
    const cadres = new Set<string>();
    const units = new Set<string>();
    for (const e of events) {
      const cadreId = cadreIdOfStream(e.stream);
      const unitId = unitIdOfStream(e.stream);
      if (cadreId !== undefined) cadres.add(cadreId);
      // A unit's quota bookkeeping changes no verdict: only what the rules read makes its cadres' rows stale.
      else if (unitId !== undefined && !NOT_READ_BY_RULES.has(e.type)) units.add(unitId);
    }
    if (units.size > 0) {
      const { rows } = await this.options.pool.query<{ cadre_id: string }>(
        `SELECT DISTINCT cadre_id FROM reporting.cadre_units${this.suffix} WHERE unit_id = ANY($1::text[])`,
        [[...units]],
      );
      for (const r of rows) cadres.add(r.cadre_id);
    }
    return this.rowsOf([...cadres]);
  }

  /** These cadres' rows for today, and the histories they came from, their streams read together (`loadCadreHistories`). */
  private async rowsOf(cadreIds: readonly string[]): Promise<{ rows: Map<string, CadreRows | null>; histories: Map<string, Fact[]> }> {
    const rows = new Map<string, CadreRows | null>();
    const histories = new Map<string, Fact[]>();
    for (let from = 0; from < cadreIds.length; from += ROWS_PER_READ) {
      for (const [cadreId, history] of await loadCadreHistories(this.cache, cadreIds.slice(from, from + ROWS_PER_READ))) {
        histories.set(cadreId, history);
        rows.set(cadreId, await cadreRowsWith(this.options.evaluator, this.options.ruleBook, history, this.options.today()));
      }
    }
    return { rows, histories };
  }

  private async checkpointIn(client: PoolClient): Promise<number> {
    const { rows } = await client.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE name = $1', [this.name]);
    return rows.length === 0 ? 0 : Number(rows[0].position);
  }
}

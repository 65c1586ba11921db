import type { Pool } from 'pg';
import type { Producer } from 'kafkajs';
import type { EventStore } from '@cadre-ledger/event-store';
import type { Verdict } from '@cadre-ledger/policy';
import { runMigrations, type Migration } from '@cadre-ledger/platform';
import { ledgerEventRecord, LEDGER_EVENTS_TOPIC, type KafkaRecord } from '../contracts/ledger-event.v1';
import { eligibilityRecord, ELIGIBILITY_TOPIC } from '../contracts/eligibility.v1';
import { ledgerEventRecordV2, LEDGER_EVENTS_TOPIC_V2 } from '../contracts/ledger-event.v2';
import { ledgerEventRecordV3, LEDGER_EVENTS_TOPIC_V3 } from '../contracts/ledger-event.v3';
import { eligibilityRecordV2, ELIGIBILITY_TOPIC_V2 } from '../contracts/eligibility.v2';
import { statsRecord, STATS_TOPIC, type StatsMessageV1 } from '../contracts/stats.v1';

export const RELAY_MIGRATIONS_NAMESPACE = 'relay';
export const relayMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'relay checkpoints',
    sql: `CREATE TABLE relay_checkpoints (
  name text PRIMARY KEY,
  position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);`,
  },
  {
    version: 2,
    name: 'stats published, by key and digest',
    // The stats topic gets a message only when a figure changed: what was published last, per key.
    sql: `CREATE TABLE relay_stats_published (
  key text PRIMARY KEY,
  digest text NOT NULL,
  published_at timestamptz NOT NULL DEFAULT clock_timestamp()
);`,
  },
];

export interface RelayTopics {
  eventsV1: string;
  eventsV2: string;
  eventsV3: string;
  eligibilityV1: string;
  eligibilityV2: string;
  stats: string;
}

export const DEFAULT_TOPICS: RelayTopics = { eventsV1: LEDGER_EVENTS_TOPIC, eventsV2: LEDGER_EVENTS_TOPIC_V2, eventsV3: LEDGER_EVENTS_TOPIC_V3, eligibilityV1: ELIGIBILITY_TOPIC, eligibilityV2: ELIGIBILITY_TOPIC_V2, stats: STATS_TOPIC };

export interface RelayOptions {
  pool: Pool;
  store: EventStore;
  producer: Producer;
  name?: string;
  batchSize?: number;
  /** Also publish the deprecated v1 topics (KAFKA_PUBLISH_V1, default on). */
  publishV1?: boolean;
  /** Personal fields left out of v2 events (KAFKA_OMIT_FIELDS). */
  omitFields?: readonly string[];
  topics?: Partial<RelayTopics>;
}

/** Marks, in relay_checkpoints, that the eligibility topic got its snapshot of every cadre. */
const SNAPSHOT_MARK = 'eligibility-snapshot';

/**
 * Publishes every stored event, in global order, to the events topics (v3, v2 beside it, and the deprecated v1),
 * drains the eligibility outbox to the compacted eligibility topics, and brings the stats topic up
 * to date. Its checkpoint moves only after the broker acknowledged a batch (acks from all in-sync
 * replicas): a broker outage or a crash delays publishing and may repeat the last batch, but never
 * loses an event. At least once: consumers de-duplicate on the `eventId` header.
 */
export class KafkaRelay {
  private readonly name: string;
  private readonly batchSize: number;
  private readonly topics: RelayTopics;
  private readonly omit: ReadonlySet<string>;

  constructor(private readonly options: RelayOptions) {
    this.name = options.name ?? 'events';
    this.batchSize = options.batchSize ?? 500;
    this.topics = { ...DEFAULT_TOPICS, ...options.topics };
    this.omit = new Set(options.omitFields ?? []);
  }

  static async migrate(pool: Pool): Promise<void> {
    await runMigrations(pool, RELAY_MIGRATIONS_NAMESPACE, relayMigrations);
  }

  async checkpoint(): Promise<number> {
    return this.position(this.name);
  }

  /** Publishes one batch of events; returns how many (0 when caught up). */
  async publishBatch(): Promise<number> {
    const from = await this.checkpoint();
    const events = await this.options.store.readAll({ fromPosition: from, limit: this.batchSize });
    if (events.length === 0) return 0;
    await this.send([
      { topic: this.topics.eventsV3, records: events.map((e) => ledgerEventRecordV3(e, this.omit)) },
      { topic: this.topics.eventsV2, records: events.map((e) => ledgerEventRecordV2(e, this.omit)) },
      ...(this.options.publishV1 === false ? [] : [{ topic: this.topics.eventsV1, records: events.map(ledgerEventRecord) }]),
    ]);
    await this.setPosition(this.name, events[events.length - 1].globalPosition);
    return events.length;
  }

  /** Publishes pending eligibility changes (oldest first) and removes what the broker acknowledged. */
  async publishEligibility(): Promise<number> {
    const { rows } = await this.options.pool.query<{ seq: string; unit_id: string; verdict: Verdict }>(
      'SELECT seq, unit_id, verdict FROM eligibility_outbox ORDER BY seq LIMIT $1',
      [this.batchSize],
    );
    if (rows.length === 0) return 0;
    await this.send([
      { topic: this.topics.eligibilityV2, records: rows.map((r) => eligibilityRecordV2(r.unit_id, r.verdict)) },
      ...(this.options.publishV1 === false ? [] : [{ topic: this.topics.eligibilityV1, records: rows.map((r) => eligibilityRecord(r.unit_id, r.verdict)) }]),
    ]);
    await this.options.pool.query('DELETE FROM eligibility_outbox WHERE seq <= $1', [rows[rows.length - 1].seq]);
    return rows.length;
  }

  /**
   * On the relay's first start (no snapshot mark yet): every cadre's current verdict into the
   * outbox, so that the compacted topic holds one verdict per cadre, not only those that changed
   * since. Returns how many were queued (0 when the mark was there).
   */
  async snapshotOnFirstStart(): Promise<number> {
    if ((await this.options.pool.query('SELECT 1 FROM relay_checkpoints WHERE name = $1', [SNAPSHOT_MARK])).rowCount) return 0;
    const queued = await enqueueEligibilitySnapshot(this.options.pool);
    await this.setPosition(SNAPSHOT_MARK, queued);
    return queued;
  }

  /** Publishes the stats messages whose figures changed since they were last published. */
  async publishStats(messages: readonly StatsMessageV1[]): Promise<number> {
    const records = messages.map(statsRecord);
    // What is compared leaves out the day the figures were computed: a new day alone is no change.
    const digestOf = (m: StatsMessageV1) => JSON.stringify({ ...m, asOf: undefined });
    const { rows } = await this.options.pool.query<{ key: string; digest: string }>('SELECT key, digest FROM relay_stats_published WHERE key = ANY($1::text[])', [records.map((r) => r.key)]);
    const last = new Map(rows.map((r) => [r.key, r.digest]));
    const changed = messages.map((m, i) => ({ record: records[i], digest: digestOf(m) })).filter((c) => last.get(c.record.key) !== c.digest);
    if (changed.length === 0) return 0;
    await this.send([{ topic: this.topics.stats, records: changed.map((c) => c.record) }]);
    await this.options.pool.query(
      `INSERT INTO relay_stats_published (key, digest) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (key) DO UPDATE SET digest = EXCLUDED.digest, published_at = clock_timestamp()`,
      [changed.map((c) => c.record.key), changed.map((c) => c.digest)],
    );
    return changed.length;
  }

  /** Publishes until nothing is left; returns the number of events published. */
  async catchUp(): Promise<number> {
    let done = 0;
    for (let n = await this.publishBatch(); n > 0; n = await this.publishBatch()) done += n;
    return done;
  }

  private async send(batches: { topic: string; records: KafkaRecord[] }[]): Promise<void> {
    for (const { topic, records } of batches) await this.options.producer.send({ topic, acks: -1, messages: records });
  }

  private async position(name: string): Promise<number> {
    const { rows } = await this.options.pool.query<{ position: string }>('SELECT position FROM relay_checkpoints WHERE name = $1', [name]);
    return rows.length === 0 ? 0 : Number(rows[0].position);
  }

  private async setPosition(name: string, position: number): Promise<void> {
    await this.options.pool.query(
      `INSERT INTO relay_checkpoints (name, position) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = clock_timestamp()`,
      [name, position],
    );
  }
}

/**
 * Every cadre's current verdict from the read model into the eligibility outbox: the snapshot the
 * relay publishes on its first start and after `ledger rebuild --republish`. Returns how many.
 */
export async function enqueueEligibilitySnapshot(pool: Pool): Promise<number> {
  const result = await pool.query('INSERT INTO eligibility_outbox (cadre_id, unit_id, verdict) SELECT cadre_id, unit_id, verdict FROM reporting.cadre_eligibility ORDER BY cadre_id');
  return result.rowCount ?? 0;
}

import type { Pool } from 'pg';
import type { Producer } from 'kafkajs';
import type { EventStore } from '@cadre-ledger/event-store';
import type { Verdict } from '@cadre-ledger/policy';
import { runMigrations, type Migration } from '@cadre-ledger/platform';
import { ledgerEventRecord, LEDGER_EVENTS_TOPIC, type KafkaRecord } from '../contracts/ledger-event.v1';
import { eligibilityRecord, ELIGIBILITY_TOPIC } from '../contracts/eligibility.v1';

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
];

export interface RelayOptions {
  pool: Pool;
  store: EventStore;
  producer: Producer;
  name?: string;
  batchSize?: number;
  eventsTopic?: string;
  eligibilityTopic?: string;
}

/**
 * Publishes every stored event, in global order, to `cadre-ledger.events.v1`, and drains the
 * eligibility outbox to the compacted `cadre-ledger.eligibility.v1`. Its checkpoint moves only
 * after the broker acknowledged a batch (acks from all in-sync replicas): a broker outage or a
 * crash delays publishing and may repeat the last batch, but never loses an event. At least once:
 * consumers de-duplicate on the `eventId` header.
 */
export class KafkaRelay {
  private readonly name: string;
  private readonly batchSize: number;

  constructor(private readonly options: RelayOptions) {
    this.name = options.name ?? 'events';
    this.batchSize = options.batchSize ?? 500;
  }

  static async migrate(pool: Pool): Promise<void> {
    await runMigrations(pool, RELAY_MIGRATIONS_NAMESPACE, relayMigrations);
  }

  async checkpoint(): Promise<number> {
    const { rows } = await this.options.pool.query<{ position: string }>('SELECT position FROM relay_checkpoints WHERE name = $1', [this.name]);
    return rows.length === 0 ? 0 : Number(rows[0].position);
  }

  /** Publishes one batch of events; returns how many (0 when caught up). */
  async publishBatch(): Promise<number> {
    const from = await this.checkpoint();
    const events = await this.options.store.readAll({ fromPosition: from, limit: this.batchSize });
    if (events.length === 0) return 0;
    await this.send(this.options.eventsTopic ?? LEDGER_EVENTS_TOPIC, events.map(ledgerEventRecord));
    await this.options.pool.query(
      `INSERT INTO relay_checkpoints (name, position) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = clock_timestamp()`,
      [this.name, events[events.length - 1].globalPosition],
    );
    return events.length;
  }

  /** Publishes pending eligibility changes (oldest first) and removes what the broker acknowledged. */
  async publishEligibility(): Promise<number> {
    const { rows } = await this.options.pool.query<{ seq: string; unit_id: string; verdict: Verdict }>(
      'SELECT seq, unit_id, verdict FROM eligibility_outbox ORDER BY seq LIMIT $1',
      [this.batchSize],
    );
    if (rows.length === 0) return 0;
    await this.send(this.options.eligibilityTopic ?? ELIGIBILITY_TOPIC, rows.map((r) => eligibilityRecord(r.unit_id, r.verdict)));
    await this.options.pool.query('DELETE FROM eligibility_outbox WHERE seq <= $1', [rows[rows.length - 1].seq]);
    return rows.length;
  }

  /** Publishes until nothing is left; returns the number of events published. */
  async catchUp(): Promise<number> {
    let done = 0;
    for (let n = await this.publishBatch(); n > 0; n = await this.publishBatch()) done += n;
    return done;
  }

  private async send(topic: string, records: KafkaRecord[]): Promise<void> {
    await this.options.producer.send({ topic, acks: -1, messages: records });
  }
}

import type { Consumer, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { LocalDate } from '@cadre-ledger/domain';
import type { EventStore } from '@cadre-ledger/event-store';
import type { RuleBook } from '@cadre-ledger/policy';
import { loadCadreHistory, toFact } from '@cadre-ledger/application';
import { unitStream, type Fact, type UnitRegistered } from '@cadre-ledger/domain';
import { inTransaction } from '@cadre-ledger/platform';
import { cadreRows, unitRow } from '../rows';
import { replaceCadreRows, replaceUnitRow } from '../postgres/write-rows';

export interface GroupProjectorOptions {
  kafka: Kafka;
  groupId: string;
  /** `cadre-ledger.events.v2`. */
  topic: string;
  pool: Pool;
  store: EventStore;
  ruleBook: RuleBook;
  today: () => LocalDate;
  /** Each processed message's eventId, once its batch's rows are committed (instrumentation, tests). */
  onEvent?: (eventId: string) => void;
}

/**
 * Scale-out mode: projector replicas consume `cadre-ledger.events.v1` as one Kafka consumer
 * group, partitions spread across them (key = cadreId, so one cadre is always one replica's). A
 * message only names what changed; the replica recomputes that cadre's rows from the store and
 * replaces them, then lets Kafka commit the offsets. A redelivered message recomputes the same
 * rows: idempotent, so the group needs no checkpoint of its own.
 */
export class GroupProjector {
  private consumer: Consumer | null = null;
  /** The partitions this member was last assigned, per topic. */
  assignment: Record<string, number[]> = {};

  constructor(private readonly options: GroupProjectorOptions) {}

  async start(): Promise<void> {
    const { kafka, groupId, topic } = this.options;
    const consumer = kafka.consumer({ groupId });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.assignment = event.payload.memberAssignment;
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        const cadres = new Set<string>();
        const units = new Set<string>();
        const eventIds: string[] = [];
        for (const message of batch.messages) {
          // The key and the headers say whose event it is (cadre-ledger.event.v2): the value is not parsed.
          const headers = message.headers ?? {};
          if (headers.contract?.toString() !== 'cadre-ledger.event.v2' || message.key === null) continue; // not ours (or a warm-up)
          (headers.subjectKind?.toString() === 'unit' ? units : cadres).add(message.key.toString());
          eventIds.push(String(headers.eventId));
        }
        await this.project(cadres, units);
        // Processed means projected: told once the batch's rows are committed, not before.
        for (const eventId of eventIds) this.options.onEvent?.(eventId);
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = null;
  }

  private async project(cadres: Set<string>, units: Set<string>): Promise<void> {
    const { pool, store, ruleBook, today } = this.options;
    for (const unitId of units) {
      const registration = (await store.readStream(unitStream(unitId))).find((e) => e.type === 'UnitRegistered');
      if (registration) await inTransaction(pool, (client) => replaceUnitRow(client, unitRow(toFact(registration) as Fact<UnitRegistered>)));
    }
    if (units.size > 0) {
      const { rows } = await pool.query<{ cadre_id: string }>('SELECT DISTINCT cadre_id FROM reporting.cadre_units WHERE unit_id = ANY($1::text[])', [[...units]]);
      for (const r of rows) cadres.add(r.cadre_id);
    }
    for (const cadreId of cadres) {
      const rows = cadreRows(ruleBook, await loadCadreHistory(store, cadreId), today());
      await inTransaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`cadre-rows:${cadreId}`]);
        await replaceCadreRows(client, cadreId, rows);
      });
    }
  }
}

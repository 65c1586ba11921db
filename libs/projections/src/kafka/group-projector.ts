import type { Consumer, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { LocalDate } from '@cadre-ledger/domain';
import type { EventStore } from '@cadre-ledger/event-store';
import type { RuleBook } from '@cadre-ledger/policy';
import { Projector } from '../postgres/projector';
import type { CadreRows } from '../cadre-rows';

export interface GroupProjectorOptions {
  kafka: Kafka;
  groupId: string;
  /** `cadre-ledger.events.v2`. */
  topic: string;
  pool: Pool;
  store: EventStore;
  ruleBook: RuleBook;
  today: () => LocalDate;
  /** What follows each batch (libs/clock's reactions: the 选人用人 conflict detector); none without it. */
  onProjected?: (rows: ReadonlyMap<string, CadreRows | null>) => Promise<void>;
  /** Write each recomputed verdict to the outbox the follow process's Kafka relay drains. */
  eligibilityOutbox?: boolean;
  /** How often a replica looks whether a new day has come (one replica then refreshes the stale rows). Default one minute. */
  dayCheckIntervalMs?: number;
  onError?: (error: unknown) => void;
  /** Each processed message's eventId, once its batch's rows are committed (instrumentation, tests). */
  onEvent?: (eventId: string) => void;
}

/**
 * Scale-out mode: projector replicas consume `cadre-ledger.events.v2` as one Kafka consumer
 * group, partitions spread across them (key = cadreId, so one cadre is always one replica's). A
 * message only names whose event it is (its key and headers); the replica recomputes that
 * cadre's rows from the store with the follow projector's own row computation (`Projector.project`)
 * and replaces them, runs the same reactions, then lets Kafka commit the offsets. A redelivered
 * message recomputes the same rows: idempotent, so the group needs no checkpoint of its own. On a
 * new day one replica (an advisory lock decides which) refreshes the rows time has made stale.
 */
export class GroupProjector {
  private consumer: Consumer | null = null;
  private readonly projector: Projector;
  private timer: NodeJS.Timeout | null = null;
  private lastDay: LocalDate | null = null;
  /** The partitions this member was last assigned, per topic. */
  assignment: Record<string, number[]> = {};

  constructor(private readonly options: GroupProjectorOptions) {
    const { pool, store, ruleBook, today, onProjected } = options;
    this.projector = new Projector({ pool, store, ruleBook, today, onProjected, eligibilityOutbox: options.eligibilityOutbox });
  }

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
        await this.projector.project(cadres, units);
        // Processed means projected: told once the batch's rows are committed, not before.
        for (const eventId of eventIds) this.options.onEvent?.(eventId);
      },
    });
    this.timer = setInterval(() => void this.newDay().catch((error: unknown) => this.options.onError?.(error)), this.options.dayCheckIntervalMs ?? 60_000);
    this.timer.unref();
  }

  /** A new day: the replica that takes the lock refreshes the stale rows (the others find none left). */
  async newDay(): Promise<string[]> {
    const day = this.options.today();
    if (this.lastDay === day) return [];
    const client = await this.options.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', ['group-projector:new-day']);
      if (!rows[0].locked) return [];
      try {
        const refreshed = await this.projector.refreshStale();
        this.lastDay = day;
        return refreshed;
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['group-projector:new-day']);
      }
    } finally {
      client.release();
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.consumer?.disconnect();
    this.consumer = null;
  }
}

import type { Pool } from 'pg';
import type { LocalDate } from '@cadre-ledger/domain';
import { followWithCheckpoint, type EventStore } from '@cadre-ledger/event-store';
import type { KafkaConfig } from '@cadre-ledger/platform';
import { unitYearFigures } from '@cadre-ledger/projections';
import { statsMessage } from '../contracts/stats.v1';
import { createKafka, type KafkaLogSink } from './client';
import { KafkaRelay } from './relay';
import { ensureTopics, topicPlan } from './topics';

export interface KafkaRelayRuntimeOptions {
  pool: Pool;
  store: EventStore;
  kafka: KafkaConfig;
  /** kafkajs' log lines and the relay's warnings go here (the service's logger). */
  log?: KafkaLogSink;
  today: () => LocalDate;
  /** For the stats topic: counts below it are null (LEDGER_SMALL_COUNT_THRESHOLD). */
  smallCountThreshold: number;
  /** How often it retries and drains the eligibility outbox without a new event. Default 1 s. */
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

/** What /metrics and /health read of the relay. */
export interface RelayStatus {
  /** The last pass reached the brokers (false after a failed one, until one succeeds). */
  up: boolean;
  lastError: string | null;
  /** Passes that failed (each a publish error the next pass retries). */
  publishErrors: number;
  /** Passes that ran again after a failed one. */
  retries: number;
  eventsPublished: number;
  verdictsPublished: number;
  statsPublished: number;
}

export interface KafkaRelayRuntime {
  relay: KafkaRelay;
  status(): RelayStatus;
  /** How far the events topics trail the store. */
  lag(now?: Date): Promise<{ events: number; seconds: number }>;
  stop(): Promise<void>;
}

/** Years of figures the stats topic carries: this one and the four before. */
const STATS_YEARS = 5;

/**
 * The relay inside `npm start` (or the follow projector) when `KAFKA_BROKERS` is set: the topics
 * created with their configuration first (or left to auto-creation, with a warning), the
 * eligibility snapshot on the first start, then woken by the store's live subscription and by a
 * timer (which also retries after a broker outage), one pass at a time; the stats topic brought up
 * to date every KAFKA_STATS_INTERVAL_SECONDS.
 */
export async function startKafkaRelay(options: KafkaRelayRuntimeOptions): Promise<KafkaRelayRuntime> {
  const onError = options.onError ?? (() => undefined);
  const log: KafkaLogSink = options.log ?? (() => undefined);
  await KafkaRelay.migrate(options.pool);
  const kafka = createKafka(options.kafka, options.log, 'relay');

  const admin = kafka.admin();
  const plan = topicPlan(options.kafka);
  try {
    await admin.connect();
    const topics = await ensureTopics(admin, plan);
    if (topics.fallback !== undefined) {
      log('warn', `kafka topics: the admin API refused to create the topics (${topics.fallback}); they are left to the brokers' auto-creation, with the brokers' defaults: the eligibility and stats topics are then not compacted. Create them as \`ledger kafka topics --create\` says.`, { topics: plan.map((t) => t.topic) });
    } else if (topics.created.length > 0) {
      log('info', `kafka topics created: ${topics.created.join(', ')}`, {});
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }

  const producer = kafka.producer({ allowAutoTopicCreation: true, idempotent: false });
  await producer.connect();
  const relay = new KafkaRelay({ pool: options.pool, store: options.store, producer, publishV1: options.kafka.publishV1, omitFields: options.kafka.omitFields });
  const queued = await relay.snapshotOnFirstStart();
  if (queued > 0) log('info', `kafka relay: first start, the current verdicts of ${queued} cadres queued for the eligibility topic`, {});

  const status: RelayStatus = { up: true, lastError: null, publishErrors: 0, retries: 0, eventsPublished: 0, verdictsPublished: 0, statsPublished: 0 };
  const statsEveryMs = options.kafka.statsIntervalSeconds * 1000;
  let statsDue = 0;
  // One pass: the events, the outbox, the stats when due; a failure is counted and retried by the next.
  const pass = async () => {
    if (!status.up) status.retries++;
    try {
      status.eventsPublished += await relay.catchUp();
      for (let n = await relay.publishEligibility(); n > 0; n = await relay.publishEligibility()) status.verdictsPublished += n;
      if (Date.now() >= statsDue) {
        const today = options.today();
        const year = Number(today.slice(0, 4));
        const figures = await unitYearFigures(options.pool, { fromYear: year - STATS_YEARS + 1, toYear: year, today });
        status.statsPublished += await relay.publishStats(figures.map((f) => statsMessage({ unitId: f.unitId, unitName: f.unitName, year: f.year, asOf: today }, f.figures, options.smallCountThreshold)));
        statsDue = Date.now() + statsEveryMs;
      }
      status.up = true;
      status.lastError = null;
    } catch (error) {
      status.up = false;
      status.publishErrors++;
      status.lastError = error instanceof Error ? error.message : String(error);
      onError(error);
    }
  };
  // Woken by new events and by the timer (which also retries after a broker outage).
  const following = await followWithCheckpoint(options.store, { checkpoint: () => relay.checkpoint(), catchUp: pass }, { intervalMs: options.intervalMs ?? 1000, onError });
  return {
    relay,
    status: () => ({ ...status }),
    lag: async (now = new Date()) => {
      const pending = await options.store.readAll({ fromPosition: await relay.checkpoint(), limit: 10_000 });
      if (pending.length === 0) return { events: 0, seconds: 0 };
      return { events: pending.length, seconds: Math.max(0, (now.getTime() - Date.parse(pending[0].recordedAt)) / 1000) };
    },
    stop: async () => {
      await following.stop();
      await producer.disconnect();
    },
  };
}

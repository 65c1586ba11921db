import { Kafka, logLevel } from 'kafkajs';
import type { Pool } from 'pg';
import { followAll, type EventStore } from '@cadre-ledger/event-store';
import { KafkaRelay } from './relay';

export interface KafkaRelayRuntimeOptions {
  pool: Pool;
  store: EventStore;
  /** `KAFKA_BROKERS`, comma-separated host:port. */
  brokers: string[];
  clientId?: string;
  /** How often it retries and drains the eligibility outbox without a new event. Default 1 s. */
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

export interface KafkaRelayRuntime {
  relay: KafkaRelay;
  stop(): Promise<void>;
}

/**
 * The relay inside `npm start` when `KAFKA_BROKERS` is set: woken by the store's live
 * subscription and by a timer (which also retries after a broker outage), one pass at a time.
 */
export async function startKafkaRelay(options: KafkaRelayRuntimeOptions): Promise<KafkaRelayRuntime> {
  const onError = options.onError ?? (() => undefined);
  await KafkaRelay.migrate(options.pool);
  const kafka = new Kafka({ brokers: options.brokers, clientId: options.clientId ?? 'cadre-ledger', logLevel: logLevel.WARN });
  const producer = kafka.producer({ allowAutoTopicCreation: true, idempotent: false });
  await producer.connect();
  const relay = new KafkaRelay({ pool: options.pool, store: options.store, producer });

  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const pass = () => {
    running = running
      .then(async () => {
        if (stopped) return;
        await relay.catchUp();
        while ((await relay.publishEligibility()) > 0) {
          // drain the outbox
        }
      })
      .catch(onError);
    return running;
  };
  // The position published so far, as last read: an event at or below it was in an earlier pass,
  // so a burst of appends costs one pass, not one each.
  let known = await relay.checkpoint();
  const follower = followAll(options.store, {
    from: async () => (known = await relay.checkpoint()),
    onEvent: async (event) => {
      if (event.globalPosition <= known) return;
      await pass();
      known = Math.max(known, await relay.checkpoint());
    },
    onError,
  });
  const timer = setInterval(() => void pass(), options.intervalMs ?? 1000);
  timer.unref();
  await pass();
  return {
    relay,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await follower.stop();
      await running;
      await producer.disconnect();
    },
  };
}

import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { Ledger } from '@cadre-ledger/application';
import { PostgresEventStore, type EventStore } from '@cadre-ledger/event-store';
import { LEDGER_EVENTS_TOPIC, startKafkaRelay } from '@cadre-ledger/messaging';
import { databaseConfigFromEnv, openDatabase, runMigrations } from '@cadre-ledger/platform';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { GroupProjector, READ_MODEL_MIGRATIONS_NAMESPACE, readModelMigrations, startReadModels } from '@cadre-ledger/projections';

export interface ProjectorProcess {
  stop(): Promise<void>;
}

/**
 * The projector as a service of its own (ARCHITECTURE.md, "Where it runs"), configured by the
 * same variables as `npm start`. `PROJECTOR_MODE=follow` (default): follow the store's global
 * order, run the clock, and publish to Kafka when `KAFKA_BROKERS` is set; run one of these.
 * `PROJECTOR_MODE=kafka-group`: one replica of a consumer group on `cadre-ledger.events.v1`
 * (`KAFKA_GROUP_ID`, default `cadre-ledger-projectors`); run as many as the partitions allow,
 * next to one `follow` process that keeps the clock and the relay.
 */
export async function startProjectorProcess(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<ProjectorProcess> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => log(`shutdown: ${String(error)}`));
  };
  try {
    const database = await openDatabase(databaseConfigFromEnv(env));
    cleanups.push(() => database.stop());
    const pool = new Pool({ connectionString: database.url, max: 8 });
    pool.on('error', () => undefined);
    cleanups.push(() => pool.end());
    let store: EventStore;
    if (env.EVENTSTORE_CONNECTION_STRING?.trim()) {
      const { EventStoreDbEventStore } = await import('@cadre-ledger/event-store/eventstoredb');
      store = EventStoreDbEventStore.fromConnectionString(env.EVENTSTORE_CONNECTION_STRING.trim());
    } else {
      store = await PostgresEventStore.open({ connectionString: database.url });
    }
    cleanups.push(() => store.close());
    const ruleBook = readRuleBook(env.LEDGER_RULESETS_DIR?.trim() || undefined);
    const ledger = new Ledger({ store, ruleBook, now: () => new Date(), newEventId: randomUUID });
    const brokers = (env.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter((b) => b.length > 0);

    if ((env.PROJECTOR_MODE ?? 'follow') === 'kafka-group') {
      if (brokers.length === 0) throw new Error('PROJECTOR_MODE=kafka-group needs KAFKA_BROKERS');
      await runMigrations(pool, READ_MODEL_MIGRATIONS_NAMESPACE, readModelMigrations);
      const member = new GroupProjector({
        kafka: new Kafka({ brokers, clientId: 'cadre-ledger-projector', logLevel: logLevel.WARN }),
        groupId: env.KAFKA_GROUP_ID?.trim() || 'cadre-ledger-projectors',
        topic: LEDGER_EVENTS_TOPIC,
        pool,
        store,
        ruleBook,
        today: () => ledger.today(),
      });
      await member.start();
      cleanups.push(() => member.stop());
      log(`cadre-ledger projector: consumer-group member on ${brokers.join(',')}`);
    } else {
      const readModels = await startReadModels({
        pool, store, ruleBook, ledger, today: () => ledger.today(), eligibilityOutbox: brokers.length > 0,
        onError: (error) => log(`read models: ${String(error)}`),
      });
      cleanups.push(() => readModels.stop());
      if (brokers.length > 0) {
        const relay = await startKafkaRelay({ pool, store, brokers, onError: (error) => log(`kafka relay: ${String(error)}`) });
        cleanups.push(() => relay.stop());
      }
      log(`cadre-ledger projector: following the store${brokers.length > 0 ? `, publishing to ${brokers.join(',')}` : ''}`);
    }
    return { stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

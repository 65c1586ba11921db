import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { chinaDateOf } from '@cadre-ledger/domain';
import { openEventStore } from '@cadre-ledger/event-store';
import { LEDGER_EVENTS_TOPIC } from '@cadre-ledger/messaging';
import { databaseConfigFromEnv, openDatabase, runMigrations } from '@cadre-ledger/platform';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { GroupProjector, READ_MODEL_MIGRATIONS_NAMESPACE, readModelMigrations } from '@cadre-ledger/projections';
import { startFollowing } from './follow';

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
    const database = await openDatabase(databaseConfigFromEnv(env), log);
    cleanups.push(() => database.stop());
    const pool = new Pool({ connectionString: database.url, max: 8 });
    pool.on('error', () => undefined);
    cleanups.push(() => pool.end());
    const store = await openEventStore({ databaseUrl: database.url, eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING?.trim() || undefined });
    cleanups.push(() => store.close());
    const ruleBook = readRuleBook(env.LEDGER_RULESETS_DIR?.trim() || undefined);
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
        today: () => chinaDateOf(new Date().toISOString()),
      });
      await member.start();
      cleanups.push(() => member.stop());
      log(`cadre-ledger projector: consumer-group member on ${brokers.join(',')}`);
    } else {
      const following = await startFollowing({ pool, store, ruleBook, brokers, log });
      cleanups.push(() => following.stop());
      log(`cadre-ledger projector: following the store${brokers.length > 0 ? `, publishing to ${brokers.join(',')}` : ''}`);
    }
    return { stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

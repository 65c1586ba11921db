import { Pool } from 'pg';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { KafkaRelay } from '@cadre-ledger/messaging';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { runMigrations } from '@cadre-ledger/platform';
import { READ_MODEL_MIGRATIONS_NAMESPACE, readModelMigrations } from '@cadre-ledger/projections';
import { createTestDatabase, type TestDatabase } from '../test-database';
import { startMockKafka, type MockKafka } from './mock-cluster';

export interface KafkaTestBed {
  kafka: MockKafka;
  client: Kafka;
  db: TestDatabase;
  store: PostgresEventStore;
  pool: Pool;
  producer: Producer;
  close(): Promise<void>;
}

/** A mock Kafka cluster, a database of its own with the store, relay and read-model tables, and a producer. */
export async function startKafkaTestBed(label: string): Promise<KafkaTestBed> {
  const kafka = await startMockKafka();
  const client = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING, clientId: label });
  const db = await createTestDatabase(label);
  const store = await PostgresEventStore.open({ connectionString: db.url });
  const pool = new Pool({ connectionString: db.url, max: 6 });
  await KafkaRelay.migrate(pool);
  await runMigrations(pool, READ_MODEL_MIGRATIONS_NAMESPACE, readModelMigrations);
  const producer = client.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  return {
    kafka, client, db, store, pool, producer,
    close: async () => {
      await producer.disconnect();
      await pool.end();
      await store.close();
      await db.drop();
      await kafka.stop();
    },
  };
}

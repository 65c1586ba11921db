import { createTestDatabase, tamperWithStoredEvent, type TestDatabase } from '../../../../test/support/test-database';
import { describeEventStoreContract } from '../contract';
import { PostgresEventStore } from './postgres-event-store';

jest.setTimeout(60_000);

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('contract');
});

afterAll(async () => {
  await database.drop();
});

describeEventStoreContract('PostgreSQL', async () => {
  const store = await PostgresEventStore.open({ connectionString: database.url, poolSize: 8 });
  return {
    store,
    tamper: (stream, revision, data) => tamperWithStoredEvent(database.url, stream, revision, data),
    dispose: async () => undefined,
  };
});

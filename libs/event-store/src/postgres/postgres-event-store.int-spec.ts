import { randomUUID } from 'node:crypto';
import { createTestDatabase, tamperWithStoredEvent, type TestDatabase } from '../../../../test/support/test-database';
import { describeEventStoreContract } from '../contract';
import { PostgresEventStore } from './postgres-event-store';

jest.setTimeout(60_000);

let database: TestDatabase;
let sm3Database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('contract');
  sm3Database = await createTestDatabase('contract-sm3');
});

afterAll(async () => {
  await database.drop();
  await sm3Database.drop();
});

describeEventStoreContract('PostgreSQL', async () => {
  const store = await PostgresEventStore.open({ connectionString: database.url, poolSize: 8 });
  return {
    store,
    tamper: (stream, revision, data) => tamperWithStoredEvent(database.url, stream, revision, data),
    dispose: async () => undefined,
  };
});

// The same contract on a store created with 国密 SM3 (LEDGER_HASH_ALGORITHM=sm3).
describeEventStoreContract('PostgreSQL with SM3', async () => {
  const store = await PostgresEventStore.open({ connectionString: sm3Database.url, poolSize: 4, hashAlgorithm: 'sm3' });
  return {
    store,
    tamper: (stream, revision, data) => tamperWithStoredEvent(sm3Database.url, stream, revision, data),
    dispose: async () => undefined,
  };
});

describe('the hash algorithm of a PostgreSQL store', () => {
  it('is chosen when the store is created, recorded with it, and cannot be changed afterwards', async () => {
    const db = await createTestDatabase('algorithm');
    try {
      const created = await PostgresEventStore.open({ connectionString: db.url, hashAlgorithm: 'sm3' });
      await created.appendToStream('cadre-x', [{ eventId: randomUUID(), type: 'CautionIssued', effectiveAt: '2021-01-01', actor: 'a', data: { reason: 'r' } }], { expectedRevision: 'no-stream' });
      expect(created.hashAlgorithm).toBe('sm3');
      await created.close();
      const reopened = await PostgresEventStore.open({ connectionString: db.url });
      expect(reopened.hashAlgorithm).toBe('sm3');
      expect((await reopened.readStream('cadre-x'))[0].hashFormat).toBe('v2-sm3');
      expect((await reopened.verifyStream('cadre-x')).ok).toBe(true);
      await reopened.close();
      await expect(PostgresEventStore.open({ connectionString: db.url, hashAlgorithm: 'sha256' })).rejects.toThrow(/created with hash algorithm sm3/);
    } finally {
      await db.drop();
    }
  });
});

import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { newEvent, uniqueStream } from '../contract';
import { DuplicateEventIdConflict } from '../port';
import { PostgresEventStore } from './postgres-event-store';

jest.setTimeout(60_000);

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('heads');
});

afterAll(async () => {
  await database.drop();
});

describe('PostgreSQL appends, beyond the contract', () => {
  it('keeps the chain intact when another process moved the head since this one last saw it', async () => {
    const first = await PostgresEventStore.open({ connectionString: database.url });
    const second = await PostgresEventStore.open({ connectionString: database.url });
    try {
      const stream = uniqueStream();
      await first.appendToStream(stream, [newEvent()], { expectedRevision: 'no-stream' });
      await second.appendToStream(stream, [newEvent(), newEvent()], { expectedRevision: 'any' });
      // `first` still remembers revision 0 as the head: its hashes would chain onto the wrong event.
      const result = await first.appendToStream(stream, [newEvent(), newEvent()], { expectedRevision: 'any' });

      expect(result.events.map((event) => event.revision)).toEqual([3, 4]);
      expect(await first.verifyStream(stream)).toEqual({ ok: true, checked: 5 });
      // And the answer it gave is what is stored.
      expect(await second.readStream(stream, { fromRevision: 3 })).toEqual(result.events);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('refuses an append that names the same event id twice, and stores nothing', async () => {
    const store = await PostgresEventStore.open({ connectionString: database.url });
    try {
      const stream = uniqueStream();
      const event = newEvent();
      await expect(store.appendToStream(stream, [event, { ...event }], { expectedRevision: 'any' })).rejects.toBeInstanceOf(DuplicateEventIdConflict);
      expect(await store.streamRevision(stream)).toBe('no-stream');
    } finally {
      await store.close();
    }
  });
});

import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { newEvent, readAllUntil, uniqueStream } from '../contract';
import { PostgresEventStore } from './postgres-event-store';
import { POSITION_TX_SHIFT } from './schema';

jest.setTimeout(60_000);

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('epoch');
});

afterAll(async () => {
  await database.drop();
});

describe('global positions after a logical restore (PostgreSQL)', () => {
  it('puts new events after events restored from a cluster whose transaction ids ran higher', async () => {
    // Create the schema, then plant an event as a pg_dump restore would bring it: its position made
    // from a transaction id a million ahead of this cluster's.
    await (await PostgresEventStore.open({ connectionString: database.url })).close();
    const restoredStream = uniqueStream();
    const client = new Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ position: string }>(
      `INSERT INTO ledger_events (global_position, stream, revision, event_id, type, schema_version, effective_at, actor, data, prev_hash, hash, recorded_at)
       VALUES (((pg_snapshot_xmax(pg_current_snapshot())::text::bigint + 1000000) << ${POSITION_TX_SHIFT}), $1, 0, gen_random_uuid()::text,
               'CadreRegistered', 1, '2020-01-01', 'import', '{}', repeat('0', 64), repeat('0', 64), now())
       RETURNING global_position::text AS position`,
      [restoredStream],
    );
    await client.end();
    const restoredPosition = Number(rows[0].position);

    const store = await PostgresEventStore.open({ connectionString: database.url });
    try {
      const stream = uniqueStream();
      const [appended] = (await store.appendToStream(stream, [newEvent()], { expectedRevision: 'no-stream' })).events;
      expect(appended.globalPosition).toBeGreaterThan(restoredPosition);
      const seen = await readAllUntil(store, restoredPosition - 1, new Set([restoredStream, stream]), 2, 15_000);
      expect(seen.map((event) => event.stream)).toEqual([restoredStream, stream]);
    } finally {
      await store.close();
    }
  });
});

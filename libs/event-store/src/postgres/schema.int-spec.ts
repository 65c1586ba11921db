import { Client, Pool } from 'pg';
import { runMigrations } from '@cadre-ledger/platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { newEvent, uniqueStream } from '../contract';
import { EVENT_STORE_MIGRATIONS_NAMESPACE, eventStoreMigrations } from './schema';
import { PostgresEventStore } from './postgres-event-store';

jest.setTimeout(60_000);

describe('event store schema (PostgreSQL)', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase('schema');
  });

  afterEach(async () => {
    await database.drop();
  });

  it('migrates once when several processes start at the same moment, and again is a no-op', async () => {
    // Separate pools stand for separate processes: what matters is separate sessions.
    const pools = Array.from({ length: 4 }, () => new Pool({ connectionString: database.url, max: 1 }));
    try {
      const reports = await Promise.all(pools.map((pool) => runMigrations(pool, EVENT_STORE_MIGRATIONS_NAMESPACE, eventStoreMigrations)));
      const again = await runMigrations(pools[0], EVENT_STORE_MIGRATIONS_NAMESPACE, eventStoreMigrations);

      const versions = eventStoreMigrations.map((migration) => migration.version);
      expect(reports.filter((report) => report.applied.length > 0).map((report) => report.applied)).toEqual([versions]);
      expect(again).toEqual({ applied: [], alreadyApplied: versions });
      const { rows } = await pools[0].query('SELECT version FROM schema_migrations WHERE namespace = $1', [EVENT_STORE_MIGRATIONS_NAMESPACE]);
      expect(rows.map((row) => row.version)).toEqual(versions);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('refuses to run when an applied migration was edited afterwards', async () => {
    const pool = new Pool({ connectionString: database.url, max: 1 });
    try {
      await runMigrations(pool, 'edited', [{ version: 1, name: 'table', sql: 'CREATE TABLE edited_example (id int)' }]);
      await expect(
        runMigrations(pool, 'edited', [{ version: 1, name: 'table', sql: 'CREATE TABLE edited_example (id bigint)' }]),
      ).rejects.toThrow(/changed after it was applied/);
    } finally {
      await pool.end();
    }
  });

  it('refuses UPDATE, DELETE and TRUNCATE of stored events', async () => {
    const store = await PostgresEventStore.open({ connectionString: database.url });
    const stream = uniqueStream();
    await store.appendToStream(stream, [newEvent()], { expectedRevision: 'no-stream' });
    await store.close();
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await expect(client.query(`UPDATE ledger_events SET actor = 'someone-else' WHERE stream = $1`, [stream])).rejects.toMatchObject({ code: 'CL403' });
      await expect(client.query('DELETE FROM ledger_events WHERE stream = $1', [stream])).rejects.toMatchObject({ code: 'CL403' });
      await expect(client.query('TRUNCATE ledger_events')).rejects.toMatchObject({ code: 'CL403' });
      const { rows } = await client.query('SELECT actor FROM ledger_events WHERE stream = $1', [stream]);
      expect(rows).toEqual([{ actor: 'hr-officer-7' }]);
    } finally {
      await client.end();
    }
  });

  it('stores recordedAt from the database clock, with microseconds, in UTC', async () => {
    const store = await PostgresEventStore.open({ connectionString: database.url });
    try {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      const before = (await client.query("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS t")).rows[0].t as string;
      const [event] = (await store.appendToStream(uniqueStream(), [newEvent()], { expectedRevision: 'no-stream' })).events;
      const after = (await client.query("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS t")).rows[0].t as string;
      await client.end();
      // Same fixed-width format on both sides, so string order is time order.
      expect(event.recordedAt > before).toBe(true);
      expect(event.recordedAt < after).toBe(true);
    } finally {
      await store.close();
    }
  });
});

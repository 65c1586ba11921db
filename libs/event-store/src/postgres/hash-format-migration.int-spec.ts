import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { runMigrations } from '@cadre-ledger/platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { canonicalAroundRevision } from '../canonical';
import { verifyChain } from '../hash-chain';
import { PostgresEventStore } from './postgres-event-store';
import { EVENT_STORE_MIGRATIONS_NAMESPACE, eventStoreMigrations } from './schema';

/**
 * A store written before hash formats were recorded is migrated once: its events keep their v1
 * hashes (recorded as such), new events are v2, and both verify.
 */
describe('migrating a store from before hash formats', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('hash-format-migration');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('keeps v1 events as v1, records the boundary once, and verifies both formats', async () => {
    const pool = new Pool({ connectionString: db.url, max: 2 });
    await runMigrations(pool, EVENT_STORE_MIGRATIONS_NAMESPACE, eventStoreMigrations.slice(0, 1));
    // An append as the first version did it: hashed in SQL by ledger_append (v1).
    const content = { eventId: randomUUID(), type: 'CautionIssued', schemaVersion: 1, stream: 'cadre-old', effectiveAt: '2019-01-01', actor: 'a', documentRef: null, data: { reason: '旧' } };
    const cut = canonicalAroundRevision(content);
    await pool.query('SELECT * FROM ledger_append($1, -1, $2, $3, $4, $5, $6, $7, $8, $9, $10, false, NULL, NULL)', [
      'cadre-old', [content.eventId], [content.type], [1], [content.effectiveAt], [content.actor], [null], [cut.data], [cut.head], [cut.tail],
    ]);
    await pool.end();

    const store = await PostgresEventStore.open({ connectionString: db.url });
    try {
      await store.appendToStream('cadre-old', [{ eventId: randomUUID(), type: 'TalkHeld', effectiveAt: '2021-01-01', actor: 'a', data: { kind: 'reminder', reason: '新' } }], { expectedRevision: 0 });
      const events = await store.readStream('cadre-old');
      expect(events.map((e) => e.hashFormat)).toEqual(['v1', 'v2-sha256']);
      expect(verifyChain('cadre-old', events)).toEqual({ ok: true, checked: 2 });
      expect(store.hashAlgorithm).toBe('sha256');
      const meta = await store.pool.query<{ name: string; value: string }>('SELECT name, value FROM ledger_store_meta ORDER BY name');
      expect(meta.rows).toEqual([
        { name: 'hash-algorithm', value: 'sha256' },
        { name: 'v1-events-until-position', value: String(events[0].globalPosition) },
      ]);
    } finally {
      await store.close();
    }
    await expect(PostgresEventStore.open({ connectionString: db.url, hashAlgorithm: 'sm3' })).rejects.toThrow(/created with hash algorithm sha256/);
  });
});

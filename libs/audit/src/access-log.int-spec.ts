import { Pool } from 'pg';
import { runMigrations } from '@cadre-ledger/platform';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { AccessLog, listAccess, verifyAccessLog } from './access-log';
import { AUDIT_MIGRATIONS_NAMESPACE, auditMigrations } from './schema';

jest.setTimeout(60_000);

describe('the read audit (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await createTestDatabase('access-log');
    pool = new Pool({ connectionString: db.url, max: 4 });
    await runMigrations(pool, AUDIT_MIGRATIONS_NAMESPACE, auditMigrations);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('commits concurrent records together: 50 reads, two transactions, every record durable when its read goes on', async () => {
    const log = new AccessLog(pool, 'sha256');
    const reads = Array.from({ length: 50 }, (_, i) => log.record([{ actor: `reader-${i}`, cadreId: `c-${i % 5}`, what: 'profile', via: 'GET /v1/cadres/{cadreId}' }]));
    await Promise.all(reads);
    const { items } = await listAccess(pool, { limit: 100 });
    expect(items.map((r) => r.actor).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `reader-${i}`).sort());
    // One transaction stamps one `at`: the first read went alone, the 49 that queued behind it shared one.
    expect(new Set(items.map((r) => r.at)).size).toBe(2);
    expect(await verifyAccessLog(pool, 'sha256')).toEqual({ ok: true, records: 50 });
  });

  it('rejects the records of a batch that could not be stored, and stores the next ones', async () => {
    const log = new AccessLog(pool, 'sha256');
    await pool.query('ALTER TABLE ledger_access_log RENAME TO away');
    await expect(log.record([{ actor: 'x', cadreId: 'c-1', what: 'history', via: 'test' }])).rejects.toThrow();
    await pool.query('ALTER TABLE away RENAME TO ledger_access_log');
    await log.record([{ actor: 'y', cadreId: 'c-1', what: 'history', via: 'test' }]);
    const { items } = await listAccess(pool, { actor: 'y', limit: 10 });
    expect(items).toHaveLength(1);
    expect((await listAccess(pool, { actor: 'x', limit: 10 })).items).toEqual([]);
  });
});

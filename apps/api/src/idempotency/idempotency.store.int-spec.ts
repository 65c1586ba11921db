import { Pool } from 'pg';
import { runMigrations } from '@cadre-ledger/platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { waitFor } from '../../../../test/support/wait-for';
import { API_MIGRATIONS_NAMESPACE, apiMigrations } from './idempotency.schema';
import { IdempotencyStore } from './idempotency.store';

/** A key whose request died (process killed, database gone) is leased, never held for good. */
describe('IdempotencyStore leases', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await createTestDatabase('idempotency-leases');
    pool = new Pool({ connectionString: db.url, max: 2 });
    await runMigrations(pool, API_MIGRATIONS_NAMESPACE, apiMigrations);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('says in progress, with how long, while the lease holds; lets a retry take the key over after', async () => {
    const keys = new IdempotencyStore(pool, 1);
    expect(await keys.claim('zzb', 'k-1', 'f')).toEqual({ outcome: 'claimed', takenOver: false });
    // The first request never completes (its process died).
    const held = await keys.claim('zzb', 'k-1', 'f');
    expect(held).toEqual({ outcome: 'in-progress', retryAfterSeconds: 1 });
    const taken = await waitFor(async () => {
      const claim = await keys.claim('zzb', 'k-1', 'f');
      return claim.outcome === 'claimed' ? claim : null;
    }, { timeoutMs: 10_000, description: 'the lease to run out' });
    expect(taken).toEqual({ outcome: 'claimed', takenOver: true });
    // Now it is the taker's: a third caller waits again.
    expect((await keys.claim('zzb', 'k-1', 'f')).outcome).toBe('in-progress');
    await keys.complete('zzb', 'k-1', 201, { eventId: 'e-1' });
    expect(await keys.claim('zzb', 'k-1', 'f')).toEqual({ outcome: 'replay', status: 201, response: { eventId: 'e-1' } });
    expect(await keys.claim('zzb', 'k-1', 'other')).toEqual({ outcome: 'reused-with-another-request' });
  });

  it('frees keys claimed before leases existed (no lease recorded)', async () => {
    await pool.query("INSERT INTO api_idempotency_keys (actor, key, fingerprint) VALUES ('zzb', 'old', 'f')");
    expect(await new IdempotencyStore(pool, 30).claim('zzb', 'old', 'f')).toEqual({ outcome: 'claimed', takenOver: true });
  });
});

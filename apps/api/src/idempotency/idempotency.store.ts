import type { Pool } from 'pg';

export type Claim =
  | { outcome: 'claimed'; takenOver: boolean }
  | { outcome: 'replay'; status: number; response: unknown }
  | { outcome: 'reused-with-another-request' }
  | { outcome: 'in-progress'; retryAfterSeconds: number };

/**
 * The rows of `api_idempotency_keys` (idempotency.schema.ts). A key being served is leased, not
 * locked for good: if the process dies or the database goes away before the answer is stored,
 * the lease runs out and the next retry takes the key over. That retry cannot append twice: the
 * request's event id derives from the key (write.interceptor.ts), and the ledger answers a command
 * whose event is already in the stream with that event.
 */
export class IdempotencyStore {
  constructor(
    private readonly pool: Pool,
    private readonly leaseSeconds: number,
  ) {}

  /** Takes the key for this request, or says what the first request with it did. */
  async claim(actor: string, key: string, fingerprint: string): Promise<Claim> {
    const inserted = await this.pool.query(
      `INSERT INTO api_idempotency_keys (actor, key, fingerprint, lease_until)
       VALUES ($1, $2, $3, clock_timestamp() + make_interval(secs => $4)) ON CONFLICT DO NOTHING`,
      [actor, key, fingerprint, this.leaseSeconds],
    );
    if (inserted.rowCount === 1) return { outcome: 'claimed', takenOver: false };
    const { rows } = await this.pool.query<{ fingerprint: string; status: number | null; response: unknown; remaining: number | null }>(
      `SELECT fingerprint, status, response, extract(epoch FROM lease_until - clock_timestamp())::float8 AS remaining
       FROM api_idempotency_keys WHERE actor = $1 AND key = $2`,
      [actor, key],
    );
    const row = rows[0];
    if (!row) return this.claim(actor, key, fingerprint); // released between our insert and our read
    if (row.fingerprint !== fingerprint) return { outcome: 'reused-with-another-request' };
    if (row.status !== null) return { outcome: 'replay', status: row.status, response: row.response };
    if (row.remaining !== null && row.remaining > 0) return { outcome: 'in-progress', retryAfterSeconds: Math.max(1, Math.ceil(row.remaining)) };
    const taken = await this.pool.query(
      `UPDATE api_idempotency_keys SET lease_until = clock_timestamp() + make_interval(secs => $3)
       WHERE actor = $1 AND key = $2 AND status IS NULL AND (lease_until IS NULL OR lease_until <= clock_timestamp())`,
      [actor, key, this.leaseSeconds],
    );
    // Someone else took it over a moment earlier: theirs is now the request in progress.
    return taken.rowCount === 1 ? { outcome: 'claimed', takenOver: true } : this.claim(actor, key, fingerprint);
  }

  async complete(actor: string, key: string, status: number, response: unknown): Promise<void> {
    await this.pool.query(
      'UPDATE api_idempotency_keys SET status = $3, response = $4, completed_at = clock_timestamp(), lease_until = NULL WHERE actor = $1 AND key = $2',
      [actor, key, status, JSON.stringify(response)],
    );
  }

  /** A refused request changed nothing: the key is free again for a corrected retry. */
  async release(actor: string, key: string): Promise<void> {
    await this.pool.query('DELETE FROM api_idempotency_keys WHERE actor = $1 AND key = $2 AND status IS NULL', [actor, key]);
  }
}

import type { Pool } from 'pg';

export type Claim =
  | { outcome: 'claimed' }
  | { outcome: 'replay'; status: number; response: unknown }
  | { outcome: 'reused-with-another-request' }
  | { outcome: 'in-progress' };

/** The rows of `api_idempotency_keys` (idempotency.schema.ts). */
export class IdempotencyStore {
  constructor(private readonly pool: Pool) {}

  /** Takes the key for this request, or says what the first request with it did. */
  async claim(actor: string, key: string, fingerprint: string): Promise<Claim> {
    const inserted = await this.pool.query(
      'INSERT INTO api_idempotency_keys (actor, key, fingerprint) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [actor, key, fingerprint],
    );
    if (inserted.rowCount === 1) return { outcome: 'claimed' };
    const { rows } = await this.pool.query<{ fingerprint: string; status: number | null; response: unknown }>(
      'SELECT fingerprint, status, response FROM api_idempotency_keys WHERE actor = $1 AND key = $2',
      [actor, key],
    );
    const row = rows[0];
    if (!row) return this.claim(actor, key, fingerprint); // released between our insert and our read
    if (row.fingerprint !== fingerprint) return { outcome: 'reused-with-another-request' };
    if (row.status === null) return { outcome: 'in-progress' };
    return { outcome: 'replay', status: row.status, response: row.response };
  }

  async complete(actor: string, key: string, status: number, response: unknown): Promise<void> {
    await this.pool.query(
      'UPDATE api_idempotency_keys SET status = $3, response = $4, completed_at = clock_timestamp() WHERE actor = $1 AND key = $2',
      [actor, key, status, JSON.stringify(response)],
    );
  }

  /** A refused request changed nothing: the key is free again for a corrected retry. */
  async release(actor: string, key: string): Promise<void> {
    await this.pool.query('DELETE FROM api_idempotency_keys WHERE actor = $1 AND key = $2 AND status IS NULL', [actor, key]);
  }
}

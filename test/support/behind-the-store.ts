import { Client } from 'pg';

/**
 * Changes the events table behind the store's back, as a superuser could (triggers off), commits,
 * runs `during` on the altered database, then puts every event back as it was. For tamper tests:
 * the store reads with its own connections, so the change must be committed to be seen.
 */
export async function behindTheStore(url: string, sql: string, params: unknown[], during: () => Promise<void>): Promise<void> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('CREATE TABLE saved_events AS SELECT * FROM ledger_events');
    await client.query('BEGIN');
    await client.query("SET LOCAL session_replication_role = 'replica'");
    await client.query(sql, params);
    await client.query('COMMIT');
    await during();
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.query('BEGIN');
    await client.query("SET LOCAL session_replication_role = 'replica'");
    await client.query('DELETE FROM ledger_events');
    await client.query('INSERT INTO ledger_events SELECT * FROM saved_events');
    await client.query('DROP TABLE saved_events');
    await client.query('COMMIT');
    await client.end();
  }
}

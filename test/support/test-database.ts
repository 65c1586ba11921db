import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withDatabase } from '@cadre-ledger/platform';

export interface TestDatabase {
  /** URL of a database created for this test file alone. */
  url: string;
  drop(): Promise<void>;
}

/** The run's server (see postgres-global-setup.ts). */
export function testServerUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run integration tests through jest --selectProjects integration');
  return url;
}

/** CREATE DATABASE with a unique name, so test files sharing the server never see each other's rows. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `t_${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  await onServer((client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  return {
    url: withDatabase(testServerUrl(), name),
    drop: async () => {
      // pg's Pool.end() resolves once its clients are told to end, not once their sessions have: a
      // FORCE at once would terminate those sessions and an ending client would emit 57P01 to a pool
      // nobody listens to any more. Wait for them to go; FORCE only what is still there after that.
      await onServer(async (client) => {
        const drop = `DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)}`;
        for (let attempt = 0; attempt < 50; attempt++) {
          try {
            await client.query(drop);
            return;
          } catch (error) {
            if ((error as { code?: string }).code !== '55006') throw error; // in use by other sessions
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
        await client.query(`${drop} WITH (FORCE)`);
      });
    },
  };
}

async function onServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Changes a stored event's data behind the store's back, for tamper-evidence tests: the events
 * table refuses UPDATE through a trigger, which `session_replication_role = replica` switches off
 * for this one transaction (superuser only, as an attacker with database access would be).
 */
export async function tamperWithStoredEvent(url: string, stream: string, revision: number, data: Record<string, unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL session_replication_role = 'replica'");
    const updated = await client.query('UPDATE ledger_events SET data = $3 WHERE stream = $1 AND revision = $2', [stream, revision, JSON.stringify(data)]);
    await client.query('COMMIT');
    if (updated.rowCount !== 1) throw new Error(`no event ${stream}@${revision} to tamper with`);
  } finally {
    await client.end();
  }
}

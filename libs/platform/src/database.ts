import { Client } from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres';
import { loadConfig, type DatabaseConfig } from './config';

/** The database part of the one configuration (`loadConfig`): DATABASE_URL, or EMBEDDED_PG_* under LEDGER_DATA_DIR. */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  return loadConfig(env).database;
}

export interface OpenDatabase {
  /** URL of the ledger database, ready for `pg.Pool`. */
  readonly url: string;
  /** Stops the embedded server if this process started one; a no-op for an external server. */
  stop(): Promise<void>;
}

/**
 * An external server is only named: the pools reconnect by themselves when it comes back. An
 * embedded one is started and supervised: restarted when its process dies (`log` hears about it).
 */
export async function openDatabase(config: DatabaseConfig, log?: (line: string) => void): Promise<OpenDatabase> {
  if (config.kind === 'external') return { url: config.url, stop: async () => undefined };
  const server = await startEmbeddedPostgres({ ...config, password: config.password, onSupervisorEvent: log });
  try {
    await ensureDatabase(server.url, config.database);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: withDatabase(server.url, config.database), stop: () => server.stop() };
}

/** Creates `name` on the server of `maintenanceUrl` unless it exists. */
export async function ensureDatabase(maintenanceUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: maintenanceUrl });
  client.on('error', () => undefined); // a failed query rejects with it; the event must not crash the process
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} ENCODING 'UTF8' TEMPLATE template0`).catch((error: { code?: string }) => {
        // Another process created it between our check and our CREATE: that is what we wanted.
        if (error.code !== '42P04') throw error;
      });
    }
  } finally {
    await client.end();
  }
}

/** The same server URL, pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

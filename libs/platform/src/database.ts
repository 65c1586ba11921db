import { Client } from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres';

/**
 * Where the ledger's PostgreSQL comes from (ARCHITECTURE.md, "Where it runs"): an external server
 * when `DATABASE_URL` is set, otherwise an embedded one started by this process.
 */
export type DatabaseConfig =
  | { kind: 'external'; url: string }
  | { kind: 'embedded'; dataDir: string; port: number; database: string; user: string; password: string };

export const DEFAULT_EMBEDDED_PORT = 54329;
export const DEFAULT_EMBEDDED_DATA_DIR = '.data/postgres';
export const DEFAULT_DATABASE_NAME = 'cadre_ledger';

/**
 * Reads the configuration variables:
 * - `DATABASE_URL`: use this server; nothing is started.
 * - `EMBEDDED_PG_DATA_DIR` (default `.data/postgres`), `EMBEDDED_PG_PORT` (default 54329),
 *   `EMBEDDED_PG_DATABASE` (default `cadre_ledger`), `EMBEDDED_PG_USER` / `EMBEDDED_PG_PASSWORD`
 *   (default `postgres` / `postgres`; fixed when the data directory is first initialised).
 */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) return { kind: 'external', url };
  const port = Number.parseInt(env.EMBEDDED_PG_PORT ?? String(DEFAULT_EMBEDDED_PORT), 10);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`EMBEDDED_PG_PORT is not a TCP port: ${env.EMBEDDED_PG_PORT}`);
  return {
    kind: 'embedded',
    dataDir: env.EMBEDDED_PG_DATA_DIR ?? DEFAULT_EMBEDDED_DATA_DIR,
    port,
    database: env.EMBEDDED_PG_DATABASE ?? DEFAULT_DATABASE_NAME,
    user: env.EMBEDDED_PG_USER ?? 'postgres',
    password: env.EMBEDDED_PG_PASSWORD ?? 'postgres',
  };
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
  const server = await startEmbeddedPostgres({ ...config, onSupervisorEvent: log });
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

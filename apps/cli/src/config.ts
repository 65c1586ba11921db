import { join, resolve } from 'node:path';

/**
 * The CLI reads the same variables as the server, so that `ledger …` run next to `npm start`
 * sees the same ledger:
 * - `LEDGER_DATA_DIR` (default `./.data`): embedded PostgreSQL in `<dir>/postgres`, JWT secret file;
 * - `DATABASE_URL`: an external PostgreSQL instead of the embedded one;
 * - `EVENTSTORE_CONNECTION_STRING`: events in EventStoreDB instead of PostgreSQL;
 * - `LEDGER_JWT_SECRET`: the token secret (else the file the server keeps in the data dir);
 * - `LEDGER_RULESETS_DIR`: rule sets replacing the shipped ones.
 */
export interface CliConfig {
  dataDir: string;
  env: NodeJS.ProcessEnv;
}

export function cliConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CliConfig {
  return { dataDir: resolve(env.LEDGER_DATA_DIR?.trim() || '.data'), env };
}

/** The environment the platform's `databaseConfigFromEnv` reads, with the embedded cluster under the data dir. */
export function databaseEnv(config: CliConfig): NodeJS.ProcessEnv {
  return { ...config.env, EMBEDDED_PG_DATA_DIR: config.env.EMBEDDED_PG_DATA_DIR ?? join(config.dataDir, 'postgres') };
}

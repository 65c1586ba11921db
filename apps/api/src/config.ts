import { join, resolve } from 'node:path';
import { databaseConfigFromEnv, type DatabaseConfig } from '@cadre-ledger/platform';

/**
 * Every variable `npm start` reads, with its default (the report to the README owner lists them):
 * LEDGER_DATA_DIR, PORT, HOST, LEDGER_JWT_SECRET, DATABASE_URL, EVENTSTORE_CONNECTION_STRING,
 * LEDGER_RULESETS_DIR, LOG_LEVEL, KAFKA_BROKERS, and the platform's EMBEDDED_PG_* for the embedded server.
 */
export interface ServerConfig {
  dataDir: string;
  port: number;
  host: string;
  jwtSecret: string | undefined;
  database: DatabaseConfig;
  eventStoreConnectionString: string | undefined;
  ruleSetsDir: string | undefined;
  logLevel: string;
  /** `KAFKA_BROKERS` (comma-separated): publish every event and eligibility change; unset, no Kafka. */
  kafkaBrokers: string[];
}

export const DEFAULT_DATA_DIR = '.data';
export const DEFAULT_PORT = 3000;

export function serverConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const dataDir = resolve(env.LEDGER_DATA_DIR?.trim() || DEFAULT_DATA_DIR);
  const port = Number.parseInt(env.PORT ?? String(DEFAULT_PORT), 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT is not a TCP port: ${env.PORT}`);
  return {
    dataDir,
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    jwtSecret: env.LEDGER_JWT_SECRET || undefined,
    // The embedded PostgreSQL lives inside the data dir unless EMBEDDED_PG_DATA_DIR says otherwise.
    database: databaseConfigFromEnv({ ...env, EMBEDDED_PG_DATA_DIR: env.EMBEDDED_PG_DATA_DIR ?? join(dataDir, 'postgres') }),
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING?.trim() || undefined,
    ruleSetsDir: env.LEDGER_RULESETS_DIR?.trim() || undefined,
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    kafkaBrokers: (env.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter((b) => b.length > 0),
  };
}

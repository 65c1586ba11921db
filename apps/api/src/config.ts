import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { databaseConfigFromEnv, type DatabaseConfig } from '@cadre-ledger/platform';
import { DEFAULT_MAX_STREAM_EVENTS } from '@cadre-ledger/application';
import { isLocalDate } from '@cadre-ledger/domain';
import type { ApiOptions } from './tokens';
import { hashAlgorithmFromEnv, type HashAlgorithm } from '@cadre-ledger/event-store';

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
  /** `LEDGER_EVALUATION_THREADS`: worker threads for long histories (0: evaluate in place). */
  evaluationThreads: number;
  /** `LEDGER_MAX_CONNECTIONS`: open HTTP connections beyond this are refused. */
  maxConnections: number;
  api: Partial<ApiOptions>;
  /** `LEDGER_HASH_ALGORITHM` for a store created now: sha256 (default) or sm3. */
  hashAlgorithm: HashAlgorithm | undefined;
  /** The tree-head signing key: `LEDGER_SIGNING_KEY` (PEM) or `LEDGER_SIGNING_KEY_FILE`; else one generated in the data dir. */
  signingKeyPem: string | undefined;
  signingKeyFile: string | undefined;
  /** `LEDGER_HEAD_INTERVAL_SECONDS`: a head is signed at most this long after an append. */
  headIntervalSeconds: number;
  /** `LEDGER_HEADS_FILE` (default `<dataDir>/heads.ndjson`, `off` for none): every signed head is appended here too, one JSON line each. */
  headsFile: string | undefined;
  ledger: { maxStreamEvents: number; earliestDate: string; quotaClaimLeaseMs: number };
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
    maxConnections: whole(env, 'LEDGER_MAX_CONNECTIONS', 1000, 1),
    evaluationThreads: whole(env, 'LEDGER_EVALUATION_THREADS', Math.min(2, availableParallelism()), 0),
    api: {
      idempotencyLeaseSeconds: whole(env, 'LEDGER_IDEMPOTENCY_LEASE_SECONDS', 30, 1),
      smallCountThreshold: whole(env, 'LEDGER_SMALL_COUNT_THRESHOLD', 5, 0),
      bodyTimeoutMs: whole(env, 'LEDGER_BODY_TIMEOUT_MS', 10_000, 100),
    },
    hashAlgorithm: hashAlgorithmFromEnv(env),
    signingKeyPem: env.LEDGER_SIGNING_KEY?.trim() || undefined,
    signingKeyFile: env.LEDGER_SIGNING_KEY_FILE?.trim() || undefined,
    headIntervalSeconds: whole(env, 'LEDGER_HEAD_INTERVAL_SECONDS', 10, 1),
    headsFile: headsFile(env.LEDGER_HEADS_FILE, dataDir),
    ledger: {
      maxStreamEvents: whole(env, 'LEDGER_MAX_STREAM_EVENTS', DEFAULT_MAX_STREAM_EVENTS, 1),
      earliestDate: date(env, 'LEDGER_EARLIEST_DATE', '1900-01-01'),
      quotaClaimLeaseMs: whole(env, 'LEDGER_QUOTA_CLAIM_LEASE_SECONDS', 600, 1) * 1000,
    },
  };
}

function headsFile(value: string | undefined, dataDir: string): string | undefined {
  const text = value?.trim();
  if (text === 'off') return undefined;
  return text ? resolve(text) : join(dataDir, 'heads.ndjson');
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be a whole number from ${min} on, got ${JSON.stringify(text)}`);
  return value;
}


function date(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const text = env[name]?.trim();
  if (!text) return fallback;
  if (!isLocalDate(text)) throw new Error(`${name} must be a YYYY-MM-DD date, got ${JSON.stringify(text)}`);
  return text;
}

import type { Migration } from '@cadre-ledger/platform';

/** Namespace of the API's rows in `schema_migrations`. */
export const API_MIGRATIONS_NAMESPACE = 'api';

/**
 * `Idempotency-Key`s live in PostgreSQL so that a replay finds its first answer after a restart,
 * and whichever event store holds the events. A key belongs to the token's `sub`: two callers never
 * see each other's answers. `status` is null while the first request is being served.
 */
export const apiMigrations: Migration[] = [
  {
    version: 1,
    name: 'idempotency keys',
    sql: `
CREATE TABLE api_idempotency_keys (
  actor text NOT NULL,
  key text NOT NULL,
  fingerprint text NOT NULL,
  status integer,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  completed_at timestamptz,
  PRIMARY KEY (actor, key)
)`,
  },
  {
    version: 2,
    name: 'idempotency key leases',
    // A key in progress is held until lease_until; after that a retry takes it over. NULL (keys
    // claimed before leases existed) counts as expired, so no key stays stuck.
    sql: 'ALTER TABLE api_idempotency_keys ADD COLUMN lease_until timestamptz',
  },
  {
    version: 3,
    name: 'import jobs',
    // One row per upload (POST /v1/imports): its progress while it runs, its report when done. A
    // running job's process beats every few seconds; one whose beat stopped was interrupted.
    sql: `CREATE TABLE api_import_jobs (
  id uuid PRIMARY KEY,
  actor text NOT NULL,
  file_name text NOT NULL,
  file_sha256 text NOT NULL,
  mode text NOT NULL,
  partial boolean NOT NULL,
  status text NOT NULL,
  phase text,
  done integer NOT NULL DEFAULT 0,
  total integer NOT NULL DEFAULT 0,
  report jsonb,
  error text,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  heartbeat_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at timestamptz
)`,
  },
];

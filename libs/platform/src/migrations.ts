import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { withClient } from './pg-faults';

/** One versioned schema change. Never edit one that has shipped: add the next version instead. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface MigrationReport {
  applied: number[];
  alreadyApplied: number[];
}

/**
 * One lock for every migration namespace: start-up is rare, and one lock means two processes
 * never interleave DDL on the same database, whichever library's migrations they run.
 */
export const MIGRATION_LOCK_KEY = 'cadre-ledger:migrations';

/**
 * Applies the missing `migrations` of `namespace` in version order, each in its own transaction
 * together with its bookkeeping row. Idempotent, and safe when several processes start at once: a
 * session-level advisory lock makes them take turns, and whoever comes second finds the work done.
 * A migration whose text changed after it was applied is refused rather than silently skipped.
 */
export async function runMigrations(pool: Pool, namespace: string, migrations: readonly Migration[]): Promise<MigrationReport> {
  assertWellFormed(namespace, migrations);
  return withClient(pool, async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK_KEY]);
    try {
      return await applyMissing(client, namespace, migrations);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  });
}

async function applyMissing(client: PoolClient, namespace: string, migrations: readonly Migration[]): Promise<MigrationReport> {
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    namespace text NOT NULL,
    version integer NOT NULL,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (namespace, version)
  )`);
  const { rows } = await client.query<{ version: number; checksum: string }>(
    'SELECT version, checksum FROM schema_migrations WHERE namespace = $1',
    [namespace],
  );
  const applied = new Map(rows.map((row) => [row.version, row.checksum]));
  const report: MigrationReport = { applied: [], alreadyApplied: [] };
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    const checksum = checksumOf(migration);
    const stored = applied.get(migration.version);
    if (stored !== undefined) {
      if (stored !== checksum) {
        throw new Error(`${namespace} migration ${migration.version} (${migration.name}) changed after it was applied; add a new version instead`);
      }
      report.alreadyApplied.push(migration.version);
      continue;
    }
    await client.query('BEGIN');
    try {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (namespace, version, name, checksum) VALUES ($1, $2, $3, $4)', [
        namespace,
        migration.version,
        migration.name,
        checksum,
      ]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    report.applied.push(migration.version);
  }
  return report;
}

function checksumOf(migration: Migration): string {
  return createHash('sha256').update(migration.sql, 'utf8').digest('hex');
}

function assertWellFormed(namespace: string, migrations: readonly Migration[]): void {
  const seen = new Set<number>();
  for (const migration of migrations) {
    if (!Number.isInteger(migration.version) || migration.version <= 0) {
      throw new Error(`${namespace} migration ${migration.name}: version must be a positive integer`);
    }
    if (seen.has(migration.version)) throw new Error(`${namespace}: two migrations share version ${migration.version}`);
    seen.add(migration.version);
  }
}

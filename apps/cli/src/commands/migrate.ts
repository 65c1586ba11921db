import type { Command } from 'commander';
import { runMigrations } from '@cadre-ledger/platform';
import { migrateReadModels } from '@cadre-ledger/projections';
import { API_MIGRATIONS_NAMESPACE, apiMigrations } from '../../../api/src/idempotency/idempotency.schema';
import { withLedger } from '../context';
import { write, writeJson } from '../output';

/**
 * `ledger migrate`: every schema migration of the ledger's PostgreSQL (events when they live there,
 * idempotency keys, read models, transparency log and read audit), then exit. The deployment's
 * migration Job runs it before the services start; the services run the same migrations at start
 * (idempotent, one at a time behind an advisory lock), so it is an ordering aid, not a requirement.
 */
export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply every schema migration to the configured PostgreSQL and exit')
    .option('--json', 'as JSON')
    .action(async (options: { json?: boolean }) => {
      // Opening the context migrates the event store (PostgreSQL) and the audit tables.
      await withLedger(async ({ pool }) => {
        const api = await runMigrations(pool, API_MIGRATIONS_NAMESPACE, apiMigrations);
        const readModels = await migrateReadModels(pool);
        const { rows } = await pool.query<{ namespace: string; version: number }>('SELECT namespace, max(version)::int AS version FROM schema_migrations GROUP BY namespace ORDER BY namespace');
        const applied = api.applied.length + readModels.applied.length;
        if (options.json) return writeJson({ versions: Object.fromEntries(rows.map((r) => [r.namespace, r.version])), appliedNow: { api: api.applied, readModels: readModels.applied } });
        await write(`schema up to date (${rows.map((r) => `${r.namespace} v${r.version}`).join(', ')}); ${applied} migration(s) applied now\n`);
      });
    });
}

import type { Pool, PoolClient } from 'pg';
import { runMigrations, type MigrationReport } from '@cadre-ledger/platform';
import type { Described, TableComment } from '../read-model';
import { ELIGIBILITY_COMMENT } from '../eligibility/eligibility';
import { PROMOTION_LOCKS_COMMENT } from '../promotion-locks/promotion-locks';
import { ADJUSTMENT_CASES_COMMENT, TOLERANCE_CASES_COMMENT } from '../cases/cases';
import { MECHANISM_TOUCHES_COMMENT, STATS_VIEW_COLUMNS, STATS_VIEW_COMMENT } from '../mechanism-touches/mechanism-touches';
import { CADRES_COMMENT, CADRE_UNITS_COMMENT, UNITS_COMMENT } from '../directory/directory';
import { FACTS_COMMENT } from '../facts/facts';
import { CONFLICTS_VIEW_COMMENT, PROMOTION_CONFLICTS_COMMENT } from '../promotion-conflicts/promotion-conflicts';
import { READ_MODEL_MIGRATIONS_NAMESPACE, readModelMigrations } from './schema';

/**
 * What every table and column of the schema `reporting` holds, in Chinese and in English, for the
 * BI analyst who finds them with `\d+` or a tool's catalogue browser: each read model's own, from
 * its folder. Applied after the migrations at every start (idempotent) and to a rebuild's fresh
 * tables, so that a comment is never lost; a test checks that every table and column has one and
 * that no entry names a column that is gone.
 */
export const READ_MODEL_COMMENTS: Record<string, TableComment> = {
  cadre_eligibility: ELIGIBILITY_COMMENT,
  promotion_locks: PROMOTION_LOCKS_COMMENT,
  tolerance_cases: TOLERANCE_CASES_COMMENT,
  adjustment_cases: ADJUSTMENT_CASES_COMMENT,
  mechanism_touches: MECHANISM_TOUCHES_COMMENT,
  cadre_units: CADRE_UNITS_COMMENT,
  cadres: CADRES_COMMENT,
  units: UNITS_COMMENT,
  facts: FACTS_COMMENT,
  promotion_conflicts: PROMOTION_CONFLICTS_COMMENT,
};

export const VIEW_COMMENTS: Record<string, TableComment> = {
  mechanism_stats: { table: STATS_VIEW_COMMENT, columns: STATS_VIEW_COLUMNS },
  promotion_conflicts_per_unit_year: CONFLICTS_VIEW_COMMENT,
};

const text = ([zh, en]: Described) => `${zh} / ${en}`;

/** COMMENT ON every table and column of `reporting` (the `_next` copies of a rebuild with `suffix`). */
export async function applyReadModelComments(client: Pool | PoolClient, suffix = ''): Promise<void> {
  const statements: string[] = [];
  const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
  for (const [table, comment] of Object.entries(READ_MODEL_COMMENTS)) {
    statements.push(`COMMENT ON TABLE reporting.${table}${suffix} IS ${literal(text(comment.table))}`);
    for (const [column, described] of Object.entries(comment.columns)) statements.push(`COMMENT ON COLUMN reporting.${table}${suffix}.${column} IS ${literal(text(described))}`);
  }
  if (suffix === '') {
    for (const [view, comment] of Object.entries(VIEW_COMMENTS)) {
      statements.push(`COMMENT ON VIEW reporting.${view} IS ${literal(text(comment.table))}`);
      for (const [column, described] of Object.entries(comment.columns)) statements.push(`COMMENT ON COLUMN reporting.${view}.${column} IS ${literal(text(described))}`);
    }
  }
  await client.query(statements.join(';\n'));
}

/** The read models' migrations, then their comments: what every process runs at start. */
export async function migrateReadModels(pool: Pool): Promise<MigrationReport> {
  const report = await runMigrations(pool, READ_MODEL_MIGRATIONS_NAMESPACE, readModelMigrations);
  await applyReadModelComments(pool);
  return report;
}

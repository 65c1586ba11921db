import type { PoolClient } from 'pg';
import type { CadreRows } from '../cadre-rows';
import { insertEligibility } from '../eligibility/eligibility';
import { insertLocks } from '../promotion-locks/promotion-locks';
import { insertAdjustmentCases, insertToleranceCases } from '../cases/cases';
import { insertTouches } from '../mechanism-touches/mechanism-touches';
import { insertCadreUnits, insertProfiles } from '../directory/directory';
import { insertConflicts } from '../promotion-conflicts/promotion-conflicts';
import { insertFacts } from '../facts/facts';

/** Every table a cadre has rows in. */
const CADRE_TABLES = ['cadre_eligibility', 'promotion_locks', 'tolerance_cases', 'mechanism_touches', 'adjustment_cases', 'cadres', 'facts', 'cadre_units', 'promotion_conflicts'] as const;

/**
 * Replaces everything one cadre contributes to the read models (delete, then insert): applying
 * the same rows twice leaves the tables as applying them once, so handlers are idempotent.
 */
export async function replaceCadreRows(client: PoolClient, cadreId: string, rows: CadreRows | null, suffix = ''): Promise<void> {
  await replaceManyCadreRows(client, [[cadreId, rows]], suffix);
}

/**
 * `replaceCadreRows` for many cadres at once: one DELETE and one INSERT per table whatever the
 * number of cadres (a projector batch or a rebuild page writes hundreds), the rows as arrays.
 * `fresh`: the tables hold none of these cadres yet (a rebuild's own tables): nothing to delete.
 */
export async function replaceManyCadreRows(client: PoolClient, entries: readonly (readonly [string, CadreRows | null])[], suffix = '', fresh = false): Promise<void> {
  if (entries.length === 0) return;
  const t = (table: string) => `reporting.${table}${suffix}`;
  if (!fresh) {
    const ids = entries.map(([cadreId]) => cadreId);
    for (const table of CADRE_TABLES) await client.query(`DELETE FROM ${t(table)} WHERE cadre_id = ANY($1::text[])`, [ids]);
  }
  const all = entries.flatMap(([, rows]) => (rows ? [rows] : []));
  if (all.length === 0) return;
  await insertEligibility(client, t('cadre_eligibility'), all.map((r) => r.eligibility));
  await insertLocks(client, t('promotion_locks'), all.flatMap((r) => r.locks));
  await insertToleranceCases(client, t('tolerance_cases'), all.flatMap((r) => r.toleranceCases));
  await insertAdjustmentCases(client, t('adjustment_cases'), all.flatMap((r) => r.adjustmentCases));
  await insertTouches(client, t('mechanism_touches'), all.flatMap((r) => r.touches));
  await insertCadreUnits(client, t('cadre_units'), entries.flatMap(([cadreId, rows]) => (rows ? rows.units.map((unitId) => ({ unitId, cadreId })) : [])));
  await insertProfiles(client, t('cadres'), all.map((r) => r.profile));
  await insertConflicts(client, t('promotion_conflicts'), all.flatMap((r) => r.conflicts));
  await insertFacts(client, t('facts'), all.flatMap((r) => r.facts));
}

import type { Pool } from 'pg';

/**
 * md5 over every read-model row (of the cadres whose id starts with `cadrePrefix`), in a stable
 * order: two projections agree exactly when their checksums do.
 */
export async function readModelChecksum(pool: Pool, cadrePrefix = ''): Promise<string> {
  const mine = `WHERE cadre_id LIKE $1 || '%'`;
  const { rows } = await pool.query<{ sum: string }>(
    `SELECT md5(
    coalesce((SELECT string_agg(to_jsonb(t)::text, '|' ORDER BY cadre_id) FROM reporting.cadre_eligibility t ${mine}), '') ||
    coalesce((SELECT string_agg(to_jsonb(t)::text, '|' ORDER BY cadre_id, lock_id) FROM reporting.promotion_locks t ${mine}), '') ||
    coalesce((SELECT string_agg(to_jsonb(t)::text, '|' ORDER BY cadre_id, case_id) FROM reporting.tolerance_cases t ${mine}), '') ||
    coalesce((SELECT string_agg(to_jsonb(t)::text, '|' ORDER BY cadre_id, year, unit_id, mechanism) FROM reporting.mechanism_touches t ${mine}), '') ||
    coalesce((SELECT string_agg(to_jsonb(t)::text, '|' ORDER BY unit_id, cadre_id) FROM reporting.cadre_units t ${mine}), '') ||
    coalesce((SELECT string_agg(to_jsonb(t)::text, '|' ORDER BY cadre_id, case_id) FROM reporting.adjustment_cases t ${mine}), '') ||
    coalesce((SELECT string_agg(to_jsonb(t)::text, '|' ORDER BY cadre_id) FROM reporting.cadres t ${mine}), '') ||
    coalesce((SELECT string_agg(to_jsonb(t)::text, '|' ORDER BY event_id) FROM reporting.facts t ${mine}), '') ||
    -- Units have no cadre: counted only when every cadre is.
    coalesce((SELECT string_agg(to_jsonb(t)::text, '|' ORDER BY unit_id) FROM reporting.units t WHERE $1 = ''), '')) AS sum`,
    [cadrePrefix],
  );
  return rows[0].sum;
}

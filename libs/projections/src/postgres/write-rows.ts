import type { PoolClient } from 'pg';
import type { CadreRows, UnitRow } from '../rows';

/**
 * Replaces everything one cadre contributes to the read models (delete, then insert): applying
 * the same rows twice leaves the tables as applying them once, so handlers are idempotent.
 */
export async function replaceCadreRows(client: PoolClient, cadreId: string, rows: CadreRows | null, suffix = ''): Promise<void> {
  for (const table of ['cadre_eligibility', 'promotion_locks', 'tolerance_cases', 'mechanism_touches', 'adjustment_cases', 'cadres', 'facts']) {
    await client.query(`DELETE FROM reporting.${table}${suffix} WHERE cadre_id = $1`, [cadreId]);
  }
  await client.query(`DELETE FROM reporting.cadre_units${suffix} WHERE cadre_id = $1`, [cadreId]);
  if (!rows) return;
  const e = rows.eligibility;
  const v = e.verdict;
  await client.query(
    `INSERT INTO reporting.cadre_eligibility${suffix} (cadre_id, unit_id, jurisdiction, as_of, promotable, next_lock_end, locks, priorities,
       review_triggers, conditions, benefits, verdict, revision) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
    [e.cadreId, e.unitId, e.jurisdiction, e.asOf, e.promotable, e.nextLockEnd, json(v.locks), json(v.priorities),
      json(v.reviewTriggers), json(v.conditions), json(v.benefits), json(v), e.revision],
  );
  if (rows.locks.length > 0) {
    await client.query(
      `INSERT INTO reporting.promotion_locks${suffix} (cadre_id, lock_id, unit_id, kind, rule_id, from_date, until_date, source_event_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::date[], $8::text[])`,
      columns(rows.locks, ['cadreId', 'lockId', 'unitId', 'kind', 'ruleId', 'from', 'until', 'sourceEventId']),
    );
  }
  if (rows.toleranceCases.length > 0) {
    await client.query(
      `INSERT INTO reporting.tolerance_cases${suffix} (cadre_id, case_id, unit_id, situation, step, outcome, requested_on, last_step_on, days_waiting)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::date[], $9::int[])`,
      columns(rows.toleranceCases, ['cadreId', 'caseId', 'unitId', 'situation', 'step', 'outcome', 'requestedOn', 'lastStepOn', 'daysWaiting']),
    );
  }
  if (rows.adjustmentCases.length > 0) {
    await client.query(
      `INSERT INTO reporting.adjustment_cases${suffix} (cadre_id, case_id, unit_id, triggers, step, approved, reported_on, last_step_on, days_waiting)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::text[], $6::boolean[], $7::date[], $8::date[], $9::int[])`,
      columns(rows.adjustmentCases.map((c) => ({ ...c, triggers: json(c.triggers) })), ['cadreId', 'caseId', 'unitId', 'triggers', 'step', 'approved', 'reportedOn', 'lastStepOn', 'daysWaiting']),
    );
  }
  if (rows.touches.length > 0) {
    await client.query(
      `INSERT INTO reporting.mechanism_touches${suffix} (cadre_id, year, unit_id, mechanism)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[])`,
      columns(rows.touches, ['cadreId', 'year', 'unitId', 'mechanism']),
    );
  }
  await client.query(`INSERT INTO reporting.cadre_units${suffix} (unit_id, cadre_id) SELECT unnest($1::text[]), $2`, [rows.units, cadreId]);
  const p = rows.profile;
  await client.query(
    `INSERT INTO reporting.cadres${suffix} (cadre_id, name, unit_id, jurisdiction, title, position_level, leadership, principal, party_secretary,
       portfolios, managed_by, position_since, registered_on, revision, name_pinyin, name_initials, unit_name)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)`,
    [p.cadreId, p.name, p.unitId, p.jurisdiction, p.position?.title ?? null, p.position?.level ?? null, p.position?.leadership ?? null,
      p.position?.principal ?? false, p.position?.partySecretary ?? false, json(p.position?.portfolios ?? []), p.managedBy, p.positionSince,
      p.registeredOn, p.revision, p.namePinyin, p.nameInitials, p.unitName],
  );
  if (rows.facts.length > 0) {
    await client.query(
      `INSERT INTO reporting.facts${suffix} (event_id, cadre_id, revision, type, effective_at, recorded_at, unit_id, kind, document_ref, actor, retracted)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::date[], $6::timestamptz[], $7::text[], $8::text[], $9::text[], $10::text[], $11::boolean[])`,
      columns(rows.facts, ['eventId', 'cadreId', 'revision', 'type', 'effectiveAt', 'recordedAt', 'unitId', 'kind', 'documentRef', 'actor', 'retracted']),
    );
  }
}

/**
 * Writes a registered unit's directory row (registration happens once: a repeat writes the same
 * row), with its place in the hierarchy taken from its parent's row: a parent is registered before
 * its children, so in global order its row is always there first.
 */
export async function replaceUnitRow(client: PoolClient, row: UnitRow, suffix = ''): Promise<void> {
  await client.query(
    `INSERT INTO reporting.units${suffix} (unit_id, name, level, parent_unit_id, jurisdiction, registered_on, effective_level, path_ids, path_names)
     SELECT $1, $2, $3, $4, $5, $6,
            CASE WHEN $3 = 'department' THEN coalesce(p.effective_level, p.level, 'department') ELSE $3 END,
            coalesce(p.path_ids, '{}') || $1::text, coalesce(p.path_names, '{}') || $2::text
     FROM (SELECT 1) AS one LEFT JOIN reporting.units${suffix} p ON p.unit_id = $4
     ON CONFLICT (unit_id) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, parent_unit_id = EXCLUDED.parent_unit_id,
       jurisdiction = EXCLUDED.jurisdiction, registered_on = EXCLUDED.registered_on, effective_level = EXCLUDED.effective_level,
       path_ids = EXCLUDED.path_ids, path_names = EXCLUDED.path_names`,
    [row.unitId, row.name, row.level, row.parentUnitId, row.jurisdiction, row.registeredOn],
  );
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

function columns<T>(rows: T[], keys: (keyof T)[]): unknown[][] {
  return keys.map((k) => rows.map((r) => r[k] ?? null));
}

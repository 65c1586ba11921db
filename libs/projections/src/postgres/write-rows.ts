import type { PoolClient } from 'pg';
import type { CadreRows, UnitRow } from '../rows';

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
  const eligibility = all.map((r) => r.eligibility);
  await client.query(
    `INSERT INTO ${t('cadre_eligibility')} (cadre_id, unit_id, jurisdiction, as_of, promotable, next_lock_end, locks, priorities,
       review_triggers, conditions, benefits, verdict, revision)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::boolean[], $6::date[], $7::jsonb[], $8::jsonb[],
       $9::jsonb[], $10::jsonb[], $11::jsonb[], $12::jsonb[], $13::bigint[])`,
    [
      eligibility.map((e) => e.cadreId),
      eligibility.map((e) => e.unitId),
      eligibility.map((e) => e.jurisdiction),
      eligibility.map((e) => e.asOf),
      eligibility.map((e) => e.promotable),
      eligibility.map((e) => e.nextLockEnd),
      eligibility.map((e) => json(e.verdict.locks)),
      eligibility.map((e) => json(e.verdict.priorities)),
      eligibility.map((e) => json(e.verdict.reviewTriggers)),
      eligibility.map((e) => json(e.verdict.conditions)),
      eligibility.map((e) => json(e.verdict.benefits)),
      eligibility.map((e) => json(e.verdict)),
      eligibility.map((e) => e.revision),
    ],
  );
  const locks = all.flatMap((r) => r.locks);
  if (locks.length > 0) {
    await client.query(
      `INSERT INTO ${t('promotion_locks')} (cadre_id, lock_id, unit_id, kind, rule_id, from_date, until_date, source_event_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::date[], $8::text[])`,
      columns(locks, ['cadreId', 'lockId', 'unitId', 'kind', 'ruleId', 'from', 'until', 'sourceEventId']),
    );
  }
  const toleranceCases = all.flatMap((r) => r.toleranceCases);
  if (toleranceCases.length > 0) {
    await client.query(
      `INSERT INTO ${t('tolerance_cases')} (cadre_id, case_id, unit_id, situation, step, outcome, requested_on, last_step_on, days_waiting)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::date[], $9::int[])`,
      columns(toleranceCases, ['cadreId', 'caseId', 'unitId', 'situation', 'step', 'outcome', 'requestedOn', 'lastStepOn', 'daysWaiting']),
    );
  }
  const adjustmentCases = all.flatMap((r) => r.adjustmentCases);
  if (adjustmentCases.length > 0) {
    await client.query(
      `INSERT INTO ${t('adjustment_cases')} (cadre_id, case_id, unit_id, triggers, step, approved, reported_on, last_step_on, days_waiting)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::text[], $6::boolean[], $7::date[], $8::date[], $9::int[])`,
      columns(adjustmentCases.map((c) => ({ ...c, triggers: json(c.triggers) })), ['cadreId', 'caseId', 'unitId', 'triggers', 'step', 'approved', 'reportedOn', 'lastStepOn', 'daysWaiting']),
    );
  }
  const touches = all.flatMap((r) => r.touches);
  if (touches.length > 0) {
    await client.query(
      `INSERT INTO ${t('mechanism_touches')} (cadre_id, year, unit_id, mechanism)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[])`,
      columns(touches, ['cadreId', 'year', 'unitId', 'mechanism']),
    );
  }
  const memberships = entries.flatMap(([cadreId, rows]) => (rows ? rows.units.map((unitId) => ({ unitId, cadreId })) : []));
  if (memberships.length > 0) {
    await client.query(`INSERT INTO ${t('cadre_units')} (unit_id, cadre_id) SELECT * FROM unnest($1::text[], $2::text[])`, columns(memberships, ['unitId', 'cadreId']));
  }
  const profiles = all.map((r) => r.profile);
  await client.query(
    `INSERT INTO ${t('cadres')} (cadre_id, name, unit_id, jurisdiction, title, position_level, leadership, principal, party_secretary,
       portfolios, managed_by, position_since, registered_on, revision, name_pinyin, name_initials, unit_name)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::boolean[], $9::boolean[],
       $10::jsonb[], $11::text[], $12::date[], $13::date[], $14::bigint[], $15::text[], $16::text[], $17::text[])`,
    [
      profiles.map((p) => p.cadreId),
      profiles.map((p) => p.name),
      profiles.map((p) => p.unitId),
      profiles.map((p) => p.jurisdiction),
      profiles.map((p) => p.position?.title ?? null),
      profiles.map((p) => p.position?.level ?? null),
      profiles.map((p) => p.position?.leadership ?? null),
      profiles.map((p) => p.position?.principal ?? false),
      profiles.map((p) => p.position?.partySecretary ?? false),
      profiles.map((p) => json(p.position?.portfolios ?? [])),
      profiles.map((p) => p.managedBy),
      profiles.map((p) => p.positionSince),
      profiles.map((p) => p.registeredOn),
      profiles.map((p) => p.revision),
      profiles.map((p) => p.namePinyin),
      profiles.map((p) => p.nameInitials),
      profiles.map((p) => p.unitName),
    ],
  );
  const conflicts = all.flatMap((r) => r.conflicts);
  if (conflicts.length > 0) {
    await client.query(
      `INSERT INTO ${t('promotion_conflicts')} (cadre_id, promotion_event_id, lock_id, unit_id, promoted_on, promotion_recorded_at, kind, rule_id,
         from_date, until_date, source_event_id, citation, known_at_promotion, lock_recorded_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::timestamptz[], $7::text[], $8::text[],
         $9::date[], $10::date[], $11::text[], $12::jsonb[], $13::boolean[], $14::timestamptz[])`,
      columns(conflicts.map((c) => ({ ...c, citation: json(c.citation) })), [
        'cadreId', 'promotionEventId', 'lockId', 'unitId', 'promotedOn', 'promotionRecordedAt', 'kind', 'ruleId',
        'from', 'until', 'sourceEventId', 'citation', 'knownAtPromotion', 'lockRecordedAt',
      ]),
    );
  }
  const facts = all.flatMap((r) => r.facts);
  if (facts.length > 0) {
    await client.query(
      `INSERT INTO ${t('facts')} (event_id, cadre_id, revision, type, effective_at, recorded_at, unit_id, kind, document_ref, actor, retracted)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::date[], $6::timestamptz[], $7::text[], $8::text[], $9::text[], $10::text[], $11::boolean[])`,
      columns(facts, ['eventId', 'cadreId', 'revision', 'type', 'effectiveAt', 'recordedAt', 'unitId', 'kind', 'documentRef', 'actor', 'retracted']),
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

/**
 * Writes many units' directory rows at once into tables that hold none of them (a rebuild's own):
 * the hierarchy (effective level, path of ids and names) computed here as `replaceUnitRow`
 * computes it from the parent's row, parents first.
 */
export async function insertUnitRows(client: PoolClient, rows: readonly UnitRow[], suffix: string): Promise<void> {
  const byId = new Map(rows.map((row) => [row.unitId, row]));
  const placed = new Map<string, { effectiveLevel: string; pathIds: string[]; pathNames: string[] }>();
  const place = (row: UnitRow, seen: Set<string>): { effectiveLevel: string; pathIds: string[]; pathNames: string[] } => {
    const done = placed.get(row.unitId);
    if (done) return done;
    const parentRow = row.parentUnitId !== null && !seen.has(row.parentUnitId) ? byId.get(row.parentUnitId) : undefined;
    const parent = parentRow ? place(parentRow, new Set([...seen, row.unitId])) : undefined;
    const at = {
      effectiveLevel: row.level === 'department' ? (parent?.effectiveLevel ?? 'department') : row.level,
      pathIds: [...(parent?.pathIds ?? []), row.unitId],
      pathNames: [...(parent?.pathNames ?? []), row.name],
    };
    placed.set(row.unitId, at);
    return at;
  };
  const all = rows.map((row) => ({ ...row, ...place(row, new Set()) }));
  for (let from = 0; from < all.length; from += 5000) {
    const page = all.slice(from, from + 5000);
    await client.query(
      `INSERT INTO reporting.units${suffix} (unit_id, name, level, parent_unit_id, jurisdiction, registered_on, effective_level, path_ids, path_names)
       SELECT u.unit_id, u.name, u.level, u.parent_unit_id, u.jurisdiction, u.registered_on, u.effective_level,
              ARRAY(SELECT jsonb_array_elements_text(u.path_ids)), ARRAY(SELECT jsonb_array_elements_text(u.path_names))
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[], $8::jsonb[], $9::jsonb[])
         AS u(unit_id, name, level, parent_unit_id, jurisdiction, registered_on, effective_level, path_ids, path_names)`,
      [
        page.map((u) => u.unitId),
        page.map((u) => u.name),
        page.map((u) => u.level),
        page.map((u) => u.parentUnitId),
        page.map((u) => u.jurisdiction),
        page.map((u) => u.registeredOn),
        page.map((u) => u.effectiveLevel),
        page.map((u) => json(u.pathIds)),
        page.map((u) => json(u.pathNames)),
      ],
    );
  }
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

function columns<T>(rows: T[], keys: (keyof T)[]): unknown[][] {
  return keys.map((k) => rows.map((r) => r[k] ?? null));
}

import type { Pool } from 'pg';
import { ADJUSTMENT_PROCEDURE, TOLERANCE_PROCEDURE, finalStep, type Citation, type LocalDate } from '@cadre-ledger/domain';
import { CURSOR_PART, decodeCursor, page } from './cursor';
import type { UnitScope } from './queries';

/**
 * The lists a dashboard and an organization department work from (API.md, "Lists a dashboard
 * needs", "Units are registered"): registered units, open cases and the step each waits at,
 * locks ending soon. Keyset pagination everywhere: a cursor is the sort key of the last item.
 */

const scopeOf = (scope: UnitScope): string[] | null => (scope === '*' ? null : [...scope]);

export interface UnitItem {
  unitId: string;
  name: string;
  level: string;
  parentUnitId: string | null;
  jurisdiction: string;
  registeredOn: LocalDate;
}

export interface UnitDetail extends UnitItem {
  /** The cadre whose post in the unit is 主要负责人 today (the latest posted, should there be several), or null. */
  principalCadreId: string | null;
  principalName: string | null;
  /** 党委(党组)书记 today, where a post says so. */
  partySecretaryCadreId: string | null;
  /** Units registered with this one as their parent. */
  childUnitIds: string[];
}

type UnitRowSql = { unit_id: string; name: string; level: string; parent_unit_id: string | null; jurisdiction: string; registered_on: string };
const unitItem = (r: UnitRowSql): UnitItem => ({ unitId: r.unit_id, name: r.name, level: r.level, parentUnitId: r.parent_unit_id, jurisdiction: r.jurisdiction, registeredOn: r.registered_on });
const UNIT_COLUMNS = `unit_id, name, level, parent_unit_id, jurisdiction, to_char(registered_on, 'YYYY-MM-DD') AS registered_on`;

export async function listUnits(
  pool: Pool,
  query: { scope: UnitScope; parentUnitId?: string; q?: string; cursor?: string; limit: number },
): Promise<{ items: UnitItem[]; nextCursor: string | null }> {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor, [CURSOR_PART.identifier])[0];
  const { rows } = await pool.query<UnitRowSql>(
    `SELECT ${UNIT_COLUMNS} FROM reporting.units
     WHERE ($1::text[] IS NULL OR unit_id = ANY($1))
       AND ($2::text IS NULL OR parent_unit_id = $2)
       AND ($3::text IS NULL OR strpos(name, $3) > 0 OR strpos(lower(unit_id), lower($3)) > 0)
       AND ($4::text IS NULL OR unit_id > $4)
     ORDER BY unit_id LIMIT $5`,
    [scopeOf(query.scope), query.parentUnitId ?? null, query.q ?? null, after, query.limit + 1],
  );
  return page(rows, query.limit, unitItem, (r) => [r.unit_id]);
}

/** One registered unit with today's principal; null when it was never registered. */
export async function unitDetail(pool: Pool, unitId: string): Promise<UnitDetail | null> {
  const { rows } = await pool.query<UnitRowSql & { principal_id: string | null; principal_name: string | null; secretary_id: string | null; children: string[] }>(
    `SELECT ${UNIT_COLUMNS},
       (SELECT cadre_id FROM reporting.cadres WHERE unit_id = $1 AND principal ORDER BY position_since DESC, cadre_id LIMIT 1) AS principal_id,
       (SELECT name FROM reporting.cadres WHERE unit_id = $1 AND principal ORDER BY position_since DESC, cadre_id LIMIT 1) AS principal_name,
       (SELECT cadre_id FROM reporting.cadres WHERE unit_id = $1 AND party_secretary ORDER BY position_since DESC, cadre_id LIMIT 1) AS secretary_id,
       ARRAY(SELECT c.unit_id FROM reporting.units c WHERE c.parent_unit_id = $1 ORDER BY c.unit_id) AS children
     FROM reporting.units WHERE unit_id = $1`,
    [unitId],
  );
  if (rows.length === 0) return null;
  const r = rows[0];
  return { ...unitItem(r), principalCadreId: r.principal_id, principalName: r.principal_name, partySecretaryCadreId: r.secretary_id, childUnitIds: r.children };
}

export const CASE_KINDS = ['tolerance', 'adjustment'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export interface CaseItem {
  kind: CaseKind;
  cadreId: string;
  name: string | null;
  unitId: string;
  caseId: string;
  /** The last step taken: the case waits for the next one. */
  step: string;
  openedOn: LocalDate;
  lastStepOn: LocalDate;
  /** Days from the last step to today. */
  daysWaiting: number;
  /** Tolerance: the situation code and, once decided, the outcome. */
  situation?: string;
  outcome?: string | null;
  /** Adjustment: the review triggers (rule ids) the case answers, and the approval once given. */
  triggers?: string[];
  approved?: boolean | null;
}

/** Open cases, longest waiting first: tolerance cases not yet filed, 第十五条 cases neither talked nor refused. */
export async function listCases(
  pool: Pool,
  query: { scope: UnitScope; kind?: CaseKind; step?: string; unitId?: string; cursor?: string; limit: number; today: LocalDate },
): Promise<{ items: CaseItem[]; nextCursor: string | null }> {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor, [CURSOR_PART.date, CURSOR_PART.word, CURSOR_PART.identifier, CURSOR_PART.identifier]);
  type Row = { kind: CaseKind; cadre_id: string; name: string | null; unit_id: string; case_id: string; step: string; opened_on: string; last_step_on: string; days: number; situation: string | null; outcome: string | null; triggers: string[] | null; approved: boolean | null };
  const { rows } = await pool.query<Row>(
    `SELECT c.kind, c.cadre_id, d.name, c.unit_id, c.case_id, c.step, to_char(c.opened_on, 'YYYY-MM-DD') AS opened_on,
            to_char(c.last_step_on, 'YYYY-MM-DD') AS last_step_on, greatest(0, $7::date - c.last_step_on) AS days,
            c.situation, c.outcome, c.triggers, c.approved
     FROM (
       SELECT 'adjustment' AS kind, cadre_id, case_id, unit_id, step, reported_on AS opened_on, last_step_on,
              NULL::text AS situation, NULL::text AS outcome, triggers, approved
         FROM reporting.adjustment_cases WHERE step <> '${finalStep(ADJUSTMENT_PROCEDURE)}' AND approved IS DISTINCT FROM false
       UNION ALL
       SELECT 'tolerance', cadre_id, case_id, unit_id, step, requested_on, last_step_on, situation, outcome, NULL::jsonb, NULL::boolean
         FROM reporting.tolerance_cases WHERE step <> '${finalStep(TOLERANCE_PROCEDURE)}'
     ) c LEFT JOIN reporting.cadres d USING (cadre_id)
     WHERE ($1::text[] IS NULL OR c.unit_id = ANY($1))
       AND ($2::text IS NULL OR c.kind = $2)
       AND ($3::text IS NULL OR c.step = $3)
       AND ($4::text IS NULL OR c.unit_id = $4)
       AND ($5::text[] IS NULL OR (c.last_step_on, c.kind, c.cadre_id, c.case_id) > ($5[1]::date, $5[2], $5[3], $5[4]))
     ORDER BY c.last_step_on, c.kind, c.cadre_id, c.case_id LIMIT $6`,
    [scopeOf(query.scope), query.kind ?? null, query.step ?? null, query.unitId ?? null, after, query.limit + 1, query.today],
  );
  return page(
    rows,
    query.limit,
    (r): CaseItem => ({
      kind: r.kind,
      cadreId: r.cadre_id,
      name: r.name,
      unitId: r.unit_id,
      caseId: r.case_id,
      step: r.step,
      openedOn: r.opened_on,
      lastStepOn: r.last_step_on,
      daysWaiting: r.days,
      ...(r.kind === 'tolerance' ? { situation: r.situation ?? '', outcome: r.outcome } : { triggers: r.triggers ?? [], approved: r.approved }),
    }),
    (r) => [r.last_step_on, r.kind, r.cadre_id, r.case_id],
  );
}

export interface LockItem {
  cadreId: string;
  name: string | null;
  unitId: string;
  lockId: string;
  kind: string;
  ruleId: string;
  from: LocalDate;
  until: LocalDate | null;
  sourceEventId: string;
  citation: Citation | null;
}

/** Locks in force today, soonest end first (open-ended last); `endingWithin`: only those ending within that many days. */
export async function listLocks(
  pool: Pool,
  query: { scope: UnitScope; unitId?: string; endingWithin?: number; cursor?: string; limit: number; today: LocalDate },
): Promise<{ items: LockItem[]; nextCursor: string | null }> {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor, [CURSOR_PART.optionalDate, CURSOR_PART.identifier, /^[\x21-\x7e]{1,200}$/]);
  type Row = { cadre_id: string; name: string | null; unit_id: string; lock_id: string; kind: string; rule_id: string; from_date: string; until_date: string | null; source_event_id: string; citation: Citation | null };
  const { rows } = await pool.query<Row>(
    `SELECT p.cadre_id, d.name, p.unit_id, p.lock_id, p.kind, p.rule_id, to_char(p.from_date, 'YYYY-MM-DD') AS from_date,
            to_char(p.until_date, 'YYYY-MM-DD') AS until_date, p.source_event_id,
            (SELECT l -> 'citation' FROM reporting.cadre_eligibility e, jsonb_array_elements(e.locks) l WHERE e.cadre_id = p.cadre_id AND l ->> 'lockId' = p.lock_id LIMIT 1) AS citation
     FROM reporting.promotion_locks p LEFT JOIN reporting.cadres d USING (cadre_id)
     WHERE p.from_date <= $6::date AND (p.until_date IS NULL OR p.until_date > $6::date)
       AND ($1::text[] IS NULL OR p.unit_id = ANY($1))
       AND ($2::text IS NULL OR p.unit_id = $2)
       AND ($3::int IS NULL OR p.until_date <= $6::date + $3::int)
       AND ($4::text[] IS NULL OR (coalesce(p.until_date, 'infinity'::date), p.cadre_id, p.lock_id) > (coalesce(nullif($4[1], '')::date, 'infinity'::date), $4[2], $4[3]))
     ORDER BY coalesce(p.until_date, 'infinity'::date), p.cadre_id, p.lock_id LIMIT $5`,
    [scopeOf(query.scope), query.unitId ?? null, query.endingWithin ?? null, after, query.limit + 1, query.today],
  );
  return page(
    rows,
    query.limit,
    (r): LockItem => ({
      cadreId: r.cadre_id,
      name: r.name,
      unitId: r.unit_id,
      lockId: r.lock_id,
      kind: r.kind,
      ruleId: r.rule_id,
      from: r.from_date,
      until: r.until_date,
      sourceEventId: r.source_event_id,
      citation: r.citation,
    }),
    (r) => [r.until_date ?? '', r.cadre_id, r.lock_id],
  );
}

export interface DirectoryItem {
  cadreId: string;
  name: string;
  unitId: string;
  unitName: string | null;
  jurisdiction: string;
  position: { title: string; level: string; leadership: boolean; principal: boolean; partySecretary: boolean; portfolios: string[] } | null;
  managedBy: string | null;
  positionSince: LocalDate;
  revision: number;
}

/**
 * The directory (`GET /v1/cadres`): cadres as they stand today, in cadre id order. `q` matches the
 * name (汉字), the cadre id, the full pinyin from its start or anywhere (zhaowenqing, wenqing) and
 * the initials from their start (zwq): spaces, tones and case in `q` do not matter.
 */
export async function listCadres(
  pool: Pool,
  query: { scope: UnitScope; unitId?: string; q?: string; level?: string; managedBy?: string; cursor?: string; limit: number },
): Promise<{ items: DirectoryItem[]; nextCursor: string | null }> {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor, [CURSOR_PART.identifier])[0];
  const q = query.q?.trim() ?? null;
  const latin = q === null ? null : q.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ü/g, 'v').replace(/[^a-z0-9]/g, '');
  type Row = { cadre_id: string; name: string; unit_id: string; unit_name: string | null; jurisdiction: string; title: string | null; position_level: string | null; leadership: boolean | null; principal: boolean; party_secretary: boolean; portfolios: string[]; managed_by: string | null; position_since: string; revision: string };
  const { rows } = await pool.query<Row>(
    `SELECT cadre_id, name, unit_id, unit_name, jurisdiction, title, position_level, leadership, principal, party_secretary, portfolios,
            managed_by, to_char(position_since, 'YYYY-MM-DD') AS position_since, revision
     FROM reporting.cadres
     WHERE ($1::text[] IS NULL OR unit_id = ANY($1))
       AND ($2::text IS NULL OR unit_id = $2)
       AND ($3::text IS NULL OR strpos(name, $3) > 0 OR strpos(lower(cadre_id), lower($3)) > 0
            OR ($4 <> '' AND (strpos(name_pinyin, $4) > 0 OR name_initials LIKE $4 || '%')))
       AND ($5::text IS NULL OR position_level = $5)
       AND ($6::text IS NULL OR managed_by = $6)
       AND ($7::text IS NULL OR cadre_id > $7)
     ORDER BY cadre_id LIMIT $8`,
    [scopeOf(query.scope), query.unitId ?? null, q, latin ?? '', query.level ?? null, query.managedBy ?? null, after, query.limit + 1],
  );
  return page(
    rows,
    query.limit,
    (r): DirectoryItem => ({
      cadreId: r.cadre_id,
      name: r.name,
      unitId: r.unit_id,
      unitName: r.unit_name,
      jurisdiction: r.jurisdiction,
      position:
        r.title === null || r.position_level === null
          ? null
          : { title: r.title, level: r.position_level, leadership: r.leadership ?? false, principal: r.principal, partySecretary: r.party_secretary, portfolios: r.portfolios },
      managedBy: r.managed_by,
      positionSince: r.position_since,
      revision: Number(r.revision),
    }),
    (r) => [r.cadre_id],
  );
}

/** One finding of the 选人用人 audit (API.md): a promotion whose effective date lies inside a lock. */
export interface ConflictItem {
  cadreId: string;
  name: string | null;
  unitId: string;
  promotionEventId: string;
  promotedOn: LocalDate;
  /** When the ledger learnt of the promotion: for an imported historical promotion, the import. */
  promotionRecordedAt: string;
  lock: { lockId: string; kind: string; ruleId: string; from: LocalDate; until: LocalDate | null; sourceEventId: string; citation: Citation };
  knownAtPromotion: boolean;
  lockRecordedAt: string;
}

/** A timestamptz as the ledger writes instants: UTC, microseconds, `Z`. */
const UTC_MICROS = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The 选人用人 audit's pairs from the read model, promotions in `[from, to]` (either end open) of a
 * unit or of every unit in scope, by promotion date, cadre, promotion and lock.
 */
export async function listConflicts(
  pool: Pool,
  query: { scope: UnitScope; unitId?: string; from?: LocalDate; to?: LocalDate; cursor?: string; limit: number },
): Promise<{ items: ConflictItem[]; nextCursor: string | null }> {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor, [CURSOR_PART.date, CURSOR_PART.identifier, /^[\x21-\x7e]{1,200}$/, /^[\x21-\x7e]{1,200}$/]);
  type Row = {
    cadre_id: string; name: string | null; unit_id: string; promotion_event_id: string; promoted_on: string; promotion_recorded_at: string; lock_id: string; kind: string;
    rule_id: string; from_date: string; until_date: string | null; source_event_id: string; citation: Citation; known_at_promotion: boolean; lock_recorded_at: string;
  };
  const { rows } = await pool.query<Row>(
    `SELECT c.cadre_id, d.name, c.unit_id, c.promotion_event_id, to_char(c.promoted_on, 'YYYY-MM-DD') AS promoted_on, ${UTC_MICROS('c.promotion_recorded_at')} AS promotion_recorded_at,
            c.lock_id, c.kind, c.rule_id, to_char(c.from_date, 'YYYY-MM-DD') AS from_date, to_char(c.until_date, 'YYYY-MM-DD') AS until_date,
            c.source_event_id, c.citation, c.known_at_promotion, ${UTC_MICROS('c.lock_recorded_at')} AS lock_recorded_at
     FROM reporting.promotion_conflicts c LEFT JOIN reporting.cadres d USING (cadre_id)
     WHERE ($1::text[] IS NULL OR c.unit_id = ANY($1))
       AND ($2::text IS NULL OR c.unit_id = $2)
       AND ($3::date IS NULL OR c.promoted_on >= $3::date)
       AND ($4::date IS NULL OR c.promoted_on <= $4::date)
       AND ($5::text[] IS NULL OR (c.promoted_on, c.cadre_id, c.promotion_event_id, c.lock_id) > ($5[1]::date, $5[2], $5[3], $5[4]))
     ORDER BY c.promoted_on, c.cadre_id, c.promotion_event_id, c.lock_id LIMIT $6`,
    [scopeOf(query.scope), query.unitId ?? null, query.from ?? null, query.to ?? null, after, query.limit + 1],
  );
  return page(
    rows,
    query.limit,
    (r): ConflictItem => ({
      cadreId: r.cadre_id,
      name: r.name,
      unitId: r.unit_id,
      promotionEventId: r.promotion_event_id,
      promotedOn: r.promoted_on,
      promotionRecordedAt: r.promotion_recorded_at,
      lock: { lockId: r.lock_id, kind: r.kind, ruleId: r.rule_id, from: r.from_date, until: r.until_date, sourceEventId: r.source_event_id, citation: r.citation },
      knownAtPromotion: r.known_at_promotion,
      lockRecordedAt: r.lock_recorded_at,
    }),
    (r) => [r.promoted_on, r.cadre_id, r.promotion_event_id, r.lock_id],
  );
}

export interface TriggerItem {
  cadreId: string;
  name: string | null;
  unitId: string;
  ruleId: string;
  kind: string;
  since: LocalDate;
  sourceEventId: string;
  citation: Citation;
}

/**
 * Review triggers standing today (能下: what calls for a review), longest standing first, from the
 * eligibility read model: the list behind `/v1/stats`' `openReviewTriggers`.
 */
export async function listReviewTriggers(
  pool: Pool,
  query: { scope: UnitScope; unitId?: string; cursor?: string; limit: number },
): Promise<{ items: TriggerItem[]; nextCursor: string | null }> {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor, [CURSOR_PART.date, CURSOR_PART.identifier, /^[\x21-\x7e]{1,200}$/]);
  type Row = { cadre_id: string; name: string | null; unit_id: string; rule_id: string; kind: string; since: string; source_event_id: string; citation: Citation };
  const { rows } = await pool.query<Row>(
    `SELECT e.cadre_id, d.name, e.unit_id, t ->> 'ruleId' AS rule_id, t ->> 'kind' AS kind, t ->> 'since' AS since,
            t ->> 'sourceEventId' AS source_event_id, t -> 'citation' AS citation
     FROM reporting.cadre_eligibility e CROSS JOIN LATERAL jsonb_array_elements(e.review_triggers) t
     LEFT JOIN reporting.cadres d ON d.cadre_id = e.cadre_id
     WHERE ($1::text[] IS NULL OR e.unit_id = ANY($1))
       AND ($2::text IS NULL OR e.unit_id = $2)
       AND ($3::text[] IS NULL OR (t ->> 'since', e.cadre_id, t ->> 'ruleId') > ($3[1], $3[2], $3[3]))
     ORDER BY t ->> 'since', e.cadre_id, t ->> 'ruleId' LIMIT $4`,
    [scopeOf(query.scope), query.unitId ?? null, after, query.limit + 1],
  );
  return page(
    rows,
    query.limit,
    (r): TriggerItem => ({ cadreId: r.cadre_id, name: r.name, unitId: r.unit_id, ruleId: r.rule_id, kind: r.kind, since: r.since, sourceEventId: r.source_event_id, citation: r.citation }),
    (r) => [r.since, r.cadre_id, r.rule_id],
  );
}

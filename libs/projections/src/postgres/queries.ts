import type { Pool } from 'pg';
import { ADJUSTMENT_PROCEDURE, TOLERANCE_PROCEDURE, openSteps, type LocalDate } from '@cadre-ledger/domain';
import type { UnitScope } from '../read-model';
import { mechanismSeries } from '../mechanism-touches/mechanism-touches';

export { InvalidCursor } from './cursor';

/** The steps after which a case is still open, waiting for the next: from each procedure's description. */
const TOLERANCE_OPEN_STEPS = openSteps(TOLERANCE_PROCEDURE);
const ADJUSTMENT_OPEN_STEPS = openSteps(ADJUSTMENT_PROCEDURE);

export interface Stats {
  year: number;
  /** Persons touched by each mechanism in the year (安康's counting). */
  incentive: number;
  tolerance: number;
  adjustment: number;
  /** Locks holding today. */
  locksActive: number;
  /** Tolerance cases not yet filed (资料报备). */
  pendingToleranceCases: number;
  /** Review triggers standing on the rows' date: the 能下 queue's input. */
  openReviewTriggers: number;
  /** 第十五条 cases not yet closed (no talk yet, and not refused at approval). */
  pendingAdjustmentCases: number;
  /** Locks holding today that end within 30 (90) days. */
  locksEndingWithin30Days: number;
  locksEndingWithin90Days: number;
  /** 选人用人 audit: promotions effective in the year that lie inside a lock, as the records stand now. */
  conflicts: number;
  /** Of those, the promotions whose lock was not yet in the records when they were recorded (found later). */
  conflictsFoundLater: number;
  /** Open cases by the last step taken (what each waits after): the open steps of each procedure's description. */
  toleranceCasesByStep: Record<string, number>;
  adjustmentCasesByStep: Record<string, number>;
}

/** `/v1/stats`: counts only, no personal data. */
export async function mechanismStats(pool: Pool, query: { year: number; unitId?: string; scope: UnitScope; today: LocalDate }): Promise<Stats> {
  const units = query.scope === '*' ? null : [...query.scope];
  const unitFilter = `($1::text[] IS NULL OR unit_id = ANY($1)) AND ($2::text IS NULL OR unit_id = $2)`;
  const { rows } = await pool.query<Record<string, number>>(
    `SELECT
       (SELECT count(DISTINCT cadre_id) FROM reporting.mechanism_touches WHERE ${unitFilter} AND year = $3 AND mechanism = 'incentive')::int AS incentive,
       (SELECT count(DISTINCT cadre_id) FROM reporting.mechanism_touches WHERE ${unitFilter} AND year = $3 AND mechanism = 'tolerance')::int AS tolerance,
       (SELECT count(DISTINCT cadre_id) FROM reporting.mechanism_touches WHERE ${unitFilter} AND year = $3 AND mechanism = 'adjustment')::int AS adjustment,
       (SELECT count(*) FROM reporting.promotion_locks WHERE ${unitFilter} AND (until_date IS NULL OR until_date > $4::date))::int AS locks,
       (SELECT count(*) FROM reporting.promotion_locks WHERE ${unitFilter} AND until_date > $4::date AND until_date <= $4::date + 30)::int AS ending30,
       (SELECT count(*) FROM reporting.promotion_locks WHERE ${unitFilter} AND until_date > $4::date AND until_date <= $4::date + 90)::int AS ending90,
       (SELECT count(DISTINCT promotion_event_id) FROM reporting.promotion_conflicts WHERE ${unitFilter} AND extract(year FROM promoted_on) = $3)::int AS conflicts,
       (SELECT count(DISTINCT promotion_event_id) FROM reporting.promotion_conflicts WHERE ${unitFilter} AND extract(year FROM promoted_on) = $3 AND NOT known_at_promotion)::int AS conflicts_later,
       (SELECT coalesce(sum(jsonb_array_length(review_triggers)), 0) FROM reporting.cadre_eligibility WHERE ${unitFilter})::int AS triggers,
       ${TOLERANCE_OPEN_STEPS.map((step) => `(SELECT count(*) FROM reporting.tolerance_cases WHERE ${unitFilter} AND step = '${step}')::int AS "t_${step}"`).join(',\n       ')},
       ${ADJUSTMENT_OPEN_STEPS.map((step) => `(SELECT count(*) FROM reporting.adjustment_cases WHERE ${unitFilter} AND step = '${step}' AND approved IS DISTINCT FROM false)::int AS "a_${step}"`).join(',\n       ')}`,
    [units, query.unitId ?? null, query.year, query.today],
  );
  const r = rows[0];
  const byStep = <S extends string>(steps: readonly S[], prefix: string) => Object.fromEntries(steps.map((step) => [step, r[`${prefix}_${step}`]])) as Record<S, number>;
  const toleranceCasesByStep = byStep(TOLERANCE_OPEN_STEPS, 't');
  const adjustmentCasesByStep = byStep(ADJUSTMENT_OPEN_STEPS, 'a');
  const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    year: query.year,
    incentive: r.incentive,
    tolerance: r.tolerance,
    adjustment: r.adjustment,
    locksActive: r.locks,
    pendingToleranceCases: sum(toleranceCasesByStep),
    openReviewTriggers: r.triggers,
    pendingAdjustmentCases: sum(adjustmentCasesByStep),
    locksEndingWithin30Days: r.ending30,
    locksEndingWithin90Days: r.ending90,
    conflicts: r.conflicts,
    conflictsFoundLater: r.conflicts_later,
    toleranceCasesByStep,
    adjustmentCasesByStep,
  };
}

export interface UnitYearFigures {
  /** A unit, or `*` for every unit together. */
  unitId: string;
  unitName: string | null;
  year: number;
  figures: {
    incentive: number;
    tolerance: number;
    adjustment: number;
    locksActive: number;
    locksEndingWithin30Days: number;
    locksEndingWithin90Days: number;
    openReviewTriggers: number;
    pendingToleranceCases: number;
    pendingAdjustmentCases: number;
  };
}

/**
 * The figures of the stats topic: for each unit (and every unit together) and each year of the
 * range, the persons per mechanism in that year and today's locks and queues. Counts only.
 */
export async function unitYearFigures(pool: Pool, query: { fromYear: number; toYear: number; today: LocalDate }): Promise<UnitYearFigures[]> {
  const series = await mechanismSeries(pool, { fromYear: query.fromYear, toYear: query.toYear, scope: '*' });
  type Now = { unit_id: string; locks: number; ending30: number; ending90: number; triggers: number; tolerance: number; adjustment: number };
  const { rows } = await pool.query<Now>(
    `WITH u AS (
       SELECT unit_id FROM reporting.units UNION SELECT unit_id FROM reporting.cadre_eligibility UNION SELECT unit_id FROM reporting.mechanism_touches WHERE year BETWEEN $2 AND $3
     )
     SELECT u.unit_id,
       (SELECT count(*) FROM reporting.promotion_locks p WHERE p.unit_id = u.unit_id AND (p.until_date IS NULL OR p.until_date > $1::date))::int AS locks,
       (SELECT count(*) FROM reporting.promotion_locks p WHERE p.unit_id = u.unit_id AND p.until_date > $1::date AND p.until_date <= $1::date + 30)::int AS ending30,
       (SELECT count(*) FROM reporting.promotion_locks p WHERE p.unit_id = u.unit_id AND p.until_date > $1::date AND p.until_date <= $1::date + 90)::int AS ending90,
       (SELECT coalesce(sum(jsonb_array_length(e.review_triggers)), 0) FROM reporting.cadre_eligibility e WHERE e.unit_id = u.unit_id)::int AS triggers,
       (SELECT count(*) FROM reporting.tolerance_cases t WHERE t.unit_id = u.unit_id AND t.step IN (${TOLERANCE_OPEN_STEPS.map((s) => `'${s}'`).join(', ')}))::int AS tolerance,
       (SELECT count(*) FROM reporting.adjustment_cases a WHERE a.unit_id = u.unit_id AND a.step IN (${ADJUSTMENT_OPEN_STEPS.map((s) => `'${s}'`).join(', ')}) AND a.approved IS DISTINCT FROM false)::int AS adjustment
     FROM u ORDER BY u.unit_id`,
    [query.today, query.fromYear, query.toYear],
  );
  const names = new Map((await pool.query<{ unit_id: string; name: string }>('SELECT unit_id, name FROM reporting.units')).rows.map((r) => [r.unit_id, r.name]));
  const now = new Map(rows.map((r) => [r.unit_id, r]));
  const total: Now = rows.reduce((sum, r) => ({ unit_id: '*', locks: sum.locks + r.locks, ending30: sum.ending30 + r.ending30, ending90: sum.ending90 + r.ending90, triggers: sum.triggers + r.triggers, tolerance: sum.tolerance + r.tolerance, adjustment: sum.adjustment + r.adjustment }), { unit_id: '*', locks: 0, ending30: 0, ending90: 0, triggers: 0, tolerance: 0, adjustment: 0 });
  const touches = new Map(series.byUnit.map((f) => [`${f.unitId}/${f.year}`, f]));
  const totals = new Map(series.totals.map((f) => [f.year, f]));
  const out: UnitYearFigures[] = [];
  for (let year = query.fromYear; year <= query.toYear; year++) {
    for (const unitId of ['*', ...now.keys()]) {
      const today = unitId === '*' ? total : now.get(unitId)!;
      const touched = unitId === '*' ? totals.get(year) : touches.get(`${unitId}/${year}`);
      out.push({
        unitId,
        unitName: unitId === '*' ? null : (names.get(unitId) ?? null),
        year,
        figures: {
          incentive: touched?.incentive ?? 0,
          tolerance: touched?.tolerance ?? 0,
          adjustment: touched?.adjustment ?? 0,
          locksActive: today.locks,
          locksEndingWithin30Days: today.ending30,
          locksEndingWithin90Days: today.ending90,
          openReviewTriggers: today.triggers,
          pendingToleranceCases: today.tolerance,
          pendingAdjustmentCases: today.adjustment,
        },
      });
    }
  }
  return out;
}

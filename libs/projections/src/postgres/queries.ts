import type { Pool } from 'pg';
import { IDENTIFIER_PATTERN, type LocalDate } from '@cadre-ledger/domain';
import type { Verdict } from '@cadre-ledger/policy';

/** The units a caller may see: `'*'` or a list (the token's `units` claim). */
export type UnitScope = '*' | readonly string[];

export interface EligibilityQuery {
  scope: UnitScope;
  unitId?: string;
  promotable?: boolean;
  /** Opaque: the `nextCursor` of the previous page. */
  cursor?: string;
  limit: number;
}

export interface EligibilityPage {
  items: (Verdict & { unitId: string })[];
  nextCursor: string | null;
}

export class InvalidCursor extends Error {
  constructor() {
    super('cursor is not one this server issued');
    this.name = 'InvalidCursor';
  }
}

/** Today's verdicts from `cadre_eligibility`, in cadre id order, a page at a time (keyset pagination). */
export async function listEligibility(pool: Pool, query: EligibilityQuery): Promise<EligibilityPage> {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
  const { rows } = await pool.query<{ cadre_id: string; unit_id: string; verdict: Verdict }>(
    `SELECT cadre_id, unit_id, verdict FROM cadre_eligibility
     WHERE ($1::text[] IS NULL OR unit_id = ANY($1))
       AND ($2::text IS NULL OR unit_id = $2)
       AND ($3::boolean IS NULL OR promotable = $3)
       AND ($4::text IS NULL OR cadre_id > $4)
     ORDER BY cadre_id LIMIT $5`,
    [query.scope === '*' ? null : [...query.scope], query.unitId ?? null, query.promotable ?? null, after, query.limit + 1],
  );
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  return {
    items: page.map((r) => ({ ...r.verdict, unitId: r.unit_id })),
    nextCursor: more ? encodeCursor(page[page.length - 1].cadre_id) : null,
  };
}

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
}

/** `/v1/stats`: counts only, no personal data. */
export async function mechanismStats(pool: Pool, query: { year: number; unitId?: string; scope: UnitScope; today: LocalDate }): Promise<Stats> {
  const units = query.scope === '*' ? null : [...query.scope];
  const unitFilter = `($1::text[] IS NULL OR unit_id = ANY($1)) AND ($2::text IS NULL OR unit_id = $2)`;
  const { rows } = await pool.query<{ incentive: number; tolerance: number; adjustment: number; locks: number; pending: number; triggers: number; adjustments: number }>(
    `SELECT
       (SELECT count(DISTINCT cadre_id) FROM mechanism_touches WHERE ${unitFilter} AND year = $3 AND mechanism = 'incentive')::int AS incentive,
       (SELECT count(DISTINCT cadre_id) FROM mechanism_touches WHERE ${unitFilter} AND year = $3 AND mechanism = 'tolerance')::int AS tolerance,
       (SELECT count(DISTINCT cadre_id) FROM mechanism_touches WHERE ${unitFilter} AND year = $3 AND mechanism = 'adjustment')::int AS adjustment,
       (SELECT count(*) FROM promotion_locks WHERE ${unitFilter} AND (until_date IS NULL OR until_date > $4::date))::int AS locks,
       (SELECT count(*) FROM tolerance_cases WHERE ${unitFilter} AND step <> 'filed')::int AS pending,
       (SELECT coalesce(sum(jsonb_array_length(review_triggers)), 0) FROM cadre_eligibility WHERE ${unitFilter})::int AS triggers,
       (SELECT count(*) FROM adjustment_cases WHERE ${unitFilter} AND step <> 'talked' AND approved IS DISTINCT FROM false)::int AS adjustments`,
    [units, query.unitId ?? null, query.year, query.today],
  );
  const r = rows[0];
  return { year: query.year, incentive: r.incentive, tolerance: r.tolerance, adjustment: r.adjustment, locksActive: r.locks, pendingToleranceCases: r.pending, openReviewTriggers: r.triggers, pendingAdjustmentCases: r.adjustments };
}

function encodeCursor(cadreId: string): string {
  return Buffer.from(JSON.stringify({ after: cadreId }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    // Only ids this server could have issued: nothing else (a NUL, say) ever reaches the database.
    if (typeof parsed.after === 'string' && IDENTIFIER_PATTERN.test(parsed.after)) return parsed.after;
  } catch {
    // fall through: not ours
  }
  throw new InvalidCursor();
}

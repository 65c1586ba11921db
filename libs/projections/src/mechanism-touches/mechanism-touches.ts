import type { Pool, PoolClient } from 'pg';
import { compareText, type Fact, type LocalDate } from '@cadre-ledger/domain';
import { CADRE_COLUMN as cadre, columns, type Described, type TableComment, type UnitScope } from '../read-model';

/**
 * `mechanism_touches`: a person touched by a mechanism in a year, in the unit it sat in then
 * (安康's counting), and the `mechanism_stats` view that counts them.
 */
/** A person touched by a mechanism in a year, in the unit it sat in then (安康's counting). */
export interface TouchRow {
  cadreId: string;
  year: number;
  unitId: string;
  mechanism: 'incentive' | 'tolerance' | 'adjustment';
}

/** A 第十五条 case and the step it is at; open until the talk, or until an approval that says no. */

/** The persons these live facts touched, by year, unit then and mechanism, up to `asOf`. */
export function touches(live: Fact[], cadreId: string, unitOn: (d: LocalDate) => string | null, asOf: LocalDate): TouchRow[] {
  const rows = new Map<string, TouchRow>();
  const touch = (f: Fact, mechanism: TouchRow['mechanism']) => {
    const at = f.metadata.effectiveAt;
    const unitId = unitOn(at);
    if (at > asOf || unitId === null) return;
    const row = { cadreId, year: Number(at.slice(0, 4)), unitId, mechanism };
    rows.set(`${row.year}|${unitId}|${mechanism}`, row);
  };
  for (const f of live) {
    if (f.type === 'CommendationIssued' || (f.type === 'AnnualReviewRecorded' && f.data.grade === 'excellent')) touch(f, 'incentive');
    if (f.type === 'ToleranceDecided' && f.data.outcome !== 'rejected') touch(f, 'tolerance');
    if (f.type === 'CadreAdjusted') touch(f, 'adjustment');
  }
  return [...rows.values()].sort((a, b) => a.year - b.year || compareText(a.unitId, b.unitId) || compareText(a.mechanism, b.mechanism));
}


/** Version 1, as shipped. */
export const MECHANISM_TOUCHES_TABLE = (suffix: string): string => `
CREATE TABLE mechanism_touches${suffix} (
  cadre_id text NOT NULL,
  year integer NOT NULL,
  unit_id text NOT NULL,
  mechanism text NOT NULL CHECK (mechanism IN ('incentive', 'tolerance', 'adjustment')),
  PRIMARY KEY (cadre_id, year, unit_id, mechanism)
);`;

/** Persons touched per year, unit and mechanism (version 1, in public; see REPORTING_STATS_VIEW since version 5). */
export const MECHANISM_STATS_VIEW = `
CREATE VIEW mechanism_stats AS
  SELECT year, unit_id, mechanism, count(DISTINCT cadre_id)::integer AS persons
  FROM mechanism_touches GROUP BY year, unit_id, mechanism`;

/** Persons touched per year, unit and mechanism: a view, recreated whenever the tables are swapped. */
export const REPORTING_STATS_VIEW = `
CREATE VIEW reporting.mechanism_stats AS
  SELECT year, unit_id, mechanism, count(DISTINCT cadre_id)::integer AS persons
  FROM reporting.mechanism_touches GROUP BY year, unit_id, mechanism`;


export const MECHANISM_TOUCHES_COMMENT: TableComment = {
  table: ['三项机制涉及的人次:干部、年度、当时所在单位、机制', 'persons touched by each mechanism: cadre, year, unit then, mechanism'],
  columns: {
    cadre_id: cadre,
    year: ['年度(事实生效日的年份)', 'year (of the fact\'s effective date)'],
    unit_id: ['当时所在单位编号', 'unit id at the time'],
    mechanism: ['机制:incentive 鼓励激励 / tolerance 容错纠错 / adjustment 能上能下', 'mechanism: incentive, tolerance, adjustment'],
  },
};

export const STATS_VIEW_COMMENT: Described = ['每年、每单位、每项机制涉及的人数(安康的统计口径)', 'persons per year, unit and mechanism (as 安康 reports them)'];

export const STATS_VIEW_COLUMNS: Record<string, Described> = {
  year: ['年度', 'year'],
  unit_id: ['当时所在单位编号', 'unit id at the time'],
  mechanism: ['机制', 'mechanism'],
  persons: ['人数(同一人一年只计一次)', 'persons (each counted once a year)'],
};


export async function insertTouches(client: PoolClient, table: string, touches: readonly TouchRow[]): Promise<void> {
  if (touches.length === 0) return;
  await client.query(
    `INSERT INTO ${table} (cadre_id, year, unit_id, mechanism)
     SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[])`,
    columns(touches, ['cadreId', 'year', 'unitId', 'mechanism']),
  );
}

export interface MechanismFigures {
  year: number;
  /** Null in a total over every unit. */
  unitId: string | null;
  /** The unit's registered name; null when the unit was never registered (or in a total). */
  unitName: string | null;
  incentive: number;
  tolerance: number;
  adjustment: number;
}

/**
 * The 三项机制 figures (安康's counting: persons, not decisions) for each year of a range, per unit
 * and in total: what a dashboard charts. A person counts once per year and mechanism in the total,
 * and once in each unit that touched them.
 */
export async function mechanismSeries(
  pool: Pool,
  query: { fromYear: number; toYear: number; scope: UnitScope; unitId?: string },
): Promise<{ byUnit: MechanismFigures[]; totals: MechanismFigures[] }> {
  const params = [query.scope === '*' ? null : [...query.scope], query.unitId ?? null, query.fromYear, query.toYear];
  const where = `($1::text[] IS NULL OR t.unit_id = ANY($1)) AND ($2::text IS NULL OR t.unit_id = $2) AND t.year BETWEEN $3 AND $4`;
  const counts = `count(DISTINCT t.cadre_id) FILTER (WHERE t.mechanism = 'incentive')::int AS incentive,
       count(DISTINCT t.cadre_id) FILTER (WHERE t.mechanism = 'tolerance')::int AS tolerance,
       count(DISTINCT t.cadre_id) FILTER (WHERE t.mechanism = 'adjustment')::int AS adjustment`;
  type Row = { year: number; unit_id: string | null; name: string | null; incentive: number; tolerance: number; adjustment: number };
  const [units, totals] = await Promise.all([
    pool.query<Row>(
      `SELECT t.year, t.unit_id, u.name, ${counts} FROM reporting.mechanism_touches t LEFT JOIN reporting.units u ON u.unit_id = t.unit_id
       WHERE ${where} GROUP BY t.year, t.unit_id, u.name ORDER BY t.year, t.unit_id`,
      params,
    ),
    pool.query<Row>(`SELECT t.year, NULL AS unit_id, NULL AS name, ${counts} FROM reporting.mechanism_touches t WHERE ${where} GROUP BY t.year ORDER BY t.year`, params),
  ]);
  const figures = (r: Row): MechanismFigures => ({ year: r.year, unitId: r.unit_id, unitName: r.name, incentive: r.incentive, tolerance: r.tolerance, adjustment: r.adjustment });
  // Every year of the range has its total, zero where nothing happened, so that a chart has no gaps.
  const found = new Map(totals.rows.map((r) => [r.year, figures(r)]));
  const years = Array.from({ length: query.toYear - query.fromYear + 1 }, (_, i) => query.fromYear + i);
  return {
    byUnit: units.rows.map(figures),
    totals: years.map((year) => found.get(year) ?? { year, unitId: null, unitName: null, incentive: 0, tolerance: 0, adjustment: 0 }),
  };
}



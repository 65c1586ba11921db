import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import type { Ledger } from '@cadre-ledger/application';
import { mechanismSeries, mechanismStats, type MechanismFigures } from '@cadre-ledger/projections';
import { complementarySuppression, type Line } from './complementary';
import { IsOptional, Matches } from 'class-validator';
import { IDENTIFIER_PATTERN } from '@cadre-ledger/domain';
import { CallerOf, Reads, type Caller } from '../auth/access.decorators';
import { ReadRoute } from '../common/openapi';
import { API_OPTIONS, LEDGER, PG_POOL, type ApiOptions } from '../tokens';
import { inScope, seesOnlySuppressedFigures } from '../auth/permissions';
import { ProblemException, ValidationProblem } from '../common/problem';

export class StatsQueryDto {
  @ApiPropertyOptional({ example: '2021', pattern: '^\\d{4}$' })
  @IsOptional()
  @Matches(/^\d{4}$/)
  year?: string;

  @ApiPropertyOptional({ pattern: IDENTIFIER_PATTERN.source })
  @IsOptional()
  @Matches(IDENTIFIER_PATTERN)
  unitId?: string;
}

export class MechanismSeriesQueryDto {
  @ApiPropertyOptional({ example: '2019', pattern: '^\\d{4}$', description: 'First year; default four years before `to`' })
  @IsOptional()
  @Matches(/^\d{4}$/)
  from?: string;

  @ApiPropertyOptional({ example: '2023', pattern: '^\\d{4}$', description: 'Last year; default this year' })
  @IsOptional()
  @Matches(/^\d{4}$/)
  to?: string;

  @ApiPropertyOptional({ pattern: IDENTIFIER_PATTERN.source })
  @IsOptional()
  @Matches(IDENTIFIER_PATTERN)
  unitId?: string;
}

export class MechanismFiguresDto {
  @ApiProperty({ example: 2021 }) year!: number;
  @ApiProperty({ nullable: true, type: String, description: 'The unit; null in a total' }) unitId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The unit\'s registered name; null in a total or for a unit never registered' }) unitName!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Persons commended or reviewed excellent (鼓励激励); null when suppressed' }) incentive!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Persons exempted or mitigated (容错纠错); null when suppressed' }) tolerance!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Persons adjusted (能上能下); null when suppressed' }) adjustment!: number | null;
  @ApiPropertyOptional({ type: [String], description: 'For the dashboard role: the figures of this row answered as null' }) suppressed?: string[];
}

export class MechanismSeriesDto {
  @ApiProperty() from!: number;
  @ApiProperty() to!: number;
  @ApiProperty({ type: [MechanismFiguresDto], description: 'One row per year of the range, every unit together (zero where nothing happened)' }) totals!: MechanismFiguresDto[];
  @ApiProperty({ type: [MechanismFiguresDto], description: 'One row per year and unit where anything happened, year then unit order' }) byUnit!: MechanismFiguresDto[];
}

/** The longest range one call may ask for. */
const MAX_SERIES_YEARS = 30;

const count = (description: string) => ApiProperty({ type: 'integer', nullable: true, description: `${description}; null when suppressed` });

export class StatsDto {
  @ApiProperty({ example: 2021 }) year!: number;
  @count('Persons commended or reviewed excellent in the year (鼓励激励)') incentive!: number | null;
  @count('Persons exempted or mitigated in the year (容错纠错)') tolerance!: number | null;
  @count('Persons adjusted in the year (能上能下)') adjustment!: number | null;
  @count('Locks holding today') locksActive!: number | null;
  @count('Tolerance cases not yet filed (资料报备)') pendingToleranceCases!: number | null;
  @count('Review triggers standing (能下: what calls for a review)') openReviewTriggers!: number | null;
  @count('第十五条 adjustment cases not yet closed (no talk yet, not refused at approval)') pendingAdjustmentCases!: number | null;
  @count('Locks holding today that end within 30 days') locksEndingWithin30Days!: number | null;
  @count('Locks holding today that end within 90 days') locksEndingWithin90Days!: number | null;
  @count('选人用人 audit: promotions effective in the year that lie inside a lock, as the records stand now') conflicts!: number | null;
  @count('Of those, promotions whose lock was recorded only after them (found later)') conflictsFoundLater!: number | null;
  @ApiProperty({
    description: 'Open tolerance cases by the last step taken (requested, investigated, decided, notified); each null when suppressed',
    example: { requested: 3, investigated: 1, decided: 0, notified: 2 },
  })
  toleranceCasesByStep!: Record<string, number | null>;
  @ApiProperty({
    description: 'Open 第十五条 cases by the last step taken (reported, reviewed, approved, decided); each null when suppressed',
    example: { reported: 2, reviewed: 1, approved: 0, decided: 1 },
  })
  adjustmentCasesByStep!: Record<string, number | null>;
  @ApiPropertyOptional({
    type: [String],
    description: 'For the dashboard role: the figures below the small-count threshold, answered as null so that they do not identify people',
  })
  suppressed?: string[];
}

/**
 * The figures with those named in `withheld` (by path: `toleranceCasesByStep.requested`) answered
 * as null and listed in `suppressed` (API.md, "Lists a dashboard needs").
 */
export function withholding<T extends object>(figures: T, withheld: (path: string) => boolean, exempt: readonly string[] = ['year']): T & { suppressed: string[] } {
  const suppressed: string[] = [];
  const walk = (group: Record<string, unknown>, path: string): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(group).map(([field, value]) => {
        const name = path + field;
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) return [field, walk(value as Record<string, unknown>, `${name}.`)];
        if (exempt.includes(name) || typeof value !== 'number' || !withheld(name)) return [field, value];
        suppressed.push(name);
        return [field, null];
      }),
    );
  return { ...(walk(figures as Record<string, unknown>, '') as T), suppressed };
}

const MEASURES = ['incentive', 'tolerance', 'adjustment'] as const;
const cellKey = (year: number, unitId: string | null, measure: string) => `${year}|${unitId ?? '*'}|${measure}`;

/**
 * Which mechanism figures the dashboard role is not shown, for the caller's units and a range of
 * years: every year's total and its units' figures, each measure a line (the total is the units'
 * sum), suppressed below the threshold and complemented (complementary.ts). Every answer that shows
 * one of these figures (/v1/stats/mechanisms with or without unitId, /v1/stats for a year in the
 * range) takes it from here, so none gives back what another withholds. A unit's figure is its own
 * line's part whatever the range asked: a year's lines do not depend on the other years.
 */
export function withheldMechanismCells(series: { totals: MechanismFigures[]; byUnit: MechanismFigures[] }, threshold: number): Set<string> {
  const values = new Map<string, number>();
  const lines: Line[] = [];
  for (const total of series.totals) {
    const units = series.byUnit.filter((row) => row.year === total.year);
    for (const measure of MEASURES) {
      values.set(cellKey(total.year, null, measure), total[measure]);
      for (const row of units) values.set(cellKey(row.year, row.unitId, measure), row[measure]);
      lines.push({ total: cellKey(total.year, null, measure), parts: units.map((row) => cellKey(row.year, row.unitId, measure)) });
    }
  }
  return complementarySuppression(values, lines, threshold);
}

/** Lines within one /v1/stats answer: open cases and their steps. */
const STATS_LINES: Line[] = [
  { total: 'pendingToleranceCases', parts: ['requested', 'investigated', 'decided', 'notified'].map((step) => `toleranceCasesByStep.${step}`) },
  { total: 'pendingAdjustmentCases', parts: ['reported', 'reviewed', 'approved', 'decided'].map((step) => `adjustmentCasesByStep.${step}`) },
];

/** Every numeric figure of an answer by its path. */
function figuresByPath(figures: object, path = '', into = new Map<string, number>()): Map<string, number> {
  for (const [field, value] of Object.entries(figures)) {
    if (typeof value === 'number') into.set(path + field, value);
    else if (value !== null && typeof value === 'object') figuresByPath(value as object, `${path}${field}.`, into);
  }
  return into;
}

@ApiTags('stats')
@Controller('v1/stats')
export class StatsController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  @Get()
  @Reads('stats')
  @ReadRoute('Persons touched per mechanism in a year, from the read models (no personal data)')
  @ApiOkResponse({ type: StatsDto })
  async stats(@CallerOf() caller: Caller, @Query() query: StatsQueryDto): Promise<StatsDto> {
    const today = this.ledger.today();
    if (query.unitId !== undefined && !inScope(caller.scope, query.unitId)) throw new ProblemException(404, 'not-found', `no such unit ${query.unitId}`);
    const year = query.year === undefined ? Number(today.slice(0, 4)) : Number(query.year);
    const scope = caller.scope.all ? ('*' as const) : [...caller.scope.units];
    const figures = await mechanismStats(this.pool, { year, unitId: query.unitId, scope, today });
    if (!seesOnlySuppressedFigures(caller.roles)) return figures;
    // The mechanism figures as /v1/stats/mechanisms withholds them; the rest below the threshold, complemented within the answer.
    const threshold = this.options.smallCountThreshold;
    const mechanisms = withheldMechanismCells(await mechanismSeries(this.pool, { fromYear: year, toYear: year, scope }), threshold);
    const others = figuresByPath(figures);
    for (const measure of MEASURES) others.delete(measure);
    const withheld = complementarySuppression(others, STATS_LINES, threshold);
    const isMechanism = (path: string) => (MEASURES as readonly string[]).includes(path);
    return withholding(figures, (path) => (isMechanism(path) ? mechanismWithheld(mechanisms, year, query.unitId ?? null, path, figures[path as (typeof MEASURES)[number]], threshold) : withheld.has(path)));
  }

  @Get('mechanisms')
  @Reads('stats')
  @ReadRoute('The 三项机制 figures per year, in total and per unit (persons incentivised, tolerated, adjusted), from the read models (no personal data)')
  @ApiOkResponse({ type: MechanismSeriesDto })
  async mechanisms(@CallerOf() caller: Caller, @Query() query: MechanismSeriesQueryDto): Promise<MechanismSeriesDto> {
    const to = query.to === undefined ? Number(this.ledger.today().slice(0, 4)) : Number(query.to);
    const from = query.from === undefined ? to - 4 : Number(query.from);
    if (from > to) throw new ValidationProblem([{ field: 'from', message: `from (${from}) must not be after to (${to})` }]);
    if (to - from + 1 > MAX_SERIES_YEARS) throw new ValidationProblem([{ field: 'from', message: `at most ${MAX_SERIES_YEARS} years at once; asked for ${to - from + 1}` }]);
    if (query.unitId !== undefined && !inScope(caller.scope, query.unitId)) throw new ProblemException(404, 'not-found', `no such unit ${query.unitId}`);
    const scope = caller.scope.all ? ('*' as const) : [...caller.scope.units];
    if (!seesOnlySuppressedFigures(caller.roles)) return { from, to, ...(await mechanismSeries(this.pool, { fromYear: from, toYear: to, unitId: query.unitId, scope })) };
    // Withheld as decided over every unit of the caller's, whether one unit is asked for or all.
    const threshold = this.options.smallCountThreshold;
    return { from, to, ...dashboardSeries(await mechanismSeries(this.pool, { fromYear: from, toYear: to, scope }), threshold, query.unitId) };
  }
}

/** A mechanism figure withheld: as the table decided, or (a unit with nothing in that year, outside the table) below the threshold. */
export function mechanismWithheld(withheld: ReadonlySet<string>, year: number, unitId: string | null, measure: string, value: number, threshold: number): boolean {
  return withheld.has(cellKey(year, unitId, measure)) || value < threshold;
}

/** /v1/stats/mechanisms as the dashboard role sees it, from the series over all its units: every unit's rows, or one unit's (its figures as its totals). */
export function dashboardSeries(series: { totals: MechanismFigures[]; byUnit: MechanismFigures[] }, threshold: number, unitId?: string): { totals: MechanismFiguresDto[]; byUnit: MechanismFiguresDto[] } {
  const withheld = withheldMechanismCells(series, threshold);
  const exempt = ['year', 'unitId', 'unitName'];
  const shown = (row: MechanismFigures, unit: string | null) => withholding(row, (m) => mechanismWithheld(withheld, row.year, unit, m, row[m as (typeof MEASURES)[number]], threshold), exempt);
  if (unitId === undefined) return { totals: series.totals.map((row) => shown(row, null)), byUnit: series.byUnit.map((row) => shown(row, row.unitId)) };
  const own = series.byUnit.filter((row) => row.unitId === unitId);
  const totals = series.totals.map((total) => own.find((row) => row.year === total.year) ?? { year: total.year, unitId, unitName: null, incentive: 0, tolerance: 0, adjustment: 0 });
  return { totals: totals.map((row) => ({ ...shown(row, unitId), unitId: null, unitName: null })), byUnit: own.map((row) => shown(row, row.unitId)) };
}

import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import type { Ledger } from '@cadre-ledger/application';
import { mechanismStats } from '@cadre-ledger/projections';
import { IsOptional, Matches } from 'class-validator';
import { IDENTIFIER_PATTERN } from '@cadre-ledger/domain';
import { CallerOf, Reads, type Caller } from '../auth/access.decorators';
import { ReadRoute } from '../common/openapi';
import { API_OPTIONS, LEDGER, PG_POOL, type ApiOptions } from '../tokens';
import { inScope, seesOnlySuppressedFigures } from '../auth/permissions';
import { ProblemException } from '../common/problem';

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
 * Figures below the threshold become null and are listed (API.md, "Lists a dashboard needs"); a
 * figure inside a group is listed by its path (`toleranceCasesByStep.requested`).
 */
export function suppressSmallCounts<T extends object>(figures: T, threshold: number, exempt: readonly string[] = ['year']): T & { suppressed: string[] } {
  const suppressed: string[] = [];
  const walk = (group: Record<string, unknown>, path: string): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(group).map(([field, value]) => {
        const name = path + field;
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) return [field, walk(value as Record<string, unknown>, `${name}.`)];
        if (exempt.includes(name) || typeof value !== 'number' || value >= threshold) return [field, value];
        suppressed.push(name);
        return [field, null];
      }),
    );
  return { ...(walk(figures as Record<string, unknown>, '') as T), suppressed };
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
    const figures = await mechanismStats(this.pool, {
      year: query.year === undefined ? Number(today.slice(0, 4)) : Number(query.year),
      unitId: query.unitId,
      scope: caller.scope.all ? '*' : [...caller.scope.units],
      today,
    });
    return seesOnlySuppressedFigures(caller.roles) ? suppressSmallCounts(figures, this.options.smallCountThreshold) : figures;
  }
}

import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import type { Ledger } from '@cadre-ledger/application';
import { mechanismStats } from '@cadre-ledger/projections';
import { IsOptional, Matches } from 'class-validator';
import { IDENTIFIER_PATTERN } from '@cadre-ledger/domain';
import { CallerOf, Reads, type Caller } from '../auth/access.decorators';
import { ReadRoute } from '../common/openapi';
import { LEDGER, PG_POOL } from '../tokens';

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

export class StatsDto {
  @ApiProperty({ example: 2021 }) year!: number;
  @ApiProperty({ description: 'Persons commended or reviewed excellent in the year (鼓励激励)' }) incentive!: number;
  @ApiProperty({ description: 'Persons exempted or mitigated in the year (容错纠错)' }) tolerance!: number;
  @ApiProperty({ description: 'Persons adjusted in the year (能上能下)' }) adjustment!: number;
  @ApiProperty({ description: 'Locks holding today' }) locksActive!: number;
  @ApiProperty({ description: 'Tolerance cases not yet filed (资料报备)' }) pendingToleranceCases!: number;
}

@ApiTags('stats')
@Controller('v1/stats')
export class StatsController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LEDGER) private readonly ledger: Ledger,
  ) {}

  @Get()
  @Reads('stats')
  @ReadRoute('Persons touched per mechanism in a year, from the read models (no personal data)')
  @ApiOkResponse({ type: StatsDto })
  async stats(@CallerOf() caller: Caller, @Query() query: StatsQueryDto): Promise<StatsDto> {
    const today = this.ledger.today();
    return mechanismStats(this.pool, {
      year: query.year === undefined ? Number(today.slice(0, 4)) : Number(query.year),
      unitId: query.unitId,
      scope: caller.scope.all ? '*' : [...caller.scope.units],
      today,
    });
  }
}

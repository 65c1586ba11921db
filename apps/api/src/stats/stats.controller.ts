import { Controller, Get, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IDENTIFIER_PATTERN } from '@cadre-ledger/domain';
import { Reads } from '../auth/access.decorators';
import { NotImplementedProblem, ReadRoute } from '../common/openapi';
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

@ApiTags('stats')
@Controller('v1/stats')
export class StatsController {
  @Get()
  @Reads('stats')
  @ReadRoute('Persons touched per mechanism in a year (no personal data)')
  @NotImplementedProblem()
  stats(@Query() _query: StatsQueryDto): never {
    throw new ProblemException(501, 'not-implemented', 'statistics come from read models that are not available yet');
  }
}

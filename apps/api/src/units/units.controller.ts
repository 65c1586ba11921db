import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { listUnits, unitDetail } from '@cadre-ledger/projections';
import { CallerOf, Reads, Writes, type Caller } from '../auth/access.decorators';
import { inScope } from '../auth/permissions';
import { ReadRoute } from '../common/openapi';
import { ProblemException } from '../common/problem';
import { PG_POOL } from '../tokens';
import { UnitDetailDto, UnitListQueryDto, UnitPageDto } from './dto/unit-reads.dto';
import { IdentifierPipe } from '../common/identifier.pipe';
import { Write, type WriteRequest } from '../common/write-request';
import { WriteRoute } from '../common/openapi';
import type { WriteResultDto } from '../common/write-result.dto';
import { WritesService } from '../common/writes.service';
import { RegisterUnitDto, ReviewQuotaDto, UnitAssessmentDto } from './dto/units.dto';

@ApiTags('units')
@Controller('v1/units')
export class UnitRegistryController {
  constructor(
    @Inject(WritesService) private readonly writes: WritesService,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  @Get()
  @Reads('units')
  @ReadRoute('Registered units within the token\'s units, in unitId order ({items, nextCursor}), from the read model')
  @ApiOkResponse({ type: UnitPageDto })
  list(@CallerOf() caller: Caller, @Query() query: UnitListQueryDto): Promise<UnitPageDto> {
    return listUnits(this.pool, { scope: caller.scope.all ? '*' : [...caller.scope.units], parentUnitId: query.parentUnitId, q: query.q, cursor: query.cursor, limit: query.limit ?? 50 });
  }

  @Get(':unitId')
  @Reads('units')
  @ReadRoute('One registered unit, with its principal (主要负责人) and 书记 today')
  @ApiOkResponse({ type: UnitDetailDto })
  async get(@CallerOf() caller: Caller, @Param('unitId', IdentifierPipe) unitId: string): Promise<UnitDetailDto> {
    const unit = inScope(caller.scope, unitId) ? await unitDetail(this.pool, unitId) : null;
    if (!unit) throw new ProblemException(404, 'not-found', `no registered unit ${unitId}`);
    return unit;
  }

  @Post()
  @Writes('units')
  @WriteRoute('Register a unit: its name, level and parent (answers with unitId instead of cadreId)', 'UnitRegistered')
  register(@CallerOf() caller: Caller, @Body() dto: RegisterUnitDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    // A parent outside the caller's units is "no such unit" whether it is registered or not: existence is not leaked.
    if (dto.parentUnitId !== undefined) this.writes.requireUnit(caller, dto.parentUnitId);
    return this.writes.onUnit(caller, dto.unitId, { type: 'RegisterUnit', data: dto }, write);
  }
}

@ApiTags('units')
@Controller('v1/units/:unitId')
export class UnitsController {
  constructor(@Inject(WritesService) private readonly writes: WritesService) {}

  @Post('assessments')
  @Writes('unit-assessments')
  @WriteRoute('Record a unit\'s annual assessment (answers with unitId instead of cadreId)', 'UnitAssessmentRecorded')
  assess(@CallerOf() caller: Caller, @Param('unitId', IdentifierPipe) unitId: string, @Body() dto: UnitAssessmentDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.onUnit(caller, unitId, { type: 'RecordUnitAssessment', data: { ...dto, unitId } }, write);
  }

  @Post('review-quotas')
  @Writes('review-quotas')
  @WriteRoute('Set the assessed headcount of a year\'s annual reviews: the 优秀 quota is a share of it (a registered unit only)', 'UnitQuotaSet')
  quota(@CallerOf() caller: Caller, @Param('unitId', IdentifierPipe) unitId: string, @Body() dto: ReviewQuotaDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.onUnit(caller, unitId, { type: 'SetUnitQuota', data: { ...dto, unitId } }, write);
  }
}

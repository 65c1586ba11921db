import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CallerOf, Writes, type Caller } from '../auth/access.decorators';
import { IdentifierPipe } from '../common/identifier.pipe';
import { IfMatch } from '../common/if-match';
import { WriteRoute } from '../common/openapi';
import type { WriteResultDto } from '../common/write-result.dto';
import { WritesService } from '../common/writes.service';
import { RegisterUnitDto, ReviewQuotaDto, UnitAssessmentDto } from './dto/units.dto';

@ApiTags('units')
@Controller('v1/units')
export class UnitRegistryController {
  constructor(@Inject(WritesService) private readonly writes: WritesService) {}

  @Post()
  @Writes('units')
  @WriteRoute('Register a unit: its name, level and parent (answers with unitId instead of cadreId)', 'UnitRegistered')
  register(@CallerOf() caller: Caller, @Body() dto: RegisterUnitDto, @IfMatch() ifMatch?: number): Promise<WriteResultDto> {
    return this.writes.onUnit(caller, dto.unitId, 'RegisterUnit', dto, ifMatch);
  }
}

@ApiTags('units')
@Controller('v1/units/:unitId')
export class UnitsController {
  constructor(@Inject(WritesService) private readonly writes: WritesService) {}

  @Post('assessments')
  @Writes('unit-assessments')
  @WriteRoute('Record a unit\'s annual assessment (answers with unitId instead of cadreId)', 'UnitAssessmentRecorded')
  assess(@CallerOf() caller: Caller, @Param('unitId', IdentifierPipe) unitId: string, @Body() dto: UnitAssessmentDto, @IfMatch() ifMatch?: number): Promise<WriteResultDto> {
    return this.writes.onUnit(caller, unitId, 'RecordUnitAssessment', dto, ifMatch);
  }

  @Post('review-quotas')
  @Writes('review-quotas')
  @WriteRoute('Set the assessed headcount of a year\'s annual reviews: the 优秀 quota is a share of it (a registered unit only)', 'UnitQuotaSet')
  quota(@CallerOf() caller: Caller, @Param('unitId', IdentifierPipe) unitId: string, @Body() dto: ReviewQuotaDto, @IfMatch() ifMatch?: number): Promise<WriteResultDto> {
    return this.writes.onUnit(caller, unitId, 'SetUnitQuota', dto, ifMatch);
  }
}

import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CallerOf, Writes, type Caller } from '../auth/access.decorators';
import { mayRecordFinding } from '../auth/permissions';
import { IdentifierPipe } from '../common/identifier.pipe';
import { Write, type WriteRequest } from '../common/write-request';
import { WriteRoute } from '../common/openapi';
import { ProblemException } from '../common/problem';
import type { WriteResultDto } from '../common/write-result.dto';
import { WritesService } from '../common/writes.service';
import { UnitFindingDto } from '../units/dto/units.dto';
import { CadreFindingDto } from './findings.dto';

/** The facts the 能下 situations are judged on (陕西 能上能下办法 第六–十三条; 张家界 措施5; 工作落实). */
@ApiTags('findings')
@Controller('v1')
export class FindingsController {
  constructor(@Inject(WritesService) private readonly writes: WritesService) {}

  @Post('units/:unitId/findings')
  @Writes('findings')
  @WriteRoute('Record a finding on a unit (answers with unitId instead of cadreId)', 'UnitFindingRecorded')
  onUnit(@CallerOf() caller: Caller, @Param('unitId', IdentifierPipe) unitId: string, @Body() dto: UnitFindingDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    requireCategory(caller, dto.category);
    return this.writes.onUnit(caller, unitId, { type: 'RecordUnitFinding', data: { ...dto, unitId } }, write);
  }

  @Post('cadres/:cadreId/findings')
  @Writes('findings')
  @WriteRoute('Record a 领导班子研判 finding on a cadre (第七条)', 'CadreFindingRecorded')
  onCadre(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Body() dto: CadreFindingDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    requireCategory(caller, dto.category);
    return this.writes.onCadre(caller, cadreId, { type: 'RecordCadreFinding', data: dto }, write);
  }
}

function requireCategory(caller: Caller, category: string): void {
  if (!mayRecordFinding(caller.roles, category)) {
    throw new ProblemException(403, 'forbidden', `roles [${caller.roles.join(', ')}] may not record findings of category ${JSON.stringify(category)}`);
  }
}

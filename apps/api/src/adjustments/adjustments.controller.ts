import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CallerOf, Writes, type Caller } from '../auth/access.decorators';
import { IdentifierPipe } from '../common/identifier.pipe';
import { IfMatch } from '../common/if-match';
import { WriteRoute } from '../common/openapi';
import type { WriteResultDto } from '../common/write-result.dto';
import { WritesService } from '../common/writes.service';
import { AdjustmentDto } from './dto/adjustments.dto';

/** 能下 */
@ApiTags('adjustments')
@Controller('v1/cadres/:cadreId')
export class AdjustmentsController {
  constructor(@Inject(WritesService) private readonly writes: WritesService) {}

  @Post('adjustments')
  @Writes('adjustments')
  @WriteRoute('Adjust a cadre (能下: 调离岗位, 改任非领导职务, 免职, 降职)', 'CadreAdjusted')
  adjust(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Body() dto: AdjustmentDto, @IfMatch() ifMatch?: number): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, 'AdjustCadre', dto, ifMatch);
  }
}

import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CallerOf, Writes, type Caller } from '../auth/access.decorators';
import { IdentifierPipe } from '../common/identifier.pipe';
import { Write, type WriteRequest } from '../common/write-request';
import { WriteRoute } from '../common/openapi';
import type { WriteResultDto } from '../common/write-result.dto';
import { WritesService } from '../common/writes.service';
import { AnnualReviewDto, CommendationDto } from './dto/incentives.dto';

/** 鼓励激励 */
@ApiTags('incentives')
@Controller('v1/cadres/:cadreId')
export class IncentivesController {
  constructor(@Inject(WritesService) private readonly writes: WritesService) {}

  @Post('annual-reviews')
  @Writes('annual-reviews')
  @WriteRoute('Record an annual review (年度考核)', 'AnnualReviewRecorded')
  annualReview(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Body() dto: AnnualReviewDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'RecordAnnualReview', data: dto }, write);
  }

  @Post('commendations')
  @Writes('commendations')
  @WriteRoute('Issue a commendation (表彰奖励)', 'CommendationIssued')
  commend(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Body() dto: CommendationDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'IssueCommendation', data: dto }, write);
  }
}

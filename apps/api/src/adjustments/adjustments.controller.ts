import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CallerOf, Writes, type Caller } from '../auth/access.decorators';
import { IdentifierPipe } from '../common/identifier.pipe';
import { Write, type WriteRequest } from '../common/write-request';
import { WriteRoute } from '../common/openapi';
import type { WriteResultDto } from '../common/write-result.dto';
import { WritesService } from '../common/writes.service';
import { AdjustmentApprovalDto, AdjustmentDto, AdjustmentReviewDto, AdjustmentTalkDto, ReportAdjustmentDto } from './dto/adjustments.dto';

/** 能下 */
@ApiTags('adjustments')
@Controller('v1/cadres/:cadreId')
export class AdjustmentsController {
  constructor(@Inject(WritesService) private readonly writes: WritesService) {}

  @Post('adjustments')
  @Writes('adjustments')
  @WriteRoute('Adjust a cadre (能下: 调离岗位, 改任非领导职务, 免职, 降职)', 'CadreAdjusted')
  adjust(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Body() dto: AdjustmentDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'AdjustCadre', data: dto }, write);
  }

  @Post('adjustment-cases')
  @Writes('adjustments')
  @WriteRoute('Open a 第十五条 adjustment case (报告) on the review triggers it answers', 'AdjustmentReported')
  report(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Body() dto: ReportAdjustmentDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'ReportAdjustment', data: dto }, write);
  }

  @Post('adjustment-cases/:caseId/review')
  @Writes('adjustments')
  @WriteRoute('Review (审核), saying whether the cadre was heard', 'AdjustmentReviewed')
  review(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Param('caseId', IdentifierPipe) caseId: string, @Body() dto: AdjustmentReviewDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'ReviewAdjustment', data: { ...dto, caseId } }, write);
  }

  @Post('adjustment-cases/:caseId/approval')
  @Writes('adjustments')
  @WriteRoute('Approve or not (报批); 422 after a review that did not hear the cadre', 'AdjustmentApproved')
  approval(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Param('caseId', IdentifierPipe) caseId: string, @Body() dto: AdjustmentApprovalDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'ApproveAdjustment', data: { ...dto, caseId } }, write);
  }

  @Post('adjustment-cases/:caseId/decision')
  @Writes('adjustments')
  @WriteRoute('Decide (决定): the adjustment, the approved kind or a lighter one', 'CadreAdjusted')
  decision(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Param('caseId', IdentifierPipe) caseId: string, @Body() dto: AdjustmentDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'AdjustCadre', data: { ...dto, caseId } }, write);
  }

  @Post('adjustment-cases/:caseId/talk')
  @Writes('adjustments')
  @WriteRoute('Hold the talk (谈话) with the adjusted cadre', 'AdjustmentTalkHeld')
  talk(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Param('caseId', IdentifierPipe) caseId: string, @Body() dto: AdjustmentTalkDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'HoldAdjustmentTalk', data: { ...dto, caseId } }, write);
  }
}

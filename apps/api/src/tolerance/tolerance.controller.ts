import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CallerOf, Writes, type Caller } from '../auth/access.decorators';
import { IdentifierPipe } from '../common/identifier.pipe';
import { Write, type WriteRequest } from '../common/write-request';
import { WriteRoute } from '../common/openapi';
import type { WriteResultDto } from '../common/write-result.dto';
import { WritesService } from '../common/writes.service';
import {
  ClearanceDto,
  RequestToleranceDto,
  ToleranceDecisionDto,
  ToleranceFilingDto,
  ToleranceFindingsDto,
  ToleranceNotificationDto,
} from './dto/tolerance.dto';

/**
 * 容错纠错: applied → findings → decision → notification → filing, in that order (409 otherwise,
 * naming the current step); and 澄清正名 (clearances).
 */
@ApiTags('tolerance')
@Controller('v1/cadres/:cadreId')
export class ToleranceController {
  constructor(@Inject(WritesService) private readonly writes: WritesService) {}

  @Post('tolerance-cases')
  @Writes('tolerance-cases')
  @WriteRoute('Open a tolerance case (提出申请)', 'ToleranceRequested')
  request(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Body() dto: RequestToleranceDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'RequestTolerance', data: dto }, write);
  }

  @Post('tolerance-cases/:caseId/findings')
  @Writes('tolerance-cases')
  @WriteRoute('Record the findings (调查核实), including the exclusions of 三个区分开来', 'ToleranceInvestigated')
  findings(
    @CallerOf() caller: Caller,
    @Param('cadreId', IdentifierPipe) cadreId: string,
    @Param('caseId', IdentifierPipe) caseId: string,
    @Body() dto: ToleranceFindingsDto,
    @Write() write: WriteRequest,
  ): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'RecordToleranceFindings', data: { ...dto, caseId } }, write);
  }

  @Post('tolerance-cases/:caseId/decision')
  @Writes('tolerance-cases')
  @WriteRoute('Decide (认定结论); anything but rejected is a 422 when an exclusion was found', 'ToleranceDecided')
  decision(
    @CallerOf() caller: Caller,
    @Param('cadreId', IdentifierPipe) cadreId: string,
    @Param('caseId', IdentifierPipe) caseId: string,
    @Body() dto: ToleranceDecisionDto,
    @Write() write: WriteRequest,
  ): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'DecideTolerance', data: { ...dto, caseId } }, write);
  }

  @Post('tolerance-cases/:caseId/notification')
  @Writes('tolerance-cases')
  @WriteRoute('Notify the outcome (结果反馈)', 'ToleranceNotified')
  notification(
    @CallerOf() caller: Caller,
    @Param('cadreId', IdentifierPipe) cadreId: string,
    @Param('caseId', IdentifierPipe) caseId: string,
    @Body() dto: ToleranceNotificationDto,
    @Write() write: WriteRequest,
  ): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'NotifyTolerance', data: { ...dto, caseId } }, write);
  }

  @Post('tolerance-cases/:caseId/filing')
  @Writes('tolerance-cases')
  @WriteRoute('File the case (资料报备)', 'ToleranceFiled')
  filing(
    @CallerOf() caller: Caller,
    @Param('cadreId', IdentifierPipe) cadreId: string,
    @Param('caseId', IdentifierPipe) caseId: string,
    @Body() dto: ToleranceFilingDto,
    @Write() write: WriteRequest,
  ): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'FileTolerance', data: { ...dto, caseId } }, write);
  }

  @Post('clearances')
  @Writes('clearances')
  @WriteRoute('Clear the cadre of an allegation (澄清正名): the covered facts lose every effect', 'AllegationCleared')
  clear(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Body() dto: ClearanceDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'ClearAllegation', data: dto }, write);
  }
}

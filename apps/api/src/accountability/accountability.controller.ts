import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CallerOf, Writes, type Caller } from '../auth/access.decorators';
import { IdentifierPipe } from '../common/identifier.pipe';
import { Write, type WriteRequest } from '../common/write-request';
import { WriteRoute } from '../common/openapi';
import type { WriteResultDto } from '../common/write-result.dto';
import { WritesService } from '../common/writes.service';
import { CautionDto, CloseInvestigationDto, OpenInvestigationDto, SanctionDto, TalkDto } from './dto/accountability.dto';

/** 问责: cautions, talks, sanctions, investigations. */
@ApiTags('accountability')
@Controller('v1/cadres/:cadreId')
export class AccountabilityController {
  constructor(@Inject(WritesService) private readonly writes: WritesService) {}

  @Post('cautions')
  @Writes('cautions')
  @WriteRoute('Issue a caution (诫勉)', 'CautionIssued')
  caution(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Body() dto: CautionDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'IssueCaution', data: dto }, write);
  }

  @Post('talks')
  @Writes('talks')
  @WriteRoute('Hold a talk (提醒谈话, 约谈)', 'TalkHeld')
  talk(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Body() dto: TalkDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'HoldTalk', data: dto }, write);
  }

  @Post('sanctions')
  @Writes('sanctions')
  @WriteRoute('Impose a party or administrative sanction (党纪/政务处分)', 'SanctionImposed')
  sanction(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Body() dto: SanctionDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'ImposeSanction', data: dto }, write);
  }

  @Post('investigations')
  @Writes('investigations')
  @WriteRoute('Open an investigation (立案调查)', 'InvestigationOpened')
  openInvestigation(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Body() dto: OpenInvestigationDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'OpenInvestigation', data: dto }, write);
  }

  @Post('investigations/:caseId/closure')
  @Writes('investigations')
  @WriteRoute('Close an investigation', 'InvestigationClosed')
  closeInvestigation(
    @CallerOf() caller: Caller,
    @Param('cadreId', IdentifierPipe) cadreId: string,
    @Param('caseId', IdentifierPipe) caseId: string,
    @Body() dto: CloseInvestigationDto,
    @Write() write: WriteRequest,
  ): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'CloseInvestigation', data: { ...dto, caseId } }, write);
  }
}

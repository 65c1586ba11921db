import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Pool } from 'pg';
import { listCadres } from '@cadre-ledger/projections';
import { PG_POOL } from '../tokens';
import { AccessService } from '../audit/access.service';
import { ApiExtraModels, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CallerOf, Reads, Writes, type Caller } from '../auth/access.decorators';
import { IdentifierPipe } from '../common/identifier.pipe';
import { Write, type WriteRequest } from '../common/write-request';
import { ReadRoute, WriteRoute } from '../common/openapi';
import { ProblemDto, type WriteResultDto } from '../common/write-result.dto';
import { WritesService } from '../common/writes.service';
import { CadreListQueryDto, DirectoryPageDto, ProfileDto, PromoteCadreDto, RegisterCadreDto, RetractEntryDto, TransferCadreDto } from './dto/cadres.dto';

@ApiTags('cadres')
@ApiExtraModels(ProblemDto)
@Controller('v1/cadres')
export class CadresController {
  constructor(
    @Inject(WritesService) private readonly writes: WritesService,
    @Inject(AccessService) private readonly access: AccessService,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  @Get()
  @Reads('cadres')
  @ReadRoute('The directory: cadres within the token\'s units as they stand today, found by name, pinyin (full or initials) or id ({items, nextCursor})')
  @ApiOkResponse({ type: DirectoryPageDto })
  async directory(@CallerOf() caller: Caller, @Query() query: CadreListQueryDto, @Req() req: Request): Promise<DirectoryPageDto> {
    const page = await listCadres(this.pool, { ...query, scope: caller.scope.all ? '*' : [...caller.scope.units], limit: query.limit ?? 50 });
    // Names and posts are personal data: each one shown is a read of that cadre's profile.
    await this.access.record(caller, page.items.map((item) => item.cadreId), 'profile', req);
    return page;
  }

  @Post()
  @Writes('cadres')
  @WriteRoute('Register a cadre', 'CadreRegistered')
  register(@CallerOf() caller: Caller, @Body() dto: RegisterCadreDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.register(caller, dto, write);
  }

  @Get(':cadreId')
  @Reads('cadres')
  @ReadRoute('The cadre as it stands now')
  @ApiOkResponse({ type: ProfileDto, headers: { ETag: { description: 'Current revision, quoted', schema: { type: 'string' } } } })
  async profile(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ProfileDto> {
    const profile = await this.writes.visibleCadre(caller, cadreId);
    await this.access.record(caller, [cadreId], 'profile', req);
    res.setHeader('ETag', `"${profile.revision}"`);
    return profile;
  }

  @Post(':cadreId/transfers')
  @Writes('transfers')
  @WriteRoute('An ordinary posting to another unit or post (no penalty)', 'CadreTransferred')
  transfer(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Body() dto: TransferCadreDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'TransferCadre', data: dto }, write, [dto.unitId]);
  }

  @Post(':cadreId/promotions')
  @Writes('promotions')
  @WriteRoute('Promote (能上): refused with 409 and the locks while a lock holds on effectiveAt', 'CadrePromoted')
  promote(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Body() dto: PromoteCadreDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'PromoteCadre', data: dto }, write);
  }

  @Post(':cadreId/retractions')
  @Writes('retractions')
  @WriteRoute('Retract a wrong entry (history keeps it; no effect from the moment the retraction is recorded)', 'EntryRetracted')
  retract(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Body() dto: RetractEntryDto, @Write() write: WriteRequest): Promise<WriteResultDto> {
    return this.writes.onCadre(caller, cadreId, { type: 'RetractEntry', data: dto }, write);
  }
}

import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { AccessService } from '../audit/access.service';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Ledger } from '@cadre-ledger/application';
import { CallerOf, Reads, type Caller } from '../auth/access.decorators';
import { IdentifierPipe } from '../common/identifier.pipe';
import { ReadRoute } from '../common/openapi';
import { ProblemException } from '../common/problem';
import { WritesService } from '../common/writes.service';
import type { Pool } from 'pg';
import { listEligibility } from '@cadre-ledger/projections';
import { LEDGER, PG_POOL } from '../tokens';
import { EligibilityListQueryDto, EligibilityPageDto, EligibilityQueryDto, VerdictDto } from './dto/eligibility.dto';

const DEFAULT_PAGE = 50;

@ApiTags('eligibility')
@Controller('v1')
export class EligibilityController {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(WritesService) private readonly writes: WritesService,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(AccessService) private readonly access: AccessService,
  ) {}

  @Get('cadres/:cadreId/eligibility')
  @Reads('eligibility')
  @ReadRoute('May this cadre be promoted on asOf, as the records stood at knownAt? With the locks and the clauses that say so')
  @ApiOkResponse({ type: VerdictDto })
  async eligibility(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Query() query: EligibilityQueryDto, @Req() req: Request): Promise<VerdictDto> {
    const read = await this.writes.visibleCadreRead(caller, cadreId, { withUnits: true });
    const verdict = await this.ledger.eligibility(cadreId, { asOf: query.asOf, knownAt: query.knownAt }, read);
    if (!verdict) throw new ProblemException(404, 'not-found', `cadre ${cadreId} was not recorded by ${query.knownAt ?? 'now'}`);
    await this.access.record(caller, [cadreId], 'eligibility', req);
    return verdict;
  }

  @Get('eligibility')
  @Reads('eligibility')
  @ReadRoute('Today\'s verdicts from the read model (cadre_eligibility), in cadre id order, paginated ({items, nextCursor})')
  @ApiOkResponse({ type: EligibilityPageDto })
  async list(@CallerOf() caller: Caller, @Query() query: EligibilityListQueryDto, @Req() req: Request): Promise<EligibilityPageDto> {
    const page = await listEligibility(this.pool, {
      scope: caller.scope.all ? '*' : [...caller.scope.units],
      unitId: query.unitId,
      promotable: query.promotable === undefined ? undefined : query.promotable === 'true',
      cursor: query.cursor,
      limit: query.limit ?? DEFAULT_PAGE,
    });
    await this.access.record(caller, page.items.map((item) => item.cadreId), 'eligibility', req);
    return page;
  }
}

import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import type { Ledger } from '@cadre-ledger/application';
import { ADJUSTMENT_CASE_STEPS, TOLERANCE_STEPS } from '@cadre-ledger/domain';
import { listCases, listLocks, listReviewTriggers } from '@cadre-ledger/projections';
import { CallerOf, Reads, type Caller } from '../auth/access.decorators';
import { ReadRoute } from '../common/openapi';
import { ValidationProblem } from '../common/problem';
import { LEDGER, PG_POOL } from '../tokens';
import { AccessService } from '../audit/access.service';
import { CaseListQueryDto, CasePageDto, LockListQueryDto, LockPageDto, TriggerListQueryDto, TriggerPageDto } from './queues.dto';

const DEFAULT_PAGE = 50;
const STEPS_OF = { tolerance: TOLERANCE_STEPS, adjustment: ADJUSTMENT_CASE_STEPS } as const;

/** The queues an organization department works through (API.md, "Lists a dashboard needs"), from the read models. */
@ApiTags('queues')
@Controller('v1')
export class QueuesController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(AccessService) private readonly access: AccessService,
  ) {}

  /** Names beside locks, sanctions and cases: each cadre a page shows is a read, recorded before it answers. */
  private async recorded<P extends { items: { cadreId: string }[] }>(caller: Caller, page: P, req: Request): Promise<P> {
    await this.access.record(caller, [...new Set(page.items.map((item) => item.cadreId))], 'list', req);
    return page;
  }

  @Get('cases')
  @Reads('queues')
  @ReadRoute('Open tolerance and 第十五条 adjustment cases, and the step each waits after, longest waiting first ({items, nextCursor})')
  @ApiOkResponse({ type: CasePageDto })
  async cases(@CallerOf() caller: Caller, @Query() query: CaseListQueryDto, @Req() req: Request): Promise<CasePageDto> {
    if (query.kind && query.step && !(STEPS_OF[query.kind] as readonly string[]).includes(query.step)) {
      throw new ValidationProblem([{ field: 'step', message: `a ${query.kind} case's steps are ${STEPS_OF[query.kind].join(', ')}` }]);
    }
    return this.recorded(caller, await listCases(this.pool, { ...query, scope: caller.scope.all ? '*' : [...caller.scope.units], limit: query.limit ?? DEFAULT_PAGE, today: this.ledger.today() }), req);
  }

  @Get('locks')
  @Reads('queues')
  @ReadRoute('Locks in force today, soonest end first (open-ended last); endingWithin=DAYS for those about to end ({items, nextCursor})')
  @ApiOkResponse({ type: LockPageDto })
  async locks(@CallerOf() caller: Caller, @Query() query: LockListQueryDto, @Req() req: Request): Promise<LockPageDto> {
    return this.recorded(caller, await listLocks(this.pool, { ...query, scope: caller.scope.all ? '*' : [...caller.scope.units], limit: query.limit ?? DEFAULT_PAGE, today: this.ledger.today() }), req);
  }

  @Get('review-triggers')
  @Reads('queues')
  @ReadRoute('Review triggers standing today (能下: what calls for a review), longest standing first, each with its clause ({items, nextCursor})')
  @ApiOkResponse({ type: TriggerPageDto })
  async triggers(@CallerOf() caller: Caller, @Query() query: TriggerListQueryDto, @Req() req: Request): Promise<TriggerPageDto> {
    return this.recorded(caller, await listReviewTriggers(this.pool, { ...query, scope: caller.scope.all ? '*' : [...caller.scope.units], limit: query.limit ?? DEFAULT_PAGE }), req);
  }
}

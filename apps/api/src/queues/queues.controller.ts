import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import type { Ledger } from '@cadre-ledger/application';
import { ADJUSTMENT_CASE_STEPS, TOLERANCE_STEPS } from '@cadre-ledger/domain';
import { listCases, listLocks, listReviewTriggers } from '@cadre-ledger/projections';
import { CallerOf, Reads, type Caller } from '../auth/access.decorators';
import { ReadRoute } from '../common/openapi';
import { ValidationProblem } from '../common/problem';
import { LEDGER, PG_POOL } from '../tokens';
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
  ) {}

  @Get('cases')
  @Reads('queues')
  @ReadRoute('Open tolerance and 第十五条 adjustment cases, and the step each waits after, longest waiting first ({items, nextCursor})')
  @ApiOkResponse({ type: CasePageDto })
  cases(@CallerOf() caller: Caller, @Query() query: CaseListQueryDto): Promise<CasePageDto> {
    if (query.kind && query.step && !(STEPS_OF[query.kind] as readonly string[]).includes(query.step)) {
      throw new ValidationProblem([{ field: 'step', message: `a ${query.kind} case's steps are ${STEPS_OF[query.kind].join(', ')}` }]);
    }
    return listCases(this.pool, { ...query, scope: caller.scope.all ? '*' : [...caller.scope.units], limit: query.limit ?? DEFAULT_PAGE, today: this.ledger.today() });
  }

  @Get('locks')
  @Reads('queues')
  @ReadRoute('Locks in force today, soonest end first (open-ended last); endingWithin=DAYS for those about to end ({items, nextCursor})')
  @ApiOkResponse({ type: LockPageDto })
  locks(@CallerOf() caller: Caller, @Query() query: LockListQueryDto): Promise<LockPageDto> {
    return listLocks(this.pool, { ...query, scope: caller.scope.all ? '*' : [...caller.scope.units], limit: query.limit ?? DEFAULT_PAGE, today: this.ledger.today() });
  }

  @Get('review-triggers')
  @Reads('queues')
  @ReadRoute('Review triggers standing today (能下: what calls for a review), longest standing first, each with its clause ({items, nextCursor})')
  @ApiOkResponse({ type: TriggerPageDto })
  triggers(@CallerOf() caller: Caller, @Query() query: TriggerListQueryDto): Promise<TriggerPageDto> {
    return listReviewTriggers(this.pool, { ...query, scope: caller.scope.all ? '*' : [...caller.scope.units], limit: query.limit ?? DEFAULT_PAGE });
  }
}

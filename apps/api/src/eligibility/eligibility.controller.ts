import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Ledger } from '@cadre-ledger/application';
import { CallerOf, Reads, type Caller } from '../auth/access.decorators';
import { IdentifierPipe } from '../common/identifier.pipe';
import { NotImplementedProblem, ReadRoute } from '../common/openapi';
import { ProblemException } from '../common/problem';
import { WritesService } from '../common/writes.service';
import { LEDGER } from '../tokens';
import { EligibilityListQueryDto, EligibilityQueryDto, VerdictDto } from './dto/eligibility.dto';

@ApiTags('eligibility')
@Controller('v1')
export class EligibilityController {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(WritesService) private readonly writes: WritesService,
  ) {}

  @Get('cadres/:cadreId/eligibility')
  @Reads('eligibility')
  @ReadRoute('May this cadre be promoted on asOf, as the records stood at knownAt? With the locks and the clauses that say so')
  @ApiOkResponse({ type: VerdictDto })
  async eligibility(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Query() query: EligibilityQueryDto): Promise<VerdictDto> {
    await this.writes.visibleCadre(caller, cadreId);
    const verdict = await this.ledger.eligibility(cadreId, { asOf: query.asOf, knownAt: query.knownAt });
    if (!verdict) throw new ProblemException(404, 'not-found', `cadre ${cadreId} was not recorded by ${query.knownAt ?? 'now'}`);
    return verdict;
  }

  @Get('eligibility')
  @Reads('eligibility')
  @ReadRoute('Today\'s verdicts from the read model, paginated ({items, nextCursor})')
  @NotImplementedProblem()
  list(@Query() _query: EligibilityListQueryDto): never {
    throw new ProblemException(501, 'not-implemented', 'the eligibility read model is not available yet; ask GET /v1/cadres/{id}/eligibility');
  }
}

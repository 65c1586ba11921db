import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Ledger } from '@cadre-ledger/application';
import { CallerOf, Reads, type Caller } from '../auth/access.decorators';
import { IdentifierPipe } from '../common/identifier.pipe';
import { ReadRoute } from '../common/openapi';
import { ProblemException } from '../common/problem';
import { WritesService } from '../common/writes.service';
import { API_OPTIONS, LEDGER, type ApiOptions } from '../tokens';
import { ConcurrencyGate } from '../common/concurrency-gate';
import { AuditService } from './audit.service';
import { HistoryDto, HistoryQueryDto, VerifyQueryDto, VerifyResultDto } from './dto/audit.dto';

/** What auditors replay and check: the stream as recorded at any moment, and its hash chain. */
@ApiTags('audit')
@Controller('v1')
export class AuditController {
  /** Full verifications walk the whole store: one at a time by default, a short queue, then 503. */
  private readonly fullVerifications: ConcurrencyGate;

  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(WritesService) private readonly writes: WritesService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(API_OPTIONS) options: ApiOptions,
  ) {
    this.fullVerifications = new ConcurrencyGate('full verifications', options.maxConcurrentVerifications, options.maxQueuedVerifications);
  }

  @Get('cadres/:cadreId/history')
  @Reads('history')
  @ReadRoute('The cadre\'s stream as recorded at knownAt, with actors and hashes')
  @ApiOkResponse({ type: HistoryDto })
  async history(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Query() query: HistoryQueryDto): Promise<HistoryDto> {
    await this.writes.visibleCadre(caller, cadreId);
    const history = await this.ledger.history(cadreId, { knownAt: query.knownAt });
    if (!history) throw new ProblemException(404, 'not-found', `cadre ${cadreId} was not recorded by ${query.knownAt ?? 'now'}`);
    return {
      cadreId,
      revision: history.revision,
      events: history.events.map((e) => ({
        eventId: e.eventId,
        type: e.type,
        revision: e.revision,
        effectiveAt: e.effectiveAt,
        recordedAt: e.recordedAt,
        actor: e.actor,
        documentRef: e.documentRef,
        data: e.data,
        hash: e.hash,
        prevHash: e.prevHash,
      })),
    };
  }

  @Get('audit/verify')
  @Reads('verification')
  @ReadRoute('Re-compute the hash chain of one cadre, or of every cadre the caller may see')
  @ApiOkResponse({ type: VerifyResultDto })
  async verify(@CallerOf() caller: Caller, @Query() query: VerifyQueryDto): Promise<VerifyResultDto> {
    if (query.cadreId === undefined) return this.fullVerifications.run(() => this.audit.verifyAll(caller));
    await this.writes.visibleCadre(caller, query.cadreId);
    return { ...(await this.ledger.verify(query.cadreId)), streams: 1 };
  }
}

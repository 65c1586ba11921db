import { Controller, Get, Header, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Pool } from 'pg';
import { replayCadre, type Ledger } from '@cadre-ledger/application';
import type { RuleBook } from '@cadre-ledger/policy';
import { cadreIdOfStream, unitStream } from '@cadre-ledger/domain';
import { inScope } from '../auth/permissions';

const UNIT_PREFIX = unitStream('');
import type { EventStore } from '@cadre-ledger/event-store';
import {
  checkpointNote,
  checkpointOfSize,
  consistencyProof,
  formatVkey,
  inclusionProof,
  keyIdOf,
  latestHead,
  listAccess,
  logNoteKey,
  newestCheckpoint,
  publicKeyPem,
  verifyIncrementally,
  verifyLedger,
} from '@cadre-ledger/audit';
import { CallerOf, Public, Reads, type Caller } from '../auth/access.decorators';
import { IdentifierPipe } from '../common/identifier.pipe';
import { ReadRoute } from '../common/openapi';
import { ProblemException, ValidationProblem } from '../common/problem';
import { decodeCursor, encodeCursor, listConflicts } from '@cadre-ledger/projections';
import { WritesService } from '../common/writes.service';
import { API_OPTIONS, AUDIT, EVENT_STORE, LEDGER, PG_POOL, RULE_BOOK, type ApiOptions, type AuditDependencies } from '../tokens';
import { ConcurrencyGate } from '../common/concurrency-gate';
import { AccessService } from './access.service';
import { AuditService } from './audit.service';
import {
  AccessPageDto,
  AccessQueryDto,
  ConflictPageDto,
  ConflictQueryDto,
  ConsistencyQueryDto,
  DigestDto,
  FullVerifyQueryDto,
  HistoryDto,
  HistoryQueryDto,
  TimelineDto,
  TimelineQueryDto,
  ProofQueryDto,
  PublicKeyDto,
  VerifyResultDto,
} from './dto/audit.dto';

/**
 * What auditors replay and check: the stream as recorded at any moment, its hash chain, the
 * ledger-wide log's signed heads and proofs, and who read whose personal data.
 */
@ApiTags('audit')
@Controller('v1')
export class AuditController {
  /** Full verifications walk the whole store: one at a time by default, a short queue, then 503. */
  private readonly fullVerifications: ConcurrencyGate;

  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(WritesService) private readonly writes: WritesService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(AccessService) private readonly access: AccessService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(AUDIT) private readonly auditDeps: AuditDependencies,
    @Inject(RULE_BOOK) private readonly ruleBook: RuleBook,
    @Inject(API_OPTIONS) options: ApiOptions,
  ) {
    this.fullVerifications = new ConcurrencyGate('full verifications', options.maxConcurrentVerifications, options.maxQueuedVerifications);
  }

  @Get('cadres/:cadreId/timeline')
  @Reads('history')
  @ReadRoute('The cadre\'s facts as recorded at knownAt, each beside the locks, priorities, triggers and conditions it produced (with their clauses), and the verdict on asOf: a replay, as `ledger replay` prints it')
  @ApiOkResponse({ type: TimelineDto })
  async timeline(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Query() query: TimelineQueryDto, @Req() req: Request): Promise<TimelineDto> {
    await this.writes.visibleCadre(caller, cadreId);
    const replay = await replayCadre(this.store, this.ruleBook, cadreId, { asOf: query.asOf ?? this.ledger.today(), knownAt: query.knownAt ?? this.ledger.now() });
    if (!replay) throw new ProblemException(404, 'not-found', `cadre ${cadreId} was not recorded by ${query.knownAt ?? 'now'}`);
    await this.access.record(caller, [cadreId], 'replay', req);
    return replay;
  }

  @Get('cadres/:cadreId/history')
  @Reads('history')
  @ReadRoute('The cadre\'s stream as recorded at knownAt, with actors and hashes')
  @ApiOkResponse({ type: HistoryDto })
  async history(@CallerOf() caller: Caller, @Param('cadreId', IdentifierPipe) cadreId: string, @Query() query: HistoryQueryDto, @Req() req: Request): Promise<HistoryDto> {
    await this.writes.visibleCadre(caller, cadreId);
    const history = await this.ledger.history(cadreId, { knownAt: query.knownAt });
    if (!history) throw new ProblemException(404, 'not-found', `cadre ${cadreId} was not recorded by ${query.knownAt ?? 'now'}`);
    // With a limit: a page after the cursor's revision; without one, every event (the default answer).
    const after = query.cursor === undefined ? -1 : Number(decodeCursor(query.cursor, [/^\d{1,9}$/])[0]);
    if (query.cursor !== undefined && query.limit === undefined) throw new ValidationProblem([{ field: 'cursor', message: 'cursor needs limit' }]);
    const from = history.events.filter((e) => e.revision > after);
    const shown = query.limit === undefined ? from : from.slice(0, query.limit);
    await this.access.record(caller, [cadreId], 'history', req);
    return {
      cadreId,
      revision: history.revision,
      ...(query.limit === undefined ? {} : { nextCursor: from.length > shown.length ? encodeCursor([String(shown[shown.length - 1].revision)]) : null }),
      events: shown.map((e) => ({
        eventId: e.eventId,
        type: e.type,
        revision: e.revision,
        effectiveAt: e.effectiveAt,
        recordedAt: e.recordedAt,
        actor: e.actor,
        documentRef: e.documentRef,
        data: e.data,
        hash: e.hash,
        hashFormat: e.hashFormat,
        prevHash: e.prevHash,
      })),
    };
  }

  @Get('audit/verify')
  @Reads('verification')
  @ReadRoute('Verify: one cadre\'s chain; or the events since the last sound signed head (default); or everything (full=true, queued)')
  @ApiOkResponse({ type: VerifyResultDto })
  async verify(@CallerOf() caller: Caller, @Query() query: FullVerifyQueryDto): Promise<VerifyResultDto> {
    if (query.cadreId !== undefined) {
      await this.writes.visibleCadre(caller, query.cadreId);
      return { ...(await this.ledger.verify(query.cadreId)), streams: 1, mode: 'stream' };
    }
    if (!caller.scope.all) return this.fullVerifications.run(() => this.audit.verifyAll(caller));
    const options = { store: this.store, pool: this.pool, publicKey: this.auditDeps.publicKey ?? undefined };
    const result = query.full === 'true' ? await this.fullVerifications.run(() => verifyLedger(options)) : await verifyIncrementally(options);
    const broken = result.findings.find((f) => f.stream !== undefined && f.revision !== undefined && f.eventId !== undefined);
    return {
      ok: result.ok,
      checked: result.events,
      ...(broken ? { brokenAt: { stream: broken.stream!, revision: broken.revision!, eventId: broken.eventId! } } : {}),
      streams: result.streams,
      mode: result.mode,
      findings: result.findings,
      uncovered: result.uncovered,
      newestHead: result.newestHead,
    };
  }

  @Get('audit/access')
  @Reads('audit')
  @ReadRoute('Who read which cadre\'s personal data, when, through which route or CLI command (auditor and admin only)')
  @ApiOkResponse({ type: AccessPageDto })
  async accessLog(@CallerOf() caller: Caller, @Query() query: AccessQueryDto): Promise<AccessPageDto> {
    const page = await listAccess(this.pool, {
      // A caller limited to some units sees the reads of the cadres in them, as it sees the cadres.
      units: caller.scope.all ? undefined : [...caller.scope.units],
      cadreId: query.cadreId,
      actor: query.actor,
      from: query.from,
      to: query.to,
      after: query.cursor === undefined ? undefined : Number(query.cursor),
      limit: query.limit ?? 100,
    });
    return {
      items: page.items.map(({ seq, at, actor, cadreId, what, via, hash }) => ({ seq, at, actor, cadreId, what, via, hash })),
      nextCursor: page.next === null ? null : String(page.next),
    };
  }

  @Get('audit/conflicts')
  @Reads('audit')
  @ReadRoute('选人用人 audit: promotions whose effective date lies inside a lock, with the lock, its clause and whether it was known at the promotion (auditor and admin only)')
  @ApiOkResponse({ type: ConflictPageDto })
  async conflicts(@CallerOf() caller: Caller, @Query() query: ConflictQueryDto, @Req() req: Request): Promise<ConflictPageDto> {
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) throw new ValidationProblem([{ field: 'to', message: 'to is before from' }]);
    const page = await listConflicts(this.pool, { ...query, scope: caller.scope.all ? '*' : [...caller.scope.units], limit: query.limit ?? 50 });
    // Names and sanctions of people: each cadre shown is a read of personal data.
    await this.access.record(caller, [...new Set(page.items.map((i) => i.cadreId))], 'profile', req);
    return page;
  }

  @Get('audit/public-key')
  @Public()
  @ApiOperation({ summary: 'The public key tree heads are signed with (published: no token needed)' })
  @ApiOkResponse({ type: PublicKeyDto })
  publicKey(): PublicKeyDto {
    const key = this.auditDeps.publicKey;
    if (!key) throw new ProblemException(404, 'no-signing-key', 'this deployment signs no tree heads');
    const published = { keyId: keyIdOf(key), algorithm: 'Ed25519', publicKey: publicKeyPem(key) };
    const origin = this.auditDeps.logOrigin;
    if (!origin || this.store.hashAlgorithm !== 'sha256') return published;
    const note = logNoteKey(origin, key);
    return { ...published, noteKeyName: note.name, noteKeyId: note.keyId.toString(16).padStart(8, '0'), vkey: formatVkey(note) };
  }

  @Get('audit/checkpoint')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/plain; charset=utf-8')
  @ApiOperation({
    summary: 'The newest signed tree head as a C2SP tlog-checkpoint in a signed note, with every witness cosignature gathered for it (published: no token needed)',
    description: 'Signed with the key of GET /v1/audit/public-key (its `vkey`); its size and root are those of GET /v1/audit/digest. Checks with any C2SP verifier, or `ledger verify --witness-policy`.',
  })
  @ApiOkResponse({ description: 'origin, tree size, base64 root; a blank line; the log\'s signature line and one line per witness cosignature', schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'no checkpoint yet (no head signed; or an SM3 store, whose tree no checkpoint commits to)' })
  async checkpoint(@Req() req: Request): Promise<string> {
    if (this.store.hashAlgorithm !== 'sha256') throw new ProblemException(404, 'no-checkpoint', `checkpoints commit to SHA-256 trees; this store hashes with ${this.store.hashAlgorithm} (its signed heads are at /v1/audit/digest)`);
    const checkpoint = await newestCheckpoint(this.pool);
    if (!checkpoint) throw new ProblemException(404, 'no-checkpoint', 'no checkpoint has been signed yet');
    req.res?.type('text/plain; charset=utf-8');
    return checkpointNote(checkpoint);
  }

  @Get('audit/digest')
  @Reads('audit')
  @ReadRoute('The latest signed tree head of the ledger-wide log: save it outside the database to check against later')
  @ApiOkResponse({ type: DigestDto })
  async digest(): Promise<DigestDto> {
    const head = await latestHead(this.pool);
    if (!head) throw new ProblemException(404, 'no-tree-head', 'no tree head has been signed yet');
    return { ...head, key: this.publicKey() };
  }

  @Get('audit/proof')
  @Reads('audit')
  @ReadRoute('Inclusion proof of one event in a signed head: checks with only the proof, the event and the public key')
  @ApiOkResponse({ description: 'The proof: {event, leafIndex, treeSize, path, head, checkpoint?} (as `ledger check-proof` reads it; `checkpoint`: that head\'s C2SP checkpoint with its cosignatures, when one was made)', schema: { type: 'object', additionalProperties: true } })
  async proof(@CallerOf() caller: Caller, @Query() query: ProofQueryDto, @Req() req: Request): Promise<object> {
    const treeSize = query.digest === undefined ? undefined : /^\d+$/.test(query.digest) ? Number(query.digest) : await this.sizeOfRoot(query.digest);
    const proof = await inclusionProof(this.pool, this.store, query.eventId, treeSize, (stream) => this.visibleStream(caller, stream));
    if (proof === 'no-such-event') throw new ProblemException(404, 'not-found', `no event ${query.eventId} in the log`);
    if (proof === 'no-such-head') throw new ProblemException(404, 'no-tree-head', `no signed head ${query.digest ?? '(latest)'}`);
    if (proof === 'not-yet-covered') throw new ProblemException(409, 'not-yet-covered', `event ${query.eventId} came after that head; ask again once a later head is signed`);
    // The proof carries the event: a read of that cadre's history.
    const cadreId = cadreIdOfStream(proof.event.stream);
    if (cadreId) await this.access.record(caller, [cadreId], 'history', req);
    // The checkpoint of that head with its cosignatures, when there is one: the proof then checks against a witness policy.
    const checkpoint = await checkpointOfSize(this.pool, proof.head.treeSize);
    return checkpoint ? { ...proof, checkpoint: checkpointNote(checkpoint) } : proof;
  }

  @Get('audit/consistency')
  @Reads('audit')
  @ReadRoute('Consistency proof between two signed heads: the later tree extends the earlier one')
  @ApiOkResponse({ description: 'The proof: {from, to, path} with both heads', schema: { type: 'object', additionalProperties: true } })
  async consistency(@Query() query: ConsistencyQueryDto): Promise<object> {
    const to = query.to === undefined ? (await latestHead(this.pool))?.treeSize : Number(query.to);
    const proof = to === undefined ? 'no-such-head' : await consistencyProof(this.pool, Number(query.from), to);
    if (proof === 'no-such-head') throw new ProblemException(404, 'no-tree-head', 'both tree sizes must be those of signed heads, the first not larger than the second');
    return proof;
  }

  /** A cadre's stream within the caller's units (where the cadre stands now, as the profile), a unit's in them; another only to an unscoped caller. */
  private async visibleStream(caller: Caller, stream: string): Promise<boolean> {
    if (caller.scope.all) return true;
    const cadreId = cadreIdOfStream(stream);
    if (cadreId) {
      const profile = await this.ledger.profile(cadreId);
      return profile !== null && inScope(caller.scope, profile.unitId);
    }
    return stream.startsWith(UNIT_PREFIX) && inScope(caller.scope, stream.slice(UNIT_PREFIX.length));
  }

  private async sizeOfRoot(root: string): Promise<number> {
    const { rows } = await this.pool.query<{ tree_size: string }>('SELECT tree_size FROM ledger_tree_heads WHERE root_hash = $1 ORDER BY tree_size LIMIT 1', [root]);
    if (rows.length === 0) throw new ProblemException(404, 'no-tree-head', `no signed head with root ${root}`);
    return Number(rows[0].tree_size);
  }
}
